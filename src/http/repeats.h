/* repeats.h — the open incidents a new 110 call may repeat, as the duplicate search
 * (core/repeat.h) needs them: each incident with the callers and times of its newest
 * calls.
 *
 * Every call the centre records looks for them, and between two changes to incidents
 * (rare beside new calls) every call would read the same rows: a read transaction per
 * call, with its locks, for nothing new. So what one read found is kept and used by the
 * calls after it while the store's incidents version (store.h) is unchanged, for at
 * most keep_ms. The read takes every open incident updated in the widest window before
 * it ran, so a later call needs only those updated in its own window: a subset, as
 * nothing changed meanwhile.
 *
 * Ownership: the caller of repeats_new owns the cache and releases it with
 * repeats_free. Candidates found through it point into the arena the caller passes.
 * Thread-safe.
 */
#ifndef HAMYAR_HTTP_REPEATS_H
#define HAMYAR_HTTP_REPEATS_H

#include "core/repeat.h"
#include "store/store.h"
#include "util/arena.h"

struct repeats;

/* keep_ms: the longest a read is used (0: not kept at all; every call reads). NULL when
 * out of memory. */
struct repeats *repeats_new(int64_t keep_ms);
void repeats_free(struct repeats *r);

/* The candidates for call c (its created_ms, caller and place set), ranked as
 * repeat_candidates does, at most max in out, how many in *m; their incidents are
 * copied into a. Reads the store only when what was kept cannot be trusted. */
enum store_rc repeats_find(struct repeats *r, struct store *s, const struct call *c, const struct repeat_config *cfg,
                           struct arena *a, struct repeat_candidate *out, size_t max, size_t *m);

/* The same inside a transaction the caller holds, which it reads (nothing is kept):
 * for a write that must read its own state first. */
enum store_rc repeats_find_in(struct store_tx *tx, const struct call *c, const struct repeat_config *cfg,
                              struct arena *a, struct repeat_candidate *out, size_t max, size_t *m);

/* How many searches used what was kept, and how many read the store. */
void repeats_counts(struct repeats *r, uint64_t *kept, uint64_t *read);

#endif
