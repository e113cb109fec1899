/* Reads of the historical record: parties, forums, instruments, norms, the
 * timeline and search. */
#include <stdlib.h>
#include <string.h>

#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "base/zip.h"
#include "core/acts.h"
#include "core/schema.h"
#include "http/handlers.h"

typedef enum store_err (*list_fn)(struct store *, const struct store_query *,
                                  json_t **);
typedef enum store_err (*get_fn)(struct store *, const char *, json_t **);

/* The columns of each list as CSV, in this order (docs/openapi.yaml and
 * the export's README name them). */
static const char *const party_cols[] = {"code",     "name",        "kind",
                                         "alpha2",   "numeric",     "un_group",
                                         "admitted", "unconfirmed", NULL};
static const char *const forum_cols[] = {
    "id",  "name",          "short_name",   "kind",        "parent", "start",
    "end", "decision_rule", "member_count", "unconfirmed", NULL};
static const char *const instrument_cols[] = {"id",
                                              "symbol",
                                              "title",
                                              "kind",
                                              "date",
                                              "forum",
                                              "forum_name",
                                              "binding",
                                              "outcome",
                                              "adoption",
                                              "vote_totals.yes",
                                              "vote_totals.no",
                                              "vote_totals.abstain",
                                              "unconfirmed",
                                              "tlp",
                                              NULL};
static const char *const norm_cols[] = {"id",   "code",        "title",
                                        "text", "unconfirmed", NULL};
static const char *const timeline_cols[] = {
    "date", "kind", "ref", "title", "summary", "outcome", "symbol", NULL};
static const char *const search_cols[] = {"kind", "id", "title", "snippet",
                                          NULL};
static const char *const vote_cols[] = {"code", "name", "vote", NULL};

/* Lists share their query rules: limit 1..200 (10 000 as CSV, a file to
 * save), an opaque cursor, filters drawn from fixed vocabularies. */
static struct MHD_Response *
list(struct http_req *r, int *status, list_fn fn,
     int (*cursor_ok)(const char *), const char *const *cols)
{
	struct store *st = app_reader(r->app);
	struct store_query q = {0};
	int max = http_wants_csv(r) ? STORE_MAX_PAGE : 200;
	json_t *out = NULL;
	enum store_err e;

	r->csv_columns = cols;
	q.limit = http_limit(r, 50, max);
	if (q.limit < 0)
		return http_problem(r, status, 400, "validation",
		                    "limit must be a whole number from 1 to "
		                    "%d",
		                    max);
	q.after = http_query(r, "after");
	if (q.after != NULL && !cursor_ok(q.after))
		return http_problem(r, status, 400, "validation",
		                    "after is not a cursor this list gave");
	q.kind = http_query(r, "kind");
	if (q.kind != NULL && !schema_is_slug(q.kind) &&
	    strcmp(q.kind, "observer_state") != 0 &&
	    strcmp(q.kind, "expert_group") != 0 &&
	    strcmp(q.kind, "open_ended") != 0 &&
	    strcmp(q.kind, "joint_statement") != 0 &&
	    strcmp(q.kind, "sanctions_regime") != 0)
		return http_problem(r, status, 400, "validation",
		                    "kind is not a known kind");
	q.group = http_query(r, "group");
	q.text = http_query(r, "q");
	if (q.text != NULL && (strlen(q.text) == 0 || strlen(q.text) > 100))
		return http_problem(r, status, 400, "validation",
		                    "q must be 1 to 100 bytes of text");
	q.member_of = http_query(r, "member_of");
	if (q.member_of != NULL && !schema_is_code(q.member_of))
		return http_problem(r, status, 400, "validation",
		                    "member_of must be a party code");
	q.forum = http_query(r, "forum");
	if (q.forum != NULL && !schema_is_slug(q.forum))
		return http_problem(r, status, 400, "validation",
		                    "forum must be a forum id");
	if (st == NULL)
		return http_store_failed(r, status, st);
	e = fn(st, &q, &out);
	if (e == STORE_NOTFOUND)
		return http_problem(r, status, 400, "validation",
		                    "after is not a cursor this list gave");
	if (e != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200, out);
}

static struct MHD_Response *
one(struct http_req *r, int *status, get_fn fn, int (*id_ok)(const char *),
    const char *what)
{
	struct store *st = app_reader(r->app);
	json_t *out = NULL;
	enum store_err e;

	if (!id_ok(r->params[0]))
		return http_problem(r, status, 404, "not-found",
		                    "no %s with id %.64s", what, r->params[0]);
	if (st == NULL)
		return http_store_failed(r, status, st);
	e = fn(st, r->params[0], &out);
	if (e == STORE_NOTFOUND)
		return http_problem(r, status, 404, "not-found",
		                    "no %s with id %.64s", what, r->params[0]);
	if (e != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200, out);
}

static int
timeline_key_ok(const char *s)
{
	/* "YYYY[-MM[-DD]]|i|slug" or "...|f|slug" */
	const char *bar = strchr(s, '|');
	char date[11];

	if (bar == NULL || bar - s > 10 || strlen(bar) < 4 || bar[2] != '|' ||
	    (bar[1] != 'i' && bar[1] != 'f'))
		return 0;
	memcpy(date, s, (size_t)(bar - s));
	date[bar - s] = '\0';
	return time_check_date(date) == 0 && schema_is_slug(bar + 3);
}

struct MHD_Response *
h_health(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	uint64_t size = 0;

	if (st == NULL || store_log_size(st, &size) != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200,
	                 json_pack("{s:s,s:s,s:I}", "status", "ok", "version",
	                           DETENTE_VERSION, "log_size",
	                           (json_int_t)size));
}

struct MHD_Response *
h_stats(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *out = NULL;

	if (st == NULL || store_stats(st, &out) != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_parties(struct http_req *r, int *status)
{
	const char *g = http_query(r, "group");
	static const char *const groups[] = {
	    "African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG"};
	bool ok = g == NULL;

	for (size_t i = 0; !ok && i < 5; i++)
		ok = strcmp(g, groups[i]) == 0;
	if (!ok)
		return http_problem(r, status, 400, "validation",
		                    "group must be one of African, "
		                    "Asia-Pacific, Eastern European, GRULAC, "
		                    "WEOG");
	return list(r, status, store_party_list, schema_is_code, party_cols);
}

struct MHD_Response *
h_party(struct http_req *r, int *status)
{
	char up[17], where[64];
	size_t n = strlen(r->params[0]);

	/* /parties/idn: the code is upper case */
	if (!schema_is_code(r->params[0]) && n < sizeof(up)) {
		for (size_t i = 0; i <= n; i++)
			up[i] = (char)(r->params[0][i] >= 'a' &&
			                       r->params[0][i] <= 'z'
			                   ? r->params[0][i] - 32
			                   : r->params[0][i]);
		if (schema_is_code(up)) {
			struct store *st = app_reader(r->app);
			json_t *found = NULL;

			/* only to a party that is there: else it is unknown */
			if (st != NULL &&
			    store_party_get(st, up, &found) == STORE_OK) {
				json_decref(found);
				snprintf(where, sizeof(where),
				         "/api/v1/parties/%s", up);
				return http_redirect(r, status, 308, where);
			}
		}
	}
	return one(r, status, store_party_get, schema_is_code, "party");
}

struct MHD_Response *
h_forums(struct http_req *r, int *status)
{
	return list(r, status, store_forum_list, schema_is_slug, forum_cols);
}

struct MHD_Response *
h_forum(struct http_req *r, int *status)
{
	return one(r, status, store_forum_get, schema_is_slug, "forum");
}

struct MHD_Response *
h_instruments(struct http_req *r, int *status)
{
	return list(r, status, store_instrument_list, schema_is_slug,
	            instrument_cols);
}

/* Whether s can be an instrument's symbol: printable text, no control
 * characters ("A/RES/73/27", "Regulation (EU) 2019/796"). */
static bool
symbol_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 100)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

/* Whether the path after /instruments/ asks for a symbol's vote
 * ("A/RES/73/27/vote"). */
static bool
vote_of(const char *p)
{
	size_t n = strlen(p);

	return n > 5 && strcmp(p + n - 5, "/vote") == 0;
}

/*
 * An instrument by its id, or by its symbol: a symbol, slashes and all
 * (/api/v1/instruments/A/RES/73/27), redirects to the instrument's
 * canonical address.
 */
struct MHD_Response *
h_instrument(struct http_req *r, int *status)
{
	const char *p = r->params[0];
	struct store *st = app_reader(r->app);
	json_t *found = NULL;
	enum store_err e;
	bool vote = false;
	char where[160];

	if (http_query(r, "format") != NULL && !vote_of(p))
		return http_problem(r, status, 400, "validation",
		                    "format applies to lists: an instrument's "
		                    "vote is /api/v1/instruments/{id}/vote");
	if (schema_is_slug(p))
		return one(r, status, store_instrument_get, schema_is_slug,
		           "instrument");
	if (!symbol_ok(p))
		return http_problem(r, status, 404, "not-found",
		                    "no instrument has the symbol \"%.100s\"",
		                    p);
	if (st == NULL)
		return http_store_failed(r, status, st);
	e = store_instrument_get(st, p, &found);
	if (e == STORE_NOTFOUND && vote_of(p)) {
		/* a symbol's vote: /api/v1/instruments/A/RES/73/27/vote */
		char sym[101];

		snprintf(sym, sizeof(sym), "%.*s", (int)(strlen(p) - 5), p);
		e = store_instrument_get(st, sym, &found);
		vote = true;
	}
	if (e == STORE_NOTFOUND)
		return http_problem(r, status, 404, "not-found",
		                    "no instrument has the symbol \"%.100s\"",
		                    p);
	if (e != STORE_OK)
		return http_store_failed(r, status, st);
	/* the vote's ?format= goes along */
	snprintf(where, sizeof(where), "/api/v1/instruments/%s%s%s",
	         json_string_value(json_object_get(found, "id")),
	         vote ? "/vote" : "",
	         vote && http_query(r, "format") != NULL
	             ? (strcmp(http_query(r, "format"), "json") == 0
	                    ? "?format=json"
	                    : "?format=csv")
	             : "");
	json_decref(found);
	return http_redirect(r, status, 308, where);
}

static int
by_name(const void *a, const void *b)
{
	const char *x =
	    json_string_value(json_object_get(*(json_t *const *)a, "name"));
	const char *y =
	    json_string_value(json_object_get(*(json_t *const *)b, "name"));

	return strcmp(x ? x : "", y ? y : "");
}

/* Sorts an array of objects by their "name" (as the store's ORDER BY name
 * does: by bytes). */
static void
sort_by_name(json_t *a)
{
	size_t n = json_array_size(a);
	json_t **v = xcalloc(n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(a, i));
	qsort(v, n, sizeof(*v), by_name);
	json_array_clear(a);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, v[i]);
	free(v);
}

/*
 * An instrument's recorded vote as a list: one row per member state on the
 * vote's date, yes, no, abstain or absent (absent or not voting), by name.
 */
struct MHD_Response *
h_instrument_vote(struct http_req *r, int *status)
{
	static const char *const groups[] = {"yes", "no", "abstain", "absent"};
	struct store *st = app_reader(r->app);
	json_t *in = NULL, *vote, *items, *out;
	enum store_err e;

	r->csv_columns = vote_cols;
	if (!schema_is_slug(r->params[0]))
		return http_problem(r, status, 404, "not-found",
		                    "no instrument with id %.64s",
		                    r->params[0]);
	if (st == NULL)
		return http_store_failed(r, status, st);
	e = store_instrument_get(st, r->params[0], &in);
	if (e == STORE_NOTFOUND)
		return http_problem(r, status, 404, "not-found",
		                    "no instrument with id %.64s",
		                    r->params[0]);
	if (e != STORE_OK)
		return http_store_failed(r, status, st);
	vote = json_object_get(in, "vote");
	if (!json_is_object(vote)) {
		json_decref(in);
		return http_problem(r, status, 404, "not-found",
		                    "instrument %.64s has no recorded vote",
		                    r->params[0]);
	}
	items = json_array();
	for (size_t g = 0; g < 4; g++) {
		json_t *p;
		size_t i;

		json_array_foreach(json_object_get(vote, groups[g]), i, p)
		    json_array_append_new(
		        items, json_pack("{s:O,s:O,s:s}", "code",
		                         json_object_get(p, "code"), "name",
		                         json_object_get(p, "name"), "vote",
		                         groups[g]));
	}
	sort_by_name(items);
	out = json_pack("{s:O,s:O,s:O,s:o}", "instrument",
	                json_object_get(in, "id"), "symbol",
	                json_object_get(in, "symbol"), "date",
	                json_object_get(vote, "date"), "items", items);
	json_decref(in);
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_norms(struct http_req *r, int *status)
{
	return list(r, status, store_norm_list, schema_is_slug, norm_cols);
}

struct MHD_Response *
h_norm(struct http_req *r, int *status)
{
	return one(r, status, store_norm_get, schema_is_slug, "norm");
}

struct MHD_Response *
h_timeline(struct http_req *r, int *status)
{
	return list(r, status, store_timeline, timeline_key_ok, timeline_cols);
}

struct MHD_Response *
h_search(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	const char *q = http_query(r, "q");
	int limit = http_limit(r, 20, 100);
	json_t *out = NULL;

	r->csv_columns = search_cols;
	if (q == NULL || *q == '\0')
		return http_problem(r, status, 400, "validation",
		                    "give the words to search for as q");
	if (strlen(q) > 200)
		return http_problem(r, status, 400, "validation",
		                    "q is longer than 200 bytes");
	if (limit < 0)
		return http_problem(r, status, 400, "validation",
		                    "limit must be a whole number from 1 to "
		                    "100");
	if (st == NULL || store_search(st, q, limit, &out) != STORE_OK)
		return http_store_failed(r, status, st);
	json_object_set_new(out, "q", json_string(q));
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_act_types(struct http_req *r, int *status)
{
	json_t *items = json_array();

	for (size_t i = 0; i < acts_count(); i++)
		json_array_append_new(
		    items,
		    json_pack("{s:s,s:s,s:s,s:s?}", "type", acts_at(i)->name,
		              "summary", acts_at(i)->summary, "tlp",
		              policy_tlp_name(acts_at(i)->tlp), "tlp_member",
		              acts_at(i)->tlp_member));
	return http_json(r, status, 200, json_pack("{s:o}", "items", items));
}

struct zipping {
	struct zip z;
	const char *dir;
};

static int
zip_one(void *ctx, const char *name, const char *data, size_t len)
{
	struct zipping *zz = ctx;
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", zz->dir, name);
	return zip_add(&zz->z, path, data, len);
}

/*
 * GET /api/v1/export: the whole record as open data, one zip (the tables
 * as CSV or JSON, the log's checkpoint, a README), as `detente export`
 * writes it.  TLP:CLEAR only, whoever asks.
 */
struct MHD_Response *
h_export(struct http_req *r, int *status)
{
	const char *format = http_query(r, "format");
	struct app_error e = {0};
	struct zipping zz;
	struct MHD_Response *resp;
	char dir[64], value[128], *data;
	size_t len = 0;

	if (format == NULL)
		format = "csv";
	if (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)
		return http_problem(r, status, 400, "validation",
		                    "format must be csv or json");
	snprintf(dir, sizeof(dir), "detente-record-%s", format);
	zz.dir = dir;
	zip_init(&zz.z, 64u << 20, time_now_ms());
	if (app_export(r->app, format, zip_one, &zz, &e) != 0) {
		zip_free(&zz.z);
		return http_app_problem(r, status, &e);
	}
	if ((data = zip_finish(&zz.z, &len)) == NULL) {
		zip_free(&zz.z);
		return http_problem(r, status, 500, "internal",
		                    "the archive cannot be made");
	}
	resp =
	    MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", "application/zip");
	snprintf(value, sizeof(value), "attachment; filename=\"%s.zip\"", dir);
	MHD_add_response_header(resp, "Content-Disposition", value);
	*status = 200;
	return resp;
}

/*
 * GET /api/v1/translations?lang=id: the record's texts in Bahasa Indonesia,
 * as {lang, items: {kind: {ref: {field: text}}}}; the web UI shows them in
 * place of the English, marked when unofficial.
 */
struct MHD_Response *
h_translations(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	const char *lang = http_query(r, "lang");
	json_t *out = NULL;

	if (lang == NULL || strcmp(lang, "id") != 0)
		return http_problem(r, status, 400, "validation",
		                    "lang must be id (Bahasa Indonesia): the "
		                    "record itself is in English");
	if (st == NULL || store_translations(st, lang, &out) != STORE_OK)
		return http_store_failed(r, status, st);
	return http_json(r, status, 200,
	                 json_pack("{s:s,s:o}", "lang", lang, "items", out));
}
