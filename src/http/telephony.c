/* telephony.c — the phone system's side of a 110 call: POST /api/v1/telephony/events
 * (an API key with the telephony role) and the queue of calls waiting for a call-taker,
 * GET /api/v1/telephony/calls.
 *
 * Each event moves the phone system's record of a call (struct telephony_call):
 *
 *   ring     (none)   → ringing      the record is made
 *   answer   ringing  → answered
 *   hangup   answered → ended
 *   hangup   ringing  → abandoned    the caller hung up before anyone answered
 *   abandon  ringing  → abandoned
 *
 * Phone systems retry, and some send both abandon and hangup, so an event that finds
 * the call already where it would put it (a second ring, answer, or hangup, a hangup
 * after abandon) changes nothing and answers 200 with the record as it is; only a
 * location or caller number it brings for the first time is kept. An event that
 * would move the call backwards (an answer after the hang-up) is 409, and an event for
 * a call that never rang is 404. The first time of each step is kept.
 *
 * Every change is audited and announced to the centre ("call.ringing", "call.answered",
 * "call.ended", "call.abandoned"), so ringing calls appear on call-takers' screens.
 *
 * A call still ringing after the ring timeout (120 s by default) is recorded as
 * abandoned by telephony_sweep(), which `hamyar serve` runs every few seconds: a phone
 * system that lost the hang-up must not leave a ghost in every call-taker's queue.
 */
#include <string.h>

#include "http/emergency.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

enum tevent_kind { TEV_RING = 0, TEV_ANSWER, TEV_HANGUP, TEV_ABANDON };
static const char *const tevent_names[] = {"ring", "answer", "hangup", "abandon", NULL};

struct tevent {
  int kind;
  const char *ext_id;
  int64_t time_ms;
  const char *ani;
  bool has_location;
  struct http_location where;
};

static const char *state_event(enum tcall_state s) {
  static const char *const names[TCALL_STATE__COUNT] = {"call.ringing", "call.answered", "call.ended",
                                                         "call.abandoned"};
  return (unsigned)s < TCALL_STATE__COUNT ? names[s] : "call.updated";
}

/* Where `kind` takes a call in state `from`: 0 with *to set (possibly to `from`: a
 * repeat), or -1 when the event is out of order. */
static int next_state(int kind, enum tcall_state from, enum tcall_state *to) {
  switch (kind) {
    case TEV_RING:
      *to = TCALL_RINGING;
      return from == TCALL_RINGING ? 0 : -1;
    case TEV_ANSWER:
      *to = TCALL_ANSWERED;
      return from == TCALL_RINGING || from == TCALL_ANSWERED ? 0 : -1;
    case TEV_HANGUP:
      *to = from == TCALL_RINGING ? TCALL_ABANDONED : from == TCALL_ANSWERED ? TCALL_ENDED : from;
      return 0;
    case TEV_ABANDON:
      *to = TCALL_ABANDONED;
      return from == TCALL_RINGING || from == TCALL_ABANDONED ? 0 : -1;
    default:
      return -1;
  }
}

/* Moves t to `to` at time `ms`, keeping the first time of each step. */
static void move(struct telephony_call *t, enum tcall_state to, int64_t ms) {
  if (to == t->state) return;
  t->state = to;
  if (to == TCALL_ANSWERED && !t->answer_ms) t->answer_ms = ms;
  if ((to == TCALL_ENDED || to == TCALL_ABANDONED) && !t->end_ms) t->end_ms = ms;
}

static enum store_rc event_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct tevent *ev = req->ctx;
  struct store_emergency *em = &store_of(tx)->em;
  struct telephony_call t;
  enum store_rc rc = em->tcall_by_ext(tx, ev->ext_id, req->arena, &t);
  if (rc != STORE_OK && rc != STORE_NOT_FOUND) return rc;
  bool exists = rc == STORE_OK;
  bool changed = !exists;
  if (!exists) {
    if (ev->kind != TEV_RING) {
      http_set_error(req, ERR_NOT_FOUND, "telephony_call_id", "No ring was received for this call id.");
      return STORE_OK;
    }
    t = (struct telephony_call){.ext_id = ev->ext_id, .state = TCALL_RINGING, .ring_ms = ev->time_ms,
                                .received_ms = clock_now_ms()};
  } else {
    enum tcall_state to;
    if (next_state(ev->kind, t.state, &to) != 0) {
      http_set_error(req, ERR_CONFLICT, "event",
                     arena_printf(req->arena, "The call is already %s; \"%s\" cannot follow.",
                                  tcall_state_name(t.state), tevent_names[ev->kind]));
      return STORE_OK;
    }
    changed = to != t.state;
    move(&t, to, ev->time_ms);
  }
  if (ev->ani && !t.ani) {
    t.ani = ev->ani;
    changed = true;
  }
  if (ev->has_location &&
      (!t.has_location || t.lat != ev->where.lat || t.lon != ev->where.lon ||
       t.uncertainty_m != ev->where.uncertainty_m)) {
    /* A later fix replaces an earlier one: phones refine their position. */
    t.has_location = true;
    t.lat = ev->where.lat;
    t.lon = ev->where.lon;
    t.uncertainty_m = ev->where.uncertainty_m;
    t.location_source = ev->where.source;
    changed = true;
  }
  json_t *body = json_tcall(&t);
  if (!changed) {
    http_set_result(req, 200, body); /* a retried event: nothing to store */
    return STORE_OK;
  }
  rc = exists ? em->tcall_update(tx, &t) : em->tcall_insert(tx, &t);
  if (rc == STORE_OK) {
    json_decref(body);
    body = json_tcall(&t); /* with the id the insert gave */
    const char *subject = arena_printf(req->arena, "tcall:%lld", (long long)t.id);
    json_t *detail = json_pack("{s:s,s:s,s:s}", "event", tevent_names[ev->kind], "telephony_call_id",
                               t.ext_id, "state", tcall_state_name(t.state));
    const char *action = arena_printf(req->arena, "telephony.%s", tevent_names[ev->kind]);
    rc = http_audit(req, tx, action, subject, detail);
    json_decref(detail);
    if (rc == STORE_OK) rc = http_event(req, tx, state_event(t.state), subject, body, ROLES_CENTRE);
  }
  if (rc == STORE_OK) http_set_result(req, 200, body);
  else json_decref(body);
  return rc;
}

http_status_t telephony_event(struct http_req *req) {
  struct tevent *ev = arena_alloc(req->arena, sizeof *ev);
  if (!ev) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *ev = (struct tevent){0};
  const char *time = NULL;
  json_t *where = NULL;
  struct jspec spec[] = {
      JSPEC_ENUM("event", &ev->kind, tevent_names),
      JSPEC_STRING("telephony_call_id", &ev->ext_id, 1, 128),
      JSPEC_OPTIONAL(STRING, "time", &time, 1, 64),
      JSPEC_OPTIONAL(STRING, "ani", &ev->ani, 1, 64),
      JSPEC_OPTIONAL(OBJECT, "location", &where),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  ev->time_ms = clock_now_ms();
  if (time && clock_parse_rfc3339(time, &ev->time_ms) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "time", "must be an RFC 3339 time (2025-10-01T08:30:00Z)");
  if (where) {
    if (http_location_parse_or_reply(req, where, "location", true, &ev->where) != 0) return http_last_status(req);
    ev->has_location = true;
  }
  req->ctx = ev;
  return http_write(req, event_tx);
}

/* ---- the ring timeout ------------------------------------------------------------------ */

/* The sweep acts as "system" (http_system_req). */
struct sweep {
  struct http_req req;
  int64_t now_ms, limit_ms;
  int closed;
};

static enum store_rc sweep_tx(void *cls, struct store_tx *tx) {
  struct sweep *sw = cls;
  struct http_req *req = &sw->req;
  struct store_emergency *em = &store_of(tx)->em;
  struct telephony_call *open;
  size_t n = 0;
  sw->closed = 0;
  enum store_rc rc = em->tcall_list_open(tx, req->arena, &open, &n);
  for (size_t i = 0; rc == STORE_OK && i < n; i++) {
    struct telephony_call *t = &open[i];
    if (t->state != TCALL_RINGING || t->received_ms > sw->now_ms - sw->limit_ms) continue;
    move(t, TCALL_ABANDONED, sw->now_ms);
    rc = em->tcall_update(tx, t);
    const char *subject = arena_printf(req->arena, "tcall:%lld", (long long)t->id);
    if (rc != STORE_OK) break;
    json_t *detail = json_pack("{s:s,s:s,s:I}", "telephony_call_id", t->ext_id, "state", "abandoned",
                               "ring_timeout_s", (json_int_t)(sw->limit_ms / 1000));
    rc = http_audit_and_event(req, tx, "telephony.ring_timeout", subject, detail, state_event(t->state), json_tcall(t),
                              ROLES_CENTRE);
    if (rc == STORE_OK) sw->closed++;
  }
  return rc;
}

int telephony_sweep(struct app *app, int64_t now_ms) {
  const struct emergency_config *cfg = app->em;
  if (!cfg || cfg->ring_timeout_ms <= 0) return 0;
  struct arena *a = arena_new(0);
  if (!a) {
    log_msg(LOG_ERROR, "telephony.ring_timeout", "out of memory");
    return -1;
  }
  struct sweep sw = {.req = http_system_req(app, a), .now_ms = now_ms, .limit_ms = cfg->ring_timeout_ms};
  enum store_rc rc = store_write(app->store, sweep_tx, &sw);
  arena_free(a);
  if (rc != STORE_OK) {
    log_msg(LOG_ERROR, "telephony.ring_timeout", "could not record calls that rang out (store result %d)", rc);
    return -1;
  }
  if (sw.closed > 0)
    log_msg(LOG_INFO, "telephony.ring_timeout", "%d calls rang %lld s unanswered; recorded as abandoned",
            sw.closed, (long long)(cfg->ring_timeout_ms / 1000));
  return sw.closed;
}

/* ---- GET /api/v1/telephony/calls ---------------------------------------------------- */

/* The queue is read in a write transaction so that the read (callers' numbers and
 * whereabouts) and its audit row are one. */
static enum store_rc queue_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct telephony_call *calls;
  size_t n;
  enum store_rc rc = store_of(tx)->em.tcall_list_open(tx, req->arena, &calls, &n);
  if (rc != STORE_OK) return rc;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, json_tcall(&calls[i]));
  json_t *detail = json_pack("{s:I}", "count", (json_int_t)n);
  rc = http_audit(req, tx, "telephony.list", "", detail);
  json_decref(detail);
  if (rc == STORE_OK) http_set_result(req, 200, json_pack("{s:o}", "items", items));
  else json_decref(items);
  return rc;
}

http_status_t telephony_queue(struct http_req *req) { return http_write(req, queue_tx); }
