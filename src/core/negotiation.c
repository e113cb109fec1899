/*
 * Negotiation's pure rules: the diff of two revisions, and the decision of
 * a recorded vote.
 */
#include "core/negotiation.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- tokens --------------------------------------------------------------- */

struct tok {
	const char *p;
	size_t len;
};

static bool
wordy(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

/* Splits s into words and single other characters. */
static struct tok *
tokens(const char *s, size_t *n)
{
	size_t cap = 16, k = 0;
	struct tok *t = malloc(cap * sizeof(*t));

	if (t == NULL)
		return NULL;
	for (const char *p = s; *p;) {
		size_t len = 1;

		if (wordy((unsigned char)*p))
			while (p[len] && wordy((unsigned char)p[len]))
				len++;
		if (k == cap) {
			struct tok *g = realloc(t, 2 * cap * sizeof(*t));

			if (g == NULL) {
				free(t);
				return NULL;
			}
			t = g;
			cap *= 2;
		}
		t[k].p = p;
		t[k].len = len;
		k++;
		p += len;
	}
	*n = k;
	return t;
}

static bool
same(const struct tok *a, const struct tok *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* --- spans ---------------------------------------------------------------- */

struct spans {
	struct neg_span *v;
	size_t n, cap;
	bool oom;
};

/* Appends a token's text to the spans, merging with the last of its kind
 * when they touch. */
static void
emit(struct spans *s, char op, const char *p, size_t len)
{
	if (len == 0 || s->oom)
		return;
	if (s->n > 0 && s->v[s->n - 1].op == op &&
	    s->v[s->n - 1].text + s->v[s->n - 1].len == p) {
		s->v[s->n - 1].len += len;
		return;
	}
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct neg_span *g = realloc(s->v, cap * sizeof(*g));

		if (g == NULL) {
			s->oom = true;
			return;
		}
		s->v = g;
		s->cap = cap;
	}
	s->v[s->n].op = op;
	s->v[s->n].text = p;
	s->v[s->n].len = len;
	s->n++;
}

/*
 * Myers' O(ND) diff of a[0..n) and b[0..m): fills ops (n + m entries at
 * most, in order: '=' for a kept pair, '-' for an a token, '+' for a b
 * token).  Returns the number of ops, or -1 past NEG_MAX_EDITS edits or
 * out of memory.
 */
static long
myers(const struct tok *a, long n, const struct tok *b, long m, char *ops)
{
	long max = n + m, dmax = max < NEG_MAX_EDITS ? max : NEG_MAX_EDITS;
	long *v = calloc((size_t)(2 * max + 3), sizeof(*v));
	long **trace = calloc((size_t)dmax + 1, sizeof(*trace));
	long d, k, x, y, nops = 0, found = -1;

	if (v == NULL || trace == NULL)
		goto out;
	v += max + 1; /* v[k] for k in -max-1 .. max+1 */
	for (d = 0; d <= dmax && found < 0; d++) {
		/* v before this step, for the way back: v[-d..d] */
		trace[d] = malloc((size_t)(2 * d + 1) * sizeof(long));
		if (trace[d] == NULL)
			goto out;
		memcpy(trace[d], v - d, (size_t)(2 * d + 1) * sizeof(long));
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && v[k - 1] < v[k + 1]))
				x = v[k + 1];
			else
				x = v[k - 1] + 1;
			y = x - k;
			while (x < n && y < m && same(&a[x], &b[y]))
				x++, y++;
			v[k] = x;
			if (x >= n && y >= m) {
				found = d;
				break;
			}
		}
	}
	if (found < 0)
		goto out;
	/* back from (n, m), writing the ops from the end: trace[d] is v as
	 * step d found it, where step d came from */
	x = n;
	y = m;
	nops = 0;
	for (d = found; d > 0; d--) {
		long *vd = trace[d] + d; /* vd[k], k in -d..d */
		long pk, px, py;

		k = x - y;
		if (k == -d || (k != d && vd[k - 1] < vd[k + 1]))
			pk = k + 1; /* down: a token of b added */
		else
			pk = k - 1; /* right: a token of a removed */
		px = vd[pk];
		py = px - pk;
		while (x > px && y > py)
			ops[nops++] = '=', x--, y--;
		if (pk == k + 1)
			ops[nops++] = '+', y--;
		else
			ops[nops++] = '-', x--;
	}
	while (x > 0 && y > 0)
		ops[nops++] = '=', x--, y--;
	for (long i = 0; i < nops / 2; i++) {
		char c = ops[i];

		ops[i] = ops[nops - 1 - i];
		ops[nops - 1 - i] = c;
	}
out:
	if (trace != NULL)
		for (d = 0; d <= dmax; d++)
			free(trace[d]);
	free(trace);
	if (v != NULL)
		free(v - (max + 1));
	return found < 0 ? -1 : nops;
}

long
neg_diff_words(const char *a, const char *b, struct neg_span **out)
{
	struct spans s = {0};
	size_t n = 0, m = 0, pre = 0, suf = 0;
	struct tok *ta = tokens(a, &n), *tb = tokens(b, &m);
	char *ops = NULL;
	long nops;

	*out = NULL;
	if (ta == NULL || tb == NULL)
		goto fail;
	/* the common ends cost nothing */
	while (pre < n && pre < m && same(&ta[pre], &tb[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre &&
	       same(&ta[n - 1 - suf], &tb[m - 1 - suf]))
		suf++;
	for (size_t i = 0; i < pre; i++)
		emit(&s, '=', ta[i].p, ta[i].len);
	ops = malloc(n + m + 1);
	if (ops == NULL)
		goto fail;
	nops = myers(ta + pre, (long)(n - pre - suf), tb + pre,
	             (long)(m - pre - suf), ops);
	if (nops < 0) {
		/* too many changes to trace: the middle, removed and added */
		for (size_t i = pre; i < n - suf; i++)
			emit(&s, '-', ta[i].p, ta[i].len);
		for (size_t i = pre; i < m - suf; i++)
			emit(&s, '+', tb[i].p, tb[i].len);
	} else {
		size_t x = pre, y = pre;

		for (long i = 0; i < nops; i++) {
			if (ops[i] == '=') {
				emit(&s, '=', ta[x].p, ta[x].len);
				x++, y++;
			} else if (ops[i] == '-') {
				emit(&s, '-', ta[x].p, ta[x].len);
				x++;
			} else {
				emit(&s, '+', tb[y].p, tb[y].len);
				y++;
			}
		}
	}
	for (size_t i = n - suf; i < n; i++)
		emit(&s, '=', ta[i].p, ta[i].len);
	if (s.oom)
		goto fail;
	free(ta);
	free(tb);
	free(ops);
	*out = s.v;
	return (long)s.n;
fail:
	free(ta);
	free(tb);
	free(ops);
	free(s.v);
	return -1;
}

/* --- revisions ------------------------------------------------------------ */

static const json_t *
by_id(const json_t *rev, const char *id)
{
	size_t i;
	json_t *p;

	json_array_foreach(rev, i, p)
	{
		const char *pid = json_string_value(json_object_get(p, "id"));

		if (pid != NULL && strcmp(pid, id) == 0)
			return p;
	}
	return NULL;
}

static bool
well_formed(const json_t *rev)
{
	size_t i;
	json_t *p;

	if (!json_is_array(rev))
		return false;
	json_array_foreach(rev, i, p)
	{
		if (!json_is_string(json_object_get(p, "id")) ||
		    !json_is_string(json_object_get(p, "text")))
			return false;
	}
	return true;
}

static json_t *
item(const char *op, const json_t *pa, const json_t *pb)
{
	const json_t *p = pb ? pb : pa;
	json_t *it =
	    json_pack("{s:O,s:s}", "id", json_object_get(p, "id"), "op", op);

	json_object_set(it, "number_a",
	                pa ? json_object_get(pa, "number") : json_null());
	json_object_set(it, "number_b",
	                pb ? json_object_get(pb, "number") : json_null());
	if (json_object_get(it, "number_a") == NULL)
		json_object_set_new(it, "number_a", json_null());
	if (json_object_get(it, "number_b") == NULL)
		json_object_set_new(it, "number_b", json_null());
	return it;
}

static int
add_words(json_t *it, const char *a, const char *b)
{
	struct neg_span *sp;
	long n = neg_diff_words(a, b, &sp);
	json_t *w;

	if (n < 0)
		return -1;
	w = json_array();
	for (long i = 0; i < n; i++) {
		char op[2] = {sp[i].op, '\0'};

		json_array_append_new(w,
		                      json_pack("{s:s,s:s%}", "op", op, "text",
		                                sp[i].text, sp[i].len));
	}
	free(sp);
	json_object_set_new(it, "words", w);
	return 0;
}

json_t *
neg_diff_revisions(const json_t *a, const json_t *b)
{
	json_t *out, *pb;
	size_t i, ia = 0, na;

	if (!well_formed(a) || !well_formed(b))
		return NULL;
	out = json_array();
	na = json_array_size(a);
	json_array_foreach(b, i, pb)
	{
		const char *id = json_string_value(json_object_get(pb, "id"));
		const json_t *pa = by_id(a, id);

		/* a's paragraphs gone before this one, where they stood */
		if (pa != NULL) {
			for (; ia < na && json_array_get(a, ia) != pa; ia++) {
				const json_t *x = json_array_get(a, ia);

				if (by_id(b, json_string_value(json_object_get(
				                 x, "id"))) == NULL)
					json_array_append_new(
					    out, item("removed", x, NULL));
			}
			if (ia < na)
				ia++;
		}
		if (pa == NULL) {
			json_array_append_new(out, item("added", NULL, pb));
		} else {
			const char *ta =
			    json_string_value(json_object_get(pa, "text"));
			const char *tb =
			    json_string_value(json_object_get(pb, "text"));
			bool eq = strcmp(ta, tb) == 0;
			json_t *it = item(eq ? "same" : "changed", pa, pb);

			if (!eq && add_words(it, ta, tb) != 0) {
				json_decref(it);
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, it);
		}
	}
	for (; ia < na; ia++) {
		const json_t *x = json_array_get(a, ia);

		if (by_id(b, json_string_value(json_object_get(x, "id"))) ==
		    NULL)
			json_array_append_new(out, item("removed", x, NULL));
	}
	return out;
}

/* --- decisions ------------------------------------------------------------ */

enum neg_result
neg_decide(const struct neg_tally *t, enum neg_majority m)
{
	uint64_t yes = t->yes, no = t->no;
	uint64_t present = yes + no + t->abstain;

	if (t->quorum > 0 && present < t->quorum)
		return NEG_NO_QUORUM;
	if (yes + no == 0)
		return NEG_NO_VOTES;
	if (m == NEG_TWO_THIRDS)
		return 3 * yes >= 2 * (yes + no) ? NEG_ADOPTED : NEG_REJECTED;
	return yes > no ? NEG_ADOPTED : NEG_REJECTED;
}

const char *
neg_result_name(enum neg_result r)
{
	switch (r) {
	case NEG_ADOPTED:
		return "adopted";
	case NEG_REJECTED:
		return "rejected";
	case NEG_NO_QUORUM:
		return "no_quorum";
	case NEG_NO_VOTES:
		return "no_votes";
	}
	return "unknown";
}
