/*
 * GET /api/v1/events: Server-Sent Events, one for each new log entry the
 * reader may see, with the entry's index as the event id.
 *
 * Each client is a cursor over the log, not a queue: when libmicrohttpd
 * has room on its socket, the client takes the entries past its cursor
 * that it may read and copies a bounded chunk of them.  Each entry is read
 * and formatted once, into the hub's ring of recent events (with its
 * label), whoever needs it first; every client then decides by the label,
 * through the one readable check, and copies the shared text.  When there
 * are none it suspends its connection
 * and waits on the hub's list, and the hub resumes the waiting clients
 * when the log grows (or every KEEPALIVE_MS, for a comment that keeps
 * proxies and dead peers honest).  Writers never wait for a client and
 * nothing is kept per client beyond one chunk: a client that does not read
 * costs nothing once its small socket buffer is full, and is closed by the
 * server's idle timeout; one that falls more than MAX_LAG entries behind
 * is told so and closed, and resumes by Last-Event-ID.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "http/handlers.h"

#define KEEPALIVE_MS 15000
#define CHUNK        100         /* entries read at a time */
#define CHUNK_BYTES  (64 * 1024) /* a chunk stops growing past this */
#define OUT_CAP      (8 << 20)   /* one entry may be large */
#define MAX_LAG      10000       /* entries behind before a client is cut */
#define SNDBUF       (64 * 1024) /* bytes the kernel holds for a client */
#define RING         1024        /* recent events kept formatted */

/* An entry as an event, formatted once for every reader who may have it. */
struct event {
	uint64_t idx; /* UINT64_MAX: an empty slot */
	char *text;   /* "id: ...\nevent: entry\ndata: {...}\n\n" */
	size_t len;
	char *tlp, *party; /* its label */
	int64_t owner;
	json_t *recipients;
};

struct sse {
	struct http_events *hub;
	struct app *app;
	struct MHD_Connection *conn;
	struct app_reading rd; /* who reads */
	uint64_t next;         /* the next index to look at */
	struct buf out;
	size_t off;
	bool waiting; /* suspended, on the hub's list */
	bool ending;
	bool ping; /* a keepalive is due */
	struct sse *next_waiting;
};

struct http_events {
	struct app *app;
	pthread_mutex_t mu;
	struct sse *waiting;
	bool stop;
	pthread_t thread;
	bool started;
	uint64_t size; /* the log's size as the hub last saw it (under mu) */
	pthread_mutex_t ring_mu; /* the ring, filled by clients */
	struct event ring[RING];
};

/* Resumes every waiting client; ping: they owe a keepalive. */
static void
wake_all(struct http_events *h, bool ping, bool end)
{
	struct sse *c, *next;

	pthread_mutex_lock(&h->mu);
	for (c = h->waiting; c != NULL; c = next) {
		next = c->next_waiting;
		c->next_waiting = NULL;
		c->waiting = false;
		c->ping = c->ping || ping;
		c->ending = c->ending || end;
		MHD_resume_connection(c->conn);
	}
	h->waiting = NULL;
	pthread_mutex_unlock(&h->mu);
}

static void *
hub_main(void *arg)
{
	struct http_events *h = arg;
	int64_t last_ping = time_mono_ms();

	for (;;) {
		uint64_t n = app_log_wait(h->app, h->size, 1000), mine = 0;
		bool grew, ping;

		pthread_mutex_lock(&h->mu);
		if (h->stop) {
			pthread_mutex_unlock(&h->mu);
			break;
		}
		pthread_mutex_unlock(&h->mu);
		/* another process (the CLI) may have appended */
		if (n <= h->size && app_log_size(h->app, &mine) == 0 &&
		    mine > n)
			n = mine;
		grew = n > h->size;
		if (grew) {
			pthread_mutex_lock(&h->mu);
			h->size = n;
			pthread_mutex_unlock(&h->mu);
		}
		ping = time_mono_ms() - last_ping >= KEEPALIVE_MS;
		if (ping)
			last_ping = time_mono_ms();
		if (grew || ping)
			wake_all(h, ping, false);
	}
	return NULL;
}

static void
event_clear(struct event *ev)
{
	free(ev->text);
	free(ev->tlp);
	free(ev->party);
	json_decref(ev->recipients);
	memset(ev, 0, sizeof(*ev));
	ev->idx = UINT64_MAX;
}

/* Formats an entry into its slot of the ring (app_log_walk's callback). */
static int
event_put(void *ctx, uint64_t idx, const json_t *item,
          const struct app_label *l)
{
	struct event *ev = &((struct http_events *)ctx)->ring[idx % RING];
	char *data = jsonx_dump(item, NULL);
	struct buf b;

	event_clear(ev);
	buf_init(&b, OUT_CAP);
	if (buf_printf(&b, "id: %llu\nevent: entry\ndata: %s\n\n",
	               (unsigned long long)idx, data) != 0) {
		free(data);
		buf_free(&b);
		return -1;
	}
	free(data);
	ev->text = buf_take(&b, &ev->len);
	ev->tlp = l->tlp ? xstrdup(l->tlp) : NULL;
	ev->party = l->party ? xstrdup(l->party) : NULL;
	ev->owner = l->owner_user_id;
	ev->recipients = l->recipients ? json_deep_copy(l->recipients) : NULL;
	ev->idx = idx;
	return 0;
}

struct http_events *
http_events_start(struct app *app)
{
	struct http_events *h = xcalloc(1, sizeof(*h));

	h->app = app;
	pthread_mutex_init(&h->mu, NULL);
	pthread_mutex_init(&h->ring_mu, NULL);
	for (size_t i = 0; i < RING; i++)
		h->ring[i].idx = UINT64_MAX;
	if (app_log_size(app, &h->size) != 0 ||
	    pthread_create(&h->thread, NULL, hub_main, h) != 0) {
		pthread_mutex_destroy(&h->mu);
		pthread_mutex_destroy(&h->ring_mu);
		free(h);
		return NULL;
	}
	h->started = true;
	return h;
}

void
http_events_stop(struct http_events *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->mu);
	h->stop = true;
	pthread_mutex_unlock(&h->mu);
	pthread_join(h->thread, NULL);
	/* no connection may stay suspended when the daemon stops */
	wake_all(h, false, true);
}

void
http_events_free(struct http_events *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < RING; i++)
		event_clear(&h->ring[i]);
	pthread_mutex_destroy(&h->mu);
	pthread_mutex_destroy(&h->ring_mu);
	free(h);
}

/*
 * Copies the events of [c's cursor, size) that c may read, up to a chunk,
 * formatting into the ring those that no client has formatted yet.
 */
static int
fill(struct sse *c, uint64_t size)
{
	struct http_events *h = c->hub;

	if (size > c->next && size - c->next > MAX_LAG) {
		c->ending = true;
		return buf_printf(&c->out,
		                  "event: behind\ndata: {\"next\":%llu,"
		                  "\"size\":%llu}\n\n",
		                  (unsigned long long)c->next,
		                  (unsigned long long)size);
	}
	while (c->next < size && c->out.len < CHUNK_BYTES) {
		uint64_t end = size - c->next > CHUNK ? c->next + CHUNK : size;
		struct app_error e = {0};
		int rc = 0;

		pthread_mutex_lock(&h->ring_mu);
		for (; rc == 0 && c->next < end && c->out.len < CHUNK_BYTES;
		     c->next++) {
			const struct event *ev = &h->ring[c->next % RING];

			/* not formatted yet, or taken by an older entry for
			 * a client far behind: format the rest of the
			 * chunk */
			if (ev->idx != c->next) {
				rc = app_log_walk(c->app, c->next, end,
				                  event_put, h, &e);
				if (rc == 0 && ev->idx != c->next)
					rc = -1; /* cannot be: just made */
				if (rc != 0)
					break;
			}
			if (!app_readable_label(&c->rd, ev->tlp, ev->party,
			                        ev->owner, ev->recipients))
				continue; /* not the reader's to see */
			rc = buf_add(&c->out, ev->text, ev->len);
		}
		pthread_mutex_unlock(&h->ring_mu);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/*
 * The log's size as the hub saw it, or UINT64_MAX when the hub stops.
 * Read under the hub's lock, so that a client that saw no growth and then
 * suspends cannot miss the hub's wake-up in between.
 */
static uint64_t
hub_size(struct http_events *h)
{
	uint64_t n;

	pthread_mutex_lock(&h->mu);
	n = h->stop ? UINT64_MAX : h->size;
	pthread_mutex_unlock(&h->mu);
	return n;
}

static ssize_t
sse_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct sse *c = cls;
	struct http_events *h = c->hub;
	uint64_t size;
	size_t n;

	(void)pos;
	while (c->off == c->out.len) {
		buf_reset(&c->out);
		c->off = 0;
		if (c->ending || (size = hub_size(h)) == UINT64_MAX)
			return MHD_CONTENT_READER_END_OF_STREAM;
		if (size > c->next && fill(c, size) != 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (c->out.len == 0 && c->ping &&
		    buf_adds(&c->out, ": keepalive\n\n") != 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		c->ping = false;
		if (c->out.len > 0)
			break;
		/* nothing to send: wait for the hub, unless the log grew
		 * since the size was read */
		pthread_mutex_lock(&h->mu);
		if (h->stop || h->size > c->next) {
			pthread_mutex_unlock(&h->mu);
			continue;
		}
		MHD_suspend_connection(c->conn);
		c->waiting = true;
		c->next_waiting = h->waiting;
		h->waiting = c;
		pthread_mutex_unlock(&h->mu);
		return 0;
	}
	n = c->out.len - c->off < max ? c->out.len - c->off : max;
	memcpy(buf, c->out.data + c->off, n);
	c->off += n;
	return (ssize_t)n;
}

static void
sse_free(void *cls)
{
	struct sse *c = cls;
	struct http_events *h = c->hub;

	pthread_mutex_lock(&h->mu);
	if (c->waiting) {
		struct sse **p = &h->waiting;

		while (*p != NULL && *p != c)
			p = &(*p)->next_waiting;
		if (*p == c)
			*p = c->next_waiting;
	}
	pthread_mutex_unlock(&h->mu);
	buf_free(&c->out);
	free(c);
}

struct MHD_Response *
h_events(struct http_req *r, int *status)
{
	const char *last = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	                                               "Last-Event-ID");
	const union MHD_ConnectionInfo *ci;
	struct MHD_Response *resp;
	struct sse *c;
	uint64_t size = 0, id = 0;

	if (last == NULL)
		last = http_query(r, "last_event_id");
	if (app_log_size(r->app, &size) != 0)
		return http_problem(r, status, 503, "unavailable",
		                    "the log cannot be read");
	if (last != NULL && http_parse_u64(last, &id) != 0)
		return http_problem(r, status, 400, "validation",
		                    "Last-Event-ID must be the index of a log "
		                    "entry, a whole number");
	if (last != NULL && id >= size)
		return http_problem(
		    r, status, 400, "validation",
		    "Last-Event-ID %llu is beyond the log, which "
		    "has %llu entries",
		    (unsigned long long)id, (unsigned long long)size);
	c = xcalloc(1, sizeof(*c));
	c->hub = r->srv->events;
	c->app = r->app;
	c->conn = r->conn;
	app_reading_init(&c->rd, &r->actor);
	c->next = last != NULL ? id + 1 : size;
	buf_init(&c->out, OUT_CAP);
	/* the headers go at once, and the client knows when to retry */
	if (buf_adds(&c->out, "retry: 2000\n\n") != 0)
		abort(); /* 13 bytes under a cap of megabytes */
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024,
	                                         sse_read, c, sse_free);
	if (resp == NULL) {
		buf_free(&c->out);
		free(c);
		return http_problem(r, status, 503, "unavailable",
		                    "no memory for the stream");
	}
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	/* what a client that does not read can hold up: a small buffer */
	ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	if (ci != NULL) {
		int sz = SNDBUF;

		(void)setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &sz,
		                 sizeof(sz));
	}
	*status = 200;
	return resp;
}
