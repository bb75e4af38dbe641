/* PETRARCH-2's unit-test records as the conformance suite of parse mode
 * (dm_validate.h): each <Sentence> is coded by our coder on our own parse
 * (not the CoreNLP tree the record carries) with the dictionaries the file's
 * <Environment> names, and its expected <EventCoding>s are looked for among
 * the events coded.
 *
 * The file is read leniently, not as XML: twelve of its records are not
 * well-formed, and attributes come with blanks around '=' and either quote. */
#include "demarche/dm_buf.h"
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"
#include "demarche/dm_validate.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DM_PETR_MAX_EXPECT 16

typedef struct dm_petr_expect {
        char src[32], tgt[32], code[16];
} dm_petr_expect_t;

typedef struct dm_petr_rec {
        char id[64];
        long date;
        int noevents, error;
        dm_petr_expect_t exp[DM_PETR_MAX_EXPECT];
        int nexp;
        dm_buf_t text;
} dm_petr_rec_t;

/* Reads the whole file with every <!-- ... --> comment blanked out, so that
 * commented records and notes are not read as records. */
static char *dm_petr_slurp(const char *path, char *errstr, size_t errstr_size)
{
        FILE *fp = fopen(path, "r");
        dm_buf_t b;
        char *s, *p;
        if (!fp) {
                dm_str_seterr(errstr, errstr_size, "%s: cannot open", path);
                return NULL;
        }
        dm_buf_init(&b);
        if (dm_buf_read_stream(&b, fp)) {
                fclose(fp);
                dm_buf_free(&b);
                dm_str_seterr(errstr, errstr_size, "%s: read error", path);
                return NULL;
        }
        fclose(fp);
        dm_buf_putc(&b, '\0');
        s = dm_buf_steal(&b);
        for (p = s; (p = strstr(p, "<!--"));) {
                char *e = strstr(p + 4, "-->");
                char *stop = e ? e + 3 : p + strlen(p);
                memset(p, ' ', (size_t)(stop - p));
                p = stop;
        }
        return s;
}

/* The value of attribute name inside tag text [tag, end): name, blanks,
 * '=', blanks, then a quoted value (either quote). */
static int dm_petr_attr(const char *tag, const char *end, const char *name, char *out, size_t size)
{
        size_t n = strlen(name);
        const char *p;
        for (p = tag; p + n < end; p++) {
                const char *q;
                char quote;
                size_t len;
                if (strncasecmp(p, name, n) || (p > tag && !isspace((unsigned char)p[-1])))
                        continue;
                q = p + n;
                while (q < end && isspace((unsigned char)*q))
                        q++;
                if (q >= end || *q != '=')
                        continue;
                q++;
                while (q < end && isspace((unsigned char)*q))
                        q++;
                if (q >= end || (*q != '"' && *q != '\''))
                        continue;
                quote = *q++;
                for (len = 0; q + len < end && q[len] != quote; len++)
                        ;
                snprintf(out, size, "%.*s", (int)len, q);
                return 1;
        }
        return 0;
}

/* The text between <tag> and </tag> after from, or NULL. */
static char *dm_petr_element(const char *from, const char *limit, const char *tag, size_t *len)
{
        char open[64], close[64];
        const char *a, *b;
        snprintf(open, sizeof(open), "<%s>", tag);
        snprintf(close, sizeof(close), "</%s>", tag);
        a = strstr(from, open);
        if (!a || (limit && a >= limit))
                return NULL;
        a += strlen(open);
        b = strstr(a, close);
        if (!b || (limit && b > limit))
                return NULL;
        *len = (size_t)(b - a);
        return (char *)a;
}

/* The dictionary files the <Environment> names, as a comma-separated spec
 * of paths next to the records file. */
static char *dm_petr_spec(const char *path, const char *doc)
{
        static const char *const tags[] = {"Verbfile", "Actorfile", "Agentfile", "Discardfile",
                                           NULL};
        const char *slash = strrchr(path, '/');
        size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
        dm_buf_t b;
        int k;
        dm_buf_init(&b);
        for (k = 0; tags[k]; k++) {
                size_t len;
                char *v = dm_petr_element(doc, NULL, tags[k], &len);
                char name[256];
                if (!v)
                        continue;
                snprintf(name, sizeof(name), "%.*s", (int)len, v);
                if (b.len)
                        dm_buf_putc(&b, ',');
                dm_buf_printf(&b, "%.*s%s", (int)dirlen, path, dm_str_trim(name));
        }
        return b.len ? dm_buf_steal(&b) : (dm_buf_free(&b), NULL);
}

/* Reads the record whose <Sentence ...> tag starts at tag; returns the end
 * of the record, or NULL when it has no </Sentence>. */
static const char *dm_petr_record(const char *tag, dm_petr_rec_t *rec)
{
        const char *end = strstr(tag, "</Sentence>"), *tag_end = strchr(tag, '>'), *p;
        char date[32] = "";
        size_t len;
        char *text;
        if (!end || !tag_end || tag_end > end)
                return NULL;
        rec->id[0] = '\0';
        rec->noevents = rec->error = rec->nexp = 0;
        dm_buf_reset(&rec->text);
        dm_petr_attr(tag, tag_end, "id", rec->id, sizeof(rec->id));
        dm_petr_attr(tag, tag_end, "date", date, sizeof(date));
        rec->date = strtol(date, NULL, 10);
        for (p = tag_end; (p = strstr(p, "<EventCoding")) && p < end;) {
                const char *e = strchr(p, '>');
                char v[32];
                if (!e || e > end)
                        break;
                if (dm_petr_attr(p, e, "noevents", v, sizeof(v)))
                        rec->noevents = 1;
                else if (dm_petr_attr(p, e, "error", v, sizeof(v)))
                        rec->error = 1;
                else if (rec->nexp < DM_PETR_MAX_EXPECT) {
                        dm_petr_expect_t *x = &rec->exp[rec->nexp];
                        if (dm_petr_attr(p, e, "sourcecode", x->src, sizeof(x->src)) &&
                            dm_petr_attr(p, e, "targetcode", x->tgt, sizeof(x->tgt)) &&
                            dm_petr_attr(p, e, "eventcode", x->code, sizeof(x->code)))
                                rec->nexp++;
                }
                p = e;
        }
        text = dm_petr_element(tag_end, end, "Text", &len);
        if (text) {
                /* One line: the record's line breaks are layout. */
                size_t i;
                for (i = 0; i < len; i++)
                        dm_buf_putc(&rec->text, isspace((unsigned char)text[i]) ? ' ' : text[i]);
                dm_str_trim(rec->text.data);
                rec->text.len = strlen(rec->text.data);
        }
        return end + strlen("</Sentence>");
}

/* Codes one record; counts the expected events found. Returns 1 when the
 * record passes (every expected event coded; none coded for noevents). */
static int dm_petr_check(dm_coder_t *coder, const dm_petr_rec_t *rec, int *found, dm_buf_t *got)
{
        dm_coded_sentence_t cs;
        size_t i;
        int k, pass = 1;
        *found = 0;
        dm_buf_reset(got);
        dm_coder_code_ymd(coder, rec->text.data, 0, (uint32_t)rec->text.len, rec->date, &cs);
        for (i = 0; i < cs.event_count; i++)
                dm_buf_printf(got, "%s{ %s / %s / %s }", i ? " " : "", cs.events[i].source.code,
                              cs.events[i].target.code ? cs.events[i].target.code : "---",
                              cs.events[i].code);
        if (!cs.event_count)
                dm_buf_puts(got, "{---}");
        if (rec->noevents)
                return cs.event_count == 0;
        for (k = 0; k < rec->nexp; k++) {
                int hit = 0;
                for (i = 0; i < cs.event_count && !hit; i++) {
                        const dm_coded_event_t *e = &cs.events[i];
                        hit = e->target.code && !strcmp(e->source.code, rec->exp[k].src) &&
                              !strcmp(e->target.code, rec->exp[k].tgt) &&
                              !strcmp(e->code, rec->exp[k].code);
                }
                *found += hit;
                pass &= hit;
        }
        return pass;
}

int dm_validate_petrarch(const char *path, int verbose, int parse_mode, FILE *out, FILE *err,
                         dm_validate_result_t *res)
{
        char errstr[512], *doc = NULL, *spec = NULL;
        const char *p;
        dm_dict_t *dict = NULL;
        dm_coder_t *coder = NULL;
        const struct dm_parse_model *model = NULL;
        dm_petr_rec_t rec;
        dm_buf_t got;
        int rc = -1;
        memset(res, 0, sizeof(*res));
        memset(&rec, 0, sizeof(rec));
        dm_buf_init(&rec.text);
        dm_buf_init(&got);
        if (!(doc = dm_petr_slurp(path, errstr, sizeof(errstr)))) {
                fprintf(err, "validate: %s\n", errstr);
                goto out;
        }
        if (!(spec = dm_petr_spec(path, doc))) {
                fprintf(err, "validate: %s: no dictionaries named in <Environment>\n", path);
                goto out;
        }
        if (!(dict = dm_dict_load(spec, 0, errstr, sizeof(errstr)))) {
                fprintf(err, "validate: %s\n", errstr);
                goto out;
        }
        if (parse_mode && !(model = dm_dict_parser(dict, errstr, sizeof(errstr)))) {
                fprintf(err, "validate: parse mode needs the parser model: %s\n", errstr);
                goto out;
        }
        coder = dm_coder_new(dict);
        dm_coder_set_parser(coder, model);
        for (p = doc; (p = strstr(p, "<Sentence"));) {
                int found = 0, pass;
                const char *next;
                if (!isspace((unsigned char)p[9])) {
                        p += 9;
                        continue;
                }
                next = dm_petr_record(p, &rec);
                if (!next)
                        break;
                p = next;
                if (rec.error || !rec.text.len)
                        continue;
                pass = dm_petr_check(coder, &rec, &found, &got);
                res->expected += rec.nexp;
                res->found += found;
                if (pass)
                        res->passed++;
                else
                        res->failed++;
                if (!pass || verbose) {
                        int k;
                        fprintf(out, "%s %s: %s\n    expected:", pass ? "PASS" : "FAIL", rec.id,
                                rec.text.data);
                        if (rec.noevents)
                                fprintf(out, " {---}");
                        for (k = 0; k < rec.nexp; k++)
                                fprintf(out, " { %s / %s / %s }", rec.exp[k].src, rec.exp[k].tgt,
                                        rec.exp[k].code);
                        fprintf(out, "\n    coded:    %s\n", got.data ? got.data : "");
                }
        }
        fprintf(out, "events: %d of %d expected events coded (%.1f%%)\n", res->found, res->expected,
                res->expected ? 100.0 * res->found / res->expected : 0.0);
        fprintf(out, "%d passed, %d failed\n", res->passed, res->failed);
        rc = 0;
out:
        free(doc);
        free(spec);
        dm_buf_free(&rec.text);
        dm_buf_free(&got);
        dm_coder_destroy(coder);
        dm_dict_destroy(dict);
        return rc;
}
