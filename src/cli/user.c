/* detente user and detente token: enrolment and API tokens, run by the
 * operator on the server's machine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "core/schema.h"

static const char user_usage[] =
    "usage: detente user add USERNAME --role ROLE [--party CODE]\n"
    "                        [--name DISPLAY] [--password-file FILE]\n"
    "       detente user import FILE\n"
    "       detente user list\n"
    "       (all take --db PATH and --key PATH)\n"
    "\n"
    "ROLE is one of operator, secretariat, delegate, poc_diplomatic,\n"
    "poc_technical, observer.  The password (10 to 1024 characters) is\n"
    "read from FILE, or from standard input (one line; asked for on a\n"
    "terminal).\n"
    "\n"
    "import enrols many API clients at once (a delegation's tools, a\n"
    "practice vote): FILE is a JSON array of {\"username\", \"role\",\n"
    "\"party\"}; each becomes a user without a password, who signs in\n"
    "with API tokens only, and gets one token, printed once as a JSON\n"
    "array of {\"username\", \"party\", \"token\"}.  Every entry is\n"
    "checked first (role, party, a name not taken): one bad entry, and\n"
    "nobody is enrolled.\n";

static const char token_usage[] =
    "usage: detente token create --user USERNAME [--name LABEL]\n"
    "       detente token list --user USERNAME\n"
    "       detente token revoke ID --user USERNAME\n"
    "       (all take --db PATH and --key PATH)\n"
    "\n"
    "create prints the new token once; only its hash is kept.\n";

/* Reads one line (without its newline) into a fresh buffer, with the echo
 * off when standard input is a terminal. */
static char *
read_password(const char *file)
{
	FILE *f = stdin;
	struct termios old, quiet;
	int tty = 0;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (file != NULL && (f = fopen(file, "r")) == NULL)
		return NULL;
	if (file == NULL && isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &old) == 0) {
		tty = 1;
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		fputs("password: ", stderr);
	}
	n = getline(&line, &cap, f);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (f != stdin)
		fclose(f);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static int
user_add(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"role", required_argument, NULL, 'r'},
	    {"party", required_argument, NULL, 'p'},
	    {"name", required_argument, NULL, 'n'},
	    {"password-file", required_argument, NULL, 'f'},
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_paths p;
	const char *role = NULL, *party = NULL, *name = NULL, *file = NULL;
	struct app *app = NULL;
	struct app_actor sys;
	struct app_error e = {0};
	struct app_receipt r;
	char *password = NULL;
	json_t *body = NULL;
	int c, rc = 1;

	cli_paths_init(&p);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		switch (c) {
		case 'r':
			role = optarg;
			break;
		case 'p':
			party = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			fputs(user_usage, stdout);
			cli_paths_free(&p);
			return 0;
		default:
			cli_paths_free(&p);
			return cli_usage(user_usage);
		}
	}
	if (optind != argc - 1 || role == NULL) {
		cli_paths_free(&p);
		return cli_usage(user_usage);
	}
	if (!schema_is_username(argv[optind])) {
		cli_paths_free(&p);
		fprintf(stderr, "detente: a user name has 3 to 64 of "
		                "a-z 0-9 . _ -\n");
		return 2;
	}
	if (policy_role_parse(role) == ROLE_NONE) {
		cli_paths_free(&p);
		fprintf(stderr, "detente: unknown role \"%s\"\n\n", role);
		return cli_usage(user_usage);
	}
	if (party != NULL && !schema_is_code(party)) {
		cli_paths_free(&p);
		fprintf(stderr, "detente: --party takes a party code such as "
		                "IDN\n");
		return 2;
	}
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if ((password = read_password(file)) == NULL) {
		rc = cli_fail("no password given");
		goto out;
	}
	body = json_pack("{s:s,s:s?,s:s}", "username", argv[optind], "party",
	                 party, "role", role);
	if (name != NULL)
		json_object_set_new(body, "display_name", json_string(name));
	app_actor_system(&sys);
	if (app_user_add(app, &sys, body, password, &r, &e) != 0) {
		rc = cli_fail("%s", e.detail);
		goto out;
	}
	printf("detente: added %s (%s%s%s), log entry %llu\n", argv[optind],
	       role, party ? " of " : "", party ? party : "",
	       (unsigned long long)r.index);
	rc = 0;
out:
	if (password != NULL) {
		sodium_memzero(password, strlen(password));
		free(password);
	}
	json_decref(body);
	app_close(app);
	cli_paths_free(&p);
	return rc;
}

static int simple_opts(int argc, char **argv, struct cli_paths *p,
                       const char **user, const char *usage);

static const struct schema_field import_fields[] = {
    {"username", SCHEMA_USERNAME, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_STR, SCHEMA_REQUIRED, 1, 32, NULL, NULL, NULL},
    {"party", SCHEMA_CODE, 0, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static int
user_import(int argc, char **argv)
{
	struct cli_paths p;
	struct app *app = NULL;
	struct app_actor sys;
	struct app_error e = {0};
	json_t *list = NULL, *it, *out = json_array();
	json_error_t je;
	char err[300];
	size_t i;
	int rc = 1;

	cli_paths_init(&p);
	if ((rc = simple_opts(argc, argv, &p, NULL, user_usage)) >= 0 ||
	    (optind != argc - 1 && (rc = cli_usage(user_usage)))) {
		cli_paths_free(&p);
		json_decref(out);
		return rc;
	}
	rc = 1;
	list = json_load_file(argv[optind], 0, &je);
	if (!json_is_array(list)) {
		rc = cli_fail("%s: not a JSON array of users (%s)",
		              argv[optind], je.text);
		goto out;
	}
	json_array_foreach(list, i, it)
	{
		snprintf(err, sizeof(err), "[%zu]", i);
		if (schema_check(import_fields, it, err, err, sizeof(err)) !=
		    0) {
			rc = cli_fail("%s: %s", argv[optind], err);
			goto out;
		}
		if (policy_role_parse(jsonx_str(it, "role")) == ROLE_NONE) {
			rc = cli_fail("%s: [%zu]: unknown role \"%s\"",
			              argv[optind], i, jsonx_str(it, "role"));
			goto out;
		}
	}
	if ((app = cli_open(&p)) == NULL)
		goto out;
	/* all or nothing: what would refuse one is found before any */
	json_array_foreach(list, i, it)
	{
		const char *name = jsonx_str(it, "username");
		const char *party = jsonx_str(it, "party");
		struct store_user u;
		json_t *found = NULL;
		size_t k;

		if (store_user_get(app_reader(app), name, &u) == STORE_OK) {
			rc = cli_fail("%s: [%zu]: there is a user %s already; "
			              "nobody was enrolled",
			              argv[optind], i, name);
			goto out;
		}
		for (k = 0; k < i; k++)
			if (strcmp(
			        jsonx_str(json_array_get(list, k), "username"),
			        name) == 0)
				break;
		if (k < i) {
			rc = cli_fail("%s: [%zu]: %s is listed twice; nobody "
			              "was enrolled",
			              argv[optind], i, name);
			goto out;
		}
		if (party != NULL && store_party_get(app_reader(app), party,
		                                     &found) != STORE_OK) {
			rc = cli_fail("%s: [%zu]: no party %s in the record; "
			              "nobody was enrolled",
			              argv[optind], i, party);
			goto out;
		}
		json_decref(found);
	}
	app_actor_system(&sys);
	json_array_foreach(list, i, it)
	{
		char *token = NULL;

		if (app_user_enrol(app, &sys, it, &token, &e) != 0) {
			rc = cli_fail("%s: [%zu] %s: %s (the %zu before it "
			              "are enrolled)",
			              argv[optind], i,
			              jsonx_str(it, "username"), e.detail, i);
			goto out;
		}
		json_array_append_new(
		    out,
		    json_pack("{s:O,s:O?,s:s}", "username",
		              json_object_get(it, "username"), "party",
		              json_object_get(it, "party"), "token", token));
		sodium_memzero(token, strlen(token));
		free(token);
	}
	json_dumpf(out, stdout, JSON_INDENT(1));
	putchar('\n');
	fprintf(stderr,
	        "detente: enrolled %zu API clients; their tokens are "
	        "shown only now\n",
	        json_array_size(out));
	rc = 0;
out:
	json_decref(list);
	json_decref(out);
	app_close(app);
	cli_paths_free(&p);
	return rc;
}

/* Parses the options common to list-like subcommands: --db, --key, --user. */
static int
simple_opts(int argc, char **argv, struct cli_paths *p, const char **user,
            const char *usage)
{
	static const struct option opts[] = {
	    {"user", required_argument, NULL, 'u'},
	    {"name", required_argument, NULL, 'n'},
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_path_option(p, c, optarg))
			continue;
		if (c == 'u' && user != NULL) {
			user[0] = optarg;
			continue;
		}
		if (c == 'n' && user != NULL) {
			user[1] = optarg;
			continue;
		}
		if (c == 'h') {
			fputs(usage, stdout);
			return 0;
		}
		return cli_usage(usage);
	}
	return -1;
}

static int
user_list(int argc, char **argv)
{
	struct cli_paths p;
	struct app *app;
	json_t *items = NULL, *u;
	size_t i;
	int rc;

	cli_paths_init(&p);
	if ((rc = simple_opts(argc, argv, &p, NULL, user_usage)) >= 0 ||
	    (optind != argc && (rc = cli_usage(user_usage)))) {
		cli_paths_free(&p);
		return rc;
	}
	rc = 1;
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if (store_user_list(app_reader(app), &items) != STORE_OK) {
		cli_fail("cannot read the users");
		goto out;
	}
	json_array_foreach(items, i, u)
	{
		printf("%-24s %-16s %-6s%s\n", jsonx_str(u, "username"),
		       jsonx_str(u, "role"),
		       jsonx_str(u, "party") ? jsonx_str(u, "party") : "-",
		       json_is_true(json_object_get(u, "disabled"))
		           ? " (disabled)"
		           : "");
	}
	rc = 0;
out:
	json_decref(items);
	app_close(app);
	cli_paths_free(&p);
	return rc;
}

int
cli_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "list") == 0)
		return user_list(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "import") == 0)
		return user_import(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		fputs(user_usage, stdout);
		return 0;
	}
	return cli_usage(user_usage);
}

/* Opens the app and finds the acting user for a token command. */
static int
token_actor(struct app *app, const char *username, struct app_actor *who)
{
	struct store_user u;

	if (username == NULL) {
		fputs("detente: give the token's owner with --user\n", stderr);
		return 2;
	}
	if (store_user_get(app_reader(app), username, &u) != STORE_OK)
		return cli_fail("no user named %s", username);
	memset(who, 0, sizeof(*who));
	who->role = policy_role_parse(u.role);
	who->user_id = u.id;
	snprintf(who->username, sizeof(who->username), "%s", u.username);
	snprintf(who->party, sizeof(who->party), "%s", u.party);
	return 0;
}

int
cli_token(int argc, char **argv)
{
	struct cli_paths p;
	const char *opt[2] = {NULL, NULL};
	const char *sub = argc >= 2 ? argv[1] : "";
	struct app *app = NULL;
	struct app_actor who;
	struct app_error e = {0};
	struct app_receipt r;
	int rc, want_args;

	if (strcmp(sub, "--help") == 0) {
		fputs(token_usage, stdout);
		return 0;
	}
	if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 &&
	    strcmp(sub, "revoke") != 0)
		return cli_usage(token_usage);
	cli_paths_init(&p);
	if ((rc = simple_opts(argc - 1, argv + 1, &p, opt, token_usage)) >= 0) {
		cli_paths_free(&p);
		return rc;
	}
	want_args = strcmp(sub, "revoke") == 0 ? 1 : 0;
	if (argc - 1 - optind != want_args) {
		cli_paths_free(&p);
		return cli_usage(token_usage);
	}
	rc = 1;
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if ((rc = token_actor(app, opt[0], &who)) != 0)
		goto out;
	rc = 1;
	if (strcmp(sub, "create") == 0) {
		char *token = NULL;
		char id[40];

		if (app_token_create(app, &who, opt[1] ? opt[1] : "cli", &token,
		                     id, &r, &e) != 0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		printf("%s\n", token);
		fprintf(stderr,
		        "detente: token %s for %s; it is shown only now\n", id,
		        who.username);
		sodium_memzero(token, strlen(token));
		free(token);
	} else if (strcmp(sub, "list") == 0) {
		json_t *items = NULL, *t;
		size_t i;

		if (store_token_list(app_reader(app), who.user_id, &items) !=
		    STORE_OK) {
			cli_fail("cannot read the tokens");
			goto out;
		}
		json_array_foreach(items, i, t)
		{
			char when[TIME_RFC3339_LEN];

			time_format_ms(jsonx_int(t, "created_ms", 0), when);
			printf("%-22s %-24s %s%s\n", jsonx_str(t, "id"),
			       jsonx_str(t, "name"), when,
			       json_is_integer(json_object_get(t, "revoked_ms"))
			           ? " revoked"
			           : "");
		}
		json_decref(items);
	} else {
		if (app_token_revoke(app, &who, argv[1 + optind], &r, &e) !=
		    0) {
			cli_fail("%s", e.detail);
			goto out;
		}
		printf("detente: revoked %s\n", argv[1 + optind]);
	}
	rc = 0;
out:
	app_close(app);
	cli_paths_free(&p);
	return rc;
}
