/* test_locale_text.c — Persian text: digits, grouped numbers, toman amounts, text
 * normalisation and UTF-8 validation (checked against ICU's own decoder). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <unicode/utf8.h>

#include "locale/locale.h"
#include "locale_fixture.h"

static void digits_both_ways(void **state) {
  (void)state;
  char buf[128];
  assert_int_equal(loc_digits_to_persian("1404-000123", buf, sizeof buf), 0);
  assert_string_equal(buf, "۱۴۰۴-۰۰۰۱۲۳");
  assert_int_equal(loc_digits_to_persian("کلانتری 11 رشت", buf, sizeof buf), 0);
  assert_string_equal(buf, "کلانتری ۱۱ رشت");
  assert_int_equal(loc_digits_to_persian("0123456789", buf, sizeof buf), 0);
  assert_string_equal(buf, "۰۱۲۳۴۵۶۷۸۹");
  /* Arabic-Indic digits become Persian too. */
  assert_int_equal(loc_digits_to_persian("٠١٢٣٤٥٦٧٨٩", buf, sizeof buf), 0);
  assert_string_equal(buf, "۰۱۲۳۴۵۶۷۸۹");
  assert_int_equal(loc_digits_to_latin("۰۱۲۳۴۵۶۷۸۹ ٠١٢٣٤٥٦٧٨٩", buf, sizeof buf), 0);
  assert_string_equal(buf, "0123456789 0123456789");
  assert_int_equal(loc_digits_to_latin("تلفن ۱۱۰", buf, sizeof buf), 0);
  assert_string_equal(buf, "تلفن 110");
  assert_int_equal(loc_digits_to_latin("", buf, sizeof buf), 0);
  assert_string_equal(buf, "");
  /* Exact fit, one byte short, invalid UTF-8. */
  assert_int_equal(loc_digits_to_persian("12", buf, 5), 0);
  assert_string_equal(buf, "۱۲");
  assert_int_equal(loc_digits_to_persian("12", buf, 4), -1);
  assert_int_equal(loc_digits_to_latin("۱۲", buf, 3), 0);
  assert_int_equal(loc_digits_to_latin("۱۲", buf, 2), -1);
  assert_int_equal(loc_digits_to_persian("1\xff", buf, sizeof buf), -1);
  assert_int_equal(loc_digits_to_latin("\xdb", buf, sizeof buf), -1);
  assert_int_equal(loc_digits_to_latin(NULL, buf, sizeof buf), -1);
}

static void grouped_integers(void **state) {
  (void)state;
  static const struct {
    int64_t v;
    const char *fa, *latin;
  } cases[] = {
      {0, "۰", "0"},
      {7, "۷", "7"},
      {999, "۹۹۹", "999"},
      {1000, "۱٬۰۰۰", "1,000"},
      {22000, "۲۲٬۰۰۰", "22,000"},
      {1242000, "۱٬۲۴۲٬۰۰۰", "1,242,000"},
      {1700000, "۱٬۷۰۰٬۰۰۰", "1,700,000"},
      {-15000, "-۱۵٬۰۰۰", "-15,000"},
      {-999, "-۹۹۹", "-999"},
      {INT64_MAX, "۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۷", "9,223,372,036,854,775,807"},
      {INT64_MIN, "-۹٬۲۲۳٬۳۷۲٬۰۳۶٬۸۵۴٬۷۷۵٬۸۰۸", "-9,223,372,036,854,775,808"},
  };
  char buf[128];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    assert_int_equal(loc_format_int(cases[i].v, false, buf, sizeof buf), 0);
    assert_string_equal(buf, cases[i].fa);
    assert_int_equal(loc_format_int(cases[i].v, true, buf, sizeof buf), 0);
    assert_string_equal(buf, cases[i].latin);
  }
  /* The separator is U+066C ARABIC THOUSANDS SEPARATOR. */
  assert_int_equal(loc_format_int(1000, false, buf, sizeof buf), 0);
  assert_memory_equal(buf + 2, "\xd9\xac", 2);
  /* "۱٬۰۰۰" is 10 bytes: 11 fit, 10 do not. */
  assert_int_equal(loc_format_int(1000, false, buf, 11), 0);
  assert_int_equal(loc_format_int(1000, false, buf, 10), -1);
  assert_int_equal(loc_format_int(1000, true, buf, 6), 0);
  assert_int_equal(loc_format_int(1000, true, buf, 5), -1);
}

static void toman_amounts(void **state) {
  (void)state;
  char buf[128];
  /* The press conference's smuggled goods: 1,242 billion toman. */
  assert_int_equal(loc_format_toman(INT64_C(12420000000000), false, buf, sizeof buf), 0);
  assert_string_equal(buf, "۱٬۲۴۲٬۰۰۰٬۰۰۰٬۰۰۰ تومان");
  assert_int_equal(loc_format_toman(INT64_C(12420000000000), true, buf, sizeof buf), 0);
  assert_string_equal(buf, "1,242,000,000,000 تومان");
  /* Rounded toward zero. */
  assert_int_equal(loc_format_toman(19, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "1 تومان");
  assert_int_equal(loc_format_toman(-19, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "-1 تومان");
  assert_int_equal(loc_format_toman(9, false, buf, sizeof buf), 0);
  assert_string_equal(buf, "۰ تومان");
  assert_int_equal(loc_format_toman(-9, true, buf, sizeof buf), 0);
  assert_string_equal(buf, "0 تومان");
  /* "1 تومان" is 12 bytes. */
  assert_int_equal(loc_format_toman(10, true, buf, 13), 0);
  assert_int_equal(loc_format_toman(10, true, buf, 12), -1);
  assert_int_equal(loc_format_toman(10, true, buf, 2), -1);
}

/* loc_normalize on a C string, into a buffer of 3 × len + 1 as the header allows. */
static int norm(const char *in, char *out) {
  size_t len = strlen(in);
  return loc_normalize(in, len, out, 3 * len + 1);
}

static void normalisation(void **state) {
  (void)state;
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"", ""},
      {"سلام", "سلام"},
      /* Arabic yeh and kaf, alef maksura: "كلانتري" → "کلانتری", "مصطفى" → "مصطفی". */
      {"\u0643\u0644\u0627\u0646\u062a\u0631\u064a", "کلانتری"},
      {"مصطف\u0649", "مصطفی"},
      {"\u064a\u0643", "\u06cc\u06a9"},
      /* Tatweel dropped, ZWNJ kept. */
      {"پلـــیس", "پلیس"},
      {"\u0640", ""},
      {"می\u200cخواهم", "می\u200cخواهم"},
      {"\u200c", "\u200c"},
      /* Arabic-Indic digits become Persian; ASCII digits stay as typed. */
      {"١١٠ و ١٩٧", "۱۱۰ و ۱۹۷"},
      {"110 و ۱۹۷", "110 و ۱۹۷"},
      /* NFC: alef, waw and yeh + hamza above compose; the Arabic yeh in a decomposed
       * ي + ٔ composes to ئ before it could become ی. */
      {"\u0627\u0654", "\u0623"},
      {"\u0648\u0654", "\u0624"},
      {"\u064a\u0654", "\u0626"},
      {"\u0645\u0633\u064a\u0654\u0644\u0647", "مسئله"},
      {"\u06cc\u0654", "\u06cc\u0654"}, /* ی + ٔ has no composed form */
      {"e\u0301", "\u00e9"},
      /* Dropping a tatweel lets the mark after it compose. */
      {"\u0627\u0640\u0654", "\u0623"},
      /* White space: trimmed, runs collapsed, line breaks kept as one newline. */
      {"  سلام  ", "سلام"},
      {"\t\n سلام \r\n", "سلام"},
      {"a  \t b", "a b"},
      {"a\r\nb", "a\nb"},
      {"a\rb", "a\nb"},
      {"a\n\n\n  \nb", "a\nb"},
      {"a \n b", "a\nb"},
      {"a\u00a0\u2003b", "a b"},     /* no-break space, em space */
      {"a\u2028b\u2029c", "a\nb\nc"}, /* line and paragraph separators */
      {"   ", ""},
      {"\n\n", ""},
      /* Everything at once. */
      {"  ـكلانتري  ١١\r\n\r\nرشت ـ  ", "کلانتری ۱۱\nرشت"},
  };
  char out[512];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    print_message("case %zu\n", i);
    int n = norm(cases[i].in, out);
    assert_int_equal(n, (int)strlen(cases[i].out));
    assert_string_equal(out, cases[i].out);
    /* Normalising again changes nothing. */
    char again[512];
    assert_int_equal(norm(out, again), n);
    assert_string_equal(again, out);
  }
}

static void normalisation_refuses_bad_input(void **state) {
  (void)state;
  static const char *const bad[] = {
      "\xff",         "\xc0\xaf",         /* overlong '/' */
      "\xe0\x80\xaf", "\xf0\x80\x80\xaf", /* overlong, 3 and 4 bytes */
      "\xed\xa0\x80", "\xed\xbf\xbf",     /* surrogates */
      "\xf4\x90\x80\x80",                 /* past U+10FFFF */
      "\xf5\x80\x80\x80", "\xc2",         /* truncated */
      "\xe2\x80",     "a\x80",            "\xdb\xcc",
  };
  char out[64];
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_false(loc_utf8_valid(bad[i], strlen(bad[i])));
    assert_int_equal(loc_normalize(bad[i], strlen(bad[i]), out, sizeof out), -1);
  }
  /* A NUL inside the text is refused too. */
  assert_false(loc_utf8_valid("a\0b", 3));
  assert_int_equal(loc_normalize("a\0b", 3, out, sizeof out), -1);
  /* Output buffer: "سلام" is 8 bytes and needs 9. */
  assert_int_equal(loc_normalize("سلام", 8, out, 9), 8);
  assert_int_equal(loc_normalize("سلام", 8, out, 8), -1);
  assert_int_equal(loc_normalize("", 0, out, 1), 0);
  assert_int_equal(loc_normalize("", 0, out, 0), -1);
  /* The worst NFC expansion: U+1D160 (4 bytes) decomposes to 12. */
  char big[13];
  assert_int_equal(loc_normalize("\xf0\x9d\x85\xa0", 4, big, sizeof big), 12);
  assert_int_equal(loc_normalize("\xf0\x9d\x85\xa0", 4, big, 12), -1);
}

static void utf8_validator_agrees_with_icu(void **state) {
  (void)state;
  /* Every string of one to three bytes, and four-byte strings over every first and
   * second byte with boundary values for the rest: our validator and ICU's decoder
   * must agree on which are well formed. */
  static const unsigned char tails[] = {0x00, 0x41, 0x7f, 0x80, 0x81, 0x8f, 0x90,
                                        0x9f, 0xa0, 0xbf, 0xc0, 0xf4, 0xff};
  unsigned char s[4];
  long checked = 0;
  for (unsigned n = 1; n <= 4; n++) {
    unsigned long count = n < 4 ? 1ul << (8 * n) : 256ul * 256 * sizeof tails * sizeof tails;
    for (unsigned long k = 0; k < count; k++) {
      if (n < 4) {
        for (unsigned b = 0; b < n; b++) s[b] = (unsigned char)(k >> (8 * (n - 1 - b)));
      } else {
        s[0] = (unsigned char)(k >> 8 & 0xff);
        s[1] = (unsigned char)(k & 0xff);
        s[2] = tails[(k >> 16) % sizeof tails];
        s[3] = tails[(k >> 16) / sizeof tails];
      }
      bool icu_ok = true;
      for (int32_t i = 0; i < (int32_t)n && icu_ok;) {
        UChar32 c;
        U8_NEXT(s, i, (int32_t)n, c);
        icu_ok = c > 0; /* negative for ill-formed, 0 for NUL */
      }
      if (loc_utf8_valid((const char *)s, n) != icu_ok) {
        print_error("disagree on %u bytes %02x %02x %02x %02x\n", n, s[0], s[1], s[2], s[3]);
        fail();
      }
      checked++;
    }
  }
  assert_true(checked > 16000000);
  assert_true(loc_utf8_valid("", 0));
  assert_true(loc_utf8_valid("\xf4\x8f\xbf\xbf", 4)); /* U+10FFFF */
  assert_true(loc_utf8_valid("\xef\xbf\xbf", 3));     /* U+FFFF, a noncharacter, is well formed */
}

/* Four threads normalise at once through the shared transliterator. */
static void *normalise_many(void *arg) {
  (void)arg;
  long bad = 0;
  char out[256];
  for (int i = 0; i < 5000; i++) {
    char in[128];
    snprintf(in, sizeof in, "  \u0643\u0644\u0627\u0646\u062a\u0631\u064a \u0661%d\u0640  ", i % 10);
    char want[64];
    snprintf(want, sizeof want, "کلانتری ۱%d", i % 10);
    if (norm(in, out) < 0 || strcmp(out, want) != 0) bad++;
  }
  return (void *)bad;
}

static void thread_safe(void **state) {
  (void)state;
  pthread_t th[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&th[i], NULL, normalise_many, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *bad;
    assert_int_equal(pthread_join(th[i], &bad), 0);
    assert_int_equal((long)bad, 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(digits_both_ways),
      cmocka_unit_test(grouped_integers),
      cmocka_unit_test(toman_amounts),
      cmocka_unit_test(normalisation),
      cmocka_unit_test(normalisation_refuses_bad_input),
      cmocka_unit_test(utf8_validator_agrees_with_icu),
      cmocka_unit_test(thread_safe),
  };
  return cmocka_run_group_tests(tests, locale_setup, locale_teardown);
}
