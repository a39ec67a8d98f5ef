/* test_core_account.c — the account rules of core/account.h: names, passwords,
 * hashing, tokens, API keys, session expiry at its edges, lock-out, TOTP. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <liboath/oath.h>

#include "core/account.h"

#define MIN_MS (60 * 1000LL)

static void names(void **state) {
  (void)state;
  assert_true(account_name_valid("admin"));
  assert_true(account_name_valid("a"));
  assert_true(account_name_valid("call.taker_1-rasht"));
  char longest[65];
  memset(longest, 'a', 64);
  longest[64] = '\0';
  assert_true(account_name_valid(longest));
  char too_long[66];
  memset(too_long, 'a', 65);
  too_long[65] = '\0';
  assert_false(account_name_valid(too_long));
  assert_false(account_name_valid(""));
  assert_false(account_name_valid(NULL));
  assert_false(account_name_valid("Admin"));       /* upper case */
  assert_false(account_name_valid("ali reza"));    /* space */
  assert_false(account_name_valid("علی"));         /* not ASCII */
  assert_false(account_name_valid("a/b"));
  assert_false(account_name_valid("a:b"));
}

static void password_policy(void **state) {
  (void)state;
  assert_null(account_password_problem("ali", "twelve-bytes"));
  assert_non_null(account_password_problem("ali", "eleven-byte"));
  assert_non_null(account_password_problem("ali", ""));
  assert_non_null(account_password_problem("ali", NULL));
  assert_non_null(account_password_problem("long.username1", "long.username1"));
  char big[1026];
  memset(big, 'x', 1025);
  big[1025] = '\0';
  assert_non_null(account_password_problem("ali", big));
  big[1024] = '\0';
  assert_null(account_password_problem("ali", big));
}

static void hashing_round_trip(void **state) {
  (void)state;
  char h1[ACCOUNT_HASH_MAX], h2[ACCOUNT_HASH_MAX];
  assert_int_equal(account_password_hash("correct horse battery", h1), 0);
  assert_int_equal(account_password_hash("correct horse battery", h2), 0);
  assert_non_null(strstr(h1, "$argon2id$"));
  assert_string_not_equal(h1, h2); /* salted */
  assert_true(account_password_verify(h1, "correct horse battery"));
  assert_true(account_password_verify(h2, "correct horse battery"));
  assert_false(account_password_verify(h1, "correct horse batterY"));
  assert_false(account_password_verify(h1, ""));
  assert_false(account_password_verify("not a hash", "correct horse battery"));
  assert_false(account_password_needs_rehash(h1));
  assert_true(account_password_needs_rehash("$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"));
  assert_false(account_password_verify_dummy("correct horse battery"));
}

static bool all_base64url(const char *s) {
  for (; *s; s++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '-' || *s == '_'))
      return false;
  return true;
}

static void tokens(void **state) {
  (void)state;
  char t1[ACCOUNT_TOKEN_SIZE], t2[ACCOUNT_TOKEN_SIZE];
  account_token_new(t1);
  account_token_new(t2);
  /* 43 base64url characters carry 258 bits, of which 256 are random. */
  assert_int_equal(strlen(t1), 43);
  assert_true(all_base64url(t1));
  assert_string_not_equal(t1, t2);
  uint8_t h1[32], h1b[32], h2[32];
  account_token_hash(t1, h1);
  account_token_hash(t1, h1b);
  account_token_hash(t2, h2);
  assert_memory_equal(h1, h1b, 32);
  assert_memory_not_equal(h1, h2, 32);
  /* SHA-256("abc") */
  static const uint8_t abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
                                  0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
                                  0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
  uint8_t h[32];
  account_token_hash("abc", h);
  assert_memory_equal(h, abc, 32);

  char pw[ACCOUNT_GENERATED_PASSWORD_SIZE];
  account_password_generate(pw);
  assert_int_equal(strlen(pw), 20);
  assert_true(all_base64url(pw));
  assert_null(account_password_problem("admin", pw));
}

static void apikeys(void **state) {
  (void)state;
  char key[ACCOUNT_APIKEY_SIZE], prefix[ACCOUNT_APIKEY_PREFIX_LEN + 1];
  account_apikey_new(key, prefix);
  assert_int_equal(strlen(key), 46);
  assert_memory_equal(key, "hk_", 3);
  assert_true(all_base64url(key + 3));
  assert_int_equal(strlen(prefix), 10);
  assert_memory_equal(key, prefix, 10);
  assert_true(account_apikey_well_formed(key));
  assert_false(account_apikey_well_formed(key + 1));
  assert_false(account_apikey_well_formed("hk_short"));
  assert_false(account_apikey_well_formed(NULL));
  key[20] = '+';
  assert_false(account_apikey_well_formed(key));
}

static void session_edges(void **state) {
  (void)state;
  struct account_policy p = account_policy_default();
  assert_int_equal(p.session_idle_ms, 30 * MIN_MS);
  assert_int_equal(p.session_max_ms, 12 * 60 * MIN_MS);
  int64_t t0 = 1759307400000; /* 2025-10-01T08:30:00Z */
  assert_int_equal(account_session_check(&p, t0, t0, t0), ACCOUNT_SESSION_VALID);
  /* idle: one millisecond short of 30 minutes is still valid, 30 minutes is not */
  assert_int_equal(account_session_check(&p, t0, t0, t0 + 30 * MIN_MS - 1), ACCOUNT_SESSION_VALID);
  assert_int_equal(account_session_check(&p, t0, t0, t0 + 30 * MIN_MS),
                   ACCOUNT_SESSION_IDLE_EXPIRED);
  /* a session in use stays valid until 12 hours after log-in, then ends */
  int64_t end = t0 + 12 * 60 * MIN_MS;
  assert_int_equal(account_session_check(&p, t0, end - MIN_MS, end - 1), ACCOUNT_SESSION_VALID);
  assert_int_equal(account_session_check(&p, t0, end - MIN_MS, end), ACCOUNT_SESSION_ABSOLUTE_EXPIRED);
  /* both passed: the absolute limit is reported */
  assert_int_equal(account_session_check(&p, t0, t0, end + 1), ACCOUNT_SESSION_ABSOLUTE_EXPIRED);
  assert_int_equal(account_session_expires_ms(&p, t0), end);

  /* last_seen is written at most once a minute */
  assert_false(account_session_should_touch(&p, t0, t0 + MIN_MS - 1));
  assert_true(account_session_should_touch(&p, t0, t0 + MIN_MS));
  /* ... and more often when the idle timeout is short, so it cannot expire in use */
  struct account_policy quick = p;
  quick.session_idle_ms = 4000;
  assert_true(account_session_should_touch(&quick, t0, t0 + 1000));
  assert_false(account_session_should_touch(&quick, t0, t0 + 999));
}

static void lock_out(void **state) {
  (void)state;
  struct account_policy p = account_policy_default();
  int64_t now = 1759307400000;
  assert_int_equal(account_lock_window_start(&p, now), now - 15 * MIN_MS);
  assert_false(account_lock_reached(&p, 4));
  assert_true(account_lock_reached(&p, 5));
  assert_true(account_lock_reached(&p, 6));
}

/* RFC 6238 appendix B: the SHA-1 secret "12345678901234567890". */
static const char rfc_secret_b32[] = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

static void totp_known_vectors(void **state) {
  (void)state;
  /* The 8-digit codes of the RFC, cut to the 6 digits hamyar uses. */
  assert_true(account_totp_verify(rfc_secret_b32, "287082", 59 * 1000LL));
  assert_true(account_totp_verify(rfc_secret_b32, "081804", 1111111109 * 1000LL));
  assert_true(account_totp_verify(rfc_secret_b32, "050471", 1111111111 * 1000LL));
  assert_false(account_totp_verify(rfc_secret_b32, "287083", 59 * 1000LL));
  assert_false(account_totp_verify(rfc_secret_b32, "28708", 59 * 1000LL));
  assert_false(account_totp_verify(rfc_secret_b32, "2870821", 59 * 1000LL));
  assert_false(account_totp_verify(rfc_secret_b32, "28708a", 59 * 1000LL));
  assert_false(account_totp_verify(rfc_secret_b32, NULL, 59 * 1000LL));
  assert_false(account_totp_verify("not base32!", "287082", 59 * 1000LL));
}

static void totp_window(void **state) {
  (void)state;
  char secret[ACCOUNT_TOTP_SECRET_SIZE];
  assert_int_equal(account_totp_secret_new(secret), 0);
  assert_int_equal(strlen(secret), 32);
  char *raw = NULL;
  size_t rawlen = 0;
  assert_int_equal(oath_base32_decode(secret, strlen(secret), &raw, &rawlen), OATH_OK);
  assert_int_equal(rawlen, 20);

  const time_t t = 1759307400; /* a step boundary: 1759307400 / 30 is whole */
  char code[7];
  assert_int_equal(oath_totp_generate(raw, rawlen, t, 30, 0, 6, code), OATH_OK);
  int64_t ms = (int64_t)t * 1000;
  assert_true(account_totp_verify(secret, code, ms));
  assert_true(account_totp_verify(secret, code, ms + 29999));  /* same step */
  assert_true(account_totp_verify(secret, code, ms + 30000));  /* one step later: drift */
  assert_true(account_totp_verify(secret, code, ms - 1));      /* one step earlier */
  assert_false(account_totp_verify(secret, code, ms + 60000)); /* two steps later */
  assert_false(account_totp_verify(secret, code, ms - 30001)); /* two steps earlier */
  free(raw);

  char uri[256];
  assert_int_equal(account_totp_uri("ali.rezaei", secret, uri, sizeof uri), 0);
  assert_non_null(strstr(uri, "otpauth://totp/hamyar:ali.rezaei?secret="));
  assert_non_null(strstr(uri, secret));
  assert_non_null(strstr(uri, "&digits=6&period=30"));
  assert_int_equal(account_totp_uri("ali.rezaei", secret, uri, 20), -1);
}

/* The step a code matched, whichever step of the window it was, and a code is
 * accepted once: not again, and not an older one once a newer was accepted. */
static void totp_replay(void **state) {
  (void)state;
  /* RFC 6238 appendix B at 1111111109 s: step 37037036, code 081804 (6 digits). */
  const int64_t now = 1111111109 * 1000LL;
  const int64_t T = 1111111109 / 30;
  int64_t step = 0;
  assert_int_equal(account_totp_step(now), T);
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now, 0, &step), ACCOUNT_TOTP_OK);
  assert_int_equal(step, T);
  /* the same code again, within its window: refused as a replay, step untouched */
  step = -5;
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now, T, &step), ACCOUNT_TOTP_REPLAYED);
  assert_int_equal(step, -5);
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now + 30000, T, &step),
                   ACCOUNT_TOTP_REPLAYED);
  /* a code of step T matched from a server one step ahead still counts as step T */
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now + 30000, T - 1, &step), ACCOUNT_TOTP_OK);
  assert_int_equal(step, T);
  /* an older code once a newer one was accepted */
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now, T + 1, &step), ACCOUNT_TOTP_REPLAYED);
  /* a wrong code is wrong, whatever the last step */
  assert_int_equal(account_totp_check(rfc_secret_b32, "081805", now, 0, &step), ACCOUNT_TOTP_WRONG);
  assert_int_equal(account_totp_check(rfc_secret_b32, "081804", now + 90000, 0, &step), ACCOUNT_TOTP_WRONG);
  assert_int_equal(account_totp_check(rfc_secret_b32, NULL, now, 0, &step), ACCOUNT_TOTP_WRONG);

  /* each step of the ±1 window: the step reported is the code's own */
  char *raw = NULL;
  size_t rawlen = 0;
  char code[7];
  assert_int_equal(oath_base32_decode(rfc_secret_b32, strlen(rfc_secret_b32), &raw, &rawlen), OATH_OK);
  for (int d = -1; d <= 1; d++) {
    assert_int_equal(oath_totp_generate(raw, rawlen, (time_t)((T + d) * 30), 30, 0, 6, code), OATH_OK);
    assert_int_equal(account_totp_check(rfc_secret_b32, code, now, T - 2, &step), ACCOUNT_TOTP_OK);
    assert_int_equal(step, T + d);
    assert_int_equal(account_totp_check(rfc_secret_b32, code, now, T + d, NULL), ACCOUNT_TOTP_REPLAYED);
  }
  /* after the code of T+1 was accepted, neither T nor T-1 works, even though in the window */
  assert_int_equal(oath_totp_generate(raw, rawlen, (time_t)(T * 30), 30, 0, 6, code), OATH_OK);
  assert_int_equal(account_totp_check(rfc_secret_b32, code, now, T + 1, NULL), ACCOUNT_TOTP_REPLAYED);
  free(raw);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(names),         cmocka_unit_test(password_policy),
      cmocka_unit_test(hashing_round_trip), cmocka_unit_test(tokens),
      cmocka_unit_test(apikeys),       cmocka_unit_test(session_edges),
      cmocka_unit_test(lock_out),      cmocka_unit_test(totp_known_vectors),
      cmocka_unit_test(totp_window),   cmocka_unit_test(totp_replay),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
