/* Text primitives: sentence splitting, tokenisation, Unicode folding, date
 * lines, page furniture, HTML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "input/dm_clean.h"
#include "input/dm_date.h"
#include "input/dm_html.h"
#include "input/dm_text.h"

static size_t split(const char *text, dm_span_t **s)
{
        size_t n = 0, cap = 0;
        *s = NULL;
        dm_split_sentences(text, strlen(text), s, &n, &cap);
        return n;
}

static void test_sentences_abbreviations(void **state)
{
        const char *t = "The U.S. envoy, Mr. Lee, met Gen. Ruiz on Feb. 3 at No. 10 Main Road. "
                        "Growth was 3.5 per cent. J. R. Okoro agreed. It ended in the U.S. "
                        "The next day... nothing. \"Is it over?\" she asked. Yes!";
        dm_span_t *s;
        size_t n = split(t, &s);
        (void)state;
        assert_int_equal(n, 7);
        assert_memory_equal(t + s[0].start, "The U.S. envoy", 14);
        assert_memory_equal(t + s[1].start, "Growth", 6);
        assert_memory_equal(t + s[2].start, "J. R. Okoro agreed.", 19);
        assert_memory_equal(t + s[3].start, "It ended in the U.S.", 20);
        assert_int_equal(s[3].end - s[3].start, 20);
        assert_memory_equal(t + s[4].start, "The next day... nothing.", 24);
        assert_memory_equal(t + s[5].start, "\"Is it over?\" she asked.", 24);
        free(s);
}

static void test_sentences_no_number(void **state)
{
        const char *t = "He said no. The talks ended.";
        dm_span_t *s;
        (void)state;
        assert_int_equal(split(t, &s), 2);
        free(s);
}

static void test_tokens_hyphens(void **state)
{
        dm_tokens_t tk;
        const char *t = "the US-NATO embargo, anti-Russian course, Guinea-Bissau and U.S.-led";
        (void)state;
        dm_tokens_init(&tk);
        dm_tokenize(&tk, t, 0, (uint32_t)strlen(t));
        assert_string_equal(tk.toks[1].word, "US");
        assert_string_equal(tk.toks[2].word, "NATO");
        assert_true(tk.toks[2].hyphen_before);
        assert_false(tk.toks[1].hyphen_before);
        assert_string_equal(tk.toks[5].word, "ANTI-RUSSIAN");
        assert_string_equal(tk.toks[8].word, "GUINEA");
        assert_string_equal(tk.toks[9].word, "BISSAU");
        assert_string_equal(tk.toks[11].word, "U.S.");
        assert_string_equal(tk.toks[12].word, "LED");
        dm_tokens_free(&tk);
}

static void test_unicode_fold(void **state)
{
        /* e + combining acute, curly quotes, en dash, nbsp, soft hyphen,
         * zero-width space, ellipsis, CRLF */
        const char *in = "Cafe\xcc\x81 \xe2\x80\x9cTokyo\xe2\x80\x99s\xe2\x80\x9d "
                         "US\xe2\x80\x93NATO\xc2\xa0"
                         "de\xc2\xad"
                         "al\xe2\x80\x8b\xe2\x80\xa6\r\nend";
        char *out = dm_clean_unicode(in, strlen(in));
        (void)state;
        assert_string_equal(out, "Caf\xc3\xa9"
                                 " \"Tokyo's\" US-NATO deal...\nend");
        free(out);
        assert_null(dm_clean_unicode("bad \xff byte", 10));
        /* ASCII skips the normalisation: line ends and control characters
         * come out as in text with other characters. */
        out = dm_clean_unicode("a\r\nb\rc\x01"
                               "d\te\x7f",
                               11);
        assert_string_equal(out, "a\nb\nc d\te ");
        free(out);
        out = dm_clean_unicode("a\r\nb\rc\x01"
                               "d\te\x7f\xc3\xa9",
                               13);
        assert_string_equal(out, "a\nb\nc d\te \xc3\xa9");
        free(out);
}

static void test_datelines(void **state)
{
        int64_t ms;
        int tz;
        (void)state;
        assert_int_equal(dm_date_parse_line("21 Mar, 2022 18:55", 18, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(tz, 0);
        assert_int_equal(dm_date_parse_line("Mon 21 Mar 2022 18.55 GMT", 25, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(tz, 1);
        assert_int_equal(dm_date_parse_line("2022-03-21T21:55:00+03:00", 25, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(dm_date_parse_line("Published: March 21, 2022 6:55 pm UTC", 37, &ms, &tz),
                         0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(dm_date_parse_line("Updated 21 March 2022 21:55 MSK", 31, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(dm_date_parse_line("21.03.2022 18:55", 16, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(dm_date_parse_line("3/21/2022, 6:55 PM", 18, &ms, &tz), 0);
        assert_int_equal(ms, 1647888900000LL);
        assert_int_equal(dm_date_parse_line("Russia scraps talks in 2022", 27, &ms, &tz), -1);
        assert_int_equal(dm_date_parse_line("21 people died", 14, &ms, &tz), -1);
}

static void test_furniture(void **state)
{
        const char *yes[] = {
            "icon share-bicon playicon printicon closeicon",
            "Share on Facebook Share on Twitter Email", "Sign in Subscribe Menu Search",
            "We use cookies to improve your experience. Accept all", "Photo: Getty Images",
            "Image source, Reuters", "READ MORE: Moscow responds", "Updated 2 hours ago",
            "You can share this story on social media:", "Follow us on Telegram",
            /* 7 labels in 10 words: a list, just */
            "Blue Green Red Share Share Share Share Share Share Share", NULL};
        const char *no[] = {"Chile drops border talks with Bolivia",
                            "Norway joined the EU-US arms embargo against Myanmar.",
                            "Share prices fell in Tokyo on Monday after the announcement.",
                            "Blue Green Red Yellow Share Share Share Share Share Share", NULL};
        size_t i;
        (void)state;
        for (i = 0; yes[i]; i++)
                assert_true(dm_clean_is_furniture(yes[i], strlen(yes[i])));
        for (i = 0; no[i]; i++)
                assert_false(dm_clean_is_furniture(no[i], strlen(no[i])));
}

static void test_html(void **state)
{
        const char *h = "<html><head><title>T | Site</title></head><body><nav>Home World</nav>"
                        "<h1>Head line</h1><p>First &amp; <b>bold</b> para.</p>"
                        "<div class=\"share-tools\">Share</div><p>Second.</p>"
                        "<script>var x=1;</script><footer>Copyright</footer></body></html>";
        char *title = NULL, *t = dm_html_to_text(h, strlen(h), &title);
        (void)state;
        assert_string_equal(title, "Head line");
        assert_non_null(strstr(t, "First & bold para."));
        assert_non_null(strstr(t, "Second."));
        assert_null(strstr(t, "Home"));
        assert_null(strstr(t, "Share"));
        assert_null(strstr(t, "var x"));
        assert_null(strstr(t, "Copyright"));
        free(t);
        free(title);
        h = "<html><head><title>Kenya and Uganda sign deal - World | Example Post</title></head>"
            "<body><header><a class=\"logo\">Example Post</a></header><main><p>Text.</p></main>"
            "</body></html>";
        t = dm_html_to_text(h, strlen(h), &title);
        assert_string_equal(title, "Kenya and Uganda sign deal");
        assert_null(strstr(t, "Example Post"));
        free(t);
        free(title);
}

static void test_clean_article(void **state)
{
        const char *body = "Menu Search Sign in\n21 Mar, 2022 18:55\n\nA headline here\n\n"
                           "The lead paragraph says something\nA headline here\n\n"
                           "Body text that is\nhard wrapped here.\n\n"
                           "More from World\nRussia expels envoys\nIran talks stall\n";
        dm_clean_doc_t d;
        char err[128];
        (void)state;
        assert_int_equal(dm_clean_article(body, strlen(body), 0, NULL, &d, err, sizeof(err)), 0);
        assert_string_equal(d.title, "A headline here");
        assert_int_equal(d.published_ms, 1647888900000LL);
        assert_string_equal(d.text, "A headline here\n\nThe lead paragraph says something\n\n"
                                    "Body text that is hard wrapped here.");
        assert_memory_equal(d.text + d.lead_start, "The lead paragraph", 18);
        assert_int_equal(d.furniture_lines, 4);
        dm_clean_doc_clear(&d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_sentences_abbreviations),
            cmocka_unit_test(test_sentences_no_number),
            cmocka_unit_test(test_tokens_hyphens),
            cmocka_unit_test(test_unicode_fold),
            cmocka_unit_test(test_datelines),
            cmocka_unit_test(test_furniture),
            cmocka_unit_test(test_html),
            cmocka_unit_test(test_clean_article),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
