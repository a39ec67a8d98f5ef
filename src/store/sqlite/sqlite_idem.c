/* sqlite_idem.c — the idempotency table: the stored answer of a creating POST, keyed by
 * who sent it and its Idempotency-Key, so that a retried request is answered, not
 * stored twice; and its expiry. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

static enum store_rc read_idem(sqlite3_stmt *st, struct arena *a, void *out) {
  struct idem_record *r = out;
  memset(r, 0, sizeof *r);
  r->principal = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &r->key) != 0 || sq_col_str0(st, 2, a, &r->route) != 0 ||
      sq_col_str0(st, 5, a, &r->response) != 0)
    return sq_oom("reading an idempotency record");
  sq_col_hash(st, 3, r->body_hash);
  r->status = sqlite3_column_int(st, 4);
  r->created_ms = sqlite3_column_int64(st, 6);
  return STORE_OK;
}

enum store_rc sq_idem_get(struct store_tx *tx, int64_t principal, const char *key,
                          struct arena *a, struct idem_record *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_IDEM_GET,
                             "SELECT principal, \"key\", route, body_hash, status, response, "
                             "created_ms FROM idempotency WHERE principal = ? AND \"key\" = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, principal) != SQLITE_OK || sq_bind_text(st, 2, key) != SQLITE_OK)
    return sq_bind_failed(c, st, "idem_get");
  return sq_fetch_one(c, st, "idem_get", read_idem, a, out);
}

enum store_rc sq_idem_put(struct store_tx *tx, const struct idem_record *r) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_IDEM_PUT,
                             "INSERT INTO idempotency (principal, \"key\", route, body_hash, "
                             "status, response, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, r->principal) != SQLITE_OK ||
      sq_bind_text(st, 2, r->key) != SQLITE_OK ||
      sq_bind_text(st, 3, r->route ? r->route : "") != SQLITE_OK ||
      sq_bind_hash(st, 4, r->body_hash) != SQLITE_OK ||
      sqlite3_bind_int(st, 5, r->status) != SQLITE_OK ||
      sq_bind_text(st, 6, r->response ? r->response : "") != SQLITE_OK ||
      sqlite3_bind_int64(st, 7, r->created_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "idem_put");
  return sq_run(c, st, false, "idem_put");
}

/* The oldest first, through idempotency_created; a bounded number at a time, so that a
 * sweep after a long pause never holds the writer for long. */
enum store_rc sq_idem_expire(struct store_tx *tx, int64_t before_ms, size_t limit, size_t *removed) {
  struct sq_conn *c = sq_conn_of(tx);
  *removed = 0;
  sqlite3_stmt *st = sq_stmt(c, SQ_IDEM_EXPIRE,
                             "DELETE FROM idempotency WHERE id IN "
                             "(SELECT id FROM idempotency WHERE created_ms < ? "
                             "ORDER BY created_ms LIMIT ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, before_ms) != SQLITE_OK || sqlite3_bind_int64(st, 2, sq_limit(limit)) != SQLITE_OK)
    return sq_bind_failed(c, st, "idem_expire");
  enum store_rc rc = sq_run(c, st, false, "idem_expire");
  if (rc == STORE_OK) *removed = (size_t)sqlite3_changes(c->db);
  return rc;
}

/* Through the unique index on (principal, key): the keys alone, not the answers. */
enum store_rc sq_idem_keys(struct store_tx *tx, int (*fn)(void *cls, int64_t principal, const char *key),
                           void *cls) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_IDEM_KEYS, "SELECT principal, \"key\" FROM idempotency INDEXED BY idempotency_key");
  if (!st) return STORE_HARD;
  enum store_rc rc = STORE_OK;
  int s;
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    const unsigned char *key = sqlite3_column_text(st, 1);
    if (fn(cls, sqlite3_column_int64(st, 0), key ? (const char *)key : "") != 0) break;
  }
  if (s != SQLITE_ROW && s != SQLITE_DONE) rc = sq_fail(c, s, "idem_keys");
  sq_reset(st);
  return rc;
}
