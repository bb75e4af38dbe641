/* The event coder on a small TABARI-format dictionary: default source and
 * target, patterns with $ and +, paired codes, passive voice, agents,
 * compounds, pronouns, discards, date-restricted codes, offsets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_validate.h"
#include "dm_test_support.h"

static char dm_test_dir[] = "/tmp/dm_test_coder_XXXXXX";
static dm_dict_t *dm_test_dict;

static int setup(void **state)
{
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        if (dm_test_mkdtemp(dm_test_dir) != 0)
                return -1;
        dm_test_dict = dm_test_tabari_dict(
            dm_test_dir,
            "<ADJECTIVE>\nEVIL\n</ADJECTIVE>\n"
            "ARNOR [ARN]\nGONDOR [GON]\nMORDOR [ORC]\n"
            "GOLLUM [HOB <950601] [HOBGOV]\n"
            "VOLLEYBALL [###]\n~~FINISH\n",
            "PRESIDENT_ [~GOVPRS]\nSOLDIERS_ [~MIL]\n",
            "ACCUSE [112]\n"
            "ATTACK [190]\n"
            "- + WAS * BY $ [195]\n"
            "MEET [031:031]\n"
            "VISIT [032:033]\n"
            "SAID [010?]\n"
            "PRAISE [051]\n"
            "~~FINISH\n",
            "<ISSUE CATEGORY=\"1\">\nRING_ [MAGIC]\nCOUNCIL [POLITY]\n</ISSUE>\n");
        return dm_test_dict ? 0 : -1;
}

static int teardown(void **state)
{
        (void)state;
        dm_dict_destroy(dm_test_dict);
        return dm_test_rmdir(dm_test_dir);
}

/* Codes text and renders the events as "SRC/TGT/CODE;..." sorted. */
static void code(const char *text, long ymd, char *out, size_t size)
{
        dm_coder_t *c = dm_coder_new(dm_test_dict);
        dm_coded_sentence_t cs;
        size_t i;
        out[0] = '\0';
        dm_coder_code_ymd(c, text, 0, (uint32_t)strlen(text), ymd, &cs);
        if (cs.discarded)
                snprintf(out, size, "###");
        for (i = 0; i < cs.event_count; i++) {
                size_t n = strlen(out);
                snprintf(out + n, size - n, "%s%s/%s/%s", i ? ";" : "", cs.events[i].source.code,
                         cs.events[i].target.code, cs.events[i].code);
        }
        dm_coder_destroy(c);
}

static void test_default_source_target(void **state)
{
        char out[512];
        (void)state;
        code("Arnor on Monday accused Gondor of hiding the ring from the council.", 0, out,
             sizeof(out));
        assert_string_equal(out, "ARN/GON/112");
}

static void test_passive_pattern(void **state)
{
        char out[512];
        (void)state;
        code("Gondor was attacked by Mordor on Monday near the river crossing.", 0, out,
             sizeof(out));
        assert_string_equal(out, "ORC/GON/195");
}

static void test_paired_code_and_compound(void **state)
{
        char out[512];
        (void)state;
        code("The president of Arnor will visit Gondor next week for three days of talks.", 0, out,
             sizeof(out));
        assert_string_equal(out, "ARNGOVPRS/GON/032;GON/ARNGOVPRS/033");
        code("Arnor and evil Mordor praised Gondor on Monday for its patience in the talks.", 0,
             out, sizeof(out));
        assert_string_equal(out, "ARN/GON/051;ORC/GON/051");
}

static void test_subordinate_and_discard(void **state)
{
        char out[512];
        (void)state;
        /* SAID is subordinate: used only when nothing else codes. */
        code("Arnor said he accused Gondor of hiding the ring from the council.", 0, out,
             sizeof(out));
        assert_string_equal(out, "ARN/GON/112");
        code("Arnor said on Monday that Gondor would be welcome at the council.", 0, out,
             sizeof(out));
        assert_string_equal(out, "ARN/GON/010");
        code("Arnor accused Gondor of cheating in the volleyball final on Monday.", 0, out,
             sizeof(out));
        assert_string_equal(out, "###");
}

static void test_date_restricted(void **state)
{
        char out[512];
        (void)state;
        code("Gollum on Monday accused Gondor of hiding the ring from the council.", 19940101, out,
             sizeof(out));
        assert_string_equal(out, "HOB/GON/112");
        code("Gollum on Monday accused Gondor of hiding the ring from the council.", 20000101, out,
             sizeof(out));
        assert_string_equal(out, "HOBGOV/GON/112");
}

static void test_offsets_and_short(void **state)
{
        const char *text = "Yes. Arnor on Monday accused Gondor of hiding the ring from them.";
        dm_coder_t *c = dm_coder_new(dm_test_dict);
        dm_coded_sentence_t cs;
        (void)state;
        dm_coder_code_sentence(c, text, 5, (uint32_t)strlen(text), -1, &cs);
        assert_int_equal(cs.event_count, 1);
        assert_int_equal(cs.events[0].source.start, 5);
        assert_int_equal(cs.events[0].source.end, 10);
        assert_memory_equal(text + cs.events[0].verb_start, "accused", 7);
        assert_non_null(cs.events[0].verb_phrase);
        /* Issues: each code once, in order. */
        assert_int_equal(cs.issue_count, 1);
        assert_string_equal(cs.issues[0], "MAGIC");
        /* Too short to code (TABARI's 8 words), but actors are reported. */
        dm_coder_code_sentence(c, "Arnor accused Gondor.", 0, 21, -1, &cs);
        assert_int_equal(cs.event_count, 0);
        assert_int_equal(cs.actor_count, 2);
        /* Garbage does not crash. */
        dm_coder_code_sentence(c, "\xff\xfe,,,;;--''..", 0, 13, -1, &cs);
        dm_coder_destroy(c);
        dm_coder_destroy(NULL);
}

/* A validation project: an option record, a passing record, a failing one,
 * a discard, and records after FINAL-01 that are not run. */
static void test_validate_project(void **state)
{
        char path[256], *out = NULL;
        size_t olen = 0;
        FILE *fo, *fe = fopen("/dev/null", "w");
        dm_validate_result_t res;
        (void)state;
        dm_test_write_file(dm_test_dir, "v.text",
                           "950101 OPT-01\n"
                           "Options record with enough words to be a sentence here.\n"
                           "/* { OPTION: SET: CODE ALL } */\n"
                           "\n"
                           "950101 REC-01\n"
                           "Arnor on Monday accused Gondor of hiding the ring from them.\n"
                           "/* { ARN / GON / 112 } */\n"
                           "\n"
                           "950101 REC-02\n"
                           "Arnor on Monday accused Gondor of hiding the ring from them.\n"
                           "/* { GON / ARN / 112 } */\n"
                           "\n"
                           "950101 REC-03\n"
                           "Arnor accused Gondor of cheating in the volleyball final on Monday.\n"
                           "/* {###} */\n"
                           "\n"
                           "990101 FINAL-01\n"
                           "This is the end of the validation records for this test.\n"
                           "/* {---} */\n"
                           "\n"
                           "950101 AFTER-01\n"
                           "Arnor on Monday accused Gondor of hiding the ring from them.\n"
                           "/* { XXX / YYY / 000 } */\n"
                           "\n");
        dm_test_write_file(dm_test_dir, "v.project",
                           "<actorsfile> t.actors\n<agentsfile> t.agents\n"
                           "<verbsfile> t.verbs\n<textfile> v.text\n");
        snprintf(path, sizeof(path), "%s/v.project", dm_test_dir);
        fo = open_memstream(&out, &olen);
        assert_int_equal(dm_validate_run(path, 0, NULL, fo, fe, &res), 0);
        fclose(fo);
        fclose(fe);
        assert_int_equal(res.passed, 3);
        assert_int_equal(res.failed, 1);
        assert_non_null(strstr(out, "FAIL REC-02"));
        assert_non_null(strstr(out, "3 passed, 1 failed\n"));
        assert_null(strstr(out, "AFTER-01"));
        free(out);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_default_source_target),
            cmocka_unit_test(test_passive_pattern),
            cmocka_unit_test(test_paired_code_and_compound),
            cmocka_unit_test(test_subordinate_and_discard),
            cmocka_unit_test(test_date_restricted),
            cmocka_unit_test(test_offsets_and_short),
            cmocka_unit_test(test_validate_project),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
