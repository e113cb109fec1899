#include <setjmp.h>
#include <stdarg.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hex_round_trip),
	    cmocka_unit_test(test_b64_strict),
	    cmocka_unit_test(test_b64_exact_32),
	    cmocka_unit_test(test_b64_refuses_non_ascii),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
