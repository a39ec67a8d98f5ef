/* session.c — POST /api/v1/session (log in) and DELETE /api/v1/session (log out).
 *
 * Log-in does its slow part — argon2id verification and, when the stored hash is
 * old, re-hashing — on the request's own thread, before the write transaction, so
 * the store's writer thread never runs argon2. The transaction then re-reads the user
 * (another log-in may have locked it meanwhile) and records the outcome: failure
 * count and lock, or the new session, each with its audit row, all at once.
 *
 * Which answer a client gets, in order:
 *   unknown username                 401 bad_credentials (after a dummy verification,
 *                                    so it takes as long as a wrong password)
 *   locked                           403 account_locked; the password is NOT checked,
 *                                    so a locked account cannot be used to test guesses
 *   wrong password                   401 bad_credentials, counts towards the lock
 *   disabled (right password)        403 account_disabled
 *   TOTP enrolled, no code           401 totp_required, not a failure
 *   TOTP enrolled, wrong code        401 totp_invalid, counts towards the lock
 *   TOTP enrolled, code used before  401 totp_invalid (audited as totp_replayed), counts
 *                                    towards the lock: a code is accepted once only
 *   otherwise                        201 with the session, and the cookie
 *
 * A code's time step is judged against the last accepted step twice: before the
 * transaction from the user as read (cheap refusal), and inside it from the user as
 * stored, which is what makes two log-ins racing with one code end with one session.
 */
#include <string.h>

#include "http/accounts.h"
#include "http/ratelimit.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

enum outcome {
  OUT_UNKNOWN_USER,
  OUT_LOCKED,
  OUT_BAD_PASSWORD,
  OUT_DISABLED,
  OUT_TOTP_REQUIRED,
  OUT_TOTP_INVALID,
  OUT_TOTP_REPLAYED,
  OUT_OK,
};

static const char *const outcome_reason[] = {
    [OUT_UNKNOWN_USER] = "unknown_user",   [OUT_LOCKED] = "locked",
    [OUT_BAD_PASSWORD] = "bad_password",   [OUT_DISABLED] = "disabled",
    [OUT_TOTP_REQUIRED] = "totp_required", [OUT_TOTP_INVALID] = "totp_invalid",
    [OUT_TOTP_REPLAYED] = "totp_replayed", [OUT_OK] = "ok",
};

static const enum err_code outcome_error[] = {
    [OUT_UNKNOWN_USER] = ERR_BAD_CREDENTIALS, [OUT_LOCKED] = ERR_ACCOUNT_LOCKED,
    [OUT_BAD_PASSWORD] = ERR_BAD_CREDENTIALS, [OUT_DISABLED] = ERR_ACCOUNT_DISABLED,
    [OUT_TOTP_REQUIRED] = ERR_TOTP_REQUIRED,  [OUT_TOTP_INVALID] = ERR_TOTP_INVALID,
    [OUT_TOTP_REPLAYED] = ERR_TOTP_INVALID,   [OUT_OK] = ERR_INTERNAL,
};

struct login {
  struct http_req *req;
  const char *username, *password, *totp;
  const struct account_policy *policy;
  enum store_rc found;   /* the user read before the transaction */
  struct user user;
  enum outcome judged;   /* decided before the transaction from the user as read */
  enum outcome outcome;  /* the final one: the transaction may make it worse */
  char new_hash[ACCOUNT_HASH_MAX]; /* set when the stored hash needs re-hashing */
  int64_t totp_step;     /* the step of the TOTP code that judge() accepted */
  char token[ACCOUNT_TOKEN_SIZE], csrf[ACCOUNT_TOKEN_SIZE];
  int64_t now;
  /* filled by the transaction */
  struct session se;
};

static enum store_rc read_user(void *cls, struct store_tx *tx) {
  struct login *l = cls;
  l->found = store_of(tx)->user_by_name(tx, l->username, l->req->arena, &l->user);
  return l->found == STORE_NOT_FOUND ? STORE_OK : l->found;
}

/* The audit actor of a failed log-in: the name that was tried, cut to 64 bytes on a
 * UTF-8 character boundary (it may be anything a client sent). */
static const char *tried_name(struct http_req *req, const char *name) {
  size_t n = strlen(name);
  if (n > ACCOUNT_NAME_MAX) {
    n = ACCOUNT_NAME_MAX;
    while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80) n--;
  }
  return arena_strndup(req->arena, name, n);
}

static enum store_rc audit_login(struct login *l, struct store_tx *tx, const char *action,
                                 const char *reason) {
  json_t *detail = json_pack("{s:s}", "reason", reason);
  const char *subject = l->found == STORE_OK ? arena_printf(l->req->arena, "user:%lld", (long long)l->user.id) : "";
  enum store_rc rc = http_audit(l->req, tx, action, subject, detail);
  json_decref(detail);
  return rc;
}

/* A failed password or code: one more failure row, and the lock once there are
 * enough within the window. */
static enum store_rc count_failure(struct login *l, struct store_tx *tx, struct user *u) {
  struct store *s = store_of(tx);
  int failures = 0;
  enum store_rc rc = s->login_failure_add(tx, u->id, l->now);
  if (rc == STORE_OK)
    rc = s->login_failure_count(tx, u->id, account_lock_window_start(l->policy, l->now), &failures);
  if (rc != STORE_OK || !account_lock_reached(l->policy, failures)) return rc;
  u->locked = true;
  rc = s->user_update(tx, u);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:i,s:I}", "failures", failures, "window_s",
                             (json_int_t)(l->policy->lock_window_ms / 1000));
  const char *subject = arena_printf(l->req->arena, "user:%lld", (long long)u->id);
  rc = http_audit(l->req, tx, "user.locked", subject, detail);
  json_decref(detail);
  if (rc == STORE_OK) {
    json_t *payload = http_user_json(u);
    rc = http_event(l->req, tx, "user.locked", subject, payload, ROLE_ADMIN);
    json_decref(payload);
  }
  return rc;
}

static enum store_rc open_session(struct login *l, struct store_tx *tx, struct user *u) {
  struct store *s = store_of(tx);
  enum store_rc rc = s->login_failure_clear(tx, u->id);
  if (rc == STORE_OK && (l->new_hash[0] || u->totp_enabled)) {
    if (l->new_hash[0]) u->password_hash = l->new_hash;
    if (u->totp_enabled) u->totp_last_step = l->totp_step; /* this code is now used */
    rc = s->user_update(tx, u);
  }
  if (rc != STORE_OK) return rc;
  l->se = (struct session){
      .user_id = u->id, .created_ms = l->now, .last_seen_ms = l->now, .ip = l->req->ip};
  account_token_hash(l->token, l->se.token_hash);
  account_token_hash(l->csrf, l->se.csrf_hash);
  rc = s->session_insert(tx, &l->se);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:I,s:b}", "session", (json_int_t)l->se.id, "totp", u->totp_enabled);
  rc = http_audit(l->req, tx, "session.login", arena_printf(l->req->arena, "user:%lld", (long long)u->id),
                  detail);
  json_decref(detail);
  return rc;
}

/* The second factor as stored now: enrolled since the user was read, replaced, or
 * the code's step used meanwhile (a twin log-in with the same code committed first). */
static enum outcome totp_recheck(const struct login *l, const struct user *u) {
  if (!l->totp) return OUT_TOTP_REQUIRED;
  if (!l->user.totp_enabled || !l->user.totp_secret || !u->totp_secret ||
      strcmp(u->totp_secret, l->user.totp_secret) != 0)
    return OUT_TOTP_INVALID;
  return l->totp_step > u->totp_last_step ? OUT_OK : OUT_TOTP_REPLAYED;
}

static enum store_rc login_tx(void *cls, struct store_tx *tx) {
  struct login *l = cls;
  struct http_req *req = l->req;
  struct user u;
  enum store_rc rc;
  l->outcome = l->judged; /* from scratch: the store may run this callback again */
  if (l->outcome == OUT_UNKNOWN_USER) return audit_login(l, tx, "session.login_failed", "unknown_user");

  rc = store_of(tx)->user_by_id(tx, l->user.id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  /* What changed since the password was checked outside the transaction. */
  bool password_accepted = l->judged >= OUT_DISABLED;
  if (u.locked) l->outcome = OUT_LOCKED;
  else if (password_accepted && strcmp(u.password_hash, l->user.password_hash) != 0) l->outcome = OUT_BAD_PASSWORD;
  else if (u.disabled && l->outcome == OUT_OK) l->outcome = OUT_DISABLED;
  else if (u.totp_enabled && l->outcome == OUT_OK) l->outcome = totp_recheck(l, &u);

  if (l->outcome == OUT_BAD_PASSWORD || l->outcome == OUT_TOTP_INVALID || l->outcome == OUT_TOTP_REPLAYED) {
    rc = count_failure(l, tx, &u);
    if (rc != STORE_OK) return rc;
  }
  if (l->outcome != OUT_OK) return audit_login(l, tx, "session.login_failed", outcome_reason[l->outcome]);
  l->user = u;
  return open_session(l, tx, &u);
}

/* Decides the outcome from the user as read, doing the slow verification here. */
static void judge(struct login *l) {
  if (l->found != STORE_OK) {
    account_password_verify_dummy(l->password);
    l->judged = OUT_UNKNOWN_USER;
  } else if (l->user.locked) {
    l->judged = OUT_LOCKED;
  } else if (!account_password_verify(l->user.password_hash, l->password)) {
    l->judged = OUT_BAD_PASSWORD;
  } else if (l->user.disabled) {
    l->judged = OUT_DISABLED;
  } else if (l->user.totp_enabled && !l->totp) {
    l->judged = OUT_TOTP_REQUIRED;
  } else if (l->user.totp_enabled) {
    enum account_totp_result t =
        account_totp_check(l->user.totp_secret, l->totp, l->now, l->user.totp_last_step, &l->totp_step);
    l->judged = t == ACCOUNT_TOTP_OK ? OUT_OK : t == ACCOUNT_TOTP_REPLAYED ? OUT_TOTP_REPLAYED : OUT_TOTP_INVALID;
  } else {
    l->judged = OUT_OK;
  }
  if (l->judged == OUT_OK && account_password_needs_rehash(l->user.password_hash) &&
      account_password_hash(l->password, l->new_hash) != 0)
    l->new_hash[0] = '\0'; /* keep the old hash; the log-in itself is fine */
}

http_status_t session_create(struct http_req *req) {
  const struct http_config *cfg = req->app->cfg;
  if (http_rate_limit_or_reply(req, "login", cfg->login_rate_per_min) != 0) return http_last_status(req);

  struct login l = {.req = req, .policy = http_account_policy(req)};
  struct jspec spec[] = {
      JSPEC_STRING("username", &l.username, 1, 1024),
      JSPEC_STRING("password", &l.password, 1, ACCOUNT_PASSWORD_MAX),
      JSPEC_OPTIONAL(STRING, "totp", &l.totp, 1, 16),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);

  if (store_read(req->app->store, read_user, &l) != STORE_OK) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  l.now = clock_now_ms();
  judge(&l);
  account_token_new(l.token);
  account_token_new(l.csrf);

  /* The audit rows of the transaction name the caller: the user once known, else the
   * name that was tried. */
  req->who = (struct principal){.kind = PRINCIPAL_NONE, .name = tried_name(req, l.username)};
  if (l.found == STORE_OK)
    req->who = (struct principal){.kind = PRINCIPAL_USER, .id = l.user.id, .name = l.user.username,
                                  .roles = l.user.roles, .latin_digits = l.user.latin_digits};

  /* The store runs the transaction and this thread answers: the cookie may only go out
   * with a committed session. This write stays synchronous (store_write, not
   * http_write): the answer is built after the commit from what the transaction found,
   * and this thread has just spent far longer on argon2id than the commit will take. */
  if (store_write(req->app->store, login_tx, &l) != STORE_OK)
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (l.outcome != OUT_OK) {
    log_msg(LOG_INFO, "session.login_failed", "log-in as %s refused: %s", req->who.name,
            outcome_reason[l.outcome]);
    return http_reply_error(req, outcome_error[l.outcome], NULL, NULL);
  }
  req->who.session_id = l.se.id;
  json_t *body = json_pack("{s:s,s:s,s:o,s:I,s:o}", "token", l.token, "csrf_token", l.csrf, "expires_at",
                           http_time_json(account_session_expires_ms(l.policy, l.now)), "idle_timeout_s",
                           (json_int_t)(l.policy->session_idle_ms / 1000), "user", http_user_json(&l.user));
  if (!body) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  http_add_header(req, "Set-Cookie", http_session_cookie(req, l.token));
  return http_reply_json(req, 201, body);
}

static enum store_rc logout_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  enum store_rc rc = store_of(tx)->session_revoke(tx, req->who.session_id, clock_now_ms());
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:I}", "session", (json_int_t)req->who.session_id);
  rc = http_audit(req, tx, "session.logout", arena_printf(req->arena, "user:%lld", (long long)req->who.id),
                  detail);
  json_decref(detail);
  if (rc == STORE_OK) http_set_result(req, 204, NULL);
  return rc;
}

http_status_t session_delete(struct http_req *req) {
  http_add_header(req, "Set-Cookie", http_session_cookie_clear(req));
  return http_write(req, logout_tx);
}
