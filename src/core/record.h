/*
 * The record's act kinds (core/record.c).  The functions below are its
 * appliers, defined in app/record.c: core names them in its rows and never
 * calls them.
 */
#ifndef DETENTE_CORE_RECORD_H
#define DETENTE_CORE_RECORD_H

#include "core/acts.h"

extern const struct act_domain act_domain_record;

/* Vocabularies the record shares with the domains that write it: the kinds
 * of forum, and a link from an instrument to a norm {norm, relation}. */
extern const char *const record_forum_kinds[];
extern const struct schema_field record_norm_link;
/* A seat in a forum: {party, role: chair | member | observer}. */
extern const struct schema_field record_seat;

int record_apply_party(struct act_ctx *c);
int record_apply_membership(struct act_ctx *c);
int record_apply_norm(struct act_ctx *c);
int record_apply_forum(struct act_ctx *c);
int record_apply_instrument(struct act_ctx *c);
int record_apply_vote(struct act_ctx *c);
int record_apply_join(struct act_ctx *c);
int record_apply_translation(struct act_ctx *c);

#endif
