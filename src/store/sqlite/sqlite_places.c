/* sqlite_places.c — the reference places of the 110 centre: the counties, stations and
 * entry_points tables. `hamyar init` loads them from data/ by upsert, so loading the
 * files again updates the rows in place and keeps their ids (which other rows and
 * saved links may hold). Lists are ordered by code, so they read the same every time. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

static enum store_rc read_id(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  *(int64_t *)out = sqlite3_column_int64(st, 0);
  return STORE_OK;
}

/* ---- counties ------------------------------------------------------------------ */

static enum store_rc read_county(sqlite3_stmt *st, struct arena *a, void *out) {
  struct county *c = out;
  memset(c, 0, sizeof *c);
  c->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &c->code) != 0 || sq_col_str(st, 2, a, &c->name_fa) != 0 ||
      sq_col_str(st, 3, a, &c->name_en) != 0 || sq_col_str(st, 6, a, &c->border) != 0)
    return sq_oom("reading a county");
  c->seat_lat = sqlite3_column_double(st, 4);
  c->seat_lon = sqlite3_column_double(st, 5);
  return STORE_OK;
}

enum store_rc sq_county_upsert(struct store_tx *tx, struct county *c) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_COUNTY_UPSERT,
                             "INSERT INTO counties (code, name_fa, name_en, seat_lat, seat_lon, "
                             "border) VALUES (?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET name_fa = excluded.name_fa, "
                             "name_en = excluded.name_en, seat_lat = excluded.seat_lat, "
                             "seat_lon = excluded.seat_lon, border = excluded.border "
                             "RETURNING id");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, c->code) != SQLITE_OK || sq_bind_text(st, 2, c->name_fa) != SQLITE_OK ||
      sq_bind_text(st, 3, c->name_en) != SQLITE_OK ||
      sqlite3_bind_double(st, 4, c->seat_lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 5, c->seat_lon) != SQLITE_OK ||
      sq_bind_text(st, 6, c->border) != SQLITE_OK)
    return sq_bind_failed(k, st, "county_upsert");
  return sq_fetch_one(k, st, "county_upsert", read_id, NULL, &c->id);
}

enum store_rc sq_county_list(struct store_tx *tx, struct arena *a, struct county **out, size_t *n) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_COUNTY_LIST,
                             "SELECT id, code, name_fa, name_en, seat_lat, seat_lon, border "
                             "FROM counties ORDER BY code");
  if (!st) return STORE_HARD;
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(k, st, "county_list", read_county, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

/* ---- stations ------------------------------------------------------------------ */

static enum store_rc read_station(sqlite3_stmt *st, struct arena *a, void *out) {
  struct station *s = out;
  memset(s, 0, sizeof *s);
  s->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &s->code) != 0 || sq_col_str0(st, 2, a, &s->county) != 0 ||
      sq_col_str(st, 3, a, &s->kind) != 0 || sq_col_str(st, 4, a, &s->name_fa) != 0 ||
      sq_col_str(st, 5, a, &s->name_en) != 0)
    return sq_oom("reading a station");
  s->lat = sqlite3_column_double(st, 6);
  s->lon = sqlite3_column_double(st, 7);
  return STORE_OK;
}

/* NOT_FOUND when the station's county is not stored (a foreign key). */
enum store_rc sq_station_upsert(struct store_tx *tx, struct station *s) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_STATION_UPSERT,
                             "INSERT INTO stations (code, county, kind, name_fa, name_en, lat, "
                             "lon) VALUES (?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET county = excluded.county, "
                             "kind = excluded.kind, name_fa = excluded.name_fa, "
                             "name_en = excluded.name_en, lat = excluded.lat, lon = excluded.lon "
                             "RETURNING id");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, s->code) != SQLITE_OK || sq_bind_text(st, 2, s->county) != SQLITE_OK ||
      sq_bind_text(st, 3, s->kind) != SQLITE_OK || sq_bind_text(st, 4, s->name_fa) != SQLITE_OK ||
      sq_bind_text(st, 5, s->name_en) != SQLITE_OK ||
      sqlite3_bind_double(st, 6, s->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 7, s->lon) != SQLITE_OK)
    return sq_bind_failed(k, st, "station_upsert");
  return sq_fetch_one(k, st, "station_upsert", read_id, NULL, &s->id);
}

enum store_rc sq_station_list(struct store_tx *tx, struct arena *a, struct station **out,
                              size_t *n) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_STATION_LIST,
                             "SELECT id, code, county, kind, name_fa, name_en, lat, lon "
                             "FROM stations ORDER BY code");
  if (!st) return STORE_HARD;
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(k, st, "station_list", read_station, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

/* ---- entry points -------------------------------------------------------------- */

static enum store_rc read_entry_point(sqlite3_stmt *st, struct arena *a, void *out) {
  struct entry_point *e = out;
  memset(e, 0, sizeof *e);
  e->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &e->code) != 0 || sq_col_str(st, 2, a, &e->name_fa) != 0 ||
      sq_col_str(st, 3, a, &e->name_en) != 0 || sq_col_str(st, 4, a, &e->road) != 0 ||
      sq_col_str(st, 5, a, &e->neighbour) != 0)
    return sq_oom("reading an entry point");
  e->lat = sqlite3_column_double(st, 6);
  e->lon = sqlite3_column_double(st, 7);
  return STORE_OK;
}

enum store_rc sq_entry_point_upsert(struct store_tx *tx, struct entry_point *e) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_ENTRY_POINT_UPSERT,
                             "INSERT INTO entry_points (code, name_fa, name_en, road, neighbour, "
                             "lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?) "
                             "ON CONFLICT (code) DO UPDATE SET name_fa = excluded.name_fa, "
                             "name_en = excluded.name_en, road = excluded.road, "
                             "neighbour = excluded.neighbour, lat = excluded.lat, "
                             "lon = excluded.lon RETURNING id");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, e->code) != SQLITE_OK || sq_bind_text(st, 2, e->name_fa) != SQLITE_OK ||
      sq_bind_text(st, 3, e->name_en) != SQLITE_OK || sq_bind_text(st, 4, e->road) != SQLITE_OK ||
      sq_bind_text(st, 5, e->neighbour) != SQLITE_OK ||
      sqlite3_bind_double(st, 6, e->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 7, e->lon) != SQLITE_OK)
    return sq_bind_failed(k, st, "entry_point_upsert");
  return sq_fetch_one(k, st, "entry_point_upsert", read_id, NULL, &e->id);
}

enum store_rc sq_entry_point_list(struct store_tx *tx, struct arena *a, struct entry_point **out,
                                  size_t *n) {
  struct sq_conn *k = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(k, SQ_ENTRY_POINT_LIST,
                             "SELECT id, code, name_fa, name_en, road, neighbour, lat, lon "
                             "FROM entry_points ORDER BY code");
  if (!st) return STORE_HARD;
  void *arr = NULL;
  enum store_rc rc =
      sq_fetch_all(k, st, "entry_point_list", read_entry_point, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}
