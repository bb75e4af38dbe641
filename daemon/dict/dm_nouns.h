/* Event nouns: the dictionary of nouns that report an event ("air strikes",
 * "an incursion", "the proposals"), read in parse mode from the noun's
 * dependents (docs/CODER.md, "Event nouns").
 *
 * A .nouns file holds one entry per line:
 *
 *     AIR_STRIKE [195]
 *     VISIT [042] of=source
 *     ROLES: poss=source amod=source by=source of=target against=target
 *
 * The phrase's last word is the head noun, matched by its lemma; the words
 * before it must stand right before the head in the text (its modifiers).
 * After the code, attachment=role pairs say which of the noun's dependents
 * is the source or the target: poss (a possessive), amod (an adjective or
 * noun modifier: "Russian air strikes", "US strikes") and the prepositions
 * of nominal modifiers (by, from, of, against, on, with, between ...); role
 * is source, target or none. The word "mutual" marks a noun done together
 * ("talks", "clashes"): coordinated sources with no target named act on
 * each other ("Russia and Turkey held talks"). The word "adj" makes the head an
 * adjective reporting a stance, with three more attachments: subj (its
 * subject), that (the subject of its that-clause) and speaker (the subject
 * of the verb whose that-clause it is the predicate of): "UNHAPPY [110] adj
 * subj=source that=target", "WRONG [111] adj speaker=source subj=target".
 * The word "tone" makes the head (a verb, noun or adjective, by lemma) the
 * tone of a statement: where it stands anywhere in the clause a verb of
 * saying takes ("X said Y ...", or a quotation hung on it), not negated,
 * the speaker acts on that clause's subject (or the actor that owns it:
 * "Russian obstructionism"): "BACKTRACK [111] tone".
 * A ROLES: line sets the defaults for the
 * entries after it in the same file. A LIGHT: line lists verbs (lemmas)
 * whose subject performs the event noun they take as object ("launched an
 * offensive", "held talks"): a noun whose own dependents name no source
 * takes the subject of such a verb. The code "---" blocks a phrase
 * ("HEART_ATTACK [---]").
 *
 * Thread rules: loaded by one thread while the dictionary loads; then
 * read-only and shared by every coder thread. */
#ifndef DM_NOUNS_H
#define DM_NOUNS_H

#include "dict/dm_lex.h"

#include <stddef.h>
#include <stdint.h>

/* Where a dependent attaches to the noun. */
typedef enum dm_noun_att {
        DM_NA_POSS = 0,
        DM_NA_AMOD, /* amod, compound, nmod:npmod */
        DM_NA_BY,
        DM_NA_FROM,
        DM_NA_OF,
        DM_NA_AGAINST,
        DM_NA_ON,
        DM_NA_WITH,
        DM_NA_TO,
        DM_NA_INTO,
        DM_NA_FOR,
        DM_NA_OVER,
        DM_NA_AT,
        DM_NA_IN,
        DM_NA_TOWARD,
        DM_NA_BETWEEN, /* the first actor the source, the others targets */
        DM_NA_CLAUSE,  /* the subject of the active verb the noun is an oblique of */
        DM_NA_PASSIVE, /* the subject of the passive verb the noun is an oblique of */
        DM_NA_ABOUT,
        /* Of adjectives (entries marked adj): */
        DM_NA_SUBJ,    /* its subject, or the noun it modifies ("critical of") */
        DM_NA_THAT,    /* the subject of its that-clause ("unhappy that the UN ...") */
        DM_NA_SPEAKER, /* the subject of the verb whose that-clause it is the predicate
                        * of ("X said Y was wrong": X) */
        DM_NA_COUNT
} dm_noun_att_t;

enum { DM_NR_NONE = 0, DM_NR_SOURCE, DM_NR_TARGET };

#define DM_NOUN_MAX_MODS 4

typedef struct dm_noun {
        uint32_t head;                   /* lexicon string: lower-case lemma */
        uint32_t mods[DM_NOUN_MAX_MODS]; /* lower-case words before the head */
        uint8_t nmods;
        uint8_t roles[DM_NA_COUNT]; /* DM_NR_* per attachment */
        uint8_t mutual;             /* done together: coordinated actors act on each
                                     * other when no target is named ("Russia and
                                     * Turkey held talks") */
        uint8_t adj;                /* the head is an adjective that reports a stance
                                     * ("unhappy with", "wrong"), not a noun */
        uint8_t tone;               /* a word of any kind that, anywhere in what a
                                     * speaker said about someone, makes the saying
                                     * this event ("X said Y was backtracking") */
        uint32_t code;              /* lexicon string: CAMEO code or "---" */
        uint32_t phrase;            /* lexicon string: the phrase as written */
} dm_noun_t;

typedef struct dm_nouns dm_nouns_t;

/* Caller owns; dm_nouns_destroy(NULL) is a no-op. */
dm_nouns_t *dm_nouns_new(void);
void dm_nouns_destroy(dm_nouns_t *n);

typedef void (*dm_nouns_warn_cb)(void *ctx, const char *path, int line, const char *msg);

/* Loads a .nouns file; strings are interned in lx (which must outlive n).
 * A malformed line is a warning (warn) and is skipped; the first entry of a
 * phrase wins. Returns 0, or -1 with errstr set when the file cannot be
 * read. */
int dm_nouns_load(dm_nouns_t *n, dm_lex_t *lx, const char *path, dm_nouns_warn_cb warn, void *ctx,
                  char *errstr, size_t errstr_size);

/* Sorts and indexes; call once after the last load. */
void dm_nouns_finish(dm_nouns_t *n, const dm_lex_t *lx);

size_t dm_nouns_count(const dm_nouns_t *n);

/* The entries whose head is lemma (lower-case), most modifiers first;
 * *count 0 when none. Borrowed. */
const dm_noun_t *dm_nouns_find(const dm_nouns_t *n, const char *lemma, size_t *count);

/* Whether the upper-case word w[0, len) may be a form of a head (the lemma,
 * its plural): a cheap test before parsing a sentence for its nouns. */
int dm_nouns_maybe_form(const dm_nouns_t *n, const char *w, size_t len);
/* The same, alone != 0: of a head with an entry whose code is marked '.'
 * (an event of its source alone). */
int dm_nouns_maybe_form_of(const dm_nouns_t *n, const char *w, size_t len, int alone);

/* Whether lemma (lower-case) is a light verb (LIGHT: lines). */
int dm_nouns_light(const dm_nouns_t *n, const char *lemma);

/* The attachment of a preposition ("against"), or DM_NA_COUNT. */
dm_noun_att_t dm_nouns_att(const char *prep);

#endif
