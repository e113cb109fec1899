/*
 * Hex and base64 (standard alphabet, padded) over libsodium's constant-time
 * codecs.  Decoders are strict: they reject characters outside the alphabet,
 * missing padding and trailing garbage.
 */
#ifndef DETENTE_BASE_ENC_H
#define DETENTE_BASE_ENC_H

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

/* Decodes base64 that must decode to exactly n bytes.  Returns 0 or -1. */
__attribute__((warn_unused_result)) int
enc_b64_decode_exact(const char *s, size_t slen, uint8_t *out, size_t n);

#endif
