/* test_store_audit_search.c — searching the audit when its search indexes lag behind it.
 *
 * The indexes are on audit_search, a copy of the searched columns that the writer
 * extends a few hundred rows at a time (migrations.c, 10). Whatever the copy has reached
 * (nothing, some rows, all of them), a search must give what a search of the audit
 * table alone would: every matching row once, newest first, from the cursor on, up to
 * the limit. Random searches over random rows are checked against a plain filter here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../unit/random_fixture.h"
#include "store/sqlite/store_sqlite.h"
#include "store/store.h"
#include "util/arena.h"

#define ROWS 300

static const char *const actors[] = {"alice", "bob", "cli", "anonymous"};
static const char *const actions[] = {"session.login", "session.logout", "session.login_failed",
                                      "user.create",   "user.read",      "call.create"};
static const char *const subjects[] = {"", "user:1", "user:2", "call:7", "call:70", "incident:3"};
/* exact actions, and prefixes ("session.*") */
static const char *const wanted_actions[] = {"session.login", "user.read", "call.create", "none",
                                             "session.*",     "user.*",    "*",           "session.login*"};

#define PICK(arr, r) ((arr)[(r) % (sizeof(arr) / sizeof((arr)[0]))])

static struct audit_row rows[ROWS + 1]; /* by id */

static enum store_rc tx_append_rows(void *cls, struct store_tx *tx) {
  (void)cls;
  enum store_rc rc = STORE_OK;
  for (int i = 1; rc == STORE_OK && i <= ROWS; i++) {
    struct audit_row r = rows[i];
    rc = store_of(tx)->audit_append(tx, &r);
    if (rc == STORE_OK) assert_int_equal(r.id, i);
  }
  return rc;
}

struct search {
  struct audit_filter f;
  struct arena *a;
  struct audit_row *out;
  size_t n;
};

static enum store_rc tx_search(void *cls, struct store_tx *tx) {
  struct search *q = cls;
  return store_of(tx)->audit_list(tx, &q->f, q->a, &q->out, &q->n);
}

static bool matches(const struct audit_row *r, const struct audit_filter *f) {
  if (f->before_id > 0 && r->id >= f->before_id) return false;
  if (f->from_ms && r->time_ms < f->from_ms) return false;
  if (f->to_ms && r->time_ms >= f->to_ms) return false;
  if (f->actor && strcmp(r->actor, f->actor) != 0) return false;
  if (f->subject && strcmp(r->subject, f->subject) != 0) return false;
  if (f->action) {
    size_t len = strlen(f->action);
    if (len > 0 && f->action[len - 1] == '*') return strncmp(r->action, f->action, len - 1) == 0;
    return strcmp(r->action, f->action) == 0;
  }
  return true;
}

/* The search's ids against the plain filter's, newest first, up to the limit. */
static void expect_plain_filter(struct store *s, const struct audit_filter *f) {
  struct search q = {.f = *f, .a = arena_new(0)};
  assert_int_equal(store_read(s, tx_search, &q), STORE_OK);
  size_t limit = f->limit ? f->limit : 100, want = 0;
  for (int id = ROWS; id >= 1 && want < limit; id--) {
    if (!matches(&rows[id], f)) continue;
    assert_true(want < q.n);
    assert_int_equal(q.out[want].id, id);
    assert_string_equal(q.out[want].actor, rows[id].actor);
    assert_string_equal(q.out[want].action, rows[id].action);
    assert_string_equal(q.out[want].subject, rows[id].subject);
    assert_int_equal(q.out[want].time_ms, rows[id].time_ms);
    want++;
  }
  assert_int_equal(q.n, want);
  arena_free(q.a);
}

static void copy_reached(const char *path, int upto) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char sql[256];
  snprintf(sql, sizeof sql,
           "DELETE FROM audit_search; INSERT INTO audit_search (id, time_ms, actor, action, subject) "
           "SELECT id, time_ms, actor, action, subject FROM audit WHERE id <= %d",
           upto);
  assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
  sqlite3_close(db);
}

static void every_row_is_found_once_wherever_the_copy_has_reached(void **state) {
  const char *path = *state;
  uint64_t seed = 0x5eed4a0d17ULL;
  /* times in no particular order, as clocks on several threads give them */
  for (int i = 1; i <= ROWS; i++)
    rows[i] = (struct audit_row){.id = i,
                                 .time_ms = 1 + (int64_t)(fixture_random(&seed) % 1000),
                                 .actor = PICK(actors, fixture_random(&seed)),
                                 .action = PICK(actions, fixture_random(&seed)),
                                 .subject = PICK(subjects, fixture_random(&seed))};
  char err[512];
  struct store *s = store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(store_write(s, tx_append_rows, NULL), STORE_OK);

  const int reached[] = {0, 1, 137, ROWS - 1, ROWS};
  for (size_t k = 0; k < sizeof reached / sizeof reached[0]; k++) {
    copy_reached(path, reached[k]);
    expect_plain_filter(s, &(struct audit_filter){0});
    expect_plain_filter(s, &(struct audit_filter){.limit = 7, .before_id = reached[k] + 4});
    for (int t = 0; t < 300; t++) {
      struct audit_filter f = {0};
      if (fixture_random(&seed) % 3 == 0) f.actor = PICK(actors, fixture_random(&seed));
      if (fixture_random(&seed) % 3 == 0) f.action = PICK(wanted_actions, fixture_random(&seed));
      if (fixture_random(&seed) % 4 == 0) f.subject = PICK(subjects, fixture_random(&seed));
      if (fixture_random(&seed) % 4 == 0) f.from_ms = 1 + (int64_t)(fixture_random(&seed) % 1000);
      if (fixture_random(&seed) % 4 == 0) f.to_ms = 1 + (int64_t)(fixture_random(&seed) % 1000);
      if (fixture_random(&seed) % 2 == 0) f.before_id = (int64_t)(fixture_random(&seed) % (ROWS + 2));
      f.limit = fixture_random(&seed) % 3 == 0 ? 0 : 1 + fixture_random(&seed) % 40;
      expect_plain_filter(s, &f);
    }
  }
  store_close(s);
}

static char dir[64];

static int setup(void **state) {
  static char path[128];
  snprintf(path, sizeof path, "%s/audit-search.db", dir);
  *state = path;
  return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/hamyar-audit-search-XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup(every_row_is_found_once_wherever_the_copy_has_reached, setup),
  };
  int failed = cmocka_run_group_tests_name("store: audit search", tests, NULL, NULL);
  nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return failed;
}
