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

static const char *const migrations[] = {
    m0001_foundation,
};

int sq_newest_version(void) { return (int)(sizeof migrations / sizeof migrations[0]); }

const char *sq_migration(int version) {
  if (version < 1 || version > sq_newest_version()) return NULL;
  return migrations[version - 1];
}
