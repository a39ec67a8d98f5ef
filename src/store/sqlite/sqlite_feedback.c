/* sqlite_feedback.c — the 197 desk's feedback, feedback_seq and feedback_entries
 * tables (store_feedback.h; the schema is migration 5).
 *
 * Contact numbers ("1404-000123") are given out per Jalali year by feedback_next_seq,
 * as incident numbers are: one upsert on the single writer reads and bumps the year's
 * counter, so two writes never get one number, and a rolled-back write gives its
 * number back.
 *
 * feedback_list prepares its statement on each call instead of caching one per
 * combination of filter fields as call_list does: the filter has fourteen fields, and
 * 16,384 statement slots on every connection would cost more memory than the
 * preparation (tens of microseconds) costs time on a list a person asked for. Every
 * value from the caller is still a bound parameter; only the status mask is written
 * into the SQL, as an IN list of small integers computed from its bits, so that the
 * feedback_status_due index can serve it.
 *
 * A contact's timeline is append-only: there is no update or delete for it. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define FEEDBACK_COLS                                                                         \
  "id, year, seq, code_hash, channel, kind, category, citizen_name, citizen_phone, "        \
  "citizen_national_id, county, station, unit, officer, officer_name, text, has_location, " \
  "lat, lon, address, suggested_kind, suggested_category, classification_confirmed, "      \
  "status, outcome, assigned_to, received_ms, due_ms, assigned_ms, answered_ms, closed_ms, " \
  "updated_ms, created_by"

_Static_assert(FB_RECEIVED == 0 && FB_ASSIGNED == 1 && FB_UNDER_REVIEW == 2,
               "the overdue filter names the unanswered states by number");
_Static_assert(FB_WEB == 1 && FB_OPEN311 == 4, "the public filter names its channels by number");

static enum store_rc read_feedback(sqlite3_stmt *st, struct arena *a, void *out) {
  struct feedback *f = out;
  memset(f, 0, sizeof *f);
  f->id = sqlite3_column_int64(st, 0);
  f->year = sqlite3_column_int(st, 1);
  f->seq = sqlite3_column_int64(st, 2);
  sq_col_hash(st, 3, f->code_hash);
  f->channel = (enum fb_channel)sqlite3_column_int(st, 4);
  f->kind = (enum fb_kind)sqlite3_column_int(st, 5);
  if (sq_col_str(st, 6, a, &f->category) != 0 || sq_col_str(st, 7, a, &f->citizen_name) != 0 ||
      sq_col_str(st, 8, a, &f->citizen_phone) != 0 ||
      sq_col_str(st, 9, a, &f->citizen_national_id) != 0 ||
      sq_col_str(st, 10, a, &f->county) != 0 || sq_col_str(st, 11, a, &f->station) != 0 ||
      sq_col_str(st, 12, a, &f->unit) != 0 || sq_col_str(st, 13, a, &f->officer) != 0 ||
      sq_col_str(st, 14, a, &f->officer_name) != 0 || sq_col_str0(st, 15, a, &f->text) != 0 ||
      sq_col_str(st, 19, a, &f->address) != 0 ||
      sq_col_str(st, 21, a, &f->suggested_category) != 0)
    return sq_oom("reading a 197 contact");
  f->has_location = sqlite3_column_int(st, 16) != 0;
  f->lat = sqlite3_column_double(st, 17);
  f->lon = sqlite3_column_double(st, 18);
  f->suggested_kind = (enum fb_kind)sqlite3_column_int(st, 20);
  f->classification_confirmed = sqlite3_column_int(st, 22) != 0;
  f->status = (enum fb_status)sqlite3_column_int(st, 23);
  f->outcome = (enum fb_outcome)sqlite3_column_int(st, 24);
  f->assigned_to = sqlite3_column_int64(st, 25);
  f->received_ms = sqlite3_column_int64(st, 26);
  f->due_ms = sqlite3_column_int64(st, 27);
  f->assigned_ms = sqlite3_column_int64(st, 28);
  f->answered_ms = sqlite3_column_int64(st, 29);
  f->closed_ms = sqlite3_column_int64(st, 30);
  f->updated_ms = sqlite3_column_int64(st, 31);
  f->created_by = sqlite3_column_int64(st, 32);
  return STORE_OK;
}

static enum store_rc read_int64(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int64_t *)out = sqlite3_column_int64(st, 0);
  return STORE_OK;
}

enum store_rc sq_feedback_next_seq(struct store_tx *tx, int year, int64_t *seq) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_NEXT_SEQ,
                             "INSERT INTO feedback_seq (year, \"last\") VALUES (?, 1) "
                             "ON CONFLICT (year) DO UPDATE SET \"last\" = \"last\" + 1 "
                             "RETURNING \"last\"");
  if (!st) return STORE_HARD;
  *seq = 0;
  if (sqlite3_bind_int(st, 1, year) != SQLITE_OK) return sq_bind_failed(c, st, "feedback_next_seq");
  return sq_fetch_one(c, st, "feedback_next_seq", read_int64, NULL, seq);
}

/* Binds the mutable fields, the ones insert and update share, as parameters
 * first..first+15: kind, category, classification_confirmed, county, station, unit,
 * officer, officer_name, status, outcome, assigned_to, due_ms, assigned_ms,
 * answered_ms, closed_ms, updated_ms. */
#define MUTABLE_COLS                                                                        \
  "kind, category, classification_confirmed, county, station, unit, officer, officer_name, " \
  "status, outcome, assigned_to, due_ms, assigned_ms, answered_ms, closed_ms, updated_ms"

static int bind_mutable(sqlite3_stmt *st, int first, const struct feedback *f) {
  int i = first;
  if (sqlite3_bind_int(st, i++, (int)f->kind) != SQLITE_OK ||
      sq_bind_text(st, i++, f->category) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, f->classification_confirmed) != SQLITE_OK ||
      sq_bind_text(st, i++, f->county) != SQLITE_OK ||
      sq_bind_text(st, i++, f->station) != SQLITE_OK ||
      sq_bind_text(st, i++, f->unit) != SQLITE_OK ||
      sq_bind_text(st, i++, f->officer) != SQLITE_OK ||
      sq_bind_text(st, i++, f->officer_name) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, (int)f->status) != SQLITE_OK ||
      sqlite3_bind_int(st, i++, (int)f->outcome) != SQLITE_OK ||
      sq_bind_id(st, i++, f->assigned_to) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, f->due_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, f->assigned_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, f->answered_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, f->closed_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, i++, f->updated_ms) != SQLITE_OK)
    return SQLITE_ERROR;
  return SQLITE_OK;
}

/* CONFLICT when (year, seq) or the code's hash is taken; NOT_FOUND when the county,
 * station or assigned user does not exist. A NULL text is stored as "". */
enum store_rc sq_feedback_insert(struct store_tx *tx, struct feedback *f) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_INSERT,
                             "INSERT INTO feedback (" MUTABLE_COLS ", year, seq, code_hash, "
                             "channel, citizen_name, citizen_phone, citizen_national_id, text, "
                             "has_location, lat, lon, address, suggested_kind, "
                             "suggested_category, received_ms, created_by) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (bind_mutable(st, 1, f) != SQLITE_OK || sqlite3_bind_int(st, 17, f->year) != SQLITE_OK ||
      sqlite3_bind_int64(st, 18, f->seq) != SQLITE_OK ||
      sq_bind_hash(st, 19, f->code_hash) != SQLITE_OK ||
      sqlite3_bind_int(st, 20, (int)f->channel) != SQLITE_OK ||
      sq_bind_text(st, 21, f->citizen_name) != SQLITE_OK ||
      sq_bind_text(st, 22, f->citizen_phone) != SQLITE_OK ||
      sq_bind_text(st, 23, f->citizen_national_id) != SQLITE_OK ||
      sq_bind_text(st, 24, f->text ? f->text : "") != SQLITE_OK ||
      sqlite3_bind_int(st, 25, f->has_location) != SQLITE_OK ||
      sqlite3_bind_double(st, 26, f->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 27, f->lon) != SQLITE_OK ||
      sq_bind_text(st, 28, f->address) != SQLITE_OK ||
      sqlite3_bind_int(st, 29, (int)f->suggested_kind) != SQLITE_OK ||
      sq_bind_text(st, 30, f->suggested_category) != SQLITE_OK ||
      sqlite3_bind_int64(st, 31, f->received_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 32, f->created_by) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_insert");
  enum store_rc rc = sq_run(c, st, false, "feedback_insert");
  if (rc == STORE_OK) f->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

enum store_rc sq_feedback_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                struct feedback *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_FEEDBACK_BY_ID, "SELECT " FEEDBACK_COLS " FROM feedback WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(c, st, "feedback_by_id");
  return sq_fetch_one(c, st, "feedback_by_id", read_feedback, a, out);
}

enum store_rc sq_feedback_by_code(struct store_tx *tx, const uint8_t code_hash[32],
                                  struct arena *a, struct feedback *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_BY_CODE,
                             "SELECT " FEEDBACK_COLS " FROM feedback WHERE code_hash = ?");
  if (!st) return STORE_HARD;
  if (sq_bind_hash(st, 1, code_hash) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_by_code");
  return sq_fetch_one(c, st, "feedback_by_code", read_feedback, a, out);
}

enum store_rc sq_feedback_by_number(struct store_tx *tx, int year, int64_t seq, struct arena *a,
                                    struct feedback *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_BY_NUMBER,
                             "SELECT " FEEDBACK_COLS " FROM feedback WHERE year = ? AND seq = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int(st, 1, year) != SQLITE_OK || sqlite3_bind_int64(st, 2, seq) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_by_number");
  return sq_fetch_one(c, st, "feedback_by_number", read_feedback, a, out);
}

/* year, seq, code_hash, channel, the citizen, text, place, the classifier's suggestion,
 * received_ms and created_by are fixed at receipt. */
enum store_rc sq_feedback_update(struct store_tx *tx, const struct feedback *f) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_UPDATE,
                             "UPDATE feedback SET kind = ?, category = ?, "
                             "classification_confirmed = ?, county = ?, station = ?, unit = ?, "
                             "officer = ?, officer_name = ?, status = ?, outcome = ?, "
                             "assigned_to = ?, due_ms = ?, assigned_ms = ?, answered_ms = ?, "
                             "closed_ms = ?, updated_ms = ? WHERE id = ?");
  if (!st) return STORE_HARD;
  if (bind_mutable(st, 1, f) != SQLITE_OK || sqlite3_bind_int64(st, 17, f->id) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_update");
  return sq_run(c, st, true, "feedback_update");
}

/* ---- lists -------------------------------------------------------------------------- */

/* The list's SQL for the fields of f that are set. Parameters keep their numbers
 * whatever is set (?1 cursor, ?2 kind, ?3 channel, ?4 category, ?5 county, ?6 station,
 * ?7 officer, ?8 assigned_to, ?9 overdue_at, ?10-?11 received window, ?12-?13 updated
 * window, ?14 limit), so binding is the same for every statement. */
static void list_sql(const struct feedback_filter *f, char *sql, size_t len) {
  char status[64] = "";
  if (f->status_mask) {
    size_t used = (size_t)snprintf(status, sizeof status, " AND status IN (");
    int listed = 0;
    for (int s = 0; s < FB_STATUS__COUNT; s++)
      if (f->status_mask & (1u << s))
        used += (size_t)snprintf(status + used, sizeof status - used, "%s%d", listed++ ? ", " : "", s);
    /* bits of no status match nothing, as they would bit by bit */
    snprintf(status + used, sizeof status - used, "%s)", listed ? "" : "NULL");
  }
  snprintf(sql, len,
           "SELECT " FEEDBACK_COLS " FROM feedback WHERE id < ?1%s%s%s%s%s%s%s%s%s%s%s%s%s%s "
           "ORDER BY id DESC LIMIT ?14",
           status, f->kind >= 0 ? " AND kind = ?2" : "",
           f->channel >= 0 ? " AND channel = ?3" : "", f->category ? " AND category = ?4" : "",
           f->county ? " AND county = ?5" : "", f->station ? " AND station = ?6" : "",
           f->officer ? " AND officer = ?7" : "", f->assigned_to ? " AND assigned_to = ?8" : "",
           f->overdue_at ? " AND status IN (0, 1, 2) AND due_ms < ?9" : "",
           f->public_only ? " AND channel IN (1, 4)" : "",
           f->from_ms ? " AND received_ms >= ?10" : "", f->to_ms ? " AND received_ms < ?11" : "",
           f->updated_from_ms ? " AND updated_ms >= ?12" : "",
           f->updated_to_ms ? " AND updated_ms < ?13" : "");
}

enum store_rc sq_feedback_list(struct store_tx *tx, const struct feedback_filter *f,
                               struct arena *a, struct feedback **out, size_t *n) {
  static const struct feedback_filter everything = {.kind = -1, .channel = -1};
  struct sq_conn *c = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  if (!f) f = &everything;
  char sql[2048];
  list_sql(f, sql, sizeof sql);
  sqlite3_stmt *st = NULL;
  int prc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);
  if (prc != SQLITE_OK) {
    sqlite3_finalize(st);
    return sq_fail(c, prc, "feedback_list (prepare)");
  }
  enum store_rc rc;
  if (sqlite3_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX) != SQLITE_OK ||
      sqlite3_bind_int(st, 2, f->kind) != SQLITE_OK ||
      sqlite3_bind_int(st, 3, f->channel) != SQLITE_OK ||
      sq_bind_text(st, 4, f->category) != SQLITE_OK || sq_bind_text(st, 5, f->county) != SQLITE_OK ||
      sq_bind_text(st, 6, f->station) != SQLITE_OK || sq_bind_text(st, 7, f->officer) != SQLITE_OK ||
      sqlite3_bind_int64(st, 8, f->assigned_to) != SQLITE_OK ||
      sqlite3_bind_int64(st, 9, f->overdue_at) != SQLITE_OK ||
      sqlite3_bind_int64(st, 10, f->from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 11, f->to_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 12, f->updated_from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 13, f->updated_to_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 14, sq_limit(f->limit)) != SQLITE_OK) {
    rc = sq_bind_failed(c, st, "feedback_list");
  } else {
    void *arr = NULL;
    rc = sq_fetch_all(c, st, "feedback_list", read_feedback, a, sizeof **out, &arr, n);
    *out = arr;
  }
  sqlite3_finalize(st);
  return rc;
}

/* Oldest first by receipt (id breaks ties), over feedback_received. */
enum store_rc sq_feedback_list_period(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                      struct arena *a, struct feedback **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_LIST_PERIOD,
                             "SELECT " FEEDBACK_COLS " FROM feedback "
                             "WHERE received_ms >= ? AND received_ms < ? "
                             "ORDER BY received_ms, id");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, to_ms ? to_ms : INT64_MAX) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_list_period");
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(c, st, "feedback_list_period", read_feedback, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

/* ---- timelines ------------------------------------------------------------------------ */

static enum store_rc read_entry(sqlite3_stmt *st, struct arena *a, void *out) {
  struct feedback_entry *e = out;
  memset(e, 0, sizeof *e);
  e->id = sqlite3_column_int64(st, 0);
  e->feedback_id = sqlite3_column_int64(st, 1);
  e->time_ms = sqlite3_column_int64(st, 2);
  e->actor_id = sqlite3_column_int64(st, 3);
  e->for_citizen = sqlite3_column_int(st, 6) != 0;
  if (sq_col_str0(st, 4, a, &e->actor) != 0 || sq_col_str0(st, 5, a, &e->kind) != 0 ||
      sq_col_str0(st, 7, a, &e->text) != 0 || sq_col_str0(st, 8, a, &e->data) != 0)
    return sq_oom("reading a 197 timeline line");
  return STORE_OK;
}

/* A line with no text or data stores "" and "{}"; an unknown contact is NOT_FOUND
 * (foreign key). */
enum store_rc sq_feedback_entry_append(struct store_tx *tx, struct feedback_entry *e) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_ENTRY_APPEND,
                             "INSERT INTO feedback_entries (feedback_id, time_ms, actor_id, actor, "
                             "kind, for_citizen, text, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, e->feedback_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, e->time_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, e->actor_id) != SQLITE_OK ||
      sq_bind_text(st, 4, e->actor ? e->actor : "") != SQLITE_OK ||
      sq_bind_text(st, 5, e->kind) != SQLITE_OK ||
      sqlite3_bind_int(st, 6, e->for_citizen) != SQLITE_OK ||
      sq_bind_text(st, 7, e->text ? e->text : "") != SQLITE_OK ||
      sq_bind_text(st, 8, e->data ? e->data : "{}") != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_entry_append");
  enum store_rc rc = sq_run(c, st, false, "feedback_entry_append");
  if (rc == STORE_OK) e->id = sqlite3_last_insert_rowid(c->db);
  return rc;
}

/* Oldest first, in the order the lines were appended; citizen_only leaves out the
 * internal lines in SQL, so they never reach a public page's memory. */
enum store_rc sq_feedback_entry_list(struct store_tx *tx, int64_t feedback_id, bool citizen_only,
                                     struct arena *a, struct feedback_entry **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  sqlite3_stmt *st = sq_stmt(c, SQ_FEEDBACK_ENTRY_LIST,
                             "SELECT id, feedback_id, time_ms, actor_id, actor, kind, for_citizen, "
                             "text, data FROM feedback_entries "
                             "WHERE feedback_id = ?1 AND (?2 = 0 OR for_citizen != 0) ORDER BY id");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, feedback_id) != SQLITE_OK ||
      sqlite3_bind_int(st, 2, citizen_only) != SQLITE_OK)
    return sq_bind_failed(c, st, "feedback_entry_list");
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(c, st, "feedback_entry_list", read_entry, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
