/*
 * app/read.c: the one readable() check, and the class of readers each
 * decision leaves an answer right for (the answer cache keys on it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"

static struct app_actor
actor(enum role role, int64_t id, const char *party)
{
	struct app_actor a = {0};

	a.role = role;
	a.user_id = id;
	if (party != NULL)
		strcpy(a.party, party);
	return a;
}

/* An object of label t, from party AAA, submitted by user 7, addressed to
 * BBB. */
static bool
reads(struct app_reading *r, enum tlp t)
{
	static const char *const to[] = {"BBB", NULL};
	struct policy_object o = {7, "AAA", t, to, NULL, 0};

	return app_readable(r, &o);
}

static void
test_clear_is_everyones_and_needs_no_class(void **state)
{
	struct app_actor who[] = {actor(ROLE_NONE, 0, NULL),
	                          actor(ROLE_DELEGATE, 3, "CCC"),
	                          actor(ROLE_OPERATOR, 9, "ZZZ")};
	struct app_reading r;

	(void)state;
	for (size_t i = 0; i < sizeof(who) / sizeof(who[0]); i++) {
		app_reading_init(&r, &who[i]);
		assert_true(reads(&r, TLP_CLEAR));
		assert_int_equal(r.depends, APP_CLASS_PUBLIC);
	}
}

static void
test_labels_by_reader(void **state)
{
	/* rows: anonymous, another party's user, the party's user, a
	 * recipient party's user, the operator, the submitter */
	struct app_actor who[] = {
	    actor(ROLE_NONE, 0, NULL),      actor(ROLE_DELEGATE, 3, "CCC"),
	    actor(ROLE_DELEGATE, 4, "AAA"), actor(ROLE_DELEGATE, 5, "BBB"),
	    actor(ROLE_OPERATOR, 9, "ZZZ"), actor(ROLE_OPERATOR, 7, "AAA"),
	};
	/* columns: GREEN, AMBER, AMBER+STRICT, RED */
	static const bool want[6][4] = {
	    {false, false, false, false}, {true, false, false, false},
	    {true, true, true, false},    {true, true, true, false},
	    {true, true, true, false},    {true, true, true, true},
	};
	static const enum tlp labels[] = {TLP_GREEN, TLP_AMBER,
	                                  TLP_AMBER_STRICT, TLP_RED};
	struct app_reading r;

	(void)state;
	for (size_t i = 0; i < 6; i++)
		for (size_t j = 0; j < 4; j++) {
			app_reading_init(&r, &who[i]);
			assert_int_equal(reads(&r, labels[j]), want[i][j]);
			/* a label other than CLEAR always needs a class;
			 * RED needs the user, except for the public */
			assert_true(r.depends >= APP_CLASS_PARTY);
			if (labels[j] == TLP_RED && who[i].user_id != 0)
				assert_int_equal(r.depends, APP_CLASS_USER);
			if (labels[j] != TLP_RED && i != 5)
				assert_int_equal(r.depends, APP_CLASS_PARTY);
		}
}

static void
test_own_act_is_the_users_alone(void **state)
{
	/* the submitter reads its AMBER act even from another party: that
	 * answer is right for that user only */
	struct app_actor moved = actor(ROLE_DELEGATE, 7, "CCC");
	struct app_reading r;

	(void)state;
	app_reading_init(&r, &moved);
	assert_true(reads(&r, TLP_AMBER));
	assert_int_equal(r.depends, APP_CLASS_USER);
}

static void
test_class_names(void **state)
{
	struct app_actor a = actor(ROLE_DELEGATE, 12, "IDN");
	struct app_reading r;
	char s[64], tiny[3];

	(void)state;
	app_reading_init(&r, &a);
	assert_int_equal(app_reading_class(&r, APP_CLASS_PUBLIC, s, sizeof(s)),
	                 0);
	assert_string_equal(s, "*");
	assert_int_equal(app_reading_class(&r, APP_CLASS_PARTY, s, sizeof(s)),
	                 0);
	assert_string_equal(s, "delegate:IDN");
	assert_int_equal(app_reading_class(&r, APP_CLASS_USER, s, sizeof(s)),
	                 0);
	assert_string_equal(s, "u12");
	assert_int_equal(
	    app_reading_class(&r, APP_CLASS_PARTY, tiny, sizeof(tiny)), -1);
	app_reading_init(&r, NULL);
	assert_int_equal(app_reading_class(&r, APP_CLASS_PARTY, s, sizeof(s)),
	                 0);
	assert_string_equal(s, "none:");
}

static void
test_label_strings(void **state)
{
	struct app_actor a = actor(ROLE_DELEGATE, 5, "BBB");
	struct app_reading r;
	json_t *to = json_pack("[s]", "BBB");

	(void)state;
	app_reading_init(&r, &a);
	assert_true(app_readable_label(&r, "TLP:AMBER", "AAA", 7, to));
	assert_false(app_readable_label(&r, "TLP:AMBER", "AAA", 7, NULL));
	/* a label that does not parse is the strictest */
	assert_false(app_readable_label(&r, "TLP:WHITE", "AAA", 7, to));
	assert_false(app_readable_label(&r, NULL, "AAA", 7, to));
	json_decref(to);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_clear_is_everyones_and_needs_no_class),
	    cmocka_unit_test(test_labels_by_reader),
	    cmocka_unit_test(test_own_act_is_the_users_alone),
	    cmocka_unit_test(test_class_names),
	    cmocka_unit_test(test_label_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
