/* store_tx.h — the transaction handle every backend hands to callbacks (private to
 * src/store/).
 *
 * Code above the store sees `struct store_tx` only as an opaque pointer. Backends embed
 * one of these in whatever carries their connection, set `store` to the store the
 * transaction belongs to, and `backend` to their own per-connection state. The handle
 * is owned by the backend and lives as long as its connection.
 */
#ifndef HAMYAR_STORE_STORE_TX_H
#define HAMYAR_STORE_STORE_TX_H

#include "store/store.h"

struct store_tx {
  struct store *store;
  void *backend;
};

#endif
