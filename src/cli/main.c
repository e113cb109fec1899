/*
 * The detente command.  Exit status: 0 success, 1 the command failed,
 * 2 the command line was wrong (with a usage message on stderr).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "core/schema.h"
#include "http/http.h"

#ifndef DETENTE_DATA_DIR
#define DETENTE_DATA_DIR "data/record"
#endif
#ifndef DETENTE_WEB_DIR
#define DETENTE_WEB_DIR "web"
#endif

static const char usage_text[] =
    "usage: detente COMMAND [OPTIONS]\n"
    "\n"
    "Détente: the record of cyber diplomacy, with every act signed and\n"
    "appended to a tamper-evident transparency log.\n"
    "\n"
    "commands:\n"
    "  init [--demo]            create the database and the log key\n"
    "  serve                    serve the web UI and the JSON API\n"
    "  user add|list            enrol and list users\n"
    "  token create|list|revoke manage API bearer tokens\n"
    "  log key|checkpoint|entries|proof|replay  read and replay the log\n"
    "  log verify-inclusion|verify-consistency  check proofs offline\n"
    "  key gen|register         a user's own Ed25519 signing key\n"
    "  act [--sign KEY] FILE    submit an act to a server, party-signed\n"
    "  audit URL                check that a server's log is append-only\n"
    "  events                   follow the log as it grows, one JSON line "
    "each\n"
    "  export DIR               the record as open data (CSV or JSON)\n"
    "  version                  print the version\n"
    "\n"
    "Every command takes --db PATH (default ./detente.db, or $DETENTE_DB)\n"
    "and --key PATH (default: the database path with .key, or\n"
    "$DETENTE_KEY).  'detente COMMAND --help' tells more.\n"
    "Exit status: 0 success, 1 failure, 2 bad usage.\n";

int
cli_usage(const char *text)
{
	fputs(text, stderr);
	return 2;
}

int
cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("detente: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

void
cli_paths_init(struct cli_paths *p)
{
	const char *db = getenv("DETENTE_DB");
	const char *key = getenv("DETENTE_KEY");

	p->db = xstrdup(db && *db ? db : "./detente.db");
	p->key = key && *key ? xstrdup(key) : NULL;
}

void
cli_paths_finish(struct cli_paths *p)
{
	if (p->key == NULL) {
		size_t n = strlen(p->db);

		if (n > 3 && strcmp(p->db + n - 3, ".db") == 0)
			p->key = xasprintf("%.*s.key", (int)(n - 3), p->db);
		else
			p->key = xasprintf("%s.key", p->db);
	}
}

void
cli_paths_free(struct cli_paths *p)
{
	free(p->db);
	free(p->key);
}

int
cli_path_option(struct cli_paths *p, int opt, const char *arg)
{
	if (opt == 'D') {
		free(p->db);
		p->db = xstrdup(arg);
		return 1;
	}
	if (opt == 'K') {
		free(p->key);
		p->key = xstrdup(arg);
		return 1;
	}
	return 0;
}

struct app *
cli_open(struct cli_paths *p)
{
	struct app_options o = {0};
	char err[400];
	struct app *app;

	cli_paths_finish(p);
	o.db_path = p->db;
	o.key_path = p->key;
	if (access(p->db, F_OK) != 0) {
		cli_fail("%s does not exist: run 'detente init' first", p->db);
		return NULL;
	}
	app = app_open(&o, err, sizeof(err));
	if (app == NULL)
		cli_fail("%s", err);
	return app;
}

/* --- init
 * ----------------------------------------------------------------------- */

static const char init_usage[] =
    "usage: detente init [--demo [--no-practice]] [--data DIR] [--origin "
    "NAME]\n"
    "                    [--db PATH] [--key PATH]\n"
    "\n"
    "Creates a new database and a new log signing key (mode 0600).\n"
    "--demo loads the historical record of cyber diplomacy from DIR\n"
    "(default " DETENTE_DATA_DIR "), every record as a signed act, and\n"
    "adds the practice areas: demo accounts (their passwords printed once)\n"
    "and practice forums to try negotiation in; --no-practice leaves them\n"
    "out.\n"
    "--origin names the log in its checkpoints (default HOSTNAME/detente).\n";

static int
cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"demo", no_argument, NULL, 'd'},
	    {"no-practice", no_argument, NULL, 'n'},
	    {"data", required_argument, NULL, 'a'},
	    {"origin", required_argument, NULL, 'o'},
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_paths p;
	int demo = 0, no_practice = 0, c, rc = 1;
	const char *data = DETENTE_DATA_DIR;
	char origin[300];
	char err[400];
	struct app *app = NULL;

	cli_paths_init(&p);
	origin[0] = '\0';
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		switch (c) {
		case 'd':
			demo = 1;
			break;
		case 'n':
			no_practice = 1;
			break;
		case 'a':
			data = optarg;
			break;
		case 'o':
			snprintf(origin, sizeof(origin), "%s", optarg);
			break;
		case 'h':
			fputs(init_usage, stdout);
			cli_paths_free(&p);
			return 0;
		default:
			cli_paths_free(&p);
			return cli_usage(init_usage);
		}
	}
	if (optind != argc) {
		cli_paths_free(&p);
		return cli_usage(init_usage);
	}
	if (origin[0] == '\0') {
		char host[256];

		if (gethostname(host, sizeof(host)) != 0)
			snprintf(host, sizeof(host), "localhost");
		host[sizeof(host) - 1] = '\0';
		snprintf(origin, sizeof(origin), "%s/detente", host);
	}
	if (strpbrk(origin, " +\t\n") != NULL || origin[0] == '\0') {
		cli_paths_free(&p);
		fprintf(stderr, "detente: --origin must not contain spaces or "
		                "'+'\n");
		return 2;
	}
	cli_paths_finish(&p);
	if (app_init_files(p.db, p.key, origin, err, sizeof(err)) != 0) {
		rc = cli_fail("%s", err);
		goto out;
	}
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if (demo) {
		struct app_error e = {0};
		int64_t t0 = time_mono_ms();
		long n = app_load_record(app, data, &e);

		if (n < 0) {
			rc = cli_fail("loading the record from %s: %s", data,
			              e.detail);
			app_close(app);
			app = NULL;
			unlink(p.db);
			unlink(p.key);
			goto out;
		}
		printf("detente: loaded %ld acts of the historical record in "
		       "%lld ms\n",
		       n, (long long)(time_mono_ms() - t0));
		if (!no_practice && app_practice(app, stdout, &e) != 0) {
			rc =
			    cli_fail("adding the practice areas: %s", e.detail);
			goto out;
		}
	}
	printf("detente: created %s and the log key %s\n", p.db, p.key);
	rc = 0;
out:
	app_close(app);
	cli_paths_free(&p);
	return rc;
}

/* --- serve
 * ---------------------------------------------------------------------- */

static const char serve_usage[] =
    "usage: detente serve [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
    "                     [--tls-cert FILE --tls-key FILE] [--behind-proxy]\n"
    "                     [--clock-file FILE] [--db PATH] [--key PATH]\n"
    "\n"
    "Serves the web UI and the JSON API (default 127.0.0.1:8080; port 0\n"
    "picks a free port).  A non-loopback address needs TLS or\n"
    "--behind-proxy.  --threads sets the event threads (default 4); writes\n"
    "run on 4 x N worker threads, at most 32.  Prints the URL once it is\n"
    "ready; stops on SIGINT or SIGTERM.  --clock-file (for tests) makes\n"
    "the scheduler read the time from FILE, an RFC 3339 instant, whenever\n"
    "FILE holds one, so that deadlines pass when a test says so.\n";

/* The scheduler's clock under --clock-file: the instant FILE holds, else
 * the wall clock. */
static int64_t
file_clock(void *ctx)
{
	char text[64] = "";
	int64_t ms;
	FILE *f = fopen(ctx, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	text[n] = '\0';
	if (n > 0 && time_parse_ms(text, &ms) == 0)
		return ms;
	return time_now_ms();
}

/* Splits "ADDR:PORT" or "[V6]:PORT". */
static int
parse_listen(const char *s, char *addr, size_t addrlen, uint16_t *port)
{
	const char *colon;
	char *end;
	long v;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':' ||
		    (size_t)(close - s - 1) >= addrlen)
			return -1;
		memcpy(addr, s + 1, (size_t)(close - s - 1));
		addr[close - s - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(s, ':');
		if (colon == NULL || (size_t)(colon - s) >= addrlen ||
		    colon == s)
			return -1;
		memcpy(addr, s, (size_t)(colon - s));
		addr[colon - s] = '\0';
	}
	errno = 0;
	v = strtol(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || errno != 0 || v < 0 ||
	    v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int
cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"web", required_argument, NULL, 'w'},
	    {"threads", required_argument, NULL, 't'},
	    {"tls-cert", required_argument, NULL, 'c'},
	    {"tls-key", required_argument, NULL, 'k'},
	    {"behind-proxy", no_argument, NULL, 'b'},
	    {"clock-file", required_argument, NULL, 'C'},
	    {"db", required_argument, NULL, 'D'},
	    {"key", required_argument, NULL, 'K'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_paths p;
	struct http_options ho = {0};
	char addr[128] = "127.0.0.1";
	const char *clock_file = NULL;
	struct app *app = NULL;
	struct http_server *srv = NULL;
	char err[400];
	sigset_t set;
	int c, sig, rc = 1;
	int64_t t0 = time_mono_ms();

	cli_paths_init(&p);
	ho.port = 8080;
	ho.web_dir = DETENTE_WEB_DIR;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_path_option(&p, c, optarg))
			continue;
		switch (c) {
		case 'l':
			if (parse_listen(optarg, addr, sizeof(addr),
			                 &ho.port) != 0) {
				fprintf(stderr,
				        "detente: --listen takes ADDR:PORT, "
				        "e.g. 127.0.0.1:8080\n");
				cli_paths_free(&p);
				return 2;
			}
			break;
		case 'w':
			ho.web_dir = optarg;
			break;
		case 't': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end != '\0' || v < 1 || v > HTTP_MAX_THREADS) {
				fprintf(stderr,
				        "detente: --threads takes 1 to %d\n",
				        HTTP_MAX_THREADS);
				cli_paths_free(&p);
				return 2;
			}
			ho.threads = (unsigned)v;
			break;
		}
		case 'c':
			ho.tls_cert = optarg;
			break;
		case 'k':
			ho.tls_key = optarg;
			break;
		case 'b':
			ho.behind_proxy = true;
			break;
		case 'C':
			clock_file = optarg;
			break;
		case 'h':
			fputs(serve_usage, stdout);
			cli_paths_free(&p);
			return 0;
		default:
			cli_paths_free(&p);
			return cli_usage(serve_usage);
		}
	}
	if (optind != argc) {
		cli_paths_free(&p);
		return cli_usage(serve_usage);
	}
	ho.address = addr;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((app = cli_open(&p)) == NULL)
		goto out;
	if (clock_file != NULL)
		app_clock_set(app, file_clock, (void *)clock_file);
	if (app_schedule_start(app, err, sizeof(err)) != 0) {
		rc = cli_fail("%s", err);
		goto out;
	}
	srv = http_start(app, &ho, err, sizeof(err));
	if (srv == NULL) {
		rc = cli_fail("%s", err);
		goto out;
	}
	printf("detente: serving http%s://%s%s%s:%u/ (ready in %lld ms)\n",
	       ho.tls_cert ? "s" : "", strchr(addr, ':') ? "[" : "", addr,
	       strchr(addr, ':') ? "]" : "", http_port(srv),
	       (long long)(time_mono_ms() - t0));
	fflush(stdout);
	if (sigwait(&set, &sig) == 0)
		printf("detente: stopping on signal %d\n", sig);
	rc = 0;
out:
	http_stop(srv);
	app_close(app);
	cli_paths_free(&p);
	return rc;
}

static int
cmd_version(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		puts("usage: detente version\n\nPrints the version.");
		return 0;
	}
	if (argc > 1)
		return cli_usage("usage: detente version\n");
	printf("detente %s\n", DETENTE_VERSION);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int, char **);
} commands[] = {
    {"init", cmd_init},     {"serve", cmd_serve},   {"user", cli_user},
    {"token", cli_token},   {"log", cli_log},       {"version", cmd_version},
    {"key", cli_key},       {"act", cli_act},       {"audit", cli_audit},
    {"events", cli_events}, {"export", cli_export},
};

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return cli_fail("libsodium cannot be initialised");
	if (argc < 2)
		return cli_usage(usage_text);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc, argv);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "detente: unknown command \"%s\"\n\n", argv[1]);
	return cli_usage(usage_text);
}
