/* libFuzzer target: arbitrary bytes as a dictionary file. The first byte
 * picks the loader (actors, agents, verbs, options, issues, discards, event
 * nouns, rules); the rest is written to a temporary file and loaded, then a
 * fixed sentence is coded with whatever loaded (event nouns in parse mode,
 * with the shipped parser model when it is there; rules by the annotator,
 * whose frames and domestic frames run after the coder). */
#include "demarche/dm_annotator.h"
#include "demarche/dm_article.h"
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const suffix[] = {".actors",     ".agents",       ".verbs", ".options",
                                             "_issues.txt", "_discards.txt", ".nouns", ".rules"};
        static const char sentence[] =
            "Arnor on Thursday signed an accord with Gondor, officials said, after Arnorian air "
            "strikes on Gondor and talks between Arnor and Gondor.";
        static dm_parse_model_t *model;
        static int model_tried;
        char path[64], spec[512], err[512];
        const char *demo = DM_TEST_SOURCE_DIR "/../shared/conformance/tabari/TABARI.Demo.actors";
        dm_dict_t *d;
        FILE *fp;
        int kind;
        if (size < 1)
                return 0;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        kind = data[0] % 8;
        if (!model_tried) {
                model_tried = 1;
                model = dm_parse_model_load(DM_TEST_SOURCE_DIR "/models/en_ewt.dmparse", err,
                                            sizeof(err));
        }
        snprintf(path, sizeof(path), "/tmp/dm_fuzz_dict_%d%s", (int)getpid(), suffix[kind]);
        fp = fopen(path, "wb");
        if (!fp)
                return 0;
        fwrite(data + 1, 1, size - 1, fp);
        fclose(fp);
        /* Actors are required: pair the fuzzed file with the demo actors
         * unless it is an actors file itself. */
        if (kind == 0 || access(demo, R_OK))
                snprintf(spec, sizeof(spec), "%s", path);
        else
                snprintf(spec, sizeof(spec), "%s,%s", demo, path);
        d = dm_dict_load(spec, data[0] & 0x80, err, sizeof(err));
        if (d) {
                dm_coder_t *c = dm_coder_new(d);
                dm_coded_sentence_t cs;
                if (kind == 6)
                        dm_coder_set_parser(c, model);
                dm_coder_code_ymd(c, sentence, 0, sizeof(sentence) - 1, 20020101, &cs);
                dm_coder_destroy(c);
                if (kind == 7) {
                        static const char article[] =
                            "Arnor imposed sanctions on Gondor and expelled its diplomats. Police "
                            "arrested dozens of protesters in Arnor, and a curfew was imposed.";
                        dm_annotator_t *an = dm_annotator_new(d);
                        dm_article_t a;
                        dm_result_t r;
                        dm_reject_reason_t reason;
                        dm_article_init(&a);
                        dm_result_init(&r);
                        a.id = strdup("fuzz");
                        a.body = strdup(article);
                        a.body_len = sizeof(article) - 1;
                        a.content_type = DM_CONTENT_TEXT;
                        dm_annotate(an, &a, &r, &reason, err, sizeof(err));
                        dm_result_clear(&r);
                        dm_article_clear(&a);
                        dm_annotator_destroy(an);
                }
                dm_dict_destroy(d);
        }
        unlink(path);
        return 0;
}
