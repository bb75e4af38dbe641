/* The operations HTTP server: /metrics (Prometheus text), /livez (also
 * /healthz), /readyz (?verbose lists each check), /status (JSON).
 *
 * Runs on the pipeline's libevent base; every callback runs on the event-loop
 * thread. */
#ifndef DM_HTTP_H
#define DM_HTTP_H

#include "demarche/dm_buf.h"

#include <stddef.h>

struct event_base;
typedef struct dm_http dm_http_t;

/* Health probe: returns 1 when healthy; appends a one-line reason, or one
 * line per check ("ok name: detail" / "failed name: detail") when verbose. */
typedef int (*dm_http_health_cb)(void *opaque, int verbose, dm_buf_t *out);
/* Appends the /status JSON document. */
typedef void (*dm_http_status_cb)(void *opaque, dm_buf_t *out);

/* listen is "host:port" (IPv6 as "[::1]:port"); port 0 picks a free port
 * (see dm_http_port). Returns NULL with errstr set when it cannot bind. */
dm_http_t *dm_http_new(struct event_base *base, const char *listen, dm_http_health_cb live,
                       dm_http_health_cb ready, dm_http_status_cb status, void *opaque,
                       char *errstr, size_t errstr_size);
void dm_http_destroy(dm_http_t *h);
int dm_http_port(const dm_http_t *h);

#endif
