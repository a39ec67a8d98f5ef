/* emergency.h — the records of the 110 centre: places (counties, stations, entry
 * points), patrol units, phone-system calls, call-taker calls, incidents and their
 * timelines, and the names of their states.
 *
 * These are plain records shared by core (rules), store (persistence) and http (the
 * wire). Strings are borrowed: whoever filled the record owns them (usually an arena).
 * Coordinates are WGS84 degrees; `has_location` says whether lat/lon mean anything.
 * Times are UTC milliseconds; 0 means "not yet".
 */
#ifndef HAMYAR_CORE_EMERGENCY_H
#define HAMYAR_CORE_EMERGENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- places ------------------------------------------------------------------ */

struct county {
  int64_t id;
  const char *code;    /* "rasht" */
  const char *name_fa; /* "رشت" */
  const char *name_en;
  double seat_lat, seat_lon;
  const char *border;  /* the simplified border as JSON text: [[lon,lat],...] (closed) */
};

struct station {
  int64_t id;
  const char *code;    /* "rasht-k11" */
  const char *county;  /* county code */
  const char *kind;    /* "kalantari" or "pasgah" */
  const char *name_fa;
  const char *name_en;
  double lat, lon;
};

struct entry_point {
  int64_t id;
  const char *code;
  const char *name_fa;
  const char *name_en;
  const char *road;
  const char *neighbour;
  double lat, lon;
};

/* ---- units ------------------------------------------------------------------- */

enum unit_type { UNIT_CAR = 0, UNIT_MOTORCYCLE, UNIT_TRAFFIC, UNIT_SPECIAL, UNIT_TYPE__COUNT };

/* APCO common status codes, as far as they fit a police patrol. "busy" is on other
 * police work and cannot take a call; "out_of_service" is off duty or broken down. */
enum unit_status {
  UNIT_AVAILABLE = 0,
  UNIT_DISPATCHED,
  UNIT_EN_ROUTE,
  UNIT_ON_SCENE,
  UNIT_BUSY,
  UNIT_OUT_OF_SERVICE,
  UNIT_STATUS__COUNT
};

struct unit {
  int64_t id;
  const char *code;         /* "RASHT-11-1" */
  const char *call_sign_fa; /* "رشت-۱۱-۱" */
  const char *station;      /* station code */
  enum unit_type type;
  int seats;
  enum unit_status status;
  int64_t status_ms;        /* when the status last changed */
  int64_t incident_id;      /* the incident it is assigned to, 0 when none */
  bool has_position;
  double lat, lon;          /* the last reported position */
  int64_t position_ms;      /* when it was reported; 0 when never */
};

/* ---- the phone system's view of a call ---------------------------------------- */

enum tcall_state { TCALL_RINGING = 0, TCALL_ANSWERED, TCALL_ENDED, TCALL_ABANDONED, TCALL_STATE__COUNT };

struct telephony_call {
  int64_t id;
  const char *ext_id;       /* the phone system's call id (unique) */
  const char *ani;          /* caller number */
  bool has_location;
  double lat, lon, uncertainty_m;
  const char *location_source; /* "gnss", "cell", "wifi", "manual", ... */
  enum tcall_state state;
  int64_t ring_ms, answer_ms, end_ms;
  int64_t call_id;          /* the call-taker's call made from it, 0 when none yet */
  int64_t received_ms;      /* hamyar's own clock when the ring arrived (the phone system's
                               clock may differ): what the ring timeout counts from. Set on
                               insert, never changed; 0 before migration 6 */
};

/* ---- calls and incidents ------------------------------------------------------- */

enum call_outcome { CALL_OPERATION = 0, CALL_NON_EMERGENCY, CALL_GUIDANCE, CALL_INVALID, CALL_OUTCOME__COUNT };

struct call {
  int64_t id;
  const char *telephony_call_id; /* ext_id, or NULL */
  const char *caller_number;
  const char *caller_name;  /* NULL when not given */
  bool has_location;
  double lat, lon, uncertainty_m;
  const char *address;      /* NULL when not given */
  const char *county;       /* county code; derived from lat/lon when not given */
  const char *type;         /* incident-type code */
  int priority;             /* 1 (most urgent) .. 4 */
  const char *narrative;
  enum call_outcome outcome;
  int64_t incident_id;      /* 0 until created from or linked to an incident */
  int64_t ring_ms;          /* from the phone system, 0 when unknown */
  int64_t answer_ms;        /* from the phone system, else when the form was opened/sent */
  int64_t created_ms;
  int64_t taker_id;         /* user id of the call-taker */
};

enum incident_status {
  INC_PENDING = 0,
  INC_DISPATCHED,
  INC_EN_ROUTE,
  INC_ON_SCENE,
  INC_CLEARED,
  INC_CLOSED,
  INC_STATUS__COUNT
};

struct incident {
  int64_t id;
  int year;                 /* Jalali year of creation */
  int64_t seq;              /* sequence within the year: number "1404-000123" */
  const char *type;
  int priority;
  enum incident_status status;
  const char *county;
  bool has_location;
  double lat, lon;
  const char *address;
  int call_count;
  int64_t first_call_id;
  int64_t created_ms;
  int64_t answer_ms;        /* answer time of its first call (for answer → dispatch) */
  int64_t dispatch_ms;      /* first assignment */
  int64_t en_route_ms, on_scene_ms, cleared_ms, closed_ms;
  int64_t updated_ms;
  const char *disposition;  /* code, once closed */
};

/* One line of an incident's timeline. Lines are appended, never edited. */
struct timeline_entry {
  int64_t id;
  int64_t incident_id;
  int64_t time_ms;
  int64_t actor_id;
  const char *actor;
  const char *kind;  /* "created", "call_linked", "status", "assigned", "note", "priority" */
  const char *text;  /* a note's text, or a short description */
  const char *data;  /* JSON object text with the details */
};

/* Names on the wire ("available", "en_route", ...). NULL when out of range;
 * *_parse return 0 or -1. */
const char *unit_type_name(enum unit_type t);
int unit_type_parse(const char *s, enum unit_type *out);
const char *unit_status_name(enum unit_status s);
int unit_status_parse(const char *s, enum unit_status *out);
const char *tcall_state_name(enum tcall_state s);
int tcall_state_parse(const char *s, enum tcall_state *out);
const char *call_outcome_name(enum call_outcome o);
int call_outcome_parse(const char *s, enum call_outcome *out);
const char *incident_status_name(enum incident_status s);
int incident_status_parse(const char *s, enum incident_status *out);

#endif
