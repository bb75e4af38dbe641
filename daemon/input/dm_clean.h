/* Article cleaning: from the body as delivered (scraped text or HTML) to the
 * text the annotator reads, with the title and the date line taken out.
 *
 *   1. Unicode: NFC (utf8proc), typographic quotes and dashes folded to
 *      ASCII, no-break and zero-width spaces, soft hyphens and control
 *      characters removed or made spaces, CRLF to LF.
 *   2. HTML goes through dm_html (gumbo) first.
 *   3. Page furniture: icon and menu words, share/sign-in labels, cookie
 *      notices, photo credits, copyright lines.
 *   4. Date line ("21 Mar, 2022 18:55", "Mon 21 Mar 2022 18.55 GMT",
 *      "2022-03-21T18:55:00+03:00", "Published: March 21, 2022") parsed into
 *      a time; the title (given, or the first headline-like line) and lines
 *      repeating it are removed; paragraphs are separated by blank lines.
 *
 * The cleaned text is "title\n\nlead\n\nparagraph..." so the title is
 * sentence 0. Pure functions over caller-owned input; any thread. */
#ifndef DM_CLEAN_H
#define DM_CLEAN_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_clean_doc {
        char *text;                    /* cleaned text, NUL-terminated; owned */
        char *title;                   /* title found or given; NULL when none; owned */
        char *dateline;                /* date line as it appeared; NULL when none; owned */
        int64_t published_ms;          /* from the date line, -1 when none */
        int tz_known;                  /* 1 when the date line gave a zone or offset */
        uint32_t lead_start, lead_end; /* first paragraph after the title */
        size_t furniture_lines;        /* lines dropped as page furniture */
} dm_clean_doc_t;

void dm_clean_doc_init(dm_clean_doc_t *d);
void dm_clean_doc_clear(dm_clean_doc_t *d);

/* Cleans body[0, len) (HTML when is_html). given_title (may be NULL) is the
 * envelope's title: it wins over a title found in the text, and lines
 * repeating it are dropped. Returns 0, or -1 with errstr set when the input
 * is not valid UTF-8. */
int dm_clean_article(const char *body, size_t len, int is_html, const char *given_title,
                     dm_clean_doc_t *out, char *errstr, size_t errstr_size);

/* Step 1 alone: NFC and folding. Returns NULL when s is not valid UTF-8.
 * Caller frees. */
char *dm_clean_unicode(const char *s, size_t len);

/* 1 when the line is page furniture (icons, menus, share labels, cookie
 * notices, credits). */
int dm_clean_is_furniture(const char *line, size_t len);

#endif
