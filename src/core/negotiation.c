/*
 * Negotiation's pure rules: the diff of two revisions, and the decision of
 * a recorded vote.
 */
#include "core/negotiation.h"

#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonx.h"
#include "core/record.h"

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

/* Adds one vote ("yes", "no", "abstain") to t. */
static void
tally_add(struct neg_tally *t, const char *v)
{
	if (v == NULL)
		return;
	if (strcmp(v, "yes") == 0)
		t->yes++;
	else if (strcmp(v, "no") == 0)
		t->no++;
	else if (strcmp(v, "abstain") == 0)
		t->abstain++;
}

static json_t *
tally_json(const struct neg_tally *t, enum neg_majority m)
{
	return json_pack("{s:i,s:i,s:i,s:s}", "yes", (int)t->yes, "no",
	                 (int)t->no, "abstain", (int)t->abstain, "result",
	                 neg_result_name(neg_decide(t, m)));
}

#define NEG_MAX_SEPARATE 64

json_t *
neg_count(const json_t *ballots, const json_t *separate, unsigned members,
          unsigned quorum, enum neg_majority m)
{
	struct neg_tally whole = {0, 0, 0, members, quorum};
	struct neg_tally part[NEG_MAX_SEPARATE];
	const char *pids[NEG_MAX_SEPARATE];
	json_t *out, *seps = json_array(), *removed = json_array(), *b, *pv;
	size_t i, j, np = 0;

	/* one pass over the ballots: each paragraph vote is found among the
	 * separate paragraphs by a short scan */
	json_array_foreach(separate, i, b)
	{
		if (json_is_string(b) && np < NEG_MAX_SEPARATE) {
			pids[np] = json_string_value(b);
			part[np] = whole;
			np++;
		}
	}
	json_array_foreach(ballots, i, b)
	{
		tally_add(&whole,
		          json_string_value(json_object_get(b, "vote")));
		json_array_foreach(json_object_get(b, "paragraphs"), j, pv)
		{
			const char *p =
			    json_string_value(json_object_get(pv, "paragraph"));

			for (size_t k = 0; p != NULL && k < np; k++) {
				if (strcmp(p, pids[k]) == 0) {
					tally_add(
					    &part[k],
					    json_string_value(
					        json_object_get(pv, "vote")));
					break;
				}
			}
		}
	}
	for (size_t k = 0; k < np; k++) {
		json_t *c = tally_json(&part[k], m);

		json_object_set_new(c, "paragraph", json_string(pids[k]));
		if (neg_decide(&part[k], m) != NEG_ADOPTED)
			json_array_append_new(removed, json_string(pids[k]));
		json_array_append_new(seps, c);
	}
	out = tally_json(&whole, m);
	json_object_set_new(out, "members", json_integer(members));
	json_object_set_new(out, "quorum", json_integer(quorum));
	json_object_set_new(out, "separate", seps);
	json_object_set_new(out, "removed", removed);
	return out;
}

/* --- who may do what ------------------------------------------------------ */

static const char *const seat_names[] = {
    [NEG_SEAT_NONE] = "none",
    [NEG_SEAT_OBSERVER] = "observer",
    [NEG_SEAT_MEMBER] = "member",
    [NEG_SEAT_CHAIR] = "chair",
};

enum neg_seat
neg_seat_parse(const char *s)
{
	for (int i = NEG_SEAT_OBSERVER; s != NULL && i <= NEG_SEAT_CHAIR; i++)
		if (strcmp(s, seat_names[i]) == 0)
			return (enum neg_seat)i;
	return NEG_SEAT_NONE;
}

const char *
neg_seat_name(enum neg_seat s)
{
	return (unsigned)s <= NEG_SEAT_CHAIR ? seat_names[s] : "none";
}

const char *
neg_may(const struct neg_who *w, enum neg_doing d)
{
	bool seated = w->seat != NEG_SEAT_NONE;
	bool decides = w->seat >= NEG_SEAT_MEMBER;

	switch (d) {
	case NEG_DO_JOIN:
		if (!w->open_forum)
			return "the forum's seats are set by its secretariat";
		return seated ? "the party has a seat in the forum already"
		              : NULL;
	case NEG_DO_SEAT:
		return w->secretariat ? NULL
		                      : "only the secretariat sets seats";
	case NEG_DO_TABLE:
		return decides || w->secretariat
		           ? NULL
		           : "only the chair, a member or the secretariat "
		             "tables a document";
	case NEG_DO_SUBMIT:
		return seated || w->open_forum || w->secretariat
		           ? NULL
		           : "only the forum's members and observers answer "
		             "its calls for views";
	case NEG_DO_REVISE:
		return w->penholder || w->secretariat
		           ? NULL
		           : "only the penholder or the secretariat revises "
		             "a document";
	case NEG_DO_AMEND:
		return decides ? NULL
		               : "only the forum's members propose amendments";
	case NEG_DO_CHAIR:
		return w->seat == NEG_SEAT_CHAIR || w->secretariat
		           ? NULL
		           : "only the chair opens and closes decisions";
	case NEG_DO_STANCE:
		return decides ? NULL
		               : "only the forum's members take part in its "
		                 "decisions (observers do not decide)";
	case NEG_DO_EXPLAIN:
		return seated ? NULL
		              : "only the forum's members and observers "
		                "explain their position";
	case NEG_DO_SIGN:
		return NULL;
	case NEG_DO__COUNT:
		break;
	}
	return "unknown act";
}

/* --- texts ---------------------------------------------------------------- */

void
neg_number(json_t *paras)
{
	unsigned pp = 0, op = 0;
	size_t i;
	json_t *p;
	char num[16];

	json_array_foreach(paras, i, p)
	{
		const char *part = jsonx_str(p, "part");
		bool pre = part != NULL && strcmp(part, "preambular") == 0;

		snprintf(num, sizeof(num), "%s%u", pre ? "PP" : "OP",
		         pre ? ++pp : ++op);
		json_object_set_new(p, "number", json_string(num));
	}
}

const char *
neg_text_check(const json_t *paras)
{
	size_t i, j;
	json_t *p, *q;
	bool operative = false;

	json_array_foreach(paras, i, p)
	{
		const char *id = jsonx_str(p, "id");
		const char *part = jsonx_str(p, "part");

		if (id == NULL || part == NULL)
			return "every paragraph has an id and a part";
		if (strcmp(part, "operative") == 0)
			operative = true;
		else if (operative)
			return "preambular paragraphs come before the "
			       "operative ones";
		json_array_foreach(paras, j, q)
		{
			if (j >= i)
				break;
			if (strcmp(jsonx_str(q, "id"), id) == 0)
				return "paragraph ids are unique in a text";
		}
	}
	return NULL;
}

bool
neg_negotiated(const char *kind)
{
	return strcmp(kind, "call_for_views") != 0 &&
	       strcmp(kind, "submission") != 0;
}

bool
neg_bracketed(const json_t *paras)
{
	size_t i;
	json_t *p;

	json_array_foreach(paras, i, p)
	{
		const char *t = jsonx_str(p, "text");

		if (t != NULL && (strchr(t, '[') != NULL || strchr(t, ']')))
			return true;
	}
	return false;
}

long
neg_para_index(const json_t *paras, const char *id)
{
	size_t i;
	json_t *p;

	json_array_foreach(paras, i, p)
	{
		const char *pid = jsonx_str(p, "id");

		if (pid != NULL && id != NULL && strcmp(pid, id) == 0)
			return (long)i;
	}
	return -1;
}

json_t *
neg_amend(const json_t *paras, const char *action, const char *pid,
          const char *text, const char *new_id, char *err, size_t errlen)
{
	long at = neg_para_index(paras, pid);
	json_t *out, *p;

	if (at < 0) {
		snprintf(err, errlen, "the text has no paragraph \"%.64s\"",
		         pid ? pid : "");
		return NULL;
	}
	if (strcmp(action, "delete") != 0 && text == NULL) {
		snprintf(err, errlen, "a %s amendment carries its text",
		         action);
		return NULL;
	}
	out = json_deep_copy(paras);
	if (strcmp(action, "replace") == 0) {
		json_object_set_new(json_array_get(out, (size_t)at), "text",
		                    json_string(text));
	} else if (strcmp(action, "delete") == 0) {
		json_array_remove(out, (size_t)at);
	} else if (strcmp(action, "insert_after") == 0) {
		if (new_id == NULL || neg_para_index(paras, new_id) >= 0) {
			snprintf(err, errlen,
			         "an inserted paragraph needs an id the text "
			         "does not have yet (body.new_id)");
			json_decref(out);
			return NULL;
		}
		p = json_pack(
		    "{s:s,s:O,s:s}", "id", new_id, "part",
		    json_object_get(json_array_get(paras, (size_t)at), "part"),
		    "text", text);
		json_array_insert_new(out, (size_t)at + 1, p);
	} else {
		snprintf(err, errlen, "unknown amendment action \"%.32s\"",
		         action);
		json_decref(out);
		return NULL;
	}
	neg_number(out);
	return out;
}

json_t *
neg_without(const json_t *paras, const json_t *ids)
{
	json_t *out = json_array(), *p, *id;
	size_t i, j;

	json_array_foreach(paras, i, p)
	{
		bool drop = false;

		json_array_foreach(ids, j, id)
		{
			if (json_is_string(id) &&
			    strcmp(json_string_value(id), jsonx_str(p, "id")) ==
			        0)
				drop = true;
		}
		if (!drop)
			json_array_append_new(out, json_deep_copy(p));
	}
	neg_number(out);
	return out;
}

/* --- the act kinds -------------------------------------------------------- */

#define END                                                                    \
	{                                                                      \
		NULL, 0, 0, 0, 0, NULL, NULL, NULL                             \
	}

static const char *const memberships[] = {"fixed", "un_members", "any_party",
                                          NULL};
static const char *const rules[] = {"consensus", "majority", "two_thirds",
                                    NULL};
static const char *const seats_or_none[] = {"chair", "member", "observer",
                                            "none", NULL};
static const char *const joinable[] = {"member", "observer", NULL};

static const struct schema_field forum_open[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"name", SCHEMA_STR, SCHEMA_REQUIRED, 1, 300, NULL, NULL, NULL},
    {"short_name", SCHEMA_STR, 0, 1, 64, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, record_forum_kinds, NULL,
     NULL},
    {"mandate", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    {"membership", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, memberships, NULL, NULL},
    {"decision_rule", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, rules, NULL, NULL},
    {"quorum", SCHEMA_INT, 0, 0, 400, NULL, NULL, NULL},
    {"seats", SCHEMA_ARR, 0, 0, 400, NULL, NULL, &record_seat},
    {"practice", SCHEMA_BOOL, 0, 0, 0, NULL, NULL, NULL},
    END,
};
static const struct schema_field forum_seat[] = {
    {"forum", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"party", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, seats_or_none, NULL, NULL},
    END,
};
static const struct schema_field forum_join[] = {
    {"forum", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"role", SCHEMA_ENUM, 0, 0, 0, joinable, NULL, NULL},
    END,
};

static const char *const parts[] = {"preambular", "operative", NULL};
static const struct schema_field para_fields[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"part", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, parts, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 8000, NULL, NULL, NULL},
    END,
};
static const struct schema_field para_item = {
    "paragraph", SCHEMA_OBJ, 0, 0, 0, NULL, para_fields, NULL};
static const char *const doc_kinds[] = {
    "report",    "resolution",     "decision",   "joint_statement",
    "agreement", "call_for_views", "submission", NULL};
static const struct schema_field party_item = {"party", SCHEMA_CODE, 0,   0, 0,
                                               NULL,    NULL,        NULL};
static const struct schema_field document_table[] = {
    {"id", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"forum", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, doc_kinds, NULL, NULL},
    {"title", SCHEMA_STR, SCHEMA_REQUIRED, 1, 500, NULL, NULL, NULL},
    {"symbol", SCHEMA_STR, 0, 1, 100, NULL, NULL, NULL},
    {"summary", SCHEMA_STR, 0, 1, 4000, NULL, NULL, NULL},
    {"penholder", SCHEMA_CODE, 0, 0, 0, NULL, NULL, NULL},
    {"answers", SCHEMA_SLUG, 0, 0, 0, NULL, NULL, NULL},
    {"due", SCHEMA_TIME, 0, 0, 0, NULL, NULL, NULL},
    {"paragraphs", SCHEMA_ARR, SCHEMA_REQUIRED, 1, 400, NULL, NULL, &para_item},
    {"tlp", SCHEMA_STR, 0, 1, 20, NULL, NULL, NULL},
    {"recipients", SCHEMA_ARR, 0, 0, ACTS_MAX_RECIPIENTS, NULL, NULL,
     &party_item},
    END,
};
static const struct schema_field document_revise[] = {
    {"document", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"paragraphs", SCHEMA_ARR, SCHEMA_REQUIRED, 1, 400, NULL, NULL, &para_item},
    {"note", SCHEMA_STR, 0, 1, 2000, NULL, NULL, NULL},
    END,
};

static const char *const amend_actions[] = {"replace", "insert_after", "delete",
                                            NULL};
static const struct schema_field amendment_propose[] = {
    {"document", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"paragraph", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"action", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, amend_actions, NULL, NULL},
    {"text", SCHEMA_STR, 0, 1, 8000, NULL, NULL, NULL},
    {"new_id", SCHEMA_SLUG, 0, 0, 0, NULL, NULL, NULL},
    {"explanation", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    END,
};
static const struct schema_field amendment_accept[] = {
    {"amendment", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"note", SCHEMA_STR, 0, 1, 2000, NULL, NULL, NULL},
    END,
};
static const struct schema_field amendment_reject[] = {
    {"amendment", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"reason", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    END,
};

static const char *const procedures[] = {"silence", "vote", NULL};
static const char *const on_objection[] = {"fail", "return", NULL};
static const struct schema_field separate_fields[] = {
    {"paragraph", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"requested_by", SCHEMA_CODE, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    END,
};
static const struct schema_field separate_item = {
    "separate", SCHEMA_OBJ, 0, 0, 0, NULL, separate_fields, NULL};
static const struct schema_field decision_open[] = {
    {"document", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"procedure", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, procedures, NULL, NULL},
    {"deadline", SCHEMA_TIME, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"on_objection", SCHEMA_ENUM, 0, 0, 0, on_objection, NULL, NULL},
    {"amendment", SCHEMA_INT, 0, 0, INT64_MAX, NULL, NULL, NULL},
    {"separate", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &separate_item},
    {"symbol", SCHEMA_STR, 0, 1, 100, NULL, NULL, NULL},
    {"norms", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &record_norm_link},
    END,
};
static const struct schema_field decision_object[] = {
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"reasons", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    END,
};
static const char *const reserve_kinds[] = {"reservation", "dissociation",
                                            NULL};
static const struct schema_field pid_item = {
    "paragraph", SCHEMA_SLUG, 0, 0, 0, NULL, NULL, NULL};
static const struct schema_field decision_reserve[] = {
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"kind", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, reserve_kinds, NULL, NULL},
    {"paragraphs", SCHEMA_ARR, 0, 0, 400, NULL, NULL, &pid_item},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 4000, NULL, NULL, NULL},
    END,
};
static const struct schema_field decision_withdraw[] = {
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    END,
};
static const char *const choices[] = {"yes", "no", "abstain", NULL};
static const struct schema_field pvote_fields[] = {
    {"paragraph", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"vote", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, choices, NULL, NULL},
    END,
};
static const struct schema_field pvote_item = {
    "paragraph", SCHEMA_OBJ, 0, 0, 0, NULL, pvote_fields, NULL};
static const struct schema_field vote_cast[] = {
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"vote", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, choices, NULL, NULL},
    {"paragraphs", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &pvote_item},
    END,
};
static const char *const timings[] = {"before", "after", NULL};
static const struct schema_field vote_explain[] = {
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    {"timing", SCHEMA_ENUM, SCHEMA_REQUIRED, 0, 0, timings, NULL, NULL},
    {"text", SCHEMA_STR, SCHEMA_REQUIRED, 1, 8000, NULL, NULL, NULL},
    END,
};
static const struct schema_field decision_close[] = {
    ACTS_CLOSING_FIELDS,
    {"decision", SCHEMA_INT, SCHEMA_REQUIRED, 0, INT64_MAX, NULL, NULL, NULL},
    END,
};
static const struct schema_field statement_open[] = {
    {"document", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    {"symbol", SCHEMA_STR, 0, 1, 100, NULL, NULL, NULL},
    {"norms", SCHEMA_ARR, 0, 0, 50, NULL, NULL, &record_norm_link},
    END,
};
static const struct schema_field statement_sign[] = {
    {"document", SCHEMA_SLUG, SCHEMA_REQUIRED, 0, 0, NULL, NULL, NULL},
    END,
};

/* The addressees of a labelled submission. */
static json_t *
document_recipients(const json_t *act)
{
	json_t *r = json_object_get(json_object_get(act, "body"), "recipients");

	return json_is_array(r) && json_array_size(r) > 0 ? json_copy(r) : NULL;
}

/* Who may submit: the secretariat sets forums up; delegations act for
 * their party, and the secretariat runs the chair's business.  Which of
 * them may do a given thing in a given forum is neg_may's, in the applier,
 * against the forum as it is when the act enters the log. */
#define RULE_SECRETARIAT                                                       \
	{                                                                      \
		POLICY_ROLE(ROLE_SECRETARIAT) | POLICY_ROLE(ROLE_SYSTEM),      \
		    SCOPE_ANY                                                  \
	}
#define RULE_DELEGATION                                                        \
	{                                                                      \
		POLICY_ROLE(ROLE_DELEGATE) |                                   \
		    POLICY_ROLE(ROLE_POC_DIPLOMATIC) |                         \
		    POLICY_ROLE(ROLE_SECRETARIAT) | POLICY_ROLE(ROLE_SYSTEM),  \
		    SCOPE_ANY                                                  \
	}
#define KIND(name_, body_, rule_, apply_, summary_)                            \
	{                                                                      \
		.name = name_, .summary = summary_, .body = body_,             \
		.rule = rule_, .tlp = TLP_CLEAR, .apply = apply_,              \
	}

static const struct act_type kinds[] = {
    KIND("forum.open", forum_open, RULE_SECRETARIAT, neg_apply_forum_open,
         "the secretariat opens a forum for negotiation"),
    KIND("forum.seat", forum_seat, RULE_SECRETARIAT, neg_apply_forum_seat,
         "the secretariat sets a party's seat in a forum"),
    KIND("forum.join", forum_join, RULE_DELEGATION, neg_apply_forum_join,
         "a party joins an open forum"),
    {.name = "document.table",
     .summary = "a document is tabled: a draft, a call for views, a "
                "submission",
     .body = document_table,
     .rule = RULE_DELEGATION,
     .tlp = TLP_CLEAR,
     .tlp_member = "tlp",
     .recipients = document_recipients,
     .apply = neg_apply_table},
    KIND("document.revise", document_revise, RULE_DELEGATION, neg_apply_revise,
         "the penholder issues a new revision"),
    KIND("amendment.propose", amendment_propose, RULE_DELEGATION,
         neg_apply_amend, "a member proposes an amendment to a paragraph"),
    KIND("amendment.accept", amendment_accept, RULE_DELEGATION,
         neg_apply_amend_accept,
         "the penholder accepts an amendment: the next revision"),
    KIND("amendment.reject", amendment_reject, RULE_DELEGATION,
         neg_apply_amend_reject,
         "the penholder rejects an amendment, with a reason"),
    KIND("decision.open", decision_open, RULE_DELEGATION,
         neg_apply_decision_open,
         "the chair opens a silence procedure or a recorded vote"),
    KIND("decision.object", decision_object, RULE_DELEGATION, neg_apply_stance,
         "a member breaks silence: an objection"),
    KIND("decision.reserve", decision_reserve, RULE_DELEGATION,
         neg_apply_stance,
         "a member joins with a reservation or dissociates from "
         "paragraphs"),
    KIND("decision.withdraw", decision_withdraw, RULE_DELEGATION,
         neg_apply_withdraw,
         "a member withdraws its objection or "
         "reservation"),
    /* A ballot is sealed: TLP:RED, readable by the delegate who cast it
     * alone (not the operator) until the vote closes, when the closing
     * act makes every ballot of the vote public. */
    {.name = "vote.cast",
     .summary = "a delegation casts its party's vote (sealed until the "
                "close)",
     .body = vote_cast,
     .rule = RULE_DELEGATION,
     .tlp = TLP_RED,
     .apply = neg_apply_vote},
    KIND("vote.explain", vote_explain, RULE_DELEGATION, neg_apply_explain,
         "a delegation explains its vote or its position"),
    {.name = "decision.close",
     .summary = "a decision's deadline passed: the outcome",
     .body = decision_close,
     .rule = POLICY_RULE_SYSTEM,
     .tlp = TLP_CLEAR,
     .flags = ACT_CLOSES,
     .apply = neg_apply_decision_close},
    KIND("statement.open", statement_open, RULE_DELEGATION,
         neg_apply_statement_open, "a joint statement is opened for signature"),
    KIND("statement.sign", statement_sign, RULE_DELEGATION, neg_apply_sign,
         "a party signs a joint statement"),
};

const struct act_domain act_domain_negotiation = {
    "negotiation", kinds, sizeof(kinds) / sizeof(kinds[0])};
