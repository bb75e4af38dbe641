/* The pipeline's shared lower half (dm_pl_io.c): see there. Event-loop
 * thread only, except dm_pl_now_ms and dm_pl_notify (any thread). */
#ifndef DM_PL_IO_H
#define DM_PL_IO_H

#include "runtime/dm_pipeline_int.h"

#include <stdint.h>

/* Monotonic milliseconds. */
int64_t dm_pl_now_ms(void);
/* sd_notify(state) when built with systemd, else nothing. */
void dm_pl_notify(const char *state);

/* Produces one output; on failure it goes on the retry list (and, inside a
 * transaction, dooms it). 0 when queued. */
int dm_pl_produce(dm_pipeline_t *p, dm_output_t *o);
/* Produces every output of a finished job. */
void dm_pl_produce_job(dm_pipeline_t *p, dm_job_t *job);
/* Puts an output that could not be queued or delivered on the retry list. */
void dm_pl_retry_later(dm_pipeline_t *p, dm_output_t *o);
/* Produces again the outputs that could not be queued or delivered. */
void dm_pl_flush_retries(dm_pipeline_t *p);
/* Frees a job that is done with (delivered, dropped or orphaned). */
void dm_pl_job_dispose(dm_pipeline_t *p, dm_job_t *job);

/* The transaction cannot commit: it is aborted at the next turn of the loop
 * (dm_pl_txn_recover), its work discarded and its input consumed again. */
void dm_pl_txn_request_abort(dm_pipeline_t *p, const char *what, const char *why);

/* Pauses (1) or resumes (0) every currently assigned input partition. */
void dm_pl_pause_assignment(dm_pipeline_t *p, int pause);
int dm_pl_subscribe(dm_pipeline_t *p, char *errstr, size_t errstr_size);

#endif
