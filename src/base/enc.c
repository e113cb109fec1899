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
 * The value of a base64 character: 0-63 for the standard alphabet,
 * 62 | B64_URL and 63 | B64_URL for the URL-safe '-' and '_', B64_BAD for
 * the rest ('=' included: padding is taken off the end first).
 */
enum { B64_URL = 0x40, B64_BAD = 0x80 };

static inline unsigned
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	switch (c) {
	case '+':
		return 62;
	case '/':
		return 63;
	case '-':
		return 62 | B64_URL;
	case '_':
		return 63 | B64_URL;
	default:
		return B64_BAD;
	}
}

int
enc_b64_decode_public(const char *s, size_t slen, bool urlsafe, uint8_t *out,
                      size_t cap, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned seen = 0; /* B64_URL for '-' or '_', 1 for '+' or '/' */
	size_t pad = 0, n, len, o = 0, i;
	uint32_t acc;
	uint8_t v[4];

	if (slen % 4 != 0)
		return -1;
	while (pad < 2 && pad < slen && s[slen - 1 - pad] == '=')
		pad++;
	n = slen - pad;
	len = slen / 4 * 3 - pad;
	if (len > cap)
		return -1;
	for (i = 0; i < n; i += 4) {
		size_t k, m = n - i < 4 ? n - i : 4;

		for (k = 0; k < m; k++) {
			v[k] = (uint8_t)b64_value(u[i + k]);
			if (v[k] & B64_BAD)
				return -1;
			if ((v[k] & 0x3f) >= 62)
				seen |= v[k] & B64_URL ? B64_URL : 1;
			v[k] &= 0x3f;
		}
		for (; k < 4; k++)
			v[k] = 0;
		acc = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 |
		      (uint32_t)v[2] << 6 | v[3];
		if (m == 4) {
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
		} else if (m == 3) { /* one '=': the last 2 bits are zero */
			if (acc & 0xff)
				return -1;
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
		} else { /* m == 2, two '=': the last 4 bits are zero */
			if (acc & 0xffff)
				return -1;
			out[o++] = (uint8_t)(acc >> 16);
		}
	}
	if ((seen & B64_URL) && (!urlsafe || (seen & 1)))
		return -1; /* URL-safe characters, not allowed or mixed */
	*outlen = o;
	return 0;
}

static int
decode_new(const char *s, size_t slen, bool urlsafe, size_t maxlen,
           uint8_t **out, size_t *outlen)
{
	uint8_t *p;
	size_t got = 0;

	/* Refuse early what cannot fit. */
	if (slen / 4 * 3 > maxlen + 2)
		return -1;
	p = xmalloc(slen / 4 * 3 + 1);
	if (enc_b64_decode_public(s, slen, urlsafe, p, maxlen, &got) != 0) {
		free(p);
		return -1;
	}
	*out = p;
	*outlen = got;
	return 0;
}

int
enc_b64_decode_new(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                   size_t *outlen)
{
	return decode_new(s, slen, false, maxlen, out, outlen);
}

int
enc_b64_decode_new_any(const char *s, size_t slen, size_t maxlen, uint8_t **out,
                       size_t *outlen)
{
	return decode_new(s, slen, true, maxlen, out, outlen);
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
