/* The line iterator of every loader (dm_lines.h). */
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dm_lines {
        FILE *fp;
        char *line;
        size_t cap;
        int number;
};

dm_lines_t *dm_lines_new(const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it;
        FILE *fp = fopen(path, "r");
        if (!fp) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return NULL;
        }
        it = dm_calloc(1, sizeof(*it));
        it->fp = fp;
        return it;
}

void dm_lines_destroy(dm_lines_t *it)
{
        if (!it)
                return;
        fclose(it->fp);
        free(it->line);
        free(it);
}

char *dm_lines_next(dm_lines_t *it, size_t *len)
{
        ssize_t n = getline(&it->line, &it->cap, it->fp);
        if (n < 0)
                return NULL;
        /* CRLF files (edited on Windows) read like LF ones. */
        if (n > 0 && it->line[n - 1] == '\n')
                it->line[--n] = '\0';
        if (n > 0 && it->line[n - 1] == '\r')
                it->line[--n] = '\0';
        it->number++;
        if (len)
                *len = (size_t)n;
        return it->line;
}

int dm_lines_number(const dm_lines_t *it)
{
        return it->number;
}

void dm_lines_rewind(dm_lines_t *it)
{
        rewind(it->fp);
        it->number = 0;
}
