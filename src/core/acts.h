/*
 * Act kinds: every change to Détente is an act of one kind, and each kind is
 * one row of its domain's table (core/<domain>.c): its name, the schema of
 * its body, who may submit it, how its TLP label is decided, whom it is
 * addressed to, and the function that turns it into rows.  The domains are
 * listed once, in acts.c.  A new feature adds rows or a domain, never a
 * second write path, and nothing in the pipeline switches over kinds.
 */
#ifndef DETENTE_CORE_ACTS_H
#define DETENTE_CORE_ACTS_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "core/policy.h"
#include "core/schema.h"

/* What an object finder and an applier are given: defined by app/apply.h.
 * core names these functions in its rows and never calls them. */
struct act_ctx;

/* Flags of a kind. */
#define ACT_SECRET                                                             \
	0x1u /* carries a secret outside the log: only its                     \
	      * own use case submits it, never /acts */
#define ACT_SELF_SIGNED                                                        \
	0x2u          /* signed by the key its body registers (proof           \
	               * of possession), never attested */
#define ACT_KEYS 0x4u /* changes which keys may sign */
#define ACT_CLOSES                                                             \
	0x8u /* closes a deadline when it passes: submitted by the             \
	      * scheduler alone, under the system key; its body names          \
	      * the deadline and the instant it passed                         \
	      * (ACTS_CLOSING_FIELDS) */

/*
 * The members every closing kind's body starts with: the deadline's key and
 * the instant it passed, which the scheduler fills in (the act's own time
 * is when it was appended, later after a restart).
 */
#define ACTS_CLOSING_FIELDS                                                    \
	{"deadline", SCHEMA_STR, SCHEMA_REQUIRED, 1, 128, NULL, NULL, NULL},   \
	{                                                                      \
		"due", SCHEMA_TIME, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL    \
	}

struct act_type {
	const char *name; /* "party.register" */
	const char *summary;
	const struct schema_field *body;
	struct policy_rule rule; /* who may submit it */
	/* The label its log entry and its rows carry: tlp, or, when
	 * tlp_member names a member of the body, that member's label, which
	 * must be tlp or stricter (tlp is the floor and the default). */
	enum tlp tlp;
	const char *tlp_member;
	unsigned flags;
	/* The parties the act is addressed to besides its source, who may
	 * read it under AMBER and AMBER+STRICT: a new JSON array of party
	 * codes, or NULL for none.  Pure. */
	json_t *(*recipients)(const json_t *act);
	/* Fills what policy is asked about (owner, party, label) from the
	 * state before the act; NULL when the actor alone decides.  Returns
	 * 0, or -1 with the context's error set. */
	int (*object)(struct act_ctx *c, struct policy_object *o);
	/* Turns the act into rows, inside the log's transaction; the same
	 * code runs live and on replay.  Returns 0, or -1 with the context's
	 * error set. */
	int (*apply)(struct act_ctx *c);
};

/* A domain's kinds, as its core file declares them. */
struct act_domain {
	const char *name;
	const struct act_type *kinds;
	size_t nkinds;
};

/* Every kind of every domain, in a fixed order (the domains in the order
 * acts.c lists them, each domain's kinds in its own order). */
size_t acts_count(void);
const struct act_type *acts_at(size_t i);

/* Looks a kind up by name.  Returns NULL for an unknown kind. */
const struct act_type *acts_find(const char *name);

/*
 * The label of an act of kind t with this (validated) body.  Returns 0, or
 * -1 with err when the body's label is not one or is below the floor.
 */
__attribute__((warn_unused_result)) int acts_label(const struct act_type *t,
                                                   const json_t *body,
                                                   enum tlp *out, char *err,
                                                   size_t errlen);

/* The envelope's payload type for acts. */
#define ACTS_PAYLOAD_TYPE "application/vnd.detente.act.v1+json"

/* Caps on acts read from outside. */
#define ACTS_MAX_BYTES      (256 * 1024)
#define ACTS_MAX_DEPTH      8
#define ACTS_MAX_RECIPIENTS 256 /* more is refused, never cut */

#endif
