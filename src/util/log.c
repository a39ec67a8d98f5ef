/* log.c — JSON lines on stderr; see log.h. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/clock.h"

static enum log_level min_level = LOG_INFO;
static _Thread_local char request_id[64];

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level) { min_level = level; }

int log_parse_level(const char *name, enum log_level *out) {
  for (int i = 0; i < 4; i++)
    if (strcmp(name, level_names[i]) == 0) {
      *out = (enum log_level)i;
      return 0;
    }
  return -1;
}

void log_set_request_id(const char *id) {
  if (!id) {
    request_id[0] = '\0';
    return;
  }
  snprintf(request_id, sizeof request_id, "%s", id);
}

/* Appends s as the body of a JSON string (without quotes): the runs that need no escape
 * in one piece each. */
static void put_json_text(struct buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)s, *run = p;
  for (; *p; p++) {
    if (*p != '"' && *p != '\\' && *p >= 0x20) continue;
    buf_append(b, run, (size_t)(p - run));
    if (*p < 0x20) {
      buf_printf(b, "\\u%04x", *p);
    } else {
      buf_putc(b, '\\');
      buf_putc(b, (char)*p);
    }
    run = p + 1;
  }
  buf_append(b, run, (size_t)(p - run));
}

void log_msg(enum log_level level, const char *event, const char *fmt, ...) {
  if (level < min_level) return;
  char msg[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  char ts[32];
  clock_format_rfc3339(clock_now_ms(), ts, sizeof ts);
  struct buf b;
  buf_init(&b, 8192);
  buf_printf(&b, "{\"ts\":\"%s\",\"level\":\"%s\"", ts, level_names[level]);
  if (request_id[0]) {
    buf_puts(&b, ",\"req\":\"");
    put_json_text(&b, request_id);
    buf_putc(&b, '"');
  }
  buf_puts(&b, ",\"event\":\"");
  put_json_text(&b, event);
  buf_puts(&b, "\",\"msg\":\"");
  put_json_text(&b, msg);
  buf_puts(&b, "\"}\n");
  if (b.data) fwrite(b.data, 1, b.len, stderr);
  buf_free(&b);
}
