/* routes.h — the handlers named in the route table (routes.c), one file per resource:
 *   health.c    GET /api/v1/health, GET /api/v1/time
 *   metrics.c   GET /metrics (Prometheus text)
 *   events.c    GET /api/v1/events (Server-Sent Events)
 *   session.c   POST|DELETE /api/v1/session
 *   me.c        /api/v1/me, its password and TOTP enrolment
 *   users.c     /api/v1/users (administration)
 *   apikeys.c   /api/v1/apikeys (integration keys)
 *   audit.c     GET /api/v1/audit
 *   telephony.c      POST /api/v1/telephony/events, GET /api/v1/telephony/calls
 *   incident_types.c GET /api/v1/incident-types
 *   calls.c          /api/v1/calls (call-taking, repeat candidates, linking)
 *   incidents.c      /api/v1/incidents (creation, status, notes, timeline)
 *   places.c         GET /api/v1/places (counties, stations, entry points for the map)
 *   units.c          /api/v1/units (status, positions)
 *   assignments.c    /api/v1/incidents/{id}/recommendations and .../assignments
 *   call_metrics.c   GET /api/v1/metrics/call-handling
 *   feedback_desk.c     /api/v1/feedback: the 197 desk's intake, inbox, contact, classification
 *   feedback_actions.c  /api/v1/feedback/assignees, /api/v1/feedback/{id}/assign, .../status,
 *                       .../replies (the workflow)
 *   feedback_stats.c    GET /api/v1/feedback/stats
 *   commendations.c     /api/v1/commendations, GET /api/v1/officers/{officer}/record
 *   feedback_public.c   /api/v1/public/...: the public form and tracking page
 *   open311.c           /open311/v2/...: Open311 GeoReport v2 (open311_xml.c: its formats)
 */
#ifndef HAMYAR_HTTP_ROUTES_H
#define HAMYAR_HTTP_ROUTES_H

#include "http/http.h"

http_status_t health_get(struct http_req *req);
http_status_t time_get(struct http_req *req);
http_status_t metrics_get(struct http_req *req);
http_status_t events_stream(struct http_req *req);

http_status_t session_create(struct http_req *req);
http_status_t session_delete(struct http_req *req);

http_status_t me_get(struct http_req *req);
http_status_t me_update(struct http_req *req);
http_status_t me_password(struct http_req *req);
http_status_t me_totp_begin(struct http_req *req);
http_status_t me_totp_confirm(struct http_req *req);

http_status_t users_list(struct http_req *req);
http_status_t users_create(struct http_req *req);
http_status_t users_get(struct http_req *req);
http_status_t users_update(struct http_req *req);
http_status_t users_password(struct http_req *req);
http_status_t users_unlock(struct http_req *req);
http_status_t users_totp_reset(struct http_req *req);

http_status_t apikeys_list(struct http_req *req);
http_status_t apikeys_create(struct http_req *req);
http_status_t apikeys_revoke(struct http_req *req);

http_status_t audit_list(struct http_req *req);

http_status_t telephony_event(struct http_req *req);
http_status_t telephony_queue(struct http_req *req);
http_status_t incident_types_list(struct http_req *req);
http_status_t calls_create(struct http_req *req);
http_status_t calls_list(struct http_req *req);
http_status_t calls_get(struct http_req *req);
http_status_t calls_link(struct http_req *req);
http_status_t incidents_create(struct http_req *req);
http_status_t incidents_list(struct http_req *req);
http_status_t incidents_get(struct http_req *req);
http_status_t incidents_status(struct http_req *req);
http_status_t incidents_note(struct http_req *req);
http_status_t incidents_timeline(struct http_req *req);

http_status_t places_get(struct http_req *req);
http_status_t units_list(struct http_req *req);
http_status_t units_update(struct http_req *req);
http_status_t units_position(struct http_req *req);
http_status_t assignments_recommend(struct http_req *req);
http_status_t assignments_create(struct http_req *req);
http_status_t call_metrics_get(struct http_req *req);

http_status_t feedback_categories_list(struct http_req *req);
http_status_t feedback_classify_text(struct http_req *req);
http_status_t feedback_stats_get(struct http_req *req);
http_status_t feedback_intake(struct http_req *req);
http_status_t feedback_list(struct http_req *req);
http_status_t feedback_get(struct http_req *req);
http_status_t feedback_update(struct http_req *req);
http_status_t feedback_assign(struct http_req *req);
http_status_t feedback_assignees(struct http_req *req);
http_status_t feedback_status(struct http_req *req);
http_status_t feedback_reply(struct http_req *req);
http_status_t feedback_timeline(struct http_req *req);
http_status_t commendations_create(struct http_req *req);
http_status_t commendations_list(struct http_req *req);
http_status_t officer_record_get(struct http_req *req);

/* feedback_public.c: the public form and tracking page (no log-in) */
http_status_t public_categories_list(struct http_req *req);
http_status_t public_feedback_create(struct http_req *req);
http_status_t public_feedback_track(struct http_req *req);

/* open311.c: Open311 GeoReport v2; one handler per format where the path is literal */
http_status_t open311_discovery_json(struct http_req *req);
http_status_t open311_discovery_xml(struct http_req *req);
http_status_t open311_services_json(struct http_req *req);
http_status_t open311_services_xml(struct http_req *req);
http_status_t open311_service_get(struct http_req *req);
http_status_t open311_requests_create_json(struct http_req *req);
http_status_t open311_requests_create_xml(struct http_req *req);
http_status_t open311_requests_list_json(struct http_req *req);
http_status_t open311_requests_list_xml(struct http_req *req);
http_status_t open311_request_get(struct http_req *req);
http_status_t open311_token_get(struct http_req *req);

#endif
