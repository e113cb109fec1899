/*
 * core/negotiation.c: the word and paragraph diff of revisions, and the
 * decision of a recorded vote by its rule, exhaustively where cheap.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdbool.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/negotiation.h"

/* Rebuilds a (keep: "=-") or b ("=+") from spans. */
static char *
rebuild(const struct neg_span *s, long n, const char *keep)
{
	size_t len = 0;
	char *out;

	for (long i = 0; i < n; i++)
		if (strchr(keep, s[i].op))
			len += s[i].len;
	out = calloc(len + 1, 1);
	len = 0;
	for (long i = 0; i < n; i++)
		if (strchr(keep, s[i].op)) {
			memcpy(out + len, s[i].text, s[i].len);
			len += s[i].len;
		}
	return out;
}

/* The diff of a and b, as "=text|-text|+text|" for comparing. */
static char *
show(const char *a, const char *b)
{
	struct neg_span *s;
	long n = neg_diff_words(a, b, &s);
	char *ra, *rb,
	    *out = calloc(strlen(a) + strlen(b) + 4 * (size_t)n + 1, 1);

	assert_true(n >= 0);
	ra = rebuild(s, n, "=-");
	rb = rebuild(s, n, "=+");
	assert_string_equal(ra, a);
	assert_string_equal(rb, b);
	for (long i = 0; i < n; i++) {
		size_t l = strlen(out);

		out[l] = s[i].op;
		memcpy(out + l + 1, s[i].text, s[i].len);
		out[l + 1 + s[i].len] = '|';
		/* merged: no two neighbours of the same kind */
		if (i > 0)
			assert_true(s[i].op != s[i - 1].op);
	}
	free(ra);
	free(rb);
	free(s);
	return out;
}

static void
expect(const char *a, const char *b, const char *want)
{
	char *got = show(a, b);

	assert_string_equal(got, want);
	free(got);
}

static void
test_words(void **state)
{
	(void)state;
	expect("", "", "");
	expect("same text", "same text", "=same text|");
	expect("", "new", "+new|");
	expect("old", "", "-old|");
	expect("States should cooperate.", "States shall cooperate.",
	       "=States |-should|+shall|= cooperate.|");
	/* square brackets are tokens: bracketed language shows */
	expect("protect [critical] infrastructure",
	       "protect critical infrastructure",
	       "=protect |-[|=critical|-]|= infrastructure|");
	/* UTF-8 stays whole: a curly apostrophe is part of its word */
	expect("Côte d'Ivoire", "Côte d’Ivoire", "=Côte |-d'Ivoire|+d’Ivoire|");
	expect("a b c", "c b a", "-a|+c|= b |-c|+a|"); /* minimal */
}

/* Random texts: the spans always rebuild both. */
static void
test_words_rebuild(void **state)
{
	static const char *const words[] = {"the", "States", " ",   ",", "[",
	                                    "]",   "shall",  "ICT", "."};
	uint32_t x = 7;

	(void)state;
	for (int round = 0; round < 500; round++) {
		char a[400] = "", b[400] = "";

		for (int i = 0; i < 30; i++) {
			x = x * 1103515245u + 12345u;
			strcat(a, words[(x >> 16) % 9]);
			x = x * 1103515245u + 12345u;
			if ((x >> 16) % 4)
				strcat(b, words[(x >> 20) % 9]);
		}
		free(show(a, b));
	}
}

/* Past NEG_MAX_EDITS, the middle is removed and added whole. */
static void
test_words_too_many(void **state)
{
	size_t n = 3 * NEG_MAX_EDITS;
	char *a = malloc(4 * n + 8), *b = malloc(4 * n + 8);
	struct neg_span *s;
	long k;

	(void)state;
	strcpy(a, "A ");
	strcpy(b, "A ");
	for (size_t i = 0; i < n; i++) {
		strcat(a, "x ");
		strcat(b, "y ");
	}
	strcat(a, "Z");
	strcat(b, "Z");
	k = neg_diff_words(a, b, &s);
	assert_int_equal(k, 4);
	assert_int_equal(s[0].op, '=');
	assert_int_equal(s[1].op, '-');
	assert_int_equal(s[2].op, '+');
	assert_int_equal(s[3].op, '=');
	free(s);
	free(a);
	free(b);
}

static json_t *
rev(const char *spec)
{
	/* "id:number:text;..." */
	json_t *a = json_array();
	char *copy = strdup(spec), *save = NULL;

	for (char *p = strtok_r(copy, ";", &save); p;
	     p = strtok_r(NULL, ";", &save)) {
		char *c1 = strchr(p, ':'), *c2 = strchr(c1 + 1, ':');

		*c1 = *c2 = '\0';
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "id", p,
		                                   "number", c1 + 1, "text",
		                                   c2 + 1));
	}
	free(copy);
	return a;
}

static void
test_revisions(void **state)
{
	json_t *a = rev("p1:1:Recalling its resolution.;p2:2:Calls upon "
	                "States.;p3:3:Decides to remain seized.");
	json_t *b = rev("p1:1:Recalling its resolution.;p4:2:Welcomes the "
	                "report.;p2:3:Calls upon all States.");
	json_t *d = neg_diff_revisions(a, b);
	const char *ops[] = {"same", "added", "changed", "removed"};
	const char *ids[] = {"p1", "p4", "p2", "p3"};

	(void)state;
	assert_non_null(d);
	assert_int_equal(json_array_size(d), 4);
	for (size_t i = 0; i < 4; i++) {
		json_t *it = json_array_get(d, i);

		assert_string_equal(
		    json_string_value(json_object_get(it, "op")), ops[i]);
		assert_string_equal(
		    json_string_value(json_object_get(it, "id")), ids[i]);
	}
	/* renumbered: p2 was 2, is 3; words inside it */
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(d, 2), "number_a")),
	                    "2");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(d, 2), "number_b")),
	                    "3");
	assert_true(
	    json_is_null(json_object_get(json_array_get(d, 1), "number_a")));
	assert_int_equal(
	    json_array_size(json_object_get(json_array_get(d, 2), "words")),
	    3); /* "Calls upon " + "all " + "States." */
	json_decref(d);
	/* not revisions */
	json_decref(a);
	a = json_object();
	assert_null(neg_diff_revisions(a, b));
	json_decref(a);
	a = json_pack("[{s:i}]", "id", 3);
	assert_null(neg_diff_revisions(a, b));
	json_decref(a);
	json_decref(b);
}

static void
test_decide_edges(void **state)
{
	struct neg_tally t = {0};

	(void)state;
	/* a tie fails; abstentions are present, not voting */
	t = (struct neg_tally){10, 10, 5, 25, 0};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_REJECTED);
	t = (struct neg_tally){11, 10, 100, 121, 0};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_ADOPTED);
	/* exactly two thirds adopts; one short fails */
	t = (struct neg_tally){20, 10, 0, 30, 0};
	assert_int_equal(neg_decide(&t, NEG_TWO_THIRDS), NEG_ADOPTED);
	t = (struct neg_tally){19, 10, 0, 30, 0};
	assert_int_equal(neg_decide(&t, NEG_TWO_THIRDS), NEG_REJECTED);
	/* all abstain, or nobody came */
	t = (struct neg_tally){0, 0, 9, 9, 0};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_NO_VOTES);
	t = (struct neg_tally){0, 0, 0, 9, 0};
	assert_int_equal(neg_decide(&t, NEG_TWO_THIRDS), NEG_NO_VOTES);
	/* the quorum counts abstentions */
	t = (struct neg_tally){5, 0, 4, 20, 10};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_NO_QUORUM);
	t = (struct neg_tally){5, 0, 5, 20, 10};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_ADOPTED);
	/* A/RES/73/27 */
	t = (struct neg_tally){119, 46, 14, 193, 0};
	assert_int_equal(neg_decide(&t, NEG_SIMPLE), NEG_ADOPTED);
	assert_string_equal(neg_result_name(NEG_NO_QUORUM), "no_quorum");
}

/* Every tally of a forum of up to 12 members, against the rules written
 * out plainly. */
static void
test_decide_exhaustive(void **state)
{
	(void)state;
	for (unsigned y = 0; y <= 12; y++)
		for (unsigned n = 0; y + n <= 12; n++)
			for (unsigned a = 0; y + n + a <= 12; a++)
				for (unsigned q = 0; q <= 12; q++) {
					struct neg_tally t = {y, n, a, 12, q};
					enum neg_result want_s, want_t;

					if (q && y + n + a < q)
						want_s = want_t = NEG_NO_QUORUM;
					else if (y + n == 0)
						want_s = want_t = NEG_NO_VOTES;
					else {
						want_s = y > n ? NEG_ADOPTED
						               : NEG_REJECTED;
						want_t =
						    (double)y >=
						            (2.0 / 3.0) *
						                    (y + n) -
						                1e-9
						        ? NEG_ADOPTED
						        : NEG_REJECTED;
					}
					assert_int_equal(
					    neg_decide(&t, NEG_SIMPLE), want_s);
					assert_int_equal(
					    neg_decide(&t, NEG_TWO_THIRDS),
					    want_t);
				}
}

/* --- who may do what, over every combination ------------------------------ */

static void
test_may_exhaustive(void **state)
{
	(void)state;
	for (int seat = NEG_SEAT_NONE; seat <= NEG_SEAT_CHAIR; seat++)
		for (int bits = 0; bits < 8; bits++)
			for (int d = 0; d < NEG_DO__COUNT; d++) {
				struct neg_who w = {(enum neg_seat)seat,
				                    bits & 1, (bits & 2) != 0,
				                    (bits & 4) != 0};
				bool seated = seat != NEG_SEAT_NONE;
				bool decides = seat >= NEG_SEAT_MEMBER;
				bool want;

				switch ((enum neg_doing)d) {
				case NEG_DO_JOIN:
					want = w.open_forum && !seated;
					break;
				case NEG_DO_SEAT:
					want = w.secretariat;
					break;
				case NEG_DO_TABLE:
					want = decides || w.secretariat;
					break;
				case NEG_DO_SUBMIT:
					want = seated || w.open_forum ||
					       w.secretariat;
					break;
				case NEG_DO_REVISE:
					want = w.penholder || w.secretariat;
					break;
				case NEG_DO_AMEND:
				case NEG_DO_STANCE:
					/* observers do not decide, nor does
					 * the secretariat for a party */
					want = decides;
					break;
				case NEG_DO_CHAIR:
					want = seat == NEG_SEAT_CHAIR ||
					       w.secretariat;
					break;
				case NEG_DO_EXPLAIN:
					want = seated;
					break;
				case NEG_DO_SIGN:
					want = true;
					break;
				default:
					want = false;
				}
				if ((neg_may(&w, (enum neg_doing)d) == NULL) !=
				    want)
					fail_msg("seat %d bits %d doing %d: "
					         "expected %s",
					         seat, bits, d,
					         want ? "allowed" : "refused");
			}
	assert_int_equal(neg_seat_parse("chair"), NEG_SEAT_CHAIR);
	assert_int_equal(neg_seat_parse("nonsense"), NEG_SEAT_NONE);
	assert_int_equal(neg_seat_parse(NULL), NEG_SEAT_NONE);
	assert_string_equal(neg_seat_name(NEG_SEAT_OBSERVER), "observer");
}

/* --- texts ---------------------------------------------------------------- */

static json_t *
text3(void)
{
	return json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s},{s:s,s:s,s:s}]", "id",
	                 "pp1", "part", "preambular", "text", "Recalling,",
	                 "id", "op1", "part", "operative", "text",
	                 "Decides [to act];", "id", "op2", "part", "operative",
	                 "text", "Requests.");
}

static void
test_texts(void **state)
{
	json_t *t = text3(), *bad, *x;
	char err[200];

	(void)state;
	assert_null(neg_text_check(t));
	neg_number(t);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(t, 0), "number")),
	    "PP1");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(t, 2), "number")),
	    "OP2");
	assert_true(neg_bracketed(t));
	bad = json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "id", "a", "part",
	                "operative", "text", "x", "id", "b", "part",
	                "preambular", "text", "y");
	assert_non_null(neg_text_check(bad));
	json_decref(bad);
	bad = json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "id", "a", "part",
	                "operative", "text", "x", "id", "a", "part",
	                "operative", "text", "y");
	assert_non_null(neg_text_check(bad));
	json_decref(bad);

	/* replace agrees the brackets */
	x = neg_amend(t, "replace", "op1", "Decides to act;", NULL, err,
	              sizeof(err));
	assert_non_null(x);
	assert_false(neg_bracketed(x));
	json_decref(x);
	/* insert after op1, renumbered */
	x = neg_amend(t, "insert_after", "op1", "Invites.", "op1a", err,
	              sizeof(err));
	assert_int_equal(json_array_size(x), 4);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(x, 2), "id")),
	    "op1a");
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(x, 3), "number")),
	    "OP3");
	json_decref(x);
	/* refusals: no such paragraph, the new id taken, no text */
	assert_null(
	    neg_amend(t, "delete", "op9", NULL, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "op9"));
	assert_null(
	    neg_amend(t, "insert_after", "op1", "x", "op2", err, sizeof(err)));
	assert_null(
	    neg_amend(t, "replace", "op1", NULL, NULL, err, sizeof(err)));
	x = neg_amend(t, "delete", "pp1", NULL, NULL, err, sizeof(err));
	assert_int_equal(json_array_size(x), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_array_get(x, 0), "number")),
	    "OP1");
	json_decref(x);
	json_decref(t);
}

/* --- the count of a vote with separate paragraph votes -------------------- */

static json_t *
ballot(const char *party, const char *vote, const char *pvote)
{
	json_t *b = json_pack("{s:s,s:s}", "party", party, "vote", vote);

	if (pvote != NULL)
		json_object_set_new(b, "paragraphs",
		                    json_pack("[{s:s,s:s}]", "paragraph", "op2",
		                              "vote", pvote));
	return b;
}

static void
test_count(void **state)
{
	json_t *bs = json_array(), *sep = json_pack("[s]", "op2"), *c;

	(void)state;
	json_array_append_new(bs, ballot("AAA", "yes", "no"));
	json_array_append_new(bs, ballot("BBB", "yes", "no"));
	json_array_append_new(bs, ballot("CCC", "no", "yes"));
	json_array_append_new(bs, ballot("DDD", "abstain", NULL));
	c = neg_count(bs, sep, 5, 0, NEG_SIMPLE);
	assert_int_equal(json_integer_value(json_object_get(c, "yes")), 2);
	assert_int_equal(json_integer_value(json_object_get(c, "abstain")), 1);
	assert_string_equal(json_string_value(json_object_get(c, "result")),
	                    "adopted");
	/* op2: 1 yes, 2 no, DDD silent: voted out, removed from the whole */
	assert_string_equal(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(c, "separate"), 0), "result")),
	    "rejected");
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(c, "removed"), 0)),
	    "op2");
	json_decref(c);
	/* two thirds: 2 of 3 voting is exactly two thirds */
	c = neg_count(bs, NULL, 5, 0, NEG_TWO_THIRDS);
	assert_string_equal(json_string_value(json_object_get(c, "result")),
	                    "adopted");
	json_decref(c);
	/* a quorum of 5 present is missed with 4 */
	c = neg_count(bs, NULL, 5, 5, NEG_SIMPLE);
	assert_string_equal(json_string_value(json_object_get(c, "result")),
	                    "no_quorum");
	json_decref(c);
	/* a tie fails */
	json_array_append_new(bs, ballot("EEE", "no", NULL));
	c = neg_count(bs, NULL, 5, 0, NEG_SIMPLE);
	assert_string_equal(json_string_value(json_object_get(c, "result")),
	                    "rejected");
	json_decref(c);
	json_decref(bs);
	json_decref(sep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words),
	    cmocka_unit_test(test_words_rebuild),
	    cmocka_unit_test(test_words_too_many),
	    cmocka_unit_test(test_revisions),
	    cmocka_unit_test(test_decide_edges),
	    cmocka_unit_test(test_decide_exhaustive),
	    cmocka_unit_test(test_may_exhaustive),
	    cmocka_unit_test(test_texts),
	    cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
