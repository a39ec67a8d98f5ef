/* test_core_callstats.c — the call-handling figures of core/callstats.h: nearest-rank
 * percentiles of known sets, NENA answer compliance at exactly its goal and just
 * under it, the priority-1 dispatch goal, breakdowns by Tehran hour and county, and
 * empty input, through the struct and through the JSON the API serves. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/callstats.h"
#include "locale/locale.h"
#include "locale_fixture.h"

#define T0 1759293000000LL /* 2025-10-01 04:30 UTC = 08:00 in Tehran */
#define HOUR_MS (3600 * 1000LL)

/* A call rung at `ring`, answered `answer_ms` later, not linked to an incident. */
static struct call_timing row(int64_t id, int64_t ring, int64_t answer_ms) {
  return (struct call_timing){.call_id = id, .priority = 3, .county = "rasht", .outcome = CALL_OPERATION,
                              .ring_ms = ring, .answer_ms = ring + answer_ms};
}

static void assert_near(double a, double b) {
  if (a < b - 1e-9 || a > b + 1e-9) fail_msg("%.6f != %.6f", a, b);
}

static json_t *path(json_t *root, const char *a, const char *b, const char *c) {
  json_t *v = json_object_get(root, a);
  if (b) v = json_object_get(v, b);
  if (c) v = json_object_get(v, c);
  return v;
}

static void empty(void **state) {
  (void)state;
  struct callstats s;
  assert_int_equal(callstats_compute(NULL, 0, 0, &s), 0);
  assert_int_equal(s.calls, 0);
  assert_int_equal(s.incidents, 0);
  for (int i = 0; i < CALLSTATS_INTERVAL__COUNT; i++) assert_int_equal(s.intervals[i].count, 0);
  for (int g = 0; g < CALLSTATS_GOAL__COUNT; g++) {
    assert_int_equal(s.goals[g].count, 0);
    assert_false(s.goals[g].met);
  }
  assert_int_equal(s.goals[CALLSTATS_ANSWER_15S].limit_s, 15);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_20S].goal_pct, 95);
  for (int h = 0; h < 24; h++) {
    assert_int_equal(s.by_hour[h].hour, h);
    assert_int_equal(s.by_hour[h].calls, 0);
  }
  assert_int_equal(s.ncounties, 0);
  json_t *j = callstats_json(&s);
  assert_non_null(j);
  assert_int_equal(json_integer_value(json_object_get(j, "calls")), 0);
  assert_true(json_is_null(path(j, "intervals", "ring_to_answer", "p50_s")));
  assert_int_equal(json_integer_value(path(j, "intervals", "ring_to_answer", "count")), 0);
  assert_true(json_is_null(path(j, "goals", "answer_15s", "share")));
  assert_true(json_is_null(path(j, "goals", "answer_15s", "met")));
  assert_near(json_real_value(path(j, "goals", "answer_15s", "goal")), 0.9);
  assert_int_equal(json_integer_value(path(j, "goals", "priority1_dispatch_60s", "limit_s")), 60);
  assert_int_equal(json_array_size(json_object_get(j, "by_hour")), 24);
  assert_int_equal(json_array_size(json_object_get(j, "by_county")), 0);
  assert_int_equal(json_integer_value(path(j, "by_outcome", "invalid", NULL)), 0);
  json_decref(j);
  callstats_free(&s);
}

static void percentiles(void **state) {
  (void)state;
  /* ring to answer 1..10 s, shuffled */
  const int secs[] = {7, 3, 10, 1, 9, 5, 2, 8, 6, 4};
  struct call_timing r[10];
  for (int i = 0; i < 10; i++) r[i] = row(i + 1, T0 + i * 60000, secs[i] * 1000LL);
  struct callstats s;
  assert_int_equal(callstats_compute(r, 10, 0, &s), 0);
  const struct callstats_dist *d = &s.intervals[CALLSTATS_RING_TO_ANSWER];
  assert_int_equal(d->count, 10);
  assert_near(d->p50_s, 5);  /* rank ceil(5) */
  assert_near(d->p90_s, 9);  /* rank ceil(9) */
  assert_near(d->p95_s, 10); /* rank ceil(9.5) */
  assert_near(d->max_s, 10);
  callstats_free(&s);

  /* 20 values 0.5, 1.0, ... 10.0 s: ranks 10, 18, 19 */
  struct call_timing q[20];
  for (int i = 0; i < 20; i++) q[i] = row(i + 1, T0, (20 - i) * 500LL);
  assert_int_equal(callstats_compute(q, 20, 0, &s), 0);
  d = &s.intervals[CALLSTATS_RING_TO_ANSWER];
  assert_near(d->p50_s, 5.0);
  assert_near(d->p90_s, 9.0);
  assert_near(d->p95_s, 9.5);
  assert_near(d->max_s, 10.0);
  callstats_free(&s);

  /* one value is every percentile */
  struct call_timing one = row(1, T0, 4321);
  assert_int_equal(callstats_compute(&one, 1, 0, &s), 0);
  d = &s.intervals[CALLSTATS_RING_TO_ANSWER];
  assert_near(d->p50_s, 4.321);
  assert_near(d->p95_s, 4.321);
  assert_near(d->max_s, 4.321);
  callstats_free(&s);
}

static void incident_intervals(void **state) {
  (void)state;
  struct call_timing r[5];
  /* two incidents, each with its first call; one repeat call; one call without incident */
  r[0] = row(1, T0, 5000);
  r[0].incident_id = 10;
  r[0].first_call = true;
  r[0].dispatch_ms = r[0].answer_ms + 40000;
  r[0].on_scene_ms = r[0].dispatch_ms + 300000;
  r[0].cleared_ms = r[0].on_scene_ms + 1200000;
  r[1] = row(2, T0, 8000);
  r[1].incident_id = 11;
  r[1].first_call = true;
  r[1].dispatch_ms = r[1].answer_ms + 80000;
  r[1].on_scene_ms = 0; /* not there yet */
  r[2] = row(3, T0 + 600000, 3000); /* a repeat call about incident 10, long after dispatch */
  r[2].incident_id = 10;
  r[2].dispatch_ms = r[0].dispatch_ms;
  r[2].on_scene_ms = r[0].on_scene_ms;
  r[2].cleared_ms = r[0].cleared_ms;
  r[3] = row(4, T0, 2000);
  r[3].outcome = CALL_GUIDANCE;
  r[4] = row(5, 0, 0); /* no ring time from the phone system */
  r[4].answer_ms = T0;
  r[4].outcome = CALL_INVALID;
  struct callstats s;
  assert_int_equal(callstats_compute(r, 5, 7, &s), 0);
  assert_int_equal(s.calls, 5);
  assert_int_equal(s.incidents, 2);
  assert_int_equal(s.abandoned, 7);
  assert_int_equal(s.by_outcome[CALL_OPERATION], 3);
  assert_int_equal(s.by_outcome[CALL_GUIDANCE], 1);
  assert_int_equal(s.by_outcome[CALL_INVALID], 1);
  assert_int_equal(s.intervals[CALLSTATS_RING_TO_ANSWER].count, 4); /* the fifth has no ring */
  const struct callstats_dist *ad = &s.intervals[CALLSTATS_ANSWER_TO_DISPATCH];
  assert_int_equal(ad->count, 2); /* per incident: the repeat call does not count */
  assert_near(ad->p50_s, 40);
  assert_near(ad->max_s, 80);
  assert_int_equal(s.intervals[CALLSTATS_DISPATCH_TO_ON_SCENE].count, 1);
  assert_near(s.intervals[CALLSTATS_DISPATCH_TO_ON_SCENE].p50_s, 300);
  assert_int_equal(s.intervals[CALLSTATS_ON_SCENE_TO_CLEAR].count, 1);
  assert_near(s.intervals[CALLSTATS_ON_SCENE_TO_CLEAR].max_s, 1200);
  callstats_free(&s);

  /* an interval that runs backwards (two clocks) is left out, not negative */
  struct call_timing back = row(1, T0, -2000);
  assert_int_equal(callstats_compute(&back, 1, 0, &s), 0);
  assert_int_equal(s.intervals[CALLSTATS_RING_TO_ANSWER].count, 0);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_15S].count, 0);
  callstats_free(&s);
}

static void nena(void **state) {
  (void)state;
  /* 10 calls: 8 at 5 s, one at exactly 15 s, one at 15.001 s: 90% within 15 s */
  struct call_timing r[20];
  for (int i = 0; i < 8; i++) r[i] = row(i + 1, T0, 5000);
  r[8] = row(9, T0, 15000);
  r[9] = row(10, T0, 15001);
  struct callstats s;
  assert_int_equal(callstats_compute(r, 10, 0, &s), 0);
  const struct callstats_goal *g15 = &s.goals[CALLSTATS_ANSWER_15S], *g20 = &s.goals[CALLSTATS_ANSWER_20S];
  assert_int_equal(g15->count, 10);
  assert_int_equal(g15->within, 9);
  assert_near(g15->share, 0.9);
  assert_true(g15->met); /* exactly 90% meets 90% */
  assert_int_equal(g20->within, 10);
  assert_true(g20->met);
  json_t *j = callstats_json(&s);
  assert_true(json_is_true(path(j, "goals", "answer_15s", "met")));
  assert_near(json_real_value(path(j, "goals", "answer_15s", "share")), 0.9);
  assert_int_equal(json_integer_value(path(j, "goals", "answer_15s", "within")), 9);
  json_decref(j);
  callstats_free(&s);

  /* one more slow call in ten: 80% within 15 s, 90% within 20 s: neither met */
  r[7] = row(8, T0, 20001);
  assert_int_equal(callstats_compute(r, 10, 0, &s), 0);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_15S].within, 8);
  assert_false(s.goals[CALLSTATS_ANSWER_15S].met);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_20S].within, 9);
  assert_false(s.goals[CALLSTATS_ANSWER_20S].met);
  callstats_free(&s);

  /* 19 of 20 within 20 s is exactly 95%: met */
  for (int i = 0; i < 19; i++) r[i] = row(i + 1, T0, 20000);
  r[19] = row(20, T0, 25000);
  assert_int_equal(callstats_compute(r, 20, 0, &s), 0);
  assert_true(s.goals[CALLSTATS_ANSWER_20S].met);
  assert_false(s.goals[CALLSTATS_ANSWER_15S].met); /* none within 15 s */
  callstats_free(&s);

  /* 899 of 1000 is 89.9%: not met (no rounding up) */
  struct call_timing *big = calloc(1000, sizeof *big);
  assert_non_null(big);
  for (int i = 0; i < 1000; i++) big[i] = row(i + 1, T0, i < 899 ? 10000 : 16000);
  assert_int_equal(callstats_compute(big, 1000, 0, &s), 0);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_15S].within, 899);
  assert_false(s.goals[CALLSTATS_ANSWER_15S].met);
  callstats_free(&s);
  big[899] = row(900, T0, 10000); /* 900 of 1000 */
  assert_int_equal(callstats_compute(big, 1000, 0, &s), 0);
  assert_true(s.goals[CALLSTATS_ANSWER_15S].met);
  callstats_free(&s);
  free(big);

  /* abandoned calls are reported but not in the denominator */
  struct call_timing fast = row(1, T0, 1000);
  assert_int_equal(callstats_compute(&fast, 1, 50, &s), 0);
  assert_int_equal(s.goals[CALLSTATS_ANSWER_15S].count, 1);
  assert_true(s.goals[CALLSTATS_ANSWER_15S].met);
  assert_int_equal(s.abandoned, 50);
  callstats_free(&s);
}

static struct call_timing p1(int64_t id, int64_t dispatch_after_ms, bool first_call, int64_t incident_id) {
  struct call_timing r = row(id, T0, 5000);
  r.priority = 1;
  r.first_call = first_call;
  r.incident_id = incident_id;
  r.dispatch_ms = dispatch_after_ms >= 0 ? r.answer_ms + dispatch_after_ms : 0;
  return r;
}

static void priority1_goal(void **state) {
  (void)state;
  struct call_timing r[9];
  r[0] = p1(1, 60000, true, 10);  /* exactly 60 s: within */
  r[1] = p1(2, 60001, true, 11);  /* missed */
  r[2] = p1(3, -1, true, 12);     /* never dispatched: missed */
  r[3] = p1(4, -1, false, 0);     /* no incident at all: missed */
  r[4] = p1(5, 1000, false, 10);  /* a repeat call: not counted */
  r[5] = p1(6, 1000, true, 13);
  r[5].priority = 2;               /* not priority 1 */
  r[6] = p1(7, 1000, true, 14);
  r[6].outcome = CALL_GUIDANCE;    /* not an operation */
  r[7] = p1(8, 30000, true, 15);  /* within */
  r[8] = p1(9, 0, true, 16);      /* dispatched at the moment of answer: within */
  struct callstats s;
  assert_int_equal(callstats_compute(r, 9, 0, &s), 0);
  const struct callstats_goal *g = &s.goals[CALLSTATS_P1_DISPATCH_60S];
  assert_int_equal(g->count, 6);
  assert_int_equal(g->within, 3);
  assert_near(g->share, 0.5);
  assert_false(g->met);
  callstats_free(&s);
  /* 9 of 10 within: met */
  struct call_timing t[10];
  for (int i = 0; i < 9; i++) t[i] = p1(i + 1, 20000, true, 100 + i);
  t[9] = p1(10, 120000, true, 200);
  assert_int_equal(callstats_compute(t, 10, 0, &s), 0);
  assert_true(s.goals[CALLSTATS_P1_DISPATCH_60S].met);
  callstats_free(&s);
}

static void breakdowns(void **state) {
  (void)state;
  struct call_timing r[6];
  r[0] = row(1, T0, 4000);                   /* 08:00 Tehran, rasht */
  r[1] = row(2, T0 + 10 * 60000, 30000);     /* 08:10, rasht, slow */
  r[2] = row(3, T0 + HOUR_MS, 2000);         /* 09:00, anzali */
  r[2].county = "anzali";
  r[3] = row(4, T0 + 20 * HOUR_MS, 3000);    /* 04:00 next day, no county */
  r[3].county = NULL;
  r[4] = row(5, 0, 0);                       /* no ring: hour of the answer, 09:30 */
  r[4].answer_ms = T0 + HOUR_MS + 30 * 60000;
  r[4].county = "anzali";
  r[5] = row(6, T0 - 9 * HOUR_MS, 1000);     /* 23:00 the evening before, rasht */
  struct callstats s;
  assert_int_equal(callstats_compute(r, 6, 0, &s), 0);
  assert_int_equal(s.by_hour[8].calls, 2);
  assert_int_equal(s.by_hour[8].ring_to_answer.count, 2);
  assert_near(s.by_hour[8].ring_to_answer.max_s, 30);
  assert_int_equal(s.by_hour[8].goals[CALLSTATS_ANSWER_15S].within, 1);
  assert_false(s.by_hour[8].goals[CALLSTATS_ANSWER_15S].met);
  assert_int_equal(s.by_hour[9].calls, 2);
  assert_int_equal(s.by_hour[9].ring_to_answer.count, 1);
  assert_true(s.by_hour[9].goals[CALLSTATS_ANSWER_15S].met);
  assert_int_equal(s.by_hour[4].calls, 1);
  assert_int_equal(s.by_hour[23].calls, 1);
  size_t total = 0;
  for (int h = 0; h < 24; h++) total += s.by_hour[h].calls;
  assert_int_equal(total, 6);

  /* counties in code order, the rows without one last */
  assert_int_equal(s.ncounties, 3);
  assert_string_equal(s.by_county[0].county, "anzali");
  assert_int_equal(s.by_county[0].calls, 2);
  assert_int_equal(s.by_county[0].hour, -1);
  assert_string_equal(s.by_county[1].county, "rasht");
  assert_int_equal(s.by_county[1].calls, 3);
  assert_int_equal(s.by_county[1].ring_to_answer.count, 3);
  assert_near(s.by_county[1].ring_to_answer.p50_s, 4);
  assert_null(s.by_county[2].county);
  assert_int_equal(s.by_county[2].calls, 1);

  json_t *j = callstats_json(&s);
  assert_non_null(j);
  json_t *h8 = json_array_get(json_object_get(j, "by_hour"), 8);
  assert_int_equal(json_integer_value(json_object_get(h8, "hour")), 8);
  assert_int_equal(json_integer_value(json_object_get(h8, "calls")), 2);
  assert_true(json_is_false(path(h8, "goals", "answer_15s", "met")));
  json_t *c = json_object_get(j, "by_county");
  assert_string_equal(json_string_value(json_object_get(json_array_get(c, 0), "county")), "anzali");
  assert_true(json_is_null(json_object_get(json_array_get(c, 2), "county")));
  assert_int_equal(json_integer_value(path(j, "by_outcome", "operation", NULL)), 6);
  assert_near(json_real_value(path(j, "intervals", "ring_to_answer", "max_s")), 30);
  json_decref(j);
  callstats_free(&s);
  callstats_free(&s); /* safe twice */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(empty), cmocka_unit_test(percentiles),    cmocka_unit_test(incident_intervals),
      cmocka_unit_test(nena),  cmocka_unit_test(priority1_goal), cmocka_unit_test(breakdowns),
  };
  return cmocka_run_group_tests(tests, locale_setup, locale_teardown);
}
