/* units.h — what the handlers of patrol units share (units.c, assignments.c): a unit
 * as the API shows it, with its effective position (its last report while fresh, else
 * its home station's, flagged stale: core/dispatch.h), and the checks on who may move
 * a unit.
 *
 * Memory: a struct unit_view holds the stations read into the request's arena; the
 * JSON returned is a new reference the caller owns.
 */
#ifndef HAMYAR_HTTP_UNITS_H
#define HAMYAR_HTTP_UNITS_H

#include <jansson.h>
#include <stdint.h>

#include "core/dispatch.h"
#include "http/http.h"

struct unit_view {
  struct station *stations;
  size_t nstations;
  const struct dispatch_config *cfg;
  int64_t now_ms;
};

/* Inside a transaction: reads the stations and takes the rules and the time, for
 * unit_view_json. */
enum store_rc unit_view_load(struct http_req *req, struct store_tx *tx, struct unit_view *v);

/* The unit's JSON (json_unit) with its effective position as of v->now_ms; "position"
 * is null for a unit with neither a report nor a known station. */
json_t *unit_view_json(const struct unit_view *v, const struct unit *u);

/* "unit:ID", in the request's arena: the subject of a unit's audit rows and events. */
const char *unit_subject(struct http_req *req, int64_t id);

/* A unit's own device key (role unit) acts on its own unit only. Replies 403 and
 * returns -1 when the caller holds such a key for another unit; 0 otherwise. */
int unit_caller_allowed_or_reply(struct http_req *req, int64_t unit_id);

#endif
