/*
 * fill_log DB KEY N [THREADS [START]]
 *
 * Appends N party.register acts to the log of an existing database (made by
 * `detente init`) through the real write pipeline: app_open, then THREADS
 * threads (default 32) calling app_submit as the system actor
 * (app_actor_system), each act validated, sealed with the log key, applied
 * and appended under group commit (WAL, synchronous=FULL).  Bodies are
 * {code: "R-%08d", name: "Replay %d", kind: "organisation",
 *  sources: [{title: "bench"}]}.
 * Prints "name value unit" lines: acts, seconds, acts/s.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"

static struct app *app;
static long total;
static long first = 1;
static atomic_long next_code;
static atomic_long failed;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *
worker(void *arg)
{
	struct app_actor sys;

	(void)arg;
	app_actor_system(&sys);
	for (;;) {
		long i = atomic_fetch_add(&next_code, 1);
		char code[32], name[32];
		struct app_receipt r;
		struct app_error e = {0};
		json_t *body;

		if (i >= total)
			break;
		snprintf(code, sizeof(code), "R-%08ld", first + i);
		snprintf(name, sizeof(name), "Replay %ld", first + i);
		body = json_pack("{s:s,s:s,s:s,s:[{s:s}]}", "code", code,
		                 "name", name, "kind", "organisation",
		                 "sources", "title", "bench");
		if (app_submit(app, &sys, "party.register", body, NULL, &r,
		               &e) != 0) {
			if (atomic_fetch_add(&failed, 1) < 5)
				fprintf(stderr, "fill_log: %s: %d %s\n", code,
				        e.status, e.detail);
		}
		json_decref(body);
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct app_options o = {0};
	char err[400];
	int nthreads = argc > 4 ? atoi(argv[4]) : 32;
	pthread_t *tids;
	double t0, t;

	if (argc < 4 || nthreads < 1 || nthreads > 1024) {
		fputs("usage: fill_log DB KEY N [THREADS [START]]\n", stderr);
		return 2;
	}
	total = strtol(argv[3], NULL, 10);
	if (argc > 5)
		first = strtol(argv[5], NULL, 10);
	if (total < 1 || first < 0 || first + total > 99999999L) {
		fputs("fill_log: bad N\n", stderr);
		return 2;
	}
	o.db_path = argv[1];
	o.key_path = argv[2];
	app = app_open(&o, err, sizeof(err));
	if (app == NULL) {
		fprintf(stderr, "fill_log: %s\n", err);
		return 1;
	}
	tids = calloc((size_t)nthreads, sizeof(*tids));
	t0 = now_s();
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&tids[i], NULL, worker, NULL) != 0) {
			fputs("fill_log: pthread_create failed\n", stderr);
			return 1;
		}
	for (int i = 0; i < nthreads; i++)
		pthread_join(tids[i], NULL);
	t = now_s() - t0;
	app_close(app);
	free(tids);
	printf("fill_acts %ld acts\n", total - atomic_load(&failed));
	printf("fill_failed %ld acts\n", atomic_load(&failed));
	printf("fill_time %.2f s\n", t);
	printf("fill_rate %.0f acts/s\n",
	       (double)(total - atomic_load(&failed)) / t);
	return atomic_load(&failed) ? 1 : 0;
}
