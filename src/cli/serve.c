/* serve.c — `hamyar serve`: runs the HTTP server until SIGTERM or SIGINT.
 *
 * Before it listens it reads the counties from the store to place coordinates in them
 * (core/geo.h), takes the 110 centre's rules at their defaults (but the ring timeout,
 * from the configuration) and the 197 desk's from the configuration.
 *
 * The two signals are blocked in every thread before any thread starts (the store's
 * writer, libmicrohttpd's pool), so only main receives them, with sigtimedwait, which
 * also wakes it every few seconds to close calls that rang out; shutdown
 * then runs in ordinary code, not in a signal handler. stdout carries exactly one
 * line, "hamyar: listening on http://HOST:PORT" with the real port (also when port 0
 * was asked for), which scripts and tests wait for; everything else goes to the log
 * on stderr.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "http/emergency.h"
#include "http/feedback.h"
#include "http/http.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

static const char help[] =
    "usage: hamyar serve [--db PATH] [--listen HOST:PORT] [--web DIR] [--threads N]\n"
    "                    [--feedback-deadline-days N] [--config PATH]\n"
    "\n"
    "Serves the API and the console until SIGTERM or SIGINT (Ctrl-C), then finishes the\n"
    "requests in flight and exits 0. Prints one line, \"hamyar: listening on\n"
    "http://HOST:PORT\", once it accepts connections (port 0 picks a free port; the\n"
    "line shows which). Logs are JSON lines on stderr.\n"
    "\n"
    "  --listen HOST:PORT   where to listen (default 127.0.0.1:8110)\n"
    "  --web DIR            the console's files (default ./web, or HAMYAR_WEB)\n"
    "  --threads N          worker threads (default: one per core)\n"
    "  --feedback-deadline-days N  days the 197 desk has to answer a contact (default 10)\n"
    "\n"
    "See `hamyar --help` for the configuration keys (session timeouts, limits, ...).\n";

struct counties_read {
  struct arena *arena;
  struct county *counties;
  size_t n;
};

static enum store_rc read_counties(void *cls, struct store_tx *tx) {
  struct counties_read *r = cls;
  return store_of(tx)->em.county_list(tx, r->arena, &r->counties, &r->n);
}

/* The county lookup of the store's counties; NULL when none are loaded (then calls
 * are not placed in a county by their coordinates) or they cannot be read (logged). */
static struct geo_counties *county_lookup(struct store *store) {
  struct counties_read r = {.arena = arena_new(0)};
  struct geo_counties *g = NULL;
  char err[256] = "";
  if (!r.arena) return NULL;
  if (store_read(store, read_counties, &r) != STORE_OK)
    log_msg(LOG_ERROR, "cli.serve", "cannot read the counties; coordinates will not be placed in a county");
  else if (r.n == 0)
    log_msg(LOG_WARN, "cli.serve", "no counties in the database; run `hamyar init` to load the reference data");
  else if (!(g = geo_counties_build(r.counties, r.n, err, sizeof err)))
    log_msg(LOG_ERROR, "cli.serve", "the county borders do not parse (%s); coordinates will not be placed", err);
  arena_free(r.arena);
  return g;
}

/* A quarter of a limit, kept between 250 ms and 15 s; 0 for no limit. */
static int64_t sweep_every(int64_t limit_ms) {
  if (limit_ms <= 0) return 0;
  int64_t every = limit_ms / 4;
  return every < 250 ? 250 : every > 15000 ? 15000 : every;
}

/* Waits for SIGINT or SIGTERM and returns it. Meanwhile, every few seconds, closes the
 * phone-system calls that rang out (telephony_sweep) and removes the stored idempotent
 * answers past their time (http_idempotency_sweep): often enough that a ghost leaves the
 * queue within a few seconds of the timeout, rarely enough to cost nothing. */
static int wait_for_stop(struct app *app, const sigset_t *stop) {
  int64_t ring_every = sweep_every(app->em->ring_timeout_ms);
  int64_t idem_every = sweep_every(app->cfg->idempotency_keep_ms);
  int64_t every_ms = ring_every && ring_every < idem_every ? ring_every : idem_every;
  int64_t ring_next = 0, idem_next = 0;
  for (;;) {
    struct timespec ts = {.tv_sec = every_ms / 1000, .tv_nsec = (long)(every_ms % 1000) * 1000000L};
    int sig = sigtimedwait(stop, NULL, &ts);
    if (sig > 0) return sig;
    if (errno != EAGAIN) continue;
    int64_t now = clock_now_ms();
    if (ring_every && now >= ring_next) {
      telephony_sweep(app, now);
      ring_next = now + ring_every;
    }
    if (now >= idem_next) {
      http_idempotency_sweep(app, now);
      idem_next = now + idem_every;
    }
  }
}

static int serve(const struct cli_config *cfg) {
  int rc = CLI_FAILED;
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  /* Before any thread exists, so that every thread inherits the mask. */
  pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
  signal(SIGPIPE, SIG_IGN); /* a client that hung up is an error return, not a death */

  if (loc_init() != 0) return cli_fail("cannot initialise ICU (the locale data)");
  if (account_init() != 0) {
    loc_done();
    return cli_fail("cannot initialise libsodium");
  }
  struct store *store = cli_open_store(cfg, 0);
  if (!store) {
    loc_done();
    return CLI_FAILED;
  }

  struct stat st;
  const char *web = cfg->web;
  if (stat(web, &st) != 0 || !S_ISDIR(st.st_mode)) {
    log_msg(LOG_WARN, "cli.serve", "the web directory %s does not exist; serving the API only", web);
    web = NULL;
  }
  struct account_policy policy = cli_config_policy(cfg);
  struct http_config hc = {
      .host = cfg->host,
      .port = cfg->port,
      .web_dir = web,
      .threads = cfg->threads,
      .conn_limit = cfg->conn_limit,
      .conn_timeout_s = cfg->conn_timeout_s,
      .body_max = (size_t)cfg->body_max,
      .login_rate_per_min = cfg->login_rate,
      .cookie_secure = cfg->cookie_secure,
      .policy = &policy,
      .sse_heartbeat_s = cfg->sse_heartbeat_s,
      .idempotency_keep_ms = (int64_t)cfg->idempotency_keep_s * 1000,
      .auth_cache_ms = cfg->auth_cache_ms ? (int64_t)cfg->auth_cache_ms : -1,
  };
  struct emergency_config em = emergency_config_default();
  em.ring_timeout_ms = (int64_t)cfg->ring_timeout_s * 1000;
  struct feedback_config fb = {
      .deadline_days = (int)cfg->feedback_deadline_days,
      .public_per_min = cfg->feedback_public_rate,
      .track_per_min = cfg->feedback_track_rate,
      .text_max = (size_t)cfg->feedback_text_max,
  };
  struct app app = {.store = store, .cfg = &hc, .geo = county_lookup(store), .em = &em, .fb = &fb};
  struct http_server *srv = http_server_start(&app);
  if (!srv) {
    cli_fail("cannot serve on %s:%u (see the log above)", cfg->host, (unsigned)cfg->port);
    goto done;
  }
  bool v6 = strchr(cfg->host, ':') != NULL;
  printf("hamyar: listening on http://%s%s%s:%u\n", v6 ? "[" : "", cfg->host, v6 ? "]" : "",
         (unsigned)http_server_port(srv));
  fflush(stdout);

  int sig = wait_for_stop(&app, &stop_signals);
  log_msg(LOG_INFO, "cli.serve", "%s received; stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
  http_server_stop(srv);
  rc = CLI_OK;
done:
  store_close(store);
  geo_free(app.geo);
  loc_done();
  return rc;
}

int cli_serve(int argc, char **argv) {
  static const struct cli_opt opts[] = {
      {"db", true}, {"config", true}, {"listen", true}, {"web", true}, {"threads", true},
      {"feedback-deadline-days", true}, {NULL},
  };
  struct cli_args a;
  struct cli_config cfg;
  int rc = cli_parse("serve", argc, argv, opts, NULL, 0, 0, &a);
  if (rc != CLI_OK || cli_helped(&a, help)) return rc;
  if ((rc = cli_config_load(&cfg, &a)) != CLI_OK) return rc;
  rc = serve(&cfg);
  arena_free(cfg.arena);
  return rc;
}
