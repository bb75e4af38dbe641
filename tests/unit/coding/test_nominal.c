/* dm_nominal through the coder: events reported by nouns in parse mode, one
 * test per rule, on the project's dictionaries (events.nouns) and the
 * shipped parser model (from the tree: DEMARCHE_DICTIONARIES,
 * DEMARCHE_MODELS). */
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_parse.h"
#include "dm_test_support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static dm_dict_t *dict;
static dm_coder_t *coder;

static int setup(void **state)
{
        char err[512];
        const dm_parse_model_t *model;
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        dict = dm_test_dict_load(dm_dict_default_spec());
        if (!dict)
                return -1;
        model = dm_dict_parser(dict, err, sizeof(err));
        if (!model) {
                fprintf(stderr, "parser model: %s\n", err);
                return -1;
        }
        coder = dm_coder_new(dict);
        dm_coder_set_parser(coder, model);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_coder_destroy(coder);
        dm_dict_destroy(dict);
        return 0;
}

/* The event of text coded with code from src to tgt (codes compared on
 * their first three letters, so agents do not matter), or NULL. */
static const dm_coded_event_t *find(const char *text, const char *src, const char *tgt,
                                    const char *code, dm_coded_sentence_t *cs)
{
        size_t i;
        assert_int_equal(dm_coder_code_ymd(coder, text, 0, (uint32_t)strlen(text), 20240101, cs),
                         0);
        for (i = 0; i < cs->event_count; i++) {
                const dm_coded_event_t *e = &cs->events[i];
                if (e->source.code && !strncmp(e->source.code, src, 3) && e->target.code &&
                    !strncmp(e->target.code, tgt, 3) && !strcmp(e->code, code))
                        return e;
        }
        return NULL;
}

static void expect(const char *text, const char *src, const char *tgt, const char *code,
                   const char *path)
{
        dm_coded_sentence_t cs;
        const dm_coded_event_t *e = find(text, src, tgt, code, &cs);
        if (!e) {
                size_t i;
                for (i = 0; i < cs.event_count; i++)
                        fprintf(stderr, "  got %s>%s %s [%s]\n", cs.events[i].source.code,
                                cs.events[i].target.code ? cs.events[i].target.code : "-",
                                cs.events[i].code, cs.events[i].path ? cs.events[i].path : "");
                fail_msg("no %s>%s %s in \"%s\"", src, tgt, code, text);
        }
        if (path)
                assert_string_equal(e->path, path);
}

static void expect_none(const char *text, const char *src, const char *tgt, const char *code)
{
        dm_coded_sentence_t cs;
        if (find(text, src, tgt, code, &cs))
                fail_msg("unexpected %s>%s %s in \"%s\"", src, tgt, code, text);
}

/* A nationality modifies the noun; a preposition names the target; the
 * longest phrase wins (air strike 195 over strike 190). */
static void test_modifier_and_preposition(void **state)
{
        (void)state;
        expect("Russian air strikes on Ukraine killed dozens of civilians on Monday.", "RUS", "UKR",
               "195", "amod>nmod:on");
}

/* "by" names the source, "into" the target. */
static void test_by_agent(void **state)
{
        (void)state;
        expect("The incursion by Turkish troops into Syria began on Saturday morning.", "TUR",
               "SYR", "190", "nmod:by>nmod:into");
}

/* A possessive acts; a phrase marked --- codes nothing. */
static void test_possessive_and_blocked(void **state)
{
        (void)state;
        expect("Georgia's war with Russia ended in August after five days.", "GEO", "RUS", "190",
               "nmod:poss>nmod:with");
        expect_none("Georgia's civil war with Russia ended in August after five days.", "GEO",
                    "RUS", "190");
}

/* The object of a light verb: the verb's subject acts. Not of any verb. */
static void test_light_verb(void **state)
{
        (void)state;
        expect("France ordered a missile strike on Syria last April.", "FRA", "SYR", "195", NULL);
        expect_none("France has criticised the strikes on Syria since last April.", "FRA", "SYR",
                    "195");
}

/* Done together: "between A and B", and coordinated subjects of a light
 * verb with no target named; not when the verb is no light verb. */
static void test_mutual(void **state)
{
        (void)state;
        expect("The talks between Russia and Turkey ended on Friday in Geneva.", "RUS", "TUR",
               "046", "nmod:between>nmod:between");
        expect("Russia and Turkey held talks in Sochi on Monday.", "RUS", "TUR", "046", NULL);
        expect_none("Russia and Turkey are sponsoring the talks in Sochi this week.", "RUS", "TUR",
                    "046");
}

/* The event of text coded with code by src with no target, or NULL. */
static const dm_coded_event_t *find_alone(const char *text, const char *src, const char *code,
                                          dm_coded_sentence_t *cs)
{
        size_t i;
        assert_int_equal(dm_coder_code_ymd(coder, text, 0, (uint32_t)strlen(text), 20240101, cs),
                         0);
        for (i = 0; i < cs->event_count; i++) {
                const dm_coded_event_t *e = &cs->events[i];
                if (e->source.code && !strncmp(e->source.code, src, 3) && !e->target.code &&
                    !strcmp(e->code, code))
                        return e;
        }
        return NULL;
}

/* A code marked '.' is an event of its source alone when no target is
 * named, for verb patterns (a sentence with a single actor is parsed for
 * it) and event nouns; the code is reported without the mark. A code
 * without it needs a target. */
static void test_source_alone(void **state)
{
        dm_coded_sentence_t cs;
        (void)state;
        assert_non_null(find_alone("Haiti imposed martial law on Friday.", "HTI", "1724", &cs));
        assert_non_null(find_alone("Ghana offered new concessions on Friday.", "GHA", "080", &cs));
        assert_null(find_alone("Russia criticised the decision on Friday.", "RUS", "111", &cs));
        /* A named target still counts. */
        expect("Ghana made concessions to Mauritania on Tuesday.", "GHA", "MRT", "080", NULL);
}

/* A verb pattern's compound ('%', "- % * &TIES"): coordinated subjects act
 * on each other, with the path "%". */
static void test_compound_pattern(void **state)
{
        (void)state;
        expect("Slovenia and Japan resumed diplomatic relations on Monday.", "SVN", "JPN", "050",
               "%");
        expect("Slovenia and Japan resumed diplomatic relations on Monday.", "JPN", "SVN", "050",
               "%");
}

/* Coordinated actors each get their event. */
static void test_coordination(void **state)
{
        (void)state;
        expect("The proposals from France and Germany to Iran were rejected on Monday.", "FRA",
               "IRN", "020", NULL);
        expect("The proposals from France and Germany to Iran were rejected on Monday.", "DEU",
               "IRN", "020", NULL);
}

/* "no attack" is a negated event. */
static void test_negated(void **state)
{
        dm_coded_sentence_t cs;
        const dm_coded_event_t *e;
        (void)state;
        e = find("Officials said there had been no attack on Ukraine by Russia that week.", "RUS",
                 "UKR", "190", &cs);
        assert_non_null(e);
        assert_true(e->negated);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_modifier_and_preposition),
            cmocka_unit_test(test_by_agent),
            cmocka_unit_test(test_possessive_and_blocked),
            cmocka_unit_test(test_light_verb),
            cmocka_unit_test(test_mutual),
            cmocka_unit_test(test_source_alone),
            cmocka_unit_test(test_compound_pattern),
            cmocka_unit_test(test_coordination),
            cmocka_unit_test(test_negated),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
