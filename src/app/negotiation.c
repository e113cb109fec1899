/*
 * Negotiation's appliers (core/negotiation.c names them): forums, documents
 * and their revisions, amendments, decisions by silence or by recorded
 * vote, and joint statements open for signature.  Every rule is checked
 * here, against the state the act finds when it enters the log, so that it
 * holds under concurrent submissions and again on replay: who may do what
 * is neg_may's (core), what state allows it is this file's.  An outcome
 * becomes a record instrument (store_instrument_put), so that a forum's
 * work is found where the historical record is.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/apply.h"
#include "base/jsonx.h"
#include "base/timeutil.h"
#include "core/negotiation.h"

/* What an act found: its forum, its document, its decision. */
struct found {
	json_t *forum;
	json_t *doc;
	json_t *dec;
	json_t *text; /* the document's current paragraphs */
};

static void
found_free(struct found *f)
{
	json_decref(f->forum);
	json_decref(f->doc);
	json_decref(f->dec);
	json_decref(f->text);
	memset(f, 0, sizeof(*f));
}

static int fail(struct act_ctx *c, int status, const char *type,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
fail(struct act_ctx *c, int status, const char *type, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	app_error_set(c->e, status, type, "%s", msg);
	return -1;
}

/* The party the act is made for, or NULL. */
static const char *
act_party(struct act_ctx *c)
{
	return jsonx_str(c->act, "party");
}

/* A party's act: refused when it is made for no party. */
static const char *
party_needed(struct act_ctx *c)
{
	const char *p = act_party(c);

	if (p == NULL)
		fail(c, 403, "forbidden",
		     "a %s act is made for a party: sign in as one of its "
		     "delegates",
		     c->t->name);
	return p;
}

/* Whether the act is the secretariat's: the system's, or a secretariat
 * user's (as the user is when the act enters the log). */
static bool
by_secretariat(struct act_ctx *c)
{
	struct store_user u;

	if (c->user == NULL)
		return true;
	return store_user_get(c->st, c->user, &u) == STORE_OK &&
	       strcmp(u.role, "secretariat") == 0;
}

static void
act_time(struct act_ctx *c, char out[TIME_RFC3339_LEN])
{
	time_format_ms(c->time_ms, out);
}

/* The act's day, "YYYY-MM-DD", as the record dates things. */
static void
act_date(struct act_ctx *c, char out[TIME_RFC3339_LEN])
{
	time_format_ms(c->time_ms, out);
	out[10] = '\0';
}

/* Who did it, for a history line: the party, or the secretariat. */
static const char *
actor_name(struct act_ctx *c)
{
	return act_party(c) ? act_party(c) : "The secretariat";
}

/* The row of q for a key (key, or else n), or 404 naming what. */
static int
row_of(struct act_ctx *c, json_t **out, enum store_neg_query q,
       const char *what, const char *key, int64_t n)
{
	enum store_err se = key ? store_neg_row(c->st, out, q, "s", key)
	                        : store_neg_row(c->st, out, q, "i", n);

	if (se == STORE_NOTFOUND && key != NULL)
		return fail(c, 404, "not-found", "there is no %s \"%.64s\"",
		            what, key);
	if (se == STORE_NOTFOUND)
		return fail(c, 404, "not-found", "there is no %s %lld", what,
		            (long long)n);
	return apply_result(c, se);
}

static int
get_forum(struct act_ctx *c, const char *id, struct found *f)
{
	return row_of(c, &f->forum, STORE_NEG_FORUM_GET, "negotiating forum",
	              id, 0);
}

static int
get_text(struct act_ctx *c, const char *doc, int64_t n, json_t **out)
{
	json_t *row;
	enum store_err se =
	    store_neg_row(c->st, &row, STORE_NEG_REV_GET, "si", doc, n);

	if (se != STORE_OK)
		return apply_fail(c, se);
	*out = json_incref(json_object_get(row, "paragraphs"));
	json_decref(row);
	return 0;
}

/* The document, its forum and its current text. */
static int
get_doc(struct act_ctx *c, const char *id, struct found *f)
{
	if (row_of(c, &f->doc, STORE_NEG_DOC_GET, "document", id, 0) != 0 ||
	    get_forum(c, jsonx_str(f->doc, "forum"), f) != 0)
		return -1;
	return get_text(c, id, jsonx_int(f->doc, "revision", 0), &f->text);
}

/* The decision, its document, forum and text. */
static int
get_dec(struct act_ctx *c, int64_t id, struct found *f)
{
	if (row_of(c, &f->dec, STORE_NEG_DEC_GET, "decision", NULL, id) != 0)
		return -1;
	return get_doc(c, jsonx_str(f->dec, "document"), f);
}

static enum neg_seat
seat_of(struct act_ctx *c, const char *forum, const char *party)
{
	json_t *row;
	enum neg_seat s = NEG_SEAT_NONE;

	if (party != NULL && store_neg_row(c->st, &row, STORE_NEG_SEAT_GET,
	                                   "ss", forum, party) == STORE_OK) {
		s = neg_seat_parse(jsonx_str(row, "role"));
		json_decref(row);
	}
	return s;
}

/* Whether the act's party (or the secretariat) may do d in the forum f
 * found, as core's rules say; the error names the rule. */
static int
may(struct act_ctx *c, const struct found *f, enum neg_doing d)
{
	const char *party = act_party(c);
	const char *ph = f->doc ? jsonx_str(f->doc, "penholder") : NULL;
	const char *forum = jsonx_str(f->forum, "id");
	struct neg_who w = {
	    .seat = seat_of(c, forum, party),
	    .secretariat = by_secretariat(c),
	    .penholder = party != NULL && ph != NULL && strcmp(ph, party) == 0,
	    .open_forum =
	        strcmp(jsonx_str(f->forum, "membership"), "fixed") != 0,
	};
	const char *why = neg_may(&w, d);

	if (why == NULL)
		return 0;
	return fail(c, 403, "forbidden", "%s: %s in %s", c->t->name, why,
	            forum);
}

/* A line of the forum's history. */
static int event(struct act_ctx *c, const struct found *f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
event(struct act_ctx *c, const struct found *f, const char *fmt, ...)
{
	char summary[600], when[TIME_RFC3339_LEN];
	va_list ap;
	const char *forum = jsonx_str(f->forum, "id");
	const char *doc = f->doc ? jsonx_str(f->doc, "id") : NULL;
	json_int_t dec = f->dec ? jsonx_int(f->dec, "id", 0) : 0;

	va_start(ap, fmt);
	vsnprintf(summary, sizeof(summary), fmt, ap);
	va_end(ap);
	act_time(c, when);
	return apply_result(
	    c, store_neg_run(c->st, STORE_NEG_EVENT_PUT, "issnsssss", c->idx,
	                     forum, doc, (int64_t)dec, c->t->name, act_party(c),
	                     c->user, when, summary));
}

/* The provenance a record row made here carries: the act itself. */
static json_t *
sources_of(struct act_ctx *c)
{
	char title[120];

	snprintf(title, sizeof(title),
	         "Détente transparency log, entry %lld (%s)", (long long)c->idx,
	         c->t->name);
	return json_pack("[{s:s}]", "title", title);
}

/* Whether the record has an instrument with this symbol already. */
static bool
symbol_taken(struct act_ctx *c, const char *symbol)
{
	json_t *row = NULL;
	bool taken =
	    symbol != NULL && store_neg_row(c->st, &row, STORE_NEG_SYMBOL, "s",
	                                    symbol) == STORE_OK;

	json_decref(row);
	return taken;
}

/* The symbol an outcome will carry: the one the act (or decision) gives
 * it, else the document's own. */
static const char *
outcome_symbol(const json_t *given, const json_t *doc)
{
	const char *s = jsonx_str(given, "symbol");

	return s ? s : jsonx_str(doc, "symbol");
}

/* Refuses an outcome's symbol that another instrument has. */
static int
symbol_free(struct act_ctx *c, const char *symbol)
{
	if (!symbol_taken(c, symbol))
		return 0;
	return fail(c, 409, "conflict",
	            "the record has an instrument with symbol %s already",
	            symbol);
}

/* --- forums --------------------------------------------------------------- */

static const char *
membership_text(const char *m)
{
	if (strcmp(m, "un_members") == 0)
		return "Open to every member state of the United Nations, "
		       "which joins by its own act.";
	if (strcmp(m, "any_party") == 0)
		return "Open to every party, which joins by its own act.";
	return "Fixed seats, set by the secretariat.";
}

int
neg_apply_forum_open(struct act_ctx *c)
{
	const json_t *b = c->body;
	json_t *rec, *seats = json_object_get(b, "seats"), *s;
	char when[TIME_RFC3339_LEN];
	struct found f = {0};
	size_t i, chairs = 0;
	int rc;

	json_array_foreach(seats, i, s) chairs +=
	    strcmp(jsonx_str(s, "role"), "chair") == 0;
	if (chairs > 1)
		return fail(c, 400, "validation",
		            "body.seats: a forum has one chair, not %zu",
		            chairs);
	act_date(c, when);
	rec = json_pack("{s:O,s:O,s:O,s:O,s:s,s:O,s:s,s:o}", "id",
	                json_object_get(b, "id"), "name",
	                json_object_get(b, "name"), "kind",
	                json_object_get(b, "kind"), "mandate",
	                json_object_get(b, "mandate"), "membership_rule",
	                membership_text(jsonx_str(b, "membership")),
	                "decision_rule", json_object_get(b, "decision_rule"),
	                "start", when, "sources", sources_of(c));
	if (json_object_get(b, "short_name") != NULL)
		json_object_set(rec, "short_name",
		                json_object_get(b, "short_name"));
	json_object_set_new(rec, "members",
	                    seats ? json_incref(seats) : json_array());
	if (json_is_true(json_object_get(b, "practice")))
		json_object_set_new(
		    rec, "note",
		    json_string("A practice forum of init --demo: its acts "
		                "are real log entries, its parties' positions "
		                "are not."));
	rc = apply_result(c, store_forum_put(c->st, rec, c->idx));
	json_decref(rec);
	if (rc != 0)
		return -1;
	if (apply_result(
	        c,
	        store_neg_run(
	            c->st, STORE_NEG_FORUM_PUT, "sssiii", jsonx_str(b, "id"),
	            jsonx_str(b, "membership"), jsonx_str(b, "decision_rule"),
	            (int64_t)jsonx_int(b, "quorum", 0),
	            (int64_t)json_is_true(json_object_get(b, "practice")),
	            c->idx)) != 0 ||
	    get_forum(c, jsonx_str(b, "id"), &f) != 0)
		return -1;
	rc = event(c, &f,
	           "The secretariat opened the forum (%s; decides by "
	           "%s).",
	           jsonx_str(b, "membership"), jsonx_str(b, "decision_rule"));
	found_free(&f);
	return rc;
}

int
neg_apply_forum_seat(struct act_ctx *c)
{
	const char *forum = jsonx_str(c->body, "forum");
	const char *party = jsonx_str(c->body, "party");
	const char *role = jsonx_str(c->body, "role");
	struct found f = {0};
	enum store_err se;
	int rc = -1;

	if (get_forum(c, forum, &f) != 0 || may(c, &f, NEG_DO_SEAT) != 0)
		goto out;
	if (strcmp(role, "none") == 0) {
		se = store_neg_run(c->st, STORE_NEG_SEAT_DROP, "ss", forum,
		                   party);
	} else {
		const char *chair = jsonx_str(f.forum, "chair");

		/* one chair: the one before takes a member's seat */
		se = STORE_OK;
		if (strcmp(role, "chair") == 0 && chair != NULL &&
		    strcmp(chair, party) != 0)
			se = store_neg_run(c->st, STORE_NEG_SEAT_SET, "sss",
			                   forum, chair, "member");
		if (se == STORE_OK)
			se = store_neg_run(c->st, STORE_NEG_SEAT_SET, "sss",
			                   forum, party, role);
	}
	if (apply_result(c, se) != 0)
		goto out;
	rc = event(c, &f, "The secretariat set %s's seat: %s.", party, role);
out:
	found_free(&f);
	return rc;
}

int
neg_apply_forum_join(struct act_ctx *c)
{
	const char *forum = jsonx_str(c->body, "forum");
	const char *role = jsonx_str(c->body, "role");
	const char *party = party_needed(c);
	struct found f = {0};
	json_t *row = NULL;
	int rc = -1;

	if (role == NULL)
		role = "member";
	if (party == NULL || get_forum(c, forum, &f) != 0 ||
	    may(c, &f, NEG_DO_JOIN) != 0)
		goto out;
	if (strcmp(jsonx_str(f.forum, "membership"), "un_members") == 0 &&
	    store_neg_row(c->st, &row, STORE_NEG_UN_MEMBER, "s", party) !=
	        STORE_OK) {
		fail(c, 403, "forbidden",
		     "%s is open to member states of the United Nations; "
		     "%s is not one",
		     forum, party);
		goto out;
	}
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_SEAT_SET, "sss",
	                                  forum, party, role)) != 0)
		goto out;
	rc = event(c, &f, "%s joined the forum as %s.", party,
	           strcmp(role, "member") == 0 ? "a member" : "an observer");
out:
	json_decref(row);
	found_free(&f);
	return rc;
}

/* --- documents ------------------------------------------------------------ */

/* A text as the act gives it, checked and numbered; NULL with c->e. */
static json_t *
text_of(struct act_ctx *c)
{
	json_t *t = json_deep_copy(json_object_get(c->body, "paragraphs"));
	const char *why = neg_text_check(t);

	if (why != NULL) {
		fail(c, 400, "validation", "body.paragraphs: %s", why);
		json_decref(t);
		return NULL;
	}
	neg_number(t);
	return t;
}

static int
put_revision(struct act_ctx *c, const char *doc, int64_t n, json_t *text,
             const char *note)
{
	char when[TIME_RFC3339_LEN];

	act_time(c, when);
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_REV_PUT, "sijssis",
	                                  doc, n, text, note, act_party(c),
	                                  c->idx, when)) != 0)
		return -1;
	if (n == 0)
		return 0;
	return apply_result(
	    c, store_neg_run(c->st, STORE_NEG_DOC_REVISION, "si", doc, n));
}

/* A document that still takes changes: not under decision, not closed. */
static int
drafting(struct act_ctx *c, const struct found *f)
{
	const char *st = jsonx_str(f->doc, "status");

	if (strcmp(st, "drafting") == 0)
		return 0;
	if (strcmp(st, "in_decision") == 0)
		return fail(c, 409, "document-in-decision",
		            "document %s is before a decision: it takes no "
		            "change until the decision closes",
		            jsonx_str(f->doc, "id"));
	return fail(c, 409, "document-closed",
	            "document %s is %s: a closed document takes no change",
	            jsonx_str(f->doc, "id"), st);
}

int
neg_apply_table(struct act_ctx *c)
{
	const json_t *b = c->body;
	const char *id = jsonx_str(b, "id"), *kind = jsonx_str(b, "kind");
	const char *answers = jsonx_str(b, "answers");
	const char *penholder = jsonx_str(b, "penholder");
	const char *party = act_party(c);
	struct found f = {0}, call = {0};
	char when[TIME_RFC3339_LEN], tlp[24];
	json_t *text = NULL;
	bool submission = strcmp(kind, "submission") == 0;
	int rc = -1;

	if (get_forum(c, jsonx_str(b, "forum"), &f) != 0)
		goto out;
	if (submission != (answers != NULL)) {
		fail(c, 400, "validation",
		     "a submission answers a call for views (body.answers), "
		     "and only a submission does");
		goto out;
	}
	if (c->tlp != TLP_CLEAR && !submission) {
		fail(c, 400, "validation",
		     "only a submission may carry a TLP label; a %s under "
		     "negotiation is TLP:CLEAR",
		     kind);
		goto out;
	}
	if (store_instrument_label(c->st, id, tlp) == STORE_OK) {
		fail(c, 409, "conflict",
		     "the record has an instrument \"%s\" already: a document "
		     "takes the id its outcome will have",
		     id);
		goto out;
	}
	if (submission) {
		if (get_doc(c, answers, &call) != 0)
			goto out;
		if (strcmp(jsonx_str(call.doc, "kind"), "call_for_views") !=
		        0 ||
		    strcmp(jsonx_str(call.doc, "forum"),
		           jsonx_str(f.forum, "id")) != 0) {
			fail(c, 400, "validation",
			     "body.answers: %s is not a call for views of "
			     "forum %s",
			     answers, jsonx_str(f.forum, "id"));
			goto out;
		}
		if (strcmp(jsonx_str(call.doc, "status"), "open") != 0) {
			fail(c, 409, "document-closed",
			     "the call for views %s is closed", answers);
			goto out;
		}
		if (party_needed(c) == NULL || may(c, &f, NEG_DO_SUBMIT) != 0)
			goto out;
		penholder = party;
	} else if (may(c, &f, NEG_DO_TABLE) != 0) {
		goto out;
	}
	if (penholder == NULL)
		penholder = party ? party : jsonx_str(f.forum, "chair");
	if (penholder == NULL) {
		fail(c, 400, "validation",
		     "body.penholder: the forum has no chair to hold the pen");
		goto out;
	}
	if ((text = text_of(c)) == NULL)
		goto out;
	act_time(c, when);
	if (apply_result(
	        c,
	        store_neg_run(
	            c->st, STORE_NEG_DOC_PUT, "ssssssssissssis", id,
	            jsonx_str(f.forum, "id"), kind, jsonx_str(b, "title"),
	            jsonx_str(b, "symbol"), jsonx_str(b, "summary"), penholder,
	            submission                            ? "submitted"
	            : strcmp(kind, "call_for_views") == 0 ? "open"
	                                                  : "drafting",
	            (int64_t)0, answers, jsonx_str(b, "due"),
	            policy_tlp_name(c->tlp), party, c->idx, when)) != 0 ||
	    put_revision(c, id, 0, text, NULL) != 0)
		goto out;
	json_decref(f.doc);
	f.doc = json_pack("{s:s}", "id", id);
	if (submission)
		rc = event(c, &f, "%s answered the call for views %s: %s.",
		           party, answers, jsonx_str(b, "title"));
	else
		rc = event(c, &f, "%s tabled %s: %s (%zu paragraphs).",
		           actor_name(c), kind, jsonx_str(b, "title"),
		           json_array_size(text));
out:
	json_decref(text);
	found_free(&call);
	found_free(&f);
	return rc;
}

int
neg_apply_revise(struct act_ctx *c)
{
	const char *id = jsonx_str(c->body, "document");
	struct found f = {0};
	json_t *text = NULL;
	int64_t n;
	int rc = -1;

	if (get_doc(c, id, &f) != 0 || drafting(c, &f) != 0 ||
	    may(c, &f, NEG_DO_REVISE) != 0 || (text = text_of(c)) == NULL)
		goto out;
	n = jsonx_int(f.doc, "revision", 0) + 1;
	if (put_revision(c, id, n, text, jsonx_str(c->body, "note")) != 0)
		goto out;
	rc = event(c, &f, "%s issued Rev.%lld of %s.", actor_name(c),
	           (long long)n, id);
out:
	json_decref(text);
	found_free(&f);
	return rc;
}

/* --- amendments ----------------------------------------------------------- */

int
neg_apply_amend(struct act_ctx *c)
{
	const json_t *b = c->body;
	const char *id = jsonx_str(b, "document");
	const char *party = party_needed(c);
	struct found f = {0};
	char err[200], when[TIME_RFC3339_LEN];
	json_t *trial;
	int rc = -1;

	if (party == NULL || get_doc(c, id, &f) != 0 || drafting(c, &f) != 0 ||
	    may(c, &f, NEG_DO_AMEND) != 0)
		goto out;
	if (!neg_negotiated(jsonx_str(f.doc, "kind"))) {
		fail(c, 409, "conflict", "a %s is not amended",
		     jsonx_str(f.doc, "kind"));
		goto out;
	}
	/* it must apply to the text as it stands */
	trial = neg_amend(f.text, jsonx_str(b, "action"),
	                  jsonx_str(b, "paragraph"), jsonx_str(b, "text"),
	                  jsonx_str(b, "new_id"), err, sizeof(err));
	if (trial == NULL) {
		fail(c, 400, "validation", "%s (Rev.%lld of %s)", err,
		     (long long)jsonx_int(f.doc, "revision", 0), id);
		goto out;
	}
	json_decref(trial);
	act_time(c, when);
	if (apply_result(
	        c,
	        store_neg_run(c->st, STORE_NEG_AMEND_PUT, "isisssssss", c->idx,
	                      id, (int64_t)jsonx_int(f.doc, "revision", 0),
	                      jsonx_str(b, "paragraph"), jsonx_str(b, "action"),
	                      jsonx_str(b, "text"), jsonx_str(b, "new_id"),
	                      jsonx_str(b, "explanation"), party, when)) != 0)
		goto out;
	rc = event(c, &f, "%s proposed amendment %lld (%s %s).", party,
	           (long long)c->idx, jsonx_str(b, "action"),
	           jsonx_str(b, "paragraph"));
out:
	found_free(&f);
	return rc;
}

/* The amendment, its document and forum, still proposed. */
static int
get_amendment(struct act_ctx *c, int64_t id, json_t **am, struct found *f)
{
	if (row_of(c, am, STORE_NEG_AMEND_GET, "amendment", NULL, id) != 0 ||
	    get_doc(c, jsonx_str(*am, "document"), f) != 0)
		return -1;
	if (strcmp(jsonx_str(*am, "status"), "proposed") != 0)
		return fail(c, 409, "conflict", "amendment %lld is %s already",
		            (long long)id, jsonx_str(*am, "status"));
	return 0;
}

/* Makes the next revision of f's document with amendment am applied. */
static int
accept_into_text(struct act_ctx *c, struct found *f, const json_t *am,
                 const char *note)
{
	char err[200];
	json_t *next;
	int64_t n = jsonx_int(f->doc, "revision", 0) + 1;
	int rc;

	next = neg_amend(f->text, jsonx_str(am, "action"),
	                 jsonx_str(am, "paragraph"), jsonx_str(am, "text"),
	                 jsonx_str(am, "new_id"), err, sizeof(err));
	if (next == NULL)
		return fail(c, 409, "conflict",
		            "amendment %lld no longer applies: %s",
		            (long long)jsonx_int(am, "id", 0), err);
	rc = put_revision(c, jsonx_str(f->doc, "id"), n, next, note);
	json_decref(next);
	if (rc != 0)
		return -1;
	return apply_result(c, store_neg_run(c->st, STORE_NEG_AMEND_RESOLVE,
	                                     "issii", jsonx_int(am, "id", 0),
	                                     "accepted", NULL, c->idx, n));
}

int
neg_apply_amend_accept(struct act_ctx *c)
{
	int64_t id = jsonx_int(c->body, "amendment", 0);
	struct found f = {0};
	json_t *am = NULL;
	char note[200];
	int rc = -1;

	if (get_amendment(c, id, &am, &f) != 0 || drafting(c, &f) != 0 ||
	    may(c, &f, NEG_DO_REVISE) != 0)
		goto out;
	snprintf(note, sizeof(note), "Amendment %lld by %s accepted.",
	         (long long)id, jsonx_str(am, "party"));
	if (accept_into_text(c, &f, am, note) != 0)
		goto out;
	rc = event(c, &f, "%s accepted amendment %lld by %s: Rev.%lld.",
	           actor_name(c), (long long)id, jsonx_str(am, "party"),
	           (long long)jsonx_int(f.doc, "revision", 0) + 1);
out:
	json_decref(am);
	found_free(&f);
	return rc;
}

int
neg_apply_amend_reject(struct act_ctx *c)
{
	int64_t id = jsonx_int(c->body, "amendment", 0);
	struct found f = {0};
	json_t *am = NULL;
	int rc = -1;

	if (get_amendment(c, id, &am, &f) != 0 || drafting(c, &f) != 0 ||
	    may(c, &f, NEG_DO_REVISE) != 0)
		goto out;
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_AMEND_RESOLVE,
	                                  "issin", id, "rejected",
	                                  jsonx_str(c->body, "reason"), c->idx,
	                                  (int64_t)0)) != 0)
		goto out;
	rc = event(c, &f, "%s rejected amendment %lld by %s.", actor_name(c),
	           (long long)id, jsonx_str(am, "party"));
out:
	json_decref(am);
	found_free(&f);
	return rc;
}

/* --- decisions ------------------------------------------------------------ */

static void
deadline_key(int64_t id, char key[40])
{
	snprintf(key, 40, "decision:%lld", (long long)id);
}

int
neg_apply_decision_open(struct act_ctx *c)
{
	const json_t *b = c->body, *sep = json_object_get(b, "separate"), *x;
	const char *doc = jsonx_str(b, "document");
	const char *proc = jsonx_str(b, "procedure");
	const char *kind, *rule;
	bool vote = strcmp(proc, "vote") == 0;
	int64_t amendment = jsonx_int(b, "amendment", 0), due;
	struct found f = {0};
	json_t *am = NULL, *close;
	char key[40], when[TIME_RFC3339_LEN];
	size_t i;
	int rc = -1;

	if (get_doc(c, doc, &f) != 0 || drafting(c, &f) != 0 ||
	    may(c, &f, NEG_DO_CHAIR) != 0)
		goto out;
	kind = jsonx_str(f.doc, "kind");
	rule = jsonx_str(f.forum, "decision_rule");
	if (!neg_negotiated(kind)) {
		fail(c, 409, "conflict", "a %s is not decided on", kind);
		goto out;
	}
	if (vote && strcmp(rule, "consensus") == 0) {
		fail(c, 409, "conflict",
		     "forum %s decides by consensus: it does not vote "
		     "(open a silence procedure)",
		     jsonx_str(f.forum, "id"));
		goto out;
	}
	if (!vote && (amendment != 0 || json_array_size(sep) > 0)) {
		fail(
		    c, 400, "validation",
		    "an amendment or separate paragraphs are put to a recorded "
		    "vote, not to a silence procedure");
		goto out;
	}
	if (time_parse_ms(jsonx_str(b, "deadline"), &due) != 0 ||
	    due <= c->time_ms) {
		fail(c, 400, "validation",
		     "body.deadline must be after the act's own time");
		goto out;
	}
	if (amendment != 0) {
		if (store_neg_row(c->st, &am, STORE_NEG_AMEND_GET, "i",
		                  amendment) != STORE_OK ||
		    strcmp(jsonx_str(am, "document"), doc) != 0 ||
		    strcmp(jsonx_str(am, "status"), "proposed") != 0) {
			fail(c, 400, "validation",
			     "body.amendment: %lld is not a proposed "
			     "amendment to %s",
			     (long long)amendment, doc);
			goto out;
		}
	} else if (neg_bracketed(f.text)) {
		fail(c, 409, "bracketed-text",
		     "Rev.%lld of %s still has language in square brackets: "
		     "agree it (revise the text) before a decision",
		     (long long)jsonx_int(f.doc, "revision", 0), doc);
		goto out;
	}
	if (symbol_free(c, outcome_symbol(b, f.doc)) != 0)
		goto out;
	json_array_foreach(sep, i, x)
	{
		const char *pid = jsonx_str(x, "paragraph");

		if (neg_para_index(f.text, pid) < 0) {
			fail(c, 400, "validation",
			     "body.separate[%zu]: the text has no paragraph "
			     "\"%s\"",
			     i, pid);
			goto out;
		}
		if (seat_of(c, jsonx_str(f.forum, "id"),
		            jsonx_str(x, "requested_by")) < NEG_SEAT_MEMBER) {
			fail(c, 400, "validation",
			     "body.separate[%zu]: a separate vote is asked for "
			     "by a member, which %s is not",
			     i, jsonx_str(x, "requested_by"));
			goto out;
		}
	}
	act_time(c, when);
	if (apply_result(
	        c, store_neg_run(
	               c->st, STORE_NEG_DEC_PUT, "isisssnjsjss", c->idx, doc,
	               (int64_t)jsonx_int(f.doc, "revision", 0), proc,
	               jsonx_str(b, "deadline"),
	               vote ? NULL
	               : jsonx_str(b, "on_objection")
	                   ? jsonx_str(b, "on_objection")
	                   : "fail",
	               amendment, sep, jsonx_str(b, "symbol"),
	               json_object_get(b, "norms"), act_party(c), when)) != 0 ||
	    apply_result(c, store_neg_run(c->st, STORE_NEG_DOC_STATUS, "ss",
	                                  doc, "in_decision")) != 0)
		goto out;
	deadline_key(c->idx, key);
	close = json_pack("{s:I}", "decision", (json_int_t)c->idx);
	rc = apply_deadline_set(c, key, due, "decision.close", close);
	json_decref(close);
	if (rc != 0)
		goto out;
	f.dec = json_pack("{s:I}", "id", (json_int_t)c->idx);
	if (vote)
		rc = event(c, &f,
		           "The chair put %s%s to a recorded vote, until %s.",
		           amendment ? "an amendment to " : "", doc,
		           jsonx_str(b, "deadline"));
	else
		rc = event(c, &f,
		           "The chair opened a silence procedure on Rev.%lld "
		           "of %s, until %s.",
		           (long long)jsonx_int(f.doc, "revision", 0), doc,
		           jsonx_str(b, "deadline"));
out:
	json_decref(am);
	found_free(&f);
	return rc;
}

/* The open decision an act of a member is about, of procedure proc. */
static int
open_decision(struct act_ctx *c, struct found *f, const char *proc)
{
	if (get_dec(c, jsonx_int(c->body, "decision", 0), f) != 0)
		return -1;
	if (strcmp(jsonx_str(f->dec, "status"), "open") != 0)
		return fail(c, 409, "decision-closed",
		            "decision %lld closed at %s: it takes nothing more",
		            (long long)jsonx_int(f->dec, "id", 0),
		            jsonx_str(f->dec, "due"));
	if (proc != NULL && strcmp(jsonx_str(f->dec, "procedure"), proc) != 0)
		return fail(c, 409, "conflict",
		            "decision %lld is a %s, not a %s",
		            (long long)jsonx_int(f->dec, "id", 0),
		            strcmp(proc, "vote") == 0 ? "silence procedure"
		                                      : "recorded vote",
		            strcmp(proc, "vote") == 0 ? "recorded vote"
		                                      : "silence procedure");
	return 0;
}

int
neg_apply_stance(struct act_ctx *c)
{
	const json_t *b = c->body, *paras = json_object_get(b, "paragraphs"),
	             *p;
	const char *party = party_needed(c);
	bool objection = strcmp(c->t->name, "decision.object") == 0;
	const char *kind = objection ? "objection" : jsonx_str(b, "kind");
	const char *text =
	    objection ? jsonx_str(b, "reasons") : jsonx_str(b, "text");
	struct found f = {0};
	char when[TIME_RFC3339_LEN];
	size_t i;
	int rc = -1;

	/* a document before a decision takes no change: its current text
	 * (f.text) is the text decided on */
	if (party == NULL || open_decision(c, &f, "silence") != 0 ||
	    may(c, &f, NEG_DO_STANCE) != 0)
		goto out;
	if (!objection && strcmp(kind, "dissociation") == 0 &&
	    json_array_size(paras) == 0) {
		fail(c, 400, "validation",
		     "a dissociation names the paragraphs it is from "
		     "(body.paragraphs)");
		goto out;
	}
	json_array_foreach(paras, i, p)
	{
		if (neg_para_index(f.text, json_string_value(p)) < 0) {
			fail(c, 400, "validation",
			     "body.paragraphs[%zu]: the text decided on has no "
			     "paragraph \"%s\"",
			     i, json_string_value(p));
			goto out;
		}
	}
	act_time(c, when);
	if (apply_result(c,
	                 store_neg_run(c->st, STORE_NEG_STANCE_PUT, "isssjsis",
	                               jsonx_int(f.dec, "id", 0), party, kind,
	                               NULL, paras, text, c->idx, when)) != 0)
		goto out;
	if (objection)
		rc = event(c, &f, "%s broke silence: an objection.", party);
	else
		rc = event(c, &f, "%s joined with a%s.", party,
		           strcmp(kind, "reservation") == 0
		               ? " reservation"
		               : " dissociation from named paragraphs");
out:
	found_free(&f);
	return rc;
}

int
neg_apply_withdraw(struct act_ctx *c)
{
	const char *party = party_needed(c);
	struct found f = {0};
	json_t *rows = NULL, *s;
	bool had = false;
	size_t i;
	int rc = -1;

	if (party == NULL || open_decision(c, &f, "silence") != 0 ||
	    apply_result(c, store_neg_rows(c->st, &rows, STORE_NEG_STANCES, "i",
	                                   jsonx_int(f.dec, "id", 0))) != 0)
		goto out;
	json_array_foreach(rows, i, s) had |=
	    strcmp(jsonx_str(s, "party"), party) == 0;
	if (!had) {
		fail(c, 404, "not-found",
		     "%s has no objection or reservation on decision %lld",
		     party, (long long)jsonx_int(f.dec, "id", 0));
		goto out;
	}
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_STANCE_DROP, "is",
	                                  jsonx_int(f.dec, "id", 0), party)) !=
	    0)
		goto out;
	rc = event(c, &f, "%s withdrew its objection or reservation.", party);
out:
	json_decref(rows);
	found_free(&f);
	return rc;
}

int
neg_apply_vote(struct act_ctx *c)
{
	const json_t *b = c->body, *pv = json_object_get(b, "paragraphs"), *x,
	             *y;
	const char *party = party_needed(c);
	struct found f = {0};
	char when[TIME_RFC3339_LEN];
	size_t i, j;
	int rc = -1;

	if (party == NULL || open_decision(c, &f, "vote") != 0 ||
	    may(c, &f, NEG_DO_STANCE) != 0)
		goto out;
	json_array_foreach(pv, i, x)
	{
		const char *pid = jsonx_str(x, "paragraph");
		bool put = false;

		json_array_foreach(json_object_get(f.dec, "separate"), j, y)
		{
			put |= strcmp(jsonx_str(y, "paragraph"), pid) == 0;
		}
		if (!put) {
			fail(
			    c, 400, "validation",
			    "body.paragraphs[%zu]: paragraph \"%s\" is not put "
			    "to a separate vote",
			    i, pid);
			goto out;
		}
		json_array_foreach(pv, j, y)
		{
			if (j < i &&
			    strcmp(jsonx_str(y, "paragraph"), pid) == 0) {
				fail(c, 400, "validation",
				     "body.paragraphs[%zu]: paragraph \"%s\" "
				     "is voted on once",
				     i, pid);
				goto out;
			}
		}
	}
	act_time(c, when);
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_STANCE_PUT,
	                                  "isssjsis", jsonx_int(f.dec, "id", 0),
	                                  party, "vote", jsonx_str(b, "vote"),
	                                  pv, NULL, c->idx, when)) != 0)
		goto out;
	/* the line is the ballot's: as sealed as the ballot is */
	rc = event(c, &f, "%s voted %s.", party, jsonx_str(b, "vote"));
out:
	found_free(&f);
	return rc;
}

int
neg_apply_explain(struct act_ctx *c)
{
	const char *party = party_needed(c);
	const char *timing = jsonx_str(c->body, "timing");
	struct found f = {0};
	char when[TIME_RFC3339_LEN];
	bool open;
	int rc = -1;

	if (party == NULL ||
	    get_dec(c, jsonx_int(c->body, "decision", 0), &f) != 0 ||
	    may(c, &f, NEG_DO_EXPLAIN) != 0)
		goto out;
	open = strcmp(jsonx_str(f.dec, "status"), "open") == 0;
	if (open != (strcmp(timing, "before") == 0)) {
		fail(c, 409, open ? "conflict" : "decision-closed",
		     "decision %lld is %s: an explanation now is given %s",
		     (long long)jsonx_int(f.dec, "id", 0),
		     open ? "open" : "closed", open ? "before" : "after");
		goto out;
	}
	act_time(c, when);
	if (apply_result(c, store_neg_run(
	                        c->st, STORE_NEG_EXPLAIN_PUT, "isssis",
	                        jsonx_int(f.dec, "id", 0), party, timing,
	                        jsonx_str(c->body, "text"), c->idx, when)) != 0)
		goto out;
	rc = event(c, &f, "%s explained its position (%s the decision).", party,
	           timing);
out:
	found_free(&f);
	return rc;
}

/* --- outcomes ------------------------------------------------------------- */

static const char *
adoption_of(const char *procedure)
{
	if (strcmp(procedure, "vote") == 0)
		return "recorded_vote";
	if (strcmp(procedure, "signature") == 0)
		return "signature";
	return "consensus";
}

/*
 * The outcome as a record instrument, with the document's id: adopted or
 * failed, how, by what vote, with the norms the decision named.
 */
static int
record_outcome(struct act_ctx *c, const struct found *f, const char *outcome,
               const char *reason, const json_t *tally)
{
	const json_t *doc = f->doc, *dec = f->dec;
	const char *symbol = outcome_symbol(dec, doc);
	char date[TIME_RFC3339_LEN];
	json_t *rec;
	int rc;

	act_date(c, date);
	/* checked when the decision opened; taken since, the outcome is
	 * kept without it rather than not at all */
	if (symbol_taken(c, symbol))
		symbol = NULL;
	rec = json_pack(
	    "{s:O,s:O,s:s,s:s,s:O,s:b,s:s,s:s,s:O,s:o}", "id",
	    json_object_get(doc, "id"), "title", json_object_get(doc, "title"),
	    "kind", jsonx_str(doc, "kind"), "date", date, "forum",
	    json_object_get(doc, "forum"), "binding",
	    strcmp(jsonx_str(doc, "kind"), "agreement") == 0, "outcome",
	    outcome, "adoption", adoption_of(jsonx_str(dec, "procedure")),
	    "summary",
	    json_object_get(doc, json_is_string(json_object_get(doc, "summary"))
	                             ? "summary"
	                             : "title"),
	    "sources", sources_of(c));
	if (symbol != NULL)
		json_object_set_new(rec, "symbol", json_string(symbol));
	if (reason != NULL)
		json_object_set_new(rec, "outcome_reason", json_string(reason));
	if (json_is_array(json_object_get(dec, "norms")))
		json_object_set(rec, "norms", json_object_get(dec, "norms"));
	if (tally != NULL)
		json_object_set_new(
		    rec, "vote_totals",
		    json_pack("{s:O,s:O,s:O}", "yes",
		              json_object_get(tally, "yes"), "no",
		              json_object_get(tally, "no"), "abstain",
		              json_object_get(tally, "abstain")));
	rc = apply_result(
	    c, store_instrument_put(c->st, rec, "TLP:CLEAR", c->idx));
	json_decref(rec);
	return rc;
}

/* The per-party record of a vote on the whole text, for the record. */
static int
record_votes(struct act_ctx *c, const struct found *f, const json_t *ballots)
{
	char date[TIME_RFC3339_LEN];
	json_t *v, *b;
	size_t i;
	int rc;

	act_date(c, date);
	v = json_pack("{s:O,s:s,s:[],s:[],s:[],s:o}", "instrument",
	              json_object_get(f->doc, "id"), "date", date, "yes", "no",
	              "abstain", "sources", sources_of(c));
	json_array_foreach(ballots, i, b)
	{
		json_array_append(json_object_get(v, jsonx_str(b, "vote")),
		                  json_object_get(b, "party"));
	}
	rc = apply_result(c, store_vote_put(c->st, v, c->idx));
	json_decref(v);
	return rc;
}

/* A silence procedure's outcome: adopted unless a member objected; then
 * failed or back to drafting, as the chair chose.  The stances are kept. */
static int
close_silence(struct act_ctx *c, struct found *f, json_t *result,
              const char **status)
{
	json_t *stances = NULL, *s, *objections = json_array();
	char reason[2000] = "";
	size_t i, len = 0;
	int rc = -1;

	if (apply_result(c, store_neg_rows(c->st, &stances, STORE_NEG_STANCES,
	                                   "i", jsonx_int(f->dec, "id", 0))) !=
	    0)
		goto out;
	json_array_foreach(stances, i, s)
	{
		if (strcmp(jsonx_str(s, "kind"), "objection") != 0)
			continue;
		json_array_append(objections, json_object_get(s, "party"));
		len += (size_t)snprintf(reason + len, sizeof(reason) - len,
		                        "%s%s: %s", len ? "; " : "",
		                        jsonx_str(s, "party"),
		                        jsonx_str(s, "text"));
		if (len >= sizeof(reason))
			len = sizeof(reason) - 1;
	}
	json_object_set(result, "stances", stances);
	json_object_set(result, "objections", objections);
	if (json_array_size(objections) == 0) {
		*status = "adopted";
		rc = record_outcome(c, f, "adopted", NULL, NULL);
	} else if (strcmp(jsonx_str(f->dec, "on_objection"), "return") == 0) {
		*status = "returned";
		rc = 0;
	} else {
		char why[2100];

		*status = "failed";
		snprintf(why, sizeof(why), "Silence broken by %zu member%s: %s",
		         json_array_size(objections),
		         json_array_size(objections) == 1 ? "" : "s", reason);
		rc = record_outcome(c, f, "failed", why, NULL);
	}
out:
	json_decref(stances);
	json_decref(objections);
	return rc;
}

/* A recorded vote's outcome: separate paragraph votes first, then the
 * text without the paragraphs voted out (or the amendment put to it). */
static int
close_vote(struct act_ctx *c, struct found *f, json_t *result,
           const char **status)
{
	const json_t *sep = json_object_get(f->dec, "separate"), *x;
	int64_t amendment = jsonx_int(f->dec, "amendment", 0);
	json_t *ballots = NULL, *ids = json_array(), *tally = NULL, *am = NULL;
	enum neg_majority m =
	    strcmp(jsonx_str(f->forum, "decision_rule"), "two_thirds") == 0
	        ? NEG_TWO_THIRDS
	        : NEG_SIMPLE;
	bool adopted;
	size_t i;
	int rc = -1;

	json_array_foreach(sep, i, x)
	    json_array_append(ids, json_object_get(x, "paragraph"));
	if (apply_result(c, store_neg_rows(c->st, &ballots, STORE_NEG_BALLOTS,
	                                   "i", jsonx_int(f->dec, "id", 0))) !=
	    0)
		goto out;
	tally =
	    neg_count(ballots, ids, (unsigned)jsonx_int(f->forum, "voters", 0),
	              (unsigned)jsonx_int(f->forum, "quorum", 0), m);
	json_object_set(result, "tally", tally);
	json_object_set(result, "ballots", ballots);
	adopted = strcmp(jsonx_str(tally, "result"), "adopted") == 0;
	if (amendment != 0) {
		/* the amendment's fate; the document goes back to drafting */
		*status = adopted ? "adopted" : "failed";
		if (store_neg_row(c->st, &am, STORE_NEG_AMEND_GET, "i",
		                  amendment) != STORE_OK) {
			fail(c, 500, "internal", "amendment %lld is gone",
			     (long long)amendment);
			goto out;
		}
		if (adopted) {
			char note[200];

			snprintf(note, sizeof(note),
			         "Amendment %lld by %s adopted in a recorded "
			         "vote.",
			         (long long)amendment, jsonx_str(am, "party"));
			rc = accept_into_text(c, f, am, note);
		} else {
			rc = apply_result(
			    c, store_neg_run(c->st, STORE_NEG_AMEND_RESOLVE,
			                     "issin", amendment, "rejected",
			                     "Not adopted in a recorded vote.",
			                     c->idx, (int64_t)0));
		}
		goto out;
	}
	if (json_array_size(json_object_get(tally, "removed")) > 0) {
		json_t *rest =
		    neg_without(f->text, json_object_get(tally, "removed"));
		int64_t n = jsonx_int(f->doc, "revision", 0) + 1;

		rc = put_revision(c, jsonx_str(f->doc, "id"), n, rest,
		                  "Paragraphs voted out in separate votes "
		                  "removed.");
		json_decref(rest);
		if (rc != 0)
			goto out;
	}
	*status = adopted ? "adopted" : "failed";
	if (adopted) {
		rc = record_outcome(c, f, "adopted", NULL, tally);
	} else {
		char why[200];

		snprintf(why, sizeof(why),
		         "Not adopted in a recorded vote: %lld in favour, %lld "
		         "against, %lld abstaining (%s).",
		         (long long)jsonx_int(tally, "yes", 0),
		         (long long)jsonx_int(tally, "no", 0),
		         (long long)jsonx_int(tally, "abstain", 0),
		         jsonx_str(tally, "result"));
		rc = record_outcome(c, f, "failed", why, tally);
	}
	if (rc == 0)
		rc = record_votes(c, f, ballots);
out:
	json_decref(am);
	json_decref(tally);
	json_decref(ballots);
	json_decref(ids);
	return rc;
}

int
neg_apply_decision_close(struct act_ctx *c)
{
	struct found f = {0};
	json_t *result = json_object();
	const char *status = NULL, *doc_status;
	int64_t id = jsonx_int(c->body, "decision", 0);
	bool vote;
	int rc = -1;

	if (open_decision(c, &f, NULL) != 0)
		goto out;
	vote = strcmp(jsonx_str(f.dec, "procedure"), "vote") == 0;
	/* the cut: from here the ballots are public, and nothing more is
	 * taken (the decision is no longer open) */
	if ((vote ? close_vote(c, &f, result, &status)
	          : close_silence(c, &f, result, &status)) != 0 ||
	    apply_result(c, store_neg_run(c->st, STORE_NEG_UNSEAL, "i", id)) !=
	        0 ||
	    apply_result(c, store_neg_run(c->st, STORE_NEG_DEC_CLOSE, "isji",
	                                  id, status, result, c->idx)) != 0)
		goto out;
	/* after a vote on an amendment, or a broken silence that returns
	 * it, the text is drafted again; else it is what the decision made */
	doc_status = jsonx_int(f.dec, "amendment", 0) != 0 ||
	                     strcmp(status, "returned") == 0
	                 ? "drafting"
	                 : status;
	if (apply_result(c, store_neg_run(c->st, STORE_NEG_DOC_INSTRUMENT,
	                                  "sss", jsonx_str(f.doc, "id"),
	                                  strcmp(doc_status, "drafting") == 0
	                                      ? NULL
	                                      : jsonx_str(f.doc, "id"),
	                                  doc_status)) != 0)
		goto out;
	rc = event(c, &f, "The decision closed at %s: %s.",
	           jsonx_str(c->body, "due"),
	           strcmp(status, "returned") == 0
	               ? "silence was broken; the text returns to drafting"
	               : status);
out:
	json_decref(result);
	found_free(&f);
	return rc;
}

/* --- joint statements ----------------------------------------------------- */

int
neg_apply_statement_open(struct act_ctx *c)
{
	struct found f = {0};
	json_t *dec;
	int rc = -1;

	if (get_doc(c, jsonx_str(c->body, "document"), &f) != 0 ||
	    drafting(c, &f) != 0 || may(c, &f, NEG_DO_REVISE) != 0)
		goto out;
	if (strcmp(jsonx_str(f.doc, "kind"), "joint_statement") != 0) {
		fail(c, 409, "conflict",
		     "only a joint statement is opened for signature; %s is "
		     "a %s",
		     jsonx_str(f.doc, "id"), jsonx_str(f.doc, "kind"));
		goto out;
	}
	if (neg_bracketed(f.text)) {
		fail(c, 409, "bracketed-text",
		     "the statement still has language in square brackets");
		goto out;
	}
	if (symbol_free(c, outcome_symbol(c->body, f.doc)) != 0)
		goto out;
	/* the instrument, open for signature: its signatories are acts */
	dec = json_pack("{s:s,s:O?,s:O?}", "procedure", "signature", "symbol",
	                json_object_get(c->body, "symbol"), "norms",
	                json_object_get(c->body, "norms"));
	f.dec = dec;
	rc = record_outcome(c, &f, "open_for_signature", NULL, NULL);
	json_decref(f.dec);
	f.dec = NULL;
	if (rc != 0 ||
	    (rc = apply_result(c, store_neg_run(c->st, STORE_NEG_DOC_INSTRUMENT,
	                                        "sss", jsonx_str(f.doc, "id"),
	                                        jsonx_str(f.doc, "id"),
	                                        "open_for_signature"))) != 0)
		goto out;
	rc = event(c, &f, "%s opened the statement for signature.",
	           actor_name(c));
out:
	found_free(&f);
	return rc;
}

int
neg_apply_sign(struct act_ctx *c)
{
	const char *party = party_needed(c);
	struct found f = {0};
	char date[TIME_RFC3339_LEN];
	json_t *j;
	int rc = -1;

	if (party == NULL ||
	    get_doc(c, jsonx_str(c->body, "document"), &f) != 0 ||
	    may(c, &f, NEG_DO_SIGN) != 0)
		goto out;
	if (strcmp(jsonx_str(f.doc, "status"), "open_for_signature") != 0) {
		fail(c, 409, "conflict", "%s is not open for signature",
		     jsonx_str(f.doc, "id"));
		goto out;
	}
	act_date(c, date);
	j = json_pack("{s:O,s:[{s:s,s:s,s:s}],s:o}", "instrument",
	              json_object_get(f.doc, "id"), "parties", "party", party,
	              "relation", "signatory", "date", date, "sources",
	              sources_of(c));
	rc = apply_result(c, store_join_put(c->st, j, c->idx));
	json_decref(j);
	if (rc == -1 && c->e->status == 409)
		fail(c, 409, "conflict", "%s has signed %s already", party,
		     jsonx_str(f.doc, "id"));
	if (rc != 0)
		goto out;
	rc = event(c, &f, "%s signed the statement.", party);
out:
	found_free(&f);
	return rc;
}
