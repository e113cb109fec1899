/*
 * Negotiation's resources: the forums that negotiate here, their documents
 * (the text of any revision, the diff of two, the amendments, the print
 * and plain-text layouts), and their decisions (the stances, the
 * explanations of vote and, once closed, the outcome and every party's
 * vote).  Every read goes through the request's reading: a ballot is the
 * delegate's own until the close, whatever the route.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "core/negotiation.h"
#include "core/schema.h"
#include "http/handlers.h"

static const char *const forum_cols[] = {
    "id",    "name",  "kind",      "membership", "decision_rule",
    "chair", "seats", "documents", "practice",   NULL};
static const char *const amendment_cols[] = {
    "id",          "revision", "paragraph", "action", "text", "party",
    "explanation", "status",   "reason",    "time",   NULL};
static const char *const vote_cols[] = {"party", "name",    "vote",
                                        "time",  "log_idx", NULL};

/*
 * The row of q for the path's id (a log index when numeric, else a slug),
 * or an answer: 404 naming what, or 503.
 */
static struct MHD_Response *
row_or_404(struct http_req *r, int *status, json_t **out,
           enum store_neg_query q, const char *what, bool numeric)
{
	struct store *st = app_reader(r->app);
	const char *id = r->params[0];
	uint64_t n = 0;
	enum store_err e;

	*out = NULL;
	if (st == NULL)
		return http_store_failed(r, status, st);
	if (numeric ? http_parse_u64(id, &n) != 0 || n == 0
	            : !schema_is_slug(id))
		return http_problem(r, status, 404, "not-found", "no %s %.64s",
		                    what, id);
	e = numeric ? store_neg_row(st, out, q, "i", (int64_t)n)
	            : store_neg_row(st, out, q, "s", id);
	if (e == STORE_NOTFOUND)
		return http_problem(r, status, 404, "not-found", "no %s %.64s",
		                    what, id);
	if (e != STORE_OK)
		return http_store_failed(r, status, st);
	return NULL;
}

/* Adds the rows of q for key (or, when NULL, n) as member name of obj.
 * Returns -1 on failure. */
static int
add_rows(struct store *st, json_t *obj, const char *name,
         enum store_neg_query q, const char *key, int64_t n)
{
	json_t *rows = NULL;
	enum store_err e = key ? store_neg_rows(st, &rows, q, "s", key)
	                       : store_neg_rows(st, &rows, q, "i", n);

	if (e != STORE_OK)
		return -1;
	json_object_set_new(obj, name, rows);
	return 0;
}

struct MHD_Response *
h_negotiations(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *items = NULL;

	r->csv_columns = forum_cols;
	if (st == NULL ||
	    store_neg_rows(st, &items, STORE_NEG_FORUMS, "") != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200,
	                 json_pack("{s:o,s:n}", "items", items, "next"));
}

struct MHD_Response *
h_negotiation(struct http_req *r, int *status)
{
	const char *id = r->params[0];
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *f;

	if ((res = row_or_404(r, status, &f, STORE_NEG_FORUM_GET,
	                      "negotiating forum", false)) != NULL)
		return res;
	if (add_rows(st, f, "seats", STORE_NEG_SEATS, id, 0) != 0 ||
	    add_rows(st, f, "documents", STORE_NEG_FORUM_DOCS, id, 0) != 0 ||
	    add_rows(st, f, "decisions", STORE_NEG_FORUM_DECS, id, 0) != 0 ||
	    add_rows(st, f, "history", STORE_NEG_FORUM_EVENTS, id, 0) != 0) {
		json_decref(f);
		return http_store_failed(r, status, st);
	}
	return http_json(r, status, 200, f);
}

/* The revision ?name asks for (default: the current one), or -1 with an
 * answer in *res. */
static int64_t
revision_asked(struct http_req *r, int *status, const char *name,
               const json_t *doc, struct MHD_Response **res)
{
	const char *v = http_query(r, name);
	int64_t cur = jsonx_int(doc, "revision", 0);
	uint64_t n;

	*res = NULL;
	if (v == NULL)
		return cur;
	if (http_parse_u64(v, &n) != 0 || n > (uint64_t)cur) {
		*res = http_problem(r, status, 400, "validation",
		                    "%s must be a revision of this document, "
		                    "0 to %lld",
		                    name, (long long)cur);
		return -1;
	}
	return (int64_t)n;
}

/* The document and the text of the revision ?revision asks for. */
static struct MHD_Response *
document_and_text(struct http_req *r, int *status, json_t **doc, json_t **text,
                  int64_t *rev)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *row = NULL;

	*text = NULL;
	if ((res = row_or_404(r, status, doc, STORE_NEG_DOC_GET, "document",
	                      false)) != NULL)
		return res;
	*rev = revision_asked(r, status, "revision", *doc, &res);
	if (res != NULL || store_neg_row(st, &row, STORE_NEG_REV_GET, "si",
	                                 r->params[0], *rev) != STORE_OK) {
		json_decref(*doc);
		*doc = NULL;
		return res ? res : http_store_failed(r, status, st);
	}
	*text = json_incref(json_object_get(row, "paragraphs"));
	json_object_set(*doc, "text_time", json_object_get(row, "time"));
	json_decref(row);
	return NULL;
}

struct MHD_Response *
h_document(struct http_req *r, int *status)
{
	const char *id = r->params[0];
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *doc, *text;
	int64_t rev;

	if ((res = document_and_text(r, status, &doc, &text, &rev)) != NULL)
		return res;
	json_object_set_new(doc, "shown_revision", json_integer(rev));
	/* who may open a decision on it: the forum's chair */
	{
		json_t *f = NULL;

		if (store_neg_row(st, &f, STORE_NEG_FORUM_GET, "s",
		                  jsonx_str(doc, "forum")) == STORE_OK)
			json_object_set(doc, "chair",
			                json_object_get(f, "chair"));
		json_decref(f);
	}
	json_object_set_new(doc, "paragraphs", text);
	if (add_rows(st, doc, "revisions", STORE_NEG_REVS, id, 0) != 0 ||
	    add_rows(st, doc, "amendments", STORE_NEG_AMENDS, id, 0) != 0 ||
	    add_rows(st, doc, "decisions", STORE_NEG_DOC_DECS, id, 0) != 0 ||
	    add_rows(st, doc, "submissions", STORE_NEG_SUBMISSIONS, id, 0) !=
	        0 ||
	    add_rows(st, doc, "history", STORE_NEG_DOC_EVENTS, id, 0) != 0) {
		json_decref(doc);
		return http_store_failed(r, status, st);
	}
	return http_json(r, status, 200, doc);
}

struct MHD_Response *
h_document_diff(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *doc, *a = NULL, *b = NULL, *diff, *out;
	int64_t from, to;

	if ((res = row_or_404(r, status, &doc, STORE_NEG_DOC_GET, "document",
	                      false)) != NULL)
		return res;
	from = revision_asked(r, status, "from", doc, &res);
	if (res == NULL)
		to = revision_asked(r, status, "to", doc, &res);
	if (res == NULL && http_query(r, "from") == NULL)
		from = to > 0 ? to - 1 : 0;
	if (res != NULL) {
		json_decref(doc);
		return res;
	}
	if (store_neg_row(st, &a, STORE_NEG_REV_GET, "si", r->params[0],
	                  from) != STORE_OK ||
	    store_neg_row(st, &b, STORE_NEG_REV_GET, "si", r->params[0], to) !=
	        STORE_OK) {
		json_decref(a);
		json_decref(doc);
		return http_store_failed(r, status, st);
	}
	diff = neg_diff_revisions(json_object_get(a, "paragraphs"),
	                          json_object_get(b, "paragraphs"));
	out = json_pack("{s:O,s:I,s:I,s:o}", "document",
	                json_object_get(doc, "id"), "from", (json_int_t)from,
	                "to", (json_int_t)to, "paragraphs",
	                diff ? diff : json_array());
	json_decref(a);
	json_decref(b);
	json_decref(doc);
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_document_amendments(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *doc, *items = NULL;

	r->csv_columns = amendment_cols;
	if ((res = row_or_404(r, status, &doc, STORE_NEG_DOC_GET, "document",
	                      false)) != NULL)
		return res;
	json_decref(doc);
	if (store_neg_rows(st, &items, STORE_NEG_AMENDS, "s", r->params[0]) !=
	    STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200,
	                 json_pack("{s:o,s:n}", "items", items, "next"));
}

/* --- the layouts for filing ----------------------------------------------- */

/* A page being written; a write past the cap marks it, and it is refused
 * whole. */
struct page {
	struct buf b;
	bool full;
};

#define PAGE_CAP (4u << 20)

static void
put(struct page *pg, const char *s)
{
	pg->full |= buf_adds(&pg->b, s) != 0;
}

static void putf(struct page *pg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
putf(struct page *pg, const char *fmt, ...)
{
	char line[9000];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	put(pg, line);
}

static void
html_text(struct page *pg, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			put(pg, "&lt;");
			break;
		case '>':
			put(pg, "&gt;");
			break;
		case '&':
			put(pg, "&amp;");
			break;
		case '"':
			put(pg, "&quot;");
			break;
		default:
			pg->full |= buf_add(&pg->b, s, 1) != 0;
		}
	}
}

static struct MHD_Response *
page_answer(struct http_req *r, int *status, struct page *pg, const char *type)
{
	struct MHD_Response *out;

	if (pg->full)
		out = http_problem(r, status, 413, "too-large",
		                   "the document is too long to lay out");
	else
		out = http_text(r, status, 200, type, pg->b.data);
	buf_free(&pg->b);
	return out;
}

static const char *
status_line(const json_t *doc, int64_t rev)
{
	static __thread char line[80];

	if (rev == 0)
		snprintf(line, sizeof(line), "Draft");
	else
		snprintf(line, sizeof(line), "Draft, Rev.%lld", (long long)rev);
	if (strcmp(jsonx_str(doc, "status"), "adopted") == 0 &&
	    rev == jsonx_int(doc, "revision", 0))
		snprintf(line, sizeof(line), "Adopted text");
	return line;
}

/* The UN layout: symbol and date at the head, the title, the preambular
 * paragraphs (unnumbered, as adopted texts have them), then the operative
 * ones numbered 1, 2 ... */
struct MHD_Response *
h_document_print(struct http_req *r, int *status)
{
	struct MHD_Response *res, *out;
	json_t *doc, *text, *p;
	int64_t rev;
	size_t i;
	int op = 0;
	struct page pg = {0};
	const char *symbol;

	if ((res = document_and_text(r, status, &doc, &text, &rev)) != NULL)
		return res;
	symbol = jsonx_str(doc, "symbol");
	buf_init(&pg.b, PAGE_CAP);
	put(&pg, "<!doctype html>\n<html lang=\"en\"><head><meta "
	         "charset=\"utf-8\"><title>");
	html_text(&pg, symbol ? symbol : jsonx_str(doc, "title"));
	put(&pg, "</title><link rel=\"icon\" href=\"/favicon.svg\">"
	         "<link rel=\"stylesheet\" href=\"/print.css\"></head>"
	         "<body><header><span class=\"meta\">");
	html_text(&pg, jsonx_str(doc, "forum"));
	put(&pg, "<br>");
	html_text(&pg, status_line(doc, rev));
	put(&pg, "</span><span class=\"symbol\">");
	html_text(&pg, symbol ? symbol : jsonx_str(doc, "id"));
	put(&pg, "</span></header><p class=\"meta\">");
	html_text(&pg, jsonx_str(doc, "text_time"));
	put(&pg, "</p><h1>");
	html_text(&pg, jsonx_str(doc, "title"));
	put(&pg, "</h1>\n");
	json_array_foreach(text, i, p)
	{
		if (strcmp(jsonx_str(p, "part"), "preambular") != 0)
			continue;
		put(&pg, "<p class=\"pp\">");
		html_text(&pg, jsonx_str(p, "text"));
		put(&pg, "</p>\n");
	}
	put(&pg, "<ol>\n");
	json_array_foreach(text, i, p)
	{
		if (strcmp(jsonx_str(p, "part"), "operative") != 0)
			continue;
		op++;
		put(&pg, "<li>");
		html_text(&pg, jsonx_str(p, "text"));
		put(&pg, "</li>\n");
	}
	putf(&pg,
	     "</ol><footer>%d operative paragraph%s. Printed from the "
	     "Détente transparency log; each revision is an entry of "
	     "the log.</footer></body></html>\n",
	     op, op == 1 ? "" : "s");
	out = page_answer(r, status, &pg, "text/html; charset=utf-8");
	json_decref(text);
	json_decref(doc);
	return out;
}

struct MHD_Response *
h_document_text(struct http_req *r, int *status)
{
	struct MHD_Response *res, *out;
	json_t *doc, *text, *p;
	int64_t rev;
	size_t i;
	int op = 0;
	struct page pg = {0};
	const char *symbol;

	if ((res = document_and_text(r, status, &doc, &text, &rev)) != NULL)
		return res;
	symbol = jsonx_str(doc, "symbol");
	buf_init(&pg.b, PAGE_CAP);
	putf(&pg, "%s\n%s\n%s\n\n%s\n\n",
	     symbol ? symbol : jsonx_str(doc, "id"), status_line(doc, rev),
	     jsonx_str(doc, "text_time"), jsonx_str(doc, "title"));
	json_array_foreach(text, i, p)
	{
		if (strcmp(jsonx_str(p, "part"), "preambular") == 0)
			putf(&pg, "    %s\n\n", jsonx_str(p, "text"));
	}
	json_array_foreach(text, i, p)
	{
		if (strcmp(jsonx_str(p, "part"), "operative") == 0)
			putf(&pg, "%d.  %s\n\n", ++op, jsonx_str(p, "text"));
	}
	out = page_answer(r, status, &pg, "text/plain; charset=utf-8");
	json_decref(text);
	json_decref(doc);
	return out;
}

/* --- decisions ------------------------------------------------------------ */

/* The decision of the path, readable when its document is, with the
 * document's title and forum; or an answer. */
static struct MHD_Response *
decision_of(struct http_req *r, int *status, json_t **d)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *doc = NULL;

	if ((res = row_or_404(r, status, d, STORE_NEG_DEC_GET, "decision",
	                      true)) != NULL)
		return res;
	if (store_neg_row(st, &doc, STORE_NEG_DOC_GET, "s",
	                  jsonx_str(*d, "document")) != STORE_OK) {
		json_decref(*d);
		*d = NULL;
		return http_problem(r, status, 404, "not-found",
		                    "no decision %.64s", r->params[0]);
	}
	json_object_set_new(*d, "document_title",
	                    json_string(jsonx_str(doc, "title")));
	json_object_set(*d, "forum", json_object_get(doc, "forum"));
	json_decref(doc);
	return NULL;
}

struct MHD_Response *
h_decision(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *d;
	int64_t id;

	if ((res = decision_of(r, status, &d)) != NULL)
		return res;
	id = jsonx_int(d, "id", 0);
	json_object_set_new(
	    d, "sealed",
	    json_boolean(strcmp(jsonx_str(d, "status"), "open") == 0 &&
	                 strcmp(jsonx_str(d, "procedure"), "vote") == 0));
	if (add_rows(st, d, "stances", STORE_NEG_DEC_STANCES, NULL, id) != 0 ||
	    add_rows(st, d, "explanations", STORE_NEG_DEC_EXPLAINS, NULL, id) !=
	        0 ||
	    add_rows(st, d, "electorate", STORE_NEG_DEC_SEATS,
	             jsonx_str(d, "forum"), 0) != 0 ||
	    add_rows(st, d, "history", STORE_NEG_DEC_EVENTS, NULL, id) != 0) {
		json_decref(d);
		return http_store_failed(r, status, st);
	}
	return http_json(r, status, 200, d);
}

/* Every party's vote, once the vote has closed: the per-party record. */
struct MHD_Response *
h_decision_votes(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	struct MHD_Response *res;
	json_t *d, *rows = NULL, *items, *s;
	size_t i;

	r->csv_columns = vote_cols;
	if ((res = decision_of(r, status, &d)) != NULL)
		return res;
	if (strcmp(jsonx_str(d, "procedure"), "vote") != 0) {
		json_decref(d);
		return http_problem(r, status, 404, "not-found",
		                    "decision %.64s is a silence procedure: it "
		                    "has no votes",
		                    r->params[0]);
	}
	if (strcmp(jsonx_str(d, "status"), "open") == 0) {
		res = http_problem(r, status, 409, "sealed",
		                   "the votes of decision %.64s are sealed "
		                   "until it closes at %s",
		                   r->params[0], jsonx_str(d, "due"));
		json_decref(d);
		return res;
	}
	if (store_neg_rows(st, &rows, STORE_NEG_DEC_STANCES, "i",
	                   (int64_t)jsonx_int(d, "id", 0)) != STORE_OK) {
		json_decref(d);
		return http_store_failed(r, status, st);
	}
	items = json_array();
	json_array_foreach(rows, i, s)
	{
		if (strcmp(jsonx_str(s, "kind"), "vote") != 0)
			continue;
		json_array_append_new(
		    items, json_pack("{s:O,s:O,s:O,s:O,s:O,s:O}", "party",
		                     json_object_get(s, "party"), "name",
		                     json_object_get(s, "name"), "vote",
		                     json_object_get(s, "vote"), "paragraphs",
		                     json_object_get(s, "paragraphs"), "time",
		                     json_object_get(s, "time"), "log_idx",
		                     json_object_get(s, "log_idx")));
	}
	json_decref(rows);
	res = http_json(r, status, 200,
	                json_pack("{s:O,s:O,s:o,s:n}", "decision",
	                          json_object_get(d, "id"), "result",
	                          json_object_get(d, "result"), "items", items,
	                          "next"));
	json_decref(d);
	return res;
}
