/*
 * The practice areas that init --demo adds beside the historical record,
 * so that a newcomer can try what delegates do: demo accounts (their
 * passwords made here and shown once), a practice open-ended working group
 * with a draft that still has square brackets and an amendment to agree
 * it, and a practice committee with a draft resolution put to a recorded
 * vote a week from now.  Every act is a real, signed log entry made by the
 * demo account it names; the forums are marked as practice.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app/app.h"
#include "base/jsonx.h"
#include "base/timeutil.h"

#define PRACTICE_USERS 5

static const struct {
	const char *username, *role, *party;
} demo_users[PRACTICE_USERS] = {
    {"demo-secretariat", "secretariat", NULL}, {"demo-idn", "delegate", "IDN"},
    {"demo-bra", "delegate", "BRA"},           {"demo-usa", "delegate", "USA"},
    {"demo-chn", "delegate", "CHN"},
};

/* One act by one demo account. */
static int
act(struct app *app, const struct app_actor *who, const char *type,
    json_t *body, struct app_error *e)
{
	struct app_receipt r;
	int rc = app_submit(app, who, type, body, NULL, &r, e);

	json_decref(body);
	return rc;
}

/* A practice forum open to UN member states, chaired by IDN, with BRA,
 * USA and CHN seated. */
static json_t *
practice_forum(const char *id, const char *name, const char *kind,
               const char *mandate, const char *rule)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:[{s:s,s:s},{s:s,s:s},"
	                 "{s:s,s:s},{s:s,s:s}]}",
	                 "id", id, "name", name, "kind", kind, "mandate",
	                 mandate, "membership", "un_members", "decision_rule",
	                 rule, "practice", 1, "seats", "party", "IDN", "role",
	                 "chair", "party", "BRA", "role", "member", "party",
	                 "USA", "role", "member", "party", "CHN", "role",
	                 "member");
}

static json_t *
para(const char *id, const char *part, const char *text)
{
	return json_pack("{s:s,s:s,s:s}", "id", id, "part", part, "text", text);
}

int
app_practice(struct app *app, FILE *out, struct app_error *e)
{
	struct app_actor who[PRACTICE_USERS];
	char passwords[PRACTICE_USERS][40];
	char due[TIME_RFC3339_LEN];
	uint8_t raw[10];
	struct app_actor sys;

	app_actor_system(&sys);
	for (int i = 0; i < PRACTICE_USERS; i++) {
		struct app_receipt r;
		json_t *body = json_pack(
		    "{s:s,s:s,s:s?}", "username", demo_users[i].username,
		    "role", demo_users[i].role, "party", demo_users[i].party);
		int rc;

		randombytes_buf(raw, sizeof(raw));
		strcpy(passwords[i], "practice-");
		sodium_bin2hex(passwords[i] + 9, sizeof(passwords[i]) - 9, raw,
		               sizeof(raw));
		rc = app_user_add(app, &sys, body, passwords[i], &r, e);
		json_decref(body);
		if (rc != 0)
			return -1;
		app_actor_set(&who[i], policy_role_parse(demo_users[i].role),
		              r.user_id, demo_users[i].username,
		              demo_users[i].party);
	}
	time_format_ms(time_now_ms() + 7 * 86400000LL, due);
	if (act(app, &who[0], "forum.open",
	        practice_forum(
	            "practice-oewg", "Practice open-ended working group",
	            "open_ended",
	            "To practise drafting a report by consensus: propose "
	            "amendments, agree the bracketed language, and run a "
	            "silence procedure.",
	            "consensus"),
	        e) != 0 ||
	    act(app, &who[1], "document.table",
	        json_pack("{s:s,s:s,s:s,s:s,s:[o,o,o,o]}", "id",
	                  "practice-oewg-report", "forum", "practice-oewg",
	                  "kind", "report", "title",
	                  "Draft report of the practice working group",
	                  "paragraphs",
	                  para("pp1", "preambular",
	                       "Recalling the reports of the Groups of "
	                       "Governmental Experts of 2010, 2013 and 2015,"),
	                  para("pp2", "preambular",
	                       "Concerned by the [growing] use of ICTs in "
	                       "ways inconsistent with international peace "
	                       "and security,"),
	                  para("op1", "operative",
	                       "States should not conduct or knowingly support "
	                       "ICT activity that intentionally damages "
	                       "critical infrastructure;"),
	                  para("op2", "operative",
	                       "States should respond to appropriate requests "
	                       "for assistance [within a reasonable time];")),
	        e) != 0 ||
	    act(app, &who[2], "amendment.propose",
	        json_pack("{s:s,s:s,s:s,s:s,s:s}", "document",
	                  "practice-oewg-report", "paragraph", "op2", "action",
	                  "replace", "text",
	                  "States should respond to appropriate requests for "
	                  "assistance in a timely manner;",
	                  "explanation",
	                  "Agree the bracketed language as the 2015 report "
	                  "has it."),
	        e) != 0 ||
	    act(app, &who[0], "forum.open",
	        practice_forum(
	            "practice-committee", "Practice committee (recorded votes)",
	            "plenary",
	            "To practise a recorded vote: one vote per party, "
	            "sealed until the deadline, explanations of vote.",
	            "majority"),
	        e) != 0 ||
	    act(app, &who[3], "document.table",
	        json_pack("{s:s,s:s,s:s,s:s,s:[o,o,o]}", "id",
	                  "practice-draft-resolution", "forum",
	                  "practice-committee", "kind", "resolution", "title",
	                  "Practice draft resolution on responsible state "
	                  "behaviour in cyberspace",
	                  "paragraphs",
	                  para("pp1", "preambular",
	                       "Welcoming the eleven norms of responsible "
	                       "state behaviour,"),
	                  para("op1", "operative",
	                       "Calls upon States to be guided by the norms "
	                       "in their use of ICTs;"),
	                  para("op2", "operative",
	                       "Decides to include the item in the provisional "
	                       "agenda of its next session.")),
	        e) != 0 ||
	    act(app, &who[1], "decision.open",
	        json_pack("{s:s,s:s,s:s}", "document",
	                  "practice-draft-resolution", "procedure", "vote",
	                  "deadline", due),
	        e) != 0)
		return -1;
	fprintf(out,
	        "detente: added the practice areas (practice-oewg, "
	        "practice-committee) and their demo accounts; the passwords "
	        "are shown only now:\n");
	for (int i = 0; i < PRACTICE_USERS; i++) {
		fprintf(out, "  %-17s %-12s %-4s %s\n", demo_users[i].username,
		        demo_users[i].role,
		        demo_users[i].party ? demo_users[i].party : "-",
		        passwords[i]);
		sodium_memzero(passwords[i], sizeof(passwords[i]));
	}
	return 0;
}
