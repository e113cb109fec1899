/*
 * gen_acts KEYFILE N [START] > envelopes.jsonl
 *
 * Writes N distinct party-signed act envelopes, one per line, signed with
 * the user key in KEYFILE (as `detente key gen` writes it).  Each act is
 * built exactly as src/cli/key.c's sign_act builds it:
 *
 *   {v: 1, type: "party.register", time: now (RFC 3339, ms, Z),
 *    party: "USA", user: "benchop", salt: 16 random bytes in base64,
 *    tlp: "TLP:CLEAR",
 *    body: {code: "B-%08d", name: "Bench %d", kind: "organisation",
 *           sources: [{title: "bench"}]}}
 *
 * serialised with jsonx_dump and wrapped with dsse_sign(ACTS_PAYLOAD_TYPE,
 * payload, keys_id(pk), sk).  Codes run from START (default 1).  The party
 * and user can be changed with $BENCH_PARTY and $BENCH_USER.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "core/acts.h"
#include "core/policy.h"
#include "ledger/dsse.h"
#include "ledger/keys.h"
#include "ledger/note.h"

int
main(int argc, char **argv)
{
	char name[NOTE_NAME_MAX + 1];
	uint8_t sk[KEYS_SK_LEN];
	const char *party =
	    getenv("BENCH_PARTY") ? getenv("BENCH_PARTY") : "USA";
	const char *user =
	    getenv("BENCH_USER") ? getenv("BENCH_USER") : "benchop";
	const struct act_type *t = acts_find("party.register");
	enum keys_err ke;
	char *keyid;
	long n, start = 1;

	if (argc < 3 || argc > 4) {
		fputs("usage: gen_acts KEYFILE N [START]\n", stderr);
		return 2;
	}
	n = strtol(argv[2], NULL, 10);
	if (argc == 4)
		start = strtol(argv[3], NULL, 10);
	if (n < 1 || start < 0 || start + n > 100000000L || t == NULL) {
		fputs("gen_acts: bad N or START\n", stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	ke = keys_load_secret(argv[1], name, sk);
	if (ke != KEYS_OK) {
		fprintf(stderr, "gen_acts: %s: %s\n", argv[1],
		        keys_strerror(ke));
		return 1;
	}
	keyid = keys_id(sk + 32);
	for (long i = start; i < start + n; i++) {
		char when[TIME_RFC3339_LEN], code[32], nm[32];
		uint8_t salt[16];
		char *salt_b64, *payload, *line;
		size_t plen, llen;
		json_t *body, *act, *env;

		snprintf(code, sizeof(code), "B-%08ld", i);
		snprintf(nm, sizeof(nm), "Bench %ld", i);
		body = json_pack("{s:s,s:s,s:s,s:[{s:s}]}", "code", code,
		                 "name", nm, "kind", "organisation", "sources",
		                 "title", "bench");
		randombytes_buf(salt, sizeof(salt));
		salt_b64 = enc_b64_new(salt, sizeof(salt));
		time_format_ms(time_now_ms(), when);
		act = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o}", "v", 1,
		                "type", t->name, "time", when, "party", party,
		                "user", user, "salt", salt_b64, "tlp",
		                policy_tlp_name(t->tlp), "body", body);
		free(salt_b64);
		if (act == NULL)
			return 1;
		payload = jsonx_dump(act, &plen);
		json_decref(act);
		env = dsse_sign(ACTS_PAYLOAD_TYPE, (const uint8_t *)payload,
		                plen, keyid, sk);
		free(payload);
		if (env == NULL) {
			fputs("gen_acts: dsse_sign failed\n", stderr);
			return 1;
		}
		line = jsonx_dump(env, &llen);
		json_decref(env);
		if (fwrite(line, 1, llen, stdout) != llen ||
		    putchar('\n') == EOF) {
			free(line);
			return 1;
		}
		free(line);
	}
	sodium_memzero(sk, sizeof(sk));
	free(keyid);
	return fflush(stdout) == 0 ? 0 : 1;
}
