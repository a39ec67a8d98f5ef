/* request.h — the server's own view of a request, shared by the files of src/http/
 * that talk to libmicrohttpd (server.c, dispatch.c, reply.c, tx.c, static.c,
 * events.c). Handlers never include this: they see struct http_req (http.h).
 *
 * Lifetime: a struct http_ctx is created when libmicrohttpd reports the request line
 * (the URI log callback), lives in its own arena, and is released by the completion
 * callback together with everything the request allocated: the arena, the body
 * buffer, the parsed JSON body and any result a handler left behind.
 *
 * Threads: a context is used by the worker thread that owns its connection, except
 * while it is PHASE_WRITING: then the connection is suspended and the store's writer
 * thread runs the handler's transaction on it; the resume that ends that phase hands
 * it back (libmicrohttpd's own lock orders the two).
 */
#ifndef HAMYAR_HTTP_REQUEST_H
#define HAMYAR_HTTP_REQUEST_H

#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "http/http.h"
#include "util/buf.h"

/* A response header queued by http_add_header() before the answer exists. */
struct http_kv {
  const char *name, *value;
  struct http_kv *next;
};

enum http_phase {
  PHASE_NEW = 0, /* request line and headers seen, no checks done yet */
  PHASE_BODY,    /* checks passed, collecting the body */
  PHASE_DISCARD, /* the body passed the cap: reading and dropping the rest (see server.c) */
  PHASE_DONE,    /* answered or handed to the handler */
  PHASE_WRITING, /* suspended until the handler's write commits; answered on resume (tx.c) */
};

struct http_ctx {
  struct http_req req; /* first: a struct http_req * is also a struct http_ctx * */
  struct http_server *srv;
  struct MHD_Connection *conn;
  int64_t start_ns;     /* monotonic clock at the request line */
  const char *raw_uri;  /* as received, before any decoding (arena) */
  struct buf body;      /* the upload, bounded by cfg->body_max */
  size_t discarded;     /* bytes dropped after the body passed the cap */
  enum http_phase phase;
  bool answered;        /* a response was queued (or queuing failed) */
  bool refused;         /* libmicrohttpd refused the response: close the connection */
  bool counted;         /* counted in srv->in_flight (from dispatch to completion) */
  int status;           /* the status queued */
  struct http_kv *headers;
  int route_slot;       /* metrics slot: route index, or one of METRICS_SLOT_* */
  bool idem_raced;      /* http_write: a concurrent duplicate stored the key first */
  store_tx_fn tx_fn;    /* http_write/http_read: the handler's callback */
  bool may_suspend;     /* the handler runs in libmicrohttpd's access handler, so
                           http_write may suspend the connection (dispatch.c) */
  enum store_rc write_rc; /* PHASE_WRITING: the write's result, set by the store's writer
                             thread before it resumes the connection */
};

static inline struct http_ctx *http_ctx_of(struct http_req *req) {
  return (struct http_ctx *)req;
}

struct http_server {
  struct MHD_Daemon *daemon;
  struct app *app;
  struct http_config cfg;   /* the caller's config with defaults filled in */
  char *web_root;           /* realpath of cfg.web_dir, or NULL: no static files */
  uint16_t port;
  atomic_int in_flight;     /* requests answered or being handled, not yet completed */
  atomic_int writes_pending; /* connections suspended until their write commits (tx.c) */
  atomic_bool draining;     /* the stop has waited its time: writes no longer suspend */
  bool made_hub, made_limiter, made_metrics, made_authcache, made_repeats, made_idem_seen; /* what stop must release */
};

/* ---- reply.c ------------------------------------------------------------------ */

/* Queues `resp` with `status` after adding the request id, the security headers and
 * the headers queued by http_add_header(). Consumes resp. Returns status. */
int http_send(struct http_ctx *c, int status, struct MHD_Response *resp);
/* Sends `len` bytes of `text` (copied) with a Content-Type. */
int http_reply_text(struct http_req *req, int status, const char *content_type,
                    const char *text, size_t len);

/* ---- dispatch.c --------------------------------------------------------------- */

/* The first call for a request (headers complete): URL cap, routing, early 4xx.
 * Static files are answered here. */
void http_dispatch_begin(struct http_ctx *c);
/* The body is complete: body checks, authentication, roles, idempotency, handler. */
void http_dispatch_finish(struct http_ctx *c);
/* True for paths that belong to the API rather than to the static console. */
bool http_path_is_api(const char *path);

/* ---- static.c ----------------------------------------------------------------- */

/* Answers a request for a file of the console (GET/HEAD under web_root). */
void http_static_serve(struct http_ctx *c);
/* Percent-decodes `in` (len bytes) into the arena. NULL when an escape is malformed
 * or the result would hold a NUL byte. */
char *http_percent_decode(struct arena *a, const char *in, size_t len);

/* ---- tx.c --------------------------------------------------------------------- */

/* Before the handler of an HTTP_IDEMPOTENT route: validates Idempotency-Key and
 * replays a stored answer. 0: go on to the handler; -1: answered. */
int http_idempotency_check(struct http_ctx *c);
/* Notes the key of every answer the store keeps in app->idem_seen (when the server
 * starts); a failure is logged and only costs reads. */
void http_idempotency_load(struct app *app);
/* The principal that owns idempotency keys: user id, or -(API key id). */
int64_t http_principal_id(const struct http_req *req);
/* Called again by libmicrohttpd for a PHASE_WRITING request once its write is over:
 * answers as http_write would have after a synchronous commit. */
void http_write_resume(struct http_ctx *c);

#endif
