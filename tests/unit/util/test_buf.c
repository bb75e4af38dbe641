/* The growable byte buffer (dm_buf): always NUL-terminated after any
 * append, len without the terminator, printf appends, reset, steal, and
 * reading a whole stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_buf.h"

static void test_append(void **state)
{
        dm_buf_t b;
        (void)state;
        dm_buf_init(&b);
        assert_null(b.data);
        assert_int_equal(b.len, 0);
        dm_buf_append(&b, "", 0); /* allocates, stays a C string */
        assert_non_null(b.data);
        assert_string_equal(b.data, "");
        dm_buf_puts(&b, "abc");
        dm_buf_putc(&b, '-');
        dm_buf_append(&b, "x\0y", 3); /* bytes, NUL included */
        assert_int_equal(b.len, 7);
        assert_memory_equal(b.data, "abc-x\0y", 8);
        assert_true(b.cap > b.len);
        dm_buf_free(&b);
        assert_null(b.data);
        assert_int_equal(b.len, 0);
        assert_int_equal(b.cap, 0);
}

static void test_growth(void **state)
{
        dm_buf_t b;
        size_t i;
        (void)state;
        dm_buf_init(&b);
        for (i = 0; i < 100000; i++)
                dm_buf_putc(&b, (char)('a' + i % 26));
        assert_int_equal(b.len, 100000);
        assert_int_equal(strlen(b.data), 100000);
        assert_int_equal(b.data[99999], 'a' + 99999 % 26);
        dm_buf_free(&b);
}

static void test_printf(void **state)
{
        dm_buf_t b;
        (void)state;
        dm_buf_init(&b);
        dm_buf_printf(&b, "%s=%d", "n", 42);
        dm_buf_printf(&b, "%s", "");
        dm_buf_printf(&b, ";%05.1f", 3.14159);
        assert_string_equal(b.data, "n=42;003.1");
        assert_int_equal(b.len, 10);
        /* A long one, past any first capacity. */
        dm_buf_printf(&b, "%2000s", "z");
        assert_int_equal(b.len, 2010);
        assert_int_equal(b.data[2009], 'z');
        assert_int_equal(b.data[2010], '\0');
        dm_buf_free(&b);
}

static void test_reset_and_steal(void **state)
{
        dm_buf_t b;
        char *p;
        (void)state;
        dm_buf_init(&b);
        dm_buf_reset(&b); /* on an empty buffer: nothing to do */
        assert_null(b.data);
        dm_buf_puts(&b, "hello");
        dm_buf_reset(&b);
        assert_int_equal(b.len, 0);
        assert_string_equal(b.data, "");
        dm_buf_puts(&b, "again");
        p = dm_buf_steal(&b);
        assert_string_equal(p, "again");
        assert_null(b.data);
        assert_int_equal(b.len, 0);
        free(p);
        /* Stealing an empty buffer gives an empty string, not NULL. */
        p = dm_buf_steal(&b);
        assert_non_null(p);
        assert_string_equal(p, "");
        free(p);
}

static void test_read_stream(void **state)
{
        dm_buf_t b;
        FILE *fp = tmpfile();
        size_t i;
        (void)state;
        assert_non_null(fp);
        for (i = 0; i < 200000; i++)
                fputc('0' + (int)(i % 10), fp);
        rewind(fp);
        dm_buf_init(&b);
        dm_buf_puts(&b, ">");
        assert_int_equal(dm_buf_read_stream(&b, fp), 0);
        assert_int_equal(b.len, 200001);
        assert_int_equal(b.data[0], '>');
        assert_int_equal(b.data[200000], '0' + 199999 % 10);
        assert_int_equal(b.data[200001], '\0');
        fclose(fp);
        /* A stream opened for writing only: a read error. */
        fp = fopen("/dev/null", "w");
        assert_non_null(fp);
        assert_int_equal(dm_buf_read_stream(&b, fp), -1);
        fclose(fp);
        dm_buf_free(&b);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_append),      cmocka_unit_test(test_growth),
            cmocka_unit_test(test_printf),      cmocka_unit_test(test_reset_and_steal),
            cmocka_unit_test(test_read_stream),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
