/* events.c — the live event stream and its hub; see events.h.
 *
 * Locking: one mutex per hub guards the client list, each client's `suspended` and
 * `beat` flags and the hub's last event id. MHD_suspend_connection() is called with
 * that mutex held and MHD_resume_connection() likewise, so a resume can never overtake
 * the suspend it undoes, and a connection is resumed only while it is suspended.
 * libmicrohttpd calls the content reader and its free callback without holding any
 * lock of its own that resume takes, so the order is always hub lock → MHD.
 */
#include "http/events.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/request.h"
#include "http/routes.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

#define FETCH_LIMIT 256         /* events read from the store per refill */
#define OUT_MAX (1024 * 1024)   /* bytes formatted ahead of the socket */
#define FETCH_ARENA (8u << 20)  /* memory for one refill's rows */

struct sse_client {
  struct sse_client *prev, *next;
  struct event_hub *hub;
  struct MHD_Connection *conn;
  role_set roles;
  int64_t after;   /* every visible event with id <= after has been formatted */
  bool suspended;  /* hub lock */
  bool beat;       /* hub lock: a heartbeat is due */
  struct buf out;  /* formatted, not yet handed to libmicrohttpd */
  size_t pos;
};

struct event_hub {
  pthread_mutex_t lock;
  pthread_cond_t cond;
  struct store *store;
  struct sse_client *clients;
  unsigned nclients;
  int64_t last_id;
  bool stopping;
  unsigned heartbeat_s;
  pthread_t thread;
  bool thread_started;
};

static enum store_rc last_id_tx(void *cls, struct store_tx *tx) {
  return store_of(tx)->event_last_id(tx, cls);
}

/* Resumes c if it waits; hub lock held. */
static void wake(struct sse_client *c) {
  if (!c->suspended) return;
  c->suspended = false;
  MHD_resume_connection(c->conn);
}

static void *heartbeat_main(void *cls) {
  struct event_hub *hub = cls;
  pthread_mutex_lock(&hub->lock);
  struct timespec due;
  clock_gettime(CLOCK_MONOTONIC, &due);
  due.tv_sec += hub->heartbeat_s;
  while (!hub->stopping) {
    int rc = pthread_cond_timedwait(&hub->cond, &hub->lock, &due);
    if (hub->stopping) break;
    if (rc != ETIMEDOUT) continue; /* spurious: keep the same deadline */
    for (struct sse_client *c = hub->clients; c; c = c->next) {
      c->beat = true;
      wake(c);
    }
    clock_gettime(CLOCK_MONOTONIC, &due);
    due.tv_sec += hub->heartbeat_s;
  }
  pthread_mutex_unlock(&hub->lock);
  return NULL;
}

struct event_hub *event_hub_new(struct store *store, unsigned heartbeat_s) {
  struct event_hub *hub = calloc(1, sizeof *hub);
  if (!hub) return NULL;
  hub->store = store;
  hub->heartbeat_s = heartbeat_s ? heartbeat_s : 15;
  pthread_mutex_init(&hub->lock, NULL);
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&hub->cond, &attr);
  pthread_condattr_destroy(&attr);
  if (store && store_read(store, last_id_tx, &hub->last_id) != STORE_OK) {
    log_msg(LOG_ERROR, "events.start", "cannot read the last event id");
    event_hub_free(hub);
    return NULL;
  }
  if (pthread_create(&hub->thread, NULL, heartbeat_main, hub) != 0) {
    log_msg(LOG_ERROR, "events.start", "cannot start the heartbeat thread");
    event_hub_free(hub);
    return NULL;
  }
  hub->thread_started = true;
  return hub;
}

void event_hub_stop(struct event_hub *hub) {
  if (!hub) return;
  pthread_mutex_lock(&hub->lock);
  hub->stopping = true;
  for (struct sse_client *c = hub->clients; c; c = c->next) wake(c);
  pthread_cond_broadcast(&hub->cond);
  pthread_mutex_unlock(&hub->lock);
  if (hub->thread_started) {
    pthread_join(hub->thread, NULL);
    hub->thread_started = false;
  }
}

void event_hub_free(struct event_hub *hub) {
  if (!hub) return;
  event_hub_stop(hub);
  if (hub->clients)
    log_msg(LOG_ERROR, "events.stop", "%u event streams still registered at free", hub->nclients);
  pthread_cond_destroy(&hub->cond);
  pthread_mutex_destroy(&hub->lock);
  free(hub);
}

void event_hub_commit_hook(void *cls, int64_t last_event_id) {
  struct event_hub *hub = cls;
  pthread_mutex_lock(&hub->lock);
  if (last_event_id > hub->last_id) hub->last_id = last_event_id;
  /* `after` is read only for waiting clients: a running reader may be updating it. */
  for (struct sse_client *c = hub->clients; c; c = c->next)
    if (c->suspended && c->after < hub->last_id) wake(c);
  pthread_mutex_unlock(&hub->lock);
}

unsigned event_hub_clients(struct event_hub *hub) {
  pthread_mutex_lock(&hub->lock);
  unsigned n = hub->nclients;
  pthread_mutex_unlock(&hub->lock);
  return n;
}

/* ---- one stream ---------------------------------------------------------------- */

/* Appends one event in the wire format of docs/api.md. -1 when it does not fit. */
static int format_event(struct buf *out, const struct event *ev) {
  char ts[32];
  clock_format_rfc3339(ev->time_ms, ts, sizeof ts);
  json_t *payload = ev->payload ? json_loads(ev->payload, 0, NULL) : NULL;
  if (!payload) payload = json_object();
  json_t *data = json_pack("{s:I,s:s,s:s,s:s,s:o}", "id", (json_int_t)ev->id, "time", ts, "type",
                           ev->type ? ev->type : "", "subject", ev->subject ? ev->subject : "",
                           "payload", payload);
  char *text = data ? json_dumps(data, HTTP_JSON_DUMP_FLAGS) : NULL;
  json_decref(data);
  if (!text) return -1;
  /* The type is ours, but a line break in it would forge a field: leave it out then. */
  const char *type = ev->type && !strpbrk(ev->type, "\r\n") ? ev->type : "message";
  size_t mark = out->len;
  int rc = buf_printf(out, "id: %" PRId64 "\nevent: %s\ndata: %s\n\n", ev->id, type, text);
  free(text);
  if (rc != 0 && out->data) {
    out->len = mark;
    out->data[mark] = '\0';
  }
  return rc;
}

struct fetch {
  int64_t after;
  role_set roles;
  struct arena *a;
  struct event *evs;
  size_t n;
};

static enum store_rc fetch_tx(void *cls, struct store_tx *tx) {
  struct fetch *f = cls;
  return store_of(tx)->event_list_after(tx, f->after, f->roles, FETCH_LIMIT, f->a, &f->evs, &f->n);
}

/* Formats the events after c->after into c->out. `target` is the hub's last id seen
 * before the read: a short read covers everything up to it. -1 on a store failure. */
static int refill(struct sse_client *c, int64_t target) {
  struct fetch f = {.after = c->after, .roles = c->roles, .a = arena_new(FETCH_ARENA)};
  if (!f.a) return -1;
  int rc = 0;
  if (store_read(c->hub->store, fetch_tx, &f) != STORE_OK) {
    log_msg(LOG_ERROR, "events.read", "cannot read events after %" PRId64, c->after);
    rc = -1;
    goto done;
  }
  for (size_t i = 0; i < f.n; i++) {
    /* Events past the hook's last id may be committed but not yet durable: they wait
     * for the hook that says they are. */
    if (f.evs[i].id > target) break;
    if (format_event(&c->out, &f.evs[i]) != 0) {
      if (c->out.len) goto done; /* the rest waits for the next refill */
      log_msg(LOG_ERROR, "events.format", "event %" PRId64 " is too large to stream; skipped",
              f.evs[i].id);
    }
    c->after = f.evs[i].id;
  }
  if (f.n < FETCH_LIMIT && target > c->after) c->after = target;
done:
  arena_free(f.a);
  return rc;
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max) {
  (void)pos;
  struct sse_client *c = cls;
  struct event_hub *hub = c->hub;
  for (;;) {
    if (c->pos < c->out.len) {
      size_t n = c->out.len - c->pos;
      if (n > max) n = max;
      memcpy(out, c->out.data + c->pos, n);
      c->pos += n;
      if (c->pos == c->out.len) {
        buf_reset(&c->out);
        c->pos = 0;
      }
      return (ssize_t)n;
    }
    pthread_mutex_lock(&hub->lock);
    if (hub->stopping) {
      pthread_mutex_unlock(&hub->lock);
      return MHD_CONTENT_READER_END_OF_STREAM;
    }
    bool beat = c->beat;
    c->beat = false;
    int64_t target = hub->last_id;
    if (!beat && target <= c->after) {
      /* Nothing to send: give the worker thread back until the hub wakes us. */
      c->suspended = true;
      MHD_suspend_connection(c->conn);
      pthread_mutex_unlock(&hub->lock);
      return 0;
    }
    pthread_mutex_unlock(&hub->lock);
    if (refill(c, target) != 0) return MHD_CONTENT_READER_END_WITH_ERROR;
    if (beat && c->out.len == 0) buf_puts(&c->out, ": heartbeat\n\n");
  }
}

/* libmicrohttpd is done with the response: the stream is over. */
static void sse_free(void *cls) {
  struct sse_client *c = cls;
  struct event_hub *hub = c->hub;
  pthread_mutex_lock(&hub->lock);
  if (c->prev)
    c->prev->next = c->next;
  else
    hub->clients = c->next;
  if (c->next) c->next->prev = c->prev;
  hub->nclients--;
  pthread_mutex_unlock(&hub->lock);
  buf_free(&c->out);
  free(c);
}

/* The id to start after: Last-Event-ID, else ?last_event_id=, else the newest event.
 * -1 after answering 400. */
static int start_id(struct http_req *req, int64_t newest, int64_t *out) {
  const char *field = "Last-Event-ID";
  const char *v = http_header(req, "Last-Event-ID");
  if (!v) {
    field = "last_event_id";
    v = http_query(req, "last_event_id");
  }
  if (!v) {
    *out = newest;
    return 0;
  }
  errno = 0;
  char *end = NULL;
  long long id = strtoll(v, &end, 10);
  if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || id < 0) {
    http_reply_error(req, ERR_INVALID_FIELD, field, "must be an event id (a whole number)");
    return -1;
  }
  /* An id from another database (or the future) would wait forever: start at the newest. */
  *out = id > newest ? newest : id;
  return 0;
}

http_status_t events_stream(struct http_req *req) {
  struct http_ctx *ctx = http_ctx_of(req);
  struct event_hub *hub = req->app->hub;
  int64_t newest = 0;
  if (store_read(req->app->store, last_id_tx, &newest) != STORE_OK)
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  int64_t after;
  if (start_id(req, newest, &after) != 0) return http_last_status(req);

  struct sse_client *c = calloc(1, sizeof *c);
  if (!c) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  c->hub = hub;
  c->conn = ctx->conn;
  c->roles = req->who.roles;
  c->after = after;
  buf_init(&c->out, OUT_MAX);
  /* A first comment sends the headers at once, so the client knows it is connected. */
  buf_puts(&c->out, ": connected\n\n");

  pthread_mutex_lock(&hub->lock);
  if (hub->stopping) {
    pthread_mutex_unlock(&hub->lock);
    buf_free(&c->out);
    free(c);
    return http_reply_error(req, ERR_UNAVAILABLE, NULL, NULL);
  }
  c->next = hub->clients;
  if (hub->clients) hub->clients->prev = c;
  hub->clients = c;
  hub->nclients++;
  if (newest > hub->last_id) hub->last_id = newest;
  pthread_mutex_unlock(&hub->lock);

  /* From here on the client is freed by sse_free, when the response is destroyed. */
  struct MHD_Response *resp =
      MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, sse_read, c, sse_free);
  if (!resp) {
    sse_free(c);
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  MHD_add_response_header(resp, "X-Accel-Buffering", "no");
  return http_send(ctx, MHD_HTTP_OK, resp);
}
