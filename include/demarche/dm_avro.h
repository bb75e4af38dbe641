/* Avro encoding of demarche's output records.
 *
 * Records are written in Avro single-object encoding: the two marker bytes
 * C3 01, the 8-byte little-endian CRC-64-AVRO fingerprint of the writer
 * schema's Parsing Canonical Form, then the Avro binary body. A consumer
 * identifies the schema from the fingerprint alone (no registry needed), and
 * a changed schema can never be mistaken for the old one.
 *
 * The schemas are schemas/ *.avsc compiled into the binary (see
 * cmake/embed_schemas.cmake), so the encoder and the schema it announces
 * always match.
 *
 * Threads: a dm_avro_t is created once and is read-only afterwards, so any
 * number of threads may share it. An encoder holds mutable avro-c values and
 * must be used by one thread at a time: create one per worker thread.
 * Caveat: avro-c keeps its last error message in one process-wide buffer, so
 * the avro-c part of an error message may be garbled when two threads fail
 * at once; the return codes are reliable. */
#ifndef DM_AVRO_H
#define DM_AVRO_H

#include <stddef.h>
#include <stdint.h>

#include "demarche/dm_article.h"
#include "demarche/dm_buf.h"

/* Single-object encoding header: marker, then the fingerprint. */
#define DM_AVRO_MAGIC0      0xc3
#define DM_AVRO_MAGIC1      0x01
#define DM_AVRO_HEADER_SIZE 10

typedef enum dm_avro_kind {
        DM_AVRO_ARTICLE = 0, /* org.demarche.AnnotatedArticle */
        DM_AVRO_EVENT,       /* org.demarche.DiplomaticEvent */
        DM_AVRO_REJECTED,    /* org.demarche.RejectedArticle */
        DM_AVRO_CLUSTER,     /* org.demarche.EventCluster (cluster.enabled only) */
        DM_AVRO_KIND_COUNT
} dm_avro_kind_t;

typedef struct dm_avro dm_avro_t;
typedef struct dm_avro_encoder dm_avro_encoder_t;

/* Parses the embedded schemas and computes their fingerprints, then checks
 * that the encoder can fill every field of each schema (so that a schema
 * edit that the encoder does not follow fails at startup, not on the first
 * article). Returns NULL with a message in errstr on failure. */
dm_avro_t *dm_avro_new(char *errstr, size_t errstr_size);
/* NULL is a no-op. Every encoder made from a must be destroyed first. */
void dm_avro_destroy(dm_avro_t *a);

/* The record name without namespace ("AnnotatedArticle"), which is also the
 * schema file's stem; NULL for an invalid kind. Static storage. */
const char *dm_avro_kind_name(dm_avro_kind_t kind);
/* CRC-64-AVRO fingerprint of the schema's Parsing Canonical Form; 0 for an
 * invalid kind. */
uint64_t dm_avro_fingerprint(const dm_avro_t *a, dm_avro_kind_t kind);
/* The schema text exactly as in schemas/<name>.avsc (NUL-terminated, owned
 * by a, valid until dm_avro_destroy); NULL for an invalid kind. */
const char *dm_avro_schema_text(const dm_avro_t *a, dm_avro_kind_t kind);

/* Which of the schemas a single-object encoded buffer was written with.
 * Returns 0 and sets *kind, or -1 with a message in errstr when the buffer
 * is too short, lacks the C3 01 marker or carries an unknown fingerprint.
 * Any thread. */
int dm_avro_identify(const dm_avro_t *a, const void *buf, size_t len, dm_avro_kind_t *kind,
                     char *errstr, size_t errstr_size);

/* A per-thread encoder. a must outlive it. Never NULL (out of memory aborts;
 * a is known good). */
dm_avro_encoder_t *dm_avro_encoder_new(dm_avro_t *a);
/* NULL is a no-op. */
void dm_avro_encoder_destroy(dm_avro_encoder_t *enc);

/* The encode functions reset *out, then write one single-object encoded
 * record into it (out->len is its size). r / rej are only read, and only
 * during the call. Returns 0, or -1 with a message in errstr (out's content
 * is then unspecified).
 *
 * Mapping: NULL optional strings become null; a NULL required string
 * (article_id, an entity's name, an event's cameo_code / cameo_root) is
 * written as "" rather than failing the record; published_ms == -1 becomes
 * a null published_at; an out-of-range entity type becomes UNKNOWN. */
int dm_avro_encode_article(dm_avro_encoder_t *enc, const dm_result_t *r, dm_buf_t *out,
                           char *errstr, size_t errstr_size);
/* One DiplomaticEvent: r->events[event_index] with r's article_id, url and
 * published_at; event_id is "<article_id>:<event_index>", the same as in
 * the AnnotatedArticle record. event_index must be < r->event_count. */
int dm_avro_encode_event(dm_avro_encoder_t *enc, const dm_result_t *r, size_t event_index,
                         dm_buf_t *out, char *errstr, size_t errstr_size);
/* original_truncated is written as original_len < original_size. */
int dm_avro_encode_rejected(dm_avro_encoder_t *enc, const dm_rejected_t *rej, dm_buf_t *out,
                            char *errstr, size_t errstr_size);

/* One org.demarche.EventCluster record, as the clustering stage publishes
 * it. Every pointer is borrowed for the call only; NULL strings are written
 * as "" except trigger, which becomes null. */
typedef struct dm_cluster_record {
        const char *cluster_id;
        const char *cluster_key;
        const char *source;
        const char *target;
        const char *cameo_code;
        const char *cameo_root;
        int32_t quad_class;
        double goldstein;
        const char *day; /* YYYY-MM-DD */
        int64_t first_seen_ms;
        int64_t last_seen_ms;
        int32_t mentions;
        int32_t articles;
        int32_t sources;
        const char *const *article_ids;
        size_t article_id_count;
        const char *trigger;
        int64_t updated_ms;
} dm_cluster_record_t;

int dm_avro_encode_cluster(dm_avro_encoder_t *enc, const dm_cluster_record_t *c, dm_buf_t *out,
                           char *errstr, size_t errstr_size);

/* Decodes one single-object encoded record written with any of the
 * schemas and writes it to *json_out (reset first) as one line of JSON:
 * records as objects in schema field order, unions as their value (null or
 * the value itself: the demarche schemas only have ["null", T] unions),
 * enums as their symbol, timestamps as the stored integer milliseconds,
 * bytes as in the Avro JSON encoding (one code point U+0000..U+00FF per
 * byte). An AnnotatedArticle therefore prints exactly as
 * dm_result_to_json(r, 0) of the result it was encoded from.
 * Returns 0, or -1 with a message in errstr for an unknown header or a
 * malformed body (including trailing bytes after the record). Any thread:
 * it uses no encoder and allocates its avro-c values per call. */
int dm_avro_decode_to_json(dm_avro_t *a, const void *buf, size_t len, dm_buf_t *json_out,
                           char *errstr, size_t errstr_size);

#endif
