/* See mock_support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_log.h"
#include "mock_support.h"

#define ARTICLE_ID_KEY "\"article_id\":\"art-"

static const char *countries[] = {"Japan", "Russia", "France", "Brazil", "Kenya", "India"};

void mock_conf_set(dm_config_t *c, const char *k, const char *v)
{
        char err[256];
        if (dm_config_set(c, k, v, err, sizeof(err))) {
                fprintf(stderr, "config %s: %s\n", k, err);
                abort();
        }
}

mock_fixture_t *mock_fixture_new(const char *const *settings)
{
        mock_fixture_t *f = calloc(1, sizeof(*f));
        char err[512], dicts[1024];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        const char *src = getenv("DM_SOURCE_DIR");
        assert_non_null(f);
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
        mock_conf_set(f->conf, "dictionaries.path", dicts);
        mock_conf_set(f->conf, "http.listen", "127.0.0.1:0");
        mock_conf_set(f->conf, "workers", "2");
        /* The pipeline's guarantees do not depend on how events are coded;
         * TABARI mode keeps the valgrind run quick (the end-to-end tests run
         * the default, parse mode). */
        mock_conf_set(f->conf, "coder.mode", "tabari");
        mock_conf_set(f->conf, "max.inflight", "50");
        /* The 2.0 mock coordinator waits for a departed member's session to
         * expire before rebalancing a restarted one; keep that short. */
        mock_conf_set(f->conf, "kafka.session.timeout.ms", "6000");
        mock_conf_set(f->conf, "kafka.heartbeat.interval.ms", "500");
        for (; settings && settings[0]; settings += 2)
                mock_conf_set(f->conf, settings[0], settings[1]);
        dm_metrics_reset();
        return f;
}

int mock_teardown(void **state)
{
        mock_fixture_t *f = *state;
        /* A test that failed half-way leaves its pipeline running. */
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

void mock_quiet_logs(void)
{
        if (!getenv("DM_TEST_VERBOSE"))
                dm_log_set_level(DM_LOG_LEVEL_ERROR);
}

static void *run_pipeline(void *arg)
{
        mock_fixture_t *f = arg;
        f->rc = dm_pipeline_run(f->pipeline);
        f->running = 0;
        return NULL;
}

void mock_start(mock_fixture_t *f)
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

void mock_stop(mock_fixture_t *f)
{
        dm_pipeline_stop(f->pipeline);
        pthread_join(f->thread, NULL);
        assert_int_equal(f->rc, 0);
}

void mock_wait_for(mock_fixture_t *f, dm_metric_t m, int label, int64_t want, int secs)
{
        time_t deadline = time(NULL) + secs;
        while (f->running && dm_metrics_get_l(m, label) < want && time(NULL) < deadline)
                usleep(50000);
}

rd_kafka_t *mock_producer_new(const char *bootstraps)
{
        char err[256];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *p;
        rd_kafka_conf_set(kc, "bootstrap.servers", bootstraps, err, sizeof(err));
        p = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err));
        assert_non_null(p);
        return p;
}

void mock_producer_close(rd_kafka_t *p)
{
        assert_int_equal(rd_kafka_flush(p, 10000), 0);
        rd_kafka_destroy(p);
}

void mock_produce_articles(rd_kafka_t *p, int n, const char *title0, const char *published_at)
{
        int i;
        for (i = 0; i < n; i++) {
                char v[512];
                int len =
                    snprintf(v, sizeof(v),
                             "{\"id\":\"art-%04d\",\"title\":\"%s\",\"text\":\"%s and %s "
                             "held talks on trade. Officials in %s welcomed the step.\"%s%s%s}",
                             i, i == 0 && title0 ? title0 : "Talks", countries[i % 6],
                             countries[(i + 1) % 6], countries[i % 6],
                             published_at ? ",\"published_at\":\"" : "",
                             published_at ? published_at : "", published_at ? "\"" : "");
                assert_true(len > 0 && (size_t)len < sizeof(v));
                assert_int_equal(rd_kafka_producev(p, RD_KAFKA_V_TOPIC("articles.raw"),
                                                   RD_KAFKA_V_VALUE(v, (size_t)len),
                                                   RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                                   RD_KAFKA_V_END),
                                 0);
        }
}

rd_kafka_t *mock_reader_new(const char *bootstraps, const char *topic, int partition_eof)
{
        char err[256];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *c;
        rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(3);
        int p;
        rd_kafka_conf_set(kc, "bootstrap.servers", bootstraps, err, sizeof(err));
        rd_kafka_conf_set(kc, "group.id", "test-reader", err, sizeof(err));
        /* librdkafka's default, written down because the transaction tests
         * depend on it. */
        rd_kafka_conf_set(kc, "isolation.level", "read_committed", err, sizeof(err));
        rd_kafka_conf_set(kc, "enable.partition.eof", partition_eof ? "true" : "false", err,
                          sizeof(err));
        c = rd_kafka_new(RD_KAFKA_CONSUMER, kc, err, sizeof(err));
        assert_non_null(c);
        for (p = 0; p < 3; p++)
                rd_kafka_topic_partition_list_add(l, topic, p)->offset = RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(c, l);
        rd_kafka_topic_partition_list_destroy(l);
        return c;
}

int mock_article_id(const char *json, int n_articles)
{
        const char *s = strstr(json, ARTICLE_ID_KEY);
        int id;
        assert_non_null(s);
        id = atoi(s + strlen(ARTICLE_ID_KEY));
        assert_true(id >= 0 && id < n_articles);
        return id;
}
