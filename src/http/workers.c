/*
 * The write workers: a request that changes the record (any method but GET
 * and HEAD) is answered here, off the event threads.  Such a request
 * verifies signatures and then waits for the group commit's flush; on an
 * event thread it would stall every other connection that thread serves,
 * and two clients that happen to share a thread would take turns instead of
 * sharing a commit.
 *
 * The event thread suspends the connection and queues the request; a
 * worker answers it (the response is kept in the request) and resumes the
 * connection; libmicrohttpd then calls the access handler again, which
 * queues the answer.  After MHD_resume_connection a worker does not touch
 * the request again: the connection may be closed and the request freed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "http/internal.h"

struct http_workers {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct http_req *head, **tail;
	bool stopping;
	unsigned n;
	pthread_t *threads;
	http_handler answer;
};

static void *
work(void *arg)
{
	struct http_workers *w = arg;

	/* Verifying yields to the event threads and the commit: 5 nicer
	 * than they are (on Linux nice() is the calling thread's). */
	errno = 0;
	if (nice(5) == -1 && errno != 0)
		errno = 0; /* then it does not yield; nothing else changes */
	for (;;) {
		struct http_req *r;

		pthread_mutex_lock(&w->mu);
		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->cv, &w->mu);
		r = w->head;
		if (r == NULL) { /* stopping, and nothing is left to answer */
			pthread_mutex_unlock(&w->mu);
			return NULL;
		}
		w->head = r->next_job;
		if (w->head == NULL)
			w->tail = &w->head;
		pthread_mutex_unlock(&w->mu);
		r->next_job = NULL;
		r->answer = w->answer(r, &r->answer_status);
		r->answered = true;
		MHD_resume_connection(r->conn);
	}
}

struct http_workers *
http_workers_start(unsigned n, http_handler answer)
{
	struct http_workers *w = xcalloc(1, sizeof(*w));

	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	w->tail = &w->head;
	w->answer = answer;
	w->threads = xcalloc(n, sizeof(*w->threads));
	for (unsigned i = 0; i < n; i++) {
		if (pthread_create(&w->threads[i], NULL, work, w) != 0)
			break;
		w->n++;
	}
	if (w->n == 0) {
		http_workers_stop(w);
		return NULL;
	}
	return w;
}

bool
http_workers_push(struct http_workers *w, struct http_req *r)
{
	bool taken;

	pthread_mutex_lock(&w->mu);
	taken = !w->stopping;
	if (taken) {
		r->next_job = NULL;
		*w->tail = r;
		w->tail = &r->next_job;
		pthread_cond_signal(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return taken;
}

void
http_workers_stop(struct http_workers *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->mu);
	w->stopping = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	/* Each worker answers what is queued before it leaves, so that no
	 * connection stays suspended. */
	for (unsigned i = 0; i < w->n; i++)
		pthread_join(w->threads[i], NULL);
	free(w->threads);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
