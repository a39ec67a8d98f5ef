/* authcache.h — credentials recently checked against the store, kept in memory.
 *
 * Every API request names its caller (a session token or an API key), and reading the
 * session and its user back from the store took a read transaction each time: at a
 * busy centre a sixth of the server's work, for an answer that changes a few times a
 * day. The cache keeps what auth.c read, by the SHA-256 of the credential, and gives
 * it back while both hold:
 *   - the store's accounts_version is the one read before the store was (any change
 *     to users, sessions or API keys made through this store, committed and durable,
 *     advances it: a log-out, a disabled user, a changed role, a revoked key count at
 *     once, for every credential);
 *   - it is younger than keep_ms (what another process changed, the CLI on the same
 *     database, counts after at most that long).
 * Only what auth.c needs is kept, never the credential itself. The table has a fixed
 * number of slots (a newer entry replaces an older one in its slot), so memory stays
 * bounded however many credentials come. Thread-safe. The cache belongs to whoever
 * made it with authcache_new() and is released with authcache_free().
 */
#ifndef HAMYAR_HTTP_AUTHCACHE_H
#define HAMYAR_HTTP_AUTHCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

struct arena;
struct authcache;

/* keep_ms ≤ 0: nothing is kept (every lookup misses). NULL when out of memory. */
struct authcache *authcache_new(int64_t keep_ms);
void authcache_free(struct authcache *c);

/* A session with the parts of its user that authentication uses (id, username,
 * roles, latin_digits; never disabled; user's other strings NULL). true when found:
 * *se and *user filled, the username copied into a. */
bool authcache_session(struct authcache *c, const uint8_t hash[32], uint64_t version, struct arena *a,
                       struct session *se, struct user *user);
/* Keeps a session read from the store while the store's accounts_version was
 * `version` (read before the store); a revoked session or a disabled user's is not
 * kept. */
void authcache_keep_session(struct authcache *c, const uint8_t hash[32], uint64_t version,
                            const struct session *se, const struct user *user);

/* The same for an API key (id, name, role, unit_id; never revoked; name copied into a). */
bool authcache_apikey(struct authcache *c, const uint8_t hash[32], uint64_t version, struct arena *a,
                      struct apikey *key);
void authcache_keep_apikey(struct authcache *c, const uint8_t hash[32], uint64_t version,
                           const struct apikey *key);

/* Forgets the credential (what was kept of it no longer passes auth.c's checks). */
void authcache_forget(struct authcache *c, const uint8_t hash[32]);

/* Lookups answered from memory and from the store, for /metrics. */
void authcache_counts(struct authcache *c, uint64_t *hits, uint64_t *misses);

#endif
