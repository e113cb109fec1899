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

#include "core/acts.h"

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

/*
 * The tally of a recorded vote from its ballots, a JSON array of {party,
 * vote, paragraphs: [{paragraph, vote}]} (vote "yes" | "no" | "abstain"),
 * with separate votes on the paragraphs named in separate (an array of
 * paragraph ids, or NULL) taken first: each separate vote is decided by
 * the same rule, and a paragraph that is not adopted is removed from the
 * text voted on as a whole.  A ballot silent on a separate paragraph does
 * not vote on it, and votes on a paragraph once (the applier refuses a
 * ballot that names one twice).  At most 64 separate paragraphs are counted
 * (the act's schema allows 50).  Returns {yes, no, abstain, members, quorum,
 * result, separate: [{paragraph, yes, no, abstain, result}], removed: [ids]}.
 */
json_t *neg_count(const json_t *ballots, const json_t *separate,
                  unsigned members, unsigned quorum, enum neg_majority m);

/* --- who may do what ------------------------------------------------------ */

/* A party's seat in a forum. */
enum neg_seat {
	NEG_SEAT_NONE = 0,
	NEG_SEAT_OBSERVER,
	NEG_SEAT_MEMBER,
	NEG_SEAT_CHAIR,
};
enum neg_seat neg_seat_parse(const char *s); /* NONE for NULL or unknown */
const char *neg_seat_name(enum neg_seat s);

/* What an act does, as the rules see it. */
enum neg_doing {
	NEG_DO_JOIN,    /* take a seat in an open forum */
	NEG_DO_SEAT,    /* set another party's seat */
	NEG_DO_TABLE,   /* table a document */
	NEG_DO_SUBMIT,  /* answer a call for views */
	NEG_DO_REVISE,  /* revise a document, accept or reject an amendment */
	NEG_DO_AMEND,   /* propose an amendment */
	NEG_DO_CHAIR,   /* open a decision */
	NEG_DO_STANCE,  /* object, reserve, dissociate, vote */
	NEG_DO_EXPLAIN, /* explain a vote or a position */
	NEG_DO_SIGN,    /* sign a joint statement */
	NEG_DO__COUNT
};

/* Who acts: the party's seat in the forum, whether the act is the
 * secretariat's (a secretariat user, or the system), whether the party is
 * the document's penholder, and whether the forum is open to joining. */
struct neg_who {
	enum neg_seat seat;
	bool secretariat;
	bool penholder;
	bool open_forum;
};

/*
 * Whether who may do d.  Returns NULL when it may, else why not (a
 * sentence).  Pure and total: tested over every combination.
 *   join:    a party without a seat, in an open forum;
 *   seat:    the secretariat;
 *   table:   the chair, a member or the secretariat;
 *   submit:  a seated party, or any party when the forum is open;
 *   revise:  the penholder or the secretariat;
 *   amend:   a member or the chair (not an observer);
 *   chair:   the chair or the secretariat;
 *   stance:  a member or the chair (observers do not decide);
 *   explain: any seated party, observers included;
 *   sign:    any party.
 * A party acts only for itself: the act's own party is who, and no body
 * names another.
 */
const char *neg_may(const struct neg_who *who, enum neg_doing d);

/* --- texts ---------------------------------------------------------------- */

/*
 * Numbers paragraphs as UN drafts do: preambular "PP1", "PP2" ..., then
 * operative "OP1" ... (each part counted apart, in order).  Sets "number"
 * on every item of paras (an array of {id, part, text}).
 */
void neg_number(json_t *paras);

/*
 * Checks a text: paragraph ids unique, preambular paragraphs before the
 * operative ones.  Returns NULL, or why not.
 */
const char *neg_text_check(const json_t *paras);

/* The position of paragraph id in paras, or -1 when it has none. */
long neg_para_index(const json_t *paras, const char *id);

/* Whether a document of this kind is a text the forum negotiates
 * (amended, decided on): not a call for views, not a submission. */
bool neg_negotiated(const char *kind);

/* Whether a text still carries square brackets (language not agreed). */
bool neg_bracketed(const json_t *paras);

/*
 * The text after one amendment: action "replace" (paragraph pid gets text),
 * "insert_after" (a new paragraph new_id with text, of pid's part, after
 * pid) or "delete".  Returns the new, renumbered array, or NULL with why
 * in err (no such paragraph, the new id is taken).
 */
json_t *neg_amend(const json_t *paras, const char *action, const char *pid,
                  const char *text, const char *new_id, char *err,
                  size_t errlen);

/* Removes the paragraphs named in ids (an array of strings) and
 * renumbers.  Returns a new array. */
json_t *neg_without(const json_t *paras, const json_t *ids);

/* The act kinds of negotiation (their appliers are in app/negotiation.c). */
extern const struct act_domain act_domain_negotiation;

int neg_apply_forum_open(struct act_ctx *c);
int neg_apply_forum_seat(struct act_ctx *c);
int neg_apply_forum_join(struct act_ctx *c);
int neg_apply_table(struct act_ctx *c);
int neg_apply_revise(struct act_ctx *c);
int neg_apply_amend(struct act_ctx *c);
int neg_apply_amend_accept(struct act_ctx *c);
int neg_apply_amend_reject(struct act_ctx *c);
int neg_apply_decision_open(struct act_ctx *c);
int neg_apply_stance(struct act_ctx *c);
int neg_apply_withdraw(struct act_ctx *c);
int neg_apply_vote(struct act_ctx *c);
int neg_apply_explain(struct act_ctx *c);
int neg_apply_decision_close(struct act_ctx *c);
int neg_apply_statement_open(struct act_ctx *c);
int neg_apply_sign(struct act_ctx *c);

#endif
