/* Cluster key, id and per-key state; see dm_cluster.h. */
#include "cluster/dm_cluster.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_str.h"

#include <openssl/evp.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Version byte of the binary form: a changed layout gets a new version, and
 * an unknown one is refused rather than misread. */
#define DM_CLUSTER_FORM_V1 1

int dm_cluster_level_parse(const char *s, dm_cluster_level_t *out)
{
        if (!strcmp(s, "country"))
                *out = DM_CLUSTER_LEVEL_COUNTRY;
        else if (!strcmp(s, "actor"))
                *out = DM_CLUSTER_LEVEL_ACTOR;
        else
                return -1;
        return 0;
}

int dm_cluster_code_parse(const char *s, int *root_only)
{
        if (!strcmp(s, "code"))
                *root_only = 0;
        else if (!strcmp(s, "root"))
                *root_only = 1;
        else
                return -1;
        return 0;
}

int32_t dm_cluster_day_of(int64_t ms)
{
        int64_t d = ms / 86400000LL;
        if (ms < 0 && d * 86400000LL != ms)
                d--;
        return (int32_t)d;
}

/* The side at the configured level. '|' never occurs in a CAMEO code; it
 * is replaced anyway so that a key always splits into four parts. */
static void dm_cluster_side(dm_buf_t *out, const dm_cluster_key_opts_t *o, const char *code,
                            const char *country)
{
        const char *s = NULL;
        size_t n = 0, i;

        if (o->level == DM_CLUSTER_LEVEL_COUNTRY && country && *country) {
                s = country;
                n = strlen(s);
        } else if (code && *code) {
                s = code;
                n = strlen(s);
                /* A code begins with its country (or IGO, NGO...). */
                if (o->level == DM_CLUSTER_LEVEL_COUNTRY && n > 3)
                        n = 3;
        }
        if (!s) {
                dm_buf_putc(out, '-');
                return;
        }
        for (i = 0; i < n; i++)
                dm_buf_putc(out, s[i] == '|' ? '_' : s[i]);
}

void dm_cluster_key_build(const dm_cluster_key_opts_t *o, const char *src_code,
                          const char *src_country, const char *tgt_code, const char *tgt_country,
                          const char *cameo_code, const char *cameo_root, int64_t day_ms,
                          dm_buf_t *out)
{
        const char *code = o->root_only ? cameo_root : cameo_code;
        time_t t = (time_t)dm_cluster_day_of(day_ms) * 86400;
        struct tm tm;

        dm_buf_reset(out);
        dm_cluster_side(out, o, src_code, src_country);
        dm_buf_putc(out, '|');
        dm_cluster_side(out, o, tgt_code, tgt_country);
        dm_buf_putc(out, '|');
        dm_buf_puts(out, code && *code ? code : "-");
        gmtime_r(&t, &tm);
        dm_buf_printf(out, "|%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int dm_cluster_key_split(const char *key, char *source, char *target, char *code, char *day,
                         size_t part_size, int32_t *day_out)
{
        char *parts[4] = {source, target, code, day};
        const char *p = key, *bar;
        struct tm tm;
        int i, y, m, d;

        for (i = 0; i < 4; i++) {
                size_t n;
                bar = i < 3 ? strchr(p, '|') : p + strlen(p);
                if (!bar)
                        return -1;
                n = (size_t)(bar - p);
                if (n + 1 > part_size)
                        return -1;
                memcpy(parts[i], p, n);
                parts[i][n] = '\0';
                p = bar + 1;
        }
        if (sscanf(day, "%4d-%2d-%2d", &y, &m, &d) != 3 || strlen(day) != 10)
                return -1;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = y - 1900;
        tm.tm_mon = m - 1;
        tm.tm_mday = d;
        if (day_out)
                *day_out = (int32_t)(timegm(&tm) / 86400);
        return 0;
}

void dm_cluster_id(const char *key, size_t key_len, char id[33])
{
        static const char hex[] = "0123456789abcdef";
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        int i;

        if (!EVP_Digest(key, key_len, md, &mdlen, EVP_sha256(), NULL)) {
                fprintf(stderr, "demarche: SHA-256 failed\n");
                abort();
        }
        for (i = 0; i < 16; i++) {
                id[2 * i] = hex[md[i] >> 4];
                id[2 * i + 1] = hex[md[i] & 15];
        }
        id[32] = '\0';
}

int dm_cluster_expired(int32_t day, int32_t stream_day, int32_t window_days)
{
        return (int64_t)day < (int64_t)stream_day - window_days;
}

/* ---- state ---- */

static uint64_t dm_cluster_hash(const char *s)
{
        return dm_fnv1a64(s, s ? strlen(s) : 0);
}

void dm_cluster_state_init(dm_cluster_state_t *st)
{
        memset(st, 0, sizeof(*st));
}

static void dm_cluster_tally_free(dm_cluster_tally_t *t, size_t n)
{
        size_t i;

        for (i = 0; i < n; i++)
                free(t[i].text);
        free(t);
}

void dm_cluster_state_clear(dm_cluster_state_t *st)
{
        size_t i;

        free(st->cameo_root);
        free(st->article_h);
        free(st->event_h);
        free(st->outlet_h);
        for (i = 0; i < st->article_id_n; i++)
                free(st->article_ids[i]);
        free(st->article_ids);
        dm_cluster_tally_free(st->triggers, st->trigger_n);
        dm_cluster_tally_free(st->codes, st->code_n);
        memset(st, 0, sizeof(*st));
}

static int dm_cluster_has(const uint64_t *set, size_t n, uint64_t h)
{
        size_t i;

        /* Linear: a set holds at most max_seen hashes of one day's story. */
        for (i = 0; i < n; i++)
                if (set[i] == h)
                        return 1;
        return 0;
}

/* Adds h; beyond max the hash is not remembered (documented: counts past
 * max_seen distinct ids are not de-duplicated). */
static void dm_cluster_add(uint64_t **set, size_t *n, size_t *cap, uint64_t h, size_t max)
{
        if (*n >= max)
                return;
        dm_grow((void **)set, cap, *n + 1, sizeof(**set));
        (*set)[(*n)++] = h;
}

static void dm_cluster_tally_add(dm_cluster_tally_t **t, size_t *n, size_t *cap, const char *s,
                                 size_t max)
{
        size_t i;

        if (!s || !*s)
                return;
        for (i = 0; i < *n; i++)
                if (!strcmp((*t)[i].text, s)) {
                        (*t)[i].count++;
                        return;
                }
        if (*n >= max)
                return;
        dm_grow((void **)t, cap, *n + 1, sizeof(**t));
        (*t)[*n].text = dm_strdup(s);
        (*t)[*n].count = 1;
        (*n)++;
}

const char *dm_cluster_tally_top(const dm_cluster_tally_t *t, size_t n)
{
        size_t i, best = 0;

        if (!n)
                return NULL;
        for (i = 1; i < n; i++)
                if (t[i].count > t[best].count)
                        best = i;
        return t[best].text;
}

int dm_cluster_state_apply(dm_cluster_state_t *st, const dm_cluster_input_t *in,
                           const dm_cluster_limits_t *lim)
{
        uint64_t eh = dm_cluster_hash(in->event_id), ah = dm_cluster_hash(in->article_id);
        uint64_t oh = dm_cluster_hash(in->outlet ? in->outlet : in->article_id);

        if (dm_cluster_has(st->event_h, st->event_n, eh))
                return 0;
        dm_cluster_add(&st->event_h, &st->event_n, &st->event_cap, eh, lim->max_seen);
        st->mentions += in->mentions > 0 ? in->mentions : 1;
        if (!dm_cluster_has(st->article_h, st->article_n, ah)) {
                dm_cluster_add(&st->article_h, &st->article_n, &st->article_cap, ah, lim->max_seen);
                st->articles++;
                if (st->article_id_n < lim->max_article_ids) {
                        dm_grow((void **)&st->article_ids, &st->article_id_cap,
                                st->article_id_n + 1, sizeof(char *));
                        st->article_ids[st->article_id_n++] =
                            dm_strdup(in->article_id ? in->article_id : "");
                }
                if (!dm_cluster_has(st->outlet_h, st->outlet_n, oh)) {
                        dm_cluster_add(&st->outlet_h, &st->outlet_n, &st->outlet_cap, oh,
                                       lim->max_seen);
                        st->sources++;
                }
        }
        dm_cluster_tally_add(&st->triggers, &st->trigger_n, &st->trigger_cap, in->trigger,
                             lim->max_tally);
        dm_cluster_tally_add(&st->codes, &st->code_n, &st->code_cap, in->cameo_code,
                             lim->max_tally);
        if (st->seq == 0) {
                st->first_seen_ms = st->last_seen_ms = in->seen_ms;
                st->quad_class = in->quad_class;
                st->goldstein = in->goldstein;
                st->cameo_root = dm_strdup_or_null(in->cameo_root);
        }
        if (in->seen_ms < st->first_seen_ms)
                st->first_seen_ms = in->seen_ms;
        if (in->seen_ms > st->last_seen_ms)
                st->last_seen_ms = in->seen_ms;
        st->seq++;
        return 1;
}

/* ---- binary form ---- */

static void dm_cluster_put_u64(dm_buf_t *b, uint64_t v)
{
        unsigned char x[8];
        int i;

        for (i = 0; i < 8; i++)
                x[i] = (unsigned char)(v >> (8 * i));
        dm_buf_append(b, x, 8);
}

static void dm_cluster_put_str(dm_buf_t *b, const char *s)
{
        size_t n = s ? strlen(s) : 0;

        /* A NULL string is length UINT64_MAX, so that it reads back NULL. */
        dm_cluster_put_u64(b, s ? (uint64_t)n : UINT64_MAX);
        dm_buf_append(b, s ? s : "", n);
}

static void dm_cluster_put_set(dm_buf_t *b, const uint64_t *set, size_t n)
{
        size_t i;

        dm_cluster_put_u64(b, n);
        for (i = 0; i < n; i++)
                dm_cluster_put_u64(b, set[i]);
}

static void dm_cluster_put_tally(dm_buf_t *b, const dm_cluster_tally_t *t, size_t n)
{
        size_t i;

        dm_cluster_put_u64(b, n);
        for (i = 0; i < n; i++) {
                dm_cluster_put_str(b, t[i].text);
                dm_cluster_put_u64(b, (uint64_t)(int64_t)t[i].count);
        }
}

void dm_cluster_state_encode(const dm_cluster_state_t *st, dm_buf_t *out)
{
        unsigned char v = DM_CLUSTER_FORM_V1;
        uint64_t g;
        size_t i;

        dm_buf_reset(out);
        dm_buf_append(out, &v, 1);
        dm_cluster_put_u64(out, (uint64_t)st->first_seen_ms);
        dm_cluster_put_u64(out, (uint64_t)st->last_seen_ms);
        dm_cluster_put_u64(out, (uint64_t)(int64_t)st->mentions);
        dm_cluster_put_u64(out, (uint64_t)(int64_t)st->articles);
        dm_cluster_put_u64(out, (uint64_t)(int64_t)st->sources);
        dm_cluster_put_u64(out, (uint64_t)(int64_t)st->quad_class);
        memcpy(&g, &st->goldstein, 8);
        dm_cluster_put_u64(out, g);
        dm_cluster_put_str(out, st->cameo_root);
        dm_cluster_put_set(out, st->article_h, st->article_n);
        dm_cluster_put_set(out, st->event_h, st->event_n);
        dm_cluster_put_set(out, st->outlet_h, st->outlet_n);
        dm_cluster_put_u64(out, st->article_id_n);
        for (i = 0; i < st->article_id_n; i++)
                dm_cluster_put_str(out, st->article_ids[i]);
        dm_cluster_put_tally(out, st->triggers, st->trigger_n);
        dm_cluster_put_tally(out, st->codes, st->code_n);
        dm_cluster_put_u64(out, (uint64_t)st->seq);
        dm_cluster_put_u64(out, (uint64_t)st->emitted_seq);
        dm_cluster_put_u64(out, (uint64_t)st->emitted_ms);
}

typedef struct dm_cluster_rd {
        const unsigned char *p;
        size_t len, pos;
        int bad;
} dm_cluster_rd_t;

static uint64_t dm_cluster_get_u64(dm_cluster_rd_t *r)
{
        uint64_t v = 0;
        int i;

        if (r->bad || r->len - r->pos < 8) {
                r->bad = 1;
                return 0;
        }
        for (i = 7; i >= 0; i--)
                v = (v << 8) | r->p[r->pos + (size_t)i];
        r->pos += 8;
        return v;
}

static char *dm_cluster_get_str(dm_cluster_rd_t *r)
{
        uint64_t n = dm_cluster_get_u64(r);
        char *s;

        if (r->bad || n == UINT64_MAX)
                return NULL;
        if (n > r->len - r->pos) {
                r->bad = 1;
                return NULL;
        }
        s = dm_strndup((const char *)r->p + r->pos, (size_t)n);
        r->pos += (size_t)n;
        return s;
}

/* A count of items of at least min_size bytes each: checked against what
 * is left, so that a corrupt count cannot make us allocate wildly. */
static size_t dm_cluster_get_count(dm_cluster_rd_t *r, size_t min_size)
{
        uint64_t n = dm_cluster_get_u64(r);

        if (r->bad || n > (r->len - r->pos) / min_size) {
                r->bad = 1;
                return 0;
        }
        return (size_t)n;
}

static void dm_cluster_get_set(dm_cluster_rd_t *r, uint64_t **set, size_t *n, size_t *cap)
{
        size_t k = dm_cluster_get_count(r, 8), i;

        if (!k)
                return;
        dm_grow((void **)set, cap, k, sizeof(**set));
        for (i = 0; i < k; i++)
                (*set)[i] = dm_cluster_get_u64(r);
        *n = k;
}

static void dm_cluster_get_tally(dm_cluster_rd_t *r, dm_cluster_tally_t **t, size_t *n, size_t *cap)
{
        size_t k = dm_cluster_get_count(r, 16), i;

        if (!k)
                return;
        dm_grow((void **)t, cap, k, sizeof(**t));
        for (i = 0; i < k; i++) {
                (*t)[i].text = dm_cluster_get_str(r);
                (*t)[i].count = (int32_t)dm_cluster_get_u64(r);
                if (!(*t)[i].text)
                        (*t)[i].text = dm_strdup("");
        }
        *n = k;
}

int dm_cluster_state_decode(dm_cluster_state_t *st, const void *buf, size_t len, char *errstr,
                            size_t errstr_size)
{
        dm_cluster_rd_t r = {buf, len, 1, 0};
        uint64_t g;
        size_t k, i;

        dm_cluster_state_clear(st);
        if (len < 1 || r.p[0] != DM_CLUSTER_FORM_V1) {
                snprintf(errstr, errstr_size, "unknown cluster state form (%zu bytes, version %d)",
                         len, len ? r.p[0] : -1);
                return -1;
        }
        st->first_seen_ms = (int64_t)dm_cluster_get_u64(&r);
        st->last_seen_ms = (int64_t)dm_cluster_get_u64(&r);
        st->mentions = (int32_t)dm_cluster_get_u64(&r);
        st->articles = (int32_t)dm_cluster_get_u64(&r);
        st->sources = (int32_t)dm_cluster_get_u64(&r);
        st->quad_class = (int32_t)dm_cluster_get_u64(&r);
        g = dm_cluster_get_u64(&r);
        memcpy(&st->goldstein, &g, 8);
        st->cameo_root = dm_cluster_get_str(&r);
        dm_cluster_get_set(&r, &st->article_h, &st->article_n, &st->article_cap);
        dm_cluster_get_set(&r, &st->event_h, &st->event_n, &st->event_cap);
        dm_cluster_get_set(&r, &st->outlet_h, &st->outlet_n, &st->outlet_cap);
        k = dm_cluster_get_count(&r, 8);
        if (k) {
                dm_grow((void **)&st->article_ids, &st->article_id_cap, k, sizeof(char *));
                for (i = 0; i < k; i++) {
                        char *s = dm_cluster_get_str(&r);
                        st->article_ids[i] = s ? s : dm_strdup("");
                }
                st->article_id_n = k;
        }
        dm_cluster_get_tally(&r, &st->triggers, &st->trigger_n, &st->trigger_cap);
        dm_cluster_get_tally(&r, &st->codes, &st->code_n, &st->code_cap);
        st->seq = (int64_t)dm_cluster_get_u64(&r);
        st->emitted_seq = (int64_t)dm_cluster_get_u64(&r);
        st->emitted_ms = (int64_t)dm_cluster_get_u64(&r);
        if (r.bad || r.pos != r.len) {
                snprintf(errstr, errstr_size, "truncated or malformed cluster state (%zu bytes)",
                         len);
                dm_cluster_state_clear(st);
                return -1;
        }
        return 0;
}
