/* libFuzzer: arbitrary bytes as a Kafka message value through the envelope
 * parser, which repairs what is not UTF-8 (dm_charset). Must never crash,
 * leak or read outside the value, and whatever it accepts, repaired or not,
 * must come out as UTF-8 without NUL bytes. */
#include "demarche/dm_article.h"
#include "demarche/dm_envelope.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static int fuzz_envelope_text_ok(const char *s, size_t len)
{
        return !s || (dm_envelope_valid_utf8(s, len) && !memchr(s, 0, len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        dm_article_t a;
        dm_reject_reason_t reason;
        char err[256];
        dm_article_init(&a);
        if (dm_envelope_parse(data, size, &a, &reason, err, sizeof(err)) == 0) {
                /* A parsed article always has an id and a body. */
                if (!a.id || !a.body)
                        __builtin_trap();
                if (!fuzz_envelope_text_ok(a.body, a.body_len) ||
                    !fuzz_envelope_text_ok(a.title, a.title ? strlen(a.title) : 0) ||
                    a.charset >= DM_CHARSET_COUNT)
                        __builtin_trap();
        }
        dm_article_clear(&a);
        return 0;
}
