/* Scaffolding shared by the unit tests (tests/unit/LAYER/test_*.c): a temp
 * directory made from a mkdtemp template, files written into it, its
 * recursive removal, and a dictionary loaded with a clear message on
 * failure. What a test checks stays in the test. */
#ifndef DM_TEST_SUPPORT_H
#define DM_TEST_SUPPORT_H

#include <stddef.h>

#include "demarche/dm_dict.h"

/* Makes a fresh directory from tmpl ("/tmp/dm_test_NAME_XXXXXX", rewritten
 * in place as mkdtemp does). Returns 0, or -1 with the error on stderr. */
int dm_test_mkdtemp(char *tmpl);

/* Writes "dir/name" into buf (size bytes) and returns buf. */
const char *dm_test_path(char *buf, size_t size, const char *dir, const char *name);

/* Reads dir/name (dir NULL: name is the path) into b, initialised here;
 * the file must be read whole (cmocka assertion). The caller frees b. */
struct dm_buf;
void dm_test_read_file(const char *dir, const char *name, struct dm_buf *b);

/* Writes text to dir/name (created or truncated); the file must open
 * (cmocka assertion). */
void dm_test_write_file(const char *dir, const char *name, const char *text);

/* Writes len bytes of text to dir/name; the file must open and take all
 * len bytes (cmocka assertions). */
void dm_test_write_bytes(const char *dir, const char *name, const char *text, size_t len);

/* Removes dir and everything below it. Returns 0, or -1 with the error on
 * stderr (a cmocka teardown's return value). */
int dm_test_rmdir(const char *dir);

/* dm_dict_load(spec, 0, ...); on failure prints "dictionaries: SPEC: ERROR"
 * to stderr and returns NULL. */
dm_dict_t *dm_test_dict_load(const char *spec);

/* The project's dictionaries (dm_dict_default_spec) with their parser
 * model in *model, logging errors only; NULL (the reason on stderr) when
 * either does not load. For parse-mode tests. */
struct dm_parse_model;
dm_dict_t *dm_test_parse_dict(const struct dm_parse_model **model);

/* Group fixtures for parse-mode coder tests: the dictionaries of
 * dm_test_parse_dict and a coder in parse mode on them, in these two
 * globals until the teardown. */
struct dm_coder;
extern dm_dict_t *dm_test_pdict;
extern struct dm_coder *dm_test_pcoder;
int dm_test_parse_coder_setup(void **state);
int dm_test_parse_coder_teardown(void **state);

/* The project's rules files (frames.rules and domestic.rules of
 * dm_dict_default_spec) in a new dm_rules_t for the caller to destroy;
 * NULL (the reason on stderr) when one does not load. */
struct dm_rules;
struct dm_rules *dm_test_rules(void);

/* Writes the texts to t.actors, t.agents, t.verbs and t.issues in dir, and a
 * t.project naming the four, then loads dir/t.project as dm_test_dict_load
 * does (NULL on failure). */
dm_dict_t *dm_test_tabari_dict(const char *dir, const char *actors, const char *agents,
                               const char *verbs, const char *issues);

#endif
