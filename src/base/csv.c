/*
 * CSV as RFC 4180 has it, from the JSON rows the API serves: one row per
 * object, one column per member (an object of plain values as "a.b"), a
 * header row, CRLF line ends, UTF-8.
 */
#include "base/csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"

#define MAX_COLUMNS 256

struct cols {
	char *name[MAX_COLUMNS];
	size_t n;
};

static void
cols_add(struct cols *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return;
	if (c->n < MAX_COLUMNS)
		c->name[c->n++] = xstrdup(name);
}

/* Whether v is an object of plain values (vote totals), which becomes
 * columns of its own; a deeper one (an act) is one cell of JSON. */
static bool
flat_object(const json_t *v)
{
	const char *k;
	json_t *x;

	if (!json_is_object(v) || json_object_size(v) == 0)
		return false;
	json_object_foreach((json_t *)v, k, x)
	{
		if (json_is_object(x) || json_is_array(x))
			return false;
	}
	return true;
}

/* The columns of one row: its members, flat objects as "name.member". */
static void
cols_of(struct cols *c, const json_t *obj)
{
	const char *k, *k2;
	json_t *v, *v2;

	json_object_foreach((json_t *)obj, k, v)
	{
		if (!flat_object(v)) {
			cols_add(c, k);
			continue;
		}
		json_object_foreach(v, k2, v2)
		{
			char *name = xasprintf("%s.%s", k, k2);

			cols_add(c, name);
			free(name);
		}
	}
}

/* A member that is split into "name.member" columns in some rows (vote
 * totals) and null in others is not a column of its own. */
static void
drop_split(struct cols *c)
{
	size_t out = 0;

	for (size_t k = 0; k < c->n; k++) {
		size_t n = strlen(c->name[k]);
		bool split = false;

		for (size_t j = 0; j < c->n && !split; j++)
			split = strncmp(c->name[j], c->name[k], n) == 0 &&
			        c->name[j][n] == '.';
		if (split)
			free(c->name[k]);
		else
			c->name[out++] = c->name[k];
	}
	c->n = out;
}

/* The value of a column in a row: a member, or "name.member" of a flat
 * object (cols_of makes no deeper columns), or NULL. */
static const json_t *
value_at(const json_t *row, const char *name)
{
	const json_t *v = json_object_get(row, name);
	const char *dot = strchr(name, '.');

	if (v != NULL || dot == NULL)
		return v;
	return json_object_get(
	    json_object_getn(row, name, (size_t)(dot - name)), dot + 1);
}

/* A spreadsheet would run a cell that starts like a formula: such text
 * gets a leading apostrophe (OWASP's advice for CSV injection). */
static bool
formula_like(const char *s)
{
	return s[0] == '=' || s[0] == '+' || s[0] == '@' || s[0] == '\t' ||
	       s[0] == '\r' ||
	       (s[0] == '-' && s[1] != '\0' && !(s[1] >= '0' && s[1] <= '9') &&
	        s[1] != '.');
}

static int
field(struct buf *b, const char *s, bool text)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	int rc = 0;

	if (quote)
		rc |= buf_add(b, "\"", 1);
	if (text && formula_like(s))
		rc |= buf_add(b, "'", 1);
	for (const char *p = s; *p; p++)
		rc |= *p == '"' ? buf_add(b, "\"\"", 2) : buf_add(b, p, 1);
	if (quote)
		rc |= buf_add(b, "\"", 1);
	return rc;
}

/* A cell: text as it is, numbers and booleans as JSON writes them, null
 * empty, a list of plain values joined by "; ", anything else as JSON. */
static int
cell(struct buf *b, const json_t *v)
{
	char *s;
	int rc;

	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v))
		return field(b, json_string_value(v), true);
	if (json_is_array(v)) {
		bool plain = true;
		size_t i;
		json_t *x;
		struct buf j;

		json_array_foreach(v, i, x) plain =
		    plain && (json_is_string(x) || json_is_number(x));
		if (plain) {
			buf_init(&j, CSV_MAX_BYTES);
			rc = 0;
			json_array_foreach(v, i, x)
			{
				if (i > 0)
					rc |= buf_add(&j, "; ", 2);
				if (json_is_string(x)) {
					rc |=
					    buf_adds(&j, json_string_value(x));
				} else {
					s = jsonx_dump(x, NULL);
					rc |= buf_adds(&j, s);
					free(s);
				}
			}
			/* an empty list: nothing in the cell */
			rc |= rc || j.len == 0 ? 0 : field(b, j.data, true);
			buf_free(&j);
			return rc;
		}
	}
	s = jsonx_dump(v, NULL);
	rc = field(b, s, false);
	free(s);
	return rc;
}

char *
csv_encode(const json_t *rows, const char *const *columns, size_t *len)
{
	struct cols c = {{0}, 0};
	struct buf b;
	size_t i;
	json_t *row;
	char *out = NULL;
	int rc = 0;

	for (; columns != NULL && *columns != NULL; columns++)
		cols_add(&c, *columns);
	json_array_foreach(rows, i, row) if (json_is_object(row))
	    cols_of(&c, row);
	drop_split(&c);
	buf_init(&b, CSV_MAX_BYTES);
	for (size_t k = 0; k < c.n; k++) {
		if (k > 0)
			rc |= buf_add(&b, ",", 1);
		rc |= field(&b, c.name[k], false);
	}
	rc |= buf_add(&b, "\r\n", 2);
	json_array_foreach(rows, i, row)
	{
		for (size_t k = 0; k < c.n; k++) {
			if (k > 0)
				rc |= buf_add(&b, ",", 1);
			rc |= cell(&b, json_is_object(row)
			                   ? value_at(row, c.name[k])
			                   : NULL);
		}
		rc |= buf_add(&b, "\r\n", 2);
	}
	if (rc == 0)
		out = buf_take(&b, len);
	else
		buf_free(&b);
	for (size_t k = 0; k < c.n; k++)
		free(c.name[k]);
	return out;
}
