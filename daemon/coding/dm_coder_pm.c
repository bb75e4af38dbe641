/* TABARI verb-pattern matching (dm_coder_pm.h). */
#include "coding/dm_coder_pm.h"

#include <string.h>

static int dm_pm_next(const dm_sent_t *s, int p, int ce)
{
        while (p < ce && s->toks[p].removed)
                p++;
        return p;
}

/* Binds the actor element k of f to the unit starting at token q and
 * matches the rest. */
static int dm_pm_actor_at(dm_pm_t *pm, const dm_pm_frame_t *f, uint32_t k, int q)
{
        const dm_sent_t *s = pm->s;
        const dm_lex_el_t *el = &f->els[k];
        int u = s->toks[q].unit, save;
        const dm_unit_t *un;
        int *slot;
        if (u < 0)
                return 0;
        un = &s->units[u];
        if (un->absorbed || (el->type == DM_EL_COMP && !un->compound))
                return 0;
        slot = el->type == DM_EL_SRC    ? &pm->src
               : el->type == DM_EL_TGT  ? &pm->tgt
               : el->type == DM_EL_COMP ? &pm->comp
                                        : NULL;
        save = slot ? *slot : -1;
        if (slot)
                *slot = u;
        else if (pm->nskip < 4)
                pm->skip[pm->nskip++] = u;
        if (dm_pm_match(pm, f, k + 1, un->last + 1, el->adj_next, 0))
                return 1;
        if (slot)
                *slot = save;
        else if (pm->nskip > 0)
                pm->nskip--;
        return 0;
}

int dm_pm_match(dm_pm_t *pm, const dm_pm_frame_t *f, uint32_t k, int pos, int adj, int top_first)
{
        const dm_sent_t *s = pm->s;
        const dm_lex_el_t *el;
        int q;
        if (--pm->budget < 0)
                return 0;
        if (k == f->n) {
                if (f->up)
                        return dm_pm_match(pm, f->up, f->up_k, pos, f->up_adj, 0);
                return 1;
        }
        el = &f->els[k];
        q = dm_pm_next(s, pos, pm->ce);
        /* The verb can only be where it is: no need to scan up to it,
         * unless a comma in between stops the gap. */
        if (el->type == DM_EL_VERB && !adj && q < pm->vfirst) {
                int r;
                for (r = q; r < pm->vfirst &&
                            (top_first || s->toks[r].type != DM_T_COMMA || s->toks[r].removed);
                     r++)
                        ;
                if (r < pm->vfirst)
                        return 0;
                q = pm->vfirst;
        }
        /* An actor token followed by more of the pattern takes the actor
         * nearest to what follows ("Mordor et Arnor will be hosting":
         * $ HOSTING is Arnor, PATTERN-31): try candidates from the last. */
        if (el->type >= DM_EL_SRC && el->type <= DM_EL_SKIP && !adj && (k + 1 < f->n || f->up)) {
                int cand[32], nc = 0;
                for (; q < pm->ce && nc < 32; q = dm_pm_next(s, q + 1, pm->ce)) {
                        if (s->toks[q].unit >= 0)
                                cand[nc++] = q;
                        if (!top_first && s->toks[q].type == DM_T_COMMA)
                                break;
                }
                while (nc-- > 0)
                        if (dm_pm_actor_at(pm, f, k, cand[nc]))
                                return 1;
                return 0;
        }
        for (; q < pm->ce; q = dm_pm_next(s, q + 1, pm->ce)) {
                const dm_stok_t *t = &s->toks[q];
                switch (el->type) {
                case DM_EL_WORD:
                        if (t->wlen >= el->len && s->words[t->woff] == pm->lx->str[el->ref] &&
                            dm_lex_word_match(pm->lx, el, s->words + t->woff, t->wlen)) {
                                pm->matched_len += el->len;
                                if (dm_pm_match(pm, f, k + 1, q + 1, el->adj_next, 0))
                                        return 1;
                                pm->matched_len -= el->len;
                        }
                        break;
                case DM_EL_VERB:
                        if (q == pm->vfirst &&
                            dm_pm_match(pm, f, k + 1, pm->vlast + 1, el->adj_next, 0))
                                return 1;
                        break;
                case DM_EL_SRC:
                case DM_EL_TGT:
                case DM_EL_COMP:
                case DM_EL_SKIP:
                        if (dm_pm_actor_at(pm, f, k, q))
                                return 1;
                        break;
                case DM_EL_GROUP: {
                        const dm_lex_group_t *g = &pm->lx->groups[el->ref];
                        uint32_t a;
                        for (a = 0; a < g->count; a++) {
                                const dm_lex_seq_t *sq = &pm->lx->group_seqs[g->first + a];
                                dm_pm_frame_t sub = {pm->lx->els + sq->first, sq->count, f, k + 1,
                                                     el->adj_next};
                                if (dm_pm_match(pm, &sub, 0, q, 1, 0))
                                        return 1;
                        }
                        break;
                }
                default:
                        break;
                }
                if (adj || pm->budget < 0)
                        break;
                /* Gaps do not cross commas, except before the first element. */
                if (!top_first && t->type == DM_T_COMMA)
                        break;
        }
        return 0;
}
