/* sqlite_incidents.c — the incidents, incident_seq and timeline tables.
 *
 * Incident numbers ("1404-000123") are given out per Jalali year by incident_next_seq.
 * It runs on the single writer, and its upsert reads and bumps the year's counter in
 * one statement, so two writers never get the same number; a write that is rolled back
 * gives its number back, so numbers have no gaps.
 *
 * An incident's timeline is append-only: there is no update or delete for it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define INCIDENT_COLS                                                                         \
  "id, year, seq, type, priority, status, county, has_location, lat, lon, address, "        \
  "call_count, first_call_id, created_ms, answer_ms, dispatch_ms, en_route_ms, on_scene_ms, " \
  "cleared_ms, closed_ms, updated_ms, disposition"

_Static_assert(INC_PENDING == 0 && INC_DISPATCHED == 1 && INC_EN_ROUTE == 2 &&
                   INC_ON_SCENE == 3 && INC_CLEARED == 4 && INC_CLOSED == 5,
               "incident_list_open_since names the open states by number");

static enum store_rc read_incident(sqlite3_stmt *st, struct arena *a, void *out) {
  struct incident *i = out;
  memset(i, 0, sizeof *i);
  i->id = sqlite3_column_int64(st, 0);
  i->year = sqlite3_column_int(st, 1);
  i->seq = sqlite3_column_int64(st, 2);
  if (sq_col_str(st, 3, a, &i->type) != 0 || sq_col_str(st, 6, a, &i->county) != 0 ||
      sq_col_str(st, 10, a, &i->address) != 0 || sq_col_str(st, 21, a, &i->disposition) != 0)
    return sq_oom("reading an incident");
  i->priority = sqlite3_column_int(st, 4);
  i->status = (enum incident_status)sqlite3_column_int(st, 5);
  i->has_location = sqlite3_column_int(st, 7) != 0;
  i->lat = sqlite3_column_double(st, 8);
  i->lon = sqlite3_column_double(st, 9);
  i->call_count = sqlite3_column_int(st, 11);
  i->first_call_id = sqlite3_column_int64(st, 12);
  i->created_ms = sqlite3_column_int64(st, 13);
  i->answer_ms = sqlite3_column_int64(st, 14);
  i->dispatch_ms = sqlite3_column_int64(st, 15);
  i->en_route_ms = sqlite3_column_int64(st, 16);
  i->on_scene_ms = sqlite3_column_int64(st, 17);
  i->cleared_ms = sqlite3_column_int64(st, 18);
  i->closed_ms = sqlite3_column_int64(st, 19);
  i->updated_ms = sqlite3_column_int64(st, 20);
  return STORE_OK;
}

static enum store_rc read_int64(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int64_t *)out = sqlite3_column_int64(st, 0);
  return STORE_OK;
}

enum store_rc sq_incident_next_seq(struct store_tx *tx, int year, int64_t *seq) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_INCIDENT_NEXT_SEQ,
                             "INSERT INTO incident_seq (year, \"last\") VALUES (?, 1) "
                             "ON CONFLICT (year) DO UPDATE SET \"last\" = \"last\" + 1 "
                             "RETURNING \"last\"");
  if (!st) return STORE_HARD;
  *seq = 0;
  if (sqlite3_bind_int(st, 1, year) != SQLITE_OK) return sq_bind_failed(c, st, "incident_next_seq");
  return sq_fetch_one(c, st, "incident_next_seq", read_int64, NULL, seq);
}

/* Binds the fields insert and update share, as parameters first..first+17: type,
 * priority, status, county, has_location, lat, lon, address, call_count, answer_ms,
 * dispatch_ms, en_route_ms, on_scene_ms, cleared_ms, closed_ms, updated_ms,
 * disposition. */
static int bind_mutable(sqlite3_stmt *st, int first, const struct incident *in) {
  int i = first;
  if (sq_bind_text(st, i++, in->type) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, in->priority) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, (int)in->status) != SQLITE_OK ||
      sq_bind_text(st, i++, in->county) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, in->has_location) != SQLITE_OK ||
      sqlite3_bind_double(st, i++, in->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, i++, in->lon) != SQLITE_OK ||
      sq_bind_text(st, i++, in->address) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, in->call_count) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->answer_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->dispatch_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->en_route_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->on_scene_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->cleared_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->closed_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, in->updated_ms) != SQLITE_OK ||
      sq_bind_text(st, i++, in->disposition) != SQLITE_OK)
    return SQLITE_ERROR;
  return SQLITE_OK;
}

/* CONFLICT when (year, seq) is taken; NOT_FOUND when first_call_id names no call. */
enum store_rc sq_incident_insert(struct store_tx *tx, struct incident *i) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_INCIDENT_INSERT,
                             "INSERT INTO incidents (type, priority, status, county, "
                             "has_location, lat, lon, address, call_count, answer_ms, "
                             "dispatch_ms, en_route_ms, on_scene_ms, cleared_ms, closed_ms, "
                             "updated_ms, disposition, year, seq, first_call_id, created_ms) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?)");
  if (!st) return STORE_HARD;
  if (bind_mutable(st, 1, i) != SQLITE_OK || sqlite3_bind_int(st, 18, i->year) != SQLITE_OK ||
      sqlite3_bind_int64(st, 19, i->seq) != SQLITE_OK ||
      sq_bind_id(st, 20, i->first_call_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 21, i->created_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "incident_insert");
  enum store_rc rc = sq_run(c, st, false, "incident_insert");
  if (rc == STORE_OK) i->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_incident_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                struct incident *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_INCIDENT_BY_ID, "SELECT " INCIDENT_COLS " FROM incidents WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(c, st, "incident_by_id");
  return sq_fetch_one(c, st, "incident_by_id", read_incident, a, out);
}

/* year, seq, first_call_id and created_ms are fixed at creation. */
enum store_rc sq_incident_update(struct store_tx *tx, const struct incident *i) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_INCIDENT_UPDATE,
                             "UPDATE incidents SET type = ?, priority = ?, status = ?, "
                             "county = ?, has_location = ?, lat = ?, lon = ?, address = ?, "
                             "call_count = ?, answer_ms = ?, dispatch_ms = ?, en_route_ms = ?, "
                             "on_scene_ms = ?, cleared_ms = ?, closed_ms = ?, updated_ms = ?, "
                             "disposition = ? WHERE id = ?");
  if (!st) return STORE_HARD;
  if (bind_mutable(st, 1, i) != SQLITE_OK || sqlite3_bind_int64(st, 18, i->id) != SQLITE_OK)
    return sq_bind_failed(c, st, "incident_update");
  return sq_run(c, st, true, "incident_update");
}

/* Which filter fields are set; each combination has its own cached statement. */
enum {
  F_STATUS = 1,
  F_COUNTY = 2,
  F_TYPE = 4,
  F_PRIORITY = 8,
  F_FROM = 16,
  F_TO = 32,
};

static sqlite3_stmt *list_stmt(struct sq_conn *c, unsigned mask) {
  enum sq_stmt_id id = (enum sq_stmt_id)(SQ_INCIDENT_LIST_FIRST + mask);
  if (c->stmt[id]) return c->stmt[id];
  char sql[768];
  snprintf(sql, sizeof sql,
           "SELECT " INCIDENT_COLS " FROM incidents WHERE id < ?1%s%s%s%s%s%s "
           "ORDER BY id DESC LIMIT ?8",
           (mask & F_STATUS) ? " AND ((1 << status) & ?2) != 0" : "",
           (mask & F_COUNTY) ? " AND county = ?3" : "", (mask & F_TYPE) ? " AND type = ?4" : "",
           (mask & F_PRIORITY) ? " AND priority = ?5" : "",
           (mask & F_FROM) ? " AND created_ms >= ?6" : "",
           (mask & F_TO) ? " AND created_ms < ?7" : "");
  return sq_stmt(c, id, sql);
}

enum store_rc sq_incident_list(struct store_tx *tx, const struct incident_filter *f,
                               struct arena *a, struct incident **out, size_t *n) {
  static const struct incident_filter everything = {0};
  struct sq_conn *c = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  if (!f) f = &everything;
  unsigned mask = 0;
  if (f->status_mask) mask |= F_STATUS;
  if (f->county) mask |= F_COUNTY;
  if (f->type) mask |= F_TYPE;
  if (f->priority) mask |= F_PRIORITY;
  if (f->from_ms) mask |= F_FROM;
  if (f->to_ms) mask |= F_TO;
  sqlite3_stmt *st = list_stmt(c, mask);
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, (int64_t)f->status_mask) != SQLITE_OK ||
      sq_bind_text(st, 3, f->county) != SQLITE_OK || sq_bind_text(st, 4, f->type) != SQLITE_OK ||
      sqlite3_bind_int(st, 5, f->priority) != SQLITE_OK ||
      sqlite3_bind_int64(st, 6, f->from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 7, f->to_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 8, sq_limit(f->limit)) != SQLITE_OK)
    return sq_bind_failed(c, st, "incident_list");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "incident_list", read_incident, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

static int latest_update_first(const void *x, const void *y) {
  const struct incident *a = x, *b = y;
  if (a->updated_ms != b->updated_ms) return a->updated_ms < b->updated_ms ? 1 : -1;
  return a->id < b->id ? 1 : a->id > b->id ? -1 : 0;
}

/* Open means pending, dispatched, en route or on scene (not cleared, not closed). The
 * duplicate search of new calls reads this (http/repeats.c), so each state's time
 * range is read straight off the incidents_status_updated index and the few rows are
 * ordered here: an IN list and an ORDER BY would have SQLite build two temporary
 * b-trees every time. */
#define OPEN_IN(status) "SELECT " INCIDENT_COLS " FROM incidents WHERE status = " #status " AND updated_ms >= ?1"

enum store_rc sq_incident_list_open_since(struct store_tx *tx, int64_t since_ms, struct arena *a,
                                          struct incident **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_INCIDENT_LIST_OPEN_SINCE,
                             OPEN_IN(0) " UNION ALL " OPEN_IN(1) " UNION ALL " OPEN_IN(2) " UNION ALL " OPEN_IN(3));
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, since_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "incident_list_open_since");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "incident_list_open_since", read_incident, a, sizeof **out, &arr, n);
  *out = arr;
  if (rc == STORE_OK && *n > 1) qsort(*out, *n, sizeof **out, latest_update_first);
  return rc;
}

/* ---- timelines ------------------------------------------------------------------ */

static enum store_rc read_line(sqlite3_stmt *st, struct arena *a, void *out) {
  struct timeline_entry *e = out;
  memset(e, 0, sizeof *e);
  e->id = sqlite3_column_int64(st, 0);
  e->incident_id = sqlite3_column_int64(st, 1);
  e->time_ms = sqlite3_column_int64(st, 2);
  e->actor_id = sqlite3_column_int64(st, 3);
  if (sq_col_str0(st, 4, a, &e->actor) != 0 || sq_col_str0(st, 5, a, &e->kind) != 0 ||
      sq_col_str0(st, 6, a, &e->text) != 0 || sq_col_str0(st, 7, a, &e->data) != 0)
    return sq_oom("reading a timeline entry");
  return STORE_OK;
}

/* Like an event, a line with no text or data stores "" and "{}"; an unknown incident
 * is NOT_FOUND (foreign key). */
enum store_rc sq_timeline_append(struct store_tx *tx, struct timeline_entry *e) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_TIMELINE_APPEND,
                             "INSERT INTO timeline (incident_id, time_ms, actor_id, actor, kind, "
                             "text, data) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, e->incident_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, e->time_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, e->actor_id) != SQLITE_OK ||
      sq_bind_text(st, 4, e->actor ? e->actor : "") != SQLITE_OK ||
      sq_bind_text(st, 5, e->kind) != SQLITE_OK ||
      sq_bind_text(st, 6, e->text ? e->text : "") != SQLITE_OK ||
      sq_bind_text(st, 7, e->data ? e->data : "{}") != SQLITE_OK)
    return sq_bind_failed(c, st, "timeline_append");
  enum store_rc rc = sq_run(c, st, false, "timeline_append");
  if (rc == STORE_OK) e->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

/* Oldest first, in the order the lines were appended. */
enum store_rc sq_timeline_list(struct store_tx *tx, int64_t incident_id, struct arena *a,
                               struct timeline_entry **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_TIMELINE_LIST,
                             "SELECT id, incident_id, time_ms, actor_id, actor, kind, text, data "
                             "FROM timeline WHERE incident_id = ? ORDER BY id");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, incident_id) != SQLITE_OK)
    return sq_bind_failed(c, st, "timeline_list");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "timeline_list", read_line, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
