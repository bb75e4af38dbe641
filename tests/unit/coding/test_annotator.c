/* Whole-article annotation through the public API (dm_annotator.h): the
 * result copies the article's fields, carries the cleaned text, sentences,
 * entities with salience summing to 1, events with their CAMEO facts and
 * flags, themes and ranked countries; empty articles are rejected with a
 * reason and a message; overlong text is cut at a UTF-8 boundary; a result
 * is cleared before reuse. Dictionaries: the tree's
 * (DEMARCHE_DICTIONARIES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "demarche/dm_annotator.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "dm_test_support.h"

#define APR_1_2023 1680343200000LL

static dm_dict_t *dict;
static dm_annotator_t *ann;

static int setup(void **state)
{
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        dict = dm_test_dict_load(dm_dict_default_spec());
        if (!dict)
                return -1;
        ann = dm_annotator_new(dict);
        return ann ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        dm_annotator_destroy(ann);
        dm_dict_destroy(dict);
        return 0;
}

/* The title is the cleaned text's first paragraph ("title\n\nlead..."),
 * so the tests that count sentences or cut the text give none. */
static void make_article(dm_article_t *art, const char *title, const char *body, int html,
                         int64_t ms)
{
        dm_article_init(art);
        art->id = dm_strdup("art-7");
        art->url = dm_strdup("https://example.org/7");
        art->title = title ? dm_strdup(title) : NULL;
        art->source = dm_strdup("example");
        art->language = dm_strdup("en");
        art->body = dm_strdup(body);
        art->body_len = strlen(body);
        art->content_type = html ? DM_CONTENT_HTML : DM_CONTENT_TEXT;
        art->published_ms = ms;
}

/* Annotates body (text) into *res; returns dm_annotate's result. */
static int annotate(const char *body, int64_t ms, dm_result_t *res, dm_reject_reason_t *reason,
                    char *err, size_t err_size)
{
        dm_article_t art;
        int rc;
        make_article(&art, NULL, body, 0, ms);
        rc = dm_annotate(ann, &art, res, reason, err, err_size);
        dm_article_clear(&art);
        return rc;
}

static const char *who(const dm_actor_ref_t *a)
{
        return a->country ? a->country : a->code ? a->code : "-";
}

/* The event SRC>TGT with code, or NULL. */
static const dm_event_t *find_event(const dm_result_t *r, const char *src, const char *tgt,
                                    const char *code)
{
        size_t i;
        for (i = 0; i < r->event_count; i++)
                if (!strcmp(who(&r->events[i].source), src) &&
                    !strcmp(who(&r->events[i].target), tgt) &&
                    !strcmp(r->events[i].cameo_code, code))
                        return &r->events[i];
        return NULL;
}

static const dm_entity_t *find_country(const dm_result_t *r, const char *code)
{
        size_t i;
        for (i = 0; i < r->entity_count; i++)
                if (r->entities[i].type == DM_ENTITY_COUNTRY && r->entities[i].code &&
                    !strcmp(r->entities[i].code, code))
                        return &r->entities[i];
        return NULL;
}

static void test_new_destroy(void **state)
{
        dm_annotator_t *a = dm_annotator_new(dict);
        (void)state;
        assert_non_null(a);
        dm_annotator_destroy(a);
        dm_annotator_destroy(NULL); /* a no-op */
}

static void test_article_fields_and_event(void **state)
{
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        const dm_event_t *ev;
        double sum = 0;
        size_t i;
        (void)state;
        dm_result_init(&r);
        assert_int_equal(annotate("Canada imposed sanctions against Belarus on Friday. Ottawa "
                                  "said the sanctions target officials.",
                                  APR_1_2023, &r, &reason, err, sizeof(err)),
                         0);
        assert_string_equal(r.article_id, "art-7");
        assert_string_equal(r.url, "https://example.org/7");
        assert_null(r.title); /* none given, and a first line ending in '.' is no headline */
        assert_string_equal(r.source, "example");
        assert_string_equal(r.language, "en");
        assert_int_equal(r.published_ms, APR_1_2023);
        assert_true(r.annotated_ms > APR_1_2023);
        assert_int_equal(r.sentence_count, 2);
        assert_non_null(strstr(r.text, "Canada imposed sanctions against Belarus"));

        ev = find_event(&r, "CAN", "BLR", "163");
        assert_non_null(ev);
        assert_string_equal(ev->cameo_root, "16");
        assert_int_equal(ev->quad_class, 4);
        assert_true(ev->goldstein < 0);
        assert_string_equal(ev->plover_category, "COERCE");
        assert_int_equal(ev->sentence, 0);
        assert_int_equal(ev->negated, 0);
        assert_int_equal(ev->hypothetical, 0);
        assert_int_equal(ev->historical, 0);
        /* Offsets into the cleaned text point at the actors' words. */
        assert_true(ev->source.start >= 0 && ev->source.end > ev->source.start);
        assert_memory_equal(r.text + ev->source.start, "Canada", 6);

        assert_non_null(find_country(&r, "CAN"));
        assert_non_null(find_country(&r, "BLR"));
        for (i = 0; i < r.entity_count; i++) {
                assert_true(r.entities[i].salience > 0 && r.entities[i].salience <= 1);
                sum += r.entities[i].salience;
        }
        assert_true(fabs(sum - 1.0) < 1e-6);
        /* Two mentions of sanctions and a 163 event. */
        {
                int found = 0;
                for (i = 0; i < r.theme_count; i++)
                        found |= !strcmp(r.themes[i], "sanctions");
                assert_true(found);
        }
        assert_true(r.country_count >= 2);
        assert_string_equal(r.countries[0].code, "CAN"); /* Canada and Ottawa */
        dm_result_clear(&r);
}

static void test_title_first(void **state)
{
        dm_article_t art;
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        (void)state;
        make_article(&art, "Canada recalls envoy", "Canada recalled its ambassador from Peru.", 0,
                     APR_1_2023);
        dm_result_init(&r);
        assert_int_equal(dm_annotate(ann, &art, &r, &reason, err, sizeof(err)), 0);
        assert_string_equal(r.title, "Canada recalls envoy");
        assert_int_equal(strncmp(r.text, "Canada recalls envoy\n\n", 22), 0);
        assert_int_equal(r.sentence_count, 2);
        dm_result_clear(&r);
        dm_article_clear(&art);
}

static void test_empty_rejected(void **state)
{
        dm_result_t r;
        dm_reject_reason_t reason = DM_REJECT_REASON_COUNT;
        char err[256] = "";
        (void)state;
        dm_result_init(&r);
        assert_int_equal(annotate("   \n\n  ", APR_1_2023, &r, &reason, err, sizeof(err)), -1);
        assert_int_equal(reason, DM_REJECT_EMPTY);
        assert_string_equal(err, "no text left after cleaning");
        assert_null(r.article_id);
        assert_int_equal(r.event_count, 0);
        dm_result_clear(&r);
}

static void test_html_body(void **state)
{
        static const char html[] = "<html><head><title>T</title><script>var Japan = 1;</script>"
                                   "</head><body><p>Norway hosted Colombian envoys in Oslo on "
                                   "Monday.</p></body></html>";
        dm_article_t art;
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        (void)state;
        make_article(&art, NULL, html, 1, APR_1_2023);
        dm_result_init(&r);
        assert_int_equal(dm_annotate(ann, &art, &r, &reason, err, sizeof(err)), 0);
        assert_non_null(strstr(r.text, "Norway hosted Colombian envoys"));
        assert_null(strstr(r.text, "<p>"));
        assert_null(strstr(r.text, "var Japan"));
        assert_null(find_country(&r, "JPN"));
        assert_non_null(find_country(&r, "NOR"));
        dm_result_clear(&r);
        dm_article_clear(&art);
}

static void test_max_text_utf8_boundary(void **state)
{
        dm_annotator_t *a = dm_annotator_new(dict);
        dm_article_t art;
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        (void)state;
        /* "Ab " then five two-byte e-acutes: a cut at byte 10 falls inside
         * the fourth, so the text keeps three. */
        dm_annotator_set_max_text(a, 10);
        make_article(&art, NULL, "Ab \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 0, -1);
        dm_result_init(&r);
        assert_int_equal(dm_annotate(a, &art, &r, &reason, err, sizeof(err)), 0);
        assert_string_equal(r.text, "Ab \xc3\xa9\xc3\xa9\xc3\xa9");
        assert_int_equal(r.published_ms, -1);
        dm_result_clear(&r);
        dm_article_clear(&art);
        dm_annotator_destroy(a);
}

static void test_result_reused(void **state)
{
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        (void)state;
        dm_result_init(&r);
        assert_int_equal(annotate("Canada imposed sanctions against Belarus.", APR_1_2023, &r,
                                  &reason, err, sizeof(err)),
                         0);
        assert_non_null(find_event(&r, "CAN", "BLR", "163"));
        /* Annotating into the same result clears it first. */
        assert_int_equal(
            annotate("The weather was fine.", APR_1_2023, &r, &reason, err, sizeof(err)), 0);
        assert_int_equal(r.event_count, 0);
        assert_null(find_country(&r, "CAN"));
        assert_int_equal(r.sentence_count, 1);
        dm_result_clear(&r);
}

static void test_flags_and_carried_past(void **state)
{
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        const dm_event_t *ev;
        (void)state;
        dm_result_init(&r);
        /* A sentence set in 1998 makes the next one, naming no time of its
         * own, past as well (dm_flags_sentence). */
        assert_int_equal(annotate("In 1998 Chile signed a border agreement with Bolivia. Peru "
                                  "accused Chile of spying.",
                                  APR_1_2023, &r, &reason, err, sizeof(err)),
                         0);
        ev = find_event(&r, "CHL", "BOL", "057");
        assert_non_null(ev);
        assert_int_equal(ev->historical, 1);
        /* Accusing of spying: 1125 (the verbs dictionary's pattern). */
        ev = find_event(&r, "PER", "CHL", "1125");
        assert_non_null(ev);
        assert_int_equal(ev->historical, 1);
        assert_int_equal(ev->sentence, 1);
        /* A time of its own ends the carry-over. */
        assert_int_equal(annotate("In 1998 Chile signed a border agreement with Bolivia. On "
                                  "Monday, Peru accused Chile of spying.",
                                  APR_1_2023, &r, &reason, err, sizeof(err)),
                         0);
        ev = find_event(&r, "PER", "CHL", "112");
        assert_non_null(ev);
        assert_int_equal(ev->historical, 0);
        /* Without an article date the reference is the start of last
         * year: 1998 is history, last year is not judged. */
        assert_int_equal(annotate("In 1998 Chile signed a border agreement with Bolivia.", -1, &r,
                                  &reason, err, sizeof(err)),
                         0);
        ev = find_event(&r, "CHL", "BOL", "057");
        assert_non_null(ev);
        assert_int_equal(ev->historical, 1);
        {
                char text[128];
                time_t now = time(NULL);
                struct tm tm;
                gmtime_r(&now, &tm);
                snprintf(text, sizeof(text), "In %d Chile signed a border agreement with Bolivia.",
                         tm.tm_year + 1900 - 1);
                assert_int_equal(annotate(text, -1, &r, &reason, err, sizeof(err)), 0);
                ev = find_event(&r, "CHL", "BOL", "057");
                assert_non_null(ev);
                assert_int_equal(ev->historical, 0);
        }
        /* Negated and hypothetical. */
        assert_int_equal(annotate("Senegal did not sign the agreement with Mali. Ghana would "
                                  "impose sanctions against Togo.",
                                  APR_1_2023, &r, &reason, err, sizeof(err)),
                         0);
        ev = find_event(&r, "GHA", "TGO", "163");
        assert_non_null(ev);
        assert_int_equal(ev->hypothetical, 1);
        assert_int_equal(ev->negated, 0);
        ev = find_event(&r, "SEN", "MLI", "057");
        assert_non_null(ev);
        assert_int_equal(ev->negated, 1);
        dm_result_clear(&r);
}

/* The frames and domestic rules can be switched off (coder.frames): then
 * no event comes from them. */
static void test_frames_switch(void **state)
{
        dm_result_t r;
        dm_reject_reason_t reason;
        char err[256];
        size_t i;
        int from_rules = 0;
        const char *text = "Police in Kenya arrested dozens of protesters in Nairobi on Tuesday. "
                           "Venezuela and Guyana agreed to resume talks over the border on Monday.";
        (void)state;
        dm_result_init(&r);
        assert_int_equal(annotate(text, APR_1_2023, &r, &reason, err, sizeof(err)), 0);
        for (i = 0; i < r.event_count; i++)
                from_rules |=
                    r.events[i].pattern && (!strncmp(r.events[i].pattern, "frame:", 6) ||
                                            !strncmp(r.events[i].pattern, "domestic:", 9));
        assert_true(from_rules);
        dm_annotator_set_frames(ann, 0);
        assert_int_equal(annotate(text, APR_1_2023, &r, &reason, err, sizeof(err)), 0);
        dm_annotator_set_frames(ann, 1);
        for (i = 0; i < r.event_count; i++) {
                assert_true(strncmp(r.events[i].pattern, "frame:", 6) != 0);
                assert_true(strncmp(r.events[i].pattern, "domestic:", 9) != 0);
        }
        dm_result_clear(&r);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_new_destroy),   cmocka_unit_test(test_article_fields_and_event),
            cmocka_unit_test(test_title_first),   cmocka_unit_test(test_empty_rejected),
            cmocka_unit_test(test_html_body),     cmocka_unit_test(test_max_text_utf8_boundary),
            cmocka_unit_test(test_result_reused), cmocka_unit_test(test_flags_and_carried_past),
            cmocka_unit_test(test_frames_switch),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
