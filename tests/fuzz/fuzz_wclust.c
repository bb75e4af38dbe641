/* libFuzzer target: arbitrary bytes as a word cluster file (dm_wclust.h),
 * the text train-parser --clusters reads. The loader must refuse what is
 * malformed with a message and never crash; what loads is looked up. */
#include "demarche/dm_str.h"
#include "demarche/dm_wclust.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        static char path[64];
        dm_wclust_map_t m;
        char err[256];
        FILE *fp;
        if (!path[0])
                snprintf(path, sizeof(path), "/tmp/dm_fuzz_wclust_%d", (int)getpid());
        fp = fopen(path, "wb");
        if (!fp)
                return 0;
        if (size)
                fwrite(data, 1, size, fp);
        fclose(fp);
        if (!dm_wclust_load(&m, path, err, sizeof(err))) {
                if (!m.n || !m.nbits || m.nbits > 24)
                        abort();
                if (dm_wclust_get(&m, m.key[0]) != m.code[0] || m.code[0] >> m.nbits != 1)
                        abort();
                (void)dm_wclust_get(&m, dm_fnv1a64("the", 3));
                dm_wclust_free(&m);
        }
        return 0;
}
