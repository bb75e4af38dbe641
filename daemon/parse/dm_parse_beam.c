/* Beam search and max-violation training for the arc-hybrid parser
 * (dm_parse_beam.h). Every complete transition sequence of a sentence of
 * n words has 2n steps (each word is shifted once and attached once), so
 * the items of a beam finish together. An item's score is the sum of its
 * transitions' scores; its labels are chosen greedily when its arcs are
 * made (the label classifier is not part of the search: it keeps the
 * transition rows at 3 weights, as in greedy parsing). */
#include "dm_parse_beam.h"

#include "demarche/dm_mem.h"

#include <stdlib.h>
#include <string.h>

typedef struct cand {
        double score;
        int item, act;
} cand_t;

struct dm_pbeam {
        size_t width;
        dm_pstate_t st[2][DM_PBEAM_MAX];
        double score[2][DM_PBEAM_MAX];
        int gold[2][DM_PBEAM_MAX]; /* the item's actions are the gold prefix */
        /* Per item, per step: action + 4 * (label + 1). */
        int *hist[2][DM_PBEAM_MAX];
        int *best_hist, *gold_hist;
        size_t hcap;
        dm_pstate_t gst; /* the gold sequence's state (training) */
        cand_t cand[DM_PACT_N * DM_PBEAM_MAX];
        size_t nitems;
        int cur;
        /* The perceptrons of dm_pbeam_perc_scorer, and lab's scores. */
        const dm_perc_t *act, *lab;
        float *lsc;
        size_t lsc_cap;
        int root;
};

dm_pbeam_t *dm_pbeam_new(size_t width)
{
        dm_pbeam_t *b = dm_calloc(1, sizeof(*b));
        size_t i;
        b->width = width < 1 ? 1 : width > DM_PBEAM_MAX ? DM_PBEAM_MAX : width;
        for (i = 0; i < DM_PBEAM_MAX; i++) {
                dm_pstate_init(&b->st[0][i]);
                dm_pstate_init(&b->st[1][i]);
        }
        dm_pstate_init(&b->gst);
        return b;
}

void dm_pbeam_destroy(dm_pbeam_t *b)
{
        size_t i;
        if (!b)
                return;
        for (i = 0; i < DM_PBEAM_MAX; i++) {
                dm_pstate_free(&b->st[0][i]);
                dm_pstate_free(&b->st[1][i]);
                free(b->hist[0][i]);
                free(b->hist[1][i]);
        }
        dm_pstate_free(&b->gst);
        free(b->best_hist);
        free(b->gold_hist);
        free(b->lsc);
        free(b);
}

static void reserve(dm_pbeam_t *b, size_t n)
{
        size_t i, need = 2 * n + 2;
        if (need <= b->hcap)
                return;
        b->hcap = need + 32;
        for (i = 0; i < b->width; i++) {
                b->hist[0][i] = dm_realloc(b->hist[0][i], b->hcap * sizeof(int));
                b->hist[1][i] = dm_realloc(b->hist[1][i], b->hcap * sizeof(int));
        }
        b->best_hist = dm_realloc(b->best_hist, b->hcap * sizeof(int));
        b->gold_hist = dm_realloc(b->gold_hist, b->hcap * sizeof(int));
}

/* Best first; ties by item, then action, so decoding is deterministic. */
static int cand_cmp(const void *x, const void *y)
{
        const cand_t *a = x, *c = y;
        if (a->score != c->score)
                return a->score > c->score ? -1 : 1;
        if (a->item != c->item)
                return a->item - c->item;
        return a->act - c->act;
}

/* The label a transition's arc would get (root for an arc from the root). */
static int arc_label(dm_pstate_t *st, int act, const dm_pbeam_scorer_t *sc)
{
        uint64_t f[DM_PFEAT_MAX];
        int h, d;
        if (act == DM_PACT_SHIFT)
                return sc->root_label;
        dm_pstate_arc(st, act, &h, &d);
        if (h == 0)
                return sc->root_label;
        return sc->label(sc->ctx, f, dm_pf_label(st, h, d, f));
}

static void beam_start(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                       size_t n)
{
        reserve(b, n);
        b->cur = 0;
        b->nitems = 1;
        dm_pstate_start(&b->st[0][0], w, tag, coarse, n);
        b->score[0][0] = 0;
        b->gold[0][0] = 1;
}

/* One step: every item's transitions scored, the best width kept. gact is
 * the gold action of this step (-1: none known). */
static void beam_step(dm_pbeam_t *b, size_t step, const dm_pbeam_scorer_t *sc, int gact)
{
        uint64_t f[DM_PFEAT_MAX];
        float s3[DM_PACT_N];
        size_t i, nc = 0, keep;
        int cur = b->cur, nxt = !cur, a;
        for (i = 0; i < b->nitems; i++) {
                dm_pstate_t *st = &b->st[cur][i];
                sc->action(sc->ctx, f, dm_pf_state(st, f), s3);
                for (a = 0; a < DM_PACT_N; a++)
                        if (dm_pstate_valid(st, a)) {
                                b->cand[nc].score = b->score[cur][i] + s3[a];
                                b->cand[nc].item = (int)i;
                                b->cand[nc++].act = a;
                        }
        }
        qsort(b->cand, nc, sizeof(*b->cand), cand_cmp);
        keep = nc < b->width ? nc : b->width;
        for (i = 0; i < keep; i++) {
                const cand_t *c = &b->cand[i];
                dm_pstate_t *dst = &b->st[nxt][i];
                int label;
                dm_pstate_copy(dst, &b->st[cur][c->item]);
                label = arc_label(dst, c->act, sc);
                dm_pstate_apply(dst, c->act, label);
                memcpy(b->hist[nxt][i], b->hist[cur][c->item], step * sizeof(int));
                b->hist[nxt][i][step] = c->act + 4 * (label + 1);
                b->score[nxt][i] = c->score;
                b->gold[nxt][i] = b->gold[cur][c->item] && c->act == gact;
        }
        b->nitems = keep;
        b->cur = nxt;
}

const dm_pstate_t *dm_pbeam_parse(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag,
                                  const uint64_t *coarse, size_t n, const dm_pbeam_scorer_t *sc)
{
        size_t step;
        beam_start(b, w, tag, coarse, n);
        for (step = 0; !dm_pstate_terminal(&b->st[b->cur][0]); step++)
                beam_step(b, step, sc, -1);
        return &b->st[b->cur][0];
}

/* The static oracle: the first zero-cost transition of LEFT, RIGHT,
 * SHIFT (a projective tree always has one). */
static int gold_action(const dm_pstate_t *st, const int *ghead)
{
        static const int order[] = {DM_PACT_LEFT, DM_PACT_RIGHT, DM_PACT_SHIFT};
        int k;
        for (k = 0; k < 3; k++)
                if (dm_pstate_valid(st, order[k]) && !dm_pstate_cost(st, order[k], ghead))
                        return order[k];
        return -1;
}

static void perc_action(void *ctx, const uint64_t *f, size_t nf, float *sc)
{
        dm_perc_score(((dm_pbeam_t *)ctx)->act, f, nf, sc);
}

static int perc_label(void *ctx, const uint64_t *f, size_t nf)
{
        dm_pbeam_t *b = ctx;
        return dm_perc_best(b->lab, f, nf, b->lsc, b->root);
}

void dm_pbeam_perc_scorer(dm_pbeam_t *b, const dm_perc_t *act, const dm_perc_t *lab, int root_label,
                          dm_pbeam_scorer_t *sc)
{
        b->act = act;
        b->lab = lab;
        b->root = root_label;
        dm_grow((void **)&b->lsc, &b->lsc_cap, lab->ncls, sizeof(*b->lsc));
        sc->action = perc_action;
        sc->label = perc_label;
        sc->ctx = b;
        sc->root_label = root_label;
}

/* Adds delta to the transition weights of the first steps of a sequence
 * (hist: action + 4 * (label + 1) per step), replayed from the start. */
static void replay(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                   size_t n, const int *hist, size_t steps, dm_perc_t *act, float delta)
{
        uint64_t f[DM_PFEAT_MAX];
        size_t t;
        dm_pstate_start(&b->gst, w, tag, coarse, n);
        for (t = 0; t < steps; t++) {
                int a = hist[t] & 3, label = hist[t] / 4 - 1;
                dm_perc_update(act, f, dm_pf_state(&b->gst, f), (uint32_t)a, delta);
                dm_pstate_apply(&b->gst, a, label);
        }
}

int dm_pbeam_train(dm_pbeam_t *b, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                   size_t n, const int *ghead, const int *glab, int root_label, dm_perc_t *act,
                   dm_perc_t *lab)
{
        uint64_t f[DM_PFEAT_MAX];
        float s3[DM_PACT_N];
        dm_pbeam_scorer_t sc;
        double gscore = 0, maxv = 0;
        size_t step, tstar = 0;
        dm_pbeam_perc_scorer(b, act, lab, root_label, &sc);
        beam_start(b, w, tag, coarse, n);
        dm_pstate_start(&b->gst, w, tag, coarse, n);
        for (step = 0; !dm_pstate_terminal(&b->gst); step++) {
                int ga = gold_action(&b->gst, ghead), label = root_label, h, d;
                if (ga < 0)
                        break; /* not projective: the caller skips those */
                sc.action(sc.ctx, f, dm_pf_state(&b->gst, f), s3);
                gscore += s3[ga];
                if (ga != DM_PACT_SHIFT) {
                        dm_pstate_arc(&b->gst, ga, &h, &d);
                        if (h != 0) {
                                size_t nfl = dm_pf_label(&b->gst, h, d, f);
                                int lp = sc.label(sc.ctx, f, nfl);
                                dm_perc_tick(lab);
                                if (glab[d] >= 0 && lp != glab[d]) {
                                        dm_perc_update(lab, f, nfl, (uint32_t)glab[d], 1.0f);
                                        dm_perc_update(lab, f, nfl, (uint32_t)lp, -1.0f);
                                }
                                label = glab[d] >= 0 ? glab[d] : lp;
                        }
                }
                b->gold_hist[step] = ga + 4 * (label + 1);
                dm_pstate_apply(&b->gst, ga, label);
                beam_step(b, step, &sc, ga);
                /* Max violation: the step where the best item outscores
                 * the gold prefix by most (a tie lost counts: the gold
                 * prefix is not the one chosen). */
                if (!b->gold[b->cur][0] &&
                    (tstar ? b->score[b->cur][0] - gscore > maxv : b->score[b->cur][0] >= gscore)) {
                        maxv = b->score[b->cur][0] - gscore;
                        tstar = step + 1;
                        memcpy(b->best_hist, b->hist[b->cur][0], tstar * sizeof(int));
                }
        }
        dm_perc_tick(act);
        if (!tstar)
                return 0;
        replay(b, w, tag, coarse, n, b->gold_hist, tstar, act, 1.0f);
        replay(b, w, tag, coarse, n, b->best_hist, tstar, act, -1.0f);
        return 1;
}
