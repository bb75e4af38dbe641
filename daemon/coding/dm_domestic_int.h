/* The domestic frames' tables (dm_domestic_rules.c), shared with the
 * matcher (dm_domestic.c). Internal to the two files; read-only data. */
#ifndef DM_DOMESTIC_INT_H
#define DM_DOMESTIC_INT_H

#include <stddef.h>

/* Who may do what: S state bodies (government, police, military, courts,
 * parliament; a bare country name stands for its state), C civilians,
 * workers, students, the opposition, V armed groups. */
enum { DM_DOM_S = 1, DM_DOM_C = 2, DM_DOM_V = 4 };

typedef struct dm_dom_group {
        const char *words;
        const char *agent;
        int cls;
} dm_dom_group_t;

typedef enum dm_dom_kind {
        DM_DOM_VERB = 0, /* SUBJECT TRIGGER [up to gap tokens NOUN] */
        DM_DOM_NOMINAL,  /* NOUN [was|were|has been ...] TRIGGER: "curfew was imposed" */
        DM_DOM_VICTIM,   /* TRIGGER [up to gap tokens] NOUN, no subject: "eight killed in
                          * Istanbul bomb explosion"; the source is the place's */
} dm_dom_kind_t;

typedef enum dm_dom_target {
        DM_DOM_T_NONE = 0,
        DM_DOM_T_OBJECT,  /* the group or actor after the trigger (and noun) */
        DM_DOM_T_AGAINST, /* the group or actor after "against" */
        DM_DOM_T_PREP,    /* the actor after "to", "with", "from", "against", "on": may be
                           * another country ("made concessions to Mali", "declared a
                           * ceasefire with Jordan") */
} dm_dom_target_t;

/* What a frame needs beyond its phrases (dm_dom_rule_t.flags). */
enum {
        /* A verb of saying (demand, accuse, investigate, threaten): its
         * object follows it at once, is a group or an agent, never the
         * source itself ("accused the police", not "warned on Tuesday that
         * the US"). */
        DM_DOM_F_SAYS = 1 << 0,
        DM_DOM_F_NEED_TARGET = 1 << 1, /* no event without a target */
        DM_DOM_F_TARGET_C = 1 << 2,    /* the target is civil: repression (175) */
        DM_DOM_F_TARGET_V = 1 << 3,    /* the target is an armed group */
        /* The target is no state body: deporting people, not expelling a
         * diplomat (166, the coder's and the frames'). */
        DM_DOM_F_TARGET_NOT_S = 1 << 4,
        DM_DOM_F_ABROAD = 1 << 5,  /* the target may be of another country */
        DM_DOM_F_NUMBERS = 1 << 6, /* NOMINAL: a force moved in numbers */
        /* Not with air strikes, shelling or chemical weapons in the clause:
         * those are military force (19x, 20x). */
        DM_DOM_F_NOT_MILITARY = 1 << 7,
};

typedef struct dm_dom_rule {
        const char *name;
        const char *code;
        dm_dom_kind_t kind;
        int cls; /* the subjects allowed */
        const char *triggers;
        int gap;
        const char *nouns; /* "" none */
        dm_dom_target_t target;
        const char *agent; /* NOMINAL: the source's agent when no "by" names it */
        unsigned flags;    /* DM_DOM_F_* */
} dm_dom_rule_t;

/* The groups whose nouns act as actors, and the frames, in the order they
 * are tried at a token (the specific before the general). */
extern const dm_dom_group_t dm_dom_groups[];
extern const size_t dm_dom_group_count;
extern const dm_dom_rule_t dm_dom_rules[];
extern const size_t dm_dom_rule_count;

/* Lists used by the matcher itself, registered once like the tables'. */
extern const char dm_dom_be[];
extern const char dm_dom_military[];

#endif
