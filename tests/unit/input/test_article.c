/* The data model (dm_article): init values (-1 for unknown times and
 * offsets), clear frees everything and reinitialises (ASan checks the
 * frees), appended entities and events start zeroed, and the enum names
 * are exactly the symbols of the Avro schemas (read from schemas/ in the
 * source tree, DM_SOURCE_DIR). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_article.h"
#include "demarche/dm_mem.h"

static void test_article_init_clear(void **state)
{
        dm_article_t a;
        (void)state;
        memset(&a, 0x5a, sizeof(a));
        dm_article_init(&a);
        assert_null(a.id);
        assert_null(a.body);
        assert_int_equal(a.body_len, 0);
        assert_int_equal(a.published_ms, -1);
        assert_int_equal(a.charset, DM_CHARSET_UTF8);
        a.id = dm_strdup("x");
        a.url = dm_strdup("u");
        a.title = dm_strdup("t");
        a.body = dm_strdup("b");
        a.body_len = 1;
        a.published_at = dm_strdup("2024-01-01");
        a.published_ms = 5;
        a.source = dm_strdup("s");
        a.language = dm_strdup("en");
        dm_article_clear(&a);
        assert_null(a.id);
        assert_null(a.language);
        assert_int_equal(a.body_len, 0);
        assert_int_equal(a.published_ms, -1);
        dm_article_clear(&a); /* twice is harmless */
}

static void test_result_add_and_clear(void **state)
{
        dm_result_t r;
        dm_entity_t *e;
        dm_event_t *ev;
        size_t i;
        (void)state;
        dm_result_init(&r);
        assert_int_equal(r.published_ms, -1);
        assert_int_equal(r.entity_count, 0);
        for (i = 0; i < 20; i++) {
                e = dm_result_add_entity(&r);
                assert_int_equal(e->start, -1);
                assert_int_equal(e->end, -1);
                assert_null(e->name);
                assert_int_equal(e->mentions, 0);
                e->name = dm_strdup("n");
                e->code = dm_strdup("c");
                e->country = dm_strdup("k");
                e->iso3 = dm_strdup("i");
        }
        assert_int_equal(r.entity_count, 20);
        assert_string_equal(r.entities[0].name, "n"); /* kept across growth */
        ev = dm_result_add_event(&r);
        assert_int_equal(ev->source.start, -1);
        assert_int_equal(ev->target.end, -1);
        assert_null(ev->cameo_code);
        assert_int_equal(ev->historical, 0);
        ev->source.code = dm_strdup("A");
        ev->source.country = dm_strdup("A");
        ev->source.text = dm_strdup("A");
        ev->target.code = dm_strdup("B");
        ev->cameo_code = dm_strdup("010");
        ev->cameo_root = dm_strdup("01");
        ev->plover_category = dm_strdup("x");
        ev->plover_mode = dm_strdup("x");
        ev->plover_context = dm_strdup("x");
        ev->trigger = dm_strdup("x");
        ev->pattern = dm_strdup("x");
        r.themes = dm_calloc(1, sizeof(char *));
        r.themes[0] = dm_strdup("sanctions");
        r.theme_count = 1;
        r.countries = dm_calloc(1, sizeof(*r.countries));
        r.countries[0].code = dm_strdup("RUS");
        r.countries[0].iso3 = dm_strdup("RUS");
        r.countries[0].name = dm_strdup("Russia");
        r.country_count = 1;
        r.article_id = dm_strdup("a");
        r.text = dm_strdup("text");
        r.published_ms = 7;
        dm_result_clear(&r);
        assert_int_equal(r.entity_count, 0);
        assert_int_equal(r.event_count, 0);
        assert_int_equal(r.theme_count, 0);
        assert_null(r.entities);
        assert_null(r.text);
        assert_int_equal(r.published_ms, -1);
        /* Usable again after clear. */
        dm_result_add_event(&r);
        assert_int_equal(r.event_count, 1);
        dm_result_clear(&r);
}

/* The "symbols" of the enum named name in schema file. */
static json_t *symbols(const char *file, const char *name)
{
        const char *src = getenv("DM_SOURCE_DIR");
        char path[1024];
        json_error_t jerr;
        json_t *schema, *found = NULL;
        char *text, *p;
        if (!src)
                return NULL;
        snprintf(path, sizeof(path), "%s/schemas/%s", src, file);
        schema = json_load_file(path, 0, &jerr);
        assert_non_null(schema);
        /* Find the enum by a textual search of its dump: the schemas nest
         * it inside record fields and unions. */
        text = json_dumps(schema, JSON_COMPACT);
        p = strstr(text, name);
        assert_non_null(p);
        p = strstr(p, "\"symbols\":");
        assert_non_null(p);
        found = json_loads(p + 10, JSON_DISABLE_EOF_CHECK, &jerr);
        assert_non_null(found);
        free(text);
        json_decref(schema);
        return found;
}

static dm_event_t *add_event(dm_result_t *r, const char *src, const char *tgt, const char *code,
                             int32_t sentence, const char *trigger)
{
        dm_event_t *ev = dm_result_add_event(r);
        ev->source.code = dm_strdup(src);
        ev->source.country = strncmp(src, "IGO", 3) ? dm_strndup(src, 3) : NULL;
        ev->target.code = tgt ? dm_strdup(tgt) : NULL;
        ev->target.country = tgt ? dm_strndup(tgt, 3) : NULL;
        ev->cameo_code = dm_strdup(code);
        ev->sentence = sentence;
        ev->trigger = dm_strdup(trigger);
        return ev;
}

/* One event per source, target, code and flags per article, with its
 * mentions (the sentences that report it), sentences and distinct
 * triggers; a country and one of its agents are one actor told at two
 * levels of detail, and the finer stays. */
static void test_merge_events(void **state)
{
        dm_result_t r;
        (void)state;
        dm_result_init(&r);
        add_event(&r, "RUS", "JPN", "164", 0, "scraps");
        add_event(&r, "JPN", "RUS", "163", 1, "sanctions");
        add_event(&r, "RUS", "JPN", "164", 3, "broken off");
        add_event(&r, "RUS", "JPN", "164", 3, "Scraps");
        add_event(&r, "RUS", "JPN", "164", 2, "withdrew")->historical = 1;
        add_event(&r, "RUS", NULL, "010", 4, "said");
        add_event(&r, "RUS", NULL, "010", 5, "said");
        add_event(&r, "RUSGOV", "JPN", "164", 5, "scraps");
        add_event(&r, "JPNGOV", "RUSGOV", "163", 6, "sanctioning");
        add_event(&r, "JPNMIL", "RUSGOV", "163", 7, "sanctioning");
        add_event(&r, "IGOUNO", "RUS", "111", 8, "condemned");
        add_event(&r, "IGOWSTNAT", "RUS", "111", 8, "condemned");
        dm_result_merge_events(&r);
        assert_int_equal(r.event_count, 7);
        /* The first report keeps its place and fields; the agent of a later
         * report refines its source. */
        assert_string_equal(r.events[0].cameo_code, "164");
        assert_string_equal(r.events[0].source.code, "RUSGOV");
        assert_string_equal(r.events[0].target.code, "JPN");
        assert_int_equal(r.events[0].sentence, 0);
        assert_string_equal(r.events[0].trigger, "scraps");
        /* Two codings of sentence 3 are one mention. */
        assert_int_equal(r.events[0].mentions, 3);
        assert_int_equal(r.events[0].sentence_count, 3);
        assert_int_equal(r.events[0].sentences[0], 0);
        assert_int_equal(r.events[0].sentences[1], 3);
        assert_int_equal(r.events[0].sentences[2], 5);
        /* Triggers differing in case only are one. */
        assert_int_equal(r.events[0].trigger_count, 2);
        assert_string_equal(r.events[0].triggers[0], "scraps");
        assert_string_equal(r.events[0].triggers[1], "broken off");
        /* Both sides refined by a later report. */
        assert_string_equal(r.events[1].cameo_code, "163");
        assert_string_equal(r.events[1].source.code, "JPNGOV");
        assert_string_equal(r.events[1].target.code, "RUSGOV");
        assert_int_equal(r.events[1].mentions, 2);
        assert_int_equal(r.events[1].sentence_count, 2);
        assert_int_equal(r.events[1].sentences[0], 1);
        assert_int_equal(r.events[1].sentences[1], 6);
        /* Other flags, other event; no target merges with no target. */
        assert_int_equal(r.events[2].historical, 1);
        assert_null(r.events[3].target.code);
        assert_int_equal(r.events[3].mentions, 2);
        /* Two agents of one country are two actors, and so are two
         * organisations. */
        assert_string_equal(r.events[4].source.code, "JPNMIL");
        assert_int_equal(r.events[4].mentions, 1);
        assert_string_equal(r.events[5].source.code, "IGOUNO");
        assert_string_equal(r.events[6].source.code, "IGOWSTNAT");
        /* Merging again changes nothing. */
        dm_result_merge_events(&r);
        assert_int_equal(r.event_count, 7);
        assert_int_equal(r.events[0].mentions, 3);
        assert_int_equal(r.events[0].sentence_count, 3);
        dm_result_clear(&r);
}

static void test_names_match_schemas(void **state)
{
        json_t *s;
        size_t i;
        (void)state;
        s = symbols("RejectedArticle.avsc", "\"RejectReason\"");
        if (!s) {
                printf("skipped: DM_SOURCE_DIR not set\n");
                skip();
        }
        assert_int_equal(json_array_size(s), DM_REJECT_REASON_COUNT);
        for (i = 0; i < DM_REJECT_REASON_COUNT; i++)
                assert_string_equal(dm_reject_reason_name((dm_reject_reason_t)i),
                                    json_string_value(json_array_get(s, i)));
        json_decref(s);
        /* Out of range: the schema's default symbol. */
        assert_string_equal(dm_reject_reason_name(DM_REJECT_REASON_COUNT), "ANNOTATION_ERROR");
        s = symbols("AnnotatedArticle.avsc", "\"EntityType\"");
        /* The schema has UNKNOWN last, for symbols added later. */
        assert_int_equal(json_array_size(s), DM_ENTITY_TYPE_COUNT + 1);
        for (i = 0; i < DM_ENTITY_TYPE_COUNT; i++)
                assert_string_equal(dm_entity_type_name((dm_entity_type_t)i),
                                    json_string_value(json_array_get(s, i)));
        assert_string_equal(dm_entity_type_name(DM_ENTITY_TYPE_COUNT),
                            json_string_value(json_array_get(s, DM_ENTITY_TYPE_COUNT)));
        json_decref(s);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_article_init_clear),
            cmocka_unit_test(test_result_add_and_clear),
            cmocka_unit_test(test_merge_events),
            cmocka_unit_test(test_names_match_schemas),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
