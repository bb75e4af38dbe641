/* The event coder: one sentence in, the actors found and the events coded
 * (who did what to whom, as CAMEO codes) out, following the coding rules of
 * the TABARI 0.8.4 manual (see docs/CODER.md).
 *
 * A coder is a per-thread handle borrowing the shared read-only dictionaries
 * and owning its scratch; the output of dm_coder_code_sentence lives in that
 * scratch and stays valid until the next call on the same coder. */
#ifndef DM_CODER_H
#define DM_CODER_H

#include "demarche/dm_dict.h"
#include "demarche/dm_options.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_coder dm_coder_t;

/* An actor mention: a dictionary actor (with any agent attached) found in
 * the sentence. Offsets are bytes into the text passed to the coder. */
typedef struct dm_coded_actor {
        const char *code;   /* e.g. "JPN", "RUSGOV"; scratch-owned */
        const char *phrase; /* dictionary phrase that matched; borrowed */
        uint32_t start, end;
        /* dm_coder_set_context's extras: a proper name the caller knows
         * ("Kim Jong Un"), which outranks a shorter dictionary actor inside
         * it ("UN"), as a longer dictionary phrase would. */
        int name;
} dm_coded_actor_t;

typedef struct dm_coded_event {
        dm_coded_actor_t source;
        dm_coded_actor_t target; /* code NULL when the event has no target */
        const char *code;        /* CAMEO event code, e.g. "042" */
        const char *verb_phrase; /* the verb or pattern that matched; borrowed */
        uint32_t verb_start, verb_end;
        int negated;
        int historical;   /* parse mode: an event noun dated by a year before the
                           * sentence's ("Obama's 2013 deal" in 2018) */
        int hypothetical; /* parse mode: a modal or future auxiliary, or a
                           * conditional clause, on the verb */
        const char *path; /* parse mode: how the roles were read from the parse
                           * ("nsubj>obl:on"); NULL otherwise; scratch-owned */
} dm_coded_event_t;

typedef struct dm_coded_sentence {
        dm_coded_actor_t *actors;
        size_t actor_count;
        dm_coded_event_t *events;
        size_t event_count;
        int discarded;       /* a discard phrase matched: no events */
        int complex;         /* a complex code or a COMPLEX: condition: no events */
        int truncated;       /* longer than TABARI's 127 words: the rest was ignored */
        const char **issues; /* issue codes found (TABARI <ISSUES>, Phoenix issue
                              * coding), each once; borrowed from the dictionary */
        size_t issue_count;
        int date_shift_days; /* from a <TIME> phrase ("yesterday": -1) when time
                              * shifting is on; the events happened this many
                              * days from the sentence's date */
        /* Parse mode, when the sentence was parsed: the bytes of the actor
         * that is the subject of its main verb (start == end: none). */
        uint32_t subject_start, subject_end;
} dm_coded_sentence_t;

dm_coder_t *dm_coder_new(const dm_dict_t *dict);
void dm_coder_destroy(dm_coder_t *c);

/* Codes text[start, end) as one sentence. date_ms (-1 unknown) selects
 * date-restricted actor codes. Returns 0; out points into the coder's
 * scratch. */
int dm_coder_code_sentence(dm_coder_t *c, const char *text, uint32_t start, uint32_t end,
                           int64_t date_ms, dm_coded_sentence_t *out);

/* The actors (and issues) of text[start, end) only: no verb is coded and
 * nothing is parsed. Output as dm_coder_code_sentence's, events empty. */
int dm_coder_find_actors(dm_coder_t *c, const char *text, uint32_t start, uint32_t end,
                         int64_t date_ms, dm_coded_sentence_t *out);

/* Same with the date as YYYYMMDD (0 unknown), as TABARI records carry it. */
int dm_coder_code_ymd(dm_coder_t *c, const char *text, uint32_t start, uint32_t end, long ymd,
                      dm_coded_sentence_t *out);

/* Parse mode: sources and targets come from a dependency parse of each
 * sentence (docs/CODER.md) made with model m (borrowed: it must outlive the
 * coder; dm_dict_parser() gives the dictionaries' model). NULL returns to
 * TABARI mode, a new coder's, in which they come from word order as TABARI
 * assigns them. Not while a sentence's output is in use. */
struct dm_parse_model;
void dm_coder_set_parser(dm_coder_t *c, const struct dm_parse_model *m);
int dm_coder_parse_mode(const dm_coder_t *c);

/* Parse mode: what the article so far tells about the next sentences,
 * copied (pointers are not kept); NULL or "" for none. country: the
 * article's country, for agents named without one ("the government" ->
 * country + GOV). person, thing: the actor codes that "he"/"she" and
 * "it"/"they" stand for when the sentence names no actor before them.
 * extras: actors found outside the dictionaries (people the gazetteer
 * knows), by byte span in the text of the next sentences, with their codes.
 * Such actors take part in events but are not listed as the sentence's
 * actors. Ignored in TABARI mode. */
void dm_coder_set_context(dm_coder_t *c, const char *country, const char *person, const char *thing,
                          const dm_coded_actor_t *extras, size_t nextras);

/* The coder's own copy of the options (initially the dictionary's); the
 * caller may change it between sentences (validation option records). */
dm_options_t *dm_coder_options(dm_coder_t *c);

#endif
