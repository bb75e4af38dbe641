/* DiplomaticEvent fields for the clustering stage; see dm_avro_brief.h. */
#include "output/dm_avro_brief.h"
#include "demarche/dm_mem.h"

#include <avro.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct dm_avro_brief_reader {
        dm_avro_t *avro;
        avro_schema_t schema;
        avro_value_iface_t *iface;
        avro_value_t value;
        uint64_t fingerprint;
};

dm_avro_brief_reader_t *dm_avro_brief_reader_new(dm_avro_t *a)
{
        dm_avro_brief_reader_t *r = dm_calloc(1, sizeof(*r));
        const char *text = dm_avro_schema_text(a, DM_AVRO_EVENT);

        r->avro = a;
        r->fingerprint = dm_avro_fingerprint(a, DM_AVRO_EVENT);
        /* dm_avro_new parsed the same text: only allocation can fail. */
        if (avro_schema_from_json_length(text, strlen(text), &r->schema) ||
            !(r->iface = avro_generic_class_from_schema(r->schema)) ||
            avro_generic_value_new(r->iface, &r->value)) {
                fprintf(stderr, "demarche: avro-c: %s\n", avro_strerror());
                abort();
        }
        return r;
}

void dm_avro_brief_reader_destroy(dm_avro_brief_reader_t *r)
{
        if (!r)
                return;
        avro_value_decref(&r->value);
        avro_value_iface_decref(r->iface);
        avro_schema_decref(r->schema);
        free(r);
}

void dm_avro_brief_clear(dm_event_brief_t *b)
{
        free(b->event_id);
        free(b->article_id);
        free(b->url);
        free(b->source_code);
        free(b->source_country);
        free(b->target_code);
        free(b->target_country);
        free(b->cameo_code);
        free(b->cameo_root);
        free(b->trigger);
        memset(b, 0, sizeof(*b));
        b->published_ms = -1;
}

/* A string or ["null","string"] field as an owned copy, NULL for null. */
static char *dm_avro_brief_str(avro_value_t *rec, const char *name)
{
        avro_value_t f, b;
        const char *s;
        size_t size;

        if (avro_value_get_by_name(rec, name, &f, NULL))
                return NULL;
        if (avro_value_get_type(&f) == AVRO_UNION) {
                if (avro_value_get_current_branch(&f, &b))
                        return NULL;
                f = b;
        }
        if (avro_value_get_type(&f) != AVRO_STRING || avro_value_get_string(&f, &s, &size))
                return NULL;
        /* avro-c sizes include the NUL. */
        return dm_strndup(s, size ? size - 1 : 0);
}

static int64_t dm_avro_brief_opt_long(avro_value_t *rec, const char *name, int64_t dflt)
{
        avro_value_t f, b;
        int64_t v;

        if (avro_value_get_by_name(rec, name, &f, NULL))
                return dflt;
        if (avro_value_get_type(&f) == AVRO_UNION) {
                if (avro_value_get_current_branch(&f, &b))
                        return dflt;
                f = b;
        }
        if (avro_value_get_type(&f) != AVRO_INT64 || avro_value_get_long(&f, &v))
                return dflt;
        return v;
}

static int32_t dm_avro_brief_int(avro_value_t *rec, const char *name, int32_t dflt)
{
        avro_value_t f;
        int32_t v;

        if (avro_value_get_by_name(rec, name, &f, NULL) || avro_value_get_int(&f, &v))
                return dflt;
        return v;
}

static void dm_avro_brief_actor(avro_value_t *rec, const char *name, char **code, char **country)
{
        avro_value_t f;

        if (avro_value_get_by_name(rec, name, &f, NULL))
                return;
        *code = dm_avro_brief_str(&f, "code");
        *country = dm_avro_brief_str(&f, "country");
}

int dm_avro_brief_decode(dm_avro_brief_reader_t *r, const void *buf, size_t len,
                         dm_event_brief_t *out, char *errstr, size_t errstr_size)
{
        const unsigned char *p = buf;
        avro_reader_t rd = NULL;
        avro_value_t f;
        size_t hdr;
        uint64_t fp = 0;
        int i, rc = -1;

        dm_avro_brief_clear(out);
        if (len >= DM_AVRO_HEADER_SIZE && p[0] == DM_AVRO_MAGIC0 && p[1] == DM_AVRO_MAGIC1) {
                for (i = 7; i >= 0; i--)
                        fp = (fp << 8) | p[2 + i];
                if (fp != r->fingerprint) {
                        snprintf(errstr, errstr_size,
                                 "not a DiplomaticEvent (schema fingerprint %016llx)",
                                 (unsigned long long)fp);
                        goto done;
                }
                hdr = DM_AVRO_HEADER_SIZE;
        } else if (len >= 5 && p[0] == 0) {
                hdr = 5;
        } else {
                snprintf(errstr, errstr_size, "neither single-object nor Confluent framing");
                goto done;
        }
        rd = avro_reader_memory((const char *)p + hdr, (int64_t)(len - hdr));
        if (!rd) {
                snprintf(errstr, errstr_size, "avro-c: %s", avro_strerror());
                goto done;
        }
        avro_value_reset(&r->value);
        if (avro_value_read(rd, &r->value)) {
                snprintf(errstr, errstr_size, "malformed DiplomaticEvent: %s", avro_strerror());
                goto done;
        }
        out->event_id = dm_avro_brief_str(&r->value, "event_id");
        out->article_id = dm_avro_brief_str(&r->value, "article_id");
        out->url = dm_avro_brief_str(&r->value, "url");
        out->cameo_code = dm_avro_brief_str(&r->value, "cameo_code");
        out->cameo_root = dm_avro_brief_str(&r->value, "cameo_root");
        out->trigger = dm_avro_brief_str(&r->value, "trigger");
        dm_avro_brief_actor(&r->value, "source", &out->source_code, &out->source_country);
        dm_avro_brief_actor(&r->value, "target", &out->target_code, &out->target_country);
        out->published_ms = dm_avro_brief_opt_long(&r->value, "published_at", -1);
        out->quad_class = dm_avro_brief_int(&r->value, "quad_class", 0);
        out->mentions = dm_avro_brief_int(&r->value, "mentions", 1);
        out->goldstein = 0;
        if (!avro_value_get_by_name(&r->value, "goldstein", &f, NULL))
                avro_value_get_double(&f, &out->goldstein);
        if (!out->event_id || !out->article_id) {
                snprintf(errstr, errstr_size, "DiplomaticEvent without event_id or article_id");
                goto done;
        }
        rc = 0;

done:
        if (rd)
                avro_reader_free(rd);
        return rc;
}
