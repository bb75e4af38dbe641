/* Token mapping between the project's tokens and UD's (dm_parse_tok.h). */
#include "demarche/dm_mem.h"
#include "demarche/dm_parse_tok.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Is s[i] an apostrophe ("'" or U+2019, 3 bytes)? Returns its length. */
static size_t apos_at(const char *s, size_t len, size_t i)
{
        if (i < len && s[i] == '\'')
                return 1;
        if (i + 2 < len && (unsigned char)s[i] == 0xe2 && (unsigned char)s[i + 1] == 0x80 &&
            (unsigned char)s[i + 2] == 0x99)
                return 3;
        return 0;
}

size_t dm_parse_tok_split(const char *tok, size_t len, size_t *off, size_t *plen)
{
        static const char *const clitics[] = {"s", "re", "ll", "ve", "d", "m"};
        size_t i, k;
        off[0] = 0;
        plen[0] = len;
        if (len == 6 && !strncasecmp(tok, "cannot", 6)) {
                plen[0] = 3;
                off[1] = 3;
                plen[1] = 3;
                return 2;
        }
        /* X + n't: "don't" -> do n't, "can't" -> ca n't, "won't" -> wo n't. */
        for (k = 1; k <= 3; k += 2) {
                if (len > k + 2 && apos_at(tok, len, len - 1 - k) == k &&
                    (tok[len - 1] == 't' || tok[len - 1] == 'T') &&
                    (tok[len - 2 - k] == 'n' || tok[len - 2 - k] == 'N')) {
                        plen[0] = len - 2 - k;
                        off[1] = len - 2 - k;
                        plen[1] = k + 2;
                        return 2;
                }
        }
        /* X + 's, 're, 'll, 've, 'd, 'm; and the plural possessive s'. */
        for (i = 1; i < len; i++) {
                size_t a = apos_at(tok, len, i), rest;
                if (!a)
                        continue;
                rest = len - i - a;
                if (!rest && (tok[i - 1] == 's' || tok[i - 1] == 'S')) {
                        plen[0] = i;
                        off[1] = i;
                        plen[1] = a;
                        return 2;
                }
                for (k = 0; k < sizeof(clitics) / sizeof(*clitics); k++) {
                        if (rest == strlen(clitics[k]) &&
                            !strncasecmp(tok + i + a, clitics[k], rest)) {
                                plen[0] = i;
                                off[1] = i;
                                plen[1] = len - i;
                                return 2;
                        }
                }
        }
        return 1;
}

void dm_parse_map_init(dm_parse_map_t *m)
{
        memset(m, 0, sizeof(*m));
        dm_buf_init(&m->text);
}

void dm_parse_map_free(dm_parse_map_t *m)
{
        dm_buf_free(&m->text);
        free(m->form_off);
        free(m->forms);
        free(m->src);
        free(m->first);
        free(m->npcs);
        memset(m, 0, sizeof(*m));
}

static void add_form(dm_parse_map_t *m, const char *s, size_t len, size_t src)
{
        if (m->nforms + 1 > m->cap) {
                size_t cap = m->cap ? 2 * m->cap : 64;
                m->form_off = dm_realloc(m->form_off, cap * sizeof(*m->form_off));
                m->forms = dm_realloc(m->forms, cap * sizeof(*m->forms));
                m->src = dm_realloc(m->src, cap * sizeof(*m->src));
                m->cap = cap;
        }
        m->form_off[m->nforms] = m->text.len;
        m->src[m->nforms] = src;
        dm_buf_append(&m->text, s, len);
        dm_buf_putc(&m->text, 0);
        m->nforms++;
}

static void start(dm_parse_map_t *m, size_t nin)
{
        dm_buf_reset(&m->text);
        m->nforms = 0;
        if (nin > m->in_cap) {
                m->in_cap = nin + 16;
                m->first = dm_realloc(m->first, m->in_cap * sizeof(*m->first));
                m->npcs = dm_realloc(m->npcs, m->in_cap * sizeof(*m->npcs));
        }
        m->nin = 0;
}

static void add_input(dm_parse_map_t *m, const char *tok, size_t len)
{
        size_t off[DM_PARSE_TOK_MAXPIECES], plen[DM_PARSE_TOK_MAXPIECES], k, np;
        if (m->nin >= m->in_cap) {
                m->in_cap = 2 * m->in_cap + 16;
                m->first = dm_realloc(m->first, m->in_cap * sizeof(*m->first));
                m->npcs = dm_realloc(m->npcs, m->in_cap * sizeof(*m->npcs));
        }
        np = dm_parse_tok_split(tok, len, off, plen);
        m->first[m->nin] = m->nforms;
        m->npcs[m->nin] = np;
        for (k = 0; k < np; k++)
                add_form(m, tok + off[k], plen[k], m->nin);
        m->nin++;
}

static void finish(dm_parse_map_t *m)
{
        size_t i;
        for (i = 0; i < m->nforms; i++)
                m->forms[i] = m->text.data + m->form_off[i];
}

void dm_parse_map_tokens(dm_parse_map_t *m, const char *const *toks, const size_t *lens, size_t n)
{
        size_t i;
        start(m, n);
        for (i = 0; i < n; i++)
                add_input(m, toks[i], lens[i]);
        finish(m);
}

static int is_abbrev(const char *s, size_t len);

/* The project tokeniser makes every punctuation character a token; UD
 * keeps "--", "..." and the dot of "Mr." and "J." with their neighbours.
 * Does project token text[s, e), adjacent to the previous UD form, belong
 * to it? */
static int joins_previous(const dm_parse_map_t *m, const char *text, size_t s, size_t e)
{
        const char *prev;
        size_t plen, k;
        if (!m->nforms || e != s + 1 || (unsigned char)text[s] >= 0x80 ||
            !ispunct((unsigned char)text[s]))
                return 0;
        prev = m->text.data + m->form_off[m->nforms - 1];
        plen = m->text.len - 1 - m->form_off[m->nforms - 1];
        if (text[s] == '.' && plen && isalpha((unsigned char)prev[plen - 1]) &&
            (is_abbrev(prev, plen) || (plen == 1 && isupper((unsigned char)prev[0]))))
                return 1;
        if (text[s] != '-' && text[s] != '.')
                return 0;
        for (k = 0; k < plen; k++)
                if (prev[k] != text[s])
                        return 0;
        return plen > 0;
}

/* Appends the punctuation in text[s, e) as UD tokens without an input
 * token: runs of one character ("...", "--") together, other bytes
 * (spaces, and words the project tokeniser dropped) skipped. */
static void add_gap(dm_parse_map_t *m, const char *text, size_t s, size_t e)
{
        while (s < e) {
                unsigned char c = (unsigned char)text[s];
                size_t r = s + 1;
                if (c >= 0x80 || !ispunct(c)) {
                        s++;
                        continue;
                }
                while (r < e && text[r] == text[s])
                        r++;
                add_form(m, text + s, r - s, DM_PARSE_MAP_NONE);
                s = r;
        }
}

void dm_parse_map_spans(dm_parse_map_t *m, const char *text, size_t from, size_t to,
                        const size_t *starts, const size_t *ends, size_t n)
{
        size_t i, prev = from;
        start(m, n);
        for (i = 0; i < n; i++) {
                if (starts[i] > prev)
                        add_gap(m, text, prev, starts[i]);
                if (i && starts[i] == ends[i - 1] && m->npcs[i - 1] == 1 &&
                    m->first[i - 1] == m->nforms - 1 &&
                    joins_previous(m, text, starts[i], ends[i])) {
                        /* Shares the previous UD token, which keeps the
                         * first project token as its source. */
                        m->text.len--;
                        dm_buf_append(&m->text, text + starts[i], 1);
                        dm_buf_putc(&m->text, 0);
                        if (m->nin >= m->in_cap) {
                                m->in_cap = 2 * m->in_cap + 16;
                                m->first = dm_realloc(m->first, m->in_cap * sizeof(*m->first));
                                m->npcs = dm_realloc(m->npcs, m->in_cap * sizeof(*m->npcs));
                        }
                        m->first[m->nin] = m->nforms - 1;
                        m->npcs[m->nin] = 1;
                        m->nin++;
                } else {
                        add_input(m, text + starts[i], ends[i] - starts[i]);
                }
                prev = ends[i];
        }
        if (to > prev)
                add_gap(m, text, prev, to);
        finish(m);
}

static int is_abbrev(const char *s, size_t len)
{
        static const char *const abbr[] = {
            "mr",  "mrs", "ms",  "dr",  "st",   "jr",   "sr",  "gen", "col", "lt",  "sgt", "gov",
            "sen", "rep", "inc", "ltd", "co",   "corp", "vs",  "etc", "jan", "feb", "aug", "sept",
            "oct", "nov", "dec", "no",  "prof", "capt", "maj", "adm", "rev", "mt"};
        size_t k;
        if (memchr(s, '.', len))
                return 1; /* "U.S", "a.m" before the final dot */
        for (k = 0; k < sizeof(abbr) / sizeof(*abbr); k++)
                if (strlen(abbr[k]) == len && !strncasecmp(s, abbr[k], len))
                        return 1;
        return 0;
}

static int is_punct(unsigned char c)
{
        return c < 0x80 && ispunct(c) && c != '\'' && c != '-' && c != '&' && c != '@' &&
               c != '#' && c != '%' && c != '$' && c != '/';
}

void dm_parse_map_text(dm_parse_map_t *m, const char *text, size_t len)
{
        size_t i = 0;
        start(m, 16);
        while (i < len) {
                size_t s, e, ws, we;
                while (i < len && isspace((unsigned char)text[i]))
                        i++;
                if (i >= len)
                        break;
                s = i;
                while (i < len && !isspace((unsigned char)text[i]))
                        i++;
                e = i;
                ws = s;
                we = e;
                /* Leading punctuation (and quotes) become tokens. */
                while (ws < we && (is_punct((unsigned char)text[ws]) || text[ws] == '\'')) {
                        add_input(m, text + ws, 1);
                        ws++;
                }
                /* Trailing punctuation, kept on abbreviations. */
                while (we > ws && (is_punct((unsigned char)text[we - 1]) ||
                                   (text[we - 1] == '\'' && we - ws > 1 && text[we - 2] != 's' &&
                                    text[we - 2] != 'S'))) {
                        if (text[we - 1] == '.' && we - 1 > ws &&
                            is_abbrev(text + ws, we - 1 - ws) && we == e)
                                break;
                        we--;
                }
                if (we > ws)
                        add_input(m, text + ws, we - ws);
                for (; we < e; we++)
                        add_input(m, text + we, 1);
        }
        finish(m);
}

size_t dm_parse_map_piece(const dm_parse_map_t *m, const dm_parse_result_t *r, size_t i)
{
        size_t k, first = m->first[i], np = m->npcs[i];
        for (k = first; k < first + np && k < r->ntoks; k++) {
                long h = (long)r->toks[k].head - 1;
                if (h < (long)first || h >= (long)(first + np))
                        return k;
        }
        return first;
}

long dm_parse_map_head(const dm_parse_map_t *m, const dm_parse_result_t *r, size_t i)
{
        size_t k = dm_parse_map_piece(m, r, i), hops = 0;
        int h;
        if (k >= r->ntoks)
                return -1;
        h = r->toks[k].head;
        while (h > 0 && m->src[h - 1] == DM_PARSE_MAP_NONE && hops++ < r->ntoks)
                h = r->toks[h - 1].head;
        return h > 0 && m->src[h - 1] != DM_PARSE_MAP_NONE ? (long)m->src[h - 1] : -1;
}
