/* feedback_stats.c — the 197 desk's figures for a period; see feedback_stats.h.
 * Answer times use callstats' nearest-rank distribution, so that "median time to
 * answer" means the same thing here as on the 110 centre's figures. */
#include "core/feedback_stats.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/callstats.h"

/* ---- counting by code ------------------------------------------------------------------- */

struct group {
  const char *code; /* NULL: rows without one */
  size_t count;
};

/* Codes in code order, NULL last. */
static int cmp_code(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  if (!x || !y) return (x == NULL) - (y == NULL);
  return strcmp(x, y);
}

/* Most first, then by code; the group without a code last whatever its count. */
static int cmp_group(const void *a, const void *b) {
  const struct group *x = a, *y = b;
  if (!x->code || !y->code) return (x->code == NULL) - (y->code == NULL);
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->code, y->code);
}

/* [{"code", "count"}] of the n codes (sorted in place), as the header orders them. */
static json_t *groups_json(const char **codes, size_t n) {
  json_t *arr = json_array();
  struct group *g = malloc((n ? n : 1) * sizeof *g);
  size_t k = 0;
  bool ok = arr && g;
  if (ok && n) {
    qsort(codes, n, sizeof *codes, cmp_code);
    for (size_t i = 0; i < n; i++) {
      bool same = k > 0 && (g[k - 1].code == codes[i] ||
                            (g[k - 1].code && codes[i] && strcmp(g[k - 1].code, codes[i]) == 0));
      if (same) g[k - 1].count++;
      else g[k++] = (struct group){codes[i], 1};
    }
    qsort(g, k, sizeof *g, cmp_group);
  }
  for (size_t i = 0; ok && i < k; i++)
    ok = json_array_append_new(arr, json_pack("{s:s?,s:I}", "code", g[i].code, "count",
                                              (json_int_t)g[i].count)) == 0;
  free(g);
  if (ok) return arr;
  json_decref(arr);
  return NULL;
}

/* {name: count}, or with `shares` {name: count / of} (0 when of is 0); every name the
 * table has (the outcome "none" has none). */
static json_t *named_json(const size_t *counts, size_t n, const char *(*name)(int), size_t of,
                          bool shares) {
  json_t *o = json_object();
  bool ok = o != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    const char *key = name((int)i);
    if (!key) continue; /* the outcome "none" */
    json_t *v = shares ? json_real(of ? (double)counts[i] / (double)of : 0.0)
                       : json_integer((json_int_t)counts[i]);
    ok = json_object_set_new(o, key, v) == 0;
  }
  if (ok) return o;
  json_decref(o);
  return NULL;
}

/* The enum name functions, taking an int for named_json. */
static const char *kind_at(int i) {
  return fb_kind_name((enum fb_kind)i);
}
static const char *channel_at(int i) {
  return fb_channel_name((enum fb_channel)i);
}
static const char *outcome_at(int i) {
  return fb_outcome_name((enum fb_outcome)i);
}

/* ---- the figures ----------------------------------------------------------------------- */

struct tally {
  size_t kind[FB_KIND__COUNT], channel[FB_CHANNEL__COUNT], outcome[FB_OUTCOME__COUNT];
  size_t overdue, open, closed, closed_complaints, reconciled_complaints;
};

static void count_row(const struct feedback *r, int64_t now_ms, struct tally *t) {
  if ((int)r->kind >= 0 && r->kind < FB_KIND__COUNT) t->kind[r->kind]++;
  if ((int)r->channel >= 0 && r->channel < FB_CHANNEL__COUNT) t->channel[r->channel]++;
  if (fb_is_overdue(r, now_ms)) t->overdue++;
  if (r->status != FB_CLOSED) {
    t->open++;
    return;
  }
  t->closed++;
  if ((int)r->outcome > FB_OUTCOME_NONE && r->outcome < FB_OUTCOME__COUNT) t->outcome[r->outcome]++;
  if (r->kind == FB_COMPLAINT) {
    t->closed_complaints++;
    if (r->outcome == FB_RECONCILED) t->reconciled_complaints++;
  }
}

static json_t *seconds_or_null(size_t count, double v) {
  return count ? json_real(v) : json_null();
}

json_t *fb_stats_json(const struct feedback *rows, size_t n, int64_t now_ms) {
  json_t *root = NULL;
  size_t alloc_n = n ? n : 1;
  int64_t *answer_ms = malloc(alloc_n * sizeof *answer_ms);
  const char **counties = malloc(alloc_n * sizeof *counties);
  const char **stations = malloc(alloc_n * sizeof *stations);
  if (!answer_ms || !counties || !stations) goto done;

  struct tally t = {0};
  size_t answered = 0;
  for (size_t i = 0; i < n; i++) {
    const struct feedback *r = &rows[i];
    count_row(r, now_ms, &t);
    counties[i] = r->county;
    stations[i] = r->station;
    /* Answered contacts keep answered_ms when they are closed, so both count; a time
     * before receipt (a clock put right) is no measure and is left out. */
    if (r->answered_ms > 0 && r->received_ms > 0 && r->answered_ms >= r->received_ms)
      answer_ms[answered++] = r->answered_ms - r->received_ms;
  }
  struct callstats_dist d = callstats_dist_of(answer_ms, answered);

  root = json_pack("{s:I,s:o,s:o,s:o,s:o,s:f,s:{s:I,s:o,s:o,s:o},s:I,s:I,s:o,s:o,s:f}",
                   "total", (json_int_t)n,
                   "by_kind", named_json(t.kind, FB_KIND__COUNT, kind_at, 0, false),
                   "by_channel", named_json(t.channel, FB_CHANNEL__COUNT, channel_at, 0, false),
                   "by_county", groups_json(counties, n),
                   "by_station", groups_json(stations, n),
                   "praise_share", n ? (double)t.kind[FB_PRAISE] / (double)n : 0.0,
                   "answer_time_s", "count", (json_int_t)d.count, "p50", seconds_or_null(d.count, d.p50_s),
                   "p90", seconds_or_null(d.count, d.p90_s), "max", seconds_or_null(d.count, d.max_s),
                   "overdue", (json_int_t)t.overdue,
                   "open", (json_int_t)t.open,
                   "outcomes", named_json(t.outcome, FB_OUTCOME__COUNT, outcome_at, 0, false),
                   "outcome_shares", named_json(t.outcome, FB_OUTCOME__COUNT, outcome_at, t.closed, true),
                   "reconciliation_share",
                   t.closed_complaints ? (double)t.reconciled_complaints / (double)t.closed_complaints : 0.0);
done:
  free(answer_ms);
  free(counties);
  free(stations);
  return root;
}
