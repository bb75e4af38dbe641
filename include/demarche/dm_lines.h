#ifndef DM_LINES_H
#define DM_LINES_H

#include <stddef.h>

/* A line iterator over a text file: the one open/getline/close loop of every
 * loader (dictionaries, options, projects, configuration), with the line
 * numbers their file:line messages need. One thread at a time. */
typedef struct dm_lines dm_lines_t;

/* Opens path for reading. Returns NULL with "PATH: cannot open: REASON" in
 * errstr when it cannot. */
dm_lines_t *dm_lines_new(const char *path, char *errstr, size_t errstr_size);
void dm_lines_destroy(dm_lines_t *it);
/* The next line without its "\n" or "\r\n", or NULL at the end of the file
 * (a read error ends it too, as for getline). The line belongs to the
 * iterator; the caller may modify it in place until the next call. When len
 * is non-NULL it receives the length, which exceeds strlen() when the line
 * holds a NUL byte. */
char *dm_lines_next(dm_lines_t *it, size_t *len);
/* Number (from 1) of the line last returned; 0 before the first. */
int dm_lines_number(const dm_lines_t *it);
/* Back to the first line (for loaders that read a file in two passes). */
void dm_lines_rewind(dm_lines_t *it);

#endif
