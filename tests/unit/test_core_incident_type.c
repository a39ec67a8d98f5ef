/* test_core_incident_type.c — the incident-type list of core/incident_type.h: its
 * shape (codes, Persian text already normalised, priorities, groups), lookups,
 * related types, and the ranked search a call-taker types into. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/incident_type.h"
#include "locale/locale.h"
#include "locale_fixture.h"

static bool snake_case(const char *s) {
  if (!s || !*s || s[0] == '_') return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  return true;
}

/* Persian text as stored: what loc_normalize makes of it, and no Arabic yeh/kaf. */
static void assert_persian_normal(const char *s) {
  char out[1024];
  assert_non_null(s);
  assert_true(strlen(s) > 0);
  assert_int_equal(loc_normalize(s, strlen(s), out, sizeof out), (int)strlen(s));
  assert_string_equal(out, s);
  assert_null(strstr(s, "\u064A")); /* ي */
  assert_null(strstr(s, "\u0649")); /* ى */
  assert_null(strstr(s, "\u0643")); /* ك */
}

static void list_shape(void **state) {
  (void)state;
  size_t n;
  const struct incident_type *all = incident_type_all(&n);
  assert_true(n >= 35 && n <= 45);
  int per_group[IGROUP__COUNT] = {0};
  for (size_t i = 0; i < n; i++) {
    const struct incident_type *t = &all[i];
    assert_true(snake_case(t->code));
    for (size_t j = 0; j < i; j++) assert_string_not_equal(all[j].code, t->code);
    assert_persian_normal(t->name_fa);
    assert_non_null(t->name_en);
    assert_true(strlen(t->name_en) > 0);
    if (t->apco) assert_true(strlen(t->apco) > 0);
    assert_in_range(t->priority, 1, 4);
    assert_in_range(t->group, 0, IGROUP__COUNT - 1);
    per_group[t->group]++;
    size_t k = 0;
    while (k < INCIDENT_TYPE_KEYWORDS_MAX && t->keywords[k]) assert_persian_normal(t->keywords[k++]);
    assert_true(k >= 1);
    assert_true(k < INCIDENT_TYPE_KEYWORDS_MAX); /* NULL-terminated */
    assert_ptr_equal(incident_type_find(t->code), t);
  }
  for (int g = 0; g < IGROUP__COUNT; g++) {
    assert_true(per_group[g] > 0);
    const struct incident_group_info *gi = incident_group_info((enum incident_group)g);
    assert_non_null(gi);
    assert_int_equal(gi->group, g);
    assert_true(snake_case(gi->code));
    assert_persian_normal(gi->name_fa);
  }
  assert_null(incident_group_info(IGROUP__COUNT));
  assert_null(incident_group_info((enum incident_group)-1));
}

static void what_the_seed_needs(void **state) {
  (void)state;
  /* The press conference's subjects each have a type (drugs, smuggling, theft,
   * crashes, cyber crime, disputes, floods, foreign nationals). */
  const char *codes[] = {"drug_dealing", "smuggling", "theft", "crash_injury", "cyber_fraud",
                         "family_dispute", "flood", "illegal_aliens"};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) assert_non_null(incident_type_find(codes[i]));
  const struct incident_type *t = incident_type_find("street_robbery");
  assert_string_equal(t->name_fa, "زورگیری و کیف\u200cقاپی"); /* with its ZWNJ */
  assert_string_equal(t->apco, "Robbery");
  assert_int_equal(t->priority, 2);
  assert_int_equal(t->group, IGROUP_PROPERTY);
  assert_int_equal(incident_type_find("shooting")->priority, 1);
  assert_null(incident_type_find("smuggling")->apco);
  assert_string_equal(incident_type_find("crash_damage")->apco, "Motor Vehicle Accident");
}

static void find_and_groups(void **state) {
  (void)state;
  assert_null(incident_type_find(NULL));
  assert_null(incident_type_find(""));
  assert_null(incident_type_find("Theft"));
  assert_null(incident_type_find("nope"));
  assert_string_equal(incident_type_group_code("assault"), "violence");
  assert_string_equal(incident_type_group_code("cyber_fraud"), "cyber_fraud");
  assert_string_equal(incident_type_group_code("other"), "non_emergency");
  assert_null(incident_type_group_code("nope"));
}

static void related(void **state) {
  (void)state;
  assert_true(incident_types_related("assault", "assault"));
  assert_true(incident_types_related("nope", "nope")); /* same code, even unknown */
  assert_true(incident_types_related("assault", "shooting"));  /* same group */
  assert_true(incident_types_related("crash_injury", "hit_and_run"));
  /* listed pairs across groups, both ways */
  assert_true(incident_types_related("fight", "disturbance"));
  assert_true(incident_types_related("disturbance", "fight"));
  assert_true(incident_types_related("missing_child", "kidnapping"));
  assert_true(incident_types_related("kidnapping", "missing_child"));
  assert_true(incident_types_related("family_dispute", "domestic_violence"));
  /* unrelated */
  assert_false(incident_types_related("assault", "crash_damage"));
  assert_false(incident_types_related("noise", "cyber_fraud"));
  assert_false(incident_types_related("fire", "fraud"));
  assert_false(incident_types_related("assault", "nope"));
  assert_false(incident_types_related(NULL, "assault"));
  assert_false(incident_types_related("assault", NULL));
  /* every listed relation is symmetric */
  size_t n;
  const struct incident_type *all = incident_type_all(&n);
  for (size_t i = 0; i < n; i++)
    for (size_t j = 0; j < n; j++)
      assert_int_equal(incident_types_related(all[i].code, all[j].code),
                       incident_types_related(all[j].code, all[i].code));
}

static size_t search(const char *q, const struct incident_type **out, size_t max) {
  int n = incident_type_search(q, out, max);
  assert_true(n >= 0);
  return (size_t)n;
}

static bool contains(const struct incident_type **r, size_t n, const char *code) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(r[i]->code, code) == 0) return true;
  return false;
}

static void search_persian(void **state) {
  (void)state;
  const struct incident_type *r[64];
  /* prefix of a name before a keyword: fire («آتش‌سوزی») before vandalism («آتش زدن») */
  size_t n = search("آتش", r, 64);
  assert_true(n >= 2);
  assert_string_equal(r[0]->code, "fire");
  assert_true(contains(r, n, "vandalism"));
  /* three names start with «تصادف»: list order among them, keywords after */
  n = search("تصادف", r, 64);
  assert_true(n >= 3);
  assert_string_equal(r[0]->code, "crash_injury");
  assert_string_equal(r[1]->code, "crash_damage");
  assert_string_equal(r[2]->code, "hit_and_run");
  /* the whole name ranks first */
  n = search("سرقت مسلحانه", r, 64);
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "armed_robbery");
  /* a word after a ZWNJ is a word */
  n = search("قاپی", r, 64);
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "street_robbery");
  /* ZWNJ, space or nothing between the parts: the same */
  const char *forms[] = {"کیف\u200cقاپی", "کیف قاپی", "کیفقاپی"};
  for (size_t i = 0; i < 3; i++) {
    n = search(forms[i], r, 64);
    assert_true(n >= 1);
    assert_string_equal(r[0]->code, "street_robbery");
  }
  /* typed on an Arabic keyboard: ك and ي */
  n = search("\u0643\u06CC\u0641 \u0642\u0627\u067E\u064A", r, 64);
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "street_robbery");
  /* substring inside a word comes after every prefix match */
  n = search("رقت", r, 64);
  assert_true(n >= 1);
  assert_true(contains(r, n, "theft"));
  /* a word start («آب‌گرفتگی») before a match inside a word («گازگرفتگی») */
  n = search("گرفتگی", r, 64);
  assert_int_equal(n, 2);
  assert_string_equal(r[0]->code, "flood");
  assert_string_equal(r[1]->code, "hazmat");
  n = search("مواد", r, 64);
  assert_true(n >= 2);
  assert_string_equal(r[0]->code, "drug_dealing"); /* keyword «مواد», list order */
}

static void search_latin(void **state) {
  (void)state;
  const struct incident_type *r[64];
  size_t n = search("FIRE", r, 64);
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "fire"); /* exact, any case */
  n = search("street", r, 64);
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "street_robbery");
  n = search("street robbery", r, 64); /* space for the code's underscore */
  assert_true(n >= 1);
  assert_string_equal(r[0]->code, "street_robbery");
  n = search("robbery", r, 64); /* a word in two names, list order */
  assert_true(n >= 2);
  assert_string_equal(r[0]->code, "armed_robbery");
  assert_string_equal(r[1]->code, "street_robbery");
  n = search("Missing", r, 64);
  assert_true(n >= 2);
  assert_string_equal(r[0]->code, "missing_person");
  assert_string_equal(r[1]->code, "missing_child");
  n = search("zzzz", r, 64);
  assert_int_equal(n, 0);
}

static void search_limits(void **state) {
  (void)state;
  const struct incident_type *r[64];
  assert_int_equal(incident_type_search("", r, 64), 0);
  assert_int_equal(incident_type_search("   \u200c ", r, 64), 0);
  assert_int_equal(incident_type_search(NULL, r, 64), 0);
  assert_int_equal(incident_type_search("\xff\xfe", r, 64), -1);
  char big[300];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_int_equal(incident_type_search(big, r, 64), -1);
  /* max is honoured, and the best come first */
  size_t all = search("تصادف", r, 64);
  assert_true(all > 2);
  assert_int_equal(search("تصادف", r, 2), 2);
  assert_string_equal(r[0]->code, "crash_injury");
  assert_string_equal(r[1]->code, "crash_damage");
  assert_int_equal(search("تصادف", r, 0), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(list_shape),     cmocka_unit_test(what_the_seed_needs),
      cmocka_unit_test(find_and_groups), cmocka_unit_test(related),
      cmocka_unit_test(search_persian), cmocka_unit_test(search_latin),
      cmocka_unit_test(search_limits),
  };
  return cmocka_run_group_tests(tests, locale_setup, locale_teardown);
}
