/* Feature extraction and the arc-hybrid transition system (dm_parse_feat.h).
 * Templates follow Zhang and Nivre (2011) adapted to arc-hybrid: words and
 * tags of s0-s2 and b0-b2, pairs and triples of them, the s0-b0 distance,
 * valencies, and the words, tags and labels of the outermost children. */
#include "dm_parse_feat.h"

#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <stdlib.h>
#include <string.h>

#define NONE_V 0x4e4f4e45ULL /* absent position */
#define ROOT_V 0x524f4f54ULL /* the root */
#define BOS_V  0x424f53ULL
#define EOS_V  0x454f53ULL
#define ROOT_T 0xffffULL

uint64_t dm_pf_hash(const char *s, size_t n)
{
        return dm_fnv1a64(s, n);
}

static const char *const aux_words[] = {
    "have",  "has",  "had",    "having",  "'ve",  "'d",    "be",  "is",    "are",
    "was",   "were", "been",   "being",   "am",   "'s",    "'re", "'m",    "get",
    "gets",  "got",  "gotten", "getting", "will", "would", "can", "could", "may",
    "might", "must", "shall",  "should",  "'ll",  "wo",    "ca"};

static int is_aux_word(const char *low, size_t m)
{
        size_t k;
        if (m > 7)
                return 0;
        for (k = 0; k < sizeof(aux_words) / sizeof(*aux_words); k++)
                if (strlen(aux_words[k]) == m && !memcmp(aux_words[k], low, m))
                        return 1;
        return 0;
}

uint64_t dm_pf_coarse(const char *upos)
{
        return dm_pf_hash(upos, strcspn(upos, "\t")) | 1;
}

void dm_pwords_init(dm_pwords_t *w)
{
        memset(w, 0, sizeof(*w));
}

void dm_pwords_free(dm_pwords_t *w)
{
        free(w->lower);
        memset(w, 0, sizeof(*w));
}

void dm_pwords_set(dm_pwords_t *w, const char *const *forms, size_t n)
{
        size_t i;
        if (n + 2 > w->cap) {
                free(w->lower);
                w->cap = n + 16;
                w->lower = dm_malloc(w->cap * 14 * sizeof(uint64_t));
                w->suf1 = w->lower + w->cap;
                w->suf2 = w->suf1 + w->cap;
                w->suf3 = w->suf2 + w->cap;
                w->suf4 = w->suf3 + w->cap;
                w->pre1 = w->suf4 + w->cap;
                w->shape = w->pre1 + w->cap;
                w->form = w->shape + w->cap;
                w->amb = w->form + w->cap;
                w->fixed = w->amb + w->cap;
                w->aux = w->fixed + w->cap;
                w->c4 = w->aux + w->cap;
                w->c6 = w->c4 + w->cap;
                w->cf = w->c6 + w->cap;
        }
        w->n = n;
        w->lower[0] = w->form[0] = ROOT_V;
        memset(w->amb, 0, (n + 2) * sizeof(*w->amb));
        memset(w->fixed, 0, (n + 2) * sizeof(*w->fixed));
        memset(w->c4, 0, (n + 2) * sizeof(*w->c4));
        memset(w->c6, 0, (n + 2) * sizeof(*w->c6));
        memset(w->cf, 0, (n + 2) * sizeof(*w->cf));
        w->c4[0] = w->c6[0] = w->cf[0] = ROOT_V;
        for (i = 1; i <= n; i++) {
                const char *f = forms[i - 1];
                char low[64], shape[8];
                size_t len = strlen(f), k, m = len < sizeof(low) ? len : sizeof(low), ns = 0;
                for (k = 0; k < m; k++) {
                        unsigned char c = (unsigned char)f[k];
                        char sc;
                        low[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
                        sc = c >= 'A' && c <= 'Z'   ? 'X'
                             : c >= 'a' && c <= 'z' ? 'x'
                             : c >= '0' && c <= '9' ? 'd'
                             : c >= 0x80            ? 'u'
                                                    : (char)c;
                        if (ns < sizeof(shape) && (!ns || shape[ns - 1] != sc))
                                shape[ns++] = sc;
                }
                w->form[i] = dm_pf_hash(f, len);
                w->lower[i] = len <= sizeof(low) ? dm_pf_hash(low, m) : w->form[i];
                w->suf1[i] = dm_pf_hash(low + (m > 1 ? m - 1 : 0), m < 1 ? m : 1);
                w->suf2[i] = dm_pf_hash(low + (m > 2 ? m - 2 : 0), m < 2 ? m : 2);
                w->suf3[i] = dm_pf_hash(low + (m > 3 ? m - 3 : 0), m < 3 ? m : 3);
                w->suf4[i] = dm_pf_hash(low + (m > 4 ? m - 4 : 0), m < 4 ? m : 4);
                w->pre1[i] = dm_pf_hash(f, len ? 1 : 0);
                w->shape[i] = dm_pf_hash(shape, ns) ^ (len > 8 ? 0x55 : len);
                w->fixed[i] = is_aux_word(low, m); /* borrowed until the loop below */
        }
        for (i = n; i >= 1; i--) {
                size_t k;
                w->aux[i] = 0;
                for (k = i - 1; k >= 1 && k + 5 >= i; k--) {
                        if (w->fixed[k]) {
                                w->aux[i] = w->lower[k];
                                break;
                        }
                }
        }
        memset(w->fixed, 0, (n + 2) * sizeof(*w->fixed));
}

void dm_pwords_clus(dm_pwords_t *w, size_t i, uint32_t code)
{
        unsigned nbits = code ? 31u - (unsigned)__builtin_clz(code) : 0;
        w->c4[i] = nbits > 4 ? code >> (nbits - 4) : code;
        w->c6[i] = nbits > 6 ? code >> (nbits - 6) : code;
        w->cf[i] = code;
}

static uint64_t tw(const dm_pwords_t *w, long i)
{
        return i < 1 ? BOS_V : i > (long)w->n ? EOS_V : w->lower[i];
}

size_t dm_pf_tagger(const dm_pwords_t *w, const int *tags, size_t i, uint64_t *f)
{
        size_t k = 0;
        long j = (long)i;
        uint64_t t1 = i >= 2 ? (uint64_t)tags[i - 1] : BOS_V;
        uint64_t t2 = i >= 3 ? (uint64_t)tags[i - 2] : BOS_V;
        uint64_t sh1 = i >= 2 ? w->shape[i - 1] : BOS_V;
        uint64_t sh2 = i < w->n ? w->shape[i + 1] : EOS_V;
        f[k++] = dm_pf_key(1, 0, 0, 0);
        f[k++] = dm_pf_key(2, w->lower[i], 0, 0);
        f[k++] = dm_pf_key(3, tw(w, j - 1), 0, 0);
        f[k++] = dm_pf_key(4, tw(w, j + 1), 0, 0);
        f[k++] = dm_pf_key(5, tw(w, j - 2), 0, 0);
        f[k++] = dm_pf_key(6, tw(w, j + 2), 0, 0);
        f[k++] = dm_pf_key(7, w->suf1[i], 0, 0);
        f[k++] = dm_pf_key(8, w->suf2[i], 0, 0);
        f[k++] = dm_pf_key(9, w->suf3[i], 0, 0);
        f[k++] = dm_pf_key(10, w->suf4[i], 0, 0);
        f[k++] = dm_pf_key(11, w->pre1[i], 0, 0);
        f[k++] = dm_pf_key(12, w->shape[i], i == 1, 0);
        f[k++] = dm_pf_key(13, t1, 0, 0);
        f[k++] = dm_pf_key(14, t2, 0, 0);
        f[k++] = dm_pf_key(15, t1, t2, 0);
        f[k++] = dm_pf_key(16, t1, w->lower[i], 0);
        f[k++] = dm_pf_key(17, i >= 2 ? w->suf3[i - 1] : BOS_V, 0, 0);
        f[k++] = dm_pf_key(18, i < w->n ? w->suf3[i + 1] : EOS_V, 0, 0);
        f[k++] = dm_pf_key(19, sh1, w->shape[i], 0);
        f[k++] = dm_pf_key(20, w->shape[i], sh2, 0);
        f[k++] = dm_pf_key(21, w->lower[i], tw(w, j + 1), 0);
        f[k++] = dm_pf_key(22, tw(w, j - 1), w->lower[i], 0);
        f[k++] = dm_pf_key(23, w->form[i], 0, 0);
        f[k++] = dm_pf_key(24, t1, w->suf3[i], 0);
        f[k++] = dm_pf_key(25, w->amb[i], 0, 0);
        f[k++] = dm_pf_key(26, i < w->n ? w->amb[i + 1] : EOS_V, 0, 0);
        f[k++] = dm_pf_key(27, i >= 2 ? w->amb[i - 1] : BOS_V, 0, 0);
        f[k++] = dm_pf_key(28, w->amb[i], t1, 0);
        f[k++] = dm_pf_key(29, w->amb[i], i < w->n ? w->amb[i + 1] : EOS_V, 0);
        f[k++] = dm_pf_key(30, w->amb[i], w->suf3[i], 0);
        f[k++] = dm_pf_key(31, w->aux[i], w->suf2[i], 0);
        f[k++] = dm_pf_key(32, w->aux[i], w->amb[i], 0);
        if (w->use_clusters) {
                /* Word clusters: words rare in the treebank share weights
                 * with frequent words of their cluster. */
                uint64_t cp = i >= 2 ? w->cf[i - 1] : BOS_V, cn = i < w->n ? w->cf[i + 1] : EOS_V;
                uint64_t cn6 = i < w->n ? w->c6[i + 1] : EOS_V;
                f[k++] = dm_pf_key(33, w->cf[i], 0, 0);
                f[k++] = dm_pf_key(34, w->c6[i], 0, 0);
                f[k++] = dm_pf_key(35, w->c4[i], 0, 0);
                f[k++] = dm_pf_key(36, cp, 0, 0);
                f[k++] = dm_pf_key(37, cn, 0, 0);
                f[k++] = dm_pf_key(38, t1, w->c6[i], 0);
                f[k++] = dm_pf_key(39, w->c6[i], cn6, 0);
        }
        return k;
}

void dm_pstate_init(dm_pstate_t *s)
{
        memset(s, 0, sizeof(*s));
}

void dm_pstate_free(dm_pstate_t *s)
{
        free(s->head);
        memset(s, 0, sizeof(*s));
}

static void pstate_reserve(dm_pstate_t *s, size_t n)
{
        if (n + 2 > s->cap) {
                free(s->head);
                s->cap = n + 16;
                s->head = dm_malloc(s->cap * 9 * sizeof(int));
                s->label = s->head + s->cap;
                s->lc1 = s->label + s->cap;
                s->lc2 = s->lc1 + s->cap;
                s->rc1 = s->lc2 + s->cap;
                s->rc2 = s->rc1 + s->cap;
                s->nl = s->rc2 + s->cap;
                s->nr = s->nl + s->cap;
                s->stack = s->nr + s->cap;
        }
}

void dm_pstate_start(dm_pstate_t *s, const dm_pwords_t *w, const int *tag, const uint64_t *coarse,
                     size_t n)
{
        size_t i;
        pstate_reserve(s, n);
        s->n = n;
        s->w = w;
        s->tag = tag;
        s->coarse = coarse;
        for (i = 0; i <= n; i++) {
                s->head[i] = -1;
                s->label[i] = -1;
                s->lc1[i] = s->lc2[i] = s->rc1[i] = s->rc2[i] = 0;
                s->nl[i] = s->nr[i] = 0;
        }
        s->sp = 0;
        s->b = 1;
}

void dm_pstate_copy(dm_pstate_t *dst, const dm_pstate_t *src)
{
        size_t m = src->n + 1;
        pstate_reserve(dst, src->n);
        dst->n = src->n;
        dst->w = src->w;
        dst->tag = src->tag;
        dst->coarse = src->coarse;
        memcpy(dst->head, src->head, m * sizeof(int));
        memcpy(dst->label, src->label, m * sizeof(int));
        memcpy(dst->lc1, src->lc1, m * sizeof(int));
        memcpy(dst->lc2, src->lc2, m * sizeof(int));
        memcpy(dst->rc1, src->rc1, m * sizeof(int));
        memcpy(dst->rc2, src->rc2, m * sizeof(int));
        memcpy(dst->nl, src->nl, m * sizeof(int));
        memcpy(dst->nr, src->nr, m * sizeof(int));
        memcpy(dst->stack, src->stack, (size_t)src->sp * sizeof(int));
        dst->sp = src->sp;
        dst->b = src->b;
}

int dm_pstate_terminal(const dm_pstate_t *s)
{
        return s->sp == 0 && s->b == s->n + 1;
}

int dm_pstate_valid(const dm_pstate_t *s, int act)
{
        switch (act) {
        case DM_PACT_SHIFT:
                return s->b <= s->n;
        case DM_PACT_LEFT:
                return s->sp >= 1 && (s->b <= s->n || s->sp == 1);
        case DM_PACT_RIGHT:
                return s->sp >= 2;
        }
        return 0;
}

static int b0_of(const dm_pstate_t *s)
{
        return s->b <= s->n ? (int)s->b : 0;
}

void dm_pstate_arc(const dm_pstate_t *s, int act, int *h, int *d)
{
        *d = s->sp ? s->stack[s->sp - 1] : -1;
        *h = act == DM_PACT_LEFT ? b0_of(s) : s->sp >= 2 ? s->stack[s->sp - 2] : -1;
}

void dm_pstate_apply(dm_pstate_t *s, int act, int label)
{
        int h, d;
        if (act == DM_PACT_SHIFT) {
                s->stack[s->sp++] = (int)s->b++;
                return;
        }
        dm_pstate_arc(s, act, &h, &d);
        s->sp--;
        s->head[d] = h;
        s->label[d] = label;
        if (d < h) {
                s->nl[h]++;
                if (!s->lc1[h] || d < s->lc1[h]) {
                        s->lc2[h] = s->lc1[h];
                        s->lc1[h] = d;
                } else if (!s->lc2[h] || d < s->lc2[h]) {
                        s->lc2[h] = d;
                }
        } else {
                s->nr[h]++;
                if (d > s->rc1[h]) {
                        s->rc2[h] = s->rc1[h];
                        s->rc1[h] = d;
                } else if (d > s->rc2[h]) {
                        s->rc2[h] = d;
                }
        }
}

/* Is word x (0 = root) still in the buffer, b0 excluded when skip_b0? */
static int in_buffer(const dm_pstate_t *s, int x, int skip_b0)
{
        if (x == 0)
                return s->b <= s->n || !skip_b0;
        return x >= (int)s->b + (skip_b0 ? 1 : 0) && x <= (int)s->n;
}

int dm_pstate_cost(const dm_pstate_t *s, int act, const int *g)
{
        int c = 0, s0 = s->sp ? s->stack[s->sp - 1] : -1, b0 = b0_of(s), i;
        size_t d;
        if (act == DM_PACT_SHIFT) {
                for (i = 0; i < s->sp; i++) {
                        int x = s->stack[i];
                        if (g[x] == b0)
                                c++;
                        if (g[b0] == x && x != s0)
                                c++;
                }
                return c;
        }
        if (act == DM_PACT_LEFT) {
                int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
                if (g[s0] != b0 && ((s1 >= 0 && g[s0] == s1) || in_buffer(s, g[s0], 1)))
                        c++;
        } else if (in_buffer(s, g[s0], 0)) {
                c++;
        }
        for (d = s->b; d <= s->n; d++)
                if (g[d] == s0)
                        c++;
        return c;
}

static int dist_bucket(int a, int b)
{
        int d = a > b ? a - b : b - a;
        return d < 5 ? d : d < 8 ? 5 : d < 15 ? 6 : 7;
}

#define W(x)      ((x) < 0 ? NONE_V : (x) == 0 ? ROOT_V : s->w->lower[(x)])
#define T(x)      ((x) < 0 ? 0 : (x) == 0 ? ROOT_T : (uint64_t)s->tag[(x)])
#define CT(x)     ((x) < 0 ? 0 : (x) == 0 ? ROOT_T : s->coarse[s->tag[(x)]])
#define L(x)      ((x) <= 0 ? 0 : (uint64_t)s->label[(x)] + 1)
#define C(arr, x) ((x) <= 0 ? -1 : (s->arr[(x)] ? s->arr[(x)] : -1))

size_t dm_pf_state(const dm_pstate_t *s, uint64_t *f)
{
        size_t k = 0;
        int s0 = s->sp >= 1 ? s->stack[s->sp - 1] : -1;
        int s1 = s->sp >= 2 ? s->stack[s->sp - 2] : -1;
        int s2 = s->sp >= 3 ? s->stack[s->sp - 3] : -1;
        int b0 = b0_of(s);
        int b1 = s->b + 1 <= s->n ? (int)s->b + 1 : s->b + 1 == s->n + 1 ? 0 : -1;
        int b2 = s->b + 2 <= s->n ? (int)s->b + 2 : s->b + 2 == s->n + 1 ? 0 : -1;
        int s0l = C(lc1, s0), s0r = C(rc1, s0), s0l2 = C(lc2, s0), s0r2 = C(rc2, s0);
        int b0l = C(lc1, b0), b0l2 = C(lc2, b0), s1r = C(rc1, s1), s1l = C(lc1, s1);
        uint64_t s0w = W(s0), s0t = T(s0), s1w = W(s1), s1t = T(s1), b0w = W(b0), b0t = T(b0);
        uint64_t b1w = W(b1), b1t = T(b1), b2t = T(b2), s2t = T(s2);
        uint64_t d = s0 >= 0 ? (uint64_t)dist_bucket(s0, b0 ? b0 : (int)s->n + 1) : 9;
        uint64_t d1 = s1 >= 0 ? (uint64_t)dist_bucket(s1, s0) : 9;
        uint64_t s0nl = s0 > 0 ? (uint64_t)s->nl[s0] : 9, s0nr = s0 > 0 ? (uint64_t)s->nr[s0] : 9;
        uint64_t b0nl = b0 >= 0 ? (uint64_t)s->nl[b0] : 9;
        f[k++] = dm_pf_key(101, s0w, 0, 0);
        f[k++] = dm_pf_key(102, s0t, 0, 0);
        f[k++] = dm_pf_key(103, s0w, s0t, 0);
        f[k++] = dm_pf_key(104, s1w, 0, 0);
        f[k++] = dm_pf_key(105, s1t, 0, 0);
        f[k++] = dm_pf_key(106, s1w, s1t, 0);
        f[k++] = dm_pf_key(107, b0w, 0, 0);
        f[k++] = dm_pf_key(108, b0t, 0, 0);
        f[k++] = dm_pf_key(109, b0w, b0t, 0);
        f[k++] = dm_pf_key(110, b1w, 0, 0);
        f[k++] = dm_pf_key(111, b1t, 0, 0);
        f[k++] = dm_pf_key(112, b1w, b1t, 0);
        f[k++] = dm_pf_key(113, W(b2), 0, 0);
        f[k++] = dm_pf_key(114, b2t, 0, 0);
        f[k++] = dm_pf_key(115, s2t, 0, 0);
        f[k++] = dm_pf_key(116, dm_pf_mix(s0w, s0t), b0w, b0t);
        f[k++] = dm_pf_key(117, s0w, s0t, b0w);
        f[k++] = dm_pf_key(118, s0w, b0w, b0t);
        f[k++] = dm_pf_key(119, s0w, s0t, b0t);
        f[k++] = dm_pf_key(120, s0t, b0w, b0t);
        f[k++] = dm_pf_key(121, s0w, b0w, 0);
        f[k++] = dm_pf_key(122, s0t, b0t, 0);
        f[k++] = dm_pf_key(123, b0t, b1t, 0);
        f[k++] = dm_pf_key(124, b0t, b1t, b2t);
        f[k++] = dm_pf_key(125, s0t, b0t, b1t);
        f[k++] = dm_pf_key(126, s1t, s0t, b0t);
        f[k++] = dm_pf_key(127, s2t, s1t, s0t);
        f[k++] = dm_pf_key(128, s1t, s0t, 0);
        f[k++] = dm_pf_key(129, s1w, s0w, 0);
        f[k++] = dm_pf_key(130, s1w, s0t, 0);
        f[k++] = dm_pf_key(131, s1t, s0w, 0);
        f[k++] = dm_pf_key(132, s1w, s1t, s0t);
        f[k++] = dm_pf_key(133, s0t, T(s0l), b0t);
        f[k++] = dm_pf_key(134, s0t, T(s0r), b0t);
        f[k++] = dm_pf_key(135, s0t, b0t, T(b0l));
        f[k++] = dm_pf_key(136, s1t, T(s1r), s0t);
        f[k++] = dm_pf_key(137, s0w, d, 0);
        f[k++] = dm_pf_key(138, s0t, d, 0);
        f[k++] = dm_pf_key(139, b0w, d, 0);
        f[k++] = dm_pf_key(140, b0t, d, 0);
        f[k++] = dm_pf_key(141, s0w, b0w, d);
        f[k++] = dm_pf_key(142, s0t, b0t, d);
        f[k++] = dm_pf_key(143, s1t, s0t, d1);
        f[k++] = dm_pf_key(144, s1w, s0w, d1);
        f[k++] = dm_pf_key(145, s0w, s0nr, 0);
        f[k++] = dm_pf_key(146, s0t, s0nr, 0);
        f[k++] = dm_pf_key(147, s0w, s0nl, 0);
        f[k++] = dm_pf_key(148, s0t, s0nl, 0);
        f[k++] = dm_pf_key(149, b0w, b0nl, 0);
        f[k++] = dm_pf_key(150, b0t, b0nl, 0);
        f[k++] = dm_pf_key(151, W(s0l), 0, 0);
        f[k++] = dm_pf_key(152, T(s0l), 0, 0);
        f[k++] = dm_pf_key(153, L(s0l), 0, 0);
        f[k++] = dm_pf_key(154, W(s0r), 0, 0);
        f[k++] = dm_pf_key(155, T(s0r), 0, 0);
        f[k++] = dm_pf_key(156, L(s0r), 0, 0);
        f[k++] = dm_pf_key(157, W(b0l), 0, 0);
        f[k++] = dm_pf_key(158, T(b0l), 0, 0);
        f[k++] = dm_pf_key(159, L(b0l), 0, 0);
        f[k++] = dm_pf_key(160, T(s1r), L(s1r), 0);
        f[k++] = dm_pf_key(161, T(s1l), L(s1l), 0);
        f[k++] = dm_pf_key(162, T(s0l2), L(s0l2), 0);
        f[k++] = dm_pf_key(163, T(s0r2), L(s0r2), 0);
        f[k++] = dm_pf_key(164, T(b0l2), L(b0l2), 0);
        f[k++] = dm_pf_key(165, s0t, T(s0l), T(s0l2));
        f[k++] = dm_pf_key(166, s0t, T(s0r), T(s0r2));
        f[k++] = dm_pf_key(167, b0t, T(b0l), T(b0l2));
        f[k++] = dm_pf_key(168, s0t, L(s0l), L(s0r));
        f[k++] = dm_pf_key(169, b0t, L(b0l), L(b0l2));
        f[k++] = dm_pf_key(170, s0w, L(s0l), L(s0r));
        f[k++] = dm_pf_key(171, b0w, L(b0l), 0);
        f[k++] = dm_pf_key(172, s1t, L(s1r), s0t);
        {
                /* The same configurations over UPOS only: they generalise
                 * across the 102 fine tags. */
                uint64_t s0c = CT(s0), s1c = CT(s1), b0c = CT(b0), b1c = CT(b1);
                f[k++] = dm_pf_key(182, s0c, b0c, 0);
                f[k++] = dm_pf_key(183, s1c, s0c, b0c);
                f[k++] = dm_pf_key(184, s0c, b0c, b1c);
                f[k++] = dm_pf_key(185, s0w, b0c, 0);
                f[k++] = dm_pf_key(186, s0c, b0w, 0);
                f[k++] = dm_pf_key(187, s1c, s0c, d1);
                f[k++] = dm_pf_key(188, b0c, b1c, CT(b2));
                f[k++] = dm_pf_key(189, s0c, b0c, d);
                f[k++] = dm_pf_key(190, s0c, CT(s0l), b0c);
                f[k++] = dm_pf_key(191, s0c, CT(s0r), b0c);
                f[k++] = dm_pf_key(192, s0c, b0c, CT(b0l));
                f[k++] = dm_pf_key(193, CT(s2), s1c, s0c);
                f[k++] = dm_pf_key(194, s1c, b0c, 0);
                f[k++] = dm_pf_key(195, s0c, b1c, 0);
                f[k++] = dm_pf_key(196, s1w, s0c, 0);
                f[k++] = dm_pf_key(197, s1c, s0w, 0);
        }
        return k;
}

size_t dm_pf_label(const dm_pstate_t *s, int h, int d, uint64_t *f)
{
        size_t k = 0;
        uint64_t hw = W(h), ht = T(h), dw = W(d), dt = T(d), dir = h < d ? 1 : 2;
        uint64_t dist = (uint64_t)dist_bucket(h ? h : (int)s->n + 1, d);
        int dl = C(lc1, d), dr = C(rc1, d), hl = C(lc1, h), hr = C(rc1, h), dl2 = C(lc2, d);
        int hl2 = C(lc2, h);
        uint64_t pt = d > 1 ? T(d - 1) : 0, nt = d < (int)s->n ? T(d + 1) : 0;
        f[k++] = dm_pf_key(201, dir, 0, 0);
        f[k++] = dm_pf_key(202, hw, dir, 0);
        f[k++] = dm_pf_key(203, ht, dir, 0);
        f[k++] = dm_pf_key(204, dw, dir, 0);
        f[k++] = dm_pf_key(205, dt, dir, 0);
        f[k++] = dm_pf_key(206, ht, dt, dir);
        f[k++] = dm_pf_key(207, hw, dt, dir);
        f[k++] = dm_pf_key(208, ht, dw, dir);
        f[k++] = dm_pf_key(209, hw, dw, dir);
        f[k++] = dm_pf_key(210, dm_pf_mix(ht, dt), dist, dir);
        f[k++] = dm_pf_key(211, L(dl), dt, 0);
        f[k++] = dm_pf_key(212, L(dr), dt, 0);
        f[k++] = dm_pf_key(213, W(dl), dt, 0);
        f[k++] = dm_pf_key(214, W(dl), ht, dir);
        f[k++] = dm_pf_key(215, L(hl), dt, dir);
        f[k++] = dm_pf_key(216, L(hr), dt, dir);
        f[k++] = dm_pf_key(217, dir, h > 0 ? (uint64_t)s->nl[h] : 9, ht);
        f[k++] = dm_pf_key(218, dt, pt, 0);
        f[k++] = dm_pf_key(219, dt, nt, 0);
        f[k++] = dm_pf_key(220, W(dl2), dt, 0);
        f[k++] = dm_pf_key(221, L(hl2), L(hl), dir);
        f[k++] = dm_pf_key(222, dt, d > 0 ? (uint64_t)s->nl[d] : 9, (uint64_t)s->nr[d > 0 ? d : 0]);
        f[k++] = dm_pf_key(223, dt, T(dr), 0);
        f[k++] = dm_pf_key(224, dt, T(dl), 0);
        f[k++] = dm_pf_key(225, W(dl), W(dl2), dt);
        f[k++] = dm_pf_key(226, ht, L(hl), dw);
        f[k++] = dm_pf_key(227, s->w->form[d > 0 ? d : 0], dir, 0);
        f[k++] = dm_pf_key(228, W(dr), dt, 0);
        f[k++] = dm_pf_key(232, CT(h), CT(d), dir);
        f[k++] = dm_pf_key(233, dm_pf_mix(CT(h), CT(d)), dist, dir);
        f[k++] = dm_pf_key(234, CT(d), L(dl), L(dr));
        f[k++] = dm_pf_key(235, CT(h), CT(d), L(hl));
        return k;
}
