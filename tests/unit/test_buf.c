#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"

static void
test_cap_is_hard(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_adds(&b, "12345678"), 0);
	assert_int_equal(buf_adds(&b, "9"), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_free(&b);
}

static void
test_printf_grows(void **state)
{
	struct buf b;
	char big[600];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 4096);
	assert_int_equal(buf_printf(&b, "%d-%s", 42, big), 0);
	assert_int_equal(b.len, 3 + 599);
	assert_int_equal(buf_printf(&b, "%4000s", "y"), -1);
	assert_int_equal(b.len, 3 + 599);
	buf_free(&b);
}

static void
test_take_leaves_empty(void **state)
{
	struct buf b;
	size_t len;
	char *s;

	(void)state;
	buf_init(&b, 100);
	s = buf_take(&b, &len);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	assert_int_equal(buf_adds(&b, "abc"), 0);
	s = buf_take(&b, &len);
	assert_string_equal(s, "abc");
	assert_null(b.data);
	free(s);
	buf_free(&b);
	buf_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cap_is_hard),
	    cmocka_unit_test(test_printf_grows),
	    cmocka_unit_test(test_take_leaves_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
