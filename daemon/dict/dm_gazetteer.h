/* The entity gazetteer: the project's own name lists that are not actor
 * dictionaries (the .tsv files in the dictionary directory):
 *
 *   organisations.tsv  code, canonical name, phrases of international and
 *                      regional organisations (the same phrases are in
 *                      organisations.actors for the coder; here they give the
 *                      normalised name of an organisation code)
 *   places.tsv         cities, regions, islands, disputed territories, each
 *                      with the CAMEO code of its country (empty: none)
 *   leaders.tsv        heads of state and government and foreign ministers
 *                      with their terms; a person is coded XXXGOV during a
 *                      term and XXXELI outside it
 *   bodies.tsv         national bodies ("Foreign Ministry", "the Kremlin"'s
 *                      kin "the government") with the agent code they take;
 *                      their country is resolved by the annotator
 *   titles.tsv         titles that introduce a person ("Foreign Minister X")
 *                      with the agent code of the office
 *
 * The dictionaries own one (dm_dict_gazetteer), from the configured
 * dictionary directory. Loaded once and read-only afterwards: dm_gaz_new,
 * dm_gaz_load and dm_gaz_destroy on one thread, every other function from
 * any thread. */
#ifndef DM_GAZETTEER_H
#define DM_GAZETTEER_H

#include "demarche/dm_article.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_gaz dm_gaz_t;

typedef enum dm_gaz_kind {
        DM_GAZ_ORG = 0,
        DM_GAZ_PLACE,
        DM_GAZ_LEADER,
        DM_GAZ_BODY,
        DM_GAZ_TITLE,
} dm_gaz_kind_t;

/* One entry; every string is owned by the gazetteer. */
typedef struct dm_gaz_entry {
        dm_gaz_kind_t kind;
        const char *name;       /* canonical name */
        const char *code;       /* organisation code; agent suffix for bodies/titles */
        const char *country;    /* CAMEO country code, NULL when none */
        const char *role;       /* leaders: HOS, HOG, FM; titles: the office they name
                                 * (optional); places: kind of place */
        int64_t from_ms, to_ms; /* leaders' term; INT64_MIN / INT64_MAX open */
} dm_gaz_entry_t;

/* An empty gazetteer (nothing matches). */
dm_gaz_t *dm_gaz_new(void);
/* Loads the .tsv files above from dir (a missing file is skipped). Returns
 * NULL with errstr set when dir cannot be read. */
dm_gaz_t *dm_gaz_load(const char *dir, char *errstr, size_t errstr_size);
void dm_gaz_destroy(dm_gaz_t *g);
/* 1 when dir holds at least one of the .tsv files above, else 0. */
int dm_gaz_found(const char *dir);

/* Longest phrase of the given kind starting at token i of the upper-cased
 * words toks[0..n). For leaders sharing a phrase, the one in office on
 * date_ms (else the most recent before it) wins. Returns the number of
 * tokens matched (0: none) and sets *e. */
size_t dm_gaz_match(const dm_gaz_t *g, dm_gaz_kind_t kind, const char *const *toks, size_t n,
                    size_t i, int64_t date_ms, const dm_gaz_entry_t **e);

/* The organisation with this code, or NULL. */
const dm_gaz_entry_t *dm_gaz_org(const dm_gaz_t *g, const char *code);

/* "2022-03-21" / "2022-03" / "2022" to UTC ms (the first instant); -1 when
 * malformed. */
int64_t dm_gaz_parse_date(const char *s, int end_of_period);

#endif
