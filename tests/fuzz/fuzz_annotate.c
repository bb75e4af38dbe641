/* libFuzzer: arbitrary bytes as a whole input message, through everything a
 * worker does: envelope, cleaning, segmentation, coding with the project's
 * dictionaries, Avro encoding of every record and the JSON form. */
#include "demarche/dm_annotator.h"
#include "demarche/dm_article.h"
#include "demarche/dm_avro.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_log.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_result_json.h"

#include <stdio.h>
#include <stdlib.h>

static dm_dict_t *dict;
static dm_annotator_t *annotator;
static dm_avro_t *avro;
static dm_avro_encoder_t *encoder;

static void teardown(void)
{
        dm_avro_encoder_destroy(encoder);
        dm_avro_destroy(avro);
        dm_annotator_destroy(annotator);
        dm_dict_destroy(dict);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        char err[512];
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        dict = dm_dict_load(DM_TEST_SOURCE_DIR "/dictionaries", 0, err, sizeof(err));
        avro = dm_avro_new(err, sizeof(err));
        if (!dict || !avro) {
                fprintf(stderr, "fuzz_annotate: setup: %s\n", err);
                abort();
        }
        annotator = dm_annotator_new(dict);
        encoder = dm_avro_encoder_new(avro);
        atexit(teardown);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        dm_article_t a;
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[512];
        dm_buf_t out;
        size_t i;
        dm_article_init(&a);
        dm_result_init(&r);
        dm_buf_init(&out);
        if (dm_envelope_parse(data, size, &a, &reason, err, sizeof(err)) == 0 &&
            dm_annotate(annotator, &a, &r, &reason, err, sizeof(err)) == 0) {
                char *json;
                if (dm_avro_encode_article(encoder, &r, &out, err, sizeof(err)))
                        __builtin_trap(); /* our record must always fit our schema */
                for (i = 0; i < r.event_count; i++)
                        if (dm_avro_encode_event(encoder, &r, i, &out, err, sizeof(err)))
                                __builtin_trap();
                for (i = 0; i < r.entity_count; i++)
                        if (r.entities[i].start < 0 || r.entities[i].end < r.entities[i].start)
                                __builtin_trap();
                json = dm_result_to_json(&r, 0);
                free(json);
        }
        dm_buf_free(&out);
        dm_result_clear(&r);
        dm_article_clear(&a);
        return 0;
}
