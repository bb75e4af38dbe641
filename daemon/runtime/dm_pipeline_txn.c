#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_pipeline_int.h"
#include "runtime/dm_pipeline_txn.h"
#include "runtime/dm_pl_io.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Exactly-once delivery (delivery.mode = exactly-once).
 *
 * Outputs are produced inside a Kafka transaction, and the input offsets are
 * sent to the same transaction, so a read_committed consumer sees an
 * article's outputs if and only if its input offset was committed.
 *
 * Two rules make that hold:
 * 1. Outputs are produced in input-offset order per partition (workers
 *    finish in any order; finished jobs wait in a per-partition FIFO). So
 *    every produced job belongs to the contiguous prefix of its partition.
 * 2. Before the offsets are sent, the producer is flushed and delivery
 *    reports are served, so every produced job is complete and its offset is
 *    in the set sent with the transaction that carries its outputs.
 *
 * Failures, by librdkafka's classification of the error:
 * - retriable: the call is made again (a few times, then as abortable);
 * - abortable (a failed delivery, a refused offset commit or end of
 *   transaction): the transaction is aborted in-process. Its outputs vanish
 *   for read_committed consumers, so its work is discarded: jobs produced in
 *   it are dropped as their delivery reports come back (the epoch tells them
 *   apart), jobs not produced yet are dropped or orphaned, and every assigned
 *   partition is rewound to just after the offsets of the last committed
 *   transaction, whose input is then consumed and annotated again;
 * - fatal (fenced by another instance with the same transactional.id, or any
 *   other fatal error): the daemon exits 1 without committing, and the
 *   restart resumes from the last committed transaction. */

typedef struct dm_pl_fifo {
        char *topic;
        int32_t partition;
        dm_job_t *head, *tail;
} dm_pl_fifo_t;

#define DM_TXN_TIMEOUT_MS    30000
#define DM_TXN_RETRIES       5 /* per call, for retriable errors */
#define DM_TXN_ABORT_TRIES   5 /* abort attempts before giving up (exit 1) */
#define DM_SEEK_TIMEOUT_MS   10000
#define DM_TXN_ABORT_STEP_MS 500

int dm_pl_txn_conf(dm_pipeline_t *p, rd_kafka_conf_t *kc, int consumer, char *errstr,
                   size_t errstr_size)
{
        char err[256], id[512], host[256];
        if (!p->eos)
                return 0;
        if (consumer) {
                /* Offsets go with the transactions, never by themselves. */
                if (rd_kafka_conf_set(kc, "enable.auto.commit", "false", err, sizeof(err)) ||
                    rd_kafka_conf_set(kc, "isolation.level", "read_committed", err, sizeof(err)))
                        goto fail;
                return 0;
        }
        if (p->s->transactional_id[0]) {
                snprintf(id, sizeof(id), "%s", p->s->transactional_id);
        } else {
                if (gethostname(host, sizeof(host)))
                        snprintf(host, sizeof(host), "localhost");
                host[sizeof(host) - 1] = '\0';
                snprintf(id, sizeof(id), "demarche-%s-%s", host, p->s->input_topic);
        }
        if (rd_kafka_conf_set(kc, "transactional.id", id, err, sizeof(err)))
                goto fail;
        DM_LOG_INFO("txn", "exactly-once delivery with transactional.id %s", id);
        return 0;
fail:
        snprintf(errstr, errstr_size, "exactly-once configuration: %s", err);
        return -1;
}

static void dm_pl_txn_on_tick(evutil_socket_t fd, short what, void *arg)
{
        dm_pipeline_t *p = arg;
        if ((p->txn_open || p->txn_abort_pending) && !p->fatal)
                dm_pl_txn_commit(p);
}

int dm_pl_txn_init(dm_pipeline_t *p, char *errstr, size_t errstr_size)
{
        rd_kafka_error_t *e;
        struct timeval tv;
        if (!p->eos)
                return 0;
        /* Fences a previous instance with the same transactional.id and
         * aborts its open transaction. */
        e = rd_kafka_init_transactions(p->producer, DM_TXN_TIMEOUT_MS);
        if (e) {
                snprintf(errstr, errstr_size, "init_transactions: %s", rd_kafka_error_string(e));
                rd_kafka_error_destroy(e);
                return -1;
        }
        p->txn_offsets = rd_kafka_topic_partition_list_new(8);
        p->txn_pos = rd_kafka_topic_partition_list_new(8);
        tv.tv_sec = p->s->transaction_interval_ms / 1000;
        tv.tv_usec = (p->s->transaction_interval_ms % 1000) * 1000;
        p->txn_ev = event_new(p->base, -1, EV_PERSIST, dm_pl_txn_on_tick, p);
        event_add(p->txn_ev, &tv);
        return 0;
}

static dm_pl_fifo_t *dm_pl_fifo(dm_pipeline_t *p, const char *topic, int32_t partition, int create)
{
        size_t i;
        dm_pl_fifo_t *f;
        for (i = 0; i < p->fifo_count; i++)
                if (p->fifos[i].partition == partition && !strcmp(p->fifos[i].topic, topic))
                        return &p->fifos[i];
        if (!create)
                return NULL;
        dm_grow((void **)&p->fifos, &p->fifo_cap, p->fifo_count + 1, sizeof(*f));
        f = &p->fifos[p->fifo_count++];
        memset(f, 0, sizeof(*f));
        f->topic = dm_strdup(topic);
        f->partition = partition;
        return f;
}

/* Sets the rewind position of a partition (adding it when absent). */
static void dm_pl_txn_pos_set(dm_pipeline_t *p, const char *topic, int32_t partition,
                              int64_t offset)
{
        rd_kafka_topic_partition_t *tp =
            rd_kafka_topic_partition_list_find(p->txn_pos, topic, partition);
        if (!tp)
                tp = rd_kafka_topic_partition_list_add(p->txn_pos, topic, partition);
        tp->offset = offset;
}

void dm_pl_txn_track(dm_pipeline_t *p, dm_job_t *job)
{
        dm_pl_fifo_t *f = dm_pl_fifo(p, job->topic, job->partition, 1);
        /* The first offset consumed since the assignment is where the
         * partition started (its committed offset, or the reset point): the
         * rewind position until a transaction commits for it. */
        if (!rd_kafka_topic_partition_list_find(p->txn_pos, job->topic, job->partition))
                dm_pl_txn_pos_set(p, job->topic, job->partition, job->offset);
        job->order_next = NULL;
        if (f->tail)
                f->tail->order_next = job;
        else
                f->head = job;
        f->tail = job;
}

static int dm_pl_txn_begin(dm_pipeline_t *p)
{
        rd_kafka_error_t *e;
        if (p->txn_open)
                return 0;
        e = rd_kafka_begin_transaction(p->producer);
        if (e) {
                DM_LOG_FATAL("txn", "begin_transaction: %s", rd_kafka_error_string(e));
                rd_kafka_error_destroy(e);
                p->fatal = 1;
                return -1;
        }
        p->txn_open = 1;
        return 0;
}

void dm_pl_txn_worker_done(dm_pipeline_t *p, dm_job_t *job)
{
        dm_pl_fifo_t *f;
        if (job->orphaned) {
                dm_pl_job_dispose(p, job);
                return;
        }
        job->processed = 1;
        f = dm_pl_fifo(p, job->topic, job->partition, 0);
        /* Nothing goes into a doomed transaction: the abort drops what
         * waits here. */
        if (!f || p->txn_abort_pending)
                return;
        /* Release the finished prefix, in offset order. */
        while (f->head && f->head->processed) {
                dm_job_t *j = f->head;
                f->head = j->order_next;
                if (!f->head)
                        f->tail = NULL;
                j->order_next = NULL;
                if (dm_pl_txn_begin(p))
                        return;
                j->txn_epoch = p->txn_epoch;
                dm_pl_produce_job(p, j);
        }
}

void dm_pl_txn_offset(dm_pipeline_t *p, const char *topic, int32_t partition, int64_t offset)
{
        rd_kafka_topic_partition_t *tp =
            rd_kafka_topic_partition_list_find(p->txn_offsets, topic, partition);
        if (!tp)
                tp = rd_kafka_topic_partition_list_add(p->txn_offsets, topic, partition);
        tp->offset = offset;
}

int dm_pl_txn_delivery(dm_pipeline_t *p, dm_output_t *o, rd_kafka_resp_err_t err)
{
        dm_job_t *job = o->job;
        int live = job->txn_epoch == p->txn_epoch && !p->txn_abort_pending;
        /* Purged records are the consequence of a failure librdkafka already
         * logged (or of our abort), not delivery errors of their own; a
         * record the broker refused counts even when another report doomed
         * the transaction first. */
        int purged =
            err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
        if (err && !purged)
                dm_metrics_kafka_error(DM_STAGE_PRODUCE, err);
        if (err && live) {
                if (purged) {
                        dm_pl_txn_request_abort(p, "transaction failed", "its records were purged");
                } else {
                        char kv[160];
                        snprintf(kv, sizeof(kv), "topic=%s", p->topics[o->dest]);
                        DM_LOGKV(DM_LOG_LEVEL_ERROR, "producer", kv, "delivery failed: %s",
                                 rd_kafka_err2str(err));
                        dm_pl_txn_request_abort(p, "delivery failed", rd_kafka_err2str(err));
                }
                live = 0;
        }
        if (!live) {
                /* Aborted (or about to be): its input is consumed again. The
                 * job goes with its last outstanding output. */
                if (--job->pending == 0)
                        dm_pl_job_dispose(p, job);
                return 1;
        }
        p->txn_out[o->dest]++;
        if (o->dest == DM_OUT_DLQ && (unsigned)job->reason < DM_REJECT_REASON_COUNT)
                p->txn_dlq[job->reason]++;
        return 0;
}

/* Drops the jobs not produced yet of one partition (all when topic is
 * NULL): disposed when the worker is done with them, else orphaned (the
 * worker hands it back and it is disposed then). */
static void dm_pl_txn_drop_waiting(dm_pipeline_t *p, const char *topic, int32_t partition)
{
        size_t i;
        for (i = 0; i < p->fifo_count; i++) {
                dm_pl_fifo_t *f = &p->fifos[i];
                dm_job_t *j, *next;
                if (topic && (f->partition != partition || strcmp(f->topic, topic)))
                        continue;
                for (j = f->head; j; j = next) {
                        next = j->order_next;
                        j->order_next = NULL;
                        if (j->processed)
                                dm_pl_job_dispose(p, j);
                        else
                                j->orphaned = 1;
                }
                f->head = f->tail = NULL;
        }
}

/* Classifies a transactional API error. Returns 1 to call again
 * (retriable), 0 when an abort was requested, -1 when fatal. Takes e. */
static int dm_pl_txn_error(dm_pipeline_t *p, const char *what, rd_kafka_error_t *e, int tries)
{
        int rc = 0;
        if (rd_kafka_error_is_fatal(e)) {
                dm_metrics_kafka_error(DM_STAGE_COMMIT, rd_kafka_error_code(e));
                DM_LOG_FATAL("txn",
                             "%s: fatal error %s: %s; exiting without committing (a "
                             "restart resumes from the last committed transaction)",
                             what, rd_kafka_error_name(e), rd_kafka_error_string(e));
                p->fatal = 1;
                rc = -1;
        } else if (!rd_kafka_error_txn_requires_abort(e) && rd_kafka_error_is_retriable(e) &&
                   tries < DM_TXN_RETRIES) {
                dm_metrics_kafka_error(DM_STAGE_COMMIT, rd_kafka_error_code(e));
                DM_LOG_WARN("txn", "%s: %s; retrying (%d of %d)", what, rd_kafka_error_string(e),
                            tries + 1, DM_TXN_RETRIES);
                /* A short pause: the coordinator is usually moving. */
                usleep(100000);
                rc = 1;
        } else {
                /* Abortable, or retried in vain: abort (which fails fatally
                 * if the transaction cannot be aborted either). */
                dm_pl_txn_request_abort(p, what, rd_kafka_error_string(e));
        }
        rd_kafka_error_destroy(e);
        return rc;
}

/* Seeks every assigned partition we consumed from back to its rewind
 * position, and forgets its offsets in flight. */
static int dm_pl_txn_rewind(dm_pipeline_t *p)
{
        rd_kafka_topic_partition_list_t *a = NULL, *seek = NULL;
        rd_kafka_error_t *e = NULL;
        rd_kafka_resp_err_t err;
        int i, rc = -1;
        err = rd_kafka_assignment(p->consumer, &a);
        if (err) {
                DM_LOG_FATAL("txn", "cannot read the assignment to rewind it: %s",
                             rd_kafka_err2str(err));
                goto done;
        }
        seek = rd_kafka_topic_partition_list_new(a->cnt > 0 ? a->cnt : 1);
        for (i = 0; i < a->cnt; i++) {
                const rd_kafka_topic_partition_t *pos = rd_kafka_topic_partition_list_find(
                    p->txn_pos, a->elems[i].topic, a->elems[i].partition);
                dm_offsets_remove(p->offsets, a->elems[i].topic, a->elems[i].partition);
                /* Nothing consumed from it since it was assigned: its position
                 * is where it started, nothing to undo. */
                if (pos)
                        rd_kafka_topic_partition_list_add(seek, pos->topic, pos->partition)
                            ->offset = pos->offset;
        }
        if (seek->cnt) {
                e = rd_kafka_seek_partitions(p->consumer, seek, DM_SEEK_TIMEOUT_MS);
                if (e) {
                        DM_LOG_FATAL("txn", "rewind after abort: %s", rd_kafka_error_string(e));
                        goto done;
                }
                for (i = 0; i < seek->cnt; i++) {
                        if (!seek->elems[i].err)
                                continue;
                        DM_LOG_FATAL("txn", "rewind of %s[%d] to %lld after abort: %s",
                                     seek->elems[i].topic, (int)seek->elems[i].partition,
                                     (long long)seek->elems[i].offset,
                                     rd_kafka_err2str(seek->elems[i].err));
                        goto done;
                }
        }
        DM_LOG_INFO("txn", "rewound %d partition(s) to the last committed positions", seek->cnt);
        rc = 0;
done:
        if (e)
                rd_kafka_error_destroy(e);
        if (seek)
                rd_kafka_topic_partition_list_destroy(seek);
        if (a)
                rd_kafka_topic_partition_list_destroy(a);
        return rc;
}

/* rd_kafka_abort_transaction purges the transaction's records and then
 * waits until their delivery reports are served, which only this thread
 * does: so it is called in short steps, serving the reports (void by the
 * epoch) in between, until it completes or DM_TXN_TIMEOUT_MS passes. */
static rd_kafka_error_t *dm_pl_txn_abort(dm_pipeline_t *p)
{
        int64_t deadline = dm_pl_now_ms() + DM_TXN_TIMEOUT_MS;
        rd_kafka_error_t *e;
        for (;;) {
                e = rd_kafka_abort_transaction(p->producer, DM_TXN_ABORT_STEP_MS);
                if (!e || rd_kafka_error_is_fatal(e) || !rd_kafka_error_is_retriable(e) ||
                    dm_pl_now_ms() >= deadline)
                        return e;
                rd_kafka_error_destroy(e);
                rd_kafka_poll(p->producer, 100);
        }
}

int dm_pl_txn_recover(dm_pipeline_t *p)
{
        rd_kafka_error_t *e;
        size_t i, n;
        dm_output_t **retry;
        if (!p->txn_abort_pending)
                return 0;
        if (p->fatal)
                return -1;
        if (p->txn_open) {
                e = dm_pl_txn_abort(p);
                if (e) {
                        int again = !rd_kafka_error_is_fatal(e) && rd_kafka_error_is_retriable(e) &&
                                    ++p->txn_abort_attempts < DM_TXN_ABORT_TRIES;
                        if (again)
                                DM_LOG_WARN("txn", "abort_transaction: %s; trying again",
                                            rd_kafka_error_string(e));
                        else
                                DM_LOG_FATAL("txn",
                                             "abort_transaction: %s%s; exiting without "
                                             "committing (a restart resumes from the last "
                                             "committed transaction)",
                                             rd_kafka_error_string(e),
                                             rd_kafka_error_is_fatal(e) ? " (fatal)" : "");
                        if (!again) {
                                dm_metrics_kafka_error(DM_STAGE_COMMIT, rd_kafka_error_code(e));
                                p->fatal = 1;
                        }
                        rd_kafka_error_destroy(e);
                        return -1;
                }
                p->txn_open = 0;
                dm_metrics_add_l(DM_M_TRANSACTIONS, DM_TXN_ABORTED, 1);
        }
        /* Reports still queued belong to the aborted transaction. */
        rd_kafka_poll(p->producer, 0);
        retry = p->retry;
        n = p->retry_count;
        p->retry = NULL;
        p->retry_count = p->retry_cap = 0;
        for (i = 0; i < n; i++)
                if (--retry[i]->job->pending == 0)
                        dm_pl_job_dispose(p, retry[i]->job);
        free(retry);
        dm_pl_txn_drop_waiting(p, NULL, 0);
        rd_kafka_topic_partition_list_destroy(p->txn_offsets);
        p->txn_offsets = rd_kafka_topic_partition_list_new(8);
        memset(p->txn_out, 0, sizeof(p->txn_out));
        memset(p->txn_dlq, 0, sizeof(p->txn_dlq));
        if (dm_pl_txn_rewind(p)) {
                /* Consuming on from here would skip the aborted input. */
                p->fatal = 1;
                return -1;
        }
        p->txn_abort_pending = 0;
        p->txn_abort_attempts = 0;
        dm_metrics_set(DM_G_INFLIGHT, (int64_t)p->jobs_inflight);
        return 0;
}

/* The transaction committed: its records count, and its offsets are the
 * partitions' new rewind positions. */
static void dm_pl_txn_committed(dm_pipeline_t *p)
{
        static const int per_dest[DM_OUT_DEST_COUNT] = {DM_OUTPUT_LABEL_ARTICLES,
                                                        DM_OUTPUT_LABEL_EVENTS, DM_OUTPUT_LABEL_DLQ,
                                                        DM_OUTPUT_LABEL_REPARTITION};
        int i;
        for (i = 0; i < p->txn_offsets->cnt; i++)
                dm_pl_txn_pos_set(p, p->txn_offsets->elems[i].topic,
                                  p->txn_offsets->elems[i].partition,
                                  p->txn_offsets->elems[i].offset);
        for (i = 0; i < DM_OUT_DEST_COUNT; i++)
                dm_metrics_add_l(DM_M_OUTPUT_MESSAGES, per_dest[i], p->txn_out[i]);
        for (i = 0; i < DM_REJECT_REASON_COUNT; i++)
                dm_metrics_dlq_add((dm_reject_reason_t)i, p->txn_dlq[i]);
        memset(p->txn_out, 0, sizeof(p->txn_out));
        memset(p->txn_dlq, 0, sizeof(p->txn_dlq));
        dm_metrics_add(DM_M_OFFSETS_STORED, p->txn_offsets->cnt);
        dm_metrics_add_l(DM_M_TRANSACTIONS, DM_TXN_COMMITTED, 1);
        rd_kafka_topic_partition_list_destroy(p->txn_offsets);
        p->txn_offsets = rd_kafka_topic_partition_list_new(8);
        p->txn_open = 0;
        p->txn_commits++;
}

int dm_pl_txn_commit(dm_pipeline_t *p)
{
        rd_kafka_error_t *e;
        rd_kafka_consumer_group_metadata_t *cgmd;
        int tries, rc;
        char why[64];
        if (!p->eos || p->fatal)
                return p->fatal ? -1 : 0;
        if (!p->txn_open && !p->txn_abort_pending)
                return 0;
        if (p->txn_abort_pending)
                return dm_pl_txn_recover(p);
        /* Rule 2: everything produced is delivered and accounted for before
         * the offsets go out. */
        dm_pl_flush_retries(p);
        if (rd_kafka_flush(p->producer, DM_TXN_TIMEOUT_MS))
                dm_pl_txn_request_abort(p, "flush before commit", "timed out");
        rd_kafka_poll(p->producer, 0);
        if (!p->txn_abort_pending && p->retry_count) {
                snprintf(why, sizeof(why), "%zu output(s) not queued", p->retry_count);
                dm_pl_txn_request_abort(p, "flush before commit", why);
        }
        if (p->txn_abort_pending)
                return dm_pl_txn_recover(p);
        for (tries = 0; p->txn_offsets->cnt; tries++) {
                cgmd = rd_kafka_consumer_group_metadata(p->consumer);
                e = rd_kafka_send_offsets_to_transaction(p->producer, p->txn_offsets, cgmd,
                                                         DM_TXN_TIMEOUT_MS);
                rd_kafka_consumer_group_metadata_destroy(cgmd);
                if (!e)
                        break;
                rc = dm_pl_txn_error(p, "send_offsets_to_transaction", e, tries);
                if (rc < 0)
                        return -1;
                if (rc == 0)
                        return dm_pl_txn_recover(p);
        }
        for (tries = 0;; tries++) {
                e = rd_kafka_commit_transaction(p->producer, DM_TXN_TIMEOUT_MS);
                if (!e)
                        break;
                rc = dm_pl_txn_error(p, "commit_transaction", e, tries);
                if (rc < 0)
                        return -1;
                if (rc == 0)
                        return dm_pl_txn_recover(p);
        }
        dm_pl_txn_committed(p);
        return 0;
}

static void dm_pl_txn_forget(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts)
{
        int i;
        for (i = 0; i < parts->cnt; i++)
                rd_kafka_topic_partition_list_del(p->txn_pos, parts->elems[i].topic,
                                                  parts->elems[i].partition);
}

void dm_pl_txn_assign(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts)
{
        /* A fresh assignment starts from the committed offsets. */
        if (p->eos)
                dm_pl_txn_forget(p, parts);
}

void dm_pl_txn_revoke(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts)
{
        int i;
        if (!p->eos)
                return;
        /* Jobs not produced yet are dropped: the next owner of the partition
         * processes them from the committed offset. */
        for (i = 0; i < parts->cnt; i++)
                dm_pl_txn_drop_waiting(p, parts->elems[i].topic, parts->elems[i].partition);
        /* Without a rewind position, an abort below does not seek the
         * partitions that are going away. */
        dm_pl_txn_forget(p, parts);
        /* What was produced for them is committed now, with its offsets,
         * before the partitions go (or aborted, and then the next owner
         * redoes it). */
        dm_pl_txn_commit(p);
        dm_pl_txn_forget(p, parts);
}

void dm_pl_txn_destroy(dm_pipeline_t *p)
{
        size_t i;
        for (i = 0; i < p->fifo_count; i++) {
                dm_job_t *j, *next;
                for (j = p->fifos[i].head; j; j = next) {
                        next = j->order_next;
                        if (j->processed)
                                dm_job_destroy(j);
                }
                free(p->fifos[i].topic);
        }
        free(p->fifos);
        p->fifos = NULL;
        p->fifo_count = p->fifo_cap = 0;
        if (p->txn_offsets)
                rd_kafka_topic_partition_list_destroy(p->txn_offsets);
        p->txn_offsets = NULL;
        if (p->txn_pos)
                rd_kafka_topic_partition_list_destroy(p->txn_pos);
        p->txn_pos = NULL;
        if (p->txn_ev)
                event_free(p->txn_ev);
        p->txn_ev = NULL;
}
