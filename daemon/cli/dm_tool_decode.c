#include "demarche/dm_avro.h"
#include "demarche/dm_config.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_avro_schema.h"
#include "demarche/dm_metrics.h"
#include "demarche/dm_registry.h"
#include "demarche/dm_result_json.h"
#include "demarche/dm_tool.h"

#include <errno.h>
#include <librdkafka/rdkafka.h>
#include <stdlib.h>
#include <string.h>

/* `demarche decode`: users need to look into the topics without writing an
 * Avro consumer; this prints any demarche record as JSON, from files, from a
 * kcat stream or straight from a topic. */

typedef struct dm_decode_meta {
        const char *topic; /* NULL when not from Kafka */
        int32_t partition;
        int64_t offset;
        const void *key;
        size_t key_len;
} dm_decode_meta_t;

/* One decode run's state, passed explicitly (no file-scope state, so that
 * runs in one process, as in the tests, cannot see each other's ids). */
typedef struct dm_decode_ctx {
        const dm_decode_opts_t *o;
        dm_avro_t *av;
        FILE *out, *err;
        /* Registry ids seen so far, mapped to our record kinds by fingerprint. */
        int32_t ids[64];
        int kinds[64];
        int nids;
} dm_decode_ctx_t;

/* Confluent framing (0, 4-byte id, body) to single-object framing, so that
 * one decoder serves both: the id's schema must be one of ours. */
static int dm_decode_unframe(dm_decode_ctx_t *c, const unsigned char *val, size_t len,
                             dm_buf_t *soe, int32_t *id_out, char *msg, size_t msg_size)
{
        int32_t id;
        int i, kind = -1;
        uint64_t fp;
        unsigned char hdr[10];
        if (len < 5) {
                snprintf(msg, msg_size, "Confluent-framed value shorter than 5 bytes");
                return -1;
        }
        id = (int32_t)((uint32_t)val[1] << 24 | (uint32_t)val[2] << 16 | (uint32_t)val[3] << 8 |
                       val[4]);
        *id_out = id;
        for (i = 0; i < c->nids; i++)
                if (c->ids[i] == id)
                        kind = c->kinds[i];
        if (kind < 0) {
                char *text = NULL;
                if (!c->o->registry) {
                        snprintf(msg, msg_size,
                                 "Confluent-framed record (schema id %d): give --registry URL",
                                 (int)id);
                        return -1;
                }
                dm_registry_tls_t tls = {c->o->registry_ca, NULL, NULL};
                if (dm_registry_fetch_schema(c->o->registry, c->o->registry_auth, &tls, id, &text,
                                             msg, msg_size))
                        return -1;
                if (dm_avro_schema_fingerprint(text, strlen(text), &fp, msg, msg_size)) {
                        free(text);
                        return -1;
                }
                free(text);
                for (i = 0; i < DM_AVRO_KIND_COUNT; i++)
                        if (dm_avro_fingerprint(c->av, (dm_avro_kind_t)i) == fp)
                                kind = i;
                if (kind < 0) {
                        snprintf(msg, msg_size, "schema id %d is not one of demarche's schemas",
                                 (int)id);
                        return -1;
                }
                if (c->nids < 64) {
                        c->ids[c->nids] = id;
                        c->kinds[c->nids++] = kind;
                }
        }
        fp = dm_avro_fingerprint(c->av, (dm_avro_kind_t)kind);
        hdr[0] = 0xc3;
        hdr[1] = 0x01;
        for (i = 0; i < 8; i++)
                hdr[2 + i] = (unsigned char)(fp >> (8 * i));
        dm_buf_reset(soe);
        dm_buf_append(soe, hdr, sizeof(hdr));
        dm_buf_append(soe, val + 5, len - 5);
        return 0;
}

/* Decodes one value and prints it; returns 0 or 1. */
static int dm_decode_print(dm_decode_ctx_t *c, const dm_decode_meta_t *m, const void *val,
                           size_t len, const char *where)
{
        dm_avro_kind_t kind;
        dm_buf_t json, line, soe;
        dm_json_writer_t w;
        char msg[256];
        int rc = 0;
        int32_t sid = -1;
        dm_buf_init(&json);
        dm_buf_init(&line);
        dm_buf_init(&soe);
        if (len > 0 && ((const unsigned char *)val)[0] == 0) {
                if (dm_decode_unframe(c, val, len, &soe, &sid, msg, sizeof(msg))) {
                        fprintf(c->err, "demarche decode: %s: %s\n", where, msg);
                        rc = 1;
                        goto done;
                }
                val = soe.data;
                len = soe.len;
        }
        if (dm_avro_identify(c->av, val, len, &kind, msg, sizeof(msg)) ||
            dm_avro_decode_to_json(c->av, val, len, &json, msg, sizeof(msg))) {
                fprintf(c->err, "demarche decode: %s: %s\n", where, msg);
                rc = 1;
                goto done;
        }
        dm_json_writer_init(&w, &line, 0);
        dm_json_begin_object(&w);
        if (m->topic) {
                dm_json_key(&w, "topic");
                dm_json_string(&w, m->topic);
                dm_json_key(&w, "partition");
                dm_json_int(&w, m->partition);
                dm_json_key(&w, "offset");
                dm_json_int(&w, m->offset);
        }
        dm_json_key(&w, "key");
        if (m->key)
                dm_json_string_len(&w, m->key, m->key_len);
        else
                dm_json_null(&w);
        dm_json_key(&w, "schema");
        dm_json_string(&w, dm_avro_kind_name(kind));
        if (sid >= 0) {
                dm_json_key(&w, "schema_id");
                dm_json_int(&w, sid);
        }
        dm_json_key(&w, "value");
        /* The decoder's output is a complete JSON object: splice it in. */
        dm_buf_append(&line, json.data, json.len);
        dm_buf_putc(&line, '}');
        fprintf(c->out, "%s\n", line.data);
done:
        dm_buf_free(&json);
        dm_buf_free(&line);
        dm_buf_free(&soe);
        return rc;
}

/* kcat -f '%K\t%S\n%k%s\n': a header "keylen\tvaluelen" then the bytes. */
static int dm_decode_kcat(dm_decode_ctx_t *c, FILE *in)
{
        dm_buf_t b;
        size_t pos = 0;
        int failed = 0;
        long n = 0;
        dm_buf_init(&b);
        if (dm_buf_read_stream(&b, in)) {
                fprintf(c->err, "demarche decode: read error on stdin\n");
                dm_buf_free(&b);
                return 1;
        }
        while (pos < b.len) {
                char *nl = memchr(b.data + pos, '\n', b.len - pos), *end, where[64];
                long kl, vl;
                dm_decode_meta_t m = {0};
                if (!nl)
                        break;
                kl = strtol(b.data + pos, &end, 10);
                vl = (*end == '\t') ? strtol(end + 1, &end, 10) : -2;
                if (vl < -1 || kl < -1) {
                        fprintf(c->err, "demarche decode: bad kcat frame header at byte %zu\n",
                                pos);
                        failed = 1;
                        break;
                }
                pos = (size_t)(nl - b.data) + 1;
                if (pos + (size_t)(kl > 0 ? kl : 0) + (size_t)(vl > 0 ? vl : 0) > b.len) {
                        fprintf(c->err, "demarche decode: truncated kcat frame\n");
                        failed = 1;
                        break;
                }
                if (kl >= 0) {
                        m.key = b.data + pos;
                        m.key_len = (size_t)kl;
                        pos += (size_t)kl;
                }
                snprintf(where, sizeof(where), "record %ld", ++n);
                if (vl >= 0) {
                        failed |= dm_decode_print(c, &m, b.data + pos, (size_t)vl, where);
                        pos += (size_t)vl;
                }
                if (pos < b.len && b.data[pos] == '\n')
                        pos++;
        }
        dm_buf_free(&b);
        return failed;
}

static int dm_decode_topic(dm_decode_ctx_t *c)
{
        const dm_decode_opts_t *o = c->o;
        FILE *err = c->err;
        char errstr[512];
        rd_kafka_conf_t *kc = rd_kafka_conf_new();
        rd_kafka_t *rk = NULL;
        const struct rd_kafka_metadata *md = NULL;
        rd_kafka_topic_t *rkt = NULL;
        rd_kafka_topic_partition_list_t *parts = NULL;
        int i, eofs = 0, failed = 0, nparts;
        long count = 0;
        if (rd_kafka_conf_set(kc, "bootstrap.servers", o->brokers, errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(kc, "group.id", "demarche-decode", errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(kc, "enable.partition.eof", "true", errstr, sizeof(errstr)) ||
            rd_kafka_conf_set(kc, "enable.auto.commit", "false", errstr, sizeof(errstr))) {
                fprintf(err, "demarche decode: %s\n", errstr);
                rd_kafka_conf_destroy(kc);
                return 2;
        }
        rk = rd_kafka_new(RD_KAFKA_CONSUMER, kc, errstr, sizeof(errstr));
        if (!rk) {
                fprintf(err, "demarche decode: %s\n", errstr);
                rd_kafka_conf_destroy(kc);
                return 2;
        }
        rkt = rd_kafka_topic_new(rk, o->topic, NULL);
        if (rd_kafka_metadata(rk, 0, rkt, &md, 10000) || md->topic_cnt != 1 || md->topics[0].err) {
                fprintf(err, "demarche decode: topic %s: %s\n", o->topic,
                        md && md->topic_cnt ? rd_kafka_err2str(md->topics[0].err)
                                            : "no metadata (broker unreachable?)");
                failed = 2;
                goto done;
        }
        nparts = md->topics[0].partition_cnt;
        parts = rd_kafka_topic_partition_list_new(nparts);
        for (i = 0; i < nparts; i++)
                rd_kafka_topic_partition_list_add(parts, o->topic, md->topics[0].partitions[i].id)
                    ->offset = o->from_end ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
        rd_kafka_assign(rk, parts);
        /* Until every partition reported EOF (caught up), or the count. */
        while (eofs < nparts && (!o->max_count || count < o->max_count)) {
                rd_kafka_message_t *msg = rd_kafka_consumer_poll(rk, 1000);
                dm_decode_meta_t m;
                char where[96];
                if (!msg)
                        continue;
                if (msg->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
                        eofs++;
                } else if (msg->err) {
                        fprintf(err, "demarche decode: %s\n", rd_kafka_message_errstr(msg));
                        failed = 1;
                } else {
                        m.topic = o->topic;
                        m.partition = msg->partition;
                        m.offset = msg->offset;
                        m.key = msg->key;
                        m.key_len = msg->key_len;
                        snprintf(where, sizeof(where), "%s[%d]@%lld", o->topic, msg->partition,
                                 (long long)msg->offset);
                        failed |= dm_decode_print(c, &m, msg->payload, msg->len, where);
                        count++;
                }
                rd_kafka_message_destroy(msg);
        }
done:
        if (parts)
                rd_kafka_topic_partition_list_destroy(parts);
        if (md)
                rd_kafka_metadata_destroy(md);
        if (rkt)
                rd_kafka_topic_destroy(rkt);
        rd_kafka_consumer_close(rk);
        rd_kafka_destroy(rk);
        return failed;
}

int dm_tool_decode(const dm_decode_opts_t *o, FILE *in, FILE *out, FILE *err)
{
        char errstr[256];
        dm_decode_ctx_t c = {.o = o, .out = out, .err = err};
        int rc = 0, i;
        c.av = dm_avro_new(errstr, sizeof(errstr));
        if (!c.av) {
                fprintf(err, "demarche decode: schemas: %s\n", errstr);
                return 2;
        }
        if (o->topic) {
                rc = dm_decode_topic(&c);
        } else if (o->kcat) {
                rc = dm_decode_kcat(&c, in);
        } else {
                for (i = 0; i < o->nfiles; i++) {
                        FILE *fp = strcmp(o->files[i], "-") ? fopen(o->files[i], "rb") : in;
                        dm_buf_t b;
                        dm_decode_meta_t m = {0};
                        if (!fp) {
                                fprintf(err, "demarche decode: %s: %s\n", o->files[i],
                                        strerror(errno));
                                rc = 1;
                                continue;
                        }
                        dm_buf_init(&b);
                        if (dm_buf_read_stream(&b, fp) == 0)
                                rc |= dm_decode_print(&c, &m, b.data ? b.data : "", b.len,
                                                      o->files[i]);
                        else
                                rc = 1;
                        dm_buf_free(&b);
                        if (fp != in)
                                fclose(fp);
                }
        }
        dm_avro_destroy(c.av);
        return rc;
}

int dm_tool_config_doc(FILE *out)
{
        dm_config_write_doc(out);
        return 0;
}

int dm_tool_metrics_doc(FILE *out)
{
        dm_metrics_write_doc(out);
        return 0;
}
