/* demo_store.c — the demo activity's way into the database: it reads the reference
 * data the simulation needs (demo.c), then writes what the simulation made through the
 * store interface, the same operations the API uses, in one transaction. See cli.h
 * (cli_demo_activity) and demo.h.
 *
 * Rows refer to each other by ids the store gives out, so they are written in the
 * order that makes every id known before it is needed: calls and their phone calls,
 * then incidents (numbered by the store in creation order, per Jalali year), then the
 * links from calls to incidents, the timelines, the units' state and their positions.
 * The timeline of an incident is appended oldest line first, as the API would have
 * appended it. The 197 desk's days follow in the same transaction (demo_feedback.c). Only one audit row is written ("demo.load", with the counts) and no live
 * events: this is history, not news.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "core/geo.h"
#include "locale/locale.h"
#include "util/arena.h"

#define DEMO_DAYS 3
#define DEMO_SEED 0x1101101101ULL

/* ---- reading what the simulation needs ------------------------------------------------ */

struct setup {
  struct arena *arena;
  struct county *counties;
  size_t ncounties;
  struct station *stations;
  size_t nstations;
  struct unit *units;
  size_t nunits;
  bool has_calls;
};

static enum store_rc any_calls(struct store_tx *tx, struct arena *a, bool *yes) {
  struct call_filter f = {.outcome = -1, .limit = 1};
  struct call *calls;
  size_t n = 0;
  enum store_rc rc = store_of(tx)->em.call_list(tx, &f, a, &calls, &n);
  *yes = n > 0;
  return rc;
}

static enum store_rc read_tx(void *cls, struct store_tx *tx) {
  struct setup *su = cls;
  struct store_emergency *em = &store_of(tx)->em;
  enum store_rc rc = em->county_list(tx, su->arena, &su->counties, &su->ncounties);
  if (rc == STORE_OK) rc = em->station_list(tx, su->arena, &su->stations, &su->nstations);
  if (rc == STORE_OK) rc = em->unit_list(tx, NULL, su->arena, &su->units, &su->nunits);
  if (rc == STORE_OK) rc = any_calls(tx, su->arena, &su->has_calls);
  return rc;
}

/* ---- writing ----------------------------------------------------------------------- */

struct writer {
  struct demo_sim *s;
  bool already;
  int64_t taker_id, dispatcher_id;
  const char *taker, *dispatcher;
};

/* The demo users act in the timelines when `init --demo` made them; else "demo". */
static enum store_rc actor(struct store_tx *tx, struct arena *a, const char *username, int64_t *id,
                           const char **name) {
  struct user u;
  enum store_rc rc = store_of(tx)->user_by_name(tx, username, a, &u);
  *id = rc == STORE_OK ? u.id : 0;
  *name = rc == STORE_OK ? username : "demo";
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

static enum store_rc write_calls(struct store_tx *tx, struct demo_sim *s) {
  struct store_emergency *em = &store_of(tx)->em;
  enum store_rc rc = STORE_OK;
  for (size_t i = 0; i < s->ncalls && rc == STORE_OK; i++) {
    struct demo_call *dc = &s->calls[i];
    struct telephony_call t = dc->t;
    t.received_ms = t.ring_ms; /* heard when it rang */
    if (!dc->abandoned) {
      struct call c = dc->c;
      c.incident_id = 0; /* linked once the incident exists */
      rc = em->call_insert(tx, &c);
      dc->c.id = c.id;
      t.call_id = c.id;
    }
    if (rc == STORE_OK) rc = em->tcall_insert(tx, &t);
  }
  return rc;
}

static enum store_rc write_incidents(struct store_tx *tx, struct demo_sim *s) {
  struct store_emergency *em = &store_of(tx)->em;
  enum store_rc rc = STORE_OK;
  for (size_t k = 0; k < s->nincidents && rc == STORE_OK; k++) {
    struct demo_incident *di = &s->incidents[k];
    struct loc_jdate d;
    if (loc_from_utc_ms(di->inc.created_ms, &d) != 0) return STORE_HARD;
    struct incident inc = di->inc;
    inc.year = d.year;
    inc.first_call_id = s->calls[di->first_call].c.id;
    rc = em->incident_next_seq(tx, inc.year, &inc.seq);
    if (rc == STORE_OK) rc = em->incident_insert(tx, &inc);
    di->inc.id = inc.id;
    di->inc.year = inc.year;
    di->inc.seq = inc.seq;
  }
  for (size_t i = 0; i < s->ncalls && rc == STORE_OK; i++)
    if (!s->calls[i].abandoned && s->calls[i].incident >= 0)
      rc = em->call_set_incident(tx, s->calls[i].c.id, s->incidents[s->calls[i].incident].inc.id);
  return rc;
}

/* The data of a line, as the API's handlers write it for the same kind. */
static json_t *line_data(const struct demo_sim *s, const struct demo_line *l) {
  json_t *d = json_object();
  if (l->call >= 0) json_object_set_new(d, "call_id", json_integer(s->calls[l->call].c.id));
  if (strcmp(l->kind, "call_linked") == 0) {
    json_object_set_new(d, "caller_number", json_string(s->calls[l->call].c.caller_number));
    json_object_set_new(d, "call_count", json_integer(l->call_count));
    return d;
  }
  if (strcmp(l->kind, "priority") == 0) {
    json_object_set_new(d, "from", json_integer(l->from));
    json_object_set_new(d, "to", json_integer(l->to));
    json_object_set_new(d, "reason", json_string("repeat_calls"));
    json_object_set_new(d, "call_count", json_integer(l->call_count));
    return d;
  }
  if (l->unit >= 0) {
    const struct unit *u = &s->units[l->unit].u;
    json_object_set_new(d, "unit_id", json_integer(u->id));
    json_object_set_new(d, "unit", json_string(u->code));
    json_object_set_new(d, "eta_s", l->eta_s >= 0 ? json_integer(l->eta_s) : json_null());
  }
  if (l->from >= 0) json_object_set_new(d, "from", json_string(incident_status_name((enum incident_status)l->from)));
  if (l->to >= 0) json_object_set_new(d, "to", json_string(incident_status_name((enum incident_status)l->to)));
  if (l->disposition) json_object_set_new(d, "disposition", json_string(l->disposition));
  return d;
}

static enum store_rc write_lines(struct store_tx *tx, struct writer *w) {
  struct demo_sim *s = w->s;
  enum store_rc rc = STORE_OK;
  for (size_t i = 0; i < s->nlines && rc == STORE_OK; i++) {
    const struct demo_line *l = &s->lines[i];
    json_t *data = line_data(s, l);
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(data);
    if (!text) return STORE_HARD;
    struct timeline_entry e = {
        .incident_id = s->incidents[l->incident].inc.id,
        .time_ms = l->time_ms,
        .actor_id = l->dispatcher ? w->dispatcher_id : w->taker_id,
        .actor = l->dispatcher ? w->dispatcher : w->taker,
        .kind = l->kind,
        .text = l->text,
        .data = text,
    };
    rc = store_of(tx)->em.timeline_append(tx, &e);
    free(text);
  }
  return rc;
}

static enum store_rc write_units(struct store_tx *tx, struct demo_sim *s) {
  struct store_emergency *em = &store_of(tx)->em;
  enum store_rc rc = STORE_OK;
  for (size_t i = 0; i < s->nunits && rc == STORE_OK; i++) {
    struct unit u = s->units[i].u;
    u.incident_id = s->units[i].incident >= 0 ? s->incidents[s->units[i].incident].inc.id : 0;
    rc = em->unit_update(tx, &u);
  }
  for (size_t i = 0; i < s->npos && rc == STORE_OK; i++) {
    const struct demo_pos *p = &s->pos[i];
    rc = em->unit_position_add(tx, s->units[p->unit].u.id, p->lat, p->lon, p->time_ms);
  }
  return rc;
}

static enum store_rc write_tx(void *cls, struct store_tx *tx) {
  struct writer *w = cls;
  struct demo_sim *s = w->s;
  enum store_rc rc = any_calls(tx, s->arena, &w->already);
  if (rc != STORE_OK || w->already) return rc;
  rc = actor(tx, s->arena, "calltaker1", &w->taker_id, &w->taker);
  if (rc == STORE_OK) rc = actor(tx, s->arena, "dispatcher1", &w->dispatcher_id, &w->dispatcher);
  if (rc == STORE_OK) rc = write_calls(tx, s);
  if (rc == STORE_OK) rc = write_incidents(tx, s);
  if (rc == STORE_OK) rc = write_lines(tx, w);
  if (rc == STORE_OK) rc = write_units(tx, s);
  if (rc == STORE_OK) rc = demo_feedback_write(tx, s);
  if (rc != STORE_OK) return rc;
  json_t *detail = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "calls", (json_int_t)s->ncalls, "incidents",
                             (json_int_t)s->nincidents, "timeline_lines", (json_int_t)s->nlines, "positions",
                             (json_int_t)s->npos, "feedback", (json_int_t)s->fb.contacts, "commendations",
                             (json_int_t)s->fb.commendations);
  rc = cli_audit(tx, "demo.load", "", detail);
  json_decref(detail);
  return rc;
}

static int cmp_lines(const void *a, const void *b) {
  const struct demo_line *x = a, *y = b;
  if (x->incident != y->incident) return x->incident < y->incident ? -1 : 1;
  if (x->time_ms != y->time_ms) return x->time_ms < y->time_ms ? -1 : 1;
  return (x->order > y->order) - (x->order < y->order);
}

int demo_write(struct store *st, struct demo_sim *s, bool *already) {
  /* Each incident's lines oldest first: repeat calls were linked out of order. */
  qsort(s->lines, s->nlines, sizeof *s->lines, cmp_lines);
  struct writer w = {.s = s};
  enum store_rc rc = store_write(st, write_tx, &w);
  *already = w.already;
  return rc == STORE_OK ? 0 : -1;
}

/* ---- the entry point ------------------------------------------------------------------ */

int cli_demo_activity(struct store *st, int64_t now_ms, int feedback_deadline_days, struct cli_demo_counts *out) {
  memset(out, 0, sizeof *out);
  out->days = DEMO_DAYS;
  struct arena *a = arena_new(0);
  if (!a) return cli_fail("out of memory");
  int rc = CLI_FAILED;
  struct setup su = {.arena = a};
  struct demo_sim sim = {.arena = a, .now_ms = now_ms, .rng = DEMO_SEED, .deadline_days = feedback_deadline_days};
  if (store_read(st, read_tx, &su) != STORE_OK) {
    cli_fail("cannot read the reference data for the demo activity");
    goto done;
  }
  if (su.has_calls) {
    out->already = true;
    rc = CLI_OK;
    goto done;
  }
  if (su.nstations == 0 || su.nunits == 0) {
    cli_fail("the demo activity needs the reference data (stations and units) loaded first");
    goto done;
  }
  char err[256] = "";
  sim.geo = geo_counties_build(su.counties, su.ncounties, err, sizeof err);
  if (!sim.geo) {
    cli_fail("the county borders do not parse: %s", err);
    goto done;
  }
  sim.stations = su.stations;
  sim.nstations = su.nstations;
  sim.nunits = su.nunits;
  sim.units = arena_alloc(a, su.nunits * sizeof *sim.units);
  if (!sim.units) {
    cli_fail("out of memory");
    goto done;
  }
  for (size_t i = 0; i < su.nunits; i++) sim.units[i].u = su.units[i];
  if (demo_simulate(&sim, DEMO_DAYS) != 0) {
    cli_fail("out of memory while making the demo activity");
    goto done;
  }
  if (demo_write(st, &sim, &out->already) != 0) {
    cli_fail("writing the demo activity failed (see the log above)");
    goto done;
  }
  if (!out->already) {
    for (size_t i = 0; i < sim.ncalls; i++) {
      if (sim.calls[i].abandoned) out->abandoned++;
      else out->calls++;
    }
    out->incidents = sim.nincidents;
    for (size_t k = 0; k < sim.nincidents; k++)
      if (sim.incidents[k].inc.status != INC_CLOSED) out->open_incidents++;
    out->positions = sim.npos;
    out->contacts = sim.fb.contacts;
    out->praise = sim.fb.praise;
    out->open_contacts = sim.fb.open;
    out->overdue = sim.fb.overdue;
    out->commendations = sim.fb.commendations;
    snprintf(out->track_code, sizeof out->track_code, "%s", sim.fb.track_code);
  }
  rc = CLI_OK;
done:
  geo_free(sim.geo);
  arena_free(a);
  return rc;
}
