/* dm_coder_set_context: what the article so far tells the coder in parse
 * mode (the article's country for bare agents, the person and thing that
 * pronouns stand for, actors only the gazetteer knows), on the project's
 * dictionaries and the shipped parser model. */
#include "demarche/dm_annotator.h"
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

static int has(const dm_coded_sentence_t *cs, const char *src, const char *tgt, const char *root)
{
        size_t i;
        for (i = 0; i < cs->event_count; i++) {
                const dm_coded_event_t *e = &cs->events[i];
                if (e->source.code && !strcmp(e->source.code, src) && e->target.code &&
                    !strcmp(e->target.code, tgt) && !strncmp(e->code, root, 2))
                        return 1;
        }
        return 0;
}

static void code(const char *text, dm_coded_sentence_t *cs)
{
        assert_int_equal(dm_coder_code_ymd(coder, text, 0, (uint32_t)strlen(text), 20240101, cs),
                         0);
}

/* "the government" is the article's; without a country it is no actor,
 * and it is no entity either way. */
static void test_bare_agent_takes_the_country(void **state)
{
        const char *t = "The government accused the rebels of shelling a hospital last week.";
        dm_coded_sentence_t cs;
        size_t i;
        (void)state;
        dm_coder_set_context(coder, "SYR", NULL, NULL, NULL, 0);
        code(t, &cs);
        assert_true(has(&cs, "SYRGOV", "SYRREB", "11"));
        for (i = 0; i < cs.actor_count; i++)
                assert_string_not_equal(cs.actors[i].code, "SYRGOV");
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
        code(t, &cs);
        assert_false(has(&cs, "SYRGOV", "SYRREB", "11"));
        /* Group nouns of civil society and faith are agents too
         * (cameo.agents: AID_GROUPS_, MUSLIM_GROUPS_). */
        dm_coder_set_context(coder, "GBR", NULL, NULL, NULL, 0);
        code("Aid groups criticised the British government.", &cs);
        assert_true(has(&cs, "GBRNGO", "GBRGOV", "11"));
        code("Muslim groups criticised the British government.", &cs);
        assert_true(has(&cs, "GBRREL", "GBRGOV", "11"));
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
}

/* A bare agent belongs to the place that says where it is, before the
 * article's country: a place after in/from/at before it, or right after
 * it; a place further on says where the deed was done. The first sentence
 * also needs the parse mended: the parser makes "in ... air strikes" the
 * verb's object, which a prepositional phrase never is. */
static void test_bare_agent_takes_the_place(void **state)
{
        dm_coded_sentence_t cs;
        (void)state;
        dm_coder_set_context(coder, "USA", NULL, NULL, NULL, 0);
        code("In eastern Ghouta, at least 200 civilians were killed in Syrian and Russian air "
             "strikes in a few days last week.",
             &cs);
        assert_true(has(&cs, "RUS", "SYRCVL", "19"));
        assert_false(has(&cs, "RUS", "USACVL", "19"));
        code("Police in Idlib arrested the opposition leader.", &cs);
        assert_true(cs.event_count > 0);
        assert_string_equal(cs.events[0].source.code, "SYRCOP");
        dm_coder_set_context(coder, "SYR", NULL, NULL, NULL, 0);
        /* "according to [officials]" coordinated with the subject by the
         * parser is no second source (dm_roles_mend_relations). */
        dm_coder_set_context(coder, "ISR", NULL, NULL, NULL, 0);
        code("Israeli strikes killed at least 40 people across Gaza on Sunday, according to local "
             "health officials.",
             &cs);
        assert_true(has(&cs, "ISR", "PSE", "19"));
        assert_false(has(&cs, "ISRHLH", "PSE", "19"));
        dm_coder_set_context(coder, "SYR", NULL, NULL, NULL, 0);
        code("Opposition groups boycotted a summit in Sochi.", &cs);
        assert_true(has(&cs, "SYROPP", "RUS", "16"));
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
}

/* "he" with no actor before it in the sentence is the latest person; "it"
 * the latest thing. */
static void test_pronouns(void **state)
{
        dm_coded_sentence_t cs;
        (void)state;
        dm_coder_set_context(coder, NULL, "GBRGOV", "RUS", NULL, 0);
        code("He accused Iran of supplying weapons to the rebels on Monday.", &cs);
        assert_true(has(&cs, "GBRGOV", "IRN", "11"));
        code("It accused Iran of supplying weapons to the rebels on Monday.", &cs);
        assert_true(has(&cs, "RUS", "IRN", "11"));
        /* "he" is a person, never a bare country named before it. */
        code("In Syria, he accused Iran of supplying weapons to the rebels on Monday.", &cs);
        assert_true(has(&cs, "GBRGOV", "IRN", "11"));
        assert_false(has(&cs, "SYR", "IRN", "11"));
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
        code("He accused Iran of supplying weapons to the rebels on Monday.", &cs);
        assert_int_equal(cs.event_count, 0);
}

/* An actor outside the dictionaries, by byte span. */
static void test_extras(void **state)
{
        const char *t = "Jane Doe criticised Iran over its nuclear programme on Monday.";
        dm_coded_actor_t x = {"GBRGOV", NULL, 0, 8, 0};
        dm_coded_sentence_t cs;
        (void)state;
        dm_coder_set_context(coder, NULL, NULL, NULL, &x, 1);
        code(t, &cs);
        assert_true(has(&cs, "GBRGOV", "IRN", "11"));
        assert_int_equal(cs.actor_count, 1); /* Iran only: no entity */
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
        code(t, &cs);
        assert_false(has(&cs, "GBRGOV", "IRN", "11"));
}

/* A name the caller knows outranks the shorter dictionary actor inside it
 * ("Kim Jong Un" holds "UN"); an extra that is no name ("the presidents
 * of Sri Lanka") leaves the dictionary's actors alone. */
static void test_extra_names(void **state)
{
        const char *t = "Kim Jong Un criticised Japan on Monday.";
        dm_coded_actor_t x = {"PRKGOV", NULL, 0, 11, 1};
        dm_coded_sentence_t cs;
        size_t i;
        (void)state;
        dm_coder_set_context(coder, NULL, NULL, NULL, &x, 1);
        code(t, &cs);
        assert_true(has(&cs, "PRKGOV", "JPN", "11"));
        assert_false(has(&cs, "IGOUNO", "JPN", "11"));
        for (i = 0; i < cs.actor_count; i++)
                assert_string_not_equal(cs.actors[i].code, "IGOUNO");
        x.name = 0;
        dm_coder_set_context(coder, NULL, NULL, NULL, &x, 1);
        code(t, &cs);
        assert_false(has(&cs, "PRKGOV", "JPN", "11"));
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
}

/* One lexical analysis: the actors asked for first, then the events of the
 * same sentence with the context they gave (an extra over "Jane Doe"); the
 * kept analysis serves only the same bytes, even in a reused buffer. */
static void test_one_analysis(void **state)
{
        char buf[80];
        dm_coded_actor_t x = {"GBRGOV", NULL, 0, 8, 0};
        dm_coded_sentence_t cs;
        uint32_t n;
        (void)state;
        snprintf(buf, sizeof(buf), "%s", "Jane Doe criticised Iran over its nuclear programme.");
        n = (uint32_t)strlen(buf);
        assert_int_equal(dm_coder_find_actors(coder, buf, 0, n, -1, &cs), 0);
        assert_int_equal(cs.actor_count, 1);
        dm_coder_set_context(coder, NULL, NULL, NULL, &x, 1);
        assert_int_equal(dm_coder_code_sentence(coder, buf, 0, n, -1, &cs), 0);
        assert_true(has(&cs, "GBRGOV", "IRN", "11"));
        /* The same place in the buffer, other bytes of the same length. */
        assert_int_equal(dm_coder_find_actors(coder, buf, 0, n, -1, &cs), 0);
        memcpy(buf + 20, "Iraq", 4);
        dm_coder_set_context(coder, NULL, NULL, NULL, &x, 1);
        assert_int_equal(dm_coder_code_sentence(coder, buf, 0, n, -1, &cs), 0);
        assert_true(has(&cs, "GBRGOV", "IRQ", "11"));
        assert_false(has(&cs, "GBRGOV", "IRN", "11"));
        dm_coder_set_context(coder, NULL, NULL, NULL, NULL, 0);
}

/* text annotated in parse mode as an article of 2005-01-01 (Blair in
 * office) into r (initialised here; the caller clears it). */
static void annotate_at(dm_annotator_t *a, const char *text, int64_t published_ms, dm_result_t *r)
{
        dm_article_t art;
        dm_reject_reason_t reason;
        char err[256];
        dm_article_init(&art);
        art.id = "ctx";
        art.body = (char *)text;
        art.body_len = strlen(text);
        art.published_ms = published_ms;
        dm_result_init(r);
        assert_int_equal(dm_annotate(a, &art, r, &reason, err, sizeof(err)), 0);
}

static void annotate_with(dm_annotator_t *a, const char *text, dm_result_t *r)
{
        annotate_at(a, text, 1104537600000LL, r);
}

static void annotate_parse(const char *text, dm_result_t *r)
{
        dm_annotator_t *a = dm_annotator_new(dict);
        dm_article_t art;
        dm_reject_reason_t reason;
        char err[256];
        assert_int_equal(dm_annotator_set_mode(a, DM_CODER_MODE_PARSE, err, sizeof(err)), 0);
        dm_article_init(&art);
        art.id = "ctx";
        art.body = (char *)text;
        art.body_len = strlen(text);
        art.published_ms = 1104537600000LL;
        dm_result_init(r);
        assert_int_equal(dm_annotate(a, &art, r, &reason, err, sizeof(err)), 0);
        dm_annotator_destroy(a);
}

/* Whether r has an event in sentence (-1: any) whose source code is src
 * (NULL: any), whose target code starts with tgt (NULL: any) and whose
 * CAMEO code starts with code. */
static int result_has(const dm_result_t *r, int sentence, const char *src, const char *tgt,
                      const char *code)
{
        size_t i;
        for (i = 0; i < r->event_count; i++) {
                const dm_event_t *e = &r->events[i];
                if ((sentence < 0 || e->sentence == sentence) &&
                    (!src || (e->source.code && !strcmp(e->source.code, src))) &&
                    (!tgt || (e->target.code && !strncmp(e->target.code, tgt, strlen(tgt)))) &&
                    !strncmp(e->cameo_code, code, strlen(code)))
                        return 1;
        }
        return 0;
}

/* A plain statement ("said", 010) gives way to the more specific event
 * of the same speech between the same actors ("X said Y was wrong"). */
static void test_statement_gives_way(void **state)
{
        dm_result_t r;
        size_t i;
        int crit = 0, said = 0;
        (void)state;
        annotate_parse("Russia said Japan was wrong.", &r);
        for (i = 0; i < r.event_count; i++) {
                const dm_event_t *e = &r.events[i];
                crit += !strcmp(e->cameo_code, "111");
                said += !strcmp(e->cameo_code, "010");
        }
        assert_int_equal(crit, 1);
        assert_int_equal(said, 0);
        dm_result_clear(&r);
}

/* The same sentences through the annotator: the gazetteer's leader and the
 * previous sentence's person reach the coder. */
static void test_annotator_passes_context(void **state)
{
        dm_result_t r;
        const char *text = "Tony Blair criticised Iran over its nuclear programme on Monday. "
                           "He accused Iran of supplying weapons to militias in Iraq.";
        size_t i;
        int crit = 0, acc = 0;
        (void)state;
        annotate_parse(text, &r);
        for (i = 0; i < r.event_count; i++) {
                const dm_event_t *e = &r.events[i];
                if (!e->source.code || !e->target.code || strcmp(e->target.code, "IRN"))
                        continue;
                crit |= !strcmp(e->source.code, "GBRGOV") && !strncmp(e->cameo_code, "11", 2) &&
                        e->sentence == 0;
                acc |= !strcmp(e->source.code, "GBRGOV") && !strncmp(e->cameo_code, "11", 2) &&
                       e->sentence == 1;
        }
        assert_true(crit);
        assert_true(acc);
        dm_result_clear(&r);
}

/* A name the dictionaries do not know, mentioned after the known person,
 * takes "she" from them: no event of the known person's. */
static void test_unknown_name_blocks_pronoun(void **state)
{
        dm_result_t r;
        const char *text = "Tony Blair criticised Iran over its nuclear programme on Monday. "
                           "Later that day Shamima Begum spoke to reporters in a camp. "
                           "She accused France of abandoning the refugees in the camp.";
        size_t i;
        (void)state;
        annotate_parse(text, &r);
        for (i = 0; i < r.event_count; i++)
                assert_false(r.events[i].sentence == 2 && r.events[i].source.code &&
                             !strcmp(r.events[i].source.code, "GBRGOV"));
        dm_result_clear(&r);
}

/* A person the dictionaries do not know, named with an office or right
 * after an actor, is that actor again when named later by surname ("Mr
 * Pugh", "Lord Haskins"); an office of no named country is the article's. */
static void test_people_remembered(void **state)
{
        dm_result_t r;
        (void)state;
        annotate_parse("Britain is reviewing its arts funding. Culture Minister Alun Pugh "
                       "criticised the review. Mr Pugh said Iran was wrong.",
                       &r);
        assert_true(result_has(&r, -1, "GBRGOV", "IRN", "11"));
        dm_result_clear(&r);
        annotate_parse("Labour peer Lord Haskins criticised Iran on Monday. Lord Haskins also "
                       "suggested Mr Blair should reinstate Mr Brown.",
                       &r);
        assert_true(result_has(&r, 1, "GBRLEG", NULL, "02"));
        dm_result_clear(&r);
        /* The next article starts with no one known. */
        {
                dm_annotator_t *a = dm_annotator_new(dict);
                char err[256];
                size_t i;
                assert_int_equal(dm_annotator_set_mode(a, DM_CODER_MODE_PARSE, err, sizeof(err)),
                                 0);
                annotate_with(a,
                              "Britain is reviewing its arts funding. Culture Minister Alun Pugh "
                              "criticised the review.",
                              &r);
                for (i = 0; i < r.entity_count; i++)
                        if (r.entities[i].name && !strcmp(r.entities[i].name, "Alun Pugh"))
                                assert_string_equal(r.entities[i].code, "GBRGOV");
                dm_result_clear(&r);
                annotate_with(a, "Mr Pugh said Iran was wrong.", &r);
                assert_false(result_has(&r, -1, "GBRGOV", NULL, ""));
                dm_result_clear(&r);
                dm_annotator_destroy(a);
        }
}

/* People the actor dictionaries name in full are remembered by surname
 * too, also where the dictionaries leave the surname with a courtesy title
 * uncoded on the date ("Mr Howard" after his term as opposition leader);
 * a person whose apposition says whose they are is that actor, and a
 * surname alone is a person named before. */
static void test_people_named_and_in_apposition(void **state)
{
        dm_annotator_t *a = dm_annotator_new(dict);
        char err[256];
        dm_result_t r;
        (void)state;
        assert_int_equal(dm_annotator_set_mode(a, DM_CODER_MODE_PARSE, err, sizeof(err)), 0);
        /* 2006-06-01: MR_HOWARD_ is [---], MICHAEL_HOWARD_ GBRELI. */
        annotate_at(a, "Michael Howard criticised Iran. Mr Howard said France was wrong.",
                    1149120000000LL, &r);
        assert_true(result_has(&r, 1, "GBRELI", "FRA", "111"));
        dm_result_clear(&r);
        annotate_with(a,
                      "Bassam Khawaja, a researcher for Human Rights Watch, arrived in Beirut on "
                      "Monday. Khawaja said Israel was wrong.",
                      &r);
        assert_true(result_has(&r, 1, "NGOHRW", "ISR", "111"));
        dm_result_clear(&r);
        /* An apposition with a preposition of where or whom says nothing
         * of whose; a person is never another person's. */
        annotate_with(a,
                      "Alan Jones, the envoy to Russia, arrived on Monday. Jones said Iran was "
                      "wrong.",
                      &r);
        assert_false(result_has(&r, 1, "RUS", NULL, ""));
        dm_result_clear(&r);
        annotate_with(a,
                      "Elliott Smith, an analyst at Tony Blair, arrived on Monday. Smith said "
                      "Iran was wrong.",
                      &r);
        assert_false(result_has(&r, 1, "GBRGOV", NULL, ""));
        dm_result_clear(&r);
        /* A courtesy title names someone of the article's country when no
         * one of that name was named before ("-CVL", "-LEG" in titles.tsv),
         * unless an apposition says whose they are. */
        annotate_with(a, "Britain is reviewing its arts funding. Ms James said Iran was wrong.",
                      &r);
        assert_true(result_has(&r, 1, "GBRCVL", "IRN", "111"));
        dm_result_clear(&r);
        annotate_with(a, "Britain is reviewing its arts funding. Lord Smith said Iran was wrong.",
                      &r);
        assert_true(result_has(&r, 1, "GBRLEG", "IRN", "111"));
        dm_result_clear(&r);
        annotate_with(a,
                      "Britain is reviewing its arts funding. Dr Yahya Aridi, a spokesman for "
                      "Human Rights Watch, said Iran was wrong.",
                      &r);
        assert_true(result_has(&r, 1, "NGOHRW", "IRN", "111"));
        dm_result_clear(&r);
        /* A name the gazetteer knows after a title the dictionaries do
         * not ("Mr Erdoğan": MR_ERDOGAN_ is spelt without the breve) acts,
         * though the parse makes it a flat part of the title's name. */
        dm_annotator_set_frames(a, 0);
        annotate_at(a, "Mr Erdoğan denounced Syria.", 1519862400000LL, &r);
        assert_true(result_has(&r, 0, "TURGOV", "SYR", "111"));
        dm_result_clear(&r);
        dm_annotator_set_frames(a, 1);
        /* A sentence's first words are no name: "On Friday, ..." */
        annotate_with(a,
                      "Britain criticised Iran. On Friday, he will visit the Thai beach resort "
                      "of Phuket.",
                      &r);
        {
                size_t i;
                for (i = 0; i < r.entity_count; i++)
                        assert_false(r.entities[i].type == DM_ENTITY_PERSON);
        }
        dm_result_clear(&r);
        dm_annotator_destroy(a);
}

/* A bare title of an office (titles.tsv's third column) is its holder the
 * article named before: "the prime minister" after "Tony Blair" is Blair
 * even in an article that names the United States most; not the head of
 * something else ("the president of the club"). */
static void test_office_holders(void **state)
{
        dm_result_t r;
        (void)state;
        annotate_parse("George W Bush met Tony Blair and the United States praised the talks. "
                       "The prime minister said Iran was wrong. The president criticised France. "
                       "The president of the club criticised Germany.",
                       &r);
        assert_true(result_has(&r, 1, "GBRGOV", "IRN", "111"));
        assert_false(result_has(&r, 1, "USAGOV", "IRN", ""));
        assert_true(result_has(&r, 2, "USAGOV", "FRA", "111"));
        {
                /* Bush is named once and meant once by "the president";
                 * "the president of the club" is someone else. */
                size_t i;
                int seen = 0;
                for (i = 0; i < r.entity_count; i++)
                        if (r.entities[i].name && !strcmp(r.entities[i].name, "George W. Bush")) {
                                assert_int_equal(r.entities[i].mentions, 2);
                                seen = 1;
                        }
                assert_true(seen);
        }
        dm_result_clear(&r);
}

/* Where the parse names no target, word order may find one only in a
 * phrase of the verb's clause: not in a relative clause nested in it. */
static void test_word_order_target_in_phrase(void **state)
{
        dm_coded_sentence_t cs;
        size_t i;
        (void)state;
        code("But the London exchange is also holding talks with Deutsche Boerse's rival "
             "Euronext, which operates the Amsterdam, Brussels, Lisbon and Paris exchanges.",
             &cs);
        for (i = 0; i < cs.event_count; i++)
                assert_true(cs.events[i].target.code == NULL ||
                            strncmp(cs.events[i].target.code, "NLD", 3));
        assert_false(has(&cs, "GBRGOV", "FRAGOV", "04"));
}

/* A quotation the parser hangs on the verb of saying as parataxis (after
 * a colon) still has that verb's subject as its speaker (dm_nominal). */
static void test_quoted_stance(void **state)
{
        dm_result_t r;
        size_t i;
        int found = 0;
        (void)state;
        annotate_parse("Vladimir Putin tweeted on Sunday: \"President Erdogan, Greece and France "
                       "are responsible for backing Animal Assad.\"",
                       &r);
        assert_true(result_has(&r, -1, "RUSGOV", "FRA", "112"));
        for (i = 0; i < r.event_count; i++)
                found |= r.events[i].pattern && strstr(r.events[i].pattern, "parataxis<") != NULL;
        assert_true(found);
        dm_result_clear(&r);
}

/* "He" in the next sentence is the subject of the parsed sentence's main
 * verb, not the first person it names; and a pronoun may speak a
 * judgement ("He said Iran was wrong"). */
static void test_pronoun_is_the_subject(void **state)
{
        dm_result_t r;
        (void)state;
        annotate_parse("After talks with Vladimir Putin in Moscow, Tony Blair criticised France on "
                       "Monday. He said Iran was wrong.",
                       &r);
        assert_true(result_has(&r, 1, "GBRGOV", "IRN", "111"));
        assert_false(result_has(&r, 1, "RUSGOV", NULL, ""));
        dm_result_clear(&r);
}

/* A possessive pronoun of the object is its owner, mostly the subject
 * itself: coordinated subjects do not act on each other through it. A
 * gerund that a judgement is about ("responsible for backing") is the
 * judge's claim, not an event of its own. */
static void test_owner_and_judged_content(void **state)
{
        dm_coded_sentence_t cs;
        (void)state;
        code("France and Germany voiced their concern on Monday.", &cs);
        assert_false(has(&cs, "FRA", "DEU", "01"));
        assert_false(has(&cs, "DEU", "FRA", "01"));
        code("Russia and Iran are responsible for backing Syria, Israel said.", &cs);
        assert_false(has(&cs, "RUS", "SYR", "05"));
        assert_false(has(&cs, "IRN", "SYR", "05"));
        code("Russia and Iran are backing Syria, Israel said.", &cs);
        assert_true(has(&cs, "RUS", "SYR", "05"));
}

/* What a speaker says another should do is an appeal to it, what it must
 * do a demand of it (the verbs of saying' SHOULD_/MUST_ patterns in
 * diplomacy.verbs); never the other's own act. */
static void test_should_must(void **state)
{
        dm_coded_sentence_t cs;
        (void)state;
        code("Russia said Japan should lift its sanctions.", &cs);
        assert_true(has(&cs, "RUS", "JPN", "02"));
        assert_false(has(&cs, "JPN", "RUS", "08"));
        code("Russia said Japan must withdraw its troops.", &cs);
        assert_true(has(&cs, "RUS", "JPN", "10"));
        assert_false(has(&cs, "RUS", "JPN", "01"));
}

/* An agent's deed on a place of its own country is an event on that
 * country (the place the parse names as the object); a country named alone
 * acting on itself is not, nor is a place word order found outside the
 * verb's clause. */
static void test_own_place_target(void **state)
{
        dm_result_t r;
        (void)state;
        annotate_parse("Syrian troops shelled Douma on Monday. Syria criticised Syria on Monday.",
                       &r);
        assert_true(result_has(&r, 0, "SYRMIL", "SYR", "19"));
        assert_false(result_has(&r, -1, "SYR", "SYR", ""));
        dm_result_clear(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_bare_agent_takes_the_country),
            cmocka_unit_test(test_bare_agent_takes_the_place),
            cmocka_unit_test(test_pronouns),
            cmocka_unit_test(test_extras),
            cmocka_unit_test(test_extra_names),
            cmocka_unit_test(test_one_analysis),
            cmocka_unit_test(test_annotator_passes_context),
            cmocka_unit_test(test_statement_gives_way),
            cmocka_unit_test(test_unknown_name_blocks_pronoun),
            cmocka_unit_test(test_own_place_target),
            cmocka_unit_test(test_should_must),
            cmocka_unit_test(test_owner_and_judged_content),
            cmocka_unit_test(test_pronoun_is_the_subject),
            cmocka_unit_test(test_quoted_stance),
            cmocka_unit_test(test_word_order_target_in_phrase),
            cmocka_unit_test(test_people_remembered),
            cmocka_unit_test(test_people_named_and_in_apposition),
            cmocka_unit_test(test_office_holders),
        };
        return cmocka_run_group_tests(tests, dm_test_parse_coder_setup,
                                      dm_test_parse_coder_teardown);
}
