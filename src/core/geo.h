/* geo.h — distances and places on the map: great-circle distance, point in polygon,
 * and which county (شهرستان) a point lies in.
 *
 * Coordinates are WGS84 degrees. Distances use the haversine formula on a sphere of
 * the IUGG mean earth radius (6,371,008.8 m): within about 0.5% of the ellipsoidal
 * distance, far better than the road-factor estimate the distances feed (dispatch.h)
 * and than the phone system's location uncertainty.
 *
 * Polygons are arrays of [lon, lat] pairs (GeoJSON order), as county borders are
 * stored. A county lookup table is built once from the counties' border texts (JSON)
 * and then answers lookups without further allocation.
 *
 * Memory: geo_counties_build returns a table the caller frees with geo_free; it copies
 * what it needs, so the county records may be freed after building. The code strings
 * geo_county_at returns belong to the table. A built table is read-only, so any number
 * of threads may look points up in it at once.
 */
#ifndef HAMYAR_CORE_GEO_H
#define HAMYAR_CORE_GEO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/emergency.h"

#define GEO_EARTH_RADIUS_M 6371008.8
/* A point outside every county border (the sea, or just past a drawn border that is
 * approximate by kilometres) belongs to the nearest county seat this close. */
#define GEO_SEAT_FALLBACK_M 30000.0

/* Great-circle distance in metres. */
double geo_distance_m(double lat1, double lon1, double lat2, double lon2);

/* True when a lat/lon pair is finite and within [-90, 90] × [-180, 180]. */
bool geo_valid(double lat, double lon);

/* Ray casting (even-odd rule) over one ring of n [lon, lat] points; the ring may or
 * may not repeat its first point at the end. Points exactly on an edge may fall
 * either way. */
bool geo_point_in_ring(const double (*ring)[2], size_t n, double lat, double lon);

struct geo_counties;

/* Parses each county's border (a ring "[[lon,lat],...]", a GeoJSON Polygon's
 * coordinates "[[[lon,lat],...],...]", or a GeoJSON Polygon/MultiPolygon geometry
 * object; holes and several parts work through the even-odd rule). A county without
 * a border (NULL or "") is found only through its seat. NULL when out of memory or a
 * border does not parse; then `err` (if not NULL) says which county and why. */
struct geo_counties *geo_counties_build(const struct county *counties, size_t n, char *err,
                                        size_t errlen);

/* The code of the county whose border contains the point (the first in build order
 * when borders overlap); if none does, the county whose seat is nearest, when within
 * GEO_SEAT_FALLBACK_M; else NULL. NULL too for an invalid point. */
const char *geo_county_at(const struct geo_counties *g, double lat, double lon);

/* How many counties the table holds. */
size_t geo_counties_count(const struct geo_counties *g);

void geo_free(struct geo_counties *g);

#endif
