#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base/enc.h"

static void
test_hex_round_trip(void **state)
{
	const uint8_t in[] = {0x00, 0x01, 0xab, 0xff};
	uint8_t out[4];
	char *s;

	(void)state;
	s = enc_hex_new(in, sizeof(in));
	assert_string_equal(s, "0001abff");
	assert_int_equal(enc_hex_decode(s, out, sizeof(out)), 0);
	assert_memory_equal(in, out, sizeof(in));
	free(s);
	assert_int_equal(enc_hex_decode("0001abf", out, 4), -1);
	assert_int_equal(enc_hex_decode("0001abfg", out, 4), -1);
	assert_int_equal(enc_hex_decode("0001abff00", out, 4), -1);
}

static void
test_b64_strict(void **state)
{
	uint8_t *p = NULL;
	size_t n = 0;
	uint8_t exact[3];
	char *s;

	(void)state;
	s = enc_b64_new((const uint8_t *)"hello", 5);
	assert_string_equal(s, "aGVsbG8=");
	free(s);
	assert_int_equal(enc_b64_decode_new("aGVsbG8=", 8, 100, &p, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(p, "hello", 5);
	free(p);
	/* missing padding, bad alphabet, too long for the cap */
	assert_int_equal(enc_b64_decode_new("aGVsbG8", 7, 100, &p, &n), -1);
	assert_int_equal(enc_b64_decode_new("aGV*bG8=", 8, 100, &p, &n), -1);
	assert_int_equal(enc_b64_decode_new("aGVsbG8=", 8, 4, &p, &n), -1);
	assert_int_equal(enc_b64_decode_exact("AAEC", 4, exact, 3), 0);
	assert_int_equal(enc_b64_decode_exact("AAE=", 4, exact, 3), -1);
}

/* Regression: 44 characters of base64 decoding to exactly 32 bytes (a hash
 * or a public key) were refused by an early size check. */
static void
test_b64_exact_32(void **state)
{
	uint8_t in[32], out[32], salt[16];
	char *s;

	(void)state;
	for (int i = 0; i < 32; i++)
		in[i] = (uint8_t)(i * 7 + 1);
	s = enc_b64_new(in, 32);
	assert_int_equal(strlen(s), 44);
	assert_int_equal(enc_b64_decode_exact(s, 44, out, 32), 0);
	assert_memory_equal(in, out, 32);
	free(s);
	s = enc_b64_new(in, 16);
	assert_int_equal(enc_b64_decode_exact(s, strlen(s), salt, 16), 0);
	assert_int_equal(enc_b64_decode_exact(s, strlen(s), out, 15), -1);
	free(s);
}

/* Regression: libsodium 1.0.18 read bytes >= 0x80 as '/', so a byte such as
 * 0xff passed for an alphabet character. */
static void
test_b64_refuses_non_ascii(void **state)
{
	uint8_t out[2];

	(void)state;
	assert_int_equal(enc_b64_decode_exact("AA8=", 4, out, 2), 0);
	assert_int_equal(enc_b64_decode_exact("AA\xff=", 4, out, 2), -1);
	assert_int_equal(enc_b64_decode_exact("A=A=", 4, out, 2), -1);
}

/* What libsodium's constant-time decoder makes of s: the reference. */
static int
sodium_decode(const char *s, size_t slen, bool urlsafe, uint8_t *out,
              size_t cap, size_t *outlen)
{
	bool std = false, url = false;
	const char *end = NULL;

	for (size_t i = 0; i < slen; i++) {
		unsigned char c = (unsigned char)s[i];

		std |= c == '+' || c == '/';
		url |= c == '-' || c == '_';
		/* libsodium 1.0.18 reads bytes >= 0x80 as '/' */
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '+' || c == '/' ||
		      c == '-' || c == '_' || c == '='))
			return -1;
	}
	if (url && (std || !urlsafe))
		return -1;
	if (sodium_base642bin(out, cap, s, slen, NULL, outlen, &end,
	                      url ? sodium_base64_VARIANT_URLSAFE
	                          : sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    end != s + slen)
		return -1;
	return 0;
}

/*
 * The table-driven decoder accepts exactly what libsodium's does and
 * yields the same bytes: random strings over a small alphabet (so that
 * valid ones are common), and mutations of valid encodings.
 */
static void
test_b64_public_matches_libsodium(void **state)
{
	static const char alpha[] = "AQgw+/-_=";
	uint8_t a[16], b[16], raw[12];
	char s[24];
	int accepted = 0;

	(void)state;
	for (int round = 0; round < 400000; round++) {
		size_t slen = randombytes_uniform(21), na = 0, nb = 0;
		bool urlsafe = randombytes_uniform(2);
		size_t cap = randombytes_uniform(17);
		int ra, rb;

		if (round % 2 == 0) {
			for (size_t i = 0; i < slen; i++)
				s[i] = alpha[randombytes_uniform(sizeof(alpha) -
				                                 1)];
		} else {
			size_t n = randombytes_uniform(sizeof(raw) + 1);

			randombytes_buf(raw, n);
			sodium_bin2base64(s, sizeof(s), raw, n,
			                  randombytes_uniform(2)
			                      ? sodium_base64_VARIANT_URLSAFE
			                      : sodium_base64_VARIANT_ORIGINAL);
			slen = strlen(s);
			if (slen > 0 && randombytes_uniform(3) == 0)
				s[randombytes_uniform((uint32_t)slen)] =
				    (char)randombytes_uniform(256);
		}
		ra = enc_b64_decode_public(s, slen, urlsafe, a, cap, &na);
		rb = sodium_decode(s, slen, urlsafe, b, cap, &nb);
		assert_int_equal(ra, rb);
		if (ra == 0) {
			assert_int_equal(na, nb);
			assert_memory_equal(a, b, na);
			accepted++;
		}
	}
	assert_true(accepted > 10000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hex_round_trip),
	    cmocka_unit_test(test_b64_strict),
	    cmocka_unit_test(test_b64_exact_32),
	    cmocka_unit_test(test_b64_refuses_non_ascii),
	    cmocka_unit_test(test_b64_public_matches_libsodium),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
