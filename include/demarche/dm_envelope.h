/* Input envelope parsing: one Kafka message value -> one dm_article_t.
 *
 * A value that is a JSON object is read as the envelope
 *   {"id","url","title","text" or "html","published_at","source","language"}
 * (only one of text/html is required; an optional "charset" names the
 * encoding of the bodies when they are not UTF-8). Any other value is the raw
 * article, text or HTML (sniffed). Values that are not UTF-8 are repaired
 * where dm_charset can (out->charset says from what), else rejected as
 * UNDECODABLE_TEXT. A missing id is derived from a hash of the url, else
 * of the body, so that redelivery of the same article gives the same id.
 *
 * Pure function of its input; safe to call from any thread. */
#ifndef DM_ENVELOPE_H
#define DM_ENVELOPE_H

#include "demarche/dm_article.h"

#include <stddef.h>

/* Parses value[0..len) into *out (initialised by the caller with
 * dm_article_init; on success the caller owns its strings and frees them with
 * dm_article_clear). key may be NULL; when the envelope has no id and key is
 * non-empty valid UTF-8, the key is not used as the id: ids come from content
 * so that they are stable whatever the producer puts in keys.
 *
 * Returns 0 on success. On failure returns -1, leaves *out cleared, sets
 * *reason and writes a message to errstr. */
int dm_envelope_parse(const void *value, size_t len, dm_article_t *out, dm_reject_reason_t *reason,
                      char *errstr, size_t errstr_size);

/* Derives an article id: "a" followed by 16 hex digits of a 64-bit FNV-1a
 * hash of data. Caller frees. */
char *dm_envelope_derive_id(const void *data, size_t len);

/* Parses an RFC 3339 timestamp ("2022-03-21T10:15:00Z",
 * "2022-03-21T10:15:00.250+03:00", also a bare date "2022-03-21") into
 * milliseconds since the epoch (UTC). Returns 0 on success, -1 otherwise. */
int dm_envelope_parse_rfc3339(const char *s, int64_t *ms_out);

/* Returns 1 when the bytes look like HTML (a leading tag such as <!DOCTYPE,
 * <html, <body, <p, <div ... after optional whitespace/BOM), else 0. */
int dm_envelope_looks_like_html(const void *data, size_t len);

/* Returns 1 when data is valid UTF-8 (no overlongs, no surrogates). */
int dm_envelope_valid_utf8(const void *data, size_t len);

#endif
