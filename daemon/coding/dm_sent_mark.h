/* The lexical analysis of a sentence kept for the next analysis of the
 * same sentence (issue 12, "one analysis"): the annotator first asks the
 * coder for a sentence's actors, then codes it with the context those
 * actors gave (dm_sent_ctx_t), and both run the same tokenisation and
 * dictionary lookups (dm_sent_tokenize, dm_sent_classify). The first
 * analysis keeps its state after those steps; the second, of the same
 * bytes with the same lexicon, options and date, starts from it and runs
 * only the steps that read the context (extras, agents, compounds, commas,
 * pronouns, clauses).
 *
 * Thread rules: a mark belongs to its dm_sent_t (one per coder, one thread
 * at a time). */
#ifndef DM_SENT_MARK_H
#define DM_SENT_MARK_H

#include "coding/dm_sent.h"

/* Keeps s's state after classification, keyed by what it analysed. */
void dm_sent_mark_save(dm_sent_t *s, const char *text, uint32_t start, uint32_t end);

/* When s's mark holds the analysis of these bytes with s's lexicon, options
 * and date, restores it and returns 1 (the mark is used up); else 0. */
int dm_sent_mark_restore(dm_sent_t *s, const char *text, uint32_t start, uint32_t end);

/* Forgets the mark (NULL-safe on s->mark). */
void dm_sent_mark_clear(dm_sent_t *s);

/* Frees the mark; called by dm_sent_free. */
void dm_sent_mark_free(dm_sent_t *s);

#endif
