/* dispatch.c — unit recommendation; see dispatch.h. */
#include "core/dispatch.h"

#include <math.h>
#include <string.h>

#include "core/geo.h"

struct dispatch_config dispatch_config_default(void) {
  struct dispatch_config c = {
      .road_factor = 1.3,
      .speed_kmh = {[UNIT_CAR] = 50, [UNIT_MOTORCYCLE] = 40, [UNIT_TRAFFIC] = 50, [UNIT_SPECIAL] = 45},
      .stale_after_ms = 30 * 60 * 1000LL,
      .preferred_bonus_s = 120,
  };
  for (int g = 0; g < IGROUP__COUNT; g++) {
    c.fit[UNIT_CAR][g] = DISPATCH_SUITABLE;
    c.fit[UNIT_MOTORCYCLE][g] = DISPATCH_SUITABLE;
    c.fit[UNIT_TRAFFIC][g] = DISPATCH_UNSUITABLE;
    c.fit[UNIT_SPECIAL][g] = DISPATCH_SUITABLE;
  }
  c.fit[UNIT_MOTORCYCLE][IGROUP_VIOLENCE] = DISPATCH_UNSUITABLE;
  c.fit[UNIT_MOTORCYCLE][IGROUP_HAZARD] = DISPATCH_UNSUITABLE;
  c.fit[UNIT_TRAFFIC][IGROUP_TRAFFIC] = DISPATCH_PREFERRED;
  c.fit[UNIT_TRAFFIC][IGROUP_HAZARD] = DISPATCH_SUITABLE;
  c.fit[UNIT_TRAFFIC][IGROUP_NON_EMERGENCY] = DISPATCH_SUITABLE;
  c.fit[UNIT_SPECIAL][IGROUP_VIOLENCE] = DISPATCH_PREFERRED;
  c.fit[UNIT_SPECIAL][IGROUP_HAZARD] = DISPATCH_PREFERRED;
  c.fit[UNIT_SPECIAL][IGROUP_TRAFFIC] = DISPATCH_UNSUITABLE;
  c.fit[UNIT_SPECIAL][IGROUP_CYBER_FRAUD] = DISPATCH_UNSUITABLE;
  c.fit[UNIT_SPECIAL][IGROUP_NON_EMERGENCY] = DISPATCH_UNSUITABLE;
  return c;
}

static const char *const reason_names[DISPATCH_REASON__COUNT] = {
    [DISPATCH_NEAREST] = "nearest",
    [DISPATCH_TYPE_PREFERRED] = "type_preferred",
    [DISPATCH_SAME_COUNTY] = "same_county",
    [DISPATCH_STALE_POSITION] = "stale_position",
};

const char *dispatch_reason_name(enum dispatch_reason r) {
  return (int)r >= 0 && r < DISPATCH_REASON__COUNT ? reason_names[r] : NULL;
}

size_t dispatch_reason_names(const struct dispatch_rec *r, const char *out[DISPATCH_REASON__COUNT]) {
  size_t n = 0;
  for (int i = 0; i < DISPATCH_REASON__COUNT; i++)
    if (r->reasons & (1u << i)) out[n++] = reason_names[i];
  return n;
}

int dispatch_unit_position(const struct unit *u, const struct station *station, int64_t now_ms,
                           const struct dispatch_config *cfg, double *lat, double *lon, bool *stale,
                           const char **source) {
  bool reported = u->has_position && geo_valid(u->lat, u->lon);
  if (reported && now_ms - u->position_ms <= cfg->stale_after_ms) {
    *lat = u->lat;
    *lon = u->lon;
    *stale = false;
    if (source) *source = "reported";
    return 0;
  }
  if (station && geo_valid(station->lat, station->lon)) {
    *lat = station->lat;
    *lon = station->lon;
    *stale = true;
    if (source) *source = "station";
    return 0;
  }
  if (reported) {
    *lat = u->lat;
    *lon = u->lon;
    *stale = true;
    if (source) *source = "reported";
    return 0;
  }
  return -1;
}

static const struct station *find_station(const struct station *stations, size_t n, const char *code) {
  if (!code) return NULL;
  for (size_t i = 0; i < n; i++)
    if (stations[i].code && strcmp(stations[i].code, code) == 0) return &stations[i];
  return NULL;
}

/* What ranks a candidate; kept beside its recommendation while sorting. */
struct ranked {
  struct dispatch_rec rec;
  int64_t key_s;     /* eta minus bonus; 0 without a location */
  bool same_county;
};

static bool better(const struct ranked *a, const struct ranked *b) {
  if (a->key_s != b->key_s) return a->key_s < b->key_s;
  if (a->same_county != b->same_county) return a->same_county;
  if (a->rec.stale != b->rec.stale) return !a->rec.stale;
  return a->rec.unit_id < b->rec.unit_id;
}

/* Candidates are ranked in `tmp` (its length is `max`), so that the comparison data
 * stays out of struct dispatch_rec; out gets the recs at the end. */
static void insert_ranked(struct ranked *tmp, size_t *n, size_t max, const struct ranked *c) {
  size_t pos = *n;
  while (pos > 0 && better(c, &tmp[pos - 1])) pos--;
  if (pos >= max) return;
  size_t last = *n < max ? *n : max - 1;
  memmove(&tmp[pos + 1], &tmp[pos], (last - pos) * sizeof *tmp);
  tmp[pos] = *c;
  if (*n < max) (*n)++;
}

size_t dispatch_recommend(const struct incident *inc, const struct unit *units, size_t nunits,
                          const struct station *stations, size_t nstations, int64_t now_ms,
                          const struct dispatch_config *cfg, struct dispatch_rec *out, size_t max) {
  struct ranked tmp[DISPATCH_MAX_RECS];
  if (max > DISPATCH_MAX_RECS) max = DISPATCH_MAX_RECS;
  size_t n = 0;
  bool located = inc->has_location && geo_valid(inc->lat, inc->lon);
  const struct incident_type *type = incident_type_find(inc->type);
  double nearest_m = INFINITY;

  for (size_t i = 0; i < nunits; i++) {
    const struct unit *u = &units[i];
    if (u->status != UNIT_AVAILABLE || (int)u->type < 0 || u->type >= UNIT_TYPE__COUNT) continue;
    double speed = cfg->speed_kmh[u->type];
    enum dispatch_fit fit = type ? cfg->fit[u->type][type->group] : DISPATCH_SUITABLE;
    if (fit == DISPATCH_UNSUITABLE || !(speed > 0)) continue;
    const struct station *st = find_station(stations, nstations, u->station);
    struct ranked c = {.rec = {.unit = u, .unit_id = u->id, .straight_m = -1, .road_m = -1, .eta_s = -1}};
    if (dispatch_unit_position(u, st, now_ms, cfg, &c.rec.lat, &c.rec.lon, &c.rec.stale,
                               &c.rec.position_source) != 0)
      continue;
    c.same_county = st && st->county && inc->county && strcmp(st->county, inc->county) == 0;
    if (fit == DISPATCH_PREFERRED) c.rec.reasons |= 1u << DISPATCH_TYPE_PREFERRED;
    if (c.same_county) c.rec.reasons |= 1u << DISPATCH_SAME_COUNTY;
    if (c.rec.stale) c.rec.reasons |= 1u << DISPATCH_STALE_POSITION;
    if (located) {
      c.rec.straight_m = geo_distance_m(c.rec.lat, c.rec.lon, inc->lat, inc->lon);
      c.rec.road_m = c.rec.straight_m * cfg->road_factor;
      /* less a nanosecond, so that an exact 100 s is not rounded up by float error */
      c.rec.eta_s = (int64_t)ceil(c.rec.road_m / (speed / 3.6) - 1e-9);
      c.key_s = c.rec.eta_s - (fit == DISPATCH_PREFERRED ? cfg->preferred_bonus_s : 0);
      if (c.rec.road_m < nearest_m) nearest_m = c.rec.road_m;
    }
    insert_ranked(tmp, &n, max, &c);
  }
  for (size_t i = 0; i < n; i++) {
    out[i] = tmp[i].rec;
    if (located && out[i].road_m == nearest_m) out[i].reasons |= 1u << DISPATCH_NEAREST;
  }
  return n;
}
