/* role.h — who may do what: the roles of DESIGN.md §4 as a bit set.
 *
 * People hold one or more person roles; an API key holds exactly one integration
 * role. A route, an event and a record declare the set of roles that may see them,
 * and access is the intersection of that set with the caller's.
 */
#ifndef HAMYAR_CORE_ROLE_H
#define HAMYAR_CORE_ROLE_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t role_set;

enum role {
  ROLE_CALL_TAKER = 1u << 0,
  ROLE_DISPATCHER = 1u << 1,
  ROLE_SUPERVISOR = 1u << 2,
  ROLE_OVERSIGHT = 1u << 3, /* the 197 desk */
  ROLE_RECORDS = 1u << 4,
  ROLE_ANALYST = 1u << 5,
  ROLE_COMMANDER = 1u << 6, /* read-only */
  ROLE_ADMIN = 1u << 7,
  ROLE_TELEPHONY = 1u << 8, /* integration: the phone system (API keys only) */
  ROLE_OPEN311 = 1u << 9,   /* integration: Open311 clients (API keys only) */
  ROLE_UNIT = 1u << 10,     /* integration: a patrol unit's own device (API keys bound to
                               one unit, which it alone may act on) */
};

#define ROLES_PERSON                                                                  \
  (ROLE_CALL_TAKER | ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_OVERSIGHT | ROLE_RECORDS | \
   ROLE_ANALYST | ROLE_COMMANDER | ROLE_ADMIN)
#define ROLES_INTEGRATION (ROLE_TELEPHONY | ROLE_OPEN311 | ROLE_UNIT)
#define ROLES_ALL (ROLES_PERSON | ROLES_INTEGRATION)

/* The snake_case name of one role ("call_taker"), or NULL if r is not exactly one role. */
const char *role_name(enum role r);

/* Parses one role name. 0 on success, -1 when unknown. */
int role_parse(const char *name, enum role *out);

/* Calls fn for each role in the set, in bit order. */
void role_each(role_set set, void (*fn)(void *cls, enum role r), void *cls);

static inline bool role_allows(role_set allowed, role_set held) {
  return (allowed & held) != 0;
}

#endif
