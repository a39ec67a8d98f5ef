/* me.c — the caller's own account: /api/v1/me, its password and TOTP enrolment.
 *
 * Reading one's own user object is not audited (the console asks for it on every page
 * load and it shows nothing the caller does not own); every change is.
 */
#include <string.h>

#include "http/accounts.h"
#include "http/ratelimit.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

static const char *self_subject(struct http_req *req) {
  return arena_printf(req->arena, "user:%lld", (long long)req->who.id);
}

/* Audit row and admin event for a change to the caller's user row, and the answer. */
static enum store_rc changed(struct http_req *req, struct store_tx *tx, const struct user *u,
                             const char *action, json_t *detail, int status) {
  enum store_rc rc = http_audit(req, tx, action, self_subject(req), detail);
  json_t *body = http_user_json(u);
  if (rc == STORE_OK) rc = http_event(req, tx, "user.updated", self_subject(req), body, ROLE_ADMIN);
  if (rc == STORE_OK) http_set_result(req, status, body);
  else json_decref(body);
  return rc;
}

/* ---- GET /api/v1/me -------------------------------------------------------------- */

static enum store_rc me_get_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct user u;
  enum store_rc rc = store_of(tx)->user_by_id(tx, req->who.id, req->arena, &u);
  if (rc == STORE_OK) http_set_result(req, 200, http_user_json(&u));
  return rc;
}

http_status_t me_get(struct http_req *req) { return http_read(req, me_get_tx); }

/* ---- PATCH /api/v1/me ------------------------------------------------------------ */

struct me_patch {
  const char *display_name;
  bool latin_digits;
  bool has_latin_digits;
};

static enum store_rc me_update_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct me_patch *p = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  enum store_rc rc = s->user_by_id(tx, req->who.id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_object();
  if (p->display_name) {
    u.display_name = p->display_name;
    json_object_set_new(detail, "display_name", json_string(p->display_name));
  }
  if (p->has_latin_digits) {
    u.latin_digits = p->latin_digits;
    json_object_set_new(detail, "latin_digits", json_boolean(p->latin_digits));
  }
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.update", detail, 200);
  json_decref(detail);
  return rc;
}

http_status_t me_update(struct http_req *req) {
  struct me_patch *p = arena_alloc(req->arena, sizeof *p); /* outlives this call (http_write) */
  if (!p) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  struct jspec spec[] = {
      JSPEC_OPTIONAL(TEXT, "display_name", &p->display_name, 1, 100),
      JSPEC_OPTIONAL(BOOL, "latin_digits", &p->latin_digits),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  json_t *ld = json_object_get(req->body, "latin_digits");
  p->has_latin_digits = ld && !json_is_null(ld);
  req->ctx = p;
  return http_write(req, me_update_tx);
}

/* ---- POST /api/v1/me/password ------------------------------------------------------ */

struct me_pw {
  struct user user;          /* as read before verifying */
  char new_hash[ACCOUNT_HASH_MAX];
};

static enum store_rc read_self(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct me_pw *p = req->ctx;
  return store_of(tx)->user_by_id(tx, req->who.id, req->arena, &p->user);
}

static enum store_rc me_password_failed_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  json_t *detail = json_pack("{s:s}", "reason", "wrong_current_password");
  enum store_rc rc = http_audit(req, tx, "user.password_change_failed", self_subject(req), detail);
  json_decref(detail);
  http_set_error(req, ERR_INVALID_FIELD, "current_password", "The current password is wrong.");
  return rc;
}

static enum store_rc me_password_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct me_pw *p = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  int64_t now = clock_now_ms();
  enum store_rc rc = s->user_by_id(tx, req->who.id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  if (strcmp(u.password_hash, p->user.password_hash) != 0) {
    http_set_error(req, ERR_CONFLICT, NULL, "The password was changed meanwhile; try again.");
    return STORE_OK;
  }
  u.password_hash = p->new_hash;
  u.password_changed_ms = now;
  rc = s->user_update(tx, &u);
  if (rc != STORE_OK) return rc;
  /* The other sessions end; the one that changed the password goes on. A store
   * without the narrower operation ends them all, the safe side. */
  if (s->session_revoke_user_except)
    rc = s->session_revoke_user_except(tx, u.id, req->who.session_id, now);
  else
    rc = s->session_revoke_user(tx, u.id, now);
  if (rc != STORE_OK) return rc;
  rc = http_audit(req, tx, "user.password_change", self_subject(req), NULL);
  if (rc == STORE_OK) http_set_result(req, 204, NULL);
  return rc;
}

http_status_t me_password(struct http_req *req) {
  const char *current, *next;
  struct jspec spec[] = {
      JSPEC_STRING("current_password", &current, 1, ACCOUNT_PASSWORD_MAX),
      JSPEC_STRING("new_password", &next, 1, ACCOUNT_PASSWORD_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  /* Guessing the current password with a stolen session costs as much as guessing a
   * log-in. */
  if (http_rate_limit_or_reply(req, "login", req->app->cfg->login_rate_per_min) != 0)
    return http_last_status(req);
  struct me_pw *p = arena_alloc(req->arena, sizeof *p);
  if (!p) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  req->ctx = p;
  enum store_rc rc = store_read(req->app->store, read_self, req);
  if (rc != STORE_OK) return http_reply_store_rc(req, rc);

  const char *problem = account_password_problem(p->user.username, next);
  if (problem)
    return http_reply_error(req, ERR_INVALID_FIELD, "new_password",
                            arena_printf(req->arena, "The new password %s.", problem));
  if (!account_password_verify(p->user.password_hash, current)) return http_write(req, me_password_failed_tx);
  if (account_password_hash(next, p->new_hash) != 0) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  return http_write(req, me_password_tx);
}

/* ---- POST /api/v1/me/totp, /api/v1/me/totp/confirm ---------------------------------- */

struct me_totp {
  char secret[ACCOUNT_TOTP_SECRET_SIZE];
  const char *code;
};

static enum store_rc me_totp_begin_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct me_totp *t = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  char uri[256];
  enum store_rc rc = s->user_by_id(tx, req->who.id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  /* Replacing an enabled factor would let whoever holds a session remove it. */
  if (u.totp_enabled) {
    http_set_error(req, ERR_CONFLICT, NULL,
                   "A second factor is already enabled.");
    return STORE_OK;
  }
  if (account_totp_uri(u.username, t->secret, uri, sizeof uri) != 0) return STORE_HARD;
  u.totp_secret = t->secret;
  u.totp_enabled = false;
  u.totp_last_step = 0; /* steps used with an earlier secret say nothing about this one */
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = http_audit(req, tx, "user.totp_begin", self_subject(req), NULL);
  if (rc == STORE_OK)
    http_set_result(req, 201, json_pack("{s:s,s:s}", "secret", t->secret, "otpauth_uri", uri));
  return rc;
}

http_status_t me_totp_begin(struct http_req *req) {
  struct me_totp *t = arena_alloc(req->arena, sizeof *t);
  if (!t || account_totp_secret_new(t->secret) != 0) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  req->ctx = t;
  return http_write(req, me_totp_begin_tx);
}

static enum store_rc me_totp_confirm_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct me_totp *t = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  enum store_rc rc = s->user_by_id(tx, req->who.id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  if (u.totp_enabled || !u.totp_secret) {
    http_set_error(req, ERR_CONFLICT, NULL,
                   u.totp_enabled ? "The second factor is already enabled."
                                  : "Begin enrolment first with POST /api/v1/me/totp.");
    return STORE_OK;
  }
  /* The confirming code counts as used: whoever watched it typed cannot log in with it. */
  if (account_totp_check(u.totp_secret, t->code, clock_now_ms(), u.totp_last_step, &u.totp_last_step) !=
      ACCOUNT_TOTP_OK) {
    http_set_error(req, ERR_INVALID_FIELD, "code",
                   "The code does not match; check the phone's clock and send the current code.");
    return STORE_OK;
  }
  u.totp_enabled = true;
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.totp_enabled", NULL, 200);
  return rc;
}

http_status_t me_totp_confirm(struct http_req *req) {
  struct me_totp *t = arena_alloc(req->arena, sizeof *t);
  if (!t) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  struct jspec spec[] = {
      JSPEC_STRING("code", &t->code, ACCOUNT_TOTP_DIGITS, ACCOUNT_TOTP_DIGITS),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = t;
  return http_write(req, me_totp_confirm_tx);
}
