/* CoNLL-U reader and writer (dm_conllu.h). */
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_conllu.h"

#include <stdlib.h>
#include <string.h>

void dm_conllu_sent_init(dm_conllu_sent_t *s)
{
        memset(s, 0, sizeof(*s));
        dm_buf_init(&s->store);
}

void dm_conllu_sent_free(dm_conllu_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->nx; i++)
                free(s->x[i].line);
        free(s->x);
        free(s->w);
        free(s->loff);
        dm_buf_free(&s->store);
        memset(s, 0, sizeof(*s));
}

static void sent_reset(dm_conllu_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->nx; i++)
                free(s->x[i].line);
        s->nx = 0;
        s->n = 0;
        dm_buf_reset(&s->store);
}

/* Word lines go into one store; column pointers are fixed once the
 * sentence is complete, since the store moves as it grows. */
static void fix_columns(dm_conllu_sent_t *s)
{
        size_t i;
        for (i = 0; i < s->n; i++) {
                char *p = s->store.data + s->loff[i];
                int c;
                for (c = 0; c < DM_CU_NCOLS; c++) {
                        s->w[i].col[c] = p;
                        p += strlen(p) + 1;
                }
        }
}

int dm_conllu_read(dm_lines_t *it, const char *name, dm_conllu_sent_t *s, char *errstr,
                   size_t errstr_size)
{
        char *line;
        size_t len;
        sent_reset(s);
        while ((line = dm_lines_next(it, &len)) != NULL) {
                char *p, *tab;
                int c;
                if (!*line) {
                        if (s->n || s->nx)
                                break;
                        continue;
                }
                if (line[0] == '#' || strcspn(line, "\t") > strspn(line, "0123456789")) {
                        dm_grow((void **)&s->x, &s->xcap, s->nx + 1, sizeof(*s->x));
                        s->x[s->nx].line = dm_strdup(line);
                        s->x[s->nx].before = s->n;
                        s->nx++;
                        continue;
                }
                dm_grow((void **)&s->w, &s->cap, s->n + 1, sizeof(*s->w));
                dm_grow((void **)&s->loff, &s->loff_cap, s->n + 1, sizeof(*s->loff));
                s->loff[s->n] = s->store.len;
                p = line;
                for (c = 0; c < DM_CU_NCOLS; c++) {
                        tab = strchr(p, '\t');
                        if (!tab && c < DM_CU_NCOLS - 1) {
                                dm_str_seterr(errstr, errstr_size,
                                              "%s:%d: %d columns, CoNLL-U has 10", name,
                                              dm_lines_number(it), c + 1);
                                return -1;
                        }
                        if (tab)
                                *tab = 0;
                        dm_buf_append(&s->store, p, strlen(p) + 1);
                        p = tab ? tab + 1 : p + strlen(p);
                }
                if (atoi(line) != (int)s->n + 1) {
                        dm_str_seterr(errstr, errstr_size, "%s:%d: word %s out of sequence", name,
                                      dm_lines_number(it), line);
                        return -1;
                }
                s->n++;
        }
        fix_columns(s);
        for (len = 0; len < s->n; len++) {
                const char *h = s->w[len].col[DM_CU_HEAD];
                s->w[len].head = (*h >= '0' && *h <= '9') ? atoi(h) : -1;
                if (s->w[len].head > (int)s->n) {
                        dm_str_seterr(errstr, errstr_size, "%s: head %d beyond the sentence", name,
                                      s->w[len].head);
                        return -1;
                }
        }
        return s->n || s->nx ? 1 : 0;
}

void dm_conllu_write(dm_buf_t *b, const dm_conllu_sent_t *s)
{
        size_t i, x = 0;
        for (i = 0; i <= s->n; i++) {
                while (x < s->nx && s->x[x].before == i) {
                        dm_buf_puts(b, s->x[x++].line);
                        dm_buf_putc(b, '\n');
                }
                if (i < s->n) {
                        int c;
                        for (c = 0; c < DM_CU_NCOLS; c++) {
                                if (c)
                                        dm_buf_putc(b, '\t');
                                dm_buf_puts(b, s->w[i].col[c]);
                        }
                        dm_buf_putc(b, '\n');
                }
        }
        dm_buf_putc(b, '\n');
}

int dm_conllu_load(const char *path, size_t max_sents, dm_conllu_doc_t *d, char *errstr,
                   size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        size_t cap = 0;
        int rc = -1, r;
        memset(d, 0, sizeof(*d));
        if (!it)
                return -1;
        for (;;) {
                if (max_sents && d->n >= max_sents)
                        break;
                dm_grow((void **)&d->s, &cap, d->n + 1, sizeof(*d->s));
                dm_conllu_sent_init(&d->s[d->n]);
                r = dm_conllu_read(it, path, &d->s[d->n], errstr, errstr_size);
                if (r < 0) {
                        dm_conllu_sent_free(&d->s[d->n]);
                        goto out;
                }
                if (r == 0) {
                        dm_conllu_sent_free(&d->s[d->n]);
                        break;
                }
                d->n++;
        }
        rc = 0;
out:
        dm_lines_destroy(it);
        if (rc)
                dm_conllu_doc_free(d);
        return rc;
}

void dm_conllu_doc_free(dm_conllu_doc_t *d)
{
        size_t i;
        for (i = 0; i < d->n; i++)
                dm_conllu_sent_free(&d->s[i]);
        free(d->s);
        memset(d, 0, sizeof(*d));
}
