/* commendations.c — citizens commended for helping the police
 * (/api/v1/commendations), and an officer's record from the 197 line
 * (GET /api/v1/officers/{officer}/record).
 *
 * A commendation says who helped (name, phone), what they did (normalised Persian
 * text), when (deed_date: a Jalali day "1404-07-09", Persian digits allowed, or an RFC
 * 3339 instant; not in the future), where (county) and who proposed it (a unit code, a
 * station); it may come from a 197 contact. The desk and the records office write
 * them; the command reads them.
 *
 * An officer's record is what citizens said of the officer through 197: every praise
 * naming the officer's personnel number (number, date, station, text), and the
 * complaints naming the officer counted by outcome (and still open). It is computed
 * from the contacts at each read, never kept as totals, and the read is audited: it
 * is a person's record.
 */
#include <string.h>

#include "core/incident.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/feedback_desk.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

#define NAME_MAX_BYTES 200
#define CODE_MAX_BYTES 64
/* contacts read per step while walking an officer's record */
#define RECORD_STEP 500
/* a deed dated a little ahead of our clock is a clock's drift, not a mistake */
#define FUTURE_SLACK_MS (60 * 1000LL)

/* ---- POST /api/v1/commendations -------------------------------------------------------------- */

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct commendation c = *(const struct commendation *)req->ctx;
  bool ok;
  enum store_rc rc =
      feedback_place_check(req, tx, "county", "proposed_by_station", &c.county, &c.proposed_by_station, &ok);
  if (rc != STORE_OK || !ok) return rc;
  if (c.feedback_id) {
    struct feedback f;
    rc = store_of(tx)->fb.by_id(tx, c.feedback_id, req->arena, &f);
    if (rc == STORE_NOT_FOUND) {
      http_set_error(req, ERR_NOT_FOUND, "feedback_id", "No 197 contact has this id.");
      return STORE_OK;
    }
    if (rc != STORE_OK) return rc;
  }
  c.created_ms = clock_now_ms();
  rc = store_of(tx)->fb.commendation_insert(tx, &c);
  if (rc != STORE_OK) return rc;
  const char *subject = arena_printf(req->arena, "commendation:%lld", (long long)c.id);
  json_t *detail = json_pack("{s:o,s:s?,s:s?,s:s?,s:o}", "deed_at", http_time_json(c.deed_ms), "county", c.county,
                             "proposed_by_unit", c.proposed_by_unit, "proposed_by_station", c.proposed_by_station,
                             "feedback_id", json_id(c.feedback_id));
  /* the live event names no one: a console that shows it reads the list */
  json_t *payload = json_pack("{s:I,s:s?,s:o}", "id", (json_int_t)c.id, "county", c.county, "deed_at",
                              http_time_json(c.deed_ms));
  rc = detail && payload && subject ? http_audit(req, tx, "commendation.created", subject, detail) : STORE_HARD;
  if (rc == STORE_OK)
    rc = http_event(req, tx, "commendation.created", subject, payload, ROLE_OVERSIGHT | ROLE_RECORDS | ROLE_COMMANDER);
  json_decref(detail);
  json_decref(payload);
  if (rc == STORE_OK) http_set_result(req, 201, json_commendation(&c));
  return rc;
}

/* deed_date: a Jalali day (its start, Asia/Tehran) or an RFC 3339 instant, not ahead. */
static int deed_time_or_reply(struct http_req *req, const char *text, int64_t *out) {
  enum loc_period_kind kind;
  struct loc_period p;
  const char *problem = NULL;
  if (clock_parse_rfc3339(text, out) != 0) {
    if (loc_period_parse(text, &kind, &p) != 0 || kind != LOC_DAY)
      problem = "must be a Jalali day (1404-07-09) or an RFC 3339 time";
    else
      *out = p.start_ms;
  }
  if (!problem && *out > clock_now_ms() + FUTURE_SLACK_MS) problem = "is in the future; give the day the citizen helped";
  if (!problem) return 0;
  http_reply_error(req, ERR_INVALID_FIELD, "deed_date", problem);
  return -1;
}

http_status_t commendations_create(struct http_req *req) {
  struct commendation *c = arena_alloc(req->arena, sizeof *c);
  if (!c) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *c = (struct commendation){0};
  const char *phone = NULL, *deed = NULL;
  struct jspec spec[] = {
      JSPEC_TEXT("citizen_name", &c->citizen_name, 1, NAME_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "citizen_phone", &phone, 1, 40),
      JSPEC_TEXT("reason", &c->reason, 1, (int64_t)http_feedback_config(req)->text_max),
      JSPEC_STRING("deed_date", &deed, 1, 64),
      JSPEC_OPTIONAL(STRING, "county", &c->county, 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "proposed_by_unit", &c->proposed_by_unit, 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "proposed_by_station", &c->proposed_by_station, 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(INT, "feedback_id", &c->feedback_id, 1, INT64_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0 || deed_time_or_reply(req, deed, &c->deed_ms) != 0)
    return http_last_status(req);
  if (phone && !(c->citizen_phone = feedback_phone_or_reply(req, "citizen_phone", phone))) return http_last_status(req);
  c->created_by = req->who.kind == PRINCIPAL_USER ? req->who.id : 0;
  req->ctx = c;
  return http_write(req, create_tx);
}

/* ---- GET /api/v1/commendations ------------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct commendation_filter f = *(const struct commendation_filter *)req->ctx;
  size_t limit = f.limit;
  bool known;
  enum store_rc rc = emergency_county_filter(req, tx, f.county, &known);
  if (rc != STORE_OK || !known) return rc;
  struct commendation *rows;
  size_t n;
  f.limit = limit + 1;
  rc = store_of(tx)->fb.commendation_list(tx, &f, req->arena, &rows, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, json_commendation(&rows[i]));
  json_t *detail = json_pack("{s:I,s:I,s:s?,s:I}", "from_ms", (json_int_t)f.from_ms, "to_ms", (json_int_t)f.to_ms,
                             "county", f.county, "before_id", (json_int_t)f.before_id);
  rc = http_set_page(req, tx, items, more, n ? rows[n - 1].id : 0, "commendation.list", detail);
  json_decref(detail);
  return rc;
}

http_status_t commendations_list(struct http_req *req) {
  struct commendation_filter *f = arena_alloc(req->arena, sizeof *f);
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *f = (struct commendation_filter){0};
  int64_t limit;
  if (http_query_int(req, "limit", 1, FEEDBACK_PAGE_MAX, FEEDBACK_PAGE_DEFAULT, &limit) != 0 ||
      http_query_time(req, "from", false, &f->from_ms) != 0 || http_query_time(req, "to", true, &f->to_ms) != 0 ||
      http_query_cursor(req, &f->before_id) != 0)
    return http_last_status(req);
  const char *county = http_query(req, "county");
  if (county && *county) {
    if (!loc_utf8_valid(county, strlen(county))) return http_reply_error(req, ERR_INVALID_UTF8, "county", NULL);
    f->county = county;
  }
  f->limit = (size_t)limit;
  req->ctx = f;
  return http_write(req, list_tx);
}

/* ---- GET /api/v1/officers/{officer}/record ------------------------------------------------------ */

/* Calls each(req, contact, acc) for every contact of `kind` naming the officer, newest
 * first, a step of RECORD_STEP contacts at a time. */
static enum store_rc walk(struct http_req *req, struct store_tx *tx, const char *officer, enum fb_kind kind,
                          void (*each)(struct http_req *req, const struct feedback *f, json_t *acc), json_t *acc) {
  struct feedback_filter f = {.kind = (int)kind, .channel = -1, .officer = officer, .limit = RECORD_STEP};
  enum store_rc rc = STORE_OK;
  for (bool more = true; rc == STORE_OK && more;) {
    struct feedback *rows;
    size_t n;
    rc = store_of(tx)->fb.list(tx, &f, req->arena, &rows, &n);
    for (size_t i = 0; rc == STORE_OK && i < n; i++) each(req, &rows[i], acc);
    more = rc == STORE_OK && n == RECORD_STEP;
    if (more) f.before_id = rows[n - 1].id;
  }
  return rc;
}

/* A praise as the record shows it. */
static void add_praise(struct http_req *req, const struct feedback *f, json_t *items) {
  char number[INCIDENT_NUMBER_SIZE], date[64];
  bool latin = req->who.latin_digits;
  if (incident_number_format(f->year, f->seq, latin, number, sizeof number) != 0) number[0] = '\0';
  if (loc_format_date(f->received_ms, latin, date, sizeof date) < 0) date[0] = '\0';
  json_array_append_new(items, json_pack("{s:I,s:s,s:o,s:s,s:s?,s:s?,s:s}", "id", (json_int_t)f->id, "number", number,
                                         "received_at", http_time_json(f->received_ms), "date", date, "station",
                                         f->station, "county", f->county, "text", f->text ? f->text : ""));
}

/* A complaint counted under its outcome, or "open" while it is not closed. */
static void count_complaint(struct http_req *req, const struct feedback *f, json_t *counts) {
  (void)req;
  const char *key = f->status == FB_CLOSED ? fb_outcome_name(f->outcome) : "open";
  if (!key) return;
  json_object_set_new(counts, key, json_integer(json_integer_value(json_object_get(counts, key)) + 1));
}

static enum store_rc record_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const char *officer = req->ctx;
  json_t *praise = json_array(), *counts = json_object();
  for (int o = FB_OUTCOME_NONE + 1; o < FB_OUTCOME__COUNT; o++)
    json_object_set_new(counts, fb_outcome_name((enum fb_outcome)o), json_integer(0));
  json_object_set_new(counts, "open", json_integer(0));
  enum store_rc rc = walk(req, tx, officer, FB_PRAISE, add_praise, praise);
  if (rc == STORE_OK) rc = walk(req, tx, officer, FB_COMPLAINT, count_complaint, counts);
  const char *subject = arena_printf(req->arena, "officer:%s", officer);
  if (rc == STORE_OK) rc = subject ? http_audit(req, tx, "officer.record", subject, NULL) : STORE_HARD;
  if (rc != STORE_OK) {
    json_decref(praise);
    json_decref(counts);
    return rc;
  }
  json_int_t complaints = 0;
  const char *key;
  json_t *v;
  json_object_foreach(counts, key, v) complaints += json_integer_value(v);
  json_t *open = json_object_get(counts, "open");
  json_t *body = json_pack("{s:s,s:{s:I,s:o},s:{s:I,s:O,s:o}}", "officer", officer, "praise", "count",
                           (json_int_t)json_array_size(praise), "items", praise, "complaints", "count", complaints,
                           "open", open, "by_outcome", counts);
  json_object_del(counts, "open"); /* counted apart: by_outcome is over closed complaints */
  if (!body) return STORE_HARD;
  http_set_result(req, 200, body);
  return STORE_OK;
}

http_status_t officer_record_get(struct http_req *req) {
  const char *officer = feedback_officer_number(req->arena, req->args[0]);
  if (!officer)
    return http_reply_error(req, ERR_INVALID_FIELD, "officer", "must be the officer's personnel number: 1 to 20 digits");
  req->ctx = (void *)officer;
  return http_write(req, record_tx);
}
