/* dispatch.h — which patrol units to send to an incident: a ranked recommendation.
 *
 * Only AVAILABLE units are recommended. A unit's position is its last reported one
 * while that is fresh (at most stale_after_ms old); otherwise, or when it never
 * reported, its home station's, flagged stale. A unit with neither is left out: its
 * travel time cannot be estimated.
 *
 * Travel is estimated, not routed (hamyar has no road graph on a closed network):
 *   straight_m = great-circle distance (geo.h)
 *   road_m     = straight_m × road_factor
 *   eta_s      = road_m ÷ the unit type's speed, rounded up to whole seconds
 *
 * Suitability is a table of unit type × incident-type group (incident_type.h):
 * preferred, suitable, or not suitable. Unsuitable units are left out, not listed
 * last: a dispatcher under stress should not have to skip them, and one who needs an
 * unusual unit can still assign it by hand. The default table:
 *   car         suitable for everything (the general patrol);
 *   motorcycle  not for violence or hazards, where people must be carried (arrested,
 *               injured, evacuated) or equipment brought; suitable otherwise;
 *   traffic     (traffic police) preferred for traffic; suitable for hazards (road
 *               closures) and non-emergency help; not for crime;
 *   special     (special units) preferred for violence and hazards; suitable for
 *               public order, drugs, property and persons; not for traffic, fraud or
 *               non-emergency work.
 * An incident whose type is unknown finds every unit type suitable.
 *
 * Ranking: by eta_s minus preferred_bonus_s for a preferred unit type, so a traffic
 * unit two minutes further away still comes first for a crash; ties by same county
 * before other, fresh position before stale, then unit id. An incident without a
 * location gets every suitable available unit in that tie order, with distances and
 * times of -1. At most DISPATCH_MAX_RECS are returned.
 *
 * Reasons, in this order: "nearest" (the smallest road distance among those ranked;
 * every unit that ties for it), "type_preferred", "same_county" (the unit's station
 * is in the incident's county), "stale_position".
 *
 * Memory: nothing is allocated. Recommendations point at the caller's units. All
 * functions are thread-safe.
 */
#ifndef HAMYAR_CORE_DISPATCH_H
#define HAMYAR_CORE_DISPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/emergency.h"
#include "core/incident_type.h"

/* more than a dispatcher reads */
#define DISPATCH_MAX_RECS 256

enum dispatch_fit { DISPATCH_UNSUITABLE = 0, DISPATCH_SUITABLE, DISPATCH_PREFERRED };

struct dispatch_config {
  double road_factor;
  double speed_kmh[UNIT_TYPE__COUNT]; /* 0 or less: the type is never recommended */
  int64_t stale_after_ms;
  int64_t preferred_bonus_s;
  enum dispatch_fit fit[UNIT_TYPE__COUNT][IGROUP__COUNT];
};

/* road factor 1.3; car 50, motorcycle 40, traffic 50, special 45 km/h; stale after 30
 * minutes; 120 s bonus; the suitability table above. */
struct dispatch_config dispatch_config_default(void);

enum dispatch_reason {
  DISPATCH_NEAREST = 0,
  DISPATCH_TYPE_PREFERRED,
  DISPATCH_SAME_COUNTY,
  DISPATCH_STALE_POSITION,
  DISPATCH_REASON__COUNT
};

struct dispatch_rec {
  const struct unit *unit;
  int64_t unit_id;
  double lat, lon;           /* the position used */
  bool stale;                /* true: the station's position (or an old report) */
  const char *position_source; /* "reported" or "station" */
  double straight_m, road_m; /* -1 when the incident has no location */
  int64_t eta_s;             /* -1 when the incident has no location */
  unsigned reasons;          /* bit (1u << enum dispatch_reason) */
};

const char *dispatch_reason_name(enum dispatch_reason r);
size_t dispatch_reason_names(const struct dispatch_rec *r, const char *out[DISPATCH_REASON__COUNT]);

/* The position to show and plan with for unit u whose home station is `station`
 * (NULL when unknown): its report when fresh (age <= stale_after_ms), else the
 * station's with *stale = true, else an old report, also stale. *source gets
 * "reported" or "station" (may be NULL). 0, or -1 when there is no position at all. */
int dispatch_unit_position(const struct unit *u, const struct station *station, int64_t now_ms,
                           const struct dispatch_config *cfg, double *lat, double *lon, bool *stale,
                           const char **source);

/* Ranks the units for incident `inc` (location, type and county are used). Stations
 * are found by the unit's station code. Writes the best `max` to out, best first;
 * returns how many. */
size_t dispatch_recommend(const struct incident *inc, const struct unit *units, size_t nunits,
                          const struct station *stations, size_t nstations, int64_t now_ms,
                          const struct dispatch_config *cfg, struct dispatch_rec *out, size_t max);

#endif
