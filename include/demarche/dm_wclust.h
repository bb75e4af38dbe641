/* Word clusters from unlabelled text for the tagger's and parser's
 * features (Koo et al. 2008 used Brown clusters the same way): a
 * hierarchical class bigram clustering made top-down by the exchange
 * algorithm (Kneser and Ney 1993, Martin et al. 1998), so each word gets
 * a bit string whose prefixes are coarser clusters.
 *
 * Cluster file (`demarche word-clusters` writes it, train-parser reads
 * it): one word a line, "BITS\tWORD\tCOUNT\n", BITS the word's path (the
 * same length on every line, 1-24 characters of 0 and 1), WORD lower-cased
 * (as the parser's features see words), COUNT its count in the text. */
#ifndef DM_WCLUST_H
#define DM_WCLUST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A word's cluster as a number: a leading 1 bit, then its path (0: none).
 * The prefix of k bits of code c with path length n is c >> (n - k). */
static inline uint32_t dm_wclust_prefix(uint32_t code, unsigned nbits, unsigned k)
{
        return code ? code >> (nbits - k) : 0;
}

typedef struct dm_wclust_opts {
        const char *text;     /* plain text, a paragraph a line */
        const char *out;      /* cluster file to write */
        unsigned min_count;   /* rarer words are not clustered */
        int iters;            /* exchange passes at each level (at most) */
        const unsigned *bits; /* bits added at each level: 2^bits[0] top clusters, ... */
        size_t nlevels;
        FILE *log; /* progress lines, or NULL */
} dm_wclust_opts_t;

/* Clusters the words of o->text and writes o->out. Single-threaded and
 * deterministic: the same text and options write the same bytes. Returns 0,
 * or -1 with errstr. */
int dm_wclust_make(const dm_wclust_opts_t *o, char *errstr, size_t errstr_size);

/* A loaded cluster file: lower-cased form hash (dm_pf_hash) -> code,
 * sorted by key. Read-only once loaded; owned by the caller. */
typedef struct dm_wclust_map {
        uint64_t *key;
        uint32_t *code;
        size_t n;
        unsigned nbits; /* path length */
} dm_wclust_map_t;

/* Reads and validates a cluster file: any malformed line, a path of
 * another length, a word twice or an empty file is an error naming the
 * line. Returns 0, or -1 with errstr (m is then empty). */
int dm_wclust_load(dm_wclust_map_t *m, const char *path, char *errstr, size_t errstr_size);
/* The code of a lower-cased form hash, 0 if it has none. */
uint32_t dm_wclust_get(const dm_wclust_map_t *m, uint64_t key);
void dm_wclust_free(dm_wclust_map_t *m);

#endif
