/* incident_type.h — hamyar's list of incident types: what a 110 call is about.
 *
 * A call-taker picks one type per call; it suggests the call's priority, decides which
 * open incidents a new call may repeat (repeat.h: same or related type) and which unit
 * types may be sent (dispatch.h: by group). The list is served at
 * GET /api/v1/incident-types.
 *
 * Each type has a stable snake_case code (stored in calls and incidents: never rename
 * one), Persian and English names, the APCO ANS 2.103.1 ("Public Safety
 * Communications Common Incident Types for Data Exchange") type it maps to, or NULL
 * where none fits (smuggling, illegal aliens are police matters APCO names differently
 * or not at all), a default priority 1 (most urgent) .. 4, a group, and Persian search
 * keywords. Types in the same group are "related"; a few pairs across groups that
 * callers often describe the same event with (a fight and a disturbance, a missing
 * child and a kidnapping) are related too.
 *
 * Memory: everything here is static and read-only; pointers stay valid for the life of
 * the program. All functions are thread-safe. incident_type_search needs loc_init()
 * (it normalises the query with loc_normalize); the others need nothing.
 */
#ifndef HAMYAR_CORE_INCIDENT_TYPE_H
#define HAMYAR_CORE_INCIDENT_TYPE_H

#include <stdbool.h>
#include <stddef.h>

enum incident_group {
  IGROUP_VIOLENCE = 0, /* against persons: assault, shooting, kidnapping ... */
  IGROUP_PROPERTY,     /* theft, burglary, robbery, vandalism */
  IGROUP_TRAFFIC,      /* crashes and dangerous driving */
  IGROUP_DISORDER,     /* public order, disputes, harassment, noise */
  IGROUP_DRUGS,        /* drugs and smuggling */
  IGROUP_PERSONS,      /* missing, suspicious, at-risk persons */
  IGROUP_HAZARD,       /* fire, flood, drowning, hazardous materials */
  IGROUP_CYBER_FRAUD,  /* fraud, online crime */
  IGROUP_NON_EMERGENCY,
  IGROUP__COUNT
};

struct incident_group_info {
  enum incident_group group;
  const char *code;    /* "violence" */
  const char *name_fa;
  const char *name_en;
};

#define INCIDENT_TYPE_KEYWORDS_MAX 10

struct incident_type {
  const char *code;    /* "street_robbery" */
  const char *name_fa; /* "زورگیری و کیف‌قاپی" */
  const char *name_en;
  const char *apco;    /* APCO common incident type name, or NULL */
  int priority;        /* default priority 1..4 */
  enum incident_group group;
  /* Persian words callers use for it, NULL-terminated (at most MAX - 1 of them) */
  const char *keywords[INCIDENT_TYPE_KEYWORDS_MAX];
};

/* The whole list, in display order; *n gets its length. */
const struct incident_type *incident_type_all(size_t *n);
/* The type with this code, or NULL. */
const struct incident_type *incident_type_find(const char *code);

/* The groups, indexed by enum incident_group. NULL when out of range. */
const struct incident_group_info *incident_group_info(enum incident_group g);
/* The code of a type's group ("violence"); NULL for an unknown type code. */
const char *incident_type_group_code(const char *type_code);

/* True when a and b are the same code, in the same group, or one of the listed
 * cross-group pairs. False when either code is unknown (unless they are equal). */
bool incident_types_related(const char *a, const char *b);

/* Finds types for what a call-taker types: matches the query against the Persian
 * name and keywords after loc_normalize (Arabic ي/ك typed on an Arabic keyboard match
 * ی/ک), ignoring spaces and ZWNJ (so «کیف قاپی» finds «کیف‌قاپی»), and against the
 * English name and the code without regard to ASCII case. Ranked:
 *   0. the query is a whole name or code;
 *   1. a name or the code starts with it;
 *   2. a word of a name or a keyword starts with it;
 *   3. it occurs inside a name or keyword;
 * ties keep list order. Writes up to `max` types to out; returns how many, 0 for an
 * empty or blank query, -1 when the query is not valid UTF-8, longer than 256 bytes,
 * or loc_normalize fails. */
int incident_type_search(const char *query, const struct incident_type **out, size_t max);

#endif
