/* test_util.c — the arena, the bounded buffer, the clock and the role names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "core/role.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "random_fixture.h"

static void arena_allocates_zeroed_aligned_memory(void **state) {
  (void)state;
  struct arena *a = arena_new(0);
  assert_non_null(a);
  for (int i = 0; i < 1000; i++) {
    unsigned char *p = arena_alloc(a, (size_t)(i % 37) + 1);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    for (int j = 0; j < i % 37 + 1; j++) assert_int_equal(p[j], 0);
    memset(p, 0xff, (size_t)(i % 37) + 1);
  }
  /* a block larger than a chunk */
  char *big = arena_alloc(a, 100000);
  assert_non_null(big);
  memset(big, 1, 100000);
  assert_string_equal(arena_printf(a, "%s-%d", "hamyar", 110), "hamyar-110");
  assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
  assert_null(arena_strdup(a, NULL));
  assert_string_equal(arena_concat(a, "{\"id\":", "12", "", ",\"a\":1}", (char *)NULL), "{\"id\":12,\"a\":1}");
  assert_string_equal(arena_concat(a, (char *)NULL), "");
  arena_free(a);
}

/* What http_write relies on to tell request memory from a handler's stack. */
static void arena_knows_what_it_handed_out(void **state) {
  (void)state;
  struct arena *a = arena_new(0);
  struct arena *other = arena_new(0);
  int on_stack = 0;
  char *small = arena_alloc(a, 24);
  char *big = arena_alloc(a, 100000); /* a chunk of its own */
  assert_true(arena_owns(a, small));
  assert_true(arena_owns(a, small + 23));
  assert_true(arena_owns(a, big + 99999));
  assert_false(arena_owns(a, &on_stack));
  assert_false(arena_owns(other, small));
  assert_false(arena_owns(a, NULL));
  assert_false(arena_owns(NULL, small));
  arena_free(a);
  arena_free(other);
}

static void arena_refuses_to_pass_its_limit(void **state) {
  (void)state;
  struct arena *a = arena_new(1024);
  assert_non_null(arena_alloc(a, 1000));
  assert_null(arena_alloc(a, 100));
  assert_non_null(arena_alloc(a, 16));
  assert_null(arena_alloc(a, (size_t)-1));
  assert_null(arena_concat(a, "a text longer than what is left", (char *)NULL));
  assert_true(arena_used(a) <= 1024);
  arena_free(a);
}

static void buf_grows_up_to_its_maximum_and_no_further(void **state) {
  (void)state;
  struct buf b;
  buf_init(&b, 10);
  assert_int_equal(buf_puts(&b, "12345"), 0);
  assert_int_equal(buf_printf(&b, "%d", 6789), 0);
  assert_string_equal(b.data, "123456789");
  assert_int_equal(buf_puts(&b, "ab"), -1); /* would be 11 */
  assert_string_equal(b.data, "123456789"); /* unchanged */
  assert_int_equal(buf_putc(&b, '0'), 0);
  assert_int_equal(b.len, 10);
  assert_int_equal(buf_putc(&b, 'x'), -1);
  assert_int_equal(buf_printf(&b, "%s", "y"), -1);
  char *s = buf_steal(&b);
  assert_string_equal(s, "1234567890");
  free(s);
  assert_int_equal(b.len, 0);
  buf_free(&b);
}

/* Formatting writes into the room the buffer has, grows it when the text does not fit,
 * and leaves the text as it was when the result would pass the maximum. */
static void buf_printf_fills_its_room_then_grows(void **state) {
  (void)state;
  struct buf b;
  buf_init(&b, 5000);
  assert_int_equal(buf_printf(&b, "%s-%d", "call", 7), 0);
  assert_string_equal(b.data, "call-7");
  size_t cap = b.cap;
  char big[1200];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_int_equal(buf_printf(&b, "[%s]", big), 0); /* past the first allocation */
  assert_true(b.cap > cap);
  assert_int_equal(b.len, 6 + 2 + 1199);
  assert_int_equal(b.data[6], '[');
  assert_int_equal(b.data[b.len - 1], ']');
  assert_int_equal(b.data[b.len], '\0');
  size_t len = b.len;
  for (int i = 0; i < 3; i++) assert_int_equal(buf_printf(&b, "%s", big), 0);
  assert_int_equal(buf_printf(&b, "%s", big), -1); /* would pass 5,000 */
  assert_int_equal(b.len, len + 3 * 1199);
  assert_int_equal(strlen(b.data), b.len); /* still ends where it did */
  buf_free(&b);
}

static void clock_round_trips_rfc3339(void **state) {
  (void)state;
  char out[32];
  int64_t ms;
  /* 1404/07/09 08:30 Tehran is 05:00 UTC */
  assert_int_equal(clock_parse_rfc3339("2025-10-01T05:00:00Z", &ms), 0);
  assert_int_equal(ms, INT64_C(1759294800000));
  assert_string_equal(clock_format_rfc3339(ms, out, sizeof out), "2025-10-01T05:00:00.000Z");
  assert_int_equal(clock_parse_rfc3339("2025-10-01T08:30:00.250+03:30", &ms), 0);
  assert_int_equal(ms, INT64_C(1759294800250));
  assert_int_equal(clock_parse_rfc3339("2024-02-29T23:59:59.999Z", &ms), 0);
  assert_string_equal(clock_format_rfc3339(ms, out, sizeof out), "2024-02-29T23:59:59.999Z");
  assert_int_equal(clock_parse_rfc3339("1969-12-31T23:59:59.500Z", &ms), 0);
  assert_int_equal(ms, -500);
  assert_string_equal(clock_format_rfc3339(ms, out, sizeof out), "1969-12-31T23:59:59.500Z");
}

/* The formatter keeps each thread's last second: times within one second, across a
 * second's, a day's and a year's end, back and forth, and outside the years it writes
 * itself, are what gmtime_r and snprintf write. */
static void clock_formats_as_gmtime_does(void **state) {
  (void)state;
  const int64_t starts[] = {INT64_C(1759294799998), INT64_C(1767225599990), -1001, 0, INT64_C(253402300799000),
                            INT64_C(-62167219200000) - 1000, INT64_C(1709251199500)};
  uint64_t r = 88172645463325252u;
  for (int round = 0; round < 20000; round++) {
    int64_t ms;
    if (round < 7 * 40) {
      ms = starts[round / 40] + (round % 40) * 7 - (round % 3 == 0 ? 2000 : 0);
    } else {
      ms = (int64_t)(fixture_random(&r) % UINT64_C(4102444800000)) - INT64_C(100000000000);
    }
    time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    char want[64], got[32], small[20];
    snprintf(want, sizeof want, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ms - (int64_t)secs * 1000));
    assert_string_equal(clock_format_rfc3339(ms, got, sizeof got), want);
    /* a buffer too small is cut short, never overrun */
    assert_int_equal(strncmp(clock_format_rfc3339(ms, small, sizeof small), want, sizeof small - 1), 0);
    assert_int_equal(strlen(small), sizeof small - 1);
  }
}

static void clock_rejects_malformed_times(void **state) {
  (void)state;
  int64_t ms;
  const char *bad[] = {"", "2025-10-01", "2025-10-01T05:00:00", "2025-13-01T00:00:00Z",
                       "2025-10-32T00:00:00Z", "2025-10-01T24:00:00Z", "2025-10-01T05:00:00Zx",
                       "2025-10-01T05:00:00.Z", "2025-10-01T05:00:00+3:30", "abcd-ef-ghTij:kl:mnZ"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(clock_parse_rfc3339(bad[i], &ms), -1);
  assert_int_equal(clock_parse_rfc3339(NULL, &ms), -1);
}

static void roles_have_stable_names(void **state) {
  (void)state;
  enum role r;
  assert_int_equal(role_parse("call_taker", &r), 0);
  assert_int_equal(r, ROLE_CALL_TAKER);
  assert_int_equal(role_parse("open311", &r), 0);
  assert_string_equal(role_name(r), "open311");
  assert_int_equal(role_parse("root", &r), -1);
  assert_null(role_name((enum role)(ROLE_ADMIN | ROLE_ANALYST)));
  assert_true(role_allows(ROLE_ADMIN | ROLE_SUPERVISOR, ROLE_SUPERVISOR));
  assert_false(role_allows(ROLE_ADMIN, ROLE_DISPATCHER | ROLE_CALL_TAKER));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arena_allocates_zeroed_aligned_memory),
      cmocka_unit_test(arena_knows_what_it_handed_out),
      cmocka_unit_test(arena_refuses_to_pass_its_limit),
      cmocka_unit_test(buf_grows_up_to_its_maximum_and_no_further),
      cmocka_unit_test(buf_printf_fills_its_room_then_grows),
      cmocka_unit_test(clock_round_trips_rfc3339),
      cmocka_unit_test(clock_formats_as_gmtime_does),
      cmocka_unit_test(clock_rejects_malformed_times),
      cmocka_unit_test(roles_have_stable_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
