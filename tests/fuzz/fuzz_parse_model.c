/* libFuzzer target: arbitrary bytes as a parser model file. The checksum
 * in the header is recomputed first (first byte odd) so that the loader's
 * structural checks, not only the checksum, meet the mutations; whatever
 * loads parses a fixed sentence. */
#include "demarche/dm_parse.h"
#include "parse/dm_parse_model.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static const char *const forms[] = {"Sanctions", "were", "imposed", "by", "Japan", "."};
        char err[256];
        unsigned char *copy;
        dm_parse_model_t *m;
        if (size < 1)
                return 0;
        copy = malloc(size);
        if (!copy)
                return 0;
        memcpy(copy, data, size);
        if ((data[0] & 1) && size >= DM_PMODEL_HEADER) {
                uint64_t sum, sz = size;
                memcpy(copy, "DMPARSE", 8);
                memcpy(copy + 16, &sz, 8);
                sum = dm_pmodel_checksum(copy + DM_PMODEL_HEADER, size - DM_PMODEL_HEADER);
                memcpy(copy + 24, &sum, 8);
        }
        m = dm_parse_model_load_mem(copy, size, err, sizeof(err));
        if (m) {
                dm_parse_scratch_t *s = dm_parse_scratch_new(m);
                const dm_parse_result_t *r;
                dm_parse_tokens(s, forms, 6, &r);
                dm_parse_scratch_destroy(s);
                dm_parse_model_destroy(m);
        }
        free(copy);
        return 0;
}
