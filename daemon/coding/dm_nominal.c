/* Events reported by nouns (dm_nominal.h). */
#include "coding/dm_nominal.h"
#include "coding/dm_roles_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int dm_nominal_candidate(const dm_sent_t *s, const dm_nouns_t *nouns)
{
        size_t i;
        if (!dm_nouns_count(nouns))
                return 0;
        for (i = 0; i < s->ntoks; i++)
                if (dm_nouns_maybe_form(nouns, s->words + s->toks[i].woff, s->toks[i].wlen))
                        return 1;
        return 0;
}

int dm_nominal_alone_candidate(const dm_sent_t *s, const dm_nouns_t *nouns)
{
        size_t i;
        if (!dm_nouns_count(nouns))
                return 0;
        for (i = 0; i < s->ntoks; i++)
                if (dm_nouns_maybe_form_of(nouns, s->words + s->toks[i].woff, s->toks[i].wlen, 1))
                        return 1;
        return 0;
}

/* Whether parse token t reads as word w (lower-case): by form or lemma. */
static int dm_nominal_word_is(const dm_roles_t *r, int t, const char *w)
{
        return !strcasecmp(r->res->toks[t].form, w) || !strcasecmp(r->res->toks[t].lemma, w);
}

/* The entry for the noun at parse token p: the one with the most modifiers
 * that all stand right before it (hyphens skipped: "Turkish-led"). Sets
 * *first to the phrase's first token. NULL when none. */
static const dm_noun_t *dm_nominal_entry(const dm_roles_t *r, const dm_nouns_t *nouns,
                                         const dm_lex_t *lx, int p, int adj, int tone, int *first)
{
        size_t n, k;
        const dm_noun_t *v = dm_nouns_find(nouns, r->res->toks[p].lemma, &n);
        if (!v) {
                /* A lemma the tagger got wrong ("talks", "vetoes" read as
                 * "vetoe"): the form, then the form less a plural ending
                 * (-s, -es, -ies for -y). */
                char low[64];
                size_t i;
                const char *f = r->res->toks[p].form;
                for (i = 0; f[i] && i + 1 < sizeof(low); i++)
                        low[i] = (char)tolower((unsigned char)f[i]);
                low[i] = '\0';
                v = dm_nouns_find(nouns, low, &n);
                if (!v && i > 3 && low[i - 1] == 's') {
                        low[i - 1] = '\0';
                        v = dm_nouns_find(nouns, low, &n);
                        if (!v && low[i - 2] == 'e') {
                                low[i - 2] = '\0';
                                v = dm_nouns_find(nouns, low, &n);
                                if (!v && low[i - 3] == 'i') {
                                        low[i - 3] = 'y';
                                        v = dm_nouns_find(nouns, low, &n);
                                }
                        }
                }
        }
        for (k = 0; v && k < n; k++) {
                int q = p, m;
                if (!v[k].adj != !adj || !v[k].tone != !tone)
                        continue;
                for (m = (int)v[k].nmods - 1; m >= 0; m--) {
                        q--;
                        while (q >= 0 && !strcmp(r->res->toks[q].form, "-"))
                                q--;
                        if (q < 0 || !dm_nominal_word_is(r, q, lx->str + v[k].mods[m]))
                                break;
                }
                if (m < 0) {
                        *first = q;
                        return &v[k];
                }
        }
        return NULL;
}

/* The attachment of child c to the noun, or DM_NA_COUNT. A participle
 * modifying the noun lends its agent ("strikes carried out by Russia"):
 * *via is then the agent's token. */
static dm_noun_att_t dm_nominal_att(const dm_roles_t *r, int c, int *via)
{
        *via = c;
        if (dm_roles_rel_is(r, c, "nmod:poss"))
                return DM_NA_POSS;
        if (dm_roles_rel_is(r, c, "amod") || dm_roles_rel_in(r, c, "compound") ||
            dm_roles_rel_is(r, c, "nmod:npmod"))
                return DM_NA_AMOD;
        /* A noun's prepositional dependents are nmod, an adjective's obl
         * ("unhappy with the UN"). */
        if (dm_roles_rel_in(r, c, "nmod") || dm_roles_rel_in(r, c, "obl"))
                return dm_nouns_att(dm_roles_case(r, c));
        if (dm_roles_rel_in(r, c, "nsubj"))
                return DM_NA_SUBJ;
        if (dm_roles_rel_is(r, c, "ccomp")) {
                int g = dm_roles_child(r, c, "nsubj", 1);
                if (g < 0)
                        return DM_NA_COUNT;
                *via = g;
                return DM_NA_THAT;
        }
        if (dm_roles_rel_is(r, c, "acl") && !strcmp(r->res->toks[c].xpos, "VBN")) {
                int g;
                for (g = r->child[c]; g >= 0; g = r->sibling[g])
                        if (dm_roles_rel_in(r, g, "obl") &&
                            !strcasecmp(dm_roles_case(r, g), "by")) {
                                *via = g;
                                return DM_NA_BY;
                        }
        }
        return DM_NA_COUNT;
}

static void dm_nominal_push(int *v, int *n, int u)
{
        int k;
        if (u < 0)
                return;
        for (k = 0; k < *n; k++)
                if (v[k] == u)
                        return;
        if (*n < DM_NOMINAL_MAX_ACTORS)
                v[(*n)++] = u;
}

/* The actors of token t and of the tokens coordinated with it ("the United
 * States, Saudi Arabia and France") into v. Pronouns only with pron: a
 * noun's possessive pronoun names no one here ("its veto" is mostly its
 * clause's own actor), but the speaker of a judgement may well be "he". */
static void dm_nominal_actors_p(const dm_roles_t *r, const dm_sent_t *s, int t, int *v, int *n,
                                int pron)
{
        int c, u = dm_roles_actor_at(r, s, t, 0);
        if (u >= 0 && (!s->units[u].pronoun || (pron && s->units[u].ncodes)))
                dm_nominal_push(v, n, u);
        for (c = r->child[t]; c >= 0; c = r->sibling[c])
                if (dm_roles_rel_is(r, c, "conj")) {
                        u = dm_roles_actor_at(r, s, c, 0);
                        if (u >= 0 && (!s->units[u].pronoun || (pron && s->units[u].ncodes)))
                                dm_nominal_push(v, n, u);
                }
}

static void dm_nominal_actors(const dm_roles_t *r, const dm_sent_t *s, int t, int *v, int *n)
{
        dm_nominal_actors_p(r, s, t, v, n, 0);
}

/* The relation's name for a path, or NULL for a preposition's modifier. */
static const char *dm_nominal_att_name(dm_noun_att_t a, const dm_roles_t *r, int c)
{
        if (a == DM_NA_POSS)
                return "nmod:poss";
        if (a == DM_NA_AMOD || a == DM_NA_SUBJ)
                return dm_roles_rel(r, c);
        if (a == DM_NA_THAT)
                return "ccomp>nsubj";
        return NULL;
}

/* Negation and modality from the noun's own determiner ("no attack") and
 * from the verb that governs it ("did not launch an attack", "could
 * launch"). */
static void dm_nominal_flags(const dm_roles_t *r, int p, dm_nominal_t *out)
{
        static const char *const no[] = {"no", NULL};
        static const char *const neg[] = {"not", "never", "n't", NULL};
        int q;
        int c;
        out->negated = dm_roles_has_child_lemma(r, p, "det", no) ||
                       dm_roles_has_child_lemma(r, p, "advmod", neg) ||
                       dm_roles_has_child_lemma(r, p, "aux", neg);
        for (c = r->child[p]; c >= 0; c = r->sibling[c]) {
                const char *f = r->res->toks[c].form;
                /* A year of the last two centuries: "the 2014 invasion". */
                if (strlen(f) == 4 && isdigit((unsigned char)f[0]) &&
                    isdigit((unsigned char)f[1]) && isdigit((unsigned char)f[2]) &&
                    isdigit((unsigned char)f[3]) && atoi(f) >= 1900 && atoi(f) <= 2099)
                        out->year = atoi(f);
        }
        q = dm_roles_head(r, p);
        if (q < 0 || !(dm_roles_rel_is(r, p, "obj") || dm_roles_rel_in(r, p, "nsubj") ||
                       dm_roles_rel_in(r, p, "obl")))
                return;
        /* The governing verb, and the verbs it is the infinitive of ("does
         * not intend to continue negotiations"). */
        for (;;) {
                out->negated |= dm_roles_has_child_lemma(r, q, "advmod", neg) ||
                                dm_roles_has_child_lemma(r, q, "aux", neg);
                out->hypothetical |= dm_roles_has_child_lemma(r, q, "aux", dm_roles_modals) ||
                                     dm_roles_has_child_lemma(r, q, "mark", dm_roles_cond);
                if (!dm_roles_rel_is(r, q, "xcomp") || (q = dm_roles_head(r, q)) < 0)
                        break;
        }
}

/* The first conjunct of the coordination noun p is part of (p itself when
 * none; three levels at most, -1 past the root): its relation is the
 * noun's in the clause ("launched strikes and raids"). */
static int dm_nominal_first_conjunct(const dm_roles_t *r, int p)
{
        int q = p, depth = 0;
        while (depth++ < 3 && q >= 0 && dm_roles_rel_is(r, q, "conj"))
                q = dm_roles_head(r, q);
        return q;
}

/* Whether the clause of p, which the parser hung on verb q as parataxis,
 * is a quotation: a colon or an opening quote mark between q and the
 * clause ("He tweeted: \"Russia and Iran are responsible ...\""). */
static int dm_nominal_quoted(const dm_roles_t *r, int q, int p)
{
        int first = p, c, k;
        for (c = r->child[p]; c >= 0; c = r->sibling[c])
                if (c < first && !dm_roles_rel_is(r, c, "punct"))
                        first = c;
        for (k = q + 1; k < first; k++) {
                const char *f = r->res->toks[k].form;
                if (!strcmp(f, ":") || !strcmp(f, "\"") || !strcmp(f, "\xe2\x80\x9c"))
                        return 1;
        }
        return 0;
}

/* What only an adjective's clause says: the noun it modifies is its
 * subject ("an artist critical of the government"), and the subject of the
 * verb whose that-clause it is the predicate of speaks ("Mr Howard said
 * the home secretary was wrong"). sp and tp (40 bytes) get the paths. */
static void dm_nominal_stance(const dm_roles_t *r, const dm_sent_t *s, const dm_noun_t *e, int p,
                              dm_nominal_t *out, char *sp, char *tp)
{
        int q = dm_roles_head(r, p), via_rel = 0, subj;
        char path[32];
        if (q >= 0 && dm_roles_rel_is(r, p, "amod") && e->roles[DM_NA_SUBJ] != DM_NR_NONE) {
                int src = e->roles[DM_NA_SUBJ] == DM_NR_SOURCE;
                int *nv = src ? &out->nsrc : &out->ntgt, n0 = *nv;
                dm_nominal_actors(r, s, q, src ? out->src : out->tgt, nv);
                if (*nv > n0 && !(src ? sp : tp)[0])
                        snprintf(src ? sp : tp, 40, "amod<noun");
        }
        if (q >= 0 &&
            (dm_roles_rel_is(r, p, "ccomp") ||
             (dm_roles_rel_is(r, p, "parataxis") && dm_nominal_quoted(r, q, p))) &&
            e->roles[DM_NA_SPEAKER] != DM_NR_NONE && !strcmp(r->res->toks[q].upos, "VERB") &&
            (subj = dm_roles_subject(r, q, &via_rel, path, sizeof(path))) >= 0) {
                int src = e->roles[DM_NA_SPEAKER] == DM_NR_SOURCE;
                int *nv = src ? &out->nsrc : &out->ntgt, n0 = *nv;
                dm_nominal_actors_p(r, s, subj, src ? out->src : out->tgt, nv, 1);
                if (*nv > n0 && !(src ? sp : tp)[0])
                        snprintf(src ? sp : tp, 40, "%s<%.24s",
                                 dm_roles_rel_is(r, p, "ccomp") ? "ccomp" : "parataxis", path);
        }
}

/* Roles of the noun at parse token p with entry e; 1 when it has both, or
 * a source when alone. */
static int dm_nominal_roles(const dm_roles_t *r, const dm_sent_t *s, const dm_nouns_t *nouns,
                            const dm_noun_t *e, int p, int alone, dm_nominal_t *out)
{
        char sp[40] = "", tp[40] = "";
        int c;
        for (c = r->child[p]; c >= 0; c = r->sibling[c]) {
                int via, ns0 = out->nsrc, nt0 = out->ntgt;
                dm_noun_att_t a = dm_nominal_att(r, c, &via);
                const char *name, *prep;
                if (a == DM_NA_COUNT || e->roles[a] == DM_NR_NONE)
                        continue;
                if (a == DM_NA_BETWEEN) {
                        /* "clashes between A and B": A acts on B. */
                        int v[DM_NOMINAL_MAX_ACTORS], n = 0, k;
                        dm_nominal_actors(r, s, via, v, &n);
                        if (n == 1 && s->units[v[0]].compound)
                                v[n++] = v[0]; /* one compound unit holds both */
                        if (n < 2)
                                continue;
                        dm_nominal_push(out->src, &out->nsrc, v[0]);
                        for (k = 1; k < n; k++)
                                dm_nominal_push(out->tgt, &out->ntgt, v[k]);
                } else if (e->roles[a] == DM_NR_SOURCE) {
                        /* A stance's subject may be a pronoun ("he is
                         * critical of Japan"). */
                        dm_nominal_actors_p(r, s, via, out->src, &out->nsrc,
                                            e->adj && a == DM_NA_SUBJ);
                } else {
                        dm_nominal_actors_p(r, s, via, out->tgt, &out->ntgt,
                                            e->adj && a == DM_NA_SUBJ);
                }
                name = dm_nominal_att_name(a, r, c);
                prep = dm_roles_case(r, via);
                if (!name)
                        name = dm_roles_rel_in(r, c, "obl") ? "obl:" : "nmod:";
                else
                        prep = "";
                if (out->nsrc > ns0 && !sp[0])
                        snprintf(sp, sizeof(sp), "%s%s", name, prep);
                if (out->ntgt > nt0 && !tp[0])
                        snprintf(tp, sizeof(tp), "%s%s", name, prep);
        }
        if (e->adj)
                dm_nominal_stance(r, s, e, p, out, sp, tp);
        /* A name takes no modifier of its own: a target the parser hung on
         * the source's name ("proposals from France [to Iran]") is the
         * noun's. */
        for (c = r->child[p]; c >= 0 && !out->ntgt; c = r->sibling[c]) {
                int via, g;
                dm_noun_att_t a = dm_nominal_att(r, c, &via);
                if (a == DM_NA_COUNT || e->roles[a] != DM_NR_SOURCE || r->unit_of[via] < 0)
                        continue;
                for (g = r->child[via]; g >= 0; g = r->sibling[g]) {
                        int via2;
                        dm_noun_att_t a2 = dm_nominal_att(r, g, &via2);
                        if (a2 == DM_NA_COUNT || a2 == DM_NA_POSS || a2 == DM_NA_AMOD ||
                            e->roles[a2] != DM_NR_TARGET)
                                continue;
                        dm_nominal_actors(r, s, via2, out->tgt, &out->ntgt);
                        if (out->ntgt && !tp[0])
                                snprintf(tp, sizeof(tp), "nmod:%s>nmod:%s", dm_roles_case(r, via),
                                         dm_roles_case(r, via2));
                }
        }
        if (!out->nsrc) {
                /* A light verb's object ("launched an offensive", "ordered
                 * a strike"; the LIGHT: lines): the verb's subject acts.
                 * Coordinated objects share the verb. */
                int q = dm_nominal_first_conjunct(r, p), via_rel = 0, subj;
                char path[32];
                if (q >= 0 && dm_roles_rel_is(r, q, "obj") && (q = dm_roles_head(r, q)) >= 0 &&
                    dm_nouns_light(nouns, r->res->toks[q].lemma) &&
                    (subj = dm_roles_subject(r, q, &via_rel, path, sizeof(path))) >= 0) {
                        int c2;
                        dm_nominal_actors(r, s, subj, out->src, &out->nsrc);
                        if (out->nsrc)
                                snprintf(sp, sizeof(sp), "obj<%s", path);
                        /* "continue negotiations [with Japan]": the parser
                         * may hang the noun's target on the light verb. */
                        for (c2 = r->child[q]; c2 >= 0 && out->nsrc && !out->ntgt;
                             c2 = r->sibling[c2]) {
                                dm_noun_att_t a2;
                                if (!dm_roles_rel_in(r, c2, "obl") ||
                                    (a2 = dm_nouns_att(dm_roles_case(r, c2))) == DM_NA_COUNT ||
                                    a2 == DM_NA_BY || e->roles[a2] != DM_NR_TARGET)
                                        continue;
                                dm_nominal_actors(r, s, c2, out->tgt, &out->ntgt);
                                if (out->ntgt)
                                        snprintf(tp, sizeof(tp), "obj<obl:%s",
                                                 dm_roles_case(r, c2));
                        }
                }
        }
        /* The noun as an oblique of a verb: the verb's subject fills a role
         * the noun's own dependents left open, where the entry says so
         * ("civilians were killed in Russian air strikes": passive=target;
         * "said, after a meeting with Germany": clause=source). */
        {
                int q = dm_nominal_first_conjunct(r, p), via_rel = 0, subj, h;
                char path[32];
                if (q >= 0 && dm_roles_rel_in(r, q, "obl") && (h = dm_roles_head(r, q)) >= 0 &&
                    !strcmp(r->res->toks[h].upos, "VERB")) {
                        int pass = dm_roles_is_passive(r, h);
                        int role = e->roles[pass ? DM_NA_PASSIVE : DM_NA_CLAUSE];
                        if (role != DM_NR_NONE &&
                            (role == DM_NR_SOURCE ? !out->nsrc : !out->ntgt) &&
                            (subj = dm_roles_subject(r, h, &via_rel, path, sizeof(path))) >= 0) {
                                int *v = role == DM_NR_SOURCE ? out->src : out->tgt;
                                int *nv = role == DM_NR_SOURCE ? &out->nsrc : &out->ntgt;
                                char *pp = role == DM_NR_SOURCE ? sp : tp;
                                dm_nominal_actors(r, s, subj, v, nv);
                                if (*nv)
                                        snprintf(pp, 40, "obl<%s", path);
                        }
                }
        }
        if (e->mutual && !out->ntgt && out->nsrc == 1 && s->units[out->src[0]].compound) {
                out->tgt[out->ntgt++] = out->src[0];
                snprintf(tp, sizeof(tp), "mutual");
        } else if (e->mutual && !out->ntgt && out->nsrc > 1) {
                int k;
                for (k = 1; k < out->nsrc; k++)
                        out->tgt[out->ntgt++] = out->src[k];
                out->nsrc = 1;
                snprintf(tp, sizeof(tp), "mutual");
        }
        snprintf(out->path, sizeof(out->path), "%s>%s", sp[0] ? sp : "-", tp[0] ? tp : "-");
        return out->nsrc > 0 && (out->ntgt > 0 || alone);
}

/* The actors that own what token t names ("Russian obstructionism",
 * "Russia's veto", "the ambition of Mr Blair"), when v holds none yet. */
static void dm_nominal_owners(const dm_roles_t *r, const dm_sent_t *s, int t, int *v, int *n)
{
        int c;
        for (c = t >= 0 ? r->child[t] : -1; c >= 0 && !*n; c = r->sibling[c])
                if (dm_roles_rel_is(r, c, "nmod:poss") || dm_roles_rel_is(r, c, "amod") ||
                    (dm_roles_rel_is(r, c, "nmod") && !strcmp(dm_roles_case(r, c), "of")))
                        dm_nominal_actors_p(r, s, c, v, n, 1);
}

/* The actors a clause's subject t stands for: its own, else its owner's. */
static void dm_nominal_owner_actors(const dm_roles_t *r, const dm_sent_t *s, int t, int *v, int *n)
{
        dm_nominal_actors_p(r, s, t, v, n, 1);
        dm_nominal_owners(r, s, t, v, n);
}

/* The tone of a statement (entries marked tone): the word at p, anywhere
 * in the clause a verb of saying takes (ccomp, or a quotation hung on it as
 * parataxis) and not negated on its way up to that clause, makes the
 * saying an event of the speaker on the clause's subject. The climb stops
 * at a relative or adverbial clause (about something else). */
static int dm_nominal_tone_at(const dm_roles_t *r, const dm_sent_t *s, const dm_nouns_t *nouns,
                              const dm_lex_t *lx, int p, dm_nominal_t *out)
{
        static const char *const neg[] = {"not", "never", "n't", "no", NULL};
        /* "Y would lead to chaos" foretells; it judges no one. */
        static const char *const modal[] = {"would", "could", "might", "may",
                                            "will",  "can",   "shall", NULL};
        const dm_noun_t *e;
        int first = p, h = p, q = -1, steps, subj, via_rel = 0;
        char path[32], tpath[32];
        if (strcmp(r->res->toks[p].upos, "VERB") && strcmp(r->res->toks[p].upos, "NOUN") &&
            strcmp(r->res->toks[p].upos, "ADJ"))
                return 0;
        if (!(e = dm_nominal_entry(r, nouns, lx, p, 0, 1, &first)))
                return 0;
        for (steps = 0; h >= 0 && steps < 8; steps++) {
                if (dm_roles_has_child_lemma(r, h, "advmod", neg) ||
                    dm_roles_has_child_lemma(r, h, "aux", neg) ||
                    dm_roles_has_child_lemma(r, h, "det", neg) ||
                    dm_roles_has_child_lemma(r, h, "aux", modal))
                        return 0;
                if ((q = dm_roles_head(r, h)) < 0)
                        return 0;
                if (!strcmp(r->res->toks[q].upos, "VERB") &&
                    (dm_roles_rel_is(r, h, "ccomp") ||
                     (dm_roles_rel_is(r, h, "parataxis") && dm_nominal_quoted(r, q, h))))
                        break;
                if (dm_roles_rel_in(r, h, "acl") || dm_roles_rel_in(r, h, "advcl") ||
                    dm_roles_rel_in(r, h, "csubj"))
                        return 0;
                h = q;
        }
        /* "is said to be": no one speaks. */
        if (h < 0 || q < 0 || steps == 8 || dm_roles_is_passive(r, q))
                return 0;
        memset(out, 0, sizeof(*out));
        out->noun = e;
        out->tok = p;
        out->start = r->toks[first].off;
        out->end = r->toks[p].off + r->toks[p].len;
        if ((subj = dm_roles_subject(r, q, &via_rel, path, sizeof(path))) < 0)
                return 0;
        dm_nominal_actors_p(r, s, subj, out->src, &out->nsrc, 1);
        /* Whose the judged thing is, first: "Israel's hypocrisy", "his
         * courageous leadership" (the noun the word modifies). */
        dm_nominal_owners(r, s, dm_roles_rel_is(r, p, "amod") ? dm_roles_head(r, p) : p, out->tgt,
                          &out->ntgt);
        /* A passive tone verb judges its agent ("reforms thwarted by
         * Mr Brown"), or no one. */
        if (out->ntgt) {
                snprintf(tpath, sizeof(tpath), "owner");
        } else if (!strcmp(r->res->toks[p].upos, "VERB") && dm_roles_is_passive(r, p)) {
                if ((subj = dm_roles_child(r, p, "obl:agent", 0)) < 0)
                        return 0;
                snprintf(tpath, sizeof(tpath), "obl:agent");
        } else if ((subj = dm_roles_subject(r, h, &via_rel, tpath, sizeof(tpath))) < 0) {
                return 0;
        }
        if (!out->ntgt)
                dm_nominal_owner_actors(r, s, subj, out->tgt, &out->ntgt);
        if (!out->nsrc || !out->ntgt || out->src[0] == out->tgt[0])
                return 0;
        snprintf(out->path, sizeof(out->path), "tone:%.24s>%s<%.24s", path,
                 dm_roles_rel_is(r, h, "ccomp") ? "ccomp" : "parataxis", tpath);
        return 1;
}

/* An adjective, or a participle used as one ("is concerned about"). */
static int dm_nominal_is_adjective(const dm_roles_t *r, int p)
{
        return !strcmp(r->res->toks[p].upos, "ADJ") ||
               (!strcmp(r->res->toks[p].xpos, "VBN") && dm_roles_child(r, p, "cop", 0) >= 0);
}

size_t dm_nominal_find(const dm_roles_t *r, const dm_sent_t *s, const dm_nouns_t *nouns,
                       const dm_lex_t *lx, dm_nominal_t *out, size_t max)
{
        const dm_parse_result_t *res = r->res;
        size_t n = 0, p;
        if (!res || !dm_nouns_count(nouns))
                return 0;
        for (p = 0; p < res->ntoks && n < max; p++) {
                const dm_noun_t *e;
                dm_nominal_t *o = &out[n];
                int first = (int)p;
                /* A noun inside an actor's name ("the Peace Council") names
                 * the actor, not an event. */
                int adj = dm_nominal_is_adjective(r, (int)p);
                /* A noun as a predicate ("Y's decision was a mistake", "the
                 * militias are terrorists") is read as a stance entry
                 * first, as an adjective is, then as an event noun. */
                int pred = !adj && !strcmp(res->toks[p].upos, "NOUN") &&
                           dm_roles_child(r, (int)p, "cop", 0) >= 0;
                if (r->unit_of[p] >= 0)
                        continue;
                if (strcmp(res->toks[p].upos, "NOUN") && !adj) {
                        /* A verb: only as the tone of a statement. */
                        if (dm_nominal_tone_at(r, s, nouns, lx, (int)p, o))
                                n++;
                        continue;
                }
                e = dm_nominal_entry(r, nouns, lx, (int)p, adj || pred, 0, &first);
                if (!e && pred)
                        e = dm_nominal_entry(r, nouns, lx, (int)p, 0, 0, &first);
                if (!e) {
                        if (dm_nominal_tone_at(r, s, nouns, lx, (int)p, o))
                                n++;
                        continue;
                }
                if (!strcmp(lx->str + e->code, "---"))
                        continue;
                memset(o, 0, sizeof(*o));
                o->noun = e;
                o->tok = (int)p;
                o->start = r->toks[first].off;
                o->end = r->toks[p].off + r->toks[p].len;
                /* A code marked '.' ("[0813.]") is an event of its source
                 * alone. */
                if (!dm_nominal_roles(r, s, nouns, e, (int)p,
                                      strchr(lx->str + e->code, '.') != NULL, o))
                        continue;
                dm_nominal_flags(r, (int)p, o);
                n++;
        }
        return n;
}
