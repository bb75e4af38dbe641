/* String helpers: the string pool, trimming and the errstr convention. */
#ifndef DM_STR_H
#define DM_STR_H

#include <stddef.h>
#include <stdint.h>

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

/* FNV-1a, 64 bits, of p[0, n): the stable hash of the parser model's
 * checksum, its feature keys and the clustering state. Inline: feature
 * extraction calls it per feature. */
static inline uint64_t dm_fnv1a64(const void *p, size_t n)
{
        const unsigned char *b = p;
        uint64_t h = 1469598103934665603ULL;
        size_t i;
        for (i = 0; i < n; i++) {
                h ^= b[i];
                h *= 1099511628211ULL;
        }
        return h;
}

#endif
