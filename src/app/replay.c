/*
 * Replay: rebuilds every table of the record from the log alone, checking
 * each entry's signature on the way, into a fresh database.  The tables are
 * a projection of the log; replay is how an auditor proves it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "app/apply.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

#define REPLAY_BATCH 10000

static int
node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_node_get(ctx, level, index, out) == STORE_OK ? 0 : -1;
}

static int
node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[32])
{
	return store_log_node_put(ctx, level, index, h) == STORE_OK ? 0 : -1;
}

/* Checks and applies entry i; returns 0 or -1 with err. */
static int
replay_one(struct store *dst, const uint8_t log_pk[32], const char *log_id,
           uint64_t i, const uint8_t *entry, size_t len, char *err,
           size_t errlen)
{
	struct dsse_envelope *env = NULL;
	json_t *act = NULL;
	const struct act_type *t;
	struct store_log_entry le = {0};
	struct store_user u;
	uint8_t pk[32];
	char why[300];
	const char *keyid;
	int64_t owner = 0, when = 0, uid = 0;
	uint64_t idx = 0;
	int revoked = 0, rc = -1;
	char *recipients = NULL;
	enum store_err se;

	if (dsse_parse((const char *)entry, len, &env, why, sizeof(why)) != 0) {
		snprintf(err, errlen, "entry %llu is not an envelope: %s",
		         (unsigned long long)i, why);
		goto out;
	}
	keyid = env->sigs[0].keyid;
	if (jsonx_parse((const char *)env->payload, env->payload_len,
	                ACTS_MAX_DEPTH, &act, why, sizeof(why)) != 0 ||
	    (t = acts_find(jsonx_str(act, "type") ? jsonx_str(act, "type")
	                                          : "")) == NULL ||
	    time_parse_ms(jsonx_str(act, "time") ? jsonx_str(act, "time") : "",
	                  &when) != 0) {
		snprintf(err, errlen, "entry %llu holds no valid act",
		         (unsigned long long)i);
		goto out;
	}
	if (strcmp(keyid, log_id) == 0) {
		memcpy(pk, log_pk, 32);
	} else if (t->kind == ACT_KEY_REGISTER) {
		const char *b64 =
		    jsonx_str(json_object_get(act, "body"), "public_key");

		if (b64 == NULL ||
		    enc_b64_decode_exact(b64, strlen(b64), pk, 32) != 0) {
			snprintf(err, errlen, "entry %llu: bad public key",
			         (unsigned long long)i);
			goto out;
		}
	} else if (store_key_get(dst, keyid, &owner, pk, &revoked) !=
	               STORE_OK ||
	           revoked ||
	           (store_user_get(
	                dst,
	                jsonx_str(act, "user") ? jsonx_str(act, "user") : "",
	                &u) != STORE_OK ||
	            u.id != owner)) {
		snprintf(err, errlen,
		         "entry %llu is signed by %s, which is not "
		         "a registered, unrevoked key of its user",
		         (unsigned long long)i, keyid);
		goto out;
	}
	if (dsse_verify(env, keyid, pk) != 0) {
		snprintf(err, errlen,
		         "entry %llu: the signature by %s does not "
		         "verify",
		         (unsigned long long)i, keyid);
		goto out;
	}
	if (jsonx_str(act, "user") != NULL &&
	    store_user_get(dst, jsonx_str(act, "user"), &u) == STORE_OK)
		owner = u.id;
	else
		owner = 0;
	le.entry = entry;
	le.len = len;
	merkle_leaf_hash(entry, len, le.leaf_hash);
	le.act_type = t->name;
	le.party = jsonx_str(act, "party");
	le.username = jsonx_str(act, "user");
	le.signer = keyid;
	le.tlp = jsonx_str(act, "tlp") ? jsonx_str(act, "tlp")
	                               : policy_tlp_name(t->tlp);
	le.owner_user_id = owner;
	le.time_ms = when;
	recipients = apply_recipients(t, act);
	le.recipients_json = recipients;
	if ((se = store_log_append(dst, &le, &idx)) != STORE_OK || idx != i ||
	    merkle_append(idx, le.leaf_hash, node_get, node_put, dst) != 0 ||
	    (se = apply_act(dst, t, act, NULL, (int64_t)idx, &uid)) !=
	        STORE_OK) {
		snprintf(err, errlen, "entry %llu (%s) does not apply: %s",
		         (unsigned long long)i, t->name, store_errmsg(dst));
		goto out;
	}
	rc = 0;
out:
	free(recipients);
	dsse_envelope_free(env);
	json_decref(act);
	return rc;
}

int
app_replay(const char *src_path, const char *vkey, const char *dst_path,
           uint64_t *count, uint8_t root[32], char *err, size_t errlen)
{
	struct store *src = NULL, *dst = NULL;
	struct note_verifier v;
	uint64_t size = 0;
	char *log_id = NULL;
	uint8_t r2[32];
	int rc = -1;

	*count = 0;
	if (note_vkey_parse(vkey, &v) != 0) {
		snprintf(err, errlen, "not a verifier key: %s", vkey);
		return -1;
	}
	log_id = keys_id(v.pk);
	if (store_open(src_path, STORE_READONLY, &src, err, errlen) !=
	        STORE_OK ||
	    store_log_size(src, &size) != STORE_OK)
		goto out;
	if (access(dst_path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already", dst_path);
		goto out;
	}
	if (store_open(dst_path, STORE_CREATE, &dst, err, errlen) != STORE_OK)
		goto out;
	for (uint64_t i = 0; i < size; i++) {
		uint8_t *entry = NULL;
		size_t len = 0;
		json_t *meta = NULL;
		int ok;

		if (i % REPLAY_BATCH == 0 &&
		    (i > 0 ? store_commit(dst) : STORE_OK) == STORE_OK &&
		    store_begin(dst) != STORE_OK) {
			snprintf(err, errlen, "%s", store_errmsg(dst));
			goto out;
		}
		if (store_log_get(src, i, &entry, &len, &meta) != STORE_OK) {
			snprintf(err, errlen, "entry %llu cannot be read",
			         (unsigned long long)i);
			store_rollback(dst);
			goto out;
		}
		ok = replay_one(dst, v.pk, log_id, i, entry, len, err, errlen);
		free(entry);
		json_decref(meta);
		if (ok != 0) {
			store_rollback(dst);
			goto out;
		}
		*count = i + 1;
	}
	if (size > 0 && store_commit(dst) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(dst));
		goto out;
	}
	if (size == 0)
		merkle_empty_root(root);
	else if (merkle_root(size, node_get, dst, root) != 0 ||
	         merkle_root(size, node_get, src, r2) != 0 ||
	         memcmp(root, r2, 32) != 0) {
		snprintf(err, errlen,
		         "the replayed tree's root differs from "
		         "the source's stored tree");
		goto out;
	}
	rc = 0;
out:
	free(log_id);
	store_close(src);
	store_close(dst);
	return rc;
}

int
app_compare(const char *a_path, const char *b_path, char *err, size_t errlen)
{
	struct store *a = NULL, *b = NULL;
	json_t *da = NULL, *db = NULL;
	int rc = -1;

	if (store_open(a_path, STORE_READONLY, &a, err, errlen) != STORE_OK ||
	    store_open(b_path, STORE_READONLY, &b, err, errlen) != STORE_OK)
		goto out;
	if (store_dump(a, &da) != STORE_OK || store_dump(b, &db) != STORE_OK) {
		snprintf(err, errlen, "cannot read the tables");
		goto out;
	}
	for (size_t i = 0; i < json_array_size(da); i++)
		if (!json_equal(json_array_get(da, i), json_array_get(db, i))) {
			snprintf(err, errlen,
			         "table %zu of the projection differs", i);
			goto out;
		}
	rc = 0;
out:
	json_decref(da);
	json_decref(db);
	store_close(a);
	store_close(b);
	return rc;
}
