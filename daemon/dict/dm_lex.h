/* The compiled lexicon behind dm_dict: every actor, agent, noun, adjective,
 * verb form, verb pattern, synset, time phrase and issue phrase, in one
 * representation built at load time.
 *
 * A phrase is compiled into a sequence of elements (words, the pattern
 * tokens * $ + % ^, synset and alternative groups) with TABARI's connector
 * semantics attached to each element: whether the word may be a stem, and
 * whether the next element must follow immediately. Entries whose first
 * element is a word are indexed by that word so that classifying a sentence
 * token costs a handful of hash probes.
 *
 * Thread rules: built by one thread (the loaders), then read-only and shared
 * by every coder thread. Strings and arrays are owned by the dm_lex_t. */
#ifndef DM_LEX_H
#define DM_LEX_H

#include <stddef.h>
#include <stdint.h>

/* Element types. */
enum {
        DM_EL_WORD = 0,
        DM_EL_VERB,  /* '*': the verb itself */
        DM_EL_SRC,   /* '$': source actor */
        DM_EL_TGT,   /* '+': target actor */
        DM_EL_COMP,  /* '%': compound actor as source and target */
        DM_EL_SKIP,  /* '^': skip one actor */
        DM_EL_GROUP, /* a synset or a { | } alternative set */
};

/* Word match modes. */
enum {
        DM_WM_STEM = 0, /* the token begins with the word */
        DM_WM_ENDS,     /* whole word, regular endings allowed (final '_') */
        DM_WM_EXACT,    /* whole word only ('=', or '_' inside a phrase) */
};

typedef struct dm_lex_el {
        uint8_t type;
        uint8_t mode;
        uint8_t adj_next; /* the next element must follow immediately */
        uint8_t pad;
        uint32_t ref; /* word: string offset; group: group index */
        uint32_t len; /* word length */
} dm_lex_el_t;

typedef struct dm_lex_seq {
        uint32_t first, count; /* into els */
} dm_lex_seq_t;

typedef struct dm_lex_group {
        uint32_t first, count; /* into group_seqs */
} dm_lex_group_t;

/* Entry kinds in the word index. */
typedef enum dm_lex_kind {
        DM_LK_ACTOR = 0,
        DM_LK_AGENT,
        DM_LK_VERB,
        DM_LK_NOUN,
        DM_LK_ADJ,
        DM_LK_TIME,
        DM_LK_ISSUE,
        DM_LK_DISCARD,
        DM_LK_COUNT
} dm_lex_kind_t;

/* One code of an actor, possibly date restricted (inclusive YYYYMMDD). */
typedef struct dm_lex_code {
        uint32_t code; /* string offset: "ISR", "GME/GMW", "---", "###" */
        int32_t lo, hi;
} dm_lex_code_t;

/* An actor named in a <PLACES> section: a city, region or island that
 * codes as its state, and is only a location where it modifies a noun
 * ("the talks in Geneva", "the Sochi conference"). */
#define DM_LEX_PLACE 0x01

typedef struct dm_lex_entry {
        dm_lex_seq_t seq;
        uint8_t kind;
        uint8_t flags; /* DM_LEX_PLACE */
        uint8_t pad[2];
        uint32_t phrase;  /* string offset: the phrase as written */
        uint32_t payload; /* actor: code list index; verb: verb index; agent,
                           * time, issue, discard: code string offset */
        uint32_t ncodes;  /* actor: number of codes */
        uint32_t length;  /* letters in the phrase, for precedence */
        /* Prefilter: keys (dm_lex_key) of up to three later words that a
         * match needs in the sentence (set by dm_lex_finish). */
        uint16_t keys[3];
        uint8_t nkeys;
} dm_lex_entry_t;

typedef struct dm_lex_pattern {
        dm_lex_seq_t seq;
        uint32_t code;   /* string offset */
        uint32_t phrase; /* string offset: the pattern as written */
        uint32_t length;
        uint32_t verb;  /* owning verb */
        uint32_t order; /* file order, for stable sorting */
        uint8_t has_src, has_tgt, has_comp, nkeys;
        /* Prefilter: two-letter prefixes of up to four top-level words that
         * any match needs in the sentence (set by dm_lex_finish). */
        uint16_t keys[4];
        uint8_t has_group; /* contains { | } or &SYNSET: re-check by length */
} dm_lex_pattern_t;

/* The prefilter key of a word: a 16-bit hash of its first two bytes, or of
 * its first three when n >= 3 (dict words of three letters or more need a
 * token with the same first three; two-letter words the same first two).
 * Tokens register both keys. */
static inline uint16_t dm_lex_key(const char *w, size_t n)
{
        uint32_t h = 2166136261u ^ (uint32_t)(n >= 3 ? 3 : 2);
        size_t i, m = n >= 3 ? 3 : n;
        for (i = 0; i < m; i++)
                h = (h ^ (unsigned char)w[i]) * 16777619u;
        return (uint16_t)(h ^ (h >> 16));
}

typedef struct dm_lex_verb {
        uint32_t code; /* string offset of the root's code */
        uint32_t phrase;
        uint32_t pat_first, pat_count; /* into pats, longest first */
} dm_lex_verb_t;

typedef struct dm_lex_bucket {
        uint64_t hash;
        uint32_t word, len; /* string offset, length */
        uint8_t mode;
        uint32_t first, count; /* into index_ids, after dm_lex_finish */
} dm_lex_bucket_t;

typedef struct dm_lex {
        char *str; /* all strings, NUL-separated */
        size_t str_len, str_cap;
        dm_lex_el_t *els;
        size_t nels, els_cap;
        dm_lex_seq_t *group_seqs;
        size_t ngroup_seqs, group_seqs_cap;
        dm_lex_group_t *groups;
        size_t ngroups, groups_cap;
        dm_lex_entry_t *entries;
        size_t nentries, entries_cap;
        dm_lex_code_t *codes;
        size_t ncodes, codes_cap;
        dm_lex_pattern_t *pats;
        size_t npats, pats_cap;
        /* Per pattern (parallel to pats, after dm_lex_finish): its first
         * prefilter key in the low 16 bits, bit 16 set when it has one. A
         * compact array, so that scanning a verb's many patterns stays in
         * cache. */
        uint32_t *pat_key0;
        dm_lex_verb_t *verbs;
        size_t nverbs, verbs_cap;
        /* Synset names to group indices (linear: a few dozen at most). */
        uint32_t *synset_name, *synset_group;
        size_t nsynsets, synsets_cap;
        /* Word index: open addressing on (word, mode). */
        dm_lex_bucket_t *buckets;
        size_t bucket_mask, nbuckets_used;
        uint32_t *index_ids;
        uint32_t *index_tmp_next; /* per entry: chain while building */
        uint32_t *bucket_head;
        /* Groups or phrases that start with a non-word element. */
        uint32_t *unindexed;
        size_t nunindexed, unindexed_cap;
        size_t max_word_len;
        /* Bloom filter over the hashes of indexed stem words, so that
         * classifying a token skips most prefix-length probes. */
        uint64_t *stem_bloom;
        int finished;
} dm_lex_t;

/* A lexicon is a value owned by its dm_dict; init before use, free (NULL is
 * a no-op) releases everything it owns. */
void dm_lex_init(dm_lex_t *lx);
void dm_lex_free(dm_lex_t *lx);

/* Interns a string; returns its offset. */
uint32_t dm_lex_str(dm_lex_t *lx, const char *s, size_t n);
static inline const char *dm_lex_s(const dm_lex_t *lx, uint32_t off)
{
        return lx->str + off;
}

/* Compiles a TABARI phrase or pattern into a sequence. Returns 0, or -1
 * with why set (syntax error). Hyphens become underscores, letters are
 * upper-cased. */
int dm_lex_compile(dm_lex_t *lx, const char *text, dm_lex_seq_t *out, uint32_t *length,
                   const char **why);

/* Patterns and synset members take no automatic endings (manual 5.2.3 and
 * 5.6): turns the ENDS words of elements [from, lx->nels) into EXACT. */
void dm_lex_no_endings(dm_lex_t *lx, size_t from);

/* Synsets: declares &NAME as a group to which members are added. */
uint32_t dm_lex_synset(dm_lex_t *lx, const char *name);
void dm_lex_group_add(dm_lex_t *lx, uint32_t group, dm_lex_seq_t seq);

/* Adds an index entry; returns its index. */
uint32_t dm_lex_add_entry(dm_lex_t *lx, dm_lex_kind_t kind, dm_lex_seq_t seq, const char *phrase,
                          uint32_t payload, uint32_t ncodes, uint32_t length);

/* Builds the word index and sorts verb patterns by length. */
void dm_lex_finish(dm_lex_t *lx);

/* Does dictionary word element el match token word w (upper case)? */
int dm_lex_word_match(const dm_lex_t *lx, const dm_lex_el_t *el, const char *w, size_t n);

/* Calls fn for every entry whose first word could match token w. */
typedef void (*dm_lex_visit_fn)(void *ctx, uint32_t entry);
void dm_lex_candidates(const dm_lex_t *lx, const char *w, size_t n, dm_lex_visit_fn fn, void *ctx);

/* A per-thread memo of dm_lex_candidates by word: news text repeats words,
 * and the lexicon never changes once finished. Owned by one coder; init,
 * then free (NULL is a no-op). It empties itself when full. */
typedef struct dm_lex_cache {
        struct dm_lex_cache_slot *slots; /* 1 << DM_LEX_CACHE_BITS */
        size_t used;
        char *words;
        size_t words_len, words_cap;
        uint32_t *ids;
        size_t nids, ids_cap;
} dm_lex_cache_t;

void dm_lex_cache_init(dm_lex_cache_t *c);
void dm_lex_cache_free(dm_lex_cache_t *c);

/* The candidates of word w (as dm_lex_candidates would visit them, in the
 * same order): *ids points into the cache, valid until the next call. */
void dm_lex_cached_candidates(const dm_lex_t *lx, dm_lex_cache_t *c, const char *w, size_t n,
                              const uint32_t **ids, size_t *count);

#endif
