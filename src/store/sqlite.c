/*
 * The SQLite backend of store.h.  One file, WAL, synchronous=FULL, foreign
 * keys on, BEGIN IMMEDIATE for writes, migrations by user_version, and every
 * statement prepared once per connection from the table below.
 */
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
#include "store/sqlite_internal.h"
#include "store/sqlite_schema.h"

enum core_stmt {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_SEARCH_FLUSH,
	S_SEARCH_CLEAR,
	S_BEGIN_READ,
	S__COUNT
};

static const char *const sql[S__COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SAVEPOINT] = "SAVEPOINT act",
    [S_RELEASE] = "RELEASE act",
    [S_ROLLBACK_TO] = "ROLLBACK TO act",
    [S_SEARCH_FLUSH] =
        "INSERT INTO search (kind, ref, title, body)"
        " SELECT kind, ref, title, body FROM temp.search_pending",
    [S_SEARCH_CLEAR] = "DELETE FROM temp.search_pending",
    [S_BEGIN_READ] = "BEGIN",
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

enum store_err
sq_fail(struct store *st, int rc)
{
	snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(st->db));
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
		return STORE_BADREF;
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return STORE_CONFLICT;
	return STORE_IO;
}

/* --- the domains ----------------------------------------------------------
 */

static const struct sq_table store_tables[] = {
    /* which migrations of each later domain a database has */
    {"domain_version", NULL, 0},
};

/* The store's own: transactions, and the version of each domain. */
static const struct sq_domain sq_domain_store = {
    "store", sql, S__COUNT, store_tables, 1, NULL, 0};

/*
 * A test build's throwaway domain (tests/unit/domain_probe_*.c): a weak
 * reference, NULL in every other program.
 */
extern const struct sq_domain sq_domain_probe __attribute__((weak));

/* Every domain of the store, once.  The record comes first, so that the
 * projection's digests list its tables first. */
static const struct sq_domain *const domains[] = {
    &sq_domain_store, &sq_domain_record,   &sq_domain_auth,
    &sq_domain_log,   &sq_domain_schedule, &sq_domain_negotiation,
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))
_Static_assert(NDOMAINS < SQ_MAX_DOMAINS, "too many domains");

const struct sq_domain *
sq_domain_at(size_t i)
{
	if (i < NDOMAINS)
		return domains[i];
	if (i == NDOMAINS && &sq_domain_probe != NULL)
		return &sq_domain_probe;
	return NULL;
}

sqlite3_stmt *
sq_stmt(struct store *st, const struct sq_domain *d, unsigned which)
{
	sqlite3_stmt **slot;
	size_t i;

	for (i = 0; sq_domain_at(i) != d; i++)
		assert(sq_domain_at(i) != NULL);
	assert(which < d->nsql);
	if (st->stmts[i] == NULL)
		st->stmts[i] = xcalloc(d->nsql, sizeof(sqlite3_stmt *));
	slot = &st->stmts[i][which];
	if (*slot == NULL) {
		int rc =
		    sqlite3_prepare_v3(st->db, d->sql[which], -1,
		                       SQLITE_PREPARE_PERSISTENT, slot, NULL);
		if (rc != SQLITE_OK) {
			/* A statement that does not prepare is a bug. */
			fprintf(stderr, "detente: SQL error %s in: %s\n",
			        sqlite3_errmsg(st->db), d->sql[which]);
			abort();
		}
	}
	sqlite3_reset(*slot);
	sqlite3_clear_bindings(*slot);
	return *slot;
}

static sqlite3_stmt *
stmt(struct store *st, enum core_stmt s)
{
	return sq_stmt(st, &sq_domain_store, s);
}

/* Runs a statement that returns no rows. */
enum store_err
sq_run(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	return sq_fail(st, rc);
}

void
sq_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
}

/* Binds a string member of a JSON object, or NULL when absent or null. */
void
sq_bind_member(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	sq_bind_text(s, i, jsonx_str(obj, key));
}

/* Binds a JSON member serialised as text, or NULL. */
void
sq_bind_json(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v)) {
		sqlite3_bind_null(s, i);
		return;
	}
	sqlite3_bind_text(s, i, jsonx_dump(v, NULL), -1, free);
}

void
sq_bind_bool(sqlite3_stmt *s, int i, const json_t *obj, const char *key)
{
	sqlite3_bind_int(s, i, json_is_true(json_object_get(obj, key)));
}

/* A row as an object, named by the columns (see the _json/_bool rule). */
json_t *
sq_row_json(sqlite3_stmt *s)
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
enum store_err
sq_rows(struct store *st, sqlite3_stmt *s, json_t **out)
{
	json_t *a = json_array();
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(a, sq_row_json(s));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		*out = NULL;
		return sq_fail(st, rc);
	}
	*out = a;
	return STORE_OK;
}

/* The one row of a statement, or STORE_NOTFOUND. */
enum store_err
sq_one_row(struct store *st, sqlite3_stmt *s, json_t **out)
{
	int rc = sqlite3_step(s);

	*out = NULL;
	if (rc == SQLITE_ROW) {
		*out = sq_row_json(s);
		sqlite3_reset(s);
		return STORE_OK;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return STORE_NOTFOUND;
	return sq_fail(st, rc);
}

/*
 * Steps s to its first row.  STORE_OK leaves the row ready to read (reset
 * s after); otherwise s is reset and the answer is STORE_NOTFOUND or the
 * error.
 */
enum store_err
sq_first_row(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? STORE_NOTFOUND : sq_fail(st, rc);
}

enum store_err
sq_returning(struct store *st, sqlite3_stmt *s, int64_t *out)
{
	int rc = sqlite3_step(s);

	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return sq_fail(st, rc);
	}
	*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
sq_exec(struct store *st, const char *text)
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

/* The version of domain d's own migrations the database has (0: none),
 * or -1 when it cannot be read. */
static int
domain_version(struct store *st, const struct sq_domain *d)
{
	sqlite3_stmt *s = NULL;
	int v = -1, rc;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT version FROM domain_version"
	                       " WHERE domain = ?1",
	                       -1, &s, NULL) != SQLITE_OK)
		return -1;
	sq_bind_text(s, 1, d->name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	else if (rc == SQLITE_DONE)
		v = 0;
	sqlite3_finalize(s);
	return v;
}

/* Brings domain d's tables to its latest migration, one transaction a
 * migration. */
static enum store_err
migrate_domain(struct store *st, const struct sq_domain *d)
{
	int v = domain_version(st, d);
	enum store_err e;

	if (v < 0)
		return sq_fail(st, SQLITE_ERROR);
	if ((size_t)v > d->nmigrations) {
		snprintf(
		    st->err, sizeof(st->err),
		    "the database's %s tables have version %d; this "
		    "detente knows versions up to %zu: use a newer detente",
		    d->name, v, d->nmigrations);
		return STORE_TOONEW;
	}
	for (; (size_t)v < d->nmigrations; v++) {
		sqlite3_stmt *s = NULL;

		if ((e = sq_exec(st, "BEGIN IMMEDIATE")) != STORE_OK)
			return e;
		if ((e = sq_exec(st, d->migrations[v])) != STORE_OK)
			goto undo;
		if (sqlite3_prepare_v2(st->db,
		                       "INSERT OR REPLACE INTO domain_version"
		                       " (domain, version) VALUES (?1, ?2)",
		                       -1, &s, NULL) != SQLITE_OK) {
			e = sq_fail(st, SQLITE_ERROR);
			goto undo;
		}
		sq_bind_text(s, 1, d->name);
		sqlite3_bind_int(s, 2, v + 1);
		e = sqlite3_step(s) == SQLITE_DONE ? STORE_OK
		                                   : sq_fail(st, SQLITE_ERROR);
		sqlite3_finalize(s);
		if (e != STORE_OK)
			goto undo;
		if ((e = sq_exec(st, "COMMIT")) != STORE_OK)
			return e;
	}
	return STORE_OK;
undo : {
	char keep[256];

	memcpy(keep, st->err, sizeof(keep));
	(void)sq_exec(st, "ROLLBACK");
	memcpy(st->err, keep, sizeof(keep));
	return e;
}
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
		return sq_fail(st, SQLITE_ERROR);
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

		if ((e = sq_exec(st, "BEGIN IMMEDIATE")) != STORE_OK)
			return e;
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		         v + 1);
		if ((e = sq_exec(st, sqlite_migrations[v])) != STORE_OK ||
		    (e = sq_exec(st, pragma)) != STORE_OK) {
			char keep[256];

			memcpy(keep, st->err, sizeof(keep));
			sq_exec(st, "ROLLBACK");
			memcpy(st->err, keep, sizeof(keep));
			return e;
		}
		if ((e = sq_exec(st, "COMMIT")) != STORE_OK)
			return e;
	}
	for (size_t i = 0; sq_domain_at(i) != NULL; i++)
		if ((e = migrate_domain(st, sq_domain_at(i))) != STORE_OK)
			return e;
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
	if ((e = sq_exec(st, "PRAGMA foreign_keys = ON")) != STORE_OK ||
	    (e = sq_log_functions(st)) != STORE_OK)
		goto fail;
	if (!(flags & STORE_READONLY)) {
		/* Durable at commit (FULL); checkpoint the WAL into the
		 * database less often than the default 1000 pages, since a
		 * page written many times is copied back once per
		 * checkpoint. */
		if ((e = sq_exec(st, "PRAGMA journal_mode = WAL")) !=
		        STORE_OK ||
		    (e = sq_exec(st, "PRAGMA synchronous = FULL")) !=
		        STORE_OK ||
		    (e = sq_exec(st, "PRAGMA wal_autocheckpoint = 8000")) !=
		        STORE_OK ||
		    (e = sq_exec(st, "PRAGMA cache_size = -16384")) != STORE_OK)
			goto fail;
		if ((e = migrate(st)) != STORE_OK ||
		    (e = sq_exec(st, "PRAGMA temp_store = MEMORY")) !=
		        STORE_OK ||
		    (e = sq_exec(st,
		                 "CREATE TEMP TABLE search_pending (kind, ref,"
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
		for (size_t i = 0; sq_domain_at(i) != NULL; i++) {
			const struct sq_domain *d = sq_domain_at(i);
			int dv = domain_version(st, d);

			if (dv >= 0 && (size_t)dv == d->nmigrations)
				continue;
			snprintf(st->err, sizeof(st->err),
			         "%s has version %d of the %s tables, this "
			         "detente writes %zu",
			         path, dv, d->name, d->nmigrations);
			e = dv > (int)d->nmigrations ? STORE_TOONEW : STORE_IO;
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
	for (size_t i = 0; sq_domain_at(i) != NULL; i++) {
		if (st->stmts[i] == NULL)
			continue;
		for (size_t j = 0; j < sq_domain_at(i)->nsql; j++)
			sqlite3_finalize(st->stmts[i][j]);
		free(st->stmts[i]);
	}
	sqlite3_close(st->db);
	free(st);
}

enum store_err
store_begin(struct store *st)
{
	return sq_run(st, stmt(st, S_BEGIN));
}

/*
 * Search rows are staged in a temporary table during a transaction and
 * moved into the FTS5 index by one statement at commit: FTS5 writes a new
 * segment at every savepoint after an insert, and a batch has a savepoint
 * per act.  The temporary table follows savepoints and rollbacks.
 */
enum store_err
sq_flush_search(struct store *st)
{
	enum store_err e;

	if ((e = sq_run(st, stmt(st, S_SEARCH_FLUSH))) != STORE_OK)
		return e;
	return sq_run(st, stmt(st, S_SEARCH_CLEAR));
}

enum store_err
store_commit(struct store *st)
{
	enum store_err e;

	if ((e = sq_flush_search(st)) != STORE_OK)
		return e;
	return sq_run(st, stmt(st, S_COMMIT));
}

void
store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)sq_run(st, stmt(st, S_ROLLBACK));
}

enum store_err
store_read_begin(struct store *st)
{
	enum store_err e;

	if (!sqlite3_get_autocommit(st->db))
		return STORE_OK;
	if ((e = sq_run(st, stmt(st, S_BEGIN_READ))) == STORE_OK)
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
	    sq_run(st, stmt(st, S_COMMIT)) != STORE_OK)
		(void)sq_run(st, stmt(st, S_ROLLBACK));
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
		return sq_fail(st, rc);
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
		if ((e = sq_exec(st, "PRAGMA synchronous = OFF")) != STORE_OK ||
		    (e = sq_exec(st, "PRAGMA locking_mode = EXCLUSIVE")) !=
		        STORE_OK ||
		    (e = journal_mode(st, "memory")) != STORE_OK)
			return e;
		return sq_exec(st, "PRAGMA cache_size = -262144");
	}
	if ((e = journal_mode(st, "wal")) != STORE_OK ||
	    (e = sq_exec(st, "PRAGMA locking_mode = NORMAL")) != STORE_OK ||
	    (e = sq_exec(st, "PRAGMA synchronous = FULL")) != STORE_OK ||
	    (e = sq_exec(st, "PRAGMA cache_size = -16384")) != STORE_OK)
		return e;
	rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
	                               NULL, NULL);
	return rc == SQLITE_OK ? STORE_OK : sq_fail(st, rc);
}

enum store_err
store_savepoint(struct store *st)
{
	return sq_run(st, stmt(st, S_SAVEPOINT));
}

enum store_err
store_release(struct store *st)
{
	return sq_run(st, stmt(st, S_RELEASE));
}

void
store_rollback_to(struct store *st)
{
	(void)sq_run(st, stmt(st, S_ROLLBACK_TO));
	(void)sq_run(st, stmt(st, S_RELEASE));
}

/* The i-th table of the projection (registered with a digest query). */
static const struct sq_table *
digest_table(size_t i)
{
	const struct sq_domain *d;

	for (size_t k = 0; (d = sq_domain_at(k)) != NULL; k++)
		for (size_t t = 0; t < d->ntables; t++)
			if (d->tables[t].digest != NULL && i-- == 0)
				return &d->tables[t];
	return NULL;
}

size_t
store_digest_count(void)
{
	size_t n = 0;

	while (digest_table(n) != NULL)
		n++;
	return n;
}

/* Whether name is a table some domain registered (or a shadow table of a
 * registered FTS5 table). */
static bool
registered(const char *name)
{
	const struct sq_domain *d;

	for (size_t k = 0; (d = sq_domain_at(k)) != NULL; k++)
		for (size_t t = 0; t < d->ntables; t++) {
			const struct sq_table *tb = &d->tables[t];
			size_t n = strlen(tb->name);

			if (strcmp(tb->name, name) == 0)
				return true;
			if ((tb->flags & SQ_FTS) &&
			    strncmp(tb->name, name, n) == 0 && name[n] == '_')
				return true;
		}
	return false;
}

enum store_err
store_unregistered(struct store *st, char *name, size_t namelen)
{
	sqlite3_stmt *s = NULL;
	enum store_err e = STORE_OK;
	int rc;

	if (sqlite3_prepare_v2(st->db,
	                       "SELECT name FROM sqlite_master WHERE type ="
	                       " 'table' AND name NOT LIKE 'sqlite_%'"
	                       " ORDER BY name",
	                       -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, SQLITE_ERROR);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *n = (const char *)sqlite3_column_text(s, 0);

		if (!registered(n)) {
			snprintf(name, namelen, "%s", n);
			e = STORE_CONFLICT;
			break;
		}
	}
	if (e == STORE_OK && rc != SQLITE_DONE)
		e = sq_fail(st, rc);
	sqlite3_finalize(s);
	return e;
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

	const struct sq_table *t = digest_table(i);

	if (t == NULL)
		return STORE_NOTFOUND;
	*name = t->name;
	if (sqlite3_prepare_v2(st->db, t->digest, -1, &s, NULL) != SQLITE_OK)
		return sq_fail(st, SQLITE_ERROR);
	crypto_generichash_init(&h, NULL, 0, STORE_DIGEST_LEN);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		for (int c = 0; c < sqlite3_column_count(s); c++)
			digest_value(&h, s, c);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sq_fail(st, rc);
	crypto_generichash_final(&h, out, STORE_DIGEST_LEN);
	return STORE_OK;
}
