/* TABARI .options commands: SET:, COMPLEX:, DEFAULT:, COMMA:, FORWARD:,
 * LABEL: and OUTPUT: (the last two are accepted and ignored: labels and
 * output fields are presentation, not coding).
 *
 * A dm_options_t is a plain value: the dictionary holds the file's settings
 * read-only, each coder copies them and validation records may change the
 * coder's copy. */
#ifndef DM_OPTIONS_H
#define DM_OPTIONS_H

#include <stddef.h>

typedef enum dm_code_by {
        DM_CODE_BY_CLAUSE = 0,
        DM_CODE_BY_SENTENCE,
        DM_CODE_ALL,
} dm_code_by_t;

typedef struct dm_options {
        dm_code_by_t code_by;
        int min_words;
        int convert_agents;
        int yyyy;
        int time_shift; /* -1: automatic (on when <TIME> phrases exist) */
        int fbis;
        /* COMMA: clause elimination limits (words between commas). */
        int comma_off;
        int comma_min, comma_max, comma_emin, comma_emax, comma_bmin, comma_bmax;
        /* COMPLEX: conditions; 0 = inactive. */
        int cx_verbs, cx_actors, cx_pronouns, cx_conj, cx_comma, cx_lateverb;
        int cx_noactprior, cx_noactafter, cx_noverb, cx_nosource, cx_notarget, cx_noevent;
        /* DEFAULT: codes ("" = none). */
        char default_src[32], default_tgt[32];
        int default_prior, default_after;
        /* FORWARD: pronoun forwarding between records (parsed, not used). */
        int forward;
} dm_options_t;

void dm_options_defaults(dm_options_t *o);

/* Applies one .options command line. Returns 0, or -1 with errstr set for an
 * unknown command or a malformed value (the setting is left unchanged). */
int dm_options_apply(dm_options_t *o, const char *line, char *errstr, size_t errstr_size);

/* Reads a .options file; problems are reported to warn as file:line and the
 * line is skipped. Returns -1 only when the file cannot be opened. */
int dm_options_load(dm_options_t *o, const char *path,
                    void (*warn)(void *ctx, const char *path, int line, const char *msg), void *ctx,
                    char *errstr, size_t errstr_size);

#endif
