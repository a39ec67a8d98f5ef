/* test_core_feedback.c — the 197 desk's rules (core/feedback.h): wire names both ways,
 * every workflow move legal or refused, deadlines at their boundary, tracking codes
 * (format, parse in every digit script, every single-digit error and neighbour swap
 * caught, fresh codes valid and distinct, the stored hash) and national ids. */
#include <setjmp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/feedback.h"
#include "locale/locale.h"

#define T0 1759293000000LL
#define DAY_MS (24 * 3600 * 1000LL)

static int setup(void **state) {
  (void)state;
  return sodium_init() >= 0 ? loc_init() : -1;
}

static int teardown(void **state) {
  (void)state;
  loc_done();
  return 0;
}

/* ---- names ---------------------------------------------------------------------------- */

static void names(void **state) {
  (void)state;
  for (int i = 0; i < FB_CHANNEL__COUNT; i++) {
    enum fb_channel c;
    assert_int_equal(fb_channel_parse(fb_channel_name((enum fb_channel)i), &c), 0);
    assert_int_equal(c, i);
  }
  for (int i = 0; i < FB_KIND__COUNT; i++) {
    enum fb_kind k;
    assert_int_equal(fb_kind_parse(fb_kind_name((enum fb_kind)i), &k), 0);
    assert_int_equal(k, i);
    assert_non_null(fb_kind_label_fa((enum fb_kind)i));
  }
  for (int i = 0; i < FB_STATUS__COUNT; i++) {
    enum fb_status s;
    assert_int_equal(fb_status_parse(fb_status_name((enum fb_status)i), &s), 0);
    assert_int_equal(s, i);
    assert_non_null(fb_status_label_fa((enum fb_status)i));
  }
  for (int i = FB_OUTCOME_NONE + 1; i < FB_OUTCOME__COUNT; i++) {
    enum fb_outcome o;
    assert_int_equal(fb_outcome_parse(fb_outcome_name((enum fb_outcome)i), &o), 0);
    assert_int_equal(o, i);
    assert_non_null(fb_outcome_label_fa((enum fb_outcome)i));
  }
  assert_string_equal(fb_channel_name(FB_IN_PERSON), "in_person");
  assert_string_equal(fb_channel_name(FB_OPEN311), "open311");
  assert_string_equal(fb_kind_name(FB_ENQUIRY), "enquiry");
  assert_string_equal(fb_status_name(FB_UNDER_REVIEW), "under_review");
  assert_string_equal(fb_outcome_name(FB_NOT_SUBSTANTIATED), "not_substantiated");
  assert_string_equal(fb_kind_label_fa(FB_PRAISE), "ستایش");
  assert_string_equal(fb_kind_label_fa(FB_COMPLAINT), "شکایت");

  /* "none" is not an outcome on the wire; out of range and unknown names are refused */
  enum fb_outcome o = FB_RECONCILED;
  enum fb_kind k;
  enum fb_channel c;
  enum fb_status s;
  assert_null(fb_outcome_name(FB_OUTCOME_NONE));
  assert_null(fb_outcome_label_fa(FB_OUTCOME_NONE));
  assert_int_equal(fb_outcome_parse("none", &o), -1);
  assert_int_equal(fb_outcome_parse("", &o), -1);
  assert_int_equal(o, FB_RECONCILED); /* untouched on failure */
  assert_null(fb_kind_name(FB_KIND__COUNT));
  assert_null(fb_channel_name((enum fb_channel)-1));
  assert_null(fb_status_label_fa(FB_STATUS__COUNT));
  assert_int_equal(fb_kind_parse("Praise", &k), -1);
  assert_int_equal(fb_kind_parse(NULL, &k), -1);
  assert_int_equal(fb_channel_parse("in-person", &c), -1);
  assert_int_equal(fb_status_parse("underreview", &s), -1);
}

/* ---- workflow ----------------------------------------------------------------------------- */

struct move {
  enum fb_status from, to;
  bool any_outcome; /* closing: any outcome (from answered), else withdrawn/forwarded */
};

/* The moves feedback.h documents; every other pair is refused. */
static const struct move legal[] = {
    {FB_RECEIVED, FB_ASSIGNED, false},     {FB_RECEIVED, FB_CLOSED, false},
    {FB_ASSIGNED, FB_ASSIGNED, false},     {FB_ASSIGNED, FB_UNDER_REVIEW, false},
    {FB_ASSIGNED, FB_CLOSED, false},       {FB_UNDER_REVIEW, FB_ASSIGNED, false},
    {FB_UNDER_REVIEW, FB_ANSWERED, false}, {FB_UNDER_REVIEW, FB_CLOSED, false},
    {FB_ANSWERED, FB_UNDER_REVIEW, false}, {FB_ANSWERED, FB_CLOSED, true},
};

static const struct move *find_move(enum fb_status from, enum fb_status to) {
  for (size_t i = 0; i < sizeof legal / sizeof legal[0]; i++)
    if (legal[i].from == from && legal[i].to == to) return &legal[i];
  return NULL;
}

static void transitions(void **state) {
  (void)state;
  int allowed = 0;
  for (int from = 0; from < FB_STATUS__COUNT; from++)
    for (int to = 0; to < FB_STATUS__COUNT; to++)
      for (int o = 0; o < FB_OUTCOME__COUNT; o++) {
        const struct move *m = find_move((enum fb_status)from, (enum fb_status)to);
        bool want = m != NULL;
        if (m && to == FB_CLOSED)
          want = o != FB_OUTCOME_NONE && (m->any_outcome || o == FB_WITHDRAWN || o == FB_FORWARDED);
        const char *why = fb_transition_check((enum fb_status)from, (enum fb_status)to, (enum fb_outcome)o);
        if (want != (why == NULL))
          fail_msg("%s -> %s (%s): %s", fb_status_name((enum fb_status)from), fb_status_name((enum fb_status)to),
                   o ? fb_outcome_name((enum fb_outcome)o) : "no outcome", why ? why : "allowed");
        allowed += why == NULL;
      }
  /* 6 moves that do not close, whatever the outcome argument; 3 early closings with 2
   * outcomes each; answered → closed with any of the 5 */
  assert_int_equal(allowed, 6 * FB_OUTCOME__COUNT + 3 * 2 + 5);

  assert_string_equal(fb_transition_check(FB_CLOSED, FB_UNDER_REVIEW, FB_OUTCOME_NONE),
                      "closed contacts do not move");
  assert_string_equal(fb_transition_check(FB_ANSWERED, FB_CLOSED, FB_OUTCOME_NONE),
                      "a contact is closed with an outcome");
  assert_string_equal(fb_transition_check(FB_RECEIVED, FB_CLOSED, FB_RECONCILED),
                      "a contact not yet answered is closed only as withdrawn or forwarded");
  assert_string_equal(fb_transition_check(FB_ASSIGNED, FB_ANSWERED, FB_OUTCOME_NONE),
                      "only a contact under review is answered");
  assert_non_null(fb_transition_check(FB_ANSWERED, FB_CLOSED, FB_OUTCOME__COUNT));
  assert_non_null(fb_transition_check(FB_STATUS__COUNT, FB_ASSIGNED, FB_OUTCOME_NONE));
  assert_non_null(fb_transition_check(FB_RECEIVED, (enum fb_status)-1, FB_OUTCOME_NONE));
}

/* ---- deadlines --------------------------------------------------------------------------- */

static void deadlines(void **state) {
  (void)state;
  assert_int_equal(fb_due_ms(T0, 10), T0 + 10 * DAY_MS);
  assert_int_equal(fb_due_ms(T0, 1), T0 + DAY_MS);
  struct feedback f = {.status = FB_UNDER_REVIEW, .received_ms = T0, .due_ms = fb_due_ms(T0, 10)};
  assert_false(fb_is_overdue(&f, T0));
  assert_false(fb_is_overdue(&f, f.due_ms)); /* at the deadline: still in time */
  assert_true(fb_is_overdue(&f, f.due_ms + 1));
  for (int s = 0; s < FB_STATUS__COUNT; s++) {
    f.status = (enum fb_status)s;
    bool open = s == FB_RECEIVED || s == FB_ASSIGNED || s == FB_UNDER_REVIEW;
    assert_int_equal(fb_is_overdue(&f, f.due_ms + 30 * DAY_MS), open);
  }
  f.status = FB_RECEIVED;
  f.due_ms = 0; /* no deadline set */
  assert_false(fb_is_overdue(&f, T0 + 365 * DAY_MS));
}

/* ---- tracking codes ---------------------------------------------------------------------- */

static bool valid(const char *text) {
  char d[FB_CODE_DIGITS + 1];
  return fb_code_parse(text, d) == 0;
}

static void code_format_and_parse(void **state) {
  (void)state;
  char d[FB_CODE_DIGITS + 1], text[FB_CODE_TEXT], fa[FB_CODE_TEXT_FA];
  /* 48217730195 and its check digit 3 */
  fb_code_format("482177301953", false, text, sizeof text);
  assert_string_equal(text, "4821-7730-1953");
  fb_code_format("482177301953", true, fa, sizeof fa);
  assert_string_equal(fa, "۴۸۲۱-۷۷۳۰-۱۹۵۳");
  static const char *const forms[] = {
      "482177301953", "4821-7730-1953", "۴۸۲۱-۷۷۳۰-۱۹۵۳", "٤٨٢١٧٧٣٠١٩٥٣", " 4821 7730 1953 ",
      "۴۸۲۱ – ۷۷۳۰ – ۱۹۵۳", "\u200f۴۸۲۱-۷۷۳۰-۱۹۵۳\u200f", "48-21-77-30-19-53", "۴۸۲۱7730١٩٥٣",
  };
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    memset(d, 'x', sizeof d);
    if (fb_code_parse(forms[i], d) != 0) fail_msg("refused: %s", forms[i]);
    assert_string_equal(d, "482177301953");
  }
  assert_true(valid("572100934680"));
  static const char *const bad[] = {
      "", "48217730195", "4821773019530", "4821-7730-195a", "4821.7730.1953", "4821_7730_1953",
      "۴۸۲۱-۷۷۳۰-۱۹۵", "482177301953\n", "4821/7730/1953", "+482177301953", "٤٨٢١٧٧٣٠١٩٥٤",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (valid(bad[i])) fail_msg("accepted: %s", bad[i]);
  assert_int_equal(fb_code_parse(NULL, d), -1);
  char huge[600];
  memset(huge, ' ', sizeof huge - 1);
  huge[sizeof huge - 1] = '\0';
  memcpy(huge + 10, "482177301953", 12);
  assert_false(valid(huge)); /* bounded input */
  /* a buffer too small for the form gives an empty string, never a cut code */
  char small[10];
  fb_code_format("482177301953", false, small, sizeof small);
  assert_string_equal(small, "");
  char short_code[FB_CODE_DIGITS + 1] = "4821"; /* not 12 digits: nothing to show */
  fb_code_format(short_code, false, text, sizeof text);
  assert_string_equal(text, "");
}

/* Every single changed digit and every swap of two different neighbours is refused. */
static void assert_errors_caught(const char code[FB_CODE_DIGITS + 1]) {
  char c[FB_CODE_DIGITS + 1];
  for (size_t i = 0; i < FB_CODE_DIGITS; i++)
    for (char v = '0'; v <= '9'; v++) {
      if (v == code[i]) continue;
      memcpy(c, code, sizeof c);
      c[i] = v;
      if (valid(c)) fail_msg("%s: changed digit %zu to %c is accepted", code, i, v);
    }
  for (size_t i = 0; i + 1 < FB_CODE_DIGITS; i++) {
    if (code[i] == code[i + 1]) continue;
    memcpy(c, code, sizeof c);
    c[i] = code[i + 1];
    c[i + 1] = code[i];
    if (valid(c)) fail_msg("%s: swap at %zu is accepted", code, i);
  }
}

/* The only valid last digit for an 11-digit prefix, found through fb_code_parse. */
static char check_digit(const char prefix[FB_CODE_DIGITS]) {
  char code[FB_CODE_DIGITS + 1], found = 0;
  memcpy(code, prefix, FB_CODE_DIGITS - 1);
  code[FB_CODE_DIGITS] = '\0';
  for (char v = '0'; v <= '9'; v++) {
    code[FB_CODE_DIGITS - 1] = v;
    if (valid(code)) {
      if (found) fail_msg("%.11s has two check digits", prefix);
      found = v;
    }
  }
  if (!found) fail_msg("%.11s has no check digit", prefix);
  return found;
}

static void code_errors_caught(void **state) {
  (void)state;
  assert_errors_caught("482177301953");
  /* "00000000" keeps the running value 0 and a then sets it to any value, so the codes
   * 00000000axyk meet every (running value, x, y) of the table: every neighbour swap
   * the check digit is meant to catch, exhaustively. */
  char prefix[FB_CODE_DIGITS] = "00000000000";
  for (char a = '0'; a <= '9'; a++)
    for (char x = '0'; x <= '9'; x++)
      for (char y = '0'; y <= '9'; y++) {
        prefix[8] = a, prefix[9] = x, prefix[10] = y;
        char code[FB_CODE_DIGITS + 1];
        memcpy(code, prefix, FB_CODE_DIGITS - 1);
        code[FB_CODE_DIGITS - 1] = check_digit(prefix);
        code[FB_CODE_DIGITS] = '\0';
        if (x != y) {
          char swapped[FB_CODE_DIGITS + 1];
          memcpy(swapped, code, sizeof swapped);
          swapped[9] = y, swapped[10] = x;
          if (valid(swapped)) fail_msg("%s: swap of %c%c accepted", code, x, y);
        }
        /* a swap of the last data digit with the check digit */
        if (code[10] != code[11]) {
          char swapped[FB_CODE_DIGITS + 1];
          memcpy(swapped, code, sizeof swapped);
          swapped[10] = code[11], swapped[11] = code[10];
          if (valid(swapped)) fail_msg("%s: swap with the check digit accepted", code);
        }
      }
}

static int cmp_code(const void *a, const void *b) {
  return memcmp(a, b, FB_CODE_DIGITS);
}

static void new_codes(void **state) {
  (void)state;
  enum { N = 1000 };
  char (*codes)[FB_CODE_DIGITS + 1] = calloc(N, sizeof *codes);
  assert_non_null(codes);
  int first_digit[10] = {0};
  for (int i = 0; i < N; i++) {
    fb_code_new(codes[i]);
    assert_int_equal(strlen(codes[i]), FB_CODE_DIGITS);
    if (!valid(codes[i])) fail_msg("new code %s is not valid", codes[i]);
    first_digit[codes[i][0] - '0']++;
  }
  assert_errors_caught(codes[0]);
  qsort(codes, N, sizeof *codes, cmp_code);
  for (int i = 1; i < N; i++) assert_memory_not_equal(codes[i - 1], codes[i], FB_CODE_DIGITS);
  /* random digits: each first digit turns up (expected 100 each; 30 is far out) */
  for (int v = 0; v < 10; v++) assert_true(first_digit[v] > 30);
  free(codes);
}

static void code_hash(void **state) {
  (void)state;
  /* SHA-256("482177301953"), from an independent implementation (Python's hashlib) */
  static const uint8_t want[32] = {
      0x37, 0xf2, 0x45, 0x53, 0xc4, 0x82, 0xb3, 0xb1, 0x27, 0x9a, 0x63, 0x41, 0xdf, 0x07, 0x11, 0x27,
      0xe0, 0xa7, 0xfa, 0x8e, 0xa0, 0x92, 0xc7, 0x32, 0xd7, 0xff, 0xe1, 0x58, 0x55, 0xb2, 0x0d, 0xcf,
  };
  uint8_t h[32];
  fb_code_hash("482177301953", h);
  assert_memory_equal(h, want, 32);
}

/* ---- national ids --------------------------------------------------------------------------- */

static void national_ids(void **state) {
  (void)state;
  char out[11];
  static const char *const good[] = {"8022039101", "9771396390", "0010534423", "2170946357"};
  for (size_t i = 0; i < 4; i++) {
    memset(out, 'x', sizeof out);
    if (fb_national_id_parse(good[i], out) != 0) fail_msg("refused: %s", good[i]);
    assert_string_equal(out, good[i]);
  }
  assert_int_equal(fb_national_id_parse("۰۰۱۰۵۳۴۴۲۳", out), 0);
  assert_string_equal(out, "0010534423");
  assert_int_equal(fb_national_id_parse("٢١٧٠٩٤٦٣٥٧", out), 0);
  assert_string_equal(out, "2170946357");
  assert_int_equal(fb_national_id_parse("001-053442-3", out), 0); /* as the card prints it */
  assert_string_equal(out, "0010534423");
  static const char *const bad[] = {
      "0010534424", /* wrong check digit */
      "0010534432", /* neighbours swapped */
      "1111111111", /* passes the checksum, but no one's */
      "0000000000", "010534423", "00105344230", "00105344x3", "", "۰۰۱۰۵۳۴۴۲",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (fb_national_id_parse(bad[i], out) == 0) fail_msg("accepted: %s", bad[i]);
  assert_int_equal(fb_national_id_parse(NULL, out), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(names),
      cmocka_unit_test(transitions),
      cmocka_unit_test(deadlines),
      cmocka_unit_test(code_format_and_parse),
      cmocka_unit_test(code_errors_caught),
      cmocka_unit_test(new_codes),
      cmocka_unit_test(code_hash),
      cmocka_unit_test(national_ids),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
