#include "demarche/dm_config.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DM_OFF(f) offsetof(dm_settings_t, f)

const dm_config_entry_t dm_config_table[] = {
    {"input.topic", DM_CONFIG_STRING, "articles.raw", 0, 0, NULL, DM_OFF(input_topic),
     "Topic the articles are consumed from."},
    {"output.articles.topic", DM_CONFIG_STRING, "articles.annotated", 0, 0, NULL,
     DM_OFF(output_articles_topic), "Topic for one AnnotatedArticle record per input article."},
    {"output.events.topic", DM_CONFIG_STRING, "events.coded", 0, 0, NULL,
     DM_OFF(output_events_topic), "Topic for one DiplomaticEvent record per coded event."},
    {"output.events.hypothetical", DM_CONFIG_BOOL, "true", 0, 1, NULL,
     DM_OFF(output_events_hypothetical),
     "Whether events flagged hypothetical (conditional, planned, threatened as future, "
     "reported as an obligation) are published to output.events.topic. Every event stays on "
     "the AnnotatedArticle record with its flags; historical events are never published."},
    {"output.events.negated", DM_CONFIG_BOOL, "false", 0, 1, NULL, DM_OFF(output_events_negated),
     "Whether events flagged negated (\"did not meet\") are published to output.events.topic; "
     "they stay on the AnnotatedArticle record either way."},
    {"output.dlq.topic", DM_CONFIG_STRING, "articles.dlq", 0, 0, NULL, DM_OFF(output_dlq_topic),
     "Dead-letter topic: one RejectedArticle record per input that could not be annotated."},
    {"http.listen", DM_CONFIG_STRING, "127.0.0.1:9464", 0, 0, NULL, DM_OFF(http_listen),
     "host:port of the HTTP server for /metrics and /healthz; empty disables it."},
    {"dictionaries.path", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(dictionaries_path),
     "Dictionary directory, TABARI .project file or comma-separated list of files; empty uses "
     "the installed default dictionaries."},
    {"coder.mode", DM_CONFIG_ENUM, "parse", 0, 0, "parse|tabari", DM_OFF(coder_mode),
     "How sources and targets are assigned: parse, from a dependency parse of each sentence "
     "with the parser model (DEMARCHE_MODELS, else the installed models), which must load at "
     "start, with event nouns and the article's context; tabari, by word order as TABARI does "
     "(its validation suite's mode)."},
    {"coder.frames", DM_CONFIG_BOOL, "true", 0, 1, NULL, DM_OFF(coder_frames),
     "Whether the annotator's frames and domestic rules code events the coder's dictionaries "
     "miss (docs/CODER.md). Their knowledge is moving into the dictionaries; false leaves "
     "events to the dictionaries alone."},
    {"workers", DM_CONFIG_INT, "0", 0, 256, NULL, DM_OFF(workers),
     "Annotation worker threads; 0 means one per online CPU."},
    {"log.level", DM_CONFIG_ENUM, "info", 0, 0, "debug|info|warning|error", DM_OFF(log_level),
     "Least severe level logged."},
    {"log.format", DM_CONFIG_ENUM, "logfmt", 0, 0, "logfmt|json", DM_OFF(log_format),
     "Log line format on stderr: logfmt, or JSON lines."},
    {"input.max.bytes", DM_CONFIG_INT, "4194304", 1, 1073741824, NULL, DM_OFF(input_max_bytes),
     "Input values larger than this are sent to the dead-letter topic as TOO_LARGE."},
    {"dlq.max.original.bytes", DM_CONFIG_INT, "65536", 0, 1073741824, NULL,
     DM_OFF(dlq_max_original_bytes),
     "Bytes of the original input kept in a dead-letter record; beyond this it is truncated "
     "and flagged."},
    {"max.inflight", DM_CONFIG_INT, "2000", 1, 1000000, NULL, DM_OFF(max_inflight),
     "Articles consumed but not yet fully delivered; consumption pauses above this, bounding "
     "memory."},
    {"shutdown.timeout.ms", DM_CONFIG_INT, "30000", 0, 3600000, NULL, DM_OFF(shutdown_timeout_ms),
     "On SIGTERM/SIGINT, time allowed to finish in-flight work and flush before exiting."},
    {"text.max.bytes", DM_CONFIG_INT, "1048576", 1024, 1073741824, NULL, DM_OFF(text_max_bytes),
     "Cleaned text longer than this is truncated before annotation (noted in the log)."},
    {"delivery.mode", DM_CONFIG_ENUM, "at-least-once", 0, 0, "at-least-once|exactly-once",
     DM_OFF(delivery_mode),
     "at-least-once: offsets committed after delivery (duplicates possible after a crash). "
     "exactly-once: outputs and input offsets committed together in Kafka transactions; "
     "read_committed consumers see each output once."},
    {"transaction.interval.ms", DM_CONFIG_INT, "200", 10, 60000, NULL,
     DM_OFF(transaction_interval_ms),
     "exactly-once: how often the open transaction is committed (latency versus overhead)."},
    {"transactional.id", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(transactional_id),
     "exactly-once: the producer's transactional.id; must be unique per instance and stable "
     "across its restarts (so a restarted instance fences its predecessor). Empty: "
     "demarche-<hostname>-<input.topic>."},
    {"schema.registry.url", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(registry_url),
     "Confluent Schema Registry (http://host:port[/prefix]). Set: records use the Confluent "
     "wire format (0, 4-byte schema id, Avro body) and the schemas are registered under "
     "<topic>-value before consuming starts. Empty: Avro single-object encoding."},
    {"schema.registry.basic.auth.user.info", DM_CONFIG_STRING, "", 0, 0, NULL,
     DM_OFF(registry_user_info),
     "user:password for the registry's HTTP basic auth (use ${file:PATH} to keep it out of "
     "the file)."},
    {"schema.registry.timeout.ms", DM_CONFIG_INT, "10000", 1000, 600000, NULL,
     DM_OFF(registry_timeout_ms),
     "Timeout of one registry request; failures are retried with "
     "backoff while consumption waits."},
    {"schema.registry.check.interval.ms", DM_CONFIG_INT, "60000", 0, 86400000, NULL,
     DM_OFF(registry_check_interval_ms),
     "How often the schemas are registered again while running (idempotent), so that a "
     "registry that lost its storage gets them back and a changed id is used from then on; "
     "0: only at start."},
    {"schema.registry.ssl.ca.location", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(registry_ca),
     "https registry: PEM file of the CA(s) to trust; empty: the system's CA store. The "
     "certificate's host name is always checked."},
    {"schema.registry.ssl.certificate.location", DM_CONFIG_STRING, "", 0, 0, NULL,
     DM_OFF(registry_cert), "https registry: client certificate (PEM) for mutual TLS."},
    {"schema.registry.ssl.key.location", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(registry_key),
     "https registry: the client certificate's key (PEM); empty: in the certificate file."},
    {"cluster.enabled", DM_CONFIG_BOOL, "false", 0, 1, NULL, DM_OFF(cluster_enabled),
     "Events across articles (docs/CLUSTERS.md): publish each DiplomaticEvent also to "
     "cluster.topic.repartition keyed by its cluster key, and run the clustering consumer that "
     "counts them into EventCluster records on cluster.topic.output. false: nothing of it runs "
     "and nothing more is produced."},
    {"cluster.topic.repartition", DM_CONFIG_STRING, "events.cluster-repartition", 0, 0, NULL,
     DM_OFF(cluster_repartition_topic),
     "Internal topic of DiplomaticEvents keyed by cluster key, so that every event of a key "
     "reaches the instance that owns the key. Its partition count fixes the stores' layout."},
    {"cluster.topic.output", DM_CONFIG_STRING, "events.clusters", 0, 0, NULL,
     DM_OFF(cluster_output_topic),
     "Compacted topic of EventCluster records keyed by cluster id; the latest record per key "
     "is the cluster's current counts."},
    {"cluster.topic.changelog", DM_CONFIG_STRING, "events.cluster-changelog", 0, 0, NULL,
     DM_OFF(cluster_changelog_topic),
     "Compacted topic holding every cluster's state, partition for partition of the "
     "repartition topic (same partition count); a store is rebuilt from it."},
    {"cluster.group.id", DM_CONFIG_STRING, "", 0, 0, NULL, DM_OFF(cluster_group_id),
     "Consumer group of the clustering consumer; empty: the input group.id followed by "
     "\"-cluster\"."},
    {"cluster.key.level", DM_CONFIG_ENUM, "country", 0, 0, "country|actor",
     DM_OFF(cluster_key_level),
     "Source and target in the cluster key: country, the actor's CAMEO country (else the "
     "first three letters of its code); actor, the full CAMEO actor code."},
    {"cluster.key.code", DM_CONFIG_ENUM, "code", 0, 0, "code|root", DM_OFF(cluster_key_code),
     "Event in the cluster key: the full CAMEO code, or its two-digit root."},
    {"cluster.state.dir", DM_CONFIG_STRING, "/var/lib/demarche/clusters", 0, 0, NULL,
     DM_OFF(cluster_state_dir),
     "Directory of the LMDB state stores, one subdirectory per owned partition. A cache of "
     "the changelog: deleting it loses nothing."},
    {"cluster.state.max.bytes", DM_CONFIG_INT, "1073741824", 1048576, 1099511627776LL, NULL,
     DM_OFF(cluster_state_max_bytes), "Largest size of one partition's store (the LMDB map size)."},
    {"cluster.window.days", DM_CONFIG_INT, "7", 0, 3650, NULL, DM_OFF(cluster_window_days),
     "A cluster's state is kept this many days past its day (counted from the newest event day "
     "seen on its partition), then deleted from the store and the changelog; events of older "
     "days are dropped (demarche_cluster_late_events_total). Within the window a re-sent "
     "article is recognised and not counted again."},
    {"cluster.emit.interval.ms", DM_CONFIG_INT, "1000", 0, 86400000, NULL,
     DM_OFF(cluster_emit_interval_ms),
     "Rate limit per cluster: an EventCluster record is re-published at most once per "
     "interval however fast its counts change; the last change is always published."},
    {"cluster.max.seen", DM_CONFIG_INT, "10000", 16, 10000000, NULL, DM_OFF(cluster_max_seen),
     "Per cluster, how many event, article and outlet ids are remembered for "
     "de-duplication; ids beyond this are counted without being remembered."},
    {"cluster.max.article.ids", DM_CONFIG_INT, "20", 0, 10000, NULL,
     DM_OFF(cluster_max_article_ids),
     "Per cluster, how many supporting article ids (the first ones) the record lists."},
    {"cluster.commit.interval.ms", DM_CONFIG_INT, "200", 10, 60000, NULL,
     DM_OFF(cluster_commit_interval_ms),
     "How often the clustering consumer flushes its changelog and output records and, once "
     "they are delivered, commits its repartition offsets (with delivery.mode = exactly-once: "
     "commits them together in one transaction, transactional.id plus \"-cluster\")."},
};
const size_t dm_config_table_size = sizeof(dm_config_table) / sizeof(dm_config_table[0]);

/* kafka.* defaults applied before the file. enable.auto.offset.store is forced
 * off by the pipeline itself, since at-least-once depends on it. */
static const char *dm_config_kafka_defaults[][2] = {
    {"bootstrap.servers", "127.0.0.1:9092"},
    {"group.id", "demarche"},
    {"auto.offset.reset", "earliest"},
    /* Commit stored offsets every second: after a crash, at most about a
     * second of delivered work is redone. */
    {"auto.commit.interval.ms", "1000"},
    {"enable.idempotence", "true"},
    {"partition.assignment.strategy", "cooperative-sticky"},
    {"linger.ms", "5"},
    {"compression.type", "lz4"},
};

/* Keys that only make sense on one client; librdkafka warns when a client is
 * given the other's keys, so a plain kafka.<key> is routed by this list. */
static const char *dm_config_consumer_keys[] = {"group.id",
                                                "group.instance.id",
                                                "auto.offset.reset",
                                                "session.timeout.ms",
                                                "heartbeat.interval.ms",
                                                "max.poll.interval.ms",
                                                "partition.assignment.strategy",
                                                "enable.auto.commit",
                                                "auto.commit.interval.ms",
                                                "enable.auto.offset.store",
                                                "enable.partition.eof",
                                                "isolation.level",
                                                "fetch.wait.max.ms",
                                                "fetch.min.bytes",
                                                "fetch.max.bytes",
                                                "fetch.message.max.bytes",
                                                "max.partition.fetch.bytes",
                                                "queued.min.messages",
                                                "queued.max.messages.kbytes",
                                                "check.crcs",
                                                "group.protocol.type",
                                                "coordinator.query.interval.ms",
                                                NULL};
static const char *dm_config_producer_keys[] = {"acks",
                                                "request.required.acks",
                                                "linger.ms",
                                                "queue.buffering.max.ms",
                                                "queue.buffering.max.messages",
                                                "queue.buffering.max.kbytes",
                                                "batch.num.messages",
                                                "batch.size",
                                                "compression.type",
                                                "compression.codec",
                                                "compression.level",
                                                "enable.idempotence",
                                                "enable.gapless.guarantee",
                                                "message.timeout.ms",
                                                "delivery.timeout.ms",
                                                "transactional.id",
                                                "transaction.timeout.ms",
                                                "retries",
                                                "message.send.max.retries",
                                                "retry.backoff.ms",
                                                "request.timeout.ms",
                                                "partitioner",
                                                "sticky.partitioning.linger.ms",
                                                "max.in.flight",
                                                "max.in.flight.requests.per.connection",
                                                NULL};

typedef struct dm_config_kv {
        char *key; /* without prefix */
        char *value;
        dm_kafka_scope_t scope;
} dm_config_kv_t;

struct dm_config {
        dm_settings_t settings;
        dm_config_kv_t *kafka;
        size_t kafka_count, kafka_cap;
};

static int dm_in_list(const char *key, const char **list)
{
        for (; *list; list++)
                if (!strcmp(key, *list))
                        return 1;
        return 0;
}

static dm_kafka_scope_t dm_config_kafka_scope(const char *key)
{
        if (dm_in_list(key, dm_config_consumer_keys))
                return DM_KAFKA_CONSUMER;
        if (dm_in_list(key, dm_config_producer_keys))
                return DM_KAFKA_PRODUCER;
        return DM_KAFKA_BOTH;
}

static const dm_config_entry_t *dm_config_find(const char *key)
{
        size_t i;
        for (i = 0; i < dm_config_table_size; i++)
                if (!strcmp(dm_config_table[i].name, key))
                        return &dm_config_table[i];
        return NULL;
}

static int dm_config_parse_int(const char *s, int64_t *out)
{
        char *end;
        long long v;
        errno = 0;
        v = strtoll(s, &end, 10);
        if (errno || end == s)
                return -1;
        /* Allow a size or duration unit suffix that people write anyway. */
        if (*end) {
                int64_t mult = 1;
                if (!strcmp(end, "k") || !strcmp(end, "K") || !strcmp(end, "KiB"))
                        mult = 1024;
                else if (!strcmp(end, "M") || !strcmp(end, "MiB"))
                        mult = 1024 * 1024;
                else if (!strcmp(end, "G") || !strcmp(end, "GiB"))
                        mult = 1024LL * 1024 * 1024;
                else
                        return -1;
                if (v > INT64_MAX / mult || v < INT64_MIN / mult)
                        return -1;
                v *= mult;
        }
        *out = v;
        return 0;
}

static int dm_config_set_entry(dm_config_t *conf, const dm_config_entry_t *e, const char *value,
                               char *errstr, size_t errstr_size)
{
        char *base = (char *)&conf->settings;
        int64_t iv;
        switch (e->type) {
        case DM_CONFIG_INT:
                if (dm_config_parse_int(value, &iv)) {
                        snprintf(errstr, errstr_size, "%s: \"%s\" is not an integer", e->name,
                                 value);
                        return -1;
                }
                if (iv < e->min || iv > e->max) {
                        snprintf(errstr, errstr_size, "%s: %lld is out of range [%lld, %lld]",
                                 e->name, (long long)iv, (long long)e->min, (long long)e->max);
                        return -1;
                }
                *(int64_t *)(base + e->offset) = iv;
                return 0;
        case DM_CONFIG_BOOL:
                if (!strcmp(value, "true") || !strcmp(value, "1") || !strcmp(value, "yes"))
                        iv = 1;
                else if (!strcmp(value, "false") || !strcmp(value, "0") || !strcmp(value, "no"))
                        iv = 0;
                else {
                        snprintf(errstr, errstr_size, "%s: \"%s\" is not true or false", e->name,
                                 value);
                        return -1;
                }
                *(int64_t *)(base + e->offset) = iv;
                return 0;
        case DM_CONFIG_ENUM: {
                const char *p = e->choices;
                size_t vl = strlen(value);
                int found = 0;
                while (p && *p) {
                        const char *bar = strchr(p, '|');
                        size_t l = bar ? (size_t)(bar - p) : strlen(p);
                        if (l == vl && !strncmp(p, value, l))
                                found = 1;
                        p = bar ? bar + 1 : NULL;
                }
                if (!found) {
                        snprintf(errstr, errstr_size, "%s: \"%s\" is not one of %s", e->name, value,
                                 e->choices);
                        return -1;
                }
        }
                /* fall through */
        case DM_CONFIG_STRING: {
                char **slot = (char **)(base + e->offset);
                free(*slot);
                *slot = dm_strdup(value);
                return 0;
        }
        }
        return -1;
}

/* librdkafka knows its own keys and value syntax; asking it at load time
 * turns a typo in kafka.* into a file:line error rather than a start failure. */
static int dm_config_check_kafka(const char *key, const char *value, char *errstr,
                                 size_t errstr_size)
{
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        char kerr[256];
        int rc = 0;
        if (rd_kafka_conf_set(kc, key, value, kerr, sizeof(kerr)) != RD_KAFKA_CONF_OK) {
                snprintf(errstr, errstr_size, "kafka.%s: %s", key, kerr);
                rc = -1;
        }
        rd_kafka_conf_destroy(kc);
        return rc;
}

static void dm_config_kafka_put(dm_config_t *conf, const char *key, const char *value,
                                dm_kafka_scope_t scope)
{
        size_t i;
        dm_config_kv_t *kv;
        for (i = 0; i < conf->kafka_count; i++) {
                kv = &conf->kafka[i];
                if (kv->scope == scope && !strcmp(kv->key, key)) {
                        free(kv->value);
                        kv->value = dm_strdup(value);
                        return;
                }
        }
        dm_grow((void **)&conf->kafka, &conf->kafka_cap, conf->kafka_count + 1, sizeof(*kv));
        kv = &conf->kafka[conf->kafka_count++];
        kv->key = dm_strdup(key);
        kv->value = dm_strdup(value);
        kv->scope = scope;
}

int dm_config_set(dm_config_t *conf, const char *key, const char *value, char *errstr,
                  size_t errstr_size)
{
        const dm_config_entry_t *e;
        if (!strncmp(key, "kafka.", 6)) {
                const char *k = key + 6;
                dm_kafka_scope_t scope;
                if (!strncmp(k, "consumer.", 9)) {
                        k += 9;
                        scope = DM_KAFKA_CONSUMER;
                } else if (!strncmp(k, "producer.", 9)) {
                        k += 9;
                        scope = DM_KAFKA_PRODUCER;
                } else {
                        scope = dm_config_kafka_scope(k);
                }
                if (!*k) {
                        snprintf(errstr, errstr_size, "%s: missing librdkafka property name", key);
                        return -1;
                }
                if (dm_config_check_kafka(k, value, errstr, errstr_size))
                        return -1;
                dm_config_kafka_put(conf, k, value, scope);
                return 0;
        }
        e = dm_config_find(key);
        if (!e) {
                snprintf(errstr, errstr_size, "unknown key \"%s\"", key);
                return -1;
        }
        return dm_config_set_entry(conf, e, value, errstr, errstr_size);
}

dm_config_t *dm_config_new(void)
{
        dm_config_t *conf = dm_calloc(1, sizeof(*conf));
        char err[256];
        size_t i;
        for (i = 0; i < dm_config_table_size; i++) {
                if (dm_config_set_entry(conf, &dm_config_table[i], dm_config_table[i].def, err,
                                        sizeof(err))) {
                        /* A bad default is a programming error caught by the unit tests. */
                        fprintf(stderr, "bad default: %s\n", err);
                        abort();
                }
        }
        for (i = 0; i < sizeof(dm_config_kafka_defaults) / sizeof(dm_config_kafka_defaults[0]); i++)
                dm_config_kafka_put(conf, dm_config_kafka_defaults[i][0],
                                    dm_config_kafka_defaults[i][1],
                                    dm_config_kafka_scope(dm_config_kafka_defaults[i][0]));
        return conf;
}

void dm_config_destroy(dm_config_t *conf)
{
        size_t i;
        char *base;
        if (!conf)
                return;
        base = (char *)&conf->settings;
        for (i = 0; i < dm_config_table_size; i++) {
                const dm_config_entry_t *e = &dm_config_table[i];
                if (e->type == DM_CONFIG_STRING || e->type == DM_CONFIG_ENUM)
                        free(*(char **)(base + e->offset));
        }
        for (i = 0; i < conf->kafka_count; i++) {
                free(conf->kafka[i].key);
                free(conf->kafka[i].value);
        }
        free(conf->kafka);
        free(conf);
}

/* Appends "msg\n" to the error list if it fits. */
static void dm_config_err_append(char *errstr, size_t errstr_size, const char *msg)
{
        size_t used = strnlen(errstr, errstr_size);
        if (used + 1 < errstr_size)
                snprintf(errstr + used, errstr_size - used, "%s%s", used ? "\n" : "", msg);
}

/* Appends the contents of path without its trailing newlines to b; err
 * says why it cannot be read. */
static int dm_config_read_secret(dm_buf_t *b, const char *path, char *err, size_t err_size)
{
        FILE *fp = fopen(path, "r");
        char chunk[4096];
        size_t got, start = b->len;
        if (!fp) {
                snprintf(err, err_size, "%s", strerror(errno));
                return -1;
        }
        while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
                dm_buf_append(b, chunk, got);
        fclose(fp);
        while (b->len > start && (b->data[b->len - 1] == '\n' || b->data[b->len - 1] == '\r'))
                b->data[--b->len] = '\0';
        return 0;
}

/* ${cred:NAME}: systemd credential NAME (LoadCredential=, SetCredential=,
 * ImportCredential=), i.e. $CREDENTIALS_DIRECTORY/NAME. A name is one path
 * component, as systemd's are. */
static int dm_config_read_cred(dm_buf_t *b, const char *cred, char *err, size_t err_size)
{
        const char *dir = getenv("CREDENTIALS_DIRECTORY");
        char path[4096], why[128];
        if (!*cred || strchr(cred, '/') || !strcmp(cred, ".") || !strcmp(cred, "..")) {
                snprintf(err, err_size, "${cred:%.200s}: not a credential name", cred);
                return -1;
        }
        if (!dir || !*dir) {
                snprintf(err, err_size,
                         "${cred:%.200s}: CREDENTIALS_DIRECTORY is not set (systemd sets it for a "
                         "unit with LoadCredential= or SetCredential=)",
                         cred);
                return -1;
        }
        snprintf(path, sizeof(path), "%s/%s", dir, cred);
        if (dm_config_read_secret(b, path, why, sizeof(why))) {
                snprintf(err, err_size, "${cred:%.100s}: %.100s: %s", cred, path, why);
                return -1;
        }
        return 0;
}

/* ${NAME} expands to an environment variable (systemd's CREDENTIALS_DIRECTORY
 * for paths of credentials), ${file:PATH} to the contents of a file without
 * its trailing newline (a secret kept out of the config file), ${cred:NAME}
 * to the contents of the systemd credential NAME likewise. An undefined
 * variable or unreadable file is an error, never an empty string. "$$" is a
 * literal "$". */
static char *dm_config_expand(const char *v, char *err, size_t err_size)
{
        dm_buf_t b;
        dm_buf_init(&b);
        while (*v) {
                const char *end;
                char name[512], why[128];
                size_t n;
                if (v[0] == '$' && v[1] == '$') {
                        dm_buf_putc(&b, '$');
                        v += 2;
                        continue;
                }
                if (v[0] != '$' || v[1] != '{') {
                        dm_buf_putc(&b, *v++);
                        continue;
                }
                end = strchr(v + 2, '}');
                n = end ? (size_t)(end - v - 2) : 0;
                if (!end || n == 0 || n >= sizeof(name)) {
                        snprintf(err, err_size, "unterminated or empty ${...}");
                        goto fail;
                }
                memcpy(name, v + 2, n);
                name[n] = '\0';
                if (!strncmp(name, "file:", 5)) {
                        if (dm_config_read_secret(&b, name + 5, why, sizeof(why))) {
                                snprintf(err, err_size, "${%.200s}: %s", name, why);
                                goto fail;
                        }
                } else if (!strncmp(name, "cred:", 5)) {
                        if (dm_config_read_cred(&b, name + 5, err, err_size))
                                goto fail;
                } else {
                        const char *env = getenv(name);
                        if (!env) {
                                snprintf(err, err_size, "${%.200s}: environment variable not set",
                                         name);
                                goto fail;
                        }
                        dm_buf_puts(&b, env);
                }
                v = end + 1;
        }
        return dm_buf_steal(&b);
fail:
        dm_buf_free(&b);
        return NULL;
}

int dm_config_load_file(dm_config_t *conf, const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it;
        char *line;
        size_t n;
        int lineno, errors = 0;
        char msg[512], err[384];

        if (errstr_size)
                errstr[0] = '\0';
        it = dm_lines_new(path, msg, sizeof(msg));
        if (!it) {
                dm_config_err_append(errstr, errstr_size, msg);
                return 1;
        }
        while ((line = dm_lines_next(it, &n))) {
                char *s, *eq, *key, *value, *expanded;
                lineno = dm_lines_number(it);
                if (n != strlen(line)) {
                        snprintf(msg, sizeof(msg), "%s:%d: NUL byte in line", path, lineno);
                        dm_config_err_append(errstr, errstr_size, msg);
                        errors++;
                        continue;
                }
                s = dm_str_trim(line);
                if (!*s || *s == '#')
                        continue;
                eq = strchr(s, '=');
                if (!eq) {
                        snprintf(msg, sizeof(msg), "%s:%d: expected \"key = value\"", path, lineno);
                        dm_config_err_append(errstr, errstr_size, msg);
                        errors++;
                        continue;
                }
                *eq = '\0';
                key = dm_str_trim(s);
                value = dm_str_trim(eq + 1);
                /* Quotes are optional; they allow leading/trailing spaces and
                 * an explicit empty value. */
                if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
                        value[strlen(value) - 1] = '\0';
                        value++;
                }
                if (!*key) {
                        snprintf(msg, sizeof(msg), "%s:%d: missing key before '='", path, lineno);
                        dm_config_err_append(errstr, errstr_size, msg);
                        errors++;
                        continue;
                }
                expanded = dm_config_expand(value, err, sizeof(err));
                if (!expanded || dm_config_set(conf, key, expanded, err, sizeof(err))) {
                        snprintf(msg, sizeof(msg), "%s:%d: %s%s%s", path, lineno,
                                 expanded ? "" : key, expanded ? "" : ": ", err);
                        dm_config_err_append(errstr, errstr_size, msg);
                        errors++;
                }
                free(expanded);
        }
        dm_lines_destroy(it);
        return errors;
}

int dm_config_load_env(dm_config_t *conf, char *errstr, size_t errstr_size)
{
        extern char **environ;
        char **e;
        int errors = 0;
        char msg[512], err[384];
        for (e = environ; *e; e++) {
                const char *eq = strchr(*e, '=');
                char key[256];
                size_t i, kl;
                if (strncmp(*e, "DEMARCHE_", 9) || !eq)
                        continue;
                kl = (size_t)(eq - (*e + 9));
                if (kl == 0 || kl >= sizeof(key))
                        continue;
                for (i = 0; i < kl; i++) {
                        char c = (*e)[9 + i];
                        key[i] = c == '_' ? '.' : (char)tolower((unsigned char)c);
                }
                key[kl] = '\0';
                /* Variables meant for the tooling (DEMARCHE_KAFKA_PORT, ...) are
                 * not config keys; only names that map to a key are applied. */
                if (strncmp(key, "kafka.", 6) && !dm_config_find(key))
                        continue;
                if (!strncmp(key, "kafka.", 6) &&
                    (!strcmp(key, "kafka.port") || !strcmp(key, "kafka.bootstrap") ||
                     !strcmp(key, "kafka.dir") || !strcmp(key, "kafka.controller.port")))
                        continue;
                if (dm_config_set(conf, key, eq + 1, err, sizeof(err))) {
                        snprintf(msg, sizeof(msg), "environment %.*s: %s", (int)(eq - *e), *e, err);
                        dm_config_err_append(errstr, errstr_size, msg);
                        errors++;
                }
        }
        return errors;
}

const dm_settings_t *dm_config_settings(const dm_config_t *conf)
{
        return &conf->settings;
}

int dm_config_kafka_foreach(const dm_config_t *conf, dm_kafka_scope_t scope,
                            int (*cb)(const char *key, const char *value, void *opaque),
                            void *opaque)
{
        size_t i;
        int rc;
        for (i = 0; i < conf->kafka_count; i++) {
                const dm_config_kv_t *kv = &conf->kafka[i];
                if (kv->scope != DM_KAFKA_BOTH && scope != DM_KAFKA_BOTH && kv->scope != scope)
                        continue;
                if ((rc = cb(kv->key, kv->value, opaque)))
                        return rc;
        }
        return 0;
}

const char *dm_config_kafka_get(const dm_config_t *conf, dm_kafka_scope_t scope, const char *key)
{
        const char *v = NULL;
        size_t i;
        /* Later entries win, as they do when applied in order. */
        for (i = 0; i < conf->kafka_count; i++) {
                const dm_config_kv_t *kv = &conf->kafka[i];
                if (kv->scope != DM_KAFKA_BOTH && scope != DM_KAFKA_BOTH && kv->scope != scope)
                        continue;
                if (!strcmp(kv->key, key))
                        v = kv->value;
        }
        return v;
}

void dm_config_dump(const dm_config_t *conf, FILE *out)
{
        const char *base = (const char *)&conf->settings;
        size_t i;
        for (i = 0; i < dm_config_table_size; i++) {
                const dm_config_entry_t *e = &dm_config_table[i];
                if (e->type == DM_CONFIG_INT || e->type == DM_CONFIG_BOOL)
                        fprintf(out, "%s = %lld\n", e->name,
                                (long long)*(const int64_t *)(base + e->offset));
                else
                        fprintf(out, "%s = %s\n", e->name, *(char *const *)(base + e->offset));
        }
        for (i = 0; i < conf->kafka_count; i++) {
                const dm_config_kv_t *kv = &conf->kafka[i];
                const char *prefix = kv->scope == DM_KAFKA_BOTH       ? "kafka."
                                     : kv->scope == DM_KAFKA_CONSUMER ? "kafka.consumer."
                                                                      : "kafka.producer.";
                /* Secrets must not end up in terminals or logs. */
                int secret = strstr(kv->key, "password") || strstr(kv->key, "secret") ||
                             strstr(kv->key, ".key");
                fprintf(out, "%s%s = %s\n", prefix, kv->key, secret ? "(hidden)" : kv->value);
        }
}

void dm_config_print_help(FILE *out)
{
        size_t i;
        fprintf(out, "Configuration keys (file lines \"key = value\", # comments):\n");
        for (i = 0; i < dm_config_table_size; i++) {
                const dm_config_entry_t *e = &dm_config_table[i];
                fprintf(out, "  %-24s %s (default \"%s\"", e->name,
                        e->type == DM_CONFIG_INT    ? "integer"
                        : e->type == DM_CONFIG_BOOL ? "boolean"
                        : e->type == DM_CONFIG_ENUM ? e->choices
                                                    : "string",
                        e->def);
                if (e->type == DM_CONFIG_INT)
                        fprintf(out, ", %lld..%lld", (long long)e->min, (long long)e->max);
                fprintf(out, ")\n      %s\n", e->description);
        }
        fprintf(out,
                "  %-24s passed to librdkafka (both clients, or the one it applies to);\n"
                "      kafka.consumer.* and kafka.producer.* target one client.\n",
                "kafka.<property>");
}

void dm_config_write_doc(FILE *out)
{
        size_t i;
        fprintf(
            out,
            "# Configuration\n\n"
            "Generated from the table in `daemon/runtime/dm_config.c` by `demarche config-doc`; a "
            "test fails\nwhen this file and the table differ.\n\n"
            "`demarched --config FILE` reads `key = value` lines; `#` starts a comment line, "
            "values may be\nquoted to keep surrounding spaces. Unknown keys and bad values "
            "are errors reported as\n`file:line`, all of them at once (`demarche check-config "
            "FILE`). Environment variables\n`DEMARCHE_<KEY>` (upper case, dots as "
            "underscores) override the file, e.g.\n`DEMARCHE_INPUT_TOPIC`, "
            "`DEMARCHE_KAFKA_BOOTSTRAP_SERVERS`. Integers accept the suffixes `k`, `M`,\n"
            "`G` (binary). In file values, `${NAME}` expands to an environment variable (e.g.\n"
            "`${CREDENTIALS_DIRECTORY}/client.key` under systemd's `LoadCredential=`), "
            "`${file:PATH}` to\nthe contents of a file without its final newline (a "
            "password kept out of the config), `${cred:NAME}`\nto the contents of the "
            "systemd credential `NAME` likewise (`$CREDENTIALS_DIRECTORY/NAME`, from the "
            "unit's\n`LoadCredential=` or `SetCredential=`), and `$$` to `$`; an unset "
            "variable, unreadable file\nor missing credential is an error.\n\n"
            "| key | type | default | range / values | description |\n"
            "|---|---|---|---|---|\n");
        for (i = 0; i < dm_config_table_size; i++) {
                const dm_config_entry_t *e = &dm_config_table[i];
                fprintf(out, "| `%s` | %s | %s%s%s | ", e->name,
                        e->type == DM_CONFIG_INT    ? "integer"
                        : e->type == DM_CONFIG_BOOL ? "boolean"
                        : e->type == DM_CONFIG_ENUM ? "enum"
                                                    : "string",
                        e->def[0] ? "`" : "", e->def[0] ? e->def : "(empty)", e->def[0] ? "`" : "");
                if (e->type == DM_CONFIG_INT)
                        fprintf(out, "%lld .. %lld", (long long)e->min, (long long)e->max);
                else if (e->type == DM_CONFIG_ENUM)
                        fprintf(out, "%s", e->choices);
                fprintf(out, " | %s |\n", e->description);
        }
        fprintf(out, "\n## Kafka\n\n"
                     "`kafka.<property>` passes `<property>` to librdkafka (checked by librdkafka "
                     "when the file\nis read). Properties that belong to one client only "
                     "(`group.id`, `auto.offset.reset`, ... for the\nconsumer; `acks`, "
                     "`linger.ms`, `compression.type`, ... for the producer) go to that client;\n"
                     "others go to both. `kafka.consumer.<property>` and "
                     "`kafka.producer.<property>` address one\nclient explicitly. Defaults set by "
                     "demarche:\n\n");
        for (i = 0; i < sizeof(dm_config_kafka_defaults) / sizeof(dm_config_kafka_defaults[0]); i++)
                fprintf(out, "- `kafka.%s = %s`\n", dm_config_kafka_defaults[i][0],
                        dm_config_kafka_defaults[i][1]);
        fprintf(out, "\nAlways set by demarche, whatever the file says: "
                     "`enable.auto.offset.store = false` and\n`enable.auto.commit = true` on the "
                     "consumer (offsets are stored only after every output of\nan article is "
                     "delivered), `statistics.interval.ms = 5000` unless set (for lag and "
                     "round-trip\nmetrics).\n");
}

int dm_config_check(const char *path, int dump, FILE *out, FILE *err)
{
        dm_config_t *conf = dm_config_new();
        char errs[8192] = "";
        int n = 0, rc;
        if (path)
                n += dm_config_load_file(conf, path, errs, sizeof(errs));
        if (n == 0)
                n += dm_config_load_env(conf, errs, sizeof(errs));
        if (n) {
                fprintf(err, "%s\n%d problem%s found\n", errs, n, n == 1 ? "" : "s");
                rc = 1;
        } else {
                if (dump)
                        dm_config_dump(conf, out);
                fprintf(err, "configuration OK%s%s\n", path ? ": " : "", path ? path : "");
                rc = 0;
        }
        dm_config_destroy(conf);
        return rc;
}
