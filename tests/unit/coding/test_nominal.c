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

#define dict  dm_test_pdict
#define coder dm_test_pcoder

/* The event of text coded with code from src to tgt (actor codes compared
 * as prefixes: "RUS" matches "RUSGOV", "ITAGOV" only itself), or NULL. */
static const dm_coded_event_t *find(const char *text, const char *src, const char *tgt,
                                    const char *code, dm_coded_sentence_t *cs)
{
        size_t i;
        assert_int_equal(dm_coder_code_ymd(coder, text, 0, (uint32_t)strlen(text), 20240101, cs),
                         0);
        for (i = 0; i < cs->event_count; i++) {
                const dm_coded_event_t *e = &cs->events[i];
                if (e->source.code && !strncmp(e->source.code, src, strlen(src)) &&
                    e->target.code && !strncmp(e->target.code, tgt, strlen(tgt)) &&
                    !strcmp(e->code, code))
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

/* The noun as an oblique of a verb: the entry's passive= and clause=
 * attachments let the verb's subject fill the role its dependents left
 * open; an active subject acts only where the entry says clause=. */
static void test_clause_roles(void **state)
{
        (void)state;
        expect("Syrian soldiers were killed in Israeli air strikes near Damascus.", "ISR", "SYR",
               "195", "amod>obl<nsubj:pass");
        expect("Japan agreed in talks with Russia to lift the tariffs.", "JPN", "RUS", "046",
               "obl<nsubj>nmod:with");
        expect_none("Russia lost three tanks in the attack on Ukraine.", "RUS", "UKR", "190");
        expect_none("Syrian soldiers died in Israeli air strikes near Damascus.", "ISR", "SYR",
                    "195");
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

/* Not a noun, but the same coder in parse mode: a verb pattern that names
 * the source ($) wins over the parse's subject, which becomes the target
 * ("RECEIVE_ - + * &AID FROM_ $"). */
static void test_pattern_source(void **state)
{
        (void)state;
        expect("Egypt received a phone call from Japan on Monday.", "JPN", "EGY", "041",
               "pattern>nsubj");
}

/* The agent of a list is each member's ("the foreign ministers of France
 * and Germany"). */
static void test_agent_of_list(void **state)
{
        (void)state;
        expect("The ambassadors of France, Germany and Italy criticised China on Monday.", "FRAGOV",
               "CHN", "111", NULL);
        expect("The ambassadors of France, Germany and Italy criticised China on Monday.", "ITAGOV",
               "CHN", "111", NULL);
}

/* A name coded as its bare country takes the office of the title before it
 * ("Bree Prime Minister Romendacil" is BREGOV, not BRE); on a dictionary of
 * invented names, as TABARI's and PETRARCH's records have them. */
static void test_title_gives_office(void **state)
{
        char dir[] = "/tmp/dm_test_nominal_XXXXXX", err[256];
        const char *t =
            "Bree Prime Minister Romendacil clashed over the efforts of Eriador to deal "
            "with an orc infestation on Sunday.";
        dm_dict_t *d;
        dm_coder_t *c;
        dm_coded_sentence_t cs;
        size_t i;
        int office = 0, bare = 0;
        (void)state;
        assert_int_equal(dm_test_mkdtemp(dir), 0);
        d = dm_test_tabari_dict(dir, "BREE [BRE]\nROMENDACIL [BRE]\nERIADOR [ERI]\n",
                                "PRIME_MINISTER [~GOV]\n", "CLASH [121]\n", "");
        assert_non_null(d);
        c = dm_coder_new(d);
        dm_coder_set_parser(c, dm_dict_parser(dict, err, sizeof(err)));
        assert_int_equal(dm_coder_code_ymd(c, t, 0, (uint32_t)strlen(t), 20240101, &cs), 0);
        for (i = 0; i < cs.event_count; i++) {
                office |= !strcmp(cs.events[i].source.code, "BREGOV");
                bare |= !strcmp(cs.events[i].source.code, "BRE");
        }
        assert_true(office);
        assert_false(bare);
        dm_coder_destroy(c);
        dm_dict_destroy(d);
        dm_test_rmdir(dir);
}

/* A year the noun names before the article's dates the event
 * ("Russia's 2013 deal with Ukraine", coded in 2024): historical. */
static void test_noun_year(void **state)
{
        dm_coded_sentence_t cs;
        const dm_coded_event_t *e;
        (void)state;
        e = find("Russia's 2013 deal with Ukraine collapsed after a few months.", "RUS", "UKR",
                 "057", &cs);
        assert_non_null(e);
        assert_true(e->historical);
        e = find("Russia's deal with Ukraine collapsed after a few months.", "RUS", "UKR", "057",
                 &cs);
        assert_non_null(e);
        assert_false(e->historical);
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
        /* A negated verb the noun's verb is the infinitive of. */
        e = find("Russia does not intend to continue negotiations with Japan.", "RUS", "JPN", "046",
                 &cs);
        assert_non_null(e);
        assert_true(e->negated);
}

/* A plural the lemmatiser gets wrong ("vetoes" read as "vetoe") is found
 * by its form less the ending. */
static void test_plural_form(void **state)
{
        (void)state;
        expect("This is partly due to Russia's vetoes of the UN resolutions.", "RUS", "IGOUNO",
               "129", "nmod:poss>nmod:of");
}

/* Adjectives that report a stance (entries marked adj): the subject's own
 * ("unhappy with", "critical of", a that-clause), a speaker's judgement of
 * the subject of its that-clause ("said ... was wrong"); negated by "not";
 * not a noun entry's adjective reading, nor an adjective entry's noun. */
static void test_stances(void **state)
{
        dm_coded_sentence_t cs;
        const dm_coded_event_t *e;
        (void)state;
        expect("Russia said it was unhappy with the United States.", "RUS", "USA", "110",
               "nsubj>obl:with");
        expect("Turkey was critical of the United States on Monday.", "TUR", "USA", "111",
               "nsubj>obl:of");
        expect("Russia is concerned that Japan may deploy missiles.", "RUS", "JPN", "110",
               "nsubj>ccomp>nsubj");
        expect("Russia said that Japan was wrong.", "RUS", "JPN", "111", "ccomp<nsubj>nsubj");
        expect_none("Japan was wrong.", "RUS", "JPN", "111");
        e = find("Iran is not critical of Russia.", "IRN", "RUS", "111", &cs);
        assert_non_null(e);
        assert_true(e->negated);
        /* A noun as the predicate of the judgement reads as the adjective
         * does; the same noun as an object is no judgement. */
        expect("Russia said the Japanese decision was a mistake.", "RUS", "JPN", "111",
               "ccomp<nsubj>nsubj");
        expect("Turkey says the Kurdish YPG militias are terrorists.", "TUR", "SYRREB", "112",
               "ccomp<nsubj>nsubj");
        expect_none("Russia made a mistake with Japan.", "RUS", "JPN", "111");
        expect_none("Russia left the talks; Japan was wrong.", "RUS", "JPN", "111");
}

/* The tone of what was said (entries marked tone): a judging word anywhere
 * in the clause a verb of saying takes makes the saying an event on that
 * clause's subject, or on the owner of the judged thing, or on a passive
 * judging verb's agent; not when negated, foretold or said by no one. */
static void test_tone(void **state)
{
        (void)state;
        expect("Iran said Israel had refused the plan and was now backtracking.", "IRN", "ISR",
               "111", "tone:nsubj>ccomp<nsubj");
        expect("Iran said Israel's hypocrisy was obvious.", "IRN", "ISR", "111",
               "tone:nsubj>ccomp<owner");
        expect("Iran said the reforms were thwarted by Israel.", "IRN", "ISR", "111",
               "tone:nsubj>ccomp<obl:agent");
        expect_none("Iran said the reforms were thwarted.", "IRN", "ISR", "111");
        expect_none("Iran said Israel was not backtracking.", "IRN", "ISR", "111");
        expect_none("Iran said Israel would soon be backtracking.", "IRN", "ISR", "111");
        expect_none("Israel is said to be backtracking.", "ISR", "ISR", "111");
        expect_none("Israel was backtracking, which Iran noticed.", "IRN", "ISR", "111");
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_modifier_and_preposition),
            cmocka_unit_test(test_by_agent),
            cmocka_unit_test(test_possessive_and_blocked),
            cmocka_unit_test(test_light_verb),
            cmocka_unit_test(test_mutual),
            cmocka_unit_test(test_clause_roles),
            cmocka_unit_test(test_source_alone),
            cmocka_unit_test(test_compound_pattern),
            cmocka_unit_test(test_coordination),
            cmocka_unit_test(test_negated),
            cmocka_unit_test(test_stances),
            cmocka_unit_test(test_tone),
            cmocka_unit_test(test_plural_form),
            cmocka_unit_test(test_pattern_source),
            cmocka_unit_test(test_agent_of_list),
            cmocka_unit_test(test_title_gives_office),
            cmocka_unit_test(test_noun_year),
        };
        return cmocka_run_group_tests(tests, dm_test_parse_coder_setup,
                                      dm_test_parse_coder_teardown);
}
