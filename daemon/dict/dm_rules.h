/* The annotator's event rules as data: the frames (dm_frames), the
 * domestic frames and their group nouns (dm_domestic), and the facts about
 * CAMEO codes and agent codes those mechanisms need, read from the
 * dictionaries' *.rules files (dictionaries/frames.rules,
 * dictionaries/domestic.rules; the format is in docs/CODER.md, "Frames and
 * domestic rules as data").
 *
 * What a row is (a frame's kind, a domestic frame's target, its flags) is a
 * keyword in the file mapped to the enums below; what each kind does stays
 * in dm_frames.c and dm_domestic.c.
 *
 * Ownership and threads: a dm_rules_t is built by dm_rules_load (one call
 * per file, in the dictionaries' load order) before any worker reads it,
 * then only read, from any thread, until dm_rules_destroy. Everything the
 * accessors return (rows, names, codes, phrase lists) is owned by it and
 * lives as long as it. */
#ifndef DM_RULES_H
#define DM_RULES_H

#include "dict/dm_phrases.h"

#include <stddef.h>

/* A frame: TRIGGER [up to gap tokens] NOUN [up to 8 tokens] PREP TARGET,
 * with the source found by kind. */
typedef enum dm_frame_kind {
        DM_FRAME_SUBJECT = 0, /* subject: source is the clause's subject */
        DM_FRAME_NOMINAL,     /* nominal: source is the actor just before the noun */
        DM_FRAME_PASSIVE,     /* passive: NOUN TRIGGER(...BY) SOURCE PREP TARGET */
        DM_FRAME_OBJECT,      /* object: target is the object right after the trigger */
        DM_FRAME_SYMMETRIC,   /* symmetric: "A and B signed ...": target B */
        DM_FRAME_GAP_TARGET,  /* gap-target: target is the actor between trigger and noun */
} dm_frame_kind_t;

typedef struct dm_frame_rule {
        const char *name; /* reported as the event's pattern: "frame:halt-talks" */
        const char *code; /* CAMEO event code */
        dm_frame_kind_t kind;
        const dm_phrase_list_t *triggers; /* NULL: none */
        int gap;
        const dm_phrase_list_t *nouns; /* NULL: none */
        const dm_phrase_list_t *preps; /* NULL: none */
        /* A country word right before one of these nouns, after the
         * trigger, is the target: "criticised the Turkish invasion". */
        const dm_phrase_list_t *deeds; /* NULL: none */
        int official;                  /* the source must be official: meetings and visits of
                                        * private people are no diplomatic events */
} dm_frame_rule_t;

/* Who may do what: S state bodies (government, police, military, courts,
 * parliament; a bare country name stands for its state), C civilians,
 * workers, students, the opposition, V armed groups. */
enum { DM_DOM_S = 1, DM_DOM_C = 2, DM_DOM_V = 4 };

typedef struct dm_dom_group {
        const dm_phrase_list_t *words;
        const char *agent; /* three letters: "CVL" */
        int cls;           /* one DM_DOM_* */
} dm_dom_group_t;

typedef enum dm_dom_kind {
        DM_DOM_VERB = 0, /* verb: SUBJECT TRIGGER [up to gap tokens NOUN] */
        DM_DOM_NOMINAL,  /* nominal: NOUN [was|were|has been ...] TRIGGER: "curfew was imposed" */
        DM_DOM_VICTIM,   /* victim: TRIGGER [up to gap tokens] NOUN, no subject: "eight
                          * killed in Istanbul bomb explosion"; the source is the place's */
} dm_dom_kind_t;

typedef enum dm_dom_target {
        DM_DOM_T_NONE = 0,
        DM_DOM_T_OBJECT,  /* object: the group or actor after the trigger (and noun) */
        DM_DOM_T_AGAINST, /* against: the group or actor after "against" */
        DM_DOM_T_PREP,    /* prep: the actor after "to", "with", "from", "against", "on":
                           * may be another country ("made concessions to Mali") */
} dm_dom_target_t;

/* What a domestic frame needs beyond its phrases (dm_dom_rule_t.flags);
 * the file's keyword after each. */
enum {
        /* says: a verb of saying (demand, accuse, investigate, threaten): its
         * object follows it at once, is a group or an agent, never the
         * source itself ("accused the police", not "warned on Tuesday that
         * the US"). */
        DM_DOM_F_SAYS = 1 << 0,
        DM_DOM_F_NEED_TARGET = 1 << 1, /* need-target: no event without a target */
        DM_DOM_F_TARGET_C = 1 << 2,    /* target-civil: the target is civil */
        DM_DOM_F_TARGET_V = 1 << 3,    /* target-armed: the target is an armed group */
        /* target-not-state: the target is no state body (deporting people,
         * not expelling a diplomat). */
        DM_DOM_F_TARGET_NOT_S = 1 << 4,
        DM_DOM_F_ABROAD = 1 << 5,  /* abroad: the target may be of another country */
        DM_DOM_F_NUMBERS = 1 << 6, /* numbers: NOMINAL, a force moved in numbers */
};

typedef struct dm_dom_rule {
        const char *name; /* reported as "domestic:NAME" */
        const char *code; /* CAMEO event code */
        dm_dom_kind_t kind;
        int cls; /* the subjects allowed, DM_DOM_* */
        const dm_phrase_list_t *triggers;
        int gap;
        const dm_phrase_list_t *nouns; /* NULL: none */
        dm_dom_target_t target;
        const char *agent; /* NOMINAL, VICTIM: the source's agent when no "by"
                            * names it; "" none (the country alone) */
        unsigned flags;    /* DM_DOM_F_* */
        /* No event when one of these is in the trigger's clause (air strikes
         * and shelling are military force, not an attack by gunmen). */
        const dm_phrase_list_t *unless;
        /* A trigger starting with one of these and followed by a word that
         * opens what was said ("charged that") is speech, not this event. */
        const dm_phrase_list_t *said;
} dm_dom_rule_t;

/* Sets of CAMEO code prefixes the mechanisms ask about (the file's "codes
 * KEYWORD ..." lines). */
typedef enum dm_rules_codes {
        /* statements: the shallow coder's events of these codes are
         * statements ("said"), no diplomatic events. */
        DM_CODES_STATEMENTS = 0,
        /* state-acts: a private source (agents private) cannot do these for a
         * state: visits, talks, violence. */
        DM_CODES_STATE_ACTS,
        /* place-targets: a target after a place preposition ("in", "to") is
         * still the target: visits, deployments, attacks. */
        DM_CODES_PLACE_TARGETS,
        /* violence: a target after "in" needs an official source. */
        DM_CODES_VIOLENCE,
        /* plain-statements: a parse-mode statement of one actor about another
         * gives way to a more specific event between them in its sentence. */
        DM_CODES_PLAIN_STATEMENTS,
        DM_CODES_COUNT
} dm_rules_codes_t;

/* Sets of agent codes (the file's "agents KEYWORD ..." lines). */
typedef enum dm_rules_agents {
        DM_AGENTS_PRIVATE = 0, /* private: people and bodies that are no state actors */
        DM_AGENTS_STATE,       /* state: state bodies, class S of the domestic frames */
        DM_AGENTS_ARMED,       /* armed: armed groups, class V */
        DM_AGENTS_COUNT
} dm_rules_agents_t;

typedef struct dm_rules dm_rules_t;

dm_rules_t *dm_rules_new(void);
void dm_rules_destroy(dm_rules_t *r); /* NULL: no-op */

/* Reads one *.rules file into r, after what earlier files gave. A named
 * list (@NAME) is known in its own file only. Returns 0, or -1 with
 * "path:line: message" in errstr; r then holds the rows of the files
 * before and is to be destroyed. */
int dm_rules_load(dm_rules_t *r, const char *path, char *errstr, size_t errstr_size);

/* Whether no file gave r anything. */
int dm_rules_empty(const dm_rules_t *r);

/* The rows in file order (the domestic frames are tried in that order, the
 * first that fires wins); *n gets their number. */
const dm_frame_rule_t *dm_rules_frames(const dm_rules_t *r, size_t *n);
const dm_dom_rule_t *dm_rules_domestic(const dm_rules_t *r, size_t *n);
const dm_dom_group_t *dm_rules_groups(const dm_rules_t *r, size_t *n);

/* The domestic frames that can fire at a token of this word, as a bit
 * set over their rows (bit k of word k / 64: row k), *nwords words long:
 * a NOMINAL frame's nouns, any other's triggers, must match at the token.
 * A superset (keys collide); built by dm_rules_load, borrowed from r. */
const uint64_t *dm_rules_domestic_candidates(const dm_rules_t *r, const char *word, size_t *nwords);

/* Whether code starts with one of the set's prefixes. */
int dm_rules_code_in(const dm_rules_t *r, dm_rules_codes_t set, const char *code);

/* The set's agent codes, NULL-terminated. */
const char *const *dm_rules_agents(const dm_rules_t *r, dm_rules_agents_t set);

#endif
