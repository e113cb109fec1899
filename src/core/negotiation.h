/*
 * Negotiation's pure rules: how two revisions of a text compare (paragraph
 * by paragraph, word by word inside a paragraph), and how a recorded vote
 * is decided.  No I/O, no clock.
 */
#ifndef DETENTE_CORE_NEGOTIATION_H
#define DETENTE_CORE_NEGOTIATION_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* --- diff ----------------------------------------------------------------- */

/* A word-level change: text kept ('='), added ('+') or removed ('-'). */
struct neg_span {
	char op;
	const char *text; /* into one of the two texts; not NUL-ended */
	size_t len;
};

/* The most changes a paragraph's word diff traces; past it the paragraph
 * is shown as removed and added whole. */
#define NEG_MAX_EDITS 2000

/*
 * The word-level diff of a and b: spans that rebuild a from the '=' and
 * '-' ones and b from the '=' and '+' ones, in order, adjacent spans of
 * the same kind merged.  A word is a run of letters or digits (any UTF-8
 * beyond ASCII counts as a letter), and every other character (space,
 * punctuation, a square bracket) is a token of its own, so that brackets
 * added or removed show.  Returns the number of spans in *out (to free),
 * or -1 when out of memory.
 */
long neg_diff_words(const char *a, const char *b, struct neg_span **out);

/*
 * The diff of two revisions, each a JSON array of paragraphs {id, number,
 * text} (an id is stable across revisions): one item per paragraph of
 * either, in the order of b with a's removed paragraphs where they stood,
 * as {id, op: "same" | "changed" | "added" | "removed", number_a,
 * number_b, words: [{op, text}]} (words only for "changed").  NULL for a
 * revision that is not such an array.
 */
json_t *neg_diff_revisions(const json_t *a, const json_t *b);

/* --- decisions ------------------------------------------------------------ */

enum neg_majority {
	NEG_SIMPLE,     /* more yes than no */
	NEG_TWO_THIRDS, /* yes at least two thirds of yes and no */
};

struct neg_tally {
	unsigned yes, no, abstain;
	unsigned members; /* who may vote */
	unsigned quorum;  /* present (yes + no + abstain) needed; 0: none */
};

enum neg_result {
	NEG_ADOPTED,
	NEG_REJECTED,  /* not the majority, or a tie */
	NEG_NO_QUORUM, /* too few present */
	NEG_NO_VOTES,  /* nobody voted yes or no: all abstained, or none came */
};

/*
 * A recorded vote decided by its rule: those present and voting are those
 * who voted yes or no (an abstention is present, not voting); the quorum
 * counts everyone present.  A tie fails.  Two thirds is exact:
 * 3 * yes >= 2 * (yes + no).
 */
enum neg_result neg_decide(const struct neg_tally *t, enum neg_majority m);
const char *neg_result_name(enum neg_result r); /* "adopted" ... */

#endif
