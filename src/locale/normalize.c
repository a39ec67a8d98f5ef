/* normalize.c — Persian text as hamyar stores and searches it, and strict UTF-8
 * validation.
 *
 * loc_normalize works on the text in UTF-16 (ICU's working form):
 *   1. NFC, so that a decomposed ي + ٔ becomes ئ before step 2 could turn its ي into ی
 *      (ی + ٔ has no composed form, and would no longer match ئ in a search);
 *   2. the transliterator maps Arabic yeh, alef maksura, kaf and Arabic-Indic digits
 *      to their Persian forms and drops tatweel (rules in init.c);
 *   3. NFC again, since dropping a tatweel can bring a letter and a combining mark
 *      together (ا ـ ٔ → أ);
 *   4. white space: runs collapse to one space, or to one newline when the run holds a
 *      line break; both ends are trimmed.
 * The result is a fixed point (normalising it again changes nothing): NFC never
 * produces a character step 2 changes, and white space neither composes with nor
 * decomposes into anything but white space. The fuzzer (fuzz/fuzz_normalize.c) checks
 * this. */
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>

#include "locale/internal.h"

/* Unicode Table 3-7, "Well-Formed UTF-8 Byte Sequences": the second byte's range
 * depends on the first byte, which is what excludes overlong forms (E0 80..9F,
 * F0 80..8F), surrogates (ED A0..BF) and code points past U+10FFFF (F4 90..). */
bool loc_utf8_valid(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  while (i < len) {
    unsigned char b = p[i];
    if (b == 0) return false;
    if (b < 0x80) {
      i++;
      continue;
    }
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      n = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return false; /* 80..C1 and F5..FF never start a character */
    }
    if (len - i < n || p[i + 1] < lo || p[i + 1] > hi) return false;
    for (size_t k = 2; k < n; k++)
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return false;
    i += n;
  }
  return true;
}

/* Line breaks in Unicode's sense (UAX #14 classes BK, CR, LF, NL). */
static bool is_line_break(UChar c) {
  return (c >= 0x0A && c <= 0x0D) || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/* Step 4, in place; returns the new length. Surrogate code units are never white
 * space, so looking at code units is enough. */
static int32_t collapse_space(UChar *s, int32_t len) {
  enum { NONE, SPACE, NEWLINE } pending = NONE;
  int32_t o = 0;
  for (int32_t i = 0; i < len; i++) {
    UChar c = s[i];
    if (is_line_break(c)) {
      pending = NEWLINE;
    } else if (u_isUWhiteSpace(c)) {
      if (pending == NONE) pending = SPACE;
    } else {
      if (pending != NONE && o > 0) s[o++] = pending == NEWLINE ? '\n' : ' ';
      pending = NONE;
      s[o++] = c;
    }
  }
  return o;
}

/* Whether step 2 would change anything: the code units its rules (init.c) match —
 * Arabic kaf, alef maksura, yeh, tatweel and Arabic-Indic digits. When there are none
 * the transliterator (one for the process, behind a mutex) and step 3 (NFC of text
 * already in NFC) are skipped: same result, no lock. */
static bool needs_mapping(const UChar *s, int32_t len) {
  for (int32_t i = 0; i < len; i++) {
    UChar c = s[i];
    if (c == 0x0643 || c == 0x0649 || c == 0x064A || c == 0x0640 || (c >= 0x0660 && c <= 0x0669))
      return true;
  }
  return false;
}

/* NFC of src[0..len) into *dst (capacity *cap, grown when NFC needs more); the new
 * length, or -1. */
static int32_t to_nfc(const UNormalizer2 *nfc, const UChar *src, int32_t len, UChar **dst,
                      int32_t *cap) {
  for (int tries = 0; tries < 2; tries++) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = unorm2_normalize(nfc, src, len, *dst, *cap, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR && tries == 0) {
      UChar *bigger = realloc(*dst, sizeof *bigger * ((size_t)n + 1));
      if (!bigger) return -1;
      *dst = bigger;
      *cap = n + 1;
      continue;
    }
    return U_SUCCESS(st) ? n : -1;
  }
  return -1;
}

int loc_normalize(const char *in, size_t inlen, char *out, size_t outlen) {
  int rc = -1;
  UErrorCode st = U_ZERO_ERROR;
  UChar *a = NULL, *b = NULL;
  const UNormalizer2 *nfc = loc_nfc();
  /* ICU counts in int32_t and NFC may triple the length; beyond this bound a "text"
   * is not something a person typed. */
  if (!nfc || !out || outlen == 0 || inlen > INT32_MAX / 4 || !loc_utf8_valid(in, inlen))
    return -1;

  /* UTF-16 never needs more code units than UTF-8 has bytes. NFC expands a code point
   * to at most three times its length, so b rarely has to grow. */
  int32_t len = 0, acap = (int32_t)inlen + 1, bcap = 3 * (int32_t)inlen + 1;
  a = malloc(sizeof *a * (size_t)acap);
  b = malloc(sizeof *b * (size_t)bcap);
  if (!a || !b) goto done;
  u_strFromUTF8(a, acap, &len, in, (int32_t)inlen, &st);
  if (U_FAILURE(st)) goto done;

  /* Step 1. */
  if ((len = to_nfc(nfc, a, len, &b, &bcap)) < 0) goto done;

  UChar *text = b; /* NFC so far */
  if (needs_mapping(b, len)) {
    /* Step 2: every rule maps one BMP code unit to at most one, so the text never grows
     * inside its buffer. */
    UTransliterator *trans = loc_trans_lock();
    if (!trans) goto done;
    int32_t limit = len;
    utrans_transUChars(trans, b, &len, bcap, 0, &limit, &st);
    loc_trans_unlock();
    if (U_FAILURE(st)) goto done;
    len = limit;

    /* Step 3. */
    if ((len = to_nfc(nfc, b, len, &a, &acap)) < 0) goto done;
    text = a;
  }

  /* Step 4, then back to UTF-8 with room for the terminating NUL. */
  len = collapse_space(text, len);
  int32_t olen = 0;
  int32_t ocap = outlen > INT32_MAX ? INT32_MAX : (int32_t)outlen;
  u_strToUTF8(out, ocap, &olen, text, len, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING || olen >= ocap) goto done;
  rc = olen;
done:
  free(a);
  free(b);
  if (rc < 0) out[0] = '\0';
  return rc;
}
