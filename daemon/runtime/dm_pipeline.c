#include "demarche/dm_pipeline.h"
#include "runtime/dm_pipeline_int.h"
#include "runtime/dm_pl_io.h"
#include "runtime/dm_pipeline_ops.h"
#include "runtime/dm_pipeline_txn.h"
#include "demarche/dm_avro.h"
#include "demarche/dm_dict.h"
#include "runtime/dm_http.h"
#include "runtime/dm_job.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_offsets.h"

#include <errno.h>
#include <event2/event.h>
#include <event2/thread.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define DM_TICK_MS 100

/* ---- Kafka client construction ---------------------------------------- */

typedef struct dm_pl_confctx {
        rd_kafka_conf_t *kc;
        char *errstr;
        size_t errstr_size;
} dm_pl_confctx_t;

static int dm_pl_conf_set(const char *key, const char *value, void *opaque)
{
        dm_pl_confctx_t *c = opaque;
        char err[256];
        if (rd_kafka_conf_set(c->kc, key, value, err, sizeof(err)) != RD_KAFKA_CONF_OK) {
                snprintf(c->errstr, c->errstr_size, "kafka.%s: %s", key, err);
                return -1;
        }
        return 0;
}

static void dm_pl_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
        dm_pipeline_t *p = opaque;
        char kv[128];
        snprintf(kv, sizeof(kv), "client=%s code=%s", rd_kafka_name(rk),
                 rd_kafka_err2name((rd_kafka_resp_err_t)err));
        if (err == RD_KAFKA_RESP_ERR__FATAL) {
                char fatal[512];
                rd_kafka_fatal_error(rk, fatal, sizeof(fatal));
                DM_LOGKV(DM_LOG_LEVEL_FATAL, "kafka", kv, "fatal client error: %s", fatal);
                p->fatal = 1;
                return;
        }
        DM_LOGKV(DM_LOG_LEVEL_WARN, "kafka", kv, "%s", reason);
        if (rk == p->consumer)
                dm_metrics_kafka_error(DM_STAGE_CONSUME, err);
}

static void dm_pl_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque);
static void dm_pl_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t *offsets, void *opaque);
static void dm_pl_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t *parts, void *opaque);

static rd_kafka_t *dm_pl_client(dm_pipeline_t *p, rd_kafka_type_t type,
                                const dm_pipeline_options_t *opts, char *errstr, size_t errstr_size)
{
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        dm_pl_confctx_t c = {kc, errstr, errstr_size};
        char err[512];
        rd_kafka_t *rk;
        int consumer = type == RD_KAFKA_CONSUMER;

        rd_kafka_conf_set(kc, "client.id", consumer ? "demarche-consumer" : "demarche-producer",
                          NULL, 0);
        if (dm_config_kafka_foreach(p->conf, consumer ? DM_KAFKA_CONSUMER : DM_KAFKA_PRODUCER,
                                    dm_pl_conf_set, &c))
                goto fail;
        if (opts && opts->bootstrap_override &&
            dm_pl_conf_set("bootstrap.servers", opts->bootstrap_override, &c))
                goto fail;
        if (consumer) {
                /* At-least-once: offsets are stored by us after delivery, and
                 * the auto-committer only commits what we stored. */
                if (dm_pl_conf_set("enable.auto.offset.store", "false", &c) ||
                    dm_pl_conf_set("enable.auto.commit", "true", &c))
                        goto fail;
                rd_kafka_conf_set_rebalance_cb(kc, dm_pl_rebalance_cb);
                rd_kafka_conf_set_offset_commit_cb(kc, dm_pl_commit_cb);
        } else {
                rd_kafka_conf_set_dr_msg_cb(kc, dm_pl_dr_cb);
        }
        rd_kafka_conf_set_log_cb(
            kc, (void (*)(const rd_kafka_t *, int, const char *, const char *))dm_log_rdkafka_cb);
        rd_kafka_conf_set_error_cb(kc, dm_pl_error_cb);
        dm_pl_stats_cb_install(kc);
        if (dm_pl_txn_conf(p, kc, consumer, errstr, errstr_size))
                goto fail;
        rd_kafka_conf_set_opaque(kc, p);
        rk = rd_kafka_new(type, kc, err, sizeof(err));
        if (!rk) {
                snprintf(errstr, errstr_size, "cannot create Kafka %s: %s",
                         consumer ? "consumer" : "producer", err);
                goto fail;
        }
        return rk; /* rd_kafka_new took kc */
fail:
        rd_kafka_conf_destroy(kc);
        return NULL;
}

/* ---- Offsets and delivery reports (producing: dm_pl_io.c) --------------- */

static void dm_pl_consume(dm_pipeline_t *p);
static void dm_pl_check_drained(dm_pipeline_t *p);

static void dm_pl_store_offset(dm_pipeline_t *p, const dm_job_t *job, int64_t commit)
{
        rd_kafka_topic_partition_list_t *l;
        rd_kafka_resp_err_t err;
        if (p->eos) {
                /* Sent with the transaction that carries the outputs. */
                dm_pl_txn_offset(p, job->topic, job->partition, commit);
                return;
        }
        l = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(l, job->topic, job->partition)->offset = commit;
        err = rd_kafka_offsets_store(p->consumer, l);
        if (err)
                DM_LOG_DEBUG("consumer", "offset store %s[%d]@%lld: %s", job->topic, job->partition,
                             (long long)commit, rd_kafka_err2str(err));
        else
                dm_metrics_add(DM_M_OFFSETS_STORED, 1);
        rd_kafka_topic_partition_list_destroy(l);
}

static void dm_pl_job_complete(dm_pipeline_t *p, dm_job_t *job)
{
        int64_t commit;
        struct timeval tv;
        if (dm_offsets_done(p->offsets, job->topic, job->partition, job->offset, &commit) == 1)
                dm_pl_store_offset(p, job, commit);
        gettimeofday(&tv, NULL);
        dm_metrics_observe_us(DM_H_END_TO_END,
                              (int64_t)tv.tv_sec * 1000000 + tv.tv_usec - job->consumed_us);
        dm_metrics_set(DM_G_LAST_PROCESSED, (int64_t)tv.tv_sec);
        dm_pl_job_dispose(p, job);
}

static void dm_pl_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
        dm_pipeline_t *p = opaque;
        dm_output_t *o = m->_private;
        static const int per_dest[DM_OUT_DEST_COUNT] = {DM_OUTPUT_LABEL_ARTICLES,
                                                        DM_OUTPUT_LABEL_EVENTS, DM_OUTPUT_LABEL_DLQ,
                                                        DM_OUTPUT_LABEL_REPARTITION};
        if (p->eos) {
                /* A failure dooms the transaction; records count once it
                 * commits. */
                if (dm_pl_txn_delivery(p, o, m->err))
                        return;
        } else if (m->err) {
                char kv[160];
                snprintf(kv, sizeof(kv), "topic=%s", p->topics[o->dest]);
                dm_metrics_kafka_error(DM_STAGE_PRODUCE, m->err);
                DM_LOGKV(DM_LOG_LEVEL_ERROR, "producer", kv, "delivery failed, will retry: %s",
                         rd_kafka_err2str(m->err));
                dm_pl_retry_later(p, o);
                return;
        } else {
                dm_metrics_add_l(DM_M_OUTPUT_MESSAGES, per_dest[o->dest], 1);
                if (o->dest == DM_OUT_DLQ)
                        dm_metrics_dlq_add(o->job->reason, 1);
        }
        o->delivered = 1;
        if (--o->job->pending == 0)
                dm_pl_job_complete(p, o->job);
}

/* ---- Events from workers and librdkafka -------------------------------- */

static void dm_pl_on_done(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        dm_job_t *job = dm_workers_take_done(p->workers), *next;
        for (; job; job = next) {
                next = job->next;
                job->next = NULL;
                if (p->eos)
                        dm_pl_txn_worker_done(p, job);
                else
                        dm_pl_produce_job(p, job);
        }
        rd_kafka_poll(p->producer, 0);
        dm_pl_check_drained(p);
}

static void dm_pl_workers_done_cb(void *opaque)
{
        dm_pipeline_t *p = opaque;
        /* Thread-safe: libevent was set up with evthread_use_pthreads. */
        event_active(p->done_ev, EV_READ, 0);
}

static void dm_pl_drain_pipe(int fd)
{
        char buf[256];
        while (read(fd, buf, sizeof(buf)) > 0)
                ;
}

static void dm_pl_on_producer(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        dm_pl_drain_pipe(fd);
        rd_kafka_poll(p->producer, 0);
        dm_pl_consume(p);
        dm_pl_check_drained(p);
}

static void dm_pl_on_consumer(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        dm_pl_drain_pipe(fd);
        dm_pl_consume(p);
}

static void dm_pl_handle_message(dm_pipeline_t *p, rd_kafka_message_t *m)
{
        dm_job_t *job;
        if (m->err) {
                if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        dm_metrics_kafka_error(DM_STAGE_CONSUME, m->err);
                        DM_LOG_WARN("consumer", "consume error: %s", rd_kafka_message_errstr(m));
                }
                return;
        }
        dm_metrics_add(DM_M_INPUT_MESSAGES, 1);
        dm_offsets_track(p->offsets, p->s->input_topic, m->partition, m->offset);
        job = dm_job_new(p->s->input_topic, m->partition, m->offset, m->payload, m->len, m->key,
                         m->key_len);
        p->jobs_inflight++;
        dm_metrics_set(DM_G_INFLIGHT, (int64_t)p->jobs_inflight);
        if (p->eos)
                dm_pl_txn_track(p, job);
        dm_workers_submit(p->workers, job);
}

/* Pulls messages while there is room. The queue's IO event fires only on the
 * empty to non-empty transition, so when we stop early (backpressure) the
 * tick and job completions call back in here. */

static void dm_pl_set_paused(dm_pipeline_t *p, int pause)
{
        if (pause == p->paused)
                return;
        dm_pl_pause_assignment(p, pause);
        p->paused = pause;
        dm_metrics_set(DM_G_PAUSED_PARTITIONS, pause ? p->assigned : 0);
        DM_LOG_INFO("consumer", "%s input: %zu article(s) in flight (max.inflight %lld)",
                    pause ? "pausing" : "resuming", p->jobs_inflight,
                    (long long)p->s->max_inflight);
}

static void dm_pl_consume(dm_pipeline_t *p)
{
        size_t max = (size_t)p->s->max_inflight;
        /* An aborted transaction is rewound before anything new is read. */
        if (p->eos && p->txn_abort_pending && dm_pl_txn_recover(p))
                return;
        if (p->paused && p->jobs_inflight <= max / 2)
                dm_pl_set_paused(p, 0);
        while (!p->draining && !p->fatal) {
                rd_kafka_message_t *m;
                if (!p->paused && p->jobs_inflight >= max)
                        dm_pl_set_paused(p, 1);
                m = rd_kafka_consumer_poll(p->consumer, 0);
                if (!m)
                        break;
                dm_pl_handle_message(p, m);
                rd_kafka_message_destroy(m);
        }
}

static void dm_pl_commit_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t *offsets, void *opaque)
{
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
                dm_metrics_kafka_error(DM_STAGE_COMMIT, err);
                DM_LOG_WARN("consumer", "offset commit failed: %s", rd_kafka_err2str(err));
        }
}

/* Commits the stored offsets and waits for the answer, at most timeout_ms:
 * a synchronous rd_kafka_commit() has no bound, and with the coordinator
 * down (a broker restart) it would stall the event loop for minutes. Not
 * committing only costs duplicates later, never loss. */
static void dm_pl_commit_bounded(dm_pipeline_t *p, const char *what, int timeout_ms)
{
        rd_kafka_queue_t *q = rd_kafka_queue_new(p->consumer);
        rd_kafka_event_t *ev;
        rd_kafka_resp_err_t err = rd_kafka_commit_queue(p->consumer, NULL, q, NULL, NULL);
        if (!err) {
                ev = rd_kafka_queue_poll(q, timeout_ms);
                if (!ev)
                        err = RD_KAFKA_RESP_ERR__TIMED_OUT;
                else {
                        err = rd_kafka_event_error(ev);
                        rd_kafka_event_destroy(ev);
                }
        }
        if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
                dm_metrics_kafka_error(DM_STAGE_COMMIT, err);
                DM_LOG_WARN("consumer", "%s: %s", what, rd_kafka_err2str(err));
        }
        rd_kafka_queue_destroy(q);
}

static void dm_pl_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t *parts, void *opaque)
{
        dm_pipeline_t *p = opaque;
        int coop = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
        int i;
        dm_metrics_add(DM_M_REBALANCES, 1);
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                rd_kafka_error_t *e = NULL;
                dm_pl_txn_assign(p, parts);
                if (coop)
                        e = rd_kafka_incremental_assign(rk, parts);
                else
                        rd_kafka_assign(rk, parts);
                if (e) {
                        DM_LOG_ERROR("consumer", "assign failed: %s", rd_kafka_error_string(e));
                        rd_kafka_error_destroy(e);
                }
                p->assigned = coop ? p->assigned + parts->cnt : parts->cnt;
                /* Partitions joining while input is paused start paused; the
                 * others are resumed explicitly, because librdkafka keeps a
                 * partition's pause flag across revocation: one revoked while
                 * paused would come back paused for good. */
                if (p->paused)
                        rd_kafka_pause_partitions(rk, parts);
                else
                        rd_kafka_resume_partitions(rk, parts);
                DM_LOG_INFO("consumer", "assigned %d partition(s), now %d", parts->cnt,
                            p->assigned);
        } else {
                /* Commit what is delivered before giving partitions away; a lost
                 * assignment can no longer commit. */
                if (p->eos) {
                        dm_pl_txn_revoke(p, parts);
                } else if (!rd_kafka_assignment_lost(rk)) {
                        dm_pl_commit_bounded(p, "commit on revoke", 2000);
                }
                for (i = 0; i < parts->cnt; i++)
                        dm_offsets_remove(p->offsets, parts->elems[i].topic,
                                          parts->elems[i].partition);
                if (coop) {
                        rd_kafka_error_t *e = rd_kafka_incremental_unassign(rk, parts);
                        if (e)
                                rd_kafka_error_destroy(e);
                        p->assigned -= parts->cnt;
                } else {
                        rd_kafka_assign(rk, NULL);
                        p->assigned = 0;
                }
                if (p->assigned < 0)
                        p->assigned = 0;
                DM_LOG_INFO("consumer", "revoked %d partition(s)%s, now %d", parts->cnt,
                            err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS ? "" : " (error)",
                            p->assigned);
        }
        dm_metrics_set(DM_G_ASSIGNED_PARTITIONS, p->assigned);
        dm_metrics_set(DM_G_READY, p->assigned > 0 && !p->draining);
        if (p->paused)
                dm_metrics_set(DM_G_PAUSED_PARTITIONS, p->assigned);
        /* Ready for systemd once the group has answered: dictionaries are
         * loaded, the clients are up and the assignment is known. */
        if (!p->notified_ready) {
                char status[128];
                p->notified_ready = 1;
                snprintf(status, sizeof(status), "READY=1\nSTATUS=consuming %s, %d partition(s)",
                         p->s->input_topic, p->assigned);
                dm_pl_notify(status);
        }
}

/* ---- Drain and stop ----------------------------------------------------- */

static void dm_pl_finish(dm_pipeline_t *p, int code)
{
        if (p->stopped)
                return;
        p->stopped = 1;
        p->exit_code = code;
        if (p->eos) {
                /* A failed transaction is never committed: it is aborted or
                 * fenced, and the restart redoes it. */
                if (!p->fatal)
                        dm_pl_txn_commit(p);
        } else {
                /* Stored offsets belong to fully delivered work only, so
                 * committing them is right even when the drain timed out. */
                dm_pl_commit_bounded(p, "final commit", 5000);
        }
        event_base_loopbreak(p->base);
}

static void dm_pl_check_drained(dm_pipeline_t *p)
{
        if (p->fatal) {
                DM_LOG_ERROR("pipeline",
                             "stopping after a fatal Kafka error with %zu article(s) "
                             "in flight (they will be reprocessed)",
                             p->jobs_inflight);
                dm_pl_finish(p, 1);
                return;
        }
        if (!p->draining)
                return;
        if (p->jobs_inflight == 0 && p->retry_count == 0) {
                DM_LOG_INFO("pipeline", "drained: everything delivered and committed");
                dm_pl_finish(p, 0);
        } else if (dm_pl_now_ms() > p->drain_deadline_ms) {
                DM_LOG_ERROR("pipeline",
                             "shutdown.timeout.ms reached with %zu article(s) in flight; they "
                             "will be reprocessed after restart",
                             p->jobs_inflight);
                dm_pl_finish(p, 1);
        }
}

static void dm_pl_begin_drain(dm_pipeline_t *p)
{
        char status[128];
        if (p->draining)
                return;
        p->draining = 1;
        p->drain_deadline_ms = dm_pl_now_ms() + p->s->shutdown_timeout_ms;
        dm_metrics_set(DM_G_READY, 0);
        snprintf(status, sizeof(status), "STOPPING=1\nSTATUS=draining %zu article(s)",
                 p->jobs_inflight);
        dm_pl_notify(status);
        DM_LOG_INFO("pipeline", "stop requested: draining %zu article(s) in flight",
                    p->jobs_inflight);
        dm_pl_check_drained(p);
}

static void dm_pl_on_stop(evutil_socket_t fd, short what, void *arg)
{
        dm_pl_begin_drain(arg);
}

static void dm_pl_on_signal(evutil_socket_t sig, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        if (sig == SIGHUP) {
                dm_pl_reload_begin(p);
                return;
        }
        DM_LOG_INFO("pipeline", "signal %d received", (int)sig);
        dm_pl_begin_drain(p);
}

static void dm_pl_on_tick(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        dm_pl_flush_retries(p);
        rd_kafka_poll(p->producer, 0);
        dm_pl_consume(p);
        dm_pl_check_drained(p);
}

/* ---- Lifecycle ------------------------------------------------------------ */

static int dm_pl_pipe(int fds[2], char *errstr, size_t errstr_size)
{
        if (pipe2(fds, O_NONBLOCK | O_CLOEXEC)) {
                snprintf(errstr, errstr_size, "pipe: %s", strerror(errno));
                return -1;
        }
        return 0;
}

/* From the clustering thread: it stopped on an error; so does the daemon. */
static void dm_pl_cluster_failed(void *opaque)
{
        dm_pipeline_t *p = opaque;
        atomic_store(&p->cluster_failed, 1);
        dm_pipeline_stop(p);
}

dm_pipeline_t *dm_pipeline_new(const dm_config_t *conf, const dm_pipeline_options_t *opts,
                               char *errstr, size_t errstr_size)
{
        dm_pipeline_t *p = dm_calloc(1, sizeof(*p));
        dm_dict_t *dict = NULL;
        const dm_dict_stats_t *st = &p->dict_stats;
        char why[512];
        long ncpu;

        p->conf = conf;
        p->s = dm_config_settings(conf);
        p->cpipe[0] = p->cpipe[1] = p->ppipe[0] = p->ppipe[1] = -1;
        p->topics[DM_OUT_ARTICLES] = p->s->output_articles_topic;
        p->topics[DM_OUT_EVENTS] = p->s->output_events_topic;
        p->topics[DM_OUT_DLQ] = p->s->output_dlq_topic;
        p->topics[DM_OUT_REPARTITION] = p->s->cluster_repartition_topic;
        p->offsets = dm_offsets_new();
        p->eos = !strcmp(p->s->delivery_mode, "exactly-once");
        p->config_path = opts ? dm_strdup_or_null(opts->config_path) : NULL;
        pthread_mutex_init(&p->reload_lock, NULL);

        p->dict_spec = dm_strdup(p->s->dictionaries_path[0] ? p->s->dictionaries_path
                                                            : dm_dict_default_spec());
        dict = dm_dict_load(p->dict_spec, 0, why, sizeof(why));
        if (!dict) {
                snprintf(errstr, errstr_size, "dictionaries: %s", why);
                goto fail;
        }
        dm_pl_dict_metrics(p, dict);
        if (!strcmp(p->s->coder_mode, "parse") && !dm_dict_parser(dict, why, sizeof(why))) {
                snprintf(errstr, errstr_size, "coder.mode parse: %s", why);
                goto fail;
        }
        DM_LOG_INFO("pipeline",
                    "dictionaries %s: %zu actor, %zu agent, %zu verb phrases, %zu "
                    "countries, %zu entries skipped",
                    p->dict_spec, st->actor_phrases, st->agent_phrases, st->verb_phrases,
                    st->countries, st->warnings);
        p->avro = dm_avro_new(why, sizeof(why));
        if (!p->avro) {
                snprintf(errstr, errstr_size, "avro schemas: %s", why);
                goto fail;
        }

        evthread_use_pthreads();
        p->base = event_base_new();
        if (!p->base) {
                snprintf(errstr, errstr_size, "cannot create event base");
                goto fail;
        }
        if (p->s->http_listen[0]) {
                p->http = dm_http_new(p->base, p->s->http_listen, dm_pl_live, dm_pl_ready,
                                      dm_pl_status_json, p, errstr, errstr_size);
                if (!p->http)
                        goto fail;
        }

        p->producer = dm_pl_client(p, RD_KAFKA_PRODUCER, opts, errstr, errstr_size);
        if (!p->producer)
                goto fail;
        p->consumer = dm_pl_client(p, RD_KAFKA_CONSUMER, opts, errstr, errstr_size);
        if (!p->consumer)
                goto fail;
        rd_kafka_poll_set_consumer(p->consumer);
        if (dm_pl_txn_init(p, errstr, errstr_size))
                goto fail;

        if (dm_pl_pipe(p->cpipe, errstr, errstr_size) || dm_pl_pipe(p->ppipe, errstr, errstr_size))
                goto fail;
        p->cq = rd_kafka_queue_get_consumer(p->consumer);
        p->pq = rd_kafka_queue_get_main(p->producer);
        rd_kafka_queue_io_event_enable(p->cq, p->cpipe[1], "1", 1);
        rd_kafka_queue_io_event_enable(p->pq, p->ppipe[1], "1", 1);
        p->cev = event_new(p->base, p->cpipe[0], EV_READ | EV_PERSIST, dm_pl_on_consumer, p);
        p->pev = event_new(p->base, p->ppipe[0], EV_READ | EV_PERSIST, dm_pl_on_producer, p);
        p->done_ev = event_new(p->base, -1, 0, dm_pl_on_done, p);
        p->stop_ev = event_new(p->base, -1, 0, dm_pl_on_stop, p);
        p->tick_ev = event_new(p->base, -1, EV_PERSIST, dm_pl_on_tick, p);
        event_add(p->cev, NULL);
        event_add(p->pev, NULL);
        if (opts && opts->handle_signals) {
                p->sigs[0] = evsignal_new(p->base, SIGTERM, dm_pl_on_signal, p);
                p->sigs[1] = evsignal_new(p->base, SIGINT, dm_pl_on_signal, p);
                p->sigs[2] = evsignal_new(p->base, SIGHUP, dm_pl_on_signal, p);
                event_add(p->sigs[0], NULL);
                event_add(p->sigs[1], NULL);
                event_add(p->sigs[2], NULL);
        }

        ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        p->nworkers = p->s->workers > 0 ? (int)p->s->workers : (int)(ncpu > 0 ? ncpu : 1);
        p->workers =
            dm_workers_new(p->nworkers, dict, p->avro, p->s,
                           p->s->registry_url[0] ? p->schema_ids : NULL, dm_pl_workers_done_cb, p);
        dict = NULL; /* owned by the pool */
        dm_metrics_set(DM_G_WORKERS, p->nworkers);

        if (p->s->cluster_enabled) {
                dm_cluster_stream_opts_t co = {
                    .conf = conf,
                    .avro = p->avro,
                    .bootstrap_override = opts ? opts->bootstrap_override : NULL,
                    .schema_id = p->s->registry_url[0] ? &p->schema_ids[DM_AVRO_CLUSTER] : NULL,
                    .schema_ready = p->s->registry_url[0] ? &p->cluster_schema_ready : NULL,
                    .fatal_cb = dm_pl_cluster_failed,
                    .opaque = p,
                };
                p->cluster = dm_cluster_stream_new(&co, errstr, errstr_size);
                if (!p->cluster)
                        goto fail;
        }

        if (p->s->registry_url[0]) {
                /* Subscribing waits until every schema has its registry id. */
                if (dm_pl_registry_new(p, errstr, errstr_size))
                        goto fail;
        } else if (dm_pl_subscribe(p, errstr, errstr_size)) {
                goto fail;
        }
        dm_pl_ops_start(p);
        return p;
fail:
        dm_dict_destroy(dict);
        dm_pipeline_destroy(p);
        return NULL;
}

int dm_pipeline_run(dm_pipeline_t *p)
{
        struct timeval tick = {0, DM_TICK_MS * 1000};
        char err[256];
        event_add(p->tick_ev, &tick);
        if (p->cluster && dm_cluster_stream_start(p->cluster, err, sizeof(err))) {
                DM_LOG_FATAL("cluster", "%s", err);
                return 1;
        }
        if (p->registry)
                dm_pl_registry_start(p);
        DM_LOG_INFO("pipeline", "running: %s -> %s, %s, %s with %d worker(s)", p->s->input_topic,
                    p->s->output_articles_topic, p->s->output_events_topic, p->s->output_dlq_topic,
                    p->nworkers);
        if (p->http)
                DM_LOG_INFO("http", "serving /metrics, /livez, /readyz, /status on port %d",
                            dm_http_port(p->http));
        event_base_dispatch(p->base);
        event_del(p->tick_ev);

        /* Closing the consumer revokes the assignment (committing stored
         * offsets in the rebalance callback) and leaves the group promptly. */
        rd_kafka_consumer_close(p->consumer);
        if (rd_kafka_flush(p->producer, 5000))
                DM_LOG_WARN("producer", "flush at exit timed out");
        /* After the main producer's flush, so that the clustering stage
         * could still see the last repartition records (what it does not
         * see now, its next run does). */
        dm_cluster_stream_stop(p->cluster);
        if (atomic_load(&p->cluster_failed))
                p->exit_code = 1;
        DM_LOG_INFO("pipeline", "stopped (exit code %d)", p->exit_code);
        return p->exit_code;
}

void dm_pipeline_stop(dm_pipeline_t *p)
{
        event_active(p->stop_ev, EV_READ, 0);
}

int dm_pipeline_http_port(const dm_pipeline_t *p)
{
        return p->http ? dm_http_port(p->http) : -1;
}

void dm_pipeline_destroy(dm_pipeline_t *p)
{
        int i;
        if (!p)
                return;
        /* Jobs waiting for their turn (exactly-once) are ours; those still
         * with the workers are theirs. */
        dm_pl_txn_destroy(p);
        /* Its thread reads p->avro and the schema ids. */
        dm_cluster_stream_destroy(p->cluster);
        /* Workers next: they signal the loop, which must still exist. */
        dm_workers_destroy(p->workers);
        if (p->cq) {
                rd_kafka_queue_io_event_enable(p->cq, -1, NULL, 0);
                rd_kafka_queue_destroy(p->cq);
        }
        if (p->pq) {
                rd_kafka_queue_io_event_enable(p->pq, -1, NULL, 0);
                rd_kafka_queue_destroy(p->pq);
        }
        if (p->consumer)
                rd_kafka_destroy(p->consumer);
        if (p->producer) {
                /* Outputs still queued reference job memory that is gone with
                 * the workers; purge before destroying. */
                rd_kafka_purge(p->producer, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
                rd_kafka_destroy(p->producer);
        }
        for (i = 0; i < 3; i++)
                if (p->sigs[i])
                        event_free(p->sigs[i]);
        if (p->cev)
                event_free(p->cev);
        if (p->pev)
                event_free(p->pev);
        if (p->done_ev)
                event_free(p->done_ev);
        if (p->stop_ev)
                event_free(p->stop_ev);
        if (p->tick_ev)
                event_free(p->tick_ev);
        dm_pl_registry_destroy(p);
        dm_pl_ops_stop(p);
        dm_http_destroy(p->http);
        if (p->base)
                event_base_free(p->base);
        for (i = 0; i < 2; i++) {
                if (p->cpipe[i] >= 0)
                        close(p->cpipe[i]);
                if (p->ppipe[i] >= 0)
                        close(p->ppipe[i]);
        }
        free(p->retry);
        dm_offsets_destroy(p->offsets);
        dm_avro_destroy(p->avro);
        free(p->dict_spec);
        free(p->config_path);
        pthread_mutex_destroy(&p->reload_lock);
        free(p);
}
