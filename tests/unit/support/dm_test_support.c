/* Unit-test scaffolding: see dm_test_support.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dm_test_support.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_coder.h"
#include "demarche/dm_log.h"
#include "demarche/dm_parse.h"
#include "dict/dm_rules.h"

int dm_test_mkdtemp(char *tmpl)
{
        if (mkdtemp(tmpl))
                return 0;
        fprintf(stderr, "mkdtemp %s: %s\n", tmpl, strerror(errno));
        return -1;
}

const char *dm_test_path(char *buf, size_t size, const char *dir, const char *name)
{
        snprintf(buf, size, "%s/%s", dir, name);
        return buf;
}

void dm_test_read_file(const char *dir, const char *name, struct dm_buf *b)
{
        char path[1024];
        FILE *fp = fopen(dir ? dm_test_path(path, sizeof(path), dir, name) : name, "rb");
        assert_non_null(fp);
        dm_buf_init(b);
        assert_int_equal(dm_buf_read_stream(b, fp), 0);
        fclose(fp);
}

void dm_test_write_file(const char *dir, const char *name, const char *text)
{
        char path[1024];
        FILE *fp = fopen(dm_test_path(path, sizeof(path), dir, name), "w");
        assert_non_null(fp);
        fputs(text, fp);
        fclose(fp);
}

void dm_test_write_bytes(const char *dir, const char *name, const char *text, size_t len)
{
        char path[1024];
        FILE *fp = fopen(dm_test_path(path, sizeof(path), dir, name), "w");
        assert_non_null(fp);
        assert_int_equal(fwrite(text, 1, len, fp), len);
        fclose(fp);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
        (void)sb;
        (void)flag;
        (void)ftw;
        if (remove(path) == 0)
                return 0;
        fprintf(stderr, "remove %s: %s\n", path, strerror(errno));
        return -1;
}

int dm_test_rmdir(const char *dir)
{
        /* Depth first, not following links: the files before their directory. */
        return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

dm_dict_t *dm_test_dict_load(const char *spec)
{
        char err[512];
        dm_dict_t *d = dm_dict_load(spec, 0, err, sizeof(err));
        if (!d)
                fprintf(stderr, "dictionaries: %s: %s\n", spec, err);
        return d;
}

dm_dict_t *dm_test_parse_dict(const struct dm_parse_model **model)
{
        char err[512];
        dm_dict_t *d;
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        d = dm_test_dict_load(dm_dict_default_spec());
        if (!d)
                return NULL;
        *model = dm_dict_parser(d, err, sizeof(err));
        if (!*model) {
                fprintf(stderr, "parser model: %s\n", err);
                dm_dict_destroy(d);
                return NULL;
        }
        return d;
}

dm_dict_t *dm_test_pdict;
dm_coder_t *dm_test_pcoder;

int dm_test_parse_coder_setup(void **state)
{
        const dm_parse_model_t *model;
        (void)state;
        dm_test_pdict = dm_test_parse_dict(&model);
        if (!dm_test_pdict)
                return -1;
        dm_test_pcoder = dm_coder_new(dm_test_pdict);
        dm_coder_set_parser(dm_test_pcoder, model);
        return 0;
}

int dm_test_parse_coder_teardown(void **state)
{
        (void)state;
        dm_coder_destroy(dm_test_pcoder);
        dm_dict_destroy(dm_test_pdict);
        dm_test_pcoder = NULL;
        dm_test_pdict = NULL;
        return 0;
}

dm_dict_t *dm_test_tabari_dict(const char *dir, const char *actors, const char *agents,
                               const char *verbs, const char *issues)
{
        char path[1024];
        dm_test_write_file(dir, "t.actors", actors);
        dm_test_write_file(dir, "t.agents", agents);
        dm_test_write_file(dir, "t.verbs", verbs);
        dm_test_write_file(dir, "t.issues", issues);
        dm_test_write_file(dir, "t.project",
                           "<actorsfile> t.actors\n<agentsfile> t.agents\n"
                           "<verbsfile> t.verbs\n<issuesfile> t.issues\n");
        return dm_test_dict_load(dm_test_path(path, sizeof(path), dir, "t.project"));
}

struct dm_rules *dm_test_rules(void)
{
        static const char *const files[] = {"frames.rules", "domestic.rules", NULL};
        dm_rules_t *r = dm_rules_new();
        char path[1024], err[512];
        size_t k;
        for (k = 0; files[k]; k++) {
                dm_test_path(path, sizeof(path), dm_dict_default_spec(), files[k]);
                if (dm_rules_load(r, path, err, sizeof(err))) {
                        fprintf(stderr, "rules: %s\n", err);
                        dm_rules_destroy(r);
                        return NULL;
                }
        }
        return r;
}
