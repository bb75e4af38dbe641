/* Reading back the fields of a DiplomaticEvent record that the clustering
 * stage needs (its repartition topic carries the published records as they
 * are), without going through JSON.
 *
 * Threads: a reader holds a mutable avro-c value; one reader per thread.
 * The dm_avro_t it is made from must outlive it. */
#ifndef DM_AVRO_BRIEF_H
#define DM_AVRO_BRIEF_H

#include "demarche/dm_avro.h"

#include <stddef.h>
#include <stdint.h>

/* The fields of one DiplomaticEvent. Strings are owned by the brief (freed
 * by dm_avro_brief_clear); NULL for a null or missing value. */
typedef struct dm_event_brief {
        char *event_id;
        char *article_id;
        char *url;
        char *source_code;
        char *source_country;
        char *target_code;
        char *target_country;
        char *cameo_code;
        char *cameo_root;
        char *trigger;
        int64_t published_ms; /* -1: null */
        int32_t quad_class;
        int32_t mentions;
        double goldstein;
} dm_event_brief_t;

typedef struct dm_avro_brief_reader dm_avro_brief_reader_t;

/* a is borrowed (must outlive the reader). Never NULL: the embedded schema
 * was checked by dm_avro_new, so only out of memory can fail (aborts). */
dm_avro_brief_reader_t *dm_avro_brief_reader_new(dm_avro_t *a);
/* NULL is a no-op. */
void dm_avro_brief_reader_destroy(dm_avro_brief_reader_t *r);

/* Decodes one DiplomaticEvent in either framing: single-object (C3 01 and
 * the DiplomaticEvent fingerprint) or Confluent (0, 4-byte schema id: the
 * id is not checked, the caller knows the topic holds DiplomaticEvents).
 * Clears *out first, so *out must be zeroed (or hold an earlier result)
 * before the first call. Returns 0, or -1 with errstr set. */
int dm_avro_brief_decode(dm_avro_brief_reader_t *r, const void *buf, size_t len,
                         dm_event_brief_t *out, char *errstr, size_t errstr_size);
/* Frees the strings and zeroes *b. */
void dm_avro_brief_clear(dm_event_brief_t *b);

#endif
