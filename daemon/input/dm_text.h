/* Text primitives shared by the annotator and the coder: sentence splitting
 * and tokenisation with byte offsets into the text.
 *
 * Pure functions over caller-owned buffers; any thread. */
#ifndef DM_TEXT_H
#define DM_TEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_span {
        uint32_t start, end; /* byte offsets, end exclusive */
} dm_span_t;

/* A token: its span in the text and its upper-cased form (ASCII letters
 * upper-cased; other bytes kept). */
typedef struct dm_token {
        dm_span_t span;
        char *word;        /* points into the tokeniser's scratch */
        int hyphen_before; /* joined by a hyphen to the previous token ("US-NATO") */
} dm_token_t;

/* Per-thread scratch reused across calls. */
typedef struct dm_tokens {
        dm_token_t *toks;
        size_t count, cap;
        char *words;
        size_t words_len, words_cap;
        const char **words_v; /* toks[i].word as an array, for the dictionary matcher */
        size_t words_v_cap;
} dm_tokens_t;

void dm_tokens_init(dm_tokens_t *t);
void dm_tokens_free(dm_tokens_t *t);
/* Tokenises text[start, end). Words are letters/digits (any byte >= 0x80
 * counts as a letter, so UTF-8 names stay whole), inner apostrophes
 * ("Syria's") and dotted initialisms ("U.S.", "U.N."). Hyphenated words are
 * split into their parts ("US-NATO" -> US, NATO; the later part has
 * hyphen_before set) except after a prefix ("anti-Russian" stays whole);
 * punctuation marks other than those become one-character tokens. */
void dm_tokenize(dm_tokens_t *t, const char *text, uint32_t start, uint32_t end);

/* Splits text[0, len) into sentences; appends spans to *out (dm_grow'd array
 * with *count and *cap). Breaks after . ! ? (and closing quotes) followed by
 * space and an upper-case letter, digit or quote, or at blank lines, except
 * after common abbreviations and single initials. */
void dm_split_sentences(const char *text, size_t len, dm_span_t **out, size_t *count, size_t *cap);

/* Whether w equals one of the words of the NULL-terminated list. */
int dm_text_word_in(const char *w, const char *const *list);

/* Whether the upper-case word reads as an -ly adverb ("REPEATEDLY"); a
 * caller that may hold a name so spelt ("ITALY") checks its actors first. */
int dm_text_is_adverb(const char *w);

/* Whether the verb at token i is passive ("was not consulted", "is being
 * urged", "those sanctioned by"): a form of BE, GET or BECOME (or THOSE)
 * before it, over negation and a few adverbs. */
int dm_text_is_passive(const dm_tokens_t *tk, size_t i);

#endif
