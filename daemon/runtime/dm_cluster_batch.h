/* The clustering stage's counting and publishing (see dm_cluster_stream.h
 * for the design): a repartition record into its cluster's state, a batch
 * of changed states out to the changelog and the output topic with the
 * offsets committed after delivery, and a partition's store rebuilt from
 * the changelog. Stage thread only; the state is struct dm_cluster_stream
 * (dm_cluster_stream_int.h). */
#ifndef DM_CLUSTER_BATCH_H
#define DM_CLUSTER_BATCH_H

#include "runtime/dm_cluster_stream_int.h"

#include <stddef.h>
#include <stdint.h>

/* Wall-clock milliseconds. */
int64_t dm_cluster_batch_now_ms(void);
/* Logs msg, tells the pipeline (fatal_cb, once) and stops the stage. */
void dm_cluster_batch_fatal(dm_cluster_stream_t *cs, const char *msg);
/* The owned partition, or NULL. */
dm_cluster_part_t *dm_cluster_batch_part(dm_cluster_stream_t *cs, int32_t partition);
/* Sets the demarche_cluster_* gauges from the owned stores. */
void dm_cluster_batch_gauges(dm_cluster_stream_t *cs);
/* Appends an item (key copied) to an item array / frees the items' keys. */
void dm_cluster_batch_item_add(dm_cluster_item_t **arr, size_t *n, size_t *cap, int32_t partition,
                               const char *key, size_t key_len, int64_t due_ms, int force);
void dm_cluster_batch_items_free(dm_cluster_item_t *arr, size_t n);

/* Rebuilds p's store from the changelog (from its checkpoint after a clean
 * close, else from scratch) and queues the keys to publish again. 0; -2
 * when the stage is stopping (not an error); -1 with errstr set. */
int dm_cluster_batch_restore(dm_cluster_stream_t *cs, dm_cluster_part_t *p, char *errstr,
                             size_t errstr_size);
/* Counts one repartition record (the message is only read). */
void dm_cluster_batch_process(dm_cluster_stream_t *cs, rd_kafka_message_t *m);
/* Publishes the batch's changed keys and the due pending ones (every
 * pending one with force_all), deletes expired clusters, waits for delivery
 * (producing again on failure), then commits the repartition offsets. */
void dm_cluster_batch_flush(dm_cluster_stream_t *cs, int force_all);

#endif
