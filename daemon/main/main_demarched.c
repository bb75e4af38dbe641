/* demarched: the daemon. Parses arguments and hands over to the library. */
#include "demarche/dm_config.h"
#include "demarche/dm_log.h"
#include "demarche/dm_pipeline.h"

#include <getopt.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
        fprintf(out,
                "Usage: demarched [--config FILE] [--check-config] [--version] [--help]\n"
                "\n"
                "Consumes news articles from Kafka, codes who did what to whom (CAMEO events\n"
                "with source and target actors, PLOVER categories) and publishes Avro records.\n"
                "\n"
                "  -c, --config FILE   configuration file (key = value lines)\n"
                "  -t, --check-config  validate the configuration, print it, and exit\n"
                "  -V, --version       print the version and exit\n"
                "  -h, --help          this help\n"
                "\n"
                "Environment variables DEMARCHE_<KEY> (dots as underscores, e.g.\n"
                "DEMARCHE_INPUT_TOPIC, DEMARCHE_KAFKA_BOOTSTRAP_SERVERS) override the file.\n"
                "Signals: SIGTERM/SIGINT drain in-flight work, commit and exit 0.\n\n");
        dm_config_print_help(out);
}

int main(int argc, char **argv)
{
        static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                                 {"check-config", no_argument, NULL, 't'},
                                                 {"version", no_argument, NULL, 'V'},
                                                 {"help", no_argument, NULL, 'h'},
                                                 {NULL, 0, NULL, 0}};
        const char *config_path = NULL;
        int check = 0, c, rc;
        dm_config_t *conf;
        dm_pipeline_t *p;
        dm_pipeline_options_t opts = {.handle_signals = 1};
        char err[8192] = "";
        dm_log_level_t level;

        while ((c = getopt_long(argc, argv, "c:tVh", longopts, NULL)) != -1) {
                switch (c) {
                case 'c':
                        config_path = optarg;
                        break;
                case 't':
                        check = 1;
                        break;
                case 'V':
                        printf("demarched %s (librdkafka %s)\n", DM_VERSION,
                               rd_kafka_version_str());
                        return 0;
                case 'h':
                        usage(stdout);
                        return 0;
                default:
                        usage(stderr);
                        return 2;
                }
        }
        if (optind < argc) {
                fprintf(stderr, "demarched: unexpected argument \"%s\"\n", argv[optind]);
                return 2;
        }
        if (check)
                return dm_config_check(config_path, 1, stdout, stderr);

        conf = dm_config_new();
        if ((config_path && dm_config_load_file(conf, config_path, err, sizeof(err))) ||
            dm_config_load_env(conf, err, sizeof(err))) {
                fprintf(stderr, "demarched: configuration errors:\n%s\n", err);
                dm_config_destroy(conf);
                return 2;
        }
        if (dm_log_level_parse(dm_config_settings(conf)->log_level, &level) == 0)
                dm_log_set_level(level);
        dm_log_set_json(!strcmp(dm_config_settings(conf)->log_format, "json"));
        dm_log_install_libevent();
        DM_LOG_INFO("main", "demarched %s starting (librdkafka %s)", DM_VERSION,
                    rd_kafka_version_str());
        opts.config_path = config_path;
        p = dm_pipeline_new(conf, &opts, err, sizeof(err));
        if (!p) {
                DM_LOG_FATAL("main", "cannot start: %s", err);
                dm_config_destroy(conf);
                return 1;
        }
        rc = dm_pipeline_run(p);
        dm_pipeline_destroy(p);
        dm_config_destroy(conf);
        return rc;
}
