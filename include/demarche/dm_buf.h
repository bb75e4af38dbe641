#ifndef DM_BUF_H
#define DM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* A growable byte buffer. Always NUL-terminated after any append so that
 * .data can be used as a C string; .len excludes the terminator. */
typedef struct dm_buf {
        char *data;
        size_t len;
        size_t cap;
} dm_buf_t;

void dm_buf_init(dm_buf_t *b);
void dm_buf_free(dm_buf_t *b);
void dm_buf_reset(dm_buf_t *b);
void dm_buf_append(dm_buf_t *b, const void *data, size_t len);
void dm_buf_puts(dm_buf_t *b, const char *s);
void dm_buf_putc(dm_buf_t *b, char c);
void dm_buf_printf(dm_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dm_buf_vprintf(dm_buf_t *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends everything readable from fp. Returns 0, or -1 on a read error. */
int dm_buf_read_stream(dm_buf_t *b, FILE *fp);
/* Takes the buffer's storage; the buffer is left empty. Caller frees. */
char *dm_buf_steal(dm_buf_t *b);

#endif
