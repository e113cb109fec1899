/*
 * The SQLite schema as a list of migrations.  Migration i (1-based) moves a
 * database from user_version i-1 to i.  Never edit a migration that has
 * shipped; add the next one.
 */
#ifndef DETENTE_STORE_SQLITE_SCHEMA_H
#define DETENTE_STORE_SQLITE_SCHEMA_H

static const char *const sqlite_migrations[] = {
    /* 1: the log, the record, users and their secrets */
    "CREATE TABLE log ("
    "  idx INTEGER PRIMARY KEY,"
    "  entry BLOB NOT NULL,"
    "  leaf_hash BLOB NOT NULL UNIQUE,"
    "  act_type TEXT NOT NULL,"
    "  party TEXT,"
    "  username TEXT,"
    "  signer TEXT NOT NULL,"
    "  tlp TEXT NOT NULL,"
    "  recipients TEXT,"
    "  owner_user_id INTEGER NOT NULL DEFAULT 0,"
    "  time_ms INTEGER NOT NULL);"
    "CREATE TABLE log_node ("
    "  level INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL,"
    "  PRIMARY KEY (level, idx)) WITHOUT ROWID;"
    "CREATE TABLE checkpoint ("
    "  size INTEGER PRIMARY KEY, root BLOB NOT NULL, note TEXT NOT NULL,"
    "  time_ms INTEGER NOT NULL);"
    "CREATE TABLE party ("
    "  code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,"
    "  alpha2 TEXT, numeric TEXT, un_group TEXT, admitted TEXT,"
    "  description TEXT, sources TEXT NOT NULL,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0, note TEXT,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE TABLE membership ("
    "  organisation TEXT NOT NULL REFERENCES party(code),"
    "  member TEXT NOT NULL REFERENCES party(code),"
    "  since TEXT, until TEXT, role TEXT NOT NULL, sources TEXT NOT NULL,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0, note TEXT,"
    "  log_idx INTEGER NOT NULL,"
    "  PRIMARY KEY (organisation, member));"
    "CREATE INDEX membership_member ON membership(member);"
    "CREATE TABLE norm ("
    "  id TEXT PRIMARY KEY, code TEXT NOT NULL, title TEXT NOT NULL,"
    "  text TEXT NOT NULL, sources TEXT NOT NULL,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0, note TEXT,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE TABLE forum ("
    "  id TEXT PRIMARY KEY, name TEXT NOT NULL, short_name TEXT,"
    "  kind TEXT NOT NULL, parent TEXT REFERENCES forum(id),"
    "  mandate TEXT NOT NULL, established_by TEXT,"
    "  membership_rule TEXT NOT NULL, decision_rule TEXT NOT NULL,"
    "  start TEXT, end TEXT, sources TEXT NOT NULL,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0, note TEXT,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE TABLE forum_member ("
    "  forum TEXT NOT NULL REFERENCES forum(id),"
    "  party TEXT NOT NULL REFERENCES party(code), role TEXT NOT NULL,"
    "  PRIMARY KEY (forum, party));"
    "CREATE INDEX forum_member_party ON forum_member(party);"
    "CREATE TABLE instrument ("
    "  id TEXT PRIMARY KEY, symbol TEXT UNIQUE, title TEXT NOT NULL,"
    "  kind TEXT NOT NULL, date TEXT NOT NULL,"
    "  forum TEXT REFERENCES forum(id), binding INTEGER NOT NULL,"
    "  outcome TEXT NOT NULL, outcome_reason TEXT, adoption TEXT,"
    "  vote_totals TEXT, summary TEXT NOT NULL, sources TEXT NOT NULL,"
    "  unconfirmed INTEGER NOT NULL DEFAULT 0, note TEXT,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE INDEX instrument_forum ON instrument(forum);"
    "CREATE TABLE instrument_norm ("
    "  instrument TEXT NOT NULL REFERENCES instrument(id),"
    "  norm TEXT NOT NULL REFERENCES norm(id), relation TEXT NOT NULL,"
    "  PRIMARY KEY (instrument, norm));"
    "CREATE INDEX instrument_norm_norm ON instrument_norm(norm);"
    "CREATE TABLE commitment ("
    "  instrument TEXT NOT NULL REFERENCES instrument(id),"
    "  id TEXT NOT NULL, text TEXT NOT NULL, position INTEGER NOT NULL,"
    "  PRIMARY KEY (instrument, id));"
    "CREATE TABLE vote ("
    "  instrument TEXT PRIMARY KEY REFERENCES instrument(id),"
    "  date TEXT NOT NULL, sources TEXT NOT NULL,"
    "  log_idx INTEGER NOT NULL);"
    "CREATE TABLE instrument_party ("
    "  instrument TEXT NOT NULL REFERENCES instrument(id),"
    "  party TEXT NOT NULL REFERENCES party(code),"
    "  relation TEXT NOT NULL, date TEXT, sources TEXT NOT NULL,"
    "  log_idx INTEGER NOT NULL,"
    "  PRIMARY KEY (instrument, party, relation));"
    "CREATE INDEX instrument_party_party ON instrument_party(party);"
    "CREATE VIRTUAL TABLE search USING fts5("
    "  kind UNINDEXED, ref UNINDEXED, title, body,"
    "  tokenize = 'unicode61 remove_diacritics 2');"
    "CREATE TABLE user ("
    "  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
    "  party TEXT REFERENCES party(code), role TEXT NOT NULL,"
    "  display_name TEXT, created_ms INTEGER NOT NULL,"
    "  disabled INTEGER NOT NULL DEFAULT 0, log_idx INTEGER NOT NULL);"
    "CREATE TABLE token ("
    "  id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES user(id),"
    "  name TEXT NOT NULL, created_ms INTEGER NOT NULL,"
    "  revoked_ms INTEGER, log_idx INTEGER NOT NULL);"
    /* Secrets: never part of the log, never replayed. */
    "CREATE TABLE secret_password ("
    "  user_id INTEGER PRIMARY KEY REFERENCES user(id),"
    "  pwhash TEXT NOT NULL);"
    "CREATE TABLE secret_token ("
    "  hash BLOB PRIMARY KEY, token_id TEXT NOT NULL UNIQUE"
    "  REFERENCES token(id)) WITHOUT ROWID;"
    "CREATE TABLE session ("
    "  hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES user(id),"
    "  csrf TEXT NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID;",
    /* 2: users' own signing keys, for party-signed acts */
    "CREATE TABLE signing_key ("
    "  id TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES user(id),"
    "  public_key BLOB NOT NULL, created_ms INTEGER NOT NULL,"
    "  revoked_ms INTEGER, log_idx INTEGER NOT NULL);"
    "CREATE INDEX signing_key_user ON signing_key(user_id);",
    /* 3: where in the log a key was revoked, so that anyone can tell
     * whether an entry was signed before (app_open fills it in for keys
     * revoked before this migration) */
    "ALTER TABLE signing_key ADD COLUMN revoked_idx INTEGER;",
    /* 4: later domains bring their own tables, with migrations of their
     * own (store/sqlite_internal.h); this is where each has got to */
    "CREATE TABLE domain_version ("
    "  domain TEXT PRIMARY KEY, version INTEGER NOT NULL);",
    /* 5: an instrument's own TLP label (a confidential agreement is
     * TLP:AMBER to its parties); its audience is the act at log_idx.
     * Reads filter with readable(tlp, log_idx). */
    "ALTER TABLE instrument ADD COLUMN tlp TEXT NOT NULL"
    " DEFAULT 'TLP:CLEAR';",
    /* 6: the record's texts in Bahasa Indonesia (and any later language
     * of the interface), field by field; a commitment's text is the
     * field "commitment:ID" */
    "CREATE TABLE translation ("
    "  kind TEXT NOT NULL, ref TEXT NOT NULL, lang TEXT NOT NULL,"
    "  field TEXT NOT NULL, text TEXT NOT NULL,"
    "  unofficial INTEGER NOT NULL, log_idx INTEGER NOT NULL,"
    "  PRIMARY KEY (kind, ref, lang, field)) WITHOUT ROWID;",
};

#endif
