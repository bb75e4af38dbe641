/* Dictionaries: actors, agents, verbs and country facts, loaded once and
 * compiled into one read-only structure shared by every worker thread.
 *
 * A dictionary spec is a directory (every dictionary file in it, by name:
 * *.actors, *.agents, *.verbs, *.nouns, *.rules, *.options, Phoenix *.actors.txt,
 * *agents.txt, CAMEO.*.txt verbs, *discards*, *issue*, countries.tsv and
 * cameo.tsv, in sorted order), a TABARI .project file, or a comma-separated
 * list of files and directories. Files load in the order given; for the
 * same phrase (and kind) the first loaded entry wins, so put the set that
 * should take precedence first. Options files apply in order (later
 * commands override earlier ones).
 *
 * Phrase semantics follow the TABARI manual (see dm_lex.h and
 * docs/CODER.md): a word followed by a blank is a stem and may be followed
 * by other words before the next; '_' makes it whole and the next word
 * adjacent; a final '_' keeps the regular endings -S -ES -ED -EN -ING -'S.
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
 * environment, else the installed dictionaries. No source-tree path is
 * compiled in: tests and benches point DEMARCHE_DICTIONARIES at the tree. */
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

/* The entity gazetteer (dm_gazetteer.h): the lists of the first directory
 * of the spec that holds them, else of dm_dict_default_spec()'s (a TABARI
 * .project or Phoenix set still gets the project's own lists); empty, with a
 * warning, when there are none. Loaded on the first call, which any thread
 * may make; borrowed, valid for the dictionary's lifetime. */
struct dm_gaz;
const struct dm_gaz *dm_dict_gazetteer(const dm_dict_t *d);

/* The dependency parser's model that goes with these dictionaries
 * (dm_parse_model_default_path(): $DEMARCHE_MODELS, else the installed
 * models). Loaded on the first call, which any thread may make; borrowed,
 * read-only, valid for the dictionary's lifetime. NULL with the reason in
 * errstr when it cannot be loaded (every later call says the same). */
struct dm_parse_model;
const struct dm_parse_model *dm_dict_parser(const dm_dict_t *d, char *errstr, size_t errstr_size);

/* The compiled lexicon and the options read from a TABARI project or
 * .options file (defaults otherwise). Borrowed, read-only, valid for the
 * dictionary's lifetime; for the coder. */
const struct dm_lex *dm_dict_lex(const dm_dict_t *d);
const struct dm_options *dm_dict_options(const dm_dict_t *d);

/* The event nouns of the *.nouns files (dict/dm_nouns.h), empty when there
 * are none. Borrowed, read-only; for the coder in parse mode. */
struct dm_nouns;
const struct dm_nouns *dm_dict_nouns(const dm_dict_t *d);

/* The annotator's frames, domestic frames and code sets of the *.rules files
 * (dict/dm_rules.h). A SPEC that names no *.rules file (a TABARI or
 * Phoenix set) gets those of the default dictionaries directory, as for
 * cameo.tsv: the frames belong to the annotator, not to a dictionary set.
 * Borrowed, read-only, valid for the dictionary's lifetime; any thread. */
struct dm_rules;
const struct dm_rules *dm_dict_rules(const dm_dict_t *d);

/* A TABARI record or dictionary date (YYMMDD, or YYYYMMDD when yyyy is set)
 * as YYYYMMDD, or -1 when malformed. Any thread. */
long dm_dict_tabari_date(const char *s, size_t n, int yyyy);

#endif
