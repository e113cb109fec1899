/*
 * libFuzzer harness for dsse_parse and dsse_verify.  Invariants: an
 * accepted envelope keeps every cap of dsse.h; dsse_parse (which reads the
 * log's canonical form without a JSON parser) agrees with the general
 * path, jsonx_parse and dsse_from_json; an envelope survives a round trip
 * through JSON; and it verifies under the fixed key only if it carries the
 * very signature that key makes (no forgery, no malleated signature).
 */
#include <stddef.h>
#include <stdint.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "fuzz_common.h"
#include "ledger/dsse.h"

static uint8_t pk[32], sk[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	fuzz_key(FUZZ_LOG_SEED, pk, sk);
	return 0;
}

/* Writes env back as JSON, to free. */
static char *
to_json(const struct dsse_envelope *env, size_t *len)
{
	json_t *sigs = json_array(), *root;
	char *b64, *s;
	size_t i;

	for (i = 0; i < env->nsigs; i++) {
		b64 = enc_b64_new(env->sigs[i].sig, DSSE_SIG_LEN);
		CHECK(
		    json_array_append_new(sigs, json_pack("{s:s, s:s}", "keyid",
		                                          env->sigs[i].keyid,
		                                          "sig", b64)) == 0);
		free(b64);
	}
	b64 = enc_b64_new(env->payload, env->payload_len);
	root = json_pack("{s:s, s:s, s:o}", "payloadType", env->payload_type,
	                 "payload", b64, "signatures", sigs);
	CHECK(root != NULL);
	free(b64);
	s = jsonx_dump(root, len);
	json_decref(root);
	return s;
}

/* Whether two parsed envelopes are the same. */
static int
same(const struct dsse_envelope *a, const struct dsse_envelope *b)
{
	return a->nsigs == b->nsigs && a->payload_len == b->payload_len &&
	       (a->payload_len == 0 ||
	        memcmp(a->payload, b->payload, a->payload_len) == 0) &&
	       strcmp(a->payload_type, b->payload_type) == 0 &&
	       memcmp(a->sigs, b->sigs, a->nsigs * sizeof(a->sigs[0])) == 0;
}

/* The general path: any JSON parser's reading, then dsse_from_json. */
static int
parse_general(const uint8_t *data, size_t size, struct dsse_envelope **env)
{
	json_t *root = NULL;
	char err[256];
	int rc;

	*env = NULL;
	if (size > DSSE_MAX_JSON_LEN ||
	    jsonx_parse((const char *)data, size, 3, &root, err, sizeof(err)) !=
	        0)
		return -1;
	rc = dsse_from_json(root, env, err, sizeof(err));
	json_decref(root);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dsse_envelope *env = NULL, *env2 = NULL;
	char err[256], *json;
	size_t i, len;
	int rc = dsse_parse((const char *)data, size, &env, err, sizeof(err));

	CHECK(parse_general(data, size, &env2) == rc);
	CHECK(rc != 0 || same(env, env2));
	dsse_envelope_free(env2);
	env2 = NULL;
	if (rc != 0) {
		CHECK(env == NULL);
		CHECK(strlen(err) > 0);
		return 0;
	}
	CHECK(env->nsigs >= 1 && env->nsigs <= DSSE_MAX_SIGS);
	CHECK(env->payload_len <= DSSE_MAX_PAYLOAD);
	CHECK(strlen(env->payload_type) >= 1 &&
	      strlen(env->payload_type) <= DSSE_MAX_TYPE);
	for (i = 0; i < env->nsigs; i++)
		CHECK(strlen(env->sigs[i].keyid) <= DSSE_MAX_KEYID);

	json = to_json(env, &len);
	CHECK(dsse_parse(json, len, &env2, err, sizeof(err)) == 0);
	CHECK(same(env, env2));
	free(json);
	dsse_envelope_free(env2);

	if (dsse_verify(env, FUZZ_DSSE_KEYID, pk) == 0) {
		json_t *j = dsse_sign(env->payload_type, env->payload,
		                      env->payload_len, FUZZ_DSSE_KEYID, sk);
		const char *b64;
		uint8_t want[DSSE_SIG_LEN];
		int found = 0;

		CHECK(j != NULL);
		b64 = json_string_value(json_object_get(
		    json_array_get(json_object_get(j, "signatures"), 0),
		    "sig"));
		CHECK(b64 != NULL);
		{
			uint8_t *p = NULL;
			size_t n = 0;

			CHECK(enc_b64_decode_new(b64, strlen(b64),
			                         DSSE_SIG_LEN + 2, &p,
			                         &n) == 0 &&
			      n == DSSE_SIG_LEN);
			memcpy(want, p, DSSE_SIG_LEN);
			free(p);
		}
		for (i = 0; i < env->nsigs; i++)
			if (strcmp(env->sigs[i].keyid, FUZZ_DSSE_KEYID) == 0 &&
			    memcmp(env->sigs[i].sig, want, DSSE_SIG_LEN) == 0)
				found = 1;
		CHECK(found);
		json_decref(j);
	}
	dsse_envelope_free(env);
	return 0;
}
