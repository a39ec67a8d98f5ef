/* args.c — command-line options of the verbs; see cli.h.
 *
 * Options may come before or after positional arguments, as --name VALUE or
 * --name=VALUE; "--" ends the options. Errors name the verb and point at its help, so
 * a person who mistyped knows where to look.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage_error(const char *verb, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "hamyar: %s%s", verb ? verb : "", verb ? ": " : "");
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nsee `hamyar%s%s --help`\n", verb ? " " : "", verb ? verb : "");
  return CLI_USAGE;
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("hamyar: ", stderr);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return CLI_FAILED;
}

static int find_opt(const struct cli_opt *opts, const char *name, size_t len) {
  for (int i = 0; opts[i].name; i++)
    if (strlen(opts[i].name) == len && strncmp(opts[i].name, name, len) == 0) return i;
  return -1;
}

int cli_parse(const char *verb, int argc, char **argv, const struct cli_opt *opts, const char *pos_name,
              size_t npos_min, size_t npos_max, struct cli_args *out) {
  memset(out, 0, sizeof *out);
  out->verb = verb;
  out->opts = opts;
  bool options_done = false;
  for (int i = 0; i < argc; i++) {
    const char *arg = argv[i];
    if (!options_done && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
      out->help = true;
      return CLI_OK;
    }
    if (!options_done && strcmp(arg, "--") == 0) {
      options_done = true;
      continue;
    }
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      if (out->npos >= npos_max || out->npos >= CLI_MAX_POS)
        return cli_usage_error(verb, "unexpected argument \"%s\"", arg);
      out->pos[out->npos++] = arg;
      continue;
    }
    if (arg[1] != '-') return cli_usage_error(verb, "unknown option %s", arg);
    const char *name = arg + 2;
    const char *eq = strchr(name, '=');
    int k = find_opt(opts, name, eq ? (size_t)(eq - name) : strlen(name));
    if (k < 0 || k >= CLI_MAX_OPTS) return cli_usage_error(verb, "unknown option --%.*s", eq ? (int)(eq - name) : (int)strlen(name), name);
    const char *value = "";
    if (opts[k].value) {
      if (eq) {
        value = eq + 1;
      } else {
        if (i + 1 >= argc) return cli_usage_error(verb, "option --%s needs a value", opts[k].name);
        value = argv[++i];
      }
    } else if (eq) {
      return cli_usage_error(verb, "option --%s takes no value", opts[k].name);
    }
    if (out->given[k].n > 0 && !opts[k].repeat) {
      out->given[k].v[0] = value; /* the last one wins, as in most programs */
      continue;
    }
    if (out->given[k].n >= CLI_MAX_VALUES)
      return cli_usage_error(verb, "option --%s is given too many times", opts[k].name);
    out->given[k].v[out->given[k].n++] = value;
  }
  if (out->npos < npos_min) return cli_usage_error(verb, "missing argument %s", pos_name ? pos_name : "");
  return CLI_OK;
}

bool cli_helped(const struct cli_args *a, const char *help) {
  if (a->help) fputs(help, stdout);
  return a->help;
}

static int index_of(const struct cli_args *a, const char *name) {
  return find_opt(a->opts, name, strlen(name));
}

const char *cli_value(const struct cli_args *a, const char *name) {
  int k = index_of(a, name);
  if (k < 0 || a->given[k].n == 0) return NULL;
  return a->given[k].v[a->given[k].n - 1];
}

const char *const *cli_values(const struct cli_args *a, const char *name, size_t *n) {
  int k = index_of(a, name);
  *n = k < 0 ? 0 : a->given[k].n;
  return k < 0 ? NULL : a->given[k].v;
}

bool cli_flag(const struct cli_args *a, const char *name) { return cli_value(a, name) != NULL; }
