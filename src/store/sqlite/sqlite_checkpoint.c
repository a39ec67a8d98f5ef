/* sqlite_checkpoint.c — WAL checkpoints on their own thread, off the writer's path.
 *
 * In WAL mode every commit appends pages to the -wal file; a checkpoint copies them back
 * into the database file and fsyncs it. SQLite's default runs that checkpoint inside the
 * commit that passes 1000 WAL pages, on the connection that committed — here the single
 * writer, so every twentieth batch or so of a busy centre waited for a copy and a second
 * fsync before its callers were answered. Instead the writer connection's WAL hook only
 * wakes this thread, which checkpoints PASSIVE on a connection of its own: it copies what
 * no reader still needs, never waits for a lock and never blocks the writer. Durability is
 * unchanged: a commit is durable in the WAL (synced, sqlite_sync.c) before it is answered;
 * the checkpoint only moves it.
 *
 * It is woken once the WAL passes SQ_CKPT_PAGES, and then again each time the WAL has
 * grown by SQ_CKPT_STEP_PAGES since. Under a steady stream of commits a PASSIVE
 * checkpoint never quite catches up with the writer, so the WAL seldom starts over
 * below the threshold: woken after every commit above it, the thread ran 170-300
 * checkpoints a second under call intake, each with two fsyncs (the WAL, then the
 * database file) that the log's own syncs queued behind on the same disk. A step of
 * 250 pages (1 MiB, every eight commits or so there) measured +8% calls a second at
 * 64 connections; 2,000 made each checkpoint so large that the log's syncs waited for
 * it (p99 35-38 ms), and 500 raised the p99 of idempotent calls, whose index pages are
 * scattered, from 20 to 26 ms.
 *
 * Should the checkpointer fall far behind (a reader holding an old snapshot for long),
 * the writer checkpoints PASSIVE itself once the WAL passes SQ_CKPT_WRITER_PAGES, so the
 * file cannot grow without bound.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/sqlite/sqlite_int.h"
#include "util/log.h"

/* WAL pages after which the checkpointer is woken: SQLite's own default threshold. */
#define SQ_CKPT_PAGES 1000
/* ...and pages the WAL grows by before it is woken again. */
#define SQ_CKPT_STEP_PAGES 250
/* WAL pages after which the writer no longer waits for the checkpointer (~64 MiB). */
#define SQ_CKPT_WRITER_PAGES 16000

struct sq_ckpt {
  struct sq_conn *conn;
  pthread_t thread;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool wanted;
  bool stopping;
  uint64_t runs;   /* checkpoints done by the thread */
  int woken_at;    /* writer only: the WAL's size when the thread was last woken */
};

static void checkpoint(sqlite3 *db, const char *who) {
  int wal = 0, moved = 0;
  int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, &wal, &moved);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    log_msg(LOG_WARN, "store.checkpoint", "%s checkpoint failed: %s", who, sqlite3_errmsg(db));
}

static void *ckpt_main(void *arg) {
  struct sq_ckpt *k = arg;
  pthread_setname_np(pthread_self(), "hamyar-ckpt");
  pthread_mutex_lock(&k->mu);
  for (;;) {
    while (!k->wanted && !k->stopping) pthread_cond_wait(&k->cv, &k->mu);
    if (k->stopping) break;
    k->wanted = false;
    pthread_mutex_unlock(&k->mu);
    checkpoint(k->conn->db, "background");
    pthread_mutex_lock(&k->mu);
    k->runs++;
  }
  pthread_mutex_unlock(&k->mu);
  return NULL;
}

/* Called by SQLite on the writer thread after each commit, with the WAL's size. */
static int on_wal_commit(void *cls, sqlite3 *db, const char *schema, int pages) {
  struct sq_ckpt *k = cls;
  (void)schema;
  if (pages >= SQ_CKPT_WRITER_PAGES) {
    checkpoint(db, "writer");
  } else if (pages >= SQ_CKPT_PAGES &&
             (pages < k->woken_at /* the WAL has started over since */ ||
              pages - k->woken_at >= SQ_CKPT_STEP_PAGES)) {
    k->woken_at = pages;
    pthread_mutex_lock(&k->mu);
    k->wanted = true;
    pthread_cond_signal(&k->cv);
    pthread_mutex_unlock(&k->mu);
  }
  return SQLITE_OK;
}

int sq_checkpointer_start(struct sq_store *st, char *err, size_t errlen) {
  struct sq_ckpt *k = calloc(1, sizeof *k);
  if (!k) {
    snprintf(err, errlen, "out of memory starting the checkpointer for database %s", st->path);
    return -1;
  }
  k->conn = sq_conn_open(st, SQLITE_OPEN_READWRITE, err, errlen);
  if (!k->conn) {
    free(k);
    return -1;
  }
  /* The checkpoint's own fsyncs (WAL before copying, database after) follow this. */
  if (sqlite3_exec(k->conn->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot configure the checkpointer for %s: %s", st->path,
             sqlite3_errmsg(k->conn->db));
    sq_conn_close(k->conn);
    free(k);
    return -1;
  }
  pthread_mutex_init(&k->mu, NULL);
  pthread_cond_init(&k->cv, NULL);
  if (pthread_create(&k->thread, NULL, ckpt_main, k) != 0) {
    snprintf(err, errlen, "cannot start the checkpointer thread for database %s", st->path);
    pthread_mutex_destroy(&k->mu);
    pthread_cond_destroy(&k->cv);
    sq_conn_close(k->conn);
    free(k);
    return -1;
  }
  /* Replaces SQLite's automatic checkpoint on the writer connection. */
  sqlite3_wal_hook(st->writer->db, on_wal_commit, k);
  st->ckpt = k;
  return 0;
}

uint64_t sq_checkpoints(const struct sq_store *st) {
  struct sq_ckpt *k = st->ckpt;
  if (!k) return 0;
  pthread_mutex_lock(&k->mu);
  uint64_t n = k->runs;
  pthread_mutex_unlock(&k->mu);
  return n;
}

void sq_checkpointer_stop(struct sq_store *st) {
  struct sq_ckpt *k = st->ckpt;
  if (!k) return;
  sqlite3_wal_hook(st->writer->db, NULL, NULL);
  pthread_mutex_lock(&k->mu);
  k->stopping = true;
  pthread_cond_signal(&k->cv);
  pthread_mutex_unlock(&k->mu);
  pthread_join(k->thread, NULL);
  log_msg(LOG_DEBUG, "store.checkpoint", "%llu background checkpoints", (unsigned long long)k->runs);
  sq_conn_close(k->conn);
  pthread_mutex_destroy(&k->mu);
  pthread_cond_destroy(&k->cv);
  free(k);
  st->ckpt = NULL;
}
