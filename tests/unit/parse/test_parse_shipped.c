/* The shipped model (models/en_ewt.dmparse, found through DEMARCHE_MODELS)
 * on hand-written news sentences: the arcs the event coder relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "demarche/dm_parse.h"
#include "input/dm_text.h"
#include "demarche/dm_parse_tok.h"

static dm_parse_model_t *model;
static dm_parse_scratch_t *scratch;
static dm_parse_map_t map;

static int setup(void **state)
{
        char err[512];
        (void)state;
        model = dm_parse_model_load(dm_parse_model_default_path(), err, sizeof(err));
        if (!model) {
                fprintf(stderr, "%s\n", err);
                return -1;
        }
        scratch = dm_parse_scratch_new(model);
        dm_parse_map_init(&map);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_parse_map_free(&map);
        dm_parse_scratch_destroy(scratch);
        dm_parse_model_destroy(model);
        return 0;
}

static const dm_parse_result_t *parse(const char *text)
{
        const dm_parse_result_t *r;
        dm_parse_map_text(&map, text, strlen(text));
        dm_parse_tokens(scratch, map.forms, map.nforms, &r);
        return r;
}

/* Index (1-based) of the first token with this form. */
static int find(const dm_parse_result_t *r, const char *form)
{
        size_t i;
        for (i = 0; i < r->ntoks; i++)
                if (!strcmp(r->toks[i].form, form))
                        return (int)i + 1;
        fail_msg("no token '%s'", form);
        return 0;
}

static void expect_arc(const dm_parse_result_t *r, const char *dep, const char *rel,
                       const char *head)
{
        int d = find(r, dep), h = head ? find(r, head) : 0;
        const dm_parse_token_t *t = &r->toks[d - 1];
        if (t->head != h || strcmp(t->deprel, rel))
                fail_msg("%s: expected %s(%s), got %s(%s)", dep, rel, head ? head : "ROOT",
                         t->deprel, t->head ? r->toks[t->head - 1].form : "ROOT");
}

static void test_active(void **state)
{
        const dm_parse_result_t *r = parse("Russia imposed sanctions on Japan.");
        (void)state;
        assert_int_equal(r->ntoks, 6);
        expect_arc(r, "imposed", "root", NULL);
        expect_arc(r, "Russia", "nsubj", "imposed");
        expect_arc(r, "sanctions", "obj", "imposed");
        expect_arc(r, "on", "case", "Japan");
        /* EWT attaches "impose sanctions on X" to the verb (obl), which is
         * what the coder wants; the greedy model still attaches this one to
         * the noun (nmod), a known error (docs/PARSER.md). Either way the
         * label must agree with the attachment. */
        {
                const dm_parse_token_t *j = &r->toks[find(r, "Japan") - 1];
                if (j->head == find(r, "imposed"))
                        assert_string_equal(j->deprel, "obl");
                else
                        expect_arc(r, "Japan", "nmod", "sanctions");
        }
        assert_string_equal(r->toks[find(r, "imposed") - 1].upos, "VERB");
        assert_string_equal(r->toks[find(r, "imposed") - 1].lemma, "impose");
        assert_non_null(strstr(r->toks[find(r, "imposed") - 1].feats, "Tense=Past"));
        assert_string_equal(r->toks[find(r, "sanctions") - 1].lemma, "sanction");
        r = parse("The minister flew to Moscow on Friday.");
        expect_arc(r, "minister", "nsubj", "flew");
        expect_arc(r, "Moscow", "obl", "flew");
        expect_arc(r, "Friday", "obl", "flew");
}

static void test_passive(void **state)
{
        const dm_parse_result_t *r = parse("Sanctions were imposed by Japan.");
        const char *rel;
        (void)state;
        expect_arc(r, "imposed", "root", NULL);
        expect_arc(r, "Sanctions", "nsubj:pass", "imposed");
        expect_arc(r, "were", "aux:pass", "imposed");
        expect_arc(r, "by", "case", "Japan");
        rel = r->toks[find(r, "Japan") - 1].deprel;
        assert_int_equal(r->toks[find(r, "Japan") - 1].head, find(r, "imposed"));
        assert_true(!strcmp(rel, "obl:agent") || !strcmp(rel, "obl"));
        assert_non_null(strstr(r->toks[find(r, "imposed") - 1].feats, "Voice=Pass"));
}

static void test_news(void **state)
{
        const dm_parse_result_t *r = parse("The United Nations condemned the attack on Tuesday.");
        (void)state;
        expect_arc(r, "condemned", "root", NULL);
        expect_arc(r, "Nations", "nsubj", "condemned");
        expect_arc(r, "attack", "obj", "condemned");
        r = parse("Israel's prime minister met the Egyptian president in Cairo.");
        expect_arc(r, "met", "root", NULL);
        expect_arc(r, "minister", "nsubj", "met");
        expect_arc(r, "Israel", "nmod:poss", "minister");
        expect_arc(r, "'s", "case", "Israel");
        expect_arc(r, "president", "obj", "met");
        expect_arc(r, "Cairo", "obl", "met");
        r = parse("China said it would not send troops.");
        expect_arc(r, "said", "root", NULL);
        expect_arc(r, "China", "nsubj", "said");
        expect_arc(r, "send", "ccomp", "said");
        expect_arc(r, "troops", "obj", "send");
        expect_arc(r, "would", "aux", "send");
}

/* A news sentence is a clause: a regular past form the treebank only saw
 * as a participle ("killed", "attacked") is read as the past tense when
 * nothing else in the sentence is finite, or when it has a subject and no
 * auxiliary; a participle with an auxiliary, before a noun or before its
 * agent stays one. */
static void test_finite_clause(void **state)
{
        const dm_parse_result_t *r = parse("Israeli troops killed three men in Gaza.");
        (void)state;
        expect_arc(r, "killed", "root", NULL);
        expect_arc(r, "troops", "nsubj", "killed");
        expect_arc(r, "men", "obj", "killed");
        assert_string_equal(r->toks[find(r, "killed") - 1].xpos, "VBD");
        r = parse("Officials said the army attacked the town after rebels fired rockets.");
        expect_arc(r, "attacked", "ccomp", "said");
        expect_arc(r, "army", "nsubj", "attacked");
        assert_string_equal(r->toks[find(r, "attacked") - 1].xpos, "VBD");
        assert_null(strstr(r->toks[find(r, "attacked") - 1].feats, "Voice=Pass"));
        r = parse("The town was attacked by the army.");
        assert_string_equal(r->toks[find(r, "attacked") - 1].xpos, "VBN");
        expect_arc(r, "town", "nsubj:pass", "attacked");
        r = parse("Please see the attached report.");
        assert_string_equal(r->toks[find(r, "attached") - 1].xpos, "VBN");
        r = parse("The ship, captained by a Briton, sank.");
        assert_string_equal(r->toks[find(r, "captained") - 1].xpos, "VBN");
}

/* "have" with only adverbs or a floating quantifier before a past form is
 * the perfect's auxiliary; with a noun phrase between it is a main verb. */
static void test_perfect_have(void **state)
{
        const dm_parse_result_t *r =
            parse("The US, Britain and France have all criticised the Turkish invasion.");
        (void)state;
        expect_arc(r, "criticised", "root", NULL);
        expect_arc(r, "have", "aux", "criticised");
        expect_arc(r, "invasion", "obj", "criticised");
        r = parse("Vladimir Putin had earlier rejected the calls for a ceasefire.");
        expect_arc(r, "rejected", "root", NULL);
        expect_arc(r, "had", "aux", "rejected");
        expect_arc(r, "calls", "obj", "rejected");
        r = parse("I had my car repaired.");
        expect_arc(r, "had", "root", NULL);
        assert_string_equal(r->toks[find(r, "had") - 1].upos, "VERB");
}

/* Through the project's own tokens, as the coder will call it: heads come
 * back as project tokens. */
static void test_project_tokens(void **state)
{
        const char *text = "Iran's foreign minister didn't meet the U.S. envoy in Geneva.";
        dm_tokens_t tk;
        size_t starts[32], ends[32], i;
        const dm_parse_result_t *r;
        long minister = -1, meet = -1, iran = -1, envoy = -1;
        (void)state;
        dm_tokens_init(&tk);
        dm_tokenize(&tk, text, 0, (uint32_t)strlen(text));
        for (i = 0; i < tk.count; i++) {
                const char *w = text + tk.toks[i].span.start;
                starts[i] = tk.toks[i].span.start;
                ends[i] = tk.toks[i].span.end;
                if (!strncmp(w, "minister", 8))
                        minister = (long)i;
                else if (!strncmp(w, "meet", 4))
                        meet = (long)i;
                else if (!strncmp(w, "Iran's", 6))
                        iran = (long)i;
                else if (!strncmp(w, "envoy", 5))
                        envoy = (long)i;
        }
        assert_true(minister >= 0 && meet >= 0 && iran >= 0 && envoy >= 0);
        dm_parse_map_spans(&map, text, 0, strlen(text), starts, ends, tk.count);
        dm_parse_tokens(scratch, map.forms, map.nforms, &r);
        assert_int_equal(dm_parse_map_head(&map, r, (size_t)minister), meet);
        assert_int_equal(dm_parse_map_head(&map, r, (size_t)iran), minister);
        assert_int_equal(dm_parse_map_head(&map, r, (size_t)envoy), meet);
        assert_int_equal(dm_parse_map_head(&map, r, (size_t)meet), -1);
        assert_string_equal(r->toks[dm_parse_map_piece(&map, r, (size_t)minister)].deprel, "nsubj");
        dm_tokens_free(&tk);
}

/* One model, four threads, a scratch each: every thread gets the parse the
 * main thread got (run under ASan/TSan builds to catch sharing bugs). */
static const char *const mt_forms[] = {"Sanctions", "were",  "imposed", "by",     "Japan", "on",
                                       "Monday",    "after", "talks",   "failed", "."};
#define MT_N (sizeof(mt_forms) / sizeof(*mt_forms))
static int mt_heads[MT_N];

static void *mt_worker(void *arg)
{
        dm_parse_scratch_t *s = dm_parse_scratch_new(model);
        const dm_parse_result_t *r;
        size_t i, k;
        long bad = 0;
        (void)arg;
        for (k = 0; k < 300; k++) {
                dm_parse_tokens(s, mt_forms, MT_N, &r);
                for (i = 0; i < MT_N; i++)
                        bad += r->toks[i].head != mt_heads[i];
        }
        dm_parse_scratch_destroy(s);
        return (void *)bad;
}

static void test_threads(void **state)
{
        const dm_parse_result_t *r;
        pthread_t th[4];
        size_t i;
        (void)state;
        dm_parse_tokens(scratch, mt_forms, MT_N, &r);
        for (i = 0; i < MT_N; i++)
                mt_heads[i] = r->toks[i].head;
        for (i = 0; i < 4; i++)
                assert_int_equal(pthread_create(&th[i], NULL, mt_worker, NULL), 0);
        for (i = 0; i < 4; i++) {
                void *bad;
                assert_int_equal(pthread_join(th[i], &bad), 0);
                assert_null(bad);
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_active),       cmocka_unit_test(test_passive),
            cmocka_unit_test(test_news),         cmocka_unit_test(test_finite_clause),
            cmocka_unit_test(test_perfect_have), cmocka_unit_test(test_project_tokens),
            cmocka_unit_test(test_threads),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
