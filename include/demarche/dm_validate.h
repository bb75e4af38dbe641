/* TABARI validation runs (manual section 10.1): a .project whose
 * <textfile> holds records "YYMMDD ID", the sentence, and a comment with
 * the expected events "{ SRC / TGT / CODE }" (or {---} none, {###} discard,
 * {+++} complex, -{...} unchecked, {OPTION: ...} an .options command to
 * apply). Records up to and including FINAL-01 are run.
 *
 * Single-threaded; everything is released before returning. */
#ifndef DM_VALIDATE_H
#define DM_VALIDATE_H

#include <stdio.h>

typedef struct dm_validate_result {
        int passed, failed;
} dm_validate_result_t;

/* Runs the project; prints each failing record (expected versus coded) and
 * a final "N passed, M failed" line to out; verbose also lists passes.
 * Returns 0 when the run completed (whatever the failures), -1 on a load
 * error (reported on err). */
int dm_validate_run(const char *project, int verbose, FILE *out, FILE *err,
                    dm_validate_result_t *res);

#endif
