/* emergency.c — the wire names of the 110 centre's states; see emergency.h. */
#include "core/emergency.h"

#include <string.h>

static const char *const unit_type_names[UNIT_TYPE__COUNT] = {
    [UNIT_CAR] = "car",
    [UNIT_MOTORCYCLE] = "motorcycle",
    [UNIT_TRAFFIC] = "traffic",
    [UNIT_SPECIAL] = "special",
};

static const char *const unit_status_names[UNIT_STATUS__COUNT] = {
    [UNIT_AVAILABLE] = "available", [UNIT_DISPATCHED] = "dispatched",
    [UNIT_EN_ROUTE] = "en_route",   [UNIT_ON_SCENE] = "on_scene",
    [UNIT_BUSY] = "busy",           [UNIT_OUT_OF_SERVICE] = "out_of_service",
};

static const char *const tcall_state_names[TCALL_STATE__COUNT] = {
    [TCALL_RINGING] = "ringing",
    [TCALL_ANSWERED] = "answered",
    [TCALL_ENDED] = "ended",
    [TCALL_ABANDONED] = "abandoned",
};

static const char *const call_outcome_names[CALL_OUTCOME__COUNT] = {
    [CALL_OPERATION] = "operation",
    [CALL_NON_EMERGENCY] = "non_emergency",
    [CALL_GUIDANCE] = "guidance",
    [CALL_INVALID] = "invalid",
};

static const char *const incident_status_names[INC_STATUS__COUNT] = {
    [INC_PENDING] = "pending",   [INC_DISPATCHED] = "dispatched", [INC_EN_ROUTE] = "en_route",
    [INC_ON_SCENE] = "on_scene", [INC_CLEARED] = "cleared",       [INC_CLOSED] = "closed",
};

/* The enums are compared as ints so that a value read from a database or cast from
 * user input that lies outside the enum is answered with NULL, not read past the end. */
static const char *name_at(const char *const *names, int count, int v) {
  return v >= 0 && v < count ? names[v] : NULL;
}

static int index_of(const char *const *names, int count, const char *s) {
  if (!s) return -1;
  for (int i = 0; i < count; i++)
    if (strcmp(names[i], s) == 0) return i;
  return -1;
}

const char *unit_type_name(enum unit_type t) {
  return name_at(unit_type_names, UNIT_TYPE__COUNT, (int)t);
}

int unit_type_parse(const char *s, enum unit_type *out) {
  int i = index_of(unit_type_names, UNIT_TYPE__COUNT, s);
  if (i < 0) return -1;
  *out = (enum unit_type)i;
  return 0;
}

const char *unit_status_name(enum unit_status s) {
  return name_at(unit_status_names, UNIT_STATUS__COUNT, (int)s);
}

int unit_status_parse(const char *s, enum unit_status *out) {
  int i = index_of(unit_status_names, UNIT_STATUS__COUNT, s);
  if (i < 0) return -1;
  *out = (enum unit_status)i;
  return 0;
}

const char *tcall_state_name(enum tcall_state s) {
  return name_at(tcall_state_names, TCALL_STATE__COUNT, (int)s);
}

int tcall_state_parse(const char *s, enum tcall_state *out) {
  int i = index_of(tcall_state_names, TCALL_STATE__COUNT, s);
  if (i < 0) return -1;
  *out = (enum tcall_state)i;
  return 0;
}

const char *call_outcome_name(enum call_outcome o) {
  return name_at(call_outcome_names, CALL_OUTCOME__COUNT, (int)o);
}

int call_outcome_parse(const char *s, enum call_outcome *out) {
  int i = index_of(call_outcome_names, CALL_OUTCOME__COUNT, s);
  if (i < 0) return -1;
  *out = (enum call_outcome)i;
  return 0;
}

const char *incident_status_name(enum incident_status s) {
  return name_at(incident_status_names, INC_STATUS__COUNT, (int)s);
}

int incident_status_parse(const char *s, enum incident_status *out) {
  int i = index_of(incident_status_names, INC_STATUS__COUNT, s);
  if (i < 0) return -1;
  *out = (enum incident_status)i;
  return 0;
}
