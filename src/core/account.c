/* account.c — account, session and API key rules; see account.h. */
#include "core/account.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTE_MS (60 * 1000LL)

/* The same limits for every hash, so that needs_rehash can tell old hashes apart. */
#define PW_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

_Static_assert(ACCOUNT_HASH_MAX >= crypto_pwhash_STRBYTES, "hash buffer too small");
_Static_assert(ACCOUNT_TOKEN_SIZE ==
                   sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "token size");

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = -1;

static void init_libraries(void) {
  init_rc = (sodium_init() >= 0 && oath_init() == OATH_OK) ? 0 : -1;
}

int account_init(void) {
  pthread_once(&init_once, init_libraries);
  return init_rc;
}

struct account_policy account_policy_default(void) {
  return (struct account_policy)ACCOUNT_POLICY_DEFAULT;
}

/* ---- names and passwords ------------------------------------------------------ */

bool account_name_valid(const char *name) {
  if (!name) return false;
  size_t n = strlen(name);
  if (n < 1 || n > ACCOUNT_NAME_MAX) return false;
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
      return false;
  }
  return true;
}

const char *account_password_problem(const char *username, const char *password) {
  if (!password) return "is required";
  size_t n = strlen(password);
  if (n < ACCOUNT_PASSWORD_MIN || n > ACCOUNT_PASSWORD_MAX) return "must be 12 to 1024 bytes";
  if (username && strcmp(username, password) == 0) return "must not be the username";
  return NULL;
}

int account_password_hash(const char *password, char out[ACCOUNT_HASH_MAX]) {
  if (account_init() != 0) return -1;
  if (crypto_pwhash_str(out, password, strlen(password), PW_OPSLIMIT, PW_MEMLIMIT) != 0) return -1;
  return 0;
}

bool account_password_verify(const char *hash, const char *password) {
  if (!hash || !password || account_init() != 0) return false;
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[ACCOUNT_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy_hash(void) {
  char secret[ACCOUNT_TOKEN_SIZE];
  account_token_new(secret);
  if (account_password_hash(secret, dummy_hash) != 0) dummy_hash[0] = '\0';
  sodium_memzero(secret, sizeof secret);
}

bool account_password_verify_dummy(const char *password) {
  pthread_once(&dummy_once, make_dummy_hash);
  if (dummy_hash[0]) (void)account_password_verify(dummy_hash, password ? password : "");
  return false;
}

bool account_password_needs_rehash(const char *hash) {
  if (!hash || account_init() != 0) return true;
  return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT, PW_MEMLIMIT) != 0;
}

/* ---- tokens and API keys -------------------------------------------------------- */

static void random_base64url(size_t nbytes, char *out, size_t outlen) {
  unsigned char bytes[32];
  (void)account_init();
  randombytes_buf(bytes, nbytes);
  sodium_bin2base64(out, outlen, bytes, nbytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
}

void account_token_new(char out[ACCOUNT_TOKEN_SIZE]) {
  random_base64url(32, out, ACCOUNT_TOKEN_SIZE);
}

void account_token_hash(const char *token, uint8_t out[32]) {
  crypto_hash_sha256(out, (const unsigned char *)token, strlen(token));
}

void account_apikey_new(char out[ACCOUNT_APIKEY_SIZE], char prefix_out[ACCOUNT_APIKEY_PREFIX_LEN + 1]) {
  char token[ACCOUNT_TOKEN_SIZE];
  account_token_new(token);
  snprintf(out, ACCOUNT_APIKEY_SIZE, "hk_%s", token);
  snprintf(prefix_out, ACCOUNT_APIKEY_PREFIX_LEN + 1, "%.*s", ACCOUNT_APIKEY_PREFIX_LEN, out);
  sodium_memzero(token, sizeof token);
}

bool account_apikey_well_formed(const char *key) {
  if (!key || strncmp(key, "hk_", 3) != 0 || strlen(key) != ACCOUNT_APIKEY_LEN) return false;
  for (const char *p = key + 3; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_'))
      return false;
  }
  return true;
}

void account_password_generate(char out[ACCOUNT_GENERATED_PASSWORD_SIZE]) {
  random_base64url(15, out, ACCOUNT_GENERATED_PASSWORD_SIZE);
}

/* ---- sessions and lock-out ------------------------------------------------------ */

enum account_session_state account_session_check(const struct account_policy *p, int64_t created_ms,
                                                 int64_t last_seen_ms, int64_t now_ms) {
  if (now_ms - created_ms >= p->session_max_ms) return ACCOUNT_SESSION_ABSOLUTE_EXPIRED;
  if (now_ms - last_seen_ms >= p->session_idle_ms) return ACCOUNT_SESSION_IDLE_EXPIRED;
  return ACCOUNT_SESSION_VALID;
}

int64_t account_session_expires_ms(const struct account_policy *p, int64_t created_ms) {
  return created_ms + p->session_max_ms;
}

bool account_session_should_touch(const struct account_policy *p, int64_t last_seen_ms, int64_t now_ms) {
  int64_t slack = p->session_idle_ms / 4;
  if (slack > MINUTE_MS) slack = MINUTE_MS;
  return now_ms - last_seen_ms >= slack;
}

int64_t account_lock_window_start(const struct account_policy *p, int64_t now_ms) {
  return now_ms - p->lock_window_ms;
}

bool account_lock_reached(const struct account_policy *p, int failures) {
  return failures >= p->lock_failures;
}

/* ---- TOTP second factor ---------------------------------------------------------- */

int account_totp_secret_new(char out[ACCOUNT_TOTP_SECRET_SIZE]) {
  int rc = -1;
  char raw[20];
  char *b32 = NULL;
  size_t len = 0;
  if (account_init() != 0) goto done;
  randombytes_buf(raw, sizeof raw);
  if (oath_base32_encode(raw, sizeof raw, &b32, &len) != OATH_OK) goto done;
  if (len + 1 > ACCOUNT_TOTP_SECRET_SIZE) goto done;
  memcpy(out, b32, len);
  out[len] = '\0';
  rc = 0;
done:
  sodium_memzero(raw, sizeof raw);
  if (b32) {
    sodium_memzero(b32, len);
    free(b32);
  }
  return rc;
}

int64_t account_totp_step(int64_t now_ms) {
  return now_ms / 1000 / ACCOUNT_TOTP_STEP_S;
}

enum account_totp_result account_totp_check(const char *secret, const char *code, int64_t now_ms,
                                            int64_t last_step, int64_t *step) {
  enum account_totp_result res = ACCOUNT_TOTP_WRONG;
  char *raw = NULL;
  size_t rawlen = 0;
  int pos = 0;
  uint64_t matched = 0;
  if (!secret || !code || strlen(code) != ACCOUNT_TOTP_DIGITS) return ACCOUNT_TOTP_WRONG;
  for (const char *p = code; *p; p++)
    if (*p < '0' || *p > '9') return ACCOUNT_TOTP_WRONG;
  if (account_init() != 0) return ACCOUNT_TOTP_WRONG;
  if (oath_base32_decode(secret, strlen(secret), &raw, &rawlen) != OATH_OK) goto done;
  /* window 1: the step before and after now are accepted as well; liboath tells which
   * step matched (its counter), which is what replay is judged by. */
  if (oath_totp_validate3(raw, rawlen, (time_t)(now_ms / 1000), ACCOUNT_TOTP_STEP_S,
                          OATH_TOTP_DEFAULT_START_TIME, 1, &pos, &matched, code) < 0)
    goto done;
  if ((int64_t)matched <= last_step) {
    res = ACCOUNT_TOTP_REPLAYED;
    goto done;
  }
  if (step) *step = (int64_t)matched;
  res = ACCOUNT_TOTP_OK;
done:
  if (raw) {
    sodium_memzero(raw, rawlen);
    free(raw);
  }
  return res;
}

bool account_totp_verify(const char *secret, const char *code, int64_t now_ms) {
  return account_totp_check(secret, code, now_ms, -1, NULL) == ACCOUNT_TOTP_OK;
}

int account_totp_uri(const char *username, const char *secret, char *out, size_t outlen) {
  int n = snprintf(out, outlen,
                   "otpauth://totp/hamyar:%s?secret=%s&issuer=hamyar&algorithm=SHA1&digits=%d&period=%d",
                   username, secret, ACCOUNT_TOTP_DIGITS, ACCOUNT_TOTP_STEP_S);
  return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}
