/* format.c — Jalali dates written for people: "۱۴۰۴/۰۷/۰۹", "۱۴۰۴/۰۷/۰۹ ۰۸:۳۰",
 * "چهارشنبه ۹ مهر ۱۴۰۴", and the month and weekday names. */
#include <stdio.h>

#include "locale/internal.h"

static const char *const MONTHS[12] = {
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر",     "آبان",     "آذر",   "دی",  "بهمن",  "اسفند",
};

/* Saturday first, as the Iranian week runs; سه‌شنبه holds a ZWNJ (U+200C). */
static const char *const WEEKDAYS[7] = {
    "شنبه", "یکشنبه", "دوشنبه", "سه\u200cشنبه", "چهارشنبه", "پنجشنبه", "جمعه",
};

const char *loc_month_name(int month) {
  return month >= 1 && month <= 12 ? MONTHS[month - 1] : NULL;
}

const char *loc_weekday_name(int weekday) {
  return weekday >= 0 && weekday <= 6 ? WEEKDAYS[weekday] : NULL;
}

enum shape { DATE, DATETIME, LONG_DATE };

static int format(int64_t ms, enum shape shape, bool latin, char *out, size_t outlen) {
  struct loc_jdate j;
  char tmp[128];
  int n;
  if (loc_from_utc_ms(ms, &j) != 0) return -1;
  switch (shape) {
  case DATE:
    n = snprintf(tmp, sizeof tmp, "%04d/%02d/%02d", j.year, j.month, j.day);
    break;
  case DATETIME:
    n = snprintf(tmp, sizeof tmp, "%04d/%02d/%02d %02d:%02d", j.year, j.month, j.day, j.hour,
                 j.minute);
    break;
  default:
    n = snprintf(tmp, sizeof tmp, "%s %d %s %d", WEEKDAYS[j.weekday], j.day,
                 MONTHS[j.month - 1], j.year);
    break;
  }
  if (n < 0 || (size_t)n >= sizeof tmp) return -1;
  return loc_put_digits(tmp, latin, out, outlen);
}

int loc_format_date(int64_t ms, bool latin, char *out, size_t outlen) {
  return format(ms, DATE, latin, out, outlen);
}

int loc_format_datetime(int64_t ms, bool latin, char *out, size_t outlen) {
  return format(ms, DATETIME, latin, out, outlen);
}

int loc_format_long_date(int64_t ms, bool latin, char *out, size_t outlen) {
  return format(ms, LONG_DATE, latin, out, outlen);
}
