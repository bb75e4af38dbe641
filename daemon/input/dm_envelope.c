/* Input envelope parsing (see dm_envelope.h for the contract).
 *
 * Order of checks on a value, and why:
 *   1. decoding to UTF-8 (dm_charset): valid UTF-8 as is; UTF-16 with a byte
 *      order mark, Windows-1252 and UTF-8 with a few stray Windows-1252 bytes
 *      repaired; anything else, and a NUL byte anywhere, -> UNDECODABLE_TEXT
 *      with the byte offset. This runs on the whole value, before JSON
 *      parsing: JSON must be UTF-8 (RFC 8259) and jansson refuses anything
 *      else, but scrapers put Latin-1 bodies into envelopes. JSON structure
 *      is ASCII, which every repair leaves alone, so repairing the value is
 *      repairing its strings. (NUL is valid UTF-8, but every later stage
 *      treats text as C strings; a NUL would silently truncate the article.)
 *   2. empty, or only whitespace (and an optional UTF-8 BOM)  -> EMPTY
 *   3. first significant byte '{'  -> JSON envelope (MALFORMED_JSON on error)
 *      first significant byte '['  -> UNSUPPORTED_CONTENT if it parses as
 *                                     JSON, else raw text ("[Reuters] ...")
 *      anything else               -> raw article, text or HTML (sniffed)
 *
 * Decisions on the JSON envelope:
 *   - json_loadb with JSON_REJECT_DUPLICATES: {"text":"a","text":"b"} is
 *     ambiguous (jansson would keep the last one silently), and such a
 *     producer bug is better seen in the dead-letter topic than annotated as
 *     the wrong text. JSON_ALLOW_NUL is not set, so "\u0000" is malformed,
 *     consistent with rule 3.
 *   - Every known field is a string or null; null and "" mean absent. Any
 *     other JSON type is MALFORMED_JSON naming the field. An empty url in
 *     particular must not count as present, or all such articles would share
 *     one derived id.
 *   - text wins over html when both are usable; a text that is only
 *     whitespace is not usable. Neither usable -> EMPTY.
 *   - An id that is empty, longer than DM_ENVELOPE_MAX_ID bytes or holds
 *     control characters is replaced by a derived one rather than rejected:
 *     the article itself is fine, only its label is not.
 *   - An unparsable published_at is kept as text with published_ms = -1: the
 *     article is still worth annotating, and the raw value stays visible
 *     downstream.
 *   - Unknown fields are ignored (they are still parsed, so they must be
 *     valid JSON). "charset" is read by dm_charset before parsing; here it is
 *     only checked to be a string like the other fields.
 *   - The id of a raw value is derived from the bytes as received, not as
 *     repaired, so that it matches the id a dead-letter record of the same
 *     bytes gets.
 *
 * Every step is linear in len and never reads past value[len); jansson limits
 * nesting depth itself, so deeply nested input cannot exhaust the stack. */
#include "demarche/dm_envelope.h"
#include "demarche/dm_charset.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <jansson.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DM_ENVELOPE_MAX_ID 256

static const unsigned char dm_envelope_bom[3] = {0xEF, 0xBB, 0xBF};

static int dm_envelope_is_space(unsigned char c)
{
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Length of a leading UTF-8 BOM (0 or 3). */
static size_t dm_envelope_bom_len(const unsigned char *p, size_t len)
{
        return len >= 3 && memcmp(p, dm_envelope_bom, 3) == 0 ? 3 : 0;
}

/* Offset of the first byte after an optional BOM and whitespace; len when
 * there is none. */
static size_t dm_envelope_skip_space(const unsigned char *p, size_t len)
{
        size_t i = dm_envelope_bom_len(p, len);
        while (i < len && dm_envelope_is_space(p[i]))
                i++;
        return i;
}

int dm_envelope_valid_utf8(const void *data, size_t len)
{
        if (!data)
                return len == 0;
        return dm_charset_utf8_valid_prefix(data, len) == len;
}

char *dm_envelope_derive_id(const void *data, size_t len)
{
        const unsigned char *p = data;
        uint64_t h = UINT64_C(0xcbf29ce484222325);
        size_t i;
        for (i = 0; i < len; i++) {
                h ^= p[i];
                h *= UINT64_C(0x100000001b3);
        }
        return dm_asprintf("a%016" PRIx64, h);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil). Our own arithmetic rather than timegm(): no dependency on
 * TZ or the C library's notion of time_t range. */
static int64_t dm_envelope_days_from_civil(int64_t y, int m, int d)
{
        int64_t era, yoe, doy, doe;
        y -= m <= 2;
        era = (y >= 0 ? y : y - 399) / 400;
        yoe = y - era * 400;
        doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
}

static int dm_envelope_days_in_month(int y, int m)
{
        static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
                return 29;
        return days[m - 1];
}

/* Reads exactly n ASCII digits at *s; advances *s. Stops at the first
 * non-digit, so a NUL terminator is never passed. */
static int dm_envelope_digits(const char **s, int n, int *out)
{
        int v = 0, i;
        for (i = 0; i < n; i++) {
                char c = (*s)[i];
                if (c < '0' || c > '9')
                        return -1;
                v = v * 10 + (c - '0');
        }
        *s += n;
        *out = v;
        return 0;
}

/* Parses the part after the date: "HH:MM:SS[.frac](Z|+hh:mm|-hh:mm)".
 * Returns seconds since midnight UTC (may be negative or past 86400 once the
 * offset is applied) in *secs and the milliseconds in *ms. */
static int dm_envelope_parse_time(const char *s, int64_t *secs, int *ms)
{
        int h, mi, sec, off_min = 0, frac = 0;
        if (dm_envelope_digits(&s, 2, &h) || *s++ != ':' || dm_envelope_digits(&s, 2, &mi) ||
            *s++ != ':' || dm_envelope_digits(&s, 2, &sec))
                return -1;
        /* 60 is a leap second; epoch time has none, so it lands on the next
         * minute's :00, which is what POSIX time does too. */
        if (h > 23 || mi > 59 || sec > 60)
                return -1;
        if (*s == '.') {
                /* Any number of digits; milliseconds kept by truncation so that
                 * .9999 never rolls over into the next second. */
                int nd = 0;
                s++;
                while (*s >= '0' && *s <= '9') {
                        if (nd < 3)
                                frac = frac * 10 + (*s - '0');
                        nd++;
                        s++;
                }
                if (nd == 0)
                        return -1;
                for (; nd < 3; nd++)
                        frac *= 10;
        }
        if (*s == 'Z' || *s == 'z') {
                s++;
        } else if (*s == '+' || *s == '-') {
                /* "-00:00" (offset unknown, RFC 3339 4.3) reads as UTC. */
                int sign = *s == '-' ? -1 : 1, oh, om;
                s++;
                if (dm_envelope_digits(&s, 2, &oh) || *s++ != ':' || dm_envelope_digits(&s, 2, &om))
                        return -1;
                if (oh > 23 || om > 59)
                        return -1;
                off_min = sign * (oh * 60 + om);
        } else {
                return -1;
        }
        if (*s != '\0')
                return -1;
        *secs = (int64_t)h * 3600 + mi * 60 + sec - (int64_t)off_min * 60;
        *ms = frac;
        return 0;
}

int dm_envelope_parse_rfc3339(const char *s, int64_t *ms_out)
{
        int y, mo, d, ms = 0;
        int64_t secs = 0;
        if (!s || !ms_out)
                return -1;
        if (dm_envelope_digits(&s, 4, &y) || *s++ != '-' || dm_envelope_digits(&s, 2, &mo) ||
            *s++ != '-' || dm_envelope_digits(&s, 2, &d))
                return -1;
        if (mo < 1 || mo > 12 || d < 1 || d > dm_envelope_days_in_month(y, mo))
                return -1;
        /* A bare date is midnight UTC; otherwise the separator is 'T', 't' or
         * the space RFC 3339 section 5.6 allows "for readability". */
        if (*s != '\0') {
                if (*s != 'T' && *s != 't' && *s != ' ')
                        return -1;
                if (dm_envelope_parse_time(s + 1, &secs, &ms))
                        return -1;
        }
        *ms_out = (dm_envelope_days_from_civil(y, mo, d) * 86400 + secs) * 1000 + ms;
        return 0;
}

int dm_envelope_looks_like_html(const void *data, size_t len)
{
        /* Elements that commonly open an HTML document or fragment. A bare '<'
         * is not enough: "<3" or "<Reuters>" are text. */
        static const char *const tags[] = {
            "html",   "head",   "body",  "p",       "div",        "span",  "article", "section",
            "header", "footer", "main",  "nav",     "aside",      "h1",    "h2",      "h3",
            "h4",     "h5",     "h6",    "br",      "hr",         "a",     "b",       "i",
            "em",     "strong", "ul",    "ol",      "li",         "table", "meta",    "title",
            "link",   "script", "style", "img",     "figure",     "pre",   "form",    "iframe",
            "font",   "center", "base",  "picture", "blockquote", "time",  "noscript"};
        const unsigned char *p = data;
        size_t i, j;
        if (!p)
                return 0;
        i = dm_envelope_skip_space(p, len);
        if (i >= len || p[i] != '<')
                return 0;
        i++;
        if (len - i >= 8 && strncasecmp((const char *)p + i, "!doctype", 8) == 0)
                return 1;
        if (len - i >= 3 && memcmp(p + i, "!--", 3) == 0)
                return 1;
        for (j = 0; j < sizeof(tags) / sizeof(tags[0]); j++) {
                size_t n = strlen(tags[j]);
                unsigned char after;
                if (len - i < n + 1)
                        continue; /* a tag name must be followed by something */
                if (strncasecmp((const char *)p + i, tags[j], n) != 0)
                        continue;
                after = p[i + n];
                if (after == '>' || after == '/' || dm_envelope_is_space(after))
                        return 1;
        }
        return 0;
}

static const char *dm_envelope_json_type_name(const json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "object";
        case JSON_ARRAY:
                return "array";
        case JSON_STRING:
                return "string";
        case JSON_INTEGER:
        case JSON_REAL:
                return "number";
        case JSON_TRUE:
        case JSON_FALSE:
                return "boolean";
        case JSON_NULL:
                return "null";
        }
        return "unknown";
}

/* Looks up a string field. Sets *out to the json string, or NULL when the
 * field is absent, null or "". Returns -1 (with errstr set) when the field has
 * another type. */
static int dm_envelope_get_string(json_t *obj, const char *name, json_t **out, char *errstr,
                                  size_t errstr_size)
{
        json_t *v = json_object_get(obj, name);
        *out = NULL;
        if (!v || json_is_null(v))
                return 0;
        if (!json_is_string(v)) {
                dm_str_seterr(errstr, errstr_size, "field \"%s\" must be a string, got %s", name,
                              dm_envelope_json_type_name(v));
                return -1;
        }
        if (json_string_length(v) > 0)
                *out = v;
        return 0;
}

static char *dm_envelope_dup_json(json_t *v)
{
        return v ? dm_strndup(json_string_value(v), json_string_length(v)) : NULL;
}

/* A usable body has at least one non-whitespace byte. */
static int dm_envelope_has_content(json_t *v)
{
        if (!v)
                return 0;
        return dm_envelope_skip_space((const unsigned char *)json_string_value(v),
                                      json_string_length(v)) < json_string_length(v);
}

/* A usable id is 1..DM_ENVELOPE_MAX_ID bytes without C0, DEL or C1 controls
 * (input is already known valid UTF-8, so C1 is the pair C2 80..C2 9F). */
static int dm_envelope_usable_id(json_t *v)
{
        const unsigned char *p;
        size_t n, i;
        if (!v)
                return 0;
        p = (const unsigned char *)json_string_value(v);
        n = json_string_length(v);
        if (n == 0 || n > DM_ENVELOPE_MAX_ID)
                return 0;
        for (i = 0; i < n; i++) {
                if (p[i] < 0x20 || p[i] == 0x7F)
                        return 0;
                if (p[i] == 0xC2 && i + 1 < n && p[i + 1] <= 0x9F)
                        return 0;
        }
        return 1;
}

/* Fills a from a parsed JSON object. Returns 0, or -1 with *reason and
 * errstr set. */
static int dm_envelope_from_object(json_t *obj, dm_article_t *a, dm_reject_reason_t *reason,
                                   char *errstr, size_t errstr_size)
{
        json_t *id, *url, *title, *text, *html, *published, *source, *language, *charset, *body;
        int rc = -1;

        *reason = DM_REJECT_MALFORMED_JSON;
        if (dm_envelope_get_string(obj, "id", &id, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "charset", &charset, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "url", &url, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "title", &title, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "text", &text, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "html", &html, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "published_at", &published, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "source", &source, errstr, errstr_size) ||
            dm_envelope_get_string(obj, "language", &language, errstr, errstr_size))
                goto out;

        if (dm_envelope_has_content(text)) {
                body = text;
                a->content_type = DM_CONTENT_TEXT;
        } else if (dm_envelope_has_content(html)) {
                body = html;
                a->content_type = DM_CONTENT_HTML;
        } else {
                *reason = DM_REJECT_EMPTY;
                dm_str_seterr(errstr, errstr_size,
                              "envelope has no non-empty \"text\" or \"html\" field");
                goto out;
        }

        a->body = dm_envelope_dup_json(body);
        a->body_len = json_string_length(body);
        a->url = dm_envelope_dup_json(url);
        a->title = dm_envelope_dup_json(title);
        a->source = dm_envelope_dup_json(source);
        a->language = dm_envelope_dup_json(language);
        a->published_at = dm_envelope_dup_json(published);
        a->published_ms = -1;
        if (a->published_at && dm_envelope_parse_rfc3339(a->published_at, &a->published_ms))
                a->published_ms = -1;

        if (dm_envelope_usable_id(id))
                a->id = dm_envelope_dup_json(id);
        else if (url)
                a->id = dm_envelope_derive_id(json_string_value(url), json_string_length(url));
        else
                a->id = dm_envelope_derive_id(a->body, a->body_len);
        rc = 0;
out:
        return rc;
}

int dm_envelope_parse(const void *value, size_t len, dm_article_t *out, dm_reject_reason_t *reason,
                      char *errstr, size_t errstr_size)
{
        const unsigned char *raw = value, *p;
        dm_reject_reason_t why = DM_REJECT_UNDECODABLE_TEXT;
        dm_charset_t charset;
        char *decoded = NULL;
        size_t raw_len, decoded_len;
        json_t *root = NULL;
        json_error_t jerr;
        size_t start, bom;
        int rc = -1;

        dm_article_clear(out);
        if (errstr && errstr_size > 0)
                errstr[0] = '\0';
        if (!raw)
                len = 0;
        raw_len = len;

        if (dm_charset_decode(raw, len, &charset, &decoded, &decoded_len, errstr, errstr_size))
                goto out;
        p = decoded ? (const unsigned char *)decoded : raw;
        if (decoded)
                len = decoded_len;

        start = dm_envelope_skip_space(p, len);
        if (start >= len) {
                why = DM_REJECT_EMPTY;
                dm_str_seterr(errstr, errstr_size, "message value is empty (%zu bytes)", raw_len);
                goto out;
        }

        /* jansson does not accept a BOM; line/column stay right because a
         * BOM is invisible in any editor. */
        bom = dm_envelope_bom_len(p, len);
        if (p[start] == '{') {
                root = json_loadb((const char *)p + bom, len - bom, JSON_REJECT_DUPLICATES, &jerr);
                if (!root) {
                        /* jansson's position counts the bytes it consumed, the
                         * offending one included: report that last byte, which
                         * is exact for one-byte tokens and the token's end for
                         * longer ones, hence "near". */
                        size_t at = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
                        why = DM_REJECT_MALFORMED_JSON;
                        dm_str_seterr(errstr, errstr_size,
                                      "invalid JSON at line %d column %d (near byte offset "
                                      "%zu%s%s): %s",
                                      jerr.line, jerr.column, at + bom,
                                      decoded ? " of the text decoded from " : "",
                                      decoded ? dm_charset_name(charset) : "", jerr.text);
                        goto out;
                }
                /* A leading '{' that parses is always an object (jansson
                 * rejects trailing data), but check rather than assume. */
                if (!json_is_object(root)) {
                        why = DM_REJECT_MALFORMED_JSON;
                        dm_str_seterr(errstr, errstr_size, "envelope is not a JSON object");
                        goto out;
                }
                rc = dm_envelope_from_object(root, out, &why, errstr, errstr_size);
                goto out;
        }

        if (p[start] == '[') {
                /* Batches are not a format we promise; a bracketed line of
                 * prose that is not JSON falls through as text. */
                root = json_loadb((const char *)p + bom, len - bom, 0, &jerr);
                if (root) {
                        why = DM_REJECT_UNSUPPORTED_CONTENT;
                        dm_str_seterr(errstr, errstr_size,
                                      "JSON %s values are not supported; send one JSON "
                                      "object or raw text per message",
                                      dm_envelope_json_type_name(root));
                        goto out;
                }
        }

        out->body = dm_strndup((const char *)p, len);
        out->body_len = len;
        out->content_type = dm_envelope_looks_like_html(p, len) ? DM_CONTENT_HTML : DM_CONTENT_TEXT;
        out->id = dm_envelope_derive_id(raw, raw_len);
        out->published_ms = -1;
        rc = 0;
out:
        json_decref(root);
        free(decoded);
        if (rc == 0) {
                out->charset = charset;
        } else {
                dm_article_clear(out);
                if (reason)
                        *reason = why;
        }
        return rc;
}
