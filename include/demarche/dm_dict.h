/* Dictionaries: actors, agents, verbs and country facts, loaded once and
 * compiled into one read-only structure shared by every worker thread.
 *
 * A dictionary spec is a directory (every *.actors, *.agents, *.verbs file in
 * it, plus countries.tsv), a TABARI .project file, or a comma-separated list
 * of files. Files load in the order given; for the same phrase the first
 * loaded entry wins (so put the set that should take precedence first).
 *
 * Phrase semantics follow the TABARI manual: words are upper-cased, words in
 * a phrase are joined by '_' or spaces, every word but the last must match a
 * whole word, and the last word is a stem (matches any word it begins) unless
 * it is followed by '_'.
 *
 * Thread rules: dm_dict_load and dm_dict_destroy on one thread; every other
 * function may be called concurrently from any thread once loaded. */
#ifndef DM_DICT_H
#define DM_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dm_dict dm_dict_t;

typedef struct dm_dict_stats {
        size_t actor_phrases;
        size_t agent_phrases;
        size_t verb_phrases;
        size_t countries;
        size_t warnings; /* malformed or duplicate entries skipped */
} dm_dict_stats_t;

/* Loads and compiles. Malformed or duplicate entries are logged as file:line
 * warnings and skipped; with strict set they are fatal. Returns NULL with
 * errstr set on failure. */
dm_dict_t *dm_dict_load(const char *spec, int strict, char *errstr, size_t errstr_size);
void dm_dict_destroy(dm_dict_t *d);
void dm_dict_get_stats(const dm_dict_t *d, dm_dict_stats_t *out);

/* The default spec when none is configured: DEMARCHE_DICTIONARIES from the
 * environment, else the installed dictionaries, else the source tree's. */
const char *dm_dict_default_spec(void);

/* Country facts from countries.tsv (NULL when unknown). Borrowed pointers,
 * valid for the dictionary's lifetime. */
typedef struct dm_country_info {
        const char *cameo;
        const char *iso3;
        const char *name;
        const char *capital;
} dm_country_info_t;

const dm_country_info_t *dm_dict_country(const dm_dict_t *d, const char *cameo);

/* CAMEO code facts from cameo.tsv (NULL when unknown). Borrowed. */
typedef struct dm_cameo_info {
        const char *code;
        const char *root;
        int quad_class;
        double goldstein; /* GDELT's table */
        const char *name;
        const char *plover_category; /* NULL when the mapping gives none */
        const char *plover_mode;
        const char *plover_context;
} dm_cameo_info_t;

const dm_cameo_info_t *dm_dict_cameo(const dm_dict_t *d, const char *code);

/* Kinds of phrase in the compiled matcher. */
typedef enum dm_phrase_kind {
        DM_PHRASE_ACTOR = 0,
        DM_PHRASE_AGENT,
        DM_PHRASE_VERB,
} dm_phrase_kind_t;

/* A matched phrase over tokens [first, first+ntokens). */
typedef struct dm_phrase_match {
        dm_phrase_kind_t kind;
        uint32_t first, ntokens;
        const char *code;   /* borrowed: e.g. "JPN", "RUSGOV", "042" */
        const char *phrase; /* borrowed: the dictionary phrase as written */
} dm_phrase_match_t;

/* Longest match of any phrase of the given kind starting at token index i of
 * the upper-cased token words toks[0..n). Returns 1 and fills *m, else 0. */
int dm_dict_match(const dm_dict_t *d, dm_phrase_kind_t kind, const char *const *toks, size_t n,
                  size_t i, dm_phrase_match_t *m);

#endif
