#include "coding/dm_frames.h"

#include "coding/dm_flags.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The frames' mechanisms: how each kind of frame of the rules
 * (dictionaries/frames.rules, dm_rules) finds its source and target, and
 * the check of the shallow coder's events. The words below are English
 * grammar the mechanisms step over, not knowledge of events. */

/* Prepositions: an actor after one is no subject. */
static const char *const dm_frames_preps[] = {
    "BY",     "AGAINST", "WITH",  "ON",   "OF",    "IN",     "FROM",
    "TO",     "INTO",    "OVER",  "FOR",  "AT",    "ABOUT",  "BETWEEN",
    "TOWARD", "TOWARDS", "UNDER", "NEAR", "AMONG", "BEFORE", "DURING",
    "VISIT",  "VISITED", "THAN",  "LIKE", "VIA",   "ACROSS", NULL};

static int dm_frames_is_punct(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        return w[0] && !w[1] && strchr(",.;:!?()", w[0]);
}

static const char *const dm_frames_det[] = {"THE", "ITS", "HIS", "HER", "THEIR",
                                            "OUR", "A",   "AN",  NULL};

/* Whether tokens [from, to) are only words that can stand between a
 * country word and its noun ("US economic sanctions"). */
static int dm_frames_only_modifiers(const dm_tokens_t *tk, size_t from, size_t to)
{
        static const char *const stop[] = {"AND", "OR",   "VIA", "OF", "TO",   "IN",      "ON",
                                           "FOR", "WITH", "THE", "BY", "FROM", "AGAINST", NULL};
        size_t k;
        for (k = from; k < to; k++)
                if (dm_frames_is_punct(tk, k) || dm_text_word_in(tk->toks[k].word, stop))
                        return 0;
        return 1;
}

/* Whether a sanctions noun phrase at [np_first, np_end) is being undone or
 * only talked about: "lifting US sanctions", "sanctions were lifted",
 * "a sanctions waiver", "his rejection of sanctions". */
static int dm_frames_undone(const dm_tokens_t *tk, size_t np_first, size_t np_end)
{
        static const char *const before[] = {"LIFT",    "LIFTING", "LIFTED",   "EASE",  "EASING",
                                             "EASED",   "REMOVE",  "REMOVING", "END",   "ENDING",
                                             "OF",      "WAIVE",   "WAIVING",  "AVOID", "EVADE",
                                             "EVADING", "BUST",    "BUSTING",  NULL};
        static const char *const after[] = {"WAIVER", "WAIVERS", "RELIEF", "WERE", "WAS", "WILL",
                                            "WOULD",  "COULD",   "REGIME", "LIST", NULL};
        size_t k;
        for (k = np_first >= 2 ? np_first - 2 : 0; k < np_first; k++)
                if (dm_text_word_in(tk->toks[k].word, before))
                        return 1;
        for (k = np_end; k < tk->count && k < np_end + 2; k++)
                if (dm_text_word_in(tk->toks[k].word, after))
                        return 1;
        return 0;
}

/* The actor that starts at or after token i within the window; -1 none.
 * Articles and quotes in between are skipped. */
static long dm_frames_actor_at(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na,
                               size_t i, size_t window)
{
        size_t k, j;
        for (j = i; j < tk->count && j < i + window; j++) {
                for (k = 0; k < na; k++)
                        if (a[k].first == j)
                                return a[k].modifier ? -1 : (long)k;
                if (dm_frames_is_punct(tk, j))
                        return -1;
        }
        return -1;
}

/* Whether the actor is a prepositional object: "by Japan", "against the
 * Russian Federation". */
static int dm_frames_after_prep(const dm_tokens_t *tk, const dm_frame_actor_t *a)
{
        size_t i = a->first;
        if (i > 0 && !strcmp(tk->toks[i - 1].word, "THE"))
                i--;
        /* One modifier may stand between: "with official Lima". */
        return (i > 0 && dm_text_word_in(tk->toks[i - 1].word, dm_frames_preps)) ||
               (i > 1 && isalpha((unsigned char)tk->toks[i - 1].word[0]) &&
                dm_text_word_in(tk->toks[i - 2].word, dm_frames_preps));
}

static int dm_frames_official_after(const dm_tokens_t *tk, size_t last);

static int dm_frames_possessive(const dm_tokens_t *tk, size_t i)
{
        const char *w = tk->toks[i].word;
        size_t n = strlen(w);
        return (n > 2 && !strcmp(w + n - 2, "'S")) || (n > 1 && w[n - 1] == '\'');
}

/* Singular heads news uses for people and bodies that are no state actors. */
static int dm_frames_is_head(const char *w)
{
        static const char *const heads[] = {
            "WATCHDOG", "WOMAN",   "MAN",      "GROUP",      "TEENAGER",      "FATHER",  "MOTHER",
            "CHILD",    "FIGHTER", "MILITANT", "JOURNALIST", "REPORTER",      "STUDENT", "ACTIVIST",
            "COMPANY",  "FIRM",    "BANK",     "REPORT",     "INVESTIGATION", "CITIZEN", "NATIONAL",
            "JIHADI",   "FAMILY",  "BOY",      "GIRL",       "EXPERT",        "SOURCE",  "NETWORK",
            "MILITIA",  "PARTY",   NULL};
        return dm_text_word_in(w, heads);
}

/* Whether token i is a common noun that can head a subject: a plural
 * ("volunteers", "citizens") or one of the singular heads news uses for
 * people and bodies that are not state actors. Official nouns do not
 * count: "Kenyan army officers travelled" keeps Kenya. */
static int dm_frames_common_noun(const dm_tokens_t *tk, size_t i)
{

        static const char *const not_nouns[] = {
            "HAS",     "WAS",     "IS",         "THIS",   "ITS",   "HIS",    "ALSO",    "AS",
            "THUS",    "US",      "HERS",       "ITS",    "YES",   "UNLESS", "WHEREAS", "ACROSS",
            "PERHAPS", "BESIDES", "TIMES",      "DAYS",   "WEEKS", "MONTHS", "YEARS",   "HOURS",
            "THIS",    "PLUS",    "AFTERWARDS", "ALWAYS", NULL};
        const char *w = tk->toks[i].word;
        size_t n = strlen(w);
        if (dm_frames_is_head(w))
                return 1;
        if (n <= 3 || w[n - 1] != 'S' || !isalpha((unsigned char)w[0]) ||
            dm_text_word_in(w, not_nouns) || dm_frames_official_after(tk, i - 1))
                return 0;
        /* "-ss" and "-us" words are no plurals ("Congress", "consensus"). */
        return w[n - 2] != 'S' && w[n - 2] != 'U' && w[n - 2] != '\'';
}

/* Whether token i lies inside a relative clause ", which ... ," or ", who
 * ... ," that closes before token t: "Peru, which had hosted the
 * talks, blamed Chile". */
static int dm_frames_in_relative(const dm_tokens_t *tk, size_t i, size_t t)
{
        size_t k, open = (size_t)-1;
        for (k = 0; k + 1 < t; k++) {
                const char *w = tk->toks[k].word;
                if (!strcmp(w, ",") && (!strcmp(tk->toks[k + 1].word, "WHICH") ||
                                        !strcmp(tk->toks[k + 1].word, "WHO"))) {
                        open = k;
                } else if (!strcmp(w, ",") && open != (size_t)-1) {
                        if (i > open && i < k)
                                return 1;
                        open = (size_t)-1;
                }
        }
        return 0;
}

/* Official nouns after a country word make it a state actor: "US
 * officials", "the Turkish defence minister". */
static int dm_frames_official_after(const dm_tokens_t *tk, size_t last)
{
        static const char *const off[] = {
            "OFFICIALS",    "OFFICIAL",       "MINISTER",    "MINISTERS", "MINISTRY",
            "PRESIDENT",    "PRIME",          "FOREIGN",     "DEFENCE",   "DEFENSE",
            "GOVERNMENT",   "AUTHORITIES",    "DIPLOMATS",   "DIPLOMAT",  "COUNTERPART",
            "COUNTERPARTS", "DELEGATION",     "LEADER",      "LEADERS",   "LEADERSHIP",
            "ENVOY",        "AMBASSADOR",     "ADVISER",     "ADVISOR",   "SECRETARY",
            "SPOKESMAN",    "SPOKESWOMAN",    "FORCES",      "TROOPS",    "MILITARY",
            "ARMY",         "NAVY",           "PARLIAMENT",  "SENATE",    "CONGRESS",
            "REGIME",       "ADMINISTRATION", "STATE",       "EMBASSY",   "SECURITY",
            "INTELLIGENCE", "NATIONAL",       "SUPREME",     "DEPUTY",    "KING",
            "CROWN",        "CHANCELLOR",     "PREMIER",     "AIR",       "WARPLANES",
            "JETS",         "POLICE",         "NEGOTIATORS", "DELEGATES", NULL};
        size_t k;
        for (k = last + 1; k < tk->count && k <= last + 3; k++) {
                if (dm_text_word_in(tk->toks[k].word, off))
                        return 1;
                if (dm_frames_is_punct(tk, k))
                        return 0;
        }
        return 0;
}

/* Whether an actor code's agent (after the country) holds a private agent:
 * "GBRCVL", "USAMEDBUS". */
static int dm_frames_private(const dm_rules_t *rules, const char *code)
{
        const char *const *pv;
        if (strlen(code) < 6)
                return 0;
        for (pv = dm_rules_agents(rules, DM_AGENTS_PRIVATE); *pv; pv++)
                if (strstr(code + 3, *pv))
                        return 1;
        return 0;
}

void dm_frames_classify(const dm_rules_t *rules, const dm_tokens_t *tk, dm_frame_actor_t *a,
                        int adjective)
{
        int off = dm_frames_official_after(tk, a->last);
        int hyphen = tk->toks[a->first].hyphen_before ||
                     (a->last + 1 < tk->count && tk->toks[a->last + 1].hyphen_before);
        /* A country's name or seat acting ("Armenia restored ties") is the
         * state; its demonym is a private person unless an official noun
         * follows ("Chileans travelled", "Chilean officials travelled"). */
        a->official = off || !a->country || strlen(a->code) > 3 || !adjective;
        if (dm_frames_private(rules, a->code))
                a->official = 0;
        a->modifier = hyphen || (adjective && !off);
}

/* The source for a trigger at token t: the nearest actor before it that is
 * not a prepositional object; for a coordinated verb ("..., and has broken
 * off") the sentence's first such actor. */
static long dm_frames_subject(const dm_tokens_t *tk, const dm_frame_actor_t *a, size_t na, size_t t)
{
        static const char *const aux[] = {"HAS", "HAVE", "HAD",  "ALSO", "WILL",  "WOULD", "IS",
                                          "WAS", "ARE",  "WERE", "THEN", "LATER", NULL};
        static const char *const rel[] = {"WHICH", "WHO", "WHOSE", "WHOM", NULL};
        long best = -1, first = -1, last_prep = -1;
        size_t k, j = t;
        int coordinated = 0;
        for (k = 0; k < na; k++) {
                /* A list continues a prepositional object: "envoy to Chile,
                 * Peru and Europe", "backed by the EU, the United States,
                 * Chile and Peru". */
                size_t pos = a[k].first;
                int prep;
                if (pos > 0 && !strcmp(tk->toks[pos - 1].word, "THE"))
                        pos--;
                /* "and the UK's envoy" starts a new clause, not a list item:
                 * "the" continues a list only after a comma, and a possessive
                 * never does. */
                prep = dm_frames_after_prep(tk, &a[k]) ||
                       (last_prep == (long)k - 1 && k > 0 && pos >= 1 &&
                        a[k - 1].last + 1 == pos - 1 && !dm_frames_possessive(tk, a[k].last) &&
                        (!strcmp(tk->toks[pos - 1].word, ",") ||
                         (pos == a[k].first && (!strcmp(tk->toks[pos - 1].word, "AND") ||
                                                !strcmp(tk->toks[pos - 1].word, "OR")))));
                if (prep)
                        last_prep = (long)k;
                if (a[k].last >= t || a[k].modifier || prep ||
                    dm_frames_in_relative(tk, a[k].first, t))
                        continue;
                if (first < 0)
                        first = (long)k;
                best = (long)k;
        }
        while (j > 0 && dm_text_word_in(tk->toks[j - 1].word, aux))
                j--;
        /* "The US, Britain and other countries accused": the list before
         * the closing "and others" is the subject. */
        {
                static const char *const others[] = {"COUNTRIES", "NATIONS",     "STATES", "ALLIES",
                                                     "PARTNERS",  "GOVERNMENTS", "OTHERS", NULL};
                size_t q = j;
                if (q >= 2 && dm_text_word_in(tk->toks[q - 1].word, others)) {
                        q--;
                        while (q > 0 && q + 3 > j &&
                               (!strcmp(tk->toks[q - 1].word, "OTHER") ||
                                !strcmp(tk->toks[q - 1].word, "WESTERN") ||
                                !strcmp(tk->toks[q - 1].word, "ITS") ||
                                !strcmp(tk->toks[q - 1].word, "THEIR") ||
                                !strcmp(tk->toks[q - 1].word, "EUROPEAN")))
                                q--;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "AND"))
                                j = q - 1;
                }
        }
        if (j > 0 && (!strcmp(tk->toks[j - 1].word, "AND") || !strcmp(tk->toks[j - 1].word, "BUT")))
                coordinated = 1;
        /* "Chilean citizens travelled", "foreign students travelled": a
         * common noun right before the verb is its subject, and no actor. */
        if (j > 0 && dm_frames_common_noun(tk, j - 1)) {
                static const char *const quant[] = {
                    "MANY",    "SOME",  "FOREIGN", "THOUSANDS", "HUNDREDS", "DOZENS", "OTHER",
                    "SEVERAL", "LOCAL", "THE",     "THESE",     "THOSE",    "TWO",    "THREE",
                    "FOUR",    "ITS",   "THEIR",   "HIS",       "HER",      NULL};
                int covered = 0, after_modifier = 0, plural_subject;
                const char *w = tk->toks[j - 1].word;
                for (k = 0; k < na; k++) {
                        if (a[k].first <= j - 1 && j - 1 <= a[k].last)
                                covered = 1;
                        if (a[k].modifier && a[k].last + 2 == j)
                                after_modifier = 1;
                }
                /* A plural is the subject only after a country adjective or a
                 * determiner ("Chilean citizens", "foreign students"); bare
                 * it may be a verb ("does not plan"). */
                plural_subject = after_modifier ||
                                 (j >= 2 && dm_text_word_in(tk->toks[j - 2].word, quant)) ||
                                 dm_frames_is_head(w);
                if (!covered && plural_subject)
                        return -1;
        }
        /* "those who have travelled to Chile": the subject is what the
         * pronoun stands for, an actor only when one is right before it. */
        if (j > 0 &&
            (dm_text_word_in(tk->toks[j - 1].word, rel) || !strcmp(tk->toks[j - 1].word, "THAT"))) {
                size_t p = j - 1;
                if (p > 0 && !strcmp(tk->toks[p - 1].word, ","))
                        p--;
                /* ... and not the end of a prepositional list. */
                for (k = 0; k < na; k++)
                        if (a[k].last + 1 == p && !a[k].modifier && last_prep != (long)k)
                                return (long)k;
                return -1;
        }
        return coordinated ? first : best;
}

size_t dm_frames_code(const dm_rules_t *rules, const dm_tokens_t *tk,
                      const dm_frame_actor_t *actors, size_t nactors, dm_frame_event_t *out,
                      size_t max)
{
        size_t r, i, n = 0, nrules;
        const dm_frame_rule_t *frames = dm_rules_frames(rules, &nrules);
        unsigned char used_noun[512];
        memset(used_noun, 0, sizeof(used_noun));
        if (nactors < 2)
                return 0;
        for (r = 0; r < nrules; r++) {
                const dm_frame_rule_t *fr = &frames[r];
                for (i = 0; i < tk->count && n < max; i++) {
                        size_t tl = 0, nl = 0, noun = i, after, j;
                        long src = -1, tgt = -1;
                        if (fr->kind == DM_FRAME_NOMINAL) {
                                nl = dm_phrase_list_match(fr->nouns, tk, i);
                                if (!nl || (i < sizeof(used_noun) && used_noun[i]))
                                        continue;
                                /* "Japanese sanctions", "US economic sanctions";
                                 * not "lifting US sanctions", "sanctions were
                                 * lifted", "via Chad and restrictions". */
                                for (j = 0; j < nactors; j++)
                                        if (actors[j].last < i && actors[j].last + 3 >= i &&
                                            dm_frames_only_modifiers(tk, actors[j].last + 1, i))
                                                src = (long)j;
                                if (dm_frames_undone(tk, src >= 0 ? actors[src].first : i, i + nl))
                                        continue;
                                after = i + nl;
                        } else {
                                tl = dm_phrase_list_match(fr->triggers, tk, i);
                                if (!tl || tk->toks[i].hyphen_before)
                                        continue;
                                /* "is accused in Kenya", "those penalised by
                                 * Washington": a passive verb's subject is its
                                 * target, not its source. */
                                if (fr->kind != DM_FRAME_PASSIVE && dm_text_is_passive(tk, i))
                                        continue;
                                after = i + tl;
                                if (fr->kind == DM_FRAME_PASSIVE) {
                                        int found = 0;
                                        for (j = i >= 3 ? i - 3 : 0; j < i; j++)
                                                if (dm_phrase_list_match(fr->nouns, tk, j))
                                                        found = 1;
                                        if (!found)
                                                continue;
                                        src = dm_frames_actor_at(tk, actors, nactors, after, 2);
                                        if (src < 0)
                                                continue;
                                        after = actors[src].last + 1;
                                } else if (fr->nouns) {
                                        for (j = after;
                                             j < tk->count && j <= after + (size_t)fr->gap; j++) {
                                                if ((nl = dm_phrase_list_match(fr->nouns, tk, j)))
                                                        break;
                                                if (dm_frames_is_punct(tk, j))
                                                        break;
                                        }
                                        if (!nl)
                                                continue;
                                        noun = j;
                                        if (fr->kind == DM_FRAME_GAP_TARGET)
                                                tgt = dm_frames_actor_at(tk, actors, nactors, after,
                                                                         noun - after);
                                        after = noun + nl;
                                }
                                if (src < 0)
                                        src = dm_frames_subject(tk, actors, nactors, i);
                        }
                        if (src < 0)
                                continue;
                        /* The direct object, after at most a determiner: not
                         * "jointly hosted with Peru". */
                        if (tgt < 0 && fr->kind == DM_FRAME_OBJECT)
                                tgt = dm_frames_actor_at(
                                    tk, actors, nactors, after,
                                    after < tk->count &&
                                            dm_text_word_in(tk->toks[after].word, dm_frames_det)
                                        ? 2
                                        : 1);
                        /* "criticised the Turkish invasion": a country word
                         * before what the country did is the target. */
                        if (tgt < 0 && fr->kind == DM_FRAME_OBJECT && fr->deeds) {
                                size_t o = after;
                                long k2;
                                if (o < tk->count &&
                                    dm_text_word_in(tk->toks[o].word, dm_frames_det))
                                        o++;
                                for (k2 = 0; k2 < (long)nactors; k2++)
                                        if (actors[k2].first == o && actors[k2].modifier &&
                                            actors[k2].last + 1 < tk->count &&
                                            dm_phrase_list_match(fr->deeds, tk,
                                                                 actors[k2].last + 1))
                                                tgt = k2;
                        }
                        if (tgt < 0 && fr->preps) {
                                /* The preposition may come a few words later: "talks
                                 * to settle its quarrel with Uganda". */
                                for (j = after; j < tk->count && j < after + 8; j++) {
                                        size_t pl = dm_phrase_list_match(fr->preps, tk, j);
                                        if (dm_frames_is_punct(tk, j))
                                                break;
                                        if (pl) {
                                                tgt = dm_frames_actor_at(tk, actors, nactors,
                                                                         j + pl, 3);
                                                break;
                                        }
                                }
                        }
                        /* "Chile and Bolivia signed": the subject found is the
                         * second of the pair; the first is the source. */
                        if (tgt < 0 && fr->kind == DM_FRAME_SYMMETRIC && actors[src].first >= 2 &&
                            !strcmp(tk->toks[actors[src].first - 1].word, "AND")) {
                                for (j = 0; j < nactors; j++) {
                                        if (actors[j].last + 2 == actors[src].first) {
                                                tgt = src;
                                                src = (long)j;
                                                break;
                                        }
                                }
                        }
                        if (tgt < 0 && fr->kind == DM_FRAME_SYMMETRIC &&
                            actors[src].last + 2 < tk->count &&
                            !strcmp(tk->toks[actors[src].last + 1].word, "AND"))
                                tgt = dm_frames_actor_at(tk, actors, nactors, actors[src].last + 2,
                                                         2);
                        if (tgt < 0 || tgt == src)
                                continue;
                        if (fr->official && !actors[src].official)
                                continue;
                        /* "hosted Norway's naval base": for meetings
                         * and visits a possessive object is only the actor when
                         * an official or another actor follows ("met Egypt's
                         * president", "hosted Kenya's William Ruto"). */
                        if (fr->official && fr->kind == DM_FRAME_OBJECT &&
                            dm_frames_possessive(tk, actors[tgt].last) &&
                            !dm_frames_official_after(tk, actors[tgt].last) &&
                            dm_frames_actor_at(tk, actors, nactors, actors[tgt].last + 1, 1) < 0)
                                continue;
                        if (actors[src].country && actors[tgt].country &&
                            !strcmp(actors[src].country, actors[tgt].country))
                                continue;
                        if (!strcmp(actors[src].code, actors[tgt].code))
                                continue;
                        if (noun < sizeof(used_noun) && fr->nouns)
                                used_noun[noun] = 1;
                        out[n].source = (size_t)src;
                        out[n].target = (size_t)tgt;
                        out[n].code = fr->code;
                        out[n].rule = fr->name;
                        out[n].trig_first = i;
                        out[n].trig_last = (fr->kind == DM_FRAME_NOMINAL ? i + nl : i + tl) - 1;
                        n++;
                        /* "Japan and Australia expressed support": each of a
                         * pair of subjects is a source. */
                        if (fr->kind != DM_FRAME_SYMMETRIC && fr->kind != DM_FRAME_NOMINAL &&
                            fr->kind != DM_FRAME_PASSIVE && n < max && actors[src].first >= 2 &&
                            !strcmp(tk->toks[actors[src].first - 1].word, "AND")) {
                                for (j = 0; j < nactors; j++) {
                                        if (actors[j].last + 2 != actors[src].first ||
                                            actors[j].modifier || (long)j == tgt ||
                                            (actors[j].country && actors[tgt].country &&
                                             !strcmp(actors[j].country, actors[tgt].country)))
                                                continue;
                                        out[n] = out[n - 1];
                                        out[n].source = j;
                                        n++;
                                        break;
                                }
                        }
                }
        }
        return n;
}

int dm_frames_accept_coded(const dm_rules_t *rules, const dm_tokens_t *tk, const char *code,
                           const char *src_code, size_t trig, const dm_frame_actor_t *actors,
                           size_t nactors, size_t src_tok, size_t tgt_tok)
{
        static const char *const det[] = {"THE",   "A",       "AN",    "ITS",  "HIS",   "HER",
                                          "THEIR", "OUR",     "THAT",  "THIS", "THESE", "THOSE",
                                          "NO",    "ANY",     "WHOSE", "ALL",  "SOME",  "EACH",
                                          "EVERY", "FURTHER", "MORE",  NULL};
        const char *prev;
        size_t k;
        if (!code || dm_rules_code_in(rules, DM_CODES_STATEMENTS, code) || trig >= tk->count)
                return 0;
        if (trig > 0) {
                prev = tk->toks[trig - 1].word;
                if (dm_text_word_in(prev, det) || dm_frames_possessive(tk, trig - 1) ||
                    !strcmp(prev, "TO"))
                        return 0;
        }
        if (dm_text_is_passive(tk, trig))
                return 0;
        /* "received from the US": the giver is after the verb. */
        if (!strcmp(tk->toks[trig].word, "RECEIVED") || !strcmp(tk->toks[trig].word, "RECEIVES"))
                return 0;
        /* Civilians, refugees, business, media and the like neither visit,
         * meet nor negotiate for a state, and are the victims, not the
         * authors, of the violence the coder finds around them ("a British
         * citizen killed in Syria"). */
        if (src_code && dm_rules_code_in(rules, DM_CODES_STATE_ACTS, code) &&
            dm_frames_private(rules, src_code))
                return 0;
        /* The coder's source must be the clause's subject as the frames see
         * it, and its target must follow the verb inside the clause: "Saudi
         * Arabia accuses Iran", not "imminent attack by Russian forces" or
         * "calls for the Syrian president to leave". */
        {
                long subj = dm_frames_subject(tk, actors, nactors, trig);
                size_t from, to;
                if (subj < 0 || src_tok < actors[subj].first || src_tok > actors[subj].last)
                        return 0;
                dm_flags_clause(tk, trig, &from, &to);
                if (tgt_tok != (size_t)-1 && (tgt_tok <= trig || tgt_tok >= to))
                        return 0;
                const char *tw = tk->toks[trig].word;
                size_t tn = strlen(tw), bq;
                static const char *const between[] = {
                    ",",          "\"",        "'",         "-",        "HAS",     "HAVE",
                    "HAD",        "IS",        "WAS",       "ARE",      "WERE",    "WILL",
                    "WOULD",      "COULD",     "CAN",       "MAY",      "MIGHT",   "SHOULD",
                    "MUST",       "DID",       "DOES",      "DO",       "NOT",     "N'T",
                    "NEVER",      "ALSO",      "FIRST",     "LONG",     "ALREADY", "PREVIOUSLY",
                    "RECENTLY",   "STILL",     "NOW",       "THEN",     "LATER",   "EARLIER",
                    "REPEATEDLY", "INITIALLY", "JUST",      "EVEN",     "AGAIN",   "ON",
                    "MONDAY",     "TUESDAY",   "WEDNESDAY", "THURSDAY", "FRIDAY",  "SATURDAY",
                    "SUNDAY",     "TODAY",     "YESTERDAY", NULL};
                /* Only auxiliaries, adverbs, a date and other actors may stand
                 * between the subject and its verb: in "the US presence has
                 * reassured" or "the US air and naval strike force" the subject
                 * is another noun. */
                for (bq = actors[subj].last + 1; bq < trig; bq++) {
                        const char *bw = tk->toks[bq].word;
                        size_t m;
                        int in_actor = 0;
                        for (m = 0; m < nactors; m++)
                                if (actors[m].first <= bq && bq <= actors[m].last)
                                        in_actor = 1;
                        if (in_actor || dm_text_word_in(bw, between) || dm_text_is_adverb(bw))
                                continue;
                        return 0;
                }
                /* A target inside "of ..." or "by ..." or after "that" belongs to
                 * a noun, a passive or another clause ("the approval of Russia",
                 * "spearheaded by its allies", "no evidence that Syria ..."). */
                if (tgt_tok != (size_t)-1) {
                        static const char *const tprep[] = {"OF", "BY", "THAT", "WHETHER", NULL};
                        size_t t0 = tgt_tok, m;
                        while (t0 > trig + 1 && (!strcmp(tk->toks[t0 - 1].word, "THE") ||
                                                 !strcmp(tk->toks[t0 - 1].word, "ITS") ||
                                                 !strcmp(tk->toks[t0 - 1].word, "THEIR")))
                                t0--;
                        if (t0 > 0 && dm_text_word_in(tk->toks[t0 - 1].word, tprep))
                                return 0;
                        for (m = trig + 1; m < tgt_tok; m++)
                                if (!strcmp(tk->toks[m].word, "THAT") ||
                                    !strcmp(tk->toks[m].word, "WHETHER"))
                                        return 0;
                        /* The verb inside ", which ... ," and the target after it. */
                        if (dm_frames_in_relative(tk, trig, tgt_tok))
                                return 0;
                }
                /* Hyphenated ("open-ended") or after a hyphenated modifier ("a
                 * US-led strike"): an adjective or a noun, not the verb. */
                if (tk->toks[trig].hyphen_before || (trig > 0 && tk->toks[trig - 1].hyphen_before))
                        return 0;
                /* An -ing form is the verb only in a progressive ("is lobbying");
                 * alone it modifies a noun ("a fighting force", "messages
                 * suggesting"). */
                if (tn > 4 && !strcmp(tw + tn - 3, "ING")) {
                        static const char *const be[] = {"IS",   "ARE", "WAS", "WERE",
                                                         "BEEN", "BE",  NULL};
                        size_t q = trig;
                        while (q > 0 && dm_text_is_adverb(tk->toks[q - 1].word))
                                q--;
                        if (q == 0 || !dm_text_word_in(tk->toks[q - 1].word, be))
                                return 0;
                }
                /* "The Vienna talks": an actor after "the" and before a noun. */
                if (actors[subj].first > 0 &&
                    !strcmp(tk->toks[actors[subj].first - 1].word, "THE") &&
                    actors[subj].last + 1 == trig && tn > 3 && tw[tn - 1] == 'S')
                        return 0;
                /* "Bangladesh's rejection suggested": the possessor is not the
                 * subject. */
                if (dm_frames_possessive(tk, actors[subj].last) && actors[subj].last + 1 < trig &&
                    !dm_frames_official_after(tk, actors[subj].last))
                        return 0;
                /* "killed in Syria", "fought in Syria", "a send to": a target
                 * after a place preposition is where, not whom, except for
                 * visits, deployments and attacks on a country. */
                if (tgt_tok != (size_t)-1 && tgt_tok > 0 &&
                    !dm_rules_code_in(rules, DM_CODES_PLACE_TARGETS, code)) {
                        static const char *const loc[] = {"IN",     "INTO",       "TO", "TOWARDS",
                                                          "TOWARD", "FROM",       "AT", "INSIDE",
                                                          "ACROSS", "THROUGHOUT", NULL};
                        size_t q = tgt_tok;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "THE"))
                                q--;
                        if (q > 0 && dm_text_word_in(tk->toks[q - 1].word, loc))
                                return 0;
                }
                if (tgt_tok != (size_t)-1 && tgt_tok > 0 &&
                    dm_rules_code_in(rules, DM_CODES_VIOLENCE, code)) {
                        /* Fighting "in Syria" by a private person is no attack;
                         * for violence the target must be the object or come
                         * after "against"/"on". */
                        static const char *const at[] = {"IN",   "INTO",   "TO", "TOWARDS",
                                                         "FROM", "INSIDE", NULL};
                        size_t q = tgt_tok;
                        if (q > 0 && !strcmp(tk->toks[q - 1].word, "THE"))
                                q--;
                        if (q > 0 && dm_text_word_in(tk->toks[q - 1].word, at) &&
                            !actors[subj].official)
                                return 0;
                }
                /* A plural-looking trigger ("strikes", "attacks", "calls") is
                 * a verb only right after its subject. */
                {
                        const char *w = tk->toks[trig].word;
                        size_t n = strlen(w);
                        if (n > 3 && w[n - 1] == 'S' && actors[subj].last + 1 != trig &&
                            !(actors[subj].last + 2 == trig &&
                              dm_text_is_adverb(tk->toks[trig - 1].word)))
                                return 0;
                }
        }
        for (k = 0; k < nactors; k++) {
                const dm_frame_actor_t *a = &actors[k];
                if (((src_tok >= a->first && src_tok <= a->last) ||
                     (tgt_tok >= a->first && tgt_tok <= a->last)) &&
                    a->modifier)
                        return 0;
        }
        return 1;
}
