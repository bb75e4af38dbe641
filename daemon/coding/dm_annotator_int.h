#ifndef DM_ANNOTATOR_INT_H
#define DM_ANNOTATOR_INT_H

/* Private to the annotator (dm_annotator.c) and its people pass
 * (dm_ann_people.c): the annotator's state and the mentions of the current
 * sentence. One annotator is used by one thread at a time. */

#include "demarche/dm_annotator.h"
#include "demarche/dm_coder.h"
#include "coding/dm_frames.h"
#include "dict/dm_gazetteer.h"
#include "input/dm_text.h"

#include <stddef.h>
#include <stdint.h>

#define DM_ANN_MAX_PEOPLE  16
#define DM_ANN_MAX_OFFICES 8

/* A mention found in the current sentence. */
typedef struct dm_ann_mention {
        dm_entity_type_t type;
        const char *name;    /* canonical name; NULL: use the text */
        char code[32];       /* actor code, "" none */
        const char *country; /* CAMEO country, NULL none */
        size_t first, last;  /* tokens */
        size_t lead;         /* first token of the name with its courtesy title ("Mr") */
        int actor;           /* usable as an event actor */
        int pronoun;         /* "it", "he": an actor for events, no entity */
        /* A person of no code named with a courtesy title that has an
         * agent ("-CVL" in titles.tsv), and the country word beside it. */
        const char *courtesy, *courtesy_cc;
        const char *role; /* a leader's office (leaders.tsv role), NULL none */
        int gaz_name;     /* a gazetteer name that replaced the mentions inside it */
} dm_ann_mention_t;

struct dm_annotator {
        const dm_dict_t *dict;
        const dm_gaz_t *gaz;
        size_t max_text;
        dm_coder_t *coder;
        dm_span_t *sents;
        size_t sent_cap;
        dm_tokens_t toks;
        dm_ann_mention_t *ments;
        size_t ment_count, ment_cap;
        dm_frame_actor_t *factors;
        size_t factor_cap;
        const char **place_cc; /* per token: the country of a place named there */
        size_t place_cap;
        /* Country mention counts so far in the article: the country the
         * article is about at this point resolves "the Foreign Ministry". */
        const char **ctx_codes;
        double *ctx_weights;
        size_t ctx_count, ctx_cap, ctx_wcap;
        uint32_t lead_start, lead_end;
        const char *last_subject; /* country of the latest sentence subject */
        /* This sentence is set in the past as a whole, or continues the
         * previous one that was, naming no time of its own
         * (dm_flags_sentence). */
        int sent_past, prev_past;
        /* The latest sentence subject, for a sentence opening with "It". */
        char subj_code[32];
        const char *subj_country;
        /* Parse mode: the person and the thing the latest sentences were
         * about, for pronouns (dm_coder_set_context), and the actors the
         * gazetteer found in this sentence, for the coder. */
        char ref_person[32], ref_thing[32];
        int frames; /* dm_annotator_set_frames */
        /* The people the article has named with an office or beside an
         * actor so far, by surname: "Culture Minister Alun Pugh" makes the
         * later "Mr Pugh" an actor too. Oldest replaced first. */
        struct {
                char name[32], code[32];
                const char *country;
        } people[DM_ANN_MAX_PEOPLE];
        size_t npeople, people_next;
        /* The holders of the offices the article has named, by role
         * (leaders.tsv: HOS, HOG, FM): "the prime minister" after "Tony
         * Blair" is Blair. The latest named wins; reset per article. */
        struct {
                char role[8], code[32];
                const char *country, *name; /* borrowed from the gazetteer */
        } offices[DM_ANN_MAX_OFFICES];
        size_t noffices;
        dm_coded_actor_t *extras;
        size_t extra_cap;
};

/* dm_annotator.c: the mentions of the current sentence and the article's
 * countries. */
dm_ann_mention_t *dm_ann_add(dm_annotator_t *a, dm_entity_type_t type, size_t first, size_t last);
/* The same for a name that replaces the shorter mentions inside it ("Kim
 * Jong Un" over the "UN" the actor dictionaries read in it). */
dm_ann_mention_t *dm_ann_add_over(dm_annotator_t *a, dm_entity_type_t type, size_t first,
                                  size_t last);
int dm_ann_covered(const dm_annotator_t *a, size_t i);
const char *dm_ann_ctx_country(const dm_annotator_t *a);
const char *dm_ann_covering_country(const dm_annotator_t *a, size_t i);
const char *dm_ann_adjacent_country(const dm_annotator_t *a, size_t i);
int dm_ann_country_before(const dm_annotator_t *a, size_t i);
/* Whether mention m follows a preposition (the object of a phrase). */
int dm_ann_after_prep(const dm_annotator_t *a, const dm_ann_mention_t *m);

/* dm_ann_people.c: people, places, organisations and bodies the gazetteer
 * knows, and the article's memory of people. */
int dm_ann_capitalised(const char *text, const dm_token_t *t);
/* A leader's code on the date into m. */
void dm_ann_leader(dm_ann_mention_t *m, const dm_gaz_entry_t *le, int64_t date_ms);
void dm_ann_gazetteer(dm_annotator_t *a, const char *text, int64_t date_ms);
void dm_ann_people_named_by_actors(dm_annotator_t *a, const char *text);
void dm_ann_people_in_apposition(dm_annotator_t *a, const char *text);
void dm_ann_people_beside_actors(dm_annotator_t *a);
void dm_ann_courtesy_people(dm_annotator_t *a);
/* Remembers the offices (roles) of the sentence's leaders for the article. */
void dm_ann_offices_learn(dm_annotator_t *a);
/* After a parsed sentence: who the next sentences' pronouns stand for. */
void dm_ann_remember_refs(dm_annotator_t *a, const char *text, const dm_coded_sentence_t *cs);

#endif
