/* server.c — libmicrohttpd's daemon and its callbacks: one context per request,
 * the calls of the access handler routed to dispatch.c, and the completion callback
 * that records, logs and frees each request.
 *
 * Threads: libmicrohttpd's epoll thread pool runs every callback. A request stays on
 * the worker that accepted its connection, so its context is used by one thread at a
 * time and needs no lock; while its write waits for the commit the connection is
 * suspended and the store's writer (then its sync thread) has it (tx.c, request.h).
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "http/authcache.h"
#include "http/events.h"
#include "http/idemseen.h"
#include "http/metrics.h"
#include "http/ratelimit.h"
#include "http/repeats.h"
#include "http/request.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

/* The most of an oversized chunked body read (and dropped) to be able to answer 413. */
#define DISCARD_MAX (4u << 20)
/* The longest the open incidents read for one call's duplicate search are used for the
 * next calls (repeats.h). Changes through this server count at once, through the
 * incidents version; this bounds how long a change made behind its back goes unseen. */
#define REPEATS_KEEP_MS 1000
/* Bits per generation of the filter of Idempotency-Keys (idemseen.h): 2 MiB each. */
#define IDEM_SEEN_BITS_LOG2 24

static const char *peer_address(struct MHD_Connection *conn, struct arena *a) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  char text[INET6_ADDRSTRLEN] = "";
  if (ci && ci->client_addr) {
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, text, sizeof text);
    else if (sa->sa_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, text,
                sizeof text);
  }
  return arena_strdup(a, text);
}

/* The request line has arrived: make the request's context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn) {
  struct http_server *srv = cls;
  struct arena *a = arena_new(srv->cfg.request_arena_max);
  struct http_ctx *c = a ? arena_alloc(a, sizeof *c) : NULL;
  if (!c) {
    arena_free(a);
    log_msg(LOG_ERROR, "http.request", "out of memory for a new request");
    return NULL;
  }
  c->srv = srv;
  c->conn = conn;
  c->start_ns = clock_mono_ns();
  c->route_slot = METRICS_SLOT_UNMATCHED;
  const char *raw = arena_strdup(a, uri ? uri : "");
  c->raw_uri = raw ? raw : "";
  struct http_req *req = &c->req;
  req->app = srv->app;
  req->arena = a;
  req->conn = conn;
  req->who.kind = PRINCIPAL_NONE;
  req->who.name = "anonymous";
  req->method = "";
  /* The path stays as sent (percent-encoded): the router and static.c decode it
   * themselves, segment by segment, so an encoded '/' cannot split a segment. */
  const char *target = c->raw_uri;
  if (strncasecmp(target, "http://", 7) == 0 || strncasecmp(target, "https://", 8) == 0) {
    /* The absolute form ("http://host/path", RFC 9112 §3.2.2) names the same path. */
    const char *slash = strchr(strstr(target, "//") + 2, '/');
    target = slash ? slash : "/";
  }
  const char *q = strchr(target, '?');
  req->path = q ? arena_strndup(a, target, (size_t)(q - target)) : target;
  if (!req->path) req->path = "";
  unsigned char rnd[16];
  randombytes_buf(rnd, sizeof rnd);
  sodium_bin2hex(req->id, sizeof req->id, rnd, sizeof rnd);
  req->ip = peer_address(conn, a);
  return c;
}

/* A request is in flight once it is answered or handed to its handler: a stop waits
 * for those, not for clients still sending their headers or body. */
static void count_in_flight(struct http_ctx *c) {
  if (c->counted) return;
  atomic_fetch_add(&c->srv->in_flight, 1);
  c->counted = true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  (void)version;
  struct http_server *srv = cls;
  struct http_ctx *c = *con_cls;
  if (!c) {
    /* No context from the URI callback (out of memory): make one now or give up. */
    c = on_uri(srv, url, conn);
    if (!c) return MHD_NO;
    *con_cls = c;
  }
  enum MHD_Result result = MHD_YES;
  log_set_request_id(c->req.id);
  if (c->phase == PHASE_NEW) {
    c->req.method = arena_strdup(c->req.arena, method);
    if (!c->req.method) c->req.method = "";
    c->phase = PHASE_DONE; /* unless dispatch_begin moves on to the body */
    http_dispatch_begin(c);
    if (c->answered) count_in_flight(c);
  } else if (*upload_size) {
    if (c->phase == PHASE_BODY && buf_append(&c->body, upload_data, *upload_size) != 0) {
      /* The body passed the cap. A declared Content-Length over the cap was refused
       * before reading (dispatch.c); this is a chunked body. libmicrohttpd 0.9.75 only
       * takes an answer before the body or after all of it, so the rest is dropped
       * unstored and 413 follows at its end; a body that goes on past DISCARD_MAX
       * loses its connection instead. */
      c->phase = PHASE_DISCARD;
      buf_free(&c->body);
    }
    if (c->phase == PHASE_DISCARD) {
      c->discarded += *upload_size;
      if (c->discarded > DISCARD_MAX) result = MHD_NO;
    }
    *upload_size = 0;
  } else if (c->phase == PHASE_BODY) {
    count_in_flight(c);
    http_dispatch_finish(c);
  } else if (c->phase == PHASE_DISCARD) {
    count_in_flight(c);
    http_reply_error(&c->req, ERR_PAYLOAD_TOO_LARGE, NULL, NULL);
  } else if (c->phase == PHASE_WRITING) {
    http_write_resume(c); /* the write is over and the connection resumed: answer */
  }
  if ((c->phase == PHASE_DONE && !c->answered) || c->refused) {
    /* No answer could be made or queued: closing the connection is all that is left. */
    result = MHD_NO;
  }
  log_set_request_id(NULL);
  return result;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)conn;
  struct http_server *srv = cls;
  struct http_ctx *c = *con_cls;
  if (!c) return;
  *con_cls = NULL;
  struct http_req *req = &c->req;
  log_set_request_id(req->id);
  double seconds = (double)(clock_mono_ns() - c->start_ns) / 1e9;
  bool stream = req->route && (req->route->flags & HTTP_STREAM);
  metrics_record(srv->app->metrics, c->route_slot, c->status, seconds, !stream);
  const char *route = req->route ? req->route->pattern
                                 : c->route_slot == METRICS_SLOT_STATIC ? "static" : "unmatched";
  log_msg(LOG_INFO, "http.request", "method=%s path=%.256s status=%d ms=%.3f route=%s%s",
          req->method, req->path, c->status, seconds * 1000.0, route,
          toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted=1");
  log_set_request_id(NULL);
  buf_free(&c->body);
  json_decref(req->body);
  json_decref(req->result.body);
  if (c->counted) atomic_fetch_sub(&srv->in_flight, 1);
  arena_free(req->arena); /* c lives in it */
}

/* libmicrohttpd's own complaints (malformed requests, socket errors) as log lines. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
  (void)cls;
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r')) msg[--n] = '\0';
  log_msg(LOG_WARN, "http.mhd", "%s", msg);
}

static void fill_defaults(struct http_config *cfg) {
  if (!cfg->host) cfg->host = "127.0.0.1";
  if (!cfg->threads) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cfg->threads = n > 0 ? (unsigned)n : 1;
  }
  if (!cfg->conn_limit) cfg->conn_limit = 1024;
  if (!cfg->conn_timeout_s) cfg->conn_timeout_s = 60;
  /* libmicrohttpd zeroes a connection's memory pool for every request on it, so the
   * pool costs CPU in proportion to its size (its own default of 32 KiB cost ~5% of
   * intake's throughput over this). 16 KiB holds a browser's headers, cookies and all,
   * several times over, and the read buffer; bodies stream into the request's own
   * buffer. */
  if (!cfg->conn_memory) cfg->conn_memory = 16 * 1024;
  if (!cfg->body_max) cfg->body_max = 64 * 1024;
  if (!cfg->url_max) cfg->url_max = 2048;
  if (!cfg->request_arena_max) cfg->request_arena_max = 8u << 20;
  if (!cfg->sse_heartbeat_s) cfg->sse_heartbeat_s = 15;
  if (!cfg->auth_cache_ms) cfg->auth_cache_ms = 1000;
}

/* The sockets address for host:port; -1 (logged) when host is not an address. */
static int bind_address(const struct http_config *cfg, struct sockaddr_storage *ss,
                        unsigned *flags) {
  struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                           .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
  struct addrinfo *res = NULL;
  char port[8];
  snprintf(port, sizeof port, "%u", (unsigned)cfg->port);
  int rc = getaddrinfo(cfg->host, port, &hints, &res);
  if (rc != 0 || !res) {
    log_msg(LOG_ERROR, "http.start", "cannot resolve the listen address %s: %s", cfg->host,
            gai_strerror(rc));
    return -1;
  }
  memcpy(ss, res->ai_addr, res->ai_addrlen);
  if (res->ai_family == AF_INET6) *flags |= MHD_USE_IPv6;
  freeaddrinfo(res);
  return 0;
}

static void release(struct http_server *srv) {
  struct app *app = srv->app;
  if (srv->made_hub) {
    event_hub_free(app->hub);
    app->hub = NULL;
  }
  if (srv->made_limiter) {
    ratelimit_free(app->limiter);
    app->limiter = NULL;
  }
  if (srv->made_metrics) {
    metrics_free(app->metrics);
    app->metrics = NULL;
  }
  if (srv->made_authcache) {
    authcache_free(app->authcache);
    app->authcache = NULL;
  }
  if (srv->made_repeats) {
    repeats_free(app->repeats);
    app->repeats = NULL;
  }
  if (srv->made_idem_seen) {
    idem_seen_free(app->idem_seen);
    app->idem_seen = NULL;
  }
  free(srv->web_root);
  free(srv);
}

struct http_server *http_server_start(struct app *app) {
  if (sodium_init() < 0) {
    log_msg(LOG_ERROR, "http.start", "libsodium cannot start");
    return NULL;
  }
  struct http_server *srv = calloc(1, sizeof *srv);
  if (!srv) return NULL;
  srv->app = app;
  srv->cfg = *app->cfg;
  fill_defaults(&srv->cfg);
  atomic_init(&srv->in_flight, 0);
  atomic_init(&srv->writes_pending, 0);
  atomic_init(&srv->draining, false);
  if (srv->cfg.web_dir) {
    srv->web_root = realpath(srv->cfg.web_dir, NULL);
    if (!srv->web_root)
      log_msg(LOG_WARN, "http.start", "the web directory %s does not exist; no console files",
              srv->cfg.web_dir);
  }
  if (!app->metrics) {
    app->metrics = metrics_new();
    srv->made_metrics = app->metrics != NULL;
  }
  if (!app->limiter) {
    app->limiter = ratelimit_new(0);
    srv->made_limiter = app->limiter != NULL;
  }
  if (!app->hub) {
    app->hub = event_hub_new(app->store, srv->cfg.sse_heartbeat_s);
    srv->made_hub = app->hub != NULL;
  }
  if (!app->authcache) {
    app->authcache = authcache_new(srv->cfg.auth_cache_ms);
    srv->made_authcache = app->authcache != NULL;
  }
  if (!app->repeats) {
    app->repeats = repeats_new(REPEATS_KEEP_MS);
    srv->made_repeats = app->repeats != NULL;
  }
  if (!app->idem_seen) {
    app->idem_seen = idem_seen_new(IDEM_SEEN_BITS_LOG2);
    srv->made_idem_seen = app->idem_seen != NULL;
    if (app->idem_seen) http_idempotency_load(app);
  }
  if (!app->metrics || !app->limiter || !app->hub || !app->authcache || !app->repeats || !app->idem_seen) {
    log_msg(LOG_ERROR, "http.start", "out of memory starting the server");
    release(srv);
    return NULL;
  }

  struct sockaddr_storage ss;
  unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
  if (bind_address(&srv->cfg, &ss, &flags) != 0) {
    release(srv);
    return NULL;
  }
  const struct http_config *cfg = &srv->cfg;
  /* No MHD_OPTION_LISTENING_ADDRESS_REUSE: its SO_REUSEPORT would let a second server
   * bind a port this one serves, and requests would be split between the two. */
  srv->daemon = MHD_start_daemon(
      flags, 0, NULL, NULL, on_request, srv,
      MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
      MHD_OPTION_THREAD_POOL_SIZE, cfg->threads,
      MHD_OPTION_CONNECTION_LIMIT, cfg->conn_limit,
      MHD_OPTION_CONNECTION_TIMEOUT, cfg->conn_timeout_s,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->conn_memory,
      MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
      MHD_OPTION_END);
  if (!srv->daemon) {
    log_msg(LOG_ERROR, "http.start", "cannot listen on %s:%u (address in use, or no permission)",
            cfg->host, (unsigned)cfg->port);
    release(srv);
    return NULL;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
  srv->port = di ? di->port : cfg->port;
  app->store->set_commit_hook(app->store, event_hub_commit_hook, app->hub);
  log_msg(LOG_INFO, "http.start", "listening on %s:%u with %u threads", cfg->host,
          (unsigned)srv->port, cfg->threads);
  return srv;
}

uint16_t http_server_port(const struct http_server *srv) { return srv ? srv->port : 0; }

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000 * 1000};
  nanosleep(&ts, NULL);
}

/* Waits until nothing has been in flight for 200 ms, or for limit_ms at most. */
static void wait_quiet(struct http_server *srv, int limit_ms) {
  int quiet_ms = 0;
  for (int waited_ms = 0; quiet_ms < 200 && waited_ms < limit_ms; waited_ms += 10) {
    sleep_ms(10);
    quiet_ms = atomic_load(&srv->in_flight) > 0 ? 0 : quiet_ms + 10;
  }
}

void http_server_stop(struct http_server *srv) {
  if (!srv) return;
  struct app *app = srv->app;
  /* No new connections; the listening socket is closed after the daemon stops. */
  MHD_socket listen_fd = MHD_quiesce_daemon(srv->daemon);
  /* Streams end now, so what remains in flight are ordinary requests. */
  app->store->set_commit_hook(app->store, NULL, NULL);
  event_hub_stop(app->hub);
  /* Done when nothing has been in flight for a moment: a worker that just finished a
   * handler may still pick up a request that waited behind it. */
  wait_quiet(srv, 10000);
  /* libmicrohttpd must not be stopped while a connection is suspended with no resume
   * to come, and a write that commits must be answered. From here on writes hold
   * their worker (no new suspensions); those already queued always end, since the
   * store finishes every job it took, so they are waited for without a limit. */
  atomic_store(&srv->draining, true);
  for (int waited_ms = 0; atomic_load(&srv->writes_pending) > 0; waited_ms += 10) {
    if (waited_ms > 0 && waited_ms % 10000 == 0)
      log_msg(LOG_WARN, "http.stop", "still waiting for %d writes to commit",
              atomic_load(&srv->writes_pending));
    sleep_ms(10);
  }
  if (atomic_load(&srv->in_flight) > 0) wait_quiet(srv, 1000); /* answers of resumed writes */
  if (atomic_load(&srv->in_flight) > 0)
    log_msg(LOG_WARN, "http.stop", "%d requests still open; closing them",
            atomic_load(&srv->in_flight));
  MHD_stop_daemon(srv->daemon);
  if (listen_fd != MHD_INVALID_SOCKET) close(listen_fd);
  log_msg(LOG_INFO, "http.stop", "stopped");
  release(srv);
}
