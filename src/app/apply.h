/*
 * Appliers: how each act type changes the tables.  The same code runs when
 * an act is accepted and when the log is replayed into a fresh database,
 * which is why it reads everything it needs from the act itself.
 */
#ifndef DETENTE_APP_APPLY_H
#define DETENTE_APP_APPLY_H

#include <stdint.h>

#include <jansson.h>

#include "core/acts.h"
#include "store/store.h"

/*
 * Applies act (the whole act document: type, time, user, body) stored at
 * log index idx.  secret is the act's out-of-log part or NULL (on replay).
 * *user_id receives the id of a user that user.add created.
 */
enum store_err apply_act(struct store *st, const struct act_type *t,
                         const json_t *act, const void *secret, int64_t idx,
                         int64_t *user_id);

/*
 * The parties an act is addressed to, besides its source, as a JSON array
 * (to free), or NULL.  They may read it under TLP:AMBER and AMBER+STRICT:
 * a user's enrolment is addressed to the user's party.
 */
char *apply_recipients(const struct act_type *t, const json_t *act);

#endif
