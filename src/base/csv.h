/*
 * CSV (RFC 4180: a header row, fields quoted when they hold a comma, a
 * quote or a line end, quotes doubled, CRLF line ends), UTF-8, from the
 * JSON rows the API serves.
 */
#ifndef DETENTE_BASE_CSV_H
#define DETENTE_BASE_CSV_H

#include <stddef.h>

#include <jansson.h>

#define CSV_MAX_BYTES (64u << 20)

/*
 * Encodes rows, an array of objects, one line each.  The columns are
 * columns (NULL-terminated, may be NULL) first, then every other member in
 * the order the rows first have it; an object of plain values is columns
 * "name.member" (a deeper one is a cell of JSON).  Text is as it is (with a
 * leading apostrophe when it starts like a spreadsheet formula), numbers and
 * booleans as JSON writes them, null empty, a list of plain values joined by ";
 * ", anything else as compact JSON.  Returns the text (to free) or NULL past
 * CSV_MAX_BYTES.
 */
char *csv_encode(const json_t *rows, const char *const *columns, size_t *len);

#endif
