/*
 * libFuzzer harness for http/media.  The input is split at its first
 * newline into an Accept header and a Content-Type.  Invariants: nothing
 * crashes or reads past the strings; a chosen offer is one of the offers;
 * every offer matches itself; a header that takes everything (no header)
 * takes the first offer; a Content-Type that matches an offer still does
 * with a charset parameter added.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "http/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const offers[] = {"application/taxii+json;version=2.1",
                                     "application/stix+json;version=2.1",
                                     "application/json", "text/plain", NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in, *nl, *ct, *ct2;
	const char *got;
	size_t n;
	bool found = false;

	if (size > 4096)
		return 0;
	in = malloc(size + 1);
	CHECK(in != NULL);
	memcpy(in, data, size);
	in[size] = '\0';
	if (strlen(in) != size) { /* header values hold no NUL */
		free(in);
		return 0;
	}
	nl = strchr(in, '\n');
	ct = nl ? nl + 1 : in;
	if (nl)
		*nl = '\0';
	got = http_media_choose(in, offers);
	for (size_t i = 0; got != NULL && offers[i] != NULL; i++)
		found = found || got == offers[i];
	CHECK(got == NULL || found);
	CHECK(http_media_choose(NULL, offers) == offers[0]);
	for (size_t i = 0; offers[i] != NULL; i++) {
		CHECK(http_media_is(offers[i], offers[i]));
		CHECK(http_media_choose(offers[i], offers) == offers[i]);
		if (http_media_is(ct, offers[i]) && strlen(ct) < 200) {
			n = strlen(ct) + 20;
			ct2 = malloc(n);
			CHECK(ct2 != NULL);
			snprintf(ct2, n, "%s;charset=utf-8", ct);
			CHECK(http_media_is(ct2, offers[i]));
			free(ct2);
		}
	}
	free(in);
	return 0;
}
