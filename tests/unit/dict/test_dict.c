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
#include <sys/stat.h>
#include <unistd.h>

#include "demarche/dm_dict.h"
#include "dict/dm_gazetteer.h"
#include "dict/dm_lex.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_log.h"
#include "demarche/dm_options.h"
#include "dm_test_support.h"

static char dm_test_dir[] = "/tmp/dm_test_dict_XXXXXX";

/* Every byte written: the file must take all of text. */
static void write_file(const char *name, const char *text)
{
        dm_test_write_bytes(dm_test_dir, name, text, strlen(text));
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
        if (dm_test_mkdtemp(dm_test_dir) != 0)
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
        (void)state;
        return dm_test_rmdir(dm_test_dir);
}

static dm_dict_t *load(const char *name, int strict, char *err, size_t errsz)
{
        char path[256];
        return dm_dict_load(dm_test_path(path, sizeof(path), dm_test_dir, name), strict, err,
                            errsz);
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

/* The loaders' line iterator: terminators stripped, numbers, NULs visible
 * through the length, rewind, open errors through errstr. */
static void test_lines(void **state)
{
        static const char text[] = "one\r\ntwo\n\nnul\0byte\nlast";
        char path[256], err[256];
        dm_lines_t *it;
        char *line;
        size_t len;
        (void)state;
        dm_test_write_bytes(dm_test_dir, "lines.txt", text, sizeof(text) - 1);
        snprintf(path, sizeof(path), "%s/lines.txt", dm_test_dir);
        it = dm_lines_new(path, err, sizeof(err));
        assert_non_null(it);
        assert_int_equal(dm_lines_number(it), 0);
        for (int pass = 0; pass < 2; pass++) {
                line = dm_lines_next(it, &len);
                assert_string_equal(line, "one");
                assert_int_equal(len, 3);
                assert_int_equal(dm_lines_number(it), 1);
                assert_string_equal(dm_lines_next(it, NULL), "two");
                assert_string_equal(dm_lines_next(it, &len), "");
                assert_int_equal(len, 0);
                line = dm_lines_next(it, &len);
                assert_int_equal(len, 8);
                assert_int_equal(strlen(line), 3);
                assert_memory_equal(line, "nul\0byte", 8);
                assert_string_equal(dm_lines_next(it, &len), "last");
                assert_int_equal(dm_lines_number(it), 5);
                assert_null(dm_lines_next(it, &len));
                dm_lines_rewind(it);
                assert_int_equal(dm_lines_number(it), 0);
        }
        dm_lines_destroy(it);
        dm_lines_destroy(NULL);

        snprintf(path, sizeof(path), "%s/absent.txt", dm_test_dir);
        assert_null(dm_lines_new(path, err, sizeof(err)));
        assert_non_null(strstr(err, "absent.txt: cannot open: "));
        assert_null(dm_lines_new(path, NULL, 0));
}

/* The gazetteer comes with the dictionaries: from the directory the spec
 * names when it holds the lists, else from the default dictionaries. */
static void test_gazetteer_follows_spec(void **state)
{
        char path[512], err[512], code[64] = "";
        dm_dict_t *d;
        dm_lines_t *it;
        const char *src = getenv("DM_SOURCE_DIR"), *line;
        const dm_gaz_entry_t *e;
        (void)state;
        /* No environment override: the spec alone decides. */
        unsetenv("DEMARCHE_DICTIONARIES");
        snprintf(path, sizeof(path), "%s/gaz", dm_test_dir);
        assert_int_equal(mkdir(path, 0700), 0);
        write_file("gaz/t.actors", dm_actors);
        write_file("gaz/organisations.tsv", "# test list\ncode\tname\tphrases\r\n"
                                            "IGOZZQ\tZed Union\tZed Union|ZU\r\n");
        d = dm_dict_load(path, 0, err, sizeof(err));
        assert_non_null(d);
        e = dm_gaz_org(dm_dict_gazetteer(d), "IGOZZQ");
        assert_non_null(e);
        assert_string_equal(e->name, "Zed Union");
        /* Loaded once: the same gazetteer on every call. */
        assert_ptr_equal(dm_dict_gazetteer(d), dm_dict_gazetteer(d));
        dm_dict_destroy(d);

        /* A list: the first directory with the lists, wherever it stands. */
        snprintf(path, sizeof(path), "%s/t.agents,%s/gaz", dm_test_dir, dm_test_dir);
        d = dm_dict_load(path, 0, err, sizeof(err));
        assert_non_null(d);
        assert_non_null(dm_gaz_org(dm_dict_gazetteer(d), "IGOZZQ"));
        dm_dict_destroy(d);

        /* A TABARI project has no lists: the default dictionaries' apply. */
        if (!src) {
                skip();
                return;
        }
        snprintf(path, sizeof(path), "%s/dictionaries/organisations.tsv", src);
        it = dm_lines_new(path, err, sizeof(err));
        assert_non_null(it);
        while ((line = dm_lines_next(it, NULL)) && (line[0] == '#' || !strncmp(line, "code", 4)))
                ;
        assert_non_null(line);
        snprintf(code, sizeof(code), "%.*s", (int)strcspn(line, "\t"), line);
        dm_lines_destroy(it);
        /* The default dictionaries are the ones DEMARCHE_DICTIONARIES names
         * (no source-tree path is compiled in). */
        snprintf(path, sizeof(path), "%s/dictionaries", src);
        setenv("DEMARCHE_DICTIONARIES", path, 1);
        d = load("t.project", 0, err, sizeof(err));
        assert_non_null(d);
        assert_null(dm_gaz_org(dm_dict_gazetteer(d), "IGOZZQ"));
        assert_non_null(dm_gaz_org(dm_dict_gazetteer(d), code));
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
            cmocka_unit_test(test_lines),
            cmocka_unit_test(test_gazetteer_follows_spec),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
