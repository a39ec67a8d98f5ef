/* feedback_desk.c — the 197 desk's inbox: taking a contact by phone, in person or by
 * letter (POST /api/v1/feedback), the list and one contact with its timeline, the
 * officer's confirmation or correction of its classification (PATCH), and the
 * classifier and category list the desk's screen uses.
 *
 * Intake: kind and category are the officer's when given. With neither, the contact
 * takes the classifier's suggestion (kind and category), or "enquiry" when the
 * lexicon found nothing, and stays unconfirmed until an officer confirms it (PATCH);
 * with both, the officer has classified it and it is confirmed. A category implies
 * its kind, so a category of another kind than the one given is refused. The subject's
 * county is the station's when only a station is named.
 *
 * The tracking code is in the 201 answer only (both digit forms). With an
 * Idempotency-Key that answer is stored for the retry, code included: an officer
 * whose connection dropped must still be able to read the code to the citizen, and
 * a contact whose code nobody saw could never be followed. The code is otherwise kept
 * only as its hash.
 *
 * Every read of a contact is audited (feedback.read, feedback.list, ...); a supervisor
 * reads only contacts assigned to them (feedback_desk.h).
 */
#include <string.h>

#include "http/accounts.h"
#include "http/emergency.h"
#include "http/feedback_desk.h"
#include "http/jspec.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

/* Wire names the desk accepts, in the order of enum fb_kind; channels are the desk's
 * own (the web form and Open311 come in through their routes). */
static const char *const kind_names[] = {"praise", "complaint", "suggestion", "report", "enquiry", NULL};
static const char *const desk_channels[] = {"phone", "in_person", "letter", "web", NULL};

#define NAME_MAX_BYTES 200
#define CODE_MAX_BYTES 64

/* Parses the member object `obj` by `spec`, answering 400 with "prefix.field". */
static int member_parse_or_reply(struct http_req *req, json_t *obj, const char *prefix, const struct jspec *spec) {
  struct jspec_error err;
  if (jspec_parse(obj, spec, req->arena, &err) == 0) return 0;
  const char *where = err.field ? arena_printf(req->arena, "%s.%s", prefix, err.field) : prefix;
  http_reply_error(req, err.code, where ? where : prefix, err.message);
  return -1;
}

/* ---- the subject of a contact ---------------------------------------------------------- */

enum { SUBJ_COUNTY, SUBJ_STATION, SUBJ_UNIT, SUBJ_OFFICER, SUBJ_OFFICER_NAME, SUBJ__COUNT };
static const char *const subject_fields[] = {"county", "station", "unit", "officer", "officer_name"};

struct subject_in {
  const char *v[SUBJ__COUNT]; /* as given, NULL when absent */
  bool cleared[SUBJ__COUNT];  /* given as null: PATCH clears it */
};

static int subject_parse_or_reply(struct http_req *req, json_t *obj, struct subject_in *s) {
  *s = (struct subject_in){0};
  if (!obj) return 0;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRING, "county", &s->v[SUBJ_COUNTY], 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "station", &s->v[SUBJ_STATION], 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "unit", &s->v[SUBJ_UNIT], 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "officer", &s->v[SUBJ_OFFICER], 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(TEXT, "officer_name", &s->v[SUBJ_OFFICER_NAME], 1, NAME_MAX_BYTES),
      JSPEC_END,
  };
  if (member_parse_or_reply(req, obj, "subject", spec) != 0) return -1;
  for (int i = 0; i < SUBJ__COUNT; i++) s->cleared[i] = json_is_null(json_object_get(obj, subject_fields[i]));
  if (s->v[SUBJ_OFFICER] && !(s->v[SUBJ_OFFICER] = feedback_officer_number(req->arena, s->v[SUBJ_OFFICER]))) {
    http_reply_error(req, ERR_INVALID_FIELD, "subject.officer", "must be the officer's personnel number: 1 to 20 digits");
    return -1;
  }
  return 0;
}

/* The subject's fields of f, in the order of subject_fields. */
static const char **subject_of(struct feedback *f, int i) {
  const char **fields[] = {&f->county, &f->station, &f->unit, &f->officer, &f->officer_name};
  return fields[i];
}

static void subject_apply(const struct subject_in *s, struct feedback *f) {
  for (int i = 0; i < SUBJ__COUNT; i++) {
    if (s->v[i]) *subject_of(f, i) = s->v[i];
    else if (s->cleared[i]) *subject_of(f, i) = NULL;
  }
}

/* kind (an index of kind_names, -1 absent) and category (NULL absent) as a request
 * gives them: the category must exist and belong to the kind. *kind_out is the
 * category's kind when only the category is given. */
static int classification_or_reply(struct http_req *req, int kind, const char *category, int *kind_out) {
  *kind_out = kind;
  if (!category) return 0;
  const struct fb_category *c = fb_category_find(category);
  if (!c) {
    http_reply_error(req, ERR_INVALID_FIELD, "category", "Unknown category; GET /api/v1/feedback/categories lists them.");
    return -1;
  }
  if (kind >= 0 && (int)c->kind != kind) {
    http_reply_error(req, ERR_INVALID_FIELD, "category",
                     arena_printf(req->arena, "This category belongs to kind %s; give that kind or none.",
                                  fb_kind_name(c->kind)));
    return -1;
  }
  *kind_out = (int)c->kind;
  return 0;
}

/* ---- POST /api/v1/feedback ------------------------------------------------------------- */

struct intake {
  struct feedback f;
  struct fb_suggestion s;
};

static enum store_rc intake_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct intake *in = req->ctx;
  struct feedback f = in->f; /* the store may run this again: start from the request each time */
  char code[FB_CODE_DIGITS + 1];
  bool ok;
  enum store_rc rc = feedback_place_check(req, tx, "subject.county", "subject.station", &f.county, &f.station, &ok);
  if (rc != STORE_OK || !ok) return rc;
  rc = feedback_create(req, tx, &f, code);
  if (rc != STORE_OK) return rc;
  char latin[FB_CODE_TEXT], persian[FB_CODE_TEXT_FA];
  fb_code_format(code, false, latin, sizeof latin);
  fb_code_format(code, true, persian, sizeof persian);
  http_set_result(req, 201,
                  json_pack("{s:o,s:s,s:s,s:o}", "feedback", json_feedback(&f, clock_now_ms(), req->who.latin_digits),
                            "tracking_code", latin, "tracking_code_fa", persian, "suggestion", json_fb_suggestion(&in->s)));
  return STORE_OK;
}

/* The citizen of an intake: name, phone, national id (each checked, in Latin digits). */
static int citizen_parse_or_reply(struct http_req *req, json_t *obj, struct feedback *f) {
  const char *name = NULL, *phone = NULL, *nid = NULL;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(TEXT, "name", &name, 1, NAME_MAX_BYTES),
      JSPEC_OPTIONAL(STRING, "phone", &phone, 1, 40),
      JSPEC_OPTIONAL(STRING, "national_id", &nid, 1, 40),
      JSPEC_END,
  };
  if (!obj) return 0;
  if (member_parse_or_reply(req, obj, "citizen", spec) != 0) return -1;
  f->citizen_name = name;
  if (phone && !(f->citizen_phone = feedback_phone_or_reply(req, "citizen.phone", phone))) return -1;
  if (nid) {
    char digits[11];
    if (fb_national_id_parse(nid, digits) != 0) {
      http_reply_error(req, ERR_INVALID_FIELD, "citizen.national_id",
                       "must be a national id: 10 digits with a right check digit");
      return -1;
    }
    f->citizen_national_id = arena_strdup(req->arena, digits);
  }
  return 0;
}

http_status_t feedback_intake(struct http_req *req) {
  struct intake *in = arena_alloc(req->arena, sizeof *in);
  if (!in) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *in = (struct intake){0};
  int channel = -1, kind = -1;
  const char *category = NULL, *text = NULL;
  json_t *citizen = NULL, *subject = NULL;
  struct subject_in subj;
  struct jspec spec[] = {
      JSPEC_ENUM("channel", &channel, desk_channels),
      JSPEC_OPTIONAL(OBJECT, "citizen", &citizen),
      JSPEC_OPTIONAL(ENUM, "kind", &kind, kind_names),
      JSPEC_OPTIONAL(STRING, "category", &category, 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(OBJECT, "subject", &subject),
      JSPEC_TEXT("text", &text, 1, (int64_t)http_feedback_config(req)->text_max),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  struct feedback *f = &in->f;
  if (citizen_parse_or_reply(req, citizen, f) != 0 || subject_parse_or_reply(req, subject, &subj) != 0 ||
      classification_or_reply(req, kind, category, &kind) != 0)
    return http_last_status(req);
  fb_channel_parse(desk_channels[channel], &f->channel);
  subject_apply(&subj, f);
  f->text = text;
  fb_classify(text, &in->s);
  if (kind >= 0) {
    f->kind = (enum fb_kind)kind;
    f->category = category;
    f->classification_confirmed = category != NULL;
  } else {
    f->kind = in->s.found ? in->s.kind : FB_ENQUIRY;
    f->category = in->s.found ? in->s.category : NULL;
  }
  f->created_by = req->who.kind == PRINCIPAL_USER ? req->who.id : 0;
  req->ctx = in;
  return http_write(req, intake_tx);
}

/* ---- GET /api/v1/feedback ---------------------------------------------------------------- */

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct feedback_filter f = *(const struct feedback_filter *)req->ctx;
  size_t limit = f.limit;
  bool ok;
  enum store_rc rc = feedback_place_check(req, tx, "county", "station", &f.county, &f.station, &ok);
  if (rc != STORE_OK || !ok) return rc;
  struct feedback *rows;
  size_t n;
  f.limit = limit + 1; /* one more than asked tells whether there is a next page */
  rc = store_of(tx)->fb.list(tx, &f, req->arena, &rows, &n);
  if (rc != STORE_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  int64_t now = clock_now_ms();
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, json_feedback(&rows[i], now, req->who.latin_digits));
  json_t *detail = json_pack("{s:I,s:i,s:i,s:s?,s:s?,s:s?,s:s?,s:I,s:b,s:I,s:I,s:I}", "status_mask",
                             (json_int_t)f.status_mask, "kind", f.kind, "channel", f.channel, "category", f.category,
                             "county", f.county, "station", f.station, "officer", f.officer, "assigned_to",
                             (json_int_t)f.assigned_to, "overdue", f.overdue_at != 0, "from_ms", (json_int_t)f.from_ms,
                             "to_ms", (json_int_t)f.to_ms, "before_id", (json_int_t)f.before_id);
  rc = http_set_page(req, tx, items, more, n ? rows[n - 1].id : 0, "feedback.list", detail);
  json_decref(detail);
  return rc;
}

/* ?name= parsed by parse (an fb_*_parse function) into *out, -1 when absent. */
static int enum_query(struct http_req *req, const char *name, int (*parse)(const char *, int *), const char *choices,
                      int *out) {
  const char *text = http_query(req, name);
  *out = -1;
  if (!text || !*text || parse(text, out) == 0) return 0;
  http_reply_error(req, ERR_INVALID_FIELD, name, arena_printf(req->arena, "must be one of: %s", choices));
  return -1;
}

static int kind_parse(const char *s, int *out) {
  enum fb_kind k;
  int rc = fb_kind_parse(s, &k);
  *out = (int)k;
  return rc;
}

static int status_parse(const char *s, int *out) {
  enum fb_status st;
  int rc = fb_status_parse(s, &st);
  *out = (int)st;
  return rc;
}

static int channel_parse(const char *s, int *out) {
  enum fb_channel c;
  int rc = fb_channel_parse(s, &c);
  *out = (int)c;
  return rc;
}

/* A place code filter: the store checks it against the reference data in list_tx. */
static int code_query(struct http_req *req, const char *name, const char **out) {
  const char *v = http_query(req, name);
  *out = NULL;
  if (!v || !*v) return 0;
  if (strlen(v) > CODE_MAX_BYTES || !loc_utf8_valid(v, strlen(v))) {
    http_reply_error(req, ERR_INVALID_FIELD, name, "A code is 1 to 64 characters; GET /api/v1/places lists them.");
    return -1;
  }
  *out = v;
  return 0;
}

static int filter_or_reply(struct http_req *req, struct feedback_filter *f) {
  int64_t limit;
  const char *overdue = http_query(req, "overdue"), *category = http_query(req, "category"),
             *officer = http_query(req, "officer");
  if (http_query_int(req, "limit", 1, FEEDBACK_PAGE_MAX, FEEDBACK_PAGE_DEFAULT, &limit) != 0 ||
      http_query_mask(req, "status", status_parse, "received, assigned, under_review, answered, closed",
                      &f->status_mask) != 0 ||
      enum_query(req, "kind", kind_parse, "praise, complaint, suggestion, report, enquiry", &f->kind) != 0 ||
      enum_query(req, "channel", channel_parse, "phone, web, in_person, letter, open311", &f->channel) != 0 ||
      code_query(req, "county", &f->county) != 0 || code_query(req, "station", &f->station) != 0 ||
      http_query_int(req, "assigned_to", 1, INT64_MAX, 0, &f->assigned_to) != 0 ||
      http_query_time(req, "from", false, &f->from_ms) != 0 || http_query_time(req, "to", true, &f->to_ms) != 0 ||
      http_query_cursor(req, &f->before_id) != 0)
    return -1;
  f->limit = (size_t)limit;
  const char *problem = NULL, *where = NULL;
  if (category && *category) {
    f->category = category;
    if (!fb_category_find(category)) {
      where = "category";
      problem = "Unknown category; GET /api/v1/feedback/categories lists them.";
    }
  }
  if (officer && *officer && !(f->officer = feedback_officer_number(req->arena, officer))) {
    where = "officer";
    problem = "must be a personnel number: 1 to 20 digits";
  }
  if (overdue && *overdue && strcmp(overdue, "true") != 0 && strcmp(overdue, "false") != 0) {
    where = "overdue";
    problem = "must be true or false";
  }
  if (problem) {
    http_reply_error(req, ERR_INVALID_FIELD, where, problem);
    return -1;
  }
  if (overdue && strcmp(overdue, "true") == 0) f->overdue_at = clock_now_ms();
  return 0;
}

http_status_t feedback_list(struct http_req *req) {
  struct feedback_filter *f = arena_alloc(req->arena, sizeof *f);
  if (!f) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *f = (struct feedback_filter){.kind = -1, .channel = -1};
  if (filter_or_reply(req, f) != 0) return http_last_status(req);
  /* a supervisor's inbox is what is assigned to them, whatever the filter asks */
  if (!(req->who.roles & ROLE_OVERSIGHT)) f->assigned_to = req->who.id;
  req->ctx = f;
  return http_write(req, list_tx);
}

/* ---- GET /api/v1/feedback/{id} and its timeline ------------------------------------------ */

static json_t *timeline_json(const struct feedback_entry *lines, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, json_feedback_entry(&lines[i]));
  return a;
}

/* Reads the contact of req->ctx with its timeline, audited as `action`; its JSON is
 * what both reads answer. */
static enum store_rc read_contact(struct http_req *req, struct store_tx *tx, const char *action, struct feedback *f,
                                  json_t **timeline) {
  struct feedback_entry *lines;
  size_t n;
  enum store_rc rc = feedback_load(req, tx, *(const int64_t *)req->ctx, f);
  if (rc == STORE_OK) rc = store_of(tx)->fb.entry_list(tx, f->id, false, req->arena, &lines, &n);
  if (rc == STORE_OK) rc = http_audit(req, tx, action, feedback_subject(req, f->id), NULL);
  if (rc == STORE_OK) *timeline = timeline_json(lines, n);
  return rc;
}

static enum store_rc get_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct feedback f;
  json_t *lines;
  enum store_rc rc = read_contact(req, tx, "feedback.read", &f, &lines);
  if (rc != STORE_OK) return rc;
  struct fb_suggestion s;
  fb_classify(f.text, &s); /* the reasons as the lexicon reads the text today */
  http_set_result(req, 200, json_pack("{s:o,s:o,s:o}", "feedback", json_feedback(&f, clock_now_ms(), req->who.latin_digits),
                                      "timeline", lines, "classification", json_fb_suggestion(&s)));
  return STORE_OK;
}

static enum store_rc timeline_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct feedback f;
  json_t *lines;
  enum store_rc rc = read_contact(req, tx, "feedback.read_timeline", &f, &lines);
  if (rc == STORE_OK) http_set_result(req, 200, json_pack("{s:o}", "items", lines));
  return rc;
}

http_status_t feedback_get(struct http_req *req) { return feedback_with_id(req, get_tx); }
http_status_t feedback_timeline(struct http_req *req) { return feedback_with_id(req, timeline_tx); }

/* ---- PATCH /api/v1/feedback/{id} ------------------------------------------------------------ */

struct correction {
  int64_t id;
  int kind;             /* -1: keep */
  const char *category; /* NULL: keep (unless cleared) */
  bool category_cleared;
  struct subject_in subject;
};

/* What the officer confirms or corrects, as the line's data shows it before and after. */
static json_t *classification_json(const struct feedback *f) {
  return json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "kind", fb_kind_name(f->kind), "category", f->category,
                   "county", f->county, "station", f->station, "unit", f->unit, "officer", f->officer,
                   "officer_name", f->officer_name);
}

static enum store_rc correct_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  const struct correction *c = req->ctx;
  struct feedback f;
  bool ok;
  enum store_rc rc = feedback_load(req, tx, c->id, &f);
  if (rc != STORE_OK) return rc;
  json_t *before = classification_json(&f);
  if (c->kind >= 0) {
    const struct fb_category *old = f.category ? fb_category_find(f.category) : NULL;
    /* a new kind drops a category of the old kind unless a new category came too */
    if (old && (int)old->kind != c->kind) f.category = NULL;
    f.kind = (enum fb_kind)c->kind;
  }
  if (c->category) f.category = c->category;
  else if (c->category_cleared) f.category = NULL;
  struct subject_in subj = c->subject;
  /* a new station without a county takes the station's county, not the old one */
  if (subj.v[SUBJ_STATION] && !subj.v[SUBJ_COUNTY]) f.county = NULL;
  subject_apply(&subj, &f);
  rc = feedback_place_check(req, tx, "subject.county", "subject.station", &f.county, &f.station, &ok);
  if (rc != STORE_OK || !ok) {
    json_decref(before);
    return rc;
  }
  f.classification_confirmed = true;
  f.updated_ms = clock_now_ms();
  rc = store_of(tx)->fb.update(tx, &f);
  json_t *data = json_pack("{s:o,s:o}", "from", before, "to", classification_json(&f));
  if (rc == STORE_OK) rc = data ? feedback_record(req, tx, &f, "classified", false, "", data) : STORE_HARD;
  json_decref(data);
  if (rc == STORE_OK) http_set_result(req, 200, json_feedback(&f, f.updated_ms, req->who.latin_digits));
  return rc;
}

http_status_t feedback_update(struct http_req *req) {
  struct correction *c = arena_alloc(req->arena, sizeof *c);
  if (!c) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  *c = (struct correction){.kind = -1};
  if (http_arg_id(req, 0, &c->id) != 0) return http_last_status(req);
  json_t *subject = NULL;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(ENUM, "kind", &c->kind, kind_names),
      JSPEC_OPTIONAL(STRING, "category", &c->category, 1, CODE_MAX_BYTES),
      JSPEC_OPTIONAL(OBJECT, "subject", &subject),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0 || subject_parse_or_reply(req, subject, &c->subject) != 0 ||
      classification_or_reply(req, c->kind, c->category, &c->kind) != 0)
    return http_last_status(req);
  c->category_cleared = json_is_null(json_object_get(req->body, "category"));
  req->ctx = c;
  return http_write(req, correct_tx);
}

/* ---- the classifier and the categories -------------------------------------------------------- */

http_status_t feedback_classify_text(struct http_req *req) {
  const char *text;
  struct jspec spec[] = {
      JSPEC_TEXT("text", &text, 1, (int64_t)http_feedback_config(req)->text_max),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  struct fb_suggestion s;
  fb_classify(text, &s);
  return http_reply_json(req, 200, json_fb_suggestion(&s));
}

http_status_t feedback_categories_list(struct http_req *req) {
  size_t n;
  const struct fb_category *cats = fb_categories(&n);
  json_t *items = json_array(), *kinds = json_array(), *statuses = json_array(), *outcomes = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s}", "code", cats[i].code, "kind",
                                           fb_kind_name(cats[i].kind), "name_fa", cats[i].name_fa, "name_en",
                                           cats[i].name_en, "description_fa", cats[i].description_fa, "keywords",
                                           cats[i].keywords ? cats[i].keywords : ""));
  for (int k = 0; k < FB_KIND__COUNT; k++)
    json_array_append_new(kinds, json_pack("{s:s?,s:s?}", "code", fb_kind_name((enum fb_kind)k), "name_fa",
                                           fb_kind_label_fa((enum fb_kind)k)));
  for (int s = 0; s < FB_STATUS__COUNT; s++)
    json_array_append_new(statuses, json_pack("{s:s?,s:s?}", "code", fb_status_name((enum fb_status)s), "name_fa",
                                              fb_status_label_fa((enum fb_status)s)));
  for (int o = FB_OUTCOME_NONE + 1; o < FB_OUTCOME__COUNT; o++)
    json_array_append_new(outcomes, json_pack("{s:s?,s:s?}", "code", fb_outcome_name((enum fb_outcome)o), "name_fa",
                                              fb_outcome_label_fa((enum fb_outcome)o)));
  return http_reply_json(req, 200, json_pack("{s:o,s:o,s:o,s:o}", "items", items, "kinds", kinds, "statuses",
                                             statuses, "outcomes", outcomes));
}
