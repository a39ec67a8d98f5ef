/* reply.c — answering a request and reading what came with it; see http.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "http/request.h"
#include "util/arena.h"
#include "util/log.h"

/* Headers every answer carries: the request id, and what a browser should not do
 * with our answers (sniff types, leak the URL, frame the console). */
static void add_common_headers(struct http_ctx *c, struct MHD_Response *resp) {
  MHD_add_response_header(resp, "X-Request-Id", c->req.id);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  if (!MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  for (struct http_kv *h = c->headers; h; h = h->next)
    MHD_add_response_header(resp, h->name, h->value);
}

int http_send(struct http_ctx *c, int status, struct MHD_Response *resp) {
  if (c->answered) {
    /* A handler answered twice: our bug. The first answer stands. */
    log_msg(LOG_ERROR, "http.reply", "second answer (%d) to %s %s ignored", status, c->req.method,
            c->req.path);
    MHD_destroy_response(resp);
    return c->status;
  }
  add_common_headers(c, resp);
  c->answered = true;
  c->status = status;
  c->phase = PHASE_DONE;
  if (MHD_queue_response(c->conn, (unsigned)status, resp) != MHD_YES) {
    log_msg(LOG_ERROR, "http.reply", "libmicrohttpd refused the %d answer", status);
    c->refused = true;
  }
  MHD_destroy_response(resp);
  return status;
}

int http_reply_text(struct http_req *req, int status, const char *content_type, const char *text,
                    size_t len) {
  struct http_ctx *c = http_ctx_of(req);
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)text, MHD_RESPMEM_MUST_COPY);
  if (!resp) {
    log_msg(LOG_ERROR, "http.reply", "out of memory for a %zu-byte answer", len);
    c->answered = true; /* nothing can be sent: the connection closes */
    c->refused = true;
    c->phase = PHASE_DONE;
    return 500;
  }
  if (content_type) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
  return http_send(c, status, resp);
}

http_status_t http_reply_json(struct http_req *req, int status, json_t *body) {
  if (!body || status == 204 || status == 304) {
    json_decref(body);
    return http_reply_text(req, status, NULL, "", 0);
  }
  char *text = json_dumps(body, HTTP_JSON_DUMP_FLAGS);
  json_decref(body);
  if (!text) {
    log_msg(LOG_ERROR, "http.reply", "cannot serialise the answer");
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
  int rc = http_reply_text(req, status, "application/json", text, strlen(text));
  free(text);
  return rc;
}

http_status_t http_reply_error(struct http_req *req, enum err_code code, const char *field,
                               const char *message) {
  json_t *err = json_object();
  json_object_set_new(err, "code", json_string(err_code_name(code)));
  /* A message with invalid UTF-8 cannot become a JSON string: use the registry's. */
  json_t *msg = json_string(message ? message : err_default_message(code));
  json_object_set_new(err, "message", msg ? msg : json_string(err_default_message(code)));
  if (field) {
    json_t *f = json_string(field);
    if (f) json_object_set_new(err, "field", f);
  }
  if (code == ERR_INTERNAL) log_msg(LOG_ERROR, "http.internal", "answering 500 internal");
  return http_reply_json(req, err_status(code), json_pack("{s:o}", "error", err));
}

http_status_t http_reply_empty(struct http_req *req) { return http_reply_json(req, 204, NULL); }

http_status_t http_reply_store_rc(struct http_req *req, enum store_rc rc) {
  switch (rc) {
    case STORE_NOT_FOUND:
      return http_reply_error(req, ERR_NOT_FOUND, NULL, NULL);
    case STORE_CONFLICT:
      return http_reply_error(req, ERR_CONFLICT, NULL, NULL);
    case STORE_OK:
      log_msg(LOG_ERROR, "http.handler", "a store success was reported as a failure");
      return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    default:
      return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
}

void http_add_header(struct http_req *req, const char *name, const char *value) {
  struct http_ctx *c = http_ctx_of(req);
  /* A line break would let a value start a header of its own (response splitting). */
  if (!name || !value || strpbrk(name, "\r\n:") || strpbrk(value, "\r\n")) {
    log_msg(LOG_ERROR, "http.header", "refused a header with a line break or no value");
    return;
  }
  struct http_kv *h = arena_alloc(req->arena, sizeof *h);
  if (!h) return;
  h->name = arena_strdup(req->arena, name);
  h->value = arena_strdup(req->arena, value);
  if (!h->name || !h->value) return;
  /* Appended at the end, so headers go out in the order they were added. */
  struct http_kv **tail = &c->headers;
  while (*tail) tail = &(*tail)->next;
  *tail = h;
}

const char *http_query(struct http_req *req, const char *name) {
  return MHD_lookup_connection_value(http_ctx_of(req)->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(struct http_req *req, const char *name) {
  return MHD_lookup_connection_value(http_ctx_of(req)->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(struct http_req *req, const char *name) {
  return MHD_lookup_connection_value(http_ctx_of(req)->conn, MHD_COOKIE_KIND, name);
}

/* Strict decimal: digits only, no sign, no spaces, within int64. */
static int parse_int64(const char *s, int64_t *out) {
  if (!s || !*s) return -1;
  const char *p = s[0] == '-' ? s + 1 : s;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9') return -1;
  if (!*p) return -1;
  errno = 0;
  char *end = NULL;
  long long v = strtoll(s, &end, 10);
  if (errno != 0 || *end != '\0') return -1;
  *out = v;
  return 0;
}

int http_arg_id(struct http_req *req, size_t index, int64_t *out) {
  int64_t v = 0;
  if (index >= req->nargs || parse_int64(req->args[index], &v) != 0 || v <= 0) {
    http_reply_error(req, ERR_NOT_FOUND, NULL, NULL);
    return -1;
  }
  *out = v;
  return 0;
}

int http_query_int(struct http_req *req, const char *name, int64_t min, int64_t max, int64_t def,
                   int64_t *out) {
  const char *s = http_query(req, name);
  if (!s) {
    *out = def;
    return 0;
  }
  int64_t v = 0;
  if (parse_int64(s, &v) != 0 || v < min || v > max) {
    char msg[96];
    snprintf(msg, sizeof msg, "must be a whole number from %" PRId64 " to %" PRId64, min, max);
    http_reply_error(req, ERR_INVALID_FIELD, name, msg);
    return -1;
  }
  *out = v;
  return 0;
}

http_status_t http_last_status(struct http_req *req) { return http_ctx_of(req)->status; }
