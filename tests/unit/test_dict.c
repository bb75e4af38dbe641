/* Dictionary loaders: TABARI actors (synonyms, date restrictions, nouns),
 * agents, verbs (synsets, forms, patterns), options; malformed and
 * duplicate entries are skipped (fatal when strict); the real dictionaries
 * load when ../shared is present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demarche/dm_dict.h"
#include "demarche/dm_lex.h"
#include "demarche/dm_log.h"
#include "demarche/dm_options.h"

static char dm_test_dir[] = "/tmp/dm_test_dict_XXXXXX";

static void write_file(const char *name, const char *text)
{
        char path[256];
        FILE *fp;
        snprintf(path, sizeof(path), "%s/%s", dm_test_dir, name);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fputs(text, fp);
        fclose(fp);
}

static const char *dm_actors = "<NOUN>\n"
                               "SHEEP\n"
                               "</NOUN>\n"
                               "ARNOR [ARN]\n"
                               "GONDOR\n"
                               "+MINAS_TIRITH\n"
                               "\t[GON]\n"
                               "GOLLUM [HOB <950601] [HOBGOV]\n"
                               "BROKEN [XYZ 991399-000101]\n"
                               "NOCODE\n"
                               "ARNOR [XXX]\n"
                               "~~FINISH\n";
static const char *dm_agents = "PRESIDENT_ [~GOVPRS]\n"
                               "BADAGENT_ [GOV]\n";
static const char *dm_verbs = "<SYNSETS>\n"
                              "&TIES\n"
                              "+DIPLOMATIC_TIES\n"
                              "+RELATIONS\n"
                              "</SYNSETS>\n"
                              "- * ORPHAN [010]\n"
                              "RESTORE [060]\n"
                              "- * &TIES [064]\n"
                              "- * NO_STAR_HERE\n"
                              "MEET [031:031]\n"
                              "{ MET_ }\n"
                              "~~FINISH\n";
static const char *dm_options = "COMPLEX: VERBS[5] NOACTPRIOR\n"
                                "SET: MINIMUM WORDS = 4\n"
                                "BOGUS: nothing\n";

static int setup(void **state)
{
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        if (!mkdtemp(dm_test_dir))
                return -1;
        write_file("t.actors", dm_actors);
        write_file("t.agents", dm_agents);
        write_file("t.verbs", dm_verbs);
        write_file("t.options", dm_options);
        write_file("t.project", "<actorsfile> t.actors\n<agentsfile> t.agents\n"
                                "<verbsfile> t.verbs\n<optionsfile> t.options\n");
        return 0;
}

static int teardown(void **state)
{
        char cmd[300];
        (void)state;
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dm_test_dir);
        return system(cmd) == 0 ? 0 : -1;
}

static dm_dict_t *load(const char *name, int strict, char *err, size_t errsz)
{
        char path[256];
        snprintf(path, sizeof(path), "%s/%s", dm_test_dir, name);
        return dm_dict_load(path, strict, err, errsz);
}

static void test_project_loads_and_warns(void **state)
{
        char err[512];
        dm_dict_t *d = load("t.project", 0, err, sizeof(err));
        dm_dict_stats_t st;
        const dm_lex_t *lx;
        const dm_options_t *o;
        (void)state;
        assert_non_null(d);
        dm_dict_get_stats(d, &st);
        /* ARNOR, GONDOR, MINAS_TIRITH, GOLLUM (BROKEN's only code is bad). */
        assert_int_equal(st.actor_phrases, 4);
        assert_int_equal(st.agent_phrases, 1);
        /* Bad date, no code, duplicate ARNOR, agent without ~, pattern
         * before a verb, pattern without *, BOGUS option. */
        assert_true(st.warnings >= 7);
        lx = dm_dict_lex(d);
        assert_int_equal(lx->nverbs, 2);
        assert_int_equal(lx->npats, 1);
        assert_int_equal(lx->nsynsets, 1);
        o = dm_dict_options(d);
        assert_int_equal(o->cx_verbs, 5);
        assert_true(o->cx_noactprior);
        assert_int_equal(o->min_words, 4);
        dm_dict_destroy(d);
}

static void test_strict_is_fatal(void **state)
{
        char err[512];
        dm_dict_t *d = load("t.project", 1, err, sizeof(err));
        (void)state;
        assert_null(d);
        /* The first problem, as file:line (the options file loads first). */
        assert_non_null(strstr(err, "t.options:3"));
}

static void test_missing_file(void **state)
{
        char err[512];
        dm_dict_t *d = load("nope.actors", 0, err, sizeof(err));
        (void)state;
        assert_null(d);
        assert_non_null(strstr(err, "nope.actors"));
        dm_dict_destroy(NULL);
}

static void test_options_commands(void **state)
{
        dm_options_t o;
        char err[256];
        (void)state;
        dm_options_defaults(&o);
        assert_int_equal(dm_options_apply(&o, "DEFAULT: SOURCE [DEFSRC] PRIOR TARGET [DEFTAR]", err,
                                          sizeof(err)),
                         0);
        assert_string_equal(o.default_src, "DEFSRC");
        assert_string_equal(o.default_tgt, "DEFTAR");
        assert_true(o.default_prior);
        assert_false(o.default_after);
        assert_int_equal(dm_options_apply(&o, "DEFAULT: OFF", err, sizeof(err)), 0);
        assert_string_equal(o.default_src, "");
        assert_int_equal(dm_options_apply(&o,
                                          "COMMA: MIN = 4 MAX = 6 EMIN = 3 EMAX = 6 BMIN = 3 "
                                          "BMAX = 8",
                                          err, sizeof(err)),
                         0);
        assert_int_equal(o.comma_min, 4);
        assert_int_equal(o.comma_emin, 3);
        assert_int_equal(o.comma_bmax, 8);
        assert_int_equal(dm_options_apply(&o, "SET: CODE ALL", err, sizeof(err)), 0);
        assert_int_equal(o.code_by, DM_CODE_ALL);
        assert_int_equal(dm_options_apply(&o, "NOPE: x", err, sizeof(err)), -1);
}

static void test_real_dictionaries(void **state)
{
        const char *shared = getenv("DM_SHARED_DIR");
        char path[512], err[512];
        dm_dict_t *d;
        dm_dict_stats_t st;
        (void)state;
        if (!shared) {
                skip();
                return;
        }
        snprintf(path, sizeof(path), "%s/dictionaries/tabari/CAMEO.project", shared);
        if (access(path, R_OK)) {
                skip();
                return;
        }
        d = dm_dict_load(path, 0, err, sizeof(err));
        assert_non_null(d);
        dm_dict_get_stats(d, &st);
        assert_true(st.actor_phrases > 20000);
        assert_true(st.verb_phrases > 10000);
        dm_dict_destroy(d);
        snprintf(path, sizeof(path), "%s/dictionaries/phoenix", shared);
        d = dm_dict_load(path, 0, err, sizeof(err));
        assert_non_null(d);
        dm_dict_get_stats(d, &st);
        assert_true(st.actor_phrases > 20000);
        assert_true(st.agent_phrases > 1000);
        dm_dict_destroy(d);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_project_loads_and_warns),
            cmocka_unit_test(test_strict_is_fatal),
            cmocka_unit_test(test_missing_file),
            cmocka_unit_test(test_options_commands),
            cmocka_unit_test(test_real_dictionaries),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
