/* sqlite_int.h — what the files of the SQLite backend share (private to src/store/sqlite/).
 *
 * The backend is one `struct sq_store` (store->cls) holding:
 *   - the writer connection, used only by the writer thread (sqlite_writer.c), which
 *     runs every store_write() callback inside one group-committed transaction;
 *   - read connections, one per thread that ever called store_read() (sqlite_read.c),
 *     kept in a registry so that close() can close them all.
 * Each connection (`struct sq_conn`) is used by one thread at a time, caches its
 * prepared statements (prepared on first use, finalized on close) and embeds the
 * `struct store_tx` its callbacks receive.
 *
 * Memory: every string handed out by a query function is copied into the caller's
 * arena; nothing returned points into statement memory.
 */
#ifndef HAMYAR_STORE_SQLITE_INT_H
#define HAMYAR_STORE_SQLITE_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "store/store_tx.h"

/* Rows handed out when a caller passes limit 0. */
#define SQ_DEFAULT_LIMIT 100

/* Every cached statement has a slot. audit_list builds its WHERE clauses from the
 * filter fields that are set, so it owns two slots per combination (see sqlite_audit.c). */
enum sq_stmt_id {
  SQ_BEGIN,
  SQ_BEGIN_IMMEDIATE,
  SQ_COMMIT,
  SQ_ROLLBACK,
  SQ_SAVEPOINT,
  SQ_RELEASE,
  SQ_ROLLBACK_TO,
  SQ_USER_INSERT,
  SQ_USER_BY_ID,
  SQ_USER_BY_NAME,
  SQ_USER_LIST,
  SQ_USER_UPDATE,
  SQ_LOGIN_FAILURE_ADD,
  SQ_LOGIN_FAILURE_COUNT,
  SQ_LOGIN_FAILURE_CLEAR,
  SQ_SESSION_INSERT,
  SQ_SESSION_BY_TOKEN,
  SQ_SESSION_TOUCH,
  SQ_SESSION_REVOKE,
  SQ_SESSION_REVOKE_USER,
  SQ_SESSION_REVOKE_USER_EXCEPT,
  SQ_APIKEY_INSERT,
  SQ_APIKEY_BY_HASH,
  SQ_APIKEY_BY_ID,
  SQ_APIKEY_BY_NAME,
  SQ_APIKEY_LIST,
  SQ_APIKEY_REVOKE,
  SQ_AUDIT_LAST,
  SQ_AUDIT_INSERT,
  SQ_AUDIT_WALK,
  SQ_AUDIT_SEARCH_ENDS,
  SQ_AUDIT_SEARCH_COPY,
  SQ_AUDIT_SEARCH_UPTO,
  SQ_AUDIT_LIST_FIRST,
  SQ_AUDIT_LIST_LAST = SQ_AUDIT_LIST_FIRST + 63,
  SQ_AUDIT_WINDOW_COUNT,
  SQ_AUDIT_OLDER_FIRST,
  SQ_AUDIT_OLDER_LAST = SQ_AUDIT_OLDER_FIRST + 127,
  SQ_EVENT_INSERT,
  SQ_EVENT_LIST_AFTER,
  SQ_EVENT_LAST_ID,
  SQ_IDEM_GET,
  SQ_IDEM_PUT,
  SQ_IDEM_EXPIRE,
  SQ_IDEM_KEYS,
  /* the 110 centre (store_emergency.h) */
  SQ_COUNTY_UPSERT,
  SQ_COUNTY_LIST,
  SQ_STATION_UPSERT,
  SQ_STATION_LIST,
  SQ_ENTRY_POINT_UPSERT,
  SQ_ENTRY_POINT_LIST,
  SQ_UNIT_UPSERT,
  SQ_UNIT_BY_ID,
  SQ_UNIT_LIST,
  SQ_UNIT_UPDATE,
  SQ_UNIT_POSITION_ADD,
  SQ_TCALL_INSERT,
  SQ_TCALL_BY_EXT,
  SQ_TCALL_UPDATE,
  SQ_TCALL_LIST_OPEN,
  SQ_TCALL_COUNT_ABANDONED,
  SQ_CALL_INSERT,
  SQ_CALL_BY_ID,
  SQ_CALL_SET_INCIDENT,
  SQ_CALL_LIST_FIRST, /* one per combination of call_filter fields (sqlite_calls.c) */
  SQ_CALL_LIST_LAST = SQ_CALL_LIST_FIRST + 127,
  SQ_INCIDENT_NEXT_SEQ,
  SQ_INCIDENT_INSERT,
  SQ_INCIDENT_BY_ID,
  SQ_INCIDENT_UPDATE,
  SQ_INCIDENT_LIST_OPEN_SINCE,
  SQ_INCIDENT_LIST_FIRST, /* one per combination of incident_filter fields */
  SQ_INCIDENT_LIST_LAST = SQ_INCIDENT_LIST_FIRST + 63,
  SQ_TIMELINE_APPEND,
  SQ_TIMELINE_LIST,
  SQ_CALL_TIMING_LIST,
  /* the 197 desk (store_feedback.h); feedback_list prepares its own statement each
   * time (sqlite_feedback.c says why) */
  SQ_FEEDBACK_NEXT_SEQ,
  SQ_FEEDBACK_INSERT,
  SQ_FEEDBACK_BY_ID,
  SQ_FEEDBACK_BY_CODE,
  SQ_FEEDBACK_BY_NUMBER,
  SQ_FEEDBACK_LIST_PERIOD,
  SQ_FEEDBACK_UPDATE,
  SQ_FEEDBACK_ENTRY_APPEND,
  SQ_FEEDBACK_ENTRY_LIST,
  SQ_COMMENDATION_INSERT,
  SQ_COMMENDATION_BY_ID,
  SQ_COMMENDATION_LIST,
  SQ_STMT_COUNT
};

struct sq_store;

struct sq_conn {
  sqlite3 *db;
  struct sq_store *st;
  struct store_tx tx;            /* what callbacks receive; tx.backend == this */
  sqlite3_stmt *stmt[SQ_STMT_COUNT];
  pthread_t owner;               /* read connections: the thread using it */
  struct sq_conn *next;          /* read connection registry */
  int64_t event_max;             /* writer: highest event id appended in this batch */
  unsigned changed;              /* writer: what this batch wrote, SQ_CHANGED_* */
  /* writer: the last audit row appended in this transaction, so that the next append
   * need not read it back; valid only inside the batch's transaction (which holds the
   * write lock) and forgotten whenever anything is rolled back. */
  bool audit_known;
  int64_t audit_last_id;
  uint8_t audit_last_hash[32];
};

/* What a batch wrote that someone keeps copies of (the versions in store.h). */
#define SQ_CHANGED_ACCOUNTS 1u  /* users, sessions or API keys */
#define SQ_CHANGED_INCIDENTS 2u /* incidents, or which incident a call belongs to */

/* A queued write (store_write or store_write_async); sqlite_writer.c runs it. */
struct sq_job {
  store_tx_fn fn;
  void *cls;
  store_done_fn done; /* called once, by the sync thread, when rc is final and durable */
  void *done_cls;
  enum store_rc rc;
  bool settled; /* writer only: rc is final, do not run again */
  bool owned;   /* allocated by write_async: freed after done */
  struct sq_job *next;
  /* Set on the first job of a batch handed to the sync thread (sqlite_sync.c), for the
   * whole batch: */
  int64_t batch_last_event; /* highest event id committed, 0 when none */
  uint64_t batch_seq;       /* the commit's number, 0 when nothing was committed */
  size_t batch_writes;      /* jobs it committed */
  unsigned batch_changed;   /* what it changed, SQ_CHANGED_* */
  struct sq_job *batch_next; /* the next batch waiting for the sync */
};

struct sq_store {
  struct store iface;
  char *path;
  int flags;
  int version;     /* schema version after migrations */
  int upto;        /* apply migrations only up to this version (tests); 0: all */
  uint64_t serial; /* distinguishes stores in the thread-local reader cache */

  /* writer (NULL when opened read-only) */
  struct sq_conn *writer;
  pthread_t thread;
  bool thread_started;
  pthread_mutex_t mu; /* guards everything below */
  pthread_cond_t work_cv;
  struct sq_job *head, *tail;
  bool stopping;
  struct store_stats stats;
  store_commit_hook hook;
  void *hook_cls;
  int64_t copy_paused_until_ns; /* writer only: after a failed copy for audit search */
  struct sq_ckpt *ckpt; /* the checkpointer (sqlite_checkpoint.c), NULL when none */
  struct sq_sync *sync; /* the sync thread (sqlite_sync.c), NULL when none */
  /* the accounts version (store.h, sqlite_accounts.c): in the shared <db>-accounts
   * file, or accounts_local when that cannot be had */
  _Atomic uint64_t *accounts;
  _Atomic uint64_t accounts_local;
  _Atomic uint64_t incidents; /* the incidents version (store.h), this process's own */

  /* read connections */
  pthread_mutex_t readers_mu;
  struct sq_conn *readers;
};

static inline struct sq_store *sq_store_of(struct store *s) { return s->cls; }
static inline struct sq_conn *sq_conn_of(struct store_tx *tx) { return tx->backend; }

/* ---- connections (sqlite_conn.c) ---- */

/* Opens a connection to st->path with sqlite3_open_v2 flags `oflags`, extended
 * result codes and the busy timeout set. NULL on failure with a message in err. */
struct sq_conn *sq_conn_open(struct sq_store *st, int oflags, char *err, size_t errlen);
/* Finalizes the cached statements, closes the database and frees c. NULL ignored. */
void sq_conn_close(struct sq_conn *c);

/* The cached statement `id`, prepared from `sql` on first use; NULL (logged) on failure.
 * Callers sq_reset() it when done. */
sqlite3_stmt *sq_stmt(struct sq_conn *c, enum sq_stmt_id id, const char *sql);
/* Resets a statement and clears its bindings, so it holds no caller pointers. */
void sq_reset(sqlite3_stmt *st);
/* Runs a cached statement that returns no rows. */
enum store_rc sq_exec(struct sq_conn *c, enum sq_stmt_id id, const char *sql);

/* Maps a SQLite result code to a store result: busy/locked → SOFT, uniqueness →
 * CONFLICT, a missing referenced row → NOT_FOUND, anything else → HARD (logged with
 * `what` and the connection's error message). */
enum store_rc sq_fail(struct sq_conn *c, int rc, const char *what);

/* Steps a statement that returns no rows and resets it. With `need_change`, a statement
 * that changed no row gives STORE_NOT_FOUND. */
enum store_rc sq_run(struct sq_conn *c, sqlite3_stmt *st, bool need_change, const char *what);

/* Reads one row: `read` copies the current row into *out. Resets st. NOT_FOUND when the
 * statement yields no row. */
typedef enum store_rc (*sq_row_fn)(sqlite3_stmt *st, struct arena *a, void *out);
enum store_rc sq_fetch_one(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                           struct arena *a, void *out);
/* Reads every row into an arena array of elements of `size` bytes. Resets st. */
enum store_rc sq_fetch_all(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                           struct arena *a, size_t size, void **out, size_t *n);
/* The same, appending to an array of *n elements with room for *cap (sq_push). */
enum store_rc sq_fetch_more(struct sq_conn *c, sqlite3_stmt *st, const char *what, sq_row_fn read,
                            struct arena *a, size_t size, void **arr, size_t *n, size_t *cap);

/* Binds a row id where 0 means "none": 0 binds SQL NULL (so that foreign keys hold),
 * and NULL reads back as 0 through sqlite3_column_int64. */
int sq_bind_id(sqlite3_stmt *st, int i, int64_t id);

/* Reports a failed sqlite3_bind_* (logged), resets st, returns STORE_HARD. */
enum store_rc sq_bind_failed(struct sq_conn *c, sqlite3_stmt *st, const char *what);

/* A caller's row limit as SQL wants it: 0 means SQ_DEFAULT_LIMIT. */
static inline int64_t sq_limit(size_t limit) {
  if (limit == 0) return SQ_DEFAULT_LIMIT;
  return limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
}

/* Binds text (NULL binds SQL NULL) and 32-byte hashes, without copying: the statement
 * must be reset before the caller's memory goes away. */
int sq_bind_text(sqlite3_stmt *st, int i, const char *s);
int sq_bind_hash(sqlite3_stmt *st, int i, const uint8_t h[32]);

/* Copies column i into the arena: *out is NULL for SQL NULL. 0 ok, -1 out of memory. */
int sq_col_str(sqlite3_stmt *st, int i, struct arena *a, const char **out);
/* Like sq_col_str but SQL NULL becomes "". */
int sq_col_str0(sqlite3_stmt *st, int i, struct arena *a, const char **out);
/* Copies a 32-byte blob column; a missing or short blob gives zeros. */
void sq_col_hash(sqlite3_stmt *st, int i, uint8_t out[32]);

/* Appends one zeroed element of `size` bytes to an arena-held array, doubling its
 * capacity as needed. Returns the element, or NULL when out of memory. */
void *sq_push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size);

/* Logs "out of memory" for `what` and returns STORE_HARD. */
enum store_rc sq_oom(const char *what);

/* Sleeps a little longer on each attempt before a soft failure is retried. */
void sq_backoff(int attempt);

/* ---- open, migrations (sqlite_open.c, migrations.c) ---- */

int sq_newest_version(void);
const char *sq_migration(int version); /* SQL text of migration 1..newest */

/* ---- transactions (sqlite_writer.c, sqlite_read.c) ---- */

int sq_writer_start(struct sq_store *st, char *err, size_t errlen);
void sq_writer_stop(struct sq_store *st);
/* WAL checkpoints on a thread of their own (sqlite_checkpoint.c), started and stopped
 * with the writer, whose connection must be open. */
/* ---- the sync thread (sqlite_sync.c) ---- */

/* Starts it and sets the writer connection to synchronous=NORMAL (the thread syncs). */
int sq_syncer_start(struct sq_store *st, char *err, size_t errlen);
/* The writer hands over a finished batch, holding st->mu: `committed` writes committed
 * (then synced first), or 0, which changed what `changed` says (SQ_CHANGED_*); the sync
 * thread advances those versions, then calls the commit hook with last_event and the
 * jobs' done callbacks. */
void sq_syncer_hand(struct sq_store *st, struct sq_job *jobs, int64_t last_event, size_t committed,
                    unsigned changed);
/* Whether a commit handed over is not synced yet, holding st->mu. The sync thread
 * signals st->work_cv when that changes. */
bool sq_syncer_busy(const struct sq_store *st);
/* Syncs and answers everything handed over, then ends the thread. */
void sq_syncer_stop(struct sq_store *st);
void sq_durable_wait(struct store *s);
uint64_t sq_incidents_version(struct store *s); /* advanced by the sync thread */

/* ---- the accounts version (sqlite_accounts.c) ---- */

void sq_accounts_open(struct sq_store *st); /* never fails: falls back to a local count */
void sq_accounts_close(struct sq_store *st);
void sq_accounts_changed(struct sq_store *st); /* after a durable commit that changed accounts */
uint64_t sq_accounts_version(struct store *s);
/* sqlite_writer.c: a batch's jobs told their results (done called, owned jobs freed);
 * or, before that, every job that succeeded marked failed. */
void sq_jobs_finish(struct sq_job *jobs);
void sq_jobs_fail(struct sq_job *jobs);

int sq_checkpointer_start(struct sq_store *st, char *err, size_t errlen);
void sq_checkpointer_stop(struct sq_store *st);
/* Background checkpoints run so far (0 when there is no checkpointer). */
uint64_t sq_checkpoints(const struct sq_store *st);
enum store_rc sq_write(struct store *s, store_tx_fn fn, void *cls);
enum store_rc sq_write_async(struct store *s, store_tx_fn fn, void *cls, store_done_fn done,
                             void *done_cls);
void sq_set_commit_hook(struct store *s, store_commit_hook hook, void *cls);
void sq_stats(struct store *s, struct store_stats *out);
/* True on st's writer thread, i.e. inside one of its write callbacks. */
bool sq_on_writer_thread(const struct sq_store *st);

enum store_rc sq_read(struct store *s, store_tx_fn fn, void *cls);
void sq_readers_close(struct sq_store *st);

/* ---- the operations, one file per table ---- */

enum store_rc sq_user_insert(struct store_tx *tx, struct user *u);
enum store_rc sq_user_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct user *out);
enum store_rc sq_user_by_name(struct store_tx *tx, const char *username, struct arena *a,
                              struct user *out);
enum store_rc sq_user_list(struct store_tx *tx, int64_t after_id, size_t limit, struct arena *a,
                           struct user **out, size_t *n);
enum store_rc sq_user_update(struct store_tx *tx, const struct user *u);
enum store_rc sq_login_failure_add(struct store_tx *tx, int64_t user_id, int64_t time_ms);
enum store_rc sq_login_failure_count(struct store_tx *tx, int64_t user_id, int64_t since_ms,
                                     int *count);
enum store_rc sq_login_failure_clear(struct store_tx *tx, int64_t user_id);

enum store_rc sq_session_insert(struct store_tx *tx, struct session *se);
enum store_rc sq_session_by_token(struct store_tx *tx, const uint8_t token_hash[32],
                                  struct arena *a, struct session *out);
enum store_rc sq_session_touch(struct store_tx *tx, int64_t id, int64_t last_seen_ms);
enum store_rc sq_session_revoke(struct store_tx *tx, int64_t id, int64_t when_ms);
enum store_rc sq_session_revoke_user(struct store_tx *tx, int64_t user_id, int64_t when_ms);
enum store_rc sq_session_revoke_user_except(struct store_tx *tx, int64_t user_id, int64_t keep_id,
                                            int64_t when_ms);

enum store_rc sq_apikey_insert(struct store_tx *tx, struct apikey *k);
enum store_rc sq_apikey_by_hash(struct store_tx *tx, const uint8_t key_hash[32], struct arena *a,
                                struct apikey *out);
enum store_rc sq_apikey_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                              struct apikey *out);
enum store_rc sq_apikey_by_name(struct store_tx *tx, const char *name, struct arena *a,
                                struct apikey *out);
enum store_rc sq_apikey_list(struct store_tx *tx, struct arena *a, struct apikey **out,
                             size_t *n);
enum store_rc sq_apikey_revoke(struct store_tx *tx, int64_t id, int64_t when_ms);

enum store_rc sq_audit_append(struct store_tx *tx, struct audit_row *row);
enum store_rc sq_audit_list(struct store_tx *tx, const struct audit_filter *f, struct arena *a,
                            struct audit_row **out, size_t *n);
enum store_rc sq_audit_walk(struct store_tx *tx,
                            int (*fn)(void *cls, const struct audit_row *row), void *cls);
/* Copies into audit_search (the search indexes, migrations.c) up to `at_most` of the
 * audit rows it lacks, oldest first, when it lacks at least `at_least`. Runs inside the
 * caller's transaction: the writer calls it in its batches (sqlite_writer.c). */
enum store_rc sq_audit_index(struct sq_conn *c, int64_t at_least, int64_t at_most);

enum store_rc sq_event_append(struct store_tx *tx, struct event *ev);
enum store_rc sq_event_list_after(struct store_tx *tx, int64_t after_id, role_set audience,
                                  size_t limit, struct arena *a, struct event **out, size_t *n);
enum store_rc sq_event_last_id(struct store_tx *tx, int64_t *id);

enum store_rc sq_idem_get(struct store_tx *tx, int64_t principal, const char *key,
                          struct arena *a, struct idem_record *out);
enum store_rc sq_idem_put(struct store_tx *tx, const struct idem_record *r);
enum store_rc sq_idem_expire(struct store_tx *tx, int64_t before_ms, size_t limit, size_t *removed);
enum store_rc sq_idem_keys(struct store_tx *tx, int (*fn)(void *cls, int64_t principal, const char *key),
                           void *cls);

/* the 110 centre (store_emergency.h): sqlite_places.c, sqlite_units.c, sqlite_tcalls.c,
 * sqlite_calls.c, sqlite_incidents.c, sqlite_callstats.c */
enum store_rc sq_county_upsert(struct store_tx *tx, struct county *c);
enum store_rc sq_county_list(struct store_tx *tx, struct arena *a, struct county **out, size_t *n);
enum store_rc sq_station_upsert(struct store_tx *tx, struct station *s);
enum store_rc sq_station_list(struct store_tx *tx, struct arena *a, struct station **out,
                              size_t *n);
enum store_rc sq_entry_point_upsert(struct store_tx *tx, struct entry_point *e);
enum store_rc sq_entry_point_list(struct store_tx *tx, struct arena *a, struct entry_point **out,
                                  size_t *n);

enum store_rc sq_unit_upsert(struct store_tx *tx, struct unit *u);
enum store_rc sq_unit_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct unit *out);
enum store_rc sq_unit_list(struct store_tx *tx, const struct unit_filter *f, struct arena *a,
                           struct unit **out, size_t *n);
enum store_rc sq_unit_update(struct store_tx *tx, const struct unit *u);
enum store_rc sq_unit_position_add(struct store_tx *tx, int64_t unit_id, double lat, double lon,
                                   int64_t time_ms);

enum store_rc sq_tcall_insert(struct store_tx *tx, struct telephony_call *t);
enum store_rc sq_tcall_by_ext(struct store_tx *tx, const char *ext_id, struct arena *a,
                              struct telephony_call *out);
enum store_rc sq_tcall_update(struct store_tx *tx, const struct telephony_call *t);
enum store_rc sq_tcall_list_open(struct store_tx *tx, struct arena *a, struct telephony_call **out,
                                 size_t *n);
enum store_rc sq_tcall_count_abandoned(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                       int64_t *count);

enum store_rc sq_call_insert(struct store_tx *tx, struct call *c);
enum store_rc sq_call_by_id(struct store_tx *tx, int64_t id, struct arena *a, struct call *out);
enum store_rc sq_call_list(struct store_tx *tx, const struct call_filter *f, struct arena *a,
                           struct call **out, size_t *n);
enum store_rc sq_call_set_incident(struct store_tx *tx, int64_t call_id, int64_t incident_id);

enum store_rc sq_incident_next_seq(struct store_tx *tx, int year, int64_t *seq);
enum store_rc sq_incident_insert(struct store_tx *tx, struct incident *i);
enum store_rc sq_incident_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                struct incident *out);
enum store_rc sq_incident_list(struct store_tx *tx, const struct incident_filter *f,
                               struct arena *a, struct incident **out, size_t *n);
enum store_rc sq_incident_update(struct store_tx *tx, const struct incident *i);
enum store_rc sq_incident_list_open_since(struct store_tx *tx, int64_t since_ms, struct arena *a,
                                          struct incident **out, size_t *n);
enum store_rc sq_timeline_append(struct store_tx *tx, struct timeline_entry *e);
enum store_rc sq_timeline_list(struct store_tx *tx, int64_t incident_id, struct arena *a,
                               struct timeline_entry **out, size_t *n);

enum store_rc sq_call_timing_list(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                  struct arena *a, struct call_timing **out, size_t *n);

/* the 197 desk (store_feedback.h): sqlite_feedback.c, sqlite_commendations.c */
enum store_rc sq_feedback_next_seq(struct store_tx *tx, int year, int64_t *seq);
enum store_rc sq_feedback_insert(struct store_tx *tx, struct feedback *f);
enum store_rc sq_feedback_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                struct feedback *out);
enum store_rc sq_feedback_by_code(struct store_tx *tx, const uint8_t code_hash[32],
                                  struct arena *a, struct feedback *out);
enum store_rc sq_feedback_by_number(struct store_tx *tx, int year, int64_t seq, struct arena *a,
                                    struct feedback *out);
enum store_rc sq_feedback_list(struct store_tx *tx, const struct feedback_filter *f,
                               struct arena *a, struct feedback **out, size_t *n);
enum store_rc sq_feedback_list_period(struct store_tx *tx, int64_t from_ms, int64_t to_ms,
                                      struct arena *a, struct feedback **out, size_t *n);
enum store_rc sq_feedback_update(struct store_tx *tx, const struct feedback *f);
enum store_rc sq_feedback_entry_append(struct store_tx *tx, struct feedback_entry *e);
enum store_rc sq_feedback_entry_list(struct store_tx *tx, int64_t feedback_id, bool citizen_only,
                                     struct arena *a, struct feedback_entry **out, size_t *n);
enum store_rc sq_commendation_insert(struct store_tx *tx, struct commendation *c);
enum store_rc sq_commendation_by_id(struct store_tx *tx, int64_t id, struct arena *a,
                                    struct commendation *out);
enum store_rc sq_commendation_list(struct store_tx *tx, const struct commendation_filter *f,
                                   struct arena *a, struct commendation **out, size_t *n);

#endif
