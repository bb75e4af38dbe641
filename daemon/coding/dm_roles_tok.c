/* The sentence as UD English tokenises it, for the parser (dm_roles_int.h:
 * dm_roles_tokenize). */
#include "coding/dm_roles_int.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_parse_tok.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Tokens as UD has them ----------------------------------------------- */

/* Length of a typographic punctuation mark at s (UTF-8 quotes, dashes,
 * ellipsis), with its ASCII stand-in in *ascii; 0 when there is none. */
static size_t dm_roles_typo(const unsigned char *s, size_t n, const char **ascii)
{
        if (n < 3 || s[0] != 0xe2 || s[1] != 0x80)
                return 0;
        switch (s[2]) {
        case 0x98:
        case 0x99:
                *ascii = "'";
                return 3;
        case 0x9c:
        case 0x9d:
                *ascii = "\"";
                return 3;
        case 0x93:
        case 0x94:
                *ascii = "--";
                return 3;
        case 0xa6:
                *ascii = "...";
                return 3;
        default:
                return 0;
        }
}

static int dm_roles_abbrev(const char *w, size_t n)
{
        static const char *const ab[] = {"mr",  "mrs",  "ms",  "dr",   "st",   "gen", "lt",   "col",
                                         "sen", "rep",  "gov", "prof", "jr",   "sr",  "inc",  "ltd",
                                         "co",  "corp", "vs",  "jan",  "feb",  "aug", "sept", "oct",
                                         "nov", "dec",  "no",  "maj",  "capt", "sgt", "rev",  NULL};
        size_t k;
        for (k = 0; ab[k]; k++)
                if (strlen(ab[k]) == n && !strncasecmp(w, ab[k], n))
                        return 1;
        return 0;
}

static void dm_roles_push(dm_roles_t *r, uint32_t off, uint32_t len, const char *form, size_t n)
{
        dm_rtok_t *t;
        if (r->ntoks >= DM_PARSE_MAX_TOKENS)
                return;
        dm_grow((void **)&r->toks, &r->toks_cap, r->ntoks + 1, sizeof(*t));
        t = &r->toks[r->ntoks++];
        t->off = off;
        t->len = len;
        t->form = dm_pool_add(&r->forms, &r->forms_len, &r->forms_cap, form, n);
}

/* A word, split into its UD pieces ("Syria's" -> Syria 's). The form has
 * typographic apostrophes made ASCII, so w and text may differ in length:
 * pieces are mapped back through map[] (form byte -> text byte). */
static void dm_roles_word(dm_roles_t *r, const char *w, size_t n, const uint32_t *map, uint32_t end)
{
        size_t off[DM_PARSE_TOK_MAXPIECES], len[DM_PARSE_TOK_MAXPIECES], k, np;
        np = dm_parse_tok_split(w, n, off, len);
        for (k = 0; k < np; k++) {
                uint32_t a = map[off[k]];
                uint32_t b = off[k] + len[k] < n ? map[off[k] + len[k]] : end;
                dm_roles_push(r, a, b - a, w + off[k], len[k]);
        }
}

/* UD English tokenisation of text[start, end): white space separates,
 * punctuation and hyphens are tokens of their own, periods stay inside
 * initialisms ("U.S.") and known abbreviations ("Mr."), numbers keep their
 * inner commas and periods, clitics split off. */
void dm_roles_tokenize(dm_roles_t *r, const char *text, uint32_t start, uint32_t end)
{
        const unsigned char *t = (const unsigned char *)text;
        char w[128];
        uint32_t map[129];
        uint32_t i = start;
        r->ntoks = 0;
        r->forms_len = 0;
        while (i < end && r->ntoks < DM_PARSE_MAX_TOKENS) {
                const char *ascii;
                size_t n = 0, tl;
                uint32_t ws = i;
                if (isspace(t[i]) || (t[i] == 0xc2 && i + 1 < end && t[i + 1] == 0xa0)) {
                        i += t[i] == 0xc2 ? 2 : 1;
                        continue;
                }
                tl = dm_roles_typo(t + i, end - i, &ascii);
                if (tl && !(ascii[0] == '\'' && i > start && isalnum(t[i - 1]) && i + tl < end &&
                            isalpha(t[i + tl]))) {
                        dm_roles_push(r, i, (uint32_t)tl, ascii, strlen(ascii));
                        i += (uint32_t)tl;
                        continue;
                }
                if (t[i] < 0x80 && !isalnum(t[i]) && t[i] != '#' && t[i] != '@') {
                        /* "--", "..." and runs of the same mark stay one. */
                        uint32_t j = i + 1;
                        while (j < end && t[j] == t[i] && (t[i] == '-' || t[i] == '.'))
                                j++;
                        dm_roles_push(r, i, j - i, text + i, j - i);
                        i = j;
                        continue;
                }
                /* A word: letters, digits, bytes of other scripts, inner
                 * apostrophes, periods, ampersands, and commas or periods
                 * between digits. */
                while (i < end && n + 1 < sizeof(w)) {
                        unsigned char c = t[i];
                        size_t al = dm_roles_typo(t + i, end - i, &ascii);
                        if (al && ascii[0] == '\'' && n && i + al < end && isalpha(t[i + al])) {
                                map[n] = i;
                                w[n++] = '\'';
                                i += (uint32_t)al;
                                continue;
                        }
                        if (al)
                                break;
                        if (isalnum(c) || c >= 0x80 || c == '#' || c == '@' ||
                            ((c == '\'' || c == '&') && n && i + 1 < end && isalnum(t[i + 1])) ||
                            ((c == ',' || c == '.') && n && isdigit((unsigned char)w[n - 1]) &&
                             i + 1 < end && isdigit(t[i + 1])) ||
                            /* "U.S.", "e.g.": a period after a single letter */
                            (c == '.' && n == 1 && isalpha((unsigned char)w[0]) && i + 1 < end &&
                             isalpha(t[i + 1])) ||
                            (c == '.' && n >= 2 && w[n - 2] == '.' && isalpha(t[i - 1]))) {
                                map[n] = i;
                                w[n++] = (char)c;
                                i++;
                                continue;
                        }
                        if (c == '\'' && n && (w[n - 1] == 's' || w[n - 1] == 'S')) {
                                /* Plural possessive: "ministers'" */
                                map[n] = i;
                                w[n++] = '\'';
                                i++;
                        }
                        break;
                }
                /* A final period stays with an initialism or an abbreviation. */
                if (i < end && t[i] == '.' && n &&
                    ((n >= 2 && w[n - 2] == '.') || dm_roles_abbrev(w, n))) {
                        map[n] = i;
                        w[n++] = '.';
                        i++;
                }
                if (!n) {
                        /* A byte that starts no token (a stray continuation
                         * byte): skip it. */
                        i = ws + 1;
                        continue;
                }
                map[n] = i;
                dm_roles_word(r, w, n, map, i);
        }
}
