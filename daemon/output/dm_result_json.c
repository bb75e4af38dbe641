/* JSON form of annotation results and a streaming JSON writer; see
 * dm_result_json.h. */
#include "demarche/dm_mem.h"
#include "demarche/dm_result_json.h"
#include "demarche/dm_buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void dm_json_writer_init(dm_json_writer_t *w, dm_buf_t *out, int pretty)
{
        memset(w, 0, sizeof(*w));
        w->out = out;
        w->pretty = pretty;
        w->first[0] = 1;
}

static void dm_json_newline(dm_json_writer_t *w)
{
        int i;

        dm_buf_putc(w->out, '\n');
        for (i = 0; i < w->depth; i++)
                dm_buf_puts(w->out, "  ");
}

static unsigned char *dm_json_first(dm_json_writer_t *w)
{
        return &w->first[w->depth < DM_JSON_MAX_DEPTH ? w->depth : DM_JSON_MAX_DEPTH];
}

/* Separator and indentation before a key, or before a value that has no
 * key (top level, array element). */
static void dm_json_prefix(dm_json_writer_t *w)
{
        unsigned char *first = dm_json_first(w);

        if (w->after_key) {
                w->after_key = 0;
                return;
        }
        if (w->depth > 0) {
                if (!*first)
                        dm_buf_putc(w->out, ',');
                if (w->pretty)
                        dm_json_newline(w);
        }
        *first = 0;
}

static void dm_json_open(dm_json_writer_t *w, char c)
{
        dm_json_prefix(w);
        dm_buf_putc(w->out, c);
        w->depth++;
        *dm_json_first(w) = 1;
}

static void dm_json_close(dm_json_writer_t *w, char c)
{
        int empty = *dm_json_first(w);

        w->depth--;
        /* Empty containers stay on one line: [] and {}. */
        if (w->pretty && !empty)
                dm_json_newline(w);
        dm_buf_putc(w->out, c);
}

void dm_json_begin_object(dm_json_writer_t *w)
{
        dm_json_open(w, '{');
}

void dm_json_end_object(dm_json_writer_t *w)
{
        dm_json_close(w, '}');
}

void dm_json_begin_array(dm_json_writer_t *w)
{
        dm_json_open(w, '[');
}

void dm_json_end_array(dm_json_writer_t *w)
{
        dm_json_close(w, ']');
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid:
 * overlong forms, surrogates and code points above U+10FFFF are invalid. */
static size_t dm_json_utf8_len(const unsigned char *s, size_t n)
{
        uint32_t cp;
        size_t len, i;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf) {
                len = 2;
                cp = s[0] & 0x1f;
        } else if (s[0] >= 0xe0 && s[0] <= 0xef) {
                len = 3;
                cp = s[0] & 0x0f;
        } else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
                len = 4;
                cp = s[0] & 0x07;
        } else {
                return 0;
        }
        if (len > n)
                return 0;
        for (i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
                return 0;
        return len;
}

static void dm_json_put_escaped(dm_buf_t *b, unsigned char c)
{
        switch (c) {
        case '"':
                dm_buf_puts(b, "\\\"");
                break;
        case '\\':
                dm_buf_puts(b, "\\\\");
                break;
        case '\n':
                dm_buf_puts(b, "\\n");
                break;
        case '\r':
                dm_buf_puts(b, "\\r");
                break;
        case '\t':
                dm_buf_puts(b, "\\t");
                break;
        default:
                if (c < 0x20 || c == 0x7f)
                        dm_buf_printf(b, "\\u%04x", c);
                else
                        dm_buf_putc(b, (char)c);
        }
}

static void dm_json_put_string(dm_buf_t *b, const char *str, size_t len)
{
        const unsigned char *s = (const unsigned char *)str;
        size_t i = 0, n;

        dm_buf_putc(b, '"');
        while (i < len) {
                if (s[i] < 0x80) {
                        dm_json_put_escaped(b, s[i]);
                        i++;
                        continue;
                }
                n = dm_json_utf8_len(s + i, len - i);
                if (n == 0) {
                        dm_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFD */
                        i++;
                } else {
                        dm_buf_append(b, s + i, n);
                        i += n;
                }
        }
        dm_buf_putc(b, '"');
}

void dm_json_key(dm_json_writer_t *w, const char *key)
{
        dm_json_prefix(w);
        dm_json_put_string(w->out, key, strlen(key));
        dm_buf_puts(w->out, w->pretty ? ": " : ":");
        w->after_key = 1;
}

void dm_json_string(dm_json_writer_t *w, const char *s)
{
        if (!s) {
                dm_json_null(w);
                return;
        }
        dm_json_string_len(w, s, strlen(s));
}

void dm_json_string_len(dm_json_writer_t *w, const char *s, size_t len)
{
        dm_json_prefix(w);
        dm_json_put_string(w->out, s, len);
}

void dm_json_bytes(dm_json_writer_t *w, const void *data, size_t len)
{
        const unsigned char *p = data;
        size_t i;

        dm_json_prefix(w);
        dm_buf_putc(w->out, '"');
        for (i = 0; i < len; i++) {
                if (p[i] < 0x80) {
                        dm_json_put_escaped(w->out, p[i]);
                } else {
                        /* U+0080..U+00FF in UTF-8. */
                        dm_buf_putc(w->out, (char)(0xc0 | (p[i] >> 6)));
                        dm_buf_putc(w->out, (char)(0x80 | (p[i] & 0x3f)));
                }
        }
        dm_buf_putc(w->out, '"');
}

void dm_json_int(dm_json_writer_t *w, int64_t v)
{
        dm_json_prefix(w);
        dm_buf_printf(w->out, "%lld", (long long)v);
}

void dm_json_double(dm_json_writer_t *w, double v)
{
        char tmp[40], *p;
        int prec;

        if (!isfinite(v)) {
                dm_json_null(w);
                return;
        }
        dm_json_prefix(w);
        /* Shortest of %.15g..%.17g that reads back exactly: 0.1 stays "0.1"
         * instead of %.17g's 0.10000000000000001, and nothing is lost. */
        for (prec = 15; prec <= 17; prec++) {
                snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
                if (strtod(tmp, NULL) == v)
                        break;
        }
        /* A locale with a decimal comma must not leak into the JSON. */
        for (p = tmp; *p; p++)
                if (*p == ',')
                        *p = '.';
        dm_buf_puts(w->out, tmp);
        /* Keep it visibly a double for readers that type JSON numbers. */
        if (!strpbrk(tmp, ".eE"))
                dm_buf_puts(w->out, ".0");
}

void dm_json_bool(dm_json_writer_t *w, int v)
{
        dm_json_prefix(w);
        dm_buf_puts(w->out, v ? "true" : "false");
}

void dm_json_null(dm_json_writer_t *w)
{
        dm_json_prefix(w);
        dm_buf_puts(w->out, "null");
}

static void dm_json_field_str(dm_json_writer_t *w, const char *key, const char *v)
{
        dm_json_key(w, key);
        dm_json_string(w, v);
}

static void dm_json_field_int(dm_json_writer_t *w, const char *key, int64_t v)
{
        dm_json_key(w, key);
        dm_json_int(w, v);
}

static void dm_json_field_double(dm_json_writer_t *w, const char *key, double v)
{
        dm_json_key(w, key);
        dm_json_double(w, v);
}

static void dm_json_field_bool(dm_json_writer_t *w, const char *key, int v)
{
        dm_json_key(w, key);
        dm_json_bool(w, v);
}

static void dm_json_write_entity(dm_json_writer_t *w, const dm_entity_t *e)
{
        dm_json_begin_object(w);
        dm_json_field_str(w, "type", dm_entity_type_name(e->type));
        /* name is required by the schema; the encoder writes "" for NULL. */
        dm_json_field_str(w, "name", e->name ? e->name : "");
        dm_json_field_str(w, "code", e->code);
        dm_json_field_str(w, "country", e->country);
        dm_json_field_str(w, "iso3", e->iso3);
        dm_json_field_int(w, "start", e->start);
        dm_json_field_int(w, "end", e->end);
        dm_json_field_int(w, "sentence", e->sentence);
        dm_json_field_int(w, "mentions", e->mentions);
        dm_json_field_double(w, "salience", e->salience);
        dm_json_end_object(w);
}

static void dm_json_write_actor(dm_json_writer_t *w, const char *key, const dm_actor_ref_t *a)
{
        dm_json_key(w, key);
        dm_json_begin_object(w);
        dm_json_field_str(w, "code", a->code);
        dm_json_field_str(w, "country", a->country);
        dm_json_field_str(w, "text", a->text);
        dm_json_field_int(w, "start", a->start);
        dm_json_field_int(w, "end", a->end);
        dm_json_end_object(w);
}

static void dm_json_write_event(dm_json_writer_t *w, const dm_result_t *r, size_t index)
{
        const dm_event_t *ev = &r->events[index];
        const char *id = r->article_id ? r->article_id : "";
        char *event_id = dm_asprintf("%s:%zu", id, index);

        dm_json_begin_object(w);
        dm_json_field_str(w, "event_id", event_id);
        dm_json_field_str(w, "article_id", id);
        dm_json_field_int(w, "sentence", ev->sentence);
        dm_json_write_actor(w, "source", &ev->source);
        dm_json_write_actor(w, "target", &ev->target);
        dm_json_field_str(w, "cameo_code", ev->cameo_code ? ev->cameo_code : "");
        dm_json_field_str(w, "cameo_root", ev->cameo_root ? ev->cameo_root : "");
        dm_json_field_int(w, "quad_class", ev->quad_class);
        dm_json_field_double(w, "goldstein", ev->goldstein);
        dm_json_field_str(w, "plover_category", ev->plover_category);
        dm_json_field_str(w, "plover_mode", ev->plover_mode);
        dm_json_field_str(w, "plover_context", ev->plover_context);
        dm_json_field_str(w, "trigger", ev->trigger);
        dm_json_field_str(w, "pattern", ev->pattern);
        dm_json_field_bool(w, "negated", ev->negated);
        dm_json_field_bool(w, "hypothetical", ev->hypothetical);
        dm_json_field_bool(w, "historical", ev->historical);
        dm_json_field_int(w, "mentions", ev->mentions > 0 ? ev->mentions : 1);
        {
                size_t k;
                dm_json_key(w, "sentences");
                dm_json_begin_array(w);
                for (k = 0; k < ev->sentence_count; k++)
                        dm_json_int(w, ev->sentences[k]);
                dm_json_end_array(w);
                dm_json_key(w, "triggers");
                dm_json_begin_array(w);
                for (k = 0; k < ev->trigger_count; k++)
                        dm_json_string(w, ev->triggers[k]);
                dm_json_end_array(w);
        }
        dm_json_end_object(w);
        free(event_id);
}

char *dm_result_to_json(const dm_result_t *r, int pretty)
{
        dm_json_writer_t w;
        dm_buf_t out;
        size_t i;

        dm_buf_init(&out);
        dm_json_writer_init(&w, &out, pretty);
        dm_json_begin_object(&w);
        /* Required strings that are NULL are written as "", as the Avro
         * encoder does, so that both forms of one result agree. */
        dm_json_field_str(&w, "article_id", r->article_id ? r->article_id : "");
        dm_json_field_str(&w, "url", r->url);
        dm_json_field_str(&w, "title", r->title);
        dm_json_field_str(&w, "source", r->source);
        dm_json_field_str(&w, "language", r->language);
        dm_json_key(&w, "published_at");
        if (r->published_ms == -1)
                dm_json_null(&w);
        else
                dm_json_int(&w, r->published_ms);
        dm_json_field_int(&w, "annotated_at", r->annotated_ms);
        dm_json_field_str(&w, "text", r->text);
        dm_json_field_int(&w, "sentence_count", r->sentence_count);

        dm_json_key(&w, "entities");
        dm_json_begin_array(&w);
        for (i = 0; i < r->entity_count; i++)
                dm_json_write_entity(&w, &r->entities[i]);
        dm_json_end_array(&w);

        dm_json_key(&w, "events");
        dm_json_begin_array(&w);
        for (i = 0; i < r->event_count; i++)
                dm_json_write_event(&w, r, i);
        dm_json_end_array(&w);

        dm_json_key(&w, "themes");
        dm_json_begin_array(&w);
        for (i = 0; i < r->theme_count; i++)
                dm_json_string(&w, r->themes[i]);
        dm_json_end_array(&w);

        dm_json_key(&w, "countries");
        dm_json_begin_array(&w);
        for (i = 0; i < r->country_count; i++) {
                dm_json_begin_object(&w);
                dm_json_field_str(&w, "code", r->countries[i].code);
                dm_json_field_str(&w, "iso3", r->countries[i].iso3);
                dm_json_field_str(&w, "name", r->countries[i].name);
                dm_json_key(&w, "score");
                dm_json_double(&w, r->countries[i].score);
                dm_json_end_object(&w);
        }
        dm_json_end_array(&w);

        dm_json_end_object(&w);
        return dm_buf_steal(&out);
}
