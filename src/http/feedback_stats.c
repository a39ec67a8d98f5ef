/* feedback_stats.c — GET /api/v1/feedback/stats: the 197 desk's figures for a period
 * (desk, supervisors, analysts, the command).
 *
 * from and to are read exactly as GET /api/v1/metrics/call-handling reads them (RFC
 * 3339 instants or Jalali periods, from taking its period's start and to its end,
 * both required, at most PERIOD_MAX_DAYS apart). The figures are computed by core
 * (feedback_stats.h) from the contacts received in the period, read at each request:
 * by kind, channel, county and station, the share of praise, the time to answer,
 * overdue and open contacts, outcomes and the reconciliation share.
 *
 * The rows are read into an arena of their own (a year of a province's contacts is
 * some tens of thousands) and freed before the answer goes out. Figures name no one,
 * so reading them is not audited.
 */
#include "core/feedback_stats.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/feedback_desk.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"

#define PERIOD_MAX_DAYS 367
#define ROWS_ARENA_MAX (512u << 20)

struct figures {
  int64_t from_ms, to_ms;
  struct arena *a;
  struct feedback *rows;
  size_t n;
};

static enum store_rc rows_tx(void *cls, struct store_tx *tx) {
  struct figures *f = cls;
  return store_of(tx)->fb.list_period(tx, f->from_ms, f->to_ms, f->a, &f->rows, &f->n);
}

http_status_t feedback_stats_get(struct http_req *req) {
  struct figures f = {0};
  if (http_query_period_or_reply(req, PERIOD_MAX_DAYS, &f.from_ms, &f.to_ms) != 0) return http_last_status(req);
  if (!(f.a = arena_new(ROWS_ARENA_MAX))) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  enum store_rc rc = store_read(req->app->store, rows_tx, &f);
  json_t *body = rc == STORE_OK ? fb_stats_json(f.rows, f.n, clock_now_ms()) : NULL;
  arena_free(f.a); /* the figures hold copies of what they name */
  if (rc != STORE_OK) return http_reply_store_rc(req, rc);
  if (!body) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  json_object_set_new(body, "from", http_time_json(f.from_ms));
  json_object_set_new(body, "to", http_time_json(f.to_ms));
  return http_reply_json(req, 200, body);
}
