/* Memory and string helpers (dm_mem.c: dm_mem.h and dm_str.h): copies,
 * asprintf, dm_grow's doubling, the string pool's offsets, trimming and
 * the errstr convention. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

static void test_copies(void **state)
{
        char *p;
        (void)state;
        p = dm_strdup("abc");
        assert_string_equal(p, "abc");
        free(p);
        assert_null(dm_strdup_or_null(NULL));
        p = dm_strdup_or_null("");
        assert_string_equal(p, "");
        free(p);
        p = dm_strndup("abcdef", 3);
        assert_string_equal(p, "abc");
        free(p);
        p = dm_strndup("abc", 0);
        assert_string_equal(p, "");
        free(p);
        p = dm_asprintf("%s-%d-%c", "x", -7, 'z');
        assert_string_equal(p, "x--7-z");
        free(p);
        p = dm_asprintf("%s", "");
        assert_non_null(p);
        assert_string_equal(p, "");
        free(p);
        p = dm_calloc(4, 8);
        assert_memory_equal(p, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
                            32);
        p = dm_realloc(p, 64);
        assert_int_equal(p[31], 0);
        free(p);
}

static void test_grow(void **state)
{
        int *arr = NULL;
        size_t cap = 0, i;
        (void)state;
        dm_grow((void **)&arr, &cap, 0, sizeof(int));
        assert_null(arr); /* nothing needed, nothing allocated */
        assert_int_equal(cap, 0);
        dm_grow((void **)&arr, &cap, 1, sizeof(int));
        assert_int_equal(cap, 8); /* the first size */
        dm_grow((void **)&arr, &cap, 8, sizeof(int));
        assert_int_equal(cap, 8);
        dm_grow((void **)&arr, &cap, 9, sizeof(int));
        assert_int_equal(cap, 16); /* doubling */
        dm_grow((void **)&arr, &cap, 100, sizeof(int));
        assert_int_equal(cap, 128);
        for (i = 0; i < 100; i++)
                arr[i] = (int)i; /* ASan: the room is there */
        assert_int_equal(arr[99], 99);
        free(arr);
}

static void test_pool(void **state)
{
        char *pool = NULL;
        size_t len = 0, cap = 0;
        uint32_t a, b, c;
        (void)state;
        a = dm_pool_add(&pool, &len, &cap, "Gondor", 6);
        b = dm_pool_add(&pool, &len, &cap, "Arnor and more", 5);
        c = dm_pool_add(&pool, &len, &cap, "", 0);
        assert_int_equal(a, 0);
        assert_int_equal(b, 7);
        assert_int_equal(c, 13);
        assert_int_equal(len, 14);
        assert_string_equal(pool + a, "Gondor");
        assert_string_equal(pool + b, "Arnor");
        assert_string_equal(pool + c, "");
        free(pool);
}

static void test_trim(void **state)
{
        char a[] = "  \t hello world \r\n", b[] = "", c[] = " \t\n ", d[] = "x";
        (void)state;
        assert_string_equal(dm_str_trim(a), "hello world");
        assert_string_equal(dm_str_trim(b), "");
        assert_string_equal(dm_str_trim(c), "");
        assert_string_equal(dm_str_trim(d), "x");
}

static void test_seterr(void **state)
{
        char err[8] = "keep";
        (void)state;
        dm_str_seterr(err, sizeof(err), "%s %d", "bad", 12345);
        assert_string_equal(err, "bad 123"); /* truncated, terminated */
        strcpy(err, "keep");
        dm_str_seterr(err, 0, "%s", "x");
        assert_string_equal(err, "keep");
        dm_str_seterr(NULL, 10, "%s", "x"); /* the point: NULL is allowed */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_copies), cmocka_unit_test(test_grow),
            cmocka_unit_test(test_pool),   cmocka_unit_test(test_trim),
            cmocka_unit_test(test_seterr),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
