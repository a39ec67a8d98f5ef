/* sqlite_open.c — opening a SQLite store: checks on the file, connection settings,
 * schema version and migrations, and closing. See store.h for the contract. */
#include <errno.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/sqlite/sqlite_int.h"
#include "store/sqlite/store_sqlite.h"
#include "util/log.h"

static atomic_uint_fast64_t next_serial = 1;

/* The first column of the first row of `sql` as an integer (0 when there is no row). */
static int query_int(sqlite3 *db, const char *sql, int64_t *out) {
  sqlite3_stmt *st = NULL;
  *out = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      *out = sqlite3_column_int64(st, 0);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* The first column of the first row of `sql` as text, into out ("" when no row). */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t outlen) {
  sqlite3_stmt *st = NULL;
  out[0] = '\0';
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char *t = sqlite3_column_text(st, 0);
      snprintf(out, outlen, "%s", t ? (const char *)t : "");
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(st);
  return rc;
}

/* The file's schema version: 0 for an empty database, -1 (with a message) when the
 * file cannot be read or is not a hamyar database. */
static int read_version(struct sq_store *st, sqlite3 *db, char *err, size_t errlen) {
  int64_t has_table = 0, tables = 0, version = 0;
  int rc = query_int(db,
                     "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                     "'schema_version'",
                     &has_table);
  if (rc == SQLITE_OK && has_table)
    rc = query_int(db, "SELECT version FROM schema_version", &version);
  else if (rc == SQLITE_OK)
    rc = query_int(db, "SELECT count(*) FROM sqlite_master", &tables);
  if ((rc & 0xff) == SQLITE_NOTADB) {
    snprintf(err, errlen, "%s is not a hamyar database (not a SQLite file)", st->path);
    return -1;
  }
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot read database %s: %s", st->path, sqlite3_errmsg(db));
    return -1;
  }
  if (!has_table && tables > 0) {
    snprintf(err, errlen,
             "%s is not a hamyar database (it has tables but no schema_version); give "
             "`--db` a new file name",
             st->path);
    return -1;
  }
  if (version < 0 || version > 1000000) {
    snprintf(err, errlen, "database %s has an invalid schema version %lld", st->path,
             (long long)version);
    return -1;
  }
  return (int)version;
}

/* Durability and integrity settings of the writer connection. journal_mode is stored in
 * the file; synchronous and foreign_keys hold per connection. */
static int set_pragmas(struct sq_store *st, sqlite3 *db, char *err, size_t errlen) {
  char mode[16];
  int rc = query_text(db, "PRAGMA journal_mode = WAL", mode, sizeof mode);
  if (rc == SQLITE_OK && strcmp(mode, "wal") != 0) {
    snprintf(err, errlen, "database %s cannot use write-ahead logging (journal mode %s)",
             st->path, mode);
    return -1;
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  /* Each write of a batch runs in its own savepoint, whose undo pages (the statement
   * journal) SQLite otherwise spills to a temporary file: a pwrite per page, thousands
   * a second under load. They are only ever needed to roll a savepoint back, never
   * after a crash (the WAL is what makes a commit durable), so memory does. */
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "cannot configure database %s: %s", st->path, sqlite3_errmsg(db));
    return -1;
  }
  return 0;
}

/* Applies migration `to` in its own transaction, unless another process got there
 * first (the version is read again under the write lock). */
static int migrate_one(struct sq_store *st, sqlite3 *db, int to, char *err, size_t errlen) {
  int64_t now = 0;
  char step[64];
  snprintf(step, sizeof step, "UPDATE schema_version SET version = %d", to);
  int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(db,
                      "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);"
                      "INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS "
                      "(SELECT 1 FROM schema_version)",
                      NULL, NULL, NULL);
  if (rc == SQLITE_OK) rc = query_int(db, "SELECT version FROM schema_version", &now);
  if (rc == SQLITE_OK && now < to) {
    /* Some migrations rewrite a table or an index: minutes on a year of records. */
    if (now > 0)
      log_msg(LOG_INFO, "store.migrate", "migrating database %s from schema version %lld to %d",
              st->path, (long long)now, to);
    rc = sqlite3_exec(db, sq_migration(to), NULL, NULL, NULL);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, step, NULL, NULL, NULL);
  }
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    snprintf(err, errlen, "migrating database %s to schema version %d failed: %s", st->path,
             to, sqlite3_errmsg(db));
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
  }
  if (now < to) log_msg(LOG_INFO, "store.migrate", "database %s now at schema version %d",
                        st->path, to);
  return 0;
}

/* Checks the version, configures the connection and brings the schema up to date. */
static int prepare_schema(struct sq_store *st, sqlite3 *db, char *err, size_t errlen) {
  int newest = sq_newest_version();
  int version = read_version(st, db, err, errlen);
  if (version < 0) return -1;
  if (version > newest) {
    snprintf(err, errlen,
             "database %s has schema version %d but this hamyar knows only up to %d; "
             "upgrade hamyar or use a copy of the database made for this version",
             st->path, version, newest);
    return -1;
  }
  int target = st->upto > 0 && st->upto < newest ? st->upto : newest;
  if (st->flags & STORE_OPEN_READONLY) {
    if (version == 0) {
      snprintf(err, errlen, "database %s has no hamyar schema; run `hamyar init --db %s` first",
               st->path, st->path);
      return -1;
    }
    if (version < newest) {
      snprintf(err, errlen,
               "database %s has schema version %d but this hamyar needs %d; open it once "
               "read-write with this hamyar (e.g. `hamyar init --db %s`) to migrate it",
               st->path, version, newest, st->path);
      return -1;
    }
    st->version = version;
    return 0;
  }
  if (set_pragmas(st, db, err, errlen) != 0) return -1;
  for (int to = version + 1; to <= target; to++)
    if (migrate_one(st, db, to, err, errlen) != 0) return -1;
  st->version = version > target ? version : target;
  return 0;
}

static void sq_close(struct store *s) {
  struct sq_store *st = sq_store_of(s);
  /* Readers first: the last connection to close checkpoints the WAL into the file,
   * and that is the writer's job. */
  sq_readers_close(st);
  sq_writer_stop(st);
  sq_accounts_close(st);
  pthread_mutex_destroy(&st->mu);
  pthread_cond_destroy(&st->work_cv);
  pthread_mutex_destroy(&st->readers_mu);
  free(st->path);
  free(st);
}

static int sq_schema_version(struct store *s) { return sq_store_of(s)->version; }

static const struct store sq_iface = {
    .backend = "sqlite",
    .close = sq_close,
    .write = sq_write,
    .write_async = sq_write_async,
    .read = sq_read,
    .set_commit_hook = sq_set_commit_hook,
    .durable_wait = sq_durable_wait,
    .accounts_version = sq_accounts_version,
    .incidents_version = sq_incidents_version,
    .stats = sq_stats,
    .schema_version = sq_schema_version,
    .user_insert = sq_user_insert,
    .user_by_id = sq_user_by_id,
    .user_by_name = sq_user_by_name,
    .user_list = sq_user_list,
    .user_update = sq_user_update,
    .login_failure_add = sq_login_failure_add,
    .login_failure_count = sq_login_failure_count,
    .login_failure_clear = sq_login_failure_clear,
    .session_insert = sq_session_insert,
    .session_by_token = sq_session_by_token,
    .session_touch = sq_session_touch,
    .session_revoke = sq_session_revoke,
    .session_revoke_user = sq_session_revoke_user,
    .session_revoke_user_except = sq_session_revoke_user_except,
    .apikey_insert = sq_apikey_insert,
    .apikey_by_hash = sq_apikey_by_hash,
    .apikey_by_id = sq_apikey_by_id,
    .apikey_by_name = sq_apikey_by_name,
    .apikey_list = sq_apikey_list,
    .apikey_revoke = sq_apikey_revoke,
    .audit_append = sq_audit_append,
    .audit_list = sq_audit_list,
    .audit_walk = sq_audit_walk,
    .event_append = sq_event_append,
    .event_list_after = sq_event_list_after,
    .event_last_id = sq_event_last_id,
    .idem_get = sq_idem_get,
    .idem_put = sq_idem_put,
    .idem_expire = sq_idem_expire,
    .idem_keys = sq_idem_keys,
    .em =
        {
            .county_upsert = sq_county_upsert,
            .county_list = sq_county_list,
            .station_upsert = sq_station_upsert,
            .station_list = sq_station_list,
            .entry_point_upsert = sq_entry_point_upsert,
            .entry_point_list = sq_entry_point_list,
            .unit_upsert = sq_unit_upsert,
            .unit_by_id = sq_unit_by_id,
            .unit_list = sq_unit_list,
            .unit_update = sq_unit_update,
            .unit_position_add = sq_unit_position_add,
            .tcall_insert = sq_tcall_insert,
            .tcall_by_ext = sq_tcall_by_ext,
            .tcall_update = sq_tcall_update,
            .tcall_list_open = sq_tcall_list_open,
            .tcall_count_abandoned = sq_tcall_count_abandoned,
            .call_insert = sq_call_insert,
            .call_by_id = sq_call_by_id,
            .call_list = sq_call_list,
            .call_set_incident = sq_call_set_incident,
            .incident_next_seq = sq_incident_next_seq,
            .incident_insert = sq_incident_insert,
            .incident_by_id = sq_incident_by_id,
            .incident_list = sq_incident_list,
            .incident_update = sq_incident_update,
            .incident_list_open_since = sq_incident_list_open_since,
            .timeline_append = sq_timeline_append,
            .timeline_list = sq_timeline_list,
            .call_timing_list = sq_call_timing_list,
        },
    .fb =
        {
            .next_seq = sq_feedback_next_seq,
            .insert = sq_feedback_insert,
            .by_id = sq_feedback_by_id,
            .by_code = sq_feedback_by_code,
            .by_number = sq_feedback_by_number,
            .list = sq_feedback_list,
            .list_period = sq_feedback_list_period,
            .update = sq_feedback_update,
            .entry_append = sq_feedback_entry_append,
            .entry_list = sq_feedback_entry_list,
            .commendation_insert = sq_commendation_insert,
            .commendation_by_id = sq_commendation_by_id,
            .commendation_list = sq_commendation_list,
        },
};

/* A missing file gets its own message: it is what a newcomer meets first. */
static int check_file(const char *path, int flags, char *err, size_t errlen) {
  struct stat sb;
  if (stat(path, &sb) == 0) {
    if (S_ISDIR(sb.st_mode)) {
      snprintf(err, errlen, "database %s is a directory; give `--db` a file name", path);
      return -1;
    }
    return 0;
  }
  if (errno != ENOENT) {
    snprintf(err, errlen, "cannot open database %s: %s", path, strerror(errno));
    return -1;
  }
  if (!(flags & STORE_OPEN_CREATE) || (flags & STORE_OPEN_READONLY)) {
    snprintf(err, errlen, "database %s does not exist; run `hamyar init --db %s` first", path,
             path);
    return -1;
  }
  return 0;
}

/* Opens with migrations applied up to `upto` (0: all); see store_sqlite_open_upto. */
/* SQLite's memory statistics take a process-wide mutex on every allocation, and
 * hamyar reads none of them. Must run before SQLite initialises; if something else
 * initialised it first the call fails harmlessly and the statistics stay on. */
static void configure_sqlite(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static struct store *open_store(const char *path, int flags, int upto, char *err,
                                size_t errlen) {
  char scratch[1];
  if (!err || errlen == 0) {
    err = scratch;
    errlen = sizeof scratch;
  }
  err[0] = '\0';
  static pthread_once_t configured = PTHREAD_ONCE_INIT;
  pthread_once(&configured, configure_sqlite);
  if (!path || !*path) {
    snprintf(err, errlen, "no database file given; pass `--db FILE`");
    return NULL;
  }
  if (check_file(path, flags, err, errlen) != 0) return NULL;
  if (sodium_init() < 0) { /* audit_append hashes with libsodium */
    snprintf(err, errlen, "cannot initialise libsodium");
    return NULL;
  }

  struct sq_store *st = calloc(1, sizeof *st);
  char *dup = strdup(path);
  if (!st || !dup) {
    free(st);
    free(dup);
    snprintf(err, errlen, "out of memory opening database %s", path);
    return NULL;
  }
  st->iface = sq_iface;
  st->iface.cls = st;
  st->path = dup;
  st->flags = flags;
  st->upto = upto;
  st->serial = atomic_fetch_add(&next_serial, 1);
  pthread_mutex_init(&st->mu, NULL);
  pthread_cond_init(&st->work_cv, NULL);
  pthread_mutex_init(&st->readers_mu, NULL);
  sq_accounts_open(st);

  bool readonly = (flags & STORE_OPEN_READONLY) != 0;
  int oflags = SQLITE_OPEN_READONLY;
  if (!readonly)
    oflags = SQLITE_OPEN_READWRITE | ((flags & STORE_OPEN_CREATE) ? SQLITE_OPEN_CREATE : 0);
  struct sq_conn *c = sq_conn_open(st, oflags, err, errlen);
  int ok = c && prepare_schema(st, c->db, err, errlen) == 0;
  if (ok && readonly) {
    sq_conn_close(c); /* readers open their own; a read-only store has no writer */
  } else if (ok) {
    st->writer = c;
    ok = sq_writer_start(st, err, errlen) == 0;
  } else {
    sq_conn_close(c);
  }
  if (!ok) {
    sq_close(&st->iface);
    return NULL;
  }
  return &st->iface;
}

struct store *store_sqlite_open(const char *path, int flags, char *err, size_t errlen) {
  return open_store(path, flags, 0, err, errlen);
}

struct store *store_sqlite_open_upto(const char *path, int flags, int version, char *err,
                                     size_t errlen) {
  return open_store(path, flags, version, err, errlen);
}

struct sqlite3 *store_sqlite_db(struct store_tx *tx) {
  if (!tx || !tx->store || !tx->store->backend || strcmp(tx->store->backend, "sqlite") != 0)
    return NULL;
  return sq_conn_of(tx)->db;
}

int store_sqlite_newest_version(void) { return sq_newest_version(); }
