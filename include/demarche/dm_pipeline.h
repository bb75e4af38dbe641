/* The daemon's pipeline: Kafka in, annotation workers, Kafka out.
 *
 * One libevent loop thread owns the consumer, the producer, the offset
 * tracker and the HTTP server; librdkafka wakes it through queue IO events,
 * workers wake it when jobs complete. At-least-once: an input offset is
 * stored for commit only when every output of it, and of every offset before
 * it on its partition, is delivered.
 *
 * dm_pipeline_new and dm_pipeline_run run on the thread that owns the
 * pipeline; dm_pipeline_stop may be called from any thread or a signal
 * handler context set up by dm_pipeline_run itself. */
#ifndef DM_PIPELINE_H
#define DM_PIPELINE_H

#include "demarche/dm_config.h"

#include <stddef.h>

typedef struct dm_pipeline dm_pipeline_t;

typedef struct dm_pipeline_options {
        int handle_signals; /* SIGTERM/SIGINT drain and stop; SIGHUP reloads */
        /* The configuration file, re-read on SIGHUP for the settings that can
         * change live (log.level, log.format); NULL: none. */
        const char *config_path;
        /* Test hook: librdkafka mock cluster bootstrap to use instead of the
         * configured brokers (NULL in production). */
        const char *bootstrap_override;
} dm_pipeline_options_t;

/* Loads dictionaries, creates the Kafka clients and the HTTP server. conf is
 * borrowed and must outlive the pipeline. Returns NULL with errstr set. */
dm_pipeline_t *dm_pipeline_new(const dm_config_t *conf, const dm_pipeline_options_t *opts,
                               char *errstr, size_t errstr_size);

/* Runs until stopped. Returns 0 after a clean drain (everything delivered
 * and committed), 1 when the drain timed out or a fatal error occurred. */
int dm_pipeline_run(dm_pipeline_t *p);

/* Requests a drain-and-stop. Thread-safe. */
void dm_pipeline_stop(dm_pipeline_t *p);

void dm_pipeline_destroy(dm_pipeline_t *p);

/* The HTTP port actually bound (useful with http.listen port 0), or -1. */
int dm_pipeline_http_port(const dm_pipeline_t *p);

#endif
