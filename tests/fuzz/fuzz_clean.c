/* libFuzzer: arbitrary bytes as an article body through HTML parsing (gumbo),
 * furniture removal, Unicode normalisation and sentence segmentation — the
 * HTML-cleaning and segmentation stages on their own. The first byte picks
 * HTML or text. */
#include "input/dm_clean.h"
#include "input/dm_html.h"

#include "input/dm_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        dm_clean_doc_t doc;
        char err[256], *title = NULL, *published = NULL, *text;
        dm_span_t *spans = NULL;
        size_t count = 0, cap = 0, i;
        int html;
        if (size == 0)
                return 0;
        html = data[0] & 1;
        data++;
        size--;
        /* The parser alone, on any bytes. */
        text = dm_html_to_text_meta((const char *)data, size, &title, &published);
        free(text);
        free(title);
        free(published);
        dm_clean_doc_init(&doc);
        if (dm_clean_article((const char *)data, size, html, NULL, &doc, err, sizeof(err)) == 0 &&
            doc.text) {
                size_t len = strlen(doc.text);
                dm_split_sentences(doc.text, len, &spans, &count, &cap);
                for (i = 0; i < count; i++)
                        if (spans[i].start > spans[i].end || spans[i].end > len)
                                __builtin_trap();
        }
        free(spans);
        dm_clean_doc_clear(&doc);
        return 0;
}
