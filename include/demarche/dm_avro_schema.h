/* Avro schema identity: Parsing Canonical Form and the CRC-64-AVRO fingerprint.
 *
 * Avro single-object encoding (and every schema registry) identifies a schema
 * by the 64-bit Rabin fingerprint of its Parsing Canonical Form, so two texts
 * that differ only in docs, defaults, aliases, logical types, attribute order
 * or whitespace must yield the same 8 bytes as the Java, Python and fastavro
 * implementations. avro-c 1.11 has neither, hence this module.
 *
 * Everything here is pure: no global state, safe from any thread. */
#ifndef DM_AVRO_SCHEMA_H
#define DM_AVRO_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

/* The CRC-64-AVRO fingerprint's initial value (and the fingerprint of the
 * empty string), as given by the Avro specification. */
#define DM_AVRO_CRC64_EMPTY 0xc15d213aa4d7a795ULL

/* CRC-64-AVRO (Rabin) fingerprint of len bytes. Returned as the unsigned
 * value; the Java implementation prints the same bits as a signed long, and
 * single-object encoding writes it little-endian. */
uint64_t dm_avro_crc64(const void *data, size_t len);

/* Parsing Canonical Form of the schema JSON text json[0..len), per the Avro
 * 1.11 specification: primitives in their simple form, short names replaced
 * by full names (namespaces inherited from the most tightly enclosing named
 * type), only name/type/fields/symbols/items/values/size kept, in that order,
 * strings unescaped to UTF-8, integers without quotes or leading zeros, no
 * whitespace.
 *
 * A type reference without a dot is resolved in the enclosing namespace
 * first and, as the Java implementation does, in the null namespace when no
 * such type is defined there; a reference to a type not defined before it
 * (or a named type defined twice) is an error.
 *
 * Returns a NUL-terminated heap string the caller frees (its length in
 * *out_len when out_len is not NULL), or NULL with a message in errstr when
 * the text is not valid JSON or not a valid schema. */
char *dm_avro_schema_canonical(const char *json, size_t len, size_t *out_len, char *errstr,
                               size_t errstr_size);

/* Fingerprint of the Parsing Canonical Form of json[0..len) into *fp.
 * Returns 0, or -1 with a message in errstr (see dm_avro_schema_canonical). */
int dm_avro_schema_fingerprint(const char *json, size_t len, uint64_t *fp, char *errstr,
                               size_t errstr_size);

#endif
