#include "demarche/dm_gazetteer.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_text.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
};

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
        char *p = line, *nl = strchr(line, '\n');
        if (nl)
                *nl = '\0';
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

/* Column layouts (after a header line; '#' lines are comments):
 *   organisations.tsv  code name phrases
 *   places.tsv         name country kind phrases
 *   leaders.tsv        country role from to name phrases
 *   bodies.tsv         agent name phrases
 *   titles.tsv         agent phrases */
static void dm_gaz_load_file(dm_gaz_t *g, dm_tokens_t *tk, const char *dir, const char *file,
                             dm_gaz_kind_t kind)
{
        char *path = dm_asprintf("%s/%s", dir, file), *line = NULL;
        FILE *fp = fopen(path, "r");
        size_t cap = 0;
        int header = 1, lineno = 0;
        if (!fp) {
                free(path);
                return;
        }
        while (getline(&line, &cap, fp) >= 0) {
                char *f[8];
                size_t k;
                dm_gaz_entry_t *e;
                lineno++;
                if (line[0] == '#' || line[0] == '\n' || !line[0])
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
                        dm_gaz_phrases(g, tk, kind, f[1], g->entry_count);
                } else {
                        DM_LOG_WARN("gazetteer", "%s:%d: too few fields, skipped", path, lineno);
                        continue;
                }
                g->entry_count++;
        }
        free(line);
        fclose(fp);
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

dm_gaz_t *dm_gaz_load(const char *dir, char *errstr, size_t errstr_size)
{
        dm_gaz_t *g;
        dm_tokens_t tk;
        struct stat st;
        if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
                snprintf(errstr, errstr_size, "%s: not a readable directory", dir);
                return NULL;
        }
        g = dm_calloc(1, sizeof(*g));
        dm_tokens_init(&tk);
        dm_gaz_load_file(g, &tk, dir, "organisations.tsv", DM_GAZ_ORG);
        dm_gaz_load_file(g, &tk, dir, "places.tsv", DM_GAZ_PLACE);
        dm_gaz_load_file(g, &tk, dir, "leaders.tsv", DM_GAZ_LEADER);
        dm_gaz_load_file(g, &tk, dir, "bodies.tsv", DM_GAZ_BODY);
        dm_gaz_load_file(g, &tk, dir, "titles.tsv", DM_GAZ_TITLE);
        dm_tokens_free(&tk);
        if (g->phrase_count > 1)
                qsort(g->phrases, g->phrase_count, sizeof(*g->phrases), dm_gaz_phrase_cmp);
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
        free(g->phrases);
        free(g->entries);
        free(g);
}

static dm_gaz_t *dm_gaz_global;
static pthread_once_t dm_gaz_once = PTHREAD_ONCE_INIT;

static void dm_gaz_global_free(void)
{
        dm_gaz_destroy(dm_gaz_global);
        dm_gaz_global = NULL;
}

static void dm_gaz_global_load(void)
{
        const char *spec = dm_dict_default_spec();
        char err[512];
        struct stat st;
        /* A TABARI .project or a file list is not a directory of ours: the
         * project's own lists still apply to entities. */
        if (stat(spec, &st) || !S_ISDIR(st.st_mode))
                spec = stat(DM_DEFAULT_DICTIONARIES, &st) == 0 && S_ISDIR(st.st_mode)
                           ? DM_DEFAULT_DICTIONARIES
                           : DM_SOURCE_DICTIONARIES;
        dm_gaz_global = dm_gaz_load(spec, err, sizeof(err));
        if (dm_gaz_global)
                DM_LOG_DEBUG("gazetteer", "entity lists from %s: %zu entries", spec,
                             dm_gaz_global->entry_count);
        if (!dm_gaz_global) {
                DM_LOG_WARN("gazetteer", "%s; entities limited to dictionary actors", err);
                dm_gaz_global = dm_calloc(1, sizeof(*dm_gaz_global));
        }
        atexit(dm_gaz_global_free);
}

const dm_gaz_t *dm_gaz_default(void)
{
        pthread_once(&dm_gaz_once, dm_gaz_global_load);
        return dm_gaz_global;
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
        if (i >= n)
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
