/* emergency.c — what the 110 centre's handlers share: the JSON of each record, the
 * rules in force, and incident_record; see emergency.h.
 *
 * Every record's JSON has a fixed shape: a field that has no value is null, never
 * missing, so the console can read any field without checking for it first. Times are
 * RFC 3339 (null for "not yet"); enumerations go out by their wire names.
 */
#include "http/emergency.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/incident.h"
#include "http/accounts.h"
#include "http/jspec.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jtext.h"

struct emergency_config emergency_config_default(void) {
  struct emergency_config c = {.repeat = REPEAT_CONFIG_DEFAULT, .dispatch = dispatch_config_default(),
                               .ring_timeout_ms = 120 * 1000};
  return c;
}

static struct emergency_config defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void defaults_init(void) { defaults = emergency_config_default(); }

const struct emergency_config *http_emergency_config(const struct http_req *req) {
  if (req->app && req->app->em) return req->app->em;
  pthread_once(&defaults_once, defaults_init);
  return &defaults;
}

json_t *json_id(int64_t id) { return id > 0 ? json_integer((json_int_t)id) : json_null(); }

static json_t *string_or_null(const char *s) { return s ? json_string(s) : json_null(); }

json_t *json_tcall(const struct telephony_call *t) {
  json_t *where = t->has_location
                      ? json_pack("{s:f,s:f,s:f,s:o}", "lat", t->lat, "lon", t->lon, "uncertainty_m",
                                  t->uncertainty_m, "source", string_or_null(t->location_source))
                      : json_null();
  return json_pack("{s:I,s:s,s:o,s:o,s:s?,s:o,s:o,s:o,s:o}", "id", (json_int_t)t->id,
                   "telephony_call_id", t->ext_id ? t->ext_id : "", "ani", string_or_null(t->ani),
                   "location", where, "state", tcall_state_name(t->state), "ring_at",
                   http_time_json(t->ring_ms), "answer_at", http_time_json(t->answer_ms), "end_at",
                   http_time_json(t->end_ms), "call_id", json_id(t->call_id));
}

/* The call's members after its id, added to o (released on failure). */
static json_t *call_members(json_t *o, const struct call *c) {
  if (!o) return NULL;
  json_t *where = c->has_location ? json_pack("{s:f,s:f,s:f}", "lat", c->lat, "lon", c->lon,
                                              "uncertainty_m", c->uncertainty_m)
                                  : json_null();
  int bad = json_object_set_new(o, "telephony_call_id", string_or_null(c->telephony_call_id));
  bad |= json_object_set_new(o, "caller_number", string_or_null(c->caller_number));
  bad |= json_object_set_new(o, "caller_name", string_or_null(c->caller_name));
  bad |= json_object_set_new(o, "location", where);
  bad |= json_object_set_new(o, "address", string_or_null(c->address));
  bad |= json_object_set_new(o, "county", string_or_null(c->county));
  bad |= json_object_set_new(o, "type", string_or_null(c->type));
  bad |= json_object_set_new(o, "priority", json_integer(c->priority));
  bad |= json_object_set_new(o, "narrative", string_or_null(c->narrative));
  bad |= json_object_set_new(o, "outcome", string_or_null(call_outcome_name(c->outcome)));
  bad |= json_object_set_new(o, "incident_id", json_id(c->incident_id));
  bad |= json_object_set_new(o, "ring_at", http_time_json(c->ring_ms));
  bad |= json_object_set_new(o, "answer_at", http_time_json(c->answer_ms));
  bad |= json_object_set_new(o, "created_at", http_time_json(c->created_ms));
  bad |= json_object_set_new(o, "taker_id", json_id(c->taker_id));
  if (bad) {
    json_decref(o); /* a member could not be made */
    return NULL;
  }
  return o;
}

json_t *json_call(const struct call *c) { return call_members(json_pack("{s:I}", "id", (json_int_t)c->id), c); }

/* The most a call's text may take: its strings come from one request's bounded fields. */
#define CALL_TEXT_MAX (1u << 20)

/* A record's id as json_id writes it: null for none. */
static int put_id(struct buf *b, int64_t id) { return id > 0 ? jtext_int(b, id) : buf_puts(b, "null"); }

/* Written by hand in the order of call_members, as jtext.h explains: this text is made
 * for every 110 call, and tests/unit/test_http_call_text.c holds it to json_call's dump. */
static int call_text(struct buf *b, const struct call *c) {
  int rc = buf_puts(b, "{\"telephony_call_id\":");
  if (rc == 0) rc = jtext_string_or_null(b, c->telephony_call_id);
  if (rc == 0) rc = buf_puts(b, ",\"caller_number\":");
  if (rc == 0) rc = jtext_string_or_null(b, c->caller_number);
  if (rc == 0) rc = buf_puts(b, ",\"caller_name\":");
  if (rc == 0) rc = jtext_string_or_null(b, c->caller_name);
  if (rc == 0) rc = buf_puts(b, ",\"location\":");
  if (rc == 0 && !c->has_location) rc = buf_puts(b, "null");
  if (rc == 0 && c->has_location) {
    const struct {
      const char *key;
      double value;
    } where[] = {{"{\"lat\":", c->lat}, {",\"lon\":", c->lon}, {",\"uncertainty_m\":", c->uncertainty_m}};
    for (size_t i = 0; rc == 0 && i < sizeof where / sizeof where[0]; i++) {
      rc = buf_puts(b, where[i].key);
      if (rc == 0) rc = jtext_real(b, where[i].value, HTTP_JSON_REAL_PRECISION);
    }
    if (rc == 0) rc = buf_putc(b, '}');
  }
  const struct {
    const char *key;
    const char *text;
  } strings[] = {{",\"address\":", c->address},
                 {",\"county\":", c->county},
                 {",\"type\":", c->type}};
  for (size_t i = 0; rc == 0 && i < sizeof strings / sizeof strings[0]; i++) {
    rc = buf_puts(b, strings[i].key);
    if (rc == 0) rc = jtext_string_or_null(b, strings[i].text);
  }
  if (rc == 0) rc = buf_puts(b, ",\"priority\":");
  if (rc == 0) rc = jtext_int(b, c->priority);
  if (rc == 0) rc = buf_puts(b, ",\"narrative\":");
  if (rc == 0) rc = jtext_string_or_null(b, c->narrative);
  if (rc == 0) rc = buf_puts(b, ",\"outcome\":");
  if (rc == 0) rc = jtext_string_or_null(b, call_outcome_name(c->outcome));
  if (rc == 0) rc = buf_puts(b, ",\"incident_id\":");
  if (rc == 0) rc = put_id(b, c->incident_id);
  const struct {
    const char *key;
    int64_t ms;
  } times[] = {{",\"ring_at\":", c->ring_ms}, {",\"answer_at\":", c->answer_ms}, {",\"created_at\":", c->created_ms}};
  for (size_t i = 0; rc == 0 && i < sizeof times / sizeof times[0]; i++) {
    char text[32];
    rc = buf_puts(b, times[i].key);
    if (rc == 0) rc = times[i].ms ? jtext_string(b, clock_format_rfc3339(times[i].ms, text, sizeof text), false)
                                  : buf_puts(b, "null");
  }
  if (rc == 0) rc = buf_puts(b, ",\"taker_id\":");
  if (rc == 0) rc = put_id(b, c->taker_id);
  if (rc == 0) rc = buf_putc(b, '}');
  return rc;
}

const char *json_call_text(struct arena *a, const struct call *c) {
  struct buf b;
  buf_init(&b, CALL_TEXT_MAX);
  const char *text = call_text(&b, c) == 0 ? arena_strndup(a, b.data, b.len) : NULL;
  buf_free(&b);
  return text;
}

static json_t *number_json(const struct incident *i, bool latin) {
  char text[INCIDENT_NUMBER_SIZE];
  if (incident_number_format(i->year, i->seq, latin, text, sizeof text) != 0) return json_null();
  return json_string(text);
}

json_t *json_incident(const struct incident *i, bool latin) {
  json_t *where = i->has_location ? json_pack("{s:f,s:f}", "lat", i->lat, "lon", i->lon) : json_null();
  json_t *o = json_pack("{s:I,s:o,s:o,s:i,s:I,s:o,s:i,s:o,s:o,s:o,s:o}", "id", (json_int_t)i->id,
                        "number", number_json(i, latin), "number_latin", number_json(i, true), "year",
                        i->year, "seq", (json_int_t)i->seq, "type", string_or_null(i->type), "priority",
                        i->priority, "status", string_or_null(incident_status_name(i->status)),
                        "county", string_or_null(i->county), "location", where, "address",
                        string_or_null(i->address));
  if (!o) return NULL;
  json_object_set_new(o, "call_count", json_integer(i->call_count));
  json_object_set_new(o, "first_call_id", json_id(i->first_call_id));
  json_object_set_new(o, "created_at", http_time_json(i->created_ms));
  json_object_set_new(o, "answer_at", http_time_json(i->answer_ms));
  json_object_set_new(o, "dispatched_at", http_time_json(i->dispatch_ms));
  json_object_set_new(o, "en_route_at", http_time_json(i->en_route_ms));
  json_object_set_new(o, "on_scene_at", http_time_json(i->on_scene_ms));
  json_object_set_new(o, "cleared_at", http_time_json(i->cleared_ms));
  json_object_set_new(o, "closed_at", http_time_json(i->closed_ms));
  json_object_set_new(o, "updated_at", http_time_json(i->updated_ms));
  json_object_set_new(o, "disposition", string_or_null(i->disposition));
  return o;
}

json_t *http_json_object(const char *text) {
  json_t *data = text ? json_loads(text, 0, NULL) : NULL;
  if (!json_is_object(data)) {
    json_decref(data);
    data = json_object();
  }
  return data;
}

json_t *json_timeline_entry(const struct timeline_entry *e) {
  json_t *data = http_json_object(e->data);
  return json_pack("{s:I,s:I,s:o,s:o,s:s,s:s,s:s,s:o}", "id", (json_int_t)e->id, "incident_id",
                   (json_int_t)e->incident_id, "time", http_time_json(e->time_ms), "actor_id",
                   json_id(e->actor_id), "actor", e->actor ? e->actor : "", "kind",
                   e->kind ? e->kind : "", "text", e->text ? e->text : "", "data", data);
}

json_t *json_unit(const struct unit *u, double lat, double lon, const char *position_source, bool stale) {
  json_t *pos = position_source
                    ? json_pack("{s:f,s:f,s:s,s:b,s:o}", "lat", lat, "lon", lon, "source",
                                position_source, "stale", stale, "reported_at",
                                http_time_json(u->position_ms))
                    : json_null();
  json_t *o = json_pack("{s:I,s:s,s:o,s:s,s:o,s:i,s:o}", "id", (json_int_t)u->id, "code",
                        u->code ? u->code : "", "call_sign_fa", string_or_null(u->call_sign_fa),
                        "station", u->station ? u->station : "", "type",
                        string_or_null(unit_type_name(u->type)), "seats", u->seats, "status",
                        string_or_null(unit_status_name(u->status)));
  if (!o) {
    json_decref(pos);
    return NULL;
  }
  json_object_set_new(o, "status_at", http_time_json(u->status_ms));
  json_object_set_new(o, "incident_id", json_id(u->incident_id));
  json_object_set_new(o, "position", pos);
  return o;
}

/* ---- incident_record ---------------------------------------------------------------- */

enum store_rc incident_record_line(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                                   const char *kind, const char *text, json_t *data,
                                   struct timeline_entry *line) {
  return incident_record_with(req, tx, inc, kind, text, data, NULL, line);
}

enum store_rc incident_record_with(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                                   const char *kind, const char *text, json_t *data, json_t *also,
                                   struct timeline_entry *line) {
  struct timeline_entry e = {
      .incident_id = inc->id,
      .time_ms = clock_now_ms(),
      .actor_id = req->who.kind == PRINCIPAL_USER ? req->who.id : 0,
      .actor = req->who.name ? req->who.name : "anonymous",
      .kind = kind,
      .text = text ? text : "",
      .data = http_json_text(req->arena, data, HTTP_JSON_STORED_FLAGS),
  };
  const char *action = arena_printf(req->arena, "incident.%s", kind);
  const char *subject = arena_printf(req->arena, "incident:%lld", (long long)inc->id);
  if (!e.data || !action || !subject) return STORE_HARD;
  enum store_rc rc = store_of(tx)->em.timeline_append(tx, &e);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:o,s:s,s:O?}", "number", number_json(inc, true), "text", e.text, "data", data);
  json_t *payload = json_pack("{s:o,s:o}", "incident", json_incident(inc, false), "line", json_timeline_entry(&e));
  if (payload && also) json_object_update_missing(payload, also);
  const char *type = strcmp(kind, "created") == 0 ? "incident.created" : "incident.updated";
  rc = http_audit_and_event(req, tx, action, subject, detail, type, payload, ROLES_CENTRE);
  if (rc == STORE_OK && line) *line = e;
  return rc;
}

enum store_rc incident_record(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                              const char *kind, const char *text, json_t *data) {
  return incident_record_line(req, tx, inc, kind, text, data, NULL);
}

/* ---- request helpers -------------------------------------------------------------- */

int http_query_time(struct http_req *req, const char *name, bool end, int64_t *out) {
  const char *text = http_query(req, name);
  *out = 0;
  if (!text || !*text) return 0;
  if (clock_parse_rfc3339(text, out) == 0) return 0;
  enum loc_period_kind kind;
  struct loc_period p;
  if (loc_period_parse(text, &kind, &p) == 0) {
    *out = end ? p.end_ms : p.start_ms;
    return 0;
  }
  http_reply_error(req, ERR_INVALID_FIELD, name,
                   "Give an RFC 3339 time (2025-10-01T08:30:00Z) or a Jalali period (1404, 1404-07, 1404-07-09).");
  return -1;
}

const char *http_phone_number(struct arena *a, const char *typed) {
  size_t cap = strlen(typed) + 1;
  char *latin = arena_alloc(a, cap);
  char *out = arena_alloc(a, cap);
  if (!latin || !out || loc_digits_to_latin(typed, latin, cap) < 0) return NULL;
  size_t n = 0, digits = 0;
  for (const char *p = latin; *p; p++) {
    if (*p >= '0' && *p <= '9') {
      out[n++] = *p;
      digits++;
    } else if (*p == '+' && n == 0) {
      out[n++] = *p;
    } else if (*p != ' ' && *p != '-' && *p != '(' && *p != ')') {
      return NULL;
    }
  }
  out[n] = '\0';
  return digits >= 3 && digits <= 20 ? out : NULL;
}

const char *http_phone_number_or_reply(struct http_req *req, const char *field, const char *typed) {
  const char *n = http_phone_number(req->arena, typed);
  if (!n)
    http_reply_error(req, ERR_INVALID_FIELD, field,
                     "must be a phone number: 3 to 20 digits, optionally starting with +");
  return n;
}

int http_query_mask(struct http_req *req, const char *name, int (*parse)(const char *text, int *index),
                    const char *choices, unsigned *mask) {
  const char *text = http_query(req, name);
  *mask = 0;
  if (!text || !*text) return 0;
  char *copy = arena_strdup(req->arena, text);
  if (!copy) {
    http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    return -1;
  }
  for (char *save = NULL, *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
    int index;
    if (parse(item, &index) != 0 || index < 0 || index >= 32) {
      http_reply_error(req, ERR_INVALID_FIELD, name,
                       arena_printf(req->arena, "must be names separated by commas: %s", choices));
      return -1;
    }
    *mask |= 1u << index;
  }
  return 0;
}

int http_query_period_or_reply(struct http_req *req, int max_days, int64_t *from_ms, int64_t *to_ms) {
  if (http_query_time(req, "from", false, from_ms) != 0 || http_query_time(req, "to", true, to_ms) != 0) return -1;
  enum err_code code = ERR_INVALID_FIELD;
  const char *problem = NULL, *field = "to";
  if (!*from_ms || !*to_ms) {
    code = ERR_MISSING_FIELD;
    field = *from_ms ? "to" : "from";
    problem = arena_printf(req->arena, "Give %s: an RFC 3339 time or a Jalali period.", field);
  } else if (*from_ms >= *to_ms) {
    problem = "to must come after from.";
  } else if (*to_ms - *from_ms > max_days * 86400000LL) {
    problem = arena_printf(req->arena, "A period is at most %d days; ask for a year at a time.", max_days);
  }
  if (!problem) return 0;
  http_reply_error(req, code, field, problem);
  return -1;
}

enum store_rc emergency_county_known(struct store_tx *tx, struct arena *a, const char *code, bool *known) {
  struct county *counties;
  size_t n;
  *known = false;
  enum store_rc rc = store_of(tx)->em.county_list(tx, a, &counties, &n);
  for (size_t i = 0; rc == STORE_OK && i < n && !*known; i++)
    *known = counties[i].code && strcmp(counties[i].code, code) == 0;
  return rc;
}

int http_location_parse_or_reply(struct http_req *req, json_t *obj, const char *field, bool with_source,
                                 struct http_location *out) {
  *out = (struct http_location){0};
  struct jspec spec[] = {
      JSPEC_DOUBLE("lat", &out->lat, -90.0, 90.0),
      JSPEC_DOUBLE("lon", &out->lon, -180.0, 180.0),
      /* 0 is "not known"; more than 100 km tells nothing about where to send a unit */
      JSPEC_OPTIONAL(DOUBLE, "uncertainty_m", &out->uncertainty_m, 0.0, 100000.0),
      with_source ? (struct jspec)JSPEC_OPTIONAL(STRING, "source", &out->source, 1, 32) : (struct jspec)JSPEC_END,
      JSPEC_END,
  };
  struct jspec_error err;
  if (jspec_parse(obj, spec, req->arena, &err) == 0) return 0;
  const char *where = err.field ? arena_printf(req->arena, "%s.%s", field, err.field) : field;
  http_reply_error(req, err.code == ERR_BAD_JSON ? ERR_INVALID_FIELD : err.code, where ? where : field,
                   err.code == ERR_BAD_JSON ? "must be a JSON object" : err.message);
  return -1;
}

enum store_rc emergency_county_filter(struct http_req *req, struct store_tx *tx, const char *county,
                                      bool *known) {
  *known = true;
  if (!county) return STORE_OK;
  enum store_rc rc = emergency_county_known(tx, req->arena, county, known);
  if (rc == STORE_OK && !*known)
    http_set_error(req, ERR_INVALID_FIELD, "county", "Unknown county code; GET /api/v1/places lists them.");
  return rc;
}
