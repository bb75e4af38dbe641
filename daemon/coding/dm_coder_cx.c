/* Which sentences the coder codes and parses: TABARI's complexity filters
 * (the options file's COMPLEX: line) and, in parse mode, whether a sentence can give an
 * event, so that only those are parsed. */
#include "coding/dm_coder_int.h"
#include "coding/dm_nominal.h"

#include <string.h>

/* Whether the sentence names two actors (a compound counts for its
 * members), or a default stands in for one: else no event can have both a
 * source and a target, and the parse would be wasted. */
int dm_coder_can_pair(const dm_coder_t *c)
{
        const dm_sent_t *s = &c->sent;
        size_t i, n = 0;
        if (c->opts.default_src[0] || c->opts.default_tgt[0])
                return 1;
        for (i = 0; i < s->nunits && n < 2; i++)
                if (!s->units[i].absorbed)
                        n += s->units[i].compound ? 2 : 1;
        if (n >= 2 || n == 0)
                return n >= 2;
        /* One actor: enough for a noun or a verb whose code, or one of whose
         * patterns' (that the sentence's words allow), is an event of its
         * source alone ('.'). */
        if (dm_nominal_alone_candidate(s, c->nouns))
                return 1;
        for (i = 0; i < s->ntoks; i++) {
                const dm_lex_t *lx = c->lx;
                const dm_lex_verb_t *vb;
                uint32_t k;
                if (s->toks[i].type != DM_T_VERB)
                        continue;
                vb = &lx->verbs[lx->entries[s->toks[i].entry].payload];
                if (strchr(lx->str + vb->code, '.'))
                        return 1;
                for (k = 0; k < vb->pat_count; k++) {
                        uint32_t key0 = lx->pat_key0[vb->pat_first + k];
                        if ((key0 & 0x10000u) && !dm_sent_has_key(s, (uint16_t)key0))
                                continue;
                        if (strchr(lx->str + lx->pats[vb->pat_first + k].code, '.'))
                                return 1;
                }
        }
        return 0;
}

/* Parse mode: parses the sentence on first use. */
int dm_coder_parsed(dm_coder_t *c)
{
        if (c->roles_state == 0)
                c->roles_state =
                    dm_coder_can_pair(c) &&
                            dm_roles_prepare(c->roles, &c->sent, c->text, c->start, c->end) == 0
                        ? 1
                        : -1;
        return c->roles_state == 1;
}

int dm_coder_complex(const dm_coder_t *c)
{
        const dm_sent_t *s = &c->sent;
        const dm_options_t *o = &c->opts;
        size_t i;
        /* A record over TABARI's 127 words is usually several sentences run
         * together: with a complexity filter it is complex (DEBUG-21). */
        if (s->truncated && (o->cx_verbs || o->cx_conj || o->cx_noactprior))
                return 1;
        if (o->cx_verbs && s->nverbs >= o->cx_verbs)
                return 1;
        if (o->cx_conj && s->nconj >= o->cx_conj)
                return 1;
        if (o->cx_comma && s->ncomma_clauses >= o->cx_comma)
                return 1;
        if (o->cx_actors || o->cx_pronouns || o->cx_lateverb) {
                int nact = 0, npro = 0, first_verb = -1;
                for (i = 0; i < s->nunits; i++) {
                        const dm_unit_t *u = &s->units[i];
                        if (u->pronoun)
                                npro++;
                        else if (!u->parsed && !s->toks[u->first].removed)
                                nact++;
                }
                for (i = 0; i < s->ntoks && first_verb < 0; i++)
                        if (s->toks[i].type == DM_T_VERB && !s->toks[i].removed)
                                first_verb = (int)i;
                if (o->cx_actors && nact >= o->cx_actors)
                        return 1;
                if (o->cx_pronouns && npro >= o->cx_pronouns)
                        return 1;
                if (o->cx_lateverb && (first_verb < 0 || first_verb >= o->cx_lateverb))
                        return 1;
        }
        if (o->cx_noverb || o->cx_noactafter) {
                for (i = 0; i < s->ntoks; i++)
                        if (s->toks[i].type == DM_T_VERB && !s->toks[i].removed)
                                break;
                if (i >= s->ntoks)
                        return o->cx_noverb;
                if (o->cx_noactafter) {
                        for (i++; i < s->ntoks; i++)
                                if (!s->toks[i].removed && dm_coder_unit_ok(s, s->toks[i].unit))
                                        return 0;
                        return 1;
                }
        }
        return 0;
}

/* COMPLEX: NOACTPRIOR, checked on the verb of the first event (a null-coded
 * verb before the subject does not reject, COMPLEX-06), or on the first verb
 * when nothing coded. Returns 1 when the sentence is complex. */
int dm_coder_noactprior(const dm_coder_t *c)
{
        const dm_sent_t *s = &c->sent;
        int v = c->ncev ? c->cev[0].verb_tok : -1, i;
        if (v < 0) {
                /* Without a verb, the "first verb" is the end of the
                 * sentence (DEBUG-21, DEBUG-22). */
                for (i = 0; i < (int)s->ntoks; i++)
                        if (s->toks[i].type == DM_T_VERB && !s->toks[i].removed)
                                break;
                v = i;
        }
        for (i = 0; i < v; i++)
                if (!s->toks[i].removed && dm_coder_unit_ok(s, s->toks[i].unit))
                        return 0;
        return 1;
}
