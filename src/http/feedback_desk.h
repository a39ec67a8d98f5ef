/* feedback_desk.h — what the 197 desk's own handler files share beyond feedback.h
 * (feedback_desk.c, feedback_actions.c, commendations.c, feedback_stats.c): who may
 * see a contact, loading one for the caller, checking the places and officer a
 * request names, and the classifier's suggestion as the API shows it.
 *
 * Everything here answers through the request (http_set_error inside a transaction,
 * http_reply_error outside) and allocates from req->arena; json_t values returned are
 * new references the caller owns.
 */
#ifndef HAMYAR_HTTP_FEEDBACK_DESK_H
#define HAMYAR_HTTP_FEEDBACK_DESK_H

#include <jansson.h>
#include <stdbool.h>

#include "core/feedback.h"
#include "core/feedback_classify.h"
#include "http/feedback.h"
#include "http/http.h"

/* Contacts shown per page, and at most. */
#define FEEDBACK_PAGE_DEFAULT 50
#define FEEDBACK_PAGE_MAX 200

/* The desk (oversight) sees every contact; anyone else working contacts (a
 * supervisor) only those assigned to them. */
bool feedback_visible(const struct http_req *req, const struct feedback *f);

/* Reads contact `id` for the caller: STORE_NOT_FOUND when there is none or the caller
 * may not see it, so that a supervisor cannot tell another's contact from a missing
 * one (http_write answers 404). */
enum store_rc feedback_load(struct http_req *req, struct store_tx *tx, int64_t id, struct feedback *f);

/* "feedback:12", the audit and event subject of a contact (in the arena). */
const char *feedback_subject(struct http_req *req, int64_t id);

/* Parses path argument 0 as a contact id into an int64_t in the arena, sets req->ctx
 * to it and runs fn in a write transaction (reads are audited, so they write too). */
http_status_t feedback_with_id(struct http_req *req, store_tx_fn fn);

/* Inside a transaction: checks the county and station codes a request gives (either
 * may be NULL) against the reference data and derives the county from the station
 * when only the station is given. An unknown code, or a county that is not the
 * station's, sets the 400 answer naming county_field or station_field and
 * *ok = false. */
enum store_rc feedback_place_check(struct http_req *req, struct store_tx *tx, const char *county_field,
                                   const char *station_field, const char **county, const char **station, bool *ok);

/* A citizen's phone number as stored: Latin digits only (http_phone_number, with an
 * international '+' written as the 00 dialled for it), in the arena; NULL when it is
 * not a phone number (or out of memory). */
const char *feedback_phone_number(struct arena *a, const char *typed);
/* The same, replying 400 naming `field` when it is not one. */
const char *feedback_phone_or_reply(struct http_req *req, const char *field, const char *typed);

/* An officer's personnel number as stored: Latin digits only (Persian and
 * Arabic-Indic digits read; spaces and dashes dropped), 1 to 20 of them. NULL when it
 * is not one. */
const char *feedback_officer_number(struct arena *a, const char *typed);

/* {"found","kind","category","score","reasons":[{"term","category","weight"}]}; kind
 * and category are null when nothing matched. */
json_t *json_fb_suggestion(const struct fb_suggestion *s);

/* feedback_record, also giving back the stored line (strings in req->arena). */
enum store_rc feedback_record_line(struct http_req *req, struct store_tx *tx, const struct feedback *f,
                                   const char *kind, bool for_citizen, const char *text, json_t *data,
                                   struct feedback_entry *line);

#endif
