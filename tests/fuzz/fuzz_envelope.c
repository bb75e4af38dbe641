/* libFuzzer: arbitrary bytes as a Kafka message value through the envelope
 * parser. Must never crash, leak or read outside the value. */
#include "demarche/dm_article.h"
#include "demarche/dm_envelope.h"

#include <stddef.h>
#include <stdint.h>

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
        }
        dm_article_clear(&a);
        return 0;
}
