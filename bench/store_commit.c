/* store_commit.c — what group commit buys: durable writes per second through the
 * store's single writer, against raw SQLite doing the same inserts one durable
 * transaction at a time, in the same run, on the same disk.
 *
 *   build/bench_store_commit [DIR] [SECONDS]
 *
 * Each store write appends one event (the smallest real write: a row plus its id);
 * every write is on disk (its WAL frames synced) before store_write() returns.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "store/store.h"
#include "util/clock.h"

struct worker {
  struct store *store;
  int64_t deadline_ms;
  size_t done;
  double *lat_ms; /* per write */
  size_t lat_cap;
};

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum store_rc append_one(void *cls, struct store_tx *tx) {
  (void)cls;
  struct event ev = {.time_ms = clock_now_ms(), .type = "bench.write", .subject = "bench:1",
                     .payload = "{\"n\":1}", .audience = ROLE_ADMIN};
  return store_of(tx)->event_append(tx, &ev);
}

static void *run_worker(void *arg) {
  struct worker *w = arg;
  while (clock_now_ms() < w->deadline_ms && w->done < w->lat_cap) {
    double t0 = now_s();
    if (store_write(w->store, append_one, NULL) != STORE_OK) {
      fprintf(stderr, "bench: write failed\n");
      exit(1);
    }
    w->lat_ms[w->done++] = (now_s() - t0) * 1000.0;
  }
  return NULL;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void report(const char *name, size_t n, double secs, double *lat, size_t nlat) {
  qsort(lat, nlat, sizeof *lat, cmp_double);
  double p50 = nlat ? lat[nlat / 2] : 0, p99 = nlat ? lat[(size_t)((double)nlat * 0.99)] : 0;
  printf("| %-34s | %10.0f | %8.2f | %8.2f |\n", name, (double)n / secs, p50, p99);
  fflush(stdout);
}

static void bench_store(const char *dir, int threads, int seconds) {
  char path[512], err[256];
  snprintf(path, sizeof path, "%s/store-%d.db", dir, threads);
  unlink(path);
  struct store *s = store_sqlite_open(path, STORE_OPEN_CREATE, err, sizeof err);
  if (!s) {
    fprintf(stderr, "bench: %s\n", err);
    exit(1);
  }
  struct worker *w = calloc((size_t)threads, sizeof *w);
  pthread_t *tid = calloc((size_t)threads, sizeof *tid);
  int64_t deadline = clock_now_ms() + seconds * 1000;
  double t0 = now_s();
  for (int i = 0; i < threads; i++) {
    w[i] = (struct worker){.store = s, .deadline_ms = deadline, .lat_cap = 2000000};
    w[i].lat_ms = malloc(w[i].lat_cap * sizeof(double));
    pthread_create(&tid[i], NULL, run_worker, &w[i]);
  }
  size_t total = 0;
  for (int i = 0; i < threads; i++) {
    pthread_join(tid[i], NULL);
    total += w[i].done;
  }
  double secs = now_s() - t0;
  double *all = malloc((total ? total : 1) * sizeof(double));
  size_t k = 0;
  for (int i = 0; i < threads; i++) {
    memcpy(all + k, w[i].lat_ms, w[i].done * sizeof(double));
    k += w[i].done;
    free(w[i].lat_ms);
  }
  struct store_stats st;
  s->stats(s, &st);
  char name[64];
  snprintf(name, sizeof name, "hamyar store, %d writer threads", threads);
  report(name, total, secs, all, total);
  fprintf(stderr, "  (%llu writes in %llu commits: %.1f writes per fsync)\n",
          (unsigned long long)st.writes, (unsigned long long)st.commits,
          st.commits ? (double)st.writes / (double)st.commits : 0.0);
  free(all);
  free(w);
  free(tid);
  store_close(s);
}

/* The reference: one connection, one durable transaction per insert. */
static void bench_raw(const char *dir, int seconds) {
  char path[512];
  snprintf(path, sizeof path, "%s/raw.db", dir);
  unlink(path);
  sqlite3 *db;
  if (sqlite3_open(path, &db) != SQLITE_OK) exit(1);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE events(id INTEGER PRIMARY KEY, time_ms, type, subject, payload, audience)",
               NULL, NULL, NULL);
  sqlite3_stmt *st;
  sqlite3_prepare_v2(db, "INSERT INTO events(time_ms,type,subject,payload,audience) VALUES(?,?,?,?,?)",
                     -1, &st, NULL);
  size_t cap = 2000000, n = 0;
  double *lat = malloc(cap * sizeof(double));
  int64_t deadline = clock_now_ms() + seconds * 1000;
  double t0 = now_s();
  while (clock_now_ms() < deadline && n < cap) {
    double t = now_s();
    sqlite3_bind_int64(st, 1, clock_now_ms());
    sqlite3_bind_text(st, 2, "bench.write", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, "bench:1", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, "{\"n\":1}", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 5, ROLE_ADMIN);
    if (sqlite3_step(st) != SQLITE_DONE) exit(1);
    sqlite3_reset(st);
    lat[n++] = (now_s() - t) * 1000.0;
  }
  report("raw SQLite, 1 insert per commit", n, now_s() - t0, lat, n);
  free(lat);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "/tmp";
  int seconds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 5;
  if (seconds <= 0) seconds = 5;
  printf("| writer | durable writes/s | p50 ms | p99 ms |\n|---|---:|---:|---:|\n");
  bench_raw(dir, seconds);
  int threads[] = {1, 4, 16, 64};
  for (size_t i = 0; i < sizeof threads / sizeof threads[0]; i++)
    bench_store(dir, threads[i], seconds);
  return 0;
}
