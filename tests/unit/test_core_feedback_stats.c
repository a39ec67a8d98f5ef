/* test_core_feedback_stats.c — the 197 desk's figures (core/feedback_stats.h): known
 * contacts give exact counts, shares, nearest-rank answer times, overdue and open
 * counts and the county/station order; no contacts give zeros and nulls. */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/feedback_stats.h"

#define T0 1759293000000LL
#define HOUR_MS (3600 * 1000LL)
#define DAY_MS (24 * HOUR_MS)

static void assert_near(double a, double b) {
  if (a < b - 1e-9 || a > b + 1e-9) fail_msg("%.6f != %.6f", a, b);
}

static json_t *get(json_t *o, const char *a, const char *b) {
  json_t *v = json_object_get(o, a);
  return b ? json_object_get(v, b) : v;
}

static json_int_t count_of(json_t *o, const char *a, const char *b) {
  json_t *v = get(o, a, b);
  if (!json_is_integer(v)) fail_msg("%s.%s is not an integer", a, b ? b : "");
  return json_integer_value(v);
}

/* A contact received at T0 + `day` days, due 10 days later. */
static struct feedback contact(enum fb_kind kind, enum fb_channel ch, const char *county,
                               const char *station, int day) {
  int64_t at = T0 + day * DAY_MS;
  return (struct feedback){.kind = kind, .channel = ch, .county = county, .station = station,
                           .status = FB_RECEIVED, .received_ms = at, .due_ms = at + 10 * DAY_MS};
}

static void answer(struct feedback *f, int64_t after_ms) {
  f->status = FB_ANSWERED;
  f->answered_ms = f->received_ms + after_ms;
}

static void close_as(struct feedback *f, enum fb_outcome o) {
  f->status = FB_CLOSED;
  f->outcome = o;
}

static void known_rows(void **state) {
  (void)state;
  struct feedback r[8];
  r[0] = contact(FB_PRAISE, FB_PHONE, "rasht", "rasht-12", 0);
  r[1] = contact(FB_PRAISE, FB_WEB, "rasht", "rasht-12", 0);
  r[2] = contact(FB_COMPLAINT, FB_PHONE, "anzali", "anzali-1", 0);
  r[3] = contact(FB_COMPLAINT, FB_PHONE, "rasht", "rasht-14", 1);
  r[4] = contact(FB_COMPLAINT, FB_OPEN311, NULL, NULL, 2);
  r[5] = contact(FB_SUGGESTION, FB_LETTER, "anzali", "anzali-1", 3);
  r[6] = contact(FB_ENQUIRY, FB_IN_PERSON, "lahijan", NULL, 10);
  r[7] = contact(FB_COMPLAINT, FB_WEB, "lahijan", "lahijan-2", 5);
  /* answered after 1, 2, 3, 4 and 10 hours */
  answer(&r[0], 1 * HOUR_MS);
  answer(&r[1], 2 * HOUR_MS);
  close_as(&r[1], FB_SUBSTANTIATED);
  answer(&r[2], 3 * HOUR_MS);
  close_as(&r[2], FB_RECONCILED);
  answer(&r[3], 4 * HOUR_MS);
  close_as(&r[3], FB_NOT_SUBSTANTIATED);
  answer(&r[5], 10 * HOUR_MS);
  close_as(&r[4], FB_WITHDRAWN); /* never answered */
  r[7].status = FB_UNDER_REVIEW;
  /* Now is day 13: r[6] (received day 10) is due day 20; r[7] is given a deadline of
   * day 12 (a shorter one configured then), so it alone is overdue. */
  r[7].due_ms = T0 + 12 * DAY_MS;
  int64_t now = T0 + 13 * DAY_MS;

  json_t *j = fb_stats_json(r, 8, now);
  assert_non_null(j);
  assert_int_equal(count_of(j, "total", NULL), 8);
  assert_int_equal(count_of(j, "by_kind", "praise"), 2);
  assert_int_equal(count_of(j, "by_kind", "complaint"), 4);
  assert_int_equal(count_of(j, "by_kind", "suggestion"), 1);
  assert_int_equal(count_of(j, "by_kind", "report"), 0);
  assert_int_equal(count_of(j, "by_kind", "enquiry"), 1);
  assert_int_equal(json_object_size(get(j, "by_kind", NULL)), FB_KIND__COUNT);
  assert_int_equal(count_of(j, "by_channel", "phone"), 3);
  assert_int_equal(count_of(j, "by_channel", "web"), 2);
  assert_int_equal(count_of(j, "by_channel", "in_person"), 1);
  assert_int_equal(count_of(j, "by_channel", "letter"), 1);
  assert_int_equal(count_of(j, "by_channel", "open311"), 1);
  assert_near(json_real_value(get(j, "praise_share", NULL)), 2.0 / 8.0);

  /* rasht 3, anzali 2, lahijan 2 (then by code: anzali before lahijan), none 1 last */
  json_t *c = get(j, "by_county", NULL);
  assert_int_equal(json_array_size(c), 4);
  static const char *const county_order[] = {"rasht", "anzali", "lahijan"};
  static const json_int_t county_counts[] = {3, 2, 2};
  for (size_t i = 0; i < 3; i++) {
    assert_string_equal(json_string_value(get(json_array_get(c, i), "code", NULL)), county_order[i]);
    assert_int_equal(count_of(json_array_get(c, i), "count", NULL), county_counts[i]);
  }
  assert_true(json_is_null(get(json_array_get(c, 3), "code", NULL)));
  assert_int_equal(count_of(json_array_get(c, 3), "count", NULL), 1);
  /* stations: anzali-1 2, rasht-12 2, then lahijan-2 1, rasht-14 1; none 2 last */
  json_t *s = get(j, "by_station", NULL);
  static const char *const station_order[] = {"anzali-1", "rasht-12", "lahijan-2", "rasht-14"};
  assert_int_equal(json_array_size(s), 5);
  for (size_t i = 0; i < 4; i++)
    assert_string_equal(json_string_value(get(json_array_get(s, i), "code", NULL)), station_order[i]);
  assert_true(json_is_null(get(json_array_get(s, 4), "code", NULL)));
  assert_int_equal(count_of(json_array_get(s, 4), "count", NULL), 2);

  /* answer times 1, 2, 3, 4, 10 h: nearest rank p50 = rank 3 = 3 h, p90 = rank 5 = 10 h */
  assert_int_equal(count_of(j, "answer_time_s", "count"), 5);
  assert_near(json_real_value(get(j, "answer_time_s", "p50")), 3 * 3600.0);
  assert_near(json_real_value(get(j, "answer_time_s", "p90")), 10 * 3600.0);
  assert_near(json_real_value(get(j, "answer_time_s", "max")), 10 * 3600.0);

  /* overdue at day 13: only r[7] (under review, due day 12); r[0], due day 10, was
   * answered, and answered contacts are never overdue */
  assert_int_equal(count_of(j, "overdue", NULL), 1);
  assert_int_equal(count_of(j, "open", NULL), 4); /* r0, r5 answered; r6 received; r7 */
  assert_int_equal(count_of(j, "outcomes", "substantiated"), 1);
  assert_int_equal(count_of(j, "outcomes", "reconciled"), 1);
  assert_int_equal(count_of(j, "outcomes", "not_substantiated"), 1);
  assert_int_equal(count_of(j, "outcomes", "withdrawn"), 1);
  assert_int_equal(count_of(j, "outcomes", "forwarded"), 0);
  assert_int_equal(json_object_size(get(j, "outcomes", NULL)), FB_OUTCOME__COUNT - 1);
  assert_near(json_real_value(get(j, "outcome_shares", "reconciled")), 1.0 / 4.0);
  assert_near(json_real_value(get(j, "outcome_shares", "forwarded")), 0.0);
  /* closed complaints: r2 reconciled, r3 not substantiated, r4 withdrawn → 1/3 */
  assert_near(json_real_value(get(j, "reconciliation_share", NULL)), 1.0 / 3.0);
  json_decref(j);

  /* At r[6]'s deadline it is not yet overdue; a millisecond later it is. */
  json_t *k = fb_stats_json(r, 8, r[6].due_ms);
  assert_int_equal(count_of(k, "overdue", NULL), 1);
  json_decref(k);
  k = fb_stats_json(r, 8, r[6].due_ms + 1);
  assert_int_equal(count_of(k, "overdue", NULL), 2);
  json_decref(k);
}

static void no_rows(void **state) {
  (void)state;
  json_t *j = fb_stats_json(NULL, 0, T0);
  assert_non_null(j);
  assert_int_equal(count_of(j, "total", NULL), 0);
  assert_int_equal(count_of(j, "by_kind", "praise"), 0);
  assert_int_equal(json_object_size(get(j, "by_channel", NULL)), FB_CHANNEL__COUNT);
  assert_int_equal(json_array_size(get(j, "by_county", NULL)), 0);
  assert_int_equal(json_array_size(get(j, "by_station", NULL)), 0);
  assert_near(json_real_value(get(j, "praise_share", NULL)), 0.0);
  assert_int_equal(count_of(j, "answer_time_s", "count"), 0);
  assert_true(json_is_null(get(j, "answer_time_s", "p50")));
  assert_true(json_is_null(get(j, "answer_time_s", "p90")));
  assert_true(json_is_null(get(j, "answer_time_s", "max")));
  assert_int_equal(count_of(j, "overdue", NULL), 0);
  assert_int_equal(count_of(j, "open", NULL), 0);
  assert_int_equal(count_of(j, "outcomes", "reconciled"), 0);
  assert_near(json_real_value(get(j, "outcome_shares", "reconciled")), 0.0);
  assert_near(json_real_value(get(j, "reconciliation_share", NULL)), 0.0);
  json_decref(j);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(known_rows),
      cmocka_unit_test(no_rows),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
