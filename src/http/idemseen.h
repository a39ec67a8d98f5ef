/* idemseen.h — the Idempotency-Keys this server may have stored an answer for.
 *
 * A creating POST with an Idempotency-Key first looks for a stored answer (tx.c), so
 * that a retry is answered from it. Nearly every key is new, and that read finds
 * nothing. This filter (two Bloom filters) says "new" only of a key it has surely not
 * seen; such a request goes straight to its write. "Perhaps seen" (a key seen before,
 * or now and then a new one) reads as before. The server notes every key a request
 * brings and, when it starts, every key of an answer the store keeps.
 *
 * Passing over a stored key is never wrong, only slower: the stored answer's unique
 * (principal, key) makes the second write fail, and the request is answered from the
 * stored answer, as twins sent at once always were (tx.c, write_answer). That is what
 * lets the filter forget: keys go into the newer of two generations, and
 * idem_seen_rotate clears the older and makes it the newer. Rotated once per time an
 * answer is kept, a key is remembered at least that long.
 *
 * Thread-safe: notes come from every worker thread, rotation from the sweep.
 */
#ifndef HAMYAR_HTTP_IDEMSEEN_H
#define HAMYAR_HTTP_IDEMSEEN_H

#include <stdbool.h>
#include <stdint.h>

struct idem_seen;

/* A filter of 2^bits_log2 bits per generation (10 to 30); NULL when out of memory. */
struct idem_seen *idem_seen_new(unsigned bits_log2);
void idem_seen_free(struct idem_seen *f);

/* Notes principal's key; true when it was perhaps noted before (read the store), false
 * when it surely was not (in neither generation). */
bool idem_seen_note(struct idem_seen *f, int64_t principal, const char *key);

/* Notes a key without asking (a stored one, when the server starts); not counted. */
void idem_seen_add(struct idem_seen *f, int64_t principal, const char *key);

/* Forgets the older generation's keys, and notes from now on into it. */
void idem_seen_rotate(struct idem_seen *f);
/* Rotates when every_ms have passed since the last rotation, or since the first call
 * (the sweep calls it with the time an answer is kept). Not for concurrent callers. */
void idem_seen_age(struct idem_seen *f, int64_t now_ms, int64_t every_ms);

/* idem_seen_note's answers since the start: surely new, and perhaps seen. */
void idem_seen_counts(const struct idem_seen *f, uint64_t *fresh, uint64_t *perhaps);

#endif
