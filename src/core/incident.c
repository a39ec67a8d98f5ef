/* incident.c — incident and unit status rules, dispositions, numbers; see incident.h. */
#include "core/incident.h"

#include <stdio.h>
#include <string.h>

#include "locale/locale.h"

#define ZW "\u200c"

/* ---- incident status ------------------------------------------------------------- */

#define BIT(s) (1u << (s))

/* legal[from] = the set of statuses reachable in one move. */
static const unsigned incident_moves[INC_STATUS__COUNT] = {
    [INC_PENDING] = BIT(INC_DISPATCHED) | BIT(INC_CLOSED),
    [INC_DISPATCHED] = BIT(INC_EN_ROUTE) | BIT(INC_ON_SCENE) | BIT(INC_PENDING),
    [INC_EN_ROUTE] = BIT(INC_ON_SCENE) | BIT(INC_PENDING),
    [INC_ON_SCENE] = BIT(INC_CLEARED),
    [INC_CLEARED] = BIT(INC_CLOSED),
    [INC_CLOSED] = 0,
};

static bool incident_status_valid(enum incident_status s) {
  return (int)s >= 0 && s < INC_STATUS__COUNT;
}

bool incident_can_move(enum incident_status from, enum incident_status to) {
  if (!incident_status_valid(from) || !incident_status_valid(to)) return false;
  return (incident_moves[from] & BIT(to)) != 0;
}

bool incident_can_assign(enum incident_status s) {
  return s == INC_PENDING || s == INC_DISPATCHED || s == INC_EN_ROUTE || s == INC_ON_SCENE;
}

/* The time field a move into `to` records, or NULL (pending records none). */
static int64_t *time_field(struct incident *inc, enum incident_status to) {
  switch (to) {
  case INC_DISPATCHED: return &inc->dispatch_ms;
  case INC_EN_ROUTE: return &inc->en_route_ms;
  case INC_ON_SCENE: return &inc->on_scene_ms;
  case INC_CLEARED: return &inc->cleared_ms;
  case INC_CLOSED: return &inc->closed_ms;
  default: return NULL;
  }
}

enum incident_move_rc incident_apply_status(struct incident *inc, enum incident_status to,
                                            int64_t now_ms) {
  if (!incident_can_move(inc->status, to)) return INCIDENT_MOVE_ILLEGAL;
  if (to == INC_CLOSED && !incident_disposition_valid(inc->disposition))
    return INCIDENT_MOVE_NEEDS_DISPOSITION;
  int64_t *t = time_field(inc, to);
  if (t && *t == 0) *t = now_ms;
  inc->status = to;
  inc->updated_ms = now_ms;
  return INCIDENT_MOVE_OK;
}

enum incident_status incident_status_from_units(enum incident_status current,
                                                const enum unit_status *units, size_t n) {
  if (current != INC_DISPATCHED && current != INC_EN_ROUTE && current != INC_ON_SCENE)
    return current;
  enum incident_status furthest = INC_PENDING; /* pending: no unit still on it */
  for (size_t i = 0; i < n; i++) {
    enum incident_status stage = INC_PENDING;
    if (units[i] == UNIT_DISPATCHED) stage = INC_DISPATCHED;
    else if (units[i] == UNIT_EN_ROUTE) stage = INC_EN_ROUTE;
    else if (units[i] == UNIT_ON_SCENE) stage = INC_ON_SCENE;
    if (stage > furthest) furthest = stage;
  }
  if (furthest == INC_PENDING) return current == INC_ON_SCENE ? INC_CLEARED : INC_PENDING;
  return furthest > current ? furthest : current;
}

/* ---- dispositions ------------------------------------------------------------------ */

static const struct incident_disposition dispositions[] = {
    {"report_taken", "تنظیم گزارش", "Report taken"},
    {"arrest", "دستگیری", "Arrest made"},
    {"warning", "تذکر و ارشاد", "Warning given"},
    {"resolved_on_scene", "رفع مشکل در محل", "Resolved on scene"},
    {"reconciled", "مصالحه طرفین", "Parties reconciled"},
    {"referred", "ارجاع به مرجع ذی" ZW "صلاح", "Referred to another authority"},
    {"gone_on_arrival", "ترک محل پیش از رسیدن مأمور", "Gone on arrival"},
    {"unfounded", "واهی بودن گزارش", "Unfounded"},
    {"duplicate", "تماس تکراری", "Duplicate"},
    {"cancelled", "لغو از سوی تماس" ZW "گیرنده", "Cancelled by the caller"},
    {"no_action", "بی" ZW "نیاز به اقدام", "No action needed"},
};

#define NDISPOSITIONS (sizeof dispositions / sizeof dispositions[0])

const struct incident_disposition *incident_dispositions(size_t *n) {
  *n = NDISPOSITIONS;
  return dispositions;
}

const struct incident_disposition *incident_disposition_find(const char *code) {
  if (!code) return NULL;
  for (size_t i = 0; i < NDISPOSITIONS; i++)
    if (strcmp(dispositions[i].code, code) == 0) return &dispositions[i];
  return NULL;
}

bool incident_disposition_valid(const char *code) {
  return incident_disposition_find(code) != NULL;
}

/* ---- numbers ----------------------------------------------------------------------- */

int incident_number_format(int year, int64_t seq, bool latin, char *out, size_t outlen) {
  if (year < 1 || year > 9999 || seq < 1 || seq > 999999999) return -1;
  char tmp[32];
  snprintf(tmp, sizeof tmp, "%04d-%06lld", year, (long long)seq);
  if (latin) {
    int n = snprintf(out, outlen, "%s", tmp);
    return n >= 0 && (size_t)n < outlen ? 0 : -1;
  }
  return loc_digits_to_persian(tmp, out, outlen);
}

static bool all_digits(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

int incident_number_parse(const char *text, int *year, int64_t *seq) {
  char buf[INCIDENT_NUMBER_SIZE];
  /* Persian digits take 2 bytes each: 4 + 1 + 9 digits is at most 27 bytes. */
  if (!text || strlen(text) >= sizeof buf || loc_digits_to_latin(text, buf, sizeof buf) != 0)
    return -1;
  size_t len = strlen(buf);
  if (len < 11 || len > 14 || buf[4] != '-' || !all_digits(buf, 4) || !all_digits(buf + 5, len - 5))
    return -1;
  int y = 0;
  int64_t s = 0;
  for (size_t i = 0; i < 4; i++) y = y * 10 + (buf[i] - '0');
  for (size_t i = 5; i < len; i++) s = s * 10 + (buf[i] - '0');
  if (y < 1 || s < 1) return -1;
  *year = y;
  *seq = s;
  return 0;
}

/* ---- units ------------------------------------------------------------------------- */

static const unsigned unit_moves[UNIT_STATUS__COUNT] = {
    [UNIT_AVAILABLE] = BIT(UNIT_DISPATCHED) | BIT(UNIT_BUSY) | BIT(UNIT_OUT_OF_SERVICE),
    [UNIT_DISPATCHED] = BIT(UNIT_EN_ROUTE) | BIT(UNIT_ON_SCENE) | BIT(UNIT_AVAILABLE),
    [UNIT_EN_ROUTE] = BIT(UNIT_ON_SCENE) | BIT(UNIT_AVAILABLE),
    [UNIT_ON_SCENE] = BIT(UNIT_AVAILABLE),
    [UNIT_BUSY] = BIT(UNIT_AVAILABLE) | BIT(UNIT_OUT_OF_SERVICE),
    [UNIT_OUT_OF_SERVICE] = BIT(UNIT_AVAILABLE) | BIT(UNIT_BUSY),
};

static bool unit_status_valid(enum unit_status s) {
  return (int)s >= 0 && s < UNIT_STATUS__COUNT;
}

bool unit_can_move(enum unit_status from, enum unit_status to) {
  if (!unit_status_valid(from) || !unit_status_valid(to)) return false;
  return (unit_moves[from] & BIT(to)) != 0;
}

bool unit_can_set(enum unit_status from, enum unit_status to) {
  return to != UNIT_DISPATCHED && unit_can_move(from, to);
}

bool unit_status_assigned(enum unit_status s) {
  return s == UNIT_DISPATCHED || s == UNIT_EN_ROUTE || s == UNIT_ON_SCENE;
}

int unit_assign(struct unit *u, int64_t incident_id, int64_t now_ms) {
  if (u->status != UNIT_AVAILABLE || incident_id <= 0) return -1;
  u->status = UNIT_DISPATCHED;
  u->incident_id = incident_id;
  u->status_ms = now_ms;
  return 0;
}

int unit_apply_status(struct unit *u, enum unit_status to, int64_t now_ms) {
  if (!unit_can_set(u->status, to)) return -1;
  u->status = to;
  u->status_ms = now_ms;
  if (to == UNIT_AVAILABLE) u->incident_id = 0;
  return 0;
}
