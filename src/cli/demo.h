/* demo.h — what the demo generator's parts share: demo.c simulates a few days of the
 * 110 centre in memory (calls, incidents, units), demo_store.c writes the result
 * through the store interface, and demo_feedback.c adds the same days of the 197 desk
 * (contacts, their timelines, commendations) in the same transaction. Internal to
 * src/cli/; the entry point is cli_demo_activity() in cli.h.
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

/* What the 197 part added (demo_feedback.c). */
struct demo_feedback_counts {
  size_t contacts, praise, open, overdue, commendations;
  /* a tracking code of a contact with replies for the citizen, formatted
   * ("4821-7730-1956"), so a newcomer can try the public tracking page; "" when none */
  char track_code[FB_CODE_TEXT];
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
  int deadline_days;      /* the 197 desk's days to answer (config feedback_deadline_days) */
  struct demo_feedback_counts fb; /* set by demo_write */
};

/* The demo's random numbers (splitmix64 over sim->rng): deterministic for a seed, and
 * drawn in one order, so the same now gives the same activity. */
double demo_uniform(struct demo_sim *s);                       /* [0, 1) */
bool demo_chance(struct demo_sim *s, double p);                /* true with probability p */
int64_t demo_between(struct demo_sim *s, int64_t lo, int64_t hi); /* lo..hi, both in */

struct demo_weighted {
  const char *code;
  double w;
};
/* One code of t, with probability proportional to its weight. */
const char *demo_pick(struct demo_sim *s, const struct demo_weighted *t, size_t n);
#define DEMO_PICK(s, table) demo_pick((s), (table), sizeof(table) / sizeof(table)[0])

/* A station, more often a city's (kalantari) than a post, Rasht's most: where calls
 * and 197 contacts come from. */
const struct station *demo_pick_station(struct demo_sim *s);
/* A made-up Persian name ("سارا رحیمی") and Iranian phone number, in the arena. */
const char *demo_person_name(struct demo_sim *s);
const char *demo_phone_number(struct demo_sim *s);

/* Runs the simulation over sim->units (read from the store) for `days` days before
 * now_ms and fills calls, incidents, lines and positions, with each unit's state as
 * of now_ms. 0, or -1 when out of memory. */
int demo_simulate(struct demo_sim *sim, int days);

/* Writes the simulation in one store transaction, unless the store has calls already
 * (then *already is set and nothing is written). 0, or -1 when the store failed. */
int demo_write(struct store *s, struct demo_sim *sim, bool *already);

/* Inside demo_write's transaction: some 60 contacts with 197 a day over the simulated
 * days (and a small backlog of older ones still open), each with its timeline, and
 * some commendations of citizens; counts in sim->fb. Needs sodium_init() (tracking
 * codes) and loc_init(). */
enum store_rc demo_feedback_write(struct store_tx *tx, struct demo_sim *sim);

/* The Persian the 197 demo writes (demo_feedback_text.c); strings are static or in
 * the arena. A contact's text, made from fragments for its kind, naming the station
 * and officer when given (NULL: not named); *topic says which question an enquiry
 * asked, for its answer. */
const char *demo_fb_compose(struct demo_sim *s, enum fb_kind kind, const char *station_fa, const char *officer_fa,
                            int *topic);
enum demo_fb_line {
  DEMO_FB_ACK_COMPLAINT,      /* reply: received and sent to the station */
  DEMO_FB_REPLY_PRAISE,
  DEMO_FB_REPLY_SUGGESTION,
  DEMO_FB_REPLY_REPORT_ACTED,
  DEMO_FB_REPLY_REPORT_FORWARDED,
  DEMO_FB_NOTE_PRAISE,        /* internal: put on the officer's record */
  DEMO_FB_NOTE_WAITING,       /* internal: the station's report is late */
  DEMO_FB_NOTE_WITHDRAWN,     /* internal: the citizen withdrew */
  DEMO_FB_LINE__COUNT
};
const char *demo_fb_line(enum demo_fb_line which);
const char *demo_fb_complaint_reply(enum fb_outcome outcome); /* the answer that goes with the outcome */
const char *demo_fb_enquiry_reply(int topic);
const char *demo_fb_note(struct demo_sim *s, enum fb_kind kind); /* an officer's internal note */
const char *demo_fb_commendation_reason(struct demo_sim *s);
extern const char demo_fb_reporter_reason[]; /* a commendation for a report made to 197 */

#endif
