/* sqlite_audit.c — the audit table: an append-only, hash-chained log (core/audit.h).
 *
 * audit_append runs on the writer, so "read the last row, then insert the next" cannot
 * interleave with another append: ids are dense and each row's prev_hash is the hash of
 * the row before it. Within one batch the writer remembers the row it appended last
 * (sq_conn.audit_known), so only a batch's first append reads it back. NULL strings are
 * stored the way audit_canonical() reads them ("" and "{}"), so that the stored row
 * hashes to the stored hash. Searches go through audit_search, a copy of the searched
 * columns that carries their indexes (below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/audit.h"
#include "store/sqlite/sqlite_int.h"

#define AUDIT_COLS                                                                         \
  "id, time_ms, actor_id, actor, action, subject, detail, ip, request_id, prev_hash, hash"

static const char *nz(const char *s) { return s ? s : ""; }

static enum store_rc read_audit(sqlite3_stmt *st, struct arena *a, void *out) {
  struct audit_row *r = out;
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  r->time_ms = sqlite3_column_int64(st, 1);
  r->actor_id = sqlite3_column_int64(st, 2);
  if (sq_col_str0(st, 3, a, &r->actor) != 0 || sq_col_str0(st, 4, a, &r->action) != 0 ||
      sq_col_str0(st, 5, a, &r->subject) != 0 || sq_col_str0(st, 6, a, &r->detail) != 0 ||
      sq_col_str0(st, 7, a, &r->ip) != 0 || sq_col_str0(st, 8, a, &r->request_id) != 0)
    return sq_oom("reading an audit row");
  sq_col_hash(st, 9, r->prev_hash);
  sq_col_hash(st, 10, r->hash);
  return STORE_OK;
}

struct last_row {
  int64_t id;
  uint8_t hash[32];
};

static enum store_rc read_last(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  struct last_row *l = out;
  l->id = sqlite3_column_int64(st, 0);
  sq_col_hash(st, 1, l->hash);
  return STORE_OK;
}

enum store_rc sq_audit_append(struct store_tx *tx, struct audit_row *row) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *last =
      sq_stmt(c, SQ_AUDIT_LAST, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
  sqlite3_stmt *ins = sq_stmt(c, SQ_AUDIT_INSERT,
                              "INSERT INTO audit (" AUDIT_COLS ") "
                              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!last || !ins) return STORE_HARD;
  struct last_row prev = {0};
  bool on_writer = c == c->st->writer;
  if (on_writer && c->audit_known) {
    prev.id = c->audit_last_id;
    memcpy(prev.hash, c->audit_last_hash, 32);
  } else {
    enum store_rc rc = sq_fetch_one(c, last, "audit_append", read_last, NULL, &prev);
    if (rc == STORE_NOT_FOUND) rc = STORE_OK; /* the first row follows 32 zero bytes */
    if (rc != STORE_OK) return rc;
  }

  row->id = prev.id + 1;
  row->actor = nz(row->actor);
  row->action = nz(row->action);
  row->subject = nz(row->subject);
  row->detail = row->detail ? row->detail : "{}";
  row->ip = nz(row->ip);
  row->request_id = nz(row->request_id);
  memcpy(row->prev_hash, prev.hash, 32);
  if (audit_row_hash(row, row->prev_hash, row->hash) != 0) return sq_oom("audit_append");

  if (sqlite3_bind_int64(ins, 1, row->id) != SQLITE_OK ||
      sqlite3_bind_int64(ins, 2, row->time_ms) != SQLITE_OK ||
      sqlite3_bind_int64(ins, 3, row->actor_id) != SQLITE_OK ||
      sq_bind_text(ins, 4, row->actor) != SQLITE_OK ||
      sq_bind_text(ins, 5, row->action) != SQLITE_OK ||
      sq_bind_text(ins, 6, row->subject) != SQLITE_OK ||
      sq_bind_text(ins, 7, row->detail) != SQLITE_OK ||
      sq_bind_text(ins, 8, row->ip) != SQLITE_OK ||
      sq_bind_text(ins, 9, row->request_id) != SQLITE_OK ||
      sq_bind_hash(ins, 10, row->prev_hash) != SQLITE_OK ||
      sq_bind_hash(ins, 11, row->hash) != SQLITE_OK)
    return sq_bind_failed(c, ins, "audit_append");
  enum store_rc rc = sq_run(c, ins, false, "audit_append");
  if (on_writer) {
    /* The writer's batch rolls back whatever fails, and forgets this then (sqlite_writer.c). */
    c->audit_known = rc == STORE_OK;
    c->audit_last_id = row->id;
    memcpy(c->audit_last_hash, row->hash, 32);
  }
  return rc;
}

enum store_rc sq_audit_walk(struct store_tx *tx,
                            int (*fn)(void *cls, const struct audit_row *row), void *cls) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_AUDIT_WALK, "SELECT " AUDIT_COLS " FROM audit ORDER BY id");
  if (!st) return STORE_HARD;
  enum store_rc rc = STORE_OK;
  int s;
  /* The row's strings point into the statement and live until the next step: long
   * enough for the callback, and a walk over millions of rows copies nothing. */
  while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    struct audit_row r = {0};
    r.id = sqlite3_column_int64(st, 0);
    r.time_ms = sqlite3_column_int64(st, 1);
    r.actor_id = sqlite3_column_int64(st, 2);
    const char **text[] = {&r.actor, &r.action, &r.subject, &r.detail, &r.ip, &r.request_id};
    for (int i = 0; i < 6; i++) {
      const unsigned char *t = sqlite3_column_text(st, 3 + i);
      *text[i] = t ? (const char *)t : "";
    }
    sq_col_hash(st, 9, r.prev_hash);
    sq_col_hash(st, 10, r.hash);
    if (fn(cls, &r) != 0) break;
  }
  if (s != SQLITE_ROW && s != SQLITE_DONE) rc = sq_fail(c, s, "audit_walk");
  sq_reset(st);
  return rc;
}

/* ---- searching --------------------------------------------------------------------
 *
 * The searched columns have their indexes on audit_search, a copy of those columns for
 * the rows up to some id, which sq_audit_index() extends a few hundred rows at a time
 * (migrations.c, 10, says why). A search is the newer rows, read from the audit table by
 * id, and then the older ones, found through audit_search's indexes: a row is found
 * exactly once whether or not it has been copied yet. */

enum store_rc sq_audit_index(struct sq_conn *c, int64_t at_least, int64_t at_most) {
  sqlite3_stmt *ends = sq_stmt(c, SQ_AUDIT_SEARCH_ENDS,
                               "SELECT (SELECT coalesce(max(id), 0) FROM audit), "
                               "(SELECT coalesce(max(id), 0) FROM audit_search)");
  sqlite3_stmt *copy = sq_stmt(c, SQ_AUDIT_SEARCH_COPY,
                               "INSERT INTO audit_search (id, time_ms, actor, action, subject) "
                               "SELECT id, time_ms, actor, action, subject FROM audit "
                               "WHERE id > ?1 ORDER BY id LIMIT ?2");
  if (!ends || !copy) return STORE_HARD;
  int s = sqlite3_step(ends);
  if (s != SQLITE_ROW) {
    enum store_rc rc = sq_fail(c, s == SQLITE_DONE ? SQLITE_CORRUPT : s, "audit_index");
    sq_reset(ends);
    return rc;
  }
  int64_t newest = sqlite3_column_int64(ends, 0), indexed = sqlite3_column_int64(ends, 1);
  sq_reset(ends);
  if (newest - indexed < at_least || newest <= indexed) return STORE_OK; /* at_least may be 0 */
  if (sqlite3_bind_int64(copy, 1, indexed) != SQLITE_OK ||
      sqlite3_bind_int64(copy, 2, at_most) != SQLITE_OK)
    return sq_bind_failed(c, copy, "audit_index");
  return sq_run(c, copy, false, "audit_index");
}

/* Which filter fields are set; each combination has its own cached statements. */
enum {
  F_FROM = 1,
  F_TO = 2,
  F_ACTOR = 4,
  F_ACTION = 8,
  F_PREFIX = 16,
  F_SUBJECT = 32,
  F_BY_TIME = 64, /* the older rows through audit_time, whatever else is set */
};

/* A time window of at most this many rows (a month of a year's two million) is searched
 * through audit_time, its matches' ids then put in order: 5 ms for an hour or a day 300
 * days back, 130 ms for a month. SQLite, which has no statistics to go by, walked the ids
 * down from the newest instead, through every row newer than the window: a quarter of a
 * second for any of those (BENCHMARKS.md, ninth session). A wider window has matches
 * enough among the newest of its ids that the walk is the quicker. */
#define AUDIT_WINDOW_BY_TIME_MAX 200000

/* The filter's conditions on the columns of `t` ("" for the audit table's own). Numbered
 * parameters stay the same whatever the mask, so binding is uniform. A window too wide
 * for audit_time (F_FROM and F_TO without F_BY_TIME) has its time conditions written
 * +time_ms, which keeps SQLite off that index: it took it for any window with both
 * ends, and sorted the ids of a year's rows to give the newest hundred. */
static void filter_sql(char *out, size_t len, unsigned mask, const char *t) {
  bool wide = (mask & F_FROM) && (mask & F_TO) && !(mask & F_BY_TIME);
  static const struct {
    unsigned flag;
    const char *cond;
  } conds[] = {
      {F_FROM, "time_ms >= ?2"},   {F_TO, "time_ms < ?3"},    {F_ACTOR, "actor = ?4"},
      {F_ACTION, "action = ?5"},   {F_PREFIX, "action >= ?6"}, {F_PREFIX, "action < ?7"},
      {F_SUBJECT, "subject = ?8"},
  };
  size_t used = 0;
  out[0] = '\0';
  for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++)
    if ((mask & conds[i].flag) && used < len)
      used += (size_t)snprintf(out + used, len - used, " AND %s%s%s",
                               wide && (conds[i].flag & (F_FROM | F_TO)) ? "+" : "", t, conds[i].cond);
}

/* The newer rows (`older` false: from the audit table, ids above ?10) or the older ones
 * (through audit_search's indexes, ids up to ?10) that the filter matches, newest
 * first. Each is a query of its own, and the older one is asked only when the newer
 * rows do not fill the page: as one compound of the two, SQLite favoured the order of
 * audit_search's ids, and when the newer rows held every match, went through all of
 * them in vain. */
static sqlite3_stmt *list_stmt(struct sq_conn *c, unsigned mask, bool older) {
  enum sq_stmt_id id = (enum sq_stmt_id)((older ? SQ_AUDIT_OLDER_FIRST : SQ_AUDIT_LIST_FIRST) + mask);
  if (c->stmt[id]) return c->stmt[id];
  char where[256], sql[1024];
  filter_sql(where, sizeof where, mask, older ? "s." : "");
  if (older)
    /* The page's ids first, from audit_search alone, and only then their audit rows: a
     * window's matches are put in order by id without reading each one's audit row. */
    snprintf(sql, sizeof sql,
             "SELECT " AUDIT_COLS " FROM (SELECT s.id AS found FROM audit_search s%s "
             "WHERE s.id <= ?10 AND s.id < ?1%s ORDER BY s.id DESC LIMIT ?9) "
             "JOIN audit ON id = found ORDER BY id DESC",
             (mask & F_BY_TIME) ? " INDEXED BY audit_time" : "", where);
  else
    snprintf(sql, sizeof sql,
             "SELECT " AUDIT_COLS " FROM audit WHERE id > ?10 AND id < ?1%s ORDER BY id DESC LIMIT ?9",
             where);
  return sq_stmt(c, id, sql);
}

/* Binds a search's parameters (list_stmt's numbering). */
static int bind_search(sqlite3_stmt *st, const struct audit_filter *f, unsigned mask, size_t prefix_len,
                       const char *hi, int64_t limit, int64_t copied) {
  return sqlite3_bind_int64(st, 1, f->before_id > 0 ? f->before_id : INT64_MAX) != SQLITE_OK ||
         sqlite3_bind_int64(st, 2, f->from_ms) != SQLITE_OK ||
         sqlite3_bind_int64(st, 3, f->to_ms) != SQLITE_OK ||
         sq_bind_text(st, 4, f->actor) != SQLITE_OK ||
         sq_bind_text(st, 5, (mask & F_ACTION) ? f->action : NULL) != SQLITE_OK ||
         sqlite3_bind_text(st, 6, f->action ? f->action : "", (int)prefix_len, SQLITE_TRANSIENT) !=
             SQLITE_OK ||
         sq_bind_text(st, 7, hi) != SQLITE_OK || sq_bind_text(st, 8, f->subject) != SQLITE_OK ||
         sqlite3_bind_int64(st, 9, limit) != SQLITE_OK ||
         sqlite3_bind_int64(st, 10, copied) != SQLITE_OK;
}

/* Sets F_BY_TIME in *mask when the filter's time window holds few enough copied rows. */
static enum store_rc narrow_window(struct sq_conn *c, const struct audit_filter *f, unsigned *mask) {
  sqlite3_stmt *st = sq_stmt(c, SQ_AUDIT_WINDOW_COUNT,
                             "SELECT count(*) FROM (SELECT 1 FROM audit_search "
                             "WHERE time_ms >= ?1 AND time_ms < ?2 LIMIT ?3)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, f->from_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, f->to_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 3, AUDIT_WINDOW_BY_TIME_MAX + 1) != SQLITE_OK)
    return sq_bind_failed(c, st, "audit_list");
  int s = sqlite3_step(st);
  if (s == SQLITE_ROW && sqlite3_column_int64(st, 0) <= AUDIT_WINDOW_BY_TIME_MAX) *mask |= F_BY_TIME;
  sq_reset(st);
  return s == SQLITE_ROW ? STORE_OK : sq_fail(c, s == SQLITE_DONE ? SQLITE_CORRUPT : s, "audit_list");
}

/* The newer rows first, then, when they do not fill the page, the older ones. Both are
 * bounded by the copy's extent read first, so that a row the writer copies between the
 * two is still found once, whatever snapshot each statement reads. */
enum store_rc sq_audit_list(struct store_tx *tx, const struct audit_filter *f, struct arena *a,
                            struct audit_row **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  *out = NULL;
  *n = 0;
  unsigned mask = 0;
  size_t prefix_len = 0;
  if (f->from_ms) mask |= F_FROM;
  if (f->to_ms) mask |= F_TO;
  if (f->actor) mask |= F_ACTOR;
  if (f->subject) mask |= F_SUBJECT;
  if (f->action) {
    prefix_len = strlen(f->action);
    if (prefix_len > 0 && f->action[prefix_len - 1] == '*') {
      prefix_len--;
      mask |= F_PREFIX;
    } else {
      mask |= F_ACTION;
    }
  }
  sqlite3_stmt *upto = sq_stmt(c, SQ_AUDIT_SEARCH_UPTO, "SELECT coalesce(max(id), 0) FROM audit_search");
  sqlite3_stmt *newer = list_stmt(c, mask, false);
  if (!upto || !newer) return STORE_HARD;
  int s = sqlite3_step(upto);
  int64_t copied = s == SQLITE_ROW ? sqlite3_column_int64(upto, 0) : 0;
  sq_reset(upto);
  if (s != SQLITE_ROW) return sq_fail(c, s == SQLITE_DONE ? SQLITE_CORRUPT : s, "audit_list");
  /* Every text starting with the prefix sorts between the prefix and the prefix
   * followed by 0xFF, a byte that never occurs in UTF-8. */
  char *hi = NULL;
  if (mask & F_PREFIX) {
    hi = malloc(prefix_len + 2);
    if (!hi) return sq_oom("audit_list");
    memcpy(hi, f->action, prefix_len);
    hi[prefix_len] = '\xff';
    hi[prefix_len + 1] = '\0';
  }
  int64_t limit = sq_limit(f->limit);
  void *arr = NULL;
  size_t count = 0, cap = 0;
  enum store_rc rc = STORE_OK;
  if (bind_search(newer, f, mask, prefix_len, hi, limit, copied))
    rc = sq_bind_failed(c, newer, "audit_list");
  else
    rc = sq_fetch_more(c, newer, "audit_list", read_audit, a, sizeof **out, &arr, &count, &cap);
  if (rc == STORE_OK && (int64_t)count < limit) {
    unsigned older_mask = mask;
    if ((mask & F_FROM) && (mask & F_TO)) rc = narrow_window(c, f, &older_mask);
    sqlite3_stmt *older = rc == STORE_OK ? list_stmt(c, older_mask, true) : NULL;
    if (rc == STORE_OK && !older)
      rc = STORE_HARD;
    else if (rc == STORE_OK && bind_search(older, f, older_mask, prefix_len, hi, limit - (int64_t)count, copied))
      rc = sq_bind_failed(c, older, "audit_list");
    else if (rc == STORE_OK)
      rc = sq_fetch_more(c, older, "audit_list", read_audit, a, sizeof **out, &arr, &count, &cap);
  }
  free(hi); /* after the statements were reset: they were bound without a copy */
  *out = rc == STORE_OK ? arr : NULL;
  *n = rc == STORE_OK ? count : 0;
  return rc;
}
