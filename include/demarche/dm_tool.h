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
} dm_annotate_opts_t;

/* `demarche annotate`: prints one AnnotatedArticle JSON object per article.
 * Inputs that cannot be annotated are reported on err with their reason;
 * the exit status is 1 when any input failed, 2 on a usage or load error. */
int dm_tool_annotate(const dm_annotate_opts_t *opts, FILE *in, FILE *out, FILE *err);

/* `demarche check-config FILE` / `demarched --check-config`: loads the file
 * and environment overrides, reports every problem as file:line, prints the
 * effective settings when dump is set. 0 when valid, 1 otherwise. */
int dm_tool_check_config(const char *path, int dump, FILE *out, FILE *err);

/* `demarche validate PROJECT_FILE`: runs a TABARI validation project (see
 * dm_validate.h); prints failing records and "N passed, M failed". 0 when
 * none failed, 1 when some did, 2 on a load error. */
int dm_tool_validate(const char *project, int verbose, FILE *out, FILE *err);

#endif
