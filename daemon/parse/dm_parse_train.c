/* Training (dm_parse_train.h): a greedy averaged-perceptron tagger, then a
 * greedy arc-hybrid parser trained with the dynamic oracle of Goldberg and
 * Nivre (2013) on the tagger's predicted tags, exploring its own errors
 * from the second epoch on. Labels come from a second perceptron trained on
 * the gold arcs the oracle makes. Non-projective training trees are
 * skipped (the arc-hybrid oracle needs projective ones); evaluation covers
 * every sentence. */
#include "demarche/dm_parse_train.h"

#include "dm_parse_beam.h"
#include "dm_parse_feat.h"
#include "dm_parse_train_int.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

int dm_ptrain_names_find(const dm_ptrain_names_t *t, const char *s)
{
        size_t i;
        for (i = 0; i < t->n; i++)
                if (!strcmp(t->s[i], s))
                        return (int)i;
        return -1;
}

int dm_ptrain_names_add(dm_ptrain_names_t *t, const char *s)
{
        int i = dm_ptrain_names_find(t, s);
        if (i >= 0)
                return i;
        dm_grow((void **)&t->s, &t->cap, t->n + 1, sizeof(*t->s));
        t->s[t->n] = dm_strdup(s);
        return (int)t->n++;
}

void dm_ptrain_names_free(dm_ptrain_names_t *t)
{
        size_t i;
        for (i = 0; i < t->n; i++)
                free(t->s[i]);
        free(t->s);
        memset(t, 0, sizeof(*t));
}

static uint64_t rng_next(uint64_t *s)
{
        uint64_t x = *s;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        *s = x;
        return x * 0x2545f4914f6cdd1dULL;
}

static int projective(const int *head, size_t n)
{
        size_t d;
        for (d = 1; d <= n; d++) {
                int h = head[d], lo = h < (int)d ? h : (int)d, hi = h < (int)d ? (int)d : h, k;
                for (k = lo + 1; k < hi; k++) {
                        int a = k, steps = 0;
                        while (a != h && a != 0 && steps++ <= (int)n)
                                a = head[a];
                        if (a != h)
                                return 0;
                }
        }
        return 1;
}

/* Converts a document; add_names: grow the tag and label sets (training). */
static int convert(dm_ptrain_t *t, const dm_conllu_doc_t *doc, int add_names,
                   dm_ptrain_sent_t **out, size_t *nout, char *errstr, size_t errstr_size)
{
        size_t i, j, n = 0;
        dm_ptrain_sent_t *v = dm_calloc(doc->n + 1, sizeof(*v));
        char tag[256];
        for (i = 0; i < doc->n; i++) {
                const dm_conllu_sent_t *cs = &doc->s[i];
                dm_ptrain_sent_t *s = &v[n];
                if (!cs->n)
                        continue;
                s->n = cs->n;
                s->src = cs;
                s->forms = dm_calloc(cs->n + 1, sizeof(*s->forms));
                s->gtag = dm_calloc(5 * (cs->n + 2), sizeof(int));
                s->ptag = s->gtag + cs->n + 2;
                s->ghead = s->ptag + cs->n + 2;
                s->glab = s->ghead + cs->n + 2;
                for (j = 0; j < cs->n; j++) {
                        const dm_conllu_word_t *w = &cs->w[j];
                        int k;
                        s->forms[j] = w->col[DM_CU_FORM];
                        snprintf(tag, sizeof(tag), "%s\t%s", w->col[DM_CU_UPOS],
                                 w->col[DM_CU_XPOS]);
                        k = add_names ? dm_ptrain_names_add(&t->tags, tag)
                                      : dm_ptrain_names_find(&t->tags, tag);
                        s->gtag[j + 1] = k + 1;
                        if (w->head < 0) {
                                dm_str_seterr(errstr, errstr_size,
                                              "sentence %zu word %zu has no head", i + 1, j + 1);
                                *out = v;
                                *nout = n + 1;
                                return -1;
                        }
                        s->ghead[j + 1] = w->head;
                        s->glab[j + 1] =
                            add_names ? dm_ptrain_names_add(&t->labels, w->col[DM_CU_DEPREL])
                                      : dm_ptrain_names_find(&t->labels, w->col[DM_CU_DEPREL]);
                }
                s->ghead[0] = -1;
                s->proj = projective(s->ghead, s->n);
                n++;
        }
        *out = v;
        *nout = n;
        return 0;
}

static void free_sents(dm_ptrain_sent_t *v, size_t n)
{
        size_t i;
        for (i = 0; i < n; i++) {
                free(v[i].forms);
                free(v[i].gtag);
        }
        free(v);
}

typedef struct wt {
        uint64_t w, t;
} wt_t;

static int wt_cmp(const void *a, const void *b)
{
        const wt_t *x = a, *y = b;
        if (x->w != y->w)
                return x->w < y->w ? -1 : 1;
        return x->t < y->t ? -1 : x->t > y->t;
}

/* Ambiguity classes from the training sentences outside fold (fold < 0:
 * all). Words seen fewer than 2 times get none: a singleton's class is
 * its one tag, which would teach the tagger to trust classes too much. */
/* Words seen this often with one tag only are tagged without scoring. */
#define DM_PTRAIN_FIXED_MIN 20

static void amb_build(const dm_ptrain_t *t, int fold, int nfolds, dm_ptrain_amb_t *a)
{
        dm_pwords_t w;
        wt_t *v = NULL;
        size_t n = 0, cap = 0, i, j;
        dm_pwords_init(&w);
        memset(a, 0, sizeof(*a));
        a->clus = &t->clus;
        for (i = 0; i < t->ntrain; i++) {
                if (fold >= 0 && (int)(i % (size_t)nfolds) == fold)
                        continue;
                dm_pwords_set(&w, t->train[i].forms, t->train[i].n);
                for (j = 1; j <= t->train[i].n; j++) {
                        dm_grow((void **)&v, &cap, n + 1, sizeof(*v));
                        v[n].w = w.lower[j];
                        v[n].t = (uint64_t)t->train[i].gtag[j];
                        n++;
                }
        }
        qsort(v, n, sizeof(*v), wt_cmp);
        a->key = dm_malloc((n + 1) * sizeof(*a->key));
        a->cls = dm_malloc((n + 1) * sizeof(*a->cls));
        a->fixed = dm_malloc((n + 1) * sizeof(*a->fixed));
        for (i = 0; i < n;) {
                uint64_t h = 0x616d62;
                size_t k = i, ntags = 0;
                while (j = k, k < n && v[k].w == v[i].w) {
                        while (k < n && v[k].w == v[i].w && v[k].t == v[j].t)
                                k++;
                        h = dm_pf_mix(h, v[j].t);
                        ntags++;
                }
                if (k - i >= 2) {
                        a->key[a->n] = v[i].w;
                        a->fixed[a->n] =
                            ntags == 1 && k - i >= DM_PTRAIN_FIXED_MIN ? (uint32_t)v[i].t : 0;
                        a->cls[a->n++] = h;
                }
                i = k;
        }
        free(v);
        dm_pwords_free(&w);
}

static void amb_free(dm_ptrain_amb_t *a)
{
        free(a->key);
        free(a->cls);
        free(a->fixed);
        memset(a, 0, sizeof(*a));
}

static void clus_fill(const dm_wclust_map_t *c, dm_pwords_t *w)
{
        size_t i;
        w->use_clusters = c && c->n;
        for (i = 1; c && i <= w->n; i++)
                dm_pwords_clus(w, i, dm_wclust_get(c, w->lower[i]));
}

static void amb_fill(const dm_ptrain_amb_t *a, dm_pwords_t *w)
{
        size_t i;
        clus_fill(a->clus, w);
        for (i = 1; i <= w->n; i++) {
                size_t lo = 0, hi = a->n;
                while (lo < hi) {
                        size_t mid = (lo + hi) / 2;
                        if (a->key[mid] < w->lower[i])
                                lo = mid + 1;
                        else
                                hi = mid;
                }
                if (lo < a->n && a->key[lo] == w->lower[i]) {
                        w->amb[i] = a->cls[lo];
                        w->fixed[i] = a->fixed[lo];
                }
        }
}

static int argmax(const float *sc, int n)
{
        int c, best = 0;
        for (c = 1; c < n; c++)
                if (sc[c] > sc[best])
                        best = c;
        return best;
}

/* Tags s with p into s->ptag; learn: update p on errors. Returns errors. */
static size_t tag_sentence(dm_perc_t *p, const dm_ptrain_amb_t *amb, dm_pwords_t *w,
                           dm_ptrain_sent_t *s, int learn, float *sc)
{
        uint64_t f[DM_PFEAT_MAX];
        size_t i, err = 0;
        dm_pwords_set(w, s->forms, s->n);
        amb_fill(amb, w);
        s->ptag[0] = 0;
        for (i = 1; i <= s->n; i++) {
                size_t nf;
                int pred;
                if (w->fixed[i]) {
                        s->ptag[i] = (int)w->fixed[i];
                        err += s->ptag[i] != s->gtag[i];
                        continue;
                }
                nf = dm_pf_tagger(w, s->ptag, i, f);
                dm_perc_score(p, f, nf, sc);
                pred = argmax(sc, (int)p->ncls);
                if (learn) {
                        dm_perc_tick(p);
                        if (pred + 1 != s->gtag[i] && s->gtag[i] > 0) {
                                dm_perc_update(p, f, nf, (uint32_t)s->gtag[i] - 1, 1.0f);
                                dm_perc_update(p, f, nf, (uint32_t)pred, -1.0f);
                        }
                }
                if (pred + 1 != s->gtag[i])
                        err++;
                s->ptag[i] = pred + 1;
        }
        return err;
}

/* One sentence through the parser. With learn, trains action and label on
 * the dynamic oracle; explore: follow the model's mistakes with that
 * probability in percent (Goldberg and Nivre use 90).
 * Returns the correct heads and labels in *uas, *las. */
static void parse_sentence(dm_ptrain_t *t, dm_pwords_t *w, dm_pstate_t *st,
                           const dm_ptrain_sent_t *s, dm_perc_t *act, dm_perc_t *lab, int learn,
                           int explore, uint64_t *rng, size_t *uas, size_t *las)
{
        uint64_t f[DM_PFEAT_MAX], fl[DM_PFEAT_MAX];
        float sc[DM_PACT_N];
        size_t i;
        dm_pwords_set(w, s->forms, s->n);
        clus_fill(&t->clus, w);
        dm_pstate_start(st, w, s->ptag, t->coarse, s->n);
        while (!dm_pstate_terminal(st)) {
                size_t nf = dm_pf_state(st, f), nfl;
                int a, pred = -1, gold = -1, cost[DM_PACT_N], mincost = 1 << 30, follow;
                int label = t->root, h, d;
                dm_perc_score(act, f, nf, sc);
                for (a = 0; a < DM_PACT_N; a++) {
                        if (!dm_pstate_valid(st, a)) {
                                cost[a] = -1;
                                continue;
                        }
                        if (pred < 0 || sc[a] > sc[pred])
                                pred = a;
                        if (learn) {
                                cost[a] = dm_pstate_cost(st, a, s->ghead);
                                if (cost[a] < mincost)
                                        mincost = cost[a];
                        }
                }
                follow = pred;
                if (learn) {
                        for (a = 0; a < DM_PACT_N; a++)
                                if (cost[a] == mincost && (gold < 0 || sc[a] > sc[gold]))
                                        gold = a;
                        dm_perc_tick(act);
                        if (cost[pred] > mincost) {
                                dm_perc_update(act, f, nf, (uint32_t)gold, 1.0f);
                                dm_perc_update(act, f, nf, (uint32_t)pred, -1.0f);
                                if (!explore || (int)(rng_next(rng) % 100) >= explore)
                                        follow = gold;
                        }
                }
                if (follow != DM_PACT_SHIFT) {
                        dm_pstate_arc(st, follow, &h, &d);
                        if (h != 0) {
                                int lpred;
                                nfl = dm_pf_label(st, h, d, fl);
                                lpred = dm_perc_best(lab, fl, nfl, t->lsc, t->root);
                                label = lpred;
                                if (learn && s->ghead[d] == h && s->glab[d] >= 0) {
                                        dm_perc_tick(lab);
                                        if (lpred != s->glab[d]) {
                                                dm_perc_update(lab, fl, nfl, (uint32_t)s->glab[d],
                                                               1.0f);
                                                dm_perc_update(lab, fl, nfl, (uint32_t)lpred,
                                                               -1.0f);
                                        }
                                        label = s->glab[d];
                                }
                        }
                }
                dm_pstate_apply(st, follow, label);
        }
        for (i = 1; i <= s->n; i++) {
                if (st->head[i] == s->ghead[i]) {
                        (*uas)++;
                        if (st->label[i] == s->glab[i])
                                (*las)++;
                }
        }
}

/* Dev figures of a beam parser: s parsed with act and lab by pb. */
static void beam_eval(dm_ptrain_t *t, dm_pwords_t *w, dm_pbeam_t *pb, const dm_ptrain_sent_t *s,
                      const dm_perc_t *act, const dm_perc_t *lab, size_t *uas, size_t *las)
{
        dm_pbeam_scorer_t sc;
        const dm_pstate_t *st;
        size_t i;
        dm_pbeam_perc_scorer(pb, act, lab, t->root, &sc);
        dm_pwords_set(w, s->forms, s->n);
        clus_fill(&t->clus, w);
        st = dm_pbeam_parse(pb, w, s->ptag, t->coarse, s->n, &sc);
        for (i = 1; i <= s->n; i++) {
                if (st->head[i] == s->ghead[i]) {
                        (*uas)++;
                        if (st->label[i] == s->glab[i])
                                (*las)++;
                }
        }
}

static size_t count_words(const dm_ptrain_sent_t *v, size_t n)
{
        size_t i, k = 0;
        for (i = 0; i < n; i++)
                k += v[i].n;
        return k;
}

static void eval_dev(dm_ptrain_t *t, dm_pwords_t *w, dm_pstate_t *st, int stage, int epoch,
                     FILE *log)
{
        dm_perc_t at, aa, al;
        size_t i, err = 0, uas = 0, las = 0, nw = count_words(t->dev, t->ndev);
        float *sc = dm_malloc(t->tags.n * sizeof(float));
        if (!t->ndev || !log) {
                free(sc);
                return;
        }
        dm_perc_averaged(&t->tagger, &at);
        for (i = 0; i < t->ndev; i++)
                err += tag_sentence(&at, &t->amb, w, &t->dev[i], 0, sc);
        if (stage == 0) {
                fprintf(log, "tagger epoch %d: dev tag accuracy %.2f%%\n", epoch,
                        100.0 * (double)(nw - err) / (double)nw);
        } else {
                dm_perc_averaged(&t->action, &aa);
                dm_perc_averaged(&t->label, &al);
                if (t->beam > 1) {
                        dm_pbeam_t *pb = dm_pbeam_new((size_t)t->beam);
                        for (i = 0; i < t->ndev; i++)
                                beam_eval(t, w, pb, &t->dev[i], &aa, &al, &uas, &las);
                        dm_pbeam_destroy(pb);
                } else {
                        for (i = 0; i < t->ndev; i++)
                                parse_sentence(t, w, st, &t->dev[i], &aa, &al, 0, 0, NULL, &uas,
                                               &las);
                }
                fprintf(log, "parser epoch %d: dev UAS %.2f%% LAS %.2f%% (predicted tags)\n", epoch,
                        100.0 * (double)uas / (double)nw, 100.0 * (double)las / (double)nw);
                dm_perc_free(&aa);
                dm_perc_free(&al);
        }
        fflush(log);
        dm_perc_free(&at);
        free(sc);
}

static void shuffle(size_t *order, size_t n, uint64_t *rng)
{
        size_t i;
        for (i = 0; i < n; i++)
                order[i] = i;
        for (i = n; i > 1; i--) {
                size_t j = (size_t)(rng_next(rng) % i), x = order[i - 1];
                order[i - 1] = order[j];
                order[j] = x;
        }
}

int dm_parse_train(const dm_parse_train_opts_t *o, char *errstr, size_t errstr_size)
{
        dm_ptrain_t t;
        dm_pwords_t w;
        dm_pstate_t st;
        uint64_t rng = o->seed * 0x9e3779b97f4a7c15ULL + 88172645463325252ULL;
        size_t *order = NULL, i, nproj = 0;
        float *sc = NULL;
        int rc = -1, e, f, epochs = o->epochs > 0 ? o->epochs : 10;
        dm_perc_t avg;
        dm_pbeam_t *pb = NULL;
        dm_ptrain_amb_t *famb = NULL; /* per fold, with --fold-classes */
        memset(&t, 0, sizeof(t));
        t.min_updates = o->min_updates;
        t.beam = o->beam > 1 ? o->beam : 1;
        if (t.beam > DM_PBEAM_MAX) {
                dm_str_seterr(errstr, errstr_size, "beam width %d: at most %d", o->beam,
                              DM_PBEAM_MAX);
                return -1;
        }
        if (o->fold_classes && o->folds <= 0) {
                dm_str_seterr(errstr, errstr_size, "--fold-classes needs --folds of at least 1");
                return -1;
        }
        if (t.beam > 1)
                pb = dm_pbeam_new((size_t)t.beam);
        dm_pwords_init(&w);
        dm_pstate_init(&st);
        if (o->clusters && dm_wclust_load(&t.clus, o->clusters, errstr, errstr_size))
                goto out;
        if (dm_conllu_load(o->train, o->max_sents, &t.train_doc, errstr, errstr_size))
                goto out;
        if (o->dev && dm_conllu_load(o->dev, 0, &t.dev_doc, errstr, errstr_size))
                goto out;
        if (convert(&t, &t.train_doc, 1, &t.train, &t.ntrain, errstr, errstr_size) ||
            convert(&t, &t.dev_doc, 0, &t.dev, &t.ndev, errstr, errstr_size))
                goto out;
        t.root = dm_ptrain_names_find(&t.labels, "root");
        if (!t.ntrain || t.root < 0) {
                dm_str_seterr(errstr, errstr_size, "%s: no training sentences with a root",
                              o->train);
                goto out;
        }
        t.lsc = dm_malloc(t.labels.n * sizeof(float));
        for (i = 0; i < t.ntrain; i++)
                nproj += t.train[i].proj;
        if (o->log)
                fprintf(o->log,
                        "train-parser: %zu training sentences (%zu projective), %zu dev, %zu "
                        "tags, %zu labels, %d epochs, seed %lu, %d folds, min updates %u, beam "
                        "%d, %zu word clusters\n",
                        t.ntrain, nproj, t.ndev, t.tags.n, t.labels.n, epochs, o->seed, o->folds,
                        o->min_updates, t.beam, t.clus.n);
        t.coarse = dm_calloc(t.tags.n + 1, sizeof(*t.coarse));
        for (i = 0; i < t.tags.n; i++)
                t.coarse[i + 1] = dm_pf_coarse(t.tags.s[i]);
        dm_perc_init(&t.tagger, (uint32_t)t.tags.n);
        dm_perc_init(&t.action, DM_PACT_N);
        dm_perc_init(&t.label, (uint32_t)t.labels.n);
        order = dm_malloc(t.ntrain * sizeof(*order));
        sc = dm_malloc(t.tags.n * sizeof(float));
        /* The parser learns from tags as a tagger predicts them on text it
         * has not seen: each fold is tagged by a tagger trained on the
         * others (jackknifing). */
        if (o->folds > 0)
                famb = dm_calloc((size_t)o->folds, sizeof(*famb));
        for (f = 0; f < o->folds; f++) {
                dm_perc_t ft;
                size_t err = 0, nw = 0;
                amb_build(&t, f, o->folds, &famb[f]);
                dm_perc_init(&ft, (uint32_t)t.tags.n);
                for (e = 1; e <= epochs; e++) {
                        shuffle(order, t.ntrain, &rng);
                        for (i = 0; i < t.ntrain; i++)
                                if ((int)(order[i] % (size_t)o->folds) != f)
                                        tag_sentence(&ft, &famb[f], &w, &t.train[order[i]], 1, sc);
                }
                dm_perc_averaged(&ft, &avg);
                for (i = (size_t)f; i < t.ntrain; i += (size_t)o->folds) {
                        err += tag_sentence(&avg, &famb[f], &w, &t.train[i], 0, sc);
                        nw += t.train[i].n;
                }
                if (o->log)
                        fprintf(o->log, "jackknife fold %d: tag accuracy %.2f%%\n", f + 1,
                                100.0 * (double)(nw - err) / (double)(nw ? nw : 1));
                dm_perc_free(&avg);
                dm_perc_free(&ft);
        }
        amb_build(&t, -1, 1, &t.amb);
        /* With --fold-classes a word seen with one tag in the whole data
         * can still meet other classes in training, as at run time a word
         * of news meets tags the treebank never gave it. */
        for (e = 1; e <= epochs; e++) {
                shuffle(order, t.ntrain, &rng);
                for (i = 0; i < t.ntrain; i++)
                        tag_sentence(&t.tagger,
                                     o->fold_classes ? &famb[order[i] % (size_t)o->folds] : &t.amb,
                                     &w, &t.train[order[i]], 1, sc);
                eval_dev(&t, &w, &st, 0, e, o->log);
        }
        dm_perc_averaged(&t.tagger, &avg);
        dm_perc_free(&t.tagger);
        t.tagger = avg;
        if (o->folds <= 0)
                for (i = 0; i < t.ntrain; i++)
                        tag_sentence(&t.tagger, &t.amb, &w, &t.train[i], 0, sc);
        for (e = 1; e <= epochs; e++) {
                size_t uas = 0, las = 0;
                shuffle(order, t.ntrain, &rng);
                for (i = 0; i < t.ntrain; i++) {
                        const dm_ptrain_sent_t *s = &t.train[order[i]];
                        if (!s->proj)
                                continue;
                        if (pb) {
                                /* Global training: no exploration, the beam
                                 * meets the model's own mistakes. */
                                dm_pwords_set(&w, s->forms, s->n);
                                clus_fill(&t.clus, &w);
                                dm_pbeam_train(pb, &w, s->ptag, t.coarse, s->n, s->ghead, s->glab,
                                               t.root, &t.action, &t.label);
                        } else {
                                parse_sentence(&t, &w, &st, s, &t.action, &t.label, 1,
                                               e > 1 ? o->explore : 0, &rng, &uas, &las);
                        }
                }
                eval_dev(&t, &w, &st, 1, e, o->log);
        }
        dm_perc_averaged(&t.action, &avg);
        dm_perc_free(&t.action);
        t.action = avg;
        dm_perc_averaged(&t.label, &avg);
        dm_perc_free(&t.label);
        t.label = avg;
        rc = dm_ptrain_export(&t, o->out, o->log, errstr, errstr_size);
out:
        free(order);
        free(sc);
        free_sents(t.train, t.ntrain);
        free_sents(t.dev, t.ndev);
        dm_perc_free(&t.tagger);
        dm_perc_free(&t.action);
        dm_perc_free(&t.label);
        amb_free(&t.amb);
        for (f = 0; famb && f < o->folds; f++)
                amb_free(&famb[f]);
        free(famb);
        dm_wclust_free(&t.clus);
        free(t.lsc);
        free(t.coarse);
        dm_ptrain_names_free(&t.tags);
        dm_ptrain_names_free(&t.labels);
        dm_conllu_doc_free(&t.train_doc);
        dm_conllu_doc_free(&t.dev_doc);
        dm_pwords_free(&w);
        dm_pstate_free(&st);
        dm_pbeam_destroy(pb);
        return rc;
}
