/* metrics.h — counters for GET /metrics (Prometheus text exposition, version 0.0.4).
 *
 * Requests are counted by route (the pattern of the route table, or "static" for
 * console files and "unmatched" for everything else) and status, with a latency
 * histogram per route. Recording is lock-free (relaxed atomics), so every worker
 * thread records its requests without contention. struct metrics is owned by whoever
 * made it with metrics_new() and released with metrics_free().
 */
#ifndef HAMYAR_HTTP_METRICS_H
#define HAMYAR_HTTP_METRICS_H

#include <stdint.h>

#include "util/buf.h"

struct metrics;
struct app;
struct store;
struct event_hub;

/* Slots beyond the route table's indexes. */
enum { METRICS_SLOT_STATIC = -1, METRICS_SLOT_UNMATCHED = -2 };

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);

/* One finished request: slot is the route's index in http_routes or a METRICS_SLOT_*,
 * status 100..599 (others are not counted), seconds its duration. with_latency false
 * for long-lived streams, whose duration says nothing about speed. */
void metrics_record(struct metrics *m, int slot, int status, double seconds, int with_latency);

/* Appends the exposition text: request counters, latency histograms, the store's
 * commit statistics, the credential cache's hits and misses, the number of
 * event-stream clients and the process start time. Any of app's parts may be NULL.
 * 0, or -1 when the buffer's cap was reached. */
int metrics_render(const struct app *app, struct buf *out);

#endif
