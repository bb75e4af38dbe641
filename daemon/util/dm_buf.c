/* dm_buf_t: the growable byte buffer (dm_buf.h). */
#include "demarche/dm_buf.h"
#include "demarche/dm_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
