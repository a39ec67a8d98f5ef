/* accounts.c — the user object, role lists, policy and cookie; see accounts.h. */
#include "http/accounts.h"

#include <errno.h>
#include <stdlib.h>

#include "util/arena.h"
#include "util/clock.h"

static void add_role_name(void *cls, enum role r) {
  json_array_append_new((json_t *)cls, json_string(role_name(r)));
}

json_t *http_roles_json(role_set roles) {
  json_t *a = json_array();
  if (a) role_each(roles, add_role_name, a);
  return a;
}

json_t *http_time_json(int64_t ms) {
  if (ms == 0) return json_null();
  char text[32];
  return json_string(clock_format_rfc3339(ms, text, sizeof text));
}

json_t *http_user_json(const struct user *u) {
  return json_pack("{s:I,s:s,s:o,s:o,s:b,s:b,s:b,s:b,s:o}", "id", (json_int_t)u->id, "username",
                   u->username, "display_name",
                   u->display_name ? json_string(u->display_name) : json_null(), "roles",
                   http_roles_json(u->roles), "disabled", u->disabled, "locked", u->locked,
                   "totp_enabled", u->totp_enabled, "latin_digits", u->latin_digits,
                   "created_at", http_time_json(u->created_ms));
}

json_t *http_apikey_json(const struct apikey *k) {
  json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)k->id, "name", k->name, "role",
                        role_name(k->role), "prefix", k->prefix, "created_at", http_time_json(k->created_ms),
                        "revoked_at", http_time_json(k->revoked_ms));
  /* Only a unit's device key is bound to a unit; other keys do not carry the field. */
  if (o && k->unit_id) json_object_set_new(o, "unit_id", json_integer((json_int_t)k->unit_id));
  return o;
}

int http_roles_parse_or_reply(struct http_req *req, const struct jspec_strings *names,
                              const char *field, role_set *out) {
  role_set set = 0;
  for (size_t i = 0; i < names->n; i++) {
    enum role r;
    if (role_parse(names->items[i], &r) != 0) {
      http_reply_error(req, ERR_INVALID_FIELD, field,
                       arena_printf(req->arena, "Unknown role \"%.32s\"; roles are call_taker, "
                                    "dispatcher, supervisor, oversight, records, analyst, "
                                    "commander, admin.", names->items[i]));
      return -1;
    }
    if (!(r & ROLES_PERSON)) {
      http_reply_error(req, ERR_INVALID_FIELD, field,
                       arena_printf(req->arena, "\"%s\" is an integration role; it belongs to "
                                    "API keys, not people.", names->items[i]));
      return -1;
    }
    set |= r;
  }
  *out = set;
  return 0;
}

int http_query_cursor(struct http_req *req, int64_t *out) {
  const char *text = http_query(req, "cursor");
  char *end;
  *out = 0;
  if (!text || !*text) return 0;
  errno = 0;
  long long v = strtoll(text, &end, 10);
  if (errno || *end || v < 1) {
    http_reply_error(req, ERR_INVALID_FIELD, "cursor", "Pass back the next_cursor of the previous page.");
    return -1;
  }
  *out = v;
  return 0;
}

const struct account_policy *http_account_policy(const struct http_req *req) {
  static const struct account_policy defaults = ACCOUNT_POLICY_DEFAULT;
  if (req->app && req->app->cfg && req->app->cfg->policy) return req->app->cfg->policy;
  return &defaults;
}

const char *http_session_cookie(struct http_req *req, const char *token) {
  const struct account_policy *p = http_account_policy(req);
  /* The cookie lives no longer than the session can; the server decides the rest. */
  return arena_printf(req->arena, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld%s",
                      HTTP_SESSION_COOKIE, token, (long long)(p->session_max_ms / 1000),
                      req->app->cfg->cookie_secure ? "; Secure" : "");
}

const char *http_session_cookie_clear(struct http_req *req) {
  return arena_printf(req->arena, "%s=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0%s",
                      HTTP_SESSION_COOKIE, req->app->cfg->cookie_secure ? "; Secure" : "");
}
