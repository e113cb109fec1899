/*
 * Time as Détente keeps it: milliseconds since the Unix epoch (int64), shown
 * as RFC 3339 UTC ("2026-11-22T03:57:00.123Z").  Only the edge reads the
 * clock; everything below takes the time as an argument.
 */
#ifndef DETENTE_BASE_TIMEUTIL_H
#define DETENTE_BASE_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#define TIME_RFC3339_LEN 25 /* "YYYY-MM-DDTHH:MM:SS.mmmZ" + NUL */

int64_t time_now_ms(void);

/* Monotonic milliseconds, for measuring durations and rate limits. */
int64_t time_mono_ms(void);

void time_format_ms(int64_t ms, char out[TIME_RFC3339_LEN]);

/*
 * Parses an RFC 3339 time with 'Z' or a numeric offset, with or without
 * fractional seconds (kept to the millisecond).  Returns 0, or -1.
 */
__attribute__((warn_unused_result)) int time_parse_ms(const char *s,
                                                      int64_t *ms);

/*
 * Accepts a calendar date of the record: "YYYY", "YYYY-MM" or "YYYY-MM-DD",
 * with a real month and day.  Returns 0 or -1.
 */
__attribute__((warn_unused_result)) int time_check_date(const char *s);

#endif
