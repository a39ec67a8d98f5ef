/* arena.h — memory that belongs to one lifetime (a request, a CLI command, a
 * store transaction's results).
 *
 * Everything allocated from an arena is released together by arena_free(); callers
 * never free individual allocations. An arena has a byte limit fixed at creation:
 * an allocation that would pass it returns NULL (the per-request memory cap), it
 * never grows without bound. Not thread-safe: an arena is used by one thread at a time.
 */
#ifndef HAMYAR_UTIL_ARENA_H
#define HAMYAR_UTIL_ARENA_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Creates an arena that may hand out at most `limit` bytes in all (0: no limit).
 * Returns NULL when out of memory. */
struct arena *arena_new(size_t limit);

/* Releases every allocation of the arena and the arena itself. NULL is ignored. */
void arena_free(struct arena *a);

/* Zeroed memory aligned for any type, or NULL when out of memory or over the limit. */
void *arena_alloc(struct arena *a, size_t n);

/* Copies of strings (NUL-terminated), or NULL. arena_strdup(a, NULL) returns NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);

/* The strings given, up to the NULL that ends the list, one after the other; NULL when
 * out of memory. Copies text without formatting it: for long texts on hot paths. */
char *arena_concat(struct arena *a, ...) __attribute__((sentinel));

/* A formatted string, or NULL. */
char *arena_printf(struct arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const struct arena *a);

/* True when p points into memory this arena handed out (a check that data lives as
 * long as the arena, e.g. before another thread uses it later). */
bool arena_owns(const struct arena *a, const void *p);

#endif
