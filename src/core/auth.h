/*
 * Accounts' act kinds (core/auth.c).  The functions below are defined in
 * app/auth.c: core names them in its rows and never calls them.
 */
#ifndef DETENTE_CORE_AUTH_H
#define DETENTE_CORE_AUTH_H

#include "core/acts.h"

extern const struct act_domain act_domain_auth;

/* Object finders: the submitter's own object; a token's or a key's owner
 * (404 when it is unknown or revoked already). */
int auth_object_self(struct act_ctx *c, struct policy_object *o);
int auth_object_token(struct act_ctx *c, struct policy_object *o);
int auth_object_key(struct act_ctx *c, struct policy_object *o);

int auth_apply_user(struct act_ctx *c);
int auth_apply_token(struct act_ctx *c);
int auth_apply_token_revoke(struct act_ctx *c);
int auth_apply_key(struct act_ctx *c);
int auth_apply_key_revoke(struct act_ctx *c);

#endif
