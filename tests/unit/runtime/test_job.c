/* Worker jobs (dm_job): a consumed message in, encoded output records out.
 * A good article gives one AnnotatedArticle record and one DiplomaticEvent
 * record per event that is not historical, all keyed by the article id;
 * bad input gives exactly one RejectedArticle (dead-letter) record with
 * the reason, the original (capped) and where it came from. The worker
 * pool processes submitted jobs on its threads and hands them back. The
 * records are decoded back to JSON to check their content. Dictionaries:
 * the tree's, through DEMARCHE_DICTIONARIES. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demarche/dm_avro.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_config.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_log.h"
#include "dm_test_support.h"
#include "runtime/dm_job.h"

static dm_dict_t *dict;
static dm_avro_t *avro;

static const char good[] =
    "{\"id\":\"art-1\",\"url\":\"https://example.org/a\",\"title\":\"Sanctions\","
    "\"published_at\":\"2023-04-01T10:00:00Z\","
    "\"text\":\"Canada imposed sanctions against Belarus on Friday. "
    "In 1998 Chile signed a border agreement with Bolivia.\"}";

static int setup(void **state)
{
        char err[512];
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        dict = dm_test_dict_load(dm_dict_default_spec());
        if (!dict)
                return -1;
        avro = dm_avro_new(err, sizeof(err));
        if (!avro) {
                fprintf(stderr, "%s\n", err);
                return -1;
        }
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_avro_destroy(avro);
        dm_dict_destroy(dict);
        return 0;
}

/* A config with the given overrides (NULL-terminated key, value pairs). */
static dm_config_t *config_with(const char *const *kv)
{
        dm_config_t *c = dm_config_new();
        char err[256];
        assert_non_null(c);
        for (; kv && kv[0]; kv += 2)
                assert_int_equal(dm_config_set(c, kv[0], kv[1], err, sizeof(err)), 0);
        return c;
}

/* Decodes an output's payload (single-object encoding) into JSON. */
static json_t *decode(const dm_output_t *o)
{
        dm_buf_t b;
        char err[256];
        json_error_t jerr;
        json_t *j;
        dm_buf_init(&b);
        if (dm_avro_decode_to_json(avro, o->payload, o->payload_len, &b, err, sizeof(err)))
                fail_msg("decode: %s", err);
        j = json_loadb(b.data, b.len, 0, &jerr);
        dm_buf_free(&b);
        assert_non_null(j);
        return j;
}

static dm_avro_kind_t kind_of(const dm_output_t *o)
{
        dm_avro_kind_t k;
        char err[256];
        assert_int_equal(dm_avro_identify(avro, o->payload, o->payload_len, &k, err, sizeof(err)),
                         0);
        return k;
}

static dm_job_t *run_one(const dm_settings_t *s, const char *value, size_t len)
{
        dm_job_ctx_t ctx;
        dm_job_t *job = dm_job_new("articles", 3, 42, value, len, NULL, 0);
        dm_job_ctx_init(&ctx, dict, avro, s);
        dm_job_process(&ctx, job);
        dm_job_ctx_clear(&ctx);
        return job;
}

static void test_job_new_copies(void **state)
{
        char value[] = "hello", key[] = "k1";
        dm_job_t *job;
        (void)state;
        job = dm_job_new("topic", 7, 1234, value, 5, key, 2);
        value[0] = 'X';
        key[0] = 'X';
        assert_string_equal(job->topic, "topic");
        assert_int_equal(job->partition, 7);
        assert_int_equal(job->offset, 1234);
        assert_int_equal(job->value_len, 5);
        assert_memory_equal(job->value, "hello", 6); /* copied and NUL-terminated */
        assert_int_equal(job->key_len, 2);
        assert_memory_equal(job->key, "k1", 3);
        assert_true(job->consumed_us > 0);
        assert_int_equal(job->output_count, 0);
        assert_int_equal(job->rejected, 0);
        dm_job_destroy(job);

        /* No key, empty value. */
        job = dm_job_new("topic", 0, 0, "", 0, NULL, 0);
        assert_null(job->key);
        assert_int_equal(job->key_len, 0);
        assert_int_equal(job->value_len, 0);
        assert_int_equal(((char *)job->value)[0], '\0');
        dm_job_destroy(job);
        dm_job_destroy(NULL); /* a no-op */
}

static void test_good_article(void **state)
{
        dm_config_t *c = config_with(NULL);
        dm_job_t *job;
        json_t *art, *ev;
        size_t i, events_out = 0, historical = 0;
        (void)state;
        job = run_one(dm_config_settings(c), good, strlen(good));
        assert_int_equal(job->rejected, 0);
        assert_true(job->output_count >= 2);
        assert_int_equal(job->outputs[0].dest, DM_OUT_ARTICLES);
        assert_int_equal(kind_of(&job->outputs[0]), DM_AVRO_ARTICLE);
        assert_string_equal(job->outputs[0].key, "art-1");
        assert_int_equal(job->outputs[0].key_len, 5);
        assert_ptr_equal(job->outputs[0].job, job);
        assert_int_equal(job->outputs[0].delivered, 0);
        art = decode(&job->outputs[0]);
        assert_string_equal(json_string_value(json_object_get(art, "article_id")), "art-1");
        assert_string_equal(json_string_value(json_object_get(art, "url")),
                            "https://example.org/a");
        /* Every event is counted; the historical ones are not published. */
        assert_int_equal(job->events, json_array_size(json_object_get(art, "events")));
        json_array_foreach(json_object_get(art, "events"), i, ev) historical +=
            json_is_true(json_object_get(ev, "historical")) ||
            json_is_true(json_object_get(ev, "negated"));
        assert_true(historical >= 1); /* "In 1998 Chile signed ..." */
        for (i = 1; i < job->output_count; i++) {
                json_t *e;
                assert_int_equal(job->outputs[i].dest, DM_OUT_EVENTS);
                assert_int_equal(kind_of(&job->outputs[i]), DM_AVRO_EVENT);
                assert_string_equal(job->outputs[i].key, "art-1");
                e = decode(&job->outputs[i]);
                assert_string_equal(json_string_value(json_object_get(e, "article_id")), "art-1");
                assert_false(json_is_true(json_object_get(e, "historical")));
                if (!strcmp(json_string_value(json_object_get(e, "cameo_code")), "163"))
                        events_out++;
                json_decref(e);
        }
        assert_int_equal(job->output_count - 1, job->events - historical);
        assert_int_equal(events_out, 1); /* Canada's sanctions on Belarus */
        json_decref(art);
        dm_job_destroy(job);
        dm_config_destroy(c);
}

/* The events published of one article: how many, and how many of them are
 * flagged hypothetical and negated. */
static void published_of(const char *const *kv, size_t *n, size_t *hyp, size_t *neg)
{
        static const char text[] = "{\"id\":\"art-2\",\"text\":\"Russia will impose sanctions on "
                                   "Japan. Canada did not criticise Chile. Norway criticised "
                                   "Sweden.\"}";
        dm_config_t *c = config_with(kv);
        dm_job_t *job = run_one(dm_config_settings(c), text, strlen(text));
        size_t i;
        *n = *hyp = *neg = 0;
        assert_int_equal(job->rejected, 0);
        for (i = 0; i < job->output_count; i++) {
                json_t *e;
                if (job->outputs[i].dest != DM_OUT_EVENTS)
                        continue;
                e = decode(&job->outputs[i]);
                (*n)++;
                *hyp += json_is_true(json_object_get(e, "hypothetical"));
                *neg += json_is_true(json_object_get(e, "negated"));
                json_decref(e);
        }
        dm_job_destroy(job);
        dm_config_destroy(c);
}

/* Negated events stay on the article record unless output.events.negated
 * is true; hypothetical ones are published, flagged, unless
 * output.events.hypothetical is false. */
static void test_flagged_events(void **state)
{
        static const char *const both[] = {"output.events.hypothetical", "true",
                                           "output.events.negated", "true", NULL};
        static const char *const none[] = {"output.events.hypothetical", "false", NULL};
        size_t n, hyp, neg;
        (void)state;
        published_of(none, &n, &hyp, &neg);
        assert_int_equal(n, 1); /* Norway criticised Sweden */
        assert_int_equal(hyp + neg, 0);
        published_of(NULL, &n, &hyp, &neg); /* the defaults: hypothetical ones, flagged */
        assert_true(hyp >= 1);
        assert_int_equal(neg, 0);
        assert_int_equal(n, 1 + hyp);
        published_of(both, &n, &hyp, &neg);
        assert_true(hyp >= 1); /* the sanctions Russia will impose */
        assert_int_equal(neg, 1);
        assert_int_equal(n, 1 + hyp + neg);
}

static void check_dlq(const dm_job_t *job, dm_reject_reason_t reason, const char *reason_name,
                      const char *error_part)
{
        json_t *r;
        assert_int_equal(job->rejected, 1);
        assert_int_equal(job->reason, reason);
        assert_int_equal(job->output_count, 1);
        assert_int_equal(job->outputs[0].dest, DM_OUT_DLQ);
        assert_int_equal(kind_of(&job->outputs[0]), DM_AVRO_REJECTED);
        r = decode(&job->outputs[0]);
        assert_string_equal(json_string_value(json_object_get(r, "reason")), reason_name);
        if (error_part && !strstr(json_string_value(json_object_get(r, "error")), error_part))
                fail_msg("error \"%s\" lacks \"%s\"",
                         json_string_value(json_object_get(r, "error")), error_part);
        assert_string_equal(json_string_value(json_object_get(r, "source_topic")), "articles");
        assert_int_equal(json_integer_value(json_object_get(r, "source_partition")), 3);
        assert_int_equal(json_integer_value(json_object_get(r, "source_offset")), 42);
        assert_int_equal(json_integer_value(json_object_get(r, "original_size")),
                         (json_int_t)job->value_len);
        assert_string_equal(json_string_value(json_object_get(r, "article_id")),
                            job->outputs[0].key);
        json_decref(r);
}

static void test_malformed_json_to_dlq(void **state)
{
        static const char bad[] = "{\"id\": \"x\", \"text\": ";
        dm_config_t *c = config_with(NULL);
        dm_job_t *job;
        char *id;
        (void)state;
        job = run_one(dm_config_settings(c), bad, strlen(bad));
        check_dlq(job, DM_REJECT_MALFORMED_JSON, "MALFORMED_JSON", NULL);
        /* Not parsed: keyed by the id derived from the value, so that
         * redeliveries of the same input land together. */
        id = dm_envelope_derive_id(bad, strlen(bad));
        assert_string_equal(job->outputs[0].key, id);
        free(id);
        assert_int_equal(job->events, 0);
        dm_job_destroy(job);
        dm_config_destroy(c);
}

static void test_too_large_to_dlq(void **state)
{
        static const char *const kv[] = {"input.max.bytes", "40", NULL};
        dm_config_t *c = config_with(kv);
        dm_job_t *job;
        (void)state;
        job = run_one(dm_config_settings(c), good, strlen(good));
        check_dlq(job, DM_REJECT_TOO_LARGE, "TOO_LARGE", "exceeds input.max.bytes 40");
        dm_job_destroy(job);
        /* At the limit exactly it is accepted. */
        {
                char lim[16], err[256];
                dm_config_t *c2 = dm_config_new();
                snprintf(lim, sizeof(lim), "%zu", strlen(good));
                assert_int_equal(dm_config_set(c2, "input.max.bytes", lim, err, sizeof(err)), 0);
                job = run_one(dm_config_settings(c2), good, strlen(good));
                assert_int_equal(job->rejected, 0);
                dm_job_destroy(job);
                dm_config_destroy(c2);
        }
        dm_config_destroy(c);
}

static void test_dlq_original_capped(void **state)
{
        static const char *const kv[] = {"dlq.max.original.bytes", "10", NULL};
        dm_config_t *c = config_with(kv);
        dm_job_t *job;
        json_t *r;
        (void)state;
        /* A value starting with '{' is an envelope; "{\"a\":" is malformed. */
        job = run_one(dm_config_settings(c), "{\"a\": [1, 2", 11);
        check_dlq(job, DM_REJECT_MALFORMED_JSON, "MALFORMED_JSON", NULL);
        r = decode(&job->outputs[0]);
        assert_true(json_is_true(json_object_get(r, "original_truncated")));
        assert_int_equal(json_integer_value(json_object_get(r, "original_size")), 11);
        /* bytes in the Avro JSON encoding: one code point per byte. */
        assert_string_equal(json_string_value(json_object_get(r, "original")), "{\"a\": [1, ");
        json_decref(r);
        dm_job_destroy(job);
        dm_config_destroy(c);
}

static void test_empty_input_to_dlq(void **state)
{
        dm_config_t *c = config_with(NULL);
        dm_job_t *job;
        (void)state;
        job = run_one(dm_config_settings(c), "", 0);
        check_dlq(job, DM_REJECT_EMPTY, "EMPTY", NULL);
        dm_job_destroy(job);
        dm_config_destroy(c);
}

static void test_annotation_reject_keyed_by_id(void **state)
{
        /* Parsed (it has an id) but nothing is left after cleaning. */
        static const char v[] = "{\"id\":\"art-empty\",\"html\":\"<html><body><script>var x = "
                                "1;</script></body></html>\"}";
        dm_config_t *c = config_with(NULL);
        dm_job_t *job;
        (void)state;
        job = run_one(dm_config_settings(c), v, strlen(v));
        assert_int_equal(job->rejected, 1);
        assert_int_equal(job->output_count, 1);
        assert_int_equal(job->outputs[0].dest, DM_OUT_DLQ);
        assert_string_equal(job->outputs[0].key, "art-empty");
        dm_job_destroy(job);
        dm_config_destroy(c);
}

static void test_confluent_framing(void **state)
{
        static const _Atomic int32_t ids[3] = {0x01020304, 0x11, 0x22};
        dm_config_t *c = config_with(NULL);
        dm_job_ctx_t ctx;
        dm_job_t *plain, *framed;
        size_t i;
        (void)state;
        plain = run_one(dm_config_settings(c), good, strlen(good));
        framed = dm_job_new("articles", 3, 42, good, strlen(good), NULL, 0);
        dm_job_ctx_init(&ctx, dict, avro, dm_config_settings(c));
        ctx.confluent_ids = ids;
        dm_job_process(&ctx, framed);
        dm_job_ctx_clear(&ctx);
        assert_int_equal(framed->output_count, plain->output_count);
        for (i = 0; i < framed->output_count; i++) {
                const dm_output_t *p = &plain->outputs[i], *f = &framed->outputs[i];
                int32_t id = ids[f->dest == DM_OUT_ARTICLES ? DM_AVRO_ARTICLE : DM_AVRO_EVENT];
                /* Magic 0, 4-byte big-endian id, then the same body as the
                 * single-object record after its 10-byte header. */
                assert_int_equal(f->payload_len, p->payload_len - 5);
                assert_int_equal((unsigned char)f->payload[0], 0);
                assert_int_equal((unsigned char)f->payload[1], (id >> 24) & 0xff);
                assert_int_equal((unsigned char)f->payload[2], (id >> 16) & 0xff);
                assert_int_equal((unsigned char)f->payload[3], (id >> 8) & 0xff);
                assert_int_equal((unsigned char)f->payload[4], id & 0xff);
                /* The article record carries annotated_ms: compare events only. */
                if (f->dest == DM_OUT_EVENTS)
                        assert_memory_equal(f->payload + 5, p->payload + 10, f->payload_len - 5);
        }
        dm_job_destroy(plain);
        dm_job_destroy(framed);
        dm_config_destroy(c);
}

typedef struct done_state {
        pthread_mutex_t lock;
        pthread_cond_t cond;
        int calls;
} done_state_t;

static void on_done(void *opaque)
{
        done_state_t *d = opaque;
        pthread_mutex_lock(&d->lock);
        d->calls++;
        pthread_cond_broadcast(&d->cond);
        pthread_mutex_unlock(&d->lock);
}

/* Waits (at most 10 s) until done_cb has been called n times. */
static void wait_done(done_state_t *d, int n)
{
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 10;
        pthread_mutex_lock(&d->lock);
        while (d->calls < n)
                if (pthread_cond_timedwait(&d->cond, &d->lock, &until))
                        break;
        pthread_mutex_unlock(&d->lock);
        assert_true(d->calls >= n);
}

/* cluster.enabled: each DiplomaticEvent output is followed by the same
 * payload for the repartition topic, keyed by its cluster key, with the
 * outlet; disabled (the default), no such output exists. */
static void test_cluster_repartition(void **state)
{
        static const char *const on[] = {"cluster.enabled", "true", "cluster.key.code", "root",
                                         NULL};
        static const char *const story =
            "{\"id\":\"rtr-5\",\"url\":\"https://www.reuters.com/world/5\","
            "\"published_at\":\"2026-12-03T15:45:00Z\",\"text\":\"Russia's Putin met "
            "China's President Xi in Moscow on Tuesday to discuss energy deals.\"}";
        dm_config_t *c_off = config_with(NULL), *c_on = config_with(on);
        dm_job_t *off, *job;
        size_t i, events = 0, rep = 0;
        (void)state;
        off = run_one(dm_config_settings(c_off), story, strlen(story));
        job = run_one(dm_config_settings(c_on), story, strlen(story));
        for (i = 0; i < off->output_count; i++)
                assert_int_not_equal(off->outputs[i].dest, DM_OUT_REPARTITION);
        for (i = 0; i < job->output_count; i++) {
                const dm_output_t *o = &job->outputs[i];
                if (o->dest == DM_OUT_EVENTS) {
                        const dm_output_t *r = &job->outputs[i + 1];
                        json_t *j = decode(o);
                        char want[128];
                        events++;
                        assert_true(i + 1 < job->output_count);
                        assert_int_equal(r->dest, DM_OUT_REPARTITION);
                        assert_int_equal(r->payload_len, o->payload_len);
                        assert_memory_equal(r->payload, o->payload, o->payload_len);
                        /* The key from the event's own fields: country level,
                         * the root, the publication day. */
                        snprintf(want, sizeof(want), "%s|%s|%s|2026-12-03",
                                 json_string_value(
                                     json_object_get(json_object_get(j, "source"), "country")),
                                 json_string_value(
                                     json_object_get(json_object_get(j, "target"), "country")),
                                 json_string_value(json_object_get(j, "cameo_root")));
                        assert_string_equal(r->key, want);
                        /* No envelope source: the URL's host without www. */
                        assert_string_equal(r->outlet, "reuters.com");
                        json_decref(j);
                } else if (o->dest == DM_OUT_REPARTITION) {
                        rep++;
                } else {
                        assert_null(o->outlet);
                }
        }
        assert_true(events > 0);
        assert_int_equal(rep, events);
        /* Without the repartition outputs, the same outputs as disabled. */
        assert_int_equal(job->output_count - rep, off->output_count);
        dm_job_destroy(off);
        dm_job_destroy(job);
        dm_config_destroy(c_off);
        dm_config_destroy(c_on);
}

static void test_workers_pool(void **state)
{
        dm_config_t *c = config_with(NULL);
        done_state_t d = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
        char err[512];
        dm_dict_t *own = dm_dict_load(dm_dict_default_spec(), 0, err, sizeof(err));
        dm_workers_t *w;
        dm_job_t *list, *j;
        int seen[4] = {0, 0, 0, 0}, n = 0, rejected = 0;
        (void)state;
        assert_non_null(own);
        w = dm_workers_new(2, own, avro, dm_config_settings(c), NULL, on_done, &d);
        assert_null(dm_workers_take_done(w));
        dm_workers_submit(w, dm_job_new("articles", 0, 0, good, strlen(good), NULL, 0));
        dm_workers_submit(w, dm_job_new("articles", 0, 1, "{", 1, NULL, 0));
        dm_workers_submit(w, dm_job_new("articles", 0, 2, good, strlen(good), NULL, 0));
        wait_done(&d, 3);
        /* Hot reload: the pool takes the new dictionaries; the next job
         * uses them and the old ones are freed (ASan would see a leak). */
        dm_workers_swap_dict(w, dm_dict_load(dm_dict_default_spec(), 0, err, sizeof(err)));
        dm_workers_submit(w, dm_job_new("articles", 0, 3, good, strlen(good), NULL, 0));
        wait_done(&d, 4);
        list = dm_workers_take_done(w);
        while ((j = list)) {
                list = j->next;
                assert_true(j->offset >= 0 && j->offset < 4);
                seen[j->offset]++;
                rejected += j->rejected;
                assert_true(j->output_count >= 1);
                if (j->offset == 1)
                        assert_int_equal(j->outputs[0].dest, DM_OUT_DLQ);
                else
                        assert_int_equal(j->outputs[0].dest, DM_OUT_ARTICLES);
                n++;
                dm_job_destroy(j);
        }
        assert_int_equal(n, 4);
        assert_int_equal(rejected, 1);
        assert_int_equal(seen[0] + seen[1] + seen[2] + seen[3], 4);
        assert_int_equal(seen[0] * seen[1] * seen[2] * seen[3], 1);
        assert_null(dm_workers_take_done(w));
        /* Jobs still queued or done at destroy are freed by it. */
        dm_workers_submit(w, dm_job_new("articles", 0, 4, good, strlen(good), NULL, 0));
        dm_workers_destroy(w);
        dm_workers_destroy(NULL);
        dm_config_destroy(c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_job_new_copies),
            cmocka_unit_test(test_good_article),
            cmocka_unit_test(test_flagged_events),
            cmocka_unit_test(test_malformed_json_to_dlq),
            cmocka_unit_test(test_too_large_to_dlq),
            cmocka_unit_test(test_dlq_original_capped),
            cmocka_unit_test(test_empty_input_to_dlq),
            cmocka_unit_test(test_annotation_reject_keyed_by_id),
            cmocka_unit_test(test_confluent_framing),
            cmocka_unit_test(test_cluster_repartition),
            cmocka_unit_test(test_workers_pool),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
