/* period.c — Jalali periods (day, week, month, year, year to date) as half-open ranges
 * of UTC milliseconds between Tehran midnights, the same period a year earlier, and
 * the period syntax of URLs and search boxes ("1404-07", "۱۴۰۴/۰۷/۰۹", "1404-W02"). */
#include <string.h>

#include "locale/internal.h"

/* The period of `kind` around Jalali day (y, m, d) whose weekday is `wd`. */
static int period_of_day(UCalendar *cal, enum loc_period_kind kind, int y, int m, int d,
                         int wd, struct loc_period *out) {
  int sy = y, sm = m, sd = d, ey = y, em = m, ed = d + 1;
  switch (kind) {
  case LOC_DAY:
    break;
  case LOC_WEEK:
    sd = d - wd; /* back to Saturday; ICU carries a day below 1 into the month before */
    ed = sd + 7;
    break;
  case LOC_MONTH:
    sd = 1;
    ed = 1;
    em = m + 1;
    break;
  case LOC_YEAR:
    sm = sd = 1;
    em = ed = 1;
    ey = y + 1;
    break;
  case LOC_YEAR_TO_DATE:
    sm = sd = 1;
    break;
  default:
    return -1;
  }
  struct loc_period p;
  if (loc_cal_midnight(cal, sy, sm, sd, &p.start_ms) != 0 ||
      loc_cal_midnight(cal, ey, em, ed, &p.end_ms) != 0)
    return -1;
  *out = p;
  return 0;
}

int loc_period_containing(enum loc_period_kind kind, int64_t ms, struct loc_period *out) {
  int rc = -1;
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  struct loc_jdate j;
  if (loc_cal_fields(cal, ms, &j) == 0)
    rc = period_of_day(cal, kind, j.year, j.month, j.day, j.weekday, out);
  ucal_close(cal);
  return rc;
}

/* The day one Jalali year before (y, m, d); 30 Esfand of a leap year becomes 29 Esfand
 * when the year before is not leap. */
static int year_earlier(UCalendar *cal, int *y, int m, int *d) {
  int days = loc_cal_month_days(cal, *y - 1, m);
  if (days < 0) return -1;
  *y -= 1;
  if (*d > days) *d = days;
  return 0;
}

int loc_period_last_year(enum loc_period_kind kind, const struct loc_period *p,
                         struct loc_period *out) {
  int rc = -1;
  if (kind < LOC_DAY || kind > LOC_YEAR_TO_DATE || p->start_ms >= p->end_ms) return -1;
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  struct loc_jdate first, last;
  struct loc_period r;
  if (loc_cal_fields(cal, p->start_ms, &first) != 0 ||
      loc_cal_fields(cal, p->end_ms - 1, &last) != 0 ||
      year_earlier(cal, &first.year, first.month, &first.day) != 0 ||
      loc_cal_midnight(cal, first.year, first.month, first.day, &r.start_ms) != 0)
    goto done;
  if (kind == LOC_MONTH || kind == LOC_YEAR) {
    /* Whole months: Esfand a year earlier, whatever its length. The end is 1 Farvardin
     * or the 1st of a month, which every year has. */
    struct loc_jdate end;
    if (loc_cal_fields(cal, p->end_ms, &end) != 0 ||
        loc_cal_midnight(cal, end.year - 1, end.month, end.day, &r.end_ms) != 0)
      goto done;
  } else {
    /* Days: shift the last day the period holds rather than its exclusive end, so that
     * 29 Esfand 1404 compares with 29 Esfand 1403 alone (not with 29 and 30 Esfand),
     * and a period ending on 29 Esfand 1403 (end = 30 Esfand) still holds that day. */
    if (year_earlier(cal, &last.year, last.month, &last.day) != 0 ||
        loc_cal_midnight(cal, last.year, last.month, last.day + 1, &r.end_ms) != 0)
      goto done;
  }
  if (r.start_ms >= r.end_ms) goto done;
  *out = r;
  rc = 0;
done:
  ucal_close(cal);
  return rc;
}

/* Reads one decimal digit (ASCII, Persian ۰-۹ or Arabic-Indic ٠-٩) at *s. */
static int read_digit(const char **s) {
  const unsigned char *p = (const unsigned char *)*s;
  if (p[0] >= '0' && p[0] <= '9') {
    *s += 1;
    return p[0] - '0';
  }
  /* U+06F0..06F9 is DB B0..DB B9 in UTF-8; U+0660..0669 is D9 A0..D9 A9. */
  if ((p[0] == 0xDB && p[1] >= 0xB0 && p[1] <= 0xB9) ||
      (p[0] == 0xD9 && p[1] >= 0xA0 && p[1] <= 0xA9)) {
    *s += 2;
    return p[1] & 0x0F;
  }
  return -1;
}

/* Reads between min and max digits; -1 when there are fewer than min. */
static int read_number(const char **s, int min, int max) {
  int v = 0, n = 0, dg;
  while (n < max && (dg = read_digit(s)) >= 0) {
    v = v * 10 + dg;
    n++;
  }
  if (n < min) return -1;
  const char *peek = *s;
  if (read_digit(&peek) >= 0) return -1; /* more digits than max */
  return v;
}

/* Week `week` of Jalali year `y`: week 1 is the Saturday-to-Friday week holding
 * 1 Farvardin; the last week is the one holding 29 or 30 Esfand. */
static int parse_week(UCalendar *cal, int y, int week, struct loc_period *out) {
  int64_t ny_ms, year_end;
  struct loc_jdate ny;
  if (week < 1 || loc_cal_midnight(cal, y, 1, 1, &ny_ms) != 0 ||
      loc_cal_fields(cal, ny_ms, &ny) != 0 || loc_cal_midnight(cal, y + 1, 1, 1, &year_end))
    return -1;
  int sd = 1 - ny.weekday + 7 * (week - 1);
  struct loc_period p;
  if (loc_cal_midnight(cal, y, 1, sd, &p.start_ms) != 0 ||
      loc_cal_midnight(cal, y, 1, sd + 7, &p.end_ms) != 0 || p.start_ms >= year_end)
    return -1;
  *out = p;
  return 0;
}

int loc_period_parse(const char *text, enum loc_period_kind *kind, struct loc_period *out) {
  int rc = -1;
  if (!text) return -1;
  UCalendar *cal = loc_cal_clone();
  if (!cal) return -1;
  const char *s = text;
  int y = read_number(&s, 4, 4), m = 1, d = 1, week = 0;
  enum loc_period_kind k = LOC_YEAR;
  if (y < LOC_YEAR_MIN) goto done;
  if (*s == '-' || *s == '/') {
    char sep = *s++;
    if (sep == '-' && (*s == 'W' || *s == 'w')) {
      s++;
      if ((week = read_number(&s, 1, 2)) < 0) goto done;
      k = LOC_WEEK;
    } else {
      if ((m = read_number(&s, 1, 2)) < 0) goto done;
      k = LOC_MONTH;
      if (*s == sep) {
        s++;
        if ((d = read_number(&s, 1, 2)) < 0) goto done;
        k = LOC_DAY;
      }
    }
  }
  if (*s != '\0') goto done;
  struct loc_period p;
  if (k == LOC_WEEK) {
    if (parse_week(cal, y, week, &p) != 0) goto done;
  } else {
    int days = loc_cal_month_days(cal, y, m);
    if (days < 0 || d < 1 || d > days) goto done;
    if (period_of_day(cal, k, y, m, d, 0, &p) != 0) goto done;
  }
  *kind = k;
  *out = p;
  rc = 0;
done:
  ucal_close(cal);
  return rc;
}
