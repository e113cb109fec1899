/* The transparency log over HTTP: checkpoint, key and entries. */
#include <stdlib.h>
#include <string.h>

#include "base/enc.h"
#include "http/handlers.h"

struct MHD_Response *
h_log_checkpoint(struct http_req *r, int *status)
{
	struct app_error e = {0};
	char *note = NULL;
	uint64_t size;
	uint8_t root[32];
	struct MHD_Response *resp;

	if (app_checkpoint(r->app, &note, &size, root, &e) != 0)
		return http_app_problem(r, status, &e);
	resp = http_text(r, status, 200, "text/plain; charset=utf-8", note);
	free(note);
	return resp;
}

struct MHD_Response *
h_log_key(struct http_req *r, int *status)
{
	return http_json(r, status, 200,
	                 json_pack("{s:s,s:s}", "origin",
	                           app_log_origin(r->app), "vkey",
	                           app_log_vkey(r->app)));
}

struct MHD_Response *
h_log_entries(struct http_req *r, int *status)
{
	struct app_error e = {0};
	uint64_t start = 0, end;
	const char *s = http_query(r, "start"), *en = http_query(r, "end");
	static const char *const cols[] = {
	    "index", "time",  "tlp",    "leaf_hash",   "type",
	    "party", "user",  "signer", "attestation", "redacted",
	    "act",   "entry", NULL};
	json_t *out = NULL;

	r->csv_columns = cols;
	if (s != NULL && http_parse_u64(s, &start) != 0)
		return http_problem(r, status, 400, "validation",
		                    "start must be a whole number");
	if (en == NULL)
		end = start + 100;
	else if (http_parse_u64(en, &end) != 0)
		return http_problem(r, status, 400, "validation",
		                    "end must be a whole number");
	if (end < start)
		return http_problem(r, status, 400, "validation",
		                    "end is before start");
	if (app_log_entries(r->app, &r->actor, start, end, &out, &e) != 0)
		return http_app_problem(r, status, &e);
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_log_inclusion(struct http_req *r, int *status)
{
	struct app_error e = {0};
	uint64_t index = UINT64_MAX, size;
	const char *is = http_query(r, "index");
	const char *lh = http_query(r, "leaf_hash");
	json_t *out = NULL;

	if ((is == NULL) == (lh == NULL))
		return http_problem(r, status, 400, "validation",
		                    "give index or leaf_hash, not both");
	if (is != NULL && http_parse_u64(is, &index) != 0)
		return http_problem(r, status, 400, "validation",
		                    "index must be a whole number");
	if (http_parse_u64(http_query(r, "size"), &size) != 0)
		return http_problem(r, status, 400, "validation",
		                    "size must be a whole number");
	if (app_inclusion_proof(r->app, index, lh, size, &out, &e) != 0)
		return http_app_problem(r, status, &e);
	return http_json(r, status, 200, out);
}

struct MHD_Response *
h_log_consistency(struct http_req *r, int *status)
{
	struct app_error e = {0};
	uint64_t from, to;
	json_t *out = NULL;

	if (http_parse_u64(http_query(r, "from"), &from) != 0 ||
	    http_parse_u64(http_query(r, "to"), &to) != 0)
		return http_problem(r, status, 400, "validation",
		                    "from and to must be whole numbers");
	if (app_consistency_proof(r->app, from, to, &out, &e) != 0)
		return http_app_problem(r, status, &e);
	return http_json(r, status, 200, out);
}
