/* repeats.c — the open incidents a new call may repeat, read or kept; see repeats.h. */
#include "http/repeats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util/clock.h"

/* The calls of one incident looked at for "same caller": its newest are those in the window. */
#define CALLERS_PER_INCIDENT 100

/* What one read found, shared by the searches using it. */
struct kept {
  uint64_t version;    /* the store's incidents version before the read */
  int64_t since_ms;    /* it holds every open incident updated at or after this */
  int64_t read_ms;     /* clock_mono_ms() of the read */
  struct arena *arena; /* this struct and everything it points to */
  struct repeat_incident *ri;
  size_t n;
  int refs; /* with repeats.mu: the cache's own while current, and each search's */
};

struct repeats {
  int64_t keep_ms;
  pthread_mutex_t mu;
  struct kept *current; /* NULL until the first read, or after one failed */
  _Atomic uint64_t kept_hits, reads;
};

/* The widest of the search's windows: an incident last active before it matches nothing. */
static int64_t window_ms(const struct repeat_config *cfg) {
  return cfg->same_caller_window_ms > cfg->nearby_window_ms ? cfg->same_caller_window_ms : cfg->nearby_window_ms;
}

/* The open incidents updated at or after since_ms, each with its newest calls, in a;
 * *n of them. */
static enum store_rc read_open(struct store_tx *tx, int64_t since_ms, struct arena *a, struct repeat_incident **out,
                               size_t *n) {
  struct store_emergency *em = &store_of(tx)->em;
  struct incident *incs;
  size_t k;
  *n = 0;
  enum store_rc rc = em->incident_list_open_since(tx, since_ms, a, &incs, &k);
  if (rc != STORE_OK) return rc;
  struct repeat_incident *ri = arena_alloc(a, (k ? k : 1) * sizeof *ri);
  if (!ri) return STORE_HARD;
  for (size_t i = 0; i < k; i++) {
    struct call_filter f = {.incident_id = incs[i].id, .outcome = -1, .limit = CALLERS_PER_INCIDENT};
    struct call *calls;
    size_t ncalls;
    rc = em->call_list(tx, &f, a, &calls, &ncalls);
    if (rc != STORE_OK) return rc;
    const char **callers = arena_alloc(a, (ncalls ? ncalls : 1) * sizeof *callers);
    int64_t *times = arena_alloc(a, (ncalls ? ncalls : 1) * sizeof *times);
    if (!callers || !times) return STORE_HARD;
    for (size_t c = 0; c < ncalls; c++) {
      callers[c] = calls[c].caller_number;
      times[c] = calls[c].created_ms;
    }
    ri[i] = (struct repeat_incident){.inc = &incs[i], .callers = callers, .call_ms = times, .ncallers = ncalls};
  }
  *out = ri;
  *n = k;
  return STORE_OK;
}

struct repeats *repeats_new(int64_t keep_ms) {
  struct repeats *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->keep_ms = keep_ms;
  pthread_mutex_init(&r->mu, NULL);
  return r;
}

static void drop(struct kept *k) {
  if (k && --k->refs == 0) arena_free(k->arena); /* k itself is in it */
}

void repeats_free(struct repeats *r) {
  if (!r) return;
  drop(r->current); /* no search is running any more */
  pthread_mutex_destroy(&r->mu);
  free(r);
}

void repeats_counts(struct repeats *r, uint64_t *kept, uint64_t *read) {
  *kept = atomic_load(&r->kept_hits);
  *read = atomic_load(&r->reads);
}

static enum store_rc read_tx(void *cls, struct store_tx *tx) {
  struct kept *k = cls;
  return read_open(tx, k->since_ms, k->arena, &k->ri, &k->n);
}

/* What was kept, held, if it holds everything open since since_ms; else a new read,
 * kept for the searches after (when keeping at all), held. NULL on failure (*rc). */
static struct kept *hold(struct repeats *r, struct store *s, int64_t since_ms, enum store_rc *rc) {
  uint64_t version = store_incidents_version(s); /* before the read: a change after it is noticed */
  int64_t now = clock_mono_ms();
  pthread_mutex_lock(&r->mu);
  struct kept *k = r->current;
  if (k && k->version == version && k->since_ms <= since_ms && now - k->read_ms <= r->keep_ms) {
    k->refs++;
    pthread_mutex_unlock(&r->mu);
    atomic_fetch_add(&r->kept_hits, 1);
    *rc = STORE_OK;
    return k;
  }
  pthread_mutex_unlock(&r->mu);

  atomic_fetch_add(&r->reads, 1);
  struct arena *a = arena_new(0);
  k = a ? arena_alloc(a, sizeof *k) : NULL;
  if (!k) {
    arena_free(a);
    *rc = STORE_HARD;
    return NULL;
  }
  *k = (struct kept){.version = version, .since_ms = since_ms, .read_ms = now, .arena = a, .refs = 1};
  *rc = store_read(s, read_tx, k);
  if (*rc != STORE_OK) {
    drop(k);
    return NULL;
  }
  if (r->keep_ms > 0) {
    pthread_mutex_lock(&r->mu);
    struct kept *old = r->current;
    r->current = k;
    k->refs++;
    drop(old);
    pthread_mutex_unlock(&r->mu);
  }
  return k;
}

static void release(struct repeats *r, struct kept *k) {
  pthread_mutex_lock(&r->mu);
  drop(k);
  pthread_mutex_unlock(&r->mu);
}

/* A copy of *i whose strings are a's. */
static const struct incident *copy_incident(struct arena *a, const struct incident *i) {
  struct incident *c = arena_alloc(a, sizeof *c);
  if (!c) return NULL;
  *c = *i;
  c->type = arena_strdup(a, i->type);
  c->county = arena_strdup(a, i->county);
  c->address = arena_strdup(a, i->address);
  c->disposition = arena_strdup(a, i->disposition);
  if ((i->type && !c->type) || (i->county && !c->county) || (i->address && !c->address) ||
      (i->disposition && !c->disposition))
    return NULL;
  return c;
}

enum store_rc repeats_find(struct repeats *r, struct store *s, const struct call *c, const struct repeat_config *cfg,
                           struct arena *a, struct repeat_candidate *out, size_t max, size_t *m) {
  int64_t since = c->created_ms - window_ms(cfg);
  *m = 0;
  enum store_rc rc;
  struct kept *k = hold(r, s, since, &rc);
  if (!k) return rc;
  /* Only those active in this call's own window: what was kept may reach further back. */
  struct repeat_incident *ri = arena_alloc(a, (k->n ? k->n : 1) * sizeof *ri);
  size_t n = 0;
  if (ri)
    for (size_t i = 0; i < k->n; i++)
      if (k->ri[i].inc->updated_ms >= since) ri[n++] = k->ri[i];
  size_t found = ri ? repeat_candidates(c, ri, n, cfg, out, max) : 0;
  rc = ri ? STORE_OK : STORE_HARD;
  for (size_t i = 0; i < found && rc == STORE_OK; i++)
    if (!(out[i].inc = copy_incident(a, out[i].inc))) rc = STORE_HARD;
  release(r, k);
  if (rc == STORE_OK) *m = found;
  return rc;
}

enum store_rc repeats_find_in(struct store_tx *tx, const struct call *c, const struct repeat_config *cfg,
                              struct arena *a, struct repeat_candidate *out, size_t max, size_t *m) {
  struct repeat_incident *ri;
  size_t n;
  *m = 0;
  enum store_rc rc = read_open(tx, c->created_ms - window_ms(cfg), a, &ri, &n);
  if (rc == STORE_OK) *m = repeat_candidates(c, ri, n, cfg, out, max);
  return rc;
}
