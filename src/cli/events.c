/*
 * detente events: follows a server's live event stream (GET
 * /api/v1/events) and prints each entry the caller may read as one line of
 * JSON, as it is appended: "tail -f" for the log, for scripts and for a
 * secretariat's console.  It resumes by Last-Event-ID after a dropped
 * connection, and reads through /log/entries when the server says it is
 * too far behind, so a line is printed once and none is skipped.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "cli/cli.h"
#include "cli/client.h"

static const char events_usage[] =
    "usage: detente events [--server URL] [--token TOKEN] [--from INDEX]\n"
    "                      [--count N]\n"
    "\n"
    "Prints each new log entry the caller may read (TLP labels decide; "
    "without\n"
    "a token, TLP:CLEAR only) as one line of JSON, as the server appends "
    "it.\n"
    "--from INDEX starts after entry INDEX (the entries since then come "
    "first);\n"
    "--count N stops after N entries.  It reconnects after a dropped\n"
    "connection, resuming after the last entry printed.  The server and "
    "the\n"
    "token default to $DETENTE_SERVER and $DETENTE_TOKEN.\n"
    "Exit status: 0 when --count entries came (or on end of stream), 1 on "
    "an\nerror, 2 on bad usage.\n";

#define LINE_MAX_BYTES (8u << 20) /* one event may be large */
#define RETRIES        5

struct follow {
	struct buf line;  /* the event being read */
	struct buf data;  /* its data lines */
	char id[32];      /* its id */
	char event[32];   /* its type */
	long long last;   /* the last entry printed, -1 for none */
	long long left;   /* entries still wanted, -1 for all */
	bool behind;      /* the server said we fell behind */
	bool failed;      /* a line too long, or output failed */
	long status;      /* the HTTP status */
	struct buf error; /* a problem document's body */
	bool error_cut;   /* ... cut at its cap */
};

/* One complete event: print it if it is an entry. */
static void
dispatch(struct follow *f)
{
	if (strcmp(f->event, "entry") == 0 && f->data.len > 0) {
		if (fwrite(f->data.data, 1, f->data.len, stdout) !=
		        f->data.len ||
		    fputc('\n', stdout) == EOF || fflush(stdout) != 0)
			f->failed = true;
		f->last = strtoll(f->id, NULL, 10);
		if (f->left > 0)
			f->left--;
	} else if (strcmp(f->event, "behind") == 0) {
		f->behind = true;
	}
	buf_reset(&f->data);
	f->id[0] = f->event[0] = '\0';
}

/* One line of the stream (without its newline). */
static void
field(struct follow *f, const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);
	size_t klen = colon ? (size_t)(colon - s) : n;
	const char *v = colon ? colon + 1 : s + n;
	size_t vlen = n - (size_t)(v - s);

	if (n == 0) {
		dispatch(f);
		return;
	}
	if (klen == 0)
		return; /* a comment: the keepalive */
	if (vlen > 0 && *v == ' ')
		v++, vlen--;
	if (klen == 4 && memcmp(s, "data", 4) == 0) {
		if ((f->data.len > 0 && buf_add(&f->data, "\n", 1) != 0) ||
		    buf_add(&f->data, v, vlen) != 0)
			f->failed = true;
	} else if (klen == 2 && memcmp(s, "id", 2) == 0) {
		snprintf(f->id, sizeof(f->id), "%.*s", (int)vlen, v);
	} else if (klen == 5 && memcmp(s, "event", 5) == 0) {
		snprintf(f->event, sizeof(f->event), "%.*s", (int)vlen, v);
	}
}

static size_t
on_data(char *p, size_t size, size_t n, void *userdata)
{
	struct follow *f = userdata;
	size_t len = size * n;

	if (f->status != 200) {
		/* the problem document; past the cap, the rest is dropped */
		f->error_cut = buf_add(&f->error, p, len) != 0 || f->error_cut;
		return len;
	}
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n') {
			field(f, f->line.data ? f->line.data : "", f->line.len);
			buf_reset(&f->line);
			if (f->failed || f->left == 0 || f->behind)
				return 0; /* stop the transfer */
		} else if (p[i] != '\r' && buf_add(&f->line, &p[i], 1) != 0) {
			f->failed = true;
			return 0;
		}
	}
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *userdata)
{
	struct follow *f = userdata;
	int code;

	if (size * n > 9 && strncmp(p, "HTTP/", 5) == 0 &&
	    sscanf(p, "HTTP/%*s %d", &code) == 1)
		f->status = code;
	return size * n;
}

/* One connection.  Returns the curl result. */
static CURLcode
stream_once(const char *base, const char *token, struct follow *f)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	size_t blen = strlen(base);
	char *url, *auth = NULL, *last = NULL;
	CURLcode cc;

	if (c == NULL)
		return CURLE_FAILED_INIT;
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	url = xasprintf("%.*s/api/v1/events", (int)blen, base);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	h = curl_slist_append(h, "Accept: text/event-stream");
	if (token != NULL) {
		auth = xasprintf("Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
	}
	if (f->last >= 0) {
		last = xasprintf("Last-Event-ID: %lld", f->last);
		h = curl_slist_append(h, last);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	f->status = 0;
	f->behind = false;
	buf_reset(&f->line);
	buf_reset(&f->data);
	f->id[0] = f->event[0] = '\0';
	cc = curl_easy_perform(c);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(url);
	free(auth);
	free(last);
	return cc;
}

/*
 * Too far behind for the stream (the server said so): reads the entries
 * after the last one printed from /log/entries, a page at a time, until
 * the stream can take over.  Returns 0, or -1 with err.
 */
static int
catch_up(const char *base, const char *token, struct follow *f, char *err,
         size_t errlen)
{
	for (;;) {
		char path[96];
		json_t *page = NULL, *it;
		size_t i, n;
		long long size;

		snprintf(path, sizeof(path),
		         "/api/v1/log/entries?start=%lld&end=%lld", f->last + 1,
		         f->last + 1001);
		if (client_get_json(base, path, token, &page, err, errlen) != 0)
			return -1;
		size = (long long)json_integer_value(
		    json_object_get(page, "size"));
		n = json_array_size(json_object_get(page, "items"));
		json_array_foreach(json_object_get(page, "items"), i, it)
		{
			char *line;

			f->last = (long long)json_integer_value(
			    json_object_get(it, "index"));
			if (json_is_true(json_object_get(it, "redacted")))
				continue;
			line = jsonx_dump(it, NULL);
			if (puts(line) == EOF || fflush(stdout) != 0)
				f->failed = true;
			free(line);
			if (f->left > 0 && --f->left == 0)
				break;
		}
		json_decref(page);
		/* the stream takes over well within its lag */
		if (f->failed || f->left == 0 || n == 0 ||
		    size - (f->last + 1) < 1000)
			return 0;
	}
}

int
cli_events(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"server", required_argument, NULL, 's'},
	    {"token", required_argument, NULL, 't'},
	    {"from", required_argument, NULL, 'f'},
	    {"count", required_argument, NULL, 'n'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *server = getenv("DETENTE_SERVER");
	const char *token = getenv("DETENTE_TOKEN");
	struct follow f = {0};
	int c, rc = 1, tries = 0;
	char *end;

	f.last = -1;
	f.left = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			server = optarg;
			break;
		case 't':
			token = optarg;
			break;
		case 'f':
			f.last = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || f.last < 0) {
				fputs("detente: --from takes the index of a "
				      "log entry\n",
				      stderr);
				return 2;
			}
			break;
		case 'n':
			f.left = strtoll(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || f.left < 1) {
				fputs("detente: --count takes a whole number "
				      "of at least 1\n",
				      stderr);
				return 2;
			}
			break;
		case 'h':
			fputs(events_usage, stdout);
			return 0;
		default:
			return cli_usage(events_usage);
		}
	}
	if (optind != argc)
		return cli_usage(events_usage);
	if (server == NULL) {
		fputs("detente: give --server (or $DETENTE_SERVER)\n", stderr);
		return 2;
	}
	if (token != NULL && *token == '\0')
		token = NULL;
	buf_init(&f.line, LINE_MAX_BYTES);
	buf_init(&f.data, LINE_MAX_BYTES);
	buf_init(&f.error, 64 * 1024);
	for (;;) {
		long long before = f.last;
		CURLcode cc = stream_once(server, token, &f);

		if (f.failed) {
			rc = cli_fail("an event is over %u bytes, or standard "
			              "output failed",
			              LINE_MAX_BYTES);
			break;
		}
		if (f.left == 0) {
			rc = 0;
			break;
		}
		if (f.status != 0 && f.status != 200) {
			rc = cli_fail("%s answered %ld: %.*s%s", server,
			              f.status, (int)f.error.len,
			              f.error.data ? f.error.data : "",
			              f.error_cut ? "..." : "");
			break;
		}
		if (f.status == 0 && cc != CURLE_OK && tries >= RETRIES) {
			rc = cli_fail("cannot follow %s: %s", server,
			              curl_easy_strerror(cc));
			break;
		}
		if (f.behind) {
			char err[300];

			if (catch_up(server, token, &f, err, sizeof(err)) !=
			    0) {
				rc = cli_fail("cannot catch up with %s: %s",
				              server, err);
				break;
			}
			if (f.failed || f.left == 0) {
				rc = f.failed ? 1 : 0;
				break;
			}
		}
		/* dropped, or behind: resume after the last entry printed */
		tries = f.last > before ? 0 : tries + 1;
		if (tries > RETRIES) {
			rc =
			    cli_fail("the stream from %s keeps ending", server);
			break;
		}
		sleep(tries > 0 ? 1 : 0);
	}
	buf_free(&f.line);
	buf_free(&f.data);
	buf_free(&f.error);
	return rc;
}
