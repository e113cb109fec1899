/*
 * A throwaway domain, linked only into test_probe: proof that a domain
 * plugs into every layer by its own files.  This is its core file: a kind,
 * probe.note, whose label is taken from its body with TLP:GREEN as the
 * floor, addressed to the parties its body names; and a reminder that sets
 * a deadline (probe.remind), one that cancels it (probe.forget) and the act
 * the scheduler closes it with (probe.lapse).
 */
#include "core/acts.h"

int probe_apply_note(struct act_ctx *c);
int probe_apply_remind(struct act_ctx *c);
int probe_apply_forget(struct act_ctx *c);
int probe_apply_lapse(struct act_ctx *c);

static const struct schema_field code_item = {"party", SCHEMA_CODE, 0,    0,
                                              0,       NULL,        NULL, NULL};
static const struct schema_field note[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 200, NULL, NULL, NULL},
    {"tlp", SCHEMA_STR, 0, 1, 20, NULL, NULL, NULL},
    {"to", SCHEMA_ARR, 0, 0, 400, NULL, NULL, &code_item},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static const struct schema_field remind[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"at", SCHEMA_TIME, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct schema_field forget[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct schema_field lapse[] = {
    ACTS_CLOSING_FIELDS,
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};

static json_t *
addressees(const json_t *act)
{
	json_t *to = json_object_get(json_object_get(act, "body"), "to");

	return json_is_array(to) ? json_deep_copy(to) : NULL;
}

static const struct act_type kinds[] = {
    {.name = "probe.note",
     .summary = "a note of the throwaway test domain",
     .body = note,
     .rule = POLICY_RULE_OPERATOR,
     .tlp = TLP_GREEN,
     .tlp_member = "tlp",
     .recipients = addressees,
     .apply = probe_apply_note},
    {.name = "probe.remind",
     .summary = "sets a deadline of the throwaway test domain",
     .body = remind,
     .rule = POLICY_RULE_OPERATOR,
     .tlp = TLP_CLEAR,
     .apply = probe_apply_remind},
    {.name = "probe.forget",
     .summary = "cancels a deadline of the throwaway test domain",
     .body = forget,
     .rule = POLICY_RULE_OPERATOR,
     .tlp = TLP_CLEAR,
     .apply = probe_apply_forget},
    {.name = "probe.lapse",
     .summary = "a deadline of the throwaway test domain passed",
     .body = lapse,
     .rule = POLICY_RULE_SYSTEM,
     .tlp = TLP_CLEAR,
     .flags = ACT_CLOSES,
     .apply = probe_apply_lapse},
};

const struct act_domain act_domain_probe = {"probe", kinds,
                                            sizeof(kinds) / sizeof(kinds[0])};
