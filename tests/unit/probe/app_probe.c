/* The throwaway domain's applier (see core_probe.c). */
#include "app/apply.h"
#include "base/jsonx.h"

enum store_err store_probe_put(struct store *st, const char *id,
                               const char *text, const char *tlp, int64_t idx);

int probe_apply_note(struct act_ctx *c);

int
probe_apply_note(struct act_ctx *c)
{
	return apply_result(c,
	                    store_probe_put(c->st, jsonx_str(c->body, "id"),
	                                    jsonx_str(c->body, "text"),
	                                    policy_tlp_name(c->tlp), c->idx));
}
