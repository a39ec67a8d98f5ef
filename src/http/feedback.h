/* feedback.h — what the 197 desk's handlers share: the JSON form of its records, the
 * roles that see its live events, its tunable rules, and one way to create a contact
 * and one way to record a step of its workflow (timeline line + audit row + live
 * event, in the caller's transaction).
 *
 * Handlers: feedback_desk.c, feedback_actions.c (the desk's inbox and workflow),
 * commendations.c (commendations, officers' records), feedback_stats.c (figures),
 * feedback_public.c (the public form and tracking page), open311.c (Open311 GeoReport
 * v2). Contacts come in three ways — the desk, the public form, Open311 — and all of
 * them go through feedback_create().
 *
 * The json_* functions return new references the caller owns; `latin` chooses Latin
 * digits in the human-readable fields (contact numbers), per the caller's preference.
 * Live events carry no personal data (no citizen, no text): a console reads the
 * contact itself, which audits the read.
 */
#ifndef HAMYAR_HTTP_FEEDBACK_H
#define HAMYAR_HTTP_FEEDBACK_H

#include <jansson.h>
#include <stdbool.h>

#include "core/feedback.h"
#include "http/http.h"

/* Who works contacts: the desk sees every contact, a supervisor only those assigned to
 * them (checked by the handlers). They receive the desk's live events. */
#define ROLES_FEEDBACK (ROLE_OVERSIGHT | ROLE_SUPERVISOR)

struct feedback_config {
  int deadline_days;        /* days from receipt to the answer (10) */
  unsigned public_per_min;  /* public form submissions per client address per minute (3) */
  unsigned track_per_min;   /* tracking-page lookups per client address per minute (20) */
  size_t text_max;          /* longest text accepted, in bytes (8000) */
};

struct feedback_config feedback_config_default(void);
/* The rules the server runs with: app->fb, or the defaults when it is not set. */
const struct feedback_config *http_feedback_config(const struct http_req *req);

/* The desk's view of a contact: everything, with "number" ("1404-000123" in the
 * caller's digits), "overdue" at now_ms and the classifier's suggestion. */
json_t *json_feedback(const struct feedback *f, int64_t now_ms, bool latin);
/* The citizen's view: number, kind, category, status (with Persian labels), received,
 * answered and closed times, outcome. Never the citizen's own data, the subject, the
 * officer or internal notes. */
json_t *json_feedback_public(const struct feedback *f);
json_t *json_feedback_entry(const struct feedback_entry *e);
/* The contact's number, "1404-000123" (latin) or in Persian digits; JSON null when
 * year or seq is out of range. */
json_t *json_feedback_number(const struct feedback *f, bool latin);
json_t *json_commendation(const struct commendation *c);

/* Inside a write transaction: stores a new contact. The caller fills channel, kind,
 * category (may be NULL), citizen, subject, text (already normalised), location and
 * created_by; this fills year, seq, a new tracking code and its hash (drawing again on
 * a collision), the classifier's suggestion, status received, received/due/updated
 * times, then records the line "received" (audit "feedback.received", event
 * "feedback.created"). The code's 12 digits go to code_out: show them once. */
enum store_rc feedback_create(struct http_req *req, struct store_tx *tx, struct feedback *f,
                              char code_out[FB_CODE_DIGITS + 1]);

/* Inside a write transaction: appends a timeline line for `f` (kind, for_citizen,
 * text, data — data may be NULL and is not stolen), an audit row "feedback.<kind>",
 * and the live event "feedback.updated" for ROLES_FEEDBACK. The caller has already
 * stored its change to f. */
enum store_rc feedback_record(struct http_req *req, struct store_tx *tx, const struct feedback *f,
                              const char *kind, bool for_citizen, const char *text, json_t *data);

#endif
