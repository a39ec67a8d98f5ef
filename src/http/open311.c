/* open311.c — Open311 GeoReport v2 under /open311/v2/, for city apps and other
 * clients that speak the standard (the spec: shared/standards/open311/; docs/feedback.md
 * "Open311" has hamyar's choices):
 *   GET  discovery.{json,xml}        where the endpoint is and what it speaks
 *   GET  services.{json,xml}         the 197 desk's public categories as services
 *   GET  services/{code}.{json,xml}  a service's definition (no extra attributes)
 *   POST requests.{json,xml}         a new contact (form-encoded, api_key of role open311)
 *   GET  requests.{json,xml}         the public contacts' status, filtered
 *   GET  requests/{id}.{json,xml}    one of them
 *   GET  tokens/{token}.{json,xml}   the request id behind a token (a tracking code)
 *
 * Every answer goes out in the format its path names, errors in the spec's own form
 * (open311.h). What the dispatcher answers before a handler runs (404 for an unknown
 * path, 413, 429, 500) keeps hamyar's error form.
 *
 * Privacy: the spec's GET requests is an open feed. Here it lists only contacts that
 * came through the web form or Open311, and of each only its number, open/closed, the
 * service, the responsible agency and its times — never the text, the citizen, the
 * subject, the place or the replies. Reads are not audited: they show no personal data.
 * Contacts without a category yet are left out (a service request has a service).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/feedback_classify.h"
#include "core/incident.h"
#include "http/auth.h"
#include "http/emergency.h"
#include "http/feedback.h"
#include "http/feedback_desk.h"
#include "http/open311.h"
#include "http/ratelimit.h"
#include "http/routes.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

/* The one jurisdiction this endpoint serves; a client may name it or leave it out. */
#define JURISDICTION "gilan.police.ir"
/* When the services last changed (they are fb_categories(), fixed in code): change it
 * with them, so that clients refresh what they cached. */
#define CHANGESET "2026-11-30T00:00:00Z"
#define AGENCY "فرماندهی انتظامی استان گیلان — نظارت همگانی ۱۹۷"
#define SPEC_URL "http://wiki.open311.org/GeoReport_v2"

#define DAY_MS (24 * 3600 * 1000LL)
#define WINDOW_MS (90 * DAY_MS) /* the spec's default and longest span */
#define REQUESTS_MAX 1000       /* the spec's default volume */
#define FIELD_MAX 256           /* names, ids and addresses that clients send */

/* ---- shared -------------------------------------------------------------------------- */

/* "x.json" / "x.xml" → "x" and the format; -1 when the segment has neither. */
static int split_format(struct arena *a, const char *seg, const char **base, enum open311_format *fmt) {
  const char *dot = strrchr(seg, '.');
  if (!dot || dot == seg) return -1;
  if (strcmp(dot, ".json") == 0) *fmt = OPEN311_JSON;
  else if (strcmp(dot, ".xml") == 0) *fmt = OPEN311_XML;
  else return -1;
  *base = arena_strndup(a, seg, (size_t)(dot - seg));
  return *base ? 0 : -1;
}

/* The spec: an optional argument sent empty is as if not sent. */
static const char *given(const char *v) { return v && *v ? v : NULL; }

/* jurisdiction_id, when given, must be ours. -1 after answering 404. */
static int jurisdiction_or_reply(struct http_req *req, enum open311_format fmt, const char *j) {
  if (!given(j) || strcmp(j, JURISDICTION) == 0) return 0;
  open311_error(req, fmt, 404,
                arena_printf(req->arena, "jurisdiction_id %s was not found; this endpoint serves only %s.", j,
                             JURISDICTION));
  return -1;
}

/* A path's last segment "NAME.json" / "NAME.xml" (services/{code}, requests/{id},
 * tokens/{token}): NAME and the format, and the jurisdiction checked. -1 after
 * answering 404 (in JSON when the segment names no format). */
static int segment_or_reply(struct http_req *req, const char *path, const char **name,
                            enum open311_format *fmt) {
  *fmt = OPEN311_JSON;
  if (split_format(req->arena, req->args[0], name, fmt) != 0) {
    open311_error(req, *fmt, 404, arena_printf(req->arena, "Ask for %s.json or %s.xml.", path, path));
    return -1;
  }
  return jurisdiction_or_reply(req, *fmt, http_query(req, "jurisdiction_id"));
}

static json_t *time_json(int64_t ms) {
  char text[32];
  return json_string(clock_format_rfc3339(ms, text, sizeof text));
}

static json_t *service_json(const struct fb_category *c) {
  return json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code", c->code, "service_name", c->name_fa,
                   "description", c->description_fa, "metadata", 0, "type", "realtime", "keywords",
                   c->keywords ? c->keywords : "", "group", fb_kind_label_fa(c->kind));
}

/* What Open311 may show of a contact (see the privacy note at the top). */
static bool shown(const struct feedback *f) {
  return (f->channel == FB_WEB || f->channel == FB_OPEN311) && f->category && fb_category_find(f->category);
}

static json_t *request_json(const struct feedback *f) {
  const struct fb_category *c = fb_category_find(f->category);
  bool closed = f->status == FB_CLOSED;
  int64_t updated = closed && f->closed_ms ? f->closed_ms : f->updated_ms ? f->updated_ms : f->received_ms;
  json_t *o = json_pack("{s:o,s:s,s:s,s:s,s:s,s:o,s:o}", "service_request_id", json_feedback_number(f, true), "status",
                        closed ? "closed" : "open", "service_name", c->name_fa, "service_code", c->code,
                        "agency_responsible", AGENCY, "requested_datetime", time_json(f->received_ms),
                        "updated_datetime", time_json(updated));
  if (o && f->due_ms) json_object_set_new(o, "expected_datetime", time_json(f->due_ms));
  return o;
}

/* ---- GET discovery ------------------------------------------------------------------- */

/* This endpoint's URL as the client reached it: the Host header when it is a plain
 * host[:port], else relative. https when the server runs behind TLS (cookie_secure). */
static const char *endpoint_url(struct http_req *req) {
  const char *host = http_header(req, "Host");
  bool plain = host && *host && strlen(host) <= 255;
  for (const char *p = host; plain && *p; p++)
    plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]", *p) != NULL;
  if (!plain) return "/open311/v2";
  const char *scheme = req->app->cfg && req->app->cfg->cookie_secure ? "https" : "http";
  return arena_printf(req->arena, "%s://%s/open311/v2", scheme, host);
}

static http_status_t discovery(struct http_req *req, enum open311_format fmt) {
  const char *url = endpoint_url(req);
  json_t *endpoint = json_pack("{s:s,s:s,s:s,s:s,s:[s,s]}", "specification", SPEC_URL, "url", url ? url : "",
                               "changeset", CHANGESET, "type", "production", "formats", "text/xml",
                               "application/json");
  json_t *body = json_pack("{s:s,s:s,s:s,s:[o]}", "changeset", CHANGESET, "contact",
                           "دفتر نظارت همگانی ۱۹۷ فرماندهی انتظامی استان گیلان؛ تلفن ۱۹۷", "key_service",
                           "کلید Open311 را مدیر سامانهٔ همیار می‌سازد: hamyar apikey add NAME --role open311",
                           "endpoints", endpoint);
  return open311_reply(req, fmt, 200, "discovery", body);
}

http_status_t open311_discovery_json(struct http_req *req) { return discovery(req, OPEN311_JSON); }
http_status_t open311_discovery_xml(struct http_req *req) { return discovery(req, OPEN311_XML); }

/* ---- GET services, services/{code} --------------------------------------------------- */

static http_status_t services(struct http_req *req, enum open311_format fmt) {
  if (jurisdiction_or_reply(req, fmt, http_query(req, "jurisdiction_id")) != 0) return http_last_status(req);
  size_t n = 0;
  const struct fb_category *cats = fb_categories(&n);
  json_t *list = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(list, service_json(&cats[i]));
  return open311_reply(req, fmt, 200, "services", list);
}

http_status_t open311_services_json(struct http_req *req) { return services(req, OPEN311_JSON); }
http_status_t open311_services_xml(struct http_req *req) { return services(req, OPEN311_XML); }

http_status_t open311_service_get(struct http_req *req) {
  const char *code = NULL;
  enum open311_format fmt;
  if (segment_or_reply(req, "services/CODE", &code, &fmt) != 0) return http_last_status(req);
  const struct fb_category *c = fb_category_find(code);
  if (!c)
    return open311_error(req, fmt, 404,
                         arena_printf(req->arena, "service_code %s was not found; GET services lists them.", code));
  /* metadata is false for every service: the definition has no attributes. */
  return open311_reply(req, fmt, 200, "service_definition",
                       json_pack("{s:s,s:[]}", "service_code", c->code, "attributes"));
}

/* ---- POST requests --------------------------------------------------------------------- */

static const char *const post_fields[] = {
    "api_key",    "jurisdiction_id", "service_code", "lat",       "long",      "address_string",
    "address_id", "email",           "device_id",    "account_id", "first_name", "last_name",
    "phone",      "description",     "media_url",    NULL,
};

struct post {
  struct open311_form form;
  enum open311_format fmt;
  struct feedback f; /* the contact to create; copied afresh on every run of the tx */
  struct feedback made;
  char code[FB_CODE_DIGITS + 1];
};

/* A field from the form body, else from the query (the published swagger draft puts
 * them there); NULL when absent or empty. */
static const char *field(struct http_req *req, const struct post *p, const char *name) {
  const char *v = open311_form_get(&p->form, name);
  return given(v ? v : http_query(req, name));
}

static bool is_form_type(const char *ct) {
  static const char form[] = "application/x-www-form-urlencoded";
  if (!ct || strncasecmp(ct, form, sizeof form - 1) != 0) return false;
  const char *rest = ct + sizeof form - 1;
  while (*rest == ' ') rest++;
  if (!*rest) return true;
  /* a charset, if named, is UTF-8 (the spec requires UTF-8 everywhere) */
  return *rest == ';' && (strcasestr(rest, "charset=utf-8") || strcasestr(rest, "charset=\"utf-8\"") ||
                          !strcasestr(rest, "charset="));
}

/* Reads the body; -1 after answering 400. */
static int read_form(struct http_req *req, struct post *p) {
  p->form.n = 0;
  if (req->raw_len == 0) return 0;
  const char *why = NULL;
  if (!is_form_type(http_header(req, "Content-Type")))
    why = "Send the request as application/x-www-form-urlencoded; charset=utf-8.";
  else if (open311_form_parse(req->arena, req->raw_body, req->raw_len, &p->form, &why) == 0)
    return 0;
  open311_error(req, p->fmt, 400, why);
  return -1;
}

/* -1 after answering 400 for a field GeoReport v2 does not have. Attributes
 * (attribute[CODE]) belong to services with a definition, and no service here has one. */
static int unknown_fields_or_reply(struct http_req *req, const struct post *p) {
  for (size_t i = 0; i < p->form.n; i++) {
    const char *name = p->form.fields[i].name;
    bool known = false;
    for (size_t k = 0; post_fields[k] && !known; k++) known = strcmp(post_fields[k], name) == 0;
    if (known) continue;
    const char *msg = strncmp(name, "attribute[", 10) == 0
                          ? "These services take no attributes; send the report in description."
                          : "The form has a field GeoReport v2 does not define; check its name.";
    open311_error(req, p->fmt, 400, arena_printf(req->arena, "%s (%s)", msg, name));
    return -1;
  }
  return 0;
}

/* Persian text a person typed: normalised, 1..max bytes. NULL after answering 400. */
static const char *text_or_reply(struct http_req *req, enum open311_format fmt, const char *name,
                                 const char *v, size_t max) {
  size_t len = strlen(v);
  char *out = arena_alloc(req->arena, 2 * len + 1);
  int n = out ? loc_normalize(v, len, out, 2 * len + 1) : -1;
  if (n > 0 && (size_t)n <= max) return out;
  open311_error(req, fmt, 400,
                arena_printf(req->arena, "%s must be text of 1 to %zu bytes of UTF-8.", name, max));
  return NULL;
}

static int coordinate(const char *v, double lo, double hi, double *out) {
  char *end = NULL;
  errno = 0;
  double d = strtod(v, &end);
  if (errno || end == v || *end || !isfinite(d) || d < lo || d > hi) return -1;
  *out = d;
  return 0;
}

/* The place: lat and long together, or address_string, or address_id (the spec wants
 * one of them). hamyar keeps no address register, so an address_id is kept as text
 * for the desk. -1 after answering 400. */
static int location_or_reply(struct http_req *req, struct post *p) {
  const char *lat = field(req, p, "lat"), *lon = field(req, p, "long");
  const char *addr = field(req, p, "address_string"), *addr_id = field(req, p, "address_id");
  const char *bad = NULL;
  if (!lat != !lon) bad = "Send lat and long together.";
  else if (!lat && !addr && !addr_id) bad = "A location is required: lat and long, address_string or address_id.";
  else if (lat && (coordinate(lat, -90, 90, &p->f.lat) != 0 || coordinate(lon, -180, 180, &p->f.lon) != 0))
    bad = "lat and long must be WGS84 degrees (lat -90 to 90, long -180 to 180).";
  else if (addr_id && strlen(addr_id) > FIELD_MAX) bad = "address_id is too long.";
  if (bad) {
    open311_error(req, p->fmt, 400, bad);
    return -1;
  }
  p->f.has_location = lat != NULL;
  if (addr && !(p->f.address = text_or_reply(req, p->fmt, "address_string", addr, FIELD_MAX))) return -1;
  if (!addr && addr_id) p->f.address = arena_printf(req->arena, "address_id %s", addr_id);
  return 0;
}

/* first_name, last_name, phone, email, device_id, account_id, media_url. -1 after
 * answering 400. */
static int person_or_reply(struct http_req *req, struct post *p) {
  const char *first = field(req, p, "first_name"), *last = field(req, p, "last_name");
  const char *phone = field(req, p, "phone"), *email = field(req, p, "email");
  if (first && !(first = text_or_reply(req, p->fmt, "first_name", first, FIELD_MAX))) return -1;
  if (last && !(last = text_or_reply(req, p->fmt, "last_name", last, FIELD_MAX))) return -1;
  if (first || last)
    p->f.citizen_name = first && last ? arena_printf(req->arena, "%s %s", first, last) : first ? first : last;
  const char *bad = NULL;
  const char *number = phone ? feedback_phone_number(req->arena, phone) : NULL;
  p->f.citizen_phone = number;
  if (phone && !number)
    bad = "phone is not a phone number (3 to 20 digits).";
  else if (email && (strlen(email) > FIELD_MAX || !strchr(email, '@')))
    bad = "email is not an e-mail address.";
  else if ((field(req, p, "device_id") && strlen(field(req, p, "device_id")) > FIELD_MAX) ||
           (field(req, p, "account_id") && strlen(field(req, p, "account_id")) > FIELD_MAX))
    bad = "device_id and account_id are at most 256 bytes.";
  else if (field(req, p, "media_url"))
    bad = "hamyar keeps no media; describe what you saw in description.";
  if (bad) open311_error(req, p->fmt, 400, bad);
  return bad ? -1 : 0;
}

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct post *p = req->ctx;
  p->made = p->f;
  return feedback_create(req, tx, &p->made, p->code);
}

/* A failure inside hamyar, in the spec's error form like every other Open311 error
 * (the log has the details under the request id). */
static http_status_t internal_error(struct http_req *req, enum open311_format fmt) {
  return open311_error(req, fmt, 500,
                       arena_printf(req->arena, "Something failed inside hamyar; it was logged under request id %s.",
                                    req->id));
}

static http_status_t create_request(struct http_req *req, enum open311_format fmt) {
  struct post *p = arena_alloc(req->arena, sizeof *p);
  if (!p) return internal_error(req, fmt);
  p->fmt = fmt;
  if (read_form(req, p) != 0) return http_last_status(req);
  const char *key = field(req, p, "api_key");
  if (!key) return open311_error(req, fmt, 403, "api_key is missing; send the key hamyar gave this client.");
  int auth = http_apikey_check(req, key, ROLE_OPEN311);
  if (auth < 0) return internal_error(req, fmt);
  if (auth > 0) return open311_error(req, fmt, 403, "Invalid api_key: it is unknown, revoked or not an Open311 key.");
  if (jurisdiction_or_reply(req, fmt, field(req, p, "jurisdiction_id")) != 0) return http_last_status(req);
  if (unknown_fields_or_reply(req, p) != 0) return http_last_status(req);
  const char *code = field(req, p, "service_code"), *description = field(req, p, "description");
  if (!code) return open311_error(req, fmt, 400, "service_code is required; GET services lists them.");
  const struct fb_category *c = fb_category_find(code);
  if (!c)
    return open311_error(req, fmt, 404,
                         arena_printf(req->arena, "service_code %s was not found; GET services lists them.", code));
  if (!description) return open311_error(req, fmt, 400, "description is required: say what happened.");
  p->f = (struct feedback){.channel = FB_OPEN311, .kind = c->kind, .category = c->code};
  if (!(p->f.text = text_or_reply(req, fmt, "description", description, http_feedback_config(req)->text_max)))
    return http_last_status(req);
  if (location_or_reply(req, p) != 0 || person_or_reply(req, p) != 0) return http_last_status(req);
  req->ctx = p;
  /* Written synchronously: the answer is XML or JSON in Open311's shape, which the
   * asynchronous http_write (JSON only) does not send. */
  enum store_rc rc = store_write(req->app->store, create_tx, req);
  if (rc != STORE_OK) return internal_error(req, fmt); /* nothing in it answers 404/409 */
  char fa[FB_CODE_TEXT_FA];
  fb_code_format(p->code, true, fa, sizeof fa);
  const char *notice = arena_printf(req->arena,
                                    "درخواست شما در سامانهٔ ۱۹۷ ثبت شد. کد پیگیری: " FB_LTR_ISOLATE "%s" FB_POP_ISOLATE
                                    ". با این کد وضعیت و "
                                    "پاسخ‌ها را در صفحهٔ پیگیری ۱۹۷ ببینید.",
                                    fa);
  json_t *item = json_pack("{s:o,s:s,s:s}", "service_request_id", json_feedback_number(&p->made, true), "token", p->code,
                           "service_notice", notice ? notice : "");
  return open311_reply(req, fmt, 200, "service_requests", item ? json_pack("[o]", item) : NULL);
}

http_status_t open311_requests_create_json(struct http_req *req) { return create_request(req, OPEN311_JSON); }
http_status_t open311_requests_create_xml(struct http_req *req) { return create_request(req, OPEN311_XML); }

/* ---- GET requests, requests/{id} ------------------------------------------------------- */

struct query {
  const char **ids;           /* service_request_id list, or NULL */
  size_t nids;
  const char **codes;         /* service_code list, or NULL: any */
  size_t ncodes;
  struct feedback_filter filter;
  json_t *list;               /* the answer's items */
};

/* Splits a comma list into the arena. */
static size_t split_list(struct arena *a, const char *text, const char ***out) {
  size_t n = 1;
  for (const char *p = text; *p; p++) n += *p == ',';
  const char **items = arena_alloc(a, n * sizeof *items);
  size_t k = 0;
  for (const char *p = text; items && p;) {
    const char *comma = strchr(p, ',');
    const char *item = comma ? arena_strndup(a, p, (size_t)(comma - p)) : arena_strdup(a, p);
    if (item && *item) items[k++] = item;
    p = comma ? comma + 1 : NULL;
  }
  *out = items;
  return items ? k : 0;
}

static enum store_rc by_ids(struct store_tx *tx, struct http_req *req, struct query *q) {
  enum store_rc rc = STORE_OK;
  for (size_t i = 0; rc == STORE_OK && i < q->nids; i++) {
    int year;
    int64_t seq;
    struct feedback f;
    if (incident_number_parse(q->ids[i], &year, &seq) != 0) continue;
    rc = store_of(tx)->fb.by_number(tx, year, seq, req->arena, &f);
    if (rc == STORE_OK && shown(&f)) json_array_append_new(q->list, request_json(&f));
    if (rc == STORE_NOT_FOUND) rc = STORE_OK;
  }
  return rc;
}

/* Newest first across the service codes asked for, at most REQUESTS_MAX. */
static enum store_rc by_filter(struct store_tx *tx, struct http_req *req, struct query *q) {
  struct feedback *all = NULL;
  size_t nall = 0;
  size_t rounds = q->ncodes ? q->ncodes : 1;
  enum store_rc rc = STORE_OK;
  for (size_t r = 0; rc == STORE_OK && r < rounds; r++) {
    struct feedback_filter f = q->filter;
    f.category = q->ncodes ? q->codes[r] : NULL;
    struct feedback *rows;
    size_t n;
    rc = store_of(tx)->fb.list(tx, &f, req->arena, &rows, &n);
    if (rc != STORE_OK) break;
    struct feedback *merged = arena_alloc(req->arena, (nall + n + 1) * sizeof *merged);
    if (!merged) return STORE_HARD;
    /* both lists are newest first (by id): merge them */
    size_t i = 0, j = 0, k = 0;
    while (i < nall || j < n)
      merged[k++] = j == n || (i < nall && all[i].id > rows[j].id) ? all[i++] : rows[j++];
    all = merged;
    nall = k;
  }
  for (size_t i = 0; rc == STORE_OK && i < nall && json_array_size(q->list) < REQUESTS_MAX; i++)
    if (shown(&all[i])) json_array_append_new(q->list, request_json(&all[i]));
  return rc;
}

static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct query *q = req->ctx;
  return q->ids ? by_ids(tx, req, q) : by_filter(tx, req, q);
}

/* ?status=open,closed → a status mask. -1 when a word is neither. */
static int status_mask(struct arena *a, const char *text, unsigned *mask) {
  const char **words;
  size_t n = split_list(a, text, &words);
  unsigned open = 1u << FB_RECEIVED | 1u << FB_ASSIGNED | 1u << FB_UNDER_REVIEW | 1u << FB_ANSWERED;
  *mask = 0;
  for (size_t i = 0; i < n; i++) {
    if (strcmp(words[i], "open") == 0) *mask |= open;
    else if (strcmp(words[i], "closed") == 0) *mask |= 1u << FB_CLOSED;
    else return -1;
  }
  return 0;
}

/* The filters of GET requests; NULL after answering 400. */
static struct query *query_or_reply(struct http_req *req, enum open311_format fmt) {
  struct query *q = arena_alloc(req->arena, sizeof *q);
  if (!q) {
    internal_error(req, fmt);
    return NULL;
  }
  const char *ids = given(http_query(req, "service_request_id"));
  const char *codes = given(http_query(req, "service_code")), *status = given(http_query(req, "status"));
  const char *start = given(http_query(req, "start_date")), *end = given(http_query(req, "end_date"));
  const char *bad = NULL;
  int64_t from = 0, to = 0;
  q->filter = (struct feedback_filter){.kind = -1, .channel = -1, .public_only = true, .limit = REQUESTS_MAX};
  if (ids) { /* "This overrides all other arguments." */
    q->nids = split_list(req->arena, ids, &q->ids);
    for (size_t i = 0; i < q->nids && !bad; i++) {
      int year;
      int64_t seq;
      if (incident_number_parse(q->ids[i], &year, &seq) != 0)
        bad = arena_printf(req->arena, "service_request_id %s is not a request id such as 1404-000123.", q->ids[i]);
    }
    if (!bad && q->nids > REQUESTS_MAX) bad = "Ask for at most 1000 service_request_id at once.";
  } else {
    if (codes) q->ncodes = split_list(req->arena, codes, &q->codes);
    for (size_t i = 0; i < q->ncodes && !bad; i++)
      if (!fb_category_find(q->codes[i]))
        bad = arena_printf(req->arena, "service_code %s is not a service; GET services lists them.", q->codes[i]);
    if (!bad && status && status_mask(req->arena, status, &q->filter.status_mask) != 0)
      bad = "status must be open, closed or both (comma separated).";
    if (!bad && ((start && clock_parse_rfc3339(start, &from) != 0) || (end && clock_parse_rfc3339(end, &to) != 0)))
      bad = "start_date and end_date must be w3 date-times such as 2025-10-01T00:00:00Z.";
    if (!bad && start && end && (to < from || to - from > WINDOW_MS))
      bad = "end_date must follow start_date by at most 90 days.";
    /* Absent dates take the most recent 90 days, or 90 days from the one given. */
    if (!start && !end) {
      to = clock_now_ms();
      from = to - WINDOW_MS;
    } else if (!end) {
      to = from + WINDOW_MS;
    } else if (!start) {
      from = to - WINDOW_MS;
    }
    q->filter.from_ms = from;
    q->filter.to_ms = to + 1; /* end_date is the latest time included */
  }
  if (bad) {
    open311_error(req, fmt, 400, bad);
    return NULL;
  }
  if (!(q->list = json_array())) {
    internal_error(req, fmt);
    return NULL;
  }
  return q;
}

static http_status_t run_query(struct http_req *req, enum open311_format fmt, struct query *q) {
  req->ctx = q;
  enum store_rc rc = store_read(req->app->store, list_tx, req);
  if (rc != STORE_OK) {
    json_decref(q->list);
    return internal_error(req, fmt);
  }
  return open311_reply(req, fmt, 200, "service_requests", q->list);
}

static http_status_t list_requests(struct http_req *req, enum open311_format fmt) {
  if (jurisdiction_or_reply(req, fmt, http_query(req, "jurisdiction_id")) != 0) return http_last_status(req);
  struct query *q = query_or_reply(req, fmt);
  return q ? run_query(req, fmt, q) : http_last_status(req);
}

http_status_t open311_requests_list_json(struct http_req *req) { return list_requests(req, OPEN311_JSON); }
http_status_t open311_requests_list_xml(struct http_req *req) { return list_requests(req, OPEN311_XML); }

http_status_t open311_request_get(struct http_req *req) {
  const char *id = NULL;
  enum open311_format fmt;
  if (segment_or_reply(req, "requests/ID", &id, &fmt) != 0) return http_last_status(req);
  int year;
  int64_t seq;
  struct query *q = arena_alloc(req->arena, sizeof *q);
  if (!q || !(q->list = json_array())) return internal_error(req, fmt);
  q->ids = &id;
  q->nids = incident_number_parse(id, &year, &seq) == 0 ? 1 : 0;
  req->ctx = q;
  enum store_rc rc = q->nids ? store_read(req->app->store, list_tx, req) : STORE_OK;
  if (rc == STORE_OK && json_array_size(q->list) == 0) {
    json_decref(q->list);
    return open311_error(req, fmt, 404, arena_printf(req->arena, "service_request_id %s was not found.", id));
  }
  if (rc != STORE_OK) {
    json_decref(q->list);
    return internal_error(req, fmt);
  }
  return open311_reply(req, fmt, 200, "service_requests", q->list);
}

/* ---- GET tokens/{token} ------------------------------------------------------------------ */

struct token_lookup {
  uint8_t hash[32];
  struct feedback f;
  bool found;
};

static enum store_rc token_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct token_lookup *t = req->ctx;
  enum store_rc rc = store_of(tx)->fb.by_code(tx, t->hash, req->arena, &t->f);
  t->found = rc == STORE_OK && shown(&t->f);
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

http_status_t open311_token_get(struct http_req *req) {
  const char *token = NULL;
  enum open311_format fmt;
  if (segment_or_reply(req, "tokens/TOKEN", &token, &fmt) != 0) return http_last_status(req);
  /* A token is a tracking code: looked up under the tracking page's limit. */
  if (http_rate_limit_or_reply(req, "feedback.track", http_feedback_config(req)->track_per_min) != 0)
    return http_last_status(req);
  char digits[FB_CODE_DIGITS + 1];
  struct token_lookup *t = arena_alloc(req->arena, sizeof *t);
  if (!t) return internal_error(req, fmt);
  if (fb_code_parse(token, digits) == 0) {
    fb_code_hash(digits, t->hash);
    req->ctx = t;
    if (store_read(req->app->store, token_tx, req) != STORE_OK) return internal_error(req, fmt);
  }
  if (!t->found) return open311_error(req, fmt, 404, "No service request has that token.");
  json_t *item = json_pack("{s:o,s:s}", "service_request_id", json_feedback_number(&t->f, true), "token", digits);
  return open311_reply(req, fmt, 200, "service_requests", item ? json_pack("[o]", item) : NULL);
}
