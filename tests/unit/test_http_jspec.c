/* test_http_jspec.c — the declarative JSON body parser (src/http/jspec.c): every
 * field type, every error, and Persian text normalisation through the real locale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/jspec.h"
#include "locale/locale.h"
#include "util/arena.h"

struct fixture {
  struct arena *a;
  json_t *obj;
  struct jspec_error err;
};

static int setup(void **state) {
  static struct fixture f;
  memset(&f, 0, sizeof f);
  f.a = arena_new(0);
  *state = &f;
  return f.a ? 0 : -1;
}

static int teardown(void **state) {
  struct fixture *f = *state;
  json_decref(f->obj);
  arena_free(f->a);
  return 0;
}

static json_t *parse(struct fixture *f, const char *text, size_t flags) {
  json_decref(f->obj);
  json_error_t e;
  f->obj = json_loads(text, flags, &e);
  assert_non_null(f->obj);
  return f->obj;
}

static const char *const colours[] = {"red", "green", "blue", NULL};

static void test_every_type(void **state) {
  struct fixture *f = *state;
  const char *name = NULL, *note = NULL;
  int64_t count = 0;
  double lat = 0;
  bool urgent = false;
  int colour = -1;
  struct jspec_strings tags = {0};
  json_t *extra = NULL;
  struct jspec spec[] = {
      JSPEC_STRING("name", &name, 1, 16),       JSPEC_TEXT("note", &note, 1, 64),
      JSPEC_INT("count", &count, -5, 5),        JSPEC_DOUBLE("lat", &lat, -90, 90),
      JSPEC_BOOL("urgent", &urgent),            JSPEC_ENUM("colour", &colour, colours),
      JSPEC_STRINGS("tags", &tags, 1, 3, 8),    JSPEC_OBJECT("extra", &extra),
      JSPEC_END,
  };
  parse(f,
        "{\"name\":\"ali\",\"note\":\"سلام\",\"count\":-5,\"lat\":37,\"urgent\":true,"
        "\"colour\":\"blue\",\"tags\":[\"a\",\"bb\"],\"extra\":{\"k\":1}}",
        0);
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), 0);
  assert_string_equal(name, "ali");
  assert_string_equal(note, "سلام");
  assert_int_equal(count, -5);
  assert_true(lat == 37.0); /* an integer is a number too */
  assert_true(urgent);
  assert_int_equal(colour, 2);
  assert_int_equal(tags.n, 2);
  assert_string_equal(tags.items[0], "a");
  assert_string_equal(tags.items[1], "bb");
  assert_true(json_is_object(extra));
  assert_int_equal(json_integer_value(json_object_get(extra, "k")), 1);
}

static void test_optional_absent_or_null(void **state) {
  struct fixture *f = *state;
  const char *name = "default";
  int64_t count = 7;
  bool flag = true;
  struct jspec spec[] = {
      JSPEC_OPTIONAL(STRING, "name", &name, 1, 16),
      JSPEC_OPTIONAL(INT, "count", &count, 0, 10),
      JSPEC_OPTIONAL(BOOL, "flag", &flag),
      JSPEC_END,
  };
  parse(f, "{\"name\":null}", 0);
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), 0);
  assert_string_equal(name, "default");
  assert_int_equal(count, 7);
  assert_true(flag);
}

/* Parses `text` by spec and expects a failure with this code and field. */
static void expect_error(struct fixture *f, const struct jspec *spec, const char *text,
                         enum err_code code, const char *field) {
  parse(f, text, JSON_ALLOW_NUL);
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), -1);
  assert_int_equal(f->err.code, code);
  if (field)
    assert_string_equal(f->err.field, field);
  else
    assert_null(f->err.field);
  assert_true(f->err.message[0] != '\0');
}

static void test_missing_and_unknown(void **state) {
  struct fixture *f = *state;
  const char *username = NULL;
  struct jspec spec[] = {JSPEC_STRING("username", &username, 1, 64), JSPEC_END};
  expect_error(f, spec, "{}", ERR_MISSING_FIELD, "username");
  expect_error(f, spec, "{\"username\":null}", ERR_MISSING_FIELD, "username");
  /* A misspelt field is named as itself, not as the required one it was meant to be. */
  expect_error(f, spec, "{\"usrname\":\"ali\"}", ERR_UNKNOWN_FIELD, "usrname");
  expect_error(f, spec, "{\"username\":\"ali\",\"admin\":true}", ERR_UNKNOWN_FIELD, "admin");
  json_decref(f->obj);
  f->obj = json_array();
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), -1);
  assert_int_equal(f->err.code, ERR_BAD_JSON);
}

static void test_string_errors(void **state) {
  struct fixture *f = *state;
  const char *s = NULL;
  struct jspec spec[] = {JSPEC_STRING("s", &s, 1, 64), JSPEC_END};
  expect_error(f, spec, "{\"s\":5}", ERR_INVALID_FIELD, "s");
  assert_string_equal(f->err.message, "must be a string of 1 to 64 bytes");
  expect_error(f, spec, "{\"s\":\"\"}", ERR_INVALID_FIELD, "s");
  char big[128];
  snprintf(big, sizeof big, "{\"s\":\"%065d\"}", 0);
  expect_error(f, spec, big, ERR_INVALID_FIELD, "s");
  /* A NUL inside the string (Jansson passes it with JSON_ALLOW_NUL) is refused. */
  expect_error(f, spec, "{\"s\":\"a\\u0000b\"}", ERR_INVALID_UTF8, "s");

  struct jspec exact[] = {JSPEC_STRING("code", &s, 6, 6), JSPEC_END};
  expect_error(f, exact, "{\"code\":\"123\"}", ERR_INVALID_FIELD, "code");
  assert_string_equal(f->err.message, "must be a string of 6 bytes");
}

static void test_invalid_utf8(void **state) {
  struct fixture *f = *state;
  const char *s = NULL;
  struct jspec spec[] = {JSPEC_STRING("s", &s, 1, 64), JSPEC_END};
  /* Jansson's parser refuses invalid UTF-8 itself; a value built without its check
   * shows that jspec does not rely on that. */
  json_decref(f->obj);
  f->obj = json_object();
  json_object_set_new(f->obj, "s", json_stringn_nocheck("a\xff\xfe", 3));
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), -1);
  assert_int_equal(f->err.code, ERR_INVALID_UTF8);
  assert_string_equal(f->err.field, "s");

  struct jspec list[] = {JSPEC_STRINGS("tags", NULL, 0, 4, 8), JSPEC_END};
  struct jspec_strings tags;
  list[0].out = &tags;
  json_t *arr = json_array();
  json_array_append_new(arr, json_stringn_nocheck("\xc3", 1));
  json_decref(f->obj);
  f->obj = json_pack("{s:o}", "tags", arr);
  assert_int_equal(jspec_parse(f->obj, list, f->a, &f->err), -1);
  assert_int_equal(f->err.code, ERR_INVALID_UTF8);
}

static void test_text_normalised(void **state) {
  struct fixture *f = *state;
  const char *t = NULL;
  struct jspec spec[] = {JSPEC_TEXT("t", &t, 1, 64), JSPEC_END};
  /* Arabic yeh (U+064A) and kaf (U+0643) become Persian yeh (U+06CC) and keheh
   * (U+06A9); the surrounding spaces go. */
  parse(f, "{\"t\":\"  \\u0643\\u0644\\u0627\\u0646\\u062a\\u0631\\u064a  \"}", 0);
  assert_int_equal(jspec_parse(f->obj, spec, f->a, &f->err), 0);
  assert_string_equal(t, "کلانتری");
  /* Bounds apply after normalising: blanks alone become empty. */
  expect_error(f, spec, "{\"t\":\"    \"}", ERR_INVALID_FIELD, "t");
  assert_string_equal(f->err.message, "must be text of 1 to 64 bytes");
  expect_error(f, spec, "{\"t\":[\"x\"]}", ERR_INVALID_FIELD, "t");
}

static void test_numbers(void **state) {
  struct fixture *f = *state;
  int64_t i = 0;
  double d = 0;
  struct jspec ints[] = {JSPEC_INT("n", &i, 1, 200), JSPEC_END};
  expect_error(f, ints, "{\"n\":0}", ERR_INVALID_FIELD, "n");
  assert_string_equal(f->err.message, "must be a whole number from 1 to 200");
  expect_error(f, ints, "{\"n\":201}", ERR_INVALID_FIELD, "n");
  expect_error(f, ints, "{\"n\":2.5}", ERR_INVALID_FIELD, "n");
  expect_error(f, ints, "{\"n\":\"5\"}", ERR_INVALID_FIELD, "n");
  parse(f, "{\"n\":200}", 0);
  assert_int_equal(jspec_parse(f->obj, ints, f->a, &f->err), 0);
  assert_int_equal(i, 200);

  struct jspec dbl[] = {JSPEC_DOUBLE("lon", &d, -180, 180), JSPEC_END};
  expect_error(f, dbl, "{\"lon\":180.5}", ERR_INVALID_FIELD, "lon");
  assert_string_equal(f->err.message, "must be a number from -180 to 180");
  expect_error(f, dbl, "{\"lon\":true}", ERR_INVALID_FIELD, "lon");
  parse(f, "{\"lon\":49.58}", 0);
  assert_int_equal(jspec_parse(f->obj, dbl, f->a, &f->err), 0);
  assert_true(d > 49.57 && d < 49.59);
}

static void test_bool_enum_object(void **state) {
  struct fixture *f = *state;
  bool b = false;
  int c = -1;
  json_t *o = NULL;
  struct jspec bools[] = {JSPEC_BOOL("b", &b), JSPEC_END};
  expect_error(f, bools, "{\"b\":1}", ERR_INVALID_FIELD, "b");
  assert_string_equal(f->err.message, "must be true or false");
  expect_error(f, bools, "{\"b\":\"true\"}", ERR_INVALID_FIELD, "b");

  struct jspec enums[] = {JSPEC_ENUM("colour", &c, colours), JSPEC_END};
  expect_error(f, enums, "{\"colour\":\"pink\"}", ERR_INVALID_FIELD, "colour");
  assert_string_equal(f->err.message, "must be one of: red, green, blue");
  expect_error(f, enums, "{\"colour\":1}", ERR_INVALID_FIELD, "colour");
  parse(f, "{\"colour\":\"red\"}", 0);
  assert_int_equal(jspec_parse(f->obj, enums, f->a, &f->err), 0);
  assert_int_equal(c, 0);

  struct jspec objs[] = {JSPEC_OBJECT("o", &o), JSPEC_END};
  expect_error(f, objs, "{\"o\":[]}", ERR_INVALID_FIELD, "o");
}

static void test_strings_bounds(void **state) {
  struct fixture *f = *state;
  struct jspec_strings roles = {0};
  struct jspec spec[] = {JSPEC_STRINGS("roles", &roles, 1, 2, 4), JSPEC_END};
  expect_error(f, spec, "{\"roles\":[]}", ERR_INVALID_FIELD, "roles");
  assert_string_equal(f->err.message, "must be a list of 1 to 2 strings of 1 to 4 bytes");
  expect_error(f, spec, "{\"roles\":[\"a\",\"b\",\"c\"]}", ERR_INVALID_FIELD, "roles");
  expect_error(f, spec, "{\"roles\":[\"abcde\"]}", ERR_INVALID_FIELD, "roles");
  expect_error(f, spec, "{\"roles\":[\"\"]}", ERR_INVALID_FIELD, "roles");
  expect_error(f, spec, "{\"roles\":[1]}", ERR_INVALID_FIELD, "roles");
  expect_error(f, spec, "{\"roles\":\"a\"}", ERR_INVALID_FIELD, "roles");
  expect_error(f, spec, "{\"roles\":[\"a\\u0000\"]}", ERR_INVALID_UTF8, "roles");
}

int main(void) {
  if (loc_init() != 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_every_type, setup, teardown),
      cmocka_unit_test_setup_teardown(test_optional_absent_or_null, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_and_unknown, setup, teardown),
      cmocka_unit_test_setup_teardown(test_string_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
      cmocka_unit_test_setup_teardown(test_text_normalised, setup, teardown),
      cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
      cmocka_unit_test_setup_teardown(test_bool_enum_object, setup, teardown),
      cmocka_unit_test_setup_teardown(test_strings_bounds, setup, teardown),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  loc_done();
  return rc;
}
