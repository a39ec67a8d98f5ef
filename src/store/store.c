/* store.c — the backend-neutral part of the store interface; see store.h. */
#include "store/store.h"

#include "store/store_tx.h"

struct store *store_of(struct store_tx *tx) { return tx->store; }
