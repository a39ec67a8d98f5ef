/* test_core_dispatch.c — unit recommendation (core/dispatch.h): ranking by travel
 * time, the stale-position fallback to the home station at 29 and 31 minutes, only
 * available units, suitability by unit type and incident group, and ties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dispatch.h"
#include "core/geo.h"

#define MIN_MS (60 * 1000LL)
#define NOW 1759293000000LL
#define LAT0 37.2808
#define LON0 49.5832

static double north(double m) {
  return LAT0 + m / GEO_EARTH_RADIUS_M * 180.0 / 3.14159265358979323846;
}

/* Two stations of Rasht (one 5 km north of the incident) and one of Anzali. */
static const struct station stations[] = {
    {.id = 1, .code = "rasht-k11", .county = "rasht", .lat = 37.2808 + 5000.0 / 111195.0, .lon = LON0},
    {.id = 2, .code = "rasht-k12", .county = "rasht", .lat = LAT0, .lon = LON0},
    {.id = 3, .code = "anzali-k1", .county = "anzali", .lat = 37.4727, .lon = 49.4622},
};
#define NSTATIONS (sizeof stations / sizeof stations[0])

static struct unit unit_at(int64_t id, enum unit_type type, double metres_north, const char *station) {
  return (struct unit){.id = id, .type = type, .station = station, .status = UNIT_AVAILABLE,
                       .has_position = true, .lat = north(metres_north), .lon = LON0,
                       .position_ms = NOW - MIN_MS};
}

static struct incident incident_of(const char *type) {
  return (struct incident){.id = 100, .type = type, .priority = 2, .status = INC_PENDING,
                           .county = "rasht", .has_location = true, .lat = LAT0, .lon = LON0};
}

static size_t recommend(const struct incident *inc, const struct unit *u, size_t n, struct dispatch_rec *out,
                        size_t max) {
  struct dispatch_config cfg = dispatch_config_default();
  return dispatch_recommend(inc, u, n, stations, NSTATIONS, NOW, &cfg, out, max);
}

static bool has(const struct dispatch_rec *r, enum dispatch_reason why) {
  return (r->reasons & (1u << why)) != 0;
}

static void defaults(void **state) {
  (void)state;
  struct dispatch_config c = dispatch_config_default();
  assert_true(c.road_factor == 1.3);
  assert_true(c.speed_kmh[UNIT_CAR] == 50 && c.speed_kmh[UNIT_MOTORCYCLE] == 40);
  assert_true(c.speed_kmh[UNIT_TRAFFIC] == 50 && c.speed_kmh[UNIT_SPECIAL] == 45);
  assert_int_equal(c.stale_after_ms, 30 * MIN_MS);
  for (int g = 0; g < IGROUP__COUNT; g++) assert_int_equal(c.fit[UNIT_CAR][g], DISPATCH_SUITABLE);
  assert_int_equal(c.fit[UNIT_MOTORCYCLE][IGROUP_VIOLENCE], DISPATCH_UNSUITABLE);
  assert_int_equal(c.fit[UNIT_TRAFFIC][IGROUP_TRAFFIC], DISPATCH_PREFERRED);
  assert_int_equal(c.fit[UNIT_TRAFFIC][IGROUP_PROPERTY], DISPATCH_UNSUITABLE);
  assert_int_equal(c.fit[UNIT_SPECIAL][IGROUP_VIOLENCE], DISPATCH_PREFERRED);
}

static void ranking_by_eta(void **state) {
  (void)state;
  struct incident inc = incident_of("burglary");
  struct unit u[] = {
      unit_at(1, UNIT_CAR, 3000, "rasht-k12"),
      unit_at(2, UNIT_CAR, 1000, "rasht-k12"),
      unit_at(3, UNIT_CAR, 2000, "rasht-k12"),
      unit_at(4, UNIT_MOTORCYCLE, 900, "rasht-k12"), /* closer, but slower */
  };
  struct dispatch_rec r[8];
  size_t n = recommend(&inc, u, 4, r, 8);
  assert_int_equal(n, 4);
  /* 1000 m × 1.3 at 50 km/h = 93.6 s → 94; 900 m × 1.3 at 40 km/h = 105.3 s → 106 */
  assert_int_equal(r[0].unit_id, 2);
  assert_int_equal(r[0].eta_s, 94);
  assert_true(r[0].straight_m > 999.9 && r[0].straight_m < 1000.1);
  assert_true(r[0].road_m > 1299.9 && r[0].road_m < 1300.1);
  assert_int_equal(r[1].unit_id, 4);
  assert_int_equal(r[1].eta_s, 106);
  assert_int_equal(r[2].unit_id, 3);
  assert_int_equal(r[3].unit_id, 1);
  assert_ptr_equal(r[0].unit, &u[1]);
  assert_string_equal(r[0].position_source, "reported");
  assert_false(r[0].stale);
  /* "nearest" is by road distance: the motorcycle */
  assert_true(has(&r[1], DISPATCH_NEAREST));
  assert_false(has(&r[0], DISPATCH_NEAREST));
  for (size_t i = 0; i < n; i++) {
    assert_true(has(&r[i], DISPATCH_SAME_COUNTY));
    assert_false(has(&r[i], DISPATCH_STALE_POSITION));
    assert_false(has(&r[i], DISPATCH_TYPE_PREFERRED));
  }
  const char *names[DISPATCH_REASON__COUNT];
  assert_int_equal(dispatch_reason_names(&r[1], names), 2);
  assert_string_equal(names[0], "nearest");
  assert_string_equal(names[1], "same_county");
  assert_string_equal(dispatch_reason_name(DISPATCH_STALE_POSITION), "stale_position");
  assert_null(dispatch_reason_name(DISPATCH_REASON__COUNT));
  /* max keeps the best */
  assert_int_equal(recommend(&inc, u, 4, r, 2), 2);
  assert_int_equal(r[0].unit_id, 2);
  assert_int_equal(r[1].unit_id, 4);
  assert_true(has(&r[1], DISPATCH_NEAREST));
  assert_int_equal(recommend(&inc, u, 4, r, 0), 0);
}

static void stale_positions(void **state) {
  (void)state;
  struct incident inc = incident_of("burglary");
  /* reported 500 m away; its station (rasht-k11) is 5 km away */
  struct unit u = unit_at(1, UNIT_CAR, 500, "rasht-k11");
  struct dispatch_rec r[2];
  u.position_ms = NOW - 29 * MIN_MS;
  assert_int_equal(recommend(&inc, &u, 1, r, 2), 1);
  assert_false(r[0].stale);
  assert_string_equal(r[0].position_source, "reported");
  assert_true(r[0].straight_m < 501);
  u.position_ms = NOW - 30 * MIN_MS; /* exactly 30 minutes: still fresh */
  assert_int_equal(recommend(&inc, &u, 1, r, 2), 1);
  assert_false(r[0].stale);
  u.position_ms = NOW - 31 * MIN_MS;
  assert_int_equal(recommend(&inc, &u, 1, r, 2), 1);
  assert_true(r[0].stale);
  assert_string_equal(r[0].position_source, "station");
  assert_true(has(&r[0], DISPATCH_STALE_POSITION));
  assert_true(r[0].straight_m > 4990 && r[0].straight_m < 5010);
  assert_true(r[0].lat == stations[0].lat && r[0].lon == stations[0].lon);
  /* never reported: the station as well */
  u.has_position = false;
  u.position_ms = 0;
  assert_int_equal(recommend(&inc, &u, 1, r, 2), 1);
  assert_string_equal(r[0].position_source, "station");

  /* the position the units list shows */
  struct dispatch_config cfg = dispatch_config_default();
  struct unit v = unit_at(2, UNIT_CAR, 500, "rasht-k11");
  double lat, lon;
  bool stale;
  const char *src;
  v.position_ms = NOW - 29 * MIN_MS;
  assert_int_equal(dispatch_unit_position(&v, &stations[0], NOW, &cfg, &lat, &lon, &stale, &src), 0);
  assert_false(stale);
  assert_true(lat == v.lat);
  v.position_ms = NOW - 31 * MIN_MS;
  assert_int_equal(dispatch_unit_position(&v, &stations[0], NOW, &cfg, &lat, &lon, &stale, &src), 0);
  assert_true(stale);
  assert_string_equal(src, "station");
  assert_true(lat == stations[0].lat);
  /* no station known: the old report, still flagged stale */
  assert_int_equal(dispatch_unit_position(&v, NULL, NOW, &cfg, &lat, &lon, &stale, NULL), 0);
  assert_true(stale);
  assert_true(lat == v.lat);
  /* nothing at all: no position, and no recommendation */
  v.has_position = false;
  assert_int_equal(dispatch_unit_position(&v, NULL, NOW, &cfg, &lat, &lon, &stale, &src), -1);
  v.station = "nowhere";
  assert_int_equal(recommend(&inc, &v, 1, r, 2), 0);
}

static void only_available(void **state) {
  (void)state;
  struct incident inc = incident_of("burglary");
  struct unit u[UNIT_STATUS__COUNT];
  for (int s = 0; s < UNIT_STATUS__COUNT; s++) {
    u[s] = unit_at(s + 1, UNIT_CAR, 100.0 * (s + 1), "rasht-k12");
    u[s].status = (enum unit_status)s;
  }
  struct dispatch_rec r[8];
  assert_int_equal(recommend(&inc, u, UNIT_STATUS__COUNT, r, 8), 1);
  assert_int_equal(r[0].unit_id, UNIT_AVAILABLE + 1);
}

static void suitability(void **state) {
  (void)state;
  struct unit u[] = {
      unit_at(1, UNIT_CAR, 1000, "rasht-k12"),
      unit_at(2, UNIT_MOTORCYCLE, 500, "rasht-k12"),
      unit_at(3, UNIT_TRAFFIC, 500, "rasht-k12"),
      unit_at(4, UNIT_SPECIAL, 3000, "rasht-k12"),
  };
  struct dispatch_rec r[8];
  /* an assault: no motorcycle (people to carry), no traffic police; special preferred */
  struct incident inc = incident_of("assault");
  size_t n = recommend(&inc, u, 4, r, 8);
  assert_int_equal(n, 2);
  /* special: 3000 × 1.3 at 45 km/h = 312 s, less the 120 s bonus = 192 > car's 94 */
  assert_int_equal(r[0].unit_id, 1);
  assert_int_equal(r[1].unit_id, 4);
  assert_int_equal(r[1].eta_s, 312);
  assert_true(has(&r[1], DISPATCH_TYPE_PREFERRED));
  assert_false(has(&r[0], DISPATCH_TYPE_PREFERRED));

  /* a crash: traffic preferred; special not sent */
  inc = incident_of("crash_injury");
  u[1].lat = north(1500); /* motorcycle: 1950 m at 40 km/h = 176 s */
  u[2].lat = north(2000); /* traffic: 188 s, less 120 = 68 < car's 94: traffic first */
  n = recommend(&inc, u, 4, r, 8);
  assert_int_equal(n, 3);
  assert_int_equal(r[0].unit_id, 3);
  assert_int_equal(r[0].eta_s, 188);
  assert_true(has(&r[0], DISPATCH_TYPE_PREFERRED));
  assert_int_equal(r[1].unit_id, 1);
  assert_int_equal(r[2].unit_id, 2);
  assert_int_equal(r[2].eta_s, 176);
  u[2].lat = north(3000); /* 281 s, less 120 = 161 > 94: the car first */
  n = recommend(&inc, u, 4, r, 8);
  assert_int_equal(r[0].unit_id, 1);
  assert_int_equal(r[0].eta_s, 94);
  assert_int_equal(r[1].unit_id, 3);
  assert_int_equal(r[1].eta_s, 281);
  assert_int_equal(r[2].unit_id, 2); /* 176 s, not preferred: after 161 */

  /* a burglary: no traffic police */
  inc = incident_of("burglary");
  n = recommend(&inc, u, 4, r, 8);
  assert_int_equal(n, 3);
  for (size_t i = 0; i < n; i++) assert_int_not_equal(r[i].unit_id, 3);

  /* an unknown type: every unit may go */
  inc = incident_of("not_a_type");
  assert_int_equal(recommend(&inc, u, 4, r, 8), 4);

  /* a configured speed of 0 takes a type out */
  struct dispatch_config cfg = dispatch_config_default();
  cfg.speed_kmh[UNIT_CAR] = 0;
  inc = incident_of("burglary");
  n = dispatch_recommend(&inc, u, 4, stations, NSTATIONS, NOW, &cfg, r, 8);
  assert_int_equal(n, 2);
  for (size_t i = 0; i < n; i++) assert_int_not_equal(r[i].unit_id, 1);
  /* and a configured table is honoured */
  cfg = dispatch_config_default();
  cfg.fit[UNIT_MOTORCYCLE][IGROUP_VIOLENCE] = DISPATCH_SUITABLE;
  inc = incident_of("assault");
  assert_int_equal(dispatch_recommend(&inc, u, 4, stations, NSTATIONS, NOW, &cfg, r, 8), 3);
}

static void ties(void **state) {
  (void)state;
  struct incident inc = incident_of("burglary");
  struct dispatch_rec r[8];
  /* same place, same type: lower id first, whatever the input order */
  struct unit a[] = {unit_at(9, UNIT_CAR, 1000, "rasht-k12"), unit_at(4, UNIT_CAR, 1000, "rasht-k12")};
  assert_int_equal(recommend(&inc, a, 2, r, 8), 2);
  assert_int_equal(r[0].unit_id, 4);
  assert_int_equal(r[1].unit_id, 9);
  assert_true(has(&r[0], DISPATCH_NEAREST) && has(&r[1], DISPATCH_NEAREST)); /* both tie */
  /* same time: a unit of the incident's county before one from another county */
  struct unit b[] = {unit_at(1, UNIT_CAR, 1000, "anzali-k1"), unit_at(2, UNIT_CAR, 1000, "rasht-k12")};
  assert_int_equal(recommend(&inc, b, 2, r, 8), 2);
  assert_int_equal(r[0].unit_id, 2);
  assert_true(has(&r[0], DISPATCH_SAME_COUNTY));
  assert_false(has(&r[1], DISPATCH_SAME_COUNTY));
  /* same time and county: a fresh position before a stale one (the station, here
   * rasht-k12 at the incident itself, vs a fresh report at the same spot) */
  struct unit c[] = {unit_at(1, UNIT_CAR, 0, "rasht-k12"), unit_at(2, UNIT_CAR, 0, "rasht-k12")};
  c[0].position_ms = NOW - 60 * MIN_MS;
  assert_int_equal(recommend(&inc, c, 2, r, 8), 2);
  assert_int_equal(r[0].unit_id, 2);
  assert_int_equal(r[0].eta_s, 0);
  assert_int_equal(r[1].unit_id, 1);
  assert_true(r[1].stale);
}

static void without_location(void **state) {
  (void)state;
  struct incident inc = incident_of("burglary");
  inc.has_location = false;
  struct unit u[] = {unit_at(5, UNIT_CAR, 9000, "anzali-k1"), unit_at(7, UNIT_CAR, 100, "rasht-k12"),
                     unit_at(6, UNIT_CAR, 200, "rasht-k12")};
  struct dispatch_rec r[8];
  assert_int_equal(recommend(&inc, u, 3, r, 8), 3);
  assert_int_equal(r[0].unit_id, 6); /* same county, by id */
  assert_int_equal(r[1].unit_id, 7);
  assert_int_equal(r[2].unit_id, 5);
  for (size_t i = 0; i < 3; i++) {
    assert_int_equal(r[i].eta_s, -1);
    assert_true(r[i].straight_m < 0 && r[i].road_m < 0);
    assert_false(has(&r[i], DISPATCH_NEAREST));
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(defaults),        cmocka_unit_test(ranking_by_eta),
      cmocka_unit_test(stale_positions), cmocka_unit_test(only_available),
      cmocka_unit_test(suitability),     cmocka_unit_test(ties),
      cmocka_unit_test(without_location),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
