/* libFuzzer target: arbitrary bytes as a sentence, coded with the project's
 * dictionaries, or with DM_FUZZ_DICT (tests/fuzz/run.sh points it at TABARI's
 * validation project when ../shared exists). */
#include "demarche/dm_coder.h"
#include "demarche/dm_dict.h"
#include "demarche/dm_log.h"
#include "demarche/dm_mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static dm_dict_t *dm_fuzz_dict;
static dm_coder_t *dm_fuzz_coder;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
        char err[512];
        const char *spec = getenv("DM_FUZZ_DICT");
        (void)argc;
        (void)argv;
        dm_log_set_level(DM_LOG_LEVEL_ERROR);
        if (!spec)
                spec = DM_TEST_SOURCE_DIR "/dictionaries";
        dm_fuzz_dict = dm_dict_load(spec, 0, err, sizeof(err));
        if (!dm_fuzz_dict) {
                fprintf(stderr, "fuzz_coder: %s (set DM_FUZZ_DICT)\n", err);
                exit(1);
        }
        dm_fuzz_coder = dm_coder_new(dm_fuzz_dict);
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = dm_malloc(size + 1);
        dm_coded_sentence_t cs;
        memcpy(text, data, size);
        text[size] = '\0';
        dm_coder_code_ymd(dm_fuzz_coder, text, 0, (uint32_t)size, 20020101, &cs);
        free(text);
        return 0;
}
