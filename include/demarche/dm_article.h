/* The article and annotation data model shared by every stage.
 *
 * An article is what the envelope parser produces from one input message; an
 * annotation result is what the annotator produces from one article and what
 * the Avro and JSON encoders serialise. Both own every string they point to
 * (heap copies); dm_article_clear() / dm_result_clear() free them. Neither is
 * shared between threads: a worker owns an article and its result until it
 * hands both to the event loop. */
#ifndef DM_ARTICLE_H
#define DM_ARTICLE_H

#include "demarche/dm_charset.h"

#include <stddef.h>
#include <stdint.h>

typedef enum dm_content_type {
        DM_CONTENT_TEXT = 0,
        DM_CONTENT_HTML = 1,
} dm_content_type_t;

typedef struct dm_article {
        char *id;    /* never NULL after parsing: given, or derived */
        char *url;   /* NULL when absent */
        char *title; /* NULL when absent */
        char *body;  /* text or HTML as given (see content_type) */
        size_t body_len;
        dm_content_type_t content_type;
        char *published_at;   /* RFC 3339 text as given, NULL when absent */
        int64_t published_ms; /* parsed published_at, -1 when unknown */
        char *source;         /* NULL when absent */
        char *language;       /* NULL when absent */
        dm_charset_t charset; /* what the input was decoded from; DM_CHARSET_UTF8: as given */
} dm_article_t;

void dm_article_init(dm_article_t *a);
void dm_article_clear(dm_article_t *a);

typedef enum dm_entity_type {
        DM_ENTITY_COUNTRY = 0,
        DM_ENTITY_PERSON,
        DM_ENTITY_ORGANIZATION,
        DM_ENTITY_LOCATION,
        DM_ENTITY_TYPE_COUNT
} dm_entity_type_t;

/* Names as they appear in the Avro enum EntityType. */
const char *dm_entity_type_name(dm_entity_type_t t);

typedef struct dm_entity {
        dm_entity_type_t type;
        char *name;         /* normalised name, e.g. "Japan" */
        char *code;         /* CAMEO actor code, NULL when unknown */
        char *country;      /* CAMEO country code of the entity, NULL when none */
        char *iso3;         /* ISO 3166-1 alpha-3 when a country applies, else NULL */
        int32_t start, end; /* byte offsets of the first mention in the text */
        int32_t sentence;   /* sentence index of the first mention */
        int32_t mentions;
        double salience; /* 0..1, share of weighted mentions */
} dm_entity_t;

typedef struct dm_actor_ref {
        char *code;         /* CAMEO actor code, NULL when no actor */
        char *country;      /* CAMEO country code, NULL when none */
        char *text;         /* matched text */
        int32_t start, end; /* byte offsets in the text, -1 when unknown */
} dm_actor_ref_t;

typedef struct dm_event {
        int32_t sentence;
        dm_actor_ref_t source;
        dm_actor_ref_t target;
        char *cameo_code;   /* e.g. "0311" */
        char *cameo_root;   /* two digits, e.g. "03" */
        int32_t quad_class; /* 1..4, 0 unknown */
        double goldstein;
        char *plover_category; /* NULL when the mapping gives none */
        char *plover_mode;
        char *plover_context;
        char *trigger; /* verb or phrase text that matched */
        char *pattern; /* the dictionary pattern that matched */
        int negated;
        int hypothetical;
        int historical;
        /* One event per source, target, code and flags per article
         * (dm_result_merge_events): how many times it is reported, in
         * which sentences (ascending; sentence is the first), with which
         * distinct triggers (trigger is the first). Owned. */
        int32_t mentions;
        int32_t *sentences;
        size_t sentence_count, sentence_cap;
        char **triggers;
        size_t trigger_count, trigger_cap;
} dm_event_t;

/* A country the article is about, with its share of the article's
 * attention (document tags). */
typedef struct dm_country_rank {
        char *code; /* CAMEO country code */
        char *iso3; /* NULL when unknown */
        char *name;
        double score; /* 0..1, the ranks sum to 1 */
} dm_country_rank_t;

typedef struct dm_result {
        /* Copied from the article so the result can be encoded on its own. */
        char *article_id;
        char *url;
        char *title;
        char *source;
        char *language;
        int64_t published_ms; /* -1 when unknown */
        int64_t annotated_ms; /* wall clock when annotation finished */
        char *text;           /* cleaned text the offsets refer to */
        int32_t sentence_count;

        dm_entity_t *entities;
        size_t entity_count, entity_cap;
        dm_event_t *events;
        size_t event_count, event_cap;

        /* Document tags (dm_annotator): themes ("sanctions", "negotiations", ...)
         * and the countries the article is about, best first. */
        char **themes;
        size_t theme_count;
        dm_country_rank_t *countries;
        size_t country_count;
} dm_result_t;

void dm_result_init(dm_result_t *r);
void dm_result_clear(dm_result_t *r);
/* Appends a zeroed entity / event and returns it; the result owns it. */
dm_entity_t *dm_result_add_entity(dm_result_t *r);
dm_event_t *dm_result_add_event(dm_result_t *r);

/* Merges the events that report the same happening (same source and target
 * codes, CAMEO code and flags) into the first of them, which keeps its
 * fields and gains the others' sentences, triggers and mentions; the rest
 * are freed. Every event leaves with mentions >= 1 and its own sentence and
 * trigger listed. Order of first reports is kept. */
void dm_result_merge_events(dm_result_t *r);

/* Why an input could not be annotated; names match the Avro enum
 * RejectReason in schemas/RejectedArticle.avsc. */
typedef enum dm_reject_reason {
        DM_REJECT_MALFORMED_JSON = 0,
        DM_REJECT_UNDECODABLE_TEXT,
        DM_REJECT_EMPTY,
        DM_REJECT_TOO_LARGE,
        DM_REJECT_UNSUPPORTED_CONTENT,
        DM_REJECT_ANNOTATION_ERROR,
        DM_REJECT_REASON_COUNT
} dm_reject_reason_t;

const char *dm_reject_reason_name(dm_reject_reason_t r);

/* A dead-letter record. All pointers are borrowed for the duration of the
 * encode call. */
typedef struct dm_rejected {
        dm_reject_reason_t reason;
        const char *error;      /* human-readable error text */
        const char *article_id; /* NULL when none could be derived */
        const void *original;   /* original message value bytes */
        size_t original_len;    /* bytes kept (may be less than the input) */
        size_t original_size;   /* size of the whole input value */
        const char *topic;
        int32_t partition;
        int64_t offset;
        int64_t rejected_ms;
} dm_rejected_t;
#endif
