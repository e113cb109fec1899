/*
 * RFC 6962 / RFC 9162 Merkle hash trees: hashing, proofs over a store of
 * complete-subtree hashes, and proof verification.
 *
 * Hashes are fixed 32-byte arrays.  The tree over D[0:n] is
 *   MTH({})   = SHA-256()
 *   MTH({d})  = SHA-256(0x00 || d)                         (leaf hash)
 *   MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) k = largest
 *                                                            power of 2 < n
 *
 * The store is reached through callbacks.  It holds the hash of every
 * complete subtree: at (level, index) the hash of the leaves
 * [index * 2^level, (index + 1) * 2^level).  Level 0 holds leaf hashes.
 * merkle_append() tells the store which subtrees an appended leaf completes;
 * the readers ask for O(log n) of them and never rehash the tree.
 *
 * Sizes and indices are limited to MERKLE_MAX_SIZE (2^63 - 1), so that they
 * fit a signed 64-bit column and a checkpoint's size line; anything larger is
 * an error (producers) or invalid (verifiers).
 *
 * Edge cases decided here (and tested in tests/unit/test_merkle.c):
 *  - inclusion: index >= size is invalid (so is every proof for size 0);
 *  - consistency from == to: valid iff the proof is empty and the roots are
 *    equal; when both sizes are 0 the roots must also be the empty root;
 *  - consistency from == 0 < to: following C2SP tlog-witness (the empty tree
 *    is consistent with every tree), valid iff the proof is empty and root1
 *    is the empty root SHA-256(""); root2 is not constrained.
 *    transparency-dev/merkle instead refuses every proof from size 0;
 *  - from > to is invalid;
 *  - a proof longer than MERKLE_MAX_PROOF is invalid, checked before any
 *    hashing.  Inclusion proofs never exceed it (size < 2^63).  A consistency
 *    proof has at most ceil(log2 to) + 1 hashes, so it can reach
 *    MERKLE_MAX_PROOF + 1 only when to > 2^62; the producer still writes it
 *    (hence the buffer size) but the verifier rejects it.
 */
#ifndef DETENTE_LEDGER_MERKLE_H
#define DETENTE_LEDGER_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN  32
#define MERKLE_MAX_PROOF 63 /* cap on proof length, checked before hashing */
#define MERKLE_MAX_SIZE  ((uint64_t)INT64_MAX)

/* SHA-256(0x00 || entry). */
void merkle_leaf_hash(const uint8_t *entry, size_t len,
                      uint8_t out[MERKLE_HASH_LEN]);

/* SHA-256(0x01 || l || r).  out may alias l or r. */
void merkle_node_hash(const uint8_t l[MERKLE_HASH_LEN],
                      const uint8_t r[MERKLE_HASH_LEN],
                      uint8_t out[MERKLE_HASH_LEN]);

/* SHA-256(""), the root of the empty tree. */
void merkle_empty_root(uint8_t out[MERKLE_HASH_LEN]);

/*
 * Storage gives complete-subtree hashes: the hash of leaves
 * [index*2^level, (index+1)*2^level).  Returns 0 or -1 (I/O error).
 * Level 0 = leaf hashes.
 */
typedef int (*merkle_get_fn)(void *ctx, unsigned level, uint64_t index,
                             uint8_t out[MERKLE_HASH_LEN]);

/*
 * Called for each complete subtree that appending leaf `index` completes
 * (level 0 first).  Returns 0 or -1 (I/O error).
 */
typedef int (*merkle_put_fn)(void *ctx, unsigned level, uint64_t index,
                             const uint8_t hash[MERKLE_HASH_LEN]);

/*
 * Appends the leaf hash `leaf` as leaf number `index` of a tree that holds
 * exactly `index` leaves.  Calls put(0, index, leaf) and then, for every
 * subtree the leaf completes, put(level, index >> level, hash), reading the
 * left siblings with get (one get per completed level above 0).
 * Returns 0, or -1 if index > MERKLE_MAX_SIZE - 1 or a callback failed; in
 * that case the store may hold some but not all of the new subtrees, which
 * the caller's transaction must roll back.
 */
__attribute__((warn_unused_result)) int
merkle_append(uint64_t index, const uint8_t leaf[MERKLE_HASH_LEN],
              merkle_get_fn get, merkle_put_fn put, void *ctx);

/*
 * Writes MTH(D[0:size]) into out, with at most 64 get calls (one per set bit
 * of size).  size 0 gives the empty root without calling get.
 * Returns 0, or -1 if size > MERKLE_MAX_SIZE or get failed.
 */
__attribute__((warn_unused_result)) int
merkle_root(uint64_t size, merkle_get_fn get, void *ctx,
            uint8_t out[MERKLE_HASH_LEN]);

/*
 * Writes the RFC 6962 PATH(index, D[0:size]) into out, leaf sibling first,
 * and its length into *len (0 when size == 1).  out must hold
 * MERKLE_MAX_PROOF + 1 hashes.  Uses O(log size) get calls.
 * Returns 0, or -1 if index >= size, size > MERKLE_MAX_SIZE or get failed.
 */
__attribute__((warn_unused_result)) int
merkle_inclusion_proof(uint64_t index, uint64_t size, merkle_get_fn get,
                       void *ctx, uint8_t out[][MERKLE_HASH_LEN], size_t *len);

/*
 * Writes the RFC 6962 PROOF(from, D[0:to]) into out and its length into
 * *len.  from == to and from == 0 give an empty proof (see the edge cases
 * above).  out must hold MERKLE_MAX_PROOF + 1 hashes.  Uses O(log to) get
 * calls.  Returns 0, or -1 if from > to, to > MERKLE_MAX_SIZE or get
 * failed.
 */
__attribute__((warn_unused_result)) int
merkle_consistency_proof(uint64_t from, uint64_t to, merkle_get_fn get,
                         void *ctx, uint8_t out[][MERKLE_HASH_LEN],
                         size_t *len);

/*
 * RFC 9162 §2.1.3.2: returns 0 if proof shows that leaf is leaf number
 * index of the tree of the given size with the given root, else -1.
 */
__attribute__((warn_unused_result)) int
merkle_verify_inclusion(uint64_t index, uint64_t size,
                        const uint8_t leaf[MERKLE_HASH_LEN],
                        const uint8_t proof[][MERKLE_HASH_LEN], size_t len,
                        const uint8_t root[MERKLE_HASH_LEN]);

/*
 * RFC 9162 §2.1.4.2 plus the edge cases above: returns 0 if proof shows that
 * the tree of size `to` with root2 extends the tree of size `from` with
 * root1, else -1.
 */
__attribute__((warn_unused_result)) int
merkle_verify_consistency(uint64_t from, uint64_t to,
                          const uint8_t root1[MERKLE_HASH_LEN],
                          const uint8_t root2[MERKLE_HASH_LEN],
                          const uint8_t proof[][MERKLE_HASH_LEN], size_t len);

#endif
