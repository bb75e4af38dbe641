/* Test support shared by the pipeline tests that run the whole pipeline
 * in-process against librdkafka's mock cluster: the fixture (cluster,
 * topics, the config both tests start from), the pipeline thread, the input
 * producer and the output reader. What a test is about (delivery mode,
 * intervals, injected errors) stays in the test. */
#ifndef DM_TEST_MOCK_SUPPORT_H
#define DM_TEST_MOCK_SUPPORT_H

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <pthread.h>
#include <stdint.h>

#include "demarche/dm_config.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_pipeline.h"

typedef struct mock_fixture {
        rd_kafka_t *mock_rk; /* owns the mock cluster */
        rd_kafka_mock_cluster_t *mc;
        const char *bootstraps;
        dm_config_t *conf;
        dm_pipeline_t *pipeline;
        pthread_t thread;
        volatile int running; /* cleared by the pipeline thread when run returns */
        int rc;               /* dm_pipeline_run's exit code */
} mock_fixture_t;

/* A one-broker mock cluster with articles.raw, articles.annotated,
 * events.coded and articles.dlq (3 partitions each), a config pointing at
 * the source tree's dictionaries with 2 workers, max.inflight 50 and a short
 * consumer session, then the test's own settings (key, value, ..., NULL) on
 * top, and the metrics reset. */
mock_fixture_t *mock_fixture_new(const char *const *settings);

/* cmocka teardown for a fixture from mock_fixture_new: stops the pipeline
 * if its thread still runs, then frees everything. */
int mock_teardown(void **state);

/* Logs errors only, unless DM_TEST_VERBOSE is set in the environment. */
void mock_quiet_logs(void);

/* dm_config_set that aborts on a refused setting. */
void mock_conf_set(dm_config_t *c, const char *k, const char *v);

/* Creates the pipeline from f->conf against the mock cluster and runs it on
 * f->thread. */
void mock_start(mock_fixture_t *f);

/* Stops the pipeline, joins its thread and asserts it exited with 0. */
void mock_stop(mock_fixture_t *f);

/* Waits until the metric reaches want, the pipeline stops or secs pass. */
void mock_wait_for(mock_fixture_t *f, dm_metric_t m, int label, int64_t want, int secs);

/* A producer on the mock cluster; mock_producer_close flushes (asserting
 * everything was delivered) and destroys it. */
rd_kafka_t *mock_producer_new(const char *bootstraps);
void mock_producer_close(rd_kafka_t *p);

/* Produces n article JSON documents art-0000 .. to articles.raw, each naming
 * two countries. Article 0 is titled title0 (NULL: "Talks", like the rest);
 * published_at, when not NULL, is added to every article. */
void mock_produce_articles(rd_kafka_t *p, int n, const char *title0, const char *published_at);

/* A read_committed consumer assigned all 3 partitions of topic from the
 * beginning; partition_eof enables the end-of-partition events. */
rd_kafka_t *mock_reader_new(const char *bootstraps, const char *topic, int partition_eof);

/* The number n of "art-n" in a decoded record's article_id, asserted to be
 * in [0, n_articles). */
int mock_article_id(const char *json, int n_articles);

#endif
