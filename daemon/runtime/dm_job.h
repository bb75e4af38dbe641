/* A job: one consumed input message travelling through the pipeline, and
 * the worker pool that turns jobs into encoded output records.
 *
 * Ownership: the event loop creates a job (dm_job_new, copying the message),
 * hands it to the pool (the pool owns it until it calls done_cb-signalled
 * completion), takes it back with dm_workers_take_done, produces its outputs
 * (librdkafka borrows each output's payload until its delivery report) and
 * frees it with dm_job_destroy once every output is delivered. */
#ifndef DM_JOB_H
#define DM_JOB_H

#include "demarche/dm_annotator.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_avro.h"
#include "demarche/dm_config.h"
#include "demarche/dm_dict.h"
#include "cluster/dm_cluster.h"

#include <stddef.h>
#include <stdint.h>

typedef enum dm_output_dest {
        DM_OUT_ARTICLES = 0,
        DM_OUT_EVENTS,
        DM_OUT_DLQ,
        DM_OUT_REPARTITION, /* cluster.enabled: each published DiplomaticEvent again,
                             * keyed by its cluster key */
        DM_OUT_DEST_COUNT
} dm_output_dest_t;

struct dm_job;

typedef struct dm_output {
        struct dm_job *job; /* back-pointer, for the delivery report */
        dm_output_dest_t dest;
        char *key;
        size_t key_len;
        char *payload;
        size_t payload_len;
        char *outlet; /* DM_OUT_REPARTITION: the article's outlet (header
                       * demarche.outlet), or NULL */
        int delivered;
} dm_output_t;

typedef struct dm_job {
        struct dm_job *next; /* queue link; owned by whichever queue holds it */
        const char *topic;   /* borrowed: the pipeline's input topic name */
        int32_t partition;
        int64_t offset;
        int64_t consumed_us;
        void *value;
        size_t value_len;
        void *key;
        size_t key_len;
        /* Filled by the worker. */
        dm_output_t *outputs;
        size_t output_count, output_cap;
        int rejected;
        dm_reject_reason_t reason;
        size_t events;  /* events coded (published ones are outputs) */
        size_t pending; /* outputs not yet delivered */
        /* exactly-once only: outputs are produced in offset order per
         * partition, so jobs wait in a per-partition FIFO. */
        struct dm_job *order_next;
        int processed;     /* the worker is done with it */
        int orphaned;      /* its partition was revoked, or its transaction aborted,
                            * before it was produced */
        int64_t txn_epoch; /* the transaction attempt its outputs went to */
} dm_job_t;

dm_job_t *dm_job_new(const char *topic, int32_t partition, int64_t offset, const void *value,
                     size_t value_len, const void *key, size_t key_len);
void dm_job_destroy(dm_job_t *job);

/* Per-worker processing state. */
typedef struct dm_job_ctx {
        dm_annotator_t *annotator;
        dm_avro_encoder_t *encoder;
        const dm_settings_t *settings;
        const _Atomic int32_t *confluent_ids; /* per dm_avro_kind_t; NULL: single-object */
        dm_article_t article;
        dm_result_t result;
        dm_buf_t buf;
        /* cluster.enabled: the key of the repartition outputs. */
        int cluster;
        dm_cluster_key_opts_t cluster_key;
        dm_buf_t key;
} dm_job_ctx_t;

void dm_job_ctx_init(dm_job_ctx_t *ctx, const dm_dict_t *dict, dm_avro_t *avro,
                     const dm_settings_t *settings);
void dm_job_ctx_clear(dm_job_ctx_t *ctx);

/* Parses, annotates and encodes one job: on success an AnnotatedArticle
 * output and one DiplomaticEvent output per publishable event (with
 * cluster.enabled, each also as a DM_OUT_REPARTITION output keyed by its
 * cluster key); on bad input a single RejectedArticle output. Never fails:
 * every input gets an output. */
void dm_job_process(dm_job_ctx_t *ctx, dm_job_t *job);

typedef struct dm_workers dm_workers_t;

/* Starts n threads. done_cb is called from a worker thread after a job is
 * put on the done list (use it to wake the event loop). confluent_ids, when
 * not NULL, switches the records to the Confluent wire format with these
 * schema ids (borrowed; set before the first job is submitted, and changed by
 * the loop thread only with atomic stores while running). The pool takes
 * ownership of dict (see dm_workers_swap_dict); avro and settings are
 * borrowed and must outlive the pool. */
dm_workers_t *dm_workers_new(int n, dm_dict_t *dict, dm_avro_t *avro, const dm_settings_t *settings,
                             const _Atomic int32_t *confluent_ids, void (*done_cb)(void *opaque),
                             void *opaque);
/* Hot reload: the pool takes ownership of dict; each worker switches to it
 * before its next job (never in the middle of an article), and the previous
 * dictionaries are destroyed when the last worker has let go of them. Any
 * thread. */
void dm_workers_swap_dict(dm_workers_t *w, dm_dict_t *dict);
/* Stops the threads after the queued jobs are processed, and joins them.
 * Jobs still on the done list are destroyed. */
void dm_workers_destroy(dm_workers_t *w);
/* Takes ownership of job. Any thread. */
void dm_workers_submit(dm_workers_t *w, dm_job_t *job);
/* Returns the completed jobs as a list (oldest first), or NULL. */
dm_job_t *dm_workers_take_done(dm_workers_t *w);

#endif
