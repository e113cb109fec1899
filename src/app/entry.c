/*
 * The one way into the log (see entry.h).
 */
#include "app/entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "app/apply.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "ledger/keys.h"

/* The frame of an act; its body is checked by its kind. */
static const struct schema_field act_frame[] = {
    {"v", SCHEMA_INT, SCHEMA_REQUIRED, 1, 1, NULL, NULL, NULL},
    {"type", SCHEMA_STR, SCHEMA_REQUIRED, 1, 64, NULL, NULL, NULL},
    {"time", SCHEMA_STR, SCHEMA_REQUIRED, 20, 40, NULL, NULL, NULL},
    {"party", SCHEMA_CODE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"user", SCHEMA_USERNAME, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"salt", SCHEMA_STR, SCHEMA_REQUIRED, 24, 24, NULL, NULL, NULL},
    {"tlp", SCHEMA_STR, 0, 1, 20, NULL, NULL, NULL},
    {"body", SCHEMA_OBJ, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

void
entry_clear(struct entry *en)
{
	json_decref(en->act);
	free(en->bytes);
	dsse_envelope_free(en->env);
	free(en->keyid);
	free(en->recipients);
	memset(en, 0, sizeof(*en));
}

void
entry_keys_forget(struct entry_keys *k)
{
	k->memo = false;
}

void
entry_take(struct entry *en, char *bytes, size_t len)
{
	free(en->bytes);
	en->bytes = bytes;
	en->len = len;
	merkle_leaf_hash((const uint8_t *)bytes, len, en->leaf_hash);
}

int
entry_recipients(struct entry *en, struct app_error *e)
{
	json_t *to;

	free(en->recipients);
	en->recipients = NULL;
	if (en->t->recipients == NULL ||
	    (to = en->t->recipients(en->act)) == NULL)
		return 0;
	if (json_array_size(to) > ACTS_MAX_RECIPIENTS) {
		app_error_set(e, 400, "too-many-recipients",
		              "a %s act is addressed to %zu parties; at most "
		              "%d may receive one act",
		              en->t->name, json_array_size(to),
		              ACTS_MAX_RECIPIENTS);
		json_decref(to);
		return -1;
	}
	en->recipients = jsonx_dump(to, NULL);
	json_decref(to);
	return 0;
}

int
entry_read_act(const uint8_t *payload, size_t len, struct entry *en,
               struct app_error *e)
{
	const json_t *body;
	const char *tlp;
	uint8_t salt[16];
	char err[300];

	json_decref(en->act);
	en->act = NULL;
	if (jsonx_parse((const char *)payload, len, ACTS_MAX_DEPTH, &en->act,
	                err, sizeof(err)) != 0 ||
	    schema_check(act_frame, en->act, "act", err, sizeof(err)) != 0) {
		app_error_set(e, 400, "validation", "%s", err);
		return -1;
	}
	en->t = acts_find(jsonx_str(en->act, "type"));
	if (en->t == NULL) {
		app_error_set(e, 400, "unknown-act-type",
		              "unknown act type \"%.64s\"",
		              jsonx_str(en->act, "type"));
		return -1;
	}
	body = json_object_get(en->act, "body");
	if (schema_check(en->t->body, body, "act.body", err, sizeof(err)) !=
	    0) {
		app_error_set(e, 400, "validation", "%s", err);
		return -1;
	}
	if (time_parse_ms(jsonx_str(en->act, "time"), &en->when) != 0) {
		app_error_set(e, 400, "validation",
		              "act.time must be an RFC 3339 time");
		return -1;
	}
	if (enc_b64_decode_exact(jsonx_str(en->act, "salt"), 24, salt, 16) !=
	    0) {
		app_error_set(e, 400, "validation",
		              "act.salt must be 16 random bytes in base64");
		return -1;
	}
	if (acts_label(en->t, body, &en->tlp, err, sizeof(err)) != 0) {
		app_error_set(e, 400, "validation", "%s", err);
		return -1;
	}
	if (entry_recipients(en, e) != 0)
		return -1;
	tlp = jsonx_str(en->act, "tlp");
	if (tlp != NULL && strcmp(tlp, policy_tlp_name(en->tlp)) != 0) {
		app_error_set(e, 400, "validation", "act.tlp must be %s",
		              policy_tlp_name(en->tlp));
		return -1;
	}
	return 0;
}

/* The acting user's id as st holds it (0 when none), remembered. */
static int64_t
user_id(struct store *st, struct entry_keys *k, const char *user)
{
	struct store_user u;

	if (user == NULL)
		return 0;
	if (k->user_id != 0 && strcmp(k->user, user) == 0)
		return k->user_id;
	if (store_user_get(st, user, &u) != STORE_OK)
		return 0;
	snprintf(k->user, sizeof(k->user), "%s", user);
	k->user_id = u.id;
	return u.id;
}

int
entry_signer_key(struct store *st, struct entry_keys *k, const struct entry *en,
                 uint8_t pk[32], struct app_error *e)
{
	int64_t owner = 0;
	int revoked = 0;

	if (strcmp(en->keyid, k->log_id) == 0) {
		memcpy(pk, k->log_pk, 32);
		return 0;
	}
	if (en->t->flags & ACT_SELF_SIGNED) {
		/* proof of possession: signed by the key it registers, under
		 * that key's own id */
		const json_t *b = json_object_get(en->act, "body");
		const char *b64 = jsonx_str(b, "public_key");
		const char *claimed = jsonx_str(b, "key_id");
		char *id;
		bool same;

		if (b64 == NULL ||
		    enc_b64_decode_exact(b64, strlen(b64), pk, 32) != 0) {
			app_error_set(e, 400, "validation",
			              "body.public_key must be 32 bytes in "
			              "base64");
			return -1;
		}
		id = keys_id(pk);
		same = strcmp(id, en->keyid) == 0 && claimed != NULL &&
		       strcmp(id, claimed) == 0;
		if (!same)
			app_error_set(
			    e, 400, "validation",
			    "the act registers a key under an id that "
			    "is not its own: body.key_id and the "
			    "signature's keyid must both be %s",
			    id);
		free(id);
		return same ? 0 : -1;
	}
	if (k->memo && strcmp(k->memo_id, en->keyid) == 0 &&
	    k->memo_owner == en->owner && en->owner != 0) {
		memcpy(pk, k->memo_pk, 32);
		return 0;
	}
	if (en->owner == 0 ||
	    store_key_get(st, en->keyid, &owner, pk, &revoked) != STORE_OK ||
	    revoked || owner != en->owner) {
		app_error_set(e, 403, "unknown-key",
		              "%.64s is not a registered, unrevoked key of the "
		              "act's user",
		              en->keyid);
		return -1;
	}
	k->memo = true;
	snprintf(k->memo_id, sizeof(k->memo_id), "%s", en->keyid);
	k->memo_owner = owner;
	memcpy(k->memo_pk, pk, 32);
	return 0;
}

int
entry_append(struct store *st, struct entry_keys *k,
             const struct entry_tree *tree, struct entry *en,
             struct app_receipt *r, struct app_error *e)
{
	struct store_log_entry le = {0};
	struct act_ctx c = {0};
	uint8_t pk[32];
	uint64_t idx = 0;
	enum store_err se;
	bool ok;

	if (en->owner == 0)
		en->owner = user_id(st, k, jsonx_str(en->act, "user"));
	if (entry_signer_key(st, k, en, pk, e) != 0)
		return -1;
	if (en->verdict != 0 && sodium_memcmp(en->vpk, pk, 32) == 0)
		ok = en->verdict > 0;
	else
		ok =
		    en->env != NULL && dsse_verify(en->env, en->keyid, pk) == 0;
	if (!ok) {
		app_error_set(e, 400, "bad-signature",
		              "the signature by %.64s does not verify",
		              en->keyid);
		return -1;
	}
	le.entry = (const uint8_t *)en->bytes;
	le.len = en->len;
	memcpy(le.leaf_hash, en->leaf_hash, 32);
	le.act_type = en->t->name;
	le.party = jsonx_str(en->act, "party");
	le.username = jsonx_str(en->act, "user");
	le.signer = en->keyid;
	le.tlp = policy_tlp_name(en->tlp);
	le.recipients_json = en->recipients;
	le.owner_user_id = en->owner;
	le.time_ms = en->when;
	c.st = st;
	c.t = en->t;
	c.e = e;
	if ((se = store_log_append(st, &le, &idx)) != STORE_OK)
		return apply_fail(&c, se);
	if (merkle_append(idx, le.leaf_hash, tree->get, tree->put, tree->ctx) !=
	    0) {
		app_error_set(e, 500, "internal",
		              "the tree cannot take entry %llu: %s",
		              (unsigned long long)idx, store_errmsg(st));
		return -1;
	}
	c.act = en->act;
	c.body = json_object_get(en->act, "body");
	c.user = le.username;
	c.time_ms = en->when;
	c.idx = (int64_t)idx;
	c.tlp = en->tlp;
	c.secret = en->secret;
	if (apply_act(&c) != 0)
		return -1;
	if (en->t->flags & ACT_KEYS)
		entry_keys_forget(k);
	if (r != NULL) {
		r->index = idx;
		r->time_ms = en->when;
		r->user_id = c.user_id;
		char *b64 = enc_b64_new(le.leaf_hash, 32);

		snprintf(r->leaf_hash, sizeof(r->leaf_hash), "%s", b64);
		free(b64);
	}
	return 0;
}
