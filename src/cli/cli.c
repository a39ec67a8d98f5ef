/* cli.c — `hamyar VERB ...`: the verbs, the program's help, `hamyar version`. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/sqlite/store_sqlite.h"

static const char help[] =
    "usage: hamyar VERB [OPTIONS]\n"
    "\n"
    "hamyar is the operations platform of the Gilan police command.\n"
    "\n"
    "verbs:\n"
    "  init           create the database and its first administrator, load the\n"
    "                 reference data (--data DIR); --demo adds demo users and activity\n"
    "  serve          run the HTTP server and the console\n"
    "  user           add, list, disable, unlock people; set passwords, reset TOTP\n"
    "  apikey         add, list, revoke keys for integrations\n"
    "  audit verify   check the audit log's hash chain\n"
    "  version        print the version\n"
    "\n"
    "`hamyar VERB --help` tells more about each verb. Every verb that uses the\n"
    "database takes --db PATH (default var/hamyar.db) and --config PATH.\n"
    "\n"
    "configuration, highest precedence first: flags; HAMYAR_* environment variables\n"
    "(HAMYAR_DB, HAMYAR_LISTEN, ...); the file given by --config or HAMYAR_CONFIG, with\n"
    "`key = value` lines and # comments; defaults. Keys:\n"
    "  db               database file                        var/hamyar.db\n"
    "  listen           HOST:PORT to serve on (port 0: any)  127.0.0.1:8110\n"
    "  web              the console's files                  ./web\n"
    "  threads          worker threads (0: one per core)     0\n"
    "  log_level        debug, info, warn, error             info\n"
    "  body_max         request body cap in bytes            65536\n"
    "  conn_limit       simultaneous connections             1024\n"
    "  conn_timeout     idle connection timeout, seconds     30\n"
    "  session_idle_s   session idle timeout, seconds        1800\n"
    "  session_max_s    session absolute timeout, seconds    43200\n"
    "  lock_failures    failed log-ins that lock an account  5\n"
    "  lock_window_s    ... within this many seconds         900\n"
    "  login_rate       log-in attempts per address a minute 10\n"
    "  sse_heartbeat_s  event stream heartbeat, seconds      15\n"
    "  cookie_secure    mark the session cookie Secure       false\n"
    "  feedback_deadline_days  197: days to answer a contact      10\n"
    "  feedback_public_rate    197: public form posts/address/min 3\n"
    "  feedback_track_rate     197: tracking lookups/address/min  20\n"
    "  feedback_text_max       197: longest contact text, bytes   8000\n"
    "\n"
    "exit codes: 0 done, 1 failed, 2 usage error.\n";

static const char version_help[] =
    "usage: hamyar version\n"
    "\n"
    "Prints hamyar's version and the newest database schema version it knows.\n";

int cli_version(int argc, char **argv) {
  static const struct cli_opt opts[] = {{NULL}};
  struct cli_args a;
  int rc = cli_parse("version", argc, argv, opts, NULL, 0, 0, &a);
  if (rc != CLI_OK || cli_helped(&a, version_help)) return rc;
  printf("hamyar %s\nschema version %d\n", HAMYAR_VERSION, store_sqlite_newest_version());
  return CLI_OK;
}

static const struct {
  const char *name;
  int (*run)(int argc, char **argv);
} verbs[] = {
    {"init", cli_init},     {"serve", cli_serve},     {"user", cli_user},
    {"apikey", cli_apikey}, {"audit", cli_audit_cmd}, {"version", cli_version},
};

int cli_main(int argc, char **argv) {
  if (argc < 2) {
    fputs(help, stderr);
    return CLI_USAGE;
  }
  const char *verb = argv[1];
  if (strcmp(verb, "--help") == 0 || strcmp(verb, "-h") == 0 || strcmp(verb, "help") == 0) {
    fputs(help, stdout);
    return CLI_OK;
  }
  if (strcmp(verb, "--version") == 0) return cli_version(0, NULL);
  for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
    if (strcmp(verbs[i].name, verb) == 0) return verbs[i].run(argc - 2, argv + 2);
  fprintf(stderr, "hamyar: unknown verb \"%s\"\nsee `hamyar --help`\n", verb);
  return CLI_USAGE;
}
