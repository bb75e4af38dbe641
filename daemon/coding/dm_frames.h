/* Event frames and event flags, in the annotator layer beside the coder.
 *
 * The coder codes verb patterns between actors. Diplomatic reporting also
 * states events as nouns and fixed phrases the coder's patterns do not reach
 * ("Norwegian sanctions against Iran", "restrictions imposed by Australia
 * against Myanmar", "has broken off talks to settle its quarrel with
 * Uganda", "Chile and Bolivia signed a border agreement"). The frames here
 * code those, with the subject found the way news sentences put it (the
 * nearest actor before the trigger that is not the object of a preposition;
 * the sentence's first subject for a coordinated "..., and has broken off").
 *
 * The flags apply to every event, the coder's too: negated ("never",
 * "not"), hypothetical ("would", "could", "if", "threatened to") and
 * historical (the trigger's clause is anchored before the article's date by
 * "in 1904", "on May 2", "between 1904 and 1929").
 *
 * What the frames are (their words, codes and kinds) is data: the
 * dictionaries' frames.rules (dm_rules); this module holds what each kind
 * of frame does.
 *
 * Pure functions over caller-owned data and read-only rules; any thread. */
#ifndef DM_FRAMES_H
#define DM_FRAMES_H

#include "dict/dm_rules.h"
#include "input/dm_text.h"

#include <stddef.h>
#include <stdint.h>

/* An actor in the sentence, with the tokens it covers. */
typedef struct dm_frame_actor {
        const char *code;    /* actor code, e.g. "RUSGOV", "IGOWSTNAT" */
        const char *country; /* CAMEO country code or NULL */
        size_t first, last;  /* token indices, inclusive */
        /* A country word that only modifies another noun ("British teenager",
         * "Peruvian-backed forces", "the Chile-Peru route"): the sentence's
         * actor is that noun, which is no state actor. Such actors are only a
         * source of nominal frames ("Norwegian sanctions"). */
        int modifier;
        int official; /* a government or organisation actor, or followed by an
                       * official noun ("US officials", "the Turkish president") */
} dm_frame_actor_t;

typedef struct dm_frame_event {
        size_t source, target;        /* indices into the actors */
        const char *code;             /* CAMEO event code; owned by the rules */
        const char *rule;             /* the frame that matched; owned by the rules */
        size_t trig_first, trig_last; /* the trigger's tokens */
} dm_frame_event_t;

/* Sets a->modifier and a->official from the words around the actor and
 * its agent (the rules' private agents are not official); adjective says
 * the actor's text is a country adjective or demonym ("British",
 * "Japanese") rather than a name or a government. */
void dm_frames_classify(const dm_rules_t *rules, const dm_tokens_t *tk, dm_frame_actor_t *a,
                        int adjective);

/* Codes the rules' frames in one tokenised sentence; writes at most max
 * events and returns how many. Events between actors of the same country
 * are not coded. */
size_t dm_frames_code(const dm_rules_t *rules, const dm_tokens_t *tk,
                      const dm_frame_actor_t *actors, size_t nactors, dm_frame_event_t *out,
                      size_t max);

/* Whether the coder's event with its trigger at token trig and its actors
 * over the given tokens reads as an event. It does not when the trigger is
 * a noun ("Ankara's demands for a truce", "the claims of victory"), an
 * infinitive ("forces raised to fight"), or passive (the coder's source is
 * then the target); when it is a statement (CAMEO 01x: "said", "says" are
 * no diplomatic events); or when an actor is a country word modifying a
 * private noun ("a British film-maker"). actors/nactors are the sentence's
 * classified actors; src_tok/tgt_tok the first tokens of the coder's source
 * and target ((size_t)-1 for none). */
int dm_frames_accept_coded(const dm_rules_t *rules, const dm_tokens_t *tk, const char *code,
                           const char *src_code, size_t trig, const dm_frame_actor_t *actors,
                           size_t nactors, size_t src_tok, size_t tgt_tok);

#endif
