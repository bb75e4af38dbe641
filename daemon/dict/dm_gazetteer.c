#include "dict/dm_gazetteer.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"
#include "input/dm_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Phrases are tokenised with dm_tokenize, the annotator's own tokeniser, so
 * a phrase matches exactly the token sequences the text produces. They are
 * kept sorted by (kind, first word) and found by binary search. */

typedef struct dm_gaz_phrase {
        dm_gaz_kind_t kind;
        char **words;
        size_t nwords;
        size_t entry;
} dm_gaz_phrase_t;

struct dm_gaz {
        dm_gaz_entry_t *entries;
        size_t entry_count, entry_cap;
        dm_gaz_phrase_t *phrases;
        size_t phrase_count, phrase_cap;
        char **strings;
        size_t string_count, string_cap;
        /* The hashes of every (kind, first word) of the phrases, open
         * addressing, 0 empty: most tokens start no phrase, and one probe
         * says so where the binary search took a dozen comparisons. */
        uint64_t *first;
        size_t first_mask; /* capacity - 1; no index when first is NULL */
};

static uint64_t dm_gaz_first_hash(dm_gaz_kind_t kind, const char *w, size_t n)
{
        uint64_t h = dm_fnv1a64(w, n) ^ ((uint64_t)kind * 0x9e3779b97f4a7c15ull);
        return h ? h : 1;
}

static int dm_gaz_first_has(const dm_gaz_t *g, uint64_t h)
{
        size_t k = (size_t)h & g->first_mask;
        while (g->first[k]) {
                if (g->first[k] == h)
                        return 1;
                k = (k + 1) & g->first_mask;
        }
        return 0;
}

static void dm_gaz_index_first(dm_gaz_t *g)
{
        size_t cap = 16, i, k;
        while (cap < 2 * g->phrase_count)
                cap *= 2;
        free(g->first);
        g->first = dm_calloc(cap, sizeof(*g->first));
        g->first_mask = cap - 1;
        for (i = 0; i < g->phrase_count; i++) {
                const dm_gaz_phrase_t *p = &g->phrases[i];
                uint64_t h = dm_gaz_first_hash(p->kind, p->words[0], strlen(p->words[0]));
                for (k = (size_t)h & g->first_mask; g->first[k] && g->first[k] != h;
                     k = (k + 1) & g->first_mask)
                        ;
                g->first[k] = h;
        }
}

/* Whether a phrase of this kind can start at tok: its first word is tok,
 * or tok less a possessive ending (dm_gaz_word_eq). */
static int dm_gaz_may_start(const dm_gaz_t *g, dm_gaz_kind_t kind, const char *tok)
{
        size_t n = strlen(tok);
        if (!g->first || dm_gaz_first_has(g, dm_gaz_first_hash(kind, tok, n)))
                return 1;
        if (n > 2 && tok[n - 2] == '\'' && tok[n - 1] == 'S')
                return dm_gaz_first_has(g, dm_gaz_first_hash(kind, tok, n - 2));
        if (n > 1 && tok[n - 1] == '\'')
                return dm_gaz_first_has(g, dm_gaz_first_hash(kind, tok, n - 1));
        return 0;
}

static const char *dm_gaz_keep(dm_gaz_t *g, const char *s, size_t n)
{
        char *c;
        if (!s || !n)
                return NULL;
        c = dm_strndup(s, n);
        dm_grow((void **)&g->strings, &g->string_cap, g->string_count + 1, sizeof(char *));
        g->strings[g->string_count++] = c;
        return c;
}

int64_t dm_gaz_parse_date(const char *s, int end_of_period)
{
        int y = 0, m = 0, d = 0, k;
        struct tm tm;
        int64_t t;
        k = sscanf(s, "%d-%d-%d", &y, &m, &d);
        if (k < 1 || y < 1800 || y > 2200)
                return -1;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = y - 1900;
        tm.tm_mon = k >= 2 ? m - 1 : 0;
        tm.tm_mday = k >= 3 ? d : 1;
        if (end_of_period) {
                /* The first instant after the period. */
                if (k == 1)
                        tm.tm_year++;
                else if (k == 2)
                        tm.tm_mon++;
                else
                        tm.tm_mday++;
        }
        t = (int64_t)timegm(&tm) * 1000;
        return end_of_period ? t - 1 : t;
}

static void dm_gaz_add_phrase(dm_gaz_t *g, dm_tokens_t *tk, dm_gaz_kind_t kind, const char *phrase,
                              size_t entry)
{
        dm_gaz_phrase_t *p;
        size_t k;
        dm_tokenize(tk, phrase, 0, (uint32_t)strlen(phrase));
        if (!tk->count)
                return;
        dm_grow((void **)&g->phrases, &g->phrase_cap, g->phrase_count + 1, sizeof(*p));
        p = &g->phrases[g->phrase_count++];
        p->kind = kind;
        p->nwords = tk->count;
        p->entry = entry;
        p->words = dm_malloc(tk->count * sizeof(char *));
        for (k = 0; k < tk->count; k++)
                p->words[k] = dm_strdup(tk->toks[k].word);
}

/* Splits a TSV line in place into at most max fields; returns the count. */
static size_t dm_gaz_fields(char *line, char **f, size_t max)
{
        size_t k = 0;
        char *p = line;
        while (k < max && p) {
                f[k++] = p;
                p = strchr(p, '\t');
                if (p)
                        *p++ = '\0';
        }
        return k;
}

static void dm_gaz_phrases(dm_gaz_t *g, dm_tokens_t *tk, dm_gaz_kind_t kind, char *list,
                           size_t entry)
{
        char *save = NULL, *ph;
        for (ph = strtok_r(list, "|", &save); ph; ph = strtok_r(NULL, "|", &save))
                if (*ph)
                        dm_gaz_add_phrase(g, tk, kind, ph, entry);
}

/* The lists, in load order. */
static const struct {
        const char *file;
        dm_gaz_kind_t kind;
} dm_gaz_files[] = {{"organisations.tsv", DM_GAZ_ORG},
                    {"places.tsv", DM_GAZ_PLACE},
                    {"leaders.tsv", DM_GAZ_LEADER},
                    {"bodies.tsv", DM_GAZ_BODY},
                    {"titles.tsv", DM_GAZ_TITLE}};
#define DM_GAZ_NFILES (sizeof(dm_gaz_files) / sizeof(dm_gaz_files[0]))

/* Column layouts (after a header line; '#' lines are comments):
 *   organisations.tsv  code name phrases
 *   places.tsv         name country kind phrases
 *   leaders.tsv        country role from to name phrases
 *   bodies.tsv         agent name phrases
 *   titles.tsv         agent phrases */
static void dm_gaz_load_file(dm_gaz_t *g, dm_tokens_t *tk, const char *dir, const char *file,
                             dm_gaz_kind_t kind)
{
        char *path = dm_asprintf("%s/%s", dir, file), *line;
        dm_lines_t *it = dm_lines_new(path, NULL, 0);
        int header = 1;
        if (!it) {
                free(path);
                return;
        }
        while ((line = dm_lines_next(it, NULL))) {
                char *f[8];
                size_t k;
                dm_gaz_entry_t *e;
                if (line[0] == '#' || !line[0])
                        continue;
                if (header) {
                        header = 0;
                        continue;
                }
                k = dm_gaz_fields(line, f, 8);
                dm_grow((void **)&g->entries, &g->entry_cap, g->entry_count + 1, sizeof(*e));
                e = &g->entries[g->entry_count];
                memset(e, 0, sizeof(*e));
                e->kind = kind;
                e->from_ms = INT64_MIN;
                e->to_ms = INT64_MAX;
                if (kind == DM_GAZ_ORG && k >= 3) {
                        e->code = dm_gaz_keep(g, f[0], strlen(f[0]));
                        e->name = dm_gaz_keep(g, f[1], strlen(f[1]));
                        dm_gaz_phrases(g, tk, kind, f[2], g->entry_count);
                } else if (kind == DM_GAZ_PLACE && k >= 4) {
                        e->name = dm_gaz_keep(g, f[0], strlen(f[0]));
                        e->country = dm_gaz_keep(g, f[1], strlen(f[1]));
                        e->role = dm_gaz_keep(g, f[2], strlen(f[2]));
                        dm_gaz_phrases(g, tk, kind, f[0], g->entry_count);
                        dm_gaz_phrases(g, tk, kind, f[3], g->entry_count);
                } else if (kind == DM_GAZ_LEADER && k >= 6) {
                        e->country = dm_gaz_keep(g, f[0], strlen(f[0]));
                        e->role = dm_gaz_keep(g, f[1], strlen(f[1]));
                        if (*f[2])
                                e->from_ms = dm_gaz_parse_date(f[2], 0);
                        if (*f[3])
                                e->to_ms = dm_gaz_parse_date(f[3], 1);
                        e->name = dm_gaz_keep(g, f[4], strlen(f[4]));
                        dm_gaz_phrases(g, tk, kind, f[4], g->entry_count);
                        dm_gaz_phrases(g, tk, kind, f[5], g->entry_count);
                } else if (kind == DM_GAZ_BODY && k >= 3) {
                        e->code = dm_gaz_keep(g, f[0], strlen(f[0]));
                        e->name = dm_gaz_keep(g, f[1], strlen(f[1]));
                        dm_gaz_phrases(g, tk, kind, f[2], g->entry_count);
                } else if (kind == DM_GAZ_TITLE && k >= 2) {
                        e->code = dm_gaz_keep(g, f[0], strlen(f[0]));
                        e->name = dm_gaz_keep(g, f[1], strlen(f[1]));
                        /* The office (leaders.tsv role) a bare title names. */
                        if (k >= 3 && *f[2])
                                e->role = dm_gaz_keep(g, f[2], strlen(f[2]));
                        dm_gaz_phrases(g, tk, kind, f[1], g->entry_count);
                } else {
                        DM_LOG_WARN("gazetteer", "%s:%d: too few fields, skipped", path,
                                    dm_lines_number(it));
                        continue;
                }
                g->entry_count++;
        }
        dm_lines_destroy(it);
        free(path);
}

static int dm_gaz_phrase_cmp(const void *a, const void *b)
{
        const dm_gaz_phrase_t *x = a, *y = b;
        int c;
        if (x->kind != y->kind)
                return (int)x->kind - (int)y->kind;
        c = strcmp(x->words[0], y->words[0]);
        if (c)
                return c;
        /* Longer phrases first, so the first full match is the longest. */
        if (x->nwords != y->nwords)
                return x->nwords > y->nwords ? -1 : 1;
        return x->entry < y->entry ? -1 : (x->entry > y->entry);
}

dm_gaz_t *dm_gaz_new(void)
{
        return dm_calloc(1, sizeof(dm_gaz_t));
}

int dm_gaz_found(const char *dir)
{
        size_t i;
        int found = 0;
        for (i = 0; i < DM_GAZ_NFILES && !found; i++) {
                char *path = dm_asprintf("%s/%s", dir, dm_gaz_files[i].file);
                found = access(path, R_OK) == 0;
                free(path);
        }
        return found;
}

dm_gaz_t *dm_gaz_load(const char *dir, char *errstr, size_t errstr_size)
{
        dm_gaz_t *g;
        dm_tokens_t tk;
        struct stat st;
        size_t i;
        if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
                snprintf(errstr, errstr_size, "%s: not a readable directory", dir);
                return NULL;
        }
        g = dm_gaz_new();
        dm_tokens_init(&tk);
        for (i = 0; i < DM_GAZ_NFILES; i++)
                dm_gaz_load_file(g, &tk, dir, dm_gaz_files[i].file, dm_gaz_files[i].kind);
        dm_tokens_free(&tk);
        if (g->phrase_count > 1)
                qsort(g->phrases, g->phrase_count, sizeof(*g->phrases), dm_gaz_phrase_cmp);
        dm_gaz_index_first(g);
        return g;
}

void dm_gaz_destroy(dm_gaz_t *g)
{
        size_t i, k;
        if (!g)
                return;
        for (i = 0; i < g->phrase_count; i++) {
                for (k = 0; k < g->phrases[i].nwords; k++)
                        free(g->phrases[i].words[k]);
                free(g->phrases[i].words);
        }
        for (i = 0; i < g->string_count; i++)
                free(g->strings[i]);
        free(g->strings);
        free(g->first);
        free(g->phrases);
        free(g->entries);
        free(g);
}

/* Token equality with the plural and possessive endings of the last word:
 * "Kurils" for KURIL, "Lavrov's" for LAVROV. */
static int dm_gaz_word_eq(const char *tok, const char *w, int last)
{
        size_t n = strlen(w);
        if (!strcmp(tok, w))
                return 1;
        if (!last || strncmp(tok, w, n))
                return 0;
        return !strcmp(tok + n, "'S") || !strcmp(tok + n, "'");
}

size_t dm_gaz_match(const dm_gaz_t *g, dm_gaz_kind_t kind, const char *const *toks, size_t n,
                    size_t i, int64_t date_ms, const dm_gaz_entry_t **e)
{
        size_t lo = 0, hi = g->phrase_count, k, best_len = 0;
        const dm_gaz_entry_t *best = NULL;
        *e = NULL;
        if (i >= n || !dm_gaz_may_start(g, kind, toks[i]))
                return 0;
        /* Lower bound of (kind, first word) */
        while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                const dm_gaz_phrase_t *p = &g->phrases[mid];
                int c = p->kind != kind ? (int)p->kind - (int)kind : strcmp(p->words[0], toks[i]);
                /* The possessive of a one-word phrase sorts after it. */
                if (c < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        /* Back up over phrases whose first word is a prefix of the token
         * ("LAVROV" for "LAVROV'S"); they sort just before it. */
        while (lo > 0 && g->phrases[lo - 1].kind == kind &&
               !strncmp(toks[i], g->phrases[lo - 1].words[0], strlen(g->phrases[lo - 1].words[0])))
                lo--;
        for (k = lo; k < g->phrase_count && g->phrases[k].kind == kind; k++) {
                const dm_gaz_phrase_t *p = &g->phrases[k];
                const dm_gaz_entry_t *pe = &g->entries[p->entry];
                size_t j;
                if (strncmp(toks[i], p->words[0], strlen(p->words[0])))
                        break;
                if (p->nwords < best_len || i + p->nwords > n)
                        continue;
                for (j = 0; j < p->nwords; j++)
                        if (!dm_gaz_word_eq(toks[i + j], p->words[j], j + 1 == p->nwords))
                                break;
                if (j < p->nwords)
                        continue;
                if (p->nwords > best_len || !best) {
                        best = pe;
                        best_len = p->nwords;
                        continue;
                }
                /* Same length: for people, prefer who held office on the date,
                 * else the latest before it. */
                if (kind == DM_GAZ_LEADER && date_ms != -1) {
                        int in_now = pe->from_ms <= date_ms && date_ms <= pe->to_ms;
                        int in_best = best->from_ms <= date_ms && date_ms <= best->to_ms;
                        if ((in_now && !in_best) ||
                            (!in_best && pe->from_ms <= date_ms && pe->from_ms > best->from_ms))
                                best = pe;
                }
        }
        *e = best;
        return best_len;
}

const dm_gaz_entry_t *dm_gaz_org(const dm_gaz_t *g, const char *code)
{
        size_t i;
        if (!code)
                return NULL;
        for (i = 0; i < g->entry_count; i++)
                if (g->entries[i].kind == DM_GAZ_ORG && !strcmp(g->entries[i].code, code))
                        return &g->entries[i];
        return NULL;
}
