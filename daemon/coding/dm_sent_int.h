/* Private to the sentence analysis (dm_sent.c: tokens and the dictionary
 * lookups; dm_sent_ctx.c: the steps that read the caller's context and the
 * units found: agents, compounds, pronouns, extras, comma clauses,
 * clauses). Thread rules as dm_sent.h: a dm_sent_t belongs to one coder. */
#ifndef DM_SENT_INT_H
#define DM_SENT_INT_H

#include "coding/dm_sent.h"

/* dm_sent.c */
int dm_sent_word_in(const char *w, const char *const *list);
/* Interns n bytes of p in the sentence's code buffer; returns the offset. */
uint32_t dm_sent_cstr(dm_sent_t *s, const char *p, size_t n);
void dm_sent_add_code_of(dm_sent_t *s, uint32_t off, int32_t unit);
void dm_sent_add_code(dm_sent_t *s, uint32_t off);
/* A new unit over tokens first..last; the pointer lives until the next. */
dm_unit_t *dm_sent_new_unit(dm_sent_t *s, int first, int last);
void dm_sent_unit_codes(dm_sent_t *s, dm_unit_t *u, const char *code);

/* dm_sent_ctx.c, in the order dm_sent_analyse runs them. */
void dm_sent_extras(dm_sent_t *s);
void dm_sent_agents(dm_sent_t *s);
void dm_sent_compounds(dm_sent_t *s);
void dm_sent_commas(dm_sent_t *s);
void dm_sent_pronouns_ref(dm_sent_t *s);
void dm_sent_clauses(dm_sent_t *s);

#endif
