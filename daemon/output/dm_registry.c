#include "demarche/dm_registry.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_buf.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One connection per request: registration is a handful of requests, and a
 * fresh connection sidesteps libevent's reuse of a spent TLS session after
 * the server closes a keep-alive connection. */

typedef struct dm_registry_req dm_registry_req_t;

struct dm_registry {
        struct event_base *base;
        char *host;
        int port;
        char *prefix;     /* path prefix without trailing slash, may be "" */
        char *auth;       /* "Basic ...", or NULL */
        SSL_CTX *ssl_ctx; /* NULL for http */
        int timeout_s;
        dm_registry_req_t *pending;
        /* Connections whose request is over. libevent must not free a
         * connection from its own request callback, and does not free one
         * whose request failed, so they are freed at the next request or at
         * destroy. */
        struct evhttp_connection **spent;
        size_t spent_count, spent_cap;
};

struct dm_registry_req {
        dm_registry_req_t *next;
        dm_registry_t *reg;
        struct evhttp_connection *conn;
        dm_registry_cb cb;
        void *opaque;
        int orphan;    /* its registry is being destroyed: destroy frees it */
        int timed_out; /* libevent reported a timeout before the callback */
        /* For the blocking look-up. */
        int done, status;
        char *body;
};

static char *dm_registry_base64(const char *in)
{
        static const char tbl[] =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        size_t n = strlen(in), i;
        dm_buf_t b;
        dm_buf_init(&b);
        for (i = 0; i < n; i += 3) {
                unsigned v = (unsigned char)in[i] << 16;
                if (i + 1 < n)
                        v |= (unsigned char)in[i + 1] << 8;
                if (i + 2 < n)
                        v |= (unsigned char)in[i + 2];
                dm_buf_putc(&b, tbl[(v >> 18) & 63]);
                dm_buf_putc(&b, tbl[(v >> 12) & 63]);
                dm_buf_putc(&b, i + 1 < n ? tbl[(v >> 6) & 63] : '=');
                dm_buf_putc(&b, i + 2 < n ? tbl[v & 63] : '=');
        }
        return dm_buf_steal(&b);
}

static int dm_registry_ssl_error(const char *what, char *errstr, size_t errstr_size)
{
        char e[256];
        ERR_error_string_n(ERR_get_error(), e, sizeof(e));
        snprintf(errstr, errstr_size, "schema registry TLS: %s: %s", what, e);
        return -1;
}

static int dm_registry_tls_setup(dm_registry_t *r, const dm_registry_tls_t *tls, char *errstr,
                                 size_t errstr_size)
{
        r->ssl_ctx = SSL_CTX_new(TLS_client_method());
        if (!r->ssl_ctx)
                return dm_registry_ssl_error("context", errstr, errstr_size);
        SSL_CTX_set_min_proto_version(r->ssl_ctx, TLS1_2_VERSION);
        SSL_CTX_set_verify(r->ssl_ctx, SSL_VERIFY_PEER, NULL);
        if (tls && tls->ca_location && *tls->ca_location) {
                if (SSL_CTX_load_verify_locations(r->ssl_ctx, tls->ca_location, NULL) != 1)
                        return dm_registry_ssl_error(tls->ca_location, errstr, errstr_size);
        } else if (SSL_CTX_set_default_verify_paths(r->ssl_ctx) != 1) {
                return dm_registry_ssl_error("system CA store", errstr, errstr_size);
        }
        if (tls && tls->cert_location && *tls->cert_location) {
                if (SSL_CTX_use_certificate_chain_file(r->ssl_ctx, tls->cert_location) != 1)
                        return dm_registry_ssl_error(tls->cert_location, errstr, errstr_size);
                if (SSL_CTX_use_PrivateKey_file(r->ssl_ctx,
                                                tls->key_location && *tls->key_location
                                                    ? tls->key_location
                                                    : tls->cert_location,
                                                SSL_FILETYPE_PEM) != 1)
                        return dm_registry_ssl_error("client key", errstr, errstr_size);
        }
        return 0;
}

/* Parses the URL into a zeroed registry. */
static int dm_registry_parse(dm_registry_t *r, const char *url, const char *user_info,
                             const dm_registry_tls_t *tls, char *errstr, size_t errstr_size)
{
        struct evhttp_uri *u = evhttp_uri_parse(url);
        const char *scheme, *host, *path;
        int rc = -1, https;
        if (!u || !(scheme = evhttp_uri_get_scheme(u)) || !(host = evhttp_uri_get_host(u))) {
                snprintf(errstr, errstr_size, "schema registry URL \"%s\" is not a URL", url);
                goto done;
        }
        https = !strcmp(scheme, "https");
        if (!https && strcmp(scheme, "http")) {
                snprintf(errstr, errstr_size,
                         "schema registry URL \"%s\": the scheme must be http or https", url);
                goto done;
        }
        r->host = dm_strdup(host);
        r->port = evhttp_uri_get_port(u) > 0 ? evhttp_uri_get_port(u) : https ? 443 : 80;
        path = evhttp_uri_get_path(u);
        r->prefix = dm_strdup(path ? path : "");
        while (r->prefix[0] && r->prefix[strlen(r->prefix) - 1] == '/')
                r->prefix[strlen(r->prefix) - 1] = '\0';
        if (user_info && *user_info) {
                char *b64 = dm_registry_base64(user_info);
                r->auth = dm_asprintf("Basic %s", b64);
                free(b64);
        }
        rc = https ? dm_registry_tls_setup(r, tls, errstr, errstr_size) : 0;
done:
        if (u)
                evhttp_uri_free(u);
        return rc;
}

static void dm_registry_clear(dm_registry_t *r)
{
        free(r->host);
        free(r->prefix);
        free(r->auth);
        if (r->ssl_ctx)
                SSL_CTX_free(r->ssl_ctx);
}

/* A connection for one request, over TLS for https (host name checked). */
static struct evhttp_connection *dm_registry_connect(dm_registry_t *r, struct event_base *base)
{
        struct evhttp_connection *conn;
        if (r->ssl_ctx) {
                SSL *ssl = SSL_new(r->ssl_ctx);
                struct in6_addr a6;
                struct in_addr a4;
                struct bufferevent *bev;
                if (inet_pton(AF_INET, r->host, &a4) == 1 || inet_pton(AF_INET6, r->host, &a6) == 1)
                        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), r->host);
                else {
                        SSL_set_tlsext_host_name(ssl, r->host);
                        SSL_set1_host(ssl, r->host);
                }
                bev =
                    bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_CONNECTING,
                                                   BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
                bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
                conn = evhttp_connection_base_bufferevent_new(base, NULL, bev, r->host,
                                                              (ev_uint16_t)r->port);
        } else {
                conn = evhttp_connection_base_new(base, NULL, r->host, (ev_uint16_t)r->port);
        }
        evhttp_connection_set_timeout(conn, r->timeout_s);
        return conn;
}

dm_registry_t *dm_registry_new(struct event_base *base, const char *url, const char *user_info,
                               const dm_registry_tls_t *tls, int timeout_ms, char *errstr,
                               size_t errstr_size)
{
        dm_registry_t *r = dm_calloc(1, sizeof(*r));
        if (dm_registry_parse(r, url, user_info, tls, errstr, errstr_size)) {
                dm_registry_destroy(r);
                return NULL;
        }
        r->base = base;
        r->timeout_s = timeout_ms > 999 ? timeout_ms / 1000 : 1;
        return r;
}

static void dm_registry_unlink(dm_registry_t *r, dm_registry_req_t *q)
{
        dm_registry_req_t **pp;
        for (pp = &r->pending; *pp; pp = &(*pp)->next)
                if (*pp == q) {
                        *pp = q->next;
                        return;
                }
}

static void dm_registry_free_spent(dm_registry_t *r)
{
        size_t i;
        for (i = 0; i < r->spent_count; i++)
                evhttp_connection_free(r->spent[i]);
        r->spent_count = 0;
}

void dm_registry_destroy(dm_registry_t *r)
{
        dm_registry_req_t *q, *next;
        if (!r)
                return;
        /* Whether freeing a connection calls back its request or not,
         * orphans are ours to free, afterwards. */
        for (q = r->pending; q; q = q->next)
                q->orphan = 1;
        for (q = r->pending; q; q = next) {
                next = q->next;
                evhttp_connection_free(q->conn);
                free(q);
        }
        dm_registry_free_spent(r);
        free(r->spent);
        dm_registry_clear(r);
        free(r);
}

static char *dm_registry_body(struct evhttp_request *req)
{
        struct evbuffer *in = evhttp_request_get_input_buffer(req);
        size_t n = evbuffer_get_length(in);
        char *s = dm_malloc(n + 1);
        evbuffer_copyout(in, s, n);
        s[n] = '\0';
        return s;
}

/* Called by libevent before dm_registry_done when a request fails; only
 * the timeout is worth telling apart from a failed connection. */
static void dm_registry_req_error(enum evhttp_request_error error, void *arg)
{
        dm_registry_req_t *q = arg;
        if (error == EVREQ_HTTP_TIMEOUT)
                q->timed_out = 1;
}

static void dm_registry_done(struct evhttp_request *req, void *arg)
{
        dm_registry_req_t *q = arg;
        int status;
        char *body;
        json_error_t je;
        json_t *j = NULL;
        char err[512];
        int32_t id = -1;
        dm_registry_result_t result;
        if (q->orphan)
                return;
        status = req ? evhttp_request_get_response_code(req) : 0;
        body = req ? dm_registry_body(req) : dm_strdup("");
        dm_registry_unlink(q->reg, q);
        dm_grow((void **)&q->reg->spent, &q->reg->spent_cap, q->reg->spent_count + 1,
                sizeof(*q->reg->spent));
        q->reg->spent[q->reg->spent_count++] = q->conn;
        if (status == 200 && (j = json_loads(body, 0, &je)) &&
            json_is_integer(json_object_get(j, "id"))) {
                id = (int32_t)json_integer_value(json_object_get(j, "id"));
                result = DM_REGISTRY_OK;
        } else if ((!req || status == 0) && q->timed_out) {
                snprintf(err, sizeof(err), "no answer from the schema registry within %d s",
                         q->reg->timeout_s);
                result = DM_REGISTRY_TIMEOUT;
        } else if (!req || status == 0) {
                snprintf(err, sizeof(err), "no answer from the schema registry%s",
                         q->reg->ssl_ctx ? " (or the TLS handshake failed)" : "");
                result = DM_REGISTRY_CONNECT;
        } else {
                json_t *m =
                    (j || (j = json_loads(body, 0, &je))) ? json_object_get(j, "message") : NULL;
                snprintf(err, sizeof(err), "HTTP %d: %.400s", status,
                         json_is_string(m) ? json_string_value(m) : body);
                result = status == 200 ? DM_REGISTRY_BAD_RESPONSE : DM_REGISTRY_HTTP_STATUS;
        }
        if (q->cb)
                q->cb(result, id, status, result == DM_REGISTRY_OK ? NULL : err, q->opaque);
        json_decref(j);
        free(body);
        free(q);
}

static void dm_registry_headers(dm_registry_t *r, struct evhttp_request *req)
{
        struct evkeyvalq *h = evhttp_request_get_output_headers(req);
        evhttp_add_header(h, "Host", r->host);
        evhttp_add_header(h, "Accept", "application/vnd.schemaregistry.v1+json");
        evhttp_add_header(h, "Connection", "close");
        if (r->auth)
                evhttp_add_header(h, "Authorization", r->auth);
}

void dm_registry_register(dm_registry_t *r, const char *subject, const char *schema_text,
                          dm_registry_cb cb, void *opaque)
{
        dm_registry_req_t *q = dm_calloc(1, sizeof(*q));
        json_t *body = json_pack("{s:s}", "schema", schema_text);
        char *text = json_dumps(body, JSON_COMPACT);
        char *path = dm_asprintf("%s/subjects/%s/versions", r->prefix, subject);
        struct evhttp_request *req;
        dm_registry_free_spent(r);
        q->reg = r;
        q->cb = cb;
        q->opaque = opaque;
        q->conn = dm_registry_connect(r, r->base);
        req = evhttp_request_new(dm_registry_done, q);
        evhttp_request_set_error_cb(req, dm_registry_req_error);
        dm_registry_headers(r, req);
        evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                          "application/vnd.schemaregistry.v1+json");
        evbuffer_add(evhttp_request_get_output_buffer(req), text, strlen(text));
        q->next = r->pending;
        r->pending = q;
        if (evhttp_make_request(q->conn, req, EVHTTP_REQ_POST, path)) {
                /* libevent already freed the request and will not call back. */
                dm_registry_unlink(r, q);
                evhttp_connection_free(q->conn);
                free(q);
                if (cb)
                        cb(DM_REGISTRY_CONNECT, -1, 0, "cannot send the request", opaque);
        }
        free(path);
        free(text);
        json_decref(body);
}

static void dm_registry_fetch_done(struct evhttp_request *req, void *arg)
{
        dm_registry_req_t *q = arg;
        q->done = 1;
        q->status = req ? evhttp_request_get_response_code(req) : 0;
        q->body = req ? dm_registry_body(req) : NULL;
}

int dm_registry_fetch_schema(const char *url, const char *user_info, const dm_registry_tls_t *tls,
                             int32_t id, char **schema_out, char *errstr, size_t errstr_size)
{
        dm_registry_t r;
        dm_registry_req_t q;
        struct event_base *base = event_base_new();
        struct evhttp_connection *conn = NULL;
        struct evhttp_request *req;
        char *path = NULL;
        json_t *j = NULL;
        json_error_t je;
        int rc = -1;
        memset(&r, 0, sizeof(r));
        memset(&q, 0, sizeof(q));
        if (dm_registry_parse(&r, url, user_info, tls, errstr, errstr_size))
                goto done;
        r.timeout_s = 10;
        conn = dm_registry_connect(&r, base);
        req = evhttp_request_new(dm_registry_fetch_done, &q);
        dm_registry_headers(&r, req);
        path = dm_asprintf("%s/schemas/ids/%d", r.prefix, (int)id);
        if (evhttp_make_request(conn, req, EVHTTP_REQ_GET, path)) {
                snprintf(errstr, errstr_size, "cannot send the request to %s", url);
                goto done;
        }
        while (!q.done && event_base_loop(base, EVLOOP_ONCE) == 0)
                ;
        if (q.status != 200 || !q.body || !(j = json_loads(q.body, 0, &je)) ||
            !json_is_string(json_object_get(j, "schema"))) {
                snprintf(errstr, errstr_size, "schema id %d: HTTP %d: %.300s", (int)id, q.status,
                         q.body ? q.body : "no answer");
                goto done;
        }
        *schema_out = dm_strdup(json_string_value(json_object_get(j, "schema")));
        rc = 0;
done:
        json_decref(j);
        free(q.body);
        free(path);
        if (conn)
                evhttp_connection_free(conn);
        event_base_free(base);
        dm_registry_clear(&r);
        return rc;
}
