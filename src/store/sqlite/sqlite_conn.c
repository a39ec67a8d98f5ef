/* sqlite_conn.c — connections, the per-connection statement cache, and the small
 * helpers every query file uses to bind, copy out and map results; see sqlite_int.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite/sqlite_int.h"
#include "util/arena.h"
#include "util/log.h"

/* How long a connection waits for a lock held by another process (e.g. a CLI command
 * on the same file) before SQLite reports SQLITE_BUSY, which the writer then retries. */
#define SQ_BUSY_TIMEOUT_MS 5000

struct sq_conn *sq_conn_open(struct sq_store *st, int oflags, char *err, size_t errlen) {
  struct sq_conn *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, errlen, "out of memory opening database %s", st->path);
    return NULL;
  }
  int rc = sqlite3_open_v2(st->path, &c->db, oflags | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot open database %s: %s", st->path,
             c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
    sqlite3_close(c->db);
    free(c);
    return NULL;
  }
  sqlite3_extended_result_codes(c->db, 1);
  sqlite3_busy_timeout(c->db, SQ_BUSY_TIMEOUT_MS);
  c->st = st;
  c->tx.store = &st->iface;
  c->tx.backend = c;
  return c;
}

void sq_conn_close(struct sq_conn *c) {
  if (!c) return;
  for (int i = 0; i < SQ_STMT_COUNT; i++) sqlite3_finalize(c->stmt[i]);
  if (sqlite3_close(c->db) != SQLITE_OK)
    log_msg(LOG_ERROR, "store.close", "closing %s: %s", c->st->path, sqlite3_errmsg(c->db));
  free(c);
}

sqlite3_stmt *sq_stmt(struct sq_conn *c, enum sq_stmt_id id, const char *sql) {
  if (c->stmt[id]) return c->stmt[id];
  int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmt[id], NULL);
  if (rc != SQLITE_OK) {
    log_msg(LOG_ERROR, "store.prepare", "preparing \"%s\": %s", sql, sqlite3_errmsg(c->db));
    c->stmt[id] = NULL;
    return NULL;
  }
  return c->stmt[id];
}

void sq_reset(sqlite3_stmt *st) {
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

enum store_rc sq_exec(struct sq_conn *c, enum sq_stmt_id id, const char *sql) {
  sqlite3_stmt *st = sq_stmt(c, id, sql);
  if (!st) return STORE_HARD;
  int rc = sqlite3_step(st);
  sq_reset(st);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return STORE_OK;
  return sq_fail(c, rc, sql);
}

enum store_rc sq_fail(struct sq_conn *c, int rc, const char *what) {
  switch (rc & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    log_msg(LOG_DEBUG, "store.busy", "%s: %s", what, sqlite3_errmsg(c->db));
    return STORE_SOFT;
  case SQLITE_CONSTRAINT:
    if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
      return STORE_CONFLICT;
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) return STORE_NOT_FOUND;
    break;
  default:
    break;
  }
  log_msg(LOG_ERROR, "store.sqlite", "%s: %s (%d)", what, sqlite3_errmsg(c->db), rc);
  return STORE_HARD;
}

int sq_bind_text(sqlite3_stmt *st, int i, const char *s) {
  return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int sq_bind_hash(sqlite3_stmt *st, int i, const uint8_t h[32]) {
  return sqlite3_bind_blob(st, i, h, 32, SQLITE_STATIC);
}

int sq_bind_id(sqlite3_stmt *st, int i, int64_t id) {
  return id ? sqlite3_bind_int64(st, i, id) : sqlite3_bind_null(st, i);
}

int sq_col_str(sqlite3_stmt *st, int i, struct arena *a, const char **out) {
  *out = NULL;
  if (sqlite3_column_type(st, i) == SQLITE_NULL) return 0;
  const unsigned char *text = sqlite3_column_text(st, i);
  if (!text) return -1; /* not NULL, so this is SQLite running out of memory */
  *out = arena_strndup(a, (const char *)text, (size_t)sqlite3_column_bytes(st, i));
  return *out ? 0 : -1;
}

int sq_col_str0(sqlite3_stmt *st, int i, struct arena *a, const char **out) {
  if (sq_col_str(st, i, a, out) != 0) return -1;
  if (!*out) *out = arena_strdup(a, "");
  return *out ? 0 : -1;
}

void sq_col_hash(sqlite3_stmt *st, int i, uint8_t out[32]) {
  memset(out, 0, 32);
  const void *b = sqlite3_column_blob(st, i);
  if (b && sqlite3_column_bytes(st, i) == 32) memcpy(out, b, 32);
}

void *sq_push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size) {
  if (*n == *cap) {
    size_t grown = *cap ? *cap * 2 : 16;
    if (grown > SIZE_MAX / size) return NULL;
    void *fresh = arena_alloc(a, grown * size);
    if (!fresh) return NULL;
    if (*n) memcpy(fresh, *arr, *n * size);
    *arr = fresh;
    *cap = grown;
  }
  void *el = (char *)*arr + *n * size;
  memset(el, 0, size);
  (*n)++;
  return el;
}

enum store_rc sq_oom(const char *what) {
  log_msg(LOG_ERROR, "store.oom", "out of memory in %s", what);
  return STORE_HARD;
}

void sq_backoff(int attempt) {
  int shift = attempt < 7 ? attempt : 7;
  struct timespec ts = {0, (long)(1000000L << shift)}; /* 1 ms, 2 ms, ... 128 ms */
  nanosleep(&ts, NULL);
}

enum store_rc sq_run(struct sq_conn *c, sqlite3_stmt *st, bool need_change, const char *what) {
  enum store_rc rc = STORE_OK;
  int s = sqlite3_step(st);
  if (s == SQLITE_DONE || s == SQLITE_ROW) {
    if (need_change && sqlite3_changes(c->db) == 0) rc = STORE_NOT_FOUND;
  } else {
    rc = sq_fail(c, s, what);
  }
  sq_reset(st);
  return rc;
}

enum store_rc sq_fetch_one(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                           struct arena *a, void *out) {
  enum store_rc rc;
  int s = sqlite3_step(st);
  if (s == SQLITE_ROW)
    rc = read(st, a, out);
  else if (s == SQLITE_DONE)
    rc = STORE_NOT_FOUND;
  else
    rc = sq_fail(c, s, what);
  sq_reset(st);
  return rc;
}

enum store_rc sq_fetch_more(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                            struct arena *a, size_t size, void **arr, size_t *n, size_t *cap) {
  enum store_rc rc = STORE_OK;
  int s = SQLITE_DONE;
  while (rc == STORE_OK && (s = sqlite3_step(st)) == SQLITE_ROW) {
    void *el = sq_push(a, arr, n, cap, size);
    rc = el ? read(st, a, el) : sq_oom(what);
  }
  if (rc == STORE_OK && s != SQLITE_DONE) rc = sq_fail(c, s, what);
  sq_reset(st);
  return rc;
}

enum store_rc sq_fetch_all(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                           struct arena *a, size_t size, void **out, size_t *n) {
  void *arr = NULL;
  size_t count = 0, cap = 0;
  enum store_rc rc = sq_fetch_more(c, st, what, read, a, size, &arr, &count, &cap);
  *out = rc == STORE_OK ? arr : NULL;
  *n = rc == STORE_OK ? count : 0;
  return rc;
}

enum store_rc sq_bind_failed(struct sq_conn *c, sqlite3_stmt *st, const char *what) {
  log_msg(LOG_ERROR, "store.sqlite", "binding %s: %s", what, sqlite3_errmsg(c->db));
  sq_reset(st);
  return STORE_HARD;
}
