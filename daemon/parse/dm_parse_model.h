/* The parser's model file: sections of hash tables and weight rows, loaded
 * into one read-only block that every thread shares.
 *
 * Layout (little-endian, every section 8-byte aligned):
 *   header   magic "DMPARSE\0", u32 version, u32 nsections, u64 file size,
 *            u64 checksum (FNV-1a 64 of every byte after the header)
 *   table    nsections x {u32 id, u32 pad, u64 offset, u64 size}
 *   payload  the sections (dm_parse_model.c lists them)
 */
#ifndef DM_PARSE_MODEL_H
#define DM_PARSE_MODEL_H

#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "demarche/dm_parse.h"

#include <stddef.h>
#include <stdint.h>

/* The version covers the feature templates too (dm_parse_feat.c): a model
 * is only valid with the features it was trained with. */
#define DM_PMODEL_VERSION 3
/* Still read: the same without word clusters and beam width. */
#define DM_PMODEL_VERSION_GREEDY 2
#define DM_PMODEL_HEADER         32

enum {
        DM_PSEC_STRINGS = 1, /* NUL-terminated strings, referred to by offset */
        DM_PSEC_META,        /* u32 ntags, nlabels, then per tag upos, xpos, feats
                                offsets, per label name offset, then u32 beam width */
        DM_PSEC_TAGGER,      /* weights: feature -> row of ntags int16 */
        DM_PSEC_ACTION,      /* weights: feature -> row of DM_PACT_N int16 */
        DM_PSEC_LABEL,       /* weights: feature -> row of nlabels int16 */
        DM_PSEC_LEXICON,     /* (form, tag) -> {lemma, feats} string offsets */
        DM_PSEC_SUFFIX,      /* (tag, suffix) -> {strip, append} */
        DM_PSEC_AMBIG,       /* lower-cased form -> {u64 ambiguity class, u32 fixed tag + 1,
                                u32 word cluster (dm_wclust.h code, 0 none)} */
        DM_PSEC_COUNT
};

/* A read-only hash table section: u32 cap (a power of two), u32 nrows,
 * u32 rowsize (bytes), u32 ncls, f32 scale, u32 pad, then cap slots of
 * {u32 fingerprint, u32 row} (fingerprint 0: empty), then the rows. The
 * slot is the key's low bits, the fingerprint its high 32 bits (odd): one
 * 8-byte probe per lookup, and a false match needs a 32-bit collision in
 * the same short probe run. */
typedef struct dm_ptable {
        uint32_t cap, nrows, rowsize, ncls;
        float scale;
        const uint32_t *slots;
        const unsigned char *rows;
} dm_ptable_t;

static inline uint32_t dm_ptable_fp(uint64_t key)
{
        return (uint32_t)(key >> 32) | 1u;
}

/* The row for key, or NULL. */
static inline const void *dm_ptable_get(const dm_ptable_t *t, uint64_t key)
{
        uint32_t mask = t->cap - 1, i = (uint32_t)key & mask, fp = dm_ptable_fp(key);
        for (;;) {
                uint32_t f = t->slots[2 * i];
                if (f == fp)
                        return t->rows + (size_t)t->slots[2 * i + 1] * t->rowsize;
                if (!f)
                        return NULL;
                i = (i + 1) & mask;
        }
}

typedef struct dm_lex_entry {
        uint32_t lemma, feats;
} dm_lex_entry_t;

struct dm_parse_model {
        unsigned char *mem;
        size_t size;
        const char *strs;
        size_t strs_size;
        uint32_t ntags, nlabels;
        uint32_t version; /* DM_PMODEL_VERSION or DM_PMODEL_VERSION_GREEDY */
        uint32_t beam;    /* parser beam width, 1 greedy (dm_parse_beam.h) */
        int has_clusters; /* some word has a cluster (dm_wclust.h) */
        const uint32_t *tag_upos, *tag_xpos, *tag_feats, *label_name;
        uint64_t *tag_coarse; /* tag id + 1 -> hash of its UPOS (made at load) */
        int label_root, label_punct, label_aux, label_auxpass, label_nsubjpass, label_cop;
        int label_nsubj, label_agent;
        dm_ptable_t tagger, action, label, lexicon, suffix, ambig;
};

uint64_t dm_pmodel_checksum(const void *data, size_t size);

/* Builder for the writer (training): a growing file image. */
typedef struct dm_pmodel_writer {
        dm_buf_t out;
        uint32_t nsec;
        uint32_t ids[DM_PSEC_COUNT];
        uint64_t off[DM_PSEC_COUNT], size[DM_PSEC_COUNT];
} dm_pmodel_writer_t;

void dm_pmodel_writer_init(dm_pmodel_writer_t *w);
/* Appends a section (its bytes are copied). */
void dm_pmodel_writer_add(dm_pmodel_writer_t *w, uint32_t id, const void *data, size_t size);
/* Writes the file; 0 or -1 with errstr. Frees the writer. */
int dm_pmodel_writer_finish(dm_pmodel_writer_t *w, const char *path, char *errstr,
                            size_t errstr_size);

/* Builds a table section image into b: n keys (nonzero, distinct) with
 * rows[i] of rowsize bytes each. */
void dm_ptable_build(dm_buf_t *b, const uint64_t *keys, const void *rows, uint32_t n,
                     uint32_t rowsize, uint32_t ncls, float scale);

#endif
