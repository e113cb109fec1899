/*
 * Authentication: Argon2id passwords, sessions, API tokens and the rate
 * limit on wrong credentials.  Secrets are random 32 bytes; only their
 * SHA-256 is stored, so a copy of the database does not let anyone in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/app.h"
#include "app/apply.h"
#include "app/internal.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "core/auth.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"

#define LIMIT_WINDOW_MS (15LL * 60 * 1000)
#define LIMIT_ACCOUNT   5  /* failures per account per window */
#define LIMIT_ADDRESS   20 /* failures per address per window */

int
app_password_hash(const char *password, char *out, size_t outlen)
{
	if (outlen < crypto_pwhash_STRBYTES)
		return -1;
	return crypto_pwhash_str(out, password, strlen(password),
	                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                         crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/*
 * A password hash takes 64 MiB and ~0.1 s of a core: at most pw_max run at
 * once, however many threads ask (sign-ins need no credentials).
 */
static void
pw_enter(struct app *app)
{
	pthread_mutex_lock(&app->pw_lock);
	while (app->pw_busy >= app->pw_max)
		pthread_cond_wait(&app->pw_cond, &app->pw_lock);
	app->pw_busy++;
	pthread_mutex_unlock(&app->pw_lock);
}

static void
pw_leave(struct app *app)
{
	pthread_mutex_lock(&app->pw_lock);
	app->pw_busy--;
	pthread_cond_signal(&app->pw_cond);
	pthread_mutex_unlock(&app->pw_lock);
}

int
app_user_add(struct app *app, const struct app_actor *who, json_t *body,
             const char *password, struct app_receipt *r, struct app_error *e)
{
	char hash[crypto_pwhash_STRBYTES];
	size_t len = password ? strlen(password) : 0;
	int rc;

	if (len < 10 || len > 1024) {
		app_error_set(e, 400, "validation",
		              "a password has 10 to 1024 characters");
		return -1;
	}
	pw_enter(app);
	rc = app_password_hash(password, hash, sizeof(hash));
	pw_leave(app);
	if (rc != 0) {
		app_error_set(e, 500, "internal",
		              "cannot hash the password (out of memory?)");
		return -1;
	}
	rc = app_submit(app, who, "user.add", body, hash, r, e);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static void
fill_actor(struct app_actor *who, const struct store_user *u)
{
	app_actor_set(who, policy_role_parse(u->role), u->id, u->username,
	              u->party);
}

static uint64_t
limit_key(const char *prefix, const char *s)
{
	uint8_t h[crypto_generichash_BYTES];
	crypto_generichash_state st;
	uint64_t k;

	crypto_generichash_init(&st, NULL, 0, sizeof(h));
	crypto_generichash_update(&st, (const uint8_t *)prefix, strlen(prefix));
	crypto_generichash_update(&st, (const uint8_t *)s, strlen(s));
	crypto_generichash_final(&st, h, sizeof(h));
	memcpy(&k, h, sizeof(k));
	return k ? k : 1;
}

/* The slot for key (claiming a free or stale one).  Caller holds the lock. */
static struct limit_slot *
limit_slot(struct app *app, uint64_t key, int64_t now)
{
	size_t i = key % LIMIT_SLOTS;
	struct limit_slot *stale = NULL;

	for (size_t n = 0; n < 8; n++, i = (i + 1) % LIMIT_SLOTS) {
		struct limit_slot *s = &app->limits[i];

		if (s->key == key)
			return s;
		if (s->key == 0 || now - s->window_start_ms > LIMIT_WINDOW_MS)
			if (stale == NULL)
				stale = s;
	}
	if (stale == NULL) /* all eight neighbours busy: reuse the first */
		stale = &app->limits[key % LIMIT_SLOTS];
	stale->key = key;
	stale->window_start_ms = now;
	stale->failures = 0;
	return stale;
}

/* Whether another attempt is allowed; counts a failure when failed. */
static int
limit_check(struct app *app, uint64_t key, int max, int64_t now, int failed)
{
	struct limit_slot *s;
	int ok;

	pthread_mutex_lock(&app->limit_lock);
	s = limit_slot(app, key, now);
	if (now - s->window_start_ms > LIMIT_WINDOW_MS) {
		s->window_start_ms = now;
		s->failures = 0;
	}
	if (failed)
		s->failures++;
	ok = s->failures < max;
	pthread_mutex_unlock(&app->limit_lock);
	return ok;
}

static void
random_hex(char *out, size_t nbytes)
{
	uint8_t b[32];
	char *h;

	randombytes_buf(b, nbytes);
	h = enc_hex_new(b, nbytes);
	memcpy(out, h, nbytes * 2 + 1);
	free(h);
	sodium_memzero(b, sizeof(b));
}

static void
secret_hash(const char *secret, uint8_t out[32])
{
	crypto_hash_sha256(out, (const uint8_t *)secret, strlen(secret));
}

/* A valid Argon2id string of a random password, verified when the user is
 * unknown, so that both paths of a sign-in cost the same. */
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
init_dummy(void)
{
	char pw[33];

	random_hex(pw, 16);
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw),
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		abort();
}

int
app_login(struct app *app, const char *username, const char *password,
          const char *address, struct app_actor *who, char **session_out,
          char csrf[65], struct app_error *e)
{
	struct store *st = app_reader(app);
	struct store_user u;
	char stored[crypto_pwhash_STRBYTES];
	uint64_t ka = limit_key("u:", username);
	uint64_t kb = limit_key("a:", address ? address : "");
	int64_t now = time_mono_ms();
	char session[65];
	uint8_t h[32];
	enum store_err se;
	int known, bad;

	pthread_once(&dummy_once, init_dummy);
	*session_out = NULL;
	if (st == NULL) {
		app_error_set(e, 503, "unavailable",
		              "the database cannot be read");
		return -1;
	}
	if (!limit_check(app, ka, LIMIT_ACCOUNT, now, 0) ||
	    !limit_check(app, kb, LIMIT_ADDRESS, now, 0)) {
		app_error_set(e, 429, "rate-limited",
		              "too many failed sign-ins; wait 15 minutes");
		return -1;
	}
	se = store_user_get(st, username, &u);
	known =
	    se == STORE_OK && !u.disabled &&
	    store_password_get(st, u.id, stored, sizeof(stored)) == STORE_OK;
	pw_enter(app);
	bad = crypto_pwhash_str_verify(known ? stored : dummy_hash, password,
	                               strlen(password)) != 0;
	pw_leave(app);
	if (bad || !known) {
		limit_check(app, ka, LIMIT_ACCOUNT, now, 1);
		limit_check(app, kb, LIMIT_ADDRESS, now, 1);
		app_error_set(e, 401, "unauthorized",
		              "wrong user name or password");
		return -1;
	}
	fill_actor(who, &u);
	random_hex(session, 32);
	random_hex(csrf, 32);
	secret_hash(session, h);
	pthread_mutex_lock(&app->wlock);
	se = store_session_put(app->writer, h, u.id, csrf,
	                       time_now_ms() + APP_SESSION_TTL_MS);
	pthread_mutex_unlock(&app->wlock);
	if (se != STORE_OK) {
		app_error_set(e, 503, "unavailable",
		              "cannot store the session");
		return -1;
	}
	*session_out = xstrdup(session);
	sodium_memzero(session, sizeof(session));
	return 0;
}

int
app_logout(struct app *app, const char *session, struct app_error *e)
{
	uint8_t h[32];
	enum store_err se;

	secret_hash(session, h);
	pthread_mutex_lock(&app->wlock);
	se = store_session_delete(app->writer, h);
	if (se != STORE_OK)
		app_error_set(e, 503, "unavailable",
		              "the session cannot be ended now: %s",
		              store_errmsg(app->writer));
	pthread_mutex_unlock(&app->wlock);
	return se == STORE_OK ? 0 : -1;
}

int
app_auth_session(struct app *app, const char *session, struct app_actor *who,
                 char csrf[65])
{
	struct store *st = app_reader(app);
	struct store_user u;
	int64_t uid = 0;
	uint8_t h[32];

	if (st == NULL || strlen(session) != 64)
		return -1;
	secret_hash(session, h);
	if (store_session_get(st, h, time_now_ms(), &uid, csrf, 65) !=
	        STORE_OK ||
	    store_user_by_id(st, uid, &u) != STORE_OK || u.disabled)
		return -1;
	fill_actor(who, &u);
	return 0;
}

int
app_auth_token(struct app *app, const char *token, struct app_actor *who)
{
	struct store *st = app_reader(app);
	struct store_user u;
	int64_t uid = 0;
	char id[40];
	uint8_t h[32];

	if (st == NULL || strncmp(token, APP_TOKEN_PREFIX, 4) != 0 ||
	    strlen(token) != 4 + 64)
		return -1;
	secret_hash(token, h);
	if (store_token_lookup(st, h, &uid, id, sizeof(id)) != STORE_OK ||
	    store_user_by_id(st, uid, &u) != STORE_OK || u.disabled)
		return -1;
	fill_actor(who, &u);
	return 0;
}

int
app_token_create(struct app *app, const struct app_actor *who, const char *name,
                 char **token_out, char id[40], struct app_receipt *r,
                 struct app_error *e)
{
	char secret[4 + 65];
	char idhex[17];
	uint8_t h[32];
	json_t *body;
	int rc;

	*token_out = NULL;
	memcpy(secret, APP_TOKEN_PREFIX, 4);
	random_hex(secret + 4, 32);
	random_hex(idhex, 8);
	snprintf(id, 40, "tok-%s", idhex);
	secret_hash(secret, h);
	body = json_pack("{s:s,s:s}", "id", id, "name", name ? name : "");
	rc = app_submit(app, who, "token.create", body, h, r, e);
	json_decref(body);
	if (rc == 0)
		*token_out = xstrdup(secret);
	sodium_memzero(secret, sizeof(secret));
	return rc;
}

int
app_user_enrol(struct app *app, const struct app_actor *who, json_t *body,
               char **token_out, struct app_error *e)
{
	struct app_receipt r;
	struct app_actor u;
	char id[40];

	*token_out = NULL;
	if (app_submit(app, who, "user.add", body, NULL, &r, e) != 0)
		return -1;
	app_actor_set(&u, policy_role_parse(jsonx_str(body, "role")), r.user_id,
	              jsonx_str(body, "username"), jsonx_str(body, "party"));
	return app_token_create(app, &u, "enrolled", token_out, id, &r, e);
}

int
app_token_revoke(struct app *app, const struct app_actor *who, const char *id,
                 struct app_receipt *r, struct app_error *e)
{
	json_t *body = json_pack("{s:s}", "id", id);
	int rc = app_submit(app, who, "token.revoke", body, NULL, r, e);

	json_decref(body);
	return rc;
}

/* --- accounts' act kinds (core/auth.c names these) ------------------------ */

int
auth_object_self(struct act_ctx *c, struct policy_object *o)
{
	o->owner_user_id = c->who->user_id;
	return 0;
}

int
auth_object_token(struct act_ctx *c, struct policy_object *o)
{
	const char *id = jsonx_str(c->body, "id");
	int revoked = 0;
	enum store_err se;

	se = store_token_owner(c->st, id, &o->owner_user_id, &revoked);
	if (se == STORE_NOTFOUND || (se == STORE_OK && revoked)) {
		app_error_set(c->e, 404, "not-found",
		              "no active token with id %s", id);
		return -1;
	}
	return apply_result(c, se);
}

int
auth_object_key(struct act_ctx *c, struct policy_object *o)
{
	const char *id = jsonx_str(c->body, "key_id");
	int revoked = 0;
	uint8_t pk[32];
	enum store_err se;

	se = store_key_get(c->st, id, &o->owner_user_id, pk, &revoked);
	if (se == STORE_NOTFOUND || (se == STORE_OK && revoked)) {
		app_error_set(c->e, 404, "not-found",
		              "no active key with id %.64s", id);
		return -1;
	}
	return apply_result(c, se);
}

int
auth_apply_user(struct act_ctx *c)
{
	enum store_err se;

	se = store_user_put(c->st, c->body, c->time_ms, c->idx, &c->user_id);
	if (se == STORE_OK && c->secret != NULL)
		se = store_password_set(c->st, c->user_id, c->secret);
	return apply_result(c, se);
}

/* The acting user's row. */
static int
acting_user(struct act_ctx *c, struct store_user *u)
{
	enum store_err se = store_user_get(c->st, c->user ? c->user : "", u);

	if (se == STORE_NOTFOUND) {
		app_error_set(c->e, 400, "validation",
		              "%s is an act of a user, and there is none",
		              c->t->name);
		return -1;
	}
	return apply_result(c, se);
}

int
auth_apply_token(struct act_ctx *c)
{
	struct store_user u;

	if (acting_user(c, &u) != 0)
		return -1;
	return apply_result(c, store_token_put(c->st, jsonx_str(c->body, "id"),
	                                       u.id, jsonx_str(c->body, "name"),
	                                       c->secret, c->time_ms, c->idx));
}

int
auth_apply_token_revoke(struct act_ctx *c)
{
	return apply_result(c,
	                    store_token_revoke(c->st, jsonx_str(c->body, "id"),
	                                       c->time_ms, c->idx));
}

int
auth_apply_key(struct act_ctx *c)
{
	const char *b64 = jsonx_str(c->body, "public_key");
	struct store_user u;
	uint8_t pk[32];

	if (enc_b64_decode_exact(b64, strlen(b64), pk, 32) != 0) {
		app_error_set(c->e, 400, "validation",
		              "body.public_key must be 32 bytes in base64");
		return -1;
	}
	if (acting_user(c, &u) != 0)
		return -1;
	return apply_result(c,
	                    store_key_put(c->st, jsonx_str(c->body, "key_id"),
	                                  u.id, pk, c->time_ms, c->idx));
}

int
auth_apply_key_revoke(struct act_ctx *c)
{
	return apply_result(c, store_key_revoke(c->st,
	                                        jsonx_str(c->body, "key_id"),
	                                        c->time_ms, c->idx));
}
