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
#include "demarche/dm_buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_avro.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_pipeline.h"
#include "mock_support.h"

#define N_ARTICLES 300

/* Kafka protocol API keys of the requests errors are injected into. */
#define API_PRODUCE               0
#define API_ADD_PARTITIONS_TO_TXN 24
#define API_END_TXN               26
#define API_TXN_OFFSET_COMMIT     28

static void produce_inputs(const char *bootstraps)
{
        rd_kafka_t *p = mock_producer_new(bootstraps);
        mock_produce_articles(p, N_ARTICLES, NULL, NULL);
        mock_producer_close(p);
}

/* Reads articles.annotated from the beginning with isolation.level =
 * read_committed and counts each article id into seen[]. Returns the number
 * of records read. */
static int read_ids(const char *bootstraps, int *seen)
{
        char err[256];
        rd_kafka_t *c = mock_reader_new(bootstraps, "articles.annotated", 1);
        dm_avro_t *av = dm_avro_new(err, sizeof(err));
        int got = 0, eof = 0;
        time_t deadline = time(NULL) + 60;
        assert_non_null(av);
        while (eof < 3 && time(NULL) < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
                dm_buf_t b;
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
                seen[mock_article_id(b.data, N_ARTICLES)]++;
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

/* The shared mock fixture, in exactly-once mode with short transactions. */
static const char *const txn_settings[] = {"delivery.mode",
                                           "exactly-once",
                                           "transactional.id",
                                           "dm-test-txn",
                                           "transaction.interval.ms",
                                           "100",
                                           NULL};

static int setup(void **state)
{
        *state = mock_fixture_new(txn_settings);
        return 0;
}

/* Runs the pipeline over N_ARTICLES inputs with count errors code pushed on
 * the given API before it starts; checks it survived and committed one
 * AnnotatedArticle per input. Fills seen[] from the log. */
static void run_with_errors(mock_fixture_t *f, int api, int count, rd_kafka_resp_err_t code,
                            int *seen)
{
        rd_kafka_resp_err_t errs[8];
        int i, n;
        assert_true(count <= 8);
        for (i = 0; i < count; i++)
                errs[i] = code;
        produce_inputs(f->bootstraps);
        rd_kafka_mock_push_request_errors_array(f->mc, (int16_t)api, (size_t)count, errs);
        mock_start(f);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_ARTICLES, 90);
        /* Still running: the aborts were recovered in-process. */
        assert_true(f->running);
        mock_stop(f);
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
        mock_fixture_t *f = *state;
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
        mock_fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_PRODUCE, 2, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, seen);
        assert_aborted_and_redone();
        assert_true(dm_metrics_error_get(DM_STAGE_PRODUCE, DM_ERR_AUTHORIZATION) >= 1);
}

/* The offsets refused by the group coordinator: abortable. */
static void test_abort_on_offset_commit_error(void **state)
{
        mock_fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_TXN_OFFSET_COMMIT, 2, RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED,
                        seen);
        assert_aborted_and_redone();
}

/* EndTxn (commit) refused with an abortable error. */
static void test_abort_on_end_txn_error(void **state)
{
        mock_fixture_t *f = *state;
        int seen[N_ARTICLES] = {0};
        run_with_errors(f, API_END_TXN, 2, RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID, seen);
        assert_aborted_and_redone();
}

/* EndTxn answered with retriable errors (the coordinator is busy): retried,
 * nothing aborted, so the log holds every id exactly once. */
static void test_retriable_commit_error(void **state)
{
        mock_fixture_t *f = *state;
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
        mock_fixture_t *f = *state;
        time_t deadline;
        produce_inputs(f->bootstraps);
        rd_kafka_mock_push_request_errors(f->mc, API_END_TXN, 1, RD_KAFKA_RESP_ERR_PRODUCER_FENCED);
        mock_start(f);
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
            cmocka_unit_test_setup_teardown(test_abort_before_write, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_produce_error, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_offset_commit_error, setup,
                                            mock_teardown),
            cmocka_unit_test_setup_teardown(test_abort_on_end_txn_error, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_retriable_commit_error, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_fenced_is_fatal, setup, mock_teardown),
        };
        mock_quiet_logs();
        return cmocka_run_group_tests(tests, NULL, NULL);
}
