/* ratelimit.c — token buckets in a fixed table; see ratelimit.h. */
#include "http/ratelimit.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/clock.h"
#include "util/log.h"

#define KEY_MAX 96 /* "bucket\x1fkey": an IPv6 address and a short bucket name fit */
#define PROBE 8    /* slots looked at for one key before evicting */

struct slot {
  char key[KEY_MAX]; /* "" when free */
  double tokens;
  int64_t last_ms;   /* monotonic time of the last refill */
};

struct rate_limiter {
  pthread_mutex_t lock;
  unsigned nslots;
  struct slot *slots;
};

/* FNV-1a: spreads keys over the table; collisions only cost a probe. */
static uint32_t hash(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 16777619u;
  }
  return h;
}

struct rate_limiter *ratelimit_new(unsigned slots) {
  struct rate_limiter *rl = calloc(1, sizeof *rl);
  if (!rl) return NULL;
  rl->nslots = slots ? slots : 4096;
  rl->slots = calloc(rl->nslots, sizeof *rl->slots);
  if (!rl->slots) {
    free(rl);
    return NULL;
  }
  pthread_mutex_init(&rl->lock, NULL);
  return rl;
}

void ratelimit_free(struct rate_limiter *rl) {
  if (!rl) return;
  pthread_mutex_destroy(&rl->lock);
  free(rl->slots);
  free(rl);
}

/* The slot for key: its own, else a free one, else the one idle longest. */
static struct slot *find_slot(struct rate_limiter *rl, const char *key, bool *fresh) {
  uint32_t h = hash(key);
  struct slot *victim = NULL;
  for (unsigned i = 0; i < PROBE; i++) {
    struct slot *s = &rl->slots[(h + i) % rl->nslots];
    if (strcmp(s->key, key) == 0) {
      *fresh = false;
      return s;
    }
    if (!victim || (victim->key[0] && (!s->key[0] || s->last_ms < victim->last_ms))) victim = s;
  }
  *fresh = true;
  return victim;
}

int ratelimit_take_retry(struct rate_limiter *rl, const char *bucket, const char *key,
                         unsigned per_minute, unsigned *retry_after_s) {
  if (!rl || per_minute == 0) return 0;
  char k[KEY_MAX];
  /* A truncated key merely shares a bucket with keys of the same long prefix. */
  snprintf(k, sizeof k, "%s\x1f%s", bucket ? bucket : "", key ? key : "");
  double rate = per_minute / 60000.0; /* tokens per millisecond */
  int rc = 0;
  pthread_mutex_lock(&rl->lock);
  int64_t now = clock_mono_ms();
  bool fresh;
  struct slot *s = find_slot(rl, k, &fresh);
  if (fresh) {
    snprintf(s->key, sizeof s->key, "%s", k);
    s->tokens = per_minute;
  } else {
    s->tokens += (double)(now - s->last_ms) * rate;
    if (s->tokens > per_minute) s->tokens = per_minute;
  }
  s->last_ms = now;
  if (s->tokens >= 1.0) {
    s->tokens -= 1.0;
  } else {
    rc = -1;
    if (retry_after_s) {
      double wait_s = (1.0 - s->tokens) / rate / 1000.0;
      unsigned whole = (unsigned)wait_s;
      *retry_after_s = whole + (wait_s > whole ? 1u : 0u); /* rounded up */
      if (*retry_after_s == 0) *retry_after_s = 1;
    }
  }
  pthread_mutex_unlock(&rl->lock);
  return rc;
}

int ratelimit_take(struct rate_limiter *rl, const char *bucket, const char *key,
                   unsigned per_minute) {
  return ratelimit_take_retry(rl, bucket, key, per_minute, NULL);
}

int http_rate_limit_or_reply(struct http_req *req, const char *bucket, unsigned per_minute) {
  unsigned wait = 60;
  if (ratelimit_take_retry(req->app->limiter, bucket, req->ip, per_minute, &wait) == 0) return 0;
  char v[16];
  snprintf(v, sizeof v, "%u", wait);
  http_add_header(req, "Retry-After", v);
  log_msg(LOG_WARN, "http.rate_limited", "bucket %s limited for %s", bucket, req->ip ? req->ip : "");
  http_reply_error(req, ERR_RATE_LIMITED, NULL, NULL);
  return -1;
}
