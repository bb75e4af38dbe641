/* The `demarche` command-line tool's commands, as library functions so that
 * tests call them in-process. Each returns a process exit status and writes
 * its output to the given streams. Single-threaded. */
#ifndef DM_TOOL_H
#define DM_TOOL_H

#include <stdio.h>

typedef struct dm_annotate_opts {
        const char *dictionaries; /* NULL: default dictionaries */
        int jsonl;                /* read JSON Lines envelopes from stdin */
        int pretty;               /* indent the JSON output */
        char **files;             /* one article per file; "-" is stdin */
        int nfiles;
        const char *mode; /* coder mode, "parse" or "tabari"; NULL: parse */
        int no_frames;    /* the annotator's frames and domestic rules off */
} dm_annotate_opts_t;

/* `demarche annotate`: prints one AnnotatedArticle JSON object per article.
 * Inputs that cannot be annotated are reported on err with their reason;
 * the exit status is 1 when any input failed, 2 on a usage or load error. */
int dm_tool_annotate(const dm_annotate_opts_t *opts, FILE *in, FILE *out, FILE *err);

/* `demarche validate PROJECT_FILE`: runs a TABARI validation project (see
 * dm_validate.h); prints failing records and "N passed, M failed". 0 when
 * none failed, 1 when some did, 2 on a load error. */
int dm_tool_validate(const char *project, int verbose, const char *mode, FILE *out, FILE *err);

typedef struct dm_decode_opts {
        const char *brokers; /* with topic: read from Kafka */
        const char *topic;
        int from_end;   /* start at the end instead of the beginning */
        long max_count; /* stop after this many records; 0 = until caught up */
        int kcat;       /* stdin is kcat -f '%K\t%S\n%k%s\n' framed records */
        char **files;   /* else: each file is one raw record value */
        int nfiles;
        const char *registry;      /* Confluent-framed values: look ids up here */
        const char *registry_auth; /* user:password, or NULL */
        const char *registry_ca;   /* https: CA file, or NULL for the system's */
} dm_decode_opts_t;

/* `demarche decode`: prints one JSON object per record:
 * {"topic","partition","offset","key","schema","value":{...}} (topic fields
 * only when read from Kafka). 0 when every record decoded, 1 otherwise, 2 on
 * usage errors. */
int dm_tool_decode(const dm_decode_opts_t *o, FILE *in, FILE *out, FILE *err);

/* `demarche config-doc` / `demarche metrics-doc`: the generated references
 * (docs/CONFIGURATION.md, docs/METRICS.md). */
int dm_tool_config_doc(FILE *out);
int dm_tool_metrics_doc(FILE *out);
/* The parser's commands, `demarche parse` and `demarche train-parser`
 * (dm_cli_parse.c). argv[0] is the command name; they return the process
 * exit status. */
int dm_cli_parse(int argc, char **argv);
int dm_cli_train_parser(int argc, char **argv);
/* `demarche word-clusters` (dm_cli_parse.c): word clusters from plain text
 * for train-parser --clusters (dm_wclust.h). */
int dm_cli_word_clusters(int argc, char **argv);

#endif
