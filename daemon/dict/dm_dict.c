#include "demarche/dm_dict.h"
#include "dict/dm_gazetteer.h"
#include "demarche/dm_parse.h"
#include "dict/dm_tabari.h"
#include "dict/dm_tabari_verbs.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"
#include "dict/dm_lex.h"
#include "dict/dm_nouns.h"
#include "dict/dm_rules.h"
#include "demarche/dm_options.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The dictionary: the compiled lexicon (dm_lex), the options of a TABARI
 * project, the country and CAMEO fact tables, and the entity gazetteer.
 * Files load in the order given; for the same phrase the first loaded entry
 * wins.
 *
 * The gazetteer's lists come from the first directory of the spec that holds
 * them, so that the configured dictionaries.path decides, as for every other
 * file. A spec without them (a TABARI .project, Phoenix files) gets the
 * project's own lists from the default directory, like the fact tables:
 * they name entities, which those sets do not. The gazetteer is loaded on
 * first use, since only annotators need it (the coder, the validation suite
 * and the dictionary fuzzer do not). */

struct dm_dict {
        dm_lex_t lex;
        dm_options_t opts;
        dm_tabari_loader_t ld;
        /* Interned fact-table strings are owned here. */
        char **strings;
        size_t string_count, string_cap;
        dm_country_info_t *countries;
        size_t country_count, country_cap;
        dm_cameo_info_t *cameo;
        size_t cameo_count, cameo_cap;
        dm_dict_stats_t stats;
        int strict;
        int fatal;
        char *fatal_msg;
        char *gaz_dir; /* NULL: no lists anywhere */
        dm_gaz_t *gaz; /* loaded on first use, under gaz_lock */
        pthread_mutex_t gaz_lock;
        /* The parser model, loaded on first use under gaz_lock; a failed
         * load is remembered (parser_tried) so that it is tried once. */
        dm_parse_model_t *parser;
        int parser_tried;
        dm_nouns_t *nouns; /* event nouns (*.nouns), for parse mode */
        dm_rules_t *rules; /* the annotator's frames (*.rules) */
        char parser_error[512];
};

static char *dm_dict_keep(dm_dict_t *d, char *s)
{
        dm_grow((void **)&d->strings, &d->string_cap, d->string_count + 1, sizeof(char *));
        d->strings[d->string_count++] = s;
        return s;
}

typedef struct dm_dict_src {
        const char *path;
        int line;
} dm_dict_src_t;

static void dm_dict_warn_cb(void *ctx, const char *path, int line, const char *msg)
{
        dm_dict_t *d = ctx;
        d->stats.warnings++;
        if (d->strict && !d->fatal) {
                d->fatal = 1;
                d->fatal_msg = dm_asprintf("%s:%d: %s", path, line, msg);
        }
        DM_LOG_WARN("dict", "%s:%d: %s", path, line, msg);
}

static void dm_dict_warn(dm_dict_t *d, const dm_dict_src_t *src, const char *msg)
{
        dm_dict_warn_cb(d, src->path, src->line, msg);
}

static int dm_dict_load_countries(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        dm_dict_src_t src = {path, 0};
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, NULL))) {
                char *f[6] = {0}, *p = line;
                int k = 0;
                dm_country_info_t *c;
                src.line = dm_lines_number(it);
                if (src.line == 1 || !*line || *line == '#')
                        continue;
                while (k < 6 && p) {
                        f[k++] = p;
                        p = strchr(p, '\t');
                        if (p)
                                *p++ = '\0';
                }
                if (k < 5 || strlen(f[0]) != 3) {
                        dm_dict_warn(d, &src, "expected cameo, iso3, iso2, name, capital");
                        continue;
                }
                dm_grow((void **)&d->countries, &d->country_cap, d->country_count + 1, sizeof(*c));
                c = &d->countries[d->country_count++];
                c->cameo = dm_dict_keep(d, dm_strdup(f[0]));
                c->iso3 = dm_dict_keep(d, dm_strdup(f[1]));
                c->name = dm_dict_keep(d, dm_strdup(f[3]));
                c->capital = dm_dict_keep(d, dm_strdup(f[4]));
        }
        d->stats.countries = d->country_count;
        dm_lines_destroy(it);
        return 0;
}

/* Empty TSV fields mean "none". */
static const char *dm_dict_keep_field(dm_dict_t *d, const char *f)
{
        return f && *f ? dm_dict_keep(d, dm_strdup(f)) : NULL;
}

static int dm_dict_load_cameo(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        int header = 1;
        dm_dict_src_t src = {path, 0};
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, NULL))) {
                char *f[10] = {0}, *p = line;
                int k = 0;
                dm_cameo_info_t *c;
                src.line = dm_lines_number(it);
                if (!*line || *line == '#')
                        continue;
                if (header) {
                        header = 0;
                        continue;
                }
                while (k < 10 && p) {
                        f[k++] = p;
                        p = strchr(p, '\t');
                        if (p)
                                *p++ = '\0';
                }
                if (k < 6 || !*f[0]) {
                        dm_dict_warn(d, &src, "expected code, root, quad_class, goldstein, ...");
                        continue;
                }
                dm_grow((void **)&d->cameo, &d->cameo_cap, d->cameo_count + 1, sizeof(*c));
                c = &d->cameo[d->cameo_count++];
                c->code = dm_dict_keep(d, dm_strdup(f[0]));
                c->root = dm_dict_keep(d, dm_strdup(f[1]));
                c->quad_class = atoi(f[2]);
                c->goldstein = atof(f[3]);
                c->name = dm_dict_keep_field(d, f[5]);
                c->plover_category = dm_dict_keep_field(d, k > 6 ? f[6] : NULL);
                c->plover_mode = dm_dict_keep_field(d, k > 7 ? f[7] : NULL);
                c->plover_context = dm_dict_keep_field(d, k > 8 ? f[8] : NULL);
        }
        dm_lines_destroy(it);
        return 0;
}

const dm_cameo_info_t *dm_dict_cameo(const dm_dict_t *d, const char *code)
{
        size_t i;
        if (!code)
                return NULL;
        for (i = 0; i < d->cameo_count; i++)
                if (!strcmp(d->cameo[i].code, code))
                        return &d->cameo[i];
        return NULL;
}

static int dm_dict_has_suffix(const char *s, const char *suffix)
{
        size_t n = strlen(s), m = strlen(suffix);
        return n >= m && !strcmp(s + n - m, suffix);
}

typedef enum dm_dict_ftype {
        DM_DF_UNKNOWN = 0,
        DM_DF_ACTORS,
        DM_DF_AGENTS,
        DM_DF_VERBS,
        DM_DF_OPTIONS,
        DM_DF_ISSUES,
        DM_DF_DISCARDS,
        DM_DF_PROJECT,
        DM_DF_COUNTRIES,
        DM_DF_CAMEO,
        DM_DF_NOUNS,
        DM_DF_RULES,
} dm_dict_ftype_t;

/* File type by name: TABARI suffixes (.actors, .verbs ...) and the Phoenix
 * names (Phoenix.*.actors.txt, Phoenix.agents.txt, CAMEO.2.0.txt ...). */
static dm_dict_ftype_t dm_dict_ftype(const char *path)
{
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (dm_dict_has_suffix(base, "countries.tsv"))
                return DM_DF_COUNTRIES;
        if (dm_dict_has_suffix(base, "cameo.tsv"))
                return DM_DF_CAMEO;
        if (dm_dict_has_suffix(base, ".project"))
                return DM_DF_PROJECT;
        if (dm_dict_has_suffix(base, ".options"))
                return DM_DF_OPTIONS;
        if (dm_dict_has_suffix(base, ".nouns"))
                return DM_DF_NOUNS;
        if (dm_dict_has_suffix(base, ".rules"))
                return DM_DF_RULES;
        if (strstr(base, ".actors"))
                return DM_DF_ACTORS;
        if (strstr(base, ".agents"))
                return DM_DF_AGENTS;
        if (dm_dict_has_suffix(base, ".verbs") || dm_dict_has_suffix(base, ".verbs.txt"))
                return DM_DF_VERBS;
        if (strcasestr(base, "discards"))
                return DM_DF_DISCARDS;
        if (strcasestr(base, "issue"))
                return DM_DF_ISSUES;
        if (!strncmp(base, "CAMEO.", 6) && dm_dict_has_suffix(base, ".txt"))
                return DM_DF_VERBS;
        return DM_DF_UNKNOWN;
}

static int dm_dict_load_file(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size);

/* A TABARI .project names files by tag; paths are relative to it. The
 * options file is read first: its YYYY setting affects date parsing. */
static int dm_dict_load_project(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        static const char *tags[] = {"<optionsfile>",
                                     "<actorsfile>",
                                     "<agentsfile>",
                                     "<verbsfile>",
                                     "<issuesfile>",
                                     "<discardsfile>",
                                     NULL};
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line, *dir, *slash;
        int rc = 0, pass;
        if (!it)
                return -1;
        dir = dm_strdup(path);
        slash = strrchr(dir, '/');
        if (slash)
                slash[1] = '\0';
        else
                dir[0] = '\0';
        for (pass = 0; pass < 2 && rc == 0; pass++) {
                dm_lines_rewind(it);
                while (rc == 0 && (line = dm_lines_next(it, NULL))) {
                        const char **t;
                        for (t = tags; *t; t++) {
                                char *name, *full;
                                if (strncasecmp(line, *t, strlen(*t)))
                                        continue;
                                if ((pass == 0) != (t == tags))
                                        continue;
                                name = dm_str_trim(line + strlen(*t));
                                full = name[0] == '/' ? dm_strdup(name)
                                                      : dm_asprintf("%s%s", dir, name);
                                if (t == tags)
                                        rc = dm_options_load(&d->opts, full, dm_dict_warn_cb, d,
                                                             errstr, errstr_size);
                                else
                                        rc = dm_dict_load_file(d, full, errstr, errstr_size);
                                d->ld.yyyy = d->opts.yyyy;
                                free(full);
                        }
                }
        }
        free(dir);
        dm_lines_destroy(it);
        return rc;
}

static int dm_dict_load_file(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        switch (dm_dict_ftype(path)) {
        case DM_DF_ACTORS:
                return dm_tabari_load_actors(&d->ld, path, DM_LK_ACTOR, errstr, errstr_size);
        case DM_DF_AGENTS:
                return dm_tabari_load_actors(&d->ld, path, DM_LK_AGENT, errstr, errstr_size);
        case DM_DF_VERBS:
                return dm_tabari_verbs_load(&d->ld, path, errstr, errstr_size);
        case DM_DF_ISSUES:
                return dm_tabari_verbs_load_issues(&d->ld, path, errstr, errstr_size);
        case DM_DF_DISCARDS:
                return dm_tabari_verbs_load_discards(&d->ld, path, errstr, errstr_size);
        case DM_DF_OPTIONS:
                return dm_options_load(&d->opts, path, dm_dict_warn_cb, d, errstr, errstr_size);
        case DM_DF_PROJECT:
                return dm_dict_load_project(d, path, errstr, errstr_size);
        case DM_DF_COUNTRIES:
                return dm_dict_load_countries(d, path, errstr, errstr_size);
        case DM_DF_CAMEO:
                return dm_dict_load_cameo(d, path, errstr, errstr_size);
        case DM_DF_NOUNS:
                return dm_nouns_load(d->nouns, &d->lex, path, dm_dict_warn_cb, d, errstr,
                                     errstr_size);
        case DM_DF_RULES:
                return dm_rules_load(d->rules, path, errstr, errstr_size);
        default:
                break;
        }
        snprintf(errstr, errstr_size,
                 "%s: unknown dictionary type (expected .actors, .agents, .verbs, .nouns, .rules, "
                 ".options, "
                 ".project, Phoenix *.actors.txt, CAMEO.*.txt, issues, discards, countries.tsv "
                 "or cameo.tsv)",
                 path);
        return -1;
}

static int dm_dict_cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the dictionary files in directory path, or only those of type only
 * (DM_DF_UNKNOWN: all). */
static int dm_dict_load_dir(dm_dict_t *d, const char *path, dm_dict_ftype_t only, char *errstr,
                            size_t errstr_size)
{
        DIR *dir = opendir(path);
        struct dirent *de;
        char **names = NULL;
        size_t count = 0, cap = 0, i;
        int rc = 0;
        if (!dir) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return -1;
        }
        while ((de = readdir(dir))) {
                if (de->d_name[0] == '.')
                        continue;
                {
                        dm_dict_ftype_t ft = dm_dict_ftype(de->d_name);
                        /* A .project in a directory would load its files twice. */
                        if (ft == DM_DF_UNKNOWN || ft == DM_DF_PROJECT ||
                            (only != DM_DF_UNKNOWN && ft != only))
                                continue;
                }
                dm_grow((void **)&names, &cap, count + 1, sizeof(char *));
                names[count++] = dm_asprintf("%s/%s", path, de->d_name);
        }
        closedir(dir);
        /* Sorted, so that precedence between files does not depend on the
         * directory's on-disk order. */
        qsort(names, count, sizeof(char *), dm_dict_cmp_str);
        for (i = 0; i < count; i++) {
                if (rc == 0)
                        rc = dm_dict_load_file(d, names[i], errstr, errstr_size);
                free(names[i]);
        }
        free(names);
        if (rc == 0 && count == 0 && only == DM_DF_UNKNOWN) {
                snprintf(errstr, errstr_size, "%s: no dictionary files in directory", path);
                rc = -1;
        }
        return rc;
}

dm_dict_t *dm_dict_load(const char *spec, int strict, char *errstr, size_t errstr_size)
{
        dm_dict_t *d = dm_calloc(1, sizeof(*d));
        char *copy = dm_strdup(spec), *save = NULL, *item;
        const char *fallback[2];
        size_t i;
        int rc = 0;
        pthread_mutex_init(&d->gaz_lock, NULL);
        d->strict = strict;
        dm_lex_init(&d->lex);
        dm_options_defaults(&d->opts);
        d->nouns = dm_nouns_new();
        d->rules = dm_rules_new();
        dm_tabari_loader_init(&d->ld, &d->lex);
        d->ld.warn = dm_dict_warn_cb;
        d->ld.ctx = d;
        for (item = strtok_r(copy, ",", &save); item && rc == 0;
             item = strtok_r(NULL, ",", &save)) {
                struct stat st;
                item = dm_str_trim(item);
                if (!*item)
                        continue;
                if (stat(item, &st)) {
                        snprintf(errstr, errstr_size, "%s: %s", item, strerror(errno));
                        rc = -1;
                } else if (S_ISDIR(st.st_mode)) {
                        rc = dm_dict_load_dir(d, item, DM_DF_UNKNOWN, errstr, errstr_size);
                        if (!d->gaz_dir && dm_gaz_found(item))
                                d->gaz_dir = dm_strdup(item);
                } else {
                        rc = dm_dict_load_file(d, item, errstr, errstr_size);
                }
                if (rc == 0 && d->fatal) {
                        snprintf(errstr, errstr_size, "%s (strict)", d->fatal_msg);
                        rc = -1;
                }
        }
        /* The fact tables describe codes, not phrases: a TABARI or Phoenix set
         * loaded alone still gets ours, so events carry Goldstein values and
         * PLOVER categories and countries their ISO codes. */
        if (rc == 0 && !d->cameo_count) {
                char *p = dm_asprintf("%s/cameo.tsv", dm_dict_default_spec());
                if (access(p, R_OK) == 0)
                        rc = dm_dict_load_cameo(d, p, errstr, errstr_size);
                free(p);
        }
        if (rc == 0 && !d->country_count) {
                char *p = dm_asprintf("%s/countries.tsv", dm_dict_default_spec());
                if (access(p, R_OK) == 0)
                        rc = dm_dict_load_countries(d, p, errstr, errstr_size);
                free(p);
        }
        /* Likewise the annotator's frames: they are not the coder's
         * dictionaries, and a TABARI set has none. */
        if (rc == 0 && dm_rules_empty(d->rules)) {
                struct stat st;
                if (!stat(dm_dict_default_spec(), &st) && S_ISDIR(st.st_mode))
                        rc = dm_dict_load_dir(d, dm_dict_default_spec(), DM_DF_RULES, errstr,
                                              errstr_size);
        }
        fallback[0] = dm_dict_default_spec();
        fallback[1] = DM_DEFAULT_DICTIONARIES;
        for (i = 0; i < 2 && !d->gaz_dir; i++)
                if (dm_gaz_found(fallback[i]))
                        d->gaz_dir = dm_strdup(fallback[i]);
        if (rc == 0) {
                dm_lex_finish(&d->lex);
                dm_nouns_finish(d->nouns, &d->lex);
                d->stats.actor_phrases = d->ld.counts[DM_LK_ACTOR];
                d->stats.agent_phrases = d->ld.counts[DM_LK_AGENT];
                d->stats.verb_phrases = d->ld.counts[DM_LK_VERB] + d->lex.npats;
        }
        dm_tabari_loader_free(&d->ld);
        if (rc == 0 && d->stats.actor_phrases == 0) {
                snprintf(errstr, errstr_size, "%s: no actor phrases loaded", spec);
                rc = -1;
        }
        free(copy);
        if (rc) {
                dm_dict_destroy(d);
                return NULL;
        }
        return d;
}

void dm_dict_destroy(dm_dict_t *d)
{
        size_t i;
        if (!d)
                return;
        for (i = 0; i < d->string_count; i++)
                free(d->strings[i]);
        free(d->strings);
        dm_lex_free(&d->lex);
        dm_nouns_destroy(d->nouns);
        dm_rules_destroy(d->rules);
        dm_tabari_loader_free(&d->ld);
        free(d->countries);
        free(d->cameo);
        free(d->fatal_msg);
        free(d->gaz_dir);
        dm_gaz_destroy(d->gaz);
        dm_parse_model_destroy(d->parser);
        pthread_mutex_destroy(&d->gaz_lock);
        free(d);
}

const dm_gaz_t *dm_dict_gazetteer(const dm_dict_t *cd)
{
        /* Filling the cache is not a change a reader could see: every caller
         * gets the same gazetteer. */
        dm_dict_t *d = (dm_dict_t *)cd;
        char err[512];
        pthread_mutex_lock(&d->gaz_lock);
        if (!d->gaz && d->gaz_dir) {
                d->gaz = dm_gaz_load(d->gaz_dir, err, sizeof(err));
                if (d->gaz)
                        DM_LOG_DEBUG("gazetteer", "entity lists from %s", d->gaz_dir);
                else
                        DM_LOG_WARN("gazetteer", "%s; entities limited to dictionary actors", err);
        }
        if (!d->gaz) {
                if (!d->gaz_dir)
                        DM_LOG_WARN("gazetteer", "no entity lists (organisations.tsv, ...) in the "
                                                 "dictionaries; entities limited to dictionary "
                                                 "actors");
                d->gaz = dm_gaz_new();
        }
        pthread_mutex_unlock(&d->gaz_lock);
        return d->gaz;
}

const dm_parse_model_t *dm_dict_parser(const dm_dict_t *cd, char *errstr, size_t errstr_size)
{
        /* Like the gazetteer: loaded once, by whichever thread asks first;
         * the model is immutable afterwards and shared by every coder. */
        dm_dict_t *d = (dm_dict_t *)cd;
        const dm_parse_model_t *m;
        pthread_mutex_lock(&d->gaz_lock);
        if (!d->parser_tried) {
                const char *path = dm_parse_model_default_path();
                d->parser_tried = 1;
                d->parser = dm_parse_model_load(path, d->parser_error, sizeof(d->parser_error));
                if (d->parser)
                        DM_LOG_DEBUG("parser", "model %s", path);
        }
        m = d->parser;
        if (!m)
                dm_str_seterr(errstr, errstr_size, "%s", d->parser_error);
        pthread_mutex_unlock(&d->gaz_lock);
        return m;
}

void dm_dict_get_stats(const dm_dict_t *d, dm_dict_stats_t *out)
{
        *out = d->stats;
}

long dm_dict_tabari_date(const char *s, size_t n, int yyyy)
{
        return dm_tabari_parse_date(s, n, yyyy);
}

const char *dm_dict_default_spec(void)
{
        const char *env = getenv("DEMARCHE_DICTIONARIES");
        if (env && *env)
                return env;
        return DM_DEFAULT_DICTIONARIES;
}

const dm_country_info_t *dm_dict_country(const dm_dict_t *d, const char *cameo)
{
        size_t i;
        if (!cameo || strnlen(cameo, 3) < 3)
                return NULL;
        for (i = 0; i < d->country_count; i++)
                if (!strncmp(d->countries[i].cameo, cameo, 3))
                        return &d->countries[i];
        return NULL;
}

const dm_lex_t *dm_dict_lex(const dm_dict_t *d)
{
        return &d->lex;
}

const dm_nouns_t *dm_dict_nouns(const dm_dict_t *d)
{
        return d->nouns;
}

const dm_rules_t *dm_dict_rules(const dm_dict_t *d)
{
        return d->rules;
}

const dm_options_t *dm_dict_options(const dm_dict_t *d)
{
        return &d->opts;
}
