#include "demarche/dm_coder.h"
#include "demarche/dm_mem.h"
#include "demarche/dm_text.h"

#include <stdlib.h>
#include <string.h>

/* The first coder: actors by longest dictionary match, then "SOURCE ... VERB
 * ... TARGET" with the first actor before the first coding verb as source and
 * the first actor after it as target. The TABARI-compatible coder replaces
 * the inside of dm_coder_code_sentence; the interface stays. */

struct dm_coder {
        const dm_dict_t *dict;
        dm_tokens_t toks;
        dm_coded_actor_t *actors;
        size_t actor_cap;
        dm_coded_event_t *events;
        size_t event_cap;
};

dm_coder_t *dm_coder_new(const dm_dict_t *dict)
{
        dm_coder_t *c = dm_calloc(1, sizeof(*c));
        c->dict = dict;
        dm_tokens_init(&c->toks);
        return c;
}

void dm_coder_destroy(dm_coder_t *c)
{
        if (!c)
                return;
        dm_tokens_free(&c->toks);
        free(c->actors);
        free(c->events);
        free(c);
}

int dm_coder_code_sentence(dm_coder_t *c, const char *text, uint32_t start, uint32_t end,
                           int64_t date_ms, dm_coded_sentence_t *out)
{
        const char *const *w;
        size_t n, i, nactors = 0, verb_at = 0;
        dm_phrase_match_t verb;
        int have_verb = 0;

        (void)date_ms;
        memset(out, 0, sizeof(*out));
        dm_tokenize(&c->toks, text, start, end);
        n = c->toks.count;
        w = c->toks.words_v;
        for (i = 0; i < n;) {
                dm_phrase_match_t m;
                if (dm_dict_match(c->dict, DM_PHRASE_ACTOR, w, n, i, &m)) {
                        dm_coded_actor_t *a;
                        i += m.ntokens;
                        /* "[---]" marks phrases that must not become actors. */
                        if (!strcmp(m.code, "---"))
                                continue;
                        dm_grow((void **)&c->actors, &c->actor_cap, nactors + 1,
                                sizeof(*c->actors));
                        a = &c->actors[nactors++];
                        a->code = m.code;
                        a->phrase = m.phrase;
                        a->start = c->toks.toks[m.first].span.start;
                        a->end = c->toks.toks[m.first + m.ntokens - 1].span.end;
                        continue;
                }
                if (!have_verb && nactors > 0 &&
                    dm_dict_match(c->dict, DM_PHRASE_VERB, w, n, i, &verb) &&
                    strcmp(verb.code, "---") != 0) {
                        have_verb = 1;
                        verb_at = nactors;
                        i += verb.ntokens;
                        continue;
                }
                i++;
        }
        out->actors = c->actors;
        out->actor_count = nactors;
        if (have_verb && verb_at > 0 && verb_at < nactors &&
            strcmp(c->actors[0].code, c->actors[verb_at].code) != 0) {
                dm_coded_event_t *ev;
                dm_grow((void **)&c->events, &c->event_cap, 1, sizeof(*c->events));
                ev = &c->events[0];
                memset(ev, 0, sizeof(*ev));
                ev->source = c->actors[0];
                ev->target = c->actors[verb_at];
                ev->code = verb.code;
                ev->verb_phrase = verb.phrase;
                ev->verb_start = c->toks.toks[verb.first].span.start;
                ev->verb_end = c->toks.toks[verb.first + verb.ntokens - 1].span.end;
                out->events = c->events;
                out->event_count = 1;
        }
        return 0;
}
