#include "ledger/proofjson.h"

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "base/jsonx.h"
#include "ledger/b64.h"

/*
 * Returns 0 if every key of obj is in the NULL-terminated list allowed,
 * else -1 with the offending key named in err.
 */
static int
check_keys(const json_t *obj, const char *const *allowed, char *err,
           size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)obj, key, v)
	{
		size_t i;
		int ok = 0;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				ok = 1;
		if (!ok) {
			snprintf(err, errlen, "unexpected field \"%.40s\"",
			         key);
			return -1;
		}
	}
	v = json_object_get(obj, "desc");
	if (v != NULL && !json_is_string(v)) {
		snprintf(err, errlen, "desc: not a string");
		return -1;
	}
	v = json_object_get(obj, "wantErr");
	if (v != NULL && !json_is_boolean(v)) {
		snprintf(err, errlen, "wantErr: not a boolean");
		return -1;
	}
	return 0;
}

/* Reads obj[key], an integer in [0, MERKLE_MAX_SIZE].  Returns 0 or -1. */
static int
get_size(const json_t *obj, const char *key, uint64_t *out, char *err,
         size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		snprintf(err, errlen, "%s: missing", key);
		return -1;
	}
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		snprintf(err, errlen, "%s: not an integer in [0, 2^63-1]", key);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* Decodes the JSON string v, 32 bytes in base64.  Returns 0 or -1. */
static int
decode_hash(const json_t *v, const char *what, uint8_t out[MERKLE_HASH_LEN],
            char *err, size_t errlen)
{
	if (!json_is_string(v)) {
		snprintf(err, errlen, "%s: not a string", what);
		return -1;
	}
	if (ledger_b64_exact(json_string_value(v), json_string_length(v), out,
	                     MERKLE_HASH_LEN) != 0) {
		snprintf(err, errlen, "%s: not 32 bytes of base64", what);
		return -1;
	}
	return 0;
}

/* Reads obj[key], a base64 hash of 32 bytes.  Returns 0 or -1. */
static int
get_hash(const json_t *obj, const char *key, uint8_t out[MERKLE_HASH_LEN],
         char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		snprintf(err, errlen, "%s: missing", key);
		return -1;
	}
	return decode_hash(v, key, out, err, errlen);
}

/* Reads obj["proof"]: null or an array of at most MERKLE_MAX_PROOF hashes. */
static int
get_proof(const json_t *obj, uint8_t out[][MERKLE_HASH_LEN], size_t *len,
          char *err, size_t errlen)
{
	json_t *v = json_object_get(obj, "proof");
	json_t *h;
	size_t i;

	*len = 0;
	if (v == NULL) {
		snprintf(err, errlen, "proof: missing");
		return -1;
	}
	if (json_is_null(v))
		return 0;
	if (!json_is_array(v)) {
		snprintf(err, errlen, "proof: not an array");
		return -1;
	}
	if (json_array_size(v) > MERKLE_MAX_PROOF) {
		snprintf(err, errlen, "proof: more than %d hashes",
		         MERKLE_MAX_PROOF);
		return -1;
	}
	json_array_foreach(v, i, h)
	{
		char what[32];

		snprintf(what, sizeof(what), "proof[%zu]", i);
		if (decode_hash(h, what, out[i], err, errlen) != 0)
			return -1;
	}
	*len = json_array_size(v);
	return 0;
}

/* Parses the text into an object.  Returns it (owned) or NULL. */
static json_t *
load_object(const char *json, size_t len, char *err, size_t errlen)
{
	json_t *v = NULL;

	if (len > PROOFJSON_MAX_LEN) {
		snprintf(err, errlen, "proof JSON larger than %d bytes",
		         PROOFJSON_MAX_LEN);
		return NULL;
	}
	if (jsonx_parse(json, len, 2, &v, err, errlen) != 0)
		return NULL;
	if (!json_is_object(v)) {
		snprintf(err, errlen, "proof JSON is not an object");
		json_decref(v);
		return NULL;
	}
	return v;
}

int
proofjson_parse_inclusion(const char *json, size_t len,
                          struct proofjson_inclusion *out, char *err,
                          size_t errlen)
{
	static const char *const allowed[] = {
	    "leafIdx", "treeSize", "root",    "leafHash",
	    "proof",   "desc",     "wantErr", NULL,
	};
	json_t *v = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	v = load_object(json, len, err, errlen);
	if (v == NULL)
		goto out;
	if (check_keys(v, allowed, err, errlen) != 0 ||
	    get_size(v, "leafIdx", &out->index, err, errlen) != 0 ||
	    get_size(v, "treeSize", &out->size, err, errlen) != 0 ||
	    get_hash(v, "root", out->root, err, errlen) != 0 ||
	    get_hash(v, "leafHash", out->leaf, err, errlen) != 0 ||
	    get_proof(v, out->proof, &out->len, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	json_decref(v);
	return rc;
}

int
proofjson_parse_consistency(const char *json, size_t len,
                            struct proofjson_consistency *out, char *err,
                            size_t errlen)
{
	static const char *const allowed[] = {
	    "size1", "size2", "root1",   "root2",
	    "proof", "desc",  "wantErr", NULL,
	};
	json_t *v = NULL;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	v = load_object(json, len, err, errlen);
	if (v == NULL)
		goto out;
	if (check_keys(v, allowed, err, errlen) != 0 ||
	    get_size(v, "size1", &out->size1, err, errlen) != 0 ||
	    get_size(v, "size2", &out->size2, err, errlen) != 0 ||
	    get_hash(v, "root1", out->root1, err, errlen) != 0 ||
	    get_hash(v, "root2", out->root2, err, errlen) != 0 ||
	    get_proof(v, out->proof, &out->len, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	json_decref(v);
	return rc;
}

int
proofjson_verify_inclusion(const struct proofjson_inclusion *p)
{
	return merkle_verify_inclusion(
	    p->index, p->size, p->leaf,
	    (const uint8_t(*)[MERKLE_HASH_LEN])p->proof, p->len, p->root);
}

int
proofjson_verify_consistency(const struct proofjson_consistency *p)
{
	return merkle_verify_consistency(
	    p->size1, p->size2, p->root1, p->root2,
	    (const uint8_t(*)[MERKLE_HASH_LEN])p->proof, p->len);
}
