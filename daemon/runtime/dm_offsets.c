#include "runtime/dm_offsets.h"
#include "demarche/dm_mem.h"

#include <stdlib.h>
#include <string.h>

/* One partition: a ring of in-flight offsets in increasing order. Offsets are
 * strictly increasing, so a done() lookup is a binary search over the ring. */
typedef struct dm_offsets_part {
        char *topic;
        int32_t partition;
        int64_t *offs;
        unsigned char *done;
        size_t head, count, cap; /* ring: elements head..head+count-1 mod cap */
        int64_t last_tracked;
} dm_offsets_part_t;

struct dm_offsets {
        dm_offsets_part_t *parts;
        size_t count, cap;
        size_t inflight;
};

dm_offsets_t *dm_offsets_new(void)
{
        return dm_calloc(1, sizeof(dm_offsets_t));
}

static void dm_offsets_part_free(dm_offsets_part_t *p)
{
        free(p->topic);
        free(p->offs);
        free(p->done);
}

void dm_offsets_destroy(dm_offsets_t *t)
{
        size_t i;
        if (!t)
                return;
        for (i = 0; i < t->count; i++)
                dm_offsets_part_free(&t->parts[i]);
        free(t->parts);
        free(t);
}

static dm_offsets_part_t *dm_offsets_find(const dm_offsets_t *t, const char *topic,
                                          int32_t partition)
{
        size_t i;
        for (i = 0; i < t->count; i++)
                if (t->parts[i].partition == partition && !strcmp(t->parts[i].topic, topic))
                        return &t->parts[i];
        return NULL;
}

static void dm_offsets_part_reset(dm_offsets_t *t, dm_offsets_part_t *p)
{
        t->inflight -= p->count;
        p->head = 0;
        p->count = 0;
        p->last_tracked = -1;
}

static void dm_offsets_part_grow(dm_offsets_part_t *p)
{
        size_t ncap = p->cap ? p->cap * 2 : 64, i;
        int64_t *offs = dm_malloc(ncap * sizeof(*offs));
        unsigned char *done = dm_malloc(ncap);
        for (i = 0; i < p->count; i++) {
                offs[i] = p->offs[(p->head + i) % p->cap];
                done[i] = p->done[(p->head + i) % p->cap];
        }
        free(p->offs);
        free(p->done);
        p->offs = offs;
        p->done = done;
        p->head = 0;
        p->cap = ncap;
}

void dm_offsets_track(dm_offsets_t *t, const char *topic, int32_t partition, int64_t offset)
{
        dm_offsets_part_t *p = dm_offsets_find(t, topic, partition);
        size_t slot;
        if (!p) {
                dm_grow((void **)&t->parts, &t->cap, t->count + 1, sizeof(*p));
                p = &t->parts[t->count++];
                memset(p, 0, sizeof(*p));
                p->topic = dm_strdup(topic);
                p->partition = partition;
                p->last_tracked = -1;
        }
        if (offset <= p->last_tracked)
                dm_offsets_part_reset(t, p);
        if (p->count == p->cap)
                dm_offsets_part_grow(p);
        slot = (p->head + p->count) % p->cap;
        p->offs[slot] = offset;
        p->done[slot] = 0;
        p->count++;
        p->last_tracked = offset;
        t->inflight++;
}

int dm_offsets_done(dm_offsets_t *t, const char *topic, int32_t partition, int64_t offset,
                    int64_t *commit_offset)
{
        dm_offsets_part_t *p = dm_offsets_find(t, topic, partition);
        size_t lo = 0, hi, released = 0;
        int64_t last = -1;
        if (!p || !p->count)
                return -1;
        hi = p->count;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (p->offs[(p->head + mid) % p->cap] < offset)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        if (lo == p->count || p->offs[(p->head + lo) % p->cap] != offset)
                return -1;
        p->done[(p->head + lo) % p->cap] = 1;
        while (p->count && p->done[p->head]) {
                last = p->offs[p->head];
                p->head = (p->head + 1) % p->cap;
                p->count--;
                released++;
        }
        t->inflight -= released;
        if (!released)
                return 0;
        *commit_offset = last + 1;
        return 1;
}

void dm_offsets_remove(dm_offsets_t *t, const char *topic, int32_t partition)
{
        dm_offsets_part_t *p = dm_offsets_find(t, topic, partition);
        size_t idx;
        if (!p)
                return;
        t->inflight -= p->count;
        dm_offsets_part_free(p);
        idx = (size_t)(p - t->parts);
        memmove(p, p + 1, (t->count - idx - 1) * sizeof(*p));
        t->count--;
}

size_t dm_offsets_inflight(const dm_offsets_t *t)
{
        return t->inflight;
}

size_t dm_offsets_partition_inflight(const dm_offsets_t *t, const char *topic, int32_t partition)
{
        const dm_offsets_part_t *p = dm_offsets_find(t, topic, partition);
        return p ? p->count : 0;
}
