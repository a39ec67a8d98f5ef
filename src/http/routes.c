/* routes.c — every endpoint of hamyar, in one table: method, path pattern, the roles
 * allowed, flags, handler. The server does the shared checks from these entries
 * (http.h); docs/openapi.yaml describes the same routes and a test keeps them equal. */
#include "http/routes.h"

#define ADMIN ROLE_ADMIN
#define ANYONE ROLES_ALL
#define PEOPLE ROLES_PERSON

const struct http_route http_routes[] = {
    {"GET", "/api/v1/health", 0, HTTP_PUBLIC, health_get},
    {"GET", "/api/v1/time", 0, HTTP_PUBLIC, time_get},
    {"GET", "/metrics", 0, HTTP_PUBLIC, metrics_get},
    {"GET", "/api/v1/events", ANYONE, HTTP_STREAM, events_stream},

    {"POST", "/api/v1/session", 0, HTTP_PUBLIC | HTTP_JSON_BODY, session_create},
    {"DELETE", "/api/v1/session", PEOPLE, 0, session_delete},

    {"GET", "/api/v1/me", PEOPLE, 0, me_get},
    {"PATCH", "/api/v1/me", PEOPLE, HTTP_JSON_BODY, me_update},
    {"POST", "/api/v1/me/password", PEOPLE, HTTP_JSON_BODY, me_password},
    {"POST", "/api/v1/me/totp", PEOPLE, 0, me_totp_begin},
    {"POST", "/api/v1/me/totp/confirm", PEOPLE, HTTP_JSON_BODY, me_totp_confirm},

    {"GET", "/api/v1/users", ADMIN, 0, users_list},
    {"POST", "/api/v1/users", ADMIN, HTTP_JSON_BODY | HTTP_IDEMPOTENT, users_create},
    {"GET", "/api/v1/users/{id}", ADMIN, 0, users_get},
    {"PATCH", "/api/v1/users/{id}", ADMIN, HTTP_JSON_BODY, users_update},
    {"POST", "/api/v1/users/{id}/password", ADMIN, HTTP_JSON_BODY, users_password},
    {"POST", "/api/v1/users/{id}/unlock", ADMIN, 0, users_unlock},

    {"GET", "/api/v1/apikeys", ADMIN, 0, apikeys_list},
    {"POST", "/api/v1/apikeys", ADMIN, HTTP_JSON_BODY | HTTP_IDEMPOTENT, apikeys_create},
    {"DELETE", "/api/v1/apikeys/{id}", ADMIN, 0, apikeys_revoke},

    {"GET", "/api/v1/audit", ROLE_SUPERVISOR | ROLE_ADMIN, 0, audit_list},

    {NULL, NULL, 0, 0, NULL},
};
