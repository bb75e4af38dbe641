/* Memory helpers: every allocation in demarche goes through these.
 *
 * Out of memory aborts with a message: demarched runs supervised (systemd
 * restarts it), and a half-failed allocation path in a streaming pipeline is
 * worse than a clean restart that resumes from committed offsets. */
#ifndef DM_MEM_H
#define DM_MEM_H

#include <stddef.h>
#include <stdint.h>

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

#endif
