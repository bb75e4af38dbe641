/* Document-level tags of an annotated article: entity salience, themes
 * (sanctions, negotiations, armed conflict, ...) and the countries the
 * article is about, ranked. They read the result's entities, events and
 * text after every sentence is annotated.
 *
 * Pure functions over the caller's result; any thread. */
#ifndef DM_TAGS_H
#define DM_TAGS_H

#include "demarche/dm_article.h"
#include "demarche/dm_dict.h"

/* Normalises the entities' salience (weighted mentions: title 3, lead 2,
 * body 1) so that it sums to 1. */
void dm_tags_salience(dm_result_t *r);

/* Sets r->themes and r->countries (ranked, scores summing to 1); dict
 * resolves country codes to names. Call after dm_tags_salience. */
void dm_tags_document(const dm_dict_t *dict, dm_result_t *r);

#endif
