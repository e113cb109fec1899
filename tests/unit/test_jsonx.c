#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_caps),
	    cmocka_unit_test(test_utf8_clean),
	    cmocka_unit_test(test_dump_is_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
