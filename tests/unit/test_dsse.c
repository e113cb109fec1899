/*
 * Tests of ledger/dsse: PAE, signing and verification, and the strict
 * envelope parser.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"

/* 64 zero bytes in base64. */
#define SIG0                                                                   \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
	"AAAA"                                                                 \
	"AAAAAAAAAAAAAA=="

static void
fixed_key(uint8_t pk[32], uint8_t sk[64], uint8_t fill)
{
	uint8_t seed[32];

	memset(seed, fill, sizeof(seed));
	keys_from_seed(seed, pk, sk);
}

/* Parses a NUL-terminated envelope; returns rc and frees on failure. */
static int
parse(const char *json, struct dsse_envelope **env, char *err, size_t errlen)
{
	return dsse_parse(json, strlen(json), env, err, errlen);
}

/* The DSSE specification's PAE example (protocol.md). */
static void
test_pae(void **state)
{
	static const char want[] =
	    "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
	uint8_t *p;
	size_t n;

	(void)state;
	p = dsse_pae("http://example.com/HelloWorld",
	             (const uint8_t *)"hello world", 11, &n);
	assert_int_equal(n, sizeof(want) - 1);
	assert_memory_equal(p, want, n);
	free(p);
	p = dsse_pae("t", NULL, 0, &n);
	assert_int_equal(n, 13);
	assert_memory_equal(p, "DSSEv1 1 t 0 ", 13);
	free(p);
	/* lengths are of bytes, not characters */
	p = dsse_pae("\xc3\xa9", (const uint8_t *)"\0\0", 2, &n);
	assert_int_equal(n, 16);
	assert_memory_equal(p, "DSSEv1 2 \xc3\xa9 2 \0\0", 16);
	free(p);
}

static void
test_sign_verify(void **state)
{
	static const char type[] = "http://example.com/HelloWorld";
	static const char want_pae[] =
	    "DSSEv1 29 http://example.com/HelloWorld 11 hello world";
	uint8_t pk[32], sk[64], pk2[32], sk2[64], sig[64];
	struct dsse_envelope *env = NULL;
	char err[200], *json, *b64;
	json_t *j;
	size_t n;

	(void)state;
	fixed_key(pk, sk, 1);
	fixed_key(pk2, sk2, 2);
	j = dsse_sign(type, (const uint8_t *)"hello world", 11,
	              "ed25519:0123456789abcdef", sk);
	assert_non_null(j);
	json = jsonx_dump(j, &n);
	json_decref(j);

	/* the signature is Ed25519 over the PAE bytes, written out here */
	crypto_sign_detached(sig, NULL, (const uint8_t *)want_pae,
	                     sizeof(want_pae) - 1, sk);
	b64 = enc_b64_new(sig, 64);
	{
		char *want = xasprintf(
		    "{\"payload\":\"aGVsbG8gd29ybGQ=\","
		    "\"payloadType\":\"http://example.com/HelloWorld\","
		    "\"signatures\":[{\"keyid\":\"ed25519:0123456789abcdef\","
		    "\"sig\":\"%s\"}]}",
		    b64);

		assert_string_equal(json, want);
		free(want);
	}
	free(b64);

	assert_int_equal(parse(json, &env, err, sizeof(err)), 0);
	assert_string_equal(env->payload_type, type);
	assert_int_equal(env->payload_len, 11);
	assert_memory_equal(env->payload, "hello world", 11);
	assert_int_equal(env->nsigs, 1);
	assert_string_equal(env->sigs[0].keyid, "ed25519:0123456789abcdef");
	assert_int_equal(dsse_verify(env, "ed25519:0123456789abcdef", pk), 0);
	/* other key id, other key */
	assert_int_equal(dsse_verify(env, "ed25519:0123456789abcdee", pk), -1);
	assert_int_equal(dsse_verify(env, "", pk), -1);
	assert_int_equal(dsse_verify(env, "ed25519:0123456789abcdef", pk2), -1);
	/* the signature covers the type and the body */
	env->payload[0] ^= 1;
	assert_int_equal(dsse_verify(env, "ed25519:0123456789abcdef", pk), -1);
	env->payload[0] ^= 1;
	env->payload_type[0] = 'H';
	assert_int_equal(dsse_verify(env, "ed25519:0123456789abcdef", pk), -1);
	dsse_envelope_free(env);
	dsse_envelope_free(NULL);
	free(json);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(sk2, sizeof(sk2));
}

/* Several signatures, repeated key ids, a missing key id. */
static void
test_multiple_signatures(void **state)
{
	uint8_t pk1[32], sk1[64], pk2[32], sk2[64], sig1[64], sig2[64];
	struct dsse_envelope *env = NULL;
	char err[200], *json, *b1, *b2;
	uint8_t *pae;
	size_t n;

	(void)state;
	fixed_key(pk1, sk1, 1);
	fixed_key(pk2, sk2, 2);
	pae = dsse_pae("t", (const uint8_t *)"act", 3, &n);
	crypto_sign_detached(sig1, NULL, pae, n, sk1);
	crypto_sign_detached(sig2, NULL, pae, n, sk2);
	free(pae);
	b1 = enc_b64_new(sig1, 64);
	b2 = enc_b64_new(sig2, 64);
	json = xasprintf("{\"payloadType\":\"t\",\"payload\":\"YWN0\","
	                 "\"signatures\":[{\"keyid\":\"a\",\"sig\":\"" SIG0
	                 "\"},{\"keyid\":\"a\",\"sig\":\"%s\"},"
	                 "{\"sig\":\"%s\"}]}",
	                 b1, b2);
	assert_int_equal(parse(json, &env, err, sizeof(err)), 0);
	assert_int_equal(env->nsigs, 3);
	/* a bad signature under the same key id does not hide a good one */
	assert_int_equal(dsse_verify(env, "a", pk1), 0);
	assert_int_equal(dsse_verify(env, "a", pk2), -1);
	/* an absent keyid reads as "" */
	assert_string_equal(env->sigs[2].keyid, "");
	assert_int_equal(dsse_verify(env, "", pk2), 0);
	assert_int_equal(dsse_verify(env, "", pk1), -1);
	dsse_envelope_free(env);
	free(json);
	free(b1);
	free(b2);
	sodium_memzero(sk1, sizeof(sk1));
	sodium_memzero(sk2, sizeof(sk2));
}

static void
test_parse_rejects(void **state)
{
	static const struct {
		const char *json;
		const char *err;
	} bad[] = {
	    {"[]", "not an object"},
	    {"{", "malformed JSON"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"" SIG0 "\"}]} x",
	     "malformed JSON"},
	    {"{\"payloadType\":\"t\",\"payloadType\":\"t\"}", "malformed JSON"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"" SIG0 "\"}],\"x\":1}",
	     "envelope: unexpected field \"x\""},
	    {"{\"payload\":\"\",\"signatures\":[]}", "payloadType"},
	    {"{\"payloadType\":\"\",\"payload\":\"\",\"signatures\":[]}",
	     "payloadType"},
	    {"{\"payloadType\":1,\"payload\":\"\",\"signatures\":[]}",
	     "payloadType"},
	    {"{\"payloadType\":\"t\",\"signatures\":[]}", "payload: missing"},
	    {"{\"payloadType\":\"t\",\"payload\":\"YWN0=\","
	     "\"signatures\":[]}",
	     "payload: not base64"},
	    {"{\"payloadType\":\"t\",\"payload\":\"YW\","
	     "\"signatures\":[]}",
	     "payload: not base64"},
	    /* one alphabet per string */
	    {"{\"payloadType\":\"t\",\"payload\":\"-_+/\","
	     "\"signatures\":[]}",
	     "payload: not base64"},
	    /* regression: libsodium 1.0.18 reads bytes >= 0x80 as '/' */
	    {"{\"payloadType\":\"t\",\"payload\":\"YW\xc3\xa9\","
	     "\"signatures\":[]}",
	     "payload: not base64"},
	    {"{\"payloadType\":\"t\",\"payload\":\"YW N0\","
	     "\"signatures\":[]}",
	     "payload: not base64"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[]}",
	     "signatures: not an array of 1 to 8"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":{}}",
	     "signatures: not an array"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[1]}",
	     "signatures[0]: not an object"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{}]}",
	     "signatures[0].sig"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"" SIG0 "\",\"cert\":\"x\"}]}",
	     "signatures[0]: unexpected field \"cert\""},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"" SIG0 "\",\"keyid\":5}]}",
	     "signatures[0].keyid"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"AAAA\"}]}",
	     "signatures[0].sig: not 64 bytes"},
	    {"{\"payloadType\":\"t\",\"payload\":\"\",\"signatures\":[{\"sig\":"
	     "\"" SIG0 "\"},{\"sig\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}]}",
	     "signatures[1].sig: not 64 bytes"},
	    {"{\"payloadType\":\"t\\u0000\",\"payload\":\"\","
	     "\"signatures\":[]}",
	     "malformed JSON"},
	};
	struct dsse_envelope *env = NULL;
	char err[200];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(parse(bad[i].json, &env, err, sizeof(err)),
		                 -1);
		assert_null(env);
		if (strstr(err, bad[i].err) == NULL)
			print_error("%zu: got \"%s\"\n", i, err);
		assert_non_null(strstr(err, bad[i].err));
	}
}

/* The caps, exactly at and one past each limit. */
static void
test_parse_caps(void **state)
{
	struct dsse_envelope *env = NULL;
	char err[200], type[DSSE_MAX_TYPE + 2], keyid[DSSE_MAX_KEYID + 2];
	char *json, *sigs, *b64;
	uint8_t *payload;
	size_t i, k;

	(void)state;
	/* payload type, keyid */
	for (k = 0; k < 2; k++) {
		memset(type, 't', sizeof(type));
		type[DSSE_MAX_TYPE + k] = '\0';
		memset(keyid, 'k', sizeof(keyid));
		keyid[DSSE_MAX_KEYID] = '\0';
		json = xasprintf("{\"payloadType\":\"%s\",\"payload\":\"\","
		                 "\"signatures\":[{\"keyid\":\"%s\",\"sig\":"
		                 "\"" SIG0 "\"}]}",
		                 type, keyid);
		assert_int_equal(parse(json, &env, err, sizeof(err)),
		                 k ? -1 : 0);
		if (k == 0)
			assert_string_equal(env->sigs[0].keyid, keyid);
		dsse_envelope_free(env);
		free(json);
		memset(type, 't', sizeof(type));
		type[1] = '\0';
		memset(keyid, 'k', sizeof(keyid));
		keyid[DSSE_MAX_KEYID + k] = '\0';
		json = xasprintf("{\"payloadType\":\"%s\",\"payload\":\"\","
		                 "\"signatures\":[{\"keyid\":\"%s\",\"sig\":"
		                 "\"" SIG0 "\"}]}",
		                 type, keyid);
		assert_int_equal(parse(json, &env, err, sizeof(err)),
		                 k ? -1 : 0);
		dsse_envelope_free(env);
		free(json);
	}
	/* 8 signatures, then 9 */
	for (k = 8; k <= 9; k++) {
		sigs = xstrdup("");
		for (i = 0; i < k; i++) {
			char *t = xasprintf("%s%s{\"sig\":\"" SIG0 "\"}", sigs,
			                    i ? "," : "");

			free(sigs);
			sigs = t;
		}
		json = xasprintf("{\"payloadType\":\"t\",\"payload\":\"\","
		                 "\"signatures\":[%s]}",
		                 sigs);
		assert_int_equal(parse(json, &env, err, sizeof(err)),
		                 k == 8 ? 0 : -1);
		if (k == 8)
			assert_int_equal(env->nsigs, 8);
		dsse_envelope_free(env);
		env = NULL;
		free(json);
		free(sigs);
	}
	/* a payload of 1 MiB, then one byte more */
	payload = xcalloc(DSSE_MAX_PAYLOAD + 1, 1);
	for (k = 0; k < 2; k++) {
		b64 = enc_b64_new(payload, DSSE_MAX_PAYLOAD + k);
		json = xasprintf("{\"payloadType\":\"t\",\"payload\":\"%s\","
		                 "\"signatures\":[{\"sig\":\"" SIG0 "\"}]}",
		                 b64);
		assert_int_equal(parse(json, &env, err, sizeof(err)),
		                 k ? -1 : 0);
		if (k == 0)
			assert_int_equal(env->payload_len, DSSE_MAX_PAYLOAD);
		else
			assert_non_null(strstr(err, "payload"));
		dsse_envelope_free(env);
		env = NULL;
		free(json);
		free(b64);
	}
	free(payload);
	/* the text itself */
	json = xmalloc(DSSE_MAX_JSON_LEN + 1);
	memset(json, ' ', DSSE_MAX_JSON_LEN + 1);
	assert_int_equal(
	    dsse_parse(json, DSSE_MAX_JSON_LEN + 1, &env, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "larger than"));
	free(json);
}

static void
test_sign_refusals(void **state)
{
	uint8_t pk[32], sk[64];
	char keyid[DSSE_MAX_KEYID + 2], type[DSSE_MAX_TYPE + 2];
	uint8_t *big;
	json_t *j;

	(void)state;
	fixed_key(pk, sk, 3);
	memset(keyid, 'k', sizeof(keyid));
	keyid[DSSE_MAX_KEYID + 1] = '\0';
	memset(type, 't', sizeof(type));
	type[DSSE_MAX_TYPE + 1] = '\0';
	assert_null(dsse_sign("t", (const uint8_t *)"x", 1, keyid, sk));
	assert_null(dsse_sign(type, (const uint8_t *)"x", 1, "k", sk));
	assert_null(dsse_sign("", (const uint8_t *)"x", 1, "k", sk));
	assert_null(dsse_sign("\xff", (const uint8_t *)"x", 1, "k", sk));
	assert_null(dsse_sign("t", (const uint8_t *)"x", 1, "\xc0\xaf", sk));
	big = xcalloc(DSSE_MAX_PAYLOAD + 1, 1);
	assert_null(dsse_sign("t", big, DSSE_MAX_PAYLOAD + 1, "k", sk));
	j = dsse_sign("t", big, DSSE_MAX_PAYLOAD, "k", sk);
	assert_non_null(j);
	json_decref(j);
	free(big);
	/* a spliced secret key (pitfall §4.3) is never used */
	sk[33] ^= 1;
	assert_null(dsse_sign("t", (const uint8_t *)"x", 1, "k", sk));
	sodium_memzero(sk, sizeof(sk));
}

/*
 * secure-systems-lab/dsse testvectors/vectors.json (tests/vectors/dsse):
 * each envelope, the keys a verifier trusts, a threshold of distinct
 * trusted keys and the payload types it supports.  The policy (threshold,
 * types) is the caller's; this is how a caller applies it.
 */
static void
test_dsse_vectors(void **state)
{
	char path[512], err[200], *text, *pae_hex;
	json_t *root, *keys, *vecs, *v;
	json_error_t je;
	size_t i, n, plen;
	unsigned accepted = 0, rejected = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/dsse/vectors.json", VECTORS_DIR);
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	assert_non_null(root);
	keys = json_object_get(root, "keys");
	vecs = json_object_get(root, "vectors");
	assert_int_equal(json_array_size(vecs), 9);
	json_array_foreach(vecs, i, v)
	{
		struct dsse_envelope *env = NULL;
		const char *expect = jsonx_str(v, "expect");
		json_t *trusted = json_object_get(v, "trustedKeys"), *k, *t;
		size_t j, count = 0;
		int supported = 0, ok;
		uint8_t *pae;

		text = jsonx_dump(json_object_get(v, "envelope"), &n);
		if (parse(text, &env, err, sizeof(err)) == 0) {
			pae = dsse_pae(env->payload_type, env->payload,
			               env->payload_len, &plen);
			pae_hex = enc_hex_new(pae, plen);
			/* "pae" is what the signatures cover, which a
			 * rejected envelope may not match */
			if (strcmp(expect, "accept") == 0)
				assert_string_equal(pae_hex,
				                    jsonx_str(v, "pae"));
			free(pae_hex);
			free(pae);
			json_array_foreach(
			    json_object_get(v, "supportedPayloadTypes"), j, t)
			{
				if (strcmp(json_string_value(t),
				           env->payload_type) == 0)
					supported = 1;
			}
			/* distinct trusted keys with a valid signature,
			 * named by their keyid or by none */
			json_array_foreach(trusted, j, k)
			{
				const char *name = json_string_value(k);
				uint8_t pk[32];

				assert_int_equal(
				    enc_hex_decode(
				        jsonx_str(json_object_get(keys, name),
				                  "public"),
				        pk, 32),
				    0);
				if (dsse_verify(env, name, pk) == 0 ||
				    dsse_verify(env, "", pk) == 0)
					count++;
			}
		} else {
			/* only the empty payload type, refused by design */
			assert_string_equal(jsonx_str(v, "id"),
			                    "empty-payload-type");
			assert_non_null(strstr(err, "payloadType"));
		}
		ok = env != NULL && supported &&
		     count >= (size_t)jsonx_int(v, "threshold", 99);
		if (ok != (strcmp(expect, "accept") == 0))
			print_error("vector %s: got %d\n", jsonx_str(v, "id"),
			            ok);
		assert_int_equal(ok, strcmp(expect, "accept") == 0);
		if (ok)
			accepted++;
		else
			rejected++;
		dsse_envelope_free(env);
		free(text);
	}
	assert_int_equal(accepted, 6);
	assert_int_equal(rejected, 3);
	json_decref(root);
}

/* The general path: jansson's reading, then dsse_from_json. */
static int
parse_general(const char *json, size_t len, struct dsse_envelope **env)
{
	json_t *root = NULL;
	char err[256];
	int rc;

	*env = NULL;
	if (jsonx_parse(json, len, 3, &root, err, sizeof(err)) != 0)
		return -1;
	rc = dsse_from_json(root, env, err, sizeof(err));
	json_decref(root);
	return rc;
}

/*
 * dsse_parse reads the log's canonical form without a JSON parser; on
 * signed envelopes and on mutations of them (a character changed, cut
 * short) it must agree with the general path, field for field.
 */
static void
test_parse_canonical_agrees(void **state)
{
	static const char swap[] = "Aa0+/=_.:-\"\\{}[],: \x01\xc3\xff";
	uint8_t pk[32], sk[64], payload[64];
	int fast = 0;

	(void)state;
	fixed_key(pk, sk, 9);
	for (int round = 0; round < 20000; round++) {
		size_t plen = randombytes_uniform(sizeof(payload) + 1), len;
		json_t *j;
		char *json;
		struct dsse_envelope *a = NULL, *b = NULL;
		char err[256];
		int ra, rb;

		randombytes_buf(payload, plen);
		j = dsse_sign(
		    round % 3 ? "application/vnd.detente.act.v1+json" : "t",
		    payload, plen, round % 5 ? "ed25519:0123" : "", sk);
		assert_non_null(j);
		json = jsonx_dump(j, &len);
		json_decref(j);
		if (round % 4 == 1)
			json[randombytes_uniform((uint32_t)len)] =
			    swap[randombytes_uniform(sizeof(swap) - 1)];
		else if (round % 4 == 2)
			len = randombytes_uniform((uint32_t)len);
		ra = dsse_parse(json, len, &a, err, sizeof(err));
		rb = parse_general(json, len, &b);
		assert_int_equal(ra, rb);
		if (ra == 0) {
			assert_int_equal(a->nsigs, b->nsigs);
			assert_int_equal(a->payload_len, b->payload_len);
			assert_memory_equal(a->payload, b->payload,
			                    a->payload_len);
			assert_string_equal(a->payload_type, b->payload_type);
			assert_memory_equal(a->sigs, b->sigs,
			                    a->nsigs * sizeof(a->sigs[0]));
			fast += round % 4 == 0 || round % 4 == 3;
		}
		dsse_envelope_free(a);
		dsse_envelope_free(b);
		free(json);
	}
	assert_int_equal(fast, 10000); /* every unchanged envelope parses */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pae),
	    cmocka_unit_test(test_sign_verify),
	    cmocka_unit_test(test_multiple_signatures),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_parse_caps),
	    cmocka_unit_test(test_sign_refusals),
	    cmocka_unit_test(test_dsse_vectors),
	    cmocka_unit_test(test_parse_canonical_agrees),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
