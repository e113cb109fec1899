/* What the subcommands of detente share. */
#ifndef DETENTE_CLI_CLI_H
#define DETENTE_CLI_CLI_H

#include <stdarg.h>

#include "app/app.h"

struct cli_paths {
	char *db;
	char *key;
};

void cli_paths_init(struct cli_paths *p);
/* Fills in the key path from the database path when none was given. */
void cli_paths_finish(struct cli_paths *p);
void cli_paths_free(struct cli_paths *p);
/* Handles --db ('D') and --key ('K'); returns 1 when opt was one of them. */
int cli_path_option(struct cli_paths *p, int opt, const char *arg);
/* Opens the app for a command, or prints why not and returns NULL. */
struct app *cli_open(struct cli_paths *p);

/* Prints a usage text to stderr and returns 2. */
int cli_usage(const char *text);
/* Prints "detente: message" to stderr and returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cli_user(int argc, char **argv);
int cli_token(int argc, char **argv);
int cli_log(int argc, char **argv);
int cli_key(int argc, char **argv);
int cli_act(int argc, char **argv);
int cli_audit(int argc, char **argv);
int cli_events(int argc, char **argv);
int cli_export(int argc, char **argv);
/* verify-inclusion (consistency 0) or verify-consistency (1) */
int cli_verify(int argc, char **argv, int consistency);

/* Reads a whole file ("-" is standard input) of at most cap bytes. */
char *cli_read_all(const char *path, size_t cap, size_t *len);

#endif
