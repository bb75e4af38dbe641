#include "demarche/dm_log.h"
#include "demarche/dm_buf.h"

#include <event2/event.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Rate limiting: at most DM_LOG_BURST lines per call site per window. The
 * table is small and open-addressed by site pointer; on overflow a site is
 * simply not limited, which is the safe failure. */
#define DM_LOG_BURST       5
#define DM_LOG_WINDOW_SECS 10
#define DM_LOG_SITES       256

struct dm_log_site {
        const void *site;
        time_t window_start;
        unsigned emitted;
        unsigned long suppressed;
        const char *component;
};

static atomic_int dm_log_level_ = DM_LOG_LEVEL_INFO;
static atomic_int dm_log_journald_ = -1;
static atomic_int dm_log_json_ = 0;
static atomic_ulong dm_log_counts_[8];
static pthread_mutex_t dm_log_lock_ = PTHREAD_MUTEX_INITIALIZER;
static struct dm_log_site dm_log_sites_[DM_LOG_SITES];

void dm_log_set_level(dm_log_level_t level)
{
        atomic_store(&dm_log_level_, (int)level);
}

dm_log_level_t dm_log_get_level(void)
{
        return (dm_log_level_t)atomic_load(&dm_log_level_);
}

int dm_log_level_parse(const char *s, dm_log_level_t *out)
{
        static const struct {
                const char *name;
                dm_log_level_t level;
        } map[] = {{"debug", DM_LOG_LEVEL_DEBUG},  {"info", DM_LOG_LEVEL_INFO},
                   {"warning", DM_LOG_LEVEL_WARN}, {"warn", DM_LOG_LEVEL_WARN},
                   {"error", DM_LOG_LEVEL_ERROR},  {"fatal", DM_LOG_LEVEL_FATAL}};
        size_t i;
        for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                if (!strcmp(s, map[i].name)) {
                        *out = map[i].level;
                        return 0;
                }
        }
        return -1;
}

const char *dm_log_level_name(dm_log_level_t level)
{
        switch (level) {
        case DM_LOG_LEVEL_FATAL:
                return "fatal";
        case DM_LOG_LEVEL_ERROR:
                return "error";
        case DM_LOG_LEVEL_WARN:
                return "warning";
        case DM_LOG_LEVEL_INFO:
                return "info";
        default:
                return "debug";
        }
}

void dm_log_set_json(int on)
{
        atomic_store(&dm_log_json_, on ? 1 : 0);
}

void dm_log_set_journald(int on)
{
        atomic_store(&dm_log_journald_, on ? 1 : 0);
}

unsigned long dm_log_count(dm_log_level_t level)
{
        return atomic_load(&dm_log_counts_[(unsigned)level & 7]);
}

static int dm_log_journald(void)
{
        int j = atomic_load(&dm_log_journald_);
        if (j < 0) {
                j = getenv("JOURNAL_STREAM") != NULL;
                atomic_store(&dm_log_journald_, j);
        }
        return j;
}

/* logfmt value quoting: quote when the value has a space, quote, = or is
 * empty; escape quotes, backslashes and control characters so that one event
 * is always one line. */
static void dm_log_quote(dm_buf_t *b, const char *s)
{
        const unsigned char *p;
        dm_buf_putc(b, '"');
        for (p = (const unsigned char *)s; *p; p++) {
                if (*p == '"' || *p == '\\') {
                        dm_buf_putc(b, '\\');
                        dm_buf_putc(b, (char)*p);
                } else if (*p == '\n') {
                        dm_buf_puts(b, "\\n");
                } else if (*p < 0x20 || *p == 0x7f) {
                        dm_buf_printf(b, "\\x%02x", *p);
                } else {
                        dm_buf_putc(b, (char)*p);
                }
        }
        dm_buf_putc(b, '"');
}

static void dm_log_json_str(dm_buf_t *b, const char *s, size_t n)
{
        size_t i;
        dm_buf_putc(b, '"');
        for (i = 0; i < n; i++) {
                unsigned char c = (unsigned char)s[i];
                if (c == '"' || c == '\\')
                        dm_buf_printf(b, "\\%c", c);
                else if (c < 0x20)
                        dm_buf_printf(b, "\\u%04x", c);
                else
                        dm_buf_putc(b, (char)c);
        }
        dm_buf_putc(b, '"');
}

/* JSON lines: the logfmt key fields (k=v or k="v") become JSON members. */
static void dm_log_format_json(dm_buf_t *b, const char *tbuf, long ms, dm_log_level_t level,
                               const char *component, const char *msg, const char *kv,
                               unsigned long suppressed)
{
        const char *p = kv;
        dm_buf_printf(b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\",\"component\":", tbuf, ms,
                      dm_log_level_name(level));
        dm_log_json_str(b, component, strlen(component));
        dm_buf_puts(b, ",\"msg\":");
        dm_log_json_str(b, msg, strlen(msg));
        while (p && *p) {
                const char *eq = strchr(p, '='), *v, *e;
                while (*p == ' ')
                        p++;
                eq = strchr(p, '=');
                if (!*p || !eq)
                        break;
                v = eq + 1;
                if (*v == '"') {
                        v++;
                        e = strchr(v, '"');
                        if (!e)
                                e = v + strlen(v);
                } else {
                        e = strchr(v, ' ');
                        if (!e)
                                e = v + strlen(v);
                }
                dm_buf_putc(b, ',');
                dm_log_json_str(b, p, (size_t)(eq - p));
                dm_buf_putc(b, ':');
                dm_log_json_str(b, v, (size_t)(e - v));
                p = *e == '"' ? e + 1 : e;
        }
        if (suppressed)
                dm_buf_printf(b, ",\"suppressed\":%lu", suppressed);
        dm_buf_putc(b, '}');
}

/* Returns 1 when the line may be written; may set *suppressed_out to the
 * number of lines suppressed in the window that just closed. */
static int dm_log_admit(const void *site, const char *component, unsigned long *suppressed_out)
{
        size_t h = ((uintptr_t)site >> 3) % DM_LOG_SITES, i;
        time_t now = time(NULL);
        int ok = 1;
        *suppressed_out = 0;
        pthread_mutex_lock(&dm_log_lock_);
        for (i = 0; i < DM_LOG_SITES; i++) {
                struct dm_log_site *s = &dm_log_sites_[(h + i) % DM_LOG_SITES];
                if (s->site && s->site != site)
                        continue;
                if (!s->site) {
                        s->site = site;
                        s->window_start = now;
                        s->component = component;
                }
                if (now - s->window_start >= DM_LOG_WINDOW_SECS) {
                        *suppressed_out = s->suppressed;
                        s->window_start = now;
                        s->emitted = 0;
                        s->suppressed = 0;
                }
                if (s->emitted >= DM_LOG_BURST) {
                        s->suppressed++;
                        ok = 0;
                } else {
                        s->emitted++;
                }
                break;
        }
        pthread_mutex_unlock(&dm_log_lock_);
        return ok;
}

void dm_log_vwrite(dm_log_level_t level, const char *component, const void *site, const char *kv,
                   const char *fmt, va_list ap)
{
        dm_buf_t line, msg;
        struct timespec ts;
        struct tm tm;
        char tbuf[32];
        unsigned long suppressed = 0;

        if ((int)level > atomic_load(&dm_log_level_))
                return;
        if (site && level <= DM_LOG_LEVEL_WARN && !dm_log_admit(site, component, &suppressed))
                return;
        atomic_fetch_add(&dm_log_counts_[(unsigned)level & 7], 1);

        dm_buf_init(&line);
        dm_buf_init(&msg);
        dm_buf_vprintf(&msg, fmt, ap);
        clock_gettime(CLOCK_REALTIME, &ts);
        gmtime_r(&ts.tv_sec, &tm);
        strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm);
        if (dm_log_journald())
                dm_buf_printf(&line, "<%d>", (int)level);
        if (atomic_load(&dm_log_json_)) {
                dm_log_format_json(&line, tbuf, ts.tv_nsec / 1000000, level, component,
                                   msg.data ? msg.data : "", kv, suppressed);
        } else {
                dm_buf_printf(&line, "ts=%s.%03ldZ level=%s component=%s msg=", tbuf,
                              ts.tv_nsec / 1000000, dm_log_level_name(level), component);
                dm_log_quote(&line, msg.data ? msg.data : "");
                if (kv && *kv) {
                        dm_buf_putc(&line, ' ');
                        dm_buf_puts(&line, kv);
                }
                if (suppressed)
                        dm_buf_printf(&line, " suppressed=%lu", suppressed);
        }
        dm_buf_putc(&line, '\n');
        /* One write(2) per line keeps lines from different threads whole. */
        if (write(STDERR_FILENO, line.data, line.len) < 0) {
                /* Nowhere left to report a failing log sink. */
        }
        dm_buf_free(&line);
        dm_buf_free(&msg);
}

void dm_log_write(dm_log_level_t level, const char *component, const void *site, const char *kv,
                  const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        dm_log_vwrite(level, component, site, kv, fmt, ap);
        va_end(ap);
}

void dm_log_rdkafka_cb(const struct rd_kafka_s *rk, int level, const char *fac, const char *buf)
{
        dm_log_level_t l;
        char kv[96];
        (void)rk;
        if (level <= 2)
                l = DM_LOG_LEVEL_FATAL;
        else if (level == 3)
                l = DM_LOG_LEVEL_ERROR;
        else if (level == 4)
                l = DM_LOG_LEVEL_WARN;
        else if (level <= 6)
                l = DM_LOG_LEVEL_INFO;
        else
                l = DM_LOG_LEVEL_DEBUG;
        snprintf(kv, sizeof(kv), "facility=%s", fac ? fac : "-");
        /* The facility is the rate-limit key: librdkafka repeats the same
         * connection error for every retry. */
        dm_log_write(l, "rdkafka", fac, kv, "%s", buf);
}

static void dm_log_libevent_cb(int severity, const char *msg)
{
        dm_log_level_t l = DM_LOG_LEVEL_DEBUG;
        if (severity == EVENT_LOG_ERR)
                l = DM_LOG_LEVEL_ERROR;
        else if (severity == EVENT_LOG_WARN)
                l = DM_LOG_LEVEL_WARN;
        else if (severity == EVENT_LOG_MSG)
                l = DM_LOG_LEVEL_INFO;
        dm_log_write(l, "libevent", (const void *)dm_log_libevent_cb, NULL, "%s", msg);
}

void dm_log_install_libevent(void)
{
        event_set_log_callback(dm_log_libevent_cb);
}
