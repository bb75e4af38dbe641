/* A sentence's lexical analysis kept for its next analysis (dm_sent_mark.h). */
#include "coding/dm_sent_mark.h"

#include "demarche/dm_mem.h"

#include <stdlib.h>
#include <string.h>

struct dm_sent_mark {
        int valid;
        /* What was analysed: the bytes by their hash as well as their
         * place, as a caller may reuse its text buffer for the next
         * article. */
        const dm_lex_t *lx;
        const dm_options_t *opts;
        long date;
        const char *text;
        uint32_t start, end;
        uint64_t hash;
        /* The state after classification. */
        dm_stok_t *toks;
        size_t ntoks, toks_cap;
        dm_unit_t *units;
        size_t nunits, units_cap;
        uint32_t *codes;
        int32_t *code_unit;
        size_t ncodes, codes_cap, code_unit_cap;
        char *cbuf;
        size_t cbuf_len, cbuf_cap;
        uint32_t *issues;
        size_t nissues, issues_cap;
        int discard, complex, truncated, headline, nverbs, nconj, time_shift, have_time_shift;
};

static uint64_t dm_sent_mark_hash(const char *text, uint32_t start, uint32_t end)
{
        uint64_t h = 1469598103934665603ULL;
        uint32_t i;
        for (i = start; i < end; i++) {
                h ^= (unsigned char)text[i];
                h *= 1099511628211ULL;
        }
        return h;
}

/* The counts and flags of the state after classification, into the mark
 * (to_mark) or back into the sentence; one list for both ways. */
static void dm_sent_mark_scalars(dm_sent_t *s, struct dm_sent_mark *m, int to_mark)
{
#define DM_SENT_MARK_X(f)                                                                          \
        do {                                                                                       \
                if (to_mark)                                                                       \
                        m->f = s->f;                                                               \
                else                                                                               \
                        s->f = m->f;                                                               \
        } while (0)
        DM_SENT_MARK_X(ntoks);
        DM_SENT_MARK_X(nunits);
        DM_SENT_MARK_X(ncodes);
        DM_SENT_MARK_X(cbuf_len);
        DM_SENT_MARK_X(nissues);
        DM_SENT_MARK_X(discard);
        DM_SENT_MARK_X(complex);
        DM_SENT_MARK_X(truncated);
        DM_SENT_MARK_X(headline);
        DM_SENT_MARK_X(nverbs);
        DM_SENT_MARK_X(nconj);
        DM_SENT_MARK_X(time_shift);
        DM_SENT_MARK_X(have_time_shift);
#undef DM_SENT_MARK_X
}

/* Copies n elements of size sz from src into *dst (grown as needed). */
static void dm_sent_mark_copy(void **dst, size_t *cap, const void *src, size_t n, size_t sz)
{
        if (!n)
                return;
        dm_grow(dst, cap, n, sz);
        memcpy(*dst, src, n * sz);
}

void dm_sent_mark_save(dm_sent_t *s, const char *text, uint32_t start, uint32_t end)
{
        struct dm_sent_mark *m = s->mark;
        if (!m)
                m = s->mark = dm_calloc(1, sizeof(*m));
        m->valid = 1;
        m->lx = s->lx;
        m->opts = s->opts;
        m->date = s->date;
        m->text = text;
        m->start = start;
        m->end = end;
        m->hash = dm_sent_mark_hash(text, start, end);
        dm_sent_mark_copy((void **)&m->toks, &m->toks_cap, s->toks, s->ntoks, sizeof(*s->toks));
        dm_sent_mark_copy((void **)&m->units, &m->units_cap, s->units, s->nunits,
                          sizeof(*s->units));
        dm_sent_mark_copy((void **)&m->codes, &m->codes_cap, s->codes, s->ncodes,
                          sizeof(*s->codes));
        dm_sent_mark_copy((void **)&m->code_unit, &m->code_unit_cap, s->code_unit, s->ncodes,
                          sizeof(*s->code_unit));
        dm_sent_mark_copy((void **)&m->cbuf, &m->cbuf_cap, s->cbuf, s->cbuf_len, 1);
        dm_sent_mark_copy((void **)&m->issues, &m->issues_cap, s->issues, s->nissues,
                          sizeof(*s->issues));
        dm_sent_mark_scalars(s, m, 1);
}

int dm_sent_mark_restore(dm_sent_t *s, const char *text, uint32_t start, uint32_t end)
{
        struct dm_sent_mark *m = s->mark;
        if (!m || !m->valid || m->lx != s->lx || m->opts != s->opts || m->date != s->date ||
            m->text != text || m->start != start || m->end != end ||
            m->hash != dm_sent_mark_hash(text, start, end))
                return 0;
        m->valid = 0;
        dm_sent_mark_copy((void **)&s->toks, &s->toks_cap, m->toks, m->ntoks, sizeof(*s->toks));
        dm_sent_mark_copy((void **)&s->units, &s->units_cap, m->units, m->nunits,
                          sizeof(*s->units));
        if (m->ncodes) {
                /* dm_sent keeps code_unit at the capacity of codes. */
                size_t cap = s->codes_cap;
                dm_grow((void **)&s->codes, &s->codes_cap, m->ncodes, sizeof(*s->codes));
                if (cap != s->codes_cap || !s->code_unit)
                        s->code_unit = dm_realloc(s->code_unit, s->codes_cap * sizeof(int32_t));
                memcpy(s->codes, m->codes, m->ncodes * sizeof(*s->codes));
                memcpy(s->code_unit, m->code_unit, m->ncodes * sizeof(*s->code_unit));
        }
        dm_sent_mark_copy((void **)&s->cbuf, &s->cbuf_cap, m->cbuf, m->cbuf_len, 1);
        dm_sent_mark_copy((void **)&s->issues, &s->issues_cap, m->issues, m->nissues,
                          sizeof(*s->issues));
        dm_sent_mark_scalars(s, m, 0);
        return 1;
}

void dm_sent_mark_clear(dm_sent_t *s)
{
        if (s->mark)
                s->mark->valid = 0;
}

void dm_sent_mark_free(dm_sent_t *s)
{
        struct dm_sent_mark *m = s->mark;
        if (!m)
                return;
        free(m->toks);
        free(m->units);
        free(m->codes);
        free(m->code_unit);
        free(m->cbuf);
        free(m->issues);
        free(m);
        s->mark = NULL;
}
