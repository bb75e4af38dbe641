/* Word clusters (dm_wclust.h): a class bigram model over the words of a
 * text, p(w_i | w_i-1) = p(c_i | c_i-1) p(w_i | c_i), whose likelihood is,
 * up to terms that do not depend on the classes,
 *   F = sum N(c,d) log N(c,d) - sum Nl(c) log Nl(c) - sum Nr(d) log Nr(d)
 * (N class bigram counts, Nl and Nr their row and column sums). The
 * exchange algorithm moves one word at a time to the class that raises F
 * most. It runs top-down: 2^bits[0] classes over all words, then each
 * class is split into 2^bits[1] whose words only move among those
 * siblings, and so on, so a word's classes from the top down form a path
 * whose prefixes are coarser clusters, as Brown clusters' are. */
#include "demarche/dm_wclust.h"

#include "dm_parse_feat.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_parse_tok.h"
#include "demarche/dm_str.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WC_MAXBITS 24
#define WC_MAXCLS  4096 /* the class bigram matrix is dense: keep it small */
#define WC_MAXWORD 64   /* dm_pwords_set lower-cases at most this many bytes */

/* Word ids 0 and 1 are the line boundary and every rare word. */
enum { WC_BOUND = 0, WC_RARE = 1 };

typedef struct wc_vocab {
        char *pool;
        size_t plen, pcap;
        uint32_t *off;   /* id -> pool offset */
        uint64_t *count; /* id -> count */
        size_t n, cap;
        uint32_t *slot; /* id + 1, open addressing */
        size_t nslot;
} wc_vocab_t;

static uint32_t vocab_id(wc_vocab_t *v, const char *s, size_t n)
{
        uint64_t h = dm_fnv1a64(s, n);
        size_t i, mask;
        if (2 * (v->n + 1) > v->nslot) {
                size_t k;
                free(v->slot);
                v->nslot = v->nslot ? 2 * v->nslot : 1 << 16;
                v->slot = dm_calloc(v->nslot, sizeof(*v->slot));
                for (k = 0; k < v->n; k++) {
                        const char *w = v->pool + v->off[k];
                        i = dm_fnv1a64(w, strlen(w)) & (v->nslot - 1);
                        while (v->slot[i])
                                i = (i + 1) & (v->nslot - 1);
                        v->slot[i] = (uint32_t)k + 1;
                }
        }
        mask = v->nslot - 1;
        for (i = h & mask; v->slot[i]; i = (i + 1) & mask) {
                const char *w = v->pool + v->off[v->slot[i] - 1];
                if (!strncmp(w, s, n) && !w[n])
                        return v->slot[i] - 1;
        }
        dm_grow((void **)&v->off, &v->cap, v->n + 1, sizeof(*v->off));
        v->count = dm_realloc(v->count, v->cap * sizeof(*v->count));
        v->off[v->n] = dm_pool_add(&v->pool, &v->plen, &v->pcap, s, n);
        v->count[v->n] = 0;
        v->slot[i] = (uint32_t)v->n + 1;
        return (uint32_t)v->n++;
}

static void vocab_free(wc_vocab_t *v)
{
        free(v->pool);
        free(v->off);
        free(v->count);
        free(v->slot);
        memset(v, 0, sizeof(*v));
}

/* Tokens of the text as vocabulary ids, a boundary before every line. */
static int read_text(const char *path, wc_vocab_t *v, uint32_t **toks, size_t *ntoks, char *errstr,
                     size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        dm_parse_map_t map;
        size_t cap = 0, len, k;
        char *line;
        if (!it)
                return -1;
        dm_parse_map_init(&map);
        *toks = NULL;
        *ntoks = 0;
        vocab_id(v, "<s>", 3);
        vocab_id(v, "<rare>", 6);
        while ((line = dm_lines_next(it, &len))) {
                dm_parse_map_text(&map, line, len);
                dm_grow((void **)toks, &cap, *ntoks + map.nforms + 1, sizeof(**toks));
                (*toks)[(*ntoks)++] = WC_BOUND;
                v->count[WC_BOUND]++;
                for (k = 0; k < map.nforms; k++) {
                        char low[WC_MAXWORD];
                        const char *f = map.forms[k];
                        size_t m = strlen(f), j;
                        uint32_t id = WC_RARE;
                        if (m <= WC_MAXWORD) {
                                for (j = 0; j < m; j++)
                                        low[j] =
                                            (char)(f[j] >= 'A' && f[j] <= 'Z' ? f[j] + 32 : f[j]);
                                id = vocab_id(v, low, m);
                        }
                        v->count[id]++;
                        (*toks)[(*ntoks)++] = id;
                }
        }
        dm_parse_map_free(&map);
        dm_lines_destroy(it);
        return 0;
}

static const wc_vocab_t *sort_vocab;

/* Most frequent first, then by bytes: a deterministic visiting order. */
static int by_count(const void *a, const void *b)
{
        uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
        const wc_vocab_t *v = sort_vocab;
        if (x < 2 || y < 2)
                return x < y ? -1 : x > y;
        if (v->count[x] != v->count[y])
                return v->count[x] > v->count[y] ? -1 : 1;
        return strcmp(v->pool + v->off[x], v->pool + v->off[y]);
}

static int u64_cmp(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return x < y ? -1 : x > y;
}

/* Bigram lists in compressed rows: row w holds (neighbour, count). */
typedef struct wc_rows {
        size_t *start; /* nw + 1 */
        uint32_t *nb, *cnt;
} wc_rows_t;

static void rows_build(wc_rows_t *r, uint64_t *pairs, size_t np, size_t nw)
{
        size_t i, k = 0;
        qsort(pairs, np, sizeof(*pairs), u64_cmp);
        r->start = dm_calloc(nw + 1, sizeof(*r->start));
        r->nb = dm_malloc((np + 1) * sizeof(*r->nb));
        r->cnt = dm_malloc((np + 1) * sizeof(*r->cnt));
        for (i = 0; i < np;) {
                size_t j = i;
                while (j < np && pairs[j] == pairs[i])
                        j++;
                r->nb[k] = (uint32_t)pairs[i];
                r->cnt[k] = (uint32_t)(j - i);
                r->start[(pairs[i] >> 32) + 1] = ++k;
                i = j;
        }
        for (i = 1; i <= nw; i++)
                if (r->start[i] < r->start[i - 1])
                        r->start[i] = r->start[i - 1];
}

static void rows_free(wc_rows_t *r)
{
        free(r->start);
        free(r->nb);
        free(r->cnt);
}

static double xlogx(int64_t x)
{
        return x > 0 ? (double)x * log((double)x) : 0.0;
}

/* The exchange state at one level. */
typedef struct wc_ex {
        size_t nw, k, branch; /* words, classes, classes per parent */
        uint32_t *cls;
        int64_t *n2, *nl, *nr; /* k x k, k, k */
        int64_t *rc, *lc;      /* per-word scratch: counts per class */
        uint32_t *rt, *lt;     /* classes touched in rc, lc */
        const wc_rows_t *right, *left;
} wc_ex_t;

static void ex_counts(wc_ex_t *e)
{
        size_t w, j;
        memset(e->n2, 0, e->k * e->k * sizeof(*e->n2));
        memset(e->nl, 0, e->k * sizeof(*e->nl));
        memset(e->nr, 0, e->k * sizeof(*e->nr));
        for (w = 0; w < e->nw; w++)
                for (j = e->right->start[w]; j < e->right->start[w + 1]; j++) {
                        uint32_t c = e->cls[w], d = e->cls[e->right->nb[j]];
                        e->n2[c * e->k + d] += e->right->cnt[j];
                        e->nl[c] += e->right->cnt[j];
                        e->nr[d] += e->right->cnt[j];
                }
}

/* Takes word w out of its class (sign -1) or puts it into class c (+1),
 * given its neighbours' class counts in rc/lc. */
static void ex_move(wc_ex_t *e, uint32_t c, int64_t self, int64_t cl, int64_t cr, int sign)
{
        size_t j;
        for (j = 0; e->rt[j] != UINT32_MAX; j++)
                e->n2[c * e->k + e->rt[j]] += sign * e->rc[e->rt[j]];
        for (j = 0; e->lt[j] != UINT32_MAX; j++)
                e->n2[e->lt[j] * e->k + c] += sign * e->lc[e->lt[j]];
        e->n2[c * e->k + c] += sign * self;
        e->nl[c] += sign * cl;
        e->nr[c] += sign * cr;
}

/* The change of F if w (taken out) joined class b. */
static double ex_gain(const wc_ex_t *e, uint32_t b, int64_t self, int64_t cl, int64_t cr)
{
        const int64_t *row = e->n2 + b * e->k;
        double g = 0;
        int64_t bb = self;
        size_t j;
        for (j = 0; e->rt[j] != UINT32_MAX; j++) {
                uint32_t c = e->rt[j];
                if (c == b)
                        bb += e->rc[c];
                else
                        g += xlogx(row[c] + e->rc[c]) - xlogx(row[c]);
        }
        for (j = 0; e->lt[j] != UINT32_MAX; j++) {
                uint32_t c = e->lt[j];
                int64_t x = e->n2[c * e->k + b];
                if (c == b)
                        bb += e->lc[c];
                else
                        g += xlogx(x + e->lc[c]) - xlogx(x);
        }
        g += xlogx(row[b] + bb) - xlogx(row[b]);
        g -= xlogx(e->nl[b] + cl) - xlogx(e->nl[b]);
        g -= xlogx(e->nr[b] + cr) - xlogx(e->nr[b]);
        return g;
}

/* Gathers w's neighbours by class into rc/rt (right) and lc/lt (left);
 * returns the count of the bigram (w, w). */
static int64_t ex_gather(wc_ex_t *e, uint32_t w, int64_t *cl, int64_t *cr)
{
        size_t j, nr = 0, nl = 0;
        int64_t self = 0;
        *cl = *cr = 0;
        for (j = e->right->start[w]; j < e->right->start[w + 1]; j++) {
                uint32_t v = e->right->nb[j], c = e->cls[v];
                *cl += e->right->cnt[j];
                if (v == w) {
                        self += e->right->cnt[j];
                        continue;
                }
                if (!e->rc[c])
                        e->rt[nr++] = c;
                e->rc[c] += e->right->cnt[j];
        }
        for (j = e->left->start[w]; j < e->left->start[w + 1]; j++) {
                uint32_t u = e->left->nb[j], c = e->cls[u];
                *cr += e->left->cnt[j];
                if (u == w)
                        continue;
                if (!e->lc[c])
                        e->lt[nl++] = c;
                e->lc[c] += e->left->cnt[j];
        }
        e->rt[nr] = e->lt[nl] = UINT32_MAX;
        return self;
}

static void ex_clear(wc_ex_t *e)
{
        size_t j;
        for (j = 0; e->rt[j] != UINT32_MAX; j++)
                e->rc[e->rt[j]] = 0;
        for (j = 0; e->lt[j] != UINT32_MAX; j++)
                e->lc[e->lt[j]] = 0;
}

/* One pass over the words in id order (most frequent first); returns the
 * number of words moved. */
static size_t ex_pass(wc_ex_t *e)
{
        size_t w, moved = 0;
        for (w = 0; w < e->nw; w++) {
                int64_t cl, cr, self = ex_gather(e, (uint32_t)w, &cl, &cr);
                uint32_t a = e->cls[w], first = a / (uint32_t)e->branch * (uint32_t)e->branch;
                uint32_t best = a, b;
                double gbest;
                ex_move(e, a, self, cl, cr, -1);
                gbest = ex_gain(e, a, self, cl, cr);
                for (b = first; b < first + e->branch; b++) {
                        double g;
                        if (b == a)
                                continue;
                        g = ex_gain(e, b, self, cl, cr);
                        if (g > gbest + 1e-9) {
                                gbest = g;
                                best = b;
                        }
                }
                ex_move(e, best, self, cl, cr, 1);
                e->cls[w] = best;
                moved += best != a;
                ex_clear(e);
        }
        return moved;
}

static int write_paths(const char *path, const wc_vocab_t *v, const uint32_t *ids,
                       const uint32_t *cls, size_t nw, unsigned nbits, char *errstr,
                       size_t errstr_size)
{
        FILE *fp = fopen(path, "w");
        uint64_t *ord;
        size_t i;
        int rc = -1;
        if (!fp) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot write", path);
                return -1;
        }
        /* By path, then most frequent first (ids are in that order). */
        ord = dm_malloc((nw + 1) * sizeof(*ord));
        for (i = 0; i < nw; i++)
                ord[i] = (uint64_t)cls[i] << 32 | i;
        qsort(ord, nw, sizeof(*ord), u64_cmp);
        for (i = 0; i < nw; i++) {
                uint32_t w = (uint32_t)ord[i], c = (uint32_t)(ord[i] >> 32);
                char bits[WC_MAXBITS + 1];
                unsigned b;
                if (w < 2)
                        continue;
                for (b = 0; b < nbits; b++)
                        bits[b] = (char)('0' + ((c >> (nbits - 1 - b)) & 1));
                bits[nbits] = 0;
                fprintf(fp, "%s\t%s\t%llu\n", bits, v->pool + v->off[ids[w]],
                        (unsigned long long)v->count[ids[w]]);
        }
        if (fclose(fp)) {
                dm_str_seterr(errstr, errstr_size, "%s: write error", path);
                goto done;
        }
        rc = 0;
done:
        free(ord);
        return rc;
}

int dm_wclust_make(const dm_wclust_opts_t *o, char *errstr, size_t errstr_size)
{
        wc_vocab_t v;
        wc_rows_t right, left;
        wc_ex_t e;
        uint32_t *toks = NULL, *ids = NULL, *newid = NULL;
        uint64_t *pairs = NULL;
        size_t ntoks = 0, nw, i, lev;
        unsigned nbits = 0;
        int rc = -1;
        memset(&v, 0, sizeof(v));
        memset(&right, 0, sizeof(right));
        memset(&left, 0, sizeof(left));
        memset(&e, 0, sizeof(e));
        for (lev = 0; lev < o->nlevels; lev++)
                nbits += o->bits[lev];
        if (!o->nlevels || nbits > 12 || nbits < 1) {
                dm_str_seterr(errstr, errstr_size, "clusters: 1 to 12 bits in all, got %u", nbits);
                goto done;
        }
        for (lev = 0; lev < o->nlevels; lev++)
                if (!o->bits[lev]) {
                        dm_str_seterr(errstr, errstr_size, "clusters: a level of 0 bits");
                        goto done;
                }
        if (read_text(o->text, &v, &toks, &ntoks, errstr, errstr_size))
                goto done;
        /* Ids by frequency; rare words become WC_RARE. */
        ids = dm_malloc(v.n * sizeof(*ids));
        newid = dm_malloc(v.n * sizeof(*newid));
        for (i = 0; i < v.n; i++)
                ids[i] = (uint32_t)i;
        sort_vocab = &v;
        qsort(ids, v.n, sizeof(*ids), by_count);
        for (nw = i = 0; i < v.n; i++) {
                if (ids[i] >= 2 && v.count[ids[i]] < o->min_count) {
                        newid[ids[i]] = WC_RARE;
                        continue;
                }
                ids[nw] = ids[i];
                newid[ids[i]] = (uint32_t)nw++;
        }
        pairs = dm_malloc((ntoks + 1) * sizeof(*pairs));
        for (i = 0; i + 1 < ntoks; i++)
                pairs[i] = (uint64_t)newid[toks[i]] << 32 | newid[toks[i + 1]];
        rows_build(&right, pairs, ntoks ? ntoks - 1 : 0, nw);
        for (i = 0; i + 1 < ntoks; i++)
                pairs[i] = (uint64_t)newid[toks[i + 1]] << 32 | newid[toks[i]];
        rows_build(&left, pairs, ntoks ? ntoks - 1 : 0, nw);
        if (o->log)
                fprintf(o->log, "clusters: %zu tokens, %zu words seen %u+ times of %zu\n", ntoks,
                        nw - 2, o->min_count, v.n - 2);
        e.nw = nw;
        e.right = &right;
        e.left = &left;
        e.cls = dm_calloc(nw + 1, sizeof(*e.cls));
        e.rc = dm_calloc((size_t)1 << nbits, sizeof(*e.rc));
        e.lc = dm_calloc((size_t)1 << nbits, sizeof(*e.lc));
        e.rt = dm_malloc((((size_t)1 << nbits) + 1) * sizeof(*e.rt));
        e.lt = dm_malloc((((size_t)1 << nbits) + 1) * sizeof(*e.lt));
        e.n2 = dm_malloc(((size_t)1 << (2 * nbits)) * sizeof(*e.n2));
        e.nl = dm_malloc(((size_t)1 << nbits) * sizeof(*e.nl));
        e.nr = dm_malloc(((size_t)1 << nbits) * sizeof(*e.nr));
        for (e.k = 1, lev = 0; lev < o->nlevels; lev++) {
                size_t *rank = dm_calloc(e.k, sizeof(*rank));
                int it;
                e.branch = (size_t)1 << o->bits[lev];
                /* Split each class: its words in frequency order take the
                 * children in turn. */
                for (i = 0; i < nw; i++) {
                        uint32_t c = e.cls[i];
                        e.cls[i] = (uint32_t)(c * e.branch + rank[c]++ % e.branch);
                }
                free(rank);
                e.k *= e.branch;
                ex_counts(&e);
                for (it = 0; it < o->iters; it++) {
                        size_t moved = ex_pass(&e);
                        if (o->log)
                                fprintf(o->log, "clusters: %zu classes, pass %d: %zu moved\n", e.k,
                                        it + 1, moved);
                        if (moved * 1000 < nw)
                                break;
                }
        }
        rc = write_paths(o->out, &v, ids, e.cls, nw, nbits, errstr, errstr_size);
done:
        free(e.cls);
        free(e.rc);
        free(e.lc);
        free(e.rt);
        free(e.lt);
        free(e.n2);
        free(e.nl);
        free(e.nr);
        rows_free(&right);
        rows_free(&left);
        free(pairs);
        free(toks);
        free(ids);
        free(newid);
        vocab_free(&v);
        return rc;
}

static int code_cmp(const void *a, const void *b)
{
        const uint64_t *x = a, *y = b;
        return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* One line of a cluster file: its word's key and code; nbits is the path
 * length of the lines before (0: none yet). Returns 0 or -1. */
static int parse_line(const char *line, size_t len, unsigned *nbits, uint64_t *key, uint32_t *code)
{
        const char *t1 = memchr(line, '\t', len), *t2;
        char *end;
        size_t nb, wl, i;
        if (!t1 || strlen(line) != len ||
            !(t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line))))
                return -1;
        nb = (size_t)(t1 - line);
        wl = (size_t)(t2 - t1 - 1);
        if (nb < 1 || nb > WC_MAXBITS || (*nbits && nb != *nbits) || !wl || wl > WC_MAXWORD)
                return -1;
        *code = 1;
        for (i = 0; i < nb; i++) {
                if (line[i] != '0' && line[i] != '1')
                        return -1;
                *code = *code << 1 | (uint32_t)(line[i] - '0');
        }
        /* Lower-cased words without blanks, as dm_pwords_set hashes them. */
        for (i = 0; i < wl; i++)
                if ((t1[1 + i] >= 'A' && t1[1 + i] <= 'Z') || t1[1 + i] == ' ')
                        return -1;
        if (t2[1] < '0' || t2[1] > '9' || !strtoull(t2 + 1, &end, 10) || *end)
                return -1;
        *nbits = (unsigned)nb;
        *key = dm_pf_hash(t1 + 1, wl);
        return 0;
}

int dm_wclust_load(dm_wclust_map_t *m, const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        uint64_t *kv = NULL; /* pairs {key, code} */
        size_t cap = 0, len, i;
        char *line;
        int rc = -1;
        memset(m, 0, sizeof(*m));
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, &len))) {
                uint32_t code;
                dm_grow((void **)&kv, &cap, 2 * m->n + 2, sizeof(*kv));
                if (parse_line(line, len, &m->nbits, &kv[2 * m->n], &code)) {
                        dm_str_seterr(errstr, errstr_size,
                                      "%s:%d: not BITS<tab>word<tab>count (lower-case word, "
                                      "paths of one length)",
                                      path, dm_lines_number(it));
                        goto done;
                }
                kv[2 * m->n + 1] = code;
                m->n++;
        }
        if (!m->n) {
                dm_str_seterr(errstr, errstr_size, "%s: no clusters", path);
                goto done;
        }
        qsort(kv, m->n, 2 * sizeof(*kv), code_cmp);
        m->key = dm_malloc(m->n * sizeof(*m->key));
        m->code = dm_malloc(m->n * sizeof(*m->code));
        for (i = 0; i < m->n; i++) {
                if (i && kv[2 * i] == kv[2 * i - 2]) {
                        dm_str_seterr(errstr, errstr_size, "%s: a word twice (or a hash collision)",
                                      path);
                        goto done;
                }
                m->key[i] = kv[2 * i];
                m->code[i] = (uint32_t)kv[2 * i + 1];
        }
        rc = 0;
done:
        if (rc)
                dm_wclust_free(m);
        free(kv);
        dm_lines_destroy(it);
        return rc;
}

uint32_t dm_wclust_get(const dm_wclust_map_t *m, uint64_t key)
{
        size_t lo = 0, hi = m->n;
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (m->key[mid] < key)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < m->n && m->key[lo] == key ? m->code[lo] : 0;
}

void dm_wclust_free(dm_wclust_map_t *m)
{
        free(m->key);
        free(m->code);
        memset(m, 0, sizeof(*m));
}
