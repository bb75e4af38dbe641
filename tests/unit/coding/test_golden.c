/* Golden articles: every tests/data/golden/NAME.expect.json names an input
 * (NAME.txt, NAME.html or NAME.json beside it, or "input") and the fields the
 * annotation must have. Entity assertions are partial: each expected entity
 * must match some actual one on the keys it gives ("source.country" reaches
 * into the actor), each *_absent one must match none.
 *
 * Events are compared as complete sets: "events" must list every event the
 * annotation has (an empty list when it has none). Each expected event
 * matches on the keys it gives, and expected and actual events are paired
 * one to one: an expected event no actual one is left for is missing, an
 * actual event no expectation is left for is unexpected, and both are
 * named. An expectation may carry "known_wrong" (why the event is wrong)
 * and "note": these are not matched on; a known-wrong event is expected
 * today so that a fix shows up as a change of this file. "events_absent"
 * entries must match no event, as before.
 *
 * The example article of ../shared is checked the same way from
 * tests/data/acceptance when DM_SHARED_DIR is there. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "demarche/dm_annotator.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_log.h"
#include "demarche/dm_result_json.h"
#include "dm_test_support.h"

static dm_dict_t *dict;
static dm_annotator_t *ann;
static char golden_dir[1024], accept_dir[1024], accept_parse_dir[1024], shared_dir[1024];

static int setup(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        char path[1024];
        (void)state;
        if (!src)
                return -1;
        snprintf(path, sizeof(path), "%s/dictionaries", src);
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        dict = dm_test_dict_load(path);
        if (!dict)
                return -1;
        ann = dm_annotator_new(dict);
        snprintf(golden_dir, sizeof(golden_dir), "%s/tests/data/golden", src);
        snprintf(accept_dir, sizeof(accept_dir), "%s/tests/data/acceptance", src);
        snprintf(accept_parse_dir, sizeof(accept_parse_dir), "%s/tests/data/acceptance_parse", src);
        snprintf(shared_dir, sizeof(shared_dir), "%s",
                 getenv("DM_SHARED_DIR") ? getenv("DM_SHARED_DIR") : "");
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        dm_annotator_destroy(ann);
        dm_dict_destroy(dict);
        return 0;
}

static char *slurp(const char *path, size_t *len)
{
        FILE *fp = fopen(path, "rb");
        char *buf;
        long n;
        if (!fp)
                return NULL;
        fseek(fp, 0, SEEK_END);
        n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        buf = malloc((size_t)n + 1);
        *len = fread(buf, 1, (size_t)n, fp);
        buf[*len] = '\0';
        fclose(fp);
        return buf;
}

/* The value at a dotted key of obj. */
static json_t *get_path(json_t *obj, const char *key)
{
        char buf[128], *dot;
        snprintf(buf, sizeof(buf), "%s", key);
        dot = strchr(buf, '.');
        if (!dot)
                return json_object_get(obj, buf);
        *dot = '\0';
        return get_path(json_object_get(obj, buf), dot + 1);
}

static int matches(json_t *actual, json_t *want)
{
        const char *k;
        json_t *v;
        json_object_foreach(want, k, v)
        {
                json_t *a;
                /* Annotations of the expectation, not fields of the event. */
                if (!strcmp(k, "known_wrong") || !strcmp(k, "note"))
                        continue;
                a = get_path(actual, k);
                if (json_is_null(v) ? !(a == NULL || json_is_null(a)) : !json_equal(a, v))
                        return 0;
        }
        return 1;
}

static int any_match(json_t *arr, json_t *want)
{
        size_t i;
        json_t *x;
        json_array_foreach(arr, i, x) if (matches(x, want)) return 1;
        return 0;
}

/* An actual event in one line, for messages: "SRC>TGT CODE trigger [pattern]
 * flags". */
static void describe_event(json_t *ev, char *out, size_t size)
{
        const char *src = json_string_value(get_path(ev, "source.code"));
        const char *tgt = json_string_value(get_path(ev, "target.code"));
        const char *code = json_string_value(json_object_get(ev, "cameo_code"));
        const char *trig = json_string_value(json_object_get(ev, "trigger"));
        const char *pat = json_string_value(json_object_get(ev, "pattern"));
        snprintf(out, size, "%s>%s %s \"%s\" [%s]%s%s%s (sentence %lld)", src ? src : "-",
                 tgt ? tgt : "-", code ? code : "?", trig ? trig : "", pat ? pat : "",
                 json_is_true(json_object_get(ev, "negated")) ? " negated" : "",
                 json_is_true(json_object_get(ev, "hypothetical")) ? " hypothetical" : "",
                 json_is_true(json_object_get(ev, "historical")) ? " historical" : "",
                 (long long)json_integer_value(json_object_get(ev, "sentence")));
}

/* Bipartite matching of expected to actual events (Kuhn's augmenting
 * paths): match_of_actual[a] is the expectation paired with actual a, or
 * -1. Returns whether expectation e found a partner. */
static int augment(const unsigned char *ok, size_t ngot, size_t e, int *match_of_actual,
                   unsigned char *seen)
{
        size_t a;
        for (a = 0; a < ngot; a++) {
                if (!ok[e * ngot + a] || seen[a])
                        continue;
                seen[a] = 1;
                if (match_of_actual[a] < 0 ||
                    augment(ok, ngot, (size_t)match_of_actual[a], match_of_actual, seen)) {
                        match_of_actual[a] = (int)e;
                        return 1;
                }
        }
        return 0;
}

/* Compares the complete event sets; returns the number of failures, each
 * printed. */
static int check_events(const char *base, json_t *want, json_t *got)
{
        size_t nwant = json_array_size(want), ngot = json_array_size(got), e, a;
        unsigned char *ok = calloc(nwant * ngot + 1, 1), *seen = calloc(ngot + 1, 1);
        int *match_of_actual = malloc((ngot + 1) * sizeof(int));
        unsigned char *paired = calloc(nwant + 1, 1);
        int fails = 0;
        char line[512];
        assert_true(ok && seen && match_of_actual && paired);
        if (!json_is_array(want)) {
                fprintf(stderr, "%s: \"events\" must list the complete event set\n", base);
                fails++;
        }
        for (e = 0; e < nwant; e++)
                for (a = 0; a < ngot; a++)
                        ok[e * ngot + a] =
                            (unsigned char)matches(json_array_get(got, a), json_array_get(want, e));
        for (a = 0; a < ngot; a++)
                match_of_actual[a] = -1;
        for (e = 0; e < nwant; e++) {
                memset(seen, 0, ngot + 1);
                paired[e] = (unsigned char)augment(ok, ngot, e, match_of_actual, seen);
        }
        for (e = 0; e < nwant; e++) {
                if (!paired[e]) {
                        char *d = json_dumps(json_array_get(want, e), JSON_COMPACT);
                        fprintf(stderr, "%s: missing event %s\n", base, d);
                        free(d);
                        fails++;
                }
        }
        for (a = 0; a < ngot; a++) {
                if (match_of_actual[a] < 0) {
                        describe_event(json_array_get(got, a), line, sizeof(line));
                        fprintf(stderr, "%s: unexpected event %s\n", base, line);
                        fails++;
                }
        }
        free(ok);
        free(seen);
        free(match_of_actual);
        free(paired);
        return fails;
}

/* Returns the number of failed assertions, each printed. */
static int check_one(const char *dir, const char *expect_name, const char *input_dir)
{
        char path[2048], err[512];
        json_t *exp, *got, *x;
        json_error_t jerr;
        dm_article_t art;
        dm_result_t res;
        dm_reject_reason_t reason;
        size_t len, i;
        char *body, *js, base[512];
        const char *input;
        int fails = 0;
        snprintf(path, sizeof(path), "%s/%s", dir, expect_name);
        exp = json_load_file(path, 0, &jerr);
        if (!exp) {
                fprintf(stderr, "%s: %s\n", path, jerr.text);
                return 1;
        }
        input = json_string_value(json_object_get(exp, "input"));
        snprintf(base, sizeof(base), "%s", expect_name);
        *strstr(base, ".expect.json") = '\0';
        if (input)
                snprintf(path, sizeof(path), "%s/%s", input_dir, input);
        else {
                static const char *exts[] = {".txt", ".html", ".json"};
                for (i = 0; i < 3; i++) {
                        struct stat st;
                        snprintf(path, sizeof(path), "%s/%s%s", input_dir, base, exts[i]);
                        if (stat(path, &st) == 0)
                                break;
                }
        }
        body = slurp(path, &len);
        if (!body) {
                fprintf(stderr, "%s: cannot read input %s\n", expect_name, path);
                json_decref(exp);
                return 1;
        }
        dm_article_init(&art);
        dm_result_init(&res);
        if (dm_envelope_parse(body, len, &art, &reason, err, sizeof(err)) ||
            dm_annotate(ann, &art, &res, &reason, err, sizeof(err))) {
                fprintf(stderr, "%s: rejected: %s\n", expect_name, err);
                free(body);
                json_decref(exp);
                return 1;
        }
        js = dm_result_to_json(&res, 0);
        got = json_loads(js, 0, &jerr);
        assert_non_null(got);
        if ((x = json_object_get(exp, "title")) && !json_equal(x, json_object_get(got, "title"))) {
                fprintf(stderr, "%s: title %s\n", base,
                        json_string_value(json_object_get(got, "title")));
                fails++;
        }
        /* The example article's title is checked by its hash, so that no
         * text of ../shared is copied into the repository. */
        if ((x = json_object_get(exp, "title_hash"))) {
                const char *t = json_string_value(json_object_get(got, "title"));
                char *h = dm_envelope_derive_id(t ? t : "", t ? strlen(t) : 0);
                if (strcmp(h, json_string_value(x))) {
                        fprintf(stderr, "%s: title hash %s\n", base, h);
                        fails++;
                }
                free(h);
        }
        if ((x = json_object_get(exp, "published_at")) &&
            !json_equal(x, json_object_get(got, "published_at"))) {
                fprintf(stderr, "%s: published_at %lld\n", base,
                        (long long)json_integer_value(json_object_get(got, "published_at")));
                fails++;
        }
        if ((x = json_object_get(exp, "sentence_count")) &&
            !json_equal(x, json_object_get(got, "sentence_count"))) {
                fprintf(stderr, "%s: sentence_count %lld\n", base,
                        (long long)json_integer_value(json_object_get(got, "sentence_count")));
                fails++;
        }
        json_array_foreach(json_object_get(exp, "themes"), i, x)
        {
                size_t k;
                json_t *t;
                int found = 0;
                json_array_foreach(json_object_get(got, "themes"), k, t) found |= json_equal(t, x);
                if (!found) {
                        fprintf(stderr, "%s: theme %s missing\n", base, json_string_value(x));
                        fails++;
                }
        }
        if ((x = json_object_get(exp, "top_country")) &&
            !json_equal(
                x, json_object_get(json_array_get(json_object_get(got, "countries"), 0), "code"))) {
                fprintf(stderr, "%s: top country differs\n", base);
                fails++;
        }
        json_array_foreach(json_object_get(exp, "text_contains"), i, x)
        {
                if (!strstr(res.text, json_string_value(x))) {
                        fprintf(stderr, "%s: text lacks \"%s\"\n", base, json_string_value(x));
                        fails++;
                }
        }
        json_array_foreach(json_object_get(exp, "text_excludes"), i, x)
        {
                if (strstr(res.text, json_string_value(x))) {
                        fprintf(stderr, "%s: text has \"%s\"\n", base, json_string_value(x));
                        fails++;
                }
        }
        {
                static const struct {
                        const char *want, *arr;
                        int present;
                } lists[] = {{"entities", "entities", 1},
                             {"entities_absent", "entities", 0},
                             {"events_absent", "events", 0}};
                size_t l;
                for (l = 0; l < 3; l++) {
                        json_array_foreach(json_object_get(exp, lists[l].want), i, x)
                        {
                                if (any_match(json_object_get(got, lists[l].arr), x) !=
                                    lists[l].present) {
                                        char *d = json_dumps(x, JSON_COMPACT);
                                        fprintf(stderr, "%s: %s %s\n", base,
                                                lists[l].present ? "missing" : "unexpected", d);
                                        free(d);
                                        fails++;
                                }
                        }
                }
        }
        fails += check_events(base, json_object_get(exp, "events"), json_object_get(got, "events"));
        if (fails) {
                char *d = json_dumps(got, JSON_INDENT(1));
                fprintf(stderr, "%s: got %s\n", base, d);
                free(d);
        }
        json_decref(got);
        json_decref(exp);
        free(js);
        free(body);
        dm_result_clear(&res);
        dm_article_clear(&art);
        return fails;
}

static int run_dir(const char *dir, const char *input_dir, int *count)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        int fails = 0;
        assert_non_null(d);
        while ((de = readdir(d))) {
                if (!strstr(de->d_name, ".expect.json"))
                        continue;
                (*count)++;
                fails += check_one(dir, de->d_name, input_dir);
        }
        closedir(d);
        return fails;
}

static void test_golden_articles(void **state)
{
        int count = 0;
        (void)state;
        assert_int_equal(run_dir(golden_dir, golden_dir, &count), 0);
        assert_true(count >= 10);
}

static void test_acceptance_example(void **state)
{
        char ex[1100];
        struct stat st;
        int count = 0;
        (void)state;
        snprintf(ex, sizeof(ex), "%s/examples", shared_dir);
        if (!shared_dir[0] || stat(ex, &st)) {
                printf("skipped: %s not found (DM_SHARED_DIR)\n", ex);
                skip();
        }
        assert_int_equal(run_dir(accept_dir, ex, &count), 0);
        assert_true(count >= 1);
}

/* The example article in parse mode, the default (tests/data/acceptance_parse). */
static void test_acceptance_example_parse(void **state)
{
        char ex[1100], err[512];
        struct stat st;
        int count = 0, rc;
        dm_annotator_t *tab = ann;
        (void)state;
        snprintf(ex, sizeof(ex), "%s/examples", shared_dir);
        if (!shared_dir[0] || stat(ex, &st)) {
                printf("skipped: %s not found (DM_SHARED_DIR)\n", ex);
                skip();
        }
        ann = dm_annotator_new(dict);
        if (dm_annotator_set_mode(ann, DM_CODER_MODE_PARSE, err, sizeof(err)))
                fail_msg("parse mode: %s", err);
        rc = run_dir(accept_parse_dir, ex, &count);
        dm_annotator_destroy(ann);
        ann = tab;
        assert_int_equal(rc, 0);
        assert_true(count >= 1);
}

/* The event-set comparison itself: one-to-one, partial keys, annotations
 * ignored, extra and missing events both counted. */
static void test_event_set_matching(void **state)
{
        json_error_t jerr;
        json_t *got = json_loads("[{\"cameo_code\":\"163\",\"source\":{\"code\":\"CAN\"},"
                                 "\"historical\":false},"
                                 "{\"cameo_code\":\"163\",\"source\":{\"code\":\"NOR\"},"
                                 "\"historical\":true}]",
                                 0, &jerr);
        json_t *want;
        (void)state;
        assert_non_null(got);
        /* Both listed, one by a partial key and a known-wrong note. */
        want = json_loads("[{\"source.code\":\"NOR\",\"known_wrong\":\"x\",\"note\":\"y\"},"
                          "{\"cameo_code\":\"163\"}]",
                          0, &jerr);
        assert_int_equal(check_events("self", want, got), 0);
        json_decref(want);
        /* One expectation cannot stand for two events: one is unexpected. */
        want = json_loads("[{\"cameo_code\":\"163\"}]", 0, &jerr);
        assert_int_equal(check_events("self", want, got), 1);
        json_decref(want);
        /* A greedy pairing would fail here (the first expectation takes NOR);
         * the matching finds CAN for it. */
        want = json_loads("[{\"cameo_code\":\"163\"},{\"historical\":true}]", 0, &jerr);
        assert_int_equal(check_events("self", want, got), 0);
        json_decref(want);
        /* Missing and unexpected both count. */
        want = json_loads("[{\"cameo_code\":\"164\"},{\"source.code\":\"CAN\"}]", 0, &jerr);
        assert_int_equal(check_events("self", want, got), 2);
        json_decref(want);
        /* No list at all: the complete set is required. */
        assert_true(check_events("self", NULL, got) >= 1);
        want = json_loads("[]", 0, &jerr);
        assert_int_equal(check_events("self", want, got), 2);
        assert_int_equal(check_events("self", want, json_array_get(want, 0)), 0);
        json_decref(want);
        json_decref(got);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_event_set_matching),
            cmocka_unit_test(test_golden_articles),
            cmocka_unit_test(test_acceptance_example),
            cmocka_unit_test(test_acceptance_example_parse),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
