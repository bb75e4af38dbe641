/* Loaders for the TABARI and PETRARCH/Phoenix dictionary formats: .actors,
 * .agents (verbs, issues and discards: dm_tabari_verbs.h). Each compiles its entries into a
 * dm_lex_t.
 *
 * Malformed and duplicate entries are reported through the loader's warn
 * callback with file:line and skipped. A loader never aborts on bad input
 * (only on out-of-memory); it returns -1 only when the file cannot be read.
 *
 * Thread rules: a loader and its lexicon belong to one thread while loading. */
#ifndef DM_TABARI_H
#define DM_TABARI_H

#include "dict/dm_lex.h"

#include <stdarg.h>
#include <stddef.h>

typedef struct dm_tabari_loader {
        dm_lex_t *lx;
        /* Called for each problem; ctx is passed through. */
        void (*warn)(void *ctx, const char *path, int line, const char *msg);
        void *ctx;
        int yyyy; /* dates in restrictions have four-digit years */
        /* Duplicate detection: hashes of (kind, normalised phrase). */
        uint64_t *seen;
        uint32_t *seen_entry;
        size_t seen_mask, seen_count;
        size_t counts[DM_LK_COUNT];
} dm_tabari_loader_t;

/* The loader borrows lx (which must outlive it) and owns its duplicate
 * table; free (NULL is a no-op) releases that table only. */
void dm_tabari_loader_init(dm_tabari_loader_t *ld, dm_lex_t *lx);
void dm_tabari_loader_free(dm_tabari_loader_t *ld);

/* kind is DM_LK_ACTOR or DM_LK_AGENT (agents files may not contain
 * <NOUN>/<ADJECTIVE> sections, but are parsed the same way). */
int dm_tabari_load_actors(dm_tabari_loader_t *ld, const char *path, dm_lex_kind_t kind,
                          char *errstr, size_t errstr_size);

/* Shared with dm_tabari_verbs.c: warning helper, comment stripping,
 * duplicate detection (returns the earlier entry or -1 after recording). */
void dm_tabari_warn(dm_tabari_loader_t *ld, const char *path, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void dm_tabari_vwarn(dm_tabari_loader_t *ld, const char *path, int line, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));
void dm_tabari_strip_comment(char *s);
/* PETRARCH's dictionaries hold <!-- ... --> comments, over several lines
 * too: 1 when the trimmed line t is (part of) one and is to be skipped;
 * *in_comment carries an open comment to the next line (start at 0). */
int dm_tabari_xml_comment(const char *t, int *in_comment);
long dm_tabari_seen(dm_tabari_loader_t *ld, dm_lex_kind_t kind, const char *phrase, uint32_t entry);

/* Parses "YYMMDD" (or YYYYMMDD with yyyy) into YYYYMMDD, pivoting two-digit
 * years 00-30 to 20xx. Returns -1 when invalid. */
long dm_tabari_parse_date(const char *s, size_t n, int yyyy);

#endif
