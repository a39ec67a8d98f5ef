/* store_feedback.h — the 197 desk's part of the store interface: contacts, their
 * timelines and commendations (records in core/feedback.h).
 *
 * It is one member of struct store (`s->fb`), so callbacks reach it as
 *   store_of(tx)->fb.insert(tx, &f);
 * The rules of store.h hold here too: functions run inside the callbacks of
 * store_write()/store_read(), return data in the caller's arena, and answer
 * STORE_NOT_FOUND / STORE_CONFLICT as ordinary results. Optional strings left NULL are
 * read back as NULL; ids that are 0 mean none. References are checked: a contact's
 * county, station and assigned user, a timeline line's contact, a commendation's
 * county, station and contact must exist (STORE_NOT_FOUND otherwise); unit and
 * officer are kept as given (free codes).
 */
#ifndef HAMYAR_STORE_STORE_FEEDBACK_H
#define HAMYAR_STORE_STORE_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/feedback.h"

#include "store/store_rc.h"

struct arena;
struct store_tx;

struct feedback_filter {
  unsigned status_mask;     /* bit (1 << enum fb_status); 0: any */
  int kind;                 /* -1: any, else enum fb_kind */
  int channel;              /* -1: any, else enum fb_channel */
  const char *category;     /* NULL: any */
  const char *county;       /* NULL: any */
  const char *station;      /* NULL: any */
  const char *officer;      /* NULL: any */
  int64_t assigned_to;      /* 0: any */
  int64_t overdue_at;       /* 0: any; else only contacts overdue at that time (not
                               answered or closed, due_ms < overdue_at) */
  bool public_only;         /* only contacts that came through the web or Open311 */
  int64_t from_ms, to_ms;   /* received_ms in [from, to); 0: open */
  int64_t updated_from_ms, updated_to_ms; /* updated_ms in [from, to); 0: open (Open311) */
  int64_t before_id;        /* cursor: id < before_id; 0: from the newest */
  size_t limit;             /* newest first; 0 means 100 */
};

struct commendation_filter {
  int64_t from_ms, to_ms;   /* deed_ms in [from, to); 0: open */
  const char *county;       /* NULL: any */
  int64_t before_id;
  size_t limit;             /* newest first; 0 means 100 */
};

struct store_feedback {
  /* next_seq returns 1, 2, ... per Jalali year inside the transaction (a rolled-back
   * write gives its number back). insert sets ->id; CONFLICT when (year, seq) or the
   * tracking code's hash is taken (the caller draws a new code and retries). */
  enum store_rc (*next_seq)(struct store_tx *tx, int year, int64_t *seq);
  enum store_rc (*insert)(struct store_tx *tx, struct feedback *f);
  enum store_rc (*by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct feedback *out);
  enum store_rc (*by_code)(struct store_tx *tx, const uint8_t code_hash[32], struct arena *a,
                           struct feedback *out);
  enum store_rc (*by_number)(struct store_tx *tx, int year, int64_t seq, struct arena *a,
                             struct feedback *out);
  /* NULL filter lists everything (newest first, 100). */
  enum store_rc (*list)(struct store_tx *tx, const struct feedback_filter *f, struct arena *a,
                        struct feedback **out, size_t *n);
  /* Every contact received in [from, to) (to 0: open), oldest first, unbounded: the
   * rows the figures are computed from. */
  enum store_rc (*list_period)(struct store_tx *tx, int64_t from_ms, int64_t to_ms, struct arena *a,
                               struct feedback **out, size_t *n);
  /* Writes every mutable field of f->id: kind, category, classification_confirmed,
   * county, station, unit, officer, officer_name, status, outcome, assigned_to,
   * due_ms, assigned_ms, answered_ms, closed_ms, updated_ms. */
  enum store_rc (*update)(struct store_tx *tx, const struct feedback *f);

  /* timelines: append sets ->id and stores NULL text as "" and NULL data as "{}";
   * list gives a contact's lines oldest first (citizen_only: only for_citizen lines) */
  enum store_rc (*entry_append)(struct store_tx *tx, struct feedback_entry *e);
  enum store_rc (*entry_list)(struct store_tx *tx, int64_t feedback_id, bool citizen_only,
                              struct arena *a, struct feedback_entry **out, size_t *n);

  /* commendations: insert sets ->id */
  enum store_rc (*commendation_insert)(struct store_tx *tx, struct commendation *c);
  enum store_rc (*commendation_by_id)(struct store_tx *tx, int64_t id, struct arena *a,
                                      struct commendation *out);
  enum store_rc (*commendation_list)(struct store_tx *tx, const struct commendation_filter *f,
                                     struct arena *a, struct commendation **out, size_t *n);
};

#endif
