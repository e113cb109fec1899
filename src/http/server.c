/*
 * The libmicrohttpd server: one access handler that matches the route table,
 * collects a capped body, resolves the caller and calls the handler once the
 * whole request has arrived (libmicrohttpd calls the handler again for every
 * piece of body; the answer is queued only on the last call).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/csv.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "http/internal.h"
#include "http/media.h"

#define MAX_URL 2048

static const char *const json_only[] = {"application/json", NULL};

/* The media types of list, for a problem's detail. */
static const char *
media_list(const char *const *list, char *out, size_t outlen)
{
	size_t at = 0;

	out[0] = '\0';
	for (size_t i = 0; list[i] != NULL && at < outlen; i++)
		at += (size_t)snprintf(out + at, outlen - at, "%s%s",
		                       i == 0        ? ""
		                       : list[i + 1] ? ", "
		                                     : " or ",
		                       list[i]);
	return out;
}

/* Every event thread and worker has a read connection of its own, and a
 * few other threads may (the writer's is its own). */
_Static_assert(HTTP_MAX_THREADS + HTTP_MAX_WORKERS + 8 <= APP_MAX_READERS,
               "more server threads than read connections");
#define SESSION_COOKIE "detente_session"

static const char *const security_headers[][2] = {
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; "
     "img-src 'self' data:; connect-src 'self'; object-src 'none'; "
     "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
    {"Cross-Origin-Opener-Policy", "same-origin"},
    {"Cross-Origin-Resource-Policy", "same-origin"},
};

static const char *
status_title(int code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 409:
		return "Conflict";
	case 413:
		return "Content Too Large";
	case 414:
		return "URI Too Long";
	case 406:
		return "Not Acceptable";
	case 415:
		return "Unsupported Media Type";
	case 429:
		return "Too Many Requests";
	case 503:
		return "Service Unavailable";
	default:
		return code >= 500 ? "Internal Server Error" : "Error";
	}
}

static struct MHD_Response *
buffer_response(const char *data, size_t len, const char *ctype)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(
	    len, (void *)data, MHD_RESPMEM_MUST_COPY);

	MHD_add_response_header(resp, "Content-Type", ctype);
	return resp;
}

struct MHD_Response *
http_text(struct http_req *r, int *status, int code, const char *type,
          const char *text)
{
	(void)r;
	*status = code;
	return buffer_response(text, strlen(text), type);
}

struct MHD_Response *
http_redirect(struct http_req *r, int *status, int code, const char *location)
{
	json_t *doc = json_pack("{s:s}", "location", location);
	char *s = jsonx_dump(doc, NULL);
	struct MHD_Response *resp =
	    buffer_response(s, strlen(s), "application/json");

	(void)r;
	free(s);
	json_decref(doc);
	MHD_add_response_header(resp, "Location", location);
	*status = code;
	return resp;
}

/* Content-Disposition for a download: the path after /api/v1/, its
 * slashes as dashes ("instruments-a-res-73-27-vote.csv"). */
static void
add_disposition(struct http_req *r, struct MHD_Response *resp, const char *ext)
{
	const char *p =
	    strncmp(r->path, "/api/v1/", 8) == 0 ? r->path + 8 : r->path;
	char name[128], value[200];
	size_t n = 0;

	for (; *p && n < sizeof(name) - 1; p++)
		name[n++] = (*p >= 'a' && *p <= 'z') ||
		                    (*p >= 'A' && *p <= 'Z') ||
		                    (*p >= '0' && *p <= '9') || *p == '-'
		                ? *p
		                : '-';
	name[n] = '\0';
	snprintf(value, sizeof(value), "attachment; filename=\"%s.%s\"",
	         n ? name : "detente", ext);
	MHD_add_response_header(resp, "Content-Disposition", value);
}

/* Appends s percent-encoded (all but RFC 3986's unreserved characters). */
static int
add_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
			rc |= buf_add(b, p, 1);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};

			rc |= buf_add(b, e, 3);
		}
	}
	return rc;
}

/* Each query argument but after, as "key=value&". */
static enum MHD_Result
add_other_arg(void *cls, enum MHD_ValueKind kind, const char *key,
              const char *value)
{
	struct buf *b = cls;

	(void)kind;
	if (strcmp(key, "after") == 0)
		return MHD_YES;
	if (add_escaped(b, key) != 0 || buf_add(b, "=", 1) != 0 ||
	    add_escaped(b, value ? value : "") != 0 || buf_add(b, "&", 1) != 0)
		return MHD_NO;
	return MHD_YES;
}

/* The URL of the next page of a list, for a CSV's Link header. */
static void
add_next_link(struct http_req *r, struct MHD_Response *resp, const char *next)
{
	struct buf b;

	buf_init(&b, 8192);
	if (buf_printf(&b, "<%s?", r->path) != 0 ||
	    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
	                              add_other_arg, &b) < 0) {
		buf_free(&b);
		return;
	}
	if (buf_adds(&b, "after=") == 0 && add_escaped(&b, next) == 0 &&
	    buf_adds(&b, ">; rel=\"next\"") == 0)
		MHD_add_response_header(resp, "Link", b.data);
	buf_free(&b);
}

/* A list as CSV: its items, with the handler's columns first. */
static struct MHD_Response *
csv_answer(struct http_req *r, int *status, json_t *doc)
{
	const json_t *rows =
	    json_is_array(doc) ? doc : json_object_get(doc, "items");
	const char *next = json_string_value(json_object_get(doc, "next"));
	struct MHD_Response *resp;
	size_t len = 0;
	char *s = csv_encode(rows, r->csv_columns, &len);

	if (s == NULL) {
		json_decref(doc);
		return http_problem(r, status, 413, "too-large",
		                    "the answer is too large for CSV: ask for "
		                    "fewer rows (limit)");
	}
	resp =
	    buffer_response(s, len, "text/csv; charset=utf-8; header=present");
	free(s);
	if (r->download)
		add_disposition(r, resp, "csv");
	if (next != NULL)
		add_next_link(r, resp, next);
	json_decref(doc);
	*status = 200;
	return resp;
}

/* The answer for a JSON body with its strong validator: 304 when the
 * client has it already. */
static struct MHD_Response *
json_answer(struct http_req *r, int *status, const char *s, size_t len,
            const char etag[40])
{
	const char *inm = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	                                              "If-None-Match");
	struct MHD_Response *resp;

	if (inm != NULL && strstr(inm, etag) != NULL) {
		*status = 304;
		resp = MHD_create_response_from_buffer(0, NULL,
		                                       MHD_RESPMEM_PERSISTENT);
	} else {
		*status = 200;
		resp = buffer_response(
		    s, len, r->media ? r->media : "application/json");
		if (r->download)
			add_disposition(r, resp, "json");
	}
	MHD_add_response_header(resp, "ETag", etag);
	return resp;
}

static void cache_put(struct http_req *r, const char *body, size_t len,
                      const char etag[40]);

struct MHD_Response *
http_json(struct http_req *r, int *status, int code, json_t *doc)
{
	size_t len;
	char *s;
	struct MHD_Response *resp;

	if (code == 200 && http_wants_csv(r))
		return csv_answer(r, status, doc);
	s = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);
	json_decref(doc);
	if (s == NULL)
		abort();
	len = strlen(s);
	*status = code;
	if (code == 200 &&
	    (strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0)) {
		/* A strong validator: the hash of the bytes we would send. */
		uint8_t h[16];
		char etag[40];
		char *hex;

		crypto_generichash(h, sizeof(h), (const uint8_t *)s, len, NULL,
		                   0);
		hex = enc_hex_new(h, sizeof(h));
		snprintf(etag, sizeof(etag), "\"%s\"", hex);
		free(hex);
		if (r->cache_key != NULL)
			cache_put(r, s, len, etag);
		resp = json_answer(r, status, s, len, etag);
	} else {
		resp = buffer_response(
		    s, len, r->media ? r->media : "application/json");
	}
	free(s);
	return resp;
}

struct MHD_Response *
http_problem(struct http_req *r, int *status, int code, const char *type,
             const char *fmt, ...)
{
	char detail[600];
	char *ptype, *instance;
	va_list ap;
	json_t *doc;
	size_t len;
	char *s;
	struct MHD_Response *resp;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	/* The detail and the path may echo input, or be cut mid-character. */
	jsonx_utf8_clean(detail);
	instance = jsonx_utf8_clean(xstrdup(r->path ? r->path : "/"));
	ptype = xasprintf("urn:detente:problem:%s", type);
	doc = json_pack("{s:s,s:s,s:i,s:s,s:s}", "type", ptype, "title",
	                status_title(code), "status", code, "detail", detail,
	                "instance", instance);
	free(ptype);
	free(instance);
	if (doc == NULL) {
		fprintf(stderr, "detente: cannot build a problem document\n");
		abort();
	}
	s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	len = strlen(s);
	resp = buffer_response(s, len, "application/problem+json");
	free(s);
	*status = code;
	return resp;
}

struct MHD_Response *
http_store_failed(struct http_req *r, int *status, struct store *st)
{
	return http_problem(r, status, 503, "unavailable",
	                    "the database cannot be read: %s",
	                    st ? store_errmsg(st) : "no connection");
}

struct MHD_Response *
http_app_problem(struct http_req *r, int *status, const struct app_error *e)
{
	return http_problem(r, status, e->status ? e->status : 500,
	                    e->type ? e->type : "internal", "%s", e->detail);
}

int
http_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9' || (s[0] == '0' && s[1] != '\0'))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > (1ULL << 63))
		return -1;
	*out = v;
	return 0;
}

const char *
http_query(struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	                                   name);
}

int
http_limit(struct http_req *r, int dflt, int max)
{
	const char *s = http_query(r, "limit");
	char *end;
	long v;

	if (s == NULL)
		return dflt;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 1 || v > max)
		return -1;
	return (int)v;
}

/*
 * Matches path against a pattern with {} segments, filling params; a final
 * {*} takes the rest of the path, slashes and all (an instrument's symbol,
 * "A/RES/73/27").
 */
static bool
match(const char *pattern, const char *path, struct http_req *r)
{
	const char *p = pattern, *q = path;
	size_t used = 0;
	int n = 0;

	while (*p && *q) {
		bool rest =
		    p[0] == '{' && p[1] == '*' && p[2] == '}' && p[3] == '\0';

		if ((p[0] == '{' && p[1] == '}') || rest) {
			const char *end = rest ? NULL : strchr(q, '/');
			size_t len = end ? (size_t)(end - q) : strlen(q);

			if (len == 0 || n == HTTP_MAX_PARAMS ||
			    used + len + 1 > sizeof(r->param_buf))
				return false;
			memcpy(r->param_buf + used, q, len);
			r->param_buf[used + len] = '\0';
			r->params[n++] = r->param_buf + used;
			used += len + 1;
			p += rest ? 3 : 2;
			q += len;
			continue;
		}
		if (*p != *q)
			return false;
		p++;
		q++;
	}
	return *p == '\0' && *q == '\0';
}

/* The route for method and path; *path_known when another method fits. */
static const struct http_route *
find_route(struct http_req *r, const char *method, bool *path_known,
           char *allow, size_t allowlen)
{
	const struct http_route *found = NULL;
	const char *m = strcmp(method, "HEAD") == 0 ? "GET" : method;

	*path_known = false;
	allow[0] = '\0';
	for (const struct http_route *rt = http_routes; rt->method; rt++) {
		if (!match(rt->pattern, r->path, r))
			continue;
		*path_known = true;
		if (strlen(allow) + strlen(rt->method) + 3 < allowlen) {
			if (allow[0])
				strcat(allow, ", ");
			strcat(allow, rt->method);
		}
		if (found == NULL && strcmp(rt->method, m) == 0)
			found = rt;
	}
	if (found != NULL)
		match(found->pattern, r->path, r);
	return found;
}

/* Whether a route can answer CSV (and so takes ?format=). */
static bool
makes_csv(const struct http_route *rt)
{
	for (const char *const *m = rt->produces; m != NULL && *m != NULL; m++)
		if (http_media_is(*m, "text/csv"))
			return true;
	return false;
}

bool
http_wants_csv(const struct http_req *r)
{
	return r->media != NULL && http_media_is(r->media, "text/csv");
}

static enum MHD_Result
check_query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                const char *value)
{
	struct http_req *r = cls;
	const char *allowed = r->route->query ? r->route->query : "";
	size_t klen = strlen(key);
	const char *p = allowed;

	(void)kind;
	(void)value;
	if (strcmp(key, "format") == 0 && makes_csv(r->route))
		return MHD_YES;
	while ((p = strstr(p, key)) != NULL) {
		if ((p == allowed || p[-1] == ',') &&
		    (p[klen] == ',' || p[klen] == '\0'))
			return MHD_YES;
		p += klen;
	}
	snprintf(r->bad_query, sizeof(r->bad_query), "%.100s", key);
	return MHD_NO;
}

static enum MHD_Result
first_arg(void *cls, enum MHD_ValueKind kind, const char *key,
          const char *value)
{
	struct http_req *r = cls;

	(void)kind;
	(void)value;
	snprintf(r->bad_query, sizeof(r->bad_query), "%.100s", key);
	return MHD_NO;
}

/* Resolves the caller from a bearer token or the session cookie. */
static void
authenticate(struct http_req *r)
{
	const char *authz = MHD_lookup_connection_value(
	    r->conn, MHD_HEADER_KIND, "Authorization");
	const char *cookie;

	memset(&r->actor, 0, sizeof(r->actor));
	if (authz != NULL && strncmp(authz, "Bearer ", 7) == 0) {
		r->authenticated =
		    app_auth_token(r->app, authz + 7, &r->actor) == 0;
		return;
	}
	cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND,
	                                     SESSION_COOKIE);
	if (cookie != NULL &&
	    app_auth_session(r->app, cookie, &r->actor, r->csrf) == 0) {
		r->authenticated = true;
		r->via_session = true;
	}
}

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct buf *b = cls;

	(void)kind;
	/* An over-long key is not cached; buf_add refuses it whole. */
	if (buf_printf(b, "%s%s=%s", b->len ? "&" : "?", key,
	               value ? value : "") != 0)
		return MHD_NO;
	return MHD_YES;
}

/*
 * Prepares the cache key (the URL with its query) and the log's size for a
 * cacheable GET.  Returns whether the cache may answer or be filled.
 */
static bool
cache_lookup(struct http_req *r)
{
	struct buf b;
	uint64_t size;

	if ((strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) ||
	    app_log_size(r->app, &size) != 0)
		return false;
	buf_init(&b, 4096);
	if (buf_adds(&b, r->path) != 0 ||
	    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg,
	                              &b) < 0) {
		buf_free(&b);
		return false;
	}
	r->cache_key = buf_take(&b, NULL);
	r->cache_size = size;
	return true;
}

/*
 * The answer cache holds an answer under the class of readers it is right
 * for (app_reading_class): everyone, the reader's role and party, or the
 * reader alone.  A reader takes the first of the three that is there.
 */
static bool
cache_key_of(const struct http_req *r, enum app_class c, char *out, size_t n)
{
	char cls[96];
	int w;

	if (app_reading_class(&r->reading, c, cls, sizeof(cls)) != 0)
		return false;
	w = snprintf(out, n, "%s %s", cls, r->cache_key);
	return w >= 0 && (size_t)w < n;
}

static void
cache_put(struct http_req *r, const char *body, size_t len, const char etag[40])
{
	char key[4200];

	if (cache_key_of(r, r->reading.depends, key, sizeof(key)))
		http_cache_put(key, r->cache_size, body, len, etag);
}

static bool
cache_get(struct http_req *r, char **body, size_t *len, char etag[40])
{
	char key[4200];

	for (int c = APP_CLASS_PUBLIC; c <= APP_CLASS_USER; c++)
		if (cache_key_of(r, (enum app_class)c, key, sizeof(key)) &&
		    http_cache_get(key, r->cache_size, body, len, etag))
			return true;
	return false;
}

static struct MHD_Response *
answer_as_reader(struct http_req *r, int *status)
{
	struct MHD_Response *resp;

	(void)app_read_as(r->app, &r->reading);
	resp = r->route->handler(r, status);
	(void)app_read_as(r->app, NULL);
	return resp;
}

static struct MHD_Response *
dispatch(struct http_req *r, int *status)
{
	bool path_known;
	char allow[64];
	const union MHD_ConnectionInfo *ci;

	if (r->body_too_big)
		return http_problem(r, status, 413, "too-large",
		                    "the body is larger than %zu bytes",
		                    r->route ? r->route->body_cap : 0);
	if (r->route == NULL) {
		r->route =
		    find_route(r, r->method, &path_known, allow, sizeof(allow));
		if (r->route == NULL && path_known) {
			struct MHD_Response *resp = http_problem(
			    r, status, 405, "method-not-allowed",
			    "%s is not allowed here; use %s", r->method, allow);
			MHD_add_response_header(resp, "Allow", allow);
			return resp;
		}
		if (r->route == NULL) {
			if (strncmp(r->path, "/api/", 5) == 0)
				return http_problem(r, status, 404, "not-found",
				                    "no such resource: %.200s",
				                    r->path);
			if (strcmp(r->method, "GET") == 0 ||
			    strcmp(r->method, "HEAD") == 0)
				return http_static(r, status);
			{
				struct MHD_Response *resp = http_problem(
				    r, status, 405, "method-not-allowed",
				    "%s is not allowed here; use GET or HEAD",
				    r->method);

				MHD_add_response_header(resp, "Allow",
				                        "GET, HEAD");
				return resp;
			}
		}
	}
	/* The iterator's count says nothing of a refusal: the callback
	 * names the first unknown parameter in bad_query. */
	r->bad_query[0] = '\0';
	if (r->route->query == NULL && !makes_csv(r->route))
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
		                          first_arg, r);
	else
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND,
		                          check_query_arg, r);
	if (r->bad_query[0] != '\0')
		return http_problem(r, status, 400, "validation",
		                    "unknown query parameter \"%s\"",
		                    r->bad_query);
	ci = MHD_get_connection_info(r->conn,
	                             MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
			          &((const struct sockaddr_in *)sa)->sin_addr,
			          r->address, sizeof(r->address));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
			          &((const struct sockaddr_in6 *)sa)->sin6_addr,
			          r->address, sizeof(r->address));
	}
	authenticate(r);
	if (r->route->auth == AUTH_REQUIRED && !r->authenticated)
		return http_problem(r, status, 401, "unauthorized",
		                    "sign in or send a bearer token");
	if (r->via_session && strcmp(r->method, "GET") != 0 &&
	    strcmp(r->method, "HEAD") != 0 &&
	    strcmp(r->route->pattern, "/api/v1/session") != 0) {
		const char *t = MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, "X-CSRF-Token");

		if (t == NULL || strlen(t) != 64 ||
		    sodium_memcmp(t, r->csrf, 64) != 0)
			return http_problem(r, status, 403, "csrf",
			                    "a write with a session needs the "
			                    "X-CSRF-Token header");
	}
	if (r->route->body_cap > 0 && strcmp(r->method, "DELETE") != 0) {
		const char *const *takes =
		    r->route->consumes ? r->route->consumes : json_only;
		const char *ct = MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, "Content-Type");
		char err[300], list[200];
		size_t i;

		for (i = 0; takes[i] != NULL; i++)
			if (http_media_is(ct, takes[i]))
				break;
		if (takes[i] == NULL)
			return http_problem(
			    r, status, 415, "media-type", "send the body as %s",
			    media_list(takes, list, sizeof(list)));
		if (jsonx_parse(r->body.data ? r->body.data : "", r->body.len,
		                JSONX_MAX_DEPTH, &r->json, err,
		                sizeof(err)) != 0)
			return http_problem(r, status, 400, "malformed", "%s",
			                    err);
		if (!json_is_object(r->json))
			return http_problem(r, status, 400, "malformed",
			                    "the body must be a JSON object");
	} else if (r->unexpected_body) {
		return http_problem(r, status, 400, "validation",
		                    "this request takes no body");
	}
	{
		const char *const *makes =
		    r->route->produces ? r->route->produces : json_only;
		const char *format =
		    makes_csv(r->route) ? http_query(r, "format") : NULL;
		char list[200];

		/* ?format= chooses the type, over Accept, and asks for a
		 * file to save */
		if (format != NULL && strcmp(format, "csv") != 0 &&
		    strcmp(format, "json") != 0)
			return http_problem(r, status, 400, "validation",
			                    "format must be csv or json");
		r->download = format != NULL;
		r->media =
		    format != NULL
		        ? (format[0] == 'c' ? "text/csv" : "application/json")
		        : http_media_choose(
		              MHD_lookup_connection_value(
		                  r->conn, MHD_HEADER_KIND, "Accept"),
		              makes);
		if (r->media == NULL)
			return http_problem(
			    r, status, 406, "not-acceptable",
			    "this resource is served as %s, which the Accept "
			    "header does not take",
			    media_list(makes, list, sizeof(list)));
	}
	/* the reader's view, which the cache keys on and the handler reads
	 * through */
	app_reading_init(&r->reading, &r->actor);
	if (r->route->cacheable && !http_wants_csv(r) && cache_lookup(r)) {
		struct MHD_Response *resp;
		char *body = NULL;
		size_t len = 0;
		char etag[40];

		if (cache_get(r, &body, &len, etag)) {
			resp = json_answer(r, status, body, len, etag);
			free(body);
			return resp;
		}
	}
	return answer_as_reader(r, status);
}

static void
add_headers(struct http_req *r, struct MHD_Response *resp, int status)
{
	for (size_t i = 0;
	     i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
		MHD_add_response_header(resp, security_headers[i][0],
		                        security_headers[i][1]);
	if (r->srv->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security",
		                        "max-age=31536000");
	if (strncmp(r->path, "/api/", 5) == 0 &&
	    MHD_get_response_header(resp, "Cache-Control") == NULL)
		MHD_add_response_header(resp, "Cache-Control",
		                        r->authenticated || status >= 400
		                            ? "private, no-cache"
		                            : "no-cache");
	if (r->set_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", r->set_cookie);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
           const char *method, const char *version, const char *upload,
           size_t *upload_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct http_req *r = *con_cls;
	struct MHD_Response *resp;
	int status = 500;
	enum MHD_Result ret;

	(void)version;
	if (r == NULL) {
		bool path_known;
		char allow[64];
		const char *cl;

		r = xcalloc(1, sizeof(*r));
		r->srv = srv;
		r->app = srv->app;
		r->conn = conn;
		r->method = method;
		r->path = url;
		buf_init(&r->body, 1);
		*con_cls = r;
		if (strlen(url) > MAX_URL) {
			resp = http_problem(r, &status, 414, "uri-too-long",
			                    "the URL is longer than %d bytes",
			                    MAX_URL);
			goto respond;
		}
		r->route =
		    find_route(r, method, &path_known, allow, sizeof(allow));
		if (r->route != NULL && r->route->body_cap > 0)
			buf_init(&r->body, r->route->body_cap);
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		                                 "Content-Length");
		if (cl != NULL && r->route != NULL &&
		    strtoull(cl, NULL, 10) >
		        (r->route->body_cap ? r->route->body_cap : 0) &&
		    r->route->body_cap > 0) {
			r->body_too_big = true;
			resp = dispatch(r, &status);
			goto respond;
		}
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (r->route == NULL || r->route->body_cap == 0) {
			r->unexpected_body = true;
		} else if (!r->body_too_big &&
		           buf_add(&r->body, upload, *upload_size) != 0) {
			r->body_too_big = true;
			buf_free(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->answered) { /* a worker answered it; resumed */
		if (r->answer == NULL)
			return MHD_NO; /* no memory for an answer: close */
		resp = r->answer;
		status = r->answer_status;
		r->answer = NULL;
		goto respond;
	}
	if (!r->on_event_thread && r->route != NULL &&
	    strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		/* Suspended before it is queued: a worker resumes it. */
		MHD_suspend_connection(conn);
		if (http_workers_push(srv->workers, r))
			return MHD_YES;
		r->on_event_thread = true; /* stopping: called again here */
		MHD_resume_connection(conn);
		return MHD_YES;
	}
	resp = dispatch(r, &status);
respond:
	add_headers(r, resp, status);
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct http_req *r = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (r == NULL)
		return;
	if (r->answer != NULL)
		MHD_destroy_response(r->answer);
	buf_free(&r->body);
	json_decref(r->json);
	free(r->set_cookie);
	free(r->cache_key);
	free(r);
	*con_cls = NULL;
}

static char *
read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL) {
		snprintf(err, errlen, "cannot read %s", path);
		return NULL;
	}
	buf_init(&b, 1 << 20);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (buf_add(&b, chunk, n) != 0) {
			snprintf(err, errlen, "%s is too large", path);
			fclose(f);
			buf_free(&b);
			return NULL;
		}
	fclose(f);
	return buf_take(&b, NULL);
}

static bool
is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0 ||
	       strcmp(addr, "localhost") == 0;
}

struct http_server *
http_start(struct app *app, const struct http_options *o, char *err,
           size_t errlen)
{
	struct http_server *srv = xcalloc(1, sizeof(*srv));
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	const struct sockaddr *sa;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_USE_TURBO | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	unsigned threads = o->threads ? o->threads : 4;
	char *cert = NULL, *key = NULL;
	const union MHD_DaemonInfo *info;
	bool v6 = strchr(o->address, ':') != NULL;

	srv->app = app;
	srv->web_dir = xstrdup(o->web_dir);
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		snprintf(err, errlen, "give both --tls-cert and --tls-key");
		goto fail;
	}
	if (!is_loopback(o->address) && o->tls_cert == NULL &&
	    !o->behind_proxy) {
		snprintf(err, errlen,
		         "refusing to serve %s without TLS: give --tls-cert "
		         "and --tls-key, or --behind-proxy when a proxy "
		         "terminates TLS",
		         o->address);
		goto fail;
	}
	if (v6) {
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons(o->port);
		if (inet_pton(AF_INET6, o->address, &sin6.sin6_addr) != 1) {
			snprintf(err, errlen, "bad address %s", o->address);
			goto fail;
		}
		sa = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons(o->port);
		if (inet_pton(AF_INET,
		              strcmp(o->address, "localhost") == 0 ? "127.0.0.1"
		                                                   : o->address,
		              &sin.sin_addr) != 1) {
			snprintf(err, errlen, "bad address %s", o->address);
			goto fail;
		}
		sa = (const struct sockaddr *)&sin;
	}
	if (o->tls_cert != NULL) {
		if ((cert = read_file(o->tls_cert, err, errlen)) == NULL ||
		    (key = read_file(o->tls_key, err, errlen)) == NULL)
			goto fail;
		flags |= MHD_USE_TLS;
		srv->tls = true;
	}
	/* Enough writers that every event thread's clients can be verifying
	 * while a commit waits for the disk; with the event threads, fewer
	 * than the app's read connections. */
	srv->events = http_events_start(app);
	if (srv->events == NULL) {
		snprintf(err, errlen, "cannot start the event stream");
		goto fail;
	}
	srv->workers = http_workers_start(
	    4 * threads < HTTP_MAX_WORKERS ? 4 * threads : HTTP_MAX_WORKERS,
	    dispatch);
	if (srv->workers == NULL) {
		snprintf(err, errlen, "cannot start a thread");
		goto fail;
	}
	srv->daemon = MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, srv, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	    srv->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
	    MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (key != NULL) {
		sodium_memzero(key, strlen(key));
		free(key);
		key = NULL;
	}
	free(cert);
	cert = NULL;
	if (srv->daemon == NULL) {
		snprintf(err, errlen, "cannot listen on %s port %u", o->address,
		         o->port);
		goto fail;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : o->port;
	return srv;
fail:
	http_events_stop(srv->events);
	http_events_free(srv->events);
	http_workers_stop(srv->workers);
	free(cert);
	free(key);
	free(srv->web_dir);
	free(srv);
	return NULL;
}

uint16_t
http_port(const struct http_server *s)
{
	return s->port;
}

void
http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* No connection may stay suspended when the daemon stops. */
	http_events_stop(s->events);
	http_workers_stop(s->workers);
	MHD_stop_daemon(s->daemon);
	http_events_free(s->events);
	free(s->web_dir);
	free(s);
}
