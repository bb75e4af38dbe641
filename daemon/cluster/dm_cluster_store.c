/* LMDB state store of the clustering stage; see dm_cluster_store.h. */
#include "cluster/dm_cluster_store.h"
#include "demarche/dm_mem.h"

#include <lmdb.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DM_CLUSTER_META 0x01

struct dm_cluster_store {
        MDB_env *env;
        MDB_dbi dbi;
        MDB_txn *txn; /* the open write transaction, or NULL */
};

static int dm_cluster_store_err(char *errstr, size_t errstr_size, const char *what, int rc)
{
        snprintf(errstr, errstr_size, "lmdb %s: %s", what, mdb_strerror(rc));
        return -1;
}

/* mkdir -p: the state directory's parents may not exist yet. */
static int dm_cluster_store_mkdirs(const char *dir, char *errstr, size_t errstr_size)
{
        char *path = dm_strdup(dir), *p;
        int rc = -1;

        for (p = path + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(path, 0750) && errno != EEXIST) {
                        snprintf(errstr, errstr_size, "mkdir %s: %s", path, strerror(errno));
                        goto done;
                }
                *p = '/';
        }
        if (mkdir(path, 0750) && errno != EEXIST) {
                snprintf(errstr, errstr_size, "mkdir %s: %s", path, strerror(errno));
                goto done;
        }
        rc = 0;

done:
        free(path);
        return rc;
}

dm_cluster_store_t *dm_cluster_store_open(const char *dir, size_t map_bytes, char *errstr,
                                          size_t errstr_size)
{
        dm_cluster_store_t *st = dm_calloc(1, sizeof(*st));
        MDB_txn *txn = NULL;
        int rc;

        if (dm_cluster_store_mkdirs(dir, errstr, errstr_size))
                goto fail;
        if ((rc = mdb_env_create(&st->env))) {
                dm_cluster_store_err(errstr, errstr_size, "env_create", rc);
                goto fail;
        }
        if ((rc = mdb_env_set_mapsize(st->env, map_bytes))) {
                dm_cluster_store_err(errstr, errstr_size, "set_mapsize", rc);
                goto fail;
        }
        /* No fsync: the changelog topic is the durable copy (see the header).
         * MDB_NOTLS: the handle is used from the clustering thread only, but
         * not necessarily the one that opened it. */
        if ((rc = mdb_env_open(st->env, dir, MDB_NOSYNC | MDB_NOTLS, 0640))) {
                snprintf(errstr, errstr_size, "lmdb open %s: %s", dir, mdb_strerror(rc));
                goto fail;
        }
        if ((rc = mdb_txn_begin(st->env, NULL, 0, &txn)) ||
            (rc = mdb_dbi_open(txn, NULL, 0, &st->dbi)) || (rc = mdb_txn_commit(txn))) {
                if (txn && rc)
                        mdb_txn_abort(txn);
                dm_cluster_store_err(errstr, errstr_size, "dbi_open", rc);
                goto fail;
        }
        return st;

fail:
        dm_cluster_store_close(st);
        return NULL;
}

void dm_cluster_store_close(dm_cluster_store_t *st)
{
        if (!st)
                return;
        if (st->txn)
                mdb_txn_abort(st->txn);
        if (st->env)
                mdb_env_close(st->env);
        free(st);
}

int dm_cluster_store_begin(dm_cluster_store_t *st, char *errstr, size_t errstr_size)
{
        int rc;

        if (st->txn)
                return 0;
        if ((rc = mdb_txn_begin(st->env, NULL, 0, &st->txn))) {
                st->txn = NULL;
                return dm_cluster_store_err(errstr, errstr_size, "txn_begin", rc);
        }
        return 0;
}

int dm_cluster_store_commit(dm_cluster_store_t *st, char *errstr, size_t errstr_size)
{
        int rc;

        if (!st->txn)
                return 0;
        rc = mdb_txn_commit(st->txn);
        st->txn = NULL;
        if (rc)
                return dm_cluster_store_err(errstr, errstr_size, "txn_commit", rc);
        return 0;
}

int dm_cluster_store_get(dm_cluster_store_t *st, const void *key, size_t key_len, dm_buf_t *out,
                         char *errstr, size_t errstr_size)
{
        MDB_txn *txn = st->txn;
        MDB_val k = {key_len, (void *)key}, v;
        int rc, ret = -1;

        if (!txn && (rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)))
                return dm_cluster_store_err(errstr, errstr_size, "txn_begin", rc);
        rc = mdb_get(txn, st->dbi, &k, &v);
        if (rc == MDB_NOTFOUND) {
                ret = 0;
        } else if (rc) {
                dm_cluster_store_err(errstr, errstr_size, "get", rc);
        } else {
                dm_buf_reset(out);
                dm_buf_append(out, v.mv_data, v.mv_size);
                ret = 1;
        }
        if (txn != st->txn)
                mdb_txn_abort(txn);
        return ret;
}

int dm_cluster_store_put(dm_cluster_store_t *st, const void *key, size_t key_len, const void *val,
                         size_t val_len, char *errstr, size_t errstr_size)
{
        MDB_val k = {key_len, (void *)key}, v = {val_len, (void *)val};
        int rc;

        if (!st->txn)
                return dm_cluster_store_err(errstr, errstr_size, "put", EINVAL);
        if ((rc = mdb_put(st->txn, st->dbi, &k, &v, 0)))
                return dm_cluster_store_err(errstr, errstr_size, "put", rc);
        return 0;
}

int dm_cluster_store_del(dm_cluster_store_t *st, const void *key, size_t key_len, char *errstr,
                         size_t errstr_size)
{
        MDB_val k = {key_len, (void *)key};
        int rc;

        if (!st->txn)
                return dm_cluster_store_err(errstr, errstr_size, "del", EINVAL);
        rc = mdb_del(st->txn, st->dbi, &k, NULL);
        if (rc && rc != MDB_NOTFOUND)
                return dm_cluster_store_err(errstr, errstr_size, "del", rc);
        return 0;
}

int dm_cluster_store_wipe(dm_cluster_store_t *st, char *errstr, size_t errstr_size)
{
        int rc;

        if (!st->txn)
                return dm_cluster_store_err(errstr, errstr_size, "drop", EINVAL);
        if ((rc = mdb_drop(st->txn, st->dbi, 0)))
                return dm_cluster_store_err(errstr, errstr_size, "drop", rc);
        return 0;
}

int dm_cluster_store_foreach(dm_cluster_store_t *st,
                             int (*fn)(const char *key, size_t key_len, const void *val,
                                       size_t val_len, void *opaque),
                             void *opaque, char *errstr, size_t errstr_size)
{
        MDB_txn *txn = st->txn;
        MDB_cursor *cur = NULL;
        MDB_val k, v;
        int rc, ret = -1;

        if (!txn && (rc = mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn)))
                return dm_cluster_store_err(errstr, errstr_size, "txn_begin", rc);
        if ((rc = mdb_cursor_open(txn, st->dbi, &cur))) {
                dm_cluster_store_err(errstr, errstr_size, "cursor_open", rc);
                goto done;
        }
        for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); !rc;
             rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
                if (k.mv_size && ((const unsigned char *)k.mv_data)[0] == DM_CLUSTER_META)
                        continue;
                if (fn(k.mv_data, k.mv_size, v.mv_data, v.mv_size, opaque))
                        break;
        }
        if (rc && rc != MDB_NOTFOUND) {
                dm_cluster_store_err(errstr, errstr_size, "cursor_get", rc);
                goto done;
        }
        ret = 0;

done:
        if (cur)
                mdb_cursor_close(cur);
        if (txn != st->txn)
                mdb_txn_abort(txn);
        return ret;
}

int64_t dm_cluster_store_entries(dm_cluster_store_t *st)
{
        MDB_txn *txn = st->txn;
        MDB_stat s;
        int64_t n = -1;

        if (!txn && mdb_txn_begin(st->env, NULL, MDB_RDONLY, &txn))
                return -1;
        if (!mdb_stat(txn, st->dbi, &s))
                n = (int64_t)s.ms_entries;
        if (txn != st->txn)
                mdb_txn_abort(txn);
        return n;
}

int64_t dm_cluster_store_bytes(dm_cluster_store_t *st)
{
        MDB_envinfo info;
        MDB_stat s;

        if (mdb_env_info(st->env, &info) || mdb_env_stat(st->env, &s))
                return -1;
        return (int64_t)(info.me_last_pgno + 1) * (int64_t)s.ms_psize;
}

int dm_cluster_store_sync(dm_cluster_store_t *st, char *errstr, size_t errstr_size)
{
        int rc = mdb_env_sync(st->env, 1);

        if (rc)
                return dm_cluster_store_err(errstr, errstr_size, "sync", rc);
        return 0;
}

/* Meta keys: 0x01 then the name. */
static size_t dm_cluster_meta_key(const char *name, char *k, size_t size)
{
        int n = snprintf(k, size, "%c%s", DM_CLUSTER_META, name);

        return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

int dm_cluster_store_meta_set(dm_cluster_store_t *st, const char *name, int64_t v, char *errstr,
                              size_t errstr_size)
{
        char k[128];
        size_t n = dm_cluster_meta_key(name, k, sizeof(k));

        return dm_cluster_store_put(st, k, n, &v, sizeof(v), errstr, errstr_size);
}

int64_t dm_cluster_store_meta_get(dm_cluster_store_t *st, const char *name, int64_t dflt)
{
        char k[128], err[128];
        size_t n = dm_cluster_meta_key(name, k, sizeof(k));
        dm_buf_t b;
        int64_t v = dflt;

        dm_buf_init(&b);
        if (dm_cluster_store_get(st, k, n, &b, err, sizeof(err)) == 1 && b.len == sizeof(v))
                memcpy(&v, b.data, sizeof(v));
        dm_buf_free(&b);
        return v;
}

int dm_cluster_store_meta_del(dm_cluster_store_t *st, const char *name, char *errstr,
                              size_t errstr_size)
{
        char k[128];
        size_t n = dm_cluster_meta_key(name, k, sizeof(k));

        return dm_cluster_store_del(st, k, n, errstr, errstr_size);
}
