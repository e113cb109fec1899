/*
 * A throwaway act kind, probe.note, of a domain that lives only in
 * tests/unit/probe/ (one file per layer) and touches nothing else: it is
 * listed, submitted, labelled by its body over its floor, addressed to
 * its recipients, stored in its own table and replayed into the same
 * projection as live.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/app.h"
#include "core/acts.h"
#include "store/store.h"

#define ORIGIN "probe.example/log"

struct fx {
	char dir[64], db[128], key[128], copy[128];
	struct app *app;
	struct app_actor sys;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	struct app_options o = {0};
	char err[400];

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/detente-probe-XXXXXX", base);
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/db.sqlite", fx->dir);
	snprintf(fx->key, sizeof(fx->key), "%s/log.key", fx->dir);
	snprintf(fx->copy, sizeof(fx->copy), "%s/copy.sqlite", fx->dir);
	if (app_init_files(fx->db, fx->key, ORIGIN, err, sizeof(err)) != 0)
		fail_msg("app_init_files: %s", err);
	o.db_path = fx->db;
	o.key_path = fx->key;
	fx->app = app_open(&o, err, sizeof(err));
	if (fx->app == NULL)
		fail_msg("app_open: %s", err);
	app_actor_system(&fx->sys);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[200];

	app_close(fx->app);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fx->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fx->dir);
	free(fx);
	return 0;
}

static int
submit(struct fx *fx, const char *type, json_t *body, struct app_error *e)
{
	struct app_receipt r;
	int rc = app_submit(fx->app, &fx->sys, type, body, NULL, &r, e);

	json_decref(body);
	return rc;
}

static json_t *
party(const char *code)
{
	return json_pack("{s:s,s:s,s:s,s:[{s:s}]}", "code", code, "name", code,
	                 "kind", "state", "sources", "title", "A source");
}

static uint64_t
log_size(struct fx *fx)
{
	uint64_t n = 0;

	assert_int_equal(app_log_size(fx->app, &n), 0);
	return n;
}

static void
test_listed(void **state)
{
	const struct act_type *t = acts_find("probe.note");

	(void)state;
	assert_non_null(t);
	/* the probe domain comes last, its kinds in its own order */
	assert_ptr_equal(acts_at(acts_count() - 4), t);
	assert_ptr_equal(acts_at(acts_count() - 1), acts_find("probe.lapse"));
	assert_string_equal(t->tlp_member, "tlp");
}

static void
test_label_from_the_body_over_its_floor(void **state)
{
	struct fx *fx = *state;
	struct app_error e = {0};
	json_t *out = NULL, *to;
	uint64_t n;

	assert_int_equal(submit(fx, "party.register", party("FRA"), &e), 0);
	assert_int_equal(
	    submit(fx, "probe.note",
	           json_pack("{s:s,s:s,s:s,s:[s]}", "id", "amber", "text", "x",
	                     "tlp", "TLP:AMBER", "to", "FRA"),
	           &e),
	    0);
	assert_int_equal(
	    submit(fx, "probe.note",
	           json_pack("{s:s,s:s}", "id", "green", "text", "y"), &e),
	    0);
	n = log_size(fx);
	/* below the floor, or not a label: refused, nothing logged */
	assert_int_equal(submit(fx, "probe.note",
	                        json_pack("{s:s,s:s,s:s}", "id", "c", "text",
	                                  "z", "tlp", "TLP:CLEAR"),
	                        &e),
	                 -1);
	assert_int_equal(e.status, 400);
	assert_non_null(strstr(e.detail, "TLP:GREEN or stricter"));
	assert_int_equal(submit(fx, "probe.note",
	                        json_pack("{s:s,s:s,s:s}", "id", "c", "text",
	                                  "z", "tlp", "PURPLE"),
	                        &e),
	                 -1);
	assert_int_equal(e.status, 400);
	/* more recipients than one act may reach: refused whole */
	to = json_array();
	for (int i = 0; i < ACTS_MAX_RECIPIENTS + 1; i++) {
		char code[8];

		snprintf(code, sizeof(code), "X%03d", i);
		json_array_append_new(to, json_string(code));
	}
	assert_int_equal(submit(fx, "probe.note",
	                        json_pack("{s:s,s:s,s:o}", "id", "many", "text",
	                                  "w", "to", to),
	                        &e),
	                 -1);
	assert_int_equal(e.status, 400);
	assert_string_equal(e.type, "too-many-recipients");
	assert_int_equal(log_size(fx), n);

	assert_int_equal(app_log_entries(fx->app, &fx->sys, 1, 3, &out, &e), 0);
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(out, "items"), 0), "tlp")),
	    "TLP:AMBER");
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(out, "items"), 1), "tlp")),
	    "TLP:GREEN");
	json_decref(out);
}

/* Its table is registered, digested, and replay rebuilds it. */
static void
test_replays_as_live(void **state)
{
	struct fx *fx = *state;
	struct app_error e = {0};
	struct store *st = NULL;
	const char *name = NULL;
	char err[400], table[64];
	uint8_t root[32], d[STORE_DIGEST_LEN];
	uint64_t count = 0;
	bool seen = false;

	assert_int_equal(submit(fx, "party.register", party("DEU"), &e), 0);
	for (int i = 0; i < 20; i++) {
		char id[16];

		snprintf(id, sizeof(id), "n%d", i);
		assert_int_equal(
		    submit(fx, "probe.note",
		           json_pack("{s:s,s:s,s:s}", "id", id, "text", "t",
		                     "tlp", i % 2 ? "AMBER+STRICT" : "RED"),
		           &e),
		    0);
	}
	if (app_replay(fx->db, app_log_vkey(fx->app), fx->copy, &count, root,
	               err, sizeof(err)) != 0)
		fail_msg("app_replay: %s", err);
	assert_int_equal(count, 21);
	if (app_compare(fx->db, fx->copy, err, sizeof(err)) != 0)
		fail_msg("app_compare: %s", err);

	assert_int_equal(
	    store_open(fx->db, STORE_READONLY, &st, err, sizeof(err)),
	    STORE_OK);
	if (store_unregistered(st, table, sizeof(table)) != STORE_OK)
		fail_msg("%s is registered by no domain", table);
	for (size_t i = 0; i < store_digest_count(); i++) {
		assert_int_equal(store_digest(st, i, &name, d), STORE_OK);
		seen = seen || strcmp(name, "probe_note") == 0;
	}
	assert_true(seen);
	store_close(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listed),
	    cmocka_unit_test_setup_teardown(
	        test_label_from_the_body_over_its_floor, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replays_as_live, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
