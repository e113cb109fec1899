/*
 * What an act kind's object finder and applier are given (core/acts.h
 * names them; app/<domain>.c defines them).  The same applier runs when an
 * act is accepted and when the log is replayed into a fresh database, which
 * is why it reads everything it needs from the act itself.
 */
#ifndef DETENTE_APP_APPLY_H
#define DETENTE_APP_APPLY_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/acts.h"
#include "store/store.h"

struct act_ctx {
	struct store *st; /* the writer (or replay's destination); for an
	                   * object finder, the submitter's read connection */
	const struct act_type *t;
	const json_t *act;  /* the whole act document: type, time, user ... */
	const json_t *body; /* its body, valid under t's schema */
	const char *user;   /* the acting user's name, or NULL (the system) */
	int64_t time_ms;    /* the act's time */
	int64_t idx;        /* its log index (appliers only) */
	enum tlp tlp;       /* its label */
	const void *secret; /* its out-of-log part, or NULL (on replay) */
	const struct app_actor *who; /* the submitter (object finders only) */
	int64_t user_id;             /* out: the user a user.add created */
	struct app_error *e;
};

/*
 * Deadlines, for appliers: an act sets a deadline (an absolute UTC instant)
 * with the act that closes it, of a kind flagged ACT_CLOSES; close_body is
 * that act's body without "deadline" and "due", which the scheduler adds.
 * Setting an open key again moves it.  Returns 0, or -1 with c->e.
 */
__attribute__((warn_unused_result)) int
apply_deadline_set(struct act_ctx *c, const char *key, int64_t due_ms,
                   const char *close_type, const json_t *close_body);
/* Cancels an open deadline (an answer before the time to answer ran out).
 * Returns 1 when it was open, 0 when it was not, -1 with c->e. */
__attribute__((warn_unused_result)) int apply_deadline_cancel(struct act_ctx *c,
                                                              const char *key);

/*
 * Applies the act through its kind's applier.  A closing act (ACT_CLOSES)
 * first closes its deadline, which must still be open (409 otherwise).
 * Returns 0 or -1 with c->e.
 */
__attribute__((warn_unused_result)) int apply_act(struct act_ctx *c);

/*
 * Sets c->e from a store's refusal, in terms of the act: an unknown
 * reference is 400, a duplicate 409, a missing row 404, else 500.
 * Returns -1, for `return apply_fail(c, se);`.
 */
int apply_fail(struct act_ctx *c, enum store_err se);

/* Returns 0 when se is STORE_OK, else apply_fail(c, se). */
int apply_result(struct act_ctx *c, enum store_err se);

#endif
