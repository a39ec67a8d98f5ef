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

#endif
