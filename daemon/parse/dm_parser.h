/* The runtime tagger and parser behind dm_parse.h: greedy left-to-right
 * tagging, lemmas and features from the model's lexicon and suffix rules,
 * then greedy arc-hybrid parsing with a transition classifier and a
 * separate label classifier. Keys shared with the trainer are here. */
#ifndef DM_PARSER_H
#define DM_PARSER_H

#include "dm_parse_feat.h"

#include <stddef.h>
#include <stdint.h>

/* Lexicon keys: (exact form, tag), (lower-cased form, tag). */
static inline uint64_t dm_parser_lex_key(int exact, uint64_t form_hash, int tag)
{
        return dm_pf_key(exact ? 301 : 302, form_hash, (uint64_t)tag, 0);
}

/* Suffix-rule key: the last len bytes of the lower-cased form under tag. */
static inline uint64_t dm_parser_suffix_key(int tag, uint64_t suffix_hash, size_t len)
{
        return dm_pf_key(303, (uint64_t)tag, suffix_hash, len);
}

#define DM_PARSER_SUFFIX_MAX 6

/* Ambiguity-class key of a lower-cased form. */
static inline uint64_t dm_parser_amb_key(uint64_t lower_hash)
{
        return dm_pf_key(304, lower_hash, 0, 0);
}

#endif
