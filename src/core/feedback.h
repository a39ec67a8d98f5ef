/* feedback.h — the records and rules of the 197 public oversight desk: citizens'
 * contacts (praise, complaints, suggestions, reports, enquiries), their workflow and
 * timeline, tracking codes, deadlines, and commendations of citizens.
 *
 * Plain records shared by core (rules), store (persistence) and http (the wire), in
 * the manner of emergency.h. Strings are borrowed: whoever filled the record owns them
 * (usually an arena). Optional strings are NULL when not known. Times are UTC
 * milliseconds; 0 means "not yet".
 *
 * Workflow of a contact (fb_transition_check has the rule):
 *   received → assigned → under_review → answered → closed
 * - assigned: to the responsible station's supervisor (a user), with the station;
 *   re-assigning an assigned or under-review contact is allowed (status unchanged).
 * - answered: a reply meant for the citizen has been written.
 * - closed: always with an outcome. From answered any outcome; from received, assigned
 *   or under_review only `withdrawn` or `forwarded` (a contact is not judged unanswered).
 * - answered → under_review reopens a contact (the citizen wrote back).
 * Every other move is refused; the API answers 409.
 *
 * Deadline: due_ms = received_ms + the configured days (default 10). A contact is
 * overdue while it is not yet answered or closed and now > due_ms.
 *
 * Tracking codes are what a citizen holds to follow a contact: 12 decimal digits, the
 * first 11 random (libsodium) and the last a Damm check digit, shown in groups of four
 * ("4821-7730-1956", in Persian digits on Persian pages). Digits are unambiguous read
 * aloud in Persian, the check digit catches a mistyped or misheard digit before any
 * lookup, and 10^11 codes against a rate-limited lookup cannot be guessed. Only the
 * SHA-256 of a code is stored, like a password: the code is shown once, when made.
 */
#ifndef HAMYAR_CORE_FEEDBACK_H
#define HAMYAR_CORE_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fb_channel { FB_PHONE = 0, FB_WEB, FB_IN_PERSON, FB_LETTER, FB_OPEN311, FB_CHANNEL__COUNT };

enum fb_kind { FB_PRAISE = 0, FB_COMPLAINT, FB_SUGGESTION, FB_REPORT, FB_ENQUIRY, FB_KIND__COUNT };

enum fb_status {
  FB_RECEIVED = 0,
  FB_ASSIGNED,
  FB_UNDER_REVIEW,
  FB_ANSWERED,
  FB_CLOSED,
  FB_STATUS__COUNT
};

enum fb_outcome {
  FB_OUTCOME_NONE = 0, /* not closed yet */
  FB_SUBSTANTIATED,
  FB_NOT_SUBSTANTIATED,
  FB_RECONCILED,
  FB_WITHDRAWN,
  FB_FORWARDED,
  FB_OUTCOME__COUNT
};

/* One contact with the 197 desk. */
struct feedback {
  int64_t id;
  int year;                  /* Jalali year of receipt */
  int64_t seq;               /* sequence within the year: number "1404-000123" */
  uint8_t code_hash[32];     /* SHA-256 of the tracking code's 12 digits (ASCII) */
  enum fb_channel channel;
  enum fb_kind kind;         /* as confirmed by the officer, or as given by the citizen */
  const char *category;      /* subject category code (feedback_classify.h), NULL: none yet */
  /* the citizen; all NULL for an anonymous contact */
  const char *citizen_name;
  const char *citizen_phone;       /* digits only, Latin */
  const char *citizen_national_id; /* 10 digits, Latin, checksum verified */
  /* the subject, when known */
  const char *county;        /* county code */
  const char *station;       /* station code */
  const char *unit;          /* unit code */
  const char *officer;       /* the officer's personnel number, digits only, Latin */
  const char *officer_name;  /* as the citizen gave it */
  const char *text;          /* normalised Persian text */
  bool has_location;         /* Open311 requests may carry a place */
  double lat, lon;
  const char *address;
  /* the classifier's suggestion (kept for measuring it) and whether an officer
   * confirmed or corrected kind and category */
  enum fb_kind suggested_kind;
  const char *suggested_category;  /* NULL when the classifier found nothing */
  bool classification_confirmed;
  enum fb_status status;
  enum fb_outcome outcome;   /* FB_OUTCOME_NONE until closed */
  int64_t assigned_to;       /* user id of the supervisor it is assigned to, 0: none */
  int64_t received_ms, due_ms, assigned_ms, answered_ms, closed_ms, updated_ms;
  int64_t created_by;        /* user id of the desk officer, 0 for the public form/Open311 */
};

/* One line of a contact's timeline. Lines are appended, never edited. Only lines with
 * for_citizen set are ever shown to the citizen (the public tracking page, Open311). */
struct feedback_entry {
  int64_t id;
  int64_t feedback_id;
  int64_t time_ms;
  int64_t actor_id;          /* user id, 0 for the citizen or the system */
  const char *actor;         /* username, "citizen", "system" */
  const char *kind;          /* "received", "classified", "assigned", "status", "reply",
                                "note", "closed" */
  bool for_citizen;          /* a reply to the citizen; false: internal */
  const char *text;          /* "" when none */
  const char *data;          /* JSON object text, "{}" when none */
};

/* A citizen commended for helping the police. */
struct commendation {
  int64_t id;
  const char *citizen_name;
  const char *citizen_phone;     /* NULL when not given */
  const char *reason;            /* normalised Persian text: what they did */
  int64_t deed_ms;               /* when they helped (UTC ms; a day is fine) */
  const char *county;            /* county code, NULL when not given */
  const char *proposed_by_unit;  /* unit code that proposed it, NULL when none */
  const char *proposed_by_station; /* station code, NULL when none */
  int64_t feedback_id;           /* the 197 contact it came from, 0 when none */
  int64_t created_ms;
  int64_t created_by;
};

/* Names on the wire ("in_person", "under_review", "not_substantiated", ...). NULL when
 * out of range (fb_outcome_name(FB_OUTCOME_NONE) is NULL); *_parse return 0 or -1
 * (fb_outcome_parse never yields FB_OUTCOME_NONE). */
const char *fb_channel_name(enum fb_channel c);
int fb_channel_parse(const char *s, enum fb_channel *out);
const char *fb_kind_name(enum fb_kind k);
int fb_kind_parse(const char *s, enum fb_kind *out);
const char *fb_status_name(enum fb_status s);
int fb_status_parse(const char *s, enum fb_status *out);
const char *fb_outcome_name(enum fb_outcome o);
int fb_outcome_parse(const char *s, enum fb_outcome *out);
/* Persian labels for pages and figures ("ستایش", "شکایت", ...). */
const char *fb_kind_label_fa(enum fb_kind k);
const char *fb_status_label_fa(enum fb_status s);
const char *fb_outcome_label_fa(enum fb_outcome o);

/* The workflow rule above. `outcome` matters only when `to` is FB_CLOSED (it must then
 * be set). Returns NULL when the move is allowed, else a short English reason for the
 * 409 answer ("a contact is closed with an outcome", "closed contacts do not move"). */
const char *fb_transition_check(enum fb_status from, enum fb_status to, enum fb_outcome outcome);

/* Deadlines. */
int64_t fb_due_ms(int64_t received_ms, int deadline_days);
bool fb_is_overdue(const struct feedback *f, int64_t now_ms);

/* Tracking codes. FB_CODE_DIGITS digits; the formatted form "dddd-dddd-dddd" fits in
 * FB_CODE_TEXT bytes in Latin digits and FB_CODE_TEXT_FA in Persian digits. */
#define FB_CODE_DIGITS 12
#define FB_CODE_TEXT 15
#define FB_CODE_TEXT_FA 28
/* A new random code: 12 ASCII digits and a NUL. Needs sodium_init(). */
void fb_code_new(char out[FB_CODE_DIGITS + 1]);
/* Reads what a citizen typed: Latin, Persian or Arabic-Indic digits, with any spaces
 * or dashes between them. 0 and the 12 ASCII digits in out when it is 12 digits with
 * a right check digit; -1 otherwise (nothing is looked up for a mistyped code). */
int fb_code_parse(const char *text, char out[FB_CODE_DIGITS + 1]);
/* "4821-7730-1956" (persian false) or with Persian digits. */
void fb_code_format(const char digits[FB_CODE_DIGITS + 1], bool persian, char *out, size_t outlen);
/* A formatted code inside Persian text goes between these (U+2066 LEFT-TO-RIGHT ISOLATE,
 * U+2069 POP DIRECTIONAL ISOLATE), or its groups show in reverse order. */
#define FB_LTR_ISOLATE "\xE2\x81\xA6"
#define FB_POP_ISOLATE "\xE2\x81\xA9"
/* SHA-256 of the 12 digits, as stored. Needs sodium_init(). */
void fb_code_hash(const char digits[FB_CODE_DIGITS + 1], uint8_t out[32]);

/* Iranian national id (کد ملی): 10 digits with its check digit. Accepts Latin, Persian
 * or Arabic-Indic digits and writes the 10 ASCII digits to out. 0 or -1. */
int fb_national_id_parse(const char *text, char out[11]);

#endif
