#include "demarche/dm_validate.h"
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"

#include "demarche/dm_tool.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct dm_val_rec {
        char id[128];
        long date;
        dm_buf_t text;
        dm_buf_t comment;
} dm_val_rec_t;

/* Finds <textfile> in the project; returns a malloc'd path relative to the
 * project's directory, or NULL. */
static char *dm_validate_textfile(const char *project)
{
        dm_lines_t *it = dm_lines_new(project, NULL, 0);
        char *line, *res = NULL;
        if (!it)
                return NULL;
        while (!res && (line = dm_lines_next(it, NULL))) {
                if (!strncasecmp(line, "<textfile>", 10)) {
                        const char *slash = strrchr(project, '/');
                        char *name = dm_str_trim(line + 10);
                        res = name[0] == '/' || !slash
                                  ? dm_strdup(name)
                                  : dm_asprintf("%.*s/%s", (int)(slash - project), project, name);
                }
        }
        dm_lines_destroy(it);
        return res;
}

/* Normalises "{ ARN / GON / 064 }" content into "ARN/GON/064". */
static void dm_validate_norm(const char *in, size_t n, char *out, size_t size)
{
        size_t k = 0, i;
        for (i = 0; i < n && k + 1 < size; i++)
                if (!isspace((unsigned char)in[i]))
                        out[k++] = in[i];
        out[k] = '\0';
}

static int dm_validate_cmp(const void *a, const void *b)
{
        return strcmp(*(char *const *)a, *(char *const *)b);
}

/* YYYYMMDD plus days, as YYYYMMDD. */
static long dm_validate_add_days(long ymd, int days)
{
        struct tm tm;
        time_t t;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = (int)(ymd / 10000) - 1900;
        tm.tm_mon = (int)(ymd / 100 % 100) - 1;
        tm.tm_mday = (int)(ymd % 100) + days;
        tm.tm_hour = 12;
        t = timegm(&tm);
        if (!gmtime_r(&t, &tm))
                return ymd;
        return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Returns 1 when the record is scored; fills *pass. Applies options. */
static int dm_validate_record(dm_coder_t *coder, dm_val_rec_t *r, int *pass, dm_buf_t *exp_s,
                              dm_buf_t *got_s, FILE *err)
{
        const char *p = r->comment.data ? r->comment.data : "";
        char *exp[128], *got[128];
        int nexp = 0, ngot = 0, scored = 0, special = 0, i;
        long exp_date = -2; /* -2: not seen yet, -1: missing */
        dm_coded_sentence_t cs;
        dm_buf_reset(exp_s);
        dm_buf_reset(got_s);
        while ((p = strchr(p, '{'))) {
                const char *q = strchr(p, '}');
                int unchecked = p > r->comment.data && p[-1] == '-';
                char buf[256];
                size_t n = q ? (size_t)(q - p - 1) : strlen(p + 1);
                if (n > 250)
                        n = 250;
                memcpy(buf, p + 1, n);
                buf[n] = '\0';
                p = q ? q + 1 : p + 1 + n;
                if (!strncmp(dm_str_trim(buf), "OPTION:", 7)) {
                        char why[256];
                        char *cmd = dm_str_trim(buf) + 7;
                        char *cut = strstr(cmd, "*/");
                        if (cut)
                                *cut = '\0';
                        if (dm_options_apply(dm_coder_options(coder), cmd, why, sizeof(why)))
                                fprintf(err, "%s: option %s: %s\n", r->id, cmd, why);
                        continue;
                }
                if (unchecked)
                        continue;
                scored = 1;
                /* With time shifting, the first record carries the event date
                 * after its '}' (manual 10.1). */
                if (exp_date == -2) {
                        const char *d = p;
                        size_t dl = dm_coder_options(coder)->yyyy ? 8 : 6;
                        while (*d == ' ' || *d == '\t')
                                d++;
                        exp_date = strspn(d, "0123456789") >= dl
                                       ? dm_dict_tabari_date(d, dl, dm_coder_options(coder)->yyyy)
                                       : -1;
                }
                {
                        char norm[256];
                        dm_validate_norm(buf, strlen(buf), norm, sizeof(norm));
                        if (!strcmp(norm, "---") || !strcmp(norm, "###") || !strcmp(norm, "+++")) {
                                special = norm[0];
                        } else if (nexp < 128) {
                                exp[nexp++] = dm_strdup(norm);
                        }
                        dm_buf_printf(exp_s, "{%s} ", norm);
                }
        }
        if (!scored)
                return 0;
        dm_coder_code_ymd(coder, r->text.data ? r->text.data : "", 0, (uint32_t)r->text.len,
                          r->date, &cs);
        for (i = 0; i < (int)cs.event_count && ngot < 128; i++)
                got[ngot++] = dm_asprintf("%s/%s/%s", cs.events[i].source.code,
                                          cs.events[i].target.code, cs.events[i].code);
        if (cs.discarded)
                dm_buf_puts(got_s, "{###} ");
        else if (cs.complex)
                dm_buf_puts(got_s, "{+++} ");
        else if (!ngot)
                dm_buf_puts(got_s, "{---} ");
        for (i = 0; i < ngot; i++)
                dm_buf_printf(got_s, "{%s} ", got[i]);
        if (special == '#')
                *pass = cs.discarded;
        else if (special == '+')
                *pass = cs.complex;
        else if (special == '-')
                *pass = !cs.discarded && !cs.complex && ngot == 0;
        else {
                *pass = !cs.discarded && !cs.complex && nexp == ngot;
                qsort(exp, (size_t)nexp, sizeof(char *), dm_validate_cmp);
                qsort(got, (size_t)ngot, sizeof(char *), dm_validate_cmp);
                for (i = 0; *pass && i < nexp; i++)
                        *pass = !strcmp(exp[i], got[i]);
        }
        if (*pass && dm_coder_options(coder)->time_shift == 1 && !special) {
                long got_date = dm_validate_add_days(r->date, cs.date_shift_days);
                if (exp_date != got_date) {
                        *pass = 0;
                        dm_buf_printf(got_s, "(date %ld, expected %ld) ", got_date, exp_date);
                }
        }
        for (i = 0; i < nexp; i++)
                free(exp[i]);
        for (i = 0; i < ngot; i++)
                free(got[i]);
        return 1;
}

int dm_validate_run(const char *project, int verbose, const char *mode, FILE *out, FILE *err,
                    dm_validate_result_t *res)
{
        size_t plen = strlen(project);
        if (mode && strcmp(mode, "parse") && strcmp(mode, "tabari")) {
                fprintf(err, "validate: --mode: '%s' is neither parse nor tabari\n", mode);
                return -1;
        }
        if (plen > 4 && !strcasecmp(project + plen - 4, ".xml"))
                return dm_validate_petrarch(project, verbose, !mode || !strcmp(mode, "parse"), out,
                                            err, res);
        char errstr[512];
        dm_dict_t *dict = NULL;
        dm_coder_t *coder = NULL;
        char *textfile = NULL;
        dm_lines_t *lines = NULL;
        dm_val_rec_t rec;
        dm_buf_t exp_s, got_s;
        int in_rec = 0, in_comment = 0, done = 0, rc = -1;
        memset(res, 0, sizeof(*res));
        memset(&rec, 0, sizeof(rec));
        dm_buf_init(&rec.text);
        dm_buf_init(&rec.comment);
        dm_buf_init(&exp_s);
        dm_buf_init(&got_s);
        dict = dm_dict_load(project, 0, errstr, sizeof(errstr));
        if (!dict) {
                fprintf(err, "validate: %s\n", errstr);
                goto out;
        }
        textfile = dm_validate_textfile(project);
        if (!textfile || !(lines = dm_lines_new(textfile, errstr, sizeof(errstr)))) {
                fprintf(err, "validate: %s: no readable <textfile>: %s\n", project,
                        textfile ? errstr : "missing");
                goto out;
        }
        coder = dm_coder_new(dict);
        while (!done) {
                char *line = dm_lines_next(lines, NULL), *t = line;
                int blank = !t || !t[strspn(t, " \t\r\n")];
                if (t && !in_rec && isdigit((unsigned char)t[0])) {
                        char *sp;
                        t = dm_str_trim(t);
                        sp = t + strcspn(t, " \t");
                        /* Malformed dates ("9501201") keep their first six (or
                         * eight) digits. */
                        {
                                size_t dl = dm_coder_options(coder)->yyyy ? 8 : 6;
                                rec.date =
                                    (size_t)(sp - t) >= dl
                                        ? dm_dict_tabari_date(t, dl, dm_coder_options(coder)->yyyy)
                                        : -1;
                        }
                        if (rec.date < 0)
                                rec.date = 0;
                        snprintf(rec.id, sizeof(rec.id), "%s", dm_str_trim(sp));
                        dm_buf_reset(&rec.text);
                        dm_buf_reset(&rec.comment);
                        in_rec = 1;
                        in_comment = 0;
                        continue;
                }
                if (in_rec && blank) {
                        int pass = 0;
                        if (dm_validate_record(coder, &rec, &pass, &exp_s, &got_s, err)) {
                                if (pass)
                                        res->passed++;
                                else
                                        res->failed++;
                                if (!pass || verbose)
                                        fprintf(out,
                                                "%s %s: %s\n    expected: %s\n    coded:    %s\n",
                                                pass ? "PASS" : "FAIL", rec.id,
                                                rec.text.data ? rec.text.data : "", exp_s.data,
                                                got_s.data);
                        }
                        if (!strcmp(rec.id, "FINAL-01"))
                                done = 1;
                        in_rec = 0;
                }
                if (!t)
                        break;
                if (!in_rec)
                        continue;
                /* Split the line into record text and comment parts. */
                for (t = line; *t;) {
                        if (!in_comment && t[0] == '/' && t[1] == '*') {
                                in_comment = 1;
                                t += 2;
                        } else if (in_comment && t[0] == '*' && t[1] == '/') {
                                in_comment = 0;
                                t += 2;
                        } else {
                                dm_buf_putc(in_comment ? &rec.comment : &rec.text,
                                            *t == '\t' || *t == '\r' ? ' ' : *t);
                                t++;
                        }
                }
                /* The line break separates words like a space. */
                dm_buf_putc(in_comment ? &rec.comment : &rec.text, ' ');
        }
        fprintf(out, "%d passed, %d failed\n", res->passed, res->failed);
        rc = 0;
out:
        dm_lines_destroy(lines);
        free(textfile);
        dm_buf_free(&rec.text);
        dm_buf_free(&rec.comment);
        dm_buf_free(&exp_s);
        dm_buf_free(&got_s);
        dm_coder_destroy(coder);
        dm_dict_destroy(dict);
        return rc;
}

int dm_tool_validate(const char *project, int verbose, const char *mode, FILE *out, FILE *err)
{
        dm_validate_result_t res;
        if (dm_validate_run(project, verbose, mode, out, err, &res))
                return 2;
        return res.failed ? 1 : 0;
}
