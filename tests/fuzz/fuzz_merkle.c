/*
 * libFuzzer harness for proof production at any size up to 2^63 - 1, over a
 * tree of equal leaves (one hash per level, so any size costs nothing).
 * Invariants: every produced proof is within the caps and verifies against
 * merkle_root, unless it is the over-long consistency proof merkle.h
 * documents (to > 2^62), which the verifier refuses; flipping any bit of a
 * proof or root makes it fail.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "ledger/merkle.h"

static uint8_t level_hash[64][MERKLE_HASH_LEN];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	unsigned l;

	(void)argc;
	(void)argv;
	fuzz_init();
	merkle_leaf_hash((const uint8_t *)"leaf", 4, level_hash[0]);
	for (l = 1; l < 64; l++)
		merkle_node_hash(level_hash[l - 1], level_hash[l - 1],
		                 level_hash[l]);
	return 0;
}

/* ctx is the tree size; asking beyond it is a bug in the reader. */
static int
get(void *ctx, unsigned level, uint64_t index, uint8_t out[MERKLE_HASH_LEN])
{
	uint64_t limit = *(const uint64_t *)ctx;

	CHECK(level < 63 && index + 1 <= (limit >> level));
	memcpy(out, level_hash[level], MERKLE_HASH_LEN);
	return 0;
}

static uint64_t
take64(const uint8_t **p, size_t *n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < 8 && *n > 0; i++, (*p)++, (*n)--)
		v = v << 8 | **p;
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t proof[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint8_t root[MERKLE_HASH_LEN], root1[MERKLE_HASH_LEN];
	uint64_t a, b, flip;
	size_t len;

	a = take64(&data, &size) & MERKLE_MAX_SIZE;
	b = take64(&data, &size) & MERKLE_MAX_SIZE;
	flip = take64(&data, &size);
	if (a > b) {
		uint64_t t = a;

		a = b;
		b = t;
	}
	if (b == 0)
		return 0;
	CHECK(merkle_root(b, get, &b, root) == 0);

	/* inclusion of leaf a (a < b unless a == b) */
	if (a < b) {
		CHECK(merkle_inclusion_proof(a, b, get, &b, proof, &len) == 0);
		CHECK(len <= MERKLE_MAX_PROOF);
		CHECK(merkle_verify_inclusion(a, b, level_hash[0],
		                              (const uint8_t(*)[32])proof, len,
		                              root) == 0);
		if (len > 0) {
			proof[flip % len][(flip >> 8) % 32] ^=
			    (uint8_t)(1u << ((flip >> 16) % 8));
			CHECK(merkle_verify_inclusion(
			          a, b, level_hash[0],
			          (const uint8_t(*)[32])proof, len, root) != 0);
		}
	}

	/* consistency from a to b */
	CHECK(merkle_root(a, get, &a, root1) == 0);
	CHECK(merkle_consistency_proof(a, b, get, &b, proof, &len) == 0);
	CHECK(len <= MERKLE_MAX_PROOF + 1);
	if (len > MERKLE_MAX_PROOF) {
		CHECK(b > ((uint64_t)1 << 62));
		CHECK(merkle_verify_consistency(a, b, root1, root,
		                                (const uint8_t(*)[32])proof,
		                                len) != 0);
		return 0;
	}
	CHECK(merkle_verify_consistency(a, b, root1, root,
	                                (const uint8_t(*)[32])proof, len) == 0);
	if (len > 0) {
		proof[flip % len][(flip >> 8) % 32] ^=
		    (uint8_t)(1u << ((flip >> 16) % 8));
		CHECK(merkle_verify_consistency(a, b, root1, root,
		                                (const uint8_t(*)[32])proof,
		                                len) != 0);
	}
	return 0;
}
