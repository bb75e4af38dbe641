/* `demarche parse` (CoNLL-U or text in, CoNLL-U out, or --eval against a
 * gold file), `demarche train-parser` and `demarche word-clusters`. */
#include "demarche/dm_tool.h"

#include "demarche/dm_conllu.h"
#include "demarche/dm_parse_tok.h"
#include "demarche/dm_parse_train.h"
#include "demarche/dm_wclust.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "demarche/dm_parse.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void parse_usage(FILE *out)
{
        fprintf(out, "usage: demarche parse [--model PATH] [--text | --conllu] [FILE]\n"
                     "       demarche parse [--model PATH] --eval GOLD.conllu\n"
                     "Tags and parses CoNLL-U (its FORM column as the tokens) or plain text (one\n"
                     "sentence per line) from FILE or stdin and writes CoNLL-U. --eval parses\n"
                     "GOLD with its own tokens and prints UPOS, XPOS, LEMMA, FEATS accuracy and\n"
                     "UAS, LAS (every word, punctuation included, as in CoNLL 2018).\n");
}

typedef struct eval_counts {
        size_t words, sents, upos, xpos, lemma, feats, uas, las;
} eval_counts_t;

static void fill_conllu(dm_conllu_sent_t *cs, const dm_parse_result_t *r, char (*heads)[12])
{
        size_t i;
        for (i = 0; i < cs->n; i++) {
                dm_conllu_word_t *w = &cs->w[i];
                if (i >= r->ntoks) { /* cut off: nothing predicted */
                        w->col[DM_CU_LEMMA] = w->col[DM_CU_UPOS] = w->col[DM_CU_XPOS] = (char *)"_";
                        w->col[DM_CU_FEATS] = w->col[DM_CU_HEAD] = w->col[DM_CU_DEPREL] =
                            (char *)"_";
                        continue;
                }
                snprintf(heads[i], sizeof(heads[i]), "%d", r->toks[i].head);
                w->col[DM_CU_LEMMA] = (char *)r->toks[i].lemma;
                w->col[DM_CU_UPOS] = (char *)r->toks[i].upos;
                w->col[DM_CU_XPOS] = (char *)r->toks[i].xpos;
                w->col[DM_CU_FEATS] = (char *)r->toks[i].feats;
                w->col[DM_CU_HEAD] = heads[i];
                w->col[DM_CU_DEPREL] = (char *)r->toks[i].deprel;
                w->col[DM_CU_DEPS] = (char *)"_";
        }
}

static void count(eval_counts_t *c, const dm_conllu_sent_t *g, const dm_parse_result_t *r)
{
        size_t i;
        c->sents++;
        for (i = 0; i < g->n; i++) {
                const dm_conllu_word_t *w = &g->w[i];
                const dm_parse_token_t *t;
                c->words++;
                if (i >= r->ntoks)
                        continue;
                t = &r->toks[i];
                c->upos += !strcmp(t->upos, w->col[DM_CU_UPOS]);
                c->xpos += !strcmp(t->xpos, w->col[DM_CU_XPOS]);
                c->lemma += !strcmp(t->lemma, w->col[DM_CU_LEMMA]);
                c->feats += !strcmp(t->feats, w->col[DM_CU_FEATS]);
                if (t->head == w->head) {
                        c->uas++;
                        c->las += !strcmp(t->deprel, w->col[DM_CU_DEPREL]);
                }
        }
}

static double pct(size_t a, size_t b)
{
        return b ? 100.0 * (double)a / (double)b : 0.0;
}

static int run_conllu(dm_parse_scratch_t *sc, const char *path, int eval, FILE *out)
{
        char err[512];
        dm_lines_t *it = dm_lines_new(path, err, sizeof(err));
        dm_conllu_sent_t cs;
        eval_counts_t c;
        dm_buf_t b;
        const char **forms = NULL;
        size_t fcap = 0, i;
        char(*heads)[12] = NULL;
        size_t hcap = 0;
        int r, rc = 1;
        clock_t t0 = clock();
        if (!it) {
                fprintf(stderr, "demarche parse: %s\n", err);
                return 1;
        }
        memset(&c, 0, sizeof(c));
        dm_conllu_sent_init(&cs);
        dm_buf_init(&b);
        while ((r = dm_conllu_read(it, path, &cs, err, sizeof(err))) > 0) {
                const dm_parse_result_t *res;
                dm_grow((void **)&forms, &fcap, cs.n + 1, sizeof(*forms));
                dm_grow((void **)&heads, &hcap, cs.n + 1, sizeof(*heads));
                for (i = 0; i < cs.n; i++)
                        forms[i] = cs.w[i].col[DM_CU_FORM];
                dm_parse_tokens(sc, forms, cs.n, &res);
                if (eval) {
                        count(&c, &cs, res);
                        continue;
                }
                fill_conllu(&cs, res, heads);
                if (res->truncated)
                        fprintf(stderr, "demarche parse: a sentence of %zu words cut to %zu\n",
                                res->ntoks_in, res->ntoks);
                dm_buf_reset(&b);
                dm_conllu_write(&b, &cs);
                fwrite(b.data, 1, b.len, out);
        }
        if (r < 0) {
                fprintf(stderr, "demarche parse: %s\n", err);
                goto out;
        }
        if (eval)
                fprintf(out,
                        "%s: %zu sentences, %zu words (punctuation included)\n"
                        "UPOS %.2f%%  XPOS %.2f%%  LEMMA %.2f%%  FEATS %.2f%%\n"
                        "UAS %.2f%%  LAS %.2f%%\n"
                        "time %.2f CPU-seconds\n",
                        path, c.sents, c.words, pct(c.upos, c.words), pct(c.xpos, c.words),
                        pct(c.lemma, c.words), pct(c.feats, c.words), pct(c.uas, c.words),
                        pct(c.las, c.words), (double)(clock() - t0) / CLOCKS_PER_SEC);
        rc = 0;
out:
        free(forms);
        free(heads);
        dm_buf_free(&b);
        dm_conllu_sent_free(&cs);
        dm_lines_destroy(it);
        return rc;
}

static int run_text(dm_parse_scratch_t *sc, FILE *in, FILE *out)
{
        dm_parse_map_t m;
        char *line = NULL;
        size_t cap = 0, i, nsent = 0;
        ssize_t len;
        dm_parse_map_init(&m);
        while ((len = getline(&line, &cap, in)) >= 0) {
                const dm_parse_result_t *r;
                while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                        line[--len] = 0;
                dm_parse_map_text(&m, line, (size_t)len);
                if (!m.nforms)
                        continue;
                dm_parse_tokens(sc, m.forms, m.nforms, &r);
                fprintf(out, "# sent_id = %zu\n# text = %s\n", ++nsent, line);
                if (r->truncated)
                        fprintf(out, "# note = cut to %zu of %zu tokens\n", r->ntoks, r->ntoks_in);
                for (i = 0; i < r->ntoks; i++) {
                        const dm_parse_token_t *t = &r->toks[i];
                        fprintf(out, "%zu\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t_\t_\n", i + 1, t->form,
                                t->lemma, t->upos, t->xpos, t->feats, t->head, t->deprel);
                }
                fputc('\n', out);
        }
        free(line);
        dm_parse_map_free(&m);
        return 0;
}

int dm_cli_parse(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"model", required_argument, NULL, 'm'}, {"eval", required_argument, NULL, 'e'},
            {"text", no_argument, NULL, 't'},        {"conllu", no_argument, NULL, 'c'},
            {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
        const char *model = NULL, *gold = NULL, *file;
        int c, fmt = 0, rc, defaulted;
        char err[512];
        dm_parse_model_t *m;
        dm_parse_scratch_t *sc;
        clock_t t0;
        optind = 1;
        while ((c = getopt_long(argc, argv, "m:e:tch", longopts, NULL)) != -1) {
                switch (c) {
                case 'm':
                        model = optarg;
                        break;
                case 'e':
                        gold = optarg;
                        break;
                case 't':
                        fmt = 't';
                        break;
                case 'c':
                        fmt = 'c';
                        break;
                case 'h':
                        parse_usage(stdout);
                        return 0;
                default:
                        parse_usage(stderr);
                        return 2;
                }
        }
        if (optind + 1 < argc || (gold && optind < argc)) {
                parse_usage(stderr);
                return 2;
        }
        file = optind < argc ? argv[optind] : NULL;
        defaulted = !model;
        if (!model)
                model = dm_parse_model_default_path();
        t0 = clock();
        m = dm_parse_model_load(model, err, sizeof(err));
        if (!m) {
                fprintf(stderr, "demarche parse: %s%s\n", err,
                        defaulted ? " (--model PATH, or DEMARCHE_MODELS=DIR for DIR/en_ewt.dmparse)"
                                  : "");
                return 1;
        }
        if (gold)
                fprintf(stdout, "model %s loaded in %.3f s\n", model,
                        (double)(clock() - t0) / CLOCKS_PER_SEC);
        sc = dm_parse_scratch_new(m);
        if (!fmt)
                fmt = file && strlen(file) > 7 && !strcmp(file + strlen(file) - 7, ".conllu") ? 'c'
                                                                                              : 't';
        if (gold) {
                rc = run_conllu(sc, gold, 1, stdout);
        } else if (fmt == 'c') {
                rc = run_conllu(sc, file ? file : "/dev/stdin", 0, stdout);
        } else {
                FILE *in = file ? fopen(file, "r") : stdin;
                if (!in) {
                        fprintf(stderr, "demarche parse: %s: cannot open\n", file);
                        rc = 1;
                } else {
                        rc = run_text(sc, in, stdout);
                        if (file)
                                fclose(in);
                }
        }
        dm_parse_scratch_destroy(sc);
        dm_parse_model_destroy(m);
        return rc;
}

int dm_cli_train_parser(int argc, char **argv)
{
        static const struct option longopts[] = {{"train", required_argument, NULL, 't'},
                                                 {"dev", required_argument, NULL, 'd'},
                                                 {"out", required_argument, NULL, 'o'},
                                                 {"seed", required_argument, NULL, 's'},
                                                 {"epochs", required_argument, NULL, 'e'},
                                                 {"max-sents", required_argument, NULL, 'n'},
                                                 {"min-updates", required_argument, NULL, 'p'},
                                                 {"explore", required_argument, NULL, 'x'},
                                                 {"folds", required_argument, NULL, 'f'},
                                                 {"clusters", required_argument, NULL, 'c'},
                                                 {"beam", required_argument, NULL, 'b'},
                                                 {"fold-classes", no_argument, NULL, 'k'},
                                                 {NULL, 0, NULL, 0}};
        dm_parse_train_opts_t o;
        char err[512];
        int c;
        clock_t t0 = clock();
        memset(&o, 0, sizeof(o));
        o.seed = 1;
        o.epochs = 10;
        o.min_updates = 1;
        o.folds = 4;
        o.explore = 90;
        o.log = stderr;
        optind = 1;
        while ((c = getopt_long(argc, argv, "t:d:o:s:e:n:p:f:x:c:b:k", longopts, NULL)) != -1) {
                switch (c) {
                case 't':
                        o.train = optarg;
                        break;
                case 'd':
                        o.dev = optarg;
                        break;
                case 'o':
                        o.out = optarg;
                        break;
                case 's':
                        o.seed = strtoul(optarg, NULL, 10);
                        break;
                case 'e':
                        o.epochs = atoi(optarg);
                        break;
                case 'n':
                        o.max_sents = strtoul(optarg, NULL, 10);
                        break;
                case 'p':
                        o.min_updates = (unsigned)strtoul(optarg, NULL, 10);
                        break;
                case 'f':
                        o.folds = atoi(optarg);
                        break;
                case 'x':
                        o.explore = atoi(optarg);
                        break;
                case 'c':
                        o.clusters = optarg;
                        break;
                case 'b':
                        o.beam = atoi(optarg);
                        break;
                case 'k':
                        o.fold_classes = 1;
                        break;
                default:
                        goto usage;
                }
        }
        if (!o.train || !o.out || optind != argc)
                goto usage;
        if (dm_parse_train(&o, err, sizeof(err))) {
                fprintf(stderr, "demarche train-parser: %s\n", err);
                return 1;
        }
        fprintf(stderr, "train-parser: wrote %s in %.1f CPU-seconds\n", o.out,
                (double)(clock() - t0) / CLOCKS_PER_SEC);
        return 0;
usage:
        fprintf(stderr,
                "usage: demarche train-parser --train X.conllu [--dev Y.conllu] --out "
                "MODEL [--seed N] [--epochs N] [--max-sents N] [--min-updates N] "
                "[--explore PCT] [--folds N] [--fold-classes] [--clusters FILE] [--beam N]\n");
        return 2;
}

int dm_cli_word_clusters(int argc, char **argv)
{
        static const struct option longopts[] = {
            {"text", required_argument, NULL, 't'},      {"out", required_argument, NULL, 'o'},
            {"min-count", required_argument, NULL, 'm'}, {"iters", required_argument, NULL, 'i'},
            {"bits", required_argument, NULL, 'b'},      {NULL, 0, NULL, 0}};
        dm_wclust_opts_t o;
        unsigned bits[8] = {4, 2, 2, 2};
        char err[512], *p;
        int c;
        clock_t t0 = clock();
        memset(&o, 0, sizeof(o));
        o.min_count = 3;
        o.iters = 10;
        o.bits = bits;
        o.nlevels = 4;
        o.log = stderr;
        optind = 1;
        while ((c = getopt_long(argc, argv, "t:o:m:i:b:", longopts, NULL)) != -1) {
                switch (c) {
                case 't':
                        o.text = optarg;
                        break;
                case 'o':
                        o.out = optarg;
                        break;
                case 'm':
                        o.min_count = (unsigned)strtoul(optarg, NULL, 10);
                        break;
                case 'i':
                        o.iters = atoi(optarg);
                        break;
                case 'b':
                        /* Bits per level, e.g. 4,2,2,2: 16 clusters, each split in 4, ... */
                        for (o.nlevels = 0, p = optarg; *p && o.nlevels < 8; o.nlevels++) {
                                bits[o.nlevels] = (unsigned)strtoul(p, &p, 10);
                                if (*p == ',')
                                        p++;
                                else if (*p)
                                        goto usage;
                        }
                        if (*p)
                                goto usage;
                        break;
                default:
                        goto usage;
                }
        }
        if (!o.text || !o.out || optind != argc || o.iters < 1 || o.min_count < 1)
                goto usage;
        if (dm_wclust_make(&o, err, sizeof(err))) {
                fprintf(stderr, "demarche word-clusters: %s\n", err);
                return 1;
        }
        fprintf(stderr, "word-clusters: wrote %s in %.1f CPU-seconds\n", o.out,
                (double)(clock() - t0) / CLOCKS_PER_SEC);
        return 0;
usage:
        fprintf(stderr, "usage: demarche word-clusters --text FILE --out CLUSTERS [--min-count N] "
                        "[--iters N] [--bits 4,2,2,2]\n");
        return 2;
}
