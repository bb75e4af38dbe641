/* Logging (dm_log): levels and their names, the threshold, the logfmt and
 * JSON line formats (quoting and escaping keep one event on one line), the
 * journald prefix, per-level counts, the rate limit per call site for
 * warnings and errors, and the librdkafka level mapping. stderr is
 * redirected to a temp file and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "demarche/dm_log.h"

static char path[] = "/tmp/dm_test_log_XXXXXX";
static int saved_fd = -1;

/* Starts capturing stderr. */
static void capture(void)
{
        int fd;
        fflush(stderr);
        saved_fd = dup(STDERR_FILENO);
        fd = open(path, O_WRONLY | O_TRUNC);
        assert_true(fd >= 0);
        dup2(fd, STDERR_FILENO);
        close(fd);
}

/* Stops capturing; returns what was written (static buffer). */
static const char *captured(void)
{
        static char out[16384];
        FILE *fp;
        size_t n;
        fflush(stderr);
        dup2(saved_fd, STDERR_FILENO);
        close(saved_fd);
        fp = fopen(path, "r");
        assert_non_null(fp);
        n = fread(out, 1, sizeof(out) - 1, fp);
        out[n] = '\0';
        fclose(fp);
        return out;
}

static int count_lines(const char *s)
{
        int n = 0;
        for (; *s; s++)
                n += *s == '\n';
        return n;
}

static int setup(void **state)
{
        int fd = mkstemp(path);
        (void)state;
        if (fd < 0)
                return -1;
        close(fd);
        dm_log_set_journald(0);
        dm_log_set_json(0);
        dm_log_set_level(DM_LOG_LEVEL_INFO);
        return 0;
}

static int teardown(void **state)
{
        (void)state;
        unlink(path);
        return 0;
}

static void test_levels(void **state)
{
        dm_log_level_t l = DM_LOG_LEVEL_FATAL;
        static const char *const names[] = {"debug", "info", "warning", "error", "fatal"};
        size_t i;
        (void)state;
        for (i = 0; i < 5; i++) {
                assert_int_equal(dm_log_level_parse(names[i], &l), 0);
                assert_string_equal(dm_log_level_name(l), names[i]);
        }
        assert_int_equal(dm_log_level_parse("warn", &l), 0);
        assert_int_equal(l, DM_LOG_LEVEL_WARN);
        l = DM_LOG_LEVEL_INFO;
        assert_int_equal(dm_log_level_parse("verbose", &l), -1);
        assert_int_equal(dm_log_level_parse("", &l), -1);
        assert_int_equal(l, DM_LOG_LEVEL_INFO); /* untouched on error */
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        assert_int_equal(dm_log_get_level(), DM_LOG_LEVEL_ERROR);
        dm_log_set_level(DM_LOG_LEVEL_INFO);
}

static void test_logfmt_line(void **state)
{
        const char *out;
        char ts[32];
        int ms;
        unsigned long before = dm_log_count(DM_LOG_LEVEL_INFO);
        (void)state;
        capture();
        dm_log_write(DM_LOG_LEVEL_INFO, "test", NULL, "topic=x partition=1",
                     "said \"%s\"\nback\\slash\x01", "hi");
        out = captured();
        assert_int_equal(count_lines(out), 1);
        assert_int_equal(sscanf(out, "ts=%19[0-9T:-].%3dZ ", ts, &ms), 2);
        assert_int_equal(strlen(ts), 19);
        assert_non_null(strstr(out,
                               "Z level=info component=test msg=\"said \\\"hi\\\"\\nback\\\\slash"
                               "\\x01\" topic=x partition=1\n"));
        assert_int_equal(dm_log_count(DM_LOG_LEVEL_INFO), before + 1);
}

static void test_threshold(void **state)
{
        const char *out;
        unsigned long before = dm_log_count(DM_LOG_LEVEL_DEBUG);
        (void)state;
        capture();
        dm_log_write(DM_LOG_LEVEL_DEBUG, "test", NULL, NULL, "dropped");
        DM_LOG_DEBUG("test", "dropped too");
        dm_log_set_level(DM_LOG_LEVEL_DEBUG);
        DM_LOG_DEBUG("test", "kept");
        dm_log_set_level(DM_LOG_LEVEL_INFO);
        out = captured();
        assert_int_equal(count_lines(out), 1);
        assert_non_null(strstr(out, "level=debug component=test msg=\"kept\""));
        assert_int_equal(dm_log_count(DM_LOG_LEVEL_DEBUG), before + 1);
}

static void test_json_line(void **state)
{
        const char *out;
        json_t *j;
        json_error_t jerr;
        (void)state;
        dm_log_set_json(1);
        capture();
        dm_log_write(DM_LOG_LEVEL_WARN, "worker", NULL,
                     "topic=articles partition=3 article_id=\"a b\"", "input \"%s\"\n", "bad");
        out = captured();
        dm_log_set_json(0);
        assert_int_equal(count_lines(out), 1);
        j = json_loads(out, 0, &jerr);
        if (!j)
                fail_msg("not JSON: %s: %s", jerr.text, out);
        assert_string_equal(json_string_value(json_object_get(j, "level")), "warning");
        assert_string_equal(json_string_value(json_object_get(j, "component")), "worker");
        assert_string_equal(json_string_value(json_object_get(j, "msg")), "input \"bad\"\n");
        assert_string_equal(json_string_value(json_object_get(j, "topic")), "articles");
        assert_string_equal(json_string_value(json_object_get(j, "partition")), "3");
        assert_string_equal(json_string_value(json_object_get(j, "article_id")), "a b");
        assert_int_equal(strlen(json_string_value(json_object_get(j, "ts"))), 24);
        json_decref(j);
}

static void test_journald_prefix(void **state)
{
        const char *out;
        (void)state;
        dm_log_set_journald(1);
        capture();
        dm_log_write(DM_LOG_LEVEL_ERROR, "test", NULL, NULL, "boom");
        out = captured();
        dm_log_set_journald(0);
        assert_int_equal(strncmp(out, "<3>ts=", 6), 0);
}

static void test_rate_limit(void **state)
{
        static const char site_a = 0, site_b = 0;
        const char *out;
        int i;
        unsigned long before = dm_log_count(DM_LOG_LEVEL_WARN);
        (void)state;
        capture();
        /* Warnings: at most five a window per call site. */
        for (i = 0; i < 8; i++)
                dm_log_write(DM_LOG_LEVEL_WARN, "test", &site_a, NULL, "repeat %d", i);
        /* Another site has its own budget. */
        dm_log_write(DM_LOG_LEVEL_WARN, "test", &site_b, NULL, "other");
        /* Info lines and lines without a site are not limited. */
        for (i = 0; i < 8; i++)
                dm_log_write(DM_LOG_LEVEL_INFO, "test", &site_b, NULL, "info %d", i);
        for (i = 0; i < 8; i++)
                dm_log_write(DM_LOG_LEVEL_WARN, "test", NULL, NULL, "nosite %d", i);
        out = captured();
        assert_int_equal(count_lines(out), 5 + 1 + 8 + 8);
        assert_non_null(strstr(out, "msg=\"repeat 4\""));
        assert_null(strstr(out, "msg=\"repeat 5\""));
        assert_non_null(strstr(out, "msg=\"other\""));
        assert_int_equal(dm_log_count(DM_LOG_LEVEL_WARN), before + 5 + 1 + 8);
}

static void test_rdkafka_levels(void **state)
{
        const char *out;
        (void)state;
        capture();
        dm_log_rdkafka_cb(NULL, 3, "FAIL", "broker down");
        dm_log_rdkafka_cb(NULL, 4, "THROTTLE", "slow");
        dm_log_rdkafka_cb(NULL, 6, "CONF", "hello");
        dm_log_rdkafka_cb(NULL, 7, "DEBUG", "dropped at info");
        dm_log_rdkafka_cb(NULL, 5, NULL, "no facility");
        out = captured();
        assert_int_equal(count_lines(out), 4);
        assert_non_null(
            strstr(out, "level=error component=rdkafka msg=\"broker down\" facility=FAIL"));
        assert_non_null(
            strstr(out, "level=warning component=rdkafka msg=\"slow\" facility=THROTTLE"));
        assert_non_null(strstr(out, "level=info component=rdkafka msg=\"hello\" facility=CONF"));
        assert_non_null(strstr(out, "msg=\"no facility\" facility=-"));
        assert_null(strstr(out, "dropped at info"));
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_levels),          cmocka_unit_test(test_logfmt_line),
            cmocka_unit_test(test_threshold),       cmocka_unit_test(test_json_line),
            cmocka_unit_test(test_journald_prefix), cmocka_unit_test(test_rate_limit),
            cmocka_unit_test(test_rdkafka_levels),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
