/* router.c — path patterns with {captures}; see router.h. */
#include "http/router.h"

#include <string.h>

#include "http/request.h"
#include "util/arena.h"
#include "util/buf.h"

#define MAX_SEGMENTS 16

/* The path's segments, each decoded into the arena. -1 when the path cannot match
 * any route (see router.h). */
static int split_path(const char *path, struct arena *a, const char *seg[MAX_SEGMENTS],
                      size_t *nseg) {
  if (!path || path[0] != '/') return -1;
  size_t n = 0;
  const char *p = path + 1;
  for (;;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len == 0 || len > HTTP_SEGMENT_MAX || n == MAX_SEGMENTS) return -1;
    const char *dec = http_percent_decode(a, p, len);
    if (!dec || !dec[0]) return -1;
    seg[n++] = dec;
    if (!end) break;
    p = end + 1;
  }
  *nseg = n;
  return 0;
}

/* Does `pattern` match the segments? Fills args with the captures. */
static bool pattern_matches(const char *pattern, const char *const *seg, size_t nseg,
                            const char *args[4], size_t *nargs) {
  const char *p = pattern + 1; /* patterns start with '/' */
  size_t i = 0, na = 0;
  for (;;) {
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (i == nseg) return false;
    if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
      if (na == 4) return false;
      args[na++] = seg[i];
    } else if (strlen(seg[i]) != len || memcmp(seg[i], p, len) != 0) {
      return false;
    }
    i++;
    if (!end) break;
    p = end + 1;
  }
  if (i != nseg) return false;
  *nargs = na;
  return true;
}

int http_route_find_in(const struct http_route *table, const char *method, const char *path,
                       struct arena *a, const struct http_route **route, const char *args[4],
                       size_t *nargs, const char **allow) {
  const char *seg[MAX_SEGMENTS];
  size_t nseg = 0;
  *route = NULL;
  *nargs = 0;
  if (allow) *allow = NULL;
  if (split_path(path, a, seg, &nseg) != 0) return 404;

  struct buf methods;
  buf_init(&methods, 128);
  int rc = 404;
  for (const struct http_route *r = table; r->method; r++) {
    const char *cap[4] = {NULL, NULL, NULL, NULL};
    size_t ncap = 0;
    if (!pattern_matches(r->pattern, seg, nseg, cap, &ncap)) continue;
    if (strcmp(r->method, method) == 0) {
      *route = r;
      memcpy(args, cap, sizeof cap);
      *nargs = ncap;
      rc = 0;
      break;
    }
    /* The same pattern under another method: remember it for the Allow header. */
    rc = 405;
    if (!methods.data || !strstr(methods.data, r->method)) {
      if (methods.len) buf_puts(&methods, ", ");
      buf_puts(&methods, r->method);
    }
  }
  if (rc == 405 && allow) *allow = arena_strdup(a, methods.data ? methods.data : "");
  buf_free(&methods);
  return rc;
}

int http_route_find(const char *method, const char *path, struct arena *a,
                    const struct http_route **route, const char *args[4], size_t *nargs,
                    const char **allow) {
  return http_route_find_in(http_routes, method, path, a, route, args, nargs, allow);
}
