#include "demarche/dm_annotator.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

/* The foundation annotator: countries and organisations by dictionary name,
 * and a first coder that reads "ACTOR ... VERB ... ACTOR" within a sentence
 * using the root verbs of the .verbs dictionaries. The TABARI-compatible coder
 * and the article-understanding work replace the inner steps; this file keeps
 * the shape: clean -> segment -> per sentence match -> aggregate. */

struct dm_annotator {
        const dm_dict_t *dict;
        size_t max_text;
        dm_tokens_t toks;
        dm_span_t *sents;
        size_t sent_cap;
        dm_phrase_match_t *actors;
        size_t actor_cap;
};

dm_annotator_t *dm_annotator_new(const dm_dict_t *dicts)
{
        dm_annotator_t *a = dm_calloc(1, sizeof(*a));
        a->dict = dicts;
        a->max_text = 1024 * 1024;
        dm_tokens_init(&a->toks);
        return a;
}

void dm_annotator_destroy(dm_annotator_t *a)
{
        if (!a)
                return;
        dm_tokens_free(&a->toks);
        free(a->sents);
        free(a->actors);
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

static void dm_actor_ref_set(dm_annotator_t *a, dm_actor_ref_t *ref, const dm_phrase_match_t *m,
                             const char *text)
{
        const dm_token_t *first = &a->toks.toks[m->first];
        const dm_token_t *last = &a->toks.toks[m->first + m->ntokens - 1];
        const dm_country_info_t *ci = dm_annotator_country(a->dict, m->code);
        ref->code = dm_strdup(m->code);
        ref->country = ci ? dm_strdup(ci->cameo) : NULL;
        ref->start = (int32_t)first->span.start;
        ref->end = (int32_t)last->span.end;
        ref->text = dm_strndup(text + first->span.start, last->span.end - first->span.start);
}

/* One sentence: actors, then "source VERB target" with the first actor
 * before the first coding verb and the first actor after it. */
static void dm_annotator_sentence(dm_annotator_t *a, dm_result_t *r, const char *text,
                                  dm_span_t sent, int32_t index)
{
        const char *const *w;
        size_t n, i, nactors = 0;
        dm_phrase_match_t verb;
        int have_verb = 0;
        size_t verb_at = 0;

        dm_tokenize(&a->toks, text, sent.start, sent.end);
        n = a->toks.count;
        w = a->toks.words_v;
        for (i = 0; i < n;) {
                dm_phrase_match_t m;
                if (dm_dict_match(a->dict, DM_PHRASE_ACTOR, w, n, i, &m)) {
                        const dm_token_t *last = &a->toks.toks[i + m.ntokens - 1];
                        dm_annotator_add_mention(a, r, m.code, text, a->toks.toks[i].span.start,
                                                 last->span.end, index);
                        dm_grow((void **)&a->actors, &a->actor_cap, nactors + 1,
                                sizeof(*a->actors));
                        a->actors[nactors++] = m;
                        i += m.ntokens;
                        continue;
                }
                if (!have_verb && nactors > 0 &&
                    dm_dict_match(a->dict, DM_PHRASE_VERB, w, n, i, &verb) &&
                    strcmp(verb.code, "---") != 0) {
                        have_verb = 1;
                        verb_at = nactors;
                        i += verb.ntokens;
                        continue;
                }
                i++;
        }
        if (have_verb && verb_at < nactors && verb_at > 0) {
                const dm_phrase_match_t *src = &a->actors[0], *tgt = &a->actors[verb_at];
                const dm_cameo_info_t *ci = dm_dict_cameo(a->dict, verb.code);
                const dm_token_t *vf = &a->toks.toks[verb.first];
                const dm_token_t *vl = &a->toks.toks[verb.first + verb.ntokens - 1];
                dm_event_t *ev;
                if (!strcmp(src->code, tgt->code))
                        return;
                ev = dm_result_add_event(r);
                ev->sentence = index;
                dm_actor_ref_set(a, &ev->source, src, text);
                dm_actor_ref_set(a, &ev->target, tgt, text);
                ev->cameo_code = dm_strdup(verb.code);
                ev->cameo_root = dm_strndup(verb.code, 2);
                if (ci) {
                        ev->quad_class = ci->quad_class;
                        ev->goldstein = ci->goldstein;
                        ev->plover_category = dm_strdup_or_null(ci->plover_category);
                        ev->plover_mode = dm_strdup_or_null(ci->plover_mode);
                        ev->plover_context = dm_strdup_or_null(ci->plover_context);
                }
                ev->trigger = dm_strndup(text + vf->span.start, vl->span.end - vf->span.start);
                ev->pattern = dm_strdup(verb.phrase);
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

        dm_result_clear(result);
        if (article->content_type == DM_CONTENT_HTML)
                text = dm_text_from_html(article->body, article->body_len);
        else
                text = dm_text_normalize_space(article->body, article->body_len);
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
                return -1;
        }
        result->article_id = dm_strdup(article->id);
        result->url = dm_strdup_or_null(article->url);
        result->title = dm_strdup_or_null(article->title);
        result->source = dm_strdup_or_null(article->source);
        result->language = dm_strdup_or_null(article->language);
        result->published_ms = article->published_ms;
        result->text = text;

        dm_split_sentences(text, len, &a->sents, &nsent, &a->sent_cap);
        for (i = 0; i < nsent; i++)
                dm_annotator_sentence(a, result, text, a->sents[i], (int32_t)i);
        result->sentence_count = (int32_t)nsent;
        dm_annotator_salience(result);
        result->annotated_ms = dm_now_ms();
        return 0;
}
