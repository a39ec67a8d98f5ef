/* test_http_call_text.c — a new call's text, written by hand on the intake's path
 * (json_call_text) and given its id (http_json_with_id), is the text of json_call as
 * every read of the call writes it: for calls with every field present or missing,
 * every outcome, and strings that need escapes. A member added to one and not the
 * other fails here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "http/emergency.h"
#include "http/http.h"
#include "util/arena.h"
#include "random_fixture.h"

static uint64_t rng = 0x2545F4914F6CDD1Du;

static uint64_t next_random(void) { return fixture_random(&rng); }

static const char *maybe(const char *const *choices, size_t n) {
  return next_random() % 4 == 0 ? NULL : choices[next_random() % n];
}

static void a_new_calls_text_is_what_a_read_of_it_writes(void **state) {
  (void)state;
  static const char *const texts[] = {
      "09111234567", "anonymous", "علی رضایی", "خیابان امام، کوچه‌ی ۱۲", "a \"quoted\" \\ word",
      "line\none\ttab\x01", "تصادف دو خودرو بدون جرح، راه بسته شده است \xF0\x9F\x9A\x93", "", "/path/", "rasht"};
  static const char *const types[] = {"fight", "theft", "crash_injury", "noise"};
  const double places[] = {37.28, 49.58, 0.0, -0.0, 12.0, 37.123456789012345, 1e-5, 800.0, 5.5};
  for (int round = 0; round < 2000; round++) {
    struct arena *a = arena_new(0);
    assert_non_null(a);
    size_t np = sizeof places / sizeof places[0];
    struct call c = {
        .id = 1 + (int64_t)(next_random() % 100000000),
        .telephony_call_id = maybe(texts, 10),
        .caller_number = maybe(texts, 10),
        .caller_name = maybe(texts, 10),
        .has_location = next_random() % 3 != 0,
        .lat = places[next_random() % np],
        .lon = places[next_random() % np],
        .uncertainty_m = places[next_random() % np],
        .address = maybe(texts, 10),
        .county = maybe(texts, 10),
        .type = types[next_random() % 4],
        .priority = 1 + (int)(next_random() % 4),
        .narrative = maybe(texts, 10),
        .outcome = (enum call_outcome)(next_random() % CALL_OUTCOME__COUNT),
        .incident_id = next_random() % 2 ? (int64_t)(next_random() % 1000000) : 0,
        .ring_ms = next_random() % 2 ? 1759300000000 + (int64_t)(next_random() % 100000000) : 0,
        .answer_ms = next_random() % 2 ? 1759300000000 + (int64_t)(next_random() % 100000000) : 0,
        .created_ms = 1759300000000 + round,
        .taker_id = next_random() % 5 ? (int64_t)(next_random() % 100) : 0,
    };
    const char *members = json_call_text(a, &c);
    assert_non_null(members);
    json_t *read = json_call(&c);
    assert_non_null(read);
    assert_string_equal(http_json_with_id(a, c.id, members), http_json_text(a, read, HTTP_JSON_DUMP_FLAGS));
    json_decref(read);
    arena_free(a);
  }
}

static void a_call_whose_text_is_not_utf8_has_no_text(void **state) {
  (void)state;
  struct arena *a = arena_new(0);
  struct call c = {.caller_number = "0911", .type = "fight", .priority = 2, .narrative = "bad \xC3"};
  assert_null(json_call_text(a, &c));
  assert_null(json_call(&c)); /* nor has it one as a Jansson value */
  arena_free(a);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_new_calls_text_is_what_a_read_of_it_writes),
      cmocka_unit_test(a_call_whose_text_is_not_utf8_has_no_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
