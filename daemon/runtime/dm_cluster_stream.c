/* The clustering stage's Kafka side; see dm_cluster_stream.h and
 * docs/CLUSTERS.md. Kafka clients, rebalances, the thread and the API here;
 * counting and publishing in dm_cluster_batch.c. Everything below
 * dm_cluster_stream_new runs on the stage's thread, except _start, _stop and
 * _destroy. */
#include "runtime/dm_cluster_stream.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_cluster_batch.h"
#include "runtime/dm_cluster_stream_int.h"

#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- Kafka clients -------------------------------------------------- */

typedef struct dm_cs_confctx {
        rd_kafka_conf_t *kc;
        char *errstr;
        size_t errstr_size;
} dm_cs_confctx_t;

static int dm_cs_conf_set(const char *key, const char *value, void *opaque)
{
        dm_cs_confctx_t *c = opaque;
        char err[256];

        if (rd_kafka_conf_set(c->kc, key, value, err, sizeof(err)) != RD_KAFKA_CONF_OK) {
                snprintf(c->errstr, c->errstr_size, "kafka.%s: %s", key, err);
                return -1;
        }
        return 0;
}

static void dm_cs_dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
        dm_cluster_stream_t *cs = opaque;
        char kv[160];

        if (!m->err)
                return;
        atomic_fetch_add(&cs->delivery_failures, 1);
        snprintf(kv, sizeof(kv), "topic=%s", rd_kafka_topic_name(m->rkt));
        dm_metrics_kafka_error(DM_STAGE_PRODUCE, m->err);
        DM_LOGKV(DM_LOG_LEVEL_ERROR, "cluster", kv,
                 "delivery failed, the batch is produced again: %s", rd_kafka_err2str(m->err));
}

static void dm_cs_error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
        dm_cluster_stream_t *cs = opaque;

        if (err == RD_KAFKA_RESP_ERR__FATAL) {
                char fatal[512];
                rd_kafka_fatal_error(rk, fatal, sizeof(fatal));
                /* The pipeline is told; the thread stops at its next poll. */
                dm_cluster_batch_fatal(cs, fatal);
                return;
        }
        DM_LOG_WARN("cluster", "%s: %s", rd_kafka_name(rk), reason);
}

static void dm_cs_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t *parts, void *opaque);

/* kind: 0 group consumer, 1 producer, 2 restore consumer (assign only). */
static rd_kafka_t *dm_cs_client(dm_cluster_stream_t *cs, int kind, char *errstr, size_t errstr_size)
{
        static const char *const ids[] = {"demarche-cluster", "demarche-cluster-producer",
                                          "demarche-cluster-restore"};
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        dm_cs_confctx_t c = {kc, errstr, errstr_size};
        const char *group = cs->s->cluster_group_id;
        char err[512], gid[512];
        rd_kafka_t *rk;

        rd_kafka_conf_set(kc, "client.id", ids[kind], NULL, 0);
        if (dm_config_kafka_foreach(cs->conf, kind == 1 ? DM_KAFKA_PRODUCER : DM_KAFKA_CONSUMER,
                                    dm_cs_conf_set, &c))
                goto fail;
        if (cs->bootstrap && dm_cs_conf_set("bootstrap.servers", cs->bootstrap, &c))
                goto fail;
        if (kind != 1) {
                if (!group[0]) {
                        const char *g =
                            dm_config_kafka_get(cs->conf, DM_KAFKA_CONSUMER, "group.id");
                        snprintf(gid, sizeof(gid), "%s-cluster%s", g ? g : "demarche",
                                 kind == 2 ? "-restore" : "");
                } else {
                        snprintf(gid, sizeof(gid), "%s%s", group, kind == 2 ? "-restore" : "");
                }
                /* Offsets are committed by us after delivery; the eager
                 * strategy gives whole assignments, restored before use;
                 * aborted repartition records (exactly-once input side) are
                 * never seen. */
                if (dm_cs_conf_set("group.id", gid, &c) ||
                    dm_cs_conf_set("enable.auto.commit", "false", &c) ||
                    dm_cs_conf_set("enable.auto.offset.store", "false", &c) ||
                    dm_cs_conf_set("partition.assignment.strategy", "range", &c) ||
                    dm_cs_conf_set("isolation.level", "read_committed", &c) ||
                    dm_cs_conf_set("auto.offset.reset", "earliest", &c))
                        goto fail;
                if (kind == 0)
                        rd_kafka_conf_set_rebalance_cb(kc, dm_cs_rebalance_cb);
                /* A restore waits for each fetch: do not let the broker hold
                 * it for the default half second at the changelog's end. */
                else if (dm_cs_conf_set("fetch.wait.max.ms", "10", &c) ||
                         dm_cs_conf_set("enable.partition.eof", "true", &c))
                        goto fail;
        } else {
                if (dm_cs_conf_set("enable.idempotence", "true", &c))
                        goto fail;
                if (cs->eos) {
                        /* Unique per instance and stable across its restarts,
                         * like the main producer's, which it extends. */
                        char host[256];
                        if (cs->s->transactional_id[0]) {
                                snprintf(gid, sizeof(gid), "%s-cluster", cs->s->transactional_id);
                        } else {
                                if (gethostname(host, sizeof(host)))
                                        snprintf(host, sizeof(host), "localhost");
                                snprintf(gid, sizeof(gid), "demarche-%s-%s-cluster", host,
                                         cs->s->input_topic);
                        }
                        if (dm_cs_conf_set("transactional.id", gid, &c))
                                goto fail;
                }
                rd_kafka_conf_set_dr_msg_cb(kc, dm_cs_dr_cb);
        }
        rd_kafka_conf_set_log_cb(
            kc, (void (*)(const rd_kafka_t *, int, const char *, const char *))dm_log_rdkafka_cb);
        rd_kafka_conf_set_error_cb(kc, dm_cs_error_cb);
        rd_kafka_conf_set_opaque(kc, cs);
        rk = rd_kafka_new(kind == 1 ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, kc, err, sizeof(err));
        if (!rk) {
                snprintf(errstr, errstr_size, "cannot create the %s: %s", ids[kind], err);
                goto fail;
        }
        return rk; /* rd_kafka_new took kc */

fail:
        rd_kafka_conf_destroy(kc);
        return NULL;
}

/* ---- rebalances ----------------------------------------------------- */

static int dm_cs_assign(dm_cluster_stream_t *cs, rd_kafka_topic_partition_list_t *parts)
{
        char dir[4096], err[512];
        int i, rc;

        for (i = 0; i < parts->cnt; i++) {
                dm_cluster_part_t *p;
                dm_grow((void **)&cs->parts, &cs->parts_cap, cs->nparts + 1, sizeof(*cs->parts));
                p = &cs->parts[cs->nparts];
                memset(p, 0, sizeof(*p));
                p->partition = parts->elems[i].partition;
                p->next_offset = -1;
                p->stream_day = -1;
                snprintf(dir, sizeof(dir), "%s/%s-%d", cs->s->cluster_state_dir,
                         parts->elems[i].topic, (int)p->partition);
                p->store = dm_cluster_store_open(dir, (size_t)cs->s->cluster_state_max_bytes, err,
                                                 sizeof(err));
                if (!p->store) {
                        dm_cluster_batch_fatal(cs, err);
                        return -1;
                }
                cs->nparts++;
                rc = dm_cluster_batch_restore(cs, p, err, sizeof(err));
                if (rc == -2) {
                        DM_LOG_INFO("cluster", "partition %d: %s", (int)p->partition, err);
                        return -1;
                }
                if (rc) {
                        dm_cluster_batch_fatal(cs, err);
                        return -1;
                }
        }
        dm_cluster_batch_gauges(cs);
        return 0;
}

/* Every pending record is published and delivered, then each store gets
 * a checkpoint (the changelog's end, which it now matches) and is closed. */
static void dm_cs_revoke(dm_cluster_stream_t *cs)
{
        char err[512];
        size_t i;

        if (!cs->fatal) {
                dm_cluster_batch_flush(cs, 1);
                rd_kafka_flush(cs->producer, 10000);
        }
        for (i = 0; i < cs->nparts; i++) {
                dm_cluster_part_t *p = &cs->parts[i];
                int64_t low = 0, high = -1;
                if (!cs->fatal && rd_kafka_outq_len(cs->producer) == 0 &&
                    !rd_kafka_query_watermark_offsets(cs->restorer, cs->s->cluster_changelog_topic,
                                                      p->partition, &low, &high, 10000) &&
                    (dm_cluster_store_begin(p->store, err, sizeof(err)) ||
                     dm_cluster_store_meta_set(p->store, "checkpoint", high, err, sizeof(err)) ||
                     dm_cluster_store_commit(p->store, err, sizeof(err)) ||
                     dm_cluster_store_sync(p->store, err, sizeof(err))))
                        DM_LOG_WARN("cluster",
                                    "partition %d: no checkpoint (%s): the next owner "
                                    "restores it from the changelog's beginning",
                                    (int)p->partition, err);
                dm_cluster_store_close(p->store);
        }
        cs->nparts = 0;
        dm_cluster_batch_items_free(cs->pending, cs->npending);
        cs->npending = 0;
        dm_cluster_batch_gauges(cs);
}

static void dm_cs_rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err,
                               rd_kafka_topic_partition_list_t *parts, void *opaque)
{
        dm_cluster_stream_t *cs = opaque;

        dm_metrics_add(DM_M_REBALANCES, 1);
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
                DM_LOG_INFO("cluster", "%d partition(s) of %s assigned: restoring their state",
                            parts->cnt, cs->s->cluster_repartition_topic);
                if (dm_cs_assign(cs, parts))
                        return;
                rd_kafka_assign(rk, parts);
        } else {
                DM_LOG_INFO("cluster", "%d partition(s) revoked", parts->cnt);
                dm_cs_revoke(cs);
                rd_kafka_assign(rk, NULL);
        }
}

/* ---- the thread and the API ----------------------------------------- */

static void *dm_cs_main(void *arg)
{
        dm_cluster_stream_t *cs = arg;
        rd_kafka_topic_partition_list_t *topics;
        rd_kafka_resp_err_t err;

        while (cs->schema_ready && !atomic_load(cs->schema_ready) && !atomic_load(&cs->stop))
                usleep(100000);
        if (atomic_load(&cs->stop))
                return NULL;
        if (cs->eos) {
                /* Fences an earlier run with the same transactional.id and
                 * aborts its open transaction. */
                rd_kafka_error_t *e = rd_kafka_init_transactions(cs->producer, 60000);
                if (e) {
                        char msg[512];
                        snprintf(msg, sizeof(msg), "init_transactions: %s",
                                 rd_kafka_error_string(e));
                        rd_kafka_error_destroy(e);
                        dm_cluster_batch_fatal(cs, msg);
                        return NULL;
                }
        }
        topics = rd_kafka_topic_partition_list_new(1);
        rd_kafka_topic_partition_list_add(topics, cs->s->cluster_repartition_topic,
                                          RD_KAFKA_PARTITION_UA);
        err = rd_kafka_subscribe(cs->consumer, topics);
        rd_kafka_topic_partition_list_destroy(topics);
        if (err) {
                dm_cluster_batch_fatal(cs, rd_kafka_err2str(err));
                return NULL;
        }
        DM_LOG_INFO("cluster", "clustering %s -> %s (changelog %s)",
                    cs->s->cluster_repartition_topic, cs->s->cluster_output_topic,
                    cs->s->cluster_changelog_topic);
        cs->last_flush_ms = dm_cluster_batch_now_ms();
        while (!atomic_load(&cs->stop)) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(cs->consumer, 100);
                if (m) {
                        if (!m->err)
                                dm_cluster_batch_process(cs, m);
                        else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
                                DM_LOG_WARN("cluster", "consume: %s", rd_kafka_message_errstr(m));
                        rd_kafka_message_destroy(m);
                }
                rd_kafka_poll(cs->producer, 0);
                if (!cs->fatal && (cs->batch_records >= DM_CS_BATCH_MAX ||
                                   dm_cluster_batch_now_ms() - cs->last_flush_ms >=
                                       cs->s->cluster_commit_interval_ms))
                        dm_cluster_batch_flush(cs, 0);
        }
        /* Closing revokes the assignment: the rebalance callback publishes,
         * commits and checkpoints. */
        rd_kafka_consumer_close(cs->consumer);
        return NULL;
}

dm_cluster_stream_t *dm_cluster_stream_new(const dm_cluster_stream_opts_t *o, char *errstr,
                                           size_t errstr_size)
{
        dm_cluster_stream_t *cs = dm_calloc(1, sizeof(*cs));

        cs->conf = o->conf;
        cs->s = dm_config_settings(o->conf);
        cs->avro = o->avro;
        cs->bootstrap = dm_strdup_or_null(o->bootstrap_override);
        cs->schema_id = o->schema_id;
        cs->schema_ready = o->schema_ready;
        cs->fatal_cb = o->fatal_cb;
        cs->opaque = o->opaque;
        cs->eos = !strcmp(cs->s->delivery_mode, "exactly-once");
        if (dm_cluster_level_parse(cs->s->cluster_key_level, &cs->key_opts.level) ||
            dm_cluster_code_parse(cs->s->cluster_key_code, &cs->key_opts.root_only)) {
                snprintf(errstr, errstr_size, "cluster.key.level or cluster.key.code: bad value");
                goto fail;
        }
        cs->lim.max_seen = (size_t)cs->s->cluster_max_seen;
        cs->lim.max_article_ids = (size_t)cs->s->cluster_max_article_ids;
        cs->lim.max_tally = 16;
        if (!(cs->consumer = dm_cs_client(cs, 0, errstr, errstr_size)) ||
            !(cs->producer = dm_cs_client(cs, 1, errstr, errstr_size)) ||
            !(cs->restorer = dm_cs_client(cs, 2, errstr, errstr_size)))
                goto fail;
        rd_kafka_poll_set_consumer(cs->consumer);
        cs->enc = dm_avro_encoder_new(cs->avro);
        cs->reader = dm_avro_brief_reader_new(cs->avro);
        dm_avro_brief_clear(&cs->brief);
        dm_cluster_state_init(&cs->st);
        dm_buf_init(&cs->buf);
        dm_buf_init(&cs->val);
        dm_buf_init(&cs->key);
        return cs;

fail:
        dm_cluster_stream_destroy(cs);
        return NULL;
}

int dm_cluster_stream_start(dm_cluster_stream_t *cs, char *errstr, size_t errstr_size)
{
        if (pthread_create(&cs->thread, NULL, dm_cs_main, cs)) {
                snprintf(errstr, errstr_size, "cannot start the clustering thread");
                return -1;
        }
        cs->started = 1;
        return 0;
}

void dm_cluster_stream_stop(dm_cluster_stream_t *cs)
{
        if (!cs || !cs->started)
                return;
        atomic_store(&cs->stop, 1);
        pthread_join(cs->thread, NULL);
        cs->started = 0;
}

void dm_cluster_stream_destroy(dm_cluster_stream_t *cs)
{
        if (!cs)
                return;
        dm_cluster_stream_stop(cs);
        if (cs->consumer)
                rd_kafka_destroy(cs->consumer);
        if (cs->restorer)
                rd_kafka_destroy(cs->restorer);
        if (cs->producer) {
                rd_kafka_flush(cs->producer, 5000);
                rd_kafka_destroy(cs->producer);
        }
        dm_avro_encoder_destroy(cs->enc);
        dm_avro_brief_reader_destroy(cs->reader);
        if (cs->reader || cs->enc) {
                dm_avro_brief_clear(&cs->brief);
                dm_cluster_state_clear(&cs->st);
                dm_buf_free(&cs->buf);
                dm_buf_free(&cs->val);
                dm_buf_free(&cs->key);
        }
        dm_cluster_batch_items_free(cs->batch, cs->nbatch);
        free(cs->batch);
        dm_cluster_batch_items_free(cs->pending, cs->npending);
        free(cs->pending);
        free(cs->parts);
        free(cs->bootstrap);
        free(cs);
}
