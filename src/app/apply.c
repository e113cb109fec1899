/*
 * The applier's side of the pipeline: one call through the kind's row, and
 * one mapping of store refusals to what the submitter is told.
 */
#include "app/apply.h"

#include <stdlib.h>

#include "base/jsonx.h"
#include "base/timeutil.h"

int
apply_act(struct act_ctx *c)
{
	if (c->t->flags & ACT_CLOSES) {
		const char *key = jsonx_str(c->body, "deadline");
		enum store_err se = store_deadline_close(c->st, key, c->idx);

		if (se == STORE_NOTFOUND) {
			app_error_set(c->e, 409, "conflict",
			              "deadline %.128s is not open: it was "
			              "closed or cancelled, or never set",
			              key);
			return -1;
		}
		if (se != STORE_OK)
			return apply_fail(c, se);
	}
	return c->t->apply(c);
}

int
apply_deadline_set(struct act_ctx *c, const char *key, int64_t due_ms,
                   const char *close_type, const json_t *close_body)
{
	const struct act_type *t = acts_find(close_type);
	json_t *whole;
	char when[TIME_RFC3339_LEN], err[300], *text;
	int rc;

	/* what the scheduler will submit must be valid now, not when the
	 * deadline passes: a domain's mistake shows at once */
	if (t == NULL || !(t->flags & ACT_CLOSES) ||
	    !json_is_object(close_body) ||
	    json_object_get(close_body, "deadline") != NULL ||
	    json_object_get(close_body, "due") != NULL) {
		app_error_set(c->e, 500, "internal",
		              "%s sets deadline %.128s closed by %.64s, which "
		              "is not a closing act",
		              c->t->name, key, close_type ? close_type : "");
		return -1;
	}
	whole = json_deep_copy(close_body);
	time_format_ms(due_ms, when);
	json_object_set_new(whole, "deadline", json_string(key));
	json_object_set_new(whole, "due", json_string(when));
	rc = schema_check(t->body, whole, "body", err, sizeof(err));
	json_decref(whole);
	if (rc != 0) {
		app_error_set(c->e, 500, "internal",
		              "%s sets deadline %.128s whose %s act would be "
		              "refused: %s",
		              c->t->name, key, close_type, err);
		return -1;
	}
	text = jsonx_dump(close_body, NULL);
	rc = apply_result(c, store_deadline_set(c->st, key, due_ms, close_type,
	                                        text, c->idx));
	free(text);
	return rc;
}

int
apply_deadline_cancel(struct act_ctx *c, const char *key)
{
	enum store_err se = store_deadline_cancel(c->st, key, c->idx);

	if (se == STORE_NOTFOUND)
		return 0;
	return se == STORE_OK ? 1 : apply_fail(c, se);
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
