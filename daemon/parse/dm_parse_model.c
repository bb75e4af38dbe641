/* Loading and writing the parser's model file (dm_parse_model.h). The
 * loader checks everything a later lookup relies on (sizes, offsets, string
 * termination, a free slot in every hash table), so a parse can never read
 * outside the block whatever the file held. */
#include "dm_parse_model.h"

#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "dm_parse_beam.h"
#include "dm_parse_feat.h"

#include <errno.h>
#include <sys/mman.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char dm_pmodel_magic[8] = "DMPARSE";

uint64_t dm_pmodel_checksum(const void *data, size_t size)
{
        return dm_fnv1a64(data, size);
}

static uint32_t rd32(const unsigned char *p)
{
        uint32_t v;
        memcpy(&v, p, 4);
        return v;
}

static uint64_t rd64(const unsigned char *p)
{
        uint64_t v;
        memcpy(&v, p, 8);
        return v;
}

/* The weights are probed at random: on 4 KiB pages nearly every probe
 * also misses the TLB. A 2 MiB-aligned block the kernel may back with
 * transparent huge pages (madvise mode) avoids that. */
#define DM_PMODEL_HUGE (2u << 20)

static unsigned char *model_alloc(size_t size)
{
        size_t len = (size + 8 + DM_PMODEL_HUGE - 1) & ~(size_t)(DM_PMODEL_HUGE - 1);
        void *p = NULL;
        if (size < 2 * DM_PMODEL_HUGE)
                return dm_malloc(size + 8); /* small: fits the TLB anyway */
        if (posix_memalign(&p, DM_PMODEL_HUGE, len)) {
                /* Out of memory aborts, as in dm_mem.c. */
                fprintf(stderr, "level=fatal component=parse msg=\"out of memory\" size=%zu\n",
                        len);
                abort();
        }
#ifdef MADV_HUGEPAGE
        madvise(p, len, MADV_HUGEPAGE); /* a hint: failure only costs speed */
#endif
        return p;
}

static int load_table(dm_ptable_t *t, const unsigned char *p, uint64_t size, const char *what,
                      uint32_t want_ncls, uint32_t want_rowsize, char *errstr, size_t errstr_size)
{
        uint64_t need, used = 0, i;
        float scale;
        if (size < 24) {
                dm_str_seterr(errstr, errstr_size, "%s table: section too short", what);
                return -1;
        }
        t->cap = rd32(p);
        t->nrows = rd32(p + 4);
        t->rowsize = rd32(p + 8);
        t->ncls = rd32(p + 12);
        memcpy(&scale, p + 16, 4);
        t->scale = scale;
        if (!t->cap || (t->cap & (t->cap - 1)) || t->cap > (1u << 28)) {
                dm_str_seterr(errstr, errstr_size, "%s table: bad capacity %u", what, t->cap);
                return -1;
        }
        if (t->ncls != want_ncls || t->rowsize != want_rowsize) {
                dm_str_seterr(errstr, errstr_size,
                              "%s table: %u classes of %u bytes, expected %u of %u", what, t->ncls,
                              t->rowsize, want_ncls, want_rowsize);
                return -1;
        }
        need = 24 + (uint64_t)t->cap * 8 + (uint64_t)t->nrows * t->rowsize;
        if (need > size) {
                dm_str_seterr(errstr, errstr_size, "%s table: %llu bytes needed, %llu present",
                              what, (unsigned long long)need, (unsigned long long)size);
                return -1;
        }
        t->slots = (const uint32_t *)(p + 24);
        t->rows = p + 24 + (size_t)t->cap * 8;
        for (i = 0; i < t->cap; i++) {
                if (!t->slots[2 * i])
                        continue;
                used++;
                if (t->slots[2 * i + 1] >= t->nrows) {
                        dm_str_seterr(errstr, errstr_size, "%s table: row %u out of range", what,
                                      t->slots[2 * i + 1]);
                        return -1;
                }
        }
        /* Lookups stop at an empty slot: a full table would loop forever. */
        if (used >= t->cap) {
                dm_str_seterr(errstr, errstr_size, "%s table: no free slot", what);
                return -1;
        }
        return 0;
}

static int check_str(const dm_parse_model_t *m, uint32_t off)
{
        return off < m->strs_size;
}

static int load_meta(dm_parse_model_t *m, const unsigned char *p, uint64_t size, char *errstr,
                     size_t errstr_size)
{
        uint64_t need;
        uint32_t i;
        if (size < 8)
                goto bad;
        m->ntags = rd32(p);
        m->nlabels = rd32(p + 4);
        if (!m->ntags || !m->nlabels || m->ntags > 4096 || m->nlabels > 4096)
                goto bad;
        need = 8 + 12ULL * m->ntags + 4ULL * m->nlabels;
        if (m->version > DM_PMODEL_VERSION_GREEDY)
                need += 4;
        if (need > size)
                goto bad;
        /* The parser's beam width (1: greedy). */
        m->beam = m->version > DM_PMODEL_VERSION_GREEDY ? rd32(p + need - 4) : 1;
        if (m->beam < 1 || m->beam > DM_PBEAM_MAX)
                goto bad;
        m->tag_upos = (const uint32_t *)(p + 8);
        m->tag_xpos = m->tag_upos + m->ntags;
        m->tag_feats = m->tag_xpos + m->ntags;
        m->label_name = m->tag_feats + m->ntags;
        for (i = 0; i < 3 * m->ntags + m->nlabels; i++)
                if (!check_str(m, m->tag_upos[i]))
                        goto bad;
        m->tag_coarse = dm_calloc(m->ntags + 1, sizeof(*m->tag_coarse));
        for (i = 0; i < m->ntags; i++)
                m->tag_coarse[i + 1] = dm_pf_coarse(m->strs + m->tag_upos[i]);
        m->label_root = m->label_punct = m->label_aux = m->label_auxpass = -1;
        m->label_nsubjpass = m->label_cop = m->label_nsubj = m->label_agent = -1;
        for (i = 0; i < m->nlabels; i++) {
                const char *l = m->strs + m->label_name[i];
                if (!strcmp(l, "root"))
                        m->label_root = (int)i;
                else if (!strcmp(l, "punct"))
                        m->label_punct = (int)i;
                else if (!strcmp(l, "aux"))
                        m->label_aux = (int)i;
                else if (!strcmp(l, "aux:pass"))
                        m->label_auxpass = (int)i;
                else if (!strcmp(l, "nsubj:pass"))
                        m->label_nsubjpass = (int)i;
                else if (!strcmp(l, "nsubj"))
                        m->label_nsubj = (int)i;
                else if (!strcmp(l, "obl:agent"))
                        m->label_agent = (int)i;
                else if (!strcmp(l, "cop"))
                        m->label_cop = (int)i;
        }
        if (m->label_root < 0) {
                dm_str_seterr(errstr, errstr_size, "model has no root label");
                return -1;
        }
        return 0;
bad:
        dm_str_seterr(errstr, errstr_size, "bad tag/label section");
        return -1;
}

static int check_lexicon(const dm_parse_model_t *m, char *errstr, size_t errstr_size)
{
        uint32_t i;
        for (i = 0; i < m->lexicon.nrows; i++) {
                dm_lex_entry_t e;
                memcpy(&e, m->lexicon.rows + (size_t)i * 8, 8);
                if (!check_str(m, e.lemma) || !check_str(m, e.feats))
                        goto bad;
        }
        for (i = 0; i < m->suffix.nrows; i++) {
                uint32_t app = rd32(m->suffix.rows + (size_t)i * 8 + 4);
                if (!check_str(m, app))
                        goto bad;
        }
        return 0;
bad:
        dm_str_seterr(errstr, errstr_size, "lexicon: string offset out of range");
        return -1;
}

/* Fixed tags must name a tag; clusters must be paths. */
static int check_fixed(dm_parse_model_t *m, char *errstr, size_t errstr_size)
{
        uint32_t i;
        for (i = 0; i < m->ambig.nrows; i++) {
                if (rd32(m->ambig.rows + (size_t)i * 16 + 8) > m->ntags) {
                        dm_str_seterr(errstr, errstr_size, "ambiguity table: bad tag");
                        return -1;
                }
                /* A cluster is a path of at most 24 bits after a leading 1
                 * (none in version 2). */
                uint32_t c = rd32(m->ambig.rows + (size_t)i * 16 + 12);
                m->has_clusters |= c != 0;
                if (c >= 1u << 25 || (c && m->version == DM_PMODEL_VERSION_GREEDY)) {
                        dm_str_seterr(errstr, errstr_size, "ambiguity table: bad word cluster");
                        return -1;
                }
        }
        return 0;
}

dm_parse_model_t *dm_parse_model_load_mem(const void *data, size_t size, char *errstr,
                                          size_t errstr_size)
{
        dm_parse_model_t *m = dm_calloc(1, sizeof(*m));
        const unsigned char *p, *sec[DM_PSEC_COUNT] = {0};
        uint64_t secsize[DM_PSEC_COUNT] = {0};
        uint32_t version, nsec, i;
        if (size < DM_PMODEL_HEADER || memcmp(data, dm_pmodel_magic, 8)) {
                dm_str_seterr(errstr, errstr_size, "not a demarche parser model (bad magic)");
                goto fail;
        }
        /* Copied into 8-aligned storage: the sections are read in place. */
        m->mem = model_alloc(size);
        memcpy(m->mem, data, size);
        m->size = size;
        p = m->mem;
        version = rd32(p + 8);
        nsec = rd32(p + 12);
        /* Version 2 is version 3 without word clusters and with a greedy
         * parser: no beam width in the meta section, no cluster in the
         * ambiguity rows (their pad is 0, checked below). The cluster
         * features then hash to keys a version 2 model does not hold, so it
         * tags and parses as it did. */
        if (version != DM_PMODEL_VERSION && version != DM_PMODEL_VERSION_GREEDY) {
                dm_str_seterr(errstr, errstr_size, "model version %u, this build reads %u and %u",
                              version, DM_PMODEL_VERSION_GREEDY, DM_PMODEL_VERSION);
                goto fail;
        }
        m->version = version;
        if (rd64(p + 16) != size) {
                dm_str_seterr(errstr, errstr_size,
                              "model truncated or padded: header says %llu bytes, file has %zu",
                              (unsigned long long)rd64(p + 16), size);
                goto fail;
        }
        if (rd64(p + 24) != dm_pmodel_checksum(p + DM_PMODEL_HEADER, size - DM_PMODEL_HEADER)) {
                dm_str_seterr(errstr, errstr_size, "model checksum mismatch (corrupt file)");
                goto fail;
        }
        if (nsec > 64 || DM_PMODEL_HEADER + 24ULL * nsec > size) {
                dm_str_seterr(errstr, errstr_size, "bad section table");
                goto fail;
        }
        for (i = 0; i < nsec; i++) {
                const unsigned char *e = p + DM_PMODEL_HEADER + 24 * i;
                uint32_t id = rd32(e);
                uint64_t off = rd64(e + 8), sz = rd64(e + 16);
                if (off > size || sz > size - off || (off & 7)) {
                        dm_str_seterr(errstr, errstr_size, "section %u out of bounds", id);
                        goto fail;
                }
                if (id > 0 && id < DM_PSEC_COUNT) {
                        sec[id] = p + off;
                        secsize[id] = sz;
                }
        }
        for (i = 1; i < DM_PSEC_COUNT; i++) {
                if (!sec[i]) {
                        dm_str_seterr(errstr, errstr_size, "section %u missing", i);
                        goto fail;
                }
        }
        m->strs = (const char *)sec[DM_PSEC_STRINGS];
        m->strs_size = secsize[DM_PSEC_STRINGS];
        if (!m->strs_size || m->strs[m->strs_size - 1]) {
                dm_str_seterr(errstr, errstr_size, "string section not terminated");
                goto fail;
        }
        if (load_meta(m, sec[DM_PSEC_META], secsize[DM_PSEC_META], errstr, errstr_size) ||
            load_table(&m->tagger, sec[DM_PSEC_TAGGER], secsize[DM_PSEC_TAGGER], "tagger", m->ntags,
                       m->ntags * 2, errstr, errstr_size) ||
            load_table(&m->action, sec[DM_PSEC_ACTION], secsize[DM_PSEC_ACTION], "action", 3, 3 * 2,
                       errstr, errstr_size) ||
            load_table(&m->label, sec[DM_PSEC_LABEL], secsize[DM_PSEC_LABEL], "label", m->nlabels,
                       m->nlabels * 2, errstr, errstr_size) ||
            load_table(&m->lexicon, sec[DM_PSEC_LEXICON], secsize[DM_PSEC_LEXICON], "lexicon", 0, 8,
                       errstr, errstr_size) ||
            load_table(&m->suffix, sec[DM_PSEC_SUFFIX], secsize[DM_PSEC_SUFFIX], "suffix", 0, 8,
                       errstr, errstr_size) ||
            load_table(&m->ambig, sec[DM_PSEC_AMBIG], secsize[DM_PSEC_AMBIG], "ambiguity", 0, 16,
                       errstr, errstr_size) ||
            check_fixed(m, errstr, errstr_size) || check_lexicon(m, errstr, errstr_size))
                goto fail;
        return m;
fail:
        dm_parse_model_destroy(m);
        return NULL;
}

dm_parse_model_t *dm_parse_model_load(const char *path, char *errstr, size_t errstr_size)
{
        dm_parse_model_t *m = NULL;
        dm_buf_t b;
        FILE *fp = fopen(path, "rb");
        dm_buf_init(&b);
        if (!fp) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                goto out;
        }
        if (dm_buf_read_stream(&b, fp)) {
                dm_str_seterr(errstr, errstr_size, "%s: read error", path);
                goto out;
        }
        m = dm_parse_model_load_mem(b.data, b.len, errstr, errstr_size);
        if (!m && errstr && errstr_size) {
                char tmp[512];
                snprintf(tmp, sizeof(tmp), "%s", errstr);
                dm_str_seterr(errstr, errstr_size, "%s: %s", path, tmp);
        }
out:
        if (fp)
                fclose(fp);
        dm_buf_free(&b);
        return m;
}

void dm_parse_model_destroy(dm_parse_model_t *m)
{
        if (!m)
                return;
        free(m->mem);
        free(m->tag_coarse);
        free(m);
}

const char *dm_parse_model_default_path(void)
{
        /* Per thread: callers in different threads get their own copy. */
        static _Thread_local char buf[4096];
        const char *env = getenv("DEMARCHE_MODELS");
        if (env && *env) {
                snprintf(buf, sizeof(buf), "%s/en_ewt.dmparse", env);
                return buf;
        }
        return DM_DEFAULT_MODELS "/en_ewt.dmparse";
}

void dm_pmodel_writer_init(dm_pmodel_writer_t *w)
{
        memset(w, 0, sizeof(*w));
        dm_buf_init(&w->out);
}

static void pad8(dm_buf_t *b)
{
        static const char zero[8] = {0};
        if (b->len & 7)
                dm_buf_append(b, zero, 8 - (b->len & 7));
}

void dm_pmodel_writer_add(dm_pmodel_writer_t *w, uint32_t id, const void *data, size_t size)
{
        pad8(&w->out);
        w->ids[w->nsec] = id;
        w->off[w->nsec] = w->out.len;
        w->size[w->nsec] = size;
        dm_buf_append(&w->out, data, size);
        w->nsec++;
}

int dm_pmodel_writer_finish(dm_pmodel_writer_t *w, const char *path, char *errstr,
                            size_t errstr_size)
{
        dm_buf_t f;
        uint64_t hdr = DM_PMODEL_HEADER + 24ULL * w->nsec, v64, sum;
        uint32_t i, v32;
        int rc = -1;
        FILE *fp;
        dm_buf_init(&f);
        dm_buf_append(&f, dm_pmodel_magic, 8);
        v32 = DM_PMODEL_VERSION;
        dm_buf_append(&f, &v32, 4);
        dm_buf_append(&f, &w->nsec, 4);
        v64 = 0;
        dm_buf_append(&f, &v64, 8); /* size, patched below */
        dm_buf_append(&f, &v64, 8); /* checksum */
        for (i = 0; i < w->nsec; i++) {
                uint64_t off = hdr + w->off[i];
                v32 = 0;
                dm_buf_append(&f, &w->ids[i], 4);
                dm_buf_append(&f, &v32, 4);
                dm_buf_append(&f, &off, 8);
                dm_buf_append(&f, &w->size[i], 8);
        }
        dm_buf_append(&f, w->out.data, w->out.len);
        v64 = f.len;
        memcpy(f.data + 16, &v64, 8);
        sum = dm_pmodel_checksum(f.data + DM_PMODEL_HEADER, f.len - DM_PMODEL_HEADER);
        memcpy(f.data + 24, &sum, 8);
        fp = fopen(path, "wb");
        if (!fp || fwrite(f.data, 1, f.len, fp) != f.len) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot write: %s", path, strerror(errno));
                goto out;
        }
        rc = 0;
out:
        if (fp && fclose(fp) && !rc) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot write", path);
                rc = -1;
        }
        dm_buf_free(&f);
        dm_buf_free(&w->out);
        return rc;
}

void dm_ptable_build(dm_buf_t *b, const uint64_t *keys, const void *rows, uint32_t n,
                     uint32_t rowsize, uint32_t ncls, float scale)
{
        uint32_t cap = 16, i, pad = 0;
        uint32_t *slots;
        /* Load factor at most 0.7: probes stay short, the index stays small. */
        while ((uint64_t)cap * 7 < (uint64_t)n * 10 + 10)
                cap <<= 1;
        slots = dm_calloc(cap, 8);
        for (i = 0; i < n; i++) {
                uint32_t mask = cap - 1, j = (uint32_t)keys[i] & mask;
                while (slots[2 * j])
                        j = (j + 1) & mask;
                slots[2 * j] = dm_ptable_fp(keys[i]);
                slots[2 * j + 1] = i;
        }
        dm_buf_append(b, &cap, 4);
        dm_buf_append(b, &n, 4);
        dm_buf_append(b, &rowsize, 4);
        dm_buf_append(b, &ncls, 4);
        dm_buf_append(b, &scale, 4);
        dm_buf_append(b, &pad, 4);
        dm_buf_append(b, slots, (size_t)cap * 8);
        dm_buf_append(b, rows, (size_t)n * rowsize);
        pad8(b);
        free(slots);
}
