/* Event nouns (dm_nouns.h). */
#include "dict/dm_nouns.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const dm_nouns_att_names[DM_NA_COUNT] = {
    "poss",   "amod",    "by",    "from", "of",   "against", "on",     "with",
    "to",     "into",    "for",   "over", "at",   "in",      "toward", "between",
    "clause", "passive", "about", "subj", "that", "speaker"};

typedef struct dm_nouns_slot {
        uint64_t hash; /* 0: empty */
        uint32_t first, count;
} dm_nouns_slot_t;

struct dm_nouns {
        dm_noun_t *v;
        size_t count, cap;
        const dm_lex_t *lx;     /* set by finish: heads are compared through it */
        dm_nouns_slot_t *heads; /* head lemma hash -> entries */
        uint64_t *forms;        /* upper-case surface forms of heads */
        uint64_t *light;        /* lemma hashes of light verbs, sorted */
        size_t nlight, light_cap;
        size_t mask; /* both tables: size - 1 */
};

static uint64_t dm_nouns_hash(const char *s, size_t n, int upper)
{
        uint64_t h = 1469598103934665603ull;
        size_t i;
        for (i = 0; i < n; i++) {
                int c = (unsigned char)s[i];
                h = (h ^ (uint64_t)(upper ? toupper(c) : tolower(c))) * 1099511628211ull;
        }
        return h ? h : 1;
}

dm_nouns_t *dm_nouns_new(void)
{
        return dm_calloc(1, sizeof(dm_nouns_t));
}

void dm_nouns_destroy(dm_nouns_t *n)
{
        if (!n)
                return;
        free(n->v);
        free(n->heads);
        free(n->forms);
        free(n->light);
        free(n);
}

size_t dm_nouns_count(const dm_nouns_t *n)
{
        return n ? n->count : 0;
}

dm_noun_att_t dm_nouns_att(const char *prep)
{
        int k;
        if (!strcasecmp(prep, "towards"))
                return DM_NA_TOWARD;
        if (!strcasecmp(prep, "upon"))
                return DM_NA_ON;
        if (!strcasecmp(prep, "compound"))
                return DM_NA_AMOD;
        for (k = 0; k < DM_NA_COUNT; k++)
                if (!strcasecmp(prep, dm_nouns_att_names[k]))
                        return (dm_noun_att_t)k;
        return DM_NA_COUNT;
}

/* Parses "att=role" pairs from s into roles; returns NULL or what is wrong. */
static const char *dm_nouns_roles(char *s, uint8_t *roles, uint8_t *mutual, uint8_t *adj,
                                  uint8_t *tone)
{
        char *save = NULL, *item;
        for (item = strtok_r(s, " \t", &save); item; item = strtok_r(NULL, " \t", &save)) {
                char *eq = strchr(item, '=');
                dm_noun_att_t a;
                if (*item == '#')
                        break;
                if (mutual && !strcasecmp(item, "mutual")) {
                        *mutual = 1;
                        continue;
                }
                if (adj && !strcasecmp(item, "adj")) {
                        *adj = 1;
                        continue;
                }
                if (tone && !strcasecmp(item, "tone")) {
                        *tone = 1;
                        continue;
                }
                if (!eq)
                        return "expected attachment=role (e.g. of=source), mutual, adj or tone";
                *eq = '\0';
                if ((a = dm_nouns_att(item)) == DM_NA_COUNT)
                        return "unknown attachment (poss, amod, clause, passive, subj, that, "
                               "speaker or a preposition)";
                if (!strcasecmp(eq + 1, "source"))
                        roles[a] = DM_NR_SOURCE;
                else if (!strcasecmp(eq + 1, "target"))
                        roles[a] = DM_NR_TARGET;
                else if (!strcasecmp(eq + 1, "none"))
                        roles[a] = DM_NR_NONE;
                else
                        return "unknown role (source, target or none)";
        }
        return NULL;
}

/* One entry line: PHRASE [CODE] roles... */
static const char *dm_nouns_entry(dm_nouns_t *n, dm_lex_t *lx, char *line, const uint8_t *defaults)
{
        char *open = strchr(line, '['), *close, *p, *words[DM_NOUN_MAX_MODS + 1];
        size_t nw = 0, k;
        dm_noun_t e;
        const char *why;
        if (!open || !(close = strchr(open, ']')))
                return "expected PHRASE [CODE]";
        memset(&e, 0, sizeof(e));
        memcpy(e.roles, defaults, sizeof(e.roles));
        *close = '\0';
        if ((why = dm_nouns_roles(close + 1, e.roles, &e.mutual, &e.adj, &e.tone)))
                return why;
        *open = '\0';
        p = dm_str_trim(open + 1);
        if (!*p || strchr(p, ' '))
                return "expected one CAMEO code in brackets";
        e.code = dm_lex_str(lx, p, strlen(p));
        p = dm_str_trim(line);
        if (!*p)
                return "expected a phrase before the code";
        e.phrase = dm_lex_str(lx, p, strlen(p));
        for (k = 0; p[k]; k++) {
                if (p[k] == '_' || p[k] == ' ')
                        p[k] = '\0';
                else if (!isalnum((unsigned char)p[k]) && p[k] != '-' && p[k] != '\'')
                        return "a phrase holds letters, digits, hyphens and '_'";
                else
                        p[k] = (char)tolower((unsigned char)p[k]);
        }
        for (char *w = p, *end = p + k; w < end; w += strlen(w) + 1) {
                if (!*w)
                        continue;
                if (nw == DM_NOUN_MAX_MODS + 1)
                        return "too many words (at most four before the head)";
                words[nw++] = w;
        }
        if (!nw)
                return "expected a phrase before the code";
        for (k = 0; k + 1 < nw; k++)
                e.mods[k] = dm_lex_str(lx, words[k], strlen(words[k]));
        e.nmods = (uint8_t)(nw - 1);
        e.head = dm_lex_str(lx, words[nw - 1], strlen(words[nw - 1]));
        for (k = 0; k < n->count; k++) {
                const dm_noun_t *o = &n->v[k];
                size_t m;
                if (o->nmods != e.nmods || strcmp(lx->str + o->head, lx->str + e.head))
                        continue;
                for (m = 0; m < e.nmods && !strcmp(lx->str + o->mods[m], lx->str + e.mods[m]); m++)
                        ;
                if (m == e.nmods)
                        return "duplicate phrase (the first entry wins)";
        }
        dm_grow((void **)&n->v, &n->cap, n->count + 1, sizeof(*n->v));
        n->v[n->count++] = e;
        return NULL;
}

int dm_nouns_load(dm_nouns_t *n, dm_lex_t *lx, const char *path, dm_nouns_warn_cb warn, void *ctx,
                  char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        uint8_t defaults[DM_NA_COUNT];
        char *line;
        if (!it)
                return -1;
        /* Without a ROLES: line a possessive or a nationality is the one
         * who acts, and the preposition that introduces the other side
         * ("strikes on", "talks with") names the target. */
        memset(defaults, DM_NR_NONE, sizeof(defaults));
        defaults[DM_NA_POSS] = defaults[DM_NA_AMOD] = defaults[DM_NA_BY] = DM_NR_SOURCE;
        defaults[DM_NA_FROM] = DM_NR_SOURCE;
        defaults[DM_NA_OF] = defaults[DM_NA_AGAINST] = defaults[DM_NA_ON] = DM_NR_TARGET;
        defaults[DM_NA_WITH] = defaults[DM_NA_TO] = defaults[DM_NA_INTO] = DM_NR_TARGET;
        defaults[DM_NA_TOWARD] = defaults[DM_NA_BETWEEN] = DM_NR_TARGET;
        while ((line = dm_lines_next(it, NULL))) {
                const char *why;
                char *p = dm_str_trim(line);
                if (!*p || *p == '#')
                        continue;
                if (!strncasecmp(p, "LIGHT:", 6)) {
                        char *save = NULL, *w;
                        why = NULL;
                        for (w = strtok_r(p + 6, " \t", &save); w;
                             w = strtok_r(NULL, " \t", &save)) {
                                if (*w == '#')
                                        break;
                                dm_grow((void **)&n->light, &n->light_cap, n->nlight + 1,
                                        sizeof(*n->light));
                                n->light[n->nlight++] = dm_nouns_hash(w, strlen(w), 0);
                        }
                } else if (!strncasecmp(p, "ROLES:", 6)) {
                        uint8_t r[DM_NA_COUNT];
                        memcpy(r, defaults, sizeof(r));
                        why = dm_nouns_roles(p + 6, r, NULL, NULL, NULL);
                        if (!why)
                                memcpy(defaults, r, sizeof(r));
                } else {
                        why = dm_nouns_entry(n, lx, p, defaults);
                }
                if (why && warn)
                        warn(ctx, path, dm_lines_number(it), why);
        }
        dm_lines_destroy(it);
        return 0;
}

static int dm_nouns_cmp(const void *a, const void *b, void *arg)
{
        const dm_lex_t *lx = arg;
        const dm_noun_t *x = a, *y = b;
        int c = strcmp(lx->str + x->head, lx->str + y->head);
        if (c)
                return c;
        return (int)y->nmods - (int)x->nmods;
}

/* Forms of heads with a source-alone entry ('.' code) are stored a second
 * time under a hash of their own. */
#define DM_NOUNS_ALONE 0x9e3779b97f4a7c15ULL

static void dm_nouns_add_form(dm_nouns_t *n, const char *w, size_t len, int alone)
{
        uint64_t h = dm_nouns_hash(w, len, 1) ^ (alone ? DM_NOUNS_ALONE : 0);
        if (!h)
                h = 1;
        size_t i = (size_t)h & n->mask;
        while (n->forms[i] && n->forms[i] != h)
                i = (i + 1) & n->mask;
        n->forms[i] = h;
}

static int dm_nouns_cmp_u64(const void *a, const void *b)
{
        uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
        return x < y ? -1 : x > y;
}

int dm_nouns_light(const dm_nouns_t *n, const char *lemma)
{
        uint64_t h;
        if (!n || !n->nlight)
                return 0;
        h = dm_nouns_hash(lemma, strlen(lemma), 0);
        return bsearch(&h, n->light, n->nlight, sizeof(h), dm_nouns_cmp_u64) != NULL;
}

void dm_nouns_finish(dm_nouns_t *n, const dm_lex_t *lx)
{
        size_t size = 16, i;
        n->lx = lx;
        if (n->nlight)
                qsort(n->light, n->nlight, sizeof(*n->light), dm_nouns_cmp_u64);
        if (!n->count)
                return;
        qsort_r(n->v, n->count, sizeof(*n->v), dm_nouns_cmp, (void *)lx);
        while (size < n->count * 16)
                size <<= 1;
        n->mask = size - 1;
        n->heads = dm_calloc(size, sizeof(*n->heads));
        n->forms = dm_calloc(size, sizeof(*n->forms));
        for (i = 0; i < n->count;) {
                const char *head = lx->str + n->v[i].head;
                size_t len = strlen(head), j = i, slot, k;
                int alone, pass, tone;
                char form[96];
                uint64_t h = dm_nouns_hash(head, len, 0);
                while (j < n->count && !strcmp(lx->str + n->v[j].head, head))
                        j++;
                slot = (size_t)h & n->mask;
                while (n->heads[slot].hash)
                        slot = (slot + 1) & n->mask;
                n->heads[slot].hash = h;
                n->heads[slot].first = (uint32_t)i;
                n->heads[slot].count = (uint32_t)(j - i);
                /* Surface forms: the lemma, -s, -es, -y to -ies. */
                for (k = i, alone = tone = 0; k < j; k++) {
                        alone |= strchr(lx->str + n->v[k].code, '.') != NULL;
                        tone |= n->v[k].tone;
                }
                for (pass = 0; pass <= alone && len + 3 < sizeof(form); pass++) {
                        dm_nouns_add_form(n, head, len, pass);
                        snprintf(form, sizeof(form), "%ss", head);
                        dm_nouns_add_form(n, form, len + 1, pass);
                        snprintf(form, sizeof(form), "%ses", head);
                        dm_nouns_add_form(n, form, len + 2, pass);
                        if (len > 1 && head[len - 1] == 'y') {
                                snprintf(form, sizeof(form), "%.*sies", (int)(len - 1), head);
                                dm_nouns_add_form(n, form, len + 2, pass);
                        }
                }
                /* A tone word may be a verb: -ing, -ed, -d ("backtracking",
                 * "thwarted", "deceived", "lying"). */
                if (tone && len > 2 && len + 5 < sizeof(form)) {
                        static const char *const ends[] = {"ing", "ed", "d", NULL};
                        size_t e;
                        for (e = 0; ends[e]; e++) {
                                snprintf(form, sizeof(form), "%s%s", head, ends[e]);
                                dm_nouns_add_form(n, form, strlen(form), 0);
                        }
                        if (head[len - 1] == 'e') {
                                snprintf(form, sizeof(form), "%.*sing", (int)(len - 1), head);
                                dm_nouns_add_form(n, form, strlen(form), 0);
                        }
                        if (head[len - 1] == 'y') {
                                snprintf(form, sizeof(form), "%.*sied", (int)(len - 1), head);
                                dm_nouns_add_form(n, form, strlen(form), 0);
                        }
                        if (head[len - 2] == 'i' && head[len - 1] == 'e') {
                                snprintf(form, sizeof(form), "%.*sying", (int)(len - 2), head);
                                dm_nouns_add_form(n, form, strlen(form), 0);
                        }
                }
                i = j;
        }
}

const dm_noun_t *dm_nouns_find(const dm_nouns_t *n, const char *lemma, size_t *count)
{
        uint64_t h;
        size_t slot;
        *count = 0;
        if (!n || !n->heads)
                return NULL;
        h = dm_nouns_hash(lemma, strlen(lemma), 0);
        for (slot = (size_t)h & n->mask; n->heads[slot].hash; slot = (slot + 1) & n->mask) {
                const dm_nouns_slot_t *sl = &n->heads[slot];
                if (sl->hash == h && !strcasecmp(n->lx->str + n->v[sl->first].head, lemma)) {
                        *count = sl->count;
                        return &n->v[sl->first];
                }
        }
        return NULL;
}

int dm_nouns_maybe_form(const dm_nouns_t *n, const char *w, size_t len)
{
        return dm_nouns_maybe_form_of(n, w, len, 0);
}

int dm_nouns_maybe_form_of(const dm_nouns_t *n, const char *w, size_t len, int alone)
{
        uint64_t h;
        size_t slot;
        if (!n || !n->forms)
                return 0;
        h = dm_nouns_hash(w, len, 1) ^ (alone ? DM_NOUNS_ALONE : 0);
        if (!h)
                h = 1;
        for (slot = (size_t)h & n->mask; n->forms[slot]; slot = (slot + 1) & n->mask)
                if (n->forms[slot] == h)
                        return 1;
        return 0;
}
