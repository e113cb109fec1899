/* The throwaway domain's table (see core_probe.c). */
#include "store/sqlite_internal.h"

enum store_err store_probe_put(struct store *st, const char *id,
                               const char *text, const char *tlp, int64_t idx);

enum store_err store_probe_lapsed(struct store *st, const char *id,
                                  const char *due, int64_t idx);

enum probe_stmt { S_PUT, S_LAPSED, S__COUNT };

static const char *const sql[S__COUNT] = {
    [S_PUT] = "INSERT INTO probe_note (id, text, tlp, log_idx)"
              " VALUES (?1, ?2, ?3, ?4)",
    [S_LAPSED] = "INSERT INTO probe_lapse (id, due, log_idx)"
                 " VALUES (?1, ?2, ?3)",
};

static const struct sq_table tables[] = {
    {"probe_note", "SELECT * FROM probe_note ORDER BY id", 0},
    {"probe_lapse", "SELECT * FROM probe_lapse ORDER BY log_idx", 0},
};

static const char *const migrations[] = {
    "CREATE TABLE probe_note (id TEXT PRIMARY KEY, text TEXT NOT NULL,"
    " tlp TEXT NOT NULL, log_idx INTEGER NOT NULL);",
    "CREATE TABLE probe_lapse (id TEXT NOT NULL, due TEXT NOT NULL,"
    " log_idx INTEGER NOT NULL);",
};

const struct sq_domain sq_domain_probe = {"probe",
                                          sql,
                                          S__COUNT,
                                          tables,
                                          sizeof(tables) / sizeof(tables[0]),
                                          migrations,
                                          sizeof(migrations) /
                                              sizeof(migrations[0])};

enum store_err
store_probe_put(struct store *st, const char *id, const char *text,
                const char *tlp, int64_t idx)
{
	sqlite3_stmt *s = sq_stmt(st, &sq_domain_probe, S_PUT);

	sq_bind_text(s, 1, id);
	sq_bind_text(s, 2, text);
	sq_bind_text(s, 3, tlp);
	sqlite3_bind_int64(s, 4, idx);
	return sq_run(st, s);
}

enum store_err
store_probe_lapsed(struct store *st, const char *id, const char *due,
                   int64_t idx)
{
	sqlite3_stmt *s = sq_stmt(st, &sq_domain_probe, S_LAPSED);

	sq_bind_text(s, 1, id);
	sq_bind_text(s, 2, due);
	sqlite3_bind_int64(s, 3, idx);
	return sq_run(st, s);
}
