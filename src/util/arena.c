/* arena.c — chunked bump allocator; see arena.h. */
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16u
#define ARENA_CHUNK 8192u

struct chunk {
  struct chunk *next;
  size_t size; /* usable bytes after the header */
  size_t used;
  _Alignas(16) unsigned char data[];
};

struct arena {
  struct chunk *head;
  size_t limit;
  size_t handed;
};

struct arena *arena_new(size_t limit) {
  struct arena *a = calloc(1, sizeof *a);
  if (a) a->limit = limit;
  return a;
}

void arena_free(struct arena *a) {
  if (!a) return;
  struct chunk *c = a->head;
  while (c) {
    struct chunk *next = c->next;
    free(c);
    c = next;
  }
  free(a);
}

void *arena_alloc(struct arena *a, size_t n) {
  if (!a) return NULL;
  if (n == 0) n = 1;
  if (n > SIZE_MAX - ARENA_ALIGN) return NULL;
  size_t rounded = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
  if (a->limit && (rounded > a->limit || a->handed > a->limit - rounded)) return NULL;
  struct chunk *c = a->head;
  if (!c || c->size - c->used < rounded) {
    size_t size = rounded > ARENA_CHUNK / 2 ? rounded : ARENA_CHUNK;
    struct chunk *fresh = malloc(sizeof *fresh + size);
    if (!fresh) return NULL;
    fresh->size = size;
    fresh->used = 0;
    if (c && size == rounded) {
      /* A large block goes behind the current chunk so its free space stays usable. */
      fresh->next = c->next;
      c->next = fresh;
    } else {
      fresh->next = c;
      a->head = fresh;
    }
    c = fresh;
  }
  void *p = c->data + c->used;
  c->used += rounded;
  a->handed += rounded;
  memset(p, 0, n);
  return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n) {
  if (!s) return NULL;
  char *p = arena_alloc(a, n + 1);
  if (!p) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *arena_strdup(struct arena *a, const char *s) {
  return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_concat(struct arena *a, ...) {
  va_list ap;
  size_t n = 0;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));) n += strlen(s);
  va_end(ap);
  char *p = arena_alloc(a, n + 1);
  if (!p) return NULL;
  char *at = p;
  va_start(ap, a);
  for (const char *s; (s = va_arg(ap, const char *));) {
    size_t k = strlen(s);
    memcpy(at, s, k);
    at += k;
  }
  va_end(ap);
  *at = '\0';
  return p;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap) {
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(NULL, 0, fmt, copy);
  va_end(copy);
  if (n < 0) return NULL;
  char *p = arena_alloc(a, (size_t)n + 1);
  if (!p) return NULL;
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *p = arena_vprintf(a, fmt, ap);
  va_end(ap);
  return p;
}

size_t arena_used(const struct arena *a) { return a ? a->handed : 0; }

bool arena_owns(const struct arena *a, const void *p) {
  if (!a || !p) return false;
  uintptr_t at = (uintptr_t)p;
  for (const struct chunk *c = a->head; c; c = c->next) {
    uintptr_t start = (uintptr_t)c->data;
    if (at >= start && at - start < c->used) return true;
  }
  return false;
}
