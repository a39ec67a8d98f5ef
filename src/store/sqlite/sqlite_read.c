/* sqlite_read.c — read transactions on per-thread connections.
 *
 * Each thread that calls store_read() gets its own connection, opened on first use and
 * kept for the life of the store, so readers never wait for each other nor for the
 * writer (WAL). A thread-local pointer finds it without a lock; the registry in the
 * store (guarded by readers_mu) is what close() walks. Read connections are query_only:
 * a write attempted in store_read() fails instead of bypassing the writer.
 */
#include <stdio.h>

#include "store/sqlite/sqlite_int.h"
#include "util/log.h"

#define SQ_MAX_READ_ATTEMPTS 10

/* The connection this thread last used, and the store it belongs to (by serial, which
 * is never reused, so a closed store's pointer is never mistaken for a live one). */
static _Thread_local uint64_t tl_serial;
static _Thread_local struct sq_conn *tl_conn;

static struct sq_conn *open_reader(struct sq_store *st, pthread_t self) {
  int oflags = (st->flags & STORE_OPEN_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  char err[512];
  struct sq_conn *c = sq_conn_open(st, oflags, err, sizeof err);
  if (!c) {
    log_msg(LOG_ERROR, "store.read", "%s", err);
    return NULL;
  }
  if (sqlite3_exec(c->db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
    log_msg(LOG_ERROR, "store.read", "configuring a read connection to %s: %s", st->path,
            sqlite3_errmsg(c->db));
    sq_conn_close(c);
    return NULL;
  }
  c->owner = self;
  return c;
}

static struct sq_conn *reader_for_thread(struct sq_store *st) {
  if (tl_conn && tl_serial == st->serial) return tl_conn;
  pthread_t self = pthread_self();
  struct sq_conn *c;
  pthread_mutex_lock(&st->readers_mu);
  for (c = st->readers; c; c = c->next)
    if (pthread_equal(c->owner, self)) break; /* ours, or left by an ended thread */
  pthread_mutex_unlock(&st->readers_mu);
  if (!c) {
    c = open_reader(st, self);
    if (!c) return NULL;
    pthread_mutex_lock(&st->readers_mu);
    c->next = st->readers;
    st->readers = c;
    pthread_mutex_unlock(&st->readers_mu);
  }
  tl_conn = c;
  tl_serial = st->serial;
  return c;
}

enum store_rc sq_read(struct store *s, store_tx_fn fn, void *cls) {
  struct sq_store *st = sq_store_of(s);
  if (sq_on_writer_thread(st)) {
    log_msg(LOG_ERROR, "store.read", "store_read() called from inside a write callback");
    return STORE_HARD;
  }
  struct sq_conn *c = reader_for_thread(st);
  if (!c) return STORE_HARD;
  enum store_rc rc;
  for (int attempt = 1;; attempt++) {
    rc = sq_exec(c, SQ_BEGIN, "BEGIN");
    if (rc == STORE_OK) {
      rc = fn(cls, &c->tx);
      if (!sqlite3_get_autocommit(c->db)) {
        /* Ending a read transaction loses nothing, whatever the callback returned. */
        enum store_rc end = sq_exec(c, SQ_COMMIT, "COMMIT");
        if (end != STORE_OK) sq_exec(c, SQ_ROLLBACK, "ROLLBACK");
        if (rc == STORE_OK) rc = end;
      }
    }
    if (rc != STORE_SOFT) return rc;
    if (attempt == SQ_MAX_READ_ATTEMPTS) {
      log_msg(LOG_ERROR, "store.read", "read transaction on %s still busy after %d attempts",
              st->path, attempt);
      return STORE_HARD;
    }
    sq_backoff(attempt);
  }
}

void sq_readers_close(struct sq_store *st) {
  pthread_mutex_lock(&st->readers_mu);
  struct sq_conn *c = st->readers;
  st->readers = NULL;
  pthread_mutex_unlock(&st->readers_mu);
  while (c) {
    struct sq_conn *next = c->next;
    sq_conn_close(c);
    c = next;
  }
}
