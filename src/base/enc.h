/*
 * Hex and base64 (standard alphabet, padded).  Encoders and the hex decoder
 * are libsodium's constant-time codecs; the base64 decoders here are for
 * public data (envelopes, hashes, public keys): one pass that branches on
 * each character, about three times faster than libsodium's and not
 * constant-time, so secrets are decoded with ledger_b64_exact.  Decoders are
 * strict: they reject characters outside the alphabet, missing padding,
 * non-zero trailing bits and trailing garbage.
 */
#ifndef DETENTE_BASE_ENC_H
#define DETENTE_BASE_ENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns a newly allocated NUL-terminated lowercase hex string. */
char *enc_hex_new(const uint8_t *p, size_t n);

/* Returns a newly allocated NUL-terminated base64 string. */
char *enc_b64_new(const uint8_t *p, size_t n);

/*
 * Decodes exactly n bytes of hex into out.  Returns 0, or -1 if s is not
 * exactly 2n hex digits.
 */
__attribute__((warn_unused_result)) int enc_hex_decode(const char *s,
                                                       uint8_t *out, size_t n);

/*
 * Decodes base64 into a newly allocated buffer (*out, *outlen).  Returns 0,
 * or -1 on malformed input (nothing is allocated then).  maxlen caps the
 * decoded size.
 */
__attribute__((warn_unused_result)) int
enc_b64_decode_new(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                   size_t *outlen);
/* The same, for the standard or the URL-safe alphabet (one a string). */
__attribute__((warn_unused_result)) int
enc_b64_decode_new_any(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                       size_t *outlen);

/*
 * Decodes padded base64 of public data into out (at most cap bytes, else
 * -1), setting *outlen.  With urlsafe, the URL-safe alphabet (RFC 4648 §5,
 * still padded) is accepted too, one alphabet a string.  Returns 0 or -1.
 */
__attribute__((warn_unused_result)) int
enc_b64_decode_public(const char *s, size_t slen, bool urlsafe, uint8_t *out,
                      size_t cap, size_t *outlen);

/* Decodes base64 that must decode to exactly n bytes.  Returns 0 or -1. */
__attribute__((warn_unused_result)) int
enc_b64_decode_exact(const char *s, size_t slen, uint8_t *out, size_t n);

#endif
