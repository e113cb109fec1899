/*
 * The record's appliers (core/record.c names them): each act becomes the
 * rows store/sqlite_record.c writes.
 */
#include "app/apply.h"
#include "base/jsonx.h"
#include "core/record.h"

int
record_apply_party(struct act_ctx *c)
{
	return apply_result(c, store_party_put(c->st, c->body, c->idx));
}

int
record_apply_membership(struct act_ctx *c)
{
	return apply_result(c, store_membership_put(c->st, c->body, c->idx));
}

int
record_apply_norm(struct act_ctx *c)
{
	return apply_result(c, store_norm_put(c->st, c->body, c->idx));
}

int
record_apply_forum(struct act_ctx *c)
{
	return apply_result(c, store_forum_put(c->st, c->body, c->idx));
}

int
record_apply_instrument(struct act_ctx *c)
{
	return apply_result(c, store_instrument_put(c->st, c->body,
	                                            policy_tlp_name(c->tlp),
	                                            c->idx));
}

/*
 * An act about an instrument is at least as restricted as the instrument:
 * a vote on a TLP:AMBER agreement is not published in the clear.  Checked
 * in the applier, so that it holds for an instrument recorded earlier in
 * the same batch, and again on replay.
 */
static int
label_covers(struct act_ctx *c)
{
	const char *id = jsonx_str(c->body, "instrument");
	char tlp[24];
	enum tlp label;

	if (store_instrument_label(c->st, id, tlp) != STORE_OK)
		return 0; /* unknown: the write names it */
	if (policy_tlp_parse(tlp, &label) != 0 || label > c->tlp) {
		app_error_set(c->e, 400, "validation",
		              "instrument %s is %s: a %s act about it must "
		              "be labelled so or stricter (body.tlp)",
		              id, tlp, c->t->name);
		return -1;
	}
	return 0;
}

int
record_apply_vote(struct act_ctx *c)
{
	if (label_covers(c) != 0)
		return -1;
	return apply_result(c, store_vote_put(c->st, c->body, c->idx));
}

int
record_apply_translation(struct act_ctx *c)
{
	return apply_result(c, store_translation_put(c->st, c->body, c->idx));
}

int
record_apply_join(struct act_ctx *c)
{
	if (label_covers(c) != 0)
		return -1;
	return apply_result(c, store_join_put(c->st, c->body, c->idx));
}
