/* EventCluster encoding (dm_avro_encode_cluster, printed by
 * dm_avro_decode_to_json as `demarche decode` does) and the DiplomaticEvent
 * reader of the clustering stage (dm_avro_brief_decode) in both framings. */
#include "demarche/dm_avro.h"
#include "demarche/dm_mem.h"
#include "output/dm_avro_brief.h"

#include <jansson.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static dm_avro_t *g_avro;
static dm_avro_encoder_t *g_enc;

static void test_cluster_round_trip(void **state)
{
        const char *ids[] = {"a-1", "b-2", "c-3"};
        dm_cluster_record_t c;
        dm_buf_t out, json;
        dm_avro_kind_t kind;
        json_error_t jerr;
        json_t *j, *arr;
        char err[256];
        size_t i;

        memset(&c, 0, sizeof(c));
        c.cluster_id = "0123456789abcdef0123456789abcdef";
        c.cluster_key = "USA|RUS|036|2026-12-05";
        c.source = "USA";
        c.target = "RUS";
        c.cameo_code = "036";
        c.cameo_root = "03";
        c.quad_class = 1;
        c.goldstein = 4.0;
        c.day = "2026-12-05";
        c.first_seen_ms = 1796000000000LL;
        c.last_seen_ms = 1796000050000LL;
        c.mentions = 5;
        c.articles = 3;
        c.sources = 2;
        c.article_ids = ids;
        c.article_id_count = 3;
        c.trigger = "meet";
        c.updated_ms = 1796000060000LL;
        dm_buf_init(&out);
        dm_buf_init(&json);
        assert_int_equal(dm_avro_encode_cluster(g_enc, &c, &out, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_identify(g_avro, out.data, out.len, &kind, err, sizeof(err)), 0);
        assert_int_equal(kind, DM_AVRO_CLUSTER);
        if (dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                fail_msg("decode: %s", err);
        j = json_loads(json.data, 0, &jerr);
        assert_non_null(j);
        assert_string_equal(json_string_value(json_object_get(j, "cluster_id")), c.cluster_id);
        assert_string_equal(json_string_value(json_object_get(j, "cluster_key")), c.cluster_key);
        assert_string_equal(json_string_value(json_object_get(j, "day")), c.day);
        assert_string_equal(json_string_value(json_object_get(j, "trigger")), "meet");
        assert_int_equal(json_integer_value(json_object_get(j, "articles")), 3);
        assert_int_equal(json_integer_value(json_object_get(j, "sources")), 2);
        assert_int_equal(json_integer_value(json_object_get(j, "mentions")), 5);
        assert_true(json_integer_value(json_object_get(j, "first_seen")) == c.first_seen_ms);
        assert_true(json_integer_value(json_object_get(j, "last_seen")) == c.last_seen_ms);
        arr = json_object_get(j, "article_ids");
        assert_int_equal(json_array_size(arr), 3);
        for (i = 0; i < 3; i++)
                assert_string_equal(json_string_value(json_array_get(arr, i)), ids[i]);
        json_decref(j);

        /* A null trigger and no article ids: the reused value is reset. */
        c.trigger = NULL;
        c.article_id_count = 0;
        assert_int_equal(dm_avro_encode_cluster(g_enc, &c, &out, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)),
                         0);
        j = json_loads(json.data, 0, &jerr);
        assert_non_null(j);
        assert_true(json_is_null(json_object_get(j, "trigger")));
        assert_int_equal(json_array_size(json_object_get(j, "article_ids")), 0);
        json_decref(j);
        dm_buf_free(&out);
        dm_buf_free(&json);
}

static void test_brief(void **state)
{
        dm_avro_brief_reader_t *rd = dm_avro_brief_reader_new(g_avro);
        dm_event_brief_t b;
        dm_result_t r;
        dm_event_t *ev;
        dm_buf_t out, conf;
        char err[256];

        memset(&b, 0, sizeof(b));
        dm_result_init(&r);
        r.article_id = dm_strdup("art-7");
        r.url = dm_strdup("https://news.example/x");
        r.published_ms = 1796000000123LL;
        dm_result_add_event(&r);
        ev = dm_result_add_event(&r);
        ev->source.code = dm_strdup("USAGOV");
        ev->source.country = dm_strdup("USA");
        ev->target.code = dm_strdup("RUS");
        ev->cameo_code = dm_strdup("0311");
        ev->cameo_root = dm_strdup("03");
        ev->quad_class = 1;
        ev->goldstein = 5.2;
        ev->trigger = dm_strdup("promised");
        ev->mentions = 2;
        dm_buf_init(&out);
        dm_buf_init(&conf);
        assert_int_equal(dm_avro_encode_event(g_enc, &r, 1, &out, err, sizeof(err)), 0);
        /* The same body in the Confluent framing. */
        dm_buf_append(&conf, "\0\0\0\0\x2a", 5);
        dm_buf_append(&conf, out.data + DM_AVRO_HEADER_SIZE, out.len - DM_AVRO_HEADER_SIZE);
        for (int framing = 0; framing < 2; framing++) {
                const dm_buf_t *in = framing ? &conf : &out;
                if (dm_avro_brief_decode(rd, in->data, in->len, &b, err, sizeof(err)))
                        fail_msg("brief: %s", err);
                assert_string_equal(b.event_id, "art-7:1");
                assert_string_equal(b.article_id, "art-7");
                assert_string_equal(b.url, "https://news.example/x");
                assert_string_equal(b.source_code, "USAGOV");
                assert_string_equal(b.source_country, "USA");
                assert_string_equal(b.target_code, "RUS");
                assert_null(b.target_country);
                assert_string_equal(b.cameo_code, "0311");
                assert_string_equal(b.cameo_root, "03");
                assert_string_equal(b.trigger, "promised");
                assert_true(b.published_ms == 1796000000123LL);
                assert_int_equal(b.mentions, 2);
                assert_int_equal(b.quad_class, 1);
                assert_true(b.goldstein > 5.19 && b.goldstein < 5.21);
        }
        /* Another schema's record is refused, as is garbage. */
        {
                dm_cluster_record_t c;
                memset(&c, 0, sizeof(c));
                assert_int_equal(dm_avro_encode_cluster(g_enc, &c, &out, err, sizeof(err)), 0);
                assert_int_equal(dm_avro_brief_decode(rd, out.data, out.len, &b, err, sizeof(err)),
                                 -1);
                assert_int_equal(dm_avro_brief_decode(rd, "xyz", 3, &b, err, sizeof(err)), -1);
        }
        dm_avro_brief_clear(&b);
        dm_result_clear(&r);
        dm_buf_free(&out);
        dm_buf_free(&conf);
        dm_avro_brief_reader_destroy(rd);
        dm_avro_brief_reader_destroy(NULL);
}

static int setup(void **state)
{
        char err[256];
        g_avro = dm_avro_new(err, sizeof(err));
        if (!g_avro) {
                print_error("dm_avro_new: %s\n", err);
                return -1;
        }
        g_enc = dm_avro_encoder_new(g_avro);
        return 0;
}

static int teardown(void **state)
{
        dm_avro_encoder_destroy(g_enc);
        dm_avro_destroy(g_avro);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_cluster_round_trip),
            cmocka_unit_test(test_brief),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
