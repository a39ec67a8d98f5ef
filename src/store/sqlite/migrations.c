/* migrations.c — the SQLite schema, as numbered migrations embedded in the binary.
 *
 * Migration N moves a database from schema version N-1 to N; sqlite_open.c applies each
 * in its own transaction and records N in the one-row `schema_version` table. A
 * migration, once released, is never edited: a change to the schema is a new entry at
 * the end. Table and column names are part of the contract other parts of hamyar (and
 * their tests) rely on; the PostgreSQL backend keeps the same names.
 */
#include "store/sqlite/sqlite_int.h"

/* 1: the foundation — accounts, sessions, API keys, audit chain, events, idempotency. */
static const char m0001_foundation[] =
    "CREATE TABLE users (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  username TEXT UNIQUE NOT NULL,\n"
    "  display_name TEXT,\n"
    "  password_hash TEXT NOT NULL,\n"
    "  roles INTEGER NOT NULL,\n"
    "  disabled INTEGER NOT NULL DEFAULT 0,\n"
    "  locked INTEGER NOT NULL DEFAULT 0,\n"
    "  totp_secret TEXT,\n"
    "  totp_enabled INTEGER NOT NULL DEFAULT 0,\n"
    "  latin_digits INTEGER NOT NULL DEFAULT 0,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  password_changed_ms INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE login_failures (\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  time_ms INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX login_failures_user_time ON login_failures(user_id, time_ms);\n"
    "CREATE TABLE sessions (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  token_hash BLOB UNIQUE NOT NULL CHECK (length(token_hash) = 32),\n"
    "  csrf_hash BLOB NOT NULL CHECK (length(csrf_hash) = 32),\n"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  last_seen_ms INTEGER NOT NULL,\n"
    "  revoked_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  ip TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE INDEX sessions_user ON sessions(user_id);\n"
    "CREATE TABLE apikeys (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT UNIQUE NOT NULL,\n"
    "  role INTEGER NOT NULL,\n"
    "  key_hash BLOB UNIQUE NOT NULL CHECK (length(key_hash) = 32),\n"
    "  prefix TEXT NOT NULL DEFAULT '',\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  revoked_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  created_by INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    /* No foreign keys on audit: it must outlive whatever it mentions, and its ids are
     * dense (1, 2, 3, ...) because audit_append sets them, never AUTOINCREMENT. */
    "CREATE TABLE audit (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  actor_id INTEGER NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  subject TEXT NOT NULL,\n"
    "  detail TEXT NOT NULL,\n"
    "  ip TEXT NOT NULL,\n"
    "  request_id TEXT NOT NULL,\n"
    "  prev_hash BLOB NOT NULL,\n"
    "  hash BLOB NOT NULL\n"
    ");\n"
    "CREATE INDEX audit_action ON audit(action);\n"
    "CREATE INDEX audit_time ON audit(time_ms);\n"
    "CREATE INDEX audit_actor ON audit(actor);\n"
    "CREATE INDEX audit_subject ON audit(subject);\n"
    /* Events are read by id only (SSE resumes from Last-Event-ID). */
    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  type TEXT NOT NULL,\n"
    "  subject TEXT NOT NULL,\n"
    "  payload TEXT NOT NULL,\n"
    "  audience INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE idempotency (\n"
    "  principal INTEGER NOT NULL,\n"
    "  \"key\" TEXT NOT NULL,\n"
    "  route TEXT NOT NULL,\n"
    "  body_hash BLOB NOT NULL CHECK (length(body_hash) = 32),\n"
    "  status INTEGER NOT NULL,\n"
    "  response TEXT NOT NULL,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  PRIMARY KEY (principal, \"key\")\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX idempotency_created ON idempotency(created_ms);\n";

/* 2: the 110 centre — places, units, phone-system calls, calls, incidents, timelines.
 * Ids that mean "none" when 0 in the records (a call's incident, a unit's incident, an
 * incident's first call, a phone call's call) are NULL here, so that foreign keys hold;
 * a reference to a missing row is refused (STORE_NOT_FOUND). Places are referred to by
 * code, as the reference files do. Enumerations are stored as their integer values
 * (core/emergency.h); their names are for the wire only. */
static const char m0002_emergency[] =
    "CREATE TABLE counties (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT UNIQUE NOT NULL,\n"
    "  name_fa TEXT,\n"
    "  name_en TEXT,\n"
    "  seat_lat REAL NOT NULL DEFAULT 0,\n"
    "  seat_lon REAL NOT NULL DEFAULT 0,\n"
    "  border TEXT\n"
    ");\n"
    "CREATE TABLE stations (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT UNIQUE NOT NULL,\n"
    "  county TEXT NOT NULL REFERENCES counties(code),\n"
    "  kind TEXT,\n"
    "  name_fa TEXT,\n"
    "  name_en TEXT,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX stations_county ON stations(county);\n"
    "CREATE TABLE entry_points (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT UNIQUE NOT NULL,\n"
    "  name_fa TEXT,\n"
    "  name_en TEXT,\n"
    "  road TEXT,\n"
    "  neighbour TEXT,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE units (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT UNIQUE NOT NULL,\n"
    "  call_sign_fa TEXT,\n"
    "  station TEXT NOT NULL REFERENCES stations(code),\n"
    "  type INTEGER NOT NULL,\n"
    "  seats INTEGER NOT NULL DEFAULT 0,\n"
    "  status INTEGER NOT NULL,\n"
    "  status_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  incident_id INTEGER REFERENCES incidents(id),\n"
    "  has_position INTEGER NOT NULL DEFAULT 0,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0,\n"
    "  position_ms INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX units_station ON units(station);\n"
    "CREATE TABLE unit_positions (\n"
    "  unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  lat REAL NOT NULL,\n"
    "  lon REAL NOT NULL\n"
    ");\n"
    "CREATE INDEX unit_positions_unit_time ON unit_positions(unit_id, time_ms);\n"
    "CREATE TABLE telephony_calls (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  ext_id TEXT UNIQUE NOT NULL,\n"
    "  ani TEXT,\n"
    "  has_location INTEGER NOT NULL DEFAULT 0,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0,\n"
    "  uncertainty_m REAL NOT NULL DEFAULT 0,\n"
    "  location_source TEXT,\n"
    "  state INTEGER NOT NULL,\n"
    "  ring_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  answer_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  end_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  call_id INTEGER REFERENCES calls(id)\n"
    ");\n"
    /* Partial indexes: the calls waiting for a call-taker stay few however long the
     * table grows, and abandoned calls are counted without reading the others. Each
     * WHERE clause must match its query's (sqlite_tcalls.c) word for word to be used. */
    "CREATE INDEX telephony_calls_open ON telephony_calls(ring_ms)\n"
    "  WHERE state IN (0, 1) AND call_id IS NULL;\n"
    "CREATE INDEX telephony_calls_abandoned ON telephony_calls(ring_ms) WHERE state = 3;\n"
    "CREATE TABLE calls (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  telephony_call_id TEXT,\n"
    "  caller_number TEXT,\n"
    "  caller_name TEXT,\n"
    "  has_location INTEGER NOT NULL DEFAULT 0,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0,\n"
    "  uncertainty_m REAL NOT NULL DEFAULT 0,\n"
    "  address TEXT,\n"
    "  county TEXT,\n"
    "  type TEXT,\n"
    "  priority INTEGER NOT NULL DEFAULT 0,\n"
    "  narrative TEXT,\n"
    "  outcome INTEGER NOT NULL,\n"
    "  incident_id INTEGER REFERENCES incidents(id),\n"
    "  ring_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  answer_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  taker_id INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX calls_created ON calls(created_ms);\n"
    "CREATE INDEX calls_caller_created ON calls(caller_number, created_ms);\n"
    "CREATE INDEX calls_incident ON calls(incident_id);\n"
    "CREATE TABLE incidents (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  year INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  type TEXT,\n"
    "  priority INTEGER NOT NULL DEFAULT 0,\n"
    "  status INTEGER NOT NULL,\n"
    "  county TEXT,\n"
    "  has_location INTEGER NOT NULL DEFAULT 0,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0,\n"
    "  address TEXT,\n"
    "  call_count INTEGER NOT NULL DEFAULT 0,\n"
    "  first_call_id INTEGER REFERENCES calls(id),\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  answer_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  dispatch_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  en_route_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  on_scene_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  cleared_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  closed_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  updated_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  disposition TEXT,\n"
    "  UNIQUE (year, seq)\n"
    ");\n"
    "CREATE INDEX incidents_status_updated ON incidents(status, updated_ms);\n"
    "CREATE INDEX incidents_created ON incidents(created_ms);\n"
    /* The last incident number given out in each Jalali year. */
    "CREATE TABLE incident_seq (\n"
    "  year INTEGER PRIMARY KEY,\n"
    "  \"last\" INTEGER NOT NULL\n"
    ");\n"
    /* Append-only, like audit and events. */
    "CREATE TABLE timeline (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  incident_id INTEGER NOT NULL REFERENCES incidents(id),\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  actor_id INTEGER NOT NULL DEFAULT 0,\n"
    "  actor TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  text TEXT NOT NULL,\n"
    "  data TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX timeline_incident ON timeline(incident_id, id);\n";

/* 3: the TOTP step of the last code each user had accepted, so that a code is accepted
 * once only (RFC 6238 §5.2). A column of users, not a table of its own: it is read and
 * written with the rest of the user (store.h, struct user). */
static const char m0003_totp_last_step[] =
    "ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;\n";

/* 4: API keys for a patrol unit's own device (role unit) name the one unit they act
 * for; NULL for every other key. */
static const char m0004_apikey_unit[] =
    "ALTER TABLE apikeys ADD COLUMN unit_id INTEGER REFERENCES units(id);\n";

/* 5: the 197 public oversight desk — citizens' contacts, their timelines, and
 * commendations of citizens (core/feedback.h, store_feedback.h). As in migration 2,
 * enumerations are their integer values, ids that are 0 in a record are NULL here, and
 * places are named by code with foreign keys, so a contact or commendation naming a
 * missing county, station, user or contact is refused (STORE_NOT_FOUND). Unit and
 * officer are free codes (a citizen names them as best they can). The tracking code is
 * kept only as its SHA-256, unique like a token's.
 *
 * Indexes, each for a filter of store_feedback.h (nothing else: every index costs
 * every insert and update a B-tree write):
 *   - none for the newest-first list: it walks the primary key;
 *   - feedback_received: list_period (the figures) and the list's from/to;
 *   - feedback_status_due: the desk's work queues by status (the list writes its status
 *     mask as an IN list so this index serves it) and the overdue filter
 *     (status IN (0, 1, 2) AND due_ms < t): open contacts stay few while closed ones
 *     pile up;
 *   - feedback_assigned: a supervisor's own contacts; partial, since the many received
 *     and public contacts have none;
 *   - feedback_officer: an officer's record (praise and complaints naming them);
 *     partial, since most contacts name no officer;
 *   - feedback_entries_feedback: a contact's timeline in append order.
 * County, station, kind, channel, category and the updated window (Open311) are
 * filtered while walking the primary key newest first: a page stops after `limit`
 * rows, and at 22,000 contacts a year a full walk is still a few milliseconds. No
 * index backs the foreign keys from the child side: counties, stations, users and
 * contacts are never deleted and their keys never change. Commendations (some 200 a
 * year) have no index at all. */
static const char m0005_feedback[] =
    "CREATE TABLE feedback (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  year INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL,\n"
    "  code_hash BLOB UNIQUE NOT NULL CHECK (length(code_hash) = 32),\n"
    "  channel INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL,\n"
    "  category TEXT,\n"
    "  citizen_name TEXT,\n"
    "  citizen_phone TEXT,\n"
    "  citizen_national_id TEXT,\n"
    "  county TEXT REFERENCES counties(code),\n"
    "  station TEXT REFERENCES stations(code),\n"
    "  unit TEXT,\n"
    "  officer TEXT,\n"
    "  officer_name TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  has_location INTEGER NOT NULL DEFAULT 0,\n"
    "  lat REAL NOT NULL DEFAULT 0,\n"
    "  lon REAL NOT NULL DEFAULT 0,\n"
    "  address TEXT,\n"
    "  suggested_kind INTEGER NOT NULL,\n"
    "  suggested_category TEXT,\n"
    "  classification_confirmed INTEGER NOT NULL DEFAULT 0,\n"
    "  status INTEGER NOT NULL,\n"
    "  outcome INTEGER NOT NULL DEFAULT 0,\n"
    "  assigned_to INTEGER REFERENCES users(id),\n"
    "  received_ms INTEGER NOT NULL,\n"
    "  due_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  assigned_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  answered_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  closed_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  updated_ms INTEGER NOT NULL DEFAULT 0,\n"
    "  created_by INTEGER NOT NULL DEFAULT 0,\n"
    "  UNIQUE (year, seq)\n"
    ");\n"
    "CREATE INDEX feedback_received ON feedback(received_ms);\n"
    "CREATE INDEX feedback_status_due ON feedback(status, due_ms);\n"
    "CREATE INDEX feedback_assigned ON feedback(assigned_to) WHERE assigned_to IS NOT NULL;\n"
    "CREATE INDEX feedback_officer ON feedback(officer) WHERE officer IS NOT NULL;\n"
    /* The last contact number given out in each Jalali year, as incident_seq. */
    "CREATE TABLE feedback_seq (\n"
    "  year INTEGER PRIMARY KEY,\n"
    "  \"last\" INTEGER NOT NULL\n"
    ");\n"
    /* Append-only, like the incidents' timeline. */
    "CREATE TABLE feedback_entries (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  feedback_id INTEGER NOT NULL REFERENCES feedback(id),\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  actor_id INTEGER NOT NULL DEFAULT 0,\n"
    "  actor TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  for_citizen INTEGER NOT NULL DEFAULT 0,\n"
    "  text TEXT NOT NULL,\n"
    "  data TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX feedback_entries_feedback ON feedback_entries(feedback_id, id);\n"
    "CREATE TABLE commendations (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  citizen_name TEXT NOT NULL,\n"
    "  citizen_phone TEXT,\n"
    "  reason TEXT NOT NULL,\n"
    "  deed_ms INTEGER NOT NULL,\n"
    "  county TEXT REFERENCES counties(code),\n"
    "  proposed_by_unit TEXT,\n"
    "  proposed_by_station TEXT REFERENCES stations(code),\n"
    "  feedback_id INTEGER REFERENCES feedback(id),\n"
    "  created_ms INTEGER NOT NULL,\n"
    "  created_by INTEGER NOT NULL DEFAULT 0\n"
    ");\n";

/* When hamyar heard each ring, by its own clock: the ring timeout counts from it, since
 * a phone system's clock can be minutes off. Older rows take their ring time. */
static const char m0006_tcall_received[] =
    "ALTER TABLE telephony_calls ADD COLUMN received_ms INTEGER NOT NULL DEFAULT 0;\n"
    "UPDATE telephony_calls SET received_ms = ring_ms;\n";

/* 7: a number's calls through an index whose inserts stay together. Keyed by the
 * number first, every call stored landed on a random leaf page of a large index, and
 * every commit wrote one such page per call to the WAL and again at the checkpoint: a
 * fifth to a third of what a busy centre's intake cost. Keyed first by the call's
 * epoch (its id over 1,024, sqlite_calls.c), a commit's calls land among the few
 * leaves of the newest epoch; a number's history is one probe per epoch, ~1,700 for a
 * year of the command's calls. */
static const char m0007_caller_epoch[] =
    "DROP INDEX calls_caller_created;\n"
    "CREATE INDEX calls_caller ON calls(id >> 10, caller_number);\n";

/* 8: stored idempotent answers in the order they came. Keyed by (principal, key)
 * WITHOUT ROWID, each answer (half a kilobyte and more) was written into the key's
 * place among the others: a random leaf page per request, split every few requests.
 * Appended by rowid instead, only the small unique index on (principal, key) takes a
 * random place. */
static const char m0008_idem_append[] =
    "CREATE TABLE idempotency_by_arrival (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  principal INTEGER NOT NULL,\n"
    "  \"key\" TEXT NOT NULL,\n"
    "  route TEXT NOT NULL,\n"
    "  body_hash BLOB NOT NULL CHECK (length(body_hash) = 32),\n"
    "  status INTEGER NOT NULL,\n"
    "  response TEXT NOT NULL,\n"
    "  created_ms INTEGER NOT NULL\n"
    ");\n"
    "INSERT INTO idempotency_by_arrival (principal, \"key\", route, body_hash, status, response, created_ms)\n"
    "  SELECT principal, \"key\", route, body_hash, status, response, created_ms FROM idempotency\n"
    "  ORDER BY created_ms;\n"
    "DROP TABLE idempotency;\n"
    "ALTER TABLE idempotency_by_arrival RENAME TO idempotency;\n"
    "CREATE UNIQUE INDEX idempotency_key ON idempotency(principal, \"key\");\n"
    "CREATE INDEX idempotency_created ON idempotency(created_ms);\n";

/* 9: only calls linked to an incident in the index of an incident's calls. Every new
 * call has none, so each was an entry (NULL, id) in it: appended, but a leaf and now and
 * then its neighbours and parent written to the WAL with every commit, about one WAL
 * page in seventeen of a busy centre's intake. The index answers only "the calls of
 * incident N" (incident_id = ?, which SQLite knows is NOT NULL), so a call joins it
 * when it is linked. */
static const char m0009_calls_incident_linked[] =
    "DROP INDEX calls_incident;\n"
    "CREATE INDEX calls_incident ON calls(incident_id) WHERE incident_id IS NOT NULL;\n";

/* 10: the audit's search indexes on a copy of the searched columns, kept up to date in
 * bulk. On the audit table itself, its four indexes (action, time, actor, subject) each
 * wrote a leaf page or three with every commit, however few rows it held: at a busy
 * centre's intake, a third of each commit's pages and a quarter of the calls a second
 * (BENCHMARKS.md). audit_search holds the same columns for the audit rows up to some id,
 * and the writer copies the newer ones over a few hundred at a time (sqlite_audit.c);
 * a search reads it for those rows and the audit table itself for the few newer ones,
 * so it finds every row as before. It is derived from the chain, never part of it. */
static const char m0010_audit_search[] =
    "CREATE TABLE audit_search (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  time_ms INTEGER NOT NULL,\n"
    "  actor TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  subject TEXT NOT NULL\n"
    ");\n"
    "INSERT INTO audit_search (id, time_ms, actor, action, subject)\n"
    "  SELECT id, time_ms, actor, action, subject FROM audit ORDER BY id;\n"
    "DROP INDEX audit_action;\n"
    "DROP INDEX audit_time;\n"
    "DROP INDEX audit_actor;\n"
    "DROP INDEX audit_subject;\n"
    "CREATE INDEX audit_action ON audit_search(action);\n"
    "CREATE INDEX audit_time ON audit_search(time_ms);\n"
    "CREATE INDEX audit_actor ON audit_search(actor);\n"
    "CREATE INDEX audit_subject ON audit_search(subject);\n";

static const char *const migrations[] = {
    m0001_foundation,
    m0002_emergency,
    m0003_totp_last_step,
    m0004_apikey_unit,
    m0005_feedback,
    m0006_tcall_received,
    m0007_caller_epoch,
    m0008_idem_append,
    m0009_calls_incident_linked,
    m0010_audit_search,
};

int sq_newest_version(void) { return (int)(sizeof migrations / sizeof migrations[0]); }

const char *sq_migration(int version) {
  if (version < 1 || version > sq_newest_version()) return NULL;
  return migrations[version - 1];
}
