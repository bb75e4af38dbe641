#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_pipeline_int.h"

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
 * Failures: an error that requires aborting the transaction, or a fatal one,
 * stops the daemon (exit 1) without committing; the transaction is aborted
 * (or fenced by the restarted instance, which shares the transactional.id),
 * and the restart resumes from the last committed offsets. */

typedef struct dm_pl_fifo {
        char *topic;
        int32_t partition;
        dm_job_t *head, *tail;
} dm_pl_fifo_t;

#define DM_TXN_TIMEOUT_MS 30000

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
        if (p->txn_open && !p->fatal)
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

void dm_pl_txn_track(dm_pipeline_t *p, dm_job_t *job)
{
        dm_pl_fifo_t *f = dm_pl_fifo(p, job->topic, job->partition, 1);
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
        if (!f)
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

static int dm_pl_txn_fail(dm_pipeline_t *p, const char *what, rd_kafka_error_t *e)
{
        DM_LOG_FATAL("txn",
                     "%s: %s%s; stopping so that the restart resumes from the last "
                     "committed transaction",
                     what, rd_kafka_error_string(e),
                     rd_kafka_error_txn_requires_abort(e) ? " (transaction must be aborted)" : "");
        if (rd_kafka_error_txn_requires_abort(e)) {
                rd_kafka_error_t *a = rd_kafka_abort_transaction(p->producer, DM_TXN_TIMEOUT_MS);
                if (a)
                        rd_kafka_error_destroy(a);
        }
        rd_kafka_error_destroy(e);
        dm_metrics_add_l(DM_M_ERRORS, DM_STAGE_COMMIT, 1);
        p->txn_open = 0;
        p->fatal = 1;
        return -1;
}

int dm_pl_txn_commit(dm_pipeline_t *p)
{
        rd_kafka_error_t *e;
        rd_kafka_consumer_group_metadata_t *cgmd;
        int tries;
        if (!p->eos || !p->txn_open)
                return 0;
        /* Rule 2: everything produced is delivered and accounted for before
         * the offsets go out. */
        if (rd_kafka_flush(p->producer, DM_TXN_TIMEOUT_MS)) {
                DM_LOG_FATAL("txn", "flush before commit timed out");
                p->fatal = 1;
                return -1;
        }
        rd_kafka_poll(p->producer, 0);
        if (p->retry_count) {
                DM_LOG_FATAL("txn", "%zu output(s) failed inside the transaction", p->retry_count);
                p->fatal = 1;
                return -1;
        }
        if (p->txn_offsets->cnt) {
                cgmd = rd_kafka_consumer_group_metadata(p->consumer);
                e = rd_kafka_send_offsets_to_transaction(p->producer, p->txn_offsets, cgmd,
                                                         DM_TXN_TIMEOUT_MS);
                rd_kafka_consumer_group_metadata_destroy(cgmd);
                if (e)
                        return dm_pl_txn_fail(p, "send_offsets_to_transaction", e);
        }
        for (tries = 0;; tries++) {
                e = rd_kafka_commit_transaction(p->producer, DM_TXN_TIMEOUT_MS);
                if (!e)
                        break;
                if (rd_kafka_error_is_retriable(e) && tries < 3) {
                        rd_kafka_error_destroy(e);
                        continue;
                }
                return dm_pl_txn_fail(p, "commit_transaction", e);
        }
        dm_metrics_add(DM_M_OFFSETS_STORED, p->txn_offsets->cnt);
        rd_kafka_topic_partition_list_destroy(p->txn_offsets);
        p->txn_offsets = rd_kafka_topic_partition_list_new(8);
        p->txn_open = 0;
        p->txn_commits++;
        return 0;
}

void dm_pl_txn_revoke(dm_pipeline_t *p, const rd_kafka_topic_partition_list_t *parts)
{
        int i;
        if (!p->eos)
                return;
        /* Jobs not produced yet are dropped: the next owner of the partition
         * processes them from the committed offset. */
        for (i = 0; i < parts->cnt; i++) {
                dm_pl_fifo_t *f =
                    dm_pl_fifo(p, parts->elems[i].topic, parts->elems[i].partition, 0);
                dm_job_t *j, *next;
                if (!f)
                        continue;
                for (j = f->head; j; j = next) {
                        next = j->order_next;
                        j->order_next = NULL;
                        if (j->processed)
                                dm_pl_job_dispose(p, j);
                        else
                                j->orphaned = 1; /* the worker still has it */
                }
                f->head = f->tail = NULL;
        }
        /* What was produced for them is committed now, with its offsets,
         * before the partitions go. */
        dm_pl_txn_commit(p);
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
        if (p->txn_ev)
                event_free(p->txn_ev);
        p->txn_ev = NULL;
}
