/* log.h — structured logging: one JSON object per line on stderr.
 *
 * Every line carries the time (RFC 3339, UTC), the level, the event name, the
 * message, and the request id of the thread's current request when there is one,
 * so a request can be followed across lines:
 *   {"ts":"2026-11-30T00:00:00.000Z","level":"info","req":"9f2c..","event":"http.request","msg":"..."}
 * Two kinds of "should not happen": our own bug logs at LOG_ERROR, the other side's
 * fault (a client, the phone system) at LOG_WARN.
 */
#ifndef HAMYAR_UTIL_LOG_H
#define HAMYAR_UTIL_LOG_H

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Lines below this level are dropped (default LOG_INFO). */
void log_set_level(enum log_level level);
int log_parse_level(const char *name, enum log_level *out); /* 0 ok, -1 unknown */

/* The request id for log lines written by this thread; NULL clears it. The string
 * is copied. */
void log_set_request_id(const char *id);

void log_msg(enum log_level level, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
