/* locale_fixture.h — the cmocka group setup and teardown of a unit test that needs
 * hamyar's locale (ICU's calendar, digits and transliterator): loc_init before the
 * tests, loc_done after. Included by the test's own .c file after locale/locale.h. */
#ifndef HAMYAR_TESTS_LOCALE_FIXTURE_H
#define HAMYAR_TESTS_LOCALE_FIXTURE_H

static int locale_setup(void **state) {
  (void)state;
  return loc_init();
}

static int locale_teardown(void **state) {
  (void)state;
  loc_done();
  return 0;
}

#endif
