/* test_util_jtext.c — JSON values written by hand (util/jtext.h) are Jansson's bytes:
 * every string, real and integer here is also dumped by Jansson and the two texts must
 * be equal; and the audit row's canonical text, which jtext writes, is Jansson's dump
 * of the row with JSON_ENSURE_ASCII. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <unicode/utf8.h>

#include "core/audit.h"
#include "util/buf.h"
#include "util/jtext.h"
#include "random_fixture.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t next_random(void) { return fixture_random(&rng); }

/* Jansson's text of v (taken), as a string the caller frees. */
static char *jansson_text(json_t *v, size_t flags) {
  assert_non_null(v);
  char *text = json_dumps(v, flags | JSON_ENCODE_ANY | JSON_COMPACT);
  json_decref(v);
  assert_non_null(text);
  return text;
}

static void assert_string_as_jansson(const char *s) {
  for (int ascii = 0; ascii < 2; ascii++) {
    struct buf b;
    buf_init(&b, 1u << 20);
    assert_int_equal(jtext_string(&b, s, ascii), 0);
    char *want = jansson_text(json_string(s), ascii ? JSON_ENSURE_ASCII : 0);
    assert_string_equal(b.data, want);
    free(want);
    buf_free(&b);
  }
}

/* A code point of every kind a request may carry: control characters, the two that
 * must be escaped, '/', DEL, Persian letters, ZWNJ, and past the BMP. */
static uint32_t random_code_point(void) {
  static const uint32_t picks[] = {'"', '\\', '/', 0x7F, '\b', '\f', '\n', '\r', '\t', 0x01, 0x1F,
                                   0x200C, 0x06CC, 0x06A9, 0xFEFF, 0x2028, 0x1F6A8, 0x10FFFF, 0xE000};
  switch (next_random() % 4) {
    case 0: return 0x20 + (uint32_t)(next_random() % 0x5F);
    case 1: return picks[next_random() % (sizeof picks / sizeof picks[0])];
    case 2: return 0x0600 + (uint32_t)(next_random() % 0x100);
    default: {
      uint32_t cp = 1 + (uint32_t)(next_random() % 0x10FFFF);
      return cp >= 0xD800 && cp <= 0xDFFF ? 0x0627 : cp; /* no surrogates in UTF-8 */
    }
  }
}

/* Up to `points` random code points as UTF-8 text in s, which holds 4 bytes a point and
 * the NUL. */
static void random_text(char *s, size_t points) {
  size_t len = 0, n = next_random() % (points + 1);
  for (size_t k = 0; k < n; k++) U8_APPEND_UNSAFE(s, len, random_code_point());
  s[len] = '\0';
}

static void strings_are_jansson_strings(void **state) {
  (void)state;
  const char *fixed[] = {"", "plain", "رشت", "سرقت لوازم داخل خودرو", "a\"b\\c/d", "\x7f", "\n\t\r\b\f\x01\x1f",
                         "تماس‌گیرنده", "\xF0\x9F\x9A\xA8 emoji", "\xEF\xBB\xBF", "\xE2\x80\xA8"};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) assert_string_as_jansson(fixed[i]);
  char s[4 * 59 + 1];
  for (int round = 0; round < 3000; round++) {
    random_text(s, 59);
    assert_string_as_jansson(s);
  }
}

static void text_that_is_not_utf8_is_refused(void **state) {
  (void)state;
  const char *bad[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "ab\xC3", "\x80"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_null(json_string(bad[i])); /* Jansson refuses them too */
    for (int ascii = 0; ascii < 2; ascii++) {
      struct buf b;
      buf_init(&b, 1024);
      assert_int_equal(jtext_string(&b, bad[i], ascii), -1);
      buf_free(&b);
    }
  }
}

static void assert_real_as_jansson(double v, int precision) {
  struct buf b;
  buf_init(&b, 1024);
  assert_int_equal(jtext_real(&b, v, precision), 0);
  char *want = jansson_text(json_real(v), JSON_REAL_PRECISION(precision));
  assert_string_equal(b.data, want);
  free(want);
  buf_free(&b);
}

static void reals_are_jansson_reals(void **state) {
  (void)state;
  const double fixed[] = {0.0,   -0.0,  1.0,     -1.0,    37.28,   49.58,   120.0, 1e20,   1e21, 1e-5,
                          1e-7,  0.1,   1.5e300, 5e-324,  DBL_MAX, -DBL_MAX, 123456789012345678.0,
                          1e15,  1e16,  1e17,    0.0001,  12.0};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    for (int p = 1; p <= 17; p++) assert_real_as_jansson(fixed[i], p);
  for (int round = 0; round < 20000; round++) {
    uint64_t bits = next_random();
    double v;
    memcpy(&v, &bits, sizeof v);
    if (!isfinite(v)) continue;
    assert_real_as_jansson(v, 15);
    assert_real_as_jansson(v, 17);
    /* and numbers the way people write them: coordinates, metres */
    double w = (double)(int64_t)(next_random() % 20000001) / 100000.0 - 100.0;
    assert_real_as_jansson(w, 15);
  }
  struct buf b;
  buf_init(&b, 1024);
  assert_int_equal(jtext_real(&b, NAN, 15), -1);
  assert_int_equal(jtext_real(&b, INFINITY, 15), -1);
  buf_free(&b);
}

static void integers_are_jansson_integers(void **state) {
  (void)state;
  const int64_t fixed[] = {0, 1, -1, 9, 10, -10, INT64_MAX, INT64_MIN, 1000000007, -987654321012};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0] + 5000; i++) {
    int64_t v = i < sizeof fixed / sizeof fixed[0] ? fixed[i] : (int64_t)next_random() >> (next_random() % 63);
    struct buf b;
    buf_init(&b, 64);
    assert_int_equal(jtext_int(&b, v), 0);
    char *want = jansson_text(json_integer(v), 0);
    assert_string_equal(b.data, want);
    free(want);
    buf_free(&b);
  }
}

static void a_full_buffer_is_an_error(void **state) {
  (void)state;
  struct buf b;
  buf_init(&b, 8);
  assert_int_equal(jtext_string(&b, "longer than eight", false), -1);
  buf_free(&b);
  buf_init(&b, 4);
  assert_int_equal(jtext_real(&b, 37.28, 15), -1);
  assert_int_equal(jtext_int(&b, 1234567), -1);
  assert_int_equal(jtext_string_or_null(&b, NULL), 0);
  assert_string_equal(b.data, "null");
  buf_free(&b);
}

/* The chain's hashes depend on these bytes: they must stay Jansson's. */
static void the_audit_canonical_text_is_jansson_ascii(void **state) {
  (void)state;
  char actor[4 * 39 + 1], detail[4 * 39 + 1];
  for (int round = 0; round < 500; round++) {
    random_text(actor, 39);
    random_text(detail, 39);
    struct audit_row row = {.id = (int64_t)(next_random() >> 1), .time_ms = 1759300000000 + round,
                            .actor_id = round % 7, .actor = actor, .action = "call.create",
                            .subject = "call:1", .detail = round % 3 ? detail : NULL,
                            .ip = "127.0.0.1", .request_id = round % 2 ? "r-1" : NULL};
    char *got = audit_canonical(&row);
    assert_non_null(got);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_integer(row.id));
    json_object_set_new(o, "time_ms", json_integer(row.time_ms));
    json_object_set_new(o, "actor_id", json_integer(row.actor_id));
    json_object_set_new(o, "actor", json_string(actor));
    json_object_set_new(o, "action", json_string(row.action));
    json_object_set_new(o, "subject", json_string(row.subject));
    json_object_set_new(o, "detail", json_string(row.detail ? row.detail : "{}"));
    json_object_set_new(o, "ip", json_string(row.ip));
    json_object_set_new(o, "request_id", json_string(row.request_id ? row.request_id : ""));
    char *want = jansson_text(o, JSON_ENSURE_ASCII);
    assert_string_equal(got, want);
    free(want);
    free(got);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(strings_are_jansson_strings),
      cmocka_unit_test(text_that_is_not_utf8_is_refused),
      cmocka_unit_test(reals_are_jansson_reals),
      cmocka_unit_test(integers_are_jansson_integers),
      cmocka_unit_test(a_full_buffer_is_an_error),
      cmocka_unit_test(the_audit_canonical_text_is_jansson_ascii),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
