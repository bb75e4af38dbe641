/* TABARI verb-pattern matching (manual 5.5-5.7) for the coder: a pattern's
 * elements matched against a sentence's tokens from the verb outwards, with
 * actors bound to $ + % ^ and a bounded number of backtracking steps.
 *
 * Thread rules: a dm_pm_t is the calling coder's scratch; the lexicon and
 * the sentence are read-only. */
#ifndef DM_CODER_PM_H
#define DM_CODER_PM_H

#include "coding/dm_sent.h"
#include "dict/dm_lex.h"

#include <stdint.h>

typedef struct dm_pm_frame {
        const dm_lex_el_t *els;
        uint32_t n;
        const struct dm_pm_frame *up;
        uint32_t up_k;
        uint8_t up_adj;
} dm_pm_frame_t;

typedef struct dm_pm {
        const dm_sent_t *s;
        const dm_lex_t *lx;
        int cs, ce;
        int vfirst, vlast;
        int src, tgt, comp;
        int budget;
        uint32_t matched_len; /* letters of the words on the matching path */
        int skip[4], nskip;   /* actors skipped by ^ */
} dm_pm_t;

/* Matches elements [k, f->n) of frame f from token pos (adj: the first
 * must be at pos exactly; top_first: the frame is the pattern's top level
 * at its start). Returns 1 on a match, with the bound actors in pm. */
int dm_pm_match(dm_pm_t *pm, const dm_pm_frame_t *f, uint32_t k, int pos, int adj, int top_first);

#endif
