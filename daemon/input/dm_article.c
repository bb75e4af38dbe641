#include "demarche/dm_article.h"
#include "demarche/dm_mem.h"

#include <stdlib.h>
#include <string.h>

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
        for (i = 0; i < r->event_count; i++) {
                dm_event_t *ev = &r->events[i];
                dm_actor_ref_clear(&ev->source);
                dm_actor_ref_clear(&ev->target);
                free(ev->cameo_code);
                free(ev->cameo_root);
                free(ev->plover_category);
                free(ev->plover_mode);
                free(ev->plover_context);
                free(ev->trigger);
                free(ev->pattern);
        }
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
