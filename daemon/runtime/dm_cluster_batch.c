/* The clustering stage's counting, publishing and restoring; see
 * dm_cluster_batch.h. Stage thread only. */
#include "runtime/dm_cluster_batch.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_metrics.h"

#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

int64_t dm_cluster_batch_now_ms(void)
{
        struct timeval tv;

        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void dm_cluster_batch_fatal(dm_cluster_stream_t *cs, const char *msg)
{
        DM_LOG_FATAL("cluster", "%s: the clustering stage stops", msg);
        /* Once, from whichever thread comes first. */
        if (!atomic_exchange(&cs->fatal, 1) && cs->fatal_cb)
                cs->fatal_cb(cs->opaque);
        atomic_store(&cs->stop, 1);
}

/* ---- partitions ------------------------------------------------------- */

dm_cluster_part_t *dm_cluster_batch_part(dm_cluster_stream_t *cs, int32_t partition)
{
        size_t i;

        for (i = 0; i < cs->nparts; i++)
                if (cs->parts[i].partition == partition)
                        return &cs->parts[i];
        return NULL;
}

void dm_cluster_batch_gauges(dm_cluster_stream_t *cs)
{
        int64_t keys = 0, bytes = 0, n;
        size_t i;

        for (i = 0; i < cs->nparts; i++) {
                n = dm_cluster_store_entries(cs->parts[i].store);
                /* Meta entries (stream day) are not clusters. */
                keys +=
                    n > 0
                        ? n - (dm_cluster_store_meta_get(cs->parts[i].store, "stream_day", -1) >= 0)
                        : 0;
                bytes += dm_cluster_store_bytes(cs->parts[i].store);
        }
        dm_metrics_set(DM_G_CLUSTER_KEYS, keys);
        dm_metrics_set(DM_G_CLUSTER_STORE_BYTES, bytes);
        dm_metrics_set(DM_G_CLUSTER_PARTITIONS, (int64_t)cs->nparts);
}

void dm_cluster_batch_item_add(dm_cluster_item_t **arr, size_t *n, size_t *cap, int32_t partition,
                               const char *key, size_t key_len, int64_t due_ms, int force)
{
        dm_cluster_item_t *it;

        dm_grow((void **)arr, cap, *n + 1, sizeof(**arr));
        it = &(*arr)[(*n)++];
        memset(it, 0, sizeof(*it));
        it->partition = partition;
        it->key = dm_strndup(key, key_len);
        it->due_ms = due_ms;
        it->force = force;
}

void dm_cluster_batch_items_free(dm_cluster_item_t *arr, size_t n)
{
        size_t i;

        for (i = 0; i < n; i++)
                free(arr[i].key);
}

/* ---- restore -------------------------------------------------------- */

typedef struct dm_cs_scan {
        dm_cluster_stream_t *cs;
        int32_t partition;
        int32_t max_day;
        int64_t now;
} dm_cs_scan_t;

/* After a restore: keys whose last change was not published yet (rate
 * limited when the previous owner stopped) become pending, and the newest
 * day gives the stream day. */
static int dm_cs_scan_cb(const char *key, size_t key_len, const void *val, size_t val_len,
                         void *opaque)
{
        dm_cs_scan_t *sc = opaque;
        dm_cluster_stream_t *cs = sc->cs;
        char s[64], t[64], c[64], d[64], err[128];
        int32_t day;

        dm_buf_reset(&cs->key);
        dm_buf_append(&cs->key, key, key_len);
        if (!dm_cluster_key_split(cs->key.data, s, t, c, d, sizeof(s), &day) && day > sc->max_day)
                sc->max_day = day;
        if (dm_cluster_state_decode(&cs->st, val, val_len, err, sizeof(err)))
                return 0;
        if (cs->st.emitted_seq < cs->st.seq)
                dm_cluster_batch_item_add(&cs->pending, &cs->npending, &cs->pending_cap,
                                          sc->partition, key, key_len, sc->now, 0);
        return 0;
}

/* Rebuilds the store of partition p from the changelog: from its checkpoint
 * when it was closed cleanly, else from an empty store and the changelog's
 * beginning. Keys written after the last commit marker are published again
 * (their EventCluster may not have been delivered). */
int dm_cluster_batch_restore(dm_cluster_stream_t *cs, dm_cluster_part_t *p, char *errstr,
                             size_t errstr_size)
{
        int64_t t0 = dm_cluster_batch_now_ms(), from, low = 0, high = 0, n = 0;
        rd_kafka_topic_partition_list_t *tp = NULL;
        dm_cluster_item_t *recent = NULL;
        size_t nrecent = 0, recent_cap = 0, i;
        dm_cs_scan_t sc = {cs, p->partition, -1, 0};
        rd_kafka_resp_err_t err;
        int rc = -1, in_txn = 0;

        from = dm_cluster_store_meta_get(p->store, "checkpoint", -1);
        if (dm_cluster_store_begin(p->store, errstr, errstr_size))
                goto done;
        in_txn = 1;
        if (from < 0 && dm_cluster_store_wipe(p->store, errstr, errstr_size))
                goto done;
        /* From here on the store runs ahead of any checkpoint. */
        if (dm_cluster_store_meta_del(p->store, "checkpoint", errstr, errstr_size))
                goto done;
        err = rd_kafka_query_watermark_offsets(cs->restorer, cs->s->cluster_changelog_topic,
                                               p->partition, &low, &high, 30000);
        if (err) {
                snprintf(errstr, errstr_size, "changelog %s [%d] watermarks: %s",
                         cs->s->cluster_changelog_topic, (int)p->partition, rd_kafka_err2str(err));
                goto done;
        }
        if (from < low)
                from = low;
        if (from < high) {
                tp = rd_kafka_topic_partition_list_new(1);
                rd_kafka_topic_partition_list_add(tp, cs->s->cluster_changelog_topic, p->partition)
                    ->offset = from;
                if ((err = rd_kafka_assign(cs->restorer, tp))) {
                        snprintf(errstr, errstr_size, "restore assign: %s", rd_kafka_err2str(err));
                        goto done;
                }
        }
        while (from < high && !atomic_load(&cs->stop)) {
                rd_kafka_message_t *m = rd_kafka_consumer_poll(cs->restorer, 1000);
                if (!m)
                        continue;
                if (m->err) {
                        /* The end: transaction markers count in the high
                         * watermark but are never delivered, and
                         * read_committed stops at the last stable offset. */
                        if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                                from = high;
                        else
                                DM_LOG_WARN("cluster", "restore: %s", rd_kafka_message_errstr(m));
                        rd_kafka_message_destroy(m);
                        continue;
                }
                from = m->offset + 1;
                if (m->key_len == DM_CS_MARKER_LEN && !memcmp(m->key, DM_CS_MARKER, m->key_len)) {
                        dm_cluster_batch_items_free(recent, nrecent);
                        nrecent = 0;
                } else if (m->key && m->key_len) {
                        if (m->payload)
                                rc = dm_cluster_store_put(p->store, m->key, m->key_len, m->payload,
                                                          m->len, errstr, errstr_size);
                        else
                                rc = dm_cluster_store_del(p->store, m->key, m->key_len, errstr,
                                                          errstr_size);
                        /* Exactly-once: what the changelog holds was committed
                         * with its output; nothing to publish again. */
                        if (m->payload && !cs->eos)
                                dm_cluster_batch_item_add(&recent, &nrecent, &recent_cap,
                                                          p->partition, m->key, m->key_len, 0, 1);
                        if (rc) {
                                rd_kafka_message_destroy(m);
                                goto done;
                        }
                        rc = -1;
                        if (++n % DM_CS_RESTORE_BATCH == 0 &&
                            (dm_cluster_store_commit(p->store, errstr, errstr_size) ||
                             dm_cluster_store_begin(p->store, errstr, errstr_size))) {
                                rd_kafka_message_destroy(m);
                                goto done;
                        }
                }
                rd_kafka_message_destroy(m);
        }
        if (atomic_load(&cs->stop)) {
                /* Shutting down: not an error; the next owner restores. */
                snprintf(errstr, errstr_size, "stopped during the restore");
                rc = -2;
                goto done;
        }
        in_txn = 0;
        if (dm_cluster_store_commit(p->store, errstr, errstr_size))
                goto done;
        sc.now = dm_cluster_batch_now_ms();
        if (dm_cluster_store_foreach(p->store, dm_cs_scan_cb, &sc, errstr, errstr_size))
                goto done;
        p->stream_day = sc.max_day;
        for (i = 0; i < nrecent; i++)
                dm_cluster_batch_item_add(&cs->pending, &cs->npending, &cs->pending_cap,
                                          p->partition, recent[i].key, strlen(recent[i].key),
                                          sc.now, 1);
        dm_metrics_observe_us(DM_H_CLUSTER_RESTORE, (dm_cluster_batch_now_ms() - t0) * 1000);
        DM_LOG_INFO("cluster",
                    "partition %d restored from %s: %lld changelog records, %lld entries, %zu "
                    "to publish again, %lld ms",
                    (int)p->partition, cs->s->cluster_changelog_topic, (long long)n,
                    (long long)dm_cluster_store_entries(p->store), nrecent,
                    (long long)(dm_cluster_batch_now_ms() - t0));
        rc = 0;

done:
        if (in_txn && rc) {
                char e2[128];
                dm_cluster_store_commit(p->store, e2, sizeof(e2));
        }
        if (tp) {
                rd_kafka_assign(cs->restorer, NULL);
                rd_kafka_topic_partition_list_destroy(tp);
        }
        dm_cluster_batch_items_free(recent, nrecent);
        free(recent);
        return rc;
}

/* ---- processing ------------------------------------------------------- */

void dm_cluster_batch_process(dm_cluster_stream_t *cs, rd_kafka_message_t *m)
{
        dm_cluster_part_t *p = dm_cluster_batch_part(cs, m->partition);
        char s[64], t[64], c[64], d[64], err[256];
        dm_cluster_input_t in;
        rd_kafka_headers_t *hdrs = NULL;
        const void *outlet = NULL;
        size_t outlet_len = 0;
        char *outlet_s = NULL;
        int32_t day;
        int found;

        if (!p)
                return; /* not ours any more */
        p->next_offset = m->offset + 1;
        cs->batch_records++;
        dm_buf_reset(&cs->key);
        if (m->key)
                dm_buf_append(&cs->key, m->key, m->key_len);
        if (!m->payload || !m->key ||
            dm_cluster_key_split(cs->key.data, s, t, c, d, sizeof(s), &day) ||
            dm_avro_brief_decode(cs->reader, m->payload, m->len, &cs->brief, err, sizeof(err))) {
                dm_metrics_add_l(DM_M_CLUSTER_EVENTS, DM_CLUSTER_MALFORMED, 1);
                DM_LOG_WARN("cluster", "partition %d offset %lld skipped: malformed record",
                            (int)m->partition, (long long)m->offset);
                return;
        }
        if (p->stream_day >= 0 &&
            dm_cluster_expired(day, p->stream_day, (int32_t)cs->s->cluster_window_days)) {
                dm_metrics_add_l(DM_M_CLUSTER_EVENTS, DM_CLUSTER_LATE, 1);
                return;
        }
        if (!rd_kafka_message_headers(m, &hdrs) &&
            !rd_kafka_header_get_last(hdrs, "demarche.outlet", &outlet, &outlet_len) && outlet)
                outlet_s = dm_strndup(outlet, outlet_len);
        memset(&in, 0, sizeof(in));
        in.event_id = cs->brief.event_id;
        in.article_id = cs->brief.article_id;
        in.outlet = outlet_s;
        in.cameo_code = cs->brief.cameo_code;
        in.cameo_root = cs->brief.cameo_root;
        in.trigger = cs->brief.trigger;
        in.quad_class = cs->brief.quad_class;
        in.goldstein = cs->brief.goldstein;
        in.mentions = cs->brief.mentions;
        in.seen_ms = cs->brief.published_ms != -1 ? cs->brief.published_ms
                                                  : rd_kafka_message_timestamp(m, NULL);
        if (dm_cluster_store_begin(p->store, err, sizeof(err)))
                goto fail;
        found =
            dm_cluster_store_get(p->store, cs->key.data, cs->key.len, &cs->val, err, sizeof(err));
        if (found < 0)
                goto fail;
        if (found == 0)
                dm_cluster_state_clear(&cs->st);
        else if (dm_cluster_state_decode(&cs->st, cs->val.data, cs->val.len, err, sizeof(err))) {
                /* A state we cannot read is started again rather than
                 * blocking the partition. */
                DM_LOG_ERROR("cluster", "cluster %s: %s; counted from scratch", cs->key.data, err);
                dm_cluster_state_clear(&cs->st);
        }
        if (!dm_cluster_state_apply(&cs->st, &in, &cs->lim)) {
                dm_metrics_add_l(DM_M_CLUSTER_EVENTS, DM_CLUSTER_DUPLICATE, 1);
                free(outlet_s);
                return;
        }
        dm_cluster_state_encode(&cs->st, &cs->val);
        if (dm_cluster_store_put(p->store, cs->key.data, cs->key.len, cs->val.data, cs->val.len,
                                 err, sizeof(err)))
                goto fail;
        if (day > p->stream_day) {
                if (dm_cluster_store_meta_set(p->store, "stream_day", day, err, sizeof(err)))
                        goto fail;
                p->expire = p->stream_day >= 0;
                p->stream_day = day;
        }
        dm_cluster_batch_item_add(&cs->batch, &cs->nbatch, &cs->batch_cap, p->partition,
                                  cs->key.data, cs->key.len, 0, 0);
        cs->batch[cs->nbatch - 1].changed = 1;
        dm_metrics_add_l(DM_M_CLUSTER_EVENTS, DM_CLUSTER_COUNTED, 1);
        free(outlet_s);
        return;

fail:
        free(outlet_s);
        dm_cluster_batch_fatal(cs, err);
}

/* The EventCluster record of key's state cs->st, framed for the registry
 * when there is one. */
static int dm_cs_produce_cluster(dm_cluster_stream_t *cs, const char *key, int64_t now)
{
        char s[64], t[64], c[64], d[64], id[33], err[256];
        dm_cluster_record_t r;
        rd_kafka_resp_err_t kerr;
        const char *payload;
        size_t len;

        if (dm_cluster_key_split(key, s, t, c, d, sizeof(s), NULL))
                return -1;
        dm_cluster_id(key, strlen(key), id);
        memset(&r, 0, sizeof(r));
        r.cluster_id = id;
        r.cluster_key = key;
        r.source = s;
        r.target = t;
        /* With the root as key, the code is the most frequent one. */
        r.cameo_code =
            cs->key_opts.root_only ? dm_cluster_tally_top(cs->st.codes, cs->st.code_n) : c;
        r.cameo_root = cs->st.cameo_root;
        r.quad_class = cs->st.quad_class;
        r.goldstein = cs->st.goldstein;
        r.day = d;
        r.first_seen_ms = cs->st.first_seen_ms;
        r.last_seen_ms = cs->st.last_seen_ms;
        r.mentions = cs->st.mentions;
        r.articles = cs->st.articles;
        r.sources = cs->st.sources;
        r.article_ids = (const char *const *)cs->st.article_ids;
        r.article_id_count = cs->st.article_id_n;
        r.trigger = dm_cluster_tally_top(cs->st.triggers, cs->st.trigger_n);
        r.updated_ms = now;
        if (dm_avro_encode_cluster(cs->enc, &r, &cs->buf, err, sizeof(err))) {
                DM_LOG_ERROR("cluster", "cluster %s not encoded: %s", key, err);
                return -1;
        }
        payload = cs->buf.data;
        len = cs->buf.len;
        if (cs->schema_id) {
                /* Confluent framing: 0, the id, the body. */
                uint32_t sid = (uint32_t)atomic_load(cs->schema_id);
                char *b = cs->buf.data + DM_AVRO_HEADER_SIZE - 5;
                b[0] = 0;
                b[1] = (char)(sid >> 24);
                b[2] = (char)(sid >> 16);
                b[3] = (char)(sid >> 8);
                b[4] = (char)sid;
                payload = b;
                len = cs->buf.len - (DM_AVRO_HEADER_SIZE - 5);
        }
        kerr = rd_kafka_producev(cs->producer, RD_KAFKA_V_TOPIC(cs->s->cluster_output_topic),
                                 RD_KAFKA_V_KEY(id, 32), RD_KAFKA_V_VALUE((void *)payload, len),
                                 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (kerr) {
                atomic_fetch_add(&cs->delivery_failures, 1);
                DM_LOG_ERROR("cluster", "produce to %s: %s", cs->s->cluster_output_topic,
                             rd_kafka_err2str(kerr));
                return -1;
        }
        dm_metrics_add_l(DM_M_CLUSTER_RECORDS, DM_CLUSTER_OUT_CLUSTERS, 1);
        return 0;
}

static void dm_cs_produce_changelog(dm_cluster_stream_t *cs, int32_t partition, const char *key,
                                    size_t key_len, const void *val, size_t len)
{
        rd_kafka_resp_err_t kerr;

        kerr =
            rd_kafka_producev(cs->producer, RD_KAFKA_V_TOPIC(cs->s->cluster_changelog_topic),
                              RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_KEY((void *)key, key_len),
                              RD_KAFKA_V_VALUE((void *)val, len),
                              RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        if (kerr) {
                atomic_fetch_add(&cs->delivery_failures, 1);
                DM_LOG_ERROR("cluster", "produce to %s: %s", cs->s->cluster_changelog_topic,
                             rd_kafka_err2str(kerr));
                return;
        }
        dm_metrics_add_l(DM_M_CLUSTER_RECORDS,
                         val ? DM_CLUSTER_OUT_CHANGELOG : DM_CLUSTER_OUT_TOMBSTONES, 1);
}

/* ---- batches: publish, deliver, commit ---------------------------------- */

static int dm_cs_item_cmp(const void *a, const void *b)
{
        const dm_cluster_item_t *x = a, *y = b;

        if (x->partition != y->partition)
                return x->partition < y->partition ? -1 : 1;
        return strcmp(x->key, y->key);
}

typedef struct dm_cs_expiry {
        dm_cluster_stream_t *cs;
        dm_cluster_part_t *p;
} dm_cs_expiry_t;

static int dm_cs_expiry_cb(const char *key, size_t key_len, const void *val, size_t val_len,
                           void *opaque)
{
        dm_cs_expiry_t *ex = opaque;
        dm_cluster_stream_t *cs = ex->cs;
        char s[64], t[64], c[64], d[64];
        int32_t day;

        dm_buf_reset(&cs->key);
        dm_buf_append(&cs->key, key, key_len);
        if (!dm_cluster_key_split(cs->key.data, s, t, c, d, sizeof(s), &day) &&
            dm_cluster_expired(day, ex->p->stream_day, (int32_t)cs->s->cluster_window_days)) {
                dm_cluster_batch_item_add(&cs->batch, &cs->nbatch, &cs->batch_cap, ex->p->partition,
                                          key, key_len, 0, 0);
                cs->batch[cs->nbatch - 1].tombstone = 1;
        }
        return 0;
}

/* Produces what one item needs; the state is read from the store. With
 * again set (a delivery failed), what was produced for it before is
 * produced once more from the state as it now is. */
static int dm_cs_publish(dm_cluster_stream_t *cs, dm_cluster_item_t *it, int force_all, int again,
                         int64_t now)
{
        dm_cluster_part_t *p = dm_cluster_batch_part(cs, it->partition);
        size_t klen = strlen(it->key);
        char err[256];
        int found, emit;

        if (!p)
                return 0;
        if (it->tombstone) {
                if (!again && dm_cluster_store_del(p->store, it->key, klen, err, sizeof(err)))
                        goto fail;
                dm_cs_produce_changelog(cs, p->partition, it->key, klen, NULL, 0);
                p->produced = 1;
                return 0;
        }
        found = dm_cluster_store_get(p->store, it->key, klen, &cs->val, err, sizeof(err));
        if (found < 0)
                goto fail;
        if (!found || dm_cluster_state_decode(&cs->st, cs->val.data, cs->val.len, err, sizeof(err)))
                return 0;
        if (again) {
                if (it->emitted)
                        dm_cs_produce_cluster(cs, it->key, now);
                if (it->changed)
                        dm_cs_produce_changelog(cs, p->partition, it->key, klen, cs->val.data,
                                                cs->val.len);
                return 0;
        }
        /* A state already published is published again only when a restore
         * asks (its record may have been lost with the previous owner). */
        emit = it->force ||
               (cs->st.emitted_seq < cs->st.seq &&
                (force_all || now - cs->st.emitted_ms >= cs->s->cluster_emit_interval_ms));
        if (emit) {
                if (dm_cs_produce_cluster(cs, it->key, now))
                        return 0;
                it->emitted = 1;
                it->changed = 1;
                cs->st.emitted_seq = cs->st.seq;
                cs->st.emitted_ms = now;
                dm_cluster_state_encode(&cs->st, &cs->val);
                if (dm_cluster_store_put(p->store, it->key, klen, cs->val.data, cs->val.len, err,
                                         sizeof(err)))
                        goto fail;
        } else if (cs->st.emitted_seq < cs->st.seq) {
                dm_cluster_batch_item_add(&cs->pending, &cs->npending, &cs->pending_cap,
                                          p->partition, it->key, klen,
                                          cs->st.emitted_ms + cs->s->cluster_emit_interval_ms, 0);
        }
        if (it->changed) {
                dm_cs_produce_changelog(cs, p->partition, it->key, klen, cs->val.data, cs->val.len);
                p->produced = 1;
        }
        return 0;

fail:
        dm_cluster_batch_fatal(cs, err);
        return -1;
}

/* Waits for every produced record's delivery report. 0 when all were
 * delivered. */
static int dm_cs_deliver(dm_cluster_stream_t *cs)
{
        int tries = 0;

        while (rd_kafka_outq_len(cs->producer) > 0 && tries++ < 600)
                rd_kafka_flush(cs->producer, 100);
        return rd_kafka_outq_len(cs->producer) == 0 && atomic_load(&cs->delivery_failures) == 0
                   ? 0
                   : -1;
}

/* ---- exactly-once ----------------------------------------------------- */

static int dm_cs_txn_begin(dm_cluster_stream_t *cs)
{
        rd_kafka_error_t *e = rd_kafka_begin_transaction(cs->producer);
        char msg[512];

        if (!e)
                return 0;
        snprintf(msg, sizeof(msg), "begin_transaction: %s", rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
        dm_cluster_batch_fatal(cs, msg);
        return -1;
}

/* Sends the offsets and commits, retrying what librdkafka calls retriable
 * (a busy coordinator) a few times. Returns NULL, or the last error. */
static rd_kafka_error_t *dm_cs_txn_try(dm_cluster_stream_t *cs,
                                       rd_kafka_topic_partition_list_t *offs)
{
        rd_kafka_consumer_group_metadata_t *gm;
        rd_kafka_error_t *e = NULL;
        int attempt;

        for (attempt = 0; attempt < 10; attempt++) {
                if (e) {
                        rd_kafka_error_destroy(e);
                        e = NULL;
                        usleep(200000);
                }
                if (offs->cnt > 0) {
                        gm = rd_kafka_consumer_group_metadata(cs->consumer);
                        e = rd_kafka_send_offsets_to_transaction(cs->producer, offs, gm, 60000);
                        rd_kafka_consumer_group_metadata_destroy(gm);
                }
                if (!e)
                        e = rd_kafka_commit_transaction(cs->producer, 60000);
                if (!e || !rd_kafka_error_is_retriable(e))
                        break;
        }
        return e;
}

/* Sends the batch's offsets and commits the transaction. Any failure stops
 * the stage and the daemon (exit 1), without committing: the restart fences
 * this run's transaction (init_transactions aborts it), rebuilds the stores
 * from the committed changelog (no checkpoint was written) and consumes from
 * the committed offsets. An in-process abort and rewind, as the main
 * pipeline does, was tried: after the abort, librdkafka 2.0.2 left the next
 * transaction's records undelivered (flush and send_offsets_to_transaction
 * waited for ever), so a restart is the recovery. */
static void dm_cs_txn_commit(dm_cluster_stream_t *cs)
{
        rd_kafka_topic_partition_list_t *offs =
            rd_kafka_topic_partition_list_new((int)cs->nparts + 1);
        rd_kafka_error_t *e = NULL;
        char msg[512];
        size_t i;

        for (i = 0; i < cs->nparts; i++)
                if (cs->parts[i].next_offset >= 0)
                        rd_kafka_topic_partition_list_add(offs, cs->s->cluster_repartition_topic,
                                                          cs->parts[i].partition)
                            ->offset = cs->parts[i].next_offset;
        /* Delivery reports first (served here, on this thread): a record that
         * failed dooms the transaction. */
        rd_kafka_flush(cs->producer, 60000);
        if (atomic_exchange(&cs->delivery_failures, 0)) {
                dm_cluster_batch_fatal(cs, "transaction: a record was not delivered; exiting "
                                           "without committing it");
                goto done;
        }
        e = dm_cs_txn_try(cs, offs);
        if (e) {
                snprintf(msg, sizeof(msg), "transaction: %s; exiting without committing it",
                         rd_kafka_error_string(e));
                dm_cluster_batch_fatal(cs, msg);
                goto done;
        }
        for (i = 0; i < cs->nparts; i++)
                cs->parts[i].next_offset = -1;

done:
        if (e)
                rd_kafka_error_destroy(e);
        rd_kafka_topic_partition_list_destroy(offs);
}

/* Closes the batch: publishes the changed and due keys, deletes expired
 * ones, waits for delivery (producing again on failure), then commits the
 * repartition offsets and writes a commit marker per changelog partition.
 * force_all publishes every pending key now (revocation, shutdown). */
void dm_cluster_batch_flush(dm_cluster_stream_t *cs, int force_all)
{
        int64_t now = dm_cluster_batch_now_ms();
        rd_kafka_topic_partition_list_t *offs = NULL;
        size_t i, j, keep = 0;
        char err[256];
        int attempt = 0;

        /* Due pending keys join the batch. */
        for (i = 0; i < cs->npending; i++) {
                dm_cluster_item_t *it = &cs->pending[i];
                if (force_all || it->due_ms <= now) {
                        dm_grow((void **)&cs->batch, &cs->batch_cap, cs->nbatch + 1,
                                sizeof(*cs->batch));
                        cs->batch[cs->nbatch++] = *it;
                } else {
                        cs->pending[keep++] = *it;
                }
        }
        cs->npending = keep;
        for (i = 0; i < cs->nparts; i++) {
                dm_cluster_part_t *p = &cs->parts[i];
                dm_cs_expiry_t ex = {cs, p};
                if (!p->expire)
                        continue;
                p->expire = 0;
                if (dm_cluster_store_foreach(p->store, dm_cs_expiry_cb, &ex, err, sizeof(err)))
                        DM_LOG_ERROR("cluster", "expiry: %s", err);
        }
        /* One item per key, its flags merged. */
        if (cs->nbatch > 1)
                qsort(cs->batch, cs->nbatch, sizeof(*cs->batch), dm_cs_item_cmp);
        for (i = 0, j = 0; i < cs->nbatch; i++) {
                if (j > 0 && !dm_cs_item_cmp(&cs->batch[j - 1], &cs->batch[i])) {
                        cs->batch[j - 1].force |= cs->batch[i].force;
                        cs->batch[j - 1].changed |= cs->batch[i].changed;
                        cs->batch[j - 1].tombstone |= cs->batch[i].tombstone;
                        free(cs->batch[i].key);
                        continue;
                }
                cs->batch[j++] = cs->batch[i];
        }
        cs->nbatch = j;
        if (cs->eos) {
                int pending_offsets = 0;
                for (i = 0; i < cs->nparts; i++)
                        pending_offsets |= cs->parts[i].next_offset >= 0;
                /* Nothing to publish and no offset to commit: no transaction. */
                if (!cs->nbatch && !pending_offsets)
                        goto done;
                if (dm_cs_txn_begin(cs))
                        goto done;
        }
        for (i = 0; i < cs->nparts; i++)
                if (dm_cluster_store_begin(cs->parts[i].store, err, sizeof(err)))
                        dm_cluster_batch_fatal(cs, err);
        for (i = 0; i < cs->nbatch && !cs->fatal; i++)
                dm_cs_publish(cs, &cs->batch[i], force_all, 0, now);
        for (i = 0; i < cs->nparts; i++)
                if (dm_cluster_store_commit(cs->parts[i].store, err, sizeof(err)))
                        dm_cluster_batch_fatal(cs, err);
        if (cs->fatal)
                goto done;
        if (cs->eos) {
                dm_cs_txn_commit(cs);
                dm_cluster_batch_gauges(cs);
                goto done;
        }
        /* At-least-once: nothing is committed before every record of the
         * batch is delivered; failed ones are produced again, the current
         * state standing for the lost one. */
        while (dm_cs_deliver(cs)) {
                int64_t ms = 100LL << (attempt < 8 ? attempt : 8);
                if (atomic_load(&cs->stop) && attempt >= 3) {
                        DM_LOG_ERROR("cluster", "stopping with undelivered records: their "
                                                "repartition offsets stay uncommitted");
                        goto done;
                }
                attempt++;
                atomic_store(&cs->delivery_failures, 0);
                usleep((useconds_t)(ms > 5000 ? 5000 : ms) * 1000);
                for (i = 0; i < cs->nbatch; i++)
                        dm_cs_publish(cs, &cs->batch[i], force_all, 1, now);
        }
        offs = rd_kafka_topic_partition_list_new((int)cs->nparts + 1);
        for (i = 0; i < cs->nparts; i++) {
                dm_cluster_part_t *p = &cs->parts[i];
                if (p->next_offset >= 0)
                        rd_kafka_topic_partition_list_add(offs, cs->s->cluster_repartition_topic,
                                                          p->partition)
                            ->offset = p->next_offset;
        }
        if (offs->cnt > 0) {
                rd_kafka_resp_err_t kerr = rd_kafka_commit(cs->consumer, offs, 0);
                if (kerr) {
                        DM_LOG_WARN("cluster",
                                    "offset commit failed (the records are "
                                    "counted once when consumed again): %s",
                                    rd_kafka_err2str(kerr));
                } else {
                        for (i = 0; i < cs->nparts; i++)
                                cs->parts[i].next_offset = -1;
                }
        }
        for (i = 0; i < cs->nparts; i++) {
                dm_cluster_part_t *p = &cs->parts[i];
                if (!p->produced)
                        continue;
                p->produced = 0;
                dm_cs_produce_changelog(cs, p->partition, DM_CS_MARKER, DM_CS_MARKER_LEN, "1", 1);
        }
        dm_cluster_batch_gauges(cs);

done:
        if (offs)
                rd_kafka_topic_partition_list_destroy(offs);
        /* A key changed in several batches within its interval is pending
         * once. */
        if (cs->npending > 1)
                qsort(cs->pending, cs->npending, sizeof(*cs->pending), dm_cs_item_cmp);
        for (i = 0, j = 0; i < cs->npending; i++) {
                if (j > 0 && !dm_cs_item_cmp(&cs->pending[j - 1], &cs->pending[i])) {
                        dm_cluster_item_t *k = &cs->pending[j - 1];
                        k->force |= cs->pending[i].force;
                        if (cs->pending[i].due_ms < k->due_ms)
                                k->due_ms = cs->pending[i].due_ms;
                        free(cs->pending[i].key);
                        continue;
                }
                cs->pending[j++] = cs->pending[i];
        }
        cs->npending = j;
        dm_cluster_batch_items_free(cs->batch, cs->nbatch);
        cs->nbatch = 0;
        cs->batch_records = 0;
        cs->last_flush_ms = dm_cluster_batch_now_ms();
}
