/*
 * A cache of JSON answers.  The record only changes through acts, and
 * every act grows the log, so an answer of a cacheable route is a pure
 * function of its URL, the class of readers it was made for (its key
 * leads with it: server.c) and the log's size: an entry is valid exactly while
 * the log has the size it was made at.  Writers in other processes (the
 * CLI) grow the log too, so no invalidation is ever missed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "http/internal.h"

#define CACHE_SLOTS    512
#define CACHE_MAX_BODY (256 * 1024)

struct slot {
	char *key;
	uint64_t size;
	char *body;
	size_t len;
	char etag[40];
};

static struct slot slots[CACHE_SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static size_t
slot_of(const char *key)
{
	size_t h = 5381;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = h * 33 + *p;
	return h % CACHE_SLOTS;
}

bool
http_cache_get(const char *key, uint64_t size, char **body, size_t *len,
               char etag[40])
{
	struct slot *s = &slots[slot_of(key)];
	bool hit = false;

	pthread_mutex_lock(&lock);
	if (s->key != NULL && s->size == size && strcmp(s->key, key) == 0) {
		*body = xmemdup(s->body, s->len + 1);
		*len = s->len;
		memcpy(etag, s->etag, 40);
		hit = true;
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void
http_cache_put(const char *key, uint64_t size, const char *body, size_t len,
               const char etag[40])
{
	struct slot *s = &slots[slot_of(key)];
	char *k, *b;

	if (len > CACHE_MAX_BODY)
		return;
	k = xstrdup(key);
	b = xmemdup(body, len + 1);
	pthread_mutex_lock(&lock);
	free(s->key);
	free(s->body);
	s->key = k;
	s->body = b;
	s->len = len;
	s->size = size;
	memcpy(s->etag, etag, 40);
	pthread_mutex_unlock(&lock);
}

void
http_cache_clear(void)
{
	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < CACHE_SLOTS; i++) {
		free(slots[i].key);
		free(slots[i].body);
		memset(&slots[i], 0, sizeof(slots[i]));
	}
	pthread_mutex_unlock(&lock);
}
