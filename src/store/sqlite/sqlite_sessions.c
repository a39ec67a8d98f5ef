/* sqlite_sessions.c — the sessions table. Only hashes of tokens are stored. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

static enum store_rc read_session(sqlite3_stmt *st, struct arena *a, void *out) {
  struct session *se = out;
  memset(se, 0, sizeof *se);
  se->id = sqlite3_column_int64(st, 0);
  sq_col_hash(st, 1, se->token_hash);
  sq_col_hash(st, 2, se->csrf_hash);
  se->user_id = sqlite3_column_int64(st, 3);
  se->created_ms = sqlite3_column_int64(st, 4);
  se->last_seen_ms = sqlite3_column_int64(st, 5);
  se->revoked_ms = sqlite3_column_int64(st, 6);
  if (sq_col_str0(st, 7, a, &se->ip) != 0) return sq_oom("reading a session");
  return STORE_OK;
}

enum store_rc sq_session_insert(struct store_tx *tx, struct session *se) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_INSERT,
                             "INSERT INTO sessions (token_hash, csrf_hash, user_id, created_ms, "
                             "last_seen_ms, revoked_ms, ip) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_hash(st, 1, se->token_hash) != SQLITE_OK ||
      sq_bind_hash(st, 2, se->csrf_hash) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, se->user_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 4, se->created_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 5, se->last_seen_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 6, se->revoked_ms) != SQLITE_OK ||
      sq_bind_text(st, 7, se->ip ? se->ip : "") != SQLITE_OK)
    return sq_bind_failed(c, st, "session_insert");
  enum store_rc rc = sq_run(c, st, false, "session_insert");
  if (rc == STORE_OK) se->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_session_by_token(struct store_tx *tx, const uint8_t token_hash[32],
                                  struct arena *a, struct session *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_BY_TOKEN,
                             "SELECT id, token_hash, csrf_hash, user_id, created_ms, "
                             "last_seen_ms, revoked_ms, ip FROM sessions WHERE token_hash = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_hash(st, 1, token_hash) != SQLITE_OK)
    return sq_bind_failed(c, st, "session_by_token");
  return sq_fetch_one(c, st, "session_by_token", read_session, a, out);
}

enum store_rc sq_session_touch(struct store_tx *tx, int64_t id, int64_t last_seen_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  /* max(): a late, slower request never moves last_seen backwards. */
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_TOUCH,
                             "UPDATE sessions SET last_seen_ms = max(last_seen_ms, ?) "
                             "WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, last_seen_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, id) != SQLITE_OK)
    return sq_bind_failed(c, st, "session_touch");
  return sq_run(c, st, true, "session_touch");
}

enum store_rc sq_session_revoke(struct store_tx *tx, int64_t id, int64_t when_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  /* Revoking twice keeps the first time, and is not an error. */
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_REVOKE,
                             "UPDATE sessions SET revoked_ms = CASE WHEN revoked_ms = 0 "
                             "THEN ? ELSE revoked_ms END WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, when_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, id) != SQLITE_OK)
    return sq_bind_failed(c, st, "session_revoke");
  return sq_run(c, st, true, "session_revoke");
}

enum store_rc sq_session_revoke_user(struct store_tx *tx, int64_t user_id, int64_t when_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_REVOKE_USER,
                             "UPDATE sessions SET revoked_ms = ? "
                             "WHERE user_id = ? AND revoked_ms = 0");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, when_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, user_id) != SQLITE_OK)
    return sq_bind_failed(c, st, "session_revoke_user");
  return sq_run(c, st, false, "session_revoke_user");
}

enum store_rc sq_session_revoke_user_except(struct store_tx *tx, int64_t user_id, int64_t keep_id,
                                            int64_t when_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_SESSION_REVOKE_USER_EXCEPT,
                             "UPDATE sessions SET revoked_ms = ? "
                             "WHERE user_id = ? AND id != ? AND revoked_ms = 0");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, when_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, user_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, keep_id) != SQLITE_OK)
    return sq_bind_failed(c, st, "session_revoke_user_except");
  return sq_run(c, st, false, "session_revoke_user_except");
}
