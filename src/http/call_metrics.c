/* call_metrics.c — GET /api/v1/metrics/call-handling: the 110 centre's call-handling
 * figures for a period (supervisor, analyst, commander).
 *
 * from and to are RFC 3339 instants or Jalali periods (1404, 1404-07, 1404-07-09):
 * from takes its period's start and to its period's end, so from=1404-07&to=1404-07 is
 * all of Mehr. Both are required, from before to, at most PERIOD_MAX_DAYS apart. The
 * figures come from the records, never from stored totals: the calls made in the
 * period with their incidents' times, and the phone calls abandoned in it, through
 * core's callstats (percentiles, NENA answer goals, the priority-1 dispatch goal, by
 * hour of day and by county).
 *
 * The rows are read into an arena of their own, larger than a request's (a month of
 * a province's calls is some hundred thousand rows) and freed before the answer goes
 * out. Figures are not personal records, so reading them is not audited.
 */
#include "core/callstats.h"
#include "http/accounts.h"
#include "http/emergency.h"
#include "http/routes.h"
#include "util/arena.h"

#define PERIOD_MAX_DAYS 367
#define ROWS_ARENA_MAX (512u << 20)

struct figures {
  int64_t from_ms, to_ms;
  struct arena *a;
  struct call_timing *rows;
  size_t n;
  int64_t abandoned;
};

static enum store_rc rows_tx(void *cls, struct store_tx *tx) {
  struct figures *f = cls;
  struct store_emergency *em = &store_of(tx)->em;
  enum store_rc rc = em->call_timing_list(tx, f->from_ms, f->to_ms, f->a, &f->rows, &f->n);
  if (rc == STORE_OK) rc = em->tcall_count_abandoned(tx, f->from_ms, f->to_ms, &f->abandoned);
  return rc;
}

http_status_t call_metrics_get(struct http_req *req) {
  struct figures f = {0};
  if (http_query_period_or_reply(req, PERIOD_MAX_DAYS, &f.from_ms, &f.to_ms) != 0) return http_last_status(req);
  if (!(f.a = arena_new(ROWS_ARENA_MAX))) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  enum store_rc rc = store_read(req->app->store, rows_tx, &f);
  if (rc != STORE_OK) {
    arena_free(f.a);
    return http_reply_store_rc(req, rc);
  }
  struct callstats cs;
  json_t *body = NULL;
  if (callstats_compute(f.rows, f.n, f.abandoned, &cs) == 0) {
    body = callstats_json(&cs); /* before the rows go: it borrows their county codes */
    callstats_free(&cs);
  }
  arena_free(f.a);
  if (!body) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  json_object_set_new(body, "from", http_time_json(f.from_ms));
  json_object_set_new(body, "to", http_time_json(f.to_ms));
  return http_reply_json(req, 200, body);
}
