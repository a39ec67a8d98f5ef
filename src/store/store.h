/* store.h — hamyar's persistence, as one interface with interchangeable backends.
 *
 * A backend (sqlite/ now, pg/ later) fills a `struct store` with function pointers,
 * in the manner of GNU Taler's database plugins. Nothing above this header knows SQL.
 *
 * Transactions. Callers never open transactions themselves. They hand a callback to
 * store_write() or store_read(), and the store runs it inside a transaction:
 *   - store_write(): the callback runs on the store's single writer thread, inside a
 *     savepoint of a transaction shared with whatever other writes were waiting
 *     (group commit). store_write() returns only after that transaction is durably
 *     committed (for SQLite: the WAL synced after the commit), so an acknowledged
 *     write is on disk. If the callback returns anything but STORE_OK its savepoint is rolled back
 *     and the other writes of the batch are unaffected. Soft failures (SQLITE_BUSY,
 *     serialization failure) are retried by the store, not by the caller.
 *   - store_read(): the callback runs on the calling thread with that thread's own
 *     read connection, in a read transaction (a consistent snapshot).
 *   - store_write_async(): store_write() without the wait, for a caller that must not
 *     hold a thread while a commit is pending (the HTTP server). The job joins the same
 *     queue and runs in the same batches; done(done_cls, rc) is called exactly once, on
 *     a thread of the store's (for SQLite its sync thread), after the batch's COMMIT is
 *     durable (or its failure is final), with what store_write() would have returned.
 *     done must only signal (wake a thread, resume a connection): later batches wait
 *     for it.
 * The callback must not block on anything but the store and must not call
 * store_write()/store_read() itself.
 *
 * Memory. Every function that returns data takes an arena and allocates what it
 * returns there; the caller owns the arena. Input structs are only read.
 *
 * Results. Every operation returns an enum store_rc. STORE_NOT_FOUND and
 * STORE_CONFLICT are ordinary answers the caller reports to its client; STORE_HARD
 * is a failure already logged by the store.
 */
#ifndef HAMYAR_STORE_STORE_H
#define HAMYAR_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/role.h"

struct arena;
struct store;
struct store_tx;

#include "store/store_rc.h"
#include "store/store_emergency.h"
#include "store/store_feedback.h"

/* ---- records --------------------------------------------------------------- */

struct user {
  int64_t id;
  const char *username;      /* unique, 1..64 of [a-z0-9._-] */
  const char *display_name;  /* Persian name shown on screens; may be NULL */
  const char *password_hash; /* argon2id string (crypto_pwhash_str) */
  role_set roles;
  bool disabled;
  bool locked;                /* set after too many failed log-ins, cleared by unlock */
  const char *totp_secret;    /* base32; NULL when not enrolled */
  bool totp_enabled;          /* true once the user confirmed a code */
  int64_t totp_last_step;     /* TOTP step (Unix s / 30) of the last code accepted, 0: none;
                               * codes of that step or older are refused (no replay) */
  bool latin_digits;          /* display preference: Latin digits instead of Persian */
  int64_t created_ms;
  int64_t password_changed_ms;
};

struct session {
  int64_t id;
  uint8_t token_hash[32]; /* SHA-256 of the bearer token; the token itself is never stored */
  uint8_t csrf_hash[32];  /* SHA-256 of the CSRF token */
  int64_t user_id;
  int64_t created_ms;
  int64_t last_seen_ms;
  int64_t revoked_ms; /* 0 while valid */
  const char *ip;
};

struct apikey {
  int64_t id;
  const char *name;      /* unique label, e.g. "asterisk-rasht" */
  enum role role;        /* exactly one integration role */
  uint8_t key_hash[32];  /* SHA-256 of the key */
  const char *prefix;    /* first characters of the key, shown in lists */
  int64_t created_ms;
  int64_t revoked_ms;    /* 0 while valid */
  int64_t created_by;    /* user id, 0 when made by the CLI */
  int64_t unit_id;       /* ROLE_UNIT keys: the one unit the key acts for; 0 otherwise */
};

struct audit_row {
  int64_t id;           /* 1, 2, 3, ... without gaps */
  int64_t time_ms;
  int64_t actor_id;     /* user id; 0 for the CLI or an anonymous caller */
  const char *actor;    /* "username", "apikey:NAME", "cli", "anonymous" */
  const char *action;   /* dotted verb: "session.login", "session.login_failed", "user.create", "user.read", ... */
  const char *subject;  /* "user:12", "apikey:3", "" */
  const char *detail;   /* compact JSON object text, "{}" when nothing more */
  const char *ip;       /* "" when not over HTTP */
  const char *request_id; /* "" when not over HTTP */
  uint8_t prev_hash[32];  /* hash of the row before (all zero for row 1) */
  uint8_t hash[32];       /* audit_row_hash(this row) — see core/audit.h */
};

struct audit_filter {
  int64_t from_ms, to_ms; /* 0: open; from_ms <= time_ms < to_ms */
  const char *actor;      /* NULL: any */
  const char *action;     /* NULL: any; a trailing '*' matches a prefix ("session.*") */
  const char *subject;    /* NULL: any */
  int64_t before_id;      /* cursor: rows with id < before_id; 0: from the newest */
  size_t limit;           /* rows wanted, newest first; 0: 100 */
};

struct event {
  int64_t id;            /* increasing; the SSE id */
  int64_t time_ms;
  const char *type;      /* "user.created", "call.ringing", ... */
  const char *subject;   /* "user:12" */
  const char *payload;   /* compact JSON object text */
  role_set audience;     /* roles that may receive it */
};

struct idem_record {
  int64_t principal;     /* user id (>0) or -(api key id) */
  const char *key;       /* the Idempotency-Key header, ≤ 128 bytes */
  const char *route;     /* "POST /api/v1/users" */
  uint8_t body_hash[32]; /* SHA-256 of the request body: same key, other body → 409 */
  int status;            /* the stored answer */
  const char *response;  /* its JSON body text */
  int64_t created_ms;
};

#define STORE_SYNC_BUCKETS 10
#define STORE_SYNC_BUCKET_US 250 /* the first bucket's bound; each next one doubles it */

struct store_stats {
  uint64_t commits;          /* write transactions committed */
  uint64_t writes;           /* store_write() calls committed */
  uint64_t batch_hist[8];    /* commits whose batch held 1, 2-3, 4-7, ..., 64-127, >=128 writes */
  uint64_t retries;          /* soft failures retried */
  uint64_t syncs;            /* syncs that made commits durable (one may cover several) */
  uint64_t durable;          /* writes made durable: counted before their writers are told */
  /* How long those syncs took (the disk's part of every acknowledged write's wait):
   * sync_hist[i] counts syncs of at most STORE_SYNC_BUCKET_US << i µs, the last one
   * the slower ones; sync_us is their sum. */
  uint64_t sync_hist[STORE_SYNC_BUCKETS];
  uint64_t sync_us;
  uint64_t writer_busy_us; /* time the single writer spent running batches, not
                            * waiting with one open for the sync thread */
  uint64_t checkpoints;    /* background WAL checkpoints run */
};

typedef enum store_rc (*store_tx_fn)(void *cls, struct store_tx *tx);
typedef void (*store_done_fn)(void *done_cls, enum store_rc rc);
typedef void (*store_commit_hook)(void *cls, int64_t last_event_id);

/* ---- the interface ---------------------------------------------------------- */

struct store {
  void *cls; /* the backend's own state */
  const char *backend; /* "sqlite" */

  void (*close)(struct store *s);

  /* Transactions, as described at the top of this file. */
  enum store_rc (*write)(struct store *s, store_tx_fn fn, void *cls);
  enum store_rc (*read)(struct store *s, store_tx_fn fn, void *cls);
  /* Queues fn like write() and returns STORE_OK at once; done reports the outcome.
   * STORE_HARD (logged) when the store is read-only, closing or out of memory: then
   * nothing was queued and done is never called. cls and done_cls must stay valid
   * until done is called. close() runs every job queued before it and calls its done
   * before it returns. */
  enum store_rc (*write_async)(struct store *s, store_tx_fn fn, void *cls, store_done_fn done,
                               void *done_cls);

  /* Called on a thread of the store's once a commit that appended events is durable,
   * with the highest event id made durable. The live event stream wakes its clients
   * from it and streams events up to that id only. It runs before store_write()
   * returns to the writers of that commit, so it must be quick (signal, do not work). */
  void (*set_commit_hook)(struct store *s, store_commit_hook hook, void *cls);
  /* Returns once every write committed before the call is durable. A read may see a
   * write a moment before it is (SQLite: between its commit and the WAL's sync); an
   * answer that acknowledges what a read saw, such as a replayed idempotent answer,
   * waits for this first. */
  void (*durable_wait)(struct store *s);
  /* A number that grows once a commit that changed users, sessions or API keys is
   * durable — whatever decides who a caller is. Whoever keeps what it read of them
   * (http/authcache.c) reads this before reading the store and trusts what it kept
   * only while the number is unchanged. Shared by every process on the database, so a
   * change made by the CLI beside a running server counts too (docs/store.md). */
  uint64_t (*accounts_version)(struct store *s);
  /* The same for what the duplicate search reads: grows once a commit that changed
   * incidents, or moved a call to or from one, is durable (recording a new call does
   * not). Counted in this process only: changes made by another process do not count.
   * Whoever keeps what it read of open incidents (http/repeats.c) trusts it only while
   * the number is unchanged. */
  uint64_t (*incidents_version)(struct store *s);
  void (*stats)(struct store *s, struct store_stats *out);
  int (*schema_version)(struct store *s);

  /* users */
  enum store_rc (*user_insert)(struct store_tx *tx, struct user *u); /* sets u->id; CONFLICT if username taken */
  enum store_rc (*user_by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct user *out);
  enum store_rc (*user_by_name)(struct store_tx *tx, const char *username, struct arena *a, struct user *out);
  /* All users ordered by id, after `after_id` (cursor), at most `limit` (0: 100). */
  enum store_rc (*user_list)(struct store_tx *tx, int64_t after_id, size_t limit, struct arena *a,
                             struct user **out, size_t *n);
  /* Writes every mutable field of u (display_name, password_hash, roles, disabled,
   * locked, totp_*, latin_digits, password_changed_ms) to the row u->id. */
  enum store_rc (*user_update)(struct store_tx *tx, const struct user *u);

  /* failed log-ins: one row per failure; cleared on success and on unlock */
  enum store_rc (*login_failure_add)(struct store_tx *tx, int64_t user_id, int64_t time_ms);
  /* failures at or after since_ms */
  enum store_rc (*login_failure_count)(struct store_tx *tx, int64_t user_id, int64_t since_ms, int *count);
  enum store_rc (*login_failure_clear)(struct store_tx *tx, int64_t user_id);

  /* sessions */
  enum store_rc (*session_insert)(struct store_tx *tx, struct session *se); /* sets se->id */
  enum store_rc (*session_by_token)(struct store_tx *tx, const uint8_t token_hash[32], struct arena *a,
                                    struct session *out);
  /* touch never moves last_seen_ms back; revoking again keeps the first time; both
   * give NOT_FOUND for an unknown id */
  enum store_rc (*session_touch)(struct store_tx *tx, int64_t id, int64_t last_seen_ms);
  enum store_rc (*session_revoke)(struct store_tx *tx, int64_t id, int64_t when_ms);
  enum store_rc (*session_revoke_user)(struct store_tx *tx, int64_t user_id, int64_t when_ms); /* all of a user's */
  /* All of a user's sessions but keep_id (a password change ends the other sessions,
   * not the one it came with). */
  enum store_rc (*session_revoke_user_except)(struct store_tx *tx, int64_t user_id, int64_t keep_id,
                                              int64_t when_ms);

  /* API keys */
  enum store_rc (*apikey_insert)(struct store_tx *tx, struct apikey *k); /* sets k->id; CONFLICT if name taken */
  enum store_rc (*apikey_by_hash)(struct store_tx *tx, const uint8_t key_hash[32], struct arena *a,
                                  struct apikey *out);
  enum store_rc (*apikey_by_id)(struct store_tx *tx, int64_t id, struct arena *a, struct apikey *out);
  enum store_rc (*apikey_by_name)(struct store_tx *tx, const char *name, struct arena *a, struct apikey *out);
  enum store_rc (*apikey_list)(struct store_tx *tx, struct arena *a, struct apikey **out, size_t *n);
  enum store_rc (*apikey_revoke)(struct store_tx *tx, int64_t id, int64_t when_ms);

  /* audit: append fills id, prev_hash and hash (through core/audit.h) */
  enum store_rc (*audit_append)(struct store_tx *tx, struct audit_row *row);
  enum store_rc (*audit_list)(struct store_tx *tx, const struct audit_filter *f, struct arena *a,
                              struct audit_row **out, size_t *n);
  /* Calls fn for every row in id order; stops early when fn returns non-zero. The row
   * and its strings are valid only during the call (a walk copies nothing). */
  enum store_rc (*audit_walk)(struct store_tx *tx, int (*fn)(void *cls, const struct audit_row *row),
                              void *cls);

  /* events: append sets ev->id */
  enum store_rc (*event_append)(struct store_tx *tx, struct event *ev);
  /* Events with id > after_id whose audience meets `audience`, oldest first, at most
   * limit (0: 100). */
  enum store_rc (*event_list_after)(struct store_tx *tx, int64_t after_id, role_set audience, size_t limit,
                                    struct arena *a, struct event **out, size_t *n);
  enum store_rc (*event_last_id)(struct store_tx *tx, int64_t *id);

  /* idempotency keys */
  enum store_rc (*idem_get)(struct store_tx *tx, int64_t principal, const char *key, struct arena *a,
                            struct idem_record *out);
  enum store_rc (*idem_put)(struct store_tx *tx, const struct idem_record *r); /* CONFLICT if present */
  /* Removes records stored before before_ms, the oldest first, at most `limit`;
   * *removed says how many. */
  enum store_rc (*idem_expire)(struct store_tx *tx, int64_t before_ms, size_t limit, size_t *removed);
  /* Calls fn with who stored each answer kept and its key, in no order; the key lives
   * until fn returns. fn returning non-zero stops the walk (STORE_OK). */
  enum store_rc (*idem_keys)(struct store_tx *tx, int (*fn)(void *cls, int64_t principal, const char *key),
                             void *cls);

  /* The 110 centre: places, units, phone-system calls, calls, incidents, timelines
   * and the call-handling figures (store_emergency.h). Reached as s->em.call_insert. */
  struct store_emergency em;
  /* The 197 desk: contacts, timelines, commendations (store_feedback.h). Reached as
   * s->fb.insert. */
  struct store_feedback fb;
};

/* The store a transaction belongs to, so that callbacks can reach the operations:
 *   s = store_of(tx); s->user_insert(tx, &u); */
struct store *store_of(struct store_tx *tx);

/* Opening. `path` is a SQLite file. With STORE_OPEN_CREATE a missing database is
 * created; migrations newer than the file's schema version are applied. A file whose
 * schema version is newer than this binary knows is refused. On failure returns NULL
 * and puts a message a person can act on in `err` (English, one line). */
enum { STORE_OPEN_CREATE = 1, STORE_OPEN_READONLY = 2 };
struct store *store_sqlite_open(const char *path, int flags, char *err, size_t errlen);

/* Convenience wrappers. */
static inline enum store_rc store_write(struct store *s, store_tx_fn fn, void *cls) {
  return s->write(s, fn, cls);
}
static inline enum store_rc store_write_async(struct store *s, store_tx_fn fn, void *cls,
                                              store_done_fn done, void *done_cls) {
  return s->write_async(s, fn, cls, done, done_cls);
}
static inline enum store_rc store_read(struct store *s, store_tx_fn fn, void *cls) {
  return s->read(s, fn, cls);
}
static inline void store_durable_wait(struct store *s) { s->durable_wait(s); }
static inline uint64_t store_accounts_version(struct store *s) { return s->accounts_version(s); }
static inline uint64_t store_incidents_version(struct store *s) { return s->incidents_version(s); }
static inline void store_close(struct store *s) {
  if (s) s->close(s);
}

#endif
