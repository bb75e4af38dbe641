/* The model file: training is deterministic for a seed, a saved model
 * loads (from a file or memory) and parses identically, reproduces the
 * trees it was trained on, and a corrupt, truncated or foreign file is
 * refused with a message. Overlong sentences are cut and flagged. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_mem.h"
#include "demarche/dm_parse.h"
#include "demarche/dm_conllu.h"
#include "parse/dm_parse_model.h"
#include "demarche/dm_parse_train.h"
#include "dm_test_support.h"

static char tiny[1024], model_a[128], model_b[128], scratch_path[128];

static void train(const char *out, unsigned long seed)
{
        dm_parse_train_opts_t o;
        char err[256];
        memset(&o, 0, sizeof(o));
        o.train = tiny;
        o.out = out;
        o.seed = seed;
        o.epochs = 15;
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), 0);
}

static int setup(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        (void)state;
        if (!src)
                return -1;
        snprintf(tiny, sizeof(tiny), "%s/tests/data/parse/tiny.conllu", src);
        snprintf(model_a, sizeof(model_a), "/tmp/dm_pmodel_a_%d.dmparse", (int)getpid());
        snprintf(model_b, sizeof(model_b), "/tmp/dm_pmodel_b_%d.dmparse", (int)getpid());
        snprintf(scratch_path, sizeof(scratch_path), "/tmp/dm_pmodel_x_%d.dmparse", (int)getpid());
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        remove(model_a);
        remove(model_b);
        remove(scratch_path);
        return 0;
}

static void test_deterministic_and_round_trip(void **state)
{
        dm_buf_t a, b;
        dm_conllu_doc_t d;
        dm_parse_model_t *m1, *m2;
        dm_parse_scratch_t *s1, *s2;
        char err[256];
        size_t i, j;
        (void)state;
        train(model_a, 7);
        train(model_b, 7);
        dm_test_read_file(NULL, model_a, &a);
        dm_test_read_file(NULL, model_b, &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        m1 = dm_parse_model_load(model_a, err, sizeof(err));
        assert_non_null(m1);
        m2 = dm_parse_model_load_mem(b.data, b.len, err, sizeof(err));
        assert_non_null(m2);
        s1 = dm_parse_scratch_new(m1);
        s2 = dm_parse_scratch_new(m2);
        assert_int_equal(dm_conllu_load(tiny, 0, &d, err, sizeof(err)), 0);
        for (i = 0; i < d.n; i++) {
                const char *forms[16];
                const dm_parse_result_t *r1, *r2;
                for (j = 0; j < d.s[i].n; j++)
                        forms[j] = d.s[i].w[j].col[DM_CU_FORM];
                dm_parse_tokens(s1, forms, d.s[i].n, &r1);
                dm_parse_tokens(s2, forms, d.s[i].n, &r2);
                assert_int_equal(r1->ntoks, d.s[i].n);
                for (j = 0; j < d.s[i].n; j++) {
                        const dm_conllu_word_t *g = &d.s[i].w[j];
                        assert_int_equal(r1->toks[j].head, r2->toks[j].head);
                        assert_string_equal(r1->toks[j].deprel, r2->toks[j].deprel);
                        assert_string_equal(r1->toks[j].xpos, r2->toks[j].xpos);
                        /* Trained to convergence on these very trees. */
                        assert_int_equal(r1->toks[j].head, g->head);
                        assert_string_equal(r1->toks[j].deprel, g->col[DM_CU_DEPREL]);
                        assert_string_equal(r1->toks[j].upos, g->col[DM_CU_UPOS]);
                        assert_string_equal(r1->toks[j].lemma, g->col[DM_CU_LEMMA]);
                }
        }
        dm_conllu_doc_free(&d);
        dm_parse_scratch_destroy(s1);
        dm_parse_scratch_destroy(s2);
        dm_parse_model_destroy(m1);
        dm_parse_model_destroy(m2);
        dm_parse_model_destroy(NULL);
        dm_parse_scratch_destroy(NULL);
        dm_buf_free(&a);
        dm_buf_free(&b);
}

/* --fold-classes: deterministic, changes the tagger (each sentence meets
 * the classes of the other folds), and needs folds. */
static void test_fold_classes(void **state)
{
        dm_parse_train_opts_t o;
        dm_buf_t a, b, c;
        char err[256] = "";
        (void)state;
        memset(&o, 0, sizeof(o));
        o.train = tiny;
        o.seed = 3;
        o.epochs = 5;
        o.folds = 2;
        o.out = model_a;
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), 0);
        o.fold_classes = 1;
        o.out = model_b;
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), 0);
        o.out = scratch_path;
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), 0);
        dm_test_read_file(NULL, model_a, &a);
        dm_test_read_file(NULL, model_b, &b);
        dm_test_read_file(NULL, scratch_path, &c);
        assert_int_equal(b.len, c.len);
        assert_memory_equal(b.data, c.data, b.len);
        assert_true(a.len != b.len || memcmp(a.data, b.data, a.len));
        o.folds = 0;
        assert_int_equal(dm_parse_train(&o, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "--fold-classes needs --folds"));
        dm_buf_free(&a);
        dm_buf_free(&b);
        dm_buf_free(&c);
}

static void expect_refused(const void *data, size_t len, const char *why)
{
        char err[256] = "";
        dm_parse_model_t *m = dm_parse_model_load_mem(data, len, err, sizeof(err));
        assert_null(m);
        if (!strstr(err, why))
                fail_msg("expected '%s' in '%s'", why, err);
}

static void test_corrupt(void **state)
{
        dm_buf_t a;
        char err[256];
        uint32_t v;
        uint64_t sum;
        (void)state;
        train(model_a, 3);
        dm_test_read_file(NULL, model_a, &a);
        /* A flipped byte in the weights. */
        a.data[a.len / 2] ^= 0x40;
        expect_refused(a.data, a.len, "checksum");
        a.data[a.len / 2] ^= 0x40;
        /* Truncated anywhere. */
        expect_refused(a.data, a.len - 1, "truncated");
        expect_refused(a.data, 100, "truncated");
        expect_refused(a.data, 10, "magic");
        expect_refused(a.data, 0, "magic");
        /* Another version, checksum fixed up. */
        v = 99;
        memcpy(a.data + 8, &v, 4);
        expect_refused(a.data, a.len, "version");
        v = DM_PMODEL_VERSION;
        memcpy(a.data + 8, &v, 4);
        /* A section table pointing outside the file, checksum fixed up. */
        memset(a.data + DM_PMODEL_HEADER + 8, 0xff, 8);
        sum = dm_pmodel_checksum(a.data + DM_PMODEL_HEADER, a.len - DM_PMODEL_HEADER);
        memcpy(a.data + 24, &sum, 8);
        expect_refused(a.data, a.len, "out of bounds");
        /* A missing file. */
        assert_null(dm_parse_model_load("/nonexistent/x.dmparse", err, sizeof(err)));
        assert_non_null(strstr(err, "cannot open"));
        dm_buf_free(&a);
}

static void test_overlong(void **state)
{
        const char *forms[300];
        const dm_parse_result_t *r;
        dm_parse_model_t *m;
        dm_parse_scratch_t *s;
        char err[256];
        size_t i, roots = 0;
        (void)state;
        train(model_a, 1);
        m = dm_parse_model_load(model_a, err, sizeof(err));
        assert_non_null(m);
        s = dm_parse_scratch_new(m);
        for (i = 0; i < 300; i++)
                forms[i] = i % 3 == 2 ? "sanctions" : i % 3 ? "imposed" : "Russia";
        dm_parse_tokens(s, forms, 300, &r);
        assert_true(r->truncated);
        assert_int_equal(r->ntoks, DM_PARSE_MAX_TOKENS);
        assert_int_equal(r->ntoks_in, 300);
        for (i = 0; i < r->ntoks; i++) {
                assert_in_range(r->toks[i].head, 0, DM_PARSE_MAX_TOKENS);
                roots += r->toks[i].head == 0;
        }
        assert_int_equal(roots, 1);
        dm_parse_tokens(s, forms, 0, &r);
        assert_int_equal(r->ntoks, 0);
        assert_false(r->truncated);
        dm_parse_scratch_destroy(s);
        dm_parse_model_destroy(m);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_deterministic_and_round_trip),
            cmocka_unit_test(test_fold_classes),
            cmocka_unit_test(test_corrupt),
            cmocka_unit_test(test_overlong),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
