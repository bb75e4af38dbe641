/* dm_nouns: the event-noun dictionary (*.nouns): entries, roles, defaults,
 * light verbs, warnings and lookups. */
#include "dict/dm_lex.h"
#include "dict/dm_nouns.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

typedef struct warns {
        int count;
        int last_line;
} warns_t;

static void on_warn(void *ctx, const char *path, int line, const char *msg)
{
        warns_t *w = ctx;
        (void)path;
        (void)msg;
        w->count++;
        w->last_line = line;
}

static dm_nouns_t *load(const char *text, dm_lex_t *lx, warns_t *w)
{
        char path[] = "/tmp/dm_test_nouns_XXXXXX";
        char err[256];
        int fd = mkstemp(path);
        dm_nouns_t *n = dm_nouns_new();
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        memset(w, 0, sizeof(*w));
        assert_int_equal(dm_nouns_load(n, lx, path, on_warn, w, err, sizeof(err)), 0);
        unlink(path);
        dm_nouns_finish(n, lx);
        return n;
}

static void test_entries_and_roles(void **state)
{
        dm_lex_t lx;
        warns_t w;
        dm_nouns_t *n;
        const dm_noun_t *e;
        size_t count;
        (void)state;
        dm_lex_init(&lx);
        n = load("# comment\n"
                 "ATTACK [190]\n"
                 "AIR_STRIKE [195]\n"
                 "CHEMICAL_WEAPONS_ATTACK [2041]\n"
                 "VISIT [042] of=source\n"
                 "ROLES: poss=target\n"
                 "ARREST [173]\n"
                 "TALK [046] mutual\n"
                 "LIGHT: hold launch\n"
                 "ROLES: subj=source about=target\n"
                 "UNHAPPY [110] adj\n"
                 "WRONG [111] adj speaker=source subj=target\n",
                 &lx, &w);
        assert_int_equal(w.count, 0);
        assert_int_equal(dm_nouns_count(n), 8);
        /* Adjectives: the word adj, and the attachments of their clause. */
        e = dm_nouns_find(n, "unhappy", &count);
        assert_int_equal(e->adj, 1);
        assert_int_equal(e->roles[DM_NA_SUBJ], DM_NR_SOURCE);
        assert_int_equal(e->roles[DM_NA_ABOUT], DM_NR_TARGET);
        e = dm_nouns_find(n, "wrong", &count);
        assert_int_equal(e->roles[DM_NA_SPEAKER], DM_NR_SOURCE);
        assert_int_equal(e->roles[DM_NA_SUBJ], DM_NR_TARGET);
        assert_int_equal(dm_nouns_find(n, "talk", &count)->adj, 0);
        /* Most modifiers first. */
        e = dm_nouns_find(n, "attack", &count);
        assert_non_null(e);
        assert_int_equal(count, 2);
        assert_int_equal(e[0].nmods, 2);
        assert_string_equal(lx.str + e[0].mods[0], "chemical");
        assert_string_equal(lx.str + e[0].code, "2041");
        assert_int_equal(e[1].nmods, 0);
        /* Defaults: a possessive or modifier acts, "of" and "against"
         * name the target. */
        assert_int_equal(e[1].roles[DM_NA_POSS], DM_NR_SOURCE);
        assert_int_equal(e[1].roles[DM_NA_AMOD], DM_NR_SOURCE);
        assert_int_equal(e[1].roles[DM_NA_OF], DM_NR_TARGET);
        assert_int_equal(e[1].roles[DM_NA_AGAINST], DM_NR_TARGET);
        assert_int_equal(e[1].roles[DM_NA_OVER], DM_NR_NONE);
        e = dm_nouns_find(n, "visit", &count);
        assert_int_equal(count, 1);
        assert_int_equal(e->roles[DM_NA_OF], DM_NR_SOURCE);
        /* A ROLES: line changes the entries after it only. */
        e = dm_nouns_find(n, "arrest", &count);
        assert_int_equal(e->roles[DM_NA_POSS], DM_NR_TARGET);
        assert_int_equal(dm_nouns_find(n, "strike", &count)->roles[DM_NA_POSS], DM_NR_SOURCE);
        assert_int_equal(dm_nouns_find(n, "talk", &count)->mutual, 1);
        assert_int_equal(dm_nouns_find(n, "attack", &count)->mutual, 0);
        assert_null(dm_nouns_find(n, "weather", &count));
        assert_int_equal(count, 0);
        assert_true(dm_nouns_light(n, "hold"));
        assert_true(dm_nouns_light(n, "launch"));
        assert_false(dm_nouns_light(n, "sponsor"));
        dm_nouns_destroy(n);
        dm_lex_free(&lx);
}

static void test_forms(void **state)
{
        dm_lex_t lx;
        warns_t w;
        dm_nouns_t *n;
        size_t count;
        (void)state;
        dm_lex_init(&lx);
        n = load("STRIKE [190]\nCRACKDOWN [175]\nSTRATEGY [---]\nCLASH [190]\n", &lx, &w);
        assert_true(dm_nouns_maybe_form(n, "STRIKE", 6));
        assert_true(dm_nouns_maybe_form(n, "STRIKES", 7));
        assert_true(dm_nouns_maybe_form(n, "CLASHES", 7));
        assert_true(dm_nouns_maybe_form(n, "STRATEGIES", 10));
        assert_false(dm_nouns_maybe_form(n, "STRIKER", 7));
        assert_false(dm_nouns_maybe_form(n, "RUSSIA", 6));
        /* Verb forms only for tone words. */
        assert_false(dm_nouns_maybe_form(n, "STRIKING", 8));
        dm_nouns_destroy(n);
        dm_lex_free(&lx);
        dm_lex_init(&lx);
        n = load("BACKTRACK [111] tone\nDECEIVE [111] tone\nBULLY [111] tone\nLIE [112] tone\n",
                 &lx, &w);
        assert_int_equal(w.count, 0);
        assert_int_equal(dm_nouns_find(n, "backtrack", &count)->tone, 1);
        assert_true(dm_nouns_maybe_form(n, "BACKTRACKING", 12));
        assert_true(dm_nouns_maybe_form(n, "BACKTRACKED", 11));
        assert_true(dm_nouns_maybe_form(n, "DECEIVED", 8));
        assert_true(dm_nouns_maybe_form(n, "DECEIVING", 9));
        assert_true(dm_nouns_maybe_form(n, "BULLIED", 7));
        assert_true(dm_nouns_maybe_form(n, "LYING", 5));
        dm_nouns_destroy(n);
        dm_lex_free(&lx);
}

static void test_bad_lines_warn(void **state)
{
        dm_lex_t lx;
        warns_t w;
        dm_nouns_t *n;
        size_t count;
        (void)state;
        dm_lex_init(&lx);
        n = load("ATTACK [190]\n"
                 "ATTACK [195]\n"             /* duplicate: the first wins */
                 "SIEGE 191\n"                /* no brackets */
                 "RAID [190] of=maybe\n"      /* unknown role */
                 "RAID [190] beside=target\n" /* unknown attachment */
                 "A_B_C_D_E_F [190]\n"        /* too many words */
                 "[190]\n"                    /* no phrase */
                 "ROLES: of\n"                /* not a pair */
                 "SIEGE [191]\n",
                 &lx, &w);
        assert_int_equal(w.count, 7);
        assert_int_equal(dm_nouns_count(n), 2);
        assert_string_equal(lx.str + dm_nouns_find(n, "attack", &count)->code, "190");
        assert_non_null(dm_nouns_find(n, "siege", &count));
        assert_null(dm_nouns_find(n, "raid", &count));
        dm_nouns_destroy(n);
        dm_lex_free(&lx);
}

static void test_missing_file_and_null(void **state)
{
        dm_lex_t lx;
        char err[256] = "";
        dm_nouns_t *n = dm_nouns_new();
        size_t count;
        (void)state;
        dm_lex_init(&lx);
        assert_int_equal(
            dm_nouns_load(n, &lx, "/nonexistent/x.nouns", NULL, NULL, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "x.nouns"));
        dm_nouns_finish(n, &lx);
        assert_null(dm_nouns_find(n, "attack", &count));
        assert_false(dm_nouns_maybe_form(n, "ATTACK", 6));
        assert_int_equal(dm_nouns_att("against"), DM_NA_AGAINST);
        assert_int_equal(dm_nouns_att("towards"), DM_NA_TOWARD);
        assert_int_equal(dm_nouns_att("beside"), DM_NA_COUNT);
        dm_nouns_destroy(n);
        dm_nouns_destroy(NULL);
        dm_lex_free(&lx);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_entries_and_roles),
            cmocka_unit_test(test_forms),
            cmocka_unit_test(test_bad_lines_warn),
            cmocka_unit_test(test_missing_file_and_null),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
