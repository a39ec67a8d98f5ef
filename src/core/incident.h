/* incident.h — the life of an incident and of the units sent to it: which status
 * moves are legal, what each move records, how unit moves drive the incident, how a
 * case is closed, and how incidents are numbered.
 *
 * Incident moves (anything else is illegal, and the API answers 409):
 *
 *   pending    → dispatched   a unit is assigned (the only way out of pending but closing)
 *   pending    → closed       no unit needed: a duplicate, advice given, unfounded
 *   dispatched → en_route     the first unit reports it is on its way
 *   dispatched → on_scene     a unit arrives without having reported en route
 *   en_route   → on_scene     the first unit arrives
 *   dispatched → pending      "recalled": every unit was taken off before arriving
 *   en_route   → pending      (the same)
 *   on_scene   → cleared      the last unit has left the scene
 *   cleared    → closed       the case is finished
 *
 * Closing needs a disposition code from incident_dispositions(). Statuses never move
 * back once a unit was on scene; a new need after clearing is a new incident (the
 * repeat rules of repeat.h will point the call-taker at the old one).
 *
 * Unit moves (unit_can_move):
 *
 *   available      → dispatched    only by an assignment to an incident
 *   dispatched     → en_route, on_scene, available (taken off or cleared)
 *   en_route       → on_scene, available
 *   on_scene       → available     clears the incident
 *   available      → busy, out_of_service
 *   busy           → available, out_of_service
 *   out_of_service → available, busy
 *
 * A unit on an incident (dispatched, en route, on scene) must clear before it can
 * become busy or out of service, so that the incident always knows who is with it.
 * The unit's own device and a dispatcher may make every move but into dispatched
 * (unit_can_set).
 *
 * Memory: nothing is allocated; strings returned are static. All functions are
 * thread-safe.
 */
#ifndef HAMYAR_CORE_INCIDENT_H
#define HAMYAR_CORE_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/emergency.h"

/* ---- incident status ------------------------------------------------------------- */

/* True when `from → to` is one of the moves above (a status never "moves" to itself). */
bool incident_can_move(enum incident_status from, enum incident_status to);

/* True when a unit may be assigned to an incident in this status (pending,
 * dispatched, en_route, on_scene). Assigning to pending moves it to dispatched; the
 * others keep their status (a second unit joins). */
bool incident_can_assign(enum incident_status s);

enum incident_move_rc {
  INCIDENT_MOVE_OK = 0,
  INCIDENT_MOVE_ILLEGAL = -1,           /* not a legal move from the current status */
  INCIDENT_MOVE_NEEDS_DISPOSITION = -2, /* closing without a valid inc->disposition */
};

/* Moves inc to `to`: sets the time field of `to` (dispatch_ms, en_route_ms,
 * on_scene_ms, cleared_ms, closed_ms) only if it is still 0, so each records the
 * first time; sets updated_ms = now_ms. To close, set inc->disposition to the code
 * first. On failure inc is unchanged. */
enum incident_move_rc incident_apply_status(struct incident *inc, enum incident_status to,
                                            int64_t now_ms);

/* The incident status its assigned units imply, given its current status and the
 * statuses of the units assigned to it, including any that just left it (give those
 * as available). Units busy or out of service count as gone as well.
 *   - While some unit is still on it: the furthest stage any unit reached (on_scene >
 *     en_route > dispatched), never earlier than the current status.
 *   - When none is: cleared if the incident was on scene, pending ("recalled") if it
 *     was dispatched or en route.
 * Pending, cleared and closed incidents are returned unchanged: units do not move
 * them. The result is always the current status or a legal move from it. */
enum incident_status incident_status_from_units(enum incident_status current,
                                                const enum unit_status *units, size_t n);

/* ---- dispositions ------------------------------------------------------------------ */

struct incident_disposition {
  const char *code;    /* "report_taken" */
  const char *name_fa;
  const char *name_en;
};

const struct incident_disposition *incident_dispositions(size_t *n);
const struct incident_disposition *incident_disposition_find(const char *code);
bool incident_disposition_valid(const char *code);

/* ---- numbers ----------------------------------------------------------------------- */

/* "۱۴۰۴-۰۰۰۱۲۳" (Persian digits) or "1404-000123" (latin): the Jalali year, a dash
 * and the sequence zero-padded to 6 digits (more when it has more). 0 on success, -1
 * when out is too small (INCIDENT_NUMBER_SIZE always fits), year is not 1..9999 or seq
 * is not 1..999999999. */
#define INCIDENT_NUMBER_SIZE 64
int incident_number_format(int year, int64_t seq, bool latin, char *out, size_t outlen);

/* Parses what incident_number_format writes, in Persian, Arabic-Indic or Latin digits:
 * 4 year digits, '-', 6 to 9 sequence digits. 0 on success, -1 otherwise. */
int incident_number_parse(const char *text, int *year, int64_t *seq);

/* ---- units ------------------------------------------------------------------------- */

bool unit_can_move(enum unit_status from, enum unit_status to);
/* The moves a unit's device or a dispatcher may make by setting a status: all of
 * unit_can_move except into dispatched, which only an assignment makes. */
bool unit_can_set(enum unit_status from, enum unit_status to);
/* True for dispatched, en_route and on_scene: the unit is on an incident. */
bool unit_status_assigned(enum unit_status s);

/* Assigns u to an incident: u must be available; it becomes dispatched with
 * incident_id set and status_ms = now_ms. 0, or -1 (u unchanged). */
int unit_assign(struct unit *u, int64_t incident_id, int64_t now_ms);
/* Moves u to `to` (not dispatched: see unit_assign); status_ms = now_ms; moving to
 * available ends its assignment (incident_id = 0). 0, or -1 when illegal (u
 * unchanged). */
int unit_apply_status(struct unit *u, enum unit_status to, int64_t now_ms);

#endif
