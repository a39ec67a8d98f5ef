/* feedback_stats.h — the 197 desk's figures for a period, computed from the contacts
 * received in it (never from typed-in totals).
 *
 * fb_stats_json(rows, n, now_ms) gives one JSON object:
 *   total                       contacts in the period
 *   by_kind, by_channel         {name: count} with every name present (0 when none)
 *   by_county, by_station       [{"code": ..., "count": ...}] sorted by count, then code;
 *                               contacts without one under code null, last
 *   praise_share                praise / total (0 when total is 0), a number in [0, 1]
 *   answer_time_s               {"count", "p50", "p90", "max"}: received → answered,
 *                               in seconds, over contacts answered (nearest-rank
 *                               percentiles, as callstats.h); null values when none
 *   overdue                     contacts overdue at now_ms
 *   open                        contacts not closed
 *   outcomes                    {name: count} over closed contacts, every name present
 *   outcome_shares              {name: share of closed}
 *   reconciliation_share        reconciled / closed complaints (0 when none)
 * Thread-safe; the rows are only read. Returns NULL only when out of memory.
 */
#ifndef HAMYAR_CORE_FEEDBACK_STATS_H
#define HAMYAR_CORE_FEEDBACK_STATS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "core/feedback.h"

json_t *fb_stats_json(const struct feedback *rows, size_t n, int64_t now_ms);

#endif
