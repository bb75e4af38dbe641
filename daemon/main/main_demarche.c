/* demarche: the command-line tool. Parses arguments and hands over to the
 * library's command functions. */
#include "demarche/dm_config.h"
#include "demarche/dm_tool.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
        fprintf(
            out,
            "Usage: demarche COMMAND [OPTIONS]\n"
            "\n"
            "Commands:\n"
            "  annotate [--jsonl] [--pretty] [--dictionaries SPEC] [--mode parse|tabari] "
            "[--no-frames] "
            "[FILE...]\n"
            "      Annotate articles offline and print one AnnotatedArticle JSON object\n"
            "      per article. Each FILE is one article (raw text, HTML or a JSON\n"
            "      envelope); with --jsonl, JSON Lines envelopes are read from stdin.\n"
            "      Without FILE or --jsonl, one article is read from stdin.\n"
            "      SPEC: dictionary directory, TABARI .project file or comma-separated\n"
            "      files (default: the installed dictionaries). --mode: sources and targets\n"
            "      from the dependency parse (default; the parser model from DEMARCHE_MODELS,\n"
            "      else the installed one) or from word order as TABARI.\n"
            "      --no-frames: only the dictionaries code events (config coder.frames).\n"
            "  decode [--kcat | -b BROKERS -t TOPIC [--from-end] [--count N]] [FILE...]\n"
            "      Print demarche's Avro records as JSON: from files (one record value\n"
            "      each), from a kcat stream on stdin (-f '%%K\\t%%S\\n%%k%%s\\n'), or\n"
            "      from a topic (all partitions, until caught up). Confluent-framed\n"
            "      records need --registry URL [--registry-auth USER:PASS] [--registry-ca PEM].\n"
            "  validate [--verbose] [--mode parse|tabari] PROJECT_FILE\n"
            "      Run a TABARI validation project (e.g. Validate.project): code each\n"
            "      record, print failures (expected vs coded) and \"N passed, M failed\".\n"
            "  parse [--model PATH] [--text | --conllu] [FILE] | parse --eval GOLD.conllu\n"
            "  train-parser --train X.conllu [--dev Y.conllu] --out MODEL [--seed N] [--epochs N]\n"
            "      [--clusters FILE] [--beam N]\n"
            "  word-clusters --text FILE --out CLUSTERS [--min-count N] [--bits 4,2,2,2]\n"
            "  config-doc | metrics-doc\n"
            "      Print the configuration or metrics reference (docs/*.md).\n"
            "  check-config FILE\n"
            "      Validate a demarched configuration file; problems as file:line.\n"
            "  version\n"
            "  help\n");
}

static int cmd_annotate(int argc, char **argv)
{
        static const struct option longopts[] = {{"jsonl", no_argument, NULL, 'j'},
                                                 {"pretty", no_argument, NULL, 'p'},
                                                 {"dictionaries", required_argument, NULL, 'd'},
                                                 {"mode", required_argument, NULL, 'm'},
                                                 {"no-frames", no_argument, NULL, 'F'},
                                                 {"help", no_argument, NULL, 'h'},
                                                 {NULL, 0, NULL, 0}};
        dm_annotate_opts_t opts;
        int c;
        memset(&opts, 0, sizeof(opts));
        optind = 1;
        while ((c = getopt_long(argc, argv, "jpd:m:h", longopts, NULL)) != -1) {
                switch (c) {
                case 'm':
                        opts.mode = optarg;
                        break;
                case 'F':
                        opts.no_frames = 1;
                        break;
                case 'j':
                        opts.jsonl = 1;
                        break;
                case 'p':
                        opts.pretty = 1;
                        break;
                case 'd':
                        opts.dictionaries = optarg;
                        break;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        opts.files = argv + optind;
        opts.nfiles = argc - optind;
        return dm_tool_annotate(&opts, stdin, stdout, stderr);
}

static int cmd_decode(int argc, char **argv)
{
        static const struct option longopts[] = {{"kcat", no_argument, NULL, 'k'},
                                                 {"brokers", required_argument, NULL, 'b'},
                                                 {"topic", required_argument, NULL, 't'},
                                                 {"from-end", no_argument, NULL, 'e'},
                                                 {"count", required_argument, NULL, 'n'},
                                                 {"registry", required_argument, NULL, 'r'},
                                                 {"registry-auth", required_argument, NULL, 'a'},
                                                 {"registry-ca", required_argument, NULL, 'C'},
                                                 {NULL, 0, NULL, 0}};
        dm_decode_opts_t o;
        int c;
        memset(&o, 0, sizeof(o));
        optind = 1;
        while ((c = getopt_long(argc, argv, "kb:t:en:r:a:C:", longopts, NULL)) != -1) {
                switch (c) {
                case 'k':
                        o.kcat = 1;
                        break;
                case 'b':
                        o.brokers = optarg;
                        break;
                case 't':
                        o.topic = optarg;
                        break;
                case 'e':
                        o.from_end = 1;
                        break;
                case 'n':
                        o.max_count = atol(optarg);
                        break;
                case 'r':
                        o.registry = optarg;
                        break;
                case 'a':
                        o.registry_auth = optarg;
                        break;
                case 'C':
                        o.registry_ca = optarg;
                        break;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        o.files = argv + optind;
        o.nfiles = argc - optind;
        if (!!o.topic != !!o.brokers || (!o.topic && !o.kcat && !o.nfiles)) {
                fprintf(stderr, "demarche decode: give --kcat, FILE..., or both -b and -t\n");
                return 2;
        }
        return dm_tool_decode(&o, stdin, stdout, stderr);
}

int main(int argc, char **argv)
{
        const char *cmd = argc > 1 ? argv[1] : NULL;
        if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
                usage(cmd ? stdout : stderr);
                return cmd ? 0 : 2;
        }
        if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
                printf("demarche %s\n", DM_VERSION);
                return 0;
        }
        if (!strcmp(cmd, "annotate"))
                return cmd_annotate(argc - 1, argv + 1);
        if (!strcmp(cmd, "validate")) {
                const char *mode = NULL;
                int verbose = 0, i;
                for (i = 2; i < argc - 1; i++) {
                        if (!strcmp(argv[i], "--verbose"))
                                verbose = 1;
                        else if (!strcmp(argv[i], "--mode") && i + 1 < argc - 1)
                                mode = argv[++i];
                        else
                                break;
                }
                if (argc < 3 || i != argc - 1) {
                        fprintf(stderr,
                                "usage: demarche validate [--verbose] [--mode parse|tabari] "
                                "PROJECT_FILE\n");
                        return 2;
                }
                return dm_tool_validate(argv[argc - 1], verbose, mode, stdout, stderr);
        }
        if (!strcmp(cmd, "decode"))
                return cmd_decode(argc - 1, argv + 1);
        if (!strcmp(cmd, "parse"))
                return dm_cli_parse(argc - 1, argv + 1);
        if (!strcmp(cmd, "train-parser"))
                return dm_cli_train_parser(argc - 1, argv + 1);
        if (!strcmp(cmd, "word-clusters"))
                return dm_cli_word_clusters(argc - 1, argv + 1);
        if (!strcmp(cmd, "config-doc"))
                return dm_tool_config_doc(stdout);
        if (!strcmp(cmd, "metrics-doc"))
                return dm_tool_metrics_doc(stdout);
        if (!strcmp(cmd, "check-config")) {
                if (argc != 3) {
                        fprintf(stderr, "usage: demarche check-config FILE\n");
                        return 2;
                }
                return dm_config_check(argv[2], 0, stdout, stderr);
        }
        fprintf(stderr, "demarche: unknown command \"%s\" (try demarche help)\n", cmd);
        return 2;
}
