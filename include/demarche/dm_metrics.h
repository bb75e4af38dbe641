/* Metrics: a fixed table of counters and gauges, rendered in the Prometheus
 * text format. The table is the single source of truth for names, types and
 * help text (docs are generated from it).
 *
 * Counters and gauges are lock-free atomics: any thread may update them.
 * Rendering may run concurrently with updates (values are read atomically,
 * one by one). */
#ifndef DM_METRICS_H
#define DM_METRICS_H

#include "demarche/dm_article.h"
#include "demarche/dm_mem.h"

#include <stdint.h>

typedef enum dm_metric {
        DM_M_INPUT_MESSAGES,
        DM_M_ARTICLES_ANNOTATED,
        DM_M_OUTPUT_ARTICLES,
        DM_M_OUTPUT_EVENTS,
        DM_M_OUTPUT_DLQ,
        DM_M_PRODUCE_ERRORS,
        DM_M_PRODUCE_RETRIES,
        DM_M_CONSUME_ERRORS,
        DM_M_OFFSETS_STORED,
        DM_M_REBALANCES,
        /* gauges */
        DM_G_INFLIGHT,
        DM_G_ASSIGNED_PARTITIONS,
        DM_G_WORKERS,
        DM_G_READY,
        DM_G_DICT_ACTOR_PHRASES,
        DM_G_DICT_VERB_PHRASES,
        DM_G_START_TIME,
        DM_METRIC_COUNT
} dm_metric_t;

typedef struct dm_metric_def {
        const char *name;
        const char *type; /* "counter" or "gauge" */
        const char *help;
} dm_metric_def_t;

extern const dm_metric_def_t dm_metric_defs[DM_METRIC_COUNT];

void dm_metrics_add(dm_metric_t m, int64_t n);
void dm_metrics_set(dm_metric_t m, int64_t v);
int64_t dm_metrics_get(dm_metric_t m);
void dm_metrics_dlq_add(dm_reject_reason_t reason, int64_t n);
int64_t dm_metrics_dlq_get(dm_reject_reason_t reason);
/* Zeroes everything (tests run several pipelines in one process). */
void dm_metrics_reset(void);

/* Appends the whole exposition to out. */
void dm_metrics_render(dm_buf_t *out);

#endif
