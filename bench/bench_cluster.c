/* bench_cluster: the clustering stage's per-record work without Kafka, and
 * the rebuild of a store from a compacted changelog.
 *
 *   bench_cluster [EVENTS [KEYS [DIR]]]     default 1000000 events, 20000 keys
 *   bench_cluster --produce BROKERS TOPIC EVENTS KEYS
 *       fills a repartition topic with EVENTS DiplomaticEvent records over
 *       KEYS cluster keys, as the workers write them (for
 *       bench/bench_cluster_kafka.sh, which times the stage on a broker)
 *
 * Throughput: for each event, what dm_cluster_batch_process does (decode
 * the DiplomaticEvent record, read the key's state from the LMDB store,
 * count the event, write the state back), and per batch of 20,000 records
 * what dm_cluster_batch_flush does short of Kafka (encode an EventCluster
 * record and the changelog value of every changed key, commit the store).
 * Events are spread over KEYS cluster keys and 50 outlets; every tenth is a
 * re-sent one (same event id). Restore: the final states (a compacted
 * changelog: one record per key) put into an empty store and scanned, as
 * dm_cluster_batch_restore does after the changelog is read; reading the
 * changelog from the broker is not included. Prints the figures; the store
 * lives under DIR (default a fresh /tmp directory, removed at the end). */
#include "cluster/dm_cluster.h"
#include "cluster/dm_cluster_store.h"
#include "demarche/dm_avro.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_mem.h"
#include "output/dm_avro_brief.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DM_BENCH_BATCH 20000

static double dm_bench_wall(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void dm_bench_die(const char *what, const char *err)
{
        fprintf(stderr, "bench_cluster: %s: %s\n", what, err);
        exit(1);
}

/* The per-key record of one batch, as the flush publishes it. */
static void dm_bench_publish(dm_avro_encoder_t *enc, dm_cluster_store_t *st, char **keys, size_t n,
                             dm_buf_t *val, dm_buf_t *rec, dm_cluster_state_t *s)
{
        char err[256], id[33];
        dm_cluster_record_t r;
        size_t i;

        for (i = 0; i < n; i++) {
                if (dm_cluster_store_get(st, keys[i], strlen(keys[i]), val, err, sizeof(err)) !=
                        1 ||
                    dm_cluster_state_decode(s, val->data, val->len, err, sizeof(err)))
                        dm_bench_die("publish", err);
                dm_cluster_id(keys[i], strlen(keys[i]), id);
                memset(&r, 0, sizeof(r));
                r.cluster_id = id;
                r.cluster_key = keys[i];
                r.cameo_root = s->cameo_root;
                r.mentions = s->mentions;
                r.articles = s->articles;
                r.sources = s->sources;
                r.article_ids = (const char *const *)s->article_ids;
                r.article_id_count = s->article_id_n;
                r.trigger = dm_cluster_tally_top(s->triggers, s->trigger_n);
                if (dm_avro_encode_cluster(enc, &r, rec, err, sizeof(err)))
                        dm_bench_die("encode", err);
                s->emitted_seq = s->seq;
                dm_cluster_state_encode(s, val);
                if (dm_cluster_store_put(st, keys[i], strlen(keys[i]), val->data, val->len, err,
                                         sizeof(err)))
                        dm_bench_die("put", err);
        }
}

static int dm_bench_strcmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct dm_bench_copy {
        dm_cluster_store_t *to;
        long n;
} dm_bench_copy_t;

static int dm_bench_copy_cb(const char *key, size_t key_len, const void *val, size_t val_len,
                            void *opaque)
{
        dm_bench_copy_t *c = opaque;
        char err[256];

        if (dm_cluster_store_put(c->to, key, key_len, val, val_len, err, sizeof(err)))
                dm_bench_die("restore put", err);
        c->n++;
        return 0;
}

static int dm_bench_scan_cb(const char *key, size_t key_len, const void *val, size_t val_len,
                            void *opaque)
{
        dm_cluster_state_t *s = opaque;
        char err[256];

        if (dm_cluster_state_decode(s, val, val_len, err, sizeof(err)))
                dm_bench_die("restore scan", err);
        return 0;
}

/* The same events as the in-process run, as records on a topic. */
/* One event of the benchmark: RUSGOV meets CHNGOV, added to r. */
static dm_event_t *dm_bench_event(dm_result_t *r)
{
        dm_event_t *ev = dm_result_add_event(r);
        ev->source.code = dm_strdup("RUSGOV");
        ev->source.country = dm_strdup("RUS");
        ev->target.code = dm_strdup("CHNGOV");
        ev->target.country = dm_strdup("CHN");
        ev->cameo_code = dm_strdup("040");
        ev->cameo_root = dm_strdup("04");
        ev->trigger = dm_strdup("met");
        ev->mentions = 1;
        return ev;
}

static int dm_bench_produce(const char *brokers, const char *topic, long events, long keys)
{
        dm_cluster_key_opts_t ko = {DM_CLUSTER_LEVEL_ACTOR, 0};
        char err[512], outlet[32], src[32];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        dm_avro_encoder_t *enc;
        dm_avro_t *avro;
        rd_kafka_t *rk;
        dm_result_t r;
        dm_event_t *ev;
        dm_buf_t key, val;
        long i;
        double t0;

        if (rd_kafka_conf_set(kc, "bootstrap.servers", brokers, err, sizeof(err)) ||
            rd_kafka_conf_set(kc, "linger.ms", "50", err, sizeof(err)) ||
            rd_kafka_conf_set(kc, "compression.type", "lz4", err, sizeof(err)) ||
            !(rk = rd_kafka_new(RD_KAFKA_PRODUCER, kc, err, sizeof(err))))
                dm_bench_die("producer", err);
        if (!(avro = dm_avro_new(err, sizeof(err))))
                dm_bench_die("avro", err);
        enc = dm_avro_encoder_new(avro);
        dm_buf_init(&key);
        dm_buf_init(&val);
        dm_result_init(&r);
        ev = dm_bench_event(&r);
        t0 = dm_bench_wall();
        for (i = 0; i < events; i++) {
                long a = i - (i % 10 == 9 ? 5 : 0), k = (a * 7919 + a / 10) % keys;
                rd_kafka_resp_err_t kerr;

                free(r.article_id);
                r.article_id = dm_asprintf("a%ld", a);
                /* Keys within one week, so that the stage's window keeps them
                 * all; the source side tells the rest apart. */
                r.published_ms = 1796320800000LL - (k % 7) * 86400000LL;
                if (dm_avro_encode_event(enc, &r, 0, &val, err, sizeof(err)))
                        dm_bench_die("encode", err);
                snprintf(src, sizeof(src), "S%ld", k / 7);
                dm_cluster_key_build(&ko, src, NULL, "CHNGOV", "CHN", "040", "04", r.published_ms,
                                     &key);
                snprintf(outlet, sizeof(outlet), "outlet%ld", a % 50);
                do {
                        kerr = rd_kafka_producev(
                            rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY(key.data, key.len),
                            RD_KAFKA_V_VALUE(val.data, val.len),
                            RD_KAFKA_V_HEADER("demarche.outlet", outlet, -1),
                            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
                        if (kerr == RD_KAFKA_RESP_ERR__QUEUE_FULL)
                                rd_kafka_poll(rk, 100);
                } while (kerr == RD_KAFKA_RESP_ERR__QUEUE_FULL);
                if (kerr)
                        dm_bench_die("produce", rd_kafka_err2str(kerr));
                rd_kafka_poll(rk, 0);
        }
        if (rd_kafka_flush(rk, 120000))
                dm_bench_die("flush", "timed out");
        printf("produced %ld DiplomaticEvent records over %ld keys to %s in %.1f s\n", events, keys,
               topic, dm_bench_wall() - t0);
        rd_kafka_destroy(rk);
        dm_result_clear(&r);
        dm_buf_free(&key);
        dm_buf_free(&val);
        dm_avro_encoder_destroy(enc);
        dm_avro_destroy(avro);
        return 0;
}

int main(int argc, char **argv)
{
        long events = argc > 1 ? atol(argv[1]) : 1000000, keys = argc > 2 ? atol(argv[2]) : 20000;
        char tmpl[] = "/tmp/dm_bench_cluster_XXXXXX", dir[4200], dir2[4200], err[256];
        const char *base = argc > 3 ? argv[3] : NULL;
        dm_cluster_key_opts_t ko = {DM_CLUSTER_LEVEL_COUNTRY, 0};
        dm_cluster_limits_t lim = {10000, 20, 16};
        dm_avro_t *avro;
        dm_avro_encoder_t *enc;
        dm_avro_brief_reader_t *rd;
        dm_event_brief_t brief;
        dm_cluster_store_t *st, *st2;
        dm_cluster_state_t s;
        dm_cluster_input_t in;
        dm_buf_t key, val, rec, evbuf;
        dm_result_t r;
        dm_event_t *ev;
        char **batch_keys;
        size_t nbatch = 0;
        char evid[64], artid[64], outlet[32], cmd[8500];
        double t0, t1, t2;
        long i, counted = 0, dup = 0, changelog = 0;
        dm_bench_copy_t copy;

        if (argc == 6 && !strcmp(argv[1], "--produce"))
                return dm_bench_produce(argv[2], argv[3], atol(argv[4]), atol(argv[5]));
        if (events <= 0 || keys <= 0) {
                fprintf(stderr, "usage: bench_cluster [EVENTS [KEYS [DIR]]]\n");
                return 2;
        }
        if (!base && !mkdtemp(tmpl))
                dm_bench_die("mkdtemp", tmpl);
        snprintf(dir, sizeof(dir), "%s/p0", base ? base : tmpl);
        snprintf(dir2, sizeof(dir2), "%s/p0-restored", base ? base : tmpl);
        if (!(avro = dm_avro_new(err, sizeof(err))))
                dm_bench_die("avro", err);
        enc = dm_avro_encoder_new(avro);
        rd = dm_avro_brief_reader_new(avro);
        if (!(st = dm_cluster_store_open(dir, (size_t)8 << 30, err, sizeof(err))))
                dm_bench_die("store", err);
        memset(&brief, 0, sizeof(brief));
        dm_cluster_state_init(&s);
        dm_buf_init(&key);
        dm_buf_init(&val);
        dm_buf_init(&rec);
        dm_buf_init(&evbuf);
        batch_keys = dm_calloc(DM_BENCH_BATCH, sizeof(char *));

        /* One DiplomaticEvent record, decoded per event as the stage does. */
        dm_result_init(&r);
        r.article_id = dm_strdup("bench-article");
        r.published_ms = 1796284800000LL;
        ev = dm_bench_event(&r);
        if (dm_avro_encode_event(enc, &r, 0, &evbuf, err, sizeof(err)))
                dm_bench_die("event", err);

        t0 = dm_bench_wall();
        for (i = 0; i < events; i++) {
                /* Every tenth event re-sends the article of five events back,
                 * which went to the same key. */
                long a = i - (i % 10 == 9 ? 5 : 0), k = (a * 7919 + a / 10) % keys;
                int found;

                if (dm_avro_brief_decode(rd, evbuf.data, evbuf.len, &brief, err, sizeof(err)))
                        dm_bench_die("decode", err);
                /* Distinct keys: the day moves by key so that they differ. */
                dm_cluster_key_build(&ko, brief.source_code, brief.source_country,
                                     brief.target_code, brief.target_country, brief.cameo_code,
                                     brief.cameo_root, brief.published_ms - k * 86400000LL, &key);
                snprintf(artid, sizeof(artid), "a%ld", a);
                snprintf(evid, sizeof(evid), "a%ld:0", a);
                snprintf(outlet, sizeof(outlet), "outlet%ld", a % 50);
                memset(&in, 0, sizeof(in));
                in.event_id = evid;
                in.article_id = artid;
                in.outlet = outlet;
                in.cameo_code = brief.cameo_code;
                in.cameo_root = brief.cameo_root;
                in.trigger = brief.trigger;
                in.mentions = brief.mentions;
                in.seen_ms = brief.published_ms;
                if (dm_cluster_store_begin(st, err, sizeof(err)))
                        dm_bench_die("begin", err);
                found = dm_cluster_store_get(st, key.data, key.len, &val, err, sizeof(err));
                if (found < 0)
                        dm_bench_die("get", err);
                if (found)
                        dm_cluster_state_decode(&s, val.data, val.len, err, sizeof(err));
                else
                        dm_cluster_state_clear(&s);
                if (dm_cluster_state_apply(&s, &in, &lim)) {
                        counted++;
                        dm_cluster_state_encode(&s, &val);
                        if (dm_cluster_store_put(st, key.data, key.len, val.data, val.len, err,
                                                 sizeof(err)))
                                dm_bench_die("put", err);
                        batch_keys[nbatch++] = dm_strdup(key.data);
                } else {
                        dup++;
                }
                if (nbatch == DM_BENCH_BATCH || i == events - 1) {
                        size_t j, m = 0;
                        /* One record per changed key, as the flush merges them. */
                        qsort(batch_keys, nbatch, sizeof(char *), dm_bench_strcmp);
                        for (j = 0; j < nbatch; j++) {
                                if (m > 0 && !strcmp(batch_keys[m - 1], batch_keys[j])) {
                                        free(batch_keys[j]);
                                        continue;
                                }
                                batch_keys[m++] = batch_keys[j];
                        }
                        dm_bench_publish(enc, st, batch_keys, m, &val, &rec, &s);
                        changelog += (long)m;
                        for (j = 0; j < m; j++)
                                free(batch_keys[j]);
                        nbatch = 0;
                        if (dm_cluster_store_commit(st, err, sizeof(err)))
                                dm_bench_die("commit", err);
                }
        }
        t1 = dm_bench_wall();
        printf("clustering: %ld events (%ld counted, %ld re-sent) into %lld keys in %.2f s: %.0f "
               "events/s; %ld changelog records; store %.1f MB\n",
               events, counted, dup, (long long)dm_cluster_store_entries(st), t1 - t0,
               (double)events / (t1 - t0), changelog,
               (double)dm_cluster_store_bytes(st) / (1 << 20));

        /* Restore from the compacted changelog: one put per key, then the
         * scan for keys still to publish. */
        if (!(st2 = dm_cluster_store_open(dir2, (size_t)8 << 30, err, sizeof(err))))
                dm_bench_die("store", err);
        copy.to = st2;
        copy.n = 0;
        t1 = dm_bench_wall();
        if (dm_cluster_store_begin(st2, err, sizeof(err)) ||
            dm_cluster_store_foreach(st, dm_bench_copy_cb, &copy, err, sizeof(err)) ||
            dm_cluster_store_commit(st2, err, sizeof(err)) ||
            dm_cluster_store_foreach(st2, dm_bench_scan_cb, &s, err, sizeof(err)))
                dm_bench_die("restore", err);
        t2 = dm_bench_wall();
        printf("restore: %ld states (compacted changelog) into an empty store and scanned in "
               "%.2f s\n",
               copy.n, t2 - t1);

        dm_cluster_store_close(st);
        dm_cluster_store_close(st2);
        dm_cluster_state_clear(&s);
        dm_avro_brief_clear(&brief);
        dm_avro_brief_reader_destroy(rd);
        dm_avro_encoder_destroy(enc);
        dm_avro_destroy(avro);
        dm_result_clear(&r);
        dm_buf_free(&key);
        dm_buf_free(&val);
        dm_buf_free(&rec);
        dm_buf_free(&evbuf);
        free(batch_keys);
        if (!base) {
                snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
                if (system(cmd) != 0)
                        fprintf(stderr, "bench_cluster: could not remove %s\n", tmpl);
        }
        return 0;
}
