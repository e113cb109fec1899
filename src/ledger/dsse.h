/*
 * DSSE envelopes (github.com/secure-systems-lab/dsse, v1.0) signed with
 * Ed25519:
 *
 *   {"payloadType": "<type>", "payload": "<base64(body)>",
 *    "signatures": [{"keyid": "<id>", "sig": "<base64(64 bytes)>"}]}
 *
 * Each signature is over PAE(type, body) =
 *   "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body
 * with LEN the decimal ASCII byte length and SP one space.
 *
 * dsse_parse is stricter than the DSSE text on one point, on purpose (an
 * envelope is input from outside): only the fields above are allowed (DSSE
 * says consumers MUST ignore unknown fields; Détente refuses them).
 * payload and sig are padded base64 in the standard or, as DSSE allows, the
 * URL-safe alphabet (one per string); dsse_sign writes standard.  The
 * payload is at most DSSE_MAX_PAYLOAD bytes, the type 1..DSSE_MAX_TYPE
 * bytes (an empty type, which DSSE permits, is refused), there are
 * 1..DSSE_MAX_SIGS signatures, each sig exactly 64 bytes.  keyid, an
 * unauthenticated hint, may be absent (read as "", as DSSE requires) and is
 * at most DSSE_MAX_KEYID bytes.
 *
 * Which keys and how many must sign (a threshold of distinct trusted keys)
 * is the caller's policy: dsse_verify answers for one key at a time.
 */
#ifndef DETENTE_LEDGER_DSSE_H
#define DETENTE_LEDGER_DSSE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define DSSE_MAX_PAYLOAD  (1 << 20)
#define DSSE_MAX_TYPE     256
#define DSSE_MAX_SIGS     8
#define DSSE_MAX_KEYID    128
#define DSSE_SIG_LEN      64
#define DSSE_MAX_JSON_LEN (2 * DSSE_MAX_PAYLOAD)

struct dsse_sig {
	char keyid[DSSE_MAX_KEYID + 1];
	uint8_t sig[DSSE_SIG_LEN];
};

struct dsse_envelope {
	char *payload_type; /* NUL-terminated, no NUL inside */
	uint8_t *payload;
	size_t payload_len;
	size_t nsigs;
	struct dsse_sig sigs[DSSE_MAX_SIGS];
};

/*
 * Returns PAE(type, body), to free, with its length in *len.  Exposed for
 * tests and for callers that sign elsewhere.
 */
uint8_t *dsse_pae(const char *type, const uint8_t *body, size_t bodylen,
                  size_t *len);

/*
 * Signs (payload_type, payload) with sk and returns the envelope (one
 * signature named keyid), a new reference.  NULL if the type, payload or
 * keyid break the caps above, the type or keyid is not valid UTF-8, or sk
 * fails keys_check_secret.
 */
__attribute__((warn_unused_result)) json_t *
dsse_sign(const char *payload_type, const uint8_t *payload, size_t len,
          const char *keyid, const uint8_t sk[64]);

/*
 * Parses len bytes of JSON into a new envelope (*out, free with
 * dsse_envelope_free).  Returns 0, or -1 with *out NULL and a one-line
 * reason in err.
 */
__attribute__((warn_unused_result)) int dsse_parse(const char *json, size_t len,
                                                   struct dsse_envelope **out,
                                                   char *err, size_t errlen);

/*
 * The same checks on an envelope already parsed (a member of a larger
 * document): root must be the envelope object.
 */
__attribute__((warn_unused_result)) int
dsse_from_json(const json_t *root, struct dsse_envelope **out, char *err,
               size_t errlen);

/*
 * Returns 0 if at least one signature of env whose keyid equals keyid
 * verifies with pk over PAE, else -1.  Signatures with other keyids are
 * not looked at.
 */
__attribute__((warn_unused_result)) int
dsse_verify(const struct dsse_envelope *env, const char *keyid,
            const uint8_t pk[32]);

/* NULL-safe. */
void dsse_envelope_free(struct dsse_envelope *env);

#endif
