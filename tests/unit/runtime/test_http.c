/* The operations HTTP server (dm_http) on a libevent base: bound on a free
 * loopback port (port 0), driven by real HTTP requests over a socket. The
 * test is single-threaded: the client socket is non-blocking and the event
 * loop is run a turn at a time until the server has answered and closed
 * the connection, with a bounded wait. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "demarche/dm_buf.h"
#include "demarche/dm_log.h"
#include "demarche/dm_metrics.h"
#include "runtime/dm_http.h"

typedef struct probe_state {
        int live_ok, ready_ok;
        int live_calls, ready_calls, status_calls;
        int last_verbose;
} probe_state_t;

static int probe_live(void *opaque, int verbose, dm_buf_t *out)
{
        probe_state_t *ps = opaque;
        ps->live_calls++;
        ps->last_verbose = verbose;
        if (verbose)
                dm_buf_puts(out, ps->live_ok ? "ok loop: running\n" : "failed loop: stalled\n");
        return ps->live_ok;
}

static int probe_ready(void *opaque, int verbose, dm_buf_t *out)
{
        probe_state_t *ps = opaque;
        ps->ready_calls++;
        ps->last_verbose = verbose;
        if (verbose)
                dm_buf_puts(out, "ok kafka: connected\nfailed assignment: none");
        else if (!ps->ready_ok)
                dm_buf_puts(out, "no partitions assigned");
        return ps->ready_ok;
}

static void status_doc(void *opaque, dm_buf_t *out)
{
        probe_state_t *ps = opaque;
        ps->status_calls++;
        dm_buf_puts(out, "{\"state\":\"running\",\"workers\":2}");
}

static double now_s(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sends request (raw bytes) to 127.0.0.1:port and returns the whole
 * response (the server closes the connection after an HTTP/1.0 reply), or
 * NULL on timeout. Runs base while waiting; at most 5 seconds. */
static char *http_raw(struct event_base *base, int port, const char *request)
{
        struct sockaddr_in sa;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        size_t sent = 0, len = 0, cap = 4096, reqlen = strlen(request);
        char *resp = malloc(cap);
        double deadline = now_s() + 5.0;
        int closed = 0;
        assert_true(fd >= 0);
        assert_non_null(resp);
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
                fail_msg("connect: %s", strerror(errno));
        while (!closed && now_s() < deadline) {
                ssize_t n;
                event_base_loop(base, EVLOOP_NONBLOCK);
                if (sent < reqlen) {
                        n = send(fd, request + sent, reqlen - sent, MSG_NOSIGNAL);
                        if (n > 0)
                                sent += (size_t)n;
                }
                if (len + 1024 > cap) {
                        cap *= 2;
                        resp = realloc(resp, cap);
                        assert_non_null(resp);
                }
                n = recv(fd, resp + len, cap - len - 1, 0);
                if (n > 0)
                        len += (size_t)n;
                else if (n == 0)
                        closed = 1;
                else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN)
                        closed = 1;
                else
                        usleep(1000);
        }
        close(fd);
        /* Let the server notice the close and free the connection. */
        event_base_loop(base, EVLOOP_NONBLOCK);
        if (!closed) {
                free(resp);
                return NULL;
        }
        resp[len] = '\0';
        return resp;
}

static char *http_get(struct event_base *base, int port, const char *path)
{
        char req[512];
        snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n", path);
        return http_raw(base, port, req);
}

/* The status line's code. */
static int status_code(const char *resp)
{
        int code = 0;
        if (sscanf(resp, "HTTP/1.%*d %d", &code) != 1)
                return -1;
        return code;
}

static const char *body_of(const char *resp)
{
        const char *b = strstr(resp, "\r\n\r\n");
        return b ? b + 4 : "";
}

/* Whether the header block has "Name: value" (value a prefix match). */
static int has_header(const char *resp, const char *name, const char *value)
{
        const char *end = strstr(resp, "\r\n\r\n"), *p = resp;
        size_t nl = strlen(name);
        while ((p = strstr(p, "\r\n")) && p < end) {
                p += 2;
                if (!strncasecmp(p, name, nl) && p[nl] == ':') {
                        const char *v = p + nl + 1;
                        while (*v == ' ')
                                v++;
                        if (!strncmp(v, value, strlen(value)))
                                return 1;
                }
        }
        return 0;
}

typedef struct fixture {
        struct event_base *base;
        dm_http_t *http;
        probe_state_t ps;
        int port;
} fixture_t;

static int setup(void **state)
{
        fixture_t *f = calloc(1, sizeof(*f));
        char err[256] = "";
        dm_log_set_level(DM_LOG_LEVEL_FATAL);
        f->base = event_base_new();
        if (!f->base)
                return -1;
        f->ps.live_ok = 1;
        f->ps.ready_ok = 1;
        f->http = dm_http_new(f->base, "127.0.0.1:0", probe_live, probe_ready, status_doc, &f->ps,
                              err, sizeof(err));
        if (!f->http) {
                fprintf(stderr, "dm_http_new: %s\n", err);
                return -1;
        }
        f->port = dm_http_port(f->http);
        *state = f;
        return 0;
}

static int teardown(void **state)
{
        fixture_t *f = *state;
        dm_http_destroy(f->http);
        event_base_free(f->base);
        free(f);
        return 0;
}

static void test_port_zero_picks_a_port(void **state)
{
        fixture_t *f = *state;
        assert_true(f->port > 0 && f->port <= 65535);
}

static void test_metrics(void **state)
{
        fixture_t *f = *state;
        char *r;
        dm_metrics_add(DM_M_ARTICLES_ANNOTATED, 3);
        r = http_get(f->base, f->port, "/metrics");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_true(has_header(r, "Content-Type", "text/plain; version=0.0.4"));
        assert_non_null(strstr(body_of(r), "# TYPE demarche_articles_annotated_total counter"));
        assert_non_null(strstr(body_of(r), "\ndemarche_articles_annotated_total "));
        free(r);
}

static void test_livez_and_healthz(void **state)
{
        fixture_t *f = *state;
        char *r = http_get(f->base, f->port, "/livez");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        /* Not verbose and nothing appended: the server says "ok". */
        assert_string_equal(body_of(r), "ok\n");
        assert_int_equal(f->ps.last_verbose, 0);
        free(r);
        r = http_get(f->base, f->port, "/healthz");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_string_equal(body_of(r), "ok\n");
        assert_int_equal(f->ps.live_calls, 2);
        free(r);

        f->ps.live_ok = 0;
        r = http_get(f->base, f->port, "/livez");
        assert_non_null(r);
        assert_int_equal(status_code(r), 503);
        assert_string_equal(body_of(r), "not ok\n");
        free(r);
}

static void test_readyz(void **state)
{
        fixture_t *f = *state;
        char *r = http_get(f->base, f->port, "/readyz");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_true(has_header(r, "Content-Type", "text/plain"));
        assert_string_equal(body_of(r), "ok\n");
        free(r);

        /* Not ready: 503 with the probe's one-line reason, newline added. */
        f->ps.ready_ok = 0;
        r = http_get(f->base, f->port, "/readyz");
        assert_non_null(r);
        assert_int_equal(status_code(r), 503);
        assert_string_equal(body_of(r), "no partitions assigned\n");
        assert_int_equal(f->ps.ready_calls, 2);
        free(r);
}

static void test_readyz_verbose(void **state)
{
        fixture_t *f = *state;
        char *r = http_get(f->base, f->port, "/readyz?verbose");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_int_equal(f->ps.last_verbose, 1);
        assert_string_equal(body_of(r), "ok kafka: connected\nfailed assignment: none\n");
        free(r);
        /* Among other parameters. */
        f->ps.last_verbose = 0;
        r = http_get(f->base, f->port, "/readyz?x=1&verbose=1");
        assert_non_null(r);
        assert_int_equal(f->ps.last_verbose, 1);
        free(r);
        /* Another parameter alone is not verbose. */
        r = http_get(f->base, f->port, "/readyz?x=1");
        assert_non_null(r);
        assert_int_equal(f->ps.last_verbose, 0);
        assert_string_equal(body_of(r), "ok\n");
        free(r);
}

static void test_status(void **state)
{
        fixture_t *f = *state;
        char *r = http_get(f->base, f->port, "/status");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_true(has_header(r, "Content-Type", "application/json"));
        assert_string_equal(body_of(r), "{\"state\":\"running\",\"workers\":2}\n");
        assert_int_equal(f->ps.status_calls, 1);
        free(r);
}

static void test_unknown_path_is_404(void **state)
{
        fixture_t *f = *state;
        char *r = http_get(f->base, f->port, "/nope");
        assert_non_null(r);
        assert_int_equal(status_code(r), 404);
        assert_non_null(strstr(body_of(r), "not found"));
        assert_non_null(strstr(body_of(r), "/metrics"));
        free(r);
        /* A prefix of a known path is no match either. */
        r = http_get(f->base, f->port, "/metricsX");
        assert_non_null(r);
        assert_int_equal(status_code(r), 404);
        free(r);
}

static void test_post_is_refused(void **state)
{
        fixture_t *f = *state;
        char *r = http_raw(f->base, f->port,
                           "POST /metrics HTTP/1.0\r\nHost: x\r\nContent-Length: 2\r\n\r\nab");
        assert_non_null(r);
        /* Only GET and HEAD are allowed: libevent answers 501 Not
         * Implemented for the others, and the handler never runs. */
        assert_int_equal(status_code(r), 501);
        assert_null(strstr(body_of(r), "# TYPE"));
        free(r);
}

/* Without callbacks the probes say ok and /status is an empty object. */
static void test_no_callbacks(void **state)
{
        struct event_base *base = event_base_new();
        char err[256];
        dm_http_t *h;
        char *r;
        (void)state;
        h = dm_http_new(base, "127.0.0.1:0", NULL, NULL, NULL, NULL, err, sizeof(err));
        assert_non_null(h);
        r = http_get(base, dm_http_port(h), "/readyz");
        assert_non_null(r);
        assert_int_equal(status_code(r), 200);
        assert_string_equal(body_of(r), "ok\n");
        free(r);
        r = http_get(base, dm_http_port(h), "/status");
        assert_non_null(r);
        assert_string_equal(body_of(r), "{}\n");
        free(r);
        dm_http_destroy(h);
        event_base_free(base);
}

static void test_bad_listen(void **state)
{
        struct event_base *base = event_base_new();
        static const char *const bad[] = {
            "127.0.0.1",    "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000",
            "127.0.0.1:-1", "[::1",       "[::1]80",     NULL};
        char err[256];
        size_t i;
        (void)state;
        for (i = 0; bad[i]; i++) {
                err[0] = '\0';
                assert_null(dm_http_new(base, bad[i], NULL, NULL, NULL, NULL, err, sizeof(err)));
                assert_non_null(strstr(err, "expected host:port"));
                assert_non_null(strstr(err, bad[i]));
        }
        event_base_free(base);
}

static void test_port_in_use(void **state)
{
        fixture_t *f = *state;
        struct event_base *base = event_base_new();
        char listen[64], err[256] = "";
        (void)state;
        snprintf(listen, sizeof(listen), "127.0.0.1:%d", f->port);
        assert_null(dm_http_new(base, listen, NULL, NULL, NULL, NULL, err, sizeof(err)));
        assert_non_null(strstr(err, "cannot bind"));
        event_base_free(base);
}

static void test_destroy_null(void **state)
{
        (void)state;
        dm_http_destroy(NULL); /* the point: a no-op */
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test_setup_teardown(test_port_zero_picks_a_port, setup, teardown),
            cmocka_unit_test_setup_teardown(test_metrics, setup, teardown),
            cmocka_unit_test_setup_teardown(test_livez_and_healthz, setup, teardown),
            cmocka_unit_test_setup_teardown(test_readyz, setup, teardown),
            cmocka_unit_test_setup_teardown(test_readyz_verbose, setup, teardown),
            cmocka_unit_test_setup_teardown(test_status, setup, teardown),
            cmocka_unit_test_setup_teardown(test_unknown_path_is_404, setup, teardown),
            cmocka_unit_test_setup_teardown(test_post_is_refused, setup, teardown),
            cmocka_unit_test(test_no_callbacks),
            cmocka_unit_test(test_bad_listen),
            cmocka_unit_test_setup_teardown(test_port_in_use, setup, teardown),
            cmocka_unit_test(test_destroy_null),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
