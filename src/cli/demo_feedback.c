/* demo_feedback.c — the 197 desk's part of `hamyar init --demo`: the same few days as
 * the 110 activity, seen from the public oversight desk, so that a newcomer finds a
 * working desk and the 197 figures have rows to be computed from. See demo.h.
 *
 * Contacts come at Gilan's rate (22,000 a year, about 60 a day; DESIGN.md §1), mostly
 * by day, by phone, the public form, in person, by letter and through Open311, about
 * the province's stations (more in Rasht). Over a fifth are praise. Each text is put
 * together from fragments (demo_feedback_text.c) and given to the classifier
 * (core/feedback_classify.h) as the API would; the officer confirms or corrects. Then
 * each contact follows the workflow of core/feedback.h as far as now: assigned to the
 * demo supervisor, under review, internal notes, a reply for the citizen, answered,
 * closed with an outcome (most complaints reconciled). Whatever would happen after now
 * has not happened yet, so the desk has open work. A few older contacts, received
 * before the demo days and still not answered, are the overdue ones: with the default
 * deadline of ten days none of the demo days' own contacts can be late yet. Some citizens who
 * helped the police are commended, a few of them for a report they made through 197.
 *
 * Written through the store interface inside demo_write's transaction, each contact
 * with its timeline in order, with the same lines and data the API's handlers write.
 * Deterministic but for the tracking codes, which are random (libsodium) as the API's.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/demo.h"
#include "core/feedback_classify.h"
#include "locale/locale.h"
#include "util/arena.h"

#define MIN_MS 60000LL
#define HOUR_MS (60 * MIN_MS)
#define DAY_MS (24 * HOUR_MS)
#define CONTACTS_PER_DAY 60 /* 22,000 a year */
#define BACKLOG 7           /* older contacts still waiting: the overdue ones */
#define COMMENDATIONS 15
#define MAX_STEPS 12        /* timeline lines of one contact */
#define MAX_REPORTERS 32    /* citizens whose report may earn a commendation */
#define CODE_DRAWS 5

/* Contacts per hour of the day (Asia/Tehran), relative: the desk is busiest in
 * office hours; the public form brings some at night. */
static const double hour_weight[24] = {0.4, 0.3, 0.2, 0.1, 0.1, 0.2, 0.5, 1.4, 3.0, 4.2, 4.6, 4.6,
                                       4.2, 3.6, 3.6, 3.8, 3.6, 3.0, 2.6, 2.2, 1.8, 1.3, 0.9, 0.6};

/* Names as on the wire (core/feedback.h). Over a fifth praise, as the command
 * reported. Kinds and complaints' outcomes are dealt from decks of these counts, so
 * that over a few hundred contacts the shares come out as the counts say, not only on
 * average. */
static const struct demo_weighted kinds[] = {
    {"praise", 13}, {"complaint", 18}, {"suggestion", 5}, {"report", 7}, {"enquiry", 7}};
static const struct demo_weighted channels[] = {
    {"phone", 52}, {"web", 26}, {"in_person", 11}, {"letter", 5}, {"open311", 6}};
/* How complaints end: most in reconciliation. */
static const struct demo_weighted complaint_outcomes[] = {
    {"reconciled", 16}, {"not_substantiated", 4}, {"substantiated", 3}, {"withdrawn", 2}};

#define DECK_MAX 64

struct deck {
  const char *cards[DECK_MAX];
  size_t n, next;
};

/* Officers citizens name: four per station, numbered after the station's place in the
 * list, so that the same officers are named again and their record fills. */
static const char *const ranks[] = {"ستوان", "سروان", "گروهبان", "استوار"};
static const char *const officer_surnames[] = {"احمدی", "بهرامی", "جعفرزاده", "دلاوری", "رستمی",
                                               "سلیمانی", "فلاحی", "قاسم‌پور", "محمودی", "ولی‌زاده"};

enum actor { CITIZEN, DESK, SUPERVISOR };

/* One timeline line, kept until the contact has its id. */
struct step {
  int64_t t;
  enum actor who;
  const char *kind;
  bool for_citizen;
  const char *text;
  json_t *data; /* owned; NULL: {} */
};

/* A contact being made: its record as of now and the lines that led there. */
struct contact {
  struct feedback f;
  const struct station *st;
  struct step steps[MAX_STEPS];
  size_t nsteps;
  int64_t t;    /* the time of the last step */
  bool stopped; /* a step would have lain after now: nothing more has happened */
  bool oom;     /* a step's data could not be made */
  int topic;    /* which fragment the text was made from (an enquiry's answer follows it) */
};

struct reporter {
  int64_t feedback_id, received_ms;
  const char *name, *phone;
  const struct station *st;
};

struct desk {
  struct demo_sim *s;
  struct store_tx *tx;
  int64_t desk_id, boss_id;             /* oversight1, supervisor1; 0 when missing */
  const char *desk, *boss, *boss_display;
  const struct fb_category *cats;
  size_t ncats;
  struct deck kind_deck, outcome_deck;
  struct reporter reporters[MAX_REPORTERS];
  size_t nreporters;
  char code[FB_CODE_DIGITS + 1];        /* the tracking code of the contact being written */
  char last_code[FB_CODE_DIGITS + 1];   /* of the last one with a reply for its citizen */
};

/* The next card of the deck; a used-up deck is filled again with w cards of each code
 * of t and shuffled. */
static const char *deal(struct demo_sim *s, struct deck *d, const struct demo_weighted *t, size_t nt) {
  if (d->next == d->n) {
    d->n = d->next = 0;
    for (size_t i = 0; i < nt; i++)
      for (int k = 0; k < (int)t[i].w && d->n < DECK_MAX; k++) d->cards[d->n++] = t[i].code;
    for (size_t i = d->n; i > 1; i--) {
      size_t j = (size_t)demo_between(s, 0, (int64_t)i - 1);
      const char *card = d->cards[i - 1];
      d->cards[i - 1] = d->cards[j];
      d->cards[j] = card;
    }
  }
  return d->cards[d->next++];
}

#define DEAL(s, deck, table) deal((s), (deck), (table), sizeof(table) / sizeof(table)[0])

/* ---- the timeline ------------------------------------------------------------------- */

/* Moves the contact's clock dt on: false, and nothing more happens to the contact,
 * when that would lie after now. */
static bool advance(struct desk *d, struct contact *c, int64_t dt) {
  if (c->stopped || c->nsteps == MAX_STEPS || c->t + dt > d->s->now_ms) {
    c->stopped = true;
    return false;
  }
  c->t += dt;
  return true;
}

/* data NULL is "{}" for notes and replies, and out of memory for the rest. */
static void add_step(struct contact *c, enum actor who, const char *kind, bool for_citizen, const char *text,
                     json_t *data) {
  if (!data && strcmp(kind, "note") != 0 && strcmp(kind, "reply") != 0) c->oom = true;
  c->steps[c->nsteps++] = (struct step){.t = c->t, .who = who, .kind = kind, .for_citizen = for_citizen,
                                        .text = text ? text : "", .data = data};
}

static int64_t minutes(struct desk *d, int64_t lo, int64_t hi) { return demo_between(d->s, lo, hi) * MIN_MS; }

/* What the officer confirms or corrects, as the API's "classified" line shows it. */
static json_t *classification(const struct feedback *f) {
  return json_pack("{s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?}", "kind", fb_kind_name(f->kind), "category", f->category,
                   "county", f->county, "station", f->station, "unit", f->unit, "officer", f->officer,
                   "officer_name", f->officer_name);
}

static void classify(struct desk *d, struct contact *c, int64_t dt, const char *category) {
  if (!advance(d, c, dt)) return;
  json_t *before = classification(&c->f);
  c->f.category = category;
  c->f.classification_confirmed = true;
  c->f.updated_ms = c->t;
  add_step(c, DESK, "classified", false, "", json_pack("{s:o,s:o}", "from", before, "to", classification(&c->f)));
}

/* To the demo supervisor, for the subject's station, as the API's assign does. */
static void assign(struct desk *d, struct contact *c, int64_t dt) {
  if (!d->boss_id) c->stopped = true; /* no supervisor to give it to: it waits */
  if (!advance(d, c, dt)) return;
  c->f.assigned_to = d->boss_id;
  c->f.status = FB_ASSIGNED;
  c->f.assigned_ms = c->f.updated_ms = c->t;
  add_step(c, DESK, "assigned", false, "",
           json_pack("{s:I,s:s,s:s?,s:n,s:s?,s:s}", "user_id", (json_int_t)d->boss_id, "username", d->boss,
                     "display_name", d->boss_display, "previous_user_id", "station", c->f.station, "status",
                     "assigned"));
}

/* A status move ("closed" with its outcome), by the supervisor once assigned. */
static void move(struct desk *d, struct contact *c, int64_t dt, enum fb_status to, enum fb_outcome outcome,
                 const char *text) {
  if (!advance(d, c, dt)) return;
  enum fb_status from = c->f.status;
  c->f.status = to;
  if (to == FB_ANSWERED && !c->f.answered_ms) c->f.answered_ms = c->t;
  if (to == FB_CLOSED) {
    c->f.outcome = outcome;
    c->f.closed_ms = c->t;
  }
  c->f.updated_ms = c->t;
  add_step(c, c->f.assigned_to ? SUPERVISOR : DESK, to == FB_CLOSED ? "closed" : "status", false, text,
           json_pack("{s:s?,s:s?,s:s?}", "from", fb_status_name(from), "to", fb_status_name(to), "outcome",
                     fb_outcome_name(c->f.outcome)));
}

/* A reply the citizen reads (what Open311 clients see changes with it), or a note. */
static void write_line(struct desk *d, struct contact *c, int64_t dt, bool for_citizen, const char *text) {
  if (!advance(d, c, dt)) return;
  if (for_citizen) c->f.updated_ms = c->t;
  add_step(c, c->f.assigned_to ? SUPERVISOR : DESK, for_citizen ? "reply" : "note", for_citizen, text, NULL);
}

/* ---- the workflow by kind (core/feedback.h: answered only after review) -------------- */

static void handle_complaint(struct desk *d, struct contact *c, bool backlog) {
  struct demo_sim *s = d->s;
  assign(d, c, minutes(d, 30, 4 * 60));
  if (demo_chance(s, 0.5)) write_line(d, c, minutes(d, 5, 60), true, demo_fb_line(DEMO_FB_ACK_COMPLAINT));
  move(d, c, minutes(d, 30, 8 * 60), FB_UNDER_REVIEW, FB_OUTCOME_NONE, "");
  write_line(d, c, minutes(d, 30, 12 * 60), false, demo_fb_note(s, FB_COMPLAINT));
  if (backlog) { /* still waiting for the station, past its deadline */
    write_line(d, c, minutes(d, 2 * 24 * 60, 4 * 24 * 60), false, demo_fb_line(DEMO_FB_NOTE_WAITING));
    return;
  }
  enum fb_outcome outcome = FB_RECONCILED;
  fb_outcome_parse(DEAL(s, &d->outcome_deck, complaint_outcomes), &outcome);
  if (outcome == FB_WITHDRAWN) { /* the citizen let it go before an answer */
    move(d, c, minutes(d, 2 * 60, 30 * 60), FB_CLOSED, FB_WITHDRAWN, demo_fb_line(DEMO_FB_NOTE_WITHDRAWN));
    return;
  }
  /* most are settled by a call from the station within a day or two */
  if (demo_chance(s, 0.4)) write_line(d, c, minutes(d, 60, 12 * 60), false, demo_fb_note(s, FB_COMPLAINT));
  write_line(d, c, minutes(d, 2 * 60, 30 * 60), true, demo_fb_complaint_reply(outcome));
  move(d, c, minutes(d, 1, 10), FB_ANSWERED, FB_OUTCOME_NONE, "");
  move(d, c, minutes(d, 60, 12 * 60), FB_CLOSED, outcome, "");
}

/* Praise of a station goes to it, to be put on the officer's record; other praise is
 * thanked at once and passed on to the command. */
static void handle_praise(struct desk *d, struct contact *c) {
  struct demo_sim *s = d->s;
  if (!c->f.station || demo_chance(s, 0.3)) {
    write_line(d, c, minutes(d, 30, 20 * 60), true, demo_fb_line(DEMO_FB_REPLY_PRAISE));
    move(d, c, minutes(d, 1, 30), FB_CLOSED, FB_FORWARDED, "");
    return;
  }
  assign(d, c, minutes(d, 60, 8 * 60));
  move(d, c, minutes(d, 30, 12 * 60), FB_UNDER_REVIEW, FB_OUTCOME_NONE, "");
  if (c->f.officer_name) write_line(d, c, minutes(d, 10, 6 * 60), false, demo_fb_line(DEMO_FB_NOTE_PRAISE));
  write_line(d, c, minutes(d, 10, 12 * 60), true, demo_fb_line(DEMO_FB_REPLY_PRAISE));
  move(d, c, minutes(d, 1, 10), FB_ANSWERED, FB_OUTCOME_NONE, "");
  move(d, c, minutes(d, 60, 24 * 60), FB_CLOSED, FB_SUBSTANTIATED, "");
}

static void handle_report(struct desk *d, struct contact *c, bool backlog) {
  struct demo_sim *s = d->s;
  assign(d, c, minutes(d, 30, 4 * 60));
  move(d, c, minutes(d, 60, 6 * 60), FB_UNDER_REVIEW, FB_OUTCOME_NONE, "");
  write_line(d, c, minutes(d, 30, 12 * 60), false, demo_fb_note(s, FB_REPORT));
  if (backlog) return;
  bool acted = demo_chance(s, 0.4);
  write_line(d, c, minutes(d, 6 * 60, 40 * 60), true,
             demo_fb_line(acted ? DEMO_FB_REPLY_REPORT_ACTED : DEMO_FB_REPLY_REPORT_FORWARDED));
  move(d, c, minutes(d, 1, 10), FB_ANSWERED, FB_OUTCOME_NONE, "");
  move(d, c, minutes(d, 60, 24 * 60), FB_CLOSED, acted ? FB_SUBSTANTIATED : FB_FORWARDED, "");
}

/* Suggestions are passed on to the part of the command they concern; the desk answers
 * most enquiries itself and closes them as passed on, and gives the rest to a station. */
static void handle_other(struct desk *d, struct contact *c) {
  struct demo_sim *s = d->s;
  bool enquiry = c->f.kind == FB_ENQUIRY;
  if (!enquiry || demo_chance(s, 0.6)) {
    write_line(d, c, enquiry ? minutes(d, 10, 8 * 60) : minutes(d, 20 * 60, 3 * 24 * 60), true,
               enquiry ? demo_fb_enquiry_reply(c->topic) : demo_fb_line(DEMO_FB_REPLY_SUGGESTION));
    move(d, c, minutes(d, 1, 12 * 60), FB_CLOSED, FB_FORWARDED, "");
    return;
  }
  assign(d, c, minutes(d, 30, 6 * 60));
  move(d, c, minutes(d, 30, 8 * 60), FB_UNDER_REVIEW, FB_OUTCOME_NONE, "");
  write_line(d, c, minutes(d, 30, 24 * 60), true, demo_fb_enquiry_reply(c->topic));
  move(d, c, minutes(d, 1, 10), FB_ANSWERED, FB_OUTCOME_NONE, "");
}

/* ---- one contact ----------------------------------------------------------------------- */

/* One of the station's units, or NULL. */
static const char *pick_unit(struct demo_sim *s, const char *station) {
  size_t n = 0;
  for (size_t i = 0; i < s->nunits; i++) n += strcmp(s->units[i].u.station, station) == 0;
  size_t k = n ? (size_t)demo_between(s, 0, (int64_t)n - 1) : 0;
  for (size_t i = 0; i < s->nunits; i++)
    if (strcmp(s->units[i].u.station, station) == 0 && k-- == 0) return s->units[i].u.code;
  return NULL;
}

/* A category of `kind`: the classifier's when it found that kind, else one the officer
 * chooses; NULL when the kind has none. */
static const char *category_for(struct desk *d, enum fb_kind kind, const struct fb_suggestion *sug) {
  if (sug->found && sug->kind == kind) return sug->category;
  size_t n = 0;
  for (size_t i = 0; i < d->ncats; i++) n += d->cats[i].kind == kind;
  size_t k = n ? (size_t)demo_between(d->s, 0, (int64_t)n - 1) : 0;
  for (size_t i = 0; i < d->ncats; i++)
    if (d->cats[i].kind == kind && k-- == 0) return d->cats[i].code;
  return NULL;
}

/* An Iranian national id: nine digits and the check digit fb_national_id_parse wants. */
static const char *national_id(struct demo_sim *s) {
  char id[11];
  int sum = 0;
  for (int i = 0; i < 9; i++) {
    id[i] = (char)('0' + demo_between(s, 0, 9));
    sum += (id[i] - '0') * (10 - i);
  }
  int r = sum % 11;
  id[9] = (char)('0' + (r < 2 ? r : 11 - r));
  id[10] = '\0';
  return arena_strdup(s->arena, id);
}

/* Who wrote, and about whom: citizens on the public form and Open311 stay anonymous
 * more often; officers are named in many praises and some complaints. */
static void who_and_whom(struct demo_sim *s, struct contact *c) {
  struct feedback *f = &c->f;
  double anonymous = f->channel == FB_OPEN311 ? 0.5 : f->channel == FB_WEB ? 0.35 : f->channel == FB_PHONE ? 0.15 : 0.03;
  if (!demo_chance(s, anonymous)) {
    f->citizen_name = demo_person_name(s);
    if (demo_chance(s, f->channel == FB_PHONE ? 0.95 : 0.7)) f->citizen_phone = demo_phone_number(s);
    if (demo_chance(s, f->channel == FB_IN_PERSON || f->channel == FB_LETTER ? 0.7 : 0.15))
      f->citizen_national_id = national_id(s);
  }
  bool about_police = f->kind == FB_PRAISE || f->kind == FB_COMPLAINT || f->kind == FB_REPORT;
  if (!demo_chance(s, about_police ? 0.9 : 0.5)) return;
  c->st = demo_pick_station(s);
  f->station = c->st->code;
  f->county = c->st->county;
  if (f->kind != FB_PRAISE && f->kind != FB_COMPLAINT) return;
  if (demo_chance(s, f->kind == FB_PRAISE ? 0.55 : 0.35)) {
    int64_t k = demo_between(s, 0, 3), n = (int64_t)(c->st - s->stations);
    f->officer_name = arena_printf(s->arena, "%s %s", ranks[k], officer_surnames[(n * 3 + k) % 10]);
    if (demo_chance(s, 0.7)) f->officer = arena_printf(s->arena, "4%03lld%03lld", (long long)(n % 1000), (long long)k);
  }
  if (demo_chance(s, 0.2)) f->unit = pick_unit(s, f->station);
}

static void make_contact(struct desk *d, struct contact *c, int64_t received_ms, bool backlog) {
  struct demo_sim *s = d->s;
  memset(c, 0, sizeof *c);
  struct feedback *f = &c->f;
  f->kind = FB_COMPLAINT;
  f->channel = FB_PHONE;
  fb_kind_parse(backlog ? (demo_chance(s, 0.7) ? "complaint" : "report") : DEAL(s, &d->kind_deck, kinds), &f->kind);
  fb_channel_parse(DEMO_PICK(s, channels), &f->channel);
  who_and_whom(s, c);
  f->text = demo_fb_compose(s, f->kind, c->st ? c->st->name_fa : NULL, f->officer_name, &c->topic);
  struct fb_suggestion sug; /* as the API classifies what it receives */
  fb_classify(f->text, &sug);
  f->suggested_kind = sug.found ? sug.kind : FB_ENQUIRY;
  f->suggested_category = sug.found ? sug.category : NULL;
  bool public = f->channel == FB_WEB || f->channel == FB_OPEN311;
  const char *category = category_for(d, f->kind, &sug);
  if (public) f->category = category; /* the citizen chose it on the form */
  f->status = FB_RECEIVED;
  f->received_ms = f->updated_ms = c->t = received_ms;
  f->due_ms = fb_due_ms(received_ms, s->deadline_days);
  f->created_by = public ? 0 : d->desk_id;
  add_step(c, public ? CITIZEN : DESK, "received", false, "",
           json_pack("{s:s?,s:s?,s:s?}", "channel", fb_channel_name(f->channel), "kind", fb_kind_name(f->kind),
                     "category", f->category));
  if (demo_chance(s, 0.9)) classify(d, c, minutes(d, 5, 120), category);
  switch (f->kind) {
  case FB_COMPLAINT: handle_complaint(d, c, backlog); break;
  case FB_PRAISE: handle_praise(d, c); break;
  case FB_REPORT: handle_report(d, c, backlog); break;
  default: handle_other(d, c); break;
  }
}

/* ---- writing ----------------------------------------------------------------------------- */

static enum store_rc write_step(struct desk *d, const struct contact *c, const struct step *st) {
  char *data = st->data ? json_dumps(st->data, JSON_COMPACT) : NULL;
  if (st->data && !data) return STORE_HARD;
  struct feedback_entry e = {.feedback_id = c->f.id, .time_ms = st->t, .kind = st->kind,
                             .for_citizen = st->for_citizen, .text = st->text, .data = data};
  e.actor_id = st->who == DESK ? d->desk_id : st->who == SUPERVISOR ? d->boss_id : 0;
  e.actor = st->who == DESK ? d->desk : st->who == SUPERVISOR ? d->boss : "citizen";
  enum store_rc rc = store_of(d->tx)->fb.entry_append(d->tx, &e);
  free(data);
  return rc;
}

/* Numbered in its Jalali year; a new tracking code is drawn if one was taken. */
static enum store_rc insert_contact(struct desk *d, struct feedback *f) {
  struct store_feedback *fb = &store_of(d->tx)->fb;
  struct loc_jdate day;
  if (loc_from_utc_ms(f->received_ms, &day) != 0) return STORE_HARD;
  f->year = day.year;
  enum store_rc rc = fb->next_seq(d->tx, f->year, &f->seq);
  for (int draws = 1; rc == STORE_OK; draws++) {
    fb_code_new(d->code);
    fb_code_hash(d->code, f->code_hash);
    rc = fb->insert(d->tx, f);
    if (rc != STORE_CONFLICT) break;
    rc = draws < CODE_DRAWS ? STORE_OK : STORE_HARD;
  }
  return rc;
}

static enum store_rc write_contact(struct desk *d, struct contact *c) {
  struct demo_sim *s = d->s;
  enum store_rc rc = c->oom ? STORE_HARD : insert_contact(d, &c->f);
  bool replied = false;
  for (size_t i = 0; i < c->nsteps && rc == STORE_OK; i++) {
    rc = write_step(d, c, &c->steps[i]);
    replied = replied || c->steps[i].for_citizen;
  }
  for (size_t i = 0; i < c->nsteps; i++) json_decref(c->steps[i].data);
  if (rc != STORE_OK) return rc;
  s->fb.contacts++;
  s->fb.praise += c->f.kind == FB_PRAISE;
  s->fb.open += c->f.status != FB_CLOSED;
  s->fb.overdue += fb_is_overdue(&c->f, s->now_ms);
  if (replied) memcpy(d->last_code, d->code, sizeof d->code);
  if (c->f.kind == FB_REPORT && c->f.citizen_name && c->st && d->nreporters < MAX_REPORTERS)
    d->reporters[d->nreporters++] = (struct reporter){.feedback_id = c->f.id, .received_ms = c->f.received_ms,
                                                      .name = c->f.citizen_name, .phone = c->f.citizen_phone,
                                                      .st = c->st};
  return rc;
}

/* ---- commendations ----------------------------------------------------------------------- */

/* Some citizens commended in the demo days, for deeds of the last weeks; the first few
 * for a report they made to 197 (when one was made early enough to be acted on). */
static enum store_rc commend(struct desk *d) {
  struct demo_sim *s = d->s;
  enum store_rc rc = STORE_OK;
  size_t linked = 0;
  for (int i = 0; i < COMMENDATIONS && rc == STORE_OK; i++) {
    struct commendation cm = {.created_ms = demo_between(s, s->start_ms, s->now_ms), .created_by = d->desk_id};
    const struct station *st = NULL;
    const struct reporter *r = linked < 3 && linked < d->nreporters ? &d->reporters[linked] : NULL;
    if (r && r->received_ms + 6 * HOUR_MS <= s->now_ms) {
      cm.citizen_name = r->name;
      cm.citizen_phone = r->phone;
      cm.reason = demo_fb_reporter_reason;
      cm.deed_ms = r->received_ms;
      cm.feedback_id = r->feedback_id;
      cm.created_ms = demo_between(s, r->received_ms + 6 * HOUR_MS, s->now_ms);
      st = r->st;
      linked++;
    } else {
      cm.citizen_name = demo_person_name(s);
      if (demo_chance(s, 0.5)) cm.citizen_phone = demo_phone_number(s);
      cm.reason = demo_fb_commendation_reason(s);
      cm.deed_ms = cm.created_ms - demo_between(s, 1, 25) * DAY_MS;
      st = demo_pick_station(s);
    }
    cm.county = st->county;
    if (demo_chance(s, 0.8)) cm.proposed_by_station = st->code;
    if (cm.proposed_by_station && demo_chance(s, 0.5)) cm.proposed_by_unit = pick_unit(s, st->code);
    rc = store_of(d->tx)->fb.commendation_insert(d->tx, &cm);
    s->fb.commendations += rc == STORE_OK;
  }
  return rc;
}

/* ---- the whole desk ------------------------------------------------------------------------ */

struct arrival {
  int64_t t;
  bool backlog;
};

static int cmp_arrival(const void *a, const void *b) {
  int64_t x = ((const struct arrival *)a)->t, y = ((const struct arrival *)b)->t;
  return (x > y) - (x < y);
}

/* When the contacts arrive: hour by hour, as many as the hour's share of a day, and
 * the backlog from a few weeks before, past its deadline. Oldest first, so numbers
 * follow receipt. */
static struct arrival *arrivals(struct demo_sim *s, size_t *n) {
  double total = 0;
  for (int h = 0; h < 24; h++) total += hour_weight[h];
  size_t cap = (size_t)((double)(s->now_ms - s->start_ms) / DAY_MS * CONTACTS_PER_DAY * 1.5) + BACKLOG + 16;
  struct arrival *a = arena_alloc(s->arena, cap * sizeof *a);
  if (!a) return NULL;
  *n = 0;
  for (int i = 0; i < BACKLOG; i++)
    a[(*n)++] = (struct arrival){s->now_ms - (s->deadline_days + demo_between(s, 1, 14)) * DAY_MS -
                                     demo_between(s, 0, 12 * 60) * MIN_MS,
                                 true};
  for (int64_t t = s->start_ms; t < s->now_ms; t += HOUR_MS) {
    int64_t len = s->now_ms - t < HOUR_MS ? s->now_ms - t : HOUR_MS;
    struct loc_jdate local;
    int hour = loc_from_utc_ms(t, &local) == 0 ? local.hour : 12;
    double expected = CONTACTS_PER_DAY * hour_weight[hour] / total * (double)len / HOUR_MS;
    int64_t count = (int64_t)(expected * (0.7 + 0.6 * demo_uniform(s)) + 0.5);
    for (int64_t k = 0; k < count && *n < cap; k++)
      a[(*n)++] = (struct arrival){t + (int64_t)(demo_uniform(s) * (double)len), false};
  }
  qsort(a, *n, sizeof *a, cmp_arrival);
  return a;
}

/* The demo users who work the desk, when `init --demo` made them; else "demo". */
static enum store_rc desk_user(struct desk *d, const char *username, int64_t *id, const char **name,
                               const char **display) {
  struct user u;
  enum store_rc rc = store_of(d->tx)->user_by_name(d->tx, username, d->s->arena, &u);
  *id = rc == STORE_OK ? u.id : 0;
  *name = rc == STORE_OK ? username : "demo";
  if (display) *display = rc == STORE_OK ? u.display_name : NULL;
  return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

enum store_rc demo_feedback_write(struct store_tx *tx, struct demo_sim *s) {
  memset(&s->fb, 0, sizeof s->fb);
  struct desk *d = arena_alloc(s->arena, sizeof *d);
  struct contact *c = arena_alloc(s->arena, sizeof *c);
  size_t n = 0;
  struct arrival *a = arrivals(s, &n);
  if (!d || !c || !a || s->nstations == 0) return d && c && a ? STORE_OK : STORE_HARD;
  memset(d, 0, sizeof *d);
  d->s = s;
  d->tx = tx;
  d->cats = fb_categories(&d->ncats);
  enum store_rc rc = desk_user(d, "oversight1", &d->desk_id, &d->desk, NULL);
  if (rc == STORE_OK) rc = desk_user(d, "supervisor1", &d->boss_id, &d->boss, &d->boss_display);
  for (size_t i = 0; i < n && rc == STORE_OK; i++) {
    make_contact(d, c, a[i].t, a[i].backlog);
    rc = write_contact(d, c);
  }
  if (rc == STORE_OK) rc = commend(d);
  if (rc == STORE_OK && d->last_code[0])
    fb_code_format(d->last_code, false, s->fb.track_code, sizeof s->fb.track_code);
  return rc;
}
