#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base/timeutil.h"

static void
test_format_and_parse(void **state)
{
	char s[TIME_RFC3339_LEN];
	int64_t ms = 0;

	(void)state;
	time_format_ms(1448236800123LL, s);
	assert_string_equal(s, "2015-11-23T00:00:00.123Z");
	assert_int_equal(time_parse_ms(s, &ms), 0);
	assert_int_equal(ms, 1448236800123LL);
	assert_int_equal(time_parse_ms("2015-11-23T02:00:00+02:00", &ms), 0);
	assert_int_equal(ms, 1448236800000LL);
	assert_int_equal(time_parse_ms("2015-11-23T00:00:00", &ms), -1);
	assert_int_equal(time_parse_ms("2015-02-30T00:00:00Z", &ms), -1);
	assert_int_equal(time_parse_ms("2015-11-23T00:00:00Zjunk", &ms), -1);
}

static void
test_record_dates(void **state)
{
	(void)state;
	assert_int_equal(time_check_date("2015"), 0);
	assert_int_equal(time_check_date("2015-07"), 0);
	assert_int_equal(time_check_date("2016-02-29"), 0);
	assert_int_equal(time_check_date("2015-02-29"), -1);
	assert_int_equal(time_check_date("2015-13"), -1);
	assert_int_equal(time_check_date("15-07-22"), -1);
	assert_int_equal(time_check_date(""), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_and_parse),
	    cmocka_unit_test(test_record_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
