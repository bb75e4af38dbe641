/* Phrase lists compiled once: the '|'-separated alternatives of the event
 * frames' rules (the dictionaries' rules files, dm_rules) and of the coding layer's
 * own word lists ("BROKE OFF|SUSPEND*|CALLED OFF"), each of upper-case words
 * separated by spaces, a word ending in '*' matching any word it starts.
 *
 * The tables' strings are registered once at start (dm_phrases_register,
 * from the annotator's one-time initialisation) and matched by pointer from
 * then on, so nothing is parsed per sentence; a string never registered is
 * parsed where it is matched, which is correct but slow.
 *
 * Threads: dm_phrases_register only before any concurrent dm_phrases_match
 * (it takes a lock, but lookups do not); dm_phrases_match from any thread.
 * The compiled lists live until the process exits. */
#ifndef DM_PHRASES_H
#define DM_PHRASES_H

#include "input/dm_text.h"

#include <stddef.h>
#include <stdint.h>

/* The most words one alternative may have. */
#define DM_PHRASE_MAX_WORDS 8

/* Compiles alts and remembers it under its address; alts must outlive the
 * process (a string literal). Registering the same address twice is a
 * no-op. */
void dm_phrases_register(const char *alts);

/* The number of tokens from token i matched by the longest alternative of
 * alts; 0 when none matches. */
size_t dm_phrases_match(const char *alts, const dm_tokens_t *tk, size_t i);

/* A phrase list that owns a copy of its text: the rules files' lists,
 * loaded and freed with their dictionaries on a reload, where an address
 * registered for the process's life would outlive its string. Made before
 * workers use it, then read-only: dm_phrase_list_match from any thread.
 * alts must pass dm_phrases_check. */
typedef struct dm_phrase_list dm_phrase_list_t;
dm_phrase_list_t *dm_phrase_list_new(const char *alts);
void dm_phrase_list_destroy(dm_phrase_list_t *l); /* NULL: no-op */
/* The text compiled; owned by l. */
const char *dm_phrase_list_text(const dm_phrase_list_t *l);
/* As dm_phrases_match; a NULL list matches nothing. */
size_t dm_phrase_list_match(const dm_phrase_list_t *l, const dm_tokens_t *tk, size_t i);

/* First-word keys, for an index over many lists: a list can match at a
 * token only if the key of the token's word is among the list's keys.
 * A key hashes a word's first two bytes, so keys of different words may
 * collide (a collision costs a match, never a miss). */
#define DM_PHRASE_KEYS 1024
unsigned dm_phrase_key(const char *word);
/* Sets in bits (DM_PHRASE_KEYS bits, set by the caller to what it wants
 * kept) the keys of the words l's alternatives can start with. */
void dm_phrase_list_keys(const dm_phrase_list_t *l, uint64_t *bits);

/* Whether alts is a well-formed list: no empty alternative, at most
 * DM_PHRASE_MAX_WORDS words each, upper-case words, '*' only ending a
 * word. 0 yes; -1 no, with the reason in errstr. */
int dm_phrases_check(const char *alts, char *errstr, size_t errstr_size);

#endif
