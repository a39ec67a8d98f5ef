/* store_sqlite.h — what the SQLite backend offers beyond store.h, for its own tests,
 * benchmarks and diagnostics. Code that should work on every backend uses store.h only.
 * (store_sqlite_open itself is declared in store.h, since it is how hamyar opens its
 * default store.)
 */
#ifndef HAMYAR_STORE_SQLITE_STORE_SQLITE_H
#define HAMYAR_STORE_SQLITE_STORE_SQLITE_H

#include "store/store.h"

struct sqlite3;

/* The SQLite connection a transaction runs on (the writer's inside store_write(), the
 * calling thread's read connection inside store_read()). Valid only during the callback;
 * the caller must not close it, change its settings or end its transaction. NULL when
 * tx does not belong to a SQLite store. */
struct sqlite3 *store_sqlite_db(struct store_tx *tx);

/* The newest schema version this binary knows (the number of its migrations). */
int store_sqlite_newest_version(void);

/* For tests of migrations: like store_sqlite_open, but applies migrations only up to
 * `version` (≤ 0 or beyond the newest: all), so that a test can make the database an
 * older hamyar would have made, then open it with store_sqlite_open to migrate it. A
 * store opened so lacks the newer tables: only the operations of its schema work. */
struct store *store_sqlite_open_upto(const char *path, int flags, int version, char *err,
                                     size_t errlen);

#endif
