/*
 * Tests of core/schema: every field type accepts what its contract names
 * and refuses everything else, and every refusal names the member path.
 *
 * Tests named test_regress_* each pin a defect that was found and fixed:
 * they fail if it comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/acts.h"
#include "core/schema.h"

#define END                                                                    \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL, NULL, NULL                             \
	}

static const char *const colours[] = {"red", "green", NULL};
static const char *const roles[] = {"chair", "member", NULL};

static const struct schema_field member_fields[] = {
    {"party", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, roles, NULL, NULL},
    END,
};
static const struct schema_field member_item = {
    "member", SCHEMA_OBJ, 0, 0, 0, NULL, member_fields, NULL};
static const struct schema_field tag_item = {"tag", SCHEMA_SLUG, 0,    0,
                                             0,     NULL,        NULL, NULL};
static const struct schema_field totals_fields[] = {
    {"yes", SCHEMA_INT, SCHEMA_REQUIRED, 0, 400, NULL, NULL, NULL},
    {"no", SCHEMA_INT, SCHEMA_REQUIRED, 0, 400, NULL, NULL, NULL},
    END,
};

/* One field of every type; only "name" is required. */
static const struct schema_field fields[] = {
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 2, 5, NULL, NULL, NULL},
    {"note", SCHEMA_STR, SCHEMA_NULLABLE, 0, 10, NULL, NULL, NULL},
    {"url", SCHEMA_URL, 0, 0, 30, NULL, NULL, NULL},
    {"date", SCHEMA_DATE, 0, 0, 0, NULL, NULL, NULL},
    {"at", SCHEMA_TIME, 0, 0, 0, NULL, NULL, NULL},
    {"code", SCHEMA_CODE, 0, 0, 0, NULL, NULL, NULL},
    {"slug", SCHEMA_SLUG, 0, 0, 0, NULL, NULL, NULL},
    {"user", SCHEMA_USERNAME, 0, 0, 0, NULL, NULL, NULL},
    {"colour", SCHEMA_ENUM, 0, 0, 0, colours, NULL, NULL},
    {"count", SCHEMA_INT, 0, -3, 7, NULL, NULL, NULL},
    {"flag", SCHEMA_BOOL, 0, 0, 0, NULL, NULL, NULL},
    {"members", SCHEMA_ARR, 0, 1, 3, NULL, NULL, &member_item},
    {"tags", SCHEMA_ARR, 0, 0, 2, NULL, NULL, &tag_item},
    {"totals", SCHEMA_OBJ, SCHEMA_NULLABLE, 0, 0, NULL, totals_fields, NULL},
    END,
};

static char err[512];

/* Checks {"name": "abc", key: v} (v is stolen; key NULL: name alone). */
static int
check_member(const char *key, json_t *v)
{
	json_t *o = json_pack("{s:s}", "name", "abc");
	int rc;

	assert_non_null(o);
	if (key != NULL)
		assert_int_equal(json_object_set_new(o, key, v), 0);
	err[0] = '\0';
	rc = schema_check(fields, o, "body", err, sizeof(err));
	json_decref(o);
	return rc;
}

/* Checks a whole object given as JSON text. */
static int
check_text(const struct schema_field *f, const char *text)
{
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	int rc;

	if (o == NULL)
		fail_msg("bad test JSON %s: %s", text, je.text);
	err[0] = '\0';
	rc = schema_check(f, o, "body", err, sizeof(err));
	json_decref(o);
	return rc;
}

static void
ok_str(const char *key, const char *s)
{
	if (check_member(key, json_string(s)) != 0)
		fail_msg("%s = \"%s\" refused: %s", key, s, err);
}

/*
 * Refused, with an error naming the path "body.<key>" (or a member or item
 * of it) and saying what.
 */
static void
refused(const char *key, json_t *v, const char *what)
{
	char prefix[128], shown[128];
	char *dump = json_dumps(v, JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
	size_t n;

	snprintf(shown, sizeof(shown), "%s", dump ? dump : "?");
	free(dump);
	if (check_member(key, v) != -1)
		fail_msg("%s = %s accepted; it must be refused", key, shown);
	n = (size_t)snprintf(prefix, sizeof(prefix), "body.%s", key);
	if (strncmp(err, prefix, n) != 0 || strchr(":.[", err[n]) == NULL ||
	    err[n] == '\0')
		fail_msg("error \"%s\" does not name the path %s", err, prefix);
	if (what != NULL && strstr(err, what) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, what);
}

static void
bad_str(const char *key, const char *s, const char *what)
{
	json_t *v = json_string(s);

	if (v == NULL) /* not UTF-8: jansson refuses it already */
		fail_msg("bad test string for %s", key);
	refused(key, v, what);
}

static void
test_minimal_object(void **state)
{
	(void)state;
	assert_int_equal(check_member(NULL, NULL), 0);
	assert_int_equal(check_text(fields, "{\"name\": \"ab\", \"note\": null,"
	                                    " \"totals\": null}"),
	                 0);
}

static void
test_required_missing(void **state)
{
	(void)state;
	assert_int_equal(check_text(fields, "{}"), -1);
	assert_string_equal(err, "body.name: is required");
	assert_int_equal(check_text(fields, "{\"totals\": {\"yes\": 1},"
	                                    " \"name\": \"abc\"}"),
	                 -1);
	assert_string_equal(err, "body.totals.no: is required");
	assert_int_equal(check_text(fields, "{\"name\": \"abc\", \"members\":"
	                                    " [{\"party\": \"FR\"}]}"),
	                 -1);
	assert_string_equal(err, "body.members[0].role: is required");
}

static void
test_unknown_keys(void **state)
{
	(void)state;
	assert_int_equal(check_member("extra", json_true()), -1);
	assert_string_equal(err, "body.extra: unknown field");
	/* Names are case-sensitive. */
	assert_int_equal(check_member("Name", json_string("abc")), -1);
	assert_string_equal(err, "body.Name: unknown field");
	/* Empty key. */
	assert_int_equal(check_member("", json_true()), -1);
	assert_string_equal(err, "body.: unknown field");
	/* Nested objects are strict too. */
	assert_int_equal(
	    check_text(fields, "{\"name\": \"abc\", \"totals\": {\"yes\": 1,"
	                       " \"no\": 2, \"maybe\": 3}}"),
	    -1);
	assert_string_equal(err, "body.totals.maybe: unknown field");
	assert_int_equal(check_text(fields,
	                            "{\"name\": \"abc\", \"members\": ["
	                            "{\"party\": \"FR\", \"role\": \"chair\"},"
	                            "{\"party\": \"DE\", \"role\": \"member\","
	                            " \"seat\": 1}]}"),
	                 -1);
	assert_string_equal(err, "body.members[1].seat: unknown field");
	/* A very long unknown key is cut in the message, not overflowed. */
	{
		char key[300];

		memset(key, 'k', sizeof(key) - 1);
		key[sizeof(key) - 1] = '\0';
		assert_int_equal(check_member(key, json_true()), -1);
		assert_true(strncmp(err, "body.kkkk", 9) == 0);
		assert_non_null(strstr(err, ": unknown field"));
		assert_true(strlen(err) < 5 + 65 + 16);
	}
}

static void
test_not_an_object(void **state)
{
	json_t *v;

	(void)state;
	v = json_array();
	assert_int_equal(schema_check(fields, v, "body", err, sizeof(err)), -1);
	assert_string_equal(err, "body: must be an object");
	json_decref(v);
	v = json_string("x");
	assert_int_equal(schema_check(fields, v, "req", err, sizeof(err)), -1);
	assert_string_equal(err, "req: must be an object");
	json_decref(v);
	assert_int_equal(schema_check(fields, NULL, "body", err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "body: must be an object");
	assert_int_equal(check_member("totals", json_array()), -1);
	assert_string_equal(err, "body.totals: must be an object");
	assert_int_equal(check_member("members", json_pack("[s]", "FR")), -1);
	assert_string_equal(err, "body.members[0]: must be an object");
}

static void
test_path_prefix(void **state)
{
	json_t *o = json_object();

	(void)state;
	assert_int_equal(schema_check(fields, o, "request", err, sizeof(err)),
	                 -1);
	assert_string_equal(err, "request.name: is required");
	json_decref(o);
}

static void
test_str_length(void **state)
{
	char big[4096];

	(void)state;
	ok_str("name", "ab");
	ok_str("name", "abcde");
	bad_str("name", "a", "is too short");
	bad_str("name", "", "is too short");
	bad_str("name", "abcdef", "longer than 5 bytes");
	/* The bounds are in bytes of UTF-8, not characters. */
	ok_str("name", "\xc3\xa9");                        /* é: 2 bytes */
	ok_str("name", "\xc3\xa9\xc3\xa9");                /* 4 bytes */
	bad_str("name", "\xc3\xa9\xc3\xa9\xc3\xa9", NULL); /* 6 bytes */
	bad_str("name", "\xe2\x82\xac\xe2\x82\xac", NULL); /* 6 bytes */
	/* min 0 still means at least one byte. */
	ok_str("note", "x");
	bad_str("note", "", "is too short");
	ok_str("note", "0123456789");
	bad_str("note", "0123456789a", "longer than 10 bytes");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	bad_str("note", big, "longer than 10 bytes");
}

static void
test_str_control_characters(void **state)
{
	static const char ctl[] = "\x01\x02\x08\x0b\x0c\x0d\x1b\x1f\x7f";

	(void)state;
	ok_str("name", "a\nb");
	ok_str("name", "a\tb");
	for (const char *c = ctl; *c; c++) {
		char s[4] = {'a', *c, 'b', '\0'};

		bad_str("name", s, "contains control characters");
	}
	ok_str("name", "a b~");
}

static void
test_nul_byte(void **state)
{
	(void)state;
	refused("name", json_stringn("a\0b", 3), "contains a NUL byte");
	refused("url", json_stringn("https://a\0b", 11), "contains a NUL byte");
	refused("code", json_stringn("FR\0A", 4), "contains a NUL byte");
	refused("slug", json_stringn("ab\0", 3), "contains a NUL byte");
	refused("user", json_stringn("abc\0def", 7), "contains a NUL byte");
	refused("colour", json_stringn("red\0x", 5), "contains a NUL byte");
	refused("date", json_stringn("2024\0", 5), "contains a NUL byte");
}

static void
test_wrong_types(void **state)
{
	static const char *const strings[] = {"name", "url",  "date",  "code",
	                                      "slug", "user", "colour"};

	(void)state;
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		refused(strings[i], json_integer(1), "must be a string");
		refused(strings[i], json_true(), "must be a string");
		refused(strings[i], json_array(), "must be a string");
		refused(strings[i], json_object(), "must be a string");
	}
	refused("count", json_string("1"), "must be an integer");
	refused("count", json_real(1.0), "must be an integer");
	refused("count", json_true(), "must be an integer");
	refused("flag", json_integer(0), "must be true or false");
	refused("flag", json_string("true"), "must be true or false");
	refused("members", json_object(), "must be an array");
	refused("tags", json_string("a"), "must be an array");
	refused("totals", json_integer(1), "must be an object");
}

static void
test_nullable(void **state)
{
	(void)state;
	assert_int_equal(check_member("note", json_null()), 0);
	assert_int_equal(check_member("totals", json_null()), 0);
	refused("url", json_null(), "must not be null");
	refused("count", json_null(), "must not be null");
	refused("flag", json_null(), "must not be null");
	refused("members", json_null(), "must not be null");
	refused("colour", json_null(), "must not be null");
	assert_int_equal(check_text(fields, "{\"name\": null}"), -1);
	assert_string_equal(err, "body.name: must not be null");
	/* Array items are not nullable unless the item says so. */
	refused("tags", json_pack("[s,n]", "a"), NULL);
	assert_string_equal(err, "body.tags[1]: must not be null");
}

static void
test_url(void **state)
{
	(void)state;
	ok_str("url", "https://example.org/x");
	ok_str("url", "http://a.b");
	ok_str("url", "https://example.org/a?b=c#d"); /* 27 bytes */
	assert_int_equal(strlen("https://example.org/abcdefghij"), 30);
	ok_str("url", "https://example.org/abcdefghij"); /* max */
	bad_str("url", "https://example.org/abcdefghijk",
	        "must be an http(s) URL");
	bad_str("url", "ftp://example.org/", "must be an http(s) URL");
	bad_str("url", "javascript:alert(1)", "must be an http(s) URL");
	bad_str("url", "//example.org/", "must be an http(s) URL");
	bad_str("url", "example.org", "must be an http(s) URL");
	bad_str("url", "", "must be an http(s) URL");
	bad_str("url", "https:/a.b", "must be an http(s) URL");
	bad_str("url", "https://a b", "must be an http(s) URL");
	bad_str("url", "https://a\tb", "must be an http(s) URL");
	bad_str("url", "https://a\nb", "must be an http(s) URL");
	bad_str("url", "https://a\rb", "must be an http(s) URL");
	bad_str("url", "https://a\"b", "must be an http(s) URL");
	bad_str("url", "https://a<b>", "must be an http(s) URL");
	bad_str("url", " https://a.b", "must be an http(s) URL");
}

/*
 * BUG (src/core/schema.c, check_value, case SCHEMA_URL): the URL check
 * refuses only " \t\r\n\"<>", so other control characters (ESC, DEL, VT,
 * FF, BEL...) pass, although every SCHEMA_STR refuses them.  A source URL
 * in the record may thus carry a terminal escape sequence or a vertical
 * tab.  Expected: a URL with any byte < 0x20 or 0x7f is refused.
 */
static void
test_regress_url_accepts_control_characters(void **state)
{
	(void)state;
	bad_str("url", "https://a\x1b[2Jb", "must be an http(s) URL");
	bad_str("url",
	        "https://a\x0b"
	        "b",
	        "must be an http(s) URL");
	bad_str("url",
	        "https://a\x7f"
	        "b",
	        "must be an http(s) URL");
	bad_str("url",
	        "https://a\x01"
	        "b",
	        "must be an http(s) URL");
}

/*
 * BUG (src/core/schema.c, check_value, case SCHEMA_URL): "https://" and
 * "http://" alone, with no host, are accepted as URLs.  Expected: at least
 * one byte of host after the scheme.
 */
static void
test_regress_url_without_host(void **state)
{
	(void)state;
	bad_str("url", "https://", "must be an http(s) URL");
	bad_str("url", "http://", "must be an http(s) URL");
}

static void
test_date(void **state)
{
	static const char *const good[] = {
	    "2024",       "2024-02",    "2024-02-29", "2000-02-29",
	    "1996-02-29", "2023-02-28", "2023-12-31", "2023-01-01",
	    "1900",       "2200-12-31", "2023-04-30", "2023-11-30",
	};
	static const char *const bad[] = {
	    "2023-02-29", "1900-02-29",
	    "2100-02-29", "2024-02-30",
	    "2023-04-31", "2023-06-31",
	    "2023-09-31", "2023-11-31",
	    "2023-01-32", "2023-13",
	    "2023-00",    "2023-01-00",
	    "2023-13-01", "2023-4-01",
	    "2023-04-1",  "23",
	    "202",        "20233",
	    "2023-",      "2023-04-",
	    "2023/04/01", "2023-04-01T00:00:00Z",
	    "abcd",       "1899",
	    "2201",       "",
	    " 2023",      "2023-0a",
	    "+023",       "-023",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok_str("date", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bad_str("date", bad[i],
		        "must be a date YYYY, YYYY-MM or "
		        "YYYY-MM-DD");
}

static void
test_time(void **state)
{
	static const char *const good[] = {
	    "2026-12-04T09:30:00Z",
	    "2026-12-04T09:30:00.5Z",
	    "2026-12-04T09:30:00.123Z",
	    "2024-02-29T23:59:59Z",
	};
	static const char *const bad[] = {
	    "2026-12-04",
	    "2026-12-04T09:30:00",
	    "2026-12-04T09:30:00+01:00", /* UTC only: no offsets */
	    "2026-12-04 09:30:00Z",
	    "2026-13-04T09:30:00Z",
	    "2023-02-29T09:30:00Z",
	    "2026-12-04T25:30:00Z",
	    "2026-12-04T09:30:00.1234567890123Z",
	    "",
	    "Z",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok_str("at", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		bad_str("at", bad[i], "must be an instant in UTC, RFC 3339");
}

static void
test_code(void **state)
{
	(void)state;
	ok_str("code", "FR");
	ok_str("code", "FRA");
	ok_str("code", "UNSC-P5");
	ok_str("code", "0123456789ABCDEF"); /* 16 */
	bad_str("code", "0123456789ABCDEFG", "must be a party code");
	bad_str("code", "F", "must be a party code");
	bad_str("code", "", "must be a party code");
	bad_str("code", "fra", "must be a party code");
	bad_str("code", "Fra", "must be a party code");
	bad_str("code", "FR A", "must be a party code");
	bad_str("code", "FR_A", "must be a party code");
	bad_str("code", "FR.A", "must be a party code");
	bad_str("code", "\xc3\x89U", "must be a party code");
	assert_true(schema_is_code("EU"));
	assert_false(schema_is_code("E"));
	assert_false(schema_is_code("eu"));
}

static void
test_slug(void **state)
{
	char s[66];

	(void)state;
	ok_str("slug", "a");
	ok_str("slug", "gge2015-a");
	ok_str("slug", "0");
	memset(s, 'a', 64);
	s[64] = '\0';
	ok_str("slug", s);
	s[64] = 'a';
	s[65] = '\0';
	bad_str("slug", s, "must be an id");
	bad_str("slug", "", "must be an id");
	bad_str("slug", "-a", "must be an id");
	bad_str("slug", "A", "must be an id");
	bad_str("slug", "a_b", "must be an id");
	bad_str("slug", "a.b", "must be an id");
	bad_str("slug", "a/b", "must be an id");
	bad_str("slug", "a b", "must be an id");
	bad_str("slug", "..", "must be an id");
	assert_true(schema_is_slug("un-ga"));
	assert_false(schema_is_slug("-"));
	assert_false(schema_is_slug(""));
}

static void
test_username(void **state)
{
	char s[66];

	(void)state;
	ok_str("user", "abc");
	ok_str("user", "a.b_c-d9");
	memset(s, 'u', 64);
	s[64] = '\0';
	ok_str("user", s);
	s[64] = 'u';
	s[65] = '\0';
	bad_str("user", s, "must be a user name");
	bad_str("user", "ab", "must be a user name");
	bad_str("user", "", "must be a user name");
	bad_str("user", "Alice", "must be a user name");
	bad_str("user", "al ice", "must be a user name");
	bad_str("user", "al@ice", "must be a user name");
	bad_str("user", "al/ice", "must be a user name");
	bad_str("user", "al\xc3\xa9", "must be a user name");
	assert_true(schema_is_username("alice"));
	assert_false(schema_is_username("al"));
	assert_false(schema_is_username("ALICE"));
}

static void
test_enum(void **state)
{
	(void)state;
	ok_str("colour", "red");
	ok_str("colour", "green");
	bad_str("colour", "blue", "must be one of red, green");
	bad_str("colour", "Red", "must be one of red, green");
	bad_str("colour", "red ", NULL);
	bad_str("colour", "", NULL);
	assert_string_equal(err, "body.colour: must be one of red, green");
}

static void
test_int(void **state)
{
	(void)state;
	assert_int_equal(check_member("count", json_integer(-3)), 0);
	assert_int_equal(check_member("count", json_integer(0)), 0);
	assert_int_equal(check_member("count", json_integer(7)), 0);
	refused("count", json_integer(-4), "must be between -3 and 7");
	refused("count", json_integer(8), "must be between -3 and 7");
	refused("count", json_integer(INT64_MAX), "must be between -3 and 7");
	refused("count", json_integer(INT64_MIN), "must be between -3 and 7");
}

static void
test_bool(void **state)
{
	(void)state;
	assert_int_equal(check_member("flag", json_true()), 0);
	assert_int_equal(check_member("flag", json_false()), 0);
	refused("flag", json_string("false"), "must be true or false");
}

static void
test_object(void **state)
{
	(void)state;
	assert_int_equal(
	    check_member("totals", json_pack("{s:i,s:i}", "yes", 0, "no", 400)),
	    0);
	refused("totals", json_pack("{s:i,s:i}", "yes", 401, "no", 0), NULL);
	assert_string_equal(err, "body.totals.yes: must be between 0 and 400");
	refused("totals", json_pack("{s:i,s:s}", "yes", 1, "no", "2"), NULL);
	assert_string_equal(err, "body.totals.no: must be an integer");
	refused("totals", json_object(), NULL);
	assert_string_equal(err, "body.totals.yes: is required");
}

/* An object field without a table takes any object (another schema checks
 * it later), but still only an object. */
static void
test_object_without_table(void **state)
{
	static const struct schema_field frame[] = {
	    {"body", SCHEMA_OBJ, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
	    END,
	};

	(void)state;
	assert_int_equal(check_text(frame, "{\"body\": {}}"), 0);
	assert_int_equal(
	    check_text(frame, "{\"body\": {\"anything\": [1, {\"x\": null}]}}"),
	    0);
	assert_int_equal(check_text(frame, "{\"body\": []}"), -1);
	assert_string_equal(err, "body.body: must be an object");
	assert_int_equal(check_text(frame, "{\"body\": \"x\"}"), -1);
	assert_string_equal(err, "body.body: must be an object");
	assert_int_equal(check_text(frame, "{\"body\": null}"), -1);
	assert_string_equal(err, "body.body: must not be null");
	assert_int_equal(check_text(frame, "{}"), -1);
	assert_string_equal(err, "body.body: is required");
}

static void
test_array_bounds(void **state)
{
	(void)state;
	/* members: 1..3 items */
	refused("members", json_array(), "fewer than 1 items");
	assert_int_equal(
	    check_member("members", json_pack("[{s:s,s:s}]", "party", "FR",
	                                      "role", "chair")),
	    0);
	assert_int_equal(
	    check_member("members", json_pack("[{s:s,s:s},{s:s,s:s},"
	                                      "{s:s,s:s}]",
	                                      "party", "FR", "role", "chair",
	                                      "party", "DE", "role", "member",
	                                      "party", "IT", "role", "member")),
	    0);
	refused("members",
	        json_pack("[{s:s,s:s},{s:s,s:s},{s:s,s:s},{s:s,s:s}]", "party",
	                  "FR", "role", "chair", "party", "DE", "role",
	                  "member", "party", "IT", "role", "member", "party",
	                  "ES", "role", "member"),
	        "more than 3 items");
	/* tags: 0..2 items */
	assert_int_equal(check_member("tags", json_array()), 0);
	assert_int_equal(check_member("tags", json_pack("[s,s]", "a", "b")), 0);
	refused("tags", json_pack("[s,s,s]", "a", "b", "c"),
	        "more than 2 items");
}

static void
test_array_items_name_their_path(void **state)
{
	(void)state;
	refused("members",
	        json_pack("[{s:s,s:s},{s:s,s:s}]", "party", "FR", "role",
	                  "chair", "party", "DE", "role", "boss"),
	        NULL);
	assert_string_equal(
	    err, "body.members[1].role: must be one of chair, member");
	refused("members",
	        json_pack("[{s:s,s:s},{s:s,s:s}]", "party", "FR", "role",
	                  "chair", "party", "de", "role", "member"),
	        NULL);
	assert_true(strncmp(err, "body.members[1].party: must be a party code",
	                    43) == 0);
	refused("tags", json_pack("[s,s]", "ok", "Not-OK"), NULL);
	assert_true(strncmp(err, "body.tags[1]: must be an id", 27) == 0);
	refused("tags", json_pack("[s,i]", "ok", 3), NULL);
	assert_string_equal(err, "body.tags[1]: must be a string");
}

/* The act table's own schemas report nested paths the same way. */
static void
test_act_schema_paths(void **state)
{
	const struct act_type *t = acts_find("forum.establish");

	(void)state;
	assert_non_null(t);
	assert_int_equal(
	    check_text(
	        t->body,
	        "{\"id\": \"f\", \"name\": \"F\", \"kind\": \"plenary\","
	        " \"mandate\": \"m\", \"membership_rule\": \"r\","
	        " \"decision_rule\": \"consensus\","
	        " \"sources\": [{\"title\": \"t\"}],"
	        " \"members\": [{\"party\": \"FRA\", \"role\": \"chair\"},"
	        " {\"party\": \"DEU\", \"role\": \"boss\"}]}"),
	    -1);
	assert_string_equal(
	    err,
	    "body.members[1].role: must be one of chair, member, observer");
	assert_int_equal(
	    check_text(t->body,
	               "{\"id\": \"f\", \"name\": \"F\", \"kind\": \"plenary\","
	               " \"mandate\": \"m\", \"membership_rule\": \"r\","
	               " \"decision_rule\": \"consensus\","
	               " \"sources\": [{\"title\": \"t\", \"url\": \"x\"}]}"),
	    -1);
	assert_string_equal(
	    err, "body.sources[0].url: must be an http(s) URL with a host");
	assert_int_equal(
	    check_text(t->body,
	               "{\"id\": \"f\", \"name\": \"F\", \"kind\": \"plenary\","
	               " \"mandate\": \"m\", \"membership_rule\": \"r\","
	               " \"decision_rule\": \"consensus\", \"sources\": []}"),
	    -1);
	assert_string_equal(err, "body.sources: fewer than 1 items");
}

/* A short error buffer gets a cut, terminated message. */
static void
test_small_error_buffer(void **state)
{
	json_t *o = json_object();
	char small[8];

	(void)state;
	memset(small, 'x', sizeof(small));
	assert_int_equal(schema_check(fields, o, "body", small, sizeof(small)),
	                 -1);
	assert_string_equal(small, "body.na");
	json_decref(o);
}

/*
 * BUG (src/core/schema.c, clean_text): its contract is "no control
 * characters other than newline and tab", but only C0 and DEL are refused;
 * the C1 controls U+0080..U+009F (e.g. U+009B, CSI, a terminal escape
 * introducer, and U+0085, NEL, a line break) pass.  Expected: refused.
 */
static void
test_regress_str_accepts_c1_controls(void **state)
{
	(void)state;
	bad_str("name",
	        "a\xc2\x9b"
	        "b",
	        "contains control characters");
	bad_str("name",
	        "a\xc2\x85"
	        "b",
	        "contains control characters");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_minimal_object),
	    cmocka_unit_test(test_required_missing),
	    cmocka_unit_test(test_unknown_keys),
	    cmocka_unit_test(test_not_an_object),
	    cmocka_unit_test(test_path_prefix),
	    cmocka_unit_test(test_str_length),
	    cmocka_unit_test(test_str_control_characters),
	    cmocka_unit_test(test_nul_byte),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_nullable),
	    cmocka_unit_test(test_url),
	    cmocka_unit_test(test_date),
	    cmocka_unit_test(test_code),
	    cmocka_unit_test(test_slug),
	    cmocka_unit_test(test_username),
	    cmocka_unit_test(test_enum),
	    cmocka_unit_test(test_int),
	    cmocka_unit_test(test_bool),
	    cmocka_unit_test(test_object),
	    cmocka_unit_test(test_object_without_table),
	    cmocka_unit_test(test_array_bounds),
	    cmocka_unit_test(test_array_items_name_their_path),
	    cmocka_unit_test(test_act_schema_paths),
	    cmocka_unit_test(test_small_error_buffer),
	    cmocka_unit_test(test_regress_url_accepts_control_characters),
	    cmocka_unit_test(test_regress_url_without_host),
	    cmocka_unit_test(test_regress_str_accepts_c1_controls),
	    cmocka_unit_test(test_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
