/* The TABARI loaders (dm_tabari, dm_tabari_verbs) into a bare lexicon:
 * actors with synonyms and dated codes, agents, nouns and adjectives,
 * verbs with forms, patterns, synsets and time phrases, issues and
 * discards; malformed lines reported through the warn callback as
 * file:line and skipped, never fatal; -1 only for an unreadable file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict/dm_lex.h"
#include "dict/dm_tabari.h"
#include "dict/dm_tabari_verbs.h"
#include "dm_test_support.h"

static char dm_test_dir[] = "/tmp/dm_test_tabari_XXXXXX";

/* Warnings collected as "NAME:LINE: message" lines (NAME: the file's base
 * name). */
static char warnings[8192];
static int nwarnings;

static void collect(void *ctx, const char *path, int line, const char *msg)
{
        const char *base = strrchr(path, '/');
        char one[600];
        (void)ctx;
        snprintf(one, sizeof(one), "%s:%d: %s\n", base ? base + 1 : path, line, msg);
        strncat(warnings, one, sizeof(warnings) - strlen(warnings) - 1);
        nwarnings++;
}

static const char *path_of(const char *name)
{
        static char path[256];
        return dm_test_path(path, sizeof(path), dm_test_dir, name);
}

static int setup(void **state)
{
        (void)state;
        return dm_test_mkdtemp(dm_test_dir);
}

static int teardown(void **state)
{
        (void)state;
        return dm_test_rmdir(dm_test_dir);
}

typedef struct fixture {
        dm_lex_t lx;
        dm_tabari_loader_t ld;
} fixture_t;

static void fx_init(fixture_t *f)
{
        dm_lex_init(&f->lx);
        dm_tabari_loader_init(&f->ld, &f->lx);
        f->ld.warn = collect;
        warnings[0] = '\0';
        nwarnings = 0;
}

static void fx_free(fixture_t *f)
{
        dm_tabari_loader_free(&f->ld);
        dm_lex_free(&f->lx);
}

/* The entry of the given kind whose phrase (as written) is phrase; NULL. */
static const dm_lex_entry_t *entry(const dm_lex_t *lx, dm_lex_kind_t kind, const char *phrase)
{
        size_t i;
        for (i = 0; i < lx->nentries; i++)
                if (lx->entries[i].kind == kind &&
                    !strcmp(dm_lex_s(lx, lx->entries[i].phrase), phrase))
                        return &lx->entries[i];
        return NULL;
}

/* An actor's codes as "CODE[lo-hi]" (dates only when restricted), ' '
 * separated. */
static const char *codes_of(const dm_lex_t *lx, const char *phrase)
{
        static char out[256];
        const dm_lex_entry_t *e = entry(lx, DM_LK_ACTOR, phrase);
        uint32_t k;
        out[0] = '\0';
        if (!e)
                return "(none)";
        for (k = 0; k < e->ncodes; k++) {
                const dm_lex_code_t *c = &lx->codes[e->payload + k];
                char one[64];
                if (c->lo == 0 && c->hi == 99999999)
                        snprintf(one, sizeof(one), "%s%s", k ? " " : "", dm_lex_s(lx, c->code));
                else
                        snprintf(one, sizeof(one), "%s%s[%d-%d]", k ? " " : "",
                                 dm_lex_s(lx, c->code), (int)c->lo, (int)c->hi);
                strcat(out, one);
        }
        return out;
}

static void expect_warning(const char *w)
{
        if (!strstr(warnings, w))
                fail_msg("no warning \"%s\" in:\n%s", w, warnings);
}

static const char actors[] = "+ORPHAN\n"                                 /* 1 */
                             "[ONLY]\n"                                  /* 2 */
                             "<NOUN>\n"                                  /* 3 */
                             "SHEEP\n"                                   /* 4 */
                             "</NOUN>\n"                                 /* 5 */
                             "<ADJECTIVE>\n"                             /* 6 */
                             "EVIL [ignored]\n"                          /* 7 */
                             "</ADJECTIVE>\n"                            /* 8 */
                             "ARNOR [ARN]\n"                             /* 9 */
                             "GONDOR\n"                                  /* 10 */
                             "+MINAS_TIRITH\n"                           /* 11 */
                             "\t[GON]\n"                                 /* 12 */
                             "GOLLUM [HOB <950601] [HOBGOV]\n"           /* 13 */
                             "SMEAGOL [SMG >200101]\n"                   /* 14 */
                             "ROHAN [ROH 19990101-20051231] ; comment\n" /* 15 */
                             "BROKEN [XYZ 991399-000101]\n"              /* 16 */
                             "NOCODE\n"                                  /* 17 */
                             "ARNOR [XXX]\n"                             /* 18 */
                             "EDORAS [EDO\n"                             /* 19 */
                             "ISENGARD [IS$G]\n"                         /* 20 */
                             "MORDOR [ORC] # a Phoenix comment\n"        /* 21 */
                             "<BOGUS>\n"                                 /* 22 */
                             "~~FINISH\n"                                /* 23 */
                             "AFTER [AFT]\n";

static void test_actors(void **state)
{
        fixture_t f;
        char err[256] = "";
        (void)state;
        dm_test_write_file(dm_test_dir, "t.actors", actors);
        fx_init(&f);
        assert_int_equal(
            dm_tabari_load_actors(&f.ld, path_of("t.actors"), DM_LK_ACTOR, err, sizeof(err)), 0);
        /* Codes, synonyms, dated codes (a lone restriction gets a null
         * default, manual 6.5.2), the first of duplicates. */
        assert_string_equal(codes_of(&f.lx, "ARNOR"), "ARN");
        assert_string_equal(codes_of(&f.lx, "GONDOR"), "GON");
        assert_string_equal(codes_of(&f.lx, "MINAS_TIRITH"), "GON");
        assert_string_equal(codes_of(&f.lx, "GOLLUM"), "HOB[0-19950601] HOBGOV");
        assert_string_equal(codes_of(&f.lx, "SMEAGOL"), "SMG[20200101-99999999] ---");
        assert_string_equal(codes_of(&f.lx, "ROHAN"), "ROH[19990101-20051231] ---");
        assert_string_equal(codes_of(&f.lx, "MORDOR"), "ORC");
        /* Skipped: bad date, no code, missing ], bad character; after the
         * end marker nothing is read. */
        assert_null(entry(&f.lx, DM_LK_ACTOR, "BROKEN"));
        assert_null(entry(&f.lx, DM_LK_ACTOR, "NOCODE"));
        assert_null(entry(&f.lx, DM_LK_ACTOR, "EDORAS"));
        assert_null(entry(&f.lx, DM_LK_ACTOR, "ISENGARD"));
        assert_null(entry(&f.lx, DM_LK_ACTOR, "AFTER"));
        assert_null(entry(&f.lx, DM_LK_ACTOR, "ORPHAN"));
        /* Nouns and adjectives need no code. */
        assert_non_null(entry(&f.lx, DM_LK_NOUN, "SHEEP"));
        assert_non_null(entry(&f.lx, DM_LK_ADJ, "EVIL"));
        assert_int_equal(f.ld.counts[DM_LK_ACTOR], 7);
        assert_int_equal(f.ld.counts[DM_LK_NOUN], 1);
        assert_int_equal(f.ld.counts[DM_LK_ADJ], 1);

        /* Every problem reported with its file and line. */
        expect_warning("t.actors:1: synonym without a preceding entry: skipped");
        expect_warning("t.actors:2: code block without a phrase: skipped");
        expect_warning("t.actors:16: invalid date restriction: code block skipped");
        expect_warning("t.actors:17: entry NOCODE has no [CODE]: skipped");
        expect_warning("t.actors:18: duplicate entry ARNOR: keeping the first");
        expect_warning("t.actors:19: missing ]");
        expect_warning("t.actors:20: invalid character in code: code block skipped");
        expect_warning("t.actors:22: unknown section <BOGUS>: ignored");
        assert_int_equal(nwarnings, 8);
        /* A bad entry reported once: no "has no [CODE]" for BROKEN. */
        assert_null(strstr(warnings, "BROKEN has no"));
        fx_free(&f);
}

/* Entries of a <PLACES> section are flagged as places (DM_LEX_PLACE); the
 * section's end stops the flag. */
static void test_places_section(void **state)
{
        fixture_t f;
        char err[256] = "";
        (void)state;
        dm_test_write_file(dm_test_dir, "p.actors",
                           "ARNOR [ARN]\n<PLACES>\nOSGILIATH [GON]\n+MINAS_ITHIL\n</PLACES>\n"
                           "GONDOR [GON]\n");
        fx_init(&f);
        assert_int_equal(
            dm_tabari_load_actors(&f.ld, path_of("p.actors"), DM_LK_ACTOR, err, sizeof(err)), 0);
        assert_int_equal(entry(&f.lx, DM_LK_ACTOR, "OSGILIATH")->flags & DM_LEX_PLACE,
                         DM_LEX_PLACE);
        assert_int_equal(entry(&f.lx, DM_LK_ACTOR, "MINAS_ITHIL")->flags & DM_LEX_PLACE,
                         DM_LEX_PLACE);
        assert_int_equal(entry(&f.lx, DM_LK_ACTOR, "ARNOR")->flags, 0);
        assert_int_equal(entry(&f.lx, DM_LK_ACTOR, "GONDOR")->flags, 0);
        assert_int_equal(nwarnings, 0);
        fx_free(&f);
}

static void test_agents(void **state)
{
        fixture_t f;
        char err[256];
        (void)state;
        dm_test_write_file(dm_test_dir, "t.agents",
                           "PRESIDENT_ [~GOVPRS]\n"
                           "BADAGENT_ [GOV]\n"
                           "!PERSON! = MAN, WOMAN\n"
                           "POLICE!PERSON! [~COP]\n");
        fx_init(&f);
        assert_int_equal(
            dm_tabari_load_actors(&f.ld, path_of("t.agents"), DM_LK_AGENT, err, sizeof(err)), 0);
        {
                const dm_lex_entry_t *e = entry(&f.lx, DM_LK_AGENT, "PRESIDENT_");
                assert_non_null(e);
                assert_string_equal(dm_lex_s(&f.lx, e->payload), "~GOVPRS");
        }
        assert_null(entry(&f.lx, DM_LK_AGENT, "BADAGENT_"));
        expect_warning("t.agents:2: agent code without ~ connector: GOV");
        /* Phoenix macros expand into one phrase per alternative. */
        assert_non_null(entry(&f.lx, DM_LK_AGENT, "POLICEMAN"));
        assert_non_null(entry(&f.lx, DM_LK_AGENT, "POLICEWOMAN"));
        assert_int_equal(f.ld.counts[DM_LK_AGENT], 3);
        fx_free(&f);
}

static const char verbs[] = "<SYNSETS>\n"          /* 1 */
                            "&TIES\n"              /* 2 */
                            "+DIPLOMATIC_TIES\n"   /* 3 */
                            "+RELATIONS\n"         /* 4 */
                            "</SYNSETS>\n"         /* 5 */
                            "- * ORPHAN [010]\n"   /* 6 */
                            "RESTORE [060]\n"      /* 7 */
                            "- * &TIES [064]\n"    /* 8 */
                            "- * NO_STAR_HERE\n"   /* 9 */
                            "- $ ACCUSE + [112]\n" /* 10 */
                            "MEET [031:031]\n"     /* 11 */
                            "{ MET_ }\n"           /* 12 */
                            "WANDER\n"             /* 13 */
                            "- * FAR [099]\n"      /* 14 */
                            "<TIME>\n"             /* 15 */
                            "LAST_WEEK [-7]\n"     /* 16 */
                            "YESTERDAY\n"          /* 17 */
                            "</TIME>\n"            /* 18 */
                            "RESTORE [061]\n"      /* 19 */
                            "{ UNCLOSED\n"         /* 20 */
                            "~~FINISH\n";

static void test_verbs(void **state)
{
        fixture_t f;
        char err[256];
        const dm_lex_entry_t *e;
        const dm_lex_pattern_t *p;
        (void)state;
        dm_test_write_file(dm_test_dir, "t.verbs", verbs);
        fx_init(&f);
        assert_int_equal(dm_tabari_verbs_load(&f.ld, path_of("t.verbs"), err, sizeof(err)), 0);
        /* Roots (the duplicate RESTORE joins the first) and forms. */
        e = entry(&f.lx, DM_LK_VERB, "RESTORE");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, f.lx.verbs[e->payload].code), "060");
        e = entry(&f.lx, DM_LK_VERB, "MET_");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, f.lx.verbs[e->payload].phrase), "MEET");
        assert_null(entry(&f.lx, DM_LK_VERB, "WANDER"));
        /* One pattern survives, under RESTORE, with its group. */
        assert_int_equal(f.lx.npats, 1);
        p = &f.lx.pats[0];
        assert_string_equal(dm_lex_s(&f.lx, p->code), "064");
        assert_string_equal(dm_lex_s(&f.lx, p->phrase), "RESTORE - * &TIES");
        assert_true(p->has_group);
        assert_false(p->has_src);
        assert_string_equal(dm_lex_s(&f.lx, f.lx.verbs[p->verb].phrase), "RESTORE");
        /* The synset and its two members. */
        assert_int_equal(f.lx.nsynsets, 1);
        assert_string_equal(dm_lex_s(&f.lx, f.lx.synset_name[0]), "TIES");
        assert_int_equal(f.lx.groups[f.lx.synset_group[0]].count, 2);
        /* Time phrases carry their shift as code. */
        e = entry(&f.lx, DM_LK_TIME, "LAST_WEEK");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, e->payload), "-7");
        assert_int_equal(f.ld.counts[DM_LK_TIME], 1);

        expect_warning("t.verbs:6: pattern before any verb: skipped");
        expect_warning("t.verbs:9: pattern without a [CODE]: skipped");
        expect_warning("t.verbs:10: pattern needs exactly one verb marker *: skipped");
        expect_warning("t.verbs:13: verb WANDER has no [CODE]: skipped");
        expect_warning("t.verbs:14: pattern before any verb: skipped");
        expect_warning("t.verbs:17: time phrase without a [CODE]: skipped");
        expect_warning("t.verbs:19: duplicate verb RESTORE: its patterns join the first");
        expect_warning("t.verbs:20: unterminated { verb forms }: skipped");
        assert_int_equal(nwarnings, 8);
        fx_free(&f);
}

static void test_issues_and_discards(void **state)
{
        fixture_t f;
        char err[256];
        const dm_lex_entry_t *e;
        (void)state;
        dm_test_write_file(dm_test_dir, "t.issues",
                           "<ISSUE CATEGORY=\"1\">\n"
                           "RING_ [MAGIC]\n"
                           "COUNCIL\n"
                           "n:ELVEN+n:COUNCIL [POLITY]\n"
                           "~NULL_PHRASE [X]\n"
                           "</ISSUE>\n");
        dm_test_write_file(dm_test_dir, "t.discards",
                           "VOLLEYBALL\n"
                           "+WORLD_CUP ; story level\n"
                           "VOLLEYBALL\n"
                           "\n");
        fx_init(&f);
        assert_int_equal(dm_tabari_verbs_load_issues(&f.ld, path_of("t.issues"), err, sizeof(err)),
                         0);
        e = entry(&f.lx, DM_LK_ISSUE, "RING_");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, e->payload), "MAGIC");
        /* Phoenix part-of-speech marks dropped, '+' joins words. */
        e = entry(&f.lx, DM_LK_ISSUE, "ELVEN_COUNCIL");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, e->payload), "POLITY");
        assert_int_equal(f.ld.counts[DM_LK_ISSUE], 2);
        expect_warning("t.issues:3: issue phrase without a [CODE]");
        assert_int_equal(nwarnings, 1);

        assert_int_equal(
            dm_tabari_verbs_load_discards(&f.ld, path_of("t.discards"), err, sizeof(err)), 0);
        e = entry(&f.lx, DM_LK_DISCARD, "VOLLEYBALL");
        assert_non_null(e);
        assert_string_equal(dm_lex_s(&f.lx, e->payload), "###");
        assert_non_null(entry(&f.lx, DM_LK_DISCARD, "WORLD_CUP"));
        /* The repeated discard is kept once. */
        assert_int_equal(f.ld.counts[DM_LK_DISCARD], 2);
        fx_free(&f);
}

static void test_unreadable_file(void **state)
{
        fixture_t f;
        char err[256];
        (void)state;
        fx_init(&f);
        err[0] = '\0';
        assert_int_equal(
            dm_tabari_load_actors(&f.ld, path_of("missing.actors"), DM_LK_ACTOR, err, sizeof(err)),
            -1);
        assert_non_null(strstr(err, "missing.actors"));
        err[0] = '\0';
        assert_int_equal(dm_tabari_verbs_load(&f.ld, path_of("missing.verbs"), err, sizeof(err)),
                         -1);
        assert_true(err[0] != '\0');
        assert_int_equal(
            dm_tabari_verbs_load_issues(&f.ld, path_of("missing.issues"), err, sizeof(err)), -1);
        assert_int_equal(
            dm_tabari_verbs_load_discards(&f.ld, path_of("missing.discards"), err, sizeof(err)),
            -1);
        /* An empty file loads nothing and warns of nothing. */
        dm_test_write_file(dm_test_dir, "empty.actors", "");
        assert_int_equal(
            dm_tabari_load_actors(&f.ld, path_of("empty.actors"), DM_LK_ACTOR, err, sizeof(err)),
            0);
        assert_int_equal(f.lx.nentries, 0);
        assert_int_equal(nwarnings, 0);
        fx_free(&f);
        dm_tabari_loader_free(NULL); /* a no-op */
}

static void test_nul_byte_line(void **state)
{
        fixture_t f;
        char err[256], path[256];
        FILE *fp;
        (void)state;
        snprintf(path, sizeof(path), "%s/nul.actors", dm_test_dir);
        fp = fopen(path, "w");
        assert_non_null(fp);
        fwrite("ARNOR [ARN]\nGON\0DOR [GON]\nROHAN [ROH]\n", 1, 38, fp);
        fclose(fp);
        fx_init(&f);
        assert_int_equal(dm_tabari_load_actors(&f.ld, path, DM_LK_ACTOR, err, sizeof(err)), 0);
        expect_warning("nul.actors:2: NUL byte in line: skipped");
        assert_string_equal(codes_of(&f.lx, "ARNOR"), "ARN");
        assert_string_equal(codes_of(&f.lx, "ROHAN"), "ROH");
        assert_int_equal(f.ld.counts[DM_LK_ACTOR], 2);
        fx_free(&f);
}

static void test_parse_date(void **state)
{
        (void)state;
        assert_int_equal(dm_tabari_parse_date("950601", 6, 0), 19950601);
        /* Two-digit years 00-30 pivot to 20xx. */
        assert_int_equal(dm_tabari_parse_date("300101", 6, 0), 20300101);
        assert_int_equal(dm_tabari_parse_date("310101", 6, 0), 19310101);
        assert_int_equal(dm_tabari_parse_date("000229", 6, 0), 20000229);
        /* Eight digits are always YYYYMMDD; six are refused with yyyy. */
        assert_int_equal(dm_tabari_parse_date("19950601", 8, 0), 19950601);
        assert_int_equal(dm_tabari_parse_date("19950601", 8, 1), 19950601);
        assert_int_equal(dm_tabari_parse_date("950601", 6, 1), -1);
        /* Invalid. */
        assert_int_equal(dm_tabari_parse_date("991399", 6, 0), -1);
        assert_int_equal(dm_tabari_parse_date("990100", 6, 0), -1);
        assert_int_equal(dm_tabari_parse_date("990132", 6, 0), -1);
        assert_int_equal(dm_tabari_parse_date("99a101", 6, 0), -1);
        assert_int_equal(dm_tabari_parse_date("95060", 5, 0), -1);
        assert_int_equal(dm_tabari_parse_date("", 0, 0), -1);
}

static void test_strip_comment(void **state)
{
        char a[] = "ARNOR [ARN] ; a comment", b[] = "A [B;C] ; x", c[] = "A#B [C]", d[] = "A #B",
             e[] = "; all";
        (void)state;
        dm_tabari_strip_comment(a);
        assert_string_equal(a, "ARNOR [ARN] ");
        /* Inside brackets ';' is no comment. */
        dm_tabari_strip_comment(b);
        assert_string_equal(b, "A [B;C] ");
        /* '#' only after a blank (Phoenix). */
        dm_tabari_strip_comment(c);
        assert_string_equal(c, "A#B [C]");
        dm_tabari_strip_comment(d);
        assert_string_equal(d, "A ");
        dm_tabari_strip_comment(e);
        assert_string_equal(e, "");
}

static void test_seen_normalises(void **state)
{
        fixture_t f;
        (void)state;
        fx_init(&f);
        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_ACTOR, "MINAS_TIRITH", 5), -1);
        /* Case, hyphens and blanks do not make a new phrase. */
        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_ACTOR, "  minas-tirith", 9), 5);
        /* Another kind is another phrase. */
        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_AGENT, "MINAS_TIRITH", 7), -1);
        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_ACTOR, "A  B", 1), -1);
        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_ACTOR, "a b", 2), 1);
        /* The table grows past its first size without losing entries. */
        {
                char p[32];
                long i;
                for (i = 0; i < 5000; i++) {
                        snprintf(p, sizeof(p), "PHRASE%ld", i);
                        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_VERB, p, (uint32_t)i), -1);
                }
                for (i = 0; i < 5000; i += 499) {
                        snprintf(p, sizeof(p), "phrase%ld", i);
                        assert_int_equal(dm_tabari_seen(&f.ld, DM_LK_VERB, p, 0), i);
                }
        }
        fx_free(&f);
}

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_actors),
            cmocka_unit_test(test_places_section),
            cmocka_unit_test(test_agents),
            cmocka_unit_test(test_verbs),
            cmocka_unit_test(test_issues_and_discards),
            cmocka_unit_test(test_unreadable_file),
            cmocka_unit_test(test_nul_byte_line),
            cmocka_unit_test(test_parse_date),
            cmocka_unit_test(test_strip_comment),
            cmocka_unit_test(test_seen_normalises),
        };
        return cmocka_run_group_tests(tests, setup, teardown);
}
