/* The annotator's people: the gazetteer's pass over a sentence (leaders,
 * titled people, places, organisations, national bodies) and the article's
 * memory of the people it has named, by surname: with an office, beside
 * an actor, in full in the actor dictionaries, in an apposition that says
 * whose they are, or with a courtesy title of the article's country. */

#include "coding/dm_annotator_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int dm_ann_capitalised(const char *text, const dm_token_t *t)
{
        unsigned char c = (unsigned char)text[t->span.start];
        return isupper(c) || c >= 0xc0;
}

/* Whether token k can be a word of a name: capitalised and a letter, not
 * a number or a quote ("Alun", "O'Connor"). */
static int dm_ann_name_word(const dm_annotator_t *a, const char *text, size_t k)
{
        return dm_ann_capitalised(text, &a->toks.toks[k]) &&
               isalpha((unsigned char)a->toks.words_v[k][0]);
}

/* A leader's code on the date: the government during the term, the elite
 * outside it; heads of organisations carry the organisation's code during
 * the term only. */
void dm_ann_leader(dm_ann_mention_t *m, const dm_gaz_entry_t *le, int64_t date_ms)
{
        int in = date_ms == -1 || (le->from_ms <= date_ms && date_ms <= le->to_ms);
        m->name = le->name;
        if (!strncmp(le->country, "IGO", 3)) {
                if (in)
                        snprintf(m->code, sizeof(m->code), "%s", le->country);
        } else {
                m->country = le->country;
                snprintf(m->code, sizeof(m->code), "%s%s", le->country, in ? "GOV" : "ELI");
                m->role = in ? le->role : NULL;
        }
        m->actor = m->code[0] != '\0';
}

/* The offices the sentence's leaders hold, remembered for the article. */
void dm_ann_offices_learn(dm_annotator_t *a)
{
        size_t i, k;
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (!m->role || !m->code[0] || strlen(m->role) >= sizeof(a->offices[0].role))
                        continue;
                for (k = 0; k < a->noffices && strcmp(a->offices[k].role, m->role); k++)
                        ;
                if (k == a->noffices) {
                        if (k == DM_ANN_MAX_OFFICES)
                                continue;
                        a->noffices++;
                }
                snprintf(a->offices[k].role, sizeof(a->offices[k].role), "%s", m->role);
                snprintf(a->offices[k].code, sizeof(a->offices[k].code), "%s", m->code);
                a->offices[k].country = m->country;
                a->offices[k].name = m->name;
        }
}

/* The holder of the office a bare title names ("the prime minister"), as
 * the article named them: an index of a->offices, -1 none. */
static int dm_ann_office_holder(const dm_annotator_t *a, const char *role)
{
        size_t k;
        for (k = 0; role && k < a->noffices; k++)
                if (!strcmp(a->offices[k].role, role))
                        return (int)k;
        return -1;
}

/* The article's remembered person of this surname (a token's word): its
 * index, or npeople when none. */
static size_t dm_ann_person_find(const dm_annotator_t *a, const char *name)
{
        size_t k;
        for (k = 0; k < a->npeople && strcmp(a->people[k].name, name); k++)
                ;
        return k;
}

/* Remembers that the person of mention m, by its last word, is the actor
 * code (with its country) for the rest of the article. */
static void dm_ann_person_learn(dm_annotator_t *a, const dm_ann_mention_t *m, const char *code,
                                const char *country)
{
        const char *name = a->toks.words_v[m->last];
        size_t k;
        if (strlen(name) < 3 || strlen(name) >= sizeof(a->people[0].name) || !code || !*code)
                return;
        k = dm_ann_person_find(a, name);
        if (k == a->npeople) {
                if (a->npeople < DM_ANN_MAX_PEOPLE) {
                        k = a->npeople++;
                } else {
                        k = a->people_next;
                        a->people_next = (a->people_next + 1) % DM_ANN_MAX_PEOPLE;
                }
        }
        snprintf(a->people[k].name, sizeof(a->people[k].name), "%s", name);
        snprintf(a->people[k].code, sizeof(a->people[k].code), "%s", code);
        a->people[k].country = country;
}

/* A person mention the dictionaries give no code takes the one the
 * article gave the same surname before. */
static void dm_ann_person_recall(dm_annotator_t *a, dm_ann_mention_t *m)
{
        size_t k = dm_ann_person_find(a, a->toks.words_v[m->last]);
        if (k == a->npeople)
                return;
        snprintf(m->code, sizeof(m->code), "%s", a->people[k].code);
        m->country = a->people[k].country;
        m->actor = 1;
}

/* Gazetteer pass over the tokens the coder left: people (known leaders,
 * titled names), places, organisations, national bodies. */
void dm_ann_gazetteer(dm_annotator_t *a, const char *text, int64_t date_ms)
{
        const char *const *w = a->toks.words_v;
        size_t n = a->toks.count, i = 0;
        while (i < n) {
                const dm_gaz_entry_t *e = NULL, *le = NULL;
                size_t len, nl;
                dm_ann_mention_t *m;
                /* Names of people, organisations and places are written
                 * with a capital: "tyre" is no city, "sharon" no minister. */
                int cap, cov = dm_ann_covered(a, i);
                cap = dm_ann_capitalised(text, &a->toks.toks[i]);
                /* "Foreign Minister Sergey Lavrov", "President Putin"; the
                 * title may be part of a coder actor ("Brazilian Foreign
                 * Minister" as BRAGOV), the name after it not. */
                if ((len = dm_gaz_match(a->gaz, DM_GAZ_TITLE, w, n, i, date_ms, &e)) &&
                    i + len < n && dm_ann_capitalised(text, &a->toks.toks[i + len]) &&
                    !dm_ann_covered(a, i + len)) {
                        const char *cc = dm_ann_covering_country(a, i);
                        if (!cc)
                                cc = dm_ann_adjacent_country(a, i);
                        size_t j = i + len, ln;
                        ln = dm_gaz_match(a->gaz, DM_GAZ_LEADER, w, n, j, date_ms, &le);
                        if (ln) {
                                nl = ln;
                        } else {
                                nl = 0;
                                while (j + nl < n && nl < 3 && dm_ann_name_word(a, text, j + nl) &&
                                       !dm_ann_covered(a, j + nl))
                                        nl++;
                        }
                        if (nl) {
                                int office = e->code[0] != '-';
                                /* An office of no named country ("Culture
                                 * Minister Alun Pugh") is the article's, as
                                 * a bare agent is. */
                                if (!cc && office)
                                        cc = dm_ann_ctx_country(a);
                                m = dm_ann_add(a, DM_ENTITY_PERSON, j, j + nl - 1);
                                if (le) {
                                        dm_ann_leader(m, le, date_ms);
                                } else if (cc && office) {
                                        /* An office ("Foreign Minister X"); a
                                         * courtesy title ("Mr X", agent "-")
                                         * names a person of no known office. */
                                        m->country = cc;
                                        snprintf(m->code, sizeof(m->code), "%s%s", cc, e->code);
                                        m->actor = 1;
                                        dm_ann_person_learn(a, m, m->code, m->country);
                                } else {
                                        /* The parse reads "Mr Pugh" as one
                                         * name: the actor spans it whole. */
                                        if (!office)
                                                m->lead = i;
                                        dm_ann_person_recall(a, m);
                                        if (!m->code[0] && !office && e->code[1]) {
                                                m->courtesy = e->code + 1;
                                                m->courtesy_cc = cc;
                                        }
                                }
                                i = j + nl;
                                continue;
                        }
                }
                /* A bare title of an office ("the prime minister said")
                 * is its holder the article named before: not a title
                 * before a name, nor the head of something else ("the
                 * president of the club"). */
                if (!cov && len && e && e->kind == DM_GAZ_TITLE && e->role && i > 0 &&
                    !strcmp(w[i - 1], "THE") &&
                    (i + len == n || (strcmp(w[i + len], "OF") &&
                                      !dm_ann_capitalised(text, &a->toks.toks[i + len])))) {
                        int h = dm_ann_office_holder(a, e->role);
                        if (h >= 0) {
                                m = dm_ann_add(a, DM_ENTITY_PERSON, i, i + len - 1);
                                snprintf(m->code, sizeof(m->code), "%s", a->offices[h].code);
                                m->country = a->offices[h].country;
                                m->name = a->offices[h].name;
                                m->actor = 1;
                                i += len;
                                continue;
                        }
                }
                if (cov) {
                        i++;
                        continue;
                }
                if (cap && (len = dm_gaz_match(a->gaz, DM_GAZ_LEADER, w, n, i, date_ms, &e))) {
                        m = dm_ann_add_over(a, DM_ENTITY_PERSON, i, i + len - 1);
                        dm_ann_leader(m, e, date_ms);
                        i += len;
                        continue;
                }
                if (cap && (len = dm_gaz_match(a->gaz, DM_GAZ_ORG, w, n, i, date_ms, &e))) {
                        m = dm_ann_add_over(a, DM_ENTITY_ORGANIZATION, i, i + len - 1);
                        m->name = e->name;
                        snprintf(m->code, sizeof(m->code), "%s", e->code);
                        m->actor = 1;
                        i += len;
                        continue;
                }
                if (cap && (len = dm_gaz_match(a->gaz, DM_GAZ_PLACE, w, n, i, date_ms, &e))) {
                        m = dm_ann_add(a, DM_ENTITY_LOCATION, i, i + len - 1);
                        m->name = e->name;
                        m->country = e->country;
                        i += len;
                        continue;
                }
                if ((len = dm_gaz_match(a->gaz, DM_GAZ_BODY, w, n, i, date_ms, &e))) {
                        const char *cc = dm_ann_adjacent_country(a, i);
                        /* Lower-case "government" alone is too vague to be a
                         * body unless the text capitalises it or says "the". */
                        if (cc &&
                            (dm_ann_capitalised(text, &a->toks.toks[i]) ||
                             (i > 0 && !strcmp(w[i - 1], "THE")) || dm_ann_country_before(a, i))) {
                                m = dm_ann_add(a, DM_ENTITY_ORGANIZATION, i, i + len - 1);
                                m->name = e->name;
                                m->country = cc;
                                snprintf(m->code, sizeof(m->code), "%s%s", cc, e->code);
                                m->actor = 1;
                        }
                        i += len;
                        continue;
                }
                /* A surname alone ("Williamson said"), as the Guardian
                 * writes it after the first mention, is the person the
                 * article named before. */
                if (dm_ann_name_word(a, text, i) &&
                    (i + 1 == n || !dm_ann_capitalised(text, &a->toks.toks[i + 1])) &&
                    dm_ann_person_find(a, w[i]) < a->npeople)
                        dm_ann_person_recall(a, dm_ann_add(a, DM_ENTITY_PERSON, i, i));
                i++;
        }
}

/* The person of no code named at token i, as an index of a->ments; -1
 * none. */
static int dm_ann_codeless_person(const dm_annotator_t *a, size_t i)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++) {
                const dm_ann_mention_t *m = &a->ments[k];
                if (m->type == DM_ENTITY_PERSON && !m->code[0] && m->lead <= i && i <= m->last)
                        return (int)k;
        }
        return -1;
}

/* A courtesy title with an agent ("-CVL": Mr, Ms; "-LEG": Lord) names
 * someone of the country word beside it, else of the article's country,
 * when neither the article nor an apposition said who they are. */
void dm_ann_courtesy_people(dm_annotator_t *a)
{
        size_t k;
        for (k = 0; k < a->ment_count; k++) {
                dm_ann_mention_t *m = &a->ments[k];
                const char *cc = m->courtesy_cc ? m->courtesy_cc : dm_ann_ctx_country(a);
                if (m->type != DM_ENTITY_PERSON || m->code[0] || !m->courtesy || !cc)
                        continue;
                m->country = cc;
                snprintf(m->code, sizeof(m->code), "%s%s", cc, m->courtesy);
                m->actor = 1;
        }
}

static int dm_ann_ends_with(const char *w, const char *suffix)
{
        size_t n = strlen(w), l = strlen(suffix);
        return n > l + 2 && !strcmp(w + n - l, suffix);
}

/* A person named with an apposition that says whose they are ("Bassam
 * Khawaja, a Lebanon researcher for Human Rights Watch, said"; "Herve
 * Gaymard, the French finance minister") is that actor, here and for the
 * rest of the article. The name is two or three capitalised words no
 * dictionary knows; the apposition runs to the next comma, at most ten
 * words, and needs a common word (a role: "Arsal, Lebanon" is a place); a
 * preposition other than of/for/at/from/with before the actor says where
 * the person went or whom they face, not whose they are. */
void dm_ann_people_in_apposition(dm_annotator_t *a, const char *text)
{
        static const char *const whose[] = {"OF", "FOR", "AT", "FROM", "WITH", NULL};
        static const char *const dets[] = {"THE", "A", "AN", NULL};
        static const char *const stop[] = {",", ".", ";", ":", "WHO", "WHICH", "THAT", NULL};
        static const char *const other[] = {
            "IN",      "ON",     "TO",     "AGAINST", "INTO",    "ABOUT",  "OVER",    "NEAR",
            "AFTER",   "BEFORE", "DURING", "BY",      "UNDER",   "TOWARD", "TOWARDS", "ACROSS",
            "BETWEEN", "AMONG",  "INSIDE", "OUTSIDE", "WITHOUT", "BEHIND", "SINCE",   NULL};
        /* "On Friday, he ...": a sentence's first words are capitalised
         * too; a name holds no preposition, article or calendar word. */
        static const char *const calendar[] = {
            "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY",   "SATURDAY",
            "SUNDAY", "JANUARY", "FEBRUARY",  "MARCH",    "APRIL",    "JUNE",
            "JULY",   "AUGUST",  "SEPTEMBER", "OCTOBER",  "NOVEMBER", "DECEMBER",
            "LAST",   "NEXT",    "THIS",      "EARLIER",  "LATER",    NULL};
        const char *const *w = a->toks.words_v;
        size_t n = a->toks.count, i, j, k, q;
        for (i = 0; i + 3 < n; i++) {
                int role = 0, blocked = 0, best;
                if (dm_text_word_in(w[i], whose) || dm_text_word_in(w[i], other) ||
                    dm_text_word_in(w[i], dets) || dm_text_word_in(w[i], calendar) ||
                    dm_text_word_in(w[i + 1], calendar))
                        continue;
                /* A name the gazetteer only knew as a courtesy title and a
                 * name ("Dr Yahya Aridi, a spokesman for ...") counts. */
                for (j = i; j < n && j < i + 3 && dm_ann_name_word(a, text, j) &&
                            (!dm_ann_covered(a, j) || dm_ann_codeless_person(a, j) >= 0);
                     j++)
                        ;
                /* "the Second World War, citing ..." is no person: a name
                 * takes no article, and an apposition starts with no verb. */
                if (j < i + 2 || j + 1 >= n || strcmp(w[j], ",") ||
                    (i > 0 &&
                     (dm_ann_name_word(a, text, i - 1) || dm_text_word_in(w[i - 1], dets))) ||
                    dm_ann_ends_with(w[j + 1], "ING") || dm_ann_ends_with(w[j + 1], "ED"))
                        continue;
                /* The actor after of/for/... says whose they are ("a
                 * Lebanon researcher for Human Rights Watch"), else the
                 * first actor ("the French finance minister"). */
                best = -1;
                for (k = j + 1; k < n && k < j + 11 && !dm_text_word_in(w[k], stop) && !blocked;
                     k++) {
                        for (q = 0; q < a->ment_count; q++) {
                                const dm_ann_mention_t *o = &a->ments[q];
                                size_t cl = strlen(o->code);
                                /* Whose a person is: a country, a body, a
                                 * group; never another person ("analyst at
                                 * Prescott, Ball and Turben"). */
                                if (o->first != k || !o->actor || !o->code[0] || o->pronoun ||
                                    o->type == DM_ENTITY_PERSON ||
                                    (cl >= 6 && !strcmp(o->code + cl - 3, "ELI")))
                                        continue;
                                int of = dm_text_word_in(w[k - 1], whose) ||
                                         (dm_text_word_in(w[k - 1], dets) &&
                                          dm_text_word_in(w[k - 2], whose));
                                if (of || (best < 0 && role))
                                        best = (int)q;
                                if (of)
                                        k = n;
                                break;
                        }
                        if (k >= n)
                                break;
                        if (islower((unsigned char)text[a->toks.toks[k].span.start]))
                                role = 1;
                        if (dm_text_word_in(w[k], other))
                                blocked = 1;
                }
                if (best >= 0) {
                        int pk = dm_ann_codeless_person(a, j - 1);
                        dm_ann_mention_t *m =
                            pk >= 0 ? &a->ments[pk] : dm_ann_add(a, DM_ENTITY_PERSON, i, j - 1);
                        const dm_ann_mention_t *o = &a->ments[best]; /* after the move */
                        snprintf(m->code, sizeof(m->code), "%s", o->code);
                        m->country = o->country;
                        m->actor = 1;
                        dm_ann_person_learn(a, m, m->code, m->country);
                }
                i = j;
        }
}

/* A person of no code named right after an actor, or after an actor and
 * a title ("Labour peer [Lord] Haskins"), is that actor for the rest of
 * the article: the later "Lord Haskins" acts as the peer. */
void dm_ann_people_beside_actors(dm_annotator_t *a)
{
        size_t i, k;
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (m->type != DM_ENTITY_PERSON || m->code[0] || m->pronoun)
                        continue;
                for (k = 0; k < a->ment_count; k++) {
                        const dm_ann_mention_t *o = &a->ments[k];
                        if (o->actor && o->code[0] && !o->pronoun && o->type != DM_ENTITY_PERSON &&
                            (o->last + 1 == m->first || o->last + 2 == m->first)) {
                                dm_ann_person_learn(a, m, o->code, o->country);
                                break;
                        }
                }
        }
}

/* A person the actor dictionaries name in full ("MICHAEL_HOWARD_") is that
 * actor for the rest of the article, also where the dictionaries leave the
 * surname with a courtesy title uncoded on the article's date ("Mr Howard"
 * as [---] outside his office). A name is two to four capitalised words;
 * bodies and parties ("Foreign Ministry") are learned too, harmlessly, as
 * only a courtesy title and a surname recall. */
void dm_ann_people_named_by_actors(dm_annotator_t *a, const char *text)
{
        size_t i, k;
        for (i = 0; i < a->ment_count; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                int name = m->last > m->first && m->last - m->first < 4;
                if (!m->actor || m->pronoun || strlen(m->code) <= 3 || !m->country)
                        continue;
                for (k = m->first; k <= m->last && name; k++)
                        name = dm_ann_name_word(a, text, k);
                if (name)
                        dm_ann_person_learn(a, m, m->code, m->country);
        }
}

/* The first run of two or more capitalised words no mention covers
 * ("Shamima Begum"): a name the dictionaries do not know, likely a person.
 * Returns its first token, or toks.count when there is none. */
static size_t dm_ann_unknown_name(const dm_annotator_t *a, const char *text)
{
        static const char *const starters[] = {
            "THE",   "A",  "AN", "IN",  "ON",   "AT",   "BUT",  "AND",  "AS",
            "FOR",   "IT", "HE", "SHE", "THEY", "THIS", "THAT", "WHEN", "AFTER",
            "WHILE", "IF", "MR", "MRS", "MS",   "DR",   NULL};
        size_t i, k;
        for (i = 0; i + 1 < a->toks.count; i++) {
                size_t j = i;
                while (j < a->toks.count && dm_ann_name_word(a, text, j) && !dm_ann_covered(a, j))
                        j++;
                if (j - i >= 2) {
                        for (k = 0; starters[k] && strcmp(a->toks.words_v[i], starters[k]); k++)
                                ;
                        if (!starters[k])
                                return i;
                }
                if (j > i)
                        i = j - 1;
        }
        return a->toks.count;
}

/* Parse mode, after: the first person of the sentence, and its first other
 * actor not after a preposition (its subject, usually), are what the next
 * sentences' pronouns stand for. */
void dm_ann_remember_refs(dm_annotator_t *a, const char *text, const dm_coded_sentence_t *cs)
{
        size_t unknown = dm_ann_unknown_name(a, text);
        static const char *const he[] = {"HE", "SHE", "HIS", "HER", NULL};
        static const char *const it[] = {"IT", "ITS", "THEY", "THEIR", NULL};
        size_t i, k, first = a->ment_count ? a->ments[0].first : a->toks.count;
        int person = 0, thing = 0;
        /* A sentence that opens on a pronoun goes on about the same one
         * ("He announced ... the Assad regime"): its later names do not
         * replace the referent. */
        for (i = 0; i < first && i < a->toks.count; i++) {
                for (k = 0; he[k]; k++)
                        person |= !strcmp(a->toks.words_v[i], he[k]);
                for (k = 0; it[k]; k++)
                        thing |= !strcmp(a->toks.words_v[i], it[k]);
        }
        /* Else the subject of the main verb, when the parse names one, is
         * what the sentence is about ("Since his call congratulating Putin,
         * Trump has been signalling ...": "he" is then Trump). */
        for (i = 0; i < a->ment_count && cs->subject_end > cs->subject_start; i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (!m->actor || !m->code[0] || m->pronoun ||
                    a->toks.toks[m->last].span.end <= cs->subject_start ||
                    a->toks.toks[m->first].span.start >= cs->subject_end)
                        continue;
                if (m->type == DM_ENTITY_PERSON && !person) {
                        snprintf(a->ref_person, sizeof(a->ref_person), "%s", m->code);
                        person = 1;
                } else if (m->type != DM_ENTITY_PERSON && !thing) {
                        snprintf(a->ref_thing, sizeof(a->ref_thing), "%s", m->code);
                        thing = 1;
                }
        }
        for (i = 0; i < a->ment_count && !(person && thing); i++) {
                const dm_ann_mention_t *m = &a->ments[i];
                if (!m->actor || !m->code[0] || m->pronoun)
                        continue;
                if (m->type == DM_ENTITY_PERSON && !person) {
                        /* Someone the dictionaries do not know came first:
                         * "she" is not the known person. */
                        snprintf(a->ref_person, sizeof(a->ref_person), "%s",
                                 unknown < m->first ? "" : m->code);
                        person = 1;
                } else if (m->type != DM_ENTITY_PERSON && !thing && !dm_ann_after_prep(a, m)) {
                        snprintf(a->ref_thing, sizeof(a->ref_thing), "%s", m->code);
                        thing = 1;
                }
        }
        if (!person && unknown < a->toks.count)
                a->ref_person[0] = '\0';
}
