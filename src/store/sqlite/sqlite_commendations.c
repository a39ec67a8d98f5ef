/* sqlite_commendations.c — the commendations table: citizens commended for helping the
 * police (store_feedback.h; the schema is migration 5).
 *
 * Some 200 a year: the list is one cached statement whose optional conditions switch
 * themselves off when their parameter is 0 or NULL, and walks the primary key newest
 * first. A table this small needs no index, and one statement is simpler than one per
 * combination of filter fields. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define COMMENDATION_COLS                                                                  \
  "id, citizen_name, citizen_phone, reason, deed_ms, county, proposed_by_unit, "          \
  "proposed_by_station, feedback_id, created_ms, created_by"

static enum store_rc read_commendation(sqlite3_stmt *st, struct arena *a, void *out) {
  struct commendation *c = out;
  memset(c, 0, sizeof *c);
  c->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &c->citizen_name) != 0 || sq_col_str(st, 2, a, &c->citizen_phone) != 0 ||
      sq_col_str0(st, 3, a, &c->reason) != 0 || sq_col_str(st, 5, a, &c->county) != 0 ||
      sq_col_str(st, 6, a, &c->proposed_by_unit) != 0 ||
      sq_col_str(st, 7, a, &c->proposed_by_station) != 0)
    return sq_oom("reading a commendation");
  c->deed_ms = sqlite3_column_int64(st, 4);
  c->feedback_id = sqlite3_column_int64(st, 8);
  c->created_ms = sqlite3_column_int64(st, 9);
  c->created_by = sqlite3_column_int64(st, 10);
  return STORE_OK;
}

/* NOT_FOUND when the county, the proposing station or the contact does not exist.
 * A NULL name or reason is stored as "" (core requires both). */
enum store_rc sq_commendation_insert(struct store_tx *tx, struct commendation *c) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_COMMENDATION_INSERT,
                             "INSERT INTO commendations (citizen_name, citizen_phone, reason, "
                             "deed_ms, county, proposed_by_unit, proposed_by_station, "
                             "feedback_id, created_ms, created_by) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, c->citizen_name ? c->citizen_name : "") != SQLITE_OK ||
      sq_bind_text(st, 2, c->citizen_phone) != SQLITE_OK ||
      sq_bind_text(st, 3, c->reason ? c->reason : "") != SQLITE_OK ||
      sqlite3_bind_int64(st, 4, c->deed_ms) != SQLITE_OK ||
      sq_bind_text(st, 5, c->county) != SQLITE_OK ||
      sq_bind_text(st, 6, c->proposed_by_unit) != SQLITE_OK ||
      sq_bind_text(st, 7, c->proposed_by_station) != SQLITE_OK ||
      sq_bind_id(st, 8, c->feedback_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 9, c->created_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 10, c->created_by) != SQLITE_OK)
    return sq_bind_failed(k, st, "commendation_insert");
  enum store_rc rc = sq_run(k, st, false, "commendation_insert");
  if (rc == STORE_OK) c->id = sqlite3_last_insert_rowid(k->db);
  return rc;
}

enum store_rc sq_commendation_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                    struct commendation *out) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_COMMENDATION_BY_ID,
                             "SELECT " COMMENDATION_COLS " FROM commendations WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK)
    return sq_bind_failed(k, st, "commendation_by_id");
  return sq_fetch_one(k, st, "commendation_by_id", read_commendation, a, out);
}

enum store_rc sq_commendation_list(struct store_tx *tx, const struct commendation_filter *f,
                                   struct arena *a, struct commendation **out, size_t *n) {
  static const struct commendation_filter everything = {0};
  struct sq_conn *k = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  if (!f) f = &everything;
  sqlite3_stmt *st = sq_stmt(k, SQ_COMMENDATION_LIST,
                             "SELECT " COMMENDATION_COLS " FROM commendations WHERE id < ?1 "
                             "AND (?2 = 0 OR deed_ms >= ?2) AND (?3 = 0 OR deed_ms < ?3) "
                             "AND (?4 IS NULL OR county = ?4) ORDER BY id DESC LIMIT ?5");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, f->from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, f->to_ms) != SQLITE_OK ||
      sq_bind_text(st, 4, f->county) != SQLITE_OK ||
      sqlite3_bind_int64(st, 5, sq_limit(f->limit)) != SQLITE_OK)
    return sq_bind_failed(k, st, "commendation_list");
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(k, st, "commendation_list", read_commendation, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
