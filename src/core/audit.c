/* audit.c — canonical rows and the hash chain; see audit.h.
 *
 * The canonical text is what Jansson printed for the row as a JSON object (keys in the
 * order below, compact, JSON_ENSURE_ASCII) when the chain was first written; it is
 * built here by hand, byte for byte the same, because it is made for every audited
 * request on the store's single writer thread. Any change to these bytes breaks every
 * chain already stored (`hamyar audit verify`). */
#include "core/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* The most a canonical row may take: its strings come from one request. */
#define CANONICAL_MAX (64u << 20)

static const char *nz(const char *s) { return s ? s : ""; }

/* The next code point of UTF-8 text s (advanced past it); -1 when s is not well-formed
 * UTF-8 (overlong forms, surrogates, past U+10FFFF), which Jansson also refuses. */
static int32_t next_code_point(const unsigned char **s) {
  const unsigned char *p = *s;
  unsigned char b = p[0];
  int32_t cp;
  size_t n;
  if (b < 0x80) {
    *s = p + 1;
    return b;
  } else if (b >= 0xC2 && b <= 0xDF) {
    cp = b & 0x1F;
    n = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    cp = b & 0x0F;
    n = 3;
  } else if (b >= 0xF0 && b <= 0xF4) {
    cp = b & 0x07;
    n = 4;
  } else {
    return -1;
  }
  for (size_t k = 1; k < n; k++) {
    if ((p[k] & 0xC0) != 0x80) return -1; /* also stops at the terminating NUL */
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
      (cp >= 0xD800 && cp <= 0xDFFF))
    return -1;
  *s = p + n;
  return cp;
}

/* s as a JSON string the way Jansson writes it with JSON_ENSURE_ASCII: the two
 * mandatory escapes, the short forms of five control characters, \uXXXX (upper-case
 * hex) for other control characters and everything past ASCII, surrogate pairs past
 * the BMP; '/' and DEL as they are. */
static int put_string(struct buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s;
  if (buf_putc(b, '"') != 0) return -1;
  while (*p) {
    const unsigned char *run = p;
    while (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') p++;
    if (p > run && buf_append(b, run, (size_t)(p - run)) != 0) return -1;
    if (!*p) break;
    int32_t cp = next_code_point(&p);
    if (cp < 0) return -1;
    const char *esc = NULL;
    switch (cp) {
      case '"': esc = "\\\""; break;
      case '\\': esc = "\\\\"; break;
      case '\b': esc = "\\b"; break;
      case '\f': esc = "\\f"; break;
      case '\n': esc = "\\n"; break;
      case '\r': esc = "\\r"; break;
      case '\t': esc = "\\t"; break;
      default: break;
    }
    if (esc) {
      if (buf_puts(b, esc) != 0) return -1;
      continue;
    }
    int32_t units[2] = {cp, -1};
    if (cp >= 0x10000) {
      units[0] = 0xD800 | ((cp - 0x10000) >> 10);
      units[1] = 0xDC00 | (cp & 0x3FF);
    }
    for (int i = 0; i < 2 && units[i] >= 0; i++) {
      char u[6] = {'\\', 'u', hex[(units[i] >> 12) & 0xF], hex[(units[i] >> 8) & 0xF],
                   hex[(units[i] >> 4) & 0xF], hex[units[i] & 0xF]};
      if (buf_append(b, u, sizeof u) != 0) return -1;
    }
  }
  return buf_putc(b, '"');
}

char *audit_canonical(const struct audit_row *row) {
  struct buf b;
  buf_init(&b, CANONICAL_MAX);
  const struct {
    const char *key;
    const char *text;
  } strings[] = {{"actor", nz(row->actor)},   {"action", nz(row->action)},
                 {"subject", nz(row->subject)}, {"detail", row->detail ? row->detail : "{}"},
                 {"ip", nz(row->ip)},          {"request_id", nz(row->request_id)}};
  int rc = buf_printf(&b, "{\"id\":%" PRId64 ",\"time_ms\":%" PRId64 ",\"actor_id\":%" PRId64,
                      row->id, row->time_ms, row->actor_id);
  for (size_t i = 0; rc == 0 && i < sizeof strings / sizeof strings[0]; i++) {
    rc = buf_printf(&b, ",\"%s\":", strings[i].key);
    if (rc == 0) rc = put_string(&b, strings[i].text);
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
