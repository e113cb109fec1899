/*
 * The one list of domains, and lookups over their kinds.
 */
#include "core/acts.h"

#include <stdio.h>
#include <string.h>

#include "core/auth.h"
#include "core/negotiation.h"
#include "core/record.h"

/*
 * A test build's throwaway domain (tests/unit/domain_probe_*.c): a weak
 * reference, NULL in every other program.  It is how a test proves that a
 * domain plugs in by its own files alone.
 */
extern const struct act_domain act_domain_probe __attribute__((weak));

static const struct act_domain *const domains[] = {
    &act_domain_record,
    &act_domain_auth,
    &act_domain_negotiation,
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

static const struct act_domain *
domain_at(size_t d)
{
	if (d < NDOMAINS)
		return domains[d];
	if (d == NDOMAINS && &act_domain_probe != NULL)
		return &act_domain_probe;
	return NULL;
}

size_t
acts_count(void)
{
	const struct act_domain *dom;
	size_t n = 0;

	for (size_t d = 0; (dom = domain_at(d)) != NULL; d++)
		n += dom->nkinds;
	return n;
}

const struct act_type *
acts_at(size_t i)
{
	const struct act_domain *dom;

	for (size_t d = 0; (dom = domain_at(d)) != NULL; d++) {
		if (i < dom->nkinds)
			return &dom->kinds[i];
		i -= dom->nkinds;
	}
	return NULL;
}

const struct act_type *
acts_find(const char *name)
{
	const struct act_domain *dom;

	if (name == NULL)
		return NULL;
	for (size_t d = 0; (dom = domain_at(d)) != NULL; d++)
		for (size_t i = 0; i < dom->nkinds; i++)
			if (strcmp(dom->kinds[i].name, name) == 0)
				return &dom->kinds[i];
	return NULL;
}

int
acts_label(const struct act_type *t, const json_t *body, enum tlp *out,
           char *err, size_t errlen)
{
	const json_t *v;
	enum tlp label;

	*out = t->tlp;
	if (t->tlp_member == NULL)
		return 0;
	v = json_object_get(body, t->tlp_member);
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v) ||
	    policy_tlp_parse(json_string_value(v), &label) != 0) {
		snprintf(err, errlen,
		         "body.%s: must be a TLP 2.0 label (TLP:CLEAR, "
		         "TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, TLP:RED)",
		         t->tlp_member);
		return -1;
	}
	if (label < t->tlp) {
		snprintf(err, errlen, "body.%s: a %s act is %s or stricter",
		         t->tlp_member, t->name, policy_tlp_name(t->tlp));
		return -1;
	}
	*out = label;
	return 0;
}
