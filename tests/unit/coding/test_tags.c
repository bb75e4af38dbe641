/* Document tags (dm_tags): salience normalised to sum 1, themes from the
 * text's words (twice, or once with an event of the theme's codes that is
 * not historical), and the countries ranked by the salience of their own
 * mentions (full weight) and of their people, bodies and places (half).
 * Results are built by hand; country names come from the tree's
 * dictionaries (DEMARCHE_DICTIONARIES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coding/dm_tags.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "dm_test_support.h"

static dm_dict_t *dict;

static int setup(void **state)
{
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        dict = dm_test_dict_load(dm_dict_default_spec());
        return dict ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        dm_dict_destroy(dict);
        return 0;
}

static void add_entity(dm_result_t *r, dm_entity_type_t type, const char *name, const char *country,
                       double salience)
{
        dm_entity_t *e = dm_result_add_entity(r);
        e->type = type;
        e->name = dm_strdup(name);
        e->country = country ? dm_strdup(country) : NULL;
        e->salience = salience;
}

static void add_event(dm_result_t *r, const char *code, int historical)
{
        dm_event_t *ev = dm_result_add_event(r);
        ev->cameo_code = dm_strdup(code);
        ev->historical = historical;
}

static int has_theme(const dm_result_t *r, const char *name)
{
        size_t i;
        for (i = 0; i < r->theme_count; i++)
                if (!strcmp(r->themes[i], name))
                        return 1;
        return 0;
}

/* The themes of text with at most one event (code NULL: none). */
static int theme_of(const char *text, const char *code, int historical, const char *name)
{
        dm_result_t r;
        int has;
        dm_result_init(&r);
        r.text = dm_strdup(text);
        if (code)
                add_event(&r, code, historical);
        dm_tags_document(dict, &r);
        has = has_theme(&r, name);
        dm_result_clear(&r);
        return has;
}

static void test_salience_normalised(void **state)
{
        dm_result_t r;
        (void)state;
        dm_result_init(&r);
        add_entity(&r, DM_ENTITY_COUNTRY, "Russia", "RUS", 3);
        add_entity(&r, DM_ENTITY_COUNTRY, "Japan", "JPN", 2);
        add_entity(&r, DM_ENTITY_PERSON, "Someone", NULL, 1);
        dm_tags_salience(&r);
        assert_true(fabs(r.entities[0].salience - 0.5) < 1e-9);
        assert_true(fabs(r.entities[1].salience - 2.0 / 6) < 1e-9);
        assert_true(fabs(r.entities[2].salience - 1.0 / 6) < 1e-9);
        dm_result_clear(&r);

        /* All zero: stays zero (no division by zero). */
        dm_result_init(&r);
        add_entity(&r, DM_ENTITY_COUNTRY, "Russia", "RUS", 0);
        dm_tags_salience(&r);
        assert_true(r.entities[0].salience == 0.0);
        dm_result_clear(&r);

        /* No entities. */
        dm_result_init(&r);
        dm_tags_salience(&r);
        assert_int_equal(r.entity_count, 0);
        dm_result_clear(&r);
}

static void test_themes_from_words(void **state)
{
        (void)state;
        /* Twice, case-insensitively, at word starts. */
        assert_true(theme_of("Sanctions came. More SANCTIONS followed.", NULL, 0, "sanctions"));
        assert_true(theme_of("They kept sanctioning; it was sanctioned.", NULL, 0, "sanctions"));
        /* Once is not enough without an event. */
        assert_false(theme_of("Sanctions came, then rain.", NULL, 0, "sanctions"));
        /* Inside a word is no mention. */
        assert_false(theme_of("Unsanctioned and unsanctionable.", NULL, 0, "sanctions"));
        /* Multi-word theme phrases. */
        assert_true(theme_of("An asset freeze and an embargo.", NULL, 0, "sanctions"));
        assert_true(theme_of("Nuclear talks on uranium.", NULL, 0, "nuclear"));
        assert_false(theme_of("Nuclear talks.", NULL, 0, "nuclear"));
        assert_false(theme_of("", NULL, 0, "sanctions"));
}

static void test_themes_from_events(void **state)
{
        (void)state;
        /* Once, with an event of one of the theme's codes. */
        assert_true(theme_of("Sanctions came, then rain.", "163", 0, "sanctions"));
        assert_true(theme_of("Sanctions came, then rain.", "1621", 0, "sanctions"));
        /* A historical event does not count, nor one of another code. */
        assert_false(theme_of("Sanctions came, then rain.", "163", 1, "sanctions"));
        assert_false(theme_of("Sanctions came, then rain.", "042", 0, "sanctions"));
        /* An event alone, without the words, is no theme. */
        assert_false(theme_of("Rain came.", "163", 0, "sanctions"));
        /* Themes without codes need two mentions whatever the events. */
        assert_false(theme_of("A visa.", "163", 0, "travel_visas"));
}

static void test_countries_ranked(void **state)
{
        dm_result_t r;
        double sum = 0;
        size_t i;
        (void)state;
        dm_result_init(&r);
        r.text = dm_strdup("Text.");
        add_entity(&r, DM_ENTITY_COUNTRY, "Japan", "JPN", 0.2);
        add_entity(&r, DM_ENTITY_COUNTRY, "Russia", "RUS", 0.5);
        /* A person counts half for the country. */
        add_entity(&r, DM_ENTITY_PERSON, "Fumio Kishida", "JPN", 0.3);
        /* Skipped: no country, a code that is no country, unknown. */
        add_entity(&r, DM_ENTITY_ORGANIZATION, "NATO", NULL, 0.4);
        add_entity(&r, DM_ENTITY_ORGANIZATION, "UN", "IGOUNO", 0.4);
        add_entity(&r, DM_ENTITY_COUNTRY, "Nowhere", "XXQ", 0.4);
        dm_tags_document(dict, &r);
        assert_int_equal(r.country_count, 2);
        /* RUS 0.5, JPN 0.2 + 0.5 * 0.3 = 0.35, normalised by 0.85. */
        assert_string_equal(r.countries[0].code, "RUS");
        assert_string_equal(r.countries[0].name, "Russia");
        assert_string_equal(r.countries[0].iso3, "RUS");
        assert_true(fabs(r.countries[0].score - 0.5 / 0.85) < 1e-9);
        assert_string_equal(r.countries[1].code, "JPN");
        assert_string_equal(r.countries[1].name, "Japan");
        assert_true(fabs(r.countries[1].score - 0.35 / 0.85) < 1e-9);
        for (i = 0; i < r.country_count; i++)
                sum += r.countries[i].score;
        assert_true(fabs(sum - 1.0) < 1e-9);
        dm_result_clear(&r);
}

static void test_countries_tie_by_code(void **state)
{
        dm_result_t r;
        (void)state;
        dm_result_init(&r);
        add_entity(&r, DM_ENTITY_COUNTRY, "Russia", "RUS", 0.25);
        add_entity(&r, DM_ENTITY_COUNTRY, "Japan", "JPN", 0.25);
        add_entity(&r, DM_ENTITY_LOCATION, "Berlin", "DEU", 0.5);
        dm_tags_document(dict, &r);
        assert_int_equal(r.country_count, 3);
        /* Equal scores: by code. */
        assert_string_equal(r.countries[0].code, "DEU");
        assert_string_equal(r.countries[1].code, "JPN");
        assert_string_equal(r.countries[2].code, "RUS");
        assert_true(fabs(r.countries[0].score - 1.0 / 3) < 1e-9);
        dm_result_clear(&r);
}

static void test_empty_result(void **state)
{
        dm_result_t r;
        (void)state;
        dm_result_init(&r); /* text NULL */
        dm_tags_salience(&r);
        dm_tags_document(dict, &r);
        assert_int_equal(r.theme_count, 0);
        assert_int_equal(r.country_count, 0);
        dm_result_clear(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_salience_normalised),   cmocka_unit_test(test_themes_from_words),
            cmocka_unit_test(test_themes_from_events),    cmocka_unit_test(test_countries_ranked),
            cmocka_unit_test(test_countries_tie_by_code), cmocka_unit_test(test_empty_result),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
