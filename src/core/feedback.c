/* feedback.c — the 197 desk's rules: wire names and Persian labels, the workflow,
 * deadlines, tracking codes and national ids; see feedback.h. */
#include "core/feedback.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "locale/locale.h"

#define DAY_MS (24 * 3600 * 1000LL)
#define ZW "\u200c"

/* ---- names ------------------------------------------------------------------------ */

static const char *const channel_names[FB_CHANNEL__COUNT] = {
    [FB_PHONE] = "phone", [FB_WEB] = "web",       [FB_IN_PERSON] = "in_person",
    [FB_LETTER] = "letter", [FB_OPEN311] = "open311",
};

static const char *const kind_names[FB_KIND__COUNT] = {
    [FB_PRAISE] = "praise", [FB_COMPLAINT] = "complaint", [FB_SUGGESTION] = "suggestion",
    [FB_REPORT] = "report", [FB_ENQUIRY] = "enquiry",
};

static const char *const status_names[FB_STATUS__COUNT] = {
    [FB_RECEIVED] = "received", [FB_ASSIGNED] = "assigned", [FB_UNDER_REVIEW] = "under_review",
    [FB_ANSWERED] = "answered", [FB_CLOSED] = "closed",
};

/* Index 0 (FB_OUTCOME_NONE) has no name: "not closed" is never sent or accepted. */
static const char *const outcome_names[FB_OUTCOME__COUNT] = {
    [FB_SUBSTANTIATED] = "substantiated", [FB_NOT_SUBSTANTIATED] = "not_substantiated",
    [FB_RECONCILED] = "reconciled",       [FB_WITHDRAWN] = "withdrawn",
    [FB_FORWARDED] = "forwarded",
};

static const char *const kind_labels[FB_KIND__COUNT] = {
    [FB_PRAISE] = "ستایش",     [FB_COMPLAINT] = "شکایت", [FB_SUGGESTION] = "پیشنهاد",
    [FB_REPORT] = "گزارش", [FB_ENQUIRY] = "پرسش",
};

static const char *const status_labels[FB_STATUS__COUNT] = {
    [FB_RECEIVED] = "دریافت" ZW "شده",
    [FB_ASSIGNED] = "ارجاع" ZW "شده",
    [FB_UNDER_REVIEW] = "در دست بررسی",
    [FB_ANSWERED] = "پاسخ داده" ZW "شده",
    [FB_CLOSED] = "بسته" ZW "شده",
};

static const char *const outcome_labels[FB_OUTCOME__COUNT] = {
    [FB_SUBSTANTIATED] = "وارد دانسته شد",
    [FB_NOT_SUBSTANTIATED] = "وارد دانسته نشد",
    [FB_RECONCILED] = "سازش طرفین",
    [FB_WITHDRAWN] = "انصراف شهروند",
    [FB_FORWARDED] = "ارجاع به مرجع دیگر",
};

/* Values read from a database or cast from input may lie outside the enum: they are
 * compared as ints and answered with NULL rather than read past a table's end. A
 * NULL entry (the outcome "none") is neither named nor parsed. */
static const char *name_in(const char *const *table, int count, int v) {
  return v >= 0 && v < count ? table[v] : NULL;
}

static int parse_in(const char *const *table, int count, const char *s) {
  if (!s) return -1;
  for (int i = 0; i < count; i++)
    if (table[i] && strcmp(table[i], s) == 0) return i;
  return -1;
}

const char *fb_channel_name(enum fb_channel c) {
  return name_in(channel_names, FB_CHANNEL__COUNT, (int)c);
}

int fb_channel_parse(const char *s, enum fb_channel *out) {
  int i = parse_in(channel_names, FB_CHANNEL__COUNT, s);
  if (i >= 0) *out = (enum fb_channel)i;
  return i >= 0 ? 0 : -1;
}

const char *fb_kind_name(enum fb_kind k) {
  return name_in(kind_names, FB_KIND__COUNT, (int)k);
}

int fb_kind_parse(const char *s, enum fb_kind *out) {
  int i = parse_in(kind_names, FB_KIND__COUNT, s);
  if (i >= 0) *out = (enum fb_kind)i;
  return i >= 0 ? 0 : -1;
}

const char *fb_status_name(enum fb_status s) {
  return name_in(status_names, FB_STATUS__COUNT, (int)s);
}

int fb_status_parse(const char *s, enum fb_status *out) {
  int i = parse_in(status_names, FB_STATUS__COUNT, s);
  if (i >= 0) *out = (enum fb_status)i;
  return i >= 0 ? 0 : -1;
}

const char *fb_outcome_name(enum fb_outcome o) {
  return name_in(outcome_names, FB_OUTCOME__COUNT, (int)o);
}

int fb_outcome_parse(const char *s, enum fb_outcome *out) {
  int i = parse_in(outcome_names, FB_OUTCOME__COUNT, s);
  if (i >= 0) *out = (enum fb_outcome)i;
  return i >= 0 ? 0 : -1;
}

const char *fb_kind_label_fa(enum fb_kind k) {
  return name_in(kind_labels, FB_KIND__COUNT, (int)k);
}

const char *fb_status_label_fa(enum fb_status s) {
  return name_in(status_labels, FB_STATUS__COUNT, (int)s);
}

const char *fb_outcome_label_fa(enum fb_outcome o) {
  return name_in(outcome_labels, FB_OUTCOME__COUNT, (int)o);
}

/* ---- workflow ------------------------------------------------------------------------ */

#define BIT(s) (1u << (s))

/* moves[from] = the statuses `to` may name. FB_ASSIGNED from assigned or under_review
 * is a re-assignment (a new supervisor), which leaves the status as it is; closing is
 * allowed from every open status, and the outcome decides (below). */
static const unsigned moves[FB_STATUS__COUNT] = {
    [FB_RECEIVED] = BIT(FB_ASSIGNED) | BIT(FB_CLOSED),
    [FB_ASSIGNED] = BIT(FB_ASSIGNED) | BIT(FB_UNDER_REVIEW) | BIT(FB_CLOSED),
    [FB_UNDER_REVIEW] = BIT(FB_ASSIGNED) | BIT(FB_ANSWERED) | BIT(FB_CLOSED),
    [FB_ANSWERED] = BIT(FB_UNDER_REVIEW) | BIT(FB_CLOSED),
    [FB_CLOSED] = 0,
};

const char *fb_transition_check(enum fb_status from, enum fb_status to, enum fb_outcome outcome) {
  if ((int)from < 0 || from >= FB_STATUS__COUNT || (int)to < 0 || to >= FB_STATUS__COUNT)
    return "unknown status";
  if (from == FB_CLOSED) return "closed contacts do not move";
  if (!(moves[from] & BIT(to))) {
    if (from == to) return "the contact already has that status";
    switch (to) {
    case FB_RECEIVED: return "a contact does not go back to received";
    case FB_ANSWERED: return "only a contact under review is answered";
    case FB_UNDER_REVIEW: return "a contact is reviewed once it is assigned";
    default: return "an answered contact is reopened, not re-assigned";
    }
  }
  if (to != FB_CLOSED) return NULL;
  if (outcome <= FB_OUTCOME_NONE || outcome >= FB_OUTCOME__COUNT)
    return "a contact is closed with an outcome";
  if (from != FB_ANSWERED && outcome != FB_WITHDRAWN && outcome != FB_FORWARDED)
    return "a contact not yet answered is closed only as withdrawn or forwarded";
  return NULL;
}

/* ---- deadlines ----------------------------------------------------------------------- */

int64_t fb_due_ms(int64_t received_ms, int deadline_days) {
  return received_ms + (int64_t)deadline_days * DAY_MS;
}

bool fb_is_overdue(const struct feedback *f, int64_t now_ms) {
  /* due_ms 0 is "no deadline yet" (a record still being filled), never overdue. */
  if (f->status == FB_ANSWERED || f->status == FB_CLOSED || f->due_ms <= 0) return false;
  return now_ms > f->due_ms;
}

/* ---- digits as people type them --------------------------------------------------------- */

/* Separators a person may type or paste between digits: space, tab, '-', no-break
 * space, the Unicode hyphens and dashes, minus, and the left-to-right and
 * right-to-left marks that copying from a Persian page brings along. */
static const char *const separators[] = {
    " ", "\t", "-", "\u00a0", "\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\u200e", "\u200f",
};

/* The length of the separator at s, or 0. */
static size_t separator_at(const char *s) {
  for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++) {
    size_t n = strlen(separators[i]);
    if (strncmp(s, separators[i], n) == 0) return n;
  }
  return 0;
}

/* Exactly `want` digits (Latin, Persian or Arabic-Indic) with separators anywhere,
 * written as ASCII to out[want + 1]. Anything else, or more or fewer digits, is -1.
 * The input is bounded: a few separators per digit is plenty. */
static int read_digits(const char *text, size_t want, char *out) {
  char latin[128];
  if (!text || strlen(text) >= sizeof latin || loc_digits_to_latin(text, latin, sizeof latin) != 0)
    return -1;
  size_t n = 0;
  for (const char *p = latin; *p;) {
    size_t sep = separator_at(p);
    if (sep) {
      p += sep;
    } else if (*p >= '0' && *p <= '9' && n < want) {
      out[n++] = *p++;
    } else {
      return -1;
    }
  }
  out[n] = '\0';
  return n == want ? 0 : -1;
}

/* ---- tracking codes ---------------------------------------------------------------------- */

/* A totally anti-symmetric quasigroup of order 10 with zero diagonal, the one
 * H. M. Damm gave as his example (dissertation, 2004): each row and column is a permutation of 0..9, x*x = 0, and
 * (c*x)*y = (c*y)*x only when x = y. The first makes every single wrong digit
 * change the result; the third does the same for every swap of two neighbouring
 * digits; the second lets a valid code end in the running value, so a whole valid
 * code runs to 0. The unit test checks all three over the whole table. */
static const unsigned char damm[10][10] = {
    {0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
    {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
    {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
    {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
    {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0},
};

/* The running value of the Damm check over n ASCII digits. */
static unsigned damm_run(const char *digits, size_t n) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) v = damm[v][digits[i] - '0'];
  return v;
}

void fb_code_new(char out[FB_CODE_DIGITS + 1]) {
  for (size_t i = 0; i < FB_CODE_DIGITS - 1; i++) out[i] = (char)('0' + randombytes_uniform(10));
  /* With zero diagonal the check digit is the running value itself: v*v = 0. */
  out[FB_CODE_DIGITS - 1] = (char)('0' + damm_run(out, FB_CODE_DIGITS - 1));
  out[FB_CODE_DIGITS] = '\0';
}

int fb_code_parse(const char *text, char out[FB_CODE_DIGITS + 1]) {
  char d[FB_CODE_DIGITS + 1];
  if (read_digits(text, FB_CODE_DIGITS, d) != 0 || damm_run(d, FB_CODE_DIGITS) != 0) return -1;
  memcpy(out, d, sizeof d);
  return 0;
}

void fb_code_format(const char digits[FB_CODE_DIGITS + 1], bool persian, char *out, size_t outlen) {
  char latin[FB_CODE_TEXT];
  if (!out || outlen == 0) return;
  out[0] = '\0';
  if (!digits || strlen(digits) != FB_CODE_DIGITS) return;
  snprintf(latin, sizeof latin, "%.4s-%.4s-%.4s", digits, digits + 4, digits + 8);
  if (persian) {
    if (loc_digits_to_persian(latin, out, outlen) != 0) out[0] = '\0';
  } else if ((size_t)snprintf(out, outlen, "%s", latin) >= outlen) {
    out[0] = '\0';
  }
}

void fb_code_hash(const char digits[FB_CODE_DIGITS + 1], uint8_t out[32]) {
  crypto_hash_sha256(out, (const unsigned char *)digits, FB_CODE_DIGITS);
}

/* ---- national ids ------------------------------------------------------------------------ */

int fb_national_id_parse(const char *text, char out[11]) {
  char d[11];
  if (read_digits(text, 10, d) != 0) return -1;
  /* 0000000000, 1111111111, ... pass the checksum but are no one's. */
  bool same = true;
  for (int i = 1; i < 10; i++) same = same && d[i] == d[0];
  if (same) return -1;
  unsigned s = 0;
  for (int i = 0; i < 9; i++) s += (unsigned)(d[i] - '0') * (unsigned)(10 - i);
  s %= 11;
  unsigned check = s < 2 ? s : 11 - s;
  if (check != (unsigned)(d[9] - '0')) return -1;
  memcpy(out, d, sizeof d);
  return 0;
}
