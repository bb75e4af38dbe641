/* Internal to the pipeline modules (dm_pipeline*.c): the
 * pipeline's state. Everything here is owned and touched by the event-loop
 * thread only, except where a field says otherwise. */
#ifndef DM_PIPELINE_INT_H
#define DM_PIPELINE_INT_H

#include "demarche/dm_avro.h"
#include "demarche/dm_config.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_http.h"
#include "demarche/dm_job.h"
#include "demarche/dm_offsets.h"
#include "demarche/dm_pipeline.h"

#include <event2/event.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdint.h>

typedef struct dm_pl_lag {
        char *topic;
        int32_t partition;
        int64_t lag;
} dm_pl_lag_t;

struct dm_pipeline {
        const dm_config_t *conf;
        const dm_settings_t *s;
        char *dict_spec;
        char *config_path; /* for live settings on SIGHUP, or NULL */
        dm_avro_t *avro;
        dm_workers_t *workers;
        int nworkers;
        rd_kafka_t *consumer, *producer;
        rd_kafka_queue_t *cq, *pq;
        int cpipe[2], ppipe[2];
        struct event_base *base;
        struct event *cev, *pev, *done_ev, *stop_ev, *tick_ev, *status_ev, *watchdog_ev, *reload_ev;
        struct event *sigs[3];
        dm_http_t *http;
        dm_offsets_t *offsets;
        const char *topics[DM_OUT_DEST_COUNT];
        dm_output_t **retry;
        size_t retry_count, retry_cap;
        size_t jobs_inflight;
        int assigned;
        int paused; /* input partitions paused for backpressure */
        int draining;
        int64_t drain_deadline_ms;
        int fatal;
        int exit_code;
        int stopped;
        int notified_ready;
        int64_t started_ms;
        /* Consumer lag from librdkafka statistics. */
        dm_pl_lag_t *lags;
        size_t lag_count, lag_cap;
        /* For the articles/s figure in STATUS=. */
        int64_t status_last_ms, status_last_done;
        int64_t status_last_input; /* for the stalled-input check */
        int stalled_ticks;
        /* Reload: loaded by a helper thread, swapped in on the loop. */
        pthread_mutex_t reload_lock;
        int reloading;
        pthread_t reload_thread;
        int reload_joinable;
        dm_dict_t *reload_result; /* guarded by reload_lock */
        char reload_error[512];   /* guarded by reload_lock */
        char last_reload[600];
        int64_t last_reload_ms;
        dm_dict_stats_t dict_stats;
        /* exactly-once */
        int eos;
        int txn_open;
        struct event *txn_ev;
        struct dm_pl_fifo *fifos;
        size_t fifo_count, fifo_cap;
        rd_kafka_topic_partition_list_t *txn_offsets;
        int64_t txn_commits;
        /* Per partition consumed since its assignment: where to rewind to
         * after an abort, i.e. the offset after the last one committed in a
         * transaction, else the first offset consumed. Kept here because
         * the broker's committed offsets may lag (and librdkafka's mock
         * cluster does not store transactional commits at all). */
        rd_kafka_topic_partition_list_t *txn_pos;
        int txn_abort_pending; /* abort, discard and rewind at the next turn */
        int txn_abort_attempts;
        int64_t txn_epoch; /* bumped per abort: older deliveries are void */
        /* Records delivered in the open transaction, counted in the metrics
         * only once it commits. */
        int64_t txn_out[DM_OUT_DEST_COUNT];
        int64_t txn_dlq[DM_REJECT_REASON_COUNT];
        /* Schema Registry: consumption starts once all schemas have ids. */
        struct dm_registry *registry;
        int32_t schema_ids[DM_AVRO_KIND_COUNT]; /* written before subscribing */
        int schema_registered[DM_AVRO_KIND_COUNT];
        int registry_attempts[DM_AVRO_KIND_COUNT];
        struct event *registry_retry[DM_AVRO_KIND_COUNT];
        char registry_error[300];
        int subscribed;
};

/* dm_pipeline.c */
void dm_pl_produce_job(dm_pipeline_t *p, dm_job_t *job);
/* Produces again the outputs that could not be queued or delivered. */
void dm_pl_flush_retries(dm_pipeline_t *p);
void dm_pl_job_dispose(dm_pipeline_t *p, dm_job_t *job);

/* dm_pipeline_txn.c: exactly-once delivery with Kafka transactions. */
int dm_pl_txn_conf(dm_pipeline_t *p, rd_kafka_conf_t *kc, int consumer, char *errstr,
                   size_t errstr_size);
int dm_pl_txn_init(dm_pipeline_t *p, char *errstr, size_t errstr_size);
void dm_pl_txn_track(dm_pipeline_t *p, dm_job_t *job);
void dm_pl_txn_worker_done(dm_pipeline_t *p, dm_job_t *job);
void dm_pl_txn_offset(dm_pipeline_t *p, const char *topic, int32_t partition, int64_t offset);
int dm_pl_txn_commit(dm_pipeline_t *p);
void dm_pl_txn_assign(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts);
void dm_pl_txn_revoke(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts);
/* A delivery report in exactly-once mode. Returns 0 when the record counts
 * (delivered in the live transaction), 1 when it was consumed here: failed
 * (which dooms the transaction) or belonging to an aborted one. */
int dm_pl_txn_delivery(dm_pipeline_t *p, dm_output_t *o, rd_kafka_resp_err_t err);
/* The transaction cannot commit: it is aborted at the next turn of the loop
 * (dm_pl_txn_recover), its work discarded and its input consumed again. */
void dm_pl_txn_request_abort(dm_pipeline_t *p, const char *what, const char *why);
/* Performs a requested abort. Returns 0 when none is pending any more, -1
 * while it is (abort to retry, or fatal). */
int dm_pl_txn_recover(dm_pipeline_t *p);
void dm_pl_txn_destroy(dm_pipeline_t *p);

/* dm_pipeline.c */
/* Pauses (1) or resumes (0) every currently assigned input partition. */
void dm_pl_pause_assignment(dm_pipeline_t *p, int pause);
int dm_pl_subscribe(dm_pipeline_t *p, char *errstr, size_t errstr_size);
/* dm_pipeline_ops.c: schema registration before consuming. */
int dm_pl_registry_new(dm_pipeline_t *p, char *errstr, size_t errstr_size);
void dm_pl_registry_start(dm_pipeline_t *p);
void dm_pl_registry_destroy(dm_pipeline_t *p);

int64_t dm_pl_now_ms(void);
void dm_pl_notify(const char *state);

/* dm_pipeline_ops.c: statistics, systemd status and watchdog, health and
 * status endpoints, dictionary reload. */
void dm_pl_ops_start(dm_pipeline_t *p);
void dm_pl_ops_stop(dm_pipeline_t *p);
void dm_pl_stats_cb_install(rd_kafka_conf_t *kc);
int dm_pl_live(void *opaque, int verbose, dm_buf_t *out);
int dm_pl_ready(void *opaque, int verbose, dm_buf_t *out);
void dm_pl_status_json(void *opaque, dm_buf_t *out);
void dm_pl_reload_begin(dm_pipeline_t *p);
void dm_pl_dict_metrics(dm_pipeline_t *p, const dm_dict_t *d);

#endif
