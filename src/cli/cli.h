/* cli.h — the `hamyar` command-line program: verbs, their options, configuration, and
 * what the verbs share (opening the store, audit rows written by the CLI, passwords).
 *
 * Exit codes: CLI_OK (0) done, CLI_FAILED (1) failed, CLI_USAGE (2) the command line
 * was wrong (unknown verb or option, missing argument). A usage error prints one line
 * saying what is wrong and one pointing at `hamyar VERB --help`.
 *
 * Configuration, highest precedence first: command-line flags, HAMYAR_* environment
 * variables (HAMYAR_DB, HAMYAR_LISTEN, ... — the key in upper case), the configuration
 * file (--config PATH or HAMYAR_CONFIG; `key = value` lines, # comments), defaults.
 *
 * Memory: struct cli_config and struct cli_args point into argv, the environment and
 * the config's arena, all of which live until the program ends.
 */
#ifndef HAMYAR_CLI_CLI_H
#define HAMYAR_CLI_CLI_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/account.h"
#include "store/store.h"
#include "util/log.h"

enum { CLI_OK = 0, CLI_FAILED = 1, CLI_USAGE = 2 };

/* The program's entry point (src/main.c). */
int cli_main(int argc, char **argv);

/* ---- command lines ---------------------------------------------------------------- */

struct cli_opt {
  const char *name; /* "db" for --db */
  bool value;       /* takes a value: --db PATH or --db=PATH */
  bool repeat;      /* may be given more than once (--role) */
};

#define CLI_MAX_OPTS 12
#define CLI_MAX_VALUES 16
#define CLI_MAX_POS 4

struct cli_args {
  const char *verb;              /* "user add", for messages */
  const struct cli_opt *opts;    /* terminated by {NULL} */
  const char *pos[CLI_MAX_POS];  /* positional arguments */
  size_t npos;
  struct {
    size_t n;
    const char *v[CLI_MAX_VALUES]; /* values; a flag without value stores "" */
  } given[CLI_MAX_OPTS];
  bool help;                     /* --help or -h was given */
};

/* Parses argv (the words after the verb) by `opts`; `npos_min`..`npos_max` positional
 * arguments, named `pos_name` in messages ("USERNAME"). CLI_OK, or CLI_USAGE after
 * printing why. With --help it returns CLI_OK and sets help (positional counts are
 * then not checked). */
int cli_parse(const char *verb, int argc, char **argv, const struct cli_opt *opts, const char *pos_name,
              size_t npos_min, size_t npos_max, struct cli_args *out);
/* When --help was given: prints `help` to stdout and returns true, the verb being done.
 * Verbs write `if (rc != CLI_OK || cli_helped(&a, help)) return rc;` after cli_parse. */
bool cli_helped(const struct cli_args *a, const char *help);
/* The (last) value of option `name`, or NULL when not given. */
const char *cli_value(const struct cli_args *a, const char *name);
/* All values of a repeatable option. */
const char *const *cli_values(const struct cli_args *a, const char *name, size_t *n);
bool cli_flag(const struct cli_args *a, const char *name);
/* Prints "hamyar: VERB: message" and the pointer to the verb's help; returns CLI_USAGE. */
int cli_usage_error(const char *verb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "hamyar: message" to stderr; returns CLI_FAILED. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- configuration (config.c) --------------------------------------------------------- */

struct cli_config {
  const char *db;
  const char *host;          /* from listen = HOST:PORT */
  uint16_t port;
  const char *web;
  unsigned threads;
  enum log_level log_level;
  uint64_t body_max;
  unsigned conn_limit;
  unsigned conn_timeout_s;
  uint64_t session_idle_s;
  uint64_t session_max_s;
  unsigned login_rate;       /* log-in attempts per address per minute */
  unsigned sse_heartbeat_s;
  bool cookie_secure;
  unsigned ring_timeout_s;   /* a phone-system call ringing this long unanswered is abandoned; 0: never */
  uint64_t idempotency_keep_s; /* a stored answer to an Idempotency-Key is kept this long */
  uint64_t auth_cache_ms;      /* a checked credential is trusted this long unread (0: never) */
  unsigned lock_failures;
  uint64_t lock_window_s;
  /* the 197 desk (http/feedback.h struct feedback_config) */
  unsigned feedback_deadline_days;  /* days from receipt to the answer */
  unsigned feedback_public_rate;    /* public form submissions per address a minute */
  unsigned feedback_track_rate;     /* tracking-page lookups per address a minute */
  uint64_t feedback_text_max;       /* longest contact text, bytes */
  struct arena *arena;       /* holds the strings read from the config file */
};

/* Fills cfg from defaults, the config file, the environment and the flags in `a`
 * (--db, --config, and for serve --listen, --web, --threads, --feedback-deadline-days),
 * in rising precedence.
 * CLI_OK, CLI_USAGE (a bad flag value), or CLI_FAILED (a bad file or variable), after
 * printing why. On CLI_OK the caller owns cfg->arena (arena_free when done); on failure
 * nothing is left to free. */
int cli_config_load(struct cli_config *cfg, const struct cli_args *a);
/* The session and lock-out policy the configuration asks for. */
struct account_policy cli_config_policy(const struct cli_config *cfg);

/* ---- what verbs share (common.c) ------------------------------------------------------- */

/* Opens cfg->db (flags: STORE_OPEN_*); NULL after printing why. */
struct store *cli_open_store(const struct cli_config *cfg, int flags);

/* What a verb that changes accounts does after parsing `a`: loads the configuration,
 * starts libsodium, opens the store, and returns fn(s, the configuration's arena, cls),
 * closing the store and freeing the arena after; or the failure that came first,
 * after printing why. The arena lives while fn runs. */
typedef int (*cli_store_fn)(struct store *s, struct arena *arena, void *cls);
int cli_with_store(const struct cli_args *a, cli_store_fn fn, void *cls);

struct buf;
/* A `list` subverb: fn, run in a write transaction (the read is audited), builds the
 * table in `out` (resetting it first, as the store may run fn again); the table is
 * printed after the commit. CLI_OK, or CLI_FAILED after printing "listing WHAT failed".
 * `out` is initialised and freed here. */
int cli_print_table(struct store *s, store_tx_fn fn, void *cls, struct buf *out, const char *what);

/* Inside a write transaction: an audit row with actor "cli" (actor_id 0, no ip, no
 * request id). detail: a JSON object or NULL, not stolen. */
enum store_rc cli_audit(struct store_tx *tx, const char *action, const char *subject, json_t *detail);
/* Inside a write transaction: an event for live consoles. payload is not stolen. */
enum store_rc cli_event(struct store_tx *tx, const char *type, const char *subject, json_t *payload,
                        role_set audience);

/* A new password for `username`: read from stdin (one line) when from_stdin, else the
 * environment variable env_name when set, else generated (then *generated is true and
 * the caller prints it once). Checks the password policy. 0, or -1 after printing why. */
int cli_password(const char *username, bool from_stdin, const char *env_name, char *out, size_t outlen,
                 bool *generated);
/* Prints a secret shown only once: "LABEL: SECRET — store it now; it is not shown again". */
void cli_print_secret(const char *label, const char *secret);

/* ---- the 110 centre's data (reference.c, demo.c) -------------------------------------- */

/* Where `hamyar init` reads the reference data when neither --data nor HAMYAR_DATA says:
 * relative to the working directory (the repository, for `make run`). */
#define CLI_DATA_DIR_DEFAULT "data/gilan"

struct cli_reference_counts {
  size_t counties, stations, entry_points, units; /* records in the files */
  size_t changed;                                  /* of them, inserted or updated */
};

/* Reads counties.json, stations.json, entry_points.json and units.json of `dir`
 * (data/README.md), checks them, and upserts what differs from the store in one
 * transaction (units keep their status and position), with one audit row when
 * anything changed. CLI_OK, or CLI_FAILED after printing which file and what is wrong
 * (then nothing was written). Needs loc_init() (names are normalised). */
int cli_reference_load(struct store *s, const char *dir, struct cli_reference_counts *out);

struct cli_demo_counts {
  bool already;          /* the database had calls: nothing was added */
  size_t calls, abandoned, incidents, open_incidents, positions;
  int days;
  /* the 197 desk: contacts (of them praise, still open, overdue), commendations, and a
   * tracking code to try on the public page ("" when none) */
  size_t contacts, praise, open_contacts, overdue, commendations;
  char track_code[FB_CODE_TEXT];
};

/* Adds a few days of made-up but realistic activity before now_ms: phone calls (some
 * abandoned), call-takers' calls, incidents that move through their statuses with
 * their units, unit positions, and some incidents and units still busy at now_ms; and
 * the same days of the 197 desk: contacts with their timelines (deadlines of
 * feedback_deadline_days), some overdue, and commendations of citizens.
 * Deterministic (a fixed seed) for a given now_ms, but for the 197 tracking codes.
 * Written through the store interface in one transaction, only when the database has
 * no calls yet. Needs the reference data loaded, loc_init() and sodium_init().
 * CLI_OK or CLI_FAILED after printing why. */
int cli_demo_activity(struct store *s, int64_t now_ms, int feedback_deadline_days, struct cli_demo_counts *out);

/* ---- verbs --------------------------------------------------------------------------- */

int cli_init(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_user(int argc, char **argv);
int cli_apikey(int argc, char **argv);
int cli_audit_cmd(int argc, char **argv);
int cli_version(int argc, char **argv);

#endif
