/* static.c — the console's files from web_dir.
 *
 * Only GET and HEAD. The path is percent-decoded once; a NUL byte, a malformed
 * escape, or a segment that is "." , ".." or hidden (starting with a dot) is refused,
 * and the resolved file (symbolic links followed) must still lie inside web_dir, so
 * neither "../" nor "%2e%2e/" nor a link leads out of it. Directories serve their
 * index.html.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/request.h"
#include "util/arena.h"
#include "util/log.h"

static int hexval(char ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

char *http_percent_decode(struct arena *a, const char *in, size_t len) {
  char *out = arena_alloc(a, len + 1);
  if (!out) return NULL;
  size_t o = 0;
  for (size_t i = 0; i < len; i++) {
    char ch = in[i];
    if (ch == '%') {
      if (len - i < 3) return NULL;
      int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
      if (h < 0 || l < 0) return NULL;
      ch = (char)(h * 16 + l);
      i += 2;
    }
    if (ch == '\0') return NULL;
    out[o++] = ch;
  }
  out[o] = '\0';
  return out;
}

static const struct {
  const char *ext, *type;
} content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".woff2", "font/woff2"},
    {".ico", "image/x-icon"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type_of(const char *path) {
  const char *dot = strrchr(path, '.');
  const char *slash = strrchr(path, '/');
  if (dot && (!slash || dot > slash))
    for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
      if (strcmp(dot, content_types[i].ext) == 0) return content_types[i].type;
  return "application/octet-stream";
}

/* Is every segment of the decoded path an ordinary name? */
static bool safe_segments(const char *path) {
  for (const char *p = path; *p;) {
    while (*p == '/') p++;
    if (*p == '.') return false; /* ".", "..", ".git", ".env" */
    while (*p && *p != '/') {
      if (*p == '\\') return false;
      p++;
    }
  }
  return true;
}

/* Does `path` (resolved) lie inside `root` (resolved)? */
static bool inside(const char *root, const char *path) {
  size_t n = strlen(root);
  return strncmp(root, path, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static void not_found(struct http_ctx *c) {
  http_reply_error(&c->req, ERR_NOT_FOUND, NULL, "No such file.");
}

/* The resolved regular file for `rel` (decoded, starting with '/'), in the arena,
 * or NULL. */
static char *resolve(struct http_ctx *c, const char *root, const char *rel) {
  size_t n = strlen(rel);
  const char *candidate = arena_printf(c->req.arena, "%s%s%s", root, rel,
                                       n && rel[n - 1] == '/' ? "index.html" : "");
  if (!candidate) return NULL;
  char real[PATH_MAX];
  if (!realpath(candidate, real) || !inside(root, real)) return NULL;
  struct stat st;
  if (stat(real, &st) != 0) return NULL;
  if (S_ISDIR(st.st_mode)) {
    candidate = arena_printf(c->req.arena, "%s/index.html", real);
    if (!candidate || !realpath(candidate, real) || !inside(root, real) || stat(real, &st) != 0)
      return NULL;
  }
  if (!S_ISREG(st.st_mode)) return NULL;
  return arena_strdup(c->req.arena, real);
}

void http_static_serve(struct http_ctx *c) {
  struct http_req *req = &c->req;
  if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0) {
    http_add_header(req, "Allow", "GET, HEAD");
    http_reply_error(req, ERR_METHOD_NOT_ALLOWED, NULL, NULL);
    return;
  }
  const char *root = c->srv->web_root;
  const char *path = req->path;
  char *rel = root && path[0] == '/' ? http_percent_decode(req->arena, path, strlen(path)) : NULL;
  char *file = rel && safe_segments(rel) ? resolve(c, root, rel) : NULL;
  if (!file) {
    not_found(c);
    return;
  }
  int fd = open(file, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) close(fd);
    not_found(c);
    return;
  }
  /* libmicrohttpd closes fd when it is done with the response. */
  struct MHD_Response *resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
  if (!resp) {
    close(fd);
    http_reply_error(req, ERR_INTERNAL, NULL, NULL);
    return;
  }
  const char *type = content_type_of(file);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
  /* The console is small and changes with each release: revalidate every time. */
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
  if (strncmp(type, "text/html", 9) == 0)
    MHD_add_response_header(resp, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; "
                            "style-src 'self' 'unsafe-inline'; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
  http_send(c, MHD_HTTP_OK, resp);
}
