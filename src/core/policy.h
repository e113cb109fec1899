/*
 * Authorization: one function, policy_allows(), over a table of rules.
 * Pure: it sees only what it is given, so it is tested exhaustively over
 * every role, action and object shape.
 */
#ifndef DETENTE_CORE_POLICY_H
#define DETENTE_CORE_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum role {
	ROLE_NONE = 0, /* anonymous: the public */
	ROLE_OBSERVER,
	ROLE_DELEGATE,
	ROLE_POC_DIPLOMATIC,
	ROLE_POC_TECHNICAL,
	ROLE_SECRETARIAT,
	ROLE_OPERATOR,
	ROLE_SYSTEM, /* the server itself, acting with the log key */
	ROLE__COUNT
};

/* Names as they appear in the API and the CLI ("poc_technical"). */
const char *policy_role_name(enum role r);
/* Returns the role, or ROLE_NONE for an unknown name or "none". */
enum role policy_role_parse(const char *name);

enum tlp {
	TLP_CLEAR = 0,
	TLP_GREEN,
	TLP_AMBER,
	TLP_AMBER_STRICT,
	TLP_RED,
};

const char *policy_tlp_name(enum tlp t); /* "TLP:CLEAR", ... */
/* Parses "CLEAR" or "TLP:CLEAR" (any case).  Returns 0 or -1. */
int policy_tlp_parse(const char *s, enum tlp *out);

enum action {
	ACTION_READ,         /* read an object under its TLP label */
	ACTION_RECORD_WRITE, /* add to the historical record */
	ACTION_USER_ADD,     /* enrol a user of some party */
	ACTION_TOKEN_CREATE, /* create an API token for oneself */
	ACTION_TOKEN_REVOKE, /* revoke an API token */
	ACTION_KEY_REGISTER, /* register a signing key for oneself */
	ACTION_KEY_REVOKE,   /* revoke a signing key */
	ACTION__COUNT
};

struct policy_actor {
	enum role role;
	int64_t user_id;   /* 0 when anonymous or the system */
	const char *party; /* the party the user acts for; NULL if none */
};

struct policy_object {
	int64_t owner_user_id; /* the user an object belongs to, 0 if none */
	const char *party;     /* the party an object belongs to, or NULL */
	enum tlp tlp;
	/* Parties entitled to a restricted object (its recipients and its
	 * source).  For TLP:RED, users named in red_users only. */
	const char *const *recipients;
	const int64_t *red_users;
	int nred_users;
};

/* Whether actor may perform action on object.  Never fails. */
bool policy_allows(const struct policy_actor *actor, enum action action,
                   const struct policy_object *object);

#endif
