/*
 * base/zip.c: an archive that a reader of APPNOTE finds whole: the end
 * record, the central directory, the local headers, deflated data with
 * the right CRC-32 and sizes, UTF-8 names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/zip.h"

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static unsigned
rd16(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* The n-th file of the archive: its name and inflated contents. */
static void
file_at(const unsigned char *z, size_t len, unsigned n, char *name,
        unsigned char *out, size_t *outlen)
{
	const unsigned char *eocd = z + len - 22;
	const unsigned char *p;
	z_stream s;

	assert_int_equal(rd32(eocd), 0x06054b50);
	p = z + rd32(eocd + 16);
	for (unsigned i = 0; i < n; i++)
		p += 46 + rd16(p + 28) + rd16(p + 30) + rd16(p + 32);
	assert_int_equal(rd32(p), 0x02014b50);
	assert_int_equal(rd16(p + 8) & 0x0800, 0x0800); /* UTF-8 names */
	memcpy(name, p + 46, rd16(p + 28));
	name[rd16(p + 28)] = '\0';
	{
		const unsigned char *l = z + rd32(p + 42);
		const unsigned char *data =
		    l + 30 + rd16(l + 26) + rd16(l + 28);

		assert_int_equal(rd32(l), 0x04034b50);
		assert_int_equal(rd32(l + 14), rd32(p + 16)); /* crc agrees */
		memset(&s, 0, sizeof(s));
		assert_int_equal(inflateInit2(&s, -15), Z_OK);
		s.next_in = (Bytef *)data;
		s.avail_in = rd32(p + 20);
		s.next_out = out;
		s.avail_out = 1 << 20;
		assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
		*outlen = s.total_out;
		inflateEnd(&s);
		assert_int_equal(*outlen, rd32(p + 24));
		assert_int_equal(crc32(0, out, (uInt)*outlen), rd32(p + 16));
	}
}

static void
test_two_files(void **state)
{
	static const char csv[] = "code,name\r\nCIV,Côte d'Ivoire\r\n";
	static char big[100000];
	struct zip z;
	unsigned char *out = malloc(1 << 20);
	char *a, name[128];
	size_t len = 0, n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = "abcdef,\r\n"[i % 9];
	zip_init(&z, 1 << 20, 1796025600000LL); /* 2026-12-01 */
	assert_int_equal(zip_add(&z, "record/parties.csv", csv, strlen(csv)),
	                 0);
	assert_int_equal(zip_add(&z, "record/Türkiye.txt", big, sizeof(big)),
	                 0);
	a = zip_finish(&z, &len);
	assert_non_null(a);
	assert_true(len < sizeof(big)); /* deflated */
	assert_int_equal(rd16((unsigned char *)a + len - 22 + 10), 2);
	file_at((unsigned char *)a, len, 0, name, out, &n);
	assert_string_equal(name, "record/parties.csv");
	assert_int_equal(n, strlen(csv));
	assert_memory_equal(out, csv, n);
	file_at((unsigned char *)a, len, 1, name, out, &n);
	assert_string_equal(name, "record/Türkiye.txt");
	assert_int_equal(n, sizeof(big));
	assert_memory_equal(out, big, n);
	free(a);
	free(out);
}

static void
test_cap(void **state)
{
	static char data[4096];
	uint32_t x = 1;
	struct zip z;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++) { /* not compressible */
		x = x * 1103515245u + 12345u;
		data[i] = (char)(x >> 16);
	}
	zip_init(&z, 1024, 0);
	assert_int_equal(zip_add(&z, "x", data, sizeof(data)), -1);
	zip_free(&z);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_two_files),
	    cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
