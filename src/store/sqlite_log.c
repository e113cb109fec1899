/*
 * The log's tables: entries, the Merkle tree's nodes, and the checkpoints
 * the log signed.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "store/sqlite_internal.h"

enum log_stmt {
	S_LOG_OF_TYPE,
	S_LOG_APPEND,
	S_LOG_SIZE,
	S_NODE_GET,
	S_NODE_PUT,
	S_LOG_GET,
	S_LOG_FIND,
	S_LOG_SCAN,
	S_CKPT_PUT,
	S_CKPT_LATEST,
	S_LOG_AUDIENCE,
	S__COUNT
};

static const char *const sql[S__COUNT] = {
    [S_LOG_OF_TYPE] = "SELECT idx, entry FROM log WHERE act_type = ?1"
                      " ORDER BY idx",
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
                  " owner_user_id, time_ms, leaf_hash"
                  " FROM log WHERE idx = ?1",
    [S_LOG_FIND] = "SELECT idx FROM log WHERE leaf_hash = ?1",
    [S_LOG_SCAN] = "SELECT idx, entry FROM log WHERE idx >= ?1 AND idx < ?2"
                   " ORDER BY idx",
    [S_CKPT_PUT] = "INSERT OR REPLACE INTO checkpoint (size, root, note,"
                   " time_ms) VALUES (?1, ?2, ?3, ?4)",
    [S_CKPT_LATEST] =
        "SELECT note, size FROM checkpoint ORDER BY size DESC LIMIT 1",
    [S_LOG_AUDIENCE] = "SELECT party, owner_user_id, recipients FROM log"
                       " WHERE idx = ?1",
};

static sqlite3_stmt *
stmt(struct store *st, enum log_stmt s)
{
	return sq_stmt(st, &sq_domain_log, s);
}

/* --- log ----------------------------------------------------------------- */

enum store_err
store_log_append(struct store *st, const struct store_log_entry *e,
                 uint64_t *index)
{
	sqlite3_stmt *s = stmt(st, S_LOG_APPEND);
	enum store_err se;
	int64_t idx = 0;

	sqlite3_bind_blob(s, 1, e->entry, (int)e->len, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, e->leaf_hash, 32, SQLITE_STATIC);
	sq_bind_text(s, 3, e->act_type);
	sq_bind_text(s, 4, e->party);
	sq_bind_text(s, 5, e->username);
	sq_bind_text(s, 6, e->signer);
	sq_bind_text(s, 7, e->tlp);
	sq_bind_text(s, 8, e->recipients_json);
	sqlite3_bind_int64(s, 9, e->owner_user_id);
	sqlite3_bind_int64(s, 10, e->time_ms);
	if ((se = sq_returning(st, s, &idx)) == STORE_OK)
		*index = (uint64_t)idx;
	return se;
}

enum store_err
store_log_size(struct store *st, uint64_t *size)
{
	sqlite3_stmt *s = stmt(st, S_LOG_SIZE);
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return sq_fail(st, rc);
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
	return sq_fail(st, rc);
}

enum store_err
store_log_node_put(struct store *st, unsigned level, uint64_t index,
                   const uint8_t hash[32])
{
	sqlite3_stmt *s = stmt(st, S_NODE_PUT);

	sqlite3_bind_int(s, 1, (int)level);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)index);
	sqlite3_bind_blob(s, 3, hash, 32, SQLITE_STATIC);
	return sq_run(st, s);
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
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*len = (size_t)sqlite3_column_bytes(s, 0);
	*entry = xmemdup(sqlite3_column_blob(s, 0), *len ? *len : 1);
	*meta = sq_row_json(s);
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
	return rc == SQLITE_DONE ? STORE_OK : sq_fail(st, rc);
}

enum store_err
store_log_find(struct store *st, const uint8_t leaf_hash[32], uint64_t *index)
{
	sqlite3_stmt *s = stmt(st, S_LOG_FIND);
	enum store_err e;

	sqlite3_bind_blob(s, 1, leaf_hash, 32, SQLITE_STATIC);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	*index = (uint64_t)sqlite3_column_int64(s, 0);
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

	sq_bind_text(s, 1, type);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(ctx, (uint64_t)sqlite3_column_int64(s, 0),
		         sqlite3_column_blob(s, 1),
		         (size_t)sqlite3_column_bytes(s, 1)) != 0)
			break;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK
	                                             : sq_fail(st, rc);
}

enum store_err
store_checkpoint_put(struct store *st, uint64_t size, const uint8_t root[32],
                     const char *note, int64_t time_ms)
{
	sqlite3_stmt *s = stmt(st, S_CKPT_PUT);

	sqlite3_bind_int64(s, 1, (sqlite3_int64)size);
	sqlite3_bind_blob(s, 2, root, 32, SQLITE_STATIC);
	sq_bind_text(s, 3, note);
	sqlite3_bind_int64(s, 4, time_ms);
	return sq_run(st, s);
}

enum store_err
store_checkpoint_latest(struct store *st, char **note, uint64_t *size)
{
	sqlite3_stmt *s = stmt(st, S_CKPT_LATEST);
	int rc = sqlite3_step(s);

	*note = NULL;
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(st, rc);
	}
	*note = xstrdup((const char *)sqlite3_column_text(s, 0));
	*size = (uint64_t)sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return STORE_OK;
}

static const struct sq_table tables[] = {
    {"log",
     "SELECT idx, entry, leaf_hash, act_type, party, username, signer,"
     " tlp, recipients, owner_user_id, time_ms FROM log ORDER BY idx",
     0},
    {"log_node", "SELECT level, idx, hash FROM log_node ORDER BY level, idx",
     0},
    /* signed when asked for: a replay signs none */
    {"checkpoint", NULL, 0},
};

/* --- labels --------------------------------------------------------------- */

static int
all_readable(void *ctx, const struct store_label *l)
{
	(void)ctx;
	(void)l;
	return 1;
}

const struct store_reader store_reader_all = {all_readable, NULL};

void
store_read_as(struct store *st, const struct store_reader *r)
{
	st->reader = r;
}

/*
 * readable(tlp, log_idx): whether the connection's reader may see a row
 * labelled tlp, made by the act at log_idx (whose source party, submitter
 * and recipients are its audience).  TLP:CLEAR rows are everyone's; with
 * no reader, nothing else is.  Runs another statement on the same
 * connection, which SQLite allows a function that does not write.
 */
static void
fn_readable(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store *st = sqlite3_user_data(ctx);
	const char *tlp = (const char *)sqlite3_value_text(argv[0]);
	struct store_label l = {0};
	sqlite3_stmt *s;

	(void)argc;
	if (tlp == NULL || strcmp(tlp, "TLP:CLEAR") == 0) {
		sqlite3_result_int(ctx, tlp != NULL);
		return;
	}
	if (st->reader == NULL) {
		sqlite3_result_int(ctx, 0);
		return;
	}
	s = stmt(st, S_LOG_AUDIENCE);
	sqlite3_bind_int64(s, 1, sqlite3_value_int64(argv[1]));
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		sqlite3_result_int(ctx, 0); /* no act made it: nobody's */
		return;
	}
	l.tlp = tlp;
	l.party = (const char *)sqlite3_column_text(s, 0);
	l.owner_user_id = sqlite3_column_int64(s, 1);
	l.recipients_json = (const char *)sqlite3_column_text(s, 2);
	sqlite3_result_int(ctx, st->reader->readable(st->reader->ctx, &l));
	sqlite3_reset(s);
}

enum store_err
sq_log_functions(struct store *st)
{
	int rc = sqlite3_create_function(st->db, "readable", 2,
	                                 SQLITE_UTF8 | SQLITE_DIRECTONLY, st,
	                                 fn_readable, NULL, NULL);

	return rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc);
}

const struct sq_domain sq_domain_log = {
    "log", sql, S__COUNT, tables, sizeof(tables) / sizeof(tables[0]), NULL, 0};
