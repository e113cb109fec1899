/* Sessions, API tokens, users, and the generic act endpoint. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "core/schema.h"
#include "http/handlers.h"

#define COOKIE "detente_session"

static json_t *
actor_json(const struct app_actor *a)
{
	return json_pack("{s:s,s:s?,s:s}", "username", a->username, "party",
	                 a->party[0] ? a->party : NULL, "role",
	                 policy_role_name(a->role));
}

static struct MHD_Response *
no_content(int *status)
{
	*status = 204;
	return MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
}

static struct MHD_Response *
receipt_json(struct http_req *r, int *status, const struct app_receipt *rc,
             json_t *extra)
{
	char when[TIME_RFC3339_LEN];
	json_t *doc = extra ? extra : json_object();

	time_format_ms(rc->time_ms, when);
	json_object_set_new(doc, "index", json_integer((json_int_t)rc->index));
	json_object_set_new(doc, "leaf_hash", json_string(rc->leaf_hash));
	json_object_set_new(doc, "time", json_string(when));
	return http_json(r, status, 201, doc);
}

struct MHD_Response *
h_session_get(struct http_req *r, int *status)
{
	if (!r->authenticated)
		return http_problem(r, status, 401, "unauthorized",
		                    "not signed in");
	return http_json(r, status, 200,
	                 json_pack("{s:o,s:s?}", "user", actor_json(&r->actor),
	                           "csrf_token",
	                           r->via_session ? r->csrf : NULL));
}

static const struct schema_field login_fields[] = {
    {"username", SCHEMA_STR, SCHEMA_REQUIRED, 1, 64, NULL, NULL, NULL},
    {"password", SCHEMA_STR, SCHEMA_REQUIRED, 1, 1024, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

struct MHD_Response *
h_session_post(struct http_req *r, int *status)
{
	struct app_actor who;
	struct app_error e = {0};
	char *session = NULL;
	char csrf[65];
	char err[300];
	struct MHD_Response *resp;

	if (schema_check(login_fields, r->json, "body", err, sizeof(err)) != 0)
		return http_problem(r, status, 400, "validation", "%s", err);
	if (app_login(r->app, jsonx_str(r->json, "username"),
	              jsonx_str(r->json, "password"), r->address, &who,
	              &session, csrf, &e) != 0) {
		resp = http_app_problem(r, status, &e);
		if (e.status == 429)
			MHD_add_response_header(resp, "Retry-After", "900");
		return resp;
	}
	r->set_cookie = xasprintf("%s=%s; Path=/; HttpOnly; SameSite=Strict; "
	                          "Max-Age=%lld%s",
	                          COOKIE, session, APP_SESSION_TTL_MS / 1000,
	                          r->srv->tls ? "; Secure" : "");
	sodium_memzero(session, strlen(session));
	free(session);
	r->authenticated = true;
	return http_json(r, status, 200,
	                 json_pack("{s:o,s:s}", "user", actor_json(&who),
	                           "csrf_token", csrf));
}

struct MHD_Response *
h_session_delete(struct http_req *r, int *status)
{
	const char *cookie =
	    MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, COOKIE);

	if (r->via_session) {
		const char *t = MHD_lookup_connection_value(
		    r->conn, MHD_HEADER_KIND, "X-CSRF-Token");

		if (t == NULL || strlen(t) != 64 ||
		    sodium_memcmp(t, r->csrf, 64) != 0)
			return http_problem(r, status, 403, "csrf",
			                    "signing out needs the "
			                    "X-CSRF-Token header");
	}
	if (cookie != NULL) {
		struct app_error e = {0};

		if (app_logout(r->app, cookie, &e) != 0)
			return http_app_problem(r, status, &e);
	}
	r->set_cookie = xasprintf("%s=; Path=/; HttpOnly; SameSite=Strict; "
	                          "Max-Age=0%s",
	                          COOKIE, r->srv->tls ? "; Secure" : "");
	return no_content(status);
}

struct MHD_Response *
h_tokens_get(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *items = NULL;

	if (st == NULL ||
	    store_token_list(st, r->actor.user_id, &items) != STORE_OK)
		return http_problem(r, status, 503, "unavailable",
		                    "the database cannot be read");
	return http_json(r, status, 200, json_pack("{s:o}", "items", items));
}

static const struct schema_field token_fields[] = {
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 1, 100, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

struct MHD_Response *
h_tokens_post(struct http_req *r, int *status)
{
	struct app_error e = {0};
	struct app_receipt rc;
	char *token = NULL;
	char id[40];
	char err[300];
	struct MHD_Response *resp;

	if (schema_check(token_fields, r->json, "body", err, sizeof(err)) != 0)
		return http_problem(r, status, 400, "validation", "%s", err);
	if (app_token_create(r->app, &r->actor, jsonx_str(r->json, "name"),
	                     &token, id, &rc, &e) != 0)
		return http_app_problem(r, status, &e);
	resp =
	    receipt_json(r, status, &rc,
	                 json_pack("{s:s,s:s,s:s}", "id", id, "name",
	                           jsonx_str(r->json, "name"), "token", token));
	sodium_memzero(token, strlen(token));
	free(token);
	return resp;
}

struct MHD_Response *
h_token_delete(struct http_req *r, int *status)
{
	struct app_error e = {0};
	struct app_receipt rc;

	if (!schema_is_slug(r->params[0]))
		return http_problem(r, status, 404, "not-found",
		                    "no token with id %.64s", r->params[0]);
	if (app_token_revoke(r->app, &r->actor, r->params[0], &rc, &e) != 0)
		return http_app_problem(r, status, &e);
	return no_content(status);
}

struct MHD_Response *
h_users_get(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *items = NULL;

	if (r->actor.role != ROLE_OPERATOR)
		return http_problem(r, status, 403, "forbidden",
		                    "only an operator lists users");
	if (st == NULL || store_user_list(st, &items) != STORE_OK)
		return http_problem(r, status, 503, "unavailable",
		                    "the database cannot be read");
	return http_json(r, status, 200, json_pack("{s:o}", "items", items));
}

struct MHD_Response *
h_users_post(struct http_req *r, int *status)
{
	struct app_error e = {0};
	struct app_receipt rc;
	json_t *body = json_deep_copy(r->json);
	json_t *pw = json_object_get(body, "password");
	char *password;
	int ok;

	if (!json_is_string(pw)) {
		json_decref(body);
		return http_problem(r, status, 400, "validation",
		                    "body.password: is required");
	}
	password = xstrdup(json_string_value(pw));
	json_object_del(body, "password");
	ok = app_user_add(r->app, &r->actor, body, password, &rc, &e);
	sodium_memzero(password, strlen(password));
	free(password);
	if (ok != 0) {
		json_decref(body);
		return http_app_problem(r, status, &e);
	}
	return receipt_json(r, status, &rc, body);
}

static const struct schema_field act_fields[] = {
    {"type", SCHEMA_STR, SCHEMA_REQUIRED, 1, 64, NULL, NULL, NULL},
    {"body", SCHEMA_OBJ, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

struct MHD_Response *
h_acts_post(struct http_req *r, int *status)
{
	struct app_error e = {0};
	struct app_receipt rc;
	const char *type;
	json_t *t = json_object_get(r->json, "type");
	json_t *b = json_object_get(r->json, "body");

	/* A DSSE envelope is a party-signed act. */
	if (json_object_get(r->json, "payloadType") != NULL) {
		if (app_submit_envelope(r->app, &r->actor, r->json, &rc, &e) !=
		    0)
			return http_app_problem(r, status, &e);
		return receipt_json(r, status, &rc,
		                    json_pack("{s:b}", "party_signed", 1));
	}
	/* The body's own schema is the act type's; check the frame here. */
	{
		char err[300];

		if (schema_check(act_fields, r->json, "body", err,
		                 sizeof(err)) != 0)
			return http_problem(r, status, 400, "validation", "%s",
			                    err);
	}
	type = json_string_value(t);
	if (acts_find(type) != NULL && (acts_find(type)->flags & ACT_SECRET))
		return http_problem(r, status, 400, "validation",
		                    "%s acts carry secrets: use "
		                    "/api/v1/users or /api/v1/tokens",
		                    type);
	if (app_submit(r->app, &r->actor, type, b, NULL, &rc, &e) != 0)
		return http_app_problem(r, status, &e);
	return receipt_json(r, status, &rc, json_pack("{s:s}", "type", type));
}

/*
 * Many acts in one request, one transaction, all or none: {"acts": [...]},
 * each a DSSE envelope or {type, body}.  The answer lists a receipt per act.
 */
struct MHD_Response *
h_acts_batch_post(struct http_req *r, int *status)
{
	const json_t *items = json_object_get(r->json, "acts");
	struct app_error e = {0};
	struct app_receipt *rc;
	size_t n = json_array_size(items), failed = 0;
	char when[TIME_RFC3339_LEN];
	json_t *out;

	if (!json_is_array(items) || json_object_size(r->json) != 1 || n == 0 ||
	    n > APP_BATCH_MAX)
		return http_problem(r, status, 400, "validation",
		                    "the body is {\"acts\": [...]} with 1 to "
		                    "%d acts, each a DSSE envelope or "
		                    "{\"type\", \"body\"}",
		                    APP_BATCH_MAX);
	rc = xcalloc(n, sizeof(*rc));
	if (app_submit_batch(r->app, &r->actor, items, rc, &failed, &e) != 0) {
		free(rc);
		return http_app_problem(r, status, &e);
	}
	out = json_array();
	for (size_t i = 0; i < n; i++) {
		time_format_ms(rc[i].time_ms, when);
		json_array_append_new(
		    out,
		    json_pack("{s:I,s:s,s:s}", "index", (json_int_t)rc[i].index,
		              "leaf_hash", rc[i].leaf_hash, "time", when));
	}
	free(rc);
	return http_json(
	    r, status, 201,
	    json_pack("{s:I,s:o}", "accepted", (json_int_t)n, "receipts", out));
}

/* The store keeps public keys in hex; the API gives them in base64. */
static void
key_b64(json_t *k)
{
	uint8_t pk[32];
	const char *hex = jsonx_str(k, "public_key");

	if (hex != NULL && enc_hex_decode(hex, pk, 32) == 0) {
		char *b = enc_b64_new(pk, 32);

		json_object_set_new(k, "public_key", json_string(b));
		free(b);
	}
}

struct MHD_Response *
h_keys_get(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *items = NULL, *k;
	size_t i;

	if (st == NULL ||
	    store_key_list(st, r->actor.user_id, &items) != STORE_OK)
		return http_problem(r, status, 503, "unavailable",
		                    "the database cannot be read");
	json_array_foreach(items, i, k) key_b64(k);
	return http_json(r, status, 200, json_pack("{s:o}", "items", items));
}

/* Anyone may look a signer's key up, to check a party-signed entry. */
struct MHD_Response *
h_key_get(struct http_req *r, int *status)
{
	struct store *st = app_reader(r->app);
	json_t *k = NULL;
	enum store_err se;

	if (st == NULL)
		return http_problem(r, status, 503, "unavailable",
		                    "the database cannot be read");
	se = strlen(r->params[0]) > 64 ? STORE_NOTFOUND
	                               : store_key_public(st, r->params[0], &k);
	if (se == STORE_NOTFOUND)
		return http_problem(r, status, 404, "not-found",
		                    "no key has the id %.64s", r->params[0]);
	if (se != STORE_OK)
		return http_problem(r, status, 503, "unavailable",
		                    "the database cannot be read");
	key_b64(k);
	return http_json(r, status, 200, k);
}

struct MHD_Response *
h_key_delete(struct http_req *r, int *status)
{
	struct app_error e = {0};
	struct app_receipt rc;
	struct store *st = app_reader(r->app);
	int64_t owner = 0;
	int revoked = 0;
	uint8_t pk[32];
	json_t *body;
	int ok;

	if (strlen(r->params[0]) > 64 || st == NULL ||
	    store_key_get(st, r->params[0], &owner, pk, &revoked) != STORE_OK ||
	    revoked)
		return http_problem(r, status, 404, "not-found",
		                    "no active key with id %.64s",
		                    r->params[0]);
	if (owner != r->actor.user_id && r->actor.role != ROLE_OPERATOR)
		return http_problem(r, status, 403, "forbidden",
		                    "only the key's owner or an operator "
		                    "revokes it");
	body = json_pack("{s:s}", "key_id", r->params[0]);
	ok = app_submit(r->app, &r->actor, "key.revoke", body, NULL, &rc, &e);
	json_decref(body);
	if (ok != 0)
		return http_app_problem(r, status, &e);
	return no_content(status);
}
