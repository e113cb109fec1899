/*
 * The storage interface: domain operations, not "run this SQL".  A backend
 * (SQLite here; PostgreSQL later) owns its SQL, placeholders and prepared
 * statements.  A struct store is one connection and belongs to one thread.
 *
 * Writes happen only inside store_begin()/store_commit(), and only from the
 * act pipeline in app/, so that every change is also a log entry.  Reads
 * return JSON documents (owned by the caller) shaped as the API serves them.
 */
#ifndef DETENTE_STORE_STORE_H
#define DETENTE_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

enum store_err {
	STORE_OK = 0,
	STORE_NOTFOUND, /* the record asked for does not exist */
	STORE_CONFLICT, /* it exists already, or breaks another constraint */
	STORE_BADREF,   /* it refers to a row that does not exist */
	STORE_TOONEW,   /* the database is newer than this binary */
	STORE_IO,       /* anything else the backend reports */
};

struct store;

#define STORE_CREATE   0x1u /* create the database if it does not exist */
#define STORE_READONLY 0x2u /* open for reading only */

/*
 * Opens (and migrates, unless read-only) the database at path.  On error
 * returns the reason, sets *out to NULL and writes a message into err.
 */
__attribute__((warn_unused_result)) enum store_err
store_open(const char *path, unsigned flags, struct store **out, char *err,
           size_t errlen);
void store_close(struct store *st);

/* The last error message of this connection, for logs and problems. */
const char *store_errmsg(const struct store *st);

/*
 * Labelled rows.  A row of a kind whose acts may carry a TLP label keeps
 * its label and the index of the act that made it; that act's log row
 * names the audience (its source party, its submitter, its recipients).
 * Every read of such rows asks the connection's reader, row by row, and
 * returns only what it may see.  With no reader (the default) a
 * connection sees TLP:CLEAR rows only.
 */
struct store_label {
	const char *tlp;             /* "TLP:AMBER" */
	const char *party;           /* the act's source party, or NULL */
	int64_t owner_user_id;       /* who submitted it, 0 if the system */
	const char *recipients_json; /* a JSON array of codes, or NULL */
};

struct store_reader {
	/* Whether the reader may see a row with this label (not CLEAR). */
	int (*readable)(void *ctx, const struct store_label *l);
	void *ctx;
};

/* The reader that sees every row: the act pipeline's writer and replay's
 * destination, which must see what they check. */
extern const struct store_reader store_reader_all;

/* Sets (or, with NULL, clears) the reader of st's reads.  r must outlive
 * its use. */
void store_read_as(struct store *st, const struct store_reader *r);

/* Schema version this binary writes. */
int store_schema_version(void);

/* Transactions: begin takes the write lock at once (BEGIN IMMEDIATE). */
__attribute__((warn_unused_result)) enum store_err
store_begin(struct store *st);
__attribute__((warn_unused_result)) enum store_err
store_commit(struct store *st);
void store_rollback(struct store *st);

/*
 * A read transaction: one snapshot and one lock for several reads (a
 * proof reads O(log n) nodes).  Does nothing inside a transaction already;
 * store_read_end ends only a transaction store_read_begin began.
 */
__attribute__((warn_unused_result)) enum store_err
store_read_begin(struct store *st);
void store_read_end(struct store *st);

/*
 * For building a fresh database that no one reads until it is complete
 * (replay).  With on, the page cache grows to 256 MB, commits do not wait
 * for the disk (synchronous=OFF), and pages go straight to the file with
 * the rollback journal in memory, under an exclusive lock, instead of
 * through the WAL (which writes each page twice): a crash can then leave
 * the file corrupt, so the caller must see to it that such a file never
 * passes for complete.  With off, the file is in WAL mode again, commits
 * are durable (synchronous=FULL) and the WAL is checkpointed into the
 * database file and truncated; fsync the file after store_close to have
 * everything on disk.  Other connections can read the file only after
 * store_close (the exclusive lock lasts until then).  Outside a
 * transaction.
 */
__attribute__((warn_unused_result)) enum store_err store_bulk(struct store *st,
                                                              int on);

/* A savepoint inside a transaction, so that one act of a batch can fail
 * without undoing the others. */
__attribute__((warn_unused_result)) enum store_err
store_savepoint(struct store *st);
__attribute__((warn_unused_result)) enum store_err
store_release(struct store *st);
void store_rollback_to(struct store *st);

/* --- the log ------------------------------------------------------------ */

struct store_log_entry {
	const uint8_t *entry; /* the bytes hashed into the tree */
	size_t len;
	uint8_t leaf_hash[32];
	const char *act_type;
	const char *party;           /* acting party, or NULL */
	const char *username;        /* acting user, or NULL for the system */
	const char *signer;          /* key id that signed the envelope */
	const char *tlp;             /* "TLP:CLEAR" ... */
	const char *recipients_json; /* JSON array of party codes, or NULL */
	int64_t owner_user_id;       /* the acting user, 0 for the system */
	int64_t time_ms;
};

/* Appends an entry at the next index, which is returned in *index. */
__attribute__((warn_unused_result)) enum store_err
store_log_append(struct store *st, const struct store_log_entry *e,
                 uint64_t *index);

__attribute__((warn_unused_result)) enum store_err
store_log_size(struct store *st, uint64_t *size);

/* Complete-subtree hashes of the Merkle tree (see ledger/merkle.h). */
__attribute__((warn_unused_result)) enum store_err
store_log_node_get(struct store *st, unsigned level, uint64_t index,
                   uint8_t out[32]);
__attribute__((warn_unused_result)) enum store_err
store_log_node_put(struct store *st, unsigned level, uint64_t index,
                   const uint8_t hash[32]);

/*
 * One stored entry with its metadata, for readers of the log.  *entry is
 * allocated (free it); fields of meta are copied into json *meta.
 */
__attribute__((warn_unused_result)) enum store_err
store_log_get(struct store *st, uint64_t index, uint8_t **entry, size_t *len,
              json_t **meta);

/*
 * Calls fn for each stored entry with an index in [start, end), in index
 * order, from one statement: the sequential read of replay.  entry is valid
 * only during the call.  An index missing from the log is skipped (the
 * caller, which knows which indices it wants, notices).
 */
__attribute__((warn_unused_result)) enum store_err store_log_scan(
    struct store *st, uint64_t start, uint64_t end,
    void (*fn)(void *ctx, uint64_t index, const uint8_t *entry, size_t len),
    void *ctx);

/* The index of the entry with this leaf hash. */
__attribute__((warn_unused_result)) enum store_err
store_log_find(struct store *st, const uint8_t leaf_hash[32], uint64_t *index);

/* --- checkpoints --------------------------------------------------------- */

__attribute__((warn_unused_result)) enum store_err
store_checkpoint_put(struct store *st, uint64_t size, const uint8_t root[32],
                     const char *note, int64_t time_ms);
/* The latest checkpoint: its note text (to free) and size. */
__attribute__((warn_unused_result)) enum store_err
store_checkpoint_latest(struct store *st, char **note, uint64_t *size);

/* --- appliers: one per act type, called inside a transaction ------------ */

/* Each takes the validated act body and the index of its log entry. */
__attribute__((warn_unused_result)) enum store_err
store_party_put(struct store *st, const json_t *b, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_membership_put(struct store *st, const json_t *b, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_norm_put(struct store *st, const json_t *b, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_forum_put(struct store *st, const json_t *b, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_instrument_put(struct store *st, const json_t *b, const char *tlp,
                     int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_vote_put(struct store *st, const json_t *b, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_join_put(struct store *st, const json_t *b, int64_t idx);
/* The translations into lang, as {kind: {ref: {field: text, unofficial:
 * true}}}; a commitment's text is "commitment:ID" of its instrument. */
enum store_err store_translations(struct store *st, const char *lang,
                                  json_t **out);
/* A translation.record act: its fields replace those of the same record,
 * language and name, and join the search index.  STORE_BADREF when the
 * record does not exist. */
__attribute__((warn_unused_result)) enum store_err
store_translation_put(struct store *st, const json_t *b, int64_t idx);

/* --- users, credentials, tokens, sessions -------------------------------- */

struct store_user {
	int64_t id;
	char username[65];
	char party[17]; /* "" when the user acts for no party */
	char role[32];
	int disabled;
};

__attribute__((warn_unused_result)) enum store_err
store_user_put(struct store *st, const json_t *b, int64_t time_ms, int64_t idx,
               int64_t *user_id);
enum store_err store_user_get(struct store *st, const char *username,
                              struct store_user *u);
enum store_err store_user_by_id(struct store *st, int64_t id,
                                struct store_user *u);
enum store_err store_user_list(struct store *st, json_t **out);

/*
 * Credentials and secrets are not part of the projection of the log: the
 * log is readable by parties, and a password hash or token hash must never
 * reach it.  They live in their own tables, written next to the act.
 */
__attribute__((warn_unused_result)) enum store_err
store_password_set(struct store *st, int64_t user_id, const char *pwhash);
/* Copies the stored Argon2id string into out (cap outlen). */
enum store_err store_password_get(struct store *st, int64_t user_id, char *out,
                                  size_t outlen);

__attribute__((warn_unused_result)) enum store_err
store_token_put(struct store *st, const char *id, int64_t user_id,
                const char *name, const uint8_t hash[32], int64_t time_ms,
                int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_token_revoke(struct store *st, const char *id, int64_t time_ms,
                   int64_t idx);
/* The token's owner (0 when revoked or unknown) by the hash of its secret. */
enum store_err store_token_lookup(struct store *st, const uint8_t hash[32],
                                  int64_t *user_id, char *id, size_t idlen);
enum store_err store_token_owner(struct store *st, const char *id,
                                 int64_t *user_id, int *revoked);
enum store_err store_token_list(struct store *st, int64_t user_id,
                                json_t **out);

__attribute__((warn_unused_result)) enum store_err
store_session_put(struct store *st, const uint8_t hash[32], int64_t user_id,
                  const char *csrf, int64_t expires_ms);
/* The session's user and CSRF token, if it exists and has not expired. */
enum store_err store_session_get(struct store *st, const uint8_t hash[32],
                                 int64_t now_ms, int64_t *user_id, char *csrf,
                                 size_t csrflen);
__attribute__((warn_unused_result)) enum store_err
store_session_delete(struct store *st, const uint8_t hash[32]);

/* --- signing keys of users --------------------------------------------------
 */

__attribute__((warn_unused_result)) enum store_err
store_key_put(struct store *st, const char *id, int64_t user_id,
              const uint8_t pk[32], int64_t time_ms, int64_t idx);
/* Marks the key revoked at time_ms by the act at log index idx. */
__attribute__((warn_unused_result)) enum store_err
store_key_revoke(struct store *st, const char *id, int64_t time_ms,
                 int64_t idx);
/* For keys revoked before the store kept where (schema 3): how many
 * revoked keys lack the index; sets one key's index; and every entry of
 * one act type in log order, to find them.  each returns non-zero to
 * stop. */
__attribute__((warn_unused_result)) enum store_err
store_key_unplaced(struct store *st, int64_t *n);
__attribute__((warn_unused_result)) enum store_err
store_key_revoked_at(struct store *st, const char *id, int64_t idx);
__attribute__((warn_unused_result)) enum store_err store_log_of_type(
    struct store *st, const char *type,
    int (*each)(void *ctx, uint64_t index, const uint8_t *entry, size_t len),
    void *ctx);
/* The key's owner, public key and whether it is revoked. */
enum store_err store_key_get(struct store *st, const char *id, int64_t *user_id,
                             uint8_t pk[32], int *revoked);
enum store_err store_key_list(struct store *st, int64_t user_id, json_t **out);
/* A key as the public may see it (key.register acts are TLP:CLEAR): {id,
 * public_key (hex), user, party, created_ms, revoked_ms, log_idx}. */
__attribute__((warn_unused_result)) enum store_err
store_key_public(struct store *st, const char *id, json_t **out);

/* --- reads of the record -------------------------------------------------- */

/* The most rows a page of a list holds (a CSV download asks for up to this;
 * the JSON API for up to 200). */
#define STORE_MAX_PAGE 10000

struct store_query {
	int limit;             /* 1..STORE_MAX_PAGE */
	const char *after;     /* cursor: the last key seen, or NULL */
	const char *kind;      /* optional filter by kind */
	const char *group;     /* optional filter: parties of a UN group */
	const char *forum;     /* optional filter: instruments of a forum */
	const char *text;      /* parties: in the name (either language), or the
	                        * code */
	const char *member_of; /* parties: current members of this code */
};

/* Lists return {"items": [...], "next": cursor-or-null}. */
enum store_err store_party_list(struct store *st, const struct store_query *q,
                                json_t **out);
enum store_err store_party_get(struct store *st, const char *code,
                               json_t **out);
enum store_err store_forum_list(struct store *st, const struct store_query *q,
                                json_t **out);
enum store_err store_forum_get(struct store *st, const char *id, json_t **out);
enum store_err store_instrument_list(struct store *st,
                                     const struct store_query *q, json_t **out);
/* An instrument's label, if the reader may see it at all ("TLP:AMBER"
 * into tlp[24]), or STORE_NOTFOUND. */
enum store_err store_instrument_label(struct store *st, const char *id,
                                      char tlp[24]);
enum store_err store_instrument_get(struct store *st, const char *id,
                                    json_t **out);
enum store_err store_norm_list(struct store *st, const struct store_query *q,
                               json_t **out);
enum store_err store_norm_get(struct store *st, const char *id, json_t **out);
enum store_err store_timeline(struct store *st, const struct store_query *q,
                              json_t **out);
/* Full-text search over instruments, norms, forums and parties. */
enum store_err store_search(struct store *st, const char *q, int limit,
                            json_t **out);
/* Counts of each kind of record, for the home page. */
enum store_err store_stats(struct store *st, json_t **out);

/*
 * A digest (BLAKE2b-256) of table i of the projection, every row in a fixed
 * order, with its name; STORE_NOTFOUND past the last.  Two databases hold
 * the same projection when every table's digest is equal (secrets aside:
 * password hashes, token hashes and sessions are not in it).  Streams the
 * rows: memory does not grow with the log.
 */
#define STORE_DIGEST_LEN 32

/*
 * Whether every table of the database was registered by a domain of the
 * store (and so is compared by store_digest, or declared to be outside the
 * projection).  STORE_OK, or STORE_CONFLICT with the first other table's
 * name in name.
 */
__attribute__((warn_unused_result)) enum store_err
store_unregistered(struct store *st, char *name, size_t namelen);
size_t store_digest_count(void);
__attribute__((warn_unused_result)) enum store_err
store_digest(struct store *st, size_t i, const char **name,
             uint8_t out[STORE_DIGEST_LEN]);

/*
 * One table of the record, whole, for the open-data export: "parties",
 * "memberships", "norms", "forums", "forum_members", "instruments",
 * "instrument_norms", "commitments", "votes" (one row per member state and
 * vote, absent included), "instrument_parties".  Only what the reader may
 * see.  STORE_NOTFOUND for another name.
 */
enum store_err store_record_export(struct store *st, const char *table,
                                   json_t **out);

/*
 * Deadlines (store/sqlite_schedule.c), each named by a key its domain
 * chooses ("case:12:acknowledge"), with the act that closes it when it
 * passes (its type and its body, a JSON object).  Written only by appliers.
 */
/* Sets a deadline, or moves one still open; STORE_CONFLICT when the key
 * was closed or cancelled already. */
__attribute__((warn_unused_result)) enum store_err
store_deadline_set(struct store *st, const char *key, int64_t due_ms,
                   const char *close_type, const char *close_body, int64_t idx);
/* Ends an open deadline, by the act at idx; STORE_NOTFOUND when the key is
 * not open. */
__attribute__((warn_unused_result)) enum store_err
store_deadline_cancel(struct store *st, const char *key, int64_t idx);
__attribute__((warn_unused_result)) enum store_err
store_deadline_close(struct store *st, const char *key, int64_t idx);
/* The open deadlines due at now_ms, earliest first (then by key), at most
 * limit: [{key, due_ms, close_type, close_body}]. */
enum store_err store_deadline_due(struct store *st, int64_t now_ms, int limit,
                                  json_t **out);
/* The earliest open deadline's instant, or STORE_NOTFOUND. */
enum store_err store_deadline_next(struct store *st, int64_t *due_ms);
/* One deadline, with its state ("open", "closed", "cancelled"). */
enum store_err store_deadline_get(struct store *st, const char *key,
                                  json_t **out);

/* --- negotiation (store/sqlite_negotiation.c) ------------------------------
 * The queries negotiation's use cases run, by name; the SQL is the store's.
 * Arguments are bound in order as fmt says: 's' a string (NULL: SQL NULL),
 * 'i' an int64_t, 'n' an int64_t where 0 is NULL, 'j' a json_t * (stored as
 * JSON text; NULL: SQL NULL). Rows come back as sq_row_json makes them (an
 * alias ending _json is parsed, _bool is a boolean). */
enum store_neg_query {
	STORE_NEG_FORUM_PUT,
	STORE_NEG_SEAT_SET,
	STORE_NEG_SEAT_DROP,
	STORE_NEG_DOC_PUT,
	STORE_NEG_DOC_STATUS,
	STORE_NEG_DOC_REVISION,
	STORE_NEG_DOC_INSTRUMENT,
	STORE_NEG_REV_PUT,
	STORE_NEG_AMEND_PUT,
	STORE_NEG_AMEND_RESOLVE,
	STORE_NEG_DEC_PUT,
	STORE_NEG_DEC_CLOSE,
	STORE_NEG_STANCE_PUT,
	STORE_NEG_STANCE_DROP,
	STORE_NEG_EXPLAIN_PUT,
	STORE_NEG_EVENT_PUT,
	STORE_NEG_UNSEAL,
	STORE_NEG_FORUM_GET,
	STORE_NEG_SEAT_GET,
	STORE_NEG_UN_MEMBER,
	STORE_NEG_PARTY,
	STORE_NEG_SYMBOL,
	STORE_NEG_DOC_GET,
	STORE_NEG_REV_GET,
	STORE_NEG_AMEND_GET,
	STORE_NEG_DEC_GET,
	STORE_NEG_DEC_OPEN,
	STORE_NEG_BALLOTS,
	STORE_NEG_STANCES,
	STORE_NEG_FORUMS,
	STORE_NEG_SEATS,
	STORE_NEG_FORUM_DOCS,
	STORE_NEG_FORUM_DECS,
	STORE_NEG_FORUM_EVENTS,
	STORE_NEG_REVS,
	STORE_NEG_AMENDS,
	STORE_NEG_DOC_DECS,
	STORE_NEG_DOC_EVENTS,
	STORE_NEG_SUBMISSIONS,
	STORE_NEG_DEC_STANCES,
	STORE_NEG_DEC_EXPLAINS,
	STORE_NEG_DEC_EVENTS,
	STORE_NEG_DEC_SEATS,
	STORE_NEG__COUNT
};
__attribute__((warn_unused_result)) enum store_err
store_neg_run(struct store *st, enum store_neg_query q, const char *fmt, ...);
/* The one row, or STORE_NOTFOUND. */
__attribute__((warn_unused_result)) enum store_err
store_neg_row(struct store *st, json_t **out, enum store_neg_query q,
              const char *fmt, ...);
__attribute__((warn_unused_result)) enum store_err
store_neg_rows(struct store *st, json_t **out, enum store_neg_query q,
               const char *fmt, ...);

#endif
