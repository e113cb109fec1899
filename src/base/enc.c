#include "base/enc.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/xmalloc.h"

char *
enc_hex_new(const uint8_t *p, size_t n)
{
	char *s = xmalloc(n * 2 + 1);

	sodium_bin2hex(s, n * 2 + 1, p, n);
	return s;
}

char *
enc_b64_new(const uint8_t *p, size_t n)
{
	size_t len =
	    sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = xmalloc(len);

	sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
	return s;
}

int
enc_hex_decode(const char *s, uint8_t *out, size_t n)
{
	size_t got = 0;
	const char *end = NULL;

	if (strlen(s) != n * 2)
		return -1;
	if (sodium_hex2bin(out, n, s, n * 2, NULL, &got, &end) != 0 ||
	    got != n || *end != '\0')
		return -1;
	return 0;
}

/*
 * libsodium 1.0.18 decodes every byte >= 0x80 as '/', so the alphabet is
 * checked here first: A-Z a-z 0-9 + / and '=' only at the end.
 */
static int
b64_alphabet_ok(const char *s, size_t slen)
{
	size_t pad = 0;

	for (size_t i = 0; i < slen; i++) {
		char c = s[i];

		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/'))
			return 0;
	}
	return pad <= 2;
}

int
enc_b64_decode_new(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                   size_t *outlen)
{
	size_t cap = slen / 4 * 3 + 3;
	uint8_t *p;
	size_t got = 0;
	const char *end = NULL;

	/* Padded base64 decodes to at most slen / 4 * 3 bytes, two of which
	 * may be padding: refuse early only what cannot fit. */
	if (slen / 4 * 3 > maxlen + 2 || !b64_alphabet_ok(s, slen))
		return -1;
	p = xmalloc(cap);
	if (sodium_base642bin(p, cap, s, slen, NULL, &got, &end,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + slen || got > maxlen) {
		free(p);
		return -1;
	}
	*out = p;
	*outlen = got;
	return 0;
}

int
enc_b64_decode_exact(const char *s, size_t slen, uint8_t *out, size_t n)
{
	uint8_t *p = NULL;
	size_t got = 0;

	if (enc_b64_decode_new(s, slen, n, &p, &got) != 0)
		return -1;
	if (got != n) {
		free(p);
		return -1;
	}
	memcpy(out, p, n);
	free(p);
	return 0;
}
