/* callstats.h — the 110 centre's call-handling figures: how fast calls are answered,
 * units sent and incidents worked, against the standards the centre is held to.
 *
 * Input is one struct call_timing per call-taker call in a period (store_emergency.h)
 * and the number of calls abandoned before answer in that period.
 *
 * Intervals, each as count, p50, p90, p95 and max in seconds:
 *   ring_to_answer        per call with a ring time (from the phone system);
 *   answer_to_dispatch    per incident: its first call's answer to its first assignment;
 *   dispatch_to_on_scene  per incident;
 *   on_scene_to_clear     per incident;
 * "per incident" uses the rows of calls that created an incident (first_call), so an
 * incident with five calls counts once. A row whose interval has not ended (time 0) or
 * runs backwards (clocks of two systems) is left out of that interval.
 * Percentiles are nearest-rank: the p-th percentile of n sorted values is the value at
 * rank ceil(p/100 × n), so it is always one of the measured values.
 *
 * Goals:
 *   answer_15s  share of calls with a ring time answered within 15 s (NENA call answering
 *               standard: 90%);
 *   answer_20s  the same within 20 s (NENA: 95%);
 *   priority1_dispatch_60s  share of priority-1 emergency-operation calls that created
 *               an incident, or never got one, whose incident was dispatched within 60 s
 *               of answer (goal 90%). One never dispatched counts as missed.
 * "Within" includes the limit (15.000 s is within 15 s). A goal is met when
 * within × 100 >= goal% × count, in integers, so exactly 90% meets 90%. Abandoned calls
 * are counted but are not in the answer goals' denominators (they were never answered;
 * NENA reports them separately).
 *
 * Breakdowns by hour of day (0..23, Asia/Tehran, of the ring time or else the answer
 * time) and by county (sorted by code; rows without a county under NULL, last) give
 * calls, ring_to_answer and the three goals for their rows.
 *
 * Memory: callstats_compute allocates the county list; callstats_free releases it.
 * County strings are borrowed from the rows, which must outlive the result. Needs
 * loc_init() (hours of day come from loc_from_utc_ms). Thread-safe.
 */
#ifndef HAMYAR_CORE_CALLSTATS_H
#define HAMYAR_CORE_CALLSTATS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store_emergency.h"

enum callstats_interval {
  CALLSTATS_RING_TO_ANSWER = 0,
  CALLSTATS_ANSWER_TO_DISPATCH,
  CALLSTATS_DISPATCH_TO_ON_SCENE,
  CALLSTATS_ON_SCENE_TO_CLEAR,
  CALLSTATS_INTERVAL__COUNT
};

enum callstats_goal_kind {
  CALLSTATS_ANSWER_15S = 0,
  CALLSTATS_ANSWER_20S,
  CALLSTATS_P1_DISPATCH_60S,
  CALLSTATS_GOAL__COUNT
};

struct callstats_dist {
  size_t count;
  double p50_s, p90_s, p95_s, max_s; /* 0 when count is 0 */
};

struct callstats_goal {
  int64_t limit_s;  /* 15, 20, 60 */
  int goal_pct;     /* 90, 95, 90 */
  size_t count;     /* calls measured */
  size_t within;    /* of them, within the limit */
  double share;     /* within / count; 0 when count is 0 */
  bool met;         /* false when count is 0 */
};

struct callstats_bucket {
  int hour;           /* by_hour: 0..23; by_county: -1 */
  const char *county; /* by_county: the code, NULL for rows without one; by_hour: NULL */
  size_t calls;
  struct callstats_dist ring_to_answer;
  struct callstats_goal goals[CALLSTATS_GOAL__COUNT];
};

struct callstats {
  size_t calls, incidents;
  int64_t abandoned;
  size_t by_outcome[CALL_OUTCOME__COUNT];
  struct callstats_dist intervals[CALLSTATS_INTERVAL__COUNT];
  struct callstats_goal goals[CALLSTATS_GOAL__COUNT];
  struct callstats_bucket by_hour[24];
  struct callstats_bucket *by_county;
  size_t ncounties;
};

/* The distribution of n intervals in milliseconds, as above: count, nearest-rank p50,
 * p90, p95 and max in seconds (all 0 when n is 0). Sorts v in place. Shared by the
 * other figures that promise the same percentiles (feedback_stats.h). */
struct callstats_dist callstats_dist_of(int64_t *v, size_t n);

/* "ring_to_answer", ... and "answer_15s", "answer_20s", "priority1_dispatch_60s". */
const char *callstats_interval_name(enum callstats_interval i);
const char *callstats_goal_name(enum callstats_goal_kind g);

/* Computes the figures of n rows. 0 on success; -1 when out of memory or a time
 * cannot be converted (then *out holds nothing to free). */
int callstats_compute(const struct call_timing *rows, size_t n, int64_t abandoned, struct callstats *out);
void callstats_free(struct callstats *s);

/* The figures as the API serves them (new reference; NULL when out of memory):
 *   {"calls", "incidents", "abandoned", "by_outcome": {"operation": n, ...},
 *    "intervals": {"ring_to_answer": DIST, ...},
 *    "goals": {"answer_15s": GOAL, "answer_20s": GOAL, "priority1_dispatch_60s": GOAL},
 *    "by_hour": [{"hour", "calls", "ring_to_answer": DIST, "goals": {...}} x 24],
 *    "by_county": [{"county" (null for none), "calls", "ring_to_answer", "goals"}]}
 * DIST = {"count", "p50_s", "p90_s", "p95_s", "max_s"}, the seconds null when count is 0;
 * GOAL = {"limit_s", "goal", "count", "within", "share", "met"} with goal as a fraction
 * (0.9) and share and met null when count is 0. */
json_t *callstats_json(const struct callstats *s);

#endif
