/* The beam parser (train-parser --beam N, dm_parse_beam.h): training is
 * deterministic, the width is stored in the model and used at parse time,
 * the trees trained on come back, overlong input keeps one root, and a
 * width out of range is refused in training and in a model file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_buf.h"
#include "demarche/dm_conllu.h"
#include "demarche/dm_parse.h"
#include "demarche/dm_parse_train.h"
#include "dm_test_support.h"
#include "parse/dm_parse_beam.h"
#include "parse/dm_parse_model.h"

static char dir[] = "/tmp/dm_test_pbeam_XXXXXX";
static char tiny[512];

static int setup(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        (void)state;
        if (!src || dm_test_mkdtemp(dir))
                return -1;
        snprintf(tiny, sizeof(tiny), "%s/tests/data/parse/tiny.conllu", src);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        return dm_test_rmdir(dir);
}

static int train(const char *name, int beam, char *err, size_t errsize)
{
        dm_parse_train_opts_t o;
        char path[256];
        memset(&o, 0, sizeof(o));
        o.train = tiny;
        o.out = dm_test_path(path, sizeof(path), dir, name);
        o.seed = 5;
        o.epochs = 15;
        o.beam = beam;
        return dm_parse_train(&o, err, errsize);
}

static void test_beam_model(void **state)
{
        dm_buf_t a, b;
        dm_conllu_doc_t d;
        dm_parse_model_t *m;
        dm_parse_scratch_t *s;
        const dm_parse_result_t *r;
        const char *forms[300];
        char err[256];
        size_t i, j, roots = 0;
        (void)state;
        assert_int_equal(train("a.dmparse", 4, err, sizeof(err)), 0);
        assert_int_equal(train("b.dmparse", 4, err, sizeof(err)), 0);
        dm_test_read_file(dir, "a.dmparse", &a);
        dm_test_read_file(dir, "b.dmparse", &b);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        m = dm_parse_model_load_mem(a.data, a.len, err, sizeof(err));
        assert_non_null(m);
        assert_int_equal(m->beam, 4);
        s = dm_parse_scratch_new(m);
        assert_int_equal(dm_conllu_load(tiny, 0, &d, err, sizeof(err)), 0);
        for (i = 0; i < d.n; i++) {
                for (j = 0; j < d.s[i].n; j++)
                        forms[j] = d.s[i].w[j].col[DM_CU_FORM];
                dm_parse_tokens(s, forms, d.s[i].n, &r);
                assert_int_equal(r->ntoks, d.s[i].n);
                for (j = 0; j < d.s[i].n; j++) {
                        assert_int_equal(r->toks[j].head, d.s[i].w[j].head);
                        assert_string_equal(r->toks[j].deprel, d.s[i].w[j].col[DM_CU_DEPREL]);
                }
        }
        /* Cut at 256 tokens, still one tree. */
        for (i = 0; i < 300; i++)
                forms[i] = i % 3 == 2 ? "sanctions" : i % 3 ? "imposed" : "Russia";
        dm_parse_tokens(s, forms, 300, &r);
        assert_true(r->truncated);
        for (i = 0; i < r->ntoks; i++) {
                assert_in_range(r->toks[i].head, 0, DM_PARSE_MAX_TOKENS);
                roots += r->toks[i].head == 0;
        }
        assert_int_equal(roots, 1);
        dm_conllu_doc_free(&d);
        dm_parse_scratch_destroy(s);
        dm_parse_model_destroy(m);
        dm_buf_free(&a);
        dm_buf_free(&b);
}

/* The offset of the beam width in a model image: the end of the meta
 * section's fixed part. */
static size_t beam_offset(const dm_buf_t *a)
{
        uint32_t nsec, i, id, ntags, nlabels;
        uint64_t off;
        memcpy(&nsec, a->data + 12, 4);
        for (i = 0; i < nsec; i++) {
                memcpy(&id, a->data + DM_PMODEL_HEADER + 24 * i, 4);
                if (id != DM_PSEC_META)
                        continue;
                memcpy(&off, a->data + DM_PMODEL_HEADER + 24 * i + 8, 8);
                memcpy(&ntags, a->data + off, 4);
                memcpy(&nlabels, a->data + off + 4, 4);
                return (size_t)off + 8 + 12 * ntags + 4 * nlabels;
        }
        fail_msg("no meta section");
        return 0;
}

static void test_beam_refused(void **state)
{
        static const uint32_t bad[] = {0, DM_PBEAM_MAX + 1, 0xffffffffu};
        dm_buf_t a;
        char err[256] = "";
        size_t i, at;
        (void)state;
        assert_int_equal(train("w.dmparse", DM_PBEAM_MAX + 1, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "beam width"));
        assert_int_equal(train("g.dmparse", 1, err, sizeof(err)), 0);
        dm_test_read_file(dir, "g.dmparse", &a);
        at = beam_offset(&a);
        for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
                dm_parse_model_t *m;
                uint64_t sum;
                memcpy(a.data + at, &bad[i], 4);
                sum = dm_pmodel_checksum(a.data + DM_PMODEL_HEADER, a.len - DM_PMODEL_HEADER);
                memcpy(a.data + 24, &sum, 8);
                m = dm_parse_model_load_mem(a.data, a.len, err, sizeof(err));
                assert_null(m);
                assert_non_null(strstr(err, "tag/label section"));
        }
        dm_buf_free(&a);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_beam_model),
            cmocka_unit_test(test_beam_refused),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
