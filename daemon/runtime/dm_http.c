#include "runtime/dm_http.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_metrics.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct dm_http {
        struct evhttp *http;
        struct evhttp_bound_socket *sock;
        dm_http_health_cb live, ready;
        dm_http_status_cb status;
        void *opaque;
        int port;
};

static void dm_http_reply(struct evhttp_request *req, int code, const char *reason,
                          const char *ctype, const char *body, size_t len)
{
        struct evbuffer *buf = evbuffer_new();
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", ctype);
        evbuffer_add(buf, body, len);
        evhttp_send_reply(req, code, reason, buf);
        evbuffer_free(buf);
}

static void dm_http_metrics(struct evhttp_request *req, void *arg)
{
        dm_buf_t b;
        dm_buf_init(&b);
        dm_metrics_render(&b);
        dm_http_reply(req, 200, "OK", "text/plain; version=0.0.4; charset=utf-8",
                      b.data ? b.data : "", b.len);
        dm_buf_free(&b);
}

/* ?verbose, alone or among other parameters. */
static int dm_http_verbose(struct evhttp_request *req)
{
        const char *q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
        struct evkeyvalq params;
        int v = 0;
        if (!q)
                return 0;
        if (evhttp_parse_query_str(q, &params) == 0) {
                v = evhttp_find_header(&params, "verbose") != NULL;
                evhttp_clear_headers(&params);
        }
        return v || !strcmp(q, "verbose");
}

static void dm_http_probe(struct evhttp_request *req, dm_http_t *h, dm_http_health_cb cb)
{
        dm_buf_t b;
        int ok;
        dm_buf_init(&b);
        ok = cb ? cb(h->opaque, dm_http_verbose(req), &b) : 1;
        if (!b.len)
                dm_buf_puts(&b, ok ? "ok" : "not ok");
        if (b.data[b.len - 1] != '\n')
                dm_buf_putc(&b, '\n');
        dm_http_reply(req, ok ? 200 : 503, ok ? "OK" : "Service Unavailable",
                      "text/plain; charset=utf-8", b.data, b.len);
        dm_buf_free(&b);
}

static void dm_http_healthz(struct evhttp_request *req, void *arg)
{
        dm_http_probe(req, arg, ((dm_http_t *)arg)->live);
}

static void dm_http_readyz(struct evhttp_request *req, void *arg)
{
        dm_http_probe(req, arg, ((dm_http_t *)arg)->ready);
}

static void dm_http_status(struct evhttp_request *req, void *arg)
{
        dm_http_t *h = arg;
        dm_buf_t b;
        dm_buf_init(&b);
        if (h->status)
                h->status(h->opaque, &b);
        else
                dm_buf_puts(&b, "{}");
        dm_buf_putc(&b, '\n');
        dm_http_reply(req, 200, "OK", "application/json", b.data, b.len);
        dm_buf_free(&b);
}

static void dm_http_notfound(struct evhttp_request *req, void *arg)
{
        static const char body[] = "not found; try /metrics, /livez, /readyz or /status\n";
        dm_http_reply(req, 404, "Not Found", "text/plain; charset=utf-8", body, sizeof(body) - 1);
}

/* Splits "host:port" / "[v6]:port". */
static int dm_http_parse_listen(const char *listen, char *host, size_t host_size, int *port)
{
        const char *colon;
        char *end;
        long p;
        size_t hl;
        if (listen[0] == '[') {
                const char *rb = strchr(listen, ']');
                if (!rb || rb[1] != ':')
                        return -1;
                hl = (size_t)(rb - listen - 1);
                if (hl >= host_size)
                        return -1;
                memcpy(host, listen + 1, hl);
                colon = rb + 1;
        } else {
                colon = strrchr(listen, ':');
                if (!colon)
                        return -1;
                hl = (size_t)(colon - listen);
                if (hl >= host_size)
                        return -1;
                memcpy(host, listen, hl);
        }
        host[hl] = '\0';
        p = strtol(colon + 1, &end, 10);
        if (*end || end == colon + 1 || p < 0 || p > 65535)
                return -1;
        *port = (int)p;
        return 0;
}

dm_http_t *dm_http_new(struct event_base *base, const char *listen, dm_http_health_cb live,
                       dm_http_health_cb ready, dm_http_status_cb status, void *opaque,
                       char *errstr, size_t errstr_size)
{
        dm_http_t *h = NULL;
        char host[256];
        int port;
        struct sockaddr_storage ss;
        socklen_t sl = sizeof(ss);

        if (dm_http_parse_listen(listen, host, sizeof(host), &port)) {
                snprintf(errstr, errstr_size, "http.listen \"%s\": expected host:port", listen);
                goto fail;
        }
        h = dm_calloc(1, sizeof(*h));
        h->live = live;
        h->ready = ready;
        h->status = status;
        h->opaque = opaque;
        h->http = evhttp_new(base);
        evhttp_set_allowed_methods(h->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
        evhttp_set_cb(h->http, "/metrics", dm_http_metrics, h);
        evhttp_set_cb(h->http, "/healthz", dm_http_healthz, h);
        evhttp_set_cb(h->http, "/livez", dm_http_healthz, h);
        evhttp_set_cb(h->http, "/readyz", dm_http_readyz, h);
        evhttp_set_cb(h->http, "/status", dm_http_status, h);
        evhttp_set_gencb(h->http, dm_http_notfound, h);
        h->sock = evhttp_bind_socket_with_handle(h->http, host, (ev_uint16_t)port);
        if (!h->sock) {
                snprintf(errstr, errstr_size, "http.listen \"%s\": cannot bind", listen);
                goto fail;
        }
        if (getsockname(evhttp_bound_socket_get_fd(h->sock), (struct sockaddr *)&ss, &sl) == 0)
                h->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                         : ((struct sockaddr_in *)&ss)->sin_port);
        return h;
fail:
        dm_http_destroy(h);
        return NULL;
}

void dm_http_destroy(dm_http_t *h)
{
        if (!h)
                return;
        if (h->http)
                evhttp_free(h->http);
        free(h);
}

int dm_http_port(const dm_http_t *h)
{
        return h->port;
}
