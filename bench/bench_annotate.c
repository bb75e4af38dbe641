/* bench_annotate: whole-article annotation throughput on the BBC corpus of
 * ../shared (2,225 raw-text articles): envelope parsing, cleaning,
 * segmentation, entities, the coder, the frames and the document tags, as a
 * worker thread runs them, with the project's default dictionaries. Prints
 * articles and megabytes per CPU-second, events found, dictionary load time
 * and peak resident memory; exits 77 (skip) when ../shared is absent.
 * Single-threaded: the figures are per core. Not a test.
 *
 * usage: bench_annotate [SHARED_DIR] [ROUNDS] [MODE]
 * MODE is tabari (default) or parse: roles from the dependency parse, the
 * parse included in the figures (the model from DEMARCHE_MODELS). */
#include "demarche/dm_annotator.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

typedef struct dm_bench_doc {
        char *data;
        size_t len;
} dm_bench_doc_t;

static double dm_bench_cpu(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dm_bench_name_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends every *.txt of dir (sorted, for a stable order) to docs. */
static void dm_bench_read_dir(const char *dir, dm_bench_doc_t **docs, size_t *n, size_t *cap)
{
        DIR *d = opendir(dir);
        struct dirent *de;
        char **names = NULL;
        size_t nn = 0, ncap = 0, k;
        if (!d)
                return;
        while ((de = readdir(d)))
                if (strlen(de->d_name) > 4 &&
                    !strcmp(de->d_name + strlen(de->d_name) - 4, ".txt")) {
                        dm_grow((void **)&names, &ncap, nn + 1, sizeof(*names));
                        names[nn++] = dm_strdup(de->d_name);
                }
        closedir(d);
        qsort(names, nn, sizeof(*names), dm_bench_name_cmp);
        for (k = 0; k < nn; k++) {
                char *path = dm_asprintf("%s/%s", dir, names[k]);
                FILE *fp = fopen(path, "rb");
                dm_buf_t b;
                dm_buf_init(&b);
                if (fp && dm_buf_read_stream(&b, fp) == 0) {
                        dm_grow((void **)docs, cap, *n + 1, sizeof(**docs));
                        (*docs)[*n].len = b.len;
                        (*docs)[*n].data = dm_buf_steal(&b);
                        (*n)++;
                }
                if (fp)
                        fclose(fp);
                dm_buf_free(&b);
                free(path);
                free(names[k]);
        }
        free(names);
}

int main(int argc, char **argv)
{
        static const char *const sections[] = {"business", "entertainment", "politics", "sport",
                                               "tech"};
        const char *shared = argc > 1 ? argv[1] : "../shared";
        int rounds = argc > 2 ? atoi(argv[2]) : 3, r, rc = 0;
        const char *mode_name = argc > 3 ? argv[3] : "tabari";
        dm_coder_mode_t mode;
        dm_bench_doc_t *docs = NULL;
        size_t n = 0, cap = 0, k, bytes = 0, events = 0, rejected = 0;
        dm_dict_t *dict = NULL;
        dm_annotator_t *an = NULL;
        char msg[512];
        double t0, load, cpu;
        struct rusage ru;

        dm_log_set_level(DM_LOG_LEVEL_WARN);
        for (k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
                char *dir = dm_asprintf("%s/corpus/bbc/%s", shared, sections[k]);
                dm_bench_read_dir(dir, &docs, &n, &cap);
                free(dir);
        }
        if (!n) {
                printf("skipped: no articles under %s/corpus/bbc (no shared reference tree)\n",
                       shared);
                return 77;
        }
        t0 = dm_bench_cpu();
        dict = dm_dict_load(dm_dict_default_spec(), 0, msg, sizeof(msg));
        load = dm_bench_cpu() - t0;
        if (!dict) {
                fprintf(stderr, "bench_annotate: dictionaries: %s\n", msg);
                rc = 1;
                goto out;
        }
        an = dm_annotator_new(dict);
        if (dm_coder_mode_parse(mode_name, &mode)) {
                fprintf(stderr, "bench_annotate: mode %s: neither tabari nor parse\n", mode_name);
                rc = 2;
                goto out;
        }
        t0 = dm_bench_cpu();
        if (dm_annotator_set_mode(an, mode, msg, sizeof(msg))) {
                fprintf(stderr, "bench_annotate: parser: %s\n", msg);
                rc = 1;
                goto out;
        }
        load += dm_bench_cpu() - t0;
        t0 = dm_bench_cpu();
        for (r = 0; r < rounds; r++) {
                for (k = 0; k < n; k++) {
                        dm_article_t art;
                        dm_result_t res;
                        dm_reject_reason_t reason;
                        dm_article_init(&art);
                        dm_result_init(&res);
                        if (dm_envelope_parse(docs[k].data, docs[k].len, &art, &reason, msg,
                                              sizeof(msg)) ||
                            dm_annotate(an, &art, &res, &reason, msg, sizeof(msg)))
                                rejected++;
                        else
                                events += res.event_count;
                        bytes += docs[k].len;
                        dm_result_clear(&res);
                        dm_article_clear(&art);
                }
        }
        cpu = dm_bench_cpu() - t0;
        getrusage(RUSAGE_SELF, &ru);
        printf("articles: %zu x %d rounds (%zu rejected), %.1f MB\n", n, rounds, rejected,
               bytes / 1e6);
        printf("annotation: %.0f articles/CPU-s, %.2f MB/CPU-s, %zu events per round\n",
               (double)n * rounds / cpu, bytes / 1e6 / cpu, events / (size_t)rounds);
        printf("mode %s; dictionary (and model) load: %.3f s; peak RSS: %ld MB\n", mode_name, load,
               ru.ru_maxrss / 1024);
out:
        dm_annotator_destroy(an);
        dm_dict_destroy(dict);
        for (k = 0; k < n; k++)
                free(docs[k].data);
        free(docs);
        return rc;
}
