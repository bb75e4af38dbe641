#include "dict/dm_phrases.h"

#include "demarche/dm_mem.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DM_PHRASES_SLOTS 1024 /* a power of two, well above the tables' strings */

typedef struct dm_phrase_alt {
        const char *w[DM_PHRASE_MAX_WORDS];
        size_t len[DM_PHRASE_MAX_WORDS];
        unsigned stem; /* bit k: word k is a stem */
        size_t n;
} dm_phrase_alt_t;

typedef struct dm_phrase_set {
        const char *key; /* the registered string's address */
        dm_phrase_alt_t *alts;
        size_t n;
        /* Alternatives sorted by first letter: those starting with byte c
         * are alts[from[c]] .. alts[from[c + 1] - 1]. */
        uint32_t from[257];
} dm_phrase_set_t;

/* Written only under the lock and before workers match; read without it. */
static dm_phrase_set_t dm_phrases_slots[DM_PHRASES_SLOTS];
static pthread_mutex_t dm_phrases_lock = PTHREAD_MUTEX_INITIALIZER;

static void dm_phrases_fatal(const char *why)
{
        /* A table in the code is malformed: a bug, found on the first run. */
        fprintf(stderr, "dm_phrases: %s\n", why);
        abort();
}

static size_t dm_phrases_slot(const char *key)
{
        uintptr_t h = (uintptr_t)key;
        h ^= h >> 17;
        h *= (uintptr_t)0x9E3779B97F4A7C15ull;
        return (size_t)(h >> 7) & (DM_PHRASES_SLOTS - 1);
}

static const dm_phrase_set_t *dm_phrases_find(const char *key)
{
        size_t s = dm_phrases_slot(key), k;
        for (k = 0; k < DM_PHRASES_SLOTS; k++) {
                const dm_phrase_set_t *e = &dm_phrases_slots[(s + k) & (DM_PHRASES_SLOTS - 1)];
                if (e->key == key)
                        return e;
                if (!e->key)
                        return NULL;
        }
        return NULL;
}

static int dm_phrases_alt_cmp(const void *x, const void *y)
{
        const dm_phrase_alt_t *a = x, *b = y;
        return (int)(unsigned char)a->w[0][0] - (int)(unsigned char)b->w[0][0];
}

/* Sorts the alternatives by first letter (a token is compared only with
 * those that can match it) and indexes them. The longest match wins, so
 * their order does not matter. */
static void dm_phrases_index(dm_phrase_set_t *e)
{
        size_t k, c;
        if (e->n)
                qsort(e->alts, e->n, sizeof(*e->alts), dm_phrases_alt_cmp);
        memset(e->from, 0, sizeof(e->from));
        for (k = 0; k < e->n; k++)
                e->from[(unsigned char)e->alts[k].w[0][0] + 1]++;
        for (c = 1; c < 257; c++)
                e->from[c] += e->from[c - 1];
}

/* Compiles alts into e's alternatives; the words point into alts. */
static void dm_phrases_compile(dm_phrase_set_t *e, const char *alts)
{
        const char *p;
        for (p = alts; *p;) {
                const char *end = strchr(p, '|');
                size_t alen = end ? (size_t)(end - p) : strlen(p), q = 0;
                dm_phrase_alt_t *a;
                e->alts = dm_realloc(e->alts, (e->n + 1) * sizeof(*e->alts));
                a = &e->alts[e->n++];
                memset(a, 0, sizeof(*a));
                while (q < alen) {
                        size_t wl = 0;
                        while (q + wl < alen && p[q + wl] != ' ')
                                wl++;
                        if (wl) {
                                if (a->n == DM_PHRASE_MAX_WORDS)
                                        dm_phrases_fatal("too many words in a phrase");
                                if (p[q + wl - 1] == '*') {
                                        a->stem |= 1u << a->n;
                                        wl--;
                                }
                                a->w[a->n] = p + q;
                                a->len[a->n++] = wl;
                                wl += (a->stem >> (a->n - 1)) & 1u;
                        }
                        q += wl;
                        while (q < alen && p[q] == ' ')
                                q++;
                }
                p += alen;
                if (*p == '|')
                        p++;
        }
        /* An empty alternative ("A||B") has no words: drop it. */
        {
                size_t k, m = 0;
                for (k = 0; k < e->n; k++)
                        if (e->alts[k].n)
                                e->alts[m++] = e->alts[k];
                e->n = m;
        }
        dm_phrases_index(e);
}

void dm_phrases_register(const char *alts)
{
        size_t s, k;
        dm_phrase_set_t *e = NULL;
        pthread_mutex_lock(&dm_phrases_lock);
        s = dm_phrases_slot(alts);
        for (k = 0; k < DM_PHRASES_SLOTS; k++) {
                e = &dm_phrases_slots[(s + k) & (DM_PHRASES_SLOTS - 1)];
                if (!e->key || e->key == alts)
                        break;
        }
        if (k == DM_PHRASES_SLOTS)
                dm_phrases_fatal("too many phrase lists");
        if (e->key == alts)
                goto out;
        dm_phrases_compile(e, alts);
        /* Published last: a reader that finds the key sees the lists. */
        __atomic_store_n(&e->key, alts, __ATOMIC_RELEASE);
out:
        pthread_mutex_unlock(&dm_phrases_lock);
}

static size_t dm_phrases_match_set(const dm_phrase_set_t *e, const dm_tokens_t *tk, size_t i)
{
        unsigned char c = (unsigned char)tk->toks[i].word[0];
        size_t best = 0, k, j;
        const char *w0 = tk->toks[i].word;
        for (k = e->from[c]; k < e->from[c + 1]; k++) {
                const dm_phrase_alt_t *a = &e->alts[k];
                /* The second letter settles most (w0 is NUL-terminated,
                 * the first letters are equal). */
                if (i + a->n > tk->count || a->n <= best || (a->len[0] > 1 && a->w[0][1] != w0[1]))
                        continue;
                for (j = 0; j < a->n; j++) {
                        const char *t = tk->toks[i + j].word;
                        size_t tl = strlen(t);
                        if ((a->stem >> j) & 1u ? tl < a->len[j] || memcmp(t, a->w[j], a->len[j])
                                                : tl != a->len[j] || memcmp(t, a->w[j], tl))
                                break;
                }
                if (j == a->n)
                        best = a->n;
        }
        return best;
}

/* The unregistered path: the same grammar read on the spot. */
static size_t dm_phrases_match_text(const char *alts, const dm_tokens_t *tk, size_t i)
{
        const char *p = alts;
        size_t best = 0;
        while (*p) {
                const char *e = strchr(p, '|');
                size_t alen = e ? (size_t)(e - p) : strlen(p), j = i, k = 0;
                int ok = 1;
                while (k < alen && ok) {
                        size_t wl = 0, tl;
                        const char *w = p + k;
                        int stem;
                        while (k + wl < alen && w[wl] != ' ')
                                wl++;
                        stem = wl > 0 && w[wl - 1] == '*';
                        if (j >= tk->count) {
                                ok = 0;
                                break;
                        }
                        tl = strlen(tk->toks[j].word);
                        if (stem ? (tl < wl - 1 || strncmp(tk->toks[j].word, w, wl - 1))
                                 : (tl != wl || strncmp(tk->toks[j].word, w, wl)))
                                ok = 0;
                        j++;
                        k += wl;
                        while (k < alen && p[k] == ' ')
                                k++;
                }
                if (ok && j - i > best)
                        best = j - i;
                p += alen;
                if (*p == '|')
                        p++;
        }
        return best;
}

size_t dm_phrases_match(const char *alts, const dm_tokens_t *tk, size_t i)
{
        const dm_phrase_set_t *e;
        if (i >= tk->count || !alts[0])
                return 0;
        e = dm_phrases_find(alts);
        if (e && __atomic_load_n(&e->key, __ATOMIC_ACQUIRE) == alts)
                return dm_phrases_match_set(e, tk, i);
        return dm_phrases_match_text(alts, tk, i);
}

struct dm_phrase_list {
        char *text; /* the compiled words point into it */
        dm_phrase_set_t set;
};

int dm_phrases_check(const char *alts, char *errstr, size_t errstr_size)
{
        const char *p = alts;
        for (;;) {
                const char *end = strchr(p, '|');
                size_t alen = end ? (size_t)(end - p) : strlen(p), q = 0, words = 0;
                while (q < alen) {
                        size_t wl = 0, c;
                        while (q < alen && p[q] == ' ')
                                q++;
                        while (q + wl < alen && p[q + wl] != ' ')
                                wl++;
                        if (!wl)
                                break;
                        if (++words > DM_PHRASE_MAX_WORDS) {
                                snprintf(errstr, errstr_size,
                                         "phrase \"%.*s\" has more than %d words", (int)alen, p,
                                         DM_PHRASE_MAX_WORDS);
                                return -1;
                        }
                        /* Tokens are upper case: a lower-case letter never
                         * matches. A stem needs a letter before its '*'. */
                        for (c = 0; c < wl; c++) {
                                unsigned char ch = (unsigned char)p[q + c];
                                if ((ch >= 'a' && ch <= 'z') || ch == '@' ||
                                    (ch == '*' && (c + 1 < wl || c == 0))) {
                                        snprintf(errstr, errstr_size,
                                                 "bad word \"%.*s\" in \"%.*s\"", (int)wl, p + q,
                                                 (int)alen, p);
                                        return -1;
                                }
                        }
                        q += wl;
                }
                if (!words) {
                        snprintf(errstr, errstr_size, "empty phrase in \"%s\"", alts);
                        return -1;
                }
                if (!end)
                        return 0;
                p = end + 1;
        }
}

dm_phrase_list_t *dm_phrase_list_new(const char *alts)
{
        dm_phrase_list_t *l = dm_calloc(1, sizeof(*l));
        l->text = dm_strdup(alts);
        dm_phrases_compile(&l->set, l->text);
        l->set.key = l->text;
        return l;
}

void dm_phrase_list_destroy(dm_phrase_list_t *l)
{
        if (!l)
                return;
        free(l->set.alts);
        free(l->text);
        free(l);
}

const char *dm_phrase_list_text(const dm_phrase_list_t *l)
{
        return l->text;
}

static unsigned dm_phrase_key2(unsigned char c0, unsigned char c1)
{
        return (c0 * 31u + c1) & (DM_PHRASE_KEYS - 1);
}

unsigned dm_phrase_key(const char *word)
{
        unsigned char c0 = (unsigned char)word[0];
        return dm_phrase_key2(c0, c0 ? (unsigned char)word[1] : 0);
}

void dm_phrase_list_keys(const dm_phrase_list_t *l, uint64_t *bits)
{
        size_t k;
        unsigned c1, key;
        if (!l || !l->text[0])
                return;
        for (k = 0; k < l->set.n; k++) {
                const dm_phrase_alt_t *a = &l->set.alts[k];
                unsigned char c0 = (unsigned char)a->w[0][0];
                if (a->len[0] == 1 && ((a->stem & 1u) != 0)) {
                        /* "X*": any word starting with X. */
                        for (c1 = 0; c1 < 256; c1++) {
                                key = dm_phrase_key2(c0, (unsigned char)c1);
                                bits[key / 64] |= (uint64_t)1 << (key % 64);
                        }
                        continue;
                }
                key = dm_phrase_key2(c0, a->len[0] > 1 ? (unsigned char)a->w[0][1] : 0);
                bits[key / 64] |= (uint64_t)1 << (key % 64);
        }
}

size_t dm_phrase_list_match(const dm_phrase_list_t *l, const dm_tokens_t *tk, size_t i)
{
        if (!l || i >= tk->count || !l->text[0])
                return 0;
        return dm_phrases_match_set(&l->set, tk, i);
}
