/* The application's state, shared by app/ files only. */
#ifndef DETENTE_APP_INTERNAL_H
#define DETENTE_APP_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "app/app.h"

#define LIMIT_SLOTS 4096

struct job;

struct limit_slot {
	uint64_t key; /* hash of "u:name" or "a:address"; 0 = free */
	int64_t window_start_ms;
	int failures;
};

struct app {
	char *db_path;
	unsigned generation;
	uint8_t sk[64];
	uint8_t pk[32];
	char *origin;
	char *vkey;
	char *keyid;
	struct store *writer;
	pthread_mutex_t wlock;
	struct store *readers[APP_MAX_READERS];
	int nreaders;
	pthread_mutex_t rlock;
	struct limit_slot limits[LIMIT_SLOTS];
	pthread_mutex_t limit_lock;
	/* password hashes under way (64 MiB each), at most pw_max */
	pthread_mutex_t pw_lock;
	pthread_cond_t pw_cond;
	int pw_busy, pw_max;
	char *ckpt_note;
	uint64_t ckpt_size;
	uint8_t ckpt_root[32];
	pthread_mutex_t ckpt_lock;
	/* the largest checkpoint the log has signed (kept in the store) */
	uint64_t signed_size;
	uint8_t signed_root[32];
	/* group commit: jobs waiting for the writer thread's next batch */
	pthread_mutex_t qlock;
	pthread_cond_t qwork; /* to the writer: jobs are queued, or stop */
	pthread_cond_t qdone; /* from the writer: a batch is committed */
	struct job *queue;
	struct job **qtail;
	pthread_t wthread;
	bool wstarted;
	bool wstop;
	/* the log's size after this process's last commit, for those who
	 * wait for new entries (app_log_wait) */
	pthread_mutex_t grow_lock;
	pthread_cond_t grew;
	uint64_t grown;
	/* the scheduler (scheduler.c): its clock and its thread */
	pthread_mutex_t sched_lock;
	int64_t (*clock)(void *ctx); /* NULL: the wall clock */
	void *clock_ctx;
	pthread_t sthread;
	bool sstarted, sstop;
	char sick[64][129]; /* deadlines whose closing act failed */
	int nsick;
};

unsigned app_generation_of(struct store *st, struct app *app);

#endif
