/* jspec.c — declarative parsing of JSON bodies; see jspec.h. */
#include "http/jspec.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "http/http.h"
#include "locale/locale.h"
#include "util/arena.h"

__attribute__((format(printf, 4, 5))) static int fail(struct jspec_error *err, enum err_code code,
                                                       const char *field, const char *fmt, ...) {
  err->code = code;
  err->field = field;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return -1;
}

/* "of 1 to 64 bytes", "of at most 64 bytes", "of 6 bytes". */
static void bytes_phrase(char *out, size_t n, int64_t min, int64_t max) {
  if (min == max)
    snprintf(out, n, "of %" PRId64 " bytes", max);
  else if (min <= 0)
    snprintf(out, n, "of at most %" PRId64 " bytes", max);
  else
    snprintf(out, n, "of %" PRId64 " to %" PRId64 " bytes", min, max);
}

static const struct jspec *find_spec(const struct jspec *spec, const char *name) {
  for (const struct jspec *s = spec; s->type != JSPEC_T_END; s++)
    if (strcmp(s->name, name) == 0) return s;
  return NULL;
}

/* A string value checked for UTF-8, NUL and length; the copy goes to *out. */
/* "must be text of 1 to 64 bytes": formatted only for a field that fails. */
static int fail_shape(const struct jspec *s, struct jspec_error *err) {
  char range[64];
  bytes_phrase(range, sizeof range, s->min, s->max);
  return fail(err, ERR_INVALID_FIELD, s->name, "must be %s %s", s->type == JSPEC_T_TEXT ? "text" : "a string",
              range);
}

static int take_string(const struct jspec *s, json_t *v, struct arena *a, struct jspec_error *err,
                       const char **out) {
  if (!json_is_string(v)) return fail_shape(s, err);
  const char *text = json_string_value(v);
  size_t len = json_string_length(v);
  if (!loc_utf8_valid(text, len))
    return fail(err, ERR_INVALID_UTF8, s->name, "must be valid UTF-8 without NUL characters");
  if (s->type == JSPEC_T_TEXT) {
    /* Normalised first, so the bounds apply to what is stored. */
    size_t cap = 2 * len + 1;
    char *norm = arena_alloc(a, cap);
    if (!norm) return fail(err, ERR_INVALID_FIELD, s->name, "is too large to process");
    int n = loc_normalize(text, len, norm, cap);
    if (n < 0) return fail(err, ERR_INVALID_UTF8, s->name, "must be valid UTF-8 text");
    text = norm;
    len = (size_t)n;
  }
  if ((int64_t)len < s->min || (int64_t)len > s->max) return fail_shape(s, err);
  if (s->type == JSPEC_T_STRING) {
    text = arena_strndup(a, text, len);
    if (!text) return fail(err, ERR_INVALID_FIELD, s->name, "is too large to process");
  }
  *out = text;
  return 0;
}

static int take_enum(const struct jspec *s, json_t *v, struct jspec_error *err, int *out) {
  if (json_is_string(v)) {
    const char *text = json_string_value(v);
    size_t len = json_string_length(v);
    for (int i = 0; s->choices && s->choices[i]; i++)
      if (strlen(s->choices[i]) == len && memcmp(s->choices[i], text, len) == 0) {
        *out = i;
        return 0;
      }
  }
  char list[120] = "";
  size_t used = 0;
  for (int i = 0; s->choices && s->choices[i] && used < sizeof list; i++) {
    int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", s->choices[i]);
    if (n < 0) break;
    used += (size_t)n;
  }
  return fail(err, ERR_INVALID_FIELD, s->name, "must be one of: %s", list);
}

static int take_strings(const struct jspec *s, json_t *v, struct arena *a, struct jspec_error *err,
                        struct jspec_strings *out) {
  char msg[128];
  snprintf(msg, sizeof msg, "must be a list of %" PRId64 " to %" PRId64 " strings of 1 to %zu bytes",
           s->min, s->max, s->item_max);
  if (!json_is_array(v)) return fail(err, ERR_INVALID_FIELD, s->name, "%s", msg);
  size_t n = json_array_size(v);
  if ((int64_t)n < s->min || (int64_t)n > s->max)
    return fail(err, ERR_INVALID_FIELD, s->name, "%s", msg);
  const char **items = arena_alloc(a, (n ? n : 1) * sizeof *items);
  if (!items) return fail(err, ERR_INVALID_FIELD, s->name, "is too large to process");
  for (size_t i = 0; i < n; i++) {
    json_t *item = json_array_get(v, i);
    if (!json_is_string(item)) return fail(err, ERR_INVALID_FIELD, s->name, "%s", msg);
    const char *text = json_string_value(item);
    size_t len = json_string_length(item);
    if (!loc_utf8_valid(text, len))
      return fail(err, ERR_INVALID_UTF8, s->name, "must hold valid UTF-8 without NUL characters");
    if (len < 1 || len > s->item_max) return fail(err, ERR_INVALID_FIELD, s->name, "%s", msg);
    items[i] = arena_strndup(a, text, len);
    if (!items[i]) return fail(err, ERR_INVALID_FIELD, s->name, "is too large to process");
  }
  out->items = items;
  out->n = n;
  return 0;
}

static int take(const struct jspec *s, json_t *v, struct arena *a, struct jspec_error *err) {
  switch (s->type) {
    case JSPEC_T_STRING:
    case JSPEC_T_TEXT:
      return take_string(s, v, a, err, (const char **)s->out);
    case JSPEC_T_INT: {
      if (!json_is_integer(v) || json_integer_value(v) < s->min || json_integer_value(v) > s->max)
        return fail(err, ERR_INVALID_FIELD, s->name,
                    "must be a whole number from %" PRId64 " to %" PRId64, s->min, s->max);
      *(int64_t *)s->out = json_integer_value(v);
      return 0;
    }
    case JSPEC_T_DOUBLE: {
      double d = json_is_number(v) ? json_number_value(v) : NAN;
      if (!isfinite(d) || d < s->dmin || d > s->dmax)
        return fail(err, ERR_INVALID_FIELD, s->name, "must be a number from %g to %g", s->dmin,
                    s->dmax);
      *(double *)s->out = d;
      return 0;
    }
    case JSPEC_T_BOOL:
      if (!json_is_boolean(v)) return fail(err, ERR_INVALID_FIELD, s->name, "must be true or false");
      *(bool *)s->out = json_is_true(v);
      return 0;
    case JSPEC_T_ENUM:
      return take_enum(s, v, err, (int *)s->out);
    case JSPEC_T_STRINGS:
      return take_strings(s, v, a, err, (struct jspec_strings *)s->out);
    case JSPEC_T_OBJECT:
      if (!json_is_object(v)) return fail(err, ERR_INVALID_FIELD, s->name, "must be a JSON object");
      *(json_t **)s->out = v;
      return 0;
    case JSPEC_T_END:
      break;
  }
  return fail(err, ERR_INVALID_FIELD, s->name, "has a type this server cannot check");
}

int jspec_parse(json_t *obj, const struct jspec *spec, struct arena *a, struct jspec_error *err) {
  if (!json_is_object(obj)) return fail(err, ERR_BAD_JSON, NULL, "the body must be a JSON object");
  /* Unknown fields first: a misspelt field is reported as itself, not as the
   * required field it was meant to be. */
  const char *key;
  json_t *value;
  json_object_foreach(obj, key, value) {
    if (!find_spec(spec, key)) {
      const char *name = a ? arena_strdup(a, key) : key;
      return fail(err, ERR_UNKNOWN_FIELD, name ? name : key, "is not a field of this request");
    }
  }
  for (const struct jspec *s = spec; s->type != JSPEC_T_END; s++) {
    json_t *v = json_object_get(obj, s->name);
    if (!v || json_is_null(v)) {
      if (s->optional) continue;
      return fail(err, ERR_MISSING_FIELD, s->name, "is required");
    }
    if (take(s, v, a, err) != 0) return -1;
  }
  return 0;
}

int jspec_parse_or_reply(struct http_req *req, json_t *obj, const struct jspec *spec) {
  struct jspec_error err;
  if (jspec_parse(obj, spec, req->arena, &err) == 0) return 0;
  http_reply_error(req, err.code, err.field, err.message);
  return -1;
}
