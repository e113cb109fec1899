/*
 * Zip archives in memory, deflated by zlib: what a browser saves as one
 * file and every system opens.
 */
#include "base/zip.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "base/xmalloc.h"

static int
le16(struct buf *b, unsigned v)
{
	unsigned char c[2] = {v & 0xff, (v >> 8) & 0xff};

	return buf_add(b, c, 2);
}

static int
le32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	                      (v >> 24) & 0xff};

	return buf_add(b, c, 4);
}

void
zip_init(struct zip *z, size_t cap, int64_t time_ms)
{
	time_t t = (time_t)(time_ms / 1000);
	struct tm tm;

	memset(z, 0, sizeof(*z));
	buf_init(&z->out, cap);
	buf_init(&z->dir, cap);
	gmtime_r(&t, &tm);
	if (tm.tm_year < 80) /* DOS dates start in 1980 */
		tm.tm_year = 80, tm.tm_mon = 0, tm.tm_mday = 1;
	z->dos_time =
	    (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
	z->dos_date = (uint16_t)(((tm.tm_year - 80) << 9) |
	                         ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* data deflated raw (no zlib header), into a new buffer. */
static unsigned char *
deflated(const void *data, size_t len, size_t *out)
{
	z_stream s;
	uLong bound;
	unsigned char *d;

	memset(&s, 0, sizeof(s));
	if (deflateInit2(&s, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	bound = deflateBound(&s, (uLong)len);
	d = xmalloc(bound ? bound : 1);
	s.next_in = (Bytef *)data;
	s.avail_in = (uInt)len;
	s.next_out = d;
	s.avail_out = (uInt)bound;
	if (deflate(&s, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&s);
		free(d);
		return NULL;
	}
	*out = s.total_out;
	deflateEnd(&s);
	return d;
}

int
zip_add(struct zip *z, const char *name, const void *data, size_t len)
{
	size_t nlen = strlen(name), clen = 0;
	uint32_t crc = (uint32_t)crc32(0L, (const Bytef *)data, (uInt)len);
	uint32_t offset = (uint32_t)z->out.len;
	unsigned char *c;
	int rc = 0;

	if (z->n >= ZIP_MAX_FILES || len > 0xffffffffu || nlen > 0xffff ||
	    (c = deflated(data, len, &clen)) == NULL)
		return -1;
	/* local file header; bit 11: the name is UTF-8 */
	rc |= le32(&z->out, 0x04034b50);
	rc |= le16(&z->out, 20);
	rc |= le16(&z->out, 0x0800);
	rc |= le16(&z->out, 8);
	rc |= le16(&z->out, z->dos_time);
	rc |= le16(&z->out, z->dos_date);
	rc |= le32(&z->out, crc);
	rc |= le32(&z->out, (uint32_t)clen);
	rc |= le32(&z->out, (uint32_t)len);
	rc |= le16(&z->out, (unsigned)nlen);
	rc |= le16(&z->out, 0);
	rc |= buf_add(&z->out, name, nlen);
	rc |= buf_add(&z->out, c, clen);
	free(c);
	/* its central directory record */
	rc |= le32(&z->dir, 0x02014b50);
	rc |= le16(&z->dir, (3 << 8) | 20); /* made by: Unix */
	rc |= le16(&z->dir, 20);
	rc |= le16(&z->dir, 0x0800);
	rc |= le16(&z->dir, 8);
	rc |= le16(&z->dir, z->dos_time);
	rc |= le16(&z->dir, z->dos_date);
	rc |= le32(&z->dir, crc);
	rc |= le32(&z->dir, (uint32_t)clen);
	rc |= le32(&z->dir, (uint32_t)len);
	rc |= le16(&z->dir, (unsigned)nlen);
	rc |= le16(&z->dir, 0);              /* extra */
	rc |= le16(&z->dir, 0);              /* comment */
	rc |= le16(&z->dir, 0);              /* disk */
	rc |= le16(&z->dir, 0);              /* internal attributes */
	rc |= le32(&z->dir, 0100644u << 16); /* a regular file, rw-r--r-- */
	rc |= le32(&z->dir, offset);
	rc |= buf_add(&z->dir, name, nlen);
	if (rc != 0)
		return -1;
	z->n++;
	return 0;
}

char *
zip_finish(struct zip *z, size_t *len)
{
	uint32_t at = (uint32_t)z->out.len, size = (uint32_t)z->dir.len;
	int rc = buf_add(&z->out, z->dir.data ? z->dir.data : "", z->dir.len);

	rc |= le32(&z->out, 0x06054b50);
	rc |= le16(&z->out, 0);
	rc |= le16(&z->out, 0);
	rc |= le16(&z->out, z->n);
	rc |= le16(&z->out, z->n);
	rc |= le32(&z->out, size);
	rc |= le32(&z->out, at);
	rc |= le16(&z->out, 0);
	buf_free(&z->dir);
	if (rc != 0) {
		buf_free(&z->out);
		return NULL;
	}
	return buf_take(&z->out, len);
}

void
zip_free(struct zip *z)
{
	buf_free(&z->out);
	buf_free(&z->dir);
}
