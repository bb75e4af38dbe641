/* The clustering stage's Kafka side (docs/CLUSTERS.md): a consumer of the
 * repartition topic in its own group and on its own thread, which counts
 * each DiplomaticEvent into its cluster's state (cluster/dm_cluster.h) in
 * the LMDB store of its partition (cluster/dm_cluster_store.h), writes every
 * changed state to the compacted changelog topic, publishes EventCluster
 * records (rate-limited per key) to the compacted output topic keyed by
 * cluster id, and commits its repartition offsets only after those records
 * are delivered (at-least-once). On assignment each partition's store is
 * rebuilt from the changelog before any record of it is processed.
 *
 * Threads: _new, _start, _stop and _destroy are called by the pipeline's
 * thread; everything else runs on the stage's own thread, which owns the
 * three Kafka clients (consumer, producer, restore consumer), the stores, an
 * Avro encoder and reader. Shared with other threads: the dm_avro_t
 * (read-only), the registry id (atomic) and the metrics (atomics). */
#ifndef DM_CLUSTER_STREAM_H
#define DM_CLUSTER_STREAM_H

#include "demarche/dm_avro.h"
#include "demarche/dm_config.h"

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dm_cluster_stream dm_cluster_stream_t;

typedef struct dm_cluster_stream_opts {
        const dm_config_t *conf;        /* borrowed; outlives the stage */
        dm_avro_t *avro;                /* borrowed; outlives the stage */
        const char *bootstrap_override; /* or NULL; copied */
        /* With a schema registry: the EventCluster schema id (written with
         * Confluent framing) and a flag the pipeline sets once the id is
         * known; the stage processes nothing before. NULL: single-object
         * encoding, no waiting. Borrowed. */
        const _Atomic int32_t *schema_id;
        const _Atomic int *schema_ready;
        /* Called once, from the stage's thread, when it stops on an error it
         * cannot recover from (a store that does not open, a fatal Kafka
         * error); the pipeline then stops with exit code 1. */
        void (*fatal_cb)(void *opaque);
        void *opaque;
} dm_cluster_stream_opts_t;

/* Creates the Kafka clients (nothing is consumed before _start). NULL with
 * errstr set on a bad configuration. */
dm_cluster_stream_t *dm_cluster_stream_new(const dm_cluster_stream_opts_t *o, char *errstr,
                                           size_t errstr_size);
/* Subscribes and starts the thread. 0, or -1 with errstr set. */
int dm_cluster_stream_start(dm_cluster_stream_t *cs, char *errstr, size_t errstr_size);
/* Stops the thread: the pending batch is delivered and committed, pending
 * rate-limited records are published, each store is checkpointed and
 * closed, the consumer leaves its group. Blocks until done. No-op when not
 * started. */
void dm_cluster_stream_stop(dm_cluster_stream_t *cs);
/* Stops if needed, then frees. NULL is a no-op. */
void dm_cluster_stream_destroy(dm_cluster_stream_t *cs);

#endif
