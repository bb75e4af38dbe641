#include "demarche/dm_annotator.h"
#include "demarche/dm_clean.h"
#include "demarche/dm_coder.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

/* The annotator: clean -> segment -> code each sentence (dm_coder) ->
 * aggregate actors into entities and coded events into the result. */

struct dm_annotator {
        const dm_dict_t *dict;
        size_t max_text;
        dm_coder_t *coder;
        dm_span_t *sents;
        size_t sent_cap;
};

dm_annotator_t *dm_annotator_new(const dm_dict_t *dicts)
{
        dm_annotator_t *a = dm_calloc(1, sizeof(*a));
        a->dict = dicts;
        a->max_text = 1024 * 1024;
        a->coder = dm_coder_new(dicts);
        return a;
}

void dm_annotator_destroy(dm_annotator_t *a)
{
        if (!a)
                return;
        dm_coder_destroy(a->coder);
        free(a->sents);
        free(a);
}

void dm_annotator_set_max_text(dm_annotator_t *a, size_t max_bytes)
{
        a->max_text = max_bytes;
}

static int64_t dm_now_ms(void)
{
        struct timeval tv;
        gettimeofday(&tv, NULL);
        return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The country part of an actor code: its first three letters when they name
 * a known country. */
static const dm_country_info_t *dm_annotator_country(const dm_dict_t *d, const char *code)
{
        char cc[4];
        if (!code || strlen(code) < 3)
                return NULL;
        memcpy(cc, code, 3);
        cc[3] = '\0';
        return dm_dict_country(d, cc);
}

static dm_entity_t *dm_annotator_entity(dm_result_t *r, dm_entity_type_t type, const char *key)
{
        size_t i;
        for (i = 0; i < r->entity_count; i++) {
                dm_entity_t *e = &r->entities[i];
                if (e->type == type && e->code && !strcmp(e->code, key))
                        return e;
        }
        return NULL;
}

static void dm_annotator_add_mention(dm_annotator_t *a, dm_result_t *r, const char *code,
                                     const char *text, uint32_t start, uint32_t end,
                                     int32_t sentence)
{
        const dm_country_info_t *ci = dm_annotator_country(a->dict, code);
        dm_entity_type_t type = ci ? DM_ENTITY_COUNTRY : DM_ENTITY_ORGANIZATION;
        char key[4];
        const char *k = code;
        dm_entity_t *e;
        if (ci) {
                memcpy(key, ci->cameo, 3);
                key[3] = '\0';
                k = key;
        }
        e = dm_annotator_entity(r, type, k);
        if (e) {
                e->mentions++;
                return;
        }
        e = dm_result_add_entity(r);
        e->type = type;
        e->code = dm_strdup(k);
        e->name = ci ? dm_strdup(ci->name) : dm_strndup(text + start, end - start);
        e->country = ci ? dm_strdup(ci->cameo) : NULL;
        e->iso3 = ci ? dm_strdup(ci->iso3) : NULL;
        e->start = (int32_t)start;
        e->end = (int32_t)end;
        e->sentence = sentence;
        e->mentions = 1;
}

static void dm_actor_ref_set(dm_annotator_t *a, dm_actor_ref_t *ref, const dm_coded_actor_t *m,
                             const char *text)
{
        const dm_country_info_t *ci = dm_annotator_country(a->dict, m->code);
        ref->code = dm_strdup(m->code);
        ref->country = ci ? dm_strdup(ci->cameo) : NULL;
        ref->start = (int32_t)m->start;
        ref->end = (int32_t)m->end;
        ref->text = dm_strndup(text + m->start, m->end - m->start);
}

/* One sentence: the coder finds actors and events; entities aggregate the
 * actors over the article. */
static void dm_annotator_sentence(dm_annotator_t *a, dm_result_t *r, const char *text,
                                  dm_span_t sent, int32_t index, int64_t date_ms)
{
        dm_coded_sentence_t cs;
        size_t i;
        dm_coder_code_sentence(a->coder, text, sent.start, sent.end, date_ms, &cs);
        for (i = 0; i < cs.actor_count; i++)
                dm_annotator_add_mention(a, r, cs.actors[i].code, text, cs.actors[i].start,
                                         cs.actors[i].end, index);
        for (i = 0; i < cs.event_count; i++) {
                const dm_coded_event_t *ce = &cs.events[i];
                const dm_cameo_info_t *ci = dm_dict_cameo(a->dict, ce->code);
                dm_event_t *ev = dm_result_add_event(r);
                ev->sentence = index;
                dm_actor_ref_set(a, &ev->source, &ce->source, text);
                if (ce->target.code)
                        dm_actor_ref_set(a, &ev->target, &ce->target, text);
                ev->cameo_code = dm_strdup(ce->code);
                ev->cameo_root = dm_strndup(ce->code, 2);
                if (ci) {
                        ev->quad_class = ci->quad_class;
                        ev->goldstein = ci->goldstein;
                        ev->plover_category = dm_strdup_or_null(ci->plover_category);
                        ev->plover_mode = dm_strdup_or_null(ci->plover_mode);
                        ev->plover_context = dm_strdup_or_null(ci->plover_context);
                }
                ev->trigger = dm_strndup(text + ce->verb_start, ce->verb_end - ce->verb_start);
                ev->pattern = dm_strdup_or_null(ce->verb_phrase);
                ev->negated = ce->negated;
        }
}

/* Salience: mentions weighted towards the title and lead, normalised. */
static void dm_annotator_salience(dm_result_t *r)
{
        double total = 0;
        size_t i;
        for (i = 0; i < r->entity_count; i++) {
                dm_entity_t *e = &r->entities[i];
                e->salience = e->mentions * (e->sentence == 0 ? 2.0 : 1.0);
                total += e->salience;
        }
        for (i = 0; i < r->entity_count && total > 0; i++)
                r->entities[i].salience /= total;
}

int dm_annotate(dm_annotator_t *a, const dm_article_t *article, dm_result_t *result,
                dm_reject_reason_t *reason, char *errstr, size_t errstr_size)
{
        char *text;
        size_t len, nsent = 0, i;
        dm_clean_doc_t doc;
        int rc = -1;

        dm_result_clear(result);
        dm_clean_doc_init(&doc);
        if (dm_clean_article(article->body, article->body_len,
                             article->content_type == DM_CONTENT_HTML, article->title, &doc, errstr,
                             errstr_size)) {
                *reason = DM_REJECT_UNDECODABLE_TEXT;
                goto fail;
        }
        text = doc.text;
        doc.text = NULL;
        len = strlen(text);
        if (len > a->max_text) {
                size_t cut = a->max_text;
                /* Back up to a UTF-8 character boundary. */
                while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
                        cut--;
                DM_LOGKV(DM_LOG_LEVEL_INFO, "annotator", NULL,
                         "article %s: text of %zu bytes truncated to %zu", article->id, len, cut);
                text[cut] = '\0';
                len = cut;
        }
        if (len == 0) {
                free(text);
                *reason = DM_REJECT_EMPTY;
                snprintf(errstr, errstr_size, "no text left after cleaning");
                goto fail;
        }
        result->article_id = dm_strdup(article->id);
        result->url = dm_strdup_or_null(article->url);
        result->title = dm_strdup_or_null(article->title ? article->title : doc.title);
        result->source = dm_strdup_or_null(article->source);
        result->language = dm_strdup_or_null(article->language);
        /* The envelope's time wins; the date line fills in when it has none. */
        result->published_ms =
            article->published_ms != -1 ? article->published_ms : doc.published_ms;
        result->text = text;

        dm_split_sentences(text, len, &a->sents, &nsent, &a->sent_cap);
        for (i = 0; i < nsent; i++)
                dm_annotator_sentence(a, result, text, a->sents[i], (int32_t)i,
                                      result->published_ms);
        result->sentence_count = (int32_t)nsent;
        dm_annotator_salience(result);
        result->annotated_ms = dm_now_ms();
        rc = 0;
fail:
        dm_clean_doc_clear(&doc);
        return rc;
}
