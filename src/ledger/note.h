/*
 * C2SP signed notes (c2sp.org/signed-note), checkpoints
 * (c2sp.org/tlog-checkpoint) and Ed25519 cosignatures
 * (c2sp.org/tlog-cosignature, cosignature/v1).
 *
 * A signed note is UTF-8 text ending in a newline, a blank line, then one or
 * more lines "— <key name> <base64(4-byte key id || signature)>\n".  The
 * signed message is the text including its final newline.  Key names are
 * non-empty and hold no Unicode space and no '+'.  The key id of a key is
 * SHA-256(name || 0x0A || type || public key)[:4], big-endian; type 0x01 is
 * an Ed25519 note signature, 0x04 an Ed25519 cosignature (its signature is
 * an 8-byte big-endian timestamp followed by an Ed25519 signature over
 * "cosignature/v1\ntime <timestamp>\n" || text).
 *
 * Verification (note_verify) follows the specification and
 * golang.org/x/mod/sumdb/note:
 *  - a note is at most NOTE_MAX_LEN bytes, valid UTF-8 (no overlong forms
 *    or surrogates) with no ASCII control character other than '\n';
 *  - the last "\n\n" separates the text from the signature lines; every
 *    line after it must be a well-formed signature line (valid name,
 *    non-empty strict base64 of at least 5 bytes), the last one ending in
 *    '\n'; more than NOTE_MAX_SIGS lines is malformed (at least 16 must be
 *    accepted; 100 is golang.org/x/mod's limit) and is rejected before any
 *    signature is checked;
 *  - a line whose (name, key id) matches no verifier is ignored;
 *  - a line that matches two verifiers is an error (ambiguous key);
 *  - a line that matches one verifier must verify, or the whole note is
 *    rejected.  Unlike golang.org/x/mod, repeated lines of a known key are
 *    each verified;
 *  - at least one signature from a verifier must verify.
 */
#ifndef DETENTE_LEDGER_NOTE_H
#define DETENTE_LEDGER_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/merkle.h"

#define NOTE_MAX_LEN          (1 << 20) /* whole note, signatures included */
#define NOTE_TEXT_MAX         (NOTE_MAX_LEN - 65536) /* what we sign */
#define NOTE_MAX_SIGS         100                    /* signature lines */
#define NOTE_NAME_MAX         255 /* bytes of a known key's name */
#define NOTE_MAX_VERIFIERS    64
#define NOTE_TYPE_ED25519     0x01
#define NOTE_TYPE_COSIGNATURE 0x04
#define NOTE_PK_LEN           32
#define NOTE_COSIG_MAX_TIME   ((uint64_t)INT64_MAX)

/* A known key: build one with note_verifier_init or note_vkey_parse. */
struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	uint32_t id;
	uint8_t type; /* NOTE_TYPE_ED25519 or NOTE_TYPE_COSIGNATURE */
	uint8_t pk[NOTE_PK_LEN];
};

enum note_err {
	NOTE_OK = 0,
	NOTE_ERR_MALFORMED,  /* not a signed note, or over a cap */
	NOTE_ERR_BAD_SIG,    /* a known key's signature does not verify */
	NOTE_ERR_UNVERIFIED, /* no signature from a known key */
	NOTE_ERR_AMBIGUOUS,  /* a signature matches two verifiers */
	NOTE_ERR_ARG,        /* more than NOTE_MAX_VERIFIERS, or a bad type */
};

struct note_result {
	size_t text_len;  /* the signed text is note[0, text_len) */
	size_t nsigs;     /* signature lines */
	size_t nverified; /* verifiers with a verified signature */
	size_t nunknown;  /* lines from unknown keys */
	size_t bad;       /* BAD_SIG, AMBIGUOUS: index of the verifier */
	/* by index into the verifiers: verified, and the cosignature time */
	uint8_t verified[NOTE_MAX_VERIFIERS];
	uint64_t timestamp[NOTE_MAX_VERIFIERS];
};

/* A static English description of e. */
const char *note_strerror(enum note_err e);

/*
 * Returns 0 if the len bytes at name are a valid key name (non-empty, at most
 * NOTE_NAME_MAX bytes, valid UTF-8, no Unicode space, no '+', no ASCII
 * control character), else -1.
 */
__attribute__((warn_unused_result)) int note_name_valid(const char *name,
                                                        size_t len);

/* SHA-256(name || 0x0A || type || pk)[:4] as a big-endian integer. */
uint32_t note_key_id(const char *name, uint8_t type,
                     const uint8_t pk[NOTE_PK_LEN]);

/*
 * Fills v for the key (name, type, pk), computing its key id.  Returns 0, or
 * -1 if the name is invalid or the type is not one of NOTE_TYPE_*.
 */
__attribute__((warn_unused_result)) int
note_verifier_init(struct note_verifier *v, const char *name, uint8_t type,
                   const uint8_t pk[NOTE_PK_LEN]);

/*
 * Returns the verifier key text "<name>+<8 hex id>+<base64(type || pk)>" of
 * an Ed25519 note key (type 0x01), to free; NULL if the name is invalid.
 * note_verifier_format does the same for any verifier (cosigners: 0x04).
 */
__attribute__((warn_unused_result)) char *
note_vkey_format(const char *name, const uint8_t pk[NOTE_PK_LEN]);
__attribute__((warn_unused_result)) char *
note_verifier_format(const struct note_verifier *v);

/*
 * Parses a NUL-terminated verifier key (type 0x01 or 0x04) into *v.  The
 * key id must be 8 hex digits and match the key.  Splits on the first two
 * '+' only, since base64 may hold '+'.  Returns 0 or -1.
 */
__attribute__((warn_unused_result)) int
note_vkey_parse(const char *vkey, struct note_verifier *v);

/*
 * Returns the signer key text "PRIVATE+KEY+<name>+<8 hex id>+<base64(0x01
 * || seed)>" of an Ed25519 secret key, as golang.org/x/mod/sumdb/note
 * writes it; NULL if the name is invalid or sk fails keys_check_secret.
 * The result is a secret: release it with note_skey_free.
 */
__attribute__((warn_unused_result)) char *
note_skey_format(const char *name, const uint8_t sk[64]);

/* Wipes and frees a string from note_skey_format.  NULL-safe. */
void note_skey_free(char *skey);

/*
 * Parses the len bytes of a signer key into name_out and sk (derived from
 * the seed).  The key id must match the derived public key.  Returns 0, or
 * -1 with name_out and sk wiped.
 */
__attribute__((warn_unused_result)) int
note_skey_parse(const char *skey, size_t len, char name_out[NOTE_NAME_MAX + 1],
                uint8_t sk[64]);

/*
 * Returns the signature line "— <name> <base64>\n" of an Ed25519 note
 * signature (type 0x01) over text, to free.  NULL if text is not a valid
 * note text (non-empty, ends in '\n', valid UTF-8, no control character but
 * '\n', at most NOTE_TEXT_MAX bytes), the name is invalid, or sk fails
 * keys_check_secret.
 */
__attribute__((warn_unused_result)) char *note_sign_line(const char *text,
                                                         size_t textlen,
                                                         const char *name,
                                                         const uint8_t sk[64]);

/*
 * As note_sign_line, for a cosignature/v1 (type 0x04) made at `timestamp`
 * (POSIX seconds, at most 2^63 - 1).  A witness appends the line to the
 * signed checkpoint it cosigns.
 */
__attribute__((warn_unused_result)) char *
note_cosign_line(const char *text, size_t textlen, const char *name,
                 const uint8_t sk[64], uint64_t timestamp);

/*
 * Returns the whole signed note: text, a blank line and one Ed25519
 * signature line, NUL-terminated, to free.  NULL as for note_sign_line.
 */
__attribute__((warn_unused_result)) char *note_sign(const char *text,
                                                    size_t textlen,
                                                    const char *name,
                                                    const uint8_t sk[64]);

/*
 * Verifies the len-byte note against the nvs known keys in vs, by the rules
 * at the top of this file, and fills *res (always, as far as it got).
 * Returns NOTE_OK only if at least one signature of a known key verified and
 * none failed.
 */
__attribute__((warn_unused_result)) enum note_err
note_verify(const char *note, size_t len, const struct note_verifier *vs,
            size_t nvs, struct note_result *res);

/*
 * Checkpoints (c2sp.org/tlog-checkpoint): the note text
 *   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]...
 * Decisions: the origin is at most CHECKPOINT_ORIGIN_MAX bytes (parsing
 * accepts any non-empty origin without control characters, as the
 * specification requires; formatting also demands a valid key name, as it
 * SHOULD be); the size is decimal without leading zeros and at most
 * 2^63 - 1; the root is exactly 32 bytes; a size-0 checkpoint must carry the
 * empty root; at most CHECKPOINT_MAX_EXT non-empty extension lines of
 * CHECKPOINT_EXT_MAX bytes in all.
 */
#define CHECKPOINT_ORIGIN_MAX 255
#define CHECKPOINT_MAX_EXT    16
#define CHECKPOINT_EXT_MAX    1024

struct checkpoint {
	char origin[CHECKPOINT_ORIGIN_MAX + 1];
	uint64_t size;
	uint8_t root[MERKLE_HASH_LEN];
	size_t next;                      /* number of extension lines */
	char ext[CHECKPOINT_EXT_MAX + 1]; /* those lines, each ending '\n' */
};

/*
 * Returns the checkpoint text for (origin, size, root) followed by the
 * extension lines ext (NULL or "" for none; else complete non-empty lines),
 * to free.  NULL if any part breaks the rules above.
 */
__attribute__((warn_unused_result)) char *
checkpoint_format(const char *origin, uint64_t size,
                  const uint8_t root[MERKLE_HASH_LEN], const char *ext);

/*
 * Parses a checkpoint text (the signed text of a note, e.g. the first
 * res.text_len bytes after note_verify) into *cp.  Returns 0 or -1.
 */
__attribute__((warn_unused_result)) int
checkpoint_parse(const char *text, size_t len, struct checkpoint *cp);

#endif
