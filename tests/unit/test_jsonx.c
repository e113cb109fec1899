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

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_caps),
	    cmocka_unit_test(test_dump_is_canonical),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
