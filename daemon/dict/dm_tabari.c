#include "dict/dm_tabari.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_lines.h"
#include "demarche/dm_str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dm_tabari_loader_init(dm_tabari_loader_t *ld, dm_lex_t *lx)
{
        memset(ld, 0, sizeof(*ld));
        ld->lx = lx;
}

void dm_tabari_loader_free(dm_tabari_loader_t *ld)
{
        if (!ld)
                return;
        free(ld->seen);
        free(ld->seen_entry);
        ld->seen = NULL;
        ld->seen_entry = NULL;
}

typedef struct dm_tb_src {
        dm_tabari_loader_t *ld;
        const char *path;
        int line;
        uint8_t flags; /* DM_LEX_* for the entries of the current section */
} dm_tb_src_t;

void dm_tabari_vwarn(dm_tabari_loader_t *ld, const char *path, int line, const char *fmt,
                     va_list ap)
{
        char msg[512];
        vsnprintf(msg, sizeof(msg), fmt, ap);
        if (ld->warn)
                ld->warn(ld->ctx, path, line, msg);
}

void dm_tabari_warn(dm_tabari_loader_t *ld, const char *path, int line, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        dm_tabari_vwarn(ld, path, line, fmt, ap);
        va_end(ap);
}

static void __attribute__((format(printf, 2, 3))) dm_tb_warn(dm_tb_src_t *s, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        dm_tabari_vwarn(s->ld, s->path, s->line, fmt, ap);
        va_end(ap);
}

/* Normalised phrase hash for duplicate detection: upper case, hyphens as
 * underscores, runs of blanks collapsed. */
static uint64_t dm_tb_phrase_hash(dm_lex_kind_t kind, const char *p)
{
        uint64_t h = 1469598103934665603ULL ^ ((uint64_t)kind << 56);
        int blank = 0;
        while (*p && isspace((unsigned char)*p))
                p++;
        for (; *p; p++) {
                unsigned char c = (unsigned char)*p;
                if (isspace(c)) {
                        blank = 1;
                        continue;
                }
                if (blank) {
                        h ^= ' ';
                        h *= 1099511628211ULL;
                        blank = 0;
                }
                c = c == '-' ? '_' : (unsigned char)toupper(c);
                h ^= c;
                h *= 1099511628211ULL;
        }
        return h ? h : 1;
}

long dm_tabari_seen(dm_tabari_loader_t *ld, dm_lex_kind_t kind, const char *phrase, uint32_t entry)
{
        uint64_t h = dm_tb_phrase_hash(kind, phrase);
        size_t j;
        if (!ld->seen || (ld->seen_count + 1) * 2 > ld->seen_mask + 1) {
                size_t ncap = ld->seen ? (ld->seen_mask + 1) * 2 : 4096, i;
                uint64_t *ns = dm_calloc(ncap, sizeof(*ns));
                uint32_t *ne = dm_calloc(ncap, sizeof(*ne));
                for (i = 0; ld->seen && i <= ld->seen_mask; i++) {
                        size_t k;
                        if (!ld->seen[i])
                                continue;
                        k = ld->seen[i] & (ncap - 1);
                        while (ns[k])
                                k = (k + 1) & (ncap - 1);
                        ns[k] = ld->seen[i];
                        ne[k] = ld->seen_entry[i];
                }
                free(ld->seen);
                free(ld->seen_entry);
                ld->seen = ns;
                ld->seen_entry = ne;
                ld->seen_mask = ncap - 1;
        }
        j = h & ld->seen_mask;
        while (ld->seen[j]) {
                if (ld->seen[j] == h)
                        return (long)ld->seen_entry[j];
                j = (j + 1) & ld->seen_mask;
        }
        ld->seen[j] = h;
        ld->seen_entry[j] = entry;
        ld->seen_count++;
        return -1;
}

long dm_tabari_parse_date(const char *s, size_t n, int yyyy)
{
        long y, m, d;
        size_t i;
        /* Eight digits are always YYYYMMDD (Phoenix mixes them with YYMMDD
         * in one restriction); six are YYMMDD unless SET: YYYY is on. */
        if (n != 8 && (n != 6 || yyyy))
                return -1;
        for (i = 0; i < n; i++)
                if (!isdigit((unsigned char)s[i]))
                        return -1;
        if (n == 8) {
                y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
                s += 4;
        } else {
                y = (s[0] - '0') * 10 + (s[1] - '0');
                y += y <= 30 ? 2000 : 1900;
                s += 2;
        }
        m = (s[0] - '0') * 10 + (s[1] - '0');
        d = (s[2] - '0') * 10 + (s[3] - '0');
        if (m < 1 || m > 12 || d < 1 || d > 31)
                return -1;
        return y * 10000 + m * 100 + d;
}

/* Strips a comment: ';' anywhere outside brackets; '#' outside brackets
 * when it follows a blank (Phoenix). */
int dm_tabari_xml_comment(const char *t, int *in_comment)
{
        if (*in_comment) {
                *in_comment = strstr(t, "-->") == NULL;
                return 1;
        }
        if (strncmp(t, "<!--", 4))
                return 0;
        *in_comment = strstr(t + 4, "-->") == NULL;
        return 1;
}

void dm_tabari_strip_comment(char *s)
{
        int depth = 0;
        char *p;
        for (p = s; *p; p++) {
                if (*p == '[')
                        depth++;
                else if (*p == ']' && depth > 0)
                        depth--;
                else if (!depth &&
                         (*p == ';' || (*p == '#' && p > s && isspace((unsigned char)p[-1])))) {
                        *p = '\0';
                        break;
                }
        }
}

/* One actor code block "[CODE]", "[CODE <YYMMDD]", "[CODE >YYMMDD]",
 * "[CODE YYMMDD-YYMMDD]". Returns 0 or -1 (why set). */
static int dm_tb_parse_code(dm_tabari_loader_t *ld, const char *b, size_t n, dm_lex_code_t *out,
                            const char **why)
{
        char buf[256], code[128];
        size_t i = 0, k = 0;
        long lo, hi;
        if (n >= sizeof(buf)) {
                *why = "code block too long";
                return -1;
        }
        memcpy(buf, b, n);
        buf[n] = '\0';
        while (buf[i] == ' ' || buf[i] == '\t')
                i++;
        while (buf[i] && !isspace((unsigned char)buf[i]) && buf[i] != '<' && buf[i] != '>' &&
               k + 1 < sizeof(code))
                code[k++] = (char)toupper((unsigned char)buf[i++]);
        code[k] = '\0';
        if (!k) {
                *why = "no code in [...]";
                return -1;
        }
        for (k = 0; code[k]; k++)
                if (!isalnum((unsigned char)code[k]) && !strchr("/~-#+_", code[k])) {
                        *why = "invalid character in code";
                        return -1;
                }
        if (isdigit((unsigned char)code[0]) && strchr(code, '-')) {
                *why = "date restriction without a code";
                return -1;
        }
        out->code = dm_lex_str(ld->lx, code, strlen(code));
        out->lo = 0;
        out->hi = 99999999;
        while (isspace((unsigned char)buf[i]))
                i++;
        if (!buf[i])
                return 0;
        {
                char *p = buf + i, *dash;
                char *q;
                /* Remove blanks: "950601 - 990815", "< 950601". */
                for (q = p; *p; p++)
                        if (!isspace((unsigned char)*p))
                                *q++ = *p;
                *q = '\0';
                p = buf + i;
                if (*p == '<' || *p == '>') {
                        long dt = dm_tabari_parse_date(p + 1, strlen(p + 1), ld->yyyy);
                        if (dt < 0) {
                                *why = "invalid date restriction";
                                return -1;
                        }
                        if (*p == '<')
                                out->hi = (int32_t)dt;
                        else
                                out->lo = (int32_t)dt;
                        return 0;
                }
                dash = strchr(p, '-');
                if (!dash) {
                        *why = "invalid date restriction";
                        return -1;
                }
                lo = dm_tabari_parse_date(p, (size_t)(dash - p), ld->yyyy);
                hi = dm_tabari_parse_date(dash + 1, strlen(dash + 1), ld->yyyy);
                if (lo < 0 || hi < 0) {
                        *why = "invalid date restriction";
                        return -1;
                }
                out->lo = (int32_t)lo;
                out->hi = (int32_t)hi;
        }
        return 0;
}

/* A pending actor group: phrases sharing a list of codes. */
typedef struct dm_tb_group {
        char **phrases;
        int *lines;
        size_t nphrases, cap;
        dm_lex_code_t codes[32];
        size_t ncodes;
        int bad;
} dm_tb_group_t;

static void dm_tb_group_reset(dm_tb_group_t *g)
{
        size_t i;
        for (i = 0; i < g->nphrases; i++)
                free(g->phrases[i]);
        g->nphrases = 0;
        g->ncodes = 0;
        g->bad = 0;
}

static void dm_tb_add_phrase_entry(dm_tb_src_t *s, dm_lex_kind_t kind, const char *phrase,
                                   uint32_t payload, uint32_t ncodes)
{
        dm_tabari_loader_t *ld = s->ld;
        dm_lex_seq_t seq;
        uint32_t len, e;
        const char *why = NULL;
        long prev;
        if (dm_lex_compile(ld->lx, phrase, &seq, &len, &why)) {
                dm_tb_warn(s, "%s: skipped", why);
                return;
        }
        prev = dm_tabari_seen(ld, kind, phrase, (uint32_t)ld->lx->nentries);
        if (prev >= 0) {
                dm_tb_warn(s, "duplicate entry %s: keeping the first", phrase);
                return;
        }
        e = dm_lex_add_entry(ld->lx, kind, seq, phrase, payload, ncodes, len);
        if (kind == DM_LK_ACTOR)
                ld->lx->entries[e].flags = s->flags;
        ld->counts[kind]++;
}

static void dm_tb_group_flush(dm_tb_src_t *s, dm_tb_group_t *g, dm_lex_kind_t kind)
{
        dm_lex_t *lx = s->ld->lx;
        size_t i, ndef = 0;
        uint32_t first;
        int line = s->line;
        if (!g->nphrases)
                goto done;
        if (!g->ncodes && kind != DM_LK_NOUN && kind != DM_LK_ADJ) {
                s->line = g->lines[0];
                if (!g->bad)
                        dm_tb_warn(s, "entry %s has no [CODE]: skipped", g->phrases[0]);
                s->line = line;
                goto done;
        }
        for (i = 0; i < g->ncodes; i++)
                if (g->codes[i].lo == 0 && g->codes[i].hi == 99999999)
                        ndef++;
        /* A lone date restriction gets a null default (manual 6.5.2). */
        if (g->ncodes && ndef == 0 && g->ncodes < 32) {
                g->codes[g->ncodes].code = dm_lex_str(lx, "---", 3);
                g->codes[g->ncodes].lo = 0;
                g->codes[g->ncodes].hi = 99999999;
                g->ncodes++;
        }
        first = (uint32_t)lx->ncodes;
        for (i = 0; i < g->ncodes; i++) {
                dm_grow((void **)&lx->codes, &lx->codes_cap, lx->ncodes + 1, sizeof(*lx->codes));
                lx->codes[lx->ncodes++] = g->codes[i];
        }
        for (i = 0; i < g->nphrases; i++) {
                s->line = g->lines[i];
                if (kind == DM_LK_AGENT) {
                        const char *c = lx->str + g->codes[0].code;
                        if (!strchr(c, '~')) {
                                dm_tb_warn(s, "agent code without ~ connector: %s", c);
                                continue;
                        }
                        dm_tb_add_phrase_entry(s, kind, g->phrases[i], g->codes[0].code, 1);
                } else {
                        dm_tb_add_phrase_entry(s, kind, g->phrases[i], first, (uint32_t)g->ncodes);
                }
        }
        s->line = line;
done:
        dm_tb_group_reset(g);
}

/* Parses the [..] blocks of a line into the group; returns the text before
 * the first '[' (trimmed, in place) or NULL when there is none. */
static void dm_tb_group_codes(dm_tb_src_t *s, dm_tb_group_t *g, char *p)
{
        while ((p = strchr(p, '['))) {
                char *rb = strchr(p, ']');
                dm_lex_code_t c;
                const char *why = NULL;
                if (!rb) {
                        dm_tb_warn(s, "missing ]");
                        g->bad = 1;
                        return;
                }
                if (dm_tb_parse_code(s->ld, p + 1, (size_t)(rb - p - 1), &c, &why)) {
                        dm_tb_warn(s, "%s: code block skipped", why);
                        g->bad = 1;
                } else if (g->ncodes < 31) {
                        g->codes[g->ncodes++] = c;
                }
                p = rb + 1;
        }
}

static void dm_tb_group_phrase(dm_tb_group_t *g, const char *phrase, int line)
{
        dm_grow((void **)&g->phrases, &g->cap, g->nphrases + 1, sizeof(char *));
        g->lines = dm_realloc(g->lines, g->cap * sizeof(int));
        g->phrases[g->nphrases] = dm_strdup(phrase);
        g->lines[g->nphrases] = line;
        g->nphrases++;
}

/* Phoenix agents: "!PERSON! = MAN, MEN" macros expand inside phrases. */
typedef struct dm_tb_macro {
        char name[64];
        char *alts[32];
        int nalts;
} dm_tb_macro_t;

static void dm_tb_expand(dm_tb_group_t *g, const char *phrase, int line, dm_tb_macro_t *m, int nm,
                         int depth)
{
        const char *a = strchr(phrase, '!'), *b;
        const char *brace = strchr(phrase, '{');
        int i;
        if (brace && depth == 0) {
                /* Phoenix "PHRASE {PLURAL ...}": the forms in braces are more
                 * phrases of the entry ("{}" adds none). */
                char *base = dm_strndup(phrase, (size_t)(brace - phrase)), *forms, *tok, *save;
                const char *rb = strchr(brace, '}');
                dm_tb_expand(g, dm_str_trim(base), line, m, nm, 1);
                forms = dm_strndup(brace + 1, rb ? (size_t)(rb - brace - 1) : strlen(brace + 1));
                for (tok = strtok_r(forms, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save))
                        dm_tb_expand(g, tok, line, m, nm, 1);
                free(forms);
                free(base);
                return;
        }
        if (!a || depth > 4 || !(b = strchr(a + 1, '!'))) {
                dm_tb_group_phrase(g, phrase, line);
                return;
        }
        for (i = 0; i < nm; i++) {
                if (strlen(m[i].name) == (size_t)(b - a + 1) &&
                    !memcmp(m[i].name, a, (size_t)(b - a + 1))) {
                        int k;
                        for (k = 0; k < m[i].nalts; k++) {
                                char *x = dm_asprintf("%.*s%s%s", (int)(a - phrase), phrase,
                                                      m[i].alts[k], b + 1);
                                dm_tb_expand(g, x, line, m, nm, depth + 1);
                                free(x);
                        }
                        return;
                }
        }
        dm_tb_group_phrase(g, phrase, line);
}

int dm_tabari_load_actors(dm_tabari_loader_t *ld, const char *path, dm_lex_kind_t kind,
                          char *errstr, size_t errstr_size)
{
        dm_lines_t *it = dm_lines_new(path, errstr, errstr_size);
        char *line;
        size_t n;
        dm_tb_src_t s = {ld, path, 0, 0};
        dm_tb_group_t g;
        dm_lex_kind_t section = kind;
        dm_tb_macro_t macros[16];
        int nmacros = 0, i, in_xml_comment = 0;
        if (!it)
                return -1;
        memset(&g, 0, sizeof(g));
        memset(macros, 0, sizeof(macros));
        while ((line = dm_lines_next(it, &n))) {
                char *t, *lb;
                int indented;
                s.line = dm_lines_number(it);
                if (n != strlen(line)) {
                        dm_tb_warn(&s, "NUL byte in line: skipped");
                        continue;
                }
                indented = line[0] == ' ' || line[0] == '\t';
                t = dm_str_trim(line);
                if (dm_tabari_xml_comment(t, &in_xml_comment))
                        continue;
                if (!*t || *t == '#' || *t == '/')
                        continue;
                if (!strncmp(t, "~~", 2) || !strncmp(t, "~FINISH", 7))
                        break;
                if (*t == '!' && strchr(t, '=') && nmacros < 16) {
                        char *eq = strchr(t, '='), *tok, *save = NULL;
                        dm_tb_macro_t *m = &macros[nmacros++];
                        *eq = '\0';
                        snprintf(m->name, sizeof(m->name), "%s", dm_str_trim(t));
                        for (tok = strtok_r(eq + 1, ",", &save); tok && m->nalts < 32;
                             tok = strtok_r(NULL, ",", &save))
                                m->alts[m->nalts++] = dm_strdup(dm_str_trim(tok));
                        continue;
                }
                if (*t == '<') {
                        dm_tb_group_flush(&s, &g, section);
                        if (!strncasecmp(t, "<NOUN>", 6))
                                section = DM_LK_NOUN;
                        else if (!strncasecmp(t, "<ADJ", 4))
                                section = DM_LK_ADJ;
                        else if (kind == DM_LK_ACTOR && !strncasecmp(t, "<PLACES>", 8))
                                s.flags |= DM_LEX_PLACE;
                        else if (t[1] == '/') {
                                section = kind;
                                s.flags = 0;
                        } else
                                dm_tb_warn(&s, "unknown section %s: ignored", t);
                        continue;
                }
                dm_tabari_strip_comment(t);
                t = dm_str_trim(t);
                if (!*t)
                        continue;
                if (section == DM_LK_NOUN || section == DM_LK_ADJ) {
                        lb = strchr(t, '[');
                        if (lb)
                                *lb = '\0';
                        t = dm_str_trim(t);
                        if (*t)
                                dm_tb_group_phrase(&g, t, s.line);
                        dm_tb_group_flush(&s, &g, section);
                        continue;
                }
                if (*t == '[') {
                        if (!g.nphrases) {
                                dm_tb_warn(&s, "code block without a phrase: skipped");
                                continue;
                        }
                        (void)indented;
                        dm_tb_group_codes(&s, &g, t);
                        continue;
                }
                if (*t == '+') {
                        lb = strchr(t, '[');
                        if (lb)
                                *lb = '\0';
                        if (!g.nphrases) {
                                dm_tb_warn(&s, "synonym without a preceding entry: skipped");
                                continue;
                        }
                        if (lb) {
                                *lb = '[';
                                dm_tb_group_codes(&s, &g, lb);
                                *lb = '\0';
                        }
                        dm_tb_expand(&g, dm_str_trim(t + 1), s.line, macros, nmacros, 0);
                        continue;
                }
                /* A new primary phrase ends the previous group (which is
                 * reported when it got no code). */
                dm_tb_group_flush(&s, &g, kind);
                lb = strchr(t, '[');
                if (lb) {
                        *lb = '\0';
                        {
                                char *ph = dm_str_trim(t);
                                if (!*ph) {
                                        dm_tb_warn(&s, "phrase missing: skipped");
                                        continue;
                                }
                                dm_tb_expand(&g, ph, s.line, macros, nmacros, 0);
                        }
                        *lb = '[';
                        dm_tb_group_codes(&s, &g, lb);
                } else {
                        dm_tb_expand(&g, t, s.line, macros, nmacros, 0);
                }
        }
        dm_tb_group_flush(&s, &g, section == DM_LK_NOUN || section == DM_LK_ADJ ? section : kind);
        dm_tb_group_reset(&g);
        free(g.phrases);
        free(g.lines);
        for (i = 0; i < nmacros; i++) {
                int k;
                for (k = 0; k < macros[i].nalts; k++)
                        free(macros[i].alts[k]);
        }
        dm_lines_destroy(it);
        return 0;
}
