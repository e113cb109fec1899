/*
 * The negotiation core's figures (DESIGN §9, issue 10): the diff of two
 * 200-paragraph revisions (goal < 5 ms) and the tally of a 193-member vote
 * with 20 separate paragraph votes (goal < 1 ms).  Median of RUNS, in
 * microseconds of CPU-bound wall time on one core.
 *   bench_negotiation [RUNS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/negotiation.h"

static const char *const words[] = {
    "States",     "should",     "cooperate",
    "in",         "developing", "and",
    "applying",   "measures",   "to",
    "increase",   "stability",  "security",
    "the",        "use",        "of",
    "ICTs",       "[critical]", "infrastructure",
    "consistent", "with",       "international",
    "law",        ",",          "."};
#define NWORDS (sizeof(words) / sizeof(words[0]))

static uint32_t seed = 12345;

static uint32_t
rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return seed >> 8;
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static char *
paragraph(int nwords)
{
	char *p = calloc(1, (size_t)nwords * 20 + 1);

	for (int i = 0; i < nwords; i++) {
		if (i)
			strcat(p, " ");
		strcat(p, words[rnd() % NWORDS]);
	}
	return p;
}

/* Revision b: a with 20 paragraphs edited in a few words, 5 removed and
 * 5 added. */
static void
revisions(json_t **a, json_t **b)
{
	*a = json_array();
	*b = json_array();
	for (int i = 0; i < 200; i++) {
		char id[16], num[16];
		char *t = paragraph(40 + (int)(rnd() % 60));

		snprintf(id, sizeof(id), "p%d", i);
		snprintf(num, sizeof(num), "%d", i + 1);
		json_array_append_new(*a, json_pack("{s:s,s:s,s:s}", "id", id,
		                                    "number", num, "text", t));
		if (i % 40 == 7) { /* removed */
			free(t);
			continue;
		}
		if (i % 10 == 3) { /* a few words changed */
			size_t n = strlen(t);
			char *u = malloc(n + 40);

			/* words added at the start, one dropped at the end */
			snprintf(u, n + 40, "Member States [shall] %.*s",
			         (int)(n > 8 ? n - 8 : n), t);
			json_array_append_new(*b, json_pack("{s:s,s:s,s:s}",
			                                    "id", id, "number",
			                                    num, "text", u));
			free(u);
		} else {
			json_array_append_new(*b, json_pack("{s:s,s:s,s:s}",
			                                    "id", id, "number",
			                                    num, "text", t));
		}
		if (i % 40 == 20) { /* added after it */
			char *n = paragraph(50);

			snprintf(id, sizeof(id), "new%d", i);
			json_array_append_new(*b, json_pack("{s:s,s:s,s:s}",
			                                    "id", id, "number",
			                                    "x", "text", n));
			free(n);
		}
		free(t);
	}
}

int
main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 101;
	double *t = calloc((size_t)runs, sizeof(double));
	json_t *a, *b, *d = NULL;
	unsigned char votes[21][193];
	size_t changed = 0, i;
	json_t *it;

	if (runs < 1)
		runs = 101;
	revisions(&a, &b);
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();

		json_decref(d);
		d = neg_diff_revisions(a, b);
		t[r] = now_us() - t0;
	}
	qsort(t, (size_t)runs, sizeof(double), cmp);
	json_array_foreach(d, i, it) changed +=
	    strcmp(json_string_value(json_object_get(it, "op")), "same") != 0;
	printf("diff_200_paragraphs_us %.1f\n", t[runs / 2]);
	printf("diff_200_paragraphs_p99_us %.1f\n", t[(runs * 99) / 100]);
	printf("diff_items %zu changed %zu\n", json_array_size(d), changed);
	/* 193 delegations, 20 paragraph votes and the whole */
	for (int v = 0; v < 21; v++)
		for (int p = 0; p < 193; p++)
			votes[v][p] =
			    (unsigned char)(rnd() %
			                    4); /* yes no abstain absent */
	for (int r = 0; r < runs; r++) {
		double t0 = now_us();
		unsigned adopted = 0;

		for (int v = 0; v < 21; v++) {
			struct neg_tally tl = {0, 0, 0, 193, 97};

			for (int p = 0; p < 193; p++) {
				tl.yes += votes[v][p] == 0;
				tl.no += votes[v][p] == 1;
				tl.abstain += votes[v][p] == 2;
			}
			adopted +=
			    neg_decide(&tl, v ? NEG_SIMPLE : NEG_TWO_THIRDS) ==
			    NEG_ADOPTED;
		}
		t[r] = now_us() - t0;
		if (adopted > 21)
			abort(); /* keeps the loop from being optimised away */
	}
	qsort(t, (size_t)runs, sizeof(double), cmp);
	printf("tally_193_with_20_paragraph_votes_us %.2f\n", t[runs / 2]);
	/* the same through neg_count, as the close runs it: the ballots as
	 * JSON, the separate votes taken first */
	{
		json_t *ballots = json_array(), *sep = json_array();
		static const char *const v3[] = {"yes", "no", "abstain"};

		for (int p = 0; p < 20; p++) {
			char pid[16];

			snprintf(pid, sizeof(pid), "op%d", p + 1);
			json_array_append_new(sep, json_string(pid));
		}
		for (int p = 0; p < 193; p++) {
			json_t *pv = json_array();

			for (int q = 0; q < 20; q++) {
				char pid[16];

				snprintf(pid, sizeof(pid), "op%d", q + 1);
				json_array_append_new(
				    pv, json_pack("{s:s,s:s}", "paragraph", pid,
				                  "vote", v3[votes[q + 1][p]]));
			}
			json_array_append_new(
			    ballots,
			    json_pack("{s:s,s:s,s:o}", "party", "P", "vote",
			              v3[votes[0][p]], "paragraphs", pv));
		}
		for (int r = 0; r < runs; r++) {
			double t0 = now_us();
			json_t *c =
			    neg_count(ballots, sep, 193, 97, NEG_SIMPLE);

			t[r] = now_us() - t0;
			json_decref(c);
		}
		qsort(t, (size_t)runs, sizeof(double), cmp);
		printf("count_193_ballots_20_separate_json_us %.2f\n",
		       t[runs / 2]);
		json_decref(ballots);
		json_decref(sep);
	}
	json_decref(d);
	json_decref(a);
	json_decref(b);
	free(t);
	return 0;
}
