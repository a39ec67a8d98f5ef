/* init.c — the ICU objects the locale module shares between threads; see internal.h
 * for how each is made safe to share. */
#include <pthread.h>
#include <string.h>

#include <unicode/ustring.h>

#include "locale/internal.h"
#include "util/log.h"

/* Arabic forms people type on Arabic keyboards, mapped to the Persian letters and
 * digits hamyar stores, so that a search for "کلانتری" finds "كلانتري". The tatweel
 * (kashida) only stretches a word visually and is dropped. */
static const char MAP_RULES[] =
    "\\u064A > \\u06CC;" /* ARABIC YEH → FARSI YEH */
    "\\u0649 > \\u06CC;" /* ALEF MAKSURA → FARSI YEH */
    "\\u0643 > \\u06A9;" /* ARABIC KAF → KEHEH */
    "\\u0640 > ;"        /* TATWEEL dropped */
    "\\u0660 > \\u06F0; \\u0661 > \\u06F1; \\u0662 > \\u06F2; \\u0663 > \\u06F3;"
    "\\u0664 > \\u06F4; \\u0665 > \\u06F5; \\u0666 > \\u06F6; \\u0667 > \\u06F7;"
    "\\u0668 > \\u06F8; \\u0669 > \\u06F9;";

static pthread_mutex_t init_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t trans_mu = PTHREAD_MUTEX_INITIALIZER;
static UCalendar *cal_template;
static UTransliterator *trans;
static const UNormalizer2 *nfc;

static UCalendar *open_calendar(void) {
  UErrorCode st = U_ZERO_ERROR;
  UChar zone[16], got[32];
  u_uastrncpy(zone, "Asia/Tehran", 16);
  UCalendar *cal = ucal_open(zone, -1, "fa_IR@calendar=persian", UCAL_DEFAULT, &st);
  if (U_FAILURE(st)) return NULL;
  /* ICU falls back to GMT for a zone it does not know, and to the Gregorian calendar
   * for a calendar it lacks; either would silently shift every date, so check. */
  int32_t n = ucal_getTimeZoneID(cal, got, 32, &st);
  const char *type = ucal_getType(cal, &st);
  if (U_FAILURE(st) || n != u_strlen(zone) || u_strcmp(got, zone) != 0 || !type ||
      strcmp(type, "persian") != 0) {
    ucal_close(cal);
    return NULL;
  }
  /* Lenient, so that callers can step through days by setting day 0 or day 32; the
   * public functions check dates themselves before they ask ICU. */
  ucal_setAttribute(cal, UCAL_LENIENT, 1);
  return cal;
}

static UTransliterator *open_transliterator(void) {
  UErrorCode st = U_ZERO_ERROR;
  UParseError pe;
  UChar id[32], rules[sizeof MAP_RULES];
  u_uastrncpy(id, "hamyar-fa-normalize", 32);
  u_uastrncpy(rules, MAP_RULES, (int32_t)sizeof MAP_RULES);
  UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, rules, -1, &pe, &st);
  if (U_FAILURE(st)) {
    log_msg(LOG_ERROR, "locale.init", "transliterator rules rejected at line %d offset %d: %s",
            pe.line, pe.offset, u_errorName(st));
    return NULL;
  }
  return t;
}

static void close_all(void) {
  if (cal_template) ucal_close(cal_template);
  if (trans) utrans_close(trans);
  cal_template = NULL;
  trans = NULL;
  nfc = NULL;
}

int loc_init(void) {
  int rc = 0;
  pthread_mutex_lock(&init_mu);
  if (cal_template) goto done; /* already initialised: a second call is harmless */
  UErrorCode st = U_ZERO_ERROR;
  cal_template = open_calendar();
  trans = open_transliterator();
  nfc = unorm2_getNFCInstance(&st);
  if (!cal_template || !trans || U_FAILURE(st) || !nfc) {
    log_msg(LOG_ERROR, "locale.init",
            "ICU lacks the persian calendar, the Asia/Tehran zone or NFC data");
    close_all();
    rc = -1;
  }
done:
  pthread_mutex_unlock(&init_mu);
  return rc;
}

void loc_done(void) {
  pthread_mutex_lock(&init_mu);
  close_all();
  pthread_mutex_unlock(&init_mu);
}

UCalendar *loc_cal_clone(void) {
  if (!cal_template) return NULL;
  UErrorCode st = U_ZERO_ERROR;
  UCalendar *c = ucal_clone(cal_template, &st);
  if (U_FAILURE(st)) {
    if (c) ucal_close(c);
    return NULL;
  }
  return c;
}

UTransliterator *loc_trans_lock(void) {
  pthread_mutex_lock(&trans_mu);
  if (!trans) pthread_mutex_unlock(&trans_mu);
  return trans;
}

void loc_trans_unlock(void) { pthread_mutex_unlock(&trans_mu); }

const UNormalizer2 *loc_nfc(void) { return nfc; }
