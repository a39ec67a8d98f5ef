/* tx.c — handlers' transactions and what they leave behind: answers prepared inside
 * a transaction, audit rows, events, and stored answers for Idempotency-Key.
 *
 * A write holds no worker thread while it waits for its commit: http_write suspends
 * the connection and queues the transaction (store_write_async); the store's writer
 * resumes it once the batch is durable, and libmicrohttpd calls the access handler
 * again, which answers (http_write_resume). With a thread or two serving many
 * connections, that is what lets group commit gather many writes into one fsync.
 *
 * An idempotent answer is stored in the same transaction as the change it reports,
 * so either both are committed or neither: a retry can never create the record twice,
 * and never finds a key whose change was rolled back.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "http/idemseen.h"
#include "http/request.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

/* ---- answers prepared in a transaction ------------------------------------------- */

void http_set_result(struct http_req *req, int status, json_t *body) {
  /* The store may run the callback again after a transient failure: the last
   * answer wins, and an earlier body must not leak. */
  json_decref(req->result.body);
  req->result = (struct http_result){.status = status, .body = body};
}

void http_set_result_text(struct http_req *req, int status, const char *text) {
  json_decref(req->result.body);
  req->result = (struct http_result){.status = status, .text = text};
}

void http_set_error(struct http_req *req, enum err_code code, const char *field,
                    const char *message) {
  json_decref(req->result.body);
  req->result = (struct http_result){.status = err_status(code),
                                     .error = code,
                                     .field = arena_strdup(req->arena, field),
                                     .message = arena_strdup(req->arena, message)};
}

int64_t http_principal_id(const struct http_req *req) {
  switch (req->who.kind) {
    case PRINCIPAL_USER:
      return req->who.id;
    case PRINCIPAL_APIKEY:
      return -req->who.id;
    default:
      return 0;
  }
}

static const char *route_name(struct http_req *req) {
  return arena_printf(req->arena, "%s %s", req->route->method, req->route->pattern);
}

static void body_hash(const struct http_req *req, uint8_t out[32]) {
  crypto_hash_sha256(out, (const unsigned char *)(req->raw_body ? req->raw_body : ""),
                     req->raw_body ? req->raw_len : 0);
}

static bool idempotent(const struct http_req *req) {
  return req->route && (req->route->flags & HTTP_IDEMPOTENT) && req->idem_key;
}

/* Runs the handler's callback; on success of an idempotent request, stores the answer
 * with the key in the same transaction. */
static enum store_rc write_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  struct http_ctx *c = http_ctx_of(req);
  c->idem_raced = false;
  enum store_rc rc = c->tx_fn(req, tx);
  if (rc != STORE_OK || !idempotent(req) || req->result.status < 200 || req->result.status > 299)
    return rc;
  /* Written out once: the text stored for replays is also the one sent now. */
  if (req->result.body) {
    const char *text = http_json_text(req->arena, req->result.body, HTTP_JSON_DUMP_FLAGS);
    if (!text) return STORE_HARD;
    http_set_result_text(req, req->result.status, text);
  }
  struct idem_record r = {.principal = http_principal_id(req),
                          .key = req->idem_key,
                          .route = route_name(req),
                          .status = req->result.status,
                          .response = req->result.text ? req->result.text : "",
                          .created_ms = clock_now_ms()};
  body_hash(req, r.body_hash);
  rc = r.route ? store_of(tx)->idem_put(tx, &r) : STORE_HARD;
  if (rc == STORE_CONFLICT) c->idem_raced = true; /* a concurrent twin stored it first */
  return rc;
}

static enum store_rc read_tx(void *cls, struct store_tx *tx) {
  struct http_req *req = cls;
  return http_ctx_of(req)->tx_fn(req, tx);
}

/* Sends what the callback left in req->result, or maps the store's answer. */
static http_status_t answer(struct http_req *req, enum store_rc rc) {
  struct http_result r = req->result;
  req->result = (struct http_result){0};
  if (r.status && (rc == STORE_OK || r.status >= 400)) {
    if (r.text) return http_reply_text(req, r.status, "application/json", r.text, strlen(r.text));
    /* http_set_error leaves no body: the error comes from the registry. */
    if (r.body || r.status < 400) return http_reply_json(req, r.status, r.body);
    return http_reply_error(req, r.error, r.field, r.message);
  }
  /* A success answer from a transaction that then failed was rolled back: drop it. */
  json_decref(r.body);
  if (rc == STORE_OK) {
    log_msg(LOG_ERROR, "http.handler", "%s %s committed without setting an answer", req->method,
            req->path);
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
  return http_reply_store_rc(req, rc);
}

static int replay_or_mismatch(struct http_req *req);

/* Answers a write whose transaction is over, committed or not. */
static http_status_t write_answer(struct http_req *req, enum store_rc rc) {
  struct http_ctx *c = http_ctx_of(req);
  /* Twins with one key can run at once: one commits, and the other fails, either on
   * storing the key or earlier on the record itself (a username already taken). The
   * loser answers what the winner stored, as a retry after the fact would. */
  bool failed = rc != STORE_OK || req->result.status >= 400;
  if (idempotent(req) && (c->idem_raced || failed)) {
    struct http_result kept = req->result;
    req->result = (struct http_result){0};
    int found = replay_or_mismatch(req);
    if (found != 1) {
      json_decref(kept.body);
      return http_last_status(req);
    }
    req->result = kept;
    if (c->idem_raced) {
      json_decref(req->result.body);
      req->result = (struct http_result){0};
      log_msg(LOG_ERROR, "http.idempotency", "key reported taken but not found");
      return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    }
  }
  return answer(req, rc);
}

/* The store's done callback, on its sync thread once the batch is on disk. It only
 * hands the result over: the connection's own worker answers (http_write_resume).
 * After the resume the request may complete at any moment, so c is not touched again. */
static void write_committed(void *cls, enum store_rc rc) {
  struct http_ctx *c = cls;
  struct http_server *srv = c->srv;
  c->write_rc = rc;
  MHD_resume_connection(c->conn);
  atomic_fetch_sub(&srv->writes_pending, 1);
}

/* Queues the write and suspends the connection until it commits, so the worker thread
 * serves other connections meanwhile and many writes wait for one commit together.
 * false: this request cannot wait that way, write synchronously. */
static bool write_suspended(struct http_ctx *c) {
  struct http_req *req = &c->req;
  struct http_server *srv = c->srv;
  if (!c->may_suspend) return false;
  c->may_suspend = false;
  if (req->ctx && !arena_owns(req->arena, req->ctx)) {
    /* The callback would read the handler's stack after the handler returned. */
    log_msg(LOG_ERROR, "http.handler", "%s %s keeps req->ctx outside the request arena; "
            "writing synchronously", req->method, req->path);
    return false;
  }
  /* Counted before draining is read: the stop sets draining, then waits for the count,
   * so either it waits for this write or this write sees draining. */
  atomic_fetch_add(&srv->writes_pending, 1);
  if (atomic_load(&srv->draining)) {
    atomic_fetch_sub(&srv->writes_pending, 1);
    return false;
  }
  c->phase = PHASE_WRITING;
  /* Suspended before queued: the resume in write_committed must find it suspended. */
  MHD_suspend_connection(c->conn);
  enum store_rc rc = store_write_async(req->app->store, write_tx, req, write_committed, c);
  if (rc != STORE_OK) write_committed(c, rc); /* answered as a failed write on resume */
  return true;
}

http_status_t http_write(struct http_req *req, store_tx_fn fn) {
  struct http_ctx *c = http_ctx_of(req);
  if (c->phase == PHASE_WRITING) {
    log_msg(LOG_ERROR, "http.handler", "%s %s called http_write twice", req->method, req->path);
    return HTTP_ANSWER_PENDING;
  }
  c->tx_fn = fn;
  req->result = (struct http_result){0};
  if (write_suspended(c)) return HTTP_ANSWER_PENDING;
  return write_answer(req, store_write(req->app->store, write_tx, req));
}

void http_write_resume(struct http_ctx *c) {
  c->phase = PHASE_DONE;
  write_answer(&c->req, c->write_rc);
}

http_status_t http_read(struct http_req *req, store_tx_fn fn) {
  struct http_ctx *c = http_ctx_of(req);
  c->tx_fn = fn;
  req->result = (struct http_result){0};
  return answer(req, store_read(req->app->store, read_tx, req));
}

/* ---- audit and events ---------------------------------------------------------------- */

const char *http_json_text(struct arena *a, json_t *v, size_t flags) {
  if (!v) return "{}";
  /* Written straight into the arena when it fits the first guess (a call, a candidate
   * list, an audit detail do); larger values are written once more at their size. */
  size_t room = 2048;
  for (int pass = 0; pass < 2; pass++) {
    char *text = arena_alloc(a, room);
    if (!text) return NULL;
    size_t n = json_dumpb(v, text, room, flags);
    if (n == 0) return NULL;
    if (n < room) {
      text[n] = '\0';
      return text;
    }
    room = n + 1;
  }
  return NULL;
}

const char *http_json_with_id(struct arena *a, int64_t id, const char *members) {
  if (!members) return NULL;
  const char *rest = members[0] == '{' ? members + 1 : members;
  char digits[24];
  snprintf(digits, sizeof digits, "%lld", (long long)id);
  return arena_concat(a, "{\"id\":", digits, rest[0] == '}' ? "" : ",", rest, (char *)NULL);
}

enum store_rc http_audit(struct http_req *req, struct store_tx *tx, const char *action,
                         const char *subject, json_t *detail) {
  /* sorted keys: equal details are equal text, so they hash equally */
  return http_audit_text(req, tx, action, subject, http_json_text(req->arena, detail, HTTP_JSON_STORED_FLAGS));
}

enum store_rc http_audit_text(struct http_req *req, struct store_tx *tx, const char *action,
                              const char *subject, const char *detail) {
  struct audit_row row = {
      .time_ms = clock_now_ms(),
      .actor_id = req->who.kind == PRINCIPAL_USER ? req->who.id : 0,
      .actor = req->who.name ? req->who.name : "anonymous",
      .action = action,
      .subject = subject ? subject : "",
      .detail = detail,
      .ip = req->ip ? req->ip : "",
      .request_id = req->id,
  };
  if (!row.detail) return STORE_HARD;
  return store_of(tx)->audit_append(tx, &row);
}

enum store_rc http_event_text(struct store_tx *tx, const char *type, const char *subject, const char *payload,
                              role_set audience) {
  struct event ev = {
      .time_ms = clock_now_ms(),
      .type = type,
      .subject = subject ? subject : "",
      .payload = payload,
      .audience = audience,
  };
  if (!ev.payload) return STORE_HARD;
  return store_of(tx)->event_append(tx, &ev);
}

enum store_rc http_audit_and_event(struct http_req *req, struct store_tx *tx, const char *action, const char *subject,
                                   json_t *detail, const char *type, json_t *payload, role_set audience) {
  enum store_rc rc = detail ? http_audit(req, tx, action, subject, detail) : STORE_HARD;
  if (rc == STORE_OK) rc = payload ? http_event(req, tx, type, subject, payload, audience) : STORE_HARD;
  json_decref(detail);
  json_decref(payload);
  return rc;
}

struct http_req http_system_req(struct app *app, struct arena *a) {
  return (struct http_req){.app = app, .arena = a, .method = "", .path = "", .ip = "",
                           .who = {.kind = PRINCIPAL_NONE, .name = "system"}};
}

enum store_rc http_event(struct http_req *req, struct store_tx *tx, const char *type,
                         const char *subject, json_t *payload, role_set audience) {
  /* as the wire has it (keys in the record's order, reals as written); sorting them on
   * the single writer thread bought nothing */
  return http_event_text(tx, type, subject, http_json_text(req->arena, payload, HTTP_JSON_DUMP_FLAGS),
                         audience);
}

/* ---- Idempotency-Key ------------------------------------------------------------------- */

struct idem_lookup {
  struct http_req *req;
  struct idem_record rec;
  bool found;
};

static enum store_rc idem_get_tx(void *cls, struct store_tx *tx) {
  struct idem_lookup *l = cls;
  enum store_rc rc = store_of(tx)->idem_get(tx, http_principal_id(l->req), l->req->idem_key,
                                            l->req->arena, &l->rec);
  l->found = rc == STORE_OK;
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

/* Looks the key up and answers from the record when there is one: the stored answer
 * for the same request, 409 for another. 0 answered; 1 no record; -1 answered 500. */
static int replay_or_mismatch(struct http_req *req) {
  struct idem_lookup l = {.req = req};
  if (store_read(req->app->store, idem_get_tx, &l) != STORE_OK) {
    http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    return -1;
  }
  if (!l.found) return 1;
  uint8_t hash[32];
  body_hash(req, hash);
  const char *route = route_name(req);
  if (!route || !l.rec.route || strcmp(route, l.rec.route) != 0 ||
      sodium_memcmp(hash, l.rec.body_hash, sizeof hash) != 0) {
    http_reply_error(req, ERR_IDEMPOTENCY_MISMATCH, "Idempotency-Key", NULL);
    return 0;
  }
  /* The record may have been read a moment before its commit is on disk. */
  store_durable_wait(req->app->store);
  http_add_header(req, "Idempotent-Replayed", "true");
  const char *text = l.rec.response ? l.rec.response : "";
  http_reply_text(req, l.rec.status, text[0] ? "application/json" : NULL, text, strlen(text));
  return 0;
}

/* ---- expiry ------------------------------------------------------------------------- */

#define IDEM_KEEP_DEFAULT_MS (24 * 3600 * 1000LL)
/* removed per transaction; a sweep takes as many as it needs */
#define IDEM_EXPIRE_BATCH 1000

struct idem_sweep {
  struct http_req req; /* http_system_req: for the audit row */
  int64_t before_ms;
  size_t removed;
};

static enum store_rc idem_sweep_tx(void *cls, struct store_tx *tx) {
  struct idem_sweep *sw = cls;
  enum store_rc rc = store_of(tx)->idem_expire(tx, sw->before_ms, IDEM_EXPIRE_BATCH, &sw->removed);
  if (rc != STORE_OK || sw->removed == 0) return rc;
  json_t *detail = json_pack("{s:I,s:I}", "removed", (json_int_t)sw->removed, "stored_before_ms",
                             (json_int_t)sw->before_ms);
  rc = http_audit(&sw->req, tx, "idempotency.expire", "idempotency", detail);
  json_decref(detail);
  return rc;
}

int http_idempotency_sweep(struct app *app, int64_t now_ms) {
  int64_t keep = app->cfg && app->cfg->idempotency_keep_ms > 0 ? app->cfg->idempotency_keep_ms : IDEM_KEEP_DEFAULT_MS;
  struct arena *a = arena_new(0);
  if (!a) {
    log_msg(LOG_ERROR, "http.idempotency", "out of memory");
    return -1;
  }
  /* Keys noted a whole keeping time ago may go: their answers are going too. */
  if (app->idem_seen) idem_seen_age(app->idem_seen, now_ms, keep);
  struct idem_sweep sw = {.req = http_system_req(app, a), .before_ms = now_ms - keep};
  size_t total = 0;
  enum store_rc rc;
  do {
    sw.removed = 0;
    rc = store_write(app->store, idem_sweep_tx, &sw);
    total += sw.removed;
  } while (rc == STORE_OK && sw.removed == IDEM_EXPIRE_BATCH);
  arena_free(a);
  if (rc != STORE_OK) {
    log_msg(LOG_ERROR, "http.idempotency", "could not remove expired idempotent answers (store result %d)", rc);
    return -1;
  }
  if (total > 0)
    log_msg(LOG_INFO, "http.idempotency", "%zu stored answers older than %lld s removed", total,
            (long long)(keep / 1000));
  return (int)total;
}

int http_idempotency_check(struct http_ctx *c) {
  struct http_req *req = &c->req;
  if (!(req->route->flags & HTTP_IDEMPOTENT)) return 0;
  const char *key = http_header(req, "Idempotency-Key");
  if (!key) return 0;
  size_t n = strlen(key);
  bool ok = n >= 1 && n <= 128;
  for (size_t i = 0; ok && i < n; i++)
    if (key[i] < 0x20 || key[i] > 0x7e) ok = false;
  if (!ok) {
    http_reply_error(req, ERR_INVALID_FIELD, "Idempotency-Key",
                     "must be 1 to 128 printable ASCII characters");
    return -1;
  }
  req->idem_key = arena_strdup(req->arena, key);
  if (!req->idem_key) {
    http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    return -1;
  }
  /* A key surely never seen has no stored answer to find: straight to the write. */
  if (req->app->idem_seen && !idem_seen_note(req->app->idem_seen, http_principal_id(req), req->idem_key))
    return 0;
  return replay_or_mismatch(req) == 1 ? 0 : -1;
}

static int note_stored_key(void *cls, int64_t principal, const char *key) {
  idem_seen_add(cls, principal, key);
  return 0;
}

static enum store_rc idem_keys_tx(void *cls, struct store_tx *tx) {
  return store_of(tx)->idem_keys(tx, note_stored_key, cls);
}

void http_idempotency_load(struct app *app) {
  if (store_read(app->store, idem_keys_tx, app->idem_seen) != STORE_OK)
    log_msg(LOG_WARN, "http.idempotency", "the keys of the stored answers could not be read: a retry of a "
            "request answered before this start is answered once its write is refused by the stored key");
}

enum store_rc http_set_page(struct http_req *req, struct store_tx *tx, json_t *items, bool more,
                            int64_t last_id, const char *action, json_t *detail) {
  json_object_set_new(detail, "count", json_integer((json_int_t)json_array_size(items)));
  enum store_rc rc = http_audit(req, tx, action, "", detail);
  if (rc != STORE_OK) {
    json_decref(items);
    return rc;
  }
  json_t *cursor = more ? json_sprintf("%lld", (long long)last_id) : json_null();
  http_set_result(req, 200, json_pack("{s:o,s:o}", "items", items, "next_cursor", cursor));
  return STORE_OK;
}
