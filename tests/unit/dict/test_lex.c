/* The compiled lexicon (dm_lex): interned strings, TABARI phrase
 * compilation (connectors, match modes, pattern tokens, { | } groups,
 * synsets, errors), word matching with regular endings, the word index
 * and its per-thread cache, pattern ordering and prefilter keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dm_lex.h"
#include "dict/dm_tabari_verbs.h"

static dm_lex_t lx;

static int setup(void **state)
{
        (void)state;
        dm_lex_init(&lx);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_lex_free(&lx);
        return 0;
}

static const dm_lex_el_t *el_of(dm_lex_seq_t seq, uint32_t k)
{
        assert_true(k < seq.count);
        return &lx.els[seq.first + k];
}

static dm_lex_seq_t compile_ok(const char *text, uint32_t *length)
{
        dm_lex_seq_t seq;
        uint32_t len = 0;
        const char *why = NULL;
        if (dm_lex_compile(&lx, text, &seq, &len, &why))
                fail_msg("\"%s\": %s", text, why);
        if (length)
                *length = len;
        return seq;
}

static const char *compile_err(const char *text)
{
        dm_lex_seq_t seq;
        uint32_t len;
        const char *why = NULL;
        size_t nels = lx.nels;
        assert_int_equal(dm_lex_compile(&lx, text, &seq, &len, &why), -1);
        assert_non_null(why);
        /* A failed phrase adds no elements of its own. */
        assert_true(lx.nels >= nels);
        return why;
}

static void test_strings(void **state)
{
        uint32_t a, b, c;
        (void)state;
        a = dm_lex_str(&lx, "GONDOR", 6);
        b = dm_lex_str(&lx, "ARNOR and more", 5);
        c = dm_lex_str(&lx, "", 0);
        assert_string_equal(dm_lex_s(&lx, a), "GONDOR");
        assert_string_equal(dm_lex_s(&lx, b), "ARNOR");
        assert_string_equal(dm_lex_s(&lx, c), "");
        assert_true(a != b);
}

static void test_compile_words(void **state)
{
        dm_lex_seq_t s;
        uint32_t len;
        (void)state;
        /* '_' joins adjacent words; the last word without '_' is a stem. */
        s = compile_ok("united_states", &len);
        assert_int_equal(s.count, 2);
        assert_int_equal(el_of(s, 0)->type, DM_EL_WORD);
        assert_string_equal(dm_lex_s(&lx, el_of(s, 0)->ref), "UNITED");
        assert_int_equal(el_of(s, 0)->mode, DM_WM_EXACT);
        assert_int_equal(el_of(s, 0)->adj_next, 1);
        assert_string_equal(dm_lex_s(&lx, el_of(s, 1)->ref), "STATES");
        assert_int_equal(el_of(s, 1)->len, 6);
        assert_int_equal(el_of(s, 1)->mode, DM_WM_STEM);
        assert_int_equal(el_of(s, 1)->adj_next, 0);
        assert_int_equal(len, 12); /* letters, for precedence */
        /* A final '_' allows regular endings; '=' is the word only. */
        s = compile_ok("PRESIDENT_", NULL);
        assert_int_equal(s.count, 1);
        assert_int_equal(el_of(s, 0)->mode, DM_WM_ENDS);
        s = compile_ok("MET=", NULL);
        assert_int_equal(el_of(s, 0)->mode, DM_WM_EXACT);
        /* "IN_ *": a whole word the next element need not follow at once. */
        s = compile_ok("IN_ *", NULL);
        assert_int_equal(s.count, 2);
        assert_int_equal(el_of(s, 0)->mode, DM_WM_EXACT);
        assert_int_equal(el_of(s, 0)->adj_next, 0);
        assert_int_equal(el_of(s, 1)->type, DM_EL_VERB);
        /* Hyphens are underscores; leading ones and quotes go. */
        s = compile_ok("_NORTH-\"KOREA\"_", NULL);
        assert_int_equal(s.count, 2);
        assert_string_equal(dm_lex_s(&lx, el_of(s, 0)->ref), "NORTH");
        assert_int_equal(el_of(s, 0)->adj_next, 1);
        assert_string_equal(dm_lex_s(&lx, el_of(s, 1)->ref), "KOREA");
        assert_int_equal(el_of(s, 1)->mode, DM_WM_ENDS);
        /* A lone '&' is a word. */
        s = compile_ok("SAINT_KITTS_&_NEVIS", NULL);
        assert_int_equal(s.count, 4);
        assert_string_equal(dm_lex_s(&lx, el_of(s, 2)->ref), "&");
        assert_int_equal(el_of(s, 2)->mode, DM_WM_EXACT);
}

static void test_compile_pattern_tokens(void **state)
{
        dm_lex_seq_t s;
        static const uint8_t want[] = {DM_EL_SRC, DM_EL_VERB, DM_EL_TGT, DM_EL_COMP, DM_EL_SKIP};
        uint32_t k;
        (void)state;
        s = compile_ok("$ * + % ^", NULL);
        assert_int_equal(s.count, 5);
        for (k = 0; k < 5; k++)
                assert_int_equal(el_of(s, k)->type, want[k]);
        /* A token followed by '_' must be followed at once. */
        s = compile_ok("*_ AGAINST +", NULL);
        assert_int_equal(el_of(s, 0)->type, DM_EL_VERB);
        assert_int_equal(el_of(s, 0)->adj_next, 1);
}

static void test_compile_groups(void **state)
{
        dm_lex_seq_t s;
        uint32_t len, g;
        (void)state;
        /* Alternatives: one GROUP element; the length is the longest's. */
        s = compile_ok("* {A|BB CCC} DEAL", &len);
        assert_int_equal(s.count, 3);
        assert_int_equal(el_of(s, 1)->type, DM_EL_GROUP);
        assert_int_equal(lx.groups[el_of(s, 1)->ref].count, 2);
        assert_int_equal(len, 5 + 4);
        /* Synsets are groups by name. */
        g = dm_lex_synset(&lx, "TIES");
        dm_lex_group_add(&lx, g, compile_ok("RELATIONS", NULL));
        s = compile_ok("RESTORE_ &TIES", NULL);
        assert_int_equal(s.count, 2);
        assert_int_equal(el_of(s, 1)->type, DM_EL_GROUP);
        assert_int_equal(el_of(s, 1)->ref, g);
        assert_int_equal(lx.groups[g].count, 1);
}

static void test_compile_errors(void **state)
{
        char longp[400];
        size_t i;
        (void)state;
        assert_string_equal(compile_err(""), "empty phrase");
        assert_string_equal(compile_err("  \"\" "), "empty phrase");
        assert_string_equal(compile_err("A {B|C"), "unterminated { alternatives }");
        assert_string_equal(compile_err("A {}"), "empty { alternatives }");
        assert_string_equal(compile_err("* &NOSUCH"), "undeclared &SYNSET");
        assert_string_equal(compile_err("A =B"), "unexpected character in phrase");
        assert_string_equal(compile_err("{{{{{{{{{{{A}}}}}}}}}}}"), "alternatives nested too deep");
        for (i = 0; i < 65; i++)
                memcpy(longp + 2 * i, "A ", 2);
        longp[130] = '\0';
        assert_string_equal(compile_err(longp), "phrase too long");
        /* 64 words are fine. */
        longp[128] = '\0';
        assert_int_equal(compile_ok(longp, NULL).count, 64);
}

static int match(const char *phrase, const char *word)
{
        dm_lex_seq_t s = compile_ok(phrase, NULL);
        return dm_lex_word_match(&lx, el_of(s, 0), word, strlen(word));
}

static void test_word_match(void **state)
{
        (void)state;
        /* STEM: any word it starts. */
        assert_true(match("PRESID", "PRESIDENTIAL"));
        assert_true(match("PRESID", "PRESID"));
        assert_false(match("PRESID", "PRESI"));
        assert_false(match("PRESID", "XPRESID"));
        /* ENDS: the word or a regular ending. */
        assert_true(match("PRESIDENT_", "PRESIDENT"));
        assert_true(match("PRESIDENT_", "PRESIDENTS"));
        assert_true(match("PRESIDENT_", "PRESIDENT'S"));
        assert_true(match("PRESIDENT_", "PRESIDENTS'"));
        assert_false(match("PRESIDENT_", "PRESIDENTIAL"));
        assert_true(match("ATTACK_", "ATTACKED"));
        assert_true(match("ATTACK_", "ATTACKING"));
        /* "D" only after a final E. */
        assert_true(match("CLOSE_", "CLOSED"));
        assert_false(match("ATTACK_", "ATTACKD"));
        /* EXACT: the word only. */
        assert_true(match("MET=", "MET"));
        assert_false(match("MET=", "METS"));
        /* dm_lex_no_endings turns ENDS into EXACT. */
        {
                size_t from = lx.nels;
                dm_lex_seq_t s = compile_ok("BLAME_", NULL);
                dm_lex_no_endings(&lx, from);
                assert_int_equal(el_of(s, 0)->mode, DM_WM_EXACT);
                assert_false(dm_lex_word_match(&lx, el_of(s, 0), "BLAMED", 6));
                assert_true(dm_lex_word_match(&lx, el_of(s, 0), "BLAME", 5));
        }
}

static void test_keys(void **state)
{
        (void)state;
        /* Three letters or more: the key of the first three. */
        assert_int_equal(dm_lex_key("UNITED", 6), dm_lex_key("UNI", 3));
        assert_int_equal(dm_lex_key("UNITED", 6), dm_lex_key("UNICORN", 7));
        assert_int_equal(dm_lex_key("UN", 2), dm_lex_key("UNXX", 2));
        assert_true(dm_lex_key("UNITED", 6) != dm_lex_key("UNTIED", 6));
}

/* Candidates of w as a sorted, comma-separated list of the entries'
 * phrases. */
static void collect(void *ctx, uint32_t entry)
{
        char *out = ctx;
        if (out[0])
                strcat(out, ",");
        strcat(out, dm_lex_s(&lx, lx.entries[entry].phrase));
}

static const char *cands(const char *w)
{
        static char out[512];
        out[0] = '\0';
        dm_lex_candidates(&lx, w, strlen(w), collect, out);
        return out;
}

static void test_index_and_cache(void **state)
{
        static const char *const phrases[] = {"UNITED_STATES", "PRESIDENT_", "PRESID",
                                              "CLOSE_",        "MET=",       "{A|B} C"};
        static const char *const words[] = {"UNITED", "STATES",    "PRESIDENTS", "PRESIDENTIAL",
                                            "CLOSED", "MET",       "METS",       "A",
                                            "ZZZ",    "PRESIDENT", NULL};
        dm_lex_cache_t cache;
        size_t i, k;
        (void)state;
        dm_lex_free(&lx);
        dm_lex_init(&lx);
        for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
                uint32_t len;
                dm_lex_seq_t s = compile_ok(phrases[i], &len);
                assert_int_equal(dm_lex_add_entry(&lx, DM_LK_ACTOR, s, phrases[i], 0, 0, len), i);
        }
        dm_lex_finish(&lx);
        assert_true(lx.finished);
        /* Entries whose first word could match; the unindexed group entry
         * is always a candidate. Stems longest first. */
        assert_string_equal(cands("UNITED"), "UNITED_STATES,{A|B} C");
        assert_string_equal(cands("STATES"), "{A|B} C");
        assert_string_equal(cands("PRESIDENTS"), "PRESIDENT_,PRESID,{A|B} C");
        assert_string_equal(cands("PRESIDENT"), "PRESIDENT_,PRESID,{A|B} C");
        assert_string_equal(cands("PRESIDENTIAL"), "PRESID,{A|B} C");
        assert_string_equal(cands("CLOSED"), "CLOSE_,{A|B} C");
        assert_string_equal(cands("MET"), "MET=,{A|B} C");
        assert_string_equal(cands("METS"), "{A|B} C");
        /* The prefilter keys of later words. */
        assert_int_equal(lx.entries[0].nkeys, 1);
        assert_int_equal(lx.entries[0].keys[0], dm_lex_key("STATES", 6));
        assert_int_equal(lx.entries[1].nkeys, 0);

        /* The cache answers like dm_lex_candidates, in the same order, the
         * first time and from memory after. */
        dm_lex_cache_init(&cache);
        for (k = 0; k < 2; k++) {
                for (i = 0; words[i]; i++) {
                        const uint32_t *ids;
                        size_t n, j;
                        char got[512] = "";
                        dm_lex_cached_candidates(&lx, &cache, words[i], strlen(words[i]), &ids, &n);
                        for (j = 0; j < n; j++)
                                collect(got, ids[j]);
                        assert_string_equal(got, cands(words[i]));
                }
        }
        /* Past half full it starts over and stays right. */
        for (i = 0; i < 40000; i++) {
                char w[16];
                const uint32_t *ids;
                size_t n;
                int len = snprintf(w, sizeof(w), "W%zu", i);
                dm_lex_cached_candidates(&lx, &cache, w, (size_t)len, &ids, &n);
                assert_int_equal(n, 1); /* the unindexed entry only */
        }
        {
                const uint32_t *ids;
                size_t n;
                dm_lex_cached_candidates(&lx, &cache, "PRESIDENTS", 10, &ids, &n);
                assert_int_equal(n, 3);
                assert_string_equal(dm_lex_s(&lx, lx.entries[ids[0]].phrase), "PRESIDENT_");
        }
        dm_lex_cache_free(&cache);
        dm_lex_cache_free(NULL); /* a no-op */
}

static void test_patterns_sorted(void **state)
{
        char dir[] = "/tmp/dm_test_lex_XXXXXX", path[256], err[256];
        dm_tabari_loader_t ld;
        FILE *fp;
        size_t i;
        (void)state;
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/t.verbs", dir);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs("ACCUSE [112]\n"
              "- * + [1121]\n"
              "- * + OF_ CORRUPTION [1122]\n"
              "- * + OF [1123]\n"
              "MEET [031]\n"
              "- * + IN_ SECRET [0311]\n"
              "ACCUSE [112]\n"
              "- * + OF_ WAR_ CRIMES [1124]\n",
              fp);
        fclose(fp);
        dm_lex_free(&lx);
        dm_lex_init(&lx);
        dm_tabari_loader_init(&ld, &lx);
        assert_int_equal(dm_tabari_verbs_load(&ld, path, err, sizeof(err)), 0);
        dm_tabari_loader_free(&ld);
        dm_lex_finish(&lx);
        unlink(path);
        rmdir(dir);
        /* By verb, then longest (in letters) first; the duplicate root's
         * pattern joins ACCUSE's. */
        {
                static const char *const want[] = {"1122", "1124", "1123", "1121", "0311"};
                assert_int_equal(lx.npats, 5);
                for (i = 0; i < 5; i++)
                        assert_string_equal(dm_lex_s(&lx, lx.pats[i].code), want[i]);
        }
        assert_int_equal(lx.verbs[0].pat_first, 0);
        assert_int_equal(lx.verbs[0].pat_count, 4);
        assert_int_equal(lx.verbs[1].pat_first, 4);
        assert_int_equal(lx.verbs[1].pat_count, 1);
        /* Prefilter keys: the words of two letters or more. */
        assert_int_equal(lx.pats[0].nkeys, 2);
        assert_int_equal(lx.pats[0].keys[0], dm_lex_key("OF", 2));
        assert_int_equal(lx.pats[0].keys[1], dm_lex_key("CORRUPTION", 10));
        assert_int_equal(lx.pat_key0[0], 0x10000u | dm_lex_key("OF", 2));
        assert_int_equal(lx.pats[3].nkeys, 0);
        assert_int_equal(lx.pat_key0[3], 0);
}

static void test_free_null(void **state)
{
        dm_lex_t empty;
        (void)state;
        dm_lex_free(NULL); /* a no-op */
        dm_lex_init(&empty);
        dm_lex_finish(&empty);
        assert_string_equal(dm_lex_s(&empty, dm_lex_str(&empty, "X", 1)), "X");
        {
                char out[64] = "";
                dm_lex_candidates(&empty, "X", 1, collect, out);
                assert_string_equal(out, "");
        }
        dm_lex_free(&empty);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
            cmocka_unit_test_setup_teardown(test_compile_words, setup, teardown),
            cmocka_unit_test_setup_teardown(test_compile_pattern_tokens, setup, teardown),
            cmocka_unit_test_setup_teardown(test_compile_groups, setup, teardown),
            cmocka_unit_test_setup_teardown(test_compile_errors, setup, teardown),
            cmocka_unit_test_setup_teardown(test_word_match, setup, teardown),
            cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
            cmocka_unit_test_setup_teardown(test_index_and_cache, setup, teardown),
            cmocka_unit_test_setup_teardown(test_patterns_sorted, setup, teardown),
            cmocka_unit_test(test_free_null),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
