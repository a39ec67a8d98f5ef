/* feedback_public.c — the 197 desk's public face for citizens, without log-in:
 *   GET  /api/v1/public/categories       what a contact can be about
 *   POST /api/v1/public/feedback         the public form: a new contact, answered
 *                                        with its tracking code
 *   GET  /api/v1/public/feedback/{code}  the tracking page: status and the replies
 *                                        meant for the citizen
 *
 * Anyone on the internet reaches these, so each one gives away as little as it can:
 * - The form is rate-limited per client address (feedback_config.public_per_min),
 *   before anything is parsed, so a flood costs the flooder and stores nothing. It is
 *   not idempotent on purpose: every anonymous caller is the same principal, and a
 *   replayed answer would hand one citizen's tracking code to another.
 * - Every lookup, found or not, takes a token of the tracking bucket
 *   (track_per_min): with 10^11 codes and a few lookups a minute, guessing is hopeless.
 *   A code that fb_code_parse refuses (wrong length, wrong check digit) answers 404
 *   without touching the store; a well-formed code that matches nothing answers the
 *   very same 404, so the answer never tells which.
 * - The tracking answer is json_feedback_public() and the lines written for the
 *   citizen, each shown as its time, kind and text only: never internal notes, the
 *   citizen's own data, the subject, the officer or who on the desk wrote the reply.
 * Submissions and found lookups leave audit rows with actor "anonymous" (http_audit
 * names the caller so when no one logged in), with the client's address.
 */
#include <string.h>

#include "core/feedback_classify.h"
#include "http/accounts.h"
#include "http/feedback_desk.h"
#include "http/jspec.h"
#include "http/ratelimit.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"

/* The one answer for a code that is malformed and for one that matches nothing. */
#define TRACK_NOT_FOUND "No contact has that tracking code; check the 12 digits and try again."

/* Name lengths a person types (bytes of normalised UTF-8: about 50 Persian letters). */
#define PERSON_NAME_MAX 100
#define PLACE_CODE_MAX 64

/* ---- GET /api/v1/public/categories ------------------------------------------------- */

static json_t *category_json(const struct fb_category *c) {
  return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "code", c->code, "kind", fb_kind_name(c->kind),
                   "kind_fa", fb_kind_label_fa(c->kind), "name_fa", c->name_fa, "name_en",
                   c->name_en, "description_fa", c->description_fa);
}

http_status_t public_categories_list(struct http_req *req) {
  size_t n = 0;
  const struct fb_category *cats = fb_categories(&n);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, category_json(&cats[i]));
  return http_reply_json(req, 200, json_pack("{s:o}", "items", items));
}

/* ---- POST /api/v1/public/feedback --------------------------------------------------- */

struct submission {
  struct feedback f;   /* as the citizen gave it; copied afresh on every run of the tx */
  char code[FB_CODE_DIGITS + 1];
};

/* What the citizen reads after sending: the code to keep, and when to expect an answer. */
static json_t *receipt_json(const struct feedback *f, const char code[FB_CODE_DIGITS + 1], int days) {
  char fa[FB_CODE_TEXT_FA], latin[FB_CODE_TEXT], days_fa[16];
  fb_code_format(code, true, fa, sizeof fa);
  fb_code_format(code, false, latin, sizeof latin);
  if (loc_format_int(days, false, days_fa, sizeof days_fa) < 0) days_fa[0] = '\0';
  char message[512];
  /* The code sits between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE: after
   * Persian letters its digit groups would otherwise be laid out right to left, last
   * group first. */
  snprintf(message, sizeof message,
           "پیام شما به سامانهٔ ۱۹۷ رسید. کد پیگیری شما " FB_LTR_ISOLATE "%s" FB_POP_ISOLATE " است؛ آن را نگه دارید، چون فقط "
           "همین یک بار نشان داده می‌شود. با این کد می‌توانید وضعیت پیام و پاسخ‌ها را ببینید. "
           "پاسخ تا %s روز دیگر آماده می‌شود.",
           fa, days_fa);
  return json_pack("{s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "tracking_code", latin, "tracking_code_fa", fa,
                   "number", json_feedback_number(f, true), "number_fa", json_feedback_number(f, false), "status",
                   fb_status_name(f->status), "status_fa", fb_status_label_fa(f->status),
                   "message_fa", message);
}

static enum store_rc submit_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct submission *s = req->ctx;
  struct feedback f = s->f;
  bool ok = true;
  enum store_rc rc = feedback_place_check(req, tx, "county", "station", &f.county, &f.station, &ok);
  if (rc != STORE_OK || !ok) return rc; /* !ok: the 400 is set */
  rc = feedback_create(req, tx, &f, s->code);
  if (rc != STORE_OK) return rc;
  json_t *body = receipt_json(&f, s->code, http_feedback_config(req)->deadline_days);
  if (!body) return STORE_HARD;
  http_set_result(req, 201, body);
  return STORE_OK;
}

/* kind and category as the citizen gave them, made consistent: a category implies its
 * kind, a kind that contradicts it is refused, and with neither the classifier's
 * suggestion is taken, as the desk's intake does (an officer confirms or corrects it),
 * or "enquiry" with no category when no term matched. */
static int kind_and_category(struct http_req *req, const char *kind, const char *category,
                             struct feedback *f) {
  const struct fb_category *cat = NULL;
  if (category && !(cat = fb_category_find(category))) {
    http_reply_error(req, ERR_INVALID_FIELD, "category",
                     "No category has that code; GET /api/v1/public/categories lists them.");
    return -1;
  }
  enum fb_kind k = FB_ENQUIRY;
  if (kind && fb_kind_parse(kind, &k) != 0) {
    http_reply_error(req, ERR_INVALID_FIELD, "kind",
                     "must be praise, complaint, suggestion, report or enquiry");
    return -1;
  }
  if (cat && kind && cat->kind != k) {
    http_reply_error(req, ERR_INVALID_FIELD, "category",
                     "This category belongs to another kind of contact; choose one of the kind you sent.");
    return -1;
  }
  if (cat) k = cat->kind;
  f->category = cat ? cat->code : NULL;
  if (!cat && !kind) {
    struct fb_suggestion sug;
    fb_classify(f->text, &sug);
    if (sug.found) {
      k = sug.kind;
      f->category = sug.category;
    }
  }
  f->kind = k;
  return 0;
}

http_status_t public_feedback_create(struct http_req *req) {
  const struct feedback_config *cfg = http_feedback_config(req);
  if (http_rate_limit_or_reply(req, "feedback.public", cfg->public_per_min) != 0) return http_last_status(req);
  const char *kind = NULL, *category = NULL, *text = NULL, *name = NULL, *phone = NULL;
  const char *county = NULL, *station = NULL, *officer_name = NULL;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRING, "kind", &kind, 1, 32),
      JSPEC_OPTIONAL(STRING, "category", &category, 1, 64),
      JSPEC_TEXT("text", &text, 1, (int64_t)cfg->text_max),
      JSPEC_OPTIONAL(TEXT, "name", &name, 1, PERSON_NAME_MAX),
      JSPEC_OPTIONAL(STRING, "phone", &phone, 1, 32),
      JSPEC_OPTIONAL(STRING, "county", &county, 1, PLACE_CODE_MAX),
      JSPEC_OPTIONAL(STRING, "station", &station, 1, PLACE_CODE_MAX),
      JSPEC_OPTIONAL(TEXT, "officer_name", &officer_name, 1, PERSON_NAME_MAX),
      JSPEC_END,
  };
  if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
  struct submission *s = arena_alloc(req->arena, sizeof *s);
  if (!s) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  s->f = (struct feedback){
      .channel = FB_WEB,
      .citizen_name = name,
      .county = county,
      .station = station,
      .officer_name = officer_name,
      .text = text,
  };
  if (phone && !(s->f.citizen_phone = feedback_phone_or_reply(req, "phone", phone)))
    return http_last_status(req);
  if (kind_and_category(req, kind, category, &s->f) != 0) return http_last_status(req);
  req->ctx = s;
  return http_write(req, submit_tx);
}

/* ---- GET /api/v1/public/feedback/{code} -------------------------------------------- */

struct lookup {
  uint8_t hash[32];
};

/* A line meant for the citizen, as the citizen sees it: no actor, no data. */
static json_t *reply_json(const struct feedback_entry *e) {
  return json_pack("{s:o,s:s,s:s}", "time", http_time_json(e->time_ms), "kind", e->kind ? e->kind : "",
                   "text", e->text ? e->text : "");
}

static enum store_rc track_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct lookup *l = req->ctx;
  struct store *st = store_of(tx);
  struct feedback f;
  enum store_rc rc = st->fb.by_code(tx, l->hash, req->arena, &f);
  if (rc == STORE_NOT_FOUND) {
    /* A miss is audited too (a run of them from one address is someone guessing). */
    json_t *detail = json_pack("{s:b}", "found", 0);
    rc = http_audit(req, tx, "feedback.track", "", detail);
    json_decref(detail);
    if (rc == STORE_OK) http_set_error(req, ERR_NOT_FOUND, NULL, TRACK_NOT_FOUND);
    return rc;
  }
  struct feedback_entry *lines = NULL;
  size_t n = 0;
  if (rc == STORE_OK) rc = st->fb.entry_list(tx, f.id, true, req->arena, &lines, &n);
  if (rc == STORE_OK)
    rc = http_audit(req, tx, "feedback.track", arena_printf(req->arena, "feedback:%lld", (long long)f.id),
                    NULL);
  if (rc != STORE_OK) return rc;
  json_t *body = json_feedback_public(&f);
  json_t *replies = json_array();
  for (size_t i = 0; i < n; i++)
    if (lines[i].for_citizen) json_array_append_new(replies, reply_json(&lines[i]));
  if (!body || json_object_set_new(body, "replies", replies) != 0) {
    json_decref(body);
    return STORE_HARD;
  }
  http_set_result(req, 200, body);
  return STORE_OK;
}

http_status_t public_feedback_track(struct http_req *req) {
  const struct feedback_config *cfg = http_feedback_config(req);
  if (http_rate_limit_or_reply(req, "feedback.track", cfg->track_per_min) != 0) return http_last_status(req);
  char digits[FB_CODE_DIGITS + 1];
  if (req->nargs < 1 || fb_code_parse(req->args[0], digits) != 0)
    return http_reply_error(req, ERR_NOT_FOUND, NULL, TRACK_NOT_FOUND);
  struct lookup *l = arena_alloc(req->arena, sizeof *l);
  if (!l) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  fb_code_hash(digits, l->hash);
  req->ctx = l;
  return http_write(req, track_tx);
}
