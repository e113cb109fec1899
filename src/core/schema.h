/*
 * Declarative validation of JSON objects against a table of fields.  Every
 * act body and request body is checked here before anything else sees it;
 * code behind the check may trust the shape of what it gets.
 *
 * Validation is strict: a key that the table does not name is an error, and
 * so is a missing required key, a wrong type, an over-long string or list,
 * a value outside an enumeration, or a malformed date, code or slug.
 */
#ifndef DETENTE_CORE_SCHEMA_H
#define DETENTE_CORE_SCHEMA_H

#include <stddef.h>

#include <jansson.h>

enum schema_type {
	SCHEMA_STR, /* any string of 1..max bytes of UTF-8 text */
	SCHEMA_INT, /* integer in [min, max] */
	SCHEMA_BOOL,
	SCHEMA_DATE,     /* "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
	SCHEMA_CODE,     /* party code: [A-Z0-9-]{2,16} */
	SCHEMA_SLUG,     /* record id: [a-z0-9-]{1,64} */
	SCHEMA_ENUM,     /* one of values[] */
	SCHEMA_OBJ,      /* object checked against sub[] */
	SCHEMA_ARR,      /* array of at most max items, each checked as item */
	SCHEMA_USERNAME, /* [a-z0-9._-]{3,64} */
	SCHEMA_URL,      /* http(s) URL without spaces, 1..max bytes */
	SCHEMA_TIME,     /* an instant, RFC 3339 in UTC ("...Z") */
};

#define SCHEMA_REQUIRED 0x1u
#define SCHEMA_NULLABLE 0x2u

struct schema_field {
	const char *name; /* NULL ends a table */
	enum schema_type type;
	unsigned flags;
	long long min; /* SCHEMA_INT: least value; SCHEMA_STR: least length */
	long long max; /* STR/URL: most bytes; INT: most; ARR: most items */
	const char *const *values;      /* SCHEMA_ENUM: NULL-terminated */
	const struct schema_field *sub; /* SCHEMA_OBJ: its fields */
	const struct schema_field
	    *item; /* SCHEMA_ARR: one field, name unused */
};

/*
 * Checks obj against fields.  Returns 0, or -1 with a message naming the
 * offending member path (e.g. "body.members[3].party: unknown value")
 * written into err.
 */
__attribute__((warn_unused_result)) int
schema_check(const struct schema_field *fields, const json_t *obj,
             const char *path, char *err, size_t errlen);

/* Character-class checks, exported for the edge's path parameters. */
int schema_is_code(const char *s);
int schema_is_slug(const char *s);
int schema_is_username(const char *s);

#endif
