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
        int expected, found; /* PETRARCH records: expected events, those coded */
} dm_validate_result_t;

/* Runs the project; prints each failing record (expected versus coded) and
 * a final "N passed, M failed" line to out; verbose also lists passes.
 * Returns 0 when the run completed (whatever the failures), -1 on a load
 * error (reported on err). mode: "parse" or "tabari", NULL for the file's
 * own (TABARI projects: tabari; PETRARCH records: parse); TABARI projects
 * are always coded in tabari mode. */
int dm_validate_run(const char *project, int verbose, const char *mode, FILE *out, FILE *err,
                    dm_validate_result_t *res);

/* PETRARCH-2 unit-test records (an XML file of <Sentence>s with their
 * <EventCoding>s and the dictionaries in <Environment>): each sentence is
 * coded in parse mode, on our own parse. Prints failing records, then
 * "events: F of E expected events coded (P%)" and "N passed, M failed".
 * Returns 0 when the run completed, -1 on a load error (the parser model
 * included). dm_validate_run hands files ending in .xml to it. */
int dm_validate_petrarch(const char *path, int verbose, int parse_mode, FILE *out, FILE *err,
                         dm_validate_result_t *res);

#endif
