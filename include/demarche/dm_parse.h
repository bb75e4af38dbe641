/* Part-of-speech tagging and labelled dependency parsing (UD basic
 * relations) with a model trained by `demarche train-parser`.
 *
 * Threading: a dm_parse_model_t is immutable once loaded and may be shared
 * by any number of threads; each thread parses with its own
 * dm_parse_scratch_t, which holds every per-sentence buffer. */
#ifndef DM_PARSE_H
#define DM_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Longer sentences are cut to their first DM_PARSE_MAX_TOKENS tokens; the
 * result says so (truncated). */
#define DM_PARSE_MAX_TOKENS 256

typedef struct dm_parse_model dm_parse_model_t;
typedef struct dm_parse_scratch dm_parse_scratch_t;

/* One parsed token. Every string is borrowed: form from the caller's
 * input, the others from the model or the scratch; all stay valid until the
 * next dm_parse_tokens() with the same scratch, or its destruction. */
typedef struct dm_parse_token {
        const char *form;
        const char *upos; /* "NOUN", "VERB", ... */
        const char *xpos; /* Penn tag: "NN", "VBD", ... */
        const char *lemma;
        const char *feats;  /* "Tense=Past|VerbForm=Fin" or "_" */
        const char *deprel; /* "nsubj", "nsubj:pass", "root", ... */
        int head;           /* 1-based index of the head, 0 for the root */
} dm_parse_token_t;

typedef struct dm_parse_result {
        const dm_parse_token_t *toks; /* toks[0] is the first word */
        size_t ntoks;                 /* parsed tokens (<= DM_PARSE_MAX_TOKENS) */
        size_t ntoks_in;              /* tokens given */
        int truncated;                /* ntoks < ntoks_in: the rest was cut */
} dm_parse_result_t;

/* Loads a model file (format: docs/PARSER.md). Returns NULL with the reason
 * in errstr when the file is missing, truncated, corrupt (checksum) or of
 * another version. The caller owns the model: dm_parse_model_destroy(). */
dm_parse_model_t *dm_parse_model_load(const char *path, char *errstr, size_t errstr_size);
/* The same from a buffer (copied; the caller keeps data). */
dm_parse_model_t *dm_parse_model_load_mem(const void *data, size_t size, char *errstr,
                                          size_t errstr_size);
/* NULL is a no-op. No scratch of the model may be in use. */
void dm_parse_model_destroy(dm_parse_model_t *m);

/* The default model: $DEMARCHE_MODELS/en_ewt.dmparse when DEMARCHE_MODELS
 * is set, else the installed DM_DEFAULT_MODELS/en_ewt.dmparse. Returns a
 * static or per-thread string (do not free; valid until the thread's next
 * call). */
const char *dm_parse_model_default_path(void);

/* Per-thread scratch for model m (borrowed: m must outlive the scratch).
 * Caller owns it; dm_parse_scratch_destroy(NULL) is a no-op. */
dm_parse_scratch_t *dm_parse_scratch_new(const dm_parse_model_t *m);
void dm_parse_scratch_destroy(dm_parse_scratch_t *s);

/* Tags, lemmatises and parses one sentence of n UD-style tokens (forms in
 * their original case, NUL-terminated, borrowed for the result's lifetime).
 * *out points into the scratch. Returns 0; n == 0 gives an empty result. */
int dm_parse_tokens(dm_parse_scratch_t *s, const char *const *forms, size_t n,
                    const dm_parse_result_t **out);

/* The same, with what the caller knows: names[i] nonzero when token i is
 * part of a proper name (a dictionary actor's name, "Gondor"); such a token
 * the model never saw in training is tagged and parsed as a known proper
 * noun would be. names may be NULL. */
int dm_parse_tokens_names(dm_parse_scratch_t *s, const char *const *forms, const uint8_t *names,
                          size_t n, const dm_parse_result_t **out);

#endif
