/* CoNLL-U reading and writing (https://universaldependencies.org/format.html).
 * Word lines are split into their ten columns; comments, multi-word token
 * ranges and empty nodes are kept verbatim so that writing a sentence back
 * reproduces it. */
#ifndef DM_CONLLU_H
#define DM_CONLLU_H

#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"

#include <stddef.h>
#include <stdio.h>

enum {
        DM_CU_ID = 0,
        DM_CU_FORM,
        DM_CU_LEMMA,
        DM_CU_UPOS,
        DM_CU_XPOS,
        DM_CU_FEATS,
        DM_CU_HEAD,
        DM_CU_DEPREL,
        DM_CU_DEPS,
        DM_CU_MISC,
        DM_CU_NCOLS
};

typedef struct dm_conllu_word {
        char *col[DM_CU_NCOLS]; /* into the sentence's storage */
        int head;               /* HEAD as a number, -1 when "_" */
} dm_conllu_word_t;

/* An "other" line (comment, range, empty node) and the number of words
 * before it. */
typedef struct dm_conllu_extra {
        char *line;
        size_t before;
} dm_conllu_extra_t;

typedef struct dm_conllu_sent {
        dm_conllu_word_t *w;
        size_t n, cap;
        dm_conllu_extra_t *x;
        size_t nx, xcap;
        dm_buf_t store; /* the word lines, NULs between columns */
        size_t *loff;   /* offset of each word line in store */
        size_t loff_cap;
} dm_conllu_sent_t;

void dm_conllu_sent_init(dm_conllu_sent_t *s);
void dm_conllu_sent_free(dm_conllu_sent_t *s);

/* Reads the next sentence. Returns 1, 0 at the end of the input, or -1 with
 * "file:line: reason" in errstr on a malformed word line. */
int dm_conllu_read(dm_lines_t *it, const char *name, dm_conllu_sent_t *s, char *errstr,
                   size_t errstr_size);
/* Appends the sentence (and its blank line) to b. */
void dm_conllu_write(dm_buf_t *b, const dm_conllu_sent_t *s);

/* A whole file in memory. */
typedef struct dm_conllu_doc {
        dm_conllu_sent_t *s;
        size_t n;
} dm_conllu_doc_t;

int dm_conllu_load(const char *path, size_t max_sents, dm_conllu_doc_t *d, char *errstr,
                   size_t errstr_size);
void dm_conllu_doc_free(dm_conllu_doc_t *d);

#endif
