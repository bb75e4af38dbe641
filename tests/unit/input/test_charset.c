/* Input character sets (dm_charset): valid UTF-8 taken as is; UTF-16 by
 * byte order mark; a declared Latin-1/Windows-1252; text with no UTF-8
 * sequence as Windows-1252; UTF-8 with rare stray bytes repaired; binary
 * data, undefined bytes and too many strays refused with the byte offset.
 * And the UTF-8 validator (Unicode Table 3-7). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_charset.h"

static const char refused_mark[] = "(refused)";

/* Decodes; returns the output (static copy; the input itself when taken as
 * is), or refused_mark on refusal with err filled (never NULL, so that a
 * wrong expectation fails an assertion instead of crashing it). */
static const char *decode(const char *in, size_t len, dm_charset_t *cs, char *err, size_t errsz)
{
        static char copy[4096];
        char *out = NULL;
        size_t out_len = 0;
        err[0] = '\0';
        *cs = DM_CHARSET_COUNT;
        if (dm_charset_decode(in, len, cs, &out, &out_len, err, errsz)) {
                assert_true(err[0] != '\0');
                return refused_mark;
        }
        if (!out) {
                assert_int_equal(*cs, DM_CHARSET_UTF8);
                memcpy(copy, in, len);
                copy[len] = '\0';
                return copy;
        }
        assert_int_equal(strlen(out), out_len); /* no NUL bytes */
        assert_int_equal(dm_charset_utf8_valid_prefix(out, out_len), out_len);
        memcpy(copy, out, out_len + 1);
        free(out);
        return copy;
}

static void test_names(void **state)
{
        (void)state;
        assert_string_equal(dm_charset_name(DM_CHARSET_UTF8), "utf-8");
        assert_string_equal(dm_charset_name(DM_CHARSET_UTF16LE), "utf-16le");
        assert_string_equal(dm_charset_name(DM_CHARSET_UTF16BE), "utf-16be");
        assert_string_equal(dm_charset_name(DM_CHARSET_WINDOWS1252), "windows-1252");
        assert_string_equal(dm_charset_name(DM_CHARSET_UTF8_REPAIRED), "utf-8+windows-1252");
}

static void test_valid_prefix(void **state)
{
        (void)state;
        assert_int_equal(dm_charset_utf8_valid_prefix("", 0), 0);
        assert_int_equal(dm_charset_utf8_valid_prefix("ab\xc3\xa9", 4), 4);
        assert_int_equal(dm_charset_utf8_valid_prefix("ab\xc3\xa9\xff", 5), 4);
        assert_int_equal(dm_charset_utf8_valid_prefix("\xe2\x82\xac!", 4), 4); /* EURO SIGN */
        assert_int_equal(dm_charset_utf8_valid_prefix("\xf0\x9f\x98\x80", 4), 4);
        /* Overlong, surrogate, above U+10FFFF, truncated. */
        assert_int_equal(dm_charset_utf8_valid_prefix("a\xc0\xaf", 3), 1);
        assert_int_equal(dm_charset_utf8_valid_prefix("a\xe0\x80\xaf", 4), 1);
        assert_int_equal(dm_charset_utf8_valid_prefix("a\xed\xa0\x80", 4), 1);
        assert_int_equal(dm_charset_utf8_valid_prefix("a\xf4\x90\x80\x80", 5), 1);
        assert_int_equal(dm_charset_utf8_valid_prefix("a\xe2\x82", 3), 1);
        assert_int_equal(dm_charset_utf8_valid_prefix("\x80", 1), 0);
}

static void test_utf8_as_is(void **state)
{
        dm_charset_t cs;
        char err[256];
        (void)state;
        assert_string_equal(
            decode("Caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d", 14, &cs, err, sizeof(err)),
            "Caf\xc3\xa9 \xe2\x80\x9cok\xe2\x80\x9d");
        assert_int_equal(cs, DM_CHARSET_UTF8);
        assert_string_equal(decode("", 0, &cs, err, sizeof(err)), "");
        assert_int_equal(cs, DM_CHARSET_UTF8);
}

static void test_windows1252(void **state)
{
        dm_charset_t cs;
        char err[256];
        (void)state;
        /* No UTF-8 sequence at all: every high byte is Windows-1252. */
        assert_string_equal(decode("Caf\xe9 \x93quoted\x94 \x80", 15, &cs, err, sizeof(err)),
                            "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d \xe2\x82\xac");
        assert_int_equal(cs, DM_CHARSET_WINDOWS1252);
}

static void test_utf16(void **state)
{
        dm_charset_t cs;
        char err[256];
        (void)state;
        assert_string_equal(decode("\xff\xfeH\0i\0\xe9\0", 8, &cs, err, sizeof(err)), "Hi\xc3\xa9");
        assert_int_equal(cs, DM_CHARSET_UTF16LE);
        assert_string_equal(decode("\xfe\xff\0H\0i\x20\xac", 8, &cs, err, sizeof(err)),
                            "Hi\xe2\x82\xac");
        assert_int_equal(cs, DM_CHARSET_UTF16BE);
        /* A surrogate pair, and an unpaired one refused. */
        assert_string_equal(decode("\xff\xfe\x3d\xd8\x00\xde", 6, &cs, err, sizeof(err)),
                            "\xf0\x9f\x98\x80");
        assert_ptr_equal(refused_mark, decode("\xff\xfe\x3d\xd8 \0", 6, &cs, err, sizeof(err)));
        assert_true(err[0] != '\0');
}

static void test_declared(void **state)
{
        static const char html[] = "<html><head><meta charset=\"iso-8859-1\"></head>"
                                   "<body>Caf\xe9 na\xc3\xafve</body></html>";
        dm_charset_t cs;
        char err[256];
        const char *out;
        (void)state;
        /* Declared Latin-1: every high byte decoded, even a UTF-8 pair. */
        out = decode(html, sizeof(html) - 1, &cs, err, sizeof(err));
        assert_int_equal(cs, DM_CHARSET_WINDOWS1252);
        assert_non_null(strstr(out, "Caf\xc3\xa9 na\xc3\x83\xc2\xafve"));
}

static void test_repaired(void **state)
{
        char in[512], want[512];
        size_t n = 0;
        dm_charset_t cs;
        char err[256];
        (void)state;
        /* 150 bytes of UTF-8 with one stray Latin-1 byte. */
        n += (size_t)snprintf(in + n, sizeof(in) - n, "Caf\xc3\xa9 ");
        memset(in + n, 'x', 140);
        n += 140;
        in[n++] = '\xe9';
        in[n] = '\0';
        snprintf(want, sizeof(want), "%.*s\xc3\xa9", (int)(n - 1), in);
        assert_string_equal(decode(in, n, &cs, err, sizeof(err)), want);
        assert_int_equal(cs, DM_CHARSET_UTF8_REPAIRED);
        /* Too many strays for real UTF-8 text: refused. */
        assert_ptr_equal(refused_mark,
                         decode("Caf\xc3\xa9 \xe9\xe9\xe9", 9, &cs, err, sizeof(err)));
        assert_true(err[0] != '\0');
}

static void test_refused(void **state)
{
        dm_charset_t cs;
        char err[256];
        (void)state;
        /* A NUL byte, at offset 3. */
        assert_ptr_equal(refused_mark, decode("abc\0def", 7, &cs, err, sizeof(err)));
        assert_non_null(strstr(err, "NUL byte at byte offset 3"));
        /* Control bytes in text that is not UTF-8: binary data. In valid
         * UTF-8 they are taken as they are. */
        assert_ptr_equal(refused_mark, decode("ab\x01\x02\xff", 5, &cs, err, sizeof(err)));
        assert_non_null(strstr(err, "control byte 0x01 at byte offset 2"));
        assert_string_equal(decode("ab\x01", 3, &cs, err, sizeof(err)), "ab\x01");
        assert_int_equal(cs, DM_CHARSET_UTF8);
        /* A byte Windows-1252 leaves undefined. */
        assert_ptr_equal(refused_mark, decode("Caf\xe9 \x81", 6, &cs, err, sizeof(err)));
        assert_non_null(strstr(err, "offset 5"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_names),      cmocka_unit_test(test_valid_prefix),
            cmocka_unit_test(test_utf8_as_is), cmocka_unit_test(test_windows1252),
            cmocka_unit_test(test_utf16),      cmocka_unit_test(test_declared),
            cmocka_unit_test(test_repaired),   cmocka_unit_test(test_refused),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
