/* config.c — hamyar's configuration from defaults, file, environment and flags; see
 * cli.h.
 *
 * One table names every key, its type and its bounds; the file, the environment and
 * the flags all go through the same setter, so a key means the same wherever it is
 * given and is checked the same way.
 */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/arena.h"

enum kind { K_STRING, K_UINT, K_U64, K_BOOL, K_LISTEN, K_LEVEL };

struct key {
  const char *name;
  enum kind kind;
  size_t offset;
  uint64_t min, max; /* K_UINT, K_U64 */
};

#define F(field) offsetof(struct cli_config, field)
static const struct key keys[] = {
    {"db", K_STRING, F(db), 0, 0},
    {"listen", K_LISTEN, 0, 0, 0},
    {"web", K_STRING, F(web), 0, 0},
    {"threads", K_UINT, F(threads), 0, 256},
    {"log_level", K_LEVEL, F(log_level), 0, 0},
    {"body_max", K_U64, F(body_max), 1024, 64u << 20},
    {"conn_limit", K_UINT, F(conn_limit), 1, 1000000},
    {"conn_timeout", K_UINT, F(conn_timeout_s), 1, 86400},
    {"session_idle_s", K_U64, F(session_idle_s), 1, 7 * 86400},
    {"session_max_s", K_U64, F(session_max_s), 1, 30 * 86400},
    {"login_rate", K_UINT, F(login_rate), 0, 1000000},
    {"sse_heartbeat_s", K_UINT, F(sse_heartbeat_s), 1, 3600},
    {"cookie_secure", K_BOOL, F(cookie_secure), 0, 0},
    {"ring_timeout_s", K_UINT, F(ring_timeout_s), 0, 86400},
    {"idempotency_keep_s", K_U64, F(idempotency_keep_s), 1, 30 * 86400},
    {"auth_cache_ms", K_U64, F(auth_cache_ms), 0, 60000},
    {"lock_failures", K_UINT, F(lock_failures), 1, 1000},
    {"lock_window_s", K_U64, F(lock_window_s), 1, 30 * 86400},
    {"feedback_deadline_days", K_UINT, F(feedback_deadline_days), 0, 365},
    {"feedback_public_rate", K_UINT, F(feedback_public_rate), 1, 1000000},
    {"feedback_track_rate", K_UINT, F(feedback_track_rate), 1, 1000000},
    {"feedback_text_max", K_U64, F(feedback_text_max), 100, 1u << 20},
};
#undef F

static const struct key *find_key(const char *name) {
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strcmp(keys[i].name, name) == 0) return &keys[i];
  return NULL;
}

/* HOST:PORT, with [v6]:PORT for IPv6 addresses. */
static int parse_listen(struct cli_config *cfg, const char *text) {
  const char *colon = strrchr(text, ':');
  if (!colon || colon == text) return -1;
  const char *host = text;
  size_t hostlen = (size_t)(colon - text);
  if (host[0] == '[') {
    if (hostlen < 3 || host[hostlen - 1] != ']') return -1;
    host++;
    hostlen -= 2;
  }
  char *end;
  errno = 0;
  long port = strtol(colon + 1, &end, 10);
  if (errno || end == colon + 1 || *end || port < 0 || port > 65535) return -1;
  char *h = arena_strndup(cfg->arena, host, hostlen);
  if (!h) return -1;
  cfg->host = h;
  cfg->port = (uint16_t)port;
  return 0;
}

/* Sets key k from text. 0, or -1 with a message in err. */
static int set_key(struct cli_config *cfg, const struct key *k, const char *text, char *err, size_t errlen) {
  void *field = (char *)cfg + k->offset;
  switch (k->kind) {
    case K_STRING: {
      if (!*text) {
        snprintf(err, errlen, "%s must not be empty", k->name);
        return -1;
      }
      const char *copy = arena_strdup(cfg->arena, text);
      if (!copy) return -1;
      *(const char **)field = copy;
      return 0;
    }
    case K_UINT:
    case K_U64: {
      char *end;
      errno = 0;
      unsigned long long v = strtoull(text, &end, 10);
      if (errno || end == text || *end || text[0] == '-' || v < k->min || v > k->max) {
        snprintf(err, errlen, "%s must be a whole number from %llu to %llu, not \"%s\"", k->name,
                 (unsigned long long)k->min, (unsigned long long)k->max, text);
        return -1;
      }
      if (k->kind == K_UINT) *(unsigned *)field = (unsigned)v;
      else *(uint64_t *)field = v;
      return 0;
    }
    case K_BOOL:
      if (strcmp(text, "true") == 0 || strcmp(text, "1") == 0 || strcmp(text, "yes") == 0) {
        *(bool *)field = true;
      } else if (strcmp(text, "false") == 0 || strcmp(text, "0") == 0 || strcmp(text, "no") == 0) {
        *(bool *)field = false;
      } else {
        snprintf(err, errlen, "%s must be true or false, not \"%s\"", k->name, text);
        return -1;
      }
      return 0;
    case K_LISTEN:
      if (parse_listen(cfg, text) != 0) {
        snprintf(err, errlen, "listen must be HOST:PORT (e.g. 127.0.0.1:8110), not \"%s\"", text);
        return -1;
      }
      return 0;
    case K_LEVEL:
      if (log_parse_level(text, (enum log_level *)field) != 0) {
        snprintf(err, errlen, "log_level must be debug, info, warn or error, not \"%s\"", text);
        return -1;
      }
      return 0;
  }
  return -1;
}

static char *trim(char *s) {
  while (isspace((unsigned char)*s)) s++;
  size_t n = strlen(s);
  while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
  return s;
}

static int load_file(struct cli_config *cfg, const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return cli_fail("cannot read configuration file %s: %s", path, strerror(errno));
  char line[4096];
  int lineno = 0, rc = CLI_OK;
  while (rc == CLI_OK && fgets(line, sizeof line, f)) {
    lineno++;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *s = trim(line);
    if (!*s) continue;
    char *eq = strchr(s, '=');
    if (!eq) {
      rc = cli_fail("%s:%d: expected `key = value`", path, lineno);
      break;
    }
    *eq = '\0';
    char *name = trim(s), *value = trim(eq + 1);
    const struct key *k = find_key(name);
    char err[256];
    if (!k) rc = cli_fail("%s:%d: unknown key \"%s\"", path, lineno, name);
    else if (set_key(cfg, k, value, err, sizeof err) != 0) rc = cli_fail("%s:%d: %s", path, lineno, err);
  }
  fclose(f);
  return rc;
}

static int load_env(struct cli_config *cfg) {
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    char var[64];
    size_t n = (size_t)snprintf(var, sizeof var, "HAMYAR_%s", keys[i].name);
    for (size_t j = 7; j < n; j++) var[j] = (char)toupper((unsigned char)var[j]);
    const char *value = getenv(var);
    char err[256];
    if (value && set_key(cfg, &keys[i], value, err, sizeof err) != 0)
      return cli_fail("environment variable %s: %s", var, err);
  }
  return CLI_OK;
}

static void set_defaults(struct cli_config *cfg) {
  struct account_policy p = account_policy_default();
  cfg->db = "var/hamyar.db";
  cfg->host = "127.0.0.1";
  cfg->port = 8110;
  cfg->web = "./web";
  cfg->threads = 0;
  cfg->log_level = LOG_INFO;
  cfg->body_max = 64 * 1024;
  cfg->conn_limit = 1024;
  cfg->conn_timeout_s = 30;
  cfg->session_idle_s = (uint64_t)(p.session_idle_ms / 1000);
  cfg->session_max_s = (uint64_t)(p.session_max_ms / 1000);
  cfg->login_rate = 10;
  cfg->sse_heartbeat_s = 15;
  cfg->ring_timeout_s = 120;
  cfg->idempotency_keep_s = 86400;
  cfg->auth_cache_ms = 1000;
  cfg->cookie_secure = false;
  cfg->lock_failures = (unsigned)p.lock_failures;
  cfg->lock_window_s = (uint64_t)(p.lock_window_ms / 1000);
  cfg->feedback_deadline_days = 10;
  cfg->feedback_public_rate = 3;
  cfg->feedback_track_rate = 20;
  cfg->feedback_text_max = 8000;
}

/* Reads file, environment and flags into cfg; the caller frees cfg->arena on success,
 * cli_config_load frees it on failure. */
static int config_read(struct cli_config *cfg, const struct cli_args *a) {
  const char *file = cli_value(a, "config");
  if (!file) file = getenv("HAMYAR_CONFIG");
  if (file && *file && load_file(cfg, file) != CLI_OK) return CLI_FAILED;
  if (load_env(cfg) != CLI_OK) return CLI_FAILED;

  /* Flags last: they win. Only the keys the verb takes can be given; a flag is its
   * key with '-' for '_'. */
  static const struct {
    const char *flag, *key;
  } flag_keys[] = {
      {"db", "db"},
      {"listen", "listen"},
      {"web", "web"},
      {"threads", "threads"},
      {"feedback-deadline-days", "feedback_deadline_days"},
  };
  for (size_t i = 0; i < sizeof flag_keys / sizeof flag_keys[0]; i++) {
    const char *value = cli_value(a, flag_keys[i].flag);
    char err[256];
    if (value && set_key(cfg, find_key(flag_keys[i].key), value, err, sizeof err) != 0)
      return cli_usage_error(a->verb, "--%s: %s", flag_keys[i].flag, err);
  }
  return CLI_OK;
}

int cli_config_load(struct cli_config *cfg, const struct cli_args *a) {
  memset(cfg, 0, sizeof *cfg);
  cfg->arena = arena_new(0);
  if (!cfg->arena) return cli_fail("out of memory");
  set_defaults(cfg);
  int rc = config_read(cfg, a);
  if (rc != CLI_OK) {
    arena_free(cfg->arena);
    cfg->arena = NULL;
    return rc;
  }
  log_set_level(cfg->log_level);
  return CLI_OK;
}

struct account_policy cli_config_policy(const struct cli_config *cfg) {
  return (struct account_policy){
      .session_idle_ms = (int64_t)cfg->session_idle_s * 1000,
      .session_max_ms = (int64_t)cfg->session_max_s * 1000,
      .lock_failures = (int)cfg->lock_failures,
      .lock_window_ms = (int64_t)cfg->lock_window_s * 1000,
  };
}
