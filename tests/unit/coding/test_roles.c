/* dm_roles: sources and targets read from the dependency parse, one test per
 * rule, on the project's dictionaries and the shipped parser model (both
 * from the tree: DEMARCHE_DICTIONARIES, DEMARCHE_MODELS). */
#include "coding/dm_roles.h"
#include "coding/dm_sent.h"
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
static const dm_parse_model_t *model;

static int setup(void **state)
{
        (void)state;
        dict = dm_test_parse_dict(&model);
        return dict ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        dm_dict_destroy(dict);
        return 0;
}

/* What the parse says about the verb spelt verb (upper case) in text. */
typedef struct role_case {
        dm_role_result_t r;
        char src[32], tgt[32];
        int inside_name_units;
} role_case_t;

static void roles_of(const char *text, const char *verb, role_case_t *rc)
{
        dm_sent_t s;
        dm_roles_t *r = dm_roles_new(model);
        size_t i;
        int v = -1;
        memset(rc, 0, sizeof(*rc));
        dm_sent_init(&s);
        dm_sent_analyse(&s, dm_dict_lex(dict), dm_dict_options(dict), text, 0,
                        (uint32_t)strlen(text), 20240101);
        assert_int_equal(dm_roles_prepare(r, &s, text, 0, (uint32_t)strlen(text)), 0);
        for (i = 0; i < s.ntoks && v < 0; i++)
                if (!strcmp(dm_sent_word(&s, i), verb))
                        v = (int)i;
        if (v < 0)
                fail_msg("no token %s in \"%s\"", verb, text);
        assert_int_equal(dm_roles_assign(r, &s, v, -1, &rc->r), 0);
        snprintf(rc->src, sizeof(rc->src), "%s",
                 rc->r.src >= 0 ? dm_sent_code(&s, s.units[rc->r.src].code_first) : "-");
        snprintf(rc->tgt, sizeof(rc->tgt), "%s",
                 rc->r.tgt >= 0 ? dm_sent_code(&s, s.units[rc->r.tgt].code_first) : "-");
        for (i = 0; i < s.nunits; i++)
                rc->inside_name_units += dm_roles_unit_inside_name(r, (int)i);
        dm_roles_destroy(r);
        dm_sent_free(&s);
}

#define EXPECT_ROLES(text, verb, want_src, want_tgt)                                               \
        do {                                                                                       \
                role_case_t rc_;                                                                   \
                roles_of(text, verb, &rc_);                                                        \
                if (strcmp(rc_.src, want_src) || strcmp(rc_.tgt, want_tgt))                        \
                        fail_msg("\"%s\" %s: got %s > %s (%s), want %s > %s", text, verb, rc_.src, \
                                 rc_.tgt, rc_.r.path, want_src, want_tgt);                         \
        } while (0)

/* Among obliques the preposition of direction or opposition wins over
 * one of place, and one of time is never a target; a passive's target may
 * hang on the agent's name. */
static void test_preposition_rank(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia negotiated in Syria with Iran on Monday.", "NEGOTIATED", "RUS", "IRN");
        EXPECT_ROLES("Russia protested after the talks with Iran on Monday.", "PROTESTED", "RUS",
                     "-");
        EXPECT_ROLES("The restrictions imposed by Japan against Russia in connection with the war "
                     "in Ukraine angered Moscow.",
                     "IMPOSED", "JPN", "RUS");
}

/* What a that-clause says someone should do is not that one's doing. */
static void test_reported_obligation(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("Russia said Japan should lift its sanctions against Moscow.", "LIFT", &rc);
        assert_int_equal(rc.r.reported_obligation, 1);
        roles_of("Japan should lift its sanctions against Moscow.", "LIFT", &rc);
        assert_int_equal(rc.r.reported_obligation, 0);
        roles_of("Russia said Japan had lifted its sanctions against Moscow.", "LIFTED", &rc);
        assert_int_equal(rc.r.reported_obligation, 0);
        /* Said of oneself, it stays the speaker's. */
        roles_of("Russia said it should lift its sanctions against Japan.", "LIFT", &rc);
        assert_int_equal(rc.r.reported_obligation, 0);
}

/* Coordinated subjects and objects that are units of their own each count
 * (TABARI's compound needs the members side by side). */
static void test_coordinated_units(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("France and the embattled Germany criticised China and the isolated Iran.",
                 "CRITICISED", &rc);
        assert_string_equal(rc.src, "FRA");
        assert_string_equal(rc.tgt, "CHN");
        assert_int_equal(rc.r.nsrc_more, 1);
        assert_int_equal(rc.r.ntgt_more, 1);
}

/* An infinitive after an object is the object's doing (object control);
 * without an object, the subject's. */
static void test_object_control(void **state)
{
        (void)state;
        EXPECT_ROLES("The UN urged Jordan to reopen its border with Syria.", "REOPEN", "JOR",
                     "SYR");
        EXPECT_ROLES("Jordan agreed to reopen its border with Syria.", "REOPEN", "JOR", "SYR");
}

/* The subject acts on the object. */
static void test_subject_object(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia criticised Japan on Monday.", "CRITICISED", "RUS", "JPN");
}

/* A headline: its capitals are no names to the parser. */
static void test_headline(void **state)
{
        (void)state;
        EXPECT_ROLES("Guadeloupe Approves of Greece's Policy on Trade", "APPROVES", "GLP", "GRC");
}

/* An object of the country that is the subject is its instrument: the
 * target is an oblique when one is named, else the object stays. Not for
 * agents of the country ("lawmakers" on "the government"). */
static void test_own_object(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia recalled its ambassador from Japan on Monday.", "RECALLED", "RUS",
                     "JPN");
        EXPECT_ROLES("Russia sent Russian troops into Georgia on Monday.", "SENT", "RUS", "GEO");
        EXPECT_ROLES("Russia criticised Japan in Tokyo on Monday.", "CRITICISED", "RUS", "JPN");
        EXPECT_ROLES("Russian lawmakers criticised the Russian government in Tokyo on Monday.",
                     "CRITICISED", "RUSLEG", "RUSGOV");
}

/* A passive: the agent after "by" acts on the subject. */
static void test_passive_agent(void **state)
{
        role_case_t rc;
        (void)state;
        EXPECT_ROLES("Japan was criticised by Russia on Monday.", "CRITICISED", "RUS", "JPN");
        roles_of("Japan was criticised by Russia on Monday.", "CRITICISED", &rc);
        assert_int_equal(rc.r.passive, 1);
        /* A participle with an agent is passive without an auxiliary of its
         * own: it shares its coordinate's ("and condemned by Russia"). */
        EXPECT_ROLES("Japan was criticised by China and condemned by Russia.", "CONDEMNED", "RUS",
                     "JPN");
        roles_of("Japan was criticised by China and condemned by Russia.", "CONDEMNED", &rc);
        assert_int_equal(rc.r.passive, 1);
}

/* No actor after the verb: the target is in an oblique ("on Japan"). */
static void test_oblique_target(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia imposed new sanctions on Japan.", "IMPOSED", "RUS", "JPN");
}

/* An infinitive's subject is its controller's ("agreed to meet"). */
static void test_xcomp_control(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia agreed to meet Japan next week.", "MEET", "RUS", "JPN");
}

/* Coordinated verbs share their subject. */
static void test_conj_shared_subject(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia met Japan and criticised China.", "CRITICISED", "RUS", "CHN");
}

/* A participle modifying a noun: "the sanctions imposed by Japan". */
static void test_participle_agent(void **state)
{
        (void)state;
        EXPECT_ROLES("Moscow condemned the sanctions imposed by Japan on Russia.", "IMPOSED", "JPN",
                     "RUS");
}

/* A verb of saying: the subject of its that-clause is what it is about. */
static void test_that_clause_target(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia said that Japan was a threat.", "SAID", "RUS", "JPN");
}

/* A subject that is no actor gives no source, even with an actor before it
 * in the sentence. */
static void test_subject_not_actor(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("In Russia, crowds attacked the Japanese embassy.", "ATTACKED", &rc);
        assert_string_equal(rc.src, "-");
        assert_int_equal(rc.r.has_subject, 1);
}

/* Negation and modality on the verb. */
static void test_negation_modal(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("Russia did not criticise Japan.", "CRITICISE", &rc);
        assert_int_equal(rc.r.negated, 1);
        assert_int_equal(rc.r.modal, 0);
        roles_of("Russia will criticise Japan.", "CRITICISE", &rc);
        assert_int_equal(rc.r.negated, 0);
        assert_int_equal(rc.r.modal, 1);
        roles_of("Russia criticised Japan.", "CRITICISED", &rc);
        assert_int_equal(rc.r.negated, 0);
        assert_int_equal(rc.r.modal, 0);
        /* Through an infinitive, not through "and". */
        roles_of("Russia did not agree to meet Japan.", "MEET", &rc);
        assert_int_equal(rc.r.negated, 1);
        roles_of("Russia did not attend and criticised Japan.", "CRITICISED", &rc);
        assert_int_equal(rc.r.negated, 0);
}

/* The subject pronoun of a that-clause is the speaker's, not the
 * sentence's first actor (a bare country is no "he"). */
static void test_speaker_pronoun(void **state)
{
        (void)state;
        EXPECT_ROLES("Because of sanctions imposed by Japan, the Russian government announced "
                     "that it would halt talks with Japan.",
                     "HALT", "RUSGOV", "JPN");
        EXPECT_ROLES("Despite protests from Japan, Mr Putin said that he would visit China.",
                     "VISIT", "RUSGOV", "CHN");
}

/* A conditional clause: "if ...". */
static void test_conditional(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("If Japan imposes new sanctions, Russia will expel the Japanese ambassador.",
                 "IMPOSES", &rc);
        assert_int_equal(rc.r.conditional, 1);
        roles_of("Japan imposed new sanctions on Russia on Monday.", "IMPOSED", &rc);
        assert_int_equal(rc.r.conditional, 0);
}

/* A possessive pronoun refers back to the source: no target of its own. */
static void test_possessive_pronoun(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia welcomed its new talks with Japan.", "WELCOMED", "RUS", "JPN");
}

/* "Kim Jong Un" holds no UN. */
static void test_name_inside_name(void **state)
{
        role_case_t rc;
        (void)state;
        roles_of("Kim Jong Un met Japan's prime minister.", "MET", &rc);
        assert_int_equal(rc.inside_name_units, 1);
        assert_string_not_equal(rc.src, "IGOUNO");
}

/* A place (places.actors, <PLACES>) that modifies a noun says where, not
 * who; named as the verb's object or oblique it stands for its state. */
static void test_place_modifier(void **state)
{
        (void)state;
        EXPECT_ROLES("Russia and Turkey are sponsoring the Geneva talks.", "SPONSORING", "RUS",
                     "-");
        EXPECT_ROLES("Russia criticised the Sochi conference on Monday.", "CRITICISED", "RUS", "-");
        EXPECT_ROLES("Israel bombed Afrin on Monday.", "BOMBED", "ISR", "SYR");
        EXPECT_ROLES("Russia criticised the talks in Syria on Monday.", "CRITICISED", "RUS", "SYR");
}

/* An object pronoun never stands for its own clause's subject (that would
 * be "itself"): it is the nearest other actor before it. */
static void test_object_pronoun_binding(void **state)
{
        (void)state;
        EXPECT_ROLES("Turkey, one of the bodies sponsoring the SNC, had been urging it to attend.",
                     "URGING", "TUR", "SYROPP");
        EXPECT_ROLES("Russia criticised Japan and urged it to lift sanctions.", "URGED", "RUS",
                     "JPN");
        /* Nor for those coordinated with the subject. */
        EXPECT_ROLES("Saudi Arabia, the UAE and Egypt imposed a boycott on Qatar last year, "
                     "accusing it of supporting militants.",
                     "ACCUSING", "SAU", "QAT");
        /* A possessive is no object: "its" may be the subject's own. */
        {
                role_case_t rc;
                roles_of("Russia met Japan and recalled its ambassador.", "RECALLED", &rc);
                assert_string_equal(rc.src, "RUS");
                assert_string_not_equal(rc.tgt, "JPN");
        }
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_subject_object),
            cmocka_unit_test(test_passive_agent),
            cmocka_unit_test(test_oblique_target),
            cmocka_unit_test(test_xcomp_control),
            cmocka_unit_test(test_conj_shared_subject),
            cmocka_unit_test(test_participle_agent),
            cmocka_unit_test(test_that_clause_target),
            cmocka_unit_test(test_subject_not_actor),
            cmocka_unit_test(test_negation_modal),
            cmocka_unit_test(test_conditional),
            cmocka_unit_test(test_possessive_pronoun),
            cmocka_unit_test(test_name_inside_name),
            cmocka_unit_test(test_preposition_rank),
            cmocka_unit_test(test_reported_obligation),
            cmocka_unit_test(test_coordinated_units),
            cmocka_unit_test(test_object_control),
            cmocka_unit_test(test_headline),
            cmocka_unit_test(test_own_object),
            cmocka_unit_test(test_place_modifier),
            cmocka_unit_test(test_object_pronoun_binding),
            cmocka_unit_test(test_speaker_pronoun),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
