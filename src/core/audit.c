/* audit.c — canonical rows and the hash chain; see audit.h. */
#include "core/audit.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *nz(const char *s) { return s ? s : ""; }

char *audit_canonical(const struct audit_row *row) {
  json_t *o = json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)row->id,
                        "time_ms", (json_int_t)row->time_ms, "actor_id",
                        (json_int_t)row->actor_id, "actor", nz(row->actor), "action",
                        nz(row->action), "subject", nz(row->subject), "detail",
                        row->detail ? row->detail : "{}", "ip", nz(row->ip), "request_id",
                        nz(row->request_id));
  if (!o) return NULL;
  char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
  json_decref(o);
  return text;
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
