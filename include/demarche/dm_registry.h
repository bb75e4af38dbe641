/* A Confluent Schema Registry client on libevent's HTTP client.
 *
 * Registration runs inside the pipeline's event loop (asynchronous, one
 * request per call, the callback on the loop thread); the CLI's look-up of a
 * schema by id runs a private loop (blocking). https verifies the registry's
 * certificate and host name against the given CA file (else the system's CA
 * store), with an optional client certificate. */
#ifndef DM_REGISTRY_H
#define DM_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

struct event_base;
typedef struct dm_registry dm_registry_t;

/* How a request ended: DM_REGISTRY_OK with the id, else why it failed. */
typedef enum dm_registry_result {
        DM_REGISTRY_OK = 0,
        DM_REGISTRY_CONNECT,      /* no answer: refused, reset, TLS handshake failed */
        DM_REGISTRY_TIMEOUT,      /* no answer within the timeout */
        DM_REGISTRY_HTTP_STATUS,  /* answered with a status other than 200 */
        DM_REGISTRY_BAD_RESPONSE, /* 200 without an integer "id" */
} dm_registry_result_t;

/* id is set on DM_REGISTRY_OK; otherwise http_status (0 when no answer) and
 * error say why. */
typedef void (*dm_registry_cb)(dm_registry_result_t result, int32_t id, int http_status,
                               const char *error, void *opaque);

/* TLS settings for https URLs; any field may be NULL or "". Borrowed. */
typedef struct dm_registry_tls {
        const char *ca_location;   /* PEM CA file; empty: system default */
        const char *cert_location; /* client certificate (PEM) */
        const char *key_location;  /* client key (PEM) */
} dm_registry_tls_t;

/* url: http[s]://host[:port][/prefix]; user_info: "user:password" for basic
 * auth, or NULL/"". base and tls are borrowed (tls may be NULL). NULL with
 * errstr set on a bad URL or TLS setting. */
dm_registry_t *dm_registry_new(struct event_base *base, const char *url, const char *user_info,
                               const dm_registry_tls_t *tls, int timeout_ms, char *errstr,
                               size_t errstr_size);
/* Pending requests are cancelled without calling their callbacks. */
void dm_registry_destroy(dm_registry_t *r);

/* POST /subjects/<subject>/versions with the schema text exactly as given. */
void dm_registry_register(dm_registry_t *r, const char *subject, const char *schema_text,
                          dm_registry_cb cb, void *opaque);

/* GET /schemas/ids/<id>, blocking (own event loop). *schema_out is the
 * schema text; caller frees. Returns 0 or -1 with errstr set. */
int dm_registry_fetch_schema(const char *url, const char *user_info, const dm_registry_tls_t *tls,
                             int32_t id, char **schema_out, char *errstr, size_t errstr_size);

#endif
