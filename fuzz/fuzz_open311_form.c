/* fuzz_open311_form.c — bytes as an Open311 form body (src/http/open311_xml.c): the
 * decoder must never read out of bounds or accept a field that is not valid UTF-8, and
 * whatever it accepts must come out of the XML writer as text with no raw markup.
 *
 * Each input is decoded; every accepted name and value is escaped, and the whole form
 * is written as one XML element. A raw '<' or '>' in escaped text, an '&' that does not
 * start an entity, or a decoded field that is not UTF-8 aborts the run.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/open311.h"
#include "locale/locale.h"
#include "util/arena.h"

static void check_escaped(const char *s, size_t len) {
  static const char *const entities[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '<' || s[i] == '>' || s[i] == '"' || s[i] == '\'') abort();
    if (s[i] != '&') continue;
    int ok = 0;
    for (size_t e = 0; e < sizeof entities / sizeof entities[0] && !ok; e++)
      ok = strncmp(s + i, entities[e], strlen(entities[e])) == 0;
    if (!ok) abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct arena *a = arena_new(0);
  if (!a) return 0;
  struct open311_form form;
  const char *why = NULL;
  if (open311_form_parse(a, (const char *)data, size, &form, &why) == 0) {
    json_t *obj = json_object();
    for (size_t i = 0; i < form.n; i++) {
      const char *name = form.fields[i].name, *value = form.fields[i].value;
      if (!loc_utf8_valid(name, strlen(name)) || !loc_utf8_valid(value, strlen(value))) abort();
      struct buf b;
      buf_init(&b, 1u << 20);
      if (open311_xml_escape(&b, value) == 0 && b.data) check_escaped(b.data, b.len);
      buf_free(&b);
      json_object_set_new(obj, name, json_string(value));
    }
    struct buf out;
    buf_init(&out, 1u << 22);
    /* the form's names become keys, never element names here: wrap them as values */
    json_t *values = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v) json_array_append(values, v);
    /* A full buffer is a refusal, not a fault; what ASan sees is what counts. */
    (void)open311_xml_write(&out, "errors", values);
    buf_free(&out);
    json_decref(values);
    json_decref(obj);
  } else if (!why) {
    abort(); /* a refusal always says why */
  }
  arena_free(a);
  return 0;
}
