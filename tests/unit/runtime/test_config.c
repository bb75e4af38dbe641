/* Config: defaults, file parsing, file:line errors, kafka pass-through. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_config.h"

static char *write_tmp(const char *text)
{
        static char path[64];
        int fd;
        strcpy(path, "/tmp/dm_test_config_XXXXXX");
        fd = mkstemp(path);
        assert_true(fd >= 0);
        assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
        close(fd);
        return path;
}

static void test_defaults(void **state)
{
        dm_config_t *c = dm_config_new();
        const dm_settings_t *s = dm_config_settings(c);
        assert_string_equal(s->input_topic, "articles.raw");
        assert_string_equal(s->output_articles_topic, "articles.annotated");
        assert_string_equal(s->output_events_topic, "events.coded");
        assert_string_equal(s->output_dlq_topic, "articles.dlq");
        assert_string_equal(s->http_listen, "127.0.0.1:9464");
        assert_string_equal(s->log_level, "info");
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_CONSUMER, "group.id"), "demarche");
        /* group.id is a consumer key: the producer must not see it. */
        assert_null(dm_config_kafka_get(c, DM_KAFKA_PRODUCER, "group.id"));
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_PRODUCER, "enable.idempotence"),
                            "true");
        dm_config_destroy(c);
        dm_config_destroy(NULL);
}

static void test_file_ok(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[1024];
        char *p = write_tmp("# comment\n"
                            "\n"
                            "input.topic = in.x   \n"
                            "workers=4\n"
                            "input.max.bytes = 2M\n"
                            "log.level = debug # not a comment: values run to the end\n");
        int n = dm_config_load_file(c, p, err, sizeof(err));
        /* The trailing text makes log.level invalid, reported on line 6. */
        assert_int_equal(n, 1);
        assert_non_null(strstr(err, ":6: log.level"));
        assert_string_equal(dm_config_settings(c)->input_topic, "in.x");
        assert_int_equal(dm_config_settings(c)->workers, 4);
        assert_int_equal(dm_config_settings(c)->input_max_bytes, 2 * 1024 * 1024);
        unlink(p);
        dm_config_destroy(c);
}

static void test_file_errors_all_reported(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[2048];
        char *p = write_tmp("input.topic = a\n"
                            "no.such.key = 1\n"
                            "workers = many\n"
                            "workers = 100000\n"
                            "just a line\n"
                            "kafka.bootstrap.servers = 127.0.0.1:1\n"
                            "kafka.no.such.property = x\n"
                            "kafka.consumer.session.timeout.ms = 45000\n"
                            "= 3\n");
        int n = dm_config_load_file(c, p, err, sizeof(err));
        char expect[128];
        assert_int_equal(n, 6);
        snprintf(expect, sizeof(expect), "%s:2: unknown key \"no.such.key\"", p);
        assert_non_null(strstr(err, expect));
        snprintf(expect, sizeof(expect), "%s:3: workers", p);
        assert_non_null(strstr(err, expect));
        snprintf(expect, sizeof(expect), "%s:4: workers: 100000 is out of range", p);
        assert_non_null(strstr(err, expect));
        snprintf(expect, sizeof(expect), "%s:5: expected", p);
        assert_non_null(strstr(err, expect));
        snprintf(expect, sizeof(expect), "%s:7: kafka.no.such.property", p);
        assert_non_null(strstr(err, expect));
        snprintf(expect, sizeof(expect), "%s:9: missing key", p);
        assert_non_null(strstr(err, expect));
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_BOTH, "bootstrap.servers"),
                            "127.0.0.1:1");
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_CONSUMER, "session.timeout.ms"),
                            "45000");
        assert_null(dm_config_kafka_get(c, DM_KAFKA_PRODUCER, "session.timeout.ms"));
        unlink(p);
        dm_config_destroy(c);
}

static void test_missing_file(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[256];
        assert_int_equal(dm_config_load_file(c, "/nonexistent/demarche.conf", err, sizeof(err)), 1);
        assert_non_null(strstr(err, "/nonexistent/demarche.conf: cannot open"));
        dm_config_destroy(c);
}

static void test_env_override(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[256] = "";
        setenv("DEMARCHE_INPUT_TOPIC", "from.env", 1);
        setenv("DEMARCHE_KAFKA_PORT", "9999", 1); /* tooling variable: ignored */
        setenv("DEMARCHE_WORKERS", "-3", 1);
        assert_int_equal(dm_config_load_env(c, err, sizeof(err)), 1);
        assert_non_null(strstr(err, "DEMARCHE_WORKERS"));
        assert_string_equal(dm_config_settings(c)->input_topic, "from.env");
        unsetenv("DEMARCHE_INPUT_TOPIC");
        unsetenv("DEMARCHE_KAFKA_PORT");
        unsetenv("DEMARCHE_WORKERS");
        dm_config_destroy(c);
}

static void test_expansion(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[1024], secret[64], text[512];
        char *p;
        int fd;
        strcpy(secret, "/tmp/dm_test_secret_XXXXXX");
        fd = mkstemp(secret);
        assert_int_equal(write(fd, "s3cret\n", 7), 7);
        close(fd);
        setenv("DM_TEST_CREDS", "/run/creds", 1);
        snprintf(text, sizeof(text),
                 "kafka.ssl.key.location = ${DM_TEST_CREDS}/client.key\n"
                 "kafka.sasl.password = ${file:%s}\n"
                 "input.topic = price$$\n"
                 "output.dlq.topic = ${DM_TEST_UNDEFINED_VAR}\n"
                 "output.events.topic = ${file:/nonexistent/secret}\n",
                 secret);
        p = write_tmp(text);
        assert_int_equal(dm_config_load_file(c, p, err, sizeof(err)), 2);
        assert_non_null(strstr(err, ":4: output.dlq.topic: ${DM_TEST_UNDEFINED_VAR}: environment"));
        assert_non_null(strstr(err, ":5: output.events.topic: ${file:/nonexistent/secret}"));
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_BOTH, "ssl.key.location"),
                            "/run/creds/client.key");
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_BOTH, "sasl.password"), "s3cret");
        assert_string_equal(dm_config_settings(c)->input_topic, "price$");
        unlink(p);
        unlink(secret);
        unsetenv("DM_TEST_CREDS");
        dm_config_destroy(c);
}

/* ${cred:NAME} reads $CREDENTIALS_DIRECTORY/NAME (systemd credentials); an
 * unset directory, a missing credential or a name with a path in it is an
 * error naming the line. */
static void test_credentials(void **state)
{
        dm_config_t *c = dm_config_new();
        char err[1024], dir[64], cred[128], text[256];
        const char *p;
        FILE *fp;
        strcpy(dir, "/tmp/dm_test_creds_XXXXXX");
        assert_non_null(mkdtemp(dir));
        snprintf(cred, sizeof(cred), "%s/kafka_password", dir);
        fp = fopen(cred, "w");
        assert_non_null(fp);
        fputs("pa$$word\n", fp);
        fclose(fp);
        snprintf(text, sizeof(text),
                 "kafka.sasl.password = ${cred:kafka_password}\n"
                 "output.dlq.topic = ${cred:missing}\n"
                 "output.events.topic = ${cred:../kafka_password}\n");
        p = write_tmp(text);

        unsetenv("CREDENTIALS_DIRECTORY");
        assert_int_equal(dm_config_load_file(c, p, err, sizeof(err)), 3);
        assert_non_null(strstr(err, ":1: kafka.sasl.password: ${cred:kafka_password}: "
                                    "CREDENTIALS_DIRECTORY is not set"));
        dm_config_destroy(c);

        c = dm_config_new();
        setenv("CREDENTIALS_DIRECTORY", dir, 1);
        assert_int_equal(dm_config_load_file(c, p, err, sizeof(err)), 2);
        assert_null(strstr(err, ":1:"));
        assert_non_null(strstr(err, ":2: output.dlq.topic: ${cred:missing}: "));
        assert_non_null(strstr(err, "No such file"));
        assert_non_null(strstr(err, ":3: output.events.topic: ${cred:../kafka_password}: not a "
                                    "credential name"));
        /* The contents as they are ($ is not expanded again), without the
         * final newline. */
        assert_string_equal(dm_config_kafka_get(c, DM_KAFKA_BOTH, "sasl.password"), "pa$$word");
        unsetenv("CREDENTIALS_DIRECTORY");
        unlink(p);
        unlink(cred);
        rmdir(dir);
        dm_config_destroy(c);
}

static int count_cb(const char *k, const char *v, void *opaque)
{
        (*(int *)opaque)++;
        return 0;
}

static void test_every_default_valid(void **state)
{
        /* Each table default must pass its own validation: set it again. */
        dm_config_t *c = dm_config_new();
        char err[256];
        size_t i;
        int nc = 0, np = 0;
        for (i = 0; i < dm_config_table_size; i++) {
                assert_non_null(dm_config_table[i].description);
                assert_int_equal(dm_config_set(c, dm_config_table[i].name, dm_config_table[i].def,
                                               err, sizeof(err)),
                                 0);
        }
        dm_config_kafka_foreach(c, DM_KAFKA_CONSUMER, count_cb, &nc);
        dm_config_kafka_foreach(c, DM_KAFKA_PRODUCER, count_cb, &np);
        assert_true(nc > 0 && np > 0);
        dm_config_destroy(c);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_defaults),
            cmocka_unit_test(test_file_ok),
            cmocka_unit_test(test_file_errors_all_reported),
            cmocka_unit_test(test_missing_file),
            cmocka_unit_test(test_env_override),
            cmocka_unit_test(test_expansion),
            cmocka_unit_test(test_credentials),
            cmocka_unit_test(test_every_default_valid),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
