#include "demarche/dm_metrics.h"
#include "demarche/dm_log.h"

#include <stdatomic.h>
#include <string.h>

const dm_metric_def_t dm_metric_defs[DM_METRIC_COUNT] = {
    [DM_M_INPUT_MESSAGES] = {"demarche_input_messages_total", "counter",
                             "Messages consumed from the input topic."},
    [DM_M_ARTICLES_ANNOTATED] = {"demarche_articles_annotated_total", "counter",
                                 "Articles annotated successfully."},
    [DM_M_OUTPUT_ARTICLES] = {"demarche_output_articles_total", "counter",
                              "AnnotatedArticle records delivered to the articles topic."},
    [DM_M_OUTPUT_EVENTS] = {"demarche_output_events_total", "counter",
                            "DiplomaticEvent records delivered to the events topic."},
    [DM_M_OUTPUT_DLQ] = {"demarche_output_dlq_total", "counter",
                         "RejectedArticle records delivered to the dead-letter topic."},
    [DM_M_PRODUCE_ERRORS] = {"demarche_produce_errors_total", "counter",
                             "Output messages whose delivery failed (they are retried)."},
    [DM_M_PRODUCE_RETRIES] = {"demarche_produce_retries_total", "counter",
                              "Output messages produced again after a failed delivery."},
    [DM_M_CONSUME_ERRORS] = {"demarche_consume_errors_total", "counter",
                             "Errors reported by the consumer."},
    [DM_M_OFFSETS_STORED] = {"demarche_offsets_stored_total", "counter",
                             "Input offsets stored for commit after full delivery."},
    [DM_M_REBALANCES] = {"demarche_rebalances_total", "counter",
                         "Consumer group rebalance callbacks served."},
    [DM_G_INFLIGHT] = {"demarche_inflight_articles", "gauge",
                       "Articles consumed and not yet fully delivered."},
    [DM_G_ASSIGNED_PARTITIONS] = {"demarche_assigned_partitions", "gauge",
                                  "Input partitions currently assigned to this instance."},
    [DM_G_WORKERS] = {"demarche_workers", "gauge", "Annotation worker threads."},
    [DM_G_READY] = {"demarche_ready", "gauge",
                    "1 when dictionaries are loaded and partitions assigned, else 0."},
    [DM_G_DICT_ACTOR_PHRASES] = {"demarche_dictionary_actor_phrases", "gauge",
                                 "Actor phrases in the loaded dictionaries."},
    [DM_G_DICT_VERB_PHRASES] = {"demarche_dictionary_verb_phrases", "gauge",
                                "Verb phrases in the loaded dictionaries."},
    [DM_G_START_TIME] = {"demarche_start_time_seconds", "gauge", "Unix time the daemon started."},
};

static atomic_llong dm_metric_values[DM_METRIC_COUNT];
static atomic_llong dm_metric_dlq[DM_REJECT_REASON_COUNT];

void dm_metrics_add(dm_metric_t m, int64_t n)
{
        atomic_fetch_add(&dm_metric_values[m], n);
}

void dm_metrics_set(dm_metric_t m, int64_t v)
{
        atomic_store(&dm_metric_values[m], v);
}

int64_t dm_metrics_get(dm_metric_t m)
{
        return atomic_load(&dm_metric_values[m]);
}

void dm_metrics_dlq_add(dm_reject_reason_t reason, int64_t n)
{
        if ((unsigned)reason < DM_REJECT_REASON_COUNT)
                atomic_fetch_add(&dm_metric_dlq[reason], n);
}

int64_t dm_metrics_dlq_get(dm_reject_reason_t reason)
{
        return (unsigned)reason < DM_REJECT_REASON_COUNT ? atomic_load(&dm_metric_dlq[reason]) : 0;
}

void dm_metrics_reset(void)
{
        int i;
        for (i = 0; i < DM_METRIC_COUNT; i++)
                atomic_store(&dm_metric_values[i], 0);
        for (i = 0; i < DM_REJECT_REASON_COUNT; i++)
                atomic_store(&dm_metric_dlq[i], 0);
}

void dm_metrics_render(dm_buf_t *out)
{
        int i;
        static const dm_log_level_t levels[] = {DM_LOG_LEVEL_ERROR, DM_LOG_LEVEL_WARN,
                                                DM_LOG_LEVEL_INFO, DM_LOG_LEVEL_DEBUG};
        for (i = 0; i < DM_METRIC_COUNT; i++) {
                const dm_metric_def_t *d = &dm_metric_defs[i];
                dm_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n%s %lld\n", d->name, d->help,
                              d->name, d->type, d->name,
                              (long long)atomic_load(&dm_metric_values[i]));
        }
        dm_buf_puts(out, "# HELP demarche_dlq_messages_total Inputs sent to the dead-letter "
                         "topic, by reason.\n# TYPE demarche_dlq_messages_total counter\n");
        for (i = 0; i < DM_REJECT_REASON_COUNT; i++) {
                char lower[32];
                const char *n = dm_reject_reason_name((dm_reject_reason_t)i);
                size_t k;
                for (k = 0; n[k] && k + 1 < sizeof(lower); k++)
                        lower[k] = (char)(n[k] >= 'A' && n[k] <= 'Z' ? n[k] + 32 : n[k]);
                lower[k] = '\0';
                dm_buf_printf(out, "demarche_dlq_messages_total{reason=\"%s\"} %lld\n", lower,
                              (long long)atomic_load(&dm_metric_dlq[i]));
        }
        dm_buf_puts(out, "# HELP demarche_log_messages_total Log lines written, by level.\n"
                         "# TYPE demarche_log_messages_total counter\n");
        for (i = 0; i < 4; i++)
                dm_buf_printf(out, "demarche_log_messages_total{level=\"%s\"} %lu\n",
                              dm_log_level_name(levels[i]), dm_log_count(levels[i]));
        dm_buf_printf(out,
                      "# HELP demarche_build_info Build information.\n"
                      "# TYPE demarche_build_info gauge\n"
                      "demarche_build_info{version=\"%s\"} 1\n",
                      DM_VERSION);
}
