/* detente log: read the transparency log of a local database. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonx.h"
#include "cli/cli.h"

static const char log_usage[] =
    "usage: detente log key          print the log's verifier key\n"
    "       detente log checkpoint   print the latest signed checkpoint\n"
    "       detente log entries [START [END]]  print entries as JSON\n"
    "       (all take --db PATH and --key PATH)\n";

int
cli_log(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *sub = argc >= 2 ? argv[1] : "";
	struct cli_paths p;
	struct app *app = NULL;
	struct app_error e = {0};
	int c, rc = 1;
	int nargs;

	if (strcmp(sub, "--help") == 0) {
		fputs(log_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "key") != 0 && strcmp(sub, "checkpoint") != 0 &&
	    strcmp(sub, "entries") != 0)
		return cli_usage(log_usage);
	cli_paths_init(&p);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		cli_paths_free(&p);
		if (c == 'h') {
			fputs(log_usage, stdout);
			return 0;
		}
		return cli_usage(log_usage);
	}
	nargs = argc - 1 - optind;
	if ((strcmp(sub, "entries") != 0 && nargs != 0) || nargs > 2) {
		cli_paths_free(&p);
		return cli_usage(log_usage);
	}
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if (strcmp(sub, "key") == 0) {
		printf("%s\n", app_log_vkey(app));
	} else if (strcmp(sub, "checkpoint") == 0) {
		char *note = NULL;
		uint64_t size;
		uint8_t root[32];

		if (app_checkpoint(app, &note, &size, root, &e) != 0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		fputs(note, stdout);
		free(note);
	} else {
		struct app_actor sys;
		unsigned long long a = 0, b;
		char *end;
		json_t *out = NULL;
		char **args = argv + 1 + optind;

		if (nargs >= 1) {
			a = strtoull(args[0], &end, 10);
			if (*end != '\0' || args[0][0] == '-') {
				rc = cli_usage(log_usage);
				goto out;
			}
		}
		b = a + 100;
		if (nargs == 2) {
			b = strtoull(args[1], &end, 10);
			if (*end != '\0' || args[1][0] == '-' || b < a) {
				rc = cli_usage(log_usage);
				goto out;
			}
		}
		app_actor_system(&sys);
		if (app_log_entries(app, &sys, a, b, &out, &e) != 0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		json_dumpf(out, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
		json_decref(out);
	}
	rc = 0;
out:
	app_close(app);
	cli_paths_free(&p);
	return rc;
}
