/* test_store_crash.c — an acknowledged write survives the process being killed.
 *
 * A child process opens the store and writes from several threads; after each
 * store_write() returns it reports the write to the parent through a pipe. The parent
 * kills the child with SIGKILL in the middle of its work, reopens the database, and
 * checks that every reported write is there and that the audit chain is whole. It does
 * this for several rounds on the same file, so each round also recovers the last one's
 * write-ahead log. (SIGKILL tests the store's own promise — nothing is acknowledged
 * before it is committed — not the disk's; power loss is the fsync's part.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/audit.h"
#include "store/store.h"
#include "util/arena.h"

enum { ROUNDS = 3, THREADS = 4, ACKS_BEFORE_KILL = 300 };

/* What the child reports for each acknowledged write; small enough for one atomic
 * pipe write (PIPE_BUF). */
struct ack {
  int64_t event_id;
  int32_t round, thread, seq;
};

static char dir[64], path[128];

/* ---- the child ---------------------------------------------------------------- */

struct child_write {
  char name[48];
  int64_t event_id;
};

static enum store_rc tx_child_write(void *cls, struct store_tx *tx) {
  struct child_write *w = cls;
  struct store *s = store_of(tx);
  struct user u = {.username = w->name, .password_hash = "x", .roles = ROLE_CALL_TAKER};
  struct event ev = {.type = "user.created", .subject = w->name, .payload = "{}",
                     .audience = ROLE_ADMIN};
  struct audit_row row = {.actor = "cli", .action = "user.create", .subject = w->name};
  enum store_rc rc = s->user_insert(tx, &u);
  if (rc == STORE_OK) rc = s->event_append(tx, &ev);
  if (rc == STORE_OK) rc = s->audit_append(tx, &row);
  if (rc == STORE_OK) w->event_id = ev.id;
  return rc;
}

struct child_thread {
  struct store *s;
  int fd, round, thread;
};

static void *child_writer(void *arg) {
  struct child_thread *t = arg;
  for (int32_t seq = 0;; seq++) {
    struct child_write w = {0};
    snprintf(w.name, sizeof w.name, "r%d-t%d-%d", t->round, t->thread, (int)seq);
    if (store_write(t->s, tx_child_write, &w) != STORE_OK) _exit(3);
    struct ack a;
    memset(&a, 0, sizeof a); /* padding too: the bytes go through the pipe */
    a.event_id = w.event_id;
    a.round = t->round;
    a.thread = t->thread;
    a.seq = seq;
    if (write(t->fd, &a, sizeof a) != (ssize_t)sizeof a) _exit(4);
  }
  return NULL;
}

static void child_main(int fd, int round) {
  char err[512];
  struct store *s = store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err);
  if (!s) {
    fprintf(stderr, "child: %s\n", err);
    _exit(2);
  }
  pthread_t tid[THREADS];
  struct child_thread t[THREADS];
  for (int i = 0; i < THREADS; i++) {
    t[i] = (struct child_thread){.s = s, .fd = fd, .round = round, .thread = i};
    if (pthread_create(&tid[i], NULL, child_writer, &t[i]) != 0) _exit(5);
  }
  for (;;) pause(); /* until killed */
}

/* ---- the parent --------------------------------------------------------------- */

struct found {
  struct arena *a;
  const struct ack *acks;
  size_t nacks;
  size_t missing_users, missing_events;
  struct walk_state {
    int64_t rows, bad;
    uint8_t prev[32];
  } walk;
};

static int walk_row(void *cls, const struct audit_row *row) {
  struct walk_state *w = cls;
  if (row->id != w->rows + 1 || audit_check_row(row, w->prev) != 0) w->bad++;
  memcpy(w->prev, row->hash, 32);
  w->rows++;
  return 0;
}

static enum store_rc tx_check(void *cls, struct store_tx *tx) {
  struct found *f = cls;
  struct store *s = store_of(tx);
  struct event *ev = NULL;
  size_t n = 0;
  enum store_rc rc = s->event_list_after(tx, 0, ROLES_ALL, 10000000, f->a, &ev, &n);
  for (size_t i = 0; rc == STORE_OK && i < f->nacks; i++) {
    const struct ack *k = &f->acks[i];
    char name[48];
    snprintf(name, sizeof name, "r%d-t%d-%d", k->round, k->thread, k->seq);
    struct user u;
    enum store_rc got = s->user_by_name(tx, name, f->a, &u);
    if (got == STORE_NOT_FOUND) f->missing_users++;
    else if (got != STORE_OK) rc = got;
    /* event ids are increasing: binary search */
    size_t lo = 0, hi = n;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (ev[mid].id < k->event_id) lo = mid + 1;
      else hi = mid;
    }
    if (lo == n || ev[lo].id != k->event_id || strcmp(ev[lo].subject, name) != 0)
      f->missing_events++;
  }
  if (rc == STORE_OK) rc = s->audit_walk(tx, walk_row, &f->walk);
  return rc;
}

static void acknowledged_writes_survive_sigkill(void **state) {
  (void)state;
  struct ack *acks = NULL;
  size_t nacks = 0, cap = 0;
  for (int round = 0; round < ROUNDS; round++) {
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
      close(fds[0]);
      child_main(fds[1], round);
    }
    close(fds[1]);
    size_t this_round = 0;
    bool killed = false;
    struct ack a;
    ssize_t got;
    /* Whole records only: each was written by one write() of sizeof a bytes. */
    while ((got = read(fds[0], &a, sizeof a)) == (ssize_t)sizeof a) {
      if (nacks == cap) {
        cap = cap ? cap * 2 : 1024;
        acks = realloc(acks, cap * sizeof *acks);
        assert_non_null(acks);
      }
      acks[nacks++] = a;
      if (++this_round == ACKS_BEFORE_KILL && !killed) {
        assert_int_equal(kill(pid, SIGKILL), 0);
        killed = true; /* acks already in the pipe are still read */
      }
    }
    assert_int_equal(got, 0);
    close(fds[0]);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    assert_true(this_round >= ACKS_BEFORE_KILL);

    char err[512];
    struct store *s = store_sqlite_open(path, 0, err, sizeof err);
    if (!s) fprintf(stderr, "reopen: %s\n", err);
    assert_non_null(s);
    struct found f = {.a = arena_new(0), .acks = acks, .nacks = nacks};
    assert_int_equal(store_read(s, tx_check, &f), STORE_OK);
    assert_int_equal(f.missing_users, 0);
    assert_int_equal(f.missing_events, 0);
    assert_int_equal(f.walk.bad, 0);
    assert_true(f.walk.rows >= (int64_t)nacks);
    arena_free(f.a);
    store_close(s);
  }
  free(acks);
}

static int remove_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(p);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/hamyar-crash-XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  snprintf(path, sizeof path, "%s/crash.db", dir);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(acknowledged_writes_survive_sigkill),
  };
  int failed = cmocka_run_group_tests_name("store: crash", tests, NULL, NULL);
  nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return failed;
}
