/*
 * The record's appliers (core/record.c names them): each act becomes the
 * rows store/sqlite_record.c writes.
 */
#include "app/apply.h"
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
	return apply_result(c, store_instrument_put(c->st, c->body, c->idx));
}

int
record_apply_vote(struct act_ctx *c)
{
	return apply_result(c, store_vote_put(c->st, c->body, c->idx));
}

int
record_apply_join(struct act_ctx *c)
{
	return apply_result(c, store_join_put(c->st, c->body, c->idx));
}
