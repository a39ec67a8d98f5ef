/* sqlite_calls.c — the calls table: what a call-taker recorded of each call, linked
 * to the incident it reports once there is one.
 *
 * call_list builds its WHERE clause from the filter fields that are set and caches one
 * statement per combination (as audit_list does), so each query can use the index that
 * fits it: the caller's number for repeat calls, created_ms for a period, incident_id
 * for an incident's calls. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define CALL_COLS                                                                            \
  "id, telephony_call_id, caller_number, caller_name, has_location, lat, lon, "             \
  "uncertainty_m, address, county, type, priority, narrative, outcome, incident_id, "      \
  "ring_ms, answer_ms, created_ms, taker_id"

static enum store_rc read_call(sqlite3_stmt *st, struct arena *a, void *out) {
  struct call *c = out;
  memset(c, 0, sizeof *c);
  c->id = sqlite3_column_int64(st, 0);
  if (sq_col_str(st, 1, a, &c->telephony_call_id) != 0 ||
      sq_col_str(st, 2, a, &c->caller_number) != 0 || sq_col_str(st, 3, a, &c->caller_name) != 0 ||
      sq_col_str(st, 8, a, &c->address) != 0 || sq_col_str(st, 9, a, &c->county) != 0 ||
      sq_col_str(st, 10, a, &c->type) != 0 || sq_col_str(st, 12, a, &c->narrative) != 0)
    return sq_oom("reading a call");
  c->has_location = sqlite3_column_int(st, 4) != 0;
  c->lat = sqlite3_column_double(st, 5);
  c->lon = sqlite3_column_double(st, 6);
  c->uncertainty_m = sqlite3_column_double(st, 7);
  c->priority = sqlite3_column_int(st, 11);
  c->outcome = (enum call_outcome)sqlite3_column_int(st, 13);
  c->incident_id = sqlite3_column_int64(st, 14);
  c->ring_ms = sqlite3_column_int64(st, 15);
  c->answer_ms = sqlite3_column_int64(st, 16);
  c->created_ms = sqlite3_column_int64(st, 17);
  c->taker_id = sqlite3_column_int64(st, 18);
  return STORE_OK;
}

enum store_rc sq_call_insert(struct store_tx *tx, struct call *c) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_CALL_INSERT,
                             "INSERT INTO calls (telephony_call_id, caller_number, caller_name, "
                             "has_location, lat, lon, uncertainty_m, address, county, type, "
                             "priority, narrative, outcome, incident_id, ring_ms, answer_ms, "
                             "created_ms, taker_id) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, c->telephony_call_id) != SQLITE_OK ||
      sq_bind_text(st, 2, c->caller_number) != SQLITE_OK ||
      sq_bind_text(st, 3, c->caller_name) != SQLITE_OK ||
      sqlite3_bind_int(st, 4, c->has_location) != SQLITE_OK ||
      sqlite3_bind_double(st, 5, c->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 6, c->lon) != SQLITE_OK ||
      sqlite3_bind_double(st, 7, c->uncertainty_m) != SQLITE_OK ||
      sq_bind_text(st, 8, c->address) != SQLITE_OK || sq_bind_text(st, 9, c->county) != SQLITE_OK ||
      sq_bind_text(st, 10, c->type) != SQLITE_OK ||
      sqlite3_bind_int(st, 11, c->priority) != SQLITE_OK ||
      sq_bind_text(st, 12, c->narrative) != SQLITE_OK ||
      sqlite3_bind_int(st, 13, (int)c->outcome) != SQLITE_OK ||
      sq_bind_id(st, 14, c->incident_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 15, c->ring_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 16, c->answer_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 17, c->created_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 18, c->taker_id) != SQLITE_OK)
    return sq_bind_failed(k, st, "call_insert");
  enum store_rc rc = sq_run(k, st, false, "call_insert"); /* unknown incident: NOT_FOUND */
  if (rc == STORE_OK) c->id = sqlite3_last_insert_rowid(k->db);
  return rc;
}

enum store_rc sq_call_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct call *out) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_CALL_BY_ID, "SELECT " CALL_COLS " FROM calls WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(k, st, "call_by_id");
  return sq_fetch_one(k, st, "call_by_id", read_call, a, out);
}

/* NOT_FOUND for an unknown call, and (through the foreign key) an unknown incident.
 * incident_id 0 unlinks the call. */
enum store_rc sq_call_set_incident(struct store_tx *tx, int64_t call_id, int64_t incident_id) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(k, SQ_CALL_SET_INCIDENT, "UPDATE calls SET incident_id = ? WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_id(st, 1, incident_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, call_id) != SQLITE_OK)
    return sq_bind_failed(k, st, "call_set_incident");
  return sq_run(k, st, true, "call_set_incident");
}

/* Which filter fields are set; each combination has its own cached statement. */
enum {
  F_FROM = 1,
  F_TO = 2,
  F_COUNTY = 4,
  F_TYPE = 8,
  F_CALLER = 16,
  F_OUTCOME = 32,
  F_INCIDENT = 64,
};

/* A number's calls are found through calls_caller (migration 7), keyed by the call's
 * epoch (id >> 10) and then the number: one probe of the index per epoch, from the
 * newest the cursor allows down to the first, the matches then ordered. An incident's
 * calls are fewer still through calls_incident, which serves that filter instead. */
#define BY_EPOCH                                                                               \
  "WITH RECURSIVE epoch(k) AS ("                                                               \
  "SELECT (SELECT coalesce(max(id), 0) FROM calls WHERE id < ?1) >> 10 "                       \
  "UNION ALL SELECT k - 1 FROM epoch WHERE k > 0) "
#define FROM_EPOCHS " FROM epoch CROSS JOIN calls ON (id >> 10) = epoch.k AND caller_number = ?6"

static sqlite3_stmt *list_stmt(struct sq_conn *k, unsigned mask) {
  enum sq_stmt_id id = (enum sq_stmt_id)(SQ_CALL_LIST_FIRST + mask);
  if (k->stmt[id]) return k->stmt[id];
  bool by_epoch = (mask & F_CALLER) && !(mask & F_INCIDENT);
  /* Numbered parameters stay the same whatever the mask, so binding is uniform. */
  char sql[1024];
  snprintf(sql, sizeof sql,
           "%sSELECT " CALL_COLS "%s WHERE id < ?1%s%s%s%s%s%s%s ORDER BY id DESC LIMIT ?9",
           by_epoch ? BY_EPOCH : "", by_epoch ? FROM_EPOCHS : " FROM calls",
           (mask & F_FROM) ? " AND created_ms >= ?2" : "",
           (mask & F_TO) ? " AND created_ms < ?3" : "", (mask & F_COUNTY) ? " AND county = ?4" : "",
           (mask & F_TYPE) ? " AND type = ?5" : "",
           (mask & F_CALLER) && !by_epoch ? " AND caller_number = ?6" : "",
           (mask & F_OUTCOME) ? " AND outcome = ?7" : "",
           (mask & F_INCIDENT) ? " AND incident_id = ?8" : "");
  return sq_stmt(k, id, sql);
}

enum store_rc sq_call_list(struct store_tx *tx, const struct call_filter *f, struct arena *a,
                           struct call **out, size_t *n) {
  static const struct call_filter everything = {.outcome = -1};
  struct sq_conn *k = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  if (!f) f = &everything;
  unsigned mask = 0;
  if (f->from_ms) mask |= F_FROM;
  if (f->to_ms) mask |= F_TO;
  if (f->county) mask |= F_COUNTY;
  if (f->type) mask |= F_TYPE;
  if (f->caller_number) mask |= F_CALLER;
  if (f->outcome >= 0) mask |= F_OUTCOME;
  if (f->incident_id) mask |= F_INCIDENT;
  sqlite3_stmt *st = list_stmt(k, mask);
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, f->from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, f->to_ms) != SQLITE_OK ||
      sq_bind_text(st, 4, f->county) != SQLITE_OK || sq_bind_text(st, 5, f->type) != SQLITE_OK ||
      sq_bind_text(st, 6, f->caller_number) != SQLITE_OK ||
      sqlite3_bind_int(st, 7, f->outcome) != SQLITE_OK ||
      sqlite3_bind_int64(st, 8, f->incident_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 9, sq_limit(f->limit)) != SQLITE_OK)
    return sq_bind_failed(k, st, "call_list");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(k, st, "call_list", read_call, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
