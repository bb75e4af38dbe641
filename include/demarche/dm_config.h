/* Configuration: one declarative table of settings, a `key = value` file
 * format, and kafka.* pass-through to librdkafka.
 *
 * The table (dm_config_table) is the single source of truth: the parser, the
 * --help text and the documentation are all driven by it. A dm_config_t is
 * built once at start, by the main thread, and read-only afterwards (any
 * thread may read it). */
#ifndef DM_CONFIG_H
#define DM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum dm_config_type {
        DM_CONFIG_STRING,
        DM_CONFIG_INT,
        DM_CONFIG_BOOL,
        DM_CONFIG_ENUM, /* string restricted to a '|'-separated list */
} dm_config_type_t;

/* The typed settings. Strings are owned by the config. */
typedef struct dm_settings {
        char *input_topic;
        char *output_articles_topic;
        char *output_events_topic;
        char *output_dlq_topic;
        int64_t output_events_hypothetical;
        int64_t output_events_negated;
        char *http_listen;
        char *dictionaries_path;
        char *coder_mode;
        int64_t coder_frames;
        int64_t workers;
        char *log_level;
        char *log_format;
        int64_t input_max_bytes;
        int64_t dlq_max_original_bytes;
        int64_t max_inflight;
        int64_t shutdown_timeout_ms;
        int64_t text_max_bytes;
        char *delivery_mode;
        int64_t transaction_interval_ms;
        char *transactional_id;
        char *registry_url;
        char *registry_user_info;
        int64_t registry_timeout_ms;
        int64_t registry_check_interval_ms;
        char *registry_ca;
        char *registry_cert;
        char *registry_key;
        /* Events across articles (docs/CLUSTERS.md). */
        int64_t cluster_enabled;
        char *cluster_repartition_topic;
        char *cluster_output_topic;
        char *cluster_changelog_topic;
        char *cluster_group_id;
        char *cluster_key_level;
        char *cluster_key_code;
        char *cluster_state_dir;
        int64_t cluster_state_max_bytes;
        int64_t cluster_window_days;
        int64_t cluster_emit_interval_ms;
        int64_t cluster_max_seen;
        int64_t cluster_max_article_ids;
        int64_t cluster_commit_interval_ms;
} dm_settings_t;

typedef struct dm_config_entry {
        const char *name;
        dm_config_type_t type;
        const char *def;     /* default, as text */
        int64_t min, max;    /* INT range */
        const char *choices; /* ENUM choices, '|'-separated */
        size_t offset;       /* into dm_settings_t */
        const char *description;
} dm_config_entry_t;

extern const dm_config_entry_t dm_config_table[];
extern const size_t dm_config_table_size;

typedef struct dm_config dm_config_t;

/* A config holding every default. Never fails. */
dm_config_t *dm_config_new(void);
void dm_config_destroy(dm_config_t *conf);

/* Sets one key. kafka.* keys are checked against librdkafka and stored for
 * dm_config_kafka_foreach. Returns 0, or -1 with errstr set (without the
 * file:line prefix). */
int dm_config_set(dm_config_t *conf, const char *key, const char *value, char *errstr,
                  size_t errstr_size);

/* Reads a config file. Every problem is reported as "file:line: message"; all
 * problems are collected (newline-separated in errstr, as many as fit) so a
 * user fixes them in one pass. Returns the number of errors (0 = ok). */
int dm_config_load_file(dm_config_t *conf, const char *path, char *errstr, size_t errstr_size);

/* Applies DEMARCHE_<KEY> environment overrides (key upper-cased, '.' -> '_');
 * kafka keys as DEMARCHE_KAFKA_<KEY>. Returns number of errors. */
int dm_config_load_env(dm_config_t *conf, char *errstr, size_t errstr_size);

const dm_settings_t *dm_config_settings(const dm_config_t *conf);

/* Which librdkafka client a kafka.* key is meant for. */
typedef enum dm_kafka_scope {
        DM_KAFKA_BOTH,
        DM_KAFKA_CONSUMER,
        DM_KAFKA_PRODUCER,
} dm_kafka_scope_t;

/* Calls cb for each kafka.* key (without the "kafka." prefix, or the
 * "kafka.consumer." / "kafka.producer." prefix) in file order, defaults first.
 * Stops and returns cb's value when it is non-zero. */
int dm_config_kafka_foreach(const dm_config_t *conf, dm_kafka_scope_t scope,
                            int (*cb)(const char *key, const char *value, void *opaque),
                            void *opaque);
/* Value of a kafka key as it would reach a client of that scope, or NULL. */
const char *dm_config_kafka_get(const dm_config_t *conf, dm_kafka_scope_t scope, const char *key);

/* Writes "key = value" for every setting (for --check-config output). */
void dm_config_dump(const dm_config_t *conf, FILE *out);

/* `demarche check-config FILE` / `demarched --check-config`: loads the file
 * and environment overrides, reports every problem as file:line, prints the
 * effective settings when dump is set. 0 when valid, 1 otherwise. */
int dm_config_check(const char *path, int dump, FILE *out, FILE *err);
/* Writes the table as help text. */
void dm_config_print_help(FILE *out);
/* Writes docs/CONFIGURATION.md content from the table. */
void dm_config_write_doc(FILE *out);

#endif
