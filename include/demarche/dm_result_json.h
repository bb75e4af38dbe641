/* JSON output: the JSON form of an annotation result, and the small streaming
 * JSON writer it is built on (also used by dm_avro_decode_to_json so that a
 * decoded AnnotatedArticle prints exactly like dm_result_to_json's output).
 *
 * The JSON form of AnnotatedArticle uses the schema's field names and order
 * (schemas/AnnotatedArticle.avsc):
 *   - optional fields are JSON null when absent (never omitted);
 *   - published_at / annotated_at stay what the schema stores: integers,
 *     milliseconds since the Unix epoch UTC (no ISO 8601 conversion, so the
 *     JSON and the Avro record carry the same values);
 *   - enums are their symbol strings ("COUNTRY");
 *   - doubles are written with the fewest digits that read back to the same
 *     value, always with a '.' or an exponent; NaN and infinities as null.
 *
 * Everything here works on caller-owned memory only and is safe from any
 * thread as long as a writer is used by one thread at a time. */
#ifndef DM_RESULT_JSON_H
#define DM_RESULT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "demarche/dm_article.h"
#include "demarche/dm_buf.h"

/* The JSON form of r described above, NUL-terminated, without a trailing
 * newline: on one line when pretty is 0, indented by two spaces otherwise.
 * A required string that is NULL in r (article_id, an entity's name, an
 * event's cameo_code / cameo_root) is written as "", as the Avro encoder
 * does. Never NULL (out of memory
 * aborts); the caller frees. */
char *dm_result_to_json(const dm_result_t *r, int pretty);

/* Nesting beyond this still produces valid JSON but loses the separator
 * bookkeeping; the demarche schemas nest five levels at most. */
#define DM_JSON_MAX_DEPTH 64

/* A streaming JSON writer appending to a caller-owned dm_buf_t. A plain
 * value type (no _new/_destroy): it owns nothing. Call dm_json_key before
 * every value inside an object. The writer does not check the call sequence;
 * a wrong one produces invalid JSON. */
typedef struct dm_json_writer {
        dm_buf_t *out; /* borrowed */
        int pretty;
        int depth;
        int after_key;
        unsigned char first[DM_JSON_MAX_DEPTH + 1]; /* nothing written yet at depth */
} dm_json_writer_t;

/* out is appended to, not reset. */
void dm_json_writer_init(dm_json_writer_t *w, dm_buf_t *out, int pretty);
void dm_json_begin_object(dm_json_writer_t *w);
void dm_json_end_object(dm_json_writer_t *w);
void dm_json_begin_array(dm_json_writer_t *w);
void dm_json_end_array(dm_json_writer_t *w);
void dm_json_key(dm_json_writer_t *w, const char *key);
/* NULL writes null. */
void dm_json_string(dm_json_writer_t *w, const char *s);
/* len bytes of UTF-8; NUL bytes are escaped, bytes that are not valid UTF-8
 * are replaced by U+FFFD so that the output is always valid JSON. */
void dm_json_string_len(dm_json_writer_t *w, const char *s, size_t len);
/* Binary data the way the Avro JSON encoding writes "bytes": a string in
 * which each byte is the code point U+0000..U+00FF. Lossless, and readable
 * when the bytes are ASCII (the usual case: a rejected JSON envelope). */
void dm_json_bytes(dm_json_writer_t *w, const void *data, size_t len);
void dm_json_int(dm_json_writer_t *w, int64_t v);
void dm_json_double(dm_json_writer_t *w, double v);
void dm_json_bool(dm_json_writer_t *w, int v);
void dm_json_null(dm_json_writer_t *w);

#endif
