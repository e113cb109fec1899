/*
 * What the SQLite backend's files share (store/sqlite*.c): the connection,
 * statements prepared once per connection from each domain's own table,
 * the helpers that bind and read rows, and the registration of each
 * domain's statements, tables and migrations.  Nothing outside store/
 * includes it.
 */
#ifndef DETENTE_STORE_SQLITE_INTERNAL_H
#define DETENTE_STORE_SQLITE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"

/* A table a domain owns. */
#define SQ_FTS                                                                 \
	0x1u /* a virtual FTS5 table: its shadow tables NAME_* are             \
	      * its own */
struct sq_table {
	const char *name;
	/* Every row in a fixed order, for store_digest: the table is part
	 * of the projection of the log, and replay must rebuild it exactly.
	 * NULL for what is not (secrets, sessions, signed checkpoints). */
	const char *digest;
	unsigned flags;
};

/*
 * A domain of the store: its statements (indexed by the domain's own
 * enum), its tables, and the migrations that create them.  The domains
 * whose tables came with the first schema (log, auth, record) have them in
 * sqlite_schema.h, numbered by user_version; a later domain brings its own
 * migrations, numbered per domain in the table domain_version.  Listed
 * once, in sqlite.c.
 */
struct sq_domain {
	const char *name;
	const char *const *sql;
	size_t nsql;
	const struct sq_table *tables;
	size_t ntables;
	const char *const *migrations;
	size_t nmigrations;
};

#define SQ_MAX_DOMAINS 16

struct store {
	sqlite3 *db;
	sqlite3_stmt **stmts[SQ_MAX_DOMAINS]; /* per domain, by its enum */
	char err[256];
	bool reading; /* in a read transaction of store_read_begin's */
	const struct store_reader *reader; /* who reads labelled rows */
};

/* The registered domains, in a fixed order; NULL past the last. */
const struct sq_domain *sq_domain_at(size_t i);

extern const struct sq_domain sq_domain_log;
extern const struct sq_domain sq_domain_auth;
extern const struct sq_domain sq_domain_record;
extern const struct sq_domain sq_domain_schedule;
extern const struct sq_domain sq_domain_negotiation;

/* Statement which of domain d, prepared on first use and reset. */
sqlite3_stmt *sq_stmt(struct store *st, const struct sq_domain *d,
                      unsigned which);

/* Registers the SQL function readable(tlp, log_idx) on the connection:
 * every statement that reads labelled rows filters with it. */
enum store_err sq_log_functions(struct store *st);

/* Records SQLite's error in st->err and maps rc: a foreign key failure is
 * STORE_BADREF, another constraint STORE_CONFLICT, the rest STORE_IO. */
enum store_err sq_fail(struct store *st, int rc);
/* Runs a statement that returns no rows. */
enum store_err sq_run(struct store *st, sqlite3_stmt *s);
enum store_err sq_exec(struct store *st, const char *text);

void sq_bind_text(sqlite3_stmt *s, int i, const char *v);
/* A string member of a JSON object, or NULL when absent or null. */
void sq_bind_member(sqlite3_stmt *s, int i, const json_t *obj, const char *key);
/* A JSON member serialised as text, or NULL. */
void sq_bind_json(sqlite3_stmt *s, int i, const json_t *obj, const char *key);
void sq_bind_bool(sqlite3_stmt *s, int i, const json_t *obj, const char *key);

/* A row as an object, named by the columns: aliases ending in _json are
 * parsed as JSON, _bool become booleans, blobs lower-case hex. */
json_t *sq_row_json(sqlite3_stmt *s);
/* All rows of a statement as an array in *out. */
enum store_err sq_rows(struct store *st, sqlite3_stmt *s, json_t **out);
/* The one row of a statement, or STORE_NOTFOUND. */
enum store_err sq_one_row(struct store *st, sqlite3_stmt *s, json_t **out);
/* Runs s, an INSERT ... RETURNING of one integer, into *out. */
__attribute__((warn_unused_result)) enum store_err
sq_returning(struct store *st, sqlite3_stmt *s, int64_t *out);
/* Steps s to its first row: STORE_OK leaves the row ready to read (reset
 * s after); otherwise s is reset and the answer is STORE_NOTFOUND or the
 * error. */
enum store_err sq_first_row(struct store *st, sqlite3_stmt *s);

/*
 * Moves the search rows staged in temp.search_pending into the FTS5 index
 * (store_commit does it; a write outside a transaction, at once).
 */
__attribute__((warn_unused_result)) enum store_err
sq_flush_search(struct store *st);

#endif
