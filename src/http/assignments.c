/* assignments.c — sending units to an incident: the ranked recommendation
 * (GET /api/v1/incidents/{id}/recommendations) and the assignment itself
 * (POST /api/v1/incidents/{id}/assignments), for dispatchers and supervisors.
 *
 * The ranking is core's dispatch_recommend over the available units with the rules in
 * force (emergency_config: road factor, speeds, staleness, suitability); each answer
 * gives the unit, straight and road distance, the estimated time, where its position
 * came from and the reasons. An incident that can no longer take a unit (cleared,
 * closed) answers 409 for both.
 *
 * An assignment is one transaction and one event: the unit becomes dispatched to the
 * incident (unit_assign), a pending incident becomes dispatched (which records its
 * first dispatch time once), the timeline gets an "assigned" line with its audit row,
 * and the live event "incident.updated" carries the incident, the line and the unit.
 * A unit that is not available answers 409 conflict, saying what it is doing.
 */
#include <string.h>

#include "core/dispatch.h"
#include "core/incident.h"
#include "http/emergency.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "http/units.h"
#include "util/arena.h"
#include "util/clock.h"

#define RECS_DEFAULT 10

struct target {
  int64_t incident_id;
  int64_t unit_id; /* assignments */
  int64_t limit;   /* recommendations */
};

/* Reads the incident and answers 409 when it cannot take a unit. */
static enum store_rc assignable(struct http_req *req, struct store_tx *tx, int64_t id, struct incident *inc,
                                bool *ok) {
  enum store_rc rc = store_of(tx)->em.incident_by_id(tx, id, req->arena, inc);
  *ok = rc == STORE_OK && incident_can_assign(inc->status);
  if (rc == STORE_OK && !*ok)
    http_set_error(req, ERR_CONFLICT, NULL,
                   arena_printf(req->arena, "The incident is %s; units go only to open incidents.",
                                incident_status_name(inc->status)));
  return rc;
}

/* ---- GET /api/v1/incidents/{id}/recommendations ----------------------------------------- */

static json_t *rec_json(const struct dispatch_rec *r) {
  const char *names[DISPATCH_REASON__COUNT];
  size_t n = dispatch_reason_names(r, names);
  json_t *reasons = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(reasons, json_string(names[i]));
  /* The unit as ranked: with the position the ranking used. */
  json_t *unit = json_unit(r->unit, r->lat, r->lon, r->position_source, r->stale);
  bool located = r->eta_s >= 0;
  return json_pack("{s:o,s:o,s:o,s:o,s:s,s:b,s:o}", "unit", unit, "straight_m",
                   located ? json_real(r->straight_m) : json_null(), "road_m", located ? json_real(r->road_m) : json_null(),
                   "eta_s", located ? json_integer((json_int_t)r->eta_s) : json_null(), "position_source",
                   r->position_source ? r->position_source : "station", "stale", r->stale, "reasons", reasons);
}

static enum store_rc recommend_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct target *t = req->ctx;
  struct incident inc;
  bool ok;
  enum store_rc rc = assignable(req, tx, t->incident_id, &inc, &ok);
  if (rc != STORE_OK || !ok) return rc;
  struct unit_view v;
  struct unit *units;
  size_t n;
  struct unit_filter f = {.status = UNIT_AVAILABLE};
  rc = unit_view_load(req, tx, &v);
  if (rc == STORE_OK) rc = store_of(tx)->em.unit_list(tx, &f, req->arena, &units, &n);
  if (rc != STORE_OK) return rc;
  struct dispatch_rec *recs = arena_alloc(req->arena, (size_t)t->limit * sizeof *recs);
  if (!recs) return STORE_HARD;
  size_t got = dispatch_recommend(&inc, units, n, v.stations, v.nstations, v.now_ms, v.cfg, recs, (size_t)t->limit);
  json_t *items = json_array();
  for (size_t i = 0; i < got; i++) json_array_append_new(items, rec_json(&recs[i]));
  http_set_result(req, 200, json_pack("{s:I,s:b,s:o}", "incident_id", (json_int_t)inc.id, "located",
                                      inc.has_location, "items", items));
  return STORE_OK;
}

http_status_t assignments_recommend(struct http_req *req) {
  struct target *t = arena_alloc(req->arena, sizeof *t);
  if (!t) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &t->incident_id) != 0) return http_last_status(req);
  if (http_query_int(req, "limit", 1, DISPATCH_MAX_RECS, RECS_DEFAULT, &t->limit) != 0) return http_last_status(req);
  req->ctx = t;
  return http_read(req, recommend_tx);
}

/* ---- POST /api/v1/incidents/{id}/assignments --------------------------------------------- */

static enum store_rc assign_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct target *t = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct incident inc;
  struct unit u;
  bool ok;
  enum store_rc rc = assignable(req, tx, t->incident_id, &inc, &ok);
  if (rc != STORE_OK || !ok) return rc;
  rc = em->unit_by_id(tx, t->unit_id, req->arena, &u);
  if (rc == STORE_NOT_FOUND) {
    http_set_error(req, ERR_NOT_FOUND, "unit_id", "No unit has this id.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  int64_t now = clock_now_ms();
  enum unit_status was = u.status;
  if (unit_assign(&u, inc.id, now) != 0) {
    const char *on = u.incident_id ? arena_printf(req->arena, " (on incident %lld)", (long long)u.incident_id) : "";
    http_set_error(req, ERR_CONFLICT, "unit_id",
                   arena_printf(req->arena, "unit_not_available: the unit is %s%s; choose an available unit.",
                                unit_status_name(was), on));
    return STORE_OK;
  }
  enum incident_status before = inc.status;
  /* A pending incident becomes dispatched; one already worked on gains a unit. */
  if (before == INC_PENDING && incident_apply_status(&inc, INC_DISPATCHED, now) != INCIDENT_MOVE_OK) return STORE_HARD;
  inc.updated_ms = now;
  rc = em->unit_update(tx, &u);
  if (rc == STORE_OK) rc = em->incident_update(tx, &inc);
  struct unit_view v;
  if (rc == STORE_OK) rc = unit_view_load(req, tx, &v);
  if (rc != STORE_OK) return rc;
  json_t *shown = unit_view_json(&v, &u);
  json_t *data = json_pack("{s:I,s:s,s:s?,s:s,s:s}", "unit_id", (json_int_t)u.id, "unit", u.code, "call_sign_fa",
                           u.call_sign_fa, "from", incident_status_name(before), "to",
                           incident_status_name(inc.status));
  json_t *also = json_pack("{s:O}", "unit", shown);
  const char *text = arena_printf(req->arena, "اعزام واحد %s", u.call_sign_fa ? u.call_sign_fa : u.code);
  rc = data && also && text ? incident_record_with(req, tx, &inc, "assigned", text, data, also, NULL) : STORE_HARD;
  json_decref(data);
  json_decref(also);
  if (rc == STORE_OK)
    http_set_result(req, 201, json_pack("{s:o,s:o}", "incident", json_incident(&inc, req->who.latin_digits), "unit",
                                        shown));
  else
    json_decref(shown);
  return rc;
}

http_status_t assignments_create(struct http_req *req) {
  struct target *t = arena_alloc(req->arena, sizeof *t);
  if (!t) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &t->incident_id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_INT("unit_id", &t->unit_id, 1, INT64_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = t;
  return http_write(req, assign_tx);
}
