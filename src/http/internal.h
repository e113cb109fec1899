/* What handlers share: the request, and how to answer it. */
#ifndef DETENTE_HTTP_INTERNAL_H
#define DETENTE_HTTP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <microhttpd.h>

#include "app/app.h"
#include "base/buf.h"
#include "http/http.h"

#define HTTP_MAX_PARAMS 4

enum http_auth {
	AUTH_NONE,     /* public; an actor is still resolved if present */
	AUTH_REQUIRED, /* 401 without a valid session or token */
};

struct http_req;
typedef struct MHD_Response *(*http_handler)(struct http_req *r, int *status);

struct http_route {
	const char *method;  /* "GET", "POST", "DELETE" */
	const char *pattern; /* "/api/v1/parties/{}" */
	size_t body_cap;     /* 0: no body allowed */
	enum http_auth auth;
	const char *query; /* allowed query parameters, comma-separated */
	http_handler handler;
	bool cacheable; /* an answer that depends only on the log and on
	                 * the reader's class (app_reading) */
	/* Media types of the body it takes and of the answers it makes,
	 * NULL-terminated, in order of preference; NULL: application/json.
	 * Others are refused with 415 and 406. */
	const char *const *consumes;
	const char *const *produces;
};

struct http_req {
	struct http_server *srv;
	struct app *app;
	struct MHD_Connection *conn;
	const struct http_route *route;
	const char *method;
	const char *path;
	const char *params[HTTP_MAX_PARAMS];
	char param_buf[512];
	struct buf body;
	bool body_too_big;
	bool unexpected_body;
	char bad_query[101]; /* an unknown query parameter, or "" */
	json_t *json;        /* the parsed body, when the route takes one */
	struct app_actor actor;
	struct app_reading reading; /* the actor's view, for this answer */
	bool authenticated;
	bool via_session;
	char csrf[65];
	char *set_cookie; /* a Set-Cookie header to add, or NULL */
	char address[64];
	const char *media; /* the answer's media type, as negotiated */
	bool download;     /* ?format= asked for a file to save */
	const char *const *csv_columns; /* a list's columns, for CSV */
	char *cache_key;     /* set for a cacheable GET: its URL; the key
	                      * adds the class of readers it is right for */
	uint64_t cache_size; /* the log's size when the answer was made */
	/* A write answered by a worker (workers.c): */
	struct http_req *next_job;   /* in the workers' queue */
	struct MHD_Response *answer; /* its answer, once made */
	int answer_status;
	bool answered; /* a worker is done with it (answer may be NULL) */
	bool on_event_thread; /* the workers stop: answer it here */
};

/* The write workers (workers.c). */
struct http_workers;
struct http_workers *http_workers_start(unsigned n, http_handler answer);
/* Queues r for a worker; false when the workers are stopping. */
bool http_workers_push(struct http_workers *w, struct http_req *r);
/* Answers what is queued, then stops the workers. */
void http_workers_stop(struct http_workers *w);

/* The live event stream's hub (h_events.c). */
struct http_events;
struct http_events *http_events_start(struct app *app);
/* Stops the hub and ends every waiting stream (before the daemon stops). */
void http_events_stop(struct http_events *h);
void http_events_free(struct http_events *h);

struct http_server {
	struct MHD_Daemon *daemon;
	struct http_workers *workers;
	struct http_events *events;
	struct app *app;
	char *web_dir;
	bool tls;
	uint16_t port;
};

/* Answers: each returns a response and sets *status. */
struct MHD_Response *http_json(struct http_req *r, int *status, int code,
                               json_t *doc);
struct MHD_Response *http_problem(struct http_req *r, int *status, int code,
                                  const char *type, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
struct MHD_Response *http_app_problem(struct http_req *r, int *status,
                                      const struct app_error *e);
/* 503: the database cannot be read (st may be NULL: no connection). */
struct MHD_Response *http_store_failed(struct http_req *r, int *status,
                                       struct store *st);
struct MHD_Response *http_text(struct http_req *r, int *status, int code,
                               const char *type, const char *text);
struct MHD_Response *http_static(struct http_req *r, int *status);
/* Whether the answer is CSV (?format=csv, or Accept: text/csv). */
bool http_wants_csv(const struct http_req *r);
/* A redirect (301, 308) to location, a path of this server. */
struct MHD_Response *http_redirect(struct http_req *r, int *status, int code,
                                   const char *location);

/* The answer cache (cache.c): entries are valid while the log keeps the
 * size they were made at. */
bool http_cache_get(const char *key, uint64_t size, char **body, size_t *len,
                    char etag[40]);
void http_cache_put(const char *key, uint64_t size, const char *body,
                    size_t len, const char etag[40]);
void http_cache_clear(void);

/* Parses a log index or size: decimal, no sign or leading zeros, at most
 * 2^63.  Returns 0, or -1 for anything else (NULL too). */
__attribute__((warn_unused_result)) int http_parse_u64(const char *s,
                                                       uint64_t *out);

/* A query parameter, or NULL. */
const char *http_query(struct http_req *r, const char *name);
/* Parses limit (1..max, default dflt); returns -1 for a bad value. */
int http_limit(struct http_req *r, int dflt, int max);

/* The route table, defined in routes.c. */
extern const struct http_route http_routes[];

#endif
