/* buf.c — bounded growable buffer; see buf.h. */
#include "util/buf.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

void buf_free(struct buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void buf_reset(struct buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = '\0';
}

char *buf_steal(struct buf *b) {
  char *p = b->data ? b->data : calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

static int grow(struct buf *b, size_t need) {
  if (need > b->max) return -1;
  if (need + 1 <= b->cap) return 0;
  /* A first allocation that holds a typical line (a log line, an audit row's canonical
   * text) whole, not one grown through several reallocations. */
  size_t cap = b->cap ? b->cap : 512;
  while (cap < need + 1) cap = cap > ((size_t)-1) / 2 ? need + 1 : cap * 2;
  if (cap > b->max + 1) cap = b->max + 1;
  char *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

int buf_append(struct buf *b, const void *data, size_t n) {
  if (n > b->max - b->len || grow(b, b->len + n) != 0) return -1;
  if (n) memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int buf_puts(struct buf *b, const char *s) { return buf_append(b, s, strlen(s)); }

int buf_putc(struct buf *b, char c) { return buf_append(b, &c, 1); }

int buf_vprintf(struct buf *b, const char *fmt, va_list ap) {
  /* Formatted once into the room there is; a second time only when it did not fit. */
  size_t room = b->data ? b->cap - b->len : 0;
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, copy);
  va_end(copy);
  bool fits = n >= 0 && (size_t)n < room; /* then within max too: cap is at most max + 1 */
  if (!fits && (n < 0 || (size_t)n > b->max - b->len || grow(b, b->len + (size_t)n) != 0)) {
    if (b->data) b->data[b->len] = '\0'; /* the try may have written past len */
    return -1;
  }
  if (!fits) vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}
