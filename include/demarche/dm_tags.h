/* Document tags: the themes of an article (sanctions, negotiations,
 * territorial dispute, armed conflict, trade, travel and visas, ...) from its
 * words and its events, and the countries it is about, ranked by the
 * salience of their mentions and of their people, bodies and places.
 *
 * Pure function over a finished result; any thread. */
#ifndef DM_TAGS_H
#define DM_TAGS_H

#include "demarche/dm_article.h"
#include "demarche/dm_dict.h"

/* Fills r->themes and r->countries (replacing any); r->text, entities and
 * events must be final. */
void dm_tags_compute(const dm_dict_t *dict, dm_result_t *r);

#endif
