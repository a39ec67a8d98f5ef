/* common.c — what the verbs share: opening the store, audit rows and events written
 * by the CLI, new passwords, secrets shown once. See cli.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"

struct store *cli_open_store(const struct cli_config *cfg, int flags) {
  char err[512];
  struct store *s = store_sqlite_open(cfg->db, flags, err, sizeof err);
  if (!s) cli_fail("%s", err);
  return s;
}

int cli_with_store(const struct cli_args *a, cli_store_fn fn, void *cls) {
  struct cli_config cfg;
  int rc = cli_config_load(&cfg, a);
  if (rc != CLI_OK) return rc;
  struct store *s = NULL;
  if (account_init() != 0) {
    rc = cli_fail("cannot initialise libsodium");
  } else if ((s = cli_open_store(&cfg, 0)) == NULL) {
    rc = CLI_FAILED;
  } else {
    rc = fn(s, cfg.arena, cls);
    store_close(s);
  }
  arena_free(cfg.arena);
  return rc;
}

int cli_print_table(struct store *s, store_tx_fn fn, void *cls, struct buf *out, const char *what) {
  buf_init(out, 64u << 20);
  int rc = store_write(s, fn, cls) == STORE_OK ? CLI_OK : cli_fail("listing %s failed", what);
  if (rc == CLI_OK && out->data) fwrite(out->data, 1, out->len, stdout);
  buf_free(out);
  return rc;
}

/* Compact with sorted keys, as the server writes details, so equal details read the
 * same whoever wrote them. malloc'd; NULL when out of memory. */
static char *json_text(json_t *v) {
  return v ? json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
}

enum store_rc cli_audit(struct store_tx *tx, const char *action, const char *subject, json_t *detail) {
  char *text = json_text(detail);
  if (!text) return STORE_HARD;
  struct audit_row row = {
      .time_ms = clock_now_ms(),
      .actor_id = 0,
      .actor = "cli",
      .action = action,
      .subject = subject ? subject : "",
      .detail = text,
      .ip = "",
      .request_id = "",
  };
  enum store_rc rc = store_of(tx)->audit_append(tx, &row);
  free(text);
  return rc;
}

enum store_rc cli_event(struct store_tx *tx, const char *type, const char *subject, json_t *payload,
                        role_set audience) {
  char *text = json_text(payload);
  if (!text) return STORE_HARD;
  struct event ev = {
      .time_ms = clock_now_ms(),
      .type = type,
      .subject = subject ? subject : "",
      .payload = text,
      .audience = audience,
  };
  enum store_rc rc = store_of(tx)->event_append(tx, &ev);
  free(text);
  return rc;
}

int cli_password(const char *username, bool from_stdin, const char *env_name, char *out, size_t outlen,
                 bool *generated) {
  *generated = false;
  if (from_stdin) {
    if (!fgets(out, (int)outlen, stdin)) {
      cli_fail("--password-stdin: no password on standard input");
      return -1;
    }
    size_t n = strlen(out);
    if (n > 0 && out[n - 1] != '\n' && !feof(stdin)) {
      cli_fail("--password-stdin: the password is longer than %d bytes", ACCOUNT_PASSWORD_MAX);
      return -1;
    }
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r')) out[--n] = '\0';
  } else if (env_name && getenv(env_name)) {
    if ((size_t)snprintf(out, outlen, "%s", getenv(env_name)) >= outlen) {
      cli_fail("%s: the password is longer than %d bytes", env_name, ACCOUNT_PASSWORD_MAX);
      return -1;
    }
  } else {
    char pw[ACCOUNT_GENERATED_PASSWORD_SIZE];
    account_password_generate(pw);
    snprintf(out, outlen, "%s", pw);
    *generated = true;
  }
  const char *problem = account_password_problem(username, out);
  if (problem) {
    cli_fail("the password for %s %s", username, problem);
    return -1;
  }
  return 0;
}

void cli_print_secret(const char *label, const char *secret) {
  printf("%s: %s — store it now; it is not shown again\n", label, secret);
  fflush(stdout);
}
