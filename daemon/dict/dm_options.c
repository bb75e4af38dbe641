#include "demarche/dm_options.h"
#include "demarche/dm_lines.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dm_options_defaults(dm_options_t *o)
{
        memset(o, 0, sizeof(*o));
        o->code_by = DM_CODE_BY_CLAUSE;
        o->min_words = 8;
        o->time_shift = -1;
        /* Manual section 8.6 defaults: the first comma phrase is never
         * deleted (BMIN > BMAX). */
        o->comma_min = 2;
        o->comma_max = 10;
        o->comma_emin = 2;
        o->comma_emax = 10;
        o->comma_bmin = 128;
        o->comma_bmax = 0;
}

/* Upper-cased copy with blanks collapsed, so "SET:  CODE BY  CLAUSE" and
 * "set: code by clause" compare equal. */
static void dm_options_norm(const char *in, char *out, size_t size)
{
        size_t n = 0;
        int blank = 0;
        while (*in && isspace((unsigned char)*in))
                in++;
        for (; *in && n + 1 < size; in++) {
                if (isspace((unsigned char)*in)) {
                        blank = 1;
                        continue;
                }
                if (blank && n + 2 < size)
                        out[n++] = ' ';
                blank = 0;
                out[n++] = (char)toupper((unsigned char)*in);
        }
        out[n] = '\0';
}

static int dm_options_bool(const char *v, int *out)
{
        while (*v == ' ' || *v == '=')
                v++;
        if (*v == 'T' || *v == '1' || !strncmp(v, "ON", 2)) {
                *out = 1;
                return 0;
        }
        if (*v == 'F' || *v == '0' || !strncmp(v, "OFF", 3)) {
                *out = 0;
                return 0;
        }
        return -1;
}

static int dm_options_set(dm_options_t *o, const char *s, char *errstr, size_t errstr_size)
{
        const char *eq = strchr(s, '=');
        int b;
        if (!strncmp(s, "CODE BY CLAUSE", 14)) {
                o->code_by = DM_CODE_BY_CLAUSE;
                return 0;
        }
        if (!strncmp(s, "CODE BY SENTENCE", 16)) {
                o->code_by = DM_CODE_BY_SENTENCE;
                return 0;
        }
        if (!strncmp(s, "CODE ALL", 8)) {
                o->code_by = DM_CODE_ALL;
                return 0;
        }
        if (!eq) {
                snprintf(errstr, errstr_size, "SET: expected PARAMETER = VALUE");
                return -1;
        }
        if (!strncmp(s, "MINIMUM WORDS", 13)) {
                o->min_words = atoi(eq + 1);
                return 0;
        }
        if (dm_options_bool(eq + 1, &b)) {
                /* Usage switches are 3-way (OFF) and others we ignore. */
                return 0;
        }
        if (!strncmp(s, "CONVERT AGENT", 13))
                o->convert_agents = b;
        else if (!strncmp(s, "YYYY", 4))
                o->yyyy = b;
        else if (!strncmp(s, "TIME SHIFT", 10))
                o->time_shift = b;
        else if (!strncmp(s, "FBIS", 4))
                o->fbis = b;
        /* LABEL, SKIP RECORDS, usage files, DUP WARNING, HAIKU: no effect on
         * coding. */
        return 0;
}

static int dm_options_bracket_num(const char *s, const char *key)
{
        const char *p = strstr(s, key);
        if (!p)
                return 0;
        p += strlen(key);
        while (*p == ' ')
                p++;
        if (*p != '[')
                return 0;
        return atoi(p + 1);
}

static void dm_options_complex(dm_options_t *o, const char *s)
{
        o->cx_verbs = dm_options_bracket_num(s, "VERBS");
        o->cx_actors = dm_options_bracket_num(s, "ACTORS");
        o->cx_pronouns = dm_options_bracket_num(s, "PRONOUNS");
        o->cx_conj = dm_options_bracket_num(s, "CONJ");
        o->cx_comma = dm_options_bracket_num(s, "COMMA");
        o->cx_lateverb = dm_options_bracket_num(s, "LATEVERB");
        o->cx_noactprior = strstr(s, "NOACTPRIOR") != NULL;
        o->cx_noactafter = strstr(s, "NOACTAFTER") != NULL;
        o->cx_noverb = strstr(s, "NOVERB") != NULL;
        o->cx_nosource = strstr(s, "NOSOURCE") != NULL;
        o->cx_notarget = strstr(s, "NOTARGET") != NULL;
        o->cx_noevent = strstr(s, "NOEVENT") != NULL;
}

static void dm_options_code(const char *s, const char *key, char *out, size_t size)
{
        const char *p = strstr(s, key), *lb, *rb;
        size_t n = 0;
        if (!p)
                return;
        lb = strchr(p, '[');
        rb = lb ? strchr(lb, ']') : NULL;
        if (!rb)
                return;
        for (p = lb + 1; p < rb && n + 1 < size && n < 15; p++)
                if (!isspace((unsigned char)*p))
                        out[n++] = *p;
        out[n] = '\0';
}

static void dm_options_default(dm_options_t *o, const char *s)
{
        const char *t = strstr(s, "TARGET");
        if (!strncmp(s, "OFF", 3)) {
                o->default_src[0] = o->default_tgt[0] = '\0';
                o->default_prior = o->default_after = 0;
                return;
        }
        dm_options_code(s, "SOURCE", o->default_src, sizeof(o->default_src));
        dm_options_code(s, "TARGET", o->default_tgt, sizeof(o->default_tgt));
        if (strstr(s, "PRIOR"))
                o->default_prior = 1;
        if (t && strstr(t, "AFTER"))
                o->default_after = 1;
}

static int dm_options_comma_val(const char *s, const char *key, int *out)
{
        const char *p = s;
        size_t k = strlen(key);
        while ((p = strstr(p, key))) {
                /* "MIN" must not match inside "EMIN"/"BMIN". */
                if (p == s || p[-1] == ' ') {
                        const char *q = p + k;
                        while (*q == ' ' || *q == '=')
                                q++;
                        if (isdigit((unsigned char)*q)) {
                                *out = atoi(q);
                                return 1;
                        }
                }
                p += k;
        }
        return 0;
}

static void dm_options_comma(dm_options_t *o, const char *s)
{
        if (!strncmp(s, "OFF", 3)) {
                o->comma_off = 1;
                return;
        }
        o->comma_off = 0;
        dm_options_comma_val(s, "MIN", &o->comma_min);
        dm_options_comma_val(s, "MAX", &o->comma_max);
        dm_options_comma_val(s, "EMIN", &o->comma_emin);
        dm_options_comma_val(s, "EMAX", &o->comma_emax);
        dm_options_comma_val(s, "BMIN", &o->comma_bmin);
        dm_options_comma_val(s, "BMAX", &o->comma_bmax);
}

int dm_options_apply(dm_options_t *o, const char *line, char *errstr, size_t errstr_size)
{
        char s[512], *colon, *arg;
        char *cut;
        dm_options_norm(line, s, sizeof(s));
        /* '#' and '//' start comments. */
        if ((cut = strstr(s, "//")))
                *cut = '\0';
        if ((cut = strchr(s, '#')))
                *cut = '\0';
        if (!s[0])
                return 0;
        colon = strchr(s, ':');
        if (!colon) {
                snprintf(errstr, errstr_size, "expected COMMAND: ...");
                return -1;
        }
        arg = colon + 1;
        while (*arg == ' ')
                arg++;
        /* The manual: the program looks at the first four characters. */
        if (!strncmp(s, "SET", 3))
                return dm_options_set(o, arg, errstr, errstr_size);
        if (!strncmp(s, "COMP", 4))
                dm_options_complex(o, arg);
        else if (!strncmp(s, "DEFA", 4))
                dm_options_default(o, arg);
        else if (!strncmp(s, "COMM", 4))
                dm_options_comma(o, arg);
        else if (!strncmp(s, "FORW", 4))
                o->forward = strstr(arg, "OFF") == NULL;
        else if (!strncmp(s, "LABE", 4) || !strncmp(s, "OUTP", 4) || !strncmp(s, "NONE", 4))
                return 0;
        else {
                snprintf(errstr, errstr_size, "unknown options command: %.40s", s);
                return -1;
        }
        return 0;
}

int dm_options_load(dm_options_t *o, const char *path,
                    void (*warn)(void *ctx, const char *path, int line, const char *msg), void *ctx,
                    char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, NULL))) {
                char why[256];
                if (!strncmp(line, "~~", 2))
                        break;
                if (dm_options_apply(o, line, why, sizeof(why)) && warn)
                        warn(ctx, path, dm_lines_number(it), why);
        }
        dm_lines_destroy(it);
        return 0;
}
