/* TABARI-style sentence analysis (dm_sent, manual chapter 7) on a small
 * dictionary written to a temp dir: tokenisation, word types, actor units
 * with agents and dated codes, parsed compounds, pronoun coreference (and
 * forwarding), comma-clause elimination, clauses, truncation, issues, and
 * scratch reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coding/dm_sent.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_options.h"
#include "dict/dm_lex.h"
#include "dm_test_support.h"

static char dm_test_dir[] = "/tmp/dm_test_sent_XXXXXX";
static dm_dict_t *dict;
static const dm_lex_t *lex;
static dm_options_t opts;
static dm_sent_t s;

static int setup(void **state)
{
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        if (dm_test_mkdtemp(dm_test_dir) != 0)
                return -1;
        dict = dm_test_tabari_dict(dm_test_dir,
                                   "<ADJECTIVE>\nEVIL\n</ADJECTIVE>\n<NOUN>\nSHEEP\n</NOUN>\n"
                                   "ARNOR [ARN]\nGONDOR [GON]\nMORDOR [ORC]\n"
                                   "MINAS_TIRITH [GONCAP]\n"
                                   "GOLLUM [HOB <950601] [HOBGOV]\n~~FINISH\n",
                                   "PRESIDENT_ [~GOVPRS]\nSOLDIERS_ [~MIL]\n",
                                   "ACCUSE [112]\nATTACK [190]\nMEET [031]\n~~FINISH\n",
                                   "<ISSUE CATEGORY=\"1\">\nRING_ [MAGIC]\n</ISSUE>\n");
        if (!dict)
                return -1;
        lex = dm_dict_lex(dict);
        opts = *dm_dict_options(dict);
        dm_sent_init(&s);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_sent_free(&s);
        dm_dict_destroy(dict);
        return dm_test_rmdir(dm_test_dir);
}

static void analyse(const char *text, long date)
{
        dm_sent_analyse(&s, lex, &opts, text, 0, (uint32_t)strlen(text), date);
}

/* The tokens' words, ' ' separated. */
static const char *words(void)
{
        static char out[2048];
        size_t i;
        out[0] = '\0';
        for (i = 0; i < s.ntoks; i++) {
                if (i)
                        strcat(out, " ");
                strcat(out, dm_sent_word(&s, i));
        }
        return out;
}

static size_t tok(const char *w)
{
        size_t i;
        for (i = 0; i < s.ntoks; i++)
                if (!strcmp(dm_sent_word(&s, i), w))
                        return i;
        fail_msg("no token %s in \"%s\"", w, words());
        return 0;
}

/* The codes of the unit starting at token w, ' ' separated. */
static const char *unit_codes(const char *w)
{
        static char out[256];
        size_t t = tok(w);
        const dm_unit_t *u;
        uint32_t k;
        out[0] = '\0';
        if (s.toks[t].unit < 0)
                return "(no unit)";
        u = &s.units[s.toks[t].unit];
        for (k = 0; k < u->ncodes; k++) {
                if (k)
                        strcat(out, " ");
                strcat(out, dm_sent_code(&s, u->code_first + k));
        }
        return out;
}

static void test_tokenize(void **state)
{
        const char *t = "The U.N. envoy, Mr. Smith; met 1,000 people in 2019.";
        (void)state;
        analyse(t, 0);
        /* Upper case; abbreviations keep their periods; a period after a
         * lower-case letter goes; semicolons are commas; commas inside
         * numbers go. */
        assert_string_equal(words(), "THE U.N. ENVOY , MR SMITH , MET 1000 PEOPLE IN 2019");
        assert_int_equal(s.toks[1].start, 4);
        assert_int_equal(s.toks[1].end, 8);
        assert_memory_equal(t + s.toks[tok("SMITH")].start, "Smith", 5);
        /* Capitalisation is recorded in mixed-case text only. */
        assert_int_equal(s.toks[0].cap, 1);
        assert_int_equal(s.toks[tok("ENVOY")].cap, 0);
        assert_int_equal(s.truncated, 0);
        analyse("ARNOR MET GONDOR", 0);
        assert_int_equal(s.toks[0].cap, 0);
        /* Nor in a headline, where every word of four letters or more is
         * capitalised. */
        analyse("Arnor Makes Concessions to Gondor on Trade", 0);
        assert_int_equal(s.toks[1].cap, 0);
        analyse("Arnor Makes concessions to Gondor on Trade", 0);
        assert_int_equal(s.toks[1].cap, 1);
        analyse("Arnor Warns Gondor of Retaliation after Envoys Expelled", 0);
        assert_int_equal(s.toks[1].cap, 0);
        /* Quotes and other punctuation are dropped. */
        analyse("\"Arnor\" (again) met... Gondor!", 0);
        assert_string_equal(words(), "ARNOR AGAIN MET GONDOR");
        /* Empty input. */
        analyse("", 0);
        assert_int_equal(s.ntoks, 0);
        assert_int_equal(s.nunits, 0);
}

static void test_word_types_and_units(void **state)
{
        (void)state;
        analyse("Arnor accused the evil sheep of Gondor.", 0);
        assert_int_equal(s.toks[tok("ARNOR")].type, DM_T_ACTOR);
        assert_int_equal(s.toks[tok("ACCUSED")].type, DM_T_VERB);
        assert_int_equal(s.toks[tok("THE")].type, DM_T_DETERM);
        assert_int_equal(s.toks[tok("EVIL")].type, DM_T_ADJ);
        assert_int_equal(s.toks[tok("SHEEP")].type, DM_T_NOUN);
        assert_string_equal(unit_codes("ARNOR"), "ARN");
        assert_string_equal(unit_codes("GONDOR"), "GON");
        assert_int_equal(s.nverbs, 1);
        /* A multi-word actor: one unit over its tokens. */
        analyse("Minas Tirith met Arnor.", 0);
        assert_string_equal(unit_codes("MINAS"), "GONCAP");
        assert_int_equal(s.units[s.toks[0].unit].last, 1);
        assert_int_equal(s.toks[0].span_last, 1);
        assert_int_equal(s.toks[1].type, DM_T_LITR);
}

static void test_agents_and_dates(void **state)
{
        (void)state;
        /* An agent attaches to its actor's code. */
        analyse("The president of Arnor met Gondor.", 0);
        assert_string_equal(unit_codes("PRESIDENT"), "ARNGOVPRS");
        analyse("Mordor soldiers attacked Gondor.", 0);
        assert_string_equal(unit_codes("MORDOR"), "ORCMIL");
        /* Dated codes by the sentence's date. */
        analyse("Gollum accused Gondor.", 19940101);
        assert_string_equal(unit_codes("GOLLUM"), "HOB");
        analyse("Gollum accused Gondor.", 20000101);
        assert_string_equal(unit_codes("GOLLUM"), "HOBGOV");
}

static void test_compounds(void **state)
{
        const dm_unit_t *u;
        (void)state;
        analyse("Arnor, Gondor and Mordor accused Gollum.", 20000101);
        u = &s.units[s.toks[0].unit];
        assert_true(u->compound);
        assert_true(u->parsed);
        assert_int_equal(u->first, 0);
        assert_int_equal(u->last, (int32_t)tok("MORDOR"));
        assert_string_equal(unit_codes("ARNOR"), "ARN GON ORC");
        assert_true(s.toks[1].in_compound); /* the comma */
        assert_true(s.toks[tok("AND")].in_compound);
        /* Its conjunction starts no clause. */
        assert_int_equal(s.nclauses, 1);
        assert_int_equal(s.nconj, 0);
        /* A list without "and" is no compound. */
        analyse("Arnor, Gondor accused Mordor.", 0);
        assert_false(s.units[s.toks[0].unit].compound);
}

static void test_pronouns(void **state)
{
        size_t it;
        const dm_unit_t *u;
        (void)state;
        analyse("Arnor said it would attack Mordor.", 0);
        it = tok("IT");
        assert_int_equal(s.toks[it].type, DM_T_PRONOUN);
        assert_true(s.toks[it].unit >= 0);
        u = &s.units[s.toks[it].unit];
        assert_true(u->pronoun);
        assert_int_equal(u->ref, s.toks[0].unit);
        assert_string_equal(unit_codes("IT"), "ARN");
        /* "They" prefers a compound. */
        analyse("Gollum met Arnor and Gondor before they attacked Mordor.", 20000101);
        assert_string_equal(unit_codes("THEY"), "ARN GON");
        /* A singular pronoun takes the first member of a compound. */
        analyse("Arnor and Gondor said it would attack Mordor.", 0);
        assert_string_equal(unit_codes("IT"), "ARN");
        /* No referent: none, unless forwarding is on and the previous
         * sentence's actor is given. */
        analyse("He attacked Mordor.", 0);
        assert_true(s.toks[0].unit < 0);
        opts.forward = 1;
        snprintf(s.fwd_code, sizeof(s.fwd_code), "GON");
        analyse("He attacked Mordor.", 0);
        assert_string_equal(unit_codes("HE"), "GON");
        opts.forward = 0;
        s.fwd_code[0] = '\0';
}

static void test_comma_clauses(void **state)
{
        size_t i;
        (void)state;
        /* A middle clause of 3..10 words is eliminated, with its commas
         * but the last (defaults: MIN 2, MAX 10). */
        analyse("Arnor, which has long hated Mordor, accused Gondor.", 0);
        assert_int_equal(s.ncomma_clauses, 1);
        for (i = tok("WHICH"); i <= tok("MORDOR"); i++)
                assert_true(s.toks[i].removed);
        assert_false(s.toks[tok("ARNOR")].removed);
        assert_false(s.toks[tok("ACCUSED")].removed);
        assert_false(s.toks[tok("GONDOR")].removed);
        /* Two words are too few. */
        analyse("Arnor, sadly enough, accused Gondor.", 0);
        assert_int_equal(s.ncomma_clauses, 0);
        /* The first comma phrase is never removed by default (BMIN 128);
         * the last one, of 3..10 words, is (EMIN 2, EMAX 10). */
        analyse("After a very long and tiring night, Arnor accused Gondor.", 0);
        assert_int_equal(s.ncomma_clauses, 1);
        assert_false(s.toks[tok("AFTER")].removed);
        assert_false(s.toks[tok("NIGHT")].removed);
        assert_true(s.toks[tok("ARNOR")].removed);
        analyse("Arnor accused Gondor, the old enemy of the north.", 0);
        assert_int_equal(s.ncomma_clauses, 1);
        assert_true(s.toks[tok("NORTH")].removed);
        assert_false(s.toks[tok("GONDOR")].removed);
        /* COMMA: OFF. */
        opts.comma_off = 1;
        analyse("Arnor, which has long hated Mordor, accused Gondor.", 0);
        assert_int_equal(s.ncomma_clauses, 0);
        opts.comma_off = 0;
        /* A pronoun never refers into an eliminated clause. */
        analyse("Gollum, who loves Arnor so dearly, said it accused Gondor.", 20000101);
        assert_string_equal(unit_codes("IT"), "HOBGOV");
}

static void test_clauses(void **state)
{
        (void)state;
        analyse("Arnor attacked Gondor but Mordor accused Arnor.", 0);
        assert_int_equal(s.nconj, 1);
        assert_int_equal(s.nclauses, 2);
        assert_int_equal(s.clause_start[0], 0);
        assert_int_equal(s.clause_start[1], (int32_t)tok("MORDOR"));
        assert_int_equal(s.toks[tok("GONDOR")].clause, 0);
        assert_int_equal(s.toks[tok("MORDOR")].clause, 1);
        assert_int_equal(s.nverbs, 2);
}

static void test_truncation(void **state)
{
        char text[4096];
        size_t i, n = 0;
        (void)state;
        for (i = 0; i < 200; i++)
                n += (size_t)snprintf(text + n, sizeof(text) - n, "w%zu ", i);
        analyse(text, 0);
        assert_int_equal(s.ntoks, 127);
        assert_int_equal(s.truncated, 1);
        /* A word longer than 63 letters is cut into tokens of 63. */
        memset(text, 'A', 100);
        text[100] = '\0';
        analyse(text, 0);
        assert_int_equal(s.ntoks, 2);
        assert_int_equal(s.toks[0].wlen, 63);
        assert_int_equal(s.toks[1].wlen, 37);
        assert_int_equal(s.truncated, 0);
        /* Reuse after a long sentence leaves nothing behind. */
        analyse("Arnor met Gondor.", 0);
        assert_int_equal(s.ntoks, 3);
        assert_int_equal(s.truncated, 0);
        assert_string_equal(words(), "ARNOR MET GONDOR");
}

static void test_issues_and_keys(void **state)
{
        (void)state;
        analyse("Arnor accused Gondor of hiding the rings.", 0);
        assert_int_equal(s.nissues, 1);
        assert_string_equal(dm_lex_s(lex, lex->entries[s.issues[0]].payload), "MAGIC");
        /* The word-prefix set holds the sentence's words, and only them. */
        assert_true(dm_sent_has_key(&s, dm_lex_key("GONDOR", 6)));
        assert_true(dm_sent_has_key(&s, dm_lex_key("GO", 2)));
        analyse("Mordor met Arnor.", 0);
        assert_int_equal(s.nissues, 0);
        assert_true(dm_sent_has_key(&s, dm_lex_key("MORDOR", 6)));
        {
                /* GONDOR's key is gone unless one of the new words shares it. */
                uint16_t g = dm_lex_key("GONDOR", 6);
                if (g != dm_lex_key("MORDOR", 6) && g != dm_lex_key("MO", 2) &&
                    g != dm_lex_key("MET", 3) && g != dm_lex_key("ME", 2) &&
                    g != dm_lex_key("ARNOR", 5) && g != dm_lex_key("AR", 2))
                        assert_false(dm_sent_has_key(&s, g));
        }
}

static void test_match_phrase(void **state)
{
        size_t e;
        int32_t pos[4] = {-1, -1, -1, -1};
        const dm_lex_entry_t *mt = NULL;
        (void)state;
        for (e = 0; e < lex->nentries; e++)
                if (!strcmp(dm_lex_s(lex, lex->entries[e].phrase), "MINAS_TIRITH"))
                        mt = &lex->entries[e];
        assert_non_null(mt);
        analyse("Arnor met Minas Tirith.", 0);
        assert_int_equal(dm_sent_match_phrase(&s, &mt->seq, tok("MINAS"), pos), 3);
        assert_int_equal(pos[0], 2);
        assert_int_equal(pos[1], 3);
        assert_int_equal(dm_sent_match_phrase(&s, &mt->seq, 0, NULL), -1);
        /* '_' needs the words adjacent. */
        analyse("Minas of Tirith.", 0);
        assert_int_equal(dm_sent_match_phrase(&s, &mt->seq, 0, NULL), -1);
}

static void test_free_null(void **state)
{
        dm_sent_t t;
        (void)state;
        dm_sent_free(NULL); /* a no-op */
        dm_sent_init(&t);
        dm_sent_analyse(&t, lex, &opts, "Arnor met Gondor.", 0, 17, 0);
        assert_int_equal(t.ntoks, 3);
        dm_sent_free(&t);
        assert_null(t.toks);
        assert_int_equal(t.ntoks, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_tokenize),         cmocka_unit_test(test_word_types_and_units),
            cmocka_unit_test(test_agents_and_dates), cmocka_unit_test(test_compounds),
            cmocka_unit_test(test_pronouns),         cmocka_unit_test(test_comma_clauses),
            cmocka_unit_test(test_clauses),          cmocka_unit_test(test_truncation),
            cmocka_unit_test(test_issues_and_keys),  cmocka_unit_test(test_match_phrase),
            cmocka_unit_test(test_free_null),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
