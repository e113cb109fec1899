/*
 * libFuzzer harness for proofjson (both shapes) and the verifiers behind
 * it.  Invariants: accepted proofs hold at most MERKLE_MAX_PROOF hashes and
 * sizes that fit 63 bits; a proof that verifies respects the edge-case rules
 * of merkle.h.
 */
#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "fuzz_common.h"
#include "ledger/proofjson.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proofjson_inclusion in;
	struct proofjson_consistency co;
	uint8_t empty[MERKLE_HASH_LEN];
	char err[256];

	merkle_empty_root(empty);
	if (proofjson_parse_inclusion((const char *)data, size, &in, err,
	                              sizeof(err)) == 0) {
		CHECK(in.len <= MERKLE_MAX_PROOF);
		CHECK(in.index <= MERKLE_MAX_SIZE &&
		      in.size <= MERKLE_MAX_SIZE);
		if (proofjson_verify_inclusion(&in) == 0) {
			CHECK(in.index < in.size);
			CHECK(in.size > 1 || in.len == 0);
			if (in.size == 1)
				CHECK(memcmp(in.leaf, in.root,
				             MERKLE_HASH_LEN) == 0);
		}
	} else {
		CHECK(strlen(err) > 0);
	}
	if (proofjson_parse_consistency((const char *)data, size, &co, err,
	                                sizeof(err)) == 0) {
		CHECK(co.len <= MERKLE_MAX_PROOF);
		CHECK(co.size1 <= MERKLE_MAX_SIZE &&
		      co.size2 <= MERKLE_MAX_SIZE);
		if (proofjson_verify_consistency(&co) == 0) {
			CHECK(co.size1 <= co.size2);
			if (co.size1 == co.size2 || co.size1 == 0)
				CHECK(co.len == 0);
			if (co.size1 == co.size2)
				CHECK(memcmp(co.root1, co.root2,
				             MERKLE_HASH_LEN) == 0);
			if (co.size1 == 0)
				CHECK(memcmp(co.root1, empty,
				             MERKLE_HASH_LEN) == 0);
			if (co.size1 > 0 && co.size1 < co.size2)
				CHECK(co.len >= 1);
		}
	} else {
		CHECK(strlen(err) > 0);
	}
	return 0;
}
