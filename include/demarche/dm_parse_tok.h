/* Tokens for the parser: the mapping between the project's tokens
 * (dm_text.h: words with inner apostrophes kept whole, "Syria's",
 * "can't") and UD English tokenisation, which splits clitics ("Syria" "'s",
 * "ca" "n't") and the possessive of plurals ("ministers" "'"). Also a
 * simple raw-text tokeniser for `demarche parse` on plain text. */
#ifndef DM_PARSE_TOK_H
#define DM_PARSE_TOK_H

#include "demarche/dm_buf.h"
#include "demarche/dm_parse.h"

#include <stddef.h>

#define DM_PARSE_TOK_MAXPIECES 3

/* Splits one token (original case, no spaces) into up to 3 UD tokens:
 * piece k is tok[off[k], off[k] + len[k]). Returns the number of pieces. */
size_t dm_parse_tok_split(const char *tok, size_t len, size_t *off, size_t *plen);

/* UD tokens made from input tokens, and the way back. */
typedef struct dm_parse_map {
        dm_buf_t text;      /* the UD forms, NUL-separated */
        size_t *form_off;   /* offset of each UD form in text */
        const char **forms; /* pointers into text (valid after a map call) */
        size_t nforms, cap;
        size_t *src;          /* UD token -> input token */
        size_t *first, *npcs; /* input token -> first UD token, pieces */
        size_t nin, in_cap;
} dm_parse_map_t;

void dm_parse_map_init(dm_parse_map_t *m);
void dm_parse_map_free(dm_parse_map_t *m);
/* Maps n input tokens (toks[i] of lens[i] bytes, original case). */
void dm_parse_map_tokens(dm_parse_map_t *m, const char *const *toks, const size_t *lens, size_t n);
/* src of a UD token that stands for no input token (punctuation put back
 * by dm_parse_map_spans). */
#define DM_PARSE_MAP_NONE ((size_t)-1)

/* Maps n project tokens given as byte spans [starts[i], ends[i]) of text,
 * and puts back as UD tokens of their own the punctuation the project
 * tokeniser drops (between the spans and around them, within [from, to)):
 * the parser was trained with punctuation and loses 2-3 points of UAS
 * without it (docs/PARSER.md). Those tokens have src DM_PARSE_MAP_NONE.
 * Adjacent project tokens that UD keeps together share one UD token: "-"
 * "-" is "--", "." "." "." is "...", "Mr" "." is "Mr." (the project
 * tokeniser splits them); first[] of each points at it, and its src is
 * the first of them. */
void dm_parse_map_spans(dm_parse_map_t *m, const char *text, size_t from, size_t to,
                        const size_t *starts, const size_t *ends, size_t n);
/* Tokenises raw text: white space, punctuation split off words (not from
 * abbreviations and initialisms: "U.S.", "Mr."), then clitics as above.
 * Every UD token is its own input token. */
void dm_parse_map_text(dm_parse_map_t *m, const char *text, size_t len);
/* The UD token (0-based) that stands for input token i in parse r: the
 * piece whose head lies outside the token (the first such). */
size_t dm_parse_map_piece(const dm_parse_map_t *m, const dm_parse_result_t *r, size_t i);
/* Head of input token i as an input token (0-based), -1 for the root or
 * when the sentence was cut before it. A head that is put-back punctuation
 * is skipped for its own head. */
long dm_parse_map_head(const dm_parse_map_t *m, const dm_parse_result_t *r, size_t i);

#endif
