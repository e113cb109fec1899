/*
 * JSON helpers over jansson: parsing with the caps every input from outside
 * must have, and compact deterministic output.
 */
#ifndef DETENTE_BASE_JSONX_H
#define DETENTE_BASE_JSONX_H

#include <stddef.h>

#include <jansson.h>

#define JSONX_MAX_DEPTH 16

/*
 * Parses len bytes of JSON text into *out (owned by the caller).  Rejects
 * duplicate keys, NUL bytes (raw or escaped), trailing data and nesting
 * deeper than max_depth.  On error returns -1, leaves *out NULL and writes a
 * human-readable reason into err.
 */
__attribute__((warn_unused_result)) int jsonx_parse(const char *buf, size_t len,
                                                    int max_depth, json_t **out,
                                                    char *err, size_t errlen);

/*
 * The fast reader jsonx_parse tries first (exposed for tests and the
 * fuzzer): the value with its nesting depth in *depth, or NULL when the
 * input is not of the common kind it reads (ASCII strings without
 * escapes, integers of at most 18 digits) or is not JSON, and jansson
 * must read it.
 */
json_t *jsonx_parse_fast(const char *buf, size_t len, int *depth);

/* Depth of a JSON value: 0 for a scalar, 1 for a flat array/object. */
int jsonx_depth(const json_t *v);

/*
 * Serialises v compactly with sorted keys, so that equal values give equal
 * bytes.  Returns a string to free.
 */
char *jsonx_dump(const json_t *v, size_t *len);

/* Accessors that return NULL/default when the key is absent or mistyped. */
const char *jsonx_str(const json_t *obj, const char *key);

/*
 * Replaces, in place, every byte of s that does not belong to a valid UTF-8
 * sequence with '?', so that s can go into a JSON string (jansson refuses
 * invalid UTF-8).  For text that echoes input: a request path, a detail
 * cut at a byte count.  Returns s.
 */
char *jsonx_utf8_clean(char *s);
json_int_t jsonx_int(const json_t *obj, const char *key, json_int_t dflt);

#endif
