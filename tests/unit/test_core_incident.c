/* test_core_incident.c — the incident and unit state machines of core/incident.h:
 * every legal move and every other one illegal, closing and its disposition, times
 * recorded once, incident numbers both ways, and how unit moves drive the incident.
 * Also the wire names of core/emergency.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/emergency.h"
#include "core/incident.h"

#define T0 1759293000000LL

struct move {
  int from, to;
};

/* The moves incident.h documents; every other pair must be refused. */
static const struct move incident_legal[] = {
    {INC_PENDING, INC_DISPATCHED},  {INC_PENDING, INC_CLOSED},     {INC_DISPATCHED, INC_EN_ROUTE},
    {INC_DISPATCHED, INC_ON_SCENE}, {INC_DISPATCHED, INC_PENDING}, {INC_EN_ROUTE, INC_ON_SCENE},
    {INC_EN_ROUTE, INC_PENDING},    {INC_ON_SCENE, INC_CLEARED},   {INC_CLEARED, INC_CLOSED},
};

static const struct move unit_legal[] = {
    {UNIT_AVAILABLE, UNIT_DISPATCHED},      {UNIT_AVAILABLE, UNIT_BUSY},
    {UNIT_AVAILABLE, UNIT_OUT_OF_SERVICE},  {UNIT_DISPATCHED, UNIT_EN_ROUTE},
    {UNIT_DISPATCHED, UNIT_ON_SCENE},       {UNIT_DISPATCHED, UNIT_AVAILABLE},
    {UNIT_EN_ROUTE, UNIT_ON_SCENE},         {UNIT_EN_ROUTE, UNIT_AVAILABLE},
    {UNIT_ON_SCENE, UNIT_AVAILABLE},        {UNIT_BUSY, UNIT_AVAILABLE},
    {UNIT_BUSY, UNIT_OUT_OF_SERVICE},       {UNIT_OUT_OF_SERVICE, UNIT_AVAILABLE},
    {UNIT_OUT_OF_SERVICE, UNIT_BUSY},
};

static bool listed(const struct move *m, size_t n, int from, int to) {
  for (size_t i = 0; i < n; i++)
    if (m[i].from == from && m[i].to == to) return true;
  return false;
}

static void incident_moves(void **state) {
  (void)state;
  size_t nlegal = sizeof incident_legal / sizeof incident_legal[0], seen = 0;
  for (int f = 0; f < INC_STATUS__COUNT; f++)
    for (int t = 0; t < INC_STATUS__COUNT; t++) {
      bool want = listed(incident_legal, nlegal, f, t);
      if (incident_can_move((enum incident_status)f, (enum incident_status)t) != want)
        fail_msg("%s -> %s should be %s", incident_status_name((enum incident_status)f),
                 incident_status_name((enum incident_status)t), want ? "legal" : "illegal");
      seen += want;
    }
  assert_int_equal(seen, nlegal);
  /* a few illegal ones spelled out */
  assert_false(incident_can_move(INC_PENDING, INC_EN_ROUTE));
  assert_false(incident_can_move(INC_PENDING, INC_ON_SCENE));
  assert_false(incident_can_move(INC_PENDING, INC_CLEARED));
  assert_false(incident_can_move(INC_ON_SCENE, INC_PENDING));
  assert_false(incident_can_move(INC_ON_SCENE, INC_EN_ROUTE));
  assert_false(incident_can_move(INC_ON_SCENE, INC_CLOSED));
  assert_false(incident_can_move(INC_DISPATCHED, INC_CLOSED));
  assert_false(incident_can_move(INC_CLOSED, INC_PENDING));
  assert_false(incident_can_move(INC_CLEARED, INC_DISPATCHED));
  assert_false(incident_can_move(INC_PENDING, INC_PENDING));
  assert_false(incident_can_move(INC_STATUS__COUNT, INC_PENDING));
  assert_false(incident_can_move(INC_PENDING, (enum incident_status)-1));
  /* assignment */
  assert_true(incident_can_assign(INC_PENDING));
  assert_true(incident_can_assign(INC_DISPATCHED));
  assert_true(incident_can_assign(INC_EN_ROUTE));
  assert_true(incident_can_assign(INC_ON_SCENE));
  assert_false(incident_can_assign(INC_CLEARED));
  assert_false(incident_can_assign(INC_CLOSED));
}

static struct incident fresh(void) {
  return (struct incident){.id = 1, .year = 1404, .seq = 123, .type = "fight", .priority = 2,
                           .status = INC_PENDING, .created_ms = T0, .updated_ms = T0};
}

/* Field by field: struct padding makes memcmp of two copies unreliable. */
static void assert_same_incident(const struct incident *a, const struct incident *b) {
  assert_int_equal(a->status, b->status);
  assert_int_equal(a->dispatch_ms, b->dispatch_ms);
  assert_int_equal(a->en_route_ms, b->en_route_ms);
  assert_int_equal(a->on_scene_ms, b->on_scene_ms);
  assert_int_equal(a->cleared_ms, b->cleared_ms);
  assert_int_equal(a->closed_ms, b->closed_ms);
  assert_int_equal(a->updated_ms, b->updated_ms);
  assert_ptr_equal(a->disposition, b->disposition);
}

static void full_life(void **state) {
  (void)state;
  struct incident i = fresh();
  assert_int_equal(incident_apply_status(&i, INC_DISPATCHED, T0 + 60000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&i, INC_EN_ROUTE, T0 + 90000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&i, INC_ON_SCENE, T0 + 400000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&i, INC_CLEARED, T0 + 1800000), INCIDENT_MOVE_OK);
  /* closing without a disposition, or with an unknown one, is refused and changes nothing */
  struct incident before = i;
  assert_int_equal(incident_apply_status(&i, INC_CLOSED, T0 + 1900000), INCIDENT_MOVE_NEEDS_DISPOSITION);
  assert_same_incident(&i, &before);
  i.disposition = "solved";
  assert_int_equal(incident_apply_status(&i, INC_CLOSED, T0 + 1900000), INCIDENT_MOVE_NEEDS_DISPOSITION);
  assert_int_equal(i.status, INC_CLEARED);
  assert_int_equal(i.closed_ms, 0);
  i.disposition = "report_taken";
  assert_int_equal(incident_apply_status(&i, INC_CLOSED, T0 + 2000000), INCIDENT_MOVE_OK);
  assert_int_equal(i.status, INC_CLOSED);
  assert_int_equal(i.dispatch_ms, T0 + 60000);
  assert_int_equal(i.en_route_ms, T0 + 90000);
  assert_int_equal(i.on_scene_ms, T0 + 400000);
  assert_int_equal(i.cleared_ms, T0 + 1800000);
  assert_int_equal(i.closed_ms, T0 + 2000000);
  assert_int_equal(i.updated_ms, T0 + 2000000);
  /* closed is final */
  before = i;
  for (int t = 0; t < INC_STATUS__COUNT; t++)
    assert_int_equal(incident_apply_status(&i, (enum incident_status)t, T0 + 3000000), INCIDENT_MOVE_ILLEGAL);
  assert_same_incident(&i, &before);
}

static void times_set_once(void **state) {
  (void)state;
  struct incident i = fresh();
  /* dispatched, recalled, dispatched again: the first dispatch time stays */
  assert_int_equal(incident_apply_status(&i, INC_DISPATCHED, T0 + 1000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&i, INC_EN_ROUTE, T0 + 2000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&i, INC_PENDING, T0 + 3000), INCIDENT_MOVE_OK);
  assert_int_equal(i.status, INC_PENDING);
  assert_int_equal(i.updated_ms, T0 + 3000);
  assert_int_equal(incident_apply_status(&i, INC_DISPATCHED, T0 + 4000), INCIDENT_MOVE_OK);
  assert_int_equal(i.dispatch_ms, T0 + 1000);
  assert_int_equal(i.updated_ms, T0 + 4000);
  /* straight to on scene: en route keeps its first (and only) time */
  assert_int_equal(incident_apply_status(&i, INC_ON_SCENE, T0 + 5000), INCIDENT_MOVE_OK);
  assert_int_equal(i.en_route_ms, T0 + 2000);
  assert_int_equal(i.on_scene_ms, T0 + 5000);

  /* dispatched → on scene without en route leaves en_route_ms at 0 */
  struct incident j = fresh();
  assert_int_equal(incident_apply_status(&j, INC_DISPATCHED, T0 + 1000), INCIDENT_MOVE_OK);
  assert_int_equal(incident_apply_status(&j, INC_ON_SCENE, T0 + 2000), INCIDENT_MOVE_OK);
  assert_int_equal(j.en_route_ms, 0);
  /* an illegal move leaves everything, updated_ms included */
  assert_int_equal(incident_apply_status(&j, INC_PENDING, T0 + 3000), INCIDENT_MOVE_ILLEGAL);
  assert_int_equal(j.status, INC_ON_SCENE);
  assert_int_equal(j.updated_ms, T0 + 2000);

  /* pending → closed (a duplicate): closed_ms only */
  struct incident k = fresh();
  k.disposition = "duplicate";
  assert_int_equal(incident_apply_status(&k, INC_CLOSED, T0 + 1000), INCIDENT_MOVE_OK);
  assert_int_equal(k.closed_ms, T0 + 1000);
  assert_int_equal(k.dispatch_ms, 0);
  assert_int_equal(k.cleared_ms, 0);
}

static void dispositions(void **state) {
  (void)state;
  size_t n;
  const struct incident_disposition *d = incident_dispositions(&n);
  assert_true(n >= 8);
  const char *must[] = {"report_taken", "arrest", "warning", "resolved_on_scene", "unfounded",
                        "duplicate", "referred", "no_action"};
  for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) assert_true(incident_disposition_valid(must[i]));
  for (size_t i = 0; i < n; i++) {
    assert_ptr_equal(incident_disposition_find(d[i].code), &d[i]);
    assert_true(strlen(d[i].name_fa) > 0);
    assert_true(strlen(d[i].name_en) > 0);
    assert_null(strstr(d[i].name_fa, "\u064A")); /* Arabic yeh */
    assert_null(strstr(d[i].name_fa, "\u0643")); /* Arabic kaf */
  }
  assert_string_equal(incident_disposition_find("arrest")->name_fa, "دستگیری");
  assert_false(incident_disposition_valid(NULL));
  assert_false(incident_disposition_valid(""));
  assert_false(incident_disposition_valid("Arrest"));
}

static void numbers(void **state) {
  (void)state;
  char out[INCIDENT_NUMBER_SIZE];
  assert_int_equal(incident_number_format(1404, 123, false, out, sizeof out), 0);
  assert_string_equal(out, "۱۴۰۴-۰۰۰۱۲۳");
  assert_int_equal(incident_number_format(1404, 123, true, out, sizeof out), 0);
  assert_string_equal(out, "1404-000123");
  assert_int_equal(incident_number_format(1404, 1, true, out, sizeof out), 0);
  assert_string_equal(out, "1404-000001");
  assert_int_equal(incident_number_format(1404, 999999, true, out, sizeof out), 0);
  assert_string_equal(out, "1404-999999");
  assert_int_equal(incident_number_format(1404, 1234567, true, out, sizeof out), 0);
  assert_string_equal(out, "1404-1234567"); /* a crisis year may pass a million */
  /* refused */
  assert_int_equal(incident_number_format(1404, 0, true, out, sizeof out), -1);
  assert_int_equal(incident_number_format(0, 1, true, out, sizeof out), -1);
  assert_int_equal(incident_number_format(10000, 1, true, out, sizeof out), -1);
  assert_int_equal(incident_number_format(1404, 1000000000LL, true, out, sizeof out), -1);
  assert_int_equal(incident_number_format(1404, 123, true, out, 11), -1); /* needs 12 */
  assert_int_equal(incident_number_format(1404, 123, false, out, 21), -1); /* needs 22 */
  assert_int_equal(incident_number_format(1404, 123, false, out, 22), 0);

  int year;
  int64_t seq;
  assert_int_equal(incident_number_parse("۱۴۰۴-۰۰۰۱۲۳", &year, &seq), 0);
  assert_int_equal(year, 1404);
  assert_int_equal(seq, 123);
  assert_int_equal(incident_number_parse("1404-000123", &year, &seq), 0);
  assert_int_equal(seq, 123);
  assert_int_equal(incident_number_parse("١٤٠٤-٠٠٠١٢٣", &year, &seq), 0); /* Arabic-Indic */
  assert_int_equal(year, 1404);
  assert_int_equal(incident_number_parse("1403-1234567", &year, &seq), 0);
  assert_int_equal(year, 1403);
  assert_int_equal(seq, 1234567);
  /* round trip */
  for (int64_t s = 1; s < 2000000; s = s * 7 + 3) {
    assert_int_equal(incident_number_format(1404, s, false, out, sizeof out), 0);
    assert_int_equal(incident_number_parse(out, &year, &seq), 0);
    assert_int_equal(seq, s);
  }
  const char *bad[] = {"", "1404", "1404-", "1404-12345", "1404-0000000123", "14040-000123",
                       "1404/000123", "1404-000123 ", " 1404-000123", "1404-00012a", "0000-000123",
                       "1404-000000", "۱۴۰۴_۰۰۰۱۲۳", "\xff\xfe", "-404-000123"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (incident_number_parse(bad[i], &year, &seq) == 0) fail_msg("accepted \"%s\"", bad[i]);
  assert_int_equal(incident_number_parse(NULL, &year, &seq), -1);
}

static void unit_moves(void **state) {
  (void)state;
  size_t nlegal = sizeof unit_legal / sizeof unit_legal[0];
  for (int f = 0; f < UNIT_STATUS__COUNT; f++)
    for (int t = 0; t < UNIT_STATUS__COUNT; t++) {
      bool want = listed(unit_legal, nlegal, f, t);
      if (unit_can_move((enum unit_status)f, (enum unit_status)t) != want)
        fail_msg("unit %s -> %s should be %s", unit_status_name((enum unit_status)f),
                 unit_status_name((enum unit_status)t), want ? "legal" : "illegal");
      /* setting directly: the same, except that only an assignment dispatches */
      assert_int_equal(unit_can_set((enum unit_status)f, (enum unit_status)t), want && t != UNIT_DISPATCHED);
    }
  /* on an incident: clear first */
  assert_false(unit_can_move(UNIT_EN_ROUTE, UNIT_OUT_OF_SERVICE));
  assert_false(unit_can_move(UNIT_ON_SCENE, UNIT_BUSY));
  assert_false(unit_can_move(UNIT_BUSY, UNIT_EN_ROUTE));
  assert_false(unit_can_move(UNIT_STATUS__COUNT, UNIT_AVAILABLE));
  assert_true(unit_status_assigned(UNIT_DISPATCHED));
  assert_true(unit_status_assigned(UNIT_EN_ROUTE));
  assert_true(unit_status_assigned(UNIT_ON_SCENE));
  assert_false(unit_status_assigned(UNIT_AVAILABLE));
  assert_false(unit_status_assigned(UNIT_BUSY));
  assert_false(unit_status_assigned(UNIT_OUT_OF_SERVICE));

  struct unit u = {.id = 5, .status = UNIT_AVAILABLE, .status_ms = T0};
  assert_int_equal(unit_apply_status(&u, UNIT_DISPATCHED, T0 + 1), -1); /* only by assignment */
  assert_int_equal(unit_assign(&u, 0, T0 + 1), -1);
  assert_int_equal(unit_assign(&u, 77, T0 + 1000), 0);
  assert_int_equal(u.status, UNIT_DISPATCHED);
  assert_int_equal(u.incident_id, 77);
  assert_int_equal(u.status_ms, T0 + 1000);
  assert_int_equal(unit_assign(&u, 78, T0 + 2000), -1); /* not available */
  assert_int_equal(u.incident_id, 77);
  assert_int_equal(unit_apply_status(&u, UNIT_BUSY, T0 + 2000), -1);
  assert_int_equal(unit_apply_status(&u, UNIT_EN_ROUTE, T0 + 3000), 0);
  assert_int_equal(unit_apply_status(&u, UNIT_ON_SCENE, T0 + 4000), 0);
  assert_int_equal(u.incident_id, 77);
  assert_int_equal(unit_apply_status(&u, UNIT_AVAILABLE, T0 + 5000), 0);
  assert_int_equal(u.incident_id, 0); /* clearing ends the assignment */
  assert_int_equal(u.status_ms, T0 + 5000);
  assert_int_equal(unit_apply_status(&u, UNIT_OUT_OF_SERVICE, T0 + 6000), 0);
  assert_int_equal(unit_assign(&u, 79, T0 + 7000), -1);
  assert_int_equal(unit_apply_status(&u, UNIT_AVAILABLE, T0 + 8000), 0);
  assert_int_equal(unit_assign(&u, 79, T0 + 9000), 0);
}

static void units_drive_incident(void **state) {
  (void)state;
  enum unit_status d = UNIT_DISPATCHED, e = UNIT_EN_ROUTE, o = UNIT_ON_SCENE, a = UNIT_AVAILABLE,
                   b = UNIT_BUSY;
  /* the first unit en route or on scene moves the incident */
  enum unit_status s1[] = {e, d};
  assert_int_equal(incident_status_from_units(INC_DISPATCHED, s1, 2), INC_EN_ROUTE);
  enum unit_status s2[] = {d, o};
  assert_int_equal(incident_status_from_units(INC_DISPATCHED, s2, 2), INC_ON_SCENE);
  assert_int_equal(incident_status_from_units(INC_EN_ROUTE, s2, 2), INC_ON_SCENE);
  /* a second unit en route does not pull an on-scene incident back */
  enum unit_status s3[] = {o, e};
  assert_int_equal(incident_status_from_units(INC_ON_SCENE, s3, 2), INC_ON_SCENE);
  enum unit_status s3b[] = {d};
  assert_int_equal(incident_status_from_units(INC_EN_ROUTE, s3b, 1), INC_EN_ROUTE);
  /* one of two cleared: still on scene */
  enum unit_status s4[] = {a, o};
  assert_int_equal(incident_status_from_units(INC_ON_SCENE, s4, 2), INC_ON_SCENE);
  /* the last one cleared: cleared */
  enum unit_status s5[] = {a, a};
  assert_int_equal(incident_status_from_units(INC_ON_SCENE, s5, 2), INC_CLEARED);
  assert_int_equal(incident_status_from_units(INC_ON_SCENE, NULL, 0), INC_CLEARED);
  /* every unit taken off before arriving: recalled to pending */
  assert_int_equal(incident_status_from_units(INC_DISPATCHED, s5, 2), INC_PENDING);
  assert_int_equal(incident_status_from_units(INC_EN_ROUTE, s5, 2), INC_PENDING);
  enum unit_status s6[] = {b};
  assert_int_equal(incident_status_from_units(INC_EN_ROUTE, s6, 1), INC_PENDING);
  /* units do not move pending, cleared or closed incidents */
  enum unit_status s7[] = {o};
  assert_int_equal(incident_status_from_units(INC_PENDING, s7, 1), INC_PENDING);
  assert_int_equal(incident_status_from_units(INC_CLEARED, s7, 1), INC_CLEARED);
  assert_int_equal(incident_status_from_units(INC_CLOSED, s7, 1), INC_CLOSED);

  /* whatever the units, the answer is the current status or a legal move from it */
  for (int cur = 0; cur < INC_STATUS__COUNT; cur++)
    for (int x = 0; x < UNIT_STATUS__COUNT; x++)
      for (int y = 0; y < UNIT_STATUS__COUNT; y++) {
        enum unit_status us[] = {(enum unit_status)x, (enum unit_status)y};
        for (size_t n = 0; n <= 2; n++) {
          enum incident_status r = incident_status_from_units((enum incident_status)cur, us, n);
          assert_true((int)r == cur || incident_can_move((enum incident_status)cur, r));
        }
      }
}

static void wire_names(void **state) {
  (void)state;
  const char *ut[] = {"car", "motorcycle", "traffic", "special"};
  for (int i = 0; i < UNIT_TYPE__COUNT; i++) {
    enum unit_type t;
    assert_string_equal(unit_type_name((enum unit_type)i), ut[i]);
    assert_int_equal(unit_type_parse(ut[i], &t), 0);
    assert_int_equal(t, i);
  }
  const char *us[] = {"available", "dispatched", "en_route", "on_scene", "busy", "out_of_service"};
  for (int i = 0; i < UNIT_STATUS__COUNT; i++) {
    enum unit_status s;
    assert_string_equal(unit_status_name((enum unit_status)i), us[i]);
    assert_int_equal(unit_status_parse(us[i], &s), 0);
    assert_int_equal(s, i);
  }
  const char *ts[] = {"ringing", "answered", "ended", "abandoned"};
  for (int i = 0; i < TCALL_STATE__COUNT; i++) {
    enum tcall_state s;
    assert_string_equal(tcall_state_name((enum tcall_state)i), ts[i]);
    assert_int_equal(tcall_state_parse(ts[i], &s), 0);
    assert_int_equal(s, i);
  }
  const char *co[] = {"operation", "non_emergency", "guidance", "invalid"};
  for (int i = 0; i < CALL_OUTCOME__COUNT; i++) {
    enum call_outcome c;
    assert_string_equal(call_outcome_name((enum call_outcome)i), co[i]);
    assert_int_equal(call_outcome_parse(co[i], &c), 0);
    assert_int_equal(c, i);
  }
  const char *is[] = {"pending", "dispatched", "en_route", "on_scene", "cleared", "closed"};
  for (int i = 0; i < INC_STATUS__COUNT; i++) {
    enum incident_status s;
    assert_string_equal(incident_status_name((enum incident_status)i), is[i]);
    assert_int_equal(incident_status_parse(is[i], &s), 0);
    assert_int_equal(s, i);
  }
  /* out of range and unknown */
  enum unit_status s;
  enum incident_status st;
  enum call_outcome o;
  enum unit_type t;
  enum tcall_state tc;
  assert_null(unit_type_name(UNIT_TYPE__COUNT));
  assert_null(unit_status_name((enum unit_status)-1));
  assert_null(tcall_state_name(TCALL_STATE__COUNT));
  assert_null(call_outcome_name(CALL_OUTCOME__COUNT));
  assert_null(incident_status_name(INC_STATUS__COUNT));
  assert_int_equal(unit_status_parse("Available", &s), -1);
  assert_int_equal(unit_status_parse(NULL, &s), -1);
  assert_int_equal(incident_status_parse("en-route", &st), -1);
  assert_int_equal(call_outcome_parse("", &o), -1);
  assert_int_equal(unit_type_parse("bicycle", &t), -1);
  assert_int_equal(tcall_state_parse("ring", &tc), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(incident_moves), cmocka_unit_test(full_life),
      cmocka_unit_test(times_set_once), cmocka_unit_test(dispositions),
      cmocka_unit_test(numbers),        cmocka_unit_test(unit_moves),
      cmocka_unit_test(units_drive_incident), cmocka_unit_test(wire_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
