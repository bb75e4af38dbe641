#include "dict/dm_rules.h"

#include "demarche/dm_lines.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dm_rules {
        dm_frame_rule_t *frames;
        size_t frame_count, frame_cap;
        dm_dom_rule_t *dom;
        size_t dom_count, dom_cap;
        /* DM_PHRASE_KEYS rows of dom_words words: the frames each first-word
         * key can start (dm_rules_domestic_candidates). */
        uint64_t *dom_index;
        size_t dom_words;
        dm_dom_group_t *groups;
        size_t group_count, group_cap;
        char **codes[DM_CODES_COUNT]; /* NULL-terminated prefixes */
        size_t code_count[DM_CODES_COUNT], code_cap[DM_CODES_COUNT];
        char **agents[DM_AGENTS_COUNT]; /* NULL-terminated */
        size_t agent_count[DM_AGENTS_COUNT], agent_cap[DM_AGENTS_COUNT];
};

/* The list-valued fields of a block, compiled when the block ends. */
enum {
        DM_RL_TRIGGERS,
        DM_RL_NOUNS,
        DM_RL_PREPS,
        DM_RL_DEEDS,
        DM_RL_WORDS,
        DM_RL_UNLESS,
        DM_RL_SAID,
        DM_RL_COUNT
};

static const char *const dm_rules_list_names[DM_RL_COUNT + 1] = {
    "triggers", "nouns", "preps", "deeds", "words", "unless", "said", NULL};

typedef enum { DM_RB_NONE = 0, DM_RB_FRAME, DM_RB_DOMESTIC, DM_RB_GROUP } dm_rules_block_t;

/* One file's reading state. */
typedef struct dm_rules_rd {
        dm_rules_t *r;
        const char *path;
        int line;
        char *err;
        size_t err_size;
        /* Named lists of this file: "@NAME" and the expanded text. */
        char **names, **texts;
        size_t nnames, names_cap;
        char **open_text; /* what a '|' continuation line appends to */
        dm_rules_block_t block;
        int block_line;
        char *lists[DM_RL_COUNT]; /* the open block's lists, NULL none */
        int gap, has_gap;
} dm_rules_rd_t;

static const char *const dm_rules_frame_kinds[] = {"subject",   "nominal",    "passive", "object",
                                                   "symmetric", "gap-target", NULL};
static const char *const dm_rules_dom_kinds[] = {"verb", "nominal", "victim", NULL};
static const char *const dm_rules_targets[] = {"none", "object", "against", "prep", NULL};
static const char *const dm_rules_classes[] = {"state", "civil", "armed", NULL};
static const char *const dm_rules_flags[] = {
    "says",    "need-target", "target-civil", "target-armed", "target-not-state", "abroad",
    "numbers", NULL};
static const char *const dm_rules_code_sets[] = {"statements", "state-acts",       "place-targets",
                                                 "violence",   "plain-statements", NULL};
static const char *const dm_rules_agent_sets[] = {"private", "state", "armed", NULL};

static int dm_rules_fail(dm_rules_rd_t *rd, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "path:line: message" to the caller's errstr; returns -1. */
static int dm_rules_fail(dm_rules_rd_t *rd, int line, const char *fmt, ...)
{
        char msg[256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        snprintf(rd->err, rd->err_size, "%s:%d: %s", rd->path, line, msg);
        return -1;
}

static int dm_rules_keyword(const char *w, const char *const *kw)
{
        int k;
        for (k = 0; kw[k]; k++)
                if (!strcmp(w, kw[k]))
                        return k;
        return -1;
}

/* The next space-separated word of *s, NUL-terminated in place; NULL at the
 * end. */
static char *dm_rules_word(char **s)
{
        char *p = *s, *w;
        while (*p && isspace((unsigned char)*p))
                p++;
        if (!*p)
                return NULL;
        w = p;
        while (*p && !isspace((unsigned char)*p))
                p++;
        if (*p)
                *p++ = '\0';
        *s = p;
        return w;
}

static int dm_rules_is_code(const char *s, size_t min)
{
        size_t n = strlen(s), k;
        if (n < min || n > 4)
                return 0;
        for (k = 0; k < n; k++)
                if (!isdigit((unsigned char)s[k]))
                        return 0;
        return 1;
}

static int dm_rules_is_agent(const char *s)
{
        return strlen(s) == 3 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
               isupper((unsigned char)s[2]);
}

/* Appends the alternatives of text (one line's worth, '|'-separated) to
 * *dst: each trimmed, its spaces made single, a named list's alternatives
 * for "@NAME". */
static int dm_rules_append(dm_rules_rd_t *rd, char **dst, char *text)
{
        char *alt, *save = NULL, *out = NULL;
        size_t k;
        int rc = -1;
        if (!*dm_str_trim(text))
                return dm_rules_fail(rd, rd->line, "%s", "empty phrase list");
        /* strtok_r would swallow an empty alternative: find them first. */
        {
                const char *p = dm_str_trim(text);
                if (*p == '|' || p[strlen(p) - 1] == '|' || strstr(p, "||"))
                        return dm_rules_fail(rd, rd->line, "%s", "empty phrase in list");
                for (; *p; p++)
                        if (*p == '|') {
                                const char *q = p + 1;
                                while (*q == ' ' || *q == '\t')
                                        q++;
                                if (*q == '|')
                                        return dm_rules_fail(rd, rd->line, "%s",
                                                             "empty phrase in list");
                        }
        }
        for (alt = strtok_r(text, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
                char *a = dm_str_trim(alt), *piece;
                if (!*a) {
                        dm_rules_fail(rd, rd->line, "%s", "empty phrase in list");
                        goto out;
                }
                if (a[0] == '@') {
                        for (k = 0; k < rd->nnames && strcmp(rd->names[k], a); k++)
                                ;
                        if (k == rd->nnames) {
                                dm_rules_fail(rd, rd->line, "unknown list %s", a);
                                goto out;
                        }
                        piece = dm_strdup(rd->texts[k]);
                } else {
                        char *s = a, *w, *o;
                        piece = dm_calloc(1, strlen(a) + 1);
                        o = piece;
                        while ((w = dm_rules_word(&s))) {
                                if (o != piece)
                                        *o++ = ' ';
                                o = stpcpy(o, w);
                        }
                        if (dm_phrases_check(piece, rd->err, rd->err_size)) {
                                char msg[200];
                                snprintf(msg, sizeof(msg), "%s", rd->err);
                                free(piece);
                                dm_rules_fail(rd, rd->line, "%s", msg);
                                goto out;
                        }
                }
                if (out) {
                        char *j = dm_asprintf("%s|%s", out, piece);
                        free(out);
                        free(piece);
                        out = j;
                } else {
                        out = piece;
                }
        }
        if (*dst) {
                char *j = dm_asprintf("%s|%s", *dst, out);
                free(*dst);
                *dst = j;
        } else {
                *dst = out;
                out = NULL;
        }
        rc = 0;
out:
        free(out);
        return rc;
}

static const dm_phrase_list_t *dm_rules_take(dm_rules_rd_t *rd, int which)
{
        dm_phrase_list_t *l = rd->lists[which] ? dm_phrase_list_new(rd->lists[which]) : NULL;
        free(rd->lists[which]);
        rd->lists[which] = NULL;
        return l;
}

/* Closes the open block: its lists are compiled into its row, which must
 * have what its kind needs. */
static int dm_rules_close(dm_rules_rd_t *rd)
{
        dm_rules_t *r = rd->r;
        int k, rc = 0;
        rd->open_text = NULL;
        if (rd->block == DM_RB_FRAME) {
                dm_frame_rule_t *f = &r->frames[r->frame_count - 1];
                if (f->kind != DM_FRAME_NOMINAL && !rd->lists[DM_RL_TRIGGERS])
                        rc = dm_rules_fail(rd, rd->block_line, "frame %s has no triggers", f->name);
                else if ((f->kind == DM_FRAME_NOMINAL || f->kind == DM_FRAME_PASSIVE ||
                          f->kind == DM_FRAME_GAP_TARGET) &&
                         !rd->lists[DM_RL_NOUNS])
                        rc = dm_rules_fail(rd, rd->block_line, "frame %s has no nouns", f->name);
                f->triggers = dm_rules_take(rd, DM_RL_TRIGGERS);
                f->nouns = dm_rules_take(rd, DM_RL_NOUNS);
                f->preps = dm_rules_take(rd, DM_RL_PREPS);
                f->deeds = dm_rules_take(rd, DM_RL_DEEDS);
                f->gap = rd->gap;
        } else if (rd->block == DM_RB_DOMESTIC) {
                dm_dom_rule_t *d = &r->dom[r->dom_count - 1];
                if (!rd->lists[DM_RL_TRIGGERS])
                        rc = dm_rules_fail(rd, rd->block_line, "domestic frame %s has no triggers",
                                           d->name);
                else if (d->kind != DM_DOM_VERB && !rd->lists[DM_RL_NOUNS])
                        rc = dm_rules_fail(rd, rd->block_line, "domestic frame %s has no nouns",
                                           d->name);
                else if (!d->cls)
                        rc = dm_rules_fail(rd, rd->block_line,
                                           "domestic frame %s says not who does it (by)", d->name);
                d->triggers = dm_rules_take(rd, DM_RL_TRIGGERS);
                d->nouns = dm_rules_take(rd, DM_RL_NOUNS);
                d->unless = dm_rules_take(rd, DM_RL_UNLESS);
                d->said = dm_rules_take(rd, DM_RL_SAID);
                d->gap = rd->gap;
        } else if (rd->block == DM_RB_GROUP) {
                dm_dom_group_t *g = &r->groups[r->group_count - 1];
                if (!rd->lists[DM_RL_WORDS])
                        rc = dm_rules_fail(rd, rd->block_line, "group %s has no words", g->agent);
                g->words = dm_rules_take(rd, DM_RL_WORDS);
        }
        for (k = 0; k < DM_RL_COUNT; k++) {
                free(rd->lists[k]);
                rd->lists[k] = NULL;
        }
        rd->block = DM_RB_NONE;
        rd->gap = rd->has_gap = 0;
        return rc;
}

/* "frame NAME CODE KIND", "domestic NAME CODE KIND", "group AGENT CLASS". */
static int dm_rules_header(dm_rules_rd_t *rd, const char *what, char *rest)
{
        dm_rules_t *r = rd->r;
        char *a = dm_rules_word(&rest), *b = dm_rules_word(&rest), *c = dm_rules_word(&rest);
        size_t k;
        int kind;
        if (!strcmp(what, "group")) {
                if (!a || !b || c)
                        return dm_rules_fail(rd, rd->line, "%s", "expected: group AGENT CLASS");
                if (!dm_rules_is_agent(a))
                        return dm_rules_fail(rd, rd->line, "bad agent code \"%s\"", a);
                if ((kind = dm_rules_keyword(b, dm_rules_classes)) < 0)
                        return dm_rules_fail(rd, rd->line,
                                             "unknown class \"%s\" (state, civil, armed)", b);
                dm_grow((void **)&r->groups, &r->group_cap, r->group_count + 1, sizeof(*r->groups));
                memset(&r->groups[r->group_count], 0, sizeof(r->groups[0]));
                r->groups[r->group_count].agent = dm_strdup(a);
                r->groups[r->group_count++].cls = 1 << kind;
                rd->block = DM_RB_GROUP;
                return 0;
        }
        if (!a || !b || !c || dm_rules_word(&rest))
                return dm_rules_fail(rd, rd->line, "expected: %s NAME CODE KIND", what);
        if (!dm_rules_is_code(b, 2))
                return dm_rules_fail(rd, rd->line, "bad CAMEO code \"%s\"", b);
        if (!strcmp(what, "frame")) {
                if ((kind = dm_rules_keyword(c, dm_rules_frame_kinds)) < 0)
                        return dm_rules_fail(rd, rd->line, "unknown frame kind \"%s\"", c);
                for (k = 0; k < r->frame_count; k++)
                        if (!strcmp(r->frames[k].name, a))
                                return dm_rules_fail(rd, rd->line, "frame %s given twice", a);
                dm_grow((void **)&r->frames, &r->frame_cap, r->frame_count + 1, sizeof(*r->frames));
                memset(&r->frames[r->frame_count], 0, sizeof(r->frames[0]));
                r->frames[r->frame_count].name = dm_strdup(a);
                r->frames[r->frame_count].code = dm_strdup(b);
                r->frames[r->frame_count++].kind = (dm_frame_kind_t)kind;
                rd->block = DM_RB_FRAME;
                return 0;
        }
        if ((kind = dm_rules_keyword(c, dm_rules_dom_kinds)) < 0)
                return dm_rules_fail(rd, rd->line, "unknown domestic kind \"%s\"", c);
        for (k = 0; k < r->dom_count; k++)
                if (!strcmp(r->dom[k].name, a))
                        return dm_rules_fail(rd, rd->line, "domestic frame %s given twice", a);
        dm_grow((void **)&r->dom, &r->dom_cap, r->dom_count + 1, sizeof(*r->dom));
        memset(&r->dom[r->dom_count], 0, sizeof(r->dom[0]));
        r->dom[r->dom_count].name = dm_strdup(a);
        r->dom[r->dom_count].code = dm_strdup(b);
        r->dom[r->dom_count].agent = dm_strdup("");
        r->dom[r->dom_count++].kind = (dm_dom_kind_t)kind;
        rd->block = DM_RB_DOMESTIC;
        return 0;
}

/* An indented line: a field of the open block. */
static int dm_rules_field(dm_rules_rd_t *rd, char *line)
{
        char *key = dm_rules_word(&line), *v;
        int k;
        if (rd->block == DM_RB_NONE)
                return dm_rules_fail(rd, rd->line,
                                     "field \"%s\" outside a frame, domestic or group", key);
        k = dm_rules_keyword(key, dm_rules_list_names);
        if (k >= 0) {
                /* Which block takes which list. */
                int ok = rd->block == DM_RB_GROUP   ? k == DM_RL_WORDS
                         : rd->block == DM_RB_FRAME ? k <= DM_RL_DEEDS
                                                    : k == DM_RL_TRIGGERS || k == DM_RL_NOUNS ||
                                                          k == DM_RL_UNLESS || k == DM_RL_SAID;
                if (!ok)
                        return dm_rules_fail(rd, rd->line, "field \"%s\" not allowed here", key);
                if (rd->lists[k])
                        return dm_rules_fail(rd, rd->line,
                                             "field \"%s\" given twice (continue a list with a "
                                             "line starting with '|')",
                                             key);
                if (dm_rules_append(rd, &rd->lists[k], line))
                        return -1;
                rd->open_text = &rd->lists[k];
                return 0;
        }
        rd->open_text = NULL;
        if (!strcmp(key, "gap") && rd->block != DM_RB_GROUP) {
                char *end;
                long g;
                v = dm_rules_word(&line);
                g = v ? strtol(v, &end, 10) : -1;
                if (!v || *end || g < 0 || g > 64 || dm_rules_word(&line))
                        return dm_rules_fail(rd, rd->line, "%s", "gap: expected a number 0-64");
                rd->gap = (int)g;
                return 0;
        }
        if (rd->block == DM_RB_FRAME && !strcmp(key, "official") && !dm_rules_word(&line)) {
                rd->r->frames[rd->r->frame_count - 1].official = 1;
                return 0;
        }
        if (rd->block == DM_RB_DOMESTIC) {
                dm_dom_rule_t *d = &rd->r->dom[rd->r->dom_count - 1];
                if (!strcmp(key, "by")) {
                        int c;
                        while ((v = dm_rules_word(&line))) {
                                if ((c = dm_rules_keyword(v, dm_rules_classes)) < 0)
                                        return dm_rules_fail(
                                            rd, rd->line,
                                            "unknown class \"%s\" (state, civil, armed)", v);
                                d->cls |= 1 << c;
                        }
                        return d->cls ? 0
                                      : dm_rules_fail(rd, rd->line, "%s", "by: expected classes");
                }
                if (!strcmp(key, "target")) {
                        v = dm_rules_word(&line);
                        if (!v || (k = dm_rules_keyword(v, dm_rules_targets)) < 0 ||
                            dm_rules_word(&line))
                                return dm_rules_fail(rd, rd->line, "%s",
                                                     "target: expected none, object, against or "
                                                     "prep");
                        d->target = (dm_dom_target_t)k;
                        return 0;
                }
                if (!strcmp(key, "agent")) {
                        v = dm_rules_word(&line);
                        if (!v || !dm_rules_is_agent(v) || dm_rules_word(&line))
                                return dm_rules_fail(rd, rd->line, "%s",
                                                     "agent: expected a three-letter agent code");
                        free((char *)d->agent);
                        d->agent = dm_strdup(v);
                        return 0;
                }
                if ((k = dm_rules_keyword(key, dm_rules_flags)) >= 0 && !dm_rules_word(&line)) {
                        d->flags |= 1u << k;
                        return 0;
                }
        }
        return dm_rules_fail(rd, rd->line, "unknown field \"%s\" here", key);
}

/* "codes SET PREFIX...", "agents SET AGENT...". */
static int dm_rules_set(dm_rules_rd_t *rd, int agents, char *rest)
{
        dm_rules_t *r = rd->r;
        char *set = dm_rules_word(&rest), *v;
        int k = set ? dm_rules_keyword(set, agents ? dm_rules_agent_sets : dm_rules_code_sets) : -1;
        char ***arr;
        size_t *count, *cap;
        if (k < 0)
                return dm_rules_fail(rd, rd->line, "unknown %s set", agents ? "agents" : "codes");
        arr = agents ? &r->agents[k] : &r->codes[k];
        count = agents ? &r->agent_count[k] : &r->code_count[k];
        cap = agents ? &r->agent_cap[k] : &r->code_cap[k];
        if (!(v = dm_rules_word(&rest)))
                return dm_rules_fail(rd, rd->line, "%s", "expected codes after the set's name");
        for (; v; v = dm_rules_word(&rest)) {
                if (agents ? !dm_rules_is_agent(v) : !dm_rules_is_code(v, 2))
                        return dm_rules_fail(
                            rd, rd->line,
                            agents ? "bad agent code \"%s\"" : "bad CAMEO code prefix \"%s\"", v);
                dm_grow((void **)arr, cap, *count + 2, sizeof(char *));
                (*arr)[(*count)++] = dm_strdup(v);
                (*arr)[*count] = NULL;
        }
        return 0;
}

/* "@NAME = ALT|ALT...". */
static int dm_rules_named(dm_rules_rd_t *rd, char *line)
{
        char *eq = strchr(line, '='), *name;
        size_t k;
        if (!eq)
                return dm_rules_fail(rd, rd->line, "%s", "expected: @NAME = PHRASE|PHRASE...");
        *eq = '\0';
        name = dm_str_trim(line);
        for (k = 1; name[k]; k++)
                if (!isupper((unsigned char)name[k]) && !isdigit((unsigned char)name[k]) &&
                    name[k] != '-' && name[k] != '_')
                        break;
        if (k == 1 || name[k])
                return dm_rules_fail(rd, rd->line, "bad list name \"%s\"", name);
        for (k = 0; k < rd->nnames; k++)
                if (!strcmp(rd->names[k], name))
                        return dm_rules_fail(rd, rd->line, "list %s given twice", name);
        dm_grow((void **)&rd->names, &rd->names_cap, rd->nnames + 1, sizeof(char *));
        rd->texts = dm_realloc(rd->texts, rd->names_cap * sizeof(char *));
        rd->texts[rd->nnames] = NULL;
        if (dm_rules_append(rd, &rd->texts[rd->nnames], eq + 1))
                return -1;
        rd->names[rd->nnames] = dm_strdup(name);
        rd->open_text = &rd->texts[rd->nnames++];
        return 0;
}

static int dm_rules_line(dm_rules_rd_t *rd, char *line)
{
        char *hash = strchr(line, '#'), *t, *rest, *what;
        if (hash)
                *hash = '\0';
        t = dm_str_trim(line);
        if (!*t)
                return 0;
        if (*t == '|') {
                if (!rd->open_text)
                        return dm_rules_fail(rd, rd->line, "%s",
                                             "a '|' line continues no list before it");
                return dm_rules_append(rd, rd->open_text, t + 1);
        }
        if (isspace((unsigned char)line[0]))
                return dm_rules_field(rd, t);
        if (dm_rules_close(rd))
                return -1;
        if (*t == '@')
                return dm_rules_named(rd, t);
        rest = t;
        what = dm_rules_word(&rest);
        rd->block_line = rd->line;
        if (!strcmp(what, "frame") || !strcmp(what, "domestic") || !strcmp(what, "group"))
                return dm_rules_header(rd, what, rest);
        if (!strcmp(what, "codes") || !strcmp(what, "agents"))
                return dm_rules_set(rd, !strcmp(what, "agents"), rest);
        return dm_rules_fail(rd, rd->line, "unknown statement \"%s\"", what);
}

/* Rebuilt after every file: a later file adds rows. */
static void dm_rules_index_domestic(dm_rules_t *r)
{
        uint64_t keys[DM_PHRASE_KEYS / 64];
        size_t k, key;
        free(r->dom_index);
        r->dom_words = (r->dom_count + 63) / 64;
        r->dom_index = dm_calloc(DM_PHRASE_KEYS * r->dom_words + 1, sizeof(uint64_t));
        for (k = 0; k < r->dom_count; k++) {
                const dm_dom_rule_t *d = &r->dom[k];
                memset(keys, 0, sizeof(keys));
                dm_phrase_list_keys(d->kind == DM_DOM_NOMINAL ? d->nouns : d->triggers, keys);
                for (key = 0; key < DM_PHRASE_KEYS; key++)
                        if (keys[key / 64] >> (key % 64) & 1u)
                                r->dom_index[key * r->dom_words + k / 64] |= (uint64_t)1
                                                                             << (k % 64);
        }
}

int dm_rules_load(dm_rules_t *r, const char *path, char *errstr, size_t errstr_size)
{
        dm_rules_rd_t rd;
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        size_t len, k;
        int rc = 0;
        if (!it)
                return -1;
        memset(&rd, 0, sizeof(rd));
        rd.r = r;
        rd.path = path;
        rd.err = errstr;
        rd.err_size = errstr_size;
        while (rc == 0 && (line = dm_lines_next(it, &len))) {
                rd.line = dm_lines_number(it);
                if (strlen(line) != len)
                        rc = dm_rules_fail(&rd, rd.line, "%s", "NUL byte in line");
                else
                        rc = dm_rules_line(&rd, line);
        }
        if (rc == 0)
                rc = dm_rules_close(&rd);
        dm_rules_index_domestic(r);
        for (k = 0; k < DM_RL_COUNT; k++)
                free(rd.lists[k]);
        for (k = 0; k < rd.nnames; k++) {
                free(rd.names[k]);
                free(rd.texts[k]);
        }
        free(rd.names);
        free(rd.texts);
        dm_lines_destroy(it);
        return rc;
}

dm_rules_t *dm_rules_new(void)
{
        return dm_calloc(1, sizeof(dm_rules_t));
}

void dm_rules_destroy(dm_rules_t *r)
{
        size_t k, j;
        if (!r)
                return;
        for (k = 0; k < r->frame_count; k++) {
                dm_frame_rule_t *f = &r->frames[k];
                free((char *)f->name);
                free((char *)f->code);
                dm_phrase_list_destroy((dm_phrase_list_t *)f->triggers);
                dm_phrase_list_destroy((dm_phrase_list_t *)f->nouns);
                dm_phrase_list_destroy((dm_phrase_list_t *)f->preps);
                dm_phrase_list_destroy((dm_phrase_list_t *)f->deeds);
        }
        for (k = 0; k < r->dom_count; k++) {
                dm_dom_rule_t *d = &r->dom[k];
                free((char *)d->name);
                free((char *)d->code);
                free((char *)d->agent);
                dm_phrase_list_destroy((dm_phrase_list_t *)d->triggers);
                dm_phrase_list_destroy((dm_phrase_list_t *)d->nouns);
                dm_phrase_list_destroy((dm_phrase_list_t *)d->unless);
                dm_phrase_list_destroy((dm_phrase_list_t *)d->said);
        }
        for (k = 0; k < r->group_count; k++) {
                free((char *)r->groups[k].agent);
                dm_phrase_list_destroy((dm_phrase_list_t *)r->groups[k].words);
        }
        for (k = 0; k < DM_CODES_COUNT; k++) {
                for (j = 0; j < r->code_count[k]; j++)
                        free(r->codes[k][j]);
                free(r->codes[k]);
        }
        for (k = 0; k < DM_AGENTS_COUNT; k++) {
                for (j = 0; j < r->agent_count[k]; j++)
                        free(r->agents[k][j]);
                free(r->agents[k]);
        }
        free(r->frames);
        free(r->dom);
        free(r->dom_index);
        free(r->groups);
        free(r);
}

int dm_rules_empty(const dm_rules_t *r)
{
        size_t k;
        for (k = 0; k < DM_CODES_COUNT; k++)
                if (r->code_count[k])
                        return 0;
        for (k = 0; k < DM_AGENTS_COUNT; k++)
                if (r->agent_count[k])
                        return 0;
        return !r->frame_count && !r->dom_count && !r->group_count;
}

const dm_frame_rule_t *dm_rules_frames(const dm_rules_t *r, size_t *n)
{
        *n = r->frame_count;
        return r->frames;
}

const dm_dom_rule_t *dm_rules_domestic(const dm_rules_t *r, size_t *n)
{
        *n = r->dom_count;
        return r->dom;
}

const uint64_t *dm_rules_domestic_candidates(const dm_rules_t *r, const char *word, size_t *nwords)
{
        *nwords = r->dom_words;
        return r->dom_words ? r->dom_index + dm_phrase_key(word) * r->dom_words : NULL;
}

const dm_dom_group_t *dm_rules_groups(const dm_rules_t *r, size_t *n)
{
        *n = r->group_count;
        return r->groups;
}

int dm_rules_code_in(const dm_rules_t *r, dm_rules_codes_t set, const char *code)
{
        size_t k;
        for (k = 0; k < r->code_count[set]; k++)
                if (!strncmp(code, r->codes[set][k], strlen(r->codes[set][k])))
                        return 1;
        return 0;
}

const char *const *dm_rules_agents(const dm_rules_t *r, dm_rules_agents_t set)
{
        static const char *const none[] = {NULL};
        return r->agent_count[set] ? (const char *const *)r->agents[set] : none;
}
