/* The clustering state: key, id, counting (same article twice counts once,
 * three outlets give articles = sources = 3), binary form, expiry, and the
 * LMDB store that keeps it. */
#include "cluster/dm_cluster.h"
#include "cluster/dm_cluster_store.h"
#include "dm_test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static const dm_cluster_limits_t g_lim = {64, 4, 8};

/* 2026-12-05T10:00:00Z */
#define T0 1796464800000LL

static dm_cluster_input_t input(const char *event_id, const char *article_id, const char *outlet,
                                const char *trigger, int64_t ms)
{
        dm_cluster_input_t in;
        memset(&in, 0, sizeof(in));
        in.event_id = event_id;
        in.article_id = article_id;
        in.outlet = outlet;
        in.cameo_code = "036";
        in.cameo_root = "03";
        in.trigger = trigger;
        in.quad_class = 1;
        in.goldstein = 4.0;
        in.mentions = 1;
        in.seen_ms = ms;
        return in;
}

static void test_key(void **state)
{
        dm_cluster_key_opts_t o = {DM_CLUSTER_LEVEL_COUNTRY, 0};
        char s[32], t[32], c[32], d[32], id1[33], id2[33];
        int32_t day;
        dm_buf_t k;

        dm_buf_init(&k);
        dm_cluster_key_build(&o, "USAGOV", "USA", "RUSMIL", NULL, "0311", "03", T0, &k);
        assert_string_equal(k.data, "USA|RUS|0311|2026-12-05");
        /* The same day at 23:59:59.999 UTC, another the next millisecond. */
        dm_cluster_key_build(&o, "USAGOV", "USA", "RUS", "RUS", "0311", "03",
                             T0 + 14 * 3600000LL - 1, &k);
        assert_string_equal(k.data, "USA|RUS|0311|2026-12-05");
        dm_cluster_key_build(&o, "USAGOV", "USA", "RUS", "RUS", "0311", "03", T0 + 14 * 3600000LL,
                             &k);
        assert_string_equal(k.data, "USA|RUS|0311|2026-12-06");
        o.root_only = 1;
        o.level = DM_CLUSTER_LEVEL_ACTOR;
        dm_cluster_key_build(&o, "USAGOV", "USA", NULL, NULL, "0311", "03", T0, &k);
        assert_string_equal(k.data, "USAGOV|-|03|2026-12-05");
        assert_int_equal(dm_cluster_key_split(k.data, s, t, c, d, sizeof(s), &day), 0);
        assert_string_equal(s, "USAGOV");
        assert_string_equal(t, "-");
        assert_string_equal(c, "03");
        assert_string_equal(d, "2026-12-05");
        assert_int_equal(day, dm_cluster_day_of(T0));
        assert_int_equal(dm_cluster_key_split("a|b|c", s, t, c, d, sizeof(s), &day), -1);
        assert_int_equal(dm_cluster_key_split("a|b|c|notaday!!", s, t, c, d, sizeof(s), &day), -1);
        /* Stable and distinct ids. */
        dm_cluster_id("USA|RUS|036|2026-12-05", 22, id1);
        dm_cluster_id("USA|RUS|036|2026-12-05", 22, id2);
        assert_string_equal(id1, id2);
        assert_int_equal(strlen(id1), 32);
        dm_cluster_id("USA|RUS|036|2026-12-06", 22, id2);
        assert_string_not_equal(id1, id2);
        assert_int_equal(dm_cluster_day_of(-1), -1);
        assert_int_equal(dm_cluster_day_of(0), 0);
        dm_buf_free(&k);
}

static void test_counts(void **state)
{
        dm_cluster_state_t st;
        dm_cluster_input_t in;

        dm_cluster_state_init(&st);
        /* Three outlets, three articles. */
        in = input("a:0", "a", "bbc", "met", T0 + 5000);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        in = input("b:2", "b", "guardian", "held talks", T0);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        in = input("c:1", "c", "reuters", "met", T0 + 9000);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        assert_int_equal(st.articles, 3);
        assert_int_equal(st.sources, 3);
        assert_int_equal(st.mentions, 3);
        /* The same article again (a re-sent message) counts once. */
        in = input("b:2", "b", "guardian", "held talks", T0);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 0);
        assert_int_equal(st.articles, 3);
        assert_int_equal(st.mentions, 3);
        /* A second article from a known outlet: an article, not a source. */
        in = input("d:0", "d", "bbc", "met", T0 + 1000);
        in.mentions = 2;
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        assert_int_equal(st.articles, 4);
        assert_int_equal(st.sources, 3);
        assert_int_equal(st.mentions, 5);
        /* Another event of a counted article: mentions only. */
        in = input("d:3", "d", "bbc", "met", T0 + 1000);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        assert_int_equal(st.articles, 4);
        assert_int_equal(st.mentions, 6);
        /* No outlet: the article stands for its own. */
        in = input("e:0", "e", NULL, NULL, T0 + 1000);
        assert_int_equal(dm_cluster_state_apply(&st, &in, &g_lim), 1);
        assert_int_equal(st.sources, 4);
        assert_true(st.first_seen_ms == T0);
        assert_true(st.last_seen_ms == T0 + 9000);
        assert_string_equal(dm_cluster_tally_top(st.triggers, st.trigger_n), "met");
        assert_string_equal(dm_cluster_tally_top(st.codes, st.code_n), "036");
        /* At most max_article_ids (4) supporting ids, in arrival order. */
        assert_int_equal(st.article_id_n, 4);
        assert_string_equal(st.article_ids[0], "a");
        assert_string_equal(st.article_ids[3], "d");
        assert_true(st.seq == 6);
        dm_cluster_state_clear(&st);
        assert_null(dm_cluster_tally_top(NULL, 0));
}

static void test_form(void **state)
{
        dm_cluster_state_t st, back;
        dm_cluster_input_t in;
        dm_buf_t b, b2;
        char err[256];
        size_t cut;

        dm_cluster_state_init(&st);
        dm_cluster_state_init(&back);
        dm_buf_init(&b);
        dm_buf_init(&b2);
        in = input("a:0", "a", "bbc", "met", T0);
        dm_cluster_state_apply(&st, &in, &g_lim);
        in = input("b:0", "b", "cnn", "talked", T0 + 1);
        dm_cluster_state_apply(&st, &in, &g_lim);
        st.emitted_seq = 1;
        st.emitted_ms = 77;
        dm_cluster_state_encode(&st, &b);
        assert_int_equal(dm_cluster_state_decode(&back, b.data, b.len, err, sizeof(err)), 0);
        dm_cluster_state_encode(&back, &b2);
        assert_int_equal(b.len, b2.len);
        assert_memory_equal(b.data, b2.data, b.len);
        assert_int_equal(back.articles, 2);
        assert_int_equal(back.sources, 2);
        assert_true(back.emitted_ms == 77);
        assert_string_equal(back.cameo_root, "03");
        assert_string_equal(back.article_ids[1], "b");
        /* The decoded state still de-duplicates (across restarts). */
        in = input("a:0", "a", "bbc", "met", T0);
        assert_int_equal(dm_cluster_state_apply(&back, &in, &g_lim), 0);
        /* Every truncation is refused, as is an unknown version. */
        for (cut = 0; cut < b.len; cut++)
                assert_int_equal(dm_cluster_state_decode(&back, b.data, cut, err, sizeof(err)), -1);
        b.data[0] = 99;
        assert_int_equal(dm_cluster_state_decode(&back, b.data, b.len, err, sizeof(err)), -1);
        dm_cluster_state_clear(&st);
        dm_cluster_state_clear(&back);
        dm_buf_free(&b);
        dm_buf_free(&b2);
}

static void test_expiry(void **state)
{
        int32_t today = dm_cluster_day_of(T0);

        assert_false(dm_cluster_expired(today, today, 7));
        assert_false(dm_cluster_expired(today - 7, today, 7));
        assert_true(dm_cluster_expired(today - 8, today, 7));
        /* A day ahead of the stream (a clock ahead) is not expired. */
        assert_false(dm_cluster_expired(today + 3, today, 7));
        assert_true(dm_cluster_expired(today - 1, today, 0));
}

static int count_cb(const char *key, size_t key_len, const void *val, size_t val_len, void *opaque)
{
        (*(int *)opaque)++;
        return 0;
}

static void test_store(void **state)
{
        char dir[] = "/tmp/dm_test_cluster_XXXXXX", err[256];
        dm_cluster_store_t *st;
        dm_buf_t b;
        int n = 0;

        assert_int_equal(dm_test_mkdtemp(dir), 0);
        dm_buf_init(&b);
        st = dm_cluster_store_open(dir, 16 << 20, err, sizeof(err));
        if (!st)
                fail_msg("open: %s", err);
        assert_int_equal(dm_cluster_store_begin(st, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_put(st, "k1", 2, "v1", 2, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_put(st, "k2", 2, "v2", 2, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_meta_set(st, "stream_day", 20000, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_commit(st, err, sizeof(err)), 0);
        /* Outside a transaction, writes are refused. */
        assert_int_equal(dm_cluster_store_put(st, "k3", 2, "v", 1, err, sizeof(err)), -1);
        assert_int_equal(dm_cluster_store_get(st, "k1", 2, &b, err, sizeof(err)), 1);
        assert_int_equal(b.len, 2);
        assert_memory_equal(b.data, "v1", 2);
        assert_int_equal(dm_cluster_store_get(st, "zz", 2, &b, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_foreach(st, count_cb, &n, err, sizeof(err)), 0);
        assert_int_equal(n, 2); /* the meta entry is skipped */
        assert_true(dm_cluster_store_entries(st) == 3);
        assert_true(dm_cluster_store_bytes(st) > 0);
        assert_int_equal(dm_cluster_store_sync(st, err, sizeof(err)), 0);
        dm_cluster_store_close(st);

        /* Reopened: the data is there; then wiped. */
        st = dm_cluster_store_open(dir, 16 << 20, err, sizeof(err));
        assert_non_null(st);
        assert_true(dm_cluster_store_meta_get(st, "stream_day", -1) == 20000);
        assert_true(dm_cluster_store_meta_get(st, "absent", -5) == -5);
        assert_int_equal(dm_cluster_store_begin(st, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_del(st, "k1", 2, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_get(st, "k1", 2, &b, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_wipe(st, err, sizeof(err)), 0);
        assert_int_equal(dm_cluster_store_commit(st, err, sizeof(err)), 0);
        assert_true(dm_cluster_store_entries(st) == 0);
        dm_cluster_store_close(st);
        dm_cluster_store_close(NULL);
        /* A path that cannot be a directory fails with a message. */
        err[0] = '\0';
        assert_null(dm_cluster_store_open("/proc/version/x", 1 << 20, err, sizeof(err)));
        assert_true(err[0] != '\0');
        dm_buf_free(&b);
        dm_test_rmdir(dir);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_key),   cmocka_unit_test(test_counts),
            cmocka_unit_test(test_form),  cmocka_unit_test(test_expiry),
            cmocka_unit_test(test_store),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
