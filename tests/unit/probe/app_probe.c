/* The throwaway domain's applier (see core_probe.c). */
#include <stdio.h>

#include "app/apply.h"
#include "base/jsonx.h"
#include "base/timeutil.h"

enum store_err store_probe_put(struct store *st, const char *id,
                               const char *text, const char *tlp, int64_t idx);
enum store_err store_probe_lapsed(struct store *st, const char *id,
                                  const char *due, int64_t idx);

int probe_apply_note(struct act_ctx *c);
int probe_apply_remind(struct act_ctx *c);
int probe_apply_forget(struct act_ctx *c);
int probe_apply_lapse(struct act_ctx *c);

int
probe_apply_note(struct act_ctx *c)
{
	return apply_result(c,
	                    store_probe_put(c->st, jsonx_str(c->body, "id"),
	                                    jsonx_str(c->body, "text"),
	                                    policy_tlp_name(c->tlp), c->idx));
}

static void
key_of(const char *id, char key[80])
{
	snprintf(key, 80, "probe:%s", id);
}

int
probe_apply_remind(struct act_ctx *c)
{
	const char *id = jsonx_str(c->body, "id");
	json_t *close = json_pack("{s:s}", "id", id);
	char key[80];
	int64_t at;
	int rc;

	if (time_parse_ms(jsonx_str(c->body, "at"), &at) != 0)
		at = 0; /* cannot happen: the schema checked it */
	key_of(id, key);
	rc = apply_deadline_set(c, key, at, "probe.lapse", close);
	json_decref(close);
	return rc;
}

int
probe_apply_forget(struct act_ctx *c)
{
	char key[80];

	key_of(jsonx_str(c->body, "id"), key);
	return apply_deadline_cancel(c, key) < 0 ? -1 : 0;
}

int
probe_apply_lapse(struct act_ctx *c)
{
	return apply_result(
	    c, store_probe_lapsed(c->st, jsonx_str(c->body, "id"),
	                          jsonx_str(c->body, "due"), c->idx));
}
