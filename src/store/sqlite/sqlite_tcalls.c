/* sqlite_tcalls.c — the telephony_calls table: the phone system's view of each call
 * (ring, answer, hang-up or abandon, with the caller's number and location), found by
 * the phone system's own call id. A row waits in the "open" list until a call-taker's
 * call is made from it; abandoned rows count in the figures. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define TCALL_COLS                                                                          \
  "id, ext_id, ani, has_location, lat, lon, uncertainty_m, location_source, state, "       \
  "ring_ms, answer_ms, end_ms, call_id, received_ms"

_Static_assert(TCALL_RINGING == 0 && TCALL_ANSWERED == 1 && TCALL_ABANDONED == 3,
               "the SQL below and the partial indexes of migration 2 name states by number");

static enum store_rc read_tcall(sqlite3_stmt *st, struct arena *a, void *out) {
  struct telephony_call *t = out;
  memset(t, 0, sizeof *t);
  t->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &t->ext_id) != 0 || sq_col_str(st, 2, a, &t->ani) != 0 ||
      sq_col_str(st, 7, a, &t->location_source) != 0)
    return sq_oom("reading a telephony call");
  t->has_location = sqlite3_column_int(st, 3) != 0;
  t->lat = sqlite3_column_double(st, 4);
  t->lon = sqlite3_column_double(st, 5);
  t->uncertainty_m = sqlite3_column_double(st, 6);
  t->state = (enum tcall_state)sqlite3_column_int(st, 8);
  t->ring_ms = sqlite3_column_int64(st, 9);
  t->answer_ms = sqlite3_column_int64(st, 10);
  t->end_ms = sqlite3_column_int64(st, 11);
  t->call_id = sqlite3_column_int64(st, 12);
  t->received_ms = sqlite3_column_int64(st, 13);
  return STORE_OK;
}

/* Binds the fields insert and update share, as parameters first..first+10:
 * ani, has_location, lat, lon, uncertainty_m, location_source, state, ring_ms,
 * answer_ms, end_ms, call_id. */
static int bind_tcall(sqlite3_stmt *st, int first, const struct telephony_call *t) {
  int i = first;
  if (sq_bind_text(st, i++, t->ani) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, t->has_location) != SQLITE_OK ||
      sqlite3_bind_double(st, i++, t->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, i++, t->lon) != SQLITE_OK ||
      sqlite3_bind_double(st, i++, t->uncertainty_m) != SQLITE_OK ||
      sq_bind_text(st, i++, t->location_source) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, (int)t->state) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, t->ring_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, t->answer_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, t->end_ms) != SQLITE_OK ||
      sq_bind_id(st, i++, t->call_id) != SQLITE_OK)
    return SQLITE_ERROR;
  return SQLITE_OK;
}

enum store_rc sq_tcall_insert(struct store_tx *tx, struct telephony_call *t) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_TCALL_INSERT,
                             "INSERT INTO telephony_calls (ext_id, ani, has_location, lat, lon, "
                             "uncertainty_m, location_source, state, ring_ms, answer_ms, end_ms, "
                             "call_id, received_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, t->ext_id) != SQLITE_OK || bind_tcall(st, 2, t) != SQLITE_OK ||
      sqlite3_bind_int64(st, 13, t->received_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "tcall_insert");
  enum store_rc rc = sq_run(c, st, false, "tcall_insert"); /* ext_id taken: CONFLICT */
  if (rc == STORE_OK) t->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_tcall_by_ext(struct store_tx *tx, const char *ext_id, struct arena *a,
                              struct telephony_call *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_TCALL_BY_EXT, "SELECT " TCALL_COLS " FROM telephony_calls WHERE ext_id = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, ext_id) != SQLITE_OK) return sq_bind_failed(c, st, "tcall_by_ext");
  return sq_fetch_one(c, st, "tcall_by_ext", read_tcall, a, out);
}

/* Every field but ext_id, which is how the phone system names the call, and
 * received_ms, when hamyar first heard of it. */
enum store_rc sq_tcall_update(struct store_tx *tx, const struct telephony_call *t) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_TCALL_UPDATE,
                             "UPDATE telephony_calls SET ani = ?, has_location = ?, lat = ?, "
                             "lon = ?, uncertainty_m = ?, location_source = ?, state = ?, "
                             "ring_ms = ?, answer_ms = ?, end_ms = ?, call_id = ? WHERE id = ?");
  if (!st) return STORE_HARD;
  if (bind_tcall(st, 1, t) != SQLITE_OK || sqlite3_bind_int64(st, 12, t->id) != SQLITE_OK)
    return sq_bind_failed(c, st, "tcall_update");
  return sq_run(c, st, true, "tcall_update");
}

enum store_rc sq_tcall_list_open(struct store_tx *tx, struct arena *a, struct telephony_call **out,
                                 size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  /* The WHERE clause is the telephony_calls_open index's, word for word. */
  sqlite3_stmt *st = sq_stmt(c, SQ_TCALL_LIST_OPEN,
                             "SELECT " TCALL_COLS " FROM telephony_calls "
                             "WHERE state IN (0, 1) AND call_id IS NULL ORDER BY ring_ms, id");
  if (!st) return STORE_HARD;
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "tcall_list_open", read_tcall, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

static enum store_rc read_count(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int64_t *)out = sqlite3_column_int64(st, 0);
  return STORE_OK;
}

enum store_rc sq_tcall_count_abandoned(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                       int64_t *count) {
  struct sq_conn *c = sq_conn_of(tx);
  /* The WHERE clause starts with the telephony_calls_abandoned index's. */
  sqlite3_stmt *st = sq_stmt(c, SQ_TCALL_COUNT_ABANDONED,
                             "SELECT count(*) FROM telephony_calls "
                             "WHERE state = 3 AND ring_ms >= ? AND ring_ms < ?");
  if (!st) return STORE_HARD;
  *count = 0;
  if (sqlite3_bind_int64(st, 1, from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, to_ms ? to_ms : INT64_MAX) != SQLITE_OK)
    return sq_bind_failed(c, st, "tcall_count_abandoned");
  return sq_fetch_one(c, st, "tcall_count_abandoned", read_count, NULL, count);
}
