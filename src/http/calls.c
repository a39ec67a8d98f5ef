/* calls.c — /api/v1/calls: what a call-taker records of each 110 call, the open
 * incidents it may repeat, and linking it to one.
 *
 * POST /api/v1/calls stores the call and answers it with its "duplicate_candidates"
 * (repeat.h ranks them; a call is never refused for being a repeat). They are looked
 * for just before the write, off the single writer thread, among the open incidents
 * an earlier call read while none has changed since (repeats.h), unless the caller and
 * place come from the phone system's record, which only the write reads. When the call
 * names the phone system's call (telephony_call_id), the ring and answer times, the
 * caller's number and the location come from that record unless the request gives
 * them, and the record is marked as taken (it leaves the queue). The county is
 * derived from the coordinates when not given.
 *
 * POST /api/v1/calls/{id}/link attaches a call to an open incident: its call count
 * grows, repeat calls may raise its priority (repeat_raised_priority), and its
 * timeline shows both.
 *
 * Reads are audited, one row per request, inside a write transaction like every
 * other read of a person's records (users.c).
 */
#include <string.h>

#include "core/geo.h"
#include "core/incident_type.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/jspec.h"
#include "http/repeats.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/jtext.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200
/* more than a call-taker reads while the caller waits */
#define CANDIDATES_MAX 10
/* an audit detail of a few short fields; the phone system's call id is at most 128 bytes */
#define CALL_DETAIL_MAX 4096

static const char *call_subject(struct http_req *req, int64_t id) {
  return arena_printf(req->arena, "call:%lld", (long long)id);
}

/* ---- duplicate candidates ----------------------------------------------------------- */

/* The candidates as the answer shows them. */
static json_t *candidates_json(struct http_req *req, const struct repeat_candidate *cands, size_t m) {
  json_t *list = json_array();
  for (size_t i = 0; i < m; i++) {
    const char *names[REPEAT_REASON__COUNT];
    size_t nn = repeat_reason_names(&cands[i], names);
    json_t *reasons = json_array();
    for (size_t k = 0; k < nn; k++) json_array_append_new(reasons, json_string(names[k]));
    json_array_append_new(
        list, json_pack("{s:o,s:f,s:o,s:o,s:I}", "incident", json_incident(cands[i].inc, req->who.latin_digits),
                        "score", cands[i].score, "reasons", reasons, "distance_m",
                        cands[i].distance_m >= 0 ? json_real(cands[i].distance_m) : json_null(), "minutes",
                        (json_int_t)cands[i].minutes));
  }
  return list;
}

/* ---- POST /api/v1/calls ------------------------------------------------------------ */

/* What the write stores and answers besides the call's id, written out beforehand so
 * that the single writer, which alone learns the id, only splices it in
 * (http_json_with_id). Building and writing out JSON was a third of its time a call. */
struct call_texts {
  const char *members; /* the call without "id" (json_call_text) */
  const char *answer;  /* the same with its "duplicate_candidates" as the last member */
  const char *detail;  /* the audit row's */
};

/* The audit row's detail, as http_json_text writes it with HTTP_JSON_STORED_FLAGS
 * (sorted keys); by hand for the reason json_call_text is. */
static const char *call_detail_text(struct http_req *req, const struct call *c, size_t ncandidates) {
  struct buf b;
  buf_init(&b, CALL_DETAIL_MAX);
  int rc = buf_puts(&b, "{\"duplicate_candidates\":");
  if (rc == 0) rc = jtext_int(&b, (int64_t)ncandidates);
  if (rc == 0) rc = buf_puts(&b, ",\"outcome\":");
  if (rc == 0) rc = jtext_string(&b, call_outcome_name(c->outcome), false);
  if (rc == 0) rc = buf_puts(&b, ",\"priority\":");
  if (rc == 0) rc = jtext_int(&b, c->priority);
  if (rc == 0) rc = buf_puts(&b, ",\"telephony_call_id\":");
  if (rc == 0) rc = jtext_string_or_null(&b, c->telephony_call_id);
  if (rc == 0) rc = buf_puts(&b, ",\"type\":");
  if (rc == 0) rc = jtext_string(&b, c->type, false);
  if (rc == 0) rc = buf_putc(&b, '}');
  const char *text = rc == 0 ? arena_strndup(req->arena, b.data, b.len) : NULL;
  buf_free(&b);
  return text;
}

static int call_texts_make(struct http_req *req, const struct call *c, const struct repeat_candidate *cands,
                           size_t n, struct call_texts *out) {
  out->members = json_call_text(req->arena, c);
  out->detail = call_detail_text(req, c, n);
  const char *list = "[]"; /* most calls repeat no open incident */
  if (n) {
    json_t *candidates = candidates_json(req, cands, n);
    list = candidates ? http_json_text(req->arena, candidates, HTTP_JSON_DUMP_FLAGS) : NULL;
    json_decref(candidates);
  }
  /* the members are "{...}", never "{}": the call has its fields whatever their values */
  const char *open = out->members ? arena_strndup(req->arena, out->members, strlen(out->members) - 1) : NULL;
  out->answer = open && list ? arena_concat(req->arena, open, ",\"duplicate_candidates\":", list, "}", (char *)NULL)
                             : NULL;
  return out->members && out->answer && out->detail ? 0 : -1;
}

struct new_call {
  struct call c;        /* as the request gives it */
  bool ring_given, answer_given;
  bool county_given;    /* by the request, so checked against the places; else derived */
  /* When the request alone says who called and from where (no telephony_call_id), the
   * candidates are looked for (repeats_find) and the texts written before the write,
   * so that the single writer only stores the call; otherwise inside the write. */
  bool searched;
  struct call_texts texts;
};

/* Fills what the request left out from the phone system's record of the call, and
 * marks that record as taken. Answers 404/409 itself (then *stop). */
static enum store_rc from_phone_system(struct http_req *req, struct store_tx *tx, const struct new_call *nc,
                                       struct call *c, struct telephony_call *t, bool *stop) {
  enum store_rc rc = store_of(tx)->em.tcall_by_ext(tx, c->telephony_call_id, req->arena, t);
  *stop = true;
  if (rc == STORE_NOT_FOUND) {
    http_set_error(req, ERR_NOT_FOUND, "telephony_call_id", "The phone system reported no call with this id.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  if (t->call_id) {
    http_set_error(req, ERR_CONFLICT, "telephony_call_id",
                   arena_printf(req->arena, "Call %lld was already recorded for this phone call.",
                                (long long)t->call_id));
    return STORE_OK;
  }
  *stop = false;
  if (!c->caller_number && t->ani) {
    /* The phone system's own form is kept when it is not a number ("anonymous"). */
    const char *n = http_phone_number(req->arena, t->ani);
    c->caller_number = n ? n : t->ani;
  }
  if (!c->has_location && t->has_location) {
    c->has_location = true;
    c->lat = t->lat;
    c->lon = t->lon;
    c->uncertainty_m = t->uncertainty_m;
  }
  if (!nc->ring_given) c->ring_ms = t->ring_ms;
  if (!nc->answer_given && t->answer_ms) c->answer_ms = t->answer_ms;
  return STORE_OK;
}

/* The call's county from its coordinates, when the request named none. */
static void place(struct http_req *req, struct call *c) {
  if (!c->county && c->has_location && req->app->geo)
    c->county = geo_county_at(req->app->geo, c->lat, c->lon); /* the table outlives the request */
}

/* Checks what needed the phone system's record or the store (the number, a place for
 * an operation, the county) and places the call in its county; answers 400 itself
 * (then *stop). */
static enum store_rc check_and_place(struct http_req *req, struct store_tx *tx, const struct new_call *nc,
                                     struct call *c, bool *stop) {
  *stop = true;
  if (!c->caller_number) {
    http_set_error(req, ERR_MISSING_FIELD, "caller_number", "is required when the phone system gave no number");
    return STORE_OK;
  }
  if (c->outcome == CALL_OPERATION && !c->has_location && !c->address) {
    http_set_error(req, ERR_MISSING_FIELD, "location", "An emergency operation needs a location or an address.");
    return STORE_OK;
  }
  if (nc->county_given) {
    bool known;
    enum store_rc rc = emergency_county_known(tx, req->arena, c->county, &known);
    if (rc != STORE_OK) return rc;
    if (!known) {
      http_set_error(req, ERR_INVALID_FIELD, "county", "Unknown county code; GET /api/v1/places lists them.");
      return STORE_OK;
    }
  }
  if (!nc->searched) place(req, c); /* else placed before the write, from the request */
  *stop = false;
  return STORE_OK;
}

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct new_call *nc = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct call c = nc->c; /* a retried transaction starts again from the request */
  struct telephony_call t = {0};
  bool stop = false;
  enum store_rc rc = STORE_OK;
  if (c.telephony_call_id) rc = from_phone_system(req, tx, nc, &c, &t, &stop);
  if (rc != STORE_OK || stop) return rc;
  rc = check_and_place(req, tx, nc, &c, &stop);
  if (rc != STORE_OK || stop) return rc;
  rc = em->call_insert(tx, &c);
  if (rc == STORE_OK && c.telephony_call_id) {
    t.call_id = c.id;
    rc = em->tcall_update(tx, &t);
  }
  struct call_texts texts = nc->texts;
  if (rc == STORE_OK && !nc->searched) {
    /* the write that takes the phone system's record reads them itself */
    struct repeat_candidate found[CANDIDATES_MAX];
    size_t nfound;
    rc = repeats_find_in(tx, &c, &http_emergency_config(req)->repeat, req->arena, found, CANDIDATES_MAX, &nfound);
    if (rc == STORE_OK && call_texts_make(req, &c, found, nfound, &texts) != 0) rc = STORE_HARD;
  }
  if (rc != STORE_OK) return rc;
  const char *subject = call_subject(req, c.id);
  rc = http_audit_text(req, tx, "call.create", subject, texts.detail);
  if (rc != STORE_OK) return rc;
  rc = http_event_text(tx, "call.created", subject, http_json_with_id(req->arena, c.id, texts.members), ROLES_CENTRE);
  if (rc != STORE_OK) return rc;
  const char *answer = http_json_with_id(req->arena, c.id, texts.answer);
  if (!answer) return STORE_HARD;
  http_set_result_text(req, 201, answer);
  return STORE_OK;
}

/* Parses an optional RFC 3339 field; replies 400 and returns -1 when malformed. */
static int time_field(struct http_req *req, const char *name, const char *text, int64_t *out, bool *given) {
  *given = text != NULL;
  if (!text) return 0;
  if (clock_parse_rfc3339(text, out) == 0) return 0;
  http_reply_error(req, ERR_INVALID_FIELD, name, "must be an RFC 3339 time (2025-10-01T08:30:00Z)");
  return -1;
}

http_status_t calls_create(struct http_req *req) {
  struct new_call *nc = arena_alloc(req->arena, sizeof *nc);
  if (!nc) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *nc = (struct new_call){0};
  struct call *c = &nc->c;
  const char *number = NULL, *outcome = NULL, *ring_at = NULL, *answer_at = NULL;
  int64_t priority = 0;
  json_t *where = NULL;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRING, "telephony_call_id", &c->telephony_call_id, 1, 128),
      JSPEC_OPTIONAL(STRING, "caller_number", &number, 1, 64),
      JSPEC_OPTIONAL(TEXT, "caller_name", &c->caller_name, 1, 100),
      JSPEC_OPTIONAL(OBJECT, "location", &where),
      JSPEC_OPTIONAL(TEXT, "address", &c->address, 1, 500),
      JSPEC_OPTIONAL(STRING, "county", &c->county, 1, 64),
      JSPEC_STRING("type", &c->type, 1, 64),
      JSPEC_OPTIONAL(INT, "priority", &priority, 1, 4),
      JSPEC_OPTIONAL(TEXT, "narrative", &c->narrative, 1, 8000),
      JSPEC_OPTIONAL(STRING, "outcome", &outcome, 1, 32),
      JSPEC_OPTIONAL(STRING, "ring_at", &ring_at, 1, 64),
      JSPEC_OPTIONAL(STRING, "answer_at", &answer_at, 1, 64),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  const struct incident_type *type = incident_type_find(c->type);
  if (!type)
    return http_reply_error(req, ERR_INVALID_FIELD, "type", "Unknown incident type; GET /api/v1/incident-types lists them.");
  c->priority = priority ? (int)priority : type->priority;
  c->outcome = CALL_OPERATION;
  if (outcome && call_outcome_parse(outcome, &c->outcome) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "outcome",
                            "must be one of: operation, non_emergency, guidance, invalid");
  if (number && !(c->caller_number = http_phone_number_or_reply(req, "caller_number", number)))
    return http_last_status(req);
  if (where) {
    struct http_location loc;
    if (http_location_parse_or_reply(req, where, "location", false, &loc) != 0) return http_last_status(req);
    c->has_location = true;
    c->lat = loc.lat;
    c->lon = loc.lon;
    c->uncertainty_m = loc.uncertainty_m;
  }
  if (time_field(req, "ring_at", ring_at, &c->ring_ms, &nc->ring_given) != 0 ||
      time_field(req, "answer_at", answer_at, &c->answer_ms, &nc->answer_given) != 0)
    return http_last_status(req);
  c->created_ms = clock_now_ms();
  if (!nc->answer_given) c->answer_ms = c->created_ms; /* unless the phone system knows better */
  c->taker_id = req->who.kind == PRINCIPAL_USER ? req->who.id : 0;
  nc->county_given = c->county != NULL;
  req->ctx = nc;
  if (!c->telephony_call_id) {
    struct repeat_candidate cands[CANDIDATES_MAX];
    size_t ncands;
    place(req, c);
    if (repeats_find(req->app->repeats, req->app->store, c, &http_emergency_config(req)->repeat, req->arena,
                     cands, CANDIDATES_MAX, &ncands) != STORE_OK ||
        call_texts_make(req, c, cands, ncands, &nc->texts) != 0)
      return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    nc->searched = true;
  }
  return http_write(req, create_tx);
}

/* ---- GET /api/v1/calls ---------------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct call_filter f = *(const struct call_filter *)req->ctx;
  size_t limit = f.limit;
  bool known;
  enum store_rc crc = emergency_county_filter(req, tx, f.county, &known);
  if (crc != STORE_OK || !known) return crc;
  struct call *calls;
  size_t n;
  f.limit = limit + 1; /* one more than asked tells whether there is a next page */
  enum store_rc rc = store_of(tx)->em.call_list(tx, &f, req->arena, &calls, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, json_call(&calls[i]));
  json_t *detail = json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:I,s:I}", "from_ms", (json_int_t)f.from_ms, "to_ms",
                             (json_int_t)f.to_ms, "county", f.county, "type", f.type, "caller_number",
                             f.caller_number, "incident_id", (json_int_t)f.incident_id, "before_id",
                             (json_int_t)f.before_id);
  rc = http_set_page(req, tx, items, more, n ? calls[n - 1].id : 0, "call.list", detail);
  json_decref(detail);
  return rc;
}

http_status_t calls_list(struct http_req *req) {
  struct call_filter *f = arena_alloc(req->arena, sizeof *f);
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *f = (struct call_filter){.outcome = -1};
  int64_t limit, incident;
  if (http_query_int(req, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit) != 0 ||
      http_query_int(req, "incident_id", 1, INT64_MAX, 0, &incident) != 0 ||
      http_query_time(req, "from", false, &f->from_ms) != 0 || http_query_time(req, "to", true, &f->to_ms) != 0 ||
      http_query_cursor(req, &f->before_id) != 0)
    return http_last_status(req);
  const char *county = http_query(req, "county"), *type = http_query(req, "type");
  const char *outcome = http_query(req, "outcome"), *number = http_query(req, "caller_number");
  if (type && *type) {
    if (!incident_type_find(type))
      return http_reply_error(req, ERR_INVALID_FIELD, "type", "Unknown incident type; GET /api/v1/incident-types lists them.");
    f->type = type;
  }
  if (outcome && *outcome) {
    enum call_outcome o;
    if (call_outcome_parse(outcome, &o) != 0)
      return http_reply_error(req, ERR_INVALID_FIELD, "outcome", "must be one of: operation, non_emergency, guidance, invalid");
    f->outcome = (int)o;
  }
  if (number && *number && !(f->caller_number = http_phone_number_or_reply(req, "caller_number", number)))
    return http_last_status(req);
  if (county && *county) {
    if (!loc_utf8_valid(county, strlen(county))) return http_reply_error(req, ERR_INVALID_UTF8, "county", NULL);
    f->county = county;
  }
  f->incident_id = incident;
  f->limit = (size_t)limit;
  req->ctx = f;
  return http_write(req, list_tx);
}

/* ---- GET /api/v1/calls/{id} ------------------------------------------------------------ */

static enum store_rc get_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const int64_t *id = req->ctx;
  struct call c;
  enum store_rc rc = store_of(tx)->em.call_by_id(tx, *id, req->arena, &c);
  if (rc != STORE_OK) return rc;
  rc = http_audit(req, tx, "call.read", call_subject(req, c.id), NULL);
  if (rc == STORE_OK) http_set_result(req, 200, json_call(&c));
  return rc;
}

http_status_t calls_get(struct http_req *req) {
  int64_t *id = arena_alloc(req->arena, sizeof *id);
  if (!id) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, id) != 0) return http_last_status(req);
  req->ctx = id;
  return http_write(req, get_tx);
}

/* ---- POST /api/v1/calls/{id}/link ------------------------------------------------------ */

struct link {
  int64_t call_id, incident_id;
};

static void set_linked(struct http_req *req, const struct call *c, const struct incident *inc) {
  http_set_result(req, 200, json_pack("{s:o,s:o}", "call", json_call(c), "incident",
                                      json_incident(inc, req->who.latin_digits)));
}

/* The incident's side of a link: count, priority, timeline. */
static enum store_rc incident_gains_call(struct http_req *req, struct store_tx *tx, struct incident *inc,
                                         const struct call *c) {
  int before = inc->priority;
  inc->call_count++;
  inc->priority = repeat_raised_priority(before, inc->call_count);
  inc->updated_ms = clock_now_ms();
  enum store_rc rc = store_of(tx)->em.incident_update(tx, inc);
  json_t *data = json_pack("{s:I,s:s?,s:i}", "call_id", (json_int_t)c->id, "caller_number", c->caller_number,
                           "call_count", inc->call_count);
  if (rc == STORE_OK) rc = incident_record(req, tx, inc, "call_linked", "تماس به رویداد پیوست", data);
  json_decref(data);
  if (rc != STORE_OK || inc->priority == before) return rc;
  data = json_pack("{s:i,s:i,s:s,s:i}", "from", before, "to", inc->priority, "reason", "repeat_calls",
                   "call_count", inc->call_count);
  rc = incident_record(req, tx, inc, "priority", "افزایش اولویت بر اثر تماس‌های تکراری", data);
  json_decref(data);
  return rc;
}

static enum store_rc link_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct link *l = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct call c;
  struct incident inc;
  enum store_rc rc = em->call_by_id(tx, l->call_id, req->arena, &c);
  if (rc != STORE_OK) return rc;
  rc = em->incident_by_id(tx, l->incident_id, req->arena, &inc);
  if (rc == STORE_NOT_FOUND) {
    http_set_error(req, ERR_NOT_FOUND, "incident_id", "No incident has this id.");
    return STORE_OK;
  }
  if (rc != STORE_OK) return rc;
  if (c.incident_id == inc.id) { /* linked already: a retry, nothing to do */
    set_linked(req, &c, &inc);
    return STORE_OK;
  }
  if (c.incident_id) {
    http_set_error(req, ERR_CONFLICT, "incident_id",
                   arena_printf(req->arena, "The call is already linked to incident %lld.", (long long)c.incident_id));
    return STORE_OK;
  }
  if (inc.status == INC_CLOSED) {
    http_set_error(req, ERR_CONFLICT, "incident_id", "The incident is closed; create a new incident from this call.");
    return STORE_OK;
  }
  rc = em->call_set_incident(tx, c.id, inc.id);
  c.incident_id = inc.id;
  if (rc == STORE_OK) rc = incident_gains_call(req, tx, &inc, &c);
  const char *subject = call_subject(req, c.id);
  json_t *detail = json_pack("{s:I}", "incident_id", (json_int_t)inc.id);
  if (rc == STORE_OK) rc = http_audit(req, tx, "call.link", subject, detail);
  json_decref(detail);
  json_t *payload = json_pack("{s:o,s:o}", "call", json_call(&c), "incident", json_incident(&inc, false));
  if (rc == STORE_OK) rc = http_event(req, tx, "call.linked", subject, payload, ROLES_CENTRE);
  json_decref(payload);
  if (rc == STORE_OK) set_linked(req, &c, &inc);
  return rc;
}

http_status_t calls_link(struct http_req *req) {
  struct link *l = arena_alloc(req->arena, sizeof *l);
  if (!l) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_arg_id(req, 0, &l->call_id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_INT("incident_id", &l->incident_id, 1, INT64_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = l;
  return http_write(req, link_tx);
}
