/* account.h — the rules of accounts, sessions and API keys (no I/O).
 *
 * What a valid username, password and API key name are; how passwords are hashed
 * (argon2id through libsodium); how session tokens, CSRF tokens and API keys are
 * made (256 random bits, base64url) and stored (only their SHA-256); when a session
 * has expired; when repeated failures lock an account; and the TOTP second factor
 * (RFC 6238 through liboath: SHA-1, 30-second steps, 6 digits, ±1 step of drift).
 *
 * The numbers (lock after 5 failures in 15 minutes, idle timeout 30 minutes,
 * absolute 12 hours) live in `struct account_policy` so that the CLI can shorten
 * them from its configuration for tests; account_policy_default() gives the values
 * of DESIGN.md §5.
 *
 * Memory: every function writes into caller buffers whose sizes are the constants
 * below; nothing is allocated for the caller. All functions are thread-safe.
 */
#ifndef HAMYAR_CORE_ACCOUNT_H
#define HAMYAR_CORE_ACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- policy ------------------------------------------------------------------- */

struct account_policy {
  int64_t session_idle_ms; /* a session ends this long after its last request */
  int64_t session_max_ms;  /* ... and this long after log-in, whichever is first */
  int lock_failures;       /* this many failed log-ins ... */
  int64_t lock_window_ms;  /* ... within this window lock the account */
};

/* 30 minutes idle, 12 hours absolute, 5 failures in 15 minutes. */
#define ACCOUNT_POLICY_DEFAULT                                                        \
  {.session_idle_ms = 30 * 60 * 1000LL, .session_max_ms = 12 * 60 * 60 * 1000LL,       \
   .lock_failures = 5, .lock_window_ms = 15 * 60 * 1000LL}
struct account_policy account_policy_default(void);

/* Call once before the functions below from a program's start (initialises
 * libsodium and liboath). Safe to call again. 0 on success, -1 on failure. */
int account_init(void);

/* ---- names and passwords ------------------------------------------------------ */

#define ACCOUNT_NAME_MAX 64
#define ACCOUNT_PASSWORD_MIN 12
#define ACCOUNT_PASSWORD_MAX 1024

/* Usernames and API key names: 1..64 bytes of a-z 0-9 . _ - */
bool account_name_valid(const char *name);

/* NULL when `password` is acceptable for `username`, otherwise what is wrong, in
 * English ("must be 12 to 1024 bytes", "must not be the username"). */
const char *account_password_problem(const char *username, const char *password);

/* crypto_pwhash_STRBYTES (128) bytes always hold a hash string. */
#define ACCOUNT_HASH_MAX 128

/* Hashes with argon2id (libsodium's interactive limits). Slow by design (~0.1 s, 64
 * MiB): never call it on the store's writer thread. 0 on success, -1 on failure
 * (out of memory). */
int account_password_hash(const char *password, char out[ACCOUNT_HASH_MAX]);
/* True when `password` matches `hash`. As slow as hashing. */
bool account_password_verify(const char *hash, const char *password);
/* Verifies `password` against a hash of a random password nobody knows, and returns
 * false: for an unknown username, so that its answer takes as long as a wrong
 * password for a known one and does not reveal which names exist. */
bool account_password_verify_dummy(const char *password);
/* True when `hash` was made with other limits than account_password_hash uses now
 * (then re-hash on the next successful log-in or password change). */
bool account_password_needs_rehash(const char *hash);

/* ---- tokens and API keys -------------------------------------------------------- */

/* A token: 32 random bytes as base64url without padding: 43 characters + NUL. */
#define ACCOUNT_TOKEN_LEN 43
#define ACCOUNT_TOKEN_SIZE (ACCOUNT_TOKEN_LEN + 1)
/* An API key: "hk_" and a token: 46 characters + NUL. Its first 10 characters are
 * the prefix shown in lists, so that an administrator can tell keys apart. */
#define ACCOUNT_APIKEY_LEN (3 + ACCOUNT_TOKEN_LEN)
#define ACCOUNT_APIKEY_SIZE (ACCOUNT_APIKEY_LEN + 1)
#define ACCOUNT_APIKEY_PREFIX_LEN 10

void account_token_new(char out[ACCOUNT_TOKEN_SIZE]);
/* out = SHA-256 of the token's text: what the store keeps instead of the token. */
void account_token_hash(const char *token, uint8_t out[32]);
/* A new key and its prefix (prefix_out holds ACCOUNT_APIKEY_PREFIX_LEN + 1 bytes). */
void account_apikey_new(char out[ACCOUNT_APIKEY_SIZE], char prefix_out[ACCOUNT_APIKEY_PREFIX_LEN + 1]);
/* True when `key` has the shape of an API key (cheap check before a lookup). */
bool account_apikey_well_formed(const char *key);

/* A password to print once for a person to copy: 20 base64url characters (120 bits). */
#define ACCOUNT_GENERATED_PASSWORD_SIZE 21
void account_password_generate(char out[ACCOUNT_GENERATED_PASSWORD_SIZE]);

/* ---- sessions and lock-out ------------------------------------------------------ */

enum account_session_state {
  ACCOUNT_SESSION_VALID = 0,
  ACCOUNT_SESSION_IDLE_EXPIRED,     /* now - last_seen >= idle */
  ACCOUNT_SESSION_ABSOLUTE_EXPIRED, /* now - created >= max (checked first) */
};

enum account_session_state account_session_check(const struct account_policy *p, int64_t created_ms,
                                                 int64_t last_seen_ms, int64_t now_ms);
/* When a session made at created_ms ends at the latest. */
int64_t account_session_expires_ms(const struct account_policy *p, int64_t created_ms);
/* Whether to store a new last_seen now. Writing it on every request would make every
 * read a write; a minute of slack (less when the idle timeout is short, as in tests)
 * shortens the idle timeout by at most that much. */
bool account_session_should_touch(const struct account_policy *p, int64_t last_seen_ms, int64_t now_ms);

/* The start of the window in which failures count towards a lock. */
int64_t account_lock_window_start(const struct account_policy *p, int64_t now_ms);
/* True when `failures` failures within the window lock the account. */
bool account_lock_reached(const struct account_policy *p, int failures);

/* ---- TOTP second factor ---------------------------------------------------------- */

/* 20 random bytes in base32: 32 characters + NUL. */
#define ACCOUNT_TOTP_SECRET_SIZE 33
#define ACCOUNT_TOTP_DIGITS 6
#define ACCOUNT_TOTP_STEP_S 30

/* 0 on success, -1 on failure. */
int account_totp_secret_new(char out[ACCOUNT_TOTP_SECRET_SIZE]);
/* True when `code` (6 digits) is the code of `secret` at now_ms, or one step before or
 * after (clock drift between the phone and the server). Says nothing about replay:
 * log-in and enrolment use account_totp_check. */
bool account_totp_verify(const char *secret, const char *code, int64_t now_ms);

/* A TOTP time step: Unix seconds / ACCOUNT_TOTP_STEP_S. Real ones are far above 0, so a
 * stored last step of 0 means "no code accepted yet". */
int64_t account_totp_step(int64_t now_ms);

enum account_totp_result {
  ACCOUNT_TOTP_OK = 0,
  ACCOUNT_TOTP_WRONG,    /* not a code of this secret within ±1 step of now */
  ACCOUNT_TOTP_REPLAYED, /* a code of a step at or before the last one accepted */
};

/* As account_totp_verify, and a code is accepted once only (RFC 6238 §5.2): the step
 * the code belongs to must be after `last_step`, the step of the last code this user
 * had accepted (0: none). On ACCOUNT_TOTP_OK, *step (when not NULL) is that step: the
 * caller stores it as the new last step, in the same transaction that re-checks it
 * against the stored one, so that two log-ins racing with one code cannot both win. */
enum account_totp_result account_totp_check(const char *secret, const char *code, int64_t now_ms,
                                            int64_t last_step, int64_t *step);
/* "otpauth://totp/hamyar:USERNAME?secret=...&issuer=hamyar&algorithm=SHA1&digits=6&period=30",
 * the text of the QR code an authenticator app scans. The username is URL-safe by
 * account_name_valid. 0 on success, -1 when `out` is too small. */
int account_totp_uri(const char *username, const char *secret, char *out, size_t outlen);

#endif
