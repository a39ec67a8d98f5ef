/* emergency.h — what the 110 centre's handlers share: the JSON form of each record,
 * the roles that see the centre's live events, its tunable rules, and one way to
 * record a change to an incident (timeline line + live event + audit row, in the
 * caller's transaction).
 *
 * Handlers: telephony.c, calls.c, incidents.c, incident_types.c (calls and incidents);
 * units.c, assignments.c, call_metrics.c, places.c (units, dispatch and figures).
 * The json_* functions return new references the caller owns; `latin` chooses Latin
 * digits in the human-readable fields (incident numbers), per the caller's preference.
 */
#ifndef HAMYAR_HTTP_EMERGENCY_H
#define HAMYAR_HTTP_EMERGENCY_H

#include <jansson.h>
#include <stdbool.h>

#include "core/dispatch.h"
#include "core/emergency.h"
#include "core/repeat.h"
#include "http/http.h"

/* Who receives the centre's live events (calls ringing, incidents, units). */
#define ROLES_CENTRE (ROLE_CALL_TAKER | ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_COMMANDER)

struct emergency_config {
  struct repeat_config repeat;
  struct dispatch_config dispatch;
  /* A phone-system call still ringing this long after its ring is recorded as
   * abandoned (telephony_sweep): a phone system that lost the caller's hang-up must not
   * leave a ghost on every call-taker's screen. 0: never. */
  int64_t ring_timeout_ms;
};

/* The defaults of the issue: 30 min / 500 m repeat windows, road factor 1.3, ...,
 * and a 120 s ring timeout. */
struct emergency_config emergency_config_default(void);

/* Records every phone-system call that has rung longer than app->em->ring_timeout_ms
 * without an answer as abandoned at now_ms: its state, an audit row by "system" and
 * the live event "call.abandoned", as an abandon event from the phone system would.
 * Called by `hamyar serve` every few seconds (telephony.c). Returns how many calls it
 * closed, or -1 after logging a store failure. */
int telephony_sweep(struct app *app, int64_t now_ms);
/* The rules the server runs with: app->em, or the defaults when it is not set. */
const struct emergency_config *http_emergency_config(const struct http_req *req);

json_t *json_tcall(const struct telephony_call *t);
json_t *json_call(const struct call *c);
/* The call without "id" as JSON text in a, for a call not stored yet (NULL when out of
 * memory or a text is not UTF-8): given its id by http_json_with_id, it is the text
 * http_json_text writes for json_call, byte for byte. */
const char *json_call_text(struct arena *a, const struct call *c);
json_t *json_incident(const struct incident *i, bool latin);
json_t *json_timeline_entry(const struct timeline_entry *e);
/* A unit with its effective position: `stale` when its last report is older than the
 * stale limit and the position shown is its home station's. */
json_t *json_unit(const struct unit *u, double lat, double lon, const char *position_source, bool stale);
/* An id, or JSON null for 0 (none). */
json_t *json_id(int64_t id);
/* A timeline line's data (stored with http_json_text) back as an object, or {} for text
 * that is not one (a new reference). Used by the 110 and 197 timelines alike. */
json_t *http_json_object(const char *text);

/* Inside a write transaction: appends a timeline line for `inc` (kind, text, data —
 * data may be NULL and is not stolen), an audit row "incident.<kind>", and the live
 * event "incident.updated" (payload: the incident JSON and the new line) for
 * ROLES_CENTRE; for kind "created" the event is "incident.created". */
enum store_rc incident_record(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                              const char *kind, const char *text, json_t *data);
/* The same, also giving back the stored line (its strings in req->arena) when `line`
 * is not NULL, for answers that show it. */
enum store_rc incident_record_line(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                                   const char *kind, const char *text, json_t *data,
                                   struct timeline_entry *line);
/* The same, for a change that moves more than the incident in one event (a unit
 * assigned, a unit's move that moves its incident): the members of `also` (a JSON
 * object or NULL, not stolen; e.g. {"unit": ...}) are added to the event's payload. */
enum store_rc incident_record_with(struct http_req *req, struct store_tx *tx, const struct incident *inc,
                                   const char *kind, const char *text, json_t *data, json_t *also,
                                   struct timeline_entry *line);

/* ---- request helpers shared by the centre's handlers ---------------------------- */

/* ?name= as an instant: RFC 3339, or a Jalali period (1404, 1404-07, 1404-07-09) whose
 * start (end false) or end (end true) is taken. Absent or empty: 0. Replies 400
 * invalid_field and returns -1 when malformed. */
int http_query_time(struct http_req *req, const char *name, bool end, int64_t *out);

/* A phone number in one form: Latin digits (Persian and Arabic-Indic digits read),
 * no spaces, dashes or brackets, an optional leading '+' (in the arena). NULL when it
 * is not a phone number (3 to 20 digits) or memory ran out. Used for 110 callers and
 * 197 citizens alike. */
const char *http_phone_number(struct arena *a, const char *typed);
/* The same for a number a person typed: replies 400 invalid_field naming `field` (and
 * gives NULL) when it is not one. */
const char *http_phone_number_or_reply(struct http_req *req, const char *field, const char *typed);

/* ?name=a,b,c as a bit mask: parse (0 with the value's index, or -1) reads each name,
 * which sets bit 1 << index. Absent or empty: 0. Replies 400 invalid_field naming the
 * parameter and listing `choices`, and returns -1, on an unknown name. */
int http_query_mask(struct http_req *req, const char *name, int (*parse)(const char *text, int *index),
                    const char *choices, unsigned *mask);

/* ?from=&to= of a figures route: both required, from taking its period's start and to
 * its period's end (http_query_time), from before to, at most max_days apart. Replies
 * 400 and returns -1 otherwise. */
int http_query_period_or_reply(struct http_req *req, int max_days, int64_t *from_ms, int64_t *to_ms);

/* A location as a request gives it. */
struct http_location {
  double lat, lon;
  double uncertainty_m; /* 0 when not given */
  const char *source;   /* NULL when not given (or not taken) */
};
/* Parses `obj` ({"lat","lon","uncertainty_m"?} and, with_source, "source"?) as the
 * body's field `field`. Replies 400 naming "field.lat" etc. and returns -1 when
 * malformed. */
int http_location_parse_or_reply(struct http_req *req, json_t *obj, const char *field, bool with_source,
                                 struct http_location *out);

/* Inside a transaction: *known tells whether `code` is a county of the store. */
enum store_rc emergency_county_known(struct store_tx *tx, struct arena *a, const char *code, bool *known);
/* For list filters: a NULL county is known; an unknown one sets the 400 answer
 * (field "county") and *known = false. */
enum store_rc emergency_county_filter(struct http_req *req, struct store_tx *tx, const char *county,
                                      bool *known);

#endif
