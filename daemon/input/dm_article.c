#include "demarche/dm_article.h"
#include "demarche/dm_mem.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void dm_article_init(dm_article_t *a)
{
        memset(a, 0, sizeof(*a));
        a->published_ms = -1;
}

void dm_article_clear(dm_article_t *a)
{
        free(a->id);
        free(a->url);
        free(a->title);
        free(a->body);
        free(a->published_at);
        free(a->source);
        free(a->language);
        dm_article_init(a);
}

const char *dm_entity_type_name(dm_entity_type_t t)
{
        static const char *names[] = {"COUNTRY", "PERSON", "ORGANIZATION", "LOCATION"};
        return (unsigned)t < DM_ENTITY_TYPE_COUNT ? names[t] : "UNKNOWN";
}

void dm_result_init(dm_result_t *r)
{
        memset(r, 0, sizeof(*r));
        r->published_ms = -1;
}

static void dm_actor_ref_clear(dm_actor_ref_t *a)
{
        free(a->code);
        free(a->country);
        free(a->text);
}

static void dm_event_clear(dm_event_t *ev)
{
        size_t k;
        dm_actor_ref_clear(&ev->source);
        dm_actor_ref_clear(&ev->target);
        free(ev->cameo_code);
        free(ev->cameo_root);
        free(ev->plover_category);
        free(ev->plover_mode);
        free(ev->plover_context);
        free(ev->trigger);
        free(ev->pattern);
        for (k = 0; k < ev->trigger_count; k++)
                free(ev->triggers[k]);
        free(ev->triggers);
        free(ev->sentences);
}

void dm_result_clear(dm_result_t *r)
{
        size_t i;
        for (i = 0; i < r->entity_count; i++) {
                dm_entity_t *e = &r->entities[i];
                free(e->name);
                free(e->code);
                free(e->country);
                free(e->iso3);
        }
        for (i = 0; i < r->event_count; i++)
                dm_event_clear(&r->events[i]);
        for (i = 0; i < r->theme_count; i++)
                free(r->themes[i]);
        for (i = 0; i < r->country_count; i++) {
                free(r->countries[i].code);
                free(r->countries[i].iso3);
                free(r->countries[i].name);
        }
        free(r->themes);
        free(r->countries);
        free(r->entities);
        free(r->events);
        free(r->article_id);
        free(r->url);
        free(r->title);
        free(r->source);
        free(r->language);
        free(r->text);
        dm_result_init(r);
}

dm_entity_t *dm_result_add_entity(dm_result_t *r)
{
        dm_entity_t *e;
        dm_grow((void **)&r->entities, &r->entity_cap, r->entity_count + 1, sizeof(*e));
        e = &r->entities[r->entity_count++];
        memset(e, 0, sizeof(*e));
        e->start = e->end = -1;
        return e;
}

dm_event_t *dm_result_add_event(dm_result_t *r)
{
        dm_event_t *ev;
        dm_grow((void **)&r->events, &r->event_cap, r->event_count + 1, sizeof(*ev));
        ev = &r->events[r->event_count++];
        memset(ev, 0, sizeof(*ev));
        ev->source.start = ev->source.end = -1;
        ev->target.start = ev->target.end = -1;
        return ev;
}

const char *dm_reject_reason_name(dm_reject_reason_t r)
{
        static const char *names[] = {"MALFORMED_JSON", "UNDECODABLE_TEXT",    "EMPTY",
                                      "TOO_LARGE",      "UNSUPPORTED_CONTENT", "ANNOTATION_ERROR"};
        return (unsigned)r < DM_REJECT_REASON_COUNT ? names[r] : "ANNOTATION_ERROR";
}

static int dm_event_str_eq(const char *a, const char *b)
{
        return (!a && !b) || (a && b && !strcmp(a, b));
}

/* How actor a and actor b of two events compare: 0 different, 1 the same
 * or a the finer, 2 b the finer. A country named alone and one of its
 * agents are the same actor told at two levels of detail ("Russia scraps
 * talks", "Russia's foreign ministry broke off talks"); two agents of a
 * country are not. */
static int dm_event_ref_fit(const dm_actor_ref_t *a, const dm_actor_ref_t *b)
{
        if (dm_event_str_eq(a->code, b->code))
                return 1;
        if (!a->code || !b->code || !a->country || !b->country || strcmp(a->country, b->country))
                return 0;
        if (!strcmp(b->code, b->country))
                return 1;
        return !strcmp(a->code, a->country) ? 2 : 0;
}

/* 0 when b is another event than a; else a bit per side whose actor b
 * tells in more detail (1 source, 2 target), plus 4. */
static int dm_event_same(const dm_event_t *a, const dm_event_t *b)
{
        int fs, ft;
        if (!dm_event_str_eq(a->cameo_code, b->cameo_code) || !a->negated != !b->negated ||
            !a->hypothetical != !b->hypothetical || !a->historical != !b->historical)
                return 0;
        fs = dm_event_ref_fit(&a->source, &b->source);
        ft = dm_event_ref_fit(&a->target, &b->target);
        if (!fs || !ft)
                return 0;
        return 4 | (fs == 2 ? 1 : 0) | (ft == 2 ? 2 : 0);
}

static void dm_actor_ref_swap(dm_actor_ref_t *a, dm_actor_ref_t *b)
{
        dm_actor_ref_t t = *a;
        *a = *b;
        *b = t;
}

/* Adds sentence and trigger to the event's support; returns 1 when the
 * sentence is new to it (another mention), 0 when it already supported it. */
static int dm_event_support(dm_event_t *ev, int32_t sentence, const char *trigger)
{
        size_t k;
        int added = 0;
        for (k = 0; k < ev->sentence_count && ev->sentences[k] != sentence; k++)
                ;
        if (k == ev->sentence_count) {
                added = 1;
                /* Sentences come in order; keep them ascending anyway. */
                dm_grow((void **)&ev->sentences, &ev->sentence_cap, ev->sentence_count + 1,
                        sizeof(*ev->sentences));
                for (k = ev->sentence_count; k > 0 && ev->sentences[k - 1] > sentence; k--)
                        ev->sentences[k] = ev->sentences[k - 1];
                ev->sentences[k] = sentence;
                ev->sentence_count++;
        }
        if (!trigger)
                return added;
        for (k = 0; k < ev->trigger_count; k++)
                if (!strcasecmp(ev->triggers[k], trigger))
                        return added;
        dm_grow((void **)&ev->triggers, &ev->trigger_cap, ev->trigger_count + 1,
                sizeof(*ev->triggers));
        ev->triggers[ev->trigger_count++] = dm_strdup(trigger);
        return added;
}

void dm_result_merge_events(dm_result_t *r)
{
        size_t i, j, kept = 0;
        for (i = 0; i < r->event_count; i++) {
                dm_event_t *ev = &r->events[i];
                int same = 0;
                for (j = 0; j < kept && !(same = dm_event_same(&r->events[j], ev)); j++)
                        ;
                if (j < kept) {
                        dm_event_t *first = &r->events[j];
                        /* A mention is a sentence that reports the event:
                         * two codings of one sentence are one report. */
                        if (dm_event_support(first, ev->sentence, ev->trigger))
                                first->mentions += ev->mentions > 0 ? ev->mentions : 1;
                        if (same & 1)
                                dm_actor_ref_swap(&first->source, &ev->source);
                        if (same & 2)
                                dm_actor_ref_swap(&first->target, &ev->target);
                        dm_event_clear(ev);
                        continue;
                }
                if (ev->mentions < 1)
                        ev->mentions = 1;
                dm_event_support(ev, ev->sentence, ev->trigger);
                if (kept != i)
                        r->events[kept] = *ev;
                kept++;
        }
        r->event_count = kept;
}
