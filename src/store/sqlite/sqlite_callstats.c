/* sqlite_callstats.c — the rows the call-handling figures are computed from: each
 * call-taker call of a period with its own ring and answer times and its incident's
 * dispatch, on-scene and clear times. The figures themselves (percentiles, NENA
 * compliance, by hour and county) are computed in core from these rows: statistics come
 * from records, never from stored totals. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

static enum store_rc read_timing(sqlite3_stmt *st, struct arena *a, void *out) {
  struct call_timing *t = out;
  memset(t, 0, sizeof *t);
  t->call_id = sqlite3_column_int64(st, 0);
  t->incident_id = sqlite3_column_int64(st, 1);
  t->priority = sqlite3_column_int(st, 2);
  if (sq_col_str(st, 3, a, &t->county) != 0) return sq_oom("reading a call timing");
  t->outcome = (enum call_outcome)sqlite3_column_int(st, 4);
  t->ring_ms = sqlite3_column_int64(st, 5);
  t->answer_ms = sqlite3_column_int64(st, 6);
  t->dispatch_ms = sqlite3_column_int64(st, 7); /* NULL (no incident) reads as 0 */
  t->on_scene_ms = sqlite3_column_int64(st, 8);
  t->cleared_ms = sqlite3_column_int64(st, 9);
  t->first_call = sqlite3_column_int(st, 10) != 0;
  return STORE_OK;
}

/* Oldest first. to_ms 0 leaves the period open at the end. */
enum store_rc sq_call_timing_list(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                  struct arena *a, struct call_timing **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_CALL_TIMING_LIST,
                             "SELECT c.id, c.incident_id, c.priority, c.county, c.outcome, "
                             "c.ring_ms, c.answer_ms, i.dispatch_ms, i.on_scene_ms, "
                             "i.cleared_ms, coalesce(i.first_call_id = c.id, 0) "
                             "FROM calls c LEFT JOIN incidents i ON i.id = c.incident_id "
                             "WHERE c.created_ms >= ? AND c.created_ms < ? "
                             "ORDER BY c.created_ms, c.id");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, to_ms ? to_ms : INT64_MAX) != SQLITE_OK)
    return sq_bind_failed(c, st, "call_timing_list");
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(c, st, "call_timing_list", read_timing, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
