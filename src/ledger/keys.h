/*
 * Ed25519 keys: generation, the secret-key consistency check, user key ids
 * and secret key files.
 *
 * A secret key is libsodium's 64 bytes, seed || public key.  libsodium signs
 * with the public half as stored, so a secret key whose second half is not
 * the key derived from its seed leaks the seed through its signatures
 * (libsodium #170).  Every signer in ledger/ therefore checks
 * keys_check_secret() first, and key files store only the seed.
 *
 * A key file holds one line, the golang.org/x/mod/sumdb/note signer key
 *   PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || 32-byte seed)>
 * (see note_skey_format), readable by its owner only.
 */
#ifndef DETENTE_LEDGER_KEYS_H
#define DETENTE_LEDGER_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/note.h"

#define KEYS_PK_LEN       32
#define KEYS_SK_LEN       64
#define KEYS_SEED_LEN     32
#define KEYS_SIG_LEN      64
#define KEYS_ID_PREFIX    "ed25519:"
#define KEYS_ID_LEN       (8 + 16) /* without the NUL */
#define KEYS_FILE_MAX_LEN 1024

enum keys_err {
	KEYS_OK = 0,
	KEYS_ERR_IO,     /* a system call failed; errno tells which */
	KEYS_ERR_EXISTS, /* keys_save_secret: the path already exists */
	KEYS_ERR_MODE,   /* keys_load_secret: group/other may access it */
	KEYS_ERR_FORMAT, /* not a well-formed key file, or a bad name */
	KEYS_ERR_KEY,    /* the secret key fails keys_check_secret */
};

/* A static English description of e. */
const char *keys_strerror(enum keys_err e);

/* Makes a fresh key pair from the system's randomness. */
void keys_generate(uint8_t pk[KEYS_PK_LEN], uint8_t sk[KEYS_SK_LEN]);

/* Derives the key pair of a 32-byte seed (RFC 8032 private key). */
void keys_from_seed(const uint8_t seed[KEYS_SEED_LEN], uint8_t pk[KEYS_PK_LEN],
                    uint8_t sk[KEYS_SK_LEN]);

/*
 * Returns 0 if sk[32..64] is the public key derived from the seed
 * sk[0..32], else -1.  Constant time in the key bytes.
 */
__attribute__((warn_unused_result)) int
keys_check_secret(const uint8_t sk[KEYS_SK_LEN]);

/*
 * Returns the id of a user's key, to free: "ed25519:" followed by the first
 * 16 lowercase hex digits (64 bits) of SHA-256(pk), e.g.
 * "ed25519:3b6a27bcceb6a42d".  It names the key in DSSE signatures
 * ("keyid") and in the database.  It is an identifier, not a commitment:
 * verifiers always check signatures against the full public key they hold.
 */
char *keys_id(const uint8_t pk[KEYS_PK_LEN]);

/*
 * Writes the secret key file for (name, sk) at path, with mode 0600.
 * Refuses to overwrite or follow a symlink (O_CREAT | O_EXCL | O_NOFOLLOW),
 * and fsyncs the file and its directory.  On any failure no file is left
 * behind (unless the failure is that one already existed).
 */
__attribute__((warn_unused_result)) enum keys_err
keys_save_secret(const char *path, const char *name,
                 const uint8_t sk[KEYS_SK_LEN]);

/*
 * Reads the secret key file at path into name_out and sk.  Refuses a file
 * that is not a regular file, is a symlink, is larger than
 * KEYS_FILE_MAX_LEN, or that group or others may access (mode & 077), like
 * ssh.  One final newline is allowed.  The key id in the file must match the
 * key.  On failure name_out and sk are wiped.
 */
__attribute__((warn_unused_result)) enum keys_err
keys_load_secret(const char *path, char name_out[NOTE_NAME_MAX + 1],
                 uint8_t sk[KEYS_SK_LEN]);

#endif
