/* demo.h — what the demo generator's two halves share: demo.c simulates a few days of
 * the 110 centre in memory (calls, incidents, units), demo_store.c writes the result
 * through the store interface. Internal to src/cli/; the entry point is
 * cli_demo_activity() in cli.h.
 *
 * Memory: everything lives in the simulation's arena (struct demo_sim.arena), released
 * by the caller after writing. Strings point into the arena, the store's reference
 * records (read into the same arena) or static tables.
 */
#ifndef HAMYAR_CLI_DEMO_H
#define HAMYAR_CLI_DEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/emergency.h"
#include "store/store.h"

struct arena;
struct geo_counties;

/* One call-taker call and the phone call it came from, or an abandoned phone call. */
struct demo_call {
  struct call c;          /* c.id is set while writing */
  struct telephony_call t;
  bool abandoned;         /* only t is written */
  int incident;           /* index into demo_sim.incidents; -1 when none */
};

struct demo_incident {
  struct incident inc;    /* the state as of now_ms; id, year and seq are set while writing */
  int first_call;         /* index into demo_sim.calls */
};

/* One line of an incident's timeline, before the ids it mentions exist. */
struct demo_line {
  int incident;           /* index into demo_sim.incidents */
  int64_t time_ms;
  size_t order;           /* creation order: ties in time keep it */
  bool dispatcher;        /* written by the demo dispatcher, else the demo call-taker */
  const char *kind;       /* "created", "call_linked", "priority", "assigned", "status" */
  const char *text;
  int call;               /* the call it is about (created, call_linked), else -1 */
  int unit;               /* the unit it is about (assigned), else -1 */
  int from, to;           /* status moves (enum incident_status) and priority changes */
  int64_t eta_s;          /* assigned: the estimate the recommendation gave */
  int call_count;         /* call_linked, priority: the incident's calls after the link */
  const char *disposition; /* closing */
};

struct demo_pos {
  int unit;               /* index into demo_sim.units */
  int64_t time_ms;
  double lat, lon;
};

struct demo_unit {
  struct unit u;          /* the stored unit, moved to its state as of now_ms; while it
                             is on an incident its incident_id is a placeholder */
  int incident;           /* that incident's index into demo_sim.incidents, or -1 */
  int64_t free_ms;        /* while simulating: when its last job ends */
};

struct demo_sim {
  struct arena *arena;
  int64_t now_ms, start_ms;
  uint64_t rng;
  const struct station *stations;
  size_t nstations;
  struct geo_counties *geo;
  struct demo_unit *units;
  size_t nunits;
  struct demo_call *calls;
  size_t ncalls, capcalls;
  struct demo_incident *incidents;
  size_t nincidents, capincidents;
  struct demo_line *lines;
  size_t nlines, caplines;
  struct demo_pos *pos;
  size_t npos, cappos;
  bool oom;               /* an allocation failed somewhere */
};

/* Runs the simulation over sim->units (read from the store) for `days` days before
 * now_ms and fills calls, incidents, lines and positions, with each unit's state as
 * of now_ms. 0, or -1 when out of memory. */
int demo_simulate(struct demo_sim *sim, int days);

/* Writes the simulation in one store transaction, unless the store has calls already
 * (then *already is set and nothing is written). 0, or -1 when the store failed. */
int demo_write(struct store *s, struct demo_sim *sim, bool *already);

#endif
