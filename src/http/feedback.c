/* feedback.c — what every 197 handler shares (feedback.h, feedback_desk.h): the rules
 * in force, the JSON of contacts, timeline lines and commendations, the one way a
 * contact is created (desk, public form and Open311 alike) and the one way a step of
 * its workflow is recorded.
 *
 * As in emergency.c, a record's JSON has a fixed shape: a field without a value is
 * null, never missing. Times are RFC 3339; enumerations go out by their wire names,
 * with Persian labels where a citizen reads them.
 *
 * A step is three things written together in the caller's transaction: the timeline
 * line (what the desk and, for replies, the citizen read), the audit row (who did it,
 * from where) and the live event. Events carry no personal data — no citizen, no
 * text — because every desk console and every supervisor receives them; a console
 * that wants the contact reads it, and that read is audited.
 */
#include "http/feedback.h"

#include <string.h>

#include "core/feedback_classify.h"
#include "core/incident.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/feedback_desk.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

/* Draws of a tracking code before giving up: with 10^11 codes a second collision
 * means the random source is broken, not bad luck. */
#define CODE_DRAWS 4

/* Constant, unlike the 110 centre's defaults (computed by core), so no once-guard. */
static const struct feedback_config defaults = {
    .deadline_days = 10, .public_per_min = 3, .track_per_min = 20, .text_max = 8000};

struct feedback_config feedback_config_default(void) { return defaults; }

const struct feedback_config *http_feedback_config(const struct http_req *req) {
  return req->app && req->app->fb ? req->app->fb : &defaults;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *string_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *json_feedback_number(const struct feedback *f, bool latin) {
  char text[INCIDENT_NUMBER_SIZE];
  if (incident_number_format(f->year, f->seq, latin, text, sizeof text) != 0) return json_null();
  return json_string(text);
}

static json_t *category_name(const char *code) {
  const struct fb_category *c = code ? fb_category_find(code) : NULL;
  return c ? json_string(c->name_fa) : json_null();
}

json_t *json_feedback(const struct feedback *f, int64_t now_ms, bool latin) {
  bool anonymous = !f->citizen_name && !f->citizen_phone && !f->citizen_national_id;
  json_t *citizen = anonymous ? json_null()
                              : json_pack("{s:o,s:o,s:o}", "name", string_or_null(f->citizen_name), "phone",
                                          string_or_null(f->citizen_phone), "national_id",
                                          string_or_null(f->citizen_national_id));
  json_t *subject = json_pack("{s:o,s:o,s:o,s:o,s:o}", "county", string_or_null(f->county), "station",
                              string_or_null(f->station), "unit", string_or_null(f->unit), "officer",
                              string_or_null(f->officer), "officer_name", string_or_null(f->officer_name));
  json_t *where = f->has_location ? json_pack("{s:f,s:f}", "lat", f->lat, "lon", f->lon) : json_null();
  json_t *suggestion = f->suggested_category
                           ? json_pack("{s:s?,s:s}", "kind", fb_kind_name(f->suggested_kind), "category",
                                       f->suggested_category)
                           : json_null();
  json_t *o = json_pack("{s:I,s:o,s:o,s:i,s:I,s:s?,s:s?,s:o,s:o,s:s?,s:o}", "id", (json_int_t)f->id, "number",
                        json_feedback_number(f, latin), "number_latin", json_feedback_number(f, true), "year", f->year, "seq",
                        (json_int_t)f->seq, "channel", fb_channel_name(f->channel), "kind",
                        fb_kind_name(f->kind), "category", string_or_null(f->category), "category_fa",
                        category_name(f->category), "status", fb_status_name(f->status), "outcome",
                        string_or_null(fb_outcome_name(f->outcome)));
  if (!o) {
    json_decref(citizen);
    json_decref(subject);
    json_decref(where);
    json_decref(suggestion);
    return NULL;
  }
  json_object_set_new(o, "citizen", citizen);
  json_object_set_new(o, "subject", subject);
  json_object_set_new(o, "text", json_string(f->text ? f->text : ""));
  json_object_set_new(o, "location", where);
  json_object_set_new(o, "address", string_or_null(f->address));
  json_object_set_new(o, "suggestion", suggestion);
  json_object_set_new(o, "classification_confirmed", json_boolean(f->classification_confirmed));
  json_object_set_new(o, "assigned_to", json_id(f->assigned_to));
  json_object_set_new(o, "overdue", json_boolean(fb_is_overdue(f, now_ms)));
  json_object_set_new(o, "received_at", http_time_json(f->received_ms));
  json_object_set_new(o, "due_at", http_time_json(f->due_ms));
  json_object_set_new(o, "assigned_at", http_time_json(f->assigned_ms));
  json_object_set_new(o, "answered_at", http_time_json(f->answered_ms));
  json_object_set_new(o, "closed_at", http_time_json(f->closed_ms));
  json_object_set_new(o, "updated_at", http_time_json(f->updated_ms));
  json_object_set_new(o, "created_by", json_id(f->created_by));
  return o;
}

json_t *json_feedback_public(const struct feedback *f) {
  const char *outcome_fa = fb_outcome_label_fa(f->outcome);
  json_t *o = json_pack("{s:o,s:o,s:s?,s:s?,s:o,s:o,s:s?,s:s?}", "number", json_feedback_number(f, true), "number_fa",
                        json_feedback_number(f, false), "kind", fb_kind_name(f->kind), "kind_fa", fb_kind_label_fa(f->kind),
                        "category", string_or_null(f->category), "category_fa", category_name(f->category),
                        "status", fb_status_name(f->status), "status_fa", fb_status_label_fa(f->status));
  if (!o) return NULL;
  json_object_set_new(o, "received_at", http_time_json(f->received_ms));
  json_object_set_new(o, "answered_at", http_time_json(f->answered_ms));
  json_object_set_new(o, "closed_at", http_time_json(f->closed_ms));
  json_object_set_new(o, "outcome", string_or_null(fb_outcome_name(f->outcome)));
  json_object_set_new(o, "outcome_fa", string_or_null(f->outcome != FB_OUTCOME_NONE ? outcome_fa : NULL));
  return o;
}

json_t *json_feedback_entry(const struct feedback_entry *e) {
  return json_pack("{s:I,s:I,s:o,s:o,s:s,s:s,s:b,s:s,s:o}", "id", (json_int_t)e->id, "feedback_id",
                   (json_int_t)e->feedback_id, "time", http_time_json(e->time_ms), "actor_id", json_id(e->actor_id),
                   "actor", e->actor ? e->actor : "", "kind", e->kind ? e->kind : "", "for_citizen", e->for_citizen,
                   "text", e->text ? e->text : "", "data", http_json_object(e->data));
}

json_t *json_commendation(const struct commendation *c) {
  json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)c->id, "citizen_name",
                        c->citizen_name ? c->citizen_name : "", "citizen_phone", string_or_null(c->citizen_phone),
                        "reason", c->reason ? c->reason : "", "deed_at", http_time_json(c->deed_ms), "county",
                        string_or_null(c->county), "proposed_by_unit", string_or_null(c->proposed_by_unit),
                        "proposed_by_station", string_or_null(c->proposed_by_station));
  if (!o) return NULL;
  json_object_set_new(o, "feedback_id", json_id(c->feedback_id));
  json_object_set_new(o, "created_at", http_time_json(c->created_ms));
  json_object_set_new(o, "created_by", json_id(c->created_by));
  return o;
}

json_t *json_fb_suggestion(const struct fb_suggestion *s) {
  json_t *reasons = json_array();
  for (size_t i = 0; s->found && i < s->nreasons; i++)
    json_array_append_new(reasons, json_pack("{s:s,s:s,s:i}", "term", s->reasons[i].term, "category",
                                              s->reasons[i].category, "weight", s->reasons[i].weight));
  return json_pack("{s:b,s:o,s:o,s:i,s:o}", "found", s->found, "kind",
                   s->found ? string_or_null(fb_kind_name(s->kind)) : json_null(), "category",
                   s->found ? string_or_null(s->category) : json_null(), "score", s->found ? s->score : 0, "reasons",
                   reasons);
}

/* ---- recording a step ---------------------------------------------------------------- */

/* Who a line names: the user, the integration's key, or the citizen on the form. */
static const char *actor_name(const struct http_req *req) {
  if (req->who.kind == PRINCIPAL_NONE || !req->who.name) return "citizen";
  return req->who.name;
}

const char *feedback_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "feedback:%lld", (long long)id);
}

enum store_rc feedback_record_line(struct http_req *req, struct store_tx *tx, const struct feedback *f,
                                   const char *kind, bool for_citizen, const char *text, json_t *data,
                                   struct feedback_entry *line) {
  struct feedback_entry e = {
      .feedback_id = f->id,
      .time_ms = clock_now_ms(),
      .actor_id = req->who.kind == PRINCIPAL_USER ? req->who.id : 0,
      .actor = actor_name(req),
      .kind = kind,
      .for_citizen = for_citizen,
      .text = text ? text : "",
      .data = http_json_text(req->arena, data, HTTP_JSON_STORED_FLAGS),
  };
  const char *action = arena_printf(req->arena, "feedback.%s", kind);
  const char *subject = feedback_subject(req, f->id);
  if (!e.data || !action || !subject) return STORE_HARD;
  enum store_rc rc = store_of(tx)->fb.entry_append(tx, &e);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:o,s:s,s:b,s:O?}", "number", json_feedback_number(f, true), "text", e.text, "for_citizen",
                             for_citizen, "data", data);
  json_t *payload = json_pack("{s:I,s:o,s:s?,s:s?,s:b,s:o}", "id", (json_int_t)f->id, "number", json_feedback_number(f, true),
                              "kind", fb_kind_name(f->kind), "status", fb_status_name(f->status), "overdue",
                              fb_is_overdue(f, e.time_ms), "assigned_to", json_id(f->assigned_to));
  const char *type = strcmp(kind, "received") == 0 ? "feedback.created" : "feedback.updated";
  rc = http_audit_and_event(req, tx, action, subject, detail, type, payload, ROLES_FEEDBACK);
  if (rc == STORE_OK && line) *line = e;
  return rc;
}

enum store_rc feedback_record(struct http_req *req, struct store_tx *tx, const struct feedback *f,
                              const char *kind, bool for_citizen, const char *text, json_t *data) {
  return feedback_record_line(req, tx, f, kind, for_citizen, text, data, NULL);
}

/* ---- creating a contact --------------------------------------------------------------- */

enum store_rc feedback_create(struct http_req *req, struct store_tx *tx, struct feedback *f,
                              char code_out[FB_CODE_DIGITS + 1]) {
  struct store_feedback *fb = &store_of(tx)->fb;
  int64_t now = clock_now_ms();
  struct loc_jdate today;
  struct fb_suggestion s;
  if (loc_from_utc_ms(now, &today) != 0) return STORE_HARD;
  fb_classify(f->text, &s);
  f->year = today.year;
  f->suggested_kind = s.found ? s.kind : FB_ENQUIRY;
  f->suggested_category = s.found ? s.category : NULL;
  f->status = FB_RECEIVED;
  f->outcome = FB_OUTCOME_NONE;
  f->assigned_to = 0;
  f->received_ms = f->updated_ms = now;
  f->due_ms = fb_due_ms(now, http_feedback_config(req)->deadline_days);
  f->assigned_ms = f->answered_ms = f->closed_ms = 0;
  enum store_rc rc = fb->next_seq(tx, f->year, &f->seq);
  int draws = 0;
  while (rc == STORE_OK) {
    fb_code_new(code_out);
    fb_code_hash(code_out, f->code_hash);
    rc = fb->insert(tx, f);
    if (rc != STORE_CONFLICT) break;
    log_msg(LOG_WARN, "http.feedback", "a tracking code was drawn twice; drawing again");
    rc = ++draws < CODE_DRAWS ? STORE_OK : STORE_HARD;
  }
  json_t *data = json_pack("{s:s?,s:s?,s:o}", "channel", fb_channel_name(f->channel), "kind", fb_kind_name(f->kind),
                           "category", string_or_null(f->category));
  if (rc == STORE_OK) rc = data ? feedback_record(req, tx, f, "received", false, "", data) : STORE_HARD;
  json_decref(data);
  return rc;
}

/* ---- what the desk's files share (feedback_desk.h) ----------------------------------- */

bool feedback_visible(const struct http_req *req, const struct feedback *f) {
  if (req->who.roles & ROLE_OVERSIGHT) return true;
  return req->who.kind == PRINCIPAL_USER && f->assigned_to != 0 && f->assigned_to == req->who.id;
}

enum store_rc feedback_load(struct http_req *req, struct store_tx *tx, int64_t id, struct feedback *f) {
  enum store_rc rc = store_of(tx)->fb.by_id(tx, id, req->arena, f);
  if (rc == STORE_OK && !feedback_visible(req, f)) rc = STORE_NOT_FOUND;
  return rc;
}

http_status_t feedback_with_id(struct http_req *req, store_tx_fn fn) {
  int64_t *id = arena_alloc(req->arena, sizeof *id);
  if (!id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, id) != 0) return http_last_status(req);
  req->ctx = id;
  return http_write(req, fn);
}

enum store_rc feedback_place_check(struct http_req *req, struct store_tx *tx, const char *county_field,
                                   const char *station_field, const char **county, const char **station, bool *ok) {
  *ok = true;
  enum store_rc rc = STORE_OK;
  if (*station) {
    struct station *stations;
    size_t n;
    const struct station *found = NULL;
    rc = store_of(tx)->em.station_list(tx, req->arena, &stations, &n);
    for (size_t i = 0; rc == STORE_OK && i < n && !found; i++)
      if (stations[i].code && strcmp(stations[i].code, *station) == 0) found = &stations[i];
    if (rc != STORE_OK) return rc;
    if (!found) {
      *ok = false;
      http_set_error(req, ERR_INVALID_FIELD, station_field,
                     "Unknown station code; GET /api/v1/places lists them.");
    } else if (*county && strcmp(*county, found->county) != 0) {
      *ok = false;
      http_set_error(req, ERR_INVALID_FIELD, county_field,
                     arena_printf(req->arena, "The station is in county %s; give that county or none.", found->county));
    } else {
      *county = found->county;
    }
  } else if (*county) {
    rc = emergency_county_known(tx, req->arena, *county, ok);
    if (rc == STORE_OK && !*ok)
      http_set_error(req, ERR_INVALID_FIELD, county_field,
                     "Unknown county code; GET /api/v1/places lists them.");
  }
  return rc;
}

/* A checked number (http_phone_number) as stored: an international '+' as 00. */
static const char *dialled(struct arena *a, const char *n) {
  return n && n[0] == '+' ? arena_printf(a, "00%s", n + 1) : n;
}

const char *feedback_phone_number(struct arena *a, const char *typed) {
  return dialled(a, http_phone_number(a, typed));
}

const char *feedback_phone_or_reply(struct http_req *req, const char *field, const char *typed) {
  const char *n = http_phone_number_or_reply(req, field, typed);
  const char *digits = dialled(req->arena, n);
  if (n && !digits) http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  return digits;
}

const char *feedback_officer_number(struct arena *a, const char *typed) {
  size_t cap = strlen(typed) + 1;
  char *latin = arena_alloc(a, cap);
  char *out = arena_alloc(a, cap);
  if (!latin || !out || loc_digits_to_latin(typed, latin, cap) < 0) return NULL;
  size_t n = 0;
  for (const char *p = latin; *p; p++) {
    if (*p >= '0' && *p <= '9') out[n++] = *p;
    else if (*p != ' ' && *p != '-') return NULL;
  }
  out[n] = '\0';
  return n >= 1 && n <= 20 ? out : NULL;
}
