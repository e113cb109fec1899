/*
 * Replay: rebuilds every table of the record from the log alone, checking
 * each entry's signature on the way, into a fresh database.  The tables are
 * a projection of the log; replay is how an auditor proves it.
 *
 * Checking a signature is most of the work, so it runs ahead of the apply
 * on worker threads, one per core, each with its own read connection to
 * the source: a worker reads a chunk of entries in one statement, parses
 * each envelope and act, and verifies the signature with the key it can
 * guess without the destination's state (the log key; the key a
 * key.register carries; for a user's key, the source's signing_key row).
 * The guess is only a hint: the apply thread, in log order, decides from
 * the destination's state alone, exactly as without workers, which key an
 * entry must verify with, and takes the worker's verdict only if the
 * worker used exactly that key (dsse_verify is a function of the envelope,
 * the key id and the key); otherwise it verifies itself.  Nothing is taken
 * from the source's projected tables.
 *
 * The destination is built as NEW.db.tmp without waiting for the disk at
 * each commit, then made durable (checkpointed, fsynced) and renamed to
 * NEW.db: a crash leaves at most the .tmp file, never a NEW.db that looks
 * complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "app/app.h"
#include "app/entry.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

#define REPLAY_BATCH 10000 /* entries per transaction of the destination */
#define CHUNK        256   /* entries a worker reads and checks at a time */
#define SLOTS        32    /* chunks in flight between workers and apply */
#define MAX_WORKERS  8

static int
node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_node_get(ctx, level, index, out) == STORE_OK ? 0 : -1;
}

static int
node_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[32])
{
	return store_log_node_put(ctx, level, index, h) == STORE_OK ? 0 : -1;
}

/*
 * The last node merkle_append put at each level of the destination's tree:
 * the left sibling that the next append completing a node there asks for,
 * so that appends need not read it back from the database.
 */
struct frontier {
	struct store *st;
	uint64_t have; /* a bit per level */
	uint64_t index[64];
	uint8_t hash[64][32];
};

static int
frontier_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	struct frontier *f = ctx;

	if (level < 64 && (f->have >> level & 1) && f->index[level] == index) {
		memcpy(out, f->hash[level], 32);
		return 0;
	}
	return node_get(f->st, level, index, out);
}

static int
frontier_put(void *ctx, unsigned level, uint64_t index, const uint8_t h[32])
{
	struct frontier *f = ctx;

	if (node_put(f->st, level, index, h) != 0)
		return -1;
	if (level < 64) {
		f->index[level] = index;
		memcpy(f->hash[level], h, 32);
		f->have |= (uint64_t)1 << level;
	}
	return 0;
}

/* What a worker made of one entry, for the apply thread. */
struct pre {
	struct entry en; /* en.bytes NULL when the entry could not be read */
	char *why;       /* why it holds no valid act, or NULL */
};

struct chunk {
	uint64_t no; /* which chunk of the log the slot holds, once ready */
	int ready;
	size_t n;
	struct pre pre[CHUNK];
};

struct pipeline {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	const char *src_path;
	const uint8_t *log_pk;
	const char *log_id;
	uint64_t size, nchunks;
	uint64_t next;     /* the next chunk a worker takes */
	uint64_t consumed; /* chunks the apply thread is done with */
	int stop;
	struct chunk *slots; /* chunk c lives in slots[c % SLOTS] */
	pthread_t threads[MAX_WORKERS];
	int nthreads;
};

static void
pre_free(struct pre *p)
{
	entry_clear(&p->en);
	free(p->why);
	p->why = NULL;
}

/* Frames the entry and verifies it with the key the worker can guess. */
static void
pre_check(const struct pipeline *pl, struct store *src, struct pre *p)
{
	struct entry *en = &p->en;
	struct app_error e = {0};
	char why[300];
	int64_t owner;
	int revoked, guessed = 0;

	if (dsse_parse(en->bytes, en->len, &en->env, why, sizeof(why)) != 0) {
		p->why = xasprintf("not an envelope: %s", why);
		return;
	}
	if (strcmp(en->env->payload_type, ACTS_PAYLOAD_TYPE) != 0 ||
	    en->env->nsigs != 1) {
		p->why = xasprintf("not an act envelope (payloadType %s, "
		                   "one signature)",
		                   ACTS_PAYLOAD_TYPE);
		return;
	}
	en->keyid = xstrdup(en->env->sigs[0].keyid);
	if (entry_read_act(en->env->payload, en->env->payload_len, en, &e) !=
	    0) {
		p->why = xasprintf("holds no valid act: %s", e.detail);
		return;
	}
	if (strcmp(en->keyid, pl->log_id) == 0) {
		memcpy(en->vpk, pl->log_pk, 32);
		guessed = 1;
	} else if (en->t->flags & ACT_SELF_SIGNED) {
		const char *b64 =
		    jsonx_str(json_object_get(en->act, "body"), "public_key");

		guessed = b64 != NULL && enc_b64_decode_exact(b64, strlen(b64),
		                                              en->vpk, 32) == 0;
	} else if (src != NULL) {
		/* Only a hint: the source's tables are not trusted. */
		guessed = store_key_get(src, en->keyid, &owner, en->vpk,
		                        &revoked) == STORE_OK;
	}
	if (guessed)
		en->verdict =
		    dsse_verify(en->env, en->keyid, en->vpk) == 0 ? 1 : -1;
}

struct scan {
	struct chunk *c;
	uint64_t start;
};

static void
scan_one(void *ctx, uint64_t index, const uint8_t *entry, size_t len)
{
	struct scan *sc = ctx;
	struct pre *p;

	if (index < sc->start || index - sc->start >= sc->c->n)
		return;
	p = &sc->c->pre[index - sc->start];
	if (p->en.bytes != NULL)
		return;
	{
		char *copy = xmalloc(len + 1);

		memcpy(copy, entry, len);
		copy[len] = '\0';
		/* hashed here, on a worker, not on the apply thread */
		entry_take(&p->en, copy, len);
	}
}

static void
fill(const struct pipeline *pl, struct store *src, uint64_t no, struct chunk *c)
{
	struct scan sc = {c, no * CHUNK};
	uint64_t end =
	    sc.start + CHUNK < pl->size ? sc.start + CHUNK : pl->size;

	c->n = (size_t)(end - sc.start);
	memset(c->pre, 0, c->n * sizeof(c->pre[0]));
	/* Entries the scan misses stay unread; the apply thread says so. */
	if (src == NULL ||
	    store_log_scan(src, sc.start, end, scan_one, &sc) != STORE_OK)
		return;
	for (size_t i = 0; i < c->n; i++)
		if (c->pre[i].en.bytes != NULL)
			pre_check(pl, src, &c->pre[i]);
}

static void *
worker(void *arg)
{
	struct pipeline *pl = arg;
	struct store *src = NULL;
	char err[300];

	/* The apply thread is the one serial step: it goes first (on Linux
	 * nice() is the calling thread's). */
	errno = 0;
	if (nice(5) == -1 && errno != 0)
		errno = 0; /* then the workers do not yield */

	if (store_open(pl->src_path, STORE_READONLY, &src, err, sizeof(err)) !=
	    STORE_OK)
		src = NULL;
	for (;;) {
		uint64_t no;
		struct chunk *c;

		pthread_mutex_lock(&pl->mu);
		while (!pl->stop && pl->next < pl->nchunks &&
		       pl->next >= pl->consumed + SLOTS)
			pthread_cond_wait(&pl->cv, &pl->mu);
		if (pl->stop || pl->next >= pl->nchunks) {
			pthread_mutex_unlock(&pl->mu);
			break;
		}
		no = pl->next++;
		pthread_mutex_unlock(&pl->mu);
		c = &pl->slots[no % SLOTS];
		fill(pl, src, no, c);
		pthread_mutex_lock(&pl->mu);
		c->no = no;
		c->ready = 1;
		pthread_cond_broadcast(&pl->cv);
		pthread_mutex_unlock(&pl->mu);
	}
	store_close(src);
	return NULL;
}

/* Starts the workers; returns 0 or -1 (none started). */
static int
pipeline_start(struct pipeline *pl)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int n = cores < 1 ? 1 : cores > MAX_WORKERS ? MAX_WORKERS : (int)cores;

	pl->nchunks = (pl->size + CHUNK - 1) / CHUNK;
	pl->slots = xcalloc(SLOTS, sizeof(*pl->slots));
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->cv, NULL);
	for (int i = 0; i < n; i++) {
		if (pthread_create(&pl->threads[i], NULL, worker, pl) != 0)
			break;
		pl->nthreads++;
	}
	return pl->nthreads > 0 ? 0 : -1;
}

/* The chunk holding entry i, once a worker has filled it. */
static struct chunk *
pipeline_wait(struct pipeline *pl, uint64_t i)
{
	struct chunk *c = &pl->slots[(i / CHUNK) % SLOTS];

	pthread_mutex_lock(&pl->mu);
	while (!(c->ready && c->no == i / CHUNK))
		pthread_cond_wait(&pl->cv, &pl->mu);
	pthread_mutex_unlock(&pl->mu);
	return c;
}

/* Frees the apply thread's current chunk and lets a worker have its slot. */
static void
pipeline_done(struct pipeline *pl, struct chunk *c)
{
	for (size_t i = 0; i < c->n; i++)
		pre_free(&c->pre[i]);
	pthread_mutex_lock(&pl->mu);
	c->ready = 0;
	c->n = 0;
	pl->consumed++;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
}

static void
pipeline_stop(struct pipeline *pl)
{
	if (pl->slots == NULL)
		return;
	pthread_mutex_lock(&pl->mu);
	pl->stop = 1;
	pthread_cond_broadcast(&pl->cv);
	pthread_mutex_unlock(&pl->mu);
	for (int i = 0; i < pl->nthreads; i++)
		pthread_join(pl->threads[i], NULL);
	/* A worker finishes the chunk it took, so each is whole or empty. */
	for (size_t s = 0; s < SLOTS; s++)
		for (size_t i = 0; i < pl->slots[s].n; i++)
			pre_free(&pl->slots[s].pre[i]);
	free(pl->slots);
	pl->slots = NULL;
	pthread_cond_destroy(&pl->cv);
	pthread_mutex_destroy(&pl->mu);
}

/* Checks and applies entry i; returns 0 or -1 with err. */
static int
replay_one(struct frontier *tree, struct entry_keys *keys, uint64_t i,
           struct pre *p, char *err, size_t errlen)
{
	struct entry_tree io = {frontier_get, frontier_put, tree};
	struct app_error e = {0};
	struct app_receipt r;

	if (p->en.bytes == NULL) {
		snprintf(err, errlen, "entry %llu cannot be read",
		         (unsigned long long)i);
		return -1;
	}
	if (p->why != NULL) {
		snprintf(err, errlen, "entry %llu %s", (unsigned long long)i,
		         p->why);
		return -1;
	}
	if (entry_append(tree->st, keys, &io, &p->en, &r, &e) != 0) {
		snprintf(err, errlen, "entry %llu: %s", (unsigned long long)i,
		         e.detail);
		return -1;
	}
	if (r.index != i) {
		snprintf(err, errlen, "entry %llu was appended at %llu",
		         (unsigned long long)i, (unsigned long long)r.index);
		return -1;
	}
	return 0;
}

/* fsyncs path (dir: the directory holding it); returns 0 or -1. */
static int
sync_path(const char *path, int dir)
{
	char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *p = copy;
	int fd, rc = -1;

	if (dir) {
		if (slash == NULL)
			p = ".";
		else if (slash == copy)
			p = "/";
		else
			*slash = '\0';
	}
	fd = open(p, (dir ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd >= 0) {
		rc = fsync(fd);
		close(fd);
	}
	free(copy);
	return rc;
}

/* Renames from to to, unless to exists; returns 0 or -1 with errno. */
static int
rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* A file system without RENAME_NOREPLACE: link does not replace. */
	if (link(from, to) != 0)
		return -1;
	return unlink(from);
}

static void
remove_db(const char *path)
{
	char *p;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
}

int
app_replay(const char *src_path, const char *vkey, const char *dst_path,
           uint64_t *count, uint8_t root[32], char *err, size_t errlen)
{
	struct store *src = NULL, *dst = NULL;
	struct pipeline pl = {0};
	struct frontier tree = {0};
	struct entry_keys keys = {0};
	struct chunk *c = NULL;
	struct note_verifier v;
	uint64_t size = 0;
	char *log_id = NULL, *tmp = NULL;
	uint8_t r2[32];
	int rc = -1, fd, created = 0;

	*count = 0;
	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium does not start");
		return -1;
	}
	if (note_vkey_parse(vkey, &v) != 0) {
		snprintf(err, errlen, "not a verifier key: %s", vkey);
		return -1;
	}
	log_id = keys_id(v.pk);
	if (store_open(src_path, STORE_READONLY, &src, err, errlen) !=
	        STORE_OK ||
	    store_log_size(src, &size) != STORE_OK)
		goto out;
	if (access(dst_path, F_OK) == 0) {
		snprintf(err, errlen, "%s exists already", dst_path);
		goto out;
	}
	/* Claim the temporary name, so that two replays do not share it. */
	tmp = xasprintf("%s.tmp", dst_path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			snprintf(err, errlen,
			         "%s exists: another replay is writing it, or "
			         "one was interrupted (then remove it)",
			         tmp);
		else
			snprintf(err, errlen, "cannot create %s: %s", tmp,
			         strerror(errno));
		goto out;
	}
	close(fd);
	created = 1;
	{
		/* A stale WAL of an earlier file of the name is not ours. */
		char *w = xasprintf("%s-wal", tmp),
		     *s = xasprintf("%s-shm", tmp);

		unlink(w);
		unlink(s);
		free(w);
		free(s);
	}
	if (store_open(tmp, STORE_CREATE, &dst, err, errlen) != STORE_OK)
		goto out;
	store_read_as(dst, &store_reader_all);
	if (store_bulk(dst, 1) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(dst));
		goto out;
	}
	tree.st = dst;
	keys.log_pk = v.pk;
	keys.log_id = log_id;
	pl.src_path = src_path;
	pl.log_pk = v.pk;
	pl.log_id = log_id;
	pl.size = size;
	if (size > 0 && pipeline_start(&pl) != 0) {
		snprintf(err, errlen, "cannot start a thread");
		goto out;
	}
	for (uint64_t i = 0; i < size; i++) {
		int ok;

		if (i % REPLAY_BATCH == 0 &&
		    ((i > 0 && store_commit(dst) != STORE_OK) ||
		     store_begin(dst) != STORE_OK)) {
			snprintf(err, errlen, "%s", store_errmsg(dst));
			goto out;
		}
		if (i % CHUNK == 0)
			c = pipeline_wait(&pl, i);
		ok = replay_one(&tree, &keys, i, &c->pre[i % CHUNK], err,
		                errlen);
		if (ok != 0) {
			store_rollback(dst);
			goto out;
		}
		if (i % CHUNK == CHUNK - 1 || i + 1 == size)
			pipeline_done(&pl, c);
		*count = i + 1;
	}
	pipeline_stop(&pl);
	if (size > 0 && store_commit(dst) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(dst));
		goto out;
	}
	if (size == 0)
		merkle_empty_root(root);
	else if (merkle_root(size, node_get, dst, root) != 0 ||
	         merkle_root(size, node_get, src, r2) != 0 ||
	         memcmp(root, r2, 32) != 0) {
		snprintf(err, errlen,
		         "the replayed tree's root differs from "
		         "the source's stored tree");
		goto out;
	}
	/* Durable before it takes its name. */
	if (store_bulk(dst, 0) != STORE_OK) {
		snprintf(err, errlen, "%s", store_errmsg(dst));
		goto out;
	}
	store_close(dst);
	dst = NULL;
	if (sync_path(tmp, 0) != 0) {
		snprintf(err, errlen, "cannot sync %s: %s", tmp,
		         strerror(errno));
		goto out;
	}
	if (rename_new(tmp, dst_path) != 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "%s exists already", dst_path);
		else
			snprintf(err, errlen, "cannot rename %s: %s", tmp,
			         strerror(errno));
		goto out;
	}
	created = 0;
	if (sync_path(dst_path, 1) != 0) {
		snprintf(err, errlen, "cannot sync the directory of %s: %s",
		         dst_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	pipeline_stop(&pl);
	free(log_id);
	store_close(src);
	store_close(dst);
	if (created)
		remove_db(tmp);
	free(tmp);
	return rc;
}

int
app_compare(const char *a_path, const char *b_path, char *err, size_t errlen)
{
	struct store *a = NULL, *b = NULL;
	uint8_t da[STORE_DIGEST_LEN], db[STORE_DIGEST_LEN];
	const char *name = "";
	int rc = -1;

	if (store_open(a_path, STORE_READONLY, &a, err, errlen) != STORE_OK ||
	    store_open(b_path, STORE_READONLY, &b, err, errlen) != STORE_OK)
		goto out;
	for (size_t i = 0; i < store_digest_count(); i++) {
		if (store_digest(a, i, &name, da) != STORE_OK ||
		    store_digest(b, i, &name, db) != STORE_OK) {
			snprintf(err, errlen, "cannot read the table %s", name);
			goto out;
		}
		if (sodium_memcmp(da, db, sizeof(da)) != 0) {
			snprintf(err, errlen,
			         "the table %s of the projection differs",
			         name);
			goto out;
		}
	}
	rc = 0;
out:
	store_close(a);
	store_close(b);
	return rc;
}
