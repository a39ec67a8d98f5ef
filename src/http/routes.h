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

#endif
