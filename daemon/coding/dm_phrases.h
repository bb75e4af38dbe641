/* Phrase lists compiled once: the '|'-separated alternatives of the event
 * frames' tables ("BROKE OFF|SUSPEND*|CALLED OFF"), each of upper-case words
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

/* Compiles alts and remembers it under its address; alts must outlive the
 * process (a string literal). Registering the same address twice is a
 * no-op. */
void dm_phrases_register(const char *alts);

/* The number of tokens from token i matched by the longest alternative of
 * alts; 0 when none matches. */
size_t dm_phrases_match(const char *alts, const dm_tokens_t *tk, size_t i);

#endif
