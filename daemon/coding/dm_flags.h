/* Event flags: negated ("never", "not"), hypothetical ("would", "could",
 * "if", "will", "threatened to") and historical (anchored before the
 * article's date by "in 1904", "on May 2", "last year", or a sentence that
 * names an earlier year and no time of the article's own). They apply to
 * every event: the coder's, the frames' and the domestic frames'.
 *
 * Pure functions over caller-owned data; any thread. */
#ifndef DM_FLAGS_H
#define DM_FLAGS_H

#include "input/dm_text.h"

#include <stddef.h>
#include <stdint.h>

/* Clause bounds [from, to) around token t: a semicolon, or a comma followed
 * or preceded by a conjunction ("..., and has broken off"). */
void dm_flags_clause(const dm_tokens_t *tk, size_t t, size_t *from, size_t *to);

/* The flags of an event whose trigger starts at token trig; article_ms is
 * the article's time (-1 unknown: nothing is historical); sentence_past
 * says the sentence as a whole is set before the article (see
 * dm_flags_sentence), which makes every event in it historical. */
void dm_flags_event(const dm_tokens_t *tk, size_t trig, int64_t article_ms, int sentence_past,
                    int *negated, int *hypothetical, int *historical);

/* Time facts of a whole sentence, read once per sentence: *past, it names
 * an earlier year ("in November 2015", "the massacre of 1982") and no time
 * of the article's own; *dated, it names a time of any kind (a year, a
 * month, a weekday, "today", "this week") or is told in the present, the
 * perfect or the future ("is", "has", "will": from the time of writing).
 * The annotator carries *past to the next sentence when that one is not
 * dated: "He returned to the UK in November 2015. Upon landing, he was
 * arrested." */
void dm_flags_sentence(const dm_tokens_t *tk, int64_t article_ms, int *past, int *dated);

#endif
