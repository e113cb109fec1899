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

/* A rule: which roles may act, and on which objects (scope). */
#define POLICY_ROLE(x) (1u << (x))
#define POLICY_ANY_USER                                                        \
	(POLICY_ROLE(ROLE_OBSERVER) | POLICY_ROLE(ROLE_DELEGATE) |             \
	 POLICY_ROLE(ROLE_POC_DIPLOMATIC) | POLICY_ROLE(ROLE_POC_TECHNICAL) |  \
	 POLICY_ROLE(ROLE_SECRETARIAT) | POLICY_ROLE(ROLE_OPERATOR))

enum policy_scope {
	SCOPE_ANY,  /* the role suffices */
	SCOPE_SELF, /* only on objects the actor owns */
	SCOPE_SELF_OR_OPERATOR,
	SCOPE_TLP, /* decided by the object's label */
};

struct policy_rule {
	unsigned roles; /* a POLICY_ROLE bit per role allowed */
	enum policy_scope scope;
};

/* The named rules, as act kinds' rows use them (core/<domain>.c). */
#define POLICY_RULE_READ                                                       \
	{                                                                      \
		POLICY_ANY_USER | POLICY_ROLE(ROLE_NONE) |                     \
		    POLICY_ROLE(ROLE_SYSTEM),                                  \
		    SCOPE_TLP                                                  \
	}
#define POLICY_RULE_OPERATOR                                                   \
	{                                                                      \
		POLICY_ROLE(ROLE_OPERATOR) | POLICY_ROLE(ROLE_SYSTEM),         \
		    SCOPE_ANY                                                  \
	}
#define POLICY_RULE_SYSTEM                                                     \
	{                                                                      \
		POLICY_ROLE(ROLE_SYSTEM), SCOPE_ANY                            \
	}
#define POLICY_RULE_SELF                                                       \
	{                                                                      \
		POLICY_ANY_USER, SCOPE_SELF                                    \
	}
#define POLICY_RULE_SELF_OR_OPERATOR                                           \
	{                                                                      \
		POLICY_ANY_USER | POLICY_ROLE(ROLE_SYSTEM),                    \
		    SCOPE_SELF_OR_OPERATOR                                     \
	}

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

/* The rule of each action. */
extern const struct policy_rule policy_rules[ACTION__COUNT];

/* Whether actor may perform action on object.  Never fails. */
bool policy_allows(const struct policy_actor *actor, enum action action,
                   const struct policy_object *object);

/* Whether actor may act on object under rule: the one decision that
 * policy_allows() and every act kind's rule go through.  Never fails. */
bool policy_permits(const struct policy_actor *actor,
                    const struct policy_rule *rule,
                    const struct policy_object *object);

#endif
