/* Domestic events: what a country's people and institutions do to each
 * other. News states them without a second country and often without a
 * named actor: "Haitian teachers went on strike", "police arrested dozens
 * of protesters", "the government lifted the curfew", "a curfew was imposed
 * in Muscat", "gunmen abducted two aid workers". The coder's patterns need
 * two actors from the actor dictionaries; the frames here take group nouns
 * ("protesters", "teachers", "authorities", "gunmen") as actors and give
 * them a country: the country word before them ("Haitian teachers",
 * "Kenya's police"), else a place or country named after the trigger ("in
 * Nairobi"), else the country the article is about at that point.
 *
 * Each frame says which kind of actor may do it: state bodies arrest, impose
 * curfews, release prisoners and deploy troops; civilians, workers and the
 * opposition protest and strike; armed groups attack and abduct. A frame
 * whose subject is of another kind does not fire, which keeps "protesters
 * detained" and "police protested" out.
 *
 * The frames, the group nouns and the agents of each class are data: the
 * dictionaries' domestic.rules (dm_rules); this module holds what each
 * kind of frame, target and flag does.
 *
 * Pure functions over caller-owned data and read-only rules; any thread. */
#ifndef DM_DOMESTIC_H
#define DM_DOMESTIC_H

#include "coding/dm_frames.h"
#include "input/dm_text.h"

#include <stddef.h>

typedef struct dm_domestic_party {
        char code[24];       /* "HTIEDU", "KENCOP"; "" none */
        const char *country; /* CAMEO country code; borrowed, NULL none */
        size_t first, last;  /* tokens */
} dm_domestic_party_t;

typedef struct dm_domestic_event {
        const char *code;                   /* CAMEO event code; owned by the rules */
        const char *rule;                   /* "arrest"; owned by the rules */
        dm_domestic_party_t source, target; /* target.code "" when none */
        size_t trig_first, trig_last;       /* the trigger's tokens */
} dm_domestic_event_t;

/* Compiles the matcher's own word lists once (dm_phrases); called from the
 * annotator's one-time initialisation, before any worker codes. The rules'
 * lists are compiled when they are loaded. */
void dm_domestic_register_phrases(void);

/* Codes the rules' domestic frames in one tokenised sentence. actors are the
 * sentence's classified actors (dm_frames_classify); place_country[i] is
 * the country of a place or country named at token i (NULL none; the array
 * may be NULL); ctx is the article's country at this point (NULL none).
 * Writes at most max events and returns how many. */
size_t dm_domestic_code(const dm_rules_t *rules, const dm_tokens_t *tk,
                        const dm_frame_actor_t *actors, size_t nactors,
                        const char *const *place_country, const char *ctx, dm_domestic_event_t *out,
                        size_t max);

#endif
