/* Features shared by the runtime parser and the trainer: hashed word
 * properties of a sentence, the tagger's features, the arc-hybrid
 * transition system and its features. A feature is a nonzero 64-bit hash
 * of a template number and up to three values. */
#ifndef DM_PARSE_FEAT_H
#define DM_PARSE_FEAT_H

#include <stddef.h>
#include <stdint.h>

/* Transitions of the arc-hybrid system with the root at the end of the
 * buffer (so exactly one word attaches to it). */
enum { DM_PACT_SHIFT = 0, DM_PACT_LEFT, DM_PACT_RIGHT, DM_PACT_N };

#define DM_PFEAT_MAX 128

static inline uint64_t dm_pf_mix(uint64_t h, uint64_t v)
{
        h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
        return h;
}

static inline uint64_t dm_pf_key(uint64_t tmpl, uint64_t a, uint64_t b, uint64_t c)
{
        uint64_t h = dm_pf_mix(dm_pf_mix(dm_pf_mix(tmpl * 0x100000001b3ULL, a), b), c);
        return h ? h : 1;
}

uint64_t dm_pf_hash(const char *s, size_t n);
/* The coarse-tag value of a UPOS name (up to a tab or the end). */
uint64_t dm_pf_coarse(const char *upos);

/* Per-token hashed properties, index 1..n (0 and n+1.. are padding). */
typedef struct dm_pwords {
        size_t n, cap;
        uint64_t *lower, *suf1, *suf2, *suf3, *suf4, *pre1, *shape;
        uint64_t *form; /* exact form */
        /* Ambiguity class: hash of the tags the word had in training (0
         * unknown); filled by the caller after dm_pwords_set. */
        uint64_t *amb;
        /* Tag id + 1 of a frequent word that always had that tag (0
         * otherwise): tagged without scoring. Filled by the caller too. */
        uint64_t *fixed;
        /* The nearest auxiliary-like word (have, be, get, modal forms) in
         * the 5 words before, as its lower-case hash, else 0: what tells a
         * past participle from a past tense. */
        uint64_t *aux;
        /* Word cluster from unlabelled text (dm_wclust.h): the prefixes of
         * 4 and 6 bits and the whole path, 0 for a word without one.
         * Filled by the caller with dm_pwords_clus. */
        uint64_t *c4, *c6, *cf;
        /* Whether the model has clusters at all: without, the tagger skips
         * their features (they could only miss). Set by the caller. */
        int use_clusters;
} dm_pwords_t;

void dm_pwords_init(dm_pwords_t *w);
void dm_pwords_free(dm_pwords_t *w);
void dm_pwords_set(dm_pwords_t *w, const char *const *forms, size_t n);
/* Sets word i's cluster from its code (dm_wclust.h: a leading 1, then the
 * path; 0 none). */
void dm_pwords_clus(dm_pwords_t *w, size_t i, uint32_t code);

/* Features of word i (1-based) given the tags (ids + 1, 0 unknown) of the
 * words before it. Returns the count written to f. */
size_t dm_pf_tagger(const dm_pwords_t *w, const int *tags, size_t i, uint64_t *f);

/* Parser state. Arrays are indexed by word, 0 is the root. */
typedef struct dm_pstate {
        size_t n, cap;
        const dm_pwords_t *w;
        const int *tag;         /* tag id + 1 per word */
        const uint64_t *coarse; /* tag id + 1 -> hash of its UPOS (index 0: none) */
        int *head, *label;
        int *lc1, *lc2, *rc1, *rc2, *nl, *nr;
        int *stack;
        int sp;
        size_t b; /* buffer front; n + 1 is the root */
} dm_pstate_t;

void dm_pstate_init(dm_pstate_t *s);
void dm_pstate_free(dm_pstate_t *s);
void dm_pstate_start(dm_pstate_t *s, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                     size_t n);
/* dst becomes a copy of src (dst's arrays grow as needed). */
void dm_pstate_copy(dm_pstate_t *dst, const dm_pstate_t *src);
int dm_pstate_terminal(const dm_pstate_t *s);
int dm_pstate_valid(const dm_pstate_t *s, int act);
/* Head and dependent of the arc act would make. */
void dm_pstate_arc(const dm_pstate_t *s, int act, int *h, int *d);
void dm_pstate_apply(dm_pstate_t *s, int act, int label);
/* Dynamic-oracle cost of act against gold heads (arc-hybrid, Goldberg and
 * Nivre 2013): the gold arcs it makes unreachable. */
int dm_pstate_cost(const dm_pstate_t *s, int act, const int *gold_head);

size_t dm_pf_state(const dm_pstate_t *s, uint64_t *f);
size_t dm_pf_label(const dm_pstate_t *s, int h, int d, uint64_t *f);

#endif
