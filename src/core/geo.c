/* geo.c — great-circle distance, point in polygon, county lookup; see geo.h. */
#include "core/geo.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEG (3.14159265358979323846 / 180.0)

double geo_distance_m(double lat1, double lon1, double lat2, double lon2) {
  double p1 = lat1 * DEG, p2 = lat2 * DEG;
  double dp = (lat2 - lat1) * DEG, dl = (lon2 - lon1) * DEG;
  double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
  if (a > 1.0) a = 1.0; /* rounding near antipodes */
  return 2.0 * GEO_EARTH_RADIUS_M * asin(sqrt(a));
}

bool geo_valid(double lat, double lon) {
  return isfinite(lat) && isfinite(lon) && lat >= -90.0 && lat <= 90.0 && lon >= -180.0 &&
         lon <= 180.0;
}

bool geo_point_in_ring(const double (*ring)[2], size_t n, double lat, double lon) {
  bool inside = false;
  if (n < 3) return false;
  /* Each edge (j, i) that straddles the point's latitude and crosses the horizontal
   * ray to the east of it flips the answer. The half-open test (yi > lat) != (yj > lat)
   * counts a vertex on the ray once, and skips horizontal edges. */
  for (size_t i = 0, j = n - 1; i < n; j = i++) {
    double xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
    if ((yi > lat) != (yj > lat)) {
      double x_cross = xj + (lat - yj) * (xi - xj) / (yi - yj);
      if (lon < x_cross) inside = !inside;
    }
  }
  return inside;
}

/* ---- county table ---------------------------------------------------------------- */

struct ring {
  double (*pts)[2];
  size_t n;
};

struct shape {
  char *code;
  double seat_lat, seat_lon;
  bool has_seat;
  struct ring *rings;
  size_t nrings;
  double min_lon, min_lat, max_lon, max_lat; /* bounding box of all rings */
};

struct geo_counties {
  struct shape *shapes;
  size_t n;
};

static void shape_free(struct shape *s) {
  for (size_t i = 0; i < s->nrings; i++) free(s->rings[i].pts);
  free(s->rings);
  free(s->code);
}

void geo_free(struct geo_counties *g) {
  if (!g) return;
  for (size_t i = 0; i < g->n; i++) shape_free(&g->shapes[i]);
  free(g->shapes);
  free(g);
}

size_t geo_counties_count(const struct geo_counties *g) {
  return g ? g->n : 0;
}

/* A position is [lon, lat] (extra members such as altitude are ignored). */
static bool is_position(const json_t *v) {
  return json_is_array(v) && json_array_size(v) >= 2 && json_is_number(json_array_get(v, 0)) &&
         json_is_number(json_array_get(v, 1));
}

static const char *add_ring(struct shape *s, const json_t *arr) {
  size_t n = json_array_size(arr);
  if (n < 3) return "a ring needs at least 3 positions";
  struct ring *rings = realloc(s->rings, (s->nrings + 1) * sizeof *rings);
  if (!rings) return "out of memory";
  s->rings = rings;
  struct ring *r = &s->rings[s->nrings];
  r->pts = malloc(n * sizeof *r->pts);
  if (!r->pts) return "out of memory";
  r->n = n;
  s->nrings++;
  for (size_t i = 0; i < n; i++) {
    const json_t *p = json_array_get(arr, i);
    if (!is_position(p)) return "a position is not [lon, lat]";
    double lon = json_number_value(json_array_get(p, 0)), lat = json_number_value(json_array_get(p, 1));
    if (!geo_valid(lat, lon)) return "a position is out of range";
    r->pts[i][0] = lon;
    r->pts[i][1] = lat;
    if (lon < s->min_lon) s->min_lon = lon;
    if (lon > s->max_lon) s->max_lon = lon;
    if (lat < s->min_lat) s->min_lat = lat;
    if (lat > s->max_lat) s->max_lat = lat;
  }
  return NULL;
}

/* `v` is a ring, a list of rings (Polygon), or a list of polygons (MultiPolygon),
 * told apart by how deep the first position lies. */
static const char *add_coordinates(struct shape *s, const json_t *v, int depth) {
  if (!json_is_array(v) || json_array_size(v) == 0) return "coordinates must be a non-empty array";
  if (depth > 3) return "coordinates nested too deeply";
  if (is_position(json_array_get(v, 0))) return add_ring(s, v);
  size_t i;
  const json_t *item;
  json_array_foreach(v, i, item) {
    const char *e = add_coordinates(s, item, depth + 1);
    if (e) return e;
  }
  return NULL;
}

static const char *parse_border(struct shape *s, const char *text) {
  json_error_t jerr;
  json_t *root = json_loads(text, 0, &jerr);
  if (!root) return "border is not JSON";
  const json_t *coords = root;
  if (json_is_object(root)) {
    const char *type = json_string_value(json_object_get(root, "type"));
    if (!type || (strcmp(type, "Polygon") != 0 && strcmp(type, "MultiPolygon") != 0)) {
      json_decref(root);
      return "border object is not a Polygon or MultiPolygon";
    }
    coords = json_object_get(root, "coordinates");
  }
  const char *e = add_coordinates(s, coords, 0);
  json_decref(root);
  return e;
}

struct geo_counties *geo_counties_build(const struct county *counties, size_t n, char *err,
                                        size_t errlen) {
  const char *why = NULL, *which = "";
  struct geo_counties *g = calloc(1, sizeof *g);
  if (!g || (n && !(g->shapes = calloc(n, sizeof *g->shapes)))) {
    why = "out of memory";
    goto fail;
  }
  for (size_t i = 0; i < n; i++) {
    const struct county *c = &counties[i];
    struct shape *s = &g->shapes[i];
    g->n = i + 1; /* so that geo_free releases what this county got so far */
    which = c->code ? c->code : "(no code)";
    s->min_lon = s->min_lat = INFINITY;
    s->max_lon = s->max_lat = -INFINITY;
    if (!c->code || !(s->code = strdup(c->code))) {
      why = c->code ? "out of memory" : "county has no code";
      goto fail;
    }
    s->has_seat = geo_valid(c->seat_lat, c->seat_lon) && !(c->seat_lat == 0 && c->seat_lon == 0);
    s->seat_lat = c->seat_lat;
    s->seat_lon = c->seat_lon;
    if (c->border && *c->border && (why = parse_border(s, c->border)) != NULL) goto fail;
  }
  return g;

fail:
  if (err && errlen) snprintf(err, errlen, "county %s: %s", which, why);
  geo_free(g);
  return NULL;
}

static bool in_shape(const struct shape *s, double lat, double lon) {
  if (s->nrings == 0 || lon < s->min_lon || lon > s->max_lon || lat < s->min_lat || lat > s->max_lat)
    return false;
  /* Even-odd across all rings: a hole flips "inside" back, a second part adds. */
  bool inside = false;
  for (size_t i = 0; i < s->nrings; i++)
    if (geo_point_in_ring((const double(*)[2])s->rings[i].pts, s->rings[i].n, lat, lon))
      inside = !inside;
  return inside;
}

const char *geo_county_at(const struct geo_counties *g, double lat, double lon) {
  if (!g || !geo_valid(lat, lon)) return NULL;
  for (size_t i = 0; i < g->n; i++)
    if (in_shape(&g->shapes[i], lat, lon)) return g->shapes[i].code;
  const char *best = NULL;
  double best_m = GEO_SEAT_FALLBACK_M;
  for (size_t i = 0; i < g->n; i++) {
    const struct shape *s = &g->shapes[i];
    if (!s->has_seat) continue;
    double d = geo_distance_m(lat, lon, s->seat_lat, s->seat_lon);
    if (d <= best_m) {
      best_m = d;
      best = s->code;
    }
  }
  return best;
}
