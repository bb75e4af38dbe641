/* Unit tests for dm_envelope: one Kafka message value -> one article.
 *
 * Every value is handed to the parser in a heap buffer of exactly its length
 * (no NUL terminator) so that a sanitizer build catches any read past len. */
#include "demarche/dm_envelope.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct parsed {
        dm_article_t a;
        dm_reject_reason_t reason;
        char err[512];
        int rc;
} parsed_t;

static int parse_bytes(parsed_t *r, const void *data, size_t len)
{
        /* malloc(len) with len 0 may return NULL; the parser must cope. */
        void *copy = len ? dm_malloc(len) : NULL;
        if (len)
                memcpy(copy, data, len);
        dm_article_init(&r->a);
        r->reason = DM_REJECT_REASON_COUNT;
        r->err[0] = '\0';
        r->rc = dm_envelope_parse(copy, len, &r->a, &r->reason, r->err, sizeof(r->err));
        free(copy);
        if (r->rc != 0) {
                /* On failure the article is left cleared. */
                assert_null(r->a.id);
                assert_null(r->a.body);
                assert_null(r->a.url);
                assert_int_equal(r->a.published_ms, -1);
                assert_true(r->err[0] != '\0');
                assert_true(r->reason < DM_REJECT_REASON_COUNT);
        } else {
                assert_non_null(r->a.id);
                assert_non_null(r->a.body);
                assert_int_equal(strlen(r->a.body), r->a.body_len);
                /* Whatever came in, what goes on is UTF-8. */
                assert_true(dm_envelope_valid_utf8(r->a.body, r->a.body_len));
                if (r->a.title)
                        assert_true(dm_envelope_valid_utf8(r->a.title, strlen(r->a.title)));
        }
        return r->rc;
}

static int parse_str(parsed_t *r, const char *s)
{
        return parse_bytes(r, s, strlen(s));
}

static void expect_reject(const char *s, size_t len, dm_reject_reason_t reason, const char *msg)
{
        parsed_t r;
        assert_int_equal(parse_bytes(&r, s, len), -1);
        if (r.reason != reason)
                fail_msg("input %.60s: reason %s, want %s (%s)", s, dm_reject_reason_name(r.reason),
                         dm_reject_reason_name(reason), r.err);
        if (msg && !strstr(r.err, msg))
                fail_msg("message \"%s\" lacks \"%s\"", r.err, msg);
}

#define REJECT(s, reason, msg) expect_reject((s), sizeof(s) - 1, (reason), (msg))

/* ---- empty ---------------------------------------------------------------- */

static void test_empty(void **state)
{
        parsed_t r;
        dm_article_t a;
        dm_reject_reason_t reason;
        (void)state;
        REJECT("", DM_REJECT_EMPTY, "empty");
        REJECT(" ", DM_REJECT_EMPTY, NULL);
        REJECT(" \t\r\n\v\f ", DM_REJECT_EMPTY, NULL);
        REJECT("\xEF\xBB\xBF  \n", DM_REJECT_EMPTY, NULL);
        /* NULL value of length 0, and a NULL errstr, are fine. */
        dm_article_init(&a);
        assert_int_equal(dm_envelope_parse(NULL, 0, &a, &reason, NULL, 0), -1);
        assert_int_equal(reason, DM_REJECT_EMPTY);
        assert_int_equal(parse_bytes(&r, "", 0), -1);
}

static void test_json_no_body_is_empty(void **state)
{
        (void)state;
        REJECT("{}", DM_REJECT_EMPTY, "\"text\" or \"html\"");
        REJECT("{\"title\":\"t\",\"url\":\"http://x/\"}", DM_REJECT_EMPTY, NULL);
        REJECT("{\"text\":\"\",\"html\":\"\"}", DM_REJECT_EMPTY, NULL);
        REJECT("{\"text\":null,\"html\":null}", DM_REJECT_EMPTY, NULL);
        REJECT("{\"text\":\"  \\n\\t \"}", DM_REJECT_EMPTY, NULL);
}

/* ---- UTF-8 ---------------------------------------------------------------- */

static void test_valid_utf8(void **state)
{
        (void)state;
        assert_true(dm_envelope_valid_utf8("", 0));
        assert_true(dm_envelope_valid_utf8(NULL, 0));
        assert_true(dm_envelope_valid_utf8("abc", 3));
        assert_true(dm_envelope_valid_utf8("\xC3\xA9", 2));          /* é */
        assert_true(dm_envelope_valid_utf8("\xE2\x82\xAC", 3));      /* € */
        assert_true(dm_envelope_valid_utf8("\xF0\x9F\x98\x80", 4));  /* 😀 */
        assert_true(dm_envelope_valid_utf8("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
        assert_true(dm_envelope_valid_utf8("\xED\x9F\xBF", 3));      /* U+D7FF */
        assert_true(dm_envelope_valid_utf8("\xEE\x80\x80", 3));      /* U+E000 */
        assert_true(dm_envelope_valid_utf8("a\0b", 3));              /* NUL is UTF-8 */
        assert_false(dm_envelope_valid_utf8("\x80", 1));             /* stray continuation */
        assert_false(dm_envelope_valid_utf8("\xC0\x80", 2));         /* overlong NUL */
        assert_false(dm_envelope_valid_utf8("\xC1\xBF", 2));         /* overlong */
        assert_false(dm_envelope_valid_utf8("\xE0\x9F\xBF", 3));     /* overlong */
        assert_false(dm_envelope_valid_utf8("\xF0\x8F\xBF\xBF", 4)); /* overlong */
        assert_false(dm_envelope_valid_utf8("\xED\xA0\x80", 3));     /* surrogate */
        assert_false(dm_envelope_valid_utf8("\xED\xBF\xBF", 3));     /* surrogate */
        assert_false(dm_envelope_valid_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
        assert_false(dm_envelope_valid_utf8("\xF5\x80\x80\x80", 4));
        assert_false(dm_envelope_valid_utf8("\xFF", 1));
        assert_false(dm_envelope_valid_utf8("\xC3", 1));         /* truncated */
        assert_false(dm_envelope_valid_utf8("\xE2\x82", 2));     /* truncated */
        assert_false(dm_envelope_valid_utf8("\xF0\x9F\x98", 3)); /* truncated */
        assert_false(dm_envelope_valid_utf8("\xC3\x28", 2));     /* bad continuation */
        assert_false(dm_envelope_valid_utf8("\xE2\x82\x28", 3));
        /* A valid sequence cut by len is invalid even if more bytes follow. */
        assert_false(dm_envelope_valid_utf8("\xC3\xA9", 1));
}

/* ---- repair of input that is not UTF-8 ------------------------------------ */

/* Parses len bytes, expects success decoded from charset and the body want
 * (NUL-terminated UTF-8). */
static void expect_repaired(const void *data, size_t len, dm_charset_t charset, const char *want)
{
        parsed_t r;
        if (parse_bytes(&r, data, len) != 0)
                fail_msg("%s input rejected: %s", dm_charset_name(charset), r.err);
        if (r.a.charset != charset)
                fail_msg("decoded from %s, want %s", dm_charset_name(r.a.charset),
                         dm_charset_name(charset));
        if (strcmp(r.a.body, want) != 0)
                fail_msg("body \"%s\", want \"%s\"", r.a.body, want);
        dm_article_clear(&r.a);
}

#define REPAIRED(s, charset, want) expect_repaired((s), sizeof(s) - 1, (charset), (want))

/* Appends one UTF-16 code unit. */
static void put16(dm_buf_t *b, unsigned u, int be)
{
        dm_buf_putc(b, (char)(be ? u >> 8 : u & 0xFF));
        dm_buf_putc(b, (char)(be ? u & 0xFF : u >> 8));
}

/* Appends ASCII text as UTF-16. */
static void put16s(dm_buf_t *b, const char *ascii, int be)
{
        for (; *ascii; ascii++)
                put16(b, (unsigned char)*ascii, be);
}

/* Text with no valid multi-byte sequence: Windows-1252. */
static void test_repair_windows1252(void **state)
{
        static const unsigned char undefined[] = {0x81, 0x8D, 0x8F, 0x90, 0x9D};
        char in[16], want[16];
        (void)state;
        REPAIRED("Le caf\xE9 est ferm\xE9", DM_CHARSET_WINDOWS1252,
                 "Le caf\xC3\xA9 est ferm\xC3\xA9");
        /* 80..9F are Windows-1252 punctuation, not C1 controls. */
        REPAIRED("\x93Hi\x94 \x80 5 \x96 ok\x85", DM_CHARSET_WINDOWS1252,
                 "\xE2\x80\x9CHi\xE2\x80\x9D \xE2\x82\xAC 5 \xE2\x80\x93 ok\xE2\x80\xA6");
        /* A0..FF are U+00A0..U+00FF. */
        for (unsigned c = 0xA0; c <= 0xFF; c++) {
                snprintf(in, sizeof(in), "x%c", (char)c);
                snprintf(want, sizeof(want), "x%c%c", (char)(0xC0 | c >> 6),
                         (char)(0x80 | (c & 0x3F)));
                expect_repaired(in, 2, DM_CHARSET_WINDOWS1252, want);
        }
        /* The five bytes Windows-1252 leaves undefined are not repaired. */
        for (size_t i = 0; i < sizeof(undefined); i++) {
                snprintf(in, sizeof(in), "ab\xE9%c", (char)undefined[i]);
                expect_reject(in, 4, DM_REJECT_UNDECODABLE_TEXT, "offset 3");
                expect_reject(in, 4, DM_REJECT_UNDECODABLE_TEXT, "Windows-1252");
        }
        /* Sequences that look like UTF-8 but are not (overlong, surrogate,
         * truncated) are bytes like any other. */
        REPAIRED("ab\xED\xA0\xBF", DM_CHARSET_WINDOWS1252, "ab\xC3\xAD\xC2\xA0\xC2\xBF");
        REPAIRED("\xC3", DM_CHARSET_WINDOWS1252, "\xC3\x83");
        /* Raw HTML the same way; the id comes from the bytes received. */
        {
                static const char html[] = "<p>S\xE3o Paulo</p>";
                parsed_t r;
                char *id = dm_envelope_derive_id(html, sizeof(html) - 1);
                assert_int_equal(parse_str(&r, html), 0);
                assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
                assert_string_equal(r.a.body, "<p>S\xC3\xA3o Paulo</p>");
                assert_string_equal(r.a.id, id);
                free(id);
                dm_article_clear(&r.a);
        }
        /* Envelope strings: every field, and jansson sees valid UTF-8. */
        {
                parsed_t r;
                assert_int_equal(parse_str(&r, "{\"title\":\"Z\xFCrich\",\"text\":\"Gen\xE8ve\"}"),
                                 0);
                assert_string_equal(r.a.title, "Z\xC3\xBCrich");
                assert_string_equal(r.a.body, "Gen\xC3\xA8ve");
                assert_int_equal(r.a.charset, DM_CHARSET_WINDOWS1252);
                dm_article_clear(&r.a);
        }
        /* JSON errors after a repair say which text the offset is in. */
        REJECT("{\"text\":\"caf\xE9\",}", DM_REJECT_MALFORMED_JSON, "decoded from windows-1252");
}

/* Fills b with n bytes of UTF-8 text holding an "\xC3\xA9" every 20 bytes and
 * strays stray bytes 0xE9 spread out; returns in want the expected repair. */
static void mixed_text(dm_buf_t *b, dm_buf_t *want, size_t n, size_t strays)
{
        size_t i;
        dm_buf_reset(b);
        dm_buf_reset(want);
        for (i = 0; b->len + 2 <= n; i++) {
                if (i % 20 == 0) {
                        dm_buf_puts(b, "\xC3\xA9");
                        dm_buf_puts(want, "\xC3\xA9");
                } else if (strays > 0 && i % 20 == 10) {
                        dm_buf_putc(b, '\xE9');
                        dm_buf_puts(want, "\xC3\xA9");
                        strays--;
                } else {
                        dm_buf_putc(b, 'w');
                        dm_buf_putc(want, 'w');
                }
        }
        while (b->len < n) {
                dm_buf_putc(b, '.');
                dm_buf_putc(want, '.');
        }
        assert_int_equal(strays, 0);
}

/* Mostly UTF-8 with a few stray bytes: each stray byte as Windows-1252. */
static void test_repair_mixed(void **state)
{
        dm_buf_t b, want;
        (void)state;
        dm_buf_init(&b);
        dm_buf_init(&want);
        REPAIRED("Caf\xC3\xA9 in Z\xFCrich", DM_CHARSET_UTF8_REPAIRED,
                 "Caf\xC3\xA9 in Z\xC3\xBCrich");
        /* A truncated sequence: its bytes are strays, the next byte is kept
         * (200 bytes, so that its two strays are within the bound). */
        dm_buf_puts(&b, "caf\xC3\xA9 \xE2\x82!");
        dm_buf_puts(&want, "caf\xC3\xA9 \xC3\xA2\xE2\x80\x9A!");
        while (b.len < 200) {
                dm_buf_putc(&b, ' ');
                dm_buf_putc(&want, ' ');
        }
        expect_repaired(b.data, b.len, DM_CHARSET_UTF8_REPAIRED, want.data);
        /* The same two strays in 9 bytes are too many. */
        REJECT("caf\xC3\xA9 \xE2\x82!", DM_REJECT_UNDECODABLE_TEXT, "2 of 9 bytes");

        /* The bound: one stray byte per 100 bytes, rounded up. */
        mixed_text(&b, &want, 300, 3);
        expect_repaired(b.data, b.len, DM_CHARSET_UTF8_REPAIRED, want.data);
        mixed_text(&b, &want, 300, 4);
        expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT, "4 of 300 bytes");
        expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT, "more than the 1 in 100");
        mixed_text(&b, &want, 301, 4);
        expect_repaired(b.data, b.len, DM_CHARSET_UTF8_REPAIRED, want.data);
        /* The message names the first stray byte. */
        mixed_text(&b, &want, 300, 4);
        expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT, "byte offset 11 (byte 0xE9)");

        /* An undefined byte among the strays is not repaired. */
        REJECT("caf\xC3\xA9 \x81", DM_REJECT_UNDECODABLE_TEXT, "offset 6");
        dm_buf_free(&b);
        dm_buf_free(&want);
}

/* b = [BOM] pre unit post in UTF-16 (pre and post ASCII; unit -1 for none). */
static void utf16(dm_buf_t *b, int be, int bom, const char *pre, long unit, const char *post)
{
        dm_buf_reset(b);
        if (bom)
                put16(b, 0xFEFF, be);
        put16s(b, pre, be);
        if (unit >= 0)
                put16(b, (unsigned)unit, be);
        put16s(b, post, be);
}

/* A UTF-16 byte order mark: transcoded. */
static void test_repair_utf16(void **state)
{
        dm_buf_t b;
        parsed_t r;
        (void)state;
        dm_buf_init(&b);
        for (int be = 0; be <= 1; be++) {
                dm_charset_t cs = be ? DM_CHARSET_UTF16BE : DM_CHARSET_UTF16LE;
                utf16(&b, be, 1, "Tokyo ", 0x00E9, ""); /* é */
                put16(&b, 0x6771, be);                  /* 東 */
                put16(&b, 0xD83D, be);                  /* U+1F600 as a surrogate pair */
                put16(&b, 0xDE00, be);
                expect_repaired(b.data, b.len, cs, "Tokyo \xC3\xA9\xE6\x9D\xB1\xF0\x9F\x98\x80");

                /* A whole envelope in UTF-16. */
                utf16(&b, be, 1, "{\"title\":\"T\",\"text\":\"caf", 0x00E9, "\"}");
                assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
                assert_string_equal(r.a.body, "caf\xC3\xA9");
                assert_string_equal(r.a.title, "T");
                assert_int_equal(r.a.charset, cs);
                dm_article_clear(&r.a);

                /* Only spaces: empty once decoded. */
                utf16(&b, be, 1, " \n ", -1, "");
                expect_reject(b.data, b.len, DM_REJECT_EMPTY, NULL);

                /* Unpaired surrogates, NUL and a cut code unit, with offsets. */
                utf16(&b, be, 1, "ab", 0xDC00, "c");
                expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT,
                              "surrogate 0xDC00 at byte offset 6");
                utf16(&b, be, 1, "", 0xD800, "");
                expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT, "byte offset 2");
                utf16(&b, be, 1, "a", 0, "");
                expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT,
                              "NUL character at byte offset 4");
                utf16(&b, be, 1, "ab", -1, "");
                dm_buf_putc(&b, 'c');
                expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT, "offset 6");
        }
        /* UTF-32 is named, not misread as UTF-16. */
        REJECT("\xFF\xFE\0\0a\0\0\0", DM_REJECT_UNDECODABLE_TEXT, "UTF-32");
        REJECT("\0\0\xFE\xFF\0\0\0a", DM_REJECT_UNDECODABLE_TEXT, "UTF-32");
        dm_buf_free(&b);
}

/* A declared charset decides how bytes that are not UTF-8 are read. */
static void test_repair_declared(void **state)
{
        dm_buf_t b;
        parsed_t r;
        (void)state;
        dm_buf_init(&b);
        /* Undeclared, "\xC3\xA9" is UTF-8 and the lone 0xE9 a stray byte;
         * declared ISO-8859-1, both are Latin-1. */
        REPAIRED("<p>\xC3\xA9 and \xE9</p>", DM_CHARSET_UTF8_REPAIRED,
                 "<p>\xC3\xA9 and \xC3\xA9</p>");
        REPAIRED("<html><head><meta charset=\"ISO-8859-1\"></head><p>\xC3\xA9 and \xE9</p>",
                 DM_CHARSET_WINDOWS1252,
                 "<html><head><meta charset=\"ISO-8859-1\"></head><p>\xC3\x83\xC2\xA9 and "
                 "\xC3\xA9</p>");
        REPAIRED("<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=latin1\">"
                 "<p>\xC3\xA9 \xE9",
                 DM_CHARSET_WINDOWS1252,
                 "<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=latin1\">"
                 "<p>\xC3\x83\xC2\xA9 \xC3\xA9");
        assert_int_equal(parse_str(&r, "{\"charset\":\"windows-1252\",\"text\":\"\xC3\xA9 \xE9\"}"),
                         0);
        assert_string_equal(r.a.body, "\xC3\x83\xC2\xA9 \xC3\xA9");
        assert_int_equal(r.a.charset, DM_CHARSET_WINDOWS1252);
        dm_article_clear(&r.a);
        /* Only the envelope's own member counts, not one nested deeper. */
        assert_int_equal(parse_str(&r, "{\"meta\":{\"charset\":\"latin1\"},\"text\":\"\xC3\xA9 "
                                       "\xE9\"}"),
                         0);
        assert_string_equal(r.a.body, "\xC3\xA9 \xC3\xA9");
        assert_int_equal(r.a.charset, DM_CHARSET_UTF8_REPAIRED);
        dm_article_clear(&r.a);
        /* A declaration lifts the stray-byte bound. */
        REPAIRED("{\"text\":\"\xC3\xA9\xE9\xE9\",\"charset\":\"cp1252\"}", DM_CHARSET_WINDOWS1252,
                 "\xC3\x83\xC2\xA9\xC3\xA9\xC3\xA9");
        /* Valid UTF-8 stays as it is whatever it declares (a stale meta tag
         * left by a scraper that transcoded the page). */
        REPAIRED("<meta charset=iso-8859-1><p>caf\xC3\xA9", DM_CHARSET_UTF8,
                 "<meta charset=iso-8859-1><p>caf\xC3\xA9");
        /* A charset that is not decoded here is named in the rejection. */
        REJECT("{\"charset\":\"shift_jis\",\"text\":\"\x82\xA0\"}", DM_REJECT_UNDECODABLE_TEXT,
               "\"shift_jis\"");
        REJECT("<meta charset=koi8-r><p>\xF0\xD2\xC9", DM_REJECT_UNDECODABLE_TEXT, "offset 24");
        /* "charset" must be a string like every other field. */
        REJECT("{\"charset\":1,\"text\":\"x\"}", DM_REJECT_MALFORMED_JSON, "\"charset\"");

        /* UTF-16 without byte order mark, declared: byte order from the first
         * character. */
        for (int be = 0; be <= 1; be++) {
                dm_charset_t cs = be ? DM_CHARSET_UTF16BE : DM_CHARSET_UTF16LE;
                utf16(&b, be, 0, "<html><meta charset=\"utf-16\"><p>Caf", 0x00E9, "");
                expect_repaired(b.data, b.len, cs, "<html><meta charset=\"utf-16\"><p>Caf\xC3\xA9");
                utf16(&b, be, 0, "{\"text\":\"Caf", 0x00E9, "\",\"charset\":\"UTF-16\"}");
                expect_repaired(b.data, b.len, cs, "Caf\xC3\xA9");
                /* Undeclared, the same bytes are text with NULs. */
                utf16(&b, be, 0, "<p>Caf", -1, "");
                expect_reject(b.data, b.len, DM_REJECT_UNDECODABLE_TEXT,
                              be ? "offset 0" : "offset 1");
        }
        dm_buf_free(&b);
}

/* What stays undecodable, and the message says where and why. */
static void test_undecodable(void **state)
{
        (void)state;
        /* Binary: control bytes alongside the bytes that are not UTF-8. */
        REJECT("GIF89a\x01\x02\xFF\xFE", DM_REJECT_UNDECODABLE_TEXT,
               "control byte 0x01 at byte offset 6: binary");
        /* NUL with bytes that are not UTF-8: the NUL decides. */
        REJECT("caf\xE9\0", DM_REJECT_UNDECODABLE_TEXT, "NUL byte at byte offset 4");
        /* Too many stray bytes: probably another encoding, not guessed. */
        REJECT("\xE6\x9D\xB1 \x93\xFA\x96\x7B", DM_REJECT_UNDECODABLE_TEXT, "offset 4");
        /* Control bytes in valid UTF-8 are left to later stages, as before. */
        REPAIRED("a\x01b", DM_CHARSET_UTF8, "a\x01b");
}

static void test_nul_byte_rejected(void **state)
{
        (void)state;
        REJECT("Tokyo\0 Japan", DM_REJECT_UNDECODABLE_TEXT, "NUL byte at byte offset 5");
        REJECT("\0", DM_REJECT_UNDECODABLE_TEXT, "NUL");
        REJECT("<p>x</p>\0", DM_REJECT_UNDECODABLE_TEXT, "offset 8");
        REJECT("{\"text\":\"a\0b\"}", DM_REJECT_UNDECODABLE_TEXT, "NUL");
}

/* ---- JSON envelope -------------------------------------------------------- */

static void test_json_full_envelope(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "{\"id\":\"art-1\",\"url\":\"https://example.com/a\","
                                       "\"title\":\"Talks\",\"text\":\"Japan met China.\","
                                       "\"published_at\":\"2022-03-21T10:15:00Z\","
                                       "\"source\":\"wire\",\"language\":\"en\"}"),
                         0);
        assert_string_equal(r.a.id, "art-1");
        assert_string_equal(r.a.url, "https://example.com/a");
        assert_string_equal(r.a.title, "Talks");
        assert_string_equal(r.a.body, "Japan met China.");
        assert_int_equal(r.a.body_len, 16);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        assert_string_equal(r.a.published_at, "2022-03-21T10:15:00Z");
        assert_int_equal(r.a.published_ms, INT64_C(1647857700000));
        assert_string_equal(r.a.source, "wire");
        assert_string_equal(r.a.language, "en");
        dm_article_clear(&r.a);
}

static void test_json_minimal_and_absent_fields(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "  \n{\"text\":\"x\"}  \n"), 0);
        assert_string_equal(r.a.body, "x");
        assert_null(r.a.url);
        assert_null(r.a.title);
        assert_null(r.a.published_at);
        assert_int_equal(r.a.published_ms, -1);
        assert_null(r.a.source);
        assert_null(r.a.language);
        dm_article_clear(&r.a);

        /* null and "" both mean absent. */
        assert_int_equal(parse_str(&r, "{\"text\":\"x\",\"title\":null,\"url\":\"\","
                                       "\"source\":\"\",\"language\":null,"
                                       "\"published_at\":null}"),
                         0);
        assert_null(r.a.title);
        assert_null(r.a.url);
        assert_null(r.a.source);
        assert_null(r.a.language);
        assert_null(r.a.published_at);
        assert_int_equal(r.a.published_ms, -1);
        dm_article_clear(&r.a);
}

static void test_json_html_and_preference(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "{\"html\":\"<p>Hi</p>\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        assert_string_equal(r.a.body, "<p>Hi</p>");
        dm_article_clear(&r.a);

        /* An envelope's html field is HTML whatever it looks like. */
        assert_int_equal(parse_str(&r, "{\"html\":\"plain words\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);

        /* And its text field is text even if it looks like HTML. */
        assert_int_equal(parse_str(&r, "{\"text\":\"<p>Hi</p>\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        dm_article_clear(&r.a);

        assert_int_equal(parse_str(&r, "{\"html\":\"<p>H</p>\",\"text\":\"T\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        assert_string_equal(r.a.body, "T");
        dm_article_clear(&r.a);

        /* An unusable text does not hide a usable html. */
        assert_int_equal(parse_str(&r, "{\"text\":\"\",\"html\":\"<p>H</p>\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "{\"text\":\" \",\"html\":\"<p>H</p>\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "{\"text\":null,\"html\":\"<p>H</p>\"}"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);
}

static void test_json_malformed(void **state)
{
        (void)state;
        REJECT("{", DM_REJECT_MALFORMED_JSON, "line 1");
        REJECT("{\"text\": \"abc\"", DM_REJECT_MALFORMED_JSON, "column");
        REJECT("{\"text\":}", DM_REJECT_MALFORMED_JSON, "line 1 column 9 (near byte offset 8)");
        REJECT("{\"text\":\"a\",}", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{text:\"a\"}", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{\"text\":\"a\"} trailing", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{\"text\":\"a\"}{\"text\":\"b\"}", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{\"text\":\"a\nb\"}", DM_REJECT_MALFORMED_JSON, NULL); /* raw control char */
        REJECT("{\"text\":\"\\x\"}", DM_REJECT_MALFORMED_JSON, NULL);
        /* The message names the line jansson saw the error on. */
        REJECT("{\n\"text\": \"a\",\n\"title\": ]\n}", DM_REJECT_MALFORMED_JSON, "line 3");
        /* Duplicate keys are ambiguous: rejected, not last-one-wins. */
        REJECT("{\"text\":\"a\",\"text\":\"b\"}", DM_REJECT_MALFORMED_JSON, "duplicate");
        /* Unknown fields are still parsed, so they must be valid JSON. */
        REJECT("{\"text\":\"a\",\"x\":[1,}", DM_REJECT_MALFORMED_JSON, NULL);
}

static void test_json_wrong_types(void **state)
{
        (void)state;
        REJECT("{\"text\":\"a\",\"title\":5}", DM_REJECT_MALFORMED_JSON, "\"title\"");
        REJECT("{\"text\":\"a\",\"title\":5}", DM_REJECT_MALFORMED_JSON, "number");
        REJECT("{\"text\":5}", DM_REJECT_MALFORMED_JSON, "\"text\"");
        REJECT("{\"html\":[\"<p>\"]}", DM_REJECT_MALFORMED_JSON, "\"html\"");
        REJECT("{\"text\":\"a\",\"id\":42}", DM_REJECT_MALFORMED_JSON, "\"id\"");
        REJECT("{\"text\":\"a\",\"url\":{}}", DM_REJECT_MALFORMED_JSON, "\"url\"");
        REJECT("{\"text\":\"a\",\"published_at\":1647857700}", DM_REJECT_MALFORMED_JSON,
               "\"published_at\"");
        REJECT("{\"text\":\"a\",\"source\":true}", DM_REJECT_MALFORMED_JSON, "boolean");
        REJECT("{\"text\":\"a\",\"language\":1.5}", DM_REJECT_MALFORMED_JSON, "\"language\"");
        /* A wrong type is malformed even when the body is missing. */
        REJECT("{\"title\":5}", DM_REJECT_MALFORMED_JSON, "\"title\"");
}

static void test_json_unknown_fields_ignored(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "{\"kafka\":{\"a\":[1,2,{\"b\":null}]},\"text\":\"t\","
                                       "\"score\":0.5,\"flag\":true,\"Title\":5}"),
                         0);
        assert_string_equal(r.a.body, "t");
        assert_null(r.a.title);
        dm_article_clear(&r.a);
}

static void test_json_unicode_escapes(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "{\"text\":\"caf\\u00e9\",\"title\":\"\\ud83d\\ude00\"}"),
                         0);
        assert_string_equal(r.a.body, "caf\xC3\xA9");
        assert_int_equal(r.a.body_len, 5);
        assert_string_equal(r.a.title, "\xF0\x9F\x98\x80");
        dm_article_clear(&r.a);

        /* Raw UTF-8 passes through unchanged. */
        assert_int_equal(parse_str(&r, "{\"text\":\"\xE6\x9D\xB1\xE4\xBA\xAC\"}"), 0);
        assert_string_equal(r.a.body, "\xE6\x9D\xB1\xE4\xBA\xAC");
        dm_article_clear(&r.a);

        /* "\u0000" would truncate the C string: malformed. */
        REJECT("{\"text\":\"a\\u0000b\"}", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{\"text\":\"a\",\"title\":\"\\u0000\"}", DM_REJECT_MALFORMED_JSON, NULL);
        /* Lone surrogates cannot be encoded as UTF-8. */
        REJECT("{\"text\":\"\\ud800\"}", DM_REJECT_MALFORMED_JSON, NULL);
        REJECT("{\"text\":\"\\udc00x\"}", DM_REJECT_MALFORMED_JSON, NULL);
}

static void test_json_bom(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "\xEF\xBB\xBF{\"text\":\"x\"}"), 0);
        assert_string_equal(r.a.body, "x");
        dm_article_clear(&r.a);
        /* Byte offsets in messages count the BOM. */
        REJECT("\xEF\xBB\xBF{\"text\":}", DM_REJECT_MALFORMED_JSON, "near byte offset 11");
}

static void test_json_published_at(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(
            parse_str(&r, "{\"text\":\"x\",\"published_at\":\"2022-03-21T10:15:00.250+03:00\"}"),
            0);
        assert_int_equal(r.a.published_ms, INT64_C(1647846900250));
        dm_article_clear(&r.a);

        /* Unparsable: not a rejection, text kept, ms unknown. */
        assert_int_equal(parse_str(&r, "{\"text\":\"x\",\"published_at\":\"yesterday\"}"), 0);
        assert_string_equal(r.a.published_at, "yesterday");
        assert_int_equal(r.a.published_ms, -1);
        dm_article_clear(&r.a);

        assert_int_equal(parse_str(&r, "{\"text\":\"x\",\"published_at\":\"2023-02-29\"}"), 0);
        assert_string_equal(r.a.published_at, "2023-02-29");
        assert_int_equal(r.a.published_ms, -1);
        dm_article_clear(&r.a);
}

/* ---- ids ------------------------------------------------------------------ */

static void test_derive_id(void **state)
{
        char *id;
        (void)state;
        /* FNV-1a 64 reference vectors. */
        id = dm_envelope_derive_id("", 0);
        assert_string_equal(id, "acbf29ce484222325");
        free(id);
        id = dm_envelope_derive_id("a", 1);
        assert_string_equal(id, "aaf63dc4c8601ec8c");
        free(id);
        id = dm_envelope_derive_id("foobar", 6);
        assert_string_equal(id, "a85944171f73967e8");
        free(id);
        /* Leading zeros are kept: always 17 characters. */
        id = dm_envelope_derive_id("https://example.com/a", 21);
        assert_string_equal(id, "a046a4934057f51cf");
        assert_int_equal(strlen(id), 17);
        free(id);
}

static void test_id_given(void **state)
{
        parsed_t r;
        char json[600];
        char id[300];
        (void)state;
        assert_int_equal(parse_str(&r, "{\"id\":\"\xC3\xA9t\xC3\xA9-42\",\"text\":\"x\"}"), 0);
        assert_string_equal(r.a.id, "\xC3\xA9t\xC3\xA9-42");
        dm_article_clear(&r.a);

        /* 256 bytes is the longest id kept. */
        memset(id, 'k', 256);
        id[256] = '\0';
        snprintf(json, sizeof(json), "{\"id\":\"%s\",\"text\":\"x\"}", id);
        assert_int_equal(parse_str(&r, json), 0);
        assert_string_equal(r.a.id, id);
        dm_article_clear(&r.a);
}

static void expect_derived_id(const char *json, const char *from)
{
        parsed_t r;
        char *want = dm_envelope_derive_id(from, strlen(from));
        assert_int_equal(parse_str(&r, json), 0);
        if (strcmp(r.a.id, want) != 0)
                fail_msg("%s: id %s, want %s", json, r.a.id, want);
        free(want);
        dm_article_clear(&r.a);
}

static void test_id_unusable_is_derived(void **state)
{
        char json[600];
        char id[300];
        (void)state;
        expect_derived_id("{\"text\":\"body\"}", "body");
        expect_derived_id("{\"id\":null,\"text\":\"body\"}", "body");
        expect_derived_id("{\"id\":\"\",\"text\":\"body\"}", "body");
        expect_derived_id("{\"id\":\"a\\tb\",\"text\":\"body\"}", "body");
        expect_derived_id("{\"id\":\"a\\u007fb\",\"text\":\"body\"}", "body");
        expect_derived_id("{\"id\":\"a\\u0085b\",\"text\":\"body\"}", "body"); /* C1 NEL */
        expect_derived_id("{\"id\":\"line\\n\",\"url\":\"http://u/\",\"text\":\"b\"}", "http://u/");
        memset(id, 'k', 257);
        id[257] = '\0';
        snprintf(json, sizeof(json), "{\"id\":\"%s\",\"text\":\"body\"}", id);
        expect_derived_id(json, "body");
        /* Derived from html when that is the body. */
        expect_derived_id("{\"html\":\"<p>h</p>\"}", "<p>h</p>");
        /* An empty url is absent: the body decides. */
        expect_derived_id("{\"url\":\"\",\"text\":\"body\"}", "body");
}

static void test_id_stable_by_url(void **state)
{
        parsed_t r1, r2;
        (void)state;
        /* Same url, different text and fields: same id (redelivery of an
         * edited article must not duplicate it). */
        assert_int_equal(parse_str(&r1, "{\"url\":\"https://example.com/a\",\"text\":\"v1\"}"), 0);
        assert_int_equal(parse_str(&r2, "{\"url\":\"https://example.com/a\",\"title\":\"T\","
                                        "\"html\":\"<p>v2</p>\"}"),
                         0);
        assert_string_equal(r1.a.id, r2.a.id);
        assert_string_equal(r1.a.id, "a046a4934057f51cf");
        dm_article_clear(&r1.a);
        dm_article_clear(&r2.a);

        /* Different url: different id. */
        assert_int_equal(parse_str(&r1, "{\"url\":\"https://example.com/a\",\"text\":\"v\"}"), 0);
        assert_int_equal(parse_str(&r2, "{\"url\":\"https://example.com/b\",\"text\":\"v\"}"), 0);
        assert_string_not_equal(r1.a.id, r2.a.id);
        dm_article_clear(&r1.a);
        dm_article_clear(&r2.a);

        /* Raw values: same bytes, same id, across calls. */
        assert_int_equal(parse_str(&r1, "Japan and China met."), 0);
        assert_int_equal(parse_str(&r2, "Japan and China met."), 0);
        assert_string_equal(r1.a.id, r2.a.id);
        dm_article_clear(&r1.a);
        dm_article_clear(&r2.a);
}

/* ---- raw values ----------------------------------------------------------- */

static void test_raw_text(void **state)
{
        parsed_t r;
        static const char v[] = "  Japan and China met in Tokyo.\n";
        char *want;
        (void)state;
        assert_int_equal(parse_str(&r, v), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        /* The whole value, leading/trailing whitespace included. */
        assert_int_equal(r.a.body_len, sizeof(v) - 1);
        assert_memory_equal(r.a.body, v, sizeof(v));
        want = dm_envelope_derive_id(v, sizeof(v) - 1);
        assert_string_equal(r.a.id, want);
        free(want);
        assert_null(r.a.url);
        assert_null(r.a.title);
        assert_int_equal(r.a.published_ms, -1);
        dm_article_clear(&r.a);
}

static void test_raw_html(void **state)
{
        parsed_t r;
        (void)state;
        assert_int_equal(parse_str(&r, "<!DOCTYPE html><html><body><p>Hi</p></body></html>"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "\n  <div class=\"a\">x</div>"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_HTML);
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "<3 this story"), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        dm_article_clear(&r.a);
}

static void test_raw_non_object_json(void **state)
{
        parsed_t r;
        (void)state;
        /* A JSON array is a batch we do not support. */
        REJECT("[1,2]", DM_REJECT_UNSUPPORTED_CONTENT, "array");
        REJECT(" \n[{\"text\":\"a\"},{\"text\":\"b\"}] ", DM_REJECT_UNSUPPORTED_CONTENT, NULL);
        REJECT("[]", DM_REJECT_UNSUPPORTED_CONTENT, NULL);
        /* A '[' that is not JSON is prose. */
        assert_int_equal(parse_str(&r, "[Reuters] Japan and China met."), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        assert_string_equal(r.a.body, "[Reuters] Japan and China met.");
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "[1,2"), 0);
        dm_article_clear(&r.a);
        /* Anything else not starting with '{' is raw, even a JSON string. */
        assert_int_equal(parse_str(&r, "\"quoted\""), 0);
        assert_string_equal(r.a.body, "\"quoted\"");
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "42"), 0);
        dm_article_clear(&r.a);
        assert_int_equal(parse_str(&r, "null"), 0);
        dm_article_clear(&r.a);
}

static void test_looks_like_html(void **state)
{
        (void)state;
#define HTML(s) dm_envelope_looks_like_html((s), sizeof(s) - 1)
        assert_true(HTML("<!DOCTYPE html>"));
        assert_true(HTML("<!doctype html>"));
        assert_true(HTML("<html>"));
        assert_true(HTML("<HTML lang=\"en\">"));
        assert_true(HTML("<body>"));
        assert_true(HTML("<p>Hello</p>"));
        assert_true(HTML("<P>"));
        assert_true(HTML("<div class=x>"));
        assert_true(HTML("<br/>"));
        assert_true(HTML("<h1>Title</h1>"));
        assert_true(HTML("<!-- comment --><p>"));
        assert_true(HTML("\xEF\xBB\xBF \n\t<p>x"));
        assert_false(HTML(""));
        assert_false(HTML("   "));
        assert_false(HTML("Hello <p>world</p>"));
        assert_false(HTML("<"));
        assert_false(HTML("<p")); /* cut: nothing after the name */
        assert_false(HTML("<pre"));
        assert_false(HTML("<3 you"));
        assert_false(HTML("<Reuters> Tokyo"));
        assert_false(HTML("<people>"));
        assert_false(HTML("<!DOCTYP"));
        assert_false(dm_envelope_looks_like_html(NULL, 0));
        /* len is honoured: "<p>" cut to "<p" is not HTML. */
        assert_false(dm_envelope_looks_like_html("<p>", 2));
#undef HTML
}

/* ---- RFC 3339 ------------------------------------------------------------- */

static void expect_time(const char *s, int64_t want)
{
        int64_t ms = 12345;
        if (dm_envelope_parse_rfc3339(s, &ms) != 0)
                fail_msg("\"%s\" did not parse", s);
        if (ms != want)
                fail_msg("\"%s\": %lld, want %lld", s, (long long)ms, (long long)want);
}

static void expect_bad_time(const char *s)
{
        int64_t ms = 12345;
        if (dm_envelope_parse_rfc3339(s, &ms) == 0)
                fail_msg("\"%s\" parsed as %lld", s, (long long)ms);
}

static void test_rfc3339_valid(void **state)
{
        (void)state;
        expect_time("1970-01-01T00:00:00Z", 0);
        expect_time("1970-01-01", 0);
        expect_time("1969-12-31T23:59:59Z", -1000);
        expect_time("1969-12-31T23:59:59.5Z", -500);
        expect_time("2022-03-21T10:15:00Z", INT64_C(1647857700000));
        expect_time("2022-03-21t10:15:00z", INT64_C(1647857700000));
        expect_time("2022-03-21 10:15:00Z", INT64_C(1647857700000));
        expect_time("2022-03-21T10:15:00+00:00", INT64_C(1647857700000));
        expect_time("2022-03-21T10:15:00-00:00", INT64_C(1647857700000));
        expect_time("2022-03-21T10:15:00.250+03:00", INT64_C(1647846900250));
        expect_time("2022-03-21", INT64_C(1647820800000));
        expect_time("2000-02-29T12:00:00-05:30", INT64_C(951845400000));
        expect_time("2024-02-29", INT64_C(1709164800000));
        expect_time("9999-12-31T23:59:59Z", INT64_C(253402300799000));
        expect_time("0001-01-01T00:00:00Z", INT64_C(-62135596800000));
        /* Fractions: any number of digits, truncated to ms. */
        expect_time("1970-01-01T00:00:00.1Z", 100);
        expect_time("1970-01-01T00:00:00.12Z", 120);
        expect_time("1970-01-01T00:00:00.123Z", 123);
        expect_time("1970-01-01T00:00:00.123456789Z", 123);
        expect_time("1970-01-01T00:00:00.9999999999999999999999999999999Z", 999);
        /* Offsets that cross a day boundary. */
        expect_time("1970-01-01T00:00:00+01:00", -3600000);
        expect_time("1970-01-01T23:30:00-23:59",
                    (INT64_C(23) * 3600 + 1800 + 23 * 3600 + 59 * 60) * 1000);
        /* Leap second: accepted, lands on the next minute. */
        expect_time("2016-12-31T23:59:60Z", INT64_C(1483228800000));
}

static void test_rfc3339_invalid(void **state)
{
        int64_t ms;
        (void)state;
        assert_int_equal(dm_envelope_parse_rfc3339(NULL, &ms), -1);
        expect_bad_time("");
        expect_bad_time("yesterday");
        expect_bad_time("2022");
        expect_bad_time("2022-03");
        expect_bad_time("22-03-21");
        expect_bad_time("2022-3-21");
        expect_bad_time("2022/03/21");
        expect_bad_time("+2022-03-21");
        expect_bad_time(" 2022-03-21");
        expect_bad_time("2022-03-21 ");
        expect_bad_time("2022-03-21T");
        expect_bad_time("2022-03-21x10:15:00Z");
        /* Ranges. */
        expect_bad_time("2022-00-10");
        expect_bad_time("2022-13-10");
        expect_bad_time("2022-01-00");
        expect_bad_time("2022-01-32");
        expect_bad_time("2022-04-31");
        expect_bad_time("2022-06-31");
        expect_bad_time("2022-09-31");
        expect_bad_time("2022-11-31");
        /* Leap days. */
        expect_bad_time("2023-02-29");
        expect_bad_time("1900-02-29"); /* century, not leap */
        expect_bad_time("2100-02-29");
        expect_bad_time("2024-02-30");
        expect_time("2000-02-29", INT64_C(951782400000)); /* 400-year, leap */
        expect_bad_time("2022-03-21T24:00:00Z");
        expect_bad_time("2022-03-21T23:60:00Z");
        expect_bad_time("2022-03-21T23:59:61Z");
        expect_bad_time("2022-03-21T9:15:00Z");
        expect_bad_time("2022-03-21T10:15Z");
        expect_bad_time("2022-03-21T10:15:00");   /* no offset */
        expect_bad_time("2022-03-21T10:15:00.Z"); /* empty fraction */
        expect_bad_time("2022-03-21T10:15:00,5Z");
        expect_bad_time("2022-03-21T10:15:00ZZ");
        expect_bad_time("2022-03-21T10:15:00Z trailing");
        /* Bad offsets. */
        expect_bad_time("2022-03-21T10:15:00+24:00");
        expect_bad_time("2022-03-21T10:15:00+05:60");
        expect_bad_time("2022-03-21T10:15:00+0530");
        expect_bad_time("2022-03-21T10:15:00+05");
        expect_bad_time("2022-03-21T10:15:00+5:30");
        expect_bad_time("2022-03-21T10:15:00+05:3");
        expect_bad_time("2022-03-21T10:15:00 +05:30");
        expect_bad_time("2022-03-21T10:15:00UTC");
        expect_bad_time("2022-03-21T10:15:00+05:30:00");
}

/* ---- size and robustness -------------------------------------------------- */

static void test_huge_fields(void **state)
{
        const size_t n = 8u << 20; /* 8 MiB */
        dm_buf_t b;
        char *big = dm_malloc(n + 1);
        parsed_t r;
        (void)state;
        memset(big, 'w', n);
        big[n] = '\0';
        for (size_t i = 100; i < n; i += 100)
                big[i] = ' ';

        dm_buf_init(&b);
        dm_buf_printf(&b, "{\"title\":\"%s\",\"text\":\"%s\",\"source\":\"s\"}", big, big);
        assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
        assert_int_equal(r.a.body_len, n);
        assert_int_equal(strlen(r.a.title), n);
        assert_memory_equal(r.a.body, big, n);
        assert_string_equal(r.a.source, "s");
        dm_article_clear(&r.a);

        /* Huge raw value. */
        assert_int_equal(parse_bytes(&r, big, n), 0);
        assert_int_equal(r.a.body_len, n);
        dm_article_clear(&r.a);

        /* A huge id is replaced by a derived one. */
        dm_buf_reset(&b);
        dm_buf_printf(&b, "{\"id\":\"%.100000s\",\"text\":\"x\"}", big);
        assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
        assert_int_equal(strlen(r.a.id), 17);
        dm_article_clear(&r.a);

        /* A huge published_at is kept as text, unparsed. */
        dm_buf_reset(&b);
        dm_buf_printf(&b, "{\"published_at\":\"2022-03-21T10:15:00.%.100000s\",\"text\":\"x\"}",
                      big);
        assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
        assert_int_equal(r.a.published_ms, -1);
        dm_article_clear(&r.a);

        /* A huge but valid fraction parses. */
        memset(big, '7', 100000);
        dm_buf_reset(&b);
        dm_buf_printf(&b, "{\"published_at\":\"1970-01-01T00:00:00.%.100000sZ\",\"text\":\"x\"}",
                      big);
        assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
        assert_int_equal(r.a.published_ms, 777);
        dm_article_clear(&r.a);

        dm_buf_free(&b);
        free(big);
}

static void test_deep_nesting(void **state)
{
        const size_t depth = 200000;
        dm_buf_t b;
        parsed_t r;
        (void)state;
        /* '[' nested beyond jansson's depth limit: not JSON, so raw text. */
        dm_buf_init(&b);
        for (size_t i = 0; i < depth; i++)
                dm_buf_putc(&b, '[');
        for (size_t i = 0; i < depth; i++)
                dm_buf_putc(&b, ']');
        assert_int_equal(parse_bytes(&r, b.data, b.len), 0);
        assert_int_equal(r.a.content_type, DM_CONTENT_TEXT);
        dm_article_clear(&r.a);

        /* Inside an envelope: malformed, and no stack overflow. */
        dm_buf_reset(&b);
        dm_buf_puts(&b, "{\"text\":\"x\",\"extra\":");
        for (size_t i = 0; i < depth; i++)
                dm_buf_puts(&b, "{\"a\":");
        assert_int_equal(parse_bytes(&r, b.data, b.len), -1);
        assert_int_equal(r.reason, DM_REJECT_MALFORMED_JSON);
        dm_buf_free(&b);
}

/* Every prefix of a valid envelope: each either parses or is rejected with a
 * reason, without reading past its length. */
static void test_truncations(void **state)
{
        static const char v[] = "\xEF\xBB\xBF{\"id\":\"x1\",\"url\":\"https://e.com/\xC3\xA9\","
                                "\"title\":\"caf\\u00e9 \xF0\x9F\x98\x80\",\"text\":\"a b\","
                                "\"published_at\":\"2022-03-21T10:15:00.250+03:00\"}";
        parsed_t r;
        (void)state;
        for (size_t n = 0; n <= sizeof(v) - 1; n++) {
                if (parse_bytes(&r, v, n) == 0)
                        dm_article_clear(&r.a);
        }
        assert_int_equal(parse_bytes(&r, v, sizeof(v) - 1), 0);
        assert_string_equal(r.a.id, "x1");
        dm_article_clear(&r.a);
        for (size_t n = 0; n <= 25; n++) {
                int64_t ms;
                char t[32];
                memcpy(t, "2022-03-21T10:15:00+03:00", n);
                t[n] = '\0';
                (void)dm_envelope_parse_rfc3339(t, &ms);
        }
}

/* A small deterministic mutation fuzz: random byte flips, insertions and
 * truncations of a few seeds. Sanitizer builds make this meaningful. */
static void test_mutations(void **state)
{
        static const char *seeds[] = {
            "{\"id\":\"x\",\"url\":\"u\",\"text\":\"t\\u00e9\",\"published_at\":\"2022-03-21\"}",
            "{\"html\":\"<p>x</p>\",\"title\":null,\"extra\":[1,{\"a\":2.5e3},true]}",
            "[{\"text\":\"a\"}]",
            "<!DOCTYPE html><p>caf\xC3\xA9</p>",
            "plain text \xF0\x9F\x98\x80",
        };
        static const char alphabet[] = "{}[]\":,\\u0e9 \n\x80\xC3\xED\xF4\xEF\xBB\xBF<>!pT-+Z.";
        uint64_t rng = 0x9E3779B97F4A7C15u;
        char buf[256];
        parsed_t r;
        (void)state;
        for (int iter = 0; iter < 20000; iter++) {
                const char *seed = seeds[iter % (sizeof(seeds) / sizeof(seeds[0]))];
                size_t n = strlen(seed);
                int edits;
                memcpy(buf, seed, n);
                rng = rng * 6364136223846793005u + 1442695040888963407u;
                edits = 1 + (int)((rng >> 33) % 4);
                for (int e = 0; e < edits; e++) {
                        size_t pos;
                        char c;
                        rng = rng * 6364136223846793005u + 1442695040888963407u;
                        pos = n ? (size_t)((rng >> 33) % n) : 0;
                        c = alphabet[(rng >> 17) % (sizeof(alphabet) - 1)];
                        switch ((rng >> 45) % 3) {
                        case 0:
                                if (n)
                                        buf[pos] = c;
                                break;
                        case 1:
                                if (n + 1 < sizeof(buf)) {
                                        memmove(buf + pos + 1, buf + pos, n - pos);
                                        buf[pos] = c;
                                        n++;
                                }
                                break;
                        default:
                                n = pos;
                                break;
                        }
                }
                if (parse_bytes(&r, buf, n) == 0)
                        dm_article_clear(&r.a);
        }
}

static void test_out_reused(void **state)
{
        dm_article_t a;
        dm_reject_reason_t reason;
        char err[8];
        (void)state;
        dm_article_init(&a);
        assert_int_equal(dm_envelope_parse("{\"text\":\"x\",\"title\":\"t\"}", 24, &a, &reason, err,
                                           sizeof(err)),
                         0);
        /* A second parse into the same article frees the first's strings
         * (a leak checker would flag it otherwise), and failure clears it. */
        assert_int_equal(dm_envelope_parse("{\"text\":5}", 10, &a, &reason, err, sizeof(err)), -1);
        assert_int_equal(reason, DM_REJECT_MALFORMED_JSON);
        assert_null(a.title);
        assert_null(a.id);
        /* A short errstr is truncated, still NUL-terminated. */
        assert_true(strlen(err) < sizeof(err));
        dm_article_clear(&a);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_empty),
            cmocka_unit_test(test_json_no_body_is_empty),
            cmocka_unit_test(test_valid_utf8),
            cmocka_unit_test(test_repair_windows1252),
            cmocka_unit_test(test_repair_mixed),
            cmocka_unit_test(test_repair_utf16),
            cmocka_unit_test(test_repair_declared),
            cmocka_unit_test(test_undecodable),
            cmocka_unit_test(test_nul_byte_rejected),
            cmocka_unit_test(test_json_full_envelope),
            cmocka_unit_test(test_json_minimal_and_absent_fields),
            cmocka_unit_test(test_json_html_and_preference),
            cmocka_unit_test(test_json_malformed),
            cmocka_unit_test(test_json_wrong_types),
            cmocka_unit_test(test_json_unknown_fields_ignored),
            cmocka_unit_test(test_json_unicode_escapes),
            cmocka_unit_test(test_json_bom),
            cmocka_unit_test(test_json_published_at),
            cmocka_unit_test(test_derive_id),
            cmocka_unit_test(test_id_given),
            cmocka_unit_test(test_id_unusable_is_derived),
            cmocka_unit_test(test_id_stable_by_url),
            cmocka_unit_test(test_raw_text),
            cmocka_unit_test(test_raw_html),
            cmocka_unit_test(test_raw_non_object_json),
            cmocka_unit_test(test_looks_like_html),
            cmocka_unit_test(test_rfc3339_valid),
            cmocka_unit_test(test_rfc3339_invalid),
            cmocka_unit_test(test_huge_fields),
            cmocka_unit_test(test_deep_nesting),
            cmocka_unit_test(test_truncations),
            cmocka_unit_test(test_mutations),
            cmocka_unit_test(test_out_reused),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
