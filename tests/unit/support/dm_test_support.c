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
