/* sqlite_users.c — the users and login_failures tables. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define USER_COLS                                                                        \
  "id, username, display_name, password_hash, roles, disabled, locked, totp_secret, "   \
  "totp_enabled, latin_digits, created_ms, password_changed_ms, totp_last_step"

static enum store_rc read_user(sqlite3_stmt *st, struct arena *a, void *out) {
  struct user *u = out;
  memset(u, 0, sizeof *u);
  u->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &u->username) != 0 || sq_col_str(st, 2, a, &u->display_name) != 0 ||
      sq_col_str0(st, 3, a, &u->password_hash) != 0 || sq_col_str(st, 7, a, &u->totp_secret) != 0)
    return sq_oom("reading a user");
  u->roles = (role_set)sqlite3_column_int64(st, 4);
  u->disabled = sqlite3_column_int(st, 5) != 0;
  u->locked = sqlite3_column_int(st, 6) != 0;
  u->totp_enabled = sqlite3_column_int(st, 8) != 0;
  u->latin_digits = sqlite3_column_int(st, 9) != 0;
  u->created_ms = sqlite3_column_int64(st, 10);
  u->password_changed_ms = sqlite3_column_int64(st, 11);
  u->totp_last_step = sqlite3_column_int64(st, 12);
  return STORE_OK;
}

enum store_rc sq_user_insert(struct store_tx *tx, struct user *u) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_USER_INSERT,
                             "INSERT INTO users (username, display_name, password_hash, roles, "
                             "disabled, locked, totp_secret, totp_enabled, latin_digits, "
                             "created_ms, password_changed_ms, totp_last_step) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, u->username) != SQLITE_OK ||
      sq_bind_text(st, 2, u->display_name) != SQLITE_OK ||
      sq_bind_text(st, 3, u->password_hash) != SQLITE_OK ||
      sqlite3_bind_int64(st, 4, u->roles) != SQLITE_OK ||
      sqlite3_bind_int(st, 5, u->disabled) != SQLITE_OK ||
      sqlite3_bind_int(st, 6, u->locked) != SQLITE_OK ||
      sq_bind_text(st, 7, u->totp_secret) != SQLITE_OK ||
      sqlite3_bind_int(st, 8, u->totp_enabled) != SQLITE_OK ||
      sqlite3_bind_int(st, 9, u->latin_digits) != SQLITE_OK ||
      sqlite3_bind_int64(st, 10, u->created_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 11, u->password_changed_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 12, u->totp_last_step) != SQLITE_OK)
    return sq_bind_failed(c, st, "user_insert");
  enum store_rc rc = sq_run(c, st, false, "user_insert");
  if (rc == STORE_OK) u->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_user_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct user *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_USER_BY_ID, "SELECT " USER_COLS " FROM users WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(c, st, "user_by_id");
  return sq_fetch_one(c, st, "user_by_id", read_user, a, out);
}

enum store_rc sq_user_by_name(struct store_tx *tx, const char *username, struct arena *a,
                              struct user *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_USER_BY_NAME, "SELECT " USER_COLS " FROM users WHERE username = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, username) != SQLITE_OK) return sq_bind_failed(c, st, "user_by_name");
  return sq_fetch_one(c, st, "user_by_name", read_user, a, out);
}

enum store_rc sq_user_list(struct store_tx *tx, int64_t after_id, size_t limit, struct arena *a,
                           struct user **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_USER_LIST,
                             "SELECT " USER_COLS " FROM users WHERE id > ? ORDER BY id LIMIT ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, after_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, sq_limit(limit)) != SQLITE_OK)
    return sq_bind_failed(c, st, "user_list");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "user_list", read_user, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

enum store_rc sq_user_update(struct store_tx *tx, const struct user *u) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_USER_UPDATE,
                             "UPDATE users SET display_name = ?, password_hash = ?, roles = ?, "
                             "disabled = ?, locked = ?, totp_secret = ?, totp_enabled = ?, "
                             "latin_digits = ?, password_changed_ms = ?, totp_last_step = ? "
                             "WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, u->display_name) != SQLITE_OK ||
      sq_bind_text(st, 2, u->password_hash) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, u->roles) != SQLITE_OK ||
      sqlite3_bind_int(st, 4, u->disabled) != SQLITE_OK ||
      sqlite3_bind_int(st, 5, u->locked) != SQLITE_OK ||
      sq_bind_text(st, 6, u->totp_secret) != SQLITE_OK ||
      sqlite3_bind_int(st, 7, u->totp_enabled) != SQLITE_OK ||
      sqlite3_bind_int(st, 8, u->latin_digits) != SQLITE_OK ||
      sqlite3_bind_int64(st, 9, u->password_changed_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 10, u->totp_last_step) != SQLITE_OK ||
      sqlite3_bind_int64(st, 11, u->id) != SQLITE_OK)
    return sq_bind_failed(c, st, "user_update");
  return sq_run(c, st, true, "user_update");
}

enum store_rc sq_login_failure_add(struct store_tx *tx, int64_t user_id, int64_t time_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_LOGIN_FAILURE_ADD,
                             "INSERT INTO login_failures (user_id, time_ms) VALUES (?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, user_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, time_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "login_failure_add");
  return sq_run(c, st, false, "login_failure_add");
}

static enum store_rc read_count(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int *)out = sqlite3_column_int(st, 0);
  return STORE_OK;
}

enum store_rc sq_login_failure_count(struct store_tx *tx, int64_t user_id, int64_t since_ms,
                                     int *count) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_LOGIN_FAILURE_COUNT,
              "SELECT count(*) FROM login_failures WHERE user_id = ? AND time_ms >= ?");
  if (!st) return STORE_HARD;
  *count = 0;
  if (sqlite3_bind_int64(st, 1, user_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, since_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "login_failure_count");
  return sq_fetch_one(c, st, "login_failure_count", read_count, NULL, count);
}

enum store_rc sq_login_failure_clear(struct store_tx *tx, int64_t user_id) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_LOGIN_FAILURE_CLEAR, "DELETE FROM login_failures WHERE user_id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, user_id) != SQLITE_OK)
    return sq_bind_failed(c, st, "login_failure_clear");
  return sq_run(c, st, false, "login_failure_clear");
}
