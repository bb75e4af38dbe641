/* The whole pipeline in-process against librdkafka's mock cluster: articles
 * in, AnnotatedArticle / DiplomaticEvent / RejectedArticle out, offsets
 * committed only for delivered work, produce errors injected and survived. */
#include <setjmp.h>
#include "demarche/dm_buf.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_avro.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_pipeline.h"
#include "mock_support.h"

#define N_GOOD 300
#define N_BAD  3
/* One article's title in Latin-1 (0xFC is u-umlaut), as a scraper might send it. */
#define LATIN1_TITLE "Talks in Z\xFCrich"

static void produce_inputs(const char *bootstraps)
{
        rd_kafka_t *p = mock_producer_new(bootstraps);
        mock_produce_articles(p, N_GOOD, LATIN1_TITLE, "2024-05-01T10:00:00Z");
        /* Bad inputs: malformed JSON, empty value, JSON without text. */
        rd_kafka_producev(p, RD_KAFKA_V_TOPIC("articles.raw"), RD_KAFKA_V_VALUE("{\"id\":", 6),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        rd_kafka_producev(p, RD_KAFKA_V_TOPIC("articles.raw"), RD_KAFKA_V_VALUE("   ", 3),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        rd_kafka_producev(p, RD_KAFKA_V_TOPIC("articles.raw"),
                          RD_KAFKA_V_VALUE("{\"id\":\"x\",\"title\":\"t\"}", 22),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        mock_producer_close(p);
}

/* Reads a topic from the beginning until want records arrived or timeout;
 * returns the count and collects the decoded JSON of each into *json. */
static int read_topic(const char *bootstraps, const char *topic, int want, dm_avro_t *av,
                      dm_avro_kind_t kind, char ***json)
{
        char err[256];
        rd_kafka_t *c = mock_reader_new(bootstraps, topic, 0);
        int got = 0;
        time_t deadline = time(NULL) + 60;
        *json = calloc((size_t)want + 64, sizeof(char *));
        while (got < want + 64 && time(NULL) < deadline) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(c, 200);
                dm_avro_kind_t k;
                dm_buf_t b;
                if (!m)
                        continue;
                if (m->err) {
                        rd_kafka_message_destroy(m);
                        if (got >= want)
                                break;
                        continue;
                }
                assert_int_equal(dm_avro_identify(av, m->payload, m->len, &k, err, sizeof(err)), 0);
                assert_int_equal(k, kind);
                dm_buf_init(&b);
                assert_int_equal(
                    dm_avro_decode_to_json(av, m->payload, m->len, &b, err, sizeof(err)), 0);
                (*json)[got++] = dm_buf_steal(&b);
                rd_kafka_message_destroy(m);
                if (got >= want) {
                        /* Drain briefly: more than expected would be a bug. */
                        deadline = time(NULL) + 1;
                }
        }
        rd_kafka_consumer_close(c);
        rd_kafka_destroy(c);
        return got;
}

static void free_json(char **json, int n)
{
        int i;
        for (i = 0; i < n; i++)
                free(json[i]);
        free(json);
}

static int64_t committed_total(const char *bootstraps)
{
        char err[256];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *c;
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(3);
        int64_t total = 0;
        int p;
        rd_kafka_conf_set(kc, "bootstrap.servers", bootstraps, err, sizeof(err));
        rd_kafka_conf_set(kc, "group.id", "demarche", err, sizeof(err));
        c = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err));
        for (p = 0; p < 3; p++)
                rd_kafka_topic_partition_list_add(l, "articles.raw", p);
        assert_int_equal(rd_kafka_committed(c, l, 10000), 0);
        for (p = 0; p < 3; p++)
                if (l->elems[p].offset > 0)
                        total += l->elems[p].offset;
        rd_kafka_topic_partition_list_destroy(l);
        rd_kafka_destroy(c);
        return total;
}

/* The shared mock fixture, committing offsets often. */
static const char *const pipeline_settings[] = {"kafka.auto.commit.interval.ms", "200", NULL};

static int setup(void **state)
{
        *state = mock_fixture_new(pipeline_settings);
        return 0;
}

static void start(mock_fixture_t *f)
{
        mock_start(f);
        assert_true(dm_pipeline_http_port(f->pipeline) > 0);
}

static void test_end_to_end_on_mock(void **state)
{
        mock_fixture_t *f = *state;
        dm_avro_t *av;
        char err[256], **json;
        int n, i, seen[N_GOOD] = {0};

        produce_inputs(f->bootstraps);
        /* Produce requests fail with a retriable error a few times: the
         * idempotent producer and our re-produce path must lose nothing.
         * (API key 0 is Produce; 6 is NOT_LEADER_FOR_PARTITION.) */
        rd_kafka_mock_push_request_errors(f->mc, 0, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                          RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                          RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                          RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
        start(f);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_GOOD, 60);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ, N_BAD, 10);
        mock_stop(f);

        assert_int_equal(dm_metrics_get(DM_M_INPUT_MESSAGES), N_GOOD + N_BAD);
        assert_int_equal(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES), N_GOOD);
        assert_int_equal(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ), N_BAD);
        assert_int_equal(dm_metrics_dlq_get(DM_REJECT_MALFORMED_JSON), 1);
        assert_int_equal(dm_metrics_dlq_get(DM_REJECT_EMPTY), 2);
        /* Article 0 came in Latin-1: repaired, counted, annotated. */
        assert_int_equal(dm_metrics_get_l(DM_M_INPUT_REPAIRED, DM_CHARSET_WINDOWS1252 - 1), 1);
        assert_int_equal(dm_metrics_get_l(DM_M_INPUT_REPAIRED, DM_CHARSET_UTF8_REPAIRED - 1), 0);
        /* Everything delivered was committed, and nothing else. */
        assert_int_equal(committed_total(f->bootstraps), N_GOOD + N_BAD);

        av = dm_avro_new(err, sizeof(err));
        assert_non_null(av);
        n = read_topic(f->bootstraps, "articles.annotated", N_GOOD, av, DM_AVRO_ARTICLE, &json);
        assert_int_equal(n, N_GOOD);
        for (i = 0; i < n; i++) {
                int id = mock_article_id(json[i], N_GOOD);
                seen[id]++;
                if (id == 0)
                        assert_non_null(strstr(json[i], "\"title\":\"Talks in Z\xC3\xBCrich\""));
                /* Each article names two countries. */
                assert_non_null(strstr(json[i], "\"type\":\"COUNTRY\""));
        }
        for (i = 0; i < N_GOOD; i++)
                assert_int_equal(seen[i], 1);
        free_json(json, n);

        n = read_topic(f->bootstraps, "articles.dlq", N_BAD, av, DM_AVRO_REJECTED, &json);
        assert_int_equal(n, N_BAD);
        for (i = 0; i < n; i++)
                assert_non_null(strstr(json[i], "\"source_topic\":\"articles.raw\""));
        free_json(json, n);
        dm_avro_destroy(av);
}

/* Restart on the same group: nothing is consumed again because everything
 * was committed; new input is picked up. */
static void test_restart_resumes(void **state)
{
        mock_fixture_t *f = *state;
        produce_inputs(f->bootstraps);
        start(f);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_GOOD, 60);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ, N_BAD, 10);
        mock_stop(f);
        dm_pipeline_destroy(f->pipeline);
        f->pipeline = NULL;
        dm_metrics_reset();
        start(f);
        sleep(6); /* group join and a chance to re-read, which must not happen */
        assert_int_equal(dm_metrics_get(DM_M_INPUT_MESSAGES), 0);
        produce_inputs(f->bootstraps);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_GOOD, 60);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ, N_BAD, 10);
        mock_stop(f);
        assert_int_equal(dm_metrics_get(DM_M_INPUT_MESSAGES), N_GOOD + N_BAD);
        assert_int_equal(committed_total(f->bootstraps), 2 * (N_GOOD + N_BAD));
}

typedef struct sampler {
        volatile int stop;
        int64_t max_inflight;
        int64_t max_paused;
} sampler_t;

static void *sample(void *arg)
{
        sampler_t *sm = arg;
        while (!sm->stop) {
                int64_t v = dm_metrics_get(DM_G_INFLIGHT),
                        pz = dm_metrics_get(DM_G_PAUSED_PARTITIONS);
                if (v > sm->max_inflight)
                        sm->max_inflight = v;
                if (pz > sm->max_paused)
                        sm->max_paused = pz;
                usleep(2000);
        }
        return NULL;
}

/* The output side fails for a while (every Produce request errors): input
 * is paused at max.inflight, memory stays bounded, nothing is lost, and
 * consumption resumes when the fault clears. */
static void test_output_outage_pauses_input(void **state)
{
        mock_fixture_t *f = *state;
        sampler_t sm = {0};
        pthread_t st;
        int i;
        rd_kafka_resp_err_t errs[60];
        for (i = 0; i < 60; i++)
                errs[i] = RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT;
        mock_conf_set(f->conf, "max.inflight", "40");
        produce_inputs(f->bootstraps);
        /* API key 0 is Produce. */
        rd_kafka_mock_push_request_errors_array(f->mc, 0, 60, errs);
        pthread_create(&st, NULL, sample, &sm);
        start(f);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_GOOD, 120);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ, N_BAD, 10);
        mock_stop(f);
        sm.stop = 1;
        pthread_join(st, NULL);
        print_message("max in flight %lld (max.inflight 40), paused partitions seen %lld\n",
                      (long long)sm.max_inflight, (long long)sm.max_paused);
        assert_int_equal(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES), N_GOOD);
        assert_true(sm.max_paused > 0);
        /* Bounded: the limit plus what librdkafka had already fetched. */
        assert_true(sm.max_inflight <= 40 + 64);
        assert_int_equal(dm_metrics_get(DM_G_PAUSED_PARTITIONS), 0);
        assert_int_equal(committed_total(f->bootstraps), N_GOOD + N_BAD);
}

/* The articles topic has no leader for a while (unavailable): output
 * stalls, input pauses at max.inflight, and everything flows once the
 * partitions have a leader again. */
static void test_output_topic_unavailable(void **state)
{
        mock_fixture_t *f = *state;
        sampler_t sm = {0};
        pthread_t st;
        int p;
        mock_conf_set(f->conf, "max.inflight", "40");
        produce_inputs(f->bootstraps);
        for (p = 0; p < 3; p++)
                rd_kafka_mock_partition_set_leader(f->mc, "articles.annotated", p, -1);
        pthread_create(&st, NULL, sample, &sm);
        start(f);
        mock_wait_for(f, DM_G_PAUSED_PARTITIONS, 0, 1, 60);
        sleep(2);
        assert_true(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES) < N_GOOD);
        for (p = 0; p < 3; p++)
                rd_kafka_mock_partition_set_leader(f->mc, "articles.annotated", p, 1);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES, N_GOOD, 120);
        mock_wait_for(f, DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ, N_BAD, 10);
        mock_stop(f);
        sm.stop = 1;
        pthread_join(st, NULL);
        print_message("unavailable topic: max in flight %lld, paused partitions seen %lld\n",
                      (long long)sm.max_inflight, (long long)sm.max_paused);
        assert_true(sm.max_paused > 0);
        assert_true(sm.max_inflight <= 40 + 64);
        assert_int_equal(dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES), N_GOOD);
        assert_int_equal(committed_total(f->bootstraps), N_GOOD + N_BAD);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_end_to_end_on_mock, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_restart_resumes, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_output_outage_pauses_input, setup, mock_teardown),
            cmocka_unit_test_setup_teardown(test_output_topic_unavailable, setup, mock_teardown),
        };
        mock_quiet_logs();
        return cmocka_run_group_tests(tests, NULL, NULL);
}
