#include "ledger/merkle.h"

#include <assert.h>
#include <string.h>

#include <sodium.h>

void
merkle_leaf_hash(const uint8_t *entry, size_t len, uint8_t out[MERKLE_HASH_LEN])
{
	crypto_hash_sha256_state st;
	const uint8_t prefix = 0x00;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	if (len > 0)
		crypto_hash_sha256_update(&st, entry, len);
	crypto_hash_sha256_final(&st, out);
}

void
merkle_node_hash(const uint8_t l[MERKLE_HASH_LEN],
                 const uint8_t r[MERKLE_HASH_LEN], uint8_t out[MERKLE_HASH_LEN])
{
	/* Both inputs are copied before out is written: out may alias. */
	uint8_t in[1 + 2 * MERKLE_HASH_LEN];

	in[0] = 0x01;
	memcpy(in + 1, l, MERKLE_HASH_LEN);
	memcpy(in + 1 + MERKLE_HASH_LEN, r, MERKLE_HASH_LEN);
	crypto_hash_sha256(out, in, sizeof(in));
}

void
merkle_empty_root(uint8_t out[MERKLE_HASH_LEN])
{
	crypto_hash_sha256(out, NULL, 0);
}

/* 0 if a and b are equal hashes, -1 otherwise. */
static int
hash_eq(const uint8_t a[MERKLE_HASH_LEN], const uint8_t b[MERKLE_HASH_LEN])
{
	return sodium_memcmp(a, b, MERKLE_HASH_LEN) == 0 ? 0 : -1;
}

/* The largest power of two strictly below n; n must be at least 2. */
static uint64_t
split_point(uint64_t n)
{
	assert(n >= 2);
	return (uint64_t)1 << (63 - __builtin_clzll(n - 1));
}

/*
 * Writes MTH(D[lo:hi]) for a node of the tree: lo must be a multiple of the
 * smallest power of two >= hi - lo, which holds for every range the RFC 6962
 * recursion visits.  A complete subtree costs one get; a node on the right
 * edge of the tree is folded from the complete subtrees that make it up,
 * smallest (rightmost) first, one get per set bit of hi - lo.
 * Returns 0, or -1 if get failed.
 */
static int
range_hash(uint64_t lo, uint64_t hi, merkle_get_fn get, void *ctx,
           uint8_t out[MERKLE_HASH_LEN])
{
	uint64_t n = hi - lo;
	uint8_t h[MERKLE_HASH_LEN];
	int have = 0;
	unsigned b;

	assert(hi > lo);
	for (b = 0; b < 63; b++) {
		uint64_t bit = (uint64_t)1 << b;
		uint64_t start;

		if ((n & bit) == 0)
			continue;
		/* the subtree of this bit starts after all larger ones */
		start = lo + (n & ~((bit << 1) - 1));
		assert(start % bit == 0);
		if (get(ctx, b, start >> b, h) != 0)
			return -1;
		if (have)
			merkle_node_hash(h, out, out);
		else
			memcpy(out, h, MERKLE_HASH_LEN);
		have = 1;
	}
	return 0;
}

int
merkle_append(uint64_t index, const uint8_t leaf[MERKLE_HASH_LEN],
              merkle_get_fn get, merkle_put_fn put, void *ctx)
{
	uint8_t h[MERKLE_HASH_LEN];
	uint8_t left[MERKLE_HASH_LEN];
	uint64_t i = index;
	unsigned level = 0;

	if (index >= MERKLE_MAX_SIZE)
		return -1;
	if (put(ctx, 0, index, leaf) != 0)
		return -1;
	memcpy(h, leaf, MERKLE_HASH_LEN);
	/* a right child completes its parent */
	while (i & 1) {
		if (get(ctx, level, i - 1, left) != 0)
			return -1;
		merkle_node_hash(left, h, h);
		i >>= 1;
		level++;
		if (put(ctx, level, i, h) != 0)
			return -1;
	}
	return 0;
}

int
merkle_root(uint64_t size, merkle_get_fn get, void *ctx,
            uint8_t out[MERKLE_HASH_LEN])
{
	if (size > MERKLE_MAX_SIZE)
		return -1;
	if (size == 0) {
		merkle_empty_root(out);
		return 0;
	}
	return range_hash(0, size, get, ctx, out);
}

/* Reverses the first n hashes of p in place. */
static void
reverse_hashes(uint8_t p[][MERKLE_HASH_LEN], size_t n)
{
	uint8_t t[MERKLE_HASH_LEN];
	size_t i;

	for (i = 0; i < n / 2; i++) {
		memcpy(t, p[i], MERKLE_HASH_LEN);
		memcpy(p[i], p[n - 1 - i], MERKLE_HASH_LEN);
		memcpy(p[n - 1 - i], t, MERKLE_HASH_LEN);
	}
}

int
merkle_inclusion_proof(uint64_t index, uint64_t size, merkle_get_fn get,
                       void *ctx, uint8_t out[][MERKLE_HASH_LEN], size_t *len)
{
	uint64_t lo = 0, hi = size;
	size_t n = 0;

	*len = 0;
	if (size > MERKLE_MAX_SIZE || index >= size)
		return -1;
	/*
	 * Walk PATH(m, D[n]) from the root down, collecting the sibling of
	 * each node on the way (root child first), then reverse.  Only a right
	 * sibling on the right edge of the tree can be incomplete, and there is
	 * at most one, so the walk costs O(log size) gets.
	 */
	while (hi - lo > 1) {
		uint64_t k = split_point(hi - lo);

		assert(n < MERKLE_MAX_PROOF);
		if (index < lo + k) {
			if (range_hash(lo + k, hi, get, ctx, out[n]) != 0)
				return -1;
			hi = lo + k;
		} else {
			if (range_hash(lo, lo + k, get, ctx, out[n]) != 0)
				return -1;
			lo = lo + k;
		}
		n++;
	}
	reverse_hashes(out, n);
	*len = n;
	return 0;
}

int
merkle_consistency_proof(uint64_t from, uint64_t to, merkle_get_fn get,
                         void *ctx, uint8_t out[][MERKLE_HASH_LEN], size_t *len)
{
	uint8_t outer[MERKLE_MAX_PROOF + 1][MERKLE_HASH_LEN];
	uint64_t lo = 0, hi = to, m = from;
	size_t n = 0, i, base;
	int complete = 1; /* the b flag of SUBPROOF */

	*len = 0;
	if (to > MERKLE_MAX_SIZE || from > to)
		return -1;
	if (from == to || from == 0)
		return 0;
	/*
	 * SUBPROOF(m, D[n], b) from the top: each step appends one node after
	 * the inner result, so the nodes collected on the way down come out
	 * last, in reverse.  As for inclusion, at most one of them (a right
	 * sibling, before the walk first turns left) is incomplete.
	 */
	while (m != hi - lo) {
		uint64_t k = split_point(hi - lo);

		assert(n < MERKLE_MAX_PROOF);
		if (m <= k) {
			if (range_hash(lo + k, hi, get, ctx, outer[n]) != 0)
				return -1;
			hi = lo + k;
		} else {
			if (range_hash(lo, lo + k, get, ctx, outer[n]) != 0)
				return -1;
			lo = lo + k;
			m -= k;
			complete = 0;
		}
		n++;
	}
	base = 0;
	if (!complete) {
		if (range_hash(lo, hi, get, ctx, out[0]) != 0)
			return -1;
		base = 1;
	}
	for (i = 0; i < n; i++)
		memcpy(out[base + i], outer[n - 1 - i], MERKLE_HASH_LEN);
	*len = base + n;
	return 0;
}

int
merkle_verify_inclusion(uint64_t index, uint64_t size,
                        const uint8_t leaf[MERKLE_HASH_LEN],
                        const uint8_t proof[][MERKLE_HASH_LEN], size_t len,
                        const uint8_t root[MERKLE_HASH_LEN])
{
	uint8_t r[MERKLE_HASH_LEN];
	uint64_t fn, sn;
	size_t i;

	if (size > MERKLE_MAX_SIZE || index >= size || len > MERKLE_MAX_PROOF)
		return -1;
	fn = index;
	sn = size - 1;
	memcpy(r, leaf, MERKLE_HASH_LEN);
	for (i = 0; i < len; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], r, r);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(r, proof[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return -1;
	return hash_eq(r, root);
}

int
merkle_verify_consistency(uint64_t from, uint64_t to,
                          const uint8_t root1[MERKLE_HASH_LEN],
                          const uint8_t root2[MERKLE_HASH_LEN],
                          const uint8_t proof[][MERKLE_HASH_LEN], size_t len)
{
	uint8_t empty[MERKLE_HASH_LEN];
	uint8_t fr[MERKLE_HASH_LEN], sr[MERKLE_HASH_LEN];
	uint64_t fn, sn;
	size_t i;

	if (to > MERKLE_MAX_SIZE || from > to || len > MERKLE_MAX_PROOF)
		return -1;
	merkle_empty_root(empty);
	if (from == to) {
		if (len != 0 || hash_eq(root1, root2) != 0)
			return -1;
		return from == 0 ? hash_eq(root1, empty) : 0;
	}
	if (from == 0)
		return len == 0 ? hash_eq(root1, empty) : -1;
	if (len == 0)
		return -1;

	/*
	 * RFC 9162 §2.1.4.2.  When from is a power of two its root is the first
	 * node of the path and is not sent: start from root1 and the whole
	 * proof; otherwise start from proof[0] and the rest.
	 */
	if ((from & (from - 1)) == 0) {
		memcpy(fr, root1, MERKLE_HASH_LEN);
		i = 0;
	} else {
		memcpy(fr, proof[0], MERKLE_HASH_LEN);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_LEN);
	fn = from - 1;
	sn = to - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < len; i++) {
		if (sn == 0)
			return -1;
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(proof[i], fr, fr);
			merkle_node_hash(proof[i], sr, sr);
			while ((fn & 1) == 0 && fn != 0) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(sr, proof[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return -1;
	if (hash_eq(fr, root1) != 0 || hash_eq(sr, root2) != 0)
		return -1;
	return 0;
}
