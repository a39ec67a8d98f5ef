/* test_locale_calendar.c — the Jalali calendar in Asia/Tehran: conversions, leap years,
 * month lengths, periods, the period syntax, date formatting, and the same from four
 * threads at once. Expected values are the official Iranian calendar and the tz
 * database, written out by hand, not recomputed. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "locale/locale.h"
#include "locale_fixture.h"
#include "util/clock.h"

#define HOUR_MS INT64_C(3600000)
#define DAY_MS (24 * HOUR_MS)

static int64_t rfc(const char *s) {
  int64_t ms = 0;
  assert_int_equal(clock_parse_rfc3339(s, &ms), 0);
  return ms;
}

static struct loc_jdate jd(int y, int m, int d, int h, int mi) {
  return (struct loc_jdate){.year = y, .month = m, .day = d, .hour = h, .minute = mi};
}

static int64_t to_ms(int y, int m, int d, int h, int mi) {
  struct loc_jdate j = jd(y, m, d, h, mi);
  int64_t ms = 0;
  assert_int_equal(loc_to_utc_ms(&j, &ms), 0);
  return ms;
}

static void assert_jdate(int64_t ms, int y, int m, int d, int h, int mi, int wd) {
  struct loc_jdate j;
  assert_int_equal(loc_from_utc_ms(ms, &j), 0);
  assert_int_equal(j.year, y);
  assert_int_equal(j.month, m);
  assert_int_equal(j.day, d);
  assert_int_equal(j.hour, h);
  assert_int_equal(j.minute, mi);
  if (wd >= 0) assert_int_equal(j.weekday, wd);
}

static void known_dates(void **state) {
  (void)state;
  /* Nowruz 1404 fell on Friday 21 March 2025. */
  assert_true(to_ms(1404, 1, 1, 0, 0) == rfc("2025-03-21T00:00:00+03:30"));
  assert_jdate(rfc("2025-03-21T00:00:00+03:30"), 1404, 1, 1, 0, 0, 6);
  /* 1403 was leap: its 30 Esfand was 20 March 2025. */
  assert_true(to_ms(1403, 12, 30, 0, 0) == rfc("2025-03-20T00:00:00+03:30"));
  assert_jdate(rfc("2025-03-20T23:59:59+03:30"), 1403, 12, 30, 23, 59, 5);
  /* The press conference: Wednesday 9 Mehr 1404 = 1 October 2025. */
  assert_true(to_ms(1404, 7, 9, 8, 30) == rfc("2025-10-01T08:30:00+03:30"));
  assert_jdate(rfc("2025-10-01T05:00:00Z"), 1404, 7, 9, 8, 30, 4);
  /* Instants just either side of Tehran midnight. */
  assert_jdate(rfc("2025-09-30T20:29:59.999Z"), 1404, 7, 8, 23, 59, 3);
  assert_jdate(rfc("2025-09-30T20:30:00Z"), 1404, 7, 9, 0, 0, 4);
  /* Older and later anchors: 1 Farvardin 1390 = 21 March 2011 and 1 Farvardin 1410 =
   * 21 March 2031; the Islamic Revolution's 22 Bahman 1357 = 11 February 1979. */
  assert_jdate(rfc("2011-03-21T12:00:00+03:30"), 1390, 1, 1, 12, 0, 2);
  assert_jdate(rfc("2031-03-21T12:00:00+03:30"), 1410, 1, 1, 12, 0, 6);
  assert_jdate(rfc("1979-02-11T12:00:00+03:30"), 1357, 11, 22, 12, 0, 1);
  /* Seconds and milliseconds survive both ways. */
  struct loc_jdate j = {.year = 1404, .month = 7, .day = 9, .hour = 8, .minute = 30,
                        .second = 15, .millis = 123};
  int64_t ms;
  assert_int_equal(loc_to_utc_ms(&j, &ms), 0);
  assert_true(ms == rfc("2025-10-01T05:00:15.123Z"));
  struct loc_jdate back;
  assert_int_equal(loc_from_utc_ms(ms, &back), 0);
  assert_int_equal(back.second, 15);
  assert_int_equal(back.millis, 123);
}

static void tehran_offsets_come_from_zone_data(void **state) {
  (void)state;
  /* Standard time +03:30 all year from 1402 on. */
  assert_true(to_ms(1404, 4, 1, 12, 0) == rfc("2025-06-22T08:30:00Z"));
  assert_true(to_ms(1402, 4, 1, 12, 0) == rfc("2023-06-22T08:30:00Z"));
  assert_true(to_ms(1404, 10, 1, 12, 0) == rfc("2025-12-22T08:30:00Z"));
  /* Summer time +04:30 until 1401 (Iran's last DST was the summer of 2022). */
  assert_true(to_ms(1400, 4, 1, 12, 0) == rfc("2021-06-22T07:30:00Z"));
  assert_true(to_ms(1401, 4, 1, 12, 0) == rfc("2022-06-22T07:30:00Z"));
  assert_true(to_ms(1399, 10, 1, 12, 0) == rfc("2020-12-21T08:30:00Z"));
  /* In 1399 clocks went forward at the midnight that began 2 Farvardin, so that day
   * began at 01:00 and lasted 23 hours. */
  struct loc_period p;
  assert_int_equal(loc_period_containing(LOC_DAY, to_ms(1399, 1, 2, 12, 0), &p), 0);
  assert_true(p.end_ms - p.start_ms == 23 * HOUR_MS);
  assert_jdate(p.start_ms, 1399, 1, 2, 1, 0, 0);
  assert_true(p.start_ms == rfc("2020-03-21T00:00:00+03:30"));
  /* ...and back at the midnight after 30 Shahrivar, which lasted 25 hours. */
  assert_int_equal(loc_period_containing(LOC_DAY, to_ms(1399, 6, 30, 12, 0), &p), 0);
  assert_true(p.end_ms - p.start_ms == 25 * HOUR_MS);
  assert_true(p.end_ms == rfc("2020-09-21T00:00:00+03:30"));
}

static void leap_years_and_month_lengths(void **state) {
  (void)state;
  /* The official calendar's leap years between 1370 and 1412. */
  static const int leap[] = {1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412};
  size_t k = 0;
  for (int y = 1370; y <= 1412; y++) {
    bool is_leap = k < sizeof leap / sizeof leap[0] && leap[k] == y;
    if (is_leap) k++;
    assert_int_equal(loc_jalali_is_leap(y), is_leap);
    int total = 0;
    for (int m = 1; m <= 12; m++) {
      int want = m <= 6 ? 31 : m <= 11 ? 30 : is_leap ? 30 : 29;
      assert_int_equal(loc_jalali_month_days(y, m), want);
      total += want;
    }
    assert_int_equal(total, is_leap ? 366 : 365);
  }
  assert_true(loc_jalali_is_leap(1403));
  assert_false(loc_jalali_is_leap(1404));
  assert_true(loc_jalali_is_leap(1399));
  assert_false(loc_jalali_is_leap(1400));
  assert_int_equal(loc_jalali_month_days(1404, 0), -1);
  assert_int_equal(loc_jalali_month_days(1404, 13), -1);
  assert_int_equal(loc_jalali_month_days(0, 1), -1);
}

static void nonexistent_dates_are_refused(void **state) {
  (void)state;
  int64_t ms = 0;
  struct loc_jdate bad[] = {
      jd(1404, 12, 30, 0, 0), jd(1404, 7, 31, 0, 0), jd(1404, 13, 1, 0, 0),
      jd(1404, 0, 1, 0, 0),   jd(1404, 1, 0, 0, 0),  jd(1404, 1, 32, 0, 0),
      jd(1404, 1, 1, 24, 0),  jd(1404, 1, 1, -1, 0), jd(1404, 1, 1, 0, 60),
      jd(0, 1, 1, 0, 0),      jd(10000, 1, 1, 0, 0),
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_int_equal(loc_to_utc_ms(&bad[i], &ms), -1);
  struct loc_jdate j = jd(1404, 1, 1, 0, 0);
  j.second = 60;
  assert_int_equal(loc_to_utc_ms(&j, &ms), -1);
  j.second = 0, j.millis = 1000;
  assert_int_equal(loc_to_utc_ms(&j, &ms), -1);
  struct loc_jdate out;
  assert_int_equal(loc_from_utc_ms(INT64_MAX, &out), -1);
  assert_int_equal(loc_from_utc_ms(INT64_MIN, &out), -1);
}

/* Is the wall-clock hour of `ms` repeated (the hour before clocks went back)? */
static bool in_repeated_hour(int64_t ms) {
  struct loc_jdate a, b, c;
  assert_int_equal(loc_from_utc_ms(ms, &a), 0);
  assert_int_equal(loc_from_utc_ms(ms - HOUR_MS, &b), 0);
  assert_int_equal(loc_from_utc_ms(ms + HOUR_MS, &c), 0);
  return a.hour == b.hour || a.hour == c.hour;
}

static void every_day_from_1390_to_1410_round_trips(void **state) {
  (void)state;
  int64_t prev_noon = 0;
  int prev_wd = -1, days = 0;
  for (int y = 1390; y <= 1410; y++) {
    for (int m = 1; m <= 12; m++) {
      int n = loc_jalali_month_days(y, m);
      for (int d = 1; d <= n; d++, days++) {
        /* Jalali → UTC → Jalali at noon (never inside a DST change). */
        int64_t noon = to_ms(y, m, d, 12, 0);
        struct loc_jdate j;
        assert_int_equal(loc_from_utc_ms(noon, &j), 0);
        assert_int_equal(j.year, y);
        assert_int_equal(j.month, m);
        assert_int_equal(j.day, d);
        assert_int_equal(j.hour, 12);
        if (prev_wd >= 0) {
          assert_int_equal(j.weekday, (prev_wd + 1) % 7);
          int64_t gap = noon - prev_noon;
          if (y >= 1402)
            assert_true(gap == DAY_MS);
          else
            assert_true(gap == DAY_MS || gap == DAY_MS - HOUR_MS || gap == DAY_MS + HOUR_MS);
        }
        prev_noon = noon;
        prev_wd = j.weekday;
        /* UTC → Jalali → UTC at an odd time of day, and at the day's first instant. */
        int64_t odd = noon + (int64_t)((days * 7919) % 86400) * 1000 - 43200000 + 321;
        struct loc_period day;
        assert_int_equal(loc_period_containing(LOC_DAY, noon, &day), 0);
        int64_t probes[] = {odd, day.start_ms, day.end_ms - 1};
        for (size_t k = 0; k < 3; k++) {
          int64_t back;
          assert_int_equal(loc_from_utc_ms(probes[k], &j), 0);
          assert_int_equal(loc_to_utc_ms(&j, &back), 0);
          /* A repeated wall-clock hour names two instants; ICU reads it as the later. */
          if (back != probes[k]) {
            assert_true(in_repeated_hour(probes[k]));
            assert_true(back - probes[k] == HOUR_MS);
          }
        }
        /* Days tile time: each day ends where the next starts. */
        struct loc_period next;
        assert_int_equal(loc_period_containing(LOC_DAY, day.end_ms, &next), 0);
        assert_true(next.start_ms == day.end_ms);
      }
    }
  }
  assert_int_equal(days, 21 * 365 + 5); /* leap: 1391 1395 1399 1403 1408 */
}

static void periods_contain_the_instant(void **state) {
  (void)state;
  int64_t t = to_ms(1404, 7, 9, 8, 30);
  struct loc_period p;
  assert_int_equal(loc_period_containing(LOC_DAY, t, &p), 0);
  assert_true(p.start_ms == to_ms(1404, 7, 9, 0, 0) && p.end_ms == to_ms(1404, 7, 10, 0, 0));
  /* The week of Wednesday 9 Mehr runs from Saturday 5 Mehr to Friday 11 Mehr. */
  assert_int_equal(loc_period_containing(LOC_WEEK, t, &p), 0);
  assert_true(p.start_ms == to_ms(1404, 7, 5, 0, 0) && p.end_ms == to_ms(1404, 7, 12, 0, 0));
  assert_jdate(p.start_ms, 1404, 7, 5, 0, 0, 0);
  /* A Saturday is its week's first day, a Friday its last. */
  assert_int_equal(loc_period_containing(LOC_WEEK, to_ms(1404, 7, 5, 0, 0), &p), 0);
  assert_true(p.start_ms == to_ms(1404, 7, 5, 0, 0));
  assert_int_equal(loc_period_containing(LOC_WEEK, to_ms(1404, 7, 11, 23, 59), &p), 0);
  assert_true(p.start_ms == to_ms(1404, 7, 5, 0, 0));
  /* A week across the new year: Friday 1 Farvardin 1404 belongs to the week that
   * began on Saturday 25 Esfand 1403. */
  assert_int_equal(loc_period_containing(LOC_WEEK, to_ms(1404, 1, 1, 10, 0), &p), 0);
  assert_true(p.start_ms == to_ms(1403, 12, 25, 0, 0) && p.end_ms == to_ms(1404, 1, 2, 0, 0));
  assert_int_equal(loc_period_containing(LOC_MONTH, t, &p), 0);
  assert_true(p.start_ms == to_ms(1404, 7, 1, 0, 0) && p.end_ms == to_ms(1404, 8, 1, 0, 0));
  assert_int_equal(loc_period_containing(LOC_MONTH, to_ms(1403, 12, 30, 23, 0), &p), 0);
  assert_true(p.start_ms == to_ms(1403, 12, 1, 0, 0) && p.end_ms == to_ms(1404, 1, 1, 0, 0));
  assert_true(p.end_ms - p.start_ms == 30 * DAY_MS);
  assert_int_equal(loc_period_containing(LOC_YEAR, t, &p), 0);
  assert_true(p.start_ms == to_ms(1404, 1, 1, 0, 0) && p.end_ms == to_ms(1405, 1, 1, 0, 0));
  assert_true(p.end_ms - p.start_ms == 365 * DAY_MS);
  assert_int_equal(loc_period_containing(LOC_YEAR_TO_DATE, t, &p), 0);
  assert_true(p.start_ms == to_ms(1404, 1, 1, 0, 0) && p.end_ms == to_ms(1404, 7, 10, 0, 0));
  assert_int_equal(loc_period_containing((enum loc_period_kind)99, t, &p), -1);
}

static void periods_a_year_earlier(void **state) {
  (void)state;
  struct loc_period p, q;
  /* Year to date on the press conference day, against the same dates of 1403. */
  assert_int_equal(loc_period_containing(LOC_YEAR_TO_DATE, to_ms(1404, 7, 9, 8, 30), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_YEAR_TO_DATE, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 1, 1, 0, 0) && q.end_ms == to_ms(1403, 7, 10, 0, 0));
  assert_int_equal(loc_period_containing(LOC_YEAR, to_ms(1404, 7, 9, 8, 30), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_YEAR, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 1, 1, 0, 0) && q.end_ms == to_ms(1404, 1, 1, 0, 0));
  assert_true(q.end_ms - q.start_ms == 366 * DAY_MS);
  assert_int_equal(loc_period_containing(LOC_MONTH, to_ms(1404, 7, 9, 8, 30), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_MONTH, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 7, 1, 0, 0) && q.end_ms == to_ms(1403, 8, 1, 0, 0));
  /* Same month/day boundaries, so a week a year earlier need not start on Saturday. */
  assert_int_equal(loc_period_containing(LOC_WEEK, to_ms(1404, 7, 9, 8, 30), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_WEEK, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 7, 5, 0, 0) && q.end_ms == to_ms(1403, 7, 12, 0, 0));
  /* 30 Esfand 1403 has no twin in 1402: it becomes 29 Esfand 1402. */
  assert_int_equal(loc_period_containing(LOC_DAY, to_ms(1403, 12, 30, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_DAY, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1402, 12, 29, 0, 0) && q.end_ms == to_ms(1403, 1, 1, 0, 0));
  /* 29 Esfand 1403 maps to 29 Esfand 1402 and does not collapse to nothing. */
  assert_int_equal(loc_period_containing(LOC_DAY, to_ms(1403, 12, 29, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_DAY, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1402, 12, 29, 0, 0) && q.end_ms == to_ms(1403, 1, 1, 0, 0));
  /* Esfand 1403 (30 days) against Esfand 1402 (29 days); and the other way round. */
  assert_int_equal(loc_period_containing(LOC_MONTH, to_ms(1403, 12, 10, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_MONTH, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1402, 12, 1, 0, 0) && q.end_ms == to_ms(1403, 1, 1, 0, 0));
  assert_int_equal(loc_period_containing(LOC_MONTH, to_ms(1404, 12, 10, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_MONTH, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 12, 1, 0, 0) && q.end_ms == to_ms(1404, 1, 1, 0, 0));
  /* A day or week holds the same number of days a year earlier where it can: 29 Esfand
   * 1404 against 29 Esfand 1403 alone, the last week of 1404 against 23..29 Esfand 1403. */
  assert_int_equal(loc_period_containing(LOC_DAY, to_ms(1404, 12, 29, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_DAY, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 12, 29, 0, 0) && q.end_ms == to_ms(1403, 12, 30, 0, 0));
  assert_int_equal(loc_period_containing(LOC_WEEK, to_ms(1404, 12, 29, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_WEEK, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 12, 23, 0, 0) && q.end_ms == to_ms(1403, 12, 30, 0, 0));
  /* Year to date through 29 Esfand 1404 → through 29 Esfand 1403 (365 days each). */
  assert_int_equal(loc_period_containing(LOC_YEAR_TO_DATE, to_ms(1404, 12, 29, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_YEAR_TO_DATE, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1403, 1, 1, 0, 0) && q.end_ms == to_ms(1403, 12, 30, 0, 0));
  /* Year to date ending on 30 Esfand 1403 → through 29 Esfand 1402. */
  assert_int_equal(loc_period_containing(LOC_YEAR_TO_DATE, to_ms(1403, 12, 30, 9, 0), &p), 0);
  assert_int_equal(loc_period_last_year(LOC_YEAR_TO_DATE, &p, &q), 0);
  assert_true(q.start_ms == to_ms(1402, 1, 1, 0, 0) && q.end_ms == to_ms(1403, 1, 1, 0, 0));
  /* An empty or reversed period is refused. */
  struct loc_period empty = {p.start_ms, p.start_ms};
  assert_int_equal(loc_period_last_year(LOC_DAY, &empty, &q), -1);
}

static void parse_accepts(void **state) {
  (void)state;
  static const struct {
    const char *text;
    enum loc_period_kind kind;
    int y0, m0, d0, y1, m1, d1; /* [start, end) as Jalali midnights */
  } ok[] = {
      {"1404", LOC_YEAR, 1404, 1, 1, 1405, 1, 1},
      {"1404-07", LOC_MONTH, 1404, 7, 1, 1404, 8, 1},
      {"1404/07", LOC_MONTH, 1404, 7, 1, 1404, 8, 1},
      {"1404-7", LOC_MONTH, 1404, 7, 1, 1404, 8, 1},
      {"1404-12", LOC_MONTH, 1404, 12, 1, 1405, 1, 1},
      {"1404-07-09", LOC_DAY, 1404, 7, 9, 1404, 7, 10},
      {"1404/07/09", LOC_DAY, 1404, 7, 9, 1404, 7, 10},
      {"1404/7/9", LOC_DAY, 1404, 7, 9, 1404, 7, 10},
      {"1403-12-30", LOC_DAY, 1403, 12, 30, 1404, 1, 1},
      {"1404-12-29", LOC_DAY, 1404, 12, 29, 1405, 1, 1},
      /* Week 1 holds 1 Farvardin 1404 (a Friday), so it began on 25 Esfand 1403. */
      {"1404-W01", LOC_WEEK, 1403, 12, 25, 1404, 1, 2},
      {"1404-W02", LOC_WEEK, 1404, 1, 2, 1404, 1, 9},
      {"1404-w2", LOC_WEEK, 1404, 1, 2, 1404, 1, 9},
      /* 29 Esfand 1404 is a Thursday; its week is week 53. */
      {"1404-W53", LOC_WEEK, 1404, 12, 23, 1405, 1, 1},
      {"۱۴۰۴", LOC_YEAR, 1404, 1, 1, 1405, 1, 1},
      {"۱۴۰۴-۰۷", LOC_MONTH, 1404, 7, 1, 1404, 8, 1},
      {"۱۴۰۴/۰۷/۰۹", LOC_DAY, 1404, 7, 9, 1404, 7, 10},
      {"۱۴۰۴-W۰۲", LOC_WEEK, 1404, 1, 2, 1404, 1, 9},
      {"١٤٠٤-٠٧-٠٩", LOC_DAY, 1404, 7, 9, 1404, 7, 10}, /* Arabic-Indic digits */
      {"1٤0۴/07/٠9", LOC_DAY, 1404, 7, 9, 1404, 7, 10},  /* mixed digits */
  };
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    enum loc_period_kind kind = (enum loc_period_kind)-1;
    struct loc_period p;
    print_message("parse %s\n", ok[i].text);
    assert_int_equal(loc_period_parse(ok[i].text, &kind, &p), 0);
    assert_int_equal(kind, ok[i].kind);
    assert_true(p.start_ms == to_ms(ok[i].y0, ok[i].m0, ok[i].d0, 0, 0));
    assert_true(p.end_ms == to_ms(ok[i].y1, ok[i].m1, ok[i].d1, 0, 0));
  }
}

static void parse_rejects(void **state) {
  (void)state;
  static const char *const bad[] = {
      "",           "garbage",     "1404-",       "1404-13",      "1404-00",
      "1404-07-32", "1404-07-31",  "1404-12-30",  "1404-07-00",   "1404-07-09-01",
      "1404-07/09", "1404/07-09",  "14040",       "140",          "0000",
      "1404-W00",   "1404-W54",    "1404-W",      "1404-W123",    "1404/W02",
      " 1404",      "1404 ",       "1404-007",    "1404-07-009",  "۱۴۰۴-۱۳",
      "۱۴۰۴-۱۲-۳۰", "1404\xdb",    "1404-\xd9\xaa", "+1404",      "-1404",
      "1404-07-09T00:00:00Z",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    enum loc_period_kind kind = LOC_DAY;
    struct loc_period p = {0, 0};
    print_message("reject %s\n", bad[i]);
    assert_int_equal(loc_period_parse(bad[i], &kind, &p), -1);
  }
  enum loc_period_kind kind;
  struct loc_period p;
  assert_int_equal(loc_period_parse(NULL, &kind, &p), -1);
}

static void dates_for_people(void **state) {
  (void)state;
  int64_t t = to_ms(1404, 7, 9, 8, 30);
  char buf[128];
  assert_int_equal(loc_format_date(t, false, buf, sizeof buf), 0);
  assert_string_equal(buf, "۱۴۰۴/۰۷/۰۹");
  assert_int_equal(loc_format_date(t, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "1404/07/09");
  assert_int_equal(loc_format_datetime(t, false, buf, sizeof buf), 0);
  assert_string_equal(buf, "۱۴۰۴/۰۷/۰۹ ۰۸:۳۰");
  assert_int_equal(loc_format_datetime(t, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "1404/07/09 08:30");
  assert_int_equal(loc_format_long_date(t, false, buf, sizeof buf), 0);
  assert_string_equal(buf, "چهارشنبه ۹ مهر ۱۴۰۴");
  assert_int_equal(loc_format_long_date(t, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "چهارشنبه 9 مهر 1404");
  assert_int_equal(loc_format_long_date(to_ms(1403, 12, 30, 23, 0), false, buf, sizeof buf), 0);
  assert_string_equal(buf, "پنجشنبه ۳۰ اسفند ۱۴۰۳");
  assert_int_equal(loc_format_long_date(to_ms(1404, 7, 8, 1, 0), false, buf, sizeof buf), 0);
  assert_string_equal(buf, "سه\u200cشنبه ۸ مهر ۱۴۰۴");
  /* Too small a buffer is an error, never a cut string: "۱۴۰۴/۰۷/۰۹" is 18 bytes. */
  assert_int_equal(loc_format_date(t, false, buf, 18), -1);
  assert_int_equal(loc_format_date(t, false, buf, 19), 0);
  assert_int_equal(loc_format_date(t, true, buf, 10), -1);
  assert_int_equal(loc_format_date(t, true, buf, 11), 0);
  assert_int_equal(loc_format_date(INT64_MAX, false, buf, sizeof buf), -1);
}

static void month_and_weekday_names(void **state) {
  (void)state;
  static const char *const months[] = {"فروردین", "اردیبهشت", "خرداد", "تیر",
                                       "مرداد",   "شهریور",   "مهر",   "آبان",
                                       "آذر",     "دی",       "بهمن",  "اسفند"};
  static const char *const days[] = {"شنبه",     "یکشنبه",  "دوشنبه", "سه\u200cشنبه",
                                     "چهارشنبه", "پنجشنبه", "جمعه"};
  for (int m = 1; m <= 12; m++) assert_string_equal(loc_month_name(m), months[m - 1]);
  for (int d = 0; d <= 6; d++) assert_string_equal(loc_weekday_name(d), days[d]);
  assert_null(loc_month_name(0));
  assert_null(loc_month_name(13));
  assert_null(loc_weekday_name(-1));
  assert_null(loc_weekday_name(7));
  /* Each name in the week of 5..11 Mehr 1404 matches the weekday ICU gives. */
  for (int d = 5; d <= 11; d++) {
    struct loc_jdate j;
    assert_int_equal(loc_from_utc_ms(to_ms(1404, 7, d, 12, 0), &j), 0);
    assert_int_equal(j.weekday, d - 5);
  }
}

/* Four threads convert and format the same days at once; each checks its results. */
static void *convert_many(void *arg) {
  int64_t base = *(const int64_t *)arg;
  long bad = 0;
  for (int i = 0; i < 3000; i++) {
    int64_t t = base + (int64_t)i * DAY_MS;
    struct loc_jdate j;
    int64_t back;
    struct loc_period p;
    char a[64], b[64];
    if (loc_from_utc_ms(t, &j) != 0 || loc_to_utc_ms(&j, &back) != 0 || back != t) bad++;
    if (loc_period_containing(LOC_WEEK, t, &p) != 0 || p.end_ms - p.start_ms != 7 * DAY_MS ||
        t < p.start_ms || t >= p.end_ms)
      bad++;
    if (loc_format_date(t, true, a, sizeof a) != 0) bad++;
    snprintf(b, sizeof b, "%04d/%02d/%02d", j.year, j.month, j.day);
    if (strcmp(a, b) != 0) bad++;
    if (loc_format_long_date(t, false, a, sizeof a) != 0 ||
        strncmp(a, loc_weekday_name(j.weekday), strlen(loc_weekday_name(j.weekday))) != 0)
      bad++;
  }
  return (void *)bad;
}

static void thread_safe(void **state) {
  (void)state;
  /* From 1402 on there is no DST, so every instant round-trips exactly. */
  int64_t base = to_ms(1402, 1, 1, 9, 45);
  pthread_t th[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, convert_many, &base), 0);
  for (int i = 0; i < 4; i++) {
    void *bad;
    assert_int_equal(pthread_join(th[i], &bad), 0);
    assert_int_equal((long)bad, 0);
  }
}

static void init_is_idempotent(void **state) {
  (void)state;
  assert_int_equal(loc_init(), 0);
  assert_int_equal(loc_init(), 0);
  struct loc_jdate j;
  assert_int_equal(loc_from_utc_ms(rfc("2025-10-01T05:00:00Z"), &j), 0);
  assert_int_equal(j.day, 9);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(known_dates),
      cmocka_unit_test(tehran_offsets_come_from_zone_data),
      cmocka_unit_test(leap_years_and_month_lengths),
      cmocka_unit_test(nonexistent_dates_are_refused),
      cmocka_unit_test(every_day_from_1390_to_1410_round_trips),
      cmocka_unit_test(periods_contain_the_instant),
      cmocka_unit_test(periods_a_year_earlier),
      cmocka_unit_test(parse_accepts),
      cmocka_unit_test(parse_rejects),
      cmocka_unit_test(dates_for_people),
      cmocka_unit_test(month_and_weekday_names),
      cmocka_unit_test(thread_safe),
      cmocka_unit_test(init_is_idempotent),
  };
  return cmocka_run_group_tests(tests, locale_setup, locale_teardown);
}
