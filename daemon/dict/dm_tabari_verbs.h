/* Loaders for TABARI .verbs files (synsets, <TIME> phrases, roots, irregular
 * forms, patterns), Phoenix/PETRARCH CAMEO.2.0.txt verbs (approximated: see
 * docs/CODER.md), TABARI and Phoenix issues files and Phoenix discards.
 *
 * Same contract as dm_tabari.h: problems are warned with file:line and
 * skipped; -1 only when the file cannot be opened. One thread. */
#ifndef DM_TABARI_VERBS_H
#define DM_TABARI_VERBS_H

#include "dict/dm_tabari.h"

int dm_tabari_verbs_load(dm_tabari_loader_t *ld, const char *path, char *errstr,
                         size_t errstr_size);
int dm_tabari_verbs_load_issues(dm_tabari_loader_t *ld, const char *path, char *errstr,
                                size_t errstr_size);
int dm_tabari_verbs_load_discards(dm_tabari_loader_t *ld, const char *path, char *errstr,
                                  size_t errstr_size);

#endif
