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
        m->ntoks = s->ntoks;
        m->nunits = s->nunits;
        m->ncodes = s->ncodes;
        m->cbuf_len = s->cbuf_len;
        m->nissues = s->nissues;
        m->discard = s->discard;
        m->complex = s->complex;
        m->truncated = s->truncated;
        m->headline = s->headline;
        m->nverbs = s->nverbs;
        m->nconj = s->nconj;
        m->time_shift = s->time_shift;
        m->have_time_shift = s->have_time_shift;
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
        s->ntoks = m->ntoks;
        s->nunits = m->nunits;
        s->ncodes = m->ncodes;
        s->cbuf_len = m->cbuf_len;
        s->nissues = m->nissues;
        s->discard = m->discard;
        s->complex = m->complex;
        s->truncated = m->truncated;
        s->headline = m->headline;
        s->nverbs = m->nverbs;
        s->nconj = m->nconj;
        s->time_shift = m->time_shift;
        s->have_time_shift = m->have_time_shift;
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
