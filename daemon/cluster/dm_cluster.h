/* Events across articles: the cluster key of a DiplomaticEvent, its stable
 * id, and the per-key state the clustering stage keeps (GDELT-style counts,
 * the article and event ids already counted, the supporting article ids, the
 * triggers), with its binary form for the store and the changelog topic.
 *
 * Pure logic: no I/O, no Kafka. Threads: every function works on the
 * objects passed; a state is used by one thread at a time. */
#ifndef DM_CLUSTER_H
#define DM_CLUSTER_H

#include "demarche/dm_buf.h"

#include <stddef.h>
#include <stdint.h>

/* Which side code goes into the key. */
typedef enum dm_cluster_level {
        DM_CLUSTER_LEVEL_COUNTRY = 0, /* actor's country, else its code's first 3 letters */
        DM_CLUSTER_LEVEL_ACTOR        /* the full actor code */
} dm_cluster_level_t;

typedef struct dm_cluster_key_opts {
        dm_cluster_level_t level;
        int root_only; /* key on the CAMEO root rather than the full code */
} dm_cluster_key_opts_t;

/* Parses "country" / "actor" and "code" / "root" (the config values).
 * 0 on success, -1 for an unknown value. */
int dm_cluster_level_parse(const char *s, dm_cluster_level_t *out);
int dm_cluster_code_parse(const char *s, int *root_only);

/* Writes the key "SOURCE|TARGET|CODE|YYYY-MM-DD" into *out (reset first).
 * Any of the strings may be NULL; a side without a code is "-". day_ms is
 * the event time (publication, else consumption) in ms since the epoch. */
void dm_cluster_key_build(const dm_cluster_key_opts_t *o, const char *src_code,
                          const char *src_country, const char *tgt_code, const char *tgt_country,
                          const char *cameo_code, const char *cameo_root, int64_t day_ms,
                          dm_buf_t *out);
/* The key's parts: source, target, code, day ("YYYY-MM-DD"); each output is
 * written NUL-terminated into its own buffer of size part_size. Returns 0,
 * or -1 when the key does not have four parts or a valid day. *day_out (days
 * since 1970-01-01) may be NULL. */
int dm_cluster_key_split(const char *key, char *source, char *target, char *code, char *day,
                         size_t part_size, int32_t *day_out);
/* The stable id: the first 16 bytes of SHA-256(key) in lower-case hex;
 * id must hold 33 bytes. */
void dm_cluster_id(const char *key, size_t key_len, char id[33]);
/* Days since 1970-01-01 (UTC) of a time in ms; floor for negative times. */
int32_t dm_cluster_day_of(int64_t ms);

/* Bounds on the memory and disk one key may use. */
typedef struct dm_cluster_limits {
        size_t max_seen;        /* article / event / outlet hashes remembered */
        size_t max_article_ids; /* supporting article ids kept (in arrival order) */
        size_t max_tally;       /* distinct triggers / codes tallied */
} dm_cluster_limits_t;

/* One tallied string (a trigger or a CAMEO code) and its count. */
typedef struct dm_cluster_tally {
        char *text;
        int32_t count;
} dm_cluster_tally_t;

/* The state of one key. Owned by the caller; dm_cluster_state_clear frees
 * its members. */
typedef struct dm_cluster_state {
        int64_t first_seen_ms, last_seen_ms;
        int32_t mentions, articles, sources;
        int32_t quad_class; /* of the first event */
        double goldstein;
        char *cameo_root;
        uint64_t *article_h, *event_h, *outlet_h; /* FNV-1a 64 of the ids */
        size_t article_n, event_n, outlet_n;
        size_t article_cap, event_cap, outlet_cap;
        char **article_ids;
        size_t article_id_n, article_id_cap;
        dm_cluster_tally_t *triggers, *codes;
        size_t trigger_n, trigger_cap, code_n, code_cap;
        /* Changes applied, and the value of seq when the EventCluster record
         * was last produced (rate limiting: a state with emitted_seq < seq
         * still has a record to publish) and when. */
        int64_t seq, emitted_seq, emitted_ms;
} dm_cluster_state_t;

/* One DiplomaticEvent as seen by the state. Strings borrowed. */
typedef struct dm_cluster_input {
        const char *event_id;
        const char *article_id;
        const char *outlet; /* NULL: the article id stands for its outlet */
        const char *cameo_code;
        const char *cameo_root;
        const char *trigger;
        int32_t quad_class;
        double goldstein;
        int32_t mentions;
        int64_t seen_ms;
} dm_cluster_input_t;

void dm_cluster_state_init(dm_cluster_state_t *st);
void dm_cluster_state_clear(dm_cluster_state_t *st);

/* Counts one event into st: returns 1 when st changed, 0 when the event was
 * already counted (its event_id was seen: a re-sent article). A new event of
 * an article already counted adds its mentions but not an article; a new
 * article adds an article, and a source when its outlet is new. */
int dm_cluster_state_apply(dm_cluster_state_t *st, const dm_cluster_input_t *in,
                           const dm_cluster_limits_t *lim);

/* The most frequent entry of a tally (the first on ties), NULL when empty. */
const char *dm_cluster_tally_top(const dm_cluster_tally_t *t, size_t n);

/* Binary form (versioned, little-endian), as stored and on the changelog. */
void dm_cluster_state_encode(const dm_cluster_state_t *st, dm_buf_t *out);
/* Decodes into st (cleared first; st must be initialised). 0, or -1 with
 * errstr set for a truncated or unknown form. */
int dm_cluster_state_decode(dm_cluster_state_t *st, const void *buf, size_t len, char *errstr,
                            size_t errstr_size);

/* Whether a key of day `day` is older than the window that ends at
 * stream_day (the newest day seen): day < stream_day - window_days. */
int dm_cluster_expired(int32_t day, int32_t stream_day, int32_t window_days);

#endif
