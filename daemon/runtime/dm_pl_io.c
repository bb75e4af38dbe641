/* The pipeline's shared lower half: producing outputs with their retry list,
 * the consumer calls the other modules need (pause, subscribe), dooming the
 * open transaction, the monotonic clock and systemd notifications.
 * dm_pipeline.c, dm_pipeline_txn.c and dm_pipeline_ops.c call down into this
 * module and never into each other's internals in a circle: the loop
 * (dm_pipeline.c) drives the transactions (dm_pipeline_txn.c) and the
 * operations (dm_pipeline_ops.c), and both of those only call here.
 * Event-loop thread only. */
#include "runtime/dm_pl_io.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_pipeline_int.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#ifdef DM_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

/* ---- Clock and systemd -------------------------------------------------- */

int64_t dm_pl_now_ms(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void dm_pl_notify(const char *state)
{
#ifdef DM_HAVE_SYSTEMD
        sd_notify(0, state);
#else
        (void)state;
#endif
}

/* ---- Producing and the retry list --------------------------------------- */

void dm_pl_retry_later(dm_pipeline_t *p, dm_output_t *o)
{
        dm_grow((void **)&p->retry, &p->retry_cap, p->retry_count + 1, sizeof(*p->retry));
        p->retry[p->retry_count++] = o;
}

int dm_pl_produce(dm_pipeline_t *p, dm_output_t *o)
{
        rd_kafka_resp_err_t err;
        /* No copy: the payload lives in the job until its delivery report. */
        if (o->outlet)
                /* The clustering stage counts outlets: DiplomaticEvent has no
                 * field for it, so it travels as a header. */
                err = rd_kafka_producev(p->producer, RD_KAFKA_V_TOPIC(p->topics[o->dest]),
                                        RD_KAFKA_V_KEY(o->key, o->key_len),
                                        RD_KAFKA_V_VALUE(o->payload, o->payload_len),
                                        RD_KAFKA_V_HEADER("demarche.outlet", o->outlet, -1),
                                        RD_KAFKA_V_OPAQUE(o), RD_KAFKA_V_END);
        else
                err = rd_kafka_producev(p->producer, RD_KAFKA_V_TOPIC(p->topics[o->dest]),
                                        RD_KAFKA_V_KEY(o->key, o->key_len),
                                        RD_KAFKA_V_VALUE(o->payload, o->payload_len),
                                        RD_KAFKA_V_OPAQUE(o), RD_KAFKA_V_END);
        if (err) {
                if (p->eos && err == RD_KAFKA_RESP_ERR__STATE) {
                        /* The transaction already failed (librdkafka logged
                         * why); its abort discards this output. */
                        dm_pl_txn_request_abort(p, "produce", "the transaction has failed");
                } else if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
                        dm_metrics_kafka_error(DM_STAGE_PRODUCE, err);
                        DM_LOG_ERROR("producer", "produce to %s failed: %s", p->topics[o->dest],
                                     rd_kafka_err2str(err));
                        /* Inside a transaction a refused record cannot simply
                         * be produced again later: the transaction is lost. */
                        if (p->eos)
                                dm_pl_txn_request_abort(p, "produce", rd_kafka_err2str(err));
                }
                dm_pl_retry_later(p, o);
                return -1;
        }
        return 0;
}

void dm_pl_flush_retries(dm_pipeline_t *p)
{
        size_t n = p->retry_count, i;
        dm_output_t **list;
        /* Outputs of a doomed transaction are discarded by the abort. */
        if (!n || (p->eos && p->txn_abort_pending))
                return;
        list = p->retry;
        p->retry = NULL;
        p->retry_count = p->retry_cap = 0;
        for (i = 0; i < n; i++) {
                dm_metrics_add(DM_M_PRODUCE_RETRIES, 1);
                dm_pl_produce(p, list[i]);
        }
        free(list);
}

void dm_pl_produce_job(dm_pipeline_t *p, dm_job_t *job)
{
        size_t i;
        job->pending = job->output_count;
        for (i = 0; i < job->output_count; i++)
                dm_pl_produce(p, &job->outputs[i]);
}

void dm_pl_job_dispose(dm_pipeline_t *p, dm_job_t *job)
{
        dm_job_destroy(job);
        p->jobs_inflight--;
        dm_metrics_set(DM_G_INFLIGHT, (int64_t)p->jobs_inflight);
}

/* ---- The transaction's state -------------------------------------------- */

void dm_pl_txn_request_abort(dm_pipeline_t *p, const char *what, const char *why)
{
        if (p->txn_abort_pending)
                return;
        p->txn_abort_pending = 1;
        /* Deliveries still to come for this transaction are void. */
        p->txn_epoch++;
        dm_metrics_error(DM_STAGE_COMMIT, DM_ERR_TXN_ABORTABLE);
        DM_LOG_WARN("txn",
                    "%s: %s; aborting the transaction and consuming its input again from the "
                    "last committed offsets",
                    what, why);
}

/* ---- Consumer ----------------------------------------------------------- */

/* Backpressure: when max.inflight articles are in flight (outputs slow or
 * failing), the assigned input partitions are paused, so memory stays bounded
 * by max.inflight articles plus what librdkafka had already fetched; they are
 * resumed when half of that has drained. The consumer is still polled while
 * paused, so rebalances and errors are served. */
void dm_pl_pause_assignment(dm_pipeline_t *p, int pause)
{
        rd_kafka_topic_partition_list_t *a = NULL;
        if (rd_kafka_assignment(p->consumer, &a) != RD_KAFKA_RESP_ERR_NO_ERROR || !a)
                return;
        if (pause)
                rd_kafka_pause_partitions(p->consumer, a);
        else
                rd_kafka_resume_partitions(p->consumer, a);
        rd_kafka_topic_partition_list_destroy(a);
}

int dm_pl_subscribe(dm_pipeline_t *p, char *errstr, size_t errstr_size)
{
        rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new(1);
        rd_kafka_resp_err_t err;
        rd_kafka_topic_partition_list_add(sub, p->s->input_topic, RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(p->consumer, sub);
        rd_kafka_topic_partition_list_destroy(sub);
        if (err) {
                snprintf(errstr, errstr_size, "subscribe to %s: %s", p->s->input_topic,
                         rd_kafka_err2str(err));
                return -1;
        }
        p->subscribed = 1;
        return 0;
}
