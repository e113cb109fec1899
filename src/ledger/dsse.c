#include "ledger/dsse.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "ledger/b64.h"
#include "ledger/keys.h"

uint8_t *
dsse_pae(const char *type, const uint8_t *body, size_t bodylen, size_t *len)
{
	size_t tlen = strlen(type);
	char head[64];
	char mid[32];
	int hn, mn;
	uint8_t *p;

	hn = snprintf(head, sizeof(head), "DSSEv1 %zu ", tlen);
	mn = snprintf(mid, sizeof(mid), " %zu ", bodylen);
	if (hn < 0 || (size_t)hn >= sizeof(head) || mn < 0 ||
	    (size_t)mn >= sizeof(mid))
		abort(); /* cannot happen: two size_t in decimal */
	*len = (size_t)hn + tlen + (size_t)mn + bodylen;
	p = xmalloc(*len ? *len : 1);
	memcpy(p, head, (size_t)hn);
	memcpy(p + hn, type, tlen);
	memcpy(p + hn + tlen, mid, (size_t)mn);
	if (bodylen > 0)
		memcpy(p + hn + tlen + mn, body, bodylen);
	return p;
}

/* Returns 0 if type is a payload type within the caps, else -1. */
static int
type_valid(const char *type)
{
	size_t n = strlen(type);

	return n > 0 && n <= DSSE_MAX_TYPE ? 0 : -1;
}

json_t *
dsse_sign(const char *payload_type, const uint8_t *payload, size_t len,
          const char *keyid, const uint8_t sk[64])
{
	uint8_t sig[DSSE_SIG_LEN];
	uint8_t *pae;
	size_t plen;
	char *b64p, *b64s;
	json_t *env;

	if (type_valid(payload_type) != 0 || len > DSSE_MAX_PAYLOAD ||
	    strlen(keyid) > DSSE_MAX_KEYID || keys_check_secret(sk) != 0)
		return NULL;
	pae = dsse_pae(payload_type, payload, len, &plen);
	crypto_sign_detached(sig, NULL, pae, plen, sk);
	free(pae);
	b64p = enc_b64_new(payload, len);
	b64s = enc_b64_new(sig, sizeof(sig));
	env = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payloadType",
	                payload_type, "payload", b64p, "signatures", "keyid",
	                keyid, "sig", b64s);
	free(b64p);
	free(b64s);
	return env; /* NULL if payload_type or keyid is not UTF-8 */
}

void
dsse_envelope_free(struct dsse_envelope *env)
{
	if (env == NULL)
		return;
	free(env->payload_type);
	free(env->payload);
	free(env);
}

/* Returns 0 if obj has no key outside the NULL-terminated list, else -1. */
static int
only_keys(const json_t *obj, const char *const *allowed, const char *where,
          char *err, size_t errlen)
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
			snprintf(err, errlen, "%s: unexpected field \"%.40s\"",
			         where, key);
			return -1;
		}
	}
	return 0;
}

/* Fills s from the signature object v (number i).  Returns 0 or -1. */
static int
parse_sig(const json_t *v, size_t i, struct dsse_sig *s, char *err,
          size_t errlen)
{
	static const char *const allowed[] = {"keyid", "sig", NULL};
	char where[48];
	json_t *k, *sig;

	snprintf(where, sizeof(where), "signatures[%zu]", i);
	if (!json_is_object(v)) {
		snprintf(err, errlen, "%s: not an object", where);
		return -1;
	}
	if (only_keys(v, allowed, where, err, errlen) != 0)
		return -1;
	k = json_object_get(v, "keyid");
	if (k != NULL) {
		if (!json_is_string(k) ||
		    json_string_length(k) > DSSE_MAX_KEYID) {
			snprintf(err, errlen,
			         "%s.keyid: not a string of at most %d bytes",
			         where, DSSE_MAX_KEYID);
			return -1;
		}
		memcpy(s->keyid, json_string_value(k), json_string_length(k));
	}
	sig = json_object_get(v, "sig");
	if (!json_is_string(sig) ||
	    ledger_b64_exact_any(json_string_value(sig),
	                         json_string_length(sig), s->sig,
	                         DSSE_SIG_LEN) != 0) {
		snprintf(err, errlen, "%s.sig: not 64 bytes of base64", where);
		return -1;
	}
	return 0;
}

int
dsse_from_json(const json_t *root, struct dsse_envelope **out, char *err,
               size_t errlen)
{
	static const char *const allowed[] = {"payloadType", "payload",
	                                      "signatures", NULL};
	struct dsse_envelope *env = NULL;
	const json_t *t, *p, *sigs, *v;
	size_t i, plen = 0;
	uint8_t *payload = NULL;
	int rc = -1;

	*out = NULL;
	if (!json_is_object(root)) {
		snprintf(err, errlen, "envelope is not an object");
		goto out;
	}
	if (only_keys(root, allowed, "envelope", err, errlen) != 0)
		goto out;
	t = json_object_get(root, "payloadType");
	if (!json_is_string(t) || json_string_length(t) == 0 ||
	    json_string_length(t) > DSSE_MAX_TYPE) {
		snprintf(err, errlen,
		         "payloadType: not a string of 1 to %d bytes",
		         DSSE_MAX_TYPE);
		goto out;
	}
	p = json_object_get(root, "payload");
	if (!json_is_string(p)) {
		snprintf(err, errlen, "payload: missing or not a string");
		goto out;
	}
	if (ledger_b64_decode_new_any(json_string_value(p),
	                              json_string_length(p), DSSE_MAX_PAYLOAD,
	                              &payload, &plen) != 0) {
		snprintf(err, errlen, "payload: not base64 of at most %d bytes",
		         DSSE_MAX_PAYLOAD);
		goto out;
	}
	sigs = json_object_get(root, "signatures");
	if (!json_is_array(sigs) || json_array_size(sigs) == 0 ||
	    json_array_size(sigs) > DSSE_MAX_SIGS) {
		snprintf(err, errlen,
		         "signatures: not an array of 1 to %d signatures",
		         DSSE_MAX_SIGS);
		goto out;
	}
	env = xcalloc(1, sizeof(*env));
	json_array_foreach(sigs, i, v)
	{
		if (parse_sig(v, i, &env->sigs[i], err, errlen) != 0)
			goto out;
	}
	env->nsigs = json_array_size(sigs);
	env->payload_type = xstrdup(json_string_value(t));
	env->payload = payload;
	env->payload_len = plen;
	payload = NULL;
	*out = env;
	env = NULL;
	rc = 0;
out:
	free(payload);
	dsse_envelope_free(env);
	return rc;
}

/* Whether c may stand in a JSON string as itself, and in base64, key ids
 * and media types: what the canonical form below allows in a string. */
static bool
plain_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=' ||
	       c == '_' || c == '.' || c == ':' || c == '-';
}

/*
 * Expects the literal lit at *p, then a string of plain characters up to
 * the next '"'; returns that string's start and sets *n and *p (past the
 * '"'), or NULL.
 */
static const char *
expect(const char **p, const char *end, const char *lit, size_t *n)
{
	size_t l = strlen(lit);
	const char *s, *q;

	if ((size_t)(end - *p) < l || memcmp(*p, lit, l) != 0)
		return NULL;
	s = q = *p + l;
	while (q < end && plain_char(*q))
		q++;
	if (q == end || *q != '"')
		return NULL;
	*n = (size_t)(q - s);
	*p = q + 1;
	return s;
}

/*
 * The form the log stores its entries in (keys sorted, compact, one
 * signature, no escapes): read without a JSON parser, which is most of
 * the cost of parsing an entry.  Returns the envelope, or NULL when json
 * is not in that form or its content is refused, and the general parser
 * decides (and explains).  For input in this form both read the same
 * strings, so they agree; test_dsse and fuzz_dsse check it.
 */
static struct dsse_envelope *
parse_canonical(const char *json, size_t len)
{
	const char *p = json, *end = json + len, *pl, *ty, *kid, *sig;
	size_t npl, nty, nkid, nsig;
	struct dsse_envelope *env;
	uint8_t *payload = NULL;
	size_t plen = 0, got = 0;

	if ((pl = expect(&p, end, "{\"payload\":\"", &npl)) == NULL ||
	    (ty = expect(&p, end, ",\"payloadType\":\"", &nty)) == NULL ||
	    (kid = expect(&p, end, ",\"signatures\":[{\"keyid\":\"", &nkid)) ==
	        NULL ||
	    (sig = expect(&p, end, ",\"sig\":\"", &nsig)) == NULL ||
	    (size_t)(end - p) != 3 || memcmp(p, "}]}", 3) != 0)
		return NULL;
	if (nty == 0 || nty > DSSE_MAX_TYPE || nkid > DSSE_MAX_KEYID ||
	    ledger_b64_decode_new_any(pl, npl, DSSE_MAX_PAYLOAD, &payload,
	                              &plen) != 0)
		return NULL;
	env = xcalloc(1, sizeof(*env));
	if (nsig != (DSSE_SIG_LEN + 2) / 3 * 4 ||
	    enc_b64_decode_public(sig, nsig, true, env->sigs[0].sig,
	                          DSSE_SIG_LEN, &got) != 0 ||
	    got != DSSE_SIG_LEN) {
		free(payload);
		free(env);
		return NULL;
	}
	memcpy(env->sigs[0].keyid, kid, nkid);
	env->nsigs = 1;
	env->payload_type = xmemdup(ty, nty + 1);
	env->payload_type[nty] = '\0';
	env->payload = payload;
	env->payload_len = plen;
	return env;
}

int
dsse_parse(const char *json, size_t len, struct dsse_envelope **out, char *err,
           size_t errlen)
{
	json_t *root = NULL;
	int rc;

	*out = NULL;
	if (len > DSSE_MAX_JSON_LEN) {
		snprintf(err, errlen, "envelope larger than %d bytes",
		         DSSE_MAX_JSON_LEN);
		return -1;
	}
	if ((*out = parse_canonical(json, len)) != NULL)
		return 0;
	if (jsonx_parse(json, len, 3, &root, err, errlen) != 0)
		return -1;
	rc = dsse_from_json(root, out, err, errlen);
	json_decref(root);
	return rc;
}

int
dsse_verify(const struct dsse_envelope *env, const char *keyid,
            const uint8_t pk[32])
{
	uint8_t *pae = NULL;
	size_t plen = 0, i;
	int rc = -1;

	for (i = 0; i < env->nsigs && rc != 0; i++) {
		if (strcmp(env->sigs[i].keyid, keyid) != 0)
			continue;
		if (pae == NULL)
			pae = dsse_pae(env->payload_type, env->payload,
			               env->payload_len, &plen);
		if (crypto_sign_verify_detached(env->sigs[i].sig, pae, plen,
		                                pk) == 0)
			rc = 0;
	}
	free(pae);
	return rc;
}
