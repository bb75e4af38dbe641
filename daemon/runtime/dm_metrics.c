#include "demarche/dm_metrics.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_log.h"

#include <dirent.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#define DM_MAX_LABELS 32

static const char *const dm_lv_output[] = {"articles", "events", "dlq", "repartition", NULL};
static const char *const dm_lv_cluster_result[] = {"counted", "duplicate", "late", "malformed",
                                                   NULL};
static const char *const dm_lv_cluster_out[] = {"changelog", "clusters", "tombstones", NULL};
static const char *const dm_lv_reason[] = {
    "malformed_json",      "undecodable_text", "empty", "too_large",
    "unsupported_content", "annotation_error", NULL};
static const char *const dm_lv_txn[] = {"committed", "aborted", NULL};

static const char *const dm_stage_names[DM_STAGE_COUNT] = {"consume",  "produce", "commit",
                                                           "annotate", "encode",  "registry"};
static const char *const dm_err_type_names[DM_ERR_TYPE_COUNT] = {"other",
                                                                 "timed_out",
                                                                 "transport",
                                                                 "unknown_topic",
                                                                 "authorization",
                                                                 "msg_size_too_large",
                                                                 "offset_out_of_range",
                                                                 "coordinator",
                                                                 "rebalance",
                                                                 "txn_abortable",
                                                                 "fenced",
                                                                 "internal",
                                                                 "article",
                                                                 "event",
                                                                 "connect",
                                                                 "http_status",
                                                                 "bad_response"};

/* demarche_errors_total: the fixed (stage, type) series, as two parallel
 * lists (series i is {stage=dm_lv_err_stage[i], type=dm_lv_err_type[i]}).
 * Each stage's types are listed together; "other" catches the codes no
 * listed type names. */
static const char *const dm_lv_err_stage[] = {
    "consume",  "consume",  "consume",  "consume",  "consume",  "consume", "produce",
    "produce",  "produce",  "produce",  "produce",  "produce",  "commit",  "commit",
    "commit",   "commit",   "commit",   "commit",   "annotate", "encode",  "encode",
    "registry", "registry", "registry", "registry", NULL};
static const char *const dm_lv_err_type[] = {"timed_out",
                                             "transport",
                                             "unknown_topic",
                                             "authorization",
                                             "offset_out_of_range",
                                             "other",
                                             "timed_out",
                                             "transport",
                                             "unknown_topic",
                                             "authorization",
                                             "msg_size_too_large",
                                             "other",
                                             "timed_out",
                                             "coordinator",
                                             "rebalance",
                                             "txn_abortable",
                                             "fenced",
                                             "other",
                                             "internal",
                                             "article",
                                             "event",
                                             "connect",
                                             "timed_out",
                                             "http_status",
                                             "bad_response",
                                             NULL};
_Static_assert(sizeof(dm_lv_err_stage) == sizeof(dm_lv_err_type),
               "every errors series has a stage and a type");
_Static_assert(sizeof(dm_lv_err_stage) / sizeof(dm_lv_err_stage[0]) - 1 <= DM_MAX_LABELS,
               "errors series fit the value table");
static const char *const dm_lv_root[] = {"01", "02", "03", "04", "05", "06", "07",
                                         "08", "09", "10", "11", "12", "13", "14",
                                         "15", "16", "17", "18", "19", "20", NULL};
static const char *const dm_lv_entity[] = {"country", "person", "organization", "location", NULL};
static const char *const dm_lv_result[] = {"success", "failure", NULL};
static const char *const dm_lv_dict[] = {"actor", "agent", "verb", NULL};
/* dm_charset_t from DM_CHARSET_UTF16LE on (UTF-8 taken as is is no repair). */
static const char *const dm_lv_charset[] = {"utf-16le", "utf-16be", "windows-1252",
                                            "utf-8+windows-1252", NULL};

const dm_metric_def_t dm_metric_defs[DM_METRIC_COUNT] = {
    [DM_M_INPUT_MESSAGES] = {"demarche_input_messages_total", "counter", "messages", NULL, NULL,
                             "Messages consumed from the input topic.", NULL, NULL},
    [DM_M_ARTICLES_ANNOTATED] = {"demarche_articles_annotated_total", "counter", "articles", NULL,
                                 NULL, "Articles annotated successfully.", NULL, NULL},
    [DM_M_OUTPUT_MESSAGES] = {"demarche_output_messages_total", "counter", "messages", "output",
                              dm_lv_output,
                              "Records delivered (acknowledged by the broker), by output topic: "
                              "articles, events or dlq. With exactly-once, counted when their "
                              "transaction commits (records of aborted transactions are not).",
                              NULL, NULL},
    [DM_M_DLQ] = {"demarche_dlq_messages_total", "counter", "messages", "reason", dm_lv_reason,
                  "Inputs delivered to the dead-letter topic, by reason.", NULL, NULL},
    [DM_M_ERRORS] = {"demarche_errors_total", "counter", "errors", "stage", dm_lv_err_stage,
                     "Errors by pipeline stage and type. Kafka stages: the type comes from the "
                     "librdkafka error code; commit also counts transactions that had to be "
                     "aborted (txn_abortable) or were fenced; annotate: input accepted but not "
                     "annotated (sent to the DLQ); encode: which record failed; registry: "
                     "schema registration attempts that failed.",
                     "type", dm_lv_err_type},
    [DM_M_PRODUCE_RETRIES] = {"demarche_produce_retries_total", "counter", "messages", NULL, NULL,
                              "Output records produced again after a failed delivery.", NULL, NULL},
    [DM_M_EVENTS_CODED] = {"demarche_events_coded_total", "counter", "events", "root", dm_lv_root,
                           "Events coded, by CAMEO root code (01-20).", NULL, NULL},
    [DM_M_ENTITIES] = {"demarche_entities_total", "counter", "entities", "type", dm_lv_entity,
                       "Entities found, by type.", NULL, NULL},
    [DM_M_DICT_RELOADS] = {"demarche_dictionary_reloads_total", "counter", "reloads", "result",
                           dm_lv_result, "Dictionary reloads (SIGHUP), by result.", NULL, NULL},
    [DM_M_OFFSETS_STORED] = {"demarche_offsets_stored_total", "counter", "offsets", NULL, NULL,
                             "Input offsets stored for commit after full delivery.", NULL, NULL},
    [DM_M_REBALANCES] = {"demarche_rebalances_total", "counter", "rebalances", NULL, NULL,
                         "Consumer group rebalance callbacks served.", NULL, NULL},
    [DM_M_INPUT_REPAIRED] = {"demarche_input_repaired_total", "counter", "messages", "encoding",
                             dm_lv_charset,
                             "Inputs that were not valid UTF-8 and were decoded from another "
                             "encoding, by encoding.",
                             NULL, NULL},
    [DM_M_TRANSACTIONS] = {"demarche_transactions_total", "counter", "transactions", "result",
                           dm_lv_txn,
                           "Kafka transactions (delivery.mode = exactly-once) by result: "
                           "committed, or aborted and redone from the last committed "
                           "offsets.",
                           NULL, NULL},
    [DM_G_INFLIGHT] = {"demarche_inflight_articles", "gauge", "articles", NULL, NULL,
                       "Articles consumed and not yet fully delivered (bounded by "
                       "max.inflight).",
                       NULL, NULL},
    [DM_G_ASSIGNED_PARTITIONS] = {"demarche_assigned_partitions", "gauge", "partitions", NULL, NULL,
                                  "Input partitions assigned to this instance.", NULL, NULL},
    [DM_G_PAUSED_PARTITIONS] = {"demarche_paused_partitions", "gauge", "partitions", NULL, NULL,
                                "Input partitions paused because outputs cannot keep up.", NULL,
                                NULL},
    [DM_G_WORKERS] = {"demarche_workers", "gauge", "threads", NULL, NULL,
                      "Annotation worker threads.", NULL, NULL},
    [DM_G_READY] = {"demarche_ready", "gauge", "1", NULL, NULL,
                    "1 when the daemon is ready (see /readyz), else 0.", NULL, NULL},
    [DM_G_LAST_PROCESSED] = {"demarche_last_processed_timestamp_seconds", "gauge", "seconds", NULL,
                             NULL, "Unix time at which an input was last fully delivered.", NULL,
                             NULL},
    [DM_G_BROKER_RTT_US] = {"demarche_broker_rtt_seconds", "gauge", "seconds", NULL, NULL,
                            "Average broker round-trip time of the producer (librdkafka "
                            "statistics).",
                            NULL, NULL},
    [DM_G_DICT_ENTRIES] = {"demarche_dictionary_entries", "gauge", "entries", "kind", dm_lv_dict,
                           "Phrases in the loaded dictionaries, by kind.", NULL, NULL},
    [DM_M_CLUSTER_EVENTS] = {"demarche_cluster_events_total", "counter", "events", "result",
                             dm_lv_cluster_result,
                             "DiplomaticEvents read by the clustering stage (cluster.enabled), "
                             "by result: counted into their cluster, duplicate (event already "
                             "counted: a re-sent article), late (day older than "
                             "cluster.window.days), malformed.",
                             NULL, NULL},
    [DM_M_CLUSTER_RECORDS] = {"demarche_cluster_records_total", "counter", "records", "output",
                              dm_lv_cluster_out,
                              "Records the clustering stage delivered: changelog states, "
                              "EventCluster records, changelog tombstones of expired clusters.",
                              NULL, NULL},
    [DM_G_CLUSTER_KEYS] = {"demarche_cluster_keys", "gauge", "clusters", NULL, NULL,
                           "Clusters held in the state stores of the owned partitions.", NULL,
                           NULL},
    [DM_G_CLUSTER_STORE_BYTES] = {"demarche_cluster_store_bytes", "gauge", "bytes", NULL, NULL,
                                  "Disk used by the state stores of the owned partitions.", NULL,
                                  NULL},
    [DM_G_CLUSTER_PARTITIONS] = {"demarche_cluster_partitions", "gauge", "partitions", NULL, NULL,
                                 "Repartition topic partitions the clustering stage owns.", NULL,
                                 NULL},
    [DM_H_ANNOTATION] = {"demarche_annotation_seconds", "histogram", "seconds", NULL, NULL,
                         "Time to parse, annotate and encode one article.", NULL, NULL},
    [DM_H_END_TO_END] = {"demarche_end_to_end_seconds", "histogram", "seconds", NULL, NULL,
                         "Time from consuming an article to the delivery of all its outputs.", NULL,
                         NULL},
    [DM_H_CLUSTER_RESTORE] = {"demarche_cluster_restore_seconds", "histogram", "seconds", NULL,
                              NULL,
                              "Time to rebuild one partition's state store from the changelog "
                              "when the partition is assigned.",
                              NULL, NULL},
};

/* Upper bounds in microseconds. */
static const int64_t dm_buckets_us[] = {500,     1000,    2500,    5000,    10000,
                                        25000,   50000,   100000,  250000,  500000,
                                        1000000, 2500000, 5000000, 10000000};
#define DM_NBUCKETS ((int)(sizeof(dm_buckets_us) / sizeof(dm_buckets_us[0])))

static atomic_llong dm_values[DM_METRIC_COUNT][DM_MAX_LABELS];
static atomic_ullong dm_hist[DM_METRIC_COUNT][DM_NBUCKETS + 1];
static atomic_ullong dm_hist_sum_us[DM_METRIC_COUNT];
static atomic_ullong dm_hist_count[DM_METRIC_COUNT];

/* The process start, taken when the library loads: under systemd's
 * ProcSubset=pid, /proc/stat (boot time) is not readable. */
static double dm_process_start;

__attribute__((constructor)) static void dm_metrics_init_start(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        dm_process_start = (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static pthread_mutex_t dm_extra_lock = PTHREAD_MUTEX_INITIALIZER;
static void (*dm_extra_render)(dm_buf_t *, void *);
static void *dm_extra_opaque;

static int dm_label_ok(dm_metric_t m, int label)
{
        return (unsigned)m < DM_METRIC_COUNT && label >= 0 && label < DM_MAX_LABELS;
}

void dm_metrics_add(dm_metric_t m, int64_t n)
{
        dm_metrics_add_l(m, 0, n);
}

void dm_metrics_add_l(dm_metric_t m, int label, int64_t n)
{
        if (dm_label_ok(m, label))
                atomic_fetch_add(&dm_values[m][label], n);
}

void dm_metrics_set(dm_metric_t m, int64_t v)
{
        dm_metrics_set_l(m, 0, v);
}

void dm_metrics_set_l(dm_metric_t m, int label, int64_t v)
{
        if (dm_label_ok(m, label))
                atomic_store(&dm_values[m][label], v);
}

int64_t dm_metrics_get(dm_metric_t m)
{
        return dm_metrics_get_l(m, 0);
}

int64_t dm_metrics_get_l(dm_metric_t m, int label)
{
        return dm_label_ok(m, label) ? atomic_load(&dm_values[m][label]) : 0;
}

void dm_metrics_observe_us(dm_metric_t m, int64_t us)
{
        int b = 0;
        if ((unsigned)m >= DM_METRIC_COUNT)
                return;
        if (us < 0)
                us = 0;
        while (b < DM_NBUCKETS && us > dm_buckets_us[b])
                b++;
        atomic_fetch_add(&dm_hist[m][b], 1);
        atomic_fetch_add(&dm_hist_sum_us[m], (unsigned long long)us);
        atomic_fetch_add(&dm_hist_count[m], 1);
}

uint64_t dm_metrics_hist_count(dm_metric_t m)
{
        return (unsigned)m < DM_METRIC_COUNT ? atomic_load(&dm_hist_count[m]) : 0;
}

/* The series index of (stage, type); a type the stage does not list falls
 * back to the stage's "other", or its first series. -1 for a bad stage. */
static int dm_metrics_error_index(dm_metric_stage_t stage, dm_error_type_t type)
{
        int i, first = -1, other = -1;
        const char *sn, *tn;
        if ((unsigned)stage >= DM_STAGE_COUNT)
                return -1;
        sn = dm_stage_names[stage];
        tn = (unsigned)type < DM_ERR_TYPE_COUNT ? dm_err_type_names[type] : "other";
        for (i = 0; dm_lv_err_stage[i]; i++) {
                if (strcmp(dm_lv_err_stage[i], sn))
                        continue;
                if (!strcmp(dm_lv_err_type[i], tn))
                        return i;
                if (first < 0)
                        first = i;
                if (!strcmp(dm_lv_err_type[i], "other"))
                        other = i;
        }
        return other >= 0 ? other : first;
}

void dm_metrics_error(dm_metric_stage_t stage, dm_error_type_t type)
{
        int i = dm_metrics_error_index(stage, type);
        if (i >= 0)
                dm_metrics_add_l(DM_M_ERRORS, i, 1);
}

int64_t dm_metrics_error_get(dm_metric_stage_t stage, dm_error_type_t type)
{
        int i = dm_metrics_error_index(stage, type);
        return i >= 0 ? dm_metrics_get_l(DM_M_ERRORS, i) : 0;
}

int64_t dm_metrics_errors_stage(dm_metric_stage_t stage)
{
        int64_t sum = 0;
        int i;
        if ((unsigned)stage >= DM_STAGE_COUNT)
                return 0;
        for (i = 0; dm_lv_err_stage[i]; i++)
                if (!strcmp(dm_lv_err_stage[i], dm_stage_names[stage]))
                        sum += dm_metrics_get_l(DM_M_ERRORS, i);
        return sum;
}

dm_error_type_t dm_metrics_kafka_error_type(int code)
{
        switch ((rd_kafka_resp_err_t)code) {
        case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
        case RD_KAFKA_RESP_ERR__TIMED_OUT:
        case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
        case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
                return DM_ERR_TIMED_OUT;
        case RD_KAFKA_RESP_ERR__TRANSPORT:
        case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
        case RD_KAFKA_RESP_ERR__RESOLVE:
        case RD_KAFKA_RESP_ERR__SSL:
        case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
                return DM_ERR_TRANSPORT;
        case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
        case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
        case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
                return DM_ERR_UNKNOWN_TOPIC;
        case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
        case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
        case RD_KAFKA_RESP_ERR__AUTHENTICATION:
                return DM_ERR_AUTHORIZATION;
        case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
        case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
                return DM_ERR_MSG_SIZE_TOO_LARGE;
        case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
        case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
                return DM_ERR_OFFSET_OUT_OF_RANGE;
        case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
        case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
        case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
        case RD_KAFKA_RESP_ERR__WAIT_COORD:
                return DM_ERR_COORDINATOR;
        case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
        case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
        case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
        case RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST:
                return DM_ERR_REBALANCE;
        case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
        case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
        case RD_KAFKA_RESP_ERR__FENCED:
                return DM_ERR_FENCED;
        default:
                return DM_ERR_OTHER;
        }
}

void dm_metrics_kafka_error(dm_metric_stage_t stage, int code)
{
        dm_metrics_error(stage, dm_metrics_kafka_error_type(code));
}

void dm_metrics_dlq_add(dm_reject_reason_t reason, int64_t n)
{
        dm_metrics_add_l(DM_M_DLQ, (int)reason, n);
}

int64_t dm_metrics_dlq_get(dm_reject_reason_t reason)
{
        return dm_metrics_get_l(DM_M_DLQ, (int)reason);
}

void dm_metrics_reset(void)
{
        int i, j;
        for (i = 0; i < DM_METRIC_COUNT; i++) {
                for (j = 0; j < DM_MAX_LABELS; j++)
                        atomic_store(&dm_values[i][j], 0);
                for (j = 0; j <= DM_NBUCKETS; j++)
                        atomic_store(&dm_hist[i][j], 0);
                atomic_store(&dm_hist_sum_us[i], 0);
                atomic_store(&dm_hist_count[i], 0);
        }
}

void dm_metrics_set_extra(void (*render)(dm_buf_t *out, void *opaque), void *opaque)
{
        pthread_mutex_lock(&dm_extra_lock);
        dm_extra_render = render;
        dm_extra_opaque = opaque;
        pthread_mutex_unlock(&dm_extra_lock);
}

static void dm_metrics_render_one(dm_buf_t *out, dm_metric_t m)
{
        const dm_metric_def_t *d = &dm_metric_defs[m];
        int i;
        dm_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", d->name, d->help, d->name, d->type);
        if (!strcmp(d->type, "histogram")) {
                unsigned long long cum = 0;
                for (i = 0; i < DM_NBUCKETS; i++) {
                        cum += atomic_load(&dm_hist[m][i]);
                        dm_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", d->name,
                                      dm_buckets_us[i] / 1e6, cum);
                }
                cum += atomic_load(&dm_hist[m][DM_NBUCKETS]);
                dm_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n%s_sum %.6f\n%s_count %llu\n",
                              d->name, cum, d->name, atomic_load(&dm_hist_sum_us[m]) / 1e6, d->name,
                              (unsigned long long)atomic_load(&dm_hist_count[m]));
                return;
        }
        if (!d->label) {
                if (m == DM_G_BROKER_RTT_US)
                        dm_buf_printf(out, "%s %.6f\n", d->name,
                                      atomic_load(&dm_values[m][0]) / 1e6);
                else
                        dm_buf_printf(out, "%s %lld\n", d->name,
                                      (long long)atomic_load(&dm_values[m][0]));
                return;
        }
        for (i = 0; d->label_values[i] && i < DM_MAX_LABELS; i++) {
                if (d->label2)
                        dm_buf_printf(out, "%s{%s=\"%s\",%s=\"%s\"} %lld\n", d->name, d->label,
                                      d->label_values[i], d->label2, d->label2_values[i],
                                      (long long)atomic_load(&dm_values[m][i]));
                else
                        dm_buf_printf(out, "%s{%s=\"%s\"} %lld\n", d->name, d->label,
                                      d->label_values[i], (long long)atomic_load(&dm_values[m][i]));
        }
}

/* The standard process_* set, read from /proc. */
static void dm_metrics_render_process(dm_buf_t *out)
{
        FILE *fp = fopen("/proc/self/stat", "r");
        char buf[1024], *p;
        long ticks = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
        unsigned long utime = 0, stime = 0, vsize = 0;
        unsigned long long starttime = 0;
        long rss = 0, threads = 0;
        int fds = 0;
        struct rlimit rl;
        DIR *d;
        if (fp) {
                size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
                buf[n] = '\0';
                fclose(fp);
                /* Fields after the parenthesised command name, which may hold
                 * spaces. */
                p = strrchr(buf, ')');
                if (p && sscanf(p + 2,
                                "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %*d %*d "
                                "%*d %*d %ld %*d %llu %lu %ld",
                                &utime, &stime, &threads, &starttime, &vsize, &rss) != 6)
                        utime = stime = 0;
        }
        if ((d = opendir("/proc/self/fd"))) {
                struct dirent *de;
                while ((de = readdir(d)))
                        if (de->d_name[0] != '.')
                                fds++;
                closedir(d);
                fds--; /* the directory handle itself */
        }
        getrlimit(RLIMIT_NOFILE, &rl);
        dm_buf_printf(out,
                      "# HELP process_cpu_seconds_total Total user and system CPU time spent in "
                      "seconds.\n# TYPE process_cpu_seconds_total counter\n"
                      "process_cpu_seconds_total %.2f\n"
                      "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
                      "# TYPE process_resident_memory_bytes gauge\n"
                      "process_resident_memory_bytes %ld\n"
                      "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
                      "# TYPE process_virtual_memory_bytes gauge\n"
                      "process_virtual_memory_bytes %lu\n"
                      "# HELP process_open_fds Number of open file descriptors.\n"
                      "# TYPE process_open_fds gauge\nprocess_open_fds %d\n"
                      "# HELP process_max_fds Maximum number of open file descriptors.\n"
                      "# TYPE process_max_fds gauge\nprocess_max_fds %llu\n"
                      "# HELP process_threads Number of OS threads in the process.\n"
                      "# TYPE process_threads gauge\nprocess_threads %ld\n"
                      "# HELP process_start_time_seconds Start time of the process since unix "
                      "epoch in seconds.\n# TYPE process_start_time_seconds gauge\n"
                      "process_start_time_seconds %.2f\n",
                      ticks > 0 ? (double)(utime + stime) / (double)ticks : 0.0, rss * page, vsize,
                      fds, (unsigned long long)rl.rlim_cur, threads, dm_process_start);
}

void dm_metrics_render(dm_buf_t *out)
{
        int i;
        static const dm_log_level_t levels[] = {DM_LOG_LEVEL_ERROR, DM_LOG_LEVEL_WARN,
                                                DM_LOG_LEVEL_INFO, DM_LOG_LEVEL_DEBUG};
        for (i = 0; i < DM_METRIC_COUNT; i++)
                dm_metrics_render_one(out, (dm_metric_t)i);
        dm_buf_puts(out, "# HELP demarche_log_messages_total Log lines written, by level.\n"
                         "# TYPE demarche_log_messages_total counter\n");
        for (i = 0; i < 4; i++)
                dm_buf_printf(out, "demarche_log_messages_total{level=\"%s\"} %lu\n",
                              dm_log_level_name(levels[i]), dm_log_count(levels[i]));
        dm_buf_printf(out,
                      "# HELP demarche_build_info Build information.\n"
                      "# TYPE demarche_build_info gauge\n"
                      "demarche_build_info{version=\"%s\",librdkafka=\"%s\"} 1\n",
                      DM_VERSION, rd_kafka_version_str());
        pthread_mutex_lock(&dm_extra_lock);
        if (dm_extra_render)
                dm_extra_render(out, dm_extra_opaque);
        pthread_mutex_unlock(&dm_extra_lock);
        dm_metrics_render_process(out);
}

void dm_metrics_write_doc(FILE *out)
{
        int i, j;
        fprintf(out, "# Metrics\n\n"
                     "Generated from the table in `daemon/runtime/dm_metrics.c` by `demarche "
                     "metrics-doc`; a test\nfails when this file and the table differ. Served "
                     "at `/metrics` on `http.listen` in the\nPrometheus text format. Label "
                     "values are fixed lists, so cardinality is bounded.\n\n"
                     "| name | type | unit | labels | help |\n|---|---|---|---|---|\n");
        for (i = 0; i < DM_METRIC_COUNT; i++) {
                const dm_metric_def_t *d = &dm_metric_defs[i];
                fprintf(out, "| `%s` | %s | %s | ", d->name, d->type, d->unit);
                if (d->label && d->label2) {
                        /* Grouped by the first label: stage: type, type; ... */
                        fprintf(out, "`%s`, `%s`: ", d->label, d->label2);
                        for (j = 0; d->label_values[j]; j++) {
                                int first =
                                    !j || strcmp(d->label_values[j - 1], d->label_values[j]);
                                if (first)
                                        fprintf(out, "%s%s: ", j ? "; " : "", d->label_values[j]);
                                fprintf(out, "%s%s", first ? "" : ", ", d->label2_values[j]);
                        }
                } else if (d->label) {
                        fprintf(out, "`%s`: ", d->label);
                        for (j = 0; d->label_values[j]; j++)
                                fprintf(out, "%s%s", j ? ", " : "", d->label_values[j]);
                } else {
                        fprintf(out, "-");
                }
                fprintf(out, " | %s |\n", d->help);
        }
        fprintf(out,
                "| `demarche_log_messages_total` | counter | lines | `level`: error, warning, "
                "info, debug | Log lines written, by level. |\n"
                "| `demarche_build_info` | gauge | 1 | `version`, `librdkafka` | Build "
                "information; always 1. |\n"
                "| `demarche_consumer_lag` | gauge | messages | `topic`, `partition` (assigned "
                "partitions only) | Consumer lag per assigned input partition, from librdkafka "
                "statistics; partitions whose lag is unknown are omitted. |\n"
                "| `process_*` | | | | The standard process metrics: "
                "`process_cpu_seconds_total`, `process_resident_memory_bytes`, "
                "`process_virtual_memory_bytes`, `process_open_fds`, `process_max_fds`, "
                "`process_threads`, `process_start_time_seconds`. |\n");
}
