/*
 * The open-data export of the record: one file per table (CSV or JSON) and
 * a README.md that says what each column holds, where the data comes from
 * and under which licence, and which checkpoint of the log it was taken
 * at.  It reads as the public does (TLP:CLEAR only), whoever asks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "app/internal.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/enc.h"
#include "base/jsonx.h"
#include "base/timeutil.h"

struct column {
	const char *name, *what;
};

struct table {
	const char *name, *what;
	const struct column *cols;
};

#define END_COLS                                                               \
	{                                                                      \
		NULL, NULL                                                     \
	}
#define PROVENANCE_COLS                                                        \
	{"unconfirmed", "true when a fact could not be confirmed from two "    \
	                "sources (see note)"},                                 \
	    {"note", "why, or a caveat"},                                      \
	    {"sources", "the public pages the fact comes from: a JSON list "   \
	                "of {title, url, date}"},                              \
	{                                                                      \
		"log_idx", "the index of the log entry that recorded it "      \
		           "(/api/v1/log/entries?start=N)"                     \
	}

static const struct column party_cols[] = {
    {"code", "ISO 3166-1 alpha-3 for a State; the project's code for an "
             "organisation or group"},
    {"name", "the UN short name, in English"},
    {"kind", "state, observer_state, organisation or group"},
    {"alpha2", "ISO 3166-1 alpha-2"},
    {"numeric", "ISO 3166-1 numeric"},
    {"un_group", "UN regional group: African, Asia-Pacific, Eastern "
                 "European, GRULAC, WEOG"},
    {"admitted", "date of admission to the United Nations"},
    {"description", "what an organisation or group is"},
    PROVENANCE_COLS,
    END_COLS,
};
static const struct column membership_cols[] = {
    {"organisation", "the organisation's or group's code"},
    {"member", "the member's code"},
    {"role", "member, observer or partner"},
    {"since", "date it joined, when known"},
    {"until", "date it left, for a former member"},
    PROVENANCE_COLS,
    END_COLS,
};
static const struct column norm_cols[] = {
    {"id", "the norm's id"},
    {"code", "its letter in A/70/174, paragraph 13"},
    {"title", "a short title"},
    {"text", "the norm, paraphrased (not the UN's words)"},
    PROVENANCE_COLS,
    END_COLS,
};
static const struct column forum_cols[] = {
    {"id", "the forum's id"},
    {"name", "its name"},
    {"short_name", "its usual short name"},
    {"kind", "bilateral, plurilateral, regional, expert_group, open_ended "
             "or plenary"},
    {"parent", "the forum it belongs to (a GGE to the General Assembly)"},
    {"mandate", "what it was established to do"},
    {"established_by", "the symbol of the resolution that established it"},
    {"membership_rule", "who may take part"},
    {"decision_rule", "how it decides"},
    {"start", "when it started"},
    {"end", "when it ended"},
    PROVENANCE_COLS,
    END_COLS,
};
static const struct column forum_member_cols[] = {
    {"forum", "the forum's id"},
    {"party", "the party's code"},
    {"role", "member, chair, observer ..."},
    END_COLS,
};
static const struct column instrument_cols[] = {
    {"id", "the instrument's id"},
    {"symbol", "its UN (or EU, OSCE) document symbol"},
    {"title", "its title"},
    {"kind", "resolution, report, decision, outcome, joint_statement, "
             "agreement, convention, toolbox or sanctions_regime"},
    {"date", "the date it was adopted (or the round ended)"},
    {"forum", "the forum's id"},
    {"binding", "true for a legally binding instrument"},
    {"outcome", "adopted, failed, ..."},
    {"outcome_reason", "why a round failed"},
    {"adoption", "consensus, recorded_vote, without_vote, signature ..."},
    {"vote_totals.yes", "the official totals of a recorded vote"},
    {"vote_totals.no", ""},
    {"vote_totals.abstain", ""},
    {"summary", "what it says, in the project's words"},
    PROVENANCE_COLS,
    END_COLS,
};
static const struct column instrument_norm_cols[] = {
    {"instrument", "the instrument's id"},
    {"norm", "the norm's id"},
    {"relation", "establishes, affirms, ..."},
    END_COLS,
};
static const struct column commitment_cols[] = {
    {"instrument", "the instrument's id"},
    {"id", "the commitment's id within it"},
    {"position", "its place in the instrument, from 0"},
    {"text", "the commitment"},
    END_COLS,
};
static const struct column vote_cols[] = {
    {"instrument", "the instrument's id"},
    {"symbol", "its symbol"},
    {"date", "the date of the vote"},
    {"code", "the State's code"},
    {"name", "its name"},
    {"vote", "yes, no, abstain, or absent: a member of the United Nations "
             "on that date (by its date of admission) that is not among "
             "the voters (absent or not voting: the data does not tell "
             "them apart)"},
    END_COLS,
};
static const struct column instrument_party_cols[] = {
    {"instrument", "the instrument's id"},
    {"party", "the party's code"},
    {"relation", "signatory, sponsor or party"},
    {"date", "when it signed, sponsored or joined"},
    {"sources", "a JSON list of {title, url, date}"},
    {"log_idx", "the log entry that recorded it"},
    END_COLS,
};

static const struct table tables[] = {
    {"parties", "States, observer States, organisations and groups",
     party_cols},
    {"memberships", "who is a member of which organisation or group",
     membership_cols},
    {"norms", "the eleven norms of responsible State behaviour of 2015",
     norm_cols},
    {"forums", "where States negotiate", forum_cols},
    {"forum_members", "the seats of each forum", forum_member_cols},
    {"instruments", "reports, resolutions, agreements and other outcomes",
     instrument_cols},
    {"instrument_norms",
     "which instrument establishes or affirms which "
     "norm",
     instrument_norm_cols},
    {"commitments", "the commitments an instrument lists", commitment_cols},
    {"votes", "every recorded vote, one row per member State", vote_cols},
    {"instrument_parties",
     "signatories, sponsors and parties of "
     "instruments",
     instrument_party_cols},
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

static const char licences[] =
    "## Sources and licences\n"
    "\n"
    "Every row of the tables that have a `sources` column cites the public "
    "pages its facts come from.\n"
    "\n"
    "- **Votes**: the per-State votes of the UN General Assembly are "
    "from Erik Voeten et al., \"United Nations General Assembly Voting "
    "Data\", Harvard Dataverse, hdl:1902.1/12379, released under **CC0** "
    "(public domain dedication). The `absent` rows are derived from the "
    "dates of admission.\n"
    "- **States**: the UN Member States, observer States, admission dates "
    "and regional groups are public facts of the United Nations "
    "(un.org/en/about-us/member-states, un.org/dgacm/en/content/"
    "regional-groups). ISO 3166-1 codes are standard codes (as packaged "
    "by Debian's `iso-codes`, LGPL-2.1+).\n"
    "- **Norms**: paraphrased from A/70/174, paragraph 13, not quoted.\n"
    "- **Summaries, notes and translations** are Détente's own words; "
    "the facts they state are cited in `sources`.\n"
    "\n"
    "Only what is marked TLP:CLEAR is exported.\n";

/* The rows of one table, with the README's columns first. */
static int
table_file(struct store *st, const struct table *t, bool csv, char **data,
           size_t *len, struct app_error *e)
{
	const char *names[32];
	json_t *rows = NULL;
	size_t n = 0;

	if (store_record_export(st, t->name, &rows) != STORE_OK) {
		app_error_set(e, 503, "unavailable",
		              "the record's %s cannot be read", t->name);
		return -1;
	}
	for (const struct column *c = t->cols; c->name != NULL && n < 31; c++)
		names[n++] = c->name;
	names[n] = NULL;
	if (csv) {
		*data = csv_encode(rows, names, len);
	} else {
		json_t *doc =
		    json_pack("{s:s,s:O}", "table", t->name, "items", rows);

		*data = json_dumps(doc, JSON_INDENT(1) | JSON_ENSURE_ASCII);
		*len = *data ? strlen(*data) : 0;
		json_decref(doc);
	}
	json_decref(rows);
	if (*data == NULL) {
		app_error_set(e, 500, "internal", "the %s table is too large",
		              t->name);
		return -1;
	}
	return 0;
}

static int
readme(struct app *app, bool csv, uint64_t size, char **data, size_t *len)
{
	struct buf b;
	char when[TIME_RFC3339_LEN];
	int rc = 0;

	time_format_ms(time_now_ms(), when);
	buf_init(&b, 256 * 1024);
	rc |= buf_printf(
	    &b,
	    "# The record of cyber diplomacy, as open data\n"
	    "\n"
	    "Exported by Détente at %s from the log `%s` at size %llu. "
	    "`checkpoint.txt` is the log's signed checkpoint at that size or "
	    "later: check it with the log's key (GET /api/v1/log/key, "
	    "`detente audit`), and every row's `log_idx` against it with an "
	    "inclusion proof (GET /api/v1/log/proof/inclusion). Each file is "
	    "one table, as %s.\n"
	    "\n",
	    when, app_log_origin(app), (unsigned long long)size,
	    csv ? "CSV (RFC 4180, UTF-8, a header row, CRLF line ends; a list "
	          "of sources as JSON; text that starts like a spreadsheet "
	          "formula has a leading apostrophe)"
	        : "JSON (`{\"table\": ..., \"items\": [...]}`)");
	for (size_t i = 0; i < NTABLES; i++) {
		rc |= buf_printf(
		    &b, "## %s.%s: %s\n\n| column | what |\n|---|---|\n",
		    tables[i].name, csv ? "csv" : "json", tables[i].what);
		for (const struct column *c = tables[i].cols; c->name; c++)
			rc |=
			    buf_printf(&b, "| `%s` | %s |\n", c->name, c->what);
		rc |= buf_adds(&b, "\n");
	}
	rc |= buf_adds(&b, licences);
	if (rc != 0) {
		buf_free(&b);
		return -1;
	}
	*data = buf_take(&b, len);
	return 0;
}

int
app_export(struct app *app, const char *format, app_export_fn fn, void *ctx,
           struct app_error *e)
{
	struct app_reading public;
	struct store *st;
	bool csv = strcmp(format, "csv") == 0;
	uint64_t size = 0;
	char name[64], *data = NULL;
	size_t len = 0;
	int rc = 0;

	if (!csv && strcmp(format, "json") != 0) {
		app_error_set(e, 400, "validation",
		              "the export's format is csv or json");
		return -1;
	}
	/* the public's view, in one snapshot */
	app_reading_init(&public, NULL);
	if ((st = app_read_as(app, &public)) == NULL ||
	    store_read_begin(st) != STORE_OK) {
		app_error_set(e, 503, "unavailable",
		              "the record cannot be read");
		if (st != NULL)
			(void)app_read_as(app, NULL);
		return -1;
	}
	if (store_log_size(st, &size) != STORE_OK) {
		app_error_set(e, 503, "unavailable", "the log cannot be read");
		rc = -1;
	}
	for (size_t i = 0; rc == 0 && i < NTABLES; i++) {
		rc = table_file(st, &tables[i], csv, &data, &len, e);
		if (rc != 0)
			break;
		snprintf(name, sizeof(name), "%s.%s", tables[i].name, format);
		rc = fn(ctx, name, data, len);
		if (rc != 0)
			app_error_set(e, 500, "internal",
			              "%s cannot be written", name);
		free(data);
	}
	if (rc == 0) {
		char *note = NULL;
		uint64_t csize = 0;
		uint8_t root[32];

		/* the log's signed word for what the tables came from */
		if (app_checkpoint(app, &note, &csize, root, e) != 0)
			rc = -1;
		else
			rc = fn(ctx, "checkpoint.txt", note, strlen(note));
		free(note);
	}
	if (rc == 0 && readme(app, csv, size, &data, &len) == 0) {
		rc = fn(ctx, "README.md", data, len);
		if (rc != 0)
			app_error_set(e, 500, "internal",
			              "README.md cannot be written");
		free(data);
	}
	store_read_end(st);
	(void)app_read_as(app, NULL);
	return rc;
}
