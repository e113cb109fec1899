/*
 * Media types (see media.h).  Media types and parameters are short; every
 * length here is capped, and anything that does not parse is taken as
 * not matching, never as matching.
 */
#include "http/media.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_PARAMS 8
#define MAX_TOKEN  128

struct param {
	char name[MAX_TOKEN];
	char value[MAX_TOKEN];
};

struct media {
	char type[MAX_TOKEN]; /* "application/json", lower case */
	struct param params[MAX_PARAMS];
	int nparams;
	double q; /* 1 unless a q parameter says otherwise */
};

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Copies [p, e) into out (trimmed, lower-cased if lower); -1 if too long
 * or empty. */
static int
token(const char *p, const char *e, char *out, int lower)
{
	size_t n;

	p = skip_ws(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	n = (size_t)(e - p);
	if (n == 0 || n >= MAX_TOKEN)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		out[i] =
		    lower && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	return 0;
}

/* A qvalue (RFC 9110 §12.4.2): "0" or "1", with up to three decimals,
 * at most 1.  Returns 0 or -1. */
static int
qvalue(const char *s, double *q)
{
	double v, scale = 0.1;
	int n = 0;

	if (s[0] != '0' && s[0] != '1')
		return -1;
	v = s[0] - '0';
	s++;
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9' && n < 3; s++, n++) {
			v += (*s - '0') * scale;
			scale /= 10;
		}
	}
	if (*s != '\0' || v > 1)
		return -1;
	*q = v;
	return 0;
}

/* Parses one media type or range, [p, end), into m.  Returns 0 or -1. */
static int
parse(const char *p, const char *end, struct media *m)
{
	const char *semi = memchr(p, ';', (size_t)(end - p));
	const char *stop = semi ? semi : end;

	memset(m, 0, sizeof(*m));
	m->q = 1;
	if (token(p, stop, m->type, 1) != 0 || strchr(m->type, '/') == NULL)
		return -1;
	while (semi != NULL) {
		const char *at = semi + 1, *eq, *next;
		struct param *pa, spare;

		next = memchr(at, ';', (size_t)(end - at));
		stop = next ? next : end;
		semi = next;
		if (skip_ws(at, stop) == stop)
			continue; /* "a/b;" */
		eq = memchr(at, '=', (size_t)(stop - at));
		if (eq == NULL)
			return -1;
		/* parsed into a spare slot first: q and charset take no room,
		 * so that a charset added to a type that fits still fits */
		pa = m->nparams < MAX_PARAMS ? &m->params[m->nparams] : &spare;
		if (token(at, eq, pa->name, 1) != 0 ||
		    token(eq + 1, stop, pa->value, 0) != 0)
			return -1;
		{
			size_t n = strlen(pa->value);

			if (n >= 2 && pa->value[0] == '"' &&
			    pa->value[n - 1] == '"') {
				memmove(pa->value, pa->value + 1, n - 2);
				pa->value[n - 2] = '\0';
			}
		}
		if (strcmp(pa->name, "q") == 0) {
			if (qvalue(pa->value, &m->q) != 0)
				return -1;
			continue;
		}
		if (strcmp(pa->name, "charset") == 0)
			continue; /* never decides a match */
		if (pa == &spare)
			return -1; /* more parameters than MAX_PARAMS */
		m->nparams++;
	}
	return 0;
}

/* Whether every parameter of want is in have with the same value. */
static bool
params_in(const struct media *want, const struct media *have)
{
	for (int i = 0; i < want->nparams; i++) {
		bool found = false;

		for (int j = 0; j < have->nparams && !found; j++)
			found = strcmp(want->params[i].name,
			               have->params[j].name) == 0 &&
			        strcmp(want->params[i].value,
			               have->params[j].value) == 0;
		if (!found)
			return false;
	}
	return true;
}

bool
http_media_is(const char *have, const char *want)
{
	struct media h, w;

	if (have == NULL || want == NULL ||
	    parse(have, have + strlen(have), &h) != 0 ||
	    parse(want, want + strlen(want), &w) != 0)
		return false;
	return strcmp(h.type, w.type) == 0 && params_in(&w, &h);
}

/*
 * How specifically range r matches offer o: 0 not at all, 1 for the
 * wildcard, 2 for type/ *, 3 for the type, 4 for the type with
 * parameters.
 */
static int
specificity(const struct media *r, const struct media *o)
{
	const char *rs = strchr(r->type, '/'), *os = strchr(o->type, '/');

	if (strcmp(r->type, "*/*") == 0)
		return r->nparams == 0 ? 1 : 0;
	if (strcmp(rs, "/*") == 0)
		return rs - r->type == os - o->type &&
		               strncmp(r->type, o->type,
		                       (size_t)(rs - r->type)) == 0 &&
		               r->nparams == 0
		           ? 2
		           : 0;
	if (strcmp(r->type, o->type) != 0)
		return 0;
	/* a range's parameters must all be the offer's: a client asking for
	 * taxii+json;version=2.0 does not get 2.1 */
	if (!params_in(r, o))
		return 0;
	return r->nparams > 0 ? 4 : 3;
}

const char *
http_media_choose(const char *accept, const char *const *offers)
{
	const char *p, *end;

	if (accept == NULL)
		return offers[0];
	for (p = accept; *p == ' ' || *p == '\t'; p++)
		;
	if (*p == '\0')
		return offers[0];
	end = accept + strlen(accept);
	for (size_t i = 0; offers[i] != NULL; i++) {
		struct media o, r;
		int best = 0;
		double q = 0;

		if (parse(offers[i], offers[i] + strlen(offers[i]), &o) != 0)
			continue;
		for (p = accept; p < end;) {
			const char *comma = memchr(p, ',', (size_t)(end - p));
			const char *stop = comma ? comma : end;
			int sp;

			if (skip_ws(p, stop) != stop &&
			    parse(p, stop, &r) == 0 &&
			    (sp = specificity(&r, &o)) > best) {
				best = sp;
				q = r.q;
			}
			p = comma ? comma + 1 : end;
		}
		if (best > 0 && q > 0)
			return offers[i];
	}
	return NULL;
}
