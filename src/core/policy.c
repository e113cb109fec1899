#include "core/policy.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const role_names[ROLE__COUNT] = {
    [ROLE_NONE] = "none",
    [ROLE_OBSERVER] = "observer",
    [ROLE_DELEGATE] = "delegate",
    [ROLE_POC_DIPLOMATIC] = "poc_diplomatic",
    [ROLE_POC_TECHNICAL] = "poc_technical",
    [ROLE_SECRETARIAT] = "secretariat",
    [ROLE_OPERATOR] = "operator",
    [ROLE_SYSTEM] = "system",
};

const char *
policy_role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? role_names[r] : "none";
}

enum role
policy_role_parse(const char *name)
{
	/* "system" is never a role a user can be given. */
	for (int r = ROLE_OBSERVER; r < ROLE_SYSTEM; r++)
		if (strcmp(role_names[r], name) == 0)
			return (enum role)r;
	return ROLE_NONE;
}

static const char *const tlp_names[] = {
    [TLP_CLEAR] = "TLP:CLEAR", [TLP_GREEN] = "TLP:GREEN",
    [TLP_AMBER] = "TLP:AMBER", [TLP_AMBER_STRICT] = "TLP:AMBER+STRICT",
    [TLP_RED] = "TLP:RED",
};

const char *
policy_tlp_name(enum tlp t)
{
	return (unsigned)t <= TLP_RED ? tlp_names[t] : "TLP:RED";
}

int
policy_tlp_parse(const char *s, enum tlp *out)
{
	if (strncasecmp(s, "TLP:", 4) == 0)
		s += 4;
	for (int t = TLP_CLEAR; t <= TLP_RED; t++)
		if (strcasecmp(tlp_names[t] + 4, s) == 0) {
			*out = (enum tlp)t;
			return 0;
		}
	return -1;
}

/* Who may do what, independent of the object: a bit per role. */
const struct policy_rule policy_rules[ACTION__COUNT] = {
    [ACTION_READ] = POLICY_RULE_READ,
    [ACTION_RECORD_WRITE] = POLICY_RULE_OPERATOR,
    [ACTION_USER_ADD] = POLICY_RULE_OPERATOR,
    [ACTION_TOKEN_CREATE] = POLICY_RULE_SELF,
    [ACTION_TOKEN_REVOKE] = POLICY_RULE_SELF_OR_OPERATOR,
    [ACTION_KEY_REGISTER] = POLICY_RULE_SELF,
    [ACTION_KEY_REVOKE] = POLICY_RULE_SELF_OR_OPERATOR,
};

static bool
in_list(const char *party, const char *const *list)
{
	if (party == NULL || list == NULL)
		return false;
	for (; *list != NULL; list++)
		if (strcmp(*list, party) == 0)
			return true;
	return false;
}

static bool
tlp_allows(const struct policy_actor *a, const struct policy_object *o)
{
	if (a->role == ROLE_SYSTEM)
		return true;
	/* Whoever submitted something may read it back. */
	if (a->user_id != 0 && o->owner_user_id == a->user_id)
		return true;
	/* The operator hosts the data and holds the log key; pretending it
	 * cannot read what it stores would be false comfort.  TLP:RED stays
	 * with the named recipients, which the operator is not by office. */
	if (a->role == ROLE_OPERATOR && o->tlp >= TLP_CLEAR && o->tlp < TLP_RED)
		return true;
	switch (o->tlp) {
	case TLP_CLEAR:
		return true;
	case TLP_GREEN:
		/* The community: any enrolled user of the platform. */
		return a->role != ROLE_NONE;
	case TLP_AMBER:
	case TLP_AMBER_STRICT:
		return a->role != ROLE_NONE &&
		       ((o->party != NULL && a->party != NULL &&
		         strcmp(o->party, a->party) == 0) ||
		        in_list(a->party, o->recipients));
	case TLP_RED:
		if (a->user_id == 0)
			return false;
		if (o->owner_user_id == a->user_id)
			return true;
		for (int i = 0; i < o->nred_users; i++)
			if (o->red_users[i] == a->user_id)
				return true;
		return false;
	}
	return false;
}

bool
policy_permits(const struct policy_actor *a, const struct policy_rule *r,
               const struct policy_object *o)
{
	if ((unsigned)a->role >= ROLE__COUNT ||
	    (r->roles & POLICY_ROLE(a->role)) == 0)
		return false;
	switch (r->scope) {
	case SCOPE_ANY:
		return true;
	case SCOPE_SELF:
		return o != NULL && a->user_id != 0 &&
		       o->owner_user_id == a->user_id;
	case SCOPE_SELF_OR_OPERATOR:
		if (a->role == ROLE_OPERATOR || a->role == ROLE_SYSTEM)
			return true;
		return o != NULL && a->user_id != 0 &&
		       o->owner_user_id == a->user_id;
	case SCOPE_TLP:
		return o != NULL && tlp_allows(a, o);
	}
	return false;
}

bool
policy_allows(const struct policy_actor *a, enum action action,
              const struct policy_object *o)
{
	if ((unsigned)action >= ACTION__COUNT)
		return false;
	return policy_permits(a, &policy_rules[action], o);
}
