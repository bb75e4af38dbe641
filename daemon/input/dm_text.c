#include "input/dm_text.h"
#include "demarche/dm_mem.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int dm_is_word_byte(unsigned char c)
{
        return isalnum(c) || c >= 0x80;
}

/* Word prefixes that stay joined to what follows: "anti-Russian",
 * "pro-Kremlin", "non-NATO", "ex-president". */
static int dm_is_prefix(const char *w, size_t n)
{
        static const char *prefixes[] = {"anti", "pro",     "non",  "ex",   "post", "pre", "neo",
                                         "pan",  "counter", "semi", "self", "mid",  NULL};
        const char **p;
        for (p = prefixes; *p; p++)
                if (strlen(*p) == n && !strncasecmp(w, *p, n))
                        return 1;
        return 0;
}

void dm_tokens_init(dm_tokens_t *t)
{
        memset(t, 0, sizeof(*t));
}

void dm_tokens_free(dm_tokens_t *t)
{
        free(t->toks);
        free(t->words);
        free(t->words_v);
        dm_tokens_init(t);
}

static void dm_tokens_push(dm_tokens_t *t, const char *text, uint32_t s, uint32_t e)
{
        dm_token_t *tok;
        uint32_t i;
        dm_grow((void **)&t->toks, &t->cap, t->count + 1, sizeof(*tok));
        dm_grow((void **)&t->words, &t->words_cap, t->words_len + (e - s) + 1, 1);
        tok = &t->toks[t->count++];
        tok->span.start = s;
        tok->span.end = e;
        tok->hyphen_before = 0;
        /* Store the offset for now: words may move while growing. */
        tok->word = (char *)(uintptr_t)t->words_len;
        for (i = s; i < e; i++)
                t->words[t->words_len++] = (char)toupper((unsigned char)text[i]);
        t->words[t->words_len++] = '\0';
}

void dm_tokenize(dm_tokens_t *t, const char *text, uint32_t start, uint32_t end)
{
        uint32_t i = start;
        size_t k;
        t->count = 0;
        t->words_len = 0;
        while (i < end) {
                unsigned char c = (unsigned char)text[i];
                uint32_t s = i;
                if (isspace(c)) {
                        i++;
                        continue;
                }
                if (!dm_is_word_byte(c)) {
                        dm_tokens_push(t, text, i, i + 1);
                        i++;
                        continue;
                }
                /* Dotted initialism: letter '.' letter '.' ... */
                if (isalpha(c) && i + 2 < end && text[i + 1] == '.' &&
                    isalpha((unsigned char)text[i + 2]) &&
                    (i + 3 >= end || text[i + 3] == '.' || !dm_is_word_byte(text[i + 3]))) {
                        while (i + 1 < end && isalpha((unsigned char)text[i]) && text[i + 1] == '.')
                                i += 2;
                        if (i < end && isalpha((unsigned char)text[i]) &&
                            (i + 1 >= end || !dm_is_word_byte((unsigned char)text[i + 1])))
                                i++;
                        dm_tokens_push(t, text, s, i);
                        /* "U.S.-led": the hyphen joins, it is no token */
                        if (i + 1 < end && text[i] == '-' &&
                            dm_is_word_byte((unsigned char)text[i + 1]))
                                i++;
                        continue;
                }
                while (i < end) {
                        unsigned char d = (unsigned char)text[i];
                        if (dm_is_word_byte(d)) {
                                i++;
                        } else if (d == '-' && i + 1 < end &&
                                   dm_is_word_byte((unsigned char)text[i + 1]) && i > s) {
                                /* Hyphenated names split ("US-NATO", "Guinea-Bissau",
                                 * TABARI reads hyphens as blanks), except after a
                                 * prefix: "anti-Russian" is not Russia. */
                                if (!dm_is_prefix(text + s, i - s))
                                        break;
                                i++;
                        } else if (d == '\'' && i + 1 < end &&
                                   dm_is_word_byte((unsigned char)text[i + 1]) && i > s) {
                                i++;
                        } else if (d == 0xe2 && i + 3 < end && (unsigned char)text[i + 1] == 0x80 &&
                                   (unsigned char)text[i + 2] == 0x99 &&
                                   dm_is_word_byte((unsigned char)text[i + 3])) {
                                /* U+2019 right single quote used as apostrophe. */
                                i += 3;
                        } else {
                                break;
                        }
                }
                dm_tokens_push(t, text, s, i);
                t->toks[t->count - 1].hyphen_before =
                    s >= start + 2 && text[s - 1] == '-' &&
                    (dm_is_word_byte((unsigned char)text[s - 2]) || text[s - 2] == '.');
                if (i < end && text[i] == '-' && i + 1 < end &&
                    dm_is_word_byte((unsigned char)text[i + 1]))
                        i++; /* the hyphen between the parts is not a token */
        }
        dm_grow((void **)&t->words_v, &t->words_v_cap, t->count + 1, sizeof(char *));
        for (k = 0; k < t->count; k++) {
                t->toks[k].word = t->words + (uintptr_t)t->toks[k].word;
                t->words_v[k] = t->toks[k].word;
        }
}

/* Words after which a period does not end a sentence. */
static const char *dm_abbrevs[] = {
    "mr",  "mrs",  "ms",   "dr",   "prof", "gen", "col",    "lt",  "sgt",    "capt", "maj",
    "adm", "gov",  "sen",  "rep",  "rev",  "st",  "jr",     "sr",  "no",     "nos",  "vs",
    "etc", "inc",  "ltd",  "co",   "corp", "jan", "feb",    "mar", "apr",    "jun",  "jul",
    "aug", "sep",  "sept", "oct",  "nov",  "dec", "mt",     "ft",  "approx", "dept", "est",
    "fig", "pres", "amb",  "cmdr", "brig", "hon", "messrs", NULL};

static int dm_is_abbrev(const char *text, size_t wstart, size_t wend)
{
        size_t n = wend - wstart, k;
        const char **a;
        char w[16];
        if (n == 0 || n >= sizeof(w))
                return 0;
        if (n == 1 && isalpha((unsigned char)text[wstart]))
                return 1; /* an initial: "John F. Kennedy" */
        for (k = 0; k < n; k++)
                w[k] = (char)tolower((unsigned char)text[wstart + k]);
        w[n] = '\0';
        for (a = dm_abbrevs; *a; a++)
                if (!strcmp(w, *a))
                        return 1;
        /* Dotted initialisms: "U.S." - the word contains a dot itself. */
        return memchr(text + wstart, '.', n) != NULL;
}

/* Words that begin sentences far more often than they follow a title or
 * an initialism inside one. */
static const char *dm_starters[] = {
    "the",     "he",        "she",       "it",   "they",    "we",    "i",     "but",   "in",
    "a",       "an",        "this",      "that", "these",   "those", "on",    "at",    "after",
    "however", "meanwhile", "its",       "his",  "her",     "their", "there", "when",  "while",
    "if",      "as",        "officials", "both", "earlier", "later", "last",  "since", NULL};

/* Whether the period after an abbreviation text[ws, we) still ends the
 * sentence, judged by the word at text[next]: "the U.S. The ..." does,
 * "No. 10" and "Mr. Smith" do not, "said no. The" does. */
static int dm_abbrev_ends_sentence(const char *text, size_t len, size_t ws, size_t we, size_t next)
{
        size_t n = we - ws, k = next, wl;
        const char **st;
        if (next >= len)
                return 1;
        if ((n == 2 && !strncasecmp(text + ws, "no", 2)) ||
            (n == 3 && !strncasecmp(text + ws, "nos", 3)))
                return !isdigit((unsigned char)text[next]);
        /* Titles and single initials always bind to the next word. */
        if (!memchr(text + ws, '.', n) && !(n == 3 && !strncasecmp(text + ws, "etc", 3)) &&
            !(n == 3 && !strncasecmp(text + ws, "inc", 3)) &&
            !(n == 3 && !strncasecmp(text + ws, "ltd", 3)))
                return 0;
        while (k < len && isalpha((unsigned char)text[k]))
                k++;
        wl = k - next;
        for (st = dm_starters; *st; st++)
                if (strlen(*st) == wl && !strncasecmp(text + next, *st, wl))
                        return 1;
        return 0;
}

static void dm_push_span(dm_span_t **out, size_t *count, size_t *cap, size_t s, size_t e)
{
        if (e <= s)
                return;
        dm_grow((void **)out, cap, *count + 1, sizeof(**out));
        (*out)[*count].start = (uint32_t)s;
        (*out)[*count].end = (uint32_t)e;
        (*count)++;
}

void dm_split_sentences(const char *text, size_t len, dm_span_t **out, size_t *count, size_t *cap)
{
        size_t i = 0, s;
        while (i < len && isspace((unsigned char)text[i]))
                i++;
        s = i;
        while (i < len) {
                unsigned char c = (unsigned char)text[i];
                if (c == '\n' && i + 1 < len && text[i + 1] == '\n') {
                        size_t e = i;
                        while (e > s && isspace((unsigned char)text[e - 1]))
                                e--;
                        dm_push_span(out, count, cap, s, e);
                        while (i < len && isspace((unsigned char)text[i]))
                                i++;
                        s = i;
                        continue;
                }
                if (c == '.' || c == '!' || c == '?') {
                        size_t e = i + 1, j, ws;
                        /* Ellipses and runs of marks stay together. */
                        while (e < len && (text[e] == '.' || text[e] == '!' || text[e] == '?'))
                                e++;
                        /* Closing quotes and brackets belong to the sentence. */
                        while (e < len && (text[e] == '"' || text[e] == '\'' || text[e] == ')'))
                                e++;
                        if (e + 2 < len && (unsigned char)text[e] == 0xe2 &&
                            (unsigned char)text[e + 1] == 0x80 &&
                            ((unsigned char)text[e + 2] == 0x9d ||
                             (unsigned char)text[e + 2] == 0x99))
                                e += 3;
                        j = e;
                        if (j < len && !isspace((unsigned char)text[j])) {
                                i = e;
                                continue; /* "3.5", "U.S.-led", "e.g.," */
                        }
                        while (j < len && isspace((unsigned char)text[j]))
                                j++;
                        if (c == '.') {
                                ws = i;
                                while (ws > s && !isspace((unsigned char)text[ws - 1]) &&
                                       text[ws - 1] != '(' && text[ws - 1] != '"')
                                        ws--;
                                if (e == i + 1 && dm_is_abbrev(text, ws, i) &&
                                    !dm_abbrev_ends_sentence(text, len, ws, i, j)) {
                                        i = e;
                                        continue;
                                }
                        }
                        if (j < len && islower((unsigned char)text[j])) {
                                i = e;
                                continue;
                        }
                        dm_push_span(out, count, cap, s, e);
                        i = j;
                        s = j;
                        continue;
                }
                i++;
        }
        while (len > s && isspace((unsigned char)text[len - 1]))
                len--;
        dm_push_span(out, count, cap, s, len);
}

int dm_text_word_in(const char *w, const char *const *list)
{
        /* The first byte first: most tokens match no word of a list, and
         * this runs for every token against lists of closed-class words. */
        for (; *list; list++)
                if ((*list)[0] == w[0] && !strcmp(w, *list))
                        return 1;
        return 0;
}

int dm_text_is_adverb(const char *w)
{
        size_t n = strlen(w);
        return n > 3 && !strcmp(w + n - 2, "LY");
}

static const char *const dm_text_passive_aux[] = {"IS",     "WAS",    "WERE", "BE",  "BEEN",
                                                  "BEING",  "ARE",    "GET",  "GOT", "THOSE",
                                                  "BECOME", "BECAME", NULL};

/* Whether the verb at token i is passive: "was not consulted", "those
 * penalised by". */
int dm_text_is_passive(const dm_tokens_t *tk, size_t i)
{
        static const char *const skip[] = {"NOT",        "NEVER",   "ALSO",     "ALREADY", "JUST",
                                           "REPEATEDLY", "JOINTLY", "RECENTLY", NULL};
        while (i > 0 && dm_text_word_in(tk->toks[i - 1].word, skip))
                i--;
        return i > 0 && dm_text_word_in(tk->toks[i - 1].word, dm_text_passive_aux);
}
