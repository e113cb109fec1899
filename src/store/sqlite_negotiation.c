/*
 * Negotiation's tables: forums as negotiation sees them (the forum and its
 * seats are the record's tables, which a forum opened here shares, so that
 * it is a forum like any other), documents and their revisions,
 * amendments, decisions, each party's standing stance on a decision, the
 * explanations of vote, and a line per act for the pages' histories.
 *
 * The app names what it needs by query (enum store_neg_query in store.h);
 * the SQL is here.  Rows that carry a label are read through readable():
 * a document by its own label, a stance and a history line by the label
 * of the act that made it, which is how a sealed ballot stays unreadable
 * until the vote's close widens its entry.
 */
#include <stdarg.h>
#include <stdlib.h>

#include "store/sqlite_internal.h"

#define DOC_COLS                                                               \
	"id, forum, kind, title, symbol, summary, penholder, status,"          \
	" revision, answers, due, instrument, tlp, party, log_idx, time"
#define DEC_COLS                                                               \
	"d.id, d.document, d.revision, d.procedure, d.due, d.on_objection,"    \
	" d.amendment, d.separate AS separate_json, d.symbol,"                 \
	" d.norms AS norms_json, d.status, d.result AS result_json,"           \
	" d.closed_idx, d.party, d.time"
#define EVENT_COLS                                                             \
	"e.log_idx, e.forum, e.document, e.decision, e.act_type, e.party,"     \
	" e.username, e.time, e.summary"
/* The label of the act that made a row: its log entry's, now. */
#define BY_ITS_ACT(a) "readable((SELECT tlp FROM log WHERE idx = " a "), " a ")"

static const char *const sql[STORE_NEG__COUNT] = {
    [STORE_NEG_FORUM_PUT] =
        "INSERT INTO neg_forum (id, membership, decision_rule, quorum,"
        " practice, log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STORE_NEG_SEAT_SET] =
        "INSERT INTO forum_member (forum, party, role) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (forum, party) DO UPDATE SET role = excluded.role",
    [STORE_NEG_SEAT_DROP] =
        "DELETE FROM forum_member WHERE forum = ?1 AND party = ?2",
    [STORE_NEG_DOC_PUT] =
        "INSERT INTO neg_document (" DOC_COLS ") VALUES (?1, ?2, ?3, ?4,"
        " ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, ?12, ?13, ?14, ?15)",
    [STORE_NEG_DOC_STATUS] =
        "UPDATE neg_document SET status = ?2 WHERE id = ?1",
    [STORE_NEG_DOC_REVISION] =
        "UPDATE neg_document SET revision = ?2 WHERE id = ?1",
    [STORE_NEG_DOC_INSTRUMENT] =
        "UPDATE neg_document SET instrument = ?2, status = ?3 WHERE id = ?1",
    [STORE_NEG_REV_PUT] =
        "INSERT INTO neg_revision (document, n, paragraphs, note, party,"
        " log_idx, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [STORE_NEG_AMEND_PUT] =
        "INSERT INTO neg_amendment (id, document, revision, paragraph,"
        " action, text, new_id, explanation, party, status, time)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'proposed', ?10)",
    [STORE_NEG_AMEND_RESOLVE] =
        "UPDATE neg_amendment SET status = ?2, reason = ?3,"
        " resolved_idx = ?4, into_revision = ?5 WHERE id = ?1",
    [STORE_NEG_DEC_PUT] =
        "INSERT INTO neg_decision (id, document, revision, procedure, due,"
        " on_objection, amendment, separate, symbol, norms, status, party,"
        " time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'open',"
        " ?11, ?12)",
    [STORE_NEG_DEC_CLOSE] =
        "UPDATE neg_decision SET status = ?2, result = ?3, closed_idx = ?4"
        " WHERE id = ?1",
    [STORE_NEG_STANCE_PUT] =
        "INSERT INTO neg_stance (decision, party, kind, vote, paragraphs,"
        " text, log_idx, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        " ON CONFLICT (decision, party) DO UPDATE SET kind = excluded.kind,"
        " vote = excluded.vote, paragraphs = excluded.paragraphs,"
        " text = excluded.text, log_idx = excluded.log_idx,"
        " time = excluded.time",
    [STORE_NEG_STANCE_DROP] =
        "DELETE FROM neg_stance WHERE decision = ?1 AND party = ?2",
    [STORE_NEG_EXPLAIN_PUT] =
        "INSERT INTO neg_explanation (decision, party, timing, text,"
        " log_idx, time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [STORE_NEG_EVENT_PUT] =
        "INSERT INTO neg_event (log_idx, forum, document, decision,"
        " act_type, party, username, time, summary)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [STORE_NEG_UNSEAL] =
        "UPDATE log SET tlp = 'TLP:CLEAR' WHERE idx IN (SELECT log_idx"
        " FROM neg_event WHERE decision = ?1 AND act_type = 'vote.cast')",

    [STORE_NEG_FORUM_GET] =
        "SELECT f.id, f.name, f.short_name, f.kind, f.mandate, n.membership,"
        " n.decision_rule, n.quorum, n.practice AS practice_bool,"
        " (SELECT party FROM forum_member WHERE forum = f.id"
        "  AND role = 'chair') AS chair,"
        " (SELECT count(*) FROM forum_member WHERE forum = f.id"
        "  AND role IN ('chair', 'member')) AS voters, n.log_idx"
        " FROM neg_forum n JOIN forum f ON f.id = n.id WHERE n.id = ?1",
    [STORE_NEG_SEAT_GET] =
        "SELECT role FROM forum_member WHERE forum = ?1 AND party = ?2",
    [STORE_NEG_UN_MEMBER] = "SELECT code FROM party WHERE code = ?1"
                            " AND kind = 'state' AND admitted IS NOT NULL",
    [STORE_NEG_PARTY] = "SELECT code, name FROM party WHERE code = ?1",
    [STORE_NEG_SYMBOL] = "SELECT id FROM instrument WHERE symbol = ?1",
    [STORE_NEG_DOC_GET] = "SELECT " DOC_COLS " FROM neg_document WHERE id = ?1"
                          " AND readable(tlp, log_idx)",
    [STORE_NEG_REV_GET] =
        "SELECT document, n, paragraphs AS paragraphs_json, note, party,"
        " log_idx, time FROM neg_revision WHERE document = ?1 AND n = ?2",
    [STORE_NEG_AMEND_GET] = "SELECT * FROM neg_amendment WHERE id = ?1",
    [STORE_NEG_DEC_GET] =
        "SELECT " DEC_COLS " FROM neg_decision d WHERE d.id = ?1",
    [STORE_NEG_DEC_OPEN] =
        "SELECT id FROM neg_decision WHERE document = ?1 AND status = 'open'",
    [STORE_NEG_BALLOTS] =
        "SELECT party, vote, paragraphs AS paragraphs_json, log_idx"
        " FROM neg_stance WHERE decision = ?1 AND kind = 'vote'"
        " ORDER BY party",
    [STORE_NEG_STANCES] =
        "SELECT party, kind, text, paragraphs AS paragraphs_json, log_idx,"
        " time FROM neg_stance WHERE decision = ?1 AND kind <> 'vote'"
        " ORDER BY party",

    [STORE_NEG_FORUMS] =
        "SELECT f.id, f.name, f.short_name, f.kind, n.membership,"
        " n.decision_rule, n.quorum, n.practice AS practice_bool,"
        " (SELECT party FROM forum_member WHERE forum = f.id"
        "  AND role = 'chair') AS chair,"
        " (SELECT count(*) FROM forum_member WHERE forum = f.id) AS seats,"
        " (SELECT count(*) FROM neg_document d WHERE d.forum = f.id"
        "  AND readable(d.tlp, d.log_idx)) AS documents"
        " FROM neg_forum n JOIN forum f ON f.id = n.id"
        " ORDER BY n.practice, f.name",
    [STORE_NEG_SEATS] =
        "SELECT m.party, p.name, m.role FROM forum_member m"
        " JOIN party p ON p.code = m.party WHERE m.forum = ?1"
        " ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'member' THEN 1"
        " ELSE 2 END, p.name",
    [STORE_NEG_FORUM_DOCS] =
        "SELECT id, kind, title, symbol, penholder, status, revision,"
        " answers, due, instrument, tlp, party, log_idx, time"
        " FROM neg_document WHERE forum = ?1 AND readable(tlp, log_idx)"
        " ORDER BY log_idx DESC",
    [STORE_NEG_FORUM_DECS] =
        "SELECT " DEC_COLS " FROM neg_decision d JOIN neg_document doc"
        " ON doc.id = d.document WHERE doc.forum = ?1"
        " AND readable(doc.tlp, doc.log_idx) ORDER BY d.id DESC",
    [STORE_NEG_FORUM_EVENTS] =
        "SELECT " EVENT_COLS " FROM neg_event e WHERE e.forum = ?1"
        " AND " BY_ITS_ACT("e.log_idx") " ORDER BY e.log_idx DESC LIMIT 500",
    [STORE_NEG_REVS] = "SELECT n, note, party, log_idx, time FROM neg_revision"
                       " WHERE document = ?1 ORDER BY n",
    [STORE_NEG_AMENDS] =
        "SELECT id, revision, paragraph, action, text, new_id, explanation,"
        " party, status, reason, resolved_idx, into_revision, time"
        " FROM neg_amendment WHERE document = ?1 ORDER BY id",
    [STORE_NEG_DOC_DECS] =
        "SELECT " DEC_COLS " FROM neg_decision d WHERE d.document = ?1"
        " ORDER BY d.id DESC",
    [STORE_NEG_DOC_EVENTS] =
        "SELECT " EVENT_COLS " FROM neg_event e WHERE e.document = ?1"
        " AND " BY_ITS_ACT("e.log_idx") " ORDER BY e.log_idx DESC LIMIT 500",
    [STORE_NEG_SUBMISSIONS] =
        "SELECT id, title, party, tlp, log_idx, time FROM neg_document"
        " WHERE answers = ?1 AND readable(tlp, log_idx) ORDER BY log_idx",
    [STORE_NEG_DEC_STANCES] =
        "SELECT s.party, p.name, s.kind, s.vote,"
        " s.paragraphs AS paragraphs_json, s.text, s.log_idx, s.time"
        " FROM neg_stance s JOIN party p ON p.code = s.party"
        " WHERE s.decision = ?1 AND " BY_ITS_ACT(
            "s.log_idx") " ORDER BY p.name",
    [STORE_NEG_DEC_EXPLAINS] =
        "SELECT x.party, p.name, x.timing, x.text, x.log_idx, x.time"
        " FROM neg_explanation x JOIN party p ON p.code = x.party"
        " WHERE x.decision = ?1 ORDER BY x.log_idx",
    [STORE_NEG_DEC_EVENTS] =
        "SELECT " EVENT_COLS " FROM neg_event e WHERE e.decision = ?1"
        " AND " BY_ITS_ACT("e.log_idx") " ORDER BY e.log_idx DESC LIMIT 500",
    [STORE_NEG_DEC_SEATS] =
        "SELECT m.party, p.name FROM forum_member m"
        " JOIN party p ON p.code = m.party WHERE m.forum = ?1"
        " AND m.role IN ('chair', 'member') ORDER BY p.name",
};

static const struct sq_table tables[] = {
    {"neg_forum", "SELECT * FROM neg_forum ORDER BY id", 0},
    {"neg_document", "SELECT * FROM neg_document ORDER BY id", 0},
    {"neg_revision", "SELECT * FROM neg_revision ORDER BY document, n", 0},
    {"neg_amendment", "SELECT * FROM neg_amendment ORDER BY id", 0},
    {"neg_decision", "SELECT * FROM neg_decision ORDER BY id", 0},
    {"neg_stance", "SELECT * FROM neg_stance ORDER BY decision, party", 0},
    {"neg_explanation", "SELECT * FROM neg_explanation ORDER BY log_idx", 0},
    {"neg_event", "SELECT * FROM neg_event ORDER BY log_idx", 0},
};

static const char *const migrations[] = {
    "CREATE TABLE neg_forum ("
    "  id TEXT PRIMARY KEY REFERENCES forum(id),"
    "  membership TEXT NOT NULL, decision_rule TEXT NOT NULL,"
    "  quorum INTEGER NOT NULL, practice INTEGER NOT NULL,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE TABLE neg_document ("
    "  id TEXT PRIMARY KEY, forum TEXT NOT NULL REFERENCES neg_forum(id),"
    "  kind TEXT NOT NULL, title TEXT NOT NULL, symbol TEXT, summary TEXT,"
    "  penholder TEXT NOT NULL REFERENCES party(code),"
    "  status TEXT NOT NULL, revision INTEGER NOT NULL,"
    "  answers TEXT REFERENCES neg_document(id), due TEXT,"
    "  instrument TEXT, tlp TEXT NOT NULL, party TEXT,"
    "  log_idx INTEGER NOT NULL, time TEXT NOT NULL);"
    "CREATE INDEX neg_document_forum ON neg_document(forum);"
    "CREATE INDEX neg_document_answers ON neg_document(answers);"
    "CREATE TABLE neg_revision ("
    "  document TEXT NOT NULL REFERENCES neg_document(id),"
    "  n INTEGER NOT NULL, paragraphs TEXT NOT NULL, note TEXT, party TEXT,"
    "  log_idx INTEGER NOT NULL, time TEXT NOT NULL,"
    "  PRIMARY KEY (document, n));"
    "CREATE TABLE neg_amendment ("
    "  id INTEGER PRIMARY KEY,"
    "  document TEXT NOT NULL REFERENCES neg_document(id),"
    "  revision INTEGER NOT NULL, paragraph TEXT NOT NULL,"
    "  action TEXT NOT NULL, text TEXT, new_id TEXT,"
    "  explanation TEXT NOT NULL, party TEXT NOT NULL,"
    "  status TEXT NOT NULL, reason TEXT, resolved_idx INTEGER,"
    "  into_revision INTEGER, time TEXT NOT NULL);"
    "CREATE INDEX neg_amendment_document ON neg_amendment(document);"
    "CREATE TABLE neg_decision ("
    "  id INTEGER PRIMARY KEY,"
    "  document TEXT NOT NULL REFERENCES neg_document(id),"
    "  revision INTEGER NOT NULL, procedure TEXT NOT NULL,"
    "  due TEXT NOT NULL, on_objection TEXT, amendment INTEGER,"
    "  separate TEXT, symbol TEXT, norms TEXT, status TEXT NOT NULL,"
    "  result TEXT, closed_idx INTEGER, party TEXT, time TEXT NOT NULL);"
    "CREATE INDEX neg_decision_document ON neg_decision(document);"
    "CREATE TABLE neg_stance ("
    "  decision INTEGER NOT NULL REFERENCES neg_decision(id),"
    "  party TEXT NOT NULL REFERENCES party(code), kind TEXT NOT NULL,"
    "  vote TEXT, paragraphs TEXT, text TEXT, log_idx INTEGER NOT NULL,"
    "  time TEXT NOT NULL, PRIMARY KEY (decision, party));"
    "CREATE TABLE neg_explanation ("
    "  decision INTEGER NOT NULL REFERENCES neg_decision(id),"
    "  party TEXT NOT NULL REFERENCES party(code), timing TEXT NOT NULL,"
    "  text TEXT NOT NULL, log_idx INTEGER NOT NULL, time TEXT NOT NULL);"
    "CREATE INDEX neg_explanation_decision ON neg_explanation(decision);"
    "CREATE TABLE neg_event ("
    "  log_idx INTEGER PRIMARY KEY, forum TEXT NOT NULL, document TEXT,"
    "  decision INTEGER, act_type TEXT NOT NULL, party TEXT, username TEXT,"
    "  time TEXT NOT NULL, summary TEXT NOT NULL);"
    "CREATE INDEX neg_event_forum ON neg_event(forum);"
    "CREATE INDEX neg_event_document ON neg_event(document);"
    "CREATE INDEX neg_event_decision ON neg_event(decision);",
};

const struct sq_domain sq_domain_negotiation = {
    "negotiation",
    sql,
    STORE_NEG__COUNT,
    tables,
    sizeof(tables) / sizeof(tables[0]),
    migrations,
    sizeof(migrations) / sizeof(migrations[0])};

/* Binds the arguments fmt describes: 's' a string (NULL binds NULL), 'i'
 * an int64_t, 'n' an int64_t where 0 binds NULL, 'j' a json_t * (serialised;
 * NULL binds NULL). */
static sqlite3_stmt *
bound(struct store *st, enum store_neg_query q, const char *fmt, va_list ap)
{
	sqlite3_stmt *s = sq_stmt(st, &sq_domain_negotiation, q);

	for (int i = 1; s != NULL && *fmt; fmt++, i++) {
		switch (*fmt) {
		case 's':
			sq_bind_text(s, i, va_arg(ap, const char *));
			break;
		case 'i':
			sqlite3_bind_int64(s, i, va_arg(ap, int64_t));
			break;
		case 'n': {
			int64_t v = va_arg(ap, int64_t);

			if (v != 0)
				sqlite3_bind_int64(s, i, v);
			else
				sqlite3_bind_null(s, i);
			break;
		}
		case 'j': {
			const json_t *v = va_arg(ap, const json_t *);
			char *txt =
			    v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS)
			      : NULL;

			if (txt != NULL)
				sqlite3_bind_text(s, i, txt, -1, free);
			else
				sqlite3_bind_null(s, i);
			break;
		}
		}
	}
	return s;
}

enum store_err
store_neg_run(struct store *st, enum store_neg_query q, const char *fmt, ...)
{
	va_list ap;
	sqlite3_stmt *s;

	va_start(ap, fmt);
	s = bound(st, q, fmt, ap);
	va_end(ap);
	return s == NULL ? STORE_IO : sq_run(st, s);
}

/* Runs q for its one row (one) or all its rows. */
static enum store_err
query(struct store *st, json_t **out, bool one, enum store_neg_query q,
      const char *fmt, va_list ap)
{
	sqlite3_stmt *s = bound(st, q, fmt, ap);

	*out = NULL;
	if (s == NULL)
		return STORE_IO;
	return one ? sq_one_row(st, s, out) : sq_rows(st, s, out);
}

enum store_err
store_neg_row(struct store *st, json_t **out, enum store_neg_query q,
              const char *fmt, ...)
{
	va_list ap;
	enum store_err e;

	va_start(ap, fmt);
	e = query(st, out, true, q, fmt, ap);
	va_end(ap);
	return e;
}

enum store_err
store_neg_rows(struct store *st, json_t **out, enum store_neg_query q,
               const char *fmt, ...)
{
	va_list ap;
	enum store_err e;

	va_start(ap, fmt);
	e = query(st, out, false, q, fmt, ap);
	va_end(ap);
	return e;
}
