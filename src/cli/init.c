/* init.c — `hamyar init`: creates the database and its first administrator, loads
 * the reference data of the 110 centre (reference.c), and with --demo adds one demo
 * user per person role and a few days of demo activity (demo.c).
 *
 * Idempotent: the administrator is made only when the database has no users, a demo
 * user only when its name is free, reference rows only where the files differ from
 * the database, and demo activity only into a database without calls, so running init
 * again changes nothing and says so. Passwords come from HAMYAR_ADMIN_PASSWORD and
 * HAMYAR_DEMO_PASSWORD, or are generated and printed once. Hashing happens before the
 * write transaction.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdlib.h>

#include "cli/cli.h"
#include "http/accounts.h"
#include "locale/locale.h"
#include "util/arena.h"
#include "util/clock.h"

static const char help[] =
    "usage: hamyar init [--db PATH] [--data DIR] [--demo [--demo-until TIME] | --demo-users]\n"
    "                   [--config PATH]\n"
    "\n"
    "Creates the database (and its directory) if missing, brings its schema up to date,\n"
    "loads the reference data of the 110 centre (Gilan's counties, police stations, road\n"
    "entry points and patrol units) and, when it has no users yet, creates the\n"
    "administrator `admin`. The password is HAMYAR_ADMIN_PASSWORD, or generated and\n"
    "printed once.\n"
    "\n"
    "  --data DIR    the reference data: counties.json, stations.json,\n"
    "                entry_points.json and units.json (see data/README.md); default\n"
    "                HAMYAR_DATA, else " CLI_DATA_DIR_DEFAULT " under the working directory.\n"
    "                Loading again updates the places and units in place; a unit keeps\n"
    "                its status and position\n"
    "  --demo        also create one demo user per role: calltaker1, dispatcher1,\n"
    "                supervisor1, oversight1, records1, analyst1, commander1 (their\n"
    "                password is HAMYAR_DEMO_PASSWORD, or generated and printed once),\n"
    "                and, into a database without calls, three days of made-up calls,\n"
    "                incidents and unit movements up to now, with some incidents still\n"
    "                open and units on them\n"
    "  --demo-users  only the demo users, without the demo activity\n"
    "  --demo-until TIME\n"
    "                end the demo activity at TIME (RFC 3339, not in the future) instead\n"
    "                of now: the same TIME always gives the same activity\n"
    "\n"
    "Running init again changes nothing and says so.\n";

struct demo {
  const char *username;
  enum role role;
  const char *display_name;
};

static const struct demo demos[] = {
    {"calltaker1", ROLE_CALL_TAKER, "سارا رحیمی"},   {"dispatcher1", ROLE_DISPATCHER, "علی محمدی"},
    {"supervisor1", ROLE_SUPERVISOR, "رضا کریمی"},   {"oversight1", ROLE_OVERSIGHT, "زهرا حسینی"},
    {"records1", ROLE_RECORDS, "مهدی جعفری"},        {"analyst1", ROLE_ANALYST, "نرگس موسوی"},
    {"commander1", ROLE_COMMANDER, "حسن قاسمی"},
};
#define NDEMO (sizeof demos / sizeof demos[0])

struct wanted {
  struct user u;
  bool exists;   /* found before the transaction */
  bool created;  /* inserted by it */
  char hash[ACCOUNT_HASH_MAX];
  char display[256];
};

struct plan {
  bool demo;          /* the demo users */
  bool activity;      /* the demo activity */
  int64_t until_ms;   /* ... up to this instant */
  const char *data;   /* the reference data's directory */
  bool any_user;
  struct wanted admin;
  struct wanted demo_users[NDEMO];
  struct arena *arena;
};

static enum store_rc survey_tx(void *cls, struct store_tx *tx) {
  struct plan *p = cls;
  struct store *s = store_of(tx);
  struct user *first;
  size_t n;
  enum store_rc rc = s->user_list(tx, 0, 1, p->arena, &first, &n);
  if (rc != STORE_OK) return rc;
  p->any_user = n > 0;
  for (size_t i = 0; i < NDEMO && p->demo; i++) {
    struct user u;
    rc = s->user_by_name(tx, demos[i].username, p->arena, &u);
    if (rc != STORE_OK && rc != STORE_NOT_FOUND) return rc;
    p->demo_users[i].exists = rc == STORE_OK;
  }
  return STORE_OK;
}

static enum store_rc create_one(struct store_tx *tx, struct wanted *w) {
  w->created = false;
  if (w->exists) return STORE_OK;
  struct user u = w->u;
  enum store_rc rc = store_of(tx)->user_insert(tx, &u);
  if (rc == STORE_CONFLICT) return STORE_OK; /* made meanwhile by someone else */
  if (rc != STORE_OK) return rc;
  char subject[32];
  snprintf(subject, sizeof subject, "user:%lld", (long long)u.id);
  json_t *detail = json_pack("{s:s,s:o}", "username", u.username, "roles", http_roles_json(u.roles));
  json_t *payload = http_user_json(&u);
  rc = cli_audit(tx, "user.create", subject, detail);
  if (rc == STORE_OK) rc = cli_event(tx, "user.created", subject, payload, ROLE_ADMIN);
  json_decref(detail);
  json_decref(payload);
  w->created = rc == STORE_OK;
  return rc;
}

static enum store_rc create_tx(void *cls, struct store_tx *tx) {
  struct plan *p = cls;
  enum store_rc rc = STORE_OK;
  if (!p->any_user) rc = create_one(tx, &p->admin);
  for (size_t i = 0; i < NDEMO && p->demo && rc == STORE_OK; i++) rc = create_one(tx, &p->demo_users[i]);
  return rc;
}

/* Prepares w for insertion: hashes the password (slow, so outside the transaction). */
static int prepare(struct wanted *w, const char *username, role_set roles, const char *display_name,
                   const char *password) {
  int64_t now = clock_now_ms();
  if (account_password_hash(password, w->hash) != 0) return cli_fail("hashing a password failed (out of memory?)");
  w->u = (struct user){.username = username, .roles = roles, .password_hash = w->hash,
                       .created_ms = now, .password_changed_ms = now};
  if (display_name) {
    /* Persian text is stored normalised, however it was typed here. */
    if (loc_normalize(display_name, strlen(display_name), w->display, sizeof w->display) < 0)
      return cli_fail("cannot normalise the name of %s", username);
    w->u.display_name = w->display;
  }
  return CLI_OK;
}

/* mkdir -p of the directory that will hold `path`. */
static int make_parent_dirs(const char *path) {
  char dir[4096];
  if ((size_t)snprintf(dir, sizeof dir, "%s", path) >= sizeof dir) return cli_fail("path too long: %s", path);
  char *slash = strrchr(dir, '/');
  if (!slash || slash == dir) return CLI_OK;
  *slash = '\0';
  for (char *p = dir + 1; *p; p++) {
    if (*p != '/') continue;
    *p = '\0';
    if (mkdir(dir, 0750) != 0 && errno != EEXIST) return cli_fail("cannot create directory %s: %s", dir, strerror(errno));
    *p = '/';
  }
  if (mkdir(dir, 0750) != 0 && errno != EEXIST) return cli_fail("cannot create directory %s: %s", dir, strerror(errno));
  return CLI_OK;
}

static int run(const struct cli_config *cfg, struct plan *p) {
  bool existed = access(cfg->db, F_OK) == 0;
  if (make_parent_dirs(cfg->db) != CLI_OK) return CLI_FAILED;
  struct store *s = cli_open_store(cfg, STORE_OPEN_CREATE);
  if (!s) return CLI_FAILED;
  int rc = CLI_FAILED;
  char admin_pw[ACCOUNT_PASSWORD_MAX + 2] = "", demo_pw[ACCOUNT_PASSWORD_MAX + 2] = "";
  bool admin_generated = false, demo_generated = false;
  size_t todo = 0;

  /* Reference data first: broken files stop init before anything else is made. */
  struct cli_reference_counts ref;
  if (cli_reference_load(s, p->data, &ref) != CLI_OK) goto done;

  if (store_read(s, survey_tx, p) != STORE_OK) {
    cli_fail("cannot read the users of %s", cfg->db);
    goto done;
  }
  p->admin.exists = p->any_user;
  if (!p->admin.exists) {
    if (cli_password("admin", false, "HAMYAR_ADMIN_PASSWORD", admin_pw, sizeof admin_pw, &admin_generated) != 0 ||
        prepare(&p->admin, "admin", ROLE_ADMIN, NULL, admin_pw) != CLI_OK)
      goto done;
    todo++;
  }
  for (size_t i = 0; i < NDEMO && p->demo; i++) {
    if (p->demo_users[i].exists) continue;
    /* one password for all demo users, chosen once */
    if (!demo_pw[0] &&
        cli_password(demos[i].username, false, "HAMYAR_DEMO_PASSWORD", demo_pw, sizeof demo_pw, &demo_generated) != 0)
      goto done;
    if (prepare(&p->demo_users[i], demos[i].username, demos[i].role, demos[i].display_name, demo_pw) != CLI_OK)
      goto done;
    todo++;
  }
  if (todo > 0 && store_write(s, create_tx, p) != STORE_OK) {
    cli_fail("creating users in %s failed", cfg->db);
    goto done;
  }

  struct cli_demo_counts demo = {0};
  if (p->activity && cli_demo_activity(s, p->until_ms, (int)cfg->feedback_deadline_days, &demo) != CLI_OK)
    goto done;

  size_t made = 0;
  if (!existed) printf("created database %s\n", cfg->db);
  if (ref.changed) {
    printf("loaded reference data from %s: %zu counties, %zu stations, %zu entry points, %zu units"
           " (%zu rows new or changed)\n",
           p->data, ref.counties, ref.stations, ref.entry_points, ref.units, ref.changed);
    made++;
  }
  if (p->admin.created) {
    printf("created administrator admin\n");
    if (admin_generated) cli_print_secret("admin password", admin_pw);
    made++;
  }
  size_t demo_made = 0;
  for (size_t i = 0; i < NDEMO && p->demo; i++)
    if (p->demo_users[i].created) {
      printf("%s%s", demo_made++ ? ", " : "created demo users ", demos[i].username);
      made++;
    }
  if (demo_made) {
    printf("\n");
    if (demo_generated) cli_print_secret("demo users' password", demo_pw);
  }
  if (p->activity && !demo.already) {
    printf("added %d days of demo activity: %zu calls (%zu more abandoned before answer), %zu incidents"
           " (%zu still open), %zu unit positions\n",
           demo.days, demo.calls, demo.abandoned, demo.incidents, demo.open_incidents, demo.positions);
    printf("added the same days of the 197 desk: %zu contacts (%zu praise, %zu still open, %zu overdue),"
           " %zu commendations of citizens\n",
           demo.contacts, demo.praise, demo.open_contacts, demo.overdue, demo.commendations);
    if (demo.track_code[0])
      printf("a citizen's tracking code to try on the public 197 page: %s\n", demo.track_code);
    made++;
  }
  if (made == 0) printf("database %s is already initialised; nothing changed\n", cfg->db);
  rc = CLI_OK;
done:
  store_close(s);
  return rc;
}

int cli_init(int argc, char **argv) {
  static const struct cli_opt opts[] = {
      {"db", true},   {"config", true},     {"demo", false}, {"demo-users", false},
      {"data", true}, {"demo-until", true}, {NULL},
  };
  struct cli_args a;
  struct cli_config cfg;
  int rc = cli_parse("init", argc, argv, opts, NULL, 0, 0, &a);
  if (rc != CLI_OK || cli_helped(&a, help)) return rc;
  if (cli_flag(&a, "demo") && cli_flag(&a, "demo-users"))
    return cli_usage_error(a.verb, "give --demo (users and activity) or --demo-users, not both");
  struct plan p = {.demo = cli_flag(&a, "demo") || cli_flag(&a, "demo-users"), .activity = cli_flag(&a, "demo")};
  const char *until = cli_value(&a, "demo-until");
  p.until_ms = clock_now_ms();
  if (until && !p.activity) return cli_usage_error(a.verb, "--demo-until goes with --demo");
  if (until && (clock_parse_rfc3339(until, &p.until_ms) != 0 || p.until_ms > clock_now_ms()))
    return cli_usage_error(a.verb, "--demo-until takes an RFC 3339 time that is not in the future, not \"%s\"", until);
  p.data = cli_value(&a, "data");
  if (!p.data) p.data = getenv("HAMYAR_DATA");
  if (!p.data || !*p.data) p.data = CLI_DATA_DIR_DEFAULT;
  if ((rc = cli_config_load(&cfg, &a)) != CLI_OK) return rc;
  p.arena = cfg.arena;
  if (account_init() != 0 || loc_init() != 0) {
    arena_free(cfg.arena);
    return cli_fail("cannot initialise libsodium or ICU (the locale data)");
  }
  rc = run(&cfg, &p);
  loc_done();
  arena_free(cfg.arena);
  return rc;
}
