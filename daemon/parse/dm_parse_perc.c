/* Averaged perceptron with lazy (timestamped) averaging (dm_parse_perc.h). */
#include "dm_parse_perc.h"

#include "dm_parse_model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dm_perc_init(dm_perc_t *p, uint32_t ncls)
{
        memset(p, 0, sizeof(*p));
        p->ncls = ncls;
        p->cap = 1024;
        p->keys = dm_calloc(p->cap, sizeof(*p->keys));
        p->idx = dm_calloc(p->cap, sizeof(*p->idx));
}

void dm_perc_free(dm_perc_t *p)
{
        free(p->keys);
        free(p->idx);
        free(p->w);
        free(p->tot);
        free(p->ts);
        free(p->nupd);
        memset(p, 0, sizeof(*p));
}

static int64_t find(const dm_perc_t *p, uint64_t key)
{
        uint32_t mask = p->cap - 1, i = (uint32_t)(key ^ (key >> 32)) & mask;
        for (;;) {
                if (p->keys[i] == key)
                        return p->idx[i];
                if (!p->keys[i])
                        return -1;
                i = (i + 1) & mask;
        }
}

static void insert(uint64_t *keys, uint32_t *idx, uint32_t cap, uint64_t key, uint32_t row)
{
        uint32_t mask = cap - 1, i = (uint32_t)(key ^ (key >> 32)) & mask;
        while (keys[i])
                i = (i + 1) & mask;
        keys[i] = key;
        idx[i] = row;
}

static uint32_t get_row(dm_perc_t *p, uint64_t key)
{
        int64_t r = find(p, key);
        size_t n;
        if (r >= 0)
                return (uint32_t)r;
        if (2 * (p->count + 1) > p->cap) {
                uint32_t ncap = p->cap * 2, i;
                uint64_t *nk = dm_calloc(ncap, sizeof(*nk));
                uint32_t *ni = dm_calloc(ncap, sizeof(*ni));
                for (i = 0; i < p->cap; i++)
                        if (p->keys[i])
                                insert(nk, ni, ncap, p->keys[i], p->idx[i]);
                free(p->keys);
                free(p->idx);
                p->keys = nk;
                p->idx = ni;
                p->cap = ncap;
        }
        if (p->nrows == p->rows_cap) {
                size_t cap = p->rows_cap ? p->rows_cap * 2 : 1024;
                p->w = dm_realloc(p->w, cap * p->ncls * sizeof(float));
                p->tot = dm_realloc(p->tot, cap * p->ncls * sizeof(double));
                p->ts = dm_realloc(p->ts, cap * p->ncls * sizeof(uint32_t));
                p->nupd = dm_realloc(p->nupd, cap * sizeof(uint32_t));
                p->rows_cap = (uint32_t)cap;
        }
        n = (size_t)p->nrows * p->ncls;
        memset(p->w + n, 0, p->ncls * sizeof(float));
        memset(p->tot + n, 0, p->ncls * sizeof(double));
        memset(p->ts + n, 0, p->ncls * sizeof(uint32_t));
        p->nupd[p->nrows] = 0;
        insert(p->keys, p->idx, p->cap, key, p->nrows);
        p->count++;
        return p->nrows++;
}

void dm_perc_score(const dm_perc_t *p, const uint64_t *f, size_t nf, float *sc)
{
        size_t i;
        uint32_t c;
        memset(sc, 0, p->ncls * sizeof(*sc));
        for (i = 0; i < nf; i++) {
                int64_t r = find(p, f[i]);
                const float *w;
                if (r < 0)
                        continue;
                w = p->w + (size_t)r * p->ncls;
                for (c = 0; c < p->ncls; c++)
                        sc[c] += w[c];
        }
}

int dm_perc_best(const dm_perc_t *p, const uint64_t *f, size_t nf, float *sc, int skip)
{
        uint32_t c;
        int best = -1;
        dm_perc_score(p, f, nf, sc);
        for (c = 0; c < p->ncls; c++)
                if ((int)c != skip && (best < 0 || sc[c] > sc[best]))
                        best = (int)c;
        return best;
}

void dm_perc_tick(dm_perc_t *p)
{
        p->now++;
}

void dm_perc_update(dm_perc_t *p, const uint64_t *f, size_t nf, uint32_t cls, float delta)
{
        size_t i;
        for (i = 0; i < nf; i++) {
                uint32_t r = get_row(p, f[i]);
                size_t k = (size_t)r * p->ncls + cls;
                p->nupd[r]++;
                /* Settle the total for the time the weight sat unchanged. */
                p->tot[k] += (double)(p->now - p->ts[k]) * p->w[k];
                p->ts[k] = p->now;
                p->w[k] += delta;
        }
}

void dm_perc_averaged(const dm_perc_t *p, dm_perc_t *a)
{
        size_t n = (size_t)p->nrows * p->ncls, k;
        *a = *p;
        a->keys = dm_malloc(p->cap * sizeof(*a->keys));
        a->idx = dm_malloc(p->cap * sizeof(*a->idx));
        memcpy(a->keys, p->keys, p->cap * sizeof(*a->keys));
        memcpy(a->idx, p->idx, p->cap * sizeof(*a->idx));
        a->w = dm_malloc((n ? n : 1) * sizeof(float));
        a->tot = NULL;
        a->ts = NULL;
        a->nupd = dm_malloc((p->nrows + 1) * sizeof(uint32_t));
        if (p->nrows)
                memcpy(a->nupd, p->nupd, p->nrows * sizeof(uint32_t));
        a->rows_cap = p->nrows;
        for (k = 0; k < n; k++) {
                double tot;
                if (!p->tot || !p->now) { /* already averaged, or never trained */
                        a->w[k] = p->w[k];
                        continue;
                }
                tot = p->tot[k] + (double)(p->now - p->ts[k]) * p->w[k];
                a->w[k] = (float)(tot / p->now);
        }
}

uint32_t dm_perc_export(const dm_perc_t *p, uint32_t min_updates, dm_buf_t *b)
{
        size_t n = (size_t)p->nrows * p->ncls, k;
        uint32_t r, kept = 0, c;
        float mx = 0, scale;
        uint64_t *keys = dm_malloc((p->nrows + 1) * sizeof(*keys));
        int16_t *rows = dm_malloc(((size_t)p->nrows + 1) * p->ncls * sizeof(*rows));
        uint64_t *rowkey = dm_calloc(p->nrows + 1, sizeof(*rowkey));
        for (k = 0; k < p->cap; k++)
                if (p->keys[k])
                        rowkey[p->idx[k]] = p->keys[k];
        for (k = 0; k < n; k++)
                if (fabsf(p->w[k]) > mx)
                        mx = fabsf(p->w[k]);
        scale = mx > 0 ? 32000.0f / mx : 1.0f;
        for (r = 0; r < p->nrows; r++) {
                int16_t *dst = rows + (size_t)kept * p->ncls;
                long top = 0;
                for (c = 0; c < p->ncls; c++) {
                        long q = lrintf(p->w[(size_t)r * p->ncls + c] * scale);
                        dst[c] = (int16_t)q;
                        if (labs(q) > top)
                                top = labs(q);
                }
                if (top > 0 && p->nupd[r] >= min_updates)
                        keys[kept++] = rowkey[r];
        }
        dm_ptable_build(b, keys, rows, kept, p->ncls * 2, p->ncls, scale);
        free(keys);
        free(rows);
        free(rowkey);
        return kept;
}
