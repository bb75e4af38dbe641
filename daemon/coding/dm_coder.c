#include "coding/dm_coder_int.h"
#include "dict/dm_lex.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "coding/dm_coder_pm.h"
#include "coding/dm_nominal.h"
#include "coding/dm_roles.h"
#include "dict/dm_nouns.h"
#include "coding/dm_sent.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The TABARI-compatible coder. dm_sent does the parsing (chapter 7 of the
 * manual); this file matches verb patterns (5.5-5.7), assigns sources and
 * targets (5.8, 7.6, 7.9) and builds events (6.6). */

/* Bounds backtracking in pattern matching so that pathological inputs
 * cost bounded time: per pattern, and for the whole sentence (past that,
 * verbs code by their root codes only). */
#define DM_CODER_BUDGET          4096
#define DM_CODER_SENTENCE_BUDGET (1L << 20)

dm_coder_t *dm_coder_new(const dm_dict_t *dict)
{
        dm_coder_t *c = dm_calloc(1, sizeof(*c));
        c->dict = dict;
        c->lx = dm_dict_lex(dict);
        c->opts = *dm_dict_options(dict);
        dm_sent_init(&c->sent);
        return c;
}

void dm_coder_destroy(dm_coder_t *c)
{
        if (!c)
                return;
        dm_sent_free(&c->sent);
        dm_roles_destroy(c->roles);
        free(c->cev);
        free(c->cbuf);
        free(c->actors);
        free(c->events);
        free(c->issues);
        free(c->extras);
        free(c);
}

void dm_coder_set_parser(dm_coder_t *c, const dm_parse_model_t *m)
{
        dm_roles_destroy(c->roles);
        c->roles = m ? dm_roles_new(m) : NULL;
        c->roles_state = 0;
        c->nouns = m ? dm_dict_nouns(c->dict) : NULL;
}

void dm_coder_set_context(dm_coder_t *c, const char *country, const char *person, const char *thing,
                          const dm_coded_actor_t *extras, size_t nextras)
{
        size_t i, n = 0;
        snprintf(c->ctx.country, sizeof(c->ctx.country), "%s", country ? country : "");
        snprintf(c->ctx.person, sizeof(c->ctx.person), "%s", person ? person : "");
        snprintf(c->ctx.thing, sizeof(c->ctx.thing), "%s", thing ? thing : "");
        dm_grow((void **)&c->extras, &c->extra_cap, nextras + 1, sizeof(*c->extras));
        for (i = 0; i < nextras; i++) {
                if (!extras[i].code || !extras[i].code[0] || extras[i].end <= extras[i].start)
                        continue;
                c->extras[n].start = extras[i].start;
                c->extras[n].end = extras[i].end;
                c->extras[n].name = extras[i].name != 0;
                snprintf(c->extras[n].code, sizeof(c->extras[n].code), "%s", extras[i].code);
                n++;
        }
        c->ctx.extras = c->extras;
        c->ctx.nextras = n;
}

int dm_coder_parse_mode(const dm_coder_t *c)
{
        return c->roles != NULL;
}

dm_options_t *dm_coder_options(dm_coder_t *c)
{
        return &c->opts;
}

static uint32_t dm_coder_str(dm_coder_t *c, const char *p, size_t n)
{
        return dm_pool_add(&c->cbuf, &c->cbuf_len, &c->cbuf_cap, p, n);
}

/* ---- sources and targets -------------------------------------------- */

int dm_coder_unit_ok(const dm_sent_t *s, int u)
{
        return u >= 0 && !s->units[u].absorbed;
}

static const char *dm_coder_unit_code(const dm_sent_t *s, int u)
{
        return dm_sent_code(s, s->units[u].code_first);
}

/* First unit in tokens [from, to) whose first code differs from code (NULL:
 * any). */
static int dm_coder_find_unit(const dm_sent_t *s, int from, int to, const char *code)
{
        int i;
        for (i = from; i < to && i < (int)s->ntoks; i++) {
                int u = s->toks[i].unit;
                if (s->toks[i].removed || !dm_coder_unit_ok(s, u))
                        continue;
                if (code && !strcmp(dm_coder_unit_code(s, u), code) && !s->units[u].compound)
                        continue;
                return u;
        }
        return -1;
}

/* First unit in [from, to) other than unit not whose first code differs
 * from code. */
static int dm_coder_find_unit_not(const dm_coder_t *c, int from, int to, const char *code, int not )
{
        const dm_sent_t *s = &c->sent;
        int i, k;
        for (i = from; i < to && i < (int)s->ntoks; i++) {
                int u = s->toks[i].unit, skipped = 0;
                if (s->toks[i].removed || !dm_coder_unit_ok(s, u) || u == not )
                        continue;
                for (k = 0; k < c->nskip; k++)
                        skipped |= c->skip[k] == u;
                if (skipped)
                        continue;
                /* THEIR referring to the source compound: the compound is
                 * its own target (COMPOUND-24). */
                if (not >= 0 && s->units[not ].compound && s->units[u].pronoun &&
                    s->units[u].ref == not &&!strcmp(dm_sent_word(s, (size_t)i), "THEIR"))
                        return u;
                if (code && !strcmp(dm_coder_unit_code(s, u), code))
                        continue;
                return u;
        }
        return -1;
}

static int dm_coder_clause_end(const dm_sent_t *s, int clause)
{
        return (size_t)clause + 1 < s->nclauses ? s->clause_start[clause + 1] - 1 : (int)s->ntoks;
}

static int dm_coder_passive(const dm_sent_t *s, int vfirst, int vlast)
{
        int k, n = 0;
        /* BY right after the verb, or after one modifier (PASV-04). */
        if (vlast + 1 >= (int)s->ntoks)
                return 0;
        if (s->toks[vlast + 1].type != DM_T_BY &&
            (vlast + 2 >= (int)s->ntoks || s->toks[vlast + 2].type != DM_T_BY ||
             s->toks[vlast + 1].unit >= 0 || s->toks[vlast + 1].type == DM_T_COMMA))
                return 0;
        for (k = vfirst - 1; k >= 0 && n < 2; k--) {
                if (s->toks[k].removed)
                        continue;
                n++;
                if (s->toks[k].type == DM_T_AUX)
                        return 1;
        }
        return 0;
}

static int dm_coder_owner(const dm_sent_t *s, int unit, uint32_t k)
{
        if (unit < 0 || !s->units[unit].parsed)
                return unit;
        return s->code_unit[s->units[unit].code_first + k];
}

static void dm_coder_emit(dm_coder_t *c, int su, const char *sdef, int tu, const char *tdef,
                          const char *code, uint32_t phrase, int vtok, int sub, int both)
{
        const dm_sent_t *s = &c->sent;
        uint32_t ns = su >= 0 ? s->units[su].ncodes : 1, nt = tu >= 0 ? s->units[tu].ncodes : 1;
        uint32_t i, j;
        char c1[64], c2[64];
        const char *colon = strchr(code, ':');
        size_t n1 = colon ? (size_t)(colon - code) : strlen(code);
        int dom = 0;
        snprintf(c1, sizeof(c1), "%.*s", (int)n1, code);
        snprintf(c2, sizeof(c2), "%s", colon ? colon + 1 : "");
        /* Suffixes: ! dominant, ? subordinate, . a source alone is an event
         * (parse mode). */
        for (i = 0; c1[i]; i++)
                if (strchr("!?.", c1[i])) {
                        dom |= strchr(c1 + i, '!') != NULL;
                        c1[i] = '\0';
                        break;
                }
        for (i = 0; c2[i]; i++)
                if (strchr("!?.", c2[i])) {
                        c2[i] = '\0';
                        break;
                }
        for (i = 0; i < ns; i++) {
                for (j = su >= 0 && su == tu ? i + 1 : 0; j < nt; j++) {
                        const char *sc =
                            su >= 0 ? dm_sent_code(s, s->units[su].code_first + i) : sdef;
                        const char *tc =
                            tu >= 0 ? dm_sent_code(s, s->units[tu].code_first + j) : tdef;
                        int pass, self = su >= 0 && su == tu && both;
                        if (!strcmp(sc, tc))
                                continue;
                        /* A compound as both source and target: each pair once
                         * each way; a paired code gives the reverse its second
                         * code (manual 5.7.3, 6.6.3). */
                        for (pass = 0; pass < (colon || self ? 2 : 1); pass++) {
                                dm_cev_t *e;
                                dm_grow((void **)&c->cev, &c->cev_cap, c->ncev + 1, sizeof(*e));
                                e = &c->cev[c->ncev++];
                                memset(e, 0, sizeof(*e));
                                /* Report the member of a parsed compound
                                 * that the code came from. */
                                {
                                        int so = dm_coder_owner(s, su, i);
                                        int to = dm_coder_owner(s, tu, j);
                                        e->src_unit = pass ? to : so;
                                        e->tgt_unit = pass ? so : to;
                                }
                                e->src_code =
                                    dm_coder_str(c, pass ? tc : sc, strlen(pass ? tc : sc));
                                e->tgt_code =
                                    dm_coder_str(c, pass ? sc : tc, strlen(pass ? sc : tc));
                                const char *cc = pass && colon ? c2 : c1;
                                e->code = dm_coder_str(c, cc, strlen(cc));
                                e->verb_phrase = phrase;
                                e->verb_tok = vtok;
                                e->sub = (uint8_t)sub;
                                e->dom = (uint8_t)dom;
                                if (c->role_valid) {
                                        e->negated = (uint8_t)c->role.negated;
                                        e->hypothetical =
                                            (uint8_t)(c->role.modal || c->role.conditional);
                                } else {
                                        e->negated =
                                            vtok > 0 &&
                                            (!strcmp(dm_sent_word(s, (size_t)vtok - 1), "NOT") ||
                                             !strcmp(dm_sent_word(s, (size_t)vtok - 1), "NEVER"));
                                }
                                /* Parse mode: a compound the pattern names as
                                 * both source and target ('%': "Slovenia and
                                 * Japan resumed relations") has its roles from
                                 * the dictionary. */
                                e->path = c->role_valid
                                              ? dm_coder_str(c, c->role.path, strlen(c->role.path))
                                          : both && dm_coder_parse_mode(c) ? dm_coder_str(c, "%", 1)
                                                                           : UINT32_MAX;
                        }
                }
        }
}

static void dm_coder_fill_actor(const dm_coder_t *c, dm_coded_actor_t *a, int unit,
                                const char *code)
{
        const dm_sent_t *s = &c->sent;
        a->code = code && *code ? code : NULL; /* "": no target */
        if (unit >= 0) {
                const dm_unit_t *u = &s->units[unit];
                a->phrase = c->lx->str + u->phrase;
                a->start = s->toks[u->first].start;
                a->end = s->toks[u->last].end;
        } else {
                a->phrase = NULL;
                a->start = a->end = 0;
        }
}

/* Actors: every dictionary actor (members of parsed compounds included),
 * whether or not the sentence is long enough to code; once the sentence is
 * parsed, not those that are names inside names ("Kim Jong Un" holds no
 * UN). */
static void dm_coder_list_actors(dm_coder_t *c, dm_coded_sentence_t *out)
{
        const dm_sent_t *s = &c->sent;
        size_t i, n = 0;
        for (i = 0; i < s->nunits; i++) {
                const dm_unit_t *u = &s->units[i];
                uint32_t k;
                /* Parse mode reads no comma clause away: an actor list of
                 * the whole sentence holds them all. */
                if (u->pronoun || u->parsed || u->implied ||
                    (s->toks[u->first].removed && !(c->roles && c->actors_only)))
                        continue;
                if (c->roles_state == 1 && dm_roles_unit_inside_name(c->roles, (int)i))
                        continue;
                for (k = 0; k < u->ncodes; k++) {
                        dm_grow((void **)&c->actors, &c->actor_cap, n + 1, sizeof(*c->actors));
                        dm_coder_fill_actor(c, &c->actors[n++], (int)i,
                                            dm_sent_code(s, u->code_first + k));
                }
        }
        out->actors = c->actors;
        out->actor_count = n;
}

/* Codes the verb at token v; returns 1 when an event was produced, 0 when
 * the verb yields nothing, -1 for discard, -2 for complex. */
static int dm_coder_verb(dm_coder_t *c, int v, int clause, int *carried_src, int sub_ok)
{
        const dm_sent_t *s = &c->sent;
        const dm_lex_t *lx = c->lx;
        const dm_lex_entry_t *e = &lx->entries[s->toks[v].entry];
        const dm_lex_verb_t *vb = &lx->verbs[e->payload];
        dm_pm_t pm;
        const char *code = lx->str + vb->code;
        uint32_t phrase = e->phrase, k;
        int src = -1, tgt = -1, comp = -1, designated = 0, before, rr = -1;
        int cs = s->clause_start[clause], ce = dm_coder_clause_end(s, clause);
        size_t ncev0 = c->ncev;
        memset(&pm, 0, sizeof(pm));
        pm.s = s;
        pm.lx = lx;
        pm.cs = cs;
        pm.ce = ce;
        pm.vfirst = v;
        pm.vlast = s->toks[v].span_last;
        {
                /* Longest pattern first; a match through alternatives counts
                 * only the letters it actually matched, and longer patterns
                 * are tried before accepting it (manual 5.7.1). */
                const dm_lex_pattern_t *best = NULL;
                uint32_t best_len = 0;
                int skipped[4], nskipped = 0;
                int bs = -1, bt = -1, bc = -1;
                for (k = 0; k < vb->pat_count; k++) {
                        const dm_lex_pattern_t *p;
                        dm_pm_frame_t f;
                        uint8_t q;
                        uint32_t key0 = lx->pat_key0[vb->pat_first + k];
                        /* Cheap first test on the compact key array. */
                        if ((key0 & 0x10000u) && !dm_sent_has_key(s, (uint16_t)key0))
                                continue;
                        p = &lx->pats[vb->pat_first + k];
                        if (best && p->length <= best_len)
                                break;
                        f.els = lx->els + p->seq.first;
                        f.n = p->seq.count;
                        f.up = NULL;
                        f.up_k = 0;
                        f.up_adj = 0;
                        for (q = 0; q < p->nkeys; q++)
                                if (!dm_sent_has_key(s, p->keys[q]))
                                        break;
                        if (q < p->nkeys)
                                continue;
                        if (c->steps_left <= 0)
                                break;
                        pm.src = pm.tgt = pm.comp = -1;
                        pm.budget =
                            DM_CODER_BUDGET < c->steps_left ? DM_CODER_BUDGET : (int)c->steps_left;
                        pm.matched_len = 0;
                        pm.nskip = 0;
                        {
                                int budget0 = pm.budget, ok = dm_pm_match(&pm, &f, 0, cs, 0, 1);
                                c->steps_left -= budget0 - (pm.budget > 0 ? pm.budget : 0);
                                if (!ok)
                                        continue;
                        }
                        best = p;
                        best_len = p->has_group ? pm.matched_len : p->length;
                        bs = pm.src;
                        bt = pm.tgt;
                        bc = pm.comp;
                        memcpy(skipped, pm.skip, sizeof(skipped));
                        nskipped = pm.nskip;
                        if (!p->has_group || best_len >= p->length)
                                break;
                }
                c->nskip = 0;
                if (best) {
                        memcpy(c->skip, skipped, sizeof(c->skip));
                        c->nskip = nskipped;
                        code = lx->str + best->code;
                        phrase = best->phrase;
                        src = bs;
                        tgt = bt;
                        comp = bc;
                        designated = best->has_src || best->has_tgt || best->has_comp;
                }
        }
        if (!strcmp(code, "---") || !*code)
                return 0;
        if (!strcmp(code, "###"))
                return -1;
        if (!strcmp(code, "+++"))
                return -2;
        if (strchr(code, '?') && !sub_ok)
                return 0;
        c->role_valid = 0;
        if (comp < 0 && dm_coder_parsed(c) &&
            (rr = dm_roles_assign(c->roles, s, v, tgt, &c->role)) == -2 && dm_nouns_count(c->nouns))
                return 0; /* a noun: the event nouns decide (dm_coder_nominals) */
        if (comp < 0 && rr == 0) {
                /* Parse mode: the roles come from the verb's dependents (the
                 * pattern gave the code and may name the target); TABARI's
                 * rules below fill in only what the parse leaves open. */
                if (c->role.reported_obligation || c->role.judged)
                        return 0;
                c->role_valid = 1;
                if (src >= 0 && src != c->role.src) {
                        /* The pattern names the source ("RECEIVE_ - * FROM_
                         * $"): it acts, on the subject when the pattern
                         * names no target ("X received aid from Y"). */
                        if (tgt < 0)
                                tgt = c->role.src >= 0 ? c->role.src : c->role.tgt;
                        if (tgt == src)
                                tgt = -1;
                        snprintf(c->role.path, sizeof(c->role.path), "pattern>%s",
                                 c->role.src >= 0 ? "nsubj" : "-");
                        c->role.src = src;
                        c->role.tgt = tgt;
                } else {
                        src = c->role.src;
                        tgt = c->role.tgt;
                }
        }
        if (comp >= 0) {
                src = tgt = comp;
        } else {
                int vend = s->toks[v].span_last + 1, src_after = 0;
                const dm_options_t *o = &c->opts;
                before = v;
                if (src < 0) {
                        /* Manual 5.8 and 7.6: the first actor in the sentence
                         * before the verb, or the source carried over from the
                         * previous clause unless an actor follows the
                         * conjunction. */
                        const char *tc = tgt >= 0 ? dm_coder_unit_code(s, tgt) : NULL;
                        int first = dm_coder_find_unit(s, cs, cs + 3 < v ? cs + 3 : v, tc);
                        if (clause > 0 && first >= 0 && s->units[first].first <= cs + 2)
                                src = first;
                        else if (clause > 0 && *carried_src >= 0)
                                src = *carried_src;
                        else
                                src = dm_coder_find_unit(s, clause > 0 ? s->clause_start[0] : cs,
                                                         before, tc);
                        /* Greedy: no actor before the verb, so look after it
                         * (unless a default source replaces it). */
                        if (src < 0 && !(o->default_src[0] && o->default_prior)) {
                                src = dm_coder_find_unit(s, vend, ce, NULL);
                                if (src >= 0 && tgt >= 0 && src != tgt &&
                                    !strcmp(dm_coder_unit_code(s, src), tc))
                                        src = dm_coder_find_unit(s, vend, ce, tc);
                                src_after = src >= 0;
                        }
                }
                if (tgt < 0) {
                        const char *sc = src >= 0 ? dm_coder_unit_code(s, src) : NULL;
                        int from = src_after ? s->units[src].last + 1 : vend;
                        tgt = dm_coder_find_unit_not(c, from, ce, sc, src);
                        /* A compound found greedily after the verb is its own
                         * target (DEFAULT-06b). */
                        if (tgt < 0 && src_after && s->units[src].compound)
                                tgt = src;
                        if (tgt < 0 && !(o->default_tgt[0] && o->default_after) && src >= 0) {
                                tgt = dm_coder_find_unit_not(c, cs, v, sc, src);
                                /* Only in the verb's clause: a later clause
                                 * does not reach back (CONNECT-10), except to
                                 * an actor phrase that extends into it
                                 * (DEBUG-01). */
                                if (tgt < 0) {
                                        int t2 = dm_coder_find_unit_not(c, 0, cs, sc, src);
                                        if (clause == 0 || (t2 >= 0 && s->units[t2].last >= cs))
                                                tgt = t2;
                                }
                                if (tgt < 0 && s->units[src].compound)
                                        tgt = src;
                        }
                }
                if (src >= 0 && tgt >= 0 && s->units[src].compound && s->units[tgt].pronoun &&
                    s->units[tgt].ref == src) {
                        tgt = src;
                        comp = src; /* pairs both ways, as with % */
                }
                if (!designated && !c->role_valid && src >= 0 && tgt >= 0 && tgt != src &&
                    dm_coder_passive(s, v, s->toks[v].span_last)) {
                        int t = src;
                        src = tgt;
                        tgt = t;
                }
        }
        if (c->role_valid) {
                /* A subject that is no actor ("crowds trashed its embassy")
                 * leaves the verb without a source; a target found by word
                 * order counts only inside the verb's clause, and unless
                 * the pattern names it, only in a phrase of that clause,
                 * not in another verb's clause nested in it. */
                if (c->role.src < 0 && c->role.has_subject)
                        src = -1;
                if (c->role.tgt < 0 && tgt >= 0 &&
                    !(designated ? dm_roles_unit_under(c->roles, tgt, v)
                                 : dm_roles_unit_in_phrase(c->roles, tgt, v)))
                        tgt = -1;
                if (src >= 0 && src == tgt && comp < 0)
                        tgt = -1;
        }
        {
                const char *sdef = NULL, *tdef = NULL;
                if (src < 0 && c->opts.default_src[0])
                        sdef = c->opts.default_src;
                if (tgt < 0 && c->opts.default_tgt[0])
                        tdef = c->opts.default_tgt;
                /* Parse mode: a code marked '.' ("[0813.]", lifting a
                 * curfew) is an event of its source alone. */
                else if (tgt < 0 && src >= 0 && c->role_valid && strchr(code, '.'))
                        tdef = "";
                c->missing_src |= src < 0 && !sdef;
                c->missing_tgt |= tgt < 0 && !tdef;
                if ((src < 0 && !sdef) || (tgt < 0 && !tdef))
                        return 0;
                dm_coder_emit(c, src, sdef, tgt, tdef, code, phrase, v, strchr(code, '?') != NULL,
                              comp >= 0);
                /* Parse mode: coordinated actors the parse names beside the
                 * source and the target, each its event. */
                if (c->role_valid && comp < 0 && src >= 0 && tgt >= 0) {
                        int a, b;
                        for (a = -1; a < c->role.nsrc_more; a++)
                                for (b = -1; b < c->role.ntgt_more; b++) {
                                        int s2 = a < 0 ? src : c->role.src_more[a];
                                        int t2 = b < 0 ? tgt : c->role.tgt_more[b];
                                        if ((a < 0 && b < 0) || s2 == t2 || s2 == tgt || t2 == src)
                                                continue;
                                        dm_coder_emit(c, s2, NULL, t2, NULL, code, phrase, v,
                                                      strchr(code, '?') != NULL, 0);
                                }
                }
        }
        if (src >= 0)
                *carried_src = src;
        return c->ncev > ncev0;
}

/* The dm_sent token that holds byte off, or -1. */
static int dm_coder_tok_at(const dm_sent_t *s, uint32_t off)
{
        size_t i;
        for (i = 0; i < s->ntoks; i++)
                if (s->toks[i].start <= off && off < s->toks[i].end)
                        return (int)i;
        return -1;
}

/* Parse mode: events reported by nouns (dm_nominal). One the verbs already
 * coded between the same actors with the same root is not coded twice
 * ("launched an attack on": the verb's pattern and the noun). */
static void dm_coder_nominals(dm_coder_t *c)
{
        const dm_sent_t *s = &c->sent;
        size_t n, i, k;
        int a, b;
        if (!dm_nominal_candidate(s, c->nouns) || !dm_coder_parsed(c))
                return;
        n = dm_nominal_find(c->roles, s, c->nouns, c->lx, c->nominals,
                            sizeof(c->nominals) / sizeof(c->nominals[0]));
        for (i = 0; i < n; i++) {
                const dm_nominal_t *nm = &c->nominals[i];
                const char *code = c->lx->str + nm->noun->code;
                int vtok = dm_coder_tok_at(s, nm->start);
                if (vtok < 0)
                        continue;
                memset(&c->role, 0, sizeof(c->role));
                c->role_valid = 1;
                c->role.negated = nm->negated;
                c->role.modal = nm->hypothetical;
                snprintf(c->role.path, sizeof(c->role.path), "%s", nm->path);
                for (a = 0; a < nm->nsrc; a++) {
                        /* No target: a noun coded '.' (dm_nominal_find). */
                        for (b = 0; b < (nm->ntgt ? nm->ntgt : 1); b++) {
                                size_t n0 = c->ncev;
                                int tu = nm->ntgt ? nm->tgt[b] : -1;
                                /* One compound on both sides ("talks
                                 * between Russia and Turkey"): each
                                 * member on the ones after it. */
                                if (nm->src[a] == tu && !s->units[nm->src[a]].compound)
                                        continue;
                                dm_coder_emit(c, nm->src[a], NULL, tu, tu < 0 ? "" : NULL, code,
                                              nm->noun->phrase, vtok, 0, 0);
                                for (k = n0; k < c->ncev; k++) {
                                        dm_cev_t *e = &c->cev[k];
                                        size_t j;
                                        int dup = 0;
                                        for (j = 0; j < n0 && !dup; j++)
                                                dup = !strcmp(c->cbuf + c->cev[j].src_code,
                                                              c->cbuf + e->src_code) &&
                                                      !strcmp(c->cbuf + c->cev[j].tgt_code,
                                                              c->cbuf + e->tgt_code) &&
                                                      !strncmp(c->cbuf + c->cev[j].code,
                                                               c->cbuf + e->code, 2);
                                        if (dup) {
                                                c->cev[k] = c->cev[--c->ncev];
                                                k--;
                                                continue;
                                        }
                                        e->tstart = nm->start;
                                        e->tend = nm->end;
                                        e->historical =
                                            nm->year && s->date && nm->year < s->date / 10000;
                                }
                        }
                }
        }
        c->role_valid = 0;
}

static void dm_coder_run(dm_coder_t *c)
{
        const dm_sent_t *s = &c->sent;
        size_t cl;
        int carried = -1, stop = 0, any_main = 0, pass;
        for (pass = 0; pass < 2 && !stop; pass++) {
                /* Pass 0 codes regular events; pass 1 promotes subordinate
                 * ones only when nothing else was found (manual 6.6.1). */
                if (pass == 1 && any_main)
                        break;
                carried = -1;
                for (cl = 0; cl < s->nclauses && !stop; cl++) {
                        int cs = s->clause_start[cl], ce = dm_coder_clause_end(s, (int)cl), v;
                        int got = 0;
                        for (v = cs; v < ce && !stop; v++) {
                                int r;
                                /* Parse mode reads clauses from the parse:
                                 * no verb is hidden by comma clauses, and
                                 * every verb may code. */
                                if (s->toks[v].type != DM_T_VERB ||
                                    (s->toks[v].removed && !c->roles))
                                        continue;
                                r = dm_coder_verb(c, v, (int)cl, &carried, pass == 1);
                                if (r == -1 || r == -2) {
                                        c->ncev = 0;
                                        c->sent.discard |= r == -1;
                                        c->sent.complex |= r == -2;
                                        stop = 1;
                                        break;
                                }
                                if (r > 0) {
                                        got = 1;
                                        any_main |= pass == 0;
                                        if (c->opts.code_by != DM_CODE_ALL && !c->roles)
                                                break;
                                }
                        }
                        if (!got && carried < 0) {
                                int u = dm_coder_find_unit(s, cs, ce, NULL);
                                if (u >= 0)
                                        carried = u;
                        }
                        if (got && c->opts.code_by == DM_CODE_BY_SENTENCE && !c->roles)
                                stop = 1;
                }
        }
        if (!stop && c->roles)
                dm_coder_nominals(c);
}

/* FORWARD: remembers the first actor of the sentence that is not itself a
 * pronoun (its own code, without agents) for the next sentence's pronouns;
 * this is what the FRWD validation records expect. */
static void dm_coder_remember_forward(dm_coder_t *c)
{
        dm_sent_t *s = &c->sent;
        size_t i;
        for (i = 0; i < s->ntoks; i++) {
                int u = s->toks[i].unit;
                if (u < 0 || s->units[u].pronoun)
                        continue;
                if (s->units[u].absorbed || s->units[u].parsed) {
                        /* A parsed compound forwards its first member. */
                        snprintf(s->fwd_code, sizeof(s->fwd_code), "%s",
                                 dm_sent_code(s, s->units[u].code_first));
                } else {
                        snprintf(s->fwd_code, sizeof(s->fwd_code), "%s",
                                 s->cbuf + s->units[u].base);
                }
                return;
        }
}

int dm_coder_code_ymd(dm_coder_t *c, const char *text, uint32_t start, uint32_t end, long ymd,
                      dm_coded_sentence_t *out)
{
        dm_sent_t *s = &c->sent;
        size_t i, n = 0, dom = 0;
        memset(out, 0, sizeof(*out));
        c->ncev = 0;
        c->cbuf_len = 0;
        c->missing_src = c->missing_tgt = 0;
        c->steps_left = DM_CODER_SENTENCE_BUDGET;
        /* The discourse context serves parse mode's events; actor lists
         * (entities) stay the dictionaries'. */
        if (c->roles && !c->actors_only) {
                s->ctx = c->ctx;
                s->ctx.parse = 1;
        } else
                memset(&s->ctx, 0, sizeof(s->ctx));
        /* The actors first, then the events of the same sentence: one
         * lexical analysis for both (dm_sent_mark.h). */
        s->keep_mark = c->actors_only;
        dm_sent_analyse(s, c->lx, &c->opts, text, start, end, ymd);
        /* Parse only what can give an event: a verb and an actor. */
        c->roles_state = c->roles && !c->actors_only ? 0 : -1;
        c->text = text;
        c->start = start;
        c->end = end;
        c->role_valid = 0;
        if (c->opts.forward)
                dm_coder_remember_forward(c);
        out->truncated = s->truncated;
        if (s->truncated)
                DM_LOG_DEBUG("coder", "sentence at byte %u truncated to %d words, as TABARI does",
                             (unsigned)start, (int)s->ntoks);
        dm_coder_list_actors(c, out);
        /* Issues: each code once, in order of appearance. */
        for (i = 0, n = 0; i < s->nissues; i++) {
                const char *code = c->lx->str + c->lx->entries[s->issues[i]].payload;
                size_t k;
                for (k = 0; k < n && strcmp(c->issues[k], code); k++)
                        ;
                if (k < n)
                        continue;
                dm_grow((void **)&c->issues, &c->issue_cap, n + 1, sizeof(*c->issues));
                c->issues[n++] = code;
        }
        out->issues = c->issues;
        out->issue_count = n;
        if (s->ntoks < (size_t)c->opts.min_words || c->actors_only)
                return 0;
        if (!s->discard && !s->complex && dm_coder_complex(c))
                s->complex = 1;
        if (!s->discard && !s->complex)
                dm_coder_run(c);
        /* A parse made for the roles also tells names inside names, and
         * who the sentence is about (the pronouns of the next ones). */
        if (c->roles_state == 1) {
                int u = dm_roles_main_subject(c->roles, s);
                dm_coder_list_actors(c, out);
                if (u >= 0) {
                        out->subject_start = s->toks[s->units[u].first].start;
                        out->subject_end = s->toks[s->units[u].last].end;
                }
        }
        if (!s->discard && !s->complex &&
            ((c->opts.cx_noactprior && dm_coder_noactprior(c)) ||
             (c->opts.cx_noevent && c->ncev == 0) ||
             (c->opts.cx_nosource && c->ncev == 0 && c->missing_src) ||
             (c->opts.cx_notarget && c->ncev == 0 && c->missing_tgt))) {
                s->complex = 1;
                c->ncev = 0;
        }
        out->discarded = s->discard;
        out->complex = s->complex && !s->discard;
        out->date_shift_days = s->time_shift;
        if (s->discard || s->complex)
                return 0;
        for (i = 0; i < c->ncev; i++)
                dom += c->cev[i].dom;
        dm_grow((void **)&c->events, &c->event_cap, c->ncev + 1, sizeof(*c->events));
        for (i = 0, n = 0; i < c->ncev; i++) {
                const dm_cev_t *e = &c->cev[i];
                dm_coded_event_t *ev;
                size_t j;
                int dup = 0;
                if (dom && !e->dom)
                        continue;
                for (j = 0; j < i && !dup; j++)
                        dup = !strcmp(c->cbuf + c->cev[j].src_code, c->cbuf + e->src_code) &&
                              !strcmp(c->cbuf + c->cev[j].tgt_code, c->cbuf + e->tgt_code) &&
                              !strcmp(c->cbuf + c->cev[j].code, c->cbuf + e->code);
                if (dup)
                        continue;
                ev = &c->events[n++];
                memset(ev, 0, sizeof(*ev));
                dm_coder_fill_actor(c, &ev->source, e->src_unit, c->cbuf + e->src_code);
                dm_coder_fill_actor(c, &ev->target, e->tgt_unit, c->cbuf + e->tgt_code);
                ev->code = c->cbuf + e->code;
                ev->verb_phrase = c->lx->str + e->verb_phrase;
                ev->verb_start = e->tend ? e->tstart : s->toks[e->verb_tok].start;
                ev->verb_end = e->tend ? e->tend : s->toks[s->toks[e->verb_tok].span_last].end;
                ev->negated = e->negated;
                ev->hypothetical = e->hypothetical;
                ev->historical = e->historical;
                ev->path = e->path != UINT32_MAX ? c->cbuf + e->path : NULL;
        }
        out->events = c->events;
        out->event_count = n;
        return 0;
}

int dm_coder_find_actors(dm_coder_t *c, const char *text, uint32_t start, uint32_t end,
                         int64_t date_ms, dm_coded_sentence_t *out)
{
        int rc;
        c->actors_only = 1;
        rc = dm_coder_code_sentence(c, text, start, end, date_ms, out);
        c->actors_only = 0;
        return rc;
}

int dm_coder_code_sentence(dm_coder_t *c, const char *text, uint32_t start, uint32_t end,
                           int64_t date_ms, dm_coded_sentence_t *out)
{
        long ymd = 0;
        if (date_ms >= 0) {
                time_t t = (time_t)(date_ms / 1000);
                struct tm tm;
                if (gmtime_r(&t, &tm))
                        ymd =
                            (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
        }
        return dm_coder_code_ymd(c, text, start, end, ymd, out);
}
