/* callstats.c — call-handling figures; see callstats.h. */
#include "core/callstats.h"

#include <stdlib.h>
#include <string.h>

#include "locale/locale.h"

static const char *const interval_names[CALLSTATS_INTERVAL__COUNT] = {
    [CALLSTATS_RING_TO_ANSWER] = "ring_to_answer",
    [CALLSTATS_ANSWER_TO_DISPATCH] = "answer_to_dispatch",
    [CALLSTATS_DISPATCH_TO_ON_SCENE] = "dispatch_to_on_scene",
    [CALLSTATS_ON_SCENE_TO_CLEAR] = "on_scene_to_clear",
};

static const struct {
  const char *name;
  int64_t limit_s;
  int goal_pct;
} goal_defs[CALLSTATS_GOAL__COUNT] = {
    [CALLSTATS_ANSWER_15S] = {"answer_15s", 15, 90},
    [CALLSTATS_ANSWER_20S] = {"answer_20s", 20, 95},
    [CALLSTATS_P1_DISPATCH_60S] = {"priority1_dispatch_60s", 60, 90},
};

const char *callstats_interval_name(enum callstats_interval i) {
  return (int)i >= 0 && i < CALLSTATS_INTERVAL__COUNT ? interval_names[i] : NULL;
}

const char *callstats_goal_name(enum callstats_goal_kind g) {
  return (int)g >= 0 && g < CALLSTATS_GOAL__COUNT ? goal_defs[g].name : NULL;
}

/* ---- one row -------------------------------------------------------------------------- */

/* b - a in ms when both are set and b is not before a, else -1. */
static int64_t span(int64_t a, int64_t b) {
  return a > 0 && b > 0 && b >= a ? b - a : -1;
}

static int64_t interval_of(const struct call_timing *r, enum callstats_interval i) {
  switch (i) {
  case CALLSTATS_RING_TO_ANSWER: return span(r->ring_ms, r->answer_ms);
  case CALLSTATS_ANSWER_TO_DISPATCH: return r->first_call ? span(r->answer_ms, r->dispatch_ms) : -1;
  case CALLSTATS_DISPATCH_TO_ON_SCENE: return r->first_call ? span(r->dispatch_ms, r->on_scene_ms) : -1;
  case CALLSTATS_ON_SCENE_TO_CLEAR: return r->first_call ? span(r->on_scene_ms, r->cleared_ms) : -1;
  default: return -1;
  }
}

/* Whether the row counts towards goal g, and if so whether it is within the limit. */
static bool goal_of(const struct call_timing *r, enum callstats_goal_kind g, bool *within) {
  int64_t limit_ms = goal_defs[g].limit_s * 1000;
  if (g == CALLSTATS_P1_DISPATCH_60S) {
    if (r->priority != 1 || r->outcome != CALL_OPERATION || r->answer_ms <= 0) return false;
    if (!r->first_call && r->incident_id != 0) return false; /* a repeat call: not its dispatch */
    *within = r->dispatch_ms > 0 && r->dispatch_ms - r->answer_ms <= limit_ms;
    return true;
  }
  int64_t v = span(r->ring_ms, r->answer_ms);
  if (v < 0) return false;
  *within = v <= limit_ms;
  return true;
}

/* ---- aggregates ------------------------------------------------------------------------- */

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Nearest rank: the value at rank ceil(p × n / 100), 1-based. */
static double percentile_s(const int64_t *sorted, size_t n, unsigned p) {
  size_t rank = (p * n + 99) / 100;
  if (rank < 1) rank = 1;
  return (double)sorted[rank - 1] / 1000.0;
}

struct callstats_dist callstats_dist_of(int64_t *v, size_t n) {
  struct callstats_dist d = {.count = n};
  if (n == 0) return d;
  qsort(v, n, sizeof *v, cmp_i64);
  d.p50_s = percentile_s(v, n, 50);
  d.p90_s = percentile_s(v, n, 90);
  d.p95_s = percentile_s(v, n, 95);
  d.max_s = (double)v[n - 1] / 1000.0;
  return d;
}

static void goals_init(struct callstats_goal *goals) {
  for (int g = 0; g < CALLSTATS_GOAL__COUNT; g++)
    goals[g] = (struct callstats_goal){.limit_s = goal_defs[g].limit_s, .goal_pct = goal_defs[g].goal_pct};
}

static void goals_add(struct callstats_goal *goals, const struct call_timing *r) {
  for (int g = 0; g < CALLSTATS_GOAL__COUNT; g++) {
    bool within;
    if (!goal_of(r, (enum callstats_goal_kind)g, &within)) continue;
    goals[g].count++;
    if (within) goals[g].within++;
  }
}

static void goals_finish(struct callstats_goal *goals) {
  for (int g = 0; g < CALLSTATS_GOAL__COUNT; g++) {
    struct callstats_goal *x = &goals[g];
    x->share = x->count ? (double)x->within / (double)x->count : 0.0;
    x->met = x->count > 0 && (uint64_t)x->within * 100 >= (uint64_t)x->goal_pct * x->count;
  }
}

/* ---- breakdowns ---------------------------------------------------------------------- */

/* County codes in code order, NULL last. */
static int cmp_county(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  if (!x || !y) return (x == NULL) - (y == NULL);
  return strcmp(x, y);
}

static bool same_county(const char *a, const char *b) {
  return a == b || (a && b && strcmp(a, b) == 0);
}

/* The distinct counties of the rows, sorted; key[i] = row i's index among them. */
static int county_keys(const struct call_timing *rows, size_t n, const char ***list, size_t *nlist,
                       int *key) {
  const char **l = NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (j < k && !same_county(l[j], rows[i].county)) j++;
    if (j == k) {
      const char **grown = realloc(l, (k + 1) * sizeof *l);
      if (!grown) {
        free(l);
        return -1;
      }
      l = grown;
      l[k++] = rows[i].county;
    }
  }
  if (k) qsort(l, k, sizeof *l, cmp_county);
  for (size_t i = 0; i < n; i++) {
    size_t j = 0;
    while (!same_county(l[j], rows[i].county)) j++;
    key[i] = (int)j;
  }
  *list = l;
  *nlist = k;
  return 0;
}

/* Fills buckets[0..nkeys) from the rows whose key is its index: calls, goals and the
 * ring-to-answer distribution (values grouped by key in `scratch`, n long). */
static int fill_buckets(const struct call_timing *rows, size_t n, const int *key, const int64_t *ra,
                        struct callstats_bucket *buckets, size_t nkeys, int64_t *scratch) {
  size_t *start = calloc(nkeys + 1, sizeof *start);
  if (!start) return -1;
  for (size_t i = 0; i < n; i++) {
    struct callstats_bucket *b = &buckets[key[i]];
    b->calls++;
    goals_add(b->goals, &rows[i]);
    if (ra[i] >= 0) start[key[i] + 1]++;
  }
  for (size_t k = 0; k < nkeys; k++) start[k + 1] += start[k];
  size_t *fill = malloc((nkeys ? nkeys : 1) * sizeof *fill);
  if (!fill) {
    free(start);
    return -1;
  }
  memcpy(fill, start, nkeys * sizeof *fill);
  for (size_t i = 0; i < n; i++)
    if (ra[i] >= 0) scratch[fill[key[i]]++] = ra[i];
  for (size_t k = 0; k < nkeys; k++) {
    buckets[k].ring_to_answer = callstats_dist_of(scratch + start[k], start[k + 1] - start[k]);
    goals_finish(buckets[k].goals);
  }
  free(fill);
  free(start);
  return 0;
}

int callstats_compute(const struct call_timing *rows, size_t n, int64_t abandoned, struct callstats *out) {
  int rc = -1;
  memset(out, 0, sizeof *out);
  out->abandoned = abandoned;
  goals_init(out->goals);
  for (int h = 0; h < 24; h++) {
    out->by_hour[h].hour = h;
    goals_init(out->by_hour[h].goals);
  }
  size_t alloc_n = n ? n : 1;
  int64_t *vals = malloc(alloc_n * sizeof *vals);
  int64_t *ra = malloc(alloc_n * sizeof *ra);
  int *hour = malloc(alloc_n * sizeof *hour);
  int *ckey = malloc(alloc_n * sizeof *ckey);
  const char **counties = NULL;
  size_t ncounties = 0;
  if (!vals || !ra || !hour || !ckey) goto done;

  for (size_t i = 0; i < n; i++) {
    const struct call_timing *r = &rows[i];
    out->calls++;
    if (r->first_call) out->incidents++;
    if ((int)r->outcome >= 0 && r->outcome < CALL_OUTCOME__COUNT) out->by_outcome[r->outcome]++;
    goals_add(out->goals, r);
    ra[i] = interval_of(r, CALLSTATS_RING_TO_ANSWER);
    struct loc_jdate jd;
    if (loc_from_utc_ms(r->ring_ms > 0 ? r->ring_ms : r->answer_ms, &jd) != 0) goto done;
    hour[i] = jd.hour >= 0 && jd.hour < 24 ? jd.hour : 0;
  }
  goals_finish(out->goals);
  for (int iv = 0; iv < CALLSTATS_INTERVAL__COUNT; iv++) {
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
      int64_t v = interval_of(&rows[i], (enum callstats_interval)iv);
      if (v >= 0) vals[m++] = v;
    }
    out->intervals[iv] = callstats_dist_of(vals, m);
  }

  if (fill_buckets(rows, n, hour, ra, out->by_hour, 24, vals) != 0) goto done;
  if (county_keys(rows, n, &counties, &ncounties, ckey) != 0) goto done;
  if (ncounties) {
    out->by_county = calloc(ncounties, sizeof *out->by_county);
    if (!out->by_county) goto done;
    out->ncounties = ncounties;
    for (size_t k = 0; k < ncounties; k++) {
      out->by_county[k].hour = -1;
      out->by_county[k].county = counties[k];
      goals_init(out->by_county[k].goals);
    }
    if (fill_buckets(rows, n, ckey, ra, out->by_county, ncounties, vals) != 0) goto done;
  }
  rc = 0;

done:
  free(vals);
  free(ra);
  free(hour);
  free(ckey);
  free(counties);
  if (rc != 0) callstats_free(out);
  return rc;
}

void callstats_free(struct callstats *s) {
  free(s->by_county);
  s->by_county = NULL;
  s->ncounties = 0;
}

/* ---- JSON ------------------------------------------------------------------------------ */

/* json_object_set_new steals `v` even when it fails (and fails on a NULL v), so a
 * chain of sets leaks nothing; *ok turns false at the first failure. */
static void put(json_t *o, const char *key, json_t *v, bool *ok) {
  if (json_object_set_new(o, key, v) != 0) *ok = false;
}

static json_t *finish(json_t *o, bool ok) {
  if (ok && o) return o;
  json_decref(o);
  return NULL;
}

static json_t *seconds_or_null(size_t count, double v) {
  return count ? json_real(v) : json_null();
}

static json_t *dist_json(const struct callstats_dist *d) {
  json_t *o = json_object();
  bool ok = o != NULL;
  if (!ok) return NULL;
  put(o, "count", json_integer((json_int_t)d->count), &ok);
  put(o, "p50_s", seconds_or_null(d->count, d->p50_s), &ok);
  put(o, "p90_s", seconds_or_null(d->count, d->p90_s), &ok);
  put(o, "p95_s", seconds_or_null(d->count, d->p95_s), &ok);
  put(o, "max_s", seconds_or_null(d->count, d->max_s), &ok);
  return finish(o, ok);
}

static json_t *goal_json(const struct callstats_goal *g) {
  json_t *o = json_object();
  bool ok = o != NULL;
  if (!ok) return NULL;
  put(o, "limit_s", json_integer((json_int_t)g->limit_s), &ok);
  put(o, "goal", json_real(g->goal_pct / 100.0), &ok);
  put(o, "count", json_integer((json_int_t)g->count), &ok);
  put(o, "within", json_integer((json_int_t)g->within), &ok);
  put(o, "share", g->count ? json_real(g->share) : json_null(), &ok);
  put(o, "met", g->count ? json_boolean(g->met) : json_null(), &ok);
  return finish(o, ok);
}

static json_t *goals_json(const struct callstats_goal *goals) {
  json_t *o = json_object();
  bool ok = o != NULL;
  for (int g = 0; ok && g < CALLSTATS_GOAL__COUNT; g++) put(o, goal_defs[g].name, goal_json(&goals[g]), &ok);
  return finish(o, ok);
}

static json_t *bucket_json(const struct callstats_bucket *b, bool by_hour) {
  json_t *o = json_object();
  bool ok = o != NULL;
  if (!ok) return NULL;
  if (by_hour)
    put(o, "hour", json_integer(b->hour), &ok);
  else
    put(o, "county", b->county ? json_string(b->county) : json_null(), &ok);
  put(o, "calls", json_integer((json_int_t)b->calls), &ok);
  put(o, "ring_to_answer", dist_json(&b->ring_to_answer), &ok);
  put(o, "goals", goals_json(b->goals), &ok);
  return finish(o, ok);
}

json_t *callstats_json(const struct callstats *s) {
  json_t *root = json_object(), *outcomes = json_object(), *intervals = json_object(),
         *hours = json_array(), *counties = json_array();
  bool ok = root != NULL;
  /* Handing the containers to root first means one decref of root frees them all. */
  put(root, "calls", json_integer((json_int_t)s->calls), &ok);
  put(root, "incidents", json_integer((json_int_t)s->incidents), &ok);
  put(root, "abandoned", json_integer((json_int_t)s->abandoned), &ok);
  put(root, "by_outcome", outcomes, &ok);
  put(root, "intervals", intervals, &ok);
  put(root, "goals", goals_json(s->goals), &ok);
  put(root, "by_hour", hours, &ok);
  put(root, "by_county", counties, &ok);
  for (int o = 0; ok && o < CALL_OUTCOME__COUNT; o++)
    put(outcomes, call_outcome_name((enum call_outcome)o), json_integer((json_int_t)s->by_outcome[o]), &ok);
  for (int i = 0; ok && i < CALLSTATS_INTERVAL__COUNT; i++)
    put(intervals, interval_names[i], dist_json(&s->intervals[i]), &ok);
  for (int h = 0; ok && h < 24; h++)
    ok = json_array_append_new(hours, bucket_json(&s->by_hour[h], true)) == 0;
  for (size_t c = 0; ok && c < s->ncounties; c++)
    ok = json_array_append_new(counties, bucket_json(&s->by_county[c], false)) == 0;
  return finish(root, ok);
}
