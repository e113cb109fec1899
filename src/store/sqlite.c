/*
 * The SQLite backend of store.h.  One file, WAL, synchronous=FULL, foreign
 * keys on, BEGIN IMMEDIATE for writes, migrations by user_version, and every
 * statement prepared once per connection from the table below.
 */
#include "store/store.h"

#include <assert.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "store/sqlite_schema.h"

enum stmt {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_KEY_PUT,
	S_KEY_REVOKE,
	S_KEY_GET,
	S_KEY_LIST,
	S_KEY_PUBLIC,
	S_KEY_REVOKED_AT,
	S_KEY_UNPLACED,
	S_LOG_OF_TYPE,
	S_LOG_APPEND,
	S_LOG_SIZE,
	S_NODE_GET,
	S_NODE_PUT,
	S_LOG_GET,
	S_LOG_FIND,
	S_CKPT_PUT,
	S_CKPT_LATEST,
	S_SEARCH_ADD,
	S_PARTY_PUT,
	S_MEMBERSHIP_PUT,
	S_NORM_PUT,
	S_FORUM_PUT,
	S_FORUM_MEMBER_PUT,
	S_INSTRUMENT_PUT,
	S_INSTRUMENT_NORM_PUT,
	S_COMMITMENT_PUT,
	S_VOTE_PUT,
	S_INSTRUMENT_PARTY_PUT,
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
	S_PARTY_LIST,
	S_PARTY_GET,
	S_PARTY_MEMBERSHIPS,
	S_PARTY_MEMBERS,
	S_PARTY_VOTES,
	S_PARTY_INSTRUMENTS,
	S_PARTY_FORUMS,
	S_FORUM_LIST,
	S_FORUM_GET,
	S_FORUM_MEMBERS,
	S_FORUM_INSTRUMENTS,
	S_FORUM_CHILDREN,
	S_INSTRUMENT_LIST,
	S_INSTRUMENT_GET,
	S_INSTRUMENT_NORMS,
	S_INSTRUMENT_COMMITMENTS,
	S_INSTRUMENT_VOTE,
	S_INSTRUMENT_VOTERS,
	S_INSTRUMENT_PARTIES,
	S_NORM_LIST,
	S_NORM_GET,
	S_NORM_INSTRUMENTS,
	S_NORM_ENDORSERS,
	S_TIMELINE,
	S_SEARCH,
	S_STATS,
	S_CURSOR_PARTY,
	S_SEARCH_FLUSH,
	S_SEARCH_CLEAR,
	S_BEGIN_READ,
	S_CURSOR_FORUM,
	S_CURSOR_INSTRUMENT,
	S_LOG_SCAN,
	S__COUNT
};

/* Column aliases ending in _json are parsed as JSON, _bool become booleans. */
static const char *const sql[S__COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT act",
    [S_RELEASE] = "RELEASE act",
    [S_ROLLBACK_TO] = "ROLLBACK TO act",
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
    [S_LOG_OF_TYPE] = "SELECT idx, entry FROM log WHERE act_type = ?1"
                      " ORDER BY idx",
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
    [S_LOG_APPEND] =
        "INSERT INTO log (idx, entry, leaf_hash, act_type, party,"
        " username, signer, tlp, recipients, owner_user_id, time_ms)"
        " VALUES ((SELECT COALESCE(MAX(idx) + 1, 0) FROM log),"
        " ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING idx",
    [S_LOG_SIZE] = "SELECT COALESCE(MAX(idx) + 1, 0) FROM log",
    [S_NODE_GET] = "SELECT hash FROM log_node WHERE level = ?1 AND idx = ?2",
    [S_NODE_PUT] =
        "INSERT INTO log_node (level, idx, hash) VALUES (?1, ?2, ?3)",
    [S_LOG_GET] = "SELECT entry, idx AS \"index\", act_type, party,"
                  " username, signer, tlp, recipients AS recipients_json,"
                  " owner_user_id, time_ms, hex(leaf_hash) AS leaf_hash"
                  " FROM log WHERE idx = ?1",
    [S_LOG_FIND] = "SELECT idx FROM log WHERE leaf_hash = ?1",
    [S_LOG_SCAN] = "SELECT idx, entry FROM log WHERE idx >= ?1 AND idx < ?2"
                   " ORDER BY idx",
    [S_CKPT_PUT] = "INSERT OR REPLACE INTO checkpoint (size, root, note,"
                   " time_ms) VALUES (?1, ?2, ?3, ?4)",
    [S_CKPT_LATEST] =
        "SELECT note, size FROM checkpoint ORDER BY size DESC LIMIT 1",
    [S_SEARCH_ADD] = "INSERT INTO temp.search_pending (kind, ref, title,"
                     " body) VALUES (?1, ?2, ?3, ?4)",
    [S_PARTY_PUT] =
        "INSERT INTO party (code, name, kind, alpha2, numeric,"
        " un_group, admitted, description, sources, unconfirmed, note,"
        " log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12)",
    [S_MEMBERSHIP_PUT] =
        "INSERT INTO membership (organisation, member, since, until,"
        " role, sources, unconfirmed, note, log_idx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_NORM_PUT] = "INSERT INTO norm (id, code, title, text, sources,"
                   " unconfirmed, note, log_idx)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_FORUM_PUT] =
        "INSERT INTO forum (id, name, short_name, kind, parent,"
        " mandate, established_by, membership_rule, decision_rule,"
        " start, end, sources, unconfirmed, note, log_idx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15)",
    [S_FORUM_MEMBER_PUT] = "INSERT INTO forum_member (forum, party, role)"
                           " VALUES (?1, ?2, ?3)",
    [S_INSTRUMENT_PUT] =
        "INSERT INTO instrument (id, symbol, title, kind, date, forum,"
        " binding, outcome, outcome_reason, adoption, vote_totals,"
        " summary, sources, unconfirmed, note, log_idx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15, ?16)",
    [S_INSTRUMENT_NORM_PUT] = "INSERT INTO instrument_norm (instrument,"
                              " norm, relation) VALUES (?1, ?2, ?3)",
    [S_COMMITMENT_PUT] = "INSERT INTO commitment (instrument, id, text,"
                         " position) VALUES (?1, ?2, ?3, ?4)",
    [S_VOTE_PUT] = "INSERT INTO vote (instrument, date, sources, log_idx)"
                   " VALUES (?1, ?2, ?3, ?4)",
    [S_INSTRUMENT_PARTY_PUT] =
        "INSERT INTO instrument_party (instrument, party, relation,"
        " date, sources, log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
    [S_PARTY_LIST] = "SELECT code, name, kind, alpha2, un_group, admitted,"
                     " unconfirmed AS unconfirmed_bool FROM party"
                     " WHERE (?1 IS NULL OR kind = ?1)"
                     " AND (?2 IS NULL OR un_group = ?2)"
                     " AND (?3 IS NULL OR (name, code) >"
                     "  (SELECT name, code FROM party WHERE code = ?3))"
                     " ORDER BY name, code LIMIT ?4",
    [S_PARTY_GET] = "SELECT code, name, kind, alpha2, numeric, un_group,"
                    " admitted, description, sources AS sources_json,"
                    " unconfirmed AS unconfirmed_bool, note, log_idx"
                    " FROM party WHERE code = ?1",
    [S_PARTY_MEMBERSHIPS] =
        "SELECT m.organisation AS code, p.name, p.kind, m.role,"
        " m.since, m.until, m.sources AS sources_json,"
        " m.unconfirmed AS unconfirmed_bool, m.note"
        " FROM membership m JOIN party p ON p.code = m.organisation"
        " WHERE m.member = ?1 ORDER BY p.kind DESC, p.name",
    [S_PARTY_MEMBERS] =
        "SELECT m.member AS code, p.name, m.role, m.since, m.until,"
        " m.unconfirmed AS unconfirmed_bool"
        " FROM membership m JOIN party p ON p.code = m.member"
        " WHERE m.organisation = ?1 ORDER BY p.name",
    [S_PARTY_VOTES] =
        "SELECT i.id AS instrument, i.symbol, i.title, v.date,"
        " substr(ip.relation, 7) AS vote"
        " FROM instrument_party ip JOIN instrument i"
        " ON i.id = ip.instrument JOIN vote v ON v.instrument = i.id"
        " WHERE ip.party = ?1 AND ip.relation LIKE 'voted_%'"
        " ORDER BY v.date, i.id",
    [S_PARTY_INSTRUMENTS] =
        "SELECT i.id, i.symbol, i.title, i.kind, ip.relation,"
        " COALESCE(ip.date, i.date) AS date"
        " FROM instrument_party ip JOIN instrument i"
        " ON i.id = ip.instrument WHERE ip.party = ?1"
        " AND ip.relation NOT LIKE 'voted_%' ORDER BY date, i.id",
    [S_PARTY_FORUMS] = "SELECT f.id, f.name, f.kind, fm.role, f.start, f.end"
                       " FROM forum_member fm JOIN forum f ON f.id = fm.forum"
                       " WHERE fm.party = ?1 ORDER BY f.start, f.id",
    [S_FORUM_LIST] =
        "SELECT id, name, short_name, kind, parent, start, end,"
        " decision_rule, (SELECT count(*) FROM forum_member fm"
        " WHERE fm.forum = f.id) AS member_count,"
        " unconfirmed AS unconfirmed_bool FROM forum f"
        " WHERE (?1 IS NULL OR kind = ?1)"
        " AND (?3 IS NULL OR (COALESCE(start, ''), id) >"
        "  (SELECT COALESCE(start, ''), id FROM forum WHERE id = ?3))"
        " ORDER BY COALESCE(start, ''), id LIMIT ?4",
    [S_FORUM_GET] =
        "SELECT f.id, f.name, f.short_name, f.kind, f.parent,"
        " p.name AS parent_name, f.mandate, f.established_by,"
        " (SELECT id FROM instrument WHERE symbol = f.established_by)"
        " AS established_by_id,"
        " f.membership_rule, f.decision_rule, f.start, f.end,"
        " f.sources AS sources_json, f.unconfirmed AS unconfirmed_bool,"
        " f.note, f.log_idx FROM forum f"
        " LEFT JOIN forum p ON p.id = f.parent WHERE f.id = ?1",
    [S_FORUM_MEMBERS] =
        "SELECT fm.party AS code, p.name, fm.role FROM forum_member fm"
        " JOIN party p ON p.code = fm.party WHERE fm.forum = ?1"
        " ORDER BY fm.role = 'chair' DESC, p.name",
    [S_FORUM_INSTRUMENTS] =
        "SELECT id, symbol, title, kind, date, outcome FROM instrument"
        " WHERE forum = ?1 ORDER BY date, id",
    [S_FORUM_CHILDREN] = "SELECT id, name, kind, start, end FROM forum"
                         " WHERE parent = ?1 ORDER BY start, id",
    [S_INSTRUMENT_LIST] =
        "SELECT id, symbol, title, kind, date, forum, (SELECT name FROM"
        " forum WHERE forum.id = instrument.forum) AS forum_name,"
        " binding AS"
        " binding_bool, outcome, adoption, vote_totals AS"
        " vote_totals_json, unconfirmed AS unconfirmed_bool"
        " FROM instrument"
        " WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR forum = ?2)"
        " AND (?3 IS NULL OR (date, id) >"
        "  (SELECT date, id FROM instrument WHERE id = ?3))"
        " ORDER BY date, id LIMIT ?4",
    [S_INSTRUMENT_GET] =
        "SELECT i.id, i.symbol, i.title, i.kind, i.date, i.forum,"
        " f.name AS forum_name, i.binding AS binding_bool, i.outcome,"
        " i.outcome_reason, i.adoption, i.vote_totals AS"
        " vote_totals_json, i.summary, i.sources AS sources_json,"
        " i.unconfirmed AS unconfirmed_bool, i.note, i.log_idx"
        " FROM instrument i LEFT JOIN forum f ON f.id = i.forum"
        " WHERE i.id = ?1 OR i.symbol = ?1",
    [S_INSTRUMENT_NORMS] =
        "SELECT n.id, n.code, n.title, inr.relation"
        " FROM instrument_norm inr JOIN norm n ON n.id = inr.norm"
        " WHERE inr.instrument = ?1 ORDER BY n.code",
    [S_INSTRUMENT_COMMITMENTS] = "SELECT id, text FROM commitment"
                                 " WHERE instrument = ?1 ORDER BY position",
    [S_INSTRUMENT_VOTE] = "SELECT date, sources AS sources_json, log_idx"
                          " FROM vote WHERE instrument = ?1",
    [S_INSTRUMENT_VOTERS] =
        "SELECT substr(ip.relation, 7) AS vote, ip.party AS code,"
        " p.name FROM instrument_party ip JOIN party p"
        " ON p.code = ip.party WHERE ip.instrument = ?1"
        " AND ip.relation LIKE 'voted_%' ORDER BY p.name",
    [S_INSTRUMENT_PARTIES] =
        "SELECT ip.party AS code, p.name, ip.relation, ip.date,"
        " ip.sources AS sources_json, ip.log_idx"
        " FROM instrument_party ip JOIN party p ON p.code = ip.party"
        " WHERE ip.instrument = ?1 AND ip.relation NOT LIKE 'voted_%'"
        " ORDER BY ip.relation, p.name",
    [S_NORM_LIST] = "SELECT id, code, title, text,"
                    " unconfirmed AS unconfirmed_bool FROM norm"
                    " WHERE (?3 IS NULL OR id > ?3) ORDER BY id LIMIT ?4",
    [S_NORM_GET] = "SELECT id, code, title, text, sources AS sources_json,"
                   " unconfirmed AS unconfirmed_bool, note, log_idx"
                   " FROM norm WHERE id = ?1",
    [S_NORM_INSTRUMENTS] =
        "SELECT i.id, i.symbol, i.title, i.kind, i.date, inr.relation"
        " FROM instrument_norm inr JOIN instrument i"
        " ON i.id = inr.instrument WHERE inr.norm = ?1"
        " ORDER BY i.date, i.id",
    [S_NORM_ENDORSERS] =
        "SELECT DISTINCT ip.party AS code, p.name"
        " FROM instrument_norm inr JOIN instrument_party ip"
        " ON ip.instrument = inr.instrument JOIN party p"
        " ON p.code = ip.party WHERE inr.norm = ?1 AND ip.relation IN"
        " ('voted_yes', 'signatory', 'sponsor', 'party')"
        " ORDER BY p.name",
    [S_TIMELINE] =
        "WITH t AS ("
        " SELECT date, 'instrument' AS kind, id AS ref, title, summary,"
        "  outcome, symbol, date || '|i|' || id AS key FROM instrument"
        " UNION ALL"
        " SELECT start, 'forum', id, name, mandate, NULL, short_name,"
        "  start || '|f|' || id FROM forum WHERE start IS NOT NULL)"
        " SELECT date, kind, ref, title, summary, outcome, symbol, key"
        " FROM t WHERE (?3 IS NULL OR key < ?3)"
        " ORDER BY key DESC LIMIT ?4",
    [S_SEARCH] = "SELECT kind, ref AS id, title,"
                 " snippet(search, 3, '[', ']', ' … ', 16) AS snippet"
                 " FROM search WHERE search MATCH ?1"
                 " ORDER BY (title LIKE ?2) DESC, rank LIMIT ?3",
    [S_SEARCH_FLUSH] =
        "INSERT INTO search (kind, ref, title, body)"
        " SELECT kind, ref, title, body FROM temp.search_pending",
    [S_SEARCH_CLEAR] = "DELETE FROM temp.search_pending",
    [S_BEGIN_READ] = "BEGIN",
    [S_CURSOR_PARTY] = "SELECT 1 FROM party WHERE code = ?1",
    [S_CURSOR_FORUM] = "SELECT 1 FROM forum WHERE id = ?1",
    [S_CURSOR_INSTRUMENT] = "SELECT 1 FROM instrument WHERE id = ?1",
    [S_STATS] = "SELECT (SELECT count(*) FROM party WHERE kind IN"
                " ('state', 'observer_state')) AS states,"
                " (SELECT count(*) FROM party WHERE kind IN"
                " ('organisation', 'group')) AS organisations,"
                " (SELECT count(*) FROM forum) AS forums,"
                " (SELECT count(*) FROM instrument) AS instruments,"
                " (SELECT count(*) FROM norm) AS norms,"
                " (SELECT count(*) FROM vote) AS recorded_votes,"
                " (SELECT COALESCE(MAX(idx) + 1, 0) FROM log) AS log_size",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmts[S__COUNT];
	char err[256];
	bool reading; /* in a read transaction of store_read_begin's */
};

int
store_schema_version(void)
{
	return (int)(sizeof(sqlite_migrations) / sizeof(sqlite_migrations[0]));
}

const char *
store_errmsg(const struct store *st)
{
	return st->err;
}

static enum store_err
fail(struct store *st, int rc)
{
	snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(st->db));
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return STORE_BADREF;
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	return STORE_IO;
}

/* The statement, prepared on first use and reset for this one. */
static sqlite3_stmt *
stmt(struct store *st, enum stmt s)
{
	if (st->stmts[s] == NULL) {
		int rc = sqlite3_prepare_v3(st->db, sql[s], -1,
		                            SQLITE_PREPARE_PERSISTENT,
		                            &st->stmts[s], NULL);
		if (rc != SQLITE_OK) {
			/* A statement that does not prepare is a bug. */
			fprintf(stderr, "detente: SQL error %s in: %s\n",
			        sqlite3_errmsg(st->db), sql[s]);
			abort();
		}
	}
	sqlite3_reset(st->stmts[s]);
	sqlite3_clear_bindings(st->stmts[s]);
	return st->stmts[s];
}

/* Runs a statement that returns no rows. */
static enum store_err
run(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	return fail(st, rc);
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* Binds a string member of a JSON object, or NULL when absent or null. */
static void
bind_member(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	bind_text(s, i, jsonx_str(obj, key));
}

/* Binds a JSON member serialised as text, or NULL. */
static void
bind_json(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		sqlite3_bind_null(s, i);
		return;
	}
	sqlite3_bind_text(s, i, jsonx_dump(v, NULL), -1, free);
}

static void
bind_bool(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	sqlite3_bind_int(s, i, json_is_true(json_object_get(obj, key)));
}

/* A row as an object, named by the columns (see the _json/_bool rule). */
static json_t *
row_json(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(s);

	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(s, i);
		size_t len = strlen(name);
		char key[64];
		json_t *v;

		if (len > 5 && strcmp(name + len - 5, "_json") == 0) {
			snprintf(key, sizeof(key), "%.*s", (int)(len - 5),
			         name);
			if (sqlite3_column_type(s, i) == SQLITE_NULL) {
				v = json_null();
			} else {
				v = json_loads(
				    (const char *)sqlite3_column_text(s, i), 0,
				    NULL);
				if (v == NULL)
					v = json_null();
			}
		} else if (len > 5 && strcmp(name + len - 5, "_bool") == 0) {
			snprintf(key, sizeof(key), "%.*s", (int)(len - 5),
			         name);
			v = json_boolean(sqlite3_column_int(s, i));
		} else {
			snprintf(key, sizeof(key), "%s", name);
			switch (sqlite3_column_type(s, i)) {
			case SQLITE_INTEGER:
				v = json_integer(sqlite3_column_int64(s, i));
				break;
			case SQLITE_FLOAT:
				v = json_real(sqlite3_column_double(s, i));
				break;
			case SQLITE_TEXT:
				v = json_stringn(
				    (const char *)sqlite3_column_text(s, i),
				    (size_t)sqlite3_column_bytes(s, i));
				break;
			case SQLITE_BLOB: {
				static const char hex[] = "0123456789abcdef";
				const unsigned char *b =
				    sqlite3_column_blob(s, i);
				int bl = sqlite3_column_bytes(s, i);
				char *h = xmalloc((size_t)bl * 2 + 1);

				for (int j = 0; j < bl; j++) {
					h[2 * j] = hex[b[j] >> 4];
					h[2 * j + 1] = hex[b[j] & 15];
				}
				h[2 * bl] = '\0';
				v = json_string(h);
				free(h);
				break;
			}
			default:
				v = json_null();
				break;
			}
		}
		json_object_set_new(o, key, v);
	}
	return o;
}

/* All rows of a statement as an array in *out. */
static enum store_err
rows(struct store *st, sqlite3_stmt *s, json_t **out)
{
	json_t *a = json_array();
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, row_json(s));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		*out = NULL;
		return fail(st, rc);
	}
	*out = a;
	return STORE_OK;
}

/* The one row of a statement, or STORE_NOTFOUND. */
static enum store_err
one_row(struct store *st, sqlite3_stmt *s, json_t **out)
{
	int rc = sqlite3_step(s);

	*out = NULL;
	if (rc == SQLITE_ROW) {
		*out = row_json(s);
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	return fail(st, rc);
}

/*
 * Steps s to its first row.  STORE_OK leaves the row ready to read (reset
 * s after); otherwise s is reset and the answer is STORE_NOTFOUND or the
 * error.
 */
static enum store_err
first_row(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
}

/* Adds the rows of a statement bound to one key as member name of obj. */
static enum store_err
attach(struct store *st, json_t *obj, const char *name, enum stmt which,
       const char *key)
{
	sqlite3_stmt *s = stmt(st, which);
	json_t *a = NULL;
	enum store_err e;

	bind_text(s, 1, key);
	e = rows(st, s, &a);
	if (e == STORE_OK)
		json_object_set_new(obj, name, a);
	return e;
}

static enum store_err
exec(struct store *st, const char *text)
{
	char *msg = NULL;
	int rc = sqlite3_exec(st->db, text, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		snprintf(st->err, sizeof(st->err), "%s",
		         msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return STORE_IO;
	}
	return STORE_OK;
}

static enum store_err
migrate(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int version = 0;
	int latest = store_schema_version();
	enum store_err e;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL) !=
	    SQLITE_OK)
		return fail(st, SQLITE_ERROR);
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > latest) {
		snprintf(st->err, sizeof(st->err),
		         "the database has schema version %d; this detente "
		         "knows versions up to %d: use a newer detente",
		         version, latest);
		return STORE_TOONEW;
	}
	for (int v = version; v < latest; v++) {
		char pragma[64];

		if ((e = exec(st, "BEGIN IMMEDIATE")) != STORE_OK)
			return e;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		         v + 1);
		if ((e = exec(st, sqlite_migrations[v])) != STORE_OK ||
		    (e = exec(st, pragma)) != STORE_OK) {
			char keep[256];

			memcpy(keep, st->err, sizeof(keep));
			exec(st, "ROLLBACK");
			memcpy(st->err, keep, sizeof(keep));
			return e;
		}
		if ((e = exec(st, "COMMIT")) != STORE_OK)
			return e;
	}
	return STORE_OK;
}

/*
 * Process-wide settings, before SQLite initialises: no memory statistics
 * (nothing reads them, and keeping them takes a global mutex on every
 * allocation, shared by all connections and threads).  If the library was
 * initialised already, the call fails harmlessly and the default stays.
 */
static void
configure(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum store_err
store_open(const char *path, unsigned flags, struct store **out, char *err,
           size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct store *st = xcalloc(1, sizeof(*st));
	int oflags = SQLITE_OPEN_NOMUTEX;
	enum store_err e = STORE_IO;
	int rc;

	pthread_once(&once, configure);
	*out = NULL;
	if (flags & STORE_READONLY) {
		oflags |= SQLITE_OPEN_READONLY;
	} else {
		oflags |= SQLITE_OPEN_READWRITE;
		if (flags & STORE_CREATE) {
			/* Create the file ourselves so that it is 0600 from
			 * its first byte; SQLite gives -wal and -shm the same
			 * mode. */
			int fd =
			    open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

			if (fd < 0) {
				snprintf(err, errlen, "cannot create %s: %s",
				         path, strerror(errno));
				free(st);
				return STORE_IO;
			}
			close(fd);
		}
	}
	rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "cannot open %s: %s", path,
		         st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 10000);
	if ((e = exec(st, "PRAGMA foreign_keys = ON")) != STORE_OK)
		goto fail;
	if (!(flags & STORE_READONLY)) {
		/* Durable at commit (FULL); checkpoint the WAL into the
		 * database less often than the default 1000 pages, since a
		 * page written many times is copied back once per
		 * checkpoint. */
		if ((e = exec(st, "PRAGMA journal_mode = WAL")) != STORE_OK ||
		    (e = exec(st, "PRAGMA synchronous = FULL")) != STORE_OK ||
		    (e = exec(st, "PRAGMA wal_autocheckpoint = 8000")) !=
		        STORE_OK ||
		    (e = exec(st, "PRAGMA cache_size = -16384")) != STORE_OK)
			goto fail;
		if ((e = migrate(st)) != STORE_OK ||
		    (e = exec(st, "PRAGMA temp_store = MEMORY")) != STORE_OK ||
		    (e = exec(st, "CREATE TEMP TABLE search_pending (kind, ref,"
		                  " title, body)")) != STORE_OK)
			goto fail;
	} else {
		sqlite3_stmt *s = NULL;
		int version = 0;

		if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
		                       NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			version = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
		if (version != store_schema_version()) {
			snprintf(st->err, sizeof(st->err),
			         "%s has schema version %d, this detente "
			         "writes %d",
			         path, version, store_schema_version());
			e = version > store_schema_version() ? STORE_TOONEW
			                                     : STORE_IO;
			goto fail;
		}
	}
	*out = st;
	return STORE_OK;
fail:
	snprintf(err, errlen, "%s: %s", path, st->err);
out:
	store_close(st);
	return e;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < S__COUNT; i++)
		sqlite3_finalize(st->stmts[i]);
	sqlite3_close(st->db);
	free(st);
}

enum store_err
store_begin(struct store *st)
{
	return run(st, stmt(st, S_BEGIN));
}

/*
 * Search rows are staged in a temporary table during a transaction and
 * moved into the FTS5 index by one statement at commit: FTS5 writes a new
 * segment at every savepoint after an insert, and a batch has a savepoint
 * per act.  The temporary table follows savepoints and rollbacks.
 */
enum store_err
store_commit(struct store *st)
{
	enum store_err e;

	if ((e = run(st, stmt(st, S_SEARCH_FLUSH))) != STORE_OK ||
	    (e = run(st, stmt(st, S_SEARCH_CLEAR))) != STORE_OK)
		return e;
	return run(st, stmt(st, S_COMMIT));
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)run(st, stmt(st, S_ROLLBACK));
}

enum store_err
store_read_begin(struct store *st)
{
	enum store_err e;

	if (!sqlite3_get_autocommit(st->db))
		return STORE_OK;
	if ((e = run(st, stmt(st, S_BEGIN_READ))) == STORE_OK)
		st->reading = true;
	return e;
}

void
store_read_end(struct store *st)
{
	if (!st->reading)
		return;
	st->reading = false;
	/* nothing was written: ending the snapshot cannot lose anything, and
	 * if COMMIT fails, ROLLBACK ends it, so no later read is stale */
	if (!sqlite3_get_autocommit(st->db) &&
	    run(st, stmt(st, S_COMMIT)) != STORE_OK)
		(void)run(st, stmt(st, S_ROLLBACK));
}

/* Sets the journal mode, which SQLite may decline by answering the old
 * one rather than with an error. */
static enum store_err
journal_mode(struct store *st, const char *mode)
{
	sqlite3_stmt *s = NULL;
	char sql[64];
	int rc;
	bool ok;

	snprintf(sql, sizeof(sql), "PRAGMA journal_mode = %s", mode);
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return fail(st, rc);
	rc = sqlite3_step(s);
	ok = rc == SQLITE_ROW && sqlite3_column_text(s, 0) != NULL &&
	     strcmp((const char *)sqlite3_column_text(s, 0), mode) == 0;
	sqlite3_finalize(s);
	if (!ok) {
		snprintf(st->err, sizeof(st->err),
		         "the journal mode stays as it was, not %s", mode);
		return STORE_IO;
	}
	return STORE_OK;
}

enum store_err
store_bulk(struct store *st, int on)
{
	enum store_err e;
	int rc;

	/* A bigger cache while building: the log's leaf_hash index takes
	 * its inserts in random order, over some 50 MB per million. */
	if (on) {
		if ((e = exec(st, "PRAGMA synchronous = OFF")) != STORE_OK ||
		    (e = exec(st, "PRAGMA locking_mode = EXCLUSIVE")) !=
		        STORE_OK ||
		    (e = journal_mode(st, "memory")) != STORE_OK)
			return e;
		return exec(st, "PRAGMA cache_size = -262144");
	}
	if ((e = journal_mode(st, "wal")) != STORE_OK ||
	    (e = exec(st, "PRAGMA locking_mode = NORMAL")) != STORE_OK ||
	    (e = exec(st, "PRAGMA synchronous = FULL")) != STORE_OK ||
	    (e = exec(st, "PRAGMA cache_size = -16384")) != STORE_OK)
		return e;
	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	                               NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : fail(st, rc);
}

enum store_err
store_savepoint(struct store *st)
{
	return run(st, stmt(st, S_SAVEPOINT));
}

enum store_err
store_release(struct store *st)
{
	return run(st, stmt(st, S_RELEASE));
}

void
store_rollback_to(struct store *st)
{
	(void)run(st, stmt(st, S_ROLLBACK_TO));
	(void)run(st, stmt(st, S_RELEASE));
}

enum store_err
store_key_put(struct store *st, const char *id, int64_t user_id,
              const uint8_t pk[32], int64_t time_ms, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_PUT);

	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_blob(s, 3, pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, time_ms);
	sqlite3_bind_int64(s, 5, idx);
	return run(st, s);
}

enum store_err
store_key_revoke(struct store *st, const char *id, int64_t time_ms, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_REVOKE);
	enum store_err e;

	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, time_ms);
	sqlite3_bind_int64(s, 3, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_key_revoked_at(struct store *st, const char *id, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_KEY_REVOKED_AT);

	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, idx);
	return run(st, s);
}

enum store_err
store_key_unplaced(struct store *st, int64_t *n)
{
	sqlite3_stmt *s = stmt(st, S_KEY_UNPLACED);
	enum store_err e;

	if ((e = first_row(st, s)) != STORE_OK)
		return e;
	*n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_log_of_type(struct store *st, const char *type,
                  int (*each)(void *ctx, uint64_t index, const uint8_t *entry,
                              size_t len),
                  void *ctx)
{
	sqlite3_stmt *s = stmt(st, S_LOG_OF_TYPE);
	int rc;

	bind_text(s, 1, type);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(ctx, (uint64_t)sqlite3_column_int64(s, 0),
		         sqlite3_column_blob(s, 1),
		         (size_t)sqlite3_column_bytes(s, 1)) != 0)
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : fail(st, rc);
}

enum store_err
store_key_get(struct store *st, const char *id, int64_t *user_id,
              uint8_t pk[32], int *revoked)
{
	sqlite3_stmt *s = stmt(st, S_KEY_GET);
	int rc;

	bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || sqlite3_column_bytes(s, 1) != 32) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
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
	return rows(st, s, out);
}

enum store_err
store_key_public(struct store *st, const char *id, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_KEY_PUBLIC);

	bind_text(s, 1, id);
	return one_row(st, s, out);
}

/* --- log ----------------------------------------------------------------- */

enum store_err
store_log_append(struct store *st, const struct store_log_entry *e,
                 uint64_t *index)
{
	sqlite3_stmt *s = stmt(st, S_LOG_APPEND);
	int rc;

	sqlite3_bind_blob(s, 1, e->entry, (int)e->len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, e->leaf_hash, 32, SQLITE_STATIC);
	bind_text(s, 3, e->act_type);
	bind_text(s, 4, e->party);
	bind_text(s, 5, e->username);
	bind_text(s, 6, e->signer);
	bind_text(s, 7, e->tlp);
	bind_text(s, 8, e->recipients_json);
	sqlite3_bind_int64(s, 9, e->owner_user_id);
	sqlite3_bind_int64(s, 10, e->time_ms);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(st, rc);
	}
	*index = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_log_size(struct store *st, uint64_t *size)
{
	sqlite3_stmt *s = stmt(st, S_LOG_SIZE);
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(st, rc);
	}
	*size = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_log_node_get(struct store *st, unsigned level, uint64_t index,
                   uint8_t out[32])
{
	sqlite3_stmt *s = stmt(st, S_NODE_GET);
	int rc;

	sqlite3_bind_int(s, 1, (int)level);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)index);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 32) {
		memcpy(out, sqlite3_column_blob(s, 0), 32);
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		snprintf(st->err, sizeof(st->err),
		         "no tree node at level %u index %llu", level,
		         (unsigned long long)index);
		return STORE_NOTFOUND;
	}
	return fail(st, rc);
}

enum store_err
store_log_node_put(struct store *st, unsigned level, uint64_t index,
                   const uint8_t hash[32])
{
	sqlite3_stmt *s = stmt(st, S_NODE_PUT);

	sqlite3_bind_int(s, 1, (int)level);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)index);
	sqlite3_bind_blob(s, 3, hash, 32, SQLITE_STATIC);
	return run(st, s);
}

enum store_err
store_log_get(struct store *st, uint64_t index, uint8_t **entry, size_t *len,
              json_t **meta)
{
	sqlite3_stmt *s = stmt(st, S_LOG_GET);
	enum store_err e;

	*entry = NULL;
	*meta = NULL;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)index);
	if ((e = first_row(st, s)) != STORE_OK)
		return e;
	*len = (size_t)sqlite3_column_bytes(s, 0);
	*entry = xmemdup(sqlite3_column_blob(s, 0), *len ? *len : 1);
	*meta = row_json(s);
	json_object_del(*meta, "entry");
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_log_scan(struct store *st, uint64_t start, uint64_t end,
               void (*fn)(void *ctx, uint64_t index, const uint8_t *entry,
                          size_t len),
               void *ctx)
{
	sqlite3_stmt *s = stmt(st, S_LOG_SCAN);
	int rc;

	sqlite3_bind_int64(s, 1, (sqlite3_int64)start);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)end);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		fn(ctx, (uint64_t)sqlite3_column_int64(s, 0),
		   sqlite3_column_blob(s, 1),
		   (size_t)sqlite3_column_bytes(s, 1));
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_OK : fail(st, rc);
}

enum store_err
store_log_find(struct store *st, const uint8_t leaf_hash[32], uint64_t *index)
{
	sqlite3_stmt *s = stmt(st, S_LOG_FIND);
	enum store_err e;

	sqlite3_bind_blob(s, 1, leaf_hash, 32, SQLITE_STATIC);
	if ((e = first_row(st, s)) != STORE_OK)
		return e;
	*index = (uint64_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_checkpoint_put(struct store *st, uint64_t size, const uint8_t root[32],
                     const char *note, int64_t time_ms)
{
	sqlite3_stmt *s = stmt(st, S_CKPT_PUT);

	sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
	sqlite3_bind_blob(s, 2, root, 32, SQLITE_STATIC);
	bind_text(s, 3, note);
	sqlite3_bind_int64(s, 4, time_ms);
	return run(st, s);
}

enum store_err
store_checkpoint_latest(struct store *st, char **note, uint64_t *size)
{
	sqlite3_stmt *s = stmt(st, S_CKPT_LATEST);
	int rc = sqlite3_step(s);

	*note = NULL;
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
	}
	*note = xstrdup((const char *)sqlite3_column_text(s, 0));
	*size = (uint64_t)sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return STORE_OK;
}

/* --- appliers ------------------------------------------------------------- */

static enum store_err
index_text(struct store *st, const char *kind, const char *ref,
           const char *title, const char *body)
{
	sqlite3_stmt *s = stmt(st, S_SEARCH_ADD);
	enum store_err e;

	bind_text(s, 1, kind);
	bind_text(s, 2, ref);
	bind_text(s, 3, title);
	bind_text(s, 4, body ? body : "");
	if ((e = run(st, s)) != STORE_OK)
		return e;
	if (!sqlite3_get_autocommit(st->db))
		return STORE_OK; /* moved into the index at commit */
	if ((e = run(st, stmt(st, S_SEARCH_FLUSH))) != STORE_OK)
		return e;
	return run(st, stmt(st, S_SEARCH_CLEAR));
}

/* Binds the provenance members shared by every record at slots i, i+1, i+2
 * (sources, unconfirmed, note). */
static void
bind_provenance(sqlite3_stmt *s, int i, const json_t *b)
{
	bind_json(s, i, b, "sources");
	bind_bool(s, i + 1, b, "unconfirmed");
	bind_member(s, i + 2, b, "note");
}

enum store_err
store_party_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_PARTY_PUT);
	enum store_err e;
	char *body;

	bind_member(s, 1, b, "code");
	bind_member(s, 2, b, "name");
	bind_member(s, 3, b, "kind");
	bind_member(s, 4, b, "alpha2");
	bind_member(s, 5, b, "numeric");
	bind_member(s, 6, b, "un_group");
	bind_member(s, 7, b, "admitted");
	bind_member(s, 8, b, "description");
	bind_provenance(s, 9, b);
	sqlite3_bind_int64(s, 12, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	body = xasprintf(
	    "%s %s %s", jsonx_str(b, "code"),
	    jsonx_str(b, "alpha2") ? jsonx_str(b, "alpha2") : "",
	    jsonx_str(b, "description") ? jsonx_str(b, "description") : "");
	e = index_text(st, "party", jsonx_str(b, "code"), jsonx_str(b, "name"),
	               body);
	free(body);
	return e;
}

enum store_err
store_membership_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_MEMBERSHIP_PUT);

	bind_member(s, 1, b, "organisation");
	bind_member(s, 2, b, "member");
	bind_member(s, 3, b, "since");
	bind_member(s, 4, b, "until");
	bind_member(s, 5, b, "role");
	bind_provenance(s, 6, b);
	sqlite3_bind_int64(s, 9, idx);
	return run(st, s);
}

enum store_err
store_norm_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_NORM_PUT);
	enum store_err e;
	char *title;

	bind_member(s, 1, b, "id");
	bind_member(s, 2, b, "code");
	bind_member(s, 3, b, "title");
	bind_member(s, 4, b, "text");
	bind_provenance(s, 5, b);
	sqlite3_bind_int64(s, 8, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	title = xasprintf("Norm (%s): %s", jsonx_str(b, "code"),
	                  jsonx_str(b, "title"));
	e = index_text(st, "norm", jsonx_str(b, "id"), title,
	               jsonx_str(b, "text"));
	free(title);
	return e;
}

enum store_err
store_forum_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_FORUM_PUT);
	const char *id = jsonx_str(b, "id");
	json_t *members = json_object_get(b, "members");
	json_t *m;
	size_t i;
	enum store_err e;
	char *body;

	bind_member(s, 1, b, "id");
	bind_member(s, 2, b, "name");
	bind_member(s, 3, b, "short_name");
	bind_member(s, 4, b, "kind");
	bind_member(s, 5, b, "parent");
	bind_member(s, 6, b, "mandate");
	bind_member(s, 7, b, "established_by");
	bind_member(s, 8, b, "membership_rule");
	bind_member(s, 9, b, "decision_rule");
	bind_member(s, 10, b, "start");
	bind_member(s, 11, b, "end");
	bind_provenance(s, 12, b);
	sqlite3_bind_int64(s, 15, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	json_array_foreach(members, i, m)
	{
		s = stmt(st, S_FORUM_MEMBER_PUT);
		bind_text(s, 1, id);
		bind_member(s, 2, m, "party");
		bind_member(s, 3, m, "role");
		if ((e = run(st, s)) != STORE_OK)
			return e;
	}
	body = xasprintf(
	    "%s %s %s",
	    jsonx_str(b, "short_name") ? jsonx_str(b, "short_name") : "",
	    jsonx_str(b, "mandate"),
	    jsonx_str(b, "established_by") ? jsonx_str(b, "established_by")
	                                   : "");
	e = index_text(st, "forum", id, jsonx_str(b, "name"), body);
	free(body);
	return e;
}

enum store_err
store_instrument_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_INSTRUMENT_PUT);
	const char *id = jsonx_str(b, "id");
	json_t *v;
	size_t i;
	enum store_err e;
	char *title;
	struct buf body;
	bool full;

	bind_member(s, 1, b, "id");
	bind_member(s, 2, b, "symbol");
	bind_member(s, 3, b, "title");
	bind_member(s, 4, b, "kind");
	bind_member(s, 5, b, "date");
	bind_member(s, 6, b, "forum");
	bind_bool(s, 7, b, "binding");
	bind_member(s, 8, b, "outcome");
	bind_member(s, 9, b, "outcome_reason");
	bind_member(s, 10, b, "adoption");
	bind_json(s, 11, b, "vote_totals");
	bind_member(s, 12, b, "summary");
	bind_provenance(s, 13, b);
	sqlite3_bind_int64(s, 16, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	json_array_foreach(json_object_get(b, "norms"), i, v)
	{
		s = stmt(st, S_INSTRUMENT_NORM_PUT);
		bind_text(s, 1, id);
		bind_member(s, 2, v, "norm");
		bind_member(s, 3, v, "relation");
		if ((e = run(st, s)) != STORE_OK)
			return e;
	}
	buf_init(&body, 64 * 1024);
	full = false;
	json_array_foreach(json_object_get(b, "commitments"), i, v)
	{
		s = stmt(st, S_COMMITMENT_PUT);
		bind_text(s, 1, id);
		bind_member(s, 2, v, "id");
		bind_member(s, 3, v, "text");
		sqlite3_bind_int64(s, 4, (sqlite3_int64)i);
		if ((e = run(st, s)) != STORE_OK) {
			buf_free(&body);
			return e;
		}
		/* The search text is capped; past the cap it is cut, and
		 * every commitment is still stored. */
		full = full || buf_printf(&body, " %s", jsonx_str(v, "text"));
	}
	if (buf_printf(&body, " %s %s", jsonx_str(b, "summary"),
	               jsonx_str(b, "outcome_reason")
	                   ? jsonx_str(b, "outcome_reason")
	                   : "") != 0)
		buf_reset(&body);
	title = xasprintf(
	    "%s%s%s", jsonx_str(b, "symbol") ? jsonx_str(b, "symbol") : "",
	    jsonx_str(b, "symbol") ? " " : "", jsonx_str(b, "title"));
	e = index_text(st, "instrument", id, title, body.data);
	free(title);
	buf_free(&body);
	return e;
}

static enum store_err
put_relations(struct store *st, const char *instrument, const json_t *list,
              const char *relation, const char *date, const char *sources,
              int64_t idx)
{
	json_t *v;
	size_t i;
	enum store_err e;

	json_array_foreach(list, i, v)
	{
		sqlite3_stmt *s = stmt(st, S_INSTRUMENT_PARTY_PUT);
		const char *party = json_is_string(v) ? json_string_value(v)
		                                      : jsonx_str(v, "party");

		bind_text(s, 1, instrument);
		bind_text(s, 2, party);
		bind_text(s, 3, relation ? relation : jsonx_str(v, "relation"));
		bind_text(s, 4, relation ? date : jsonx_str(v, "date"));
		bind_text(s, 5, sources);
		sqlite3_bind_int64(s, 6, idx);
		if ((e = run(st, s)) != STORE_OK) {
			/* Keep SQLite's words first: the app tells an unknown
			 * reference from a duplicate by them. */
			char why[sizeof(st->err)];

			memcpy(why, st->err, sizeof(why));
			snprintf(st->err, sizeof(st->err), "%.60s (%s: %s)",
			         why, instrument, party ? party : "?");
			return e;
		}
	}
	return STORE_OK;
}

enum store_err
store_vote_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_VOTE_PUT);
	const char *id = jsonx_str(b, "instrument");
	const char *date = jsonx_str(b, "date");
	char *sources = jsonx_dump(json_object_get(b, "sources"), NULL);
	enum store_err e;

	bind_text(s, 1, id);
	bind_text(s, 2, date);
	bind_text(s, 3, sources);
	sqlite3_bind_int64(s, 4, idx);
	if ((e = run(st, s)) != STORE_OK)
		goto out;
	if ((e = put_relations(st, id, json_object_get(b, "yes"), "voted_yes",
	                       date, sources, idx)) != STORE_OK ||
	    (e = put_relations(st, id, json_object_get(b, "no"), "voted_no",
	                       date, sources, idx)) != STORE_OK ||
	    (e = put_relations(st, id, json_object_get(b, "abstain"),
	                       "voted_abstain", date, sources, idx)) !=
	        STORE_OK)
		goto out;
out:
	free(sources);
	return e;
}

enum store_err
store_join_put(struct store *st, const json_t *b, int64_t idx)
{
	char *sources = jsonx_dump(json_object_get(b, "sources"), NULL);
	enum store_err e;

	e = put_relations(st, jsonx_str(b, "instrument"),
	                  json_object_get(b, "parties"), NULL, NULL, sources,
	                  idx);
	free(sources);
	return e;
}

/* --- users and secrets ---------------------------------------------------- */

static enum store_err
user_row(struct store *st, sqlite3_stmt *s, struct store_user *u)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : fail(st, rc);
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
	int rc;

	bind_member(s, 1, b, "username");
	bind_member(s, 2, b, "party");
	bind_member(s, 3, b, "role");
	bind_member(s, 4, b, "display_name");
	sqlite3_bind_int64(s, 5, time_ms);
	sqlite3_bind_int64(s, 6, idx);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return fail(st, rc);
	}
	*user_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_user_get(struct store *st, const char *username, struct store_user *u)
{
	sqlite3_stmt *s = stmt(st, S_USER_GET);

	bind_text(s, 1, username);
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
	return rows(st, stmt(st, S_USER_LIST), out);
}

enum store_err
store_password_set(struct store *st, int64_t user_id, const char *pwhash)
{
	sqlite3_stmt *s = stmt(st, S_PASSWORD_SET);

	sqlite3_bind_int64(s, 1, user_id);
	bind_text(s, 2, pwhash);
	return run(st, s);
}

enum store_err
store_password_get(struct store *st, int64_t user_id, char *out, size_t outlen)
{
	sqlite3_stmt *s = stmt(st, S_PASSWORD_GET);
	enum store_err e;

	sqlite3_bind_int64(s, 1, user_id);
	if ((e = first_row(st, s)) != STORE_OK)
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

	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, name);
	sqlite3_bind_int64(s, 4, time_ms);
	sqlite3_bind_int64(s, 5, idx);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	if (hash == NULL) /* replay: the secret never was in the log */
		return STORE_OK;
	s = stmt(st, S_TOKEN_SECRET_PUT);
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	bind_text(s, 2, id);
	return run(st, s);
}

enum store_err
store_token_revoke(struct store *st, const char *id, int64_t time_ms,
                   int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_TOKEN_REVOKE);
	enum store_err e;

	(void)idx;
	bind_text(s, 1, id);
	sqlite3_bind_int64(s, 2, time_ms);
	if ((e = run(st, s)) != STORE_OK)
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
	if ((e = first_row(st, s)) != STORE_OK)
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

	bind_text(s, 1, id);
	if ((e = first_row(st, s)) != STORE_OK)
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
	return rows(st, s, out);
}

enum store_err
store_session_put(struct store *st, const uint8_t hash[32], int64_t user_id,
                  const char *csrf, int64_t expires_ms)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_PURGE);
	enum store_err e;

	sqlite3_bind_int64(s, 1, expires_ms - 30LL * 24 * 3600 * 1000);
	if ((e = run(st, s)) != STORE_OK)
		return e;
	s = stmt(st, S_SESSION_PUT);
	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, user_id);
	bind_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, expires_ms);
	return run(st, s);
}

enum store_err
store_session_get(struct store *st, const uint8_t hash[32], int64_t now_ms,
                  int64_t *user_id, char *csrf, size_t csrflen)
{
	sqlite3_stmt *s = stmt(st, S_SESSION_GET);
	enum store_err e;

	sqlite3_bind_blob(s, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, now_ms);
	if ((e = first_row(st, s)) != STORE_OK)
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
	return run(st, s);
}

/* --- reads ---------------------------------------------------------------- */

/*
 * Runs a keyset-paginated list: binds kind/group/forum (?1, ?2), the cursor
 * (?3) and limit+1 (?4), and returns {"items", "next"} with next = the key
 * member of the last item when more rows follow.
 */
static enum store_err
page(struct store *st, enum stmt which, const struct store_query *q,
     const char *filter2, const char *key, json_t **out)
{
	static const struct {
		enum stmt list, cursor;
	} cursors[] = {
	    {S_PARTY_LIST, S_CURSOR_PARTY},
	    {S_FORUM_LIST, S_CURSOR_FORUM},
	    {S_INSTRUMENT_LIST, S_CURSOR_INSTRUMENT},
	};

	/* Lists ordered by another column than their key need the cursor's
	 * row to exist; an unknown one is the caller's mistake, not the end
	 * of the list. */
	for (size_t i = 0; q->after != NULL && i < 3; i++) {
		if (cursors[i].list == which) {
			sqlite3_stmt *c = stmt(st, cursors[i].cursor);
			int rc;

			bind_text(c, 1, q->after);
			rc = sqlite3_step(c);
			sqlite3_reset(c);
			if (rc == SQLITE_DONE)
				return STORE_NOTFOUND;
			if (rc != SQLITE_ROW)
				return fail(st, rc);
		}
	}
	sqlite3_stmt *s = stmt(st, which);
	json_t *items = NULL;
	json_t *next = json_null();
	enum store_err e;
	int limit = q->limit < 1 ? 50 : q->limit > 200 ? 200 : q->limit;

	bind_text(s, 1, q->kind);
	bind_text(s, 2, filter2);
	bind_text(s, 3, q->after);
	sqlite3_bind_int(s, 4, limit + 1);
	if ((e = rows(st, s, &items)) != STORE_OK)
		return e;
	if (json_array_size(items) > (size_t)limit) {
		json_array_remove(items, (size_t)limit);
		next = json_incref(json_object_get(
		    json_array_get(items, (size_t)limit - 1), key));
	}
	*out = json_pack("{s:o,s:o}", "items", items, "next", next);
	return STORE_OK;
}

/* A list that a record's page carries, and the statement that reads it. */
struct list {
	const char *name;
	enum stmt which;
};

/*
 * A record's page: the row of get for key, and each list bound to the
 * same key (the row's own "id" or "code" when key was a symbol).
 */
static enum store_err
detail(struct store *st, enum stmt get, const char *key,
       const struct list *lists, json_t **out)
{
	sqlite3_stmt *s;
	enum store_err e;
	json_t *row = NULL;
	bool own = sqlite3_get_autocommit(st->db);

	/* One read transaction for the page: one snapshot, and one lock
	 * taken instead of one per statement. */
	if (own && (e = run(st, stmt(st, S_BEGIN_READ))) != STORE_OK)
		return e;
	s = stmt(st, get);
	bind_text(s, 1, key);
	if ((e = one_row(st, s, &row)) != STORE_OK)
		goto out;
	if (jsonx_str(row, "id") != NULL)
		key = jsonx_str(row, "id");
	else if (jsonx_str(row, "code") != NULL)
		key = jsonx_str(row, "code");
	for (; lists->name != NULL; lists++)
		if ((e = attach(st, row, lists->name, lists->which, key)) !=
		    STORE_OK) {
			json_decref(row);
			row = NULL;
			goto out;
		}
	*out = row;
out:
	if (own)
		(void)run(st, stmt(st, S_COMMIT));
	return e;
}

enum store_err
store_party_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_PARTY_LIST, q, q->group, "code", out);
}

enum store_err
store_party_get(struct store *st, const char *code, json_t **out)
{
	static const struct list lists[] = {
	    {"memberships", S_PARTY_MEMBERSHIPS},
	    {"members", S_PARTY_MEMBERS},
	    {"votes", S_PARTY_VOTES},
	    {"instruments", S_PARTY_INSTRUMENTS},
	    {"forums", S_PARTY_FORUMS},
	    {NULL, 0},
	};

	return detail(st, S_PARTY_GET, code, lists, out);
}

enum store_err
store_forum_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_FORUM_LIST, q, NULL, "id", out);
}

enum store_err
store_forum_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"members", S_FORUM_MEMBERS},
	    {"instruments", S_FORUM_INSTRUMENTS},
	    {"children", S_FORUM_CHILDREN},
	    {NULL, 0},
	};

	return detail(st, S_FORUM_GET, id, lists, out);
}

enum store_err
store_instrument_list(struct store *st, const struct store_query *q,
                      json_t **out)
{
	return page(st, S_INSTRUMENT_LIST, q, q->forum, "id", out);
}

enum store_err
store_instrument_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"norms", S_INSTRUMENT_NORMS},
	    {"commitments", S_INSTRUMENT_COMMITMENTS},
	    {"parties", S_INSTRUMENT_PARTIES},
	    {NULL, 0},
	};
	sqlite3_stmt *s;
	enum store_err e;
	json_t *in = NULL, *vote = NULL, *voters = NULL, *v;
	size_t i;

	if ((e = detail(st, S_INSTRUMENT_GET, id, lists, &in)) != STORE_OK)
		return e;
	s = stmt(st, S_INSTRUMENT_VOTE);
	bind_text(s, 1, jsonx_str(in, "id"));
	e = one_row(st, s, &vote);
	if (e == STORE_NOTFOUND) {
		json_object_set_new(in, "vote", json_null());
		*out = in;
		return STORE_OK;
	}
	if (e != STORE_OK)
		goto fail;
	s = stmt(st, S_INSTRUMENT_VOTERS);
	bind_text(s, 1, jsonx_str(in, "id"));
	if ((e = rows(st, s, &voters)) != STORE_OK) {
		json_decref(vote);
		goto fail;
	}
	json_object_set_new(vote, "yes", json_array());
	json_object_set_new(vote, "no", json_array());
	json_object_set_new(vote, "abstain", json_array());
	json_array_foreach(voters, i, v)
	{
		json_t *list = json_object_get(vote, jsonx_str(v, "vote"));

		json_object_del(v, "vote");
		if (list != NULL)
			json_array_append(list, v);
	}
	json_decref(voters);
	json_object_set_new(in, "vote", vote);
	*out = in;
	return STORE_OK;
fail:
	json_decref(in);
	return e;
}

enum store_err
store_norm_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_NORM_LIST, q, NULL, "id", out);
}

enum store_err
store_norm_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"instruments", S_NORM_INSTRUMENTS},
	    {"endorsed_by", S_NORM_ENDORSERS},
	    {NULL, 0},
	};

	return detail(st, S_NORM_GET, id, lists, out);
}

enum store_err
store_timeline(struct store *st, const struct store_query *q, json_t **out)
{
	enum store_err e = page(st, S_TIMELINE, q, NULL, "key", out);

	return e;
}

/*
 * Turns what a person types into an FTS5 query: every run of letters and
 * digits becomes a quoted term, the last one a prefix, all of them required.
 * "A/70/174" thus finds the symbol, and no FTS5 syntax reaches the engine.
 */
static char *
fts_query(const char *q)
{
	struct buf b;
	const char *p = q;
	int terms = 0;

	buf_init(&b, 4096);
	while (*p) {
		const char *start;

		while (*p &&
		       !((unsigned char)*p >= 0x80 ||
		         (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		         (*p >= 'A' && *p <= 'Z')))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p &&
		       ((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		        (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		if (terms++ > 0 && buf_adds(&b, " ") != 0)
			break;
		if (buf_printf(&b, "\"%.*s\"", (int)(p - start), start) != 0)
			break;
	}
	if (terms == 0) {
		buf_free(&b);
		return NULL;
	}
	if (buf_adds(&b, "*") != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

enum store_err
store_search(struct store *st, const char *q, int limit, json_t **out)
{
	sqlite3_stmt *s;
	char *fq = fts_query(q);
	char *like;
	enum store_err e;
	json_t *items = NULL;

	if (fq == NULL) {
		*out = json_pack("{s:[]}", "items");
		return STORE_OK;
	}
	like = xasprintf("%%%s%%", q);
	s = stmt(st, S_SEARCH);
	bind_text(s, 1, fq);
	bind_text(s, 2, like);
	sqlite3_bind_int(s, 3, limit < 1 ? 20 : limit > 100 ? 100 : limit);
	e = rows(st, s, &items);
	free(fq);
	free(like);
	if (e != STORE_OK)
		return e;
	*out = json_pack("{s:o}", "items", items);
	return STORE_OK;
}

enum store_err
store_stats(struct store *st, json_t **out)
{
	return one_row(st, stmt(st, S_STATS), out);
}

/* The projection's tables in a fixed order, for store_digest(). */
static const struct {
	const char *name;
	const char *sql;
} digest_sql[] = {
    {"party", "SELECT * FROM party ORDER BY code"},
    {"membership", "SELECT * FROM membership ORDER BY organisation, member"},
    {"norm", "SELECT * FROM norm ORDER BY id"},
    {"forum", "SELECT * FROM forum ORDER BY id"},
    {"forum_member", "SELECT * FROM forum_member ORDER BY forum, party"},
    {"instrument", "SELECT * FROM instrument ORDER BY id"},
    {"instrument_norm",
     "SELECT * FROM instrument_norm ORDER BY instrument, norm"},
    {"commitment", "SELECT * FROM commitment ORDER BY instrument, id"},
    {"vote", "SELECT * FROM vote ORDER BY instrument"},
    {"instrument_party", "SELECT * FROM instrument_party"
                         " ORDER BY instrument, party, relation"},
    {"search", "SELECT kind, ref, title, body FROM search ORDER BY kind, ref"},
    {"user", "SELECT id, username, party, role, display_name, created_ms,"
             " disabled, log_idx FROM user ORDER BY id"},
    {"token", "SELECT id, user_id, name, created_ms, revoked_ms, log_idx"
              " FROM token ORDER BY id"},
    {"signing_key", "SELECT id, user_id, public_key, created_ms, revoked_ms,"
                    " log_idx, revoked_idx FROM signing_key ORDER BY id"},
    {"log", "SELECT idx, entry, leaf_hash, act_type, party, username, signer,"
            " tlp, recipients, owner_user_id, time_ms FROM log ORDER BY idx"},
    {"log_node", "SELECT level, idx, hash FROM log_node ORDER BY level, idx"},
};

size_t
store_digest_count(void)
{
	return sizeof(digest_sql) / sizeof(digest_sql[0]);
}

/* Feeds one value: its type, its length and its bytes, so that no two
 * different rows feed the same bytes. */
static void
digest_value(crypto_generichash_state *h, sqlite3_stmt *s, int col)
{
	uint8_t head[9];
	const void *p = NULL;
	uint64_t n = 0;
	int64_t iv;
	double dv;

	head[0] = (uint8_t)sqlite3_column_type(s, col);
	switch (head[0]) {
	case SQLITE_INTEGER:
		iv = sqlite3_column_int64(s, col);
		p = &iv;
		n = sizeof(iv);
		break;
	case SQLITE_FLOAT:
		dv = sqlite3_column_double(s, col);
		p = &dv;
		n = sizeof(dv);
		break;
	case SQLITE_TEXT:
	case SQLITE_BLOB:
		p = sqlite3_column_blob(s, col);
		n = (uint64_t)sqlite3_column_bytes(s, col);
		break;
	default:
		break;
	}
	for (int i = 0; i < 8; i++)
		head[1 + i] = (uint8_t)(n >> (8 * i));
	crypto_generichash_update(h, head, sizeof(head));
	if (n > 0)
		crypto_generichash_update(h, p, n);
}

enum store_err
store_digest(struct store *st, size_t i, const char **name,
             uint8_t out[STORE_DIGEST_LEN])
{
	crypto_generichash_state h;
	sqlite3_stmt *s = NULL;
	int rc;

	if (i >= store_digest_count())
		return STORE_NOTFOUND;
	*name = digest_sql[i].name;
	if (sqlite3_prepare_v2(st->db, digest_sql[i].sql, -1, &s, NULL) !=
	    SQLITE_OK)
		return fail(st, SQLITE_ERROR);
	crypto_generichash_init(&h, NULL, 0, STORE_DIGEST_LEN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(s); c++)
			digest_value(&h, s, c);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return fail(st, rc);
	crypto_generichash_final(&h, out, STORE_DIGEST_LEN);
	return STORE_OK;
}
