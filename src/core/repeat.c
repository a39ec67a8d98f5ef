/* repeat.c — repeat-call candidates and priority raising; see repeat.h. */
#include "core/repeat.h"

#include <string.h>

#include "core/geo.h"
#include "core/incident_type.h"

#define MINUTE_MS (60 * 1000LL)

#define SCORE_SAME_CALLER 100.0
#define SCORE_SAME_TYPE 40.0
#define SCORE_RELATED_TYPE 20.0
#define SCORE_CLOSE_MAX 30.0
#define SCORE_RECENT_MAX 20.0

static const char *const reason_names[REPEAT_REASON__COUNT] = {
    [REPEAT_SAME_CALLER] = "same_caller", [REPEAT_SAME_TYPE] = "same_type",
    [REPEAT_RELATED_TYPE] = "related_type", [REPEAT_NEARBY] = "nearby",
    [REPEAT_RECENT] = "recent",
};

const char *repeat_reason_name(enum repeat_reason r) {
  return (int)r >= 0 && r < REPEAT_REASON__COUNT ? reason_names[r] : NULL;
}

size_t repeat_reason_names(const struct repeat_candidate *c, const char *out[REPEAT_REASON__COUNT]) {
  size_t n = 0;
  for (int r = 0; r < REPEAT_REASON__COUNT; r++)
    if (c->reasons & (1u << r)) out[n++] = reason_names[r];
  return n;
}

/* ---- caller numbers ---------------------------------------------------------------- */

#define NUMBER_MAX 32

/* The digits of s as ASCII into out (at most NUMBER_MAX - 1 of them; the rest are
 * ignored: no real number is that long). Persian (U+06F0..9, UTF-8 DB B0..B9) and
 * Arabic-Indic (U+0660..9, UTF-8 D9 A0..A9) digits count as digits. */
static size_t digits_of(const char *s, char out[NUMBER_MAX]) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p && n + 1 < NUMBER_MAX) {
    if (*p >= '0' && *p <= '9') {
      out[n++] = (char)*p++;
    } else if (p[0] == 0xDB && p[1] >= 0xB0 && p[1] <= 0xB9) {
      out[n++] = (char)('0' + p[1] - 0xB0);
      p += 2;
    } else if (p[0] == 0xD9 && p[1] >= 0xA0 && p[1] <= 0xA9) {
      out[n++] = (char)('0' + p[1] - 0xA0);
      p += 2;
    } else {
      p++;
    }
  }
  out[n] = '\0';
  return n;
}

/* The national significant number: Iran's country code 98 and trunk prefix 0 off. */
static const char *national(const char *digits, size_t n) {
  if (n > 4 && strncmp(digits, "0098", 4) == 0) return digits + 4;
  if (n == 12 && strncmp(digits, "98", 2) == 0) return digits + 2;
  if (n > 1 && digits[0] == '0') return digits + 1;
  return digits;
}

bool repeat_same_caller(const char *a, const char *b) {
  if (!a || !b) return false;
  char da[NUMBER_MAX], db[NUMBER_MAX];
  size_t na = digits_of(a, da), nb = digits_of(b, db);
  if (na == 0 || nb == 0) return false;
  return strcmp(national(da, na), national(db, nb)) == 0;
}

/* ---- candidates ------------------------------------------------------------------- */

static int64_t max64(int64_t a, int64_t b) {
  return a > b ? a : b;
}

/* The latest time the incident shows activity; with same_caller, the latest call of
 * that caller counts too (and is what makes a same-caller repeat recent). */
static int64_t last_active_ms(const struct repeat_incident *ri) {
  int64_t t = max64(ri->inc->created_ms, ri->inc->updated_ms);
  if (ri->call_ms)
    for (size_t i = 0; i < ri->ncallers; i++) t = max64(t, ri->call_ms[i]);
  return t;
}

static bool has_same_caller(const struct repeat_incident *ri, const char *number) {
  for (size_t i = 0; i < ri->ncallers; i++)
    if (ri->callers[i] && repeat_same_caller(ri->callers[i], number)) return true;
  return false;
}

/* True when a ranks before b. */
static bool better(const struct repeat_candidate *a, const struct repeat_candidate *b) {
  if (a->score != b->score) return a->score > b->score;
  if (a->inc->created_ms != b->inc->created_ms) return a->inc->created_ms > b->inc->created_ms;
  return a->incident_id > b->incident_id;
}

/* Inserts c into out[0..*n), kept sorted and at most max long. */
static void insert_ranked(struct repeat_candidate *out, size_t *n, size_t max,
                          const struct repeat_candidate *c) {
  size_t pos = *n;
  while (pos > 0 && better(c, &out[pos - 1])) pos--;
  if (pos >= max) return;
  size_t last = *n < max ? *n : max - 1;
  memmove(&out[pos + 1], &out[pos], (last - pos) * sizeof *out);
  out[pos] = *c;
  if (*n < max) (*n)++;
}

static bool evaluate(const struct call *call, const struct repeat_incident *ri,
                     const struct repeat_config *cfg, struct repeat_candidate *c) {
  const struct incident *inc = ri->inc;
  if (!inc || inc->status == INC_CLEARED || inc->status == INC_CLOSED) return false;
  int64_t age = call->created_ms - last_active_ms(ri);
  if (age < 0) age = 0; /* clocks of two nodes a little apart */

  bool same_caller = call->caller_number && has_same_caller(ri, call->caller_number) &&
                     age <= cfg->same_caller_window_ms;
  bool same_type = call->type && inc->type && strcmp(call->type, inc->type) == 0;
  bool related = !same_type && incident_types_related(call->type, inc->type);
  double dist = -1.0;
  if (call->has_location && inc->has_location)
    dist = geo_distance_m(call->lat, call->lon, inc->lat, inc->lon);
  bool nearby = dist >= 0 && dist <= cfg->radius_m;
  bool near_match = (same_type || related) && nearby && age <= cfg->nearby_window_ms;
  if (!same_caller && !near_match) return false;

  *c = (struct repeat_candidate){.inc = inc, .incident_id = inc->id, .distance_m = dist,
                                 .minutes = age / MINUTE_MS};
  c->reasons = 1u << REPEAT_RECENT;
  if (same_caller) {
    c->reasons |= 1u << REPEAT_SAME_CALLER;
    c->score += SCORE_SAME_CALLER;
  }
  if (same_type) {
    c->reasons |= 1u << REPEAT_SAME_TYPE;
    c->score += SCORE_SAME_TYPE;
  } else if (related) {
    c->reasons |= 1u << REPEAT_RELATED_TYPE;
    c->score += SCORE_RELATED_TYPE;
  }
  if (nearby) {
    c->reasons |= 1u << REPEAT_NEARBY;
    c->score += cfg->radius_m > 0 ? SCORE_CLOSE_MAX * (1.0 - dist / cfg->radius_m) : SCORE_CLOSE_MAX;
  }
  int64_t window = max64(cfg->same_caller_window_ms, cfg->nearby_window_ms);
  if (window > 0 && age < window) c->score += SCORE_RECENT_MAX * (1.0 - (double)age / (double)window);
  return true;
}

size_t repeat_candidates(const struct call *call, const struct repeat_incident *incidents, size_t n,
                         const struct repeat_config *cfg, struct repeat_candidate *out, size_t max) {
  size_t count = 0;
  if (!call || max == 0) return 0;
  for (size_t i = 0; i < n; i++) {
    struct repeat_candidate c;
    if (evaluate(call, &incidents[i], cfg, &c)) insert_ranked(out, &count, max, &c);
  }
  return count;
}

/* ---- priority --------------------------------------------------------------------- */

int repeat_raised_priority(int current_priority, int call_count) {
  int p = current_priority < 1 ? 1 : current_priority > 4 ? 4 : current_priority;
  if (call_count >= 3 && call_count % 2 == 1 && p > 1) p--;
  return p;
}
