/* demarche_errors_total{stage,type}: a fixed set of series, every error
 * counted in exactly one of them, Kafka error codes sorted into types. */
#include <setjmp.h>
#include "demarche/dm_buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_metrics.h"

typedef struct series {
        char stage[32], type[32];
        long long value;
} series_t;

/* Parses the demarche_errors_total lines of the exposition. */
static int errors_series(series_t *out, int max)
{
        dm_buf_t b;
        char *line, *save = NULL;
        int n = 0;
        dm_buf_init(&b);
        dm_metrics_render(&b);
        for (line = strtok_r(b.data, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                series_t s;
                if (strncmp(line, "demarche_errors_total{", 22))
                        continue;
                assert_int_equal(
                    sscanf(line, "demarche_errors_total{stage=\"%31[^\"]\",type=\"%31[^\"]\"} %lld",
                           s.stage, s.type, &s.value),
                    3);
                assert_true(n < max);
                out[n++] = s;
        }
        dm_buf_free(&b);
        return n;
}

static long long value_of(const char *stage, const char *type)
{
        series_t s[64];
        int n = errors_series(s, 64), i;
        for (i = 0; i < n; i++)
                if (!strcmp(s[i].stage, stage) && !strcmp(s[i].type, type))
                        return s[i].value;
        fail_msg("no series stage=%s type=%s", stage, type);
        return -1;
}

static long long total(void)
{
        series_t s[64];
        int n = errors_series(s, 64), i;
        long long t = 0;
        for (i = 0; i < n; i++)
                t += s[i].value;
        return t;
}

static const char *stage_names[DM_STAGE_COUNT] = {"consume",  "produce", "commit",
                                                  "annotate", "encode",  "registry"};

/* Every stage has series, each (stage, type) once, a stage's series
 * together; all start at zero. */
static void test_series_are_fixed(void **state)
{
        series_t s[64];
        int n, i, j, st;
        (void)state;
        dm_metrics_reset();
        n = errors_series(s, 64);
        assert_true(n > DM_STAGE_COUNT);
        for (i = 0; i < n; i++) {
                assert_int_equal(s[i].value, 0);
                for (j = 0; j < i; j++) {
                        assert_false(!strcmp(s[i].stage, s[j].stage) &&
                                     !strcmp(s[i].type, s[j].type));
                        /* Contiguous: a stage seen before must be the previous one. */
                        if (!strcmp(s[i].stage, s[j].stage))
                                assert_string_equal(s[i - 1].stage, s[i].stage);
                }
        }
        for (st = 0; st < DM_STAGE_COUNT; st++) {
                int found = 0;
                for (i = 0; i < n; i++)
                        found += !strcmp(s[i].stage, stage_names[st]);
                assert_true(found >= 1);
        }
}

/* Each error lands in one series: its own type when the stage lists it,
 * else the stage's "other" (or its first series when it has none). */
static void test_each_error_counted_once(void **state)
{
        int st, ty;
        (void)state;
        dm_metrics_reset();
        for (st = 0; st < DM_STAGE_COUNT; st++) {
                for (ty = 0; ty < DM_ERR_TYPE_COUNT; ty++) {
                        long long before = total();
                        dm_metrics_error((dm_metric_stage_t)st, (dm_error_type_t)ty);
                        assert_int_equal(total(), before + 1);
                        assert_int_equal(dm_metrics_errors_stage((dm_metric_stage_t)st),
                                         (long long)ty + 1);
                }
        }
        /* Out of range: ignored, never a series of its own. */
        dm_metrics_error(DM_STAGE_COUNT, DM_ERR_OTHER);
        assert_int_equal(total(), (long long)DM_STAGE_COUNT * DM_ERR_TYPE_COUNT);
}

static void test_named_series(void **state)
{
        (void)state;
        dm_metrics_reset();
        dm_metrics_error(DM_STAGE_PRODUCE, DM_ERR_TIMED_OUT);
        assert_int_equal(value_of("produce", "timed_out"), 1);
        assert_int_equal(dm_metrics_error_get(DM_STAGE_PRODUCE, DM_ERR_TIMED_OUT), 1);
        /* Fenced is no produce type: counted as produce/other. */
        dm_metrics_error(DM_STAGE_PRODUCE, DM_ERR_FENCED);
        assert_int_equal(value_of("produce", "other"), 1);
        dm_metrics_error(DM_STAGE_COMMIT, DM_ERR_TXN_ABORTABLE);
        assert_int_equal(value_of("commit", "txn_abortable"), 1);
        dm_metrics_error(DM_STAGE_REGISTRY, DM_ERR_HTTP_STATUS);
        assert_int_equal(value_of("registry", "http_status"), 1);
        dm_metrics_error(DM_STAGE_ENCODE, DM_ERR_EVENT);
        assert_int_equal(value_of("encode", "event"), 1);
        assert_int_equal(value_of("encode", "article"), 0);
}

static void test_kafka_codes(void **state)
{
        (void)state;
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT),
                         DM_ERR_TIMED_OUT);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT),
                         DM_ERR_TIMED_OUT);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE),
                         DM_ERR_MSG_SIZE_TOO_LARGE);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED),
                         DM_ERR_AUTHORIZATION);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART),
                         DM_ERR_UNKNOWN_TOPIC);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR__TRANSPORT),
                         DM_ERR_TRANSPORT);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_PRODUCER_FENCED),
                         DM_ERR_FENCED);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS),
                         DM_ERR_REBALANCE);
        assert_int_equal(dm_metrics_kafka_error_type(RD_KAFKA_RESP_ERR_INVALID_MSG), DM_ERR_OTHER);
        dm_metrics_reset();
        dm_metrics_kafka_error(DM_STAGE_CONSUME, RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE);
        assert_int_equal(value_of("consume", "offset_out_of_range"), 1);
        /* A type the stage does not list goes to its "other". */
        dm_metrics_kafka_error(DM_STAGE_CONSUME, RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
        assert_int_equal(value_of("consume", "other"), 1);
}

static void test_transactions_rendered(void **state)
{
        dm_buf_t b;
        (void)state;
        dm_metrics_reset();
        dm_metrics_add_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED, 2);
        dm_metrics_add_l(DM_M_TRANSACTIONS, DM_TXN_COMMITTED, 5);
        dm_buf_init(&b);
        dm_metrics_render(&b);
        assert_non_null(strstr(b.data, "\ndemarche_transactions_total{result=\"aborted\"} 2\n"));
        assert_non_null(strstr(b.data, "\ndemarche_transactions_total{result=\"committed\"} 5\n"));
        dm_buf_free(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_series_are_fixed),
            cmocka_unit_test(test_each_error_counted_once),
            cmocka_unit_test(test_named_series),
            cmocka_unit_test(test_kafka_codes),
            cmocka_unit_test(test_transactions_rendered),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
