/* Roles from the dependency parse: who is the source and who the target of
 * a verb, read from its syntactic dependents instead of from word order
 * (docs/CODER.md, "Parse mode").
 *
 * dm_roles_prepare parses a sentence once: it tokenises the sentence's text
 * the way the parser was trained (UD English: punctuation and clitics split
 * off), parses it, and aligns the parse with dm_sent's tokens and actor
 * units by byte offsets. dm_roles_assign then answers, for each verb the
 * coder codes, which units are its source and target.
 *
 * A dm_roles_t is per-thread scratch owned by a coder; the model it parses
 * with is borrowed, shared read-only by all threads. */
#ifndef DM_ROLES_H
#define DM_ROLES_H

#include "coding/dm_sent.h"
#include "demarche/dm_parse.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_roles dm_roles_t;

/* m is borrowed and must outlive the roles. Caller owns the result;
 * dm_roles_destroy(NULL) is a no-op. */
dm_roles_t *dm_roles_new(const dm_parse_model_t *m);
void dm_roles_destroy(dm_roles_t *r);

/* Parses text[start, end), the sentence s was analysed from, and aligns
 * the parse with s's tokens and units. Returns 0, or -1 when the sentence
 * has no token to parse. */
int dm_roles_prepare(dm_roles_t *r, const dm_sent_t *s, const char *text, uint32_t start,
                     uint32_t end);

/* What the parse says about one verb. */
typedef struct dm_role_result {
        int src, tgt;            /* dm_sent unit indexes, -1 none */
        int has_subject;         /* the verb has a subject, an actor or not, or cannot
                                  * take one by word order (a dependent clause) */
        int passive;             /* the verb is passive: its subject is the target */
        int negated;             /* "not", "never", "n't" on the verb */
        int modal;               /* a modal or future auxiliary (will, would, could, may,
                                  * might, should, must, can) on the verb or the verb
                                  * it complements */
        int conditional;         /* in a clause introduced by "if" or "unless" */
        int reported_obligation; /* what a that-clause says another should or
                                  * must do ("said Japan should lift"): not
                                  * that one's event (nonzero) */
        int judged;              /* what a judgement is about ("responsible
                                  * for backing Assad"): the judge's claim,
                                  * not an event of its own */
        /* Actors coordinated with the source or the target that are units
         * of their own ("Fornost and the evil Gondor welcomed"): each acts,
         * or is acted on, too. */
        int src_more[4], nsrc_more;
        int tgt_more[4], ntgt_more;
        char path[96]; /* how the roles were found: "nsubj>obl:on" */
} dm_role_result_t;

/* Roles of the verb at dm_sent token v (the first token of its phrase).
 * hint_tgt is a unit the verb's pattern designated as target (+), or -1:
 * it is taken when the parse puts it under the verb. Returns 0; -2 when the
 * parse reads the trigger as a noun (an event noun's business, dm_nominal);
 * -1 when it reads it as no predicate otherwise or the verb was not found. */
int dm_roles_assign(const dm_roles_t *r, const dm_sent_t *s, int v, int hint_tgt,
                    dm_role_result_t *out);

/* Whether unit u lies in the clause of the verb at dm_sent token v: its
 * head's chain of heads reaches the verb without crossing into another
 * clause (ccomp, advcl, parataxis). */
int dm_roles_unit_under(const dm_roles_t *r, int u, int v);

/* Whether a preposition says where (in, at, near, inside, outside,
 * within, throughout). */
int dm_roles_locative(const char *prep);

/* The actor unit that is the subject of the parse's main verb (the root's
 * nsubj), -1 when none. */
int dm_roles_main_subject(const dm_roles_t *r, const dm_sent_t *s);

/* Whether unit u lies in a phrase of the clause of the verb at dm_sent token
 * v: its chain of heads reaches the verb through objects, obliques and
 * their modifiers (participles included: "memos sent by Bree"), not
 * through another verb's clause (a relative clause, a verb's xcomp or
 * conjunct, ccomp, advcl, parataxis) or a subject. */
int dm_roles_unit_in_phrase(const dm_roles_t *r, int u, int v);

/* Whether unit u is a name inside a longer name ("Un" in "Kim Jong Un"): a
 * flat part of a proper noun that lies outside the unit. Such units are no
 * actors. Valid after dm_roles_prepare. */
int dm_roles_unit_inside_name(const dm_roles_t *r, int u);

/* The parse of the last prepared sentence (for tests and `why`). */
const dm_parse_result_t *dm_roles_parse(const dm_roles_t *r);

#endif
