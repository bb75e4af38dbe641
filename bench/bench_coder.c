/* bench_coder: sentences per CPU-second coding the sentences of the Guardian
 * sample with (a) the TABARI CAMEO dictionaries and (b) the Phoenix set,
 * plus dictionary load time and peak resident memory. Prints the figures;
 * exits 77 (skip) when ../shared is absent. Single-threaded: the figure is
 * per core. */
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "input/dm_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double dm_bench_cpu(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double dm_bench_wall(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long dm_bench_rss_kb(void)
{
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        return ru.ru_maxrss;
}

/* Reads the "text" column (third) of the CSV: RFC 4180 quoting. */
static char **dm_bench_read_csv(const char *path, size_t *count)
{
        FILE *fp = fopen(path, "r");
        char **rows = NULL;
        size_t nrows = 0, cap = 0;
        dm_buf_t field;
        int c, col = 0, quoted = 0, header = 1;
        if (!fp)
                return NULL;
        dm_buf_init(&field);
        while ((c = fgetc(fp)) != EOF) {
                if (quoted) {
                        if (c == '"') {
                                int d = fgetc(fp);
                                if (d == '"') {
                                        dm_buf_putc(&field, '"');
                                        continue;
                                }
                                quoted = 0;
                                if (d == EOF)
                                        break;
                                c = d;
                        } else {
                                dm_buf_putc(&field, (char)c);
                                continue;
                        }
                }
                if (c == '"' && field.len == 0) {
                        quoted = 1;
                } else if (c == ',' || c == '\n') {
                        if (col == 2 && !header) {
                                dm_grow((void **)&rows, &cap, nrows + 1, sizeof(char *));
                                rows[nrows++] = dm_strdup(field.data ? field.data : "");
                        }
                        dm_buf_reset(&field);
                        col = c == ',' ? col + 1 : 0;
                        if (c == '\n')
                                header = 0;
                } else if (c != '\r') {
                        dm_buf_putc(&field, (char)c);
                }
        }
        dm_buf_free(&field);
        fclose(fp);
        *count = nrows;
        return rows;
}

typedef struct dm_bench_sent {
        const char *text;
        uint32_t start, end;
} dm_bench_sent_t;

static int dm_bench_set(const char *label, const char *spec, const dm_bench_sent_t *sents,
                        size_t nsents)
{
        char err[512];
        double c0 = dm_bench_cpu(), w0 = dm_bench_wall(), cpu, coded = 0;
        dm_dict_t *d = dm_dict_load(spec, 0, err, sizeof(err));
        dm_coder_t *c;
        dm_dict_stats_t st;
        size_t i, events = 0, passes = 0;
        double load_cpu = dm_bench_cpu() - c0, load_wall = dm_bench_wall() - w0;
        if (!d) {
                fprintf(stderr, "bench: %s: %s\n", spec, err);
                return 1;
        }
        dm_dict_get_stats(d, &st);
        c = dm_coder_new(d);
        /* Repeat until at least 2 CPU-seconds for a stable figure. */
        c0 = dm_bench_cpu();
        do {
                for (i = 0; i < nsents; i++) {
                        dm_coded_sentence_t cs;
                        dm_coder_code_sentence(c, sents[i].text, sents[i].start, sents[i].end,
                                               1554854400000LL, &cs);
                        events += cs.event_count;
                }
                coded += (double)nsents;
                passes++;
        } while ((cpu = dm_bench_cpu() - c0) < 2.0);
        printf("%-8s %s\n", label, spec);
        printf("  dictionary: %zu actor, %zu agent, %zu verb phrases; %zu warnings\n",
               st.actor_phrases, st.agent_phrases, st.verb_phrases, st.warnings);
        printf("  load: %.3f s wall, %.3f s CPU\n", load_wall, load_cpu);
        printf("  coding: %zu sentences x %zu passes in %.2f CPU-s = %.0f sentences/CPU-second "
               "(%.1f events per 100 sentences)\n",
               nsents, passes, cpu, coded / cpu, 100.0 * (double)events / coded);
        printf("  peak RSS so far: %.1f MB\n", (double)dm_bench_rss_kb() / 1024.0);
        dm_coder_destroy(c);
        dm_dict_destroy(d);
        return 0;
}

int main(int argc, char **argv)
{
        const char *shared = argc > 1 ? argv[1] : getenv("DM_SHARED_DIR");
        char *csv, *tabari, *phoenix;
        char **rows;
        size_t nrows = 0, i, nsents = 0, cap = 0;
        dm_bench_sent_t *sents = NULL;
        dm_span_t *spans = NULL;
        size_t nspans = 0, spans_cap = 0;
        int rc = 0;
        if (!shared)
                shared = "../shared";
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        csv = dm_asprintf("%s/corpus/guardian/Guardian_SDF_sample.csv", shared);
        tabari = dm_asprintf("%s/dictionaries/tabari/CAMEO.project", shared);
        phoenix = dm_asprintf("%s/dictionaries/phoenix", shared);
        if (access(csv, R_OK) || access(tabari, R_OK)) {
                printf("skipped: %s or %s not found (no shared reference tree)\n", csv, tabari);
                return 77;
        }
        rows = dm_bench_read_csv(csv, &nrows);
        for (i = 0; i < nrows; i++) {
                size_t k;
                nspans = 0;
                dm_split_sentences(rows[i], strlen(rows[i]), &spans, &nspans, &spans_cap);
                for (k = 0; k < nspans; k++) {
                        dm_grow((void **)&sents, &cap, nsents + 1, sizeof(*sents));
                        sents[nsents].text = rows[i];
                        sents[nsents].start = spans[k].start;
                        sents[nsents].end = spans[k].end;
                        nsents++;
                }
        }
        printf("corpus: %zu articles, %zu sentences (%s)\n", nrows, nsents, csv);
        rc |= dm_bench_set("(a)", tabari, sents, nsents);
        rc |= dm_bench_set("(b)", phoenix, sents, nsents);
        printf("peak RSS: %.1f MB\n", (double)dm_bench_rss_kb() / 1024.0);
        for (i = 0; i < nrows; i++)
                free(rows[i]);
        free(rows);
        free(sents);
        free(spans);
        free(csv);
        free(tabari);
        free(phoenix);
        return rc;
}
