/* The Schema Registry client (dm_registry) against a fake registry: a
 * libevent HTTP server on a loopback port, in its own thread and event
 * loop, that records each request and answers as the test says.
 * Registration (POST /subjects/S/versions with {"schema": text}, basic
 * auth, the URL's prefix) and its outcomes (id, HTTP status with the
 * registry's message, a 200 without an id, no answer, a timeout, cancelled
 * at destroy); the blocking schema fetch; bad URLs. All waits bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_log.h"
#include "demarche/dm_registry.h"

/* The fake registry. */
typedef struct fake {
        pthread_t thread;
        struct event_base *base;
        struct evhttp *http;
        int port;
        volatile int stop;
        pthread_mutex_t lock;
        /* The answer to give: status and body; status 0: never answer. */
        int status;
        char body[512];
        /* The last request seen. */
        int requests;
        char method[8], uri[256], auth[128], ctype[128], req_body[4096];
        struct evhttp_request *held; /* an unanswered request */
} fake_t;

static fake_t fk;

static void fake_handler(struct evhttp_request *req, void *arg)
{
        fake_t *f = arg;
        struct evkeyvalq *h = evhttp_request_get_input_headers(req);
        struct evbuffer *in = evhttp_request_get_input_buffer(req);
        const char *v;
        size_t n;
        int status;
        char body[512];
        pthread_mutex_lock(&f->lock);
        f->requests++;
        snprintf(f->method, sizeof(f->method), "%s",
                 evhttp_request_get_command(req) == EVHTTP_REQ_POST  ? "POST"
                 : evhttp_request_get_command(req) == EVHTTP_REQ_GET ? "GET"
                                                                     : "OTHER");
        snprintf(f->uri, sizeof(f->uri), "%s", evhttp_request_get_uri(req));
        v = evhttp_find_header(h, "Authorization");
        snprintf(f->auth, sizeof(f->auth), "%s", v ? v : "");
        v = evhttp_find_header(h, "Content-Type");
        snprintf(f->ctype, sizeof(f->ctype), "%s", v ? v : "");
        n = evbuffer_get_length(in);
        if (n >= sizeof(f->req_body))
                n = sizeof(f->req_body) - 1;
        evbuffer_copyout(in, f->req_body, n);
        f->req_body[n] = '\0';
        status = f->status;
        snprintf(body, sizeof(body), "%s", f->body);
        if (!status)
                f->held = req;
        pthread_mutex_unlock(&f->lock);
        if (status) {
                struct evbuffer *out = evbuffer_new();
                evbuffer_add(out, body, strlen(body));
                evhttp_send_reply(req, status, status == 200 ? "OK" : "Error", out);
                evbuffer_free(out);
        }
}

static void fake_tick(evutil_socket_t fd, short what, void *arg)
{
        fake_t *f = arg;
        (void)fd;
        (void)what;
        if (f->stop)
                event_base_loopexit(f->base, NULL);
}

static void *fake_main(void *arg)
{
        fake_t *f = arg;
        struct timeval tv = {0, 10000};
        struct event *tick = event_new(f->base, -1, EV_PERSIST, fake_tick, f);
        event_add(tick, &tv);
        event_base_dispatch(f->base);
        event_free(tick);
        return NULL;
}

static int setup(void **state)
{
        struct evhttp_bound_socket *s;
        struct sockaddr_in sa;
        socklen_t sl = sizeof(sa);
        (void)state;
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        memset(&fk, 0, sizeof(fk));
        pthread_mutex_init(&fk.lock, NULL);
        fk.base = event_base_new();
        fk.http = evhttp_new(fk.base);
        evhttp_set_gencb(fk.http, fake_handler, &fk);
        s = evhttp_bind_socket_with_handle(fk.http, "127.0.0.1", 0);
        if (!s)
                return -1;
        getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&sa, &sl);
        fk.port = ntohs(sa.sin_port);
        return pthread_create(&fk.thread, NULL, fake_main, &fk) ? -1 : 0;
}

static int teardown(void **state)
{
        (void)state;
        fk.stop = 1;
        pthread_join(fk.thread, NULL);
        evhttp_free(fk.http);
        event_base_free(fk.base);
        pthread_mutex_destroy(&fk.lock);
        return 0;
}

static void answer(int status, const char *body)
{
        pthread_mutex_lock(&fk.lock);
        fk.status = status;
        snprintf(fk.body, sizeof(fk.body), "%s", body);
        pthread_mutex_unlock(&fk.lock);
}

typedef struct outcome {
        int called;
        dm_registry_result_t result;
        int32_t id;
        int status;
        char error[512];
} outcome_t;

static void on_done(dm_registry_result_t result, int32_t id, int http_status, const char *error,
                    void *opaque)
{
        outcome_t *o = opaque;
        o->called++;
        o->result = result;
        o->id = id;
        o->status = http_status;
        snprintf(o->error, sizeof(o->error), "%s", error ? error : "(null)");
}

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Registers on a client of url (timeout_ms) and runs the loop until the
 * callback (at most 8 s). */
static outcome_t reg(const char *url, const char *user_info, int timeout_ms, const char *subject,
                     const char *schema)
{
        struct event_base *base = event_base_new();
        char err[256];
        outcome_t o;
        double deadline = now_s() + 8;
        dm_registry_t *r =
            dm_registry_new(base, url, user_info, NULL, timeout_ms, err, sizeof(err));
        memset(&o, 0, sizeof(o));
        if (!r)
                fail_msg("dm_registry_new: %s", err);
        dm_registry_register(r, subject, schema, on_done, &o);
        while (!o.called && now_s() < deadline) {
                event_base_loop(base, EVLOOP_NONBLOCK);
                usleep(1000);
        }
        dm_registry_destroy(r);
        event_base_free(base);
        assert_int_equal(o.called, 1);
        return o;
}

static void url_of(char *buf, size_t n, const char *prefix)
{
        snprintf(buf, n, "http://127.0.0.1:%d%s", fk.port, prefix);
}

static void test_register_ok(void **state)
{
        char url[128];
        outcome_t o;
        json_t *j;
        json_error_t je;
        static const char schema[] = "{\"type\":\"record\",\"name\":\"A\",\"fields\":[]}";
        (void)state;
        answer(200, "{\"id\": 42}");
        url_of(url, sizeof(url), "/registry/");
        o = reg(url, "user:pass", 5000, "articles-value", schema);
        assert_int_equal(o.result, DM_REGISTRY_OK);
        assert_int_equal(o.id, 42);
        assert_int_equal(o.status, 200);
        assert_string_equal(o.error, "(null)");
        /* What the registry saw: the prefix without its trailing '/', the
         * subject, basic auth, the content type, the schema text as is. */
        assert_string_equal(fk.method, "POST");
        assert_string_equal(fk.uri, "/registry/subjects/articles-value/versions");
        assert_string_equal(fk.auth, "Basic dXNlcjpwYXNz");
        assert_string_equal(fk.ctype, "application/vnd.schemaregistry.v1+json");
        j = json_loads(fk.req_body, 0, &je);
        assert_non_null(j);
        assert_string_equal(json_string_value(json_object_get(j, "schema")), schema);
        assert_int_equal(json_object_size(j), 1);
        json_decref(j);
        /* No user info: no Authorization header. */
        url_of(url, sizeof(url), "");
        o = reg(url, "", 5000, "events-value", schema);
        assert_int_equal(o.id, 42);
        assert_string_equal(fk.uri, "/subjects/events-value/versions");
        assert_string_equal(fk.auth, "");
}

static void test_register_errors(void **state)
{
        char url[128];
        outcome_t o;
        (void)state;
        url_of(url, sizeof(url), "");
        /* An error status, with the registry's message. */
        answer(409, "{\"error_code\": 409, \"message\": \"Schema being registered is "
                    "incompatible\"}");
        o = reg(url, NULL, 5000, "s", "{}");
        assert_int_equal(o.result, DM_REGISTRY_HTTP_STATUS);
        assert_int_equal(o.status, 409);
        assert_int_equal(o.id, -1);
        assert_string_equal(o.error, "HTTP 409: Schema being registered is incompatible");
        /* Not JSON: the body itself. */
        answer(500, "oops");
        o = reg(url, NULL, 5000, "s", "{}");
        assert_int_equal(o.result, DM_REGISTRY_HTTP_STATUS);
        assert_string_equal(o.error, "HTTP 500: oops");
        /* 200 without an integer id. */
        answer(200, "{\"id\": \"42\"}");
        o = reg(url, NULL, 5000, "s", "{}");
        assert_int_equal(o.result, DM_REGISTRY_BAD_RESPONSE);
        assert_int_equal(o.status, 200);
}

static void test_no_answer(void **state)
{
        char url[128];
        outcome_t o;
        int fd, port;
        struct sockaddr_in sa;
        socklen_t sl = sizeof(sa);
        double t0;
        (void)state;
        /* A port nobody listens on: bind one, learn it, close it. */
        fd = socket(AF_INET, SOCK_STREAM, 0);
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
        getsockname(fd, (struct sockaddr *)&sa, &sl);
        port = ntohs(sa.sin_port);
        close(fd);
        snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
        o = reg(url, NULL, 5000, "s", "{}");
        assert_int_equal(o.result, DM_REGISTRY_CONNECT);
        assert_int_equal(o.status, 0);
        assert_non_null(strstr(o.error, "no answer from the schema registry"));
        /* A registry that never answers: the timeout (1 s). */
        answer(0, "");
        url_of(url, sizeof(url), "");
        t0 = now_s();
        o = reg(url, NULL, 1000, "s", "{}");
        assert_int_equal(o.result, DM_REGISTRY_TIMEOUT);
        assert_string_equal(o.error, "no answer from the schema registry within 1 s");
        assert_true(now_s() - t0 < 5);
}

static void test_destroy_cancels(void **state)
{
        struct event_base *base = event_base_new();
        char url[128], err[256];
        outcome_t o;
        dm_registry_t *r;
        int i;
        (void)state;
        answer(0, "");
        url_of(url, sizeof(url), "");
        r = dm_registry_new(base, url, NULL, NULL, 5000, err, sizeof(err));
        assert_non_null(r);
        memset(&o, 0, sizeof(o));
        dm_registry_register(r, "s", "{}", on_done, &o);
        dm_registry_register(r, "t", "{}", on_done, &o);
        for (i = 0; i < 50; i++) {
                event_base_loop(base, EVLOOP_NONBLOCK);
                usleep(2000);
        }
        dm_registry_destroy(r); /* pending: cancelled, no callback */
        event_base_loop(base, EVLOOP_NONBLOCK);
        assert_int_equal(o.called, 0);
        event_base_free(base);
        dm_registry_destroy(NULL); /* a no-op */
}

static void test_fetch_schema(void **state)
{
        char url[128], err[256] = "";
        char *schema = NULL;
        (void)state;
        url_of(url, sizeof(url), "/reg");
        answer(200, "{\"schema\": \"{\\\"type\\\":\\\"string\\\"}\"}");
        assert_int_equal(dm_registry_fetch_schema(url, "u:p", NULL, 7, &schema, err, sizeof(err)),
                         0);
        assert_string_equal(schema, "{\"type\":\"string\"}");
        free(schema);
        assert_string_equal(fk.method, "GET");
        assert_string_equal(fk.uri, "/reg/schemas/ids/7");
        assert_string_equal(fk.auth, "Basic dTpw");
        /* Unknown id. */
        answer(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        schema = NULL;
        assert_int_equal(dm_registry_fetch_schema(url, NULL, NULL, 8, &schema, err, sizeof(err)),
                         -1);
        assert_null(schema);
        assert_non_null(strstr(err, "schema id 8: HTTP 404"));
}

static void test_bad_urls(void **state)
{
        struct event_base *base = event_base_new();
        char err[256];
        char *schema = NULL;
        (void)state;
        assert_null(dm_registry_new(base, "not a url", NULL, NULL, 1000, err, sizeof(err)));
        assert_string_equal(err, "schema registry URL \"not a url\" is not a URL");
        assert_null(dm_registry_new(base, "ftp://host/x", NULL, NULL, 1000, err, sizeof(err)));
        assert_string_equal(
            err, "schema registry URL \"ftp://host/x\": the scheme must be http or https");
        assert_int_equal(
            dm_registry_fetch_schema("ftp://host", NULL, NULL, 1, &schema, err, sizeof(err)), -1);
        assert_non_null(strstr(err, "the scheme must be http or https"));
        event_base_free(base);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_register_ok),  cmocka_unit_test(test_register_errors),
            cmocka_unit_test(test_no_answer),    cmocka_unit_test(test_destroy_cancels),
            cmocka_unit_test(test_fetch_schema), cmocka_unit_test(test_bad_urls),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
