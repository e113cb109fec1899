#include "app/apply.h"

#include <string.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"

static int64_t
act_time(const json_t *act)
{
	int64_t ms = 0;
	const char *t = jsonx_str(act, "time");

	if (t == NULL || time_parse_ms(t, &ms) != 0)
		return 0;
	return ms;
}

enum store_err
apply_act(struct store *st, const struct act_type *t, const json_t *act,
          const void *secret, int64_t idx, int64_t *user_id)
{
	const json_t *b = json_object_get(act, "body");
	struct store_user u;
	enum store_err e;

	switch (t->kind) {
	case ACT_PARTY_REGISTER:
		return store_party_put(st, b, idx);
	case ACT_MEMBERSHIP_ADD:
		return store_membership_put(st, b, idx);
	case ACT_NORM_DEFINE:
		return store_norm_put(st, b, idx);
	case ACT_FORUM_ESTABLISH:
		return store_forum_put(st, b, idx);
	case ACT_INSTRUMENT_RECORD:
		return store_instrument_put(st, b, idx);
	case ACT_VOTE_RECORD:
		return store_vote_put(st, b, idx);
	case ACT_INSTRUMENT_JOIN:
		return store_join_put(st, b, idx);
	case ACT_USER_ADD: {
		int64_t id = 0;

		e = store_user_put(st, b, act_time(act), idx, &id);
		if (e == STORE_OK && secret != NULL)
			e = store_password_set(st, id, secret);
		if (user_id != NULL)
			*user_id = id;
		return e;
	}
	case ACT_TOKEN_CREATE:
		e = store_user_get(st, jsonx_str(act, "user"), &u);
		if (e != STORE_OK)
			return e;
		return store_token_put(st, jsonx_str(b, "id"), u.id,
		                       jsonx_str(b, "name"), secret,
		                       act_time(act), idx);
	case ACT_TOKEN_REVOKE:
		return store_token_revoke(st, jsonx_str(b, "id"), act_time(act),
		                          idx);
	case ACT_KEY_REGISTER: {
		uint8_t pk[32];
		const char *b64 = jsonx_str(b, "public_key");

		if (enc_b64_decode_exact(b64, strlen(b64), pk, 32) != 0)
			return STORE_CONFLICT;
		e = store_user_get(st, jsonx_str(act, "user"), &u);
		if (e != STORE_OK)
			return e;
		return store_key_put(st, jsonx_str(b, "key_id"), u.id, pk,
		                     act_time(act), idx);
	}
	case ACT_KEY_REVOKE:
		return store_key_revoke(st, jsonx_str(b, "key_id"),
		                        act_time(act), idx);
	case ACT__COUNT:
		break;
	}
	return STORE_IO;
}

char *
apply_recipients(const struct act_type *t, const json_t *act)
{
	const char *party = jsonx_str(json_object_get(act, "body"), "party");
	json_t *a;
	char *s;

	if (t->kind != ACT_USER_ADD || party == NULL)
		return NULL;
	a = json_pack("[s]", party);
	s = jsonx_dump(a, NULL);
	json_decref(a);
	return s;
}
