#include "base/jsonx.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

int
jsonx_depth(const json_t *v)
{
	int max = 0;

	if (json_is_object(v)) {
		const char *k;
		json_t *c;

		json_object_foreach((json_t *)v, k, c)
		{
			int d = jsonx_depth(c);

			if (d > max)
				max = d;
		}
		return max + 1;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *c;

		json_array_foreach(v, i, c)
		{
			int d = jsonx_depth(c);

			if (d > max)
				max = d;
		}
		return max + 1;
	}
	return 0;
}

/*
 * A fast reading of the common case: JSON whose strings are ASCII without
 * escapes and whose numbers are integers of at most 18 digits (envelopes,
 * acts, request bodies).  Anything else (an escape, a byte >= 0x80, a
 * fraction or an exponent, a duplicate key, deep nesting, any error) makes
 * it give up, and jansson reads the input instead, with its checks and its
 * messages.  What it accepts it reads as jansson does: the same values,
 * keys in the same order (fuzz_jsonx and test_jsonx compare the two).
 * jansson's lexer is about 170 instructions a byte; this is a handful.
 */
#define FAST_MAX_DEPTH 64

struct fast {
	const char *p, *end;
	int depth, max; /* current and deepest container nesting */
};

static void
fast_ws(struct fast *f)
{
	while (f->p < f->end && (*f->p == ' ' || *f->p == '\n' ||
	                         *f->p == '\r' || *f->p == '\t'))
		f->p++;
}

/* At a '"': the string's bytes (*n of them at the returned start). */
static const char *
fast_str(struct fast *f, size_t *n)
{
	const char *s = f->p + 1, *q = s;

	while (q < f->end) {
		unsigned char c = (unsigned char)*q;

		if (c == '"') {
			*n = (size_t)(q - s);
			f->p = q + 1;
			return s;
		}
		if (c == '\\' || c < 0x20 || c >= 0x80)
			return NULL;
		q++;
	}
	return NULL;
}

static json_t *fast_value(struct fast *f);

static json_t *
fast_container(struct fast *f, bool object)
{
	json_t *v = object ? json_object() : json_array();
	char close = object ? '}' : ']';

	if (++f->depth > FAST_MAX_DEPTH)
		goto bail;
	if (f->depth > f->max)
		f->max = f->depth;
	f->p++;
	fast_ws(f);
	if (f->p < f->end && *f->p == close) {
		f->p++;
		f->depth--;
		return v;
	}
	for (;;) {
		json_t *item;
		const char *key = NULL;
		size_t klen = 0;

		if (object) {
			if (f->p == f->end || *f->p != '"' ||
			    (key = fast_str(f, &klen)) == NULL ||
			    json_object_getn(v, key, klen) != NULL)
				goto bail;
			fast_ws(f);
			if (f->p == f->end || *f->p != ':')
				goto bail;
			f->p++;
			fast_ws(f);
		}
		if ((item = fast_value(f)) == NULL)
			goto bail;
		if (object ? json_object_setn_new_nocheck(v, key, klen, item)
		           : json_array_append_new(v, item))
			goto bail;
		fast_ws(f);
		if (f->p == f->end)
			goto bail;
		if (*f->p == close) {
			f->p++;
			f->depth--;
			return v;
		}
		if (*f->p != ',')
			goto bail;
		f->p++;
		fast_ws(f);
	}
bail:
	json_decref(v);
	return NULL;
}

static json_t *
fast_value(struct fast *f)
{
	const char *s;
	size_t n;

	if (f->p == f->end)
		return NULL;
	switch (*f->p) {
	case '{':
		return fast_container(f, true);
	case '[':
		return fast_container(f, false);
	case '"':
		return (s = fast_str(f, &n)) != NULL
		           ? json_stringn_nocheck(s, n)
		           : NULL;
	case 't':
	case 'f':
	case 'n': {
		static const char *const lit[] = {"true", "false", "null"};
		int i = *f->p == 't' ? 0 : *f->p == 'f' ? 1 : 2;

		n = strlen(lit[i]);
		if ((size_t)(f->end - f->p) < n || memcmp(f->p, lit[i], n) != 0)
			return NULL;
		f->p += n;
		return i == 0   ? json_true()
		       : i == 1 ? json_false()
		                : json_null();
	}
	default: {
		const char *q = f->p;
		bool neg = *q == '-';
		long long x = 0;

		if (neg)
			q++;
		s = q;
		while (q < f->end && *q >= '0' && *q <= '9') {
			if (q - s < 18) /* more digits are refused below */
				x = x * 10 + (*q - '0');
			q++;
		}
		n = (size_t)(q - s);
		/* no digits, a leading zero, too long, or not an integer */
		if (n == 0 || n > 18 || (*s == '0' && n > 1) ||
		    (q < f->end && (*q == '.' || *q == 'e' || *q == 'E')))
			return NULL;
		f->p = q;
		return json_integer(neg ? -x : x);
	}
	}
}

json_t *
jsonx_parse_fast(const char *buf, size_t len, int *depth)
{
	struct fast f = {buf, buf + len, 0, 0};
	json_t *v;

	fast_ws(&f);
	if (f.p == f.end || (*f.p != '{' && *f.p != '['))
		return NULL;
	if ((v = fast_value(&f)) == NULL)
		return NULL;
	fast_ws(&f);
	if (f.p != f.end) {
		json_decref(v);
		return NULL;
	}
	*depth = f.max;
	return v;
}

int
jsonx_parse(const char *buf, size_t len, int max_depth, json_t **out, char *err,
            size_t errlen)
{
	json_error_t je;
	json_t *v;
	int depth = 0;

	*out = NULL;
	if ((v = jsonx_parse_fast(buf, len, &depth)) != NULL) {
		if (depth > max_depth) {
			snprintf(err, errlen,
			         "JSON nested deeper than %d levels",
			         max_depth);
			json_decref(v);
			return -1;
		}
		*out = v;
		return 0;
	}
	/* JSON text never holds a raw NUL byte (not even in a string), and
	 * jansson skips one after a number or a literal ("[1\0]"), so that
	 * several byte strings would read as one value. */
	if (memchr(buf, '\0', len) != NULL) {
		snprintf(err, errlen,
		         "malformed JSON: a NUL byte at offset %zu",
		         (size_t)((const char *)memchr(buf, '\0', len) - buf));
		return -1;
	}
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (v == NULL) {
		snprintf(err, errlen, "malformed JSON at line %d column %d: %s",
		         je.line, je.column, je.text);
		return -1;
	}
	if (jsonx_depth(v) > max_depth) {
		snprintf(err, errlen, "JSON nested deeper than %d levels",
		         max_depth);
		json_decref(v);
		return -1;
	}
	*out = v;
	return 0;
}

char *
jsonx_dump(const json_t *v, size_t *len)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
	                            JSON_ENCODE_ANY | JSON_REAL_PRECISION(17));

	if (s == NULL) {
		fprintf(stderr, "detente: cannot serialise JSON\n");
		abort();
	}
	if (len != NULL)
		*len = strlen(s);
	return s;
}

const char *
jsonx_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

json_int_t
jsonx_int(const json_t *obj, const char *key, json_int_t dflt)
{
	json_t *v = json_object_get(obj, key);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* The length of the valid UTF-8 sequence at p (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF), or 0. */
static size_t
utf8_len(const unsigned char *p)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (c == 0xE0)
		lo = 0xA0;
	else if (c == 0xED)
		hi = 0x9F;
	else if (c == 0xF0)
		lo = 0x90;
	else if (c == 0xF4)
		hi = 0x8F;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return n;
}

char *
jsonx_utf8_clean(char *s)
{
	unsigned char *p = (unsigned char *)s;

	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
	return s;
}
