/* repeat.h — which open incidents a new 110 call may be about ("duplicate
 * candidates"), and how repeat calls raise an incident's priority.
 *
 * A call is never rejected for being a repeat: these are suggestions shown to the
 * call-taker, who links the call or creates a new incident.
 *
 * An open incident (not cleared or closed) is a candidate when
 *   - one of its calls came from the same number ("same_caller") and the incident was
 *     active within same_caller_window_ms of the new call; or
 *   - its type is the same as the call's or related to it (incident_type.h), AND both
 *     have a location no more than radius_m apart, AND the incident was active within
 *     nearby_window_ms of the call.
 * "Active" is the incident's latest time: its creation, its last update, or (when the
 * caller gives them) the times of its calls. Numbers are compared in national form, so
 * +98 911 123 4567, 00989111234567 and 09111234567 are one caller.
 *
 * Score (higher is a likelier repeat):
 *   same caller 100; same type 40 or related type 20; closeness 0..30 (30 at 0 m,
 *   falling linearly to 0 at radius_m); recency 0..20 (20 when just active, falling
 *   linearly to 0 at the larger window).
 * So a same-caller candidate always outranks any other (100 > 40 + 30 + 20). Ties are
 * ordered newer incident first (created_ms, then id, descending), so the order is
 * fully deterministic.
 *
 * Reasons, in this order: "same_caller", "same_type" or "related_type", "nearby" (with
 * distance_m), "recent" (with minutes since the incident was active; always present).
 * same_type/related_type and nearby are reported whenever true, also for a candidate
 * that qualified as same caller only.
 *
 * Memory: nothing is allocated; candidates point into the caller's incidents. All
 * functions are thread-safe.
 */
#ifndef HAMYAR_CORE_REPEAT_H
#define HAMYAR_CORE_REPEAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/emergency.h"

struct repeat_config {
  int64_t same_caller_window_ms;
  double radius_m;
  int64_t nearby_window_ms;
};

/* 30 minutes, 500 m, 30 minutes (issue 3). */
#define REPEAT_CONFIG_DEFAULT                                                          \
  {.same_caller_window_ms = 30 * 60 * 1000LL, .radius_m = 500.0,                        \
   .nearby_window_ms = 30 * 60 * 1000LL}

/* One open incident with the caller numbers of its calls (ncallers of them; NULL
 * entries are skipped) and, optionally, when each call was made (call_ms, parallel to
 * callers; NULL when not known). */
struct repeat_incident {
  const struct incident *inc;
  const char *const *callers;
  const int64_t *call_ms;
  size_t ncallers;
};

enum repeat_reason {
  REPEAT_SAME_CALLER = 0,
  REPEAT_SAME_TYPE,
  REPEAT_RELATED_TYPE,
  REPEAT_NEARBY,
  REPEAT_RECENT,
  REPEAT_REASON__COUNT
};

struct repeat_candidate {
  const struct incident *inc;
  int64_t incident_id;
  double score;
  unsigned reasons;   /* bit (1u << enum repeat_reason) */
  double distance_m;  /* call to incident; -1 when either has no location */
  int64_t minutes;    /* whole minutes since the incident was last active (>= 0) */
};

/* "same_caller", ...; NULL when out of range. */
const char *repeat_reason_name(enum repeat_reason r);
/* The names of c's reasons in the order above; returns how many (<= __COUNT). */
size_t repeat_reason_names(const struct repeat_candidate *c, const char *out[REPEAT_REASON__COUNT]);

/* The ranked candidates for `call` (its caller_number, location, type and created_ms
 * are used) among n incidents. Writes the best `max` to out, best first; returns how
 * many. */
size_t repeat_candidates(const struct call *call, const struct repeat_incident *incidents, size_t n,
                         const struct repeat_config *cfg, struct repeat_candidate *out, size_t max);

/* True when two caller numbers are the same subscriber: compared on their digits
 * (ASCII, Persian or Arabic-Indic) in national form: a leading 0098, +98 (or 98 before
 * ten more digits) or 0 is dropped. False when either has no digits. */
bool repeat_same_caller(const char *a, const char *b);

/* Priority after a call is linked to an incident: call it once per linked call with
 * the incident's priority before the link and its call count after it. The 3rd call
 * raises the priority one level (3 → 2), and so does every second call after it (5th,
 * 7th, ...); never above 1. Other counts leave it unchanged. A priority outside 1..4 is
 * first clamped into it. */
int repeat_raised_priority(int current_priority, int call_count);

#endif
