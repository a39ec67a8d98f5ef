/* buf.h — a growable byte buffer with a maximum size.
 *
 * A buffer is created with the most it may ever hold; appending past that fails with
 * -1 and leaves the buffer as it was, so an oversized request body, CSV line or text
 * field is an error to report, never an overflow. The data is always NUL-terminated
 * (the terminator is not counted in len). The buffer owns `data`; buf_free releases it,
 * buf_steal hands it to the caller (who then frees it with free()).
 */
#ifndef HAMYAR_UTIL_BUF_H
#define HAMYAR_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
  char *data;  /* NULL until the first append */
  size_t len;  /* bytes held, without the terminating NUL */
  size_t cap;  /* bytes allocated */
  size_t max;  /* the most len may ever reach */
};

void buf_init(struct buf *b, size_t max);
void buf_free(struct buf *b);
void buf_reset(struct buf *b); /* len = 0, keeps the memory */
char *buf_steal(struct buf *b); /* returns data ("" if empty, malloc'd), resets b */

/* 0 on success, -1 when the result would pass max or memory ran out. */
int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_putc(struct buf *b, char c);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

#endif
