/* Sentence analysis for the event coder, following chapter 7 of the TABARI
 * manual: TABARI-style tokenisation, word classification against the
 * lexicon, agents attached to actors, compound actors, compound noun and
 * adjective phrases, pronoun coreference, elimination of comma-delimited
 * clauses and the division of the sentence into clauses.
 *
 * A dm_sent_t is per-thread scratch owned by a coder; dm_sent_analyse
 * reuses its storage. */
#ifndef DM_SENT_H
#define DM_SENT_H

#include "dict/dm_lex.h"
#include "demarche/dm_options.h"

#include <stddef.h>
#include <stdint.h>

/* Token types (manual section 7.2). */
enum {
        DM_T_NONE = 0,
        DM_T_ACTOR,
        DM_T_AGENT,
        DM_T_VERB,
        DM_T_NOUN,
        DM_T_ADJ,
        DM_T_DETERM,
        DM_T_PRONOUN,
        DM_T_CONJ,
        DM_T_COMMA,
        DM_T_AUX,
        DM_T_BY,
        DM_T_NUMBER,
        DM_T_LITR, /* continuation of a multi-word dictionary phrase */
        DM_T_TIME,
        DM_T_NULL, /* null-coded verb without patterns */
};

typedef struct dm_stok {
        uint32_t start, end; /* bytes in the text */
        uint32_t woff;       /* upper-cased word in dm_sent_t.words */
        uint16_t wlen;
        uint8_t type;
        uint8_t cap;         /* capitalised in mixed-case text */
        uint8_t removed;     /* inside an eliminated comma clause */
        uint8_t in_compound; /* comma or conjunction inside a compound phrase */
        int32_t unit;        /* actor unit starting here, else -1 */
        int32_t span_last;   /* last token of the dictionary phrase starting here */
        uint32_t entry;      /* lexicon entry (actor, agent, verb ...) */
        int32_t clause;
} dm_stok_t;

/* An actor unit: one actor (with agents), a coded or parsed compound, or a
 * pronoun that refers to another unit. */
typedef struct dm_unit {
        int32_t first, last;         /* token range, inclusive */
        uint32_t code_first, ncodes; /* into dm_sent_t.codes */
        uint8_t compound;
        uint8_t pronoun;
        uint8_t absorbed; /* member of a parsed compound: not a unit itself */
        uint8_t parsed;   /* a parsed compound (its members are units too) */
        uint32_t phrase;  /* lexicon string offset of the matched phrase */
        uint32_t base;    /* cbuf offset of the actor's own code (before agents) */
        int32_t ref;      /* pronoun: the unit referred to, else -1 */
        uint8_t place;    /* a place (DM_LEX_PLACE): no actor where it modifies a noun */
        uint8_t implied;  /* its country, or all of it, comes from the discourse
                           * (dm_sent_ctx_t), not from a dictionary phrase: an
                           * actor for events, no entity of its own */
} dm_unit_t;

/* An actor the caller found outside the dictionaries (a person the
 * gazetteer knows): bytes [start, end) of the text and its code. */
typedef struct dm_sent_extra {
        uint32_t start, end;
        char code[32];
        int name; /* a proper name: replaces a shorter dictionary actor inside it */
} dm_sent_extra_t;

/* Parse mode: what the article so far says, set by the caller before each
 * sentence (empty: nothing). country: the article's country, given to
 * agents named without one ("the government", "police"). person, thing:
 * the actors a pronoun with no referent in its sentence stands for ("he",
 * "she"; "it", "they"). extras: actors outside the dictionaries, borrowed
 * until the analysis is done. */
typedef struct dm_sent_ctx {
        int parse; /* set in parse mode: the rules below apply */
        char country[8];
        char person[32];
        char thing[32];
        const dm_sent_extra_t *extras;
        size_t nextras;
} dm_sent_ctx_t;

typedef struct dm_sent {
        const dm_lex_t *lx;
        const dm_options_t *opts;
        long date; /* YYYYMMDD, 0 unknown */
        /* FORWARD: the actor code forwarded from the previous sentence for
         * pronouns with no referent ("" none). Set by the caller. */
        char fwd_code[64];
        dm_sent_ctx_t ctx; /* parse mode; set by the caller, zero otherwise */
        dm_stok_t *toks;
        size_t ntoks, toks_cap;
        char *words;
        size_t words_len, words_cap;
        dm_unit_t *units;
        size_t nunits, units_cap;
        /* Actor codes of units: offsets into cbuf; code_unit[k] is the unit
         * whose text the code came from (a member, for parsed compounds). */
        uint32_t *codes;
        int32_t *code_unit;
        size_t ncodes, codes_cap;
        char *cbuf;
        size_t cbuf_len, cbuf_cap;
        int32_t *clause_start; /* token index where each clause starts */
        size_t nclauses, clauses_cap;
        int discard, complex, truncated;
        int headline; /* every word of four letters or more capitalised */
        int nverbs, nconj;
        int ncomma_clauses;              /* comma-delimited clauses eliminated */
        int time_shift, have_time_shift; /* first <TIME> shift, in days */
        /* Two-letter prefixes of the sentence's words (pattern prefilter):
         * a 65536-bit set cleared through the token list. */
        uint64_t keyset[1024];
        /* Issue phrases found (lexicon entries; manual chapter 9: plain
         * phrase matching, independent of syntax). */
        uint32_t *issues;
        size_t nissues, issues_cap;
        /* Candidates of the words seen so far (per thread). */
        dm_lex_cache_t cache;
        const dm_lex_t *cache_lx; /* the lexicon the cache belongs to */
        /* The caller asks the next dm_sent_analyse to keep its lexical
         * analysis for the analysis after it (dm_sent_mark.h); owned. */
        int keep_mark;
        struct dm_sent_mark *mark;
} dm_sent_t;

/* Per-coder scratch: init once, free (NULL is a no-op) at the end. */
void dm_sent_init(dm_sent_t *s);
void dm_sent_free(dm_sent_t *s);

/* Analyses text[start, end). date is YYYYMMDD (0 unknown). */
void dm_sent_analyse(dm_sent_t *s, const dm_lex_t *lx, const dm_options_t *opts, const char *text,
                     uint32_t start, uint32_t end, long date);

static inline const char *dm_sent_word(const dm_sent_t *s, size_t i)
{
        return s->words + s->toks[i].woff;
}

static inline int dm_sent_has_key(const dm_sent_t *s, uint16_t k)
{
        return (s->keyset[k >> 6] >> (k & 63)) & 1;
}

static inline const char *dm_sent_code(const dm_sent_t *s, uint32_t k)
{
        return s->cbuf + s->codes[k];
}

/* Matches lexicon sequence seq with its first element at token i, the
 * others following with TABARI's connector rules; returns the last token
 * matched, or -1. Words only (no pattern tokens). pos (NULL, or room for
 * seq->count entries) receives the token of each element. */
int dm_sent_match_phrase(const dm_sent_t *s, const dm_lex_seq_t *seq, size_t i, int32_t *pos);

#endif
