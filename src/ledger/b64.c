#include "ledger/b64.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "base/enc.h"
#include "base/xmalloc.h"

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
	uint8_t *p = NULL;
	size_t got = 0;

	if (alphabet_only(s, slen) != 0)
		return -1;
	/* + 2: enc_b64_decode_new's pre-check needs the slack for padding */
	if (enc_b64_decode_new(s, slen, maxlen + 2, &p, &got) != 0)
		return -1;
	if (got > maxlen) {
		free(p);
		return -1;
	}
	*out = p;
	*outlen = got;
	return 0;
}

/*
 * Returns a copy of s in the standard alphabet if s is in the URL-safe one,
 * NULL if s is already standard (or mixes the two, which the standard
 * decoder then refuses).  *mixed is set when both alphabets appear.
 */
static char *
from_urlsafe(const char *s, size_t n, int *mixed)
{
	int std = memchr(s, '+', n) != NULL || memchr(s, '/', n) != NULL;
	int url = memchr(s, '-', n) != NULL || memchr(s, '_', n) != NULL;
	char *t;
	size_t i;

	*mixed = std && url;
	if (!url || std)
		return NULL;
	t = xmemdup(s, n ? n : 1);
	for (i = 0; i < n; i++) {
		if (t[i] == '-')
			t[i] = '+';
		else if (t[i] == '_')
			t[i] = '/';
	}
	return t;
}

int
ledger_b64_exact_any(const char *s, size_t slen, uint8_t *out, size_t n)
{
	int mixed, rc;
	char *t = from_urlsafe(s, slen, &mixed);

	if (mixed)
		return -1;
	rc = ledger_b64_exact(t != NULL ? t : s, slen, out, n);
	free(t);
	return rc;
}

int
ledger_b64_decode_new_any(const char *s, size_t slen, size_t maxlen,
                          uint8_t **out, size_t *outlen)
{
	int mixed, rc;
	char *t = from_urlsafe(s, slen, &mixed);

	if (mixed)
		return -1;
	rc =
	    ledger_b64_decode_new(t != NULL ? t : s, slen, maxlen, out, outlen);
	free(t);
	return rc;
}
