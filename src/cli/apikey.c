/* apikey.c — `hamyar apikey add|list|revoke`: keys for integrations (and for a patrol
 * unit's own device, bound to that unit) from the command line. A new key is printed once; the store keeps only its SHA-256 and prefix. Every
 * change and listing is audited with actor "cli".
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "http/accounts.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/clock.h"

static const char help[] =
    "usage: hamyar apikey add NAME --role telephony|open311\n"
    "       hamyar apikey add NAME --role unit --unit CODE\n"
    "       hamyar apikey list\n"
    "       hamyar apikey revoke NAME\n"
    "(each also takes --db PATH and --config PATH)\n"
    "\n"
    "  add     creates a key for an integration: the phone system (telephony) or an\n"
    "          Open311 client (open311), or one patrol unit's own device (unit, with\n"
    "          --unit and the unit's code, e.g. rasht-k11-1: the key may set that unit's\n"
    "          status and report its position, nothing else). NAME is 1 to 64\n"
    "          characters of a-z 0-9 . _ -.\n"
    "          The key is printed once; give it to the integration as\n"
    "          `Authorization: ApiKey KEY`.\n"
    "  list    prints every key: id, name, role, prefix, created, revoked\n"
    "  revoke  revokes the key at once\n";

struct job {
  const char *name;
  const char *unit_code; /* apikey add --unit */
  bool no_unit;          /* no unit has that code */
  struct apikey k;
  bool found, conflict, already_revoked;
  struct buf out;
  const char *sub;       /* "add", "list" or "revoke" */
  const struct cli_args *args;
  struct arena *arena;   /* the configuration's, for the run */
};

static const char *subject_of(struct job *j) {
  return arena_printf(j->arena, "apikey:%lld", (long long)j->k.id);
}

/* The id of the unit with j->unit_code (units are few: the list is read whole). */
static enum store_rc find_unit(struct store_tx *tx, struct job *j, int64_t *id) {
  struct unit *units;
  size_t n;
  enum store_rc rc = store_of(tx)->em.unit_list(tx, NULL, j->arena, &units, &n);
  *id = 0;
  for (size_t i = 0; rc == STORE_OK && i < n && !*id; i++)
    if (strcmp(units[i].code, j->unit_code) == 0) *id = units[i].id;
  return rc;
}

static enum store_rc add_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct apikey k = j->k;
  enum store_rc rc = STORE_OK;
  if (j->unit_code) {
    rc = find_unit(tx, j, &k.unit_id);
    j->no_unit = rc == STORE_OK && k.unit_id == 0;
    if (rc != STORE_OK || j->no_unit) return rc;
  }
  rc = store_of(tx)->apikey_insert(tx, &k);
  j->conflict = rc == STORE_CONFLICT;
  if (rc != STORE_OK) return j->conflict ? STORE_OK : rc;
  j->k = k;
  json_t *detail = json_pack("{s:s,s:s,s:s}", "name", k.name, "role", role_name(k.role), "prefix", k.prefix);
  if (k.unit_id) json_object_set_new(detail, "unit_id", json_integer((json_int_t)k.unit_id));
  json_t *payload = http_apikey_json(&k);
  rc = cli_audit(tx, "apikey.create", subject_of(j), detail);
  if (rc == STORE_OK) rc = cli_event(tx, "apikey.created", subject_of(j), payload, ROLE_ADMIN);
  json_decref(detail);
  json_decref(payload);
  return rc;
}

static int add(struct store *s, const struct cli_args *a, struct job *j) {
  const char *role = cli_value(a, "role");
  if (!role) return cli_usage_error(a->verb, "give --role telephony, open311 or unit");
  if (strcmp(role, "telephony") == 0) j->k.role = ROLE_TELEPHONY;
  else if (strcmp(role, "open311") == 0) j->k.role = ROLE_OPEN311;
  else if (strcmp(role, "unit") == 0) j->k.role = ROLE_UNIT;
  else return cli_usage_error(a->verb, "--role must be telephony, open311 or unit, not \"%s\"", role);
  j->unit_code = cli_value(a, "unit");
  if (j->k.role == ROLE_UNIT && (!j->unit_code || !*j->unit_code))
    return cli_usage_error(a->verb, "a key with --role unit needs --unit CODE (the unit it acts for)");
  if (j->k.role != ROLE_UNIT && j->unit_code) return cli_usage_error(a->verb, "--unit goes with --role unit only");
  char key[ACCOUNT_APIKEY_SIZE], prefix[ACCOUNT_APIKEY_PREFIX_LEN + 1];
  account_apikey_new(key, prefix);
  j->k.name = j->name;
  j->k.prefix = prefix;
  j->k.created_ms = clock_now_ms();
  account_token_hash(key, j->k.key_hash);
  if (store_write(s, add_tx, j) != STORE_OK) return cli_fail("creating API key %s failed", j->name);
  if (j->no_unit) return cli_fail("no unit has the code %s (see data/gilan/units.json)", j->unit_code);
  if (j->conflict) return cli_fail("an API key named %s exists already; choose another name", j->name);
  if (j->unit_code)
    printf("created API key %s (id %lld, role unit, for unit %s)\n", j->name, (long long)j->k.id, j->unit_code);
  else
    printf("created API key %s (id %lld, role %s)\n", j->name, (long long)j->k.id, role);
  cli_print_secret("key", key);
  return CLI_OK;
}

/* The table is built in j->out and printed after the commit (the callback may run
 * more than once). */
static enum store_rc list_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct apikey *keys;
  size_t n;
  enum store_rc rc = store_of(tx)->apikey_list(tx, j->arena, &keys, &n);
  if (rc != STORE_OK) return rc;
  buf_reset(&j->out);
  buf_printf(&j->out, "%-6s %-24s %-10s %-11s %-25s %s\n", "ID", "NAME", "ROLE", "PREFIX", "CREATED", "REVOKED");
  for (size_t i = 0; i < n; i++) {
    char created[32], revoked[32] = "-";
    clock_format_rfc3339(keys[i].created_ms, created, sizeof created);
    if (keys[i].revoked_ms) clock_format_rfc3339(keys[i].revoked_ms, revoked, sizeof revoked);
    if (buf_printf(&j->out, "%-6lld %-24s %-10s %-11s %-25s %s\n", (long long)keys[i].id, keys[i].name,
                   role_name(keys[i].role), keys[i].prefix, created, revoked) != 0)
      return STORE_HARD;
  }
  json_t *detail = json_pack("{s:I}", "count", (json_int_t)n);
  rc = cli_audit(tx, "apikey.list", "", detail);
  json_decref(detail);
  return rc;
}

static enum store_rc revoke_tx(void *cls, struct store_tx *tx) {
  struct job *j = cls;
  struct store *s = store_of(tx);
  enum store_rc rc = s->apikey_by_name(tx, j->name, j->arena, &j->k);
  j->found = rc == STORE_OK;
  if (rc != STORE_OK) return rc == STORE_NOT_FOUND ? STORE_OK : rc;
  j->already_revoked = j->k.revoked_ms != 0;
  if (j->already_revoked) return STORE_OK;
  j->k.revoked_ms = clock_now_ms();
  rc = s->apikey_revoke(tx, j->k.id, j->k.revoked_ms);
  json_t *detail = json_pack("{s:s}", "name", j->k.name);
  json_t *payload = http_apikey_json(&j->k);
  if (rc == STORE_OK) rc = cli_audit(tx, "apikey.revoke", subject_of(j), detail);
  if (rc == STORE_OK) rc = cli_event(tx, "apikey.revoked", subject_of(j), payload, ROLE_ADMIN);
  json_decref(detail);
  json_decref(payload);
  return rc;
}

static int run(struct store *s, struct arena *arena, void *cls) {
  struct job *j = cls;
  const char *sub = j->sub;
  const struct cli_args *a = j->args;
  j->arena = arena;
  if (strcmp(sub, "add") == 0) return add(s, a, j);
  if (strcmp(sub, "list") == 0) return cli_print_table(s, list_tx, j, &j->out, "API keys");
  if (store_write(s, revoke_tx, j) != STORE_OK) return cli_fail("revoking API key %s failed", j->name);
  if (!j->found) return cli_fail("no API key named %s; `hamyar apikey list` shows them", j->name);
  printf(j->already_revoked ? "API key %s was already revoked\n" : "revoked API key %s\n", j->name);
  return CLI_OK;
}

int cli_apikey(int argc, char **argv) {
  static const struct cli_opt opts[] = {{"db", true}, {"config", true}, {"role", true}, {"unit", true}, {NULL}};
  static const struct {
    const char *name, *verb;
    size_t npos;
  } subverbs[] = {{"add", "apikey add", 1}, {"list", "apikey list", 0}, {"revoke", "apikey revoke", 1}};
  if (argc < 1 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
    fputs(help, argc < 1 ? stderr : stdout);
    return argc < 1 ? CLI_USAGE : CLI_OK;
  }
  size_t k = 0;
  while (k < 3 && strcmp(subverbs[k].name, argv[0]) != 0) k++;
  if (k == 3) return cli_usage_error("apikey", "unknown subcommand \"%s\"", argv[0]);

  struct cli_args a;
  int rc = cli_parse(subverbs[k].verb, argc - 1, argv + 1, opts, "NAME", subverbs[k].npos, subverbs[k].npos, &a);
  if (rc != CLI_OK || cli_helped(&a, help)) return rc;
  if (k != 0 && cli_flag(&a, "role")) return cli_usage_error(a.verb, "--role belongs to `apikey add`");
  if (k != 0 && cli_flag(&a, "unit")) return cli_usage_error(a.verb, "--unit belongs to `apikey add`");
  if (subverbs[k].npos && !account_name_valid(a.pos[0]))
    return cli_usage_error(a.verb, "a key name is 1 to 64 characters of a-z, 0-9, '.', '_' and '-'");
  struct job j = {.name = subverbs[k].npos ? a.pos[0] : NULL, .sub = subverbs[k].name, .args = &a};
  return cli_with_store(&a, run, &j);
}
