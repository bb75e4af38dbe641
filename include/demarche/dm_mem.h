/* Memory helpers: every allocation in demarche goes through these.
 *
 * Out of memory aborts with a message: demarched runs supervised (systemd
 * restarts it), and a half-failed allocation path in a streaming pipeline is
 * worse than a clean restart that resumes from committed offsets. */
#ifndef DM_MEM_H
#define DM_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>

void *dm_malloc(size_t size);
void *dm_calloc(size_t nmemb, size_t size);
void *dm_realloc(void *ptr, size_t size);
char *dm_strdup(const char *s);
/* NULL in, NULL out. */
char *dm_strdup_or_null(const char *s);
char *dm_strndup(const char *s, size_t n);
/* printf into a freshly allocated string; caller frees. */
char *dm_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grows *arr (element size elsz) so that it holds at least need elements;
 * *cap is updated. Doubling keeps appends amortised O(1). */
void dm_grow(void **arr, size_t *cap, size_t need, size_t elsz);

/* Appends s[0..n) and a NUL to a growable string pool (*pool, *len used,
 * *cap allocated) and returns the offset of the copy: pools hand out
 * offsets, not pointers, because they move as they grow. */
uint32_t dm_pool_add(char **pool, size_t *len, size_t *cap, const char *s, size_t n);

/* Trims leading and trailing white space in place; returns the first
 * non-space character of s. */
char *dm_str_trim(char *s);

/* printf into a caller's error buffer (the errstr, errstr_size pair every
 * fallible function takes); does nothing when errstr is NULL or size 0. */
void dm_str_seterr(char *errstr, size_t errstr_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

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
void dm_buf_vprintf(dm_buf_t *b, const char *fmt, va_list ap);
/* Appends everything readable from fp. Returns 0, or -1 on a read error. */
int dm_buf_read_stream(dm_buf_t *b, FILE *fp);
/* Takes the buffer's storage; the buffer is left empty. Caller frees. */
char *dm_buf_steal(dm_buf_t *b);

/* A line iterator over a text file: the one open/getline/close loop of every
 * loader (dictionaries, options, projects, configuration), with the line
 * numbers their file:line messages need. One thread at a time. */
typedef struct dm_lines dm_lines_t;

/* Opens path for reading. Returns NULL with "PATH: cannot open: REASON" in
 * errstr when it cannot. */
dm_lines_t *dm_lines_new(const char *path, char *errstr, size_t errstr_size);
void dm_lines_destroy(dm_lines_t *it);
/* The next line without its "\n" or "\r\n", or NULL at the end of the file
 * (a read error ends it too, as for getline). The line belongs to the
 * iterator; the caller may modify it in place until the next call. When len
 * is non-NULL it receives the length, which exceeds strlen() when the line
 * holds a NUL byte. */
char *dm_lines_next(dm_lines_t *it, size_t *len);
/* Number (from 1) of the line last returned; 0 before the first. */
int dm_lines_number(const dm_lines_t *it);
/* Back to the first line (for loaders that read a file in two passes). */
void dm_lines_rewind(dm_lines_t *it);

#endif
