#include "coding/dm_domestic.h"

#include "coding/dm_flags.h"
#include "dict/dm_phrases.h"
#include "dict/dm_rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Words that may stand between a subject and its verb. */
static const char *const dm_dom_between[] = {
    "HAS",       "HAVE",      "HAD",      "IS",      "WAS",      "ARE",    "WERE",    "WILL",
    "WOULD",     "COULD",     "CAN",      "MAY",     "MIGHT",    "SHOULD", "MUST",    "DID",
    "DOES",      "DO",        "NOT",      "N'T",     "NEVER",    "ALSO",   "ALREADY", "STILL",
    "NOW",       "THEN",      "LATER",    "EARLIER", "AGAIN",    "FIRST",  "ON",      "MONDAY",
    "TUESDAY",   "WEDNESDAY", "THURSDAY", "FRIDAY",  "SATURDAY", "SUNDAY", "TODAY",   "YESTERDAY",
    "LAST",      "NIGHT",     "WEEK",     "EARLY",   "LATE",     "JUST",   "BEEN",    "REPORTEDLY",
    "ALLEGEDLY", NULL};

/* The forms of "be" and "have" between a noun and its participle ("a
 * curfew has been imposed"): grammar, not knowledge of events. An array,
 * not a literal at each use, so that one registered address serves every
 * use (dm_phrases). */
static const char dm_dom_be[] =
    "WAS|WERE|IS|ARE|HAS BEEN|HAVE BEEN|HAD BEEN|BEEN|BEING|BE|HAS|HAVE|HAD";

static const char *const dm_dom_pronouns[] = {"IT", "THEY", "THIS", "THAT", "WHICH", NULL};

static const char *const dm_dom_preps[] = {"WITH",  "BY",   "AGAINST", "TO",    "FROM",
                                           "FOR",   "ON",   "AT",      "IN",    "OF",
                                           "ABOUT", "OVER", "INTO",    "UNDER", NULL};

static int dm_dom_punct(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        return w[0] && !w[1] && strchr(",.;:!?()\"", w[0]);
}

/* The class of an actor code: a bare country or a state agent is S. */
static int dm_dom_actor_class(const dm_rules_t *rules, const char *code)
{
        char ag[4];
        if (!code || strlen(code) < 3 || !strncmp(code, "IGO", 3) || !strncmp(code, "NGO", 3))
                return 0;
        if (strlen(code) == 3)
                return DM_DOM_S;
        memcpy(ag, code + 3, 3);
        ag[3] = '\0';
        if (dm_text_word_in(ag, dm_rules_agents(rules, DM_AGENTS_STATE)))
                return DM_DOM_S;
        if (dm_text_word_in(ag, dm_rules_agents(rules, DM_AGENTS_ARMED)))
                return DM_DOM_V;
        return DM_DOM_C;
}

/* The actor covering token i, -1 none. */
static long dm_dom_actor_at(const dm_frame_actor_t *a, size_t na, size_t i)
{
        size_t k;
        for (k = 0; k < na; k++)
                if (a[k].first <= i && i <= a[k].last)
                        return (long)k;
        return -1;
}

/* The group whose words end at token end: its index, and its first token. */
static long dm_dom_group_ending(const dm_rules_t *rules, const dm_tokens_t *tk, size_t end,
                                size_t *first)
{
        size_t s, g, ng;
        const dm_dom_group_t *groups = dm_rules_groups(rules, &ng);
        for (s = end >= 3 ? end - 3 : 0; s <= end; s++)
                for (g = 0; g < ng; g++)
                        if (dm_phrase_list_match(groups[g].words, tk, s) == end - s + 1) {
                                *first = s;
                                return (long)g;
                        }
        return -1;
}

/* The country of a place or country after "in"/"at"/"across" between
 * tokens from and to. */
static const char *dm_dom_place(const dm_tokens_t *tk, const char *const *pc, size_t from,
                                size_t to)
{
        static const char *const loc[] = {"IN", "AT", "ACROSS", "THROUGHOUT", "OUTSIDE", NULL};
        size_t k;
        if (!pc)
                return NULL;
        for (k = from; k + 1 < to && k + 1 < tk->count; k++) {
                size_t q = k + 1;
                if (!dm_text_word_in(tk->toks[k].word, loc))
                        continue;
                if (q + 1 < to && !strcmp(tk->toks[q].word, "THE"))
                        q++;
                if (pc[q])
                        return pc[q];
        }
        return NULL;
}

/* The end of the clause holding token t. */
static size_t dm_dom_clause_end(const dm_tokens_t *tk, size_t t)
{
        size_t k;
        for (k = t; k < tk->count; k++) {
                const char *w = tk->toks[k].word;
                if (!strcmp(w, ".") || !strcmp(w, ";") || !strcmp(w, "WHILE") ||
                    !strcmp(w, "BUT") || !strcmp(w, "WHICH") || !strcmp(w, "WHO"))
                        break;
        }
        return k;
}

/* Fills p with a group or an actor ending at token head; returns its class,
 * 0 when head holds neither. The country of a group: the country word just
 * before it, else the place named after the trigger, else ctx. */
static int dm_dom_party(const dm_rules_t *rules, const dm_tokens_t *tk, const dm_frame_actor_t *a,
                        size_t na, size_t head, const char *place, const char *ctx,
                        dm_domestic_party_t *p)
{
        size_t gf, ng;
        long g, k = dm_dom_actor_at(a, na, head);
        const dm_dom_group_t *grp;
        const char *country;
        /* The coder gives an agent it cannot place the code of the actor
         * before it ("police in Kenya arrested protesters" as KENGOVACT):
         * a group noun with a longer code than country and agent is read as
         * the group, in that actor's country. */
        /* "It also charged ...": a pronoun's referent is a guess the
         * domestic frames do not take. */
        if (k >= 0 && a[k].first == a[k].last &&
            dm_text_word_in(tk->toks[head].word, dm_dom_pronouns))
                return 0;
        if (k >= 0 && !a[k].modifier && strlen(a[k].code) > 6 && a[k].country &&
            dm_dom_group_ending(rules, tk, head, &gf) >= 0)
                place = a[k].country;
        else if (k >= 0 && !a[k].modifier) {
                int cls = dm_dom_actor_class(rules, a[k].code);
                if (!cls)
                        return 0;
                snprintf(p->code, sizeof(p->code), "%s", a[k].code);
                p->country = a[k].country;
                p->first = a[k].first;
                p->last = a[k].last;
                return cls;
        }
        g = dm_dom_group_ending(rules, tk, head, &gf);
        if (g < 0)
                return 0;
        grp = &dm_rules_groups(rules, &ng)[g];
        /* Armed groups cross borders: the article's country is no guess
         * for them, only a country word or a place. */
        country = place ? place : grp->cls == DM_DOM_V ? NULL : ctx;
        if (gf > 0 && (k = dm_dom_actor_at(a, na, gf - 1)) >= 0 && a[k].country) {
                country = a[k].country;
                gf = a[k].first;
        }
        if (!country)
                return 0;
        snprintf(p->code, sizeof(p->code), "%s%s", country, grp->agent);
        p->country = country;
        p->first = gf;
        p->last = head;
        return grp->cls;
}

/* The subject of the verb at token t: back over auxiliaries, adverbs and
 * dates to the head of the noun phrase. Not a subject when a preposition
 * governs it ("clashes with police erupted") unless it is "thousands of
 * protesters". */
static int dm_dom_subject(const dm_rules_t *rules, const dm_tokens_t *tk, const dm_frame_actor_t *a,
                          size_t na, size_t t, const char *const *pc, const char *place,
                          const char *ctx, const dm_domestic_party_t *prev, dm_domestic_party_t *p)
{
        size_t j = t, k, gf;
        int cls;
        /* Back over auxiliaries and adverbs, but not over a name that
         * ends like one ("Italy deported"). */
        while (j > 0 &&
               (dm_text_word_in(tk->toks[j - 1].word, dm_dom_between) ||
                (dm_text_is_adverb(tk->toks[j - 1].word) && dm_dom_actor_at(a, na, j - 1) < 0)))
                j--;
        if (j == 0 || dm_dom_punct(tk, j - 1))
                return 0;
        /* "lifted the curfew and freed the activists": the subject of the
         * clause's first verb. */
        if (!strcmp(tk->toks[j - 1].word, "AND") && prev && prev->code[0]) {
                *p = *prev;
                return dm_dom_actor_class(rules, p->code);
        }
        /* "gunmen in Peshawar abducted": the place gives the group its
         * country. */
        k = j - 1;
        if (pc && pc[k] && dm_dom_actor_at(a, na, k) < 0) {
                while (k > 0 && pc[k - 1] == pc[k])
                        k--;
                if (k >= 2 && !strcmp(tk->toks[k - 1].word, "IN") &&
                    dm_dom_group_ending(rules, tk, k - 2, &gf) >= 0)
                        return dm_dom_party(rules, tk, a, na, k - 2, pc[j - 1], ctx, p);
        }
        cls = dm_dom_party(rules, tk, a, na, j - 1, place, ctx, p);
        /* "Scotland's jails": a possessive right before is a noun phrase. */
        if (cls && j == t) {
                const char *w = tk->toks[j - 1].word;
                size_t wl = strlen(w);
                if (wl > 2 && !strcmp(w + wl - 2, "'S"))
                        return 0;
        }
        if (cls && p->first > 0) {
                size_t b = p->first - 1;
                long k2;
                /* "an attack by the Syrian government killed": back over
                 * "the" and country words to the preposition. */
                while (b > 0 && (!strcmp(tk->toks[b].word, "THE") ||
                                 ((k2 = dm_dom_actor_at(a, na, b)) >= 0 && a[k2].modifier)))
                        b--;
                if (dm_text_word_in(tk->toks[b].word, dm_dom_preps) &&
                    strcmp(tk->toks[b].word, "OF"))
                        return 0;
        }
        return cls;
}

/* The group or actor within a few words after token from: "arrested dozens
 * of protesters", "freed three prominent activists". A group takes the
 * country given (the source's), armed groups too: "the army killed six
 * militants" are the army's country's. */
static int dm_dom_object(const dm_rules_t *rules, const dm_tokens_t *tk, const dm_frame_actor_t *a,
                         size_t na, size_t from, size_t end, const char *country,
                         dm_domestic_party_t *p)
{
        size_t k;
        for (k = from; k < end && k < from + 6; k++) {
                long ak = dm_dom_actor_at(a, na, k);
                size_t gf;
                if (dm_dom_punct(tk, k))
                        return 0;
                if (ak >= 0 && !a[ak].modifier)
                        return dm_dom_party(rules, tk, a, na, a[ak].last, NULL, country, p);
                if (dm_dom_group_ending(rules, tk, k, &gf) >= 0) {
                        /* The longest group ending here or later: "police
                         * officers", not "police". */
                        size_t e = k;
                        while (e + 1 < end && dm_dom_group_ending(rules, tk, e + 1, &gf) >= 0 &&
                               gf <= k)
                                e++;
                        /* "dozens of students": the group after "of". */
                        if (e + 2 < end && !strcmp(tk->toks[e + 1].word, "OF")) {
                                size_t q;
                                for (q = e + 2; q < end && q < e + 5; q++)
                                        if (dm_dom_group_ending(rules, tk, q, &gf) >= 0 && gf > e) {
                                                e = q;
                                                break;
                                        }
                        }
                        return dm_dom_party(rules, tk, a, na, e, country, country, p);
                }
        }
        return 0;
}

static void dm_dom_none(dm_domestic_party_t *p)
{
        p->code[0] = '\0';
        p->country = NULL;
        p->first = p->last = (size_t)-1;
}

static const char *const dm_dom_says_next[] = {"THAT", "DURING", "IN", "ON", NULL};

static const char *const dm_dom_det[] = {"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", NULL};

/* "an opposition boycott", "challenging Iran probe": a bare verb form right
 * after a group inside a noun phrase is a noun. News puts the present tense
 * in headlines, where the subject opens the sentence ("Police Arrest
 * Protesters"). */
static int dm_dom_noun_compound(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na,
                                size_t t, const dm_domestic_party_t *subj)
{
        static const char *const nounable[] = {
            "BOYCOTT", "BOYCOTTS", "PROTEST", "PROTESTS", "MARCH",   "MARCHES", "RALLY",  "RALLIES",
            "STRIKE",  "STRIKES",  "ATTACK",  "ATTACKS",  "ARREST",  "ARRESTS", "DEMAND", "DEMANDS",
            "BAN",     "BANS",     "PROBE",   "PROBES",   "RELEASE", "RAID",    "RAIDS",  "BLOCK",
            "THREAT",  "KILLINGS", "CLASH",   "CLASHES",  NULL};
        /* A named person acting is a verb ("Erdogan arrests"). */
        if (!dm_text_word_in(tk->toks[t].word, nounable) || subj->last + 1 != t ||
            subj->first == 0 || subj->first == (size_t)-1 ||
            (dm_dom_actor_at(a, na, subj->last) >= 0 && strlen(subj->code) > 3))
                return 0;
        return !dm_dom_punct(tk, subj->first - 1) && strcmp(tk->toks[subj->first - 1].word, "-");
}

/* One rule at token i; returns the trigger's length when it fired. */
static size_t dm_dom_rule_at(const dm_rules_t *rules, const dm_tokens_t *tk,
                             const dm_frame_actor_t *a, size_t na, const char *const *pc,
                             const char *ctx, const dm_dom_rule_t *r, size_t i,
                             const dm_domestic_party_t *prev, dm_domestic_event_t *ev)
{
        size_t tl, after, end, j, nl = 0;
        const char *place;
        int cls;
        /* out[] is the caller's scratch: a failed attempt leaves anything. */
        dm_dom_none(&ev->source);
        dm_dom_none(&ev->target);
        if (r->kind == DM_DOM_NOMINAL) {
                /* NOUN [be-words] TRIGGER [by AGENT]. */
                size_t nn = dm_phrase_list_match(r->nouns, tk, i), q;
                if (!nn)
                        return 0;
                /* "hundreds of police sent to", "3,000 troops deployed": a
                 * force moved in numbers, not "police were called to a
                 * hotel". */
                if (r->flags & DM_DOM_F_NUMBERS) {
                        const char *qw = i >= 2 && !strcmp(tk->toks[i - 1].word, "OF")
                                             ? tk->toks[i - 2].word
                                         : i >= 1 ? tk->toks[i - 1].word
                                                  : "";
                        if (strcmp(qw, "HUNDREDS") && strcmp(qw, "THOUSANDS") &&
                            strcmp(qw, "DOZENS") &&
                            !(strlen(qw) >= 3 && isdigit((unsigned char)qw[0])))
                                return 0;
                }
                q = i + nn;
                while (q < tk->count &&
                       (dm_phrases_match(dm_dom_be, tk, q) || dm_text_is_adverb(tk->toks[q].word)))
                        q += dm_text_is_adverb(tk->toks[q].word)
                                 ? 1
                                 : dm_phrases_match(dm_dom_be, tk, q);
                if (q >= tk->count || !(tl = dm_phrase_list_match(r->triggers, tk, q)))
                        return 0;
                after = q + tl;
                end = dm_dom_clause_end(tk, after);
                place = dm_dom_place(tk, pc, after, end);
                dm_dom_none(&ev->source);
                if (after + 1 < end && !strcmp(tk->toks[after].word, "BY")) {
                        size_t h = after + 1;
                        while (h + 1 < end && (dm_dom_actor_at(a, na, h + 1) >= 0 ||
                                               dm_dom_group_ending(rules, tk, h + 1, &j) >= 0))
                                h++;
                        if (!(dm_dom_party(rules, tk, a, na, h, place, ctx, &ev->source) & r->cls))
                                return 0;
                } else {
                        long k;
                        const char *country = place ? place : r->cls == DM_DOM_V ? NULL : ctx;
                        /* "Haitian protests", "Kenya's curfew". */
                        if (i > 0 && (k = dm_dom_actor_at(a, na, i - 1)) >= 0 && a[k].country)
                                country = a[k].country;
                        if (!country)
                                return 0;
                        snprintf(ev->source.code, sizeof(ev->source.code), "%s%s", country,
                                 r->agent);
                        ev->source.country = country;
                        ev->source.first = i;
                        ev->source.last = i + nn - 1;
                }
                ev->trig_first = q;
                ev->trig_last = after - 1;
        } else if (r->kind == DM_DOM_VICTIM) {
                if (!(tl = dm_phrase_list_match(r->triggers, tk, i)) ||
                    (i > 0 && dm_text_word_in(tk->toks[i - 1].word, dm_dom_preps)))
                        return 0;
                after = i + tl;
                end = dm_dom_clause_end(tk, after);
                for (j = after; j < end && j <= after + (size_t)r->gap; j++)
                        if ((nl = dm_phrase_list_match(r->nouns, tk, j)) || dm_dom_punct(tk, j))
                                break;
                if (!nl || (place = dm_dom_place(tk, pc, after, end)) == NULL ||
                    !strcmp(tk->toks[j > 0 ? j - 1 : 0].word, "HEART") ||
                    !strcmp(tk->toks[j > 0 ? j - 1 : 0].word, "PANIC"))
                        return 0;
                snprintf(ev->source.code, sizeof(ev->source.code), "%s%s", place, r->agent);
                ev->source.country = place;
                ev->source.first = j;
                ev->source.last = j + nl - 1;
                dm_dom_none(&ev->target);
                ev->trig_first = i;
                ev->trig_last = after - 1;
                after = j + nl;
        } else {
                tl = dm_phrase_list_match(r->triggers, tk, i);
                if (!tl || tk->toks[i].hyphen_before)
                        return 0;
                after = i + tl;
                /* "resigned to", "free to", "freed from": adjectives. */
                if (after < tk->count && !r->nouns && r->target == DM_DOM_T_NONE &&
                    (!strcmp(tk->toks[after].word, "TO") || !strcmp(tk->toks[after].word, "FROM")))
                        return 0;
                end = dm_dom_clause_end(tk, after);
                if (r->nouns) {
                        for (j = after; j < end && j <= after + (size_t)r->gap; j++)
                                if ((nl = dm_phrase_list_match(r->nouns, tk, j)) ||
                                    dm_dom_punct(tk, j))
                                        break;
                        if (!nl)
                                return 0;
                        after = j + nl;
                }
                place = dm_dom_place(tk, pc, after, end);
                if (dm_text_is_passive(tk, i)) {
                        /* "were arrested by police": the agent after "by"
                         * is the source, the subject the target. */
                        size_t h;
                        if (after + 1 >= end || strcmp(tk->toks[after].word, "BY"))
                                return 0;
                        h = after + 1;
                        while (h + 1 < end && (dm_dom_actor_at(a, na, h + 1) >= 0 ||
                                               dm_dom_group_ending(rules, tk, h + 1, &j) >= 0))
                                h++;
                        cls = dm_dom_party(rules, tk, a, na, h, place, ctx, &ev->source);
                        if (!(cls & r->cls))
                                return 0;
                        if (!dm_dom_subject(rules, tk, a, na, i, pc, place, ev->source.country,
                                            NULL, &ev->target))
                                dm_dom_none(&ev->target);
                        after = h + 1;
                } else {
                        cls =
                            dm_dom_subject(rules, tk, a, na, i, pc, place, ctx, prev, &ev->source);
                        if (!(cls & r->cls) || dm_dom_noun_compound(tk, a, na, i, &ev->source))
                                return 0;
                        dm_dom_none(&ev->target);
                        if (r->target == DM_DOM_T_OBJECT && (r->flags & DM_DOM_F_SAYS)) {
                                /* Said-verbs take their object right after
                                 * them: "accused the police", not "warned on
                                 * Tuesday that the US". */
                                size_t o = after;
                                if (o < end && dm_text_word_in(tk->toks[o].word, dm_dom_det))
                                        o++;
                                dm_dom_object(rules, tk, a, na, o, o + 1 < end ? o + 1 : end,
                                              ev->source.country, &ev->target);
                                if (ev->target.code[0] &&
                                    (strlen(ev->target.code) == 3 ||
                                     !strcmp(ev->target.code, ev->source.code)))
                                        dm_dom_none(&ev->target);
                        } else if (r->target == DM_DOM_T_OBJECT)
                                dm_dom_object(rules, tk, a, na, r->nouns ? j : after, end,
                                              ev->source.country, &ev->target);
                }
                ev->trig_first = i;
                ev->trig_last = i + tl - 1;
        }
        if (r->target == DM_DOM_T_AGAINST && !ev->target.code[0]) {
                dm_dom_none(&ev->target);
                for (j = after; j + 1 < end; j++)
                        if (!strcmp(tk->toks[j].word, "AGAINST")) {
                                dm_dom_object(rules, tk, a, na, j + 1, end, ev->source.country,
                                              &ev->target);
                                break;
                        }
        }
        if (r->target == DM_DOM_T_PREP) {
                static const char *const preps[] = {"TO",   "WITH",   "FROM",    "AGAINST",
                                                    "ON",   "BY",     "TOWARDS", "TOWARD",
                                                    "OVER", "WITHIN", NULL};
                dm_dom_none(&ev->target);
                for (j = after; j + 1 < end && j < after + 8; j++)
                        if (dm_text_word_in(tk->toks[j].word, preps)) {
                                long k = dm_dom_actor_at(
                                    a, na, j + 1 + !strcmp(tk->toks[j + 1].word, "THE"));
                                if (k >= 0)
                                        dm_dom_party(rules, tk, a, na, a[k].last, NULL, NULL,
                                                     &ev->target);
                                break;
                        }
                /* "Afghanistan and Pakistan declared a ceasefire". */
                if (!ev->target.code[0] && ev->source.first >= 2 &&
                    ev->source.first != (size_t)-1 &&
                    !strcmp(tk->toks[ev->source.first - 1].word, "AND")) {
                        long k = dm_dom_actor_at(a, na, ev->source.first - 2);
                        if (k >= 0 && !a[k].modifier && a[k].country) {
                                ev->target = ev->source;
                                dm_dom_party(rules, tk, a, na, a[k].last, NULL, NULL, &ev->source);
                        }
                }
        } else if (ev->target.code[0] && !(r->flags & DM_DOM_F_ABROAD) &&
                   (!ev->target.country || !ev->source.country ||
                    strcmp(ev->target.country, ev->source.country))) {
                /* A domestic event stays inside one country: an attack on
                 * another country or a deployment abroad is the coder's and
                 * the frames'. */
                dm_dom_none(&ev->target);
        }
        if (ev->target.code[0] && !strcmp(ev->target.code, ev->source.code))
                dm_dom_none(&ev->target);
        if ((r->flags & DM_DOM_F_NEED_TARGET) && !ev->target.code[0])
                return 0;
        if (ev->target.code[0]) {
                int tc = dm_dom_actor_class(rules, ev->target.code);
                if (((r->flags & DM_DOM_F_TARGET_C) && tc != DM_DOM_C) ||
                    ((r->flags & DM_DOM_F_TARGET_V) && tc != DM_DOM_V) ||
                    ((r->flags & DM_DOM_F_TARGET_NOT_S) && tc == DM_DOM_S))
                        return 0;
        }
        /* "charged that ...": an accusation, not a charge in court. */
        if (r->said && dm_phrase_list_match(r->said, tk, i) && i + 1 < tk->count &&
            dm_text_word_in(tk->toks[i + 1].word, dm_dom_says_next))
                return 0;
        if (r->unless) {
                size_t from, to;
                dm_flags_clause(tk, i, &from, &to);
                for (j = from; j < to; j++)
                        if (dm_phrase_list_match(r->unless, tk, j))
                                return 0;
        }
        ev->code = r->code;
        ev->rule = r->name;
        return after - i;
}

void dm_domestic_register_phrases(void)
{
        dm_phrases_register(dm_dom_be);
}

/* The country of the sentence's first actor that is not the object of a
 * preposition ("the US Senate tried to block ... after members of Congress
 * accused"): a better guess for a group named without a country than the
 * article's country. */
static const char *dm_dom_sentence_country(const dm_tokens_t *tk, const dm_frame_actor_t *a,
                                           size_t na)
{
        size_t k, best = (size_t)-1;
        for (k = 0; k < na; k++) {
                size_t b = a[k].first;
                if (!a[k].country || (best != (size_t)-1 && a[best].first < a[k].first))
                        continue;
                if (b > 0 && !strcmp(tk->toks[b - 1].word, "THE"))
                        b--;
                if (b > 0 && dm_text_word_in(tk->toks[b - 1].word, dm_dom_preps))
                        continue;
                best = k;
        }
        return best == (size_t)-1 ? NULL : a[best].country;
}

size_t dm_domestic_code(const dm_rules_t *rules, const dm_tokens_t *tk,
                        const dm_frame_actor_t *actors, size_t nactors,
                        const char *const *place_country, const char *ctx, dm_domestic_event_t *out,
                        size_t max)
{
        size_t i, r, n = 0, nrules;
        const dm_dom_rule_t *rows = dm_rules_domestic(rules, &nrules);
        const char *sc = dm_dom_sentence_country(tk, actors, nactors);
        if (sc)
                ctx = sc;
        for (i = 0; i < tk->count && n < max; i++) {
                size_t nw, w, len = 0;
                /* Only the rows whose first phrase can start with this word
                 * are tried: matching every row at every token was a tenth
                 * of the annotation's time. */
                const uint64_t *cand = dm_rules_domestic_candidates(rules, tk->toks[i].word, &nw);
                /* The first rule that fires at a token wins: the table lists
                 * the specific ("went on a hunger strike") before the
                 * general. */
                for (w = 0; w < nw && !len; w++) {
                        uint64_t bits = cand[w];
                        while (bits && !len) {
                                r = w * 64 + (size_t)__builtin_ctzll(bits);
                                bits &= bits - 1;
                                if (r >= nrules)
                                        break;
                                len = dm_dom_rule_at(rules, tk, actors, nactors, place_country, ctx,
                                                     &rows[r], i, n ? &out[n - 1].source : NULL,
                                                     &out[n]);
                        }
                }
                if (len) {
                        n++;
                        i += len - 1;
                }
        }
        return n;
}
