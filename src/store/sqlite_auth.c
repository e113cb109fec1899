/*
 * Accounts' tables: users, their credentials, API tokens, sessions and
 * signing keys.  Credentials and sessions are not part of the projection:
 * they never reach the log.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "store/sqlite_internal.h"

enum auth_stmt {
	S_KEY_PUT,
	S_KEY_REVOKE,
	S_KEY_REVOKED_AT,
	S_KEY_UNPLACED,
	S_KEY_GET,
	S_KEY_LIST,
	S_KEY_PUBLIC,
	S_USER_PUT,
	S_USER_GET,
	S_USER_BY_ID,
	S_USER_LIST,
	S_PASSWORD_SET,
	S_PASSWORD_GET,
	S_TOKEN_PUT,
	S_TOKEN_SECRET_PUT,
	S_TOKEN_REVOKE,
	S_TOKEN_LOOKUP,
	S_TOKEN_OWNER,
	S_TOKEN_LIST,
	S_SESSION_PUT,
	S_SESSION_GET,
	S_SESSION_DELETE,
	S_SESSION_PURGE,
	S__COUNT
};

static const char *const sql[S__COUNT] = {
    [S_KEY_PUT] = "INSERT INTO signing_key (id, user_id, public_key,"
                  " created_ms, log_idx) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_KEY_REVOKE] = "UPDATE signing_key SET revoked_ms = ?2,"
                     " revoked_idx = ?3 WHERE id = ?1"
                     " AND revoked_ms IS NULL",
    [S_KEY_REVOKED_AT] = "UPDATE signing_key SET revoked_idx = ?2"
                         " WHERE id = ?1 AND revoked_ms IS NOT NULL"
                         " AND revoked_idx IS NULL",
    [S_KEY_UNPLACED] = "SELECT count(*) FROM signing_key"
                       " WHERE revoked_ms IS NOT NULL AND revoked_idx IS NULL",
    [S_KEY_GET] = "SELECT user_id, public_key, revoked_ms IS NOT NULL"
                  " FROM signing_key WHERE id = ?1",
    [S_KEY_LIST] = "SELECT id, public_key, created_ms, revoked_ms,"
                   " log_idx, revoked_idx FROM signing_key WHERE user_id = ?1"
                   " ORDER BY created_ms, id",
    [S_KEY_PUBLIC] = "SELECT k.id, k.public_key, u.username AS user,"
                     " u.party, k.created_ms, k.revoked_ms, k.log_idx,"
                     " k.revoked_idx"
                     " FROM signing_key k JOIN user u ON u.id = k.user_id"
                     " WHERE k.id = ?1",
    [S_USER_PUT] = "INSERT INTO user (username, party, role, display_name,"
                   " created_ms, log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                   " RETURNING id",
    [S_USER_GET] = "SELECT id, username, COALESCE(party, ''), role,"
                   " disabled FROM user WHERE username = ?1",
    [S_USER_BY_ID] = "SELECT id, username, COALESCE(party, ''), role,"
                     " disabled FROM user WHERE id = ?1",
    [S_USER_LIST] = "SELECT username, party, role, display_name,"
                    " created_ms, disabled AS disabled_bool FROM user"
                    " ORDER BY username",
    [S_PASSWORD_SET] = "INSERT OR REPLACE INTO secret_password (user_id,"
                       " pwhash) VALUES (?1, ?2)",
    [S_PASSWORD_GET] = "SELECT pwhash FROM secret_password WHERE user_id = ?1",
    [S_TOKEN_PUT] = "INSERT INTO token (id, user_id, name, created_ms,"
                    " log_idx) VALUES (?1, ?2, ?3, ?4, ?5)",
    [S_TOKEN_SECRET_PUT] =
        "INSERT INTO secret_token (hash, token_id) VALUES (?1, ?2)",
    [S_TOKEN_REVOKE] = "UPDATE token SET revoked_ms = ?2 WHERE id = ?1"
                       " AND revoked_ms IS NULL",
    [S_TOKEN_LOOKUP] = "SELECT t.user_id, t.id FROM secret_token s"
                       " JOIN token t ON t.id = s.token_id"
                       " WHERE s.hash = ?1 AND t.revoked_ms IS NULL",
    [S_TOKEN_OWNER] = "SELECT user_id, revoked_ms IS NOT NULL FROM token"
                      " WHERE id = ?1",
    [S_TOKEN_LIST] = "SELECT id, name, created_ms, revoked_ms FROM token"
                     " WHERE user_id = ?1 ORDER BY created_ms, id",
    [S_SESSION_PUT] = "INSERT INTO session (hash, user_id, csrf,"
                      " expires_ms) VALUES (?1, ?2, ?3, ?4)",
    [S_SESSION_GET] = "SELECT user_id, csrf FROM session WHERE hash = ?1"
                      " AND expires_ms > ?2",
    [S_SESSION_DELETE] = "DELETE FROM session WHERE hash = ?1",
    [S_SESSION_PURGE] = "DELETE FROM session WHERE expires_ms <= ?1",
};

static sqlite3_stmt *
stmt(struct store *st, enum auth_stmt s)
{
	return sq_stmt(st, &sq_domain_auth, s);
}

enum store_err
store_key_put(struct store *st, const char *id, int64_t user_id,
              const uint8_t pk[32], int64_t time_ms, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_PUT);

	sq_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_blob(s, 3, pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, time_ms);
	sqlite3_bind_int64(s, 5, idx);
	return sq_run(st, s);
}

enum store_err
store_key_revoke(struct store *st, const char *id, int64_t time_ms, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_REVOKE);
	enum store_err e;

	sq_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, time_ms);
	sqlite3_bind_int64(s, 3, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_key_revoked_at(struct store *st, const char *id, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_REVOKED_AT);

	sq_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, idx);
	return sq_run(st, s);
}

enum store_err
store_key_unplaced(struct store *st, int64_t *n)
{
	sqlite3_stmt *s = stmt(st, S_KEY_UNPLACED);
	enum store_err e;

	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_key_get(struct store *st, const char *id, int64_t *user_id,
              uint8_t pk[32], int *revoked)
{
	sqlite3_stmt *s = stmt(st, S_KEY_GET);
	int rc;

	sq_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || sqlite3_column_bytes(s, 1) != 32) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(st, rc);
	}
	*user_id = sqlite3_column_int64(s, 0);
	memcpy(pk, sqlite3_column_blob(s, 1), 32);
	*revoked = sqlite3_column_int(s, 2);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_key_list(struct store *st, int64_t user_id, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_KEY_LIST);

	sqlite3_bind_int64(s, 1, user_id);
	return sq_rows(st, s, out);
}

enum store_err
store_key_public(struct store *st, const char *id, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_KEY_PUBLIC);

	sq_bind_text(s, 1, id);
	return sq_one_row(st, s, out);
}

/* --- users and secrets ---------------------------------------------------- */

static enum store_err
user_row(struct store *st, sqlite3_stmt *s, struct store_user *u)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(st, rc);
	}
	u->id = sqlite3_column_int64(s, 0);
	snprintf(u->username, sizeof(u->username), "%s",
	         (const char *)sqlite3_column_text(s, 1));
	snprintf(u->party, sizeof(u->party), "%s",
	         (const char *)sqlite3_column_text(s, 2));
	snprintf(u->role, sizeof(u->role), "%s",
	         (const char *)sqlite3_column_text(s, 3));
	u->disabled = sqlite3_column_int(s, 4);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_user_put(struct store *st, const json_t *b, int64_t time_ms, int64_t idx,
               int64_t *user_id)
{
	sqlite3_stmt *s = stmt(st, S_USER_PUT);

	sq_bind_member(s, 1, b, "username");
	sq_bind_member(s, 2, b, "party");
	sq_bind_member(s, 3, b, "role");
	sq_bind_member(s, 4, b, "display_name");
	sqlite3_bind_int64(s, 5, time_ms);
	sqlite3_bind_int64(s, 6, idx);
	return sq_returning(st, s, user_id);
}

enum store_err
store_user_get(struct store *st, const char *username, struct store_user *u)
{
	sqlite3_stmt *s = stmt(st, S_USER_GET);

	sq_bind_text(s, 1, username);
	return user_row(st, s, u);
}

enum store_err
store_user_by_id(struct store *st, int64_t id, struct store_user *u)
{
	sqlite3_stmt *s = stmt(st, S_USER_BY_ID);

	sqlite3_bind_int64(s, 1, id);
	return user_row(st, s, u);
}

enum store_err
store_user_list(struct store *st, json_t **out)
{
	return sq_rows(st, stmt(st, S_USER_LIST), out);
}

enum store_err
store_password_set(struct store *st, int64_t user_id, const char *pwhash)
{
	sqlite3_stmt *s = stmt(st, S_PASSWORD_SET);

	sqlite3_bind_int64(s, 1, user_id);
	sq_bind_text(s, 2, pwhash);
	return sq_run(st, s);
}

enum store_err
store_password_get(struct store *st, int64_t user_id, char *out, size_t outlen)
{
	sqlite3_stmt *s = stmt(st, S_PASSWORD_GET);
	enum store_err e;

	sqlite3_bind_int64(s, 1, user_id);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_token_put(struct store *st, const char *id, int64_t user_id,
                const char *name, const uint8_t hash[32], int64_t time_ms,
                int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_PUT);
	enum store_err e;

	sq_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	sq_bind_text(s, 3, name);
	sqlite3_bind_int64(s, 4, time_ms);
	sqlite3_bind_int64(s, 5, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	if (hash == NULL) /* replay: the secret never was in the log */
		return STORE_OK;
	s = stmt(st, S_TOKEN_SECRET_PUT);
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sq_bind_text(s, 2, id);
	return sq_run(st, s);
}

enum store_err
store_token_revoke(struct store *st, const char *id, int64_t time_ms,
                   int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_REVOKE);
	enum store_err e;

	(void)idx;
	sq_bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, time_ms);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_token_lookup(struct store *st, const uint8_t hash[32], int64_t *user_id,
                   char *id, size_t idlen)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_LOOKUP);
	enum store_err e;

	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*user_id = sqlite3_column_int64(s, 0);
	snprintf(id, idlen, "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_token_owner(struct store *st, const char *id, int64_t *user_id,
                  int *revoked)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_OWNER);
	enum store_err e;

	sq_bind_text(s, 1, id);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*user_id = sqlite3_column_int64(s, 0);
	*revoked = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_token_list(struct store *st, int64_t user_id, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_LIST);

	sqlite3_bind_int64(s, 1, user_id);
	return sq_rows(st, s, out);
}

enum store_err
store_session_put(struct store *st, const uint8_t hash[32], int64_t user_id,
                  const char *csrf, int64_t expires_ms)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_PURGE);
	enum store_err e;

	sqlite3_bind_int64(s, 1, expires_ms - 30LL * 24 * 3600 * 1000);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	s = stmt(st, S_SESSION_PUT);
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	sq_bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, expires_ms);
	return sq_run(st, s);
}

enum store_err
store_session_get(struct store *st, const uint8_t hash[32], int64_t now_ms,
                  int64_t *user_id, char *csrf, size_t csrflen)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_GET);
	enum store_err e;

	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*user_id = sqlite3_column_int64(s, 0);
	snprintf(csrf, csrflen, "%s", (const char *)sqlite3_column_text(s, 1));
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_session_delete(struct store *st, const uint8_t hash[32])
{
	sqlite3_stmt *s = stmt(st, S_SESSION_DELETE);

	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	return sq_run(st, s);
}

static const struct sq_table tables[] = {
    {"user",
     "SELECT id, username, party, role, display_name, created_ms,"
     " disabled, log_idx FROM user ORDER BY id",
     0},
    {"token",
     "SELECT id, user_id, name, created_ms, revoked_ms, log_idx"
     " FROM token ORDER BY id",
     0},
    {"signing_key",
     "SELECT id, user_id, public_key, created_ms, revoked_ms,"
     " log_idx, revoked_idx FROM signing_key ORDER BY id",
     0},
    {"secret_password", NULL, 0},
    {"secret_token", NULL, 0},
    {"session", NULL, 0},
};

const struct sq_domain sq_domain_auth = {
    "auth", sql, S__COUNT, tables, sizeof(tables) / sizeof(tables[0]), NULL, 0};
