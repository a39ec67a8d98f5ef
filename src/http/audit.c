/* audit.c — GET /api/v1/audit: the audit log, newest first (supervisor, admin).
 *
 * Filters: from, to (RFC 3339 instants, or Jalali periods such as 1404-07: `from`
 * takes the period's start and `to` its end, so to=1404-07 includes all of Mehr; `to`
 * is exclusive), actor, action ("session.*" for a prefix), subject; paged by
 * cursor (the id below which the next page starts). Reading the log is itself audited,
 * one row per request, appended after the rows are read so the answer does not show
 * its own read.
 */
#include <sodium.h>
#include <string.h>

#include "http/accounts.h"
#include "http/emergency.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"

#define PAGE_DEFAULT 50
#define PAGE_MAX 200

/* A text filter; empty is no filter. Replies 400 and returns -1 when not UTF-8. */
static int text_filter(struct http_req *req, const char *name, const char **out) {
  const char *text = http_query(req, name);
  *out = text && *text ? text : NULL;
  if (*out && !loc_utf8_valid(text, strlen(text))) {
    http_reply_error(req, ERR_INVALID_UTF8, name, NULL);
    return -1;
  }
  return 0;
}

static json_t *hex(const uint8_t h[32]) {
  char text[65];
  return json_string(sodium_bin2hex(text, sizeof text, h, 32));
}

static json_t *row_json(const struct audit_row *r) {
  json_t *detail = r->detail ? json_loads(r->detail, 0, NULL) : NULL;
  if (!json_is_object(detail)) {
    json_decref(detail);
    detail = json_object();
  }
  return json_pack("{s:I,s:o,s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:o}", "id", (json_int_t)r->id, "time",
                   http_time_json(r->time_ms), "actor_id", (json_int_t)r->actor_id, "actor", r->actor,
                   "action", r->action, "subject", r->subject, "detail", detail, "ip", r->ip,
                   "request_id", r->request_id, "hash", hex(r->hash));
}

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct audit_filter f = *(const struct audit_filter *)req->ctx;
  size_t limit = f.limit;
  struct audit_row *rows;
  size_t n;
  f.limit = limit + 1; /* one more than asked tells whether there is a next page */
  enum store_rc rc = store_of(tx)->audit_list(tx, &f, req->arena, &rows, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, row_json(&rows[i]));
  json_t *detail = json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:I}", "from_ms", (json_int_t)f.from_ms, "to_ms",
                             (json_int_t)f.to_ms, "actor", f.actor, "action", f.action, "subject", f.subject,
                             "before_id", (json_int_t)f.before_id);
  rc = http_set_page(req, tx, items, more, n ? rows[n - 1].id : 0, "audit.read", detail);
  json_decref(detail);
  return rc;
}

http_status_t audit_list(struct http_req *req) {
  struct audit_filter *f = arena_alloc(req->arena, sizeof *f);
  int64_t limit;
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  if (http_query_int(req, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &limit) != 0) return http_last_status(req);
  if (http_query_time(req, "from", false, &f->from_ms) != 0 || http_query_time(req, "to", true, &f->to_ms) != 0)
    return http_last_status(req);
  if (http_query_cursor(req, &f->before_id) != 0) return http_last_status(req);
  if (text_filter(req, "actor", &f->actor) != 0 || text_filter(req, "action", &f->action) != 0 ||
      text_filter(req, "subject", &f->subject) != 0)
    return http_last_status(req);
  f->limit = (size_t)limit;
  req->ctx = f;
  return http_write(req, list_tx);
}
