/* demo.c — `hamyar init --demo`'s activity: a few days of the 110 centre, simulated so
 * that a newcomer sees a living centre and the call-handling figures have something
 * real to compute from. See cli.h (cli_demo_activity) and demo.h.
 *
 * The simulation walks the calls in time order. Calls come at Gilan's average rate
 * (1.7 million a year, DESIGN.md §1), spread over the hours of the day with the night
 * dip of an emergency line, from places near the province's stations (more in Rasht).
 * Each is answered after a few seconds (longer in the evening peak) or abandoned; a
 * call-taker types it in; a quarter need police (by weighted incident types), and of
 * those some repeat an incident already open nearby and are linked to it. An incident
 * gets the unit core's dispatch_recommend ranks first among the units free at that
 * moment, with dispatch delays by priority, travel times from the recommendation's
 * estimate, time on scene by kind of incident, and a disposition when it is closed.
 * Whatever would happen after now has not happened yet: incidents still open and
 * units still on them are the centre as it stands. Finally some free units are made
 * busy or out of service and most report a fresh position on patrol.
 *
 * Deterministic: the random numbers come from a fixed seed, so the same now gives the
 * same centre.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "core/dispatch.h"
#include "core/geo.h"
#include "core/incident.h"
#include "core/incident_type.h"
#include "core/repeat.h"
#include "locale/locale.h"
#include "util/arena.h"

#define SEC_MS 1000LL
#define MIN_MS (60 * SEC_MS)
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
#define CALLS_PER_DAY 4650 /* 1.7 million a year */
#define MAX_REPEATS 3      /* repeat calls linked to one incident */

/* ---- random numbers (splitmix64) ---------------------------------------------------- */

static uint64_t next(struct demo_sim *s) {
  uint64_t z = (s->rng += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

double demo_uniform(struct demo_sim *s) { return (double)(next(s) >> 11) * (1.0 / 9007199254740992.0); }
bool demo_chance(struct demo_sim *s, double p) { return demo_uniform(s) < p; }
int64_t demo_between(struct demo_sim *s, int64_t lo, int64_t hi) {
  return lo + (int64_t)(demo_uniform(s) * (double)(hi - lo + 1));
}
static double gauss(struct demo_sim *s) {
  double u = demo_uniform(s);
  return sqrt(-2.0 * log(u > 1e-12 ? u : 1e-12)) * cos(2.0 * M_PI * demo_uniform(s));
}

const char *demo_pick(struct demo_sim *s, const struct demo_weighted *t, size_t n) {
  double total = 0;
  for (size_t i = 0; i < n; i++) total += t[i].w;
  double r = demo_uniform(s) * total;
  for (size_t i = 0; i < n; i++) {
    if (r < t[i].w) return t[i].code;
    r -= t[i].w;
  }
  return t[n - 1].code;
}

/* ---- what calls are about ---------------------------------------------------------- */

/* Calls per hour of the day (Asia/Tehran), relative: the evening peak, the small hours. */
static const double hour_weight[24] = {2.9, 2.3, 1.8, 1.4, 1.2, 1.2, 1.6, 2.5, 3.4, 4.0, 4.4, 4.6,
                                       4.7, 4.6, 4.5, 4.7, 5.0, 5.4, 5.9, 6.2, 6.3, 6.0, 5.2, 4.0};

/* Most calls to an emergency line need no patrol: advice, other services, nuisance. */
static const struct demo_weighted outcomes[] = {
    {"operation", 25}, {"non_emergency", 17}, {"guidance", 34}, {"invalid", 24}};

static const struct demo_weighted operation_types[] = {
    {"fight", 14},        {"disturbance", 10},      {"family_dispute", 9},    {"theft", 8},
    {"crash_damage", 9},  {"burglary", 6},          {"crash_injury", 5},      {"harassment", 5},
    {"suspicious", 5},    {"traffic_obstruction", 4}, {"assault", 4},         {"reckless_driving", 3},
    {"threats", 3},       {"vehicle_theft", 3},     {"domestic_violence", 2}, {"street_robbery", 2},
    {"drug_use", 2},      {"vandalism", 2},         {"noise", 2},             {"missing_person", 1},
    {"drug_dealing", 1},  {"hit_and_run", 1},       {"fire", 1},              {"missing_child", 0.5},
    {"smuggling", 0.5},   {"stabbing", 0.4},        {"suicide_attempt", 0.4}, {"armed_robbery", 0.3},
    {"shooting", 0.2},    {"body_found", 0.2},      {"flood", 0.2},           {"drowning", 0.2},
    {"hazmat", 0.2},      {"child_abuse", 0.2},     {"kidnapping", 0.1},
};

static const struct demo_weighted non_emergency_types[] = {
    {"lost_property", 25}, {"citizen_assist", 25}, {"noise", 15}, {"fraud", 15}, {"cyber_fraud", 15}, {"information", 5}};

static const struct demo_weighted phone_prefixes[] = {
    {"0911", 40}, {"0912", 10}, {"0935", 12}, {"0901", 10}, {"0919", 8}, {"0939", 8}, {"0132", 12}};

static const char *const first_names[] = {"علی", "محمد", "رضا", "حسین", "مهدی", "زهرا", "فاطمه", "مریم",
                                          "سارا", "نرگس", "امیر", "حمید", "لیلا", "سمیه", "جواد", "پریسا"};
static const char *const last_names[] = {"رحیمی", "پوررضا", "نیکپور", "گیلانی", "صفری", "کاظمی", "قربانی",
                                         "یوسفی", "زمانی", "نوروزی", "عباسی", "مرادی", "شریفی", "طالبی"};

/* Disposition codes (incident.h) by incident group, weighted. */
static const struct demo_weighted dispo_violence[] = {
    {"arrest", 25}, {"report_taken", 25}, {"reconciled", 25}, {"warning", 10}, {"gone_on_arrival", 15}};
static const struct demo_weighted dispo_property[] = {
    {"report_taken", 60}, {"arrest", 8}, {"gone_on_arrival", 12}, {"unfounded", 10}, {"referred", 10}};
static const struct demo_weighted dispo_traffic[] = {
    {"report_taken", 50}, {"resolved_on_scene", 35}, {"referred", 15}};
static const struct demo_weighted dispo_other[] = {
    {"resolved_on_scene", 30}, {"warning", 25}, {"report_taken", 20}, {"unfounded", 10}, {"gone_on_arrival", 15}};
static const struct demo_weighted dispo_undispatched[] = {
    {"duplicate", 35}, {"unfounded", 25}, {"cancelled", 25}, {"no_action", 15}};

static const char *disposition_for(struct demo_sim *s, const char *type) {
  const struct incident_type *t = incident_type_find(type);
  switch (t ? t->group : IGROUP_NON_EMERGENCY) {
  case IGROUP_VIOLENCE:
  case IGROUP_DISORDER: return DEMO_PICK(s, dispo_violence);
  case IGROUP_PROPERTY:
  case IGROUP_CYBER_FRAUD: return DEMO_PICK(s, dispo_property);
  case IGROUP_TRAFFIC: return DEMO_PICK(s, dispo_traffic);
  default: return DEMO_PICK(s, dispo_other);
  }
}

/* Minutes on scene, by group: [min, max]. */
static void scene_minutes(const char *type, int64_t *lo, int64_t *hi) {
  const struct incident_type *t = incident_type_find(type);
  static const int64_t range[IGROUP__COUNT][2] = {
      [IGROUP_VIOLENCE] = {20, 50}, [IGROUP_PROPERTY] = {25, 70}, [IGROUP_TRAFFIC] = {20, 60},
      [IGROUP_DISORDER] = {10, 30}, [IGROUP_DRUGS] = {20, 60},    [IGROUP_PERSONS] = {30, 90},
      [IGROUP_HAZARD] = {30, 90},   [IGROUP_CYBER_FRAUD] = {15, 40}, [IGROUP_NON_EMERGENCY] = {10, 25},
  };
  enum incident_group g = t ? t->group : IGROUP_NON_EMERGENCY;
  *lo = range[g][0];
  *hi = range[g][1];
}

/* ---- growing arrays in the arena ------------------------------------------------------ */

static void *slot(struct demo_sim *s, void **arr, size_t *n, size_t *cap, size_t size) {
  if (*n == *cap) {
    size_t ncap = *cap ? *cap * 2 : 256;
    void *p = arena_alloc(s->arena, ncap * size);
    if (!p) {
      s->oom = true;
      return NULL;
    }
    if (*n) memcpy(p, *arr, *n * size);
    *arr = p;
    *cap = ncap;
  }
  return (char *)*arr + (*n)++ * size;
}

/* A timeline line, or NULL when it would lie after now (it has not happened yet) or
 * memory ran out (s->oom). */
static struct demo_line *add_line(struct demo_sim *s, int incident, int64_t time_ms, bool dispatcher,
                                  const char *kind, const char *text) {
  if (time_ms > s->now_ms) return NULL;
  struct demo_line *l = slot(s, (void **)&s->lines, &s->nlines, &s->caplines, sizeof *l);
  if (!l) return NULL;
  *l = (struct demo_line){.incident = incident, .time_ms = time_ms, .order = s->nlines, .dispatcher = dispatcher,
                          .kind = kind, .text = text, .call = -1, .unit = -1, .from = -1, .to = -1};
  return l;
}

/* A position report of unit `unit`; the unit's last position follows the latest. */
static void add_pos(struct demo_sim *s, int unit, int64_t time_ms, double lat, double lon) {
  if (time_ms > s->now_ms) return;
  struct demo_pos *p = slot(s, (void **)&s->pos, &s->npos, &s->cappos, sizeof *p);
  if (!p) return;
  *p = (struct demo_pos){.unit = unit, .time_ms = time_ms, .lat = lat, .lon = lon};
  struct unit *u = &s->units[unit].u;
  if (time_ms >= u->position_ms) {
    u->has_position = true;
    u->lat = lat;
    u->lon = lon;
    u->position_ms = time_ms;
  }
}

/* ---- places -------------------------------------------------------------------------- */

/* How many calls a station's area makes, relatively: city stations more than posts,
 * Rasht's most. */
static double station_weight(const struct station *st) {
  if (strcmp(st->kind, "kalantari") != 0) return 1;
  return strcmp(st->county, "rasht") == 0 ? 5 : 3;
}

const struct station *demo_pick_station(struct demo_sim *s) {
  double total = 0;
  for (size_t i = 0; i < s->nstations; i++) total += station_weight(&s->stations[i]);
  double r = demo_uniform(s) * total;
  for (size_t i = 0; i < s->nstations; i++) {
    double w = station_weight(&s->stations[i]);
    if (r < w) return &s->stations[i];
    r -= w;
  }
  return &s->stations[s->nstations - 1];
}

static void near(struct demo_sim *s, double lat, double lon, double sigma_km, double *olat, double *olon) {
  *olat = lat + gauss(s) * sigma_km / 111.32;
  *olon = lon + gauss(s) * sigma_km / (111.32 * cos(lat * M_PI / 180.0));
}

static const struct station *station_of(const struct demo_sim *s, const char *code) {
  for (size_t i = 0; i < s->nstations; i++)
    if (strcmp(s->stations[i].code, code) == 0) return &s->stations[i];
  return NULL;
}

static int local_hour(int64_t ms) {
  struct loc_jdate d;
  return loc_from_utc_ms(ms, &d) == 0 ? d.hour : 12;
}

const char *demo_phone_number(struct demo_sim *s) {
  return arena_printf(s->arena, "%s%07lld", DEMO_PICK(s, phone_prefixes), (long long)demo_between(s, 0, 9999999));
}

const char *demo_person_name(struct demo_sim *s) {
  size_t nf = sizeof first_names / sizeof first_names[0], nl = sizeof last_names / sizeof last_names[0];
  int64_t first = demo_between(s, 0, (int64_t)nf - 1), last = demo_between(s, 0, (int64_t)nl - 1);
  return arena_printf(s->arena, "%s %s", first_names[first], last_names[last]);
}

/* ---- dispatching ----------------------------------------------------------------------- */

/* Where the simulation keeps the units free at one moment, for dispatch_recommend. */
struct pool {
  struct unit *units;
  int *index; /* into demo_sim.units */
};

/* The unit to send to inc at td: one of the first two that core's recommendation ranks
 * among the units free then (dispatchers mostly take the first). -1 when none is free. */
static int choose_unit(struct demo_sim *s, const struct incident *inc, int64_t td, const struct dispatch_config *cfg,
                       struct pool *pool, struct dispatch_rec *rec) {
  size_t n = 0;
  for (size_t i = 0; i < s->nunits; i++) {
    if (s->units[i].free_ms > td) continue;
    pool->units[n] = s->units[i].u;
    pool->units[n].status = UNIT_AVAILABLE;
    pool->index[n++] = (int)i;
  }
  struct dispatch_rec recs[2];
  size_t got = dispatch_recommend(inc, pool->units, n, s->stations, s->nstations, td, cfg, recs, 2);
  if (got == 0) return -1;
  *rec = recs[got > 1 && demo_chance(s, 0.15) ? 1 : 0];
  return pool->index[rec->unit - pool->units];
}

static int64_t dispatch_delay_ms(struct demo_sim *s, int priority) {
  switch (priority) {
  case 1: return demo_between(s, 5, 30) * SEC_MS;
  case 2: return demo_between(s, 30, 180) * SEC_MS;
  case 3: return demo_between(s, 2, 10) * MIN_MS;
  default: return demo_between(s, 4, 25) * MIN_MS;
  }
}

static void status_line(struct demo_sim *s, int idx, int64_t t, enum incident_status from, enum incident_status to) {
  struct demo_line *l = add_line(s, idx, t, true, "status", "تغییر وضعیت رویداد");
  if (l) {
    l->from = (int)from;
    l->to = (int)to;
    l->disposition = to == INC_CLOSED ? s->incidents[idx].inc.disposition : NULL;
  }
}

/* Moves incident idx to `to` at t, with its timeline line, when t is not after now. */
static bool move(struct demo_sim *s, int idx, enum incident_status to, int64_t t) {
  struct incident *inc = &s->incidents[idx].inc;
  if (!t || t > s->now_ms) return false;
  enum incident_status from = inc->status;
  if (incident_apply_status(inc, to, t) != INCIDENT_MOVE_OK) return false;
  status_line(s, idx, t, from, to);
  return true;
}

/* The life of a new incident from its creation to its closing, as far as now. */
static void plan_incident(struct demo_sim *s, int idx, const struct dispatch_config *cfg, struct pool *pool) {
  struct incident *inc = &s->incidents[idx].inc;
  struct demo_line *l = add_line(s, idx, inc->created_ms, false, "created", "ثبت رویداد از تماس");
  if (l) l->call = s->incidents[idx].first_call;
  if (demo_chance(s, 0.05)) { /* no unit needed: a duplicate, advice was enough, ... */
    inc->disposition = DEMO_PICK(s, dispo_undispatched);
    move(s, idx, INC_CLOSED, inc->created_ms + demo_between(s, 1, 8) * MIN_MS);
    if (inc->status != INC_CLOSED) inc->disposition = NULL;
    return;
  }
  int64_t td = inc->created_ms + dispatch_delay_ms(s, inc->priority);
  struct dispatch_rec rec;
  int unit = -1;
  for (int tries = 0; tries < 12 && td <= s->now_ms && unit < 0; tries++) {
    unit = choose_unit(s, inc, td, cfg, pool, &rec);
    if (unit < 0) td += demo_between(s, 2, 4) * MIN_MS; /* every suitable unit is busy: wait */
  }
  if (td > s->now_ms) return; /* still pending */
  if (unit < 0) {
    inc->disposition = "cancelled";
    move(s, idx, INC_CLOSED, td);
    return;
  }
  struct demo_unit *du = &s->units[unit];
  int64_t travel_ms = rec.eta_s > 0 ? (int64_t)((double)rec.eta_s * (0.75 + 0.6 * demo_uniform(s)) * 1000.0)
                                    : demo_between(s, 300, 900) * SEC_MS;
  if (travel_ms < MIN_MS) travel_ms = MIN_MS;
  int64_t en_route = demo_chance(s, 0.9) ? td + demo_between(s, 10, 60) * SEC_MS : 0;
  int64_t on_scene = td + travel_ms;
  if (en_route && on_scene < en_route + MIN_MS) on_scene = en_route + MIN_MS;
  int64_t lo, hi;
  scene_minutes(inc->type, &lo, &hi);
  int64_t cleared = on_scene + demo_between(s, lo, hi) * MIN_MS;
  int64_t closed = cleared + demo_between(s, 2, 20) * MIN_MS;
  du->free_ms = cleared;

  /* the unit: assigned, on its way, there, free again */
  double slat = rec.lat, slon = rec.lon, dlat, dlon;
  if (inc->has_location) {
    dlat = inc->lat;
    dlon = inc->lon;
  } else {
    near(s, slat, slon, 1.5, &dlat, &dlon);
  }
  du->u.status = UNIT_AVAILABLE;
  unit_assign(&du->u, idx + 1, td); /* placeholder id: the incident has none yet */
  du->incident = idx;
  add_pos(s, unit, td, slat, slon);
  l = add_line(s, idx, td, true, "assigned", arena_printf(s->arena, "اعزام واحد %s", du->u.call_sign_fa));
  if (l) {
    l->unit = unit;
    l->eta_s = rec.eta_s;
    l->from = (int)inc->status;
    l->to = (int)INC_DISPATCHED;
  }
  incident_apply_status(inc, INC_DISPATCHED, td);
  if (en_route && en_route <= s->now_ms) unit_apply_status(&du->u, UNIT_EN_ROUTE, en_route);
  move(s, idx, INC_EN_ROUTE, en_route);
  if (travel_ms > 4 * MIN_MS) add_pos(s, unit, td + travel_ms / 2, (slat + dlat) / 2, (slon + dlon) / 2);
  if (on_scene <= s->now_ms) unit_apply_status(&du->u, UNIT_ON_SCENE, on_scene);
  /* the device reports every ten minutes or so while the unit works on scene */
  for (int64_t t = on_scene; t < cleared; t += demo_between(s, 8, 12) * MIN_MS) add_pos(s, unit, t, dlat, dlon);
  move(s, idx, INC_ON_SCENE, on_scene);
  if (cleared <= s->now_ms) {
    unit_apply_status(&du->u, UNIT_AVAILABLE, cleared);
    du->incident = -1;
  }
  add_pos(s, unit, cleared, dlat, dlon);
  move(s, idx, INC_CLEARED, cleared);
  if (closed <= s->now_ms) {
    inc->disposition = disposition_for(s, inc->type);
    move(s, idx, INC_CLOSED, closed);
  }
}

/* ---- calls ------------------------------------------------------------------------------ */

/* An open incident nearby that a new call in `county` at `t` may repeat: created in
 * the last 30 minutes, not yet cleared, in the same county. -1 when none. */
static int find_repeat(struct demo_sim *s, const char *county, int64_t t) {
  int found[8];
  int n = 0;
  for (size_t k = s->nincidents; k-- > 0 && n < 8;) {
    const struct demo_incident *di = &s->incidents[k];
    if (di->inc.created_ms < t - 30 * MIN_MS) break;
    bool open = (di->inc.cleared_ms == 0 || di->inc.cleared_ms > t) && (di->inc.closed_ms == 0 || di->inc.closed_ms > t);
    if (open && di->inc.call_count <= MAX_REPEATS && strcmp(di->inc.county, county) == 0) found[n++] = (int)k;
  }
  return n ? found[demo_between(s, 0, n - 1)] : -1;
}

/* Call dc repeats incident idx: it takes the incident's type and place, is linked to
 * it, and may raise its priority (repeat.h). */
static void link_repeat(struct demo_sim *s, int ci, int idx) {
  struct demo_call *dc = &s->calls[ci];
  struct incident *inc = &s->incidents[idx].inc;
  const struct demo_call *first = &s->calls[s->incidents[idx].first_call];
  dc->incident = idx;
  dc->c.type = inc->type;
  dc->c.priority = incident_type_find(inc->type)->priority;
  dc->c.county = inc->county;
  if (inc->has_location) {
    near(s, inc->lat, inc->lon, 0.15, &dc->c.lat, &dc->c.lon);
    dc->c.has_location = true;
    dc->c.uncertainty_m = (double)demo_between(s, 5, 60);
    dc->t.has_location = true;
    dc->t.lat = dc->c.lat;
    dc->t.lon = dc->c.lon;
    dc->t.uncertainty_m = dc->c.uncertainty_m;
    dc->t.location_source = "gnss";
  }
  if (demo_chance(s, 0.3)) dc->c.caller_number = dc->t.ani = first->c.caller_number; /* calling again */
  inc->call_count++;
  if (dc->c.created_ms > inc->updated_ms) inc->updated_ms = dc->c.created_ms;
  struct demo_line *l = add_line(s, idx, dc->c.created_ms, false, "call_linked", "تماس به رویداد پیوست");
  if (l) {
    l->call = ci;
    l->call_count = inc->call_count;
  }
  int raised = repeat_raised_priority(inc->priority, inc->call_count);
  if (raised != inc->priority) {
    l = add_line(s, idx, dc->c.created_ms, false, "priority", "افزایش اولویت بر اثر تماس‌های تکراری");
    if (l) {
      l->from = inc->priority;
      l->to = raised;
      l->call_count = inc->call_count;
    }
    inc->priority = raised;
  }
}

static void new_incident(struct demo_sim *s, int ci, const struct dispatch_config *cfg, struct pool *pool) {
  struct demo_incident *di = slot(s, (void **)&s->incidents, &s->nincidents, &s->capincidents, sizeof *di);
  if (!di) return;
  const struct call *c = &s->calls[ci].c;
  *di = (struct demo_incident){
      .first_call = ci,
      .inc = {.type = c->type, .priority = c->priority, .status = INC_PENDING, .county = c->county,
              .has_location = c->has_location, .lat = c->lat, .lon = c->lon, .address = c->address,
              .call_count = 1, .created_ms = c->created_ms, .answer_ms = c->answer_ms, .updated_ms = c->created_ms},
  };
  int idx = (int)(s->nincidents - 1);
  s->calls[ci].incident = idx;
  plan_incident(s, idx, cfg, pool);
}

static const char *narrative(struct demo_sim *s, const struct incident_type *type, enum call_outcome o) {
  static const char *const said[CALL_OUTCOME__COUNT] = {
      [CALL_OPERATION] = "تماس‌گیرنده درخواست حضور مأمور دارد",
      [CALL_NON_EMERGENCY] = "موضوع غیرفوری؛ به کلانتری محل راهنمایی شد",
      [CALL_GUIDANCE] = "راهنمایی تلفنی انجام شد",
      [CALL_INVALID] = "تماس مزاحم یا بی‌مورد",
  };
  return arena_printf(s->arena, "%s — %s", type->name_fa, said[o]);
}

static void process_call(struct demo_sim *s, int64_t ring, const struct dispatch_config *cfg, struct pool *pool) {
  int hour = local_hour(ring);
  bool peak = hour >= 17 && hour <= 22;
  int ci = (int)s->ncalls;
  struct demo_call *dc = slot(s, (void **)&s->calls, &s->ncalls, &s->capcalls, sizeof *dc);
  if (!dc) return;
  memset(dc, 0, sizeof *dc);
  dc->incident = -1;
  struct telephony_call *t = &dc->t;
  t->ext_id = arena_printf(s->arena, "demo-%06d", ci + 1);
  t->ani = demo_phone_number(s);
  t->ring_ms = ring;
  const struct station *st = demo_pick_station(s);
  double lat, lon, u = demo_uniform(s);
  near(s, st->lat, st->lon, strcmp(st->kind, "kalantari") == 0 ? 1.0 : 2.2, &lat, &lon);
  if (u < 0.82) { /* the phone system located the caller: by satellite, or by cell */
    t->has_location = true;
    t->lat = lat;
    t->lon = lon;
    t->location_source = u < 0.6 ? "gnss" : "cell";
    t->uncertainty_m = (double)(u < 0.6 ? demo_between(s, 5, 50) : demo_between(s, 300, 1500));
  }
  if (demo_chance(s, peak ? 0.055 : 0.035)) { /* the caller hung up before an answer */
    dc->abandoned = true;
    t->state = TCALL_ABANDONED;
    t->end_ms = ring + demo_between(s, 3, 40) * SEC_MS;
    if (t->end_ms > s->now_ms) s->ncalls--;
    return;
  }
  double r2a_s = 5.0 * (peak ? 1.35 : 1.0) * exp(0.6 * gauss(s));
  t->answer_ms = ring + (int64_t)(fmin(fmax(r2a_s, 1.0), 120.0) * 1000.0);
  enum call_outcome outcome = CALL_OPERATION;
  call_outcome_parse(DEMO_PICK(s, outcomes), &outcome);
  const char *code = outcome == CALL_OPERATION      ? DEMO_PICK(s, operation_types)
                     : outcome == CALL_NON_EMERGENCY ? DEMO_PICK(s, non_emergency_types)
                     : outcome == CALL_GUIDANCE      ? "information"
                                                     : "other";
  const struct incident_type *type = incident_type_find(code);
  if (!type) type = incident_type_find("other");
  int64_t form_ms = outcome != CALL_OPERATION ? demo_between(s, 25, 100) * SEC_MS
                    : type->priority == 1     ? demo_between(s, 15, 40) * SEC_MS
                                              : demo_between(s, 40, 150) * SEC_MS;
  int64_t created = t->answer_ms + form_ms;
  if (created > s->now_ms) { /* still on the line: not taken yet */
    s->ncalls--;
    return;
  }
  struct call *c = &dc->c;
  c->telephony_call_id = t->ext_id;
  c->caller_number = t->ani;
  if (demo_chance(s, 0.35))
    c->caller_name = demo_person_name(s);
  c->has_location = t->has_location;
  c->lat = t->lat;
  c->lon = t->lon;
  c->uncertainty_m = t->uncertainty_m;
  if (!c->has_location) c->address = arena_printf(s->arena, "حوالی %s", st->name_fa);
  const char *county = c->has_location && s->geo ? geo_county_at(s->geo, lat, lon) : NULL;
  c->county = county ? county : st->county;
  c->type = type->code;
  c->priority = type->priority;
  c->narrative = narrative(s, type, outcome);
  c->outcome = outcome;
  c->ring_ms = ring;
  c->answer_ms = t->answer_ms;
  c->created_ms = created;
  t->end_ms = created + demo_between(s, 5, 90) * SEC_MS;
  t->state = TCALL_ENDED;
  if (t->end_ms > s->now_ms) { /* the call-taker is still talking */
    t->state = TCALL_ANSWERED;
    t->end_ms = 0;
  }
  if (outcome != CALL_OPERATION) return;
  int repeat = demo_chance(s, 0.14) ? find_repeat(s, c->county, created) : -1;
  if (repeat >= 0) link_repeat(s, ci, repeat);
  else new_incident(s, ci, cfg, pool);
}

/* ---- the whole run --------------------------------------------------------------------- */

static int cmp_ms(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* When every call rings: hour by hour, as many as the hour's share of a day. */
static int64_t *ring_times(struct demo_sim *s, size_t *n) {
  double total = 0;
  for (int h = 0; h < 24; h++) total += hour_weight[h];
  size_t cap = (size_t)((double)(s->now_ms - s->start_ms) / DAY_MS * CALLS_PER_DAY * 1.5) + 64;
  int64_t *times = arena_alloc(s->arena, cap * sizeof *times);
  if (!times) return NULL;
  *n = 0;
  for (int64_t t = s->start_ms; t < s->now_ms; t += HOUR_MS) {
    int64_t len = s->now_ms - t < HOUR_MS ? s->now_ms - t : HOUR_MS;
    double expected = CALLS_PER_DAY * hour_weight[local_hour(t)] / total * (double)len / HOUR_MS;
    int64_t count = (int64_t)(expected * (0.85 + 0.3 * demo_uniform(s)) + 0.5);
    for (int64_t k = 0; k < count && *n < cap; k++) times[(*n)++] = t + (int64_t)(demo_uniform(s) * (double)len);
  }
  qsort(times, *n, sizeof *times, cmp_ms);
  return times;
}

/* Units not on an incident now: some busy with other police work or out of service,
 * most on patrol near their station with a fresh position; the rest last reported
 * long ago, so the console shows them at their station, flagged stale. */
static void finish_units(struct demo_sim *s) {
  for (size_t i = 0; i < s->nunits; i++) {
    struct demo_unit *du = &s->units[i];
    if (du->incident >= 0) continue;
    const struct station *st = station_of(s, du->u.station);
    double u = demo_uniform(s);
    int64_t since = du->u.status_ms;
    if (u < 0.06) {
      int64_t t = s->now_ms - demo_between(s, 60, 480) * MIN_MS;
      unit_apply_status(&du->u, UNIT_OUT_OF_SERVICE, t > since ? t : since);
      continue;
    }
    if (u < 0.15) {
      int64_t t = s->now_ms - demo_between(s, 5, 40) * MIN_MS;
      unit_apply_status(&du->u, UNIT_BUSY, t > since ? t : since);
    }
    if (st && demo_chance(s, 0.7)) {
      double lat, lon;
      near(s, st->lat, st->lon, strcmp(st->kind, "kalantari") == 0 ? 1.2 : 2.5, &lat, &lon);
      add_pos(s, (int)i, s->now_ms - demo_between(s, 1, 12) * MIN_MS, lat, lon);
    }
  }
}

int demo_simulate(struct demo_sim *s, int days) {
  struct dispatch_config cfg = dispatch_config_default();
  s->start_ms = s->now_ms - days * DAY_MS;
  for (size_t i = 0; i < s->nunits; i++) {
    s->units[i].incident = -1;
    s->units[i].free_ms = 0;
    s->units[i].u.status = UNIT_AVAILABLE;
    s->units[i].u.status_ms = s->start_ms;
    s->units[i].u.incident_id = 0;
    s->units[i].u.has_position = false;
    s->units[i].u.position_ms = 0;
  }
  struct pool pool = {arena_alloc(s->arena, (s->nunits + 1) * sizeof *pool.units),
                      arena_alloc(s->arena, (s->nunits + 1) * sizeof *pool.index)};
  size_t nrings = 0;
  int64_t *rings = ring_times(s, &nrings);
  if (!rings || !pool.units || !pool.index) return -1;
  for (size_t i = 0; i < nrings && !s->oom; i++) process_call(s, rings[i], &cfg, &pool);
  finish_units(s);
  return s->oom ? -1 : 0;
}
