/* jspec.h — declarative parsing of JSON request bodies (on Jansson).
 *
 * A handler lists the fields it expects; one call checks types, lengths and ranges,
 * normalises Persian text, and on the first failure reports which field and why:
 *
 *   const char *username, *password, *totp = NULL;
 *   struct jspec spec[] = {
 *     JSPEC_STRING("username", &username, 1, 64),
 *     JSPEC_STRING("password", &password, 1, 1024),
 *     JSPEC_OPTIONAL(STRING, "totp", &totp, 6, 8),
 *     JSPEC_END,
 *   };
 *   if (jspec_parse_or_reply(req, req->body, spec) != 0) return http_last_status(req);
 *
 * Strings are checked to be valid UTF-8 with no NUL, and their length (in bytes) is
 * bounded; JSPEC_TEXT additionally runs loc_normalize() on them (Persian text that a
 * person typed). Results are allocated in the given arena. Fields not in the spec are
 * an error (unknown_field), so a misspelt field never passes silently. Optional
 * fields that are absent (or JSON null) leave their output untouched, so initialise
 * outputs to their defaults.
 */
#ifndef HAMYAR_HTTP_JSPEC_H
#define HAMYAR_HTTP_JSPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "http/errors.h"

struct arena;
struct http_req;

enum jspec_type {
  JSPEC_T_END = 0,
  JSPEC_T_STRING,    /* const char ** ; min/max: length in bytes */
  JSPEC_T_TEXT,      /* const char ** ; normalised Persian text; min/max bytes after normalising */
  JSPEC_T_INT,       /* int64_t * ; min/max: value */
  JSPEC_T_DOUBLE,    /* double * ; dmin/dmax: value (integers accepted) */
  JSPEC_T_BOOL,      /* bool * */
  JSPEC_T_ENUM,      /* int * ; `choices` is a NULL-terminated list, *out = index */
  JSPEC_T_STRINGS,   /* struct jspec_strings * ; min/max: count; each string 1..item_max bytes */
  JSPEC_T_OBJECT,    /* json_t ** (borrowed reference, valid while the body lives) */
};

struct jspec_strings {
  const char **items;
  size_t n;
};

struct jspec {
  const char *name;
  enum jspec_type type;
  bool optional;
  void *out;
  int64_t min, max;
  double dmin, dmax;
  size_t item_max;
  const char *const *choices;
};

/* Field descriptors. Required: JSPEC_STRING("name", &out, 1, 64).
 * Optional: JSPEC_OPTIONAL(STRING, "name", &out, 1, 64) — the kind without JSPEC_. */
#define JSPEC__STRING(n, o, lo, hi) .name = (n), .type = JSPEC_T_STRING, .out = (o), .min = (lo), .max = (hi)
#define JSPEC__TEXT(n, o, lo, hi) .name = (n), .type = JSPEC_T_TEXT, .out = (o), .min = (lo), .max = (hi)
#define JSPEC__INT(n, o, lo, hi) .name = (n), .type = JSPEC_T_INT, .out = (o), .min = (lo), .max = (hi)
#define JSPEC__DOUBLE(n, o, lo, hi) .name = (n), .type = JSPEC_T_DOUBLE, .out = (o), .dmin = (lo), .dmax = (hi)
#define JSPEC__BOOL(n, o) .name = (n), .type = JSPEC_T_BOOL, .out = (o)
#define JSPEC__ENUM(n, o, ch) .name = (n), .type = JSPEC_T_ENUM, .out = (o), .choices = (ch)
#define JSPEC__STRINGS(n, o, lo, hi, each) \
  .name = (n), .type = JSPEC_T_STRINGS, .out = (o), .min = (lo), .max = (hi), .item_max = (each)
#define JSPEC__OBJECT(n, o) .name = (n), .type = JSPEC_T_OBJECT, .out = (o)
#define JSPEC_STRING(...) {JSPEC__STRING(__VA_ARGS__)}
#define JSPEC_TEXT(...) {JSPEC__TEXT(__VA_ARGS__)}
#define JSPEC_INT(...) {JSPEC__INT(__VA_ARGS__)}
#define JSPEC_DOUBLE(...) {JSPEC__DOUBLE(__VA_ARGS__)}
#define JSPEC_BOOL(...) {JSPEC__BOOL(__VA_ARGS__)}
#define JSPEC_ENUM(...) {JSPEC__ENUM(__VA_ARGS__)}
#define JSPEC_STRINGS(...) {JSPEC__STRINGS(__VA_ARGS__)}
#define JSPEC_OBJECT(...) {JSPEC__OBJECT(__VA_ARGS__)}
#define JSPEC_OPTIONAL(kind, ...) {JSPEC__##kind(__VA_ARGS__), .optional = true}
#define JSPEC_END {.name = NULL, .type = JSPEC_T_END}

struct jspec_error {
  enum err_code code;   /* ERR_MISSING_FIELD, ERR_INVALID_FIELD, ERR_UNKNOWN_FIELD, ERR_INVALID_UTF8, ERR_BAD_JSON */
  const char *field;    /* the field's name (static or in the arena) */
  char message[160];    /* what is wrong, in English, e.g. "must be a string of 1 to 64 bytes" */
};

/* Parses `obj` (must be a JSON object) by `spec`. 0 on success; -1 with *err filled. */
int jspec_parse(json_t *obj, const struct jspec *spec, struct arena *a, struct jspec_error *err);

/* The same, answering 400 with the field on failure (then returns -1). */
int jspec_parse_or_reply(struct http_req *req, json_t *obj, const struct jspec *spec);

#endif
