/* libFuzzer target: arbitrary bytes as text for the parser. The bytes go
 * through the raw-text tokeniser and the project-token mapping (clitics)
 * and are parsed with the shipped model (DEMARCHE_MODELS, else the source
 * tree's models/); every head must lie inside the sentence. */
#include "demarche/dm_parse.h"
#include "input/dm_text.h"
#include "demarche/dm_parse_tok.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dm_parse_model_t *model;
static dm_parse_scratch_t *scratch;

static void check(const dm_parse_result_t *r)
{
        size_t i, roots = 0;
        for (i = 0; i < r->ntoks; i++) {
                if (r->toks[i].head < 0 || (size_t)r->toks[i].head > r->ntoks)
                        abort();
                roots += r->toks[i].head == 0;
        }
        if (r->ntoks && roots != 1)
                abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        dm_parse_map_t m;
        const dm_parse_result_t *r;
        const char *toks[64];
        size_t lens[64], n = 0, i = 0;
        if (!model) {
                char err[512], path[4096];
                const char *env = getenv("DEMARCHE_MODELS");
                if (env && *env)
                        snprintf(path, sizeof(path), "%s", dm_parse_model_default_path());
                else
                        snprintf(path, sizeof(path), "%s/models/en_ewt.dmparse",
                                 DM_TEST_SOURCE_DIR);
                model = dm_parse_model_load(path, err, sizeof(err));
                if (!model) {
                        fprintf(stderr, "fuzz_parse: %s\n", err);
                        abort();
                }
                scratch = dm_parse_scratch_new(model);
        }
        dm_parse_map_init(&m);
        dm_parse_map_text(&m, (const char *)data, size);
        dm_parse_tokens(scratch, m.forms, m.nforms, &r);
        check(r);
        /* The same bytes as project tokens: split at NUL and spaces. */
        while (i < size && n < 64) {
                size_t s = i;
                while (i < size && data[i] != ' ' && data[i] != 0)
                        i++;
                if (i > s) {
                        toks[n] = (const char *)data + s;
                        lens[n++] = i - s;
                }
                i++;
        }
        dm_parse_map_tokens(&m, toks, lens, n);
        dm_parse_tokens(scratch, m.forms, m.nforms, &r);
        check(r);
        for (i = 0; i < n; i++)
                if (dm_parse_map_head(&m, r, i) >= (long)n)
                        abort();
        /* And through the project's tokeniser, spans and all. */
        {
                dm_tokens_t tk;
                size_t *s, *e;
                dm_tokens_init(&tk);
                dm_tokenize(&tk, (const char *)data, 0, (uint32_t)size);
                s = malloc((tk.count + 1) * sizeof(*s));
                e = malloc((tk.count + 1) * sizeof(*e));
                if (s && e) {
                        for (i = 0; i < tk.count; i++) {
                                s[i] = tk.toks[i].span.start;
                                e[i] = tk.toks[i].span.end;
                        }
                        dm_parse_map_spans(&m, (const char *)data, 0, size, s, e, tk.count);
                        dm_parse_tokens(scratch, m.forms, m.nforms, &r);
                        check(r);
                        for (i = 0; i < tk.count; i++)
                                if (dm_parse_map_head(&m, r, i) >= (long)tk.count)
                                        abort();
                }
                free(s);
                free(e);
                dm_tokens_free(&tk);
        }
        dm_parse_map_free(&m);
        return 0;
}
