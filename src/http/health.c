/* health.c — GET /api/v1/health (is the server up, which build and schema) and
 * GET /api/v1/time (the server's clock, as the console shows dates: Jalali, Tehran). */
#include <jansson.h>

#include "http/routes.h"
#include "locale/locale.h"
#include "util/clock.h"
#include "util/log.h"

http_status_t health_get(struct http_req *req) {
  char now[32];
  clock_format_rfc3339(clock_now_ms(), now, sizeof now);
  struct store *s = req->app->store;
  json_t *body = json_pack("{s:s,s:s,s:i,s:s}", "status", "ok", "version", HAMYAR_VERSION,
                           "schema_version", s->schema_version(s), "time", now);
  if (!body) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  return http_reply_json(req, 200, body);
}

/* {"date","datetime","long","year","month","day","weekday"} for one digit script. */
static json_t *jalali_json(int64_t ms, const struct loc_jdate *jd, bool latin) {
  char date[64], datetime[96], longdate[160];
  if (loc_format_date(ms, latin, date, sizeof date) != 0 ||
      loc_format_datetime(ms, latin, datetime, sizeof datetime) != 0 ||
      loc_format_long_date(ms, latin, longdate, sizeof longdate) != 0)
    return NULL;
  const char *weekday = loc_weekday_name(jd->weekday);
  return json_pack("{s:s,s:s,s:s,s:i,s:i,s:i,s:s}", "date", date, "datetime", datetime, "long",
                   longdate, "year", jd->year, "month", jd->month, "day", jd->day, "weekday",
                   weekday ? weekday : "");
}

http_status_t time_get(struct http_req *req) {
  int64_t ms = clock_now_ms();
  const char *at = http_query(req, "at");
  if (at && clock_parse_rfc3339(at, &ms) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "at",
                            "must be an RFC 3339 instant such as 2025-10-01T08:30:00Z");
  struct loc_jdate jd;
  if (loc_from_utc_ms(ms, &jd) != 0)
    return http_reply_error(req, ERR_INVALID_FIELD, "at", "is outside the calendar's range");
  char utc[32];
  clock_format_rfc3339(ms, utc, sizeof utc);
  json_t *fa = jalali_json(ms, &jd, false);
  json_t *latin = jalali_json(ms, &jd, true);
  if (!fa || !latin) {
    json_decref(fa);
    json_decref(latin);
    log_msg(LOG_ERROR, "http.time", "cannot format the instant %s", utc);
    return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  }
  json_t *body = json_pack("{s:s,s:o,s:o}", "utc", utc, "jalali", fa, "jalali_latin", latin);
  if (!body) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  return http_reply_json(req, 200, body);
}
