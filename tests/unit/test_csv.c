/*
 * base/csv.c: RFC 4180 from JSON rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "base/csv.h"

static void
expect(json_t *rows, const char *const *cols, const char *want)
{
	size_t len = 0;
	char *got = csv_encode(rows, cols, &len);

	assert_non_null(got);
	assert_string_equal(got, want);
	assert_int_equal(len, strlen(want));
	free(got);
	json_decref(rows);
}

static void
test_header_and_rows(void **state)
{
	(void)state;
	expect(json_pack("[{s:s,s:s},{s:s,s:s}]", "code", "CIV", "name",
	                 "Côte d'Ivoire", "code", "TUR", "name", "Türkiye"),
	       NULL, "code,name\r\nCIV,Côte d'Ivoire\r\nTUR,Türkiye\r\n");
}

static void
test_quoting(void **state)
{
	(void)state;
	expect(json_pack("[{s:s,s:s,s:s}]", "a", "Korea, Republic of", "b",
	                 "say \"no\"", "c", "two\nlines"),
	       NULL,
	       "a,b,c\r\n\"Korea, Republic of\",\"say \"\"no\"\"\",\"two\n"
	       "lines\"\r\n");
}

static void
test_values(void **state)
{
	(void)state;
	/* numbers, booleans, null, nested objects, lists */
	expect(json_pack("[{s:i,s:b,s:n,s:{s:i,s:i},s:[s,s],s:[{s:s}],s:[]}]",
	                 "n", 119, "binding", 1, "note", "vote_totals", "yes",
	                 119, "no", 46, "groups", "WEOG", "EU", "sources",
	                 "title", "UN", "empty"),
	       NULL,
	       "n,binding,note,vote_totals.yes,vote_totals.no,groups,sources,"
	       "empty\r\n119,true,,119,46,WEOG; "
	       "EU,\"[{\"\"title\"\":\"\"UN\"\"}]\","
	       "\r\n");
}

static void
test_deep_objects_are_json(void **state)
{
	(void)state;
	expect(json_pack("[{s:i,s:{s:s,s:{s:s}}}]", "index", 3, "act", "type",
	                 "party.register", "body", "code", "FJI"),
	       NULL,
	       "index,act\r\n3,\"{\"\"body\"\":{\"\"code\"\":\"\"FJI\"\"},"
	       "\"\"type\"\":\"\"party.register\"\"}\"\r\n");
}

static void
test_columns_first_and_missing_members(void **state)
{
	static const char *const cols[] = {"code", "name", "vote", NULL};

	(void)state;
	expect(json_pack("[{s:s,s:s},{s:s,s:s,s:s}]", "name", "Fiji", "code",
	                 "FJI", "code", "USA", "vote", "no", "extra", "x"),
	       cols, "code,name,vote,extra\r\nFJI,Fiji,,\r\nUSA,,no,x\r\n");
	/* no rows: the header still says what the columns are */
	expect(json_array(), cols, "code,name,vote\r\n");
	expect(json_array(), NULL, "\r\n");
}

static void
test_formula_like_text(void **state)
{
	(void)state;
	expect(json_pack("[{s:s,s:s,s:s,s:s}]", "a", "=1+1", "b", "@SUM(A1)",
	                 "c", "-12.5", "d", "-cmd"),
	       NULL, "a,b,c,d\r\n'=1+1,'@SUM(A1),-12.5,'-cmd\r\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_and_rows),
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_values),
	    cmocka_unit_test(test_deep_objects_are_json),
	    cmocka_unit_test(test_columns_first_and_missing_members),
	    cmocka_unit_test(test_formula_like_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
