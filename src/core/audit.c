/* audit.c — canonical rows and the hash chain; see audit.h.
 *
 * The canonical text is what Jansson printed for the row as a JSON object (keys in the
 * order below, compact, JSON_ENSURE_ASCII) when the chain was first written; it is
 * built here by hand, byte for byte the same, because it is made for every audited
 * request on the store's single writer thread. Any change to these bytes breaks every
 * chain already stored (`hamyar audit verify`). */
#include "core/audit.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/jtext.h"

/* The most a canonical row may take: its strings come from one request. */
#define CANONICAL_MAX (64u << 20)

static const char *nz(const char *s) { return s ? s : ""; }

char *audit_canonical(const struct audit_row *row) {
  struct buf b;
  buf_init(&b, CANONICAL_MAX);
  const struct {
    const char *key;
    const char *text;
  } strings[] = {{",\"actor\":", nz(row->actor)},
                 {",\"action\":", nz(row->action)},
                 {",\"subject\":", nz(row->subject)},
                 {",\"detail\":", row->detail ? row->detail : "{}"},
                 {",\"ip\":", nz(row->ip)},
                 {",\"request_id\":", nz(row->request_id)}};
  const struct {
    const char *key;
    int64_t value;
  } numbers[] = {{"{\"id\":", row->id}, {",\"time_ms\":", row->time_ms}, {",\"actor_id\":", row->actor_id}};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < sizeof numbers / sizeof numbers[0]; i++) {
    rc = buf_puts(&b, numbers[i].key);
    if (rc == 0) rc = jtext_int(&b, numbers[i].value);
  }
  for (size_t i = 0; rc == 0 && i < sizeof strings / sizeof strings[0]; i++) {
    rc = buf_puts(&b, strings[i].key);
    if (rc == 0) rc = jtext_string(&b, strings[i].text, true);
  }
  if (rc == 0) rc = buf_putc(&b, '}');
  if (rc != 0) {
    buf_free(&b);
    return NULL;
  }
  return buf_steal(&b);
}

int audit_row_hash(const struct audit_row *row, const uint8_t prev[32], uint8_t out[32]) {
  char *text = audit_canonical(row);
  if (!text) return -1;
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, prev, 32);
  crypto_hash_sha256_update(&st, (const unsigned char *)text, strlen(text));
  crypto_hash_sha256_final(&st, out);
  free(text);
  return 0;
}

int audit_check_row(const struct audit_row *row, const uint8_t expected_prev[32]) {
  if (sodium_memcmp(row->prev_hash, expected_prev, 32) != 0) return 1;
  uint8_t h[32];
  if (audit_row_hash(row, row->prev_hash, h) != 0 || sodium_memcmp(h, row->hash, 32) != 0)
    return 2;
  return 0;
}
