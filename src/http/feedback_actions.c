/* feedback_actions.c — the 197 workflow: assigning a contact to the responsible
 * station's supervisor, moving it through its statuses, and writing replies.
 *
 * Assignment (desk only) names a user who exists, is enabled and holds the supervisor
 * role, and the station answering for the contact (by default the subject's). A
 * received contact becomes assigned; an assigned or under-review contact may be
 * re-assigned and keeps its status; the time of the first assignment is kept.
 *
 * Status moves follow fb_transition_check (core/feedback.h); a refused move is 409 with
 * its reason. Into "assigned" only an assignment moves a contact (it needs a
 * supervisor). "answered" needs a reply meant for the citizen already written, so a
 * citizen is never told "answered" with nothing to read; "closed" needs an outcome.
 * The first answer and the close keep their times (a reopened contact that is answered
 * again keeps its first answer time, which is what the figures measure).
 *
 * Replies are lines of the timeline, appended, never edited: for_citizen true is a
 * reply the citizen reads on the tracking page and Open311 (kind "reply"), false an
 * internal note (kind "note"). A reply does not move the contact by itself: the
 * officer says when it is answered. A closed contact takes internal notes but no more
 * replies to the citizen (reopening is not a move closed contacts have).
 */
#include <string.h>

#include "http/accounts.h"
#include "http/emergency.h"
#include "http/feedback_desk.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"

#define REPLY_MAX_BYTES 8000

/* ---- POST /api/v1/feedback/{id}/assign ---------------------------------------------------- */

struct assignment {
  int64_t id;
  int64_t user_id;
  const char *station; /* NULL: the subject's station */
};

/* The user a contact is assigned to: existing, enabled, a supervisor. Sets the 400
 * answer and *ok = false otherwise. */
static enum store_rc assignee_check(struct http_req *req, struct store_tx *tx, int64_t user_id, struct user *u,
                                    bool *ok) {
  enum store_rc rc = store_of(tx)->user_by_id(tx, user_id, req->arena, u);
  *ok = rc == STORE_OK && !u->disabled && (u->roles & ROLE_SUPERVISOR);
  if (rc == STORE_NOT_FOUND || (rc == STORE_OK && !*ok)) {
    http_set_error(req, ERR_INVALID_FIELD, "user_id",
                   rc == STORE_NOT_FOUND ? "No user has this id."
                   : u->disabled         ? "This user is disabled; assign the contact to an active supervisor."
                                         : "A contact is assigned to a supervisor; this user is not one.");
    return STORE_OK;
  }
  return rc;
}

static enum store_rc assign_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct assignment *a = req->ctx;
  struct feedback f;
  struct user u;
  bool ok;
  enum store_rc rc = feedback_load(req, tx, a->id, &f);
  if (rc != STORE_OK) return rc;
  enum fb_status from = f.status;
  /* assigned → assigned and under_review → assigned are re-assignments */
  const char *reason = fb_transition_check(from, FB_ASSIGNED, FB_OUTCOME_NONE);
  if (reason) {
    http_set_error(req, ERR_CONFLICT, "status", reason);
    return STORE_OK;
  }
  rc = assignee_check(req, tx, a->user_id, &u, &ok);
  if (rc != STORE_OK || !ok) return rc;
  const char *station = a->station ? a->station : f.station, *county = a->station ? NULL : f.county;
  rc = feedback_place_check(req, tx, "station", "station", &county, &station, &ok);
  if (rc != STORE_OK || !ok) return rc;
  int64_t before = f.assigned_to, now = clock_now_ms();
  f.station = station;
  f.county = county;
  f.assigned_to = u.id;
  f.status = from == FB_RECEIVED ? FB_ASSIGNED : from;
  if (!f.assigned_ms) f.assigned_ms = now;
  f.updated_ms = now;
  rc = store_of(tx)->fb.update(tx, &f);
  json_t *data = json_pack("{s:I,s:s,s:s?,s:o,s:s?,s:s?}", "user_id", (json_int_t)u.id, "username", u.username,
                           "display_name", u.display_name, "previous_user_id", json_id(before), "station", station,
                           "status", fb_status_name(f.status));
  if (rc == STORE_OK) rc = data ? feedback_record(req, tx, &f, "assigned", false, "", data) : STORE_HARD;
  json_decref(data);
  if (rc == STORE_OK) http_set_result(req, 200, json_feedback(&f, now, req->who.latin_digits));
  return rc;
}

/* ---- GET /api/v1/feedback/assignees ------------------------------------------------ */

/* The supervisors a contact can be assigned to, for the desk's choice: who the
 * assignment rule above accepts (enabled, supervisor), by name. Staff names are a
 * read of user records, so it is audited like other lists. */
#define ASSIGNEE_PAGE 500

static enum store_rc assignees_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct store *s = store_of(tx);
  json_t *items = json_array();
  enum store_rc rc = items ? STORE_OK : STORE_HARD;
  int64_t after = 0;
  for (size_t n = ASSIGNEE_PAGE; rc == STORE_OK && n == ASSIGNEE_PAGE;) {
    struct user *u = NULL;
    rc = s->user_list(tx, after, ASSIGNEE_PAGE, req->arena, &u, &n);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) {
      after = u[i].id;
      if (u[i].disabled || !(u[i].roles & ROLE_SUPERVISOR)) continue;
      json_array_append_new(items, json_pack("{s:I,s:s,s:s?}", "id", (json_int_t)u[i].id, "username",
                                             u[i].username, "display_name", u[i].display_name));
    }
  }
  json_t *detail = json_pack("{s:I}", "count", (json_int_t)json_array_size(items));
  if (rc == STORE_OK) rc = http_audit(req, tx, "feedback.assignees", "", detail);
  json_decref(detail);
  if (rc == STORE_OK) http_set_result(req, 200, json_pack("{s:o}", "items", items));
  else json_decref(items);
  return rc;
}

http_status_t feedback_assignees(struct http_req *req) { return http_write(req, assignees_tx); }

/* ---- POST /api/v1/feedback/{id}/assign ----------------------------------------------- */

http_status_t feedback_assign(struct http_req *req) {
  struct assignment *a = arena_alloc(req->arena, sizeof *a);
  if (!a) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *a = (struct assignment){0};
  if (http_arg_id(req, 0, &a->id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_INT("user_id", &a->user_id, 1, INT64_MAX),
      JSPEC_OPTIONAL(STRING, "station", &a->station, 1, 64),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = a;
  return http_write(req, assign_tx);
}

/* ---- POST /api/v1/feedback/{id}/status --------------------------------------------------- */

struct status_change {
  int64_t id;
  enum fb_status to;
  enum fb_outcome outcome;
  const char *text; /* the officer's note on the move, or NULL */
};

/* Whether a reply meant for the citizen is on the timeline. */
static enum store_rc has_citizen_reply(struct http_req *req, struct store_tx *tx, int64_t id, bool *yes) {
  struct feedback_entry *lines;
  size_t n;
  enum store_rc rc = store_of(tx)->fb.entry_list(tx, id, true, req->arena, &lines, &n);
  *yes = false;
  for (size_t i = 0; rc == STORE_OK && i < n && !*yes; i++) *yes = lines[i].kind && strcmp(lines[i].kind, "reply") == 0;
  return rc;
}

static enum store_rc status_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct status_change *sc = req->ctx;
  struct feedback f;
  enum store_rc rc = feedback_load(req, tx, sc->id, &f);
  if (rc != STORE_OK) return rc;
  enum fb_status from = f.status;
  const char *reason = fb_transition_check(from, sc->to, sc->outcome);
  if (!reason && sc->to == FB_ASSIGNED)
    reason = "A contact is assigned to a supervisor: POST /api/v1/feedback/{id}/assign.";
  bool replied = true;
  if (!reason && sc->to == FB_ANSWERED) rc = has_citizen_reply(req, tx, f.id, &replied);
  if (rc != STORE_OK) return rc;
  if (!replied) reason = "Write the reply for the citizen first (POST /api/v1/feedback/{id}/replies with for_citizen).";
  if (reason) {
    http_set_error(req, ERR_CONFLICT, "status", reason);
    return STORE_OK;
  }
  int64_t now = clock_now_ms();
  f.status = sc->to;
  if (sc->to == FB_ANSWERED && !f.answered_ms) f.answered_ms = now;
  if (sc->to == FB_CLOSED) {
    f.outcome = sc->outcome;
    f.closed_ms = now;
  }
  f.updated_ms = now;
  rc = store_of(tx)->fb.update(tx, &f);
  json_t *data = json_pack("{s:s?,s:s?,s:s?}", "from", fb_status_name(from), "to", fb_status_name(f.status), "outcome",
                           fb_outcome_name(f.outcome));
  const char *kind = sc->to == FB_CLOSED ? "closed" : "status";
  if (rc == STORE_OK) rc = data ? feedback_record(req, tx, &f, kind, false, sc->text, data) : STORE_HARD;
  json_decref(data);
  if (rc == STORE_OK) http_set_result(req, 200, json_feedback(&f, now, req->who.latin_digits));
  return rc;
}

http_status_t feedback_status(struct http_req *req) {
  struct status_change *sc = arena_alloc(req->arena, sizeof *sc);
  if (!sc) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *sc = (struct status_change){0};
  if (http_arg_id(req, 0, &sc->id) != 0) return http_last_status(req);
  const char *status, *outcome = NULL;
  struct jspec spec[] = {
      JSPEC_STRING("status", &status, 1, 32),
      JSPEC_OPTIONAL(STRING, "outcome", &outcome, 1, 32),
      JSPEC_OPTIONAL(TEXT, "text", &sc->text, 1, REPLY_MAX_BYTES),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  if (fb_status_parse(status, &sc->to) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "status",
                            "must be one of: received, assigned, under_review, answered, closed");
  if (outcome && fb_outcome_parse(outcome, &sc->outcome) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "outcome",
                            "must be one of: substantiated, not_substantiated, reconciled, withdrawn, forwarded");
  if (outcome && sc->to != FB_CLOSED)
    return http_reply_error(req, ERR_INVALID_FIELD, "outcome", "is given only when closing a contact");
  if (!outcome && sc->to == FB_CLOSED)
    return http_reply_error(req, ERR_MISSING_FIELD, "outcome",
                            "A contact is closed with an outcome: substantiated, not_substantiated, reconciled, "
                            "withdrawn or forwarded.");
  req->ctx = sc;
  return http_write(req, status_tx);
}

/* ---- POST /api/v1/feedback/{id}/replies ---------------------------------------------------- */

struct reply {
  int64_t id;
  const char *text;
  bool for_citizen;
};

static enum store_rc reply_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct reply *r = req->ctx;
  struct feedback f;
  struct feedback_entry line;
  enum store_rc rc = feedback_load(req, tx, r->id, &f);
  if (rc != STORE_OK) return rc;
  if (r->for_citizen && f.status == FB_CLOSED) {
    http_set_error(req, ERR_CONFLICT, "for_citizen",
                   "The contact is closed; the citizen gets no more replies (an internal note is still possible).");
    return STORE_OK;
  }
  if (r->for_citizen) {
    /* what the citizen reads changed: Open311 clients see it by updated_datetime */
    f.updated_ms = clock_now_ms();
    rc = store_of(tx)->fb.update(tx, &f);
  }
  if (rc == STORE_OK)
    rc = feedback_record_line(req, tx, &f, r->for_citizen ? "reply" : "note", r->for_citizen, r->text, NULL, &line);
  if (rc == STORE_OK) http_set_result(req, 201, json_feedback_entry(&line));
  return rc;
}

http_status_t feedback_reply(struct http_req *req) {
  struct reply *r = arena_alloc(req->arena, sizeof *r);
  if (!r) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *r = (struct reply){0};
  if (http_arg_id(req, 0, &r->id) != 0) return http_last_status(req);
  struct jspec spec[] = {
      JSPEC_TEXT("text", &r->text, 1, REPLY_MAX_BYTES),
      JSPEC_BOOL("for_citizen", &r->for_citizen),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  req->ctx = r;
  return http_write(req, reply_tx);
}
