/* locale.h — how hamyar speaks Persian: the Jalali calendar in Asia/Tehran, Persian
 * and Latin digits, toman amounts, and normalised Persian text. Backed by ICU
 * (the "persian" calendar, which follows the official 33-year leap rule).
 *
 * All functions are thread-safe. Output strings are written into caller buffers and
 * are NUL-terminated UTF-8; a function returns -1 when the buffer is too small or the
 * input is invalid, and 0 (or a length, where said) on success.
 * loc_init() must be called once before any other function (it opens ICU objects
 * shared by all threads); loc_done() releases them.
 */
#ifndef HAMYAR_LOCALE_LOCALE_H
#define HAMYAR_LOCALE_LOCALE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int loc_init(void);
void loc_done(void);

/* A Jalali date and wall-clock time in Asia/Tehran. month 1..12, day 1..31,
 * weekday 0 = Saturday (شنبه) .. 6 = Friday (جمعه). */
struct loc_jdate {
  int year, month, day;
  int hour, minute, second, millis;
  int weekday;
};

/* UTC milliseconds → Jalali in Asia/Tehran. */
int loc_from_utc_ms(int64_t ms, struct loc_jdate *out);
/* Jalali in Asia/Tehran (hour/minute/second/millis used; weekday ignored) → UTC ms.
 * -1 when the date does not exist (e.g. 1404/12/30 — 1404 is not leap). */
int loc_to_utc_ms(const struct loc_jdate *in, int64_t *ms);

bool loc_jalali_is_leap(int year);
int loc_jalali_month_days(int year, int month); /* 29..31, or -1 */

/* Periods: half-open [start_ms, end_ms) in UTC milliseconds. */
struct loc_period {
  int64_t start_ms, end_ms;
};
enum loc_period_kind {
  LOC_DAY,
  LOC_WEEK,  /* Saturday to Friday */
  LOC_MONTH,
  LOC_YEAR,
  LOC_YEAR_TO_DATE, /* 1 Farvardin of the year to the end of the given day */
};
/* The period of `kind` that contains the instant `ms`. */
int loc_period_containing(enum loc_period_kind kind, int64_t ms, struct loc_period *out);
/* The same period one Jalali year earlier (same month/day boundaries; a 30 Esfand that
 * does not exist last year becomes 29 Esfand). LOC_DAY, LOC_WEEK and LOC_YEAR_TO_DATE
 * shift their first and last days, so 29 Esfand 1404 compares with 29 Esfand 1403 alone;
 * LOC_MONTH and LOC_YEAR shift their boundaries, so Esfand compares with all of Esfand. */
int loc_period_last_year(enum loc_period_kind kind, const struct loc_period *p,
                         struct loc_period *out);
/* Parses a Jalali period as people and URLs write it, in Persian or Latin digits:
 * "1404" (year), "1404-07" (month), "1404-07-09" (day), "1404/07/09", "1404-W02"
 * (week 2 of the year: week 1 contains 1 Farvardin), or an RFC 3339 instant pair is
 * NOT handled here. Sets kind and the period. */
int loc_period_parse(const char *text, enum loc_period_kind *kind, struct loc_period *out);

/* Formatting for people. `latin` chooses Latin digits instead of Persian. */
/* "۱۴۰۴/۰۷/۰۹" */
int loc_format_date(int64_t ms, bool latin, char *out, size_t outlen);
/* "۱۴۰۴/۰۷/۰۹ ۰۸:۳۰" */
int loc_format_datetime(int64_t ms, bool latin, char *out, size_t outlen);
/* "چهارشنبه ۹ مهر ۱۴۰۴" */
int loc_format_long_date(int64_t ms, bool latin, char *out, size_t outlen);
/* Persian month name 1..12 ("فروردین"..."اسفند") and weekday name 0..6 ("شنبه"..."جمعه");
 * static strings, NULL when out of range. */
const char *loc_month_name(int month);
const char *loc_weekday_name(int weekday);

/* Digits. Converts every ASCII digit in `in` to Persian (۰..۹) or back (Persian and
 * Arabic-Indic digits to ASCII); to_persian also turns Arabic-Indic digits Persian. */
int loc_digits_to_persian(const char *in, char *out, size_t outlen);
int loc_digits_to_latin(const char *in, char *out, size_t outlen);
/* An integer with grouping: 1242000 → "۱٬۲۴۲٬۰۰۰" (Persian) or "1,242,000" (latin). */
int loc_format_int(int64_t v, bool latin, char *out, size_t outlen);
/* Rials shown as toman (÷10, rounded toward zero) with grouping and the word تومان:
 * 12420000000000 → "۱٬۲۴۲٬۰۰۰٬۰۰۰٬۰۰۰ تومان". */
int loc_format_toman(int64_t rials, bool latin, char *out, size_t outlen);

/* Persian text normalisation, applied before text is stored or searched:
 * Arabic yeh (ي U+064A, ى U+0649) → ی U+06CC; Arabic kaf (ك U+0643) → ک U+06A9;
 * Arabic-Indic digits (U+0660..0669) → Persian digits (U+06F0..06F9); tatweel (U+0640)
 * dropped; ZWNJ (U+200C) kept; Unicode NFC; leading/trailing white space trimmed and
 * runs of white space collapsed to one space (newlines kept as single newlines).
 * Returns the length written, or -1 when `in` is not valid UTF-8 or `out` is too small.
 * Output is never longer than 3 × input + 1 bytes (NFC expands a few rare code points,
 * e.g. U+1D160 (4 bytes) becomes 12; text with no code point past U+FFFF stays within
 * 2 × input + 1). */
int loc_normalize(const char *in, size_t inlen, char *out, size_t outlen);

/* True when `s` (len bytes) is valid UTF-8 without NUL bytes. */
bool loc_utf8_valid(const char *s, size_t len);

#endif
