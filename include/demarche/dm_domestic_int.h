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
