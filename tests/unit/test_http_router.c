/* test_http_router.c — path patterns (src/http/router.c) over the real route table
 * and over a small table of its own: literals, captures, 404 against 405 with Allow,
 * trailing slashes, percent-decoding, and segments too long or malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/router.h"
#include "http/routes.h"
#include "util/arena.h"

struct match {
  int rc;
  const struct http_route *route;
  const char *args[4];
  size_t nargs;
  const char *allow;
};

static struct arena *arena;

static struct match find(const char *method, const char *path) {
  struct match m;
  memset(&m, 0, sizeof m);
  m.rc = http_route_find(method, path, arena, &m.route, m.args, &m.nargs, &m.allow);
  return m;
}

static void test_literal(void **state) {
  (void)state;
  struct match m = find("GET", "/api/v1/health");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, health_get);
  assert_int_equal(m.nargs, 0);
  m = find("GET", "/metrics");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, metrics_get);
  m = find("POST", "/api/v1/me/totp/confirm");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, me_totp_confirm);
}

static void test_capture(void **state) {
  (void)state;
  struct match m = find("GET", "/api/v1/users/42");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, users_get);
  assert_int_equal(m.nargs, 1);
  assert_string_equal(m.args[0], "42");
  m = find("POST", "/api/v1/users/7/unlock");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, users_unlock);
  assert_string_equal(m.args[0], "7");
}

static void test_captures_are_decoded(void **state) {
  (void)state;
  struct match m = find("GET", "/api/v1/users/a%20b");
  assert_int_equal(m.rc, 0);
  assert_string_equal(m.args[0], "a b");
  /* An encoded slash stays inside its segment: splitting comes before decoding. */
  m = find("GET", "/api/v1/users/a%2Fb");
  assert_int_equal(m.rc, 0);
  assert_string_equal(m.args[0], "a/b");
  m = find("GET", "/api/v1/users/%D8%B9%D9%84%DB%8C");
  assert_int_equal(m.rc, 0);
  assert_string_equal(m.args[0], "علی");
  /* Literal segments are compared decoded as well. */
  m = find("GET", "/api/v1/%75sers");
  assert_int_equal(m.rc, 0);
  assert_ptr_equal(m.route->handler, users_list);
}

static void test_not_found_vs_method(void **state) {
  (void)state;
  struct match m = find("GET", "/api/v1/nothing");
  assert_int_equal(m.rc, 404);
  assert_null(m.route);
  assert_null(m.allow);
  m = find("PUT", "/api/v1/users/42");
  assert_int_equal(m.rc, 405);
  assert_null(m.route);
  assert_string_equal(m.allow, "GET, PATCH");
  m = find("GET", "/api/v1/session");
  assert_int_equal(m.rc, 405);
  assert_string_equal(m.allow, "POST, DELETE");
  m = find("HEAD", "/api/v1/health");
  assert_int_equal(m.rc, 405);
  assert_string_equal(m.allow, "GET");
}

static void test_trailing_and_empty_segments(void **state) {
  (void)state;
  assert_int_equal(find("GET", "/api/v1/users/").rc, 404);
  assert_int_equal(find("GET", "/api/v1//users").rc, 404);
  assert_int_equal(find("GET", "/api/v1/users//unlock").rc, 404);
  assert_int_equal(find("GET", "/api/v1/users/1/unlock/more").rc, 404);
  assert_int_equal(find("GET", "api/v1/health").rc, 404);
  assert_int_equal(find("GET", "").rc, 404);
  assert_int_equal(find("GET", "/").rc, 404);
}

static void test_malformed_segments(void **state) {
  (void)state;
  assert_int_equal(find("GET", "/api/v1/users/%00").rc, 404);
  assert_int_equal(find("GET", "/api/v1/users/a%0").rc, 404);
  assert_int_equal(find("GET", "/api/v1/users/%zz").rc, 404);
  assert_int_equal(find("GET", "/api/v1/users/%").rc, 404);

  char path[600];
  char seg[HTTP_SEGMENT_MAX + 2];
  memset(seg, 'x', sizeof seg - 1);
  seg[sizeof seg - 1] = '\0'; /* one byte over the cap */
  snprintf(path, sizeof path, "/api/v1/users/%s", seg);
  assert_int_equal(find("GET", path).rc, 404);
  seg[HTTP_SEGMENT_MAX] = '\0'; /* exactly the cap */
  snprintf(path, sizeof path, "/api/v1/users/%s", seg);
  struct match m = find("GET", path);
  assert_int_equal(m.rc, 0);
  assert_int_equal(strlen(m.args[0]), HTTP_SEGMENT_MAX);

  assert_int_equal(find("GET", "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r").rc, 404);
}

static http_status_t nop(struct http_req *req) {
  (void)req;
  return 0;
}

static void test_own_table(void **state) {
  (void)state;
  static const struct http_route table[] = {
      {"GET", "/x/{a}/y/{b}", 0, HTTP_PUBLIC, nop},
      {"DELETE", "/x/{a}/y/{b}", 0, HTTP_PUBLIC, nop},
      {"GET", "/x/fixed/y/{b}", 0, HTTP_PUBLIC, nop},
      {NULL, NULL, 0, 0, NULL},
  };
  const struct http_route *r = NULL;
  const char *args[4] = {NULL};
  size_t n = 0;
  const char *allow = NULL;
  /* The table's order decides between a capture and a literal that both match. */
  assert_int_equal(http_route_find_in(table, "GET", "/x/fixed/y/2", arena, &r, args, &n, &allow), 0);
  assert_ptr_equal(r, &table[0]);
  assert_int_equal(n, 2);
  assert_string_equal(args[0], "fixed");
  assert_string_equal(args[1], "2");
  assert_int_equal(http_route_find_in(table, "POST", "/x/1/y/2", arena, &r, args, &n, &allow), 405);
  assert_string_equal(allow, "GET, DELETE");
  assert_int_equal(http_route_find_in(table, "GET", "/x/1/y", arena, &r, args, &n, &allow), 404);
}

int main(void) {
  arena = arena_new(0);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_literal),
      cmocka_unit_test(test_capture),
      cmocka_unit_test(test_captures_are_decoded),
      cmocka_unit_test(test_not_found_vs_method),
      cmocka_unit_test(test_trailing_and_empty_segments),
      cmocka_unit_test(test_malformed_segments),
      cmocka_unit_test(test_own_table),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  arena_free(arena);
  return rc;
}
