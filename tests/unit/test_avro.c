/* Avro output: Parsing Canonical Form and CRC-64-AVRO against the published
 * test vectors, the single-object encoders (round trips through avro-c,
 * field by field), the decoder, the JSON forms, and an independent decoder
 * (tests/e2e/avro_decode.py on Debian's python3-avro) reading our bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <avro.h>
#include <jansson.h>

#include "demarche/dm_avro.h"
#include "demarche/dm_avro_schema.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_result_json.h"

static dm_avro_t *g_avro;

/* ---- canonical form and fingerprints ---- */

/* share/test/data/schema-tests.txt of the Avro project (Java), cases 000 to
 * 033; fingerprints as printed there (a Java long: the same 64 bits as our
 * uint64_t read as signed). Case 026's "default":"true" is kept as given. */
struct spec_vector {
        const char *input;
        const char *canonical;
        int64_t fingerprint;
        int has_fingerprint;
};

static const struct spec_vector spec_vectors[] = {
    /* 000 */ {"\"null\"", "\"null\"", INT64_C(7195948357588979594), 1},
    /* 001 */ {"{\"type\":\"null\"}", "\"null\"", 0, 0},
    /* 002 */ {"\"boolean\"", "\"boolean\"", INT64_C(-6970731678124411036), 1},
    /* 003 */ {"{\"type\":\"boolean\"}", "\"boolean\"", 0, 0},
    /* 004 */ {"\"int\"", "\"int\"", INT64_C(8247732601305521295), 1},
    /* 005 */ {"{\"type\":\"int\"}", "\"int\"", 0, 0},
    /* 006 */ {"\"long\"", "\"long\"", INT64_C(-3434872931120570953), 1},
    /* 007 */ {"{\"type\":\"long\"}", "\"long\"", 0, 0},
    /* 008 */ {"\"float\"", "\"float\"", INT64_C(5583340709985441680), 1},
    /* 009 */ {"{\"type\":\"float\"}", "\"float\"", 0, 0},
    /* 010 */ {"\"double\"", "\"double\"", INT64_C(-8181574048448539266), 1},
    /* 011 */ {"{\"type\":\"double\"}", "\"double\"", 0, 0},
    /* 012 */ {"\"bytes\"", "\"bytes\"", INT64_C(5746618253357095269), 1},
    /* 013 */ {"{\"type\":\"bytes\"}", "\"bytes\"", 0, 0},
    /* 014 */ {"\"string\"", "\"string\"", INT64_C(-8142146995180207161), 1},
    /* 015 */ {"{\"type\":\"string\"}", "\"string\"", 0, 0},
    /* 016 */ {"[  ]", "[]", INT64_C(-1241056759729112623), 1},
    /* 017 */ {"[ \"int\"  ]", "[\"int\"]", INT64_C(-5232228896498058493), 1},
    /* 018 */
    {"[ \"int\" , {\"type\":\"boolean\"} ]", "[\"int\",\"boolean\"]", INT64_C(5392556393470105090),
     1},
    /* 019 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\"}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922), 1},
    /* 020 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"namespace\":\"x.y\"}",
     "{\"name\":\"x.y.foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(5916914534497305771), 1},
    /* 021 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"a.b.foo\", \"namespace\":\"x.y\"}",
     "{\"name\":\"a.b.foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4616218487480524110), 1},
    /* 022 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"Useful info\"}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922), 1},
    /* 023 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922), 1},
    /* 024 */
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"foo\", "
     "\"aliases\":[\"foo\",\"bar\"]}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922), 1},
    /* 025 */
    {"{\"fields\":[{\"type\":{\"type\":\"boolean\"}, \"name\":\"f1\"}], \"type\":\"record\", "
     "\"name\":\"foo\"}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"}]}",
     INT64_C(7843277075252814651), 1},
    /* 026 */
    {"{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", "
     "\"default\":\"true\"},\n            "
     "{\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n  "
     "\"type\":\"record\", \"name\":\"foo\"\n}",
     "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"},{"
     "\"name\":\"f2\",\"type\":\"int\"}]}",
     INT64_C(-4860222112080293046), 1},
    /* 027 */
    {"{\"type\":\"enum\", \"name\":\"foo\", \"symbols\":[\"A1\"]}",
     "{\"name\":\"foo\",\"type\":\"enum\",\"symbols\":[\"A1\"]}", INT64_C(-6342190197741309591), 1},
    /* 028 */
    {"{\"namespace\":\"x.y.z\", \"type\":\"enum\", \"name\":\"foo\", \"doc\":\"foo bar\", "
     "\"symbols\":[\"A1\", \"A2\"]}",
     "{\"name\":\"x.y.z.foo\",\"type\":\"enum\",\"symbols\":[\"A1\",\"A2\"]}",
     INT64_C(-4448647247586288245), 1},
    /* 029 */
    {"{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}",
     "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", INT64_C(1756455273707447556), 1},
    /* 030 */
    {"{\"namespace\":\"x.y.z\", \"type\":\"fixed\", \"name\":\"foo\", \"doc\":\"foo bar\", "
     "\"size\":32}",
     "{\"name\":\"x.y.z.foo\",\"type\":\"fixed\",\"size\":32}", INT64_C(-3064184465700546786), 1},
    /* 031 */
    {"{ \"items\":{\"type\":\"null\"}, \"type\":\"array\"}",
     "{\"type\":\"array\",\"items\":\"null\"}", INT64_C(-589620603366471059), 1},
    /* 032 */
    {"{ \"values\":\"string\", \"type\":\"map\"}", "{\"type\":\"map\",\"values\":\"string\"}",
     INT64_C(-8732877298790414990), 1},
    /* 033 */
    {"  {\"name\":\"PigValue\",\"type\":\"record\",\n   \"fields\":[{\"name\":\"value\", "
     "\"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}",
     "{\"name\":\"PigValue\",\"type\":\"record\",\"fields\":[{\"name\":\"value\",\"type\":["
     "\"null\",\"int\",\"long\",\"PigValue\"]}]}",
     INT64_C(-1759257747318642341), 1},
};

/* Namespace inheritance and stripping cases beyond the published file. The
 * expected values come from fastavro 1.13 (to_parsing_canonical_form and
 * fingerprint CRC-64-AVRO) unless noted. */
struct ns_vector {
        const char *input;
        const char *canonical;
        uint64_t fingerprint;
};

static const struct ns_vector ns_vectors[] = {
    /* fastavro */
    {"{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"f\","
     "\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":[{\"name\":\"x\",\"type\":"
     "\"int\"}]}},{\"name\":\"g\",\"type\":\"Inner\"}]}",
     "{\"name\":\"a.b.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":"
     "\"a.b.Inner\",\"type\":\"record\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}},{\"name\":"
     "\"g\",\"type\":\"a.b.Inner\"}]}",
     UINT64_C(0x67ed1e834694ab2d)},
    /* fastavro */
    {"{\"type\":\"record\",\"name\":\"c.d.Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":"
     "\"f\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}},{\"name\":\"g\","
     "\"type\":[\"null\",\"c.d.E\"]}]}",
     "{\"name\":\"c.d.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":"
     "\"c.d.E\",\"type\":\"enum\",\"symbols\":[\"X\"]}},{\"name\":\"g\",\"type\":[\"null\",\"c.d."
     "E\"]}]}",
     UINT64_C(0xf5100a81efcbd569)},
    /* Java-style null-namespace fallback; fastavro rejects */
    {"{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"f\","
     "\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":4}},{\"name\":\"g\","
     "\"type\":\"F\"}]}",
     "{\"name\":\"a.b.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":"
     "\"F\",\"type\":\"fixed\",\"size\":4}},{\"name\":\"g\",\"type\":\"F\"}]}",
     UINT64_C(0xdd4ddc36fc0994e6)},
    /* fastavro */
    {"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"x\",\"fields\":[{\"name\":\"a\",\"type\":"
     "{\"type\":\"record\",\"name\":\"S\",\"namespace\":\"y\",\"fields\":[{\"name\":\"b\",\"type\":"
     "{\"type\":\"enum\",\"name\":\"T\",\"symbols\":[\"Q\"]}}]}},{\"name\":\"c\",\"type\":\"y.T\"},"
     "{\"name\":\"d\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"y.S\"}}"
     "}]}",
     "{\"name\":\"x.R\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":{\"name\":\"y.S\","
     "\"type\":\"record\",\"fields\":[{\"name\":\"b\",\"type\":{\"name\":\"y.T\",\"type\":\"enum\","
     "\"symbols\":[\"Q\"]}}]}},{\"name\":\"c\",\"type\":\"y.T\"},{\"name\":\"d\",\"type\":{"
     "\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"y.S\"}}}]}",
     UINT64_C(0x09f6facbd9214fde)},
    /* fastavro */
    {"{\"type\":\"record\",\"name\":\"L\",\"doc\":\"d\u00e9j\u00e0\",\"fields\":[{\"name\":\"t\","
     "\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"default\":0},{\"name\":"
     "\"m\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}},"
     "{\"name\":\"u\",\"type\":{\"type\":\"fixed\",\"name\":\"dur\",\"size\":12,\"logicalType\":"
     "\"duration\"}},{\"name\":\"v\",\"type\":[\"null\",{\"type\":\"string\",\"logicalType\":"
     "\"uuid\"}],\"default\":null,\"order\":\"ignore\",\"aliases\":[\"w\"]}]}",
     "{\"name\":\"L\",\"type\":\"record\",\"fields\":[{\"name\":\"t\",\"type\":\"long\"},{\"name\":"
     "\"m\",\"type\":\"bytes\"},{\"name\":\"u\",\"type\":{\"name\":\"dur\",\"type\":\"fixed\","
     "\"size\":12}},{\"name\":\"v\",\"type\":[\"null\",\"string\"]}]}",
     UINT64_C(0xd173b418e5d00094)},
    /* [STRINGS] and [INTEGERS]: escapes decoded, quoted size and its
     * leading zeros dropped; must equal case 029 of the published file. */
    {"{\"type\":\"fixed\",\"name\":\"\\u0066oo\",\"size\":\"015\"}",
     "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", UINT64_C(1756455273707447556)},
};

static void test_crc64_empty(void **state)
{
        assert_true(dm_avro_crc64("", 0) == DM_AVRO_CRC64_EMPTY);
}

static void check_canonical(const char *input, const char *want, uint64_t fp, int has_fp)
{
        char err[256];
        size_t len = 0;
        uint64_t got_fp = 0;
        char *canon = dm_avro_schema_canonical(input, strlen(input), &len, err, sizeof(err));

        if (!canon)
                fail_msg("canonical form of %s failed: %s", input, err);
        if (strcmp(canon, want))
                fail_msg("canonical form of %s\n got: %s\nwant: %s", input, canon, want);
        assert_int_equal(len, strlen(want));
        assert_int_equal(
            dm_avro_schema_fingerprint(input, strlen(input), &got_fp, err, sizeof(err)), 0);
        assert_true(got_fp == dm_avro_crc64(want, strlen(want)));
        if (has_fp && got_fp != fp)
                fail_msg("fingerprint of %s: got %016llx want %016llx", want,
                         (unsigned long long)got_fp, (unsigned long long)fp);
        free(canon);
}

static void test_spec_vectors(void **state)
{
        size_t i;

        for (i = 0; i < sizeof(spec_vectors) / sizeof(spec_vectors[0]); i++)
                check_canonical(spec_vectors[i].input, spec_vectors[i].canonical,
                                (uint64_t)spec_vectors[i].fingerprint,
                                spec_vectors[i].has_fingerprint);
}

static void test_namespace_vectors(void **state)
{
        size_t i;

        for (i = 0; i < sizeof(ns_vectors) / sizeof(ns_vectors[0]); i++)
                check_canonical(ns_vectors[i].input, ns_vectors[i].canonical,
                                ns_vectors[i].fingerprint, 1);
}

static void test_schema_errors(void **state)
{
        static const char *const bad[] = {
            "",
            "{",
            "42",
            "\"Unknown\"",
            "{\"type\":\"fixed\",\"name\":\"f\"}",
            "{\"type\":\"array\"}",
            "{\"type\":\"enum\",\"symbols\":[\"A\"]}",
            "{\"name\":\"a\",\"fields\":[]}",
            /* defined twice */
            "{\"type\":\"record\",\"name\":\"a\",\"fields\":[{\"name\":\"x\",\"type\":"
            "{\"type\":\"record\",\"name\":\"a\",\"fields\":[]}}]}",
            /* a reference must follow the definition */
            "[\"B\",{\"type\":\"fixed\",\"name\":\"B\",\"size\":1}]",
            /* a type in namespace x is not visible as plain "B" from y */
            "{\"type\":\"record\",\"name\":\"y.R\",\"fields\":[{\"name\":\"a\",\"type\":"
            "{\"type\":\"fixed\",\"name\":\"x.B\",\"size\":1}},{\"name\":\"b\",\"type\":\"B\"}]}",
        };
        char err[256];
        size_t i;

        for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                err[0] = '\0';
                if (dm_avro_schema_canonical(bad[i], strlen(bad[i]), NULL, err, sizeof(err)))
                        fail_msg("schema %s was accepted", bad[i]);
                assert_true(err[0] != '\0');
        }
}

static char *read_file(const char *path, size_t *len)
{
        FILE *f = fopen(path, "rb");
        dm_buf_t b;
        char chunk[4096];
        size_t n;

        if (!f)
                return NULL;
        dm_buf_init(&b);
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
                dm_buf_append(&b, chunk, n);
        fclose(f);
        *len = b.len;
        return dm_buf_steal(&b);
}

static void test_embedded_schemas(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        char err[256];
        int k, j;

        for (k = 0; k < DM_AVRO_KIND_COUNT; k++) {
                const char *text = dm_avro_schema_text(g_avro, k);
                uint64_t fp = 0;

                assert_non_null(text);
                assert_int_equal(
                    dm_avro_schema_fingerprint(text, strlen(text), &fp, err, sizeof(err)), 0);
                assert_true(fp == dm_avro_fingerprint(g_avro, k));
                for (j = 0; j < k; j++)
                        assert_true(dm_avro_fingerprint(g_avro, j) != fp);
                print_message("%-16s fingerprint %016llx (Java long %lld)\n", dm_avro_kind_name(k),
                              (unsigned long long)fp, (long long)(int64_t)fp);
                if (src) {
                        char *path = dm_asprintf("%s/schemas/%s.avsc", src, dm_avro_kind_name(k));
                        size_t len = 0;
                        char *file = read_file(path, &len);

                        assert_non_null(file);
                        assert_int_equal(len, strlen(text));
                        assert_memory_equal(file, text, len);
                        free(file);
                        free(path);
                }
        }
        assert_null(dm_avro_schema_text(g_avro, DM_AVRO_KIND_COUNT));
        assert_true(dm_avro_fingerprint(g_avro, DM_AVRO_KIND_COUNT) == 0);
        assert_string_equal(dm_avro_kind_name(DM_AVRO_EVENT), "DiplomaticEvent");
}

/* ---- a populated result ---- */

static void fill_result(dm_result_t *r)
{
        dm_entity_t *e;
        dm_event_t *ev;

        dm_result_init(r);
        r->article_id = dm_strdup("art-1");
        r->url = dm_strdup("https://example.org/news/1?x=\"y\"");
        r->title = dm_strdup("Japan and South Korea hold talks in Seoul");
        r->source = NULL;
        r->language = dm_strdup("en");
        r->published_ms = INT64_C(1700000000123);
        r->annotated_ms = INT64_C(1700000100456);
        r->text = dm_strdup("Japan met South Korea in Séoul.\n\"Tokyo\" said\ttalks went well.");
        r->sentence_count = 2;

        e = dm_result_add_entity(r);
        e->type = DM_ENTITY_COUNTRY;
        e->name = dm_strdup("Japan");
        e->code = dm_strdup("JPN");
        e->country = dm_strdup("JPN");
        e->iso3 = dm_strdup("JPN");
        e->start = 0;
        e->end = 5;
        e->sentence = 0;
        e->mentions = 2;
        e->salience = 0.4;

        e = dm_result_add_entity(r);
        e->type = DM_ENTITY_PERSON;
        e->name = dm_strdup("Yoon Suk-yeol");
        e->start = 100;
        e->end = 113;
        e->sentence = 1;
        e->mentions = 1;
        e->salience = 1.0 / 3.0;

        /* Out of range: written as UNKNOWN; NULL name: written as "". */
        e = dm_result_add_entity(r);
        e->type = (dm_entity_type_t)99;
        e->start = -1;
        e->end = -1;
        e->sentence = -1;
        e->salience = 0;

        ev = dm_result_add_event(r);
        ev->sentence = 0;
        ev->source.code = dm_strdup("JPN");
        ev->source.country = dm_strdup("JPN");
        ev->source.text = dm_strdup("Japan");
        ev->source.start = 0;
        ev->source.end = 5;
        ev->target.code = dm_strdup("KORGOV");
        ev->target.country = dm_strdup("KOR");
        ev->target.text = dm_strdup("South Korea");
        ev->target.start = 10;
        ev->target.end = 21;
        ev->cameo_code = dm_strdup("0311");
        ev->cameo_root = dm_strdup("03");
        ev->quad_class = 1;
        ev->goldstein = 5.2;
        ev->plover_category = dm_strdup("CONSULT");
        ev->plover_mode = dm_strdup("visit");
        ev->plover_context = dm_strdup("diplomatic");
        ev->trigger = dm_strdup("met");
        ev->pattern = dm_strdup("MEET [040]");
        ev->negated = 0;
        ev->hypothetical = 1;
        ev->historical = 0;

        /* Every optional field NULL, no target actor. */
        ev = dm_result_add_event(r);
        ev->sentence = 1;
        ev->source.code = dm_strdup("JPN");
        ev->source.start = 33;
        ev->source.end = 40;
        ev->target.start = -1;
        ev->target.end = -1;
        ev->cameo_code = dm_strdup("190");
        ev->cameo_root = dm_strdup("19");
        ev->quad_class = 4;
        ev->goldstein = -10.0;
        ev->negated = 1;
        ev->hypothetical = 0;
        ev->historical = 1;
}

/* ---- avro-c side decoding and field checks ---- */

typedef struct decoded {
        avro_schema_t schema;
        avro_value_iface_t *iface;
        avro_value_t value;
} decoded_t;

static void check_header(const dm_buf_t *b, dm_avro_kind_t kind)
{
        uint64_t fp = dm_avro_fingerprint(g_avro, kind);
        int i;

        assert_true(b->len > DM_AVRO_HEADER_SIZE);
        assert_int_equal((unsigned char)b->data[0], 0xc3);
        assert_int_equal((unsigned char)b->data[1], 0x01);
        for (i = 0; i < 8; i++)
                assert_int_equal((unsigned char)b->data[2 + i], (fp >> (8 * i)) & 0xff);
}

/* Decodes with a schema parsed afresh from the schema text, so that the
 * check does not share state with the encoder under test. */
static void decode_body(dm_avro_kind_t kind, const dm_buf_t *b, decoded_t *d)
{
        const char *text = dm_avro_schema_text(g_avro, kind);
        avro_reader_t reader;
        char extra;

        check_header(b, kind);
        assert_int_equal(avro_schema_from_json_length(text, strlen(text), &d->schema), 0);
        d->iface = avro_generic_class_from_schema(d->schema);
        assert_non_null(d->iface);
        assert_int_equal(avro_generic_value_new(d->iface, &d->value), 0);
        reader = avro_reader_memory(b->data + DM_AVRO_HEADER_SIZE,
                                    (int64_t)(b->len - DM_AVRO_HEADER_SIZE));
        if (avro_value_read(reader, &d->value))
                fail_msg("avro-c cannot read the body: %s", avro_strerror());
        /* The whole body was consumed. */
        assert_int_not_equal(avro_read(reader, &extra, 1), 0);
        avro_reader_free(reader);
}

static void decoded_free(decoded_t *d)
{
        avro_value_decref(&d->value);
        avro_value_iface_decref(d->iface);
        avro_schema_decref(d->schema);
}

static avro_value_t field(avro_value_t *rec, const char *name)
{
        avro_value_t f;

        if (avro_value_get_by_name(rec, name, &f, NULL))
                fail_msg("record has no field %s", name);
        return f;
}

static void check_nfields(avro_value_t *rec, size_t want)
{
        size_t n = 0;

        assert_int_equal(avro_value_get_size(rec, &n), 0);
        assert_int_equal(n, want);
}

static void check_string_value(avro_value_t *v, const char *name, const char *want)
{
        const char *s = NULL;
        size_t size = 0;

        if (avro_value_get_string(v, &s, &size))
                fail_msg("field %s is not a string", name);
        /* avro-c counts the terminating NUL in string sizes. */
        assert_int_equal(size, strlen(want) + 1);
        if (strcmp(s, want))
                fail_msg("field %s: got \"%s\" want \"%s\"", name, s, want);
}

static void check_str(avro_value_t *rec, const char *name, const char *want)
{
        avro_value_t f = field(rec, name);

        check_string_value(&f, name, want);
}

static void check_opt_str(avro_value_t *rec, const char *name, const char *want)
{
        avro_value_t f = field(rec, name), b;
        int disc = -1;

        assert_int_equal(avro_value_get_discriminant(&f, &disc), 0);
        assert_int_equal(avro_value_get_current_branch(&f, &b), 0);
        if (!want) {
                if (disc != 0 || avro_value_get_type(&b) != AVRO_NULL)
                        fail_msg("field %s: want null, got branch %d", name, disc);
                return;
        }
        if (disc != 1)
                fail_msg("field %s: want \"%s\", got branch %d", name, want, disc);
        check_string_value(&b, name, want);
}

static void check_int(avro_value_t *rec, const char *name, int32_t want)
{
        avro_value_t f = field(rec, name);
        int32_t v = 0;

        assert_int_equal(avro_value_get_int(&f, &v), 0);
        if (v != want)
                fail_msg("field %s: got %d want %d", name, v, want);
}

static void check_long(avro_value_t *rec, const char *name, int64_t want)
{
        avro_value_t f = field(rec, name);
        int64_t v = 0;

        assert_int_equal(avro_value_get_long(&f, &v), 0);
        assert_true(v == want);
}

static void check_opt_long(avro_value_t *rec, const char *name, int64_t want, int present)
{
        avro_value_t f = field(rec, name), b;
        int disc = -1;
        int64_t v = 0;

        assert_int_equal(avro_value_get_discriminant(&f, &disc), 0);
        assert_int_equal(avro_value_get_current_branch(&f, &b), 0);
        assert_int_equal(disc, present ? 1 : 0);
        if (present) {
                assert_int_equal(avro_value_get_long(&b, &v), 0);
                assert_true(v == want);
        }
}

static void check_double(avro_value_t *rec, const char *name, double want)
{
        avro_value_t f = field(rec, name);
        double v = 0;

        assert_int_equal(avro_value_get_double(&f, &v), 0);
        /* Exact: the binary encoding carries the IEEE bits. */
        if (v != want)
                fail_msg("field %s: got %.17g want %.17g", name, v, want);
}

static void check_bool(avro_value_t *rec, const char *name, int want)
{
        avro_value_t f = field(rec, name);
        int v = -1;

        assert_int_equal(avro_value_get_boolean(&f, &v), 0);
        assert_int_equal(v, want != 0);
}

static void check_enum(avro_value_t *rec, const char *name, const char *want)
{
        avro_value_t f = field(rec, name);
        int v = -1;
        const char *sym;

        assert_int_equal(avro_value_get_enum(&f, &v), 0);
        sym = avro_schema_enum_get(avro_value_get_schema(&f), v);
        assert_non_null(sym);
        assert_string_equal(sym, want);
}

static void check_actor(avro_value_t *rec, const char *name, const dm_actor_ref_t *a)
{
        avro_value_t f = field(rec, name);

        check_nfields(&f, 5);
        check_opt_str(&f, "code", a->code);
        check_opt_str(&f, "country", a->country);
        check_opt_str(&f, "text", a->text);
        check_int(&f, "start", a->start);
        check_int(&f, "end", a->end);
}

static void check_event(avro_value_t *rec, const dm_result_t *r, size_t i, int standalone)
{
        const dm_event_t *ev = &r->events[i];
        char *id = dm_asprintf("%s:%zu", r->article_id, i);

        check_nfields(rec, standalone ? 19 : 17);
        check_str(rec, "event_id", id);
        check_str(rec, "article_id", r->article_id);
        if (standalone) {
                check_opt_long(rec, "published_at", r->published_ms, r->published_ms != -1);
                check_opt_str(rec, "url", r->url);
        }
        check_int(rec, "sentence", ev->sentence);
        check_actor(rec, "source", &ev->source);
        check_actor(rec, "target", &ev->target);
        check_str(rec, "cameo_code", ev->cameo_code);
        check_str(rec, "cameo_root", ev->cameo_root);
        check_int(rec, "quad_class", ev->quad_class);
        check_double(rec, "goldstein", ev->goldstein);
        check_opt_str(rec, "plover_category", ev->plover_category);
        check_opt_str(rec, "plover_mode", ev->plover_mode);
        check_opt_str(rec, "plover_context", ev->plover_context);
        check_opt_str(rec, "trigger", ev->trigger);
        check_opt_str(rec, "pattern", ev->pattern);
        check_bool(rec, "negated", ev->negated);
        check_bool(rec, "hypothetical", ev->hypothetical);
        check_bool(rec, "historical", ev->historical);
        free(id);
}

static void check_entity(avro_value_t *rec, const dm_entity_t *e)
{
        check_nfields(rec, 10);
        check_enum(rec, "type",
                   (unsigned)e->type < DM_ENTITY_TYPE_COUNT ? dm_entity_type_name(e->type)
                                                            : "UNKNOWN");
        check_str(rec, "name", e->name ? e->name : "");
        check_opt_str(rec, "code", e->code);
        check_opt_str(rec, "country", e->country);
        check_opt_str(rec, "iso3", e->iso3);
        check_int(rec, "start", e->start);
        check_int(rec, "end", e->end);
        check_int(rec, "sentence", e->sentence);
        check_int(rec, "mentions", e->mentions);
        check_double(rec, "salience", e->salience);
}

static void check_article(avro_value_t *rec, const dm_result_t *r)
{
        avro_value_t arr, item;
        size_t n = 0, i;

        check_nfields(rec, 11);
        check_str(rec, "article_id", r->article_id);
        check_opt_str(rec, "url", r->url);
        check_opt_str(rec, "title", r->title);
        check_opt_str(rec, "source", r->source);
        check_opt_str(rec, "language", r->language);
        check_opt_long(rec, "published_at", r->published_ms, r->published_ms != -1);
        check_long(rec, "annotated_at", r->annotated_ms);
        check_opt_str(rec, "text", r->text);
        check_int(rec, "sentence_count", r->sentence_count);

        arr = field(rec, "entities");
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->entity_count);
        for (i = 0; i < n; i++) {
                assert_int_equal(avro_value_get_by_index(&arr, i, &item, NULL), 0);
                check_entity(&item, &r->entities[i]);
        }
        arr = field(rec, "events");
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->event_count);
        for (i = 0; i < n; i++) {
                assert_int_equal(avro_value_get_by_index(&arr, i, &item, NULL), 0);
                check_event(&item, r, i, 0);
        }
}

/* ---- encoders ---- */

static void test_article_round_trip(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r, empty;
        dm_buf_t out;
        decoded_t d;
        char err[256];

        fill_result(&r);
        dm_buf_init(&out);
        if (dm_avro_encode_article(enc, &r, &out, err, sizeof(err)))
                fail_msg("encode: %s", err);
        decode_body(DM_AVRO_ARTICLE, &out, &d);
        check_article(&d.value, &r);
        decoded_free(&d);

        /* The encoder's values are reused: a second, smaller record must
         * not inherit entities, events or union branches from the first. */
        dm_result_init(&empty);
        empty.article_id = dm_strdup("art-2");
        if (dm_avro_encode_article(enc, &empty, &out, err, sizeof(err)))
                fail_msg("encode: %s", err);
        decode_body(DM_AVRO_ARTICLE, &out, &d);
        check_article(&d.value, &empty);
        decoded_free(&d);

        /* And the first one again, byte for byte as before. */
        {
                dm_buf_t again;

                dm_buf_init(&again);
                assert_int_equal(dm_avro_encode_article(enc, &r, &again, err, sizeof(err)), 0);
                assert_int_equal(dm_avro_encode_article(enc, &r, &out, err, sizeof(err)), 0);
                assert_int_equal(again.len, out.len);
                assert_memory_equal(again.data, out.data, out.len);
                dm_buf_free(&again);
        }

        dm_result_clear(&empty);
        dm_result_clear(&r);
        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

static void test_event_round_trip(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r;
        dm_buf_t out;
        decoded_t d;
        char err[256];
        size_t i;

        fill_result(&r);
        dm_buf_init(&out);
        for (i = 0; i < r.event_count; i++) {
                if (dm_avro_encode_event(enc, &r, i, &out, err, sizeof(err)))
                        fail_msg("encode: %s", err);
                decode_body(DM_AVRO_EVENT, &out, &d);
                check_event(&d.value, &r, i, 1);
                decoded_free(&d);
        }
        /* Unknown publication time and URL: nulls. */
        r.published_ms = -1;
        free(r.url);
        r.url = NULL;
        assert_int_equal(dm_avro_encode_event(enc, &r, 1, &out, err, sizeof(err)), 0);
        decode_body(DM_AVRO_EVENT, &out, &d);
        check_event(&d.value, &r, 1, 1);
        decoded_free(&d);

        err[0] = '\0';
        assert_int_equal(dm_avro_encode_event(enc, &r, r.event_count, &out, err, sizeof(err)), -1);
        assert_true(err[0] != '\0');

        dm_result_clear(&r);
        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

/* A JSON envelope cut short, with NULs and bytes that are not UTF-8. */
static const char rejected_original[] = "{\"id\":\0\0\xff\x80\"x";
#define REJECTED_ORIGINAL_LEN (sizeof(rejected_original) - 1)

static void fill_rejected(dm_rejected_t *rej)
{
        memset(rej, 0, sizeof(*rej));
        rej->reason = DM_REJECT_TOO_LARGE;
        rej->error = "message of 1048577 bytes exceeds max_input_bytes 1048576";
        rej->article_id = NULL;
        rej->original = rejected_original;
        rej->original_len = REJECTED_ORIGINAL_LEN;
        rej->original_size = 1048577;
        rej->topic = "news.articles";
        rej->partition = 7;
        rej->offset = INT64_C(123456789012);
        rej->rejected_ms = INT64_C(1700000200789);
}

static void check_rejected(avro_value_t *rec, const dm_rejected_t *rej)
{
        avro_value_t f = field(rec, "original");
        const void *p = NULL;
        size_t size = 0;

        check_nfields(rec, 10);
        check_enum(rec, "reason", dm_reject_reason_name(rej->reason));
        check_str(rec, "error", rej->error);
        check_opt_str(rec, "article_id", rej->article_id);
        /* bytes sizes, unlike string sizes, have no NUL added. */
        assert_int_equal(avro_value_get_bytes(&f, &p, &size), 0);
        assert_int_equal(size, rej->original_len);
        if (size)
                assert_memory_equal(p, rej->original, size);
        check_bool(rec, "original_truncated", rej->original_len < rej->original_size);
        check_long(rec, "original_size", (int64_t)rej->original_size);
        check_str(rec, "source_topic", rej->topic);
        check_int(rec, "source_partition", rej->partition);
        check_long(rec, "source_offset", rej->offset);
        check_long(rec, "rejected_at", rej->rejected_ms);
}

static void test_rejected_round_trip(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_rejected_t rej;
        dm_buf_t out;
        decoded_t d;
        char err[256];

        dm_buf_init(&out);
        fill_rejected(&rej);
        if (dm_avro_encode_rejected(enc, &rej, &out, err, sizeof(err)))
                fail_msg("encode: %s", err);
        decode_body(DM_AVRO_REJECTED, &out, &d);
        check_rejected(&d.value, &rej);
        decoded_free(&d);

        /* Complete original, with an article id; an out-of-range reason
         * falls back to ANNOTATION_ERROR. */
        rej.original_size = rej.original_len;
        rej.article_id = "art-9";
        rej.reason = (dm_reject_reason_t)42;
        assert_int_equal(dm_avro_encode_rejected(enc, &rej, &out, err, sizeof(err)), 0);
        decode_body(DM_AVRO_REJECTED, &out, &d);
        check_rejected(&d.value, &rej);
        check_enum(&d.value, "reason", "ANNOTATION_ERROR");
        decoded_free(&d);

        /* No original at all. */
        rej.original = NULL;
        rej.original_len = 0;
        rej.original_size = 0;
        rej.reason = DM_REJECT_EMPTY;
        assert_int_equal(dm_avro_encode_rejected(enc, &rej, &out, err, sizeof(err)), 0);
        decode_body(DM_AVRO_REJECTED, &out, &d);
        check_rejected(&d.value, &rej);
        decoded_free(&d);

        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

/* ---- decoder and JSON ---- */

static void test_decode_matches_result_json(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r;
        dm_buf_t out, json;
        char err[256];
        char *want, *pretty;
        json_t *a, *b, *ents, *evs;
        json_error_t jerr;
        dm_avro_kind_t kind;

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&json);
        assert_int_equal(dm_avro_encode_article(enc, &r, &out, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_identify(g_avro, out.data, out.len, &kind, err, sizeof(err)), 0);
        assert_int_equal(kind, DM_AVRO_ARTICLE);
        if (dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                fail_msg("decode: %s", err);
        want = dm_result_to_json(&r, 0);
        assert_string_equal(json.data, want);

        /* The pretty form is the same document. */
        pretty = dm_result_to_json(&r, 1);
        assert_non_null(strchr(pretty, '\n'));
        a = json_loads(want, 0, &jerr);
        b = json_loads(pretty, 0, &jerr);
        assert_non_null(a);
        assert_non_null(b);
        assert_true(json_equal(a, b));

        assert_string_equal(json_string_value(json_object_get(a, "article_id")), "art-1");
        assert_true(json_is_null(json_object_get(a, "source")));
        assert_true(json_integer_value(json_object_get(a, "published_at")) ==
                    INT64_C(1700000000123));
        assert_string_equal(json_string_value(json_object_get(a, "text")), r.text);
        ents = json_object_get(a, "entities");
        assert_int_equal(json_array_size(ents), 3);
        assert_string_equal(json_string_value(json_object_get(json_array_get(ents, 2), "type")),
                            "UNKNOWN");
        assert_true(json_real_value(json_object_get(json_array_get(ents, 1), "salience")) ==
                    1.0 / 3.0);
        evs = json_object_get(a, "events");
        assert_int_equal(json_array_size(evs), 2);
        assert_string_equal(json_string_value(json_object_get(json_array_get(evs, 1), "event_id")),
                            "art-1:1");
        assert_true(json_is_null(json_object_get(json_array_get(evs, 1), "plover_category")));
        assert_true(json_is_null(
            json_object_get(json_object_get(json_array_get(evs, 1), "target"), "code")));
        assert_true(json_is_true(json_object_get(json_array_get(evs, 0), "hypothetical")));

        json_decref(a);
        json_decref(b);
        free(pretty);
        free(want);
        dm_result_clear(&r);
        dm_buf_free(&json);
        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

/* Turns a JSON string of code points U+0000..U+00FF back into bytes. */
static size_t latin1_bytes(const char *s, size_t len, unsigned char *out)
{
        size_t i = 0, n = 0;

        while (i < len) {
                unsigned char c = (unsigned char)s[i];

                if (c < 0x80) {
                        out[n++] = c;
                        i++;
                } else {
                        assert_true(c == 0xc2 || c == 0xc3);
                        out[n++] = (unsigned char)(((c & 0x03) << 6) | (s[i + 1] & 0x3f));
                        i += 2;
                }
        }
        return n;
}

static void test_decode_rejected_json(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_rejected_t rej;
        dm_buf_t out, json;
        char err[256];
        json_t *o;
        json_error_t jerr;
        unsigned char bytes[64];
        size_t n;

        fill_rejected(&rej);
        dm_buf_init(&out);
        dm_buf_init(&json);
        assert_int_equal(dm_avro_encode_rejected(enc, &rej, &out, err, sizeof(err)), 0);
        if (dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                fail_msg("decode: %s", err);
        o = json_loads(json.data, JSON_ALLOW_NUL, &jerr);
        if (!o)
                fail_msg("decoder output is not JSON (%s): %s", jerr.text, json.data);
        assert_string_equal(json_string_value(json_object_get(o, "reason")), "TOO_LARGE");
        assert_true(json_is_null(json_object_get(o, "article_id")));
        assert_true(json_is_true(json_object_get(o, "original_truncated")));
        assert_true(json_integer_value(json_object_get(o, "source_offset")) ==
                    INT64_C(123456789012));
        n = latin1_bytes(json_string_value(json_object_get(o, "original")),
                         json_string_length(json_object_get(o, "original")), bytes);
        assert_int_equal(n, REJECTED_ORIGINAL_LEN);
        assert_memory_equal(bytes, rejected_original, n);
        json_decref(o);

        dm_buf_free(&json);
        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

static void test_decode_errors(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r;
        dm_buf_t out, bad, json;
        char err[256];

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&bad);
        dm_buf_init(&json);
        assert_int_equal(dm_avro_encode_article(enc, &r, &out, err, sizeof(err)), 0);

        /* too short */
        err[0] = '\0';
        assert_int_equal(dm_avro_decode_to_json(g_avro, out.data, 5, &json, err, sizeof(err)), -1);
        assert_true(err[0] != '\0');
        /* no marker */
        dm_buf_append(&bad, out.data, out.len);
        bad.data[1] = 0x02;
        err[0] = '\0';
        assert_int_equal(dm_avro_decode_to_json(g_avro, bad.data, bad.len, &json, err, sizeof(err)),
                         -1);
        assert_non_null(strstr(err, "single-object"));
        /* unknown fingerprint */
        bad.data[1] = 0x01;
        bad.data[5] ^= 0x40;
        err[0] = '\0';
        assert_int_equal(dm_avro_decode_to_json(g_avro, bad.data, bad.len, &json, err, sizeof(err)),
                         -1);
        assert_non_null(strstr(err, "fingerprint"));
        /* body cut short */
        err[0] = '\0';
        assert_int_equal(
            dm_avro_decode_to_json(g_avro, out.data, out.len - 3, &json, err, sizeof(err)), -1);
        assert_true(err[0] != '\0');
        /* trailing garbage */
        dm_buf_reset(&bad);
        dm_buf_append(&bad, out.data, out.len);
        dm_buf_putc(&bad, 0);
        err[0] = '\0';
        assert_int_equal(dm_avro_decode_to_json(g_avro, bad.data, bad.len, &json, err, sizeof(err)),
                         -1);
        assert_non_null(strstr(err, "trailing"));
        /* and the original still decodes */
        assert_int_equal(dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)),
                         0);

        dm_result_clear(&r);
        dm_buf_free(&json);
        dm_buf_free(&bad);
        dm_buf_free(&out);
        dm_avro_encoder_destroy(enc);
}

static void test_json_writer(void **state)
{
        dm_json_writer_t w;
        dm_buf_t b;

        dm_buf_init(&b);
        dm_json_writer_init(&w, &b, 1);
        dm_json_begin_object(&w);
        dm_json_key(&w, "a");
        dm_json_begin_array(&w);
        dm_json_int(&w, -1);
        dm_json_double(&w, 0.1);
        dm_json_double(&w, 3);
        dm_json_double(&w, 1e300);
        dm_json_double(&w, NAN);
        dm_json_string(&w, "q\"\\\n\x01");
        dm_json_end_array(&w);
        dm_json_key(&w, "e");
        dm_json_begin_object(&w);
        dm_json_end_object(&w);
        dm_json_key(&w, "n");
        dm_json_string(&w, NULL);
        dm_json_key(&w, "u");
        dm_json_string_len(&w, "\xc3\xa9\xff\0z", 5);
        dm_json_key(&w, "b");
        dm_json_bytes(&w, "\xe9\x00", 2);
        dm_json_end_object(&w);
        assert_string_equal(b.data, "{\n"
                                    "  \"a\": [\n"
                                    "    -1,\n"
                                    "    0.1,\n"
                                    "    3.0,\n"
                                    "    1e+300,\n"
                                    "    null,\n"
                                    "    \"q\\\"\\\\\\n\\u0001\"\n"
                                    "  ],\n"
                                    "  \"e\": {},\n"
                                    "  \"n\": null,\n"
                                    "  \"u\": \"\xc3\xa9\xef\xbf\xbd\\u0000z\",\n"
                                    "  \"b\": \"\xc3\xa9\\u0000\"\n"
                                    "}");

        dm_buf_reset(&b);
        dm_json_writer_init(&w, &b, 0);
        dm_json_begin_array(&w);
        dm_json_bool(&w, 1);
        dm_json_begin_array(&w);
        dm_json_end_array(&w);
        dm_json_null(&w);
        dm_json_end_array(&w);
        assert_string_equal(b.data, "[true,[],null]");
        dm_buf_free(&b);
}

/* ---- threads: one shared dm_avro_t, one encoder per thread ---- */

#define THREADS 4
#define ROUNDS  200

static void *encode_thread(void *arg)
{
        const dm_buf_t *want = arg;
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r;
        dm_buf_t out, json;
        char err[256];
        long bad = 0;
        int i;

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&json);
        for (i = 0; i < ROUNDS; i++) {
                if (dm_avro_encode_article(enc, &r, &out, err, sizeof(err)) ||
                    out.len != want->len || memcmp(out.data, want->data, out.len) ||
                    dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                        bad++;
        }
        dm_buf_free(&json);
        dm_buf_free(&out);
        dm_result_clear(&r);
        dm_avro_encoder_destroy(enc);
        return (void *)bad;
}

static void test_threads(void **state)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        pthread_t t[THREADS];
        dm_result_t r;
        dm_buf_t want;
        char err[256];
        void *bad;
        int i;

        fill_result(&r);
        dm_buf_init(&want);
        assert_int_equal(dm_avro_encode_article(enc, &r, &want, err, sizeof(err)), 0);
        for (i = 0; i < THREADS; i++)
                assert_int_equal(pthread_create(&t[i], NULL, encode_thread, &want), 0);
        for (i = 0; i < THREADS; i++) {
                assert_int_equal(pthread_join(t[i], &bad), 0);
                assert_int_equal((long)bad, 0);
        }
        dm_buf_free(&want);
        dm_result_clear(&r);
        dm_avro_encoder_destroy(enc);
}

/* ---- tests/e2e/avro_decode.py: an independent reader ---- */

/* One message in the framing of kcat -f '%K\t%S\n%k%s\n'. */
static void write_framed(FILE *f, const char *key, const dm_buf_t *value)
{
        if (key)
                fprintf(f, "%zu\t%zu\n%s", strlen(key), value->len, key);
        else
                fprintf(f, "-1\t%zu\n", value->len);
        fwrite(value->data, 1, value->len, f);
        fputc('\n', f);
}

/* The decoder's JSON for a record minus the script's "_key"/"_schema". */
static json_t *c_decoded(const dm_buf_t *value)
{
        dm_buf_t json;
        json_error_t jerr;
        char err[256];
        json_t *o;

        dm_buf_init(&json);
        if (dm_avro_decode_to_json(g_avro, value->data, value->len, &json, err, sizeof(err)))
                fail_msg("decode: %s", err);
        o = json_loads(json.data, JSON_ALLOW_NUL, &jerr);
        assert_non_null(o);
        dm_buf_free(&json);
        return o;
}

static void check_python_line(const char *line, const char *key, const char *schema,
                              const dm_buf_t *value)
{
        json_error_t jerr;
        json_t *py = json_loads(line, JSON_ALLOW_NUL, &jerr);
        json_t *c = c_decoded(value);

        if (!py)
                fail_msg("avro_decode.py printed non-JSON (%s): %s", jerr.text, line);
        if (key)
                assert_string_equal(json_string_value(json_object_get(py, "_key")), key);
        else
                assert_true(json_is_null(json_object_get(py, "_key")));
        assert_string_equal(json_string_value(json_object_get(py, "_schema")), schema);
        json_object_del(py, "_key");
        json_object_del(py, "_schema");
        /* Every field, as python3-avro decoded it, equals what avro-c
         * decoded (checked field by field against the source above). */
        if (!json_equal(py, c)) {
                char *cs = json_dumps(c, JSON_ALLOW_NUL);
                fail_msg("python3-avro and avro-c disagree:\npython: %s\n     C: %s", line, cs);
        }
        json_decref(py);
        json_decref(c);
}

static void test_python_decoder(void **state)
{
        const char *src = getenv("DM_SOURCE_DIR");
        dm_avro_encoder_t *enc;
        char in_path[] = "/tmp/dm_test_avro_XXXXXX";
        char *out_path = NULL, *cmd = NULL, *output = NULL, *line, *save = NULL;
        dm_buf_t article, event, rejected, garbage;
        dm_rejected_t rej;
        dm_result_t r;
        char err[256];
        size_t len = 0;
        FILE *f;
        int fd, status;

        if (!src) {
                print_message("skipped: DM_SOURCE_DIR is not set (run through ctest)\n");
                skip();
        }
        if (access("/usr/bin/python3", X_OK) ||
            system("/usr/bin/python3 -c 'import avro.io, avro.schema' >/dev/null 2>&1") != 0) {
                print_message("skipped: /usr/bin/python3 with python3-avro is not installed\n");
                skip();
        }

        enc = dm_avro_encoder_new(g_avro);
        fill_result(&r);
        fill_rejected(&rej);
        dm_buf_init(&article);
        dm_buf_init(&event);
        dm_buf_init(&rejected);
        dm_buf_init(&garbage);
        assert_int_equal(dm_avro_encode_article(enc, &r, &article, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_encode_event(enc, &r, 1, &event, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_encode_rejected(enc, &rej, &rejected, err, sizeof(err)), 0);
        /* A record with a fingerprint the script does not know. */
        dm_buf_append(&garbage, article.data, article.len);
        garbage.data[9] ^= 0x01;

        fd = mkstemp(in_path);
        assert_true(fd >= 0);
        f = fdopen(fd, "wb");
        assert_non_null(f);
        write_framed(f, "art-1", &article);
        write_framed(f, "art-1:1", &event);
        write_framed(f, "bad", &garbage);
        write_framed(f, NULL, &rejected);
        assert_int_equal(fclose(f), 0);

        out_path = dm_asprintf("%s.out", in_path);
        cmd = dm_asprintf("/usr/bin/python3 '%s/tests/e2e/avro_decode.py'"
                          " --schema '%s/schemas/AnnotatedArticle.avsc'"
                          " --schema '%s/schemas/DiplomaticEvent.avsc'"
                          " --schema '%s/schemas/RejectedArticle.avsc' '%s' > '%s'",
                          src, src, src, src, in_path, out_path);
        status = system(cmd);
        /* Exit 1: the bad record was reported, the others still printed. */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 1);

        output = read_file(out_path, &len);
        assert_non_null(output);
        line = strtok_r(output, "\n", &save);
        assert_non_null(line);
        check_python_line(line, "art-1", "org.demarche.AnnotatedArticle", &article);
        line = strtok_r(NULL, "\n", &save);
        assert_non_null(line);
        check_python_line(line, "art-1:1", "org.demarche.DiplomaticEvent", &event);
        line = strtok_r(NULL, "\n", &save);
        assert_non_null(line);
        check_python_line(line, NULL, "org.demarche.RejectedArticle", &rejected);
        assert_null(strtok_r(NULL, "\n", &save));

        unlink(in_path);
        unlink(out_path);
        free(output);
        free(cmd);
        free(out_path);
        dm_buf_free(&garbage);
        dm_buf_free(&rejected);
        dm_buf_free(&event);
        dm_buf_free(&article);
        dm_result_clear(&r);
        dm_avro_encoder_destroy(enc);
}

static int group_setup(void **state)
{
        char err[512];

        g_avro = dm_avro_new(err, sizeof(err));
        if (!g_avro) {
                fprintf(stderr, "dm_avro_new: %s\n", err);
                return -1;
        }
        return 0;
}

static int group_teardown(void **state)
{
        dm_avro_destroy(g_avro);
        dm_avro_destroy(NULL);
        dm_avro_encoder_destroy(NULL);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_crc64_empty),
            cmocka_unit_test(test_spec_vectors),
            cmocka_unit_test(test_namespace_vectors),
            cmocka_unit_test(test_schema_errors),
            cmocka_unit_test(test_embedded_schemas),
            cmocka_unit_test(test_article_round_trip),
            cmocka_unit_test(test_event_round_trip),
            cmocka_unit_test(test_rejected_round_trip),
            cmocka_unit_test(test_decode_matches_result_json),
            cmocka_unit_test(test_decode_rejected_json),
            cmocka_unit_test(test_decode_errors),
            cmocka_unit_test(test_json_writer),
            cmocka_unit_test(test_threads),
            cmocka_unit_test(test_python_decoder),
        };

        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
