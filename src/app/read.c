/*
 * Who may read what: the one check every read goes through, whether it
 * reads log entries (app/log.c, the event stream) or labelled rows (the
 * store asks it row by row, through the connection's reader).  It also
 * notes how much of the reader each decision needed, so that an answer
 * can be cached for exactly the readers it is right for: everyone when it
 * held only TLP:CLEAR, the reader's class (role and party) when no
 * decision looked at who the reader is, else that one user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/internal.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"

void
app_reading_init(struct app_reading *r, const struct app_actor *who)
{
	memset(r, 0, sizeof(*r));
	if (who != NULL) {
		r->actor.role = who->role;
		r->actor.user_id = who->user_id;
		memcpy(r->party, who->party, sizeof(r->party));
		r->party[sizeof(r->party) - 1] = '\0';
	}
	r->actor.party = r->party[0] ? r->party : NULL;
	r->depends = APP_CLASS_PUBLIC;
}

bool
app_readable(struct app_reading *r, const struct policy_object *o)
{
	struct policy_actor anyone = r->actor;
	bool yes = policy_allows(&r->actor, ACTION_READ, o);

	if (o->tlp == TLP_CLEAR)
		return yes;
	/* The same decision for anyone of the reader's role and party? */
	anyone.user_id = 0;
	if (r->actor.user_id == 0 ||
	    (o->tlp < TLP_RED &&
	     policy_allows(&anyone, ACTION_READ, o) == yes)) {
		if (r->depends < APP_CLASS_PARTY)
			r->depends = APP_CLASS_PARTY;
	} else {
		r->depends = APP_CLASS_USER;
	}
	return yes;
}

bool
app_readable_label(struct app_reading *r, const char *tlp, const char *party,
                   int64_t owner_user_id, const json_t *recipients)
{
	struct policy_object o = {0};
	size_t n = json_array_size(recipients);
	const char *few[17] = {0};
	/* most acts have a few recipients: no allocation for them */
	const char **list = n < 17 ? few : xcalloc(n + 1, sizeof(*list));
	json_t *v;
	size_t i;
	bool ok;

	/* a label that does not parse is the strictest */
	if (tlp == NULL || policy_tlp_parse(tlp, &o.tlp) != 0)
		o.tlp = TLP_RED;
	o.party = party;
	o.owner_user_id = owner_user_id;
	json_array_foreach(recipients, i, v) list[i] = json_string_value(v);
	o.recipients = list;
	ok = app_readable(r, &o);
	if (list != few)
		free(list);
	return ok;
}

/* The store's question about a labelled row, answered by app_readable. */
static int
store_asks(void *ctx, const struct store_label *l)
{
	json_t *recipients = l->recipients_json != NULL
	                         ? json_loads(l->recipients_json, 0, NULL)
	                         : NULL;
	int ok = app_readable_label(ctx, l->tlp, l->party, l->owner_user_id,
	                            recipients);

	json_decref(recipients);
	return ok;
}

struct store *
app_read_as(struct app *app, struct app_reading *r)
{
	struct store *st = app_reader(app);

	if (st == NULL)
		return NULL;
	if (r == NULL) {
		store_read_as(st, NULL);
		return st;
	}
	r->sr.readable = store_asks;
	r->sr.ctx = r;
	store_read_as(st, &r->sr);
	return st;
}

int
app_reading_class(const struct app_reading *r, enum app_class c, char *out,
                  size_t n)
{
	int w;

	switch (c) {
	case APP_CLASS_PUBLIC:
		w = snprintf(out, n, "*");
		break;
	case APP_CLASS_PARTY:
		w = snprintf(out, n, "%s:%s", policy_role_name(r->actor.role),
		             r->party);
		break;
	default:
		w = snprintf(out, n, "u%lld", (long long)r->actor.user_id);
		break;
	}
	return w < 0 || (size_t)w >= n ? -1 : 0;
}
