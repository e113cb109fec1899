/*
 * The historical record's tables: parties, memberships, norms, forums,
 * instruments, votes and signatures, and the search index over them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/jsonx.h"
#include "base/xmalloc.h"
#include "store/sqlite_internal.h"

enum record_stmt {
	S_SEARCH_ADD,
	S_PARTY_PUT,
	S_MEMBERSHIP_PUT,
	S_NORM_PUT,
	S_FORUM_PUT,
	S_FORUM_MEMBER_PUT,
	S_INSTRUMENT_PUT,
	S_INSTRUMENT_NORM_PUT,
	S_COMMITMENT_PUT,
	S_VOTE_PUT,
	S_INSTRUMENT_PARTY_PUT,
	S_PARTY_LIST,
	S_PARTY_GET,
	S_PARTY_MEMBERSHIPS,
	S_PARTY_MEMBERS,
	S_PARTY_VOTES,
	S_PARTY_INSTRUMENTS,
	S_PARTY_FORUMS,
	S_FORUM_LIST,
	S_FORUM_GET,
	S_FORUM_MEMBERS,
	S_FORUM_INSTRUMENTS,
	S_FORUM_CHILDREN,
	S_INSTRUMENT_LIST,
	S_INSTRUMENT_GET,
	S_INSTRUMENT_NORMS,
	S_INSTRUMENT_COMMITMENTS,
	S_INSTRUMENT_VOTE,
	S_INSTRUMENT_VOTERS,
	S_INSTRUMENT_PARTIES,
	S_NORM_LIST,
	S_NORM_GET,
	S_NORM_INSTRUMENTS,
	S_NORM_ENDORSERS,
	S_TIMELINE,
	S_SEARCH,
	S_CURSOR_PARTY,
	S_CURSOR_FORUM,
	S_CURSOR_INSTRUMENT,
	S_STATS,
	S_INSTRUMENT_LABEL,
	S_EXPORT_PARTIES,
	S_EXPORT_MEMBERSHIPS,
	S_EXPORT_NORMS,
	S_EXPORT_FORUMS,
	S_EXPORT_FORUM_MEMBERS,
	S_EXPORT_INSTRUMENTS,
	S_EXPORT_INSTRUMENT_NORMS,
	S_EXPORT_COMMITMENTS,
	S_EXPORT_VOTES,
	S_EXPORT_INSTRUMENT_PARTIES,
	S_TRANSLATION_EXISTS,
	S_TRANSLATION_PUT,
	S_TRANSLATIONS,
	S__COUNT
};

/* A state p that was a member of the UN on the date of vote v and is not
 * among its voters. */
#define MEMBER_ON_VOTE_DATE                                                    \
	"p.kind = 'state' AND p.admitted IS NOT NULL"                          \
	" AND p.admitted <= v.date AND NOT EXISTS (SELECT 1"                   \
	" FROM instrument_party x WHERE x.instrument = v.instrument"           \
	" AND x.party = p.code AND x.relation LIKE 'voted_%')"

static const char *const sql[S__COUNT] = {
    [S_SEARCH_ADD] = "INSERT INTO temp.search_pending (kind, ref, title,"
                     " body) VALUES (?1, ?2, ?3, ?4)",
    [S_PARTY_PUT] =
        "INSERT INTO party (code, name, kind, alpha2, numeric,"
        " un_group, admitted, description, sources, unconfirmed, note,"
        " log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
        " ?11, ?12)",
    [S_MEMBERSHIP_PUT] =
        "INSERT INTO membership (organisation, member, since, until,"
        " role, sources, unconfirmed, note, log_idx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_NORM_PUT] = "INSERT INTO norm (id, code, title, text, sources,"
                   " unconfirmed, note, log_idx)"
                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_FORUM_PUT] =
        "INSERT INTO forum (id, name, short_name, kind, parent,"
        " mandate, established_by, membership_rule, decision_rule,"
        " start, end, sources, unconfirmed, note, log_idx)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15)",
    [S_FORUM_MEMBER_PUT] = "INSERT INTO forum_member (forum, party, role)"
                           " VALUES (?1, ?2, ?3)",
    [S_INSTRUMENT_PUT] =
        "INSERT INTO instrument (id, symbol, title, kind, date, forum,"
        " binding, outcome, outcome_reason, adoption, vote_totals,"
        " summary, sources, unconfirmed, note, log_idx, tlp)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15, ?16, ?17)",
    [S_INSTRUMENT_NORM_PUT] = "INSERT INTO instrument_norm (instrument,"
                              " norm, relation) VALUES (?1, ?2, ?3)",
    [S_COMMITMENT_PUT] = "INSERT INTO commitment (instrument, id, text,"
                         " position) VALUES (?1, ?2, ?3, ?4)",
    [S_VOTE_PUT] = "INSERT INTO vote (instrument, date, sources, log_idx)"
                   " VALUES (?1, ?2, ?3, ?4)",
    [S_INSTRUMENT_PARTY_PUT] =
        "INSERT INTO instrument_party (instrument, party, relation,"
        " date, sources, log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_PARTY_LIST] = "SELECT code, name, kind, alpha2, numeric, un_group,"
                     " admitted,"
                     " unconfirmed AS unconfirmed_bool FROM party"
                     " WHERE (?1 IS NULL OR kind = ?1)"
                     " AND (?2 IS NULL OR un_group = ?2)"
                     " AND (?3 IS NULL OR (name, code) >"
                     "  (SELECT name, code FROM party WHERE code = ?3))"
                     /* the text in the name in English or Indonesian
                      * (ASCII letters in any case), or the code */
                     " AND (?5 IS NULL OR code = upper(?5)"
                     "  OR instr(lower(name), lower(?5)) > 0"
                     "  OR EXISTS (SELECT 1 FROM translation t"
                     "  WHERE t.kind = 'party' AND t.ref = party.code"
                     "  AND t.field = 'name'"
                     "  AND instr(lower(t.text), lower(?5)) > 0))"
                     " AND (?6 IS NULL OR EXISTS (SELECT 1 FROM membership m"
                     "  WHERE m.member = party.code AND m.organisation = ?6"
                     "  AND m.until IS NULL))"
                     " ORDER BY name, code LIMIT ?4",
    [S_PARTY_GET] = "SELECT code, name, kind, alpha2, numeric, un_group,"
                    " admitted, description, sources AS sources_json,"
                    " unconfirmed AS unconfirmed_bool, note, log_idx"
                    " FROM party WHERE code = ?1",
    [S_PARTY_MEMBERSHIPS] =
        "SELECT m.organisation AS code, p.name, p.kind, m.role,"
        " m.since, m.until, m.sources AS sources_json,"
        " m.unconfirmed AS unconfirmed_bool, m.note"
        " FROM membership m JOIN party p ON p.code = m.organisation"
        " WHERE m.member = ?1 ORDER BY p.kind DESC, p.name",
    [S_PARTY_MEMBERS] =
        "SELECT m.member AS code, p.name, m.role, m.since, m.until,"
        " m.unconfirmed AS unconfirmed_bool"
        " FROM membership m JOIN party p ON p.code = m.member"
        " WHERE m.organisation = ?1 ORDER BY p.name",
    [S_PARTY_VOTES] =
        "SELECT i.id AS instrument, i.symbol, i.title, v.date,"
        " substr(ip.relation, 7) AS vote"
        " FROM instrument_party ip JOIN instrument i"
        " ON i.id = ip.instrument JOIN vote v ON v.instrument = i.id"
        " WHERE ip.party = ?1 AND ip.relation LIKE 'voted_%'"
        " AND readable(i.tlp, i.log_idx)"
        " UNION ALL"
        " SELECT i.id, i.symbol, i.title, v.date, 'absent'"
        " FROM party p JOIN vote v JOIN instrument i ON i.id = v.instrument"
        " WHERE p.code = ?1 AND " MEMBER_ON_VOTE_DATE
        " AND readable(i.tlp, i.log_idx) ORDER BY 4, 1",
    [S_PARTY_INSTRUMENTS] =
        "SELECT i.id, i.symbol, i.title, i.kind, ip.relation,"
        " COALESCE(ip.date, i.date) AS date"
        " FROM instrument_party ip JOIN instrument i"
        " ON i.id = ip.instrument WHERE ip.party = ?1"
        " AND ip.relation NOT LIKE 'voted_%'"
        " AND readable(i.tlp, i.log_idx) ORDER BY date, i.id",
    [S_PARTY_FORUMS] = "SELECT f.id, f.name, f.kind, fm.role, f.start, f.end"
                       " FROM forum_member fm JOIN forum f ON f.id = fm.forum"
                       " WHERE fm.party = ?1 ORDER BY f.start, f.id",
    [S_FORUM_LIST] =
        "SELECT id, name, short_name, kind, parent, start, end,"
        " decision_rule, (SELECT count(*) FROM forum_member fm"
        " WHERE fm.forum = f.id) AS member_count,"
        " unconfirmed AS unconfirmed_bool FROM forum f"
        " WHERE (?1 IS NULL OR kind = ?1)"
        " AND (?3 IS NULL OR (COALESCE(start, ''), id) >"
        "  (SELECT COALESCE(start, ''), id FROM forum WHERE id = ?3))"
        " ORDER BY COALESCE(start, ''), id LIMIT ?4",
    [S_FORUM_GET] =
        "SELECT f.id, f.name, f.short_name, f.kind, f.parent,"
        " p.name AS parent_name, f.mandate, f.established_by,"
        " (SELECT id FROM instrument WHERE symbol = f.established_by"
        "  AND readable(tlp, log_idx)) AS established_by_id,"
        " f.membership_rule, f.decision_rule, f.start, f.end,"
        " f.sources AS sources_json, f.unconfirmed AS unconfirmed_bool,"
        " f.note, f.log_idx FROM forum f"
        " LEFT JOIN forum p ON p.id = f.parent WHERE f.id = ?1",
    [S_FORUM_MEMBERS] =
        "SELECT fm.party AS code, p.name, fm.role FROM forum_member fm"
        " JOIN party p ON p.code = fm.party WHERE fm.forum = ?1"
        " ORDER BY fm.role = 'chair' DESC, p.name",
    [S_FORUM_INSTRUMENTS] =
        "SELECT id, symbol, title, kind, date, outcome, tlp FROM instrument"
        " WHERE forum = ?1 AND readable(tlp, log_idx) ORDER BY date, id",
    [S_FORUM_CHILDREN] = "SELECT id, name, kind, start, end FROM forum"
                         " WHERE parent = ?1 ORDER BY start, id",
    [S_INSTRUMENT_LIST] =
        "SELECT id, symbol, title, kind, date, forum, (SELECT name FROM"
        " forum WHERE forum.id = instrument.forum) AS forum_name,"
        " binding AS"
        " binding_bool, outcome, adoption, vote_totals AS"
        " vote_totals_json, unconfirmed AS unconfirmed_bool, tlp"
        " FROM instrument"
        " WHERE (?1 IS NULL OR kind = ?1) AND (?2 IS NULL OR forum = ?2)"
        " AND (?3 IS NULL OR (date, id) >"
        "  (SELECT date, id FROM instrument WHERE id = ?3))"
        " AND readable(tlp, log_idx)"
        " ORDER BY date, id LIMIT ?4",
    [S_INSTRUMENT_GET] =
        "SELECT i.id, i.symbol, i.title, i.kind, i.date, i.forum,"
        " f.name AS forum_name, i.binding AS binding_bool, i.outcome,"
        " i.outcome_reason, i.adoption, i.vote_totals AS"
        " vote_totals_json, i.summary, i.sources AS sources_json,"
        " i.unconfirmed AS unconfirmed_bool, i.note, i.log_idx, i.tlp"
        " FROM instrument i LEFT JOIN forum f ON f.id = i.forum"
        " WHERE (i.id = ?1 OR i.symbol = ?1 COLLATE NOCASE)"
        " AND readable(i.tlp, i.log_idx)",
    [S_INSTRUMENT_NORMS] =
        "SELECT n.id, n.code, n.title, inr.relation"
        " FROM instrument_norm inr JOIN norm n ON n.id = inr.norm"
        " WHERE inr.instrument = ?1 ORDER BY n.code",
    [S_INSTRUMENT_COMMITMENTS] = "SELECT id, text FROM commitment"
                                 " WHERE instrument = ?1 ORDER BY position",
    [S_INSTRUMENT_VOTE] = "SELECT date, sources AS sources_json, log_idx"
                          " FROM vote WHERE instrument = ?1",
    /* who voted, and the members on the vote's date who did not (absent
     * or not voting: the data does not tell them apart) */
    [S_INSTRUMENT_VOTERS] =
        "SELECT substr(ip.relation, 7) AS vote, ip.party AS code,"
        " p.name FROM instrument_party ip JOIN party p"
        " ON p.code = ip.party WHERE ip.instrument = ?1"
        " AND ip.relation LIKE 'voted_%'"
        " UNION ALL"
        " SELECT 'absent', p.code, p.name FROM party p JOIN vote v"
        " ON v.instrument = ?1 WHERE " MEMBER_ON_VOTE_DATE " ORDER BY name",
    [S_INSTRUMENT_PARTIES] =
        "SELECT ip.party AS code, p.name, ip.relation, ip.date,"
        " ip.sources AS sources_json, ip.log_idx"
        " FROM instrument_party ip JOIN party p ON p.code = ip.party"
        " WHERE ip.instrument = ?1 AND ip.relation NOT LIKE 'voted_%'"
        " ORDER BY ip.relation, p.name",
    [S_NORM_LIST] = "SELECT id, code, title, text,"
                    " unconfirmed AS unconfirmed_bool FROM norm"
                    " WHERE (?3 IS NULL OR id > ?3) ORDER BY id LIMIT ?4",
    [S_NORM_GET] = "SELECT id, code, title, text, sources AS sources_json,"
                   " unconfirmed AS unconfirmed_bool, note, log_idx"
                   " FROM norm WHERE id = ?1",
    [S_NORM_INSTRUMENTS] =
        "SELECT i.id, i.symbol, i.title, i.kind, i.date, inr.relation"
        " FROM instrument_norm inr JOIN instrument i"
        " ON i.id = inr.instrument WHERE inr.norm = ?1"
        " AND readable(i.tlp, i.log_idx) ORDER BY i.date, i.id",
    [S_NORM_ENDORSERS] =
        "SELECT DISTINCT ip.party AS code, p.name"
        " FROM instrument_norm inr JOIN instrument_party ip"
        " ON ip.instrument = inr.instrument JOIN party p"
        " ON p.code = ip.party JOIN instrument i ON i.id = inr.instrument"
        " WHERE inr.norm = ?1 AND ip.relation IN"
        " ('voted_yes', 'signatory', 'sponsor', 'party')"
        " AND readable(i.tlp, i.log_idx)"
        " ORDER BY p.name",
    [S_TIMELINE] =
        "WITH t AS ("
        " SELECT date, 'instrument' AS kind, id AS ref, title, summary,"
        "  outcome, symbol, date || '|i|' || id AS key FROM instrument"
        "  WHERE readable(tlp, log_idx)"
        " UNION ALL"
        " SELECT start, 'forum', id, name, mandate, NULL, short_name,"
        "  start || '|f|' || id FROM forum WHERE start IS NOT NULL)"
        " SELECT date, kind, ref, title, summary, outcome, symbol, key"
        " FROM t WHERE (?3 IS NULL OR key < ?3)"
        " ORDER BY key DESC LIMIT ?4",
    /* a record found in both languages is one hit, by its best row; a
     * title match comes first */
    [S_SEARCH] = "WITH hit AS MATERIALIZED ("
                 " SELECT kind, ref AS id, title,"
                 " snippet(search, 3, '[', ']', ' … ', 16) AS snippet,"
                 " rank - (title LIKE ?2) * 1e9 AS score"
                 " FROM search WHERE search MATCH ?1"
                 " AND (kind <> 'instrument' OR (SELECT readable(i.tlp,"
                 " i.log_idx) FROM instrument i WHERE i.id = ref)))"
                 " SELECT kind, id, title, snippet FROM hit"
                 " GROUP BY kind, id HAVING score = min(score)"
                 " ORDER BY score LIMIT ?3",
    [S_CURSOR_PARTY] = "SELECT 1 FROM party WHERE code = ?1",
    [S_CURSOR_FORUM] = "SELECT 1 FROM forum WHERE id = ?1",
    [S_CURSOR_INSTRUMENT] = "SELECT 1 FROM instrument WHERE id = ?1"
                            " AND readable(tlp, log_idx)",
    [S_INSTRUMENT_LABEL] = "SELECT tlp FROM instrument"
                           " WHERE id = ?1 AND readable(tlp, log_idx)",
    /* the whole record, table by table, for the open-data export: what
     * the reader may see, in a fixed order */
    [S_EXPORT_PARTIES] =
        "SELECT code, name, kind, alpha2, numeric, un_group, admitted,"
        " description, unconfirmed AS unconfirmed_bool, note,"
        " sources AS sources_json, log_idx FROM party ORDER BY code",
    [S_EXPORT_MEMBERSHIPS] =
        "SELECT organisation, member, role, since, until,"
        " unconfirmed AS unconfirmed_bool, note, sources AS sources_json,"
        " log_idx FROM membership ORDER BY organisation, member",
    [S_EXPORT_NORMS] = "SELECT id, code, title, text,"
                       " unconfirmed AS unconfirmed_bool, note,"
                       " sources AS sources_json, log_idx FROM norm"
                       " ORDER BY id",
    [S_EXPORT_FORUMS] =
        "SELECT id, name, short_name, kind, parent, mandate,"
        " established_by, membership_rule, decision_rule, start, end,"
        " unconfirmed AS unconfirmed_bool, note, sources AS sources_json,"
        " log_idx FROM forum ORDER BY id",
    [S_EXPORT_FORUM_MEMBERS] = "SELECT forum, party, role FROM forum_member"
                               " ORDER BY forum, party",
    [S_EXPORT_INSTRUMENTS] =
        "SELECT id, symbol, title, kind, date, forum,"
        " binding AS binding_bool, outcome, outcome_reason, adoption,"
        " vote_totals AS vote_totals_json, summary,"
        " unconfirmed AS unconfirmed_bool, note, sources AS sources_json,"
        " log_idx FROM instrument WHERE readable(tlp, log_idx)"
        " ORDER BY date, id",
    [S_EXPORT_INSTRUMENT_NORMS] =
        "SELECT inr.instrument, inr.norm, inr.relation"
        " FROM instrument_norm inr JOIN instrument i"
        " ON i.id = inr.instrument WHERE readable(i.tlp, i.log_idx)"
        " ORDER BY inr.instrument, inr.norm",
    [S_EXPORT_COMMITMENTS] =
        "SELECT c.instrument, c.id, c.position, c.text FROM commitment c"
        " JOIN instrument i ON i.id = c.instrument"
        " WHERE readable(i.tlp, i.log_idx) ORDER BY c.instrument, c.position",
    [S_EXPORT_VOTES] =
        "SELECT v.instrument, i.symbol, v.date, p.code, p.name,"
        " substr(ip.relation, 7) AS vote FROM vote v"
        " JOIN instrument i ON i.id = v.instrument"
        " JOIN instrument_party ip ON ip.instrument = v.instrument"
        " AND ip.relation LIKE 'voted_%' JOIN party p ON p.code = ip.party"
        " WHERE readable(i.tlp, i.log_idx)"
        " UNION ALL"
        " SELECT v.instrument, i.symbol, v.date, p.code, p.name, 'absent'"
        " FROM vote v JOIN instrument i ON i.id = v.instrument JOIN party p"
        " WHERE " MEMBER_ON_VOTE_DATE " AND readable(i.tlp, i.log_idx)"
        " ORDER BY 3, 1, 5",
    [S_TRANSLATION_EXISTS] =
        "SELECT CASE ?1"
        " WHEN 'party' THEN (SELECT 1 FROM party WHERE code = ?2)"
        " WHEN 'norm' THEN (SELECT 1 FROM norm WHERE id = ?2)"
        " WHEN 'forum' THEN (SELECT 1 FROM forum WHERE id = ?2)"
        " WHEN 'instrument' THEN (SELECT 1 FROM instrument WHERE id = ?2"
        "  AND readable(tlp, log_idx)) END",
    [S_TRANSLATION_PUT] =
        "INSERT OR REPLACE INTO translation (kind, ref, lang, field, text,"
        " unofficial, log_idx) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    /* a language's texts, as {kind: {ref: {field: text}}}, less those of
     * instruments the reader may not see */
    [S_TRANSLATIONS] = "SELECT t.kind, t.ref, t.field, t.text, t.unofficial"
                       " FROM translation t LEFT JOIN instrument i"
                       " ON t.kind = 'instrument' AND i.id = t.ref"
                       " WHERE t.lang = ?1 AND (t.kind <> 'instrument'"
                       " OR readable(i.tlp, i.log_idx))"
                       " ORDER BY t.kind, t.ref, t.field",
    [S_EXPORT_INSTRUMENT_PARTIES] =
        "SELECT ip.instrument, ip.party, ip.relation, ip.date,"
        " ip.sources AS sources_json, ip.log_idx FROM instrument_party ip"
        " JOIN instrument i ON i.id = ip.instrument"
        " WHERE ip.relation NOT LIKE 'voted_%'"
        " AND readable(i.tlp, i.log_idx)"
        " ORDER BY ip.instrument, ip.relation, ip.party",
    [S_STATS] = "SELECT (SELECT count(*) FROM party WHERE kind IN"
                " ('state', 'observer_state')) AS states,"
                " (SELECT count(*) FROM party WHERE kind IN"
                " ('organisation', 'group')) AS organisations,"
                " (SELECT count(*) FROM forum) AS forums,"
                " (SELECT count(*) FROM instrument"
                "  WHERE readable(tlp, log_idx)) AS instruments,"
                " (SELECT count(*) FROM norm) AS norms,"
                " (SELECT count(*) FROM vote) AS recorded_votes,"
                " (SELECT COALESCE(MAX(idx) + 1, 0) FROM log) AS log_size",
};

static sqlite3_stmt *
stmt(struct store *st, enum record_stmt s)
{
	return sq_stmt(st, &sq_domain_record, s);
}

/* --- appliers ------------------------------------------------------------- */

static enum store_err
index_text(struct store *st, const char *kind, const char *ref,
           const char *title, const char *body)
{
	sqlite3_stmt *s = stmt(st, S_SEARCH_ADD);
	enum store_err e;

	sq_bind_text(s, 1, kind);
	sq_bind_text(s, 2, ref);
	sq_bind_text(s, 3, title);
	sq_bind_text(s, 4, body ? body : "");
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	if (!sqlite3_get_autocommit(st->db))
		return STORE_OK; /* moved into the index at commit */
	return sq_flush_search(st);
}

/* Binds the provenance members shared by every record at slots i, i+1, i+2
 * (sources, unconfirmed, note). */
static void
bind_provenance(sqlite3_stmt *s, int i, const json_t *b)
{
	sq_bind_json(s, i, b, "sources");
	sq_bind_bool(s, i + 1, b, "unconfirmed");
	sq_bind_member(s, i + 2, b, "note");
}

enum store_err
store_party_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_PARTY_PUT);
	enum store_err e;
	char *body;

	sq_bind_member(s, 1, b, "code");
	sq_bind_member(s, 2, b, "name");
	sq_bind_member(s, 3, b, "kind");
	sq_bind_member(s, 4, b, "alpha2");
	sq_bind_member(s, 5, b, "numeric");
	sq_bind_member(s, 6, b, "un_group");
	sq_bind_member(s, 7, b, "admitted");
	sq_bind_member(s, 8, b, "description");
	bind_provenance(s, 9, b);
	sqlite3_bind_int64(s, 12, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	body = xasprintf(
	    "%s %s %s", jsonx_str(b, "code"),
	    jsonx_str(b, "alpha2") ? jsonx_str(b, "alpha2") : "",
	    jsonx_str(b, "description") ? jsonx_str(b, "description") : "");
	e = index_text(st, "party", jsonx_str(b, "code"), jsonx_str(b, "name"),
	               body);
	free(body);
	return e;
}

enum store_err
store_membership_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_MEMBERSHIP_PUT);

	sq_bind_member(s, 1, b, "organisation");
	sq_bind_member(s, 2, b, "member");
	sq_bind_member(s, 3, b, "since");
	sq_bind_member(s, 4, b, "until");
	sq_bind_member(s, 5, b, "role");
	bind_provenance(s, 6, b);
	sqlite3_bind_int64(s, 9, idx);
	return sq_run(st, s);
}

enum store_err
store_norm_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_NORM_PUT);
	enum store_err e;
	char *title;

	sq_bind_member(s, 1, b, "id");
	sq_bind_member(s, 2, b, "code");
	sq_bind_member(s, 3, b, "title");
	sq_bind_member(s, 4, b, "text");
	bind_provenance(s, 5, b);
	sqlite3_bind_int64(s, 8, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	title = xasprintf("Norm (%s): %s", jsonx_str(b, "code"),
	                  jsonx_str(b, "title"));
	e = index_text(st, "norm", jsonx_str(b, "id"), title,
	               jsonx_str(b, "text"));
	free(title);
	return e;
}

enum store_err
store_forum_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_FORUM_PUT);
	const char *id = jsonx_str(b, "id");
	json_t *members = json_object_get(b, "members");
	json_t *m;
	size_t i;
	enum store_err e;
	char *body;

	sq_bind_member(s, 1, b, "id");
	sq_bind_member(s, 2, b, "name");
	sq_bind_member(s, 3, b, "short_name");
	sq_bind_member(s, 4, b, "kind");
	sq_bind_member(s, 5, b, "parent");
	sq_bind_member(s, 6, b, "mandate");
	sq_bind_member(s, 7, b, "established_by");
	sq_bind_member(s, 8, b, "membership_rule");
	sq_bind_member(s, 9, b, "decision_rule");
	sq_bind_member(s, 10, b, "start");
	sq_bind_member(s, 11, b, "end");
	bind_provenance(s, 12, b);
	sqlite3_bind_int64(s, 15, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	json_array_foreach(members, i, m)
	{
		s = stmt(st, S_FORUM_MEMBER_PUT);
		sq_bind_text(s, 1, id);
		sq_bind_member(s, 2, m, "party");
		sq_bind_member(s, 3, m, "role");
		if ((e = sq_run(st, s)) != STORE_OK)
			return e;
	}
	body = xasprintf(
	    "%s %s %s",
	    jsonx_str(b, "short_name") ? jsonx_str(b, "short_name") : "",
	    jsonx_str(b, "mandate"),
	    jsonx_str(b, "established_by") ? jsonx_str(b, "established_by")
	                                   : "");
	e = index_text(st, "forum", id, jsonx_str(b, "name"), body);
	free(body);
	return e;
}

enum store_err
store_instrument_put(struct store *st, const json_t *b, const char *tlp,
                     int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_INSTRUMENT_PUT);
	const char *id = jsonx_str(b, "id");
	json_t *v;
	size_t i;
	enum store_err e;
	char *title;
	struct buf body, tail;
	bool full;

	sq_bind_member(s, 1, b, "id");
	sq_bind_member(s, 2, b, "symbol");
	sq_bind_member(s, 3, b, "title");
	sq_bind_member(s, 4, b, "kind");
	sq_bind_member(s, 5, b, "date");
	sq_bind_member(s, 6, b, "forum");
	sq_bind_bool(s, 7, b, "binding");
	sq_bind_member(s, 8, b, "outcome");
	sq_bind_member(s, 9, b, "outcome_reason");
	sq_bind_member(s, 10, b, "adoption");
	sq_bind_json(s, 11, b, "vote_totals");
	sq_bind_member(s, 12, b, "summary");
	bind_provenance(s, 13, b);
	sqlite3_bind_int64(s, 16, idx);
	sq_bind_text(s, 17, tlp);
	if ((e = sq_run(st, s)) != STORE_OK)
		return e;
	json_array_foreach(json_object_get(b, "norms"), i, v)
	{
		s = stmt(st, S_INSTRUMENT_NORM_PUT);
		sq_bind_text(s, 1, id);
		sq_bind_member(s, 2, v, "norm");
		sq_bind_member(s, 3, v, "relation");
		if ((e = sq_run(st, s)) != STORE_OK)
			return e;
	}
	/* The search text: the commitments, then the summary and the
	 * reason.  The text is capped; the summary and the reason always
	 * have room (8 KB at most by the schema, in UTF-8 up to 24 KB), and
	 * the commitments take what is left: past it they are left out of
	 * the search text, and every commitment is still stored. */
	buf_init(&tail, 32 * 1024);
	if (buf_printf(&tail, " %s %s", jsonx_str(b, "summary"),
	               jsonx_str(b, "outcome_reason")
	                   ? jsonx_str(b, "outcome_reason")
	                   : "") != 0)
		buf_reset(&tail); /* cannot happen within the schema's caps */
	buf_init(&body, 64 * 1024);
	full = false;
	json_array_foreach(json_object_get(b, "commitments"), i, v)
	{
		s = stmt(st, S_COMMITMENT_PUT);
		sq_bind_text(s, 1, id);
		sq_bind_member(s, 2, v, "id");
		sq_bind_member(s, 3, v, "text");
		sqlite3_bind_int64(s, 4, (sqlite3_int64)i);
		if ((e = sq_run(st, s)) != STORE_OK) {
			buf_free(&body);
			buf_free(&tail);
			return e;
		}
		full = full ||
		       body.len + 1 + strlen(jsonx_str(v, "text")) + tail.len >
		           body.cap ||
		       buf_printf(&body, " %s", jsonx_str(v, "text")) != 0;
	}
	if (buf_add(&body, tail.data ? tail.data : "", tail.len) != 0)
		abort(); /* the room was kept for it */
	buf_free(&tail);
	title = xasprintf(
	    "%s%s%s", jsonx_str(b, "symbol") ? jsonx_str(b, "symbol") : "",
	    jsonx_str(b, "symbol") ? " " : "", jsonx_str(b, "title"));
	e = index_text(st, "instrument", id, title, body.data);
	free(title);
	buf_free(&body);
	return e;
}

static enum store_err
put_relations(struct store *st, const char *instrument, const json_t *list,
              const char *relation, const char *date, const char *sources,
              int64_t idx)
{
	json_t *v;
	size_t i;
	enum store_err e;

	json_array_foreach(list, i, v)
	{
		sqlite3_stmt *s = stmt(st, S_INSTRUMENT_PARTY_PUT);
		const char *party = json_is_string(v) ? json_string_value(v)
		                                      : jsonx_str(v, "party");

		sq_bind_text(s, 1, instrument);
		sq_bind_text(s, 2, party);
		sq_bind_text(s, 3,
		             relation ? relation : jsonx_str(v, "relation"));
		sq_bind_text(s, 4, relation ? date : jsonx_str(v, "date"));
		sq_bind_text(s, 5, sources);
		sqlite3_bind_int64(s, 6, idx);
		if ((e = sq_run(st, s)) != STORE_OK) {
			/* Keep SQLite's words first: the app tells an unknown
			 * reference from a duplicate by them. */
			char why[sizeof(st->err)];

			memcpy(why, st->err, sizeof(why));
			snprintf(st->err, sizeof(st->err), "%.60s (%s: %s)",
			         why, instrument, party ? party : "?");
			return e;
		}
	}
	return STORE_OK;
}

enum store_err
store_vote_put(struct store *st, const json_t *b, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_VOTE_PUT);
	const char *id = jsonx_str(b, "instrument");
	const char *date = jsonx_str(b, "date");
	char *sources = jsonx_dump(json_object_get(b, "sources"), NULL);
	enum store_err e;

	sq_bind_text(s, 1, id);
	sq_bind_text(s, 2, date);
	sq_bind_text(s, 3, sources);
	sqlite3_bind_int64(s, 4, idx);
	if ((e = sq_run(st, s)) != STORE_OK)
		goto out;
	if ((e = put_relations(st, id, json_object_get(b, "yes"), "voted_yes",
	                       date, sources, idx)) != STORE_OK ||
	    (e = put_relations(st, id, json_object_get(b, "no"), "voted_no",
	                       date, sources, idx)) != STORE_OK ||
	    (e = put_relations(st, id, json_object_get(b, "abstain"),
	                       "voted_abstain", date, sources, idx)) !=
	        STORE_OK)
		goto out;
out:
	free(sources);
	return e;
}

enum store_err
store_join_put(struct store *st, const json_t *b, int64_t idx)
{
	char *sources = jsonx_dump(json_object_get(b, "sources"), NULL);
	enum store_err e;

	e = put_relations(st, jsonx_str(b, "instrument"),
	                  json_object_get(b, "parties"), NULL, NULL, sources,
	                  idx);
	free(sources);
	return e;
}

/* --- reads ---------------------------------------------------------------- */

/*
 * Runs a keyset-paginated list: binds kind/group/forum (?1, ?2), the cursor
 * (?3) and limit+1 (?4), and returns {"items", "next"} with next = the key
 * member of the last item when more rows follow.
 */
static enum store_err
page(struct store *st, enum record_stmt which, const struct store_query *q,
     const char *filter2, const char *key, json_t **out)
{
	static const struct {
		enum record_stmt list, cursor;
	} cursors[] = {
	    {S_PARTY_LIST, S_CURSOR_PARTY},
	    {S_FORUM_LIST, S_CURSOR_FORUM},
	    {S_INSTRUMENT_LIST, S_CURSOR_INSTRUMENT},
	};

	/* Lists ordered by another column than their key need the cursor's
	 * row to exist; an unknown one is the caller's mistake, not the end
	 * of the list. */
	for (size_t i = 0; q->after != NULL && i < 3; i++) {
		if (cursors[i].list == which) {
			sqlite3_stmt *c = stmt(st, cursors[i].cursor);
			int rc;

			sq_bind_text(c, 1, q->after);
			rc = sqlite3_step(c);
			sqlite3_reset(c);
			if (rc == SQLITE_DONE)
				return STORE_NOTFOUND;
			if (rc != SQLITE_ROW)
				return sq_fail(st, rc);
		}
	}
	sqlite3_stmt *s = stmt(st, which);
	json_t *items = NULL;
	json_t *next = json_null();
	enum store_err e;
	int limit = q->limit < 1                ? 50
	            : q->limit > STORE_MAX_PAGE ? STORE_MAX_PAGE
	                                        : q->limit;

	sq_bind_text(s, 1, q->kind);
	sq_bind_text(s, 2, filter2);
	sq_bind_text(s, 3, q->after);
	sqlite3_bind_int(s, 4, limit + 1);
	if (which == S_PARTY_LIST) {
		sq_bind_text(s, 5, q->text);
		sq_bind_text(s, 6, q->member_of);
	}
	if ((e = sq_rows(st, s, &items)) != STORE_OK)
		return e;
	if (json_array_size(items) > (size_t)limit) {
		json_array_remove(items, (size_t)limit);
		next = json_incref(json_object_get(
		    json_array_get(items, (size_t)limit - 1), key));
	}
	*out = json_pack("{s:o,s:o}", "items", items, "next", next);
	return STORE_OK;
}

/* A list that a record's page carries, and the statement that reads it. */
struct list {
	const char *name;
	enum record_stmt which;
};

/* Adds the rows of a statement bound to one key as member name of obj. */
static enum store_err
attach(struct store *st, json_t *obj, const char *name, enum record_stmt which,
       const char *key)
{
	sqlite3_stmt *s = stmt(st, which);
	json_t *a = NULL;
	enum store_err e;

	sq_bind_text(s, 1, key);
	e = sq_rows(st, s, &a);
	if (e == STORE_OK)
		json_object_set_new(obj, name, a);
	return e;
}

/*
 * A record's page: the row of get for key, and each list bound to the
 * same key (the row's own "id" or "code" when key was a symbol).
 */
static enum store_err
detail(struct store *st, enum record_stmt get, const char *key,
       const struct list *lists, json_t **out)
{
	sqlite3_stmt *s;
	enum store_err e;
	json_t *row = NULL;

	/* One read transaction for the page: one snapshot, and one lock
	 * taken instead of one per statement. */
	if ((e = store_read_begin(st)) != STORE_OK)
		return e;
	s = stmt(st, get);
	sq_bind_text(s, 1, key);
	if ((e = sq_one_row(st, s, &row)) != STORE_OK)
		goto out;
	if (jsonx_str(row, "id") != NULL)
		key = jsonx_str(row, "id");
	else if (jsonx_str(row, "code") != NULL)
		key = jsonx_str(row, "code");
	for (; lists->name != NULL; lists++)
		if ((e = attach(st, row, lists->name, lists->which, key)) !=
		    STORE_OK) {
			json_decref(row);
			row = NULL;
			goto out;
		}
	*out = row;
out:
	store_read_end(st);
	return e;
}

enum store_err
store_party_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_PARTY_LIST, q, q->group, "code", out);
}

enum store_err
store_party_get(struct store *st, const char *code, json_t **out)
{
	static const struct list lists[] = {
	    {"memberships", S_PARTY_MEMBERSHIPS},
	    {"members", S_PARTY_MEMBERS},
	    {"votes", S_PARTY_VOTES},
	    {"instruments", S_PARTY_INSTRUMENTS},
	    {"forums", S_PARTY_FORUMS},
	    {NULL, 0},
	};

	return detail(st, S_PARTY_GET, code, lists, out);
}

enum store_err
store_forum_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_FORUM_LIST, q, NULL, "id", out);
}

enum store_err
store_forum_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"members", S_FORUM_MEMBERS},
	    {"instruments", S_FORUM_INSTRUMENTS},
	    {"children", S_FORUM_CHILDREN},
	    {NULL, 0},
	};

	return detail(st, S_FORUM_GET, id, lists, out);
}

enum store_err
store_instrument_list(struct store *st, const struct store_query *q,
                      json_t **out)
{
	return page(st, S_INSTRUMENT_LIST, q, q->forum, "id", out);
}

enum store_err
store_instrument_label(struct store *st, const char *id, char tlp[24])
{
	sqlite3_stmt *s = stmt(st, S_INSTRUMENT_LABEL);
	enum store_err e;
	const char *v;

	sq_bind_text(s, 1, id);
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	v = (const char *)sqlite3_column_text(s, 0);
	snprintf(tlp, 24, "%s", v ? v : "TLP:RED");
	sqlite3_reset(s);
	return STORE_OK;
}

enum store_err
store_instrument_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"norms", S_INSTRUMENT_NORMS},
	    {"commitments", S_INSTRUMENT_COMMITMENTS},
	    {"parties", S_INSTRUMENT_PARTIES},
	    {NULL, 0},
	};
	sqlite3_stmt *s;
	enum store_err e;
	json_t *in = NULL, *vote = NULL, *voters = NULL, *v;
	size_t i;

	if ((e = detail(st, S_INSTRUMENT_GET, id, lists, &in)) != STORE_OK)
		return e;
	s = stmt(st, S_INSTRUMENT_VOTE);
	sq_bind_text(s, 1, jsonx_str(in, "id"));
	e = sq_one_row(st, s, &vote);
	if (e == STORE_NOTFOUND) {
		json_object_set_new(in, "vote", json_null());
		*out = in;
		return STORE_OK;
	}
	if (e != STORE_OK)
		goto fail;
	s = stmt(st, S_INSTRUMENT_VOTERS);
	sq_bind_text(s, 1, jsonx_str(in, "id"));
	if ((e = sq_rows(st, s, &voters)) != STORE_OK) {
		json_decref(vote);
		goto fail;
	}
	json_object_set_new(vote, "yes", json_array());
	json_object_set_new(vote, "no", json_array());
	json_object_set_new(vote, "abstain", json_array());
	json_object_set_new(vote, "absent", json_array());
	json_array_foreach(voters, i, v)
	{
		json_t *list = json_object_get(vote, jsonx_str(v, "vote"));

		json_object_del(v, "vote");
		if (list != NULL)
			json_array_append(list, v);
	}
	json_decref(voters);
	json_object_set_new(in, "vote", vote);
	*out = in;
	return STORE_OK;
fail:
	json_decref(in);
	return e;
}

enum store_err
store_norm_list(struct store *st, const struct store_query *q, json_t **out)
{
	return page(st, S_NORM_LIST, q, NULL, "id", out);
}

enum store_err
store_norm_get(struct store *st, const char *id, json_t **out)
{
	static const struct list lists[] = {
	    {"instruments", S_NORM_INSTRUMENTS},
	    {"endorsed_by", S_NORM_ENDORSERS},
	    {NULL, 0},
	};

	return detail(st, S_NORM_GET, id, lists, out);
}

enum store_err
store_timeline(struct store *st, const struct store_query *q, json_t **out)
{
	enum store_err e = page(st, S_TIMELINE, q, NULL, "key", out);

	return e;
}

/*
 * Turns what a person types into an FTS5 query: every run of letters and
 * digits becomes a quoted term, the last one a prefix, all of them required.
 * "A/70/174" thus finds the symbol, and no FTS5 syntax reaches the engine.
 */
static char *
fts_query(const char *q)
{
	struct buf b;
	const char *p = q;
	int terms = 0;

	buf_init(&b, 4096);
	while (*p) {
		const char *start;

		while (*p &&
		       !((unsigned char)*p >= 0x80 ||
		         (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
		         (*p >= 'A' && *p <= 'Z')))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p &&
		       ((unsigned char)*p >= 0x80 || (*p >= '0' && *p <= '9') ||
		        (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		if (terms++ > 0 && buf_adds(&b, " ") != 0)
			break;
		if (buf_printf(&b, "\"%.*s\"", (int)(p - start), start) != 0)
			break;
	}
	if (terms == 0) {
		buf_free(&b);
		return NULL;
	}
	if (buf_adds(&b, "*") != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b, NULL);
}

enum store_err
store_search(struct store *st, const char *q, int limit, json_t **out)
{
	sqlite3_stmt *s;
	char *fq = fts_query(q);
	char *like;
	enum store_err e;
	json_t *items = NULL;

	if (fq == NULL) {
		*out = json_pack("{s:[]}", "items");
		return STORE_OK;
	}
	like = xasprintf("%%%s%%", q);
	s = stmt(st, S_SEARCH);
	sq_bind_text(s, 1, fq);
	sq_bind_text(s, 2, like);
	sqlite3_bind_int(s, 3, limit < 1 ? 20 : limit > 100 ? 100 : limit);
	e = sq_rows(st, s, &items);
	free(fq);
	free(like);
	if (e != STORE_OK)
		return e;
	*out = json_pack("{s:o}", "items", items);
	return STORE_OK;
}

enum store_err
store_stats(struct store *st, json_t **out)
{
	return sq_one_row(st, stmt(st, S_STATS), out);
}

static const struct sq_table tables[] = {
    {"party", "SELECT * FROM party ORDER BY code", 0},
    {"membership", "SELECT * FROM membership ORDER BY organisation, member", 0},
    {"norm", "SELECT * FROM norm ORDER BY id", 0},
    {"forum", "SELECT * FROM forum ORDER BY id", 0},
    {"forum_member", "SELECT * FROM forum_member ORDER BY forum, party", 0},
    {"instrument", "SELECT * FROM instrument ORDER BY id", 0},
    {"instrument_norm",
     "SELECT * FROM instrument_norm ORDER BY instrument, norm", 0},
    {"commitment", "SELECT * FROM commitment ORDER BY instrument, id", 0},
    {"vote", "SELECT * FROM vote ORDER BY instrument", 0},
    {"instrument_party",
     "SELECT * FROM instrument_party ORDER BY instrument, party, relation", 0},
    {"translation", "SELECT * FROM translation ORDER BY kind, ref, lang, field",
     0},
    {"search",
     "SELECT kind, ref, title, body FROM search"
     " ORDER BY kind, ref, title, body",
     SQ_FTS},
};

const struct sq_domain sq_domain_record = {
    "record", sql, S__COUNT, tables, sizeof(tables) / sizeof(tables[0]),
    NULL,     0};

enum store_err
store_record_export(struct store *st, const char *table, json_t **out)
{
	static const struct {
		const char *name;
		enum record_stmt s;
	} tables[] = {
	    {"parties", S_EXPORT_PARTIES},
	    {"memberships", S_EXPORT_MEMBERSHIPS},
	    {"norms", S_EXPORT_NORMS},
	    {"forums", S_EXPORT_FORUMS},
	    {"forum_members", S_EXPORT_FORUM_MEMBERS},
	    {"instruments", S_EXPORT_INSTRUMENTS},
	    {"instrument_norms", S_EXPORT_INSTRUMENT_NORMS},
	    {"commitments", S_EXPORT_COMMITMENTS},
	    {"votes", S_EXPORT_VOTES},
	    {"instrument_parties", S_EXPORT_INSTRUMENT_PARTIES},
	};

	*out = NULL;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (strcmp(tables[i].name, table) == 0)
			return sq_rows(st, stmt(st, tables[i].s), out);
	return STORE_NOTFOUND;
}

/* One field of a translation. */
static enum store_err
translation_field(struct store *st, const json_t *b, const char *field,
                  const char *text, int64_t idx)
{
	sqlite3_stmt *s = stmt(st, S_TRANSLATION_PUT);

	sq_bind_member(s, 1, b, "kind");
	sq_bind_member(s, 2, b, "ref");
	sq_bind_member(s, 3, b, "lang");
	sq_bind_text(s, 4, field);
	sq_bind_text(s, 5, text);
	sqlite3_bind_int(s, 6, json_is_true(json_object_get(b, "unofficial")));
	sqlite3_bind_int64(s, 7, idx);
	return sq_run(st, s);
}

enum store_err
store_translation_put(struct store *st, const json_t *b, int64_t idx)
{
	static const char *const title_of[] = {"name", "title", NULL};
	static const char *const text_of[] = {
	    "name",    "title",          "summary",     "text",
	    "mandate", "outcome_reason", "description", NULL};
	sqlite3_stmt *s = stmt(st, S_TRANSLATION_EXISTS);
	const json_t *fields = json_object_get(b, "fields");
	const char *title = NULL, *k;
	json_t *v;
	size_t i;
	struct buf body;
	enum store_err e;

	sq_bind_member(s, 1, b, "kind");
	sq_bind_member(s, 2, b, "ref");
	if ((e = sq_first_row(st, s)) != STORE_OK)
		return e;
	if (sqlite3_column_type(s, 0) == SQLITE_NULL) {
		sqlite3_reset(s);
		snprintf(st->err, sizeof(st->err), "no %s %s to translate",
		         jsonx_str(b, "kind"), jsonx_str(b, "ref"));
		return STORE_BADREF;
	}
	sqlite3_reset(s);
	buf_init(&body, 64 * 1024);
	json_object_foreach((json_t *)fields, k, v)
	{
		if ((e = translation_field(st, b, k, json_string_value(v),
		                           idx)) != STORE_OK)
			goto out;
	}
	json_array_foreach(json_object_get(b, "commitments"), i, v)
	{
		char field[80];

		snprintf(field, sizeof(field), "commitment:%s",
		         jsonx_str(v, "id"));
		if ((e = translation_field(st, b, field, jsonx_str(v, "text"),
		                           idx)) != STORE_OK)
			goto out;
	}
	/* searchable in this language too: the title, then the rest, in a
	 * fixed order (a replayed body's members come sorted) */
	for (size_t t = 0; title_of[t] != NULL && title == NULL; t++)
		title = jsonx_str(fields, title_of[t]);
	for (size_t f = 0; text_of[f] != NULL; f++) {
		const char *x = jsonx_str(fields, text_of[f]);

		if (x == NULL || x == title)
			continue;
		if (buf_printf(&body, "%s%s", body.len ? " " : "", x) != 0)
			break; /* the rest is left out of the search text */
	}
	json_array_foreach(json_object_get(b, "commitments"), i, v)
	{
		if (buf_printf(&body, " %s", jsonx_str(v, "text")) != 0)
			break;
	}
	e = index_text(st, jsonx_str(b, "kind"), jsonx_str(b, "ref"),
	               title ? title : "", body.data ? body.data : "");
out:
	buf_free(&body);
	return e;
}

enum store_err
store_translations(struct store *st, const char *lang, json_t **out)
{
	sqlite3_stmt *s = stmt(st, S_TRANSLATIONS);
	json_t *all = json_object();
	int rc;

	sq_bind_text(s, 1, lang);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *kind = (const char *)sqlite3_column_text(s, 0);
		const char *ref = (const char *)sqlite3_column_text(s, 1);
		json_t *byref = json_object_get(all, kind), *rec;

		if (byref == NULL)
			json_object_set_new(all, kind, byref = json_object());
		if ((rec = json_object_get(byref, ref)) == NULL)
			json_object_set_new(byref, ref, rec = json_object());
		json_object_set_new(
		    rec, (const char *)sqlite3_column_text(s, 2),
		    json_string((const char *)sqlite3_column_text(s, 3)));
		if (sqlite3_column_int(s, 4))
			json_object_set_new(rec, "unofficial", json_true());
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(all);
		return sq_fail(st, rc);
	}
	*out = all;
	return STORE_OK;
}
