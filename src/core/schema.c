#include "core/schema.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/timeutil.h"

static int
all_in(const char *s, size_t minlen, size_t maxlen, const char *extra,
       int upper, int lower)
{
	size_t n = strlen(s);

	if (n < minlen || n > maxlen)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			continue;
		if (upper && c >= 'A' && c <= 'Z')
			continue;
		if (lower && c >= 'a' && c <= 'z')
			continue;
		if (strchr(extra, c) != NULL && c != '\0')
			continue;
		return 0;
	}
	return 1;
}

int
schema_is_code(const char *s)
{
	return all_in(s, 2, 16, "-", 1, 0);
}

int
schema_is_slug(const char *s)
{
	return all_in(s, 1, 64, "-", 0, 1) && s[0] != '-';
}

int
schema_is_username(const char *s)
{
	return all_in(s, 3, 64, "._-", 0, 1);
}

/* Text must be valid UTF-8 (jansson guarantees) without control characters
 * other than newline and tab. */
static int
clean_text(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return 0;
		/* C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8 */
		if (c == 0xc2 && (unsigned char)s[1] >= 0x80 &&
		    (unsigned char)s[1] <= 0x9f)
			return 0;
	}
	return 1;
}

/* An http(s) URL with a host, and no byte a URL never holds raw. */
static int
is_url(const char *s, size_t max)
{
	const char *host;

	if (strlen(s) > max)
		return 0;
	if (strncmp(s, "https://", 8) == 0)
		host = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		host = s + 7;
	else
		return 0;
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#')
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' ||
		    c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' ||
		    c == '|' || c == '}')
			return 0;
	}
	return 1;
}

/*
 * Where a value is, as a chain up to the caller's name for the document:
 * formatted ("act.body.sources[0].title") only when a check fails, since
 * most documents pass.
 */
struct path {
	const struct path *up;
	const char *name; /* a member's name, or NULL for an array item */
	size_t index;
};

static void
format_path(const struct path *p, char *buf, size_t len, size_t *used)
{
	int n;

	if (p->up != NULL)
		format_path(p->up, buf, len, used);
	if (*used >= len)
		return;
	if (p->up == NULL)
		n = snprintf(buf + *used, len - *used, "%s", p->name);
	else if (p->name != NULL)
		n = snprintf(buf + *used, len - *used, ".%.64s", p->name);
	else
		n = snprintf(buf + *used, len - *used, "[%zu]", p->index);
	*used = n < 0 ? len : *used + (size_t)n;
}

static int check_value(const struct schema_field *f, const json_t *v,
                       const struct path *path, char *err, size_t errlen);
static int check_object(const struct schema_field *fields, const json_t *obj,
                        const struct path *path, char *err, size_t errlen);

/* Writes "<path>: <what>" into err; returns -1. */
__attribute__((format(printf, 4, 5))) static int
fail(char *err, size_t errlen, const struct path *path, const char *fmt, ...)
{
	char where[256];
	char what[300];
	size_t used = 0;
	va_list ap;

	format_path(path, where, sizeof(where), &used);
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", where, what);
	return -1;
}

static int
check_value(const struct schema_field *f, const json_t *v,
            const struct path *path, char *err, size_t errlen)
{
	const char *s;

	if (json_is_null(v)) {
		if (f->flags & SCHEMA_NULLABLE)
			return 0;
		return fail(err, errlen, path, "must not be null");
	}
	switch (f->type) {
	case SCHEMA_STR:
	case SCHEMA_URL:
	case SCHEMA_DATE:
	case SCHEMA_TIME:
	case SCHEMA_CODE:
	case SCHEMA_SLUG:
	case SCHEMA_ENUM:
	case SCHEMA_USERNAME:
		if (!json_is_string(v))
			return fail(err, errlen, path, "must be a string");
		s = json_string_value(v);
		if (json_string_length(v) != strlen(s))
			return fail(err, errlen, path, "contains a NUL byte");
		break;
	default:
		s = NULL;
		break;
	}
	switch (f->type) {
	case SCHEMA_STR:
		if ((long long)strlen(s) < (f->min > 0 ? f->min : 1))
			return fail(err, errlen, path, "is too short");
		if ((long long)strlen(s) > f->max)
			return fail(err, errlen, path, "longer than %lld bytes",
			            f->max);
		if (!clean_text(s))
			return fail(err, errlen, path,
			            "contains control characters");
		return 0;
	case SCHEMA_URL:
		if (!is_url(s, (size_t)f->max))
			return fail(err, errlen, path,
			            "must be an http(s) URL with a host");
		return 0;
	case SCHEMA_DATE:
		if (time_check_date(s) != 0)
			return fail(err, errlen, path,
			            "must be a date YYYY, YYYY-MM or "
			            "YYYY-MM-DD");
		return 0;
	case SCHEMA_TIME: {
		int64_t ms;
		size_t n = strlen(s);

		if (n < 20 || n > 30 || s[n - 1] != 'Z' ||
		    time_parse_ms(s, &ms) != 0)
			return fail(err, errlen, path,
			            "must be an instant in UTC, RFC 3339 "
			            "(2026-12-04T09:30:00Z)");
		return 0;
	}
	case SCHEMA_CODE:
		if (!schema_is_code(s))
			return fail(err, errlen, path,
			            "must be a party code ([A-Z0-9-], 2 to 16 "
			            "characters)");
		return 0;
	case SCHEMA_SLUG:
		if (!schema_is_slug(s))
			return fail(err, errlen, path,
			            "must be an id ([a-z0-9-], 1 to 64 "
			            "characters)");
		return 0;
	case SCHEMA_USERNAME:
		if (!schema_is_username(s))
			return fail(err, errlen, path,
			            "must be a user name ([a-z0-9._-], 3 to 64 "
			            "characters)");
		return 0;
	case SCHEMA_ENUM:
		for (const char *const *e = f->values; *e != NULL; e++)
			if (strcmp(*e, s) == 0)
				return 0;
		{
			char list[200] = "";
			size_t used = 0;

			for (const char *const *e = f->values;
			     *e != NULL && used < sizeof(list) - 1; e++) {
				int n =
				    snprintf(list + used, sizeof(list) - used,
				             "%s%s", used ? ", " : "", *e);
				if (n < 0)
					break;
				used += (size_t)n;
				if (used >= sizeof(list))
					used = sizeof(list) - 1;
			}
			return fail(err, errlen, path, "must be one of %s",
			            list);
		}
	case SCHEMA_INT:
		if (!json_is_integer(v))
			return fail(err, errlen, path, "must be an integer");
		if (json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max)
			return fail(err, errlen, path,
			            "must be between %lld and %lld", f->min,
			            f->max);
		return 0;
	case SCHEMA_BOOL:
		if (!json_is_boolean(v))
			return fail(err, errlen, path, "must be true or false");
		return 0;
	case SCHEMA_OBJ:
		/* No table: any object, which another schema checks. */
		if (f->sub == NULL)
			return json_is_object(v) ? 0
			                         : fail(err, errlen, path,
			                                "must be an object");
		return check_object(f->sub, v, path, err, errlen);
	case SCHEMA_ARR: {
		size_t i;
		json_t *item;

		if (!json_is_array(v))
			return fail(err, errlen, path, "must be an array");
		if ((long long)json_array_size(v) > f->max)
			return fail(err, errlen, path, "more than %lld items",
			            f->max);
		if ((long long)json_array_size(v) < f->min)
			return fail(err, errlen, path, "fewer than %lld items",
			            f->min);
		json_array_foreach(v, i, item)
		{
			struct path at = {path, NULL, i};

			if (check_value(f->item, item, &at, err, errlen) != 0)
				return -1;
		}
		return 0;
	}
	}
	return fail(err, errlen, path, "unsupported type");
}

static int
check_object(const struct schema_field *fields, const json_t *obj,
             const struct path *path, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return fail(err, errlen, path, "must be an object");
	json_object_foreach((json_t *)obj, key, v)
	{
		const struct schema_field *f = fields;

		while (f->name != NULL && strcmp(f->name, key) != 0)
			f++;
		if (f->name == NULL) {
			struct path at = {path, key, 0};

			return fail(err, errlen, &at, "unknown field");
		}
	}
	for (const struct schema_field *f = fields; f->name != NULL; f++) {
		struct path at = {path, f->name, 0};

		v = json_object_get(obj, f->name);
		if (v == NULL) {
			if (f->flags & SCHEMA_REQUIRED)
				return fail(err, errlen, &at, "is required");
			continue;
		}
		if (check_value(f, v, &at, err, errlen) != 0)
			return -1;
	}
	return 0;
}

int
schema_check(const struct schema_field *fields, const json_t *obj,
             const char *path, char *err, size_t errlen)
{
	struct path root = {NULL, path, 0};

	return check_object(fields, obj, &root, err, errlen);
}
