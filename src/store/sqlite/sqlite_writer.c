/* sqlite_writer.c — the single writer thread and its group commit.
 *
 * A write is a job on one queue. store_write_async() queues it and returns; the
 * writer takes every job waiting, opens one transaction (BEGIN IMMEDIATE), runs each
 * job's callback inside its own savepoint — a failing callback rolls back only its own
 * savepoint — takes in the jobs queued meanwhile the same way, and commits once, so one
 * fsync makes the whole batch durable. The fsync is the sync thread's (sqlite_sync.c):
 * the writer hands it the committed batch and goes on with the next, and only after
 * the sync is each job's done callback called: an acknowledged write is on disk. A
 * batch whose jobs have run stays open while the sync thread is still busy with the
 * last commit, taking in whatever arrives, and commits when the disk is free: so the
 * writer commits about as often as the disk syncs, never more. Committing sooner made
 * nothing durable sooner, and each commit costs its own WAL pages, written and then
 * checkpointed.
 * store_write() is the same job with a done callback that wakes the caller, who sleeps
 * until then.
 *
 * A soft failure (SQLITE_BUSY from another process, a failed COMMIT, a callback
 * reporting STORE_SOFT) rolls the batch back and runs it again, up to SQ_MAX_ATTEMPTS.
 * A callback whose statement error made SQLite roll back the whole transaction keeps
 * its result and the rest of the batch is run again without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite/sqlite_int.h"
#include "util/clock.h"
#include "util/log.h"

#define SQ_MAX_ATTEMPTS 10
/* A batch takes in jobs that arrive while it runs until it holds this many: enough
 * for every connection a small server has, few enough that the first job of a batch
 * waits for the others' callbacks some milliseconds at most. */
#define SQ_BATCH_GROW_MAX 128
/* The audit's search indexes (audit_search, sqlite_audit.c) are brought up to date
 * inside batches, up to SQ_INDEX_ROWS rows at a time: while a batch waits for the disk
 * anyway (the sync thread busy and no write queued), once SQ_INDEX_EARLY rows wait for
 * them, so that a busy centre's cost nothing on the way to the disk; and before any
 * commit once SQ_INDEX_LATE do, so that a quiet centre's are never far behind either
 * (a search reads the rows not yet copied from the audit table one by one). */
#define SQ_INDEX_EARLY 64
#define SQ_INDEX_LATE 1024
#define SQ_INDEX_ROWS 512
#define SQ_INDEX_PAUSE_NS (60 * INT64_C(1000000000))

/* What one batch came to. */
struct batch {
  size_t ok;          /* jobs committed */
  int64_t last_event; /* highest event id committed, 0 when none */
  uint64_t retries;
  int64_t held_ns; /* spent waiting for the sync thread (take_queue), not running */
  bool indexed;     /* this attempt has brought the audit's search indexes up to date */
  bool index_off;   /* that failed: the batch goes on without it */
};

enum attempt { ATTEMPT_DONE, ATTEMPT_RETRY, ATTEMPT_REDO, ATTEMPT_FAIL };

static _Thread_local const struct sq_store *tl_writer_of;

bool sq_on_writer_thread(const struct sq_store *st) { return tl_writer_of == st; }

static void rollback(struct sq_conn *c) {
  if (!sqlite3_get_autocommit(c->db)) sq_exec(c, SQ_ROLLBACK, "ROLLBACK");
}

/* Runs one job in a savepoint. Returns ATTEMPT_DONE when the batch can go on. */
static enum attempt run_job(struct sq_conn *c, struct sq_job *j, struct batch *b) {
  enum store_rc rc = sq_exec(c, SQ_SAVEPOINT, "SAVEPOINT j");
  if (rc != STORE_OK) return rc == STORE_SOFT ? ATTEMPT_RETRY : ATTEMPT_FAIL;
  int64_t events_before = c->event_max;
  rc = j->fn(j->cls, &c->tx);
  if (rc != STORE_OK) c->audit_known = false; /* its rows are about to be rolled back */
  if (sqlite3_get_autocommit(c->db)) {
    /* The callback's error (e.g. SQLITE_FULL) ended the whole transaction. */
    c->audit_known = false;
    if (rc == STORE_SOFT) return ATTEMPT_RETRY;
    j->rc = rc == STORE_OK ? STORE_HARD : rc;
    j->settled = true;
    log_msg(LOG_WARN, "store.write", "a write callback ended its batch's transaction; "
                                     "running the other writes again");
    return ATTEMPT_REDO;
  }
  if (rc == STORE_SOFT) return ATTEMPT_RETRY;
  if (rc == STORE_OK && sq_exec(c, SQ_RELEASE, "RELEASE j") == STORE_OK) {
    j->rc = STORE_OK;
    b->ok++;
    return ATTEMPT_DONE;
  }
  j->rc = rc == STORE_OK ? STORE_HARD : rc;
  c->event_max = events_before;
  c->audit_known = false;
  if (sq_exec(c, SQ_ROLLBACK_TO, "ROLLBACK TO j") != STORE_OK ||
      sq_exec(c, SQ_RELEASE, "RELEASE j") != STORE_OK)
    return ATTEMPT_FAIL;
  return ATTEMPT_DONE;
}

/* Copies audit rows into the search indexes when at least `at_least` wait, in a
 * savepoint of its own: should that fail, the batch goes on without it (searches still
 * find the rows in the audit table itself), and the writer tries again a minute later,
 * not with every batch. */
static enum attempt index_audit(struct sq_conn *c, int64_t at_least, struct batch *b) {
  b->indexed = true;
  if (b->index_off || clock_mono_ns() < c->st->copy_paused_until_ns) return ATTEMPT_DONE;
  enum store_rc rc = sq_exec(c, SQ_SAVEPOINT, "SAVEPOINT j");
  if (rc != STORE_OK) return rc == STORE_SOFT ? ATTEMPT_RETRY : ATTEMPT_FAIL;
  rc = sq_audit_index(c, at_least, SQ_INDEX_ROWS);
  if (rc == STORE_OK) return sq_exec(c, SQ_RELEASE, "RELEASE j") == STORE_OK ? ATTEMPT_DONE : ATTEMPT_RETRY;
  b->index_off = true;
  c->st->copy_paused_until_ns = clock_mono_ns() + SQ_INDEX_PAUSE_NS;
  log_msg(LOG_WARN, "store.write", "the audit's search indexes were not brought up to date; "
                                   "searches read the newer rows from the audit table; "
                                   "trying again in a minute");
  if (sqlite3_get_autocommit(c->db)) {
    c->audit_known = false;
    return ATTEMPT_REDO; /* the batch again, without this */
  }
  if (sq_exec(c, SQ_ROLLBACK_TO, "ROLLBACK TO j") != STORE_OK ||
      sq_exec(c, SQ_RELEASE, "RELEASE j") != STORE_OK)
    return ATTEMPT_FAIL;
  return ATTEMPT_DONE;
}

/* Whether a commit now would wait for the sync thread, with no write to take in. */
static bool waiting_for_disk(struct sq_store *st) {
  pthread_mutex_lock(&st->mu);
  bool waiting = !st->head && !st->stopping && sq_syncer_busy(st);
  pthread_mutex_unlock(&st->mu);
  return waiting;
}

/* The jobs queued since the batch was taken (NULL when none), now the batch's. While
 * the sync thread is still syncing earlier commits, a commit now would be made durable
 * no sooner than the jobs that arrive before that sync ends: so it waits for them, and
 * the disk's pace sets how often the writer commits. */
static struct sq_job *take_queue(struct sq_store *st, struct batch *b) {
  pthread_mutex_lock(&st->mu);
  if (!st->head && !st->stopping && sq_syncer_busy(st)) {
    int64_t began = clock_mono_ns();
    while (!st->head && !st->stopping && sq_syncer_busy(st)) pthread_cond_wait(&st->work_cv, &st->mu);
    b->held_ns += clock_mono_ns() - began;
  }
  struct sq_job *more = st->head;
  st->head = st->tail = NULL;
  pthread_mutex_unlock(&st->mu);
  return more;
}

static enum attempt try_batch(struct sq_store *st, struct sq_job *jobs, struct batch *b) {
  struct sq_conn *c = st->writer;
  b->ok = 0;
  b->last_event = 0;
  c->event_max = 0;
  c->audit_known = false; /* another process may have appended since the last batch */
  b->indexed = false;
  enum store_rc rc = sq_exec(c, SQ_BEGIN_IMMEDIATE, "BEGIN IMMEDIATE");
  if (rc != STORE_OK) return rc == STORE_SOFT ? ATTEMPT_RETRY : ATTEMPT_FAIL;
  size_t n = 0;
  for (struct sq_job *j = jobs; j; j = j->next) {
    if (!j->settled) {
      enum attempt a = run_job(c, j, b);
      if (a != ATTEMPT_DONE) {
        rollback(c);
        return a;
      }
    }
    /* Writes that arrived meanwhile join this commit rather than wait for the next
     * one: one fsync fewer, and they are answered sooner. */
    if (++n < SQ_BATCH_GROW_MAX && !j->next) {
      if (b->ok > 0 && !b->indexed && waiting_for_disk(st)) {
        enum attempt a = index_audit(c, SQ_INDEX_EARLY, b);
        if (a != ATTEMPT_DONE) {
          rollback(c);
          return a;
        }
      }
      j->next = take_queue(st, b);
    }
  }
  if (b->ok == 0) {
    rollback(c); /* nothing to keep: spare the fsync */
    return ATTEMPT_DONE;
  }
  if (!b->indexed) {
    enum attempt a = index_audit(c, SQ_INDEX_LATE, b);
    if (a != ATTEMPT_DONE) {
      rollback(c);
      return a;
    }
  }
  if (sq_exec(c, SQ_COMMIT, "COMMIT") != STORE_OK) {
    rollback(c);
    return ATTEMPT_RETRY;
  }
  b->last_event = c->event_max;
  return ATTEMPT_DONE;
}

static void run_batch(struct sq_store *st, struct sq_job *jobs, struct batch *b) {
  int attempts = 0;
  b->retries = 0;
  b->held_ns = 0;
  b->index_off = false;
  /* Set by on_row_change in any attempt, committed or rolled back: readers must not
   * trust what they kept from before either way. */
  st->writer->changed = 0;
  for (;;) {
    enum attempt a = try_batch(st, jobs, b);
    if (a == ATTEMPT_DONE) return;
    if (a == ATTEMPT_REDO || (a == ATTEMPT_RETRY && ++attempts < SQ_MAX_ATTEMPTS)) {
      b->retries++;
      if (a == ATTEMPT_RETRY) sq_backoff(attempts);
      continue;
    }
    log_msg(LOG_ERROR, "store.write", "write transaction on %s failed%s", st->path,
            a == ATTEMPT_RETRY ? " after repeated retries" : "");
    for (struct sq_job *j = jobs; j; j = j->next)
      if (!j->settled) j->rc = STORE_HARD;
    b->ok = 0;
    b->last_event = 0;
    return;
  }
}

static int hist_bucket(size_t n) {
  int k = 0;
  while (n > 1 && k < 7) {
    n >>= 1;
    k++;
  }
  return k;
}

void sq_jobs_fail(struct sq_job *jobs) {
  for (struct sq_job *j = jobs; j; j = j->next)
    if (j->rc == STORE_OK) j->rc = STORE_HARD;
}

/* A job's memory may be gone once its done returns (store_write's job lives on its
 * caller's stack), so it is read first. */
void sq_jobs_finish(struct sq_job *jobs) {
  for (struct sq_job *j = jobs, *next; j; j = next) {
    next = j->next;
    bool owned = j->owned;
    j->done(j->done_cls, j->rc);
    if (owned) free(j);
  }
}

static void *writer_main(void *arg) {
  struct sq_store *st = arg;
  tl_writer_of = st;
  /* Named so that `top -H` and profilers show where the single writer spends its time. */
  pthread_setname_np(pthread_self(), "hamyar-writer");
  pthread_mutex_lock(&st->mu);
  for (;;) {
    while (!st->head && !st->stopping) pthread_cond_wait(&st->work_cv, &st->mu);
    if (!st->head) break; /* stopping, and every queued write is done */
    struct sq_job *jobs = st->head;
    st->head = st->tail = NULL;
    pthread_mutex_unlock(&st->mu);

    struct batch b;
    int64_t began = clock_mono_ns();
    run_batch(st, jobs, &b);
    int64_t took_us = (clock_mono_ns() - began - b.held_ns) / 1000;

    pthread_mutex_lock(&st->mu);
    st->stats.writer_busy_us += (uint64_t)took_us;
    if (b.ok > 0) {
      st->stats.commits++;
      st->stats.writes += b.ok;
      st->stats.batch_hist[hist_bucket(b.ok)]++;
    }
    st->stats.retries += b.retries;
    /* Durable, and then answered, by the sync thread, while this one goes on. Handed
     * over under the same lock as the count: a write counted committed is one that
     * durable_wait() waits for. */
    sq_syncer_hand(st, jobs, b.last_event, b.ok, st->writer->changed);
  }
  pthread_mutex_unlock(&st->mu);
  return NULL;
}

/* Notes writes to the tables whose readers keep copies, for the versions in store.h:
 * who a caller is (accounts_version), and the open incidents a new call may repeat
 * (incidents_version) — a call inserted on its own changes no incident, a call moved
 * to or from one does. */
static void on_row_change(void *cls, int op, const char *db, const char *table, sqlite3_int64 rowid) {
  struct sq_conn *c = cls;
  (void)db;
  (void)rowid;
  if (strcmp(table, "sessions") == 0 || strcmp(table, "users") == 0 || strcmp(table, "apikeys") == 0)
    c->changed |= SQ_CHANGED_ACCOUNTS;
  else if (strcmp(table, "incidents") == 0 || (strcmp(table, "calls") == 0 && op != SQLITE_INSERT))
    c->changed |= SQ_CHANGED_INCIDENTS;
}

int sq_writer_start(struct sq_store *st, char *err, size_t errlen) {
  sqlite3_update_hook(st->writer->db, on_row_change, st->writer);
  if (sq_syncer_start(st, err, errlen) != 0) return -1;
  if (pthread_create(&st->thread, NULL, writer_main, st) != 0) {
    snprintf(err, errlen, "cannot start the writer thread for database %s", st->path);
    return -1;
  }
  st->thread_started = true;
  return sq_checkpointer_start(st, err, errlen);
}

void sq_writer_stop(struct sq_store *st) {
  if (st->thread_started) {
    pthread_mutex_lock(&st->mu);
    st->stopping = true;
    pthread_cond_signal(&st->work_cv);
    pthread_mutex_unlock(&st->mu);
    pthread_join(st->thread, NULL);
    st->thread_started = false;
  }
  sq_syncer_stop(st); /* after the writer: it syncs and answers the last batches */
  sq_checkpointer_stop(st);
  sq_conn_close(st->writer);
  st->writer = NULL;
}

/* Puts job on the queue; STORE_HARD (logged) when the store takes no more writes. */
static enum store_rc submit(struct sq_store *st, struct sq_job *job) {
  if (!st->writer) {
    log_msg(LOG_ERROR, "store.write", "database %s was opened read-only", st->path);
    return STORE_HARD;
  }
  enum store_rc rc = STORE_OK;
  pthread_mutex_lock(&st->mu);
  if (st->stopping) {
    log_msg(LOG_ERROR, "store.write", "database %s is closing", st->path);
    rc = STORE_HARD;
  } else {
    if (st->tail)
      st->tail->next = job;
    else
      st->head = job;
    st->tail = job;
    pthread_cond_signal(&st->work_cv);
  }
  pthread_mutex_unlock(&st->mu);
  return rc;
}

enum store_rc sq_write_async(struct store *s, store_tx_fn fn, void *cls, store_done_fn done,
                             void *done_cls) {
  struct sq_store *st = sq_store_of(s);
  struct sq_job *job = malloc(sizeof *job);
  if (!job) {
    log_msg(LOG_ERROR, "store.write", "out of memory queuing a write");
    return STORE_HARD;
  }
  *job = (struct sq_job){.fn = fn, .cls = cls, .done = done, .done_cls = done_cls,
                         .rc = STORE_HARD, .owned = true};
  enum store_rc rc = submit(st, job);
  if (rc != STORE_OK) free(job);
  return rc;
}

/* store_write(): a job with a done callback that wakes the caller. */
struct waiter {
  struct sq_job job;
  struct sq_store *st;
  pthread_cond_t cv; /* with st->mu */
  bool finished;
  enum store_rc rc;
};

static void wake_waiter(void *cls, enum store_rc rc) {
  struct waiter *w = cls;
  pthread_mutex_lock(&w->st->mu);
  w->rc = rc;
  w->finished = true;
  pthread_cond_signal(&w->cv);
  pthread_mutex_unlock(&w->st->mu);
}

enum store_rc sq_write(struct store *s, store_tx_fn fn, void *cls) {
  struct sq_store *st = sq_store_of(s);
  if (sq_on_writer_thread(st)) {
    log_msg(LOG_ERROR, "store.write", "store_write() called from inside a write callback");
    return STORE_HARD;
  }
  struct waiter w = {.st = st, .rc = STORE_HARD};
  w.job = (struct sq_job){.fn = fn, .cls = cls, .done = wake_waiter, .done_cls = &w,
                          .rc = STORE_HARD};
  pthread_cond_init(&w.cv, NULL);
  enum store_rc rc = submit(st, &w.job);
  if (rc == STORE_OK) {
    pthread_mutex_lock(&st->mu);
    while (!w.finished) pthread_cond_wait(&w.cv, &st->mu);
    rc = w.rc;
    pthread_mutex_unlock(&st->mu);
  }
  pthread_cond_destroy(&w.cv);
  return rc;
}

void sq_set_commit_hook(struct store *s, store_commit_hook hook, void *cls) {
  struct sq_store *st = sq_store_of(s);
  pthread_mutex_lock(&st->mu);
  st->hook = hook;
  st->hook_cls = cls;
  pthread_mutex_unlock(&st->mu);
}

void sq_stats(struct store *s, struct store_stats *out) {
  struct sq_store *st = sq_store_of(s);
  pthread_mutex_lock(&st->mu);
  *out = st->stats;
  pthread_mutex_unlock(&st->mu);
  out->checkpoints = sq_checkpoints(st);
}
