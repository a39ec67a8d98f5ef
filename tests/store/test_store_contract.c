/* test_store_contract.c — the store contract: what every backend of store.h must do.
 *
 * The suite is written against store.h only. store_contract_run() takes a factory that
 * opens a store of some backend; main() at the bottom runs it for SQLite, and the
 * PostgreSQL backend adds its own factory there. Callbacks never assert (they may run
 * on the writer thread); they return results that the test then checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/audit.h"
#include "store/store.h"
#include "util/arena.h"

/* Opens a store over a new, empty database (fresh) or again over the last one. */
struct store_factory {
  const char *name;
  struct store *(*open)(void *cls, bool fresh);
  void *cls;
};

static const struct store_factory *factory;

static int setup(void **state) {
  *state = factory->open(factory->cls, true);
  return *state ? 0 : -1;
}

static int teardown(void **state) {
  store_close(*state);
  return 0;
}

static void fill_hash(uint8_t h[32], int seed) {
  for (int i = 0; i < 32; i++) h[i] = (uint8_t)(seed * 31 + i);
}

/* Every member after `backend` is an operation (or, like `em` and `fb`, a struct of
 * operations); a backend must provide them all (this catches an operation added to
 * store.h, store_emergency.h or store_feedback.h but not to a backend). */
static void every_operation_is_provided(void **state) {
  struct store *s = *state;
  assert_non_null(s->backend);
  typedef void (*any_fn)(void);
  /* The 110 centre's part first, so that a failure there says where. */
  for (size_t off = 0; off + sizeof(any_fn) <= sizeof s->em; off += sizeof(any_fn)) {
    any_fn fn;
    memcpy(&fn, (const char *)&s->em + off, sizeof fn);
    if (!fn)
      fail_msg("the operation at offset %zu of struct store_emergency (s->em) is missing", off);
  }
  for (size_t off = 0; off + sizeof(any_fn) <= sizeof s->fb; off += sizeof(any_fn)) {
    any_fn fn;
    memcpy(&fn, (const char *)&s->fb + off, sizeof fn);
    if (!fn) fail_msg("the operation at offset %zu of struct store_feedback (s->fb) is missing", off);
  }
  for (size_t off = offsetof(struct store, close); off + sizeof(any_fn) <= sizeof *s;
       off += sizeof(any_fn)) {
    any_fn fn;
    memcpy(&fn, (const char *)s + off, sizeof fn);
    if (!fn) fail_msg("the operation at offset %zu of struct store is missing", off);
  }
}

/* The suite is split by subject into .inc files, #included here so that it builds
 * as one program (CMake makes one program of each tests/store/test_*.c). */
#include "store_contract_accounts.inc"
#include "store_contract_records.inc"
#include "store_contract_concurrency.inc"
#include "store_contract_async.inc"
#include "store_contract_emergency.inc"
#include "store_contract_emergency_calls.inc"
#include "store_contract_feedback.inc"
#include "store_contract_feedback_lists.inc"

static int store_contract_run(const struct store_factory *f) {
  factory = f;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(every_operation_is_provided, setup, teardown),
      cmocka_unit_test_setup_teardown(users_are_inserted_read_listed_and_updated, setup, teardown),
      cmocka_unit_test_setup_teardown(login_failures_are_counted_within_a_window, setup, teardown),
      cmocka_unit_test_setup_teardown(sessions_are_found_by_token_touched_and_revoked, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(apikeys_are_unique_by_name_found_by_hash_and_revoked, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(accounts_version_grows_with_account_writes_only, setup, teardown),
      cmocka_unit_test_setup_teardown(audit_rows_form_a_chain_that_walks_and_verifies, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(audit_list_filters_and_pages_newest_first, setup, teardown),
      cmocka_unit_test_setup_teardown(events_are_listed_after_an_id_for_an_audience, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(idempotency_records_are_stored_once_per_principal_and_key,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(idempotency_records_expire_oldest_first_a_bounded_number_at_a_time,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(idempotency_keys_are_walked_with_who_stored_them, setup, teardown),
      CONCURRENCY_TESTS,
      ASYNC_TESTS,
      EMERGENCY_PLACE_TESTS,
      EMERGENCY_CALL_TESTS,
      FEEDBACK_RECORD_TESTS,
      FEEDBACK_LIST_TESTS,
  };
  return cmocka_run_group_tests_name(f->name, tests, NULL, NULL);
}

/* ---- the SQLite backend's factory ---------------------------------------------- */

struct sqlite_factory {
  char dir[64];
  char path[128];
  int n;
};

static struct store *sqlite_open(void *cls, bool fresh) {
  struct sqlite_factory *sf = cls;
  if (fresh) snprintf(sf->path, sizeof sf->path, "%s/contract-%d.db", sf->dir, ++sf->n);
  char err[512];
  struct store *s = store_sqlite_open(sf->path, STORE_OPEN_CREATE, err, sizeof err);
  if (!s) fprintf(stderr, "store_sqlite_open: %s\n", err);
  return s;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

int main(void) {
  struct sqlite_factory sf = {.dir = "/tmp/hamyar-contract-XXXXXX"};
  if (!mkdtemp(sf.dir)) {
    perror("mkdtemp");
    return 1;
  }
  struct store_factory f = {.name = "store contract: sqlite", .open = sqlite_open, .cls = &sf};
  int failed = store_contract_run(&f);
  nftw(sf.dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
  return failed;
}
