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
/* The 197 desk. A supervisor only sees contacts assigned to them (the handlers answer
 * 404 for others', so that their existence is not revealed). */
#define FEEDBACK_DESK (ROLE_OVERSIGHT | ROLE_SUPERVISOR)
#define FEEDBACK_FIGURES (ROLE_OVERSIGHT | ROLE_SUPERVISOR | ROLE_ANALYST | ROLE_COMMANDER)
#define COMMENDING (ROLE_OVERSIGHT | ROLE_RECORDS)

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

    /* The 197 desk (feedback*.c, commendations.c); literal paths before {id}. */
    {"GET", "/api/v1/feedback/categories", PEOPLE, 0, feedback_categories_list},
    {"POST", "/api/v1/feedback/classify", FEEDBACK_DESK, HTTP_JSON_BODY, feedback_classify_text},
    {"GET", "/api/v1/feedback/stats", FEEDBACK_FIGURES, 0, feedback_stats_get},
    {"GET", "/api/v1/feedback/assignees", ROLE_OVERSIGHT, 0, feedback_assignees},
    {"POST", "/api/v1/feedback", ROLE_OVERSIGHT, HTTP_JSON_BODY | HTTP_IDEMPOTENT, feedback_intake},
    {"GET", "/api/v1/feedback", FEEDBACK_DESK, 0, feedback_list},
    {"GET", "/api/v1/feedback/{id}", FEEDBACK_DESK, 0, feedback_get},
    {"PATCH", "/api/v1/feedback/{id}", ROLE_OVERSIGHT, HTTP_JSON_BODY, feedback_update},
    {"POST", "/api/v1/feedback/{id}/assign", ROLE_OVERSIGHT, HTTP_JSON_BODY, feedback_assign},
    {"POST", "/api/v1/feedback/{id}/status", FEEDBACK_DESK, HTTP_JSON_BODY, feedback_status},
    {"POST", "/api/v1/feedback/{id}/replies", FEEDBACK_DESK, HTTP_JSON_BODY, feedback_reply},
    {"GET", "/api/v1/feedback/{id}/timeline", FEEDBACK_DESK, 0, feedback_timeline},
    {"POST", "/api/v1/commendations", COMMENDING, HTTP_JSON_BODY | HTTP_IDEMPOTENT, commendations_create},
    {"GET", "/api/v1/commendations", COMMENDING | ROLE_SUPERVISOR | ROLE_ANALYST | ROLE_COMMANDER, 0, commendations_list},
    {"GET", "/api/v1/officers/{officer}/record", FEEDBACK_FIGURES, 0, officer_record_get},

    /* The desk's public face (feedback_public.c), no log-in. The form is not
     * HTTP_IDEMPOTENT: every anonymous caller is one principal, and a replayed answer
     * would give one citizen's tracking code to another. */
    {"GET", "/api/v1/public/categories", 0, HTTP_PUBLIC, public_categories_list},
    {"POST", "/api/v1/public/feedback", 0, HTTP_PUBLIC | HTTP_JSON_BODY, public_feedback_create},
    {"GET", "/api/v1/public/feedback/{code}", 0, HTTP_PUBLIC, public_feedback_track},

    /* Open311 GeoReport v2 (open311.c). ".json"/".xml" end the literal segment; a
     * {segment} keeps its extension, which the handler reads. POST requests checks
     * the form's api_key itself (role open311), so the route is public. */
    {"GET", "/open311/v2/discovery.json", 0, HTTP_PUBLIC, open311_discovery_json},
    {"GET", "/open311/v2/discovery.xml", 0, HTTP_PUBLIC, open311_discovery_xml},
    {"GET", "/open311/v2/services.json", 0, HTTP_PUBLIC, open311_services_json},
    {"GET", "/open311/v2/services.xml", 0, HTTP_PUBLIC, open311_services_xml},
    {"GET", "/open311/v2/services/{code}", 0, HTTP_PUBLIC, open311_service_get},
    {"POST", "/open311/v2/requests.json", 0, HTTP_PUBLIC | HTTP_RAW_BODY, open311_requests_create_json},
    {"POST", "/open311/v2/requests.xml", 0, HTTP_PUBLIC | HTTP_RAW_BODY, open311_requests_create_xml},
    {"GET", "/open311/v2/requests.json", 0, HTTP_PUBLIC, open311_requests_list_json},
    {"GET", "/open311/v2/requests.xml", 0, HTTP_PUBLIC, open311_requests_list_xml},
    {"GET", "/open311/v2/requests/{id}", 0, HTTP_PUBLIC, open311_request_get},
    {"GET", "/open311/v2/tokens/{token}", 0, HTTP_PUBLIC, open311_token_get},

    {NULL, NULL, 0, 0, NULL},
};
