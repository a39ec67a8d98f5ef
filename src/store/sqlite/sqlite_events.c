/* sqlite_events.c — the events table: every state change, streamed to consoles (SSE).
 *
 * Ids come from the single writer in commit order, so a client that resumes after
 * its Last-Event-ID misses nothing. event_append records the highest id of the batch
 * so that the writer can pass it to the commit hook. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

static enum store_rc read_event(sqlite3_stmt *st, struct arena *a, void *out) {
  struct event *ev = out;
  memset(ev, 0, sizeof *ev);
  ev->id = sqlite3_column_int64(st, 0);
  ev->time_ms = sqlite3_column_int64(st, 1);
  if (sq_col_str0(st, 2, a, &ev->type) != 0 || sq_col_str0(st, 3, a, &ev->subject) != 0 ||
      sq_col_str0(st, 4, a, &ev->payload) != 0)
    return sq_oom("reading an event");
  ev->audience = (role_set)sqlite3_column_int64(st, 5);
  return STORE_OK;
}

enum store_rc sq_event_append(struct store_tx *tx, struct event *ev) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_EVENT_INSERT,
                             "INSERT INTO events (time_ms, type, subject, payload, audience) "
                             "VALUES (?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, ev->time_ms) != SQLITE_OK ||
      sq_bind_text(st, 2, ev->type) != SQLITE_OK ||
      sq_bind_text(st, 3, ev->subject ? ev->subject : "") != SQLITE_OK ||
      sq_bind_text(st, 4, ev->payload ? ev->payload : "{}") != SQLITE_OK ||
      sqlite3_bind_int64(st, 5, ev->audience) != SQLITE_OK)
    return sq_bind_failed(c, st, "event_append");
  enum store_rc rc = sq_run(c, st, false, "event_append");
  if (rc == STORE_OK) {
    ev->id = sqlite3_last_insert_rowid(c->db);
    if (ev->id > c->event_max) c->event_max = ev->id;
  }
  return rc;
}

enum store_rc sq_event_list_after(struct store_tx *tx, int64_t after_id, role_set audience,
                                  size_t limit, struct arena *a, struct event **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_EVENT_LIST_AFTER,
                             "SELECT id, time_ms, type, subject, payload, audience FROM events "
                             "WHERE id > ? AND (audience & ?) != 0 ORDER BY id LIMIT ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, after_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, audience) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, sq_limit(limit)) != SQLITE_OK)
    return sq_bind_failed(c, st, "event_list_after");
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(c, st, "event_list_after", read_event, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

static enum store_rc read_id(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int64_t *)out = sqlite3_column_int64(st, 0);
  return STORE_OK;
}

enum store_rc sq_event_last_id(struct store_tx *tx, int64_t *id) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_EVENT_LAST_ID, "SELECT coalesce(max(id), 0) FROM events");
  if (!st) return STORE_HARD;
  *id = 0;
  return sq_fetch_one(c, st, "event_last_id", read_id, NULL, id);
}
