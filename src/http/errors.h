/* errors.h — the one registry of API error codes.
 *
 * Each code has its HTTP status and a default message (English, one sentence, saying
 * what to do). The console shows a Persian text for each code, keyed by the code
 * string, so codes are stable API: add new ones, never rename. Every error reply goes
 * through http_reply_error(), which takes its status from here.
 */
#ifndef HAMYAR_HTTP_ERRORS_H
#define HAMYAR_HTTP_ERRORS_H

#define HAMYAR_ERRORS(X)                                                                     \
  X(ERR_BAD_JSON, 400, "bad_json", "The body is not valid JSON; send one JSON object.")     \
  X(ERR_INVALID_UTF8, 400, "invalid_utf8", "Text must be valid UTF-8.")                       \
  X(ERR_MISSING_FIELD, 400, "missing_field", "A required field is missing.")                  \
  X(ERR_INVALID_FIELD, 400, "invalid_field", "A field has the wrong type or value.")          \
  X(ERR_UNKNOWN_FIELD, 400, "unknown_field", "The body has a field this endpoint does not take.") \
  X(ERR_BAD_REQUEST, 400, "bad_request", "The request is malformed.")                         \
  X(ERR_UNAUTHENTICATED, 401, "unauthenticated", "Log in first, then send the session token.") \
  X(ERR_SESSION_EXPIRED, 401, "session_expired", "The session has expired; log in again.")    \
  X(ERR_BAD_CREDENTIALS, 401, "bad_credentials", "Wrong username or password.")               \
  X(ERR_TOTP_REQUIRED, 401, "totp_required", "This account needs the 6-digit code from its authenticator app.") \
  X(ERR_TOTP_INVALID, 401, "totp_invalid", "The one-time code is wrong or too old.")           \
  X(ERR_ACCOUNT_LOCKED, 403, "account_locked", "The account is locked after repeated failed log-ins; ask an administrator to unlock it.") \
  X(ERR_ACCOUNT_DISABLED, 403, "account_disabled", "The account is disabled; ask an administrator.") \
  X(ERR_FORBIDDEN, 403, "forbidden", "Your role does not allow this.")                          \
  X(ERR_CSRF, 403, "csrf_failed", "Missing or wrong X-CSRF-Token header; reload the page and try again.") \
  X(ERR_NOT_FOUND, 404, "not_found", "No such record.")                                         \
  X(ERR_ROUTE_NOT_FOUND, 404, "route_not_found", "No such path in the hamyar API.")            \
  X(ERR_METHOD_NOT_ALLOWED, 405, "method_not_allowed", "This path does not take that method; see the Allow header.") \
  X(ERR_CONFLICT, 409, "conflict", "The request conflicts with the record's current state.")   \
  X(ERR_ALREADY_EXISTS, 409, "already_exists", "A record with that name already exists.")     \
  X(ERR_IDEMPOTENCY_MISMATCH, 409, "idempotency_mismatch", "This Idempotency-Key was used with a different request; use a new key.") \
  X(ERR_PAYLOAD_TOO_LARGE, 413, "payload_too_large", "The body is larger than this endpoint accepts.") \
  X(ERR_URI_TOO_LONG, 414, "uri_too_long", "The URL is too long.")                             \
  X(ERR_UNSUPPORTED_MEDIA, 415, "unsupported_media_type", "Send the body as application/json.") \
  X(ERR_RATE_LIMITED, 429, "rate_limited", "Too many requests; wait a minute and try again.")  \
  X(ERR_INTERNAL, 500, "internal", "Something failed inside hamyar; it has been logged with the request id.") \
  X(ERR_UNAVAILABLE, 503, "unavailable", "hamyar is shutting down or overloaded; retry shortly.")

enum err_code {
#define X(sym, status, code, msg) sym,
  HAMYAR_ERRORS(X)
#undef X
      ERR__COUNT
};

int err_status(enum err_code code);
const char *err_code_name(enum err_code code);
const char *err_default_message(enum err_code code);

#endif
