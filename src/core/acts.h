/*
 * The one table of act types: every change to Détente is an act of one of
 * these types, and its body is checked against the schema given here before
 * anything else happens.  A new feature adds rows (and an applier in app/),
 * never a second write path.
 */
#ifndef DETENTE_CORE_ACTS_H
#define DETENTE_CORE_ACTS_H

#include <stddef.h>

#include <jansson.h>

#include "core/policy.h"
#include "core/schema.h"

enum act_kind {
	ACT_PARTY_REGISTER,
	ACT_MEMBERSHIP_ADD,
	ACT_NORM_DEFINE,
	ACT_FORUM_ESTABLISH,
	ACT_INSTRUMENT_RECORD,
	ACT_VOTE_RECORD,
	ACT_INSTRUMENT_JOIN,
	ACT_USER_ADD,
	ACT_TOKEN_CREATE,
	ACT_TOKEN_REVOKE,
	ACT_KEY_REGISTER,
	ACT_KEY_REVOKE,
	ACT__COUNT
};

struct act_type {
	enum act_kind kind;
	const char *name; /* "party.register" */
	const struct schema_field *body;
	enum action action; /* what policy_allows() is asked */
	enum tlp tlp;       /* the label its log entry carries */
	const char *summary;
};

extern const struct act_type acts_table[ACT__COUNT];

/* Looks a type up by name.  Returns NULL for an unknown type. */
const struct act_type *acts_find(const char *name);

/* The envelope's payload type for acts. */
#define ACTS_PAYLOAD_TYPE "application/vnd.detente.act.v1+json"

/* Caps on acts read from outside. */
#define ACTS_MAX_BYTES (256 * 1024)
#define ACTS_MAX_DEPTH 8

#endif
