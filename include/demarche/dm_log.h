/* Logging: one sink, one line per event, logfmt on stderr.
 *
 *   ts=2026-11-27T19:40:01.123Z level=info component=pipeline msg="..." k=v
 *
 * Every subsystem logs through the DM_LOG_* macros with a component name;
 * librdkafka's and libevent's own logs are routed here too (see
 * dm_log_rdkafka_cb and dm_log_install_libevent). Repeated identical errors
 * and warnings (same call site) are rate-limited and the count of suppressed
 * lines is reported when the window closes. Thread-safe: any thread may log. */
#ifndef DM_LOG_H
#define DM_LOG_H

#include <stdarg.h>

/* syslog severities, so the journald <N> prefix is the level itself. */
typedef enum dm_log_level {
        DM_LOG_LEVEL_FATAL = 2,
        DM_LOG_LEVEL_ERROR = 3,
        DM_LOG_LEVEL_WARN = 4,
        DM_LOG_LEVEL_INFO = 6,
        DM_LOG_LEVEL_DEBUG = 7,
} dm_log_level_t;

/* Sets the threshold; lines above it (less severe) are dropped. */
void dm_log_set_level(dm_log_level_t level);
dm_log_level_t dm_log_get_level(void);
/* Parses "debug", "info", "warning"/"warn", "error". Returns 0 or -1. */
int dm_log_level_parse(const char *s, dm_log_level_t *out);
const char *dm_log_level_name(dm_log_level_t level);
/* Prefix lines with <N> for journald (auto-detected from JOURNAL_STREAM at
 * first use; this forces it on or off). */
void dm_log_set_journald(int on);
/* Line format: 0 = logfmt (default), 1 = JSON lines. */
void dm_log_set_json(int on);
/* Number of lines emitted per level so far (for metrics). */
unsigned long dm_log_count(dm_log_level_t level);

/* kv: preformatted logfmt fields ("topic=x partition=1") or NULL. The call
 * site pointer is the rate-limit key. */
void dm_log_write(dm_log_level_t level, const char *component, const void *site, const char *kv,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void dm_log_vwrite(dm_log_level_t level, const char *component, const void *site, const char *kv,
                   const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

#define DM_LOG__(lvl, comp, kv, ...)                                                               \
        do {                                                                                       \
                static const char dm_log_site__ = 0;                                               \
                if ((lvl) <= dm_log_get_level())                                                   \
                        dm_log_write((lvl), (comp), &dm_log_site__, (kv), __VA_ARGS__);            \
        } while (0)

#define DM_LOG_FATAL(comp, ...) DM_LOG__(DM_LOG_LEVEL_FATAL, comp, NULL, __VA_ARGS__)
#define DM_LOG_ERROR(comp, ...) DM_LOG__(DM_LOG_LEVEL_ERROR, comp, NULL, __VA_ARGS__)
#define DM_LOG_WARN(comp, ...)  DM_LOG__(DM_LOG_LEVEL_WARN, comp, NULL, __VA_ARGS__)
#define DM_LOG_INFO(comp, ...)  DM_LOG__(DM_LOG_LEVEL_INFO, comp, NULL, __VA_ARGS__)
#define DM_LOG_DEBUG(comp, ...) DM_LOG__(DM_LOG_LEVEL_DEBUG, comp, NULL, __VA_ARGS__)
/* Same with logfmt key fields. */
#define DM_LOGKV(lvl, comp, kv, ...) DM_LOG__(lvl, comp, kv, __VA_ARGS__)

/* librdkafka log_cb (rd_kafka_conf_set_log_cb): maps syslog levels 0-7. */
struct rd_kafka_s;
void dm_log_rdkafka_cb(const struct rd_kafka_s *rk, int level, const char *fac, const char *buf);
/* Routes libevent's internal logging into this sink. */
void dm_log_install_libevent(void);

#endif
