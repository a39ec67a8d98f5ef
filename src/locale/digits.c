/* digits.c — Persian and Latin digits, grouped integers and toman amounts.
 *
 * Integers are grouped here rather than with ICU's number formatter because ICU's
 * Persian pattern wraps a minus sign in bidi marks (U+200E U+2212), which hamyar's
 * reports and CSV exports do not want; the rule itself (groups of three, ٬ between
 * them) is simple and fixed. */
#include <stdio.h>
#include <string.h>

#include <unicode/utf8.h>

#include "locale/internal.h"

#define PERSIAN_ZERO 0x06F0
#define ARABIC_INDIC_ZERO 0x0660
/* ARABIC THOUSANDS SEPARATOR U+066C, what Persian print puts between digit groups. */
#define PERSIAN_GROUP "\u066C"
#define TOMAN " تومان"

static UChar32 digit_value(UChar32 c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= PERSIAN_ZERO && c <= PERSIAN_ZERO + 9) return c - PERSIAN_ZERO;
  if (c >= ARABIC_INDIC_ZERO && c <= ARABIC_INDIC_ZERO + 9) return c - ARABIC_INDIC_ZERO;
  return -1;
}

/* Copies `in` to `out` with every digit (ASCII, Persian or Arabic-Indic) written as a
 * Persian digit, or as an ASCII one when `latin`. Arabic-Indic digits become Persian
 * in the first direction too, since hamyar shows only Persian forms. */
static int convert(const char *in, bool latin, char *out, size_t outlen) {
  size_t len = strlen(in);
  if (len > INT32_MAX / 2 || !loc_utf8_valid(in, len)) return -1;
  int32_t i = 0, o = 0;
  while (i < (int32_t)len) {
    UChar32 c;
    U8_NEXT_UNSAFE(in, i, c); /* validated above */
    UChar32 v = digit_value(c);
    if (v >= 0) c = latin ? '0' + v : PERSIAN_ZERO + v;
    if ((size_t)o + (size_t)U8_LENGTH(c) >= outlen) return -1;
    U8_APPEND_UNSAFE(out, o, c);
  }
  if ((size_t)o >= outlen) return -1;
  out[o] = '\0';
  return 0;
}

int loc_put_digits(const char *in, bool latin, char *out, size_t outlen) {
  return convert(in, latin, out, outlen);
}

int loc_digits_to_persian(const char *in, char *out, size_t outlen) {
  return in ? convert(in, false, out, outlen) : -1;
}

int loc_digits_to_latin(const char *in, char *out, size_t outlen) {
  return in ? convert(in, true, out, outlen) : -1;
}

/* `v` with Latin digits and ',' between groups of three, into tmp (≥ 32 bytes). */
static void group_latin(int64_t v, char *tmp) {
  /* Through uint64_t so that INT64_MIN has a magnitude. */
  uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
  char digits[24];
  int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)mag);
  size_t o = 0;
  if (v < 0) tmp[o++] = '-';
  for (int i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0) tmp[o++] = ',';
    tmp[o++] = digits[i];
  }
  tmp[o] = '\0';
}

int loc_format_int(int64_t v, bool latin, char *out, size_t outlen) {
  char tmp[32];
  group_latin(v, tmp);
  if (latin) {
    size_t n = strlen(tmp);
    if (n >= outlen) return -1;
    memcpy(out, tmp, n + 1);
    return 0;
  }
  /* Persian: each ',' becomes ٬ and each digit its Persian form. */
  size_t o = 0;
  for (const char *p = tmp; *p; p++) {
    const char *piece = *p == ',' ? PERSIAN_GROUP : NULL;
    char digit[3];
    if (*p >= '0' && *p <= '9') {
      int32_t k = 0;
      U8_APPEND_UNSAFE(digit, k, PERSIAN_ZERO + (*p - '0'));
      digit[k] = '\0';
      piece = digit;
    } else if (!piece) {
      digit[0] = *p, digit[1] = '\0';
      piece = digit;
    }
    size_t n = strlen(piece);
    if (o + n >= outlen) return -1;
    memcpy(out + o, piece, n);
    o += n;
  }
  if (o >= outlen) return -1;
  out[o] = '\0';
  return 0;
}

int loc_format_toman(int64_t rials, bool latin, char *out, size_t outlen) {
  /* C division truncates toward zero, as the header promises. */
  if (loc_format_int(rials / 10, latin, out, outlen) != 0) return -1;
  size_t n = strlen(out);
  if (n + sizeof TOMAN > outlen) return -1;
  memcpy(out + n, TOMAN, sizeof TOMAN);
  return 0;
}
