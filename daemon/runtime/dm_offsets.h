/* Offset tracking for at-least-once delivery.
 *
 * Messages of one partition are consumed in offset order but finish in any
 * order (workers run in parallel, deliveries complete out of order). An input
 * offset may be committed only when it and every offset before it on that
 * partition are fully delivered, so the tracker keeps, per partition, the
 * in-flight offsets in consume order with a done flag, and reports the
 * contiguous completed prefix. Gaps in the offset sequence (compaction,
 * transaction markers) are fine: only tracked offsets count.
 *
 * Not thread-safe: owned and called by the event-loop thread only. */
#ifndef DM_OFFSETS_H
#define DM_OFFSETS_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_offsets dm_offsets_t;

dm_offsets_t *dm_offsets_new(void);
void dm_offsets_destroy(dm_offsets_t *t);

/* Records a consumed offset. Offsets of a partition must be tracked in
 * increasing order; an offset not above the last tracked one for the
 * partition (a rewind after a rebalance or seek) resets that partition.
 * topic is copied. */
void dm_offsets_track(dm_offsets_t *t, const char *topic, int32_t partition, int64_t offset);

/* Marks an offset fully delivered. Returns 1 and sets *commit_offset (the next
 * offset to consume, i.e. last contiguous done + 1) when the committable
 * position advanced, 0 when it did not, -1 when the offset is not tracked
 * (its partition was revoked or reset meanwhile). */
int dm_offsets_done(dm_offsets_t *t, const char *topic, int32_t partition, int64_t offset,
                    int64_t *commit_offset);

/* Forgets a partition (revoked or lost). In-flight offsets of it become
 * untracked. */
void dm_offsets_remove(dm_offsets_t *t, const char *topic, int32_t partition);

/* Offsets tracked and not yet released, over all partitions / one partition. */
size_t dm_offsets_inflight(const dm_offsets_t *t);
size_t dm_offsets_partition_inflight(const dm_offsets_t *t, const char *topic, int32_t partition);

#endif
