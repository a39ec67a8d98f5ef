/* internal.h — what the locale module's files share with one another; not for other
 * modules (they include locale/locale.h).
 *
 * ICU's UCalendar and UTransliterator objects are not thread-safe. loc_init() builds one
 * template of each; a calendar user takes a private clone (ucal_clone is cheap, about
 * 0.2 µs) and closes it when done, and the transliterator is used under a mutex (ICU
 * serialises rule-based transliterators that share rule data anyway, so clones would
 * buy no parallelism and cost ~9 µs each).
 */
#ifndef HAMYAR_LOCALE_INTERNAL_H
#define HAMYAR_LOCALE_INTERNAL_H

#include <stdint.h>

#include <unicode/ucal.h>
#include <unicode/unorm2.h>
#include <unicode/utrans.h>

#include "locale/locale.h"

/* Jalali years the module accepts and produces (the formats print four digits). */
#define LOC_YEAR_MIN 1
#define LOC_YEAR_MAX 9999

/* A private lenient Persian calendar in Asia/Tehran, or NULL before loc_init() or when
 * memory ran out. The caller closes it with ucal_close(). */
UCalendar *loc_cal_clone(void);

/* The transliterator that maps Arabic letters and digits to their Persian forms. Call
 * loc_trans_lock() before using it and loc_trans_unlock() after; NULL before loc_init(). */
UTransliterator *loc_trans_lock(void);
void loc_trans_unlock(void);

/* ICU's NFC normaliser (owned by ICU, thread-safe), or NULL before loc_init(). */
const UNormalizer2 *loc_nfc(void);

/* The Jalali date and time of `ms` on calendar `cal`. 0, or -1 when out of range. */
int loc_cal_fields(UCalendar *cal, int64_t ms, struct loc_jdate *out);

/* The instant of local midnight that starts Jalali day (year, month, day) in Tehran.
 * Month and day may run past their ends or below 1 (month 13 is Farvardin of the next
 * year, day 0 the last day of the previous month), which is how callers step through
 * days. Where a DST change skipped midnight (Iran moved clocks at 00:00 until 1401),
 * the day starts at the change. 0, or -1 on an ICU error. */
int loc_cal_midnight(UCalendar *cal, int year, int month, int day, int64_t *ms);

/* Days in Jalali month `month` (1..12) of `year`, or -1. */
int loc_cal_month_days(UCalendar *cal, int year, int month);

/* Writes ASCII `in` to `out` with its ASCII digits made Persian unless `latin`.
 * 0, or -1 when `out` is too small. */
int loc_put_digits(const char *in, bool latin, char *out, size_t outlen);

#endif
