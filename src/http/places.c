/* places.c — GET /api/v1/places: the places of the 110 centre for the console's map
 * (every person role): the counties with their seats and borders, the police
 * stations, and the road entry points of the province. Reference data, loaded by
 * `hamyar init` from data/ (cli/reference.c); reading it is not audited.
 *
 * A county's border is stored as GeoJSON coordinates (a ring, or a polygon's rings);
 * it is served as a GeoJSON geometry object, so the map draws it as it comes.
 */
#include "http/emergency.h"
#include "http/routes.h"

static json_t *point(double lat, double lon) { return json_pack("{s:f,s:f}", "lat", lat, "lon", lon); }

/* The stored border text as a GeoJSON geometry; null when there is none. */
static json_t *border_geometry(const char *text) {
  json_t *v = text ? json_loads(text, 0, NULL) : NULL;
  if (json_is_object(v)) return v; /* already a geometry */
  json_t *first = json_array_get(v, 0);
  if (!json_is_array(first)) {
    json_decref(v);
    return json_null();
  }
  /* A ring's first element is a position [lon, lat]; a polygon's is a ring. */
  bool ring = json_is_number(json_array_get(first, 0));
  return json_pack("{s:s,s:o}", "type", "Polygon", "coordinates", ring ? json_pack("[o]", v) : v);
}

static json_t *text(const char *s) { return s ? json_string(s) : json_null(); }

static enum store_rc places_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct store_emergency *em = &store_of(tx)->em;
  struct county *c;
  struct station *s;
  struct entry_point *e;
  size_t nc, ns, ne;
  enum store_rc rc = em->county_list(tx, req->arena, &c, &nc);
  if (rc == STORE_OK) rc = em->station_list(tx, req->arena, &s, &ns);
  if (rc == STORE_OK) rc = em->entry_point_list(tx, req->arena, &e, &ne);
  if (rc != STORE_OK) return rc;
  json_t *counties = json_array(), *stations = json_array(), *entries = json_array();
  for (size_t i = 0; i < nc; i++)
    json_array_append_new(counties, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)c[i].id, "code", c[i].code,
                                              "name_fa", text(c[i].name_fa), "name_en", text(c[i].name_en), "seat",
                                              point(c[i].seat_lat, c[i].seat_lon), "border",
                                              border_geometry(c[i].border)));
  for (size_t i = 0; i < ns; i++)
    json_array_append_new(stations, json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:o}", "id", (json_int_t)s[i].id, "code",
                                              s[i].code, "county", s[i].county, "kind", text(s[i].kind), "name_fa",
                                              text(s[i].name_fa), "name_en", text(s[i].name_en), "location",
                                              point(s[i].lat, s[i].lon)));
  for (size_t i = 0; i < ne; i++)
    json_array_append_new(entries, json_pack("{s:I,s:s,s:o,s:o,s:o,s:o,s:o}", "id", (json_int_t)e[i].id, "code",
                                             e[i].code, "name_fa", text(e[i].name_fa), "name_en", text(e[i].name_en),
                                             "road", text(e[i].road), "neighbour", text(e[i].neighbour), "location",
                                             point(e[i].lat, e[i].lon)));
  http_set_result(req, 200,
                  json_pack("{s:o,s:o,s:o}", "counties", counties, "stations", stations, "entry_points", entries));
  return STORE_OK;
}

http_status_t places_get(struct http_req *req) { return http_read(req, places_tx); }
