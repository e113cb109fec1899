#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/jsonx.h"

static void
test_parse_caps(void **state)
{
	char err[200];
	json_t *v = NULL;
	char deep[64];

	/* 20 nested arrays around one number */
	memset(deep, '[', 20);
	deep[20] = '1';
	memset(deep + 21, ']', 20);
	deep[41] = '\0';

	(void)state;
	assert_int_equal(jsonx_parse("{\"a\":1}", 7, 4, &v, err, sizeof(err)),
	                 0);
	assert_int_equal(jsonx_int(v, "a", 0), 1);
	json_decref(v);
	assert_int_equal(
	    jsonx_parse(deep, strlen(deep), 16, &v, err, sizeof(err)), -1);
	assert_null(v);
	assert_non_null(strstr(err, "deeper"));
	assert_int_equal(
	    jsonx_parse("{\"a\":1,\"a\":2}", 13, 4, &v, err, sizeof(err)), -1);
	assert_int_equal(jsonx_parse("{\"a\":1} x", 9, 4, &v, err, sizeof(err)),
	                 -1);
	assert_int_equal(
	    jsonx_parse("{\"a\":\"\\u0000\"}", 14, 4, &v, err, sizeof(err)),
	    -1);
	/* Regression: jansson skips a raw NUL after a number or a literal,
	 * so these read as [1], {"a":1} and [true]. */
	assert_int_equal(jsonx_parse("[1\0]", 4, 4, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL byte at offset 2"));
	assert_int_equal(jsonx_parse("{\"a\":1\0}", 8, 4, &v, err, sizeof(err)),
	                 -1);
	assert_int_equal(jsonx_parse("[true\0]", 7, 4, &v, err, sizeof(err)),
	                 -1);
	assert_null(v);
}

static void
test_dump_is_canonical(void **state)
{
	json_t *a = json_pack("{s:i,s:s}", "z", 1, "a", "x");
	json_t *b = json_pack("{s:s,s:i}", "a", "x", "z", 1);
	char *sa = jsonx_dump(a, NULL);
	char *sb = jsonx_dump(b, NULL);

	(void)state;
	assert_string_equal(sa, "{\"a\":\"x\",\"z\":1}");
	assert_string_equal(sa, sb);
	free(sa);
	free(sb);
	json_decref(a);
	json_decref(b);
}

static void
test_utf8_clean(void **state)
{
	/* valid text is left alone, whatever its script */
	char ok[] = "A/70/174 \xc3\xa9t\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x8c\x90";
	char cut[] = "caf\xc3";                   /* a character cut short */
	char bad[] = "\xff\xfe\x80x";             /* not UTF-8 at all */
	char overlong[] = "\xc0\xaf\xe0\x80\xaf"; /* '/' in 2 and 3 bytes */
	char surrogate[] = "\xed\xa0\x80";        /* U+D800 */
	char big[] = "\xf4\x90\x80\x80";          /* past U+10FFFF */

	(void)state;
	assert_string_equal(jsonx_utf8_clean(ok),
	                    "A/70/174 \xc3\xa9t\xc3\xa9 \xe2\x80\x94 "
	                    "\xf0\x9f\x8c\x90");
	assert_string_equal(jsonx_utf8_clean(cut), "caf?");
	assert_string_equal(jsonx_utf8_clean(bad), "???x");
	assert_string_equal(jsonx_utf8_clean(overlong), "?????");
	assert_string_equal(jsonx_utf8_clean(surrogate), "???");
	assert_string_equal(jsonx_utf8_clean(big), "????");
	/* whatever it was given, the result is a string jansson takes */
	json_t *v = json_string(bad);
	assert_non_null(v);
	json_decref(v);
}

/* jansson's reading with jsonx_parse's depth rule: the reference. */
static int
jansson_parse(const char *buf, size_t len, int max_depth, json_t **out)
{
	json_error_t je;

	*out = memchr(buf, '\0', len) != NULL
	           ? NULL
	           : json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (*out != NULL && jsonx_depth(*out) > max_depth) {
		json_decref(*out);
		*out = NULL;
	}
	return *out != NULL ? 0 : -1;
}

/* Appends a random value of the fast reader's kind, or a near miss. */
static void
gen(char *b, size_t *n, size_t cap, int depth)
{
	static const char *const atoms[] = {
	    "0",
	    "-0",
	    "7",
	    "-12",
	    "123456789012345678",
	    "1.5",
	    "1e3",
	    "01",
	    "-",
	    "1234567890123456789",
	    "true",
	    "false",
	    "null",
	    "nul",
	    "\"\"",
	    "\"a\"",
	    "\"ab c\"",
	    "\"a\\nb\"",
	    "\"\xc3\xa9\"",
	    "\"\x01\"",
	    /* regression (fuzz_jsonx): accumulating it overflowed */
	    "-77777777777777777777777",
	};
	int k = depth == 0 ? 6 + rand() % 2 : rand() % (depth > 3 ? 6 : 9);

	if (*n + 64 > cap)
		k = 0;
	if (k < 6) {
		/* mostly atoms the fast reader takes */
		size_t na = sizeof(atoms) / sizeof(atoms[0]);
		const char *a =
		    atoms[rand() % 4 ? (size_t)(rand() % 5 + 10 * (rand() % 2))
		                     : (size_t)rand() % na];

		memcpy(b + *n, a, strlen(a));
		*n += strlen(a);
		return;
	}
	b[(*n)++] = k == 6 ? '[' : '{';
	for (int i = 0, m = rand() % 4; i < m && *n + 64 < cap; i++) {
		if (i > 0)
			b[(*n)++] = ',';
		if (rand() % 8 == 0)
			b[(*n)++] = ' ';
		if (k != 6) {
			*n += (size_t)sprintf(b + *n,
			                      "\"%c\":", 'a' + rand() % 4);
			if (rand() % 8 == 0)
				b[(*n)++] = '\n';
		}
		gen(b, n, cap, depth + 1);
	}
	b[(*n)++] = k == 6 ? ']' : '}';
}

/*
 * jsonx_parse reads most documents without jansson; whatever it accepts
 * must be what jansson reads (the same values, keys in the same order),
 * and what it refuses jansson must refuse too: random documents with near
 * misses (fractions, leading zeros, escapes, non-ASCII, duplicate keys),
 * and mutations of them.
 */
static void
test_fast_parse_matches_jansson(void **state)
{
	static const char swap[] = "{}[],:\" \\0-9ex\x01\xff";
	char buf[2048], err[200];
	int ok = 0, fast = 0;

	(void)state;
	srand(7);
	for (int round = 0; round < 100000; round++) {
		size_t n = 0;
		json_t *a = NULL, *b = NULL;
		int ra, rb, depth = 1 + rand() % 6;

		gen(buf, &n, sizeof(buf), 0);
		if (round % 3 == 1 && n > 0)
			buf[rand() % n] = swap[rand() % (sizeof(swap) - 1)];
		else if (round % 3 == 2 && n > 0)
			n = (size_t)rand() % n;
		ra = jsonx_parse(buf, n, depth, &a, err, sizeof(err));
		rb = jansson_parse(buf, n, depth, &b);
		{
			int d = 0;
			json_t *f = jsonx_parse_fast(buf, n, &d);

			if (f != NULL) { /* taken by the fast reader */
				json_t *j = NULL;

				assert_int_equal(
				    jansson_parse(buf, n, 1000, &j), 0);
				assert_int_equal(d, jsonx_depth(j));
				assert_true(json_equal(f, j));
				json_decref(j);
				fast++;
			}
			json_decref(f);
		}
		if (ra != rb)
			fail_msg("%.*s: jsonx %d, jansson %d", (int)n, buf, ra,
			         rb);
		if (ra == 0) {
			char *sa =
			    json_dumps(a, JSON_COMPACT | JSON_ENCODE_ANY);
			char *sb =
			    json_dumps(b, JSON_COMPACT | JSON_ENCODE_ANY);

			assert_string_equal(sa, sb);
			assert_true(json_equal(a, b));
			free(sa);
			free(sb);
			ok++;
		}
		json_decref(a);
		json_decref(b);
	}
	assert_true(fast > 20000);
	assert_true(ok > fast);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_caps),
	    cmocka_unit_test(test_utf8_clean),
	    cmocka_unit_test(test_dump_is_canonical),
	    cmocka_unit_test(test_fast_parse_matches_jansson),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
