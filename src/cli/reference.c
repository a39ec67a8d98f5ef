/* reference.c — loading Gilan's reference data (the JSON files of data/gilan, described in
 * data/README.md) into the store: counties with their borders, police stations, road
 * entry points and patrol units. See cli.h.
 *
 * All four files are read and checked before anything is written, so a broken file
 * changes nothing and the message names the file, the record and the problem. The
 * rows are then written in one transaction by upsert on their codes: loading again
 * updates reference fields in place and keeps a unit's live status and position (the
 * store's unit_upsert guarantees that). Only records that differ from what is stored
 * are written, and an audit row is appended only when something changed, so running
 * `hamyar init` again on the same files changes nothing at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

/* The longest Persian name a file may hold (normalised). */
#define TEXT_MAX 1024

struct ref {
  const char *dir;
  struct arena *arena;
  char *error;        /* the first problem found, in the arena; NULL when none */
  const char *file;   /* the file being read, for messages */
  json_t *docs[4];    /* the parsed files; their strings are borrowed until the end */
  struct county *counties;
  size_t ncounties;
  struct station *stations;
  size_t nstations;
  struct entry_point *entries;
  size_t nentries;
  struct unit *units;
  size_t nunits;
  int64_t now_ms;
  struct cli_reference_counts *counts;
};

__attribute__((format(printf, 2, 3))) static int problem(struct ref *r, const char *fmt, ...) {
  if (r->error) return -1;
  va_list ap;
  va_start(ap, fmt);
  char *what = arena_vprintf(r->arena, fmt, ap);
  va_end(ap);
  r->error = arena_printf(r->arena, "%s/%s: %s", r->dir, r->file, what ? what : "out of memory");
  return -1;
}

/* ---- reading fields ------------------------------------------------------------ */

static const char *text_field(struct ref *r, json_t *obj, const char *key, const char *what, bool required,
                              bool normalise) {
  json_t *v = json_object_get(obj, key);
  if (!v || json_is_null(v)) {
    if (required) problem(r, "%s has no \"%s\"", what, key);
    return NULL;
  }
  if (!json_is_string(v) || json_string_length(v) == 0) {
    problem(r, "%s: \"%s\" must be a non-empty string", what, key);
    return NULL;
  }
  if (!normalise) return json_string_value(v);
  /* Persian names are stored normalised, as everything a person typed is. */
  char *out = arena_alloc(r->arena, TEXT_MAX);
  if (!out || loc_normalize(json_string_value(v), json_string_length(v), out, TEXT_MAX) < 0) {
    problem(r, "%s: \"%s\" is not valid UTF-8 text of at most %d bytes", what, key, TEXT_MAX / 3);
    return NULL;
  }
  return out;
}

static int point_field(struct ref *r, json_t *obj, const char *key, const char *what, double *lat, double *lon) {
  json_t *p = json_object_get(obj, key);
  json_t *la = json_object_get(p, "lat"), *lo = json_object_get(p, "lon");
  if (!json_is_number(la) || !json_is_number(lo))
    return problem(r, "%s: \"%s\" must be {\"lat\": number, \"lon\": number}", what, key);
  *lat = json_number_value(la);
  *lon = json_number_value(lo);
  if (!geo_valid(*lat, *lon)) return problem(r, "%s: \"%s\" is not a valid WGS84 position", what, key);
  return 0;
}

/* The array `key` of the file's top object, allocated as n records of `size`. */
static json_t *records(struct ref *r, json_t *doc, const char *key, size_t size, void **out, size_t *n) {
  json_t *arr = json_object_get(doc, key);
  if (!json_is_array(arr) || json_array_size(arr) == 0) {
    problem(r, "the file must have a non-empty array \"%s\"", key);
    return NULL;
  }
  *n = json_array_size(arr);
  *out = arena_alloc(r->arena, *n * size);
  if (!*out) {
    problem(r, "out of memory");
    return NULL;
  }
  return arr;
}

static bool code_seen(const char *code, const void *base, size_t size, size_t n, size_t code_offset) {
  for (size_t i = 0; i < n; i++) {
    const char *other = *(const char *const *)((const char *)base + i * size + code_offset);
    if (strcmp(other, code) == 0) return true;
  }
  return false;
}

#define DUPLICATE(arr, i, type) code_seen((arr)[i].code, (arr), sizeof(type), (i), offsetof(type, code))

/* ---- the four files ----------------------------------------------------------------- */

static int read_counties(struct ref *r, json_t *doc) {
  json_t *arr = records(r, doc, "features", sizeof *r->counties, (void **)&r->counties, &r->ncounties);
  if (!arr) return -1;
  for (size_t i = 0; i < r->ncounties; i++) {
    json_t *f = json_array_get(arr, i), *props = json_object_get(f, "properties");
    const char *what = arena_printf(r->arena, "feature %zu", i + 1);
    if (!json_is_object(props)) return problem(r, "%s has no \"properties\" object", what);
    struct county *c = &r->counties[i];
    if (!(c->code = text_field(r, props, "code", what, true, false))) return -1;
    what = arena_printf(r->arena, "county %s", c->code);
    if (DUPLICATE(r->counties, i, struct county)) return problem(r, "%s appears twice", what);
    if (!(c->name_fa = text_field(r, props, "name_fa", what, true, true))) return -1;
    if (!(c->name_en = text_field(r, props, "name_en", what, true, false))) return -1;
    if (point_field(r, props, "seat", what, &c->seat_lat, &c->seat_lon) != 0) return -1;
    json_t *geometry = json_object_get(f, "geometry");
    json_t *coords = json_object_get(geometry, "coordinates");
    if (!json_is_array(coords) || json_array_size(coords) == 0)
      return problem(r, "%s: \"geometry\" must be a GeoJSON Polygon with coordinates", what);
    /* Stored as the ring itself when there is one (what the records document). */
    json_t *border = json_array_size(coords) == 1 ? json_array_get(coords, 0) : coords;
    char *text = json_dumps(border, JSON_COMPACT);
    c->border = text ? arena_strdup(r->arena, text) : NULL;
    free(text);
    if (!c->border) return problem(r, "out of memory");
  }
  /* The same parser the server uses must accept every border. */
  char err[256] = "";
  struct geo_counties *g = geo_counties_build(r->counties, r->ncounties, err, sizeof err);
  if (!g) return problem(r, "a border does not parse: %s", err[0] ? err : "out of memory");
  geo_free(g);
  return 0;
}

static bool county_known(const struct ref *r, const char *code) {
  for (size_t i = 0; i < r->ncounties; i++)
    if (strcmp(r->counties[i].code, code) == 0) return true;
  return false;
}

static int read_stations(struct ref *r, json_t *doc) {
  json_t *arr = records(r, doc, "stations", sizeof *r->stations, (void **)&r->stations, &r->nstations);
  if (!arr) return -1;
  for (size_t i = 0; i < r->nstations; i++) {
    json_t *o = json_array_get(arr, i);
    struct station *s = &r->stations[i];
    const char *what = arena_printf(r->arena, "station %zu", i + 1);
    if (!(s->code = text_field(r, o, "code", what, true, false))) return -1;
    what = arena_printf(r->arena, "station %s", s->code);
    if (DUPLICATE(r->stations, i, struct station)) return problem(r, "%s appears twice", what);
    if (!(s->county = text_field(r, o, "county", what, true, false))) return -1;
    if (!county_known(r, s->county))
      return problem(r, "%s: county \"%s\" is not in counties.json", what, s->county);
    if (!(s->kind = text_field(r, o, "kind", what, true, false))) return -1;
    if (strcmp(s->kind, "kalantari") != 0 && strcmp(s->kind, "pasgah") != 0)
      return problem(r, "%s: \"kind\" must be \"kalantari\" or \"pasgah\", not \"%s\"", what, s->kind);
    if (!(s->name_fa = text_field(r, o, "name_fa", what, true, true))) return -1;
    if (!(s->name_en = text_field(r, o, "name_en", what, true, false))) return -1;
    if (point_field(r, o, "location", what, &s->lat, &s->lon) != 0) return -1;
  }
  return 0;
}

static int read_entries(struct ref *r, json_t *doc) {
  json_t *arr = records(r, doc, "entry_points", sizeof *r->entries, (void **)&r->entries, &r->nentries);
  if (!arr) return -1;
  for (size_t i = 0; i < r->nentries; i++) {
    json_t *o = json_array_get(arr, i);
    struct entry_point *e = &r->entries[i];
    const char *what = arena_printf(r->arena, "entry point %zu", i + 1);
    if (!(e->code = text_field(r, o, "code", what, true, false))) return -1;
    what = arena_printf(r->arena, "entry point %s", e->code);
    if (DUPLICATE(r->entries, i, struct entry_point)) return problem(r, "%s appears twice", what);
    if (!(e->name_fa = text_field(r, o, "name_fa", what, true, true))) return -1;
    if (!(e->name_en = text_field(r, o, "name_en", what, true, false))) return -1;
    /* People read the road and the neighbour in Persian; the English is the fallback. */
    e->road = text_field(r, o, "road_fa", what, false, true);
    if (!e->road && !(e->road = text_field(r, o, "road", what, true, false))) return -1;
    e->neighbour = text_field(r, o, "neighbour_fa", what, false, true);
    if (!e->neighbour && !(e->neighbour = text_field(r, o, "neighbour", what, true, false))) return -1;
    if (r->error) return -1;
    if (point_field(r, o, "location", what, &e->lat, &e->lon) != 0) return -1;
  }
  return 0;
}

static bool station_known(const struct ref *r, const char *code) {
  for (size_t i = 0; i < r->nstations; i++)
    if (strcmp(r->stations[i].code, code) == 0) return true;
  return false;
}

static int read_units(struct ref *r, json_t *doc) {
  json_t *arr = records(r, doc, "units", sizeof *r->units, (void **)&r->units, &r->nunits);
  if (!arr) return -1;
  for (size_t i = 0; i < r->nunits; i++) {
    json_t *o = json_array_get(arr, i);
    struct unit *u = &r->units[i];
    const char *what = arena_printf(r->arena, "unit %zu", i + 1);
    if (!(u->code = text_field(r, o, "code", what, true, false))) return -1;
    what = arena_printf(r->arena, "unit %s", u->code);
    if (DUPLICATE(r->units, i, struct unit)) return problem(r, "%s appears twice", what);
    if (!(u->station = text_field(r, o, "station", what, true, false))) return -1;
    if (!station_known(r, u->station))
      return problem(r, "%s: station \"%s\" is not in stations.json", what, u->station);
    const char *type = text_field(r, o, "type", what, true, false);
    if (!type) return -1;
    if (unit_type_parse(type, &u->type) != 0)
      return problem(r, "%s: \"type\" must be car, motorcycle, traffic or special, not \"%s\"", what, type);
    if (!(u->call_sign_fa = text_field(r, o, "call_sign", what, true, true))) return -1;
    json_t *seats = json_object_get(o, "seats");
    if (!json_is_integer(seats) || json_integer_value(seats) < 1 || json_integer_value(seats) > 20)
      return problem(r, "%s: \"seats\" must be a whole number from 1 to 20", what);
    u->seats = (int)json_integer_value(seats);
    u->status = UNIT_AVAILABLE; /* for a new unit; an existing one keeps its own */
    u->status_ms = r->now_ms;
  }
  return 0;
}

static const struct {
  const char *file;
  int (*read)(struct ref *r, json_t *doc);
} files[] = {
    {"counties.json", read_counties},
    {"stations.json", read_stations},
    {"entry_points.json", read_entries},
    {"units.json", read_units},
};

static int read_all(struct ref *r) {
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    r->file = files[i].file;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", r->dir, files[i].file) >= sizeof path)
      return problem(r, "the path is too long");
    json_error_t jerr;
    r->docs[i] = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->docs[i]) {
      FILE *f = fopen(path, "r");
      if (!f) return problem(r, "cannot read it: %s (give the data directory with --data DIR or HAMYAR_DATA)", strerror(errno));
      fclose(f);
      return problem(r, "not valid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
    }
    if (!json_is_object(r->docs[i])) return problem(r, "the file must hold one JSON object");
    if (files[i].read(r, r->docs[i]) != 0) return -1;
  }
  return 0;
}

/* ---- writing ------------------------------------------------------------------------ */

static bool same_text(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static enum store_rc load_tx(void *cls, struct store_tx *tx) {
  struct ref *r = cls;
  struct store_emergency *em = &store_of(tx)->em;
  struct cli_reference_counts *c = r->counts;
  c->changed = 0; /* the callback may run again after a soft failure */
  struct county *oc;
  struct station *os;
  struct entry_point *oe;
  struct unit *ou;
  size_t noc, nos, noe, nou;
  enum store_rc rc = em->county_list(tx, r->arena, &oc, &noc);
  if (rc == STORE_OK) rc = em->station_list(tx, r->arena, &os, &nos);
  if (rc == STORE_OK) rc = em->entry_point_list(tx, r->arena, &oe, &noe);
  if (rc == STORE_OK) rc = em->unit_list(tx, NULL, r->arena, &ou, &nou);

  /* Counties before stations before units: each refers to the one before. */
  for (size_t i = 0; rc == STORE_OK && i < r->ncounties; i++) {
    const struct county *n = &r->counties[i], *o = NULL;
    for (size_t k = 0; k < noc && !o; k++)
      if (strcmp(oc[k].code, n->code) == 0) o = &oc[k];
    if (o && same_text(o->name_fa, n->name_fa) && same_text(o->name_en, n->name_en) &&
        o->seat_lat == n->seat_lat && o->seat_lon == n->seat_lon && same_text(o->border, n->border))
      continue;
    struct county w = *n;
    rc = em->county_upsert(tx, &w);
    c->changed++;
  }
  for (size_t i = 0; rc == STORE_OK && i < r->nstations; i++) {
    const struct station *n = &r->stations[i], *o = NULL;
    for (size_t k = 0; k < nos && !o; k++)
      if (strcmp(os[k].code, n->code) == 0) o = &os[k];
    if (o && same_text(o->county, n->county) && same_text(o->kind, n->kind) && same_text(o->name_fa, n->name_fa) &&
        same_text(o->name_en, n->name_en) && o->lat == n->lat && o->lon == n->lon)
      continue;
    struct station w = *n;
    rc = em->station_upsert(tx, &w);
    c->changed++;
  }
  for (size_t i = 0; rc == STORE_OK && i < r->nentries; i++) {
    const struct entry_point *n = &r->entries[i], *o = NULL;
    for (size_t k = 0; k < noe && !o; k++)
      if (strcmp(oe[k].code, n->code) == 0) o = &oe[k];
    if (o && same_text(o->name_fa, n->name_fa) && same_text(o->name_en, n->name_en) && same_text(o->road, n->road) &&
        same_text(o->neighbour, n->neighbour) && o->lat == n->lat && o->lon == n->lon)
      continue;
    struct entry_point w = *n;
    rc = em->entry_point_upsert(tx, &w);
    c->changed++;
  }
  for (size_t i = 0; rc == STORE_OK && i < r->nunits; i++) {
    const struct unit *n = &r->units[i], *o = NULL;
    for (size_t k = 0; k < nou && !o; k++)
      if (strcmp(ou[k].code, n->code) == 0) o = &ou[k];
    if (o && same_text(o->call_sign_fa, n->call_sign_fa) && same_text(o->station, n->station) && o->type == n->type &&
        o->seats == n->seats)
      continue;
    struct unit w = *n;
    rc = em->unit_upsert(tx, &w);
    c->changed++;
  }
  if (rc != STORE_OK || c->changed == 0) return rc;
  json_t *detail = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "dir", r->dir, "counties", (json_int_t)r->ncounties,
                             "stations", (json_int_t)r->nstations, "entry_points", (json_int_t)r->nentries,
                             "units", (json_int_t)r->nunits, "changed", (json_int_t)c->changed);
  rc = cli_audit(tx, "reference.load", "", detail);
  json_decref(detail);
  return rc;
}

int cli_reference_load(struct store *s, const char *dir, struct cli_reference_counts *out) {
  memset(out, 0, sizeof *out);
  struct arena *a = arena_new(0);
  if (!a) return cli_fail("out of memory");
  struct ref r = {.dir = dir, .arena = a, .now_ms = clock_now_ms(), .counts = out};
  int rc = CLI_FAILED;
  if (read_all(&r) != 0) {
    cli_fail("%s", r.error ? r.error : "out of memory");
    goto done;
  }
  out->counties = r.ncounties;
  out->stations = r.nstations;
  out->entry_points = r.nentries;
  out->units = r.nunits;
  if (store_write(s, load_tx, &r) != STORE_OK) {
    cli_fail("loading the reference data of %s into the database failed (see the log above)", dir);
    goto done;
  }
  rc = CLI_OK;
done:
  for (size_t i = 0; i < sizeof r.docs / sizeof r.docs[0]; i++) json_decref(r.docs[i]);
  arena_free(a);
  return rc;
}
