/* Operations (dm_pipeline_ops.c): statistics, systemd status and watchdog,
 * health and status endpoints, dictionary reload, and schema registration
 * before consuming. Event-loop thread only, except the HTTP callbacks
 * (dm_pl_live, dm_pl_ready, dm_pl_status_json), which dm_http calls on the
 * loop too. */
#ifndef DM_PIPELINE_OPS_H
#define DM_PIPELINE_OPS_H

#include "runtime/dm_pipeline_int.h"

int dm_pl_registry_new(dm_pipeline_t *p, char *errstr, size_t errstr_size);
void dm_pl_registry_start(dm_pipeline_t *p);
void dm_pl_registry_destroy(dm_pipeline_t *p);

void dm_pl_ops_start(dm_pipeline_t *p);
void dm_pl_ops_stop(dm_pipeline_t *p);
void dm_pl_stats_cb_install(rd_kafka_conf_t *kc);
int dm_pl_live(void *opaque, int verbose, dm_buf_t *out);
int dm_pl_ready(void *opaque, int verbose, dm_buf_t *out);
void dm_pl_status_json(void *opaque, dm_buf_t *out);
void dm_pl_reload_begin(dm_pipeline_t *p);
void dm_pl_dict_metrics(dm_pipeline_t *p, const dm_dict_t *d);

#endif
