/* test_core_geo.c — core/geo.h: great-circle distances against known values, point in
 * polygon for convex and concave rings, and the county lookup built from the real
 * data/gilan/counties.json (each county seat must map to its own county). */
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/geo.h"

static void distances(void **state) {
  (void)state;
  /* Rasht to Bandar-e Anzali: about 24 km as the crow flies. */
  double d = geo_distance_m(37.2808, 49.5832, 37.4727, 49.4622);
  assert_true(d > 23800 && d < 23950);
  assert_true(geo_distance_m(37.4727, 49.4622, 37.2808, 49.5832) == d); /* symmetric */
  assert_true(geo_distance_m(37.28, 49.58, 37.28, 49.58) == 0.0);
  /* one degree of latitude on this sphere: R × π / 180 = 111,195 m */
  double deg = geo_distance_m(37.0, 49.0, 38.0, 49.0);
  assert_true(deg > 111194.0 && deg < 111196.0);
  /* a degree of longitude shrinks with cos(latitude): at 37° about 88.8 km */
  double lon_deg = geo_distance_m(37.0, 49.0, 37.0, 50.0);
  assert_true(lon_deg > 88700 && lon_deg < 88900);
  /* half way round the earth */
  double half = geo_distance_m(0, 0, 0, 180);
  assert_true(half > 20015000 && half < 20016000);
}

static void validity(void **state) {
  (void)state;
  assert_true(geo_valid(37.28, 49.58));
  assert_true(geo_valid(-90, -180));
  assert_true(geo_valid(90, 180));
  assert_false(geo_valid(90.1, 0));
  assert_false(geo_valid(0, 180.5));
  assert_false(geo_valid(0.0 / 0.0, 0));
  assert_false(geo_valid(0, 1.0 / 0.0));
}

static void square(void **state) {
  (void)state;
  /* [lon, lat]; not closed */
  const double sq[][2] = {{49.0, 37.0}, {50.0, 37.0}, {50.0, 38.0}, {49.0, 38.0}};
  assert_true(geo_point_in_ring(sq, 4, 37.5, 49.5));
  assert_true(geo_point_in_ring(sq, 4, 37.01, 49.99));
  assert_false(geo_point_in_ring(sq, 4, 36.9, 49.5));
  assert_false(geo_point_in_ring(sq, 4, 37.5, 50.1));
  assert_false(geo_point_in_ring(sq, 4, 37.5, 48.9));
  assert_false(geo_point_in_ring(sq, 4, 38.5, 49.5));
  /* the same ring closed (first point repeated) answers the same */
  const double closed[][2] = {{49.0, 37.0}, {50.0, 37.0}, {50.0, 38.0}, {49.0, 38.0}, {49.0, 37.0}};
  assert_true(geo_point_in_ring(closed, 5, 37.5, 49.5));
  assert_false(geo_point_in_ring(closed, 5, 36.9, 49.5));
  /* a point level with a vertex is counted once */
  const double diamond[][2] = {{49.5, 37.0}, {50.0, 37.5}, {49.5, 38.0}, {49.0, 37.5}};
  assert_true(geo_point_in_ring(diamond, 4, 37.5, 49.5));
  assert_false(geo_point_in_ring(diamond, 4, 37.5, 48.5));
  assert_false(geo_point_in_ring(diamond, 4, 37.5, 50.5));
  /* degenerate rings hold nothing */
  assert_false(geo_point_in_ring(sq, 2, 37.5, 49.5));
  assert_false(geo_point_in_ring(sq, 0, 37.5, 49.5));
}

static void concave(void **state) {
  (void)state;
  /* A "U": x 0..3, y 0..3 with the notch x 1..2, y 1..3 cut out. */
  const double u[][2] = {{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}};
  size_t n = sizeof u / sizeof u[0];
  assert_true(geo_point_in_ring(u, n, 0.5, 1.5));  /* the bottom bar */
  assert_true(geo_point_in_ring(u, n, 2.0, 0.5));  /* left arm */
  assert_true(geo_point_in_ring(u, n, 2.0, 2.5));  /* right arm */
  assert_false(geo_point_in_ring(u, n, 2.0, 1.5)); /* in the notch */
  assert_false(geo_point_in_ring(u, n, 1.5, 1.5)); /* in the notch, level between arms */
  assert_false(geo_point_in_ring(u, n, 2.0, 3.5));
  assert_false(geo_point_in_ring(u, n, -0.5, 1.5));
}

/* ---- counties ---------------------------------------------------------------------- */

struct gilan {
  json_t *root;
  struct county c[32];
  char *borders[32];
  size_t n;
};

static void load_gilan(struct gilan *g) {
  const char *dir = getenv("HAMYAR_SOURCE_DIR");
  char path[1024];
  snprintf(path, sizeof path, "%s/data/gilan/counties.json", dir ? dir : ".");
  json_error_t err;
  g->root = json_load_file(path, 0, &err);
  if (!g->root) fail_msg("%s: %s", path, err.text);
  json_t *features = json_object_get(g->root, "features");
  assert_true(json_array_size(features) > 0 && json_array_size(features) <= 32);
  g->n = 0;
  size_t i;
  json_t *f;
  json_array_foreach(features, i, f) {
    json_t *p = json_object_get(f, "properties"), *seat = json_object_get(p, "seat");
    json_t *ring = json_array_get(json_object_get(json_object_get(f, "geometry"), "coordinates"), 0);
    g->borders[i] = json_dumps(ring, JSON_COMPACT); /* as stored: "[[lon,lat],...]" */
    assert_non_null(g->borders[i]);
    g->c[i] = (struct county){
        .id = (int64_t)i + 1,
        .code = json_string_value(json_object_get(p, "code")),
        .name_fa = json_string_value(json_object_get(p, "name_fa")),
        .seat_lat = json_number_value(json_object_get(seat, "lat")),
        .seat_lon = json_number_value(json_object_get(seat, "lon")),
        .border = g->borders[i],
    };
    g->n++;
  }
}

static void free_gilan(struct gilan *g) {
  for (size_t i = 0; i < g->n; i++) free(g->borders[i]);
  json_decref(g->root);
}

static void counties_of_gilan(void **state) {
  (void)state;
  struct gilan g;
  load_gilan(&g);
  assert_int_equal(g.n, 17);
  char err[200];
  struct geo_counties *t = geo_counties_build(g.c, g.n, err, sizeof err);
  if (!t) fail_msg("%s", err);
  assert_int_equal(geo_counties_count(t), 17);
  for (size_t i = 0; i < g.n; i++) {
    const char *code = geo_county_at(t, g.c[i].seat_lat, g.c[i].seat_lon);
    assert_non_null(code);
    if (strcmp(code, g.c[i].code) != 0) fail_msg("seat of %s maps to %s", g.c[i].code, code);
  }
  /* The table keeps its own copies: the records may go. */
  char rasht[] = "rasht";
  struct county one = {.code = rasht, .seat_lat = 37.2808, .seat_lon = 49.5831, .border = g.borders[0]};
  struct geo_counties *t1 = geo_counties_build(&one, 1, NULL, 0);
  assert_non_null(t1);
  memcpy(rasht, "xxxxx", 5);
  assert_string_equal(geo_county_at(t1, 37.2808, 49.5831), "rasht");
  geo_free(t1);
  free_gilan(&g);

  /* The border decides, not the nearest seat: this point north of Rasht is nearer
   * Khomam's seat but inside Rasht's border. */
  assert_string_equal(geo_county_at(t, 37.35, 49.60), "rasht");
  assert_string_equal(geo_county_at(t, 36.7590, 49.4010), "rudbar"); /* Manjil */
  assert_string_equal(geo_county_at(t, 37.19, 50.05), "lahijan");
  /* In the Caspian, 3 km off Bandar-e Anzali: no border holds it; the nearest seat does. */
  assert_string_equal(geo_county_at(t, 37.50, 49.46), "anzali");
  /* Far out at sea, and Tehran: nothing. */
  assert_null(geo_county_at(t, 38.20, 50.50));
  assert_null(geo_county_at(t, 35.6892, 51.3890));
  assert_null(geo_county_at(t, 0.0 / 0.0, 49.5));
  assert_null(geo_county_at(t, 95, 49.5));
  assert_null(geo_county_at(NULL, 37.28, 49.58));
  geo_free(t);
}

static void border_forms(void **state) {
  (void)state;
  /* A ring, a Polygon's coordinates with a hole, and a MultiPolygon geometry. */
  struct county c[] = {
      {.code = "ring", .border = "[[0,0],[1,0],[1,1],[0,1],[0,0]]"},
      {.code = "holed",
       .border = "[[[10,0],[14,0],[14,4],[10,4],[10,0]],[[11,1],[13,1],[13,3],[11,3],[11,1]]]"},
      {.code = "multi",
       .border = "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[20,0],[21,0],[21,1],[20,1],[20,0]]],"
                 "[[[22,0],[23,0],[23,1],[22,1],[22,0]]]]}"},
      {.code = "seat_only", .seat_lat = 30, .seat_lon = 30, .border = NULL},
  };
  char err[200];
  struct geo_counties *t = geo_counties_build(c, 4, err, sizeof err);
  if (!t) fail_msg("%s", err);
  assert_string_equal(geo_county_at(t, 0.5, 0.5), "ring");
  assert_string_equal(geo_county_at(t, 0.5, 10.5), "holed");
  assert_null(geo_county_at(t, 2.0, 12.0)); /* in the hole, no seat near */
  assert_string_equal(geo_county_at(t, 0.5, 20.5), "multi");
  assert_string_equal(geo_county_at(t, 0.5, 22.5), "multi");
  assert_null(geo_county_at(t, 0.5, 21.5)); /* between the parts */
  /* the seat fallback: 29.9 km away yes, 30.1 km no (0.27° of latitude ≈ 30.02 km) */
  assert_string_equal(geo_county_at(t, 30.0 + 29900.0 / 111195.0, 30.0), "seat_only");
  assert_null(geo_county_at(t, 30.0 + 30100.0 / 111195.0, 30.0));
  geo_free(t);
}

static void bad_borders(void **state) {
  (void)state;
  const char *bad[] = {
      "not json",
      "[[0,0],[1,0]]",                    /* two positions */
      "[[0,0],[1,\"x\"],[1,1]]",          /* not a number */
      "[[0,0],[1,0],[1,91]]",             /* latitude out of range */
      "{\"type\":\"Point\",\"coordinates\":[0,0]}",
      "[]",
      "[[[[[[0,0]]]]]]",
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    struct county c[] = {{.code = "good", .border = "[[0,0],[1,0],[1,1]]"}, {.code = "bad", .border = bad[i]}};
    char err[200] = "";
    struct geo_counties *t = geo_counties_build(c, 2, err, sizeof err);
    assert_null(t);
    assert_non_null(strstr(err, "county bad: "));
  }
  struct county nocode = {.code = NULL, .border = "[[0,0],[1,0],[1,1]]"};
  assert_null(geo_counties_build(&nocode, 1, NULL, 0));
  /* no counties: a table that finds nothing */
  struct geo_counties *empty = geo_counties_build(NULL, 0, NULL, 0);
  assert_non_null(empty);
  assert_null(geo_county_at(empty, 37.28, 49.58));
  geo_free(empty);
  geo_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(distances),         cmocka_unit_test(validity),
      cmocka_unit_test(square),            cmocka_unit_test(concave),
      cmocka_unit_test(counties_of_gilan), cmocka_unit_test(border_forms),
      cmocka_unit_test(bad_borders),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
