/* store_emergency.h — the 110 centre's part of the store interface: places, units,
 * phone-system calls, calls, incidents, timelines and the rows the call-handling
 * figures are computed from.
 *
 * It is one member of struct store (`s->em`), so callbacks reach it as
 *   store_of(tx)->em.call_insert(tx, &c);
 * The rules of store.h hold here too: functions run inside the callbacks of
 * store_write()/store_read(), return data in the caller's arena, and answer
 * STORE_NOT_FOUND / STORE_CONFLICT as ordinary results.
 *
 * References are checked: a row that names another that does not exist (a station's
 * county, a unit's station or incident, a call's incident, an incident's first call, a
 * phone call's call, a timeline line's incident, a position's unit) is refused with
 * STORE_NOT_FOUND. Where a record says an id is 0 when none, 0 is stored as none.
 * Optional strings left NULL are read back as NULL.
 */
#ifndef HAMYAR_STORE_STORE_EMERGENCY_H
#define HAMYAR_STORE_STORE_EMERGENCY_H

#include <stddef.h>
#include <stdint.h>

#include "core/emergency.h"

#include "store/store_rc.h"

struct arena;
struct store_tx;

struct call_filter {
  int64_t from_ms, to_ms;   /* created_ms in [from, to); 0: open */
  const char *county;       /* NULL: any */
  const char *type;         /* NULL: any */
  const char *caller_number;/* NULL: any */
  int outcome;              /* -1: any, else enum call_outcome */
  int64_t incident_id;      /* 0: any */
  int64_t before_id;        /* cursor: id < before_id; 0: from the newest */
  size_t limit;             /* newest first; 0 means 100 */
};

struct incident_filter {
  unsigned status_mask;     /* bit (1 << enum incident_status); 0: any */
  const char *county;
  const char *type;
  int priority;             /* 0: any */
  int64_t from_ms, to_ms;   /* created_ms in [from, to); 0: open */
  int64_t before_id;
  size_t limit;             /* 0 means 100 */
};

struct unit_filter {
  const char *station;      /* NULL: any */
  const char *county;       /* NULL: any (through the unit's station) */
  int status;               /* -1: any, else enum unit_status */
  int64_t incident_id;      /* 0: any; else the units assigned to that incident */
};

/* One row per call-taker call in a period, with what the figures need. */
struct call_timing {
  int64_t call_id;
  int64_t incident_id;      /* 0 when none */
  int priority;             /* the call's priority */
  const char *county;
  enum call_outcome outcome;
  int64_t ring_ms, answer_ms;              /* of the call */
  int64_t dispatch_ms, on_scene_ms, cleared_ms; /* of its incident, 0 when not reached */
  bool first_call;          /* the call that created the incident */
};

struct store_emergency {
  /* reference data: upsert by code (insert, or update every field of the row with
   * that code); set ->id. Lists are ordered by code. */
  enum store_rc (*county_upsert)(struct store_tx *tx, struct county *c);
  enum store_rc (*county_list)(struct store_tx *tx, struct arena *a, struct county **out, size_t *n);
  enum store_rc (*station_upsert)(struct store_tx *tx, struct station *s);
  enum store_rc (*station_list)(struct store_tx *tx, struct arena *a, struct station **out, size_t *n);
  enum store_rc (*entry_point_upsert)(struct store_tx *tx, struct entry_point *e);
  enum store_rc (*entry_point_list)(struct store_tx *tx, struct arena *a, struct entry_point **out,
                                    size_t *n);

  /* units: upsert by code keeps status and position of an existing unit (only
   * call_sign_fa, station, type and seats change); it sets ->id and puts the stored
   * status, incident and position back into *u. unit_list is ordered by code. A NULL
   * filter (unit_list, call_list, incident_list) lists everything. */
  enum store_rc (*unit_upsert)(struct store_tx *tx, struct unit *u);
  enum store_rc (*unit_by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct unit *out);
  enum store_rc (*unit_list)(struct store_tx *tx, const struct unit_filter *f, struct arena *a,
                             struct unit **out, size_t *n);
  /* writes status, status_ms, incident_id, has_position/lat/lon/position_ms */
  enum store_rc (*unit_update)(struct store_tx *tx, const struct unit *u);
  /* one row per position report (history for replay and the demo) */
  enum store_rc (*unit_position_add)(struct store_tx *tx, int64_t unit_id, double lat, double lon,
                                     int64_t time_ms);

  /* the phone system's calls; CONFLICT on insert of an ext_id that exists; update
   * writes every field but ext_id and received_ms */
  enum store_rc (*tcall_insert)(struct store_tx *tx, struct telephony_call *t);
  enum store_rc (*tcall_by_ext)(struct store_tx *tx, const char *ext_id, struct arena *a,
                                struct telephony_call *out);
  enum store_rc (*tcall_update)(struct store_tx *tx, const struct telephony_call *t); /* by id */
  /* ringing or answered calls without a call-taker call yet, oldest first */
  enum store_rc (*tcall_list_open)(struct store_tx *tx, struct arena *a, struct telephony_call **out,
                                   size_t *n);
  /* abandoned calls with ring_ms in [from, to); to 0: open */
  enum store_rc (*tcall_count_abandoned)(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                         int64_t *count);

  /* calls: insert sets ->id; set_incident with incident_id 0 unlinks */
  enum store_rc (*call_insert)(struct store_tx *tx, struct call *c);
  enum store_rc (*call_by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct call *out);
  enum store_rc (*call_list)(struct store_tx *tx, const struct call_filter *f, struct arena *a,
                             struct call **out, size_t *n);
  enum store_rc (*call_set_incident)(struct store_tx *tx, int64_t call_id, int64_t incident_id);

  /* incidents: next_seq returns 1, 2, ... per Jalali year, inside the transaction (a
   * write that is rolled back gives its number back). insert sets ->id; CONFLICT when
   * (year, seq) is taken. */
  enum store_rc (*incident_next_seq)(struct store_tx *tx, int year, int64_t *seq);
  enum store_rc (*incident_insert)(struct store_tx *tx, struct incident *i);
  enum store_rc (*incident_by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct incident *out);
  enum store_rc (*incident_list)(struct store_tx *tx, const struct incident_filter *f, struct arena *a,
                                 struct incident **out, size_t *n);
  /* writes every mutable field (type, priority, status, county, location, address,
   * call_count, times, disposition, updated_ms) of the row i->id */
  enum store_rc (*incident_update)(struct store_tx *tx, const struct incident *i);
  /* incidents not closed or cleared whose updated_ms >= since_ms (repeat-call
   * candidates), latest update first */
  enum store_rc (*incident_list_open_since)(struct store_tx *tx, int64_t since_ms, struct arena *a,
                                            struct incident **out, size_t *n);

  /* timelines: append sets ->id and stores NULL text as "" and NULL data as "{}";
   * list gives an incident's lines oldest first, in the order they were appended */
  enum store_rc (*timeline_append)(struct store_tx *tx, struct timeline_entry *e);
  enum store_rc (*timeline_list)(struct store_tx *tx, int64_t incident_id, struct arena *a,
                                 struct timeline_entry **out, size_t *n);

  /* figures: calls created in [from, to) (to 0: open) with their incidents' times,
   * oldest first */
  enum store_rc (*call_timing_list)(struct store_tx *tx, int64_t from_ms, int64_t to_ms, struct arena *a,
                                    struct call_timing **out, size_t *n);
};

#endif
