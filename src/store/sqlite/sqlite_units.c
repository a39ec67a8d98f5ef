/* sqlite_units.c — the units and unit_positions tables: patrol units with their
 * current status and last position, and the history of position reports.
 *
 * A unit has two kinds of fields. Reference fields (call sign, station, type, seats)
 * come from data/ and change by unit_upsert; live fields (status, incident, position)
 * change by unit_update as the unit works. Loading the reference data again must not
 * put a unit on the road back to "available" at its station, so unit_upsert touches
 * the live fields only when it creates the unit. */
#include <string.h>

#include "store/sqlite/sqlite_int.h"

#define UNIT_COLS                                                                           \
  "u.id, u.code, u.call_sign_fa, u.station, u.type, u.seats, u.status, u.status_ms, "     \
  "u.incident_id, u.has_position, u.lat, u.lon, u.position_ms"

static enum store_rc read_unit(sqlite3_stmt *st, struct arena *a, void *out) {
  struct unit *u = out;
  memset(u, 0, sizeof *u);
  u->id = sqlite3_column_int64(st, 0);
  if (sq_col_str0(st, 1, a, &u->code) != 0 || sq_col_str(st, 2, a, &u->call_sign_fa) != 0 ||
      sq_col_str0(st, 3, a, &u->station) != 0)
    return sq_oom("reading a unit");
  u->type = (enum unit_type)sqlite3_column_int(st, 4);
  u->seats = sqlite3_column_int(st, 5);
  u->status = (enum unit_status)sqlite3_column_int(st, 6);
  u->status_ms = sqlite3_column_int64(st, 7);
  u->incident_id = sqlite3_column_int64(st, 8);
  u->has_position = sqlite3_column_int(st, 9) != 0;
  u->lat = sqlite3_column_double(st, 10);
  u->lon = sqlite3_column_double(st, 11);
  u->position_ms = sqlite3_column_int64(st, 12);
  return STORE_OK;
}

/* What RETURNING gives back: the id, and the live fields as they are now stored (the
 * caller's own for a new unit, the kept ones for an existing unit). */
static enum store_rc read_upserted(sqlite3_stmt *st, struct arena *a, void *out) {
  (void)a;
  struct unit *u = out;
  u->id = sqlite3_column_int64(st, 0);
  u->status = (enum unit_status)sqlite3_column_int(st, 1);
  u->status_ms = sqlite3_column_int64(st, 2);
  u->incident_id = sqlite3_column_int64(st, 3);
  u->has_position = sqlite3_column_int(st, 4) != 0;
  u->lat = sqlite3_column_double(st, 5);
  u->lon = sqlite3_column_double(st, 6);
  u->position_ms = sqlite3_column_int64(st, 7);
  return STORE_OK;
}

enum store_rc sq_unit_upsert(struct store_tx *tx, struct unit *u) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st =
      sq_stmt(c, SQ_UNIT_UPSERT,
              "INSERT INTO units (code, call_sign_fa, station, type, seats, status, status_ms, "
              "incident_id, has_position, lat, lon, position_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
              "ON CONFLICT (code) DO UPDATE SET call_sign_fa = excluded.call_sign_fa, "
              "station = excluded.station, type = excluded.type, seats = excluded.seats "
              "RETURNING id, status, status_ms, incident_id, has_position, lat, lon, "
              "position_ms");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, u->code) != SQLITE_OK ||
      sq_bind_text(st, 2, u->call_sign_fa) != SQLITE_OK ||
      sq_bind_text(st, 3, u->station) != SQLITE_OK ||
      sqlite3_bind_int(st, 4, (int)u->type) != SQLITE_OK ||
      sqlite3_bind_int(st, 5, u->seats) != SQLITE_OK ||
      sqlite3_bind_int(st, 6, (int)u->status) != SQLITE_OK ||
      sqlite3_bind_int64(st, 7, u->status_ms) != SQLITE_OK ||
      sq_bind_id(st, 8, u->incident_id) != SQLITE_OK ||
      sqlite3_bind_int(st, 9, u->has_position) != SQLITE_OK ||
      sqlite3_bind_double(st, 10, u->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 11, u->lon) != SQLITE_OK ||
      sqlite3_bind_int64(st, 12, u->position_ms) != SQLITE_OK)
    return sq_bind_failed(c, st, "unit_upsert");
  return sq_fetch_one(c, st, "unit_upsert", read_upserted, NULL, u);
}

enum store_rc sq_unit_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct unit *out) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_UNIT_BY_ID, "SELECT " UNIT_COLS " FROM units u WHERE u.id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, id) != SQLITE_OK) return sq_bind_failed(c, st, "unit_by_id");
  return sq_fetch_one(c, st, "unit_by_id", read_unit, a, out);
}

/* A province has hundreds of units, not millions: one statement whose unset filters
 * match everything is simpler than one per combination and costs nothing here. */
enum store_rc sq_unit_list(struct store_tx *tx, const struct unit_filter *f, struct arena *a,
                           struct unit **out, size_t *n) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_UNIT_LIST,
                             "SELECT " UNIT_COLS " FROM units u "
                             "JOIN stations s ON s.code = u.station "
                             "WHERE (?1 IS NULL OR u.station = ?1) "
                             "AND (?2 IS NULL OR s.county = ?2) "
                             "AND (?3 < 0 OR u.status = ?3) "
                             "AND (?4 = 0 OR u.incident_id = ?4) ORDER BY u.code");
  if (!st) return STORE_HARD;
  if (sq_bind_text(st, 1, f ? f->station : NULL) != SQLITE_OK ||
      sq_bind_text(st, 2, f ? f->county : NULL) != SQLITE_OK ||
      sqlite3_bind_int(st, 3, f ? f->status : -1) != SQLITE_OK ||
      sqlite3_bind_int64(st, 4, f ? f->incident_id : 0) != SQLITE_OK)
    return sq_bind_failed(c, st, "unit_list");
  void *arr = NULL;
  enum store_rc rc = sq_fetch_all(c, st, "unit_list", read_unit, a, sizeof **out, &arr, n);
  *out = arr;
  return rc;
}

enum store_rc sq_unit_update(struct store_tx *tx, const struct unit *u) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_UNIT_UPDATE,
                             "UPDATE units SET status = ?, status_ms = ?, incident_id = ?, "
                             "has_position = ?, lat = ?, lon = ?, position_ms = ? WHERE id = ?");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int(st, 1, (int)u->status) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, u->status_ms) != SQLITE_OK ||
      sq_bind_id(st, 3, u->incident_id) != SQLITE_OK ||
      sqlite3_bind_int(st, 4, u->has_position) != SQLITE_OK ||
      sqlite3_bind_double(st, 5, u->lat) != SQLITE_OK ||
      sqlite3_bind_double(st, 6, u->lon) != SQLITE_OK ||
      sqlite3_bind_int64(st, 7, u->position_ms) != SQLITE_OK ||
      sqlite3_bind_int64(st, 8, u->id) != SQLITE_OK)
    return sq_bind_failed(c, st, "unit_update");
  return sq_run(c, st, true, "unit_update");
}

enum store_rc sq_unit_position_add(struct store_tx *tx, int64_t unit_id, double lat, double lon,
                                   int64_t time_ms) {
  struct sq_conn *c = sq_conn_of(tx);
  sqlite3_stmt *st = sq_stmt(c, SQ_UNIT_POSITION_ADD,
                             "INSERT INTO unit_positions (unit_id, time_ms, lat, lon) "
                             "VALUES (?, ?, ?, ?)");
  if (!st) return STORE_HARD;
  if (sqlite3_bind_int64(st, 1, unit_id) != SQLITE_OK ||
      sqlite3_bind_int64(st, 2, time_ms) != SQLITE_OK ||
      sqlite3_bind_double(st, 3, lat) != SQLITE_OK || sqlite3_bind_double(st, 4, lon) != SQLITE_OK)
    return sq_bind_failed(c, st, "unit_position_add");
  return sq_run(c, st, false, "unit_position_add"); /* an unknown unit: NOT_FOUND (foreign key) */
}
