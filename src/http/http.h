/* http.h — the wire: what a route handler sees and how it answers.
 *
 * The server (server.c) owns libmicrohttpd. For each request it does the shared work
 * once, in this order: URL length cap (414), route lookup (404/405), body size cap
 * (413), content type (415), JSON parse of the body (400), authentication (401),
 * role check against the route's roles (403), CSRF check for cookie sessions on
 * unsafe methods (403), rate limit (429), Idempotency-Key replay. Only then does it
 * call the handler, which does its own job and nothing else.
 *
 * Memory: every request has an arena (req->arena) freed when libmicrohttpd reports
 * the request complete; handlers allocate from it and rarely call free().
 *
 * Answering: a handler answers exactly once, through http_reply_json(),
 * http_reply_error() or one of the helpers built on them, and returns what that call
 * returned. Errors come from one registry (errors.h).
 */
#ifndef HAMYAR_HTTP_HTTP_H
#define HAMYAR_HTTP_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/role.h"
#include "http/errors.h"
#include "store/store.h"

struct arena;
struct app;
struct geo_counties;
struct emergency_config;
struct feedback_config;
struct account_policy;

/* Who is calling, once authenticated. */
enum principal_kind { PRINCIPAL_NONE = 0, PRINCIPAL_USER, PRINCIPAL_APIKEY };
struct principal {
  enum principal_kind kind;
  int64_t id;          /* user id or API key id */
  const char *name;    /* username, or "apikey:NAME"; "anonymous" for NONE */
  role_set roles;
  int64_t session_id;  /* the session a user came with; 0 otherwise */
  bool via_cookie;     /* authenticated by cookie: unsafe methods need X-CSRF-Token */
  bool latin_digits;   /* the user's display preference */
  int64_t unit_id;     /* an API key with role unit: the unit it is bound to; 0 otherwise */
};

/* The answer a handler prepares inside a transaction (see http_write). */
struct http_result {
  int status;          /* 0: none yet */
  json_t *body;        /* owned; sent and released by the server */
  const char *text;    /* or the body already written out as JSON (request arena) */
  enum err_code error; /* when status >= 400 */
  const char *field;   /* the offending field, or NULL */
  const char *message; /* NULL: the registry's message */
};

struct http_req {
  struct app *app;
  struct arena *arena;
  const char *method;   /* "GET", "POST", ... */
  const char *path;     /* the URL path, without the query, as sent (percent-encoded) */
  const char *args[4];  /* the {…} segments of the matched route pattern, URL-decoded */
  size_t nargs;
  json_t *body;         /* the parsed JSON object for routes with HTTP_JSON_BODY, else NULL;
                           released by the server */
  const char *raw_body; /* the body as received (NUL-terminated), or NULL */
  size_t raw_len;
  struct principal who;
  const char *ip;       /* the peer address as text */
  char id[33];          /* request id: 32 hex characters, also sent as X-Request-Id */
  const char *idem_key; /* Idempotency-Key header, on HTTP_IDEMPOTENT routes */
  const struct http_route *route;
  struct http_result result;
  void *conn;           /* the struct MHD_Connection *, for the server's own use */
  void *ctx;            /* the handler's own data for its transaction callbacks (see
                           http_write); NULL until the handler sets it. Allocate it from
                           req->arena, never on the handler's stack: the callback may run
                           after the handler has returned */
};

/* What a handler returns: the value of the reply call it made. */
typedef int http_status_t;
/* What http_write returns when the answer follows the commit (see http_write). */
#define HTTP_ANSWER_PENDING 0
typedef http_status_t (*http_handler)(struct http_req *req);

enum http_route_flags {
  HTTP_PUBLIC = 1u << 0,     /* no authentication; `roles` is ignored */
  HTTP_JSON_BODY = 1u << 1,  /* requires a JSON object body (415/400 otherwise) */
  HTTP_IDEMPOTENT = 1u << 2, /* honours Idempotency-Key (creating POSTs) */
  HTTP_STREAM = 1u << 3,     /* Server-Sent Events; the handler keeps the connection */
  HTTP_RAW_BODY = 1u << 4,   /* accepts a non-JSON body (form-encoded etc.) into raw_body */
};

struct http_route {
  const char *method;  /* "GET", "POST", "PATCH", "PUT", "DELETE" */
  const char *pattern; /* "/api/v1/users/{id}": literal segments and {name} captures */
  role_set roles;      /* roles allowed; ROLES_ALL for any authenticated caller */
  unsigned flags;
  http_handler handler;
};

/* The route table, terminated by an entry with method == NULL (routes.c). */
extern const struct http_route http_routes[];

/* Finds the route for method and path. Sets *route and fills args. Returns 0 when
 * found, 404 when no pattern matches the path, 405 when one matches but not for this
 * method (then *allow is set to a comma-separated list of the methods it has, in the
 * arena). Exposed for tests and the fuzzer. */
int http_route_find(const char *method, const char *path, struct arena *a,
                    const struct http_route **route, const char *args[4], size_t *nargs,
                    const char **allow);

/* ---- answering ------------------------------------------------------------- */

/* json_dumps flags for what goes on the wire (answers, live events). Jansson's default
 * 17 significant digits prints 37.28 as 37.280000000000001. 15 is the most a double
 * holds for every decimal: a number written with up to 15 digits prints as written,
 * and computed figures (distances in metres) keep their precision. */
#define HTTP_JSON_REAL_PRECISION 15
#define HTTP_JSON_DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(HTTP_JSON_REAL_PRECISION))
/* ...and for JSON kept in a record whose text is compared or hashed (audit details,
 * timeline data): sorted keys, so equal objects are equal text. */
#define HTTP_JSON_STORED_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

/* v as JSON text with `flags`, written into the arena; "{}" for NULL, NULL when out of
 * memory. */
const char *http_json_text(struct arena *a, json_t *v, size_t flags);
/* The object text `members` ("{...}", as http_json_text writes it) with "id": id as its
 * first member, in the arena; NULL when out of memory. A record's text is written out
 * before the single writer gives the record its id, and only this is left to it. */
const char *http_json_with_id(struct arena *a, int64_t id, const char *members);

/* Sends `body` (stolen, may be NULL for no body) as JSON with `status`. */
http_status_t http_reply_json(struct http_req *req, int status, json_t *body);
/* Sends {"error":{"code","message","field"}} with the registry's status for `code`.
 * message NULL: the registry's default message. field may be NULL. */
http_status_t http_reply_error(struct http_req *req, enum err_code code, const char *field,
                               const char *message);
/* 204 No Content. */
http_status_t http_reply_empty(struct http_req *req);
/* Maps a store result that is not STORE_OK to an error reply (NOT_FOUND → 404
 * not_found, CONFLICT → 409 conflict, other → 500 internal). */
http_status_t http_reply_store_rc(struct http_req *req, enum store_rc rc);

/* Sets a response header on the reply to come (copied). */
void http_add_header(struct http_req *req, const char *name, const char *value);

/* ---- request data ---------------------------------------------------------- */

const char *http_query(struct http_req *req, const char *name);  /* NULL when absent */
const char *http_header(struct http_req *req, const char *name); /* NULL when absent */
const char *http_cookie(struct http_req *req, const char *name); /* NULL when absent */
/* Parses a path argument as a positive int64 id; on failure replies 404 not_found and
 * returns -1 (the caller just returns req's reply status via http_last_status). */
int http_arg_id(struct http_req *req, size_t index, int64_t *out);
/* Integer query parameter with bounds; absent → def. Replies 400 invalid_field and
 * returns -1 when malformed or out of range. */
int http_query_int(struct http_req *req, const char *name, int64_t min, int64_t max, int64_t def,
                   int64_t *out);
/* The status of the reply already queued (for handlers that return after an
 * ...OrReply helper answered). */
http_status_t http_last_status(struct http_req *req);

/* ---- transactions ------------------------------------------------------------ */

/* Runs fn(req, tx) — cls is the request; pass the handler's own data in req->ctx —
 * in a store write transaction (group-committed, durable before return) and
 * then answers with what fn put in req->result through http_set_result() or
 * http_set_error(). When the route is HTTP_IDEMPOTENT and an Idempotency-Key came with
 * the request, a successful result is stored with the key in the same transaction, so a
 * retried request gets the same answer and nothing is written twice.
 * fn returns STORE_OK to commit; anything else rolls its work back. If fn returned an
 * error without calling http_set_error(), the store result is mapped as
 * http_reply_store_rc() does.
 * Asynchronous underneath: the server queues the write, suspends the connection and
 * gives the worker thread back, so many requests share one commit; the answer goes
 * out when the commit is durable, and http_write then returns HTTP_ANSWER_PENDING. So
 * `return http_write(req, fn);` must be the handler's last action, fn may run after
 * the handler returned (req->ctx in req->arena, see above), and fn runs on the store's
 * writer thread (as it always did). A handler that must act after the commit calls
 * store_write() itself and answers. */
http_status_t http_write(struct http_req *req, store_tx_fn fn);
/* The same on a read transaction (nothing is stored). */
http_status_t http_read(struct http_req *req, store_tx_fn fn);
/* Inside fn: the answer to send after commit. `body` is stolen. */
void http_set_result(struct http_req *req, int status, json_t *body);
/* The same with the body already JSON text (in req->arena), for a callback that wrote
 * it out anyway (an event's payload) and need not have it written out twice. */
void http_set_result_text(struct http_req *req, int status, const char *text);
void http_set_error(struct http_req *req, enum err_code code, const char *field, const char *message);

/* Removes the stored idempotent answers older than app->cfg->idempotency_keep_ms (a
 * key sent again after that is a new request), with an audit row by "system" when any
 * went. `hamyar serve` runs it every few seconds. The number removed, or -1 (logged). */
int http_idempotency_sweep(struct app *app, int64_t now_ms);

/* Inside a write transaction: appends an audit row for this request's caller
 * (actor, ip, request id filled from req). detail: JSON object or NULL (not stolen). */
enum store_rc http_audit(struct http_req *req, struct store_tx *tx, const char *action,
                         const char *subject, json_t *detail);
/* The same with the detail already written out (http_json_text, HTTP_JSON_STORED_FLAGS);
 * NULL (a failed write-out) is STORE_HARD. */
enum store_rc http_audit_text(struct http_req *req, struct store_tx *tx, const char *action,
                              const char *subject, const char *detail);
/* Inside a write transaction: the answer to an audited list read — appends the audit
 * row `action` (detail: the filters, not stolen; "count" is added) and sets the result
 * {"items": items, "next_cursor": last_id as text when `more`, else null}. `items` is
 * stolen (released on failure). */
enum store_rc http_set_page(struct http_req *req, struct store_tx *tx, json_t *items, bool more,
                            int64_t last_id, const char *action, json_t *detail);
/* Inside a write transaction: appends an event. payload is not stolen. */
enum store_rc http_event(struct http_req *req, struct store_tx *tx, const char *type,
                         const char *subject, json_t *payload, role_set audience);
/* Inside a write transaction: the audit row and the event of one change, in that
 * order. detail and payload are stolen; either NULL (a failed json_pack) is STORE_HARD. */
enum store_rc http_audit_and_event(struct http_req *req, struct store_tx *tx, const char *action, const char *subject,
                                   json_t *detail, const char *type, json_t *payload, role_set audience);
/* A request without a caller, acting as "system", for hamyar's own periodic work (the
 * sweeps): what http_audit and http_event need, so that its audit rows and events are
 * written the one way every change is. Its strings live in `a`. */
struct http_req http_system_req(struct app *app, struct arena *a);
/* The same with the payload already written out (http_json_text, HTTP_JSON_DUMP_FLAGS). */
enum store_rc http_event_text(struct store_tx *tx, const char *type, const char *subject, const char *payload,
                              role_set audience);

/* ---- the running server ------------------------------------------------------ */

struct http_config {
  const char *host;         /* "127.0.0.1" */
  uint16_t port;            /* 8110; 0 picks a free port (see http_server_port) */
  const char *web_dir;      /* the console's static files, or NULL */
  unsigned threads;         /* worker threads (0: number of cores) */
  unsigned conn_limit;      /* simultaneous connections */
  unsigned conn_timeout_s;  /* idle connection timeout */
  size_t conn_memory;       /* per-connection memory limit for libmicrohttpd */
  size_t body_max;          /* request body cap in bytes */
  size_t url_max;           /* URL length cap in bytes */
  size_t request_arena_max; /* per-request arena limit */
  unsigned login_rate_per_min; /* log-in attempts per client address per minute */
  bool cookie_secure;       /* mark the session cookie Secure (behind TLS) */
  const struct account_policy *policy; /* session and lock-out limits (core/account.h);
                                          NULL: account_policy_default() */
  unsigned sse_heartbeat_s; /* seconds between ": heartbeat" lines on event streams (0: 15) */
  int64_t idempotency_keep_ms; /* how long a stored idempotent answer is kept (0: 24 h) */
  int64_t auth_cache_ms; /* how long a checked credential is trusted unread (0: 1 s; < 0: never) */
};

struct app {
  struct store *store;
  const struct http_config *cfg;
  struct event_hub *hub;        /* events.c */
  struct rate_limiter *limiter; /* ratelimit.c */
  struct authcache *authcache;  /* authcache.c */
  struct repeats *repeats;      /* repeats.c: open incidents for the duplicate search */
  struct idem_seen *idem_seen;  /* idemseen.c: the Idempotency-Keys perhaps stored */
  struct metrics *metrics;      /* metrics.c */
  /* The 110 centre: counties for placing a coordinate (built from the store's
   * counties when serve starts; NULL when none are loaded), and the tunable rules. */
  struct geo_counties *geo;
  const struct emergency_config *em;
  /* The 197 desk's tunable rules (deadline, public rate limits); NULL: the defaults. */
  const struct feedback_config *fb;
};

struct http_server;

/* Starts listening; returns NULL (and logs why) on failure. */
struct http_server *http_server_start(struct app *app);
uint16_t http_server_port(const struct http_server *srv);
/* Stops accepting, waits for in-flight requests, closes event streams. */
void http_server_stop(struct http_server *srv);

#endif
