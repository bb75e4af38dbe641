#include "demarche/dm_mem.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void dm_oom(size_t size)
{
        fprintf(stderr, "level=fatal component=mem msg=\"out of memory\" size=%zu\n", size);
        abort();
}

void *dm_malloc(size_t size)
{
        void *p = malloc(size ? size : 1);
        if (!p)
                dm_oom(size);
        return p;
}

void *dm_calloc(size_t nmemb, size_t size)
{
        void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
        if (!p)
                dm_oom(nmemb * size);
        return p;
}

void *dm_realloc(void *ptr, size_t size)
{
        void *p = realloc(ptr, size ? size : 1);
        if (!p)
                dm_oom(size);
        return p;
}

char *dm_strdup(const char *s)
{
        size_t n = strlen(s);
        char *p = dm_malloc(n + 1);
        memcpy(p, s, n + 1);
        return p;
}

char *dm_strdup_or_null(const char *s)
{
        return s ? dm_strdup(s) : NULL;
}

char *dm_strndup(const char *s, size_t n)
{
        char *p = dm_malloc(n + 1);
        memcpy(p, s, n);
        p[n] = '\0';
        return p;
}

char *dm_asprintf(const char *fmt, ...)
{
        dm_buf_t b;
        va_list ap;
        dm_buf_init(&b);
        va_start(ap, fmt);
        dm_buf_vprintf(&b, fmt, ap);
        va_end(ap);
        return dm_buf_steal(&b);
}

void dm_str_seterr(char *errstr, size_t errstr_size, const char *fmt, ...)
{
        va_list ap;
        if (!errstr || errstr_size == 0)
                return;
        va_start(ap, fmt);
        vsnprintf(errstr, errstr_size, fmt, ap);
        va_end(ap);
}

void dm_grow(void **arr, size_t *cap, size_t need, size_t elsz)
{
        size_t ncap;
        if (need <= *cap)
                return;
        ncap = *cap ? *cap : 8;
        while (ncap < need)
                ncap *= 2;
        *arr = dm_realloc(*arr, ncap * elsz);
        *cap = ncap;
}

uint32_t dm_pool_add(char **pool, size_t *len, size_t *cap, const char *s, size_t n)
{
        uint32_t off = (uint32_t)*len;
        dm_grow((void **)pool, cap, *len + n + 1, 1);
        memcpy(*pool + off, s, n);
        (*pool)[off + n] = '\0';
        *len += n + 1;
        return off;
}

void dm_buf_init(dm_buf_t *b)
{
        b->data = NULL;
        b->len = 0;
        b->cap = 0;
}

void dm_buf_free(dm_buf_t *b)
{
        free(b->data);
        dm_buf_init(b);
}

void dm_buf_reset(dm_buf_t *b)
{
        b->len = 0;
        if (b->data)
                b->data[0] = '\0';
}

static void dm_buf_reserve(dm_buf_t *b, size_t extra)
{
        dm_grow((void **)&b->data, &b->cap, b->len + extra + 1, 1);
}

void dm_buf_append(dm_buf_t *b, const void *data, size_t len)
{
        dm_buf_reserve(b, len);
        if (len)
                memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
}

void dm_buf_puts(dm_buf_t *b, const char *s)
{
        dm_buf_append(b, s, strlen(s));
}

void dm_buf_putc(dm_buf_t *b, char c)
{
        dm_buf_append(b, &c, 1);
}

void dm_buf_vprintf(dm_buf_t *b, const char *fmt, va_list ap)
{
        va_list ap2;
        int n;
        va_copy(ap2, ap);
        n = vsnprintf(NULL, 0, fmt, ap2);
        va_end(ap2);
        if (n < 0)
                return;
        dm_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
}

void dm_buf_printf(dm_buf_t *b, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        dm_buf_vprintf(b, fmt, ap);
        va_end(ap);
}

char *dm_buf_steal(dm_buf_t *b)
{
        char *p = b->data;
        if (!p)
                p = dm_strdup("");
        dm_buf_init(b);
        return p;
}

int dm_buf_read_stream(dm_buf_t *b, FILE *fp)
{
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
                dm_buf_append(b, chunk, n);
        return ferror(fp) ? -1 : 0;
}

char *dm_str_trim(char *s)
{
        char *e;
        while (isspace((unsigned char)*s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
                *--e = '\0';
        return s;
}

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
