/* store_rc.h — the result of every store operation (see store.h). Separate so that the
 * per-domain parts of the interface (store_emergency.h, ...) can name it. */
#ifndef HAMYAR_STORE_STORE_RC_H
#define HAMYAR_STORE_STORE_RC_H

enum store_rc {
  STORE_OK = 0,
  STORE_NOT_FOUND = 1, /* no such row (or a row it refers to, e.g. the user of a session) */
  STORE_CONFLICT = 2,  /* a uniqueness rule would be broken (e.g. username taken) */
  STORE_SOFT = -1,     /* transient (busy, serialization); retried inside the store */
  STORE_HARD = -2,     /* failure; logged */
};

#endif
