#include "ledger/b64.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/enc.h"

/* Returns 0 if every byte is in the base64 alphabet or '=', else -1. */
static int
alphabet_only(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		      c == '='))
			return -1;
	}
	return 0;
}

int
ledger_b64_exact(const char *s, size_t slen, uint8_t *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	/*
	 * Not enc_b64_decode_exact(): its size pre-check rejects every padded
	 * encoding of exactly n bytes (e.g. any 32-byte hash).  libsodium
	 * refuses to write more than n bytes.
	 */
	if (slen != (n + 2) / 3 * 4 || alphabet_only(s, slen) != 0)
		return -1;
	if (sodium_base642bin(out, n, s, slen, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	if (got != n || end != s + slen)
		return -1;
	return 0;
}

int
ledger_b64_decode_new(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                      size_t *outlen)
{
	return enc_b64_decode_new(s, slen, maxlen, out, outlen);
}

int
ledger_b64_exact_any(const char *s, size_t slen, uint8_t *out, size_t n)
{
	size_t got = 0;

	return slen == (n + 2) / 3 * 4 &&
	               enc_b64_decode_public(s, slen, true, out, n, &got) ==
	                   0 &&
	               got == n
	           ? 0
	           : -1;
}

int
ledger_b64_decode_new_any(const char *s, size_t slen, size_t maxlen,
                          uint8_t **out, size_t *outlen)
{
	return enc_b64_decode_new_any(s, slen, maxlen, out, outlen);
}
