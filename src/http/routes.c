/* routes.c — every endpoint of hamyar, in one table: method, path pattern, the roles
 * allowed, flags, handler. The server does the shared checks from these entries
 * (http.h); docs/openapi.yaml describes the same routes and a test keeps them equal. */
#include "http/routes.h"

#define ADMIN ROLE_ADMIN
#define ANYONE ROLES_ALL
#define PEOPLE ROLES_PERSON
/* The 110 centre's calls and incidents (emergency.h has the audience of its events). */
#define PHONE_SYSTEM ROLE_TELEPHONY
#define CALL_TAKING (ROLE_CALL_TAKER | ROLE_SUPERVISOR)
#define CALL_FLOOR (ROLE_CALL_TAKER | ROLE_DISPATCHER | ROLE_SUPERVISOR)
#define CENTRE_READ (ROLE_CALL_TAKER | ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_COMMANDER | ROLE_ANALYST)
/* Units, dispatch and figures. CENTRE_LIVE is emergency.h's ROLES_CENTRE, spelt out
 * here so that the table reads on its own; a unit's device key (ROLE_UNIT) may move
 * only its own unit, which the handler checks. */
#define CENTRE_LIVE (ROLE_CALL_TAKER | ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_COMMANDER)
#define DISPATCHING (ROLE_DISPATCHER | ROLE_SUPERVISOR)
#define UNIT_MOVING (ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_UNIT)
#define FIGURES (ROLE_SUPERVISOR | ROLE_ANALYST | ROLE_COMMANDER)

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
    {"DELETE", "/api/v1/users/{id}/totp", ADMIN, 0, users_totp_reset},

    {"GET", "/api/v1/apikeys", ADMIN, 0, apikeys_list},
    /* Not HTTP_IDEMPOTENT: a stored answer for retries would keep the key at rest. */
    {"POST", "/api/v1/apikeys", ADMIN, HTTP_JSON_BODY, apikeys_create},
    {"DELETE", "/api/v1/apikeys/{id}", ADMIN, 0, apikeys_revoke},

    {"GET", "/api/v1/audit", ROLE_SUPERVISOR | ROLE_ADMIN, 0, audit_list},

    {"POST", "/api/v1/telephony/events", PHONE_SYSTEM, HTTP_JSON_BODY, telephony_event},
    {"GET", "/api/v1/telephony/calls", CALL_FLOOR, 0, telephony_queue},
    {"GET", "/api/v1/incident-types", PEOPLE, 0, incident_types_list},
    {"POST", "/api/v1/calls", CALL_TAKING, HTTP_JSON_BODY | HTTP_IDEMPOTENT, calls_create},
    {"GET", "/api/v1/calls", CENTRE_READ, 0, calls_list},
    {"GET", "/api/v1/calls/{id}", CENTRE_READ, 0, calls_get},
    {"POST", "/api/v1/calls/{id}/link", CALL_FLOOR, HTTP_JSON_BODY, calls_link},
    {"POST", "/api/v1/incidents", CALL_FLOOR, HTTP_JSON_BODY | HTTP_IDEMPOTENT, incidents_create},
    {"GET", "/api/v1/incidents", CENTRE_READ, 0, incidents_list},
    {"GET", "/api/v1/incidents/{id}", CENTRE_READ, 0, incidents_get},
    {"POST", "/api/v1/incidents/{id}/status", DISPATCHING, HTTP_JSON_BODY, incidents_status},
    {"POST", "/api/v1/incidents/{id}/notes", CALL_FLOOR, HTTP_JSON_BODY, incidents_note},
    {"GET", "/api/v1/incidents/{id}/timeline", CENTRE_READ, 0, incidents_timeline},

    {"GET", "/api/v1/places", PEOPLE, 0, places_get},
    {"GET", "/api/v1/units", CENTRE_LIVE, 0, units_list},
    {"PATCH", "/api/v1/units/{id}", UNIT_MOVING, HTTP_JSON_BODY, units_update},
    {"POST", "/api/v1/units/{id}/positions", UNIT_MOVING, HTTP_JSON_BODY, units_position},
    {"GET", "/api/v1/incidents/{id}/recommendations", DISPATCHING, 0, assignments_recommend},
    {"POST", "/api/v1/incidents/{id}/assignments", DISPATCHING, HTTP_JSON_BODY | HTTP_IDEMPOTENT, assignments_create},
    {"GET", "/api/v1/metrics/call-handling", FIGURES, 0, call_metrics_get},

    {NULL, NULL, 0, 0, NULL},
};
