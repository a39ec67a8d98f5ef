/* idemseen.c — the keys this server may have stored an answer for; see idemseen.h. */
#include "http/idemseen.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Bits set per key. With 2^24 bits a generation, a million keys in one give about one
 * new key in 200 a needless read; a busy day of the command is some 30,000. */
#define PROBES 3
/* Longer keys (never, through the API's 128-byte limit) are told apart by this much. */
#define KEY_HASHED_MAX 256

struct idem_seen {
  unsigned char hash_key[crypto_shorthash_KEYBYTES];
  uint64_t mask;                 /* bits per generation, less one */
  _Atomic(uint64_t) *gen[2];     /* the two generations */
  atomic_uint newer;             /* which of them notes go into */
  atomic_uint_fast64_t fresh, perhaps;
  int64_t rotated_ms; /* 0 until the first idem_seen_age */
};

struct idem_seen *idem_seen_new(unsigned bits_log2) {
  if (bits_log2 < 10 || bits_log2 > 30) return NULL;
  struct idem_seen *f = calloc(1, sizeof *f);
  if (!f) return NULL;
  f->mask = ((uint64_t)1 << bits_log2) - 1;
  for (int g = 0; g < 2; g++) {
    f->gen[g] = calloc((f->mask + 1) / 64, sizeof *f->gen[g]);
    if (!f->gen[g]) {
      idem_seen_free(f);
      return NULL;
    }
  }
  /* Keyed, so that nobody can choose keys that all land on the same bits. */
  crypto_shorthash_keygen(f->hash_key);
  atomic_init(&f->newer, 0);
  atomic_init(&f->fresh, 0);
  atomic_init(&f->perhaps, 0);
  return f;
}

void idem_seen_free(struct idem_seen *f) {
  if (!f) return;
  free(f->gen[0]);
  free(f->gen[1]);
  free(f);
}

/* The PROBES bit positions of a key: two halves of one keyed hash, combined. */
static void positions(const struct idem_seen *f, int64_t principal, const char *key, uint64_t pos[PROBES]) {
  unsigned char in[8 + KEY_HASHED_MAX];
  uint64_t p = (uint64_t)principal;
  for (int i = 0; i < 8; i++) in[i] = (unsigned char)(p >> (8 * i));
  size_t n = strnlen(key, KEY_HASHED_MAX);
  memcpy(in + 8, key, n);
  unsigned char out[crypto_shorthash_BYTES];
  crypto_shorthash(out, in, 8 + n, f->hash_key);
  uint64_t h = 0;
  for (int i = 0; i < 8; i++) h |= (uint64_t)out[i] << (8 * i);
  uint64_t h1 = h & 0xffffffffu, h2 = (h >> 32) | 1;
  for (int i = 0; i < PROBES; i++) pos[i] = (h1 + (uint64_t)i * h2) & f->mask;
}

static bool all_set(_Atomic(uint64_t) *bits, const uint64_t pos[PROBES]) {
  for (int i = 0; i < PROBES; i++) {
    uint64_t word = atomic_load_explicit(&bits[pos[i] / 64], memory_order_relaxed);
    if (!(word & ((uint64_t)1 << (pos[i] % 64)))) return false;
  }
  return true;
}

static bool note(struct idem_seen *f, int64_t principal, const char *key) {
  uint64_t pos[PROBES];
  positions(f, principal, key, pos);
  bool seen = all_set(f->gen[0], pos) || all_set(f->gen[1], pos);
  _Atomic(uint64_t) *into = f->gen[atomic_load(&f->newer)];
  for (int i = 0; i < PROBES; i++)
    atomic_fetch_or_explicit(&into[pos[i] / 64], (uint64_t)1 << (pos[i] % 64), memory_order_relaxed);
  return seen;
}

bool idem_seen_note(struct idem_seen *f, int64_t principal, const char *key) {
  bool seen = note(f, principal, key);
  atomic_fetch_add_explicit(seen ? &f->perhaps : &f->fresh, 1, memory_order_relaxed);
  return seen;
}

void idem_seen_add(struct idem_seen *f, int64_t principal, const char *key) { note(f, principal, key); }

void idem_seen_rotate(struct idem_seen *f) {
  unsigned older = 1 - atomic_load(&f->newer);
  /* Notes still read it meanwhile: a key half-cleared is one said to be new, which is
   * only a slower answer (idemseen.h). */
  for (uint64_t i = 0; i < (f->mask + 1) / 64; i++)
    atomic_store_explicit(&f->gen[older][i], 0, memory_order_relaxed);
  atomic_store(&f->newer, older);
}

void idem_seen_age(struct idem_seen *f, int64_t now_ms, int64_t every_ms) {
  if (!f->rotated_ms) f->rotated_ms = now_ms;
  if (every_ms <= 0 || now_ms - f->rotated_ms < every_ms) return;
  idem_seen_rotate(f);
  f->rotated_ms = now_ms;
}

void idem_seen_counts(const struct idem_seen *f, uint64_t *fresh, uint64_t *perhaps) {
  *fresh = atomic_load_explicit(&f->fresh, memory_order_relaxed);
  *perhaps = atomic_load_explicit(&f->perhaps, memory_order_relaxed);
}
