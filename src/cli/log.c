/* detente log: read, prove and replay the transparency log of a local
 * database, and verify proofs offline. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "cli/cli.h"

static const char log_usage[] =
    "usage: detente log key          print the log's verifier key\n"
    "       detente log checkpoint   print the latest signed checkpoint\n"
    "       detente log entries [START [END]]  print entries as JSON\n"
    "       detente log proof inclusion INDEX [SIZE]\n"
    "       detente log proof consistency FROM [TO]   print a proof\n"
    "       detente log replay --into NEW.db [--vkey VKEY]\n"
    "       detente log verify-inclusion|verify-consistency ... (offline)\n"
    "       (all but verify-* take --db PATH and --key PATH)\n"
    "\n"
    "replay rebuilds every table from the log alone into NEW.db,\n"
    "verifying each entry's signature, then compares it with the\n"
    "database: exit 0 when they hold the same, 1 when not.\n";

static int
number(const char *s, uint64_t *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -1;
	*out = strtoull(s, &end, 10);
	return *end == '\0' ? 0 : -1;
}

static int
print_json(json_t *v)
{
	json_dumpf(v, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(v);
	return 0;
}

static int
log_replay(struct cli_paths *p, const char *into, const char *vkey)
{
	struct app *app = NULL;
	char err[400];
	uint8_t root[32];
	uint64_t n = 0;
	int64_t t0;
	char *b64;
	int rc = 1;

	if (vkey == NULL) {
		/* the operator's replay: the key file gives the public key */
		if ((app = cli_open(p)) == NULL)
			return 1;
		vkey = app_log_vkey(app);
	} else {
		cli_paths_finish(p);
	}
	t0 = time_mono_ms();
	if (app_replay(p->db, vkey, into, &n, root, err, sizeof(err)) != 0) {
		/* app_replay leaves no file behind, and must not lose one
		 * that was there (it refuses to replay over it). */
		cli_fail("replay failed: %s", err);
		goto out;
	}
	b64 = enc_b64_new(root, 32);
	printf("detente: replayed %llu entries into %s in %lld ms; root %s\n",
	       (unsigned long long)n, into, (long long)(time_mono_ms() - t0),
	       b64);
	free(b64);
	if (app_compare(p->db, into, err, sizeof(err)) != 0) {
		cli_fail("the replayed database differs: %s", err);
		goto out;
	}
	printf("detente: the replayed tables equal the database's\n");
	rc = 0;
out:
	app_close(app);
	return rc;
}

int
cli_log(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"into", required_argument, NULL, 'i'},
	    {"vkey", required_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *sub = argc >= 2 ? argv[1] : "";
	const char *into = NULL, *vkey = NULL;
	struct cli_paths p;
	struct app *app = NULL;
	struct app_error e = {0};
	char **args;
	int c, rc = 1, nargs;

	if (strcmp(sub, "--help") == 0) {
		fputs(log_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "verify-inclusion") == 0)
		return cli_verify(argc - 1, argv + 1, 0);
	if (strcmp(sub, "verify-consistency") == 0)
		return cli_verify(argc - 1, argv + 1, 1);
	if (strcmp(sub, "key") != 0 && strcmp(sub, "checkpoint") != 0 &&
	    strcmp(sub, "entries") != 0 && strcmp(sub, "proof") != 0 &&
	    strcmp(sub, "replay") != 0)
		return cli_usage(log_usage);
	cli_paths_init(&p);
	optind = 1;
	while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		if (c == 'i' && strcmp(sub, "replay") == 0) {
			into = optarg;
			continue;
		}
		if (c == 'v' && strcmp(sub, "replay") == 0) {
			vkey = optarg;
			continue;
		}
		cli_paths_free(&p);
		if (c == 'h') {
			fputs(log_usage, stdout);
			return 0;
		}
		return cli_usage(log_usage);
	}
	nargs = argc - 1 - optind;
	args = argv + 1 + optind;
	if ((strcmp(sub, "entries") == 0 && nargs > 2) ||
	    (strcmp(sub, "proof") == 0 && (nargs < 2 || nargs > 3)) ||
	    ((strcmp(sub, "key") == 0 || strcmp(sub, "checkpoint") == 0 ||
	      strcmp(sub, "replay") == 0) &&
	     nargs != 0) ||
	    (strcmp(sub, "replay") == 0 && into == NULL)) {
		cli_paths_free(&p);
		return cli_usage(log_usage);
	}
	if (strcmp(sub, "replay") == 0) {
		rc = log_replay(&p, into, vkey);
		cli_paths_free(&p);
		return rc;
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
	} else if (strcmp(sub, "proof") == 0) {
		uint64_t a = 0, b = 0, size = 0;
		char *note = NULL;
		uint8_t root[32];
		json_t *out = NULL;
		int inc = strcmp(args[0], "inclusion") == 0;

		if ((!inc && strcmp(args[0], "consistency") != 0) ||
		    number(args[1], &a) != 0 ||
		    (nargs == 3 && number(args[2], &b) != 0)) {
			rc = cli_usage(log_usage);
			goto out;
		}
		if (nargs == 2) {
			if (app_checkpoint(app, &note, &size, root, &e) != 0) {
				cli_fail("%s", e.detail);
				goto out;
			}
			free(note);
			b = size;
		}
		if ((inc ? app_inclusion_proof(app, a, NULL, b, &out, &e)
		         : app_consistency_proof(app, a, b, &out, &e)) != 0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		print_json(out);
	} else {
		struct app_actor sys;
		uint64_t a = 0, b;
		json_t *out = NULL;

		if (nargs >= 1 && number(args[0], &a) != 0) {
			rc = cli_usage(log_usage);
			goto out;
		}
		b = a + 100;
		if (nargs == 2 && (number(args[1], &b) != 0 || b < a)) {
			rc = cli_usage(log_usage);
			goto out;
		}
		app_actor_system(&sys);
		if (app_log_entries(app, &sys, a, b, &out, &e) != 0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		print_json(out);
	}
	rc = 0;
out:
	app_close(app);
	cli_paths_free(&p);
	return rc;
}
