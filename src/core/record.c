/*
 * The historical record's act kinds: parties, memberships, norms, forums,
 * instruments, votes and signatures.  The record is public (TLP:CLEAR) and
 * written by the operator or the system (init --demo).  Its appliers are in
 * app/record.c, its tables in store/sqlite_record.c.
 */
#include "core/record.h"

/* Fields every record body may carry: where it comes from, and whether the
 * record is confirmed. */
static const struct schema_field source_fields[] = {
    {"title", SCHEMA_STR, SCHEMA_REQUIRED, 1, 500, NULL, NULL, NULL},
    {"url", SCHEMA_URL, 0, 0, 1000, NULL, NULL, NULL},
    {NULL, 0, 0, 0, 0, NULL, NULL, NULL},
};
static const struct schema_field source_item = {
    "source", SCHEMA_OBJ, 0, 0, 0, NULL, source_fields, NULL};

#define PROVENANCE                                                             \
	{"sources", SCHEMA_ARR, SCHEMA_REQUIRED, 1, 20,                        \
	 NULL,      NULL,       &source_item},                                 \
	    {"unconfirmed", SCHEMA_BOOL, 0, 0, 0, NULL, NULL, NULL},           \
	{                                                                      \
		"note", SCHEMA_STR, 0, 1, 2000, NULL, NULL, NULL               \
	}
#define END                                                                    \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL, NULL, NULL                             \
	}

static const char *const party_kinds[] = {"state", "observer_state",
                                          "organisation", "group", NULL};
static const char *const un_groups[] = {
    "African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG", NULL};
static const struct schema_field party_register[] = {
    {"code", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 1, 200, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, party_kinds, NULL, NULL},
    {"alpha2", SCHEMA_STR, SCHEMA_NULLABLE, 2, 2, NULL, NULL, NULL},
    {"numeric", SCHEMA_STR, SCHEMA_NULLABLE, 3, 3, NULL, NULL, NULL},
    {"un_group", SCHEMA_ENUM, SCHEMA_NULLABLE, 0, 0, un_groups, NULL, NULL},
    {"admitted", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"description", SCHEMA_STR, 0, 1, 4000, NULL, NULL, NULL},
    PROVENANCE,
    END,
};

static const char *const membership_roles[] = {"member", "observer", "partner",
                                               NULL};
static const struct schema_field membership_add[] = {
    {"organisation", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"member", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"since", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"until", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, membership_roles, NULL, NULL},
    PROVENANCE,
    END,
};

static const struct schema_field norm_define[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"code", SCHEMA_STR, SCHEMA_REQUIRED, 1, 16, NULL, NULL, NULL},
    {"title", SCHEMA_STR, SCHEMA_REQUIRED, 1, 300, NULL, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    PROVENANCE,
    END,
};

const char *const record_forum_kinds[] = {
    "bilateral",  "plurilateral", "regional", "expert_group",
    "open_ended", "plenary",      NULL};
static const char *const decision_rules[] = {
    "consensus", "majority", "two_thirds", "consensus_or_vote", NULL};
static const char *const seat_roles[] = {"chair", "member", "observer", NULL};
static const struct schema_field seat_fields[] = {
    {"party", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, seat_roles, NULL, NULL},
    END,
};
const struct schema_field record_seat = {"seat", SCHEMA_OBJ, 0,           0,
                                         0,      NULL,       seat_fields, NULL};
static const struct schema_field forum_establish[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 1, 300, NULL, NULL, NULL},
    {"short_name", SCHEMA_STR, 0, 1, 64, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, record_forum_kinds, NULL,
     NULL},
    {"parent", SCHEMA_SLUG, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"mandate", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    {"established_by", SCHEMA_STR, SCHEMA_NULLABLE, 1, 200, NULL, NULL, NULL},
    {"membership_rule", SCHEMA_STR, SCHEMA_REQUIRED, 1, 1000, NULL, NULL, NULL},
    {"decision_rule", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, decision_rules, NULL,
     NULL},
    {"start", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"end", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"members", SCHEMA_ARR, 0, 0, 400, NULL, NULL, &record_seat},
    PROVENANCE,
    END,
};

static const char *const instrument_kinds[] = {
    "report",    "resolution", "decision", "joint_statement",
    "agreement", "convention", "toolbox",  "sanctions_regime",
    "outcome",   NULL};
static const char *const outcomes[] = {
    "adopted", "failed", "open_for_signature", "in_force", "signed", NULL};
static const char *const adoptions[] = {"consensus", "without_vote",
                                        "recorded_vote", "signature", NULL};
static const char *const norm_relations[] = {"establishes", "affirms", NULL};
static const struct schema_field totals_fields[] = {
    {"yes", SCHEMA_INT, SCHEMA_REQUIRED, 0, 400, NULL, NULL, NULL},
    {"no", SCHEMA_INT, SCHEMA_REQUIRED, 0, 400, NULL, NULL, NULL},
    {"abstain", SCHEMA_INT, SCHEMA_REQUIRED, 0, 400, NULL, NULL, NULL},
    END,
};
static const struct schema_field norm_link_fields[] = {
    {"norm", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"relation", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, norm_relations, NULL,
     NULL},
    END,
};
const struct schema_field record_norm_link = {
    "norm", SCHEMA_OBJ, 0, 0, 0, NULL, norm_link_fields, NULL};
static const struct schema_field commitment_fields[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 2000, NULL, NULL, NULL},
    END,
};
static const struct schema_field commitment_item = {
    "commitment", SCHEMA_OBJ, 0, 0, 0, NULL, commitment_fields, NULL};
/* What a record act may be labelled, and for whom besides its source: a
 * confidential agreement is TLP:AMBER to its parties. */
static const struct schema_field recipient_item = {
    "party", SCHEMA_CODE, 0, 0, 0, NULL, NULL, NULL};
#define LABEL                                                                  \
	{"tlp", SCHEMA_STR, SCHEMA_NULLABLE, 1, 20, NULL, NULL, NULL},         \
	{                                                                      \
		"recipients", SCHEMA_ARR, 0, 0, ACTS_MAX_RECIPIENTS, NULL,     \
		    NULL, &recipient_item                                      \
	}

static const struct schema_field instrument_record[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"symbol", SCHEMA_STR, SCHEMA_NULLABLE, 1, 100, NULL, NULL, NULL},
    {"title", SCHEMA_STR, SCHEMA_REQUIRED, 1, 500, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, instrument_kinds, NULL, NULL},
    {"date", SCHEMA_DATE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"forum", SCHEMA_SLUG, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    {"binding", SCHEMA_BOOL, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"outcome", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, outcomes, NULL, NULL},
    {"outcome_reason", SCHEMA_STR, SCHEMA_NULLABLE, 1, 2000, NULL, NULL, NULL},
    {"adoption", SCHEMA_ENUM, SCHEMA_NULLABLE, 0, 0, adoptions, NULL, NULL},
    {"vote_totals", SCHEMA_OBJ, SCHEMA_NULLABLE, 0, 0, NULL, totals_fields,
     NULL},
    {"summary", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    {"norms", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &record_norm_link},
    {"commitments", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &commitment_item},
    LABEL,
    PROVENANCE,
    END,
};

static const struct schema_field code_item = {"party", SCHEMA_CODE, 0,    0,
                                              0,       NULL,        NULL, NULL};
static const struct schema_field vote_record[] = {
    {"instrument", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"date", SCHEMA_DATE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"yes", SCHEMA_ARR, SCHEMA_REQUIRED, 0, 250, NULL, NULL, &code_item},
    {"no", SCHEMA_ARR, SCHEMA_REQUIRED, 0, 250, NULL, NULL, &code_item},
    {"abstain", SCHEMA_ARR, SCHEMA_REQUIRED, 0, 250, NULL, NULL, &code_item},
    LABEL,
    PROVENANCE,
    END,
};

static const char *const join_relations[] = {"signatory", "sponsor", "party",
                                             NULL};
static const struct schema_field joiner_fields[] = {
    {"party", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"relation", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, join_relations, NULL,
     NULL},
    {"date", SCHEMA_DATE, SCHEMA_NULLABLE, 0, 0, NULL, NULL, NULL},
    END,
};
static const struct schema_field joiner_item = {
    "joiner", SCHEMA_OBJ, 0, 0, 0, NULL, joiner_fields, NULL};
static const struct schema_field instrument_join[] = {
    {"instrument", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"parties", SCHEMA_ARR, SCHEMA_REQUIRED, 1, 250, NULL, NULL, &joiner_item},
    LABEL,
    PROVENANCE,
    END,
};

#define RECORD(name_, body_, apply_, summary_)                                 \
	{                                                                      \
		.name = name_, .summary = summary_, .body = body_,             \
		.rule = POLICY_RULE_OPERATOR, .tlp = TLP_CLEAR,                \
		.apply = apply_,                                               \
	}

/* A translation of a record's texts into a language of the interface:
 * Bahasa Indonesia.  State names come from Debian's iso-codes; the texts
 * of instruments, norms and forums are the project's own, unofficial (UN
 * texts have no official Indonesian version). */
static const char *const langs[] = {"id", NULL};
static const char *const translated_kinds[] = {"party", "norm", "forum",
                                               "instrument", NULL};
static const struct schema_field translated_fields[] = {
    {"name", SCHEMA_STR, 0, 1, 300, NULL, NULL, NULL},
    {"title", SCHEMA_STR, 0, 1, 500, NULL, NULL, NULL},
    {"summary", SCHEMA_STR, 0, 1, 8000, NULL, NULL, NULL},
    {"text", SCHEMA_STR, 0, 1, 8000, NULL, NULL, NULL},
    {"mandate", SCHEMA_STR, 0, 1, 8000, NULL, NULL, NULL},
    {"outcome_reason", SCHEMA_STR, 0, 1, 4000, NULL, NULL, NULL},
    {"description", SCHEMA_STR, 0, 1, 8000, NULL, NULL, NULL},
    END,
};
static const struct schema_field translation_record[] = {
    {"lang", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, langs, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, translated_kinds, NULL, NULL},
    {"ref", SCHEMA_STR, SCHEMA_REQUIRED, 1, 64, NULL, NULL, NULL},
    {"fields", SCHEMA_OBJ, SCHEMA_REQUIRED, 0, 0, NULL, translated_fields,
     NULL},
    {"commitments", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &commitment_item},
    {"unofficial", SCHEMA_BOOL, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    PROVENANCE,
    END,
};

/* The recipients a labelled record act names. */
static json_t *
body_recipients(const json_t *act)
{
	json_t *r = json_object_get(json_object_get(act, "body"), "recipients");

	return json_is_array(r) && json_array_size(r) > 0 ? json_copy(r) : NULL;
}

/* A kind that may carry a label of its own (CLEAR by default). */
#define LABELLED(name_, body_, apply_, summary_)                               \
	{                                                                      \
		.name = name_, .summary = summary_, .body = body_,             \
		.rule = POLICY_RULE_OPERATOR, .tlp = TLP_CLEAR,                \
		.tlp_member = "tlp", .recipients = body_recipients,            \
		.apply = apply_,                                               \
	}

static const struct act_type kinds[] = {
    RECORD("party.register", party_register, record_apply_party,
           "a state or organisation joins the record"),
    RECORD("membership.add", membership_add, record_apply_membership,
           "a party is a member of an organisation"),
    RECORD("norm.define", norm_define, record_apply_norm,
           "a norm of responsible state behaviour"),
    RECORD("forum.establish", forum_establish, record_apply_forum,
           "a forum where states negotiate"),
    LABELLED("instrument.record", instrument_record, record_apply_instrument,
             "an outcome: report, resolution, agreement"),
    LABELLED("vote.record", vote_record, record_apply_vote,
             "a recorded vote on an instrument"),
    RECORD("translation.record", translation_record, record_apply_translation,
           "a record's texts in another language"),
    LABELLED("instrument.join", instrument_join, record_apply_join,
             "parties sign, sponsor or join an instrument"),
};

const struct act_domain act_domain_record = {"record", kinds,
                                             sizeof(kinds) / sizeof(kinds[0])};
