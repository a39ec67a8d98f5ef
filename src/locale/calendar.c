/* calendar.c — UTC milliseconds to and from the Jalali calendar in Asia/Tehran.
 *
 * The arithmetic is ICU's "persian" calendar (the official 33-year leap rule) and the
 * offsets are ICU's zone data for Asia/Tehran (UTC+03:30, with the DST Iran kept until
 * 1401), so neither is written here. */
#include "locale/internal.h"

/* Beyond about ±2^53 ms a double (ICU's UDate) no longer holds every millisecond; the
 * supported years lie well inside this. */
#define MS_LIMIT INT64_C(1000000000000000)

int loc_cal_fields(UCalendar *cal, int64_t ms, struct loc_jdate *out) {
  UErrorCode st = U_ZERO_ERROR;
  if (ms > MS_LIMIT || ms < -MS_LIMIT) return -1;
  ucal_setMillis(cal, (UDate)ms, &st);
  struct loc_jdate d = {
      .year = ucal_get(cal, UCAL_EXTENDED_YEAR, &st),
      .month = ucal_get(cal, UCAL_MONTH, &st) + 1,
      .day = ucal_get(cal, UCAL_DATE, &st),
      .hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &st),
      .minute = ucal_get(cal, UCAL_MINUTE, &st),
      .second = ucal_get(cal, UCAL_SECOND, &st),
      .millis = ucal_get(cal, UCAL_MILLISECOND, &st),
      /* ICU counts 1 = Sunday .. 7 = Saturday; the Iranian week starts on Saturday. */
      .weekday = ucal_get(cal, UCAL_DAY_OF_WEEK, &st) % 7,
  };
  if (U_FAILURE(st) || d.year < LOC_YEAR_MIN || d.year > LOC_YEAR_MAX) return -1;
  *out = d;
  return 0;
}

static int cal_millis(UCalendar *cal, int year, int month, int day, int hour, int minute,
                      int second, int millis, int64_t *ms) {
  UErrorCode st = U_ZERO_ERROR;
  /* clear() first: a field left from an earlier use (say DAY_OF_WEEK) could otherwise
   * win ICU's field resolution over the date set here. */
  ucal_clear(cal);
  ucal_set(cal, UCAL_EXTENDED_YEAR, year);
  ucal_set(cal, UCAL_MONTH, month - 1);
  ucal_set(cal, UCAL_DATE, day);
  ucal_set(cal, UCAL_HOUR_OF_DAY, hour);
  ucal_set(cal, UCAL_MINUTE, minute);
  ucal_set(cal, UCAL_SECOND, second);
  ucal_set(cal, UCAL_MILLISECOND, millis);
  UDate t = ucal_getMillis(cal, &st);
  if (U_FAILURE(st)) return -1;
  *ms = (int64_t)t;
  return 0;
}

int loc_cal_midnight(UCalendar *cal, int year, int month, int day, int64_t *ms) {
  return cal_millis(cal, year, month, day, 0, 0, 0, 0, ms);
}

int loc_cal_month_days(UCalendar *cal, int year, int month) {
  UErrorCode st = U_ZERO_ERROR;
  if (year < LOC_YEAR_MIN || year > LOC_YEAR_MAX || month < 1 || month > 12) return -1;
  int64_t ms;
  if (cal_millis(cal, year, month, 1, 12, 0, 0, 0, &ms) != 0) return -1;
  int32_t n = ucal_getLimit(cal, UCAL_DATE, UCAL_ACTUAL_MAXIMUM, &st);
  return U_FAILURE(st) ? -1 : n;
}

int loc_from_utc_ms(int64_t ms, struct loc_jdate *out) {
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  int rc = loc_cal_fields(cal, ms, out);
  ucal_close(cal);
  return rc;
}

int loc_to_utc_ms(const struct loc_jdate *in, int64_t *ms) {
  int rc = -1;
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  /* The calendar is lenient (it would turn 1404/12/30 into 1405/01/01), so the date is
   * checked here. A wall time inside a skipped DST hour is accepted and read as ICU
   * does (the time before the change, i.e. one hour later in the new offset). */
  int days = loc_cal_month_days(cal, in->year, in->month);
  if (days < 0 || in->day < 1 || in->day > days || in->hour < 0 || in->hour > 23 ||
      in->minute < 0 || in->minute > 59 || in->second < 0 || in->second > 59 ||
      in->millis < 0 || in->millis > 999)
    goto done;
  rc = cal_millis(cal, in->year, in->month, in->day, in->hour, in->minute, in->second,
                  in->millis, ms);
done:
  ucal_close(cal);
  return rc;
}

bool loc_jalali_is_leap(int year) { return loc_jalali_month_days(year, 12) == 30; }

int loc_jalali_month_days(int year, int month) {
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  int n = loc_cal_month_days(cal, year, month);
  ucal_close(cal);
  return n;
}
