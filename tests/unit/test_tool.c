/* The `demarche` tool's commands, in-process: annotate (files, stdin, JSON
 * Lines) and check-config. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_log.h"
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
        assert_int_equal(dm_tool_check_config(path, 0, fo, fe), 1);
        fclose(fo);
        fclose(fe);
        snprintf(expect, sizeof(expect), "%s:2: unknown key \"wokers\"", path);
        assert_non_null(strstr(err, expect));
        free(out);
        free(err);
        unlink(path);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_annotate_raw_text),
            cmocka_unit_test(test_annotate_jsonl_with_bad_line),
            cmocka_unit_test(test_check_config),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
