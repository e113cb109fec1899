/*
 * Durability of the log: a process appending acts from several threads is
 * killed with SIGKILL at a random moment.  After it, every act whose receipt
 * had been handed out is in the log, the database is intact, and the new
 * tree is consistent with a checkpoint signed before the kill.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>
#include <sodium.h>

#include "app/app.h"
#include "base/enc.h"
#include "ledger/merkle.h"
#include "ledger/note.h"
#include "store/store.h"

#define THREADS 4
#define ROUNDS  4

struct child {
	struct app *app;
	int fd;
	int thread;
	int round;
};

static void *
submitter(void *arg)
{
	struct child *c = arg;
	struct app_actor sys;

	app_actor_system(&sys);
	for (unsigned i = 0; i < 1000000000u; i++) {
		char code[17], line[80];
		struct app_receipt r;
		struct app_error e;
		json_t *body;

		snprintf(code, sizeof(code), "K%d%d-%u", c->round % 10,
		         c->thread % 10, i);
		body = json_pack("{s:s,s:s,s:s,s:[{s:s}]}", "code", code,
		                 "name", "durability", "kind", "organisation",
		                 "sources", "title", "test");
		if (app_submit(c->app, &sys, "party.register", body, NULL, &r,
		               &e) == 0) {
			/* the receipt is out: from here the act must survive */
			int n =
			    snprintf(line, sizeof(line), "%s\n", r.leaf_hash);
			if (write(c->fd, line, (size_t)n) != n)
				_exit(3);
		}
		json_decref(body);
	}
	return NULL;
}

static void
run_child(const char *db, const char *key, int fd, int round)
{
	struct app_options o = {db, key, NULL};
	char err[300];
	struct app *app = app_open(&o, err, sizeof(err));
	pthread_t t[THREADS];
	struct child c[THREADS];

	if (app == NULL)
		_exit(2);
	for (int i = 0; i < THREADS; i++) {
		c[i].app = app;
		c[i].fd = fd;
		c[i].thread = i;
		c[i].round = round;
		pthread_create(&t[i], NULL, submitter, &c[i]);
	}
	pause(); /* until the parent kills us */
	_exit(0);
}

static int
get_node(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_node_get(ctx, level, index, out) == STORE_OK ? 0 : -1;
}

static void
test_kill_during_burst(void **state)
{
	char dir[] = "/tmp/detente-durability-XXXXXX";
	char db[300], key[300], err[300];
	struct app_options o;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/t.db", dir);
	snprintf(key, sizeof(key), "%s/t.key", dir);
	assert_int_equal(
	    app_init_files(db, key, "test/durability", err, sizeof(err)), 0);
	o.db_path = db;
	o.key_path = key;
	o.origin = NULL;
	for (int round = 0; round < ROUNDS; round++) {
		struct app *app = app_open(&o, err, sizeof(err));
		char *note = NULL;
		uint64_t old_size = 0, new_size = 0;
		uint8_t old_root[32], new_root[32];
		struct app_error e;
		int fds[2];
		pid_t pid;
		FILE *acks;
		char line[128];
		long nacks = 0;
		struct store *st;
		uint8_t proof[MERKLE_MAX_PROOF + 1][32];
		size_t plen = 0;
		struct note_verifier v;
		struct note_result nr;

		assert_non_null(app);
		assert_int_equal(
		    app_checkpoint(app, &note, &old_size, old_root, &e), 0);
		assert_int_equal(note_vkey_parse(app_log_vkey(app), &v), 0);
		free(note);
		app_close(app);

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			run_child(db, key, fds[1], round);
		}
		close(fds[1]);
		/* let it run 150..650 ms, then pull the plug */
		usleep(150000 + randombytes_uniform(500000));
		kill(pid, SIGKILL);
		{
			int status = 0;

			waitpid(pid, &status, 0);
			/* killed by us, not dead of its own accord */
			assert_true(WIFSIGNALED(status));
		}

		app = app_open(&o, err, sizeof(err));
		assert_non_null(app);
		st = app_reader(app);
		acks = fdopen(fds[0], "r");
		while (fgets(line, sizeof(line), acks) != NULL) {
			uint8_t leaf[32];
			uint64_t idx;

			if (strlen(line) != 45)
				continue; /* a line cut by the kill */
			line[44] = '\0';
			assert_int_equal(
			    enc_b64_decode_exact(line, 44, leaf, 32), 0);
			if (store_log_find(st, leaf, &idx) != STORE_OK)
				fail_msg("round %d: acknowledged act %s is "
				         "lost",
				         round, line);
			nacks++;
		}
		fclose(acks);
		assert_true(nacks > 0);

		/* the new tree extends the old one */
		assert_int_equal(
		    app_checkpoint(app, &note, &new_size, new_root, &e), 0);
		assert_int_equal(note_verify(note, strlen(note), &v, 1, &nr),
		                 NOTE_OK);
		free(note);
		assert_true(new_size >= old_size + (uint64_t)nacks);
		if (old_size > 0) {
			assert_int_equal(
			    merkle_consistency_proof(
			        old_size, new_size, get_node, st, proof, &plen),
			    0);
			assert_int_equal(merkle_verify_consistency(
			                     old_size, new_size, old_root,
			                     new_root,
			                     (const uint8_t(*)[32])proof, plen),
			                 0);
		}
		print_message("round %d: %ld acknowledged acts, log %llu -> "
		              "%llu, consistent\n",
		              round, nacks, (unsigned long long)old_size,
		              (unsigned long long)new_size);
		app_close(app);
	}
	{
		char cmd[400];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		assert_int_equal(system(cmd), 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kill_during_burst),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
