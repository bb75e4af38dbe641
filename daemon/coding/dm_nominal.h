/* Events reported by nouns ("Russian air strikes on Idlib", "the incursion by
 * Turkish troops", "Japan's sanctions against Russia"): the nouns of the
 * dictionary's *.nouns files (dict/dm_nouns.h) found in a sentence's parse,
 * with their sources and targets read from the noun's dependents
 * (docs/CODER.md, "Event nouns").
 *
 * Roles: each dependent attaches to the noun as a possessive, a modifier
 * (amod, compound) or through a preposition; the noun's entry says which
 * attachments name the source and which the target. A noun that is the
 * object of a verb without a source of its own takes the verb's subject
 * ("Turkey launched an offensive against the Kurds"). Coordinated actors
 * each count ("Syrian and Russian air strikes").
 *
 * Thread rules: works on a dm_roles_t prepared by the calling thread; the
 * nouns are shared read-only. */
#ifndef DM_NOMINAL_H
#define DM_NOMINAL_H

#include "coding/dm_roles.h"
#include "coding/dm_sent.h"
#include "dict/dm_nouns.h"

#include <stddef.h>
#include <stdint.h>

#define DM_NOMINAL_MAX_ACTORS 8

typedef struct dm_nominal {
        const dm_noun_t *noun;                /* borrowed from the dictionary */
        int tok;                              /* parse token of the head noun */
        uint32_t start, end;                  /* bytes of the phrase, modifiers to head */
        int src[DM_NOMINAL_MAX_ACTORS], nsrc; /* dm_sent units */
        int tgt[DM_NOMINAL_MAX_ACTORS], ntgt;
        int negated;      /* "no attack", or a negated governing verb */
        int hypothetical; /* a modal or conditional governing verb */
        int year;         /* a year the noun names ("the 2013 deal"), 0 none */
        char path[96];    /* how the roles were found: "amod>nmod:on" */
} dm_nominal_t;

/* Whether the sentence may hold an event noun: one of its words looks like
 * a form of a dictionary noun (cheap; decides whether to parse). */
int dm_nominal_candidate(const dm_sent_t *s, const dm_nouns_t *nouns);
/* The same for nouns coded '.' (events of their source alone). */
int dm_nominal_alone_candidate(const dm_sent_t *s, const dm_nouns_t *nouns);

/* The event nouns of the sentence r was prepared with (dm_roles_prepare)
 * that have both a source and a target, in text order; at most max go to
 * out. lx holds the nouns' strings. Returns the number written. */
size_t dm_nominal_find(const dm_roles_t *r, const dm_sent_t *s, const dm_nouns_t *nouns,
                       const dm_lex_t *lx, dm_nominal_t *out, size_t max);

#endif
