/* clock.h — wall-clock time as hamyar stores it: UTC milliseconds since the epoch. */
#ifndef HAMYAR_UTIL_CLOCK_H
#define HAMYAR_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

int64_t clock_now_ms(void);

/* A clock for measuring how long something took or how old something is: it never
 * steps back or jumps when the wall clock is set. Its zero means nothing. */
int64_t clock_mono_ns(void);
static inline int64_t clock_mono_ms(void) { return clock_mono_ns() / 1000000; }

/* RFC 3339 in UTC with milliseconds and "Z", e.g. "2025-10-01T08:30:00.000Z".
 * `out` must hold at least 25 bytes. Returns out. */
char *clock_format_rfc3339(int64_t ms, char *out, size_t outlen);

/* Parses RFC 3339 ("2025-10-01T08:30:00Z", optional fraction, "Z" or "+03:30")
 * into UTC milliseconds. 0 on success, -1 when malformed. */
int clock_parse_rfc3339(const char *s, int64_t *ms);

#endif
