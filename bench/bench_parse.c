/* Benchmark of the tagger and parser: model load time, resident memory of
 * the loaded model, and sentences per CPU-second tagging + parsing a
 * CoNLL-U file's sentences (gold tokens) in one thread.
 *
 *   bench_parse [--model PATH] [--min-tokens N] [CONLLU]
 *
 * PATH defaults to $DEMARCHE_MODELS/en_ewt.dmparse, else models/ in the
 * source tree. --min-tokens keeps only sentences of at least N tokens (news
 * sentences run to about 25).
 * CONLLU defaults to ../shared/corpus/ud/en_pud/en_pud-ud-test.conllu (news
 * and Wikipedia, about 21 tokens a sentence); exits 77 when absent. */
#include "demarche/dm_parse.h"
#include "demarche/dm_conllu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long rss_kb(void)
{
        FILE *fp = fopen("/proc/self/status", "r");
        char line[256];
        long kb = -1;
        if (!fp)
                return -1;
        while (fgets(line, sizeof(line), fp))
                if (!strncmp(line, "VmRSS:", 6))
                        kb = atol(line + 6);
        fclose(fp);
        return kb;
}

int main(int argc, char **argv)
{
        const char *model = NULL, *file = NULL, *env = getenv("DEMARCHE_MODELS");
        char err[512], def[4096], defmodel[4096];
        dm_conllu_doc_t d;
        dm_parse_model_t *m;
        dm_parse_scratch_t *s;
        const char ***forms;
        size_t i, j, words = 0, sents = 0;
        long rss0, rss1;
        double t0, w0, load_cpu, load_wall, cpu;
        int a;
        size_t min_tokens = 0, kept = 0, *lens;
        for (a = 1; a < argc; a++) {
                if (!strcmp(argv[a], "--model") && a + 1 < argc)
                        model = argv[++a];
                else if (!strcmp(argv[a], "--min-tokens") && a + 1 < argc)
                        min_tokens = strtoul(argv[++a], NULL, 10);
                else
                        file = argv[a];
        }
        /* Default: DEMARCHE_MODELS, else the source tree's shipped model. */
        if (!model) {
                if (env && *env)
                        snprintf(defmodel, sizeof(defmodel), "%s", dm_parse_model_default_path());
                else
                        snprintf(defmodel, sizeof(defmodel), "%s/models/en_ewt.dmparse",
                                 DM_BENCH_SOURCE_DIR);
                model = defmodel;
        }
        if (!file) {
                snprintf(def, sizeof(def), "%s/../shared/corpus/ud/en_pud/en_pud-ud-test.conllu",
                         DM_BENCH_SOURCE_DIR);
                file = def;
        }
        if (dm_conllu_load(file, 0, &d, err, sizeof(err))) {
                fprintf(stderr, "bench_parse: skipped: %s\n", err);
                return 77;
        }
        rss0 = rss_kb();
        t0 = cpu_now();
        w0 = wall_now();
        m = dm_parse_model_load(model, err, sizeof(err));
        load_cpu = cpu_now() - t0;
        load_wall = wall_now() - w0;
        if (!m) {
                fprintf(stderr, "bench_parse: %s\n", err);
                return 1;
        }
        s = dm_parse_scratch_new(m);
        forms = malloc(d.n * sizeof(*forms));
        lens = malloc(d.n * sizeof(*lens));
        for (i = 0; i < d.n; i++) {
                if (d.s[i].n < min_tokens)
                        continue;
                lens[kept] = d.s[i].n;
                forms[kept] = malloc((d.s[i].n + 1) * sizeof(**forms));
                for (j = 0; j < d.s[i].n; j++)
                        forms[kept][j] = d.s[i].w[j].col[DM_CU_FORM];
                words += d.s[i].n;
                kept++;
        }
        if (!kept) {
                fprintf(stderr, "bench_parse: no sentence of %zu tokens or more\n", min_tokens);
                return 1;
        }
        /* One warm-up pass, then passes until 3 CPU-seconds. */
        for (i = 0; i < kept; i++) {
                const dm_parse_result_t *r;
                dm_parse_tokens(s, forms[i], lens[i], &r);
        }
        rss1 = rss_kb();
        t0 = cpu_now();
        do {
                for (i = 0; i < kept; i++) {
                        const dm_parse_result_t *r;
                        dm_parse_tokens(s, forms[i], lens[i], &r);
                }
                sents += kept;
        } while ((cpu = cpu_now() - t0) < 3.0);
        printf("bench_parse: model %s\n", model);
        printf("  model load: %.3f s wall, %.3f s CPU; resident memory +%.1f MB (model and "
               "scratch)\n",
               load_wall, load_cpu, (double)(rss1 - rss0) / 1024.0);
        printf("  %s: %zu sentences (of %zu; at least %zu tokens), %.1f tokens a sentence\n", file,
               kept, d.n, min_tokens, (double)words / (double)kept);
        printf("  tagging + parsing: %.0f sentences per CPU-second (%.0f tokens per "
               "CPU-second), one thread\n",
               (double)sents / cpu, (double)sents / cpu * (double)words / (double)kept);
        for (i = 0; i < kept; i++)
                free(forms[i]);
        free(forms);
        free(lens);
        dm_parse_scratch_destroy(s);
        dm_parse_model_destroy(m);
        dm_conllu_doc_free(&d);
        return 0;
}
