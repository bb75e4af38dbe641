/* Private to the coder (dm_coder.c: coding a sentence, events, actors;
 * dm_coder_cx.c: which sentences are coded and parsed). A coder is used by
 * one thread at a time. */
#ifndef DM_CODER_INT_H
#define DM_CODER_INT_H

#include "demarche/dm_coder.h"
#include "coding/dm_nominal.h"
#include "coding/dm_roles.h"
#include "coding/dm_sent.h"
#include "dict/dm_lex.h"
#include "dict/dm_nouns.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_cev {
        int32_t src_unit, tgt_unit;  /* -1: default code */
        uint32_t src_code, tgt_code; /* offsets into cbuf */
        uint32_t code;               /* offset into cbuf */
        uint32_t verb_phrase;        /* lexicon string offset */
        int32_t verb_tok;
        uint32_t tstart, tend; /* trigger bytes when not the verb's (a noun phrase) */
        uint32_t path;         /* offset into cbuf of the parse path, UINT32_MAX none */
        uint8_t negated, hypothetical, sub, dom, historical;
} dm_cev_t;

struct dm_coder {
        const dm_dict_t *dict;
        const dm_lex_t *lx;
        dm_options_t opts;
        dm_sent_t sent;
        dm_cev_t *cev;
        size_t ncev, cev_cap;
        char *cbuf;
        size_t cbuf_len, cbuf_cap;
        dm_coded_actor_t *actors;
        size_t actor_cap;
        dm_coded_event_t *events;
        size_t event_cap;
        const char **issues;
        size_t issue_cap;
        /* Actors skipped by ^ in the pattern being coded: not targets. */
        int skip[4], nskip;
        /* A coded verb lacked a source / a target (COMPLEX: NOSOURCE,
         * NOTARGET). */
        int missing_src, missing_tgt;
        long steps_left; /* pattern-matching steps left for this sentence */
        /* Parse mode (dm_coder_set_parser): roles from the dependency parse
         * of the sentence, prepared once per sentence that has a verb and an
         * actor. */
        dm_roles_t *roles;
        /* The sentence is parsed when its first verb with a code needs
         * roles: 0 not yet, 1 parsed, -1 cannot be. */
        int roles_state;
        const char *text;
        uint32_t start, end;
        dm_role_result_t role; /* of the verb being emitted */
        int role_valid;
        int actors_only;         /* dm_coder_find_actors: no events, no parse */
        const dm_nouns_t *nouns; /* event nouns (parse mode), borrowed */
        dm_sent_ctx_t ctx;       /* parse mode: dm_coder_set_context */
        dm_sent_extra_t *extras; /* ctx.extras, owned */
        size_t extra_cap;
        dm_nominal_t nominals[16];
};

/* dm_coder.c: whether unit u may act (not absorbed, not removed). */
int dm_coder_unit_ok(const dm_sent_t *s, int u);

/* dm_coder_cx.c */
/* Whether the sentence has two actors, or one and a word that is an event
 * of its source alone: only then is it worth parsing. */
int dm_coder_can_pair(const dm_coder_t *c);
/* Parses the sentence once, when it can pair; 1 when roles are ready. */
int dm_coder_parsed(dm_coder_t *c);
/* COMPLEX: filters; 1 when the sentence is complex. */
int dm_coder_complex(const dm_coder_t *c);
/* COMPLEX: NOACTPRIOR; 1 when the sentence is complex. */
int dm_coder_noactprior(const dm_coder_t *c);

#endif
