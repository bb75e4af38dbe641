/* Input character sets: turns the bytes of one message value into UTF-8,
 * repairing what is repairable (issue 4).
 *
 * Valid UTF-8 is taken as is. Otherwise, in this order:
 *   - a UTF-16 byte order mark (FF FE, FE FF): transcoded from UTF-16;
 *   - a declared charset (an envelope's top-level "charset" field, else an
 *     HTML <meta charset> / http-equiv Content-Type in the first 1024 bytes)
 *     naming ISO-8859-1 / Windows-1252 (and their aliases): every high byte
 *     decoded as Windows-1252; naming UTF-16 without a byte order mark:
 *     transcoded, byte order from the first (ASCII) character;
 *   - no valid multi-byte UTF-8 sequence at all: decoded as Windows-1252;
 *   - valid UTF-8 with at most one stray byte per 100 bytes: each stray byte
 *     decoded as Windows-1252 (UTF-8 text with pasted-in Latin-1 fragments).
 * Anything else is refused with the byte offset and the reason: NUL bytes,
 * control bytes (binary data), the five bytes Windows-1252 leaves undefined
 * (81 8D 8F 90 9D), unpaired UTF-16 surrogates, too many stray bytes, a
 * declared charset this module cannot decode.
 *
 * Pure functions of their input; safe to call from any thread. */
#ifndef DM_CHARSET_H
#define DM_CHARSET_H

#include <stddef.h>

/* What the input was decoded from. DM_CHARSET_UTF8 means taken as is; every
 * other value is a repair (the order is the label order of the metric
 * demarche_input_repaired_total, whose index is the value minus one). */
typedef enum dm_charset {
        DM_CHARSET_UTF8 = 0,
        DM_CHARSET_UTF16LE,
        DM_CHARSET_UTF16BE,
        DM_CHARSET_WINDOWS1252,   /* every high byte decoded as Windows-1252 */
        DM_CHARSET_UTF8_REPAIRED, /* UTF-8 with stray bytes decoded as Windows-1252 */
        DM_CHARSET_COUNT
} dm_charset_t;

/* "utf-8", "utf-16le", "utf-16be", "windows-1252", "utf-8+windows-1252". */
const char *dm_charset_name(dm_charset_t c);

/* Length of the longest valid UTF-8 prefix of data[0..len) (len when all of
 * it is valid): Unicode Table 3-7, no overlongs, surrogates or code points
 * above U+10FFFF. */
size_t dm_charset_utf8_valid_prefix(const void *data, size_t len);

/* Decodes data[0..len) to UTF-8 without NUL bytes.
 *
 * Returns 0 on success with *charset set. When the input is valid UTF-8 it
 * is used as is: *out is NULL. Otherwise *out is a new NUL-terminated UTF-8
 * string of *out_len bytes (no byte order mark) that the caller frees.
 *
 * Returns -1 when the input cannot be decoded, with a message in errstr that
 * names the byte offset in data and the reason. */
int dm_charset_decode(const void *data, size_t len, dm_charset_t *charset, char **out,
                      size_t *out_len, char *errstr, size_t errstr_size);

#endif
