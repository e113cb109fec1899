/*
 * app/scheduler.c, with an injected clock: deadlines that acts set (through
 * the probe domain's probe.remind, tests/unit/probe/) are closed by the
 * system's closing act when they pass, in deadline order, with the instant
 * they passed; cancelled ones never; those that passed while the server
 * was down at start-up; and the projection replays as live.
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
#include <unistd.h>

#include "app/app.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "store/store.h"

#define ORIGIN "scheduler.example/log"
/* 2027-01-04T08:00:00Z: a time the tests set, apart from the wall clock */
#define T0 1799049600000LL

struct fx {
	char dir[64], db[128], key[128], copy[128];
	struct app *app;
	struct app_actor sys, op;
	int64_t now; /* the injected clock */
};

static int64_t
fake_clock(void *ctx)
{
	return __atomic_load_n(&((struct fx *)ctx)->now, __ATOMIC_SEQ_CST);
}

static void
set_now(struct fx *fx, int64_t ms)
{
	__atomic_store_n(&fx->now, ms, __ATOMIC_SEQ_CST);
}

static void
open_app(struct fx *fx)
{
	struct app_options o = {0};
	char err[400];

	o.db_path = fx->db;
	o.key_path = fx->key;
	fx->app = app_open(&o, err, sizeof(err));
	if (fx->app == NULL)
		fail_msg("app_open: %s", err);
	app_clock_set(fx->app, fake_clock, fx);
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	char err[400];

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "%s/detente-sched-XXXXXX", base);
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof(fx->db), "%s/db.sqlite", fx->dir);
	snprintf(fx->key, sizeof(fx->key), "%s/log.key", fx->dir);
	snprintf(fx->copy, sizeof(fx->copy), "%s/copy.sqlite", fx->dir);
	if (app_init_files(fx->db, fx->key, ORIGIN, err, sizeof(err)) != 0)
		fail_msg("app_init_files: %s", err);
	fx->now = T0;
	open_app(fx);
	app_actor_system(&fx->sys);
	fx->op.role = ROLE_OPERATOR;
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
submit(struct fx *fx, const struct app_actor *who, const char *type,
       json_t *body, struct app_error *e)
{
	struct app_receipt r;
	int rc = app_submit(fx->app, who, type, body, NULL, &r, e);

	json_decref(body);
	return rc;
}

/* A reminder that falls due at ms. */
static void
remind(struct fx *fx, const char *id, int64_t ms)
{
	struct app_error e = {0};
	char at[TIME_RFC3339_LEN];

	time_format_ms(ms, at);
	if (submit(fx, &fx->op, "probe.remind",
	           json_pack("{s:s,s:s}", "id", id, "at", at), &e) != 0)
		fail_msg("probe.remind %s: %s", id, e.detail);
}

static long
run_at(struct fx *fx, int64_t ms)
{
	struct app_error e = {0};
	long n = app_schedule_run(fx->app, ms, &e);

	if (n < 0)
		fail_msg("app_schedule_run: %s", e.detail);
	return n;
}

static uint64_t
log_size(struct fx *fx)
{
	uint64_t n = 0;

	assert_int_equal(app_log_size(fx->app, &n), 0);
	return n;
}

/* The act of log entry i (as the system reads it). */
static json_t *
act_at(struct fx *fx, uint64_t i)
{
	struct app_error e = {0};
	json_t *out = NULL, *act;

	assert_int_equal(app_log_entries(fx->app, &fx->sys, i, i + 1, &out, &e),
	                 0);
	act = json_incref(json_object_get(
	    json_array_get(json_object_get(out, "items"), 0), "act"));
	assert_non_null(act);
	json_decref(out);
	return act;
}

static const char *
state_of(struct fx *fx, const char *key)
{
	static char s[16];
	json_t *d = NULL;

	assert_int_equal(store_deadline_get(app_reader(fx->app), key, &d),
	                 STORE_OK);
	snprintf(s, sizeof(s), "%s", jsonx_str(d, "state"));
	json_decref(d);
	return s;
}

/* The closing act at i: probe.lapse of id, due at ms, by the system. */
static void
assert_lapse(struct fx *fx, uint64_t i, const char *id, int64_t ms)
{
	json_t *act = act_at(fx, i), *body = json_object_get(act, "body");
	char due[TIME_RFC3339_LEN], key[64];

	time_format_ms(ms, due);
	snprintf(key, sizeof(key), "probe:%s", id);
	assert_string_equal(jsonx_str(act, "type"), "probe.lapse");
	assert_null(jsonx_str(act, "user")); /* the system's, not a user's */
	assert_string_equal(jsonx_str(body, "id"), id);
	assert_string_equal(jsonx_str(body, "deadline"), key);
	assert_string_equal(jsonx_str(body, "due"), due);
	json_decref(act);
}

static void
test_closes_when_due_and_only_once(void **state)
{
	struct fx *fx = *state;
	uint64_t n;

	remind(fx, "a", T0 + 1000);
	assert_int_equal(app_schedule_next(fx->app), T0 + 1000);
	n = log_size(fx);
	assert_int_equal(run_at(fx, T0), 0);
	assert_int_equal(run_at(fx, T0 + 999), 0);
	assert_int_equal(log_size(fx), n);
	assert_string_equal(state_of(fx, "probe:a"), "open");
	assert_int_equal(run_at(fx, T0 + 1000), 1);
	assert_int_equal(log_size(fx), n + 1);
	assert_lapse(fx, n, "a", T0 + 1000);
	assert_string_equal(state_of(fx, "probe:a"), "closed");
	assert_int_equal(app_schedule_next(fx->app), -1);
	assert_int_equal(run_at(fx, T0 + 5000), 0);
	assert_int_equal(log_size(fx), n + 1);
}

static void
test_in_deadline_order(void **state)
{
	struct fx *fx = *state;
	uint64_t n;

	remind(fx, "c", T0 + 3000);
	remind(fx, "b", T0 + 1000);
	remind(fx, "d", T0 + 2000);
	remind(fx, "a", T0 + 1000); /* a tie: by key */
	/* moving an open deadline is setting it again */
	remind(fx, "e", T0 + 9000);
	remind(fx, "e", T0 + 1500);
	n = log_size(fx);
	assert_int_equal(run_at(fx, T0 + 60000), 5);
	assert_lapse(fx, n, "a", T0 + 1000);
	assert_lapse(fx, n + 1, "b", T0 + 1000);
	assert_lapse(fx, n + 2, "e", T0 + 1500);
	assert_lapse(fx, n + 3, "d", T0 + 2000);
	assert_lapse(fx, n + 4, "c", T0 + 3000);
}

static void
test_cancelled_never_closes(void **state)
{
	struct fx *fx = *state;
	struct app_error e = {0};
	uint64_t n;

	remind(fx, "x", T0 + 1000);
	assert_int_equal(submit(fx, &fx->op, "probe.forget",
	                        json_pack("{s:s}", "id", "x"), &e),
	                 0);
	assert_string_equal(state_of(fx, "probe:x"), "cancelled");
	n = log_size(fx);
	assert_int_equal(run_at(fx, T0 + 2000), 0);
	assert_int_equal(log_size(fx), n);
	/* cancelling what is not open changes nothing but is no error */
	assert_int_equal(submit(fx, &fx->op, "probe.forget",
	                        json_pack("{s:s}", "id", "x"), &e),
	                 0);
	/* an ended deadline is not set again */
	{
		char at[TIME_RFC3339_LEN];

		time_format_ms(T0 + 5000, at);
		n = log_size(fx);
		assert_int_equal(
		    submit(fx, &fx->op, "probe.remind",
		           json_pack("{s:s,s:s}", "id", "x", "at", at), &e),
		    -1);
		assert_int_equal(e.status, 409);
		assert_int_equal(log_size(fx), n);
	}
}

static void
test_closing_acts_are_the_systems(void **state)
{
	struct fx *fx = *state;
	struct app_error e = {0};
	uint64_t n;

	remind(fx, "y", T0 + 1000);
	n = log_size(fx);
	/* nobody else may close a deadline, even the operator */
	assert_int_equal(
	    submit(fx, &fx->op, "probe.lapse",
	           json_pack("{s:s,s:s,s:s}", "deadline", "probe:y", "due",
	                     "2027-01-15T08:00:01Z", "id", "y"),
	           &e),
	    -1);
	assert_int_equal(e.status, 403);
	/* and the system closes only what is open */
	assert_int_equal(
	    submit(fx, &fx->sys, "probe.lapse",
	           json_pack("{s:s,s:s,s:s}", "deadline", "probe:nothing",
	                     "due", "2027-01-15T08:00:01Z", "id", "y"),
	           &e),
	    -1);
	assert_int_equal(e.status, 409);
	/* a due that is not an instant in UTC */
	assert_int_equal(
	    submit(fx, &fx->sys, "probe.lapse",
	           json_pack("{s:s,s:s,s:s}", "deadline", "probe:y", "due",
	                     "tomorrow", "id", "y"),
	           &e),
	    -1);
	assert_int_equal(e.status, 400);
	assert_int_equal(log_size(fx), n);
	assert_string_equal(state_of(fx, "probe:y"), "open");
}

static void
test_restart_across_deadlines(void **state)
{
	struct fx *fx = *state;
	char err[300];
	uint64_t n;

	remind(fx, "late", T0 + 2000);
	remind(fx, "early", T0 + 1000);
	remind(fx, "future", T0 + 3600 * 1000);
	n = log_size(fx);
	/* the server stops before either passes ... */
	app_close(fx->app);
	/* ... and starts an hour later */
	fx->now = T0 + 60 * 60 * 1000 - 1;
	open_app(fx);
	if (app_schedule_start(fx->app, err, sizeof(err)) != 0)
		fail_msg("app_schedule_start: %s", err);
	/* closed at start-up, in deadline order, with the true instants */
	assert_int_equal(log_size(fx), n + 2);
	assert_lapse(fx, n, "early", T0 + 1000);
	assert_lapse(fx, n + 1, "late", T0 + 2000);
	assert_string_equal(state_of(fx, "probe:future"), "open");
	app_schedule_stop(fx->app);
}

static void
test_thread_closes_within_a_second(void **state)
{
	struct fx *fx = *state;
	char err[300];
	uint64_t n, seen;
	int64_t t;

	if (app_schedule_start(fx->app, err, sizeof(err)) != 0)
		fail_msg("app_schedule_start: %s", err);
	remind(fx, "soon", T0 + 500);
	n = log_size(fx);
	/* nothing before its time, however long the thread looks */
	(void)app_log_wait(fx->app, n, 300);
	assert_int_equal(log_size(fx), n);
	set_now(fx, T0 + 500);
	t = time_mono_ms();
	seen = app_log_wait(fx->app, n, 1000);
	assert_true(seen == n + 1 || log_size(fx) == n + 1);
	assert_true(time_mono_ms() - t <= 1000);
	assert_lapse(fx, n, "soon", T0 + 500);
	app_schedule_stop(fx->app);
}

static void
test_replays_as_live(void **state)
{
	struct fx *fx = *state;
	struct app_error e = {0};
	char err[400];
	uint8_t root[32];
	uint64_t count = 0;

	remind(fx, "r1", T0 + 1000);
	remind(fx, "r2", T0 + 2000);
	remind(fx, "r3", T0 + 3000);
	assert_int_equal(submit(fx, &fx->op, "probe.forget",
	                        json_pack("{s:s}", "id", "r3"), &e),
	                 0);
	assert_int_equal(run_at(fx, T0 + 1500), 1);
	if (app_replay(fx->db, app_log_vkey(fx->app), fx->copy, &count, root,
	               err, sizeof(err)) != 0)
		fail_msg("app_replay: %s", err);
	if (app_compare(fx->db, fx->copy, err, sizeof(err)) != 0)
		fail_msg("app_compare: %s", err);
}

/* Every closing kind, of every domain: its body starts with the deadline
 * and the instant, and only the system may submit it. */
static void
test_closing_kinds_are_well_formed(void **state)
{
	size_t closing = 0;

	(void)state;
	for (size_t i = 0; i < acts_count(); i++) {
		const struct act_type *t = acts_at(i);

		if (!(t->flags & ACT_CLOSES))
			continue;
		closing++;
		assert_string_equal(t->body[0].name, "deadline");
		assert_int_equal(t->body[1].type, SCHEMA_TIME);
		assert_string_equal(t->body[1].name, "due");
		assert_int_equal(t->rule.roles, POLICY_ROLE(ROLE_SYSTEM));
		assert_false(t->flags & (ACT_SECRET | ACT_SELF_SIGNED));
	}
	assert_true(closing >= 1); /* probe.lapse at least */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_closing_kinds_are_well_formed),
	    cmocka_unit_test_setup_teardown(test_closes_when_due_and_only_once,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_in_deadline_order, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_cancelled_never_closes, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_closing_acts_are_the_systems,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restart_across_deadlines,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_thread_closes_within_a_second,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_replays_as_live, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
