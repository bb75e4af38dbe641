#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The phrase matcher is a word trie with one root per phrase kind. Edges
 * live in one open-addressed hash table keyed by (parent node, word, exact),
 * so matching a token costs one probe per candidate stem length. */

typedef struct dm_dict_node {
        const char *code;   /* NULL: no phrase ends here */
        const char *phrase;
} dm_dict_node_t;

typedef struct dm_dict_edge {
        uint32_t parent;
        uint32_t child; /* 0 = empty slot (node 0 is a root, never a child) */
        uint32_t word_len;
        uint8_t exact;
        const char *word;
        uint64_t hash;
} dm_dict_edge_t;

struct dm_dict {
        dm_dict_node_t *nodes;
        size_t node_count, node_cap;
        dm_dict_edge_t *edges;
        size_t edge_count, edge_mask;
        /* Interned strings (words, codes, phrases) are owned here. */
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
};

#define DM_DICT_ROOTS 3

static char *dm_dict_keep(dm_dict_t *d, char *s)
{
        dm_grow((void **)&d->strings, &d->string_cap, d->string_count + 1, sizeof(char *));
        d->strings[d->string_count++] = s;
        return s;
}

static uint64_t dm_dict_hash(uint32_t parent, uint8_t exact, const char *w, size_t n)
{
        uint64_t h = 1469598103934665603ULL ^ ((uint64_t)parent * 0x9e3779b97f4a7c15ULL) ^ exact;
        size_t i;
        for (i = 0; i < n; i++) {
                h ^= (unsigned char)w[i];
                h *= 1099511628211ULL;
        }
        return h;
}

static void dm_dict_edges_rehash(dm_dict_t *d)
{
        size_t ncap = d->edge_mask ? (d->edge_mask + 1) * 2 : 1024, i;
        dm_dict_edge_t *ne = dm_calloc(ncap, sizeof(*ne));
        for (i = 0; d->edge_mask && i <= d->edge_mask; i++) {
                dm_dict_edge_t *e = &d->edges[i];
                size_t j;
                if (!e->child)
                        continue;
                j = e->hash & (ncap - 1);
                while (ne[j].child)
                        j = (j + 1) & (ncap - 1);
                ne[j] = *e;
        }
        free(d->edges);
        d->edges = ne;
        d->edge_mask = ncap - 1;
}

static uint32_t dm_dict_edge_find(const dm_dict_t *d, uint32_t parent, uint8_t exact,
                                  const char *w, size_t n, uint64_t h)
{
        size_t j = h & d->edge_mask;
        while (d->edges[j].child) {
                const dm_dict_edge_t *e = &d->edges[j];
                if (e->hash == h && e->parent == parent && e->exact == exact &&
                    e->word_len == n && !memcmp(e->word, w, n))
                        return e->child;
                j = (j + 1) & d->edge_mask;
        }
        return 0;
}

static uint32_t dm_dict_new_node(dm_dict_t *d)
{
        dm_grow((void **)&d->nodes, &d->node_cap, d->node_count + 1, sizeof(*d->nodes));
        memset(&d->nodes[d->node_count], 0, sizeof(*d->nodes));
        return (uint32_t)d->node_count++;
}

static uint32_t dm_dict_edge_add(dm_dict_t *d, uint32_t parent, uint8_t exact, const char *w,
                                 size_t n)
{
        uint64_t h = dm_dict_hash(parent, exact, w, n);
        uint32_t child = dm_dict_edge_find(d, parent, exact, w, n, h);
        size_t j;
        if (child)
                return child;
        if ((d->edge_count + 1) * 2 > d->edge_mask + 1)
                dm_dict_edges_rehash(d);
        child = dm_dict_new_node(d);
        j = h & d->edge_mask;
        while (d->edges[j].child)
                j = (j + 1) & d->edge_mask;
        d->edges[j].parent = parent;
        d->edges[j].child = child;
        d->edges[j].exact = exact;
        d->edges[j].word = dm_dict_keep(d, dm_strndup(w, n));
        d->edges[j].word_len = (uint32_t)n;
        d->edges[j].hash = h;
        d->edge_count++;
        return child;
}

typedef struct dm_dict_src {
        const char *path;
        int line;
} dm_dict_src_t;

static void dm_dict_warn(dm_dict_t *d, const dm_dict_src_t *src, const char *msg)
{
        d->stats.warnings++;
        if (d->strict && !d->fatal) {
                d->fatal = 1;
                d->fatal_msg = dm_asprintf("%s:%d: %s", src->path, src->line, msg);
        }
        DM_LOG_WARN("dict", "%s:%d: %s", src->path, src->line, msg);
}

/* Adds phrase (as written in the file) with code under root kind. */
static void dm_dict_add_phrase(dm_dict_t *d, dm_phrase_kind_t kind, const char *phrase,
                               const char *code, const dm_dict_src_t *src)
{
        uint32_t node = (uint32_t)kind;
        const char *p = phrase;
        char word[256];
        int words = 0;
        while (*p) {
                size_t n = 0;
                int exact;
                while (*p == '_' || *p == ' ')
                        p++;
                if (!*p)
                        break;
                while (*p && *p != '_' && *p != ' ' && n + 1 < sizeof(word))
                        word[n++] = (char)toupper((unsigned char)*p++);
                word[n] = '\0';
                /* A word followed by a separator is whole; only the final word,
                 * with nothing after it, is a stem. */
                exact = *p != '\0';
                node = dm_dict_edge_add(d, node, (uint8_t)exact, word, n);
                words++;
        }
        if (!words) {
                dm_dict_warn(d, src, "empty phrase");
                return;
        }
        if (d->nodes[node].code) {
                if (strcmp(d->nodes[node].code, code)) {
                        char msg[512];
                        snprintf(msg, sizeof(msg),
                                 "duplicate phrase %s [%s]: keeping the earlier [%s]", phrase,
                                 code, d->nodes[node].code);
                        dm_dict_warn(d, src, msg);
                }
                return;
        }
        d->nodes[node].code = dm_dict_keep(d, dm_strdup(code));
        d->nodes[node].phrase = dm_dict_keep(d, dm_strdup(phrase));
        if (kind == DM_PHRASE_ACTOR)
                d->stats.actor_phrases++;
        else if (kind == DM_PHRASE_AGENT)
                d->stats.agent_phrases++;
        else
                d->stats.verb_phrases++;
}

static char *dm_dict_trim(char *s)
{
        char *e;
        while (isspace((unsigned char)*s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char)e[-1]))
                *--e = '\0';
        return s;
}

/* Parses "PHRASE [CODE ...] ..." into phrase and the first code. Returns 0,
 * or -1 when there is no bracketed code. */
static int dm_dict_split_entry(char *line, char **phrase, char *code, size_t code_size)
{
        char *lb = strchr(line, '['), *rb, *c;
        size_t n = 0;
        if (!lb)
                return -1;
        rb = strchr(lb, ']');
        if (!rb)
                return -1;
        *lb = '\0';
        *phrase = dm_dict_trim(line);
        c = lb + 1;
        while (c < rb && isspace((unsigned char)*c))
                c++;
        while (c < rb && !isspace((unsigned char)*c) && n + 1 < code_size)
                code[n++] = *c++;
        code[n] = '\0';
        return 0;
}

static int dm_dict_load_phrases(dm_dict_t *d, const char *path, dm_phrase_kind_t kind,
                                char *errstr, size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        char *line = NULL, prev_code[64] = "";
        size_t cap = 0;
        ssize_t n;
        int in_block = 0;
        dm_dict_src_t src = {path, 0};
        if (!fp) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return -1;
        }
        while ((n = getline(&line, &cap, fp)) >= 0) {
                char *s, *semi, *phrase, code[64];
                src.line++;
                if ((size_t)n != strlen(line)) {
                        dm_dict_warn(d, &src, "NUL byte in line");
                        continue;
                }
                s = dm_dict_trim(line);
                if (!*s || *s == '#')
                        continue;
                if (*s == '<') {
                        /* <NOUN>, <ADJECTIVE>, <SYNSETS>, <TIME> ... blocks hold
                         * entries the foundation matcher does not use. */
                        in_block = s[1] != '/';
                        continue;
                }
                /* ~FINISH and similar control lines end or mark sections. */
                if (in_block || *s == '-' || *s == '&' || *s == '~')
                        continue;
                semi = strchr(s, ';');
                if (semi)
                        *semi = '\0';
                s = dm_dict_trim(s);
                if (!*s)
                        continue;
                if (*s == '+') {
                        /* Synonym of the previous entry. */
                        char *syn = dm_dict_trim(s + 1);
                        if (!prev_code[0]) {
                                dm_dict_warn(d, &src, "synonym without a preceding entry");
                                continue;
                        }
                        if (dm_dict_split_entry(syn, &phrase, code, sizeof(code)) == 0 && code[0])
                                dm_dict_add_phrase(d, kind, phrase, code, &src);
                        else
                                dm_dict_add_phrase(d, kind, syn, prev_code, &src);
                        continue;
                }
                if (dm_dict_split_entry(s, &phrase, code, sizeof(code)) || !code[0]) {
                        dm_dict_warn(d, &src, "entry without a [CODE]");
                        continue;
                }
                if (kind == DM_PHRASE_AGENT && code[0] == '~')
                        memmove(code, code + 1, strlen(code));
                snprintf(prev_code, sizeof(prev_code), "%s", code);
                dm_dict_add_phrase(d, kind, phrase, code, &src);
        }
        free(line);
        fclose(fp);
        return 0;
}

static int dm_dict_load_countries(dm_dict_t *d, const char *path, char *errstr,
                                  size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        dm_dict_src_t src = {path, 0};
        if (!fp) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return -1;
        }
        while ((n = getline(&line, &cap, fp)) >= 0) {
                char *f[6] = {0}, *p = line, *nl;
                int k = 0;
                dm_country_info_t *c;
                src.line++;
                if ((nl = strchr(line, '\n')))
                        *nl = '\0';
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
                dm_grow((void **)&d->countries, &d->country_cap, d->country_count + 1,
                        sizeof(*c));
                c = &d->countries[d->country_count++];
                c->cameo = dm_dict_keep(d, dm_strdup(f[0]));
                c->iso3 = dm_dict_keep(d, dm_strdup(f[1]));
                c->name = dm_dict_keep(d, dm_strdup(f[3]));
                c->capital = dm_dict_keep(d, dm_strdup(f[4]));
        }
        d->stats.countries = d->country_count;
        free(line);
        fclose(fp);
        return 0;
}

/* Empty TSV fields mean "none". */
static const char *dm_dict_keep_field(dm_dict_t *d, const char *f)
{
        return f && *f ? dm_dict_keep(d, dm_strdup(f)) : NULL;
}

static int dm_dict_load_cameo(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        int header = 1;
        dm_dict_src_t src = {path, 0};
        if (!fp) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return -1;
        }
        while ((n = getline(&line, &cap, fp)) >= 0) {
                char *f[10] = {0}, *p = line, *nl;
                int k = 0;
                dm_cameo_info_t *c;
                src.line++;
                if ((nl = strchr(line, '\n')))
                        *nl = '\0';
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
        free(line);
        fclose(fp);
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

static int dm_dict_load_file(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size);

/* A TABARI .project names files by tag; paths are relative to it. */
static int dm_dict_load_project(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        char *line = NULL, *dir, *slash;
        size_t cap = 0;
        ssize_t n;
        int rc = 0;
        if (!fp) {
                snprintf(errstr, errstr_size, "%s: cannot open: %s", path, strerror(errno));
                return -1;
        }
        dir = dm_strdup(path);
        slash = strrchr(dir, '/');
        if (slash)
                slash[1] = '\0';
        else
                dir[0] = '\0';
        while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
                static const char *tags[] = {"<actorsfile>", "<agentsfile>", "<verbsfile>", NULL};
                const char **t;
                for (t = tags; *t; t++) {
                        char *p = strstr(line, *t), *name, *full;
                        if (p != line)
                                continue;
                        name = dm_dict_trim(p + strlen(*t));
                        full = name[0] == '/' ? dm_strdup(name) : dm_asprintf("%s%s", dir, name);
                        rc = dm_dict_load_file(d, full, errstr, errstr_size);
                        free(full);
                }
        }
        free(dir);
        free(line);
        fclose(fp);
        return rc;
}

static int dm_dict_load_file(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
{
        if (dm_dict_has_suffix(path, ".actors") || dm_dict_has_suffix(path, ".actors.txt"))
                return dm_dict_load_phrases(d, path, DM_PHRASE_ACTOR, errstr, errstr_size);
        if (dm_dict_has_suffix(path, ".agents") || dm_dict_has_suffix(path, ".agents.txt"))
                return dm_dict_load_phrases(d, path, DM_PHRASE_AGENT, errstr, errstr_size);
        if (dm_dict_has_suffix(path, ".verbs"))
                return dm_dict_load_phrases(d, path, DM_PHRASE_VERB, errstr, errstr_size);
        if (dm_dict_has_suffix(path, ".project"))
                return dm_dict_load_project(d, path, errstr, errstr_size);
        if (dm_dict_has_suffix(path, "countries.tsv"))
                return dm_dict_load_countries(d, path, errstr, errstr_size);
        if (dm_dict_has_suffix(path, "cameo.tsv"))
                return dm_dict_load_cameo(d, path, errstr, errstr_size);
        snprintf(errstr, errstr_size,
                 "%s: unknown dictionary type (expected .actors, .agents, .verbs, .project, "
                 "countries.tsv or cameo.tsv)",
                 path);
        return -1;
}

static int dm_dict_cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

static int dm_dict_load_dir(dm_dict_t *d, const char *path, char *errstr, size_t errstr_size)
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
                if (!dm_dict_has_suffix(de->d_name, ".actors") &&
                    !dm_dict_has_suffix(de->d_name, ".agents") &&
                    !dm_dict_has_suffix(de->d_name, ".verbs") &&
                    strcmp(de->d_name, "countries.tsv") && strcmp(de->d_name, "cameo.tsv"))
                        continue;
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
        if (rc == 0 && count == 0) {
                snprintf(errstr, errstr_size, "%s: no dictionary files in directory", path);
                rc = -1;
        }
        return rc;
}

dm_dict_t *dm_dict_load(const char *spec, int strict, char *errstr, size_t errstr_size)
{
        dm_dict_t *d = dm_calloc(1, sizeof(*d));
        char *copy = dm_strdup(spec), *save = NULL, *item;
        int rc = 0, k;
        d->strict = strict;
        for (k = 0; k < DM_DICT_ROOTS; k++)
                dm_dict_new_node(d);
        dm_dict_edges_rehash(d);
        for (item = strtok_r(copy, ",", &save); item && rc == 0;
             item = strtok_r(NULL, ",", &save)) {
                struct stat st;
                item = dm_dict_trim(item);
                if (!*item)
                        continue;
                if (stat(item, &st)) {
                        snprintf(errstr, errstr_size, "%s: %s", item, strerror(errno));
                        rc = -1;
                } else if (S_ISDIR(st.st_mode)) {
                        rc = dm_dict_load_dir(d, item, errstr, errstr_size);
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
        free(d->nodes);
        free(d->edges);
        free(d->countries);
        free(d->cameo);
        free(d->fatal_msg);
        free(d);
}

void dm_dict_get_stats(const dm_dict_t *d, dm_dict_stats_t *out)
{
        *out = d->stats;
}

const char *dm_dict_default_spec(void)
{
        const char *env = getenv("DEMARCHE_DICTIONARIES");
        struct stat st;
        if (env && *env)
                return env;
        if (stat(DM_DEFAULT_DICTIONARIES, &st) == 0 && S_ISDIR(st.st_mode))
                return DM_DEFAULT_DICTIONARIES;
        return DM_SOURCE_DICTIONARIES;
}

const dm_country_info_t *dm_dict_country(const dm_dict_t *d, const char *cameo)
{
        size_t i;
        if (!cameo)
                return NULL;
        for (i = 0; i < d->country_count; i++)
                if (!strncmp(d->countries[i].cameo, cameo, 3) && strlen(cameo) >= 3)
                        return &d->countries[i];
        return NULL;
}

/* Depth-first search for the deepest phrase end; a token may match the
 * whole-word edge or any stem edge that is a prefix of it. */
static void dm_dict_search(const dm_dict_t *d, uint32_t node, const char *const *toks, size_t n,
                           size_t i, size_t depth, uint32_t *best_node, size_t *best_depth)
{
        const char *w;
        size_t len, l;
        uint64_t h;
        uint32_t child;
        if (depth > 0 && d->nodes[node].code && depth > *best_depth) {
                *best_node = node;
                *best_depth = depth;
        }
        if (i >= n || depth >= 64)
                return;
        w = toks[i];
        len = strlen(w);
        h = dm_dict_hash(node, 1, w, len);
        child = dm_dict_edge_find(d, node, 1, w, len, h);
        if (child)
                dm_dict_search(d, child, toks, n, i + 1, depth + 1, best_node, best_depth);
        /* A whole word still takes the plural and possessive endings -S and
         * -'S, as the TABARI manual specifies. */
        for (l = 1; l <= 2 && l < len; l++) {
                if (w[len - 1] != 'S' || (l == 2 && w[len - 2] != '\''))
                        continue;
                h = dm_dict_hash(node, 1, w, len - l);
                child = dm_dict_edge_find(d, node, 1, w, len - l, h);
                if (child)
                        dm_dict_search(d, child, toks, n, i + 1, depth + 1, best_node,
                                       best_depth);
        }
        for (l = len; l >= 1; l--) {
                h = dm_dict_hash(node, 0, w, l);
                child = dm_dict_edge_find(d, node, 0, w, l, h);
                if (child)
                        dm_dict_search(d, child, toks, n, i + 1, depth + 1, best_node,
                                       best_depth);
        }
}

int dm_dict_match(const dm_dict_t *d, dm_phrase_kind_t kind, const char *const *toks, size_t n,
                  size_t i, dm_phrase_match_t *m)
{
        uint32_t best = 0;
        size_t best_depth = 0;
        dm_dict_search(d, (uint32_t)kind, toks, n, i, 0, &best, &best_depth);
        if (!best_depth)
                return 0;
        m->kind = kind;
        m->first = (uint32_t)i;
        m->ntokens = (uint32_t)best_depth;
        m->code = d->nodes[best].code;
        m->phrase = d->nodes[best].phrase;
        return 1;
}
