/* accounts.h — what the account handlers (session.c, me.c, users.c, apikeys.c,
 * auth.c) share: the user object of the API, role lists, the session policy in force,
 * API keys as lists show them, and the session cookie. The CLI uses the same JSON for
 * the events it writes.
 *
 * Memory: the json_t values returned are new references owned by the caller (usually
 * handed straight to http_set_result or json_object_set_new).
 */
#ifndef HAMYAR_HTTP_ACCOUNTS_H
#define HAMYAR_HTTP_ACCOUNTS_H

#include <jansson.h>

#include "core/account.h"
#include "http/http.h"
#include "http/jspec.h"
#include "store/store.h"

/* The session cookie's name. */
#define HTTP_SESSION_COOKIE "hamyar_session"

/* {"id","username","display_name","roles":[...],"disabled","locked","totp_enabled",
 *  "latin_digits","created_at"}, as docs/api.md describes the user object. */
json_t *http_user_json(const struct user *u);

/* {"id","name","role","prefix","created_at","revoked_at"}, and "unit_id" for a key of
 * role unit: an API key as lists and events show it, never the key itself. */
json_t *http_apikey_json(const struct apikey *k);

/* ["call_taker", "admin", ...] in role order. */
json_t *http_roles_json(role_set roles);

/* An RFC 3339 string, or JSON null for 0 (never happened). */
json_t *http_time_json(int64_t ms);

/* Person roles from the names a client sent. On an unknown name or an integration
 * role, replies 400 invalid_field with `field` and returns -1. */
int http_roles_parse_or_reply(struct http_req *req, const struct jspec_strings *names,
                              const char *field, role_set *out);

/* ?cursor= of a paged list: the id the previous page ended at (0 when absent). Replies
 * 400 invalid_field and returns -1 when it is not a positive integer. */
int http_query_cursor(struct http_req *req, int64_t *out);

/* The session and lock-out limits the server runs with. */
const struct account_policy *http_account_policy(const struct http_req *req);

/* The log-in answer's Set-Cookie value for `token` (in the arena), and the one that
 * clears the cookie at log-out. */
const char *http_session_cookie(struct http_req *req, const char *token);
const char *http_session_cookie_clear(struct http_req *req);

#endif
