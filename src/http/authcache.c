/* authcache.c — credentials recently checked against the store; see authcache.h. */
#include "http/authcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/clock.h"

/* Enough for every console and integration of a large centre; a slot is ~200 bytes. */
#define AUTHCACHE_SLOTS 1024u
/* Usernames are at most 64 bytes (store.h); API key names are kept up to this too, and
 * a longer one is simply not kept. */
#define NAME_MAX_LEN 64

enum kind { EMPTY, SESSION, APIKEY };

struct slot {
  uint8_t hash[32];
  enum kind kind;
  uint64_t version;
  int64_t kept_ms; /* clock_mono_ms() when kept */
  int64_t id;      /* the session's or the key's */
  int64_t user_id, created_ms, last_seen_ms, unit_id;
  uint8_t csrf_hash[32];
  role_set roles;
  bool latin_digits;
  char name[NAME_MAX_LEN + 1]; /* the user's or the key's */
};

struct authcache {
  int64_t keep_ms;
  pthread_mutex_t mu;
  struct slot *slots;
  _Atomic uint64_t hits, misses;
};

struct authcache *authcache_new(int64_t keep_ms) {
  struct authcache *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  c->slots = calloc(AUTHCACHE_SLOTS, sizeof *c->slots);
  if (!c->slots) {
    free(c);
    return NULL;
  }
  c->keep_ms = keep_ms;
  pthread_mutex_init(&c->mu, NULL);
  return c;
}

void authcache_free(struct authcache *c) {
  if (!c) return;
  pthread_mutex_destroy(&c->mu);
  free(c->slots);
  free(c);
}

/* The hash is SHA-256: any four of its bytes are as good as a hash of them. */
static struct slot *slot_of(struct authcache *c, const uint8_t hash[32]) {
  uint32_t h;
  memcpy(&h, hash, sizeof h);
  return &c->slots[h % AUTHCACHE_SLOTS];
}

/* Copies the slot for hash out when it holds that credential, of that kind, still
 * current. */
static bool find(struct authcache *c, const uint8_t hash[32], enum kind kind, uint64_t version,
                 struct slot *out) {
  bool found = false;
  if (c->keep_ms > 0) {
    int64_t now = clock_mono_ms();
    pthread_mutex_lock(&c->mu);
    struct slot *s = slot_of(c, hash);
    if (s->kind == kind && s->version == version && now - s->kept_ms < c->keep_ms &&
        memcmp(s->hash, hash, 32) == 0) {
      *out = *s;
      found = true;
    }
    pthread_mutex_unlock(&c->mu);
  }
  atomic_fetch_add_explicit(found ? &c->hits : &c->misses, 1, memory_order_relaxed);
  return found;
}

static void keep(struct authcache *c, const struct slot *fresh) {
  if (c->keep_ms <= 0) return;
  pthread_mutex_lock(&c->mu);
  *slot_of(c, fresh->hash) = *fresh;
  pthread_mutex_unlock(&c->mu);
}

static bool copy_name(char *dst, const char *name) {
  size_t n = name ? strlen(name) : 0;
  if (!name || n > NAME_MAX_LEN) return false;
  memcpy(dst, name, n + 1);
  return true;
}

bool authcache_session(struct authcache *c, const uint8_t hash[32], uint64_t version, struct arena *a,
                       struct session *se, struct user *user) {
  struct slot s;
  if (!find(c, hash, SESSION, version, &s)) return false;
  const char *name = arena_strdup(a, s.name);
  if (!name) return false;
  *se = (struct session){.id = s.id, .user_id = s.user_id, .created_ms = s.created_ms, .last_seen_ms = s.last_seen_ms};
  memcpy(se->token_hash, s.hash, 32);
  memcpy(se->csrf_hash, s.csrf_hash, 32);
  *user = (struct user){.id = s.user_id, .username = name, .roles = s.roles, .latin_digits = s.latin_digits};
  return true;
}

void authcache_keep_session(struct authcache *c, const uint8_t hash[32], uint64_t version,
                            const struct session *se, const struct user *user) {
  struct slot s = {.kind = SESSION, .version = version, .kept_ms = clock_mono_ms(), .id = se->id,
                   .user_id = user->id, .created_ms = se->created_ms, .last_seen_ms = se->last_seen_ms,
                   .roles = user->roles, .latin_digits = user->latin_digits};
  if (se->revoked_ms != 0 || user->disabled || !copy_name(s.name, user->username)) return;
  memcpy(s.hash, hash, 32);
  memcpy(s.csrf_hash, se->csrf_hash, 32);
  keep(c, &s);
}

bool authcache_apikey(struct authcache *c, const uint8_t hash[32], uint64_t version, struct arena *a,
                      struct apikey *key) {
  struct slot s;
  if (!find(c, hash, APIKEY, version, &s)) return false;
  const char *name = arena_strdup(a, s.name);
  if (!name) return false;
  *key = (struct apikey){.id = s.id, .name = name, .role = (enum role)s.roles, .unit_id = s.unit_id};
  memcpy(key->key_hash, s.hash, 32);
  return true;
}

void authcache_keep_apikey(struct authcache *c, const uint8_t hash[32], uint64_t version,
                           const struct apikey *key) {
  struct slot s = {.kind = APIKEY, .version = version, .kept_ms = clock_mono_ms(), .id = key->id,
                   .roles = (role_set)key->role, .unit_id = key->unit_id};
  if (key->revoked_ms != 0 || !copy_name(s.name, key->name)) return;
  memcpy(s.hash, hash, 32);
  keep(c, &s);
}

void authcache_forget(struct authcache *c, const uint8_t hash[32]) {
  pthread_mutex_lock(&c->mu);
  struct slot *s = slot_of(c, hash);
  if (memcmp(s->hash, hash, 32) == 0) s->kind = EMPTY;
  pthread_mutex_unlock(&c->mu);
}

void authcache_counts(struct authcache *c, uint64_t *hits, uint64_t *misses) {
  *hits = atomic_load(&c->hits);
  *misses = atomic_load(&c->misses);
}
