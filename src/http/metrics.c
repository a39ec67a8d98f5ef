/* metrics.c — request counters and latency histograms; see metrics.h. */
#include "http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "http/authcache.h"
#include "http/events.h"
#include "http/http.h"
#include "http/idemseen.h"
#include "http/repeats.h"
#include "http/request.h"
#include "http/routes.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"

/* Appends to the exposition; remembers a failure (the cap reached) for the end. */
struct out {
  struct buf *b;
  int failed;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  if (buf_vprintf(o->b, fmt, ap) != 0) o->failed = 1;
  va_end(ap);
}

#define STATUS_MIN 100
#define STATUS_MAX 599
#define NSTATUS (STATUS_MAX - STATUS_MIN + 1)

/* Upper bounds of the latency buckets in seconds; +Inf is implicit. */
static const double latency_le[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                    0.1,    0.25,  0.5,    1,     2.5,  5};
#define NLAT (sizeof latency_le / sizeof latency_le[0])

struct series {
  atomic_uint_fast64_t by_status[NSTATUS];
  atomic_uint_fast64_t lat[NLAT + 1]; /* per bucket, not cumulative; last is +Inf */
  atomic_uint_fast64_t lat_count;
  atomic_uint_fast64_t lat_sum_us;
};

struct metrics {
  size_t nroutes;
  struct series *s; /* nroutes + 2: the routes, then static, then unmatched */
  int64_t start_ms;
};

struct metrics *metrics_new(void) {
  struct metrics *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  while (http_routes[m->nroutes].method) m->nroutes++;
  m->s = calloc(m->nroutes + 2, sizeof *m->s);
  if (!m->s) {
    free(m);
    return NULL;
  }
  m->start_ms = clock_now_ms();
  return m;
}

void metrics_free(struct metrics *m) {
  if (!m) return;
  free(m->s);
  free(m);
}

static struct series *series_of(struct metrics *m, int slot) {
  if (slot >= 0 && (size_t)slot < m->nroutes) return &m->s[slot];
  if (slot == METRICS_SLOT_STATIC) return &m->s[m->nroutes];
  return &m->s[m->nroutes + 1];
}

void metrics_record(struct metrics *m, int slot, int status, double seconds, int with_latency) {
  if (!m || status < STATUS_MIN || status > STATUS_MAX) return;
  struct series *s = series_of(m, slot);
  atomic_fetch_add_explicit(&s->by_status[status - STATUS_MIN], 1, memory_order_relaxed);
  if (!with_latency) return;
  size_t b = 0;
  while (b < NLAT && seconds > latency_le[b]) b++;
  atomic_fetch_add_explicit(&s->lat[b], 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&s->lat_count, 1, memory_order_relaxed);
  uint64_t us = seconds > 0 ? (uint64_t)(seconds * 1e6) : 0;
  atomic_fetch_add_explicit(&s->lat_sum_us, us, memory_order_relaxed);
}

static uint64_t load(atomic_uint_fast64_t *v) {
  return atomic_load_explicit(v, memory_order_relaxed);
}

/* The labels of a slot: route="..." and method="...". Route patterns hold no
 * characters that need escaping in a label value ('"', '\\', newline). */
static void labels(struct metrics *m, size_t i, const char **route, const char **method) {
  if (i < m->nroutes) {
    *route = http_routes[i].pattern;
    *method = http_routes[i].method;
  } else {
    *route = i == m->nroutes ? "static" : "unmatched";
    *method = "any";
  }
}

static void render_requests(struct metrics *m, struct out *out) {
  put(out, "%s",
           "# HELP hamyar_http_requests_total HTTP requests answered, by route pattern and status.\n"
           "# TYPE hamyar_http_requests_total counter\n");
  for (size_t i = 0; i < m->nroutes + 2; i++) {
    const char *route, *method;
    labels(m, i, &route, &method);
    for (int st = 0; st < NSTATUS; st++) {
      uint64_t n = load(&m->s[i].by_status[st]);
      if (n)
        put(out, "hamyar_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
                   route, method, st + STATUS_MIN, (unsigned long long)n);
    }
  }
  put(out, "%s",
           "# HELP hamyar_http_request_duration_seconds Time from the request line to the end of "
           "the answer.\n"
           "# TYPE hamyar_http_request_duration_seconds histogram\n");
  for (size_t i = 0; i < m->nroutes + 2; i++) {
    struct series *s = &m->s[i];
    uint64_t count = load(&s->lat_count);
    if (!count) continue;
    const char *route, *method;
    labels(m, i, &route, &method);
    uint64_t cum = 0;
    for (size_t b = 0; b <= NLAT; b++) {
      cum += load(&s->lat[b]);
      if (b < NLAT)
        put(out,
                   "hamyar_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"%g\"} "
                   "%llu\n",
                   route, method, latency_le[b], (unsigned long long)cum);
      else
        put(out,
                   "hamyar_http_request_duration_seconds_bucket{route=\"%s\",method=\"%s\",le=\"+Inf\"} "
                   "%llu\n",
                   route, method, (unsigned long long)cum);
    }
    put(out, "hamyar_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n",
               route, method, (double)load(&s->lat_sum_us) / 1e6);
    put(out, "hamyar_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n",
               route, method, (unsigned long long)count);
  }
}

/* store_stats.batch_hist[i] counts commits of 1, 2-3, 4-7, ..., 64-127, >=128 writes. */
static void render_store(struct store *store, struct out *out) {
  struct store_stats st;
  memset(&st, 0, sizeof st);
  store->stats(store, &st);
  put(out,
             "# HELP hamyar_store_commits_total Write transactions committed.\n"
             "# TYPE hamyar_store_commits_total counter\n"
             "hamyar_store_commits_total %llu\n"
             "# HELP hamyar_store_writes_total Store writes committed (several share a commit).\n"
             "# TYPE hamyar_store_writes_total counter\n"
             "hamyar_store_writes_total %llu\n"
             "# HELP hamyar_store_retries_total Transient store failures retried.\n"
             "# TYPE hamyar_store_retries_total counter\n"
             "hamyar_store_retries_total %llu\n"
             "# HELP hamyar_store_syncs_total Syncs of the log that made commits durable (one may cover several).\n"
             "# TYPE hamyar_store_syncs_total counter\n"
             "hamyar_store_syncs_total %llu\n"
             "# HELP hamyar_store_durable_writes_total Store writes made durable and answered.\n"
             "# TYPE hamyar_store_durable_writes_total counter\n"
             "hamyar_store_durable_writes_total %llu\n"
             "# HELP hamyar_store_checkpoints_total Checkpoints that copied the log back into the database file.\n"
             "# TYPE hamyar_store_checkpoints_total counter\n"
             "hamyar_store_checkpoints_total %llu\n"
             "# HELP hamyar_store_commit_batch_size Writes per committed transaction (group commit).\n"
             "# TYPE hamyar_store_commit_batch_size histogram\n",
             (unsigned long long)st.commits, (unsigned long long)st.writes,
             (unsigned long long)st.retries, (unsigned long long)st.syncs, (unsigned long long)st.durable,
             (unsigned long long)st.checkpoints);
  static const char *const le[8] = {"1", "3", "7", "15", "31", "63", "127", "+Inf"};
  uint64_t cum = 0;
  for (int i = 0; i < 8; i++) {
    cum += st.batch_hist[i];
    put(out, "hamyar_store_commit_batch_size_bucket{le=\"%s\"} %llu\n", le[i],
               (unsigned long long)cum);
  }
  /* The sum of batch sizes is the number of writes committed. */
  put(out,
             "hamyar_store_commit_batch_size_sum %llu\n"
             "hamyar_store_commit_batch_size_count %llu\n",
             (unsigned long long)st.writes, (unsigned long long)cum);
  put(out, "# HELP hamyar_store_sync_duration_seconds How long each sync of the log took: the disk's part of "
           "every acknowledged write's wait.\n"
           "# TYPE hamyar_store_sync_duration_seconds histogram\n");
  cum = 0;
  for (int i = 0; i < STORE_SYNC_BUCKETS; i++) {
    cum += st.sync_hist[i];
    if (i < STORE_SYNC_BUCKETS - 1)
      put(out, "hamyar_store_sync_duration_seconds_bucket{le=\"%g\"} %llu\n",
          (double)((uint64_t)STORE_SYNC_BUCKET_US << i) / 1e6, (unsigned long long)cum);
    else
      put(out, "hamyar_store_sync_duration_seconds_bucket{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
  }
  put(out,
      "hamyar_store_sync_duration_seconds_sum %.6f\n"
      "hamyar_store_sync_duration_seconds_count %llu\n"
      "# HELP hamyar_store_writer_busy_seconds_total Time the single writer spent running batches; "
      "its rate is how busy the serial part of every write is.\n"
      "# TYPE hamyar_store_writer_busy_seconds_total counter\n"
      "hamyar_store_writer_busy_seconds_total %.6f\n",
      (double)st.sync_us / 1e6, (unsigned long long)cum, (double)st.writer_busy_us / 1e6);
}

/* One counter with its help text. */
static void counter(struct out *out, const char *name, const char *help, uint64_t value) {
  put(out, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name, help, name, name, (unsigned long long)value);
}

static void render_caches(const struct app *app, struct out *out) {
  uint64_t a, b;
  if (app->authcache) {
    authcache_counts(app->authcache, &a, &b);
    counter(out, "hamyar_auth_cache_hits_total", "Callers recognised from what was kept of their credential.", a);
    counter(out, "hamyar_auth_cache_misses_total", "Callers whose credential was read from the store.", b);
  }
  if (app->repeats) {
    repeats_counts(app->repeats, &a, &b);
    counter(out, "hamyar_repeat_searches_kept_total",
            "Duplicate searches of new calls that used the open incidents an earlier call read.", a);
    counter(out, "hamyar_repeat_searches_read_total",
            "Duplicate searches of new calls that read the open incidents from the store.", b);
  }
  if (app->idem_seen) {
    idem_seen_counts(app->idem_seen, &a, &b);
    counter(out, "hamyar_idempotency_keys_new_total",
            "Idempotency-Keys surely never seen: no stored answer was looked for.", a);
    counter(out, "hamyar_idempotency_keys_looked_up_total",
            "Idempotency-Keys perhaps seen before: the store was read for a stored answer.", b);
  }
}

int metrics_render(const struct app *app, struct buf *b) {
  struct out o = {b, 0}, *out = &o;
  struct metrics *m = app->metrics;
  struct event_hub *hub = app->hub;
  if (m) render_requests(m, out);
  if (app->store && app->store->stats) render_store(app->store, out);
  render_caches(app, out);
  put(out,
             "# HELP hamyar_sse_clients Clients connected to the live event stream.\n"
             "# TYPE hamyar_sse_clients gauge\n"
             "hamyar_sse_clients %u\n",
             hub ? event_hub_clients(hub) : 0u);
  put(out,
             "# HELP hamyar_build_info The running version.\n"
             "# TYPE hamyar_build_info gauge\n"
             "hamyar_build_info{version=\"%s\"} 1\n"
             "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
             "# TYPE process_start_time_seconds gauge\n"
             "process_start_time_seconds %.3f\n",
             HAMYAR_VERSION, m ? (double)m->start_ms / 1000.0 : 0.0);
  return o.failed ? -1 : 0;
}

http_status_t metrics_get(struct http_req *req) {
  struct buf b;
  buf_init(&b, 4u << 20);
  if (metrics_render(req->app, &b) != 0)
    log_msg(LOG_ERROR, "http.metrics", "the exposition passed its cap and was cut short");
  int rc = http_reply_text(req, 200, "text/plain; version=0.0.4; charset=utf-8",
                           b.data ? b.data : "", b.len);
  buf_free(&b);
  return rc;
}
