#include "demarche/dm_tool.h"
#include "demarche/dm_annotator.h"
#include "demarche/dm_config.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_envelope.h"
#include "demarche/dm_buf.h"
#include "demarche/dm_result_json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Annotates one input value and prints it; returns 0 or 1 (rejected). */
static int dm_tool_annotate_one(dm_annotator_t *an, const char *name, const void *value, size_t len,
                                int pretty, FILE *out, FILE *err)
{
        dm_article_t art;
        dm_result_t res;
        dm_reject_reason_t reason = DM_REJECT_ANNOTATION_ERROR;
        char msg[512];
        int rc = 0;
        dm_article_init(&art);
        dm_result_init(&res);
        if (dm_envelope_parse(value, len, &art, &reason, msg, sizeof(msg)) ||
            dm_annotate(an, &art, &res, &reason, msg, sizeof(msg))) {
                fprintf(err, "%s: rejected (%s): %s\n", name, dm_reject_reason_name(reason), msg);
                rc = 1;
        } else {
                char *json = dm_result_to_json(&res, pretty);
                fprintf(out, "%s\n", json);
                free(json);
        }
        dm_result_clear(&res);
        dm_article_clear(&art);
        return rc;
}

int dm_tool_annotate(const dm_annotate_opts_t *opts, FILE *in, FILE *out, FILE *err)
{
        const char *spec = opts->dictionaries ? opts->dictionaries : dm_dict_default_spec();
        char msg[512];
        dm_dict_t *dict = dm_dict_load(spec, 0, msg, sizeof(msg));
        dm_annotator_t *an = NULL;
        dm_buf_t b;
        int failed = 0, i, rc = 0;

        dm_buf_init(&b);
        if (!dict) {
                fprintf(err, "demarche: dictionaries: %s\n", msg);
                rc = 2;
                goto done;
        }
        an = dm_annotator_new(dict);
        dm_annotator_set_frames(an, !opts->no_frames);
        {
                /* The daemon's default (coder.mode): parse mode. */
                dm_coder_mode_t mode;
                const char *name = opts->mode ? opts->mode : "parse";
                if (dm_coder_mode_parse(name, &mode)) {
                        fprintf(err, "demarche: --mode: '%s' is neither parse nor tabari\n",
                                name);
                        rc = 2;
                        goto done;
                }
                if (dm_annotator_set_mode(an, mode, msg, sizeof(msg))) {
                        fprintf(err, "demarche: parser: %s\n", msg);
                        rc = 2;
                        goto done;
                }
        }
        if (opts->jsonl) {
                char *line = NULL;
                size_t cap = 0;
                ssize_t n;
                long lineno = 0;
                while ((n = getline(&line, &cap, in)) >= 0) {
                        char name[64];
                        lineno++;
                        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                                n--;
                        if (n == 0)
                                continue;
                        snprintf(name, sizeof(name), "stdin:%ld", lineno);
                        failed |=
                            dm_tool_annotate_one(an, name, line, (size_t)n, opts->pretty, out, err);
                }
                free(line);
        }
        for (i = 0; i < opts->nfiles; i++) {
                const char *path = opts->files[i];
                FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : in;
                if (!fp) {
                        fprintf(err, "demarche: %s: %s\n", path, strerror(errno));
                        failed = 1;
                        continue;
                }
                dm_buf_reset(&b);
                if (dm_buf_read_stream(&b, fp)) {
                        fprintf(err, "demarche: %s: read error\n", path);
                        failed = 1;
                } else {
                        failed |= dm_tool_annotate_one(an, path, b.data ? b.data : "", b.len,
                                                       opts->pretty, out, err);
                }
                if (fp != in)
                        fclose(fp);
        }
        if (!opts->jsonl && opts->nfiles == 0) {
                dm_buf_reset(&b);
                if (dm_buf_read_stream(&b, in) == 0)
                        failed |= dm_tool_annotate_one(an, "stdin", b.data ? b.data : "", b.len,
                                                       opts->pretty, out, err);
        }
        rc = failed ? 1 : 0;
done:
        dm_buf_free(&b);
        dm_annotator_destroy(an);
        dm_dict_destroy(dict);
        return rc;
}
