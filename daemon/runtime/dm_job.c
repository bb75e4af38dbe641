#include "runtime/dm_job.h"
#include "demarche/dm_charset.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_metrics.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

dm_job_t *dm_job_new(const char *topic, int32_t partition, int64_t offset, const void *value,
                     size_t value_len, const void *key, size_t key_len)
{
        dm_job_t *job = dm_calloc(1, sizeof(*job));
        struct timeval tv;
        job->topic = topic;
        job->partition = partition;
        job->offset = offset;
        job->value = dm_malloc(value_len + 1);
        if (value_len)
                memcpy(job->value, value, value_len);
        ((char *)job->value)[value_len] = '\0';
        job->value_len = value_len;
        if (key) {
                job->key = dm_malloc(key_len + 1);
                memcpy(job->key, key, key_len);
                ((char *)job->key)[key_len] = '\0';
                job->key_len = key_len;
        }
        gettimeofday(&tv, NULL);
        job->consumed_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
        return job;
}

void dm_job_destroy(dm_job_t *job)
{
        size_t i;
        if (!job)
                return;
        for (i = 0; i < job->output_count; i++) {
                free(job->outputs[i].key);
                free(job->outputs[i].payload);
                free(job->outputs[i].outlet);
        }
        free(job->outputs);
        free(job->value);
        free(job->key);
        free(job);
}

/* Adds the record encoded in ctx->buf (Avro single-object encoding: C3 01,
 * 8-byte fingerprint, body) as an output. With registry ids the payload is
 * framed the Confluent way instead (0, 4-byte big-endian schema id, body). */
static void dm_job_add_output(dm_job_ctx_t *ctx, dm_job_t *job, dm_output_dest_t dest,
                              const char *key)
{
        static const dm_avro_kind_t kind_of[DM_OUT_DEST_COUNT] = {DM_AVRO_ARTICLE, DM_AVRO_EVENT,
                                                                  DM_AVRO_REJECTED, DM_AVRO_EVENT};
        const dm_buf_t *b = &ctx->buf;
        dm_output_t *o;
        dm_grow((void **)&job->outputs, &job->output_cap, job->output_count + 1, sizeof(*o));
        o = &job->outputs[job->output_count++];
        memset(o, 0, sizeof(*o));
        o->job = job;
        o->dest = dest;
        if (key) {
                o->key = dm_strdup(key);
                o->key_len = strlen(key);
        }
        if (ctx->confluent_ids && b->len >= 10) {
                /* The loop may change an id while running (a registry that
                 * lost its storage registers the schema again). */
                uint32_t id = (uint32_t)atomic_load_explicit(&ctx->confluent_ids[kind_of[dest]],
                                                             memory_order_relaxed);
                o->payload_len = b->len - 5;
                o->payload = dm_malloc(o->payload_len);
                o->payload[0] = 0;
                o->payload[1] = (char)(id >> 24);
                o->payload[2] = (char)(id >> 16);
                o->payload[3] = (char)(id >> 8);
                o->payload[4] = (char)id;
                memcpy(o->payload + 5, b->data + 10, b->len - 10);
        } else {
                o->payload_len = b->len;
                o->payload = dm_malloc(b->len ? b->len : 1);
                memcpy(o->payload, b->data, b->len);
        }
}

void dm_job_ctx_init(dm_job_ctx_t *ctx, const dm_dict_t *dict, dm_avro_t *avro,
                     const dm_settings_t *settings)
{
        memset(ctx, 0, sizeof(*ctx));
        ctx->annotator = dm_annotator_new(dict);
        dm_annotator_set_max_text(ctx->annotator, (size_t)settings->text_max_bytes);
        dm_annotator_set_frames(ctx->annotator, settings->coder_frames != 0);
        {
                /* The pipeline checked at start that parse mode's model
                 * loads (dm_pipeline_new); the dictionaries keep it. */
                dm_coder_mode_t mode = DM_CODER_MODE_TABARI;
                char err[256];
                if (!dm_coder_mode_parse(settings->coder_mode, &mode) &&
                    dm_annotator_set_mode(ctx->annotator, mode, err, sizeof(err)))
                        DM_LOG_ERROR("worker", "coder.mode %s: %s", settings->coder_mode, err);
        }
        ctx->encoder = dm_avro_encoder_new(avro);
        ctx->settings = settings;
        dm_article_init(&ctx->article);
        dm_result_init(&ctx->result);
        dm_buf_init(&ctx->buf);
        /* The values were checked when the pipeline started. */
        ctx->cluster = settings->cluster_enabled != 0;
        if (settings->cluster_key_level)
                dm_cluster_level_parse(settings->cluster_key_level, &ctx->cluster_key.level);
        if (settings->cluster_key_code)
                dm_cluster_code_parse(settings->cluster_key_code, &ctx->cluster_key.root_only);
        dm_buf_init(&ctx->key);
}

/* The outlet that counts as one source of a cluster: the envelope's source,
 * else the host of the URL; NULL when neither (the clustering stage then
 * counts the article as its own outlet). */
static char *dm_job_outlet(const dm_result_t *r)
{
        const char *u = r->url, *h, *end;

        if (r->source && *r->source)
                return dm_strdup(r->source);
        if (!u || !(h = strstr(u, "://")))
                return NULL;
        h += 3;
        end = h + strcspn(h, "/?#:");
        if (end == h)
                return NULL;
        if (!strncmp(h, "www.", 4) && end - h > 4)
                h += 4;
        return dm_strndup(h, (size_t)(end - h));
}

/* The event just encoded in ctx->buf, again, for the clustering stage. */
static void dm_job_add_repartition(dm_job_ctx_t *ctx, dm_job_t *job, size_t i)
{
        const dm_result_t *r = &ctx->result;
        const dm_event_t *ev = &r->events[i];
        dm_output_t *o;

        dm_cluster_key_build(&ctx->cluster_key, ev->source.code, ev->source.country,
                             ev->target.code, ev->target.country, ev->cameo_code, ev->cameo_root,
                             r->published_ms != -1 ? r->published_ms : job->consumed_us / 1000,
                             &ctx->key);
        dm_job_add_output(ctx, job, DM_OUT_REPARTITION, ctx->key.data);
        o = &job->outputs[job->output_count - 1];
        o->outlet = dm_job_outlet(r);
}

void dm_job_ctx_clear(dm_job_ctx_t *ctx)
{
        dm_annotator_destroy(ctx->annotator);
        dm_avro_encoder_destroy(ctx->encoder);
        dm_buf_free(&ctx->key);
        dm_article_clear(&ctx->article);
        dm_result_clear(&ctx->result);
        dm_buf_free(&ctx->buf);
        memset(ctx, 0, sizeof(*ctx));
}

static int64_t dm_job_now_ms(void)
{
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Bad input becomes one dead-letter record; the input key (if any) or the
 * derived id keys it so that retries of the same input land together. */
static void dm_job_reject(dm_job_ctx_t *ctx, dm_job_t *job, dm_reject_reason_t reason,
                          const char *error)
{
        dm_rejected_t rej;
        char err[256];
        char *id = ctx->article.id ? dm_strdup(ctx->article.id)
                                   : dm_envelope_derive_id(job->value, job->value_len);
        size_t keep = job->value_len;
        if ((int64_t)keep > ctx->settings->dlq_max_original_bytes)
                keep = (size_t)ctx->settings->dlq_max_original_bytes;
        memset(&rej, 0, sizeof(rej));
        rej.reason = reason;
        rej.error = error;
        rej.article_id = id;
        rej.original = job->value;
        rej.original_len = keep;
        rej.original_size = job->value_len;
        rej.topic = job->topic;
        rej.partition = job->partition;
        rej.offset = job->offset;
        rej.rejected_ms = dm_job_now_ms();
        job->rejected = 1;
        job->reason = reason;
        if (dm_avro_encode_rejected(ctx->encoder, &rej, &ctx->buf, err, sizeof(err))) {
                /* Our own schema refusing our own record is a bug; dying lets
                 * the supervisor restart us without losing the input. */
                DM_LOG_FATAL("worker", "cannot encode dead-letter record: %s", err);
                abort();
        }
        dm_job_add_output(ctx, job, DM_OUT_DLQ, id);
        {
                char kv[512];
                snprintf(kv, sizeof(kv), "topic=%s partition=%d offset=%lld article_id=\"%.200s\"",
                         job->topic, (int)job->partition, (long long)job->offset, id);
                DM_LOGKV(DM_LOG_LEVEL_WARN, "worker", kv, "input rejected (%s): %s",
                         dm_reject_reason_name(reason), error);
        }
        free(id);
}

static int64_t dm_job_now_us(void)
{
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void dm_job_count(const dm_result_t *r)
{
        size_t i;
        for (i = 0; i < r->entity_count; i++)
                dm_metrics_add_l(DM_M_ENTITIES, (int)r->entities[i].type, 1);
        for (i = 0; i < r->event_count; i++) {
                const char *root = r->events[i].cameo_root;
                if (root && root[0] >= '0' && root[0] <= '2' && root[1] >= '0' && root[1] <= '9')
                        dm_metrics_add_l(DM_M_EVENTS_CODED,
                                         (root[0] - '0') * 10 + root[1] - '0' - 1, 1);
        }
}

static void dm_job_process_inner(dm_job_ctx_t *ctx, dm_job_t *job);

void dm_job_process(dm_job_ctx_t *ctx, dm_job_t *job)
{
        int64_t t0 = dm_job_now_us();
        dm_job_process_inner(ctx, job);
        dm_metrics_observe_us(DM_H_ANNOTATION, dm_job_now_us() - t0);
}

static void dm_job_process_inner(dm_job_ctx_t *ctx, dm_job_t *job)
{
        char err[512];
        dm_reject_reason_t reason = DM_REJECT_ANNOTATION_ERROR;
        size_t i;

        dm_article_clear(&ctx->article);
        if ((int64_t)job->value_len > ctx->settings->input_max_bytes) {
                snprintf(err, sizeof(err), "input of %zu bytes exceeds input.max.bytes %lld",
                         job->value_len, (long long)ctx->settings->input_max_bytes);
                dm_job_reject(ctx, job, DM_REJECT_TOO_LARGE, err);
                return;
        }
        if (dm_envelope_parse(job->value, job->value_len, &ctx->article, &reason, err,
                              sizeof(err))) {
                dm_job_reject(ctx, job, reason, err);
                return;
        }
        if (ctx->article.charset != DM_CHARSET_UTF8) {
                dm_metrics_add_l(DM_M_INPUT_REPAIRED, (int)ctx->article.charset - 1, 1);
                DM_LOG_DEBUG("worker", "article %s repaired: decoded from %s", ctx->article.id,
                             dm_charset_name(ctx->article.charset));
        }
        if (dm_annotate(ctx->annotator, &ctx->article, &ctx->result, &reason, err, sizeof(err))) {
                if (reason == DM_REJECT_ANNOTATION_ERROR)
                        dm_metrics_error(DM_STAGE_ANNOTATE, DM_ERR_INTERNAL);
                dm_job_reject(ctx, job, reason, err);
                return;
        }
        if (dm_avro_encode_article(ctx->encoder, &ctx->result, &ctx->buf, err, sizeof(err))) {
                dm_metrics_error(DM_STAGE_ENCODE, DM_ERR_ARTICLE);
                dm_job_reject(ctx, job, DM_REJECT_ANNOTATION_ERROR, err);
                return;
        }
        dm_job_add_output(ctx, job, DM_OUT_ARTICLES, ctx->result.article_id);
        job->events = ctx->result.event_count;
        for (i = 0; i < ctx->result.event_count; i++) {
                /* Events anchored in the past stay on the article record
                 * only, and so, unless configured, do those that did not
                 * happen ("did not meet"); hypothetical ones travel with
                 * their flag unless configured otherwise. */
                const dm_event_t *ev = &ctx->result.events[i];
                if (ev->historical ||
                    (ev->hypothetical && !ctx->settings->output_events_hypothetical) ||
                    (ev->negated && !ctx->settings->output_events_negated))
                        continue;
                if (dm_avro_encode_event(ctx->encoder, &ctx->result, i, &ctx->buf, err,
                                         sizeof(err))) {
                        dm_metrics_error(DM_STAGE_ENCODE, DM_ERR_EVENT);
                        DM_LOG_ERROR("worker", "article %s event %zu not encoded: %s",
                                     ctx->result.article_id, i, err);
                        continue;
                }
                dm_job_add_output(ctx, job, DM_OUT_EVENTS, ctx->result.article_id);
                if (ctx->cluster)
                        dm_job_add_repartition(ctx, job, i);
        }
        dm_job_count(&ctx->result);
        dm_metrics_add(DM_M_ARTICLES_ANNOTATED, 1);
}

/* Dictionaries shared by the workers, reference-counted under the pool's
 * mutex so that a reload can replace them while articles are in progress. */
typedef struct dm_dict_holder {
        dm_dict_t *dict;
        int refs;
} dm_dict_holder_t;

/* The pool: a FIFO of submitted jobs and a FIFO of done jobs, one mutex. */
struct dm_workers {
        dm_dict_holder_t *current; /* the pool's own reference */
        pthread_mutex_t lock;
        pthread_cond_t cond;
        dm_job_t *in_head, *in_tail;
        dm_job_t *done_head, *done_tail;
        int stopping;
        int n;
        pthread_t *threads;
        dm_avro_t *avro;
        const dm_settings_t *settings;
        const _Atomic int32_t *confluent_ids;
        void (*done_cb)(void *opaque);
        void *opaque;
};

/* Drops a reference; the caller must hold w->lock. Returns the dictionaries
 * to destroy (outside the lock) when that was the last reference. */
static dm_dict_t *dm_workers_unref(dm_dict_holder_t *h)
{
        dm_dict_t *d = NULL;
        if (h && --h->refs == 0) {
                d = h->dict;
                free(h);
        }
        return d;
}

static void *dm_workers_main(void *arg)
{
        dm_workers_t *w = arg;
        dm_job_ctx_t ctx;
        dm_dict_holder_t *mine;
        pthread_mutex_lock(&w->lock);
        mine = w->current;
        mine->refs++;
        pthread_mutex_unlock(&w->lock);
        dm_job_ctx_init(&ctx, mine->dict, w->avro, w->settings);
        ctx.confluent_ids = w->confluent_ids;
        for (;;) {
                dm_job_t *job;
                dm_dict_t *old = NULL;
                int switched = 0;
                pthread_mutex_lock(&w->lock);
                while (!w->in_head && !w->stopping)
                        pthread_cond_wait(&w->cond, &w->lock);
                job = w->in_head;
                if (!job) {
                        pthread_mutex_unlock(&w->lock);
                        break;
                }
                w->in_head = job->next;
                if (!w->in_head)
                        w->in_tail = NULL;
                /* Switch dictionaries between articles, never during one. */
                if (mine != w->current) {
                        old = dm_workers_unref(mine);
                        mine = w->current;
                        mine->refs++;
                        switched = 1;
                }
                pthread_mutex_unlock(&w->lock);
                if (switched) {
                        dm_job_ctx_clear(&ctx);
                        dm_dict_destroy(old);
                        dm_job_ctx_init(&ctx, mine->dict, w->avro, w->settings);
                        ctx.confluent_ids = w->confluent_ids;
                }

                job->next = NULL;
                dm_job_process(&ctx, job);

                pthread_mutex_lock(&w->lock);
                if (w->done_tail)
                        w->done_tail->next = job;
                else
                        w->done_head = job;
                w->done_tail = job;
                pthread_mutex_unlock(&w->lock);
                if (w->done_cb)
                        w->done_cb(w->opaque);
        }
        dm_job_ctx_clear(&ctx);
        pthread_mutex_lock(&w->lock);
        {
                dm_dict_t *old = dm_workers_unref(mine);
                pthread_mutex_unlock(&w->lock);
                dm_dict_destroy(old);
        }
        return NULL;
}

void dm_workers_swap_dict(dm_workers_t *w, dm_dict_t *dict)
{
        dm_dict_holder_t *h = dm_calloc(1, sizeof(*h));
        dm_dict_t *old;
        h->dict = dict;
        h->refs = 1;
        pthread_mutex_lock(&w->lock);
        old = dm_workers_unref(w->current);
        w->current = h;
        pthread_mutex_unlock(&w->lock);
        dm_dict_destroy(old);
}

dm_workers_t *dm_workers_new(int n, dm_dict_t *dict, dm_avro_t *avro, const dm_settings_t *settings,
                             const _Atomic int32_t *confluent_ids, void (*done_cb)(void *opaque),
                             void *opaque)
{
        dm_workers_t *w = dm_calloc(1, sizeof(*w));
        int i;
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->cond, NULL);
        w->n = n;
        w->current = dm_calloc(1, sizeof(*w->current));
        w->current->dict = dict;
        w->current->refs = 1;
        w->avro = avro;
        w->settings = settings;
        w->confluent_ids = confluent_ids;
        w->done_cb = done_cb;
        w->opaque = opaque;
        w->threads = dm_calloc((size_t)n, sizeof(pthread_t));
        for (i = 0; i < n; i++) {
                if (pthread_create(&w->threads[i], NULL, dm_workers_main, w)) {
                        DM_LOG_FATAL("worker", "cannot start worker thread %d", i);
                        abort();
                }
        }
        return w;
}

void dm_workers_destroy(dm_workers_t *w)
{
        int i;
        dm_job_t *job;
        if (!w)
                return;
        pthread_mutex_lock(&w->lock);
        w->stopping = 1;
        pthread_cond_broadcast(&w->cond);
        pthread_mutex_unlock(&w->lock);
        for (i = 0; i < w->n; i++)
                pthread_join(w->threads[i], NULL);
        while ((job = w->done_head)) {
                w->done_head = job->next;
                dm_job_destroy(job);
        }
        while ((job = w->in_head)) {
                w->in_head = job->next;
                dm_job_destroy(job);
        }
        dm_dict_destroy(dm_workers_unref(w->current));
        free(w->threads);
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->cond);
        free(w);
}

void dm_workers_submit(dm_workers_t *w, dm_job_t *job)
{
        job->next = NULL;
        pthread_mutex_lock(&w->lock);
        if (w->in_tail)
                w->in_tail->next = job;
        else
                w->in_head = job;
        w->in_tail = job;
        pthread_cond_signal(&w->cond);
        pthread_mutex_unlock(&w->lock);
}

dm_job_t *dm_workers_take_done(dm_workers_t *w)
{
        dm_job_t *list;
        pthread_mutex_lock(&w->lock);
        list = w->done_head;
        w->done_head = w->done_tail = NULL;
        pthread_mutex_unlock(&w->lock);
        return list;
}
