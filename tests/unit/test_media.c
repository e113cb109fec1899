/*
 * Tests of http/media: Content-Type matching and Accept negotiation as
 * RFC 9110 reads them, with the media types TAXII 2.1 and STIX 2.1 use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/media.h"

#define TAXII "application/taxii+json;version=2.1"
#define STIX  "application/stix+json;version=2.1"

static void
test_is(void **state)
{
	(void)state;
	assert_true(http_media_is("application/json", "application/json"));
	assert_true(http_media_is("Application/JSON", "application/json"));
	assert_true(http_media_is("application/json; charset=utf-8",
	                          "application/json"));
	assert_true(http_media_is(" application/json ;charset=\"utf-8\"",
	                          "application/json"));
	assert_true(http_media_is(TAXII, TAXII));
	assert_true(
	    http_media_is("application/taxii+json; Version=\"2.1\"", TAXII));
	assert_false(http_media_is("application/taxii+json", TAXII));
	assert_false(
	    http_media_is("application/taxii+json;version=2.0", TAXII));
	assert_false(http_media_is("application/jsonx", "application/json"));
	assert_false(http_media_is("application/json-seq", "application/json"));
	assert_false(http_media_is("text/plain", "application/json"));
	assert_false(http_media_is(NULL, "application/json"));
	assert_false(http_media_is("", "application/json"));
	assert_false(http_media_is("application", "application"));
	assert_false(
	    http_media_is("application/json;charset", "application/json"));
}

static void
test_choose(void **state)
{
	static const char *const json[] = {"application/json", NULL};
	static const char *const taxii[] = {TAXII, "application/json", NULL};
	static const char *const stix[] = {STIX, NULL};

	(void)state;
	/* no header, or an empty one: the route's first */
	assert_string_equal(http_media_choose(NULL, json), "application/json");
	assert_string_equal(http_media_choose("  ", taxii), TAXII);
	assert_string_equal(http_media_choose("*/*", json), "application/json");
	assert_string_equal(http_media_choose("application/*", json),
	                    "application/json");
	assert_string_equal(http_media_choose("text/html,application/xhtml+xml,"
	                                      "application/xml;q=0.9,*/*;q=0.8",
	                                      json),
	                    "application/json");
	assert_null(http_media_choose("text/html", json));
	assert_null(http_media_choose("text/*", json));
	/* q=0 refuses, and the most specific range decides */
	assert_null(http_media_choose("application/json;q=0", json));
	assert_null(http_media_choose("*/*, application/json;q=0", json));
	assert_string_equal(http_media_choose("application/json;q=0.001", json),
	                    "application/json");
	assert_null(http_media_choose("application/json;q=1.5", json));
	assert_null(http_media_choose("application/json;q=x", json));
	/* versions: asked for, or not at all */
	assert_string_equal(http_media_choose(TAXII, taxii), TAXII);
	assert_string_equal(http_media_choose("application/taxii+json", taxii),
	                    TAXII);
	assert_string_equal(
	    http_media_choose("application/taxii+json;version=2.0, "
	                      "application/json",
	                      taxii),
	    "application/json");
	assert_null(
	    http_media_choose("application/stix+json;version=2.0", stix));
	assert_string_equal(
	    http_media_choose("application/stix+json; version=2.1", stix),
	    STIX);
	/* junk in one range does not match, the others still count */
	assert_null(http_media_choose("nonsense", json));
	assert_string_equal(
	    http_media_choose("nonsense, application/json", json),
	    "application/json");
	assert_null(http_media_choose("a/b;c", json));
}

/* A charset never decides a match, nor takes a parameter's room: a type
 * with the most parameters still matches with a charset added (the fuzzer
 * found it, tests/fuzz/corpus/media/regress-charset-past-8-params). */
static void
test_regress_charset_past_the_parameter_cap(void **state)
{
	static const char eight[] =
	    "application/taxii+json;a=1;b=2;c=3;d=4;e=5;f=6;g=7;version=2.1";

	(void)state;
	assert_true(http_media_is(eight, "application/taxii+json;version=2.1"));
	assert_true(http_media_is(
	    "application/taxii+json;a=1;b=2;c=3;d=4;e=5;f=6;g=7;version=2.1;"
	    "charset=utf-8",
	    "application/taxii+json;version=2.1"));
	/* a ninth real parameter is still too many */
	assert_false(http_media_is(
	    "application/taxii+json;a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;"
	    "version=2.1",
	    "application/taxii+json;version=2.1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is),
	    cmocka_unit_test(test_choose),
	    cmocka_unit_test(test_regress_charset_past_the_parameter_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
