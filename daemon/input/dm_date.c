#include "input/dm_date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Date lines as news pages print them, parsed token by token: every token
 * must be part of a date, a time, a zone or one of the words that surround
 * them ("Published", "Updated", weekdays), so a sentence that merely
 * contains a date is not a date line. */

static const char *dm_date_months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};

static const struct {
        const char *name;
        int minutes;
} dm_date_zones[] = {{"utc", 0},    {"gmt", 0},    {"z", 0},      {"bst", 60},   {"cet", 60},
                     {"cest", 120}, {"eet", 120},  {"eest", 180}, {"msk", 180},  {"est", -300},
                     {"edt", -240}, {"cst", -360}, {"cdt", -300}, {"pst", -480}, {"pdt", -420},
                     {"jst", 540},  {"kst", 540},  {"aest", 600}, {"aedt", 660}, {"ist", 330}};

static const char *dm_date_noise[] = {
    "published", "updated", "last", "posted", "on",      "at",        "first",    "modified",
    "date",      "mon",     "tue",  "tues",   "wed",     "thu",       "thur",     "thurs",
    "fri",       "sat",     "sun",  "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday",  "sunday",  "am",   "pm",     NULL};

typedef struct dm_date_fields {
        int y, mo, d, h, mi, s, tz_min, have_time, have_tz, pm, am;
} dm_date_fields_t;

/* One token of a date line; returns 0 when understood. */
static int dm_date_fields_token(const char *w, size_t n, dm_date_fields_t *dt)
{
        char low[40];
        size_t k;
        int a, b, c, consumed = 0;
        const char **nz;
        if (n == 0 || n >= sizeof(low))
                return n == 0 ? 0 : -1;
        for (k = 0; k < n; k++)
                low[k] = (char)tolower((unsigned char)w[k]);
        low[n] = '\0';
        while (n &&
               (low[n - 1] == ',' || low[n - 1] == '.' || low[n - 1] == ':' || low[n - 1] == '|'))
                low[--n] = '\0';
        if (!n || !strcmp(low, "-") || !strcmp(low, "/") || !strcmp(low, "\xc2\xb7"))
                return 0;
        for (nz = dm_date_noise; *nz; nz++) {
                if (!strcmp(low, *nz)) {
                        if (!strcmp(low, "pm"))
                                dt->pm = 1;
                        if (!strcmp(low, "am"))
                                dt->am = 1;
                        return 0;
                }
        }
        for (k = 0; k < 12; k++) {
                if (n >= 3 && !strncmp(low, dm_date_months[k], 3) &&
                    isalpha((unsigned char)low[0])) {
                        dt->mo = (int)k + 1;
                        return 0;
                }
        }
        for (k = 0; k < sizeof(dm_date_zones) / sizeof(dm_date_zones[0]); k++) {
                if (!strcmp(low, dm_date_zones[k].name)) {
                        dt->tz_min = dm_date_zones[k].minutes;
                        dt->have_tz = 1;
                        return 0;
                }
        }
        /* ISO 8601: 2022-03-21, optionally THH:MM[:SS][Z|+HH:MM] */
        if (sscanf(low, "%4d-%2d-%2d%n", &a, &b, &c, &consumed) == 3 && consumed == 10) {
                dt->y = a;
                dt->mo = b;
                dt->d = c;
                if (low[10] == 't' || low[10] == ' ') {
                        int hh = 0, mm = 0, ss = 0, used = 0;
                        if (sscanf(low + 11, "%2d:%2d%n", &hh, &mm, &used) >= 2) {
                                const char *z;
                                dt->h = hh;
                                dt->mi = mm;
                                dt->have_time = 1;
                                z = low + 11 + used;
                                if (*z == ':' && sscanf(z + 1, "%2d", &ss) == 1) {
                                        dt->s = ss;
                                        z += 3;
                                }
                                while (*z == '.' || isdigit((unsigned char)*z))
                                        z++;
                                if (*z == 'z') {
                                        dt->have_tz = 1;
                                } else if (*z == '+' || *z == '-') {
                                        int oh = 0, om = 0;
                                        if (sscanf(z + 1, "%2d:%2d", &oh, &om) >= 1 ||
                                            sscanf(z + 1, "%2d%2d", &oh, &om) >= 1) {
                                                dt->tz_min = (*z == '-' ? -1 : 1) * (oh * 60 + om);
                                                dt->have_tz = 1;
                                        }
                                }
                        }
                }
                return 0;
        }
        /* Numeric dates: 21.03.2022, 21-03-2022, 21/03/2022, 3/21/2022 */
        {
                int x = 0, y = 0, z = 0, used = 0;
                char s1 = 0, s2 = 0;
                if (sscanf(low, "%2d%c%2d%c%4d%n", &x, &s1, &y, &s2, &z, &used) == 5 &&
                    used == (int)n && s1 == s2 && (s1 == '.' || s1 == '/' || s1 == '-') &&
                    z >= 1900 && z <= 2100) {
                        if (s1 == '/' && x <= 12 && y > 12) {
                                dt->mo = x;
                                dt->d = y;
                        } else {
                                dt->d = x;
                                dt->mo = y;
                        }
                        dt->y = z;
                        return dt->mo >= 1 && dt->mo <= 12 && dt->d >= 1 && dt->d <= 31 ? 0 : -1;
                }
        }
        /* Offsets: +03:00, +0300, UTC+3 */
        if ((low[0] == '+' || low[0] == '-') && isdigit((unsigned char)low[1])) {
                int oh = 0, om = 0;
                if (strchr(low, ':'))
                        sscanf(low + 1, "%d:%d", &oh, &om);
                else if (n == 5)
                        sscanf(low + 1, "%2d%2d", &oh, &om);
                else
                        oh = atoi(low + 1);
                /* Real offsets run from -12:00 to +14:00; anything else is
                 * not a zone (and must not overflow). */
                if (oh < 0 || oh > 14 || om < 0 || om > 59)
                        return -1;
                dt->tz_min = (low[0] == '-' ? -1 : 1) * (oh * 60 + om);
                dt->have_tz = 1;
                return 0;
        }
        /* Times: 18:55, 18.55, 18:55:01, 6:55pm */
        if (isdigit((unsigned char)low[0]) && (strchr(low, ':') || strchr(low, '.'))) {
                int hh, mm, used = 0;
                char sep;
                if (sscanf(low, "%2d%c%2d%n", &hh, &sep, &mm, &used) == 3 &&
                    (sep == ':' || sep == '.') && hh < 24 && mm < 60) {
                        const char *rest = low + used;
                        if (*rest == ':')
                                rest += 3;
                        dt->h = hh;
                        dt->mi = mm;
                        dt->have_time = 1;
                        if (!strcmp(rest, "pm"))
                                dt->pm = 1;
                        else if (!strcmp(rest, "am"))
                                dt->am = 1;
                        else if (*rest && rest <= low + n)
                                return -1;
                        return 0;
                }
                return -1;
        }
        if (isdigit((unsigned char)low[0])) {
                char *end;
                long v = strtol(low, &end, 10);
                if (*end && strcmp(end, "st") && strcmp(end, "nd") && strcmp(end, "rd") &&
                    strcmp(end, "th"))
                        return -1;
                if (v >= 1900 && v <= 2100 && !dt->y)
                        dt->y = (int)v;
                else if (v >= 1 && v <= 31 && !dt->d)
                        dt->d = (int)v;
                else
                        return -1;
                return 0;
        }
        return -1;
}

int dm_date_parse_line(const char *line, size_t len, int64_t *ms, int *tz_known)
{
        dm_date_fields_t dt;
        size_t i = 0, tokens = 0;
        struct tm tm;
        time_t t;
        if (len == 0 || len > 90)
                return -1;
        memset(&dt, 0, sizeof(dt));
        while (i < len) {
                size_t s;
                while (i < len && (isspace((unsigned char)line[i]) || line[i] == ','))
                        i++;
                s = i;
                while (i < len && !isspace((unsigned char)line[i]) && line[i] != ',')
                        i++;
                if (i == s)
                        continue;
                tokens++;
                if (dm_date_fields_token(line + s, i - s, &dt))
                        return -1;
        }
        if (!tokens || !dt.y || !dt.mo || !dt.d || dt.mo > 12)
                return -1;
        if (dt.pm && dt.h < 12)
                dt.h += 12;
        if (dt.am && dt.h == 12)
                dt.h = 0;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = dt.y - 1900;
        tm.tm_mon = dt.mo - 1;
        tm.tm_mday = dt.d;
        tm.tm_hour = dt.h;
        tm.tm_min = dt.mi;
        tm.tm_sec = dt.s;
        t = timegm(&tm);
        *ms = ((int64_t)t - (int64_t)dt.tz_min * 60) * 1000;
        *tz_known = dt.have_tz;
        return 0;
}
