/* test_core_repeat.c — repeat-call candidates (core/repeat.h): the same caller inside
 * and outside the window, nearby calls of the same, a related and an unrelated type
 * at 499 m and 501 m, the ranking, caller-number forms, and priority raising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"
#include "core/repeat.h"

#define MIN_MS (60 * 1000LL)
#define T0 1759293000000LL /* 2025-10-01 04:30 UTC */
#define LAT0 37.2808
#define LON0 49.5832

/* The latitude `m` metres north of LAT0 (on the haversine sphere). */
static double north(double m) {
  return LAT0 + m / GEO_EARTH_RADIUS_M * 180.0 / 3.14159265358979323846;
}

static struct incident incident_at(int64_t id, const char *type, double lat, int64_t created_ms) {
  return (struct incident){.id = id, .type = type, .priority = 3, .status = INC_PENDING,
                           .has_location = true, .lat = lat, .lon = LON0, .call_count = 1,
                           .created_ms = created_ms, .updated_ms = created_ms};
}

static struct call call_at(const char *number, const char *type, double lat, int64_t created_ms) {
  return (struct call){.caller_number = number, .type = type, .has_location = true, .lat = lat,
                       .lon = LON0, .created_ms = created_ms, .priority = 3};
}

static const struct repeat_config cfg = REPEAT_CONFIG_DEFAULT;

/* Runs the rule for one incident with one earlier caller; returns the count. */
static size_t one(const struct call *c, const struct incident *inc, const char *earlier_caller,
                  struct repeat_candidate *out) {
  const char *callers[] = {earlier_caller};
  struct repeat_incident ri = {.inc = inc, .callers = callers, .ncallers = 1};
  return repeat_candidates(c, &ri, 1, &cfg, out, 4);
}

static bool has(const struct repeat_candidate *c, enum repeat_reason r) {
  return (c->reasons & (1u << r)) != 0;
}

static void same_caller_window(void **state) {
  (void)state;
  struct repeat_candidate out[4];
  /* different type, 20 km away: only the number links them */
  struct incident inc = incident_at(1, "noise", north(20000), T0);
  struct call c = call_at("09111234567", "assault", LAT0, T0 + 29 * MIN_MS);
  assert_int_equal(one(&c, &inc, "09111234567", out), 1);
  assert_int_equal(out[0].incident_id, 1);
  assert_true(has(&out[0], REPEAT_SAME_CALLER));
  assert_true(has(&out[0], REPEAT_RECENT));
  assert_false(has(&out[0], REPEAT_NEARBY));
  assert_false(has(&out[0], REPEAT_SAME_TYPE));
  assert_false(has(&out[0], REPEAT_RELATED_TYPE));
  assert_int_equal(out[0].minutes, 29);
  assert_true(out[0].distance_m > 19000);
  /* exactly at the window: still in; a minute past: out */
  c.created_ms = T0 + 30 * MIN_MS;
  assert_int_equal(one(&c, &inc, "09111234567", out), 1);
  c.created_ms = T0 + 31 * MIN_MS;
  assert_int_equal(one(&c, &inc, "09111234567", out), 0);
  /* the incident's later activity (a unit arrived) keeps it recent */
  inc.updated_ms = T0 + 10 * MIN_MS;
  assert_int_equal(one(&c, &inc, "09111234567", out), 1);
  assert_int_equal(out[0].minutes, 21);
  /* so does a later call by the same caller, when call times are given */
  inc.updated_ms = T0;
  const char *callers[] = {"09111234567"};
  int64_t times[] = {T0 + 5 * MIN_MS};
  struct repeat_incident ri = {.inc = &inc, .callers = callers, .call_ms = times, .ncallers = 1};
  assert_int_equal(repeat_candidates(&c, &ri, 1, &cfg, out, 4), 1);
  assert_int_equal(out[0].minutes, 26);
  /* another number, or none at all: no link */
  c.created_ms = T0 + 5 * MIN_MS;
  assert_int_equal(one(&c, &inc, "09121234567", out), 0);
  assert_int_equal(one(&c, &inc, NULL, out), 0);
  c.caller_number = NULL;
  assert_int_equal(one(&c, &inc, "09111234567", out), 0);
  c.caller_number = "";
  assert_int_equal(one(&c, &inc, "", out), 0);
}

static void caller_numbers(void **state) {
  (void)state;
  assert_true(repeat_same_caller("09111234567", "09111234567"));
  assert_true(repeat_same_caller("+989111234567", "09111234567"));
  assert_true(repeat_same_caller("00989111234567", "0911 123 4567"));
  assert_true(repeat_same_caller("989111234567", "9111234567"));
  assert_true(repeat_same_caller("۰۹۱۱۱۲۳۴۵۶۷", "09111234567"));       /* Persian digits */
  assert_true(repeat_same_caller("٠٩١١١٢٣٤٥٦٧", "0911-123-4567"));      /* Arabic-Indic */
  assert_true(repeat_same_caller("013 3333 4444", "+98 13 3333 4444")); /* a Rasht landline */
  assert_false(repeat_same_caller("09111234567", "09111234568"));
  assert_false(repeat_same_caller("09111234567", "9111234568"));
  assert_false(repeat_same_caller("", ""));
  assert_false(repeat_same_caller("unknown", "unknown"));
  assert_false(repeat_same_caller(NULL, "09111234567"));
}

static void nearby_by_type(void **state) {
  (void)state;
  struct repeat_candidate out[4];
  assert_true(geo_distance_m(LAT0, LON0, north(499), LON0) < 499.001);
  assert_true(geo_distance_m(LAT0, LON0, north(501), LON0) > 500.999);
  struct incident inc = incident_at(7, "fight", LAT0, T0);
  const char *other = "09350000000";

  /* same type at 499 m: in, with distance */
  struct call c = call_at("09121111111", "fight", north(499), T0 + 10 * MIN_MS);
  assert_int_equal(one(&c, &inc, other, out), 1);
  assert_true(has(&out[0], REPEAT_SAME_TYPE));
  assert_true(has(&out[0], REPEAT_NEARBY));
  assert_false(has(&out[0], REPEAT_SAME_CALLER));
  assert_true(out[0].distance_m > 498.9 && out[0].distance_m < 499.1);
  assert_int_equal(out[0].minutes, 10);
  /* at 501 m: out */
  c.lat = north(501);
  assert_int_equal(one(&c, &inc, other, out), 0);

  /* a related type (disturbance is related to fight) at 499 m: in */
  c = call_at("09121111111", "disturbance", north(499), T0 + 10 * MIN_MS);
  assert_int_equal(one(&c, &inc, other, out), 1);
  assert_true(has(&out[0], REPEAT_RELATED_TYPE));
  assert_false(has(&out[0], REPEAT_SAME_TYPE));
  c.lat = north(501);
  assert_int_equal(one(&c, &inc, other, out), 0);
  /* same group is related too */
  c = call_at("09121111111", "assault", north(100), T0 + 10 * MIN_MS);
  assert_int_equal(one(&c, &inc, other, out), 1);
  assert_true(has(&out[0], REPEAT_RELATED_TYPE));

  /* an unrelated type, even next door: out */
  c = call_at("09121111111", "cyber_fraud", north(10), T0 + 10 * MIN_MS);
  assert_int_equal(one(&c, &inc, other, out), 0);

  /* near and same type but 31 minutes on: out (both conditions are needed) */
  c = call_at("09121111111", "fight", north(10), T0 + 31 * MIN_MS);
  assert_int_equal(one(&c, &inc, other, out), 0);

  /* no location on either side: nothing to be near */
  c = call_at("09121111111", "fight", LAT0, T0 + MIN_MS);
  c.has_location = false;
  assert_int_equal(one(&c, &inc, other, out), 0);
  c.has_location = true;
  inc.has_location = false;
  assert_int_equal(one(&c, &inc, other, out), 0);
  /* ... but the same caller still links, with distance -1 */
  assert_int_equal(one(&c, &inc, "09121111111", out), 1);
  assert_true(out[0].distance_m < 0);
  assert_true(has(&out[0], REPEAT_SAME_TYPE)); /* a true fact, reported */
}

static void closed_and_cleared_skipped(void **state) {
  (void)state;
  struct repeat_candidate out[4];
  struct call c = call_at("09111234567", "fight", LAT0, T0 + MIN_MS);
  enum incident_status open[] = {INC_PENDING, INC_DISPATCHED, INC_EN_ROUTE, INC_ON_SCENE};
  for (size_t i = 0; i < 4; i++) {
    struct incident inc = incident_at(1, "fight", LAT0, T0);
    inc.status = open[i];
    assert_int_equal(one(&c, &inc, "09111234567", out), 1);
  }
  struct incident inc = incident_at(1, "fight", LAT0, T0);
  inc.status = INC_CLEARED;
  assert_int_equal(one(&c, &inc, "09111234567", out), 0);
  inc.status = INC_CLOSED;
  assert_int_equal(one(&c, &inc, "09111234567", out), 0);
}

static void ranking(void **state) {
  (void)state;
  const char *none[] = {"09000000000"};
  const char *same[] = {"09111234567"};
  struct incident incs[6] = {
      incident_at(1, "fight", north(300), T0),                   /* same type, 300 m */
      incident_at(2, "fight", north(50), T0),                    /* same type, close */
      incident_at(3, "disturbance", north(50), T0),              /* related, close */
      incident_at(4, "noise", north(9000), T0 - 20 * MIN_MS),    /* same caller only, old */
      incident_at(5, "fight", north(50), T0 + 2 * MIN_MS),       /* as 2, created later */
      incident_at(6, "crash_damage", north(50), T0),             /* unrelated: not listed */
  };
  incs[1].updated_ms = T0 + 2 * MIN_MS; /* last active when 5 was created: only creation differs */
  struct repeat_incident ri[6];
  for (size_t i = 0; i < 6; i++)
    ri[i] = (struct repeat_incident){.inc = &incs[i], .callers = i == 3 ? same : none, .ncallers = 1};
  struct call c = call_at("+989111234567", "fight", LAT0, T0 + 5 * MIN_MS);

  struct repeat_candidate out[8];
  size_t n = repeat_candidates(&c, ri, 6, &cfg, out, 8);
  assert_int_equal(n, 5);
  /* same caller beats everything, even old and 9 km away */
  assert_int_equal(out[0].incident_id, 4);
  /* then same type close; of two equal ones the newer incident first */
  assert_int_equal(out[1].incident_id, 5);
  assert_int_equal(out[2].incident_id, 2);
  assert_true(out[1].score == out[2].score);
  /* same type at 300 m (40 + 12) vs related type at 50 m (20 + 27): same type */
  assert_int_equal(out[3].incident_id, 1);
  assert_int_equal(out[4].incident_id, 3);
  /* at 400 m (40 + 6) the close related one (47) comes first: closeness counts */
  incs[0].lat = north(400);
  assert_int_equal(repeat_candidates(&c, ri, 6, &cfg, out, 8), 5);
  assert_int_equal(out[3].incident_id, 3);
  assert_int_equal(out[4].incident_id, 1);
  incs[0].lat = north(300);
  assert_int_equal(repeat_candidates(&c, ri, 6, &cfg, out, 8), 5);
  for (size_t i = 1; i < n; i++) assert_true(out[i - 1].score >= out[i].score);

  /* reasons in their fixed order */
  const char *names[REPEAT_REASON__COUNT];
  assert_int_equal(repeat_reason_names(&out[1], names), 3);
  assert_string_equal(names[0], "same_type");
  assert_string_equal(names[1], "nearby");
  assert_string_equal(names[2], "recent");
  assert_int_equal(repeat_reason_names(&out[0], names), 2);
  assert_string_equal(names[0], "same_caller");
  assert_string_equal(names[1], "recent");
  assert_string_equal(repeat_reason_name(REPEAT_RELATED_TYPE), "related_type");
  assert_null(repeat_reason_name(REPEAT_REASON__COUNT));

  /* max keeps the best, in order; the input order does not matter */
  struct repeat_incident rev[6];
  for (size_t i = 0; i < 6; i++) rev[i] = ri[5 - i];
  struct repeat_candidate top[2];
  assert_int_equal(repeat_candidates(&c, rev, 6, &cfg, top, 2), 2);
  assert_int_equal(top[0].incident_id, 4);
  assert_int_equal(top[1].incident_id, 5);
  assert_int_equal(repeat_candidates(&c, rev, 6, &cfg, top, 0), 0);
  assert_int_equal(repeat_candidates(&c, NULL, 0, &cfg, top, 2), 0);

  /* recency counts: same type at the same spot, 25 minutes old vs 1 minute old */
  struct incident a = incident_at(10, "fight", north(100), T0 - 20 * MIN_MS);
  struct incident b = incident_at(11, "fight", north(100), T0 + 4 * MIN_MS);
  b.created_ms = a.created_ms - 1; /* b older by creation, yet more recently active */
  struct repeat_incident ab[2] = {{.inc = &a, .callers = none, .ncallers = 1},
                                  {.inc = &b, .callers = none, .ncallers = 1}};
  assert_int_equal(repeat_candidates(&c, ab, 2, &cfg, out, 8), 2);
  assert_int_equal(out[0].incident_id, 11);
  /* closeness counts: same type, same age, 100 m vs 300 m */
  struct incident near = incident_at(20, "fight", north(100), T0);
  struct incident far = incident_at(21, "fight", north(300), T0 + 1);
  struct repeat_incident nf[2] = {{.inc = &far, .callers = none, .ncallers = 1},
                                  {.inc = &near, .callers = none, .ncallers = 1}};
  assert_int_equal(repeat_candidates(&c, nf, 2, &cfg, out, 8), 2);
  assert_int_equal(out[0].incident_id, 20);
}

static void configurable(void **state) {
  (void)state;
  struct repeat_config wide = {.same_caller_window_ms = 60 * MIN_MS, .radius_m = 1000,
                               .nearby_window_ms = 45 * MIN_MS};
  struct incident inc = incident_at(1, "fight", north(800), T0);
  const char *callers[] = {"09000000000"};
  struct repeat_incident ri = {.inc = &inc, .callers = callers, .ncallers = 1};
  struct call c = call_at("09111111111", "fight", LAT0, T0 + 40 * MIN_MS);
  struct repeat_candidate out[2];
  assert_int_equal(repeat_candidates(&c, &ri, 1, &cfg, out, 2), 0);
  assert_int_equal(repeat_candidates(&c, &ri, 1, &wide, out, 2), 1);
}

static void priority_raising(void **state) {
  (void)state;
  /* priority before the link, call count after it */
  assert_int_equal(repeat_raised_priority(3, 1), 3);
  assert_int_equal(repeat_raised_priority(3, 2), 3);
  assert_int_equal(repeat_raised_priority(3, 3), 2); /* the 3rd call raises it */
  assert_int_equal(repeat_raised_priority(2, 4), 2);
  assert_int_equal(repeat_raised_priority(2, 5), 1); /* and the 5th */
  assert_int_equal(repeat_raised_priority(1, 7), 1); /* never above 1 */
  assert_int_equal(repeat_raised_priority(4, 3), 3);
  assert_int_equal(repeat_raised_priority(1, 3), 1);
  /* applied call by call from priority 4: 4 4 3 3 2 2 1 1 */
  int p = 4;
  const int want[] = {4, 4, 3, 3, 2, 2, 1, 1};
  for (int count = 1; count <= 8; count++) {
    p = repeat_raised_priority(p, count);
    assert_int_equal(p, want[count - 1]);
  }
  /* out-of-range priorities are clamped first */
  assert_int_equal(repeat_raised_priority(0, 2), 1);
  assert_int_equal(repeat_raised_priority(9, 2), 4);
  assert_int_equal(repeat_raised_priority(9, 3), 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(same_caller_window), cmocka_unit_test(caller_numbers),
      cmocka_unit_test(nearby_by_type),     cmocka_unit_test(closed_and_cleared_skipped),
      cmocka_unit_test(ranking),            cmocka_unit_test(configurable),
      cmocka_unit_test(priority_raising),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
