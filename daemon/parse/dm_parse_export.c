/* Model export for the trainer: the string pool, the tag and label names,
 * the three weight tables, and the lemma lexicon and suffix rules learned
 * from the training sentences' gold LEMMA and FEATS columns. */
#include "dm_parse_model.h"
#include "dm_parse_train_int.h"
#include "dm_parser.h"

#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <stdlib.h>
#include <string.h>

/* Interned strings: equal strings share one offset. */
typedef struct spool {
        dm_buf_t b;
        uint64_t *keys;
        uint32_t *offs;
        uint32_t cap, n;
} spool_t;

static uint32_t spool_add(spool_t *p, const char *s)
{
        uint64_t h = dm_pf_hash(s, strlen(s)) | 1;
        uint32_t i, off;
        if (2 * (p->n + 1) > p->cap) {
                uint32_t ncap = p->cap ? p->cap * 2 : 4096, j;
                uint64_t *nk = dm_calloc(ncap, 8);
                uint32_t *no = dm_calloc(ncap, 4);
                for (j = 0; j < p->cap; j++) {
                        if (!p->keys[j])
                                continue;
                        i = (uint32_t)p->keys[j] & (ncap - 1);
                        while (nk[i])
                                i = (i + 1) & (ncap - 1);
                        nk[i] = p->keys[j];
                        no[i] = p->offs[j];
                }
                free(p->keys);
                free(p->offs);
                p->keys = nk;
                p->offs = no;
                p->cap = ncap;
        }
        for (i = (uint32_t)h & (p->cap - 1); p->keys[i]; i = (i + 1) & (p->cap - 1))
                if (p->keys[i] == h && !strcmp(p->b.data + p->offs[i], s))
                        return p->offs[i];
        off = (uint32_t)p->b.len;
        dm_buf_append(&p->b, s, strlen(s) + 1);
        p->keys[i] = h;
        p->offs[i] = off;
        p->n++;
        return off;
}

typedef struct rec {
        uint64_t key;
        uint32_t a, b;
} rec_t;

typedef struct recs {
        rec_t *r;
        size_t n, cap;
} recs_t;

static void recs_add(recs_t *v, uint64_t key, uint32_t a, uint32_t b)
{
        dm_grow((void **)&v->r, &v->cap, v->n + 1, sizeof(*v->r));
        v->r[v->n].key = key;
        v->r[v->n].a = a;
        v->r[v->n].b = b;
        v->n++;
}

static int rec_cmp(const void *x, const void *y)
{
        const rec_t *p = x, *q = y;
        if (p->key != q->key)
                return p->key < q->key ? -1 : 1;
        if (p->a != q->a)
                return p->a < q->a ? -1 : 1;
        if (p->b != q->b)
                return p->b < q->b ? -1 : 1;
        return 0;
}

/* The most frequent (a, b) of each key seen at least min_count times, as
 * table rows {a, b}. */
static void recs_best(recs_t *v, size_t min_count, dm_buf_t *section)
{
        uint64_t *keys = dm_malloc((v->n + 1) * sizeof(*keys));
        uint32_t *rows = dm_malloc((v->n + 1) * 2 * sizeof(*rows));
        uint32_t nk = 0;
        size_t i = 0;
        qsort(v->r, v->n, sizeof(*v->r), rec_cmp);
        while (i < v->n) {
                size_t j = i, total = 0, best_n = 0, best = i;
                while (j < v->n && v->r[j].key == v->r[i].key) {
                        size_t k = j;
                        while (k < v->n && !rec_cmp(&v->r[k], &v->r[j]))
                                k++;
                        if (k - j > best_n) {
                                best_n = k - j;
                                best = j;
                        }
                        total += k - j;
                        j = k;
                }
                if (total >= min_count) {
                        keys[nk] = v->r[best].key;
                        rows[2 * nk] = v->r[best].a;
                        rows[2 * nk + 1] = v->r[best].b;
                        nk++;
                }
                i = j;
        }
        dm_ptable_build(section, keys, rows, nk, 8, 0, 1.0f);
        free(keys);
        free(rows);
        free(v->r);
        memset(v, 0, sizeof(*v));
}

/* FEATS without Voice=Pass: the parser adds it from the parse. */
static void strip_voice(const char *feats, char *out, size_t size)
{
        const char *p = feats;
        size_t n = 0;
        out[0] = 0;
        while (*p) {
                size_t len = strcspn(p, "|");
                if (!(len == 10 && !strncmp(p, "Voice=Pass", 10)) && n + len + 2 < size) {
                        if (n)
                                out[n++] = '|';
                        memcpy(out + n, p, len);
                        n += len;
                        out[n] = 0;
                }
                p += len;
                if (*p)
                        p++;
        }
        if (!n)
                snprintf(out, size, "_");
}

static void lexicon(const dm_ptrain_t *t, spool_t *sp, dm_buf_t *lex, dm_buf_t *suf,
                    uint32_t *tag_feats)
{
        recs_t lx = {0}, sx = {0}, tf = {0};
        dm_pwords_t w;
        size_t i, j, k;
        char feats[512], low[256];
        dm_buf_t tfsec;
        dm_pwords_init(&w);
        dm_buf_init(&tfsec);
        for (i = 0; i < t->ntrain; i++) {
                const dm_ptrain_sent_t *s = &t->train[i];
                dm_pwords_set(&w, s->forms, s->n);
                for (j = 1; j <= s->n; j++) {
                        const dm_conllu_word_t *cw = &s->src->w[j - 1];
                        const char *form = cw->col[DM_CU_FORM], *lemma = cw->col[DM_CU_LEMMA];
                        int tag = s->gtag[j] - 1;
                        size_t len = strlen(form), pre = 0, L;
                        uint32_t lo, fo;
                        if (tag < 0)
                                continue;
                        strip_voice(cw->col[DM_CU_FEATS], feats, sizeof(feats));
                        lo = spool_add(sp, lemma);
                        fo = spool_add(sp, feats);
                        recs_add(&lx, dm_parser_lex_key(1, w.form[j], tag), lo, fo);
                        recs_add(&lx, dm_parser_lex_key(0, w.lower[j], tag), lo, fo);
                        recs_add(&tf, (uint64_t)tag + 1, fo, 0);
                        if (len >= sizeof(low) || !strncmp(t->tags.s[tag], "PROPN", 5))
                                continue;
                        for (k = 0; k < len; k++)
                                low[k] = (char)(form[k] >= 'A' && form[k] <= 'Z' ? form[k] + 32
                                                                                 : form[k]);
                        low[len] = 0;
                        while (pre < len && low[pre] == lemma[pre])
                                pre++;
                        for (L = 0; L <= len && L <= DM_PARSER_SUFFIX_MAX; L++)
                                recs_add(&sx,
                                         dm_parser_suffix_key(tag, dm_pf_hash(low + len - L, L), L),
                                         (uint32_t)(len - pre), spool_add(sp, lemma + pre));
                }
        }
        recs_best(&lx, 1, lex);
        recs_best(&sx, 2, suf);
        /* Default features per tag: the most frequent. */
        qsort(tf.r, tf.n, sizeof(*tf.r), rec_cmp);
        for (i = 0; i < t->tags.n; i++)
                tag_feats[i] = spool_add(sp, "_");
        for (i = 0; i < tf.n;) {
                size_t jj = i, best_n = 0;
                while (jj < tf.n && tf.r[jj].key == tf.r[i].key) {
                        size_t kk = jj;
                        while (kk < tf.n && !rec_cmp(&tf.r[kk], &tf.r[jj]))
                                kk++;
                        if (kk - jj > best_n) {
                                best_n = kk - jj;
                                tag_feats[tf.r[i].key - 1] = tf.r[jj].a;
                        }
                        jj = kk;
                }
                i = jj;
        }
        free(tf.r);
        dm_buf_free(&tfsec);
        dm_pwords_free(&w);
}

int dm_ptrain_export(const dm_ptrain_t *t, const char *path, FILE *log, char *errstr,
                     size_t errstr_size)
{
        spool_t sp;
        dm_pmodel_writer_t wr;
        dm_buf_t meta, tg, ac, lb, lex, suf, amb;
        uint32_t *upos = dm_malloc(t->tags.n * 4), *xpos = dm_malloc(t->tags.n * 4);
        uint32_t *tfeats = dm_malloc(t->tags.n * 4), *lnames = dm_malloc(t->labels.n * 4);
        uint32_t v, ktg, kac, klb;
        size_t i;
        int rc;
        memset(&sp, 0, sizeof(sp));
        dm_buf_init(&sp.b);
        dm_buf_init(&meta);
        dm_buf_init(&tg);
        dm_buf_init(&ac);
        dm_buf_init(&lb);
        dm_buf_init(&lex);
        dm_buf_init(&suf);
        dm_buf_init(&amb);
        spool_add(&sp, "");
        for (i = 0; i < t->tags.n; i++) {
                char *tab = strchr(t->tags.s[i], '\t');
                *tab = 0;
                upos[i] = spool_add(&sp, t->tags.s[i]);
                xpos[i] = spool_add(&sp, tab + 1);
                *tab = '\t';
        }
        for (i = 0; i < t->labels.n; i++)
                lnames[i] = spool_add(&sp, t->labels.s[i]);
        lexicon(t, &sp, &lex, &suf, tfeats);
        v = (uint32_t)t->tags.n;
        dm_buf_append(&meta, &v, 4);
        v = (uint32_t)t->labels.n;
        dm_buf_append(&meta, &v, 4);
        dm_buf_append(&meta, upos, t->tags.n * 4);
        dm_buf_append(&meta, xpos, t->tags.n * 4);
        dm_buf_append(&meta, tfeats, t->tags.n * 4);
        dm_buf_append(&meta, lnames, t->labels.n * 4);
        v = (uint32_t)(t->beam > 1 ? t->beam : 1);
        dm_buf_append(&meta, &v, 4);
        ktg = dm_perc_export(&t->tagger, t->min_updates, &tg);
        kac = dm_perc_export(&t->action, t->min_updates, &ac);
        klb = dm_perc_export(&t->label, t->min_updates, &lb);
        {
                /* Words with an ambiguity class, a cluster or both (both
                 * lists are sorted by key): {class, fixed tag | cluster << 32}. */
                const dm_wclust_map_t *c = &t->clus;
                size_t cap = t->amb.n + c->n + 1, n = 0, a = 0, b = 0;
                uint64_t *keys = dm_malloc(cap * sizeof(*keys));
                uint64_t *rows = dm_calloc(2 * cap, sizeof(*rows));
                while (a < t->amb.n || b < c->n) {
                        int take_a = a < t->amb.n && (b >= c->n || t->amb.key[a] <= c->key[b]);
                        int take_b = b < c->n && (a >= t->amb.n || c->key[b] <= t->amb.key[a]);
                        keys[n] = dm_parser_amb_key(take_a ? t->amb.key[a] : c->key[b]);
                        if (take_a) {
                                rows[2 * n] = t->amb.cls[a];
                                rows[2 * n + 1] = t->amb.fixed[a++];
                        }
                        if (take_b)
                                rows[2 * n + 1] |= (uint64_t)c->code[b++] << 32;
                        n++;
                }
                dm_ptable_build(&amb, keys, rows, (uint32_t)n, 16, 0, 1.0f);
                free(keys);
                free(rows);
        }
        dm_pmodel_writer_init(&wr);
        dm_pmodel_writer_add(&wr, DM_PSEC_STRINGS, sp.b.data, sp.b.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_META, meta.data, meta.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_TAGGER, tg.data, tg.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_ACTION, ac.data, ac.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_LABEL, lb.data, lb.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_LEXICON, lex.data, lex.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_SUFFIX, suf.data, suf.len);
        dm_pmodel_writer_add(&wr, DM_PSEC_AMBIG, amb.data, amb.len);
        if (log)
                fprintf(
                    log,
                    "model: %u tagger rows (%zu bytes), %u action rows, %u label rows, "
                    "lexicon %zu bytes, suffix rules %zu bytes, strings %zu bytes, %zu ambiguity "
                    "classes\n",
                    ktg, tg.len, kac, klb, lex.len, suf.len, sp.b.len, t->amb.n);
        rc = dm_pmodel_writer_finish(&wr, path, errstr, errstr_size);
        free(upos);
        free(xpos);
        free(tfeats);
        free(lnames);
        free(sp.keys);
        free(sp.offs);
        dm_buf_free(&sp.b);
        dm_buf_free(&meta);
        dm_buf_free(&tg);
        dm_buf_free(&ac);
        dm_buf_free(&lb);
        dm_buf_free(&lex);
        dm_buf_free(&suf);
        dm_buf_free(&amb);
        return rc;
}
