/* user.c — `hamyar user add|list|disable|passwd|unlock|reset-totp`: people's accounts from the
 * command line, for the first administrator and for recovery when nobody can log in.
 * Every change and every listing is audited with actor "cli", and changes are
 * announced as events as the API announces them.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/accounts.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"

static const char help[] =
    "usage: hamyar user add USERNAME --role ROLE [--role ROLE ...] [--name TEXT] [--password-stdin]\n"
    "       hamyar user list\n"
    "       hamyar user disable USERNAME\n"
    "       hamyar user passwd USERNAME [--password-stdin]\n"
    "       hamyar user unlock USERNAME\n"
    "       hamyar user reset-totp USERNAME\n"
    "(each also takes --db PATH and --config PATH)\n"
    "\n"
    "  add      creates a person's account. ROLE is call_taker, dispatcher, supervisor,\n"
    "           oversight, records, analyst, commander or admin. --name is the Persian name\n"
    "           shown on screens. The password is read from standard input with\n"
    "           --password-stdin, else taken from HAMYAR_PASSWORD, else generated and\n"
    "           printed once.\n"
    "  list     prints every account: id, username, roles, state\n"
    "  disable  disables the account and ends its sessions\n"
    "  passwd   sets a new password (as for add) and ends the account's sessions\n"
    "  unlock   clears the lock after repeated failed log-ins\n"
    "  reset-totp\n"
    "           removes the account's TOTP second factor (a lost phone): it logs in\n"
    "           with its password alone until it enrols again\n";

/* What one subverb changes, run inside the write transaction. */
struct job {
  const char *username;
  struct user u;          /* add: the new user; others: read in the transaction */
  char hash[ACCOUNT_HASH_MAX];
  bool found;
  bool nothing_to_do;     /* already in the asked state */
  bool conflict;          /* add: the name is taken */
  struct buf out;         /* list: the table */
  const char *sub;        /* the subverb: "add", "list", ... */
  const struct cli_args *args;
  struct arena *arena;    /* the configuration's, for the run */
};

static const char *subject_of(struct job *j) {
  return arena_printf(j->arena, "user:%lld", (long long)j->u.id);
}

/* Audit row and event for a change to j->u. */
static enum store_rc announce(struct store_tx *tx, struct job *j, const char *action, json_t *detail,
                              const char *event) {
  enum store_rc rc = cli_audit(tx, action, subject_of(j), detail);
  if (rc == STORE_OK && event) {
    json_t *payload = http_user_json(&j->u);
    rc = cli_event(tx, event, subject_of(j), payload, ROLE_ADMIN);
    json_decref(payload);
  }
  return rc;
}

/* ---- add -------------------------------------------------------------------------- */

static enum store_rc add_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct user u = j->u;
  enum store_rc rc = store_of(tx)->user_insert(tx, &u);
  j->conflict = rc == STORE_CONFLICT;
  if (rc != STORE_OK) return j->conflict ? STORE_OK : rc;
  j->u = u;
  json_t *detail = json_pack("{s:s,s:o}", "username", u.username, "roles", http_roles_json(u.roles));
  rc = announce(tx, j, "user.create", detail, "user.created");
  json_decref(detail);
  return rc;
}

static int add(struct store *s, const struct cli_args *a, struct job *j) {
  size_t nroles;
  const char *const *roles = cli_values(a, "role", &nroles);
  if (nroles == 0) return cli_usage_error(a->verb, "give at least one --role");
  for (size_t i = 0; i < nroles; i++) {
    enum role r;
    if (role_parse(roles[i], &r) != 0 || !(r & ROLES_PERSON))
      return cli_usage_error(a->verb, "\"%s\" is not a person's role", roles[i]);
    j->u.roles |= r;
  }
  const char *name = cli_value(a, "name");
  char display[512];
  if (name) {
    if (loc_init() != 0) return cli_fail("cannot initialise ICU (the locale data)");
    int n = loc_normalize(name, strlen(name), display, sizeof display);
    loc_done();
    if (n < 1 || n > 100) return cli_usage_error(a->verb, "--name must be 1 to 100 bytes of UTF-8 text");
    j->u.display_name = display;
  }
  char pw[ACCOUNT_PASSWORD_MAX + 2];
  bool generated;
  if (cli_password(j->username, cli_flag(a, "password-stdin"), "HAMYAR_PASSWORD", pw, sizeof pw, &generated) != 0)
    return CLI_FAILED;
  if (account_password_hash(pw, j->hash) != 0) return cli_fail("hashing the password failed");
  int64_t now = clock_now_ms();
  j->u.username = j->username;
  j->u.password_hash = j->hash;
  j->u.created_ms = now;
  j->u.password_changed_ms = now;
  if (store_write(s, add_tx, j) != STORE_OK) return cli_fail("creating user %s failed", j->username);
  if (j->conflict) return cli_fail("user %s already exists; choose another name", j->username);
  printf("created user %s (id %lld)\n", j->username, (long long)j->u.id);
  if (generated) cli_print_secret("password", pw);
  return CLI_OK;
}

/* ---- list ------------------------------------------------------------------------- */

struct roles_text {
  char text[256];
  size_t len;
};

static void add_role(void *cls, enum role r) {
  struct roles_text *t = cls;
  int n = snprintf(t->text + t->len, sizeof t->text - t->len, "%s%s", t->len ? "," : "", role_name(r));
  if (n > 0 && t->len + (size_t)n < sizeof t->text) t->len += (size_t)n;
}

/* The table is built in j->out and printed after the commit: the store may run this
 * callback more than once. */
static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct store *s = store_of(tx);
  int64_t after = 0;
  size_t total = 0;
  buf_reset(&j->out);
  buf_printf(&j->out, "%-6s %-24s %-40s %s\n", "ID", "USERNAME", "ROLES", "STATE");
  for (;;) {
    struct user *users;
    size_t n;
    enum store_rc rc = s->user_list(tx, after, 200, j->arena, &users, &n);
    if (rc != STORE_OK) return rc;
    for (size_t i = 0; i < n; i++) {
      const struct user *u = &users[i];
      struct roles_text roles = {.len = 0};
      role_each(u->roles, add_role, &roles);
      if (buf_printf(&j->out, "%-6lld %-24s %-40s %s%s%s\n", (long long)u->id, u->username, roles.text,
                     u->disabled ? "disabled" : u->locked ? "locked" : "active",
                     u->disabled && u->locked ? ",locked" : "", u->totp_enabled ? ",totp" : "") != 0)
        return STORE_HARD;
      after = u->id;
    }
    total += n;
    if (n < 200) break;
  }
  json_t *detail = json_pack("{s:I}", "count", (json_int_t)total);
  enum store_rc rc = cli_audit(tx, "user.list", "", detail);
  json_decref(detail);
  return rc;
}

/* ---- disable, passwd, unlock -------------------------------------------------------- */

static enum store_rc read_target(struct store_tx *tx, struct job *j) {
  enum store_rc rc = store_of(tx)->user_by_name(tx, j->username, j->arena, &j->u);
  j->found = rc == STORE_OK;
  return rc;
}

static enum store_rc disable_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct store *s = store_of(tx);
  enum store_rc rc = read_target(tx, j);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  j->nothing_to_do = j->u.disabled;
  if (j->nothing_to_do) return STORE_OK;
  j->u.disabled = true;
  rc = s->user_update(tx, &j->u);
  if (rc == STORE_OK) rc = s->session_revoke_user(tx, j->u.id, clock_now_ms());
  json_t *detail = json_pack("{s:b}", "disabled", 1);
  if (rc == STORE_OK) rc = announce(tx, j, "user.update", detail, "user.updated");
  json_decref(detail);
  return rc;
}

static enum store_rc passwd_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct store *s = store_of(tx);
  int64_t now = clock_now_ms();
  enum store_rc rc = read_target(tx, j);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  j->u.password_hash = j->hash;
  j->u.password_changed_ms = now;
  rc = s->user_update(tx, &j->u);
  if (rc == STORE_OK) rc = s->session_revoke_user(tx, j->u.id, now);
  if (rc == STORE_OK) rc = announce(tx, j, "user.password_reset", NULL, NULL);
  return rc;
}

static enum store_rc unlock_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct store *s = store_of(tx);
  enum store_rc rc = read_target(tx, j);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  json_t *detail = json_pack("{s:b}", "was_locked", j->u.locked);
  j->nothing_to_do = !j->u.locked;
  j->u.locked = false;
  rc = s->user_update(tx, &j->u);
  if (rc == STORE_OK) rc = s->login_failure_clear(tx, j->u.id);
  if (rc == STORE_OK) rc = announce(tx, j, "user.unlock", detail, "user.updated");
  json_decref(detail);
  return rc;
}

static enum store_rc reset_totp_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  enum store_rc rc = read_target(tx, j);
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  json_t *detail = json_pack("{s:b,s:b}", "was_enabled", j->u.totp_enabled, "was_enrolling",
                             !j->u.totp_enabled && j->u.totp_secret != NULL);
  j->nothing_to_do = !j->u.totp_enabled && !j->u.totp_secret;
  j->u.totp_secret = NULL;
  j->u.totp_enabled = false;
  j->u.totp_last_step = 0;
  rc = store_of(tx)->user_update(tx, &j->u);
  if (rc == STORE_OK) rc = announce(tx, j, "user.totp_reset", detail, "user.updated");
  json_decref(detail);
  return rc;
}

/* ---- the verb ---------------------------------------------------------------------- */

static const struct {
  const char *name;
  const char *verb;  /* for messages */
  size_t npos;       /* 1: USERNAME */
} subverbs[] = {
    {"add", "user add", 1}, {"list", "user list", 0}, {"disable", "user disable", 1},
    {"passwd", "user passwd", 1}, {"unlock", "user unlock", 1}, {"reset-totp", "user reset-totp", 1},
};

static int run(struct store *s, struct arena *arena, void *cls) {
  struct job *j = cls;
  const char *sub = j->sub;
  const struct cli_args *a = j->args;
  j->arena = arena;
  if (strcmp(sub, "add") == 0) return add(s, a, j);
  if (strcmp(sub, "list") == 0) return cli_print_table(s, list_tx, j, &j->out, "users");

  store_tx_fn fn = strcmp(sub, "disable") == 0      ? disable_tx
                   : strcmp(sub, "unlock") == 0     ? unlock_tx
                   : strcmp(sub, "reset-totp") == 0 ? reset_totp_tx
                                                    : passwd_tx;
  char pw[ACCOUNT_PASSWORD_MAX + 2];
  bool generated = false;
  if (fn == passwd_tx) {
    if (cli_password(j->username, cli_flag(a, "password-stdin"), "HAMYAR_PASSWORD", pw, sizeof pw, &generated) != 0)
      return CLI_FAILED;
    if (account_password_hash(pw, j->hash) != 0) return cli_fail("hashing the password failed");
  }
  if (store_write(s, fn, j) != STORE_OK) return cli_fail("%s %s failed", a->verb, j->username);
  if (!j->found) return cli_fail("no user named %s; `hamyar user list` shows them", j->username);
  if (fn == disable_tx)
    printf(j->nothing_to_do ? "user %s was already disabled\n" : "disabled user %s; its sessions ended\n", j->username);
  else if (fn == unlock_tx)
    printf(j->nothing_to_do ? "user %s was not locked\n" : "unlocked user %s\n", j->username);
  else if (fn == reset_totp_tx)
    printf(j->nothing_to_do ? "user %s had no second factor\n"
                            : "removed the second factor of user %s; it logs in with its password\n",
           j->username);
  else {
    printf("set a new password for %s; its sessions ended\n", j->username);
    if (generated) cli_print_secret("password", pw);
  }
  return CLI_OK;
}

int cli_user(int argc, char **argv) {
  static const struct cli_opt opts[] = {
      {"db", true}, {"config", true}, {"role", true, true}, {"name", true}, {"password-stdin", false}, {NULL},
  };
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    fputs(help, argc < 1 ? stderr : stdout);
    return argc < 1 ? CLI_USAGE : CLI_OK;
  }
  size_t k = 0;
  while (k < sizeof subverbs / sizeof subverbs[0] && strcmp(subverbs[k].name, argv[0]) != 0) k++;
  if (k == sizeof subverbs / sizeof subverbs[0]) return cli_usage_error("user", "unknown subcommand \"%s\"", argv[0]);

  struct cli_args a;
  int rc = cli_parse(subverbs[k].verb, argc - 1, argv + 1, opts, "USERNAME", subverbs[k].npos, subverbs[k].npos, &a);
  if (rc != CLI_OK || cli_helped(&a, help)) return rc;
  /* Options that belong to another subverb are a mistake worth saying. */
  if (k != 0 && (cli_flag(&a, "role") || cli_flag(&a, "name")))
    return cli_usage_error(a.verb, "--role and --name belong to `user add`");
  if (k != 0 && k != 3 && cli_flag(&a, "password-stdin"))
    return cli_usage_error(a.verb, "--password-stdin belongs to `user add` and `user passwd`");
  if (subverbs[k].npos && !account_name_valid(a.pos[0]))
    return cli_usage_error(a.verb, "a username is 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
  struct job j = {.username = subverbs[k].npos ? a.pos[0] : NULL, .sub = subverbs[k].name, .args = &a};
  return cli_with_store(&a, run, &j);
}
