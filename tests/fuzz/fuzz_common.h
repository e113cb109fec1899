/*
 * Shared by the libFuzzer harnesses: invariant checks that survive NDEBUG,
 * and the fixed keys the seed corpora are signed with.
 */
#ifndef DETENTE_FUZZ_COMMON_H
#define DETENTE_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledger/keys.h"

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

#define FUZZ_LOG_NAME     "fuzz.example/log"
#define FUZZ_WITNESS_NAME "fuzz.example/witness"
#define FUZZ_DSSE_KEYID   "ed25519:fuzz"
#define FUZZ_LOG_SEED     0x42
#define FUZZ_WITNESS_SEED 0x57

/* The key pair whose seed is 32 bytes of `fill`. */
static inline void
fuzz_key(uint8_t fill, uint8_t pk[32], uint8_t sk[64])
{
	uint8_t seed[32];

	memset(seed, fill, sizeof(seed));
	keys_from_seed(seed, pk, sk);
}

static inline void
fuzz_init(void)
{
	CHECK(sodium_init() >= 0);
}

#endif
