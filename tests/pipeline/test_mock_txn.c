/* delivery.mode = exactly-once on librdkafka's mock cluster: transactions
 * that fail with an abortable error are aborted and redone in-process (the
 * pipeline keeps running), the work of an aborted transaction is discarded
 * and its input consumed again from the last committed positions, and a
 * fatal error still stops the pipeline (exit code 1).
 *
 * The 2.0.2 mock cluster writes no abort markers: records of an aborted
 * transaction stay visible to read_committed consumers. So the log is checked
 * for exactly once where the aborted transaction wrote nothing (its
 * AddPartitionsToTxn was refused, so none of its records was sent), and for
 * at least once elsewhere; the daemon's own count of records delivered in
 * committed transactions must be exactly one per input in every case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_avro.h"
#include "demarche/dm_config.h"
#include "demarche/dm_log.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_pipeline.h"

#define N_ARTICLES 300

/* Kafka protocol API keys of the requests errors are injected into. */
#define API_PRODUCE               0
#define API_ADD_PARTITIONS_TO_TXN 24
#define API_END_TXN               26
#define API_TXN_OFFSET_COMMIT     28

static const char *countries[] = {"Japan", "Russia", "France", "Brazil", "Kenya", "India"};

typedef struct fixture {
        rd_kafka_t *mock_rk; /* owns the mock cluster */
        rd_kafka_mock_cluster_t *mc;
        const char *bootstraps;
        dm_config_t *conf;
        dm_pipeline_t *pipeline;
        pthread_t thread;
        volatile int running;
        int rc;
} fixture_t;

static void *run_pipeline(void *arg)
{
        fixture_t *f = arg;
        f->rc = dm_pipeline_run(f->pipeline);
        f->running = 0;
        return NULL;
}

static void conf_set(dm_config_t *c, const char *k, const char *v)
{
        char err[256];
        if (dm_config_set(c, k, v, err, sizeof(err))) {
                fprintf(stderr, "config %s: %s\n", k, err);
                abort();
        }
}

static void produce_inputs(const char *bootstraps)
{
        char err[256];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *p;
        int i;
        rd_kafka_conf_set(kc, "bootstrap.servers", bootstraps, err, sizeof(err));
        p = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err));
        assert_non_null(p);
        for (i = 0; i < N_ARTICLES; i++) {
                char v[512];
                int n = snprintf(v, sizeof(v),
                                 "{\"id\":\"art-%04d\",\"title\":\"Talks\",\"text\":\"%s and %s "
                                 "held talks on trade. Officials in %s welcomed the step.\"}",
                                 i, countries[i % 6], countries[(i + 1) % 6], countries[i % 6]);
                assert_int_equal(rd_kafka_producev(p, RD_KAFKA_V_TOPIC("articles.raw"),
                                                   RD_KAFKA_V_VALUE(v, (size_t)n),
                                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                   RD_KAFKA_V_END),
                                 0);
        }
        assert_int_equal(rd_kafka_flush(p, 10000), 0);
        rd_kafka_destroy(p);
}

/* Reads articles.annotated from the beginning with isolation.level =
 * read_committed and counts each article id into seen[]. Returns the number
 * of records read. */
static int read_ids(const char *bootstraps, int *seen)
{
        char err[256];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *c;
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(3);
        dm_avro_t *av = dm_avro_new(err, sizeof(err));
        int got = 0, eof = 0, p;
        time_t deadline = time(NULL) + 60;
        assert_non_null(av);
        rd_kafka_conf_set(kc, "bootstrap.servers", bootstraps, err, sizeof(err));
        rd_kafka_conf_set(kc, "group.id", "test-reader", err, sizeof(err));
        rd_kafka_conf_set(kc, "isolation.level", "read_committed", err, sizeof(err));
        rd_kafka_conf_set(kc, "enable.partition.eof", "true", err, sizeof(err));
        c = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err));
        assert_non_null(c);
        for (p = 0; p < 3; p++)
                rd_kafka_topic_partition_list_add(l, "articles.annotated", p)->offset =
                    RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(c, l);
        rd_kafka_topic_partition_list_destroy(l);
        while (eof < 3 && time(NULL) < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
                dm_buf_t b;
                const char *s;
                int id;
                if (!m)
                        continue;
                if (m->err) {
                        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                                eof++;
                        rd_kafka_message_destroy(m);
                        continue;
                }
                dm_buf_init(&b);
                assert_int_equal(
                    dm_avro_decode_to_json(av, m->payload, m->len, &b, err, sizeof(err)), 0);
                s = strstr(b.data, "\"article_id\":\"art-");
                assert_non_null(s);
                id = atoi(s + strlen("\"article_id\":\"art-"));
                assert_true(id >= 0 && id < N_ARTICLES);
                seen[id]++;
                got++;
                dm_buf_free(&b);
                rd_kafka_message_destroy(m);
        }
        assert_int_equal(eof, 3);
        rd_kafka_consumer_close(c);
        rd_kafka_destroy(c);
        dm_avro_destroy(av);
        return got;
}

static int setup(void **state)
{
        fixture_t *f = calloc(1, sizeof(*f));
        char err[512], dicts[1024];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        const char *src = getenv("DM_SOURCE_DIR");
        rd_kafka_conf_set(kc, "test.mock.num.brokers", "1", err, sizeof(err));
        f->mock_rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err));
        assert_non_null(f->mock_rk);
        f->mc = rd_kafka_handle_mock_cluster(f->mock_rk);
        f->bootstraps = rd_kafka_mock_cluster_bootstraps(f->mc);
        rd_kafka_mock_topic_create(f->mc, "articles.raw", 3, 1);
        rd_kafka_mock_topic_create(f->mc, "articles.annotated", 3, 1);
        rd_kafka_mock_topic_create(f->mc, "events.coded", 3, 1);
        rd_kafka_mock_topic_create(f->mc, "articles.dlq", 3, 1);
        f->conf = dm_config_new();
        snprintf(dicts, sizeof(dicts), "%s/dictionaries", src ? src : ".");
        conf_set(f->conf, "dictionaries.path", dicts);
        conf_set(f->conf, "http.listen", "127.0.0.1:0");
        conf_set(f->conf, "workers", "2");
        conf_set(f->conf, "max.inflight", "50");
        conf_set(f->conf, "delivery.mode", "exactly-once");
        conf_set(f->conf, "transactional.id", "dm-test-txn");
        conf_set(f->conf, "transaction.interval.ms", "100");
        conf_set(f->conf, "kafka.session.timeout.ms", "6000");
        conf_set(f->conf, "kafka.heartbeat.interval.ms", "500");
        dm_metrics_reset();
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        fixture_t *f = *state;
        if (f->pipeline && f->running) {
                dm_pipeline_stop(f->pipeline);
                pthread_join(f->thread, NULL);
        }
        dm_pipeline_destroy(f->pipeline);
        dm_config_destroy(f->conf);
        rd_kafka_destroy(f->mock_rk);
        free(f);
        return 0;
}

static void start(fixture_t *f)
{
        char err[512];
        dm_pipeline_options_t opts = {0};
        opts.bootstrap_override = f->bootstraps;
        f->pipeline = dm_pipeline_new(f->conf, &opts, err, sizeof(err));
        if (!f->pipeline)
                fail_msg("pipeline: %s", err);
        f->running = 1;
        pthread_create(&f->thread, NULL, run_pipeline, f);
}

/* Waits until the metric reaches want or the pipeline stops. */
static void wait_for(fixture_t *f, dm_metric_t m, int label, int64_t want, int secs)
{
        time_t deadline = time(NULL) + secs;
        while (f->running && dm_metrics_get_l(m, label) < want && time(NULL) < deadline)
                usleep(50000);
}

/* Runs the pipeline over N_ARTICLES inputs with count errors code pushed on
 * the given API before it starts; checks it survived and committed one
 * AnnotatedArticle per input. Fills seen[] from the log. */
static void run_with_errors(fixture_t *f, int api, int count, rd_kafka_resp_err_t code, int *seen)
{
        rd_kafka_resp_err_t errs[8];
        int i, n;
        assert_true(count <= 8);
        for (i = 0; i < count; i++)
                errs[i] = code;
        produce_inputs(f->bootstraps);
        rd_kafka_mock_push_request_errors_array(f->mc, (int16_t)api, (size_t)count, errs);
        start(f);
        wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_ARTICLES, 90);
        /* Still running: the aborts were recovered in-process. */
        assert_true(f->running);
        dm_pipeline_stop(f->pipeline);
        pthread_join(f->thread, NULL);
        assert_int_equal(f->rc, 0);
        print_message("%s on API %d: %lld transaction(s) committed, %lld aborted, %lld "
                      "inputs consumed for %d articles\n",
                      rd_kafka_err2name(code), api,
                      (long long)dm_metrics_get_l(DM_M_TRANSACTIONS, DM_TXN_COMMITTED),
                      (long long)dm_metrics_get_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED),
                      (long long)dm_metrics_get(DM_M_INPUT_MESSAGES), N_ARTICLES);
        /* Counted at commit only: one record per input, whatever was aborted. */
        assert_int_equal(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES),
                         N_ARTICLES);
        n = read_ids(f->bootstraps, seen);
        print_message("log: %d AnnotatedArticle records for %d inputs\n", n, N_ARTICLES);
        for (i = 0; i < N_ARTICLES; i++)
                assert_true(seen[i] >= 1);
}

/* At least one abort, and its input consumed again from the last committed
 * positions. */
static void assert_aborted_and_redone(void)
{
        assert_true(dm_metrics_get_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED) >= 1);
        assert_true(dm_metrics_error_get(DM_STAGE_COMMIT, DM_ERR_TXN_ABORTABLE) >= 1);
        assert_true(dm_metrics_get(DM_M_INPUT_MESSAGES) > N_ARTICLES);
}

/* AddPartitionsToTxn refused (authorization, abortable) for the first
 * transactions: none of their records was sent, so the log holds every id
 * exactly once. */
static void test_abort_before_write(void **state)
{
        fixture_t *f = *state;
        int seen[N_ARTICLES] = {0}, i;
        run_with_errors(f, API_ADD_PARTITIONS_TO_TXN, 3,
                        RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, seen);
        assert_aborted_and_redone();
        assert_true(dm_metrics_get_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED) >= 3);
        for (i = 0; i < N_ARTICLES; i++)
                assert_int_equal(seen[i], 1);
}

/* A produce request refused with a non-retriable error: the delivery fails
 * and the transaction must be aborted. */
static void test_abort_on_produce_error(void **state)
{
        fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_PRODUCE, 2, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, seen);
        assert_aborted_and_redone();
        assert_true(dm_metrics_error_get(DM_STAGE_PRODUCE, DM_ERR_AUTHORIZATION) >= 1);
}

/* The offsets refused by the group coordinator: abortable. */
static void test_abort_on_offset_commit_error(void **state)
{
        fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_TXN_OFFSET_COMMIT, 2, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
                        seen);
        assert_aborted_and_redone();
}

/* EndTxn (commit) refused with an abortable error. */
static void test_abort_on_end_txn_error(void **state)
{
        fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_END_TXN, 2, RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID, seen);
        assert_aborted_and_redone();
}

/* EndTxn answered with retriable errors (the coordinator is busy): retried,
 * nothing aborted, so the log holds every id exactly once. */
static void test_retriable_commit_error(void **state)
{
        fixture_t *f = *state;
        int seen[N_ARTICLES] = {0}, i;
        run_with_errors(f, API_END_TXN, 3, RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS, seen);
        assert_int_equal(dm_metrics_get_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED), 0);
        assert_int_equal(dm_metrics_get(DM_M_INPUT_MESSAGES), N_ARTICLES);
        for (i = 0; i < N_ARTICLES; i++)
                assert_int_equal(seen[i], 1);
}

/* Fenced (another instance owns the transactional.id now): fatal, the
 * pipeline stops with exit code 1 instead of carrying on. */
static void test_fenced_is_fatal(void **state)
{
        fixture_t *f = *state;
        time_t deadline;
        produce_inputs(f->bootstraps);
        rd_kafka_mock_push_request_errors(f->mc, API_END_TXN, 1, RD_KAFKA_RESP_ERR_PRODUCER_FENCED);
        start(f);
        deadline = time(NULL) + 60;
        while (f->running && time(NULL) < deadline)
                usleep(50000);
        assert_false(f->running);
        pthread_join(f->thread, NULL);
        assert_int_equal(f->rc, 1);
        assert_true(dm_metrics_error_get(DM_STAGE_COMMIT, DM_ERR_FENCED) >= 1);
        assert_true(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES) < N_ARTICLES);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_abort_before_write, setup, teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_produce_error, setup, teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_offset_commit_error, setup, teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_end_txn_error, setup, teardown),
            cmocka_unit_test_setup_teardown(test_retriable_commit_error, setup, teardown),
            cmocka_unit_test_setup_teardown(test_fenced_is_fatal, setup, teardown),
        };
        if (!getenv("DM_TEST_VERBOSE"))
                dm_log_set_level(DM_LOG_LEVEL_ERROR);
        return cmocka_run_group_tests(tests, NULL, NULL);
}
