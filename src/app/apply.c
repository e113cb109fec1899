/*
 * The applier's side of the pipeline: one call through the kind's row, and
 * one mapping of store refusals to what the submitter is told.
 */
#include "app/apply.h"

int
apply_act(struct act_ctx *c)
{
	return c->t->apply(c);
}

int
apply_fail(struct act_ctx *c, enum store_err se)
{
	const char *msg = store_errmsg(c->st);

	switch (se) {
	case STORE_BADREF:
		app_error_set(c->e, 400, "unknown-reference",
		              "%s refers to something that is not in the "
		              "record: %.200s",
		              c->t->name, msg);
		break;
	case STORE_CONFLICT:
		app_error_set(c->e, 409, "conflict",
		              "%s conflicts with the record: %.200s",
		              c->t->name, msg);
		break;
	case STORE_NOTFOUND:
		app_error_set(c->e, 404, "not-found", "%s: %.200s", c->t->name,
		              msg);
		break;
	default:
		app_error_set(c->e, 500, "internal", "%s: %.200s", c->t->name,
		              msg);
		break;
	}
	return -1;
}

int
apply_result(struct act_ctx *c, enum store_err se)
{
	return se == STORE_OK ? 0 : apply_fail(c, se);
}
