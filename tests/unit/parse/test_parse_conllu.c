/* CoNLL-U reading and writing: a file read and written back is unchanged
 * (comments and multi-word token lines included); malformed lines are
 * errors with file:line. */
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
#include "demarche/dm_conllu.h"

static char tiny[1024];

static int setup(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        (void)state;
        if (!src)
                return -1;
        snprintf(tiny, sizeof(tiny), "%s/tests/data/parse/tiny.conllu", src);
        return 0;
}

static void test_round_trip(void **state)
{
        dm_conllu_doc_t d;
        dm_buf_t out, in;
        char err[256];
        size_t i;
        FILE *fp = fopen(tiny, "r");
        (void)state;
        assert_non_null(fp);
        dm_buf_init(&in);
        assert_int_equal(dm_buf_read_stream(&in, fp), 0);
        fclose(fp);
        assert_int_equal(dm_conllu_load(tiny, 0, &d, err, sizeof(err)), 0);
        assert_int_equal(d.n, 3);
        assert_int_equal(d.s[2].n, 8);
        assert_string_equal(d.s[2].w[2].col[DM_CU_FORM], "'");
        assert_int_equal(d.s[1].w[0].head, 3);
        assert_string_equal(d.s[1].w[0].col[DM_CU_DEPREL], "nsubj:pass");
        dm_buf_init(&out);
        for (i = 0; i < d.n; i++)
                dm_conllu_write(&out, &d.s[i]);
        assert_string_equal(out.data, in.data);
        dm_buf_free(&out);
        dm_buf_free(&in);
        dm_conllu_doc_free(&d);
}

static void test_malformed(void **state)
{
        char path[64], err[256];
        dm_conllu_doc_t d;
        FILE *fp;
        (void)state;
        snprintf(path, sizeof(path), "/tmp/dm_conllu_bad_%d.conllu", (int)getpid());
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs("1\tA\ta\tDET\tDT\t_\t0\troot\t_\t_\n2\tB\tb\tNOUN\n\n", fp);
        fclose(fp);
        assert_int_equal(dm_conllu_load(path, 0, &d, err, sizeof(err)), -1);
        assert_non_null(strstr(err, ":2:"));
        remove(path);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_round_trip),
            cmocka_unit_test(test_malformed),
        };
        return cmocka_run_group_tests(tests, setup, NULL);
}
