/* jtext.c — JSON values written as Jansson writes them; see jtext.h. */
#include "util/jtext.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The next code point of UTF-8 text s (advanced past it); -1 when s is not well-formed
 * UTF-8 (overlong forms, surrogates, past U+10FFFF), which Jansson also refuses. */
static int32_t next_code_point(const unsigned char **s) {
  const unsigned char *p = *s;
  unsigned char b = p[0];
  int32_t cp;
  size_t n;
  if (b < 0x80) {
    *s = p + 1;
    return b;
  } else if (b >= 0xC2 && b <= 0xDF) {
    cp = b & 0x1F;
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    cp = b & 0x0F;
    n = 3;
  } else if (b >= 0xF0 && b <= 0xF4) {
    cp = b & 0x07;
    n = 4;
  } else {
    return -1;
  }
  for (size_t k = 1; k < n; k++) {
    if ((p[k] & 0xC0) != 0x80) return -1; /* also stops at the terminating NUL */
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *s = p + n;
  return cp;
}

static int put_escape(struct buf *b, int32_t cp) {
  static const char hex[] = "0123456789ABCDEF";
  const char *esc = NULL;
  switch (cp) {
    case '"': esc = "\\\""; break;
    case '\\': esc = "\\\\"; break;
    case '\b': esc = "\\b"; break;
    case '\f': esc = "\\f"; break;
    case '\n': esc = "\\n"; break;
    case '\r': esc = "\\r"; break;
    case '\t': esc = "\\t"; break;
    default: break;
  }
  if (esc) return buf_append(b, esc, 2);
  int32_t units[2] = {cp, -1};
  if (cp >= 0x10000) {
    units[0] = 0xD800 | ((cp - 0x10000) >> 10);
    units[1] = 0xDC00 | (cp & 0x3FF);
  }
  for (int i = 0; i < 2 && units[i] >= 0; i++) {
    char u[6] = {'\\', 'u', hex[(units[i] >> 12) & 0xF], hex[(units[i] >> 8) & 0xF],
                 hex[(units[i] >> 4) & 0xF], hex[units[i] & 0xF]};
    if (buf_append(b, u, sizeof u) != 0) return -1;
  }
  return 0;
}

int jtext_string(struct buf *b, const char *s, bool ascii) {
  const unsigned char *p = (const unsigned char *)s;
  if (buf_putc(b, '"') != 0) return -1;
  while (*p) {
    /* Runs that need no escape are copied whole; text past ASCII is checked, and kept
     * as it is unless ascii. */
    const unsigned char *run = p;
    for (;;) {
      if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
        p++;
      } else if (*p >= 0x80 && !ascii) {
        const unsigned char *q = p;
        if (next_code_point(&q) < 0) return -1;
        p = q;
      } else {
        break;
      }
    }
    if (p > run && buf_append(b, run, (size_t)(p - run)) != 0) return -1;
    if (!*p) break;
    int32_t cp = next_code_point(&p);
    if (cp < 0 || put_escape(b, cp) != 0) return -1;
  }
  return buf_putc(b, '"');
}

int jtext_string_or_null(struct buf *b, const char *s) {
  return s ? jtext_string(b, s, false) : buf_append(b, "null", 4);
}

int jtext_int(struct buf *b, int64_t v) {
  char digits[24];
  size_t i = sizeof digits;
  /* In unsigned arithmetic, so that INT64_MIN has a magnitude. */
  uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do {
    digits[--i] = (char)('0' + m % 10);
    m /= 10;
  } while (m);
  if (v < 0) digits[--i] = '-';
  return buf_append(b, digits + i, sizeof digits - i);
}

int jtext_real(struct buf *b, double v, int precision) {
  if (!isfinite(v)) return -1; /* JSON has no NaN or infinity; Jansson refuses them too */
  char text[64];
  int n = snprintf(text, sizeof text - 2, "%.*g", precision > 0 ? precision : 17, v);
  if (n < 0 || (size_t)n >= sizeof text - 2) return -1;
  size_t len = (size_t)n;
  /* printf wrote the locale's decimal point; JSON's is '.' */
  const char *point = localeconv()->decimal_point;
  if (point[0] != '.' && point[0] && !point[1]) {
    char *at = strchr(text, point[0]);
    if (at) *at = '.';
  }
  if (!strchr(text, '.') && !strchr(text, 'e')) {
    memcpy(text + len, ".0", 3); /* else it would read back as an integer */
    len += 2;
  }
  char *e = strchr(text, 'e');
  if (e) {
    char *from = e + 1, *to = e + 1;
    if (*from == '+') from++;
    else if (*from == '-') from++, to++;
    while (*from == '0' && from[1]) from++;
    if (from != to) {
      memmove(to, from, len + 1 - (size_t)(from - text));
      len -= (size_t)(from - to);
    }
  }
  return buf_append(b, text, len);
}
