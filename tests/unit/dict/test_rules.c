/* dm_rules: the annotator's rules files (*.rules): frames, domestic frames,
 * groups, named lists, continuation lines, code and agent sets, and the
 * file:line of each kind of error; the shipped files load. */
#include "dict/dm_rules.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dm_test_support.h"

#include "input/dm_text.h"

static char err[512];

/* Loads text as a rules file; returns the rules (NULL on an error, the
 * message in err with the temporary file's name replaced by "t.rules"). */
static dm_rules_t *load(const char *text)
{
        char path[] = "/tmp/dm_test_rules_XXXXXX";
        int fd = mkstemp(path), rc;
        dm_rules_t *r = dm_rules_new();
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        err[0] = '\0';
        rc = dm_rules_load(r, path, err, sizeof(err));
        unlink(path);
        if (!strncmp(err, path, strlen(path))) {
                size_t pl = strlen(path);
                memcpy(err, "t.rules", 7);
                memmove(err + 7, err + pl, strlen(err + pl) + 1);
        }
        if (rc) {
                dm_rules_destroy(r);
                return NULL;
        }
        return r;
}

static size_t match(const dm_phrase_list_t *l, const char *text, size_t at)
{
        static dm_tokens_t tk;
        static int init;
        size_t n;
        if (!init) {
                dm_tokens_init(&tk);
                init = 1;
        }
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        n = dm_phrase_list_match(l, &tk, at);
        return n;
}

static const char good[] = "# a comment line\n"
                           "@TALKS = TALKS|NEGOTIATIONS   # a trailing comment\n"
                           "  | PEACE   PROCESS\n"
                           "codes statements 01\n"
                           "codes state-acts 04 19\n"
                           "codes state-acts 20\n"
                           "agents private CVL REF\n"
                           "\n"
                           "frame halt-talks 164 subject\n"
                           "    triggers BROKE OFF|SUSPEND*\n"
                           "      | CALLED OFF\n"
                           "    gap 4\n"
                           "    nouns @TALKS|MEETINGS\n"
                           "    preps WITH|BETWEEN\n"
                           "frame criticise 111 object\n"
                           "    triggers CRITICISED\n"
                           "    deeds INVASION\n"
                           "    official\n"
                           "group CVL civil\n"
                           "    words PROTESTERS|TENS OF THOUSANDS\n"
                           "domestic arrest 173 verb\n"
                           "    by state\n"
                           "    triggers ARRESTED|CHARGED\n"
                           "    target object\n"
                           "    said CHARGE*\n"
                           "domestic protests-erupted 141 nominal\n"
                           "    by civil armed\n"
                           "    triggers ERUPTED\n"
                           "    nouns PROTESTS\n"
                           "    agent CVL\n"
                           "    need-target\n"
                           "    numbers\n";

static void test_good_file(void **state)
{
        dm_rules_t *r = load(good);
        const dm_frame_rule_t *f;
        const dm_dom_rule_t *d;
        const dm_dom_group_t *g;
        size_t n;
        (void)state;
        assert_non_null(r);
        assert_false(dm_rules_empty(r));
        f = dm_rules_frames(r, &n);
        assert_int_equal(n, 2);
        assert_string_equal(f[0].name, "halt-talks");
        assert_string_equal(f[0].code, "164");
        assert_int_equal(f[0].kind, DM_FRAME_SUBJECT);
        assert_int_equal(f[0].gap, 4);
        assert_int_equal(f[0].official, 0);
        assert_string_equal(dm_phrase_list_text(f[0].triggers), "BROKE OFF|SUSPEND*|CALLED OFF");
        /* The named list, spaces made single, and the row's own words. */
        assert_string_equal(dm_phrase_list_text(f[0].nouns),
                            "TALKS|NEGOTIATIONS|PEACE PROCESS|MEETINGS");
        assert_int_equal(match(f[0].nouns, "the peace process", 1), 2);
        assert_int_equal(match(f[0].triggers, "Peru suspended talks", 1), 1);
        assert_null(f[0].deeds);
        assert_int_equal(f[1].kind, DM_FRAME_OBJECT);
        assert_int_equal(f[1].official, 1);
        assert_null(f[1].nouns);
        assert_null(f[1].preps);
        assert_string_equal(dm_phrase_list_text(f[1].deeds), "INVASION");

        g = dm_rules_groups(r, &n);
        assert_int_equal(n, 1);
        assert_string_equal(g[0].agent, "CVL");
        assert_int_equal(g[0].cls, DM_DOM_C);
        assert_int_equal(match(g[0].words, "tens of thousands marched", 0), 3);

        d = dm_rules_domestic(r, &n);
        assert_int_equal(n, 2);
        assert_string_equal(d[0].name, "arrest");
        assert_int_equal(d[0].kind, DM_DOM_VERB);
        assert_int_equal(d[0].cls, DM_DOM_S);
        assert_int_equal(d[0].target, DM_DOM_T_OBJECT);
        assert_string_equal(d[0].agent, "");
        assert_null(d[0].nouns);
        assert_null(d[0].unless);
        assert_int_equal(match(d[0].said, "police charged that", 1), 1);
        assert_int_equal(d[1].kind, DM_DOM_NOMINAL);
        assert_int_equal(d[1].cls, DM_DOM_C | DM_DOM_V);
        assert_int_equal(d[1].target, DM_DOM_T_NONE);
        assert_string_equal(d[1].agent, "CVL");
        assert_int_equal(d[1].flags, DM_DOM_F_NEED_TARGET | DM_DOM_F_NUMBERS);

        assert_true(dm_rules_code_in(r, DM_CODES_STATEMENTS, "010"));
        assert_true(dm_rules_code_in(r, DM_CODES_STATEMENTS, "0111"));
        assert_false(dm_rules_code_in(r, DM_CODES_STATEMENTS, "020"));
        assert_true(dm_rules_code_in(r, DM_CODES_STATE_ACTS, "195"));
        assert_true(dm_rules_code_in(r, DM_CODES_STATE_ACTS, "2041"));
        assert_false(dm_rules_code_in(r, DM_CODES_STATE_ACTS, "050"));
        assert_false(dm_rules_code_in(r, DM_CODES_VIOLENCE, "190"));
        assert_string_equal(dm_rules_agents(r, DM_AGENTS_PRIVATE)[1], "REF");
        assert_null(dm_rules_agents(r, DM_AGENTS_PRIVATE)[2]);
        assert_null(dm_rules_agents(r, DM_AGENTS_ARMED)[0]);
        dm_rules_destroy(r);
        dm_rules_destroy(NULL);
}

/* Each kind of error names the file and the line it is on. */
static void test_errors(void **state)
{
        static const struct {
                const char *text, *msg;
        } cases[] = {
            {"# x\nbogus 1 2\n", "t.rules:2: unknown statement \"bogus\""},
            {"frame a 040 sideways\n", "t.rules:1: unknown frame kind \"sideways\""},
            {"frame a 4x0 object\n", "t.rules:1: bad CAMEO code \"4x0\""},
            {"frame a 040\n", "t.rules:1: expected: frame NAME CODE KIND"},
            {"domestic a 040 verb\n  by state\n  triggers A\n  target sideways\n",
             "t.rules:4: target: expected none, object, against or prep"},
            {"domestic a 040 verb\n  by nobody\n", "t.rules:2: unknown class \"nobody\""},
            {"group CV civil\n", "t.rules:1: bad agent code \"CV\""},
            {"  triggers A\n", "t.rules:1: field \"triggers\" outside a frame, domestic or group"},
            {"frame a 040 object\n  triggers A\n  colour red\n",
             "t.rules:3: unknown field \"colour\" here"},
            {"frame a 040 object\n  words A\n", "t.rules:2: field \"words\" not allowed here"},
            {"frame a 040 object\n  triggers A\n  triggers B\n",
             "t.rules:3: field \"triggers\" given twice"},
            {"frame a 040 object\n  triggers A\n  gap many\n",
             "t.rules:3: gap: expected a number 0-64"},
            {"frame a 040 object\n  triggers A|@NONE\n", "t.rules:2: unknown list @NONE"},
            {"frame a 040 object\n  triggers A||B\n", "t.rules:2: empty phrase in list"},
            {"frame a 040 object\n  triggers A|lower\n", "t.rules:2: bad word \"lower\""},
            {"frame a 040 object\n  triggers A B C D E F G H I\n",
             "t.rules:2: phrase \"A B C D E F G H I\" has more than 8 words"},
            {"| A\n", "t.rules:1: a '|' line continues no list before it"},
            {"@X = A\n@X = B\n", "t.rules:2: list @X given twice"},
            {"@x = A\n", "t.rules:1: bad list name \"@x\""},
            {"\n\nframe a 040 object\n  gap 2\n", "t.rules:3: frame a has no triggers"},
            {"frame a 163 nominal\n  preps ON\n", "t.rules:1: frame a has no nouns"},
            {"domestic a 040 verb\n  triggers A\n", "t.rules:1: domestic frame a says not who"},
            {"group CVL civil\nframe a 040 object\n  triggers A\n",
             "t.rules:1: group CVL has no words"},
            {"frame a 040 object\n  triggers A\nframe a 041 object\n  triggers B\n",
             "t.rules:3: frame a given twice"},
            {"codes statements 1x\n", "t.rules:1: bad CAMEO code prefix \"1x\""},
            {"codes nothing 01\n", "t.rules:1: unknown codes set"},
            {"agents private cvl\n", "t.rules:1: bad agent code \"cvl\""},
            {"domestic a 040 verb\n  by state\n  triggers A\n  agent POLICE\n",
             "t.rules:4: agent: expected a three-letter agent code"},
        };
        size_t k;
        (void)state;
        for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
                dm_rules_t *r = load(cases[k].text);
                if (r || strncmp(err, cases[k].msg, strlen(cases[k].msg)))
                        fail_msg("case %zu: got \"%s\", want \"%s...\"", k, r ? "(loaded)" : err,
                                 cases[k].msg);
        }
}

static void test_missing_file(void **state)
{
        dm_rules_t *r = dm_rules_new();
        (void)state;
        assert_int_equal(dm_rules_load(r, "/nonexistent/x.rules", err, sizeof(err)), -1);
        assert_non_null(strstr(err, "/nonexistent/x.rules"));
        assert_true(dm_rules_empty(r));
        dm_rules_destroy(r);
}

/* The shipped files load, with the rows the annotator relies on. */
/* The index of the domestic frames by the first word they can start at:
 * the nominal frame by its nouns, the verb frame by its triggers (a stem
 * too), nothing for a word neither starts with. */
static int candidate(const dm_rules_t *r, const char *word, size_t row)
{
        size_t nw;
        const uint64_t *c = dm_rules_domestic_candidates(r, word, &nw);
        assert_true(row / 64 < nw);
        return (int)(c[row / 64] >> (row % 64) & 1u);
}

static void test_domestic_index(void **state)
{
        dm_rules_t *r = load(good);
        (void)state;
        assert_true(candidate(r, "ARRESTED", 0));
        assert_true(candidate(r, "CHARGED", 0));
        assert_false(candidate(r, "PROTESTS", 0));
        assert_true(candidate(r, "PROTESTS", 1));
        assert_false(candidate(r, "ERUPTED", 1));
        assert_false(candidate(r, "TALKS", 0) || candidate(r, "TALKS", 1));
        dm_rules_destroy(r);
}

static void test_shipped(void **state)
{
        dm_rules_t *r = dm_test_rules();
        size_t nf, nd, ng;
        (void)state;
        assert_non_null(r);
        dm_rules_frames(r, &nf);
        dm_rules_domestic(r, &nd);
        dm_rules_groups(r, &ng);
        assert_true(nf >= 40);
        assert_true(nd >= 60);
        assert_true(ng >= 10);
        assert_true(dm_rules_code_in(r, DM_CODES_STATEMENTS, "010"));
        assert_non_null(dm_rules_agents(r, DM_AGENTS_STATE)[0]);
        dm_rules_destroy(r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_good_file),    cmocka_unit_test(test_errors),
            cmocka_unit_test(test_missing_file), cmocka_unit_test(test_domestic_index),
            cmocka_unit_test(test_shipped),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
