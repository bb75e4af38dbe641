/* Roles from the dependency parse (dm_roles.h). */
#include "coding/dm_roles.h"
#include "coding/dm_roles_int.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "demarche/dm_parse_tok.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

dm_roles_t *dm_roles_new(const dm_parse_model_t *m)
{
        dm_roles_t *r = dm_calloc(1, sizeof(*r));
        r->model = m;
        r->scratch = dm_parse_scratch_new(m);
        return r;
}

void dm_roles_destroy(dm_roles_t *r)
{
        if (!r)
                return;
        dm_parse_scratch_destroy(r->scratch);
        free(r->toks);
        free(r->forms);
        free(r->formv);
        free(r->unit_of);
        free(r->child);
        free(r->sibling);
        free(r->anchor);
        free(r->unit_head);
        free(r->inside_name);
        free(r->alias);
        free(r->names);
        free(r->rel);
        free(r->case_tok);
        free(r);
}

const dm_parse_result_t *dm_roles_parse(const dm_roles_t *r)
{
        return r->res;
}

/* ---- The parse and its alignment ----------------------------------------- */

/* The parse tokens overlapping bytes [a, b), and among them the one whose
 * head lies outside (the first such), or -1. */
int dm_roles_span_head(const dm_roles_t *r, uint32_t a, uint32_t b)
{
        size_t k, n = r->res->ntoks;
        int first = -1, last = -1, p;
        for (k = 0; k < n; k++) {
                const dm_rtok_t *t = &r->toks[k];
                if (t->off < b && t->off + t->len > a) {
                        if (first < 0)
                                first = (int)k;
                        last = (int)k;
                }
        }
        if (first < 0)
                return -1;
        for (p = first; p <= last; p++) {
                int h = dm_roles_head(r, p);
                if (h < first || h > last)
                        return p;
        }
        return first;
}

/* Whether parse token t's lemma or form is one of list (NULL-terminated). */
static int dm_roles_lemma_in(const dm_roles_t *r, int t, const char *const *list)
{
        int k;
        for (k = 0; list[k]; k++)
                if (!strcasecmp(r->res->toks[t].lemma, list[k]) ||
                    !strcasecmp(r->res->toks[t].form, list[k]))
                        return 1;
        return 0;
}

/* "The Foreign Ministry announced that it would end the regime", "Putin
 * said he would visit": the subject pronoun of a that-clause stands for the
 * subject of the verb that governs the clause, when that is an actor (not
 * a bare country for "he" or "she"), rather than for the sentence's first
 * actor (TABARI's rule, dm_sent). */
static void dm_roles_speaker_pronouns(dm_roles_t *r, const dm_sent_t *s)
{
        static const char *const personal[] = {"he", "she", NULL};
        static const char *const thing[] = {"it", "they", NULL};
        size_t k, n = r->res->ntoks;
        dm_grow((void **)&r->alias, &r->alias_cap, n ? n : 1, sizeof(*r->alias));
        for (k = 0; k < n; k++)
                r->alias[k] = -1;
        r->nalias = n;
        for (k = 0; k < n; k++) {
                const char *code;
                int pers, v, g, subj, a, u = r->unit_of[k];
                if (!dm_roles_rel_in(r, (int)k, "nsubj") || (u >= 0 && !s->units[u].pronoun))
                        continue;
                pers = dm_roles_lemma_in(r, (int)k, personal);
                if (!pers && !dm_roles_lemma_in(r, (int)k, thing))
                        continue;
                if ((v = dm_roles_head(r, (int)k)) < 0 || !dm_roles_rel_is(r, v, "ccomp") ||
                    (g = dm_roles_head(r, v)) < 0 || (subj = dm_roles_child(r, g, "nsubj", 0)) < 0)
                        continue;
                a = dm_roles_actor_at(r, s, subj, 0);
                if (a < 0 || a == u || s->units[a].pronoun)
                        continue;
                code = dm_sent_code(s, s->units[a].code_first);
                if (pers && strlen(code) == 3 && s->units[a].ncodes == 1)
                        continue;
                r->alias[k] = a;
        }
}

static void dm_roles_conj_actors(const dm_roles_t *r, const dm_sent_t *s, int t, int not, int *v,
                                 int *n);

/* An object pronoun never stands for the subject of its own clause, nor
 * for those coordinated with it: "Turkey had been urging it to attend"
 * would say "itself" for Turkey; "Saudi Arabia, the UAE and Egypt imposed a
 * boycott on Qatar, accusing it of supporting militants". When TABARI's
 * rule (dm_sent: the sentence's first actor) gives it the subject's actor,
 * it stands for the nearest other actor before it. */
static void dm_roles_object_pronouns(dm_roles_t *r, const dm_sent_t *s)
{
        /* Not "him" or "her": the nearest other actor is seldom a person,
         * and none is better than the wrong one. */
        static const char *const obj_forms[] = {"it", "them", NULL};
        size_t k, n = r->res->ntoks;
        for (k = 0; k < n; k++) {
                int u = r->unit_of[k], v, subj, su, via = 0, co[4], nco = 0, q, j, best = -1;
                const char *uc;
                char path[32];
                if (u < 0 || !s->units[u].pronoun || r->alias[k] >= 0 ||
                    !(dm_roles_rel_is(r, (int)k, "obj") || dm_roles_rel_is(r, (int)k, "iobj")) ||
                    !dm_roles_lemma_in(r, (int)k, obj_forms) || (v = dm_roles_head(r, (int)k)) < 0)
                        continue;
                subj = dm_roles_subject(r, v, &via, path, sizeof(path));
                su = dm_roles_actor_at(r, s, subj, 0);
                uc = dm_sent_code(s, s->units[u].code_first);
                if (su < 0 || su == u || strcmp(dm_sent_code(s, s->units[su].code_first), uc))
                        continue;
                dm_roles_conj_actors(r, s, subj, su, co, &nco);
                for (q = 0; q < (int)s->nunits; q++) {
                        const dm_unit_t *o = &s->units[q];
                        for (j = 0; j < nco && co[j] != q; j++)
                                ;
                        if (o->pronoun || o->absorbed || o->last >= s->units[u].first || q == su ||
                            j < nco || !strcmp(dm_sent_code(s, o->code_first), uc))
                                continue;
                        if (best < 0 || o->last > s->units[best].last)
                                best = q;
                }
                if (best >= 0)
                        r->alias[k] = best;
        }
}

/* Relations UD rules out, read as the nearest one it allows. An object
 * (obj, iobj) whose phrase opens with a preposition (its leftmost word is
 * an ADP `case`, wherever the parser hung it) is an oblique ("were killed
 * [in] Syrian and Russian air strikes" parsed as the verb's object, the
 * "in" under "Syrian", reads the strikes as what was killed). */
static void dm_roles_mend_relations(dm_roles_t *r)
{
        size_t k, n = r->res->ntoks;
        for (k = 0; k < n; k++) {
                int l = (int)k, h;
                /* A conjunct with a preposition of its own whose first
                 * conjunct has none is a modifier the parser coordinated
                 * ("strikes killed 40 people, according to [local
                 * officials]"): no second actor of the first's role. */
                if (dm_roles_rel_is(r, (int)k, "conj")) {
                        int c = dm_roles_child(r, (int)k, "case", 0);
                        h = dm_roles_head(r, (int)k);
                        if (c >= 0 && c < (int)k && h >= 0 && dm_roles_child(r, h, "case", 0) < 0)
                                r->rel[k] = strcmp(r->res->toks[h].upos, "NOUN") &&
                                                    strcmp(r->res->toks[h].upos, "PROPN")
                                                ? "obl"
                                                : "nmod";
                        continue;
                }
                if (!dm_roles_rel_is(r, (int)k, "obj") && !dm_roles_rel_is(r, (int)k, "iobj"))
                        continue;
                /* Children run left to right: the first is the leftmost. */
                while (r->child[l] >= 0 && r->child[l] < l)
                        l = r->child[l];
                if (l == (int)k || !dm_roles_rel_is(r, l, "case") ||
                    strcmp(r->res->toks[l].upos, "ADP"))
                        continue;
                /* The preposition hangs on the object or on a modifier of
                 * it, not deeper: "at least 20 protesters" is an object. */
                h = dm_roles_head(r, l);
                if (h == (int)k ||
                    (dm_roles_head(r, h) == (int)k &&
                     (dm_roles_rel_is(r, h, "amod") || dm_roles_rel_is(r, h, "compound") ||
                      dm_roles_rel_is(r, h, "det")))) {
                        r->rel[k] = "obl";
                        r->case_tok[k] = l;
                }
        }
}

int dm_roles_prepare(dm_roles_t *r, const dm_sent_t *s, const char *text, uint32_t start,
                     uint32_t end)
{
        size_t k, n;
        dm_roles_tokenize(r, text, start, end);
        n = r->ntoks;
        r->res = NULL;
        r->sent = s;
        r->nalias = 0;
        if (!n)
                return -1;
        dm_grow((void **)&r->formv, &r->formv_cap, n, sizeof(*r->formv));
        for (k = 0; k < n; k++)
                r->formv[k] = r->forms + r->toks[k].form;
        /* The dictionaries' and the gazetteer's actor names ("Gondor",
         * "Hezbollah", "Human Rights Watch") tell the tagger what it cannot
         * know: capitalised words of an actor phrase are proper names. An
         * agent given the article's country ("the government") has none. */
        dm_grow((void **)&r->names, &r->names_cap, n, sizeof(*r->names));
        memset(r->names, 0, n);
        for (k = 0; k < s->nunits; k++) {
                const dm_unit_t *u = &s->units[k];
                uint32_t a = s->toks[u->first].start, b = s->toks[u->last].end;
                size_t q;
                if (u->pronoun)
                        continue;
                for (q = 0; q < n; q++) {
                        const char *f = r->formv[q];
                        if (r->toks[q].off >= a && r->toks[q].off < b &&
                            isupper((unsigned char)f[0]) && islower((unsigned char)f[1]))
                                r->names[q] = 1;
                }
        }
        /* A headline's capitals say nothing ("Russia Criticises Japan"): the
         * parser reads its words other than names and the first as in
         * running text. Acronyms keep their capitals. */
        for (k = 1; s->headline && k < n; k++) {
                char *f = r->forms + r->toks[k].form;
                if (!r->names[k] && isupper((unsigned char)f[0]) && islower((unsigned char)f[1]))
                        f[0] = (char)tolower((unsigned char)f[0]);
        }
        dm_parse_tokens_names(r->scratch, r->formv, r->names, n, &r->res);
        n = r->res->ntoks;
        if (n > r->ptok_cap) {
                size_t cap = r->ptok_cap;
                dm_grow((void **)&r->unit_of, &cap, n, sizeof(*r->unit_of));
                cap = r->ptok_cap;
                dm_grow((void **)&r->child, &cap, n, sizeof(*r->child));
                cap = r->ptok_cap;
                dm_grow((void **)&r->sibling, &cap, n, sizeof(*r->sibling));
                r->ptok_cap = cap;
        }
        for (k = 0; k < n; k++)
                r->unit_of[k] = r->child[k] = r->sibling[k] = -1;
        dm_grow((void **)&r->rel, &r->rel_cap, n, sizeof(*r->rel));
        dm_grow((void **)&r->case_tok, &r->case_cap, n, sizeof(*r->case_tok));
        for (k = 0; k < n; k++) {
                r->rel[k] = r->res->toks[k].deprel;
                r->case_tok[k] = -1;
        }
        /* Children in reverse so that each list runs left to right. */
        for (k = n; k-- > 0;) {
                int h = dm_roles_head(r, (int)k);
                if (h >= 0 && (size_t)h < n) {
                        r->sibling[k] = r->child[h];
                        r->child[h] = (int32_t)k;
                }
        }
        dm_grow((void **)&r->anchor, &r->anchor_cap, s->ntoks ? s->ntoks : 1, sizeof(*r->anchor));
        for (k = 0; k < s->ntoks; k++)
                r->anchor[k] = dm_roles_span_head(r, s->toks[k].start, s->toks[k].end);
        if (s->nunits > r->unit_cap) {
                size_t cap = r->unit_cap;
                dm_grow((void **)&r->unit_head, &cap, s->nunits, sizeof(*r->unit_head));
                cap = r->unit_cap;
                dm_grow((void **)&r->inside_name, &cap, s->nunits, sizeof(*r->inside_name));
                r->unit_cap = cap;
        }
        /* Members of compounds first, so that the compound itself, which
         * spans them, is what their tokens belong to. */
        for (int pass = 0; pass < 2; pass++) {
                for (k = 0; k < s->nunits; k++) {
                        const dm_unit_t *u = &s->units[k];
                        uint32_t a = s->toks[u->first].start, b = s->toks[u->last].end;
                        size_t q;
                        if ((pass == 0) != (u->absorbed != 0))
                                continue;
                        r->unit_head[k] = dm_roles_span_head(r, a, b);
                        r->inside_name[k] = 0;
                        for (q = 0; q < n; q++)
                                if (r->toks[q].off < b && r->toks[q].off + r->toks[q].len > a)
                                        r->unit_of[q] = (int32_t)k;
                }
        }
        for (k = 0; k < s->nunits; k++) {
                int h = r->unit_head[k], hh;
                if (h < 0 || s->units[k].pronoun)
                        continue;
                hh = dm_roles_head(r, h);
                /* "Kim Jong Un": the unit's head is a flat part of a proper
                 * name whose head lies outside the unit. Not a name the
                 * caller matched (an extra): the gazetteer took the longest
                 * name it knows, and what lies outside is a title ("Mr
                 * Erdoğan", "Gen Musharraf"). */
                if (hh >= 0 && !s->units[k].implied && dm_roles_rel_is(r, h, "flat") &&
                    r->unit_of[hh] != (int32_t)k && !strcmp(r->res->toks[hh].upos, "PROPN"))
                        r->inside_name[k] = 1;
        }
        dm_roles_mend_relations(r);
        dm_roles_speaker_pronouns(r, s);
        dm_roles_object_pronouns(r, s);
        return 0;
}

const char *const dm_roles_modals[] = {"will", "would", "could", "may", "might", "should",
                                       "must", "can",   "shall", "'ll", NULL};
const char *const dm_roles_cond[] = {"if", "unless", NULL};

int dm_roles_unit_inside_name(const dm_roles_t *r, int u)
{
        return r->res && u >= 0 && (size_t)u < r->unit_cap && r->inside_name[u];
}

/* ---- Roles --------------------------------------------------------------- */

/* The child of p with relation rel (or a subtype when sub), else -1. */
int dm_roles_child(const dm_roles_t *r, int p, const char *rel, int sub)
{
        int c;
        for (c = r->child[p]; c >= 0; c = r->sibling[c])
                if (sub ? dm_roles_rel_in(r, c, rel) : dm_roles_rel_is(r, c, rel))
                        return c;
        return -1;
}

int dm_roles_has_child_lemma(const dm_roles_t *r, int p, const char *rel, const char *const *lemmas)
{
        int c;
        for (c = r->child[p]; c >= 0; c = r->sibling[c])
                if (dm_roles_rel_in(r, c, rel) && dm_roles_lemma_in(r, c, lemmas))
                        return 1;
        return 0;
}

/* Prepositions that say where ("in Geneva", "near Sochi"). */
int dm_roles_locative(const char *prep)
{
        static const char *const loc[] = {"in",      "at",     "near",       "inside",
                                          "outside", "within", "throughout", NULL};
        int k;
        for (k = 0; loc[k]; k++)
                if (!strcasecmp(prep, loc[k]))
                        return 1;
        return 0;
}

/* The actor a role token stands for: the unit it is part of, else a unit
 * among its modifiers ("the government of Japan", "Japan's minister",
 * "the Japanese delegation"), two levels down at most. */
int dm_roles_actor_at(const dm_roles_t *r, const dm_sent_t *s, int t, int depth)
{
        static const char *const mods[] = {"compound", "amod",  "nmod:poss", "nmod",
                                           "flat",     "appos", NULL};
        int c, k, u;
        if (t < 0)
                return -1;
        if ((size_t)t < r->nalias && r->alias[t] >= 0)
                return r->alias[t];
        u = r->unit_of[t];
        if (u >= 0 && !r->inside_name[u]) {
                /* "Bree Prime Minister Romendacil": a name coded as its
                 * bare country takes the office its title gives
                 * (BREGOV) from a title unit among its modifiers. */
                const char *uc = dm_sent_code(s, s->units[u].code_first);
                if (depth == 0 && strlen(uc) == 3 && s->units[u].ncodes == 1) {
                        for (c = r->child[t]; c >= 0; c = r->sibling[c]) {
                                int u2 = r->unit_of[c];
                                const char *c2;
                                if (u2 < 0 || u2 == u || s->units[u2].pronoun ||
                                    !(dm_roles_rel_in(r, c, "compound") ||
                                      dm_roles_rel_is(r, c, "flat") ||
                                      dm_roles_rel_is(r, c, "nmod:desc") ||
                                      dm_roles_rel_is(r, c, "appos")))
                                        continue;
                                c2 = dm_sent_code(s, s->units[u2].code_first);
                                if (strlen(c2) > 3 && !strncmp(c2, uc, 3))
                                        return u2;
                        }
                }
                return u;
        }
        if (depth >= 3)
                return -1;
        for (c = r->child[t]; c >= 0; c = r->sibling[c]) {
                for (k = 0; mods[k]; k++)
                        if (dm_roles_rel_is(r, c, mods[k]))
                                break;
                if (!mods[k])
                        continue;
                /* "their resumption of ties with Osgiliath": a possessive
                 * pronoun points back at the actor, not at another one. */
                if (!strcmp(mods[k], "nmod:poss") && r->unit_of[c] >= 0 &&
                    s->units[r->unit_of[c]].pronoun)
                        continue;
                /* "the talks in Geneva", "the Sochi conference": a place
                 * that says where, not who. */
                if (r->unit_of[c] >= 0 && s->units[r->unit_of[c]].place &&
                    (!strcmp(mods[k], "compound") ||
                     (!strcmp(mods[k], "nmod") && dm_roles_locative(dm_roles_case(r, c)))))
                        continue;
                u = dm_roles_actor_at(r, s, c, depth + 1);
                if (u >= 0)
                        return u;
        }
        return -1;
}

/* The preposition (case child) of an oblique or nominal modifier. */
const char *dm_roles_case(const dm_roles_t *r, int t)
{
        int c = dm_roles_child(r, t, "case", 0);
        if (c < 0 && t >= 0)
                c = r->case_tok[t];
        return c >= 0 ? r->res->toks[c].lemma : "";
}

/* How strongly a preposition marks the one acted on: 0 for the
 * prepositions of direction and opposition ("sanctions against", "strikes
 * on", "talks with", "aid to"), 1 for those that may ("proposals from",
 * "anger over"), 2 for the others ("in"), 3 for those of time and
 * circumstance, which never do ("after the talks with Syria"). */
static int dm_roles_prep_rank(const char *prep)
{
        static const char *const strong[] = {"against", "on",   "upon", "toward", "towards",
                                             "to",      "into", "with", "at",     NULL};
        static const char *const weak[] = {"from", "over",    "for",   "about", "of",
                                           "onto", "between", "among", "",      NULL};
        /* Times, and who reports it ("according to"). */
        static const char *const never[] = {"during", "throughout", "since",   "before",
                                            "after",  "until",      "despite", "amid",
                                            "accord", "according",  NULL};
        int k;
        for (k = 0; strong[k]; k++)
                if (!strcasecmp(prep, strong[k]))
                        return 0;
        for (k = 0; weak[k]; k++)
                if (!strcasecmp(prep, weak[k]))
                        return 1;
        for (k = 0; never[k]; k++)
                if (!strcasecmp(prep, never[k]))
                        return 3;
        return 2;
}

/* The best candidate target found so far: its unit, the child it was
 * found under, and its preposition's rank. */
typedef struct dm_roles_cand {
        int unit, at, rank;
} dm_roles_cand_t;

/* Considers the children of t that stand in relation rel (or one of its
 * subtypes) or, when also is not NULL, exactly in relation also: skipping
 * the child skip, children introduced by the preposition not_case, unit
 * not_unit and time obliques. Keeps in *best the actor whose preposition
 * ranks best (dm_roles_prep_rank), the earlier one on a tie. */
static void dm_roles_consider(const dm_roles_t *r, const dm_sent_t *s, int t, const char *rel,
                              const char *also, int skip, const char *not_case, int not_unit,
                              dm_roles_cand_t *best)
{
        int c;
        if (t < 0)
                return;
        for (c = r->child[t]; c >= 0; c = r->sibling[c]) {
                int u, rank;
                const char *prep;
                if (c == skip ||
                    !(dm_roles_rel_in(r, c, rel) || (also && dm_roles_rel_is(r, c, also))))
                        continue;
                prep = dm_roles_case(r, c);
                if (not_case && !strcasecmp(prep, not_case))
                        continue;
                rank = dm_roles_rel_is(r, c, "iobj") ? 0 : dm_roles_prep_rank(prep);
                if (rank == 3 || (best->unit >= 0 && rank >= best->rank))
                        continue;
                u = dm_roles_actor_at(r, s, c, 0);
                if (u >= 0 && u != not_unit) {
                        best->unit = u;
                        best->at = c;
                        best->rank = rank;
                }
        }
}

/* Whether unit a is a country named alone ("Russia", no agent) and unit b
 * one of its own ("its ambassador", "Russian troops"): the same code before
 * agents. Compounds and pronouns never. */
static int dm_roles_same_country(const dm_sent_t *s, int a, int b)
{
        const dm_unit_t *x = &s->units[a], *y = &s->units[b];
        const char *cx = s->cbuf + x->base, *cy = s->cbuf + y->base;
        return !x->compound && !y->compound && !x->pronoun && !y->pronoun && *cx &&
               x->ncodes == 1 && !strcmp(dm_sent_code(s, x->code_first), cx) && !strcmp(cx, cy);
}

/* Relative pronouns stand for the noun their clause modifies. */
static int dm_roles_resolve_rel(const dm_roles_t *r, int t, int clause_verb)
{
        static const char *const rel[] = {"that", "which", "who", "whom", NULL};
        int k;
        for (k = 0; rel[k]; k++)
                if (!strcasecmp(r->res->toks[t].form, rel[k]) &&
                    dm_roles_rel_in(r, clause_verb, "acl"))
                        return dm_roles_head(r, clause_verb);
        return t;
}

int dm_roles_is_passive(const dm_roles_t *r, int p)
{
        /* A passive needs its auxiliary: a tagger unsure of an unknown name
         * ("Ethiopia departed ...") reads the verb as a participle and its
         * subject as nsubj:pass. */
        if (dm_roles_child(r, p, "aux:pass", 0) >= 0)
                return 1;
        /* "the sanctions imposed by Japan": a participle modifying a noun,
         * which takes no object of its own; or a participle with an agent
         * that shares its auxiliary with the verb it is coordinated with
         * or that the parser hung elsewhere ("was caused by ..., backed by
         * Russia"). */
        if (strcmp(r->res->toks[p].xpos, "VBN") || dm_roles_child(r, p, "obj", 0) >= 0)
                return 0;
        return dm_roles_rel_is(r, p, "acl") || dm_roles_child(r, p, "obl:agent", 0) >= 0;
}

/* A gerund, participle or infinitive: no finite verb and no auxiliary
 * that would make it one. */
static int dm_roles_nonfinite(const dm_roles_t *r, int p)
{
        const char *x = r->res->toks[p].xpos;
        return (!strcmp(x, "VBG") || !strcmp(x, "VBN") || !strcmp(x, "VB")) &&
               dm_roles_child(r, p, "aux", 1) < 0;
}

static const char *const dm_roles_of_for[] = {"of", "for", NULL};

/* The subject token of verb p: its own, or for a verb without one the
 * subject of the verb it complements ("agreed to hold talks": xcomp) or is
 * coordinated with ("met and signed": conj); for a relative or participial
 * clause the noun it modifies. -1 when none. */
int dm_roles_subject(const dm_roles_t *r, int p, int *via_rel, char *path, size_t psize)
{
        int depth, t;
        for (depth = 0; depth < 4 && p >= 0; depth++) {
                t = dm_roles_child(r, p, "nsubj", 1);
                if (t < 0)
                        t = dm_roles_child(r, p, "csubj", 1);
                if (t >= 0) {
                        int t2 = dm_roles_resolve_rel(r, t, p);
                        if (t2 != t) {
                                *via_rel = 1;
                                snprintf(path, psize, "%s", "relcl");
                        } else {
                                snprintf(path, psize, "%s", dm_roles_rel(r, t));
                        }
                        return t2;
                }
                if (dm_roles_rel_in(r, p, "acl")) {
                        *via_rel = 1;
                        snprintf(path, psize, "%s", "acl");
                        return dm_roles_head(r, p);
                }
                /* A participle or infinitive clause without a subject of
                 * its own ("after criticising UKIP", "fighting against
                 * Isis") is its governing clause's subject's doing. */
                if (!dm_roles_rel_is(r, p, "xcomp") && !dm_roles_rel_is(r, p, "conj") &&
                    !(dm_roles_rel_is(r, p, "advcl") && dm_roles_nonfinite(r, p)))
                        return -1;
                /* ... but an infinitive after an object is the object's
                 * ("begged Jordan to reopen its border", "urged Iran to
                 * stop"): object control. */
                if (dm_roles_rel_is(r, p, "xcomp")) {
                        int h = dm_roles_head(r, p),
                            o = h >= 0 ? dm_roles_child(r, h, "obj", 0) : -1;
                        if (o < 0 && h >= 0)
                                o = dm_roles_child(r, h, "iobj", 0);
                        if (o >= 0) {
                                snprintf(path, psize, "%s", "xcomp<obj");
                                return o;
                        }
                }
                p = dm_roles_head(r, p);
        }
        return -1;
}

/* Whether token t lies in the clause of verb p outside its subject: t's
 * chain of heads reaches p without passing another clause's verb (ccomp,
 * advcl, parataxis) or a subject. */
static int dm_roles_under_ex(const dm_roles_t *r, int t, int p, int phrase)
{
        int depth;
        for (depth = 0; depth < 12 && t >= 0; depth++) {
                if (t == p)
                        return 1;
                /* Nor through the subject: what the subject's phrase names
                 * ("Russia's veto at the UN") is not acted on. */
                if (dm_roles_rel_in(r, t, "ccomp") || dm_roles_rel_in(r, t, "advcl") ||
                    dm_roles_rel_is(r, t, "parataxis") || dm_roles_rel_is(r, t, "root") ||
                    dm_roles_rel_in(r, t, "nsubj") || dm_roles_rel_in(r, t, "csubj"))
                        return 0;
                /* A phrase of the clause: not through a relative clause or
                 * a verb's xcomp or conjunct either. */
                if (phrase && (dm_roles_rel_is(r, t, "acl:relcl") ||
                               ((dm_roles_rel_in(r, t, "xcomp") || dm_roles_rel_is(r, t, "conj")) &&
                                !strcmp(r->res->toks[t].upos, "VERB"))))
                        return 0;
                t = dm_roles_head(r, t);
        }
        return 0;
}

static int dm_roles_under(const dm_roles_t *r, int t, int p)
{
        return dm_roles_under_ex(r, t, p, 0);
}

/* The parse token of the verb phrase at dm_sent token v, or -1. */
static int dm_roles_verb(const dm_roles_t *r, const dm_sent_t *s, int v)
{
        int p;
        if (!r->res || v < 0 || (size_t)v >= s->ntoks || (p = r->anchor[v]) < 0)
                return -1;
        /* A multi-word verb phrase ("put forward"): its head in the parse. */
        if (s->toks[v].span_last > v) {
                int h = dm_roles_span_head(r, s->toks[v].start, s->toks[s->toks[v].span_last].end);
                if (h >= 0)
                        p = h;
        }
        return p;
}

/* The actors of the tokens coordinated with token t (its conj children,
 * and theirs), other than unit not and those already listed, into v. */
static void dm_roles_conj_actors(const dm_roles_t *r, const dm_sent_t *s, int t, int not, int *v,
                                 int *n)
{
        int c, k;
        if (t < 0)
                return;
        for (c = r->child[t]; c >= 0 && *n < 4; c = r->sibling[c]) {
                int u;
                if (!dm_roles_rel_is(r, c, "conj"))
                        continue;
                u = dm_roles_actor_at(r, s, c, 0);
                if (u >= 0 && u != not &&!s->units[u].pronoun) {
                        for (k = 0; k < *n && v[k] != u; k++)
                                ;
                        if (k == *n)
                                v[(*n)++] = u;
                }
                dm_roles_conj_actors(r, s, c, not, v, n);
        }
}

int dm_roles_main_subject(const dm_roles_t *r, const dm_sent_t *s)
{
        size_t k;
        if (!r->res)
                return -1;
        for (k = 0; k < r->res->ntoks; k++)
                if (dm_roles_rel_is(r, (int)k, "root"))
                        return dm_roles_actor_at(r, s, dm_roles_child(r, (int)k, "nsubj", 1), 0);
        return -1;
}

static int dm_roles_unit_reaches(const dm_roles_t *r, int u, int v, int phrase)
{
        int p = dm_roles_verb(r, r->sent, v);
        return p >= 0 && u >= 0 && (size_t)u < r->sent->nunits && r->unit_head[u] >= 0 &&
               dm_roles_under_ex(r, r->unit_head[u], p, phrase);
}

int dm_roles_unit_under(const dm_roles_t *r, int u, int v)
{
        return dm_roles_unit_reaches(r, u, v, 0);
}

int dm_roles_unit_in_phrase(const dm_roles_t *r, int u, int v)
{
        return dm_roles_unit_reaches(r, u, v, 1);
}

int dm_roles_assign(const dm_roles_t *r, const dm_sent_t *s, int v, int hint_tgt,
                    dm_role_result_t *out)
{
        static const char *const neg[] = {"not", "never", "n't", "no", NULL};
        static const char *const deontic[] = {"should", "must", "ought", NULL};
        char spath[32] = "", tpath[40] = "", own_path[40] = "";
        int p, subj, obj = -1, c, via_rel = 0, q, own = -1, prev_q = -1;
        memset(out, 0, sizeof(*out));
        out->src = out->tgt = -1;
        if ((p = dm_roles_verb(r, s, v)) < 0)
                return -1;
        /* The parse must agree that the trigger is a predicate; where it
         * reads it as a modifier or a noun, word order decides. */
        if (!strcmp(r->res->toks[p].upos, "NOUN"))
                return -2;
        if (strcmp(r->res->toks[p].upos, "VERB") && strcmp(r->res->toks[p].upos, "AUX"))
                return -1;
        if (dm_roles_rel_is(r, p, "amod") || dm_roles_rel_in(r, p, "compound"))
                return -1;
        out->passive = dm_roles_is_passive(r, p);
        /* "Russia and Iran are responsible for backing Assad", "guilty of
         * torturing": a gerund after "for" or "of" under a predicate
         * adjective is what the judgement is about, an allegation. */
        if (dm_roles_rel_in(r, p, "advcl") && (q = dm_roles_head(r, p)) >= 0 &&
            !strcmp(r->res->toks[q].upos, "ADJ") &&
            (dm_roles_has_child_lemma(r, p, "mark", dm_roles_of_for) ||
             dm_roles_has_child_lemma(r, p, "case", dm_roles_of_for)))
                out->judged = 1;
        out->negated = dm_roles_has_child_lemma(r, p, "advmod", neg) ||
                       dm_roles_has_child_lemma(r, p, "aux", neg);
        for (q = p; q >= 0; q = dm_roles_head(r, q)) {
                /* "did not agree to meet": a negated governor of an
                 * infinitive negates it (not across "and"). */
                if (q != p && dm_roles_rel_is(r, prev_q, "xcomp") &&
                    (dm_roles_has_child_lemma(r, q, "advmod", neg) ||
                     dm_roles_has_child_lemma(r, q, "aux", neg)))
                        out->negated = 1;
                prev_q = q;
                if (dm_roles_has_child_lemma(r, q, "aux", dm_roles_modals))
                        out->modal = 1;
                if (dm_roles_has_child_lemma(r, q, "aux", deontic))
                        out->reported_obligation = -1; /* known once the clause is */
                if (dm_roles_has_child_lemma(r, q, "mark", dm_roles_cond))
                        out->conditional = 1;
                if (!dm_roles_rel_is(r, q, "xcomp") && !dm_roles_rel_is(r, q, "conj"))
                        break;
        }
        /* "Russia said Japan should lift its sanctions": what someone says
         * another should do is not that other's doing. */
        out->reported_obligation =
            out->reported_obligation && q >= 0 && dm_roles_rel_in(r, q, "ccomp") ? q : 0;
        subj = dm_roles_subject(r, p, &via_rel, spath, sizeof(spath));
        /* Only a main clause's verb without a subject may take one by word
         * order (a misparse); a dependent clause's is implied or absent. */
        out->has_subject = subj >= 0 || !dm_roles_rel_is(r, p, "root");
        if (out->passive) {
                /* The agent is the source, the subject the target. */
                for (c = r->child[p]; c >= 0; c = r->sibling[c])
                        if ((dm_roles_rel_in(r, c, "obl") || dm_roles_rel_is(r, c, "nmod")) &&
                            !strcasecmp(dm_roles_case(r, c), "by"))
                                break;
                out->src = dm_roles_actor_at(r, s, c, 0);
                out->tgt = dm_roles_actor_at(r, s, subj, 0);
                /* "the sanctions imposed by Japan on Russia": the subject is
                 * the thing done; the one it is done to is an oblique, or a
                 * modifier the parser hung on the agent's name (a name
                 * takes no modifier of its own: "by Japan on Russia") or on
                 * the noun the participle modifies ("sanctions [imposed by
                 * Japan] on Russia"); the best preposition wins. */
                if (out->tgt < 0) {
                        dm_roles_cand_t best = {-1, -1, 9};
                        dm_roles_consider(r, s, p, "obl", NULL, c, NULL, out->src, &best);
                        if (c >= 0 && r->unit_of[c] >= 0)
                                dm_roles_consider(r, s, c, "nmod", NULL, -1, "of", out->src, &best);
                        if (subj >= 0 && via_rel)
                                dm_roles_consider(r, s, subj, "nmod", NULL, p, NULL, out->src,
                                                  &best);
                        out->tgt = best.unit;
                }
                snprintf(out->path, sizeof(out->path), "obl:by>%s", subj >= 0 ? spath : "-");
                return 0;
        }
        out->src = dm_roles_actor_at(r, s, subj, 0);
        if (out->reported_obligation) {
                /* Unless the speaker says it of itself ("Ethiopia
                 * indicated it should have acted"). */
                int head = dm_roles_head(r, out->reported_obligation), vr = 0, sp;
                char tmp[32];
                sp = head >= 0 ? dm_roles_actor_at(
                                     r, s, dm_roles_subject(r, head, &vr, tmp, sizeof(tmp)), 0)
                               : -1;
                out->reported_obligation =
                    !(out->src >= 0 && sp >= 0 &&
                      (out->src == sp ||
                       (s->units[out->src].pronoun && s->units[out->src].ref == sp) ||
                       !strcmp(dm_sent_code(s, s->units[out->src].code_first),
                               dm_sent_code(s, s->units[sp].code_first))));
        }
        /* The pattern's designated target, when the parse puts it under the
         * verb. */
        if (hint_tgt >= 0 && hint_tgt < (int)s->nunits && r->unit_head[hint_tgt] >= 0 &&
            hint_tgt != out->src && dm_roles_under(r, r->unit_head[hint_tgt], p)) {
                out->tgt = hint_tgt;
                snprintf(tpath, sizeof(tpath), "pattern");
        }
        /* Else the object, the indirect object, then the obliques in order. */
        if (out->tgt < 0) {
                obj = dm_roles_child(r, p, "obj", 0);
                if (obj < 0)
                        obj = dm_roles_child(r, p, "iobj", 0);
                out->tgt = dm_roles_actor_at(r, s, obj, 0);
                if (out->tgt >= 0)
                        snprintf(tpath, sizeof(tpath), "%s", dm_roles_rel(r, obj));
        }
        /* An object of the country that is the subject is what the country
         * acts with ("Russia recalled its ambassador from Japan", "sent
         * troops into Georgia"): the one it acts on is an oblique or a
         * modifier of the object, when one is named; else the object. */
        if (out->tgt >= 0 && out->src >= 0 && dm_roles_same_country(s, out->src, out->tgt)) {
                own = out->tgt;
                out->tgt = -1;
                memcpy(own_path, tpath, sizeof(own_path));
        }
        if (out->tgt < 0) {
                /* The obliques: the best preposition wins ("negotiated in
                 * Syria with Iran"); never one of time ("after the talks"). */
                dm_roles_cand_t best = {-1, -1, 9};
                dm_roles_consider(r, s, p, "obl", "iobj", -1, NULL, out->src, &best);
                /* A name takes no modifier of its own: "in Syria [with
                 * Iran]" is the verb's. */
                for (c = r->child[p]; c >= 0; c = r->sibling[c])
                        if (dm_roles_rel_in(r, c, "obl") && r->unit_of[c] >= 0)
                                dm_roles_consider(r, s, c, "nmod", NULL, -1, "of", out->src, &best);
                out->tgt = best.unit;
                if (out->tgt >= 0)
                        snprintf(tpath, sizeof(tpath), "obl:%s", dm_roles_case(r, best.at));
        }
        /* The object's own modifiers ("sanctions against Japan"). */
        if (out->tgt < 0 && obj >= 0) {
                for (c = r->child[obj]; out->tgt < 0 && c >= 0; c = r->sibling[c]) {
                        int u;
                        if (!dm_roles_rel_in(r, c, "nmod") && !dm_roles_rel_in(r, c, "acl"))
                                continue;
                        u = dm_roles_actor_at(r, s, c, 0);
                        if (u < 0 && dm_roles_rel_in(r, c, "acl"))
                                u = dm_roles_actor_at(r, s, dm_roles_child(r, c, "obl", 0), 0);
                        /* "gave their views": a possessive pronoun of the
                         * object is its owner, mostly the subject itself. */
                        if (u >= 0 && s->units[u].pronoun && dm_roles_rel_is(r, c, "nmod:poss"))
                                continue;
                        if (u >= 0 && u != out->src) {
                                out->tgt = u;
                                snprintf(tpath, sizeof(tpath), "obj>%s", dm_roles_rel(r, c));
                        }
                }
        }
        if (out->tgt >= 0 && own >= 0 && dm_roles_same_country(s, out->src, out->tgt))
                out->tgt = -1;
        if (out->tgt < 0 && own >= 0) {
                out->tgt = own;
                memcpy(tpath, own_path, sizeof(tpath));
        }
        /* What a verb of saying, believing or hoping says about someone:
         * the subject of its that-clause ("allowed that Mordor isn't ...",
         * "expressed hopes that Osgiliath could ..."). */
        if (out->tgt < 0) {
                int cc = dm_roles_child(r, p, "ccomp", 0), t = -1;
                if (cc < 0 && obj >= 0)
                        cc = dm_roles_child(r, obj, "acl", 1);
                if (cc >= 0)
                        t = dm_roles_child(r, cc, "nsubj", 1);
                if (t >= 0) {
                        int u = dm_roles_actor_at(r, s, t, 0);
                        if (u >= 0 && u != out->src) {
                                out->tgt = u;
                                snprintf(tpath, sizeof(tpath), "ccomp>nsubj");
                        }
                }
        }
        if (out->tgt >= 0 && out->tgt == out->src && !s->units[out->tgt].compound)
                out->tgt = -1;
        if (out->src >= 0)
                dm_roles_conj_actors(r, s, subj, out->src, out->src_more, &out->nsrc_more);
        if (out->tgt >= 0 && obj >= 0 && dm_roles_actor_at(r, s, obj, 0) == out->tgt)
                dm_roles_conj_actors(r, s, obj, out->tgt, out->tgt_more, &out->ntgt_more);
        snprintf(out->path, sizeof(out->path), "%s>%s", out->src >= 0 ? spath : "-",
                 out->tgt >= 0 ? tpath : "-");
        return 0;
}
