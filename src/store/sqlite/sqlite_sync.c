/* sqlite_sync.c — making each committed batch durable on a thread of its own, so that
 * the writer runs the next batch while the disk syncs the last one.
 *
 * With synchronous=FULL, SQLite fsyncs the WAL inside COMMIT: the single writer waited
 * for the disk after every batch (1–3 ms here, a third of a busy writer's time) and ran
 * nothing meanwhile. Instead the writer connection runs synchronous=NORMAL, whose
 * COMMIT only writes the WAL frames, and hands the batch to this thread. The thread
 * fdatasyncs the WAL file (once for every batch that queued up meanwhile) and only then
 * tells the live stream (the commit hook) and the batch's writers (their done
 * callbacks): as before, an acknowledged write is on disk.
 *
 * What changes is what a reader can see: a read transaction may see a committed batch
 * for the millisecond or two before its sync. Nothing is acknowledged from such a read
 * — the live stream streams only events up to the hook's id, and an answer replayed
 * from a stored idempotency record waits for sq_durable_wait() first. A checkpoint
 * never copies unsynced frames: SQLite syncs the WAL before every checkpoint, and the
 * database file after it, at synchronous=NORMAL as at FULL.
 *
 * The WAL file is synced through a descriptor of this thread's own (fsync flushes the
 * file, whichever descriptor names it), checked against the path before each sync so
 * that a WAL file replaced behind SQLite's back would be noticed rather than missed.
 * A failed sync fails every write of the batches it covered (STORE_HARD, logged): they
 * may or may not survive a crash, so none is acknowledged.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite/sqlite_int.h"
#include "util/clock.h"
#include "util/log.h"

struct sq_sync {
  char *wal_path;
  int fd; /* the WAL file, opened at the first sync; -1 until then */
  pthread_t thread;
  bool started;
  /* with st->mu */
  pthread_cond_t cv;      /* the syncer waits for batches */
  pthread_cond_t done_cv; /* sq_durable_wait waits for syncs */
  struct sq_job *head, *tail; /* first jobs of batches, chained by batch_next */
  uint64_t committed; /* seq of the newest commit handed over */
  uint64_t synced;    /* every commit up to this seq is durable (or reported failed) */
  bool stopping;
};

/* Opens (or, if SQLite's WAL file is no longer the one open here, reopens) the WAL
 * file. -1 with errno set on failure. */
static int wal_fd(struct sq_sync *y) {
  struct stat at_path, open_one;
  if (stat(y->wal_path, &at_path) != 0) return -1;
  if (y->fd >= 0 && fstat(y->fd, &open_one) == 0 && open_one.st_dev == at_path.st_dev &&
      open_one.st_ino == at_path.st_ino)
    return y->fd;
  if (y->fd >= 0) {
    log_msg(LOG_WARN, "store.sync", "the WAL file %s was replaced; syncing the new one", y->wal_path);
    close(y->fd);
  }
  y->fd = open(y->wal_path, O_RDONLY | O_CLOEXEC);
  return y->fd;
}

/* Makes everything written to the WAL so far durable. */
static bool sync_wal(struct sq_sync *y) {
  int fd = wal_fd(y);
  if (fd >= 0 && fdatasync(fd) == 0) return true;
  log_msg(LOG_ERROR, "store.sync", "cannot sync %s: %s; the writes it held are reported as failed",
          y->wal_path, strerror(errno));
  return false;
}

static void *sync_main(void *arg) {
  struct sq_store *st = arg;
  struct sq_sync *y = st->sync;
  pthread_setname_np(pthread_self(), "hamyar-sync");
  pthread_mutex_lock(&st->mu);
  for (;;) {
    while (!y->head && !y->stopping) pthread_cond_wait(&y->cv, &st->mu);
    if (!y->head) break; /* stopping, and every batch handed over is done */
    struct sq_job *list = y->head;
    y->head = y->tail = NULL;
    store_commit_hook hook = st->hook;
    void *hook_cls = st->hook_cls;
    pthread_mutex_unlock(&st->mu);

    uint64_t upto = 0, writes = 0;
    int64_t last_event = 0;
    unsigned changed = 0;
    for (struct sq_job *b = list; b; b = b->batch_next) {
      changed |= b->batch_changed;
      if (b->batch_seq > upto) upto = b->batch_seq;
      writes += b->batch_writes;
      if (b->batch_last_event > last_event) last_event = b->batch_last_event;
    }
    int64_t began = clock_mono_ns();
    bool ok = upto == 0 || sync_wal(y);
    int64_t took_us = (clock_mono_ns() - began) / 1000;
    if (!ok)
      for (struct sq_job *b = list; b; b = b->batch_next)
        if (b->batch_seq) sq_jobs_fail(b);
    /* After the change is visible (committed) and before its writer is answered: a
     * reader that kept what it read before the change is told it is stale, and one
     * that reads the number after this reads the change too. */
    if (changed & SQ_CHANGED_ACCOUNTS) sq_accounts_changed(st);
    if (changed & SQ_CHANGED_INCIDENTS) atomic_fetch_add(&st->incidents, 1);
    /* The hook before the writers: when a write is acknowledged, the live stream has
     * already been told about its events. */
    if (ok && last_event > 0 && hook) hook(hook_cls, last_event);
    pthread_mutex_lock(&st->mu);
    if (upto > y->synced) y->synced = upto;
    pthread_cond_signal(&st->work_cv); /* a writer holding its batch open for this sync */
    if (ok && upto) {
      st->stats.syncs++;
      st->stats.durable += writes;
      st->stats.sync_us += (uint64_t)took_us;
      int i = 0;
      while (i < STORE_SYNC_BUCKETS - 1 && took_us > (int64_t)STORE_SYNC_BUCKET_US << i) i++;
      st->stats.sync_hist[i]++;
    }
    pthread_cond_broadcast(&y->done_cv);
    pthread_mutex_unlock(&st->mu);
    for (struct sq_job *b = list, *next; b; b = next) {
      next = b->batch_next; /* b may be gone once its batch is told */
      sq_jobs_finish(b);
    }
    pthread_mutex_lock(&st->mu);
  }
  pthread_mutex_unlock(&st->mu);
  return NULL;
}

int sq_syncer_start(struct sq_store *st, char *err, size_t errlen) {
  struct sq_sync *y = calloc(1, sizeof *y);
  const char *wal = sqlite3_filename_wal(sqlite3_db_filename(st->writer->db, "main"));
  if (y) y->wal_path = wal ? strdup(wal) : NULL;
  if (!y || !y->wal_path) {
    free(y);
    snprintf(err, errlen, "cannot start syncing database %s: out of memory or no WAL file name", st->path);
    return -1;
  }
  y->fd = -1;
  /* From here on COMMIT only writes the WAL; this thread syncs it. (Migrations, run
   * before, committed at FULL.) */
  if (sqlite3_exec(st->writer->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "cannot configure database %s: %s", st->path, sqlite3_errmsg(st->writer->db));
    free(y->wal_path);
    free(y);
    return -1;
  }
  pthread_cond_init(&y->cv, NULL);
  pthread_cond_init(&y->done_cv, NULL);
  st->sync = y;
  if (pthread_create(&y->thread, NULL, sync_main, st) != 0) {
    snprintf(err, errlen, "cannot start the sync thread for database %s", st->path);
    return -1;
  }
  y->started = true;
  return 0;
}

void sq_syncer_hand(struct sq_store *st, struct sq_job *jobs, int64_t last_event, size_t committed,
                    unsigned changed) {
  struct sq_sync *y = st->sync;
  jobs->batch_last_event = last_event;
  jobs->batch_changed = changed;
  jobs->batch_seq = committed ? ++y->committed : 0;
  jobs->batch_writes = committed;
  jobs->batch_next = NULL;
  if (y->tail)
    y->tail->batch_next = jobs;
  else
    y->head = jobs;
  y->tail = jobs;
  pthread_cond_signal(&y->cv);
}

bool sq_syncer_busy(const struct sq_store *st) { return st->sync && st->sync->synced < st->sync->committed; }

void sq_syncer_stop(struct sq_store *st) {
  struct sq_sync *y = st->sync;
  if (!y) return;
  if (y->started) {
    pthread_mutex_lock(&st->mu);
    y->stopping = true;
    pthread_cond_signal(&y->cv);
    pthread_mutex_unlock(&st->mu);
    pthread_join(y->thread, NULL);
  }
  if (y->fd >= 0) close(y->fd);
  pthread_cond_destroy(&y->cv);
  pthread_cond_destroy(&y->done_cv);
  free(y->wal_path);
  free(y);
  st->sync = NULL;
}

/* Advanced above, after the sync of a batch that changed incidents and before its
 * writers are told. Only this process's changes count: unlike the accounts version it
 * is not shared through a file, as no other process changes incidents beside a
 * running server. */
uint64_t sq_incidents_version(struct store *s) { return atomic_load(&sq_store_of(s)->incidents); }

void sq_durable_wait(struct store *s) {
  struct sq_store *st = sq_store_of(s);
  pthread_mutex_lock(&st->mu);
  struct sq_sync *y = st->sync;
  if (y) {
    uint64_t target = y->committed;
    while (y->synced < target && y->started) pthread_cond_wait(&y->done_cv, &st->mu);
  }
  pthread_mutex_unlock(&st->mu);
}
