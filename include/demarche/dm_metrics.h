/* Metrics: one declarative table of counters, gauges and histograms with
 * bounded, fixed label values, rendered in the Prometheus text format. The
 * table is the single source of truth: /metrics, `demarche metrics-doc` and
 * docs/METRICS.md all come from it.
 *
 * Values are lock-free atomics: any thread may update them; rendering may
 * run concurrently with updates. Metrics whose labels are only known at run
 * time (consumer lag per partition) are rendered by a callback the pipeline
 * registers (dm_metrics_set_extra). */
#ifndef DM_METRICS_H
#define DM_METRICS_H

#include "demarche/dm_article.h"
#include "demarche/dm_buf.h"

#include <stdint.h>
#include <stdio.h>

typedef enum dm_metric {
        /* counters */
        DM_M_INPUT_MESSAGES,
        DM_M_ARTICLES_ANNOTATED,
        DM_M_OUTPUT_MESSAGES, /* label output: articles, events, dlq */
        DM_M_DLQ,             /* label reason: dm_reject_reason_t */
        DM_M_ERRORS,          /* labels stage and type: dm_metrics_error() */
        DM_M_PRODUCE_RETRIES,
        DM_M_EVENTS_CODED, /* label root: 01..20 (index root-1) */
        DM_M_ENTITIES,     /* label type: dm_entity_type_t */
        DM_M_DICT_RELOADS, /* label result: success, failure */
        DM_M_OFFSETS_STORED,
        DM_M_REBALANCES,
        DM_M_INPUT_REPAIRED,  /* label encoding: dm_charset_t - 1 */
        DM_M_TRANSACTIONS,    /* label result: committed, aborted */
        DM_M_CLUSTER_EVENTS,  /* label result: counted, duplicate, late, malformed */
        DM_M_CLUSTER_RECORDS, /* label output: changelog, clusters, tombstones */
        /* gauges */
        DM_G_INFLIGHT,
        DM_G_ASSIGNED_PARTITIONS,
        DM_G_PAUSED_PARTITIONS,
        DM_G_WORKERS,
        DM_G_READY,
        DM_G_LAST_PROCESSED,      /* unix seconds */
        DM_G_BROKER_RTT_US,       /* rendered in seconds */
        DM_G_DICT_ENTRIES,        /* label kind: actor, agent, verb */
        DM_G_CLUSTER_KEYS,        /* clusters in the owned partitions' stores */
        DM_G_CLUSTER_STORE_BYTES, /* bytes of those stores */
        DM_G_CLUSTER_PARTITIONS,  /* repartition partitions owned */
        /* histograms (observations in microseconds, rendered in seconds) */
        DM_H_ANNOTATION,
        DM_H_END_TO_END,
        DM_H_CLUSTER_RESTORE, /* one partition's store rebuilt from the changelog */
        DM_METRIC_COUNT
} dm_metric_t;

typedef enum dm_metric_stage {
        DM_STAGE_CONSUME = 0,
        DM_STAGE_PRODUCE,
        DM_STAGE_COMMIT,
        DM_STAGE_ANNOTATE,
        DM_STAGE_ENCODE,
        DM_STAGE_REGISTRY,
        DM_STAGE_COUNT
} dm_metric_stage_t;

/* The type label of demarche_errors_total. Each stage accepts a fixed subset
 * (the table in dm_metrics.c, listed in docs/METRICS.md); a type outside a
 * stage's subset is counted as that stage's "other" (or its first type when
 * it has no "other"), so the series stay a fixed, bounded set. */
typedef enum dm_error_type {
        DM_ERR_OTHER = 0,
        DM_ERR_TIMED_OUT,          /* request or message timed out */
        DM_ERR_TRANSPORT,          /* connection to the broker failed or broke */
        DM_ERR_UNKNOWN_TOPIC,      /* topic or partition does not exist */
        DM_ERR_AUTHORIZATION,      /* ACL or authentication refused */
        DM_ERR_MSG_SIZE_TOO_LARGE, /* record above the broker's or topic's limit */
        DM_ERR_OFFSET_OUT_OF_RANGE,
        DM_ERR_COORDINATOR,   /* group or transaction coordinator not available */
        DM_ERR_REBALANCE,     /* commit refused because the group rebalanced */
        DM_ERR_TXN_ABORTABLE, /* the transaction had to be aborted */
        DM_ERR_FENCED,        /* another instance took over the transactional.id */
        DM_ERR_INTERNAL,      /* annotation failed on input it accepted */
        DM_ERR_ARTICLE,       /* an AnnotatedArticle record did not encode */
        DM_ERR_EVENT,         /* a DiplomaticEvent record did not encode */
        DM_ERR_CONNECT,       /* registry: no connection (or TLS handshake failed) */
        DM_ERR_HTTP_STATUS,   /* registry: answered with an error status */
        DM_ERR_BAD_RESPONSE,  /* registry: 200 without a schema id */
        DM_ERR_TYPE_COUNT
} dm_error_type_t;

enum {
        DM_OUTPUT_LABEL_ARTICLES = 0,
        DM_OUTPUT_LABEL_EVENTS,
        DM_OUTPUT_LABEL_DLQ,
        DM_OUTPUT_LABEL_REPARTITION
};
enum { DM_CLUSTER_COUNTED = 0, DM_CLUSTER_DUPLICATE, DM_CLUSTER_LATE, DM_CLUSTER_MALFORMED };
enum { DM_CLUSTER_OUT_CHANGELOG = 0, DM_CLUSTER_OUT_CLUSTERS, DM_CLUSTER_OUT_TOMBSTONES };
enum { DM_RELOAD_SUCCESS = 0, DM_RELOAD_FAILURE };
enum { DM_TXN_COMMITTED = 0, DM_TXN_ABORTED };
enum { DM_DICT_KIND_ACTOR = 0, DM_DICT_KIND_AGENT, DM_DICT_KIND_VERB };

typedef struct dm_metric_def {
        const char *name;
        const char *type;                /* counter, gauge, histogram */
        const char *unit;                /* for the docs: "1", "seconds", ... */
        const char *label;               /* label name, NULL for none */
        const char *const *label_values; /* NULL-terminated */
        const char *help;
        /* A second label, or NULL: series i has label=label_values[i] and
         * label2=label2_values[i] (parallel lists, so only the listed
         * combinations exist). */
        const char *label2;
        const char *const *label2_values;
} dm_metric_def_t;

extern const dm_metric_def_t dm_metric_defs[DM_METRIC_COUNT];

/* Unlabelled metrics use label index 0. Out-of-range indexes are ignored. */
void dm_metrics_add(dm_metric_t m, int64_t n);
void dm_metrics_add_l(dm_metric_t m, int label, int64_t n);
void dm_metrics_set(dm_metric_t m, int64_t v);
void dm_metrics_set_l(dm_metric_t m, int label, int64_t v);
int64_t dm_metrics_get(dm_metric_t m);
int64_t dm_metrics_get_l(dm_metric_t m, int label);
/* Histogram observation, in microseconds. */
void dm_metrics_observe_us(dm_metric_t m, int64_t us);
uint64_t dm_metrics_hist_count(dm_metric_t m);

/* demarche_errors_total{stage,type}. */
void dm_metrics_error(dm_metric_stage_t stage, dm_error_type_t type);
/* Counts a librdkafka error (rd_kafka_resp_err_t) under stage, its type
 * derived from the code (dm_metrics_kafka_error_type). */
void dm_metrics_kafka_error(dm_metric_stage_t stage, int err);
dm_error_type_t dm_metrics_kafka_error_type(int err);
int64_t dm_metrics_error_get(dm_metric_stage_t stage, dm_error_type_t type);
/* Sum over every type of a stage. */
int64_t dm_metrics_errors_stage(dm_metric_stage_t stage);

/* Shorthands kept for readability at call sites. */
void dm_metrics_dlq_add(dm_reject_reason_t reason, int64_t n);
int64_t dm_metrics_dlq_get(dm_reject_reason_t reason);

/* Zeroes everything (tests run several pipelines in one process). */
void dm_metrics_reset(void);

/* Registers a renderer for run-time-labelled metrics (called on the thread
 * that renders, i.e. the event loop). NULL unregisters. */
void dm_metrics_set_extra(void (*render)(dm_buf_t *out, void *opaque), void *opaque);

/* Appends the whole exposition, including process_* metrics, to out. */
void dm_metrics_render(dm_buf_t *out);

/* Writes docs/METRICS.md content from the table. */
void dm_metrics_write_doc(FILE *out);

#endif
