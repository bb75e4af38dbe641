/* The parser's commands: `demarche parse` and `demarche train-parser`. */
#ifndef DM_CLI_PARSE_H
#define DM_CLI_PARSE_H

/* argv[0] is the command name. Return the process exit status. */
int dm_cli_parse(int argc, char **argv);
int dm_cli_train_parser(int argc, char **argv);

#endif
