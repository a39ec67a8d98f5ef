/* incidents.c — /api/v1/incidents: incidents made from calls, their status, notes and
 * timeline.
 *
 * An incident is created from a call (POST /api/v1/incidents {"call_id"}) and takes
 * its type, priority, place and answer time; it is numbered by Jalali year
 * ("۱۴۰۴-۰۰۰۱۲۳") with a sequence the store hands out inside the transaction, so a
 * rolled-back creation leaves no gap.
 *
 * Status moves go through incident_apply_status (core/incident.h): an illegal move is
 * 409, closing needs a disposition. Into "dispatched" only an assignment moves an
 * incident (assignments.c), so that a dispatched incident always has a unit; a move
 * to cleared or back to pending frees the units still on it.
 *
 * GET /api/v1/incidents/{id} shows the incident with its calls, the units on it now
 * (units.h shows them as GET /api/v1/units does) and its timeline.
 *
 * Every change appends a timeline line (incident_record), which is also its audit
 * row and its live event. Notes are lines too: appended, never edited. Reads are
 * audited, one row per request.
 */
#include <string.h>

#include "core/incident.h"
#include "core/incident_type.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "http/units.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200
/* an incident's calls shown with it: more than even a flood brings to one incident */
#define CALLS_SHOWN 1000

static const char *incident_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "incident:%lld", (long long)id);
}

/* Reads incident `id`; an unknown one is STORE_NOT_FOUND, which http_write answers 404. */
static enum store_rc load(struct http_req *req, struct store_tx *tx, int64_t id, struct incident *inc) {
  return store_of(tx)->em.incident_by_id(tx, id, req->arena, inc);
}

/* ---- POST /api/v1/incidents ------------------------------------------------------------ */

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const int64_t *call_id = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct call c;
  enum store_rc rc = em->call_by_id(tx, *call_id, req->arena, &c);
  if (rc == STORE_NOT_FOUND) {
    http_set_error(req, ERR_NOT_FOUND, "call_id", "No call has this id.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  if (c.incident_id) {
    http_set_error(req, ERR_CONFLICT, "call_id",
                   arena_printf(req->arena, "The call already belongs to incident %lld.", (long long)c.incident_id));
    return STORE_OK;
  }
  int64_t now = clock_now_ms();
  struct loc_jdate today;
  if (loc_from_utc_ms(now, &today) != 0) return STORE_HARD;
  struct incident inc = {
      .year = today.year,
      .type = c.type,
      .priority = c.priority,
      .status = INC_PENDING,
      .county = c.county,
      .has_location = c.has_location,
      .lat = c.lat,
      .lon = c.lon,
      .address = c.address,
      .call_count = 1,
      .first_call_id = c.id,
      .created_ms = now,
      .answer_ms = c.answer_ms,
      .updated_ms = now,
  };
  rc = em->incident_next_seq(tx, inc.year, &inc.seq);
  if (rc == STORE_OK) rc = em->incident_insert(tx, &inc);
  if (rc == STORE_OK) rc = em->call_set_incident(tx, c.id, inc.id);
  json_t *data = json_pack("{s:I}", "call_id", (json_int_t)c.id);
  if (rc == STORE_OK) rc = incident_record(req, tx, &inc, "created", "ثبت رویداد از تماس", data);
  json_decref(data);
  if (rc == STORE_OK) http_set_result(req, 201, json_incident(&inc, req->who.latin_digits));
  return rc;
}

http_status_t incidents_create(struct http_req *req) {
  int64_t *call_id = arena_alloc(req->arena, sizeof *call_id);
  if (!call_id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  struct jspec spec[] = {
      JSPEC_INT("call_id", call_id, 1, INT64_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = call_id;
  return http_write(req, create_tx);
}

/* ---- GET /api/v1/incidents --------------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct incident_filter f = *(const struct incident_filter *)req->ctx;
  size_t limit = f.limit;
  bool known;
  enum store_rc crc = emergency_county_filter(req, tx, f.county, &known);
  if (crc != STORE_OK || !known) return crc;
  struct incident *incs;
  size_t n;
  f.limit = limit + 1; /* one more than asked tells whether there is a next page */
  enum store_rc rc = store_of(tx)->em.incident_list(tx, &f, req->arena, &incs, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, json_incident(&incs[i], req->who.latin_digits));
  json_t *detail = json_pack("{s:I,s:s?,s:s?,s:i,s:I,s:I,s:I}", "status_mask", (json_int_t)f.status_mask,
                             "county", f.county, "type", f.type, "priority", f.priority, "from_ms",
                             (json_int_t)f.from_ms, "to_ms", (json_int_t)f.to_ms, "before_id",
                             (json_int_t)f.before_id);
  rc = http_set_page(req, tx, items, more, n ? incs[n - 1].id : 0, "incident.list", detail);
  json_decref(detail);
  return rc;
}

static int status_index(const char *name, int *index) {
  enum incident_status s;
  int rc = incident_status_parse(name, &s);
  *index = (int)s;
  return rc;
}

/* ?status=pending,dispatched → a mask. Replies 400 and returns -1 on an unknown name. */
static int status_mask(struct http_req *req, unsigned *mask) {
  return http_query_mask(req, "status", status_index, "pending, dispatched, en_route, on_scene, cleared, closed", mask);
}

http_status_t incidents_list(struct http_req *req) {
  struct incident_filter *f = arena_alloc(req->arena, sizeof *f);
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *f = (struct incident_filter){0};
  int64_t limit, priority;
  if (http_query_int(req, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit) != 0 ||
      http_query_int(req, "priority", 1, 4, 0, &priority) != 0 || status_mask(req, &f->status_mask) != 0 ||
      http_query_time(req, "from", false, &f->from_ms) != 0 || http_query_time(req, "to", true, &f->to_ms) != 0 ||
      http_query_cursor(req, &f->before_id) != 0)
    return http_last_status(req);
  const char *county = http_query(req, "county"), *type = http_query(req, "type");
  if (type && *type) {
    if (!incident_type_find(type))
      return http_reply_error(req, ERR_INVALID_FIELD, "type", "Unknown incident type; GET /api/v1/incident-types lists them.");
    f->type = type;
  }
  if (county && *county) {
    if (!loc_utf8_valid(county, strlen(county))) return http_reply_error(req, ERR_INVALID_UTF8, "county", NULL);
    f->county = county;
  }
  f->priority = (int)priority;
  f->limit = (size_t)limit;
  req->ctx = f;
  return http_write(req, list_tx);
}

/* ---- GET /api/v1/incidents/{id} and its timeline ------------------------------------------ */

static json_t *timeline_json(const struct timeline_entry *lines, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_timeline_entry(&lines[i]));
  return a;
}

static enum store_rc get_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const int64_t *id = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct incident inc;
  struct call *calls;
  struct timeline_entry *lines;
  size_t ncalls, nlines;
  struct unit *units;
  size_t nunits;
  struct unit_view view;
  enum store_rc rc = load(req, tx, *id, &inc);
  if (rc != STORE_OK) return rc;
  struct call_filter f = {.incident_id = inc.id, .outcome = -1, .limit = CALLS_SHOWN};
  struct unit_filter uf = {.status = -1, .incident_id = inc.id};
  rc = em->call_list(tx, &f, req->arena, &calls, &ncalls);
  if (rc == STORE_OK) rc = em->timeline_list(tx, inc.id, req->arena, &lines, &nlines);
  if (rc == STORE_OK) rc = em->unit_list(tx, &uf, req->arena, &units, &nunits);
  if (rc == STORE_OK) rc = unit_view_load(req, tx, &view);
  if (rc == STORE_OK) rc = http_audit(req, tx, "incident.read", incident_subject(req, inc.id), NULL);
  if (rc != STORE_OK) return rc;
  json_t *call_items = json_array();
  for (size_t i = ncalls; i-- > 0;) json_array_append_new(call_items, json_call(&calls[i])); /* oldest first */
  json_t *unit_items = json_array();
  for (size_t i = 0; i < nunits; i++) json_array_append_new(unit_items, unit_view_json(&view, &units[i]));
  http_set_result(req, 200, json_pack("{s:o,s:o,s:o,s:o}", "incident", json_incident(&inc, req->who.latin_digits),
                                      "calls", call_items, "units", unit_items, "timeline",
                                      timeline_json(lines, nlines)));
  return STORE_OK;
}

static enum store_rc timeline_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const int64_t *id = req->ctx;
  struct incident inc;
  struct timeline_entry *lines;
  size_t n;
  enum store_rc rc = load(req, tx, *id, &inc);
  if (rc == STORE_OK) rc = store_of(tx)->em.timeline_list(tx, inc.id, req->arena, &lines, &n);
  if (rc == STORE_OK) rc = http_audit(req, tx, "incident.read_timeline", incident_subject(req, inc.id), NULL);
  if (rc == STORE_OK) http_set_result(req, 200, json_pack("{s:o}", "items", timeline_json(lines, n)));
  return rc;
}

static http_status_t with_id(struct http_req *req, store_tx_fn fn) {
  int64_t *id = arena_alloc(req->arena, sizeof *id);
  if (!id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, id) != 0) return http_last_status(req);
  req->ctx = id;
  return http_write(req, fn);
}

http_status_t incidents_get(struct http_req *req) { return with_id(req, get_tx); }
http_status_t incidents_timeline(struct http_req *req) { return with_id(req, timeline_tx); }

/* ---- POST /api/v1/incidents/{id}/status ------------------------------------------------- */

struct status_change {
  int64_t id;
  enum incident_status to;
  const char *disposition;
};

/* Cleared means the last unit left the scene, and back to pending means every unit was
 * recalled: a dispatcher who says so by hand (a unit without a device reports by
 * radio) frees the units still on the incident, each with its audit row and its
 * "unit.updated" event, so that no unit stays tied to an incident that has none.
 * Their ids go to *released (a JSON array). */
static enum store_rc release_units(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                                   json_t *released) {
  struct store_emergency *em = &store_of(tx)->em;
  struct unit_filter f = {.status = -1, .incident_id = inc->id};
  struct unit *units;
  size_t n;
  struct unit_view view;
  enum store_rc rc = em->unit_list(tx, &f, req->arena, &units, &n);
  if (rc == STORE_OK && n > 0) rc = unit_view_load(req, tx, &view);
  for (size_t i = 0; rc == STORE_OK && i < n; i++) {
    struct unit *u = &units[i];
    enum unit_status from = u->status;
    if (unit_apply_status(u, UNIT_AVAILABLE, view.now_ms) != 0) continue; /* not on it after all */
    rc = em->unit_update(tx, u);
    if (rc != STORE_OK) break;
    json_t *detail = json_pack("{s:s,s:s,s:I,s:s}", "from", unit_status_name(from), "to", "available", "incident_id",
                               (json_int_t)inc->id, "reason", incident_status_name(inc->status));
    rc = http_audit_and_event(req, tx, "unit.status", unit_subject(req, u->id), detail, "unit.updated",
                              json_pack("{s:o}", "unit", unit_view_json(&view, u)), ROLES_CENTRE);
    json_array_append_new(released, json_integer((json_int_t)u->id));
  }
  return rc;
}

static enum store_rc status_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct status_change *sc = req->ctx;
  struct incident inc;
  enum store_rc rc = load(req, tx, sc->id, &inc);
  if (rc != STORE_OK) return rc;
  enum incident_status from = inc.status;
  if (sc->to == INC_DISPATCHED && incident_can_move(from, sc->to)) {
    http_set_error(req, ERR_CONFLICT, "status",
                   "An incident is dispatched by assigning a unit: POST /api/v1/incidents/{id}/assignments.");
    return STORE_OK;
  }
  if (sc->to == INC_CLOSED) inc.disposition = sc->disposition;
  switch (incident_apply_status(&inc, sc->to, clock_now_ms())) {
    case INCIDENT_MOVE_OK:
      break;
    case INCIDENT_MOVE_NEEDS_DISPOSITION:
      http_set_error(req, ERR_INVALID_FIELD, "disposition", "Closing needs a known disposition code.");
      return STORE_OK;
    default:
      http_set_error(req, ERR_CONFLICT, "status",
                     arena_printf(req->arena, "An incident cannot move from %s to %s.", incident_status_name(from),
                                  incident_status_name(sc->to)));
      return STORE_OK;
  }
  rc = store_of(tx)->em.incident_update(tx, &inc);
  json_t *data = json_pack("{s:s,s:s,s:s?}", "from", incident_status_name(from), "to",
                           incident_status_name(inc.status), "disposition", sc->to == INC_CLOSED ? inc.disposition : NULL);
  if (rc == STORE_OK && (sc->to == INC_CLEARED || sc->to == INC_PENDING)) {
    json_t *released = json_array();
    rc = release_units(req, tx, &inc, released);
    if (json_array_size(released) > 0) json_object_set(data, "released_units", released);
    json_decref(released);
  }
  if (rc == STORE_OK) rc = incident_record(req, tx, &inc, "status", "تغییر وضعیت رویداد", data);
  json_decref(data);
  if (rc == STORE_OK) http_set_result(req, 200, json_incident(&inc, req->who.latin_digits));
  return rc;
}

http_status_t incidents_status(struct http_req *req) {
  struct status_change *sc = arena_alloc(req->arena, sizeof *sc);
  if (!sc) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *sc = (struct status_change){0};
  if (http_arg_id(req, 0, &sc->id) != 0) return http_last_status(req);
  const char *status;
  struct jspec spec[] = {
      JSPEC_STRING("status", &status, 1, 32),
      JSPEC_OPTIONAL(STRING, "disposition", &sc->disposition, 1, 64),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  if (incident_status_parse(status, &sc->to) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "status",
                            "must be one of: pending, dispatched, en_route, on_scene, cleared, closed");
  if (sc->to != INC_CLOSED && sc->disposition)
    return http_reply_error(req, ERR_INVALID_FIELD, "disposition", "is given only when closing an incident");
  if (sc->to == INC_CLOSED && !sc->disposition)
    return http_reply_error(req, ERR_MISSING_FIELD, "disposition",
                            "Closing needs a disposition; GET /api/v1/incident-types lists them.");
  if (sc->to == INC_CLOSED && !incident_disposition_valid(sc->disposition))
    return http_reply_error(req, ERR_INVALID_FIELD, "disposition",
                            "Unknown disposition; GET /api/v1/incident-types lists them.");
  req->ctx = sc;
  return http_write(req, status_tx);
}

/* ---- POST /api/v1/incidents/{id}/notes -------------------------------------------------- */

struct note {
  int64_t id;
  const char *text;
};

static enum store_rc note_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct note *n = req->ctx;
  struct incident inc;
  struct timeline_entry line;
  enum store_rc rc = load(req, tx, n->id, &inc);
  if (rc == STORE_OK) rc = incident_record_line(req, tx, &inc, "note", n->text, NULL, &line);
  if (rc == STORE_OK) http_set_result(req, 201, json_timeline_entry(&line));
  return rc;
}

http_status_t incidents_note(struct http_req *req) {
  struct note *n = arena_alloc(req->arena, sizeof *n);
  if (!n) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &n->id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_TEXT("text", &n->text, 1, 4000),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = n;
  return http_write(req, note_tx);
}
