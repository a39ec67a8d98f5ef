/* test_http_open311.c — the Open311 endpoint's wire formats (src/http/open311_xml.c):
 * decoding form-encoded bodies, escaping XML text, and writing answers as the spec's
 * XML. The API test (tests/api/open311.test.mjs) checks the same answers end to end
 * with an independent XML parser; here each rule is pinned down on its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/open311.h"
#include "util/arena.h"

static int setup(void **state) {
  struct arena *a = arena_new(0);
  *state = a;
  return a ? 0 : -1;
}

static int teardown(void **state) {
  arena_free(*state);
  return 0;
}

static int parse(struct arena *a, const char *text, struct open311_form *f, const char **why) {
  *why = NULL;
  return open311_form_parse(a, text, strlen(text), f, why);
}

static void form_decodes_fields(void **state) {
  struct open311_form f;
  const char *why;
  assert_int_equal(parse(*state, "api_key=k1&service_code=complaint_conduct&description=a+b%2Cc&lat=37.28", &f, &why), 0);
  assert_int_equal(f.n, 4);
  assert_string_equal(open311_form_get(&f, "api_key"), "k1");
  assert_string_equal(open311_form_get(&f, "description"), "a b,c");
  assert_string_equal(open311_form_get(&f, "lat"), "37.28");
  assert_null(open311_form_get(&f, "long"));
}

static void form_decodes_persian(void **state) {
  struct open311_form f;
  const char *why;
  /* "سلام" percent-encoded as UTF-8, with a name in brackets as attributes have */
  assert_int_equal(parse(*state, "description=%D8%B3%D9%84%D8%A7%D9%85&attribute%5Bx%5D=1", &f, &why), 0);
  assert_string_equal(open311_form_get(&f, "description"), "سلام");
  assert_string_equal(open311_form_get(&f, "attribute[x]"), "1");
}

static void form_skips_empty_pairs_and_keeps_empty_values(void **state) {
  struct open311_form f;
  const char *why;
  assert_int_equal(parse(*state, "&a=1&&b=&c&", &f, &why), 0);
  assert_int_equal(f.n, 3);
  assert_string_equal(open311_form_get(&f, "a"), "1");
  assert_string_equal(open311_form_get(&f, "b"), "");
  assert_string_equal(open311_form_get(&f, "c"), "");
  assert_int_equal(parse(*state, "", &f, &why), 0);
  assert_int_equal(f.n, 0);
}

static void form_refuses_what_it_cannot_read(void **state) {
  struct open311_form f;
  const char *why;
  const char *bad[] = {
      "a=%zz",       /* not hex */
      "a=%4",        /* cut short */
      "a=%",         /* nothing after % */
      "a=%00",       /* NUL */
      "a=%C3%28",    /* invalid UTF-8 */
      "a=%ED%A0%80", /* a UTF-16 surrogate */
      "=1",          /* no name */
      "a=1&a=2",     /* twice */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(parse(*state, bad[i], &f, &why), -1);
    assert_non_null(why);
  }
}

static void form_has_a_field_limit(void **state) {
  char text[OPEN311_FORM_FIELDS_MAX * 8 + 16] = "";
  size_t len = 0;
  for (int i = 0; i <= OPEN311_FORM_FIELDS_MAX; i++)
    len += (size_t)snprintf(text + len, sizeof text - len, "%sf%d=1", i ? "&" : "", i);
  struct open311_form f;
  const char *why;
  assert_int_equal(open311_form_parse(*state, text, len, &f, &why), -1);
  assert_non_null(why);
}

static void xml_escape_entities_and_controls(void **state) {
  (void)state;
  struct buf b;
  buf_init(&b, 1024);
  assert_int_equal(open311_xml_escape(&b, "شکایت <از> \"مأمور\" & 'کلانتری'\x01\tپایان\n"), 0);
  assert_string_equal(b.data, "شکایت &lt;از&gt; &quot;مأمور&quot; &amp; &apos;کلانتری&apos;\tپایان\n");
  buf_free(&b);
}

static void xml_escape_respects_the_buffer_cap(void **state) {
  (void)state;
  struct buf b;
  buf_init(&b, 8);
  assert_int_equal(open311_xml_escape(&b, "&&&"), -1);
  buf_free(&b);
}

static void xml_item_names(void **state) {
  (void)state;
  assert_string_equal(open311_item_name("services"), "service");
  assert_string_equal(open311_item_name("service_requests"), "request");
  assert_string_equal(open311_item_name("errors"), "error");
  assert_string_equal(open311_item_name("formats"), "format");
  assert_string_equal(open311_item_name("other"), "item");
}

static void xml_writes_arrays_objects_and_scalars(void **state) {
  (void)state;
  json_t *v = json_pack("[{s:s,s:b,s:i,s:n,s:[s,s],s:[]}]", "service_code", "a<b", "metadata", 0, "order", 3,
                        "account_id", "formats", "text/xml", "application/json", "attributes");
  struct buf b;
  buf_init(&b, 4096);
  assert_int_equal(open311_xml_write(&b, "services", v), 0);
  assert_string_equal(b.data,
                      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                      "<services><service><service_code>a&lt;b</service_code><metadata>false</metadata>"
                      "<order>3</order><account_id/><formats><format>text/xml</format>"
                      "<format>application/json</format></formats><attributes></attributes>"
                      "</service></services>\n");
  buf_free(&b);
  json_decref(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(form_decodes_fields, setup, teardown),
      cmocka_unit_test_setup_teardown(form_decodes_persian, setup, teardown),
      cmocka_unit_test_setup_teardown(form_skips_empty_pairs_and_keeps_empty_values, setup, teardown),
      cmocka_unit_test_setup_teardown(form_refuses_what_it_cannot_read, setup, teardown),
      cmocka_unit_test_setup_teardown(form_has_a_field_limit, setup, teardown),
      cmocka_unit_test(xml_escape_entities_and_controls),
      cmocka_unit_test(xml_escape_respects_the_buffer_cap),
      cmocka_unit_test(xml_item_names),
      cmocka_unit_test(xml_writes_arrays_objects_and_scalars),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
