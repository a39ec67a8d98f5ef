/* fuzz_http_request.c — raw bytes as an HTTP/1.1 request to a real hamyar server.
 *
 * The server starts once, on 127.0.0.1 with a free port, over a fresh SQLite store and
 * a small web directory in a temporary folder. The store holds an administrator with
 * a session whose bearer token is "fuzz-admin-token", so inputs can reach the
 * handlers behind authentication. Each input is written to a new connection, the
 * write side is shut, and the answer is read until the server closes (2 s at most).
 * A crash or sanitizer report in any server thread fails the run; so does a simple,
 * well-formed GET that gets no HTTP answer.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/account.h"
#include "http/http.h"
#include "locale/locale.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/log.h"

#define FUZZ_TOKEN "fuzz-admin-token"

static uint16_t port;

static enum store_rc seed_admin(void *cls, struct store_tx *tx) {
  (void)cls;
  struct store *s = store_of(tx);
  int64_t now = clock_now_ms();
  char hash[crypto_pwhash_STRBYTES];
  /* The lowest cost: the fuzzer is not here to test argon2id. */
  if (crypto_pwhash_str(hash, "fuzz password 1", 15, crypto_pwhash_OPSLIMIT_MIN,
                        crypto_pwhash_MEMLIMIT_MIN) != 0)
    return STORE_HARD;
  struct user u = {.username = "admin", .password_hash = hash, .roles = ROLE_ADMIN,
                   .created_ms = now, .password_changed_ms = now};
  enum store_rc rc = s->user_insert(tx, &u);
  if (rc != STORE_OK) return rc;
  struct session se = {.user_id = u.id, .created_ms = now, .last_seen_ms = now, .ip = "127.0.0.1"};
  account_token_hash(FUZZ_TOKEN, se.token_hash);
  account_token_hash("fuzz-csrf-token", se.csrf_hash);
  return s->session_insert(tx, &se);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f) abort();
  fputs(text, f);
  fclose(f);
}

static char dir[] = "/tmp/hamyar-fuzz-XXXXXX";

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

/* The temporary folder goes with the process (open files stay usable once unlinked). */
static void remove_dir(void) { nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS); }

static void start_server(void) {
  static char db[sizeof dir + 16], web[sizeof dir + 8], sub[sizeof dir + 16];
  if (!mkdtemp(dir)) abort();
  atexit(remove_dir);
  snprintf(db, sizeof db, "%s/fuzz.db", dir);
  snprintf(web, sizeof web, "%s/web", dir);
  snprintf(sub, sizeof sub, "%s/web/sub", dir);
  if (mkdir(web, 0700) != 0 || mkdir(sub, 0700) != 0) abort();
  char path[128];
  snprintf(path, sizeof path, "%s/index.html", web);
  write_file(path, "<!doctype html><title>fuzz</title>\n");
  snprintf(path, sizeof path, "%s/app.js", sub);
  write_file(path, "export const x = 1;\n");
  snprintf(path, sizeof path, "%s/secret.txt", dir);
  write_file(path, "outside the web directory\n");

  log_set_level(LOG_ERROR);
  if (loc_init() != 0 || sodium_init() < 0) abort();
  char err[256];
  struct store *s = store_sqlite_open(db, STORE_OPEN_CREATE, err, sizeof err);
  if (!s) {
    fprintf(stderr, "fuzz: %s\n", err);
    abort();
  }
  if (store_write(s, seed_admin, NULL) != STORE_OK) abort();
  static struct http_config cfg = {
      .host = "127.0.0.1", .port = 0, .threads = 2, .conn_limit = 64, .conn_timeout_s = 1,
      .body_max = 8192, .url_max = 1024, .login_rate_per_min = 1000, .sse_heartbeat_s = 1,
  };
  cfg.web_dir = web;
  static struct app app;
  app.store = s;
  app.cfg = &cfg;
  /* The server lives as long as the fuzzing process. */
  struct http_server *srv = http_server_start(&app);
  if (!srv) abort();
  port = http_server_port(srv);
}

/* Is `line` (len bytes) "Name: value" with a token name and a printable value? */
static int header_line(const char *line, size_t len) {
  size_t i = 0;
  while (i < len && (isalnum((unsigned char)line[i]) || line[i] == '-')) i++;
  if (i == 0 || i == len || line[i] != ':') return 0;
  for (i++; i < len; i++)
    if (line[i] < 0x20 || line[i] > 0x7e) return 0;
  return 1;
}

/* A plain GET or HEAD: one request line "METHOD /target HTTP/1.1" with no space in the
 * target, token headers including Host, no body, nothing after the blank line. Such a
 * request must be answered, whatever its target. */
static int must_answer(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  const char *end = memmem(text, size, "\r\n\r\n", 4);
  if (size > 1024 || !end || (size_t)(end - text) + 4 != size) return 0;
  const char *line = text, *stop = end + 2; /* the head's lines, each ending in CRLF */
  int host = 0, first = 1;
  while (line < stop) {
    const char *eol = memmem(line, (size_t)(stop - line), "\r\n", 2);
    if (!eol) return 0;
    size_t len = (size_t)(eol - line);
    if (first) {
      const char *target = len > 5 && memcmp(line, "GET /", 5) == 0   ? line + 4
                           : len > 6 && memcmp(line, "HEAD /", 6) == 0 ? line + 5
                                                                        : NULL;
      if (!target) return 0;
      const char *sp = memchr(target, ' ', (size_t)(eol - target));
      if (!sp || (size_t)(eol - sp) != 9 || memcmp(sp, " HTTP/1.1", 9) != 0) return 0;
      for (const char *p = target; p < sp; p++)
        if (*p <= 0x20 || *p > 0x7e) return 0;
      first = 0;
    } else {
      if (!header_line(line, len)) return 0;
      if (len >= 5 && strncasecmp(line, "Host:", 5) == 0) host++;
      if ((len >= 15 && strncasecmp(line, "Content-Length:", 15) == 0) ||
          (len >= 18 && strncasecmp(line, "Transfer-Encoding:", 18) == 0) ||
          (len >= 7 && strncasecmp(line, "Expect:", 7) == 0))
        return 0;
    }
    line = eol + 2;
  }
  return host == 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!port) start_server();
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  struct timeval tv = {.tv_sec = 2};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    return 0;
  }
  size_t off = 0;
  while (off < size) {
    ssize_t n = send(fd, data + off, size - off, MSG_NOSIGNAL);
    if (n <= 0) break;
    off += (size_t)n;
  }
  /* libmicrohttpd (0.9.75, edge-triggered epoll) misses an end of stream that comes in
   * the same wake-up as the data and would then wait for its idle timeout: give it
   * the data first, the end a moment later. */
  struct pollfd pfd = {.fd = fd, .events = POLLIN};
  poll(&pfd, 1, 5);
  shutdown(fd, SHUT_WR);
  char answer[16] = "";
  size_t got = 0;
  char buf[4096];
  /* Until the server closes, or 2 s in all: an event stream never closes by itself. */
  struct timeval start, now;
  gettimeofday(&start, NULL);
  for (;;) {
    gettimeofday(&now, NULL);
    long left_ms = 2000 - ((now.tv_sec - start.tv_sec) * 1000 + (now.tv_usec - start.tv_usec) / 1000);
    if (left_ms <= 0 || poll(&pfd, 1, (int)left_ms) <= 0) break;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    if (got < sizeof answer - 1) {
      size_t take = (size_t)n < sizeof answer - 1 - got ? (size_t)n : sizeof answer - 1 - got;
      memcpy(answer + got, buf, take);
      got += take;
    }
  }
  close(fd);
  if (must_answer(data, size) && strncmp(answer, "HTTP/1.1 ", 9) != 0) {
    fprintf(stderr, "fuzz: a well-formed GET got no answer (\"%s\")\n", answer);
    abort();
  }
  return 0;
}
