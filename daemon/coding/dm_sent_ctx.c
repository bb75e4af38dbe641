/* The steps of a sentence's analysis that read the caller's context and
 * the units the dictionaries found (dm_sent_int.h): agents attached to
 * actors, compound actors, pronoun references, the caller's extra actors,
 * comma clauses, clauses. They run again on a kept lexical analysis
 * (dm_sent_mark.h). */
#include "coding/dm_sent_int.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Adds an agent code to an actor code (manual 5.4): ~XXX appends, XXX~
 * prefixes, unless already present on a 3-character boundary. */
static uint32_t dm_sent_agent_code(dm_sent_t *s, const char *actor, const char *agent, int former)
{
        char buf[128];
        const char *tilde = strchr(agent, '~');
        size_t alen = strlen(actor), k;
        char ag[64];
        int suffix;
        if (!tilde)
                return dm_sent_cstr(s, actor, alen);
        suffix = tilde == agent;
        snprintf(ag, sizeof(ag), "%.*s", suffix ? (int)strlen(agent + 1) : (int)(tilde - agent),
                 suffix ? agent + 1 : agent);
        if (former)
                snprintf(ag, sizeof(ag), "ELI");
        for (k = 0; k + strlen(ag) <= alen; k += 3)
                if (!strncmp(actor + k, ag, strlen(ag)) && strlen(ag))
                        return dm_sent_cstr(s, actor, alen);
        if (suffix)
                snprintf(buf, sizeof(buf), "%s%s", actor, ag);
        else
                snprintf(buf, sizeof(buf), "%s%s", ag, actor);
        return dm_sent_cstr(s, buf, strlen(buf));
}

/* Gives unit u the agent at token agent_tok: its codes become the
 * agent's codes of its own ("RUS" -> "RUSGOV"). */
static void dm_sent_attach_codes(dm_sent_t *s, dm_unit_t *u, size_t agent_tok)
{
        const dm_lex_entry_t *e = &s->lx->entries[s->toks[agent_tok].entry];
        const char *agent = s->lx->str + e->payload;
        int former = agent_tok > 0 && !strcmp(dm_sent_word(s, agent_tok - 1), "FORMER");
        uint32_t k, first = (uint32_t)s->ncodes, n = u->ncodes;
        if (u->first > 0 && !strcmp(dm_sent_word(s, (size_t)u->first - 1), "FORMER"))
                former = 1;
        for (k = 0; k < n; k++) {
                char actor[128];
                snprintf(actor, sizeof(actor), "%s", dm_sent_code(s, u->code_first + k));
                dm_sent_add_code_of(s, dm_sent_agent_code(s, actor, agent, former),
                                    (int32_t)(u - s->units));
        }
        u->code_first = first;
        u->ncodes = n;
}

static void dm_sent_attach(dm_sent_t *s, dm_unit_t *u, size_t agent_tok)
{
        dm_sent_attach_codes(s, u, agent_tok);
        if ((int)agent_tok < u->first)
                u->first = (int32_t)agent_tok;
        if (s->toks[agent_tok].span_last > u->last)
                u->last = s->toks[agent_tok].span_last;
        s->toks[agent_tok].type = DM_T_LITR;
}

/* The country of the place that says where the agent at token i is
 * (DM_LEX_PLACE entries, coded with their state): the nearest place after
 * in/from/at in the eight words before it ("In Eastern Ghouta, civilians
 * were killed"), or one right after it with in/from/at ("police in
 * London"); not a place further on, which says where the deed was done
 * ("groups boycotted a summit in Sochi").
 * NULL when none; the string is the sentence's until its next analysis. */
static const char *dm_sent_place_country(const dm_sent_t *s, size_t i)
{
        static const char *const preps[] = {"IN", "FROM", "AT", NULL};
        size_t k, best_d = (size_t)-1, end = (size_t)s->toks[i].span_last;
        const char *best = NULL;
        for (k = 0; k < s->nunits; k++) {
                const dm_unit_t *u = &s->units[k];
                size_t d;
                if (!u->place || u->pronoun || !u->ncodes)
                        continue;
                if ((size_t)u->first > end) {
                        if ((size_t)u->first != end + 2 ||
                            !dm_sent_word_in(dm_sent_word(s, end + 1), preps))
                                continue;
                        d = 2;
                } else if ((size_t)u->last < i && u->first > 0 &&
                           dm_sent_word_in(dm_sent_word(s, (size_t)u->first - 1), preps) &&
                           i - (size_t)u->last <= 16) {
                        d = i - (size_t)u->last;
                } else {
                        continue;
                }
                if (d < best_d) {
                        best_d = d;
                        best = dm_sent_code(s, u->code_first);
                }
        }
        return best && strlen(best) == 3 ? best : NULL;
}

void dm_sent_agents(dm_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->ntoks; i++) {
                dm_stok_t *t = &s->toks[i];
                size_t after = (size_t)t->span_last + 1;
                if (t->type != DM_T_AGENT)
                        continue;
                /* Actor immediately before ("Arnor's foreign minister"),
                 * possibly with FORMER between. */
                if (i > 0) {
                        size_t k, back = i - 1;
                        if (back > 0 && !strcmp(dm_sent_word(s, back), "FORMER"))
                                back--;
                        for (k = 0; k < s->nunits; k++)
                                if (s->units[k].last == (int32_t)back && !s->units[k].pronoun)
                                        break;
                        if (k < s->nunits) {
                                dm_sent_attach(s, &s->units[k], i);
                                continue;
                        }
                }
                /* Agent before an actor, or before IN/OF and an actor. */
                if (after < s->ntoks && (!strcmp(dm_sent_word(s, after), "OF") ||
                                         !strcmp(dm_sent_word(s, after), "IN")))
                        after++;
                if (after < s->ntoks && s->toks[after].unit >= 0) {
                        dm_unit_t *u = &s->units[s->toks[after].unit];
                        int32_t uid = s->toks[after].unit;
                        /* Parse mode: the agent of a list is each member's
                         * ("the ambassadors of Arnor, Osgiliath and
                         * Gondor"). */
                        if (s->ctx.parse) {
                                size_t j = (size_t)u->last + 1;
                                while (j + 1 < s->ntoks && (s->toks[j].type == DM_T_COMMA ||
                                                            s->toks[j].type == DM_T_CONJ)) {
                                        size_t q = j + 1;
                                        if (q < s->ntoks && s->toks[q].type == DM_T_CONJ)
                                                q++;
                                        if (q >= s->ntoks || s->toks[q].unit < 0 ||
                                            s->units[s->toks[q].unit].pronoun)
                                                break;
                                        dm_sent_attach_codes(s, &s->units[s->toks[q].unit], i);
                                        j = (size_t)s->units[s->toks[q].unit].last + 1;
                                }
                                u = &s->units[uid];
                        }
                        dm_sent_attach(s, u, i);
                        s->toks[after].unit = -1;
                        t->unit = uid;
                        t->type = DM_T_ACTOR;
                        continue;
                }
                /* Parse mode: an agent named without its country ("the
                 * government", "police") is that of the place the sentence
                 * names nearest to it ("civilians were killed in Eastern
                 * Ghouta": Syria's), else the article's. */
                if (s->ctx.country[0]) {
                        const dm_lex_entry_t *e = &s->lx->entries[t->entry];
                        const char *agent = s->lx->str + e->payload;
                        const char *cc = dm_sent_place_country(s, i);
                        int former = i > 0 && !strcmp(dm_sent_word(s, i - 1), "FORMER");
                        dm_unit_t *u;
                        if (!cc)
                                cc = s->ctx.country;
                        u = dm_sent_new_unit(s, (int)i, t->span_last);
                        u->phrase = e->phrase;
                        u->base = dm_sent_cstr(s, cc, strlen(cc));
                        u->implied = 1;
                        dm_sent_add_code(s, dm_sent_agent_code(s, cc, agent, former));
                        u = &s->units[s->nunits - 1];
                        u->ncodes = 1;
                        t->unit = (int32_t)(s->nunits - 1);
                        t->type = DM_T_ACTOR;
                        continue;
                }
                if (s->opts->convert_agents) {
                        const dm_lex_entry_t *e = &s->lx->entries[t->entry];
                        dm_unit_t *u = dm_sent_new_unit(s, (int)i, t->span_last);
                        const char *ac = s->lx->str + e->payload;
                        u->phrase = e->phrase;
                        dm_sent_add_code(s, dm_sent_cstr(s, ac, strlen(ac)));
                        u->ncodes = 1;
                        t->unit = (int32_t)(s->nunits - 1);
                        t->type = DM_T_ACTOR;
                }
        }
}

/* The unit starting at token i after skipping determiners and adjectives,
 * or -1; *end receives the last token of the unit. */
static int dm_sent_np_unit(const dm_sent_t *s, size_t i, int *end)
{
        while (i < s->ntoks && (s->toks[i].type == DM_T_DETERM || s->toks[i].type == DM_T_ADJ))
                i++;
        if (i >= s->ntoks || s->toks[i].unit < 0)
                return -1;
        *end = s->units[s->toks[i].unit].last;
        return s->toks[i].unit;
}

/* Parsed compounds (manual 7.5): np , np , ... AND np. */
void dm_sent_compounds(dm_sent_t *s)
{
        size_t i = 0;
        while (i < s->ntoks) {
                int members[64], nm = 0, end, u, has_and = 0;
                size_t j = i;
                u = dm_sent_np_unit(s, i, &end);
                if (u < 0 || s->units[u].absorbed) {
                        i++;
                        continue;
                }
                members[nm++] = u;
                j = (size_t)end + 1;
                while (j + 1 < s->ntoks && nm < 64) {
                        int u2, e2;
                        int isand = !strcmp(dm_sent_word(s, j), "AND") ||
                                    !strcmp(dm_sent_word(s, j), "NOR");
                        if (s->toks[j].type == DM_T_COMMA && j + 2 < s->ntoks &&
                            !strcmp(dm_sent_word(s, j + 1), "AND")) {
                                /* After "A and B", ", and C" continues the list
                                 * only as ", and C and D" (DEBUG-18a; DEBUG-17). */
                                if (has_and) {
                                        int e3, u3 = dm_sent_np_unit(s, j + 2, &e3);
                                        if (u3 < 0 || (size_t)e3 + 2 >= s->ntoks ||
                                            strcmp(dm_sent_word(s, (size_t)e3 + 1), "AND") ||
                                            dm_sent_np_unit(s, (size_t)e3 + 2, &e3) < 0)
                                                break;
                                }
                                isand = 1;
                                j++;
                        }
                        if (has_and && s->toks[j].unit >= 0 && j > 0 && s->toks[j - 1].wlen > 2 &&
                            !memcmp(s->words + s->toks[j - 1].woff + s->toks[j - 1].wlen - 2, "'S",
                                    2)) {
                                /* "Gondor and Arnor's Elrond": the possessor
                                 * and the possessed are both members
                                 * (DEBUG-23). */
                                int e2b;
                                u2 = dm_sent_np_unit(s, j, &e2b);
                                if (u2 < 0)
                                        break;
                                members[nm++] = u2;
                                j = (size_t)e2b + 1;
                                continue;
                        }
                        if (s->toks[j].type == DM_T_ADJ) {
                                /* "the evil Arnor awful Gondor": adjectives
                                 * alone between two actors of a list. */
                                u2 = dm_sent_np_unit(s, j, &e2);
                                if (u2 < 0)
                                        break;
                                members[nm++] = u2;
                                j = (size_t)e2 + 1;
                                continue;
                        }
                        if (s->toks[j].type != DM_T_COMMA && !isand)
                                break;
                        if (has_and && !isand)
                                break;
                        u2 = dm_sent_np_unit(s, j + 1, &e2);
                        if (u2 < 0)
                                break;
                        members[nm++] = u2;
                        j = (size_t)e2 + 1;
                        if (isand)
                                has_and = 1;
                }
                if (nm > 1 && has_and) {
                        dm_unit_t *c;
                        int k;
                        size_t t;
                        int first = s->units[members[0]].first;
                        int last = s->units[members[nm - 1]].last;
                        c = dm_sent_new_unit(s, first, last);
                        for (k = 0; k < nm; k++) {
                                dm_unit_t *m = &s->units[members[k]];
                                uint32_t q;
                                for (q = 0; q < m->ncodes; q++)
                                        dm_sent_add_code_of(s, s->codes[m->code_first + q],
                                                            s->code_unit[m->code_first + q]);
                                m->absorbed = 1;
                        }
                        c = &s->units[s->nunits - 1];
                        c->ncodes = (uint32_t)s->ncodes - c->code_first;
                        c->compound = 1;
                        c->parsed = 1;
                        c->phrase = s->units[members[0]].phrase;
                        for (t = (size_t)first; t <= (size_t)last; t++) {
                                if (s->toks[t].type == DM_T_COMMA || s->toks[t].type == DM_T_CONJ)
                                        s->toks[t].in_compound = 1;
                                s->toks[t].unit = -1;
                        }
                        s->toks[first].unit = (int32_t)(s->nunits - 1);
                        i = (size_t)last + 1;
                        continue;
                }
                i = (size_t)end + 1;
        }
        /* Compound noun and adjective phrases (manual 7.5.1). */
        for (i = 1; i + 1 < s->ntoks; i++) {
                size_t j = i + 1;
                uint8_t prev = s->toks[i - 1].type;
                if (s->toks[i].type != DM_T_CONJ)
                        continue;
                if (prev == DM_T_NOUN) {
                        while (j < s->ntoks && s->toks[j].type == DM_T_ADJ)
                                j++;
                        if (j < s->ntoks && s->toks[j].type == DM_T_NOUN)
                                s->toks[i].in_compound = 1;
                } else if (prev == DM_T_ADJ && s->toks[j].type == DM_T_ADJ) {
                        s->toks[i].in_compound = 1;
                }
        }
}

static int dm_sent_first_unit(const dm_sent_t *s, size_t before, int want_compound)
{
        size_t i;
        for (i = 0; i < before && i < s->ntoks; i++) {
                int u = s->toks[i].unit;
                if (u < 0 || s->units[u].absorbed || s->units[u].pronoun || s->toks[i].removed)
                        continue;
                if (!want_compound || s->units[u].compound)
                        return u;
        }
        return -1;
}

static int dm_sent_personal(const char *w)
{
        return !strcmp(w, "HE") || !strcmp(w, "SHE") || !strcmp(w, "HIM") || !strcmp(w, "HIS") ||
               !strcmp(w, "HER");
}

/* Manual 7.7. */
void dm_sent_pronouns_ref(dm_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->ntoks; i++) {
                const char *w;
                int ref;
                dm_unit_t *u;
                if (s->toks[i].type != DM_T_PRONOUN)
                        continue;
                w = dm_sent_word(s, i);
                if (!strcmp(w, "THEY") || !strcmp(w, "THEM") || !strcmp(w, "THEIR")) {
                        ref = dm_sent_first_unit(s, i, 1);
                        if (ref < 0)
                                ref = dm_sent_first_unit(s, i, 0);
                } else {
                        ref = dm_sent_first_unit(s, i, 0);
                }
                /* Parse mode: "he" and "she" are people, never a bare
                 * country ("In Syria, he said"); a person of an earlier
                 * sentence is likelier. */
                if (ref >= 0 && s->ctx.parse && dm_sent_personal(w) &&
                    strlen(s->cbuf + s->units[ref].base) == 3 && s->units[ref].ncodes == 1 &&
                    !strcmp(dm_sent_code(s, s->units[ref].code_first),
                            s->cbuf + s->units[ref].base))
                        ref = -1;
                if (ref < 0 && !(s->opts->forward && s->fwd_code[0])) {
                        /* Parse mode: the person or thing of the sentences
                         * before. */
                        const char *dc =
                            (!strcmp(w, "HE") || !strcmp(w, "SHE") || !strcmp(w, "HIM") ||
                             !strcmp(w, "HIS") || !strcmp(w, "HER"))
                                ? s->ctx.person
                                : s->ctx.thing;
                        if (dc[0]) {
                                u = dm_sent_new_unit(s, (int)i, (int)i);
                                dm_sent_add_code(s, dm_sent_cstr(s, dc, strlen(dc)));
                                u = &s->units[s->nunits - 1];
                                u->ncodes = 1;
                                u->pronoun = 1;
                                u->implied = 1;
                                s->toks[i].unit = (int32_t)(s->nunits - 1);
                                continue;
                        }
                }
                if (ref < 0 && s->opts->forward && s->fwd_code[0]) {
                        /* Manual 8.4: a pronoun before any actor takes the first
                         * actor of the previous sentence. */
                        u = dm_sent_new_unit(s, (int)i, (int)i);
                        dm_sent_add_code(s, dm_sent_cstr(s, s->fwd_code, strlen(s->fwd_code)));
                        u = &s->units[s->nunits - 1];
                        u->ncodes = 1;
                        u->pronoun = 1;
                        s->toks[i].unit = (int32_t)(s->nunits - 1);
                        continue;
                }
                if (ref < 0)
                        continue;
                u = dm_sent_new_unit(s, (int)i, (int)i);
                u->code_first = s->units[ref].code_first;
                u->ncodes = s->units[ref].ncodes;
                u->compound = s->units[ref].compound;
                u->ref = ref;
                /* A singular pronoun refers to one actor: the first member of
                 * a parsed compound. */
                if (s->units[ref].parsed && strcmp(w, "THEY") && strcmp(w, "THEM") &&
                    strcmp(w, "THEIR")) {
                        u->ncodes = 1;
                        u->compound = 0;
                        u->ref = -1;
                }
                u->phrase = s->units[ref].phrase;
                u->pronoun = 1;
                s->toks[i].unit = (int32_t)(s->nunits - 1);
        }
}

/* Whether literal token i continues a phrase that starts at or after
 * token first and is no actor (a noun, an actor the dictionaries leave
 * uncoded on the date: "MR_HOWARD_ [---]", or an agent not yet attached:
 * "the prime minister" the caller knows as the one the article named). */
static int dm_sent_litr_of_noun(const dm_sent_t *s, size_t i, int first)
{
        size_t j = i;
        while (j > 0 && s->toks[j].type == DM_T_LITR)
                j--;
        return (int)j >= first && (s->toks[j].type == DM_T_NOUN || s->toks[j].type == DM_T_AGENT) &&
               s->toks[j].span_last >= (int)i;
}

/* Actors the caller found outside the dictionaries: each becomes a unit
 * over its tokens unless one of them is an actor or a verb already. */
/* The one dictionary actor inside tokens first..last that a longer name
 * may replace ("Kim Jong Un" holds "UN"), or -1 for none; -2 when the
 * tokens hold something else (two actors, an actor reaching outside, a
 * pronoun). */
static int dm_sent_extra_inner(const dm_sent_t *s, int first, int last)
{
        int i, inner = -1;
        for (i = first; i <= last; i++) {
                int u = s->toks[i].unit;
                if (u < 0)
                        continue;
                if (inner >= 0 && u != inner)
                        return -2;
                inner = u;
        }
        if (inner >= 0 && (s->units[inner].pronoun || s->units[inner].compound ||
                           s->units[inner].first < first || s->units[inner].last > last ||
                           s->units[inner].last - s->units[inner].first >= last - first))
                return -2;
        return inner;
}

void dm_sent_extras(dm_sent_t *s)
{
        size_t k, i;
        for (k = 0; k < s->ctx.nextras; k++) {
                const dm_sent_extra_t *x = &s->ctx.extras[k];
                int first = -1, last = -1, ok = 1, inner;
                int32_t ui;
                dm_unit_t *u;
                for (i = 0; i < s->ntoks; i++) {
                        if (s->toks[i].end <= x->start || s->toks[i].start >= x->end)
                                continue;
                        if (first < 0)
                                first = (int)i;
                        last = (int)i;
                }
                if (first < 0 || !x->code[0])
                        continue;
                inner = x->name ? dm_sent_extra_inner(s, first, last) : -1;
                if (!x->name)
                        for (i = (size_t)first; i <= (size_t)last; i++)
                                if (s->toks[i].unit >= 0)
                                        inner = -2;
                for (i = (size_t)first; i <= (size_t)last && ok; i++) {
                        int in = inner >= 0 && (int)i >= s->units[inner].first &&
                                 (int)i <= s->units[inner].last;
                        if (s->toks[i].type == DM_T_VERB || (!in && s->toks[i].type == DM_T_LITR &&
                                                             !dm_sent_litr_of_noun(s, i, first)))
                                ok = 0;
                }
                if (!ok || inner == -2 || (inner >= 0 && strchr(x->code, '/')))
                        continue;
                if (inner >= 0) {
                        /* The longer name is the actor, as the longer
                         * dictionary phrase would be: the unit becomes the
                         * name's (no unit is left without its tokens). */
                        ui = inner;
                        u = &s->units[ui];
                        s->toks[u->first].unit = -1;
                        s->toks[u->first].type = DM_T_LITR;
                        u->first = first;
                        u->last = last;
                        u->phrase = 0;
                        u->place = 0;
                        u->code_first = (uint32_t)s->ncodes;
                        dm_sent_add_code_of(s, dm_sent_cstr(s, x->code, strlen(x->code)), ui);
                        u = &s->units[ui];
                        u->ncodes = 1;
                } else {
                        u = dm_sent_new_unit(s, first, last);
                        dm_sent_unit_codes(s, u, x->code);
                        ui = (int32_t)(s->nunits - 1);
                }
                u = &s->units[ui];
                u->base = dm_sent_cstr(s, x->code, strnlen(x->code, 3));
                u = &s->units[ui];
                u->implied = 1;
                s->toks[first].unit = ui;
                s->toks[first].type = DM_T_ACTOR;
                s->toks[first].span_last = last;
                for (i = (size_t)first + 1; i <= (size_t)last; i++)
                        s->toks[i].type = DM_T_LITR;
        }
}

static void dm_sent_remove(dm_sent_t *s, size_t from, size_t to)
{
        size_t k;
        s->ncomma_clauses++;
        for (k = from; k < to && k < s->ntoks; k++)
                s->toks[k].removed = 1;
}

/* Manual 7.8: comma-delimited clauses of more than MIN and at most MAX
 * words are removed (BMIN/BMAX at the start, EMIN/EMAX at the end). */
void dm_sent_commas(dm_sent_t *s)
{
        const dm_options_t *o = s->opts;
        size_t i, prev = 0;
        int have_prev = 0, consumed = 0;
        if (o->comma_off)
                return;
        for (i = 0; i <= s->ntoks; i++) {
                int n;
                if (i < s->ntoks && (s->toks[i].type != DM_T_COMMA || s->toks[i].in_compound))
                        continue;
                /* The comma closing an eliminated clause does not open
                 * another one. */
                if (consumed) {
                        consumed = 0;
                        prev = i;
                        have_prev = 1;
                        continue;
                }
                if (!have_prev) {
                        n = (int)i;
                        if (i < s->ntoks && n > o->comma_bmin && n <= o->comma_bmax)
                                dm_sent_remove(s, 0, i + 1);
                } else if (i == s->ntoks) {
                        n = (int)(i - prev - 1);
                        if (n > o->comma_emin && n <= o->comma_emax)
                                dm_sent_remove(s, prev, i);
                } else {
                        n = (int)(i - prev - 1);
                        if (n > o->comma_min && n <= o->comma_max) {
                                dm_sent_remove(s, prev, i + 1);
                                consumed = 1;
                                if (i + 1 < s->ntoks)
                                        continue;
                        }
                }
                if (i == s->ntoks)
                        break;
                prev = i;
                have_prev = 1;
        }
}

void dm_sent_clauses(dm_sent_t *s)
{
        size_t i;
        int32_t c = 0;
        s->nclauses = 0;
        dm_grow((void **)&s->clause_start, &s->clauses_cap, 1, sizeof(int32_t));
        s->clause_start[s->nclauses++] = 0;
        for (i = 0; i < s->ntoks; i++) {
                dm_stok_t *t = &s->toks[i];
                if (t->type == DM_T_VERB && !t->removed)
                        s->nverbs++;
                if (t->type == DM_T_CONJ && !t->in_compound && !t->removed) {
                        s->nconj++;
                        c++;
                        dm_grow((void **)&s->clause_start, &s->clauses_cap, s->nclauses + 1,
                                sizeof(int32_t));
                        s->clause_start[s->nclauses++] = (int32_t)i + 1;
                }
                t->clause = c;
        }
}
