/* The `demarche` tool's commands, in-process: annotate (files, stdin, JSON
 * Lines), check-config and decode (files, kcat streams). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "demarche/dm_config.h"
#include "demarche/dm_avro.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_tool.h"

static char dicts[1024];

static int setup(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        if (!src) {
                fprintf(stderr, "DM_SOURCE_DIR not set\n");
                return -1;
        }
        snprintf(dicts, sizeof(dicts), "%s/dictionaries", src);
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        return 0;
}

/* Runs annotate over `input` on stdin; returns the exit status, stdout text
 * in *out (caller frees). */
static int run_annotate(int jsonl, const char *input, char **out, char **err)
{
        dm_annotate_opts_t o = {0};
        size_t olen = 0, elen = 0;
        FILE *in = fmemopen((void *)input, strlen(input), "r");
        FILE *fo = open_memstream(out, &olen), *fe = open_memstream(err, &elen);
        int rc;
        o.dictionaries = dicts;
        o.jsonl = jsonl;
        rc = dm_tool_annotate(&o, in, fo, fe);
        fclose(in);
        fclose(fo);
        fclose(fe);
        return rc;
}

static int has_country(json_t *rec, const char *code)
{
        json_t *ents = json_object_get(rec, "entities"), *e;
        size_t i;
        json_array_foreach(ents, i, e)
        {
                if (!strcmp(json_string_value(json_object_get(e, "type")), "COUNTRY") &&
                    !strcmp(json_string_value(json_object_get(e, "code")), code))
                        return 1;
        }
        return 0;
}

static void test_annotate_raw_text(void **state)
{
        char *out = NULL, *err = NULL;
        json_error_t je;
        json_t *rec;
        const char *text = "Japan and Russia held talks in Moscow on Monday. The Japanese "
                           "delegation left for Tokyo.";
        int rc = run_annotate(0, text, &out, &err);
        assert_int_equal(rc, 0);
        rec = json_loads(out, 0, &je);
        assert_non_null(rec);
        assert_true(has_country(rec, "JPN"));
        assert_true(has_country(rec, "RUS"));
        assert_int_equal(json_integer_value(json_object_get(rec, "sentence_count")), 2);
        /* Offsets point at the mention in the text the record carries. */
        {
                json_t *e = json_array_get(json_object_get(rec, "entities"), 0);
                const char *t = json_string_value(json_object_get(rec, "text"));
                json_int_t s = json_integer_value(json_object_get(e, "start"));
                json_int_t n = json_integer_value(json_object_get(e, "end")) - s;
                assert_true(n > 0);
                assert_memory_equal(t + s, n == 5 ? "Japan" : "Russia", (size_t)n);
        }
        json_decref(rec);
        free(out);
        free(err);
}

static void test_annotate_jsonl_with_bad_line(void **state)
{
        char *out = NULL, *err = NULL, *nl;
        const char *in = "{\"id\":\"a1\",\"text\":\"France and Brazil signed a deal.\"}\n"
                         "{\"id\":\"a2\",\"text\":\n"
                         "\n"
                         "{\"id\":\"a3\",\"html\":\"<p>Kenya hosted India.</p>\"}\n";
        int rc = run_annotate(1, in, &out, &err);
        json_error_t je;
        json_t *r1, *r3;
        assert_int_equal(rc, 1); /* one input failed */
        assert_non_null(strstr(err, "stdin:2: rejected (MALFORMED_JSON)"));
        nl = strchr(out, '\n');
        assert_non_null(nl);
        *nl = '\0';
        r1 = json_loads(out, 0, &je);
        r3 = json_loads(nl + 1, 0, &je);
        assert_non_null(r1);
        assert_non_null(r3);
        assert_string_equal(json_string_value(json_object_get(r1, "article_id")), "a1");
        assert_true(has_country(r1, "FRA") && has_country(r1, "BRA"));
        assert_string_equal(json_string_value(json_object_get(r3, "article_id")), "a3");
        assert_true(has_country(r3, "KEN") && has_country(r3, "IND"));
        /* HTML was reduced to text. */
        assert_null(strchr(json_string_value(json_object_get(r3, "text")), '<'));
        json_decref(r1);
        json_decref(r3);
        free(out);
        free(err);
}

static void test_check_config(void **state)
{
        char path[] = "/tmp/dm_test_tool_XXXXXX";
        int fd = mkstemp(path);
        const char *bad = "workers = 2\nwokers = 3\n";
        char *out = NULL, *err = NULL, expect[128];
        size_t olen, elen;
        FILE *fo, *fe;
        assert_true(fd >= 0);
        assert_int_equal(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
        close(fd);
        fo = open_memstream(&out, &olen);
        fe = open_memstream(&err, &elen);
        assert_int_equal(dm_config_check(path, 0, fo, fe), 1);
        fclose(fo);
        fclose(fe);
        snprintf(expect, sizeof(expect), "%s:2: unknown key \"wokers\"", path);
        assert_non_null(strstr(err, expect));
        free(out);
        free(err);
        unlink(path);
}

/* One AnnotatedArticle record with the given id, single-object encoded. */
static void encode_article(dm_avro_t *av, const char *id, dm_buf_t *out)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(av);
        dm_result_t r;
        char err[256];
        dm_result_init(&r);
        r.article_id = dm_strdup(id);
        r.text = dm_strdup("Japan met China.");
        assert_int_equal(dm_avro_encode_article(enc, &r, out, err, sizeof(err)), 0);
        dm_result_clear(&r);
        dm_avro_encoder_destroy(enc);
}

/* Runs decode over stdin (kcat) or files; returns the exit status. */
static int run_decode(dm_decode_opts_t *o, const dm_buf_t *in, char **out, char **err)
{
        size_t olen = 0, elen = 0;
        FILE *fi = fmemopen(in->data, in->len ? in->len : 1, "r");
        FILE *fo = open_memstream(out, &olen), *fe = open_memstream(err, &elen);
        int rc = dm_tool_decode(o, fi, fo, fe);
        fclose(fi);
        fclose(fo);
        fclose(fe);
        return rc;
}

/* Checks one output line: schema, key (NULL: null) and the article id. */
static void expect_decoded(const char *line, const char *key, const char *id)
{
        json_error_t je;
        json_t *rec = json_loads(line, JSON_DISABLE_EOF_CHECK, &je);
        if (!rec)
                fail_msg("not JSON: %s (%s)", line, je.text);
        assert_string_equal(json_string_value(json_object_get(rec, "schema")),
                            dm_avro_kind_name(DM_AVRO_ARTICLE));
        if (key)
                assert_string_equal(json_string_value(json_object_get(rec, "key")), key);
        else
                assert_true(json_is_null(json_object_get(rec, "key")));
        assert_string_equal(
            json_string_value(json_object_get(json_object_get(rec, "value"), "article_id")), id);
        json_decref(rec);
}

static void test_decode_kcat_and_files(void **state)
{
        char errstr[256], path[] = "/tmp/dm_test_decode_XXXXXX", *files[1] = {path};
        char *out = NULL, *err = NULL, *second;
        dm_avro_t *av = dm_avro_new(errstr, sizeof(errstr));
        dm_buf_t rec, in;
        dm_decode_opts_t o = {0};
        int fd;
        (void)state;
        assert_non_null(av);
        dm_buf_init(&rec);
        dm_buf_init(&in);

        /* kcat -f '%K\t%S\n%k%s\n': one keyed record, one without key. */
        encode_article(av, "dec-1", &rec);
        dm_buf_printf(&in, "3\t%zu\nk-1", rec.len);
        dm_buf_append(&in, rec.data, rec.len);
        encode_article(av, "dec-2", &rec);
        dm_buf_printf(&in, "\n-1\t%zu\n", rec.len);
        dm_buf_append(&in, rec.data, rec.len);
        dm_buf_putc(&in, '\n');
        o.kcat = 1;
        assert_int_equal(run_decode(&o, &in, &out, &err), 0);
        second = strchr(out, '\n');
        assert_non_null(second);
        expect_decoded(out, "k-1", "dec-1");
        expect_decoded(second + 1, NULL, "dec-2");
        free(out);
        free(err);

        /* A file holding one value. */
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, rec.data, rec.len), (ssize_t)rec.len);
        close(fd);
        o.kcat = 0;
        o.files = files;
        o.nfiles = 1;
        assert_int_equal(run_decode(&o, &in, &out, &err), 0);
        expect_decoded(out, NULL, "dec-2");
        free(out);
        free(err);

        /* Confluent framing without a registry to resolve the id: an error
         * naming the record, and the exit status says so. */
        dm_buf_reset(&in);
        dm_buf_append(&in, "\0\0\0\0\x07", 5);
        dm_buf_append(&in, rec.data + 10, rec.len - 10);
        fd = open(path, O_WRONLY | O_TRUNC);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, in.data, in.len), (ssize_t)in.len);
        close(fd);
        assert_int_equal(run_decode(&o, &in, &out, &err), 1);
        assert_non_null(strstr(err, "schema id 7): give --registry URL"));
        assert_non_null(strstr(err, path));
        free(out);
        free(err);

        unlink(path);
        dm_buf_free(&rec);
        dm_buf_free(&in);
        dm_avro_destroy(av);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_annotate_raw_text),
            cmocka_unit_test(test_annotate_jsonl_with_bad_line),
            cmocka_unit_test(test_check_config),
            cmocka_unit_test(test_decode_kcat_and_files),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
