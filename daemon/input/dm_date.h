/* Publication dates as pages print them: "21 Mar, 2022 18:55", "Mon 21 Mar
 * 2022 18.55 GMT", "Published: March 21, 2022 6:55 pm UTC",
 * "2022-03-21T21:55:00+03:00", "21.03.2022 18:55", "3/21/2022, 6:55 PM",
 * with zone names (UTC, GMT, BST, CET, MSK, EST, ...) and numeric offsets.
 *
 * Pure function; any thread. */
#ifndef DM_DATE_H
#define DM_DATE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a line that is only a date; returns 0 and sets *ms (UTC; a line
 * without a zone is read as UTC and *tz_known is 0), or -1 when the line is
 * not a date line. */
int dm_date_parse_line(const char *line, size_t len, int64_t *ms, int *tz_known);

#endif
