/* Shared between the trainer (dm_parse_train.c) and the model export
 * (dm_parse_export.c). */
#ifndef DM_PARSE_TRAIN_INT_H
#define DM_PARSE_TRAIN_INT_H

#include "demarche/dm_conllu.h"
#include "dm_parse_perc.h"
#include "demarche/dm_wclust.h"

#include <stddef.h>
#include <stdint.h>

/* A string -> id table (tags, labels). */
typedef struct dm_ptrain_names {
        char **s;
        size_t n, cap;
} dm_ptrain_names_t;

int dm_ptrain_names_find(const dm_ptrain_names_t *t, const char *s);
int dm_ptrain_names_add(dm_ptrain_names_t *t, const char *s);
void dm_ptrain_names_free(dm_ptrain_names_t *t);

/* A training sentence; per-word arrays are indexed 1..n. */
typedef struct dm_ptrain_sent {
        size_t n;
        const char **forms; /* into the CoNLL-U document */
        int *gtag;          /* gold tag id + 1 (0: unknown tag) */
        int *ptag;          /* predicted tag id + 1 */
        int *ghead;
        int *glab; /* gold label id (-1 unknown) */
        int proj;  /* projective */
        const dm_conllu_sent_t *src;
} dm_ptrain_sent_t;

/* Ambiguity classes: lower-cased form hash -> hash of its training tags,
 * sorted by key. */
typedef struct dm_ptrain_amb {
        uint64_t *key, *cls;
        uint32_t *fixed; /* tag id + 1 of unambiguous frequent words, else 0 */
        size_t n;
        const dm_wclust_map_t *clus; /* word clusters (borrowed; may be empty) */
} dm_ptrain_amb_t;

typedef struct dm_ptrain {
        dm_conllu_doc_t train_doc, dev_doc;
        dm_ptrain_sent_t *train, *dev;
        size_t ntrain, ndev;
        dm_ptrain_names_t tags, labels;  /* tags are "UPOS\tXPOS" */
        dm_perc_t tagger, action, label; /* averaged once training ends */
        dm_ptrain_amb_t amb;             /* from every training sentence */
        uint32_t min_updates;
        uint64_t *coarse;     /* tag id + 1 -> UPOS hash */
        dm_wclust_map_t clus; /* word clusters (empty without --clusters) */
        int beam;             /* parser beam width (1: greedy) */
        int root;             /* the label id of "root", which no arc is given */
        float *lsc;           /* labels.n scores: scratch of the label choice */
} dm_ptrain_t;

/* Writes the model: tables, lexicon and suffix rules learned from the
 * training sentences' gold lemmas and features. */
int dm_ptrain_export(const dm_ptrain_t *t, const char *path, FILE *log, char *errstr,
                     size_t errstr_size);

#endif
