#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_pipeline_int.h"
#include "runtime/dm_pipeline_ops.h"
#include "runtime/dm_pl_io.h"
#include "demarche/dm_registry.h"
#include "demarche/dm_result_json.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef DM_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* The operational side of the pipeline: librdkafka statistics (consumer lag,
 * broker round-trip time), systemd status and watchdog, the health and
 * status endpoints, and dictionary hot reload. All on the loop thread, except
 * the reload loader thread, which touches only reload_* under reload_lock. */

#define DM_STATUS_SECS 5

/* ---- librdkafka statistics ---------------------------------------------- */

static void dm_pl_lag_set(dm_pipeline_t *p, const char *topic, int32_t partition, int64_t lag)
{
        size_t i;
        dm_pl_lag_t *l;
        for (i = 0; i < p->lag_count; i++) {
                if (p->lags[i].partition == partition && !strcmp(p->lags[i].topic, topic)) {
                        p->lags[i].lag = lag;
                        return;
                }
        }
        dm_grow((void **)&p->lags, &p->lag_cap, p->lag_count + 1, sizeof(*l));
        l = &p->lags[p->lag_count++];
        l->topic = dm_strdup(topic);
        l->partition = partition;
        l->lag = lag;
}

/* Statistics arrive through rd_kafka_poll on the loop thread. Unknown lags
 * (-1) and partitions not assigned to us are left out, so the gauge never
 * reports made-up numbers. */
static int dm_pl_stats_cb(rd_kafka_t *rk, char *json, size_t len, void *opaque)
{
        dm_pipeline_t *p = opaque;
        json_error_t je;
        json_t *root = json_loadb(json, len, 0, &je), *v;
        const char *key;
        if (!root)
                return 0;
        if (rk == p->consumer) {
                json_t *topics = json_object_get(root, "topics");
                size_t i;
                for (i = 0; i < p->lag_count; i++)
                        p->lags[i].lag = -1;
                json_object_foreach(topics, key, v)
                {
                        json_t *parts = json_object_get(v, "partitions"), *pv;
                        const char *pkey;
                        json_object_foreach(parts, pkey, pv)
                        {
                                int32_t part = (int32_t)atoi(pkey);
                                json_t *lag = json_object_get(pv, "consumer_lag");
                                json_t *fs = json_object_get(pv, "fetch_state");
                                if (part < 0 || !json_is_integer(lag) ||
                                    json_integer_value(lag) < 0)
                                        continue;
                                if (json_is_string(fs) && !strcmp(json_string_value(fs), "none"))
                                        continue;
                                dm_pl_lag_set(p, key, part, json_integer_value(lag));
                        }
                }
        } else {
                json_t *brokers = json_object_get(root, "brokers");
                int64_t sum = 0, n = 0;
                json_object_foreach(brokers, key, v)
                {
                        json_t *rtt = json_object_get(json_object_get(v, "rtt"), "avg");
                        json_t *st = json_object_get(v, "state");
                        if (json_is_integer(rtt) && json_integer_value(rtt) > 0 &&
                            json_is_string(st) && !strcmp(json_string_value(st), "UP")) {
                                sum += json_integer_value(rtt);
                                n++;
                        }
                }
                if (n)
                        dm_metrics_set(DM_G_BROKER_RTT_US, sum / n);
        }
        json_decref(root);
        return 0; /* librdkafka frees json */
}

void dm_pl_stats_cb_install(rd_kafka_conf_t *kc)
{
        char v[32];
        size_t vs = sizeof(v);
        rd_kafka_conf_set_stats_cb(kc, dm_pl_stats_cb);
        /* Lag and RTT metrics need statistics; keep a user's interval. */
        if (rd_kafka_conf_get(kc, "statistics.interval.ms", v, &vs) == RD_KAFKA_CONF_OK &&
            !strcmp(v, "0"))
                rd_kafka_conf_set(kc, "statistics.interval.ms", "5000", NULL, 0);
}

static void dm_pl_render_lag(dm_buf_t *out, void *opaque)
{
        dm_pipeline_t *p = opaque;
        size_t i;
        dm_buf_puts(out, "# HELP demarche_consumer_lag Consumer lag per assigned input partition "
                         "(librdkafka statistics).\n# TYPE demarche_consumer_lag gauge\n");
        for (i = 0; i < p->lag_count; i++)
                if (p->lags[i].lag >= 0)
                        dm_buf_printf(out,
                                      "demarche_consumer_lag{topic=\"%s\",partition=\"%d\"} "
                                      "%lld\n",
                                      p->lags[i].topic, p->lags[i].partition,
                                      (long long)p->lags[i].lag);
}

static int64_t dm_pl_total_lag(const dm_pipeline_t *p)
{
        int64_t t = 0;
        size_t i;
        for (i = 0; i < p->lag_count; i++)
                if (p->lags[i].lag > 0)
                        t += p->lags[i].lag;
        return t;
}

/* ---- systemd ------------------------------------------------------------ */

static int64_t dm_pl_done_total(void)
{
        return dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES) +
               dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ);
}

/* librdkafka 2.0 can leave a partition paused after a pause/resume that
 * raced a rebalance (confluentinc/librdkafka#5591, #5111): the consumer then
 * sits on lag with nothing in flight. Resuming the assignment again is
 * harmless when nothing is wrong, and unsticks it when something is. */
static void dm_pl_check_stalled(dm_pipeline_t *p)
{
        int64_t input = dm_metrics_get(DM_M_INPUT_MESSAGES);
        int stalled = !p->paused && !p->draining && p->jobs_inflight == 0 && p->assigned > 0 &&
                      dm_pl_total_lag(p) > 0 && input == p->status_last_input;
        p->status_last_input = input;
        /* Two status periods in a row, so that stale statistics (lag is
         * sampled every few seconds) do not trigger it. */
        p->stalled_ticks = stalled ? p->stalled_ticks + 1 : 0;
        if (p->stalled_ticks < 2)
                return;
        p->stalled_ticks = 0;
        dm_pl_pause_assignment(p, 0);
        DM_LOG_WARN("consumer",
                    "input stalled with lag %lld and nothing in flight: resumed the "
                    "assigned partitions again",
                    (long long)dm_pl_total_lag(p));
}

static void dm_pl_on_status(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        int64_t now = dm_pl_now_ms(), done = dm_pl_done_total();
        double rate = now > p->status_last_ms ? (double)(done - p->status_last_done) * 1000.0 /
                                                    (double)(now - p->status_last_ms)
                                              : 0.0;
        char status[256];
        p->status_last_ms = now;
        p->status_last_done = done;
        dm_pl_check_stalled(p);
        /* A standby member of a group with fewer partitions than members may
         * wait long for an assignment; systemd should not time out on it. */
        if (!p->notified_ready && now - p->started_ms > 60000) {
                p->notified_ready = 1;
                dm_pl_notify("READY=1");
        }
        snprintf(status, sizeof(status),
                 "STATUS=%.1f articles/s, %zu in flight, lag %lld, %lld dead-lettered%s%s", rate,
                 p->jobs_inflight, (long long)dm_pl_total_lag(p),
                 (long long)dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ),
                 p->paused ? ", input paused" : "", p->draining ? ", draining" : "");
        dm_pl_notify(status);
}

static void dm_pl_on_watchdog(evutil_socket_t fd, short what, void *arg)
{
        /* Sent from the loop itself: a stuck loop stops the pings and
         * systemd restarts the service. */
        dm_pl_notify("WATCHDOG=1");
}

void dm_pl_ops_start(dm_pipeline_t *p)
{
        struct timeval st = {DM_STATUS_SECS, 0};
        uint64_t wd_usec = 0;
        p->started_ms = dm_pl_now_ms();
        p->status_last_ms = p->started_ms;
        dm_metrics_set_extra(dm_pl_render_lag, p);
        p->status_ev = event_new(p->base, -1, EV_PERSIST, dm_pl_on_status, p);
        event_add(p->status_ev, &st);
#ifdef DM_HAVE_SYSTEMD
        if (sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec > 0) {
                struct timeval wt;
                wd_usec /= 2;
                wt.tv_sec = (time_t)(wd_usec / 1000000);
                wt.tv_usec = (suseconds_t)(wd_usec % 1000000);
                p->watchdog_ev = event_new(p->base, -1, EV_PERSIST, dm_pl_on_watchdog, p);
                event_add(p->watchdog_ev, &wt);
                DM_LOG_INFO("pipeline", "systemd watchdog: pinging every %llu ms",
                            (unsigned long long)(wd_usec / 1000));
        }
#endif
        (void)wd_usec;
}

void dm_pl_ops_stop(dm_pipeline_t *p)
{
        size_t i;
        if (p->reload_joinable) {
                pthread_join(p->reload_thread, NULL);
                p->reload_joinable = 0;
        }
        dm_dict_destroy(p->reload_result);
        p->reload_result = NULL;
        dm_metrics_set_extra(NULL, NULL);
        if (p->status_ev)
                event_free(p->status_ev);
        if (p->watchdog_ev)
                event_free(p->watchdog_ev);
        if (p->reload_ev)
                event_free(p->reload_ev);
        p->status_ev = p->watchdog_ev = p->reload_ev = NULL;
        for (i = 0; i < p->lag_count; i++)
                free(p->lags[i].topic);
        free(p->lags);
        p->lags = NULL;
        p->lag_count = p->lag_cap = 0;
}

/* ---- Health and status ---------------------------------------------------- */

int dm_pl_live(void *opaque, int verbose, dm_buf_t *out)
{
        /* Answering at all proves the loop turns: this runs on it. */
        dm_buf_puts(out, verbose ? "ok event-loop: turning\n" : "ok");
        return 1;
}

static int dm_pl_check(dm_buf_t *out, int verbose, int ok, const char *name, const char *detail,
                       int *all_ok)
{
        if (!ok)
                *all_ok = 0;
        if (verbose)
                dm_buf_printf(out, "%s %s: %s\n", ok ? "ok" : "failed", name, detail);
        else if (!ok && !out->len)
                dm_buf_printf(out, "not ready: %s: %s", name, detail);
        return ok;
}

int dm_pl_ready(void *opaque, int verbose, dm_buf_t *out)
{
        dm_pipeline_t *p = opaque;
        int ok = 1;
        char detail[128];
        snprintf(detail, sizeof(detail), "%d assigned", p->assigned);
        dm_pl_check(out, verbose, p->assigned > 0, "partitions", detail, &ok);
        snprintf(detail, sizeof(detail), "%lld us average round trip",
                 (long long)dm_metrics_get(DM_G_BROKER_RTT_US));
        /* Assignments come from a broker, so having them proves reachability
         * recently; statistics confirm it once they arrive. */
        dm_pl_check(out, verbose, p->assigned > 0 || dm_metrics_get(DM_G_BROKER_RTT_US) > 0,
                    "broker", detail, &ok);
        dm_pl_check(out, verbose, !p->fatal, "producer",
                    p->fatal ? "fatal error" : "no fatal error", &ok);
        dm_pl_check(out, verbose, !p->draining, "draining", p->draining ? "stopping" : "no", &ok);
        if (p->registry)
                dm_pl_check(out, verbose, p->subscribed, "registry",
                            p->subscribed ? "schemas registered" : p->registry_error, &ok);
        if (ok && !verbose)
                dm_buf_printf(out, "ok: %d partition(s) assigned", p->assigned);
        return ok;
}

void dm_pl_status_json(void *opaque, dm_buf_t *out)
{
        dm_pipeline_t *p = opaque;
        dm_json_writer_t w;
        int i;
        static const dm_metric_t counters[] = {DM_M_INPUT_MESSAGES, DM_M_ARTICLES_ANNOTATED,
                                               DM_M_PRODUCE_RETRIES, DM_M_OFFSETS_STORED,
                                               DM_M_REBALANCES};
        dm_json_writer_init(&w, out, 0);
        dm_json_begin_object(&w);
        dm_json_key(&w, "version");
        dm_json_string(&w, DM_VERSION);
        dm_json_key(&w, "uptime_seconds");
        dm_json_int(&w, (dm_pl_now_ms() - p->started_ms) / 1000);
        dm_json_key(&w, "ready");
        {
                dm_buf_t tmp;
                dm_buf_init(&tmp);
                dm_json_bool(&w, dm_pl_ready(p, 0, &tmp));
                dm_buf_free(&tmp);
        }
        dm_json_key(&w, "draining");
        dm_json_bool(&w, p->draining);
        dm_json_key(&w, "input_topic");
        dm_json_string(&w, p->s->input_topic);
        dm_json_key(&w, "assigned_partitions");
        dm_json_int(&w, p->assigned);
        dm_json_key(&w, "paused");
        dm_json_bool(&w, p->paused);
        dm_json_key(&w, "inflight");
        dm_json_int(&w, (int64_t)p->jobs_inflight);
        dm_json_key(&w, "consumer_lag");
        dm_json_int(&w, dm_pl_total_lag(p));
        dm_json_key(&w, "workers");
        dm_json_int(&w, p->nworkers);
        dm_json_key(&w, "dictionaries");
        dm_json_begin_object(&w);
        dm_json_key(&w, "spec");
        dm_json_string(&w, p->dict_spec);
        dm_json_key(&w, "actor_phrases");
        dm_json_int(&w, (int64_t)p->dict_stats.actor_phrases);
        dm_json_key(&w, "agent_phrases");
        dm_json_int(&w, (int64_t)p->dict_stats.agent_phrases);
        dm_json_key(&w, "verb_phrases");
        dm_json_int(&w, (int64_t)p->dict_stats.verb_phrases);
        dm_json_key(&w, "last_reload");
        if (p->last_reload[0])
                dm_json_string(&w, p->last_reload);
        else
                dm_json_null(&w);
        dm_json_end_object(&w);
        dm_json_key(&w, "counters");
        dm_json_begin_object(&w);
        for (i = 0; i < (int)(sizeof(counters) / sizeof(counters[0])); i++) {
                dm_json_key(&w, dm_metric_defs[counters[i]].name);
                dm_json_int(&w, dm_metrics_get(counters[i]));
        }
        dm_json_key(&w, "output_articles");
        dm_json_int(&w, dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_ARTICLES));
        dm_json_key(&w, "output_events");
        dm_json_int(&w, dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_EVENTS));
        dm_json_key(&w, "output_dlq");
        dm_json_int(&w, dm_metrics_get_l(DM_M_OUTPUT_MESSAGES, DM_OUTPUT_LABEL_DLQ));
        dm_json_end_object(&w);
        dm_json_end_object(&w);
}

/* ---- Dictionary hot reload -------------------------------------------------- */

void dm_pl_dict_metrics(dm_pipeline_t *p, const dm_dict_t *d)
{
        dm_dict_get_stats(d, &p->dict_stats);
        dm_metrics_set_l(DM_G_DICT_ENTRIES, DM_DICT_KIND_ACTOR,
                         (int64_t)p->dict_stats.actor_phrases);
        dm_metrics_set_l(DM_G_DICT_ENTRIES, DM_DICT_KIND_AGENT,
                         (int64_t)p->dict_stats.agent_phrases);
        dm_metrics_set_l(DM_G_DICT_ENTRIES, DM_DICT_KIND_VERB, (int64_t)p->dict_stats.verb_phrases);
}

static void dm_pl_on_reloaded(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        dm_dict_t *d;
        char err[512], when[32];
        time_t now = time(NULL);
        struct tm tm;
        /* The thread has published its result; it is about to return. */
        pthread_join(p->reload_thread, NULL);
        p->reload_joinable = 0;
        pthread_mutex_lock(&p->reload_lock);
        d = p->reload_result;
        p->reload_result = NULL;
        snprintf(err, sizeof(err), "%s", p->reload_error);
        p->reloading = 0;
        pthread_mutex_unlock(&p->reload_lock);
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        if (d) {
                dm_pl_dict_metrics(p, d);
                /* The workers switch between articles; the old set is freed
                 * when the last of them lets go. */
                dm_workers_swap_dict(p->workers, d);
                dm_metrics_add_l(DM_M_DICT_RELOADS, DM_RELOAD_SUCCESS, 1);
                snprintf(p->last_reload, sizeof(p->last_reload), "%s ok", when);
                DM_LOG_INFO("reload", "dictionaries reloaded: %zu actor, %zu verb phrases",
                            p->dict_stats.actor_phrases, p->dict_stats.verb_phrases);
        } else {
                dm_metrics_add_l(DM_M_DICT_RELOADS, DM_RELOAD_FAILURE, 1);
                snprintf(p->last_reload, sizeof(p->last_reload), "%s failed: %s", when, err);
                DM_LOG_ERROR("reload", "dictionary reload failed, keeping the loaded set: %s", err);
        }
        dm_pl_notify("READY=1");
}

static void *dm_pl_reload_thread(void *arg)
{
        dm_pipeline_t *p = arg;
        char err[512] = "";
        dm_dict_t *d = dm_dict_load(p->dict_spec, 0, err, sizeof(err));
        /* The parser model is part of the knowledge reloaded: load it here,
         * off the loop, and keep the old set when it fails. */
        if (d && !strcmp(p->s->coder_mode, "parse") && !dm_dict_parser(d, err, sizeof(err))) {
                dm_dict_destroy(d);
                d = NULL;
        }
        pthread_mutex_lock(&p->reload_lock);
        p->reload_result = d;
        snprintf(p->reload_error, sizeof(p->reload_error), "%s", err);
        pthread_mutex_unlock(&p->reload_lock);
        event_active(p->reload_ev, EV_READ, 0);
        return NULL;
}

/* The settings that can change without a restart: the log's level and
 * format. A file with errors changes nothing. */
static void dm_pl_reload_settings(dm_pipeline_t *p)
{
        dm_config_t *c;
        char err[2048] = "";
        dm_log_level_t level;
        if (!p->config_path)
                return;
        c = dm_config_new();
        if (dm_config_load_file(c, p->config_path, err, sizeof(err)) ||
            dm_config_load_env(c, err, sizeof(err))) {
                DM_LOG_ERROR("reload", "configuration not reloaded, it has errors: %s", err);
        } else if (dm_log_level_parse(dm_config_settings(c)->log_level, &level) == 0) {
                dm_log_set_level(level);
                dm_log_set_json(!strcmp(dm_config_settings(c)->log_format, "json"));
                DM_LOG_INFO("reload",
                            "log.level %s, log.format %s (other settings take effect "
                            "at the next restart)",
                            dm_config_settings(c)->log_level, dm_config_settings(c)->log_format);
        }
        dm_config_destroy(c);
}

void dm_pl_reload_begin(dm_pipeline_t *p)
{
        struct timespec ts;
        char msg[80];
        if (p->reloading) {
                DM_LOG_WARN("reload", "a reload is already in progress");
                return;
        }
        if (!p->reload_ev)
                p->reload_ev = event_new(p->base, -1, 0, dm_pl_on_reloaded, p);
        p->reloading = 1;
        /* MONOTONIC_USEC lets Type=notify-reload (systemd >= 253) match the
         * reload to its request. */
        clock_gettime(CLOCK_MONOTONIC, &ts);
        snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
                 (unsigned long long)ts.tv_sec * 1000000ULL +
                     (unsigned long long)ts.tv_nsec / 1000ULL);
        dm_pl_notify(msg);
        dm_pl_reload_settings(p);
        DM_LOG_INFO("reload", "reloading dictionaries from %s", p->dict_spec);
        /* Compiling takes a while; consumption goes on meanwhile. */
        if (pthread_create(&p->reload_thread, NULL, dm_pl_reload_thread, p)) {
                p->reloading = 0;
                DM_LOG_ERROR("reload", "cannot start the reload thread");
                return;
        }
        p->reload_joinable = 1;
}

/* ---- Schema Registry: register, then consume ------------------------------- */

typedef struct dm_pl_regctx {
        dm_pipeline_t *p;
        dm_avro_kind_t kind;
} dm_pl_regctx_t;

static void dm_pl_registry_send(dm_pipeline_t *p, dm_avro_kind_t kind);

static const char *dm_pl_kind_topic(const dm_pipeline_t *p, dm_avro_kind_t kind)
{
        return kind == DM_AVRO_ARTICLE   ? p->s->output_articles_topic
               : kind == DM_AVRO_EVENT   ? p->s->output_events_topic
               : kind == DM_AVRO_CLUSTER ? p->s->cluster_output_topic
                                         : p->s->output_dlq_topic;
}

/* EventCluster is registered only when the clustering stage runs, so that
 * cluster.enabled = false leaves the registry as it was. */
static int dm_pl_kind_used(const dm_pipeline_t *p, int kind)
{
        return kind != DM_AVRO_CLUSTER || p->s->cluster_enabled;
}

static void dm_pl_registry_retry_cb(evutil_socket_t fd, short what, void *arg)
{
        dm_pl_regctx_t *c = arg;
        dm_pl_registry_send(c->p, c->kind);
}

static void dm_pl_registry_done(dm_registry_result_t result, int32_t id, int status,
                                const char *error, void *opaque)
{
        static const dm_error_type_t types[] = {
            [DM_REGISTRY_CONNECT] = DM_ERR_CONNECT,
            [DM_REGISTRY_TIMEOUT] = DM_ERR_TIMED_OUT,
            [DM_REGISTRY_HTTP_STATUS] = DM_ERR_HTTP_STATUS,
            [DM_REGISTRY_BAD_RESPONSE] = DM_ERR_BAD_RESPONSE,
        };
        dm_pl_regctx_t *c = opaque;
        dm_pipeline_t *p = c->p;
        dm_avro_kind_t k = c->kind;
        char kv[200], err[256];
        int i, all = 1;
        snprintf(kv, sizeof(kv), "subject=%s-value", dm_pl_kind_topic(p, k));
        if (p->schema_registered[k]) {
                /* A periodic check: a failure keeps the id (the next check
                 * tries again); a new id is used from now on. */
                int32_t old = atomic_load(&p->schema_ids[k]);
                if (result != DM_REGISTRY_OK) {
                        dm_metrics_error(DM_STAGE_REGISTRY, types[result]);
                        DM_LOGKV(DM_LOG_LEVEL_WARN, "registry", kv,
                                 "schema check failed, keeping id %d: %s", (int)old, error);
                } else if (id != old) {
                        atomic_store(&p->schema_ids[k], id);
                        DM_LOGKV(DM_LOG_LEVEL_WARN, "registry", kv,
                                 "%s has id %d now, not %d (did the registry lose its "
                                 "storage?): records from now on carry %d",
                                 dm_avro_kind_name(k), (int)id, (int)old, (int)id);
                }
                return;
        }
        if (result != DM_REGISTRY_OK) {
                /* Backoff 0.5 s doubling to 30 s; consumption stays on hold, so
                 * nothing is produced (or committed) without a schema id. */
                int64_t ms = 500LL << (p->registry_attempts[k] < 6 ? p->registry_attempts[k] : 6);
                struct timeval tv;
                if (ms > 30000)
                        ms = 30000;
                p->registry_attempts[k]++;
                dm_metrics_error(DM_STAGE_REGISTRY, types[result]);
                snprintf(p->registry_error, sizeof(p->registry_error), "%s-value: %s",
                         dm_pl_kind_topic(p, k), error);
                DM_LOGKV(DM_LOG_LEVEL_WARN, "registry", kv,
                         "schema registration failed (attempt %d, retry in %lld ms): %s",
                         p->registry_attempts[k], (long long)ms, error);
                tv.tv_sec = (time_t)(ms / 1000);
                tv.tv_usec = (suseconds_t)((ms % 1000) * 1000);
                evtimer_add(p->registry_retry[k], &tv);
                (void)status;
                return;
        }
        atomic_store(&p->schema_ids[k], id);
        p->schema_registered[k] = 1;
        if (k == DM_AVRO_CLUSTER)
                atomic_store(&p->cluster_schema_ready, 1);
        DM_LOGKV(DM_LOG_LEVEL_INFO, "registry", kv, "%s registered with id %d",
                 dm_avro_kind_name(k), (int)id);
        for (i = 0; i < DM_AVRO_KIND_COUNT; i++)
                all &= p->schema_registered[i] || !dm_pl_kind_used(p, i);
        if (all && !p->subscribed) {
                p->registry_error[0] = '\0';
                if (dm_pl_subscribe(p, err, sizeof(err))) {
                        DM_LOG_FATAL("registry", "%s", err);
                        p->fatal = 1;
                        return;
                }
                DM_LOG_INFO("registry", "all schemas registered: consuming %s", p->s->input_topic);
                if (p->s->registry_check_interval_ms > 0) {
                        struct timeval tv;
                        tv.tv_sec = (time_t)(p->s->registry_check_interval_ms / 1000);
                        tv.tv_usec =
                            (suseconds_t)((p->s->registry_check_interval_ms % 1000) * 1000);
                        event_add(p->registry_check_ev, &tv);
                }
        }
}

static void dm_pl_registry_check_cb(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        int k;
        for (k = 0; k < DM_AVRO_KIND_COUNT; k++)
                if (dm_pl_kind_used(p, k))
                        dm_pl_registry_send(p, (dm_avro_kind_t)k);
}

static void dm_pl_registry_send(dm_pipeline_t *p, dm_avro_kind_t kind)
{
        char subject[512];
        snprintf(subject, sizeof(subject), "%s-value", dm_pl_kind_topic(p, kind));
        /* The .avsc text exactly as written, so that the registry keeps its
         * docs and formatting. */
        dm_registry_register(p->registry, subject, dm_avro_schema_text(p->avro, kind),
                             dm_pl_registry_done, event_get_callback_arg(p->registry_retry[kind]));
}

int dm_pl_registry_new(dm_pipeline_t *p, char *errstr, size_t errstr_size)
{
        int k;
        dm_registry_tls_t tls = {p->s->registry_ca, p->s->registry_cert, p->s->registry_key};
        p->registry = dm_registry_new(p->base, p->s->registry_url, p->s->registry_user_info, &tls,
                                      (int)p->s->registry_timeout_ms, errstr, errstr_size);
        if (!p->registry)
                return -1;
        for (k = 0; k < DM_AVRO_KIND_COUNT; k++) {
                dm_pl_regctx_t *c = dm_calloc(1, sizeof(*c));
                c->p = p;
                c->kind = (dm_avro_kind_t)k;
                p->registry_retry[k] = evtimer_new(p->base, dm_pl_registry_retry_cb, c);
        }
        /* Registering again is idempotent: the registry answers with the
         * schema's id, or gives it one when it lost its storage. */
        p->registry_check_ev = event_new(p->base, -1, EV_PERSIST, dm_pl_registry_check_cb, p);
        snprintf(p->registry_error, sizeof(p->registry_error), "not registered yet");
        return 0;
}

void dm_pl_registry_start(dm_pipeline_t *p)
{
        int k;
        DM_LOG_INFO("registry", "registering schemas at %s; consuming waits for them",
                    p->s->registry_url);
        for (k = 0; k < DM_AVRO_KIND_COUNT; k++)
                if (dm_pl_kind_used(p, k))
                        dm_pl_registry_send(p, (dm_avro_kind_t)k);
}

void dm_pl_registry_destroy(dm_pipeline_t *p)
{
        int k;
        if (p->registry_check_ev)
                event_free(p->registry_check_ev);
        p->registry_check_ev = NULL;
        dm_registry_destroy(p->registry);
        p->registry = NULL;
        for (k = 0; k < DM_AVRO_KIND_COUNT; k++) {
                if (!p->registry_retry[k])
                        continue;
                free(event_get_callback_arg(p->registry_retry[k]));
                event_free(p->registry_retry[k]);
                p->registry_retry[k] = NULL;
        }
}
