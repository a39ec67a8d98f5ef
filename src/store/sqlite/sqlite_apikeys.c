/* sqlite_apikeys.c — the apikeys table. Only hashes of keys are stored. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define APIKEY_COLS "id, name, role, key_hash, prefix, created_ms, revoked_ms, created_by, unit_id"

static enum store_rc read_apikey(sqlite3_stmt *st, struct arena *a, void *out) {
  struct apikey *k = out;
  memset(k, 0, sizeof *k);
  k->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &k->name) != 0 || sq_col_str0(st, 4, a, &k->prefix) != 0)
    return sq_oom("reading an API key");
  k->role = (enum role)sqlite3_column_int64(st, 2);
  sq_col_hash(st, 3, k->key_hash);
  k->created_ms = sqlite3_column_int64(st, 5);
  k->revoked_ms = sqlite3_column_int64(st, 6);
  k->created_by = sqlite3_column_int64(st, 7);
  k->unit_id = sqlite3_column_int64(st, 8); /* NULL reads as 0: no unit */
  return STORE_OK;
}

enum store_rc sq_apikey_insert(struct store_tx *tx, struct apikey *k) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_APIKEY_INSERT,
                             "INSERT INTO apikeys (name, role, key_hash, prefix, created_ms, "
                             "revoked_ms, created_by, unit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, k->name) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, (int64_t)k->role) != SQLITE_OK ||
      sq_bind_hash(st, 3, k->key_hash) != SQLITE_OK ||
      sq_bind_text(st, 4, k->prefix ? k->prefix : "") != SQLITE_OK ||
      sqlite3_bind_int64(st, 5, k->created_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 6, k->revoked_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 7, k->created_by) != SQLITE_OK ||
      sq_bind_id(st, 8, k->unit_id) != SQLITE_OK)
    return sq_bind_failed(c, st, "apikey_insert");
  /* an unknown unit: NOT_FOUND (foreign key); a name taken: CONFLICT */
  enum store_rc rc = sq_run(c, st, false, "apikey_insert");
  if (rc == STORE_OK) k->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_apikey_by_hash(struct store_tx *tx, const uint8_t key_hash[32], struct arena *a,
                                struct apikey *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_APIKEY_BY_HASH, "SELECT " APIKEY_COLS " FROM apikeys WHERE key_hash = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_hash(st, 1, key_hash) != SQLITE_OK) return sq_bind_failed(c, st, "apikey_by_hash");
  return sq_fetch_one(c, st, "apikey_by_hash", read_apikey, a, out);
}

enum store_rc sq_apikey_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                              struct apikey *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_APIKEY_BY_ID, "SELECT " APIKEY_COLS " FROM apikeys WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(c, st, "apikey_by_id");
  return sq_fetch_one(c, st, "apikey_by_id", read_apikey, a, out);
}

enum store_rc sq_apikey_by_name(struct store_tx *tx, const char *name, struct arena *a,
                                struct apikey *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_APIKEY_BY_NAME, "SELECT " APIKEY_COLS " FROM apikeys WHERE name = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, name) != SQLITE_OK) return sq_bind_failed(c, st, "apikey_by_name");
  return sq_fetch_one(c, st, "apikey_by_name", read_apikey, a, out);
}

enum store_rc sq_apikey_list(struct store_tx *tx, struct arena *a, struct apikey **out,
                             size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_APIKEY_LIST, "SELECT " APIKEY_COLS " FROM apikeys ORDER BY id");
  if (!st) return STORE_HARD;
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "apikey_list", read_apikey, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

enum store_rc sq_apikey_revoke(struct store_tx *tx, int64_t id, int64_t when_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  /* Revoking twice keeps the first time, and is not an error. */
  sqlite3_stmt *st = sq_stmt(c, SQ_APIKEY_REVOKE,
                             "UPDATE apikeys SET revoked_ms = CASE WHEN revoked_ms = 0 "
                             "THEN ? ELSE revoked_ms END WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, when_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, id) != SQLITE_OK)
    return sq_bind_failed(c, st, "apikey_revoke");
  return sq_run(c, st, true, "apikey_revoke");
}
