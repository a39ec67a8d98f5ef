/* incident_types.c — GET /api/v1/incident-types: the list a call-taker picks a call's
 * type from (core/incident_type.h), its groups, and the dispositions an incident is
 * closed with (core/incident.h).
 *
 * ?q= searches the Persian names and keywords (after normalisation, so text typed on
 * an Arabic keyboard matches) and the English names and codes, best match first.
 * The list is static reference data, so nothing is read from the store or audited.
 */
#include <string.h>

#include "core/incident.h"
#include "core/incident_type.h"
#include "http/routes.h"
#include "util/arena.h"

static json_t *type_json(const struct incident_type *t) {
  json_t *words = json_array();
  for (size_t i = 0; i < INCIDENT_TYPE_KEYWORDS_MAX && t->keywords[i]; i++)
    json_array_append_new(words, json_string(t->keywords[i]));
  const struct incident_group_info *g = incident_group_info(t->group);
  return json_pack("{s:s,s:s,s:s,s:s?,s:i,s:s?,s:o}", "code", t->code, "name_fa", t->name_fa, "name_en",
                   t->name_en, "apco", t->apco, "priority", t->priority, "group", g ? g->code : NULL,
                   "keywords", words);
}

static json_t *groups_json(void) {
  json_t *a = json_array();
  for (int g = 0; g < IGROUP__COUNT; g++) {
    const struct incident_group_info *info = incident_group_info((enum incident_group)g);
    if (info)
      json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "code", info->code, "name_fa", info->name_fa,
                                         "name_en", info->name_en));
  }
  return a;
}

static json_t *dispositions_json(void) {
  size_t n;
  const struct incident_disposition *d = incident_dispositions(&n);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "code", d[i].code, "name_fa", d[i].name_fa, "name_en",
                                       d[i].name_en));
  return a;
}

http_status_t incident_types_list(struct http_req *req) {
  size_t n;
  const struct incident_type *all = incident_type_all(&n);
  const struct incident_type **found = arena_alloc(req->arena, (n ? n : 1) * sizeof *found);
  if (!found) return http_reply_error(req, ERR_INTERNAL, NULL, NULL);
  const char *q = http_query(req, "q");
  size_t m = n;
  if (q && *q) {
    int r = incident_type_search(q, found, n);
    if (r < 0)
      return http_reply_error(req, ERR_INVALID_FIELD, "q", "must be valid UTF-8 text of at most 256 bytes");
    m = (size_t)r;
  } else {
    for (size_t i = 0; i < n; i++) found[i] = &all[i];
  }
  json_t *items = json_array();
  for (size_t i = 0; i < m; i++) json_array_append_new(items, type_json(found[i]));
  return http_reply_json(req, 200, json_pack("{s:o,s:o,s:o}", "items", items, "groups", groups_json(),
                                             "dispositions", dispositions_json()));
}
