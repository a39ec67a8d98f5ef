/* clock.c — UTC milliseconds and RFC 3339; see clock.h. */
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t clock_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t clock_mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* text into out, cut short to fit (as snprintf would). */
static void copy_cut(char *out, size_t outlen, const char *text) {
  if (outlen == 0) return;
  size_t n = strlen(text);
  if (n > outlen - 1) n = outlen - 1;
  memcpy(out, text, n);
  out[n] = '\0';
}

static void put_digits(char *at, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10) at[i] = (char)('0' + v % 10);
}

char *clock_format_rfc3339(int64_t ms, char *out, size_t outlen) {
  /* Every request's log line and every record's times come through here, many within
   * the same second: each thread keeps the last second's text, and gmtime_r (which
   * takes glibc's time zone lock) runs once a second. */
  static _Thread_local int64_t cached_secs = INT64_MIN;
  static _Thread_local char cached[20]; /* "YYYY-MM-DDTHH:MM:SS" */
  time_t secs = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  int millis = (int)(ms - (int64_t)secs * 1000);
  char text[64];
  if ((int64_t)secs != cached_secs) {
    struct tm tm;
    gmtime_r(&secs, &tm);
    if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) { /* past what four digits hold */
      snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
               tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
      copy_cut(out, outlen, text);
      return out;
    }
    memcpy(cached, "0000-00-00T00:00:00", sizeof cached);
    put_digits(cached, tm.tm_year + 1900, 4);
    put_digits(cached + 5, tm.tm_mon + 1, 2);
    put_digits(cached + 8, tm.tm_mday, 2);
    put_digits(cached + 11, tm.tm_hour, 2);
    put_digits(cached + 14, tm.tm_min, 2);
    put_digits(cached + 17, tm.tm_sec, 2);
    cached_secs = (int64_t)secs;
  }
  memcpy(text, cached, 19);
  text[19] = '.';
  put_digits(text + 20, millis, 3);
  memcpy(text + 23, "Z", 2);
  copy_cut(out, outlen, text);
  return out;
}

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

int clock_parse_rfc3339(const char *s, int64_t *ms) {
  int y, mo, d, h, mi, sec, frac = 0;
  if (!s || strlen(s) < 20) return -1;
  if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
      digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' ||
      digits(s + 17, 2, &sec))
    return -1;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return -1;
  const char *p = s + 19;
  if (*p == '.') {
    int n = 0;
    p++;
    while (*p >= '0' && *p <= '9') {
      if (n < 3) frac = frac * 10 + (*p - '0');
      n++;
      p++;
    }
    if (n == 0) return -1;
    for (; n < 3; n++) frac *= 10;
  }
  int offset_min = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int oh, om;
    if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
      return -1;
    offset_min = (oh * 60 + om) * (*p == '-' ? -1 : 1);
    p += 6;
  } else {
    return -1;
  }
  if (*p != '\0') return -1;
  /* Days from civil (proleptic Gregorian), after H. Hinnant's public-domain formula. */
  int yy = y - (mo <= 2);
  int era = (yy >= 0 ? yy : yy - 399) / 400;
  unsigned yoe = (unsigned)(yy - era * 400);
  unsigned doy = (unsigned)((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1);
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = (int64_t)era * 146097 + (int64_t)doe - 719468;
  int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset_min * 60;
  *ms = secs * 1000 + frac;
  return 0;
}
