/* The operations HTTP server: /metrics (Prometheus text), /healthz.
 *
 * Runs on the pipeline's libevent base; every callback runs on the event-loop
 * thread. */
#ifndef DM_HTTP_H
#define DM_HTTP_H

#include <stddef.h>

struct event_base;
typedef struct dm_http dm_http_t;

/* Health probe: returns 1 when healthy and writes a short reason. */
typedef int (*dm_http_health_cb)(void *opaque, char *why, size_t why_size);

/* listen is "host:port" (IPv6 as "[::1]:port"); port 0 picks a free port
 * (see dm_http_port). Returns NULL with errstr set when it cannot bind. */
dm_http_t *dm_http_new(struct event_base *base, const char *listen, dm_http_health_cb live,
                       dm_http_health_cb ready, void *opaque, char *errstr, size_t errstr_size);
void dm_http_destroy(dm_http_t *h);
int dm_http_port(const dm_http_t *h);

#endif
