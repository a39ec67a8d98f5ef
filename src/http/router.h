/* router.h — matching a request path against route patterns.
 *
 * http_route_find() (http.h) looks in the server's table, http_routes; this header
 * adds the same lookup over any table, for tests and tools. Matching works on the raw
 * path as received: it is split at '/', each segment is percent-decoded, literal
 * segments must equal the pattern's, and {name} segments are captured (decoded, in the
 * arena). A segment that is empty, longer than HTTP_SEGMENT_MAX bytes, malformed or
 * decodes to a NUL byte matches nothing, so "/api/v1/users/" is not "/api/v1/users".
 */
#ifndef HAMYAR_HTTP_ROUTER_H
#define HAMYAR_HTTP_ROUTER_H

#include "http/http.h"

#define HTTP_SEGMENT_MAX 256

int http_route_find_in(const struct http_route *table, const char *method, const char *path,
                       struct arena *a, const struct http_route **route, const char *args[4],
                       size_t *nargs, const char **allow);

#endif
