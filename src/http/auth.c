/* auth.c — who is calling: a session token (Bearer header or cookie) or an API key,
 * checked against the store and the session policy; CSRF for cookie sessions. See
 * auth.h.
 *
 * Order of the checks: `Authorization: Bearer TOKEN` → a session; `Authorization:
 * ApiKey KEY` → an API key; otherwise the hamyar_session cookie → a session. Unknown
 * or revoked credentials answer 401 unauthenticated (which of the two is not said); a
 * session past its idle or absolute limit is revoked and answers 401
 * session_expired; a disabled user's session is revoked and answers 403
 * account_disabled. A cookie session on an unsafe method must carry X-CSRF-Token
 * whose SHA-256 is the session's csrf_hash (403 csrf_failed); a Bearer or ApiKey
 * caller sent its credential deliberately, so no CSRF token is needed.
 * Returns 0 with req->who filled, or -1 after answering.
 *
 * What the store said of a credential is kept a moment (authcache.h) and the checks
 * run on that; a kept session that no longer passes them is read again before the
 * caller is turned away, so only what the store holds now ends a session.
 */
#include "http/auth.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

#include "http/accounts.h"
#include "http/authcache.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

/* Longer credentials are not ours; refuse them before hashing. */
#define CREDENTIAL_MAX 256

struct lookup {
  uint8_t hash[32];
  struct arena *arena;
  enum store_rc found; /* STORE_OK or STORE_NOT_FOUND */
  struct session se;
  struct user user;
  struct apikey key;
};

static enum store_rc read_session(void *cls, struct store_tx *tx) {
  struct lookup *l = cls;
  struct store *s = store_of(tx);
  enum store_rc rc = s->session_by_token(tx, l->hash, l->arena, &l->se);
  if (rc == STORE_OK) rc = s->user_by_id(tx, l->se.user_id, l->arena, &l->user);
  l->found = rc;
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

static enum store_rc read_apikey(void *cls, struct store_tx *tx) {
  struct lookup *l = cls;
  enum store_rc rc = store_of(tx)->apikey_by_hash(tx, l->hash, l->arena, &l->key);
  l->found = rc;
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* Ending a session the caller can no longer use, with its audit row. */
struct end {
  struct http_req *req;
  int64_t session_id;
  int64_t user_id;
  const char *reason; /* "idle", "absolute", "disabled" */
  int64_t now_ms;
};

static enum store_rc end_session_tx(void *cls, struct store_tx *tx) {
  struct end *e = cls;
  enum store_rc rc = store_of(tx)->session_revoke(tx, e->session_id, e->now_ms);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:s,s:I}", "reason", e->reason, "session", (json_int_t)e->session_id);
  rc = http_audit(e->req, tx, "session.end",
                  arena_printf(e->req->arena, "user:%lld", (long long)e->user_id), detail);
  json_decref(detail);
  return rc;
}

struct touch {
  int64_t session_id, now_ms;
};

static enum store_rc touch_tx(void *cls, struct store_tx *tx) {
  struct touch *t = cls;
  return store_of(tx)->session_touch(tx, t->session_id, t->now_ms);
}

static bool unsafe_method(const char *m) {
  return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* Answers and returns -1, as auth.h promises. */
static int reply(struct http_req *req, enum err_code code, const char *message) {
  http_reply_error(req, code, NULL, message);
  return -1;
}

/* The session for l->hash and its user, kept or (when !may_keep, or none is kept)
 * read from the store; 0, or -1 when the store failed. */
static int find_session(struct http_req *req, struct lookup *l, bool may_keep, bool *kept) {
  struct store *s = req->app->store;
  struct authcache *cache = req->app->authcache;
  uint64_t version = store_accounts_version(s); /* before the read: see authcache.h */
  *kept = may_keep && authcache_session(cache, l->hash, version, l->arena, &l->se, &l->user);
  if (*kept) {
    l->found = STORE_OK;
    return 0;
  }
  if (store_read(s, read_session, l) != STORE_OK) return -1;
  if (l->found == STORE_OK) authcache_keep_session(cache, l->hash, version, &l->se, &l->user);
  return 0;
}

static int authenticate_session(struct http_req *req, const char *token, bool via_cookie) {
  struct lookup l = {.arena = req->arena};
  if (!*token || strlen(token) > CREDENTIAL_MAX) return reply(req, ERR_UNAUTHENTICATED, NULL);
  account_token_hash(token, l.hash);
  const struct account_policy *policy = http_account_policy(req);
  int64_t now = clock_now_ms();
  bool kept;
  if (find_session(req, &l, true, &kept) != 0) return reply(req, ERR_INTERNAL, NULL);
  if (kept && account_session_check(policy, l.se.created_ms, l.se.last_seen_ms, now) != ACCOUNT_SESSION_VALID) {
    /* Kept a while ago: the session may have been used elsewhere since. */
    authcache_forget(req->app->authcache, l.hash);
    if (find_session(req, &l, false, &kept) != 0) return reply(req, ERR_INTERNAL, NULL);
  }
  if (l.found != STORE_OK || l.se.revoked_ms != 0) return reply(req, ERR_UNAUTHENTICATED, NULL);
  struct principal anonymous = req->who;
  req->who = (struct principal){
      .kind = PRINCIPAL_USER,
      .id = l.user.id,
      .name = l.user.username,
      .roles = l.user.roles,
      .session_id = l.se.id,
      .via_cookie = via_cookie,
      .latin_digits = l.user.latin_digits,
  };

  enum account_session_state state = account_session_check(policy, l.se.created_ms, l.se.last_seen_ms, now);
  if (state != ACCOUNT_SESSION_VALID || l.user.disabled) {
    struct end e = {.req = req, .session_id = l.se.id, .user_id = l.user.id, .now_ms = now};
    e.reason = l.user.disabled ? "disabled" : state == ACCOUNT_SESSION_IDLE_EXPIRED ? "idle" : "absolute";
    if (store_write(req->app->store, end_session_tx, &e) != STORE_OK)
      log_msg(LOG_ERROR, "auth.end_session", "could not revoke session %lld", (long long)l.se.id);
    req->who = anonymous;
    return reply(req, l.user.disabled ? ERR_ACCOUNT_DISABLED : ERR_SESSION_EXPIRED, NULL);
  }

  if (via_cookie && unsafe_method(req->method)) {
    const char *csrf = http_header(req, "X-CSRF-Token");
    uint8_t h[32];
    if (!csrf || strlen(csrf) > CREDENTIAL_MAX) {
      req->who = anonymous;
      return reply(req, ERR_CSRF, NULL);
    }
    account_token_hash(csrf, h);
    if (sodium_memcmp(h, l.se.csrf_hash, 32) != 0) {
      req->who = anonymous;
      return reply(req, ERR_CSRF, NULL);
    }
  }

  if (account_session_should_touch(policy, l.se.last_seen_ms, now)) {
    struct touch t = {.session_id = l.se.id, .now_ms = now};
    /* A lost touch only shortens the session a little; the request goes on. */
    if (store_write(req->app->store, touch_tx, &t) != STORE_OK)
      log_msg(LOG_WARN, "auth.touch", "could not record the use of session %lld", (long long)l.se.id);
  }
  return 0;
}

/* The one look-up of an API key, for both ways a key comes. 0 with req->who set; 1 for
 * a malformed, unknown or revoked key; 2 when the key was well formed but could not be
 * read (store failure, out of memory). Answers nothing. */
static int lookup_apikey(struct http_req *req, const char *key) {
  struct lookup l = {.arena = req->arena};
  if (!account_apikey_well_formed(key)) return 1;
  account_token_hash(key, l.hash);
  struct store *s = req->app->store;
  uint64_t version = store_accounts_version(s);
  if (authcache_apikey(req->app->authcache, l.hash, version, l.arena, &l.key)) {
    l.found = STORE_OK;
  } else {
    if (store_read(s, read_apikey, &l) != STORE_OK) return 2;
    if (l.found == STORE_OK) authcache_keep_apikey(req->app->authcache, l.hash, version, &l.key);
  }
  if (l.found != STORE_OK || l.key.revoked_ms != 0) return 1;
  const char *name = arena_printf(req->arena, "apikey:%s", l.key.name);
  if (!name) return 2;
  req->who = (struct principal){
      .kind = PRINCIPAL_APIKEY,
      .id = l.key.id,
      .name = name,
      .roles = l.key.role,
      .unit_id = l.key.unit_id,
  };
  return 0;
}

static int authenticate_apikey(struct http_req *req, const char *key) {
  if (!account_apikey_well_formed(key)) return reply(req, ERR_UNAUTHENTICATED, "That is not a hamyar API key.");
  int rc = lookup_apikey(req, key);
  if (rc == 1) return reply(req, ERR_UNAUTHENTICATED, "Unknown or revoked API key.");
  return rc == 0 ? 0 : reply(req, ERR_INTERNAL, NULL);
}

int http_apikey_check(struct http_req *req, const char *key, role_set roles) {
  struct principal before = req->who;
  int rc = lookup_apikey(req, key);
  if (rc == 0 && !role_allows(roles, req->who.roles)) {
    req->who = before;
    rc = 1;
  }
  return rc == 2 ? -1 : rc;
}

/* The credential after "Scheme " (scheme case-insensitive, RFC 7235), or NULL. */
static const char *after_scheme(const char *header, const char *scheme) {
  size_t n = strlen(scheme);
  if (strncasecmp(header, scheme, n) != 0 || header[n] != ' ') return NULL;
  const char *p = header + n;
  while (*p == ' ') p++;
  return p;
}

int http_authenticate(struct http_req *req) {
  const char *authz = http_header(req, "Authorization");
  if (authz) {
    const char *credential;
    if ((credential = after_scheme(authz, "Bearer"))) return authenticate_session(req, credential, false);
    if ((credential = after_scheme(authz, "ApiKey"))) return authenticate_apikey(req, credential);
    return reply(req, ERR_UNAUTHENTICATED, "Send `Authorization: Bearer TOKEN` or `Authorization: ApiKey KEY`.");
  }
  const char *cookie = http_cookie(req, HTTP_SESSION_COOKIE);
  if (cookie && *cookie) return authenticate_session(req, cookie, true);
  return reply(req, ERR_UNAUTHENTICATED, NULL);
}
