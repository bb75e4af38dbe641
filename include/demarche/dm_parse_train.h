/* Training the tagger and the parser from CoNLL-U treebanks (the
 * `demarche train-parser` command). Single-threaded and deterministic for
 * a seed. */
#ifndef DM_PARSE_TRAIN_H
#define DM_PARSE_TRAIN_H

#include <stddef.h>
#include <stdio.h>

typedef struct dm_parse_train_opts {
        const char *train;    /* CoNLL-U training file */
        const char *dev;      /* CoNLL-U development file (figures per epoch), or NULL */
        const char *out;      /* model file to write */
        unsigned long seed;   /* shuffling and exploration */
        int epochs;           /* parser epochs (the tagger gets the same) */
        size_t max_sents;     /* use only the first N training sentences (0: all) */
        unsigned min_updates; /* drop weight rows of features updated fewer times */
        int folds;            /* jackknife folds for the parser's training tags (0: none) */
        int explore; /* percent of the model's mistakes followed from epoch 2 (dynamic oracle) */
        /* Nonzero: the final tagger trains on each sentence with the
         * ambiguity classes of the other folds (needs folds > 0), so a
         * word's class never holds the tag of the token being learned;
         * the model keeps the classes of all the training data. */
        int fold_classes;
        const char *clusters; /* word cluster file (dm_wclust.h), or NULL */
        int beam;  /* parser beam width (0 or 1: greedy, the default), stored in the model */
        FILE *log; /* progress lines, or NULL */
} dm_parse_train_opts_t;

/* Returns 0, or -1 with the reason in errstr. */
int dm_parse_train(const dm_parse_train_opts_t *o, char *errstr, size_t errstr_size);

#endif
