/* dispatch.c — the checks every API request passes before its handler runs, in the
 * order http.h gives. Each failed check answers once and ends the request; handlers
 * only ever see requests that passed them all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/auth.h"
#include "http/metrics.h"
#include "http/request.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/log.h"

/* The Open311 GeoReport v2 endpoint lives at /open311/v2/ (open311.c), where its
 * clients expect it, beside the API rather than under it. */
bool http_path_is_api(const char *path) {
  return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/metrics") == 0 ||
         strncmp(path, "/open311/", 9) == 0;
}

static const char *skip_space(const char *p) {
  while (*p == ' ' || *p == '\t') p++;
  return p;
}

/* "application/json", optionally with parameters; a charset, if given, is UTF-8. */
static bool is_json_type(const char *ct) {
  if (!ct) return false;
  const char *p = skip_space(ct);
  if (strncasecmp(p, "application/json", 16) != 0) return false;
  p = skip_space(p + 16);
  while (*p == ';') {
    p = skip_space(p + 1);
    const char *end = strchr(p, ';');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len >= 8 && strncasecmp(p, "charset=", 8) == 0) {
      const char *v = p + 8;
      size_t vlen = len - 8;
      while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) vlen--;
      if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"') {
        v++;
        vlen -= 2;
      }
      if (!((vlen == 5 && strncasecmp(v, "utf-8", 5) == 0) ||
            (vlen == 4 && strncasecmp(v, "utf8", 4) == 0)))
        return false;
    }
    p = end ? end : p + len;
  }
  return *p == '\0';
}

void http_dispatch_begin(struct http_ctx *c) {
  struct http_req *req = &c->req;
  const struct http_config *cfg = &c->srv->cfg;
  if (strlen(c->raw_uri) > cfg->url_max) {
    http_reply_error(req, ERR_URI_TOO_LONG, NULL, NULL);
    return;
  }
  if (!http_path_is_api(req->path)) {
    c->route_slot = METRICS_SLOT_STATIC;
    http_static_serve(c);
    return;
  }
  const char *allow = NULL;
  int rc = http_route_find(req->method, req->path, req->arena, &req->route, req->args,
                           &req->nargs, &allow);
  if (rc == 405) {
    http_add_header(req, "Allow", allow ? allow : "");
    http_reply_error(req, ERR_METHOD_NOT_ALLOWED, NULL, NULL);
    return;
  }
  if (rc != 0) {
    http_reply_error(req, ERR_ROUTE_NOT_FOUND, NULL, NULL);
    return;
  }
  c->route_slot = (int)(req->route - http_routes);

  /* A declared length over the cap is refused before a byte of it is read. */
  const char *cl = http_header(req, "Content-Length");
  if (cl) {
    errno = 0;
    char *end = NULL;
    unsigned long long n = strtoull(cl, &end, 10);
    if (errno == ERANGE || n > cfg->body_max) {
      http_reply_error(req, ERR_PAYLOAD_TOO_LARGE, NULL, NULL);
      return;
    }
  }
  if ((req->route->flags & HTTP_JSON_BODY) && !is_json_type(http_header(req, "Content-Type"))) {
    http_reply_error(req, ERR_UNSUPPORTED_MEDIA, NULL, NULL);
    return;
  }
  buf_init(&c->body, cfg->body_max);
  c->phase = PHASE_BODY;
}

/* Blank, or a JSON object with no members: what clients send for "no body". */
static bool is_empty_body(const char *text, size_t len) {
  size_t i = 0;
  while (i < len && strchr(" \t\r\n", text[i])) i++;
  if (i == len) return true;
  json_t *v = json_loadb(text, len, 0, NULL);
  bool empty = json_is_object(v) && json_object_size(v) == 0;
  json_decref(v);
  return empty;
}

/* Parses a JSON body into req->body. -1 after answering 400. */
static int parse_json_body(struct http_req *req) {
  if (req->raw_len == 0) {
    http_reply_error(req, ERR_BAD_JSON, NULL, "The body is empty; send one JSON object.");
    return -1;
  }
  if (!loc_utf8_valid(req->raw_body, req->raw_len)) {
    http_reply_error(req, ERR_INVALID_UTF8, NULL, "The body must be valid UTF-8 without NUL bytes.");
    return -1;
  }
  json_error_t e;
  req->body = json_loadb(req->raw_body, req->raw_len, JSON_REJECT_DUPLICATES, &e);
  if (!req->body) {
    char msg[256];
    snprintf(msg, sizeof msg, "The body is not valid JSON: %s (line %d, column %d).", e.text,
             e.line, e.column);
    http_reply_error(req, ERR_BAD_JSON, NULL, msg);
    return -1;
  }
  if (!json_is_object(req->body)) {
    http_reply_error(req, ERR_BAD_JSON, NULL, "The body must be one JSON object.");
    return -1;
  }
  return 0;
}

void http_dispatch_finish(struct http_ctx *c) {
  struct http_req *req = &c->req;
  const struct http_route *route = req->route;
  c->phase = PHASE_DONE;
  if (c->body.len) {
    req->raw_body = c->body.data;
    req->raw_len = c->body.len;
  }
  if (route->flags & HTTP_JSON_BODY) {
    if (parse_json_body(req) != 0) return;
  } else if (!(route->flags & HTTP_RAW_BODY) && req->raw_len &&
             !is_empty_body(req->raw_body, req->raw_len)) {
    http_reply_error(req, ERR_BAD_REQUEST, NULL, "This endpoint takes no body.");
    return;
  }

  if (!(route->flags & HTTP_PUBLIC)) {
    if (http_authenticate(req) != 0) {
      if (!c->answered) {
        log_msg(LOG_ERROR, "http.auth", "authentication failed without answering");
        http_reply_error(req, ERR_UNAUTHENTICATED, NULL, NULL);
      }
      return;
    }
    if (!role_allows(route->roles, req->who.roles)) {
      http_reply_error(req, ERR_FORBIDDEN, NULL, NULL);
      return;
    }
  }
  if (http_idempotency_check(c) != 0) return;

  /* Here, inside libmicrohttpd's access handler, a write may suspend the connection;
   * it is answered when libmicrohttpd calls again after the commit (server.c). */
  c->may_suspend = true;
  route->handler(req);
  c->may_suspend = false;
  if (!c->answered && c->phase != PHASE_WRITING) {
    log_msg(LOG_ERROR, "http.handler", "%s %s returned without answering", route->method,
            route->pattern);
    http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
}
