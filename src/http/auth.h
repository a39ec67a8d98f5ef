/* auth.h — who is calling: the one authentication step of the dispatcher.
 *
 * The server calls http_authenticate() for every route that is not HTTP_PUBLIC,
 * after the body checks and before the role check (see the order in http.h). It is
 * implemented in auth.c, next to sessions and API keys, because it reads their records.
 */
#ifndef HAMYAR_HTTP_AUTH_H
#define HAMYAR_HTTP_AUTH_H

#include "http/http.h"

/* Reads `Authorization: Bearer <token>`, `Authorization: ApiKey <key>` or the
 * hamyar_session cookie. On success fills req->who (strings in req->arena) and
 * returns 0. Otherwise it has already answered (401, or 403 csrf_failed when a cookie
 * session sends an unsafe method without the right X-CSRF-Token) and returns -1. */
int http_authenticate(struct http_req *req);

/* For an API key that comes some other way than the Authorization header (Open311
 * clients send theirs as the form field api_key). Checks `key` as http_authenticate
 * checks an ApiKey credential and, in addition, that the key's role is in `roles`.
 * 0: valid, req->who is the key's principal (as for ApiKey). 1: malformed, unknown,
 * revoked or of another role; nothing answered, req->who unchanged. -1: the store
 * failed; nothing answered. The caller answers in its own format. */
int http_apikey_check(struct http_req *req, const char *key, role_set roles);

#endif
