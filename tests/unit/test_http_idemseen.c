/* test_http_idemseen.c — the filter of Idempotency-Keys (src/http/idemseen.c): a key is
 * new once and perhaps-seen after; keys belong to their principal; a rotation keeps
 * the keys of the newer generation and the second forgets them; a filter far fuller
 * than the server's still tells most new keys apart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>
#include <sodium.h>

#include "http/idemseen.h"

static int setup(void **state) {
  (void)state;
  return sodium_init() < 0 ? -1 : 0;
}

static void a_key_is_new_once_and_perhaps_seen_after(void **state) {
  (void)state;
  struct idem_seen *f = idem_seen_new(16);
  assert_non_null(f);
  assert_false(idem_seen_note(f, 7, "3f2c-key"));
  assert_true(idem_seen_note(f, 7, "3f2c-key"));
  assert_true(idem_seen_note(f, 7, "3f2c-key"));
  assert_false(idem_seen_note(f, -7, "3f2c-key")); /* an API key's, not user 7's */
  assert_false(idem_seen_note(f, 7, "3f2c-kez"));
  idem_seen_add(f, 8, "stored-before"); /* as the server does at its start: not counted */
  assert_true(idem_seen_note(f, 8, "stored-before"));
  uint64_t fresh, perhaps;
  idem_seen_counts(f, &fresh, &perhaps);
  assert_int_equal(fresh, 3);
  assert_int_equal(perhaps, 3);
  idem_seen_free(f);
}

static void two_rotations_forget_a_key_and_one_does_not(void **state) {
  (void)state;
  struct idem_seen *f = idem_seen_new(16);
  assert_false(idem_seen_note(f, 1, "before"));
  idem_seen_rotate(f);
  assert_true(idem_seen_note(f, 1, "before")); /* in the older generation now */
  assert_false(idem_seen_note(f, 1, "between"));
  idem_seen_rotate(f);
  /* "before" was noted again after the first rotation, so it is in the newer one */
  assert_true(idem_seen_note(f, 1, "before"));
  assert_true(idem_seen_note(f, 1, "between"));
  idem_seen_rotate(f);
  idem_seen_rotate(f);
  assert_false(idem_seen_note(f, 1, "between")); /* forgotten: its write will say so */
  idem_seen_free(f);
}

static void aging_rotates_once_per_period_from_the_first_call(void **state) {
  (void)state;
  struct idem_seen *f = idem_seen_new(16);
  idem_seen_age(f, 1000, 500); /* starts the clock */
  assert_false(idem_seen_note(f, 1, "k"));
  idem_seen_age(f, 1400, 500);
  idem_seen_age(f, 1500, 500); /* one rotation: k in the older generation */
  assert_true(idem_seen_note(f, 1, "k"));
  idem_seen_age(f, 1900, 500); /* not yet due */
  assert_true(idem_seen_note(f, 1, "k"));
  idem_seen_age(f, 2000, 500);
  idem_seen_age(f, 2500, 500);
  assert_false(idem_seen_note(f, 1, "k"));
  idem_seen_free(f);
}

/* 2^16 bits with 4,000 keys in (the server has 2^24 per generation): about one new key
 * in a hundred or two reads for nothing; far fewer than a hundred of a thousand must. */
static void a_full_filter_still_tells_new_keys_apart(void **state) {
  (void)state;
  struct idem_seen *f = idem_seen_new(16);
  char key[32];
  for (int i = 0; i < 4000; i++) {
    snprintf(key, sizeof key, "stored-%d", i);
    idem_seen_note(f, 3, key);
  }
  for (int i = 0; i < 4000; i++) {
    snprintf(key, sizeof key, "stored-%d", i);
    assert_true(idem_seen_note(f, 3, key)); /* never a stored key said to be new */
  }
  int wrong = 0;
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "fresh-%d", i);
    if (idem_seen_note(f, 3, key)) wrong++;
  }
  assert_true(wrong < 100);
  idem_seen_free(f);
}

static void sizes_out_of_range_are_refused(void **state) {
  (void)state;
  assert_null(idem_seen_new(9));
  assert_null(idem_seen_new(31));
  idem_seen_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_key_is_new_once_and_perhaps_seen_after),
      cmocka_unit_test(two_rotations_forget_a_key_and_one_does_not),
      cmocka_unit_test(aging_rotates_once_per_period_from_the_first_call),
      cmocka_unit_test(a_full_filter_still_tells_new_keys_apart),
      cmocka_unit_test(sizes_out_of_range_are_refused),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
