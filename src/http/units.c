/* units.c — /api/v1/units: the patrol units, their status and their positions.
 *
 * GET lists units with their effective position (the last report while it is fresh,
 * else the home station's, flagged stale; core/dispatch.h). PATCH sets a unit's status
 * and POST .../positions reports where it is; both may come from a dispatcher or
 * supervisor, or from the unit's own device (an API key of role unit, bound to that
 * unit and refused for any other: 403).
 *
 * Status moves follow core/incident.h (unit_can_set): an illegal move is 409, and only
 * an assignment makes a unit "dispatched" (assignments.c). A unit on an incident
 * drives it: when it moves (en route, on scene, cleared by becoming available), the
 * incident takes the status its units imply (incident_status_from_units), and the
 * change is one timeline line, one audit row and ONE event, "incident.updated", that
 * carries the unit too. A unit not on an incident announces "unit.updated". Setting
 * the status a unit already has changes nothing and answers 200 (a device may resend).
 *
 * A position report may carry its time (RFC 3339, at most a minute ahead of the
 * server's clock); a report older than the unit's last one is kept in the history but
 * does not move the unit. Reports by a person are audited; a device's reports are
 * telemetry, kept in unit_positions, and not audited one by one.
 */
#include <string.h>

#include "core/geo.h"
#include "core/incident.h"
#include "http/emergency.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "http/units.h"
#include "util/arena.h"
#include "util/clock.h"

/* How far ahead of our clock a device's clock may run. */
#define FUTURE_SLACK_MS (60 * 1000LL)

/* Wire names, indexed by enum unit_status (the order of core/emergency.h). */
static const char *const status_names[] = {"available", "dispatched", "en_route", "on_scene", "busy", "out_of_service",
                                           NULL};
static const char *const status_fa[] = {"آماده", "اعزام‌شده", "در مسیر", "در محل", "مشغول", "خارج از خدمت"};

/* ---- shared with assignments.c (units.h) -------------------------------------------- */

enum store_rc unit_view_load(struct http_req *req, struct store_tx *tx, struct unit_view *v) {
  v->cfg = &http_emergency_config(req)->dispatch;
  v->now_ms = clock_now_ms();
  return store_of(tx)->em.station_list(tx, req->arena, &v->stations, &v->nstations);
}

json_t *unit_view_json(const struct unit_view *v, const struct unit *u) {
  const struct station *home = NULL;
  for (size_t i = 0; i < v->nstations && !home; i++)
    if (u->station && strcmp(v->stations[i].code, u->station) == 0) home = &v->stations[i];
  double lat = 0, lon = 0;
  bool stale = false;
  const char *source = NULL;
  if (dispatch_unit_position(u, home, v->now_ms, v->cfg, &lat, &lon, &stale, &source) != 0) source = NULL;
  return json_unit(u, lat, lon, source, stale);
}

const char *unit_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "unit:%lld", (long long)id);
}

int unit_caller_allowed_or_reply(struct http_req *req, int64_t unit_id) {
  if (!(req->who.roles & ROLE_UNIT) || (req->who.unit_id && req->who.unit_id == unit_id)) return 0;
  http_reply_error(req, ERR_FORBIDDEN, NULL,
                   arena_printf(req->arena, "This key acts for unit %lld only.", (long long)req->who.unit_id));
  return -1;
}

/* ---- GET /api/v1/units ----------------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct unit_filter *f = req->ctx;
  struct unit_view v;
  struct unit *units;
  size_t n;
  enum store_rc rc = unit_view_load(req, tx, &v);
  if (rc == STORE_OK) rc = store_of(tx)->em.unit_list(tx, f, req->arena, &units, &n);
  if (rc != STORE_OK) return rc;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, unit_view_json(&v, &units[i]));
  http_set_result(req, 200, json_pack("{s:o}", "items", items));
  return STORE_OK;
}

/* A place code filter (a-z, 0-9, '-', '_', '.'; as data/README.md makes them). */
static int code_query(struct http_req *req, const char *name, const char **out) {
  const char *v = http_query(req, name);
  *out = NULL;
  if (!v || !*v) return 0;
  size_t n = strlen(v);
  bool ok = n <= 64;
  for (size_t i = 0; i < n && ok; i++)
    ok = (v[i] >= 'a' && v[i] <= 'z') || (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '_' || v[i] == '.';
  if (!ok) {
    http_reply_error(req, ERR_INVALID_FIELD, name, "A code is 1 to 64 characters of a-z, 0-9, '-', '_' and '.'.");
    return -1;
  }
  *out = v;
  return 0;
}

http_status_t units_list(struct http_req *req) {
  struct unit_filter *f = arena_alloc(req->arena, sizeof *f);
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  f->status = -1;
  const char *status = http_query(req, "status");
  if (status && *status) {
    enum unit_status s;
    if (unit_status_parse(status, &s) != 0)
      return http_reply_error(req, ERR_INVALID_FIELD, "status",
                              "One of available, dispatched, en_route, on_scene, busy, out_of_service.");
    f->status = (int)s;
  }
  if (code_query(req, "station", &f->station) != 0 || code_query(req, "county", &f->county) != 0)
    return http_last_status(req);
  if (http_query_int(req, "incident_id", 1, INT64_MAX, 0, &f->incident_id) != 0) return http_last_status(req);
  req->ctx = f;
  return http_read(req, list_tx);
}

/* ---- PATCH /api/v1/units/{id} ------------------------------------------------------------ */

struct move {
  int64_t id;
  enum unit_status to;
};

/* The incident a moving unit is on takes the status its units now imply; one line,
 * one audit row, one event (carrying the unit). */
static enum store_rc incident_follows(struct http_req *req, struct store_tx *tx, int64_t incident_id,
                                      const struct unit *u, enum unit_status from, json_t *unit_json) {
  struct store_emergency *em = &store_of(tx)->em;
  struct incident inc;
  struct unit *on;
  size_t n;
  struct unit_filter f = {.status = -1, .incident_id = incident_id};
  enum store_rc rc = em->incident_by_id(tx, incident_id, req->arena, &inc);
  if (rc == STORE_OK) rc = em->unit_list(tx, &f, req->arena, &on, &n);
  if (rc != STORE_OK) return rc;
  /* Those still on it (this unit among them, in its new status, unless it left), and
   * this unit as it leaves: core counts a unit that just left as available. */
  enum unit_status *st = arena_alloc(req->arena, (n + 1) * sizeof *st);
  if (!st) return STORE_HARD;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) st[k++] = on[i].status;
  if (u->incident_id != incident_id) st[k++] = u->status;
  enum incident_status before = inc.status;
  enum incident_status after = incident_status_from_units(before, st, k);
  int64_t now = clock_now_ms();
  if (after != before && incident_apply_status(&inc, after, now) != INCIDENT_MOVE_OK) return STORE_HARD;
  inc.updated_ms = now;
  rc = em->incident_update(tx, &inc);
  json_t *data = json_pack("{s:I,s:s,s:s,s:s}", "unit_id", (json_int_t)u->id, "unit", u->code, "unit_from",
                           unit_status_name(from), "unit_to", unit_status_name(u->status));
  if (data && after != before) {
    json_object_set_new(data, "from", json_string(incident_status_name(before)));
    json_object_set_new(data, "to", json_string(incident_status_name(after)));
  }
  json_t *also = json_pack("{s:O}", "unit", unit_json);
  const char *text = arena_printf(req->arena, "واحد %s: %s", u->call_sign_fa ? u->call_sign_fa : u->code,
                                  status_fa[u->status]);
  if (!data || !also || !text) rc = STORE_HARD;
  if (rc == STORE_OK)
    rc = incident_record_with(req, tx, &inc, after != before ? "status" : "unit_status", text, data, also, NULL);
  json_decref(data);
  json_decref(also);
  return rc;
}

static enum store_rc move_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct move *m = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct unit u;
  struct unit_view v;
  enum store_rc rc = em->unit_by_id(tx, m->id, req->arena, &u);
  if (rc == STORE_OK) rc = unit_view_load(req, tx, &v);
  if (rc != STORE_OK) return rc;
  enum unit_status from = u.status;
  if (from == m->to) {
    http_set_result(req, 200, unit_view_json(&v, &u));
    return STORE_OK;
  }
  if (!unit_can_set(from, m->to)) {
    const char *why = m->to == UNIT_DISPATCHED
                          ? "; a unit is dispatched by assigning it: POST /api/v1/incidents/{id}/assignments"
                      : unit_status_assigned(from) ? "; a unit on an incident becomes available (clears) first"
                                                   : "";
    http_set_error(req, ERR_CONFLICT, "status",
                   arena_printf(req->arena, "A unit cannot move from %s to %s%s.", unit_status_name(from),
                                unit_status_name(m->to), why));
    return STORE_OK;
  }
  int64_t incident_id = u.incident_id;
  if (unit_apply_status(&u, m->to, v.now_ms) != 0) return STORE_HARD; /* unit_can_set said yes */
  rc = em->unit_update(tx, &u);
  const char *subject = unit_subject(req, u.id);
  json_t *detail = json_pack("{s:s,s:s,s:o}", "from", unit_status_name(from), "to", unit_status_name(u.status),
                             "incident_id", json_id(incident_id));
  json_t *shown = unit_view_json(&v, &u);
  if (rc == STORE_OK) rc = http_audit(req, tx, "unit.status", subject, detail);
  if (rc == STORE_OK && incident_id) rc = incident_follows(req, tx, incident_id, &u, from, shown);
  else if (rc == STORE_OK) {
    json_t *payload = json_pack("{s:O}", "unit", shown);
    rc = http_event(req, tx, "unit.updated", subject, payload, ROLES_CENTRE);
    json_decref(payload);
  }
  json_decref(detail);
  if (rc == STORE_OK) http_set_result(req, 200, shown);
  else json_decref(shown);
  return rc;
}

http_status_t units_update(struct http_req *req) {
  struct move *m = arena_alloc(req->arena, sizeof *m);
  if (!m) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &m->id) != 0) return http_last_status(req);
  if (unit_caller_allowed_or_reply(req, m->id) != 0) return http_last_status(req);
  int to = 0;
  struct jspec spec[] = {
      JSPEC_ENUM("status", &to, status_names),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  m->to = (enum unit_status)to;
  req->ctx = m;
  return http_write(req, move_tx);
}

/* ---- POST /api/v1/units/{id}/positions --------------------------------------------------- */

struct report {
  int64_t id;
  double lat, lon;
  int64_t time_ms;
};

static enum store_rc position_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct report *r = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct unit u;
  struct unit_view v;
  enum store_rc rc = em->unit_by_id(tx, r->id, req->arena, &u);
  if (rc == STORE_OK) rc = em->unit_position_add(tx, u.id, r->lat, r->lon, r->time_ms);
  if (rc != STORE_OK) return rc;
  /* A report that arrives late tells where the unit was, not where it is. */
  bool moved = !u.has_position || r->time_ms >= u.position_ms;
  if (moved) {
    u.has_position = true;
    u.lat = r->lat;
    u.lon = r->lon;
    u.position_ms = r->time_ms;
    rc = em->unit_update(tx, &u);
  }
  if (rc == STORE_OK) rc = unit_view_load(req, tx, &v);
  if (rc != STORE_OK) return rc;
  json_t *shown = unit_view_json(&v, &u);
  const char *subject = unit_subject(req, u.id);
  if (moved) {
    json_t *payload = json_pack("{s:O}", "unit", shown);
    rc = http_event(req, tx, "unit.position", subject, payload, ROLES_CENTRE);
    json_decref(payload);
  }
  if (rc == STORE_OK && req->who.kind == PRINCIPAL_USER) {
    json_t *detail = json_pack("{s:f,s:f,s:I,s:b}", "lat", r->lat, "lon", r->lon, "time_ms", (json_int_t)r->time_ms,
                               "moved", moved);
    rc = http_audit(req, tx, "unit.position", subject, detail);
    json_decref(detail);
  }
  if (rc == STORE_OK) http_set_result(req, 201, json_pack("{s:o,s:b}", "unit", shown, "moved", moved));
  else json_decref(shown);
  return rc;
}

http_status_t units_position(struct http_req *req) {
  struct report *r = arena_alloc(req->arena, sizeof *r);
  if (!r) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &r->id) != 0) return http_last_status(req);
  if (unit_caller_allowed_or_reply(req, r->id) != 0) return http_last_status(req);
  const char *time = NULL;
  struct jspec spec[] = {
      JSPEC_DOUBLE("lat", &r->lat, -90.0, 90.0),
      JSPEC_DOUBLE("lon", &r->lon, -180.0, 180.0),
      JSPEC_OPTIONAL(STRING, "time", &time, 1, 40),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  if (!geo_valid(r->lat, r->lon)) return http_reply_error(req, ERR_INVALID_FIELD, "lat", "Not a WGS84 position.");
  int64_t now = clock_now_ms();
  r->time_ms = now;
  if (time && (clock_parse_rfc3339(time, &r->time_ms) != 0 || r->time_ms <= 0))
    return http_reply_error(req, ERR_INVALID_FIELD, "time", "Give the time as RFC 3339 (2025-10-01T08:30:00Z).");
  if (r->time_ms > now + FUTURE_SLACK_MS)
    return http_reply_error(req, ERR_INVALID_FIELD, "time",
                            "The time is more than a minute ahead of the server's clock; check the device's clock.");
  req->ctx = r;
  return http_write(req, position_tx);
}
