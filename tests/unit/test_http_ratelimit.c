/* test_http_ratelimit.c — the token-bucket limiter (src/http/ratelimit.c): a bucket
 * allows its rate and then refuses with a wait, keys and buckets are independent, and
 * a small table stays correct when many clients evict each other. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "http/ratelimit.h"

static void test_allows_rate_then_refuses(void **state) {
  (void)state;
  struct rate_limiter *rl = ratelimit_new(0);
  assert_non_null(rl);
  for (int i = 0; i < 3; i++) assert_int_equal(ratelimit_take(rl, "login", "10.0.0.1", 3), 0);
  unsigned wait = 0;
  assert_int_equal(ratelimit_take_retry(rl, "login", "10.0.0.1", 3, &wait), -1);
  /* Three a minute: the next token is about 20 s away. */
  assert_true(wait >= 1 && wait <= 20);
  ratelimit_free(rl);
}

static void test_keys_and_buckets_are_independent(void **state) {
  (void)state;
  struct rate_limiter *rl = ratelimit_new(0);
  assert_int_equal(ratelimit_take(rl, "login", "10.0.0.1", 1), 0);
  assert_int_equal(ratelimit_take(rl, "login", "10.0.0.1", 1), -1);
  assert_int_equal(ratelimit_take(rl, "login", "10.0.0.2", 1), 0);
  assert_int_equal(ratelimit_take(rl, "export", "10.0.0.1", 1), 0);
  ratelimit_free(rl);
}

static void test_zero_means_unlimited(void **state) {
  (void)state;
  struct rate_limiter *rl = ratelimit_new(0);
  for (int i = 0; i < 1000; i++) assert_int_equal(ratelimit_take(rl, "login", "10.0.0.1", 0), 0);
  assert_int_equal(ratelimit_take(NULL, "login", "10.0.0.1", 1), 0);
  ratelimit_free(rl);
}

static void test_small_table_evicts(void **state) {
  (void)state;
  /* Eight slots for a thousand clients: each new client finds a fresh bucket, and a
   * client seen just before is still limited. */
  struct rate_limiter *rl = ratelimit_new(8);
  char key[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "10.1.%d.%d", i / 256, i % 256);
    assert_int_equal(ratelimit_take(rl, "login", key, 1), 0);
    assert_int_equal(ratelimit_take(rl, "login", key, 1), -1);
  }
  ratelimit_free(rl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_allows_rate_then_refuses),
      cmocka_unit_test(test_keys_and_buckets_are_independent),
      cmocka_unit_test(test_zero_means_unlimited),
      cmocka_unit_test(test_small_table_evicts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
