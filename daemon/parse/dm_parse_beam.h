/* Beam search over arc-hybrid transitions, and its global training (a
 * structured perceptron with max-violation updates, Huang et al. 2012):
 * the parser's `--beam N` option (docs/PARSER.md). Width 1 is not used:
 * the greedy parser (dm_parser.c, dm_parse_train.c) is the default path.
 *
 * A beam is scratch for one thread: it owns the states of its items and
 * grows with the sentence, then no longer allocates. */
#ifndef DM_PARSE_BEAM_H
#define DM_PARSE_BEAM_H

#include "dm_parse_feat.h"
#include "dm_parse_perc.h"

#include <stddef.h>
#include <stdint.h>

#define DM_PBEAM_MAX 64

/* Scores of the transitions (sc[DM_PACT_N]) and the best non-root label
 * of an arc, from features. ctx is the caller's (the model or the
 * perceptrons). */
typedef struct dm_pbeam_scorer {
        void (*action)(void *ctx, const uint64_t *f, size_t nf, float *sc);
        int (*label)(void *ctx, const uint64_t *f, size_t nf);
        void *ctx;
        int root_label;
} dm_pbeam_scorer_t;

typedef struct dm_pbeam dm_pbeam_t;

dm_pbeam_t *dm_pbeam_new(size_t width);
void dm_pbeam_destroy(dm_pbeam_t *b);

/* Fills sc with a scorer over the perceptrons act and lab (borrowed),
 * whose scratch is the beam's: valid while b lives and until the next call
 * for b (training, and its dev figures). */
void dm_pbeam_perc_scorer(dm_pbeam_t *b, const dm_perc_t *act, const dm_perc_t *lab, int root_label,
                          dm_pbeam_scorer_t *sc);

/* Parses words w with tags (ids + 1) by beam search; returns the best
 * final state (owned by the beam, valid until its next call). */
const dm_pstate_t *dm_pbeam_parse(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag,
                                  const uint64_t *coarse, size_t n, const dm_pbeam_scorer_t *sc);

/* One training sentence (projective gold heads and labels, 1..n): decodes
 * with act's current weights and, where the beam's best prefix beats the
 * gold prefix most (max violation), adds the gold prefix's features to
 * act and subtracts the best prefix's. The label perceptron lab learns
 * along the gold transitions, as in greedy training. Returns 1 when act
 * was updated. */
int dm_pbeam_train(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                   size_t n, const int *ghead, const int *glab, int root_label, dm_perc_t *act,
                   dm_perc_t *lab);

#endif
