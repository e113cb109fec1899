/*
 * Base64 decoding for the ledger's formats: padded standard alphabet
 * (RFC 4648 §4), strict: no whitespace, no missing padding, no non-zero
 * trailing bits, no character outside the alphabet.
 *
 * The last rule is enforced here, before libsodium sees the input:
 * sodium_base642bin in libsodium 1.0.18 reads the input as signed chars and
 * decodes every byte >= 0x80 as '/' (found by tests/fuzz/fuzz_checkpoint;
 * see test_note.c, test_regress_b64_non_ascii).  base/enc.h inherits that
 * flaw; ledger/ decodes through these functions only.
 */
#ifndef DETENTE_LEDGER_B64_H
#define DETENTE_LEDGER_B64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the slen bytes at s, which must decode to exactly n bytes,
 * straight into out (no heap copy of what may be a secret).  Returns 0, or
 * -1 (out then holds unspecified bytes, which the caller wipes if they
 * matter).
 */
__attribute__((warn_unused_result)) int
ledger_b64_exact(const char *s, size_t slen, uint8_t *out, size_t n);

/*
 * Decodes the slen bytes at s into a new buffer (*out, *outlen; free it)
 * of at most maxlen bytes.  Returns 0, or -1 with nothing allocated.
 */
__attribute__((warn_unused_result)) int
ledger_b64_decode_new(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                      size_t *outlen);

/*
 * As the two above, but the input may also use the URL-safe alphabet
 * (RFC 4648 §5, '-' and '_', still padded), as DSSE allows.  One string
 * uses one alphabet: "+" and "-" together are refused.
 *
 * Only ledger_b64_exact is constant-time (libsodium's decoder), for what
 * may be a secret; the others decode public data (envelopes, signatures,
 * notes) with the faster decoder of base/enc.h.
 */
__attribute__((warn_unused_result)) int
ledger_b64_exact_any(const char *s, size_t slen, uint8_t *out, size_t n);
__attribute__((warn_unused_result)) int
ledger_b64_decode_new_any(const char *s, size_t slen, size_t maxlen,
                          uint8_t **out, size_t *outlen);

#endif
