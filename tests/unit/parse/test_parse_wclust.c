/* Word clusters (dm_wclust.h): made twice from one text they are the same
 * bytes, words of the same contexts share a cluster, a malformed cluster
 * file is refused with the line, and train-parser --clusters puts every
 * word's cluster into the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_buf.h"
#include "demarche/dm_parse.h"
#include "demarche/dm_parse_train.h"
#include "demarche/dm_str.h"
#include "demarche/dm_wclust.h"
#include "dm_test_support.h"
#include "parse/dm_parse_model.h"
#include "parse/dm_parser.h"

static char dir[] = "/tmp/dm_test_wclust_XXXXXX";

static const char *const names[] = {"russia", "china", "japan", "france"};
static const char *const verbs[] = {"imposed", "lifted", "announced", "rejected"};

static int setup(void **state)
{
        dm_buf_t text;
        size_t i, j;
        (void)state;
        if (dm_test_mkdtemp(dir))
                return -1;
        /* Names after "the" and before "said", verbs after "they" and
         * before "it": two sets of words with contexts of their own. */
        dm_buf_init(&text);
        for (i = 0; i < 4; i++)
                for (j = 0; j < 4; j++)
                        dm_buf_printf(&text, "The %s said they %s it.\n", names[i], verbs[j]);
        dm_test_write_file(dir, "text.txt", text.data);
        dm_buf_free(&text);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        return dm_test_rmdir(dir);
}

static void make(const char *out)
{
        static const unsigned bits[] = {2, 1};
        dm_wclust_opts_t o;
        char err[256], text[256], path[256];
        memset(&o, 0, sizeof(o));
        o.text = dm_test_path(text, sizeof(text), dir, "text.txt");
        o.out = dm_test_path(path, sizeof(path), dir, out);
        o.min_count = 1;
        o.iters = 10;
        o.bits = bits;
        o.nlevels = 2;
        assert_int_equal(dm_wclust_make(&o, err, sizeof(err)), 0);
}

static uint32_t code_of(const dm_wclust_map_t *m, const char *w)
{
        return dm_wclust_get(m, dm_fnv1a64(w, strlen(w)));
}

static void test_make(void **state)
{
        dm_buf_t a, b;
        dm_wclust_map_t m;
        char err[256], path[256];
        size_t i;
        (void)state;
        make("a.clusters");
        make("b.clusters");
        dm_test_read_file(dir, "a.clusters", &a);
        dm_test_read_file(dir, "b.clusters", &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        assert_int_equal(dm_wclust_load(&m, dm_test_path(path, sizeof(path), dir, "a.clusters"),
                                        err, sizeof(err)),
                         0);
        assert_int_equal(m.nbits, 3);
        /* the, said, they, it, ., 4 names, 4 verbs */
        assert_int_equal(m.n, 13);
        for (i = 0; i < 4; i++) {
                assert_int_equal(code_of(&m, names[i]) >> 3, 1); /* a leading 1, 3 bits */
                assert_int_equal(code_of(&m, names[i]), code_of(&m, names[0]));
                assert_int_equal(code_of(&m, verbs[i]), code_of(&m, verbs[0]));
        }
        assert_int_not_equal(code_of(&m, names[0]), code_of(&m, verbs[0]));
        assert_int_equal(code_of(&m, "unseen"), 0);
        assert_int_equal(dm_wclust_prefix(code_of(&m, "russia"), 3, 2), code_of(&m, "russia") >> 1);
        dm_wclust_free(&m);
        dm_buf_free(&a);
        dm_buf_free(&b);
}

static void expect_refused(const char *text, const char *why)
{
        dm_wclust_map_t m;
        char err[256], path[256];
        dm_test_write_file(dir, "bad.clusters", text);
        err[0] = 0;
        assert_int_equal(dm_wclust_load(&m, dm_test_path(path, sizeof(path), dir, "bad.clusters"),
                                        err, sizeof(err)),
                         -1);
        if (!strstr(err, why))
                fail_msg("\"%s\" does not say \"%s\"", err, why);
        assert_int_equal(m.n, 0);
        assert_null(m.key);
}

static void test_refused(void **state)
{
        dm_wclust_map_t m;
        char err[256];
        (void)state;
        expect_refused("01\tthe\t5\n01 said 3\n", ":2:");
        expect_refused("01\tthe\t5\n0x\tsaid\t3\n", ":2:");
        expect_refused("01\tthe\t5\n011\tsaid\t3\n", ":2:"); /* another length */
        expect_refused("01\tThe\t5\n", ":1:");               /* not lower-cased */
        expect_refused("01\tthe\t0\n", ":1:");               /* count 0 */
        expect_refused("01\tthe\t5x\n", ":1:");
        expect_refused("01\t\t5\n", ":1:");  /* no word */
        expect_refused("\tthe\t5\n", ":1:"); /* no path */
        expect_refused("01\tthe\t5\n0101010101010101010101010\tx\t1\n", ":2:");
        expect_refused("01\tthe\t5\n10\tthe\t3\n", "twice");
        expect_refused("", "no clusters");
        assert_int_equal(dm_wclust_load(&m, "/nonexistent/x.clusters", err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot open"));
}

static void test_in_model(void **state)
{
        dm_parse_train_opts_t o;
        dm_wclust_map_t c;
        dm_parse_model_t *m;
        char err[256], tiny[512], cl[256], model[256];
        const char *src = getenv("DM_SOURCE_DIR");
        size_t i;
        (void)state;
        assert_non_null(src);
        snprintf(tiny, sizeof(tiny), "%s/tests/data/parse/tiny.conllu", src);
        make("m.clusters");
        memset(&o, 0, sizeof(o));
        o.train = tiny;
        o.out = dm_test_path(model, sizeof(model), dir, "m.dmparse");
        o.seed = 1;
        o.epochs = 5;
        o.clusters = dm_test_path(cl, sizeof(cl), dir, "m.clusters");
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), 0);
        m = dm_parse_model_load(model, err, sizeof(err));
        assert_non_null(m);
        assert_int_equal(dm_wclust_load(&c, cl, err, sizeof(err)), 0);
        for (i = 0; i < c.n; i++) {
                const unsigned char *row = dm_ptable_get(&m->ambig, dm_parser_amb_key(c.key[i]));
                uint32_t code;
                assert_non_null(row);
                memcpy(&code, row + 12, 4);
                assert_int_equal(code, c.code[i]);
        }
        dm_wclust_free(&c);
        dm_parse_model_destroy(m);
        /* A malformed cluster file stops training with its message. */
        dm_test_write_file(dir, "bad.clusters", "01\tthe\n");
        o.clusters = dm_test_path(cl, sizeof(cl), dir, "bad.clusters");
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "bad.clusters:1:"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_make),
            cmocka_unit_test(test_refused),
            cmocka_unit_test(test_in_model),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
