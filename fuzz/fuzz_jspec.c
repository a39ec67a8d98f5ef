/* fuzz_jspec.c — feeds arbitrary bytes, parsed as JSON, to jspec_parse() with a spec
 * that holds every field type. Whatever the input, the parser must answer 0 or -1
 * with an error code and a field, and never read or write out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/jspec.h"
#include "locale/locale.h"
#include "util/arena.h"

static const char *const choices[] = {"low", "medium", "high", NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static int ready;
  if (!ready) {
    if (loc_init() != 0) abort();
    ready = 1;
  }
  json_t *obj = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
  if (!obj) return 0;
  const char *s = NULL, *t = NULL, *os = NULL;
  int64_t i = 0;
  double d = 0;
  bool b = false;
  int e = -1;
  struct jspec_strings list = {0};
  json_t *o = NULL;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRING, "s", &s, 1, 64),
      JSPEC_OPTIONAL(TEXT, "t", &t, 0, 256),
      JSPEC_OPTIONAL(INT, "i", &i, -1000, 1000),
      JSPEC_OPTIONAL(DOUBLE, "d", &d, -90, 90),
      JSPEC_OPTIONAL(BOOL, "b", &b),
      JSPEC_OPTIONAL(ENUM, "e", &e, choices),
      JSPEC_OPTIONAL(STRINGS, "l", &list, 0, 16, 32),
      JSPEC_OPTIONAL(OBJECT, "o", &o),
      JSPEC_STRING("req", &os, 0, 8),
      JSPEC_END,
  };
  struct arena *a = arena_new(1u << 20);
  struct jspec_error err;
  if (jspec_parse(obj, spec, a, &err) == 0) {
    /* Every output must be what the spec promised. */
    if (s && (strlen(s) < 1 || strlen(s) > 64)) abort();
    if (t && strlen(t) > 256) abort();
    if (i < -1000 || i > 1000) abort();
    if (d < -90 || d > 90) abort();
    if (e < -1 || e > 2) abort();
    if (list.n > 16) abort();
    for (size_t k = 0; k < list.n; k++)
      if (strlen(list.items[k]) < 1 || strlen(list.items[k]) > 32) abort();
    if (!os || strlen(os) > 8) abort();
  } else {
    if (err.code >= ERR__COUNT || err.message[0] == '\0') abort();
  }
  arena_free(a);
  json_decref(obj);
  return 0;
}
