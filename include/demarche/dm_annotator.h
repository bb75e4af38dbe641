/* The annotation engine's entry point: article in, annotation result out.
 *
 * An annotator is a per-thread handle: it borrows the shared, read-only
 * dictionaries and owns the scratch buffers reused from article to article.
 * Create one per worker thread; never share one between threads. The
 * dictionaries must outlive every annotator made from them. */
#ifndef DM_ANNOTATOR_H
#define DM_ANNOTATOR_H

#include "demarche/dm_article.h"
#include "demarche/dm_dict.h"

#include <stddef.h>

typedef struct dm_annotator dm_annotator_t;

/* Codes in TABARI mode until dm_annotator_set_mode() says otherwise. */
dm_annotator_t *dm_annotator_new(const dm_dict_t *dicts);
void dm_annotator_destroy(dm_annotator_t *a);

/* How the coder assigns sources and targets: from the dependency parse
 * (DM_CODER_MODE_PARSE; the model is dm_dict_parser()'s) or from word order
 * as TABARI does (DM_CODER_MODE_TABARI). A new annotator codes in TABARI
 * mode, which needs no model; the daemon and `demarche annotate` ask for
 * parse mode unless configured otherwise (coder.mode, docs/QUALITY.md).
 * Returns 0, or -1 with errstr set when parse mode is asked for and the
 * model cannot be loaded (the mode is then unchanged). */
typedef enum dm_coder_mode {
        DM_CODER_MODE_PARSE = 0,
        DM_CODER_MODE_TABARI,
} dm_coder_mode_t;
int dm_annotator_set_mode(dm_annotator_t *a, dm_coder_mode_t mode, char *errstr,
                          size_t errstr_size);
/* Parses "parse" or "tabari"; -1 for anything else. */
int dm_coder_mode_parse(const char *s, dm_coder_mode_t *out);

/* Whether the frames and domestic rules (dm_frames, dm_domestic) run after
 * the coder and code what its dictionaries miss: on by default (config
 * coder.frames). Off leaves every event to the dictionaries. */
void dm_annotator_set_frames(dm_annotator_t *a, int on);

/* Cleaned text longer than this is truncated (at a UTF-8 boundary) before
 * annotation, with a log line; default 1 MiB. */
void dm_annotator_set_max_text(dm_annotator_t *a, size_t max_bytes);

/* Annotates one article into *result (initialised by the caller with
 * dm_result_init; cleared first). Returns 0, or -1 with errstr set when the
 * article cannot be annotated (e.g. no text left after cleaning); *reason then
 * says why. */
int dm_annotate(dm_annotator_t *a, const dm_article_t *article, dm_result_t *result,
                dm_reject_reason_t *reason, char *errstr, size_t errstr_size);

#endif
