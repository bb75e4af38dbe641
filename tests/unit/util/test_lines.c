/* The line iterator (dm_lines): lines without "\n" or "\r\n", numbers
 * from 1, lengths that show NUL bytes, rewind, a last line without a
 * newline, and the "PATH: cannot open: REASON" error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_lines.h"

static char path[] = "/tmp/dm_test_lines_XXXXXX";

static int setup(void **state)
{
        int fd = mkstemp(path);
        static const char text[] = "first\r\n\nthird has\0a NUL\nlast without newline";
        (void)state;
        if (fd < 0)
                return -1;
        if (write(fd, text, sizeof(text) - 1) != (ssize_t)(sizeof(text) - 1))
                return -1;
        close(fd);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        unlink(path);
        return 0;
}

static void test_lines(void **state)
{
        char err[256];
        dm_lines_t *it = dm_lines_new(path, err, sizeof(err));
        char *l;
        size_t n;
        int pass;
        (void)state;
        assert_non_null(it);
        for (pass = 0; pass < 2; pass++) {
                assert_int_equal(dm_lines_number(it), 0);
                l = dm_lines_next(it, &n);
                assert_string_equal(l, "first"); /* CRLF read like LF */
                assert_int_equal(n, 5);
                assert_int_equal(dm_lines_number(it), 1);
                l = dm_lines_next(it, &n);
                assert_string_equal(l, "");
                assert_int_equal(n, 0);
                l = dm_lines_next(it, &n);
                /* A NUL byte: the length says more than strlen. */
                assert_int_equal(n, 15);
                assert_int_equal(strlen(l), 9);
                assert_memory_equal(l, "third has\0a NUL", 15);
                l = dm_lines_next(it, NULL);
                assert_string_equal(l, "last without newline");
                assert_int_equal(dm_lines_number(it), 4);
                assert_null(dm_lines_next(it, &n));
                assert_null(dm_lines_next(it, &n));
                dm_lines_rewind(it);
        }
        dm_lines_destroy(it);
        dm_lines_destroy(NULL); /* a no-op */
}

static void test_cannot_open(void **state)
{
        char err[256] = "";
        (void)state;
        assert_null(dm_lines_new("/nonexistent/dir/file.txt", err, sizeof(err)));
        assert_string_equal(err,
                            "/nonexistent/dir/file.txt: cannot open: No such file or directory");
        /* No room for a message: still NULL, nothing written. */
        assert_null(dm_lines_new("/nonexistent/dir/file.txt", NULL, 0));
}

static void test_empty_file(void **state)
{
        char p[] = "/tmp/dm_test_lines_empty_XXXXXX", err[256];
        int fd = mkstemp(p);
        dm_lines_t *it;
        (void)state;
        assert_true(fd >= 0);
        close(fd);
        it = dm_lines_new(p, err, sizeof(err));
        assert_non_null(it);
        assert_null(dm_lines_next(it, NULL));
        assert_int_equal(dm_lines_number(it), 0);
        dm_lines_destroy(it);
        unlink(p);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_lines),
            cmocka_unit_test(test_cannot_open),
            cmocka_unit_test(test_empty_file),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
