/* Internal to the clustering stage (dm_cluster_stream.c: Kafka clients,
 * rebalances, the thread; dm_cluster_batch.c: counting, publishing,
 * restoring): the stage's state. Everything here is touched by the stage's
 * own thread only, except where a field says otherwise. */
#ifndef DM_CLUSTER_STREAM_INT_H
#define DM_CLUSTER_STREAM_INT_H

#include "cluster/dm_cluster.h"
#include "cluster/dm_cluster_store.h"
#include "output/dm_avro_brief.h"
#include "runtime/dm_cluster_stream.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

/* The changelog record written after each commit of repartition offsets:
 * every state before it on its partition had its EventCluster delivered,
 * so a restore re-publishes only the keys written after the last marker. */
#define DM_CS_MARKER     "\001commit"
#define DM_CS_MARKER_LEN 7
/* LMDB write transactions during a restore hold this many records. */
#define DM_CS_RESTORE_BATCH 10000
/* A batch is closed after this many records even within the interval. */
#define DM_CS_BATCH_MAX 20000

/* One owned partition of the repartition topic. */
typedef struct dm_cluster_part {
        int32_t partition;
        dm_cluster_store_t *store;
        int32_t stream_day;  /* newest event day seen (-1: none yet) */
        int64_t next_offset; /* to commit once the batch is delivered; -1: none */
        int expire;          /* the stream day moved: look for expired keys */
        int produced;        /* changelog records in this batch: write a marker */
} dm_cluster_part_t;

/* A key to publish: changed in this batch, or rate-limited earlier. */
typedef struct dm_cluster_item {
        int32_t partition;
        char *key;
        int64_t due_ms; /* pending: not before this time */
        int force;      /* publish whatever emitted_seq says (after a restore) */
        int changed;    /* its state changed in this batch: changelog it */
        int tombstone;  /* expired: delete on the changelog */
        int emitted;    /* an EventCluster was produced for it in this batch */
} dm_cluster_item_t;

struct dm_cluster_stream {
        const dm_config_t *conf;
        const dm_settings_t *s;
        dm_avro_t *avro;
        char *bootstrap;
        const _Atomic int32_t *schema_id;
        const _Atomic int *schema_ready;
        void (*fatal_cb)(void *opaque);
        void *opaque;

        rd_kafka_t *consumer, *producer, *restorer;
        dm_avro_encoder_t *enc;
        dm_avro_brief_reader_t *reader;
        dm_cluster_key_opts_t key_opts;
        dm_cluster_limits_t lim;

        dm_cluster_part_t *parts;
        size_t nparts, parts_cap;
        dm_cluster_item_t *batch; /* this batch's items, then the retry list */
        size_t nbatch, batch_cap;
        dm_cluster_item_t *pending; /* rate-limited keys */
        size_t npending, pending_cap;
        size_t batch_records;
        int64_t last_flush_ms;

        _Atomic int stop;              /* set by any thread */
        _Atomic int delivery_failures; /* set by librdkafka's delivery reports */
        int started;
        /* delivery.mode = exactly-once: changelog, output and repartition
         * offsets of a batch in one Kafka transaction. */
        int eos;
        _Atomic int fatal; /* also set from librdkafka's error callback */
        pthread_t thread;

        dm_event_brief_t brief;
        dm_cluster_state_t st;
        dm_buf_t buf, val, key;
};

#endif
