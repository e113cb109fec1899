/*
 * The one way into the log, shared by submissions (app.c), loading the
 * record and replay (replay.c): an entry's act is read and framed by
 * entry_read_act, and entry_append decides the key it must verify with
 * from the state it is appended to, checks the signature, appends it to
 * the tree and applies it.  No other code checks an entry.
 */
#ifndef DETENTE_APP_ENTRY_H
#define DETENTE_APP_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "ledger/dsse.h"
#include "ledger/merkle.h"

/* An entry on its way into the log.  Owned members are freed by
 * entry_clear. */
struct entry {
	const struct act_type *t;
	json_t *act; /* the act document (owned) */
	char *bytes; /* the envelope as logged (owned) */
	size_t len;
	uint8_t leaf_hash[32];     /* of bytes: set with them by entry_take */
	struct dsse_envelope *env; /* parsed (owned); NULL when sealed here */
	char *keyid;               /* who signed (owned) */
	int64_t when;              /* the act's time */
	enum tlp tlp;              /* its label */
	char *recipients;          /* JSON array of party codes, or NULL */
	int64_t owner;             /* the acting user's id; 0: from act.user */
	const void *secret;        /* its out-of-log part, or NULL */
	/* A check made earlier, off the write lock: 1 verified with vpk, -1
	 * failed with vpk, 0 not tried.  It counts only if vpk is the key
	 * entry_append decides on. */
	int verdict;
	uint8_t vpk[32];
};

void entry_clear(struct entry *en);

/* Takes bytes (len of them) as en's envelope, and hashes them into the
 * leaf hash there and then, off the write lock. */
void entry_take(struct entry *en, char *bytes, size_t len);

/*
 * Reads an act document from an envelope's payload into en: JSON within
 * the caps, the frame (v, type, time, party, user, salt, tlp, body), a
 * known kind, a body valid under its schema, an RFC 3339 time, a 16-byte
 * salt, the label (act.tlp, when present, must be the one the kind
 * decides) and the recipients (at most ACTS_MAX_RECIPIENTS).  Returns 0,
 * or -1 with e.
 */
__attribute__((warn_unused_result)) int entry_read_act(const uint8_t *payload,
                                                       size_t len,
                                                       struct entry *en,
                                                       struct app_error *e);

/*
 * Decides en's recipients from its kind and act (what entry_read_act does
 * after the label; server-attested acts, framed and labelled by
 * construction, call it alone).  Returns 0, or -1 with e when there are
 * more than ACTS_MAX_RECIPIENTS.
 */
__attribute__((warn_unused_result)) int entry_recipients(struct entry *en,
                                                         struct app_error *e);

/* The keys entry_append trusts, and what it learnt within one
 * transaction (reset it, with entry_keys_forget, when one is undone). */
struct entry_keys {
	const uint8_t *log_pk;
	const char *log_id;
	bool memo; /* a user's key found good since the keys last changed */
	char memo_id[DSSE_MAX_KEYID + 1];
	int64_t memo_owner;
	uint8_t memo_pk[32];
	char user[65]; /* the last user name resolved, and its id */
	int64_t user_id;
};

void entry_keys_forget(struct entry_keys *k);

/*
 * The key en must verify with, as entry_append decides it from st (en's
 * owner and keyid set), into pk.  Returns 0, or -1 with e.
 */
__attribute__((warn_unused_result)) int
entry_signer_key(struct store *st, struct entry_keys *k, const struct entry *en,
                 uint8_t pk[32], struct app_error *e);

/* Where merkle_append reads and writes the tree's nodes. */
struct entry_tree {
	merkle_get_fn get;
	merkle_put_fn put;
	void *ctx;
};

/*
 * Appends en to the log in st, inside the caller's transaction: the
 * signer must be the log key, or for a self-signed kind the key its body
 * registers under its own id, or else a registered, unrevoked key of the
 * act's user as st holds it now; the signature must verify with that key.
 * Then the entry joins the tree and its kind's applier turns it into
 * rows.  Fills r (when not NULL).  Returns 0, or -1 with e; on failure
 * the caller rolls back what was written.
 */
__attribute__((warn_unused_result)) int
entry_append(struct store *st, struct entry_keys *k,
             const struct entry_tree *tree, struct entry *en,
             struct app_receipt *r, struct app_error *e);

#endif
