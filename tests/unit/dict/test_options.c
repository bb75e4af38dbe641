/* TABARI .options commands (dm_options): defaults (manual 8.6), SET with
 * its booleans and numbers, COMPLEX, DEFAULT, COMMA, FORWARD, ignored
 * presentation commands, case and blank insensitivity, comments, errors,
 * and loading a file with problems warned as file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_options.h"

static void test_defaults(void **state)
{
        dm_options_t o;
        (void)state;
        memset(&o, 0x5a, sizeof(o));
        dm_options_defaults(&o);
        assert_int_equal(o.code_by, DM_CODE_BY_CLAUSE);
        assert_int_equal(o.min_words, 8);
        assert_int_equal(o.time_shift, -1);
        assert_int_equal(o.comma_off, 0);
        assert_int_equal(o.comma_min, 2);
        assert_int_equal(o.comma_max, 10);
        assert_int_equal(o.comma_emin, 2);
        assert_int_equal(o.comma_emax, 10);
        /* BMIN > BMAX: the first comma phrase is never deleted. */
        assert_true(o.comma_bmin > o.comma_bmax);
        assert_string_equal(o.default_src, "");
        assert_int_equal(o.forward, 0);
        assert_int_equal(o.cx_verbs, 0);
}

static int apply(dm_options_t *o, const char *line)
{
        char err[256] = "";
        int rc = dm_options_apply(o, line, err, sizeof(err));
        if (rc)
                assert_true(err[0] != '\0');
        return rc;
}

static void test_set(void **state)
{
        dm_options_t o;
        (void)state;
        dm_options_defaults(&o);
        assert_int_equal(apply(&o, "SET: CODE BY SENTENCE"), 0);
        assert_int_equal(o.code_by, DM_CODE_BY_SENTENCE);
        /* Case and blanks do not matter. */
        assert_int_equal(apply(&o, "  set:   code   by  clause "), 0);
        assert_int_equal(o.code_by, DM_CODE_BY_CLAUSE);
        assert_int_equal(apply(&o, "SET: MINIMUM WORDS = 5"), 0);
        assert_int_equal(o.min_words, 5);
        assert_int_equal(apply(&o, "SET: YYYY = TRUE"), 0);
        assert_int_equal(o.yyyy, 1);
        assert_int_equal(apply(&o, "SET: YYYY = false"), 0);
        assert_int_equal(o.yyyy, 0);
        assert_int_equal(apply(&o, "SET: CONVERT AGENTS = ON"), 0);
        assert_int_equal(o.convert_agents, 1);
        assert_int_equal(apply(&o, "SET: TIME SHIFT = 0"), 0);
        assert_int_equal(o.time_shift, 0);
        assert_int_equal(apply(&o, "SET: FBIS = 1"), 0);
        assert_int_equal(o.fbis, 1);
        /* Switches we do not use, with any value, are accepted. */
        assert_int_equal(apply(&o, "SET: DUP WARNING = MAYBE"), 0);
        /* No '=': an error. */
        assert_int_equal(apply(&o, "SET: YYYY"), -1);
}

static void test_complex_default_comma_forward(void **state)
{
        dm_options_t o;
        (void)state;
        dm_options_defaults(&o);
        assert_int_equal(apply(&o, "COMPLEX: VERBS [5] ACTORS [7] CONJ [3] NOSOURCE NOEVENT"), 0);
        assert_int_equal(o.cx_verbs, 5);
        assert_int_equal(o.cx_actors, 7);
        assert_int_equal(o.cx_conj, 3);
        assert_int_equal(o.cx_pronouns, 0);
        assert_true(o.cx_nosource);
        assert_true(o.cx_noevent);
        assert_false(o.cx_notarget);
        assert_int_equal(apply(&o, "DEFAULT: SOURCE [ABC] TARGET [DEF] AFTER"), 0);
        assert_string_equal(o.default_src, "ABC");
        assert_string_equal(o.default_tgt, "DEF");
        assert_true(o.default_after);
        assert_int_equal(apply(&o, "DEFAULT: OFF"), 0);
        assert_string_equal(o.default_tgt, "");
        assert_false(o.default_after);
        /* "MIN" does not read the EMIN or BMIN values. */
        assert_int_equal(apply(&o, "COMMA: EMIN = 5 BMIN = 1 MIN = 3"), 0);
        assert_int_equal(o.comma_min, 3);
        assert_int_equal(o.comma_emin, 5);
        assert_int_equal(o.comma_bmin, 1);
        assert_int_equal(o.comma_max, 10); /* unchanged */
        assert_int_equal(apply(&o, "COMMA: OFF"), 0);
        assert_true(o.comma_off);
        assert_int_equal(apply(&o, "COMMA: MAX = 12"), 0);
        assert_false(o.comma_off);
        assert_int_equal(o.comma_max, 12);
        assert_int_equal(apply(&o, "FORWARD: ON"), 0);
        assert_true(o.forward);
        assert_int_equal(apply(&o, "FORWARD: OFF"), 0);
        assert_false(o.forward);
}

static void test_ignored_and_errors(void **state)
{
        dm_options_t o, before;
        (void)state;
        dm_options_defaults(&o);
        before = o;
        assert_int_equal(apply(&o, "LABEL: whatever"), 0);
        assert_int_equal(apply(&o, "OUTPUT: ALL"), 0);
        assert_int_equal(apply(&o, ""), 0);
        assert_int_equal(apply(&o, "   "), 0);
        assert_int_equal(apply(&o, "# a comment"), 0);
        assert_int_equal(apply(&o, "// another"), 0);
        assert_int_equal(memcmp(&o, &before, sizeof(o)), 0);
        /* A comment after a command. */
        assert_int_equal(apply(&o, "SET: MINIMUM WORDS = 6 # six"), 0);
        assert_int_equal(o.min_words, 6);
        assert_int_equal(apply(&o, "NO COLON HERE"), -1);
        assert_int_equal(apply(&o, "BOGUS: x"), -1);
}

typedef struct warns {
        int n;
        char first[256];
} warns_t;

static void on_warn(void *ctx, const char *path, int line, const char *msg)
{
        warns_t *w = ctx;
        const char *base = strrchr(path, '/');
        if (!w->n++)
                snprintf(w->first, sizeof(w->first), "%s:%d: %s", base ? base + 1 : path, line,
                         msg);
}

static void test_load(void **state)
{
        char path[] = "/tmp/dm_test_options_XXXXXX", err[256];
        int fd = mkstemp(path);
        static const char text[] = "COMPLEX: VERBS[4]\n"
                                   "SET: MINIMUM WORDS = 3\n"
                                   "BOGUS: nothing\n"
                                   "~~FINISH\n"
                                   "SET: MINIMUM WORDS = 99\n";
        dm_options_t o;
        warns_t w = {0, ""};
        (void)state;
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
        close(fd);
        dm_options_defaults(&o);
        assert_int_equal(dm_options_load(&o, path, on_warn, &w, err, sizeof(err)), 0);
        assert_int_equal(o.cx_verbs, 4);
        assert_int_equal(o.min_words, 3); /* nothing after ~~ */
        assert_int_equal(w.n, 1);
        assert_non_null(strstr(w.first, ":3: unknown options command"));
        /* Without a warn callback problems are skipped silently. */
        assert_int_equal(dm_options_load(&o, path, NULL, NULL, err, sizeof(err)), 0);
        unlink(path);
        err[0] = '\0';
        assert_int_equal(dm_options_load(&o, path, on_warn, &w, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "cannot open"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_defaults),
            cmocka_unit_test(test_set),
            cmocka_unit_test(test_complex_default_comma_forward),
            cmocka_unit_test(test_ignored_and_errors),
            cmocka_unit_test(test_load),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
