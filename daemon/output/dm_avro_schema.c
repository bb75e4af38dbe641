/* Avro Parsing Canonical Form and CRC-64-AVRO; see dm_avro_schema.h. */
#include "demarche/dm_avro_schema.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <jansson.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deep enough for any real schema; the limit only keeps a hostile schema
 * text from exhausting the stack through recursion. */
#define DM_AVRO_CANON_MAX_DEPTH 256

typedef struct dm_avro_canon {
        dm_buf_t out;
        /* Full names of the named types defined so far, in definition order:
         * a reference is only valid to a type defined before it. */
        char **names;
        size_t name_count, name_cap;
        int depth;
        char *errstr;
        size_t errstr_size;
} dm_avro_canon_t;

static const char *const dm_avro_primitives[] = {"null",  "boolean", "int",   "long",
                                                 "float", "double",  "bytes", "string"};

uint64_t dm_avro_crc64(const void *data, size_t len)
{
        const unsigned char *p = data;
        uint64_t fp = DM_AVRO_CRC64_EMPTY;
        size_t i;
        int bit;

        /* Bitwise rather than with the usual 256-entry table: fingerprints
         * are computed a handful of times at startup, and no table means no
         * one-time initialisation to make thread-safe. */
        for (i = 0; i < len; i++) {
                fp ^= p[i];
                for (bit = 0; bit < 8; bit++)
                        fp = (fp >> 1) ^ (DM_AVRO_CRC64_EMPTY & (0 - (fp & 1)));
        }
        return fp;
}

static int dm_avro_canon_fail(dm_avro_canon_t *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int dm_avro_canon_fail(dm_avro_canon_t *c, const char *fmt, ...)
{
        va_list ap;

        /* Keep the innermost (first) message: it names the actual problem. */
        if (c->errstr_size > 0 && c->errstr[0] == '\0') {
                va_start(ap, fmt);
                vsnprintf(c->errstr, c->errstr_size, fmt, ap);
                va_end(ap);
        }
        return -1;
}

static int dm_avro_is_primitive(const char *s)
{
        size_t i;

        for (i = 0; i < sizeof(dm_avro_primitives) / sizeof(dm_avro_primitives[0]); i++)
                if (!strcmp(s, dm_avro_primitives[i]))
                        return 1;
        return 0;
}

static int dm_avro_canon_defined(const dm_avro_canon_t *c, const char *fullname)
{
        size_t i;

        for (i = 0; i < c->name_count; i++)
                if (!strcmp(c->names[i], fullname))
                        return 1;
        return 0;
}

/* Writes s as a JSON string. [STRINGS] asks for escapes to be replaced by the
 * UTF-8 characters; only what JSON cannot carry raw is escaped, the same
 * minimal set the reference implementations emit. */
static void dm_avro_canon_put_string(dm_buf_t *b, const char *s)
{
        const unsigned char *p;

        dm_buf_putc(b, '"');
        for (p = (const unsigned char *)s; *p; p++) {
                switch (*p) {
                case '"':
                        dm_buf_puts(b, "\\\"");
                        break;
                case '\\':
                        dm_buf_puts(b, "\\\\");
                        break;
                case '\b':
                        dm_buf_puts(b, "\\b");
                        break;
                case '\f':
                        dm_buf_puts(b, "\\f");
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
                        if (*p < 0x20)
                                dm_buf_printf(b, "\\u%04x", *p);
                        else
                                dm_buf_putc(b, (char)*p);
                }
        }
        dm_buf_putc(b, '"');
}

/* Resolves a type name used as a reference into its full name (heap). */
static char *dm_avro_canon_resolve(dm_avro_canon_t *c, const char *ref, const char *ns)
{
        char *cand = NULL;

        if (!strchr(ref, '.') && ns && *ns) {
                cand = dm_asprintf("%s.%s", ns, ref);
                if (dm_avro_canon_defined(c, cand))
                        return cand;
                free(cand);
                cand = NULL;
        }
        /* A dotted name is already full; an undotted one not found in the
         * enclosing namespace may still name a type in the null namespace. */
        if (dm_avro_canon_defined(c, ref))
                return dm_strdup(ref);
        dm_avro_canon_fail(c, "unknown type \"%s\" (namespace \"%s\")", ref, ns ? ns : "");
        return NULL;
}

static int dm_avro_canon_node(dm_avro_canon_t *c, json_t *node, const char *ns);

static int dm_avro_canon_fields(dm_avro_canon_t *c, json_t *fields, const char *ns,
                                const char *owner)
{
        size_t i;
        json_t *f;

        if (!json_is_array(fields))
                return dm_avro_canon_fail(c, "record %s: \"fields\" must be an array", owner);
        dm_buf_puts(&c->out, ",\"fields\":[");
        json_array_foreach(fields, i, f)
        {
                json_t *fname = json_object_get(f, "name");
                json_t *ftype = json_object_get(f, "type");

                if (!json_is_string(fname) || !ftype)
                        return dm_avro_canon_fail(
                            c, "record %s: field %zu needs a string \"name\" and a \"type\"", owner,
                            i);
                if (i > 0)
                        dm_buf_putc(&c->out, ',');
                dm_buf_puts(&c->out, "{\"name\":");
                dm_avro_canon_put_string(&c->out, json_string_value(fname));
                dm_buf_puts(&c->out, ",\"type\":");
                if (dm_avro_canon_node(c, ftype, ns) < 0)
                        return -1;
                dm_buf_putc(&c->out, '}');
        }
        dm_buf_putc(&c->out, ']');
        return 0;
}

static int dm_avro_canon_symbols(dm_avro_canon_t *c, json_t *symbols, const char *owner)
{
        size_t i;
        json_t *s;

        if (!json_is_array(symbols))
                return dm_avro_canon_fail(c, "enum %s: \"symbols\" must be an array", owner);
        dm_buf_puts(&c->out, ",\"symbols\":[");
        json_array_foreach(symbols, i, s)
        {
                if (!json_is_string(s))
                        return dm_avro_canon_fail(c, "enum %s: symbols must be strings", owner);
                if (i > 0)
                        dm_buf_putc(&c->out, ',');
                dm_avro_canon_put_string(&c->out, json_string_value(s));
        }
        dm_buf_putc(&c->out, ']');
        return 0;
}

static int dm_avro_canon_size(dm_avro_canon_t *c, json_t *size, const char *owner)
{
        long long n = -1;

        /* [INTEGERS]: a size given as a quoted number is accepted and
         * written bare, without leading zeros. */
        if (json_is_integer(size)) {
                n = json_integer_value(size);
        } else if (json_is_string(size)) {
                const char *s = json_string_value(size);
                char *end;

                errno = 0;
                n = strtoll(s, &end, 10);
                if (end == s || *end || errno)
                        n = -1;
        }
        if (n < 0)
                return dm_avro_canon_fail(c, "fixed %s: \"size\" must be a non-negative integer",
                                          owner);
        dm_buf_printf(&c->out, ",\"size\":%lld", n);
        return 0;
}

/* record, error, enum and fixed: everything that has a name. */
static int dm_avro_canon_named(dm_avro_canon_t *c, json_t *node, const char *type, const char *ns)
{
        json_t *jname = json_object_get(node, "name");
        json_t *jns = json_object_get(node, "namespace");
        const char *name, *dot;
        char *full = NULL, *own_ns = NULL;
        int rc = -1;

        if (!json_is_string(jname) || !*json_string_value(jname)) {
                dm_avro_canon_fail(c, "%s without a \"name\"", type);
                goto done;
        }
        name = json_string_value(jname);
        dot = strrchr(name, '.');
        if (dot) {
                /* A dotted name is a full name: "namespace" is ignored and
                 * the name's own prefix is what nested types inherit. */
                full = dm_strdup(name);
                own_ns = dm_strndup(name, (size_t)(dot - name));
        } else {
                if (json_is_string(jns))
                        own_ns = dm_strdup(json_string_value(jns));
                else if (jns && !json_is_null(jns)) {
                        dm_avro_canon_fail(c, "%s %s: \"namespace\" must be a string", type, name);
                        goto done;
                } else
                        own_ns = dm_strdup(ns ? ns : "");
                full = *own_ns ? dm_asprintf("%s.%s", own_ns, name) : dm_strdup(name);
        }
        if (dm_avro_canon_defined(c, full)) {
                dm_avro_canon_fail(c, "type %s is defined twice", full);
                goto done;
        }
        /* Registered before the body so that a record may refer to itself. */
        dm_grow((void **)&c->names, &c->name_cap, c->name_count + 1, sizeof(*c->names));
        c->names[c->name_count++] = dm_strdup(full);

        dm_buf_puts(&c->out, "{\"name\":");
        dm_avro_canon_put_string(&c->out, full);
        dm_buf_puts(&c->out, ",\"type\":");
        dm_avro_canon_put_string(&c->out, type);
        if (!strcmp(type, "enum"))
                rc = dm_avro_canon_symbols(c, json_object_get(node, "symbols"), full);
        else if (!strcmp(type, "fixed"))
                rc = dm_avro_canon_size(c, json_object_get(node, "size"), full);
        else
                rc = dm_avro_canon_fields(c, json_object_get(node, "fields"), own_ns, full);
        if (rc == 0)
                dm_buf_putc(&c->out, '}');

done:
        free(full);
        free(own_ns);
        return rc;
}

static int dm_avro_canon_object(dm_avro_canon_t *c, json_t *node, const char *ns)
{
        json_t *jtype = json_object_get(node, "type");
        json_t *child;
        const char *type;

        if (!jtype)
                return dm_avro_canon_fail(c, "schema object without a \"type\"");
        /* {"type": {...}} and {"type": [...]}: the object only wraps the
         * schema it holds. */
        if (!json_is_string(jtype))
                return dm_avro_canon_node(c, jtype, ns);
        type = json_string_value(jtype);

        if (!strcmp(type, "record") || !strcmp(type, "error") || !strcmp(type, "enum") ||
            !strcmp(type, "fixed"))
                return dm_avro_canon_named(c, node, type, ns);
        if (!strcmp(type, "array") || !strcmp(type, "map")) {
                const char *key = type[0] == 'a' ? "items" : "values";

                child = json_object_get(node, key);
                if (!child)
                        return dm_avro_canon_fail(c, "%s without \"%s\"", type, key);
                dm_buf_printf(&c->out, "{\"type\":\"%s\",\"%s\":", type, key);
                if (dm_avro_canon_node(c, child, ns) < 0)
                        return -1;
                dm_buf_putc(&c->out, '}');
                return 0;
        }
        /* A primitive (logicalType and every other attribute stripped) or a
         * reference to a named type, both written in their string form. */
        return dm_avro_canon_node(c, jtype, ns);
}

static int dm_avro_canon_node(dm_avro_canon_t *c, json_t *node, const char *ns)
{
        size_t i;
        json_t *branch;
        int rc = -1;

        if (++c->depth > DM_AVRO_CANON_MAX_DEPTH) {
                dm_avro_canon_fail(c, "schema nested deeper than %d levels",
                                   DM_AVRO_CANON_MAX_DEPTH);
                goto done;
        }
        if (json_is_string(node)) {
                const char *s = json_string_value(node);
                char *full;

                if (dm_avro_is_primitive(s)) {
                        dm_avro_canon_put_string(&c->out, s);
                        rc = 0;
                } else if ((full = dm_avro_canon_resolve(c, s, ns)) != NULL) {
                        dm_avro_canon_put_string(&c->out, full);
                        free(full);
                        rc = 0;
                }
        } else if (json_is_array(node)) {
                dm_buf_putc(&c->out, '[');
                rc = 0;
                json_array_foreach(node, i, branch)
                {
                        if (i > 0)
                                dm_buf_putc(&c->out, ',');
                        if (dm_avro_canon_node(c, branch, ns) < 0) {
                                rc = -1;
                                break;
                        }
                }
                if (rc == 0)
                        dm_buf_putc(&c->out, ']');
        } else if (json_is_object(node)) {
                rc = dm_avro_canon_object(c, node, ns);
        } else {
                dm_avro_canon_fail(c, "a schema must be a string, an array or an object");
        }

done:
        c->depth--;
        return rc;
}

char *dm_avro_schema_canonical(const char *json, size_t len, size_t *out_len, char *errstr,
                               size_t errstr_size)
{
        dm_avro_canon_t c;
        json_error_t jerr;
        json_t *root = NULL;
        char *result = NULL;
        size_t i;

        memset(&c, 0, sizeof(c));
        dm_buf_init(&c.out);
        c.errstr = errstr;
        c.errstr_size = errstr_size;
        if (errstr_size > 0)
                errstr[0] = '\0';

        /* JSON_DECODE_ANY: "int" alone is a valid schema text. */
        root = json_loadb(json, len, JSON_DECODE_ANY, &jerr);
        if (!root) {
                dm_avro_canon_fail(&c, "schema is not JSON: line %d column %d: %s", jerr.line,
                                   jerr.column, jerr.text);
                goto done;
        }
        if (dm_avro_canon_node(&c, root, "") < 0)
                goto done;
        if (out_len)
                *out_len = c.out.len;
        result = dm_buf_steal(&c.out);

done:
        json_decref(root);
        dm_buf_free(&c.out);
        for (i = 0; i < c.name_count; i++)
                free(c.names[i]);
        free(c.names);
        return result;
}

int dm_avro_schema_fingerprint(const char *json, size_t len, uint64_t *fp, char *errstr,
                               size_t errstr_size)
{
        size_t clen;
        char *canon = dm_avro_schema_canonical(json, len, &clen, errstr, errstr_size);

        if (!canon)
                return -1;
        *fp = dm_avro_crc64(canon, clen);
        free(canon);
        return 0;
}
