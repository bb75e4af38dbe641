/* Averaged multi-class perceptron for training the tagger, the transition
 * and the label classifiers. Rows (one weight per class) are created on a
 * feature's first update. Averaging is lazy: each weight keeps its running
 * total and the time of its last change, so an update costs O(1) and the
 * average is settled once at the end (Daume's "timestamp" trick). */
#ifndef DM_PARSE_PERC_H
#define DM_PARSE_PERC_H

#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_perc {
        uint32_t ncls;
        uint64_t *keys;
        uint32_t *idx;
        uint32_t cap, count;
        float *w;       /* nrows x ncls */
        double *tot;    /* running totals for the average */
        uint32_t *ts;   /* time of each weight's last change */
        uint32_t *nupd; /* updates per row */
        uint32_t nrows, rows_cap;
        uint32_t now; /* instances seen */
} dm_perc_t;

void dm_perc_init(dm_perc_t *p, uint32_t ncls);
void dm_perc_free(dm_perc_t *p);
/* sc[c] = sum of the class weights of the features present. */
void dm_perc_score(const dm_perc_t *p, const uint64_t *f, size_t nf, float *sc);
/* The best-scoring class of f other than skip (-1: none skipped); sc is
 * the caller's scratch of ncls floats and keeps the scores. */
int dm_perc_best(const dm_perc_t *p, const uint64_t *f, size_t nf, float *sc, int skip);
/* One training instance seen (advances the clock). */
void dm_perc_tick(dm_perc_t *p);
/* Adds delta to class cls of every feature. */
void dm_perc_update(dm_perc_t *p, const uint64_t *f, size_t nf, uint32_t cls, float delta);
/* A copy holding the averaged weights (for evaluation and export). */
void dm_perc_averaged(const dm_perc_t *p, dm_perc_t *avg);
/* Quantises to int16 rows and appends a table section to b. Rows of
 * features updated fewer than min_updates times in training are dropped
 * (rare words and combinations: most of the rows, little of the accuracy),
 * as are rows that round to zero. Returns the rows kept. */
uint32_t dm_perc_export(const dm_perc_t *p, uint32_t min_updates, dm_buf_t *b);

#endif
