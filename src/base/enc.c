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
 * The value of each base64 character: 0-63 for the standard alphabet,
 * 62 | URL and 63 | URL for the URL-safe '-' and '_', BAD for the rest
 * ('=' included: padding is taken off the end before the table is used).
 */
enum { B64_URL = 0x40, B64_BAD = 0x80 };

static const uint8_t b64_value[256] = {
#define B64_ROW(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    /* 0x20: ' ' to '/' */
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    62,
    B64_BAD,
    62 | B64_URL,
    B64_BAD,
    63,
    /* 0x30: '0' to '?' */
    52,
    53,
    54,
    55,
    56,
    57,
    58,
    59,
    60,
    61,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    /* 0x40: '@' to 'O' */
    B64_BAD,
    0,
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
    10,
    11,
    12,
    13,
    14,
    /* 0x50: 'P' to '_' */
    15,
    16,
    17,
    18,
    19,
    20,
    21,
    22,
    23,
    24,
    25,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    63 | B64_URL,
    /* 0x60: '`' to 'o' */
    B64_BAD,
    26,
    27,
    28,
    29,
    30,
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    /* 0x70: 'p' to 0x7f */
    41,
    42,
    43,
    44,
    45,
    46,
    47,
    48,
    49,
    50,
    51,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_BAD,
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
    B64_ROW(B64_BAD),
#undef B64_ROW
};

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
			v[k] = b64_value[u[i + k]];
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
