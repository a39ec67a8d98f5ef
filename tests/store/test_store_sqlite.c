/* test_store_sqlite.c — what only the SQLite backend promises: refusing files it must
 * not touch, WAL with synchronous=FULL, the schema's names, read-only opening, several
 * writers on one file, the writer's handling of callbacks that misbehave, and migrating
 * a file made by an older schema. The behaviour every backend shares is in
 * test_store_contract.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "store/sqlite/store_sqlite.h"
#include "store/store.h"
#include "util/arena.h"

static char dir[64];
static int counter;

/* A new database path in the test directory (not created). */
static const char *new_path(char *out, size_t outlen) {
  snprintf(out, outlen, "%s/db-%d.db", dir, ++counter);
  return out;
}

static struct store *open_ok(const char *path, int flags) {
  char err[512] = "";
  struct store *s = store_sqlite_open(path, flags, err, sizeof err);
  if (!s) fprintf(stderr, "unexpected: %s\n", err);
  assert_non_null(s);
  return s;
}

static void raw_exec(const char *path, const char *sql) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fprintf(stderr, "%s\n", msg);
  assert_null(msg);
  sqlite3_close(db);
}

static int64_t raw_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  int64_t v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

static char *raw_text(sqlite3 *db, const char *sql, char *out, size_t outlen) {
  sqlite3_stmt *st = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
  assert_int_equal(sqlite3_step(st), SQLITE_ROW);
  snprintf(out, outlen, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  return out;
}

/* An event whose payload is cls, or "{}" when cls is NULL. */
static enum store_rc tx_event(void *cls, struct store_tx *tx) {
  struct event ev = {.type = "t", .payload = cls ? cls : "{}", .audience = ROLE_ADMIN};
  return store_of(tx)->event_append(tx, &ev);
}

static enum store_rc tx_last_event(void *cls, struct store_tx *tx) {
  return store_of(tx)->event_last_id(tx, cls);
}

static int64_t last_event(struct store *s) {
  int64_t id = -1;
  assert_int_equal(store_read(s, tx_last_event, &id), STORE_OK);
  return id;
}

/* ---- opening ----------------------------------------------------------------- */

static void a_missing_file_is_not_created_without_the_create_flag(void **state) {
  (void)state;
  char path[128], err[512], want[512];
  new_path(path, sizeof path);
  snprintf(want, sizeof want, "database %s does not exist; run `hamyar init --db %s` first",
           path, path);
  assert_null(store_sqlite_open(path, 0, err, sizeof err));
  assert_string_equal(err, want);
  assert_null(store_sqlite_open(path, STORE_OPEN_READONLY | STORE_OPEN_CREATE, err, sizeof err));
  assert_string_equal(err, want);
  assert_int_equal(access(path, F_OK), -1);

  char deep[192];
  snprintf(deep, sizeof deep, "%s/no/such/dir/h.db", dir);
  assert_null(store_sqlite_open(deep, STORE_OPEN_CREATE, err, sizeof err));
  assert_non_null(strstr(err, "cannot open database"));
  assert_null(store_sqlite_open(dir, STORE_OPEN_CREATE, err, sizeof err));
  assert_non_null(strstr(err, "is a directory"));
  assert_null(store_sqlite_open("", STORE_OPEN_CREATE, err, sizeof err));
  assert_non_null(strstr(err, "--db"));
}

static void a_newer_schema_version_is_refused(void **state) {
  (void)state;
  char path[128], err[512], want[512], bump[64];
  int newer = store_sqlite_newest_version() + 1;
  new_path(path, sizeof path);
  store_close(open_ok(path, STORE_OPEN_CREATE));
  snprintf(bump, sizeof bump, "UPDATE schema_version SET version = %d", newer);
  raw_exec(path, bump);
  snprintf(want, sizeof want,
           "database %s has schema version %d but this hamyar knows only up to %d; upgrade "
           "hamyar or use a copy of the database made for this version",
           path, newer, store_sqlite_newest_version());
  assert_null(store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err));
  assert_string_equal(err, want);
  assert_null(store_sqlite_open(path, STORE_OPEN_READONLY, err, sizeof err));
  assert_string_equal(err, want);
  /* refusing changed nothing */
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(raw_int(db, "SELECT version FROM schema_version"), newer);
  sqlite3_close(db);
}

static void files_that_are_not_hamyar_databases_are_refused(void **state) {
  (void)state;
  char path[128], err[512];
  new_path(path, sizeof path);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  for (int i = 0; i < 200; i++) fputs("this is not a database at all. ", f);
  fclose(f);
  assert_null(store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err));
  assert_non_null(strstr(err, "is not a hamyar database"));

  new_path(path, sizeof path);
  raw_exec(path, "CREATE TABLE customers (id INTEGER)");
  assert_null(store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err));
  assert_non_null(strstr(err, "is not a hamyar database"));

  /* an empty SQLite file is not refused: it gets the schema */
  new_path(path, sizeof path);
  f = fopen(path, "w"); /* SQLite reads a file of 0 bytes as an empty database */
  assert_non_null(f);
  fclose(f);
  assert_null(store_sqlite_open(path, STORE_OPEN_READONLY, err, sizeof err));
  assert_non_null(strstr(err, "has no hamyar schema"));
  struct store *s = open_ok(path, 0);
  assert_int_equal(s->schema_version(s), store_sqlite_newest_version());
  store_close(s);
}

/* ---- settings and schema ----------------------------------------------------- */

struct pragmas {
  char journal[16];
  int64_t synchronous, foreign_keys, query_only;
};

/* Callbacks may run on the writer thread, so this one reports instead of asserting. */
static int64_t pragma(sqlite3 *db, const char *name, char *text, size_t textlen) {
  sqlite3_stmt *st = NULL;
  int64_t v = -1;
  if (sqlite3_prepare_v2(db, name, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
    if (text) snprintf(text, textlen, "%s", (const char *)sqlite3_column_text(st, 0));
  }
  sqlite3_finalize(st);
  return v;
}

static enum store_rc tx_pragmas(void *cls, struct store_tx *tx) {
  struct pragmas *p = cls;
  sqlite3 *db = store_sqlite_db(tx);
  if (!db) return STORE_HARD;
  pragma(db, "PRAGMA journal_mode", p->journal, sizeof p->journal);
  p->synchronous = pragma(db, "PRAGMA synchronous", NULL, 0);
  p->foreign_keys = pragma(db, "PRAGMA foreign_keys", NULL, 0);
  p->query_only = pragma(db, "PRAGMA query_only", NULL, 0);
  return STORE_OK;
}

static void the_writer_uses_wal_synced_by_its_own_thread_and_readers_are_query_only(void **state) {
  (void)state;
  char path[128], mode[16];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  assert_string_equal(s->backend, "sqlite");
  struct pragmas p = {0};
  assert_int_equal(store_write(s, tx_pragmas, &p), STORE_OK);
  assert_string_equal(p.journal, "wal");
  /* NORMAL: COMMIT writes the WAL, and the sync thread syncs it before the writer is
   * answered (sqlite_sync.c). */
  assert_int_equal(p.synchronous, 1);
  assert_int_equal(p.foreign_keys, 1);
  assert_int_equal(p.query_only, 0);
  p = (struct pragmas){0};
  assert_int_equal(store_read(s, tx_pragmas, &p), STORE_OK);
  assert_string_equal(p.journal, "wal");
  assert_int_equal(p.query_only, 1);
  store_close(s);
  sqlite3 *db; /* journal_mode=WAL is a property of the file */
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_string_equal(raw_text(db, "PRAGMA journal_mode", mode, sizeof mode), "wal");
  sqlite3_close(db);
}

static void the_schema_has_the_agreed_names(void **state) {
  (void)state;
  static const char *const tables[][40] = {
      {"users", "id", "username", "display_name", "password_hash", "roles", "disabled", "locked",
       "totp_secret", "totp_enabled", "latin_digits", "created_ms", "password_changed_ms",
       "totp_last_step"},
      {"login_failures", "user_id", "time_ms"},
      {"sessions", "id", "token_hash", "csrf_hash", "user_id", "created_ms", "last_seen_ms",
       "revoked_ms", "ip"},
      {"apikeys", "id", "name", "role", "key_hash", "prefix", "created_ms", "revoked_ms",
       "created_by", "unit_id"},
      {"audit", "id", "time_ms", "actor_id", "actor", "action", "subject", "detail", "ip",
       "request_id", "prev_hash", "hash"},
      {"events", "id", "time_ms", "type", "subject", "payload", "audience"},
      {"idempotency", "id", "principal", "key", "route", "body_hash", "status", "response",
       "created_ms"},
      {"schema_version", "version"},
      /* 2: the 110 centre */
      {"counties", "id", "code", "name_fa", "name_en", "seat_lat", "seat_lon", "border"},
      {"stations", "id", "code", "county", "kind", "name_fa", "name_en", "lat", "lon"},
      {"entry_points", "id", "code", "name_fa", "name_en", "road", "neighbour", "lat", "lon"},
      {"units", "id", "code", "call_sign_fa", "station", "type", "seats", "status", "status_ms",
       "incident_id", "has_position", "lat", "lon", "position_ms"},
      {"unit_positions", "unit_id", "time_ms", "lat", "lon"},
      {"telephony_calls", "id", "ext_id", "ani", "has_location", "lat", "lon", "uncertainty_m",
       "location_source", "state", "ring_ms", "answer_ms", "end_ms", "call_id",
       "received_ms" /* 6 */},
      {"calls", "id", "telephony_call_id", "caller_number", "caller_name", "has_location", "lat",
       "lon", "uncertainty_m", "address", "county", "type", "priority", "narrative", "outcome",
       "incident_id", "ring_ms", "answer_ms", "created_ms", "taker_id"},
      {"incidents", "id", "year", "seq", "type", "priority", "status", "county", "has_location",
       "lat", "lon", "address", "call_count", "first_call_id", "created_ms", "answer_ms",
       "dispatch_ms", "en_route_ms", "on_scene_ms", "cleared_ms", "closed_ms", "updated_ms",
       "disposition"},
      {"incident_seq", "year", "last"},
      {"timeline", "id", "incident_id", "time_ms", "actor_id", "actor", "kind", "text", "data"},
      /* 5: the 197 desk */
      {"feedback", "id", "year", "seq", "code_hash", "channel", "kind", "category",
       "citizen_name", "citizen_phone", "citizen_national_id", "county", "station", "unit",
       "officer", "officer_name", "text", "has_location", "lat", "lon", "address",
       "suggested_kind", "suggested_category", "classification_confirmed", "status", "outcome",
       "assigned_to", "received_ms", "due_ms", "assigned_ms", "answered_ms", "closed_ms",
       "updated_ms", "created_by"},
      {"feedback_seq", "year", "last"},
      {"feedback_entries", "id", "feedback_id", "time_ms", "actor_id", "actor", "kind",
       "for_citizen", "text", "data"},
      {"commendations", "id", "citizen_name", "citizen_phone", "reason", "deed_ms", "county",
       "proposed_by_unit", "proposed_by_station", "feedback_id", "created_ms", "created_by"},
  };
  char path[128], sql[256];
  new_path(path, sizeof path);
  store_close(open_ok(path, STORE_OPEN_CREATE));
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
    int n = 0;
    while (n + 1 < 40 && tables[t][n + 1]) n++;
    snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s')", tables[t][0]);
    assert_int_equal(raw_int(db, sql), n);
    for (int c = 1; c <= n; c++) {
      snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'",
               tables[t][0], tables[t][c]);
      assert_int_equal(raw_int(db, sql), 1);
    }
  }
  assert_int_equal(raw_int(db, "SELECT count(*) FROM schema_version"), 1);
  assert_int_equal(raw_int(db, "SELECT version FROM schema_version"),
                   store_sqlite_newest_version());
  assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = 'audit_search' AND name IN ('audit_action', "
                               "'audit_time', 'audit_actor', 'audit_subject')"),
                   4);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                               "tbl_name = 'audit'"),
                   0);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                               "name IN ('calls_created', 'calls_caller', "
                               "'calls_incident', 'incidents_status_updated', "
                               "'incidents_created', 'units_station', 'timeline_incident', "
                               "'telephony_calls_open', 'telephony_calls_abandoned')"),
                   9);
  /* an incident's calls come through the index that holds linked calls only */
  char text[256];
  assert_non_null(strstr(raw_text(db, "SELECT sql FROM sqlite_master WHERE name = 'calls_incident'", text, sizeof text),
                         "WHERE incident_id IS NOT NULL"));
  sqlite3_stmt *plan = NULL;
  assert_int_equal(sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT id FROM calls WHERE incident_id = 7", -1,
                                      &plan, NULL),
                   SQLITE_OK);
  assert_int_equal(sqlite3_step(plan), SQLITE_ROW);
  assert_non_null(strstr((const char *)sqlite3_column_text(plan, 3), "calls_incident"));
  sqlite3_finalize(plan);
  sqlite3_close(db);
}

/* ---- read-only and several writers ------------------------------------------- */

static void a_read_only_store_reads_and_refuses_writes(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *rw = open_ok(path, STORE_OPEN_CREATE);
  assert_int_equal(store_write(rw, tx_event, NULL), STORE_OK);
  struct store *ro = open_ok(path, STORE_OPEN_READONLY);
  assert_int_equal(last_event(ro), 1);
  assert_int_equal(store_write(ro, tx_event, NULL), STORE_HARD);
  assert_int_equal(store_write(rw, tx_event, NULL), STORE_OK);
  assert_int_equal(last_event(ro), 2); /* a new read transaction sees the other's commit */
  struct store_stats st;
  ro->stats(ro, &st);
  assert_int_equal(st.commits, 0);
  store_close(ro);
  store_close(rw);
}

struct writer_arg {
  struct store *s;
  int writes, failed;
};

static void *write_events(void *arg) {
  struct writer_arg *w = arg;
  for (int i = 0; i < w->writes; i++)
    if (store_write(w->s, tx_event, NULL) != STORE_OK) w->failed++;
  return NULL;
}

static void two_stores_on_one_file_take_turns(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *a = open_ok(path, STORE_OPEN_CREATE);
  struct store *b = open_ok(path, 0);
  pthread_t t[6];
  struct writer_arg w[6];
  for (int i = 0; i < 6; i++) {
    w[i] = (struct writer_arg){.s = i % 2 ? b : a, .writes = 30};
    assert_int_equal(pthread_create(&t[i], NULL, write_events, &w[i]), 0);
  }
  for (int i = 0; i < 6; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].failed, 0);
  }
  assert_int_equal(last_event(a), 180);
  assert_int_equal(last_event(b), 180);
  store_close(a);
  store_close(b);
}

static enum store_rc tx_add_user(void *cls, struct store_tx *tx) {
  struct user u = {.username = cls, .password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                   .roles = ROLE_CALL_TAKER, .created_ms = 1, .password_changed_ms = 1};
  return store_of(tx)->user_insert(tx, &u);
}

/* The accounts version is shared through <db>-accounts: a change made by another
 * process (here another store on the file, as `hamyar apikey revoke` beside a
 * running server) counts for every store on it, a read-only one too. */
static void an_account_change_elsewhere_advances_every_stores_version(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *server = open_ok(path, STORE_OPEN_CREATE);
  struct store *cli = open_ok(path, 0);
  struct store *ro = open_ok(path, STORE_OPEN_READONLY);
  uint64_t v = store_accounts_version(server);
  assert_int_equal(store_accounts_version(cli), v);
  assert_int_equal(store_write(cli, tx_add_user, "elsewhere"), STORE_OK);
  assert_true(store_accounts_version(server) > v);
  assert_int_equal(store_accounts_version(ro), store_accounts_version(server));
  v = store_accounts_version(server);
  assert_int_equal(store_write(cli, tx_event, NULL), STORE_OK); /* not an account change */
  assert_int_equal(store_accounts_version(server), v);
  store_close(ro);
  store_close(cli);
  store_close(server);
  char shared[160];
  snprintf(shared, sizeof shared, "%s-accounts", path);
  assert_int_equal(access(shared, F_OK), 0); /* kept: it is the count, not a lock */
}

/* A raw connection holds the write lock for a moment; the store waits, then writes. */
static void a_write_waits_for_a_lock_held_elsewhere(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  pthread_t t;
  struct writer_arg w = {.s = s, .writes = 1};
  assert_int_equal(pthread_create(&t, NULL, write_events, &w), 0);
  usleep(200 * 1000);
  assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
  pthread_join(t, NULL);
  assert_int_equal(w.failed, 0);
  assert_int_equal(last_event(s), 1);
  sqlite3_close(db);
  store_close(s);
}

/* ---- the writer and misbehaving callbacks ------------------------------------ */

static enum store_rc tx_nested(void *cls, struct store_tx *tx) {
  struct store *s = store_of(tx);
  enum store_rc *out = cls;
  out[0] = store_write(s, tx_event, NULL);
  out[1] = store_read(s, tx_event, NULL);
  return STORE_OK;
}

static enum store_rc tx_soft_once(void *cls, struct store_tx *tx) {
  int *calls = cls;
  if ((*calls)++ == 0) return STORE_SOFT;
  return tx_event(NULL, tx);
}

/* Ends the writer's transaction behind its back, as an I/O error would. */
static enum store_rc tx_rollback_all(void *cls, struct store_tx *tx) {
  (void)cls;
  tx_event(NULL, tx);
  sqlite3_exec(store_sqlite_db(tx), "ROLLBACK", NULL, NULL, NULL);
  return STORE_OK;
}

static void *write_breaker(void *arg) {
  struct writer_arg *w = arg;
  if (store_write(w->s, tx_rollback_all, NULL) != STORE_HARD) w->failed++;
  return NULL;
}

static void the_writer_survives_misbehaving_callbacks(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);

  enum store_rc nested[2] = {STORE_OK, STORE_OK};
  assert_int_equal(store_write(s, tx_nested, nested), STORE_OK);
  assert_int_equal(nested[0], STORE_HARD); /* refused, not deadlocked */
  assert_int_equal(nested[1], STORE_HARD);

  int calls = 0;
  assert_int_equal(store_write(s, tx_soft_once, &calls), STORE_OK);
  assert_int_equal(calls, 2);
  struct store_stats st;
  s->stats(s, &st);
  assert_true(st.retries >= 1);
  assert_int_equal(last_event(s), 1);

  /* one callback ends the transaction; the writes batched with it still commit */
  pthread_t t[8];
  struct writer_arg w[8];
  for (int i = 0; i < 8; i++) {
    w[i] = (struct writer_arg){.s = s, .writes = 20};
    assert_int_equal(pthread_create(&t[i], NULL, i == 3 ? write_breaker : write_events, &w[i]),
                     0);
  }
  for (int i = 0; i < 8; i++) {
    pthread_join(t[i], NULL);
    assert_int_equal(w[i].failed, 0);
  }
  assert_int_equal(last_event(s), 1 + 7 * 20);
  store_close(s);
}

/* ---- the audit chain on disk ------------------------------------------------- */

static enum store_rc tx_audit3(void *cls, struct store_tx *tx) {
  (void)cls;
  enum store_rc rc = STORE_OK;
  for (int i = 0; rc == STORE_OK && i < 3; i++) {
    struct audit_row r = {.time_ms = i, .actor = "cli", .action = "user.read", .subject = "user:1"};
    rc = store_of(tx)->audit_append(tx, &r);
  }
  return rc;
}

static int check_chain(void *cls, const struct audit_row *row) {
  int *first_bad = cls;
  static uint8_t prev[32];
  if (row->id == 1) memset(prev, 0, sizeof prev);
  if (audit_check_row(row, prev) != 0 && !*first_bad) *first_bad = (int)row->id;
  memcpy(prev, row->hash, 32);
  return 0;
}

static enum store_rc tx_walk(void *cls, struct store_tx *tx) {
  return store_of(tx)->audit_walk(tx, check_chain, cls);
}

/* ---- the sync thread ------------------------------------------------------------ */

static void sleep_ms(long ms) { nanosleep(&(struct timespec){.tv_nsec = ms * 1000 * 1000}, NULL); }

/* A commit hook that holds the sync thread (it runs there, after the WAL's sync and
 * before the batch counts as durable) until the test lets it go. */
struct hook_hold {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  bool entered, released, waited, write_done;
  int dones;
  struct store *s;
  char path[128];
};

static void holding_hook(void *cls, int64_t last_event_id) {
  (void)last_event_id;
  struct hook_hold *h = cls;
  pthread_mutex_lock(&h->mu);
  h->entered = true;
  pthread_cond_broadcast(&h->cv);
  while (!h->released) pthread_cond_wait(&h->cv, &h->mu);
  pthread_mutex_unlock(&h->mu);
}

static void *durable_waiter(void *arg) {
  struct hook_hold *h = arg;
  store_durable_wait(h->s);
  pthread_mutex_lock(&h->mu);
  h->waited = true;
  pthread_mutex_unlock(&h->mu);
  return NULL;
}

static void hold_done(void *cls, enum store_rc rc) {
  struct hook_hold *h = cls;
  assert_int_equal(rc, STORE_OK);
  pthread_mutex_lock(&h->mu);
  h->write_done = true;
  h->dones++;
  pthread_cond_broadcast(&h->cv);
  pthread_mutex_unlock(&h->mu);
}

/* A new store with one write made, returned once that write's sync is held. */
static struct store *a_write_with_its_sync_held(struct hook_hold *h) {
  *h = (struct hook_hold){0};
  struct store *s = open_ok(new_path(h->path, sizeof h->path), STORE_OPEN_CREATE);
  h->s = s;
  pthread_mutex_init(&h->mu, NULL);
  pthread_cond_init(&h->cv, NULL);
  s->set_commit_hook(s, holding_hook, h);
  assert_int_equal(store_write_async(s, tx_event, NULL, hold_done, h), STORE_OK);
  pthread_mutex_lock(&h->mu);
  while (!h->entered) pthread_cond_wait(&h->cv, &h->mu);
  pthread_mutex_unlock(&h->mu);
  return s;
}

static void close_held(struct hook_hold *h) {
  h->s->set_commit_hook(h->s, NULL, NULL);
  store_close(h->s);
  pthread_mutex_destroy(&h->mu);
  pthread_cond_destroy(&h->cv);
}

static void a_committed_write_is_answered_and_waited_for_only_once_durable(void **state) {
  (void)state;
  struct hook_hold h;
  struct store *s = a_write_with_its_sync_held(&h);

  /* Committed (a reader sees it) and synced, but its sync has not finished its round:
   * neither its writer nor durable_wait() may hear of it yet. */
  assert_int_equal(last_event(s), 1);
  struct store_stats st;
  s->stats(s, &st);
  assert_int_equal(st.writes, 1);
  assert_int_equal(st.durable, 0);
  pthread_t t;
  assert_int_equal(pthread_create(&t, NULL, durable_waiter, &h), 0);
  sleep_ms(200);
  pthread_mutex_lock(&h.mu);
  assert_false(h.waited);
  assert_false(h.write_done);
  h.released = true;
  pthread_cond_broadcast(&h.cv);
  while (!h.write_done) pthread_cond_wait(&h.cv, &h.mu);
  pthread_mutex_unlock(&h.mu);
  pthread_join(t, NULL);
  assert_true(h.waited);
  s->stats(s, &st);
  assert_int_equal(st.durable, 1);
  assert_int_equal(st.syncs, 1);
  /* That sync was timed, once, and the writer's batch too. */
  uint64_t timed = 0;
  for (int i = 0; i < STORE_SYNC_BUCKETS; i++) timed += st.sync_hist[i];
  assert_int_equal(timed, 1);
  assert_true(st.writer_busy_us > 0);
  close_held(&h);
}

/* Writes that arrive while the sync thread is busy run, but wait uncommitted in one
 * open batch, and are committed together when the sync ends: the writer commits no
 * more often than the disk syncs. */
static void writes_during_a_sync_wait_for_its_end_and_commit_together(void **state) {
  (void)state;
  struct hook_hold h;
  struct store *s = a_write_with_its_sync_held(&h);

  /* the first write's sync is held; two more arrive one after the other */
  assert_int_equal(store_write_async(s, tx_event, NULL, hold_done, &h), STORE_OK);
  sleep_ms(100);
  assert_int_equal(store_write_async(s, tx_event, NULL, hold_done, &h), STORE_OK);
  sleep_ms(100);
  assert_int_equal(last_event(s), 1); /* they ran, but nothing of theirs is committed */
  struct store_stats st;
  s->stats(s, &st);
  assert_int_equal(st.commits, 1);
  assert_int_equal(st.writes, 1);

  pthread_mutex_lock(&h.mu);
  h.released = true;
  pthread_cond_broadcast(&h.cv);
  while (h.dones < 3) pthread_cond_wait(&h.cv, &h.mu);
  pthread_mutex_unlock(&h.mu);
  assert_int_equal(last_event(s), 3);
  s->stats(s, &st);
  assert_int_equal(st.commits, 2);
  assert_int_equal(st.writes, 3);
  assert_int_equal(st.batch_hist[1], 1); /* one commit of two */
  assert_int_equal(st.syncs, 2);
  assert_int_equal(st.durable, 3);
  /* the 200 ms the batch waited open are not the writer's busy time */
  assert_true(st.writer_busy_us < 150 * 1000);
  close_held(&h);
}

/* ---- the audit's search indexes --------------------------------------------------- */

static enum store_rc tx_audit_n(void *cls, struct store_tx *tx) {
  int n = *(int *)cls;
  enum store_rc rc = STORE_OK;
  for (int i = 0; rc == STORE_OK && i < n; i++) {
    struct audit_row r = {.time_ms = i, .actor = "taker", .action = "call.create", .subject = "call:1"};
    rc = store_of(tx)->audit_append(tx, &r);
  }
  return rc;
}

/* How many audit rows audit_search holds, after checking that they are the audit's
 * first rows, copied as they are. */
static int64_t audit_copied(const char *path) {
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  int64_t n = raw_int(db, "SELECT count(*) FROM audit_search");
  assert_int_equal(raw_int(db, "SELECT coalesce(max(id), 0) FROM audit_search"), n);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_search s JOIN audit a USING (id) "
                               "WHERE s.time_ms = a.time_ms AND s.actor = a.actor AND "
                               "s.action = a.action AND s.subject = a.subject"),
                   n);
  sqlite3_close(db);
  return n;
}

/* A batch that waits for the disk anyway copies its audit rows into the search indexes
 * meanwhile (sqlite_writer.c), and commits them with its own. */
static void a_batch_waiting_for_the_disk_copies_the_audit_rows_for_search(void **state) {
  (void)state;
  struct hook_hold h;
  struct store *s = a_write_with_its_sync_held(&h);
  int n = 100;
  assert_int_equal(store_write_async(s, tx_audit_n, &n, hold_done, &h), STORE_OK);
  sleep_ms(100); /* it ran, and waits for the held sync */
  pthread_mutex_lock(&h.mu);
  h.released = true;
  pthread_cond_broadcast(&h.cv);
  while (h.dones < 2) pthread_cond_wait(&h.cv, &h.mu);
  pthread_mutex_unlock(&h.mu);
  assert_int_equal(audit_copied(h.path), 100);
  close_held(&h);
}

/* Writes one after the other never wait for the disk; their audit rows are copied for
 * search once a thousand or so wait, so the rows a search reads one by one stay few. */
static void the_audit_rows_for_search_never_fall_far_behind(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  int n = 100;
  for (int i = 0; i < 30; i++) assert_int_equal(store_write(s, tx_audit_n, &n), STORE_OK);
  store_close(s);
  int64_t copied = audit_copied(path);
  assert_true(copied > 0);
  assert_true(30 * 100 - copied < 1024 + 100);
}

/* Copying for search is not worth a write: should it fail, the write commits without
 * it (and searches read the rows from the audit table). */
static void a_write_commits_when_its_audit_rows_cannot_be_copied_for_search(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  store_close(s);
  raw_exec(path, "ALTER TABLE audit_search RENAME TO audit_search_gone");
  s = open_ok(path, STORE_OPEN_CREATE);
  int n = 1100; /* past the thousand or so after which every commit copies */
  assert_int_equal(store_write(s, tx_audit_n, &n), STORE_OK);
  assert_int_equal(store_write(s, tx_audit_n, &n), STORE_OK); /* the copy paused meanwhile */
  int first_bad = 0;
  assert_int_equal(store_read(s, tx_walk, &first_bad), STORE_OK);
  assert_int_equal(first_bad, 0);
  store_close(s);
  sqlite3 *db = NULL;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), 2200);
  sqlite3_close(db);
}

/* ---- checkpoints ---------------------------------------------------------------- */

/* A reader that keeps its snapshot keeps the WAL from starting over, as a busy writer
 * does: the checkpointer is woken once the WAL passes 1000 pages and then once per 250
 * more, not after every commit. */
static void the_checkpointer_is_woken_once_per_step_of_wal_growth(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  sqlite3 *reader = NULL;
  assert_int_equal(sqlite3_open(path, &reader), SQLITE_OK);
  assert_int_equal(sqlite3_exec(reader, "BEGIN", NULL, NULL, NULL), SQLITE_OK);
  assert_true(raw_int(reader, "SELECT count(*) FROM events") >= 0);

  static char payload[12 * 1024]; /* three pages and more an event */
  memset(payload, 'x', sizeof payload - 1);
  payload[sizeof payload - 1] = '\0';
  for (int i = 0; i < 600; i++) assert_int_equal(store_write(s, tx_event, payload), STORE_OK);
  struct stat wal;
  char wal_path[160];
  snprintf(wal_path, sizeof wal_path, "%s-wal", path);
  assert_int_equal(stat(wal_path, &wal), 0);
  assert_true(wal.st_size > 2000 * 4096); /* 600 commits past the first 1000 pages */
  /* one wake at 1000 pages and one per 250 after, each run at most once */
  sleep_ms(100);
  struct store_stats st;
  s->stats(s, &st);
  uint64_t steps = (uint64_t)(wal.st_size / 4096 - 1000) / 250 + 1;
  assert_true(st.checkpoints >= 1);
  assert_true(st.checkpoints <= steps);
  sqlite3_exec(reader, "COMMIT", NULL, NULL, NULL);
  sqlite3_close(reader);
  store_close(s);
}

static void a_changed_audit_row_breaks_the_chain(void **state) {
  (void)state;
  char path[128];
  new_path(path, sizeof path);
  struct store *s = open_ok(path, STORE_OPEN_CREATE);
  assert_int_equal(store_write(s, tx_audit3, NULL), STORE_OK);
  int first_bad = 0;
  assert_int_equal(store_read(s, tx_walk, &first_bad), STORE_OK);
  assert_int_equal(first_bad, 0);
  store_close(s);
  raw_exec(path, "UPDATE audit SET actor = 'someone-else' WHERE id = 2");
  s = open_ok(path, STORE_OPEN_READONLY);
  assert_int_equal(store_read(s, tx_walk, &first_bad), STORE_OK);
  assert_int_equal(first_bad, 2);
  store_close(s);
}

/* ---- migrations -------------------------------------------------------------- */

struct walk_count {
  int rows, first_bad;
};

static int count_row(void *cls, const struct audit_row *row) {
  struct walk_count *w = cls;
  uint8_t zero[32] = {0};
  w->rows++;
  if (row->id == 1 && audit_check_row(row, zero) != 0) w->first_bad = 1;
  return 0;
}

static enum store_rc tx_walk_count(void *cls, struct store_tx *tx) {
  return store_of(tx)->audit_walk(tx, count_row, cls);
}

/* Rows as an hamyar of schema version 1 wrote them: raw SQL, since today's operations
 * write the columns of today's schema. The audit row is hashed as audit_append does. */
static void write_v1_rows(const char *path) {
  struct audit_row row = {.id = 1, .time_ms = 2, .actor = "cli", .action = "user.create",
                          .subject = "user:1", .detail = "{}", .ip = "", .request_id = ""};
  uint8_t zero[32] = {0}, hash[32];
  assert_int_equal(audit_row_hash(&row, zero, hash), 0);
  char hex[65], sql[1024];
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", hash[i]);
  snprintf(sql, sizeof sql,
           "INSERT INTO users (username, password_hash, roles, created_ms, password_changed_ms) "
           "VALUES ('old-admin', 'x', %lld, 1, 1);"
           "INSERT INTO events (time_ms, type, subject, payload, audience) "
           "VALUES (1, 'user.created', 'user:1', '{}', %lld);"
           "INSERT INTO audit (id, time_ms, actor_id, actor, action, subject, detail, ip, "
           "request_id, prev_hash, hash) VALUES (1, 2, 0, 'cli', 'user.create', 'user:1', '{}', "
           "'', '', zeroblob(32), X'%s');"
           "INSERT INTO idempotency (principal, \"key\", route, body_hash, status, response, "
           "created_ms) VALUES (1, 'k-older', 'POST /api/v1/users', zeroblob(32), 201, '{\"id\":2}', 5),"
           "(1, 'k-newer', 'POST /api/v1/users', zeroblob(32), 201, '{\"id\":3}', 9);",
           (long long)ROLE_ADMIN, (long long)ROLE_ADMIN, hex);
  raw_exec(path, sql);
}

struct v2_check {
  struct arena *a;
  struct user u;
  int64_t seq, call_id;
};

/* The 110 operations work on the migrated file. */
static enum store_rc tx_v2_rows(void *cls, struct store_tx *tx) {
  struct v2_check *c = cls;
  struct store *s = store_of(tx);
  struct county rasht = {.code = "rasht", .name_fa = "رشت", .seat_lat = 37.28, .seat_lon = 49.58};
  struct call call = {.caller_number = "09111234567", .type = "theft", .priority = 2,
                      .outcome = CALL_OPERATION, .created_ms = 3, .taker_id = 1};
  enum store_rc rc = s->user_by_name(tx, "old-admin", c->a, &c->u);
  if (rc == STORE_OK) rc = s->em.county_upsert(tx, &rasht);
  if (rc == STORE_OK) rc = s->em.call_insert(tx, &call);
  if (rc == STORE_OK) rc = s->em.incident_next_seq(tx, 1404, &c->seq);
  c->call_id = call.id;
  return rc;
}

struct idem_check {
  struct arena *a;
  const char *key;
  struct idem_record out;
};

static enum store_rc tx_idem_get(void *cls, struct store_tx *tx) {
  struct idem_check *q = cls;
  return store_of(tx)->idem_get(tx, 1, q->key, q->a, &q->out);
}

static enum store_rc tx_idem_put(void *cls, struct store_tx *tx) { return store_of(tx)->idem_put(tx, cls); }

struct idem_sweep {
  int64_t before;
  size_t limit, removed;
};

static enum store_rc tx_idem_expire(void *cls, struct store_tx *tx) {
  struct idem_sweep *w = cls;
  return store_of(tx)->idem_expire(tx, w->before, w->limit, &w->removed);
}

static void a_version_1_database_migrates_and_keeps_its_rows(void **state) {
  (void)state;
  char path[128], err[512];
  new_path(path, sizeof path);
  /* the file an hamyar of schema version 1 made, with rows in it */
  struct store *s = store_sqlite_open_upto(path, STORE_OPEN_CREATE, 1, err, sizeof err);
  assert_non_null(s);
  assert_int_equal(s->schema_version(s), 1);
  store_close(s);
  write_v1_rows(path);
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(raw_int(db, "SELECT version FROM schema_version"), 1);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE name = 'calls'"), 0);
  sqlite3_close(db);

  /* read-only cannot migrate it, and says how to */
  assert_null(store_sqlite_open(path, STORE_OPEN_READONLY, err, sizeof err));
  assert_non_null(strstr(err, "has schema version 1 but this hamyar needs"));

  s = open_ok(path, STORE_OPEN_CREATE);
  assert_int_equal(s->schema_version(s), store_sqlite_newest_version());
  assert_int_equal(last_event(s), 1);
  struct walk_count w = {0};
  assert_int_equal(store_read(s, tx_walk_count, &w), STORE_OK);
  assert_int_equal(w.rows, 1);
  assert_int_equal(w.first_bad, 0);
  struct v2_check c = {.a = arena_new(0)};
  assert_int_equal(store_write(s, tx_v2_rows, &c), STORE_OK);
  assert_string_equal(c.u.username, "old-admin");
  assert_int_equal(c.u.roles, ROLE_ADMIN);
  assert_int_equal(c.seq, 1);
  assert_true(c.call_id > 0);
  /* stored answers kept through migration 8, still one per key, oldest expiring first */
  struct idem_check q = {.a = c.a, .key = "k-newer"};
  assert_int_equal(store_read(s, tx_idem_get, &q), STORE_OK);
  assert_string_equal(q.out.response, "{\"id\":3}");
  assert_int_equal(q.out.created_ms, 9);
  struct idem_record again = {.principal = 1, .key = "k-older", .route = "POST /api/v1/users", .status = 201,
                              .response = "{}", .created_ms = 10};
  assert_int_equal(store_write(s, tx_idem_put, &again), STORE_CONFLICT);
  struct idem_sweep sw = {.before = 8, .limit = 10};
  assert_int_equal(store_write(s, tx_idem_expire, &sw), STORE_OK);
  assert_int_equal(sw.removed, 1);
  q.key = "k-older";
  assert_int_equal(store_read(s, tx_idem_get, &q), STORE_NOT_FOUND);
  arena_free(c.a);
  store_close(s);

  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  assert_int_equal(raw_int(db, "SELECT version FROM schema_version"),
                   store_sqlite_newest_version());
  assert_int_equal(raw_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name "
                               "IN ('counties', 'stations', 'entry_points', 'units', "
                               "'unit_positions', 'telephony_calls', 'calls', 'incidents', "
                               "'incident_seq', 'timeline')"),
                   10);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM users WHERE username = 'old-admin'"), 1);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM audit"), 1);
  /* migration 10 copied the audit row for search */
  assert_int_equal(raw_int(db, "SELECT count(*) FROM audit_search WHERE id = 1 AND actor = 'cli' "
                               "AND action = 'user.create' AND subject = 'user:1' AND time_ms = 2"),
                   1);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM calls"), 1);
  assert_int_equal(raw_int(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
  sqlite3_close(db);
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

int main(void) {
  snprintf(dir, sizeof dir, "/tmp/hamyar-sqlite-XXXXXX");
  if (!mkdtemp(dir)) {
    perror("mkdtemp");
    return 1;
  }
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_missing_file_is_not_created_without_the_create_flag),
      cmocka_unit_test(a_newer_schema_version_is_refused),
      cmocka_unit_test(files_that_are_not_hamyar_databases_are_refused),
      cmocka_unit_test(the_writer_uses_wal_synced_by_its_own_thread_and_readers_are_query_only),
      cmocka_unit_test(the_schema_has_the_agreed_names),
      cmocka_unit_test(a_version_1_database_migrates_and_keeps_its_rows),
      cmocka_unit_test(a_read_only_store_reads_and_refuses_writes),
      cmocka_unit_test(two_stores_on_one_file_take_turns),
      cmocka_unit_test(an_account_change_elsewhere_advances_every_stores_version),
      cmocka_unit_test(a_write_waits_for_a_lock_held_elsewhere),
      cmocka_unit_test(the_writer_survives_misbehaving_callbacks),
      cmocka_unit_test(a_changed_audit_row_breaks_the_chain),
      cmocka_unit_test(a_committed_write_is_answered_and_waited_for_only_once_durable),
      cmocka_unit_test(writes_during_a_sync_wait_for_its_end_and_commit_together),
      cmocka_unit_test(the_checkpointer_is_woken_once_per_step_of_wal_growth),
      cmocka_unit_test(a_batch_waiting_for_the_disk_copies_the_audit_rows_for_search),
      cmocka_unit_test(the_audit_rows_for_search_never_fall_far_behind),
      cmocka_unit_test(a_write_commits_when_its_audit_rows_cannot_be_copied_for_search),
  };
  int failed = cmocka_run_group_tests_name("store: sqlite backend", tests, NULL, NULL);
  nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return failed;
}
