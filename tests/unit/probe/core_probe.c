/*
 * A throwaway domain, linked only into test_probe: proof that a domain
 * plugs into every layer by its own files.  This is its core file: one act
 * kind, probe.note, whose label is taken from its body with TLP:GREEN as
 * the floor, addressed to the parties its body names.
 */
#include "core/acts.h"

int probe_apply_note(struct act_ctx *c);

static const struct schema_field code_item = {"party", SCHEMA_CODE, 0,    0,
                                              0,       NULL,        NULL, NULL};
static const struct schema_field note[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 200, NULL, NULL, NULL},
    {"tlp", SCHEMA_STR, 0, 1, 20, NULL, NULL, NULL},
    {"to", SCHEMA_ARR, 0, 0, 400, NULL, NULL, &code_item},
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
};

const struct act_domain act_domain_probe = {"probe", kinds, 1};
