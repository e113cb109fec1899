/*
 * Deadlines: the instants acts set (a silence procedure's end, a case's
 * time to answer), each with the act that closes it when it passes.  Part
 * of the projection of the log: the acts that set, cancel and close them
 * are all in it, and replay rebuilds this table exactly.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "store/sqlite_internal.h"

enum schedule_stmt { S_SET, S_CANCEL, S_CLOSE, S_DUE, S_NEXT, S_GET, S__COUNT };

static const char *const sql[S__COUNT] = {
    /* a deadline that is still open may be moved; a closed or cancelled
     * one stays as it ended */
    [S_SET] = "INSERT INTO deadline (key, due_ms, close_type, close_body,"
              " set_idx) VALUES (?1, ?2, ?3, ?4, ?5)"
              " ON CONFLICT (key) DO UPDATE SET due_ms = excluded.due_ms,"
              " close_type = excluded.close_type,"
              " close_body = excluded.close_body,"
              " set_idx = excluded.set_idx WHERE state = 'open'",
    [S_CANCEL] = "UPDATE deadline SET state = 'cancelled', end_idx = ?2"
                 " WHERE key = ?1 AND state = 'open'",
    [S_CLOSE] = "UPDATE deadline SET state = 'closed', end_idx = ?2"
                " WHERE key = ?1 AND state = 'open'",
    [S_DUE] = "SELECT key, due_ms, close_type, close_body AS close_body_json"
              " FROM deadline WHERE state = 'open' AND due_ms <= ?1"
              " ORDER BY due_ms, key LIMIT ?2",
    [S_NEXT] = "SELECT min(due_ms) FROM deadline WHERE state = 'open'",
    [S_GET] = "SELECT key, due_ms, close_type, close_body AS close_body_json,"
              " set_idx, state, end_idx FROM deadline WHERE key = ?1",
};

static const struct sq_table tables[] = {
    {"deadline", "SELECT * FROM deadline ORDER BY key", 0},
};

static const char *const migrations[] = {
    "CREATE TABLE deadline ("
    "  key TEXT PRIMARY KEY, due_ms INTEGER NOT NULL,"
    "  close_type TEXT NOT NULL, close_body TEXT NOT NULL,"
    "  set_idx INTEGER NOT NULL,"
    "  state TEXT NOT NULL DEFAULT 'open'"
    "   CHECK (state IN ('open', 'closed', 'cancelled')),"
    "  end_idx INTEGER);"
    "CREATE INDEX deadline_open ON deadline (due_ms, key)"
    "  WHERE state = 'open';",
};

const struct sq_domain sq_domain_schedule = {"schedule",
                                             sql,
                                             S__COUNT,
                                             tables,
                                             sizeof(tables) / sizeof(tables[0]),
                                             migrations,
                                             sizeof(migrations) /
                                                 sizeof(migrations[0])};

static sqlite3_stmt *
stmt(struct store *st, enum schedule_stmt s)
{
	return sq_stmt(st, &sq_domain_schedule, s);
}

/* Runs s and tells whether it changed a row: STORE_NOTFOUND if not. */
static enum store_err
run_one(struct store *st, sqlite3_stmt *s)
{
	enum store_err e = sq_run(st, s);

	if (e != STORE_OK)
		return e;
	return sqlite3_changes(st->db) == 1 ? STORE_OK : STORE_NOTFOUND;
}

enum store_err
store_deadline_set(struct store *st, const char *key, int64_t due_ms,
                   const char *close_type, const char *close_body, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_SET);
	enum store_err e;

	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, due_ms);
	sq_bind_text(s, 3, close_type);
	sq_bind_text(s, 4, close_body);
	sqlite3_bind_int64(s, 5, idx);
	e = run_one(st, s);
	return e == STORE_NOTFOUND ? STORE_CONFLICT : e;
}

enum store_err
store_deadline_cancel(struct store *st, const char *key, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_CANCEL);

	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, idx);
	return run_one(st, s);
}

enum store_err
store_deadline_close(struct store *st, const char *key, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_CLOSE);

	sq_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, idx);
	return run_one(st, s);
}

enum store_err
store_deadline_due(struct store *st, int64_t now_ms, int limit, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_DUE);

	sqlite3_bind_int64(s, 1, now_ms);
	sqlite3_bind_int(s, 2, limit);
	return sq_rows(st, s, out);
}

enum store_err
store_deadline_next(struct store *st, int64_t *due_ms)
{
	sqlite3_stmt *s = stmt(st, S_NEXT);
	enum store_err e;

	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
		sqlite3_reset(s);
		return STORE_NOTFOUND;
	}
	*due_ms = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_deadline_get(struct store *st, const char *key, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_GET);

	sq_bind_text(s, 1, key);
	return sq_one_row(st, s, out);
}
