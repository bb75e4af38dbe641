#include "dict/dm_lex.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

void dm_lex_init(dm_lex_t *lx)
{
        memset(lx, 0, sizeof(*lx));
        /* Offset 0 is the empty string, so 0 can mean "none". */
        dm_lex_str(lx, "", 0);
}

void dm_lex_free(dm_lex_t *lx)
{
        if (!lx)
                return;
        free(lx->str);
        free(lx->els);
        free(lx->group_seqs);
        free(lx->groups);
        free(lx->entries);
        free(lx->codes);
        free(lx->pats);
        free(lx->verbs);
        free(lx->synset_name);
        free(lx->synset_group);
        free(lx->buckets);
        free(lx->index_ids);
        free(lx->index_tmp_next);
        free(lx->bucket_head);
        free(lx->unindexed);
        free(lx->stem_bloom);
        free(lx->pat_key0);
        memset(lx, 0, sizeof(*lx));
}

uint32_t dm_lex_str(dm_lex_t *lx, const char *s, size_t n)
{
        return dm_pool_add(&lx->str, &lx->str_len, &lx->str_cap, s, n);
}

static dm_lex_el_t *dm_lex_push_el(dm_lex_t *lx, uint8_t type)
{
        dm_lex_el_t *el;
        dm_grow((void **)&lx->els, &lx->els_cap, lx->nels + 1, sizeof(*el));
        el = &lx->els[lx->nels++];
        memset(el, 0, sizeof(*el));
        el->type = type;
        return el;
}

static uint32_t dm_lex_new_group(dm_lex_t *lx)
{
        dm_grow((void **)&lx->groups, &lx->groups_cap, lx->ngroups + 1, sizeof(*lx->groups));
        lx->groups[lx->ngroups].first = 0;
        lx->groups[lx->ngroups].count = 0;
        return (uint32_t)lx->ngroups++;
}

/* Group members are appended as they are declared; a group's members are
 * made contiguous by copying the whole member list on each addition, which
 * is cheap for the few dozen members a synset has. */
void dm_lex_group_add(dm_lex_t *lx, uint32_t group, dm_lex_seq_t seq)
{
        dm_lex_group_t *g = &lx->groups[group];
        size_t need = lx->ngroup_seqs + g->count + 1, i;
        uint32_t nfirst = (uint32_t)lx->ngroup_seqs;
        dm_grow((void **)&lx->group_seqs, &lx->group_seqs_cap, need, sizeof(*lx->group_seqs));
        if (g->count && g->first + g->count == lx->ngroup_seqs) {
                lx->group_seqs[lx->ngroup_seqs++] = seq;
                g->count++;
                return;
        }
        for (i = 0; i < g->count; i++)
                lx->group_seqs[nfirst + i] = lx->group_seqs[g->first + i];
        lx->group_seqs[nfirst + g->count] = seq;
        g->first = nfirst;
        g->count++;
        lx->ngroup_seqs = nfirst + g->count;
}

uint32_t dm_lex_synset(dm_lex_t *lx, const char *name)
{
        size_t i;
        uint32_t g;
        for (i = 0; i < lx->nsynsets; i++)
                if (!strcmp(lx->str + lx->synset_name[i], name))
                        return lx->synset_group[i];
        g = dm_lex_new_group(lx);
        dm_grow((void **)&lx->synset_name, &lx->synsets_cap, lx->nsynsets + 1, sizeof(uint32_t));
        lx->synset_group = dm_realloc(lx->synset_group, lx->synsets_cap * sizeof(uint32_t));
        lx->synset_name[lx->nsynsets] = dm_lex_str(lx, name, strlen(name));
        lx->synset_group[lx->nsynsets] = g;
        lx->nsynsets++;
        return g;
}

static long dm_lex_find_synset(const dm_lex_t *lx, const char *name, size_t n)
{
        size_t i;
        for (i = 0; i < lx->nsynsets; i++) {
                const char *s = lx->str + lx->synset_name[i];
                if (strlen(s) == n && !memcmp(s, name, n))
                        return (long)lx->synset_group[i];
        }
        return -1;
}

static int dm_lex_is_word_char(char c)
{
        return c && !isspace((unsigned char)c) && !strchr("_~={|}", c);
}

typedef struct dm_lex_cc {
        dm_lex_t *lx;
        const char *p;
        const char *why;
        int depth;
} dm_lex_cc_t;

static int dm_lex_compile_seq(dm_lex_cc_t *cc, dm_lex_el_t *els_out, size_t *nout, size_t cap,
                              uint32_t *length, int in_alt);

/* Connector after an element: '_' means the next element is adjacent. */
static void dm_lex_connector(dm_lex_cc_t *cc, dm_lex_el_t *el)
{
        if (*cc->p == '_') {
                el->adj_next = 1;
                cc->p++;
        }
}

static int dm_lex_at_end(const char *p, int in_alt)
{
        while (*p == ' ' || *p == '\t')
                p++;
        return !*p || (in_alt && (*p == '|' || *p == '}'));
}

/* Parses one element at cc->p into *el. Returns 0, 1 at the end, -1 on
 * error. */
static int dm_lex_compile_el(dm_lex_cc_t *cc, dm_lex_el_t *el, uint32_t *length, int in_alt)
{
        dm_lex_t *lx = cc->lx;
        const char *p;
        char buf[256];
        size_t n = 0;
        /* Blanks, and stray underscores standing alone ("MIBUY _"). */
        while (*cc->p == ' ' || *cc->p == '\t' ||
               (*cc->p == '_' && (cc->p[1] == ' ' || cc->p[1] == '\t' || !cc->p[1])))
                cc->p++;
        p = cc->p;
        memset(el, 0, sizeof(*el));
        if (!*p || (in_alt && (*p == '|' || *p == '}')))
                return 1;
        if (strchr("*$+%^", *p) && (!p[1] || p[1] == ' ' || p[1] == '_' || p[1] == '\t')) {
                el->type = *p == '*'   ? DM_EL_VERB
                           : *p == '$' ? DM_EL_SRC
                           : *p == '+' ? DM_EL_TGT
                           : *p == '%' ? DM_EL_COMP
                                       : DM_EL_SKIP;
                cc->p++;
                dm_lex_connector(cc, el);
                return 0;
        }
        if (*p == '{') {
                uint32_t g = dm_lex_new_group(lx), best = 0;
                cc->p++;
                if (cc->depth > 8) {
                        cc->why = "alternatives nested too deep";
                        return -1;
                }
                for (;;) {
                        dm_lex_el_t tmp[64];
                        size_t nt = 0, i;
                        uint32_t alen = 0;
                        dm_lex_seq_t seq;
                        cc->depth++;
                        if (dm_lex_compile_seq(cc, tmp, &nt, 64, &alen, 1)) {
                                cc->depth--;
                                return -1;
                        }
                        cc->depth--;
                        if (nt) {
                                seq.first = (uint32_t)lx->nels;
                                seq.count = (uint32_t)nt;
                                for (i = 0; i < nt; i++)
                                        *dm_lex_push_el(lx, tmp[i].type) = tmp[i];
                                dm_lex_group_add(lx, g, seq);
                        }
                        if (alen > best)
                                best = alen;
                        while (*cc->p == ' ' || *cc->p == '\t')
                                cc->p++;
                        if (*cc->p == '|') {
                                cc->p++;
                                continue;
                        }
                        if (*cc->p == '}') {
                                cc->p++;
                                break;
                        }
                        cc->why = "unterminated { alternatives }";
                        return -1;
                }
                if (!lx->groups[g].count) {
                        cc->why = "empty { alternatives }";
                        return -1;
                }
                el->type = DM_EL_GROUP;
                el->ref = g;
                *length += best;
                dm_lex_connector(cc, el);
                return 0;
        }
        if (*p == '&' && (p[1] == '_' || p[1] == ' ' || p[1] == '\t' || !p[1])) {
                /* A lone '&' ("SAINT_KITTS_&_NEVIS") is a word. */
                el->type = DM_EL_WORD;
                el->mode = DM_WM_EXACT;
                el->ref = dm_lex_str(lx, "&", 1);
                el->len = 1;
                cc->p = p + 1;
                dm_lex_connector(cc, el);
                return 0;
        }
        if (*p == '&') {
                long g;
                p++;
                while (*p && (isalnum((unsigned char)*p)) && n + 1 < sizeof(buf))
                        buf[n++] = (char)toupper((unsigned char)*p++);
                buf[n] = '\0';
                /* Phoenix declares some synsets with a trailing '_'. */
                g = -1;
                if (*p == '_') {
                        buf[n] = '_';
                        g = dm_lex_find_synset(lx, buf, n + 1);
                        buf[n] = '\0';
                        if (g >= 0)
                                p++;
                }
                if (g < 0)
                        g = dm_lex_find_synset(lx, buf, n);
                if (g < 0 || !n) {
                        cc->why = "undeclared &SYNSET";
                        return -1;
                }
                el->type = DM_EL_GROUP;
                el->ref = (uint32_t)g;
                cc->p = p;
                dm_lex_connector(cc, el);
                return 0;
        }
        while (dm_lex_is_word_char(*p) && n + 1 < sizeof(buf)) {
                char c = *p++;
                buf[n++] = (char)toupper((unsigned char)c);
                if (isalnum((unsigned char)c))
                        (*length)++;
        }
        if (!n) {
                cc->why = "unexpected character in phrase";
                return -1;
        }
        el->type = DM_EL_WORD;
        el->ref = dm_lex_str(lx, buf, n);
        el->len = (uint32_t)n;
        if (n > lx->max_word_len)
                lx->max_word_len = n;
        if (*p == '=') {
                el->mode = DM_WM_EXACT;
                p++;
        } else if (*p == '~') {
                el->mode = DM_WM_STEM;
                el->adj_next = 1;
                p++;
                if (*p == '_')
                        p++;
        } else if (*p == '_') {
                p++;
                if (dm_lex_at_end(p, in_alt)) {
                        el->mode = DM_WM_ENDS;
                } else {
                        /* "IN_ *" (underscore, then a blank): a whole word
                         * that the next element need not follow at once. */
                        el->mode = DM_WM_EXACT;
                        el->adj_next = !(*p == ' ' || *p == '\t');
                }
        } else {
                el->mode = DM_WM_STEM;
        }
        while (*p && dm_lex_is_word_char(*p) == 0 && *p == '=')
                p++;
        cc->p = p;
        return 0;
}

static int dm_lex_compile_seq(dm_lex_cc_t *cc, dm_lex_el_t *out, size_t *nout, size_t cap,
                              uint32_t *length, int in_alt)
{
        for (;;) {
                dm_lex_el_t el;
                int rc = dm_lex_compile_el(cc, &el, length, in_alt);
                if (rc < 0)
                        return -1;
                if (rc > 0)
                        break;
                if (*nout >= cap) {
                        cc->why = "phrase too long";
                        return -1;
                }
                out[(*nout)++] = el;
        }
        if (*nout)
                out[*nout - 1].adj_next = 0;
        return 0;
}

/* Normalises a phrase: hyphens become underscores (manual 5.2: texts have
 * hyphens as blanks), double quotes go (texts drop them), runs of
 * underscores collapse ("HAINAN-_", "DOS_SANTOS__"NANDO"_") and leading
 * ones go ("_SYRIAN_COALITION"). Caller frees. */
static char *dm_lex_normalize(const char *text)
{
        char *out = dm_malloc(strlen(text) + 1), *q = out;
        while (*text == '_' || *text == '-')
                text++;
        for (; *text; text++) {
                char c = *text == '-' ? '_' : *text;
                if (c == '"')
                        continue;
                if (c == '_' && q > out && q[-1] == '_')
                        continue;
                *q++ = c;
        }
        *q = '\0';
        return out;
}

int dm_lex_compile(dm_lex_t *lx, const char *text, dm_lex_seq_t *out, uint32_t *length,
                   const char **why)
{
        char *norm = dm_lex_normalize(text);
        dm_lex_cc_t cc = {lx, norm, NULL, 0};
        dm_lex_el_t tmp[64];
        size_t n = 0, i;
        int rc;
        *length = 0;
        rc = dm_lex_compile_seq(&cc, tmp, &n, 64, length, 0);
        free(norm);
        if (rc) {
                *why = cc.why;
                return -1;
        }
        if (!n) {
                *why = "empty phrase";
                return -1;
        }
        out->first = (uint32_t)lx->nels;
        out->count = (uint32_t)n;
        for (i = 0; i < n; i++)
                *dm_lex_push_el(lx, tmp[i].type) = tmp[i];
        return 0;
}

void dm_lex_no_endings(dm_lex_t *lx, size_t from)
{
        size_t i;
        for (i = from; i < lx->nels; i++)
                if (lx->els[i].type == DM_EL_WORD && lx->els[i].mode == DM_WM_ENDS)
                        lx->els[i].mode = DM_WM_EXACT;
}

uint32_t dm_lex_add_entry(dm_lex_t *lx, dm_lex_kind_t kind, dm_lex_seq_t seq, const char *phrase,
                          uint32_t payload, uint32_t ncodes, uint32_t length)
{
        dm_lex_entry_t *e;
        dm_grow((void **)&lx->entries, &lx->entries_cap, lx->nentries + 1, sizeof(*e));
        e = &lx->entries[lx->nentries];
        memset(e, 0, sizeof(*e));
        e->seq = seq;
        e->kind = (uint8_t)kind;
        e->phrase = dm_lex_str(lx, phrase, strlen(phrase));
        e->payload = payload;
        e->ncodes = ncodes;
        e->length = length;
        return (uint32_t)lx->nentries++;
}

static uint64_t dm_lex_hash(const char *w, size_t n, uint8_t mode)
{
        uint64_t h = 1469598103934665603ULL ^ mode;
        size_t i;
        for (i = 0; i < n; i++) {
                h ^= (unsigned char)w[i];
                h *= 1099511628211ULL;
        }
        return h ? h : 1;
}

#define DM_LEX_BLOOM_BITS (1u << 20)

static uint32_t dm_lex_bloom_bit(uint64_t h)
{
        return (uint32_t)((h ^ (h >> 29)) & (DM_LEX_BLOOM_BITS - 1));
}

static long dm_lex_bucket_find_h(const dm_lex_t *lx, uint64_t h, const char *w, size_t n,
                                 uint8_t mode)
{
        size_t j;
        if (!lx->buckets)
                return -1;
        j = h & lx->bucket_mask;
        while (lx->buckets[j].hash) {
                const dm_lex_bucket_t *b = &lx->buckets[j];
                if (b->hash == h && b->len == n && b->mode == mode &&
                    !memcmp(lx->str + b->word, w, n))
                        return (long)j;
                j = (j + 1) & lx->bucket_mask;
        }
        return -1;
}

static long dm_lex_bucket_find(const dm_lex_t *lx, const char *w, size_t n, uint8_t mode)
{
        return dm_lex_bucket_find_h(lx, dm_lex_hash(w, n, mode), w, n, mode);
}

static void dm_lex_rehash(dm_lex_t *lx, size_t ncap)
{
        dm_lex_bucket_t *nb = dm_calloc(ncap, sizeof(*nb));
        size_t i;
        for (i = 0; lx->buckets && i <= lx->bucket_mask; i++) {
                size_t j;
                if (!lx->buckets[i].hash)
                        continue;
                j = lx->buckets[i].hash & (ncap - 1);
                while (nb[j].hash)
                        j = (j + 1) & (ncap - 1);
                nb[j] = lx->buckets[i];
        }
        free(lx->buckets);
        lx->buckets = nb;
        lx->bucket_mask = ncap - 1;
}

static size_t dm_lex_bucket_add(dm_lex_t *lx, uint32_t word, size_t n, uint8_t mode)
{
        const char *w = lx->str + word;
        long f = dm_lex_bucket_find(lx, w, n, mode);
        size_t j;
        if (f >= 0)
                return (size_t)f;
        if (!lx->buckets || (lx->nbuckets_used + 1) * 2 > lx->bucket_mask + 1)
                dm_lex_rehash(lx, lx->buckets ? (lx->bucket_mask + 1) * 2 : 1024);
        j = dm_lex_hash(w, n, mode) & lx->bucket_mask;
        while (lx->buckets[j].hash)
                j = (j + 1) & lx->bucket_mask;
        lx->buckets[j].hash = dm_lex_hash(w, n, mode);
        lx->buckets[j].word = word;
        lx->buckets[j].len = (uint32_t)n;
        lx->buckets[j].mode = mode;
        lx->nbuckets_used++;
        return j;
}

static int dm_lex_pat_cmp(const void *a, const void *b)
{
        const dm_lex_pattern_t *x = a, *y = b;
        if (x->verb != y->verb)
                return x->verb < y->verb ? -1 : 1;
        if (x->length != y->length)
                return x->length > y->length ? -1 : 1;
        /* Stable: file order among equal lengths. */
        return x->order < y->order ? -1 : x->order > y->order;
}

void dm_lex_finish(dm_lex_t *lx)
{
        size_t i, total = 0;
        uint32_t *pos;
        size_t nb;
        /* Patterns of a verb may be scattered (a duplicate root merges into
         * the first): sort by verb, then longest first. */
        if (lx->npats)
                qsort(lx->pats, lx->npats, sizeof(*lx->pats), dm_lex_pat_cmp);
        for (i = 0; i < lx->npats; i++) {
                dm_lex_pattern_t *p = &lx->pats[i];
                uint32_t k;
                p->nkeys = 0;
                for (k = 0; k < p->seq.count && p->nkeys < 4; k++) {
                        const dm_lex_el_t *el = &lx->els[p->seq.first + k];
                        /* One-letter stems would match the key of any word
                         * starting with that letter; skip them. */
                        if (el->type == DM_EL_WORD && el->len >= 2)
                                p->keys[p->nkeys++] = dm_lex_key(lx->str + el->ref, el->len);
                }
        }
        lx->pat_key0 = dm_calloc(lx->npats + 1, sizeof(uint32_t));
        for (i = 0; i < lx->npats; i++)
                if (lx->pats[i].nkeys)
                        lx->pat_key0[i] = 0x10000u | lx->pats[i].keys[0];
        for (i = 0; i < lx->nentries; i++) {
                dm_lex_entry_t *e = &lx->entries[i];
                uint32_t k;
                e->nkeys = 0;
                for (k = 1; k < e->seq.count && e->nkeys < 3; k++) {
                        const dm_lex_el_t *el = &lx->els[e->seq.first + k];
                        if (el->type == DM_EL_WORD && el->len >= 2)
                                e->keys[e->nkeys++] = dm_lex_key(lx->str + el->ref, el->len);
                }
        }
        for (i = 0; i < lx->nverbs; i++)
                lx->verbs[i].pat_count = 0;
        for (i = lx->npats; i-- > 0;) {
                dm_lex_verb_t *v = &lx->verbs[lx->pats[i].verb];
                v->pat_first = (uint32_t)i;
                v->pat_count++;
        }
        /* Pass 1: buckets and counts. The table is sized up front so that no
         * rehash moves buckets after their indices are recorded. */
        {
                size_t want = 1024;
                while (want < lx->nentries * 2 + 2)
                        want *= 2;
                dm_lex_rehash(lx, want);
        }
        lx->index_tmp_next = dm_calloc(lx->nentries + 1, sizeof(uint32_t));
        for (i = 0; i < lx->nentries; i++) {
                const dm_lex_el_t *el = &lx->els[lx->entries[i].seq.first];
                size_t j;
                if (el->type != DM_EL_WORD) {
                        dm_grow((void **)&lx->unindexed, &lx->unindexed_cap, lx->nunindexed + 1,
                                sizeof(uint32_t));
                        lx->unindexed[lx->nunindexed++] = (uint32_t)i;
                        lx->index_tmp_next[i] = UINT32_MAX;
                        continue;
                }
                j = dm_lex_bucket_add(lx, el->ref, el->len, el->mode);
                lx->index_tmp_next[i] = (uint32_t)j;
        }
        nb = lx->buckets ? lx->bucket_mask + 1 : 0;
        lx->stem_bloom = dm_calloc(DM_LEX_BLOOM_BITS / 64, sizeof(uint64_t));
        for (i = 0; i < nb; i++) {
                uint32_t bit;
                if (!lx->buckets[i].hash || lx->buckets[i].mode != DM_WM_STEM)
                        continue;
                bit = dm_lex_bloom_bit(lx->buckets[i].hash);
                lx->stem_bloom[bit >> 6] |= 1ULL << (bit & 63);
        }
        for (i = 0; i < lx->nentries; i++)
                if (lx->index_tmp_next[i] != UINT32_MAX)
                        lx->buckets[lx->index_tmp_next[i]].count++;
        pos = dm_calloc(nb + 1, sizeof(uint32_t));
        for (i = 0; i < nb; i++) {
                lx->buckets[i].first = (uint32_t)total;
                pos[i] = (uint32_t)total;
                total += lx->buckets[i].count;
        }
        lx->index_ids = dm_malloc((total + 1) * sizeof(uint32_t));
        for (i = 0; i < lx->nentries; i++)
                if (lx->index_tmp_next[i] != UINT32_MAX)
                        lx->index_ids[pos[lx->index_tmp_next[i]]++] = (uint32_t)i;
        free(pos);
        free(lx->index_tmp_next);
        lx->index_tmp_next = NULL;
        lx->finished = 1;
}

static const char *const dm_lex_endings[] = {"S", "ES", "ED", "EN", "ING", "'S", "S'", "D", NULL};

int dm_lex_word_match(const dm_lex_t *lx, const dm_lex_el_t *el, const char *w, size_t n)
{
        const char *d = lx->str + el->ref;
        size_t m = el->len, k;
        if (n < m || memcmp(w, d, m))
                return 0;
        if (el->mode == DM_WM_STEM || n == m)
                return 1;
        if (el->mode == DM_WM_EXACT)
                return 0;
        for (k = 0; dm_lex_endings[k]; k++) {
                const char *e = dm_lex_endings[k];
                if (!strcmp(e, "D") && d[m - 1] != 'E')
                        continue;
                if (n - m == strlen(e) && !memcmp(w + m, e, n - m))
                        return 1;
        }
        return 0;
}

static void dm_lex_visit_bucket(const dm_lex_t *lx, const char *w, size_t n, uint8_t mode,
                                dm_lex_visit_fn fn, void *ctx)
{
        long j = dm_lex_bucket_find(lx, w, n, mode);
        uint32_t k;
        if (j < 0)
                return;
        for (k = 0; k < lx->buckets[j].count; k++)
                fn(ctx, lx->index_ids[lx->buckets[j].first + k]);
}

static void dm_lex_visit_bucket_h(const dm_lex_t *lx, uint64_t h, const char *w, size_t n,
                                  uint8_t mode, dm_lex_visit_fn fn, void *ctx)
{
        long j = dm_lex_bucket_find_h(lx, h, w, n, mode);
        uint32_t k;
        if (j < 0)
                return;
        for (k = 0; k < lx->buckets[j].count; k++)
                fn(ctx, lx->index_ids[lx->buckets[j].first + k]);
}

void dm_lex_candidates(const dm_lex_t *lx, const char *w, size_t n, dm_lex_visit_fn fn, void *ctx)
{
        size_t k, l, lim;
        dm_lex_visit_bucket(lx, w, n, DM_WM_EXACT, fn, ctx);
        dm_lex_visit_bucket(lx, w, n, DM_WM_ENDS, fn, ctx);
        for (k = 0; dm_lex_endings[k]; k++) {
                size_t el = strlen(dm_lex_endings[k]);
                if (n > el && !memcmp(w + n - el, dm_lex_endings[k], el))
                        dm_lex_visit_bucket(lx, w, n - el, DM_WM_ENDS, fn, ctx);
        }
        lim = n < lx->max_word_len ? n : lx->max_word_len;
        if (lim > 64)
                lim = 64;
        {
                /* The hash of each prefix, computed incrementally; the
                 * longest stems are visited first so that the caller can
                 * skip shorter phrases. */
                uint64_t h = 1469598103934665603ULL ^ DM_WM_STEM, hs[64];
                for (l = 1; l <= lim; l++) {
                        h ^= (unsigned char)w[l - 1];
                        h *= 1099511628211ULL;
                        hs[l - 1] = h ? h : 1;
                }
                for (l = lim; l >= 1; l--) {
                        uint32_t bit = dm_lex_bloom_bit(hs[l - 1]);
                        if (lx->stem_bloom && !((lx->stem_bloom[bit >> 6] >> (bit & 63)) & 1))
                                continue;
                        dm_lex_visit_bucket_h(lx, hs[l - 1], w, l, DM_WM_STEM, fn, ctx);
                }
        }
        for (k = 0; k < lx->nunindexed; k++)
                fn(ctx, lx->unindexed[k]);
}

#define DM_LEX_CACHE_BITS 15

struct dm_lex_cache_slot {
        uint64_t hash; /* 0: empty */
        uint32_t woff, wlen;
        uint32_t first, count; /* into ids */
};

void dm_lex_cache_init(dm_lex_cache_t *c)
{
        memset(c, 0, sizeof(*c));
        c->slots = dm_calloc((size_t)1 << DM_LEX_CACHE_BITS, sizeof(*c->slots));
}

void dm_lex_cache_free(dm_lex_cache_t *c)
{
        if (!c)
                return;
        free(c->slots);
        free(c->words);
        free(c->ids);
        memset(c, 0, sizeof(*c));
}

static void dm_lex_cache_collect(void *ctx, uint32_t entry)
{
        dm_lex_cache_t *c = ctx;
        dm_grow((void **)&c->ids, &c->ids_cap, c->nids + 1, sizeof(uint32_t));
        c->ids[c->nids++] = entry;
}

void dm_lex_cached_candidates(const dm_lex_t *lx, dm_lex_cache_t *c, const char *w, size_t n,
                              const uint32_t **ids, size_t *count)
{
        size_t mask = ((size_t)1 << DM_LEX_CACHE_BITS) - 1, j;
        uint64_t h = dm_lex_hash(w, n, 0xff);
        struct dm_lex_cache_slot *sl;
        for (j = h & mask; c->slots[j].hash; j = (j + 1) & mask) {
                sl = &c->slots[j];
                if (sl->hash == h && sl->wlen == n && !memcmp(c->words + sl->woff, w, n)) {
                        *ids = c->ids ? c->ids + sl->first : NULL;
                        *count = sl->count;
                        return;
                }
        }
        /* Half full: start over rather than grow without bound. */
        if (c->used * 2 >= mask) {
                memset(c->slots, 0, (mask + 1) * sizeof(*c->slots));
                c->used = c->words_len = c->nids = 0;
                j = h & mask;
        }
        sl = &c->slots[j];
        sl->hash = h;
        sl->woff = (uint32_t)c->words_len;
        sl->wlen = (uint32_t)n;
        dm_grow((void **)&c->words, &c->words_cap, c->words_len + n, 1);
        memcpy(c->words + c->words_len, w, n);
        c->words_len += n;
        sl->first = (uint32_t)c->nids;
        dm_lex_candidates(lx, w, n, dm_lex_cache_collect, c);
        sl->count = (uint32_t)(c->nids - sl->first);
        c->used++;
        *ids = c->ids ? c->ids + sl->first : NULL; /* none cached yet: no array */
        *count = sl->count;
}
