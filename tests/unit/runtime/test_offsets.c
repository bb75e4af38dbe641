/* Offset tracker: the committable position is the contiguous done prefix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "runtime/dm_offsets.h"

static void test_in_order(void **state)
{
        dm_offsets_t *t = dm_offsets_new();
        int64_t c = -1;
        dm_offsets_track(t, "in", 0, 10);
        dm_offsets_track(t, "in", 0, 11);
        assert_int_equal(dm_offsets_inflight(t), 2);
        assert_int_equal(dm_offsets_done(t, "in", 0, 10, &c), 1);
        assert_int_equal(c, 11);
        assert_int_equal(dm_offsets_done(t, "in", 0, 11, &c), 1);
        assert_int_equal(c, 12);
        assert_int_equal(dm_offsets_inflight(t), 0);
        dm_offsets_destroy(t);
}

static void test_out_of_order_holds_back(void **state)
{
        dm_offsets_t *t = dm_offsets_new();
        int64_t c = -1;
        int64_t o;
        for (o = 0; o < 5; o++)
                dm_offsets_track(t, "in", 1, o);
        assert_int_equal(dm_offsets_done(t, "in", 1, 3, &c), 0);
        assert_int_equal(dm_offsets_done(t, "in", 1, 1, &c), 0);
        assert_int_equal(dm_offsets_done(t, "in", 1, 0, &c), 1);
        assert_int_equal(c, 2); /* 0 and 1 done, 2 still out */
        assert_int_equal(dm_offsets_done(t, "in", 1, 2, &c), 1);
        assert_int_equal(c, 4); /* 2 and the earlier 3 */
        assert_int_equal(dm_offsets_partition_inflight(t, "in", 1), 1);
        dm_offsets_destroy(t);
}

static void test_gaps_and_partitions(void **state)
{
        dm_offsets_t *t = dm_offsets_new();
        int64_t c = -1;
        dm_offsets_track(t, "in", 0, 100);
        dm_offsets_track(t, "in", 0, 105); /* gap: compaction or markers */
        dm_offsets_track(t, "in", 2, 7);
        assert_int_equal(dm_offsets_done(t, "in", 0, 105, &c), 0);
        assert_int_equal(dm_offsets_done(t, "in", 2, 7, &c), 1);
        assert_int_equal(c, 8);
        assert_int_equal(dm_offsets_done(t, "in", 0, 100, &c), 1);
        assert_int_equal(c, 106);
        /* Unknown offset / partition. */
        assert_int_equal(dm_offsets_done(t, "in", 0, 50, &c), -1);
        assert_int_equal(dm_offsets_done(t, "other", 0, 100, &c), -1);
        dm_offsets_destroy(t);
}

static void test_remove_and_rewind(void **state)
{
        dm_offsets_t *t = dm_offsets_new();
        int64_t c = -1;
        dm_offsets_track(t, "in", 0, 1);
        dm_offsets_track(t, "in", 0, 2);
        dm_offsets_track(t, "in", 3, 9);
        dm_offsets_remove(t, "in", 0);
        assert_int_equal(dm_offsets_inflight(t), 1);
        assert_int_equal(dm_offsets_done(t, "in", 0, 1, &c), -1);
        /* A rewind (re-assignment starting earlier) resets the partition. */
        dm_offsets_track(t, "in", 3, 4);
        assert_int_equal(dm_offsets_inflight(t), 1);
        assert_int_equal(dm_offsets_done(t, "in", 3, 9, &c), -1);
        assert_int_equal(dm_offsets_done(t, "in", 3, 4, &c), 1);
        assert_int_equal(c, 5);
        dm_offsets_destroy(NULL);
        dm_offsets_destroy(t);
}

/* Many offsets, completed in a shuffled order, across ring growth: the
 * committed position must never pass an offset that is not done. */
static void test_randomised(void **state)
{
        enum { N = 5000 };
        dm_offsets_t *t = dm_offsets_new();
        static int64_t order[N];
        static unsigned char done[N];
        int64_t c, max_commit = 0;
        size_t i;
        srand(12345);
        for (i = 0; i < N; i++) {
                dm_offsets_track(t, "in", 0, (int64_t)i * 2);
                order[i] = (int64_t)i;
        }
        for (i = N - 1; i > 0; i--) {
                size_t j = (size_t)rand() % (i + 1);
                int64_t tmp = order[i];
                order[i] = order[j];
                order[j] = tmp;
        }
        for (i = 0; i < N; i++) {
                int rc = dm_offsets_done(t, "in", 0, order[i] * 2, &c);
                size_t k;
                done[order[i]] = 1;
                assert_true(rc == 0 || rc == 1);
                if (rc == 1) {
                        assert_true(c > max_commit);
                        max_commit = c;
                        for (k = 0; k < (size_t)(c + 1) / 2; k++)
                                assert_true(done[k]);
                }
        }
        assert_int_equal(max_commit, (N - 1) * 2 + 1);
        assert_int_equal(dm_offsets_inflight(t), 0);
        dm_offsets_destroy(t);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_in_order),
            cmocka_unit_test(test_out_of_order_holds_back),
            cmocka_unit_test(test_gaps_and_partitions),
            cmocka_unit_test(test_remove_and_rewind),
            cmocka_unit_test(test_randomised),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
