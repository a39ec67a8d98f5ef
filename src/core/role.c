/* role.c — role names; see role.h. */
#include "core/role.h"

#include <string.h>

static const struct {
  enum role role;
  const char *name;
} roles[] = {
    {ROLE_CALL_TAKER, "call_taker"}, {ROLE_DISPATCHER, "dispatcher"},
    {ROLE_SUPERVISOR, "supervisor"}, {ROLE_OVERSIGHT, "oversight"},
    {ROLE_RECORDS, "records"},       {ROLE_ANALYST, "analyst"},
    {ROLE_COMMANDER, "commander"},   {ROLE_ADMIN, "admin"},
    {ROLE_TELEPHONY, "telephony"},   {ROLE_OPEN311, "open311"},
    {ROLE_UNIT, "unit"},
};

const char *role_name(enum role r) {
  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
    if (roles[i].role == r) return roles[i].name;
  return NULL;
}

int role_parse(const char *name, enum role *out) {
  if (!name) return -1;
  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
    if (strcmp(roles[i].name, name) == 0) {
      *out = roles[i].role;
      return 0;
    }
  return -1;
}

void role_each(role_set set, void (*fn)(void *cls, enum role r), void *cls) {
  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
    if (set & roles[i].role) fn(cls, roles[i].role);
}
