/* audit.h — the audit chain's rule: how a row is made canonical and hashed.
 *
 * Each audit row's hash is SHA-256 over the previous row's hash (32 bytes, all zero
 * before row 1) followed by the row's canonical text: a compact JSON object with the
 * fields in a fixed order (id, time_ms, actor_id, actor, action, subject, detail, ip,
 * request_id). Changing any stored field of any row, or deleting or reordering rows,
 * breaks the chain from that row on, which `hamyar audit verify` reports.
 */
#ifndef HAMYAR_CORE_AUDIT_H
#define HAMYAR_CORE_AUDIT_H

#include <stdint.h>

#include "store/store.h"

/* The canonical text of a row (malloc'd; caller frees), or NULL when out of memory.
 * prev_hash and hash are not part of it. */
char *audit_canonical(const struct audit_row *row);

/* out = SHA-256(prev || audit_canonical(row)). 0 on success, -1 out of memory. */
int audit_row_hash(const struct audit_row *row, const uint8_t prev[32], uint8_t out[32]);

/* Checks one row against the hash of the row before it. 0 when it matches, 1 when its
 * prev_hash is not `expected_prev`, 2 when its own hash does not match its content. */
int audit_check_row(const struct audit_row *row, const uint8_t expected_prev[32]);

#endif
