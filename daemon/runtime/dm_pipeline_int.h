/* Internal to the pipeline modules (dm_pipeline*.c, dm_pl_io.c): the
 * pipeline's state; each module's functions are declared in its own header
 * (dm_pl_io.h, dm_pipeline_txn.h, dm_pipeline_ops.h). Everything here is owned and touched by the
 * event-loop thread only, except where a field says otherwise. */
#ifndef DM_PIPELINE_INT_H
#define DM_PIPELINE_INT_H

#include "demarche/dm_avro.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_config.h"
#include "demarche/dm_dict.h"
#include "runtime/dm_cluster_stream.h"
#include "runtime/dm_http.h"
#include "runtime/dm_job.h"
#include "runtime/dm_offsets.h"
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
        /* cluster.enabled: the clustering stage (its own thread), whether
         * it failed (set by that thread), whether its schema has its
         * registry id (set by the loop, read by that thread). */
        dm_cluster_stream_t *cluster;
        _Atomic int cluster_failed;
        _Atomic int cluster_schema_ready;
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
        /* Set before subscribing; a periodic check (schema.registry.check.
         * interval.ms) may store new ones while the workers read them. */
        _Atomic int32_t schema_ids[DM_AVRO_KIND_COUNT];
        struct event *registry_check_ev;
        int schema_registered[DM_AVRO_KIND_COUNT];
        int registry_attempts[DM_AVRO_KIND_COUNT];
        struct event *registry_retry[DM_AVRO_KIND_COUNT];
        char registry_error[300];
        int subscribed;
};

#endif
