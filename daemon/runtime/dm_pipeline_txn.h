/* Exactly-once delivery with Kafka transactions (dm_pipeline_txn.c).
 * Event-loop thread only. */
#ifndef DM_PIPELINE_TXN_H
#define DM_PIPELINE_TXN_H

#include "runtime/dm_pipeline_int.h"

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
/* Performs a requested abort (dm_pl_txn_request_abort). Returns 0 when none
 * is pending any more, -1 while it is (abort to retry, or fatal). */
int dm_pl_txn_recover(dm_pipeline_t *p);
void dm_pl_txn_destroy(dm_pipeline_t *p);

#endif
