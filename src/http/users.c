/* users.c — /api/v1/users: user administration (admin only).
 *
 * Every read of another person's account and every change is audited; a list is one
 * audit row per request. Reads that are audited run in a write transaction, so the
 * read and its audit row are one unit. Password hashing runs before the transaction,
 * never on the writer thread.
 */
#include <string.h>

#include "http/accounts.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200

static const char *user_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "user:%lld", (long long)id);
}

/* Audit row, admin event and answer after a change to user u. */
static enum store_rc changed(struct http_req *req, struct store_tx *tx, const struct user *u,
                             const char *action, json_t *detail, const char *event, int status) {
  const char *subject = user_subject(req, u->id);
  enum store_rc rc = http_audit(req, tx, action, subject, detail);
  json_t *body = http_user_json(u);
  if (rc == STORE_OK && event) rc = http_event(req, tx, event, subject, body, ROLE_ADMIN);
  if (rc == STORE_OK && status) http_set_result(req, status, body);
  else json_decref(body);
  return rc;
}

/* ---- GET /api/v1/users ------------------------------------------------------------ */

struct page {
  int64_t after_id;
  int64_t limit;
};

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct page *pg = req->ctx;
  struct user *users;
  size_t n;
  /* One more than asked tells whether there is a next page. */
  enum store_rc rc = store_of(tx)->user_list(tx, pg->after_id, (size_t)pg->limit + 1, req->arena, &users, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > (size_t)pg->limit;
  if (more) n = (size_t)pg->limit;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, http_user_json(&users[i]));
  json_t *detail = json_pack("{s:I}", "after_id", (json_int_t)pg->after_id);
  rc = http_set_page(req, tx, items, more, n ? users[n - 1].id : 0, "user.list", detail);
  json_decref(detail);
  return rc;
}

http_status_t users_list(struct http_req *req) {
  struct page *pg = arena_alloc(req->arena, sizeof *pg); /* outlives this call (http_write) */
  if (!pg) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_query_int(req, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &pg->limit) != 0) return http_last_status(req);
  if (http_query_cursor(req, &pg->after_id) != 0) return http_last_status(req);
  req->ctx = pg;
  return http_write(req, list_tx);
}

/* ---- POST /api/v1/users ------------------------------------------------------------ */

struct new_user {
  struct user u;
  char hash[ACCOUNT_HASH_MAX];
};

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct new_user *nu = req->ctx;
  struct user u = nu->u; /* the store sets the id; a retry starts from the original */
  enum store_rc rc = store_of(tx)->user_insert(tx, &u);
  if (rc == STORE_CONFLICT) {
    http_set_error(req, ERR_ALREADY_EXISTS, "username", "A user with that username already exists.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:s,s:o}", "username", u.username, "roles", http_roles_json(u.roles));
  rc = changed(req, tx, &u, "user.create", detail, "user.created", 201);
  json_decref(detail);
  return rc;
}

http_status_t users_create(struct http_req *req) {
  const char *username, *password, *display_name = NULL;
  struct jspec_strings roles = {0};
  struct jspec spec[] = {
      JSPEC_STRING("username", &username, 1, ACCOUNT_NAME_MAX),
      JSPEC_STRING("password", &password, 1, ACCOUNT_PASSWORD_MAX),
      JSPEC_STRINGS("roles", &roles, 1, 10, 32),
      JSPEC_OPTIONAL(TEXT, "display_name", &display_name, 1, 100),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  if (!account_name_valid(username))
    return http_reply_error(req, ERR_INVALID_FIELD, "username",
                            "A username is 1 to 64 characters of a-z, 0-9, '.', '_' and '-'.");
  const char *problem = account_password_problem(username, password);
  if (problem)
    return http_reply_error(req, ERR_INVALID_FIELD, "password",
                            arena_printf(req->arena, "The password %s.", problem));
  struct new_user *nu = arena_alloc(req->arena, sizeof *nu);
  if (!nu) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_roles_parse_or_reply(req, &roles, "roles", &nu->u.roles) != 0) return http_last_status(req);
  if (account_password_hash(password, nu->hash) != 0) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  int64_t now = clock_now_ms();
  nu->u.username = username;
  nu->u.display_name = display_name;
  nu->u.password_hash = nu->hash;
  nu->u.created_ms = now;
  nu->u.password_changed_ms = now;
  req->ctx = nu;
  return http_write(req, create_tx);
}

/* ---- GET /api/v1/users/{id} ---------------------------------------------------------- */

/* For the routes whose only input is the user id in the path: the id goes to
 * req->ctx and `fn` runs in a write transaction (even a read is audited). */
static http_status_t write_on_path_user(struct http_req *req, store_tx_fn fn) {
  int64_t *id = arena_alloc(req->arena, sizeof *id);
  if (!id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, id) != 0) return http_last_status(req);
  req->ctx = id;
  return http_write(req, fn);
}

/* The user named by the id write_on_path_user left in req->ctx. */
static enum store_rc path_user(struct http_req *req, struct store_tx *tx, struct user *u) {
  const int64_t *id = req->ctx;
  return store_of(tx)->user_by_id(tx, *id, req->arena, u);
}

static enum store_rc get_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct user u;
  enum store_rc rc = path_user(req, tx, &u);
  if (rc != STORE_OK) return rc;
  return changed(req, tx, &u, "user.read", NULL, NULL, 200);
}

http_status_t users_get(struct http_req *req) { return write_on_path_user(req, get_tx); }

/* ---- PATCH /api/v1/users/{id} ------------------------------------------------------- */

struct patch {
  int64_t id;
  bool has_roles, has_disabled;
  role_set roles;
  bool disabled;
  const char *display_name;
};

static enum store_rc update_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct patch *p = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  enum store_rc rc = s->user_by_id(tx, p->id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  /* An administrator cannot shut themselves out: someone must be left to undo it. */
  if (u.id == req->who.id && ((p->has_disabled && p->disabled) || (p->has_roles && !(p->roles & ROLE_ADMIN)))) {
    http_set_error(req, ERR_CONFLICT, NULL,
                   "You cannot disable your own account or remove your own admin role; ask another administrator.");
    return STORE_OK;
  }
  json_t *detail = json_object();
  if (p->has_roles) {
    u.roles = p->roles;
    json_object_set_new(detail, "roles", http_roles_json(p->roles));
  }
  bool disabling = p->has_disabled && p->disabled && !u.disabled;
  if (p->has_disabled) {
    u.disabled = p->disabled;
    json_object_set_new(detail, "disabled", json_boolean(p->disabled));
  }
  if (p->display_name) {
    u.display_name = p->display_name;
    json_object_set_new(detail, "display_name", json_string(p->display_name));
  }
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK && disabling) rc = s->session_revoke_user(tx, u.id, clock_now_ms());
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.update", detail, "user.updated", 200);
  json_decref(detail);
  return rc;
}

http_status_t users_update(struct http_req *req) {
  struct patch *p = arena_alloc(req->arena, sizeof *p);
  if (!p) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &p->id) != 0) return http_last_status(req);
  struct jspec_strings roles = {0};
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRINGS, "roles", &roles, 1, 10, 32),
      JSPEC_OPTIONAL(BOOL, "disabled", &p->disabled),
      JSPEC_OPTIONAL(TEXT, "display_name", &p->display_name, 1, 100),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  if (roles.n > 0) {
    if (http_roles_parse_or_reply(req, &roles, "roles", &p->roles) != 0) return http_last_status(req);
    p->has_roles = true;
  }
  json_t *d = json_object_get(req->body, "disabled");
  p->has_disabled = d && !json_is_null(d);
  req->ctx = p;
  return http_write(req, update_tx);
}

/* ---- POST /api/v1/users/{id}/password ------------------------------------------------ */

struct reset {
  int64_t id;
  const char *password;
  struct user user;
  char hash[ACCOUNT_HASH_MAX];
};

static enum store_rc read_target(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct reset *r = req->ctx;
  return store_of(tx)->user_by_id(tx, r->id, req->arena, &r->user);
}

static enum store_rc password_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct reset *r = req->ctx;
  struct store *s = store_of(tx);
  struct user u;
  int64_t now = clock_now_ms();
  enum store_rc rc = s->user_by_id(tx, r->id, req->arena, &u);
  if (rc != STORE_OK) return rc;
  u.password_hash = r->hash;
  u.password_changed_ms = now;
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = s->session_revoke_user(tx, u.id, now);
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.password_reset", NULL, NULL, 0);
  if (rc == STORE_OK) http_set_result(req, 204, NULL);
  return rc;
}

http_status_t users_password(struct http_req *req) {
  struct reset *r = arena_alloc(req->arena, sizeof *r);
  if (!r) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &r->id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_STRING("password", &r->password, 1, ACCOUNT_PASSWORD_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = r;
  enum store_rc rc = store_read(req->app->store, read_target, req);
  if (rc != STORE_OK) return http_reply_store_rc(req, rc);
  const char *problem = account_password_problem(r->user.username, r->password);
  if (problem)
    return http_reply_error(req, ERR_INVALID_FIELD, "password",
                            arena_printf(req->arena, "The password %s.", problem));
  if (account_password_hash(r->password, r->hash) != 0) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  return http_write(req, password_tx);
}

/* ---- POST /api/v1/users/{id}/unlock ------------------------------------------------- */

static enum store_rc unlock_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct store *s = store_of(tx);
  struct user u;
  enum store_rc rc = path_user(req, tx, &u);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:b}", "was_locked", u.locked);
  u.locked = false;
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = s->login_failure_clear(tx, u.id);
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.unlock", detail, "user.updated", 200);
  json_decref(detail);
  return rc;
}

http_status_t users_unlock(struct http_req *req) { return write_on_path_user(req, unlock_tx); }

/* ---- DELETE /api/v1/users/{id}/totp ---------------------------------------------- */

/* For a user who lost the phone: the secret and its state go, and the user logs in
 * with the password alone until enrolling again. Sessions are left alone: the reset
 * gives no one anything they did not have. */
static enum store_rc totp_reset_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct store *s = store_of(tx);
  struct user u;
  enum store_rc rc = path_user(req, tx, &u);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:b,s:b}", "was_enabled", u.totp_enabled, "was_enrolling",
                             !u.totp_enabled && u.totp_secret != NULL);
  u.totp_secret = NULL;
  u.totp_enabled = false;
  u.totp_last_step = 0;
  rc = s->user_update(tx, &u);
  if (rc == STORE_OK) rc = changed(req, tx, &u, "user.totp_reset", detail, "user.updated", 0);
  if (rc == STORE_OK) http_set_result(req, 204, NULL);
  json_decref(detail);
  return rc;
}

http_status_t users_totp_reset(struct http_req *req) { return write_on_path_user(req, totp_reset_tx); }
