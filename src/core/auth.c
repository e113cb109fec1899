/*
 * Accounts' act kinds: users, API tokens and signing keys.  Token acts and
 * user.add carry secrets outside the log (ACT_SECRET); key.register is
 * signed by the key it registers.  Appliers and object finders are in
 * app/auth.c, tables in store/sqlite_auth.c.
 */
#include "core/auth.h"

#define END                                                                    \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL, NULL, NULL                             \
	}

static const char *const user_roles[] = {
    "observer", "delegate", "poc_diplomatic", "poc_technical", "secretariat",
    "operator", NULL};
static const struct schema_field user_add[] = {
    {"username", SCHEMA_USERNAME, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"party", SCHEMA_CODE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, user_roles, NULL, NULL},
    {"display_name", SCHEMA_STR, 0, 1, 200, NULL, NULL, NULL},
    END,
};

/* A token act records the token's id and name, never its secret. */
static const struct schema_field token_create[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 1, 100, NULL, NULL, NULL},
    END,
};
static const struct schema_field token_revoke[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    END,
};

/* A user's Ed25519 public key (base64 of 32 bytes) and its id, which is
 * keys_id() of the key: "ed25519:" and 16 hex digits. */
static const struct schema_field key_register[] = {
    {"key_id", SCHEMA_STR, SCHEMA_REQUIRED, 24, 24, NULL, NULL, NULL},
    {"public_key", SCHEMA_STR, SCHEMA_REQUIRED, 44, 44, NULL, NULL, NULL},
    END,
};
static const struct schema_field key_revoke[] = {
    {"key_id", SCHEMA_STR, SCHEMA_REQUIRED, 24, 24, NULL, NULL, NULL},
    END,
};

/* A user's enrolment is addressed to the user's party. */
static json_t *
user_party(const json_t *act)
{
	const char *party = json_string_value(
	    json_object_get(json_object_get(act, "body"), "party"));

	return party != NULL ? json_pack("[s]", party) : NULL;
}

static const struct act_type kinds[] = {
    {.name = "user.add",
     .summary = "a user of a party is enrolled",
     .body = user_add,
     .rule = POLICY_RULE_OPERATOR,
     .tlp = TLP_AMBER_STRICT,
     .flags = ACT_SECRET,
     .recipients = user_party,
     .apply = auth_apply_user},
    {.name = "token.create",
     .summary = "a user creates an API token",
     .body = token_create,
     .rule = POLICY_RULE_SELF,
     .tlp = TLP_RED,
     .flags = ACT_SECRET,
     .object = auth_object_self,
     .apply = auth_apply_token},
    {.name = "token.revoke",
     .summary = "an API token is revoked",
     .body = token_revoke,
     .rule = POLICY_RULE_SELF_OR_OPERATOR,
     .tlp = TLP_RED,
     .flags = ACT_SECRET,
     .object = auth_object_token,
     .apply = auth_apply_token_revoke},
    {.name = "key.register",
     .summary = "a user registers a public signing key",
     .body = key_register,
     .rule = POLICY_RULE_SELF,
     .tlp = TLP_CLEAR,
     .flags = ACT_SELF_SIGNED | ACT_KEYS,
     .object = auth_object_self,
     .apply = auth_apply_key},
    {.name = "key.revoke",
     .summary = "a signing key is revoked",
     .body = key_revoke,
     .rule = POLICY_RULE_SELF_OR_OPERATOR,
     .tlp = TLP_CLEAR,
     .flags = ACT_KEYS,
     .object = auth_object_key,
     .apply = auth_apply_key_revoke},
};

const struct act_domain act_domain_auth = {"auth", kinds,
                                           sizeof(kinds) / sizeof(kinds[0])};
