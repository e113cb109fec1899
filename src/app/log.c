/*
 * Reading the log: entries under their TLP labels.  An entry the reader may
 * not see is shown as its index, time, label and leaf hash only, which is
 * all anyone needs to check it is in the tree.
 */
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/internal.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "base/xmalloc.h"
#include "ledger/merkle.h"

#define MAX_RANGE 1000

static json_t *hash_json(const uint8_t h[MERKLE_HASH_LEN]);

/*
 * The item of entry i as the API serves it: in full (its act, its bytes,
 * who signed it), or, when !full, its index, time, label and leaf hash.
 * Returns NULL with e when the entry has no leaf hash.
 */
static json_t *
entry_item(struct app *app, uint64_t i, const uint8_t *entry, size_t len,
           const json_t *meta, bool full, struct app_error *e)
{
	char when[TIME_RFC3339_LEN];
	const char *hex = jsonx_str(meta, "leaf_hash");
	const char *signer = jsonx_str(meta, "signer");
	uint8_t lh[32];
	json_t *item, *env;
	char *b64;

	/* hashes are base64 across the API, as RFC 9162 has them */
	if (hex == NULL || enc_hex_decode(hex, lh, 32) != 0) {
		app_error_set(e, 500, "internal",
		              "log entry %llu has no leaf hash",
		              (unsigned long long)i);
		return NULL;
	}
	time_format_ms(jsonx_int(meta, "time_ms", 0), when);
	item = json_pack("{s:I,s:s,s:s,s:o}", "index", (json_int_t)i, "time",
	                 when, "tlp", jsonx_str(meta, "tlp"), "leaf_hash",
	                 hash_json(lh));
	if (!full) {
		json_object_set_new(item, "redacted", json_true());
		return item;
	}
	json_object_set_new(item, "type",
	                    json_string(jsonx_str(meta, "act_type")));
	json_object_set(item, "party", json_object_get(meta, "party"));
	json_object_set(item, "user", json_object_get(meta, "username"));
	json_object_set(item, "signer", json_object_get(meta, "signer"));
	/* the log key attests for plain web sessions; any other signer is
	 * the acting user's own key */
	json_object_set_new(
	    item, "attestation",
	    json_string(signer != NULL && strcmp(signer, app->keyid) == 0
	                    ? "server-attested"
	                    : "party-signed"));
	b64 = enc_b64_new(entry, len);
	json_object_set_new(item, "entry", json_string(b64));
	free(b64);
	env = json_loadb((const char *)entry, len, 0, NULL);
	if (env != NULL) {
		const char *p64 = jsonx_str(env, "payload");
		uint8_t *payload = NULL;
		size_t plen = 0;

		if (p64 != NULL &&
		    enc_b64_decode_new(p64, strlen(p64), ACTS_MAX_BYTES * 2,
		                       &payload, &plen) == 0) {
			json_t *act =
			    json_loadb((const char *)payload, plen, 0, NULL);

			if (act != NULL)
				json_object_set_new(item, "act", act);
			free(payload);
		}
		json_decref(env);
	}
	return item;
}

/* Calls fn for each entry of [start, end) with its log row and bytes. */
static int
each_entry(struct app *app, uint64_t start, uint64_t end,
           int (*fn)(void *ctx, uint64_t i, const uint8_t *entry, size_t len,
                     const json_t *meta, struct app_error *e),
           void *ctx, struct app_error *e)
{
	struct store *st = app_reader(app);

	if (st == NULL) {
		app_error_set(e, 503, "unavailable", "the log cannot be read");
		return -1;
	}
	for (uint64_t i = start; i < end; i++) {
		uint8_t *entry = NULL;
		size_t len = 0;
		json_t *meta = NULL;
		int rc;

		if (store_log_get(st, i, &entry, &len, &meta) != STORE_OK) {
			app_error_set(e, 500, "internal",
			              "log entry %llu cannot be read",
			              (unsigned long long)i);
			return -1;
		}
		rc = fn(ctx, i, entry, len, meta, e);
		json_decref(meta);
		free(entry);
		if (rc != 0)
			return -1;
	}
	return 0;
}

struct listing {
	struct app *app;
	struct app_reading rd;
	json_t *items;
};

static int
list_one(void *ctx, uint64_t i, const uint8_t *entry, size_t len,
         const json_t *meta, struct app_error *e)
{
	struct listing *l = ctx;
	/* every recipient counts: an act with more than ACTS_MAX_RECIPIENTS
	 * is refused before it reaches the log, so the list is never cut */
	bool full = app_readable_label(&l->rd, jsonx_str(meta, "tlp"),
	                               jsonx_str(meta, "party"),
	                               jsonx_int(meta, "owner_user_id", 0),
	                               json_object_get(meta, "recipients"));
	json_t *item = entry_item(l->app, i, entry, len, meta, full, e);

	if (item == NULL)
		return -1;
	json_array_append_new(l->items, item);
	return 0;
}

int
app_log_entries(struct app *app, const struct app_actor *who, uint64_t start,
                uint64_t end, json_t **out, struct app_error *e)
{
	struct store *st = app_reader(app);
	struct listing l = {.app = app};
	uint64_t size = 0;

	*out = NULL;
	if (st == NULL || store_log_size(st, &size) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "the log cannot be read");
		return -1;
	}
	if (end > size)
		end = size;
	if (start > end) {
		app_error_set(e, 400, "validation",
		              "start %llu is past the end of the log (size "
		              "%llu)",
		              (unsigned long long)start,
		              (unsigned long long)size);
		return -1;
	}
	if (end - start > MAX_RANGE)
		end = start + MAX_RANGE;
	app_reading_init(&l.rd, who);
	l.items = json_array();
	if (each_entry(app, start, end, list_one, &l, e) != 0) {
		json_decref(l.items);
		return -1;
	}
	*out =
	    json_pack("{s:I,s:o}", "size", (json_int_t)size, "items", l.items);
	return 0;
}

struct walk {
	struct app *app;
	app_log_fn fn;
	void *ctx;
};

static int
walk_one(void *ctx, uint64_t i, const uint8_t *entry, size_t len,
         const json_t *meta, struct app_error *e)
{
	struct walk *w = ctx;
	struct app_label l = {jsonx_str(meta, "tlp"), jsonx_str(meta, "party"),
	                      jsonx_int(meta, "owner_user_id", 0),
	                      json_object_get(meta, "recipients")};
	json_t *item = entry_item(w->app, i, entry, len, meta, true, e);
	int rc;

	if (item == NULL)
		return -1;
	rc = w->fn(w->ctx, i, item, &l);
	json_decref(item);
	return rc;
}

int
app_log_walk(struct app *app, uint64_t start, uint64_t end, app_log_fn fn,
             void *ctx, struct app_error *e)
{
	struct walk w = {app, fn, ctx};

	return each_entry(app, start, end, walk_one, &w, e);
}

static int
node_get(void *ctx, unsigned level, uint64_t index, uint8_t out[32])
{
	return store_log_node_get(ctx, level, index, out) == STORE_OK ? 0 : -1;
}

static json_t *
hashes_json(const uint8_t (*h)[MERKLE_HASH_LEN], size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char *b = enc_b64_new(h[i], MERKLE_HASH_LEN);

		json_array_append_new(a, json_string(b));
		free(b);
	}
	return a;
}

static json_t *
hash_json(const uint8_t h[MERKLE_HASH_LEN])
{
	char *b = enc_b64_new(h, MERKLE_HASH_LEN);
	json_t *v = json_string(b);

	free(b);
	return v;
}

typedef int (*proof_fn)(struct store *st, uint64_t logsize, const void *q,
                        json_t **out, struct app_error *e);

/*
 * Runs a proof in one read transaction of the calling thread's reader: the
 * log's size and every node come from one snapshot, under one lock.
 */
static int
in_snapshot(struct app *app, proof_fn f, const void *q, json_t **out,
            struct app_error *e)
{
	struct store *st = app_reader(app);
	uint64_t logsize = 0;
	int rc = -1;

	*out = NULL;
	if (st == NULL || store_read_begin(st) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "the log cannot be read");
		return -1;
	}
	if (store_log_size(st, &logsize) != STORE_OK)
		app_error_set(e, 503, "unavailable", "the log cannot be read");
	else
		rc = f(st, logsize, q, out, e);
	store_read_end(st);
	return rc;
}

struct inclusion_q {
	uint64_t index;
	const char *leaf_hash;
	uint64_t size;
};

static int
inclusion(struct store *st, uint64_t logsize, const void *qv, json_t **out,
          struct app_error *e)
{
	const struct inclusion_q *q = qv;
	uint8_t proof[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint8_t leaf[32], root[32];
	uint64_t index = q->index, size = q->size;
	size_t n = 0;

	if (q->leaf_hash != NULL) {
		if (app_hash_parse(q->leaf_hash, leaf) != 0) {
			app_error_set(
			    e, 400, "validation",
			    "leaf_hash must be 32 bytes in base64 (or "
			    "64 hex digits)");
			return -1;
		}
		if (store_log_find(st, leaf, &index) != STORE_OK) {
			app_error_set(e, 404, "not-found",
			              "no entry has that leaf hash");
			return -1;
		}
	}
	if (size == 0 || size > logsize) {
		app_error_set(e, 400, "out-of-range",
		              "size must be from 1 to the log's size %llu",
		              (unsigned long long)logsize);
		return -1;
	}
	if (index >= size) {
		app_error_set(e, 400, "out-of-range",
		              "index %llu is not in a tree of size %llu",
		              (unsigned long long)index,
		              (unsigned long long)size);
		return -1;
	}
	if (store_log_node_get(st, 0, index, leaf) != STORE_OK ||
	    merkle_inclusion_proof(index, size, node_get, st, proof, &n) != 0 ||
	    merkle_root(size, node_get, st, root) != 0) {
		app_error_set(e, 500, "internal",
		              "the tree cannot be read at size %llu",
		              (unsigned long long)size);
		return -1;
	}
	*out =
	    json_pack("{s:I,s:I,s:o,s:o,s:o}", "leaf_index", (json_int_t)index,
	              "tree_size", (json_int_t)size, "leaf_hash",
	              hash_json(leaf), "root_hash", hash_json(root), "proof",
	              hashes_json((const uint8_t(*)[32])proof, n));
	return 0;
}

int
app_inclusion_proof(struct app *app, uint64_t index, const char *leaf_hash,
                    uint64_t size, json_t **out, struct app_error *e)
{
	struct inclusion_q q = {index, leaf_hash, size};

	return in_snapshot(app, inclusion, &q, out, e);
}

struct consistency_q {
	uint64_t from, to;
};

static int
consistency(struct store *st, uint64_t logsize, const void *qv, json_t **out,
            struct app_error *e)
{
	const struct consistency_q *q = qv;
	uint8_t proof[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint8_t r1[32], r2[32];
	uint64_t from = q->from, to = q->to;
	size_t n = 0;

	if (from > to || to > logsize || to == 0) {
		app_error_set(e, 400, "out-of-range",
		              "need 0 <= from <= to <= %llu and to > 0",
		              (unsigned long long)logsize);
		return -1;
	}
	if (from == 0)
		merkle_empty_root(r1);
	if ((from > 0 && merkle_root(from, node_get, st, r1) != 0) ||
	    merkle_root(to, node_get, st, r2) != 0 ||
	    merkle_consistency_proof(from, to, node_get, st, proof, &n) != 0) {
		app_error_set(e, 500, "internal",
		              "the tree cannot be read between %llu and %llu",
		              (unsigned long long)from, (unsigned long long)to);
		return -1;
	}
	*out = json_pack("{s:I,s:I,s:o,s:o,s:o}", "from", (json_int_t)from,
	                 "to", (json_int_t)to, "first_root", hash_json(r1),
	                 "second_root", hash_json(r2), "proof",
	                 hashes_json((const uint8_t(*)[32])proof, n));
	return 0;
}

int
app_consistency_proof(struct app *app, uint64_t from, uint64_t to, json_t **out,
                      struct app_error *e)
{
	struct consistency_q q = {from, to};

	return in_snapshot(app, consistency, &q, out, e);
}

int
app_log_size(struct app *app, uint64_t *size)
{
	struct store *st = app_reader(app);

	return st != NULL && store_log_size(st, size) == STORE_OK ? 0 : -1;
}

int
app_hash_parse(const char *s, uint8_t out[32])
{
	char b64[45];
	size_t n = strlen(s);

	if (n == 64)
		return enc_hex_decode(s, out, 32);
	if (n != 44)
		return -1;
	/* standard or URL-safe alphabet; a '+' that a query decoded into a
	 * space is a '+' */
	for (size_t i = 0; i < n; i++)
		b64[i] = s[i] == ' ' || s[i] == '-' ? '+'
		         : s[i] == '_'              ? '/'
		                                    : s[i];
	b64[n] = '\0';
	return enc_b64_decode_exact(b64, n, out, 32);
}
