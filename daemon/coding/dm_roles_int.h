/* Internals of dm_roles shared with dm_nominal (the roles of event nouns):
 * the aligned parse and the helpers that walk it. Private to the coding
 * layer. */
#ifndef DM_ROLES_INT_H
#define DM_ROLES_INT_H

#include "coding/dm_roles.h"

#include <string.h>

/* One UD token of the sentence: bytes [off, off + len) of the text, and its
 * form as the parser reads it (typographic quotes and dashes made ASCII). */
typedef struct dm_rtok {
        uint32_t off, len;
        uint32_t form; /* offset into forms */
} dm_rtok_t;

struct dm_roles {
        const dm_parse_model_t *model;
        dm_parse_scratch_t *scratch;
        const dm_parse_result_t *res;
        const dm_sent_t *sent; /* the sentence prepared last (borrowed) */
        dm_rtok_t *toks;
        size_t ntoks, toks_cap;
        char *forms;
        size_t forms_len, forms_cap;
        const char **formv;
        size_t formv_cap;
        /* Per parse token: the unit it belongs to (-1), its first child and
         * next sibling (-1): the tree, walkable downwards. */
        int32_t *unit_of, *child, *sibling;
        size_t ptok_cap;
        /* Per parse token: the unit a subject pronoun stands for by syntax
         * (dm_roles_speaker_pronouns), -1 when none. */
        int32_t *alias;
        size_t nalias, alias_cap;
        /* Per dm_sent token: the parse token that stands for it (-1). */
        int32_t *anchor;
        size_t anchor_cap;
        /* Per unit: its head in the parse (-1), and whether it is a flat
         * part of a longer name. */
        int32_t *unit_head;
        uint8_t *inside_name;
        size_t unit_cap;
        /* Per UD token: part of a dictionary actor's name (tagger hint). */
        uint8_t *names;
        size_t names_cap;
        /* Per parse token: its relation as the roles read it, the parser's
         * with what UD rules out mended (dm_roles_mend_relations); the
         * strings are the model's or literals. */
        const char **rel;
        size_t rel_cap;
        /* Per parse token: the preposition of an object read as an oblique
         * when the parser hung it on a modifier, -1 when none. */
        int32_t *case_tok;
        size_t case_cap;
};

/* UD English tokenisation of text[start, end) into r->toks and r->forms
 * (dm_roles_tok.c): punctuation and clitics split off, typographic marks
 * made ASCII, byte offsets kept. */
void dm_roles_tokenize(dm_roles_t *r, const char *text, uint32_t start, uint32_t end);

/* ---- The parse and its alignment ----------------------------------------- */

static inline const char *dm_roles_rel(const dm_roles_t *r, int p)
{
        return r->rel[p];
}

static inline int dm_roles_rel_is(const dm_roles_t *r, int p, const char *rel)
{
        return !strcmp(r->rel[p], rel);
}

/* deprel is rel or one of its subtypes ("obl" matches "obl:agent"). */
static inline int dm_roles_rel_in(const dm_roles_t *r, int p, const char *rel)
{
        const char *d = r->rel[p];
        size_t n = strlen(rel);
        return !strncmp(d, rel, n) && (d[n] == '\0' || d[n] == ':');
}

static inline int dm_roles_head(const dm_roles_t *r, int p)
{
        return r->res->toks[p].head - 1;
}

/* The parse tokens overlapping bytes [a, b), and among them the one whose
 * head lies outside (the first such), or -1. */
int dm_roles_span_head(const dm_roles_t *r, uint32_t a, uint32_t b);

/* The child of p with relation rel (or a subtype when sub), else -1. */
int dm_roles_child(const dm_roles_t *r, int p, const char *rel, int sub);

/* Whether p has a child in relation rel (or a subtype) whose lemma or form
 * is one of lemmas (NULL-terminated). */
int dm_roles_has_child_lemma(const dm_roles_t *r, int p, const char *rel,
                             const char *const *lemmas);

/* The actor unit a token stands for (its own, or one among its modifiers),
 * or -1; depth 0 at the top. */
int dm_roles_actor_at(const dm_roles_t *r, const dm_sent_t *s, int t, int depth);

/* The preposition (case child's lemma) of an oblique or nominal modifier,
 * "" when none. */
const char *dm_roles_case(const dm_roles_t *r, int t);

/* Modal and future auxiliaries, and the marks of a conditional clause:
 * what makes an event hypothetical (NULL-terminated). */
extern const char *const dm_roles_modals[];
extern const char *const dm_roles_cond[];

/* Whether verb p is passive: an aux:pass, or a participle modifying a noun
 * without an object of its own ("sanctions imposed by Japan"). */
int dm_roles_is_passive(const dm_roles_t *r, int p);

/* The subject token of verb p (its own, or through xcomp, conj, a
 * non-finite advcl, or the noun a relative clause modifies), or -1. */
int dm_roles_subject(const dm_roles_t *r, int p, int *via_rel, char *path, size_t psize);

#endif
