#include "coding/dm_sent.h"
#include "coding/dm_sent_int.h"
#include "coding/dm_sent_mark.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* TABARI truncates records longer than this (manual section 4.3). */
#define DM_SENT_MAX_WORDS 127
#define DM_SENT_MAX_WORD  63

void dm_sent_init(dm_sent_t *s)
{
        memset(s, 0, sizeof(*s));
}

void dm_sent_free(dm_sent_t *s)
{
        if (!s)
                return;
        free(s->toks);
        free(s->words);
        free(s->units);
        free(s->codes);
        free(s->code_unit);
        free(s->cbuf);
        free(s->clause_start);
        free(s->issues);
        dm_lex_cache_free(&s->cache);
        dm_sent_mark_free(s);
        dm_sent_init(s);
}

static void dm_sent_push(dm_sent_t *s, uint32_t st, uint32_t en, const char *w, size_t n, int cap)
{
        dm_stok_t *t;
        if (s->ntoks >= DM_SENT_MAX_WORDS) {
                s->truncated = 1;
                return;
        }
        dm_grow((void **)&s->toks, &s->toks_cap, s->ntoks + 1, sizeof(*t));
        dm_grow((void **)&s->words, &s->words_cap, s->words_len + n + 1, 1);
        t = &s->toks[s->ntoks++];
        memset(t, 0, sizeof(*t));
        t->start = st;
        t->end = en;
        t->woff = (uint32_t)s->words_len;
        t->wlen = (uint16_t)n;
        t->cap = (uint8_t)cap;
        t->unit = -1;
        t->span_last = (int32_t)(s->ntoks - 1);
        memcpy(s->words + s->words_len, w, n);
        s->words[s->words_len + n] = '\0';
        s->words_len += n + 1;
}

/* Manual 7.3: upper case; hyphens as blanks; periods after lower-case
 * letters dropped; commas inside numbers dropped; semicolons as commas;
 * commas as tokens; other punctuation removed. */
int dm_sent_word_in(const char *w, const char *const *list)
{
        for (; *list; list++)
                if (!strcmp(w, *list))
                        return 1;
        return 0;
}

static void dm_sent_tokenize(dm_sent_t *s, const char *text, uint32_t start, uint32_t end)
{
        uint32_t i = start;
        int mixed = 0, headline = 1, long_words = 0;
        for (i = start; i < end; i++)
                if (islower((unsigned char)text[i])) {
                        mixed = 1;
                        break;
                }
        /* A headline capitalises every word of four letters or more but
         * prepositions, conjunctions and auxiliaries ("Ghana Makes Concessions to
         * Mauritania", "... of Retaliation after Diplomats Expelled"): there
         * capitals say nothing of names, as in text all in upper case. */
        for (i = start; mixed && headline && i < end;) {
                static const char *const small[] = {
                    "about",   "above",   "across",  "after",  "against", "along",   "amid",
                    "among",   "around",  "before",  "behind", "below",   "beneath", "beside",
                    "between", "beyond",  "despite", "during", "from",    "into",    "near",
                    "onto",    "over",    "past",    "since",  "than",    "that",    "through",
                    "toward",  "towards", "under",   "until",  "upon",    "while",   "with",
                    "within",  "without", "have",    "been",   "were",    "will",    "would",
                    "could",   "should",  NULL};
                uint32_t w0;
                char w[16];
                while (i < end && !isalpha((unsigned char)text[i]))
                        i++;
                for (w0 = i; i < end && (isalpha((unsigned char)text[i]) || text[i] == '\'');)
                        i++;
                /* The parts of a hyphenated word after the first
                 * ("Multi-country") are as the writer spells them. */
                if (w0 > start && text[w0 - 1] == '-')
                        continue;
                if (i - w0 >= 4 && isupper((unsigned char)text[w0])) {
                        long_words++;
                } else if (i - w0 >= 4) {
                        snprintf(w, sizeof(w), "%.*s", (int)(i - w0), text + w0);
                        if (!dm_sent_word_in(w, small))
                                headline = 0;
                }
        }
        s->headline = mixed && headline && long_words >= 3;
        if (s->headline)
                mixed = 0;
        i = start;
        while (i < end && s->ntoks < DM_SENT_MAX_WORDS) {
                unsigned char c = (unsigned char)text[i];
                char w[DM_SENT_MAX_WORD + 1];
                size_t n = 0;
                uint32_t st = i, last = i;
                int cap;
                if (c == ',' || c == ';') {
                        dm_sent_push(s, i, i + 1, ",", 1, 0);
                        i++;
                        continue;
                }
                if (!(isalnum(c) || c >= 0x80 || c == '\'' || c == '&' || c == '$' || c == '.')) {
                        i++;
                        continue;
                }
                /* A leading apostrophe or period is a quote or an ellipsis. */
                if (c == '\'' || c == '.') {
                        i++;
                        continue;
                }
                cap = mixed && isupper(c);
                while (i < end && n < DM_SENT_MAX_WORD) {
                        unsigned char d = (unsigned char)text[i];
                        if (isalnum(d) || d >= 0x80 || d == '\'' || d == '.' || d == '&' ||
                            d == '$') {
                                w[n++] = (char)toupper(d);
                                last = i;
                                i++;
                        } else if (d == ',' && n && isdigit((unsigned char)w[n - 1]) &&
                                   i + 1 < end && isdigit((unsigned char)text[i + 1])) {
                                i++;
                        } else {
                                break;
                        }
                }
                /* Trailing period: end of sentence unless an abbreviation
                 * such as U.N. (upper-case letter before, another period). */
                while (n && (w[n - 1] == '.' || w[n - 1] == '\'')) {
                        if (w[n - 1] == '.' && n >= 2 && memchr(w, '.', n - 1) &&
                            isupper((unsigned char)text[last - 1]))
                                break;
                        n--;
                        last--;
                }
                if (n)
                        dm_sent_push(s, st, last + 1, w, n, cap);
                else if (i == st)
                        i++;
        }
        if (i < end)
                s->truncated = 1;
}

static int dm_sent_word_is(const dm_sent_t *s, size_t i, const char *const *list)
{
        const char *w = dm_sent_word(s, i);
        /* Every closed-class word is at most five letters. */
        if (s->toks[i].wlen > 5)
                return 0;
        for (; *list; list++)
                if (w[0] == (*list)[0] && !strcmp(w, *list))
                        return 1;
        return 0;
}

static const char *const dm_sent_determs[] = {"A", "AN", "THE", NULL};
static const char *const dm_sent_pronouns[] = {"HE",  "SHE",  "HIM",  "IT",    "ITS", "HIS",
                                               "HER", "THEY", "THEM", "THEIR", NULL};
static const char *const dm_sent_conjs[] = {"AND", "BUT", "OR", "NOR", NULL};
static const char *const dm_sent_auxs[] = {"WAS", "WERE", "BEEN", NULL};

int dm_sent_match_phrase(const dm_sent_t *s, const dm_lex_seq_t *seq, size_t i, int32_t *pos)
{
        const dm_lex_t *lx = s->lx;
        size_t k, at = i;
        int last = -1;
        for (k = 0; k < seq->count; k++) {
                const dm_lex_el_t *el = &lx->els[seq->first + k];
                int adj = k == 0 || lx->els[seq->first + k - 1].adj_next;
                size_t p;
                if (el->type != DM_EL_WORD)
                        return -1;
                for (p = at; p < s->ntoks; p++) {
                        const dm_stok_t *t = &s->toks[p];
                        if (t->wlen >= el->len && s->words[t->woff] == lx->str[el->ref] &&
                            dm_lex_word_match(lx, el, s->words + t->woff, t->wlen))
                                break;
                        /* Gaps in dictionary phrases stop at commas (by their
                         * text: later tokens are not typed yet) but, as in
                         * TABARI, not at conjunctions (DEBUG-01). */
                        if (adj || (t->wlen == 1 && s->words[t->woff] == ','))
                                return -1;
                }
                if (p >= s->ntoks)
                        return -1;
                if (pos)
                        pos[k] = (int32_t)p;
                last = (int)p;
                at = p + 1;
        }
        return last;
}

typedef struct dm_sent_best {
        dm_sent_t *s;
        size_t i;
        long entry;
        int last;
        uint32_t length;
} dm_sent_best_t;

static int dm_sent_kind_rank(uint8_t kind)
{
        static const int rank[DM_LK_COUNT] = {6, 5, 4, 3, 2, 1, 0, 7};
        return kind < DM_LK_COUNT ? rank[kind] : 0;
}

static void dm_sent_visit(void *ctx, uint32_t entry)
{
        dm_sent_best_t *b = ctx;
        const dm_lex_entry_t *e = &b->s->lx->entries[entry];
        int last;
        if (e->kind == DM_LK_ISSUE) {
                dm_sent_t *s = b->s;
                uint8_t k;
                for (k = 0; k < e->nkeys; k++)
                        if (!dm_sent_has_key(s, e->keys[k]))
                                return;
                if (dm_sent_match_phrase(s, &e->seq, b->i, NULL) >= 0) {
                        dm_grow((void **)&s->issues, &s->issues_cap, s->nissues + 1,
                                sizeof(uint32_t));
                        s->issues[s->nissues++] = entry;
                }
                return;
        }
        /* A shorter phrase cannot win: skip matching it. */
        if (b->entry >= 0 && e->length < b->length)
                return;
        {
                uint8_t k;
                for (k = 0; k < e->nkeys; k++)
                        if (!dm_sent_has_key(b->s, e->keys[k]))
                                return;
        }
        last = dm_sent_match_phrase(b->s, &e->seq, b->i, NULL);
        if (last < 0)
                return;
        /* The possessive -'S is a noun ending, not a verb ending. */
        if (e->kind == DM_LK_VERB) {
                const dm_stok_t *t = &b->s->toks[last];
                const char *w = b->s->words + t->woff;
                const dm_lex_el_t *el = &b->s->lx->els[e->seq.first + e->seq.count - 1];
                if (t->wlen > 2 && el->mode == DM_WM_ENDS && w[t->wlen - 2] == '\'' &&
                    w[t->wlen - 1] == 'S')
                        return;
        }
        /* Longer phrases first (manual 5.2.2); then more tokens; then kind. */
        if (b->entry >= 0) {
                const dm_lex_entry_t *o = &b->s->lx->entries[b->entry];
                if (e->length < b->length)
                        return;
                if (e->length == b->length) {
                        if (last < b->last)
                                return;
                        if (last == b->last &&
                            dm_sent_kind_rank(e->kind) <= dm_sent_kind_rank(o->kind))
                                return;
                }
        }
        b->entry = entry;
        b->last = last;
        b->length = e->length;
}

/* Resolves an actor entry's date-restricted codes; returns the code list
 * string offset or 0 for none. */
static uint32_t dm_sent_actor_code(const dm_sent_t *s, const dm_lex_entry_t *e)
{
        const dm_lex_t *lx = s->lx;
        uint32_t k, def = 0;
        for (k = 0; k < e->ncodes; k++) {
                const dm_lex_code_t *c = &lx->codes[e->payload + k];
                int restricted = !(c->lo == 0 && c->hi == 99999999);
                if (!restricted) {
                        if (!def)
                                def = c->code;
                        continue;
                }
                if (s->date && s->date >= c->lo && s->date <= c->hi)
                        return c->code;
        }
        return def;
}

uint32_t dm_sent_cstr(dm_sent_t *s, const char *p, size_t n)
{
        return dm_pool_add(&s->cbuf, &s->cbuf_len, &s->cbuf_cap, p, n);
}

void dm_sent_add_code_of(dm_sent_t *s, uint32_t off, int32_t unit)
{
        size_t cap = s->codes_cap;
        dm_grow((void **)&s->codes, &s->codes_cap, s->ncodes + 1, sizeof(uint32_t));
        if (cap != s->codes_cap || !s->code_unit)
                s->code_unit = dm_realloc(s->code_unit, s->codes_cap * sizeof(int32_t));
        s->code_unit[s->ncodes] = unit;
        s->codes[s->ncodes++] = off;
}

/* A code of the unit being built (the last one). */
void dm_sent_add_code(dm_sent_t *s, uint32_t off)
{
        dm_sent_add_code_of(s, off, (int32_t)s->nunits - 1);
}

dm_unit_t *dm_sent_new_unit(dm_sent_t *s, int first, int last)
{
        dm_unit_t *u;
        dm_grow((void **)&s->units, &s->units_cap, s->nunits + 1, sizeof(*u));
        u = &s->units[s->nunits++];
        memset(u, 0, sizeof(*u));
        u->first = first;
        u->last = last;
        u->code_first = (uint32_t)s->ncodes;
        u->ref = -1;
        return u;
}

/* Splits a coded compound "A/B/C" into the unit's codes. */
void dm_sent_unit_codes(dm_sent_t *s, dm_unit_t *u, const char *code)
{
        const char *p = code;
        while (*p) {
                const char *q = strchr(p, '/');
                size_t n = q ? (size_t)(q - p) : strlen(p);
                if (n)
                        dm_sent_add_code(s, dm_sent_cstr(s, p, n));
                p += n + (q ? 1 : 0);
        }
        u->ncodes = (uint32_t)s->ncodes - u->code_first;
        u->compound = u->ncodes > 1;
        u->base = u->ncodes ? s->codes[u->code_first] : 0;
}

static void dm_sent_classify(dm_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->ntoks; i++) {
                dm_stok_t *t = &s->toks[i];
                dm_sent_best_t b = {s, i, -1, -1, 0};
                const dm_lex_entry_t *e;
                if (t->type == DM_T_LITR)
                        continue;
                if (t->wlen == 1 && s->words[t->woff] == ',') {
                        t->type = DM_T_COMMA;
                        continue;
                }
                {
                        const uint32_t *ids;
                        size_t nids, k;
                        dm_lex_cached_candidates(s->lx, &s->cache, s->words + t->woff, t->wlen,
                                                 &ids, &nids);
                        for (k = 0; k < nids; k++)
                                dm_sent_visit(&b, ids[k]);
                }
                if (b.entry < 0 || b.last == (int)i) {
                        int closed = 1;
                        if (dm_sent_word_is(s, i, dm_sent_determs))
                                t->type = DM_T_DETERM;
                        else if (dm_sent_word_is(s, i, dm_sent_pronouns))
                                t->type = DM_T_PRONOUN;
                        else if (dm_sent_word_is(s, i, dm_sent_conjs))
                                t->type = DM_T_CONJ;
                        else if (dm_sent_word_is(s, i, dm_sent_auxs))
                                t->type = DM_T_AUX;
                        else if (!strcmp(dm_sent_word(s, i), "BY"))
                                t->type = DM_T_BY;
                        else
                                closed = 0;
                        if (closed)
                                continue;
                }
                if (b.entry < 0) {
                        if (isdigit((unsigned char)s->words[t->woff]))
                                t->type = DM_T_NUMBER;
                        continue;
                }
                e = &s->lx->entries[b.entry];
                t->entry = (uint32_t)b.entry;
                t->span_last = b.last;
                switch (e->kind) {
                case DM_LK_ACTOR: {
                        uint32_t code = dm_sent_actor_code(s, e);
                        const char *cs = s->lx->str + code;
                        if (!code || !strcmp(cs, "---")) {
                                t->type = DM_T_NOUN;
                        } else if (!strcmp(cs, "###")) {
                                s->discard = 1;
                                t->type = DM_T_NOUN;
                        } else if (!strcmp(cs, "+++")) {
                                s->complex = 1;
                                t->type = DM_T_NOUN;
                        } else {
                                dm_unit_t *u = dm_sent_new_unit(s, (int)i, b.last);
                                u->phrase = e->phrase;
                                u->place = (e->flags & DM_LEX_PLACE) != 0;
                                dm_sent_unit_codes(s, u, cs);
                                t->unit = (int32_t)(s->nunits - 1);
                                t->type = DM_T_ACTOR;
                        }
                        break;
                }
                case DM_LK_AGENT:
                        t->type = DM_T_AGENT;
                        break;
                case DM_LK_VERB: {
                        const dm_lex_verb_t *v = &s->lx->verbs[e->payload];
                        const char *vc = s->lx->str + v->code;
                        t->type = (!strcmp(vc, "---") && !v->pat_count) ? DM_T_NULL : DM_T_VERB;
                        break;
                }
                case DM_LK_NOUN:
                        t->type = DM_T_NOUN;
                        break;
                case DM_LK_ADJ:
                        t->type = DM_T_ADJ;
                        break;
                case DM_LK_TIME:
                        t->type = DM_T_TIME;
                        /* Time phrases act only when time shifting is on. */
                        if (s->opts->time_shift != 0) {
                                const char *tc = s->lx->str + e->payload;
                                if (!strcmp(tc, "###"))
                                        s->discard = 1;
                                else if (!strcmp(tc, "+++"))
                                        s->complex = 1;
                                else if (!s->have_time_shift &&
                                         (tc[0] == '+' || tc[0] == '-' ||
                                          isdigit((unsigned char)tc[0])) &&
                                         strcmp(tc, "---")) {
                                        /* Manual 10.5: the first shift counts;
                                         * more than 8192 days becomes zero. */
                                        long v = strtol(tc, NULL, 10);
                                        s->time_shift = v > 8192 || v < -8192 ? 0 : (int)v;
                                        s->have_time_shift = 1;
                                }
                        }
                        break;
                case DM_LK_DISCARD:
                        s->discard = 1;
                        break;
                default:
                        break;
                }
                /* The rest of a multi-word phrase is literal text. */
                /* The other words of a multi-word phrase are literal text;
                 * words in its gaps stay available (a conjunction there
                 * still divides clauses: DEBUG-01). */
                if ((int)i < b.last && e->seq.count <= 64) {
                        int32_t pos[64];
                        uint32_t k;
                        dm_sent_match_phrase(s, &e->seq, i, pos);
                        for (k = 1; k < e->seq.count; k++)
                                s->toks[pos[k]].type = DM_T_LITR;
                }
        }
        /* Manual 7.4: a verb after a determiner or capitalised mid-sentence
         * is a noun. */
        for (i = 1; i < s->ntoks; i++) {
                dm_stok_t *t = &s->toks[i];
                if (t->type != DM_T_VERB)
                        continue;
                if (s->toks[i - 1].type == DM_T_DETERM || t->cap)
                        t->type = DM_T_NOUN;
        }
        /* Discard and complex verb roots act only if still verbs
         * ("their first Planetary Cup final", COMPLEX-06). */
        for (i = 0; i < s->ntoks; i++) {
                const char *vc;
                if (s->toks[i].type != DM_T_VERB)
                        continue;
                vc = s->lx->str + s->lx->verbs[s->lx->entries[s->toks[i].entry].payload].code;
                if (!strcmp(vc, "###"))
                        s->discard = 1;
                else if (!strcmp(vc, "+++"))
                        s->complex = 1;
        }
}

/* The lexical analysis: tokens, their prefixes (keyset) and their
 * dictionary entries. Returns 0 when the lexicon is not finished (nothing
 * more can be read). */
static int dm_sent_lexical(dm_sent_t *s, const char *text, uint32_t start, uint32_t end)
{
        size_t i;
        for (i = 0; i < s->ntoks; i++) {
                const char *w = s->words + s->toks[i].woff;
                uint16_t k = dm_lex_key(w, s->toks[i].wlen);
                s->keyset[k >> 6] = 0;
                k = dm_lex_key(w, s->toks[i].wlen < 2 ? s->toks[i].wlen : 2);
                s->keyset[k >> 6] = 0;
        }
        if (s->cache_lx != s->lx) {
                dm_lex_cache_free(&s->cache);
                dm_lex_cache_init(&s->cache);
                s->cache_lx = s->lx;
        }
        s->ntoks = s->words_len = s->nunits = s->ncodes = s->cbuf_len = 0;
        s->discard = s->complex = s->truncated = s->nverbs = s->nconj = s->headline = 0;
        s->time_shift = s->have_time_shift = 0;
        s->nissues = 0;
        dm_sent_tokenize(s, text, start, end);
        for (i = 0; i < s->ntoks; i++) {
                const char *w = s->words + s->toks[i].woff;
                uint16_t k = dm_lex_key(w, s->toks[i].wlen);
                s->keyset[k >> 6] |= 1ULL << (k & 63);
                k = dm_lex_key(w, s->toks[i].wlen < 2 ? s->toks[i].wlen : 2);
                s->keyset[k >> 6] |= 1ULL << (k & 63);
        }
        if (!s->lx->finished)
                return 0;
        dm_sent_classify(s);
        return 1;
}

void dm_sent_analyse(dm_sent_t *s, const dm_lex_t *lx, const dm_options_t *opts, const char *text,
                     uint32_t start, uint32_t end, long date)
{
        int keep = s->keep_mark;
        s->lx = lx;
        s->opts = opts;
        s->date = date;
        s->nclauses = 0;
        s->ncomma_clauses = 0;
        s->keep_mark = 0;
        /* The same bytes analysed just before (the annotator asked for the
         * actors first): the lexical analysis is known; only what reads the
         * context runs again. */
        if (!dm_sent_mark_restore(s, text, start, end)) {
                dm_sent_mark_clear(s);
                if (!dm_sent_lexical(s, text, start, end))
                        return;
                if (keep)
                        dm_sent_mark_save(s, text, start, end);
        }
        dm_sent_extras(s);
        dm_sent_agents(s);
        dm_sent_compounds(s);
        /* Comma clauses go before coreference so that a pronoun never refers
         * to an actor in an eliminated clause (COMMA-02C). */
        dm_sent_commas(s);
        dm_sent_pronouns_ref(s);
        dm_sent_clauses(s);
}
