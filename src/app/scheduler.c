/*
 * The scheduler: the one reader of the clock for deadlines.  Acts set
 * deadlines (apply_deadline_set); when one passes, the scheduler appends
 * the act that closes it, as the system, signed by the log key, with the
 * instant it passed in its body.  At start-up it first closes, in deadline
 * order, every deadline that passed while the server was down; then a
 * thread closes each within a second of its instant.  The clock is
 * injectable (app_clock_set), so tests move time instead of waiting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/internal.h"
#include "base/jsonx.h"
#include "base/timeutil.h"

#define PAGE     64  /* deadlines read at a time */
#define IDLE_MS  200 /* the longest the thread sleeps between looks */
#define MAX_SICK 64  /* deadlines whose closing act failed, kept aside */

static int64_t
wall_clock(void *ctx)
{
	(void)ctx;
	return time_now_ms();
}

void
app_clock_set(struct app *app, int64_t (*now_ms)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&app->sched_lock);
	app->clock = now_ms ? now_ms : wall_clock;
	app->clock_ctx = now_ms ? ctx : NULL;
	pthread_mutex_unlock(&app->sched_lock);
}

static int64_t
clock_now(struct app *app)
{
	int64_t (*f)(void *);
	void *ctx;

	pthread_mutex_lock(&app->sched_lock);
	f = app->clock ? app->clock : wall_clock;
	ctx = app->clock_ctx;
	pthread_mutex_unlock(&app->sched_lock);
	return f(ctx);
}

/* A deadline whose closing act failed for a reason other than its being
 * closed already (a bug): it is left aside until restart, not retried in a
 * loop.  Called by the one thread that runs the schedule at a time. */
static bool
is_sick(struct app *app, const char *key)
{
	for (int i = 0; i < app->nsick; i++)
		if (strcmp(app->sick[i], key) == 0)
			return true;
	return false;
}

static void
set_sick(struct app *app, const char *key)
{
	if (app->nsick < MAX_SICK && strlen(key) < sizeof(app->sick[0]))
		strcpy(app->sick[app->nsick++], key);
}

/* Appends the act that closes deadline d.  Returns 1 when appended, 0 when
 * it was closed or cancelled meanwhile, -1 when it failed. */
static int
close_one(struct app *app, const json_t *d)
{
	struct app_actor sys;
	struct app_error e = {0};
	struct app_receipt r;
	const char *key = jsonx_str(d, "key");
	json_t *body = json_deep_copy(json_object_get(d, "close_body"));
	char due[TIME_RFC3339_LEN];
	int rc;

	app_actor_system(&sys);
	if (!json_is_object(body)) {
		json_decref(body);
		body = json_object();
	}
	time_format_ms(jsonx_int(d, "due_ms", 0), due);
	json_object_set_new(body, "deadline", json_string(key));
	json_object_set_new(body, "due", json_string(due));
	rc = app_submit(app, &sys, jsonx_str(d, "close_type"), body, NULL, &r,
	                &e);
	json_decref(body);
	if (rc == 0)
		return 1;
	if (e.status == 409)
		return 0;
	fprintf(stderr, "detente: deadline %s (due %s) cannot be closed: %s\n",
	        key, due, e.detail);
	return -1;
}

long
app_schedule_run(struct app *app, int64_t now_ms, struct app_error *e)
{
	long closed = 0;

	for (;;) {
		struct store *st = app_reader(app);
		json_t *due = NULL, *d;
		size_t i, tried = 0;

		if (st == NULL ||
		    store_deadline_due(st, now_ms, PAGE, &due) != STORE_OK) {
			app_error_set(e, 503, "unavailable",
			              "the deadlines cannot be read");
			return -1;
		}
		json_array_foreach(due, i, d)
		{
			const char *key = jsonx_str(d, "key");
			int rc;

			if (key == NULL || is_sick(app, key))
				continue;
			tried++;
			rc = close_one(app, d);
			if (rc < 0)
				set_sick(app, key);
			else
				closed += rc;
		}
		i = json_array_size(due);
		json_decref(due);
		/* done when the page was the last, or held only deadlines
		 * set aside */
		if (i < PAGE || tried == 0)
			return closed;
	}
}

int64_t
app_schedule_next(struct app *app)
{
	struct store *st = app_reader(app);
	int64_t due;

	if (st == NULL || store_deadline_next(st, &due) != STORE_OK)
		return -1;
	return due;
}

static bool
stopping(struct app *app)
{
	bool s;

	pthread_mutex_lock(&app->sched_lock);
	s = app->sstop;
	pthread_mutex_unlock(&app->sched_lock);
	return s;
}

static void *
sched_main(void *arg)
{
	struct app *app = arg;

	while (!stopping(app)) {
		struct app_error e = {0};
		uint64_t seen = 0;
		int64_t now = clock_now(app), next;
		long closed = app_schedule_run(app, now, &e);
		int wait = IDLE_MS;

		if (app_log_size(app, &seen) != 0)
			seen = 0;
		next = app_schedule_next(app);
		/* sleep until the next deadline, at most IDLE_MS (the clock
		 * may be moved, and other processes may set deadlines); an
		 * act of this process wakes it at once, as it may set an
		 * earlier one */
		if (next >= 0 && next - now < wait)
			wait = next > now ? (int)(next - now) : 0;
		if (wait == 0 && closed <= 0)
			wait = IDLE_MS; /* due, but set aside or failing */
		if (wait > 0)
			(void)app_log_wait(app, seen, wait);
	}
	return NULL;
}

int
app_schedule_start(struct app *app, char *err, size_t errlen)
{
	struct app_error e = {0};

	/* deadlines that passed while the server was down, in order */
	if (app_schedule_run(app, clock_now(app), &e) < 0) {
		snprintf(err, errlen, "the scheduler cannot start: %s",
		         e.detail);
		return -1;
	}
	pthread_mutex_lock(&app->sched_lock);
	app->sstop = false;
	pthread_mutex_unlock(&app->sched_lock);
	if (pthread_create(&app->sthread, NULL, sched_main, app) != 0) {
		snprintf(err, errlen, "cannot start the scheduler thread");
		return -1;
	}
	app->sstarted = true;
	return 0;
}

void
app_schedule_stop(struct app *app)
{
	if (!app->sstarted)
		return;
	pthread_mutex_lock(&app->sched_lock);
	app->sstop = true;
	pthread_mutex_unlock(&app->sched_lock);
	pthread_join(app->sthread, NULL);
	app->sstarted = false;
}
