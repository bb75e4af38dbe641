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
#include "demarche/dm_buf.h"
#include "demarche/dm_result_json.h"

static dm_avro_t *g_avro;
static dm_avro_encoder_t *g_enc; /* the tests run in one thread */

/* ---- canonical form and fingerprints ---- */

struct schema_vector {
        const char *input;
        const char *canonical;
        int64_t fingerprint; /* as a Java long; 0: none published, not checked */
};

/* clang-format off */
static const struct schema_vector schema_vectors[] = {
    /* share/test/data/schema-tests.txt of the Avro project, cases 000-033,
     * verbatim (026 keeps its "default":"true"). */
    {"\"null\"", "\"null\"", INT64_C(7195948357588979594)}, {"{\"type\":\"null\"}", "\"null\"", 0},
    {"\"boolean\"", "\"boolean\"", INT64_C(-6970731678124411036)}, {"{\"type\":\"boolean\"}", "\"boolean\"", 0},
    {"\"int\"", "\"int\"", INT64_C(8247732601305521295)}, {"{\"type\":\"int\"}", "\"int\"", 0},
    {"\"long\"", "\"long\"", INT64_C(-3434872931120570953)}, {"{\"type\":\"long\"}", "\"long\"", 0},
    {"\"float\"", "\"float\"", INT64_C(5583340709985441680)}, {"{\"type\":\"float\"}", "\"float\"", 0},
    {"\"double\"", "\"double\"", INT64_C(-8181574048448539266)}, {"{\"type\":\"double\"}", "\"double\"", 0},
    {"\"bytes\"", "\"bytes\"", INT64_C(5746618253357095269)}, {"{\"type\":\"bytes\"}", "\"bytes\"", 0},
    {"\"string\"", "\"string\"", INT64_C(-8142146995180207161)}, {"{\"type\":\"string\"}", "\"string\"", 0},
    {"[  ]", "[]", INT64_C(-1241056759729112623)},
    {"[ \"int\"  ]", "[\"int\"]", INT64_C(-5232228896498058493)},
    {"[ \"int\" , {\"type\":\"boolean\"} ]", "[\"int\",\"boolean\"]", INT64_C(5392556393470105090)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"namespace\":\"x.y\"}", "{\"name\":\"x.y.foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(5916914534497305771)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"a.b.foo\", \"namespace\":\"x.y\"}", "{\"name\":\"a.b.foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4616218487480524110)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"Useful info\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922)},
    {"{\"fields\":[], \"type\":\"record\", \"name\":\"foo\", \"doc\":\"foo\", \"aliases\":[\"foo\",\"bar\"]}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[]}", INT64_C(-4824392279771201922)},
    {"{\"fields\":[{\"type\":{\"type\":\"boolean\"}, \"name\":\"f1\"}], \"type\":\"record\", \"name\":\"foo\"}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"}]}", INT64_C(7843277075252814651)},
    {"{ \"fields\":[{\"type\":\"boolean\", \"aliases\":[], \"name\":\"f1\", \"default\":\"true\"},\n            {\"order\":\"descending\",\"name\":\"f2\",\"doc\":\"Hello\",\"type\":\"int\"}],\n  \"type\":\"record\", \"name\":\"foo\"\n}", "{\"name\":\"foo\",\"type\":\"record\",\"fields\":[{\"name\":\"f1\",\"type\":\"boolean\"},{\"name\":\"f2\",\"type\":\"int\"}]}", INT64_C(-4860222112080293046)},
    {"{\"type\":\"enum\", \"name\":\"foo\", \"symbols\":[\"A1\"]}", "{\"name\":\"foo\",\"type\":\"enum\",\"symbols\":[\"A1\"]}", INT64_C(-6342190197741309591)},
    {"{\"namespace\":\"x.y.z\", \"type\":\"enum\", \"name\":\"foo\", \"doc\":\"foo bar\", \"symbols\":[\"A1\", \"A2\"]}", "{\"name\":\"x.y.z.foo\",\"type\":\"enum\",\"symbols\":[\"A1\",\"A2\"]}", INT64_C(-4448647247586288245)},
    {"{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", INT64_C(1756455273707447556)},
    {"{\"namespace\":\"x.y.z\", \"type\":\"fixed\", \"name\":\"foo\", \"doc\":\"foo bar\", \"size\":32}", "{\"name\":\"x.y.z.foo\",\"type\":\"fixed\",\"size\":32}", INT64_C(-3064184465700546786)},
    {"{ \"items\":{\"type\":\"null\"}, \"type\":\"array\"}", "{\"type\":\"array\",\"items\":\"null\"}", INT64_C(-589620603366471059)},
    {"{ \"values\":\"string\", \"type\":\"map\"}", "{\"type\":\"map\",\"values\":\"string\"}", INT64_C(-8732877298790414990)},
    {"  {\"name\":\"PigValue\",\"type\":\"record\",\n   \"fields\":[{\"name\":\"value\", \"type\":[\"null\", \"int\", \"long\", \"PigValue\"]}]}", "{\"name\":\"PigValue\",\"type\":\"record\",\"fields\":[{\"name\":\"value\",\"type\":[\"null\",\"int\",\"long\",\"PigValue\"]}]}", INT64_C(-1759257747318642341)},
    /* Namespace inheritance and attribute stripping beyond that file;
     * expected values from fastavro 1.13 unless noted. */
    {"{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"record\",\"name\":\"Inner\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}},{\"name\":\"g\",\"type\":\"Inner\"}]}", "{\"name\":\"a.b.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":\"a.b.Inner\",\"type\":\"record\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}},{\"name\":\"g\",\"type\":\"a.b.Inner\"}]}", (int64_t)UINT64_C(0x67ed1e834694ab2d)},
    {"{\"type\":\"record\",\"name\":\"c.d.Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"X\"]}},{\"name\":\"g\",\"type\":[\"null\",\"c.d.E\"]}]}", "{\"name\":\"c.d.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":\"c.d.E\",\"type\":\"enum\",\"symbols\":[\"X\"]}},{\"name\":\"g\",\"type\":[\"null\",\"c.d.E\"]}]}", (int64_t)UINT64_C(0xf5100a81efcbd569)},
    /* Java-style null-namespace fallback; fastavro rejects */
    {"{\"type\":\"record\",\"name\":\"Outer\",\"namespace\":\"a.b\",\"fields\":[{\"name\":\"f\",\"type\":{\"type\":\"fixed\",\"name\":\"F\",\"namespace\":\"\",\"size\":4}},{\"name\":\"g\",\"type\":\"F\"}]}", "{\"name\":\"a.b.Outer\",\"type\":\"record\",\"fields\":[{\"name\":\"f\",\"type\":{\"name\":\"F\",\"type\":\"fixed\",\"size\":4}},{\"name\":\"g\",\"type\":\"F\"}]}", (int64_t)UINT64_C(0xdd4ddc36fc0994e6)},
    {"{\"type\":\"record\",\"name\":\"R\",\"namespace\":\"x\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"record\",\"name\":\"S\",\"namespace\":\"y\",\"fields\":[{\"name\":\"b\",\"type\":{\"type\":\"enum\",\"name\":\"T\",\"symbols\":[\"Q\"]}}]}},{\"name\":\"c\",\"type\":\"y.T\"},{\"name\":\"d\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"y.S\"}}}]}", "{\"name\":\"x.R\",\"type\":\"record\",\"fields\":[{\"name\":\"a\",\"type\":{\"name\":\"y.S\",\"type\":\"record\",\"fields\":[{\"name\":\"b\",\"type\":{\"name\":\"y.T\",\"type\":\"enum\",\"symbols\":[\"Q\"]}}]}},{\"name\":\"c\",\"type\":\"y.T\"},{\"name\":\"d\",\"type\":{\"type\":\"map\",\"values\":{\"type\":\"array\",\"items\":\"y.S\"}}}]}", (int64_t)UINT64_C(0x09f6facbd9214fde)},
    {"{\"type\":\"record\",\"name\":\"L\",\"doc\":\"d\\u00e9j\\u00e0\",\"fields\":[{\"name\":\"t\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},\"default\":0},{\"name\":\"m\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":4,\"scale\":2}},{\"name\":\"u\",\"type\":{\"type\":\"fixed\",\"name\":\"dur\",\"size\":12,\"logicalType\":\"duration\"}},{\"name\":\"v\",\"type\":[\"null\",{\"type\":\"string\",\"logicalType\":\"uuid\"}],\"default\":null,\"order\":\"ignore\",\"aliases\":[\"w\"]}]}", "{\"name\":\"L\",\"type\":\"record\",\"fields\":[{\"name\":\"t\",\"type\":\"long\"},{\"name\":\"m\",\"type\":\"bytes\"},{\"name\":\"u\",\"type\":{\"name\":\"dur\",\"type\":\"fixed\",\"size\":12}},{\"name\":\"v\",\"type\":[\"null\",\"string\"]}]}", (int64_t)UINT64_C(0xd173b418e5d00094)},
    /* [STRINGS] and [INTEGERS]: escapes decoded, a quoted size loses its
     * quotes and leading zeros; must equal case 029. */
    {"{\"type\":\"fixed\",\"name\":\"\\u0066oo\",\"size\":\"015\"}", "{\"name\":\"foo\",\"type\":\"fixed\",\"size\":15}", INT64_C(1756455273707447556)},
};

/* Invalid JSON, invalid schemas, a type defined twice, a reference before
 * the definition, x.B referred to as plain "B" from namespace y. */
static const char *const bad_schemas[] = {
    "", "{", "42", "\"Unknown\"", "{\"type\":\"fixed\",\"name\":\"f\"}", "{\"type\":\"array\"}",
    "{\"type\":\"enum\",\"symbols\":[\"A\"]}", "{\"name\":\"a\",\"fields\":[]}",
    "{\"type\":\"record\",\"name\":\"a\",\"fields\":[{\"name\":\"x\",\"type\":{\"type\":\"record\",\"name\":\"a\",\"fields\":[]}}]}",
    "[\"B\",{\"type\":\"fixed\",\"name\":\"B\",\"size\":1}]",
    "{\"type\":\"record\",\"name\":\"y.R\",\"fields\":[{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"x.B\",\"size\":1}},{\"name\":\"b\",\"type\":\"B\"}]}",
};
/* clang-format on */

static void test_canonical_form(void **state)
{
        char err[256];
        size_t i, len;
        uint64_t fp;

        for (i = 0; i < sizeof(bad_schemas) / sizeof(bad_schemas[0]); i++) {
                err[0] = '\0';
                if (dm_avro_schema_canonical(bad_schemas[i], strlen(bad_schemas[i]), NULL, err,
                                             sizeof(err)))
                        fail_msg("schema %s was accepted", bad_schemas[i]);
                assert_true(err[0] != '\0');
        }

        assert_true(dm_avro_crc64("", 0) == DM_AVRO_CRC64_EMPTY);
        for (i = 0; i < sizeof(schema_vectors) / sizeof(schema_vectors[0]); i++) {
                const struct schema_vector *v = &schema_vectors[i];
                char *canon =
                    dm_avro_schema_canonical(v->input, strlen(v->input), &len, err, sizeof(err));

                if (!canon)
                        fail_msg("canonical form of %s failed: %s", v->input, err);
                if (strcmp(canon, v->canonical))
                        fail_msg("canonical form of %s\n got: %s\nwant: %s", v->input, canon,
                                 v->canonical);
                assert_int_equal(len, strlen(v->canonical));
                assert_int_equal(
                    dm_avro_schema_fingerprint(v->input, strlen(v->input), &fp, err, sizeof(err)),
                    0);
                assert_true(fp == dm_avro_crc64(canon, len));
                if (v->fingerprint && (int64_t)fp != v->fingerprint)
                        fail_msg("fingerprint of %s: got %lld want %lld", canon,
                                 (long long)(int64_t)fp, (long long)v->fingerprint);
                free(canon);
        }
}

/* That the embedded texts are the files in schemas/ is checked by
 * test_python_decoder: avro_decode.py reads the files, and finds each
 * record's schema by our fingerprint. */
static void test_embedded_schemas(void **state)
{
        char err[256];
        uint64_t fp;
        int k, j;

        for (k = 0; k < DM_AVRO_KIND_COUNT; k++) {
                const char *text = dm_avro_schema_text(g_avro, k);

                assert_non_null(text);
                assert_int_equal(
                    dm_avro_schema_fingerprint(text, strlen(text), &fp, err, sizeof(err)), 0);
                assert_true(fp == dm_avro_fingerprint(g_avro, k));
                for (j = 0; j < k; j++)
                        assert_true(dm_avro_fingerprint(g_avro, j) != fp);
                print_message("%-16s fingerprint %016llx (Java long %lld)\n", dm_avro_kind_name(k),
                              (unsigned long long)fp, (long long)(int64_t)fp);
        }
        assert_null(dm_avro_schema_text(g_avro, DM_AVRO_KIND_COUNT));
        assert_true(dm_avro_fingerprint(g_avro, DM_AVRO_KIND_COUNT) == 0);
        assert_string_equal(dm_avro_kind_name(DM_AVRO_EVENT), "DiplomaticEvent");
}

/* ---- a populated result and a rejected record ---- */

static void add_entity(dm_result_t *r, dm_entity_type_t type, const char *name, const char *code,
                       const char *iso3, int32_t start, int32_t end, int32_t sentence,
                       int32_t mentions, double salience)
{
        dm_entity_t *e = dm_result_add_entity(r);

        e->type = type;
        e->name = dm_strdup_or_null(name);
        e->code = dm_strdup_or_null(code);
        e->country = dm_strdup_or_null(code);
        e->iso3 = dm_strdup_or_null(iso3);
        e->start = start;
        e->end = end;
        e->sentence = sentence;
        e->mentions = mentions;
        e->salience = salience;
}

static void set_actor(dm_actor_ref_t *a, const char *code, const char *country, const char *text,
                      int32_t start, int32_t end)
{
        a->code = dm_strdup_or_null(code);
        a->country = dm_strdup_or_null(country);
        a->text = dm_strdup_or_null(text);
        a->start = start;
        a->end = end;
}

static void fill_result(dm_result_t *r)
{
        dm_event_t *ev;

        dm_result_init(r);
        r->article_id = dm_strdup("art-1");
        r->url = dm_strdup("https://example.org/news/1?x=\"y\"");
        r->title = dm_strdup("Japan and South Korea hold talks in Seoul");
        r->language = dm_strdup("en");
        r->published_ms = INT64_C(1700000000123);
        r->annotated_ms = INT64_C(1700000100456);
        r->text = dm_strdup("Japan met South Korea in Séoul.\n\"Tokyo\" said\ttalks went well.");
        r->sentence_count = 2;

        add_entity(r, DM_ENTITY_COUNTRY, "Japan", "JPN", "JPN", 0, 5, 0, 2, 0.4);
        add_entity(r, DM_ENTITY_PERSON, "Yoon Suk-yeol", NULL, NULL, 100, 113, 1, 1, 1.0 / 3.0);
        /* Out of range: written as UNKNOWN; NULL name: written as "". */
        add_entity(r, (dm_entity_type_t)99, NULL, NULL, NULL, -1, -1, -1, 0, 0);

        ev = dm_result_add_event(r);
        set_actor(&ev->source, "JPN", "JPN", "Japan", 0, 5);
        set_actor(&ev->target, "KORGOV", "KOR", "South Korea", 10, 21);
        ev->cameo_code = dm_strdup("0311");
        ev->cameo_root = dm_strdup("03");
        ev->quad_class = 1;
        ev->goldstein = 5.2;
        ev->plover_category = dm_strdup("CONSULT");
        ev->plover_mode = dm_strdup("visit");
        ev->plover_context = dm_strdup("diplomatic");
        ev->trigger = dm_strdup("met");
        ev->pattern = dm_strdup("MEET [040]");
        ev->hypothetical = 1;
        /* Reported twice (dm_result_merge_events). */
        ev->mentions = 2;
        ev->sentences = dm_calloc(2, sizeof(*ev->sentences));
        ev->sentences[0] = 0;
        ev->sentences[1] = 3;
        ev->sentence_count = ev->sentence_cap = 2;
        ev->triggers = dm_calloc(2, sizeof(*ev->triggers));
        ev->triggers[0] = dm_strdup("met");
        ev->triggers[1] = dm_strdup("talks");
        ev->trigger_count = ev->trigger_cap = 2;

        /* Every optional field NULL, no target actor. */
        ev = dm_result_add_event(r);
        ev->sentence = 1;
        set_actor(&ev->source, "JPN", NULL, NULL, 33, 40);
        set_actor(&ev->target, NULL, NULL, NULL, -1, -1);
        ev->cameo_code = dm_strdup("190");
        ev->cameo_root = dm_strdup("19");
        ev->quad_class = 4;
        ev->goldstein = -10.0;
        ev->negated = 1;
        ev->historical = 1;
}

/* A JSON envelope cut short, with NULs and bytes that are not UTF-8. */
static const char rejected_original[] = "{\"id\":\0\0\xff\x80\"x";
#define REJECTED_ORIGINAL_LEN (sizeof(rejected_original) - 1)

static void fill_rejected(dm_rejected_t *rej)
{
        memset(rej, 0, sizeof(*rej));
        rej->reason = DM_REJECT_TOO_LARGE;
        rej->error = "message of 1048577 bytes exceeds max_input_bytes 1048576";
        rej->original = rejected_original;
        rej->original_len = REJECTED_ORIGINAL_LEN;
        rej->original_size = 1048577;
        rej->topic = "news.articles";
        rej->partition = 7;
        rej->offset = INT64_C(123456789012);
        rej->rejected_ms = INT64_C(1700000200789);
}

/* ---- avro-c side decoding and field checks ---- */
typedef struct decoded {
        avro_schema_t schema;
        avro_value_iface_t *iface;
        avro_value_t value;
} decoded_t;

/* Checks the single-object header, then decodes the body with a schema
 * parsed afresh from the schema text, so that the check shares no state
 * with the encoder under test. */
static void decode_body(dm_avro_kind_t kind, const dm_buf_t *b, decoded_t *d)
{
        const char *text = dm_avro_schema_text(g_avro, kind);
        uint64_t fp = dm_avro_fingerprint(g_avro, kind);
        avro_reader_t reader;
        char extra;
        int i;

        assert_true(b->len > DM_AVRO_HEADER_SIZE);
        assert_int_equal((unsigned char)b->data[0], 0xc3);
        assert_int_equal((unsigned char)b->data[1], 0x01);
        for (i = 0; i < 8; i++)
                assert_int_equal((unsigned char)b->data[2 + i], (fp >> (8 * i)) & 0xff);

        assert_int_equal(avro_schema_from_json_length(text, strlen(text), &d->schema), 0);
        d->iface = avro_generic_class_from_schema(d->schema);
        assert_non_null(d->iface);
        assert_int_equal(avro_generic_value_new(d->iface, &d->value), 0);
        reader = avro_reader_memory(b->data + DM_AVRO_HEADER_SIZE,
                                    (int64_t)(b->len - DM_AVRO_HEADER_SIZE));
        if (avro_value_read(reader, &d->value))
                fail_msg("avro-c cannot read the body: %s", avro_strerror());
        assert_int_not_equal(avro_read(reader, &extra, 1), 0); /* all consumed */
        avro_reader_free(reader);
}

static void decoded_free(decoded_t *d)
{
        avro_value_decref(&d->value);
        avro_value_iface_decref(d->iface);
        avro_schema_decref(d->schema);
}

static void check_nfields(avro_value_t *rec, size_t want)
{
        size_t n = 0;

        assert_int_equal(avro_value_get_size(rec, &n), 0);
        assert_int_equal(n, want);
}

/* Checks field name of record rec against the next argument, by type:
 * 's' string (const char *), 'S' ["null","string"] (NULL: null), 'i' int,
 * 'l' long (int64_t), 'L' ["null","long"] (int64_t, -1: null), 'd' double
 * (compared exactly: the encoding carries the IEEE bits), 'b' boolean (int),
 * 'e' enum (the symbol), 'y' bytes (const void *, size_t). */
static void check(avro_value_t *rec, const char *name, int type, ...)
{
        avro_value_t f, v;
        const char *s = NULL, *want;
        const void *p = NULL, *wantp;
        size_t size = 0, wantn;
        int disc = -1, iv = 0;
        int32_t i32 = 0;
        int64_t i64 = 0, want64;
        double d = 0, wantd;
        va_list ap;

        memset(&f, 0, sizeof(f));
        if (avro_value_get_by_name(rec, name, &f, NULL))
                fail_msg("record has no field %s", name);
        v = f;
        va_start(ap, type);
        switch (type) {
        case 'S':
        case 's':
                want = va_arg(ap, const char *);
                if (type == 'S') {
                        assert_int_equal(avro_value_get_discriminant(&f, &disc), 0);
                        assert_int_equal(avro_value_get_current_branch(&f, &v), 0);
                        if (disc != (want ? 1 : 0))
                                fail_msg("field %s: got union branch %d", name, disc);
                        if (!want)
                                break;
                }
                assert_int_equal(avro_value_get_string(&v, &s, &size), 0);
                /* avro-c counts the terminating NUL in string sizes. */
                assert_int_equal(size, strlen(want) + 1);
                if (strcmp(s, want))
                        fail_msg("field %s: got \"%s\" want \"%s\"", name, s, want);
                break;
        case 'i':
                assert_int_equal(avro_value_get_int(&f, &i32), 0);
                assert_int_equal(i32, va_arg(ap, int));
                break;
        case 'L':
        case 'l':
                want64 = va_arg(ap, int64_t);
                if (type == 'L') {
                        assert_int_equal(avro_value_get_discriminant(&f, &disc), 0);
                        assert_int_equal(avro_value_get_current_branch(&f, &v), 0);
                        assert_int_equal(disc, want64 == -1 ? 0 : 1);
                        if (want64 == -1)
                                break;
                }
                assert_int_equal(avro_value_get_long(&v, &i64), 0);
                assert_true(i64 == want64);
                break;
        case 'd':
                wantd = va_arg(ap, double);
                assert_int_equal(avro_value_get_double(&f, &d), 0);
                if (d != wantd)
                        fail_msg("field %s: got %.17g want %.17g", name, d, wantd);
                break;
        case 'b':
                assert_int_equal(avro_value_get_boolean(&f, &iv), 0);
                assert_int_equal(iv, va_arg(ap, int) != 0);
                break;
        case 'e':
                assert_int_equal(avro_value_get_enum(&f, &iv), 0);
                s = avro_schema_enum_get(avro_value_get_schema(&f), iv);
                assert_non_null(s);
                assert_string_equal(s, va_arg(ap, const char *));
                break;
        case 'y':
                wantp = va_arg(ap, const void *);
                wantn = va_arg(ap, size_t);
                /* bytes sizes, unlike string sizes, have no NUL added. */
                assert_int_equal(avro_value_get_bytes(&f, &p, &size), 0);
                assert_int_equal(size, wantn);
                if (size)
                        assert_memory_equal(p, wantp, size);
                break;
        default:
                fail_msg("bad check type %c", type);
        }
        va_end(ap);
}

static void check_actor(avro_value_t *rec, const char *name, const dm_actor_ref_t *a)
{
        avro_value_t f;

        assert_int_equal(avro_value_get_by_name(rec, name, &f, NULL), 0);
        check_nfields(&f, 5);
        check(&f, "code", 'S', a->code);
        check(&f, "country", 'S', a->country);
        check(&f, "text", 'S', a->text);
        check(&f, "start", 'i', a->start);
        check(&f, "end", 'i', a->end);
}

/* The sentences and triggers arrays of an event. */
static void check_support(avro_value_t *rec, const dm_event_t *ev)
{
        avro_value_t arr, item;
        size_t n = 0, k;
        assert_int_equal(avro_value_get_by_name(rec, "sentences", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, ev->sentence_count);
        for (k = 0; k < n; k++) {
                int32_t v = -1;
                assert_int_equal(avro_value_get_by_index(&arr, k, &item, NULL), 0);
                assert_int_equal(avro_value_get_int(&item, &v), 0);
                assert_int_equal(v, ev->sentences[k]);
        }
        assert_int_equal(avro_value_get_by_name(rec, "triggers", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, ev->trigger_count);
        for (k = 0; k < n; k++) {
                const char *t = NULL;
                size_t len = 0;
                assert_int_equal(avro_value_get_by_index(&arr, k, &item, NULL), 0);
                assert_int_equal(avro_value_get_string(&item, &t, &len), 0);
                assert_string_equal(t, ev->triggers[k]);
        }
}

static void check_event(avro_value_t *rec, const dm_result_t *r, size_t i, int standalone)
{
        const dm_event_t *ev = &r->events[i];
        char *id = dm_asprintf("%s:%zu", r->article_id, i);

        check_nfields(rec, standalone ? 22 : 20);
        check(rec, "event_id", 's', id);
        check(rec, "article_id", 's', r->article_id);
        if (standalone) {
                check(rec, "published_at", 'L', r->published_ms);
                check(rec, "url", 'S', r->url);
        }
        check(rec, "sentence", 'i', ev->sentence);
        check_actor(rec, "source", &ev->source);
        check_actor(rec, "target", &ev->target);
        check(rec, "cameo_code", 's', ev->cameo_code);
        check(rec, "cameo_root", 's', ev->cameo_root);
        check(rec, "quad_class", 'i', ev->quad_class);
        check(rec, "goldstein", 'd', ev->goldstein);
        check(rec, "plover_category", 'S', ev->plover_category);
        check(rec, "plover_mode", 'S', ev->plover_mode);
        check(rec, "plover_context", 'S', ev->plover_context);
        check(rec, "trigger", 'S', ev->trigger);
        check(rec, "pattern", 'S', ev->pattern);
        check(rec, "negated", 'b', ev->negated);
        check(rec, "hypothetical", 'b', ev->hypothetical);
        check(rec, "historical", 'b', ev->historical);
        /* Never unset: an event not merged counts once. */
        check(rec, "mentions", 'i', ev->mentions > 0 ? ev->mentions : 1);
        check_support(rec, ev);
        free(id);
}

static void check_article(avro_value_t *rec, const dm_result_t *r)
{
        avro_value_t arr, item;
        size_t n = 0, i;

        /* 11 fields, and the document tags added with defaults (themes,
         * countries; empty for this result). */
        check_nfields(rec, 13);
        assert_int_equal(avro_value_get_by_name(rec, "themes", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->theme_count);
        assert_int_equal(avro_value_get_by_name(rec, "countries", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->country_count);
        check(rec, "article_id", 's', r->article_id);
        check(rec, "url", 'S', r->url);
        check(rec, "title", 'S', r->title);
        check(rec, "source", 'S', r->source);
        check(rec, "language", 'S', r->language);
        check(rec, "published_at", 'L', r->published_ms);
        check(rec, "annotated_at", 'l', r->annotated_ms);
        check(rec, "text", 'S', r->text);
        check(rec, "sentence_count", 'i', r->sentence_count);

        assert_int_equal(avro_value_get_by_name(rec, "entities", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->entity_count);
        for (i = 0; i < n; i++) {
                const dm_entity_t *e = &r->entities[i];

                assert_int_equal(avro_value_get_by_index(&arr, i, &item, NULL), 0);
                check_nfields(&item, 10);
                check(&item, "type", 'e',
                      (unsigned)e->type < DM_ENTITY_TYPE_COUNT ? dm_entity_type_name(e->type)
                                                               : "UNKNOWN");
                check(&item, "name", 's', e->name ? e->name : "");
                check(&item, "code", 'S', e->code);
                check(&item, "country", 'S', e->country);
                check(&item, "iso3", 'S', e->iso3);
                check(&item, "start", 'i', e->start);
                check(&item, "end", 'i', e->end);
                check(&item, "sentence", 'i', e->sentence);
                check(&item, "mentions", 'i', e->mentions);
                check(&item, "salience", 'd', e->salience);
        }
        assert_int_equal(avro_value_get_by_name(rec, "events", &arr, NULL), 0);
        assert_int_equal(avro_value_get_size(&arr, &n), 0);
        assert_int_equal(n, r->event_count);
        for (i = 0; i < n; i++) {
                assert_int_equal(avro_value_get_by_index(&arr, i, &item, NULL), 0);
                check_event(&item, r, i, 0);
        }
}

static void check_rejected(avro_value_t *rec, const dm_rejected_t *rej)
{
        check_nfields(rec, 10);
        check(rec, "reason", 'e', dm_reject_reason_name(rej->reason));
        check(rec, "error", 's', rej->error);
        check(rec, "article_id", 'S', rej->article_id);
        check(rec, "original", 'y', rej->original, rej->original_len);
        check(rec, "original_truncated", 'b', rej->original_len < rej->original_size);
        check(rec, "original_size", 'l', (int64_t)rej->original_size);
        check(rec, "source_topic", 's', rej->topic);
        check(rec, "source_partition", 'i', rej->partition);
        check(rec, "source_offset", 'l', rej->offset);
        check(rec, "rejected_at", 'l', rej->rejected_ms);
}

static void test_article_round_trip(void **state)
{
        dm_result_t r, empty;
        dm_buf_t out, again;
        decoded_t d;
        char err[256];

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&again);
        if (dm_avro_encode_article(g_enc, &r, &out, err, sizeof(err)))
                fail_msg("encode: %s", err);
        decode_body(DM_AVRO_ARTICLE, &out, &d);
        check_article(&d.value, &r);
        decoded_free(&d);
        assert_int_equal(dm_avro_encode_article(g_enc, &r, &again, err, sizeof(err)), 0);

        /* The encoder's values are reused: a second, smaller record must
         * not inherit entities, events or union branches from the first. */
        dm_result_init(&empty);
        empty.article_id = dm_strdup("art-2");
        assert_int_equal(dm_avro_encode_article(g_enc, &empty, &out, err, sizeof(err)), 0);
        decode_body(DM_AVRO_ARTICLE, &out, &d);
        check_article(&d.value, &empty);
        decoded_free(&d);
        /* And the first one again encodes byte for byte as before. */
        assert_int_equal(dm_avro_encode_article(g_enc, &r, &out, err, sizeof(err)), 0);
        assert_int_equal(again.len, out.len);
        assert_memory_equal(again.data, out.data, out.len);

        dm_result_clear(&empty);
        dm_result_clear(&r);
        dm_buf_free(&again);
        dm_buf_free(&out);
}

static void test_event_round_trip(void **state)
{
        dm_result_t r;
        dm_buf_t out;
        decoded_t d;
        char err[256];
        /* Both events, then event 1 of an article without time and URL. */
        size_t order[] = {0, 1, 1}, i;

        fill_result(&r);
        dm_buf_init(&out);
        for (i = 0; i < 3; i++) {
                if (i == 2) {
                        r.published_ms = -1;
                        free(r.url);
                        r.url = NULL;
                }
                if (dm_avro_encode_event(g_enc, &r, order[i], &out, err, sizeof(err)))
                        fail_msg("encode: %s", err);
                decode_body(DM_AVRO_EVENT, &out, &d);
                check_event(&d.value, &r, order[i], 1);
                decoded_free(&d);
        }
        err[0] = '\0';
        assert_int_equal(dm_avro_encode_event(g_enc, &r, r.event_count, &out, err, sizeof(err)),
                         -1);
        assert_true(err[0] != '\0');

        dm_result_clear(&r);
        dm_buf_free(&out);
}

static void test_rejected_round_trip(void **state)
{
        dm_rejected_t rej;
        dm_buf_t out, json;
        decoded_t d;
        char err[256];
        int round;

        dm_buf_init(&out);
        dm_buf_init(&json);
        fill_rejected(&rej);
        for (round = 0; round < 3; round++) {
                if (round == 1) {
                        /* Complete original, an article id, and an out of
                         * range reason, written as ANNOTATION_ERROR. */
                        rej.original_size = rej.original_len;
                        rej.article_id = "art-9";
                        rej.reason = (dm_reject_reason_t)42;
                } else if (round == 2) {
                        rej.original = NULL;
                        rej.original_len = rej.original_size = 0;
                        rej.reason = DM_REJECT_EMPTY;
                }
                if (dm_avro_encode_rejected(g_enc, &rej, &out, err, sizeof(err)))
                        fail_msg("encode: %s", err);
                decode_body(DM_AVRO_REJECTED, &out, &d);
                check_rejected(&d.value, &rej);
                if (round == 1)
                        check(&d.value, "reason", 'e', "ANNOTATION_ERROR");
                decoded_free(&d);
                if (round > 0)
                        continue;
                /* The decoder's JSON: bytes as one code point per byte. */
                if (dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                        fail_msg("decode: %s", err);
                assert_string_equal(
                    json.data,
                    "{\"reason\":\"TOO_LARGE\",\"error\":\"message of 1048577 bytes exceeds "
                    "max_input_bytes 1048576\",\"article_id\":null,\"original\":\"{\\\"id\\\":"
                    "\\u0000\\u0000\xc3\xbf\xc2\x80\\\"x\",\"original_truncated\":true,"
                    "\"original_size\":1048577,\"source_topic\":\"news.articles\","
                    "\"source_partition\":7,\"source_offset\":123456789012,"
                    "\"rejected_at\":1700000200789}");
        }
        dm_buf_free(&json);
        dm_buf_free(&out);
}

/* ---- decoder and JSON ---- */

static void expect_decode_error(const dm_buf_t *b, size_t len, const char *what)
{
        dm_buf_t json;
        char err[256] = "";

        dm_buf_init(&json);
        assert_int_equal(dm_avro_decode_to_json(g_avro, b->data, len, &json, err, sizeof(err)), -1);
        if (!strstr(err, what))
                fail_msg("error \"%s\" does not mention \"%s\"", err, what);
        dm_buf_free(&json);
}

static void test_decode_json(void **state)
{
        dm_result_t r;
        dm_buf_t out, json, bad;
        char err[256], *want, *pretty;
        json_t *a, *b, *ent;
        json_error_t jerr;
        dm_avro_kind_t kind;

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&json);
        dm_buf_init(&bad);
        assert_int_equal(dm_avro_encode_article(g_enc, &r, &out, err, sizeof(err)), 0);
        assert_int_equal(dm_avro_identify(g_avro, out.data, out.len, &kind, err, sizeof(err)), 0);
        assert_int_equal(kind, DM_AVRO_ARTICLE);
        if (dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err)))
                fail_msg("decode: %s", err);
        want = dm_result_to_json(&r, 0);
        assert_string_equal(json.data, want);

        /* The pretty form is the same document. */
        pretty = dm_result_to_json(&r, 1);
        a = json_loads(want, 0, &jerr);
        b = json_loads(pretty, 0, &jerr);
        assert_non_null(a);
        assert_non_null(b);
        assert_true(json_equal(a, b));

        /* Spot checks of the representation; the values themselves were
         * checked field by field through avro-c above. */
        assert_true(json_is_null(json_object_get(a, "source")));
        assert_true(json_integer_value(json_object_get(a, "published_at")) ==
                    INT64_C(1700000000123));
        ent = json_array_get(json_object_get(a, "entities"), 2);
        assert_string_equal(json_string_value(json_object_get(ent, "type")), "UNKNOWN");
        ent = json_array_get(json_object_get(a, "entities"), 1);
        assert_true(json_real_value(json_object_get(ent, "salience")) == 1.0 / 3.0);

        /* What the decoder refuses, and why. */
        expect_decode_error(&out, 5, "too short");
        expect_decode_error(&out, out.len - 3, "malformed");
        dm_buf_append(&bad, out.data, out.len);
        dm_buf_putc(&bad, 0);
        expect_decode_error(&bad, bad.len, "trailing");
        bad.data[5] ^= 0x40;
        expect_decode_error(&bad, bad.len, "fingerprint");
        bad.data[1] = 0x02;
        expect_decode_error(&bad, bad.len, "single-object");

        json_decref(a);
        json_decref(b);
        free(pretty);
        free(want);
        dm_result_clear(&r);
        dm_buf_free(&bad);
        dm_buf_free(&json);
        dm_buf_free(&out);
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
        dm_json_double(&w, 0.1);
        dm_json_double(&w, 3);
        dm_json_double(&w, NAN);
        dm_json_string(&w, "q\"\\\n\x01");
        dm_json_begin_object(&w);
        dm_json_end_object(&w);
        dm_json_end_array(&w);
        dm_json_key(&w, "u");
        dm_json_string_len(&w, "\xc3\xa9\xff\0z", 5);
        dm_json_key(&w, "b");
        dm_json_bytes(&w, "\xe9\x00", 2);
        dm_json_end_object(&w);
        /* Shortest round-trip doubles, NaN as null, invalid UTF-8 replaced,
         * empty containers on one line. */
        assert_string_equal(b.data, "{\n  \"a\": [\n    0.1,\n    3.0,\n    null,\n"
                                    "    \"q\\\"\\\\\\n\\u0001\",\n    {}\n  ],\n"
                                    "  \"u\": \"\xc3\xa9\xef\xbf\xbd\\u0000z\",\n"
                                    "  \"b\": \"\xc3\xa9\\u0000\"\n}");
        dm_buf_free(&b);
}

/* ---- threads: one shared dm_avro_t, one encoder per thread ---- */

static dm_buf_t g_want; /* the record every thread must produce */

static void *encode_thread(void *arg)
{
        dm_avro_encoder_t *enc = dm_avro_encoder_new(g_avro);
        dm_result_t r;
        dm_buf_t out, json;
        char err[256];
        long bad = 0;
        int i;

        fill_result(&r);
        dm_buf_init(&out);
        dm_buf_init(&json);
        for (i = 0; i < 200; i++)
                bad += dm_avro_encode_article(enc, &r, &out, err, sizeof(err)) ||
                       out.len != g_want.len || memcmp(out.data, g_want.data, out.len) ||
                       dm_avro_decode_to_json(g_avro, out.data, out.len, &json, err, sizeof(err));
        dm_buf_free(&json);
        dm_buf_free(&out);
        dm_result_clear(&r);
        dm_avro_encoder_destroy(enc);
        return (void *)bad;
}

static void test_threads(void **state)
{
        pthread_t t[4];
        dm_result_t r;
        char err[256];
        void *bad;
        int i;

        fill_result(&r);
        dm_buf_init(&g_want);
        assert_int_equal(dm_avro_encode_article(g_enc, &r, &g_want, err, sizeof(err)), 0);
        for (i = 0; i < 4; i++)
                assert_int_equal(pthread_create(&t[i], NULL, encode_thread, NULL), 0);
        for (i = 0; i < 4; i++) {
                assert_int_equal(pthread_join(t[i], &bad), 0);
                assert_int_equal((long)bad, 0);
        }
        dm_buf_free(&g_want);
        dm_result_clear(&r);
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

static void test_python_decoder(void **state)
{
        static const char *const keys[] = {"art-1", "art-1:1", NULL, "bad"};
        static const char *const schemas[] = {"org.demarche.AnnotatedArticle",
                                              "org.demarche.DiplomaticEvent",
                                              "org.demarche.RejectedArticle"};
        const char *src = getenv("DM_SOURCE_DIR");
        char in_path[] = "/tmp/dm_test_avro_XXXXXX", err[256];
        char *cmd;
        dm_buf_t rec[4], json;
        dm_rejected_t rej;
        dm_result_t r;
        json_error_t jerr;
        json_t *py, *c;
        int fd, status, i;
        FILE *f, *p;

        if (!src) {
                print_message("skipped: DM_SOURCE_DIR is not set (run through ctest)\n");
                skip();
        }
        if (access("/usr/bin/python3", X_OK) ||
            system("/usr/bin/python3 -c 'import avro.io, avro.schema' >/dev/null 2>&1") != 0) {
                print_message("skipped: /usr/bin/python3 with python3-avro is not installed\n");
                skip();
        }
        fill_result(&r);
        fill_rejected(&rej);
        for (i = 0; i < 4; i++)
                dm_buf_init(&rec[i]);
        dm_buf_init(&json);
        assert_int_equal(dm_avro_encode_article(g_enc, &r, &rec[0], err, sizeof(err)), 0);
        assert_int_equal(dm_avro_encode_event(g_enc, &r, 1, &rec[1], err, sizeof(err)), 0);
        assert_int_equal(dm_avro_encode_rejected(g_enc, &rej, &rec[2], err, sizeof(err)), 0);
        /* Last, a record whose fingerprint matches none of the schemas. */
        dm_buf_append(&rec[3], rec[0].data, rec[0].len);
        rec[3].data[9] ^= 0x01;

        fd = mkstemp(in_path);
        assert_true(fd >= 0);
        f = fdopen(fd, "wb");
        assert_non_null(f);
        for (i = 0; i < 4; i++)
                write_framed(f, keys[i], &rec[i]);
        assert_int_equal(fclose(f), 0);
        cmd = dm_asprintf("/usr/bin/python3 '%s/tests/e2e/avro_decode.py'"
                          " --schema '%s/schemas/AnnotatedArticle.avsc'"
                          " --schema '%s/schemas/DiplomaticEvent.avsc'"
                          " --schema '%s/schemas/RejectedArticle.avsc' '%s'",
                          src, src, src, src, in_path);
        p = popen(cmd, "r");
        assert_non_null(p);
        /* One JSON object a line; jansson reads them one after another. */
        for (i = 0; i < 3; i++) {
                py = json_loadf(p, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, &jerr);
                if (!py)
                        fail_msg("avro_decode.py record %d: %s", i, jerr.text);
                if (keys[i])
                        assert_string_equal(json_string_value(json_object_get(py, "_key")),
                                            keys[i]);
                else
                        assert_true(json_is_null(json_object_get(py, "_key")));
                assert_string_equal(json_string_value(json_object_get(py, "_schema")), schemas[i]);
                json_object_del(py, "_key");
                json_object_del(py, "_schema");
                /* Every field as python3-avro decoded it equals what avro-c
                 * decoded (checked field by field against the source in the
                 * round-trip tests). */
                assert_int_equal(dm_avro_decode_to_json(g_avro, rec[i].data, rec[i].len, &json, err,
                                                        sizeof(err)),
                                 0);
                c = json_loads(json.data, JSON_ALLOW_NUL, &jerr);
                assert_non_null(c);
                if (!json_equal(py, c))
                        fail_msg("python3-avro and avro-c disagree:\npython: %s\n     C: %s",
                                 json_dumps(py, JSON_ALLOW_NUL), json.data);
                json_decref(py);
                json_decref(c);
        }
        assert_null(json_loadf(p, JSON_DISABLE_EOF_CHECK, &jerr));
        status = pclose(p);
        /* Exit 1: the bad record was reported, the others still printed. */
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 1);

        unlink(in_path);
        free(cmd);
        for (i = 0; i < 4; i++)
                dm_buf_free(&rec[i]);
        dm_buf_free(&json);
        dm_result_clear(&r);
}

static int group_setup(void **state)
{
        char err[512];

        g_avro = dm_avro_new(err, sizeof(err));
        if (!g_avro) {
                fprintf(stderr, "dm_avro_new: %s\n", err);
                return -1;
        }
        g_enc = dm_avro_encoder_new(g_avro);
        return 0;
}

static int group_teardown(void **state)
{
        dm_avro_encoder_destroy(g_enc);
        dm_avro_destroy(g_avro);
        dm_avro_destroy(NULL);
        dm_avro_encoder_destroy(NULL);
        return 0;
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_canonical_form),      cmocka_unit_test(test_embedded_schemas),
            cmocka_unit_test(test_article_round_trip),  cmocka_unit_test(test_event_round_trip),
            cmocka_unit_test(test_rejected_round_trip), cmocka_unit_test(test_decode_json),
            cmocka_unit_test(test_json_writer),         cmocka_unit_test(test_threads),
            cmocka_unit_test(test_python_decoder),
        };

        return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
