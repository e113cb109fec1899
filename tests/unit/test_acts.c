/*
 * Tests of core/acts: the table of act types is consistent, acts_find finds
 * exactly its rows, and every act of the historical record (data/record)
 * validates against its type's schema.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <jansson.h>

#include "core/acts.h"
#include "core/schema.h"

#define MAX_FIELDS 64 /* no table is longer: a missing END is caught */

/* acts_at walks every kind once, and nothing past the end. */
static void
test_kinds_in_order(void **state)
{
	(void)state;
	assert_int_equal(acts_count(), 13 + 17); /* record, auth, negotiation */
	for (size_t i = 0; i < acts_count(); i++)
		assert_non_null(acts_at(i));
	assert_null(acts_at(acts_count()));
}

static void
test_names_unique_and_well_formed(void **state)
{
	(void)state;
	for (size_t i = 0; i < acts_count(); i++) {
		const char *n = acts_at(i)->name;
		const char *dot;

		assert_non_null(n);
		/* "noun.verb", lower case letters only */
		dot = strchr(n, '.');
		assert_non_null(dot);
		assert_true(dot > n && dot[1] != '\0');
		assert_null(strchr(dot + 1, '.'));
		for (const char *p = n; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '.');
		for (size_t j = 0; j < i; j++)
			if (strcmp(n, acts_at(j)->name) == 0)
				fail_msg("act type %s is listed twice", n);
		assert_non_null(acts_at(i)->summary);
		assert_true(strlen(acts_at(i)->summary) > 0);
		assert_true(acts_at(i)->rule.roles != 0);
		assert_true((unsigned)acts_at(i)->tlp <= TLP_RED);
		/* every kind turns into rows */
		assert_non_null(acts_at(i)->apply);
	}
}

/* Walks a field table: it ends within MAX_FIELDS, names are unique, and
 * each type has what it needs (values, sub, item, sane bounds). */
static void
check_fields(const struct schema_field *f, const char *where, int depth)
{
	size_t n;

	assert_non_null(f);
	assert_true(depth < 8);
	for (n = 0; f[n].name != NULL; n++) {
		const struct schema_field *x = &f[n];

		if (n >= MAX_FIELDS)
			fail_msg("%s: no end of table", where);
		assert_true(strlen(x->name) > 0);
		for (size_t j = 0; j < n; j++)
			if (strcmp(f[j].name, x->name) == 0)
				fail_msg("%s.%s is listed twice", where,
				         x->name);
		assert_true((x->flags & ~(SCHEMA_REQUIRED | SCHEMA_NULLABLE)) ==
		            0);
		switch (x->type) {
		case SCHEMA_STR:
		case SCHEMA_URL:
			assert_true(x->max > 0);
			assert_true(x->min <= x->max);
			assert_true(x->max <= ACTS_MAX_BYTES);
			break;
		case SCHEMA_INT:
			assert_true(x->min <= x->max);
			break;
		case SCHEMA_ENUM:
			assert_non_null(x->values);
			assert_non_null(x->values[0]);
			break;
		case SCHEMA_OBJ:
			check_fields(x->sub, x->name, depth + 1);
			break;
		case SCHEMA_ARR:
			assert_non_null(x->item);
			assert_true(x->max > 0);
			assert_true(x->min >= 0 && x->min <= x->max);
			assert_true(x->item->type != SCHEMA_ARR);
			if (x->item->type == SCHEMA_OBJ)
				check_fields(x->item->sub, x->name, depth + 1);
			else if (x->item->type == SCHEMA_ENUM)
				assert_non_null(x->item->values);
			break;
		case SCHEMA_BOOL:
		case SCHEMA_DATE:
		case SCHEMA_TIME:
		case SCHEMA_CODE:
		case SCHEMA_SLUG:
		case SCHEMA_USERNAME:
			break;
		default:
			fail_msg("%s.%s has an unknown type %d", where, x->name,
			         (int)x->type);
		}
	}
	assert_true(n > 0);
}

static void
test_every_kind_has_a_schema(void **state)
{
	(void)state;
	for (size_t i = 0; i < acts_count(); i++)
		check_fields(acts_at(i)->body, acts_at(i)->name, 0);
}

/* What each type asks of policy and how its log entry is labelled. */
static void
test_actions_and_labels(void **state)
{
	static const struct {
		const char *name;
		enum action action;
		enum tlp tlp;
	} want[] = {
	    {"party.register", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"membership.add", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"norm.define", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"forum.establish", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"instrument.record", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"vote.record", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"translation.record", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"instrument.join", ACTION_RECORD_WRITE, TLP_CLEAR},
	    {"user.add", ACTION_USER_ADD, TLP_AMBER_STRICT},
	    {"token.create", ACTION_TOKEN_CREATE, TLP_RED},
	    {"token.revoke", ACTION_TOKEN_REVOKE, TLP_RED},
	    {"key.register", ACTION_KEY_REGISTER, TLP_CLEAR},
	    {"key.revoke", ACTION_KEY_REVOKE, TLP_CLEAR},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct act_type *t = acts_find(want[i].name);

		if (t == NULL)
			fail_msg("no act type %s", want[i].name);
		/* the kind's rule is the policy's rule of its action */
		assert_int_equal(t->rule.roles,
		                 policy_rules[want[i].action].roles);
		assert_int_equal(t->rule.scope,
		                 policy_rules[want[i].action].scope);
		assert_int_equal(t->tlp, want[i].tlp);
		assert_ptr_equal(t, acts_at(i));
	}
	/* negotiation: a ballot is sealed (TLP:RED); the close is the
	 * scheduler's alone; every other act is public */
	for (size_t i = sizeof(want) / sizeof(want[0]); i < acts_count(); i++) {
		const struct act_type *t = acts_at(i);
		bool ballot = strcmp(t->name, "vote.cast") == 0;
		bool close = strcmp(t->name, "decision.close") == 0;

		assert_int_equal(t->tlp, ballot ? TLP_RED : TLP_CLEAR);
		assert_int_equal((t->flags & ACT_CLOSES) != 0, close);
		if (close)
			assert_int_equal(t->rule.roles,
			                 POLICY_ROLE(ROLE_SYSTEM));
		else
			assert_int_equal(t->rule.roles & POLICY_ROLE(ROLE_NONE),
			                 0);
	}
}

static void
test_find(void **state)
{
	static const char *const missing[] = {"",
	                                      "party",
	                                      "party.",
	                                      ".register",
	                                      "PARTY.REGISTER",
	                                      "party.register ",
	                                      " party.register",
	                                      "party.registe",
	                                      "party.registers",
	                                      "party_register",
	                                      "user.delete"};

	(void)state;
	for (size_t i = 0; i < acts_count(); i++)
		assert_ptr_equal(acts_find(acts_at(i)->name), acts_at(i));
	assert_null(acts_find(NULL));
	for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++)
		if (acts_find(missing[i]) != NULL)
			fail_msg("acts_find found \"%s\"", missing[i]);
}

/* A token act must never carry a secret: its schema has no field that
 * could hold one. */
static void
test_token_acts_hold_no_secret(void **state)
{
	static const char *const kinds[] = {"token.create", "token.revoke",
	                                    "user.add"};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		const struct act_type *t = acts_find(kinds[k]);

		assert_non_null(t);
		for (const struct schema_field *f = t->body; f->name; f++) {
			assert_null(strstr(f->name, "secret"));
			assert_null(strstr(f->name, "hash"));
			assert_null(strstr(f->name, "password"));
			assert_null(strstr(f->name, "token"));
		}
	}
}

/* --- the record ---------------------------------------------------------- */

static const struct {
	const char *file;
	const char *type;
	size_t count;
} record_files[] = {
    {"10-parties.json", "party.register", 211},
    {"20-memberships.json", "membership.add", 462},
    {"30-norms.json", "norm.define", 11},
    {"40-forums.json", "forum.establish", 15},
    {"50-instruments.json", "instrument.record", 42},
    {"60-votes.json", "vote.record", 6},
    {"70-signatures.json", "instrument.join", 12},
    {"80-translations.json", "translation.record", 279},
};
#define NFILES (sizeof(record_files) / sizeof(record_files[0]))

static json_t *
load(const char *name)
{
	char path[512];
	json_error_t je;
	json_t *a;

	snprintf(path, sizeof(path), "%s/record/%s", DATA_DIR, name);
	a = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (a == NULL)
		fail_msg("%s:%d: %s", path, je.line, je.text);
	assert_true(json_is_array(a));
	return a;
}

/* The directory holds exactly the files listed above. */
static void
test_record_files(void **state)
{
	DIR *d;
	struct dirent *e;
	size_t seen = 0;

	(void)state;
	d = opendir(DATA_DIR "/record");
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t i;

		if (strlen(e->d_name) < 6 ||
		    strcmp(e->d_name + strlen(e->d_name) - 5, ".json") != 0)
			continue;
		for (i = 0; i < NFILES; i++)
			if (strcmp(record_files[i].file, e->d_name) == 0)
				break;
		if (i == NFILES)
			fail_msg("record file %s is not known to this test",
			         e->d_name);
		seen++;
	}
	closedir(d);
	assert_int_equal(seen, NFILES);
}

static void
test_record_validates(void **state)
{
	size_t total = 0;

	(void)state;
	for (size_t fi = 0; fi < NFILES; fi++) {
		json_t *acts = load(record_files[fi].file);
		json_t *a;
		size_t i;

		assert_int_equal(json_array_size(acts), record_files[fi].count);
		json_array_foreach(acts, i, a)
		{
			const char *type =
			    json_string_value(json_object_get(a, "type"));
			const struct act_type *t;
			char err[400];

			assert_true(json_is_object(a));
			/* An act file holds type and body, nothing else. */
			assert_int_equal(json_object_size(a), 2);
			assert_non_null(type);
			assert_string_equal(type, record_files[fi].type);
			t = acts_find(type);
			assert_non_null(t);
			if (schema_check(t->body, json_object_get(a, "body"),
			                 "body", err, sizeof(err)) != 0)
				fail_msg("%s act %zu: %s",
				         record_files[fi].file, i, err);
			total++;
		}
		json_decref(acts);
	}
	assert_int_equal(total, 1038);
}

/* The check of the record is not vacuous: the first act of each file fails
 * once broken in each of a few ways. */
static void
test_record_mutations_are_refused(void **state)
{
	(void)state;
	for (size_t fi = 0; fi < NFILES; fi++) {
		json_t *acts = load(record_files[fi].file);
		json_t *body = json_object_get(json_array_get(acts, 0), "body");
		const struct act_type *t = acts_find(record_files[fi].type);
		char err[400];
		json_t *copy;

		assert_non_null(t);
		assert_int_equal(
		    schema_check(t->body, body, "body", err, sizeof(err)), 0);

		copy = json_deep_copy(body);
		assert_int_equal(json_object_del(copy, "sources"), 0);
		assert_int_equal(
		    schema_check(t->body, copy, "body", err, sizeof(err)), -1);
		assert_string_equal(err, "body.sources: is required");
		json_decref(copy);

		copy = json_deep_copy(body);
		json_object_set_new(copy, "surprise", json_true());
		assert_int_equal(
		    schema_check(t->body, copy, "body", err, sizeof(err)), -1);
		assert_string_equal(err, "body.surprise: unknown field");
		json_decref(copy);

		copy = json_deep_copy(body);
		json_object_set_new(copy, "sources",
		                    json_pack("[{s:s}]", "url", "https://x.y"));
		assert_int_equal(
		    schema_check(t->body, copy, "body", err, sizeof(err)), -1);
		assert_string_equal(err, "body.sources[0].title: is required");
		json_decref(copy);

		/* Each required field, removed in turn, is missed. */
		for (const struct schema_field *f = t->body; f->name; f++) {
			char want[200];

			if (!(f->flags & SCHEMA_REQUIRED))
				continue;
			copy = json_deep_copy(body);
			assert_int_equal(json_object_del(copy, f->name), 0);
			assert_int_equal(schema_check(t->body, copy, "body",
			                              err, sizeof(err)),
			                 -1);
			snprintf(want, sizeof(want), "body.%s: is required",
			         f->name);
			assert_string_equal(err, want);
			json_decref(copy);
		}
		json_decref(acts);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kinds_in_order),
	    cmocka_unit_test(test_names_unique_and_well_formed),
	    cmocka_unit_test(test_every_kind_has_a_schema),
	    cmocka_unit_test(test_actions_and_labels),
	    cmocka_unit_test(test_find),
	    cmocka_unit_test(test_token_acts_hold_no_secret),
	    cmocka_unit_test(test_record_files),
	    cmocka_unit_test(test_record_validates),
	    cmocka_unit_test(test_record_mutations_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
