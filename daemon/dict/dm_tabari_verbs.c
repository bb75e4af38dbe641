#include "dict/dm_tabari_verbs.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dm_tv_state {
        dm_tabari_loader_t *ld;
        const char *path;
        int line;
        long verb;       /* current verb index, -1 none */
        long synset;     /* current synset group, -1 none */
        int section;     /* 0 none, 1 synsets, 2 time, 3 other ignored */
        int phoenix;     /* a "--- NAME [code] ---" header was seen */
        long group_verb; /* Phoenix: verb of the current header */
} dm_tv_state_t;

static void __attribute__((format(printf, 2, 3)))
dm_tv_warn(dm_tv_state_t *st, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        dm_tabari_vwarn(st->ld, st->path, st->line, fmt, ap);
        va_end(ap);
}

/* Extracts the code inside the last [..] of s (blanks removed) into code;
 * cuts s at the '['. Returns 0, or -1 when there is no complete block. */
static int dm_tv_take_code(char *s, char *code, size_t size)
{
        char *lb = strrchr(s, '['), *rb, *p;
        size_t n = 0;
        if (!lb)
                return -1;
        rb = strchr(lb, ']');
        if (!rb)
                return -1;
        for (p = lb + 1; p < rb && n + 1 < size; p++)
                if (!isspace((unsigned char)*p))
                        code[n++] = (char)toupper((unsigned char)*p);
        code[n] = '\0';
        *lb = '\0';
        return n ? 0 : -1;
}

static long dm_tv_new_verb(dm_lex_t *lx, const char *code, const char *phrase)
{
        dm_lex_verb_t *v;
        dm_grow((void **)&lx->verbs, &lx->verbs_cap, lx->nverbs + 1, sizeof(*v));
        v = &lx->verbs[lx->nverbs];
        memset(v, 0, sizeof(*v));
        v->code = dm_lex_str(lx, code, strlen(code));
        v->phrase = dm_lex_str(lx, phrase, strlen(phrase));
        return (long)lx->nverbs++;
}

/* Adds a root or form phrase for verb; returns the verb the phrase belongs
 * to (an earlier duplicate's verb when the phrase was seen before). */
static long dm_tv_add_form(dm_tv_state_t *st, const char *phrase, long verb, int dup_warn)
{
        dm_lex_t *lx = st->ld->lx;
        dm_lex_seq_t seq;
        uint32_t len;
        const char *why = NULL;
        long prev;
        if (dm_lex_compile(lx, phrase, &seq, &len, &why)) {
                dm_tv_warn(st, "%s: skipped", why);
                return verb;
        }
        prev = dm_tabari_seen(st->ld, DM_LK_VERB, phrase, (uint32_t)lx->nentries);
        if (prev >= 0) {
                if (dup_warn)
                        dm_tv_warn(st, "duplicate verb %s: its patterns join the first", phrase);
                return (long)lx->entries[prev].payload;
        }
        dm_lex_add_entry(lx, DM_LK_VERB, seq, phrase, (uint32_t)verb, 0, len);
        st->ld->counts[DM_LK_VERB]++;
        return verb;
}

/* "{ FORM1 FORM2_ ... }": irregular forms sharing the verb's patterns. */
static void dm_tv_forms(dm_tv_state_t *st, char *s, long verb)
{
        char *rb = strchr(s, '}'), *tok, *save = NULL;
        if (!rb) {
                dm_tv_warn(st, "unterminated { verb forms }: skipped");
                return;
        }
        *rb = '\0';
        for (tok = strtok_r(s, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
                dm_tv_add_form(st, tok, verb, 0);
}

/* Phoenix patterns mark noun phrases with ( ) and { }: without a parse
 * tree we read them as plain word sequences. */
static void dm_tv_phoenix_flatten(char *s)
{
        for (; *s; s++)
                if (strchr("(){}", *s))
                        *s = ' ';
}

static void dm_tv_pattern(dm_tv_state_t *st, char *s)
{
        dm_lex_t *lx = st->ld->lx;
        char code[64];
        dm_lex_seq_t seq;
        uint32_t len, i;
        const char *why = NULL;
        dm_lex_pattern_t *p;
        int has_verb = 0;
        size_t first_el;
        char *text;
        if (st->verb < 0) {
                dm_tv_warn(st, "pattern before any verb: skipped");
                return;
        }
        if (dm_tv_take_code(s, code, sizeof(code))) {
                dm_tv_warn(st, "pattern without a [CODE]: skipped");
                return;
        }
        text = dm_str_trim(s + 1);
        if (st->phoenix)
                dm_tv_phoenix_flatten(text);
        first_el = lx->nels;
        if (dm_lex_compile(lx, text, &seq, &len, &why)) {
                dm_tv_warn(st, "%s: pattern skipped", why);
                return;
        }
        dm_lex_no_endings(lx, first_el);
        dm_grow((void **)&lx->pats, &lx->pats_cap, lx->npats + 1, sizeof(*p));
        p = &lx->pats[lx->npats];
        memset(p, 0, sizeof(*p));
        for (i = 0; i < seq.count; i++) {
                uint8_t t = lx->els[seq.first + i].type;
                has_verb += t == DM_EL_VERB;
                p->has_src |= t == DM_EL_SRC;
                p->has_tgt |= t == DM_EL_TGT;
                p->has_comp |= t == DM_EL_COMP;
                p->has_group |= t == DM_EL_GROUP;
        }
        if (has_verb != 1) {
                dm_tv_warn(st, "pattern needs exactly one verb marker *: skipped");
                return;
        }
        p->seq = seq;
        p->code = dm_lex_str(lx, code, strlen(code));
        {
                /* "ROOT - PATTERN", so that an event shows why it was coded. */
                char *full = dm_asprintf("%s - %s", lx->str + lx->verbs[st->verb].phrase, text);
                p->phrase = dm_lex_str(lx, full, strlen(full));
                free(full);
        }
        p->length = len;
        p->verb = (uint32_t)st->verb;
        p->order = (uint32_t)lx->npats;
        lx->npats++;
}

static void dm_tv_synset_member(dm_tv_state_t *st, char *s)
{
        dm_lex_seq_t seq;
        uint32_t len;
        const char *why = NULL;
        size_t first_el = st->ld->lx->nels;
        if (dm_lex_compile(st->ld->lx, s, &seq, &len, &why)) {
                dm_tv_warn(st, "%s: synset member skipped", why);
                return;
        }
        dm_lex_no_endings(st->ld->lx, first_el);
        dm_lex_group_add(st->ld->lx, (uint32_t)st->synset, seq);
}

static void dm_tv_time(dm_tv_state_t *st, char *s)
{
        char code[64];
        dm_lex_seq_t seq;
        uint32_t len;
        const char *why = NULL;
        dm_lex_t *lx = st->ld->lx;
        if (*s == '-')
                return; /* time patterns: not supported, time shifts by phrase only */
        if (dm_tv_take_code(s, code, sizeof(code))) {
                dm_tv_warn(st, "time phrase without a [CODE]: skipped");
                return;
        }
        s = dm_str_trim(s);
        if (dm_lex_compile(lx, s, &seq, &len, &why)) {
                dm_tv_warn(st, "%s: time phrase skipped", why);
                return;
        }
        dm_lex_add_entry(lx, DM_LK_TIME, seq, s, dm_lex_str(lx, code, strlen(code)), 0, len);
        st->ld->counts[DM_LK_TIME]++;
}

static void dm_tv_root(dm_tv_state_t *st, char *t)
{
        char code[64], *brace = strchr(t, '{');
        int has_code;
        if (brace)
                *brace = '\0';
        has_code = dm_tv_take_code(t, code, sizeof(code)) == 0;
        t = dm_str_trim(t);
        if (!*t) {
                dm_tv_warn(st, "verb phrase missing: skipped");
                st->verb = -1;
                return;
        }
        if (st->group_verb >= 0 && !has_code) {
                st->verb = dm_tv_add_form(st, t, st->group_verb, 1);
        } else if (!has_code) {
                dm_tv_warn(st, "verb %s has no [CODE]: skipped", t);
                st->verb = -1;
                return;
        } else {
                long v = dm_tv_new_verb(st->ld->lx, code, t);
                st->verb = dm_tv_add_form(st, t, v, 1);
        }
        if (brace) {
                *brace = '{';
                dm_tv_forms(st, brace + 1, st->verb);
        }
}

static void dm_tv_line(dm_tv_state_t *st, char *t)
{
        if (*t == '<') {
                if (!strncasecmp(t, "<SYNSET", 7))
                        st->section = 1;
                else if (!strncasecmp(t, "<TIME", 5))
                        st->section = 2;
                else if (t[1] == '/')
                        st->section = 0;
                else
                        st->section = 3;
                st->synset = -1;
                return;
        }
        if (st->section == 3)
                return;
        if (*t == '&') {
                char name[128];
                size_t n = 0;
                t++;
                while (*t && !isspace((unsigned char)*t) && n + 1 < sizeof(name))
                        name[n++] = (char)toupper((unsigned char)*t++);
                name[n] = '\0';
                if (!n) {
                        dm_tv_warn(st, "synset without a name: skipped");
                        return;
                }
                st->synset = (long)dm_lex_synset(st->ld->lx, name);
                return;
        }
        if (*t == '+') {
                if (st->synset >= 0)
                        dm_tv_synset_member(st, dm_str_trim(t + 1));
                /* Phoenix "+IRON_OUT" / "+ANGERED_BY {}": a multi-word verb of
                 * the group under the current header. */
                else if (st->group_verb >= 0)
                        dm_tv_root(st, t + 1);
                return;
        }
        st->synset = -1;
        if (st->section == 2) {
                dm_tv_time(st, t);
                return;
        }
        if (!strncmp(t, "---", 3) && isspace((unsigned char)t[3])) {
                char code[64], *end = strstr(t + 3, "---");
                st->phoenix = 1;
                if (end)
                        *end = '\0';
                if (dm_tv_take_code(t + 3, code, sizeof(code)))
                        snprintf(code, sizeof(code), "---");
                st->group_verb = dm_tv_new_verb(st->ld->lx, code, dm_str_trim(t + 3));
                st->verb = -1;
                return;
        }
        if (*t == '-') {
                dm_tv_pattern(st, t);
                return;
        }
        if (*t == '{') {
                if (st->verb < 0) {
                        dm_tv_warn(st, "verb forms before any verb: skipped");
                        return;
                }
                dm_tv_forms(st, t + 1, st->verb);
                return;
        }
        dm_tv_root(st, t);
}

int dm_tabari_verbs_load(dm_tabari_loader_t *ld, const char *path, char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        size_t n;
        dm_tv_state_t st;
        int in_xml_comment = 0;
        if (!it)
                return -1;
        memset(&st, 0, sizeof(st));
        st.ld = ld;
        st.path = path;
        st.verb = -1;
        st.synset = -1;
        st.group_verb = -1;
        while ((line = dm_lines_next(it, &n))) {
                char *t;
                st.line = dm_lines_number(it);
                if (n != strlen(line)) {
                        dm_tv_warn(&st, "NUL byte in line: skipped");
                        continue;
                }
                t = dm_str_trim(line);
                if (dm_tabari_xml_comment(t, &in_xml_comment))
                        continue;
                if (!*t || *t == '#' || (*t == '/' && t[1] != '*'))
                        continue;
                if (!strncmp(t, "~~", 2) || !strncmp(t, "~FINISH", 7))
                        break;
                dm_tabari_strip_comment(t);
                t = dm_str_trim(t);
                if (*t)
                        dm_tv_line(&st, t);
        }
        dm_lines_destroy(it);
        return 0;
}

/* Issues: TABARI "<ISSUE CATEGORY=...>" blocks of "PHRASE [CODE]"; Phoenix
 * adds "n:" part-of-speech marks and '+' joiners, which we drop, and '~'
 * null phrases, which we skip. */
int dm_tabari_verbs_load_issues(dm_tabari_loader_t *ld, const char *path, char *errstr,
                                size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        size_t n;
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, &n))) {
                char *t, code[64], buf[512], *p, *q;
                dm_lex_seq_t seq;
                uint32_t len;
                const char *why = NULL;
                int lineno = dm_lines_number(it);
                if (n != strlen(line))
                        continue;
                t = dm_str_trim(line);
                if (!*t || *t == '#' || *t == '<' || *t == '~')
                        continue;
                dm_tabari_strip_comment(t);
                if (dm_tv_take_code(t, code, sizeof(code))) {
                        dm_tabari_warn(ld, path, lineno, "issue phrase without a [CODE]");
                        continue;
                }
                for (p = dm_str_trim(t), q = buf; *p && q + 1 < buf + sizeof(buf); p++) {
                        if ((*p == 'n' || *p == 'N' || *p == 'v' || *p == 'a') && p[1] == ':') {
                                p++;
                                continue;
                        }
                        *q++ = *p == '+' ? '_' : *p;
                }
                *q = '\0';
                if (dm_lex_compile(ld->lx, buf, &seq, &len, &why)) {
                        dm_tabari_warn(ld, path, lineno, "%s: issue skipped", why);
                        continue;
                }
                dm_lex_add_entry(ld->lx, DM_LK_ISSUE, seq, buf,
                                 dm_lex_str(ld->lx, code, strlen(code)), 0, len);
                ld->counts[DM_LK_ISSUE]++;
        }
        dm_lines_destroy(it);
        return 0;
}

/* Phoenix discards: one phrase a line; a leading '+' marks story-level
 * discards, which at sentence level we treat the same. */
int dm_tabari_verbs_load_discards(dm_tabari_loader_t *ld, const char *path, char *errstr,
                                  size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        size_t n;
        if (!it)
                return -1;
        while ((line = dm_lines_next(it, &n))) {
                char *t;
                dm_lex_seq_t seq;
                uint32_t len;
                const char *why = NULL;
                int lineno = dm_lines_number(it);
                if (n != strlen(line))
                        continue;
                t = dm_str_trim(line);
                if (!*t || *t == '#')
                        continue;
                dm_tabari_strip_comment(t);
                t = dm_str_trim(*t == '+' ? t + 1 : t);
                if (!*t)
                        continue;
                if (dm_lex_compile(ld->lx, t, &seq, &len, &why)) {
                        dm_tabari_warn(ld, path, lineno, "%s: discard skipped", why);
                        continue;
                }
                if (dm_tabari_seen(ld, DM_LK_DISCARD, t, (uint32_t)ld->lx->nentries) >= 0)
                        continue;
                dm_lex_add_entry(ld->lx, DM_LK_DISCARD, seq, t, dm_lex_str(ld->lx, "###", 3), 0,
                                 len);
                ld->counts[DM_LK_DISCARD]++;
        }
        dm_lines_destroy(it);
        return 0;
}
