/* The clustering stage's state store: one LMDB environment per owned
 * partition of the repartition topic, holding cluster key -> binary state
 * (dm_cluster_state_encode) plus a few meta entries (keys starting with
 * 0x01, which no cluster key does).
 *
 * The store is a cache of the changelog topic, which is the source of
 * truth: it is written without fsync (MDB_NOSYNC) and, unless it was closed
 * cleanly with a checkpoint, emptied and rebuilt from the changelog when its
 * partition is assigned.
 *
 * Threads: a store is used by one thread (the clustering thread). Writes
 * happen inside dm_cluster_store_begin / _commit; reads work inside or
 * outside such a transaction. */
#ifndef DM_CLUSTER_STORE_H
#define DM_CLUSTER_STORE_H

#include "demarche/dm_buf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dm_cluster_store dm_cluster_store_t;

/* Opens (creating the directory if needed) the store in dir, at most
 * map_bytes large. NULL with errstr set on failure. */
dm_cluster_store_t *dm_cluster_store_open(const char *dir, size_t map_bytes, char *errstr,
                                          size_t errstr_size);
/* Aborts an open transaction. NULL is a no-op. */
void dm_cluster_store_close(dm_cluster_store_t *st);

int dm_cluster_store_begin(dm_cluster_store_t *st, char *errstr, size_t errstr_size);
int dm_cluster_store_commit(dm_cluster_store_t *st, char *errstr, size_t errstr_size);

/* Copies the value of key into *out (reset first). 1 found, 0 absent, -1
 * error. */
int dm_cluster_store_get(dm_cluster_store_t *st, const void *key, size_t key_len, dm_buf_t *out,
                         char *errstr, size_t errstr_size);
/* Inside a transaction only. */
int dm_cluster_store_put(dm_cluster_store_t *st, const void *key, size_t key_len, const void *val,
                         size_t val_len, char *errstr, size_t errstr_size);
int dm_cluster_store_del(dm_cluster_store_t *st, const void *key, size_t key_len, char *errstr,
                         size_t errstr_size);
/* Removes every entry (inside a transaction). */
int dm_cluster_store_wipe(dm_cluster_store_t *st, char *errstr, size_t errstr_size);

/* Calls fn for every cluster entry (meta entries skipped), in key order;
 * fn returns non-zero to stop. The key and value are valid during the call
 * only. Must not be called with fn writing to the store. */
int dm_cluster_store_foreach(dm_cluster_store_t *st,
                             int (*fn)(const char *key, size_t key_len, const void *val,
                                       size_t val_len, void *opaque),
                             void *opaque, char *errstr, size_t errstr_size);

/* Number of entries (meta included) and bytes in use (pages * page size). */
int64_t dm_cluster_store_entries(dm_cluster_store_t *st);
int64_t dm_cluster_store_bytes(dm_cluster_store_t *st);
/* Writes the data to disk (the store is otherwise written without fsync). */
int dm_cluster_store_sync(dm_cluster_store_t *st, char *errstr, size_t errstr_size);

/* Meta entries: an int64 by name (inside a transaction for set). get
 * returns dflt when absent. */
int dm_cluster_store_meta_set(dm_cluster_store_t *st, const char *name, int64_t v, char *errstr,
                              size_t errstr_size);
int64_t dm_cluster_store_meta_get(dm_cluster_store_t *st, const char *name, int64_t dflt);
int dm_cluster_store_meta_del(dm_cluster_store_t *st, const char *name, char *errstr,
                              size_t errstr_size);

#endif
