/* Runtime tagging, lemmatisation and parsing (dm_parse.h, dm_parser.h). */
#include "dm_parser.h"

#include "dm_parse_beam.h"
#include "dm_parse_model.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "demarche/dm_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
        DM_TC_FINITE = 1, /* VBD VBZ VBP MD */
        DM_TC_BASE = 2,   /* VB */
        DM_TC_AUX = 4,
        DM_TC_DET = 8, /* a determiner or possessive pronoun */
        DM_TC_TO = 16,
        DM_TC_NOMINAL = 32, /* NOUN PROPN PRON: a subject can start here */
        DM_TC_ADV = 64,     /* RB RBR RBS, and the floating quantifiers all, both, each */
        DM_TC_VERB = 128    /* UPOS VERB */
};

struct dm_parse_scratch {
        const dm_parse_model_t *m;
        dm_pwords_t w;
        dm_pstate_t st;
        int tags[DM_PARSE_MAX_TOKENS + 2];
        int32_t sc[4096];
        uint64_t f[DM_PFEAT_MAX];
        size_t lemma_off[DM_PARSE_MAX_TOKENS], feats_off[DM_PARSE_MAX_TOKENS];
        signed char lemma_buf[DM_PARSE_MAX_TOKENS], feats_buf[DM_PARSE_MAX_TOKENS];
        dm_buf_t strs;
        dm_parse_token_t toks[DM_PARSE_MAX_TOKENS];
        dm_parse_result_t res;
        /* For names the caller knows but the model never saw: the
         * ambiguity class of a known place name and the PROPN/NNP tag
         * (0: none in this model). */
        uint64_t name_amb;
        int propn_tag;
        /* The finite-clause constraint (finite_clause): tag ids + 1 of
         * VERB/VBD and VERB/VBN (0: none in this model), which tags are
         * finite, and the margin by which VBN beat VBD at each word. */
        int vbd_tag, vbn_tag;
        unsigned char *tagcls; /* DM_TC_* bits per tag id + 1 */
        int *aux_of;           /* per VERB tag id + 1: the AUX tag id + 1 of its XPOS, or 0 */
        int32_t vbn_margin[DM_PARSE_MAX_TOKENS + 2];
        dm_pbeam_t *beam; /* models trained with --beam N > 1, else NULL */
};

dm_parse_scratch_t *dm_parse_scratch_new(const dm_parse_model_t *m)
{
        dm_parse_scratch_t *s = dm_calloc(1, sizeof(*s));
        static const char *const names[] = {"London", "Paris", "Washington", "Baghdad", NULL};
        uint32_t t, k2;
        int k;
        s->m = m;
        s->beam = m->beam > 1 ? dm_pbeam_new(m->beam) : NULL;
        dm_pwords_init(&s->w);
        s->w.use_clusters = m->has_clusters;
        dm_pstate_init(&s->st);
        dm_buf_init(&s->strs);
        for (k = 0; names[k] && !s->name_amb; k++) {
                const unsigned char *a;
                dm_pwords_set(&s->w, &names[k], 1);
                a = dm_ptable_get(&m->ambig, dm_parser_amb_key(s->w.lower[1]));
                if (a)
                        memcpy(&s->name_amb, a, 8);
        }
        s->tagcls = dm_calloc(m->ntags + 1, 1);
        s->aux_of = dm_calloc(m->ntags + 1, sizeof(*s->aux_of));
        for (t = 0; t < m->ntags; t++) {
                const char *u = m->strs + m->tag_upos[t], *x = m->strs + m->tag_xpos[t];
                if (!s->propn_tag && !strcmp(u, "PROPN") && !strcmp(x, "NNP"))
                        s->propn_tag = (int)t + 1;
                if (!strcmp(u, "VERB") && !strcmp(x, "VBD"))
                        s->vbd_tag = (int)t + 1;
                if (!strcmp(u, "VERB") && !strcmp(x, "VBN"))
                        s->vbn_tag = (int)t + 1;
                if (!strcmp(x, "VBD") || !strcmp(x, "VBZ") || !strcmp(x, "VBP") || !strcmp(x, "MD"))
                        s->tagcls[t + 1] |= DM_TC_FINITE;
                if (!strcmp(x, "VB"))
                        s->tagcls[t + 1] |= DM_TC_BASE;
                if (!strcmp(u, "AUX"))
                        s->tagcls[t + 1] |= DM_TC_AUX;
                if (!strcmp(u, "DET") || !strcmp(x, "PRP$"))
                        s->tagcls[t + 1] |= DM_TC_DET;
                if (!strcmp(x, "TO"))
                        s->tagcls[t + 1] |= DM_TC_TO;
                if (!strcmp(u, "NOUN") || !strcmp(u, "PROPN") || !strcmp(u, "PRON"))
                        s->tagcls[t + 1] |= DM_TC_NOMINAL;
                if (!strncmp(x, "RB", 2))
                        s->tagcls[t + 1] |= DM_TC_ADV;
                if (!strcmp(u, "VERB"))
                        s->tagcls[t + 1] |= DM_TC_VERB;
                /* The auxiliary reading of each tag of "have". */
                if (!strcmp(u, "AUX"))
                        for (k2 = 0; k2 < m->ntags; k2++)
                                if (!strcmp(m->strs + m->tag_upos[k2], "VERB") &&
                                    !strcmp(m->strs + m->tag_xpos[k2], x))
                                        s->aux_of[k2 + 1] = (int)t + 1;
        }
        return s;
}

void dm_parse_scratch_destroy(dm_parse_scratch_t *s)
{
        if (!s)
                return;
        dm_pbeam_destroy(s->beam);
        dm_pwords_free(&s->w);
        dm_pstate_free(&s->st);
        dm_buf_free(&s->strs);
        free(s->tagcls);
        free(s->aux_of);
        free(s);
}

/* GCC and clang vector extensions: 8 weights widened and added at once
 * (SSE2 at least, wider where the target has it). */
typedef int16_t dm_v8hi __attribute__((vector_size(16)));
typedef int32_t dm_v8si __attribute__((vector_size(32)));

static void add_row(int32_t *restrict sc, const int16_t *restrict r, uint32_t nc)
{
        uint32_t c = 0;
        for (; c + 8 <= nc; c += 8) {
                dm_v8hi w;
                dm_v8si a;
                memcpy(&w, r + c, sizeof(w));
                memcpy(&a, sc + c, sizeof(a));
                a += __builtin_convertvector(w, dm_v8si);
                memcpy(sc + c, &a, sizeof(a));
        }
        for (; c < nc; c++)
                sc[c] += r[c];
}

/* Scoring is bound by memory latency: every feature is a random probe into
 * a table of megabytes. Prefetching all the probes, then all the rows,
 * lets the misses overlap instead of queueing one behind the other. */
static void score(const dm_ptable_t *t, const uint64_t *f, size_t nf, int32_t *sc)
{
        const int16_t *rows[DM_PFEAT_MAX];
        size_t i, n = 0;
        uint32_t nc = t->ncls, mask = t->cap - 1;
        memset(sc, 0, nc * sizeof(*sc));
        for (i = 0; i < nf; i++)
                __builtin_prefetch(&t->slots[2 * ((uint32_t)f[i] & mask)]);
        for (i = 0; i < nf; i++) {
                const int16_t *r = dm_ptable_get(t, f[i]);
                if (r) {
                        uint32_t o;
                        for (o = 0; o < t->rowsize; o += 64)
                                __builtin_prefetch((const char *)r + o);
                        rows[n++] = r;
                }
        }
        for (i = 0; i < n; i++)
                add_row(sc, rows[i], nc);
}

/* Tags words from..n greedily, left to right. */
static void tag_from(dm_parse_scratch_t *s, size_t from, size_t n)
{
        const dm_parse_model_t *m = s->m;
        size_t i;
        uint32_t c;
        s->tags[0] = 0;
        for (i = from; i <= n; i++) {
                size_t nf;
                int best = 0;
                s->vbn_margin[i] = INT32_MAX;
                if (s->w.fixed[i]) {
                        s->tags[i] = (int)s->w.fixed[i];
                        continue;
                }
                nf = dm_pf_tagger(&s->w, s->tags, i, s->f);
                score(&m->tagger, s->f, nf, s->sc);
                for (c = 1; c < m->ntags; c++)
                        if (s->sc[c] > s->sc[best])
                                best = (int)c;
                s->tags[i] = best + 1;
                if (best + 1 == s->vbn_tag && s->vbd_tag)
                        s->vbn_margin[i] = s->sc[best] - s->sc[s->vbd_tag - 1];
        }
}

static int closing_mark(const char *f)
{
        return !strcmp(f, "\"") || !strcmp(f, "'") || !strcmp(f, ")") ||
               !strcmp(f, "\xe2\x80\x9d") || !strcmp(f, "\xe2\x80\x99");
}

/* An auxiliary among the five words before word i, as the tagger read
 * them ("has", "were", "will"; not the possessive "'s"). */
static int aux_before(const dm_parse_scratch_t *s, size_t i)
{
        size_t k;
        for (k = i - 1; k >= 1 && k + 5 >= i; k--)
                if (s->tagcls[s->tags[k]] & DM_TC_AUX)
                        return 1;
        return 0;
}

/* A sentence that ends with a full stop is a clause: when the tagger
 * leaves it without a finite verb, the past participle that has no
 * auxiliary before it and lost to the past tense by the least is read as
 * the past tense, and the words after it are tagged again. The treebank
 * is web text, full of captions and fragments ("Troops killed in
 * ambush"); news sentences are clauses ("Israeli troops killed three
 * men"), and a regular verb's past tense and participle look alike. */
static void finite_clause(dm_parse_scratch_t *s, const char *const *forms, size_t n)
{
        size_t last = n, i, pick = 0;
        int nominal = 0; /* a word that could be the subject came before */
        const char *f;
        if (!s->vbd_tag || !s->vbn_tag)
                return;
        while (last > 1 && closing_mark(forms[last - 1]))
                last--;
        f = forms[last - 1];
        if (strcmp(f, ".") && strcmp(f, "!") && strcmp(f, "?"))
                return;
        for (i = 1; i <= n; i++) {
                int cls = s->tagcls[s->tags[i]];
                nominal |= i > 1 && (s->tagcls[s->tags[i - 1]] & DM_TC_NOMINAL);
                int prev = i > 1 ? s->tagcls[s->tags[i - 1]] : 0;
                /* A base form is finite unless "to" or an auxiliary
                 * governs it: "Please see the attached file." */
                if ((cls & DM_TC_FINITE) ||
                    ((cls & DM_TC_BASE) && !(prev & (DM_TC_TO | DM_TC_AUX)) && !aux_before(s, i)))
                        return;
                /* Not a participle with no subject before it ("Highly
                 * recommended."), after a determiner ("the revised
                 * report") or before its agent ("captained by"). */
                if (s->tags[i] == s->vbn_tag && nominal && !aux_before(s, i) &&
                    !(prev & DM_TC_DET) && !(i < n && !strcmp(forms[i], "by")) &&
                    (!pick || s->vbn_margin[i] < s->vbn_margin[pick]))
                        pick = i;
        }
        if (!pick || s->vbn_margin[pick] == INT32_MAX)
                return;
        s->tags[pick] = s->vbd_tag;
        tag_from(s, pick + 1, n);
}

/* The same after parsing, for a sentence with other finite verbs: a past
 * participle with a subject and no auxiliary ("Pearson's Financial Times
 * said last week it was ...", "argued that Mr Ebbers orchestrated ...")
 * is the past tense (in EWT train 34 participles of 12,544 sentences have
 * a subject and no auxiliary); the sentence is tagged again from it and
 * parsed again. Returns 1 when it changed a tag. */
static int finite_root(dm_parse_scratch_t *s, size_t n)
{
        const dm_parse_model_t *m = s->m;
        size_t i, j;
        for (i = 1; i <= n; i++) {
                int subj = 0, keep = 0;
                if (s->tags[i] != s->vbn_tag || s->vbn_margin[i] == INT32_MAX)
                        continue;
                for (j = 1; j <= n; j++) {
                        int l = s->st.label[j];
                        if (s->st.head[j] != (int)i)
                                continue;
                        subj |= l == m->label_nsubj || l == m->label_nsubjpass;
                        keep |= l == m->label_aux || l == m->label_auxpass || l == m->label_cop ||
                                l == m->label_agent;
                }
                if (subj && !keep) {
                        s->tags[i] = s->vbd_tag;
                        tag_from(s, i + 1, n);
                        return 1;
                }
        }
        return 0;
}

static int have_form(const char *f)
{
        return !strcasecmp(f, "have") || !strcasecmp(f, "has") || !strcasecmp(f, "had") ||
               !strcmp(f, "'ve") || !strcmp(f, "'d") || !strcmp(f, "\xe2\x80\x99ve");
}

static int floating_quantifier(const char *f)
{
        return !strcasecmp(f, "all") || !strcasecmp(f, "both") || !strcasecmp(f, "each");
}

/* "have" with only adverbs or a floating quantifier between it and a past
 * form is the perfect's auxiliary ("have all criticised", "had earlier
 * rejected"): a main verb "have" takes a noun phrase first ("had his car
 * repaired"). The tagger, seeing "have" before "all", read a main verb
 * and the parser made "criticised" a preposition of "invasion". The
 * words after the participle are tagged again. */
static void perfect_have(dm_parse_scratch_t *s, const char *const *forms, size_t n)
{
        size_t i, j;
        if (!s->vbn_tag)
                return;
        for (i = 1; i + 1 < n; i++) {
                if (!(s->tagcls[s->tags[i]] & DM_TC_VERB) || !s->aux_of[s->tags[i]] ||
                    !have_form(forms[i - 1]))
                        continue;
                for (j = i + 1; j <= n && j <= i + 3; j++)
                        if (!(s->tagcls[s->tags[j]] & DM_TC_ADV) &&
                            !floating_quantifier(forms[j - 1]))
                                break;
                if (j == i + 1 || j > n || !(s->tagcls[s->tags[j]] & DM_TC_VERB) ||
                    (s->tags[j] != s->vbn_tag && s->tags[j] != s->vbd_tag) ||
                    !isalpha((unsigned char)forms[j - 1][0]))
                        continue;
                s->tags[i] = s->aux_of[s->tags[i]];
                s->tags[j] = s->vbn_tag;
                tag_from(s, j + 1, n);
        }
}

static void tag_sentence(dm_parse_scratch_t *s, const char *const *forms, size_t n)
{
        tag_from(s, 1, n);
        perfect_have(s, forms, n);
        finite_clause(s, forms, n);
}

static void beam_action(void *ctx, const uint64_t *f, size_t nf, float *sc)
{
        dm_parse_scratch_t *s = ctx;
        int a;
        score(&s->m->action, f, nf, s->sc);
        for (a = 0; a < DM_PACT_N; a++)
                sc[a] = (float)s->sc[a];
}

static int beam_label(void *ctx, const uint64_t *f, size_t nf)
{
        dm_parse_scratch_t *s = ctx;
        const dm_parse_model_t *m = s->m;
        int32_t top = INT32_MIN;
        uint32_t c;
        int label = m->label_root;
        score(&m->label, f, nf, s->sc);
        for (c = 0; c < m->nlabels; c++)
                if ((int)c != m->label_root && s->sc[c] > top) {
                        top = s->sc[c];
                        label = (int)c;
                }
        return label;
}

static void parse_sentence(dm_parse_scratch_t *s, size_t n)
{
        const dm_parse_model_t *m = s->m;
        dm_pstate_t *st = &s->st;
        if (s->beam) {
                dm_pbeam_scorer_t sc = {beam_action, beam_label, s, m->label_root};
                dm_pstate_copy(st, dm_pbeam_parse(s->beam, &s->w, s->tags, m->tag_coarse, n, &sc));
                return;
        }
        dm_pstate_start(st, &s->w, s->tags, m->tag_coarse, n);
        while (!dm_pstate_terminal(st)) {
                size_t nf = dm_pf_state(st, s->f);
                int a, best = -1, label = m->label_root, h, d;
                uint32_t c;
                score(&m->action, s->f, nf, s->sc);
                for (a = 0; a < DM_PACT_N; a++)
                        if (dm_pstate_valid(st, a) && (best < 0 || s->sc[a] > s->sc[best]))
                                best = a;
                if (best != DM_PACT_SHIFT) {
                        dm_pstate_arc(st, best, &h, &d);
                        if (h != 0) {
                                int32_t top = INT32_MIN;
                                nf = dm_pf_label(st, h, d, s->f);
                                score(&m->label, s->f, nf, s->sc);
                                for (c = 0; c < m->nlabels; c++)
                                        if ((int)c != m->label_root && s->sc[c] > top) {
                                                top = s->sc[c];
                                                label = (int)c;
                                        }
                        }
                }
                dm_pstate_apply(st, best, label);
        }
}

static const char *mstr(const dm_parse_model_t *m, uint32_t off)
{
        return m->strs + off;
}

/* Lemma and features of word i into the scratch strings (offsets, since
 * the buffer may move). */
static void lemmatise(dm_parse_scratch_t *s, const char *const *forms, size_t i)
{
        const dm_parse_model_t *m = s->m;
        const char *form = forms[i - 1];
        int tag = s->tags[i] - 1;
        const dm_lex_entry_t *e =
            dm_ptable_get(&m->lexicon, dm_parser_lex_key(1, s->w.form[i], tag));
        size_t len = strlen(form), L, k;
        char low[DM_PARSE_MAX_TOKENS];
        if (!e)
                e = dm_ptable_get(&m->lexicon, dm_parser_lex_key(0, s->w.lower[i], tag));
        s->feats_off[i - 1] = e ? e->feats : m->tag_feats[tag];
        s->feats_buf[i - 1] = 0;
        if (e) {
                s->lemma_off[i - 1] = e->lemma;
                s->lemma_buf[i - 1] = 0;
                return;
        }
        s->lemma_buf[i - 1] = 1;
        s->lemma_off[i - 1] = s->strs.len;
        if (len >= sizeof(low) || !strcmp(mstr(m, m->tag_upos[tag]), "PROPN")) {
                dm_buf_append(&s->strs, form, len + 1);
                return;
        }
        for (k = 0; k < len; k++)
                low[k] = (char)(form[k] >= 'A' && form[k] <= 'Z' ? form[k] + 32 : form[k]);
        for (L = len < DM_PARSER_SUFFIX_MAX ? len : DM_PARSER_SUFFIX_MAX;; L--) {
                const unsigned char *r = dm_ptable_get(
                    &m->suffix, dm_parser_suffix_key(tag, dm_pf_hash(low + len - L, L), L));
                if (r) {
                        uint32_t strip, app;
                        memcpy(&strip, r, 4);
                        memcpy(&app, r + 4, 4);
                        if (strip > len)
                                strip = (uint32_t)len;
                        dm_buf_append(&s->strs, low, len - strip);
                        dm_buf_puts(&s->strs, mstr(m, app));
                        dm_buf_putc(&s->strs, 0);
                        return;
                }
                if (!L)
                        break;
        }
        dm_buf_append(&s->strs, low, len);
        dm_buf_putc(&s->strs, 0);
}

/* Voice is syntax: a past participle is passive unless "have" is its
 * auxiliary or it is an auxiliary itself (the lexicon's features carry no
 * Voice). */
static void set_voice(dm_parse_scratch_t *s, size_t n)
{
        const dm_parse_model_t *m = s->m;
        size_t i, j;
        for (i = 1; i <= n; i++) {
                const char *xp = mstr(m, m->tag_xpos[s->tags[i] - 1]), *base;
                int passive = 1;
                int lab = s->st.label[i];
                /* Auxiliaries and copulas ("has been", "been cut") have no
                 * voice of their own. */
                if (strcmp(xp, "VBN") || !strcmp(mstr(m, m->tag_upos[s->tags[i] - 1]), "AUX") ||
                    lab == m->label_aux || lab == m->label_auxpass || lab == m->label_cop)
                        continue;
                for (j = 1; j <= n; j++) {
                        const char *l;
                        if (s->st.head[j] != (int)i || s->st.label[j] != m->label_aux)
                                continue;
                        l = s->lemma_buf[j - 1] ? s->strs.data + s->lemma_off[j - 1]
                                                : mstr(m, (uint32_t)s->lemma_off[j - 1]);
                        if (!strcmp(l, "have"))
                                passive = 0;
                }
                if (!passive)
                        continue;
                base = s->feats_buf[i - 1] ? s->strs.data + s->feats_off[i - 1]
                                           : mstr(m, (uint32_t)s->feats_off[i - 1]);
                s->feats_buf[i - 1] = 1;
                {
                        size_t off = s->strs.len;
                        if (strcmp(base, "_"))
                                dm_buf_printf(&s->strs, "%s|Voice=Pass", base);
                        else
                                dm_buf_puts(&s->strs, "Voice=Pass");
                        dm_buf_putc(&s->strs, 0);
                        s->feats_off[i - 1] = off;
                }
        }
}

int dm_parse_tokens(dm_parse_scratch_t *s, const char *const *forms, size_t n,
                    const dm_parse_result_t **out)
{
        return dm_parse_tokens_names(s, forms, NULL, n, out);
}

int dm_parse_tokens_names(dm_parse_scratch_t *s, const char *const *forms, const uint8_t *names,
                          size_t n, const dm_parse_result_t **out)
{
        const dm_parse_model_t *m = s->m;
        size_t i;
        memset(&s->res, 0, sizeof(s->res));
        s->res.toks = s->toks;
        s->res.ntoks_in = n;
        if (n > DM_PARSE_MAX_TOKENS) {
                n = DM_PARSE_MAX_TOKENS;
                s->res.truncated = 1;
        }
        s->res.ntoks = n;
        *out = &s->res;
        if (!n)
                return 0;
        dm_buf_reset(&s->strs);
        dm_pwords_set(&s->w, forms, n);
        for (i = 1; i <= n; i++) {
                const unsigned char *a = dm_ptable_get(&m->ambig, dm_parser_amb_key(s->w.lower[i]));
                if (a) {
                        uint32_t fixed, clus;
                        memcpy(&s->w.amb[i], a, 8);
                        memcpy(&fixed, a + 8, 4);
                        memcpy(&clus, a + 12, 4);
                        s->w.fixed[i] = fixed;
                        dm_pwords_clus(&s->w, i, clus);
                }
                /* A name the caller knows and the model does not: read as
                 * the model reads a known place name. */
                if (names && names[i - 1] && !s->w.amb[i] && s->name_amb) {
                        s->w.amb[i] = s->name_amb;
                        s->w.fixed[i] = (uint64_t)s->propn_tag;
                }
        }
        tag_sentence(s, forms, n);
        parse_sentence(s, n);
        for (i = 0; i < 3 && finite_root(s, n); i++)
                parse_sentence(s, n);
        for (i = 1; i <= n; i++)
                lemmatise(s, forms, i);
        set_voice(s, n);
        for (i = 1; i <= n; i++) {
                dm_parse_token_t *t = &s->toks[i - 1];
                int tag = s->tags[i] - 1, lab = s->st.label[i];
                t->form = forms[i - 1];
                t->upos = mstr(m, m->tag_upos[tag]);
                t->xpos = mstr(m, m->tag_xpos[tag]);
                t->lemma = s->lemma_buf[i - 1] ? s->strs.data + s->lemma_off[i - 1]
                                               : mstr(m, (uint32_t)s->lemma_off[i - 1]);
                t->feats = s->feats_buf[i - 1] ? s->strs.data + s->feats_off[i - 1]
                                               : mstr(m, (uint32_t)s->feats_off[i - 1]);
                t->head = s->st.head[i];
                t->deprel = mstr(m, m->label_name[lab >= 0 ? lab : m->label_root]);
        }
        return 0;
}
