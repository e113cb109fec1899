/*
 * The act pipeline and the application's shared state.
 *
 * Writes are serialised through one writer connection under app->wlock:
 * validate, authorize and verify happen before the lock, in the caller's
 * thread; apply, append and commit happen under it, in one transaction,
 * on the writer thread, which commits whatever jobs have queued meanwhile
 * together (group commit).
 */
#include "app/app.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "app/apply.h"
#include "app/entry.h"
#include "app/internal.h"
#include "base/buf.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/merkle.h"
#include "ledger/note.h"

void
app_error_set(struct app_error *e, int status, const char *type,
              const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	e->status = status;
	e->type = type;
	va_start(ap, fmt);
	vsnprintf(e->detail, sizeof(e->detail), fmt, ap);
	va_end(ap);
}

void
app_error_prefix(struct app_error *e, const char *fmt, ...)
{
	char head[300], tail[sizeof(e->detail)];
	size_t h, t, cap = sizeof(e->detail) - 1;
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	h = strlen(head);
	t = strnlen(e->detail, cap);
	memcpy(tail, e->detail, t);
	if (h + t > cap) /* the end of a long detail gives way */
		t = cap - h;
	memcpy(e->detail, head, h);
	memcpy(e->detail + h, tail, t);
	e->detail[h + t] = '\0';
}

void
app_actor_system(struct app_actor *a)
{
	memset(a, 0, sizeof(*a));
	a->role = ROLE_SYSTEM;
}

void
app_actor_set(struct app_actor *a, enum role role, int64_t user_id,
              const char *username, const char *party)
{
	memset(a, 0, sizeof(*a));
	a->role = role;
	a->user_id = user_id;
	snprintf(a->username, sizeof(a->username), "%s",
	         username ? username : "");
	snprintf(a->party, sizeof(a->party), "%s", party ? party : "");
}

static pthread_key_t reader_key;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static void
make_reader_key(void)
{
	(void)pthread_key_create(&reader_key, NULL);
}

struct store *
app_reader(struct app *app)
{
	struct store *st;
	char err[300];

	pthread_once(&reader_once, make_reader_key);
	st = pthread_getspecific(reader_key);
	if (st != NULL && app->generation == app_generation_of(st, app))
		return st;
	if (store_open(app->db_path, 0, &st, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "detente: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&app->rlock);
	if (app->nreaders == APP_MAX_READERS) {
		pthread_mutex_unlock(&app->rlock);
		store_close(st);
		return NULL;
	}
	app->readers[app->nreaders++] = st;
	pthread_mutex_unlock(&app->rlock);
	pthread_setspecific(reader_key, st);
	return st;
}

/* Readers belong to one app; a thread that outlives an app (tests open
 * several in turn) must not reuse the last one's connection. */
unsigned
app_generation_of(struct store *st, struct app *app)
{
	for (int i = 0; i < app->nreaders; i++)
		if (app->readers[i] == st)
			return app->generation;
	return app->generation + 1;
}

int
app_init_files(const char *db_path, const char *key_path, const char *origin,
               char *err, size_t errlen)
{
	struct stat sb;
	struct store *st = NULL;
	uint8_t pk[32], sk[64];
	int rc = -1;

	if (stat(db_path, &sb) == 0) {
		snprintf(err, errlen, "%s exists already", db_path);
		return -1;
	}
	if (stat(key_path, &sb) == 0) {
		snprintf(err, errlen, "%s exists already", key_path);
		return -1;
	}
	keys_generate(pk, sk);
	{
		enum keys_err ke = keys_save_secret(key_path, origin, sk);

		if (ke != KEYS_OK) {
			snprintf(err, errlen, "cannot write the log key %s: %s",
			         key_path,
			         ke == KEYS_ERR_IO ? strerror(errno)
			                           : keys_strerror(ke));
			goto out;
		}
	}
	if (store_open(db_path, STORE_CREATE, &st, err, errlen) != STORE_OK) {
		/* leave nothing behind, so that a retry can succeed */
		unlink(key_path);
		unlink(db_path);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(sk, sizeof(sk));
	store_close(st);
	return rc;
}

static int place_revocations(struct app *app, char *err, size_t errlen);
static void *writer_main(void *arg);

struct app *
app_open(const struct app_options *o, char *err, size_t errlen)
{
	struct app *app = xcalloc(1, sizeof(*app));
	static unsigned generations;
	char name[NOTE_NAME_MAX + 1];
	enum keys_err ke;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium cannot be initialised");
		free(app);
		return NULL;
	}
	app->db_path = xstrdup(o->db_path);
	app->generation = __atomic_add_fetch(&generations, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_init(&app->wlock, NULL);
	pthread_mutex_init(&app->rlock, NULL);
	pthread_mutex_init(&app->limit_lock, NULL);
	pthread_mutex_init(&app->pw_lock, NULL);
	pthread_cond_init(&app->pw_cond, NULL);
	{
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		app->pw_max = cores < 1 ? 1 : cores > 4 ? 4 : (int)cores;
	}
	pthread_mutex_init(&app->ckpt_lock, NULL);
	pthread_mutex_init(&app->qlock, NULL);
	pthread_cond_init(&app->qwork, NULL);
	pthread_cond_init(&app->qdone, NULL);
	pthread_mutex_init(&app->grow_lock, NULL);
	pthread_mutex_init(&app->sched_lock, NULL);
	pthread_cond_init(&app->grew, NULL);
	app->qtail = &app->queue;
	ke = keys_load_secret(o->key_path, name, app->sk);
	if (ke != KEYS_OK) {
		snprintf(
		    err, errlen, "cannot use the log key %s: %s", o->key_path,
		    ke == KEYS_ERR_IO ? strerror(errno) : keys_strerror(ke));
		goto fail;
	}
	memcpy(app->pk, app->sk + 32, 32);
	app->origin = xstrdup(o->origin ? o->origin : name);
	app->vkey = note_vkey_format(app->origin, app->pk);
	app->keyid = keys_id(app->pk);
	if (store_open(o->db_path, 0, &app->writer, err, errlen) != STORE_OK)
		goto fail;
	store_read_as(app->writer, &store_reader_all);
	if (app_check_history(app, err, errlen) != 0 ||
	    place_revocations(app, err, errlen) != 0)
		goto fail;
	if (pthread_create(&app->wthread, NULL, writer_main, app) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		goto fail;
	}
	app->wstarted = true;
	return app;
fail:
	app_close(app);
	return NULL;
}

void
app_close(struct app *app)
{
	if (app == NULL)
		return;
	app_schedule_stop(app);
	if (app->wstarted) { /* it commits what is queued, then stops */
		pthread_mutex_lock(&app->qlock);
		app->wstop = true;
		pthread_cond_signal(&app->qwork);
		pthread_mutex_unlock(&app->qlock);
		pthread_join(app->wthread, NULL);
	}
	for (int i = 0; i < app->nreaders; i++)
		store_close(app->readers[i]);
	store_close(app->writer);
	sodium_memzero(app->sk, sizeof(app->sk));
	free(app->db_path);
	free(app->origin);
	free(app->vkey);
	free(app->keyid);
	free(app->ckpt_note);
	pthread_mutex_destroy(&app->wlock);
	pthread_mutex_destroy(&app->rlock);
	pthread_mutex_destroy(&app->limit_lock);
	pthread_mutex_destroy(&app->pw_lock);
	pthread_cond_destroy(&app->pw_cond);
	pthread_mutex_destroy(&app->ckpt_lock);
	pthread_mutex_destroy(&app->qlock);
	pthread_cond_destroy(&app->qwork);
	pthread_cond_destroy(&app->qdone);
	pthread_mutex_destroy(&app->grow_lock);
	pthread_mutex_destroy(&app->sched_lock);
	pthread_cond_destroy(&app->grew);
	free(app);
}

const char *
app_log_vkey(const struct app *app)
{
	return app->vkey;
}

const char *
app_log_origin(const struct app *app)
{
	return app->origin;
}

/* --- the pipeline -----------------------------------------------------------
 */

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

/* The keys the log trusts by itself, for entry_append. */
static void
log_keys(struct app *app, struct entry_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->log_pk = app->pk;
	k->log_id = app->keyid;
}

/*
 * Decides whether who may submit this act, under its kind's rule, about
 * the object its kind's finder names (read before the write lock).
 */
static int
authorize(struct app *app, const struct app_actor *who,
          const struct act_type *t, const json_t *body, struct app_error *e)
{
	struct policy_actor a = {who->role, who->user_id,
	                         who->party[0] ? who->party : NULL};
	struct policy_object o = {0};
	struct act_ctx c = {0};

	if (t->object != NULL) {
		c.st = app_reader(app);
		if (c.st == NULL) {
			app_error_set(e, 503, "unavailable",
			              "the database cannot be read");
			return -1;
		}
		c.t = t;
		c.body = body;
		c.who = who;
		c.e = e;
		if (t->object(&c, &o) != 0)
			return -1;
	}
	if (!policy_permits(&a, &t->rule, &o)) {
		app_error_set(e, 403, "forbidden",
		              "a %s may not submit %s acts",
		              policy_role_name(who->role), t->name);
		return -1;
	}
	return 0;
}

/*
 * Builds the act document and its log entry: a DSSE envelope over the
 * canonical act, attested by the log key.  Returns the entry bytes.
 */
static char *
seal(struct app *app, const struct app_actor *who, const struct act_type *t,
     json_t *body, enum tlp label, int64_t now, json_t **act_out, size_t *len)
{
	uint8_t salt[16];
	char when[TIME_RFC3339_LEN];
	char *salt_b64, *payload, *entry;
	size_t plen;
	json_t *act, *env;

	randombytes_buf(salt, sizeof(salt));
	salt_b64 = enc_b64_new(salt, sizeof(salt));
	time_format_ms(now, when);
	act = json_pack("{s:i,s:s,s:s,s:s?,s:s?,s:s,s:s,s:O}", "v", 1, "type",
	                t->name, "time", when, "party",
	                who->party[0] ? who->party : NULL, "user",
	                who->username[0] ? who->username : NULL, "salt",
	                salt_b64, "tlp", policy_tlp_name(label), "body", body);
	free(salt_b64);
	payload = jsonx_dump(act, &plen);
	env = dsse_sign(ACTS_PAYLOAD_TYPE, (const uint8_t *)payload, plen,
	                app->keyid, app->sk);
	free(payload);
	entry = jsonx_dump(env, len);
	json_decref(env);
	*act_out = act;
	return entry;
}

/* Acts that enter the log together or not at all: one submission. */
struct job {
	struct entry *acts;
	struct app_receipt *r; /* one per act */
	size_t n;
	bool batch;    /* a batch names the refused act in its error */
	size_t failed; /* which act was refused */
	struct app_error *e;
	int rc;
	bool done;
	struct job *next;
};

/* Appends a job's acts under one savepoint: all of them, or none. */
static int
run_job(struct app *app, struct job *j)
{
	struct entry_tree tree = {node_get, node_put, app->writer};
	struct entry_keys keys;

	if (store_savepoint(app->writer) != STORE_OK) {
		app_error_set(j->e, 503, "unavailable", "%s",
		              store_errmsg(app->writer));
		return -1;
	}
	/* what the keys were is learnt anew for each job: one that is
	 * undone may have changed them */
	log_keys(app, &keys);
	for (size_t i = 0; i < j->n; i++) {
		if (entry_append(app->writer, &keys, &tree, &j->acts[i],
		                 &j->r[i], j->e) == 0)
			continue;
		if (j->batch)
			app_error_prefix(j->e, "acts[%zu]: ", i);
		j->failed = i;
		store_rollback_to(app->writer);
		return -1;
	}
	if (store_release(app->writer) != STORE_OK) {
		app_error_set(j->e, 503, "unavailable", "%s",
		              store_errmsg(app->writer));
		store_rollback_to(app->writer);
		return -1;
	}
	return 0;
}

/* Tells those waiting for the log that it has size entries now. */
static void
log_grew(struct app *app, uint64_t size)
{
	pthread_mutex_lock(&app->grow_lock);
	if (size > app->grown) {
		app->grown = size;
		pthread_cond_broadcast(&app->grew);
	}
	pthread_mutex_unlock(&app->grow_lock);
}

uint64_t
app_log_wait(struct app *app, uint64_t seen, int timeout_ms)
{
	struct timespec until;
	uint64_t n;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += timeout_ms / 1000;
	until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&app->grow_lock);
	while (app->grown <= seen &&
	       pthread_cond_timedwait(&app->grew, &app->grow_lock, &until) == 0)
		;
	n = app->grown;
	pthread_mutex_unlock(&app->grow_lock);
	return n;
}

/*
 * Commits the queued jobs in one transaction, each under its own
 * savepoint, so that a refused job leaves the others in.  One fsync covers
 * them all.
 */
static void
run_batch(struct app *app, struct job *batch)
{
	struct job *j;

	pthread_mutex_lock(&app->wlock);
	if (store_begin(app->writer) != STORE_OK) {
		for (j = batch; j; j = j->next)
			app_error_set(j->e, 503, "unavailable", "%s",
			              store_errmsg(app->writer));
		goto out;
	}
	for (j = batch; j; j = j->next)
		j->rc = run_job(app, j);
	if (store_commit(app->writer) != STORE_OK) {
		for (j = batch; j; j = j->next) {
			j->rc = -1;
			app_error_set(j->e, 503, "unavailable", "%s",
			              store_errmsg(app->writer));
		}
		store_rollback(app->writer);
	} else {
		uint64_t size = 0;

		for (j = batch; j; j = j->next)
			if (j->rc == 0 && j->n > 0 &&
			    j->r[j->n - 1].index + 1 > size)
				size = j->r[j->n - 1].index + 1;
		if (size > 0)
			log_grew(app, size);
	}
out:
	pthread_mutex_unlock(&app->wlock);
}

/*
 * The writer thread: takes the whole queue, commits it while later jobs
 * gather for the next batch, and wakes the submitters.  A thread of its
 * own rather than the first submitter's: submitters verify signatures,
 * and a commit that has to share the cores with them would hold up every
 * job queued behind it.
 */
static void *
writer_main(void *arg)
{
	struct app *app = arg;

	pthread_mutex_lock(&app->qlock);
	for (;;) {
		struct job *batch, *k;

		while (app->queue == NULL && !app->wstop)
			pthread_cond_wait(&app->qwork, &app->qlock);
		if (app->queue == NULL)
			break;
		batch = app->queue;
		app->queue = NULL;
		app->qtail = &app->queue;
		pthread_mutex_unlock(&app->qlock);
		run_batch(app, batch);
		pthread_mutex_lock(&app->qlock);
		for (k = batch; k; k = k->next)
			k->done = true;
		pthread_cond_broadcast(&app->qdone);
	}
	pthread_mutex_unlock(&app->qlock);
	return NULL;
}

/* Group commit: queues the job for the writer thread and waits for its
 * result. */
static int
commit_job(struct app *app, struct job *j)
{
	j->rc = -1;
	j->done = false;
	j->next = NULL;
	pthread_mutex_lock(&app->qlock);
	*app->qtail = j;
	app->qtail = &j->next;
	pthread_cond_signal(&app->qwork);
	while (!j->done)
		pthread_cond_wait(&app->qdone, &app->qlock);
	pthread_mutex_unlock(&app->qlock);
	return j->rc;
}

/* Commits one act as a job of its own, and clears it. */
static int
commit_one(struct app *app, struct entry *en, struct app_receipt *r,
           struct app_error *e)
{
	struct app_receipt scratch;
	struct job j = {0};
	int rc;

	j.acts = en;
	j.r = r != NULL ? r : &scratch;
	j.n = 1;
	j.e = e;
	rc = commit_job(app, &j);
	entry_clear(en);
	return rc;
}

/*
 * Checks an act the server attests (type and body from the submitter) and
 * seals it into *en.  Returns 0, or -1 with e.
 */
static int
seal_plain(struct app *app, const struct app_actor *who, const char *type,
           json_t *body, const void *secret, struct entry *en,
           struct app_error *e)
{
	const struct act_type *t = acts_find(type);
	char err[300], *bytes;
	size_t len;
	enum tlp label;

	if (t == NULL) {
		app_error_set(e, 400, "unknown-act-type",
		              "unknown act type \"%.64s\"", type ? type : "");
		return -1;
	}
	if (t->flags & ACT_SELF_SIGNED) {
		app_error_set(e, 400, "validation",
		              "%s must be signed by the key it registers: "
		              "submit it as a DSSE envelope",
		              t->name);
		return -1;
	}
	if (schema_check(t->body, body, "body", err, sizeof(err)) != 0) {
		app_error_set(e, 400, "validation", "%s", err);
		return -1;
	}
	if (acts_label(t, body, &label, err, sizeof(err)) != 0) {
		app_error_set(e, 400, "validation", "%s", err);
		return -1;
	}
	if (authorize(app, who, t, body, e) != 0)
		return -1;
	en->t = t;
	en->tlp = label;
	en->when = time_now_ms();
	bytes = seal(app, who, t, body, label, en->when, &en->act, &len);
	entry_take(en, bytes, len);
	if (entry_recipients(en, e) != 0) {
		entry_clear(en);
		return -1;
	}
	en->keyid = xstrdup(app->keyid);
	en->verdict = 1; /* signed just now, by the log key */
	memcpy(en->vpk, app->pk, 32);
	en->owner = who->user_id;
	en->secret = secret;
	return 0;
}

int
app_submit(struct app *app, const struct app_actor *who, const char *type,
           json_t *body, const void *secret, struct app_receipt *r,
           struct app_error *e)
{
	struct entry en = {0};

	if (r != NULL)
		memset(r, 0, sizeof(*r));
	if (seal_plain(app, who, type, body, secret, &en, e) != 0)
		return -1;
	return commit_one(app, &en, r, e);
}

#define SKEW_MS (5LL * 60 * 1000)

/* Whether s can stand in JSON without escapes (base64, key ids, media
 * types); jansson escapes no '/' unless told to. */
static bool
plain(const char *s)
{
	if (s == NULL)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || strchr("+/=_.:-", *s)))
			return false;
	return true;
}

/*
 * The envelope in canonical form, the bytes jsonx_dump would make (keys
 * sorted, compact): written directly when every string is plain, as they
 * are in envelopes dsse_from_json accepted with one named signature.
 */
static char *
canonical_envelope(const json_t *envj, size_t *len)
{
	const json_t *sigs = json_object_get(envj, "signatures");
	const json_t *sig = json_array_get(sigs, 0);
	const char *part[] = {
	    "{\"payload\":\"",
	    jsonx_str(envj, "payload"),
	    "\",\"payloadType\":\"",
	    jsonx_str(envj, "payloadType"),
	    "\",\"signatures\":[{\"keyid\":\"",
	    jsonx_str(sig, "keyid"),
	    "\",\"sig\":\"",
	    jsonx_str(sig, "sig"),
	    "\"}]}",
	};
	size_t n = 0, at = 0, i;
	char *out;

	if (json_array_size(sigs) != 1)
		return jsonx_dump(envj, len);
	for (i = 1; i < sizeof(part) / sizeof(part[0]); i += 2)
		if (!plain(part[i]))
			return jsonx_dump(envj, len);
	/* concatenated rather than printf'd: this runs once per act */
	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++)
		n += strlen(part[i]);
	out = xmalloc(n + 1);
	for (i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		size_t l = strlen(part[i]);

		memcpy(out + at, part[i], l);
		at += l;
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/*
 * Checks a party-signed act (envj, a parsed DSSE envelope) and readies it
 * in *en: the entry is the envelope in canonical form; the signature is
 * over the payload, which is kept byte for byte.  The key is decided, and
 * the signature checked, by entry_append's own rules against the reader's
 * state (keys remembers the submission's last key); the writer decides
 * again under the lock.  Returns 0 or -1 with e.
 */
static int
seal_envelope(struct app *app, const struct app_actor *who, const json_t *envj,
              struct entry *en, struct entry_keys *keys, struct app_error *e)
{
	const char *user, *party;
	uint8_t pk[32];
	char err[300], *bytes;
	size_t len;
	int64_t now = time_now_ms();
	struct store *st;

	if (dsse_from_json(envj, &en->env, err, sizeof(err)) != 0) {
		app_error_set(e, 400, "bad-envelope", "%s", err);
		return -1;
	}
	if (strcmp(en->env->payload_type, ACTS_PAYLOAD_TYPE) != 0 ||
	    en->env->nsigs != 1) {
		app_error_set(e, 400, "bad-envelope",
		              "an act envelope has payloadType %s and exactly "
		              "one signature",
		              ACTS_PAYLOAD_TYPE);
		goto fail;
	}
	en->keyid = xstrdup(en->env->sigs[0].keyid);
	if (entry_read_act(en->env->payload, en->env->payload_len, en, e) != 0)
		goto fail;
	if (en->when < now - SKEW_MS || en->when > now + SKEW_MS) {
		app_error_set(e, 400, "validation",
		              "act.time must be an RFC 3339 time within 5 "
		              "minutes of the server's clock");
		goto fail;
	}
	user = jsonx_str(en->act, "user");
	party = jsonx_str(en->act, "party");
	if (user == NULL || strcmp(user, who->username) != 0 ||
	    strcmp(party ? party : "", who->party) != 0) {
		app_error_set(e, 403, "forbidden",
		              "act.user and act.party must be the signed-in "
		              "user and their party");
		goto fail;
	}
	if (strcmp(en->keyid, app->keyid) == 0) {
		app_error_set(
		    e, 403, "unknown-key",
		    "a party-signed act is signed with the user's own "
		    "key, not the log's");
		goto fail;
	}
	en->owner = who->user_id;
	if ((st = app_reader(app)) == NULL) {
		app_error_set(e, 503, "unavailable",
		              "the database cannot be read");
		goto fail;
	}
	if (entry_signer_key(st, keys, en, pk, e) != 0)
		goto fail;
	if (dsse_verify(en->env, en->keyid, pk) != 0) {
		app_error_set(e, 400, "bad-signature",
		              "the signature does not verify with %.64s",
		              en->keyid);
		goto fail;
	}
	en->verdict = 1;
	memcpy(en->vpk, pk, 32);
	if (authorize(app, who, en->t, json_object_get(en->act, "body"), e) !=
	    0)
		goto fail;
	bytes = canonical_envelope(envj, &len);
	entry_take(en, bytes, len);
	return 0;
fail:
	entry_clear(en);
	return -1;
}

int
app_submit_envelope(struct app *app, const struct app_actor *who,
                    const json_t *envj, struct app_receipt *r,
                    struct app_error *e)
{
	struct entry_keys keys;
	struct entry en = {0};

	if (r != NULL)
		memset(r, 0, sizeof(*r));
	log_keys(app, &keys);
	if (seal_envelope(app, who, envj, &en, &keys, e) != 0)
		return -1;
	return commit_one(app, &en, r, e);
}

int
app_submit_batch(struct app *app, const struct app_actor *who,
                 const json_t *items, struct app_receipt *r, size_t *failed,
                 struct app_error *e)
{
	size_t n = json_array_size(items), i;
	struct entry_keys keys;
	struct entry *s;
	struct job j = {0};
	int rc = -1;

	*failed = 0;
	if (!json_is_array(items) || n == 0 || n > APP_BATCH_MAX) {
		app_error_set(e, 400, "validation",
		              "acts: must be an array of 1 to %d acts",
		              APP_BATCH_MAX);
		return -1;
	}
	log_keys(app, &keys);
	s = xcalloc(n, sizeof(*s));
	for (i = 0; i < n; i++) {
		const json_t *it = json_array_get(items, i);
		const char *type = jsonx_str(it, "type");
		const struct act_type *t = acts_find(type);
		int ok;

		memset(&r[i], 0, sizeof(r[i]));
		if (json_object_get(it, "payloadType") != NULL) {
			ok = seal_envelope(app, who, it, &s[i], &keys, e);
		} else if (!json_is_object(it) || type == NULL ||
		           !json_is_object(json_object_get(it, "body")) ||
		           json_object_size(it) != 2) {
			app_error_set(e, 400, "validation",
			              "an act is a DSSE envelope or {\"type\", "
			              "\"body\"}");
			ok = -1;
		} else if (t != NULL && (t->flags & ACT_SECRET)) {
			app_error_set(e, 400, "validation",
			              "%.64s acts carry secrets: use "
			              "/api/v1/users or /api/v1/tokens",
			              type);
			ok = -1;
		} else {
			ok = seal_plain(app, who, type,
			                json_object_get(it, "body"), NULL,
			                &s[i], e);
		}
		if (ok != 0) {
			app_error_prefix(e, "acts[%zu]: ", i);
			*failed = i;
			goto out;
		}
	}
	j.acts = s;
	j.r = r;
	j.n = n;
	j.batch = true;
	j.e = e;
	rc = commit_job(app, &j);
	if (rc != 0)
		*failed = j.failed;
out:
	for (i = 0; i < n; i++)
		entry_clear(&s[i]);
	free(s);
	return rc;
}

/* --- the historical record ------------------------------------------------ */

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Loads one file's acts into the open transaction; returns how many, or -1
 * with e. */
static long
load_file(struct app *app, const char *path, struct entry_keys *keys,
          struct app_error *e)
{
	struct entry_tree tree = {node_get, node_put, app->writer};
	struct app_actor sys;
	json_t *acts, *a;
	json_error_t je;
	long count = 0;
	size_t j;

	app_actor_system(&sys);
	acts = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!json_is_array(acts)) {
		app_error_set(e, 400, "validation", "%s:%d: %s", path, je.line,
		              acts ? "not an array" : je.text);
		json_decref(acts);
		return -1;
	}
	json_array_foreach(acts, j, a)
	{
		struct entry en = {0};
		struct app_receipt r;
		int rc;

		rc = seal_plain(app, &sys, jsonx_str(a, "type"),
		                json_object_get(a, "body"), NULL, &en, e);
		if (rc == 0)
			rc = entry_append(app->writer, keys, &tree, &en, &r, e);
		entry_clear(&en);
		if (rc != 0) {
			app_error_prefix(e, "%.200s, act %zu: ", path, j);
			count = -1;
			break;
		}
		count++;
	}
	json_decref(acts);
	return count;
}

long
app_load_record(struct app *app, const char *dir, struct app_error *e)
{
	struct dirent **names = NULL;
	struct entry_keys keys;
	long count = 0, n1;
	int n, i;

	n = scandir(dir, &names, NULL, by_name);
	if (n < 0) {
		app_error_set(e, 500, "internal", "cannot read %s: %s", dir,
		              strerror(errno));
		return -1;
	}
	log_keys(app, &keys);
	pthread_mutex_lock(&app->wlock);
	if (store_begin(app->writer) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "%s",
		              store_errmsg(app->writer));
		count = -1;
		goto out;
	}
	for (i = 0; i < n && count >= 0; i++) {
		size_t len = strlen(names[i]->d_name);
		char *path;

		if (len < 6 || strcmp(names[i]->d_name + len - 5, ".json") != 0)
			continue;
		path = xasprintf("%s/%s", dir, names[i]->d_name);
		n1 = load_file(app, path, &keys, e);
		count = n1 < 0 ? -1 : count + n1;
		free(path);
	}
	if (count >= 0 && store_commit(app->writer) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "%s",
		              store_errmsg(app->writer));
		count = -1;
	}
	if (count < 0)
		store_rollback(app->writer);
out:
	pthread_mutex_unlock(&app->wlock);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return count;
}

/* --- checkpoints and entries ------------------------------------------------
 */

/*
 * Whether the tree in st extends the checkpoint (size, root) the log signed
 * before: the same root at the same size, or a consistency proof from the
 * stored tree that verifies.  Writes why not into why.
 */
static int
extends(struct store *st, uint64_t size, const uint8_t root[32], char *why,
        size_t whylen)
{
	uint8_t proof[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint8_t now[32];
	uint64_t n = 0;
	size_t len = 0;

	if (store_log_size(st, &n) != STORE_OK) {
		snprintf(why, whylen, "the log cannot be read");
		return -1;
	}
	if (n < size) {
		snprintf(why, whylen,
		         "the log has %llu entries, fewer than the %llu of a "
		         "checkpoint it signed",
		         (unsigned long long)n, (unsigned long long)size);
		return -1;
	}
	if (size == 0)
		return 0;
	if (merkle_root(n, node_get, st, now) != 0 ||
	    merkle_consistency_proof(size, n, node_get, st, proof, &len) != 0 ||
	    merkle_verify_consistency(size, n, root, now,
	                              (const uint8_t(*)[32])proof, len) != 0) {
		snprintf(why, whylen,
		         "the tree is not consistent with the checkpoint of "
		         "size %llu the log signed: its entries were changed",
		         (unsigned long long)size);
		return -1;
	}
	return 0;
}

int
app_check_history(struct app *app, char *err, size_t errlen)
{
	struct checkpoint cp;
	char *note = NULL, *blank;
	uint64_t size = 0;
	enum store_err se;
	int rc = -1;

	se = store_checkpoint_latest(app->writer, &note, &size);
	if (se == STORE_NOTFOUND)
		return 0;
	/* the checkpoint is the note's text, up to its blank line */
	if (se != STORE_OK || (blank = strstr(note, "\n\n")) == NULL ||
	    checkpoint_parse(note, (size_t)(blank - note) + 1, &cp) != 0 ||
	    cp.size != size) {
		snprintf(err, errlen,
		         "the last checkpoint the log signed cannot "
		         "be read");
		goto out;
	}
	if (extends(app->writer, cp.size, cp.root, err, errlen) != 0)
		goto out;
	app->signed_size = cp.size;
	memcpy(app->signed_root, cp.root, 32);
	rc = 0;
out:
	free(note);
	return rc;
}

/* Sets the revocation index of the key a key.revoke entry names. */
static int
place_revocation(void *ctx, uint64_t index, const uint8_t *entry, size_t len)
{
	struct store *st = ctx;
	struct dsse_envelope *env = NULL;
	json_t *act = NULL;
	const char *id;
	char err[200];
	int rc = 0;

	if (dsse_parse((const char *)entry, len, &env, err, sizeof(err)) == 0 &&
	    jsonx_parse((const char *)env->payload, env->payload_len,
	                ACTS_MAX_DEPTH, &act, err, sizeof(err)) == 0 &&
	    (id = jsonx_str(json_object_get(act, "body"), "key_id")) != NULL)
		rc = store_key_revoked_at(st, id, (int64_t)index) == STORE_OK
		         ? 0
		         : -1;
	dsse_envelope_free(env);
	json_decref(act);
	return rc;
}

/*
 * Keys revoked before the store kept where (schema 3) get the index of the
 * key.revoke entry that revoked them, so that a replay, which records it,
 * finds the same table.  Returns 0, or -1 with err.
 */
static int
place_revocations(struct app *app, char *err, size_t errlen)
{
	int64_t n = 0;

	if (store_key_unplaced(app->writer, &n) != STORE_OK)
		goto fail;
	if (n == 0)
		return 0;
	if (store_begin(app->writer) != STORE_OK)
		goto fail;
	if (store_log_of_type(app->writer, "key.revoke", place_revocation,
	                      app->writer) != STORE_OK ||
	    store_commit(app->writer) != STORE_OK) {
		store_rollback(app->writer);
		goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot record where keys were revoked: %s",
	         store_errmsg(app->writer));
	return -1;
}

int
app_checkpoint(struct app *app, char **note, uint64_t *size, uint8_t root[32],
               struct app_error *e)
{
	struct store *st = app_reader(app);
	uint64_t n = 0;
	char why[300];
	char *text;

	if (st == NULL || store_log_size(st, &n) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "the log cannot be read");
		return -1;
	}
	pthread_mutex_lock(&app->ckpt_lock);
	if (app->ckpt_note != NULL && app->ckpt_size == n) {
		*note = xstrdup(app->ckpt_note);
		*size = n;
		memcpy(root, app->ckpt_root, 32);
		pthread_mutex_unlock(&app->ckpt_lock);
		return 0;
	}
	/* A log never signs a checkpoint inconsistent with one it signed. */
	if (extends(st, app->signed_size, app->signed_root, why, sizeof(why)) !=
	    0) {
		pthread_mutex_unlock(&app->ckpt_lock);
		app_error_set(e, 500, "inconsistent-log",
		              "refusing to sign: %s", why);
		return -1;
	}
	if (n == 0)
		merkle_empty_root(root);
	else if (merkle_root(n, node_get, st, root) != 0) {
		pthread_mutex_unlock(&app->ckpt_lock);
		app_error_set(e, 500, "internal",
		              "the tree of the log is incomplete at size %llu",
		              (unsigned long long)n);
		return -1;
	}
	/* Entries visible to a reader are committed, and committed entries
	 * are durable (synchronous=FULL): signing now is safe. */
	text = checkpoint_format(app->origin, n, root, NULL);
	*note = note_sign(text, strlen(text), app->origin, app->sk);
	free(text);
	*size = n;
	if (n > app->signed_size) {
		/* Remember what was signed, so that a restart holds the log
		 * to it; a checkpoint that cannot be kept is not handed out. */
		enum store_err se;

		pthread_mutex_lock(&app->wlock);
		se = store_checkpoint_put(app->writer, n, root, *note,
		                          time_now_ms());
		pthread_mutex_unlock(&app->wlock);
		if (se != STORE_OK) {
			pthread_mutex_unlock(&app->ckpt_lock);
			free(*note);
			*note = NULL;
			app_error_set(e, 503, "unavailable",
			              "the checkpoint cannot be recorded");
			return -1;
		}
		app->signed_size = n;
		memcpy(app->signed_root, root, 32);
	}
	if (app->ckpt_note == NULL || n > app->ckpt_size) {
		free(app->ckpt_note);
		app->ckpt_note = xstrdup(*note);
		app->ckpt_size = n;
		memcpy(app->ckpt_root, root, 32);
	}
	pthread_mutex_unlock(&app->ckpt_lock);
	return 0;
}
