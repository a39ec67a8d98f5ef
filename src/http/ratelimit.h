/* ratelimit.h — limits how often one client may do one thing (log-in attempts per
 * address, for instance).
 *
 * A token bucket per (bucket name, key): it holds at most `per_minute` tokens and
 * refills at per_minute tokens a minute; each request takes one. The table has a fixed
 * number of slots, so memory stays bounded however many addresses call: when a
 * neighbourhood of slots is full, the entry idle the longest is evicted (an evicted
 * client merely gets a full bucket again). Thread-safe. The limiter is owned by whoever
 * made it with ratelimit_new() and released with ratelimit_free().
 */
#ifndef HAMYAR_HTTP_RATELIMIT_H
#define HAMYAR_HTTP_RATELIMIT_H

struct rate_limiter;
struct http_req;

/* `slots`: table size (0: 4096). NULL when out of memory. */
struct rate_limiter *ratelimit_new(unsigned slots);
void ratelimit_free(struct rate_limiter *rl);

/* Takes one token. 0 allowed, -1 limited. per_minute 0 means no limit. */
int ratelimit_take(struct rate_limiter *rl, const char *bucket, const char *key,
                   unsigned per_minute);
/* The same; when limited, *retry_after_s is the wait until a token is back (≥ 1). */
int ratelimit_take_retry(struct rate_limiter *rl, const char *bucket, const char *key,
                         unsigned per_minute, unsigned *retry_after_s);

/* For handlers: limits the caller's address in `bucket`. 0 allowed; -1 after
 * answering 429 rate_limited with a Retry-After header (return http_last_status). */
int http_rate_limit_or_reply(struct http_req *req, const char *bucket, unsigned per_minute);

#endif
