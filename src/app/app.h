/*
 * Use cases: the act pipeline (validate, authorize, apply, log, commit),
 * authentication, and the queries handlers use.  struct app is shared by
 * every thread of the server; each thread reads through its own connection.
 */
#ifndef DETENTE_APP_APP_H
#define DETENTE_APP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "core/acts.h"
#include "core/policy.h"
#include "store/store.h"

struct app;

/* Why a use case refused, in terms the edge turns into a problem document
 * (HTTP status) or a CLI message (exit status). */
struct app_error {
	int status;       /* 400, 401, 403, 404, 409, 413, 429, 500, 503 */
	const char *type; /* stable problem type, e.g. "validation" */
	char detail[400];
};

struct app_actor {
	enum role role;
	int64_t user_id; /* 0 for the system or the public */
	char username[65];
	char party[17]; /* "" when none */
};

/* The system itself, acting with the log key (init, the scheduler). */
void app_actor_system(struct app_actor *a);
/* A user as an actor (party NULL: none). */
void app_actor_set(struct app_actor *a, enum role role, int64_t user_id,
                   const char *username, const char *party);

struct app_options {
	const char *db_path;
	const char *key_path; /* the log's signing key (note skey format) */
	const char *origin;   /* the log's origin line; from the key if NULL */
};

/*
 * Opens the database and the log key.  Returns NULL and writes why into
 * err when either cannot be opened.
 */
struct app *app_open(const struct app_options *o, char *err, size_t errlen);
void app_close(struct app *app);

/*
 * Creates a new database at db_path (which must not exist) and a new log
 * key at key_path (mode 0600, which must not exist either).  The key's name
 * is origin.  Returns 0 or -1 with err.
 */
__attribute__((warn_unused_result)) int
app_init_files(const char *db_path, const char *key_path, const char *origin,
               char *err, size_t errlen);

/*
 * The calling thread's read connection (opened on first use), or NULL when
 * APP_MAX_READERS threads have one already: a server's threads (event
 * threads and write workers) must stay below it.
 */
#define APP_MAX_READERS 128
struct store *app_reader(struct app *app);

/* What an accepted act became. */
struct app_receipt {
	uint64_t index;
	char leaf_hash[45]; /* base64, as every hash of the API */
	int64_t time_ms;
	int64_t user_id; /* for user.add: the new user's id */
};

/*
 * The one write path.  Checks body against the type's schema, asks policy,
 * then in one transaction applies it to the tables and appends the log entry
 * (a DSSE envelope attested by the log key).  On refusal nothing changes and
 * *e says why.  secret is what an act carries outside the log (a password
 * hash for user.add, a token hash for token.create), or NULL.
 */
__attribute__((warn_unused_result)) int
app_submit(struct app *app, const struct app_actor *who, const char *type,
           json_t *body, const void *secret, struct app_receipt *r,
           struct app_error *e);

/*
 * The write path for party-signed acts: env is a parsed DSSE envelope whose
 * payload is an act document ({v, type, time, party, user, salt, tlp, body})
 * signed by a registered key of who (key.register: by the key it
 * registers).  The envelope, in canonical form, is the log entry.
 */
__attribute__((warn_unused_result)) int
app_submit_envelope(struct app *app, const struct app_actor *who,
                    const json_t *env, struct app_receipt *r,
                    struct app_error *e);

#define APP_BATCH_MAX 1000

/*
 * Submits up to APP_BATCH_MAX acts as one: each item of the array items is
 * a DSSE envelope (as app_submit_envelope takes) or {"type", "body"} (as
 * app_submit takes; not user.add or token acts, which carry secrets).  All
 * are checked first and all enter the log in order in one transaction, or
 * none: on refusal *failed is the refused item's index and e's detail
 * starts with "acts[i]: ".  r has room for one receipt per item.  A key
 * registered in a batch signs acts from the next submission on.
 */
__attribute__((warn_unused_result)) int
app_submit_batch(struct app *app, const struct app_actor *who,
                 const json_t *items, struct app_receipt *r, size_t *failed,
                 struct app_error *e);

/* Loads every act of data/record (a directory of JSON arrays of acts, in
 * file-name order) as the system, in one transaction.  Returns the number of
 * acts, or -1 with e. */
long app_load_record(struct app *app, const char *dir, struct app_error *e);

/*
 * The practice areas of init --demo (app/practice.c): demo accounts, whose
 * passwords are written to out once, and practice forums with a draft, an
 * amendment and an open vote, all made by those accounts' acts.  Returns 0
 * or -1 with e.
 */
__attribute__((warn_unused_result)) int app_practice(struct app *app, FILE *out,
                                                     struct app_error *e);

/* --- authentication ---------------------------------------------------------
 */

#define APP_TOKEN_PREFIX   "dtk_"
#define APP_SESSION_TTL_MS (12LL * 3600 * 1000)

/* Hashes a password with Argon2id into out (crypto_pwhash_STRBYTES). */
__attribute__((warn_unused_result)) int
app_password_hash(const char *password, char *out, size_t outlen);

/* Enrols a user with a password: the user.add act plus the credential. */
__attribute__((warn_unused_result)) int
app_user_add(struct app *app, const struct app_actor *who, json_t *body,
             const char *password, struct app_receipt *r, struct app_error *e);

/*
 * Enrols an API client: a user without a password (who signs in with API
 * tokens only) and its first token, in *token_out (to free), shown once.
 * For a delegation's own tools and for enrolling many at once (detente
 * user import).  Returns 0 or -1 with e.
 */
__attribute__((warn_unused_result)) int
app_user_enrol(struct app *app, const struct app_actor *who, json_t *body,
               char **token_out, struct app_error *e);

/*
 * Checks a password, rate-limited per account and per address.  On success
 * fills *who and creates a session: *session_out (the cookie value, to free)
 * and csrf (a token for writes).
 */
__attribute__((warn_unused_result)) int
app_login(struct app *app, const char *username, const char *password,
          const char *address, struct app_actor *who, char **session_out,
          char csrf[65], struct app_error *e);
/* Ends a session.  Returns 0, or -1 with e when it cannot be deleted (it
 * then stays valid: the caller must say so). */
__attribute__((warn_unused_result)) int
app_logout(struct app *app, const char *session, struct app_error *e);

/* Resolves a session cookie or a bearer token.  Returns 0 and fills *who, or
 * -1 when it is unknown, expired or revoked. */
int app_auth_session(struct app *app, const char *session,
                     struct app_actor *who, char csrf[65]);
int app_auth_token(struct app *app, const char *token, struct app_actor *who);

/* Creates an API token for who; *token_out is the secret, shown once. */
__attribute__((warn_unused_result)) int
app_token_create(struct app *app, const struct app_actor *who, const char *name,
                 char **token_out, char id[40], struct app_receipt *r,
                 struct app_error *e);
__attribute__((warn_unused_result)) int
app_token_revoke(struct app *app, const struct app_actor *who, const char *id,
                 struct app_receipt *r, struct app_error *e);

/* --- the log
 * ------------------------------------------------------------------ */

/* The log's current size, root and signed checkpoint note (to free). */
__attribute__((warn_unused_result)) int
app_checkpoint(struct app *app, char **note, uint64_t *size, uint8_t root[32],
               struct app_error *e);
/*
 * Checks that the stored tree extends the last checkpoint the log signed
 * (app_open does it, and refuses a database rewritten under the log).
 * Returns 0, or -1 with err.
 */
__attribute__((warn_unused_result)) int
app_check_history(struct app *app, char *err, size_t errlen);

/* The log's size as the calling thread's connection sees it. */
__attribute__((warn_unused_result)) int app_log_size(struct app *app,
                                                     uint64_t *size);

/*
 * Waits until this process has committed entries beyond seen entries, or
 * timeout_ms have passed, and returns the log's size as this process last
 * committed it (entries that other processes append are seen only by
 * reading the log: callers also look themselves after a timeout).
 */
uint64_t app_log_wait(struct app *app, uint64_t seen, int timeout_ms);

/* The log's verifier key string (name+id+key) and origin. */
const char *app_log_vkey(const struct app *app);
const char *app_log_origin(const struct app *app);

/*
 * The scheduler (app/scheduler.c), the only reader of the clock for
 * deadlines.  app_clock_set replaces the wall clock (NULL restores it);
 * tests move time with it.
 */
void app_clock_set(struct app *app, int64_t (*now_ms)(void *ctx), void *ctx);
/* Closes every deadline due at now_ms, earliest first, each by its closing
 * act as the system.  Returns how many it closed, or -1 with e. */
long app_schedule_run(struct app *app, int64_t now_ms, struct app_error *e);
/* The earliest open deadline, or -1 when there is none. */
int64_t app_schedule_next(struct app *app);
/* Closes what passed while the server was down, then starts the thread
 * that closes each deadline within a second of its instant.  app_close
 * stops it.  Returns 0, or -1 with err. */
int app_schedule_start(struct app *app, char *err, size_t errlen);
void app_schedule_stop(struct app *app);

/*
 * Reading under labels (app/read.c).  A reading is one reader's view for
 * one answer: every decision about a labelled entry or row goes through
 * app_readable, which also records the widest class of readers the answer
 * so far is right for, so that a cache never gives it to anyone else.
 */
enum app_class {
	APP_CLASS_PUBLIC, /* everyone: only TLP:CLEAR was looked at */
	APP_CLASS_PARTY,  /* the reader's role and party decided */
	APP_CLASS_USER,   /* who the reader is decided (TLP:RED, own acts) */
};

struct app_reading {
	struct policy_actor actor;
	char party[17];
	enum app_class depends; /* grows with each decision */
	struct store_reader sr;
};

void app_reading_init(struct app_reading *r, const struct app_actor *who);
/* Whether the reader may read object, noting what the decision needed. */
bool app_readable(struct app_reading *r, const struct policy_object *o);
/* The same for a label as entries and rows carry it ("TLP:AMBER", the
 * source party or NULL, the submitter, a JSON array of codes or NULL). */
bool app_readable_label(struct app_reading *r, const char *tlp,
                        const char *party, int64_t owner_user_id,
                        const json_t *recipients);
/*
 * Sets the calling thread's read connection to read as r (NULL: only
 * TLP:CLEAR rows, the default) and returns it, or NULL when there is no
 * connection.  r must outlive the reads.
 */
struct store *app_read_as(struct app *app, struct app_reading *r);
/* The name of r's class c ("*", "delegate:IDN", "u12"), for cache keys.
 * Returns 0, or -1 when out is too short. */
int app_reading_class(const struct app_reading *r, enum app_class c, char *out,
                      size_t n);

/*
 * Entries [start, end) as the API serves them; for an entry the actor may
 * not read under its label, the entry bytes are left out and only the leaf
 * hash is shown.
 */
__attribute__((warn_unused_result)) int
app_log_entries(struct app *app, const struct app_actor *who, uint64_t start,
                uint64_t end, json_t **out, struct app_error *e);

/*
 * The open-data export of the record (app/export.c): each table as a file
 * ("parties.csv" ...), the log's checkpoint.txt and a README.md of the
 * columns, sources and licences, given to fn in turn.  format: "csv" or
 * "json".  TLP:CLEAR only, whoever asks.  fn returns 0 to go on.  Returns
 * 0, or -1 with e.
 */
typedef int (*app_export_fn)(void *ctx, const char *name, const char *data,
                             size_t len);
__attribute__((warn_unused_result)) int app_export(struct app *app,
                                                   const char *format,
                                                   app_export_fn fn, void *ctx,
                                                   struct app_error *e);

/* An entry's label, as app_readable_label takes it. */
struct app_label {
	const char *tlp, *party;
	int64_t owner_user_id;
	const json_t *recipients;
};

/*
 * Entries [start, end) in full, each given to fn with its label, for
 * readers that format an entry once and then decide, reader by reader,
 * who may have it (the event stream).  fn returns 0 to go on; the item and
 * the label are valid during the call only.  Returns 0, or -1 with e (or
 * when fn returned non-zero).
 */
typedef int (*app_log_fn)(void *ctx, uint64_t index, const json_t *item,
                          const struct app_label *l);
__attribute__((warn_unused_result)) int
app_log_walk(struct app *app, uint64_t start, uint64_t end, app_log_fn fn,
             void *ctx, struct app_error *e);

/*
 * Proofs against the tree of a given size (at most the log's size), as
 * {leaf_index, tree_size, leaf_hash, root_hash, proof[]} and
 * {from, to, first_root, second_root, proof[]}, hashes in base64.  A
 * leaf_hash (base64, or hex) may stand for the index when index is
 * UINT64_MAX.
 */
__attribute__((warn_unused_result)) int
app_inclusion_proof(struct app *app, uint64_t index, const char *leaf_hash,
                    uint64_t size, json_t **out, struct app_error *e);
__attribute__((warn_unused_result)) int
app_consistency_proof(struct app *app, uint64_t from, uint64_t to, json_t **out,
                      struct app_error *e);

/*
 * Rebuilds a fresh database at dst_path from the log of src_path alone,
 * verifying every entry's signature (the log key given as a note verifier
 * key, users' keys as the log registered them).  Returns 0 with the number
 * of entries and the tree's root, or -1 with err naming the entry.
 */
__attribute__((warn_unused_result)) int
app_replay(const char *src_path, const char *vkey, const char *dst_path,
           uint64_t *count, uint8_t root[32], char *err, size_t errlen);

/*
 * Reads a hash as the API takes one: 32 bytes in base64 (standard or
 * URL-safe), which is how the API gives every hash, or 64 hex digits.
 * Returns 0 or -1.
 */
__attribute__((warn_unused_result)) int app_hash_parse(const char *s,
                                                       uint8_t out[32]);

/* Whether two databases hold the same projection (secrets aside). */
__attribute__((warn_unused_result)) int
app_compare(const char *a_path, const char *b_path, char *err, size_t errlen);

void app_error_set(struct app_error *e, int status, const char *type,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Puts a formatted prefix before e's detail. */
void app_error_prefix(struct app_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
