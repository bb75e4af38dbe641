/* Event flags (dm_flags): negated, hypothetical and historical, the clause
 * bounds they look within, and a sentence's time facts (set in the past,
 * dated). Sentences are tokenised with dm_tokenize; the trigger is found by
 * its word. Article date: 2023-04-01 10:00 UTC unless said otherwise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coding/dm_flags.h"
#include "input/dm_text.h"

#define APR_1_2023  1680343200000LL
#define MAR_20_2023 1679306400000LL

static dm_tokens_t tk;

static int setup(void **state)
{
        (void)state;
        dm_tokens_init(&tk);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_tokens_free(&tk);
        return 0;
}

/* Tokenises text and returns the index of the n-th (1-based) token w. */
static size_t tok_nth(const char *text, const char *w, int n)
{
        size_t i;
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        for (i = 0; i < tk.count; i++)
                if (!strcmp(tk.toks[i].word, w) && --n == 0)
                        return i;
        fail_msg("no token %s in \"%s\"", w, text);
        return 0;
}

/* The flags of the event whose trigger is word w, as "NHP" letters: N
 * negated, H hypothetical, P historical (past); "-" none. */
static const char *flags_at(const char *text, const char *w, int64_t ms, int past)
{
        static char out[4];
        size_t t = tok_nth(text, w, 1), k = 0;
        int neg = -1, hyp = -1, hist = -1;
        dm_flags_event(&tk, t, ms, past, &neg, &hyp, &hist);
        assert_true(neg == 0 || neg == 1);
        assert_true(hyp == 0 || hyp == 1);
        assert_true(hist == 0 || hist == 1);
        if (neg)
                out[k++] = 'N';
        if (hyp)
                out[k++] = 'H';
        if (hist)
                out[k++] = 'P';
        if (!k)
                out[k++] = '-';
        out[k] = '\0';
        return out;
}

static void test_plain_event(void **state)
{
        (void)state;
        assert_string_equal(flags_at("Chile signed a treaty with Peru.", "SIGNED", APR_1_2023, 0),
                            "-");
}

static void test_negated(void **state)
{
        (void)state;
        assert_string_equal(flags_at("Chile did not sign the treaty.", "SIGN", APR_1_2023, 0), "N");
        assert_string_equal(flags_at("Chile never signed it.", "SIGNED", APR_1_2023, 0), "N");
        assert_string_equal(flags_at("Chile didn't sign it.", "SIGN", APR_1_2023, 0), "N");
        assert_string_equal(flags_at("Chile refused to sign it.", "SIGN", APR_1_2023, 0), "NH");
        /* More than three tokens before the trigger: no longer its negation. */
        assert_string_equal(
            flags_at("Peru did not say that Chile signed it.", "SIGNED", APR_1_2023, 0), "-");
        /* Not across a clause boundary. */
        assert_string_equal(flags_at("No; Chile signed it.", "SIGNED", APR_1_2023, 0), "-");
}

static void test_hypothetical(void **state)
{
        (void)state;
        assert_string_equal(flags_at("Chile would sign the treaty.", "SIGN", APR_1_2023, 0), "H");
        assert_string_equal(flags_at("If Chile signs the treaty.", "SIGNS", APR_1_2023, 0), "H");
        assert_string_equal(flags_at("Chile threatened to expel envoys.", "EXPEL", APR_1_2023, 0),
                            "H");
        assert_string_equal(flags_at("Chile will sign.", "SIGN", APR_1_2023, 0), "H");
        /* An infinitive states an aim. */
        assert_string_equal(flags_at("They are expected to hold talks.", "HOLD", APR_1_2023, 0),
                            "H");
        /* The search stops at the nearest comma back: the "would" of a
         * relative clause is not the main verb's. */
        assert_string_equal(flags_at("Chile, which would later object, signed the treaty.",
                                     "SIGNED", APR_1_2023, 0),
                            "-");
        /* And looks back at most five words. */
        assert_string_equal(
            flags_at("If the long and bitter dispute ends Chile signed.", "SIGNED", APR_1_2023, 0),
            "-");
}

static void test_historical(void **state)
{
        (void)state;
        assert_string_equal(flags_at("In 1998 Chile signed a treaty.", "SIGNED", APR_1_2023, 0),
                            "P");
        assert_string_equal(flags_at("Chile signed a treaty in 2019.", "SIGNED", APR_1_2023, 0),
                            "P");
        assert_string_equal(
            flags_at("Chile signed a treaty between 1904 and 1929.", "SIGNED", APR_1_2023, 0), "P");
        assert_string_equal(flags_at("Chile signed it last year.", "SIGNED", APR_1_2023, 0), "P");
        assert_string_equal(flags_at("Chile signed it two years ago.", "SIGNED", APR_1_2023, 0),
                            "P");
        assert_string_equal(flags_at("Chile signed it last June.", "SIGNED", APR_1_2023, 0), "P");
        assert_string_equal(flags_at("Chile has previously vetoed it.", "VETOED", APR_1_2023, 0),
                            "P");
        /* The article's own year, "since" and a future year are no past. */
        assert_string_equal(flags_at("In 2023 Chile signed a treaty.", "SIGNED", APR_1_2023, 0),
                            "-");
        assert_string_equal(
            flags_at("Chile has signed such treaties since 1998.", "SIGNED", APR_1_2023, 0), "-");
        assert_string_equal(flags_at("Chile signed a pact until 2030.", "SIGNED", APR_1_2023, 0),
                            "-");
        /* The whole sentence set in the past (dm_flags_sentence). */
        assert_string_equal(flags_at("Chile signed a treaty.", "SIGNED", APR_1_2023, 1), "P");
        /* Unknown article date: nothing is historical. */
        assert_string_equal(flags_at("In 1998 Chile signed a treaty.", "SIGNED", -1, 1), "-");
        assert_string_equal(flags_at("Chile would sign in 1998.", "SIGN", -1, 0), "H");
}

static void test_on_date_of_article_year(void **state)
{
        (void)state;
        /* More than two days before the article's date: past. */
        assert_string_equal(flags_at("On March 10 Chile signed.", "SIGNED", MAR_20_2023, 0), "P");
        assert_string_equal(flags_at("On February 25 Chile signed.", "SIGNED", MAR_20_2023, 0),
                            "P");
        /* Within two days, or after: the article's news. */
        assert_string_equal(flags_at("On March 19 Chile signed.", "SIGNED", MAR_20_2023, 0), "-");
        assert_string_equal(flags_at("On March 18 Chile signed.", "SIGNED", MAR_20_2023, 0), "-");
        assert_string_equal(flags_at("On March 17 Chile signed.", "SIGNED", MAR_20_2023, 0), "P");
        assert_string_equal(flags_at("On May 2 Chile will sign.", "SIGN", MAR_20_2023, 0), "H");
        /* A year given with the date: "on March 25, 2019". */
        assert_string_equal(flags_at("On March 25, 2019 Chile signed.", "SIGNED", MAR_20_2023, 0),
                            "P");
}

static void test_clause_bounds(void **state)
{
        size_t from, to, t;
        (void)state;
        /* "..., and ...": each conjunct is its own clause. */
        t = tok_nth("In 1998 Chile signed a treaty, and Peru signed one.", "SIGNED", 2);
        dm_flags_clause(&tk, t, &from, &to);
        assert_string_equal(tk.toks[from].word, "AND");
        assert_int_equal(to, tk.count);
        t = tok_nth("In 1998 Chile signed a treaty, and Peru signed one.", "SIGNED", 1);
        dm_flags_clause(&tk, t, &from, &to);
        assert_int_equal(from, 0);
        assert_string_equal(tk.toks[to].word, ",");
        assert_string_equal(tk.toks[to + 1].word, "AND");
        /* So the year flags the first event only. */
        assert_string_equal(flags_at("In 1998 Chile signed a treaty, and Peru signed one.",
                                     "TREATY", APR_1_2023, 0),
                            "P");
        {
                int neg, hyp, hist;
                t = tok_nth("In 1998 Chile signed a treaty, and Peru signed one.", "SIGNED", 2);
                dm_flags_event(&tk, t, APR_1_2023, 0, &neg, &hyp, &hist);
                assert_int_equal(hist, 0);
        }
        /* A semicolon bounds both ways; a plain comma does not. */
        t = tok_nth("Peru objected; Chile, angry, signed; Bolivia left", "SIGNED", 1);
        dm_flags_clause(&tk, t, &from, &to);
        assert_string_equal(tk.toks[from].word, "CHILE");
        assert_string_equal(tk.toks[to].word, ";");
        assert_string_equal(tk.toks[to + 1].word, "BOLIVIA");
        /* No boundary: the whole sentence. */
        t = tok_nth("Chile signed", "SIGNED", 1);
        dm_flags_clause(&tk, t, &from, &to);
        assert_int_equal(from, 0);
        assert_int_equal(to, 2);
}

static void test_trigger_out_of_range(void **state)
{
        int neg = 7, hyp = 7, hist = 7;
        (void)state;
        tok_nth("Chile would not sign in 1998.", "SIGN", 1);
        dm_flags_event(&tk, tk.count, APR_1_2023, 1, &neg, &hyp, &hist);
        assert_int_equal(neg, 0);
        assert_int_equal(hyp, 0);
        assert_int_equal(hist, 0);
}

static void sentence(const char *text, int64_t ms, int *past, int *dated)
{
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        *past = *dated = -1;
        dm_flags_sentence(&tk, ms, past, dated);
}

static void test_sentence_time_facts(void **state)
{
        int past, dated;
        (void)state;
        sentence("He returned to the UK in November 2015.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 1);
        assert_int_equal(dated, 1);
        /* "of" counts for a whole sentence. */
        sentence("It recalled the massacre of 1982.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 1);
        /* A time of the article's own: not past, and dated. */
        sentence("In 1998 they met, and on Monday they met again.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 1);
        sentence("This week Chile signed what Peru signed in 1998.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 1);
        /* No time at all. */
        sentence("Upon landing, he was arrested.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 0);
        /* A month alone dates a sentence without making it past. */
        sentence("The talks resume in June.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 1);
        /* Unknown article date: never past, dated by a year or month. */
        sentence("In 1998 Chile signed.", -1, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 1);
        sentence("Chile signed.", -1, &past, &dated);
        assert_int_equal(dated, 0);
        /* Empty sentence. */
        sentence("", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
        assert_int_equal(dated, 0);
}

/* A month is a month's name or abbreviation, not a word that begins like
 * one; "may" and "march" only beside a number or a word of time. A sentence
 * in the present, perfect or future tells its own time. */
static void test_sentence_dating_words(void **state)
{
        static const struct {
                const char *text;
                int dated;
        } cases[] = {
            {"Police then declared him wanted.", 0},
            {"Protesters marched to the mayor's office.", 0},
            {"Troops may march on the capital.", 0},
            {"The talks resume in May.", 1},
            {"They met on March 3.", 1},
            {"They met in Sept. and Dec.", 1},
            {"The war has led to clashes between Iran and Israel.", 1},
            {"Police arrested him at the airport.", 0},
            /* A report ("X said", "says", "told") is told from the time of
             * writing, whatever time the sentence before was set in. */
            {"But the home secretary said Mr Howard was wrong.", 1},
            {"He told reporters the law was biased.", 1},
        };
        int past, dated;
        size_t i;
        (void)state;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                sentence(cases[i].text, APR_1_2023, &past, &dated);
                if (dated != cases[i].dated)
                        fail_msg("\"%s\": dated %d, want %d", cases[i].text, dated, cases[i].dated);
        }
        /* The perfect is not past either. */
        sentence("The war has led to clashes between Iran and Israel.", APR_1_2023, &past, &dated);
        assert_int_equal(past, 0);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_plain_event),
            cmocka_unit_test(test_negated),
            cmocka_unit_test(test_hypothetical),
            cmocka_unit_test(test_historical),
            cmocka_unit_test(test_on_date_of_article_year),
            cmocka_unit_test(test_clause_bounds),
            cmocka_unit_test(test_trigger_out_of_range),
            cmocka_unit_test(test_sentence_time_facts),
            cmocka_unit_test(test_sentence_dating_words),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
