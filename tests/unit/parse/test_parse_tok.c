/* The token mapping: project tokens keep clitics whole ("Syria's",
 * "can't"); UD splits them. Each piece maps back to its token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "input/dm_text.h"
#include "demarche/dm_parse_tok.h"

static void expect_split(const char *tok, const char *a, const char *b)
{
        size_t off[DM_PARSE_TOK_MAXPIECES], len[DM_PARSE_TOK_MAXPIECES];
        size_t n = dm_parse_tok_split(tok, strlen(tok), off, len);
        assert_int_equal(n, b ? 2 : 1);
        assert_int_equal(len[0], strlen(a));
        assert_memory_equal(tok + off[0], a, len[0]);
        if (b) {
                assert_int_equal(len[1], strlen(b));
                assert_memory_equal(tok + off[1], b, len[1]);
        }
}

static void test_clitics(void **state)
{
        (void)state;
        expect_split("Syria's", "Syria", "'s");
        expect_split("can't", "ca", "n't");
        expect_split("won't", "wo", "n't");
        expect_split("didn't", "did", "n't");
        expect_split("DON'T", "DO", "N'T");
        expect_split("they're", "they", "'re");
        expect_split("we'll", "we", "'ll");
        expect_split("I've", "I", "'ve");
        expect_split("he'd", "he", "'d");
        expect_split("I'm", "I", "'m");
        expect_split("ministers'", "ministers", "'");
        expect_split("Syria\xe2\x80\x99s", "Syria", "\xe2\x80\x99s");
        expect_split("cannot", "can", "not");
        expect_split("O'Brien", "O'Brien", NULL);
        expect_split("Russia", "Russia", NULL);
}

/* The project's tokeniser keeps "Syria's" and "can't" whole; the mapping
 * splits them and points the pieces back. */
static void test_project_tokens(void **state)
{
        const char *text = "Syria's envoy can't attend, officials said.";
        dm_tokens_t tk;
        dm_parse_map_t m;
        const char *toks[32];
        size_t lens[32], i;
        (void)state;
        dm_tokens_init(&tk);
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        assert_true(tk.count < 32);
        for (i = 0; i < tk.count; i++) {
                toks[i] = text + tk.toks[i].span.start;
                lens[i] = tk.toks[i].span.end - tk.toks[i].span.start;
        }
        assert_int_equal(lens[0], 7); /* "Syria's" is one project token */
        dm_parse_map_init(&m);
        dm_parse_map_tokens(&m, toks, lens, tk.count);
        assert_int_equal(m.nforms, tk.count + 2);
        assert_string_equal(m.forms[0], "Syria");
        assert_string_equal(m.forms[1], "'s");
        assert_string_equal(m.forms[3], "ca");
        assert_string_equal(m.forms[4], "n't");
        assert_int_equal(m.src[1], 0);
        assert_int_equal(m.src[4], 2);
        assert_int_equal(m.first[2], 3);
        assert_int_equal(m.npcs[2], 2);
        dm_parse_map_free(&m);
        dm_tokens_free(&tk);
}

/* Heads map back: the piece whose head is outside the token stands for it. */
static void test_map_back(void **state)
{
        const char *toks[] = {"Syria's", "envoy", "left"};
        size_t lens[] = {7, 5, 4};
        dm_parse_map_t m;
        dm_parse_token_t t[4];
        dm_parse_result_t r;
        (void)state;
        dm_parse_map_init(&m);
        dm_parse_map_tokens(&m, toks, lens, 3);
        memset(t, 0, sizeof(t));
        t[0].head = 3; /* Syria -> envoy (nmod:poss) */
        t[1].head = 1; /* 's -> Syria (case) */
        t[2].head = 4; /* envoy -> left */
        t[3].head = 0;
        r.toks = t;
        r.ntoks = r.ntoks_in = 4;
        r.truncated = 0;
        assert_int_equal(dm_parse_map_piece(&m, &r, 0), 0);
        assert_int_equal(dm_parse_map_head(&m, &r, 0), 1);
        assert_int_equal(dm_parse_map_head(&m, &r, 1), 2);
        assert_int_equal(dm_parse_map_head(&m, &r, 2), -1);
        dm_parse_map_free(&m);
}

/* The project tokeniser keeps punctuation, one character a token, and
 * splits "Mr." and "--": with spans the mapping joins what UD keeps
 * together, puts back anything dropped from the gaps, and maps heads
 * around put-back tokens. */
static void test_spans_punctuation(void **state)
{
        const char *text = "Syria's envoy, Mr. Lee, can't attend -- officials said...";
        dm_tokens_t tk;
        dm_parse_map_t m;
        size_t starts[32], ends[32], i;
        dm_parse_token_t t[32];
        dm_parse_result_t r;
        static const char *want[] = {"Syria", "'s",  "envoy",  ",",  "Mr.",       "Lee",  ",",
                                     "ca",    "n't", "attend", "--", "officials", "said", "..."};
        (void)state;
        dm_tokens_init(&tk);
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        assert_true(tk.count < 32);
        for (i = 0; i < tk.count; i++) {
                starts[i] = tk.toks[i].span.start;
                ends[i] = tk.toks[i].span.end;
        }
        assert_int_equal(ends[3] - starts[3], 2); /* the project token "Mr" */
        dm_parse_map_init(&m);
        dm_parse_map_spans(&m, text, 0, strlen(text), starts, ends, tk.count);
        assert_int_equal(m.nforms, sizeof(want) / sizeof(*want));
        for (i = 0; i < m.nforms; i++)
                assert_string_equal(m.forms[i], want[i]);
        assert_int_equal(m.nin, tk.count);
        assert_int_equal(m.src[4], 3);   /* "Mr." comes from "Mr" ... */
        assert_int_equal(m.first[4], 4); /* ... and "." shares it */
        assert_int_equal(m.src[10], m.src[9] + 1);
        dm_parse_map_free(&m);

        /* Punctuation the project tokens leave out comes back. */
        {
                const char *t2 = "Talks (in Paris) ended";
                size_t s2[] = {0, 7, 10, 17}, e2[] = {5, 9, 15, 22};
                dm_parse_map_init(&m);
                dm_parse_map_spans(&m, t2, 0, strlen(t2), s2, e2, 4);
                assert_int_equal(m.nforms, 6);
                assert_string_equal(m.forms[1], "(");
                assert_string_equal(m.forms[4], ")");
                assert_int_equal(m.src[1], DM_PARSE_MAP_NONE);
                assert_int_equal(m.src[2], 1);
                /* "in" headed by "(" (absurd, but possible): mapped through
                 * the bracket's head, "ended". */
                memset(t, 0, sizeof(t));
                t[0].head = 6;
                t[1].head = 6;
                t[2].head = 2;
                t[3].head = 1;
                t[4].head = 6;
                t[5].head = 0;
                r.toks = t;
                r.ntoks = r.ntoks_in = 6;
                r.truncated = 0;
                assert_int_equal(dm_parse_map_head(&m, &r, 1), 3);
                assert_int_equal(dm_parse_map_head(&m, &r, 2), 0);
                assert_int_equal(dm_parse_map_head(&m, &r, 3), -1);
                dm_parse_map_free(&m);
        }
        dm_tokens_free(&tk);
}

static void test_raw_text(void **state)
{
        static const char *want[] = {"\"",    "The", "U.S.",    "envoy", ",",  "Mr.",
                                     "Lee",   ",",   "did",     "n't",   "go", "to",
                                     "Syria", "'s",  "capital", ".",     "\""};
        const char *text = "\"The U.S. envoy, Mr. Lee, didn't go to Syria's capital.\"";
        dm_parse_map_t m;
        size_t i;
        (void)state;
        dm_parse_map_init(&m);
        dm_parse_map_text(&m, text, strlen(text));
        assert_int_equal(m.nforms, sizeof(want) / sizeof(*want));
        for (i = 0; i < m.nforms; i++)
                assert_string_equal(m.forms[i], want[i]);
        dm_parse_map_free(&m);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_clitics),  cmocka_unit_test(test_project_tokens),
            cmocka_unit_test(test_map_back), cmocka_unit_test(test_spans_punctuation),
            cmocka_unit_test(test_raw_text),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
