/* Input character sets (see dm_charset.h for the contract).
 *
 * Decisions, and why:
 *   - A byte order mark wins over any declaration, as in the WHATWG encoding
 *     sniffing rules: it is part of the bytes, a declaration is only a claim.
 *   - A valid UTF-8 input is used as is even when it declares ISO-8859-1:
 *     scrapers that transcode pages to UTF-8 leave the page's <meta charset>
 *     behind, and Latin-1 prose that happens to be well-formed UTF-8 in every
 *     high byte is vanishingly rare. The declaration decides only how bytes
 *     that are not UTF-8 are read.
 *   - A declaration is looked for only when the bytes need it (rare path), and
 *     it is read with NUL bytes skipped, so that the ASCII markup of a UTF-16
 *     document without byte order mark can be read. A UTF-16 declaration over
 *     bytes without the UTF-16 pattern (every other byte NUL for ASCII) could
 *     be read as ASCII, so the bytes are not UTF-16: it is ignored, as the
 *     HTML prescan does.
 *   - Windows-1252 rather than ISO-8859-1: the two agree on A0..FF, and bytes
 *     80..9F in real "Latin-1" text are Windows-1252 punctuation (curly
 *     quotes, dashes, the euro sign), never C1 controls. The five bytes
 *     Windows-1252 leaves undefined are refused: a text that holds them is
 *     not Windows-1252 either.
 *   - The share of stray bytes in otherwise valid UTF-8 is bounded at one per
 *     100 bytes: UTF-8 news text with a pasted-in Latin-1 name or currency
 *     sign has a few stray bytes per article, while text in another legacy
 *     encoding (Shift_JIS, GBK, KOI8-R) or binary data has high bytes in a
 *     third or more of its bytes and only some of them happen to form valid
 *     UTF-8. Between the two, reading the strays as Windows-1252 would be
 *     silent garbage; the dead-letter topic with a reason is better.
 *   - Control bytes other than white space, like NUL, mean binary data: a
 *     repair of such bytes would turn noise into text.
 *
 * Every function is linear in len and reads nothing past data[len). */
#include "demarche/dm_charset.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_str.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The HTML prescan window (WHATWG: the first 1024 bytes). */
#define DM_CHARSET_PRESCAN 1024
/* At most one stray byte per this many bytes of valid UTF-8 (see above). */
#define DM_CHARSET_STRAY_PER 100

typedef enum dm_charset_decl_kind {
        DM_CHARSET_DECL_NONE = 0,
        DM_CHARSET_DECL_UTF8,
        DM_CHARSET_DECL_1252,
        DM_CHARSET_DECL_UTF16,
        DM_CHARSET_DECL_OTHER, /* named, but not one we decode */
} dm_charset_decl_kind_t;

typedef struct dm_charset_decl {
        dm_charset_decl_kind_t kind;
        char label[40];
} dm_charset_decl_t;

/* What one pass over the bytes found. Offsets are len when absent. */
typedef struct dm_charset_stats {
        size_t multibyte;     /* valid sequences of 2..4 bytes */
        size_t invalid;       /* bytes that start no valid sequence */
        size_t first_invalid; /* offset of the first of those */
        size_t first_nul;
        size_t first_control; /* C0 control other than white space */
} dm_charset_stats_t;

/* Windows-1252 bytes 80..9F; 0 marks the five undefined ones. */
static const uint16_t dm_charset_1252_c1[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

static const char *const dm_charset_names[DM_CHARSET_COUNT] = {
    "utf-8", "utf-16le", "utf-16be", "windows-1252", "utf-8+windows-1252"};

const char *dm_charset_name(dm_charset_t c)
{
        return (unsigned)c < DM_CHARSET_COUNT ? dm_charset_names[c] : "unknown";
}

/* Length of the valid UTF-8 sequence at p[0..len) (1 for ASCII), 0 when p[0]
 * starts none. Unicode Table 3-7: the second byte's range excludes
 * overlongs, surrogates and code points above U+10FFFF. */
static size_t dm_charset_seq_len(const unsigned char *p, size_t len)
{
        unsigned char c = p[0], lo = 0x80, hi = 0xBF;
        size_t n, k;
        if (c < 0x80)
                return 1;
        if (c >= 0xC2 && c <= 0xDF) {
                n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
                n = 3;
                if (c == 0xE0)
                        lo = 0xA0; /* overlong */
                else if (c == 0xED)
                        hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
                n = 4;
                if (c == 0xF0)
                        lo = 0x90; /* overlong */
                else if (c == 0xF4)
                        hi = 0x8F; /* above U+10FFFF */
        } else {
                return 0; /* stray continuation, C0/C1, F5..FF */
        }
        if (n > len)
                return 0; /* truncated */
        if (p[1] < lo || p[1] > hi)
                return 0;
        for (k = 2; k < n; k++)
                if (p[k] < 0x80 || p[k] > 0xBF)
                        return 0;
        return n;
}

size_t dm_charset_utf8_valid_prefix(const void *data, size_t len)
{
        const unsigned char *p = data;
        size_t i = 0, n;
        while (i < len && (n = dm_charset_seq_len(p + i, len - i)) > 0)
                i += n;
        return i;
}

static void dm_charset_scan(const unsigned char *p, size_t len, dm_charset_stats_t *st)
{
        size_t i = 0, n;
        memset(st, 0, sizeof(*st));
        st->first_invalid = st->first_nul = st->first_control = len;
        while (i < len) {
                unsigned char c = p[i];
                n = dm_charset_seq_len(p + i, len - i);
                if (n == 0) {
                        if (st->invalid++ == 0)
                                st->first_invalid = i;
                        n = 1;
                } else if (n > 1) {
                        st->multibyte++;
                } else if (c == 0) {
                        if (st->first_nul == len)
                                st->first_nul = i;
                } else if (c < 0x20 && !strchr("\t\n\v\f\r", c) && st->first_control == len) {
                        st->first_control = i;
                }
                i += n;
        }
}

static void dm_charset_put(dm_buf_t *b, uint32_t cp)
{
        char u[4];
        size_t n;
        if (cp < 0x80) {
                u[0] = (char)cp;
                n = 1;
        } else if (cp < 0x800) {
                u[0] = (char)(0xC0 | cp >> 6);
                u[1] = (char)(0x80 | (cp & 0x3F));
                n = 2;
        } else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | cp >> 12);
                u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
                u[2] = (char)(0x80 | (cp & 0x3F));
                n = 3;
        } else {
                u[0] = (char)(0xF0 | cp >> 18);
                u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
                u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
                u[3] = (char)(0x80 | (cp & 0x3F));
                n = 4;
        }
        dm_buf_append(b, u, n);
}

/* Windows-1252 to UTF-8. With all set every high byte is decoded; otherwise
 * valid UTF-8 sequences are kept and only the stray bytes are decoded. */
static int dm_charset_from_1252(const unsigned char *p, size_t len, int all, dm_buf_t *b,
                                char *errstr, size_t errstr_size)
{
        size_t i = 0, n;
        while (i < len) {
                unsigned char c = p[i];
                n = all ? 1 : dm_charset_seq_len(p + i, len - i);
                if (c < 0x80 || n > 1) {
                        dm_buf_append(b, p + i, n);
                        i += n;
                        continue;
                }
                if (c >= 0xA0) {
                        dm_charset_put(b, c);
                } else if (dm_charset_1252_c1[c - 0x80]) {
                        dm_charset_put(b, dm_charset_1252_c1[c - 0x80]);
                } else {
                        dm_str_seterr(errstr, errstr_size,
                                      "byte 0x%02X at byte offset %zu is neither UTF-8 nor "
                                      "Windows-1252 (undefined there)",
                                      c, i);
                        return -1;
                }
                i++;
        }
        return 0;
}

/* UTF-16 from p[start..len) to UTF-8. */
static int dm_charset_from_utf16(const unsigned char *p, size_t len, size_t start, int be,
                                 dm_buf_t *b, char *errstr, size_t errstr_size)
{
        size_t i = start;
        const char *name = be ? "UTF-16BE" : "UTF-16LE";
        if ((len - start) % 2) {
                dm_str_seterr(errstr, errstr_size,
                              "%s input has an odd number of bytes: the code unit at byte "
                              "offset %zu is cut",
                              name, len - 1);
                return -1;
        }
        while (i < len) {
                uint32_t u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];
                uint32_t lo;
                if (u == 0) {
                        dm_str_seterr(errstr, errstr_size,
                                      "NUL character at byte offset %zu (%s): text cannot "
                                      "contain NUL",
                                      i, name);
                        return -1;
                }
                if (u >= 0xD800 && u <= 0xDBFF && len - i >= 4) {
                        lo = be ? (uint32_t)p[i + 2] << 8 | p[i + 3]
                                : (uint32_t)p[i + 3] << 8 | p[i + 2];
                        if (lo >= 0xDC00 && lo <= 0xDFFF) {
                                dm_charset_put(b, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                                i += 4;
                                continue;
                        }
                }
                if (u >= 0xD800 && u <= 0xDFFF) {
                        dm_str_seterr(errstr, errstr_size,
                                      "unpaired %s surrogate 0x%04X at byte offset %zu", name,
                                      (unsigned)u, i);
                        return -1;
                }
                dm_charset_put(b, u);
                i += 2;
        }
        return 0;
}

/* Classifies a charset label (WHATWG aliases of the encodings we decode). */
static void dm_charset_label(const unsigned char *s, size_t n, dm_charset_decl_t *d)
{
        static const char *const utf8[] = {"utf-8", "utf8", "unicode-1-1-utf-8", NULL};
        static const char *const w1252[] = {"windows-1252", "cp1252",          "x-cp1252",
                                            "iso-8859-1",   "iso8859-1",       "iso88591",
                                            "iso_8859-1",   "iso_8859-1:1987", "latin1",
                                            "l1",           "iso-ir-100",      "csisolatin1",
                                            "ibm819",       "cp819",           "us-ascii",
                                            "ascii",        "ansi_x3.4-1968",  NULL};
        static const char *const utf16[] = {"utf-16", "utf-16le", "utf-16be", NULL};
        static const char *const *const lists[] = {utf8, w1252, utf16};
        static const dm_charset_decl_kind_t kinds[] = {DM_CHARSET_DECL_UTF8, DM_CHARSET_DECL_1252,
                                                       DM_CHARSET_DECL_UTF16};
        size_t i, j;
        d->kind = DM_CHARSET_DECL_NONE;
        if (n == 0)
                return;
        snprintf(d->label, sizeof(d->label), "%.*s", (int)n, (const char *)s);
        d->kind = DM_CHARSET_DECL_OTHER;
        for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
                for (j = 0; lists[i][j]; j++)
                        if (strlen(lists[i][j]) == n && strncasecmp(lists[i][j], d->label, n) == 0)
                                d->kind = kinds[i];
}

/* JSON scanning for the envelope's top-level "charset" member, on raw bytes
 * (structure is ASCII whatever the strings hold). No recursion: nesting is
 * a counter. */
static size_t dm_charset_json_ws(const unsigned char *p, size_t n, size_t i)
{
        while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
                i++;
        return i;
}

/* p[i] is '"': returns the offset after the closing quote, n + 1 when the
 * string is not closed. */
static size_t dm_charset_json_string(const unsigned char *p, size_t n, size_t i)
{
        for (i++; i < n; i++) {
                if (p[i] == '\\')
                        i++;
                else if (p[i] == '"')
                        return i + 1;
        }
        return n + 1;
}

/* Skips one value; returns the offset of the byte after it. */
static size_t dm_charset_json_value(const unsigned char *p, size_t n, size_t i)
{
        size_t depth = 0;
        while (i < n) {
                if (p[i] == '"') {
                        i = dm_charset_json_string(p, n, i);
                        if (i > n || depth == 0)
                                return i > n ? n : i;
                        continue;
                }
                if (p[i] == '{' || p[i] == '[') {
                        depth++;
                } else if (p[i] == '}' || p[i] == ']') {
                        if (depth == 0)
                                return i; /* the end of the enclosing object */
                        if (--depth == 0)
                                return i + 1;
                } else if (p[i] == ',' && depth == 0) {
                        return i;
                }
                i++;
        }
        return n;
}

static void dm_charset_json_decl(const unsigned char *p, size_t n, dm_charset_decl_t *d)
{
        size_t i = dm_charset_json_ws(p, n, 0), key, key_end, v;
        d->kind = DM_CHARSET_DECL_NONE;
        if (i >= n || p[i] != '{')
                return;
        for (i++;;) {
                i = dm_charset_json_ws(p, n, i);
                if (i >= n || p[i] != '"')
                        return;
                key = i + 1;
                key_end = i = dm_charset_json_string(p, n, i);
                if (i > n)
                        return;
                i = dm_charset_json_ws(p, n, i);
                if (i >= n || p[i] != ':')
                        return;
                i = dm_charset_json_ws(p, n, i + 1);
                if (i < n && p[i] == '"' && key_end - key == 8 &&
                    memcmp(p + key, "charset\"", 8) == 0) {
                        v = i + 1;
                        i = dm_charset_json_string(p, n, i);
                        if (i <= n)
                                dm_charset_label(p + v, i - 1 - v, d);
                        return;
                }
                i = dm_charset_json_ws(p, n, dm_charset_json_value(p, n, i));
                if (i >= n || p[i] != ',')
                        return;
                i++;
        }
}

/* <meta charset=X> or <meta http-equiv content="...; charset=X"> in head
 * (lower-cased, NUL-terminated). */
static void dm_charset_meta_decl(const char *head, dm_charset_decl_t *d)
{
        const char *m = head;
        d->kind = DM_CHARSET_DECL_NONE;
        while ((m = strstr(m, "<meta")) != NULL) {
                const char *end = strchr(m, '>'), *c = m;
                size_t n;
                if (!end)
                        end = m + strlen(m);
                m += 5;
                while ((c = strstr(c, "charset")) != NULL && c < end) {
                        c += 7;
                        c += strspn(c, " \t\n\r\f");
                        if (*c != '=')
                                continue;
                        c++;
                        c += strspn(c, " \t\n\r\f\"'");
                        n = strspn(c, "abcdefghijklmnopqrstuvwxyz0123456789._:-");
                        dm_charset_label((const unsigned char *)c, n, d);
                        if (d->kind != DM_CHARSET_DECL_NONE)
                                return;
                }
        }
}

/* The charset the input declares: the envelope's "charset" member when the
 * first significant byte is '{', else an HTML meta tag. NUL bytes are
 * skipped (BOM-less UTF-16), on a copy since this is the rare path. */
static void dm_charset_declared(const unsigned char *p, size_t len, dm_charset_decl_t *d)
{
        unsigned char *flat = dm_malloc(len + 1);
        size_t i, n = 0;
        for (i = 0; i < len; i++)
                if (p[i] != 0)
                        flat[n++] = p[i];
        flat[n] = '\0';
        i = dm_charset_json_ws(flat, n, 0);
        if (i < n && flat[i] == '{') {
                dm_charset_json_decl(flat, n, d);
        } else {
                if (n > DM_CHARSET_PRESCAN)
                        n = DM_CHARSET_PRESCAN;
                flat[n] = '\0';
                for (i = 0; i < n; i++)
                        if (flat[i] >= 'A' && flat[i] <= 'Z')
                                flat[i] = (unsigned char)(flat[i] - 'A' + 'a');
                dm_charset_meta_decl((const char *)flat, d);
        }
        free(flat);
}

/* Byte order of BOM-less UTF-16 whose first character is ASCII: -1 none,
 * 0 little endian, 1 big endian. */
static int dm_charset_utf16_order(const unsigned char *p, size_t len)
{
        if (len < 2 || (p[0] == 0) == (p[1] == 0))
                return -1;
        return p[0] == 0;
}

int dm_charset_decode(const void *data, size_t len, dm_charset_t *charset, char **out,
                      size_t *out_len, char *errstr, size_t errstr_size)
{
        const unsigned char *p = data;
        dm_charset_stats_t st;
        dm_charset_decl_t decl;
        dm_buf_t b;
        int rc = -1, order, all;

        *charset = DM_CHARSET_UTF8;
        *out = NULL;
        *out_len = 0;
        dm_buf_init(&b);
        if (!p)
                len = 0;

        /* FF FE 00 00 would otherwise read as UTF-16LE opening with NUL. */
        if (len >= 4 && (memcmp(p, "\xFF\xFE\0\0", 4) == 0 || memcmp(p, "\0\0\xFE\xFF", 4) == 0)) {
                dm_str_seterr(errstr, errstr_size,
                              "UTF-32 byte order mark at byte offset 0: UTF-32 is not "
                              "supported, send UTF-8");
                goto out;
        }
        if (len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
                *charset = p[0] == 0xFE ? DM_CHARSET_UTF16BE : DM_CHARSET_UTF16LE;
                rc = dm_charset_from_utf16(p, len, 2, p[0] == 0xFE, &b, errstr, errstr_size);
                goto out;
        }

        dm_charset_scan(p, len, &st);
        if (st.invalid == 0 && st.first_nul == len) {
                rc = 0;
                goto out;
        }

        dm_charset_declared(p, len, &decl);
        order = dm_charset_utf16_order(p, len);
        if (decl.kind == DM_CHARSET_DECL_UTF16 && order >= 0) {
                *charset = order ? DM_CHARSET_UTF16BE : DM_CHARSET_UTF16LE;
                rc = dm_charset_from_utf16(p, len, 0, order, &b, errstr, errstr_size);
                goto out;
        }
        if (st.first_nul < len) {
                dm_str_seterr(errstr, errstr_size,
                              "NUL byte at byte offset %zu: text cannot contain NUL", st.first_nul);
                goto out;
        }
        if (decl.kind == DM_CHARSET_DECL_OTHER) {
                dm_str_seterr(errstr, errstr_size,
                              "invalid UTF-8 at byte offset %zu (byte 0x%02X) and the "
                              "declared charset \"%s\" is not one that is decoded "
                              "(UTF-8, UTF-16, ISO-8859-1/Windows-1252)",
                              st.first_invalid, p[st.first_invalid], decl.label);
                goto out;
        }
        if (st.first_control < len) {
                dm_str_seterr(errstr, errstr_size,
                              "invalid UTF-8 at byte offset %zu and control byte 0x%02X at "
                              "byte offset %zu: binary data, not text",
                              st.first_invalid, p[st.first_control], st.first_control);
                goto out;
        }
        /* A UTF-8 byte order mark says UTF-8 whatever the text declares. */
        if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                decl.kind = DM_CHARSET_DECL_NONE;
        all = decl.kind == DM_CHARSET_DECL_1252 || st.multibyte == 0;
        if (!all && st.invalid > (len + DM_CHARSET_STRAY_PER - 1) / DM_CHARSET_STRAY_PER) {
                dm_str_seterr(errstr, errstr_size,
                              "invalid UTF-8 at byte offset %zu (byte 0x%02X): %zu of %zu "
                              "bytes are not UTF-8, more than the 1 in %d a repair accepts "
                              "(declare the charset if the text is Windows-1252)",
                              st.first_invalid, p[st.first_invalid], st.invalid, len,
                              DM_CHARSET_STRAY_PER);
                goto out;
        }
        *charset = all ? DM_CHARSET_WINDOWS1252 : DM_CHARSET_UTF8_REPAIRED;
        rc = dm_charset_from_1252(p, len, all, &b, errstr, errstr_size);
out:
        if (rc == 0 && *charset != DM_CHARSET_UTF8) {
                *out_len = b.len;
                *out = b.len ? dm_buf_steal(&b) : dm_strdup("");
        } else if (rc != 0) {
                *charset = DM_CHARSET_UTF8;
        }
        dm_buf_free(&b);
        return rc;
}
