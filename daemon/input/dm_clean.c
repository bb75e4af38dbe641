#include "input/dm_clean.h"
#include "input/dm_date.h"
#include "input/dm_html.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <utf8proc.h>

void dm_clean_doc_init(dm_clean_doc_t *d)
{
        memset(d, 0, sizeof(*d));
        d->published_ms = -1;
}

void dm_clean_doc_clear(dm_clean_doc_t *d)
{
        free(d->text);
        free(d->title);
        free(d->dateline);
        dm_clean_doc_init(d);
}

/* ---- Unicode -------------------------------------------------------- */

/* Typographic characters folded to what the dictionaries are written in:
 * they are ASCII, and "Tokyo's" with U+2019 must match TOKYO_ as "Tokyo's"
 * does. NULL replacement = drop the character. */
static const char *dm_clean_fold(utf8proc_int32_t cp)
{
        switch (cp) {
        case 0x2018:
        case 0x2019:
        case 0x201a:
        case 0x201b:
        case 0x2032:
        case 0x02bc:
                return "'";
        case 0x201c:
        case 0x201d:
        case 0x201e:
        case 0x201f:
        case 0x2033:
        case 0x00ab:
        case 0x00bb:
                return "\"";
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2212:
                return "-";
        case 0x2014:
        case 0x2015:
                return " - "; /* an em dash separates clauses, never joins words */
        case 0x2026:
                return "...";
        case 0x00a0:
        case 0x2007:
        case 0x2009:
        case 0x200a:
        case 0x202f:
        case 0x205f:
        case 0x3000:
        case 0x2002:
        case 0x2003:
        case 0x2004:
        case 0x2005:
        case 0x2006:
        case 0x2008:
                return " ";
        case 0x200b:
        case 0x200c:
        case 0x200d:
        case 0x2060:
        case 0xfeff:
        case 0x00ad:
                return "";
        case 0x2028:
        case 0x2029:
                return "\n";
        default:
                return NULL;
        }
}

char *dm_clean_unicode(const char *s, size_t len)
{
        utf8proc_uint8_t *nfc = NULL;
        const utf8proc_uint8_t *src = (const utf8proc_uint8_t *)s;
        utf8proc_ssize_t n = (utf8proc_ssize_t)len, i = 0;
        size_t j;
        dm_buf_t b;
        /* NFC: "e" + combining acute becomes one code point, so names typed
         * either way compare equal. ASCII is NFC already: most articles
         * skip the normalisation (a few percent of annotation time). */
        for (j = 0; j < len && !(src[j] & 0x80); j++)
                ;
        if (j < len) {
                n = utf8proc_map(src, (utf8proc_ssize_t)len, &nfc,
                                 UTF8PROC_STABLE | UTF8PROC_COMPOSE);
                if (n < 0)
                        return NULL;
                src = nfc;
        }
        dm_buf_init(&b);
        while (i < n) {
                utf8proc_int32_t cp;
                utf8proc_ssize_t k =
                    src[i] & 0x80 ? utf8proc_iterate(src + i, n - i, &cp) : (cp = src[i], 1);
                const char *f;
                if (k <= 0)
                        break;
                f = dm_clean_fold(cp);
                if (f)
                        dm_buf_puts(&b, f);
                else if (cp == '\r')
                        dm_buf_putc(&b, (i + 1 < n && src[i + 1] == '\n') ? '\0' : '\n');
                else if ((cp < 0x20 && cp != '\n' && cp != '\t') || (cp >= 0x7f && cp < 0xa0))
                        dm_buf_putc(&b, ' ');
                else
                        dm_buf_append(&b, src + i, (size_t)k);
                /* CRLF: the '\0' placeholder above is dropped here. */
                if (b.len && b.data[b.len - 1] == '\0')
                        b.len--;
                i += k;
        }
        free(nfc);
        if (!b.data)
                return dm_strdup("");
        return dm_buf_steal(&b);
}

/* ---- furniture ------------------------------------------------------ */

/* Words of navigation, sharing and account widgets. A line made mostly of
 * these (or of "...icon" class names leaking from icon fonts) is not text. */
static const char *dm_clean_ui_words[] = {"share",
                                          "shares",
                                          "tweet",
                                          "email",
                                          "e-mail",
                                          "print",
                                          "menu",
                                          "search",
                                          "subscribe",
                                          "login",
                                          "log",
                                          "sign",
                                          "in",
                                          "up",
                                          "out",
                                          "register",
                                          "follow",
                                          "us",
                                          "comments",
                                          "comment",
                                          "bookmark",
                                          "close",
                                          "home",
                                          "newsletter",
                                          "newsletters",
                                          "advertisement",
                                          "skip",
                                          "to",
                                          "content",
                                          "main",
                                          "navigation",
                                          "read",
                                          "more",
                                          "related",
                                          "topics",
                                          "facebook",
                                          "twitter",
                                          "whatsapp",
                                          "telegram",
                                          "vk",
                                          "linkedin",
                                          "reddit",
                                          "copy",
                                          "link",
                                          "download",
                                          "app",
                                          "x",
                                          "pinterest",
                                          "instagram",
                                          "youtube",
                                          "rss",
                                          "feed",
                                          "ok",
                                          "fm",
                                          "gp",
                                          "ins",
                                          "trending",
                                          "live",
                                          "video",
                                          "videos",
                                          "podcast",
                                          "podcasts",
                                          "opinion",
                                          "more",
                                          "next",
                                          "previous",
                                          "news",
                                          "world",
                                          "business",
                                          "sport",
                                          "sports",
                                          "politics",
                                          "culture",
                                          "lifestyle",
                                          "tech",
                                          "technology",
                                          "science",
                                          "health",
                                          "travel",
                                          "weather",
                                          "entertainment",
                                          "economy",
                                          "markets",
                                          "this",
                                          "article",
                                          "story",
                                          "page",
                                          "latest",
                                          "sections",
                                          "edition",
                                          "uk",
                                          "back",
                                          "top",
                                          "show",
                                          "hide",
                                          "save",
                                          "saved",
                                          "account",
                                          "my",
                                          "the",
                                          "on",
                                          "get",
                                          "our",
                                          "and",
                                          "&",
                                          "|",
                                          "-",
                                          "·",
                                          "•",
                                          NULL};

/* The UI words sorted once, so that every word of every line is one binary
 * search (the check runs on each line of each article). */
#define DM_CLEAN_NUI (sizeof(dm_clean_ui_words) / sizeof(dm_clean_ui_words[0]) - 1)
static const char *dm_clean_ui_sorted[DM_CLEAN_NUI];
static pthread_once_t dm_clean_ui_once = PTHREAD_ONCE_INIT;

static int dm_clean_cmp_str(const void *a, const void *b)
{
        return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void dm_clean_ui_sort(void)
{
        memcpy(dm_clean_ui_sorted, dm_clean_ui_words, sizeof(dm_clean_ui_sorted));
        qsort(dm_clean_ui_sorted, DM_CLEAN_NUI, sizeof(dm_clean_ui_sorted[0]), dm_clean_cmp_str);
}

static int dm_clean_is_ui_word(const char *w, size_t n)
{
        char low[32];
        const char *key = low;
        size_t k;
        if (n >= sizeof(low))
                return 0;
        for (k = 0; k < n; k++)
                low[k] = (char)tolower((unsigned char)w[k]);
        low[n] = '\0';
        if (n >= 4 && strstr(low, "icon"))
                return 1;
        pthread_once(&dm_clean_ui_once, dm_clean_ui_sort);
        return bsearch(&key, dm_clean_ui_sorted, DM_CLEAN_NUI, sizeof(dm_clean_ui_sorted[0]),
                       dm_clean_cmp_str) != NULL;
}

static int dm_clean_has(const char *line, size_t len, const char *needle)
{
        size_t l = strlen(needle), i;
        for (i = 0; i + l <= len; i++)
                if (!strncasecmp(line + i, needle, l))
                        return 1;
        return 0;
}

int dm_clean_is_furniture(const char *line, size_t len)
{
        int pass;
        size_t i = 0, words = 0, ui = 0, nonui = 0;
        int only_ui_list;
        for (pass = 0; pass < 2; pass++) {
                /* Pass 0 counts the words, pass 1 the widget labels among
                 * them, until more than 30% are not: then the line cannot
                 * be a list of labels (most lines stop at once). */
                for (i = 0; i < len && !(pass && nonui * 10 > words * 3);) {
                        size_t s;
                        while (i < len && isspace((unsigned char)line[i]))
                                i++;
                        s = i;
                        while (i < len && !isspace((unsigned char)line[i]))
                                i++;
                        if (i == s)
                                continue;
                        if (!pass)
                                words++;
                        else if (dm_clean_is_ui_word(line + s, i - s))
                                ui++;
                        else
                                nonui++;
                }
                if (!words)
                        return 0;
        }
        /* A list of widget labels; a real sentence of UI words ends in a
         * period and is long. */
        only_ui_list = ui * 10 >= words * 7 && !(len > 0 && line[len - 1] == '.' && words > 6);
        if (only_ui_list)
                return 1;
        if (words <= 20) {
                static const char *const prefixes[] = {"image source",
                                                       "image caption",
                                                       "media caption",
                                                       "read more",
                                                       "related:",
                                                       "related topics",
                                                       "related articles",
                                                       "more on this story",
                                                       "follow us",
                                                       "click here",
                                                       "advertisement",
                                                       "sponsored",
                                                       "listen to this article",
                                                       "watch:",
                                                       "watch the video",
                                                       "you may also like",
                                                       "recommended",
                                                       "sign up for",
                                                       "subscribe to",
                                                       "share this",
                                                       "getty images",
                                                       "(c) ",
                                                       "tags:",
                                                       "topics:",
                                                       "more from",
                                                       "related stories",
                                                       "most read",
                                                       "most popular",
                                                       "editor's picks",
                                                       "latest news",
                                                       "copyright",
                                                       "all rights reserved",
                                                       NULL};
                const char *const *pf;
                for (pf = prefixes; *pf; pf++)
                        if (len >= strlen(*pf) && !strncasecmp(line, *pf, strlen(*pf)))
                                return 1;
                /* Promotions: "You can share this story on social media",
                 * "Follow us on Telegram", "Join our channel" */
                if (words <= 14 &&
                    (dm_clean_has(line, len, "telegram") || dm_clean_has(line, len, "twitter") ||
                     dm_clean_has(line, len, "facebook") || dm_clean_has(line, len, "instagram") ||
                     dm_clean_has(line, len, "social media") ||
                     dm_clean_has(line, len, "whatsapp")) &&
                    (dm_clean_has(line, len, "follow") || dm_clean_has(line, len, "share") ||
                     dm_clean_has(line, len, "subscribe") || dm_clean_has(line, len, "join")))
                        return 1;
                /* Bylines: "By Staff Reporter", "By Jane Doe and John Roe" */
                if (words <= 8 && len > 3 && !strncmp(line, "By ", 3) &&
                    isupper((unsigned char)line[3]) && !(len > 0 && line[len - 1] == '.'))
                        return 1;
                /* "Updated 2 hours ago", "Published 5 mins ago" */
                if (words <= 8 && dm_clean_has(line, len, " ago") &&
                    (dm_clean_has(line, len, "hour") || dm_clean_has(line, len, "min") ||
                     dm_clean_has(line, len, "day") || dm_clean_has(line, len, "second")))
                        return 1;
        }
        if (dm_clean_has(line, len, "cookie") &&
            (dm_clean_has(line, len, "accept") || dm_clean_has(line, len, "we use") ||
             dm_clean_has(line, len, "consent") || dm_clean_has(line, len, "policy")))
                return 1;
        if (words <= 14 &&
            (dm_clean_has(line, len, "\xc2\xa9") ||
             dm_clean_has(line, len, "all rights reserved") ||
             dm_clean_has(line, len, "getty images") || !strncasecmp(line, "photo:", 6) ||
             !strncasecmp(line, "image:", 6) || !strncasecmp(line, "file photo", 10) ||
             dm_clean_has(line, len, "/ reuters") || dm_clean_has(line, len, "/ afp") ||
             dm_clean_has(line, len, "/ ap") || dm_clean_has(line, len, "sputnik /")))
                return 1;
        return 0;
}

/* ---- wire datelines --------------------------------------------------- */

/* Length of a wire-service dateline opening a paragraph ("MOSCOW, March 21
 * (Reuters) - ", "KYIV, Ukraine (AP) - ", "WASHINGTON - "), 0 when none. The
 * place is where the story was filed, not an actor of its first sentence. */
static size_t dm_clean_wire_dateline(const char *p, size_t n)
{
        size_t i = 0, caps = 0;
        while (i < n && i < 40 &&
               (isupper((unsigned char)p[i]) || p[i] == ' ' || p[i] == '.' || p[i] == '\'' ||
                p[i] == '-')) {
                if (isupper((unsigned char)p[i]))
                        caps++;
                if (p[i] == ' ' && i + 1 < n && p[i + 1] == '-')
                        break;
                i++;
        }
        if (caps < 3 || i == 0 || (i < n && islower((unsigned char)p[i])))
                return 0;
        /* ", Ukraine", ", March 21": up to the agency or the dash */
        if (i < n && p[i] == ',') {
                size_t j = i + 1;
                while (j < n && j < i + 32 && p[j] != '(' && p[j] != '-' && p[j] != '.')
                        j++;
                if (j >= n || p[j] == '.')
                        return 0;
                i = j;
        }
        while (i < n && p[i] == ' ')
                i++;
        if (i < n && p[i] == '(') {
                const char *e = memchr(p + i, ')', n - i);
                if (!e || e - (p + i) > 30)
                        return 0;
                i = (size_t)(e - p) + 1;
        }
        while (i < n && p[i] == ' ')
                i++;
        if (i >= n || p[i] != '-')
                return 0;
        while (i < n && p[i] == '-')
                i++;
        while (i < n && p[i] == ' ')
                i++;
        return i < n ? i : 0;
}

/* ---- lines and paragraphs ------------------------------------------ */

typedef struct dm_clean_line {
        const char *p;
        size_t n;
        int blank_before; /* a blank line precedes it */
} dm_clean_line_t;

/* Whitespace- and case-insensitive equality: "trade  talks" repeats
 * "trade talks". */
static int dm_clean_same_text(const char *a, size_t an, const char *b, size_t bn)
{
        size_t i = 0, j = 0;
        for (;;) {
                while (i < an && isspace((unsigned char)a[i]))
                        i++;
                while (j < bn && isspace((unsigned char)b[j]))
                        j++;
                if (i == an || j == bn)
                        return i == an && j == bn;
                if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
                        return 0;
                i++;
                j++;
        }
}

static int dm_clean_ends_sentence(const char *p, size_t n)
{
        while (n && (p[n - 1] == '"' || p[n - 1] == '\'' || p[n - 1] == ')'))
                n--;
        return n && (p[n - 1] == '.' || p[n - 1] == '!' || p[n - 1] == '?' || p[n - 1] == ':');
}

static size_t dm_clean_words(const char *p, size_t n)
{
        size_t i, w = 0;
        for (i = 0; i < n; i++)
                if (!isspace((unsigned char)p[i]) && (i == 0 || isspace((unsigned char)p[i - 1])))
                        w++;
        return w;
}

/* Appends a line to the output, collapsing inner runs of spaces. */
static void dm_clean_put_line(dm_buf_t *b, const char *p, size_t n)
{
        size_t i;
        int sp = 0;
        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)p[i];
                if (c == ' ' || c == '\t') {
                        sp = 1;
                        continue;
                }
                if (sp && b->len && b->data[b->len - 1] != '\n')
                        dm_buf_putc(b, ' ');
                sp = 0;
                dm_buf_putc(b, (char)c);
        }
}

static void dm_clean_trim(const char **p, size_t *n)
{
        while (*n && isspace((unsigned char)(*p)[0])) {
                (*p)++;
                (*n)--;
        }
        while (*n && isspace((unsigned char)(*p)[*n - 1]))
                (*n)--;
}

int dm_clean_article(const char *body, size_t len, int is_html, const char *given_title,
                     dm_clean_doc_t *out, char *errstr, size_t errstr_size)
{
        char *uni = NULL, *html_title = NULL, *src;
        dm_clean_line_t *lines = NULL;
        size_t nlines = 0, cap = 0, i, title_line = (size_t)-1, head_limit;
        const char *title = given_title;
        dm_buf_t b;
        int rc = -1, blank = 1, have_par = 0, in_lead = 0;

        dm_clean_doc_init(out);
        dm_buf_init(&b);
        uni = dm_clean_unicode(body, len);
        if (!uni) {
                snprintf(errstr, errstr_size, "text is not valid UTF-8");
                goto done;
        }
        if (is_html) {
                char *pub = NULL;
                char *t = dm_html_to_text_meta(uni, strlen(uni), &html_title, &pub);
                int64_t ms;
                int tzk;
                /* The page's machine-readable time beats a date line. */
                if (pub && dm_date_parse_line(pub, strlen(pub), &ms, &tzk) == 0) {
                        out->dateline = pub;
                        out->published_ms = ms;
                        out->tz_known = tzk;
                        pub = NULL;
                }
                free(pub);
                free(uni);
                /* Entities the parser decoded (&nbsp;, &rsquo;) fold too. */
                uni = dm_clean_unicode(t, strlen(t));
                free(t);
                if (html_title) {
                        char *ft = dm_clean_unicode(html_title, strlen(html_title));
                        free(html_title);
                        html_title = ft;
                }
                if (!uni) {
                        snprintf(errstr, errstr_size, "HTML text is not valid UTF-8");
                        goto done;
                }
        }
        src = uni;
        /* Split into trimmed lines, remembering blank-line boundaries. */
        while (*src) {
                const char *e = strchr(src, '\n');
                const char *p = src;
                size_t n = e ? (size_t)(e - src) : strlen(src);
                src += n + (e ? 1 : 0);
                dm_clean_trim(&p, &n);
                if (!n) {
                        blank = 1;
                        continue;
                }
                dm_grow((void **)&lines, &cap, nlines + 1, sizeof(*lines));
                lines[nlines].p = p;
                lines[nlines].n = n;
                lines[nlines].blank_before = blank;
                nlines++;
                blank = 0;
        }
        if (!title && html_title && *html_title)
                title = html_title;
        /* The head of the page (before the first long paragraph) holds the
         * furniture, the date line and the title. */
        for (i = 0; i < nlines; i++) {
                if (dm_clean_is_furniture(lines[i].p, lines[i].n)) {
                        out->furniture_lines++;
                        lines[i].n = 0;
                }
        }
        /* A run of two or more short lines without sentence punctuation
         * closing the page is a list of links ("More from World", related
         * headlines), not text. */
        {
                size_t k = nlines, run = 0;
                while (k > 0) {
                        const dm_clean_line_t *l = &lines[k - 1];
                        if (!l->n) {
                                k--;
                                continue;
                        }
                        if (dm_clean_words(l->p, l->n) > 14 || dm_clean_ends_sentence(l->p, l->n))
                                break;
                        run++;
                        k--;
                }
                /* ... and only when text remains before it. */
                size_t m, before = 0;
                for (m = 0; m < k; m++)
                        before += lines[m].n && dm_clean_ends_sentence(lines[m].p, lines[m].n);
                if (run >= 2 && before > 0) {
                        for (m = k; m < nlines; m++) {
                                if (lines[m].n)
                                        out->furniture_lines++;
                                lines[m].n = 0;
                        }
                }
        }
        head_limit = nlines;
        for (i = 0; i < nlines; i++) {
                if (dm_clean_words(lines[i].p, lines[i].n) > 25) {
                        head_limit = i;
                        break;
                }
        }
        for (i = 0; i < nlines; i++) {
                dm_clean_line_t *l = &lines[i];
                int64_t ms;
                int tzk;
                if (!l->n)
                        continue;
                if (!out->dateline && i <= head_limit &&
                    dm_date_parse_line(l->p, l->n, &ms, &tzk) == 0) {
                        out->dateline = dm_strndup(l->p, l->n);
                        out->published_ms = ms;
                        out->tz_known = tzk;
                        l->n = 0;
                        continue;
                }
                if (title && dm_clean_same_text(l->p, l->n, title, strlen(title))) {
                        l->n = 0; /* the title, or a caption repeating it */
                        continue;
                }
                if (!title && title_line == (size_t)-1 && i < head_limit && l->n <= 250 &&
                    !dm_clean_ends_sentence(l->p, l->n) && dm_clean_words(l->p, l->n) <= 25) {
                        title_line = i;
                        out->title = dm_strndup(l->p, l->n);
                        title = out->title;
                        l->n = 0;
                }
        }
        if (!out->title && title)
                out->title = dm_strdup(title);
        if (out->title) {
                dm_clean_put_line(&b, out->title, strlen(out->title));
                have_par = 1;
        }
        for (i = 0; i < nlines; i++) {
                dm_clean_line_t *l = &lines[i];
                int join;
                if (!l->n)
                        continue;
                /* A hard-wrapped line continues the paragraph: the next line
                 * starts in lower case, or this one stops mid-sentence at a
                 * wrapping width with no blank line between. */
                join = have_par && !l->blank_before && b.len && i > 0 && lines[i - 1].n &&
                       (islower((unsigned char)l->p[0]) ||
                        (lines[i - 1].n >= 60 && lines[i - 1].n <= 80 &&
                         !dm_clean_ends_sentence(lines[i - 1].p, lines[i - 1].n)));
                if (join) {
                        dm_buf_putc(&b, ' ');
                } else {
                        if (in_lead == 1) {
                                out->lead_end = (uint32_t)b.len;
                                in_lead = 2;
                        }
                        if (have_par)
                                dm_buf_puts(&b, "\n\n");
                        if (!in_lead) {
                                out->lead_start = (uint32_t)b.len;
                                in_lead = 1;
                        }
                }
                if (in_lead == 1 && !join && out->lead_start == b.len) {
                        size_t w = dm_clean_wire_dateline(l->p, l->n);
                        if (w && !out->dateline)
                                out->dateline = dm_strndup(l->p, w);
                        l->p += w;
                        l->n -= w;
                }
                dm_clean_put_line(&b, l->p, l->n);
                have_par = 1;
        }
        if (in_lead == 1)
                out->lead_end = (uint32_t)b.len;
        out->text = b.data ? dm_buf_steal(&b) : dm_strdup("");
        rc = 0;
done:
        dm_buf_free(&b);
        free(lines);
        free(uni);
        free(html_title);
        return rc;
}
