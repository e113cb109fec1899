/*
 * Merkle proofs as JSON, in the shapes of the transparency-dev/merkle probe
 * corpus (testdata/{inclusion,consistency}), which is also what
 * `detente log verify-inclusion --json FILE` reads:
 *
 *   {"leafIdx": 0, "treeSize": 8, "root": "<b64>", "leafHash": "<b64>",
 *    "proof": ["<b64>", ...]}
 *   {"size1": 2, "size2": 5, "root1": "<b64>", "root2": "<b64>",
 *    "proof": ["<b64>", ...]}
 *
 * Parsing is strict: all the fields above are required; the only others
 * allowed are the corpus's "desc" (string) and "wantErr" (boolean), which
 * are ignored.  Sizes and indices are integers in [0, 2^63 - 1]; every hash
 * is padded standard base64 of exactly 32 bytes; "proof" may be null (an
 * empty proof, as Go writes a nil slice) and holds at most MERKLE_MAX_PROOF
 * hashes; the text is at most PROOFJSON_MAX_LEN bytes.  Parsing does not
 * verify: pass the struct to merkle_verify_*.
 */
#ifndef DETENTE_LEDGER_PROOFJSON_H
#define DETENTE_LEDGER_PROOFJSON_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/merkle.h"

#define PROOFJSON_MAX_LEN 65536

struct proofjson_inclusion {
	uint64_t index;
	uint64_t size;
	uint8_t root[MERKLE_HASH_LEN];
	uint8_t leaf[MERKLE_HASH_LEN];
	size_t len;
	uint8_t proof[MERKLE_MAX_PROOF][MERKLE_HASH_LEN];
};

struct proofjson_consistency {
	uint64_t size1;
	uint64_t size2;
	uint8_t root1[MERKLE_HASH_LEN];
	uint8_t root2[MERKLE_HASH_LEN];
	size_t len;
	uint8_t proof[MERKLE_MAX_PROOF][MERKLE_HASH_LEN];
};

/*
 * Parse len bytes of JSON into *out.  Return 0, or -1 with a one-line
 * reason in err (e.g. "root: not 32 bytes of base64"); *out is then
 * unspecified.
 */
__attribute__((warn_unused_result)) int
proofjson_parse_inclusion(const char *json, size_t len,
                          struct proofjson_inclusion *out, char *err,
                          size_t errlen);

__attribute__((warn_unused_result)) int
proofjson_parse_consistency(const char *json, size_t len,
                            struct proofjson_consistency *out, char *err,
                            size_t errlen);

/* Shorthands: verify a parsed proof.  Return 0 (valid) or -1. */
__attribute__((warn_unused_result)) int
proofjson_verify_inclusion(const struct proofjson_inclusion *p);
__attribute__((warn_unused_result)) int
proofjson_verify_consistency(const struct proofjson_consistency *p);

#endif
