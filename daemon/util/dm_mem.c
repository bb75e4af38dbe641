#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdarg.h>
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
