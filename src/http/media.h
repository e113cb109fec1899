/*
 * Media types, as RFC 9110 §8.3 and §12.5.1 read them: which body types a
 * route takes (Content-Type) and which answer types it makes, and which of
 * those a client's Accept header takes.  Pure: strings in, answers out, so
 * the rules are tested without a server.
 */
#ifndef DETENTE_HTTP_MEDIA_H
#define DETENTE_HTTP_MEDIA_H

#include <stdbool.h>

/*
 * Whether the Content-Type value have is the media type want: the same
 * type and subtype (any case), and every parameter want names with the
 * same value (parameter names any case, values as given, quoted or not).
 * Other parameters of have are allowed (charset=utf-8).
 */
bool http_media_is(const char *have, const char *want);

/*
 * The first of the NULL-terminated list offers that the Accept header
 * value accept takes with a non-zero quality (the offers in the route's
 * order of preference, each range's most specific match deciding), or
 * NULL when it takes none.  A missing or empty header takes anything.
 * A range with parameters (application/taxii+json;version=2.1) matches an
 * offer only if the offer has them too; q is not one of them.
 */
const char *http_media_choose(const char *accept, const char *const *offers);

#endif
