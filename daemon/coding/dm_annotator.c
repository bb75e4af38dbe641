#include "coding/dm_annotator_int.h"
#include "input/dm_clean.h"
#include "demarche/dm_coder.h"
#include "coding/dm_domestic.h"
#include "coding/dm_flags.h"
#include "coding/dm_frames.h"
#include "coding/dm_roles.h"
#include "dict/dm_gazetteer.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "coding/dm_tags.h"
#include "input/dm_text.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

/* The annotator: clean (dm_clean) -> segment -> per sentence: the coder's
 * actors and events, the gazetteer's places, people, organisations and
 * national bodies, the event frames (dm_frames) -> flags on every event ->
 * entities aggregated over the article with salience. */

#define DM_ANN_MAX_FRAMES 32

/* The domestic matcher's own word list, compiled once for every annotator
 * (the rules' lists are compiled when the dictionaries load). */
static pthread_once_t dm_ann_once = PTHREAD_ONCE_INIT;

static void dm_ann_init_once(void)
{
        dm_domestic_register_phrases();
}

dm_annotator_t *dm_annotator_new(const dm_dict_t *dicts)
{
        pthread_once(&dm_ann_once, dm_ann_init_once);
        dm_annotator_t *a = dm_calloc(1, sizeof(*a));
        a->dict = dicts;
        a->gaz = dm_dict_gazetteer(dicts);
        a->max_text = 1024 * 1024;
        a->frames = 1;
        a->coder = dm_coder_new(dicts);
        dm_tokens_init(&a->toks);
        return a;
}

int dm_coder_mode_parse(const char *s, dm_coder_mode_t *out)
{
        if (!strcmp(s, "parse"))
                *out = DM_CODER_MODE_PARSE;
        else if (!strcmp(s, "tabari"))
                *out = DM_CODER_MODE_TABARI;
        else
                return -1;
        return 0;
}

void dm_annotator_set_frames(dm_annotator_t *a, int on)
{
        a->frames = on;
}

int dm_annotator_set_mode(dm_annotator_t *a, dm_coder_mode_t mode, char *errstr, size_t errstr_size)
{
        const struct dm_parse_model *m = NULL;
        if (mode == DM_CODER_MODE_PARSE) {
                m = dm_dict_parser(a->dict, errstr, errstr_size);
                if (!m)
                        return -1;
        }
        dm_coder_set_parser(a->coder, m);
        return 0;
}

void dm_annotator_destroy(dm_annotator_t *a)
{
        if (!a)
                return;
        dm_coder_destroy(a->coder);
        dm_tokens_free(&a->toks);
        free(a->sents);
        free(a->ments);
        free(a->extras);
        free(a->factors);
        free(a->place_cc);
        free(a->ctx_codes);
        free(a->ctx_weights);
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

/* ---- context country ------------------------------------------------ */

static void dm_ann_ctx_add(dm_annotator_t *a, const char *country, double w)
{
        size_t i;
        for (i = 0; i < a->ctx_count; i++) {
                if (!strcmp(a->ctx_codes[i], country)) {
                        a->ctx_weights[i] += w;
                        return;
                }
        }
        dm_grow((void **)&a->ctx_codes, &a->ctx_cap, a->ctx_count + 1, sizeof(char *));
        dm_grow((void **)&a->ctx_weights, &a->ctx_wcap, a->ctx_count + 1, sizeof(double));
        a->ctx_codes[a->ctx_count] = country;
        a->ctx_weights[a->ctx_count++] = w;
}

const char *dm_ann_ctx_country(const dm_annotator_t *a)
{
        size_t i, best = 0;
        if (!a->ctx_count)
                return NULL;
        for (i = 1; i < a->ctx_count; i++)
                if (a->ctx_weights[i] > a->ctx_weights[best])
                        best = i;
        return a->ctx_codes[best];
}

/* ---- mentions in one sentence -------------------------------------- */

dm_ann_mention_t *dm_ann_add(dm_annotator_t *a, dm_entity_type_t type, size_t first, size_t last)
{
        dm_ann_mention_t *m;
        dm_grow((void **)&a->ments, &a->ment_cap, a->ment_count + 1, sizeof(*m));
        m = &a->ments[a->ment_count++];
        memset(m, 0, sizeof(*m));
        m->type = type;
        m->first = m->lead = first;
        m->last = last;
        return m;
}

dm_ann_mention_t *dm_ann_add_over(dm_annotator_t *a, dm_entity_type_t type, size_t first,
                                  size_t last)
{
        dm_ann_mention_t *m;
        size_t k;
        for (k = 0; k < a->ment_count; k++) {
                const dm_ann_mention_t *o = &a->ments[k];
                if (o->first >= first && o->last <= last && o->last - o->first < last - first)
                        a->ments[k--] = a->ments[--a->ment_count];
        }
        m = dm_ann_add(a, type, first, last);
        m->gaz_name = 1;
        return m;
}

int dm_ann_covered(const dm_annotator_t *a, size_t i)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++)
                if (a->ments[k].first <= i && i <= a->ments[k].last)
                        return 1;
        return 0;
}

/* Token index of a byte offset in the current sentence. */
static size_t dm_ann_tok_at(const dm_annotator_t *a, uint32_t off, int end)
{
        size_t i;
        for (i = 0; i < a->toks.count; i++) {
                if (!end && a->toks.toks[i].span.start >= off)
                        return i;
                if (end && a->toks.toks[i].span.end >= off)
                        return i;
        }
        return a->toks.count ? a->toks.count - 1 : 0;
}

/* The country of a mention covering token i, or NULL. */
const char *dm_ann_covering_country(const dm_annotator_t *a, size_t i)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++)
                if (a->ments[k].first <= i && i <= a->ments[k].last)
                        return a->ments[k].country;
        return NULL;
}

/* Whether a country mention ends right before token i ("China's foreign
 * ministry"). */
int dm_ann_country_before(const dm_annotator_t *a, size_t i)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++)
                if (a->ments[k].type == DM_ENTITY_COUNTRY && a->ments[k].last + 1 == i)
                        return 1;
        return 0;
}

/* Whether mention m is a prepositional object ("with Lima"), which is
 * never the subject a later "the Foreign Ministry" belongs to. */
int dm_ann_after_prep(const dm_annotator_t *a, const dm_ann_mention_t *m)
{
        static const char *const preps[] = {
            "BY",   "AGAINST", "WITH", "ON",    "OF",      "IN",     "FROM",    "TO",     "INTO",
            "OVER", "FOR",     "AT",   "ABOUT", "BETWEEN", "TOWARD", "TOWARDS", "CITING", NULL};
        const char *const *p;
        size_t i = m->first;
        if (i > 0 && !strcmp(a->toks.toks[i - 1].word, "THE"))
                i--;
        if (i == 0)
                return 0;
        /* One modifier may stand between: "with official Lima". */
        for (p = preps; *p; p++)
                if (!strcmp(a->toks.toks[i - 1].word, *p) ||
                    (i >= 2 && !strcmp(a->toks.toks[i - 2].word, *p) &&
                     islower((unsigned char)a->toks.toks[i - 1].word[0]) == 0 &&
                     isalpha((unsigned char)a->toks.toks[i - 1].word[0])))
                        return 1;
        return 0;
}

/* The country of a country mention ending right before token i ("Japanese
 * Foreign Ministry", "Japan's Foreign Ministry"); else the subject of this
 * sentence before i or of the latest sentence that had one ("Russia has
 * ended ... The Foreign Ministry said"); else the most mentioned so far. */
const char *dm_ann_adjacent_country(const dm_annotator_t *a, size_t i)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++) {
                const dm_ann_mention_t *m = &a->ments[k];
                if (m->type == DM_ENTITY_COUNTRY && m->country &&
                    (m->last + 1 == i ||
                     (m->last + 2 == i && !strcmp(a->toks.toks[m->last + 1].word, "THE"))))
                        return m->country;
        }
        for (k = 0; k < a->ment_count; k++) {
                const dm_ann_mention_t *m = &a->ments[k];
                if (m->last < i && m->country && m->actor && !dm_ann_after_prep(a, m))
                        return m->country;
        }
        if (a->last_subject)
                return a->last_subject;
        return dm_ann_ctx_country(a);
}

/* Whether a bare country mention is its adjective or demonym ("British",
 * "Japanese", "Saudi") rather than its name ("Japan", "the US"). */
static int dm_ann_is_adjective(const dm_annotator_t *a, const dm_ann_mention_t *m, const char *text)
{
        static const char *const endings[] = {"AN",  "ISH", "ESE", "I",   "IC", "CH",
                                              "ANS", "ONS", "IS",  "ERS", "ES", NULL};
        const dm_country_info_t *ci;
        const dm_token_t *t0 = &a->toks.toks[m->first], *t1 = &a->toks.toks[m->last];
        const char *last = a->toks.words_v[m->last];
        const char *const *e;
        size_t n = strlen(last);
        if (m->type != DM_ENTITY_COUNTRY || strlen(m->code) != 3 || !m->country)
                return 0;
        ci = dm_dict_country(a->dict, m->country);
        if (ci && strlen(ci->name) == t1->span.end - t0->span.start &&
            !strncasecmp(text + t0->span.start, ci->name, strlen(ci->name)))
                return 0;
        for (e = endings; *e; e++) {
                size_t l = strlen(*e);
                if (n > l && !strcmp(last + n - l, *e))
                        return 1;
        }
        return 0;
}

static int dm_ann_mention_cmp(const void *x, const void *y)
{
        const dm_ann_mention_t *p = x, *q = y;
        return p->first < q->first ? -1 : p->first > q->first;
}

/* A sentence opening with "It" ("It also suspended Chile's trade status",
 * also after an opening phrase: "On May 2, it ...") continues the
 * previous sentence's subject, which is then its actor for
 * events (no entity). Other pronouns are left alone: "he" and mid-sentence
 * "it" too often point elsewhere than the nearest name. */
static void dm_ann_pronouns(dm_annotator_t *a)
{
        static const char *const empty[] = {"IS",    "WAS",   "'S",   "SEEMS", "APPEARS", "REMAINS",
                                            "WILL",  "TAKES", "TOOK", "MAY",   "MIGHT",   "WOULD",
                                            "COULD", "HAS",   "HAD",  NULL};
        const char *const *p;
        dm_ann_mention_t *m;
        size_t i = 0, k;
        /* "It ..." or after an opening phrase with no actor in it: "On May
         * 2, it also suspended ..." */
        while (i < a->toks.count && i < 8 && strcmp(a->toks.words_v[i], "IT"))
                i++;
        if (i >= a->toks.count || i >= 8 || i + 1 >= a->toks.count || !a->subj_code[0] ||
            dm_ann_covered(a, i) || (i > 0 && strcmp(a->toks.words_v[i - 1], ",")))
                return;
        for (k = 0; k < a->ment_count; k++)
                if (a->ments[k].first < i)
                        return;
        for (p = empty; *p; p++)
                if (!strcmp(a->toks.words_v[i + 1], *p))
                        return;
        m = dm_ann_add(a, DM_ENTITY_COUNTRY, i, i);
        snprintf(m->code, sizeof(m->code), "%s", a->subj_code);
        m->country = a->subj_country;
        m->actor = 1;
        m->pronoun = 1;
}

/* ---- result assembly ------------------------------------------------ */

static void dm_ann_entity(dm_annotator_t *a, dm_result_t *r, const dm_ann_mention_t *m,
                          const char *text, int32_t sentence, double weight)
{
        const dm_token_t *t0 = &a->toks.toks[m->first], *t1 = &a->toks.toks[m->last];
        const dm_country_info_t *ci = m->country ? dm_dict_country(a->dict, m->country) : NULL;
        char *name = m->name ? dm_strdup(m->name)
                             : dm_strndup(text + t0->span.start, t1->span.end - t0->span.start);
        const char *key = m->type == DM_ENTITY_COUNTRY ? m->country : NULL;
        dm_entity_t *e = NULL;
        size_t i;
        if (m->type == DM_ENTITY_COUNTRY && ci) {
                free(name);
                name = dm_strdup(ci->name);
        }
        for (i = 0; i < r->entity_count; i++) {
                dm_entity_t *x = &r->entities[i];
                if (x->type != m->type)
                        continue;
                if (key ? (x->country && !strcmp(x->country, key))
                        : (!strcmp(x->name, name) &&
                           ((!x->country && !m->country) ||
                            (x->country && m->country && !strcmp(x->country, m->country))))) {
                        e = x;
                        break;
                }
        }
        if (e) {
                e->mentions++;
                e->salience += weight;
                free(name);
                return;
        }
        e = dm_result_add_entity(r);
        e->type = m->type;
        e->name = name;
        if (m->type == DM_ENTITY_COUNTRY)
                e->code = dm_strdup(m->country);
        else
                e->code = m->code[0] ? dm_strdup(m->code) : NULL;
        e->country = dm_strdup_or_null(m->country);
        e->iso3 = ci ? dm_strdup(ci->iso3) : NULL;
        e->start = (int32_t)t0->span.start;
        e->end = (int32_t)t1->span.end;
        e->sentence = sentence;
        e->mentions = 1;
        e->salience = weight;
}

static void dm_ann_ref(dm_actor_ref_t *ref, const char *code, const char *country, const char *text,
                       uint32_t start, uint32_t end)
{
        ref->code = dm_strdup(code);
        ref->country = dm_strdup_or_null(country);
        ref->start = (int32_t)start;
        ref->end = (int32_t)end;
        ref->text = dm_strndup(text + start, end - start);
}

/* The reference time for an undated article: the start of last year, so
 * that "in 1904" is still history while "in March" or last year's events
 * are not judged against a date we do not know. */
static int64_t dm_ann_undated_reference(void)
{
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        tm.tm_year -= 1;
        tm.tm_mon = 0;
        tm.tm_mday = 1;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        return (int64_t)timegm(&tm) * 1000;
}

static void dm_ann_event_facts(dm_annotator_t *a, dm_event_t *ev, const char *code, size_t trig,
                               int64_t date_ms)
{
        const dm_cameo_info_t *ci = dm_dict_cameo(a->dict, code);
        ev->cameo_code = dm_strdup(code);
        ev->cameo_root = dm_strndup(code, 2);
        if (ci) {
                ev->quad_class = ci->quad_class;
                ev->goldstein = ci->goldstein;
                ev->plover_category = dm_strdup_or_null(ci->plover_category);
                ev->plover_mode = dm_strdup_or_null(ci->plover_mode);
                ev->plover_context = dm_strdup_or_null(ci->plover_context);
        }
        dm_flags_event(&a->toks, trig, date_ms != -1 ? date_ms : dm_ann_undated_reference(),
                       a->sent_past, &ev->negated, &ev->hypothetical, &ev->historical);
}

/* Whether the sentence already has an event of this root between these
 * countries (the coder's, or an earlier frame's). */
static int dm_ann_has_event(const dm_result_t *r, int32_t sentence, const char *code,
                            const char *src, const char *tgt)
{
        size_t i;
        for (i = r->event_count; i > 0; i--) {
                const dm_event_t *ev = &r->events[i - 1];
                if (ev->sentence != sentence)
                        break;
                if (!strncmp(ev->cameo_code, code, 2) && ev->source.country && src &&
                    !strcmp(ev->source.country, src) && ev->target.country && tgt &&
                    !strcmp(ev->target.country, tgt))
                        return 1;
        }
        return 0;
}

/* Adds the coder's actors as mentions, skipping those that overlap a longer
 * one already found ("Brazilian Foreign Minister" over "Brazilian"). */
static void dm_ann_coder_actors(dm_annotator_t *a, const dm_coded_sentence_t *cs, int64_t date_ms)
{
        size_t i, k;
        for (i = 0; i < cs->actor_count; i++) {
                const dm_coded_actor_t *ca = &cs->actors[i];
                const dm_country_info_t *ci = dm_annotator_country(a->dict, ca->code);
                size_t first, last;
                dm_ann_mention_t *m;
                int skip = 0;
                if (!ca->code || !a->toks.count || ca->end <= ca->start)
                        continue;
                first = dm_ann_tok_at(a, ca->start, 0);
                last = dm_ann_tok_at(a, ca->end, 1);
                if (last < first)
                        last = first;
                /* A place the coder reads as its state (places.actors) is
                 * still a location for the entities: the gazetteer's. */
                {
                        const dm_gaz_entry_t *pe = NULL;
                        size_t len = dm_gaz_match(a->gaz, DM_GAZ_PLACE, a->toks.words_v,
                                                  a->toks.count, first, date_ms, &pe);
                        if (pe && len == last - first + 1)
                                continue;
                }
                for (k = 0; k < a->ment_count && !skip; k++) {
                        dm_ann_mention_t *o = &a->ments[k];
                        if (o->last < first || o->first > last)
                                continue;
                        if (o->last - o->first >= last - first) {
                                skip = 1;
                        } else {
                                /* The longer one replaces it. */
                                *o = a->ments[--a->ment_count];
                                k--;
                        }
                }
                if (skip)
                        continue;
                m = dm_ann_add(a, ci ? DM_ENTITY_COUNTRY : DM_ENTITY_ORGANIZATION, first, last);
                snprintf(m->code, sizeof(m->code), "%s", ca->code);
                m->country = ci ? ci->cameo : NULL;
                m->actor = 1;
                if (!ci) {
                        const dm_gaz_entry_t *org = dm_gaz_org(a->gaz, ca->code);
                        m->name = org ? org->name : NULL;
                } else {
                        /* An actor dictionary that lists leaders ("PUTIN_
                         * [RUSGOV]") makes them actors; the entity is still a
                         * person, coded for the article's date. */
                        const dm_gaz_entry_t *le = NULL, *be = NULL;
                        size_t len = dm_gaz_match(a->gaz, DM_GAZ_LEADER, a->toks.words_v,
                                                  a->toks.count, m->first, date_ms, &le);
                        if (le && len == m->last - m->first + 1) {
                                m->type = DM_ENTITY_PERSON;
                                dm_ann_leader(m, le, date_ms);
                                continue;
                        }
                        /* Country plus agent ("Vietnam's foreign ministry" as
                         * VNMGOV): the entities are the country and the body. */
                        for (k = m->first + 1; k <= m->last; k++) {
                                len = dm_gaz_match(a->gaz, DM_GAZ_BODY, a->toks.words_v,
                                                   a->toks.count, k, date_ms, &be);
                                if (len && k + len - 1 == m->last) {
                                        dm_ann_mention_t *c =
                                            dm_ann_add(a, DM_ENTITY_COUNTRY, first, k - 1);
                                        m = &a->ments[a->ment_count - 2];
                                        c->country = ci->cameo;
                                        snprintf(c->code, sizeof(c->code), "%s", ci->cameo);
                                        m->type = DM_ENTITY_ORGANIZATION;
                                        m->name = be->name;
                                        m->first = k;
                                        break;
                                }
                        }
                }
        }
}

static void dm_ann_domestic(dm_annotator_t *a, dm_result_t *r, const char *text, int32_t index,
                            size_t na, int64_t date_ms);

/* Parse mode, before the sentence is coded: the whole sentence's
 * dictionary actors and the gazetteer's finds become mentions first, so
 * that the people, bodies and organisations only the gazetteer knows can
 * act in the coder's events; the article's country and the latest person
 * and thing go with them (dm_coder_set_context). */
static void dm_ann_context(dm_annotator_t *a, const char *text, dm_span_t sent, int64_t date_ms)
{
        dm_coded_sentence_t cs;
        const char *country = dm_ann_ctx_country(a);
        size_t i, n = 0;
        dm_coder_find_actors(a->coder, text, sent.start, sent.end, date_ms, &cs);
        dm_ann_coder_actors(a, &cs, date_ms);
        dm_ann_people_named_by_actors(a, text);
        dm_ann_gazetteer(a, text, date_ms);
        dm_ann_people_in_apposition(a, text);
        dm_ann_people_beside_actors(a);
        dm_ann_courtesy_people(a);
        dm_ann_offices_learn(a);
        dm_grow((void **)&a->extras, &a->extra_cap, a->ment_count + 1, sizeof(*a->extras));
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (!country && m->country && m->actor)
                        country = m->country;
                if (!m->actor || !m->code[0] || m->pronoun)
                        continue;
                a->extras[n].code = m->code;
                a->extras[n].phrase = NULL;
                a->extras[n].name = m->gaz_name;
                a->extras[n].start = a->toks.toks[m->lead].span.start;
                a->extras[n].end = a->toks.toks[m->last].span.end;
                n++;
        }
        dm_coder_set_context(a->coder, country, a->ref_person, a->ref_thing, a->extras, n);
}

/* Whether the parse named the event's target as the one acted on: the
 * object, or an oblique or modifier whose preposition does not say where
 * ("said in Idlib"); not the subject of a clause said about it, nor what
 * word order filled in where the parse left the target open ("-"). */
static int dm_ann_parsed_target(const dm_coded_event_t *ce)
{
        const char *last, *prep;
        size_t n = ce->path ? strlen(ce->path) : 0;
        if (n == 0 || ce->path[n - 1] == '-')
                return 0;
        last = strrchr(ce->path, '>');
        last = last ? last + 1 : ce->path;
        prep = strchr(last, ':');
        if (!strcmp(last, "obj") || !strcmp(last, "iobj"))
                return 1;
        if (!prep || (strncmp(last, "obl:", 4) && strncmp(last, "nmod:", 5)))
                return 0;
        /* The roles' prepositions of place, "across", or none known. */
        return prep[1] && !dm_roles_locative(prep + 1) && strcmp(prep + 1, "across");
}

/* Whether token k is inside a place (a town, a region: no country) the
 * gazetteer found. */
static int dm_ann_is_place(const dm_annotator_t *a, size_t k)
{
        size_t i;
        for (i = 0; i < a->ment_count; i++)
                if (a->ments[i].type == DM_ENTITY_LOCATION && !a->ments[i].pronoun &&
                    a->ments[i].first <= k && k <= a->ments[i].last)
                        return 1;
        return 0;
}

/* Whether coded event i is a plain statement (the rules' plain-statements
 * codes) whose source and target another event of the sentence joins with
 * another code. */
static int dm_ann_statement_covered(const dm_annotator_t *a, const dm_coded_sentence_t *cs,
                                    size_t i)
{
        const dm_rules_t *rules = dm_dict_rules(a->dict);
        const dm_coded_event_t *e = &cs->events[i];
        size_t k;
        if (!e->source.code || !e->target.code ||
            !dm_rules_code_in(rules, DM_CODES_PLAIN_STATEMENTS, e->code))
                return 0;
        for (k = 0; k < cs->event_count; k++) {
                const dm_coded_event_t *o = &cs->events[k];
                if (k != i && o->source.code && o->target.code &&
                    !strcmp(o->source.code, e->source.code) &&
                    !strcmp(o->target.code, e->target.code) &&
                    !dm_rules_code_in(rules, DM_CODES_PLAIN_STATEMENTS, o->code))
                        return 1;
        }
        return 0;
}

static void dm_ann_sentence(dm_annotator_t *a, dm_result_t *r, const char *text, dm_span_t sent,
                            int32_t index, int64_t date_ms)
{
        dm_coded_sentence_t cs;
        dm_frame_event_t fe[DM_ANN_MAX_FRAMES];
        size_t i, nf, na = 0;
        int parse_mode = dm_coder_parse_mode(a->coder);
        double weight = index == 0                                                  ? 3.0
                        : (sent.start >= a->lead_start && sent.start < a->lead_end) ? 2.0
                                                                                    : 1.0;

        dm_tokenize(&a->toks, text, sent.start, sent.end);
        {
                int64_t ref = date_ms != -1 ? date_ms : dm_ann_undated_reference();
                int past, dated;
                dm_flags_sentence(&a->toks, ref, &past, &dated);
                a->sent_past = past || (a->prev_past && !dated);
                a->prev_past = past;
        }
        a->ment_count = 0;
        /* The coder lists the actors of the clauses it parses; for entities
         * every clause counts, so the clauses between commas, semicolons and
         * "while"/"but" are also read on their own first (the output of a
         * coder call lives until the next one, so the whole sentence, whose
         * events are kept, comes last). */
        if (!parse_mode) {
                size_t k, from = 0;
                for (k = 0; k <= a->toks.count; k++) {
                        const char *w = k < a->toks.count ? a->toks.words_v[k] : ",";
                        if (strcmp(w, ",") && strcmp(w, ";") && strcmp(w, ":") &&
                            strcmp(w, "WHILE") && strcmp(w, "WHEREAS") && strcmp(w, "BUT"))
                                continue;
                        if (k > from + 1 && !(from == 0 && k == a->toks.count)) {
                                dm_coder_find_actors(a->coder, text, a->toks.toks[from].span.start,
                                                     a->toks.toks[k - 1].span.end, date_ms, &cs);
                                dm_ann_coder_actors(a, &cs, date_ms);
                        }
                        from = k + 1;
                }
        }
        if (parse_mode)
                dm_ann_context(a, text, sent, date_ms);
        dm_coder_code_sentence(a->coder, text, sent.start, sent.end, date_ms, &cs);
        dm_ann_coder_actors(a, &cs, date_ms);
        /* Countries of this sentence count for its bodies ("Russia ... the
         * Foreign Ministry said"). */
        for (i = 0; i < a->ment_count; i++)
                if (a->ments[i].country)
                        dm_ann_ctx_add(a, a->ments[i].country, weight);
        if (!parse_mode)
                dm_ann_gazetteer(a, text, date_ms);

        dm_ann_pronouns(a);
        /* In text order: frames pick the nearest subject by position. */
        if (a->ment_count > 1)
                qsort(a->ments, a->ment_count, sizeof(*a->ments), dm_ann_mention_cmp);
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (m->country && m->actor && !dm_ann_after_prep(a, m)) {
                        a->last_subject = m->country;
                        snprintf(a->subj_code, sizeof(a->subj_code), "%s", m->code);
                        a->subj_country = m->country;
                        break;
                }
        }

        if (parse_mode)
                dm_ann_remember_refs(a, text, &cs);
        dm_grow((void **)&a->factors, &a->factor_cap, a->ment_count + 1, sizeof(*a->factors));
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (!m->pronoun)
                        dm_ann_entity(a, r, m, text, index, weight);
                if (!m->actor)
                        continue;
                a->factors[na].code = m->code;
                a->factors[na].country = m->country;
                a->factors[na].first = m->first;
                a->factors[na].last = m->last;
                dm_frames_classify(dm_dict_rules(a->dict), &a->toks, &a->factors[na],
                                   dm_ann_is_adjective(a, m, text));
                na++;
        }

        for (i = 0; i < cs.event_count; i++) {
                const dm_coded_event_t *ce = &cs.events[i];
                const dm_country_info_t *sc = dm_annotator_country(a->dict, ce->source.code);
                const dm_country_info_t *tc = dm_annotator_country(a->dict, ce->target.code);
                dm_event_t *ev;
                /* The shallow coder's roles come from word order and need
                 * the frames' veto; in parse mode they come from syntax. */
                if (!ce->path &&
                    !dm_frames_accept_coded(
                        dm_dict_rules(a->dict), &a->toks, ce->code, ce->source.code,
                        dm_ann_tok_at(a, ce->verb_start, 0), a->factors, na,
                        ce->source.code ? dm_ann_tok_at(a, ce->source.start, 0) : (size_t)-1,
                        ce->target.code ? dm_ann_tok_at(a, ce->target.start, 0) : (size_t)-1))
                        continue;
                /* A statement ("said") of one actor about another is what
                 * the same speech's more specific event says when the
                 * sentence has one ("X said Y was wrong": 111, not 010). */
                if (ce->path && dm_ann_statement_covered(a, &cs, i))
                        continue;
                /* A country acting on itself without an agent on either side
                 * ("Turkey ... Turkey's leader") is a misparse, not an event;
                 * an agent's deed on a place of its own country is one
                 * ("Syrian troops shelled Douma"). */
                if (sc && tc && sc == tc &&
                    (!strcmp(ce->source.code, ce->target.code) || strlen(ce->source.code) == 3 ||
                     (strlen(ce->target.code) == 3 &&
                      !(dm_ann_parsed_target(ce) &&
                        dm_ann_is_place(a, dm_ann_tok_at(a, ce->target.start, 0))))))
                        continue;
                ev = dm_result_add_event(r);
                ev->sentence = index;
                dm_ann_ref(&ev->source, ce->source.code, sc ? sc->cameo : NULL, text,
                           ce->source.start, ce->source.end);
                if (ce->target.code)
                        dm_ann_ref(&ev->target, ce->target.code, tc ? tc->cameo : NULL, text,
                                   ce->target.start, ce->target.end);
                ev->trigger = dm_strndup(text + ce->verb_start, ce->verb_end - ce->verb_start);
                ev->pattern =
                    ce->path
                        ? dm_asprintf("%s [%s]", ce->verb_phrase ? ce->verb_phrase : "", ce->path)
                        : dm_strdup_or_null(ce->verb_phrase);
                dm_ann_event_facts(a, ev, ce->code, dm_ann_tok_at(a, ce->verb_start, 0), date_ms);
                ev->negated |= ce->negated;
                ev->hypothetical |= ce->hypothetical;
                ev->historical |= ce->historical;
        }

        nf = a->frames && !getenv("XNOFR") ? dm_frames_code(dm_dict_rules(a->dict), &a->toks, a->factors, na, fe,
                                        DM_ANN_MAX_FRAMES)
                       : 0;
        for (i = 0; i < nf; i++) {
                const dm_frame_actor_t *s = &a->factors[fe[i].source];
                const dm_frame_actor_t *t = &a->factors[fe[i].target];
                const dm_token_t *tk = a->toks.toks;
                dm_event_t *ev;
                if (dm_ann_has_event(r, index, fe[i].code, s->country, t->country))
                        continue;
                ev = dm_result_add_event(r);
                ev->sentence = index;
                dm_ann_ref(&ev->source, s->code, s->country, text, tk[s->first].span.start,
                           tk[s->last].span.end);
                dm_ann_ref(&ev->target, t->code, t->country, text, tk[t->first].span.start,
                           tk[t->last].span.end);
                ev->trigger =
                    dm_strndup(text + tk[fe[i].trig_first].span.start,
                               tk[fe[i].trig_last].span.end - tk[fe[i].trig_first].span.start);
                ev->pattern = dm_asprintf("frame:%s", fe[i].rule);
                dm_ann_event_facts(a, ev, fe[i].code, fe[i].trig_first, date_ms);
        }
        if (a->frames)
                dm_ann_domestic(a, r, text, index, na, date_ms);
}

/* The domestic frames (dm_domestic): one country's people and institutions
 * acting on each other, with the article's country for groups named without
 * one. An event of the same three-digit code from the same country in the
 * sentence (the coder's or a frame's) is not coded twice. */
static void dm_ann_domestic(dm_annotator_t *a, dm_result_t *r, const char *text, int32_t index,
                            size_t na, int64_t date_ms)
{
        dm_domestic_event_t de[DM_ANN_MAX_FRAMES];
        const dm_token_t *tk = a->toks.toks;
        size_t i, k, nd;
        dm_grow((void **)&a->place_cc, &a->place_cap, a->toks.count + 1, sizeof(*a->place_cc));
        memset(a->place_cc, 0, (a->toks.count + 1) * sizeof(*a->place_cc));
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (m->country && !m->pronoun &&
                    (m->type == DM_ENTITY_LOCATION || m->type == DM_ENTITY_COUNTRY))
                        for (k = m->first; k <= m->last && k < a->toks.count; k++)
                                a->place_cc[k] = m->country;
        }
        nd = dm_domestic_code(dm_dict_rules(a->dict), &a->toks, a->factors, na, a->place_cc,
                              dm_ann_ctx_country(a), de, DM_ANN_MAX_FRAMES);
        for (i = 0; i < nd; i++) {
                const dm_domestic_event_t *d = &de[i];
                dm_event_t *ev;
                int dup = 0;
                for (k = r->event_count; k > 0 && !dup; k--) {
                        const dm_event_t *o = &r->events[k - 1];
                        if (o->sentence != index)
                                break;
                        dup = !strncmp(o->cameo_code, d->code, 3) && o->source.country &&
                              !strcmp(o->source.country, d->source.country);
                }
                if (dup)
                        continue;
                ev = dm_result_add_event(r);
                ev->sentence = index;
                dm_ann_ref(&ev->source, d->source.code, d->source.country, text,
                           tk[d->source.first].span.start, tk[d->source.last].span.end);
                if (d->target.code[0])
                        dm_ann_ref(&ev->target, d->target.code, d->target.country, text,
                                   tk[d->target.first].span.start, tk[d->target.last].span.end);
                ev->trigger = dm_strndup(text + tk[d->trig_first].span.start,
                                         tk[d->trig_last].span.end - tk[d->trig_first].span.start);
                ev->pattern = dm_asprintf("domestic:%s", d->rule);
                dm_ann_event_facts(a, ev, d->code, d->trig_first, date_ms);
        }
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
        a->ctx_count = 0;
        a->last_subject = NULL;
        a->prev_past = a->sent_past = 0;
        a->subj_code[0] = '\0';
        a->subj_country = NULL;
        a->ref_person[0] = a->ref_thing[0] = '\0';
        a->npeople = a->people_next = a->noffices = 0;
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
        a->lead_start = doc.lead_start;
        a->lead_end = doc.lead_end;

        dm_split_sentences(text, len, &a->sents, &nsent, &a->sent_cap);
        for (i = 0; i < nsent; i++)
                dm_ann_sentence(a, result, text, a->sents[i], (int32_t)i, result->published_ms);
        result->sentence_count = (int32_t)nsent;
        /* One event per happening: the headline, the lead and the body
         * often report the same one. */
        dm_result_merge_events(result);
        dm_tags_salience(result);
        dm_tags_document(a->dict, result);
        result->annotated_ms = dm_now_ms();
        rc = 0;
fail:
        dm_clean_doc_clear(&doc);
        return rc;
}
