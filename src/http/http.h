/*
 * The HTTP edge: libmicrohttpd with a thread pool, a route table, and the
 * checks every request passes before a handler sees it (route, method, body
 * cap, JSON caps, authentication, CSRF).
 */
#ifndef DETENTE_HTTP_HTTP_H
#define DETENTE_HTTP_HTTP_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

/* Event threads at most; writes run on up to HTTP_MAX_WORKERS more. */
#define HTTP_MAX_THREADS 64
#define HTTP_MAX_WORKERS 32

struct http_options {
	const char *address;  /* "127.0.0.1" */
	uint16_t port;        /* 0: pick a free one */
	const char *web_dir;  /* static files of the UI */
	const char *tls_cert; /* PEM file, or NULL */
	const char *tls_key;
	bool behind_proxy; /* trust that a proxy terminates TLS */
	unsigned threads;  /* event threads, 1..HTTP_MAX_THREADS; 0: 4 */
};

struct http_server;

/*
 * Starts serving.  Refuses (NULL, with err) a non-loopback address unless
 * TLS is configured or behind_proxy is set.
 */
struct http_server *http_start(struct app *app, const struct http_options *o,
                               char *err, size_t errlen);
uint16_t http_port(const struct http_server *s);
void http_stop(struct http_server *s);

#endif
